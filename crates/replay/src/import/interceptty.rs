//! interceptty logs (`interceptty -o log /dev/ttyUSB0 /tmp/modem`).
//!
//! interceptty (`interceptty.c`, `dumpbuff`) writes one line per byte. The
//! direction marker is `<` for a byte sent *to* the real device (host to
//! modem) and `>` plus a tab for one received *from* it; then the byte in
//! hex, then, in version 0.6, the character in parentheses for printable
//! bytes other than space:
//!
//! ```text
//! < 0x41 (A)
//! < 0x0d
//! >\t0x4f (O)
//! ```
//!
//! (`\t` stands for the tab.)
//!
//! The later version (the one that added `-T`) names every byte (`([CR])`, `([NUL])`,
//! `([DEL])`, the space as `( )` and, as `%c` prints them, bytes from 0x80
//! as themselves; `(' ')` is read too, which its table has but never
//! prints) and starts the first line of each read with the
//! time, `[HH:MM SS.uuuuuu]` (`strftime("%H:%M %S")` and the microseconds),
//! and the read's other lines with as many spaces:
//!
//! ```text
//! [16:05 34.704604]< 0x41 (A)
//!                  < 0x0d ([CR])
//! ```
//!
//! With timestamps each read is one record; without, a run of bytes in
//! one direction is. The hex is exact; the character is checked against
//! it. The `-e` (several bytes a line) and `-f` (hex or character only)
//! variants are not read.

use super::{lines, time_of_day_ms, Builder, DayClock, Dir, ImportError, Line, Located};

const LINE: &str = "an interceptty line `< 0x41 (A)` or `> \\t0x4f (O)`";

/// Does the log start like interceptty's?
pub(super) fn looks_like(head: &[u8]) -> bool {
    lines(head)
        .take(3)
        .all(|l| parse_line(l.text).is_ok() || l.number > 1 && l.text.is_empty())
        && !head.is_empty()
}

/// One byte's line.
struct Parsed<'a> {
    /// `[HH:MM SS.uuuuuu]`, its time in ms since midnight.
    time: Option<(u64, &'a [u8])>,
    /// Spaces standing for the time of the read it continues.
    continues: bool,
    dir: Dir,
    byte: u8,
}

/// Reads one line; on error the 0-based column and what was expected.
fn parse_line(line: &[u8]) -> Result<Parsed<'_>, (usize, &'static str)> {
    let mut at = 0;
    let mut time = None;
    if line.first() == Some(&b'[') {
        let close = line
            .iter()
            .position(|&b| b == b']')
            .ok_or((0, "a time `[HH:MM SS.uuuuuu]`"))?;
        let stamp = line.get(1..close).unwrap_or_default();
        // `HH:MM SS.uuuuuu`: a space where a colon would be.
        let mut hms = stamp.to_vec();
        if let Some(sp) = hms.get_mut(5) {
            if *sp == b' ' {
                *sp = b':';
            }
        }
        let ms = time_of_day_ms(&hms)
            .filter(|_| stamp.len() == 15 && stamp.get(5) == Some(&b' '))
            .ok_or((1, "a time `HH:MM SS.uuuuuu`"))?;
        time = Some((ms, stamp));
        at = close + 1;
    }
    let spaces = line
        .get(at..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| b == b' ')
        .count();
    let continues = time.is_none() && spaces > 0;
    at += spaces;
    let dir = match line.get(at..at + 2) {
        Some(b"< ") => Dir::Sent,
        Some(b"> ") => Dir::Received,
        _ => return Err((at, LINE)),
    };
    at += 2;
    if dir == Dir::Received {
        if line.get(at) != Some(&b'\t') {
            return Err((at, "a tab after `> `"));
        }
        at += 1;
    }
    let byte = match line.get(at..at + 4) {
        Some(&[b'0', b'x', h, l]) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
            let pair = [h, l];
            std::str::from_utf8(&pair)
                .ok()
                .and_then(|s| u8::from_str_radix(s, 16).ok())
                .ok_or((at, "a byte `0xHH`"))?
        }
        _ => return Err((at, "a byte `0xHH`")),
    };
    at += 4;
    let rest = line.get(at..).unwrap_or_default();
    if !rest.is_empty() && !shown_ok(byte, rest) {
        return Err((at, "the byte's character ` (A)`, or nothing"));
    }
    Ok(Parsed {
        time,
        continues,
        dir,
        byte,
    })
}

