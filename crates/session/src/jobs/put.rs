//! The put job: back to the configured transfer type if a resumed get left
//! the modem in binary, `AT+FTPPUTNAME`, then the caller's chunks as
//! `AT+FTPPUT=<len>,<data>`, then `AT+FTPPUT=0`. Once a chunk was sent the
//! upload is always closed, also after a chunk failed, timed out or drew
//! an unexpected response; the job then reports that failure.
//!
//! A chunk whose answer was lost (it timed out, a response of another
//! command's kind came while it waited, or a code that can come unasked
//! such as `NO CARRIER` ended it) leaves the modem's answers out of
//! step: its own answer may still come, and be taken for the next
//! command's. The close goes out all the same, without waiting for a
//! resynchronisation that a hung modem might never answer (an upload left
//! open makes the modem append the next one to it), but from then on no
//! answer is the job's for sure: the job fails with the chunk's failure
//! whatever the chunk and the close get, and the session resynchronises
//! before the next job (`SPEC.md` §1.12).

use cellftp_proto::{Command, CommandName, Put, Setting, TextBuf, TransferType};

use super::{refused, Ctx, Flow, Notice, Step};
use crate::error::{JobError, ModemError};
use crate::event::Outcome;

/// Where the upload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Nothing sent yet.
    Start,
    /// `AT+FTPTYPE=<configured type>` in flight.
    RestoringType(TransferType),
    /// `AT+FTPPUTNAME` in flight.
    Naming,
    /// A chunk was acknowledged: [`crate::Event::PutProgress`] next, then the
    /// wait for the next chunk.
    Acked,
    /// Waiting for the caller's next chunk or the end of the file;
    /// `announced` once [`crate::Event::PutReady`] was reported for this wait.
    AwaitingData { announced: bool },
    /// A chunk of `len` bytes in flight; the upload is closed after its
    /// answer if [`PutJob::failure`] is set.
    ChunkInFlight { len: usize },
    /// `AT+FTPPUT=0` next or in flight; the job ends with
    /// [`PutJob::failure`], if any, once it is answered.
    Closing,
}

/// The put job.
#[derive(Debug)]
pub(crate) struct PutJob {
    name: TextBuf,
    /// Bytes the modem accepted.
    bytes: u64,
    state: State,
    /// What already went wrong while a chunk was in flight or the upload
    /// was closing (never set in the other states, which `poll` asserts):
    /// the job ends with it.
    /// Apart from the state, so that the state, matched and copied at
    /// every step, stays a few bytes.
    failure: Option<JobError>,
    /// An answer of the job's was lost: the answers that follow may be
    /// late ones, and are not trusted (the job fails with `failure`).
    lost: bool,
}

impl PutJob {
    pub(crate) fn new(name: TextBuf) -> Self {
        Self {
            name,
            bytes: 0,
            state: State::Start,
            failure: None,
            lost: false,
        }
    }

