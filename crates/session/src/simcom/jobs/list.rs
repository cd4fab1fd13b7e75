//! The list job (`SPEC-simcom.md` §4.4): `AT+FTPGETPATH="<dir>/"`, then
//! `AT+FTPLIST=1`, driven by its URCs as the get job is; the payloads of
//! `AT+FTPLIST=2,<n>` go to the session's line buffer, which reports the
//! listing line by line however the reads cut it.

use cellftp_proto::simcom::{
    Command, CommandName, Op, OpStatus, QuotedBuf, ReadOp, Response, Transfer, MAX_READ,
};
use cellftp_proto::Setting;

use super::{op_urc, refused, Ctx, Flow, Reply, Step};
use crate::error::ModemError;
use crate::simcom::channel::Sent;
use crate::simcom::error::{Answer, Instead, JobError, ProtocolError};
use crate::simcom::event::Outcome;

/// A read in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Read {
    header: Option<u32>,
    finished: bool,
    failure: Option<JobError>,
    draining: bool,
}

/// Where the listing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Path,
    Open {
        early: Option<OpStatus>,
    },
    AwaitData,
    Reading(Read),
    /// Done: the lines still buffered are reported first.
    Flushing,
}

/// The list job.
#[derive(Debug)]
pub(crate) struct ListJob {
    dir: QuotedBuf,
    state: State,
}

const COMMAND: CommandName = CommandName::FtpList;

impl ListJob {
    pub(crate) fn new(dir: QuotedBuf) -> Self {
        Self {
            dir,
            state: State::Path,
        }
    }

    /// True once the listing is complete and only its buffered lines are
    /// left to report (the last one may lack a line end).
    pub(crate) fn flushing(&self) -> bool {
        self.state == State::Flushing
    }

    pub(crate) fn poll(&mut self, ctx: Ctx<'_>) -> Step<'_> {
        Step::Send(match self.state {
            State::Path => Command::FtpGetPath(Setting::Set(self.dir.quoted())),
            State::Open { .. } => Command::FtpList(Transfer::Open),
            State::AwaitData => {
                return Step::Wait {
                    urc: true,
                    event: None,
                }
            }
            State::Reading(_) => Command::FtpList(Transfer::Read(MAX_READ)),
            State::Flushing if ctx.lines_pending => {
                return Step::Wait {
                    urc: false,
                    event: None,
                }
            }
            State::Flushing => {
                let (entries, lines) = ctx.listed;
                return Step::Done(Ok(Outcome::Listed { entries, lines }));
            }
        })
    }

    fn on_status(&mut self, status: OpStatus) -> Option<Result<Outcome, JobError>> {
        match status {
            OpStatus::Open => self.state = State::Reading(Read::default()),
            OpStatus::Done => {
                self.state = State::Reading(Read {
                    draining: true,
                    ..Read::default()
                })
            }
            OpStatus::Failed(error) => {
                return Some(Err(JobError::Ftp {
                    command: COMMAND,
                    error,
                    transferred: 0,
                }))
            }
            OpStatus::PutReady { .. } | OpStatus::Size(_) => {}
        }
        None
    }

    pub(crate) fn on_item<'b>(&mut self, item: &Response<'b>) -> Reply<'b> {
        let status = op_urc(item, Op::List);
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
                    OpStatus::Failed(error) => {
                        read.failure.get_or_insert(JobError::Ftp {
                            command: COMMAND,
                            error,
                            transferred: 0,
                        });
                    }
                    _ => {}
                }
                Reply::Took(None)
            }
            (
                State::Reading(read),
                Response::ReadHeader {
                    op: ReadOp::List,
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
                Reply::ListData(data)
            }
            _ => Reply::NotMine,
        }
    }

    pub(crate) fn on_final(&mut self, sent: Sent, result: Result<(), ModemError>) -> Flow {
        match (self.state, result) {
            (State::Reading(read), Err(_)) if read.draining => self.next(State::Flushing),
            (
                State::Reading(Read {
                    failure: Some(e), ..
                }),
                _,
            ) => Flow::End(Err(e)),
            (_, Err(e)) => refused(sent.name, e),
            (State::Path, Ok(())) => self.next(State::Open { early: None }),
            (State::Open { early }, Ok(())) => {
                self.state = State::AwaitData;
                match early.and_then(|s| self.on_status(s)) {
                    Some(end) => Flow::End(end),
                    None => Flow::Continue,
                }
            }
            (State::AwaitData | State::Flushing, Ok(())) => Flow::Continue,
            (State::Reading(read), Ok(())) => match read.header {
                None => Flow::End(Err(JobError::Protocol {
                    command: COMMAND,
                    error: ProtocolError::BadAnswer {
                        expected: Answer::ReadHeader(ReadOp::List),
                        came: Instead::OkAlone,
                    },
                })),
                Some(0) if read.draining || read.finished => self.next(State::Flushing),
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
}
