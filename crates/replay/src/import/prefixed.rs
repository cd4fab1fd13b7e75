//! Hand-written logs: one line per write or read, prefixed with its
//! direction.
//!
//! ```text
//! # a comment
//! > AT+FTPGET
//! < +FTPGET:1,5
//! < 12345
//! < OK
//! TX: AT+FTPQUIT
//! RX: OK
//! ```
//!
//! `>` and `TX` (any case, optionally followed by `:`) are the host's,
//! `<` and `RX` the modem's; a space separates the prefix from the data. A
//! line may start with a time, `[HH:MM:SS.mmm]` or `HH:MM:SS.mmm`. Data
//! with transcript escapes (`\r`, `\n`, `\xHH`, …) is read exactly as
//! written; plain data is a line: a sent line gets a CR, and consecutive
//! received lines form one response, `\r\n` + each line + `\r\n`. `#`
//! lines and blank lines are skipped (a blank line ends a response).

use super::{lines, time_of_day_ms, Builder, DayClock, Dir, ImportError, Line, Located};
use crate::transcript::unescape;

/// Does the first line that is not a comment carry a direction prefix?
pub(super) fn looks_like(head: &[u8]) -> bool {
    lines(head)
        .find(|l| !l.text.trim_ascii().is_empty() && !l.text.starts_with(b"#"))
        .is_some_and(|l| parse(l.text).is_some())
}

/// A time: ms since midnight, and as written.
type Time<'a> = (u64, &'a [u8]);

/// A line: its time, direction and data.
fn parse(line: &[u8]) -> Option<(Option<Time<'_>>, Dir, &[u8])> {
    let (time, rest) = leading_time(line);
    let (dir, rest) = if let Some(r) = rest.strip_prefix(b">") {
        (Dir::Sent, r)
    } else if let Some(r) = rest.strip_prefix(b"<") {
        (Dir::Received, r)
    } else {
        let p = rest.get(..2)?;
        let dir = if p.eq_ignore_ascii_case(b"TX") {
            Dir::Sent
        } else if p.eq_ignore_ascii_case(b"RX") {
            Dir::Received
        } else {
            return None;
        };
        let r = rest.get(2..)?;
        (dir, r.strip_prefix(b":").unwrap_or(r))
    };
    let data = match rest {
        [] => rest,
        [b' ', data @ ..] => data,
        _ => return None,
    };
    Some((time, dir, data))
}

/// `[HH:MM:SS.mmm] ` or `HH:MM:SS.mmm ` at the start of a line.
fn leading_time(line: &[u8]) -> (Option<Time<'_>>, &[u8]) {
    let (inner, rest) = match line.strip_prefix(b"[") {
        Some(r) => match r.iter().position(|&b| b == b']') {
            Some(close) => (r.get(..close), r.get(close + 1..)),
            None => (None, None),
        },
        None => match line.iter().position(|&b| b == b' ') {
            Some(sp) => (line.get(..sp), line.get(sp..)),
            None => (None, None),
        },
    };
    match (inner, rest) {
        (Some(inner), Some(rest)) if inner.len() >= 8 && inner.get(2) == Some(&b':') => {
            match time_of_day_ms(inner) {
                Some(ms) => (Some((ms, inner)), rest.trim_ascii_start()),
                None => (None, line),
            }
        }
        _ => (None, line),
    }
}

/// Reads a hand-written log.
pub(super) fn read(bytes: &[u8]) -> Result<Located, ImportError> {
    let mut b = Builder::default();
    let mut clock = DayClock::default();
    let mut block: Vec<u8> = Vec::new();
    let flush = |block: &mut Vec<u8>, b: &mut Builder| {
        if !block.is_empty() {
            let mut bytes = b"\r\n".to_vec();
            bytes.append(block);
            b.data(Dir::Received, &bytes);
        }
    };
    let mut last = 0;
    for Line { number, text } in lines(bytes) {
        last = number;
        b.at_line(number);
        if text.trim_ascii().is_empty() {
            flush(&mut block, &mut b);
            continue;
        }
        if text.starts_with(b"#") {
            continue;
        }
        let Some((time, dir, data)) = parse(text) else {
            return Err(ImportError::expected(
                number,
                1,
                "a line starting `> `, `< `, `TX: ` or `RX: `",
                text,
            ));
        };
        let data_col = text.len() - data.len() + 1;
        let exact = data.contains(&b'\\');
        let decoded = if exact {
            let s = std::str::from_utf8(data).map_err(|e| {
                ImportError::expected(
                    number,
                    data_col + e.valid_up_to(),
                    "UTF-8 text",
                    data.get(e.valid_up_to()..).unwrap_or_default(),
                )
            })?;
            unescape(s, number).map_err(|e| {
                let column = match e {
                    crate::ParseError::BadEscape { column, .. } => column,
                    _ => 1,
                };
                ImportError::expected(
                    number,
                    data_col + column - 1,
                    "an escape `\\r`, `\\n`, `\\t`, `\\0`, `\\\\` or `\\xHH`",
                    data.get(column - 1..).unwrap_or_default(),
                )
            })?
        } else {
            data.to_vec()
        };
        if let Some((ms, written)) = time {
            flush(&mut block, &mut b);
            let ms = clock
                .absolute(ms)
                .ok_or_else(|| ImportError::expected(number, 1, "a time that fits", written))?;
            b.time(ms, written, number, 1)?;
        }
        match (dir, exact) {
            (Dir::Received, false) => {
                block.extend_from_slice(&decoded);
                block.extend_from_slice(b"\r\n");
            }
            (Dir::Sent, false) => {
                flush(&mut block, &mut b);
                let mut sent = decoded;
                sent.push(b'\r');
                b.data(Dir::Sent, &sent);
            }
            (dir, true) => {
                flush(&mut block, &mut b);
                b.data(dir, &decoded);
            }
        }
    }
    flush(&mut block, &mut b);
    b.finish(last + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;

    #[test]
    fn reads_both_spellings() {
        let t =
            read(b"# x\n> AT+FTPGET\n< +FTPGET:1,1\n< 5\n< OK\nTX: AT\\r\nRX: \\r\\nOK\\r\\n\n")
                .unwrap();
        assert_eq!(
            t.records,
            [
                Record::Sent(b"AT+FTPGET\r".to_vec()),
                Record::Received(b"\r\n+FTPGET:1,1\r\n5\r\nOK\r\n".to_vec()),
                Record::Sent(b"AT\r".to_vec()),
                Record::Received(b"\r\nOK\r\n".to_vec()),
            ]
        );
    }

    #[test]
    fn a_bad_escape_is_an_error() {
        let e = read(b"> AT\n< OK\\q\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 5), "{e}");
    }
}
