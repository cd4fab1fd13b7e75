//! The bring-up job (`SPEC-simcom.md` §3.2, §4.7, §6 item 24): `AT`
//! (retried while the modem boots), `ATE0`, the bearer parameters
//! (`AT+SAPBR=3,<cid>,…`: `Contype`, `APN`, and `USER` and `PWD` when
//! given), then `AT+SAPBR=2,<cid>`: status 1 is done, 3 opens the bearer
//! with `AT+SAPBR=1,<cid>`, 0 or 2 asks again after a pause, up to the
//! bearer-open timeout. An `ERROR` to the open is followed by one more
//! status query, and status 1 then counts as success.

use cellftp_proto::simcom::{
    Bearer, BearerParam, Command, CommandName, Field, Info, InfoName, PasswordBuf, QuotedBuf,
    Response,
};

use super::{Ctx, Deadline, Flow, Reply, Step};
use crate::error::ModemError;
use crate::simcom::channel::Sent;
use crate::simcom::config::Model;
use crate::simcom::error::{Answer, Instead, JobError, ProtocolError};
use crate::simcom::event::Outcome;
use crate::Instant;

/// A status query in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Query {
    /// The `<status>` of the answer, once it came.
    status: Option<u32>,
    /// A `+SAPBR:` line came (its status a number or not).
    line: bool,
    /// The query follows an `ERROR` to the open: this error unless
    /// status 1.
    open_error: Option<ModemError>,
}

/// Where bring-up is: the command of each state is in flight, or next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Probe {
        tries: u8,
    },
    EchoOff,
    Contype,
    Apn,
    User,
    Password,
    Query(Query),
    /// A pause before the next query.
    Pause,
    Open,
}

/// The bearer password, from given to sent.
#[derive(Debug)]
enum Secret {
    /// None was given: `PWD` is not set.
    Absent,
    /// Given, not yet answered by the modem.
    Pending(PasswordBuf),
    /// Sent, answered and wiped: it cannot be sent again (a wiped
    /// [`PasswordBuf`] would read as the empty password).
    Answered,
}

/// The bring-up job.
#[derive(Debug)]
pub(crate) struct BringUpJob {
    apn: QuotedBuf,
    user: Option<QuotedBuf>,
    password: Secret,
    /// When the first status query was answered "connecting".
    waiting_since: Option<Instant>,
    state: State,
}

impl BringUpJob {
    pub(crate) fn new(
        apn: QuotedBuf,
        user: Option<QuotedBuf>,
        password: Option<PasswordBuf>,
    ) -> Self {
        Self {
            apn,
            user,
            password: match password {
                Some(p) => Secret::Pending(p),
                None => Secret::Absent,
            },
            waiting_since: None,
            state: State::Probe { tries: 0 },
        }
    }

