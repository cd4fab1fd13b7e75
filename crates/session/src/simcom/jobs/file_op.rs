//! The mkdir, rmdir, delete and size jobs (`SPEC-simcom.md` §4.5): for size
//! `AT+FTPTYPE="I"` first, then `AT+FTPGETPATH="<dir>/"`, for delete and
//! size `AT+FTPGETNAME`, then the operation, answered `OK` and later by its
//! URC `+<NAME>: 1,0[,<size>]` or `+<NAME>: 1,<err>`.

use cellftp_proto::simcom::{Command, Op, OpStatus, QuotedBuf, Response};

use cellftp_proto::{Action, Setting, TransferType};

use super::{op_urc, refused, timed_out, Deadline, Flow, Reply, Step};
use crate::error::ModemError;
use crate::simcom::channel::Sent;
use crate::simcom::error::JobError;
use crate::simcom::event::Outcome;

/// Which operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileOp {
    Mkdir,
    Rmdir,
    Delete,
    Size,
}

impl FileOp {
    fn op(self) -> Op {
        match self {
            FileOp::Mkdir => Op::Mkd,
            FileOp::Rmdir => Op::Rmd,
            FileOp::Delete => Op::Dele,
            FileOp::Size => Op::Size,
        }
    }
}

/// Where the job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Type,
    Path,
    Name,
    /// The operation's command in flight; a URC that came before its `OK`.
    Run {
        early: Option<OpStatus>,
    },
    /// Waiting for the ending URC.
    Urc,
}

/// A mkdir, rmdir, delete or size job.
#[derive(Debug)]
pub(crate) struct FileOpJob {
    op: FileOp,
    dir: QuotedBuf,
    name: Option<QuotedBuf>,
    state: State,
}

impl FileOpJob {
    /// `name` for delete and size.
    pub(crate) fn new(op: FileOp, dir: QuotedBuf, name: Option<QuotedBuf>) -> Self {
        let state = if op == FileOp::Size {
            State::Type
        } else {
            State::Path
        };
        Self {
            op,
            dir,
            name,
            state,
        }
    }

    pub(crate) fn poll(&mut self) -> Step<'_> {
        let command = match self.state {
            State::Type => Command::FtpType(Setting::Set(TransferType::Binary)),
            State::Path => Command::FtpGetPath(Setting::Set(self.dir.quoted())),
            State::Name => match &self.name {
                Some(name) => Command::FtpGetName(Setting::Set(name.quoted())),
                None => {
                    // The verbs give delete and size their name: never
                    // none. Were it, the job ends before the server is
                    // asked anything (it never runs the operation on the
                    // name the modem had before).
                    debug_assert!(false, "a name for delete and size");
                    return Step::Done(Err(JobError::Cancelled));
                }
            },
            State::Run { .. } => match self.op {
                FileOp::Mkdir => Command::FtpMkd(Action::Execute),
                FileOp::Rmdir => Command::FtpRmd(Action::Execute),
                FileOp::Delete => Command::FtpDele(Action::Execute),
                FileOp::Size => Command::FtpSize(Action::Execute),
            },
            State::Urc => {
                return Step::Wait {
                    urc: true,
                    event: None,
                }
            }
        };
        Step::Send(command)
    }

    /// The job's end for the operation's `status`, if it is an end.
    fn end(&self, status: OpStatus) -> Option<Result<Outcome, JobError>> {
        let command = self.op.op().command();
        Some(match (self.op, status) {
            (_, OpStatus::Failed(error)) => Err(JobError::Ftp {
                command,
                error,
                transferred: 0,
            }),
            (FileOp::Size, OpStatus::Size(bytes)) => Ok(Outcome::Size { bytes }),
            (FileOp::Mkdir, OpStatus::Done) => Ok(Outcome::DirectoryCreated),
            (FileOp::Rmdir, OpStatus::Done) => Ok(Outcome::DirectoryRemoved),
            (FileOp::Delete, OpStatus::Done) => Ok(Outcome::Deleted),
            _ => return None,
        })
    }

    pub(crate) fn on_item<'b>(&mut self, item: &Response<'b>) -> Reply<'b> {
        let Some(status) = op_urc(item, self.op.op()) else {
            return Reply::NotMine;
        };
        match self.state {
            State::Run { .. } => {
                self.state = State::Run {
                    early: Some(status),
                };
                Reply::Took(None)
            }
            State::Urc => match self.end(status) {
                Some(result) => Reply::End(result),
                None => Reply::Took(None),
            },
            _ => Reply::NotMine,
        }
    }

    pub(crate) fn on_final(&mut self, sent: Sent, result: Result<(), ModemError>) -> Flow {
        if let Err(e) = result {
            return refused(sent.name, e);
        }
        self.state = match self.state {
            State::Type => State::Path,
            State::Path if self.name.is_some() => State::Name,
            State::Path | State::Name => State::Run { early: None },
            State::Run {
                early: Some(status),
            } => match self.end(status) {
                Some(result) => return Flow::End(result),
                None => State::Urc,
            },
            State::Run { early: None } | State::Urc => State::Urc,
        };
        Flow::Continue
    }

    pub(crate) fn on_timeout(&mut self, deadline: Deadline) -> Flow {
        timed_out(deadline, self.op.op().command())
    }
}
