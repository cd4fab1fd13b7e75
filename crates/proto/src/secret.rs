//! Where passwords are in raw bytes, so that nothing shows them.
//!
//! [`secret_ranges`] is the one rule: the crate's own `Debug` output (of
//! lines it did not understand) and every writer of logs or transcripts
//! (the replay crate's) hide exactly what it finds. A leaf module.

use core::fmt;
use core::ops::Range;

use crate::bytes::{within, Bytes};
use crate::lex::{trim, FULLWIDTH_COLON};

/// What replaces a hidden value in `Debug` output and transcripts.
pub const REDACTED: &str = "<redacted>";

/// The byte ranges of `bytes` that hold a password value and must never be
/// shown. `bytes` may hold several lines (ended by CR or LF) or part of one.
///
/// In each line, the value starts after
///
/// - `+FTPPW` (any case, spaces after the `+`) anywhere in the line, then
///   spaces, an optional `=`, `:` or `：`, and spaces: the command
///   `AT+FTPPW=…`, its echo and the `+FTPPW: …` answer, however malformed;
/// - or a word that starts with `PASS` or `PW` (any case), more letters or
///   spaces, then `=`, `:` or `：` and spaces: `PASSWORD: …` or `pw=…` in an
///   `AT+FTPSCON` report;
///
/// - or, in a line naming `SAPBR` (any case), a `PWD` tag (any case, quoted
///   or not) and its comma: the SIMCom dialect's bearer password,
///   `AT+SAPBR=3,1,"PWD","<pwd>"` and the `+SAPBR: PWD,<value>` answer
///   (`SPEC-simcom.md` §1.7);
///
/// and runs to the end of the line. A value that is empty or a lone `?`
/// (the test and query forms `AT+FTPPW=?`, `AT+FTPPW?`) hides nothing. The
/// rule errs on the side of hiding: `PWR: on` is hidden too.
///
/// ```
/// use cellftp_proto::secret_ranges;
/// let line = b"AT+FTPPW=hunter2\r\nPASSWORD: x\r\nAT+FTPPW=?\r";
/// let hidden: Vec<_> = secret_ranges(line).map(|r| &line[r]).collect();
/// assert_eq!(hidden, [&b"hunter2"[..], b"x"]);
/// ```
pub fn secret_ranges(bytes: &[u8]) -> SecretRanges<'_> {
    SecretRanges { bytes, at: 0 }
}

/// The iterator [`secret_ranges`] returns.
#[derive(Debug, Clone)]
pub struct SecretRanges<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Iterator for SecretRanges<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        while self.at < self.bytes.len() {
            let start = self.at;
            let rest = within(self.bytes, start..);
            let len = memchr::memchr2(b'\r', b'\n', rest).unwrap_or(rest.len());
            let line = within(rest, ..len);
            // Past the line and its terminator byte (if any).
            self.at = start + len + 1;
            if let Some(value) = value_start(line) {
                return Some(start + value..start + len);
            }
        }
        None
    }
}

impl core::iter::FusedIterator for SecretRanges<'_> {}

/// Where the password value of one line (no CR or LF inside) starts, if it
/// carries one that is not empty and not a lone `?`.
fn value_start(line: &[u8]) -> Option<usize> {
    let at = command_value(line)
        .or_else(|| named_value(line))
        .or_else(|| bearer_value(line))?;
    let value = trim(within(line, at..));
    (!value.is_empty() && value != b"?").then_some(at)
}

/// After `+FTPPW` anywhere in `line`: spaces, an optional separator, spaces.
fn command_value(line: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'+', line).find_map(|plus| {
        let mut i = plus + 1;
        i = skip_spaces(line, i);
        let name = line.get(i..i + 5)?;
        if !name.eq_ignore_ascii_case(b"FTPPW") {
            return None;
        }
        i = skip_spaces(line, i + 5);
        // `i` is past the five bytes of the name, at most the line's end.
        i += separator(within(line, i..)).unwrap_or(0);
        Some(skip_spaces(line, i))
    })
}

/// After `PASS…` or `PW…` (any case), letters or spaces, a separator and
/// spaces.
fn named_value(line: &[u8]) -> Option<usize> {
    let starts = |rest: &[u8], name: &[u8]| {
        rest.get(..name.len())
            .is_some_and(|r| r.eq_ignore_ascii_case(name))
    };
    // Both names start with `P`: only there can one start.
    memchr::memchr2_iter(b'P', b'p', line).find_map(|at| {
        let rest = line.get(at..)?;
        let name_len = if starts(rest, b"PASS") {
            4
        } else if starts(rest, b"PW") {
            2
        } else {
            return None;
        };
        let mut i = name_len;
        while rest
            .get(i)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b' ')
        {
            i += 1;
        }
        let sep = separator(rest.get(i..)?)?;
        Some(skip_spaces(line, at + i + sep))
    })
}