    pub(crate) fn poll(&mut self, ctx: Ctx<'_>) -> Step<'_> {
        if ctx.config.model == Model::Sim7080 {
            // `SPEC-simcom.md` §3.2.1: not verified against the manual.
            return Step::Done(Err(JobError::Unsupported));
        }
        let cid = ctx.config.cid();
        let set = |param| Command::Sapbr(Bearer::Set { cid, param });
        let query = State::Query(Query {
            status: None,
            line: false,
            open_error: None,
        });
        loop {
            let command = match self.state {
                State::Probe { .. } => Command::At,
                State::EchoOff => Command::Echo(false),
                State::Contype => set(BearerParam::ContypeGprs),
                State::Apn => set(BearerParam::Apn(self.apn.quoted())),
                State::User => match &self.user {
                    Some(u) => set(BearerParam::User(u.quoted())),
                    // Not given: skipped.
                    None => {
                        self.state = State::Password;
                        continue;
                    }
                },
                State::Password => match &self.password {
                    Secret::Pending(p) => set(BearerParam::Password(p.password())),
                    // Not given, or already answered: nothing to send.
                    Secret::Absent | Secret::Answered => {
                        self.state = query;
                        continue;
                    }
                },
                State::Pause => {
                    self.state = query;
                    return Step::Pause(ctx.config.bearer_poll);
                }
                State::Open => Command::Sapbr(Bearer::Open { cid }),
                State::Query(_) => Command::Sapbr(Bearer::Query { cid }),
            };
            return Step::Send(command);
        }
    }

    pub(crate) fn on_item<'b>(&mut self, item: &Response<'b>) -> Reply<'b> {
        let State::Query(q) = &mut self.state else {
            return Reply::NotMine;
        };
        match item {
            Response::Info(Info {
                name: InfoName::Command(CommandName::Sapbr),
                fields,
            }) => {
                q.line = true;
                if let Some(Field::Number(status)) = fields.get(1) {
                    q.status = Some(status);
                }
                Reply::Took(None)
            }
            _ => Reply::NotMine,
        }
    }

    /// The status answered, and what follows.
    fn on_status(&mut self, ctx_now: Instant, q: Query, limit: core::time::Duration) -> Flow {
        let Some(status) = q.status else {
            return Flow::End(Err(JobError::Protocol {
                command: CommandName::Sapbr,
                error: ProtocolError::BadAnswer {
                    expected: Answer::BearerStatus,
                    came: if q.line {
                        Instead::NoStatus
                    } else {
                        Instead::OkAlone
                    },
                },
            }));
        };
        match (status, q.open_error) {
            (1, _) => Flow::End(Ok(Outcome::BroughtUp)),
            (_, Some(error)) => Flow::End(Err(JobError::Modem {
                command: CommandName::Sapbr,
                error,
            })),
            (3, None) => {
                self.state = State::Open;
                Flow::Continue
            }
            (0 | 2, None) => {
                let since = *self.waiting_since.get_or_insert(ctx_now);
                if ctx_now.saturating_duration_since(since) >= limit {
                    return Flow::End(Err(JobError::Timeout {
                        command: CommandName::Sapbr,
                    }));
                }
                self.state = State::Pause;
                Flow::Continue
            }
            (status, None) => Flow::End(Err(JobError::BearerNotOpen { status })),
        }
    }

    /// True while the probe in flight is `AT` sent again after an
    /// unanswered copy.
    pub(crate) fn probe_retried(&self) -> bool {
        matches!(self.state, State::Probe { tries } if tries > 0)
    }

    pub(crate) fn on_final_at(
        &mut self,
        ctx: Ctx<'_>,
        sent: Sent,
        result: Result<(), ModemError>,
    ) -> Flow {
        self.state = match (self.state, result) {
            (State::Query(q), Ok(())) => {
                return self.on_status(ctx.now, q, ctx.config.timeouts.bearer_open)
            }
            (State::Open, Err(error)) => State::Query(Query {
                status: None,
                line: false,
                open_error: Some(error),
            }),
            (_, Err(error)) => {
                return Flow::End(Err(JobError::Modem {
                    command: sent.name,
                    error,
                }))
            }
            (State::Probe { .. }, Ok(())) => State::EchoOff,
            (State::EchoOff, Ok(())) => State::Contype,
            (State::Contype, Ok(())) => State::Apn,
            (State::Apn, Ok(())) => State::User,
            (State::User, Ok(())) => State::Password,
            (State::Password, Ok(())) => State::Query(Query {
                status: None,
                line: false,
                open_error: None,
            }),
            (State::Open, Ok(())) => return Flow::End(Ok(Outcome::BroughtUp)),
            (State::Pause, Ok(())) => State::Pause,
        };
        Flow::Continue
    }

    pub(crate) fn on_timeout(&mut self, ctx: Ctx<'_>, deadline: Deadline) -> Flow {
        match (self.state, deadline) {
            (State::Probe { tries }, Deadline::Command(_))
                if tries + 1 < ctx.config.probe_attempts =>
            {
                // A booting modem ignores the first probes.
                self.state = State::Probe { tries: tries + 1 };
                Flow::Continue
            }
            (_, Deadline::Command(sent)) => {
                Flow::End(Err(JobError::Timeout { command: sent.name }))
            }
            (_, Deadline::Idle) => Flow::End(Err(JobError::Timeout {
                command: CommandName::Sapbr,
            })),
        }
    }

    /// The modem restarted (`RDY`, `+CFUN: 1`) during bring-up. Before
    /// the probe is answered that is the boot bring-up waits for. After it,
    /// the modem forgot echo off and the bearer's settings: bring-up starts
    /// again from the probe, unless the bearer password was already sent
    /// and wiped (it cannot be sent again). `false`: the job must fail.
    pub(crate) fn on_restart(&mut self) -> bool {
        let restartable = match self.state {
            State::Probe { .. } => return true,
            _ => !matches!(self.password, Secret::Answered),
        };
        if restartable {
            self.state = State::Probe { tries: 0 };
            self.waiting_since = None;
        }
        restartable
    }

    /// Wipes the bearer password once its `AT+SAPBR=3,…,"PWD",…` was
    /// answered.
    pub(crate) fn wipe(&mut self) {
        if self.state == State::Password {
            if let Secret::Pending(p) = &mut self.password {
                p.wipe();
                self.password = Secret::Answered;
            }
        }
    }
}
