//! The AT command set of a cellular modem's built-in FTP client: a typed,
//! injection-safe encoder and a zero-copy, streaming parser for both
//! directions of the serial line.
//!
//! `cellftp-proto` is `#![no_std]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

#[cfg(any(test, feature = "std"))]
extern crate std;

mod bytes;
mod command;
mod decoder;
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
mod secret;
mod text;
mod timeout;

pub use command::{commands, Command, CommandName, CommandSpec};
pub use decoder::{CommandDecoder, Decoded, Decoder, ResponseDecoder};
pub use error::{EncodeError, TextKind};
pub use limits::{
    MAX_COMMAND, MAX_FRAGMENT, MAX_HEADER, MAX_LINE, MAX_PUT_DATA, MAX_TEXT, MIN_BUFFER,
};
pub use param::{
    Action, Cfun, Cgact, FormKind, Mode, Operation, Param, Put, Seed, Setting, TransferType,
};
pub use request::Request;
pub use response::{CmeError, FinalResult, Info, InfoName, InfoValue, Response, ServCode, Urc};
pub use secret::{secret_ranges, SecretRanges, REDACTED};
pub use text::{Host, Password, Text};
pub use timeout::TimeoutClass;
