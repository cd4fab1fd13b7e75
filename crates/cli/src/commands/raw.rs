//! `cellftp raw 'AT…'`: send one AT command line through the session
//! (`Session::raw`) and print the modem's answer, line by line, until its
//! final result. The line gets what every command gets: its timeout (the
//! command table's for a command it knows, the local one otherwise, both
//! scaled by `--timeout-scale`; `--timeout` sets it), echo handling, the
//! `-v` log, the `--record` transcript (as a `! raw` job), and `--bring-up`
//! first when asked. Passwords in the answer are hidden like everywhere
//! else; the session refuses a line that would send one.

use std::time::Duration;

use cellftp_replay::{redact_passwords, JobSpec};
use cellftp_session::driver::Handler;
use cellftp_session::proto::{CommandDecoder, Decoded, Request, TimeoutClass};
use cellftp_session::{Event, JobError, JobId};
use clap::Args;

use super::Ctx;
use crate::error::CliError;
use crate::output::Output;
use crate::runner::Modem;

/// `raw`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct RawArgs {
    /// One AT command line, without the CR: e.g. 'AT+CSQ'. Quote it for the
    /// shell.
    pub(crate) command: String,
    /// Seconds to wait for the final result [default: the command's own
    /// timeout, as for every other command: 5 s for a command cellftp does
    /// not know].
    #[arg(long, short = 't', value_name = "SECS")]
    pub(crate) timeout: Option<f64>,
}

/// Sends the line and prints the answer.
pub(crate) fn run(args: &RawArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let command = validate(&args.command)?;
    let set = match args.timeout {
        None => None,
        Some(secs) => {
            let timeout = Duration::try_from_secs_f64(secs)
                .ok()
                .filter(|t| !t.is_zero())
                .ok_or_else(|| {
                    CliError::Usage("--timeout is a positive number of seconds".into())
                })?;
            Some((class_of(command), timeout))
        }
    };
    // For messages: the command as typed, any password in it hidden.
    let named = String::from_utf8_lossy(&redact_passwords(command.as_bytes())).into_owned();
    let mut modem = Modem::open_with(
        &ctx.settings.location()?,
        ctx.log.clone(),
        ctx.settings.timeout_scale,
        set,
    )?;
    if ctx.settings.bring_up {
        modem.bring_up()?;
    }
    let mut answer = Answer {
        out: ctx.out,
        error: None,
    };
    let result = modem.run(
        |s| s.raw(command),
        JobSpec::Raw(command.to_owned()),
        &mut answer,
    )?;
    // The answer could not be printed: that is what the user must know.
    if let Some(e) = answer.error.take() {
        return Err(e);
    }
    match result {
        Ok(_) => {
            ctx.out.say("OK")?;
            Ok(())
        }
        Err(JobError::Modem { error, .. }) => Err(CliError::RawRefused {
            command: named,
            answer: error.to_string(),
        }),
        Err(JobError::Timeout { .. }) => Err(CliError::RawTimeout {
            command: named,
            after: modem.timed_out_after.unwrap_or_default(),
        }),
        Err(e) => Err(CliError::Job(modem.failure(e))),
    }
}

/// The timeout class the session gives `line`: the command table's for a
/// command it knows, the local one otherwise.
fn class_of(line: &str) -> TimeoutClass {
    let mut framed = line.as_bytes().to_vec();
    framed.push(b'\r');
    match CommandDecoder::new().decode(&framed) {
        Decoded::Item {
            item: Request::Command(command),
            ..
        } => command.timeout_class(),
        _ => TimeoutClass::Local,
    }
}

/// Prints each line of the answer as it arrives.
struct Answer {
    out: Output,
    /// The first failure to print a line; later lines are not tried.
    error: Option<CliError>,
}

impl Handler for Answer {
    fn event(&mut self, event: &Event<'_>) {
        if let Event::RawLine { .. } = event {
            // The line as the modem wrote it: the trace hook saw it just
            // before the session reported it.
            if let Some(text) = shown(&crate::trace::last_received()) {
                if self.error.is_none() {
                    self.error = self.out.say(&text).err();
                }
            }
        }
    }

    fn fill(&mut self, _job: JobId, _buf: &mut [u8]) -> usize {
        0
    }
}

/// The item's bytes as one printable line: line ends trimmed, passwords
/// hidden, other control bytes as `\xHH`; `None` if blank.
fn shown(raw: &[u8]) -> Option<String> {
    let redacted = redact_passwords(raw);
    let trimmed: &[u8] = {
        let start = redacted
            .iter()
            .position(|b| !matches!(b, b'\r' | b'\n'))
            .unwrap_or(redacted.len());
        let end = redacted
            .iter()
            .rposition(|b| !matches!(b, b'\r' | b'\n'))
            .map_or(start, |e| e + 1);
        redacted.get(start..end).unwrap_or_default()
    };
    if trimmed.is_empty() {
        return None;
    }
    Some(crate::output::escape_controls(&String::from_utf8_lossy(
        trimmed,
    )))
}

/// Checks that `command` is one AT command line: it starts with `AT` and
/// holds no CR, LF or other control byte.
fn validate(command: &str) -> Result<&str, CliError> {
    let bad = |why: &str| CliError::Usage(format!("not one AT command line: {why}"));
    if !command
        .get(..2)
        .is_some_and(|p| p.eq_ignore_ascii_case("AT"))
    {
        return Err(bad("it must start with AT"));
    }
    if let Some(c) = command.chars().find(|c| c.is_control()) {
        return Err(match c {
            '\r' | '\n' => bad("it holds a line end (send one command per call; the CR is added)"),
            c => bad(&format!(
                "it holds the control character U+{:04X}",
                u32::from(c)
            )),
        });
    }
    if command.len() > cellftp_session::proto::MAX_LINE {
        return Err(bad("it is too long"));
    }
    Ok(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_only() {
        assert!(validate("AT+CSQ").is_ok());
        assert!(validate("at").is_ok());
        assert!(validate("ATI\r").is_err());
        assert!(validate("AT\nAT").is_err());
        assert!(validate("AT\x1a").is_err());
        assert!(validate("+CSQ").is_err());
        assert!(validate("").is_err());
    }

    #[test]
    fn shows_lines_cleanly() {
        assert_eq!(
            shown(b"\r\n+CSQ: 20,99\r\n").as_deref(),
            Some("+CSQ: 20,99")
        );
        assert_eq!(shown(b"\r\n").as_deref(), None);
        assert_eq!(
            shown(b"+FTPPW: s3cret\r\n").as_deref(),
            Some("+FTPPW: <redacted>")
        );
        assert_eq!(shown(b"a\x01b").as_deref(), Some("a\\x01b"));
    }
}
