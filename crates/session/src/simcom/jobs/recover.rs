//! The recovery after a timeout (`SPEC-simcom.md` §4.6), run by the session
//! before the next job, never queued by the caller: `AT+FTPSTATE`; if an
//! operation still runs (`+FTPSTATE: 1`), `AT+FTPQUIT`. Its end is not
//! reported: whatever it finds, the next job starts after it.

use cellftp_proto::simcom::{Command, CommandName, Field, Info, InfoName, Response};
use cellftp_proto::Action;

use super::{Flow, Reply, Step};
use crate::error::ModemError;
use crate::simcom::channel::Sent;
use crate::simcom::event::Outcome;

/// Where recovery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// `AT+FTPSTATE` next or in flight; `running` once it said 1.
    Ask { running: bool },
    /// `AT+FTPQUIT` next or in flight.
    Quit,
}

/// The recovery job.
#[derive(Debug)]
pub(crate) struct RecoverJob {
    state: State,
}

impl RecoverJob {
    pub(crate) fn new() -> Self {
        Self {
            state: State::Ask { running: false },
        }
    }

    pub(crate) fn poll(&mut self) -> Step<'static> {
        Step::Send(match self.state {
            State::Ask { .. } => Command::FtpState(Action::Execute),
            State::Quit => Command::FtpQuit(Action::Execute),
        })
    }

    pub(crate) fn on_item<'b>(&mut self, item: &Response<'b>) -> Reply<'b> {
        match (&mut self.state, item) {
            (
                State::Ask { running },
                Response::Info(Info {
                    name: InfoName::Command(CommandName::FtpState),
                    fields,
                }),
            ) => {
                *running = fields.get(0) == Some(Field::Number(1));
                Reply::Took(None)
            }
            _ => Reply::NotMine,
        }
    }

    pub(crate) fn on_final(&mut self, _sent: Sent, result: Result<(), ModemError>) -> Flow {
        match (self.state, result) {
            (State::Ask { running: true }, Ok(())) => {
                self.state = State::Quit;
                Flow::Continue
            }
            // Idle, refused, or quit: the next job may start.
            _ => Flow::End(Ok(Outcome::Quit)),
        }
    }
}
