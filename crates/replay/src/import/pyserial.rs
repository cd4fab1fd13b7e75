//! pyserial's `spy://` logs (`serial.serial_for_url("spy:///dev/ttyUSB0?file=spy.log")`).
//!
//! `serial/urlhandler/protocol_spy.py` (pyserial 3.5) wraps a port and
//! logs every `write()` and every `read()` that returned data. Its default
//! formatter, `FormatHexdump`, writes
//! `'{:010.3f} {:4} {}{}\n'.format(seconds_since_open, label, value, value2)`;
//! for data, one line per 16 bytes of the call:
//!
//! ```text
//! 000003.001 TX   0000  41 54 2B 46 54 50 47 45  54 0D                    AT+FTPGET.
//! 000003.102 RX   0000  0D 0A 2B 46 54 50 47 45  54 3A 31 2C 35 0D 0A 31  ..+FTPGET:1,5..1
//! 000003.102 RX   0010  32 33 34 35 0D 0A                                 2345..
//! ```
//!
//! The label is `TX` or `RX` padded to 4, the offset within the call is
//! four hex digits (a new call starts at `0000`), the hex column is 16
//! `XX ` groups with one more space after the eighth (49 columns, padded
//! with spaces), then a space and the bytes as text (`.` for unprintable
//! ones, padded with spaces). Other labels (`RTS`, `DTR`, `BRK`, `Q-RX`,
//! `Q-TX`, …) are control calls and `RX   <empty>` an empty read: both are
//! skipped. With `&color`, an ANSI colour code starts some lines; it is
//! dropped.
//!
//! With `?raw&color` (`FormatRaw`), the log is the data itself, each call
//! preceded by `ESC[31m` (TX) or `ESC[32m` (RX): [`raw`] reads that. Without
//! `color` the raw log does not say which way bytes went (and it carries
//! the host's writes and the modem's echo both); it is not read.

use super::{fraction_ms, lines, number, Builder, Dir, ImportError, Line, Located};

const ROW: &str = "a pyserial spy line `000003.001 TX   0000  41 54 …  AT…`";
const TX: &[u8] = b"\x1b[31m";
const RX: &[u8] = b"\x1b[32m";

/// Does the log start like a `spy://` hex dump?
pub(super) fn looks_like_spy(head: &[u8]) -> bool {
    lines(head)
        .find(|l| !strip_colour(l.text).is_empty())
        .is_some_and(|l| parse_prefix(strip_colour(l.text)).is_some())
}

/// Does the log start like a `spy://…?raw&color` stream?
pub(super) fn looks_like_raw(head: &[u8]) -> bool {
    head.starts_with(TX) || head.starts_with(RX)
}

/// An ANSI colour code (`ESC[…m`) at the start of a line, removed.
fn strip_colour(mut line: &[u8]) -> &[u8] {
    while let Some(rest) = line.strip_prefix(b"\x1b[") {
        match rest.iter().position(|&b| b == b'm') {
            Some(m)
                if rest
                    .get(..m)
                    .is_some_and(|c| c.iter().all(u8::is_ascii_digit)) =>
            {
                line = rest.get(m + 1..).unwrap_or_default();
            }
            _ => break,
        }
    }
    line
}

/// `000003.001 LABL `: the time in ms and the label (trimmed).
fn parse_prefix(line: &[u8]) -> Option<(u64, &[u8], &[u8])> {
    let dot = line.iter().position(|&b| b == b'.')?;
    let secs = number(line.get(..dot)?, 0)?;
    let frac = line.get(dot + 1..dot + 4)?;
    if !frac.iter().all(u8::is_ascii_digit) || line.get(dot + 4) != Some(&b' ') {
        return None;
    }
    let ms = secs.checked_mul(1000)?.checked_add(fraction_ms(frac)?)?;
    let label_at = dot + 5;
    let label_field = line.get(label_at..label_at + 4)?;
    if line.get(label_at + 4) != Some(&b' ') {
        return None;
    }
    let label_len = label_field
        .iter()
        .position(|&b| b == b' ')
        .unwrap_or(label_field.len());
    let label = label_field.get(..label_len)?;
    if label.is_empty() {
        return None;
    }
    Some((ms, label, line.get(label_at + 5..)?))
}

/// Reads a `spy://` hex dump.
pub(super) fn spy(bytes: &[u8]) -> Result<Located, ImportError> {
    let mut b = Builder::default();
    // The call being read: direction, bytes, the offset the next row has.
    let mut call: Option<(Dir, Vec<u8>, u64)> = None;
    let mut last = 0;
    for Line { number, text } in lines(bytes) {
        last = number;
        b.at_line(number);
        let line = strip_colour(text);
        let skipped = text.len() - line.len();
        if line.is_empty() {
            continue;
        }
        let Some((ms, label, value)) = parse_prefix(line) else {
            return Err(ImportError::expected(number, 1 + skipped, ROW, line));
        };
        let dir = match label {
            b"TX" => Dir::Sent,
            b"RX" => Dir::Received,
            _ => continue,
        };
        if value == b"<empty>" {
            continue;
        }
        let value_col = 1 + skipped + (line.len() - value.len());
        let (offset, row) = parse_row(value).map_err(|(at, expected)| {
            ImportError::expected(
                number,
                value_col + at,
                expected,
                value.get(at..).unwrap_or_default(),
            )
        })?;
        if offset == 0 {
            if let Some((d, data, _)) = call.take() {
                b.data(d, &data);
            }
            b.time(ms, line.get(..10).unwrap_or(line), number, 1 + skipped)?;
            call = Some((dir, Vec::new(), 0));
        }
        match call.as_mut() {
            Some((d, data, next)) if *d == dir && *next == offset => {
                data.extend_from_slice(&row);
                *next = next.saturating_add(16);
                if row.len() < 16 {
                    // A short row ends its call.
                    *next = u64::MAX;
                }
            }
            _ => {
                return Err(ImportError::expected(
                    number,
                    value_col,
                    "the next row of the same call (offset 0000 starts a new one)",
                    value,
                ))
            }
        }
    }
    if let Some((d, data, _)) = call.take() {
        b.data(d, &data);
    }
    b.finish(last + 1)
}

