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
//! - [`simcom`] is the second dialect, SIMCom's FTP command set: its own
//!   command table, encoder, [`simcom::ResponseDecoder`] and error codes
//!   (`SPEC-simcom.md`).
//! - [`secret_ranges`] finds the passwords in raw bytes; the crate's `Debug`
//!   output hides them, and so must anything that writes logs.
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
//!
//! # The command table
//!
//! Every command is declared once, as a row of the table in `command.rs`:
//!
//! ```text
//! /// `AT+FTPMKD`: create a directory.
//! FtpMkd(Operation<Text<'a>>) = "+FTPMKD", kind: TextKind::Directory, role: Control, timeout: Directory / Local;
//! ```
//!
//! The row gives the [`Command`] variant and its form type (here an
//! [`Operation`], which has a test and a run form, on a [`Text`]), the text
//! after `AT`, the kind of the parameter, the command's [`Role`] for the FTP
//! connection, and the [`TimeoutClass`] of the forms that run (set,
//! execute) and of those that only ask (test, query).
//! From the rows come [`Command`], [`CommandName`] with its text, the name
//! lookup of both grammars, the encoder and the parser of each command,
//! [`Command::timeout_class`], [`Command::from_seed`] (with which the property
//! tests and the fuzz targets build a command of every row) and
//! [`commands`], which enumerates the table.
//!
//! ## Adding a command
//!
//! Say the modem gained `AT+FTPSIZE=<file name>`, which asks the server for
//! a file's size and answers `+FTPSIZE: <size>`.
//!
//! 1. Add its row to the table, where `SPEC.md` lists it:
//!
//!    ```text
//!    /// `AT+FTPSIZE`: ask the server for a file's size.
//!    FtpSize(Operation<Text<'a>>) = "+FTPSIZE", kind: TextKind::FileName, role: Control, timeout: Serv / Local;
//!    ```
//!
//!    The form and value types exist, so nothing else in the crate changes:
//!    the encoder writes `AT+FTPSIZE=<name>\r`, the command decoder reads
//!    it back, and the response decoder reads `+FTPSIZE: 123` as an
//!    [`Info`] line named `CommandName::FtpSize`. A new kind of value would
//!    be one more `Value` impl in `param.rs`, a new shape of form one more
//!    `Form` impl, a new kind of timeout one more [`TimeoutClass`], and a
//!    new role one more [`Role`].
//! 2. Refresh the fuzz dictionary: `UPDATE_DICT=1 cargo test -p
//!    cellftp-proto --test table` rewrites its generated sections of
//!    `fuzz/at.dict`.
//! 3. Run `cargo test -p cellftp-proto --all-features`: no test needs a
//!    change. The tests that walk the table take the new row from it: the
//!    `table` test checks its name, its lookup by both decoders and the
//!    dictionary, and the property tests and the `roundtrip` fuzz target
//!    build it in every form and check that it round-trips. The tests that
//!    name rows (the timeout classes of `SPEC.md` §1.12, each form's
//!    example bytes) are expectations written from `SPEC.md` for the rows
//!    they name, so they pass unchanged; the new row's own cases go there
//!    with its `SPEC.md` entry.
//! 4. Document it in `SPEC.md` §3 and its timeout in §1.12. Code outside
//!    this crate that matches on [`CommandName`] needs a look: both enums
//!    are `#[non_exhaustive]`, so such a match has a wildcard arm and the
//!    new name falls into it silently. The session does not match on
//!    names for timeouts: it asks [`Command::timeout_class`], which reads
//!    the row, and [`TimeoutClass`] is exhaustive, so a new class breaks
//!    the build where a duration must be chosen for it; nor for which
//!    failures lose the connection: it reads the row's [`Role`], exhaustive
//!    too.
//!
//! The SIMCom dialect's table ([`simcom::Command`]) works the same way,
//! without the role column: [`simcom::Command::from_seed`] builds its rows
//! for the tests, and the `table` test checks its section of the
//! dictionary.
#![no_std]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

#[cfg(any(test, feature = "std"))]
extern crate std;

mod bytes;
mod command;
mod decoder;
mod emit;
mod encode;
mod error;
mod frame;
mod grammar;
mod lex;
mod limits;
pub mod listing;
mod param;
mod request;
mod response;
mod role;
mod secret;
pub mod simcom;
mod text;
mod timeout;

pub use command::{commands, Command, CommandName, CommandSpec};
pub use decoder::{CommandDecoder, Decoded, Decoder, ResponseDecoder};
pub use emit::{EmitError, ResponseEncoder};
pub use error::{EncodeError, TextKind};
pub use limits::{
    MAX_COMMAND, MAX_FRAGMENT, MAX_HEADER, MAX_LINE, MAX_PUT_DATA, MAX_TEXT, MIN_BUFFER,
};
pub use param::{
    Action, Cfun, Cgact, FormKind, Mode, Operation, Param, Put, Seed, Setting, TransferType,
};
pub use request::Request;
pub use response::{
    CmeError, Echo, FinalResult, Info, InfoName, InfoValue, Response, ResultCode, ServCode, Urc,
};
pub use role::Role;
pub use secret::{secret_ranges, SecretRanges, REDACTED};
pub use text::{Host, HostBuf, Password, PasswordBuf, PasswordSlot, Text, TextBuf};
pub use timeout::TimeoutClass;
