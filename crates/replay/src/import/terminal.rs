//! Single-stream terminal logs: tio (`tio -L --log-file=…`, with or without
//! `-t`), picocom (`--logfile`), minicom capture, a copy of a terminal
//! window.
//!
//! These tools log one stream: what the modem sent. picocom (`picocom.c`)
//! writes every read from the port to the log as is (and, with `--echo`,
//! what it writes too); tio (`tty.c`, `log.c`) does the same, character by
//! character. With `-t`, tio writes `[HH:MM:SS.mmm] ` (or, with
//! `--timestamp-format iso8601`, `[YYYY-MM-DDTHH:MM:SS.mmm] `) before the
//! first character of each line that is neither CR nor LF:
//!
//! ```text
//! [16:05:34.704] AT+FTPGET\r\r\n[16:05:34.726] +FTPGET:1,5\r\n…
//! ```
//!
//! (`\r`, `\n` stand for the raw bytes.) The host's commands are not in the
//! log; with the modem's echo on they are recovered from it: a line that
//! starts with `AT` and whose first line end is a lone CR (the echo of the
//! host's Enter, followed by the response's `\r\n`, not by `\n`) is the
//! echo of a command the host sent. Such a **raw log** (one with a lone CR
//! anywhere) imports as
//!
//! - one `>` record per command: the echoed line and CR;
//! - `<` records holding every logged byte (echo included, timestamps
//!   removed), cut where a command's echo starts, where a timestamp
//!   stands (each cut after its timestamp's `@` record) and after every
//!   line feed, so that each record comes from one line of the log.
//!
//! A log without a lone CR (a minicom capture, a copy from a terminal
//! window, the manual's example) is read by lines: a line starting with
//! `AT` is a command (a `//` comment after it is dropped), every other
//! line is the modem's, and a blank line or a command ends a response,
//! written `\r\n` + its lines each ended by `\r\n`, one `<` record per
//! line of the log (the `\r\n` before a response goes with its first).
//! There the echo and the
//! exact line ends are not known, so such an import is marked lossy
//! ([`crate::Transcript::lossy`]): payloads that hold line ends, and the
//! modem's own line ends, are rebuilt, not read. (minicom's capture file
//! drops every CR it receives; `minicom.c` in its sources.)

use super::{
    lines, number, position, shown, socat, time_of_day_ms, Builder, DayClock, Dir, ImportError,
    ImportErrorKind, Located,
};

/// Does a line (after an optional tio timestamp) start with `AT`?
pub(super) fn looks_like(head: &[u8]) -> bool {
    first_command(head).is_some()
}

/// Where the first line that (after an optional tio timestamp) starts
/// with `AT` starts.
pub(super) fn first_command(head: &[u8]) -> Option<usize> {
    let mut start = 0;
    for line in head.split(|&b| b == b'\n') {
        let text = timestamp(line).map_or(line, |(_, len)| line.get(len..).unwrap_or_default());
        if is_command(text) {
            return Some(start);
        }
        start += line.len() + 1;
    }
    None
}

/// A line that starts with `AT` (any case).
fn is_command(line: &[u8]) -> bool {
    line.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(b"AT"))
}

/// A tio timestamp `[HH:MM:SS.mmm] ` or `[YYYY-MM-DDTHH:MM:SS.mmm] ` at
/// the start of `bytes`: ms since midnight (plus days for ISO 8601) and
/// its length.
fn timestamp(bytes: &[u8]) -> Option<(u64, usize)> {
    if bytes.first() != Some(&b'[') {
        return None;
    }
    let close = bytes.iter().take(32).position(|&b| b == b']')?;
    if bytes.get(close + 1) != Some(&b' ') {
        return None;
    }
    let inner = bytes.get(1..close)?;
    let ms = match inner.len() {
        12 => time_of_day_ms(inner)?,
        23 if inner.get(10) == Some(&b'T') => {
            let y = number(inner.get(..4)?, 4)?;
            let m = number(inner.get(5..7)?, 2)?;
            let d = number(inner.get(8..10)?, 2)?;
            if inner.get(4) != Some(&b'-') || inner.get(7) != Some(&b'-') {
                return None;
            }
            let days = u64::try_from(super::days_from_civil(y, m, d)?).ok()?;
            days.checked_mul(86_400_000)?
                .checked_add(time_of_day_ms(inner.get(11..)?)?)?
        }
        _ => return None,
    };
    Some((ms, close + 2))
}

