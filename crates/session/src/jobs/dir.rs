//! The directory jobs: `AT+FTPMKD=<dir>` or `AT+FTPRMD=<dir>`.

use cellftp_proto::{Command, CommandName, Operation, TextBuf};

use super::{after, Flow, Step};
use crate::error::ModemError;
use crate::event::Outcome;

/// Create or remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DirOp {
    Make,
    Remove,
}

/// A mkdir or rmdir job: one command.
#[derive(Debug)]
pub(crate) struct DirJob {
    op: DirOp,
    dir: TextBuf,
}

impl DirJob {
    pub(crate) fn new(op: DirOp, dir: TextBuf) -> Self {
        Self { op, dir }
    }

    pub(crate) fn poll(&mut self) -> Step<'_> {
        let dir = Operation::Run(self.dir.text());
        Step::Send(match self.op {
            DirOp::Make => Command::FtpMkd(dir),
            DirOp::Remove => Command::FtpRmd(dir),
        })
    }

    pub(crate) fn on_final(
        &mut self,
        command: CommandName,
        result: Result<(), ModemError>,
    ) -> Flow {
        let outcome = match self.op {
            DirOp::Make => Outcome::DirectoryCreated,
            DirOp::Remove => Outcome::DirectoryRemoved,
        };
        after(command, result, Flow::End(Ok(outcome)))
    }
}
