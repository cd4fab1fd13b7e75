//! The jobs. Each job owns its whole protocol in its own file, as an enum of
//! states whose transitions are all in one `match`; every job answers the
//! same small interface, which [`Job`] dispatches:
//!
//! - [`Job::poll`]: what to do next, when the channel is free: send a
//!   command, wait for the caller's data, or end;
//! - [`Job::on_item`]: an item arrived while the job's command is in flight;
//! - [`Job::on_final`]: the final result of the job's command arrived;
//! - [`Job::on_timeout`]: the job's command passed its deadline;
//! - [`Job::on_unexpected`]: a response of another command's kind arrived.
//!
//! The interface's types ([`Ctx`], [`Step`], [`Reply`], [`Flow`]) live in
//! `interface.rs`, a leaf that the jobs and this dispatch both use. The
//! session routes between the channel, the jobs and the events; it knows
//! no job's steps. [`Jobs`] keeps the queued jobs where they were put
//! until they end, and beside each job slot a [`Secret`] slot: a configure
//! job's password is written there straight from the caller's string and
//! never moves (the job itself holds no copy).

mod bring_up;
mod configure;
mod dir;
mod get;
mod interface;
mod list;
mod put;
mod query_config;
mod quit;
mod raw;

pub(crate) use bring_up::BringUpJob;
pub(crate) use configure::ConfigureJob;
pub(crate) use dir::{DirJob, DirOp};
pub(crate) use get::GetJob;
pub(crate) use list::ListJob;
pub(crate) use put::PutJob;
pub(crate) use query_config::QueryConfigJob;
pub(crate) use quit::QuitJob;
pub use raw::MAX_RAW_LINE;
pub(crate) use raw::{validate as validate_raw, RawJob, RawRefusal};

pub(crate) use interface::{after, refused, Ctx, Flow, Notice, Reply, Step};

use cellftp_proto::{CommandName, Password, Response};
use heapless::Deque;

use crate::error::{JobError, ModemError, ProtocolError, ResponseKind, UsageError};
use crate::event::JobId;
use crate::secret::Secret;

/// How many jobs can wait in the queue behind the running one. A queued
/// job that was cancelled counts until its `Event::JobDone` has been
/// polled.
pub const MAX_QUEUED_JOBS: usize = 8;

/// A job: the dispatch to each job's own state machine.
#[derive(Debug)]
pub(crate) enum Job {
    BringUp(BringUpJob),
    Configure(ConfigureJob),
    Put(PutJob),
    Get(GetJob),
    List(ListJob),
    Dir(DirJob),
    QueryConfig(QueryConfigJob),
    Quit(QuitJob),
    Raw(RawJob),
}

impl Job {
    /// True for jobs that use the FTP connection.
    pub(crate) fn needs_connection(&self) -> bool {
        matches!(self, Job::Put(_) | Job::Get(_) | Job::List(_) | Job::Dir(_))
    }

    /// True if a modem restart is expected while this job runs (a booting
    /// modem says `RDY` during bring-up).
    pub(crate) fn expects_restart(&self) -> bool {
        matches!(self, Job::BringUp(_))
    }

