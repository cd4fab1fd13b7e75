//! A pure sans-IO state machine that runs FTP jobs on a cellular modem's
//! built-in FTP client.
//!
//! [`Session`] does no I/O, reads no clock, starts no thread and never
//! allocates; it is `#![no_std]`. The caller moves the bytes and tells the
//! time; the session decides what to send, when, and what it all meant. The
//! same state machine runs in firmware (see [`driver::embedded`]), on a host
//! over a serial port ([`driver::blocking`]) or under tokio
//! ([`driver::tokio`]), and in tests fed literal bytes.
//!
//! # Jobs
//!
//! Queue jobs with the verbs — [`Session::bring_up`], [`Session::configure`],
//! [`Session::put`], [`Session::get`] (with a resume offset),
//! [`Session::list`], [`Session::mkdir`], [`Session::rmdir`],
//! [`Session::query_config`], [`Session::quit`], [`Session::raw`] (one AT
//! line of the caller's) — which validate every parameter at once and
//! return a [`JobId`]. Jobs run one after the other; each ends in exactly
//! one [`Event::JobDone`] with an [`Outcome`] or a [`JobError`] that says
//! whose fault it was. [`Session::cancel`] ends a queued job at once and a
//! running one cleanly.
//!
//! # Dialects
//!
//! [`Session`] drives the modem of `SPEC.md`; [`simcom::Session`] drives
//! SIMCom's FTP command set (SIM800 / SIM900 / SIM7000 / SIM7080,
//! `SPEC-simcom.md`) with the same drive loop, the same drivers (both
//! implement [`driver::Drive`]) and the same guarantees.
//!
//! # The drive loop
//!
//! Mutate, then drain every output, then wait:
//!
//! 1. after [`Session::handle_input`], [`Session::handle_timeout`] or a verb,
//!    call [`Session::poll_event`] until it returns `None` (answer
//!    [`Event::PutReady`] with [`Session::send_data`] /
//!    [`Session::finish_put`]);
//! 2. write every [`Session::poll_transmit`] to the modem;
//! 3. wait for bytes from the modem or until [`Session::poll_timeout`],
//!    whichever comes first, and go to 1.
//!
//! ```
//! use cellftp_session::{Event, Instant, Outcome, Session};
//!
//! // A scripted modem: what it answers to each command.
//! fn modem(command: &[u8]) -> &'static [u8] {
//!     match command {
//!         b"AT+FTPGETNAME=12.txt\r" => b"\r\nOK\r\n",
//!         b"AT+FTPGET\r" => b"\r\n+FTPGET:5,hello\r\n\r\nOK\r\n",
//!         _ => b"\r\nERROR\r\n",
//!     }
//! }
//!
//! let mut session = Session::default();
//! let job = session.get("12.txt", 0)?;
//! let mut now = Instant::from_millis(0);
//! let mut file = Vec::new();
//! let mut done = None;
//! let mut input: &[u8] = &[]; // received, not yet taken by the session
//! while done.is_none() {
//!     // 1. drain events
//!     while let Some(event) = session.poll_event() {
//!         match event {
//!             Event::Data { data, .. } => file.extend_from_slice(data),
//!             Event::JobDone { job: j, result } if j == job => done = Some(result),
//!             _ => {}
//!         }
//!     }
//!     // 2. transmit (here the modem answers at once)
//!     if let Some(command) = session.poll_transmit(now) {
//!         input = modem(command);
//!     }
//!     // 3. wait: input arrives, or the next deadline passes. What the
//!     //    receive buffer cannot take is offered again after step 1.
//!     if !input.is_empty() {
//!         let taken = session.handle_input(now, input);
//!         input = &input[taken..];
//!     } else if let Some(deadline) = session.poll_timeout() {
//!         now = now.max(deadline);
//!         session.handle_timeout(now);
//!     }
//! }
//! assert_eq!(file, b"hello");
//! assert_eq!(done, Some(Ok(Outcome::Downloaded { offset: 0, bytes: 5 })));
//! # Ok::<(), cellftp_session::UsageError>(())
//! ```
//!
//! # Observing
//!
//! [`Session::set_trace`] hands every command line sent and every line
//! received to a plain function, passwords redacted ([`TraceLine`]); with
//! the `tracing` feature, `to_tracing` is that function for `tracing`;
//! uploads report [`Event::PutProgress`] after every acknowledged chunk.
//! Under `std`, [`StdClock`] maps `std::time::Instant` to [`Instant`].
//!
//! # Bounds
//!
//! The receive buffer holds [`RX_CAPACITY`] bytes, the job queue
//! [`MAX_QUEUED_JOBS`] jobs; nothing grows. The password given to
//! [`Session::configure`] leaves the session only inside the `AT+FTPPW`
//! bytes returned by [`Session::poll_transmit`]: `Debug` output, events and
//! errors never contain it. It is copied from the caller's `&str` into one
//! fixed slot (never moved after) and wiped with `zeroize` once the modem
//! has answered `AT+FTPPW` and on drop; the transmit buffer is wiped once
//! the modem has answered, the echo of the command in the receive buffer at
//! the next call after it was read, an echo that comes after a timeout or
//! garbled before its `=` included. Not covered: an echo both late and
//! garbled in its command name, when the session no longer holds the
//! password to look for (the README, "Secrets"); its `Debug` shows what
//! proto's redaction rule ([`cellftp_proto::secret_ranges`]) finds.
//! Copies the caller makes are its own.
#![no_std]

#[cfg(any(test, feature = "std"))]
extern crate std;

mod channel;
mod config;
pub mod driver;
mod error;
mod event;
mod jobs;
mod manual;
mod modem;
mod secret;
mod session;
pub mod simcom;
mod slice;
#[cfg(feature = "testing")]
pub mod testing;
mod time;
mod trace;

pub use channel::{is_resync_name, RX_CAPACITY};
pub use config::{BringUp, Config, ConfigError, ExtraFinal, FtpConfig, Timeouts, MAX_EXTRA_FINALS};
pub use error::{
    ErrorText, JobError, ModemError, ProtocolError, ResponseKind, UsageError, MAX_ERROR_TEXT,
};
pub use event::{Event, JobId, Outcome};
pub use jobs::{MAX_QUEUED_JOBS, MAX_RAW_LINE};
pub use modem::Link;
pub use session::Session;
pub use time::Instant;
#[cfg(feature = "std")]
pub use time::StdClock;
#[cfg(feature = "tracing")]
pub use trace::to_tracing;
pub use trace::{Direction, Segment, Segments, TraceFn, TraceLine};

/// The protocol crate, for the types this crate's API does not re-export
/// one by one (the parts of a [`Response`], listing details, …).
pub use cellftp_proto as proto;
pub use cellftp_proto::listing::{Entry, EntryKind, ListingError};
pub use cellftp_proto::{
    CommandName, EncodeError, Mode, Response, ServCode, TextKind, TransferType, MAX_PUT_DATA,
};

/// The README's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
