//! Framing: where one item of the byte stream ends and the next begins.
//!
//! The framer finds item boundaries and nothing else; the grammar in
//! `grammar.rs` then reads each complete frame. Lines end at CR or LF; a
//! payload announced by a length (`+FTPGET:<len>,`, `AT+FTPPUT=<len>,`,
//! `+FTPLIST:<mode>,<len>`) is taken by that length, never by looking for a
//! line end inside it. Every decision depends only on the bytes and the
//! framer's state, never on how many bytes the caller happened to have, which
//! is what makes the decoders split-invariant.
//!
//! The framer remembers how far it has already looked for a line end, so a
//! caller that feeds one byte at a time costs O(1) per byte, not O(line).

use memchr::memchr2;
use winnow::ascii::Caseless;
use winnow::error::{EmptyError, ErrMode};
use winnow::prelude::*;
use winnow::stream::Partial;
use winnow::token::{literal, take_while};

use crate::{MAX_FRAGMENT, MAX_HEADER, MAX_LINE};

/// Which modem firmware's framing rules to apply.
///
/// Dialects differ in which lines announce a length-prefixed payload and
/// where that payload starts. Only the manual's dialect exists today; the
/// framer is written so that another (SIMCom SIM800's `+FTPGET: 2,<n>` with
/// its data on the next line, say) is a new arm in [`Dialect`]'s rules, not a
/// new framer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Dialect {
    /// The modem documented in `SPEC.md`: `+FTPGET:<len>,<data>` with the
    /// data inline, `+FTPLIST:<mode>,<len>` followed by the listing.
    #[default]
    Manual,
}

/// Which side of the serial line the bytes come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Modem to host: responses, URCs, echo.
    FromModem,
    /// Host to modem: command lines.
    FromHost,
}

/// One framed item, borrowed from the caller's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Frame<'b> {
    /// A complete line without its terminator, at most [`MAX_LINE`] bytes.
    Line(&'b [u8]),
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

/// How a payload announced by a header is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Raw bytes from the line's next line on (another dialect's `+FTPGET`).
    #[allow(dead_code)]
    RawNextLine,
    /// Lines from the next line on (`+FTPLIST`).
    LinesNextLine,
}

