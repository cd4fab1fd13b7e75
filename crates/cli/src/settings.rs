//! The settings in force: flags and environment variables (which clap has
//! already merged, flags first), then the TOML config file. Where the modem
//! is, and the FTP connection, are resolved only by the commands that need
//! them.
//!
//! The config file (`--config FILE`, `CELLFTP_CONFIG`, or
//! `cellftp/config.toml` in the platform's config folder):
//!
//! ```toml
//! device = "/dev/ttyUSB0"   # or: tcp = "192.0.2.5:3001"
//! baud = 115200
//! server = "198.51.100.7"
//! port = 21
//! user = "logger"
//! mode = "passive"          # or "active"
//! type = "binary"           # or "ascii"
//! path = "/upload"
//! password-file = "/home/me/.config/cellftp/password"
//! dialect = "simcom"        # or "manual" (the default)
//! apn = "internet"          # the SIMCom bearer's access point
//! ```

use std::path::{Path, PathBuf};

use clap::parser::ValueSource;
use clap::ArgMatches;
use serde::Deserialize;

use crate::cli::{Cli, DialectArg, ModeArg, TypeArg};
use crate::error::CliError;
use cellftp_session::{Mode, TransferType};

/// The config file's keys.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct FileSettings {
    device: Option<PathBuf>,
    baud: Option<u32>,
    tcp: Option<String>,
    server: Option<String>,
    port: Option<u16>,
    user: Option<String>,
    mode: Option<ModeArg>,
    #[serde(rename = "type")]
    transfer_type: Option<TypeArg>,
    path: Option<String>,
    password_file: Option<PathBuf>,
    /// Only to refuse it with a helpful message.
    password: Option<toml::Value>,
    dialect: Option<DialectArg>,
    apn: Option<String>,
}

/// The default config file: `cellftp/config.toml` in the platform's config
/// folder.
pub(crate) fn default_config_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("cellftp").join("config.toml"))
}

impl FileSettings {
    /// Reads `explicit`, or the default file if it exists.
    pub(crate) fn load(explicit: Option<&Path>) -> Result<(Self, Option<PathBuf>), CliError> {
        let (path, must_exist) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => match default_config_path() {
                Some(p) => (p, false),
                None => return Ok((Self::default(), None)),
            },
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
                return Ok((Self::default(), None))
            }
            Err(e) => {
                return Err(CliError::ConfigFile {
                    path,
                    reason: crate::error::io_reason(&e),
                })
            }
        };
        let settings: Self = toml::from_str(&text).map_err(|e| CliError::ConfigFile {
            path: path.clone(),
            reason: e.message().to_owned()
                + &e.span()
                    .map(|s| format!(" (at byte {})", s.start))
                    .unwrap_or_default(),
        })?;
        if settings.password.is_some() {
            return Err(CliError::ConfigFile {
                path,
                reason: "a password does not belong in the config file: put it in a file of its own and name it with password-file".into(),
            });
        }
        Ok((settings, Some(path)))
    }
}

/// Where the modem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Location {
    /// A serial device at a baud rate.
    Device {
        /// The device.
        path: PathBuf,
        /// Its speed.
        baud: u32,
    },
    /// A TCP port (ser2net), `HOST:PORT`.
    Tcp(String),
}

/// The FTP connection settings, all resolved.
#[derive(Debug, Clone)]
pub(crate) struct Ftp {
    /// Server address.
    pub(crate) server: String,
    /// Control port, if not the modem's default.
    pub(crate) port: Option<u16>,
    /// User name.
    pub(crate) user: String,
    /// Active or passive.
    pub(crate) mode: Mode,
    /// Binary or ASCII.
    pub(crate) transfer_type: TransferType,
    /// Server directory.
    pub(crate) path: Option<String>,
}

/// Flags and environment, with the config file behind them.
#[derive(Debug)]
pub(crate) struct Settings {
    file: FileSettings,
    file_path: Option<PathBuf>,
    device: Option<(Rank, PathBuf)>,
    tcp: Option<(Rank, String)>,
    baud: Option<u32>,
    server: Option<String>,
    port: Option<u16>,
    user: Option<String>,
    mode: Option<ModeArg>,
    transfer_type: Option<TypeArg>,
    path: Option<String>,
    /// `--password-file` given as a flag (it outranks `CELLFTP_PASSWORD`).
    password_file_flag: Option<PathBuf>,
    /// `CELLFTP_PASSWORD_FILE`.
    password_file_env: Option<PathBuf>,
    /// `--bring-up`.
    pub(crate) bring_up: bool,
    /// `--timeout-scale` (hidden): the factor on every command timeout.
    pub(crate) timeout_scale: f64,
    /// `--dialect`: the modem's AT dialect.
    pub(crate) dialect: DialectArg,
    /// `--apn`: the SIMCom bearer's access point name.
    pub(crate) apn: String,
}

/// Where a setting came from, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    File,
    Env,
    Flag,
}

