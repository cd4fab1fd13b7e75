//! The AT command set of a cellular modem's built-in FTP client: a typed,
//! injection-safe encoder and a zero-copy, streaming parser for both
//! directions of the serial line.
//!
//! `cellftp-proto` is `#![no_std]` and never allocates. Everything it returns
//! borrows from the caller's buffer.
//!
//! - [`Command`] models every command the modem's manual names;
//!   [`Command::encode`] writes its canonical bytes into a caller-supplied
//!   buffer after validating every parameter (see [`EncodeError`]).
//! - [`ResponseDecoder`] turns what the modem sends into [`Response`] items;
//!   [`CommandDecoder`] turns what the host sends into [`Request`] items.
//!   Both frame first (line ends, or a payload's announced length) and then
//!   run a small winnow grammar on the complete frame, so they are linear in
//!   the input however it is cut into reads, and the items they return never
//!   depend on where the cuts fall.
//! - [`listing`] parses the lines of an `AT+FTPLIST` directory listing.
//!
//! The protocol as implemented, including every ambiguity of the manual and
//! the decision taken, is written down in `SPEC.md` beside this crate.
//!
//! # Example
//!
//! ```
//! use cellftp_proto::{Command, Decoded, Response, ResponseDecoder, Setting, Mode};
//!
//! let mut out = [0u8; 64];
//! let n = Command::FtpMode(Setting::Set(Mode::Passive)).encode(&mut out)?;
//! assert_eq!(&out[..n], b"AT+FTPMODE=1\r");
//!
//! let mut decoder = ResponseDecoder::new();
//! let input = b"\r\n+FTPGET:3,345\r\nOK\r\n";
//! let Decoded::Item { item, consumed } = decoder.decode(input) else { unreachable!() };
//! assert_eq!(item, Response::FtpGet { len: 3, data: b"345" });
//! let Decoded::Item { item, .. } = decoder.decode(&input[consumed..]) else { unreachable!() };
//! assert_eq!(item, Response::Ok);
//! # Ok::<(), cellftp_proto::EncodeError>(())
//! ```
#![no_std]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

#[cfg(any(test, feature = "std"))]
extern crate std;

mod command;
mod decoder;
mod encode;
mod frame;
mod grammar;
pub mod listing;
mod request;
mod response;
mod text;

pub use command::{
    Action, Cfun, Cgact, Command, CommandName, Mode, Operation, Put, Setting, TransferType,
};
pub use decoder::{CommandDecoder, Decoded, ResponseDecoder};
pub use encode::EncodeError;
pub use frame::Dialect;
pub use request::Request;
pub use response::{CmeError, FinalResult, Info, InfoName, InfoValue, Response, ServCode, Urc};
pub use text::{Host, HostBuf, Password, PasswordBuf, Text, TextBuf, TextError, TextKind};

/// The longest line, without its terminator, that the decoders return whole.
///
/// A longer line is reported as [`Response::Overlong`] / [`Request::Overlong`]
/// items of at most this many bytes each and skipped.
pub const MAX_LINE: usize = 1024;

/// The largest piece of a length-prefixed payload (`+FTPGET` data, `AT+FTPPUT`
/// data) returned in one item. Longer payloads arrive as fragments of exactly
/// this size (the last one shorter), see [`Response::Continuation`].
pub const MAX_FRAGMENT: usize = 2048;

/// The longest payload header (`+FTPGET:<len>,` or `AT+FTPPUT=<len>,`,
/// including stray spaces) the decoders recognise.
pub const MAX_HEADER: usize = 64;

/// The smallest read buffer a decoder's caller must provide: room for a
/// payload header followed by a whole fragment, or a whole line.
///
/// A caller that keeps the unconsumed bytes in a buffer of this size never
/// finds it full without an item to take out of it.
pub const MIN_BUFFER: usize = MAX_HEADER + MAX_FRAGMENT;

/// The longest string parameter (user, password, file name, path, directory)
/// the modem accepts, in bytes, as the manual states.
pub const MAX_TEXT: usize = 64;

/// The largest `AT+FTPPUT=<len>,<data>` chunk the encoder sends, in bytes.
pub const MAX_PUT_DATA: usize = 1024;

/// The longest canonical command line [`Command::encode`] can produce:
/// `AT+FTPPUT=1024,` followed by the data and CR.
pub const MAX_COMMAND: usize = 16 + MAX_PUT_DATA;
