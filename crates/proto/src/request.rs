//! What the host sends: the [`Request`] items [`crate::CommandDecoder`]
//! returns, and what an echoed line reads as ([`crate::Echo::request`]).

use core::fmt;

use crate::bytes::Bytes;
use crate::command::Command;
use crate::limits::MAX_PUT_DATA;
use crate::param::Put;
use crate::secret::Redacted;

/// One item of the host-to-modem stream.
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Request<'a> {
    /// A command line we understand and would send ourselves.
    Command(Command<'a>),
    /// `AT+FTPPUT=<len>,<data>` with `len` over [`crate::MAX_PUT_DATA`], a
    /// chunk we would not send: `data` holds the first
    /// `min(len, MAX_FRAGMENT)` bytes, and when `len` exceeds
    /// [`crate::MAX_FRAGMENT`], [`Request::Continuation`] items follow.
    FtpPutStart {
        /// The announced chunk length.
        len: u32,
        /// The first fragment.
        data: &'a [u8],
    },
    /// The next fragment of a long `AT+FTPPUT` chunk.
    Continuation(&'a [u8]),
    /// Any other line, whole: an unknown command, or a known one with a
    /// parameter we would refuse to send.
    Unknown(&'a [u8]),
    /// A piece of a line longer than [`crate::MAX_LINE`], skipped.
    Overlong(&'a [u8]),
}

impl<'a> Request<'a> {
    /// An `AT+FTPPUT=<len>,<data>` header and its (first) data: the end of
    /// an upload for 0, a command we would send up to
    /// [`crate::MAX_PUT_DATA`], a chunk we would not beyond.
    pub(crate) fn put(len: u32, data: &'a [u8]) -> Self {
        if len == 0 {
            Request::Command(Command::FtpPut(Put::End))
        } else if len as usize > MAX_PUT_DATA {
            Request::FtpPutStart { len, data }
        } else {
            Request::Command(Command::FtpPut(Put::Data(data)))
        }
    }

    /// False for the items the decoder did not understand:
    /// [`Request::Unknown`] and [`Request::Overlong`].
    pub fn is_recognised(&self) -> bool {
        !matches!(self, Request::Unknown(_) | Request::Overlong(_))
    }
}

impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Request::Command(c) => f.debug_tuple("Command").field(c).finish(),
            Request::FtpPutStart { len, data } => f
                .debug_struct("FtpPutStart")
                .field("len", len)
                .field("data", &Bytes(data))
                .finish(),
            Request::Continuation(d) => f.debug_tuple("Continuation").field(&Bytes(d)).finish(),
            Request::Unknown(l) => f.debug_tuple("Unknown").field(&Redacted(l)).finish(),
            Request::Overlong(l) => f.debug_tuple("Overlong").field(&l.len()).finish(),
        }
    }
}