/// In a line naming `SAPBR`: after a `PWD` tag, its closing quote, spaces,
/// a comma and spaces.
fn bearer_value(line: &[u8]) -> Option<usize> {
    let has = |at: usize, word: &[u8]| {
        line.get(at..at + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    };
    // Each word can only start at its first letter: `memchr` finds those
    // rather than trying every position.
    memchr::memchr2_iter(b'S', b's', line).find(|&at| has(at, b"SAPBR"))?;
    memchr::memchr2_iter(b'P', b'p', line).find_map(|at| {
        if !has(at, b"PWD") {
            return None;
        }
        let mut i = at + 3;
        if line.get(i) == Some(&b'"') {
            i += 1;
        }
        i = skip_spaces(line, i);
        (line.get(i) == Some(&b',')).then(|| skip_spaces(line, i + 1))
    })
}

/// The length of the `=`, `:` or `：` at the start of `s`.
fn separator(s: &[u8]) -> Option<usize> {
    match s {
        [b':' | b'=', ..] => Some(1),
        s if s.starts_with(FULLWIDTH_COLON) => Some(FULLWIDTH_COLON.len()),
        _ => None,
    }
}

fn skip_spaces(line: &[u8], mut i: usize) -> usize {
    while line.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

/// Formats raw bytes as [`Bytes`] does, with every range of
/// [`secret_ranges`] replaced by [`REDACTED`].
pub(crate) struct Redacted<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = 0;
        for range in secret_ranges(self.0) {
            fmt::Debug::fmt(&Bytes(within(self.0, shown..range.start)), f)?;
            f.write_str(REDACTED)?;
            shown = range.end;
        }
        if shown == 0 || shown < self.0.len() {
            fmt::Debug::fmt(&Bytes(within(self.0, shown..)), f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{secret_ranges, Redacted};
    use std::vec::Vec;

    fn hidden(bytes: &[u8]) -> Vec<&[u8]> {
        secret_ranges(bytes).map(|r| &bytes[r]).collect()
    }

    #[test]
    fn finds_every_password_value() {
        assert_eq!(hidden(b"AT+FTPPW=123"), [b"123"]);
        assert_eq!(hidden(b"AT+ FTPPW =123\r"), [b"123"]);
        assert_eq!(hidden(b"at+ftppw=a,b;c\r\n"), [b"a,b;c"]);
        assert_eq!(hidden(b"+FTPPW: 123"), [b"123"]);
        assert_eq!(hidden(b"\r\n+FTPPW: 123\r\nOK\r\n"), [b"123"]);
        assert_eq!(hidden(b"AT+FTPPW hunter2"), [b"hunter2"]);
        assert_eq!(hidden(b"AT+FTPPW=?x"), [b"?x"]);
        assert_eq!(hidden(b"PASSWORD: 123"), [b"123"]);
        assert_eq!(hidden(b"ftp pw=123"), [b"123"]);
        assert_eq!(hidden("Pass：x".as_bytes()), [b"x"]);
        assert_eq!(hidden(b"PWR: on"), [b"on"]);
        assert_eq!(hidden(b"a\rPW=1\nb\r\nPW=2"), [b"1", b"2"]);
        assert_eq!(hidden(b"AT+SAPBR=3,1,\"PWD\",\"s,3\"\r"), [b"\"s,3\""]);
        assert_eq!(hidden(b"+sapbr: pwd ,x"), [b"x"]);
    }

    #[test]
    fn hides_nothing_else() {
        for line in [
            &b"SERVER:1.2.3.4"[..],
            b"+FTPMODE: 1",
            b"AT+FTPPW=?\r",
            b"AT+FTPPW?\r",
            b"AT+FTPPW=\r",
            b"+FTPPW:",
            b"AT+FTPPUT=5,12345\r",
            b"AT+SAPBR=3,1,\"APN\",\"PWD\"\r",
            b"AT+SAPBR=2,1\r",
            b"",
        ] {
            assert_eq!(hidden(line), Vec::<&[u8]>::new(), "{line:?}");
        }
    }

    /// The rule as first written, a position at a time: the searches
    /// above must find the same values.
    fn reference(line: &[u8]) -> Option<usize> {
        let command = line
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'+')
            .find_map(|(plus, _)| {
                let mut i = super::skip_spaces(line, plus + 1);
                if !line.get(i..i + 5)?.eq_ignore_ascii_case(b"FTPPW") {
                    return None;
                }
                i = super::skip_spaces(line, i + 5);
                i += super::separator(line.get(i..).unwrap_or_default()).unwrap_or(0);
                Some(super::skip_spaces(line, i))
            });
        let upper = |b: &u8| b.to_ascii_uppercase();
        let named = || {
            (0..line.len()).find_map(|at| {
                let rest = line.get(at..)?;
                let mut i = if rest.iter().take(4).map(upper).eq(*b"PASS") {
                    4
                } else if rest.iter().take(2).map(upper).eq(*b"PW") {
                    2
                } else {
                    return None;
                };
                while rest
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphabetic() || *b == b' ')
                {
                    i += 1;
                }
                let sep = super::separator(rest.get(i..)?)?;
                Some(super::skip_spaces(line, at + i + sep))
            })
        };
        command.or_else(named)
    }

    proptest::proptest! {
        #[test]
        fn finds_what_a_position_at_a_time_finds(
            line in proptest::collection::vec(proptest::sample::select(
                b"+FTPftpWASwas =:\xef\xbc\x9a?x1".to_vec()), 0..40)
        ) {
            let at = super::command_value(&line).or_else(|| super::named_value(&line));
            proptest::prop_assert_eq!(at, reference(&line));
        }
    }

    #[test]
    fn redacted_debug_output() {
        let show = |b: &[u8]| std::format!("{:?}", Redacted(b));
        assert_eq!(show(b"AT+FTPPW=s3cret,x"), r#"b"AT+FTPPW="<redacted>"#);
        assert_eq!(show(b"user: xs"), r#"b"user: xs""#);
        assert_eq!(show(b""), r#"b"""#);
    }
}
