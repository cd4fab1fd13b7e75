//! A decoder's input: chunks appended at the end, decoded bytes consumed
//! from the front.
//!
//! Dropping the consumed bytes with `Vec::drain(..n)` after every item
//! moves the rest of the buffer each time: one large record of many small
//! items costs time quadratic in its length. [`Feed`] moves an offset
//! instead and drops the consumed prefix only when it is at least as long
//! as what is left, so every byte is moved at most once per time the
//! buffer halves: linear in total.

/// Bytes waiting for a decoder.
#[derive(Debug, Default)]
pub(crate) struct Feed {
    buf: Vec<u8>,
    /// Where the bytes not yet consumed start in `buf`.
    start: usize,
    /// Bytes moved by compaction, for the tests.
    #[cfg(test)]
    moved: usize,
}

impl Feed {
    /// Appends a chunk.
    pub(crate) fn push(&mut self, chunk: &[u8]) {
        self.buf.extend_from_slice(chunk);
    }

    /// The bytes not yet consumed.
    pub(crate) fn pending(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    /// Marks `n` more bytes consumed (at most what is pending).
    pub(crate) fn consume(&mut self, n: usize) {
        self.start = self.start.saturating_add(n).min(self.buf.len());
        let left = self.buf.len() - self.start;
        if self.start >= left {
            #[cfg(test)]
            {
                self.moved += left;
            }
            self.buf.drain(..self.start);
            self.start = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consuming_moves_an_offset() {
        let mut f = Feed::default();
        f.push(b"abcdef");
        f.consume(2);
        assert_eq!(f.pending(), b"cdef");
        f.push(b"gh");
        assert_eq!(f.pending(), b"cdefgh");
        f.consume(100);
        assert_eq!(f.pending(), b"");
        f.push(b"ij");
        assert_eq!(f.pending(), b"ij");
    }

    #[test]
    fn consuming_item_by_item_moves_each_byte_at_most_once_over() {
        // One record of 10,000 six-byte items, consumed one by one:
        // draining each time would move about 300 MB; the offset moves
        // fewer bytes than the record holds.
        let item = b"\r\nOK\r\n";
        let mut f = Feed::default();
        f.push(&item.repeat(10_000));
        let total = f.pending().len();
        while !f.pending().is_empty() {
            assert!(f.pending().starts_with(item));
            f.consume(item.len());
        }
        assert!(f.moved <= total, "moved {} of {total} bytes", f.moved);
    }
}
