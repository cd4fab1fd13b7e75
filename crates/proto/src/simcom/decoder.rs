//! The SIMCom dialect's streaming decoders, on the crate's framer:
//! [`ResponseDecoder`] for what the modem sends, [`CommandDecoder`] for
//! what the host sends, and the host's items ([`Request`]).

use core::fmt;

use crate::bytes::Bytes;
use crate::secret::Redacted;

use super::command::Command;

use crate::decoder::{Decoded, Decoder};
use crate::frame::{Frame, Framed, Framer};
use crate::grammar::Direction;

use super::grammar;
use super::response::{ReadOp, Response};

/// Decodes what a SIMCom modem sends into [`Response`] items; the contract
/// of [`Decoder`] holds. The payloads of `+FTPGET: 2,<n>` and
/// `+FTPLIST: 2,<n>` are taken by count, never by delimiter: an `OK`, a URC
/// or a NUL inside one is data.
///
/// ```
/// use cellftp_proto::Decoded;
/// use cellftp_proto::simcom::{ReadOp, Response, ResponseDecoder};
///
/// let input = b"\r\n+FTPGET: 2,6\r\n\r\nOK\r\n\r\nOK\r\n";
/// let mut decoder = ResponseDecoder::new();
/// let mut rest = &input[..];
/// let mut items = Vec::new();
/// while let Decoded::Item { item, consumed } = decoder.decode(rest) {
///     items.push(item);
///     rest = &rest[consumed..];
/// }
/// assert_eq!(
///     items,
///     [
///         Response::ReadHeader { op: ReadOp::Get, len: 6 },
///         Response::Data(b"\r\nOK\r\n"),
///         Response::Ok,
///     ]
/// );
/// ```
#[derive(Debug, Clone)]
pub struct ResponseDecoder {
    framer: Framer,
}

impl ResponseDecoder {
    /// A decoder at the start of a stream.
    pub const fn new() -> Self {
        Self {
            framer: Framer::new(Direction::SimcomFromModem),
        }
    }

    /// True while inside a payload: the next bytes are data, not lines.
    pub fn in_payload(&self) -> bool {
        self.framer.in_payload()
    }

    /// Payload bytes announced and not yet returned as items; `None`
    /// between payloads.
    pub fn payload_pending(&self) -> Option<u32> {
        self.framer.payload_pending()
    }

    /// Payload bytes among the caller's `buffered` unconsumed bytes that
    /// are not yet returned (an incomplete fragment). 0 between payloads.
    pub fn payload_buffered(&self, buffered: usize) -> u32 {
        self.framer.payload_buffered(buffered)
    }

    /// Decodes the next item from the front of `buf`; see [`Decoder`] for
    /// what the caller must do with `consumed`.
    #[inline]
    pub fn decode<'b>(&mut self, buf: &'b [u8]) -> Decoded<Response<'b>> {
        match self.framer.next(buf) {
            Framed::NeedMore { consumed } => Decoded::NeedMore { consumed },
            Framed::Frame { frame, consumed } => Decoded::Item {
                item: response(frame),
                consumed,
            },
        }
    }
}

impl Default for ResponseDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder for ResponseDecoder {
    type Item<'b> = Response<'b>;

