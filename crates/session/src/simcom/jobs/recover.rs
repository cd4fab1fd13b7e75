//! The recovery after a job that may have left its operation running (a
//! timeout, a cancel, a refusal after the operation started;
//! `SPEC-simcom.md` §4.6 and §6 item 33), run by the session before the
//! next job, never queued by the caller, and always in step with the
//! modem (the channel's probe goes first when an answer was lost):
//! `AT+FTPSTATE`; if an operation still runs (`+FTPSTATE: 1`),
//! `AT+FTPQUIT`, then up to the local timeout for the operation's ending
//! URC; without one, `AT+FTPSTATE` again (at most
//! [`crate::simcom::Config::probe_attempts`] rounds). Every URC that
//! arrives meanwhile is the old operation's: reported as unsolicited,
//! never given to a job. Its end is not reported.

use cellftp_proto::simcom::{Command, CommandName, Field, Info, InfoName, OpStatus, Response, Urc};
use cellftp_proto::Action;

use super::{Ctx, Flow, Reply, Step};
use crate::error::ModemError;
use crate::simcom::channel::Sent;
use crate::simcom::event::Outcome;

/// Where recovery is; `round` counts the `AT+FTPSTATE`s asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// `AT+FTPSTATE` next or in flight; `running` once it said 1.
    Ask { round: u8, running: bool },
    /// `AT+FTPQUIT` next or in flight; `ended` once the operation's
    /// ending URC came.
    Quit { round: u8, ended: bool },
    /// `AT+FTPQUIT` answered: waiting for the operation's ending URC.
    AwaitEnd { round: u8, paused: bool },
}

/// The recovery job.
#[derive(Debug)]
pub(crate) struct RecoverJob {
    state: State,
}

/// True for an operation's URC that ends it.
fn is_ending(item: &Response<'_>) -> bool {
    matches!(
        item,
        Response::Urc(Urc::Ftp {
            status: OpStatus::Done | OpStatus::Failed(_) | OpStatus::Size(_),
            ..
        })
    )
}

impl RecoverJob {
    pub(crate) fn new() -> Self {
        Self {
            state: State::Ask {
                round: 1,
                running: false,
            },
        }
    }

    pub(crate) fn poll(&mut self, ctx: Ctx<'_>) -> Step<'static> {
        match self.state {
            State::Ask { .. } => Step::Send(Command::FtpState(Action::Execute)),
            State::Quit { .. } => Step::Send(Command::FtpQuit(Action::Execute)),
            State::AwaitEnd {
                round,
                paused: false,
            } => {
                self.state = State::AwaitEnd {
                    round,
                    paused: true,
                };
                Step::Pause(ctx.config.timeouts.local)
            }
            // No ending URC in time: ask again.
            State::AwaitEnd {
                round,
                paused: true,
            } => {
                if round >= ctx.config.probe_attempts {
                    return Step::Done(Ok(Outcome::Quit));
                }
                self.state = State::Ask {
                    round: round + 1,
                    running: false,
                };
                Step::Send(Command::FtpState(Action::Execute))
            }
        }
    }

    pub(crate) fn on_item<'b>(&mut self, item: &Response<'b>) -> Reply<'b> {
        match (&mut self.state, item) {
            (
                State::Ask { running, .. },
                Response::Info(Info {
                    name: InfoName::Command(CommandName::FtpState),
                    fields,
                }),
            ) => {
                *running = fields.get(0) == Some(Field::Number(1));
                Reply::Took(None)
            }
            (State::Quit { ended, .. }, item) if is_ending(item) => {
                *ended = true;
                Reply::NotMine
            }
            // The quit operation's end: reported, and recovery is over.
            (State::AwaitEnd { .. }, item) if is_ending(item) => Reply::Seen(Ok(Outcome::Quit)),
            _ => Reply::NotMine,
        }
    }

    pub(crate) fn on_final(&mut self, _sent: Sent, result: Result<(), ModemError>) -> Flow {
        match (self.state, result) {
            (
                State::Ask {
                    round,
                    running: true,
                },
                Ok(()),
            ) => {
                self.state = State::Quit {
                    round,
                    ended: false,
                };
                Flow::Continue
            }
            (
                State::Quit {
                    round,
                    ended: false,
                },
                _,
            ) => {
                self.state = State::AwaitEnd {
                    round,
                    paused: false,
                };
                Flow::Continue
            }
            // Idle, refused, or quit and ended: the next job may start.
            _ => Flow::End(Ok(Outcome::Quit)),
        }
    }
}
