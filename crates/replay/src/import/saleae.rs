//! Saleae Logic async-serial analyzer exports (CSV).
//!
//! Logic 2 ("Export Table" of an Async Serial analyzer) writes a header and
//! one row per decoded frame, every analyzer of the capture in one file:
//!
//! ```text
//! name,type,start_time,duration,data
//! "TX","data",0.0006025,8.68e-05,0x41
//! "RX","data",0.0213,8.68e-05,0x0D
//! ```
//!
//! `name` is the analyzer's label, `start_time` and `duration` are seconds
//! (decimal, possibly with an exponent), `data` the byte in the display
//! radix. Extra columns after `data` (`error`, …) are ignored.
//!
//! Logic 1 exports one analyzer per file:
//!
//! ```text
//! Time [s],Value,Parity Error,Framing Error
//! 0.000602500000000,0x41,,
//! ```
//!
//! The byte may be written `0x41` (hex), `65` (decimal), `0b01000001`
//! (binary) or as its character (`A`, `' '`, `\r`, `\n`, `\t`, `\0`, `\\`).
//! A row with a framing or parity error is an error: the byte is not known.
//!
//! Which channel is the host's is not in the file: the one that carries
//! no `OK`/`ERROR` is (the modem's carries them), else the one heard first.
//! Bytes of one direction less than ten frame times apart are one record.

use super::{lines, Builder, Dir, ImportError, Line, Located};

const LOGIC2: &[u8] = b"name,type,start_time,duration,data";
const LOGIC1: &[u8] = b"Time [s],Value";

/// Does the file start with Logic 2's header?
pub(super) fn looks_like_logic2(head: &[u8]) -> bool {
    head.strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(head)
        .starts_with(LOGIC2)
}

/// Does the file start with Logic 1's header?
pub(super) fn looks_like_logic1(head: &[u8]) -> bool {
    head.strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(head)
        .starts_with(LOGIC1)
}

/// One decoded frame.
struct Frame<'a> {
    channel: &'a [u8],
    /// Start, in µs.
    start: u64,
    /// Frame time, in µs.
    duration: u64,
    byte: u8,
}

/// Reads a Logic 2 export.
pub(super) fn logic2(bytes: &[u8]) -> Result<Located, ImportError> {
    let mut frames = Vec::new();
    let mut last = 0;
    for Line { number, text } in lines(bytes) {
        last = number;
        if number == 1 {
            let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
            if !text.starts_with(LOGIC2) {
                return Err(ImportError::expected(
                    1,
                    1,
                    "the header `name,type,start_time,duration,data`",
                    text,
                ));
            }
            continue;
        }
        if text.is_empty() {
            continue;
        }
        let f = fields(text);
        let col = |i: usize| f.get(i).map_or(text.len() + 1, |(c, _)| c + 1);
        let get = |i: usize, what: &'static str| {
            f.get(i)
                .map(|(_, v)| *v)
                .ok_or_else(|| ImportError::expected(number, col(i), what, b""))
        };
        let channel = get(0, "the analyzer's name")?;
        let kind = get(1, "the row's type")?;
        if kind != b"data" {
            return Err(ImportError::expected(
                number,
                col(1),
                "a `data` row (errors and other rows leave the byte unknown)",
                kind,
            ));
        }
        let start = get(2, "a start time in seconds")?;
        let start = seconds_us(start).ok_or_else(|| {
            ImportError::expected(number, col(2), "a start time in seconds", start)
        })?;
        let duration = get(3, "a duration in seconds")?;
        let duration = seconds_us(duration).ok_or_else(|| {
            ImportError::expected(number, col(3), "a duration in seconds", duration)
        })?;
        let data = get(4, "the byte")?;
        let byte = value(data).ok_or_else(|| {
            ImportError::expected(
                number,
                col(4),
                "a byte: `0x41`, `65`, `0b01000001` or a character",
                data,
            )
        })?;
        frames.push((
            number,
            col(2),
            Frame {
                channel,
                start,
                duration,
                byte,
            },
        ));
    }
    build(frames, last)
}

