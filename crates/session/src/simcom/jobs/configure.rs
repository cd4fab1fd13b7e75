//! The configure job: `AT+FTPCID`, `AT+FTPSERV`, `AT+FTPPORT`, `AT+FTPUN`,
//! `AT+FTPPW`, `AT+FTPMODE`, all local settings (`SPEC-simcom.md` §4.7).
//! The password is held in a [`PasswordBuf`], wiped once the modem has
//! answered `AT+FTPPW` and when the job is dropped.

use cellftp_proto::simcom::{Command, PasswordBuf, QuotedBuf};
use cellftp_proto::{Mode, Setting};

use super::{refused, Ctx, Flow, Step};
use crate::error::ModemError;
use crate::simcom::channel::Sent;
use crate::simcom::event::Outcome;

/// Where configure is: the command of each state is in flight, or next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Cid,
    Server,
    Port,
    User,
    Password,
    Mode,
    Done,
}

/// The configure job.
#[derive(Debug)]
pub(crate) struct ConfigureJob {
    server: QuotedBuf,
    port: u16,
    user: QuotedBuf,
    password: PasswordBuf,
    mode: Mode,
    state: State,
}

impl ConfigureJob {
    pub(crate) fn new(
        server: QuotedBuf,
        port: u16,
        user: QuotedBuf,
        password: PasswordBuf,
        mode: Mode,
    ) -> Self {
        Self {
            server,
            port,
            user,
            password,
            mode,
            state: State::Cid,
        }
    }

    pub(crate) fn poll(&mut self, ctx: Ctx<'_>) -> Step<'_> {
        Step::Send(match self.state {
            State::Cid => Command::FtpCid(Setting::Set(ctx.config.cid())),
            State::Server => Command::FtpServ(Setting::Set(self.server.quoted())),
            State::Port => Command::FtpPort(Setting::Set(self.port)),
            State::User => Command::FtpUn(Setting::Set(self.user.quoted())),
            State::Password => Command::FtpPw(Setting::Set(self.password.password())),
            State::Mode => Command::FtpMode(Setting::Set(self.mode)),
            State::Done => return Step::Done(Ok(Outcome::Configured)),
        })
    }

    pub(crate) fn on_final(&mut self, sent: Sent, result: Result<(), ModemError>) -> Flow {
        if let Err(e) = result {
            return refused(sent.name, e);
        }
        self.state = match self.state {
            State::Cid => State::Server,
            State::Server => State::Port,
            State::Port => State::User,
            State::User => State::Password,
            State::Password => State::Mode,
            State::Mode | State::Done => State::Done,
        };
        Flow::Continue
    }

    /// The modem answered `AT+FTPPW`: the password is needed no more.
    pub(crate) fn wipe(&mut self) {
        self.password.wipe();
    }
}
