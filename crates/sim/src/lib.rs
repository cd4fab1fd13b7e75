//! A simulated cellular modem with a built-in FTP client, backed by a real
//! FTP server: something to develop a modem driver against without
//! hardware, to reproduce a field problem with injected faults, and to test
//! in CI.
//!
//! The modem speaks the AT protocol of `cellftp-proto`'s `SPEC.md`
//! exactly: it reads command lines with [`cellftp_proto::CommandDecoder`]
//! and answers with [`cellftp_proto::ResponseEncoder`]. Its FTP commands
//! are carried out against a real server with the `suppaftp` client.
//!
//! - [`SimcomModem`] speaks the second dialect, SIMCom's URC-driven FTP
//!   command set (`SPEC-simcom.md`), on the same [`FtpBackend`];
//!   [`SimConfig::dialect`] picks it ([`Dialect::Simcom`]).
//! - [`Modem`] is the modem as a sans-IO state machine (host bytes in,
//!   response bytes and [`FtpOp`]s out); unit tests and the fuzzer drive it
//!   directly.
//! - [`FtpBackend`] carries out [`FtpOp`]s against a server, and counts
//!   the data connections it opens by the side that opens them
//!   ([`DataConnections`]).
//! - [`Simulator`] joins the two and paces the link to a baud rate;
//!   [`PtyServer`] serves it on a pseudo-terminal (a `/dev/pts/N`, or a
//!   symbolic link to it), [`TcpServer`] on a TCP port like a modem behind
//!   ser2net. [`PtyPort`] is a host-side port on a pseudo-terminal for
//!   `cellftp_session`'s blocking driver.
//! - [`EmbeddedServer`] (feature `embedded-server`, on by default) is an
//!   FTP server inside the process, serving a folder on 127.0.0.1.
//! - [`fault`] documents the fault spec: dropped data connections, late
//!   or missing answers, restarts, unsolicited lines, corrupted or lost
//!   bytes, error answers; every fault reproducible from its seed.
//!
//! # Example
//!
//! ```no_run
//! use std::time::Duration;
//! use cellftp_sim::{EmbeddedServer, ModemConfig, PtyServer, SimConfig, Simulator};
//!
//! let ftp = EmbeddedServer::start(std::path::Path::new("/srv/ftp"))?;
//! let config = SimConfig {
//!     modem: ModemConfig { faults: "seed=1,urc=0.1".parse()?, ..ModemConfig::default() },
//!     baud: Some(115_200),
//!     ..SimConfig::default()
//! };
//! let pty = PtyServer::start(Simulator::new(config), None)?;
//! println!("modem on {}, FTP server on {}", pty.path().display(), ftp.addr());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The modem differs from the manual where the manual is silent, as
//! `SPEC.md` §5 decides: `AT+FTPSERV` connects (codes 1 to 5 for the
//! failures, as `SPEC.md` §3.9 records: 1 when no PDP context is active, 2
//! for an address that does not resolve, 3 when the connection is refused,
//! 4 when the connection or the server's greeting does not come in time,
//! 5 when the server answers with anything but a greeting), `AT+FTPPW`
//! logs in with the user name
//! of `AT+FTPUN`, `AT+FTPRESET` is the `REST` offset of every later
//! `AT+FTPGET` until changed, `AT+FTPPATH` is the directory of gets, puts,
//! listings and of a relative `AT+FTPMKD`/`AT+FTPRMD` (§5 item 52), and a
//! failed transfer ends in `ERROR` after the data that did arrive.

pub mod fault;
mod ftp;
mod modem;
mod op;
mod serve;
#[cfg(feature = "embedded-server")]
mod server;
mod simcom;

pub use fault::{FaultSpecError, Faults};
pub use ftp::{DataConnections, FtpBackend};
pub use modem::{Modem, ModemConfig, RX_LIMIT};
pub use op::{FtpOp, FtpResult};
pub use serve::{
    Dialect, Link, PtyError, PtyPort, PtyServer, Running, SimConfig, Simulator, TcpServer,
};
#[cfg(feature = "embedded-server")]
pub use server::EmbeddedServer;
pub use simcom::{SimcomModem, MAX_LENGTH};
