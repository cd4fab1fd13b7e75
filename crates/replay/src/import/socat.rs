//! `socat -v`, `socat -x` and `socat -v -x` traces
//! (`socat -v -x /dev/ttyUSB0,raw,echo=0 PTY,link=/tmp/modem,raw,echo=0 2>trace.log`).
//!
//! socat (`socat.c`, `xioprintblockheader` and `xiotransfer`) writes one
//! block per read, to stderr. Every block starts with a header line:
//!
//! ```text
//! > 2026/11/25 16:05:34.000704604  length=3 from=0 to=2
//! ```
//!
//! `>` is data from the first address to the second (the host's side is
//! the first address in the command above, so `>` is host to modem), `<`
//! the other way. The time is local, from `strftime("%Y/%m/%d %H:%M:%S")`
//! and a fraction: 6 digits in socat 1.7.3, 9 in socat 1.7.4 — which
//! prints the microseconds zero-padded to 9 digits (`.000704604` is
//! 0.704604 s; every such fraction starts with `000`). A 9-digit fraction
//! that does not start with `000` is read as nanoseconds. Two spaces
//! follow the time; `from`/`to` count the direction's bytes from 0.
//!
//! After the header, the data:
//!
//! - `-v`: the bytes as text. `\a \b \v \f \r \\` are escaped as shown, tab
//!   and line feed are written as themselves, other printable ASCII as
//!   itself, and **every unprintable byte as `.`** — so a `.` in the trace
//!   may have been any unprintable byte: such a transcript is marked lossy.
//!   No line end is added: a block that does not end in `\n` (most blocks
//!   from a real UART) has the next header glued to its last line:
//!
//!   ```text
//!   < 2026/11/25 16:05:34.000708718  length=12 from=0 to=11
//!   \r
//!   +FTPGET:5,< 2026/11/25 16:05:34.000709001  length=13 from=12 to=24
//!   ```
//!
//!   The header's `length=` says where the data ends, so a glued header is
//!   found where the block's bytes run out.
//! - `-x` alone: one line, ` %02x` per byte: ` 41 54 0d`.
//! - `-v -x`: rows of up to 16 bytes (a row also ends after a `0a` byte):
//!   ` %02x` per byte, padded to 48 columns, two spaces, then the bytes as
//!   text (`.` for unprintable ones and for line feed); then `--` on a line
//!   of its own after the block. The hex is exact; the text is checked
//!   against it.
//!
//! socat's own log lines (`2026/11/25 16:05:34 socat[123] N …`, with `-d`)
//! between blocks are skipped, and so is a line end right after a block
//! that does not end in one (hand-edited traces put every header on a line
//! of its own): a `length=` that lies is still caught by the next `from=`
//! of its direction.

use super::{
    days_from_civil, lines, number, time_of_day_ms, Builder, Dir, ImportError, Line, Located,
};

const HEADER: &str = "a socat header `> YYYY/MM/DD HH:MM:SS.ffffff  length=N from=N to=N`";

/// One parsed header.
#[derive(Debug, Clone, Copy)]
struct Header<'a> {
    dir: Dir,
    length: u64,
    from: u64,
    to: u64,
    /// Days since 1970-01-01.
    days: u64,
    /// `HH:MM:SS` in ms since midnight, without the fraction.
    seconds_ms: u64,
    /// The fraction's digits.
    fraction: &'a [u8],
    /// `YYYY/MM/DD HH:MM:SS.f…` as written.
    written: &'a [u8],
}

/// Is the first block header followed by hex rows (`Some(true)`), text
/// (`Some(false)`), or is this no socat trace (`None`)? Loose on purpose:
/// a header with a bad field still makes a socat trace, whose importer
/// then says what is wrong where.
pub(super) fn looks_like(head: &[u8]) -> Option<bool> {
    let mut ls = lines(head).filter(|l| !is_log_line(l.text)).take(3);
    let first = ls.next()?;
    let shaped = matches!(first.text.get(..2), Some(b"> " | b"< "))
        && first
            .text
            .get(2..6)
            .is_some_and(|y| y.iter().all(u8::is_ascii_digit))
        && first.text.windows(8).any(|w| w == b" length=");
    if !shaped {
        return None;
    }
    Some(ls.next().is_some_and(|next| {
        matches!(next.text, [b' ', h, l, ..] if h.is_ascii_hexdigit() && l.is_ascii_hexdigit())
            && matches!(next.text.get(3), None | Some(b' '))
    }))
}

