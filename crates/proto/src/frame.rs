//! Framing: where one item of the byte stream ends and the next begins.
//!
//! The framer finds item boundaries and nothing else: which lines are
//! payload headers is a rule of the grammar (`grammar.rs`), which it asks,
//! and the grammar then reads each complete frame. Lines end at CR or LF; a
//! payload announced by a length (`+FTPGET:<len>,`, `AT+FTPPUT=<len>,`,
//! `+FTPLIST:<mode>,<len>`) is taken by that length, never by looking for a
//! line end inside it; the SIMCom dialect's `+FTPGET: 2,<n>` and
//! `+FTPLIST: 2,<n>` lines announce raw payloads after their line end
//! (`SPEC-simcom.md` §1.6). Every decision depends only on the bytes and the
//! framer's state, never on how many bytes the caller happened to have, which
//! is what makes the decoders split-invariant.
//!
//! The framer remembers how far it has already looked for a line end, so a
//! caller that feeds one byte at a time costs O(1) per byte, not O(line).

use crate::bytes::within;
use crate::grammar::{inline_header, listing_header, Direction, Header, ListingHeader};
use crate::limits::{MAX_FRAGMENT, MAX_LINE};
use crate::simcom::grammar::{data_header, put_header};

/// One framed item, borrowed from the caller's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Frame<'b> {
    /// A complete line without its terminator, at most [`MAX_LINE`] bytes.
    Line(&'b [u8]),
    /// A complete line the grammar read as a listing header
    /// ([`listing_header`]), with what it read; a listing of `len` bytes
    /// follows unless `len` is 0.
    ListingHeader {
        /// The line, without its terminator.
        line: &'b [u8],
        /// The header's fields.
        header: ListingHeader,
    },
    /// [`MAX_LINE`] bytes of a line that has no terminator within
    /// [`MAX_LINE`] bytes, or the rest of such a line up to its terminator.
    Overlong(&'b [u8]),
    /// An inline payload header and the payload's first fragment.
    PayloadStart {
        /// The header, from the start of the line up to (not including) the comma.
        header: &'b [u8],
        /// The announced payload length.
        len: u32,
        /// The first `min(len, MAX_FRAGMENT)` payload bytes.
        data: &'b [u8],
    },
    /// The next fragment of a payload longer than [`MAX_FRAGMENT`].
    Fragment(&'b [u8]),
    /// One line of a line-structured payload (a directory listing).
    PayloadLine(&'b [u8]),
}

/// What [`Framer::next`] found: a [`Frame`], or on the decoders' fast
/// path the item the decoder makes of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framed<F> {
    /// A frame; `consumed` bytes (separators before it included) are done.
    Frame { frame: F, consumed: usize },
    /// No complete frame yet; `consumed` leading bytes were separators and
    /// are done, the rest must be presented again with more appended.
    NeedMore { consumed: usize },
}

impl<F> Framed<F> {
    /// The same answer with its frame read by `item`.
    #[inline(always)]
    pub(crate) fn map<T>(self, item: impl FnOnce(F) -> T) -> Framed<T> {
        match self {
            Framed::Frame { frame, consumed } => Framed::Frame {
                frame: item(frame),
                consumed,
            },
            Framed::NeedMore { consumed } => Framed::NeedMore { consumed },
        }
    }
}

/// Where the framer is in the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between items: separators are skipped, then a line or header follows.
    Lines,
    /// Inside a raw payload, `remaining` bytes still to come.
    Raw { remaining: u32 },
    /// Inside a line-structured payload, `remaining` bytes still to come.
    Listing { remaining: u32 },
}

/// The streaming framer shared by both decoders.
#[derive(Debug, Clone)]
pub(crate) struct Framer {
    direction: Direction,
    state: State,
    /// Inside a line already reported as overlong: its rest is overlong too.
    overlong: bool,
    /// Bytes after the current item's start already known to hold no line end.
    scanned: usize,
    /// What `inline_header` decided about the current item, once decided:
    /// a caller feeding a long payload byte by byte must not pay for the
    /// header's parse on every byte.
    memo: Memo,
}

/// [`inline_header`]'s verdict on the current item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Memo {
    /// Not decided yet.
    Unknown,
    /// Not a payload header.
    NotHeader,
    /// A header of `header` bytes before its comma, announcing `len` bytes.
    Found { header: usize, len: u32 },
}

