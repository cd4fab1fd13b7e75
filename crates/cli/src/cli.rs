//! The command line, as clap derives it: the global options (where the
//! modem is, the FTP settings, output) and one subcommand per job. Each
//! subcommand's arguments and code live in its own module under
//! `commands/`; adding a subcommand is one module, one variant here and one
//! arm in [`crate::commands::run`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands;
use crate::error::EXIT_CODES;

/// What `--help` says about where settings come from.
const SETTINGS_HELP: &str = "\
Settings come from flags, then environment variables (CELLFTP_DEVICE,
CELLFTP_BAUD, CELLFTP_TCP, CELLFTP_SERVER, CELLFTP_PORT, CELLFTP_USER,
CELLFTP_MODE, CELLFTP_TYPE, CELLFTP_PATH, CELLFTP_PASSWORD_FILE,
CELLFTP_CONFIG, CELLFTP_DIALECT, CELLFTP_APN), then the TOML config file
(default: cellftp/config.toml in the platform's config folder, e.g.
~/.config/cellftp/config.toml; keys: device, baud, tcp, server, port, user,
mode, type, path, password-file, dialect, apn).

The password comes from --password-file FILE (its first line), then the
CELLFTP_PASSWORD environment variable, then the config file's
password-file, and otherwise from a prompt on the terminal (no echo). It is
never printed, logged or recorded.";

/// Move files through the FTP client built into a cellular modem.
#[derive(Debug, Parser)]
#[command(
    name = "cellftp",
    version,
    about = "Move files through the FTP client built into a cellular modem (AT+FTP… commands)",
    after_help = "Exit codes: 0 ok, 1 usage, 2 device/connection, 3 refused, 4 timeout, 5 protocol, 6 local file (--help for details).",
    after_long_help = const_format(),
    propagate_version = true,
    arg_required_else_help = true
)]
pub(crate) struct Cli {
    /// Where the modem is.
    #[command(flatten)]
    pub(crate) modem: ModemArgs,
    /// The FTP connection.
    #[command(flatten)]
    pub(crate) ftp: FtpArgs,
    /// What to print and record.
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    /// The job.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The long help's closing text: settings, then exit codes.
fn const_format() -> String {
    format!("{SETTINGS_HELP}\n\n{EXIT_CODES}")
}

/// Where the modem is: a serial device or a TCP port (ser2net).
#[derive(Debug, Args)]
#[command(next_help_heading = "Modem")]
pub(crate) struct ModemArgs {
    /// The modem's serial device, e.g. /dev/ttyUSB0.
    #[arg(
        long,
        short = 'd',
        env = "CELLFTP_DEVICE",
        global = true,
        value_name = "PATH"
    )]
    pub(crate) device: Option<PathBuf>,
    /// The serial line's speed [default: 115200].
    #[arg(
        long,
        short = 'b',
        env = "CELLFTP_BAUD",
        global = true,
        value_name = "N"
    )]
    pub(crate) baud: Option<u32>,
    /// A network-attached modem (ser2net raw TCP port), e.g. 192.0.2.5:3001.
    #[arg(long, env = "CELLFTP_TCP", global = true, value_name = "HOST:PORT")]
    pub(crate) tcp: Option<String>,
    /// Bring the modem up first: AT, ATE0, AT+CFUN=1, AT+CGACT=1,1. Without
    /// it, bring-up runs once by itself when the modem reports its PDP
    /// context inactive (FTPSERV code 1).
    #[arg(long, global = true)]
    pub(crate) bring_up: bool,
    /// The modem's AT dialect [default: manual].
    #[arg(long, env = "CELLFTP_DIALECT", global = true, value_enum)]
    pub(crate) dialect: Option<DialectArg>,
    /// The access point name the SIMCom dialect opens its bearer with
    /// (AT+SAPBR) [default: empty, the network's default].
    #[arg(long, env = "CELLFTP_APN", global = true, value_name = "APN")]
    pub(crate) apn: Option<String>,
    /// Multiply every command timeout and the guard time between commands
    /// by F (e.g. 0.05 for tests against a simulator). Not recorded: a `--record` transcript made with a scale
    /// other than 1 replays with the default timeouts, so a run that ended
    /// in a timeout does not replay the same.
    #[arg(long, global = true, hide = true, value_name = "F", value_parser = parse_scale)]
    pub(crate) timeout_scale: Option<f64>,
    /// The config file [default: cellftp/config.toml in the config folder].
    #[arg(long, env = "CELLFTP_CONFIG", global = true, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
}