/// Where the first socat block header in `bytes` starts, at the start of
/// a line or glued to the data before it: `> ` or `< `, a date
/// `NNNN/NN/NN `, and ` length=` further on the same line.
pub(super) fn find_header(bytes: &[u8]) -> Option<usize> {
    memchr::memchr2_iter(b'>', b'<', bytes).find(|&at| {
        let Some(h) = bytes.get(at..) else {
            return false;
        };
        let digits =
            |r: std::ops::Range<usize>| h.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
        let line = h.get(..80).unwrap_or(h);
        let line = line
            .iter()
            .position(|&b| b == b'\n')
            .map_or(line, |nl| line.get(..nl).unwrap_or(line));
        h.get(1) == Some(&b' ')
            && digits(2..6)
            && h.get(6) == Some(&b'/')
            && digits(7..9)
            && h.get(9) == Some(&b'/')
            && digits(10..12)
            && h.get(12) == Some(&b' ')
            && line.windows(8).any(|w| w == b" length=")
    })
}

/// `2026/11/25 16:05:34 socat[123] N message`: socat's own log.
fn is_log_line(line: &[u8]) -> bool {
    line.get(4) == Some(&b'/')
        && line.get(19..26) == Some(b" socat[")
        && line.first().is_some_and(u8::is_ascii_digit)
}

/// Reads a header line (without its line end); on error, the 0-based
/// column and what was expected there.
fn parse_header(line: &[u8]) -> Result<Header<'_>, (usize, &'static str)> {
    let dir = match line.get(..2) {
        Some(b"> ") => Dir::Sent,
        Some(b"< ") => Dir::Received,
        _ => return Err((0, HEADER)),
    };
    let date = line.get(2..12).ok_or((2, "a date `YYYY/MM/DD`"))?;
    let mut parts = date.split(|&b| b == b'/');
    let (y, m, d) = (|| {
        let y = number(parts.next()?, 4)?;
        let m = number(parts.next()?, 2)?;
        let d = number(parts.next()?, 2)?;
        Some((y, m, d))
    })()
    .ok_or((2, "a date `YYYY/MM/DD`"))?;
    let days = days_from_civil(y, m, d)
        .and_then(|d| u64::try_from(d).ok())
        .ok_or((2, "a date from 1970 on"))?;
    if line.get(12) != Some(&b' ') {
        return Err((12, "a space after the date"));
    }
    let rest = line.get(13..).unwrap_or_default();
    let time_end = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
    let time = rest.get(..time_end).unwrap_or_default();
    let (hms, fraction) = match time.iter().position(|&b| b == b'.') {
        Some(dot) => (
            time.get(..dot).unwrap_or_default(),
            time.get(dot + 1..).unwrap_or_default(),
        ),
        None => (time, &b""[..]),
    };
    let seconds_ms = time_of_day_ms(hms)
        .filter(|_| hms.len() == 8 && matches!(fraction.len(), 0 | 6 | 9))
        .ok_or((13, "a time `HH:MM:SS.ffffff` (6 or 9 fraction digits)"))?;
    let written = line.get(2..13 + time_end).unwrap_or_default();
    let mut at = 13 + time_end;
    let fields = line.get(at..).unwrap_or_default();
    let spaces = fields.iter().take_while(|&&b| b == b' ').count();
    if spaces == 0 {
        return Err((at, "spaces, then `length=N`"));
    }
    at += spaces;
    let mut field = |key: &'static [u8], expected: &'static str| {
        let rest = line.get(at..).unwrap_or_default();
        let value = rest.strip_prefix(key).ok_or((at, expected))?;
        let end = value.iter().position(|&b| b == b' ').unwrap_or(value.len());
        let n = number(value.get(..end).unwrap_or_default(), 0)
            .ok_or((at + key.len(), "a number that fits in 64 bits"))?;
        at += key.len() + end + 1;
        Ok(n)
    };
    let length = field(b"length=", "`length=N`")?;
    let from = field(b"from=", "` from=N`")?;
    let to = field(b"to=", "` to=N`")?;
    if at <= line.len() {
        return Err((at.saturating_sub(1), "the end of the header line"));
    }
    Ok(Header {
        dir,
        length,
        from,
        to,
        days,
        seconds_ms,
        fraction,
        written,
    })
}

