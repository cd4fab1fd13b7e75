//! The second AT dialect: SIMCom's FTP command set (SIM800, SIM900,
//! SIM7000, SIM7080), as `SPEC-simcom.md` beside this crate specifies it.
//!
//! A wire module in the manner of smoltcp's: the types, the encoder and the
//! decoder of one protocol, apart from the first dialect's but on the same
//! framer and the same [`crate::Decoder`] contract.
//!
//! - [`Command`] is the dialect's command table (one row per command in
//!   `command.rs`); [`Command::encode`] validates every parameter before a
//!   byte is written, and [`Command::from_seed`] builds a command of any
//!   row for tests and fuzzers, which draw the rows from
//!   [`CommandName::iter`]. Strings are [`Quoted`] (or a [`Password`]): printable
//!   ASCII without `"` and `\`, within the lengths of the spec's §2.1.
//! - [`ResponseDecoder`] turns what the modem sends into [`Response`]
//!   items: final results, operation URCs ([`Urc::Ftp`]), read headers
//!   whose payload is taken by count ([`Response::ReadHeader`] then
//!   [`Response::Data`]), the put header ([`Response::PutHeader`]) and
//!   information lines. No payload is ever cut by what it contains.
//! - [`CommandDecoder`] turns what the host sends into [`Request`] items,
//!   command lines parsed back to [`Command`] and upload bytes taken by
//!   count (for replay and simulation).
//! - [`SimcomFtpError`] types the error codes 61 to 86 with their meaning
//!   and whose fault they are ([`SimcomErrorKind`]).
//!
//! ```
//! use cellftp_proto::simcom::{Command, Op, OpStatus, Response, ResponseDecoder, Transfer, Urc};
//! use cellftp_proto::Decoded;
//!
//! let mut out = [0u8; 32];
//! let n = Command::FtpGet(Transfer::Open).encode(&mut out)?;
//! assert_eq!(&out[..n], b"AT+FTPGET=1\r");
//!
//! let mut decoder = ResponseDecoder::new();
//! let Decoded::Item { item, .. } = decoder.decode(b"\r\n+FTPGET: 1,1\r\n") else { unreachable!() };
//! assert_eq!(item, Response::Urc(Urc::Ftp { op: Op::Get, status: OpStatus::Open }));
//! # Ok::<(), cellftp_proto::EncodeError>(())
//! ```

mod command;
mod decoder;
mod error;
mod field;
pub(crate) mod grammar;
mod response;
mod text;

pub use command::{
    Bearer, BearerParam, Command, CommandName, PutOpt, TimeoutClass, Transfer, Upload, MAX_COMMAND,
    MAX_PUT_DATA, MAX_READ,
};
pub use decoder::{CommandDecoder, Request, ResponseDecoder};
pub use error::{SimcomErrorKind, SimcomFtpError};
pub use field::{Field, FieldIter, Fields};
pub use response::{Info, InfoName, Op, OpStatus, OtherName, ReadOp, Response, Urc};
pub use text::{
    Password, PasswordBuf, Quoted, QuotedBuf, QuotedKind, SecretKind, MAX_QUOTED, MAX_SECRET,
};