/// Where the first CR or LF of `hay` is.
///
/// On x86-64, 16 bytes at a time with SSE2 (which every x86-64 has): one
/// compare per terminator and the bytes' mask, through `safe_arch`'s safe
/// functions. Lines are tens of bytes long, where memchr's set-up costs
/// more than the search; the last bytes are looked at as 16 that overlap
/// the ones before, which hold no line end. Fewer than 16 bytes in all are
/// left to [`find_eol_short`], fewer than eight looked at one by one.
#[cfg(target_arch = "x86_64")]
#[inline]
fn find_eol(hay: &[u8]) -> Option<usize> {
    if hay.len() < 8 {
        return hay.iter().position(|&b| is_eol(b));
    }
    let chunks = hay.chunks_exact(16);
    let tail = chunks.remainder();
    for (i, chunk) in chunks.enumerate() {
        // Every chunk is 16 bytes: the `else` is never taken (and would
        // answer by the plain search, never skip the chunk).
        let Some(chunk) = chunk.first_chunk::<16>() else {
            debug_assert!(false, "a chunk of {} bytes", chunk.len());
            return hay.iter().position(|&b| is_eol(b));
        };
        let mask = eol_mask(chunk);
        if mask != 0 {
            return Some(i * 16 + mask.trailing_zeros() as usize);
        }
    }
    if tail.is_empty() {
        return None;
    }
    if let Some(last) = hay.last_chunk::<16>() {
        let mask = eol_mask(last);
        return (mask != 0).then(|| hay.len() - 16 + mask.trailing_zeros() as usize);
    }
    find_eol_short(hay)
}

/// [`Front`] of a listing's `window` from its first 80 bytes, or 64 when
/// fewer are left, as one mask: a listing line is 57 bytes long on average
/// and 40 to 72 for four in five, so its separators and its end are found
/// without a loop whose last step a branch must guess. `None` when fewer
/// than 64 bytes are left or all are separators.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn listing_block(window: &[u8]) -> Option<Front> {
    let block = match window.first_chunk::<80>() {
        Some(block) => &block[..],
        None => &window.first_chunk::<64>()?[..],
    };
    let mut lo = 0u64;
    let mut hi = 0u64;
    for (i, chunk) in block.chunks_exact(16).enumerate() {
        // Every chunk is 16 bytes: the `else` is never taken (and would
        // leave the line to the search, never miss its end).
        let Some(chunk) = chunk.first_chunk::<16>() else {
            debug_assert!(false, "a chunk of {} bytes", chunk.len());
            return None;
        };
        let m = u64::from(eol_mask(chunk));
        if i < 4 {
            lo |= m << (16 * i);
        } else {
            hi = m;
        }
    }
    let eol = u128::from(lo) | u128::from(hi) << 64;
    // The bits from the block's length on are clear: `skip` counts the
    // separators, at most the block's length.
    let skip = (!eol).trailing_zeros() as usize;
    if skip >= block.len() {
        return None;
    }
    let after = eol >> skip;
    Some(Front {
        skip,
        end: (after != 0).then(|| skip + after.trailing_zeros() as usize),
        clean: block.len() - skip,
    })
}

/// [`Front`] of a listing's window: on this target, left to the search.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn listing_block(_: &[u8]) -> Option<Front> {
    None
}

/// The bit of each byte of `chunk` that is CR or LF, all else clear.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn eol_mask(chunk: &[u8; 16]) -> u32 {
    use safe_arch::{cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i};
    use safe_arch::{m128i, set_splat_i8_m128i};
    let bytes = load_unaligned_m128i(chunk);
    let is = |b: u8| cmp_eq_mask_i8_m128i(bytes, set_splat_i8_m128i(b as i8));
    let eol: m128i = is(b'\r') | is(b'\n');
    move_mask_i8_m128i(eol) as u32
}

/// Where the first CR or LF of `hay` is.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn find_eol(hay: &[u8]) -> Option<usize> {
    memchr::memchr2(b'\r', b'\n', hay)
}

/// [`find_eol`] where few bytes are often left to search (the rest of a
/// listing line a read cut), which a 16-byte search or memchr would go
/// through byte by byte: 8 to 15 bytes are looked at as two words that
/// overlap (the first line end in the second is the first of all, as the
/// bytes they share hold none), fewer one by one, 16 or more by
/// [`find_eol`].
#[inline]
fn find_eol_short(hay: &[u8]) -> Option<usize> {
    if hay.len() >= 16 {
        return find_eol(hay);
    }
    if let (Some(first), Some(last)) = (hay.first_chunk::<8>(), hay.last_chunk::<8>()) {
        let first = eol_bytes(u64::from_le_bytes(*first));
        if first != 0 {
            return Some((first.trailing_zeros() / 8) as usize);
        }
        let last = eol_bytes(u64::from_le_bytes(*last));
        return (last != 0).then(|| hay.len() - 8 + (last.trailing_zeros() / 8) as usize);
    }
    hay.iter().position(|&b| is_eol(b))
}

const fn is_eol(b: u8) -> bool {
    b == b'\r' || b == b'\n'
}

/// Where the first line end of `window` is.
enum LineEnd {
    /// At this offset.
    At(usize),
    /// Not within [`MAX_LINE`] + 1 bytes: the line is overlong.
    Overlong,
    /// Not yet; this many bytes hold none.
    Pending(usize),
}

/// Which complete lines are headers whose payload follows their line end,
/// for one direction: see [`header_rule`].
pub(crate) type HeaderRule = fn(&[u8]) -> Option<ListingHeader>;

