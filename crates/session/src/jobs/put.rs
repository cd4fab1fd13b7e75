//! The put job: back to the configured transfer type if a resumed get left
//! the modem in binary, `AT+FTPPUTNAME`, then the caller's chunks as
//! `AT+FTPPUT=<len>,<data>`, then `AT+FTPPUT=0`. Once a chunk was sent the
//! upload is always closed, also after a chunk failed, timed out or drew
//! an unexpected response; the job then reports that failure.

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
}

impl PutJob {
    pub(crate) fn new(name: TextBuf) -> Self {
        Self {
            name,
            bytes: 0,
            state: State::Start,
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
                self.bytes += len as u64;
                self.state = match failure {
                    Some(_) => State::Closing { failure },
                    None => State::Acked,
                };
            }
            // A failed chunk: close the upload, then report the failure.
            (State::ChunkInFlight { .. }, Err(error)) => {
                self.state = State::Closing {
                    failure: Some(JobError::Modem { command, error }),
                }
            }
            (State::Closing { failure }, Ok(())) => {
                return Flow::End(match failure {
                    Some(e) => Err(e),
                    None => Ok(Outcome::Uploaded { bytes: self.bytes }),
                })
            }
            (_, Err(e)) => return refused(command, e),
            // No command of the job's is in flight in the other states.
            (State::Start | State::Acked | State::AwaitingData { .. }, Ok(())) => {
                debug_assert!(false, "a final result with no command in flight");
            }
        }
        Flow::Continue
    }

    pub(crate) fn on_timeout(&mut self, command: CommandName) -> Flow {
        match self.state {
            // The upload must still be closed: `AT+FTPPUT=0` goes next, then
            // the job reports the chunk's timeout.
            State::ChunkInFlight { failure, .. } => {
                self.state = State::Closing {
                    failure: failure.or(Some(JobError::Timeout { command })),
                };
                Flow::Continue
            }
            _ => Flow::End(Err(JobError::Timeout { command })),
        }
    }

    pub(crate) fn on_unexpected(&mut self, error: JobError) -> Flow {
        match &mut self.state {
            // The chunk's own answer still comes; then the upload is closed
            // like after any failed chunk, and the job fails.
            State::ChunkInFlight { failure, .. } => {
                failure.get_or_insert(error);
                Flow::Continue
            }
            _ => Flow::End(Err(error)),
        }
    }
}
