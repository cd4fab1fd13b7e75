//! Reads recorded transcripts and captured serial logs, and replays them
//! through the `cellftp` parser and session.
//!
//! - [`Transcript`] is the corpus format (`transcripts/*.cftx`): a readable
//!   text file of bytes sent and received, time marks, the jobs the host was
//!   running and the outcomes expected. [`Transcript::parse`] and
//!   [`Transcript::to_text`] round-trip.
//! - [`import`] turns captured logs into transcripts: socat `-v`/`-x`
//!   traces, pyserial `spy://` logs, interceptty logs, terminal logs (tio,
//!   picocom, minicom), Saleae Logic exports and hand-written `>`/`<` logs,
//!   detected by content; a file that breaks its format is an
//!   [`import::ImportError`] with its line and column.
//! - [`replay()`] runs a transcript through both decoders and, when it
//!   declares jobs, through a [`cellftp_session::Session`], checking that
//!   the session sends exactly the recorded commands and reaches the
//!   expected outcomes. A transcript that declares `! dialect simcom`
//!   ([`Dialect`]) is read with `cellftp_proto::simcom`'s decoders and runs
//!   its [`SimcomJob`]s through a `cellftp_session::simcom::Session`; a
//!   capture without declared jobs is read as SIMCom when its commands are
//!   (`AT+SAPBR`, `AT+FTPGET=1`, a quoted `AT+FTPSERV`), or when
//!   [`Options::dialect`] says so.
//!
//! Passwords never reach a transcript: the writer and the importers replace
//! every value that `cellftp_proto::secret_ranges` finds (`AT+FTPPW=`,
//! `+FTPPW:`, `PASSWORD: …` in a configuration report) with `<redacted>`,
//! in command and modem lines; payloads (file data, listings) are written
//! as they crossed the line ([`Redactor`]).

pub mod check;
mod describe;
mod feed;
pub mod files;
pub mod html;
pub mod import;
mod lockstep;
pub mod reconstruct;
mod redact;
pub mod replay;
mod report;
pub mod run;
mod simcom;
pub mod transcript;

pub use check::{check, FileReport, Options};
pub use redact::{redact_passwords, Framing, Redactor};
pub use replay::{replay, JobResult, Report};
pub use transcript::{Dialect, JobSpec, ParseError, Record, SimcomJob, Transcript};
