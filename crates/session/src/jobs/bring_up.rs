//! The bring-up job: `AT` (retried by the channel while the modem boots),
//! `ATE0`, `AT+CFUN=1`, `AT+CGACT=1,<cid>`, each as [`BringUp`] says.

use cellftp_proto::{Cfun, Cgact, Command, CommandName, Setting};

use super::{Flow, Step};
use crate::config::BringUp;
use crate::error::ModemError;
use crate::event::Outcome;
use crate::jobs::refused;

/// Where bring-up is: the command of each state is in flight, or next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Probe,
    EchoOff,
    FullFunctionality,
    PdpContext,
    Done,
}

/// The bring-up job.
#[derive(Debug)]
pub(crate) struct BringUpJob {
    options: BringUp,
    state: State,
}

impl BringUpJob {
    pub(crate) fn new(options: BringUp) -> Self {
        Self {
            options,
            state: State::Probe,
        }
    }

    /// The command of `state`, if the options ask for it.
    fn command(&self, state: State) -> Option<Command<'static>> {
        let o = &self.options;
        match state {
            State::Probe => o.probe.then_some(Command::At),
            State::EchoOff => o.echo_off.then_some(Command::Echo(false)),
            State::FullFunctionality => {
                o.full_functionality
                    .then_some(Command::Cfun(Setting::Set(Cfun {
                        fun: 1,
                        reset: None,
                    })))
            }
            State::PdpContext => o.pdp_context.map(|cid| {
                Command::Cgact(Setting::Set(Cgact {
                    activate: true,
                    cid: Some(cid),
                }))
            }),
            State::Done => None,
        }
    }

    pub(crate) fn poll(&mut self) -> Step<'static> {
        loop {
            if self.state == State::Done {
                return Step::Done(Ok(Outcome::BroughtUp));
            }
            if let Some(command) = self.command(self.state) {
                return Step::Send(command);
            }
            self.state = next(self.state);
        }
    }

    pub(crate) fn on_final(
        &mut self,
        command: CommandName,
        result: Result<(), ModemError>,
    ) -> Flow {
        match result {
            Ok(()) => {
                self.state = next(self.state);
                Flow::Continue
            }
            Err(e) => refused(command, e),
        }
    }
}

/// The state after `state`.
fn next(state: State) -> State {
    match state {
        State::Probe => State::EchoOff,
        State::EchoOff => State::FullFunctionality,
        State::FullFunctionality => State::PdpContext,
        State::PdpContext | State::Done => State::Done,
    }
}
