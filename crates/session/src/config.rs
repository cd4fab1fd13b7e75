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
    /// Not a command's: after a restart code (`RDY`, `+CFUN: 1`) nothing
    /// is sent until this long has passed without another, so that the
    /// rest of the restart's burst, which a modem sends over a second or
    /// more while it may already answer, fails no second job (`SPEC.md`
    /// §5 item 41): 2 s.
    pub restart_settle: Duration,
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
            restart_settle: Duration::from_secs(2),
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
    /// (it may still be booting), and how many resynchronising probes are
    /// tried before the job waiting for them fails. 1 or more; 3.
    pub probe_attempts: u8,
    /// Final result codes of the driver's modem that the decoder does not
    /// know: a line the decoder returns as [`cellftp_proto::Response::Unknown`]
    /// that starts with one of these prefixes (any case) ends the command in
    /// flight. At most [`MAX_EXTRA_FINALS`]; none by default.
    pub extra_finals: &'static [ExtraFinal],
}

/// How many [`Config::extra_finals`] a configuration may declare.
pub const MAX_EXTRA_FINALS: usize = 8;

/// A vendor final result code declared by the driver ([`Config::extra_finals`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtraFinal {
    /// The start of the line, compared without regard to case; 1 to 32
    /// bytes, not starting or ending with a space.
    pub prefix: &'static str,
    /// True if the code means success, false if it means failure
    /// ([`crate::ModemError::Declared`]).
    pub ok: bool,
}

/// Why a [`Config`] was refused by [`Config::validate`] and [`crate::Session::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// `chunk_size` is 0 or larger than [`MAX_PUT_DATA`].
    #[error("the upload chunk size {0} is outside 1 to {max} bytes", max = MAX_PUT_DATA)]
    ChunkSize(usize),
    /// `probe_attempts` is 0.
    #[error("probe attempts must be at least 1")]
    ProbeAttempts,
    /// More than [`MAX_EXTRA_FINALS`] extra final result codes.
    #[error("at most {max} extra final result codes can be declared", max = MAX_EXTRA_FINALS)]
    TooManyFinals,
    /// An extra final result code is empty, longer than 32 bytes, or starts
    /// or ends with a space.
    #[error("extra final result code {0} is empty, too long, or starts or ends with a space")]
    BadFinal(usize),
}

impl Default for Config {
    fn default() -> Self {
        Self {
            timeouts: Timeouts::default(),
            guard: Duration::from_millis(20),
            chunk_size: 512,
            probe_attempts: 3,
            extra_finals: &[],
        }
    }
}

impl Config {
    /// Checks the settings, as [`crate::Session::new`] does: a value out of
    /// range is refused, never clamped.
    ///
    /// ```
    /// use cellftp_session::{Config, ConfigError};
    /// let config = Config { chunk_size: 0, ..Config::default() };
    /// assert_eq!(config.validate(), Err(ConfigError::ChunkSize(0)));
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=MAX_PUT_DATA).contains(&self.chunk_size) {
            return Err(ConfigError::ChunkSize(self.chunk_size));
        }
        if self.probe_attempts == 0 {
            return Err(ConfigError::ProbeAttempts);
        }
        if self.extra_finals.len() > MAX_EXTRA_FINALS {
            return Err(ConfigError::TooManyFinals);
        }
        for (i, f) in self.extra_finals.iter().enumerate() {
            let p = f.prefix.as_bytes();
            if p.is_empty() || p.len() > 32 || p.first() == Some(&b' ') || p.last() == Some(&b' ') {
                return Err(ConfigError::BadFinal(i));
            }
        }
        Ok(())
    }

    /// The declared final result code `line` starts with, if any, and its
    /// index.
    pub(crate) fn extra_final(&self, line: &[u8]) -> Option<(usize, ExtraFinal)> {
        let line = line
            .iter()
            .position(|&b| b != b' ')
            .and_then(|i| line.get(i..))?;
        self.extra_finals
            .iter()
            .copied()
            .enumerate()
            .find(|(_, f)| {
                line.get(..f.prefix.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(f.prefix.as_bytes()))
            })
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
