//! The small interface every job answers, apart from the jobs so that
//! each job's file and the dispatch in `mod.rs` use it without using each
//! other: what a job reads ([`Ctx`]), what it wants next ([`Step`]), what
//! it made of an item ([`Reply`]), whether it goes on ([`Flow`]).

use cellftp_proto::{Command, CommandName, TimeoutClass};

use crate::config::Config;
use crate::error::{JobError, ModemError, ResponseKind};
use crate::event::{Event, JobId, Outcome};
use crate::modem::Modem;

/// What a job reads to decide its next step.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    /// The job's number.
    pub(crate) id: JobId,
    /// What is known about the modem.
    pub(crate) modem: &'a Modem,
    /// The session's settings.
    pub(crate) config: &'a Config,
}

/// What a job wants next.
#[derive(Debug)]
pub(crate) enum Step<'j> {
    /// Send this command and wait for its final result.
    Send(Command<'j>),
    /// Send this caller's line (CR included) and wait for its final
    /// result; `name` and `class` as the command table knows it, if it does.
    SendRaw {
        line: &'j [u8],
        name: CommandName,
        class: TimeoutClass,
    },
    /// Wait for the caller (a put job's data); this tells the caller, as
    /// an event of the job's.
    Wait(Option<Notice>),
    /// The job is over.
    Done(Result<Outcome, JobError>),
}

/// What a job waiting for the caller tells it: an event of the job's, made
/// by the session ([`Notice::event`]). Smaller than an [`Event`], so that
/// every [`Step`] a job returns is too.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Notice {
    /// [`Event::PutProgress`].
    PutProgress { bytes: u64 },
    /// [`Event::PutReady`].
    PutReady { max: usize },
}

impl Notice {
    /// The event that tells job `job`'s caller.
    pub(crate) fn event(self, job: JobId) -> Event<'static> {
        match self {
            Notice::PutProgress { bytes } => Event::PutProgress { job, bytes },
            Notice::PutReady { max } => Event::PutReady { job, max },
        }
    }
}

/// What a job made of an item that arrived while its command was in flight.
#[derive(Debug)]
pub(crate) enum Reply<'b> {
    /// Payload of the command in flight: its inactivity timer restarts.
    Payload(Option<Event<'b>>),
    /// An answer that belongs to the command in flight.
    Answer(Option<Event<'b>>),
    /// A response of the command's own kind that cannot be right here.
    Unexpected(ResponseKind),
    /// Not the command's: the session decides.
    NotMine,
}

/// Whether a job goes on after a final result, a timeout or an unexpected
/// response.
#[derive(Debug)]
pub(crate) enum Flow {
    /// The job goes on: poll it.
    Continue,
    /// The job is over.
    End(Result<Outcome, JobError>),
}

/// The failure of `command` that the modem refused.
pub(crate) fn refused(command: CommandName, error: ModemError) -> Flow {
    Flow::End(Err(JobError::Modem { command, error }))
}

/// The end of a job after a command that must succeed: `then` if it did.
pub(crate) fn after(command: CommandName, result: Result<(), ModemError>, then: Flow) -> Flow {
    match result {
        Ok(()) => then,
        Err(e) => refused(command, e),
    }
}