fn rank(matches: &ArgMatches, id: &str) -> Rank {
    match matches.value_source(id) {
        Some(ValueSource::CommandLine) => Rank::Flag,
        _ => Rank::Env,
    }
}

impl Settings {
    /// Merges `cli` (flags and environment) with the config file.
    pub(crate) fn new(cli: &Cli, matches: &ArgMatches) -> Result<Self, CliError> {
        let (file, file_path) = FileSettings::load(cli.modem.config.as_deref())?;
        let (password_file_flag, password_file_env) = match &cli.ftp.password_file {
            Some(p) if rank(matches, "password_file") == Rank::Flag => (Some(p.clone()), None),
            Some(p) => (None, Some(p.clone())),
            None => (None, None),
        };
        Ok(Self {
            device: cli
                .modem
                .device
                .clone()
                .map(|d| (rank(matches, "device"), d))
                .or_else(|| file.device.clone().map(|d| (Rank::File, d))),
            tcp: cli
                .modem
                .tcp
                .clone()
                .map(|t| (rank(matches, "tcp"), t))
                .or_else(|| file.tcp.clone().map(|t| (Rank::File, t))),
            baud: cli.modem.baud.or(file.baud),
            server: cli.ftp.server.clone().or_else(|| file.server.clone()),
            port: cli.ftp.port.or(file.port),
            user: cli.ftp.user.clone().or_else(|| file.user.clone()),
            mode: cli.ftp.mode.or(file.mode),
            transfer_type: cli.ftp.transfer_type.or(file.transfer_type),
            path: cli.ftp.path.clone().or_else(|| file.path.clone()),
            password_file_flag,
            password_file_env,
            bring_up: cli.modem.bring_up,
            timeout_scale: cli.modem.timeout_scale.unwrap_or(1.0),
            dialect: cli.modem.dialect.or(file.dialect).unwrap_or_default(),
            apn: cli
                .modem
                .apn
                .clone()
                .or_else(|| file.apn.clone())
                .unwrap_or_default(),
            file,
            file_path,
        })
    }

    /// Where the modem is: the device or the TCP port, whichever was given
    /// at the higher level (flag, environment, file).
    pub(crate) fn location(&self) -> Result<Location, CliError> {
        let device = |path: &PathBuf| Location::Device {
            path: path.clone(),
            baud: self.baud.unwrap_or(115_200),
        };
        match (&self.device, &self.tcp) {
            (Some((dr, d)), Some((tr, t))) => match dr.cmp(tr) {
                std::cmp::Ordering::Greater => Ok(device(d)),
                std::cmp::Ordering::Less => Ok(Location::Tcp(t.clone())),
                std::cmp::Ordering::Equal => Err(CliError::Usage(format!(
                    "both a device and a TCP address are given ({}): use one",
                    match dr {
                        Rank::Flag => "--device and --tcp",
                        Rank::Env => "CELLFTP_DEVICE and CELLFTP_TCP",
                        Rank::File => "device and tcp in the config file",
                    }
                ))),
            },
            (Some((_, d)), None) => Ok(device(d)),
            (None, Some((_, t))) => Ok(Location::Tcp(t.clone())),
            (None, None) => Err(CliError::Usage(format!(
                "where is the modem? Give --device PATH (a serial port) or --tcp HOST:PORT (ser2net), or set CELLFTP_DEVICE or CELLFTP_TCP, or `device` in {}",
                self.config_file_name()
            ))),
        }
    }

    /// The FTP connection, for the commands that log in.
    pub(crate) fn ftp(&self) -> Result<Ftp, CliError> {
        let missing = |what: &str, flag: &str, env: &str, key: &str| {
            CliError::Usage(format!(
                "no {what}: give {flag}, set {env}, or `{key}` in {}",
                self.config_file_name()
            ))
        };
        let server = self
            .server
            .clone()
            .ok_or_else(|| missing("FTP server", "--server HOST", "CELLFTP_SERVER", "server"))?;
        let user = self
            .user
            .clone()
            .ok_or_else(|| missing("user name", "--user USER", "CELLFTP_USER", "user"))?;
        Ok(Ftp {
            server,
            port: self.port,
            user,
            mode: match self.mode {
                Some(ModeArg::Active) => Mode::Active,
                Some(ModeArg::Passive) | None => Mode::Passive,
            },
            transfer_type: match self.transfer_type {
                Some(TypeArg::Ascii) => TransferType::Ascii,
                Some(TypeArg::Binary) | None => TransferType::Binary,
            },
            path: self.path.clone(),
        })
    }

    /// The password file named by a flag.
    pub(crate) fn password_file_flag(&self) -> Option<&Path> {
        self.password_file_flag.as_deref()
    }

    /// The password file named by the environment or the config file.
    pub(crate) fn password_file_fallback(&self) -> Option<&Path> {
        self.password_file_env
            .as_deref()
            .or(self.file.password_file.as_deref())
    }

    /// The config file, for messages.
    fn config_file_name(&self) -> String {
        match self.file_path.clone().or_else(default_config_path) {
            Some(p) => p.display().to_string(),
            None => "the config file".to_owned(),
        }
    }
}
