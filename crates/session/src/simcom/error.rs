//! Why a SIMCom job failed, by whose fault: the modem refused a command
//! ([`JobError::Modem`]), the FTP operation failed with one of the error
//! codes 61 to 86 ([`JobError::Ftp`], whose [`SimcomFtpError::kind`] says
//! whose fault), the modem broke the protocol ([`JobError::Protocol`]), or
//! time ran out ([`JobError::Timeout`]).

use core::fmt;

use cellftp_proto::simcom::{CommandName, ReadOp, SimcomErrorKind, SimcomFtpError};

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
    /// One write was confirmed twice (`+FTPPUT: 2,<cnf>` again after its
    /// bytes were owed): what the modem counts is unknown.
    #[error(
        "the modem confirmed one write twice ({first} bytes, then {again}): what it received is unknown"
    )]
    ConfirmedTwice {
        /// The first confirmation's length, whose bytes were written.
        first: u32,
        /// The second's, not written.
        again: u32,
    },
    /// The upload was reported finished before the host ended it.
    #[error("the upload was reported finished before it was ended")]
    FinishedEarly,
    /// The answer a command must give did not come: `came` did instead
    /// (a bearer status query answered `OK` alone, a read without its
    /// header).
    #[error("expected {expected}, but {came}")]
    BadAnswer {
        /// The answer the command must give.
        expected: Answer,
        /// What came instead.
        came: Instead,
    },
    /// `RDY` or `+CFUN: 1` arrived: the modem restarted and lost the bearer
    /// and every FTP setting.
    #[error("the modem restarted: run bring-up, then configure again")]
    ModemRestarted,
}

/// An answer a SIMCom command must give before its final result, for
/// [`ProtocolError::BadAnswer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Answer {
    /// `+SAPBR: <cid>,<status>,<ip>`, to `AT+SAPBR=2,<cid>`.
    BearerStatus,
    /// `+FTPGET: 2,<len>` or `+FTPLIST: 2,<len>`, to a read.
    ReadHeader(ReadOp),
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Answer::BearerStatus => "the bearer status +SAPBR: <cid>,<status>,<ip>",
            Answer::ReadHeader(ReadOp::Get) => "the read header +FTPGET: 2,<len>",
            Answer::ReadHeader(ReadOp::List) => "the read header +FTPLIST: 2,<len>",
        })
    }
}

/// What came instead of an [`Answer`], for [`ProtocolError::BadAnswer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Instead {
    /// The final result `OK`, with no such line before it.
    OkAlone,
    /// A line of that name whose status is not a number.
    NoStatus,
}

impl fmt::Display for Instead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Instead::OkAlone => "OK came without it",
            Instead::NoStatus => "its line came without a status number",
        })
    }
}

#[cfg(test)]
mod tests {
    use std::string::ToString;

    use super::*;

    /// The protocol errors read as sentences that say what was expected
    /// and what came.
    #[test]
    fn bad_answers_say_what_was_expected_and_what_came() {
        let cases = [
            (
                CommandName::Sapbr,
                Answer::BearerStatus,
                Instead::OkAlone,
                "protocol error during AT+SAPBR: expected the bearer status \
                 +SAPBR: <cid>,<status>,<ip>, but OK came without it",
            ),
            (
                CommandName::Sapbr,
                Answer::BearerStatus,
                Instead::NoStatus,
                "protocol error during AT+SAPBR: expected the bearer status \
                 +SAPBR: <cid>,<status>,<ip>, but its line came without a status number",
            ),
            (
                CommandName::FtpList,
                Answer::ReadHeader(ReadOp::List),
                Instead::OkAlone,
                "protocol error during AT+FTPLIST: expected the read header \
                 +FTPLIST: 2,<len>, but OK came without it",
            ),
        ];
        for (command, expected, came, text) in cases {
            let error = JobError::Protocol {
                command,
                error: ProtocolError::BadAnswer { expected, came },
            };
            assert_eq!(error.to_string(), text);
        }
    }
}
