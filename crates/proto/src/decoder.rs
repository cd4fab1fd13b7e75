//! The two streaming decoders, the [`Decoder`] trait they share, and their
//! result type.
//!
//! The contract every caller must keep is written on [`Decoder`].

use core::fmt::Debug;

use crate::frame::{self, Frame, Framed, Framer};
use crate::grammar::{self, Direction};
use crate::request::Request;
use crate::response::{Echo, Response};

/// What both decoders do, for code that works with either: replay, test
/// harnesses, fuzz targets.
///
/// # The contract
///
/// A decoder is fed from a buffer the caller owns. Each call gets the bytes
/// not yet consumed, oldest first; the caller then MUST drop the `consumed`
/// bytes from the front and MUST present the rest again, with whatever new
/// bytes arrived appended, on the next call. A caller that keeps
/// [`crate::MIN_BUFFER`] bytes of room never finds its buffer full without an
/// item to take out.
///
/// Given the same bytes, a decoder returns the same items however they are
/// cut into calls. A decoder never panics, whatever the bytes; a caller that
/// breaks the contract gets meaningless items, not a panic.
///
/// # The trait
///
/// The trait adds nothing to the decoders' own methods, which it calls; it
/// is implemented for [`ResponseDecoder`] and [`CommandDecoder`], and
/// generic code over it is monomorphised, never dispatched at run time.
///
/// ```
/// use cellftp_proto::{CommandDecoder, Decoded, Decoder, ResponseDecoder};
///
/// /// How many items of `bytes` the decoder does not understand.
/// fn not_understood<D: Decoder + Default>(mut bytes: &[u8]) -> usize {
///     let mut decoder = D::default();
///     let mut n = 0;
///     while let Decoded::Item { item, consumed } = decoder.decode(bytes) {
///         n += usize::from(!D::is_recognised(&item));
///         bytes = &bytes[consumed..];
///     }
///     n
/// }
/// assert_eq!(not_understood::<ResponseDecoder>(b"\r\nOK\r\n\r\nHUH\r\n"), 1);
/// assert_eq!(not_understood::<CommandDecoder>(b"AT\rATX\r"), 1);
/// ```
pub trait Decoder {
    /// What the decoder returns, borrowing from the caller's buffer.
    type Item<'b>: Copy + Debug + PartialEq;

    /// Decodes the next item from the front of `buf`; see the contract
    /// above for what the caller must do with `consumed`.
    fn decode<'b>(&mut self, buf: &'b [u8]) -> Decoded<Self::Item<'b>>;

    /// True while inside a length-prefixed payload: the next bytes are
    /// data, not lines.
    fn in_payload(&self) -> bool;

    /// False for the items the decoder did not understand (a line it does
    /// not know, a piece of an overlong line).
    fn is_recognised(item: &Self::Item<'_>) -> bool;
}

/// What a decoder found at the front of the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "the caller must drop `consumed` bytes"]
pub enum Decoded<T> {
    /// A complete item. `consumed` bytes, from the front of the buffer, are
    /// done with: any line separators before the item, and the item.
    Item {
        /// The item, borrowing from the buffer.
        item: T,
        /// How many bytes to drop from the front.
        consumed: usize,
    },
    /// The buffer holds no complete item. `consumed` counts the line
    /// separators at its front, which are done with; the bytes of a partial
    /// item are never consumed.
    NeedMore {
        /// How many bytes to drop from the front.
        consumed: usize,
    },
}

/// Decodes what the modem sends into [`Response`] items.
///
/// ```
/// use cellftp_proto::{Decoded, Response, ResponseDecoder};
///
/// let stream = b"\r\n+FTPGET:6,\r\nOK\r\n\r\nOK\r\n";
/// let mut decoder = ResponseDecoder::new();
/// let mut buf: &[u8] = &[];
/// let mut items = Vec::new();
/// for (i, _) in stream.iter().enumerate() {
///     // One byte at a time: the items do not change.
///     buf = &stream[i + 1 - buf.len() - 1..=i];
///     while let Decoded::Item { item, consumed } = decoder.decode(buf) {
///         items.push(format!("{item:?}"));
///         buf = &buf[consumed..];
///     }
/// }
/// assert_eq!(items, [r#"FtpGet { len: 6, data: b"\r\nOK\r\n" }"#, "Ok"]);
/// ```
#[derive(Debug, Clone)]
pub struct ResponseDecoder {
    framer: Framer,
}

impl ResponseDecoder {
    /// A decoder for the modem documented in `SPEC.md`.
    pub const fn new() -> Self {
        Self {
            framer: Framer::new(Direction::FromModem),
        }
    }

    /// True while inside a length-prefixed payload: the next bytes are data,
    /// not lines.
    pub fn in_payload(&self) -> bool {
        self.framer.in_payload()
    }

    /// Payload bytes announced and not yet returned as items: the rest of a
    /// payload being read, or all of one whose `+FTPGET:<len>,` header has
    /// arrived but whose first fragment has not. `None` between items.
    pub fn payload_pending(&self) -> Option<u32> {
        self.framer.payload_pending()
    }

    /// Payload bytes that arrived and are not yet returned as an item, when
    /// the caller holds `buffered` unconsumed bytes: the part of an
    /// incomplete fragment that is already there. 0 between items.
    pub fn payload_buffered(&self, buffered: usize) -> u32 {
        self.framer.payload_buffered(buffered)
    }

