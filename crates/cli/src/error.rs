//! Everything that can stop a `cellftp` command, each as one sentence, and
//! the exit code it maps to ([`EXIT_CODES`] is the table shown in `--help`
//! and the README; the numbers are stable).

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::time::Duration;

use cellftp_session::{CommandName, JobError, ModemError, ProtocolError, ServCode, UsageError};

/// The exit-code table, as printed at the end of `cellftp --help`.
pub(crate) const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  usage: a bad argument, setting, config file or remote name; no password
  2  the modem cannot be reached: device missing, busy or not permitted,
     TCP connection refused, or the line failed or closed
  3  refused: the modem answered ERROR / +CME ERROR, the FTP server could
     not be reached (with the FTPSERV code's meaning), or the login failed
  4  timeout: the modem did not answer a command in time, or at all
  5  protocol: the modem broke the protocol or restarted during the job
  6  a local file could not be read or written (the --record file too,
     or stdout)";

/// A process exit code; see [`EXIT_CODES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Exit {
    /// Bad arguments, settings or names.
    Usage = 1,
    /// The modem cannot be reached.
    Link = 2,
    /// The modem or the server refused.
    Refused = 3,
    /// A command timed out.
    Timeout = 4,
    /// The modem broke the protocol or restarted.
    Protocol = 5,
    /// A local file failed.
    Local = 6,
}

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum CliError {
    /// A bad argument or setting: the message says which and how to fix it.
    Usage(String),
    /// The config file cannot be read or parsed.
    ConfigFile {
        /// The file.
        path: PathBuf,
        /// Why (one line).
        reason: String,
    },
    /// The serial device does not exist.
    DeviceMissing(PathBuf),
    /// Another program holds the serial device.
    DeviceBusy(PathBuf),
    /// The serial device cannot be opened for another reason.
    DeviceOpen {
        /// The device.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The TCP connection to a network-attached modem failed.
    Connect {
        /// `HOST:PORT` as given.
        addr: String,
        /// Why.
        source: io::Error,
    },
    /// Reading or writing the line to the modem failed, or it closed.
    Line(io::Error),
    /// A job failed.
    Job(JobFailure),
    /// A job of the SIMCom dialect failed.
    Simcom(cellftp_session::simcom::JobError),
    /// A command of the SIMCom dialect got no answer in time.
    SimcomTimeout {
        /// The command.
        command: cellftp_session::simcom::CommandName,
        /// How long it was given (scaled by `--timeout-scale`).
        after: Duration,
    },
    /// A parameter the session refused before anything was sent.
    Invalid(UsageError),
    /// A `raw` command got a final result other than `OK`.
    RawRefused {
        /// The command.
        command: String,
        /// The final result line.
        answer: String,
    },
    /// A `raw` command got no final result in time.
    RawTimeout {
        /// The command.
        command: String,
        /// How long it waited.
        after: Duration,
    },
    /// A local file failed.
    Local {
        /// What was being done, e.g. `cannot read ./a.bin`.
        what: String,
        /// The error.
        source: io::Error,
        /// More to say, e.g. what state the remote file is in.
        note: Option<String>,
    },
    /// Standard output cannot be written (a full disk, a closed pipe).
    Stdout(io::Error),
    /// Another error, with what the user should know about its aftermath
    /// (e.g. where a partial download is).
    Noted {
        /// The error; its exit code is the code.
        error: Box<CliError>,
        /// The note, after a semicolon.
        note: String,
    },
}

/// A failed job, with what the message needs to say where it went wrong.
#[derive(Debug)]
pub(crate) struct JobFailure {
    /// The session's error.
    pub(crate) error: JobError,
    /// The server, when the job used one.
    pub(crate) server: Option<String>,
    /// The user, when the job logged in.
    pub(crate) user: Option<String>,
    /// True if the modem was brought up during this run already.
    pub(crate) after_bring_up: bool,
    /// For a timeout: how long the command was given (its timeout, scaled
    /// by `--timeout-scale`); `None` for the default timeout of its name.
    pub(crate) after: Option<Duration>,
    /// Lines the modem sent during the job that could not be read.
    pub(crate) unreadable: u32,
}

impl JobFailure {
    /// A failure with no context; `after` as in [`JobFailure::after`].
    pub(crate) fn new(error: JobError, after: Option<Duration>) -> Self {
        Self {
            error,
            server: None,
            user: None,
            after_bring_up: false,
            after,
            unreadable: 0,
        }
    }
}

impl CliError {
    /// The exit code.
    pub(crate) fn exit(&self) -> Exit {
        match self {
            CliError::Usage(_) | CliError::ConfigFile { .. } | CliError::Invalid(_) => Exit::Usage,
            CliError::DeviceMissing(_)
            | CliError::DeviceBusy(_)
            | CliError::DeviceOpen { .. }
            | CliError::Connect { .. }
            | CliError::Line(_) => Exit::Link,
            CliError::Job(f) => match f.error {
                JobError::Modem { .. } => Exit::Refused,
                JobError::Timeout { .. } | JobError::NoAnswer => Exit::Timeout,
                JobError::Protocol { .. } | JobError::NotConfigured => Exit::Protocol,
                // JobError is non-exhaustive: a new kind of failure is
                // treated as a protocol failure until it is sorted.
                _ => Exit::Protocol,
            },
            CliError::Simcom(e) => {
                use cellftp_session::simcom::JobError as E;
                match e {
                    E::Modem { .. } | E::Ftp { .. } | E::BearerNotOpen { .. } => Exit::Refused,
                    E::Timeout { .. } => Exit::Timeout,
                    E::Unsupported => Exit::Usage,
                    // Protocol, EchoOn, and kinds added later.
                    _ => Exit::Protocol,
                }
            }
            CliError::RawRefused { .. } => Exit::Refused,
            CliError::RawTimeout { .. } | CliError::SimcomTimeout { .. } => Exit::Timeout,
            CliError::Local { .. } | CliError::Stdout(_) => Exit::Local,
            CliError::Noted { error, .. } => error.exit(),
        }
    }

    /// A local file error.
    pub(crate) fn local(what: impl Into<String>, source: io::Error) -> Self {
        CliError::Local {
            what: what.into(),
            source,
            note: None,
        }
    }
}

impl From<UsageError> for CliError {
    fn from(e: UsageError) -> Self {
        CliError::Invalid(e)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m) => f.write_str(m),
            CliError::ConfigFile { path, reason } => {
                write!(f, "config file {}: {reason}", path.display())
            }
            CliError::DeviceMissing(p) => write!(
                f,
                "no such device: {} (is the modem plugged in? `ls /dev/ttyUSB* /dev/ttyACM*` lists the candidates)",
                p.display()
            ),
            CliError::DeviceBusy(p) => write!(
                f,
                "device {} is busy: another program has it open (a terminal, ModemManager, another cellftp)",
                p.display()
            ),
            CliError::DeviceOpen { path, reason } => {
                write!(f, "cannot open {}: {reason}", path.display())
            }
            CliError::Connect { addr, source } => {
                write!(f, "cannot connect to the modem at {addr}: {}", io_reason(source))?;
                if source.kind() == io::ErrorKind::ConnectionRefused {
                    f.write_str(" (is ser2net listening there?)")?;
                }
                Ok(())
            }
            CliError::Line(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                f.write_str("the modem closed the connection")
            }
            CliError::Line(e) => write!(f, "the line to the modem failed: {}", io_reason(e)),
            CliError::Job(job) => job.fmt(f),
            CliError::Simcom(cellftp_session::simcom::JobError::Protocol {
                command,
                error: cellftp_session::simcom::ProtocolError::ModemRestarted,
            }) => write!(
                f,
                "the modem restarted during {command}: run the command again (it brings the bearer up again)"
            ),
            CliError::Simcom(cellftp_session::simcom::JobError::Timeout { command }) => write!(
                f,
                "timed out: the modem did not answer {command} in time"
            ),
            CliError::Simcom(e) => write!(f, "{e}"),
            CliError::SimcomTimeout { command, after } => write!(
                f,
                "timed out: the modem did not answer {command} within {}",
                secs(*after)
            ),
            CliError::Invalid(e) => write!(f, "{e}"),
            CliError::RawRefused { command, answer } => {
                write!(f, "the modem refused {command}: {answer}")
            }
            CliError::RawTimeout { command, after } => write!(
                f,
                "timed out: no final result to {command} within {}",
                secs(*after)
            ),
            CliError::Local { what, source, note } => {
                write!(f, "{what}: {}", io_reason(source))?;
                if let Some(note) = note {
                    write!(f, "; {note}")?;
                }
                Ok(())
            }
            CliError::Stdout(e) => {
                write!(f, "cannot write the output to stdout: {}", io_reason(e))
            }
            CliError::Noted { error, note } => write!(f, "{error}; {note}"),
        }
    }
}

