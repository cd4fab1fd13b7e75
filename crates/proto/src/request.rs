//! What the host sends: the [`Request`] items [`crate::CommandDecoder`]
//! returns (and [`crate::Response::Echo`] carries).

use core::fmt;

use crate::response::Bytes;
use crate::Command;

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

/// Formats a raw line, hiding everything after the name of anything that
/// looks like a password (`AT+FTPPW=…`, `+FTPPW: …`), even a malformed one.
pub(crate) struct Redacted<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match crate::grammar::password_value_at(self.0) {
            Some(at) => {
                fmt::Debug::fmt(&Bytes(self.0.get(..at).unwrap_or_default()), f)?;
                f.write_str("<redacted>")
            }
            None => fmt::Debug::fmt(&Bytes(self.0), f),
        }
    }
}