    // Inlined into a generic caller's loop, as the inherent method is
    // into its callers.
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

fn response(frame: Frame<'_>) -> Response<'_> {
    match frame {
        Frame::Line(line) => grammar::response_line(line),
        Frame::ListingHeader { header, .. } => Response::ReadHeader {
            op: if header.mode == 0 {
                ReadOp::Get
            } else {
                ReadOp::List
            },
            len: header.len,
        },
        Frame::Fragment(data) => Response::Data(data),
        Frame::Overlong(chunk) => Response::Overlong(chunk),
        // The SIMCom direction has no inline headers and no line-cut
        // payloads.
        Frame::PayloadStart { data, .. } | Frame::PayloadLine(data) => {
            debug_assert!(false, "no such frame in the SIMCom dialect");
            Response::Unknown(data)
        }
    }
}

/// One item of the host-to-modem stream of the SIMCom dialect.
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Request<'a> {
    /// A command line the encoder would send.
    Command(Command<'a>),
    /// Raw upload bytes after `AT+FTPPUT=2,<n>`, at most
    /// [`crate::MAX_FRAGMENT`] per item.
    PutData(&'a [u8]),
    /// Any other line, whole.
    Unknown(&'a [u8]),
    /// A piece of a line longer than [`crate::MAX_LINE`].
    Overlong(&'a [u8]),
}

impl Request<'_> {
    /// False for [`Request::Unknown`] and [`Request::Overlong`].
    pub fn is_recognised(&self) -> bool {
        !matches!(self, Request::Unknown(_) | Request::Overlong(_))
    }
}

impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Request::Command(c) => f.debug_tuple("Command").field(c).finish(),
            Request::PutData(d) => f.debug_tuple("PutData").field(&Bytes(d)).finish(),
            Request::Unknown(l) => f.debug_tuple("Unknown").field(&Redacted(l)).finish(),
            Request::Overlong(l) => f.debug_tuple("Overlong").field(&l.len()).finish(),
        }
    }
}

/// Decodes what a host sends to a SIMCom modem into [`Request`] items; the
/// contract of [`Decoder`] holds. After `AT+FTPPUT=2,<n>` it takes `<n>`
/// raw bytes, unless told with [`CommandDecoder::expect_put_data`] how
/// many the modem confirmed (`SPEC-simcom.md` §1.5, §6 item 18).
///
/// ```
/// use cellftp_proto::Decoded;
/// use cellftp_proto::simcom::{Command, CommandDecoder, Request, Upload};
///
/// let input = b"AT+FTPPUT=2,10\rhelloAT+FTPPUT=2,0\r";
/// let mut decoder = CommandDecoder::new();
/// let Decoded::Item { item, consumed } = decoder.decode(input) else { unreachable!() };
/// assert_eq!(item, Request::Command(Command::FtpPut(Upload::Write(10))));
/// // The modem answered `+FTPPUT: 2,5`: five bytes follow, not ten.
/// decoder.expect_put_data(5);
/// let rest = &input[consumed..];
/// let Decoded::Item { item, consumed } = decoder.decode(rest) else { unreachable!() };
/// assert_eq!(item, Request::PutData(b"hello"));
/// let Decoded::Item { item, .. } = decoder.decode(&rest[consumed..]) else { unreachable!() };
/// assert_eq!(item, Request::Command(Command::FtpPut(Upload::End)));
/// ```
#[derive(Debug, Clone)]
pub struct CommandDecoder {
    framer: Framer,
}

impl CommandDecoder {
    /// A decoder at the start of a stream.
    pub const fn new() -> Self {
        Self {
            framer: Framer::new(Direction::SimcomFromHost),
        }
    }

    /// True while inside upload bytes.
    pub fn in_payload(&self) -> bool {
        self.framer.in_payload()
    }

    /// Upload bytes among the caller's `buffered` unconsumed bytes not yet
    /// returned. 0 between payloads.
    pub fn payload_buffered(&self, buffered: usize) -> u32 {
        self.framer.payload_buffered(buffered)
    }

    /// Right after an `AT+FTPPUT=2,<n>` item, before any of its bytes is
    /// decoded: the modem confirmed `cnf` bytes, so `cnf` bytes follow (0:
    /// none). Does nothing elsewhere.
    pub fn expect_put_data(&mut self, cnf: u32) {
        self.framer.set_raw_remaining(cnf);
    }

    /// Decodes the next item from the front of `buf`; see [`Decoder`].
    pub fn decode<'b>(&mut self, buf: &'b [u8]) -> Decoded<Request<'b>> {
        match self.framer.next(buf) {
            Framed::NeedMore { consumed } => Decoded::NeedMore { consumed },
            Framed::Frame { frame, consumed } => Decoded::Item {
                item: request(frame),
                consumed,
            },
        }
    }
}

impl Default for CommandDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder for CommandDecoder {
    type Item<'b> = Request<'b>;

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

fn request(frame: Frame<'_>) -> Request<'_> {
    match frame {
        Frame::Line(line) | Frame::ListingHeader { line, .. } => {
            match grammar::command_line(line) {
                Some(c) => Request::Command(c),
                None => Request::Unknown(line),
            }
        }
        Frame::Fragment(data) => Request::PutData(data),
        Frame::Overlong(chunk) => Request::Overlong(chunk),
        Frame::PayloadStart { data, .. } | Frame::PayloadLine(data) => {
            debug_assert!(false, "no such frame in the SIMCom dialect");
            Request::Unknown(data)
        }
    }
}
