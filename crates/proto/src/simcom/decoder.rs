//! [`ResponseDecoder`]: the SIMCom dialect's streaming decoder of what the
//! modem sends, on the crate's framer.

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