/// The [`HeaderRule`] of `direction`.
pub(crate) fn header_rule(direction: Direction) -> HeaderRule {
    match direction {
        Direction::FromModem => modem_header,
        Direction::FromHost => no_header,
        Direction::SimcomFromModem => data_header,
        Direction::SimcomFromHost => put_header,
    }
}

/// [`HeaderRule`] from the modem: `+FTPLIST:<mode>,<len>`.
pub(crate) fn modem_header(line: &[u8]) -> Option<ListingHeader> {
    listing_header(Direction::FromModem, line)
}

/// [`HeaderRule`] from the host: no line announces a payload after it.
pub(crate) fn no_header(line: &[u8]) -> Option<ListingHeader> {
    listing_header(Direction::FromHost, line)
}

impl Framer {
    pub(crate) const fn new(direction: Direction) -> Self {
        Self {
            direction,
            state: State::Lines,
            overlong: false,
            scanned: 0,
            memo: Memo::Unknown,
        }
    }

    /// True while inside a length-prefixed payload.
    pub(crate) fn in_payload(&self) -> bool {
        self.payload_pending().is_some()
    }

    /// Payload bytes announced and not yet returned: the rest of a payload
    /// being read, or the whole of one whose header has been seen but whose
    /// first fragment is not complete yet.
    pub(crate) fn payload_pending(&self) -> Option<u32> {
        match (self.state, self.memo) {
            (State::Raw { remaining } | State::Listing { remaining }, _) => Some(remaining),
            (State::Lines, Memo::Found { len, .. }) => Some(len),
            (State::Lines, _) => None,
        }
    }

    /// Payload bytes among the `buffered` unconsumed bytes of the caller.
    pub(crate) fn payload_buffered(&self, buffered: usize) -> u32 {
        let buffered = u32::try_from(buffered).unwrap_or(u32::MAX);
        match (self.state, self.memo) {
            (State::Raw { remaining } | State::Listing { remaining }, _) => buffered.min(remaining),
            (State::Lines, Memo::Found { header, len }) => {
                let header = u32::try_from(header + 1).unwrap_or(u32::MAX);
                buffered.saturating_sub(header).min(len)
            }
            (State::Lines, _) => 0,
        }
    }