/// Reads a terminal log. A socat block header anywhere in it is an error
/// (two captures glued together, or a socat trace cut at the front): a
/// terminal log has none.
pub(super) fn read(bytes: &[u8]) -> Result<Located, ImportError> {
    if let Some(at) = socat::find_header(bytes) {
        let (line, column) = position(bytes, at);
        return Err(ImportError::at(
            line,
            column,
            ImportErrorKind::Foreign {
                what: "a socat block header where a terminal log has none",
                found: shown(bytes.get(at..).unwrap_or_default()),
            },
        ));
    }
    let lone_cr = bytes
        .windows(2)
        .any(|w| w.first() == Some(&b'\r') && w.get(1) != Some(&b'\n'))
        || bytes.last() == Some(&b'\r');
    if lone_cr {
        raw(bytes)
    } else {
        by_lines(bytes)
    }
}

/// A time mark in a raw log.
struct Mark<'a> {
    /// Where in the stream (timestamps removed) it stands.
    at: usize,
    ms: u64,
    written: &'a [u8],
    line: usize,
    column: usize,
}

/// A raw log: the modem's stream, commands recovered from the echo.
fn raw(bytes: &[u8]) -> Result<Located, ImportError> {
    // The stream without timestamps, and the timestamps' places.
    let mut stream = Vec::with_capacity(bytes.len());
    // Where each line of the file starts in `stream`.
    let mut line_starts = vec![0];
    let mut marks = Vec::new();
    let mut clock = DayClock::default();
    let (mut line, mut line_start) = (1, 0);
    let mut pos = 0;
    while let Some(&c) = bytes.get(pos) {
        let at_line_start = pos == 0 || matches!(bytes.get(pos - 1), Some(b'\n' | b'\r'));
        if c == b'[' && at_line_start {
            if let Some((ms, len)) = timestamp(bytes.get(pos..).unwrap_or_default()) {
                let written = bytes.get(pos + 1..pos + len - 2).unwrap_or_default();
                let column = pos - line_start + 1;
                let ms = clock.absolute(ms).ok_or_else(|| {
                    ImportError::expected(line, column, "a time that fits", written)
                })?;
                marks.push(Mark {
                    at: stream.len(),
                    ms,
                    written,
                    line,
                    column,
                });
                pos += len;
                continue;
            }
        }
        stream.push(c);
        pos += 1;
        if c == b'\n' {
            line += 1;
            line_start = pos;
            line_starts.push(stream.len());
        }
    }
    // Where each command's echo starts, and its end (the CR).
    let mut commands = Vec::new();
    let mut start = 0;
    while start < stream.len() {
        let rest = stream.get(start..).unwrap_or_default();
        let end = rest.iter().position(|&b| b == b'\r' || b == b'\n');
        if is_command(rest) {
            if let Some(end) = end {
                let lone = rest.get(end) == Some(&b'\r') && rest.get(end + 1) != Some(&b'\n');
                if lone {
                    commands.push((start, start + end));
                }
            }
        }
        match rest.iter().position(|&b| b == b'\n') {
            Some(nl) => start += nl + 1,
            None => break,
        }
    }
    // The last line, if the log stops before its end: a command whose
    // echo has no CR yet was cut off before the host's Enter; any other
    // line may have been.
    let tail_start = stream
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |e| e + 1);
    let tail = stream.get(tail_start..).unwrap_or_default();
    let tail_line = line_starts.partition_point(|&s| s <= tail_start).max(1);
    if is_command(tail) {
        let column = tail_start - line_starts.get(tail_line - 1).copied().unwrap_or(0) + 1;
        return Err(ImportError::at(
            tail_line,
            column,
            ImportErrorKind::CutOff {
                what: "the echo of the command",
                found: shown(tail),
            },
        ));
    }
    // Cut the stream at every command start, every mark and every line
    // start: a record then holds one line of the file, so what is found in
    // it is reported at its line.
    let mut cuts: Vec<usize> = commands
        .iter()
        .map(|&(s, _)| s)
        .chain(marks.iter().map(|m| m.at))
        .chain(line_starts.iter().copied())
        .chain([stream.len()])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut b = Builder::default();
    let (mut next_command, mut next_mark) = (commands.iter().peekable(), marks.iter().peekable());
    let mut from = 0;
    let line_of = |at: usize| line_starts.partition_point(|&s| s <= at).max(1);
    for cut in cuts {
        b.at_line(line_of(from));
        if cut > from {
            b.data(Dir::Received, stream.get(from..cut).unwrap_or_default());
            from = cut;
        }
        while let Some(m) = next_mark.next_if(|m| m.at == cut) {
            b.time(m.ms, m.written, m.line, m.column)?;
        }
        if let Some(&(s, e)) = next_command.next_if(|&&(s, _)| s == cut) {
            b.at_line(line_of(s));
            b.data(Dir::Sent, stream.get(s..=e).unwrap_or_default());
        }
    }
    if !tail.is_empty() {
        b.lossy(format!(
            "the log ends inside line {tail_line} ({}): the capture may have been cut off \
             there, and that line was not read",
            shown(tail)
        ));
    }
    b.finish(line + 1)
}

