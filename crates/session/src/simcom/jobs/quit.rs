//! The quit job: `AT+FTPQUIT`. Between operations there is nothing to quit,
//! and `OK` and `ERROR` both mean "nothing runs" (`SPEC-simcom.md` §6 item
//! 23).

use cellftp_proto::simcom::Command;
use cellftp_proto::Action;

use super::{Flow, Step};
use crate::error::ModemError;
use crate::simcom::channel::Sent;
use crate::simcom::event::Outcome;

/// The quit job: one command.
#[derive(Debug)]
pub(crate) struct QuitJob;

impl QuitJob {
    pub(crate) fn poll(&mut self) -> Step<'static> {
        Step::Send(Command::FtpQuit(Action::Execute))
    }

    pub(crate) fn on_final(&mut self, _sent: Sent, _result: Result<(), ModemError>) -> Flow {
        Flow::End(Ok(Outcome::Quit))
    }
}
