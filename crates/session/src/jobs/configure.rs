//! The configure job: `AT+FTPPORT`, `AT+FTPMODE`, `AT+FTPSERV` (which
//! connects), `AT+FTPUN`, `AT+FTPPW`, `AT+FTPTYPE`, `AT+FTPPATH`, in the
//! order of the manual's example. Every parameter was validated when the
//! job was queued.

use core::num::NonZeroU16;

use cellftp_proto::{
    Command, CommandName, HostBuf, Mode, Password, Response, ServCode, Setting, TextBuf,
    TransferType,
};

use super::{refused, Flow, Reply, Step};
use crate::error::{JobError, ModemError};
use crate::event::Outcome;

/// Where the configure job is: the command of each state is in flight, or
/// next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Port,
    Mode,
    /// `AT+FTPSERV`, with the `+FTPSERV:<code>` seen so far.
    Serv(Option<ServCode>),
    User,
    Password,
    Type,
    Path,
    Done,
}

/// The configure job. It holds no password: the password is in the job
/// slot's `Secret`, handed to [`ConfigureJob::poll`] by reference.
#[derive(Debug)]
pub(crate) struct ConfigureJob {
    pub(crate) server: HostBuf,
    pub(crate) port: Option<NonZeroU16>,
    pub(crate) mode: Mode,
    pub(crate) transfer_type: TransferType,
    pub(crate) user: TextBuf,
    pub(crate) path: Option<TextBuf>,
    state: State,
}

impl ConfigureJob {
    /// The job for these validated parameters.
    pub(crate) fn new(
        server: HostBuf,
        port: Option<NonZeroU16>,
        mode: Mode,
        transfer_type: TransferType,
        user: TextBuf,
        path: Option<TextBuf>,
    ) -> Self {
        Self {
            server,
            port,
            mode,
            transfer_type,
            user,
            path,
            state: State::Port,
        }
    }

    /// The next command; `password` is the job's, from its slot.
    pub(crate) fn poll<'a>(&'a mut self, password: Option<Password<'a>>) -> Step<'a> {
        loop {
            let command = match self.state {
                State::Port => self.port.map(|p| Command::FtpPort(Setting::Set(p.get()))),
                State::Mode => Some(Command::FtpMode(Setting::Set(self.mode))),
                State::Serv(_) => Some(Command::FtpServ(Setting::Set(self.server.host()))),
                State::User => Some(Command::FtpUn(Setting::Set(self.user.text()))),
                State::Password => match password {
                    Some(p) => Some(Command::FtpPw(Setting::Set(p))),
                    None => {
                        // The slot is filled when the job is queued and
                        // emptied only once `AT+FTPPW` is answered: never
                        // empty here. Were it, the job ends: it never skips
                        // the password and reports a login it did not make.
                        debug_assert!(false, "a configure job has its password");
                        return Step::Done(Err(JobError::NotConfigured));
                    }
                },
                State::Type => Some(Command::FtpType(Setting::Set(self.transfer_type))),
                State::Path => self
                    .path
                    .as_ref()
                    .map(|p| Command::FtpPath(Setting::Set(p.text()))),
                State::Done => return Step::Done(Ok(Outcome::Configured)),
            };
            match command {
                Some(command) => return Step::Send(command),
                None => self.state = next(self.state),
            }
        }
    }

    pub(crate) fn on_item<'b>(&mut self, item: Response<'b>) -> Reply<'b> {
        match (self.state, item) {
            (State::Serv(_), Response::ServResult(code)) => {
                self.state = State::Serv(Some(code));
                Reply::Answer(None)
            }
            _ => Reply::NotMine,
        }
    }

    pub(crate) fn on_final(
        &mut self,
        command: CommandName,
        result: Result<(), ModemError>,
    ) -> Flow {
        let result = match (self.state, result) {
            // A code other than success fails `AT+FTPSERV` whatever final
            // result follows; `OK` without a code is success (SPEC 3.9).
            (State::Serv(Some(code)), _) if code != ServCode::Success => {
                Err(ModemError::Serv(code))
            }
            (_, result) => result,
        };
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
        State::Port => State::Mode,
        State::Mode => State::Serv(None),
        State::Serv(_) => State::User,
        State::User => State::Password,
        State::Password => State::Type,
        State::Type => State::Path,
        State::Path | State::Done => State::Done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_password() -> ConfigureJob {
        let mut job = ConfigureJob::new(
            HostBuf::new("1.2.3.4").unwrap(),
            None,
            Mode::Passive,
            TransferType::Binary,
            TextBuf::new(cellftp_proto::TextKind::User, "u").unwrap(),
            None,
        );
        job.state = State::Password;
        job
    }

    #[test]
    fn the_password_is_sent_as_given() {
        let mut job = at_password();
        let password = Password::new("hunter2").unwrap();
        let Step::Send(Command::FtpPw(Setting::Set(sent))) = job.poll(Some(password)) else {
            panic!("AT+FTPPW expected");
        };
        assert_eq!(sent.expose(), b"hunter2");
    }

    /// Without its password the job ends with an error: it never goes on
    /// to `AT+FTPTYPE` and `Configured` (in a debug build the assertion
    /// stops it first).
    #[test]
    #[cfg_attr(debug_assertions, should_panic(expected = "its password"))]
    fn without_its_password_the_job_fails() {
        let mut job = at_password();
        assert!(matches!(
            job.poll(None),
            Step::Done(Err(JobError::NotConfigured))
        ));
    }
}
