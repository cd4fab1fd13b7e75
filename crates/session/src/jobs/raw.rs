//! The raw job: one AT command line of the caller's, validated when queued
//! (`Session::raw`). Every information line that arrives while it is in
//! flight is its answer, reported as [`Event::RawLine`]; its final result
//! ends it. What the line changes in the modem is not learned: the session
//! knows only what its own jobs did.

use cellftp_proto::{
    Command, CommandDecoder, CommandName, Decoded, Request, Response, TimeoutClass,
};
use heapless::Vec;

use super::{after, Ctx, Flow, Reply, Step};
use crate::error::ModemError;
use crate::event::{Event, Outcome};
use crate::slice::within;

/// The longest raw command line, `AT` included and the final CR excluded.
pub const MAX_RAW_LINE: usize = 128;

/// The raw job.
#[derive(Debug)]
pub(crate) struct RawJob {
    /// The line, with its CR.
    line: Vec<u8, { MAX_RAW_LINE + 1 }>,
    /// The command's name, if the line is a command the table knows;
    /// `AT` otherwise.
    pub(crate) name: CommandName,
    /// Its timeout class; `Local` for a line the table does not know.
    pub(crate) class: TimeoutClass,
    /// Information lines that came back.
    lines: u32,
}

impl RawJob {
    /// The job for `line`, which [`validate`] accepted.
    pub(crate) fn new(line: &[u8], name: CommandName, class: TimeoutClass) -> Self {
        let mut buf = Vec::new();
        let fits = buf.extend_from_slice(line).is_ok() && buf.push(b'\r').is_ok();
        debug_assert!(fits, "a validated raw line fits");
        Self {
            line: buf,
            name,
            class,
            lines: 0,
        }
    }

    /// The line; polled only while the channel is free, which it is not
    /// while the line is in flight, and the job ends with its final result.
    pub(crate) fn poll(&mut self) -> Step<'_> {
        Step::SendRaw {
            line: &self.line,
            name: self.name,
            class: self.class,
        }
    }

    pub(crate) fn on_item<'b>(&mut self, ctx: Ctx<'_>, item: Response<'b>) -> Reply<'b> {
        self.lines = self.lines.saturating_add(1);
        Reply::Answer(Some(Event::RawLine { job: ctx.id, item }))
    }

    pub(crate) fn on_final(
        &mut self,
        command: CommandName,
        result: Result<(), ModemError>,
    ) -> Flow {
        let lines = self.lines;
        after(command, result, Flow::End(Ok(Outcome::RawDone { lines })))
    }
}

/// Why a raw line is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawRefusal {
    /// Empty, or not starting with `AT`.
    NotCommand,
    /// Longer than [`MAX_RAW_LINE`].
    TooLong,
    /// A byte that is not printable ASCII (CR, LF, …) at this offset.
    Forbidden(usize),
    /// `AT+FTPPW` in any form, or anything the redaction rule would hide.
    Password,
}

/// Checks `line` and finds its command: the name and timeout class of the
/// table's command it is, if any.
pub(crate) fn validate(line: &[u8]) -> Result<(CommandName, TimeoutClass), RawRefusal> {
    if line.len() > MAX_RAW_LINE {
        return Err(RawRefusal::TooLong);
    }
    if let Some(at) = line.iter().position(|b| !matches!(b, 0x20..=0x7e)) {
        return Err(RawRefusal::Forbidden(at));
    }
    if !line.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(b"AT")) {
        return Err(RawRefusal::NotCommand);
    }
    let mentions_pw = line.windows(5).any(|w| w.eq_ignore_ascii_case(b"FTPPW"));
    if mentions_pw || cellftp_proto::secret_ranges(line).next().is_some() {
        return Err(RawRefusal::Password);
    }
    // The command decoder reads whole lines: the line and its CR.
    let mut buf = [0u8; MAX_RAW_LINE + 1];
    let len = line.len();
    if let Some(dst) = buf.get_mut(..len) {
        dst.copy_from_slice(line);
    }
    if let Some(cr) = buf.get_mut(len) {
        *cr = b'\r';
    }
    // At most MAX_RAW_LINE bytes and the CR: the buffer holds them.
    let known = match CommandDecoder::new().decode(within(&buf, ..=len)) {
        Decoded::Item {
            item: Request::Command(command),
            ..
        } => Some(known(&command)),
        _ => None,
    };
    Ok(known.unwrap_or((CommandName::At, TimeoutClass::Local)))
}

fn known(command: &Command<'_>) -> (CommandName, TimeoutClass) {
    (command.name(), command.timeout_class())
}
