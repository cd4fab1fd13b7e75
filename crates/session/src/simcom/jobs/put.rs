//! The put job (`SPEC-simcom.md` §4.3): `AT+FTPTYPE="I"`, `AT+FTPPUTOPT`,
//! `AT+FTPPUTPATH="<dir>/"`, `AT+FTPPUTNAME`, then `AT+FTPPUT=1`. Each
//! `+FTPPUT: 1,1,<maxlength>` is one credit for one chunk: the caller's
//! bytes (at most `<maxlength>` and 1460) are announced with
//! `AT+FTPPUT=2,<n>`, and exactly the `<cnf>` bytes the modem's
//! `+FTPPUT: 2,<cnf>` confirms are written; bytes it did not take go in the
//! next chunk. `AT+FTPPUT=2,0` ends the upload, also after a failed chunk,
//! unless an error URC closed it already; success is `+FTPPUT: 1,0` after
//! that.

use cellftp_proto::simcom::{
    Command, CommandName, Op, OpStatus, PutOpt, QuotedBuf, Response, Upload, MAX_PUT_DATA,
};
use cellftp_proto::{Setting, TransferType};

use super::{op_urc, refused, Ctx, Deadline, Flow, Reply, Step};
use crate::error::ModemError;
use crate::simcom::channel::Sent;
use crate::simcom::error::{JobError, ProtocolError};
use crate::simcom::event::{Event, Outcome};

/// A chunk announced with `AT+FTPPUT=2,<n>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Write {
    n: u32,
    /// The bytes written for it: the `<cnf>` of the modem's
    /// `+FTPPUT: 2,<cnf>` (the session writes them right after), `None`
    /// until that header comes, and `Some(0)` for a `<cnf>` above `n`
    /// (nothing is written). An `OK` without the header took no bytes.
    written: Option<u32>,
}

/// Where the upload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Type,
    Opt,
    Path,
    Name,
    /// `AT+FTPPUT=1` in flight.
    Open,
    /// Waiting for a credit (`+FTPPUT: 1,1,<max>`).
    AwaitCredit,
    /// A credit of `max` bytes: waiting for the caller's chunk or end;
    /// `announced` once [`Event::PutReady`] was reported.
    AwaitCaller {
        max: u32,
        announced: bool,
    },
    /// A chunk was acknowledged: [`Event::PutProgress`] next.
    Acked,
    /// A chunk announced, its bytes written or owed, its final result due.
    Writing(Write),
    /// `AT+FTPPUT=2,0` next or in flight.
    Ending,
    /// Waiting for `+FTPPUT: 1,0`.
    AwaitClosed,
}

/// The put job.
#[derive(Debug)]
pub(crate) struct PutJob {
    dir: QuotedBuf,
    name: QuotedBuf,
    opt: PutOpt,
    /// Bytes the modem accepted.
    bytes: u64,
    /// Bytes of the caller's chunk not written yet (the session holds them).
    pending: u32,
    /// A credit that came while a chunk was in flight.
    credit: Option<u32>,
    /// What went wrong, reported once the upload is closed.
    failure: Option<JobError>,
    /// An error or end URC closed the modem's session: no `=2,0`.
    closed: bool,
    state: State,
}

const COMMAND: CommandName = CommandName::FtpPut;

impl PutJob {
    pub(crate) fn new(dir: QuotedBuf, name: QuotedBuf, opt: PutOpt) -> Self {
        Self {
            dir,
            name,
            opt,
            bytes: 0,
            pending: 0,
            credit: None,
            failure: None,
            closed: false,
            state: State::Type,
        }
    }

