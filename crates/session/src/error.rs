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
                matches!(error, ModemError::Serv(_)) || refusal_loses_connection(command.role())
            }
            JobError::Protocol { .. } | JobError::NotConfigured | JobError::NoAnswer => true,
            JobError::Cancelled => false,
            JobError::Timeout { command } => timeout_loses_connection(command.role()),
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
    /// `+CME ERROR: <n>` (3GPP TS 27.007 §9.2), or a verbose message that
    /// is one of the meanings [`cellftp_proto::CmeError::describe`] knows,
    /// by its number (`+CME ERROR: SIM not inserted` is 10); `None` for
    /// an empty one (`+CME ERROR:`: no reason given).
    Cme {
        /// The numeric code.
        code: Option<u16>,
    },
    /// `+CME ERROR: <text>`, a verbose message the table of meanings does
    /// not list: as much of it as [`ErrorText`] keeps.
    CmeText(ErrorText),
    /// `+CMS ERROR: <n>` (3GPP TS 27.005 §3.2.5); `None` for an empty one
    /// (no reason given).
    Cms {
        /// The numeric code.
        code: Option<u16>,
    },
    /// `+CMS ERROR: <text>`, a verbose message: as much of it as
    /// [`ErrorText`] keeps.
    CmsText(ErrorText),
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
    /// True for the codes that can come unasked and end the command in
    /// flight before its own answer, which may then still come: V.250's
    /// `NO CARRIER` (a connection dropped), `BUSY`, `NO ANSWER`,
    /// `NO DIALTONE`, and the codes a driver declared (`SPEC.md` §5 item
    /// 39).
    pub(crate) fn may_come_unasked(&self) -> bool {
        matches!(
            self,
            ModemError::NoCarrier
                | ModemError::Busy
                | ModemError::NoAnswer
                | ModemError::NoDialtone
                | ModemError::Declared { .. }
        )
    }

    /// The error for a final result that is not success; `None` for `OK`
    /// and for a declared success code.
    pub(crate) fn from_final(result: FinalResult<'_>, declared: Option<usize>) -> Option<Self> {
        Some(match result {
            FinalResult::Ok => return None,
            FinalResult::Error => ModemError::Error,
            FinalResult::Cme(e) => match (e.known_code(), e) {
                (Some(code), _) => ModemError::Cme { code: Some(code) },
                (None, CmeError::Text(t)) if !t.trim_ascii().is_empty() => {
                    ModemError::CmeText(ErrorText::new(t))
                }
                (None, _) => ModemError::Cme { code: None },
            },
            FinalResult::Cms(CmeError::Code(code)) => ModemError::Cms { code: Some(code) },
            FinalResult::Cms(CmeError::Text(t)) if !t.trim_ascii().is_empty() => {
                ModemError::CmsText(ErrorText::new(t))
            }
            FinalResult::Cms(CmeError::Text(_)) => ModemError::Cms { code: None },
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
            ModemError::Cme { code: None } => f.write_str("+CME ERROR (no reason given)"),
            ModemError::CmeText(text) => write!(f, "+CME ERROR: {text} (a verbose message)"),
            ModemError::Cms { code: Some(code) } => write!(f, "+CMS ERROR {code}"),
            ModemError::Cms { code: None } => f.write_str("+CMS ERROR (no reason given)"),
            ModemError::CmsText(text) => write!(f, "+CMS ERROR: {text} (a verbose message)"),
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

/// The longest verbose error message an [`ErrorText`] keeps, in bytes.
pub const MAX_ERROR_TEXT: usize = 32;

/// A modem's verbose error message (`+CME ERROR: <text>`), as much of it
/// as fits without allocating: at most [`MAX_ERROR_TEXT`] bytes, any byte
/// that is not printable ASCII shown as `?`, and nothing from where the
/// password rule (`cellftp_proto::secret_ranges`) would hide a value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ErrorText {
    bytes: [u8; MAX_ERROR_TEXT],
    len: u8,
    cut: bool,
}

impl ErrorText {
    /// What is kept of `text`, a modem's message (spaces at its ends
    /// are not kept).
    pub fn new(text: &[u8]) -> Self {
        let text = text.trim_ascii();
        let secret = cellftp_proto::secret_ranges(text)
            .next()
            .map_or(text.len(), |r| r.start);
        let keep = text.get(..secret).unwrap_or_default();
        let mut bytes = [0u8; MAX_ERROR_TEXT];
        let mut len = 0;
        for (slot, &b) in bytes.iter_mut().zip(keep) {
            *slot = if matches!(b, 0x20..=0x7e) { b } else { b'?' };
            len += 1;
        }
        Self {
            bytes,
            // At most MAX_ERROR_TEXT (32): fits.
            len: len as u8,
            cut: len < text.len(),
        }
    }

    /// The text kept.
    pub fn as_str(&self) -> &str {
        let kept = self.bytes.get(..usize::from(self.len)).unwrap_or_default();
        // Printable ASCII only, by construction.
        let text = core::str::from_utf8(kept);
        debug_assert!(text.is_ok(), "an error text is ASCII");
        text.unwrap_or_default()
    }

    /// True if the modem's message was longer than what is kept.
    pub fn is_cut(&self) -> bool {
        self.cut
    }
}

impl fmt::Display for ErrorText {
    /// The text, followed by `...` if it was cut.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())?;
        if self.cut {
            f.write_str("...")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ErrorText {
    /// The text in double quotes, escaped byte by byte
    /// (`<[u8]>::escape_ascii`: the text is ASCII, so no Unicode tables are
    /// linked into firmware for it), followed by `...` if it was cut.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.as_str().as_bytes().escape_ascii())?;
        if self.cut {
            f.write_str("...")?;
        }
        Ok(())
    }
}

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
    /// The job queue holds [`crate::MAX_QUEUED_JOBS`] jobs already,
    /// counting queued jobs cancelled whose [`crate::Event::JobDone`] has
    /// not been polled yet.
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
    /// A driver's handler stopped the run while `bytes` received bytes
    /// were left that the session had no room for: a driver must read no
    /// more than the session's free receive room ([`crate::driver::feed`]).
    #[error(
        "the run stopped with {bytes} received bytes the session had no room for: \
         read no more than its free receive room at a time"
    )]
    InputLeft {
        /// How many bytes were not taken.
        bytes: usize,
    },
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
                "AT+FTPMKD failed: +CMS ERROR (no reason given)",
            ),
            (
                JobError::Modem {
                    command: CommandName::FtpMkd,
                    error: ModemError::Cme { code: None },
                },
                "AT+FTPMKD failed: +CME ERROR (no reason given)",
            ),
            (
                JobError::Modem {
                    command: CommandName::FtpMkd,
                    error: ModemError::CmeText(ErrorText::new(b"SIM PUK required")),
                },
                "AT+FTPMKD failed: +CME ERROR: SIM PUK required (a verbose message)",
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

    /// An error text keeps printable ASCII, at most `MAX_ERROR_TEXT` bytes,
    /// and nothing from where the password rule would hide a value.
    #[test]
    fn error_texts_are_bounded_and_hide_passwords() {
        let t = ErrorText::new(b"  bad \xff\r byte  ");
        assert_eq!((t.as_str(), t.is_cut()), ("bad ?? byte", false));
        let long = [b'a'; 40];
        let t = ErrorText::new(&long);
        assert_eq!((t.as_str().len(), t.is_cut()), (MAX_ERROR_TEXT, true));
        let t = ErrorText::new(b"login failed PASS: hunter2");
        assert!(!t.to_string().contains("hunter2"), "{t}");
        assert!(!std::format!("{t:?}").contains("hunter2"), "{t:?}");
        assert!(t.is_cut());
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
