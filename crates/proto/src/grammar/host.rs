//! The host side's line rule: a command line as we would send it, read
//! from what the host sends and from the modem's echo of it; and the rule
//! for a command's name, which the modem side's information responses
//! (`+<NAME>: <value>`) share.

use winnow::ascii::Caseless;
use winnow::prelude::*;
use winnow::token::literal;

use crate::bytes::within;
use crate::command::{basic, Command, CommandName, EXTENDED};
use crate::lex::{fail, spaces, trim, Parsed};

/// `<name>` after a `+`: a known command name, any case, longest first.
pub(super) fn command_name(input: &mut &[u8]) -> Parsed<CommandName> {
    // The word's lookup costs flash the firmware cannot spare: on other
    // targets every name is looked up by its prefix.
    #[cfg(target_arch = "x86_64")]
    let found = word_name(input).or_else(|| prefix_name(input));
    #[cfg(not(target_arch = "x86_64"))]
    let found = prefix_name(input);
    match found {
        Some((name, len)) => {
            *input = within(input, len..);
            Ok(name)
        }
        None => fail(),
    }
}

/// The name that the letters `input` starts with spell, and its length,
/// when they spell one and the input has eight bytes or more; `None` leaves
/// the decision to [`prefix_name`].
///
/// Names are letters only: no name longer than these letters can start
/// the input, so the name they spell is the longest one it starts with,
/// the name [`prefix_name`] finds. The first eight bytes are read as one
/// word: its letters found and folded to lower case at once, the rest
/// cleared, and the word compared whole with each name's (the compiler
/// makes the comparisons a binary search); the letters of a longer word
/// after the eighth are compared one by one.
#[cfg(target_arch = "x86_64")]
#[inline]
fn word_name(input: &[u8]) -> Option<(CommandName, usize)> {
    let word = u64::from_le_bytes(*input.first_chunk::<8>()?);
    let letters = ascii_letters(word);
    let len = (!letters & HIGH).trailing_zeros() / 8;
    // A letter's high bit, moved to 0x20, folds it to lower case.
    let folded = word | letters >> 2;
    if len == 8 {
        // Eight letters or more: a long name's first eight, then its
        // last letters (no name is longer than ten).
        let rest = input.get(8..).unwrap_or_default();
        let more = rest
            .iter()
            .take(3)
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let tail = within(rest, ..more);
        return LONG_WORDS
            .iter()
            .find(|&&(k, t, _)| k == folded && tail.eq_ignore_ascii_case(t))
            .map(|&(_, t, name)| (name, 8 + t.len()));
    }
    if len == 0 {
        return None;
    }
    let key = folded & (u64::MAX >> (64 - 8 * len));
    WORDS
        .iter()
        .find(|&&(k, _)| k == key)
        .map(|&(_, name)| (name, len as usize))
}

#[cfg(target_arch = "x86_64")]
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that is an ASCII letter, all else
/// clear.
#[cfg(target_arch = "x86_64")]
const fn ascii_letters(word: u64) -> u64 {
    const FOLD: u64 = 0x2020_2020_2020_2020;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // Folded and without the high bit, a byte is at most 0x7f: adding
    // 0x1f sets the high bit from `a` (0x61) on, adding 0x05 from `{`
    // (0x7b) on, and neither carries into the next byte. A byte with the
    // high bit set is no letter.
    let lower = (word | FOLD) & LOW7;
    let from_a = lower + 0x1f1f_1f1f_1f1f_1f1f;
    let past_z = lower + 0x0505_0505_0505_0505;
    from_a & !past_z & !word & HIGH
}

/// The names of fewer than eight letters as [`word_name`] reads them: lower
/// case, one byte each from the lowest, the rest clear. Built from the
/// command table when the crate is compiled.
#[cfg(target_arch = "x86_64")]
#[allow(clippy::indexing_slicing)] // Compile-time evaluation: a bad index fails the build.
const WORDS: [(u64, CommandName); short_count()] = {
    let mut out = [(0u64, CommandName::At); short_count()];
    let mut n = 0;
    let mut i = 0;
    while i < EXTENDED.len() {
        let (text, name) = EXTENDED[i];
        if text.len() < 8 {
            let mut key = 0u64;
            let mut j = 0;
            while j < text.len() {
                assert!(
                    text[j].is_ascii_alphabetic(),
                    "a command name of letters only"
                );
                key |= (text[j].to_ascii_lowercase() as u64) << (8 * j);
                j += 1;
            }
            out[n] = (key, name);
            n += 1;
        }
        i += 1;
    }
    out
};

/// The names of eight letters or more as [`word_name`] reads them: the
/// first eight as in [`WORDS`], and the letters after them.
#[cfg(target_arch = "x86_64")]
#[allow(clippy::indexing_slicing)] // Compile-time evaluation: a bad index fails the build.
const LONG_WORDS: [(u64, &[u8], CommandName); EXTENDED.len() - short_count()] = {
    let mut out = [(0u64, &[] as &[u8], CommandName::At); EXTENDED.len() - short_count()];
    let mut n = 0;
    let mut i = 0;
    while i < EXTENDED.len() {
        let (text, name) = EXTENDED[i];
        if text.len() >= 8 {
            let mut key = 0u64;
            let mut j = 0;
            while j < 8 {
                assert!(
                    text[j].is_ascii_alphabetic(),
                    "a command name of letters only"
                );
                key |= (text[j].to_ascii_lowercase() as u64) << (8 * j);
                j += 1;
            }
            let (_, tail) = text.split_at(8);
            out[n] = (key, tail, name);
            n += 1;
        }
        i += 1;
    }
    out
};

