//! The response encoder: every [`Response`] item to the bytes a modem sends,
//! the mirror of [`crate::ResponseDecoder`].
//!
//! A modem simulator, a test's fake modem and a fuzzer's generator write
//! what the modem says with [`ResponseEncoder`]; whatever it writes, the
//! decoder reads back as the same items, however the bytes are cut. The
//! encoder is a small state machine like the decoder's framer, because some
//! items only make sense inside others: a [`Response::Continuation`] inside a
//! long `+FTPGET` chunk, a [`Response::ListLine`] inside a `+FTPLIST`
//! listing, a second [`Response::Overlong`] piece after a first.
//!
//! Canonical framing (`SPEC.md` §1.5): each line is written
//! `\r\n<line>\r\n`; an echo is the command line and its CR; a payload is
//! taken by its length and followed by a line end.
//!
//! An item the decoder would read back as something else (an
//! [`Response::Unknown`] line saying `OK`, an [`InfoValue::Text`] that is a
//! number, a line with a CR in it) is refused with [`EmitError`], and
//! nothing is written. The encoder never allocates.

use core::fmt::{self, Write as _};

use crate::bytes::within;
use crate::command::Command;
use crate::grammar::{inline_header, listing_header, response_line, Direction, Header};
use crate::limits::{MAX_COMMAND, MAX_FRAGMENT, MAX_LINE, MAX_PUT_DATA};
use crate::param::Put;
use crate::request::Request;
use crate::response::{CmeError, InfoValue, Response, ResultCode, Urc};

/// Why [`ResponseEncoder::encode`] refused an item. Nothing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EmitError {
    /// The caller's buffer is too small for the item.
    BufferTooSmall {
        /// Bytes the item needs.
        needed: usize,
        /// Bytes the buffer has.
        available: usize,
    },
    /// The decoder would not read the item back as itself: a line that is
    /// empty, holds a line end, is longer than [`crate::MAX_LINE`], or reads
    /// as another item; a payload whose data does not match its length.
    Unreadable,
    /// The item cannot come here: a payload or an overlong line is not
    /// finished (only its next piece can come), or a piece arrives outside
    /// the payload it belongs to.
    OutOfPlace,
}

impl fmt::Display for EmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EmitError::BufferTooSmall { needed, available } => write!(
                f,
                "the response needs {needed} bytes but the buffer has {available}"
            ),
            EmitError::Unreadable => {
                f.write_str("the response would not read back as itself, so it is not written")
            }
            EmitError::OutOfPlace => f.write_str(
                "the response cannot come here: a payload or a long line must be finished first, \
                 or its piece belongs to a payload that is not open",
            ),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for EmitError {}

/// Where the encoder is in the stream it writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between items.
    Lines,
    /// Inside a raw payload (a `+FTPGET` chunk or an echoed `AT+FTPPUT`
    /// chunk), `remaining` bytes to come as continuations; `end` is written
    /// after the last one.
    Raw { remaining: u32, end: &'static [u8] },
    /// Inside a listing, `remaining` bytes to come.
    Listing { remaining: u32 },
    /// Inside an overlong line (`listing` bytes left of the listing that
    /// holds it, if one does); `first` while only its first piece has been
    /// written, which must be followed by another piece.
    Overlong { first: bool, listing: Option<u32> },
}

/// Writes [`Response`] items as the modem's bytes; see the module docs.
///
/// ```
/// use cellftp_proto::{Response, ResponseEncoder, ServCode};
///
/// let mut encoder = ResponseEncoder::new();
/// let mut buf = [0u8; 64];
/// let mut out = Vec::new();
/// for item in [Response::ServResult(ServCode::Success), Response::Ok] {
///     let n = encoder.encode(&item, &mut buf)?;
///     out.extend_from_slice(&buf[..n]);
/// }
/// assert_eq!(out, b"\r\n+FTPSERV:0\r\n\r\nOK\r\n");
/// # Ok::<(), cellftp_proto::EmitError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ResponseEncoder {
    state: State,
}

impl Default for ResponseEncoder {
    fn default() -> Self {
        Self::new()
    }
}

/// Room for one line and its terminator while it is checked.
const SCRATCH: usize = if MAX_COMMAND > MAX_LINE {
    MAX_COMMAND
} else {
    MAX_LINE
} + 2;

/// The pieces of one item's bytes, written in order.
struct Parts<'x> {
    parts: [&'x [u8]; 5],
    next: State,
}

impl Parts<'_> {
    fn len(&self) -> usize {
        self.parts.iter().map(|p| p.len()).sum()
    }
}

