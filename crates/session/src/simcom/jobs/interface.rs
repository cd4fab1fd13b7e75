//! The small interface every SIMCom job answers, apart from the jobs so
//! that each job's file and the dispatch in `mod.rs` use it without using
//! each other: what a job reads ([`Ctx`]), what it wants next ([`Step`]),
//! what it made of an item ([`Reply`]), whether it goes on ([`Flow`]),
//! what timed out ([`Deadline`]), and the helpers the jobs share.

use core::time::Duration;

use cellftp_proto::simcom::{Command, CommandName, Op, OpStatus, Response, Urc};

use crate::error::ModemError;
use crate::event::JobId;
use crate::simcom::channel::Sent;
use crate::simcom::config::Config;
use crate::simcom::error::JobError;
use crate::simcom::event::{Event, Outcome};
use crate::Instant;

/// What a job reads to decide.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub(crate) id: JobId,
    pub(crate) config: &'a Config,
    pub(crate) now: Instant,
    /// Echo is known to be on (`ATE1`, or never turned off since a restart
    /// that the session saw).
    pub(crate) echo_on: bool,
    /// Listing lines counted so far: (entries, lines); and whether lines
    /// wait to be reported.
    pub(crate) listed: (u32, u32),
    pub(crate) lines_pending: bool,
    /// What is in flight: a command line or upload bytes, once transmitted.
    pub(crate) in_flight: Option<Sent>,
}

/// What a job wants next.
#[derive(Debug)]
pub(crate) enum Step<'j> {
    /// Send this command.
    Send(Command<'j>),
    /// Wait; `urc` if for the operation's URCs (the inactivity timer
    /// runs); the event, if any, tells the caller something.
    Wait {
        urc: bool,
        event: Option<Event<'static>>,
    },
    /// Wait this long, then poll again.
    Pause(Duration),
    /// The job is over.
    Done(Result<Outcome, JobError>),
}

/// What a job made of an item.
#[derive(Debug)]
pub(crate) enum Reply<'b> {
    /// The job's; activity for the timers; maybe an event.
    Took(Option<Event<'b>>),
    /// `+FTPPUT: 2,<cnf>`: write this many of the chunk's bytes now.
    Owe(u32),
    /// Listing bytes, for the line buffer.
    ListData(&'b [u8]),
    /// The job's, and it ends the job.
    End(Result<Outcome, JobError>),
    /// Not the job's to report (it is reported as unsolicited), but it
    /// ends the job.
    Seen(Result<Outcome, JobError>),
    /// Not the job's.
    NotMine,
}

/// Whether a job goes on.
#[derive(Debug)]
pub(crate) enum Flow {
    Continue,
    End(Result<Outcome, JobError>),
}

/// What timed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Deadline {
    /// The command (or upload bytes) in flight.
    Command(Sent),
    /// The URC phase of the job's operation.
    Idle,
}

/// The job's failure after `command` was refused.
pub(crate) fn refused(command: CommandName, error: ModemError) -> Flow {
    Flow::End(Err(JobError::Modem { command, error }))
}

/// The operation URC `item` of `op`, if it is one.
pub(crate) fn op_urc(item: &Response<'_>, op: Op) -> Option<OpStatus> {
    match *item {
        Response::Urc(Urc::Ftp { op: o, status }) if o == op => Some(status),
        _ => None,
    }
}

/// The job's timeout error for `deadline`, naming `op_command` for the URC
/// phase.
pub(crate) fn timed_out(deadline: Deadline, op_command: CommandName) -> Flow {
    let command = match deadline {
        Deadline::Command(sent) => sent.name,
        Deadline::Idle => op_command,
    };
    Flow::End(Err(JobError::Timeout { command }))
}
