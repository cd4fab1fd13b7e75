//! The SIMCom jobs. Each job owns its protocol in its own file, as an enum
//! of per-state structs whose transitions are all in one `match`; every job
//! answers the same small interface, which [`Job`] dispatches:
//!
//! - [`Job::poll`]: what to do next when the channel is free: send a
//!   command, wait (for URCs, the caller or a pause), or end;
//! - [`Job::on_item`]: an item arrived while the job runs (an operation's
//!   URC, a read's header and payload, an information line);
//! - [`Job::on_final`]: the final result of the job's command;
//! - [`Job::on_timeout`]: a deadline passed.
//!
//! The interface's types ([`Ctx`], [`Step`], [`Reply`], [`Flow`],
//! [`Deadline`]) live in `interface.rs`, a leaf that the jobs and this
//! dispatch both use.

mod bring_up;
mod configure;
mod file_op;
mod get;
mod interface;
mod list;
mod put;
mod quit;
mod recover;

pub(crate) use bring_up::BringUpJob;
pub(crate) use configure::ConfigureJob;
pub(crate) use file_op::{FileOp, FileOpJob};
pub(crate) use get::GetJob;
pub(crate) use list::ListJob;
pub(crate) use put::PutJob;
pub(crate) use quit::QuitJob;
pub(crate) use recover::RecoverJob;

pub(crate) use interface::{op_urc, refused, timed_out, Ctx, Deadline, Flow, Reply, Step};

use cellftp_proto::simcom::{CommandName, Response};

use super::channel::Sent;
use crate::error::ModemError;
use crate::event::JobId;

/// A job: the dispatch to each job's state machine.
#[derive(Debug)]
pub(crate) enum Job {
    BringUp(BringUpJob),
    Configure(ConfigureJob),
    Put(PutJob),
    Get(GetJob),
    List(ListJob),
    FileOp(FileOpJob),
    Quit(QuitJob),
    /// The session's own recovery after a timeout; never reported.
    Recover(RecoverJob),
}

impl Job {
    pub(crate) fn poll(&mut self, ctx: Ctx<'_>) -> Step<'_> {
        match self {
            Job::BringUp(j) => j.poll(ctx),
            Job::Configure(j) => j.poll(ctx),
            Job::Put(j) => j.poll(ctx),
            Job::Get(j) => j.poll(),
            Job::List(j) => j.poll(ctx),
            Job::FileOp(j) => j.poll(),
            Job::Quit(j) => j.poll(),
            Job::Recover(j) => j.poll(ctx),
        }
    }

    pub(crate) fn on_item<'b>(&mut self, ctx: Ctx<'_>, item: &Response<'b>) -> Reply<'b> {
        match self {
            Job::BringUp(j) => j.on_item(item),
            Job::Configure(_) | Job::Quit(_) => Reply::NotMine,
            Job::Put(j) => j.on_item(ctx, item),
            Job::Get(j) => j.on_item(ctx, item),
            Job::List(j) => j.on_item(item),
            Job::FileOp(j) => j.on_item(item),
            Job::Recover(j) => j.on_item(item),
        }
    }

    pub(crate) fn on_final(
        &mut self,
        ctx: Ctx<'_>,
        sent: Sent,
        result: Result<(), ModemError>,
    ) -> Flow {
        match self {
            Job::BringUp(j) => j.on_final_at(ctx, sent, result),
            Job::Configure(j) => j.on_final(sent, result),
            Job::Put(j) => j.on_final(sent, result),
            Job::Get(j) => j.on_final(sent, result),
            Job::List(j) => j.on_final(sent, result),
            Job::FileOp(j) => j.on_final(sent, result),
            Job::Quit(j) => j.on_final(sent, result),
            Job::Recover(j) => j.on_final(sent, result),
        }
    }

    pub(crate) fn on_timeout(&mut self, ctx: Ctx<'_>, deadline: Deadline) -> Flow {
        match self {
            Job::BringUp(j) => j.on_timeout(ctx, deadline),
            Job::Put(j) => j.on_timeout(deadline),
            Job::Get(j) => j.on_timeout(deadline),
            Job::List(_) => timed_out(deadline, CommandName::FtpList),
            Job::FileOp(j) => j.on_timeout(deadline),
            Job::Configure(_) | Job::Quit(_) | Job::Recover(_) => {
                timed_out(deadline, CommandName::At)
            }
        }
    }

    /// True once a list job has all of its listing: its last line, even
    /// without a line end, is a line.
    pub(crate) fn list_flushing(&self) -> bool {
        matches!(self, Job::List(j) if j.flushing())
    }

    /// True while a put job waits for the caller's chunk.
    pub(crate) fn awaits_data(&self) -> bool {
        matches!(self, Job::Put(j) if j.awaits_data())
    }

    /// The largest chunk a waiting put job takes now.
    pub(crate) fn chunk_max(&self) -> usize {
        match self {
            Job::Put(j) => j.chunk_max(),
            _ => 0,
        }
    }

    /// A chunk of `len` bytes was given to the waiting put job.
    pub(crate) fn chunk_given(&mut self, len: usize) {
        if let Job::Put(j) = self {
            j.chunk_given(len);
        }
    }

    /// The caller ended the upload.
    pub(crate) fn finish_put(&mut self) {
        if let Job::Put(j) = self {
            j.finish();
        }
    }

    /// The job's password slot was answered: wipe it.
    pub(crate) fn wipe_secret(&mut self, command: CommandName) {
        match self {
            Job::Configure(j) if command == CommandName::FtpPw => j.wipe(),
            Job::BringUp(j) if command == CommandName::Sapbr => j.wipe(),
            _ => {}
        }
    }
}

/// A job and its number.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) id: JobId,
    pub(crate) job: Job,
}