    /// Frames the next item of `buf`, which starts where the previous call's
    /// `consumed` ended.
    ///
    /// Most items are plain lines: [`Framer::next_line`] frames those, small
    /// enough to be inlined into the decoders' loops; every other case is
    /// left to [`Framer::next_item`].
    #[inline(always)]
    pub(crate) fn next<'b>(&mut self, buf: &'b [u8]) -> Framed<Frame<'b>> {
        match self.next_line(buf, self.direction, |frame| frame) {
            Some(framed) => framed,
            None => self.next_item(buf, header_rule(self.direction)),
        }
    }

    /// [`Framer::next`] for the items of a well-formed stream: lines between
    /// items and in a listing, payload headers and their fragments. What
    /// [`Framer::next_item`] would return and leave behind, or `None` for
    /// an overlong line, with nothing changed that [`Framer::next_item`]
    /// does not then change the same way (at most the end of a listing,
    /// passed over).
    ///
    /// `direction` is the framer's own, given by a caller that knows it
    /// statically so that the checks on it fold away once inlined; `item`
    /// reads each frame where it is made, where its kind is known, so that
    /// a decoder does not dispatch on the kind again.
    #[inline(always)]
    pub(crate) fn next_line<'b, T>(
        &mut self,
        buf: &'b [u8],
        direction: Direction,
        item: impl Fn(Frame<'b>) -> T + Copy,
    ) -> Option<Framed<T>> {
        debug_assert_eq!(direction, self.direction);
        if self.overlong {
            return None;
        }
        if let State::Listing { remaining } = self.state {
            let window = buf.get(..remaining as usize).unwrap_or(buf);
            // A line searched in part before starts the buffer: no
            // separators to skip (see `resumed`), `scanned` bytes of it
            // searched.
            let (skip, scanned) = if self.resumed() {
                (0, self.scanned)
            } else {
                match listing_block(window) {
                    // The block holds the line's end, inside the window and
                    // so inside the listing (`end` < the block's length <=
                    // `remaining`): the listing goes on after it.
                    Some(Front {
                        skip,
                        end: Some(end),
                        ..
                    }) => {
                        let line = within(window, skip..end);
                        self.state = State::Listing {
                            remaining: remaining - end as u32,
                        };
                        return Some(self.emit(item(Frame::PayloadLine(line)), end));
                    }
                    Some(Front {
                        skip,
                        end: None,
                        clean,
                    }) => (skip, clean),
                    None => (separators(window), 0),
                }
            };
            let left = remaining - skip as u32;
            if left > 0 {
                return self.listing_line(window, skip, scanned, left, item);
            }
            // Separators end the listing: what follows is lines again, and
            // its separators are skipped with them.
            self.state = State::Lines;
        }
        match self.state {
            State::Lines => {
                // A payload header already found, whose first fragment was
                // not complete, when the buffer starts at the header (a
                // caller that kept separators before it has them skipped,
                // and the header read again, below).
                if let (Memo::Found { header, len }, Some(&first)) = (self.memo, buf.first()) {
                    if !is_eol(first) {
                        // Until its first fragment is complete, as
                        // `payload_start` would find, without the call.
                        if buf.len() < header + 1 + (len as usize).min(MAX_FRAGMENT) {
                            return Some(Framed::NeedMore { consumed: 0 });
                        }
                        return Some(self.payload_start(buf, 0, header, len, item));
                    }
                }
                // A line searched in part before starts the buffer: what
                // the 32 bytes would show, the search already knows.
                let front = if self.resumed() {
                    front16(buf)
                } else {
                    front(buf)
                };
                let skip = front.skip;
                let rest = within(buf, skip..);
                // Separators start a new item: nothing is known about it.
                let (scanned, memo) = if skip > 0 {
                    (0, Memo::Unknown)
                } else {
                    (self.scanned, self.memo)
                };
                if rest.is_empty() {
                    self.scanned = scanned;
                    self.memo = memo;
                    return Some(Framed::NeedMore { consumed: skip });
                }
                if memo == Memo::Unknown {
                    match inline_header(direction, rest) {
                        Header::Found { header, len } => {
                            self.scanned = scanned;
                            return Some(self.payload_start(rest, skip, header, len, item));
                        }
                        Header::Incomplete => {
                            self.scanned = scanned;
                            self.memo = memo;
                            return Some(Framed::NeedMore { consumed: skip });
                        }
                        Header::None => {}
                    }
                }
                let end = match front.end {
                    Some(end) => LineEnd::At(end - skip),
                    None => line_end(rest, scanned.max(front.clean)),
                };
                match end {
                    // `line` leaves `scanned` and `memo` as they must be
                    // after the item, or after a header waiting for its LF.
                    LineEnd::At(p) => Some(self.line(rest, p, skip, direction, item)),
                    LineEnd::Pending(n) => {
                        self.scanned = n;
                        self.memo = Memo::NotHeader;
                        Some(Framed::NeedMore { consumed: skip })
                    }
                    LineEnd::Overlong => None,
                }
            }
            // Until the fragment is complete, as `fragment` would find,
            // without the call.
            State::Raw { remaining } if buf.len() < (remaining as usize).min(MAX_FRAGMENT) => {
                Some(Framed::NeedMore { consumed: 0 })
            }
            State::Raw { remaining } => Some(self.fragment(buf, 0, remaining, item)),
            // Left above.
            State::Listing { .. } => None,
        }
    }

    /// Frames the start of an inline payload: `rest`, `at` bytes into the
    /// caller's buffer, starts with a header of `header` bytes before its
    /// comma announcing `len` bytes. The header and the first fragment, or
    /// the header remembered until the fragment is complete. The work is
    /// out of line ([`Framer::first_fragment`], one copy for every `item`):
    /// payloads are few and long; the frame is made here, where its kind is
    /// known to `item`.
    #[inline(always)]
    fn payload_start<'b, T>(
        &mut self,
        rest: &'b [u8],
        at: usize,
        header: usize,
        len: u32,
        item: impl FnOnce(Frame<'b>) -> T,
    ) -> Framed<T> {
        match self.first_fragment(rest, header, len) {
            Some(data) => Framed::Frame {
                frame: item(Frame::PayloadStart {
                    header: within(rest, ..header),
                    len,
                    data,
                }),
                consumed: at + header + 1 + data.len(),
            },
            None => Framed::NeedMore { consumed: at },
        }
    }

    /// [`Framer::payload_start`]'s work: the first fragment, with the
    /// framer moved past it, or `None` with the header remembered.
    #[inline(never)]
    fn first_fragment<'b>(&mut self, rest: &'b [u8], header: usize, len: u32) -> Option<&'b [u8]> {
        let first = (len as usize).min(MAX_FRAGMENT);
        let start = header + 1;
        let Some(data) = rest.get(start..start + first) else {
            self.memo = Memo::Found { header, len };
            return None;
        };
        let remaining = len - first as u32;
        if remaining > 0 {
            self.state = State::Raw { remaining };
        }
        self.scanned = 0;
        self.memo = Memo::Unknown;
        Some(data)
    }

    /// Frames the next fragment of a raw payload of which `remaining` bytes
    /// are still to come; `rest` is `at` bytes into the caller's buffer.
    /// The work is out of line ([`Framer::next_fragment`]), the frame made
    /// here.
    #[inline(always)]
    fn fragment<'b, T>(
        &mut self,
        rest: &'b [u8],
        at: usize,
        remaining: u32,
        item: impl FnOnce(Frame<'b>) -> T,
    ) -> Framed<T> {
        match self.next_fragment(rest, remaining) {
            Some(data) => Framed::Frame {
                frame: item(Frame::Fragment(data)),
                consumed: at + data.len(),
            },
            None => Framed::NeedMore { consumed: at },
        }
    }

    /// [`Framer::fragment`]'s work: the fragment, with the framer moved
    /// past it, or `None` until it is complete.
    #[inline(never)]
    fn next_fragment<'b>(&mut self, rest: &'b [u8], remaining: u32) -> Option<&'b [u8]> {
        let n = (remaining as usize).min(MAX_FRAGMENT);
        let data = rest.get(..n)?;
        let left = remaining - n as u32;
        self.state = if left == 0 {
            State::Lines
        } else {
            State::Raw { remaining: left }
        };
        self.scanned = 0;
        self.memo = Memo::Unknown;
        Some(data)
    }

    /// [`Framer::next_line`] inside a listing: `window` is the rest of the
    /// listing in the buffer, starting with `skip` separators, after which
    /// `left` > 0 bytes of it remain and the first `scanned` hold no line
    /// end.
    #[inline(always)]
    fn listing_line<'b, T>(
        &mut self,
        window: &'b [u8],
        skip: usize,
        scanned: usize,
        left: u32,
        item: impl Fn(Frame<'b>) -> T,
    ) -> Option<Framed<T>> {
        // The separators were counted within the window, the line end is
        // found within it: neither `get` fails, and a failure would only
        // leave the item to `next_item`, nothing changed yet.
        let window = window.get(skip..).filter(|w| !w.is_empty())?;
        match line_end_with(window, scanned, find_eol_short) {
            // A line end inside the listing: the listing goes on after it,
            // `left - p` > 0.
            LineEnd::At(p) => {
                let line = window.get(..p)?;
                self.state = State::Listing {
                    remaining: left - p as u32,
                };
                Some(self.emit(item(Frame::PayloadLine(line)), skip + p))
            }
            LineEnd::Pending(n) if n < left as usize => {
                self.state = State::Listing { remaining: left };
                self.scanned = n;
                Some(Framed::NeedMore { consumed: skip })
            }
            // The listing ends before any line end: its last line, and
            // lines again after it.
            LineEnd::Pending(n) => {
                self.state = State::Lines;
                let line = within(window, ..n);
                Some(self.emit(item(Frame::PayloadLine(line)), skip + n))
            }
            LineEnd::Overlong => None,
        }
    }

    /// Frames the complete line of `rest` that ends at `p`, `at` bytes into
    /// the caller's buffer: a plain line, or a header whose payload follows
    /// its line end (a listing header, the SIMCom dialect's read and upload
    /// headers).
    #[inline(always)]
    fn line<'b, T>(
        &mut self,
        rest: &'b [u8],
        p: usize,
        at: usize,
        direction: Direction,
        item: impl Fn(Frame<'b>) -> T,
    ) -> Framed<T> {
        let line = within(rest, ..p);
        let header = match direction {
            // The SIMCom dialect's read headers, raw.
            Direction::SimcomFromModem => data_header(line),
            Direction::SimcomFromHost => put_header(line),
            _ => listing_header(direction, line),
        };
        self.framed_line(rest, p, at, header, item)
    }

    /// [`Framer::line`] once `header`, what the line is read as, is known.
    #[inline(always)]
    fn framed_line<'b, T>(
        &mut self,
        rest: &'b [u8],
        p: usize,
        at: usize,
        header: Option<ListingHeader>,
        item: impl Fn(Frame<'b>) -> T,
    ) -> Framed<T> {
        let line = within(rest, ..p);
        let Some(header) = header else {
            return self.emit(item(Frame::Line(line)), at + p);
        };
        self.header_line(rest, p, at, header).map(item)
    }

    /// [`Framer::line`] for a header line: the header frame, once the whole
    /// line end before its payload is there.
    #[inline(never)]
    fn header_line<'b>(
        &mut self,
        rest: &'b [u8],
        p: usize,
        at: usize,
        header: ListingHeader,
    ) -> Framed<Frame<'b>> {
        let frame = Frame::ListingHeader {
            line: within(rest, ..p),
            header,
        };
        // An empty payload leaves nothing to frame: the header is done at
        // its line end.
        let len = header.len;
        if len == 0 {
            return self.emit(frame, at + p);
        }
        // The payload starts after the whole line end, so a CR must be
        // followed by a look at the next byte.
        let end = match (rest.get(p), rest.get(p + 1)) {
            // The host ends its lines with one byte.
            _ if self.direction == Direction::SimcomFromHost => p + 1,
            (Some(b'\r'), None) => {
                self.scanned = p;
                self.memo = Memo::NotHeader;
                return Framed::NeedMore { consumed: at };
            }
            (Some(b'\r'), Some(b'\n')) => p + 2,
            _ => p + 1,
        };
        self.state = if header.raw {
            State::Raw { remaining: len }
        } else {
            State::Listing { remaining: len }
        };
        self.emit(frame, at + end)
    }

    /// [`Framer::next`] for every item: lines, payload headers, payloads,
    /// overlong lines. `header` is [`header_rule`] of the framer's
    /// direction, given by the caller: a program that uses only some
    /// decoders then links only their rules (the firmware, none of the
    /// SIMCom dialect's).
    #[inline(never)]
    pub(crate) fn next_item<'b>(&mut self, buf: &'b [u8], header: HeaderRule) -> Framed<Frame<'b>> {
        let mut at = 0;
        loop {
            let rest = within(buf, at..);
            match self.state {
                State::Lines => {
                    let mut rest = rest;
                    if !self.overlong {
                        let skip = rest.iter().take_while(|&&b| is_eol(b)).count();
                        if skip > 0 {
                            // Separators: skipped here, without another
                            // turn of the loop.
                            at += skip;
                            rest = within(rest, skip..);
                            self.scanned = 0;
                            self.memo = Memo::Unknown;
                        }
                    }
                    if rest.is_empty() {
                        return Framed::NeedMore { consumed: at };
                    }
                    if !self.overlong {
                        let verdict = match self.memo {
                            Memo::Unknown => inline_header(self.direction, rest),
                            Memo::NotHeader => Header::None,
                            Memo::Found { header, len } => Header::Found { header, len },
                        };
                        match verdict {
                            Header::Found { header, len } => {
                                return self.payload_start(rest, at, header, len, |frame| frame);
                            }
                            Header::Incomplete => return Framed::NeedMore { consumed: at },
                            Header::None => self.memo = Memo::NotHeader,
                        }
                    }
                    match self.line_end(rest) {
                        LineEnd::At(p) => {
                            let line = within(rest, ..p);
                            if self.overlong {
                                self.overlong = false;
                                self.scanned = 0;
                                if line.is_empty() {
                                    continue;
                                }
                                return self.emit(Frame::Overlong(line), at + p);
                            }
                            let read = header(line);
                            debug_assert_eq!(read, header_rule(self.direction)(line));
                            return self.framed_line(rest, p, at, read, |frame| frame);
                        }
                        LineEnd::Overlong => {
                            self.overlong = true;
                            let chunk = within(rest, ..MAX_LINE);
                            return self.emit(Frame::Overlong(chunk), at + MAX_LINE);
                        }
                        LineEnd::Pending(n) => {
                            self.scanned = n;
                            return Framed::NeedMore { consumed: at };
                        }
                    }
                }
                State::Raw { remaining } => {
                    return self.fragment(rest, at, remaining, |frame| frame)
                }
                State::Listing { remaining } => {
                    let mut remaining = remaining;
                    let mut window = rest.get(..remaining as usize).unwrap_or(rest);
                    if !self.overlong {
                        let skip = window.iter().take_while(|&&b| is_eol(b)).count();
                        if skip > 0 {
                            at += skip;
                            self.scanned = 0;
                            self.set_listing_remaining(remaining - skip as u32);
                            if skip as u32 == remaining {
                                continue;
                            }
                            // Separators inside the listing: skipped here,
                            // without another turn of the loop.
                            remaining -= skip as u32;
                            window = within(window, skip..);
                        }
                    }
                    if window.is_empty() {
                        return Framed::NeedMore { consumed: at };
                    }
                    let (len, overlong_chunk) = match self.line_end(window) {
                        LineEnd::At(p) => (p, false),
                        LineEnd::Overlong => (MAX_LINE, true),
                        // The payload ends before any line end: its last line.
                        LineEnd::Pending(n) if n == remaining as usize => (n, false),
                        LineEnd::Pending(n) => {
                            self.scanned = n;
                            return Framed::NeedMore { consumed: at };
                        }
                    };
                    let line = within(window, ..len);
                    // Taken before the listing's end clears it: the tail of
                    // an overlong last line is overlong too.
                    let was_overlong = self.overlong;
                    self.set_listing_remaining(remaining - len as u32);
                    if overlong_chunk {
                        self.overlong = true;
                        return self.emit(Frame::Overlong(line), at + len);
                    }
                    if was_overlong {
                        self.overlong = false;
                        if line.is_empty() {
                            self.scanned = 0;
                            continue;
                        }
                        return self.emit(Frame::Overlong(line), at + len);
                    }
                    return self.emit(Frame::PayloadLine(line), at + len);
                }
            }
        }
    }

    /// Inside a raw payload whose header was the last frame: the payload is
    /// `n` bytes, not the header's count (`n` = 0: none).
    pub(crate) fn set_raw_remaining(&mut self, n: u32) {
        if let State::Raw { .. } = self.state {
            self.state = if n == 0 {
                State::Lines
            } else {
                State::Raw { remaining: n }
            };
        }
    }

    fn set_listing_remaining(&mut self, remaining: u32) {
        self.state = if remaining == 0 {
            self.overlong = false;
            State::Lines
        } else {
            State::Listing { remaining }
        };
    }

    /// True when the previous call left a line searched in part: under the
    /// contract the buffer then starts with that line, whose first
    /// `scanned` > 0 bytes are neither CR nor LF. (A caller breaking the
    /// contract gets meaningless items, never a panic: every search
    /// clamps `scanned` to what the buffer holds.)
    #[inline(always)]
    fn resumed(&self) -> bool {
        self.scanned > 0
    }

    fn emit<F>(&mut self, frame: F, consumed: usize) -> Framed<F> {
        self.scanned = 0;
        self.memo = Memo::Unknown;
        Framed::Frame { frame, consumed }
    }

    /// Looks for a line end in the first [`MAX_LINE`] + 1 bytes of `window`,
    /// starting where the previous call stopped.
    fn line_end(&self, window: &[u8]) -> LineEnd {
        line_end(window, self.scanned)
    }
}

