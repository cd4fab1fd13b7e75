//! Errors, sorted by whose fault they are: the modem's ([`ModemError`]), the
//! protocol's ([`ProtocolError`]), time's ([`JobError::Timeout`]), or the
//! caller's ([`UsageError`], returned at once by the verb that was misused).

use core::fmt;

use cellftp_proto::{CmeError, CommandName, EncodeError, FinalResult, ResultCode, Role, ServCode};

/// Why a job failed. Reported once, in [`crate::Event::JobDone`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JobError {
    /// The modem answered a command with an error.
    #[error("{command} failed: {error}")]
    Modem {
        /// The command.
        command: CommandName,
        /// What the modem said.
        error: ModemError,
    },
    /// The modem's answer broke the protocol.
    #[error("protocol error during {command}: {error}")]
    Protocol {
        /// The command in flight.
        command: CommandName,
        /// What went wrong.
        error: ProtocolError,
    },
    /// No final result arrived in time.
    #[error("{command} timed out")]
    Timeout {
        /// The command.
        command: CommandName,
    },
    /// The job needs the FTP connection, which an earlier error lost: run a
    /// configure job first.
    #[error("not connected: configure the FTP connection first")]
    NotConfigured,
    /// The modem answered none of the resynchronising probes sent before
    /// this job: it is off, hung or still booting.
    #[error("the modem does not answer: it may be off, hung or still booting")]
    NoAnswer,
    /// The caller cancelled the job ([`crate::Session::cancel`]).
    #[error("the job was cancelled")]
    Cancelled,
}

impl JobError {
    /// True if the FTP connection must be configured again before jobs that
    /// use it can succeed (the session then refuses them with
    /// [`JobError::NotConfigured`] until a configure job succeeds).
    pub fn needs_configure(&self) -> bool {
        match self {
            JobError::Modem { command, error } => {
                matches!(error, ModemError::Serv(_))
                    || refusal_loses_connection(command.spec().role)
            }
            JobError::Protocol { .. } | JobError::NotConfigured | JobError::NoAnswer => true,
            JobError::Cancelled => false,
            JobError::Timeout { command } => timeout_loses_connection(command.spec().role),
        }
    }
}

/// True if the modem's refusal of a command of `role` leaves the FTP
/// connection unusable: a parameter of the connection or the connection
/// itself was refused, or an upload, after which the modem's state is
/// unknown. The role is the command table's column, and the `match` names
/// every role, so a new one must be decided here.
fn refusal_loses_connection(role: Role) -> bool {
    match role {
        Role::ConnectionSetting | Role::Connect | Role::Upload => true,
        Role::Modem
        | Role::TransferSetting
        | Role::Control
        | Role::Download
        | Role::Report
        | Role::Quit => false,
    }
}

/// True if a command of `role` that timed out leaves the FTP connection
/// unusable: the connection's commands, and transfers over a data
/// connection.
fn timeout_loses_connection(role: Role) -> bool {
    match role {
        Role::ConnectionSetting | Role::Connect | Role::Download | Role::Upload => true,
        Role::Modem | Role::TransferSetting | Role::Control | Role::Report | Role::Quit => false,
    }
}

/// What the modem said when it refused a command. Its `Display` is a
/// phrase such as `+CME ERROR 10 (SIM not inserted)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModemError {
    /// `ERROR`.
    Error,
    /// `+CME ERROR: <n>` (3GPP TS 27.007 §9.2); `None` for a verbose message.
    Cme {
        /// The numeric code.
        code: Option<u16>,
    },
    /// `+CMS ERROR: <n>`; `None` for a verbose message.
    Cms {
        /// The numeric code.
        code: Option<u16>,
    },
    /// `+FTPSERV:<code>` with a code other than success.
    Serv(ServCode),
    /// `NO CARRIER` (ITU-T V.250).
    NoCarrier,
    /// `BUSY` (ITU-T V.250).
    Busy,
    /// `NO ANSWER` (ITU-T V.250).
    NoAnswer,
    /// `NO DIALTONE` (ITU-T V.250).
    NoDialtone,
    /// `MODEM ERROR: <n>`, a vendor's code; `None` if not a number.
    Vendor {
        /// The numeric code.
        code: Option<u16>,
    },
    /// `COMMAND NOT SUPPORT`.
    NotSupported,
    /// A failure code the driver declared in [`crate::Config::extra_finals`],
    /// by its index there.
    Declared {
        /// The index in [`crate::Config::extra_finals`].
        index: usize,
    },
}