/// How many names have fewer than eight letters.
#[cfg(target_arch = "x86_64")]
#[allow(clippy::indexing_slicing)] // Compile-time evaluation: a bad index fails the build.
const fn short_count() -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < EXTENDED.len() {
        if EXTENDED[i].0.len() < 8 {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The longest known command name `input` starts with, any case, and its
/// length.
#[inline(never)]
fn prefix_name(input: &[u8]) -> Option<(CommandName, usize)> {
    // Upper-case the longest name's worth of bytes once, then compare whole
    // names; the fourth byte tells most names apart before any comparison.
    // `&EXTENDED`: iterating the const by value copies the whole table.
    const LONGEST: usize = 10;
    let mut buf = [0u8; LONGEST];
    let n = input.len().min(LONGEST);
    if let (Some(d), Some(s)) = (buf.get_mut(..n), input.get(..n)) {
        d.copy_from_slice(s);
    }
    // The whole array at once, a fixed-size loop the compiler vectorises.
    buf.make_ascii_uppercase();
    let head = within(&buf, ..n);
    let fourth = head.get(3).copied();
    EXTENDED
        .iter()
        .find(|&&(text, _)| text.get(3).copied() == fourth && head.starts_with(text))
        .map(|&(text, name)| (name, text.len()))
}

/// A complete command line without its terminator, if it is one we would
/// send: the manual's spellings (stray spaces, any case) are accepted.
pub(crate) fn command_line(line: &[u8]) -> Option<Command<'_>> {
    let mut input = trim(line);
    (literal(Caseless("AT")), spaces)
        .parse_next(&mut input)
        .ok()?;
    if input.is_empty() {
        return Command::parse_form(CommandName::At, input);
    }
    if let Some(rest) = input.strip_prefix(b"+") {
        // An extended command: `+`, spaces, the name, spaces, the form.
        let mut rest = rest;
        spaces(&mut rest).ok()?;
        let name = command_name(&mut rest).ok()?;
        spaces(&mut rest).ok()?;
        return Command::parse_form(name, rest);
    }
    // A basic command: its name (`E`) and, right after it, its parameter.
    basic().find_map(|(name, text)| {
        let head = input.get(..text.len())?;
        let rest = input.get(text.len()..)?;
        head.eq_ignore_ascii_case(text)
            .then(|| Command::parse_form(name, rest))
            .flatten()
    })
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::vec::Vec;

    /// What follows a name on the lines tried: nothing, the colons, spaces,
    /// a letter or digit that runs on, the rest of a longer name, and
    /// bytes no letter folds onto.
    const AFTER: [&[u8]; 16] = [
        b"",
        b":",
        b": 1",
        b" : x",
        b"X",
        b"x:",
        b"1",
        b"NAME",
        b"NAMEX",
        b"ME:",
        "：".as_bytes(),
        b"\x80",
        b"_",
        b"@",
        b"[",
        b"`",
    ];

    /// The name each spelling of each command name is read as, and what is
    /// left, agree with the longest-prefix lookup.
    #[test]
    fn a_word_is_read_as_the_longest_name() {
        for &(text, _) in &EXTENDED {
            let lower = text.to_ascii_lowercase();
            let mixed: Vec<u8> = text
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    if i % 2 == 0 {
                        b.to_ascii_lowercase()
                    } else {
                        *b
                    }
                })
                .collect();
            for spelling in [text, &lower[..], &mixed[..]] {
                for after in AFTER {
                    let line = [spelling, after].concat();
                    if let Some(found) = word_name(&line) {
                        assert_eq!(Some(found), prefix_name(&line), "{line:?}");
                    }
                    let mut input = &line[..];
                    let name = command_name(&mut input).ok();
                    assert_eq!(
                        name.map(|n| (n, line.len() - input.len())),
                        prefix_name(&line)
                    );
                }
            }
        }
    }

    /// Every name, followed by a byte that is no letter in an input of
    /// eight bytes or more, is found without the general lookup.
    #[test]
    fn a_name_before_a_colon_is_read_by_the_word() {
        for &(text, name) in &EXTENDED {
            let line = [text, b": 1234"].concat();
            assert_eq!(word_name(&line), Some((name, text.len())), "{text:?}");
        }
    }

    #[test]
    fn letters_are_the_ascii_letters() {
        for b in 0..=255u8 {
            let word = u64::from_le_bytes([b'.', b, b'.', b'.', b'.', b'.', b'.', b]);
            let want = if b.is_ascii_alphabetic() {
                0x8000_0000_0000_8000
            } else {
                0
            };
            assert_eq!(ascii_letters(word), want, "{b:#04x}");
        }
    }

    proptest! {
        /// Bytes near the names: where the word decides, it decides as the
        /// longest-prefix lookup does.
        #[test]
        fn word_and_prefix_agree(line in prop::collection::vec(
            prop::sample::select(b"FTPGETNAMEPUTSCONRVLIQWDKYcfgtpaemn: 1\x80".to_vec()), 0..14,
        )) {
            if let Some(found) = word_name(&line) {
                prop_assert_eq!(Some(found), prefix_name(&line));
            }
        }
    }
}