/// Looks for a line end in the first [`MAX_LINE`] + 1 bytes of `window`,
/// starting after the `scanned` bytes already known to hold none.
#[inline]
fn line_end(window: &[u8], scanned: usize) -> LineEnd {
    line_end_with(window, scanned, find_eol)
}

/// [`line_end`] with the search `find`.
#[inline(always)]
fn line_end_with(window: &[u8], scanned: usize, find: fn(&[u8]) -> Option<usize>) -> LineEnd {
    let end = window.len().min(MAX_LINE + 1);
    let from = scanned.min(end);
    // `from <= end <= window.len()`: never empty for want of bounds.
    let hay = window.get(from..end).unwrap_or_default();
    match find(hay) {
        Some(i) => LineEnd::At(from + i),
        None if end > MAX_LINE => LineEnd::Overlong,
        None => LineEnd::Pending(end),
    }
}

/// What the first bytes of a buffer show: the separators (CR, LF) it starts
/// with, and where the line after them ends if that is among the bytes
/// looked at (on x86-64 the first 32 or 16, in a listing 80 or 64; else the
/// first eight).
#[derive(Debug, Clone, Copy)]
struct Front {
    /// How many separators the buffer starts with.
    skip: usize,
    /// Where the line after them ends, from the buffer's start, if within
    /// the bytes looked at.
    end: Option<usize>,
    /// How many bytes after the separators are known to hold no line end.
    clean: usize,
}

