//! What the caller decides: timeouts, guard time, chunk size, and the
//! parameters of the bring-up and configure jobs.

use core::fmt;
use core::time::Duration;

use cellftp_proto::{Mode, TimeoutClass, TransferType, MAX_PUT_DATA};

/// How long each command may take before its job fails with
/// [`crate::JobError::Timeout`]. Defaults are those of `SPEC.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// `AT`, `ATE`, and every local setting, query and test (`FTPMODE`,
    /// `FTPTYPE`, `FTPRESET`, `FTPPORT`, `FTPUN`, `FTPPW`, `FTPGETNAME`,
    /// `FTPPUTNAME`, `FTPPATH`, `FTPSCON`): 5 s.
    pub local: Duration,
    /// `AT+CFUN`: 15 s.
    pub cfun: Duration,
    /// `AT+CGACT`: 150 s (3GPP TS 27.007 allows PDP activation that long).
    pub cgact: Duration,
    /// `AT+FTPSERV`, which connects to the server (whether it also logs in
    /// is not documented; `SPEC.md` §5 item 20): 60 s.
    pub serv: Duration,
    /// `AT+FTPMKD` / `AT+FTPRMD`: 30 s.
    pub directory: Duration,
    /// One `AT+FTPPUT=<len>,<data>` chunk: 30 s.
    pub put_chunk: Duration,
    /// `AT+FTPPUT=0`, which closes the upload: 60 s.
    pub put_end: Duration,
    /// `AT+FTPGET` / `AT+FTPLIST`: 60 s without a byte of payload (the timer
    /// restarts whenever data arrives).
    pub transfer_idle: Duration,
    /// `AT+FTPQUIT`: 30 s.
    pub quit: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            local: Duration::from_secs(5),
            cfun: Duration::from_secs(15),
            cgact: Duration::from_secs(150),
            serv: Duration::from_secs(60),
            directory: Duration::from_secs(30),
            put_chunk: Duration::from_secs(30),
            put_end: Duration::from_secs(60),
            transfer_idle: Duration::from_secs(60),
            quit: Duration::from_secs(30),
        }
    }
}

impl Timeouts {
    /// The timeout for a command of `class` (the class comes from the
    /// command's row in proto's command table:
    /// [`cellftp_proto::Command::timeout_class`]).
    pub fn for_class(&self, class: TimeoutClass) -> Duration {
        match class {
            TimeoutClass::Local => self.local,
            TimeoutClass::Cfun => self.cfun,
            TimeoutClass::Cgact => self.cgact,
            TimeoutClass::Serv => self.serv,
            TimeoutClass::Directory => self.directory,
            TimeoutClass::PutChunk => self.put_chunk,
            TimeoutClass::PutEnd => self.put_end,
            TimeoutClass::Transfer => self.transfer_idle,
            TimeoutClass::Quit => self.quit,
        }
    }
}

/// The session's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Per-command timeouts.
    pub timeouts: Timeouts,
    /// The pause after a final result before the next command is sent:
    /// modems drop commands that come too soon. 20 ms.
    pub guard: Duration,
    /// The largest `AT+FTPPUT` chunk, 1 to [`MAX_PUT_DATA`] bytes. 512.
    pub chunk_size: usize,
    /// How many times bring-up sends `AT` to a modem that does not answer
    /// (it may still be booting). 3.
    pub probe_attempts: u8,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            timeouts: Timeouts::default(),
            guard: Duration::from_millis(20),
            chunk_size: 512,
            probe_attempts: 3,
        }
    }
}

impl Config {
    /// The chunk size actually used: clamped to `1..=MAX_PUT_DATA`.
    pub(crate) fn chunk(&self) -> usize {
        self.chunk_size.clamp(1, MAX_PUT_DATA)
    }
}

/// What the bring-up job does, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BringUp {
    /// Send `AT` first (retried [`Config::probe_attempts`] times). Default on.
    pub probe: bool,
    /// Send `ATE0` to turn command echo off. Default on; the session works
    /// with echo on as well.
    pub echo_off: bool,
    /// Send `AT+CFUN=1` (full functionality). Default on.
    pub full_functionality: bool,
    /// Activate this PDP context with `AT+CGACT=1,<cid>`. Default `Some(1)`.
    pub pdp_context: Option<u8>,
}

impl Default for BringUp {
    fn default() -> Self {
        Self {
            probe: true,
            echo_off: true,
            full_functionality: true,
            pdp_context: Some(1),
        }
    }
}

/// The FTP connection a configure job sets up, in the order of the manual's
/// example: port, mode, server (connect), user, password, type, path.
///
/// Its `Debug` output hides the password.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct FtpConfig<'a> {
    /// Server address: IPv4 or host name.
    pub server: &'a str,
    /// Control port; `None` leaves the modem's (21) and sends no `AT+FTPPORT`.
    pub port: Option<u16>,
    /// Active or passive.
    pub mode: Mode,
    /// Binary or ASCII.
    pub transfer_type: TransferType,
    /// User name.
    pub user: &'a str,
    /// Password.
    pub password: &'a str,
    /// Server directory for later gets, puts and listings; `None` sends no
    /// `AT+FTPPATH`.
    pub path: Option<&'a str>,
}

impl fmt::Debug for FtpConfig<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FtpConfig")
            .field("server", &self.server)
            .field("port", &self.port)
            .field("mode", &self.mode)
            .field("transfer_type", &self.transfer_type)
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .field("path", &self.path)
            .finish()
    }
}