impl ModemError {
    /// The error for a final result that is not success; `None` for `OK`
    /// and for a declared success code.
    pub(crate) fn from_final(result: FinalResult<'_>, declared: Option<usize>) -> Option<Self> {
        Some(match result {
            FinalResult::Ok => return None,
            FinalResult::Error => ModemError::Error,
            FinalResult::Cme(e) => ModemError::Cme { code: e.code() },
            FinalResult::Cms(e) => ModemError::Cms { code: e.code() },
            FinalResult::Code(ResultCode::NoCarrier) => ModemError::NoCarrier,
            FinalResult::Code(ResultCode::Busy) => ModemError::Busy,
            FinalResult::Code(ResultCode::NoAnswer) => ModemError::NoAnswer,
            FinalResult::Code(ResultCode::NoDialtone) => ModemError::NoDialtone,
            FinalResult::Code(ResultCode::ModemError(code)) => ModemError::Vendor { code },
            FinalResult::Code(ResultCode::NotSupported) => ModemError::NotSupported,
            FinalResult::Declared { ok: true, .. } => return None,
            FinalResult::Declared { ok: false, .. } => {
                // The session reads a declared code from the configuration
                // and the channel finds its index there again: never none.
                debug_assert!(declared.is_some(), "a declared code has its index");
                ModemError::Declared {
                    index: declared.unwrap_or(0),
                }
            }
            // A final result code proto adds later: a failure of some kind.
            _ => ModemError::Error,
        })
    }
}

impl fmt::Display for ModemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ModemError::Error => f.write_str("ERROR"),
            ModemError::Cme { code: Some(code) } => match CmeError::describe(code) {
                Some(meaning) => write!(f, "+CME ERROR {code} ({meaning})"),
                None => write!(f, "+CME ERROR {code}"),
            },
            ModemError::Cme { code: None } => f.write_str("+CME ERROR (a verbose message)"),
            ModemError::Cms { code: Some(code) } => write!(f, "+CMS ERROR {code}"),
            ModemError::Cms { code: None } => f.write_str("+CMS ERROR (a verbose message)"),
            ModemError::NoCarrier => {
                f.write_str("NO CARRIER (the connection was lost or never made)")
            }
            ModemError::Busy => f.write_str("BUSY (the other end is busy)"),
            ModemError::NoAnswer => f.write_str("NO ANSWER (the other end did not answer)"),
            ModemError::NoDialtone => f.write_str("NO DIALTONE (no network to dial on)"),
            ModemError::Vendor { code: Some(code) } => {
                write!(f, "MODEM ERROR {code} (a vendor's error code)")
            }
            ModemError::Vendor { code: None } => {
                f.write_str("MODEM ERROR (a vendor's error message)")
            }
            ModemError::NotSupported => {
                f.write_str("COMMAND NOT SUPPORT (the modem does not support the command)")
            }
            ModemError::Declared { index } => write!(
                f,
                "a vendor failure code (extra final result {index} of the configuration)"
            ),
            ModemError::Serv(code) => {
                let reason = match code {
                    ServCode::Success => "no reason given",
                    ServCode::PdpNotActive => "PDP context not active",
                    ServCode::BadAddress => "IP address invalid",
                    ServCode::Unreachable => "network or address unreachable",
                    ServCode::ConnectTimeout => "connection timed out",
                    ServCode::Refused => "refused by the FTP server",
                    _ => "unknown reason",
                };
                write!(
                    f,
                    "server connection failed: {reason} (FTPSERV code {})",
                    code.code()
                )
            }
        }
    }
}

impl core::error::Error for ModemError {}

/// How the modem broke the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// A response that does not belong to the command in flight.
    #[error("unexpected {0}")]
    Unexpected(ResponseKind),
    /// The modem announced a payload and the final result came before all
    /// of it, or time ran out inside it.
    #[error("payload of {announced} bytes cut off after {received}")]
    PayloadIncomplete {
        /// The announced length.
        announced: u64,
        /// Bytes received.
        received: u64,
    },
    /// `RDY` or `+CFUN: 1` arrived unasked: the modem restarted and lost
    /// everything bring-up and configure set ([`crate::Link::Restarted`]).
    #[error("the modem restarted: run bring-up, then configure again")]
    ModemRestarted,
}

/// The kind of a response, for [`ProtocolError::Unexpected`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseKind {
    /// `+FTPSERV:<code>`.
    ServResult,
    /// `+FTPGET:<len>,<data>` or its continuation.
    FtpGet,
    /// `+FTPLIST:<mode>,<len>` or a listing line.
    FtpList,
}

