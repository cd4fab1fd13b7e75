//! The SIMCom dialect's session (`SPEC-simcom.md`): SIM800, SIM900,
//! SIM7000 and SIM7080 modules, whose FTP client is URC-driven.
//!
//! [`Session`] is the sans-IO state machine for this dialect, driven
//! exactly as [`crate::Session`] is (mutate, drain [`Session::poll_event`],
//! write [`Session::poll_transmit`], wait for input or
//! [`Session::poll_timeout`]), by the same drivers ([`crate::driver`]: it
//! implements [`crate::driver::Drive`]); the dialect is chosen by
//! constructing it, and the module family by [`Config::model`]. It is
//! `no_std` and never allocates: the receive buffer is [`RX_CAPACITY`]
//! bytes, the queue holds [`crate::MAX_QUEUED_JOBS`] jobs.
//!
//! Jobs: [`Session::bring_up`] (echo off and the `AT+SAPBR` bearer),
//! [`Session::configure`] (server, port, user, password, mode),
//! [`Session::put`] (chunked to the modem's `<maxlength>`, exactly the
//! confirmed bytes written), [`Session::get`] (with a restart offset),
//! [`Session::list`], [`Session::mkdir`], [`Session::rmdir`],
//! [`Session::delete`], [`Session::size`], [`Session::quit`]. Each ends in
//! one [`Event::JobDone`]; a failed FTP operation reports its error code
//! typed ([`JobError::Ftp`], with whose fault it is), and timeouts come
//! from [`Timeouts`] (75 s for FTP operations).
//!
//! The passwords (FTP and bearer) are validated at once and kept in
//! [`cellftp_proto::simcom::PasswordBuf`]s inside their jobs, wiped once
//! the modem has answered the command that carries them; they appear only
//! in the bytes [`Session::poll_transmit`] returns for that command, never
//! in `Debug` output, events or errors. The transmit buffer is wiped after
//! every final result, an echoed password line in the receive buffer after
//! it was read.

mod channel;
mod config;
mod error;
mod event;
mod jobs;
mod lines;
mod session;

pub use channel::RX_CAPACITY;
pub use config::{BearerConfig, Config, ConfigError, FtpConfig, Model, Timeouts};
pub use error::{Answer, Instead, JobError, ProtocolError};
pub use event::{Event, Outcome};
pub use session::Session;

/// The protocol types this module's API takes and returns, so that an
/// embedder depends on this crate alone (the rest of the dialect is
/// [`crate::proto::simcom`]).
pub use cellftp_proto::simcom::{
    CommandName, PutOpt, ReadOp, Response, SimcomErrorKind, SimcomFtpError, TimeoutClass,
    MAX_PUT_DATA,
};