/// A block read, with where its header was.
struct Block<'a> {
    header: Header<'a>,
    data: Vec<u8>,
    line: usize,
    column: usize,
}

/// Reads a `socat -v` trace.
pub(super) fn text(bytes: &[u8]) -> Result<Located, ImportError> {
    let mut blocks = Vec::new();
    let mut dots: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0;
    // The line `pos` is on, and where that line starts.
    let (mut line_no, mut line_start) = (1, 0);
    let mut counts = [0u64; 2];
    while pos < bytes.len() {
        let column = pos - line_start + 1;
        let rest = bytes.get(pos..).unwrap_or_default();
        let line_end = rest.iter().position(|&b| b == b'\n');
        let line = line_end.map_or(rest, |e| rest.get(..e).unwrap_or(rest));
        let next_line = |pos: &mut usize, line_no: &mut usize, line_start: &mut usize| {
            *pos += line_end.map_or(rest.len(), |e| e + 1);
            *line_no += 1;
            *line_start = *pos;
        };
        if column == 1 && (is_log_line(line) || line.is_empty()) {
            next_line(&mut pos, &mut line_no, &mut line_start);
            continue;
        }
        // A hand-edited trace (or a copy from a terminal) may put the next
        // header on a line of its own; the `from=` check still catches a
        // length that lies.
        if line.is_empty()
            && blocks
                .last()
                .is_some_and(|b: &Block<'_>| b.data.last() != Some(&b'\n'))
        {
            next_line(&mut pos, &mut line_no, &mut line_start);
            continue;
        }
        let header = header_at(line, line_no, column).map_err(|mut e| {
            if line.is_empty() {
                e.kind = super::ImportErrorKind::Expected {
                    expected: HEADER,
                    found: super::shown(rest),
                };
            }
            e
        })?;
        check_counts(&header, &mut counts, line, line_no, column)?;
        let (header_line, header_column) = (line_no, column);
        next_line(&mut pos, &mut line_no, &mut line_start);
        let mut data = Vec::new();
        while (data.len() as u64) < header.length {
            let here = (line_no, pos - line_start + 1);
            let Some(&c) = bytes.get(pos) else {
                return Err(ImportError::expected(
                    here.0,
                    here.1,
                    "the rest of the block (its header's `length=` says more)",
                    b"",
                ));
            };
            let (byte, used) = match c {
                b'\\' => {
                    let byte = match bytes.get(pos + 1) {
                        Some(b'a') => 0x07,
                        Some(b'b') => 0x08,
                        Some(b'v') => 0x0b,
                        Some(b'f') => 0x0c,
                        Some(b'r') => b'\r',
                        Some(b'\\') => b'\\',
                        _ => {
                            return Err(ImportError::expected(
                                here.0,
                                here.1,
                                "one of socat's escapes `\\a \\b \\v \\f \\r \\\\`",
                                bytes.get(pos..).unwrap_or_default(),
                            ));
                        }
                    };
                    (byte, 2)
                }
                b'.' => {
                    dots.push(here);
                    (b'.', 1)
                }
                b'\t' | b'\n' | 0x20..=0x7e => (c, 1),
                _ => {
                    return Err(ImportError::expected(
                        here.0,
                        here.1,
                        "a character socat -v prints (printable ASCII, tab, line feed or an escape)",
                        bytes.get(pos..).unwrap_or_default(),
                    ));
                }
            };
            data.push(byte);
            pos += used;
            if c == b'\n' {
                line_no += 1;
                line_start = pos;
            }
        }
        blocks.push(Block {
            header,
            data,
            line: header_line,
            column: header_column,
        });
    }
    let mut b = build(&blocks)?;
    if !dots.is_empty() {
        let shown: Vec<String> = dots
            .iter()
            .take(5)
            .map(|(l, c)| format!("{l}:{c}"))
            .collect();
        let more = if dots.len() > 5 { ", …" } else { "" };
        let (count, verb) = match dots.len() {
            1 => ("the `.`".to_owned(), "may have"),
            n => (format!("each of the {n} `.`"), "may have"),
        };
        b.lossy(format!(
            "socat -v prints every unprintable byte as `.`: {count} read as `.` (at {}{more}) {verb} been another byte",
            shown.join(", ")
        ));
    }
    b.finish(line_no + usize::from(line_start < bytes.len()))
}

/// Reads a `socat -x` or `socat -v -x` trace.
pub(super) fn hex(bytes: &[u8]) -> Result<Located, ImportError> {
    let mut blocks: Vec<Block<'_>> = Vec::new();
    let mut counts = [0u64; 2];
    let mut current: Option<Block<'_>> = None;
    let mut last_line = 0;
    for Line { number, text } in lines(bytes) {
        last_line = number;
        if let Some(block) = current.as_mut() {
            if (block.data.len() as u64) < block.header.length {
                let Some((row, ascii)) = hex_row(text) else {
                    return Err(ImportError::expected(
                        number,
                        1,
                        "a row of hex bytes ` 41 54 0d …` (the header's `length=` says more)",
                        text,
                    ));
                };
                if let Some((column, expected)) = ascii.and_then(|a| ascii_mismatch(&row, a)) {
                    return Err(ImportError::expected(
                        number,
                        column,
                        expected,
                        text.get(column - 1..).unwrap_or_default(),
                    ));
                }
                if row.is_empty()
                    || block.data.len() as u64 + row.len() as u64 > block.header.length
                {
                    return Err(ImportError::expected(
                        number,
                        1,
                        "exactly as many bytes as the header's `length=`",
                        text,
                    ));
                }
                block.data.extend_from_slice(&row);
                continue;
            }
            if text == b"--" {
                continue;
            }
        }
        if text.is_empty() || is_log_line(text) {
            continue;
        }
        let header = header_at(text, number, 1)?;
        check_counts(&header, &mut counts, text, number, 1)?;
        if let Some(done) = current.replace(Block {
            header,
            data: Vec::new(),
            line: number,
            column: 1,
        }) {
            blocks.push(done);
        }
    }
    if let Some(block) = current {
        if (block.data.len() as u64) < block.header.length {
            return Err(ImportError::expected(
                last_line + 1,
                1,
                "the rest of the block (its header's `length=` says more)",
                b"",
            ));
        }
        blocks.push(block);
    }
    build(&blocks)?.finish(last_line + 1)
}

/// The header at `line` (1-based `line_no`, `column`), or the error there.
/// A header that only breaks for a CR at its end is a trace whose line
/// ends were turned into CR LF: said so.
fn header_at(line: &[u8], line_no: usize, column: usize) -> Result<Header<'_>, ImportError> {
    parse_header(line).map_err(|(at, expected)| {
        if let Some(body) = line.strip_suffix(b"\r") {
            if parse_header(body).is_ok() {
                return ImportError::at(
                    line_no,
                    column + body.len(),
                    super::ImportErrorKind::CrlfLineEnds,
                );
            }
        }
        ImportError::expected(
            line_no,
            column + at,
            expected,
            line.get(at..).unwrap_or_default(),
        )
    })
}