/// [`Front`] of `buf`. Items are separated by two to four separators and
/// most lines outside listings are shorter than 30 bytes (`OK`,
/// configuration answers, `+FTPSCON`'s `key: value` lines): one look at the
/// first 32 bytes, as two SSE2 masks, finds both, without a search loop
/// whose last step a branch must guess. Fewer than 32 bytes are looked at
/// by [`front16`].
#[cfg(target_arch = "x86_64")]
#[inline]
fn front(buf: &[u8]) -> Front {
    if let Some((a, b)) = buf
        .first_chunk::<32>()
        .and_then(|block| block.split_first_chunk::<16>())
        .and_then(|(a, b)| Some((a, b.first_chunk::<16>()?)))
    {
        if let Some(front) = mask_front(eol_mask(a) | eol_mask(b) << 16, 32) {
            return front;
        }
    }
    front16(buf)
}

/// [`Front`] of `buf` from its first 16 bytes: for a buffer of fewer than
/// 32, and for a line searched in part before, whose rest the search takes
/// up where it stopped.
#[cfg(target_arch = "x86_64")]
#[inline]
fn front16(buf: &[u8]) -> Front {
    if let Some(front) = buf
        .first_chunk::<16>()
        .and_then(|chunk| mask_front(eol_mask(chunk), 16))
    {
        return front;
    }
    front_word(buf)
}