/// ` (c)` as either version prints `byte`.
fn shown_ok(byte: u8, rest: &[u8]) -> bool {
    const NAMES: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF",
        "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM",
        "SUB", "ESC", "FS", "GS", "RS", "US",
    ];
    let Some(inner) = rest.strip_prefix(b" (").and_then(|r| r.strip_suffix(b")")) else {
        return false;
    };
    match byte {
        // `char_repr` has `' '` for the space, at an index its `ch < 32`
        // test never reaches: the tool prints `( )`.
        b' ' => inner == b" " || inner == b"' '",
        // `%c`: the byte itself, also at and above 0x80.
        0x21..=0x7e | 0x80..=0xff => inner == [byte],
        0x7f => inner == b"[DEL]",
        _ => NAMES.get(usize::from(byte)).is_some_and(|n| {
            inner.strip_prefix(b"[").and_then(|i| i.strip_suffix(b"]")) == Some(n.as_bytes())
        }),
    }
}

/// Reads an interceptty log.
pub(super) fn read(bytes: &[u8]) -> Result<Located, ImportError> {
    let mut b = Builder::default();
    let mut clock = DayClock::default();
    let mut run: Option<(Dir, Vec<u8>)> = None;
    let mut last = 0;
    for Line { number, text } in lines(bytes) {
        last = number;
        b.at_line(number);
        if text.is_empty() {
            continue;
        }
        let p = parse_line(text).map_err(|(at, expected)| {
            ImportError::expected(number, at + 1, expected, text.get(at..).unwrap_or_default())
        })?;
        let same_run = match &run {
            Some((dir, _)) => *dir == p.dir && p.time.is_none() && (p.continues || !timed(&b)),
            None => false,
        };
        if !same_run {
            if let Some((dir, data)) = run.take() {
                b.data(dir, &data);
            }
            if let Some((ms, written)) = p.time {
                let ms = clock
                    .absolute(ms)
                    .ok_or_else(|| ImportError::expected(number, 2, "a time that fits", written))?;
                b.time(ms, written, number, 2)?;
            }
        }
        run.get_or_insert_with(|| (p.dir, Vec::new()))
            .1
            .push(p.byte);
    }
    if let Some((dir, data)) = run.take() {
        b.data(dir, &data);
    }
    b.finish(last + 1)
}

/// Has the log carried a time yet (then only a time starts a read)?
fn timed(b: &Builder) -> bool {
    b.has_time()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;

    #[test]
    fn reads_one_byte_per_line() {
        let log = "< 0x41 (A)\n< 0x54 (T)\n< 0x0d\n> \t0x0d\n> \t0x0a\n> \t0x4f (O)\n> \t0x4b (K)\n> \t0x0d\n> \t0x0a\n";
        let t = read(log.as_bytes()).unwrap();
        assert_eq!(
            t.records,
            [
                Record::Sent(b"AT\r".to_vec()),
                Record::Received(b"\r\nOK\r\n".to_vec()),
            ]
        );
    }

    #[test]
    fn timestamps_start_reads() {
        let log = "[12:00 00.000000]< 0x41 (A)\n                 < 0x54 (T)\n[12:00 00.001000]< 0x0d ([CR])\n[12:00 00.020000]> \t0x4f (O)\n";
        let t = read(log.as_bytes()).unwrap();
        assert_eq!(
            t.records,
            [
                Record::Time(0),
                Record::Sent(b"AT".to_vec()),
                Record::Time(1),
                Record::Sent(b"\r".to_vec()),
                Record::Time(20),
                Record::Received(b"O".to_vec()),
            ]
        );
    }

    #[test]
    fn reads_spaces_and_high_bytes_as_the_tool_prints_them() {
        let log = b"< 0x41 (A)\n< 0x54 (T)\n< 0x20 ( )\n< 0x20 (' ')\n> \t0xe8 (\xe8)\n> \t0x00 ([NUL])\n";
        let t = read(log).unwrap();
        assert_eq!(
            t.records,
            [
                Record::Sent(b"AT  ".to_vec()),
                Record::Received(b"\xe8\0".to_vec()),
            ]
        );
        assert!(read(b"> \t0xe8 (\xe9)\n").is_err());
    }

    #[test]
    fn a_wrong_character_is_an_error() {
        let e = read(b"< 0x41 (B)\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 7), "{e}");
    }
}