/// `from=` continues the direction's count and `to=` is `from + length - 1`.
fn check_counts(
    h: &Header<'_>,
    counts: &mut [u64; 2],
    line: &[u8],
    line_no: usize,
    column: usize,
) -> Result<(), ImportError> {
    let slot = match h.dir {
        Dir::Sent => 0,
        Dir::Received => 1,
    };
    let count = counts.get_mut(slot);
    let expected_from = count.as_deref().copied().unwrap_or(0);
    let find = |key: &[u8]| {
        line.windows(key.len())
            .position(|w| w == key)
            .map_or(column, |p| column + p)
    };
    if h.length == 0 {
        return Err(ImportError::expected(
            line_no,
            find(b"length="),
            "a length of at least 1",
            b"length=0",
        ));
    }
    if h.from != expected_from {
        return Err(ImportError::expected(
            line_no,
            find(b"from="),
            "`from=` equal to the bytes this direction carried before (a length= before lies)",
            line.get(find(b"from=") - column..).unwrap_or_default(),
        ));
    }
    let end = h.from.checked_add(h.length).and_then(|e| e.checked_sub(1));
    if end != Some(h.to) {
        return Err(ImportError::expected(
            line_no,
            find(b"to="),
            "`to=` equal to from + length - 1",
            line.get(find(b"to=") - column..).unwrap_or_default(),
        ));
    }
    if let (Some(c), Some(next)) = (count, h.from.checked_add(h.length)) {
        *c = next;
    }
    Ok(())
}

