//! How raw bytes appear in `Debug` output: `b"OK\r\n"`, escaped as Rust
//! escapes a byte string literal; and [`within`], the one way the crate
//! slices bytes by a range it computed itself.
//!
//! A leaf module: every item type that carries bytes formats them through
//! [`Bytes`], so that one rule decides how they look.

use core::fmt;
use core::slice::SliceIndex;

/// `bytes[range]`, for a range computed from `bytes` themselves and so in
/// bounds whatever they hold (an index a search returned, a length checked
/// just before). Out of bounds is a logic error: a debug build (fuzzing
/// runs with debug assertions) stops at it instead of going on with the
/// empty slice a release build gets.
#[inline]
pub(crate) fn within<R: SliceIndex<[u8], Output = [u8]>>(bytes: &[u8], range: R) -> &[u8] {
    let slice = bytes.get(range);
    debug_assert!(slice.is_some(), "a range computed within its bytes");
    slice.unwrap_or_default()
}

/// Formats bytes as an escaped byte string, e.g. `b"OK\r\n"`: printable
/// ASCII as it is, everything else escaped by [`<[u8]>::escape_ascii`].
#[derive(Clone, Copy)]
pub(crate) struct Bytes<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for Bytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

#[cfg(test)]
mod tests {
    use super::Bytes;

    #[test]
    fn escapes_like_a_byte_string_literal() {
        let shown = std::format!("{:?}", Bytes(b"OK\r\n\0\"\\'\x1a\xef\xbc\x9a"));
        assert_eq!(shown, r#"b"OK\r\n\x00\"\\\'\x1a\xef\xbc\x9a""#);
    }
}