/// [`Front`] from `eol`, the line ends among the first `looked` bytes (at
/// most 32; the bits from `looked` on clear), unless all are separators.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn mask_front(eol: u32, looked: usize) -> Option<Front> {
    // The bits of `!eol` from `looked` on are set: `skip` <= `looked`.
    let skip = (!eol).trailing_zeros() as usize;
    if skip >= looked {
        return None;
    }
    // The separators' bits cleared: the first line end after them.
    let after = eol & (u32::MAX << skip);
    Some(Front {
        skip,
        end: (after != 0).then_some(after.trailing_zeros() as usize),
        clean: looked - skip,
    })
}

/// [`Front`] of `buf`, from its first eight bytes as one word.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn front(buf: &[u8]) -> Front {
    front_word(buf)
}

/// [`Front`] of `buf`, from its first eight bytes as one word.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn front16(buf: &[u8]) -> Front {
    front_word(buf)
}

/// [`Front`] of `buf`, from its first eight bytes as one word.
#[inline]
fn front_word(buf: &[u8]) -> Front {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if let Some(&word) = buf.first_chunk::<8>() {
        let eol = eol_bytes(u64::from_le_bytes(word));
        let skip = ((!eol & HIGH).trailing_zeros() / 8) as usize;
        if skip < 8 {
            // The separators' bits cleared: the first line end after them.
            let after = eol & (u64::MAX << (skip * 8));
            let end = (after != 0).then_some((after.trailing_zeros() / 8) as usize);
            return Front {
                skip,
                end,
                clean: 8 - skip,
            };
        }
    }
    Front {
        skip: buf.iter().take_while(|&&b| is_eol(b)).count(),
        end: None,
        clean: 0,
    }
}

