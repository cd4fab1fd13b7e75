//! The FTP error codes 61 to 86 of `SPEC-simcom.md` §7: what an operation's
//! `+<NAME>: 1,<error>` URC reports, typed, with whose fault it is.

use core::fmt;

/// What kind of failure a [`SimcomFtpError`] is: whose fault, in a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SimcomErrorKind {
    /// The cellular data connection (61).
    Network,
    /// Name resolution (62).
    Dns,
    /// The control connection to the server (63).
    Connect,
    /// The server or network stopped answering (64).
    Timeout,
    /// The server refused or answered wrongly (65, 70, 73).
    Server,
    /// The modem refused the operation in its state: the host's sequencing
    /// (66).
    NotAllowed,
    /// The server rejected the user name or password: configuration (71,
    /// 72).
    Login,
    /// The server refused the restart offset (74).
    Resume,
    /// The data connection could not be opened (75, 76).
    DataConnection,
    /// The server refused the file or directory operation (77).
    FileOperation,
    /// The data transfer failed (78, 79).
    Transfer,
    /// The modem's file system (85).
    ModemStorage,
    /// The operation was ended with `AT+FTPQUIT` (86).
    Cancelled,
    /// A code the manual does not list.
    Unknown,
}

/// An error code of an operation's URC (`+FTPGET: 1,72`), `SPEC-simcom.md`
/// §7. Codes 0 and 1 are not errors and never become one.
///
/// ```
/// use cellftp_proto::simcom::{SimcomErrorKind, SimcomFtpError};
/// let e = SimcomFtpError::from_code(72);
/// assert_eq!(e, SimcomFtpError::Password);
/// assert_eq!(e.kind(), SimcomErrorKind::Login);
/// assert_eq!(e.code(), 72);
/// assert_eq!(
///     e.to_string(),
///     "The FTP server rejected the password; check the configured password."
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SimcomFtpError {
    /// 61 "Net error".
    Net,
    /// 62 "DNS error".
    Dns,
    /// 63 "Connect error".
    Connect,
    /// 64 "Timeout".
    Timeout,
    /// 65 "Server error".
    Server,
    /// 66 "Operation not allow".
    NotAllowed,
    /// 70 "Replay error", read as "Reply error" (`SPEC-simcom.md` §6 item 30).
    Reply,
    /// 71 "User error".
    User,
    /// 72 "Password error".
    Password,
    /// 73 "Type error".
    Type,
    /// 74 "Rest error".
    Rest,
    /// 75 "Passive error".
    Passive,
    /// 76 "Active error".
    Active,
    /// 77 "Operate error".
    Operate,
    /// 78 "Upload error".
    Upload,
    /// 79 "Download error".
    Download,
    /// 85 "An error related with file system".
    FileSystem,
    /// 86 "Manual quit".
    ManualQuit,
    /// Any other code (`SPEC-simcom.md` §6 item 29).
    Unknown(u16),
}

impl SimcomFtpError {
    /// The error for code `code` (meant for codes of 2 and more).
    pub const fn from_code(code: u16) -> Self {
        match code {
            61 => Self::Net,
            62 => Self::Dns,
            63 => Self::Connect,
            64 => Self::Timeout,
            65 => Self::Server,
            66 => Self::NotAllowed,
            70 => Self::Reply,
            71 => Self::User,
            72 => Self::Password,
            73 => Self::Type,
            74 => Self::Rest,
            75 => Self::Passive,
            76 => Self::Active,
            77 => Self::Operate,
            78 => Self::Upload,
            79 => Self::Download,
            85 => Self::FileSystem,
            86 => Self::ManualQuit,
            n => Self::Unknown(n),
        }
    }

    /// The code on the wire.
    pub const fn code(self) -> u16 {
        match self {
            Self::Net => 61,
            Self::Dns => 62,
            Self::Connect => 63,
            Self::Timeout => 64,
            Self::Server => 65,
            Self::NotAllowed => 66,
            Self::Reply => 70,
            Self::User => 71,
            Self::Password => 72,
            Self::Type => 73,
            Self::Rest => 74,
            Self::Passive => 75,
            Self::Active => 76,
            Self::Operate => 77,
            Self::Upload => 78,
            Self::Download => 79,
            Self::FileSystem => 85,
            Self::ManualQuit => 86,
            Self::Unknown(n) => n,
        }
    }

    /// Whose fault it is (`SPEC-simcom.md` §7's kind column).
    pub const fn kind(self) -> SimcomErrorKind {
        use SimcomErrorKind as K;
        match self {
            Self::Net => K::Network,
            Self::Dns => K::Dns,
            Self::Connect => K::Connect,
            Self::Timeout => K::Timeout,
            Self::Server | Self::Reply | Self::Type => K::Server,
            Self::NotAllowed => K::NotAllowed,
            Self::User | Self::Password => K::Login,
            Self::Rest => K::Resume,
            Self::Passive | Self::Active => K::DataConnection,
            Self::Operate => K::FileOperation,
            Self::Upload | Self::Download => K::Transfer,
            Self::FileSystem => K::ModemStorage,
            Self::ManualQuit => K::Cancelled,
            Self::Unknown(_) => K::Unknown,
        }
    }
}

impl fmt::Display for SimcomFtpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Net => "The cellular data connection failed (bearer down or no coverage).",
            Self::Dns => "The FTP server's name could not be resolved; check the server address.",
            Self::Connect => {
                "The modem could not connect to the FTP server; check the address and \
                 port, and that the server is up."
            }
            Self::Timeout => "The FTP server or the network stopped answering.",
            Self::Server => "The FTP server answered with an error.",
            Self::NotAllowed => {
                "The modem refused the operation in its current state (another one \
                 is running, or the bearer is not open)."
            }
            Self::Reply => "The FTP server sent an unexpected reply.",
            Self::User => "The FTP server rejected the user name; check the configured user.",
            Self::Password => {
                "The FTP server rejected the password; check the configured password."
            }
            Self::Type => "The FTP server refused the transfer type.",
            Self::Rest => {
                "The FTP server refused the restart offset: it cannot resume, or the \
                 offset is beyond the end of the file."
            }
            Self::Passive => "Passive mode failed: the data connection could not be opened.",
            Self::Active => {
                "Active mode failed: the server could not connect back (usually carrier \
                 NAT); use passive mode."
            }
            Self::Operate => {
                "The FTP server refused the file or directory operation (not found, \
                 exists, not empty, or no permission)."
            }
            Self::Upload => "The upload failed during the data transfer.",
            Self::Download => "The download failed during the data transfer.",
            Self::FileSystem => "The modem's file system reported an error.",
            Self::ManualQuit => "The FTP operation was ended with AT+FTPQUIT.",
            Self::Unknown(code) => {
                return write!(
                    f,
                    "The modem reported FTP error {code}, which its manual does not list."
                );
            }
        })
    }
}

impl core::error::Error for SimcomFtpError {}
