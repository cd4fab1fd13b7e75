//! The receive side of the AT channel, for either dialect: the bytes from
//! the modem in one fixed buffer, and the [`Cursor`] that cuts them into
//! items with the dialect's [`Decoder`]. An item borrows the bytes until the
//! next call, so the two are separate fields: an event can borrow the bytes
//! while the cursor and the rest of the session move on.
//!
//! Nothing received outlives its use: bytes moved to the front leave no
//! copy behind, an item marked as secret (an echoed password line) is wiped
//! at the next call, and the whole buffer on drop.

use core::ops::Range;

use cellftp_proto::{Decoded, Decoder, MIN_BUFFER};
use zeroize::Zeroize;

/// The receive buffer's size: the decoder's [`MIN_BUFFER`] plus room for a
/// read. The same for both dialects.
pub const RX_CAPACITY: usize = MIN_BUFFER + 1984;

/// The receive side: bytes from the modem, and the [`Cursor`] that cuts
/// them into `D`'s items, which borrow the bytes.
pub(crate) struct Receiver<D> {
    pub(crate) bytes: [u8; RX_CAPACITY],
    pub(crate) cursor: Cursor<D>,
}

/// Where the receiver is in its bytes, and the decoder's state.
pub(crate) struct Cursor<D> {
    start: usize,
    end: usize,
    /// Bytes of the last item that made an event, consumed on the next call
    /// (the event borrows them until then).
    deferred: usize,
    /// Where the last item consumed without an event began.
    last_quiet: usize,
    /// Bytes consumed that must be wiped at the next chance (an echoed
    /// password), empty if none.
    to_wipe: Range<usize>,
    decoder: D,
}

/// What [`Cursor::next`] found.
pub(crate) enum Next<E> {
    /// `route` made this of the next item.
    Routed(E),
    /// `route` made nothing of the next item: call again.
    Quiet,
    /// No whole item is buffered.
    NeedMore,
}

impl<D: Decoder + Default> Cursor<D> {
    fn new() -> Self {
        Self {
            start: 0,
            end: 0,
            deferred: 0,
            last_quiet: 0,
            to_wipe: 0..0,
            decoder: D::default(),
        }
    }
}

impl<D: Decoder + Default> Receiver<D> {
    pub(crate) fn new() -> Self {
        Self {
            bytes: [0; RX_CAPACITY],
            cursor: Cursor::new(),
        }
    }

    /// Forgets everything buffered and the decoder's state: a payload that
    /// evidently will not come whole.
    pub(crate) fn reset(&mut self) {
        self.bytes.zeroize();
        self.cursor = Cursor::new();
    }
}

impl<D> Receiver<D> {
    /// Overwrites the bytes [`Cursor::mark_last_quiet`] marked with zeros.
    pub(crate) fn wipe_marked(&mut self) {
        let range = core::mem::replace(&mut self.cursor.to_wipe, 0..0);
        // Nearly always nothing is marked: skip the wipe's call then.
        if range.is_empty() {
            return;
        }
        if let Some(line) = self.bytes.get_mut(range) {
            line.zeroize();
        }
    }

    /// Consumes the item the last event borrowed, and wipes what was
    /// marked: for a caller whose event is gone.
    pub(crate) fn settle(&mut self) {
        let c = &mut self.cursor;
        c.start += core::mem::take(&mut c.deferred);
        self.wipe_marked();
    }

    /// Bytes buffered and not yet decoded.
    pub(crate) fn buffered(&self) -> usize {
        self.cursor.end - self.cursor.start
    }

    /// Takes what fits of `input`; returns how many bytes. What was marked
    /// for wiping must be wiped first.
    pub(crate) fn push(&mut self, input: &[u8]) -> usize {
        let c = &mut self.cursor;
        c.start += core::mem::take(&mut c.deferred);
        if c.start > 0 && self.bytes.len() - c.end < input.len() {
            let moved = c.end - c.start;
            move_to_front(&mut self.bytes, c.start, moved);
            // No copy of what moved stays behind (it may be an echoed
            // password not yet decoded).
            if let Some(stale) = self.bytes.get_mut(moved.max(c.start)..c.end) {
                stale.zeroize();
            }
            c.end = moved;
            c.start = 0;
            c.last_quiet = 0;
            debug_assert!(c.to_wipe.is_empty(), "wiped before new input");
            c.to_wipe = 0..0;
        }
        let room = self.bytes.get_mut(c.end..).unwrap_or_default();
        let n = room.len().min(input.len());
        if let (Some(dst), Some(src)) = (room.get_mut(..n), input.get(..n)) {
            dst.copy_from_slice(src);
        }
        c.end += n;
        n
    }
}