/// Reads a Logic 1 export (one channel).
pub(super) fn logic1(bytes: &[u8]) -> Result<Located, ImportError> {
    let mut frames = Vec::new();
    let mut last = 0;
    for Line { number, text } in lines(bytes) {
        last = number;
        if number == 1 {
            let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
            if !text.starts_with(LOGIC1) {
                return Err(ImportError::expected(
                    1,
                    1,
                    "the header `Time [s],Value,Parity Error,Framing Error`",
                    text,
                ));
            }
            continue;
        }
        if text.is_empty() {
            continue;
        }
        let f = fields(text);
        let col = |i: usize| f.get(i).map_or(text.len() + 1, |(c, _)| c + 1);
        let time = f.first().map(|(_, v)| *v).unwrap_or_default();
        let start = seconds_us(time)
            .ok_or_else(|| ImportError::expected(number, 1, "a time in seconds", time))?;
        let data = f.get(1).map(|(_, v)| *v).unwrap_or_default();
        let byte = value(data).ok_or_else(|| {
            ImportError::expected(
                number,
                col(1),
                "a byte: `0x41`, `65`, `0b01000001` or a character",
                data,
            )
        })?;
        if let Some((i, (_, e))) = f
            .iter()
            .enumerate()
            .skip(2)
            .find(|(_, (_, e))| !e.is_empty())
        {
            return Err(ImportError::expected(
                number,
                col(i),
                "no parity or framing error (the byte is not known)",
                e,
            ));
        }
        frames.push((
            number,
            1,
            Frame {
                channel: b"",
                start,
                duration: 0,
                byte,
            },
        ));
    }
    build(frames, last)
}

/// The comma-separated fields of a row, each with its 0-based column,
/// quotes removed.
fn fields(row: &[u8]) -> Vec<(usize, &[u8])> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, &c) in row.iter().enumerate() {
        match c {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                out.push((start, unquote(row.get(start..i).unwrap_or_default())));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push((start, unquote(row.get(start..).unwrap_or_default())));
    out
}

fn unquote(f: &[u8]) -> &[u8] {
    f.strip_prefix(b"\"")
        .and_then(|f| f.strip_suffix(b"\""))
        .unwrap_or(f)
}

/// Seconds (`0.0006025`, `8.68e-05`) as µs; `None` if not a number, not
/// finite, negative or beyond a year.
fn seconds_us(text: &[u8]) -> Option<u64> {
    let s = std::str::from_utf8(text).ok()?;
    let v: f64 = s.trim().parse().ok()?;
    if !v.is_finite() || !(0.0..=31_536_000.0).contains(&v) {
        return None;
    }
    // In range: at most 3.2e13 µs, exact enough and never saturating.
    Some((v * 1e6).round() as u64)
}

/// A byte in any of the export's radixes.
fn value(text: &[u8]) -> Option<u8> {
    let s = std::str::from_utf8(text).ok()?;
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return u8::from_str_radix(hex, 16).ok();
    }
    if let Some(bin) = s.strip_prefix("0b") {
        return u8::from_str_radix(bin, 2).ok();
    }
    match s {
        "' '" | " " => return Some(b' '),
        "\\r" => return Some(b'\r'),
        "\\n" => return Some(b'\n'),
        "\\t" => return Some(b'\t'),
        "\\0" => return Some(0),
        "\\\\" => return Some(b'\\'),
        _ => {}
    }
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    match text {
        [c] if c.is_ascii_graphic() => Some(*c),
        [b'\'', c, b'\''] if c.is_ascii_graphic() || *c == b' ' => Some(*c),
        _ => None,
    }
}