/// A log read by lines (no lone CR): the manual's example, a minicom
/// capture.
fn by_lines(bytes: &[u8]) -> Result<Located, ImportError> {
    let mut b = Builder::default();
    let mut clock = DayClock::default();
    // Inside a response: its first line has been written.
    let mut block = false;
    let mut last = 0;
    for l in lines(bytes) {
        last = l.number;
        b.at_line(l.number);
        let mut text = l.text;
        if let Some((ms, len)) = timestamp(text) {
            let written = text.get(1..len - 2).unwrap_or_default();
            let ms = clock
                .absolute(ms)
                .ok_or_else(|| ImportError::expected(l.number, 1, "a time that fits", written))?;
            block = false;
            b.time(ms, written, l.number, 1)?;
            text = text.get(len..).unwrap_or_default();
        }
        let trimmed = text.trim_ascii();
        if is_command(trimmed) {
            block = false;
            let command = trimmed
                .windows(2)
                .position(|w| w == b"//")
                .map_or(trimmed, |c| trimmed.get(..c).unwrap_or(trimmed))
                .trim_ascii_end();
            let mut sent = command.to_vec();
            sent.push(b'\r');
            b.data(Dir::Sent, &sent);
        } else if trimmed.is_empty() {
            block = false;
        } else {
            let mut data = if block { Vec::new() } else { b"\r\n".to_vec() };
            block = true;
            data.extend_from_slice(text.trim_ascii_end());
            data.extend_from_slice(b"\r\n");
            b.data(Dir::Received, &data);
        }
    }
    b.lossy(LINE_MODE.to_owned());
    b.finish(last + 1)
}

/// Why a log read by lines is lossy.
const LINE_MODE: &str = "the log has no CR (a minicom capture, a copy of a terminal \
window): the modem's echo and line ends are not in it, and each response is rebuilt \
as CR LF and its lines each ended by CR LF";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;

    #[test]
    fn reads_the_manuals_example() {
        let t = read(
            "AT+FTPSERV=47.104.157.10  //连接FTP服务器\n+FTPSERV:0\nOK\n\nAT+FTPPW=123  //设置密码\nOK\n\nAT+FTPLIST //读取文件目录列表\n+FTPLIST:1,48\n-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\nOK\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(t.lossy().collect::<Vec<_>>(), [LINE_MODE]);
        assert_eq!(
            t.records,
            vec![
                Record::Comment(format!("lossy: {LINE_MODE}")),
                Record::Sent(b"AT+FTPSERV=47.104.157.10\r".to_vec()),
                Record::Received(b"\r\n+FTPSERV:0\r\n".to_vec()),
                Record::Received(b"OK\r\n".to_vec()),
                Record::Sent(b"AT+FTPPW=<redacted>\r".to_vec()),
                Record::Received(b"\r\nOK\r\n".to_vec()),
                Record::Sent(b"AT+FTPLIST\r".to_vec()),
                Record::Received(b"\r\n+FTPLIST:1,48\r\n".to_vec()),
                Record::Received(b"-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\n".to_vec()),
                Record::Received(b"OK\r\n".to_vec()),
            ]
        );
    }

    #[test]
    fn recovers_commands_from_the_echo() {
        let t = read(b"AT+FTPMODE=1\r\r\nOK\r\nAT+FTPGET\r\r\n+FTPGET:1,2\r\nAT\r\n\r\nOK\r\n")
            .unwrap();
        assert_eq!(
            t.records,
            [
                Record::Sent(b"AT+FTPMODE=1\r".to_vec()),
                Record::Received(b"AT+FTPMODE=1\r\r\n".to_vec()),
                Record::Received(b"OK\r\n".to_vec()),
                Record::Sent(b"AT+FTPGET\r".to_vec()),
                Record::Received(b"AT+FTPGET\r\r\n".to_vec()),
                Record::Received(b"+FTPGET:1,2\r\n".to_vec()),
                // `AT\r\n` is data (its CR is followed by LF), not an echo.
                Record::Received(b"AT\r\n".to_vec()),
                Record::Received(b"\r\n".to_vec()),
                Record::Received(b"OK\r\n".to_vec()),
            ]
        );
    }

    #[test]
    fn reads_tio_timestamps() {
        let t = read(b"[23:59:59.990] AT\r\r\n[00:00:00.010] OK\r\n").unwrap();
        assert_eq!(
            t.records,
            [
                Record::Time(0),
                Record::Sent(b"AT\r".to_vec()),
                Record::Received(b"AT\r\r\n".to_vec()),
                Record::Time(20),
                Record::Received(b"OK\r\n".to_vec()),
            ]
        );
    }

    #[test]
    fn an_echo_free_log_has_no_command() {
        let e = read(b"\r\nOK\r\n\r\nOK\r\n").unwrap_err();
        assert!(e.to_string().contains("no AT command found"), "{e}");
    }
}