/// A bounded `fmt::Write` over the scratch buffer.
struct Scratch<'s> {
    buf: &'s mut [u8],
    at: usize,
}

impl fmt::Write for Scratch<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.put(s.as_bytes())
    }
}

impl Scratch<'_> {
    fn put(&mut self, bytes: &[u8]) -> fmt::Result {
        let dst = self
            .buf
            .get_mut(self.at..self.at + bytes.len())
            .ok_or(fmt::Error)?;
        dst.copy_from_slice(bytes);
        self.at += bytes.len();
        Ok(())
    }
}

const CRLF: &[u8] = b"\r\n";
const CR: &[u8] = b"\r";
const NONE: &[u8] = b"";

fn has_eol(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| b == b'\r' || b == b'\n')
}

impl ResponseEncoder {
    /// An encoder between items.
    pub const fn new() -> Self {
        Self {
            state: State::Lines,
        }
    }

    /// Payload bytes announced and not yet written: the continuations of a
    /// long chunk, the rest of a listing. `None` between items.
    pub fn payload_pending(&self) -> Option<u32> {
        match self.state {
            State::Raw { remaining, .. } | State::Listing { remaining } => Some(remaining),
            State::Overlong {
                listing: Some(remaining),
                ..
            } => Some(remaining),
            State::Lines | State::Overlong { listing: None, .. } => None,
        }
    }

    /// True when any item may come next: no payload is open and no overlong
    /// line waits for its next piece.
    pub fn is_between_items(&self) -> bool {
        matches!(
            self.state,
            State::Lines
                | State::Overlong {
                    first: false,
                    listing: None
                }
        )
    }

