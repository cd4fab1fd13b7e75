//! The fields of a SIMCom information line (`+SAPBR: 1,1,"10.0.0.2"`):
//! the [`Field`] and [`Fields`] types and the rules that read them
//! (`SPEC-simcom.md` §1.7's `field`), in one place for the grammar, which checks a
//! line's fields once, and for [`Fields`], which reads them when iterated.
//!
//! A leaf module: it knows bytes and the shared tokens, not responses.

use core::fmt;

use winnow::prelude::*;
use winnow::token::{take_till, take_while};

use crate::bytes::Bytes;
use crate::lex::{parse_u32, spaces, trim, Parsed};

/// One field of an information line: a number, or a string with one pair
/// of enclosing quotes removed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Field<'a> {
    /// 1 to 10 digits fitting a `u32`.
    Number(u32),
    /// Anything else, unquoted.
    Text(&'a [u8]),
}

impl fmt::Debug for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Number(n) => f.debug_tuple("Number").field(n).finish(),
            Field::Text(t) => f.debug_tuple("Text").field(&Bytes(t)).finish(),
        }
    }
}

/// The fields of an information line, checked when the line was read:
/// iterating cannot fail.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Fields<'a> {
    value: &'a [u8],
}

impl<'a> Fields<'a> {
    /// The fields of `value` (trimmed), if they are well formed: empty, or
    /// fields separated by commas.
    pub(crate) fn new(value: &'a [u8]) -> Option<Self> {
        fields_ok(value).then_some(Self { value })
    }

    /// How many fields there are (0 for an empty value).
    pub fn len(&self) -> usize {
        self.into_iter().count()
    }

    /// True for an empty value.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Field `i`, from 0.
    pub fn get(&self, i: usize) -> Option<Field<'a>> {
        self.into_iter().nth(i)
    }

    /// The raw value after the colon, trimmed.
    pub fn raw(&self) -> &'a [u8] {
        self.value
    }
}

impl fmt::Debug for Fields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(*self).finish()
    }
}

impl<'a> IntoIterator for Fields<'a> {
    type Item = Field<'a>;
    type IntoIter = FieldIter<'a>;
    fn into_iter(self) -> FieldIter<'a> {
        FieldIter { rest: self.value }
    }
}

/// The iterator over [`Fields`].
#[derive(Debug, Clone)]
pub struct FieldIter<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for FieldIter<'a> {
    type Item = Field<'a>;
    fn next(&mut self) -> Option<Field<'a>> {
        let (field, rest) = next_field(self.rest)?;
        self.rest = rest;
        Some(field)
    }
}

// -------------------------------------------------------------------- rules

/// `*SP "," *SP`.
pub(crate) fn comma(input: &mut &[u8]) -> Parsed<()> {
    (spaces, b',', spaces).void().parse_next(input)
}

/// `quoted = DQUOTE *qchar DQUOTE`: the inside.
fn quoted<'a>(input: &mut &'a [u8]) -> Parsed<&'a [u8]> {
    (b'"', take_till(0.., b'"'), b'"')
        .map(|(_, inside, _)| inside)
        .parse_next(input)
}

/// `bare`: up to the next comma, without `"`, trimmed.
fn bare<'a>(input: &mut &'a [u8]) -> Parsed<&'a [u8]> {
    take_while(1.., |b: u8| b != b',' && b != b'"')
        .map(trim)
        .verify(|t: &[u8]| !t.is_empty())
        .parse_next(input)
}

/// One field: a quoted string, a number, or a bare string.
fn field<'a>(input: &mut &'a [u8]) -> Parsed<Field<'a>> {
    spaces(input)?;
    if input.first() == Some(&b'"') {
        let inside = quoted(input)?;
        spaces(input)?;
        return Ok(Field::Text(inside));
    }
    let t = bare(input)?;
    Ok(match parse_u32(t) {
        Some(n) => Field::Number(n),
        None => Field::Text(t),
    })
}

/// The first field of `rest` and what follows its comma; `None` at the end.
fn next_field(rest: &[u8]) -> Option<(Field<'_>, &[u8])> {
    if rest.is_empty() {
        return None;
    }
    let mut input = rest;
    let f = field(&mut input).ok()?;
    let _ = comma(&mut input);
    Some((f, input))
}

/// True if `value` (trimmed) is empty or fields separated by commas.
fn fields_ok(value: &[u8]) -> bool {
    let mut input = value;
    if input.is_empty() {
        return true;
    }
    loop {
        if field(&mut input).is_err() {
            return false;
        }
        if input.is_empty() {
            return true;
        }
        if comma(&mut input).is_err() || input.is_empty() {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_quoted_bare_and_numbers() {
        let fields = Fields::new(b"1, \"a,b\" ,x y,\"\"").unwrap();
        let all: std::vec::Vec<_> = fields.into_iter().collect();
        assert_eq!(
            all,
            [
                Field::Number(1),
                Field::Text(b"a,b"),
                Field::Text(b"x y"),
                Field::Text(b"")
            ]
        );
        assert_eq!(fields.len(), 4);
        assert_eq!(Fields::new(b"").map(|f| f.is_empty()), Some(true));
        for bad in [&b"\"x"[..], b"a\"b", b"a,,b", b"a,", b",a"] {
            assert_eq!(Fields::new(bad), None, "{}", bad.escape_ascii());
        }
    }
}