/// Frames to records: directions by content, chunks by gaps.
fn build(mut frames: Vec<(usize, usize, Frame<'_>)>, last: usize) -> Result<Located, ImportError> {
    frames.sort_by_key(|(_, _, f)| f.start);
    let mut channels: Vec<&[u8]> = Vec::new();
    for (_, _, f) in &frames {
        if !channels.contains(&f.channel) {
            channels.push(f.channel);
        }
    }
    if channels.len() > 2 {
        let (line, col, _) = frames
            .iter()
            .find(|(_, _, f)| Some(&f.channel) == channels.get(2))
            .map_or((1, 1, 0), |(l, c, f)| (*l, *c, f.start));
        return Err(ImportError::expected(
            line,
            col.min(2),
            "at most two analyzers, one each way",
            channels.get(2).copied().unwrap_or_default(),
        ));
    }
    let stream = |ch: &[u8]| -> Vec<u8> {
        frames
            .iter()
            .filter(|(_, _, f)| f.channel == ch)
            .map(|(_, _, f)| f.byte)
            .collect()
    };
    let is_modem =
        |s: &[u8]| s.windows(4).any(|w| w == b"OK\r\n") || s.windows(5).any(|w| w == b"ERROR");
    // Frames are sorted by time: the first channel listed was heard first.
    let host: Option<&[u8]> = match channels.as_slice() {
        [one] => (!is_modem(&stream(one))).then_some(*one),
        [a, b] => match (is_modem(&stream(a)), is_modem(&stream(b))) {
            (true, false) => Some(*b),
            _ => Some(*a),
        },
        _ => None,
    };
    let mut b = Builder::default();
    let mut chunk: Option<(Dir, Vec<u8>, u64)> = None;
    for (line, col, f) in &frames {
        let dir = if Some(f.channel) == host {
            Dir::Sent
        } else {
            Dir::Received
        };
        let gap_ok = |end: u64| {
            let limit = f.duration.max(100).saturating_mul(10);
            f.start.saturating_sub(end) <= limit
        };
        match chunk.as_mut() {
            Some((d, data, end)) if *d == dir && gap_ok(*end) => {
                data.push(f.byte);
                *end = f.start.saturating_add(f.duration.max(1));
            }
            _ => {
                if let Some((d, data, _)) = chunk.take() {
                    b.data(d, &data);
                }
                b.at_line(*line);
                b.time(f.start / 1000, b"", *line, *col)?;
                chunk = Some((dir, vec![f.byte], f.start.saturating_add(f.duration.max(1))));
            }
        }
    }
    if let Some((d, data, _)) = chunk.take() {
        b.data(d, &data);
    }
    b.finish(last + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;

    #[test]
    fn reads_logic2() {
        let mut csv = String::from("name,type,start_time,duration,data\n");
        let mut t = 0.0;
        for (ch, s) in [("RX", "AT\r"), ("TX", "AT\r\r\nOK\r\n")] {
            for b in s.bytes() {
                csv.push_str(&format!("\"{ch}\",\"data\",{t:.7},8.68e-05,0x{b:02X}\n"));
                t += 0.0001;
            }
            t += 0.02;
        }
        let tr = logic2(csv.as_bytes()).unwrap();
        assert_eq!(
            tr.records,
            [
                Record::Time(0),
                Record::Sent(b"AT\r".to_vec()),
                Record::Time(20),
                Record::Received(b"AT\r\r\nOK\r\n".to_vec()),
            ]
        );
    }

    #[test]
    fn reads_logic1() {
        let csv =
            "Time [s],Value,Parity Error,Framing Error\n0.1,A,,\n0.1001,0x54,,\n0.1002,\\r,,\n";
        let tr = logic1(csv.as_bytes()).unwrap();
        assert_eq!(
            tr.records,
            [Record::Time(0), Record::Sent(b"AT\r".to_vec())]
        );
        let bad = "Time [s],Value,Parity Error,Framing Error\n0.1,A,,Error\n";
        assert_eq!(logic1(bad.as_bytes()).unwrap_err().line, 2);
    }
}
