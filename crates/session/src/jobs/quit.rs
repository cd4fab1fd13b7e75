//! The quit job: `AT+FTPQUIT`.

use cellftp_proto::{Action, Command, CommandName};

use super::{after, Flow, Step};
use crate::error::ModemError;
use crate::event::Outcome;

/// The quit job: one command.
#[derive(Debug, Default)]
pub(crate) struct QuitJob;

impl QuitJob {
    pub(crate) fn poll(&mut self) -> Step<'static> {
        Step::Send(Command::FtpQuit(Action::Execute))
    }

    pub(crate) fn on_final(
        &mut self,
        command: CommandName,
        result: Result<(), ModemError>,
    ) -> Flow {
        after(command, result, Flow::End(Ok(Outcome::Quit)))
    }
}