/// The FTP connection the modem makes.
#[derive(Debug, Args)]
#[command(next_help_heading = "FTP server")]
pub(crate) struct FtpArgs {
    /// The FTP server: IPv4 address or host name.
    #[arg(
        long,
        short = 's',
        env = "CELLFTP_SERVER",
        global = true,
        value_name = "HOST"
    )]
    pub(crate) server: Option<String>,
    /// The server's control port [default: 21, the modem's own].
    #[arg(
        long,
        short = 'P',
        env = "CELLFTP_PORT",
        global = true,
        value_name = "PORT"
    )]
    pub(crate) port: Option<u16>,
    /// The user name.
    #[arg(
        long,
        short = 'u',
        env = "CELLFTP_USER",
        global = true,
        value_name = "USER"
    )]
    pub(crate) user: Option<String>,
    /// Read the password from the first line of FILE.
    #[arg(
        long,
        env = "CELLFTP_PASSWORD_FILE",
        global = true,
        value_name = "FILE"
    )]
    pub(crate) password_file: Option<PathBuf>,
    /// Active or passive FTP [default: passive].
    #[arg(long, env = "CELLFTP_MODE", global = true, value_enum)]
    pub(crate) mode: Option<ModeArg>,
    /// Binary or ASCII transfers [default: binary].
    #[arg(
        long = "type",
        env = "CELLFTP_TYPE",
        global = true,
        value_enum,
        value_name = "TYPE"
    )]
    pub(crate) transfer_type: Option<TypeArg>,
    /// The server directory that puts, gets and listings use.
    #[arg(long, env = "CELLFTP_PATH", global = true, value_name = "DIR")]
    pub(crate) path: Option<String>,
}

/// Output and recording.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub(crate) struct OutputArgs {
    /// Log the AT traffic to stderr (passwords redacted); twice for the
    /// session's events too. Turns the progress bar off.
    #[arg(long, short = 'v', action = clap::ArgAction::Count, global = true)]
    pub(crate) verbose: u8,
    /// Print nothing but errors.
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// Write the whole session to FILE as a transcript (passwords
    /// redacted), replayable with `cargo xtask replay FILE`.
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) record: Option<PathBuf>,
}

/// `--timeout-scale`: a finite factor above 0 and at most 100.
fn parse_scale(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(f) if f > 0.0 && f <= 100.0 => Ok(f),
        _ => Err(format!("`{s}` is not a factor above 0 and at most 100")),
    }
}

/// `--dialect`: which AT command set the modem speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum DialectArg {
    /// The modem of SPEC.md, the vendor manual's command set (AT+FTPSERV
    /// connects, AT+FTPGET returns the data).
    #[default]
    Manual,
    /// SIMCom SIM800 / SIM900 / SIM7000 (SPEC-simcom.md): URC-driven
    /// operations over an AT+SAPBR bearer.
    Simcom,
}

/// `--mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ModeArg {
    /// Active FTP: the server connects back.
    Active,
    /// Passive FTP: the modem connects out (works behind carrier NAT).
    Passive,
}

/// `--type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TypeArg {
    /// Byte for byte.
    Binary,
    /// Text, line ends converted by the server.
    Ascii,
}

/// The jobs.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Upload a file.
    Put(commands::put::PutArgs),
    /// Download a file.
    Get(commands::get::GetArgs),
    /// List a server directory.
    Ls(commands::ls::LsArgs),
    /// Create a server directory.
    Mkdir(commands::dir::DirArgs),
    /// Remove a server directory.
    Rmdir(commands::dir::DirArgs),
    /// Delete a server file (--dialect simcom only: the manual's modem has
    /// no delete command).
    Rm(commands::rm::RmArgs),
    /// Show the modem's FTP configuration report (AT+FTPSCON); the password
    /// is hidden.
    Config(commands::config::ConfigArgs),
    /// Send one AT command line and print the answer.
    Raw(commands::raw::RawArgs),
    /// Run a simulated modem in front of a real FTP server (or an embedded
    /// one serving a folder) until Ctrl-C, and print the command line that
    /// talks to it.
    Sim(commands::sim::SimArgs),
    /// Print a shell completion script.
    Completions(commands::completions::CompletionsArgs),
}

impl Command {
    /// The subcommand's name, as typed.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Command::Put(_) => "put",
            Command::Get(_) => "get",
            Command::Ls(_) => "ls",
            Command::Mkdir(_) => "mkdir",
            Command::Rmdir(_) => "rmdir",
            Command::Rm(_) => "rm",
            Command::Config(_) => "config",
            Command::Raw(_) => "raw",
            Command::Sim(_) => "sim",
            Command::Completions(_) => "completions",
        }
    }
}