/// `0010  41 54 …  AT…`: the offset and the row's bytes, checked against
/// the text column; on error the 0-based column and what was expected.
fn parse_row(value: &[u8]) -> Result<(u64, Vec<u8>), (usize, &'static str)> {
    let offset = value
        .get(..4)
        .and_then(|h| std::str::from_utf8(h).ok())
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .ok_or((0, "a four-digit hex offset"))?;
    if value.get(4..6) != Some(b"  ") {
        return Err((4, "two spaces after the offset"));
    }
    let mut row = Vec::new();
    let mut padding = false;
    for i in 0..16 {
        // One more space after the eighth byte.
        let at = 6 + 3 * i + usize::from(i >= 8);
        match value.get(at..at + 3) {
            Some(b"   ") => padding = true,
            Some(&[h, l, b' ']) if !padding && h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                let pair = [h, l];
                let byte = std::str::from_utf8(&pair)
                    .ok()
                    .and_then(|s| u8::from_str_radix(s, 16).ok())
                    .ok_or((at, "two hex digits"))?;
                row.push(byte);
            }
            _ if padding => return Err((at, "padding to the end of the hex column")),
            _ => return Err((at, "a hex byte `41 ` or padding")),
        }
    }
    if value.get(30) != Some(&b' ') {
        return Err((30, "the space after the eighth byte"));
    }
    if row.is_empty() {
        return Err((6, "at least one hex byte"));
    }
    if value.get(55) != Some(&b' ') {
        return Err((55, "a space before the text column"));
    }
    let text = value.get(56..).unwrap_or_default();
    for (i, &byte) in row.iter().enumerate() {
        let shown = if (0x20..0x7f).contains(&byte) {
            byte
        } else {
            b'.'
        };
        if text.get(i) != Some(&shown) {
            return Err((56 + i, "the text column to agree with the hex"));
        }
    }
    Ok((offset, row))
}

/// Reads a `spy://…?raw&color` stream.
pub(super) fn raw(bytes: &[u8]) -> Result<Located, ImportError> {
    let mut b = Builder::default();
    let mut rest = bytes;
    let (mut line, mut line_start) = (1, 0);
    let mut consumed = 0;
    while !rest.is_empty() {
        let dir = if rest.starts_with(TX) {
            Dir::Sent
        } else if rest.starts_with(RX) {
            Dir::Received
        } else {
            return Err(ImportError::expected(
                line,
                consumed - line_start + 1,
                "a colour code `ESC[31m` (TX) or `ESC[32m` (RX)",
                rest,
            ));
        };
        let body = rest.get(TX.len()..).unwrap_or_default();
        let end = body
            .windows(TX.len())
            .position(|w| w == TX || w == RX)
            .unwrap_or(body.len());
        let data = body.get(..end).unwrap_or_default();
        b.at_line(line);
        b.data(dir, data);
        for (i, &c) in data.iter().enumerate() {
            if c == b'\n' {
                line += 1;
                line_start = consumed + TX.len() + i + 1;
            }
        }
        consumed += TX.len() + end;
        rest = body.get(end..).unwrap_or_default();
    }
    b.finish(line + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;

    const LOG: &str = "\
000000.000 Q-RX reset_input_buffer
000003.001 TX   0000  41 54 2B 46 54 50 47 45  54 0D                    AT+FTPGET.      
000003.102 RX   0000  0D 0A 2B 46 54 50 47 45  54 3A 31 2C 35 0D 0A 31  ..+FTPGET:1,5..1
000003.102 RX   0010  32 33 34 35 0D 0A                                 2345..          
";

    #[test]
    fn reads_the_hex_dump() {
        let t = spy(LOG.as_bytes()).unwrap();
        assert_eq!(
            t.records,
            [
                Record::Time(0),
                Record::Sent(b"AT+FTPGET\r".to_vec()),
                Record::Time(101),
                Record::Received(b"\r\n+FTPGET:1,5\r\n12345\r\n".to_vec()),
            ]
        );
    }

    #[test]
    fn a_bad_hex_byte_is_an_error() {
        let bad = LOG.replace("2B 46 54 50 47 45  54 0D ", "2B 46 54 50 47 45  5G 0D ");
        let e = spy(bad.as_bytes()).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
    }

    #[test]
    fn reads_the_coloured_raw_stream() {
        let t = raw(b"\x1b[31mAT\r\x1b[32mAT\r\r\nOK\r\n").unwrap();
        assert_eq!(
            t.records,
            [
                Record::Sent(b"AT\r".to_vec()),
                Record::Received(b"AT\r\r\nOK\r\n".to_vec()),
            ]
        );
    }
}