impl fmt::Display for JobFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let server = self.server.as_deref().unwrap_or("the FTP server");
        match self.error {
            JobError::Modem {
                error: ModemError::Serv(code),
                ..
            } => {
                write!(
                    f,
                    "cannot reach {server}: {} (FTPSERV code {})",
                    serv_meaning(code),
                    code.code()
                )?;
                if code == ServCode::PdpNotActive {
                    if self.after_bring_up {
                        f.write_str(", even after bringing the modem up (AT+CFUN=1, AT+CGACT=1,1): check the SIM, its APN and the signal")?;
                    } else {
                        f.write_str(": run again with --bring-up")?;
                    }
                }
            }
            JobError::Modem {
                command: CommandName::FtpUn | CommandName::FtpPw,
                error,
            } => {
                let user = self.user.as_deref().unwrap_or("the user");
                write!(
                    f,
                    "login refused: {server} did not accept user {user} with that password ({error})"
                )?;
            }
            JobError::Modem { command, error } => write!(f, "the modem refused {command}: {error}")?,
            JobError::Timeout { command } => {
                let after = secs(self.after.unwrap_or_else(|| timeout_of(command)));
                match command {
                    CommandName::FtpGet | CommandName::FtpList => write!(
                        f,
                        "timed out: no data from the modem for {after} during {command}"
                    )?,
                    CommandName::At => write!(
                        f,
                        "timed out: the modem did not answer AT within {after} (is it powered, and is the baud rate right?)"
                    )?,
                    _ => write!(
                        f,
                        "timed out: the modem did not answer {command} within {after}"
                    )?,
                }
            }
            JobError::Protocol {
                command,
                error: ProtocolError::ModemRestarted,
            } => write!(
                f,
                "the modem restarted during {command}: run the command again (with --bring-up if its network is down)"
            )?,
            JobError::Protocol { command, error } => {
                write!(f, "the modem broke the protocol during {command}: {error}")?
            }
            JobError::NotConfigured => {
                f.write_str("the FTP connection was lost before the job could run")?
            }
            JobError::NoAnswer => f.write_str(
                "timed out: the modem answers nothing, not even AT (is it powered, and is the baud rate right?)",
            )?,
            other => write!(f, "{other}")?,
        }
        let garbled = matches!(
            self.error,
            JobError::Timeout { .. } | JobError::Protocol { .. } | JobError::NoAnswer
        );
        match self.unreadable {
            0 => {}
            _ if !garbled => {}
            1 => f.write_str("; meanwhile it sent a line that could not be read (a wrong baud rate, or noise on the line?)")?,
            n => write!(f, "; meanwhile it sent {n} lines that could not be read (a wrong baud rate, or noise on the line?)")?,
        }
        Ok(())
    }
}

