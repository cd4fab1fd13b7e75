//! The get job: `AT+FTPGETNAME`; for a resumed download `AT+FTPTYPE=I`
//! (unless the modem is known to be in binary) and `AT+FTPRESET=<offset>`;
//! for a whole-file download after a resumed one `AT+FTPRESET=0` and the
//! configured type again; then `AT+FTPGET`, whose `+FTPGET:<len>,<data>`
//! chunks become [`Event::Data`]. An offset or type whose command went
//! unanswered is not known, and is set again.

use cellftp_proto::{Action, Command, CommandName, Info, Response, Setting, TextBuf, TransferType};

use super::{refused, Ctx, Flow, Reply, Step};
use crate::error::{JobError, ModemError, ProtocolError, ResponseKind};
use crate::event::{Event, Outcome};

/// Where the download is: the command of each state is in flight, or next
/// if it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Naming,
    /// The manual: a restart offset is valid only in TYPE I.
    Binary,
    Offset,
    /// A whole-file get after a resumed one: back to the configured type
    /// (ASCII transfers convert line ends).
    RestoreType,
    Transfer,
}

/// The get job.
#[derive(Debug)]
pub(crate) struct GetJob {
    name: TextBuf,
    offset: u32,
    /// Bytes received.
    bytes: u64,
    /// Bytes announced by `+FTPGET:<len>` headers.
    announced: u64,
    /// Bytes of the current `+FTPGET` chunk still to come as continuations.
    remaining: u64,
    state: State,
}

impl GetJob {
    pub(crate) fn new(name: TextBuf, offset: u32) -> Self {
        Self {
            name,
            offset,
            bytes: 0,
            announced: 0,
            remaining: 0,
            state: State::Naming,
        }
    }

    pub(crate) fn poll(&mut self, ctx: Ctx<'_>) -> Step<'_> {
        let modem = ctx.modem;
        loop {
            let command = match self.state {
                State::Naming => Some(Command::FtpGetName(Setting::Set(self.name.text()))),
                State::Binary => (modem.restart() != Some(self.offset)
                    && modem.transfer_type() != Some(TransferType::Binary))
                .then_some(Command::FtpType(Setting::Set(TransferType::Binary))),
                State::Offset => (modem.restart() != Some(self.offset))
                    .then_some(Command::FtpReset(Setting::Set(self.offset))),
                State::RestoreType if self.offset == 0 => modem
                    .type_to_restore()
                    .map(|t| Command::FtpType(Setting::Set(t))),
                State::RestoreType => None,
                State::Transfer => Some(Command::FtpGet(Action::Execute)),
            };
            match command {
                Some(command) => return Step::Send(command),
                None => self.state = next(self.state),
            }
        }
    }

    pub(crate) fn on_item<'b>(&mut self, ctx: Ctx<'_>, item: Response<'b>) -> Reply<'b> {
        if self.state != State::Transfer {
            return Reply::NotMine;
        }
        match item {
            Response::FtpGet { len, data } => {
                self.announced += u64::from(len);
                self.remaining = u64::from(len).saturating_sub(data.len() as u64);
                Reply::Payload(self.data(ctx, data))
            }
            Response::Continuation(data) if self.remaining > 0 => {
                self.remaining = self.remaining.saturating_sub(data.len() as u64);
                Reply::Payload(self.data(ctx, data))
            }
            // `+FTPGET:<len>` without its comma (the manual's table layout):
            // which bytes are data cannot be told, so the transfer fails.
            Response::Info(Info {
                name: CommandName::FtpGet,
                ..
            }) => Reply::Unexpected(ResponseKind::FtpGet),
            _ => Reply::NotMine,
        }
    }

    /// Downloaded bytes.
    fn data<'b>(&mut self, ctx: Ctx<'_>, data: &'b [u8]) -> Option<Event<'b>> {
        if data.is_empty() {
            return None;
        }
        let at = u64::from(self.offset) + self.bytes;
        self.bytes += data.len() as u64;
        Some(Event::Data {
            job: ctx.id,
            offset: at,
            data,
        })
    }

    pub(crate) fn on_final(
        &mut self,
        command: CommandName,
        result: Result<(), ModemError>,
    ) -> Flow {
        match (self.state, result) {
            (_, Err(e)) => refused(command, e),
            (State::Transfer, Ok(())) => Flow::End(Ok(Outcome::Downloaded {
                offset: self.offset,
                bytes: self.bytes,
            })),
            (state, Ok(())) => {
                self.state = next(state);
                Flow::Continue
            }
        }
    }

    pub(crate) fn on_timeout(&mut self, command: CommandName, pending: Option<(u32, u32)>) -> Flow {
        let error = if pending.is_some() || self.remaining > 0 {
            // A chunk whose header came but whose first fragment did not is
            // not counted in `announced` yet; the bytes of a fragment not
            // complete yet were received all the same.
            let (pending, buffered) = pending.unwrap_or((0, 0));
            let unseen = if self.remaining > 0 { 0 } else { pending };
            JobError::Protocol {
                command,
                error: ProtocolError::PayloadIncomplete {
                    announced: self.announced + u64::from(unseen),
                    received: self.bytes + u64::from(buffered),
                },
            }
        } else {
            JobError::Timeout { command }
        };
        Flow::End(Err(error))
    }
}

/// The state after `state`.
fn next(state: State) -> State {
    match state {
        State::Naming => State::Binary,
        State::Binary => State::Offset,
        State::Offset => State::RestoreType,
        State::RestoreType | State::Transfer => State::Transfer,
    }
}
