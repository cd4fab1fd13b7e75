//! `cellftp raw 'AT…'`: send one AT command line and print the modem's
//! answer, line by line, until a final result code (`OK`, `ERROR`,
//! `+CME ERROR`, `+CMS ERROR`) or the timeout. The session is not involved:
//! the line goes out as given, with a CR. Passwords in the answer are
//! hidden like everywhere else.

use std::io::{ErrorKind, Read, Write};
use std::time::{Duration, Instant};

use cellftp_replay::redact_passwords;
use cellftp_session::proto::{Decoded, ResponseDecoder};
use cellftp_session::Response;
use clap::Args;

use super::Ctx;
use crate::error::CliError;
use crate::link;
use crate::record::Wire;

/// `raw`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct RawArgs {
    /// One AT command line, without the CR: e.g. 'AT+CSQ'. Quote it for the
    /// shell.
    pub(crate) command: String,
    /// Seconds to wait for the final result.
    #[arg(long, short = 't', default_value_t = 10.0, value_name = "SECS")]
    pub(crate) timeout: f64,
}

/// Sends the line and prints the answer.
pub(crate) fn run(args: &RawArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let command = validate(&args.command)?;
    if ctx.settings.bring_up {
        return Err(CliError::Usage(
            "--bring-up does not go with raw: send AT+CFUN=1 and AT+CGACT=1,1 with raw instead"
                .into(),
        ));
    }
    let timeout = Duration::try_from_secs_f64(args.timeout)
        .ok()
        .filter(|t| !t.is_zero())
        .ok_or_else(|| CliError::Usage("--timeout is a positive number of seconds".into()))?;
    // For messages: the command as typed, any password in it hidden.
    let named = String::from_utf8_lossy(&redact_passwords(command.as_bytes())).into_owned();
    let link = link::open(&ctx.settings.location()?)?;
    ctx.log.borrow_mut().start_clock();
    let mut wire = Wire::new(link.io, ctx.log.clone());
    let mut line = command.as_bytes().to_vec();
    line.push(b'\r');
    wire.write_all(&line).map_err(CliError::Line)?;
    wire.flush().map_err(CliError::Line)?;

    let started = Instant::now();
    let mut decoder = ResponseDecoder::new();
    let mut pending: Vec<u8> = Vec::new();
    let mut buf = [0u8; 512];
    loop {
        if started.elapsed() >= timeout {
            return Err(CliError::RawTimeout {
                command: named,
                after: timeout,
            });
        }
        match wire.read(&mut buf) {
            Ok(0) => return Err(CliError::Line(ErrorKind::UnexpectedEof.into())),
            Ok(n) => pending.extend_from_slice(buf.get(..n).unwrap_or_default()),
            Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => continue,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(CliError::Line(e)),
        }
        loop {
            let (consumed, verdict) = match decoder.decode(&pending) {
                Decoded::NeedMore { consumed } => (consumed, None),
                Decoded::Item { item, consumed } => {
                    let text = shown(pending.get(..consumed).unwrap_or_default());
                    let verdict = match item {
                        // The modem echoing the command (echo on).
                        Response::Echo(_) => Some(Verdict::Line(None)),
                        item => match item.final_result() {
                            Some(cellftp_session::proto::FinalResult::Ok) => {
                                Some(Verdict::Ok(text))
                            }
                            Some(_) => Some(Verdict::Refused(text)),
                            None => Some(Verdict::Line(text)),
                        },
                    };
                    (consumed, verdict)
                }
            };
            pending.drain(..consumed.min(pending.len()));
            match verdict {
                None => break,
                Some(Verdict::Line(text)) => {
                    if let Some(text) = text {
                        ctx.out.say(&text);
                    }
                }
                Some(Verdict::Ok(text)) => {
                    ctx.out.say(text.as_deref().unwrap_or("OK"));
                    return Ok(());
                }
                Some(Verdict::Refused(text)) => {
                    return Err(CliError::RawRefused {
                        command: named,
                        answer: text.unwrap_or_else(|| "ERROR".into()),
                    })
                }
            }
        }
    }
}

/// What an answer item means for the command.
enum Verdict {
    /// A line to print (none for blank ones and the echo).
    Line(Option<String>),
    /// The final `OK`.
    Ok(Option<String>),
    /// A final error result.
    Refused(Option<String>),
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
    let text = String::from_utf8_lossy(trimmed);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\t' {
            out.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Some(out)
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