    /// What the job does next; called when the channel is free.
    /// `password` is the job's own, read in its [`Secret`] slot.
    pub(crate) fn poll<'a>(&'a mut self, ctx: Ctx<'_>, password: Option<Password<'a>>) -> Step<'a> {
        match self {
            Job::BringUp(j) => j.poll(),
            Job::Configure(j) => j.poll(password),
            Job::Put(j) => j.poll(ctx),
            Job::Get(j) => j.poll(ctx),
            Job::List(j) => j.poll(),
            Job::Dir(j) => j.poll(),
            Job::QueryConfig(j) => j.poll(),
            Job::Quit(j) => j.poll(),
            Job::Raw(j) => j.poll(),
        }
    }

    /// An item that arrived while the job's command was in flight.
    #[inline(always)]
    pub(crate) fn on_item<'b>(&mut self, ctx: Ctx<'_>, item: Response<'b>) -> Reply<'b> {
        match self {
            Job::Configure(j) => j.on_item(item),
            Job::Get(j) => j.on_item(ctx, item),
            Job::List(j) => j.on_item(ctx, item),
            Job::QueryConfig(j) => j.on_item(ctx, item),
            Job::Raw(j) => j.on_item(ctx, item),
            Job::BringUp(_) | Job::Put(_) | Job::Dir(_) | Job::Quit(_) => Reply::NotMine,
        }
    }

    /// The final result of the job's command `command`. Not inlined: it
    /// comes once per command, and the jobs' failures it builds and moves
    /// (each a [`JobError`] that can hold a modem's text) would otherwise
    /// be built in the session's receive loop (0.3 KiB of flash on a
    /// microcontroller).
    #[inline(never)]
    pub(crate) fn on_final(
        &mut self,
        command: CommandName,
        result: Result<(), ModemError>,
    ) -> Flow {
        match self {
            Job::BringUp(j) => j.on_final(command, result),
            Job::Configure(j) => j.on_final(command, result),
            Job::Put(j) => j.on_final(command, result),
            Job::Get(j) => j.on_final(command, result),
            Job::List(j) => j.on_final(command, result),
            Job::Dir(j) => j.on_final(command, result),
            Job::QueryConfig(j) => j.on_final(command, result),
            Job::Quit(j) => j.on_final(command, result),
            Job::Raw(j) => j.on_final(command, result),
        }
    }

    /// The job's command `command` passed its deadline; `pending` is what
    /// the decoder still expected of a payload, and how much of that is
    /// buffered in an incomplete fragment.
    pub(crate) fn on_timeout(&mut self, command: CommandName, pending: Option<(u32, u32)>) -> Flow {
        match self {
            Job::Put(j) => j.on_timeout(command),
            Job::Get(j) => j.on_timeout(command, pending),
            Job::List(j) => j.on_timeout(command, pending),
            _ => Flow::End(Err(JobError::Timeout { command })),
        }
    }

    /// A response of kind `kind` arrived that does not belong to the job's
    /// command `command`.
    pub(crate) fn on_unexpected(&mut self, command: CommandName, kind: ResponseKind) -> Flow {
        let error = JobError::Protocol {
            command,
            error: ProtocolError::Unexpected(kind),
        };
        match self {
            Job::Put(j) => j.on_unexpected(error),
            _ => Flow::End(Err(error)),
        }
    }

    /// True for a put job waiting for the caller's data.
    pub(crate) fn awaits_data(&self) -> bool {
        matches!(self, Job::Put(j) if j.awaits_data())
    }

    /// Tells a put job waiting for data that a chunk of `len` bytes was
    /// staged.
    pub(crate) fn chunk_staged(&mut self, len: usize) {
        if let Job::Put(j) = self {
            j.chunk_staged(len);
        }
    }

    /// The caller cancelled the job: true if the job ends itself (a put
    /// closes its open upload first), false if the session ends it once no
    /// command of the job's is in flight.
    pub(crate) fn cancel(&mut self) -> bool {
        match self {
            Job::Put(j) => j.cancel(),
            _ => false,
        }
    }

    /// Tells a put job waiting for data that the file is complete.
    pub(crate) fn finish_put(&mut self) {
        if let Job::Put(j) = self {
            j.finish();
        }
    }
}

/// A job and its number.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) id: JobId,
    pub(crate) job: Job,
    /// Cancelled while its command was in flight: it ends as
    /// [`JobError::Cancelled`] when the command does, its data discarded.
    pub(crate) cancelled: bool,
}

/// How many jobs exist at most: the queued ones and the running one.
const SLOTS: usize = MAX_QUEUED_JOBS + 1;
const _: () = assert!(SLOTS <= u8::MAX as usize, "slot numbers are u8");

/// Empty job slots (see [`Jobs::new`]).
#[inline(never)]
fn no_slots() -> [Option<Entry>; SLOTS] {
    [const { None }; SLOTS]
}

/// Empty password slots (see [`Jobs::new`]).
#[inline(never)]
fn no_secrets() -> [Secret; SLOTS] {
    [const { Secret::new() }; SLOTS]
}

/// The queued jobs and the running one. A job stays in the slot it was put
/// in until it ends; the queue holds slot numbers. A configure job's
/// password is in the [`Secret`] of the same number.
pub(crate) struct Jobs {
    slots: [Option<Entry>; SLOTS],
    secrets: [Secret; SLOTS],
    queue: Deque<u8, MAX_QUEUED_JOBS>,
    current: Option<u8>,
    next_id: u32,
}

impl Jobs {
    /// No jobs. Not inlined, nor are the arrays' constructors: each then
    /// writes straight into the session being built, instead of into a
    /// temporary on the stack that is copied (2.5 KiB of stack on a
    /// microcontroller).
    #[inline(never)]
    pub(crate) fn new() -> Self {
        Self {
            slots: no_slots(),
            secrets: no_secrets(),
            queue: Deque::new(),
            current: None,
            next_id: 0,
        }
    }

