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

use super::{refused, Ctx, Flow, Step};
use crate::error::{JobError, ModemError};
use crate::event::{Event, Outcome};

/// Where the upload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Nothing sent yet.
    Start,
    /// `AT+FTPTYPE=<configured type>` in flight.
    RestoringType(TransferType),
    /// `AT+FTPPUTNAME` in flight.
    Naming,
    /// A chunk was acknowledged: [`Event::PutProgress`] next, then the
    /// wait for the next chunk.
    Acked,
    /// Waiting for the caller's next chunk or the end of the file;
    /// `announced` once [`Event::PutReady`] was reported for this wait.
    AwaitingData { announced: bool },
    /// A chunk of `len` bytes in flight; `failure` if something already
    /// went wrong while it was (the upload is closed after its answer).
    ChunkInFlight {
        len: usize,
        failure: Option<JobError>,
    },
    /// `AT+FTPPUT=0` next or in flight; the job ends with `failure`, if
    /// any, once it is answered.
    Closing { failure: Option<JobError> },
}

/// The put job.
#[derive(Debug)]
pub(crate) struct PutJob {
    name: TextBuf,
    /// Bytes the modem accepted.
    bytes: u64,
    state: State,
    /// An answer of the job's was lost: the answers that follow may be
    /// late ones, and are not trusted (the job fails with the failure its
    /// state holds).
    lost: bool,
}

impl PutJob {
    pub(crate) fn new(name: TextBuf) -> Self {
        Self {
            name,
            bytes: 0,
            state: State::Start,
            lost: false,
        }
    }

    pub(crate) fn poll(&mut self, ctx: Ctx<'_>) -> Step<'_> {
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
                Step::Wait(Some(Event::PutProgress {
                    job: ctx.id,
                    bytes: self.bytes,
                }))
            }
            State::AwaitingData { announced } => {
                let event = (!*announced).then_some(Event::PutReady {
                    job: ctx.id,
                    max: ctx.config.chunk_size,
                });
                *announced = true;
                Step::Wait(event)
            }
            // A chunk is staged by the session from the caller's bytes: the
            // channel is not free while it is in flight. `Start` was left
            // above.
            State::Start | State::ChunkInFlight { .. } => Step::Wait(None),
            State::Closing { .. } => Step::Send(Command::FtpPut(Put::End)),
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
        match &mut self.state {
            State::Acked | State::AwaitingData { .. } if self.bytes > 0 => {
                self.state = State::Closing {
                    failure: Some(JobError::Cancelled),
                };
                true
            }
            State::ChunkInFlight { failure, .. } | State::Closing { failure } => {
                *failure = Some(JobError::Cancelled);
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
        self.state = State::ChunkInFlight { len, failure: None };
    }

    /// The caller says the file is complete.
    pub(crate) fn finish(&mut self) {
        debug_assert!(self.awaits_data());
        self.state = State::Closing { failure: None };
    }

    pub(crate) fn on_final(
        &mut self,
        command: CommandName,
        result: Result<(), ModemError>,
    ) -> Flow {
        match (self.state, result) {
            (State::RestoringType(_), Ok(())) => self.state = State::Naming,
            (State::Naming, Ok(())) => self.state = State::AwaitingData { announced: false },
            (State::ChunkInFlight { len, failure }, Ok(())) => {
                if !self.lost {
                    self.bytes += len as u64;
                }
                self.state = match failure {
                    Some(_) => State::Closing { failure },
                    None => State::Acked,
                };
            }
            // A failed chunk: close the upload, then report the failure
            // (after a lost answer, the one that lost it). A code that can
            // come unasked (`NO CARRIER`) may have come before the chunk's
            // own answer, which is then still to come.
            (State::ChunkInFlight { failure, .. }, Err(error)) => {
                let refused = JobError::Modem { command, error };
                self.state = State::Closing {
                    failure: if self.lost { failure } else { Some(refused) },
                };
                self.lost |= error.may_come_unasked();
            }
            (State::Closing { failure }, Ok(())) => {
                return Flow::End(match failure {
                    Some(e) => Err(e),
                    None => Ok(Outcome::Uploaded { bytes: self.bytes }),
                })
            }
            (State::Closing { failure }, Err(e)) => {
                return self.untrusted(failure, JobError::Modem { command, error: e })
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
    /// the failure that lost it: what came after is not trusted.
    fn untrusted(&self, failure: Option<JobError>, error: JobError) -> Flow {
        Flow::End(Err(match failure {
            Some(lost) if self.lost => lost,
            _ => error,
        }))
    }

    pub(crate) fn on_timeout(&mut self, command: CommandName) -> Flow {
        let error = JobError::Timeout { command };
        match self.state {
            // The upload must still be closed: `AT+FTPPUT=0` goes next, at
            // once; the chunk's answer may still come.
            State::ChunkInFlight { failure, .. } => {
                self.lost = true;
                self.state = State::Closing {
                    failure: failure.or(Some(error)),
                };
                Flow::Continue
            }
            State::Closing { failure } => self.untrusted(failure, error),
            _ => Flow::End(Err(error)),
        }
    }

    pub(crate) fn on_unexpected(&mut self, error: JobError) -> Flow {
        match &mut self.state {
            // The modem's answers are out of step: the final result that
            // follows may be an earlier command's. It ends the chunk all
            // the same; then the upload is closed, and the job fails.
            State::ChunkInFlight { failure, .. } => {
                self.lost = true;
                failure.get_or_insert(error);
                Flow::Continue
            }
            State::Closing { failure } => {
                let failure = *failure;
                self.untrusted(failure, error)
            }
            _ => Flow::End(Err(error)),
        }
    }
}