/// The streaming framer shared by both decoders.
#[derive(Debug, Clone)]
pub(crate) struct Framer {
    dialect: Dialect,
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

/// [`Framer::inline_header`]'s verdict on the current item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Memo {
    /// Not decided yet.
    Unknown,
    /// Not a payload header.
    NotHeader,
    /// A header of `header` bytes before its comma, announcing `len` bytes.
    Found { header: usize, len: u32 },
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
    pub(crate) const fn new(dialect: Dialect, direction: Direction) -> Self {
        Self {
            dialect,
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

    /// Frames the next item of `buf`, which starts where the previous call's
    /// `consumed` ended.
    pub(crate) fn next<'b>(&mut self, buf: &'b [u8]) -> Framed<'b> {
        let mut at = 0;
        loop {
            let rest = buf.get(at..).unwrap_or_default();
            match self.state {
                State::Lines => {
                    let mut rest = rest;
                    if !self.overlong {
                        let skip = rest.iter().take_while(|&&b| is_eol(b)).count();
                        if skip > 0 {
                            // Separators: skipped here, without another
                            // turn of the loop.
                            at += skip;
                            rest = rest.get(skip..).unwrap_or_default();
                            self.scanned = 0;
                            self.memo = Memo::Unknown;
                        }
                    }
                    if rest.is_empty() {
                        return Framed::NeedMore { consumed: at };
                    }
                    if !self.overlong {
                        let verdict = match self.memo {
                            Memo::Unknown => self.inline_header(rest),
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
                                        header: rest.get(..header).unwrap_or_default(),
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
                            let line = rest.get(..p).unwrap_or_default();
                            if self.overlong {
                                self.overlong = false;
                                self.scanned = 0;
                                if line.is_empty() {
                                    continue;
                                }
                                return self.emit(Frame::Overlong(line), at + p);
                            }
                            // An empty payload leaves nothing to frame: its
                            // header is a line like any other, done at its end.
                            let header = self.block_header(line).filter(|&(_, len)| len > 0);
                            let Some((layout, len)) = header else {
                                return self.emit(Frame::Line(line), at + p);
                            };
                            // The payload starts after the whole line end, so
                            // a CR must be followed by a look at the next byte.
                            let end = match (rest.get(p), rest.get(p + 1)) {
                                (Some(b'\r'), None) => {
                                    self.scanned = p;
                                    return Framed::NeedMore { consumed: at };
                                }
                                (Some(b'\r'), Some(b'\n')) => p + 2,
                                _ => p + 1,
                            };
                            self.state = match layout {
                                Layout::RawNextLine => State::Raw { remaining: len },
                                Layout::LinesNextLine => State::Listing { remaining: len },
                            };
                            return self.emit(Frame::Line(line), at + end);
                        }
                        LineEnd::Overlong => {
                            self.overlong = true;
                            let chunk = rest.get(..MAX_LINE).unwrap_or_default();
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
                            window = window.get(skip..).unwrap_or_default();
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
                    let line = window.get(..len).unwrap_or_default();
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
        let found = memchr2(b'\r', b'\n', window.get(from..).unwrap_or_default());
        match found {
            Some(i) => LineEnd::At(from + i),
            None if window.len() > MAX_LINE => LineEnd::Overlong,
            None => LineEnd::Pending(window.len()),
        }
    }

    /// Whether `rest` starts with a header whose payload follows on the same
    /// line.
    fn inline_header(&self, rest: &[u8]) -> Header {
        let Dialect::Manual = self.dialect;
        let window = rest.get(..MAX_HEADER).unwrap_or(rest);
        let full = window.len() == MAX_HEADER;
        // Cheap rejection of the common lines (`+FTPMODE: 1`, `+CME …`,
        // `OK`) before the full parse: without stray spaces, `+FTPGET:`
        // has `G` as its fifth byte.
        if window.get(1) != Some(&b' ') {
            if let Some(b) = window.get(4) {
                if !b.eq_ignore_ascii_case(&b'G') && window.first() == Some(&b'+') {
                    return Header::None;
                }
            }
        }
        let mut input = Partial::new(window);
        let parsed = match (self.direction, window.first()) {
            (Direction::FromModem, Some(b'+')) => ftpget_header.parse_next(&mut input),
            (_, Some(b'A' | b'a')) => ftpput_header.parse_next(&mut input),
            _ => return Header::None,
        };
        match parsed {
            Ok(len) => Header::Found {
                // The parser stops right after the comma.
                header: window.len() - input.len() - 1,
                len,
            },
            Err(ErrMode::Incomplete(_)) if !full => Header::Incomplete,
            Err(_) => Header::None,
        }
    }

    /// Whether the complete `line` announces a payload that starts on the
    /// next line, and how long it is.
    fn block_header(&self, line: &[u8]) -> Option<(Layout, u32)> {
        let Dialect::Manual = self.dialect;
        // Leading spaces as the grammar allows them: a line it reads as
        // `+FTPLIST:<mode>,<len>` must be framed as one.
        let first = line.iter().find(|&&b| b != b' ');
        if self.direction != Direction::FromModem || first != Some(&b'+') {
            return None;
        }
        // Only a `+FTPLIST` line can be one: check that before the full
        // parse, which the decoder would otherwise run twice per `+` line.
        let mut name = line
            .iter()
            .position(|&b| b != b' ')
            .and_then(|i| line.get(i + 1..))?;
        while let [b' ', rest @ ..] = name {
            name = rest;
        }
        if !name.get(..7)?.eq_ignore_ascii_case(b"FTPLIST") {
            return None;
        }
        let (_mode, len) = crate::grammar::ftplist_header(line)?;
        Some((Layout::LinesNextLine, len))
    }
}

/// What [`Framer::inline_header`] found.
enum Header {
    /// A header of `header` bytes before its comma, announcing `len` bytes.
    Found { header: usize, len: u32 },
    /// A prefix of a header: more bytes decide.
    Incomplete,
    /// Not a header.
    None,
}

type Stream<'i> = Partial<&'i [u8]>;
type Modal<T> = Result<T, ErrMode<EmptyError>>;

fn spaces(input: &mut Stream<'_>) -> Modal<()> {
    take_while(0.., b' ').void().parse_next(input)
}

/// A payload length: 1 to 10 decimal digits that fit a `u32`.
fn length(input: &mut Stream<'_>) -> Modal<u32> {
    take_while(1..=10, |b: u8| b.is_ascii_digit())
        .verify_map(crate::grammar::parse_u32)
        .parse_next(input)
}

/// `+FTPGET:<len>,` — the start of a download chunk, spaces tolerated.
fn ftpget_header(input: &mut Stream<'_>) -> Modal<u32> {
    (
        b'+',
        spaces,
        literal(Caseless("FTPGET")),
        spaces,
        b':',
        spaces,
        length,
        spaces,
        b',',
    )
        .map(|t| t.6)
        .parse_next(input)
}

/// `AT+FTPPUT=<len>,` — the start of an upload chunk, spaces tolerated
/// (the manual writes `AT+FTPPUT =5,12345`).
fn ftpput_header(input: &mut Stream<'_>) -> Modal<u32> {
    (
        literal(Caseless("AT")),
        spaces,
        b'+',
        spaces,
        literal(Caseless("FTPPUT")),
        spaces,
        b'=',
        spaces,
        length,
        spaces,
        b',',
    )
        .map(|t| t.8)
        .parse_next(input)
}
