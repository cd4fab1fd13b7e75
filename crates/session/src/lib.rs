//! A pure sans-IO state machine that runs FTP jobs on a cellular modem's
//! built-in FTP client.
//!
//! (Crate docs are completed below.)
#![no_std]

#[cfg(any(test, feature = "std"))]
extern crate std;

mod config;
mod error;
mod event;
mod job;
mod ring;
mod session;
mod store;
mod time;

pub use config::{BringUp, Config, FtpConfig, Timeouts};
pub use error::{JobError, ModemError, ProtocolError, ResponseKind, UsageError};
pub use event::{Event, JobId, Outcome};
pub use session::{Link, Session, MAX_QUEUED_JOBS, RX_CAPACITY};
pub use time::Instant;
