//! The list job: `AT+FTPPATH` if a path was given, then `AT+FTPLIST`, whose
//! payload's lines become [`Event::ListLine`].

use cellftp_proto::listing::Entry;
use cellftp_proto::{Action, Command, CommandName, Response, Setting, TextBuf};

use super::{refused, Ctx, Flow, Reply, Step};
use crate::error::{JobError, ModemError, ProtocolError};
use crate::event::{Event, Outcome};

/// Where the listing is: the command of each state is in flight, or next
/// if it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Path,
    Listing,
}

/// The list job.
#[derive(Debug)]
pub(crate) struct ListJob {
    path: Option<TextBuf>,
    /// Lines parsed as entries.
    entries: u32,
    /// Lines in all.
    lines: u32,
    /// Bytes announced by `+FTPLIST:<mode>,<len>`, if the header came.
    announced: Option<u64>,
    state: State,
}

impl ListJob {
    pub(crate) fn new(path: Option<TextBuf>) -> Self {
        Self {
            path,
            entries: 0,
            lines: 0,
            announced: None,
            state: State::Path,
        }
    }

    pub(crate) fn poll(&mut self) -> Step<'_> {
        if self.state == State::Path {
            if let Some(path) = &self.path {
                return Step::Send(Command::FtpPath(Setting::Set(path.text())));
            }
            self.state = State::Listing;
        }
        Step::Send(Command::FtpList(Action::Execute))
    }

    pub(crate) fn on_item<'b>(&mut self, ctx: Ctx<'_>, item: Response<'b>) -> Reply<'b> {
        if self.state != State::Listing {
            return Reply::NotMine;
        }
        match item {
            Response::FtpList { len, .. } => {
                self.announced = Some(u64::from(len));
                Reply::Payload(None)
            }
            Response::ListLine(line) => {
                let entry = Entry::parse(line);
                self.lines += 1;
                if entry.is_ok() {
                    self.entries += 1;
                }
                Reply::Payload(Some(Event::ListLine {
                    job: ctx.id,
                    line,
                    entry,
                }))
            }
            _ => Reply::NotMine,
        }
    }

    pub(crate) fn on_final(
        &mut self,
        command: CommandName,
        result: Result<(), ModemError>,
    ) -> Flow {
        match (self.state, result) {
            (_, Err(e)) => refused(command, e),
            (State::Path, Ok(())) => {
                self.state = State::Listing;
                Flow::Continue
            }
            (State::Listing, Ok(())) => Flow::End(Ok(Outcome::Listed {
                entries: self.entries,
                lines: self.lines,
            })),
        }
    }

    pub(crate) fn on_timeout(&mut self, command: CommandName, pending: Option<(u32, u32)>) -> Flow {
        let error = match (self.announced, pending) {
            (Some(announced), Some((pending, buffered))) => JobError::Protocol {
                command,
                error: ProtocolError::PayloadIncomplete {
                    announced,
                    received: announced
                        .saturating_sub(u64::from(pending))
                        .saturating_add(u64::from(buffered)),
                },
            },
            _ => JobError::Timeout { command },
        };
        Flow::End(Err(error))
    }
}
