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

    /// The modem answered `AT+FTPPW`: the password is needed no more. The
    /// session calls this just before [`ConfigureJob::on_final`], which
    /// leaves [`State::Password`] whatever the answer, so a wiped password
    /// (which reads as the empty one, valid in this dialect) is never sent.
    /// In any other state the password has not been sent and is kept.
    pub(crate) fn wipe(&mut self) {
        debug_assert_eq!(
            self.state,
            State::Password,
            "AT+FTPPW answered in its state"
        );
        if self.state == State::Password {
            self.password.wipe();
        }
    }
}

#[cfg(test)]
mod tests {
    use cellftp_proto::simcom::{Password, QuotedKind, SecretKind};

    use super::*;

    /// Only the answer to `AT+FTPPW` wipes the password: a wipe in another
    /// state would leave the empty password (valid in this dialect) to be
    /// sent, so it keeps the password, and a debug build stops.
    #[test]
    #[cfg_attr(
        debug_assertions,
        should_panic(expected = "AT+FTPPW answered in its state")
    )]
    fn a_wipe_before_the_password_keeps_it() {
        let mut job = ConfigureJob::new(
            QuotedBuf::new(QuotedKind::Server, "1.2.3.4").unwrap(),
            21,
            QuotedBuf::new(QuotedKind::User, "u").unwrap(),
            PasswordBuf::from(Password::new(SecretKind::Ftp, "hunter2").unwrap()),
            Mode::Passive,
        );
        job.wipe();
        job.state = State::Password;
        let config = crate::simcom::Config::default();
        let ctx = Ctx {
            id: crate::event::JobId(0),
            config: &config,
            now: crate::Instant::from_millis(0),
            echo_on: false,
            listed: (0, 0),
            lines_pending: false,
            in_flight: None,
        };
        let Step::Send(Command::FtpPw(Setting::Set(sent))) = job.poll(ctx) else {
            panic!("AT+FTPPW expected");
        };
        assert_eq!(sent.expose(), b"hunter2");
    }
}