    pub(crate) fn poll(&mut self, ctx: Ctx<'_>) -> Step<'_> {
        debug_assert!(
            self.failure.is_none()
                || matches!(self.state, State::ChunkInFlight { .. } | State::Closing),
            "a put failure kept outside a chunk in flight or the close"
        );
        if self.state == State::Start {
            self.state = match ctx.modem.type_to_restore() {
                Some(t) => State::RestoringType(t),
                None => State::Naming,
            };
        }
        match &mut self.state {
            State::RestoringType(t) => Step::Send(Command::FtpType(Setting::Set(*t))),
            State::Naming => Step::Send(Command::FtpPutName(Setting::Set(self.name.text()))),
            State::Acked => {
                self.state = State::AwaitingData { announced: false };
                Step::Wait(Some(Notice::PutProgress { bytes: self.bytes }))
            }
            State::AwaitingData { announced } => {
                let event = (!*announced).then_some(Notice::PutReady {
                    max: ctx.config.chunk_size,
                });
                *announced = true;
                Step::Wait(event)
            }
            // A chunk is staged by the session from the caller's bytes: the
            // channel is not free while it is in flight. `Start` was left
            // above.
            State::Start | State::ChunkInFlight { .. } => Step::Wait(None),
            State::Closing => Step::Send(Command::FtpPut(Put::End)),
        }
    }

    /// True while the job waits for the caller's data.
    pub(crate) fn awaits_data(&self) -> bool {
        matches!(self.state, State::AwaitingData { .. })
    }

    /// The caller cancelled the job. Returns true if the job closes an
    /// open upload itself (`AT+FTPPUT=0`, then [`JobError::Cancelled`]);
    /// false if it has nothing to close and the session ends it.
    pub(crate) fn cancel(&mut self) -> bool {
        match self.state {
            State::Acked | State::AwaitingData { .. } if self.bytes > 0 => {
                self.state = State::Closing;
                self.failure = Some(JobError::Cancelled);
                true
            }
            State::ChunkInFlight { .. } | State::Closing => {
                self.failure = Some(JobError::Cancelled);
                true
            }
            State::Start
            | State::RestoringType(_)
            | State::Naming
            | State::Acked
            | State::AwaitingData { .. } => false,
        }
    }

    /// A chunk of `len` bytes was staged.
    pub(crate) fn chunk_staged(&mut self, len: usize) {
        debug_assert!(self.awaits_data());
        self.state = State::ChunkInFlight { len };
        self.failure = None;
    }

    /// The caller says the file is complete.
    pub(crate) fn finish(&mut self) {
        debug_assert!(self.awaits_data());
        self.state = State::Closing;
        self.failure = None;
    }

    pub(crate) fn on_final(
        &mut self,
        command: CommandName,
        result: Result<(), ModemError>,
    ) -> Flow {
        match (self.state, result) {
            (State::RestoringType(_), Ok(())) => self.state = State::Naming,
            (State::Naming, Ok(())) => self.state = State::AwaitingData { announced: false },
            (State::ChunkInFlight { len }, Ok(())) => {
                if !self.lost {
                    self.bytes += len as u64;
                }
                self.state = match self.failure {
                    Some(_) => State::Closing,
                    None => State::Acked,
                };
            }
            // A failed chunk: close the upload, then report the failure
            // (after a lost answer, the one that lost it). A code that can
            // come unasked (`NO CARRIER`) may have come before the chunk's
            // own answer, which is then still to come.
            (State::ChunkInFlight { .. }, Err(error)) => {
                if !self.lost {
                    self.failure = Some(JobError::Modem { command, error });
                }
                self.state = State::Closing;
                self.lost |= error.may_come_unasked();
            }
            (State::Closing, Ok(())) => {
                return Flow::End(match self.failure {
                    Some(e) => Err(e),
                    None => Ok(Outcome::Uploaded { bytes: self.bytes }),
                })
            }
            (State::Closing, Err(e)) => {
                return self.untrusted(JobError::Modem { command, error: e })
            }
            (_, Err(e)) => return refused(command, e),
            // No command of the job's is in flight in the other states.
            (State::Start | State::Acked | State::AwaitingData { .. }, Ok(())) => {
                debug_assert!(false, "a final result with no command in flight");
            }
        }
        Flow::Continue
    }

    /// The end of the job with `error`, or, once an answer was lost, with
    /// the failure that lost it: what came after is not trusted. Not
    /// inlined: three callers, and each copy moves two errors.
    #[inline(never)]
    fn untrusted(&self, error: JobError) -> Flow {
        Flow::End(Err(match self.failure {
            Some(lost) if self.lost => lost,
            _ => error,
        }))
    }

    pub(crate) fn on_timeout(&mut self, command: CommandName) -> Flow {
        let error = JobError::Timeout { command };
        match self.state {
            // The upload must still be closed: `AT+FTPPUT=0` goes next, at
            // once; the chunk's answer may still come.
            State::ChunkInFlight { .. } => {
                self.lost = true;
                self.failure.get_or_insert(error);
                self.state = State::Closing;
                Flow::Continue
            }
            State::Closing => self.untrusted(error),
            _ => Flow::End(Err(error)),
        }
    }

    pub(crate) fn on_unexpected(&mut self, error: JobError) -> Flow {
        match self.state {
            // The modem's answers are out of step: the final result that
            // follows may be an earlier command's. It ends the chunk all
            // the same; then the upload is closed, and the job fails.
            State::ChunkInFlight { .. } => {
                self.lost = true;
                self.failure.get_or_insert(error);
                Flow::Continue
            }
            State::Closing => self.untrusted(error),
            _ => Flow::End(Err(error)),
        }
    }
}