impl fmt::Display for ResponseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ResponseKind::ServResult => "+FTPSERV result",
            ResponseKind::FtpGet => "+FTPGET data",
            ResponseKind::FtpList => "+FTPLIST listing",
        })
    }
}

/// The caller misused the API. Returned at once; nothing was queued or sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UsageError {
    /// A parameter would be refused by the modem or could inject commands.
    #[error("invalid parameter: {0}")]
    Invalid(#[from] EncodeError),
    /// The job queue holds [`crate::MAX_QUEUED_JOBS`] jobs already.
    #[error("the job queue is full")]
    QueueFull,
    /// `send_data` or `finish_put` while no put job is waiting for data.
    #[error("no put job is waiting for data")]
    NotAwaitingData,
    /// `send_data` with no bytes: use `finish_put` to end the upload.
    #[error("empty data chunk")]
    EmptyData,
    /// `cancel` of a job that is neither queued nor running: it ended, or
    /// was never queued.
    #[error("no queued or running job has this number: it has ended already")]
    UnknownJob,
    /// A raw line that is not an AT command: it must start with `AT`.
    #[error("a raw command line must start with AT")]
    RawNotCommand,
    /// A raw line that sends or asks the password (`AT+FTPPW`): only
    /// `configure` sends it, and wipes it.
    #[error("AT+FTPPW cannot be sent as a raw line: configure sends the password and wipes it")]
    RawPassword,
}

#[cfg(test)]
mod tests {
    use std::string::ToString;

    use super::*;

    /// Every message reads as a sentence, never as `Debug` output.
    #[test]
    fn messages() {
        let cases = [
            (
                JobError::Modem {
                    command: CommandName::FtpPut,
                    error: ModemError::Cme { code: Some(10) },
                },
                "AT+FTPPUT failed: +CME ERROR 10 (SIM not inserted)",
            ),
            (
                JobError::Modem {
                    command: CommandName::FtpRmd,
                    error: ModemError::Cme { code: Some(999) },
                },
                "AT+FTPRMD failed: +CME ERROR 999",
            ),
            (
                JobError::Modem {
                    command: CommandName::FtpMkd,
                    error: ModemError::Cms { code: None },
                },
                "AT+FTPMKD failed: +CMS ERROR (a verbose message)",
            ),
            (
                JobError::Modem {
                    command: CommandName::FtpServ,
                    error: ModemError::Serv(ServCode::PdpNotActive),
                },
                "AT+FTPSERV failed: server connection failed: PDP context not active (FTPSERV code 1)",
            ),
            (
                JobError::Modem {
                    command: CommandName::FtpServ,
                    error: ModemError::Serv(ServCode::Other(7)),
                },
                "AT+FTPSERV failed: server connection failed: unknown reason (FTPSERV code 7)",
            ),
            (
                JobError::Protocol {
                    command: CommandName::FtpUn,
                    error: ProtocolError::Unexpected(ResponseKind::ServResult),
                },
                "protocol error during AT+FTPUN: unexpected +FTPSERV result",
            ),
            (
                JobError::Timeout {
                    command: CommandName::FtpGet,
                },
                "AT+FTPGET timed out",
            ),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
        }
    }

    /// The commands whose refusal or timeout loses the connection, as the
    /// session decided them before the table had a role column.
    #[test]
    fn which_failures_need_configure() {
        use CommandName as N;
        let refused = [
            N::FtpPort,
            N::FtpMode,
            N::FtpServ,
            N::FtpUn,
            N::FtpPw,
            N::FtpPut,
        ];
        let timed_out = [
            N::FtpPort,
            N::FtpMode,
            N::FtpServ,
            N::FtpUn,
            N::FtpPw,
            N::FtpGet,
            N::FtpPut,
            N::FtpList,
        ];
        for command in N::iter() {
            let modem = JobError::Modem {
                command,
                error: ModemError::Error,
            };
            assert_eq!(
                modem.needs_configure(),
                refused.contains(&command),
                "{command}"
            );
            let timeout = JobError::Timeout { command };
            assert_eq!(
                timeout.needs_configure(),
                timed_out.contains(&command),
                "{command}"
            );
        }
        assert!(JobError::Modem {
            command: N::FtpType,
            error: ModemError::Serv(ServCode::Refused),
        }
        .needs_configure());
    }
}