    /// The length of a listing payload made of `lines` written as
    /// [`Response::ListLine`] items: the lines and the CR LF between them
    /// (not after the last, as in the manual's example).
    pub fn listing_len<'l>(lines: impl IntoIterator<Item = &'l [u8]>) -> u64 {
        let (bytes, count) = lines
            .into_iter()
            .fold((0u64, 0u64), |(b, n), l| (b + l.len() as u64, n + 1));
        bytes + 2 * count.saturating_sub(1)
    }

    /// Writes `item` to the start of `buf` and returns how many bytes it
    /// took; on error nothing is written and the encoder is unchanged.
    pub fn encode(&mut self, item: &Response<'_>, buf: &mut [u8]) -> Result<usize, EmitError> {
        let mut scratch = [0u8; SCRATCH];
        let parts = self.layout(item, &mut scratch)?;
        let needed = parts.len();
        let available = buf.len();
        let dst = buf
            .get_mut(..needed)
            .ok_or(EmitError::BufferTooSmall { needed, available })?;
        let mut at = 0;
        for p in parts.parts {
            if let Some(d) = dst.get_mut(at..at + p.len()) {
                d.copy_from_slice(p);
            }
            at += p.len();
        }
        self.state = parts.next;
        Ok(needed)
    }

    /// The number of bytes [`ResponseEncoder::encode`] would write for
    /// `item` now.
    pub fn encoded_len(&self, item: &Response<'_>) -> Result<usize, EmitError> {
        let mut scratch = [0u8; SCRATCH];
        Ok(self.layout(item, &mut scratch)?.len())
    }

    /// Decides the bytes of `item` and the state after it.
    fn layout<'x>(
        &self,
        item: &Response<'x>,
        scratch: &'x mut [u8; SCRATCH],
    ) -> Result<Parts<'x>, EmitError> {
        match (self.state, item) {
            (State::Raw { remaining, end }, Response::Continuation(data)) => {
                let expected = (remaining as usize).min(MAX_FRAGMENT);
                if data.len() != expected {
                    return Err(EmitError::Unreadable);
                }
                let left = remaining - expected as u32;
                Ok(if left == 0 {
                    Parts {
                        parts: [data, end, NONE, NONE, NONE],
                        next: State::Lines,
                    }
                } else {
                    Parts {
                        parts: [data, NONE, NONE, NONE, NONE],
                        next: State::Raw {
                            remaining: left,
                            end,
                        },
                    }
                })
            }
            (State::Raw { .. }, _) => Err(EmitError::OutOfPlace),
            (State::Listing { remaining }, Response::ListLine(line)) => {
                if line.is_empty() || line.len() > MAX_LINE || has_eol(line) {
                    return Err(EmitError::Unreadable);
                }
                let (sep, left) = listing_step(remaining, line.len())?;
                Ok(Parts {
                    parts: [line, sep, NONE, NONE, NONE],
                    next: listing_state(left),
                })
            }
            (State::Listing { remaining }, Response::Overlong(piece)) => {
                if piece.len() != MAX_LINE || has_eol(piece) || piece.len() as u32 >= remaining {
                    return Err(EmitError::Unreadable);
                }
                Ok(Parts {
                    parts: [piece, NONE, NONE, NONE, NONE],
                    next: State::Overlong {
                        first: true,
                        listing: Some(remaining - MAX_LINE as u32),
                    },
                })
            }
            (State::Listing { .. }, _) => Err(EmitError::OutOfPlace),
            (State::Overlong { listing, .. }, Response::Overlong(piece)) => {
                if piece.is_empty() || piece.len() > MAX_LINE || has_eol(piece) {
                    return Err(EmitError::Unreadable);
                }
                match listing {
                    None if piece.len() == MAX_LINE => Ok(Parts {
                        parts: [piece, NONE, NONE, NONE, NONE],
                        next: State::Overlong {
                            first: false,
                            listing: None,
                        },
                    }),
                    None => Ok(Parts {
                        parts: [piece, CRLF, NONE, NONE, NONE],
                        next: State::Lines,
                    }),
                    Some(remaining) => {
                        if piece.len() == MAX_LINE && (piece.len() as u32) < remaining {
                            return Ok(Parts {
                                parts: [piece, NONE, NONE, NONE, NONE],
                                next: State::Overlong {
                                    first: false,
                                    listing: Some(remaining - MAX_LINE as u32),
                                },
                            });
                        }
                        let (sep, left) = listing_step(remaining, piece.len())?;
                        Ok(Parts {
                            parts: [piece, sep, NONE, NONE, NONE],
                            next: listing_state(left),
                        })
                    }
                }
            }
            (State::Overlong { first: true, .. }, _) => Err(EmitError::OutOfPlace),
            (
                State::Overlong {
                    first: false,
                    listing: Some(remaining),
                },
                Response::ListLine(_),
            ) => {
                // Close the overlong line, then write the listing line.
                let (sep, left) = listing_step(remaining, 0)?;
                if left == 0 {
                    return Err(EmitError::OutOfPlace);
                }
                let mut inner = ResponseEncoder {
                    state: State::Listing { remaining: left },
                };
                let p = inner.layout(item, scratch)?;
                let [line, lsep, ..] = p.parts;
                inner.state = p.next;
                Ok(Parts {
                    parts: [sep, line, lsep, NONE, NONE],
                    next: inner.state,
                })
            }
            (
                State::Overlong {
                    first: false,
                    listing: Some(_),
                },
                _,
            ) => Err(EmitError::OutOfPlace),
            (
                State::Overlong {
                    first: false,
                    listing: None,
                },
                _,
            ) => {
                // The line end that closes the overlong line yields no item.
                let inner = ResponseEncoder::new();
                let p = inner.layout(item, scratch)?;
                let [a, b, c, d, e] = p.parts;
                if !e.is_empty() {
                    debug_assert!(false, "a between-items layout uses at most four parts");
                    return Err(EmitError::Unreadable);
                }
                Ok(Parts {
                    parts: [CRLF, a, b, c, d],
                    next: p.next,
                })
            }
            (State::Lines, _) => lines_layout(item, scratch),
        }
    }
}

/// After `len` bytes of a listing line with `remaining` bytes of listing
/// left: the separator to write and what is left after it.
fn listing_step(remaining: u32, len: usize) -> Result<(&'static [u8], u32), EmitError> {
    let left = u32::try_from(len)
        .ok()
        .and_then(|l| remaining.checked_sub(l))
        .ok_or(EmitError::Unreadable)?;
    let sep: &[u8] = match left {
        0 => NONE,
        1 => CR,
        _ => CRLF,
    };
    Ok((sep, left - sep.len() as u32))
}

fn listing_state(left: u32) -> State {
    if left == 0 {
        State::Lines
    } else {
        State::Listing { remaining: left }
    }
}