    pub(crate) fn poll(&mut self, ctx: Ctx<'_>) -> Step<'_> {
        let command = match self.state {
            State::Type if ctx.echo_on => return Step::Done(Err(JobError::EchoOn)),
            State::Type => Command::FtpType(Setting::Set(TransferType::Binary)),
            State::Opt => Command::FtpPutOpt(Setting::Set(self.opt)),
            State::Path => Command::FtpPutPath(Setting::Set(self.dir.quoted())),
            State::Name => Command::FtpPutName(Setting::Set(self.name.quoted())),
            State::Open => Command::FtpPut(Upload::Open),
            State::AwaitCredit | State::AwaitClosed => {
                return Step::Wait {
                    urc: true,
                    event: None,
                }
            }
            State::AwaitCaller { max, announced } => {
                self.state = State::AwaitCaller {
                    max,
                    announced: true,
                };
                let event = (!announced).then_some(Event::PutReady {
                    job: ctx.id,
                    max: max as usize,
                });
                return Step::Wait { urc: false, event };
            }
            State::Acked => {
                match self.credit.take() {
                    Some(max) => self.credited(max),
                    None => self.state = State::AwaitCredit,
                }
                return Step::Wait {
                    urc: false,
                    event: Some(Event::PutProgress {
                        job: ctx.id,
                        bytes: self.bytes,
                    }),
                };
            }
            // The bytes are staged by the session from the header; the
            // announcement is sent once.
            State::Writing(w) => Command::FtpPut(Upload::Write(w.n as u16)),
            State::Ending => Command::FtpPut(Upload::End),
        };
        Step::Send(command)
    }

    /// A credit of `max` bytes: the rest of the chunk goes, or the caller
    /// is asked for the next.
    fn credited(&mut self, max: u32) {
        let max = max.min(MAX_PUT_DATA as u32);
        if max == 0 {
            // "Not ready now": wait for the next credit.
            self.state = State::AwaitCredit;
        } else if self.pending > 0 {
            self.state = State::Writing(Write {
                n: self.pending.min(max),
                written: None,
            });
        } else {
            self.state = State::AwaitCaller {
                max,
                announced: false,
            };
        }
    }

    pub(crate) fn awaits_data(&self) -> bool {
        matches!(self.state, State::AwaitCaller { .. })
    }

    pub(crate) fn chunk_max(&self) -> usize {
        match self.state {
            State::AwaitCaller { max, .. } => max as usize,
            _ => 0,
        }
    }

    pub(crate) fn chunk_given(&mut self, len: usize) {
        debug_assert!(self.awaits_data());
        self.pending = len as u32;
        self.state = State::Writing(Write {
            n: len as u32,
            written: None,
        });
    }

    pub(crate) fn finish(&mut self) {
        debug_assert!(self.awaits_data());
        self.state = State::Ending;
    }

    /// The job's end now, with the failure if there was one.
    fn end(&self) -> Flow {
        Flow::End(match self.failure {
            Some(e) => Err(e),
            None => Ok(Outcome::Uploaded { bytes: self.bytes }),
        })
    }

    /// True while a command of the job's is in flight (its final result
    /// decides what comes next).
    fn in_flight(&self) -> bool {
        matches!(self.state, State::Open | State::Writing(_) | State::Ending)
    }

    pub(crate) fn on_item<'b>(&mut self, ctx: Ctx<'_>, item: &Response<'b>) -> Reply<'b> {
        if let (State::Writing(w), Response::PutHeader { cnf }) = (&mut self.state, *item) {
            if let Some(first) = w.written {
                // A second answer to one announcement: how many bytes the
                // modem now counts is unknown. Nothing more is written; the
                // upload is ended after the final result, as failed.
                self.failure.get_or_insert(JobError::Protocol {
                    command: COMMAND,
                    error: ProtocolError::ConfirmedTwice { first, again: cnf },
                });
                return Reply::Took(None);
            }
            if !ctx
                .in_flight
                .is_some_and(|sent| sent.name == COMMAND && !sent.data)
            {
                // `AT+FTPPUT=2,<n>` has not gone out yet: not its answer.
                return Reply::NotMine;
            }
            if cnf > w.n {
                // Nothing is written; the final result (or its timeout)
                // comes, then the upload is ended.
                self.failure.get_or_insert(JobError::Protocol {
                    command: COMMAND,
                    error: ProtocolError::TooMuch {
                        asked: w.n,
                        confirmed: cnf,
                    },
                });
                w.written = Some(0);
                return Reply::Took(None);
            }
            w.written = Some(cnf);
            return if cnf == 0 {
                Reply::Took(None)
            } else {
                Reply::Owe(cnf)
            };
        }
        let Some(status) = op_urc(item, Op::Put) else {
            return Reply::NotMine;
        };
        match status {
            OpStatus::PutReady { max } => match self.state {
                State::AwaitCredit => {
                    self.credited(max);
                    Reply::Took(None)
                }
                State::AwaitClosed => Reply::Took(None),
                _ => {
                    self.credit = Some(max);
                    Reply::Took(None)
                }
            },
            OpStatus::Done if self.state == State::AwaitClosed => Reply::End(match self.end() {
                Flow::End(r) => r,
                Flow::Continue => Ok(Outcome::Uploaded { bytes: self.bytes }),
            }),
            OpStatus::Done | OpStatus::Failed(_) => {
                let error = match status {
                    OpStatus::Failed(error) => JobError::Ftp {
                        command: COMMAND,
                        error,
                        transferred: self.bytes,
                    },
                    _ => JobError::Protocol {
                        command: COMMAND,
                        error: ProtocolError::FinishedEarly,
                    },
                };
                // An ending URC closes the modem's session.
                self.closed = true;
                if self.state == State::AwaitClosed {
                    self.failure = Some(self.failure.unwrap_or(error));
                } else {
                    self.failure.get_or_insert(error);
                }
                if self.in_flight() {
                    Reply::Took(None)
                } else {
                    Reply::End(Err(self.failure.unwrap_or(error)))
                }
            }
            OpStatus::Open | OpStatus::Size(_) => Reply::NotMine,
        }
    }

    pub(crate) fn on_final(&mut self, sent: Sent, result: Result<(), ModemError>) -> Flow {
        match (self.state, result) {
            (State::Type, Ok(())) => self.state = State::Opt,
            (State::Opt, Ok(())) => self.state = State::Path,
            (State::Path, Ok(())) => self.state = State::Name,
            (State::Name, Ok(())) => self.state = State::Open,
            (State::Open, Ok(())) => {
                if self.closed {
                    return self.end();
                }
                match self.credit.take() {
                    Some(max) => self.credited(max),
                    None => self.state = State::AwaitCredit,
                }
            }
            (State::Writing(w), result) => {
                if let Err(error) = result {
                    self.failure.get_or_insert(JobError::Modem {
                        command: sent.name,
                        error,
                    });
                } else {
                    // An `OK` without the header took no bytes.
                    let written = w.written.unwrap_or(0);
                    self.bytes += u64::from(written);
                    self.pending = self.pending.saturating_sub(written);
                }
                if self.closed {
                    return self.end();
                }
                self.state = if self.failure.is_some() {
                    State::Ending
                } else {
                    State::Acked
                };
            }
            (State::Ending, Ok(())) => {
                if self.closed {
                    return self.end();
                }
                self.state = State::AwaitClosed;
            }
            (State::Ending, Err(error)) => {
                self.failure.get_or_insert(JobError::Modem {
                    command: sent.name,
                    error,
                });
                return self.end();
            }
            (_, Err(e)) => return refused(sent.name, e),
            (
                State::AwaitCredit | State::AwaitCaller { .. } | State::Acked | State::AwaitClosed,
                Ok(()),
            ) => {}
        }
        Flow::Continue
    }

    pub(crate) fn on_timeout(&mut self, deadline: Deadline) -> Flow {
        let command = match deadline {
            Deadline::Command(sent) => sent.name,
            Deadline::Idle => COMMAND,
        };
        self.failure.get_or_insert(JobError::Timeout { command });
        match self.state {
            // The upload is open: end it.
            State::Writing(_) | State::AwaitCredit if !self.closed => {
                self.state = State::Ending;
                Flow::Continue
            }
            _ => self.end(),
        }
    }
}
