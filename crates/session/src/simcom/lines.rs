//! The listing's line buffer: the payloads of `AT+FTPLIST=2,<n>` end
//! wherever their count ends, mid-line included, so the listing is cut into
//! lines here, from the concatenation, carrying at most one partial line
//! between reads (`SPEC-simcom.md` §6 item 25). Also the upload's chunk
//! buffer ([`PutBuf`]).

use core::ops::Range;

use cellftp_proto::listing::Entry;
use cellftp_proto::simcom::MAX_PUT_DATA;
use cellftp_proto::MAX_LINE;

use crate::slice::{within, within_mut};

/// Room for a partial line and a whole read.
const LINE_BUF: usize = MAX_PUT_DATA + MAX_LINE;

const fn is_eol(b: u8) -> bool {
    b == b'\r' || b == b'\n'
}

/// The listing's bytes not yet reported as lines.
pub(crate) struct LineBuf {
    bytes: [u8; LINE_BUF],
    len: usize,
    /// Bytes of the line last reported, dropped at the next call (the event
    /// borrows them until then).
    taken: usize,
    /// Lines parsed as entries, and lines in all, for the running listing.
    pub(crate) entries: u32,
    pub(crate) lines: u32,
}

impl LineBuf {
    pub(crate) fn new() -> Self {
        Self {
            bytes: [0; LINE_BUF],
            len: 0,
            taken: 0,
            entries: 0,
            lines: 0,
        }
    }

    /// Empties the buffer for a new listing.
    pub(crate) fn reset(&mut self) {
        self.len = 0;
        self.taken = 0;
        self.entries = 0;
        self.lines = 0;
    }

    /// Drops the line last reported.
    pub(crate) fn release(&mut self) {
        let taken = core::mem::take(&mut self.taken);
        self.drop_front(taken);
    }

    fn drop_front(&mut self, n: usize) {
        let n = n.min(self.len);
        if n > 0 {
            self.bytes.copy_within(n..self.len, 0);
            self.len -= n;
        }
    }

    /// Appends what fits of `data`; returns how many bytes.
    pub(crate) fn push(&mut self, data: &[u8]) -> usize {
        self.release();
        let room = within_mut(&mut self.bytes, self.len..);
        let n = room.len().min(data.len());
        if let (Some(dst), Some(src)) = (room.get_mut(..n), data.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.len += n;
        n
    }

    /// True if bytes of the listing wait (a line or a partial one).
    pub(crate) fn is_empty(&self) -> bool {
        within(&self.bytes, self.taken..self.len)
            .iter()
            .all(|&b| is_eol(b))
    }

    /// The next line's range, if one is complete (`last`: the listing is
    /// over, so a partial line is complete too); counted.
    pub(crate) fn take(&mut self, last: bool) -> Option<Range<usize>> {
        self.release();
        let skip = within(&self.bytes, ..self.len)
            .iter()
            .take_while(|&&b| is_eol(b))
            .count();
        self.drop_front(skip);
        let window = within(&self.bytes, ..self.len.min(MAX_LINE + 1));
        let (end, taken) = match window.iter().position(|&b| is_eol(b)) {
            Some(p) if p <= MAX_LINE => (p, p + 1),
            _ if self.len >= MAX_LINE => (MAX_LINE, MAX_LINE),
            _ if last && self.len > 0 => (self.len, self.len),
            _ => return None,
        };
        self.taken = taken;
        let line = within(&self.bytes, ..end);
        self.lines += 1;
        self.entries += u32::from(Entry::parse(line).is_ok());
        Some(0..end)
    }

    /// The line `range` returned by [`LineBuf::take`].
    pub(crate) fn get(&self, range: Range<usize>) -> &[u8] {
        within(&self.bytes, range)
    }

    /// True if a complete line waits.
    pub(crate) fn has_line(&self) -> bool {
        let rest = within(&self.bytes, self.taken..self.len);
        let start = rest.iter().take_while(|&&b| is_eol(b)).count();
        let rest = within(rest, start..);
        rest.len() >= MAX_LINE || rest.iter().any(|&b| is_eol(b))
    }
}

/// The caller's chunk of an upload, until the modem took all of it.
pub(crate) struct PutBuf {
    bytes: [u8; MAX_PUT_DATA],
    len: usize,
}

impl PutBuf {
    pub(crate) fn new() -> Self {
        Self {
            bytes: [0; MAX_PUT_DATA],
            len: 0,
        }
    }

    /// Takes up to `max` bytes of `data` as the chunk; returns how many.
    pub(crate) fn set(&mut self, data: &[u8], max: usize) -> usize {
        let n = data.len().min(max).min(MAX_PUT_DATA);
        if let (Some(dst), Some(src)) = (self.bytes.get_mut(..n), data.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.len = n;
        n
    }

    /// The first `n` bytes of the chunk.
    pub(crate) fn front(&self, n: usize) -> &[u8] {
        within(&self.bytes, ..n.min(self.len))
    }

    /// Drops the first `n` bytes: the modem took them.
    pub(crate) fn consume(&mut self, n: usize) {
        let n = n.min(self.len);
        self.bytes.copy_within(n..self.len, 0);
        self.len -= n;
    }

    /// Forgets the chunk.
    pub(crate) fn clear(&mut self) {
        self.len = 0;
    }
}