/// An item between items.
fn lines_layout<'x>(
    item: &Response<'x>,
    scratch: &'x mut [u8; SCRATCH],
) -> Result<Parts<'x>, EmitError> {
    match *item {
        Response::FtpGet { len, data } => {
            let (header, next) =
                payload(scratch, len, data, CRLF, |w| write!(w, "+FTPGET:{len},"))?;
            let end = if matches!(next, State::Lines) {
                CRLF
            } else {
                NONE
            };
            Ok(Parts {
                parts: [CRLF, header, data, end, NONE],
                next,
            })
        }
        Response::Echo(echo) => echo_layout(item, echo.request(), scratch),
        Response::Continuation(_) | Response::ListLine(_) => Err(EmitError::OutOfPlace),
        Response::Overlong(piece) => {
            if piece.len() != MAX_LINE || has_eol(piece) {
                return Err(EmitError::Unreadable);
            }
            if inline_header(Direction::FromModem, piece) != Header::None {
                return Err(EmitError::Unreadable);
            }
            Ok(Parts {
                parts: [CRLF, piece, NONE, NONE, NONE],
                next: State::Overlong {
                    first: true,
                    listing: None,
                },
            })
        }
        _ => {
            let n = line_text(item, scratch)?;
            let line = checked_line(item, scratch, n)?;
            let next = match listing_header(Direction::FromModem, line) {
                Some(h) if h.len > 0 => State::Listing { remaining: h.len },
                _ => State::Lines,
            };
            Ok(Parts {
                parts: [CRLF, line, CRLF, NONE, NONE],
                next,
            })
        }
    }
}

/// The layout of an echoed command line, `request` as `item` reads.
fn echo_layout<'x>(
    item: &Response<'x>,
    request: Request<'x>,
    scratch: &'x mut [u8; SCRATCH],
) -> Result<Parts<'x>, EmitError> {
    match request {
        Request::Command(Command::FtpPut(Put::Data(data))) => {
            if data.is_empty() || data.len() > MAX_PUT_DATA {
                return Err(EmitError::Unreadable);
            }
            let len = data.len() as u32;
            let (header, _) = payload(scratch, len, data, CR, |w| write!(w, "AT+FTPPUT={len},"))?;
            Ok(Parts {
                parts: [header, data, CR, NONE, NONE],
                next: State::Lines,
            })
        }
        Request::FtpPutStart { len, data } => {
            if len as usize <= MAX_PUT_DATA {
                return Err(EmitError::Unreadable);
            }
            let (header, next) =
                payload(scratch, len, data, CR, |w| write!(w, "AT+FTPPUT={len},"))?;
            let end = if matches!(next, State::Lines) {
                CR
            } else {
                NONE
            };
            Ok(Parts {
                parts: [header, data, end, NONE, NONE],
                next,
            })
        }
        Request::Continuation(_) | Request::Overlong(_) => Err(EmitError::Unreadable),
        // The line written from the request already read, not read again.
        _ => {
            let n = echo_text(request, scratch)?;
            let line = checked_line(item, scratch, n)?;
            Ok(Parts {
                parts: [line, CR, NONE, NONE, NONE],
                next: State::Lines,
            })
        }
    }
}

/// Writes the text of an echoed command line, `request` as read, into
/// `scratch`, without its terminator.
fn echo_text(request: Request<'_>, scratch: &mut [u8; SCRATCH]) -> Result<usize, EmitError> {
    let mut w = Scratch {
        buf: scratch.as_mut_slice(),
        at: 0,
    };
    match request {
        Request::Command(c) => {
            let n = c.encode(&mut *w.buf).map_err(|_| EmitError::Unreadable)?;
            // Without its CR: the caller frames it.
            Ok(n.saturating_sub(1))
        }
        Request::Unknown(line) => {
            w.put(line).map_err(|_| EmitError::Unreadable)?;
            Ok(w.at)
        }
        _ => Err(EmitError::Unreadable),
    }
}

/// A payload header written by `header` into `scratch`, checked against
/// `data`: the state after the first fragment.
fn payload<'x>(
    scratch: &'x mut [u8; SCRATCH],
    len: u32,
    data: &[u8],
    end: &'static [u8],
    header: impl FnOnce(&mut Scratch<'_>) -> fmt::Result,
) -> Result<(&'x [u8], State), EmitError> {
    let expected = (len as usize).min(MAX_FRAGMENT);
    if data.len() != expected {
        return Err(EmitError::Unreadable);
    }
    let mut w = Scratch {
        buf: scratch.as_mut_slice(),
        at: 0,
    };
    header(&mut w).map_err(|_| EmitError::Unreadable)?;
    let n = w.at;
    let remaining = len - expected as u32;
    let next = if remaining == 0 {
        State::Lines
    } else {
        State::Raw { remaining, end }
    };
    // The writer stops at the end of the scratch.
    Ok((within(scratch, ..n), next))
}

