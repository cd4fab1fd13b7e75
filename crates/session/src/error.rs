//! Errors, sorted by whose fault they are: the modem's ([`ModemError`]), the
//! protocol's ([`ProtocolError`]), time's ([`JobError::Timeout`]), or the
//! caller's ([`UsageError`], returned at once by the verb that was misused).

use cellftp_proto::{CommandName, EncodeError, ServCode};

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
}

impl JobError {
    /// True if the FTP connection must be configured again before jobs that
    /// use it can succeed (the session then refuses them with
    /// [`JobError::NotConfigured`] until a configure job succeeds).
    pub fn needs_configure(&self) -> bool {
        match self {
            JobError::Modem { command, error } => {
                matches!(error, ModemError::Serv(_))
                    || matches!(
                        command,
                        CommandName::FtpServ
                            | CommandName::FtpUn
                            | CommandName::FtpPw
                            | CommandName::FtpPut
                    )
            }
            JobError::Protocol { .. } | JobError::NotConfigured => true,
            JobError::Timeout { command } => matches!(
                command,
                CommandName::FtpServ
                    | CommandName::FtpUn
                    | CommandName::FtpPw
                    | CommandName::FtpGet
                    | CommandName::FtpPut
                    | CommandName::FtpList
            ),
        }
    }
}

/// What the modem said when it refused a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModemError {
    /// `ERROR`.
    #[error("ERROR")]
    Error,
    /// `+CME ERROR: <n>` (3GPP TS 27.007 §9.2); `None` for a verbose message.
    #[error("+CME ERROR {code:?}")]
    Cme {
        /// The numeric code.
        code: Option<u16>,
    },
    /// `+CMS ERROR: <n>`; `None` for a verbose message.
    #[error("+CMS ERROR {code:?}")]
    Cms {
        /// The numeric code.
        code: Option<u16>,
    },
    /// `+FTPSERV:<code>` with a code other than success.
    #[error("server connection failed: {0:?}")]
    Serv(ServCode),
}

/// How the modem broke the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// A response that does not belong to the command in flight.
    #[error("unexpected {0:?} response")]
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
    /// `RDY` or `+CFUN: 1` arrived unasked: the modem restarted.
    #[error("the modem restarted")]
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
}