/// Moves the `len` bytes at `from` (more than 0) to the start of `bytes`.
/// A copy towards the front never needs `memmove`'s backward path, so it
/// is made in blocks of at most `from` bytes, none of which overlaps its
/// destination: plain copies (`memmove` would cost a microcontroller
/// 0.6 KiB of flash for this one use). When less is buffered than was
/// consumed, as usual, that is one block.
fn move_to_front(bytes: &mut [u8], from: usize, len: usize) {
    debug_assert!(from > 0, "something was consumed");
    let mut to = 0;
    while to < len {
        let n = from.min(len - to);
        let (front, back) = bytes.split_at_mut((to + from).min(bytes.len()));
        match (front.get_mut(to..to + n), back.get(..n)) {
            (Some(dst), Some(src)) => dst.copy_from_slice(src),
            _ => {
                debug_assert!(false, "the bytes moved are in the buffer");
                return;
            }
        }
        to += n;
    }
}

impl Receiver<cellftp_proto::ResponseDecoder> {
    /// What the decoder still expects of a payload it is inside.
    pub(crate) fn payload_pending(&self) -> Option<u32> {
        self.cursor.decoder.payload_pending()
    }

    /// Payload bytes that arrived and are not yet returned as an item (a
    /// fragment still incomplete).
    pub(crate) fn payload_buffered(&self) -> u32 {
        let buffered = self.buffered().saturating_sub(self.cursor.deferred);
        self.cursor.decoder.payload_buffered(buffered)
    }
}

impl<D> Drop for Receiver<D> {
    /// Nothing received outlives the session (an echoed password included).
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

/// `raw` without the line ends before it (an item's bytes never include
/// the line end after it).
fn trim_eol(mut raw: &[u8]) -> &[u8] {
    while let [b'\r' | b'\n', rest @ ..] = raw {
        raw = rest;
    }
    raw
}

impl<D> Cursor<D> {
    /// Marks the last item consumed without an event (the echo of a
    /// command that carries a password) for [`Receiver::wipe_marked`].
    pub(crate) fn mark_last_quiet(&mut self) {
        self.to_wipe = if self.to_wipe.is_empty() {
            self.last_quiet..self.start
        } else {
            self.to_wipe.start.min(self.last_quiet)..self.start
        };
    }
}

impl<D: Decoder> Cursor<D> {
    /// Decodes the next item of `bytes` (the receiver's) and hands it to
    /// `route` with the item's raw bytes (line ends trimmed); what `route`
    /// returns may borrow `bytes` until the next call.
    ///
    /// Inlined into its one caller, so that the event `route` makes is
    /// written where the caller returns it, not copied on the way.
    #[inline(always)]
    pub(crate) fn next<'b, E>(
        &mut self,
        bytes: &'b [u8],
        route: impl FnOnce(D::Item<'b>, &'b [u8]) -> Option<E>,
    ) -> Next<E> {
        self.start += core::mem::take(&mut self.deferred);
        let buf = bytes.get(self.start..self.end).unwrap_or_default();
        match self.decoder.decode(buf) {
            Decoded::NeedMore { consumed } => {
                self.start += consumed;
                Next::NeedMore
            }
            Decoded::Item { item, consumed } => {
                match route(item, trim_eol(buf.get(..consumed).unwrap_or_default())) {
                    Some(event) => {
                        self.deferred = consumed;
                        Next::Routed(event)
                    }
                    None => {
                        self.last_quiet = self.start;
                        self.start += consumed;
                        Next::Quiet
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::move_to_front;

    /// The same bytes as `copy_within` leaves at the front, for every
    /// distance and length, overlapping or not.
    #[test]
    fn moving_to_the_front_is_copy_within() {
        const LEN: usize = 40;
        let original: [u8; LEN] = core::array::from_fn(|i| i as u8 + 1);
        for from in 1..LEN {
            for len in 0..=LEN - from {
                let mut expected = original;
                expected.copy_within(from..from + len, 0);
                let mut moved = original;
                move_to_front(&mut moved, from, len);
                assert_eq!(moved, expected, "from {from}, len {len}");
            }
        }
    }
}