    /// Decodes the next item from the front of `buf`; see [`Decoder`] for
    /// what the caller must do with `consumed`.
    // Always inlined into the caller's loop: on short lines a call, with
    // its item returned through memory, was one instruction in twenty.
    #[inline(always)]
    pub fn decode<'b>(&mut self, buf: &'b [u8]) -> Decoded<Response<'b>> {
        // Each path read on its own: the common one, a plain line, then
        // needs no dispatch on what kind of frame it found.
        match self.framer.next_line(buf, Direction::FromModem, response) {
            Some(framed) => decoded(framed),
            None => decoded(
                self.framer
                    .next_item(buf, frame::modem_header)
                    .map(response),
            ),
        }
    }
}

impl Decoder for ResponseDecoder {
    type Item<'b> = Response<'b>;

    // As the inherent method: a generic caller's loop gets it inlined too.
    #[inline(always)]
    fn decode<'b>(&mut self, buf: &'b [u8]) -> Decoded<Response<'b>> {
        ResponseDecoder::decode(self, buf)
    }

    fn in_payload(&self) -> bool {
        ResponseDecoder::in_payload(self)
    }

    fn is_recognised(item: &Response<'_>) -> bool {
        item.is_recognised()
    }
}

impl Default for ResponseDecoder {
    fn default() -> Self {
        Self::new()
    }
}

/// A framer's answer, its frame already read, as a decoder's.
#[inline(always)]
fn decoded<T>(framed: Framed<T>) -> Decoded<T> {
    match framed {
        Framed::NeedMore { consumed } => Decoded::NeedMore { consumed },
        Framed::Frame { frame, consumed } => Decoded::Item {
            item: frame,
            consumed,
        },
    }
}

#[inline]
fn response(frame: Frame<'_>) -> Response<'_> {
    match frame {
        Frame::Line(line) => grammar::response_line(line),
        Frame::ListingHeader { header, .. } => Response::FtpList {
            mode: header.mode,
            len: header.len,
        },
        Frame::Overlong(chunk) => Response::Overlong(chunk),
        Frame::PayloadStart { header, len, data } => {
            if header.first() == Some(&b'+') {
                Response::FtpGet { len, data }
            } else {
                Response::Echo(Echo::from_put(len, data))
            }
        }
        Frame::Fragment(data) => Response::Continuation(data),
        Frame::PayloadLine(line) => Response::ListLine(line),
    }
}

/// Decodes what the host sends into [`Request`] items.
///
/// ```
/// use cellftp_proto::{Action, Command, CommandDecoder, Decoded, Request};
///
/// let mut decoder = CommandDecoder::new();
/// let Decoded::Item { item, consumed } = decoder.decode(b"AT+ FTPQUIT \r") else { panic!() };
/// assert_eq!(item, Request::Command(Command::FtpQuit(Action::Execute)));
/// assert_eq!(consumed, 12);
/// ```
#[derive(Debug, Clone)]
pub struct CommandDecoder {
    framer: Framer,
}

impl CommandDecoder {
    /// A decoder for the modem documented in `SPEC.md`.
    pub const fn new() -> Self {
        Self {
            framer: Framer::new(Direction::FromHost),
        }
    }

    /// True while inside a length-prefixed payload.
    pub fn in_payload(&self) -> bool {
        self.framer.in_payload()
    }

    /// Payload bytes that arrived and are not yet returned as an item, when
    /// the caller holds `buffered` unconsumed bytes: the part of an
    /// `AT+FTPPUT` chunk's incomplete fragment that is already there, the
    /// last bytes of the buffer. 0 between items.
    pub fn payload_buffered(&self, buffered: usize) -> u32 {
        self.framer.payload_buffered(buffered)
    }

    /// Decodes the next item from the front of `buf`; see [`Decoder`] for
    /// what the caller must do with `consumed`.
    pub fn decode<'b>(&mut self, buf: &'b [u8]) -> Decoded<Request<'b>> {
        // `Framer::next` for this direction, without linking the other
        // directions' header rules.
        let framed = match self
            .framer
            .next_line(buf, Direction::FromHost, |frame| frame)
        {
            Some(framed) => framed,
            None => self.framer.next_item(buf, frame::no_header),
        };
        match framed {
            Framed::NeedMore { consumed } => Decoded::NeedMore { consumed },
            Framed::Frame { frame, consumed } => Decoded::Item {
                item: request(frame),
                consumed,
            },
        }
    }
}

impl Decoder for CommandDecoder {
    type Item<'b> = Request<'b>;

    #[inline]
    fn decode<'b>(&mut self, buf: &'b [u8]) -> Decoded<Request<'b>> {
        CommandDecoder::decode(self, buf)
    }

    fn in_payload(&self) -> bool {
        CommandDecoder::in_payload(self)
    }

    fn is_recognised(item: &Request<'_>) -> bool {
        item.is_recognised()
    }
}

impl Default for CommandDecoder {
    fn default() -> Self {
        Self::new()
    }
}

fn request(frame: Frame<'_>) -> Request<'_> {
    match frame {
        Frame::Line(line) | Frame::PayloadLine(line) | Frame::ListingHeader { line, .. } => {
            match grammar::host::command_line(line) {
                Some(c) => Request::Command(c),
                None => Request::Unknown(line),
            }
        }
        Frame::Overlong(chunk) => Request::Overlong(chunk),
        Frame::PayloadStart { len, data, .. } => Request::put(len, data),
        Frame::Fragment(data) => Request::Continuation(data),
    }
}