/// Turns blocks into records: times (checked) and data.
fn build(blocks: &[Block<'_>]) -> Result<Builder, ImportError> {
    // socat 1.7.4 pads microseconds to 9 digits: every fraction starts `000`.
    let nine_is_micro = blocks
        .iter()
        .filter(|b| b.header.fraction.len() == 9)
        .all(|b| b.header.fraction.starts_with(b"000"));
    let mut b = Builder::default();
    for block in blocks {
        let h = &block.header;
        let frac = match h.fraction.len() {
            9 if nine_is_micro => h.fraction.get(3..6),
            _ => h.fraction.get(..3),
        };
        let frac_ms = frac.and_then(|f| number(f, 3)).unwrap_or(0);
        let ms = h
            .days
            .checked_mul(86_400_000)
            .and_then(|d| d.checked_add(h.seconds_ms))
            .and_then(|t| t.checked_add(frac_ms))
            .ok_or_else(|| {
                ImportError::expected(block.line, block.column + 2, "a time that fits", h.written)
            })?;
        b.at_line(block.line);
        b.time(ms, h.written, block.line, block.column + 2)?;
        b.data(h.dir, &block.data);
    }
    Ok(b)
}

/// A `-x` / `-v -x` row: its bytes, and the text column if there is one.
fn hex_row(line: &[u8]) -> Option<(Vec<u8>, Option<&[u8]>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let (Some(b' '), Some(&h), Some(&l)) = (line.get(i), line.get(i + 1), line.get(i + 2)) {
        if !h.is_ascii_hexdigit() || !l.is_ascii_hexdigit() {
            break;
        }
        let pair = [h, l];
        out.push(u8::from_str_radix(std::str::from_utf8(&pair).ok()?, 16).ok()?);
        i += 3;
    }
    if out.is_empty() {
        return None;
    }
    let rest = line.get(i..).unwrap_or_default();
    if rest.is_empty() {
        // `-x`: the whole block on one line.
        return Some((out, None));
    }
    // `-v -x`: at most 16 bytes, a line feed only last, padding to 48
    // columns, two spaces, the text.
    let lf = out.iter().position(|&b| b == b'\n');
    if out.len() > 16 || lf.is_some_and(|p| p + 1 != out.len()) {
        return None;
    }
    if line.len() < 50 || !line.get(i..50)?.iter().all(|&b| b == b' ') {
        return None;
    }
    Some((out, line.get(50..)))
}

/// Where a `-v -x` row's text column disagrees with its hex (1-based
/// column), and what was expected.
fn ascii_mismatch(row: &[u8], ascii: &[u8]) -> Option<(usize, &'static str)> {
    if ascii.len() != row.len() {
        return Some((51, "the row's bytes as text, one character per byte"));
    }
    row.iter()
        .zip(ascii)
        .position(|(&b, &a)| {
            let shown = if (0x20..=0x7e).contains(&b) { b } else { b'.' };
            shown != a
        })
        .map(|p| (51 + p, "the text column to agree with the hex"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;

    #[test]
    fn reads_glued_headers() {
        let log = "> 2024/05/01 12:00:00.000000  length=10 from=0 to=9\nAT+FTPGET\\r\
                   < 2024/05/01 12:00:00.020000  length=12 from=0 to=11\n\\r\n+FTPGET:5,\
                   < 2024/05/01 12:00:00.021000  length=13 from=12 to=24\n12345\\r\n\\r\nOK\\r\n";
        let t = text(log.as_bytes()).unwrap();
        assert_eq!(
            t.records,
            [
                Record::Time(0),
                Record::Sent(b"AT+FTPGET\r".to_vec()),
                Record::Time(20),
                Record::Received(b"\r\n+FTPGET:5,".to_vec()),
                Record::Time(21),
                Record::Received(b"12345\r\n\r\nOK\r\n".to_vec()),
            ]
        );
        assert_eq!(t.lossy().count(), 0);
    }

    #[test]
    fn nine_digit_fractions_of_socat_1_7_4_are_microseconds() {
        let log = "> 2026/11/25 16:05:33.000850969  length=3 from=0 to=2\nAT\\r\
                   < 2026/11/25 16:05:34.000065816  length=3 from=0 to=2\nOK\n";
        let t = text(log.as_bytes()).unwrap();
        assert_eq!(t.records.get(2), Some(&Record::Time(215)));
    }

    #[test]
    fn dots_make_the_transcript_lossy() {
        let log = "> 2024/05/01 12:00:00.000000  length=4 from=0 to=3\nAT.\\r";
        let t = text(log.as_bytes()).unwrap();
        let why: Vec<_> = t.lossy().collect();
        assert_eq!(why.len(), 1);
        assert!(why[0].contains("at 2:3"), "{why:?}");
    }

    #[test]
    fn reads_hex_rows() {
        let log = "> 2026/11/25 16:05:33.000850969  length=3 from=0 to=2\n 41 54 0d                                         AT.\n--\n\
                   < 2026/11/25 16:05:34.000065816  length=6 from=0 to=5\n 0d 0a                                            ..\n 4f 4b 0d 0a                                      OK..\n--\n";
        let t = hex(log.as_bytes()).unwrap();
        assert_eq!(t.records[1], Record::Sent(b"AT\r".to_vec()));
        assert_eq!(t.records[3], Record::Received(b"\r\nOK\r\n".to_vec()));
        let x_only = "> 2026/11/25 16:05:34.000285409  length=3 from=0 to=2\n 41 54 0d\n";
        assert_eq!(
            hex(x_only.as_bytes()).unwrap().records[1],
            Record::Sent(b"AT\r".to_vec())
        );
    }

    #[test]
    fn a_lying_length_is_an_error() {
        let log = "> 2024/05/01 12:00:00.000000  length=2 from=0 to=1\nAT\\r\n";
        let e = text(log.as_bytes()).unwrap_err();
        assert_eq!((e.line, e.column), (2, 3), "{e}");
        let log = "> 2024/05/01 12:00:00.000000  length=9 from=0 to=8\nAT\\r";
        let e = text(log.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("the rest of the block"), "{e}");
    }

    #[test]
    fn absurd_times_are_errors() {
        for log in [
            "> 2024/05/01 9999999999999:47:00.000725  length=2 from=0 to=1\nAT",
            "> 2024/05/01 18446744073709551615:59:59.999999  length=2 from=0 to=1\nAT",
            "> 9999/99/99 00:00:00.000000  length=2 from=0 to=1\nAT",
        ] {
            let e = text(log.as_bytes()).unwrap_err();
            assert_eq!(e.line, 1, "{e}");
        }
    }
}
