//! The get job (`SPEC-simcom.md` §4.2): `AT+FTPTYPE="I"`,
//! `AT+FTPREST=<offset>` (0 for a whole file), `AT+FTPGETPATH="<dir>/"`,
//! `AT+FTPGETNAME`, then `AT+FTPGET=1`, driven by its URCs: `+FTPGET: 1,1`
//! starts reads (`AT+FTPGET=2,1460`) until a read confirms 0 bytes;
//! `+FTPGET: 1,0` ends the download after a drain; `+FTPGET: 1,<err>`
//! fails it with the bytes delivered so far.

use cellftp_proto::simcom::{
    Command, CommandName, Op, OpStatus, QuotedBuf, ReadOp, Response, Transfer, MAX_READ,
};
use cellftp_proto::{Setting, TransferType};

use super::{op_urc, refused, timed_out, Ctx, Deadline, Flow, Reply, Step};
use crate::error::ModemError;
use crate::simcom::channel::Sent;
use crate::simcom::error::{Answer, Instead, JobError, ProtocolError};
use crate::simcom::event::{Event, Outcome};

/// A read in flight: what its header said, and what the URCs said
/// meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Read {
    /// The confirmed length, once the header came.
    header: Option<u32>,
    /// `+FTPGET: 1,0` came: the server side is done.
    finished: bool,
    /// The operation's error URC, or a header that broke the protocol.
    failure: Option<JobError>,
    /// After `1,0`: read until empty (an `ERROR` counts as drained).
    draining: bool,
}

/// Where the download is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Type,
    Rest,
    Path,
    Name,
    /// `AT+FTPGET=1` in flight; a URC that came before its `OK`.
    Open {
        early: Option<OpStatus>,
    },
    /// Waiting for `+FTPGET: 1,1` (or the end).
    AwaitData,
    /// `AT+FTPGET=2,<n>` next or in flight.
    Reading(Read),
}

/// The get job.
#[derive(Debug)]
pub(crate) struct GetJob {
    dir: QuotedBuf,
    name: QuotedBuf,
    offset: u32,
    /// File bytes delivered.
    bytes: u64,
    state: State,
}

const COMMAND: CommandName = CommandName::FtpGet;

impl GetJob {
    pub(crate) fn new(dir: QuotedBuf, name: QuotedBuf, offset: u32) -> Self {
        Self {
            dir,
            name,
            offset,
            bytes: 0,
            state: State::Type,
        }
    }

    pub(crate) fn poll(&mut self) -> Step<'_> {
        Step::Send(match self.state {
            State::Type => Command::FtpType(Setting::Set(TransferType::Binary)),
            State::Rest => Command::FtpRest(Setting::Set(self.offset)),
            State::Path => Command::FtpGetPath(Setting::Set(self.dir.quoted())),
            State::Name => Command::FtpGetName(Setting::Set(self.name.quoted())),
            State::Open { .. } => Command::FtpGet(Transfer::Open),
            State::AwaitData => {
                return Step::Wait {
                    urc: true,
                    event: None,
                }
            }
            State::Reading(_) => Command::FtpGet(Transfer::Read(MAX_READ)),
        })
    }

    fn failed(&self, error: cellftp_proto::simcom::SimcomFtpError) -> JobError {
        JobError::Ftp {
            command: COMMAND,
            error,
            transferred: self.bytes,
        }
    }

    fn done(&self) -> Result<crate::simcom::event::Outcome, JobError> {
        Ok(Outcome::Downloaded {
            offset: self.offset,
            bytes: self.bytes,
        })
    }

    /// The state after the operation's `status` outside a read.
    fn on_status(&mut self, status: OpStatus) -> Option<Result<Outcome, JobError>> {
        match status {
            OpStatus::Open => self.state = State::Reading(Read::default()),
            OpStatus::Done => {
                self.state = State::Reading(Read {
                    draining: true,
                    ..Read::default()
                })
            }
            OpStatus::Failed(e) => return Some(Err(self.failed(e))),
            OpStatus::PutReady { .. } | OpStatus::Size(_) => {}
        }
        None
    }

    pub(crate) fn on_item<'b>(&mut self, ctx: Ctx<'_>, item: &Response<'b>) -> Reply<'b> {
        let status = op_urc(item, Op::Get);
        match (&mut self.state, *item, status) {
            (State::Open { early }, _, Some(s)) => {
                *early = Some(s);
                Reply::Took(None)
            }
            (State::AwaitData, _, Some(s)) => match self.on_status(s) {
                Some(end) => Reply::End(end),
                None => Reply::Took(None),
            },
            (State::Reading(read), _, Some(s)) => {
                match s {
                    OpStatus::Done => read.finished = true,
                    OpStatus::Failed(e) => {
                        read.failure.get_or_insert(JobError::Ftp {
                            command: COMMAND,
                            error: e,
                            transferred: self.bytes,
                        });
                    }
                    // A reminder: data is still there.
                    _ => {}
                }
                Reply::Took(None)
            }
            (
                State::Reading(read),
                Response::ReadHeader {
                    op: ReadOp::Get,
                    len,
                },
                None,
            ) => {
                read.header = Some(len);
                if len > u32::from(MAX_READ) {
                    read.failure.get_or_insert(JobError::Protocol {
                        command: COMMAND,
                        error: ProtocolError::TooMuch {
                            asked: u32::from(MAX_READ),
                            confirmed: len,
                        },
                    });
                }
                Reply::Took(None)
            }
            (State::Reading(read), Response::Data(data), None) if read.header.is_some() => {
                let offset = u64::from(self.offset) + self.bytes;
                self.bytes += data.len() as u64;
                Reply::Took(Some(Event::Data {
                    job: ctx.id,
                    offset,
                    data,
                }))
            }
            _ => Reply::NotMine,
        }
    }

    pub(crate) fn on_final(&mut self, sent: Sent, result: Result<(), ModemError>) -> Flow {
        match (self.state, result) {
            (State::Reading(read), Err(_)) if read.draining => Flow::End(self.done()),
            (
                State::Reading(Read {
                    failure: Some(e), ..
                }),
                _,
            ) => Flow::End(Err(e)),
            (_, Err(e)) => refused(sent.name, e),
            (State::Type, Ok(())) => self.next(State::Rest),
            (State::Rest, Ok(())) => self.next(State::Path),
            (State::Path, Ok(())) => self.next(State::Name),
            (State::Name, Ok(())) => self.next(State::Open { early: None }),
            (State::Open { early }, Ok(())) => {
                self.state = State::AwaitData;
                match early.and_then(|s| self.on_status(s)) {
                    Some(end) => Flow::End(end),
                    None => Flow::Continue,
                }
            }
            (State::AwaitData, Ok(())) => Flow::Continue,
            (State::Reading(read), Ok(())) => match read.header {
                None => Flow::End(Err(JobError::Protocol {
                    command: COMMAND,
                    error: ProtocolError::BadAnswer {
                        expected: Answer::ReadHeader(ReadOp::Get),
                        came: Instead::OkAlone,
                    },
                })),
                Some(0) if read.draining || read.finished => Flow::End(self.done()),
                // Empty for now: wait for the next `+FTPGET: 1,1`.
                Some(0) => self.next(State::AwaitData),
                Some(_) => self.next(State::Reading(Read {
                    draining: read.draining || read.finished,
                    ..Read::default()
                })),
            },
        }
    }

    fn next(&mut self, state: State) -> Flow {
        self.state = state;
        Flow::Continue
    }

    pub(crate) fn on_timeout(&mut self, deadline: Deadline) -> Flow {
        timed_out(deadline, COMMAND)
    }
}