/// What an `AT+FTPSERV` result code means.
pub(crate) fn serv_meaning(code: ServCode) -> &'static str {
    match code {
        ServCode::Success => "no reason given",
        ServCode::PdpNotActive => "the modem's PDP context (its data connection) is not active",
        ServCode::BadAddress => "the server address is invalid",
        ServCode::Unreachable => "the network or the address is unreachable",
        ServCode::ConnectTimeout => "the connection timed out",
        ServCode::Refused => "the FTP server refused the connection",
        _ => "an unknown reason",
    }
}

/// The timeout the session applies to `command` (its run form), with the
/// default [`cellftp_session::Config`] the tool uses.
pub(crate) fn timeout_of(command: CommandName) -> Duration {
    cellftp_session::Config::default()
        .timeouts
        .for_class(command.spec().run_timeout)
}

/// A duration to the millisecond, as `5 s`, `1.5 s` or `0.25 s`.
pub(crate) fn secs(d: Duration) -> String {
    let ms = d.as_millis();
    let (whole, frac) = (ms / 1000, ms % 1000);
    if frac == 0 {
        format!("{whole} s")
    } else {
        let frac = format!("{frac:03}");
        format!("{whole}.{} s", frac.trim_end_matches('0'))
    }
}

/// An I/O error as a phrase, without Rust's `(os error N)` suffix.
pub(crate) fn io_reason(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(at) => text.get(..at).unwrap_or(&text).to_lowercase(),
        None => text,
    }
}