    /// Jobs waiting behind the running one.
    pub(crate) fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Queues `job` in a free slot, where it stays until it ends; its
    /// `password`, if any, is copied from the caller's bytes into the
    /// slot's [`Secret`].
    pub(crate) fn push(
        &mut self,
        job: Job,
        password: Option<Password<'_>>,
    ) -> Result<JobId, UsageError> {
        // At most MAX_QUEUED_JOBS are queued and one runs: with room in the
        // queue, a slot is free.
        let free = self.slots.iter().position(Option::is_none);
        debug_assert!(
            free.is_some() || self.queue.is_full(),
            "a free slot for every queued job"
        );
        let Some(index) = free else {
            return Err(UsageError::QueueFull);
        };
        self.queue
            .push_back(index as u8)
            .map_err(|_| UsageError::QueueFull)?;
        let id = JobId(self.next_id);
        if let Some(slot) = self.slots.get_mut(index) {
            *slot = Some(Entry {
                id,
                job,
                cancelled: false,
            });
        }
        if let (Some(secret), Some(password)) = (self.secrets.get_mut(index), password) {
            secret.set(password);
        }
        self.next_id = self.next_id.wrapping_add(1);
        Ok(id)
    }

    /// The running job.
    pub(crate) fn current(&mut self) -> Option<&mut Entry> {
        let index = usize::from(self.current?);
        let entry = self.slots.get_mut(index).and_then(Option::as_mut);
        debug_assert!(entry.is_some(), "the running job has a slot");
        entry
    }

    /// The running job, and its password if it has one.
    pub(crate) fn current_with_secret(&mut self) -> Option<(&mut Entry, Option<Password<'_>>)> {
        let index = usize::from(self.current?);
        let entry = self.slots.get_mut(index).and_then(Option::as_mut);
        debug_assert!(entry.is_some(), "the running job has a slot");
        let password = self.secrets.get(index).and_then(Secret::get);
        Some((entry?, password))
    }

    /// Wipes the running job's password: the modem has answered it.
    pub(crate) fn wipe_current_secret(&mut self) {
        if let Some(secret) = self
            .current
            .and_then(|i| self.secrets.get_mut(usize::from(i)))
        {
            secret.wipe();
        }
    }

    /// Empties slot `index`: the job is dropped where it lies and its
    /// password wiped.
    fn free(&mut self, index: usize) {
        if let Some(slot) = self.slots.get_mut(index) {
            *slot = None;
        }
        if let Some(secret) = self.secrets.get_mut(index) {
            secret.wipe();
        }
    }

    /// The running job, read-only.
    pub(crate) fn current_ref(&self) -> Option<&Entry> {
        let index = usize::from(self.current?);
        self.slots.get(index).and_then(Option::as_ref)
    }

    /// The job that runs next, if one is queued.
    pub(crate) fn peek_next(&self) -> Option<&Job> {
        let number = *self.queue.front()?;
        self.slots
            .get(usize::from(number))
            .and_then(Option::as_ref)
            .map(|e| &e.job)
    }

    /// True if a job runs.
    pub(crate) fn is_running(&self) -> bool {
        self.current.is_some()
    }

    /// Takes the next queued job out of the queue: it runs if `admit` says
    /// so, or ends at once with the error `admit` returns.
    pub(crate) fn start_next(
        &mut self,
        admit: impl FnOnce(&Job) -> Result<(), JobError>,
    ) -> Option<Result<JobId, (JobId, JobError)>> {
        let number = self.queue.pop_front()?;
        let entry = self.slots.get(usize::from(number))?.as_ref()?;
        let id = entry.id;
        match admit(&entry.job) {
            Ok(()) => {
                self.current = Some(number);
                Some(Ok(id))
            }
            Err(e) => {
                self.free(usize::from(number));
                Some(Err((id, e)))
            }
        }
    }

    /// Takes queued job `id` out of the queue and drops it (its password
    /// wiped); false if no queued job has that number.
    pub(crate) fn remove_queued(&mut self, id: JobId) -> bool {
        let mut kept = Deque::<u8, MAX_QUEUED_JOBS>::new();
        let mut found = None;
        while let Some(number) = self.queue.pop_front() {
            let is_it = self
                .slots
                .get(usize::from(number))
                .and_then(Option::as_ref)
                .is_some_and(|e| e.id == id);
            if is_it {
                found = Some(number);
            } else {
                // Room: `kept` holds fewer numbers than the queue did.
                let _ = kept.push_back(number);
            }
        }
        self.queue = kept;
        match found {
            Some(number) => {
                self.free(usize::from(number));
                true
            }
            None => false,
        }
    }

    /// Ends the running job; returns its number.
    pub(crate) fn end_current(&mut self) -> Option<JobId> {
        let index = usize::from(self.current.take()?);
        let id = self.slots.get(index)?.as_ref().map(|e| e.id);
        self.free(index);
        id
    }
}
