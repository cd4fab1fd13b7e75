//! Why a SIMCom job failed, by whose fault: the modem refused a command
//! ([`JobError::Modem`]), the FTP operation failed with one of the error
//! codes 61 to 86 ([`JobError::Ftp`], whose [`SimcomFtpError::kind`] says
//! whose fault), the modem broke the protocol ([`JobError::Protocol`]), or
//! time ran out ([`JobError::Timeout`]).

use cellftp_proto::simcom::{CommandName, SimcomErrorKind, SimcomFtpError};

use crate::error::ModemError;

/// Why a job of the SIMCom session failed. Reported once, in
/// [`super::Event::JobDone`].
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
    /// The FTP operation reported an error code (`+FTPGET: 1,72`).
    #[error("{command} failed: {error}")]
    Ftp {
        /// The command that started the operation.
        command: CommandName,
        /// The code, typed.
        error: SimcomFtpError,
        /// Bytes transferred before the failure: for a get, file data from
        /// the restart offset (resume at `offset + transferred`); for a
        /// put, bytes the modem accepted (whether they reached the server
        /// is unknown: restart the upload).
        transferred: u64,
    },
    /// The modem's answer broke the protocol.
    #[error("protocol error during {command}: {error}")]
    Protocol {
        /// The command in flight or whose operation ran.
        command: CommandName,
        /// What went wrong.
        error: ProtocolError,
    },
    /// No answer in time.
    #[error("{command} timed out")]
    Timeout {
        /// The command, or the operation whose URCs stopped.
        command: CommandName,
    },
    /// The bearer did not come up (its status after opening was not
    /// "connected").
    #[error("the bearer did not open (status {status}): check the APN and coverage")]
    BearerNotOpen {
        /// The `<status>` of `+SAPBR: <cid>,<status>,<ip>`.
        status: u32,
    },
    /// An upload was refused because command echo is on: echoed upload
    /// bytes could not be framed. Run bring-up (it sends `ATE0`).
    #[error("command echo is on: run bring-up (ATE0) before uploading")]
    EchoOn,
    /// The caller cancelled the job ([`super::Session::cancel`]).
    #[error("the job was cancelled")]
    Cancelled,
    /// What the configured model cannot do yet (the SIM7080 bring-up).
    #[error(
        "the SIM7080 bring-up is not supported yet: open the PDP context with AT+CNACT yourself"
    )]
    Unsupported,
}

impl JobError {
    /// The kind of the FTP error code, if this is one.
    pub fn ftp_kind(&self) -> Option<SimcomErrorKind> {
        match self {
            JobError::Ftp { error, .. } => Some(error.kind()),
            _ => None,
        }
    }
}

/// How the modem broke the SIMCom protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// A read or write header confirmed more bytes than were asked.
    #[error("the modem confirmed {confirmed} bytes where {asked} were asked")]
    TooMuch {
        /// The request.
        asked: u32,
        /// The confirmed length.
        confirmed: u32,
    },
    /// The upload was reported finished before the host ended it.
    #[error("the upload was reported finished before it was ended")]
    FinishedEarly,
    /// An answer that is not the expected one (a bearer status line
    /// without a status, a read without its header).
    #[error("the answer was not the one expected")]
    BadAnswer,
    /// `RDY` or `+CFUN: 1` arrived: the modem restarted and lost the bearer
    /// and every FTP setting.
    #[error("the modem restarted: run bring-up, then configure again")]
    ModemRestarted,
}