/// How many line separators (CR, LF) `buf` starts with: CR LF before a
/// line, as inside a listing, at once, or the first eight bytes looked at
/// as one word.
#[inline]
fn separators(buf: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if let [b'\r', b'\n', next, ..] = buf {
        if !is_eol(*next) {
            return 2;
        }
    }
    if let Some(&word) = buf.first_chunk::<8>() {
        let eol = eol_bytes(u64::from_le_bytes(word));
        let skip = ((!eol & HIGH).trailing_zeros() / 8) as usize;
        if skip < 8 {
            return skip;
        }
    }
    buf.iter().take_while(|&&b| is_eol(b)).count()
}

/// The high bit of each byte of `word` that is CR or LF, all else clear.
#[inline]
fn eol_bytes(word: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Each byte's high bit set iff the byte is not zero: adding 0x7f to
    // its low seven bits carries into the high bit unless they are all
    // zero, and the byte's own high bit is or-ed in; no carry crosses a
    // byte.
    let nonzero = |x: u64| ((x & LOW7) + LOW7) | x;
    let not_cr = nonzero(word ^ u64::from_le_bytes([b'\r'; 8]));
    let not_lf = nonzero(word ^ u64::from_le_bytes([b'\n'; 8]));
    !(not_cr & not_lf) & HIGH
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec;
    use std::vec::Vec;

    /// Bytes next to CR and LF, with and without the high bit: a search
    /// that compares signed bytes or masks bits it should not finds them.
    const FILLER: [u8; 6] = [b'a', 0x0b, 0x0c, 0x8a, 0x8d, 0xff];

    /// Every length up to 80, each with no line end or one CR or LF at
    /// every position (and a second one after it), over each filler.
    fn cases() -> impl Iterator<Item = Vec<u8>> {
        FILLER.into_iter().flat_map(|fill| {
            (0..=80usize).flat_map(move |len| {
                let plain = vec![fill; len];
                let marked = (0..len).flat_map(move |at| {
                    [b'\r', b'\n'].into_iter().flat_map(move |eol| {
                        let mut one = vec![fill; len];
                        one[at] = eol;
                        let mut two = one.clone();
                        if let Some(b) = two.get_mut(at + 3) {
                            *b = b'\n';
                        }
                        [one, two]
                    })
                });
                core::iter::once(plain).chain(marked)
            })
        })
    }

    fn naive(hay: &[u8]) -> Option<usize> {
        hay.iter().position(|&b| is_eol(b))
    }

    #[test]
    fn searches_find_the_first_line_end() {
        for hay in cases() {
            assert_eq!(find_eol(&hay), naive(&hay), "{hay:?}");
            assert_eq!(find_eol_short(&hay), naive(&hay), "{hay:?}");
        }
    }

    /// Separators before a body: none, the usual ones, and runs longer
    /// than each mask.
    fn separated() -> impl Iterator<Item = Vec<u8>> {
        let long = b"\r\n".repeat(41);
        cases().flat_map(move |body| {
            let long = long.clone();
            [
                Vec::new(),
                b"\r\n".to_vec(),
                b"\n".to_vec(),
                b"\r\n\r\n".to_vec(),
                b"\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\n".to_vec(),
                long,
            ]
            .into_iter()
            .map(move |seps| [seps, body.clone()].concat())
        })
    }

    /// What a [`Front`] of `buf` says is true: the separators, and the line
    /// end after them or that `clean` bytes after them hold none.
    fn check(buf: &[u8], f: Front) {
        let skip = buf.iter().take_while(|&&b| is_eol(b)).count();
        assert_eq!(f.skip, skip, "{buf:?}");
        let rest = &buf[skip..];
        match f.end {
            Some(end) => assert_eq!(Some(end - skip), naive(rest), "{buf:?}"),
            None => {
                assert!(f.clean <= rest.len(), "{buf:?}");
                assert_eq!(naive(&rest[..f.clean]), None, "{buf:?}");
            }
        }
    }

    #[test]
    fn front_reads_separators_and_a_near_line_end() {
        for buf in separated() {
            check(&buf, front(&buf));
            check(&buf, front16(&buf));
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn listing_block_reads_separators_and_the_line_end() {
        for buf in separated() {
            let block = match buf.len() {
                80.. => 80,
                64.. => 64,
                _ => {
                    assert!(listing_block(&buf).is_none(), "{buf:?}");
                    continue;
                }
            };
            match listing_block(&buf) {
                Some(f) => {
                    check(&buf, f);
                    // Every line end within the block is found.
                    if f.end.is_none() {
                        assert_eq!(f.skip + f.clean, block, "{buf:?}");
                    }
                }
                // Only a block of separators says nothing.
                None => assert!(buf[..block].iter().all(|&b| is_eol(b)), "{buf:?}"),
            }
        }
    }
}
