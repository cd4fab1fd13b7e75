//! The byte format of the structured fuzz inputs.
//!
//! [`crate::SessionInput`] and [`crate::ArbitraryCommand`] implement
//! `Arbitrary` by hand on top of these two helpers instead of deriving it:
//! the format is then small, stable across `arbitrary` releases, and has an
//! encoder ([`Writer`]), which is what lets the seed generator write
//! realistic inputs for the structured targets.
//!
//! Every read succeeds: past the end of the input, bytes read as zero and
//! blobs as empty, so any byte string decodes to some input.

use arbitrary::Unstructured;

/// Reads the fields of a structured input, front to back.
pub(crate) struct Reader<'a, 'b> {
    u: &'a mut Unstructured<'b>,
}

impl<'a, 'b> Reader<'a, 'b> {
    pub(crate) fn new(u: &'a mut Unstructured<'b>) -> Self {
        Self { u }
    }

    /// True once every byte has been read.
    pub(crate) fn is_empty(&self) -> bool {
        self.u.is_empty()
    }

    /// Up to `n` bytes (fewer at the end of the input).
    pub(crate) fn take(&mut self, n: usize) -> &'b [u8] {
        let n = n.min(self.u.len());
        self.u.bytes(n).unwrap_or_default()
    }

    pub(crate) fn u8(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or(0)
    }

    pub(crate) fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    pub(crate) fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }

    /// A length (`u16`, little endian) and that many bytes, at most `max`.
    pub(crate) fn blob(&mut self, max: usize) -> Vec<u8> {
        let len = usize::from(self.u16()) % (max + 1);
        self.take(len).to_vec()
    }
}

/// Writes the fields of a structured input in the order [`Reader`] reads
/// them.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    pub(crate) out: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.out.push(v);
    }

    pub(crate) fn u16(&mut self, v: u16) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    /// The counterpart of [`Reader::blob`]; `bytes` must be at most that
    /// read's `max` (and `u16::MAX`) long.
    pub(crate) fn blob(&mut self, bytes: &[u8]) {
        self.u16(u16::try_from(bytes.len()).unwrap_or(u16::MAX));
        self.out.extend_from_slice(bytes);
    }
}

/// True if `needle` occurs in `haystack` (an empty needle never does).
///
/// A substring search rather than a comparison per window: under the fuzz
/// build every `memcmp` goes through libFuzzer's hook, which made a naive
/// search over the modem's bytes most of the `session` target's time.
pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && memchr::memmem::find(haystack, needle).is_some()
}

/// True if the non-empty slice `inner` lies inside `outer` (same memory).
pub(crate) fn within(outer: &[u8], inner: &[u8]) -> bool {
    let (o, i) = (outer.as_ptr_range(), inner.as_ptr_range());
    o.start <= i.start && i.end <= o.end
}
