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

use memchr::memchr2;

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

/// What [`Framer::next`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framed<'b> {
    /// A frame; `consumed` bytes (separators before it included) are done.
    Frame { frame: Frame<'b>, consumed: usize },
    /// No complete frame yet; `consumed` leading bytes were separators and
    /// are done, the rest must be presented again with more appended.
    NeedMore { consumed: usize },
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

/// Where the first CR or LF of `hay` is. Lines are short (tens of bytes):
/// on x86-64 the SSE2 search, which every x86-64 has, is called directly,
/// without the run-time dispatch of [`memchr2`].
#[inline]
fn find_eol(hay: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if let Some(two) = memchr::arch::x86_64::sse2::memchr::Two::new(b'\r', b'\n') {
        return two.find(hay);
    }
    memchr2(b'\r', b'\n', hay)
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
    pub(crate) fn next<'b>(&mut self, buf: &'b [u8]) -> Framed<'b> {
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
                                let first = (len as usize).min(MAX_FRAGMENT);
                                let start = header + 1;
                                let Some(data) = rest.get(start..start + first) else {
                                    self.memo = Memo::Found { header, len };
                                    return Framed::NeedMore { consumed: at };
                                };
                                let remaining = len - first as u32;
                                if remaining > 0 {
                                    self.state = State::Raw { remaining };
                                }
                                return self.emit(
                                    Frame::PayloadStart {
                                        header: within(rest, ..header),
                                        len,
                                        data,
                                    },
                                    at + start + first,
                                );
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
                            let header = match self.direction {
                                // The SIMCom dialect's read headers, raw.
                                Direction::SimcomFromModem => data_header(line),
                                Direction::SimcomFromHost => put_header(line),
                                _ => listing_header(self.direction, line),
                            };
                            let Some(header) = header else {
                                return self.emit(Frame::Line(line), at + p);
                            };
                            let frame = Frame::ListingHeader { line, header };
                            // An empty payload leaves nothing to frame: the
                            // header is done at its line end.
                            let len = header.len;
                            if len == 0 {
                                return self.emit(frame, at + p);
                            }
                            // The payload starts after the whole line end, so
                            // a CR must be followed by a look at the next byte.
                            let end = match (rest.get(p), rest.get(p + 1)) {
                                // The host ends its lines with one byte.
                                _ if self.direction == Direction::SimcomFromHost => p + 1,
                                (Some(b'\r'), None) => {
                                    self.scanned = p;
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
                            return self.emit(frame, at + end);
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
                    let n = (remaining as usize).min(MAX_FRAGMENT);
                    let Some(data) = rest.get(..n) else {
                        return Framed::NeedMore { consumed: at };
                    };
                    let left = remaining - n as u32;
                    self.state = if left == 0 {
                        State::Lines
                    } else {
                        State::Raw { remaining: left }
                    };
                    return self.emit(Frame::Fragment(data), at + n);
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

    fn emit<'b>(&mut self, frame: Frame<'b>, consumed: usize) -> Framed<'b> {
        self.scanned = 0;
        self.memo = Memo::Unknown;
        Framed::Frame { frame, consumed }
    }

    /// Looks for a line end in the first [`MAX_LINE`] + 1 bytes of `window`,
    /// starting where the previous call stopped.
    fn line_end(&self, window: &[u8]) -> LineEnd {
        let window = window.get(..MAX_LINE + 1).unwrap_or(window);
        let from = self.scanned.min(window.len());
        let found = find_eol(within(window, from..));
        match found {
            Some(i) => LineEnd::At(from + i),
            None if window.len() > MAX_LINE => LineEnd::Overlong,
            None => LineEnd::Pending(window.len()),
        }
    }
}
