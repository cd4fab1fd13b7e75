//! What the caller decides for a SIMCom session: the module family, the
//! timeouts of `SPEC-simcom.md` §1.10, the guard time, and the parameters
//! of the bring-up and configure jobs.

use core::fmt;
use core::time::Duration;

use cellftp_proto::simcom::TimeoutClass;
use cellftp_proto::Mode;

/// The SIMCom module family: it selects the bearer commands and the
/// `AT+FTPCID` default (`SPEC-simcom.md` §1.1, §6 item 28).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Model {
    /// SIM800 family and SIM900: `AT+SAPBR` bearer, profile 1.
    Sim800,
    /// SIM7000: as SIM800.
    Sim7000,
    /// SIM7080: `AT+CNACT` bearer, PDP index 0. Its bring-up is not
    /// verified against the SIM7080 manual and is refused
    /// ([`super::JobError::Unsupported`]); configure and the FTP jobs work.
    Sim7080,
}

impl Model {
    /// The `AT+FTPCID` value used unless configured: 1, or 0 on SIM7080.
    pub const fn default_cid(self) -> u8 {
        match self {
            Model::Sim800 | Model::Sim7000 => 1,
            Model::Sim7080 => 0,
        }
    }
}

/// How long each command may take; defaults are `SPEC-simcom.md` §1.10's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// `AT`, `ATE0`, the local settings, queries and tests, `AT+SAPBR`
    /// parameters and status, `AT+FTPSTATE`, `AT+FTPQUIT`: 5 s.
    pub local: Duration,
    /// `AT+SAPBR=1,<cid>`: 85 s.
    pub bearer_open: Duration,
    /// `AT+SAPBR=0,<cid>`: 65 s.
    pub bearer_close: Duration,
    /// An operation's start until its final result, a write until its
    /// header and its final result, `AT+FTPPUT=2,0`: 75 s.
    pub operation: Duration,
    /// The URC phase of an operation and a read: 75 s without a URC or a
    /// payload byte.
    pub idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            local: Duration::from_secs(5),
            bearer_open: Duration::from_secs(85),
            bearer_close: Duration::from_secs(65),
            operation: Duration::from_secs(75),
            idle: Duration::from_secs(75),
        }
    }
}

impl Timeouts {
    /// The timeout of a command of `class`: the one place a duration is
    /// chosen for a command.
    pub fn for_class(&self, class: TimeoutClass) -> Duration {
        match class {
            TimeoutClass::Local => self.local,
            TimeoutClass::BearerOpen => self.bearer_open,
            TimeoutClass::BearerClose => self.bearer_close,
            TimeoutClass::Operation | TimeoutClass::Write => self.operation,
            TimeoutClass::Read => self.idle,
        }
    }
}

/// The settings of a SIMCom session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// The module family.
    pub model: Model,
    /// Per-command timeouts.
    pub timeouts: Timeouts,
    /// The pause after a final result before the next command: 20 ms.
    pub guard: Duration,
    /// The bearer profile (`AT+SAPBR`) and `AT+FTPCID` value; `None` for
    /// the model's default.
    pub cid: Option<u8>,
    /// How often bring-up sends `AT` to a modem that does not answer: 3.
    pub probe_attempts: u8,
    /// How long bring-up waits between bearer status queries while the
    /// bearer is connecting or closing: 1 s.
    pub bearer_poll: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            model: Model::Sim800,
            timeouts: Timeouts::default(),
            guard: Duration::from_millis(20),
            cid: None,
            probe_attempts: 3,
            bearer_poll: Duration::from_secs(1),
        }
    }
}

/// Why a [`Config`] was refused by [`Config::validate`] and
/// [`super::Session::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The bearer profile is outside what the model accepts (1 to 3; 0 to
    /// 3 on SIM7080).
    #[error("bearer profile {0} is not valid for this model: use 1 to 3 (0 to 3 on SIM7080)")]
    Cid(u8),
    /// `probe_attempts` is 0.
    #[error("probe attempts must be at least 1")]
    ProbeAttempts,
}

impl Config {
    /// Checks the settings: a value out of range is refused, never
    /// clamped.
    ///
    /// ```
    /// use cellftp_session::simcom::{Config, ConfigError};
    /// let config = Config { cid: Some(0), ..Config::default() };
    /// assert_eq!(config.validate(), Err(ConfigError::Cid(0)));
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        let cid = self.cid();
        let lowest = match self.model {
            Model::Sim7080 => 0,
            Model::Sim800 | Model::Sim7000 => 1,
        };
        if !(lowest..=3).contains(&cid) {
            return Err(ConfigError::Cid(cid));
        }
        if self.probe_attempts == 0 {
            return Err(ConfigError::ProbeAttempts);
        }
        Ok(())
    }

    /// The bearer profile in use.
    pub fn cid(&self) -> u8 {
        self.cid.unwrap_or(self.model.default_cid())
    }
}

/// The bearer the bring-up job opens (`AT+SAPBR=3,…`). `Debug` hides the
/// password.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct BearerConfig<'a> {
    /// The access point name (may be empty).
    pub apn: &'a str,
    /// The bearer's user name, if the network wants one.
    pub user: Option<&'a str>,
    /// The bearer's password, if the network wants one.
    pub password: Option<&'a str>,
}

impl fmt::Debug for BearerConfig<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerConfig")
            .field("apn", &self.apn)
            .field("user", &self.user)
            .field("password", &self.password.map(|_| "<redacted>"))
            .finish()
    }
}

/// The FTP server the configure job sets (all local settings: a wrong
/// password shows only at the first operation, error 72). `Debug` hides
/// the password.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct FtpConfig<'a> {
    /// Server address: IPv4 or host name, at most 49 bytes.
    pub server: &'a str,
    /// Control port.
    pub port: u16,
    /// User name, 1 to 49 bytes.
    pub user: &'a str,
    /// Password, 0 to 49 bytes.
    pub password: &'a str,
    /// Active or passive (passive unless carrier NAT allows active).
    pub mode: Mode,
}

impl fmt::Debug for FtpConfig<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FtpConfig")
            .field("server", &self.server)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .field("mode", &self.mode)
            .finish()
    }
}
