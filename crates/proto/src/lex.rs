//! The tokens both line grammars share: spaces, decimal numbers, the colon
//! (ASCII or full-width), trimming, and the one result type of every winnow
//! parser of the crate's grammars.
//!
//! A leaf module: it knows bytes, not commands or responses.

use winnow::combinator::{alt, opt};
use winnow::error::{EmptyError, ErrMode};
use winnow::prelude::*;
use winnow::stream::Stream;
use winnow::token::take_while;

/// What every grammar rule returns: the value, or why the input does not
/// match. The rules carry no error context: a line that does not parse is
/// reported whole as not understood, never with a diagnosis.
pub(crate) type Parsed<T> = Result<T, ErrMode<EmptyError>>;

/// The failure of a rule.
pub(crate) const fn fail<T>() -> Parsed<T> {
    Err(ErrMode::Backtrack(EmptyError))
}

/// Full-width forms the manual uses: `：`, `（`, `）` (UTF-8).
pub(crate) const FULLWIDTH_COLON: &[u8] = "：".as_bytes();
pub(crate) const FULLWIDTH_OPEN: &[u8] = "（".as_bytes();
pub(crate) const FULLWIDTH_CLOSE: &[u8] = "）".as_bytes();

/// Decimal digits to a `u32`, refusing overflow and empty input.
pub(crate) fn parse_u32(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 10 {
        return None;
    }
    // Ten digits at most cannot overflow a `u64`: one check at the end.
    let mut n = 0u64;
    for &d in digits {
        let v = d.wrapping_sub(b'0');
        if v > 9 {
            return None;
        }
        n = n * 10 + u64::from(v);
    }
    u32::try_from(n).ok()
}

/// `s` without its leading and trailing spaces.
pub(crate) fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' '] = s {
        s = rest;
    }
    s
}

/// Any number of spaces, on complete or partial input.
pub(crate) fn spaces<I>(input: &mut I) -> Parsed<()>
where
    I: Stream<Token = u8> + winnow::stream::StreamIsPartial,
{
    take_while(0.., b' ').void().parse_next(input)
}

/// 1 to 10 decimal digits whose value fits a `u32`, on complete or partial
/// input.
pub(crate) fn number<'i, I>(input: &mut I) -> Parsed<u32>
where
    I: Stream<Token = u8, Slice = &'i [u8]> + winnow::stream::StreamIsPartial,
{
    take_while(1..=10, |b: u8| b.is_ascii_digit())
        .verify_map(parse_u32)
        .parse_next(input)
}

/// `:` or `：`, with the spaces around it; optional.
pub(crate) fn colon(input: &mut &[u8]) -> Parsed<()> {
    (
        spaces,
        opt(alt((b':'.void(), FULLWIDTH_COLON.void()))),
        spaces,
    )
        .void()
        .parse_next(input)
}