/// Writes the text of a line item (without framing) into `scratch`.
fn line_text(item: &Response<'_>, scratch: &mut [u8; SCRATCH]) -> Result<usize, EmitError> {
    let mut w = Scratch {
        buf: scratch.as_mut_slice(),
        at: 0,
    };
    let written = match *item {
        Response::Ok => w.put(b"OK"),
        Response::Error => w.put(b"ERROR"),
        Response::CmeError(e) => cme(&mut w, "CME", e),
        Response::CmsError(e) => cme(&mut w, "CMS", e),
        Response::ResultCode(code) => result_code(&mut w, code),
        Response::ServResult(code) => write!(w, "+FTPSERV:{}", code.code()),
        Response::FtpList { mode, len } => write!(w, "+FTPLIST:{mode},{len}"),
        Response::Info(info) => {
            let wire = info.name.as_str();
            if !wire.starts_with('+') {
                return Err(EmitError::Unreadable);
            }
            w.put(wire.as_bytes()).and_then(|()| match info.value {
                InfoValue::Empty => Ok(()),
                InfoValue::Number(n) => write!(w, ": {n}"),
                InfoValue::Range(r) => w
                    .put(b": (")
                    .and_then(|()| w.put(r))
                    .and_then(|()| w.put(b")")),
                InfoValue::Placeholder(p) => w
                    .put(b": <")
                    .and_then(|()| w.put(p))
                    .and_then(|()| w.put(b">")),
                InfoValue::Text(t) => w.put(b": ").and_then(|()| w.put(t)),
            })
        }
        Response::Urc(urc) => match urc {
            Urc::Ready => w.put(b"RDY"),
            Urc::Cpin(s) => w.put(b"+CPIN: ").and_then(|()| w.put(s)),
            Urc::Cfun(n) => write!(w, "+CFUN: {n}"),
            Urc::PowerDown(s) => w.put(s),
            Urc::Cgev(s) => w.put(b"+CGEV: ").and_then(|()| w.put(s)),
            Urc::PdpDeact => w.put(b"+PDP: DEACT"),
        },
        Response::Unknown(line) => w.put(line),
        Response::Echo(echo) => return echo_text(echo.request(), scratch),
        _ => return Err(EmitError::Unreadable),
    };
    written.map_err(|_| EmitError::Unreadable)?;
    Ok(w.at)
}

/// A V.250 or vendor final result code, in the spelling `SPEC.md` §1.9
/// lists first (`NO DIALTONE`, `COMMAND NOT SUPPORT`); `MODEM ERROR:`
/// without a number when the code had none.
fn result_code(w: &mut Scratch<'_>, code: ResultCode) -> fmt::Result {
    match code {
        ResultCode::NoCarrier => w.put(b"NO CARRIER"),
        ResultCode::Busy => w.put(b"BUSY"),
        ResultCode::NoAnswer => w.put(b"NO ANSWER"),
        ResultCode::NoDialtone => w.put(b"NO DIALTONE"),
        ResultCode::ModemError(Some(n)) => write!(w, "MODEM ERROR: {n}"),
        ResultCode::ModemError(None) => w.put(b"MODEM ERROR:"),
        ResultCode::NotSupported => w.put(b"COMMAND NOT SUPPORT"),
    }
}

fn cme(w: &mut Scratch<'_>, which: &str, e: CmeError<'_>) -> fmt::Result {
    match e {
        CmeError::Code(c) => write!(w, "+{which} ERROR: {c}"),
        CmeError::Text(t) => write!(w, "+{which} ERROR: ").and_then(|()| w.put(t)),
    }
}

/// The line of `n` bytes in `scratch`, if the decoder reads it back as
/// `item`: one line, no line end inside, not a payload header.
fn checked_line<'x>(
    item: &Response<'_>,
    scratch: &'x mut [u8; SCRATCH],
    n: usize,
) -> Result<&'x [u8], EmitError> {
    let line = scratch.get(..n).ok_or(EmitError::Unreadable)?;
    if line.is_empty() || line.len() > MAX_LINE || has_eol(line) {
        return Err(EmitError::Unreadable);
    }
    // Framed as the decoder will see it: the line and its terminator.
    if let Some(slot) = scratch.get_mut(n) {
        *slot = b'\r';
    }
    // `n` is at most MAX_LINE: the scratch has room for the terminator.
    let framed = within(scratch, ..n + 1);
    if matches!(
        inline_header(Direction::FromModem, framed),
        Header::Found { .. } | Header::Incomplete
    ) {
        return Err(EmitError::Unreadable);
    }
    let line = within(scratch, ..n);
    if response_line(line) != *item {
        return Err(EmitError::Unreadable);
    }
    Ok(line)
}
