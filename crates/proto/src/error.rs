//! Why the encoder refuses a command: [`EncodeError`], and the
//! [`TextKind`] of the parameter it names.
//!
//! A leaf module. Every message is a sentence a user can act on, and none
//! ever shows a password or a byte of one.

use core::fmt;

/// Which parameter a string is for; named in every validation error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TextKind {
    /// `AT+FTPUN` user name.
    User,
    /// `AT+FTPPW` password.
    Password,
    /// `AT+FTPGETNAME` / `AT+FTPPUTNAME` file name.
    FileName,
    /// `AT+FTPPATH` server path.
    Path,
    /// `AT+FTPMKD` / `AT+FTPRMD` directory.
    Directory,
    /// `AT+FTPSERV` server address.
    Server,
    /// `AT+FTPPUT` data chunk.
    PutData,
    /// A whole AT command line of the caller's (a raw command).
    CommandLine,
    /// `AT+SAPBR` `"APN"` value: the access point name (SIMCom dialect).
    Apn,
    /// `AT+SAPBR` `"USER"` value: the bearer's user name (SIMCom dialect).
    BearerUser,
    /// `AT+SAPBR` `"PWD"` value: the bearer's password (SIMCom dialect).
    BearerPassword,
}

impl fmt::Display for TextKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TextKind::User => "user name",
            TextKind::Password => "password",
            TextKind::FileName => "file name",
            TextKind::Path => "path",
            TextKind::Directory => "directory",
            TextKind::Server => "server address",
            TextKind::PutData => "upload data",
            TextKind::CommandLine => "command line",
            TextKind::Apn => "access point name",
            TextKind::BearerUser => "bearer user name",
            TextKind::BearerPassword => "bearer password",
        })
    }
}

/// Why a command or a parameter was refused. Nothing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EncodeError {
    /// A string parameter or the put data is empty.
    Empty {
        /// The parameter.
        field: TextKind,
    },
    /// A parameter is longer than the modem accepts.
    TooLong {
        /// The parameter.
        field: TextKind,
        /// The limit.
        max: usize,
        /// The actual length.
        len: usize,
    },
    /// A byte that could end, split or re-parameterise the AT line (a control
    /// byte such as CR, LF or NUL, `"`, `,`, `;`, or a `?` that is the whole
    /// value and would make the command its test form) or a non-ASCII byte.
    ForbiddenByte {
        /// The parameter.
        field: TextKind,
        /// Where the byte is.
        offset: usize,
        /// The byte, withheld (`None`) for passwords.
        byte: Option<u8>,
    },
    /// A string parameter starts or ends with a space, which the modem's
    /// parser (and ours) would drop.
    EdgeSpace {
        /// The parameter.
        field: TextKind,
    },
    /// The server address is neither an IPv4 dotted quad nor a host name.
    InvalidHost {
        /// Where the address stops being valid.
        offset: usize,
    },
    /// A byte that cannot go inside a quoted string parameter of the SIMCom
    /// dialect (`SPEC-simcom.md` §1.4): `"`, which would end the string,
    /// `\`, which may start an escape, a control byte (CR, LF and NUL
    /// included) or a non-ASCII byte.
    ForbiddenInQuotes {
        /// The parameter.
        field: TextKind,
        /// Where the byte is.
        offset: usize,
        /// The byte, withheld (`None`) for passwords.
        byte: Option<u8>,
    },
    /// A password was given as a [`crate::Text`]: passwords are only ever
    /// a [`crate::Password`], whose `Debug` output is redacted.
    PasswordAsText,
    /// Port 0 is not a port.
    PortZero,
    /// A number outside the range the modem accepts (SIMCom dialect: a
    /// bearer profile, a request length).
    OutOfRange {
        /// What the number is, e.g. `"request length"`.
        what: &'static str,
        /// The smallest value accepted.
        min: u32,
        /// The largest value accepted.
        max: u32,
        /// The value given.
        value: u32,
    },
    /// The output buffer cannot hold the command.
    BufferTooSmall {
        /// Bytes the command needs.
        needed: usize,
        /// Bytes the buffer has.
        available: usize,
    },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            EncodeError::Empty { field } => write!(f, "the {field} is empty"),
            EncodeError::TooLong { field, max, len } => write!(
                f,
                "the {field} is {len} bytes long, but the modem accepts at most {max}"
            ),
            EncodeError::ForbiddenByte {
                field,
                offset,
                byte,
            } => match byte {
                Some(b'\r' | b'\n') => write!(
                    f,
                    "the {field} contains a line break (at offset {offset}), \
                     which would end the AT command"
                ),
                Some(b'?') => write!(
                    f,
                    "the {field} is a lone `?`, which would turn the command \
                     into its test form"
                ),
                Some(b @ (b'"' | b',' | b';')) => write!(
                    f,
                    "the {field} contains `{}` (at offset {offset}), which \
                     would split or end the unquoted AT parameter",
                    char::from(b)
                ),
                Some(b @ 0x80..=0xff) => write!(
                    f,
                    "the {field} contains the non-ASCII byte 0x{b:02x} (at \
                     offset {offset}); only printable ASCII can be sent"
                ),
                Some(b) => write!(
                    f,
                    "the {field} contains the control byte 0x{b:02x} (at \
                     offset {offset}), which an AT command line cannot carry"
                ),
                None => write!(
                    f,
                    "the {field} contains a character that cannot be sent (at \
                     offset {offset}): only printable ASCII other than `\"`, \
                     `,` and `;` is allowed, and not a lone `?`"
                ),
            },
            EncodeError::EdgeSpace { field } => write!(
                f,
                "the {field} starts or ends with a space, which the modem would drop"
            ),
            EncodeError::InvalidHost { offset } => write!(
                f,
                "the server address is neither an IPv4 address nor a host name \
                 (the problem is at offset {offset})"
            ),
            EncodeError::ForbiddenInQuotes {
                field,
                offset,
                byte,
            } => match byte {
                Some(b'"') => write!(
                    f,
                    "the {field} contains `\"` (at offset {offset}), which \
                     would end the quoted AT parameter"
                ),
                Some(b'\\') => write!(
                    f,
                    "the {field} contains `\\` (at offset {offset}), which \
                     the modem may read as the start of an escape"
                ),
                Some(b'\r' | b'\n') => write!(
                    f,
                    "the {field} contains a line break (at offset {offset}), \
                     which would end the AT command"
                ),
                Some(b @ 0x80..=0xff) => write!(
                    f,
                    "the {field} contains the non-ASCII byte 0x{b:02x} (at \
                     offset {offset}); only printable ASCII can be sent"
                ),
                Some(b) => write!(
                    f,
                    "the {field} contains the control byte 0x{b:02x} (at \
                     offset {offset}), which an AT command line cannot carry"
                ),
                None => write!(
                    f,
                    "the {field} contains a character that cannot be sent (at \
                     offset {offset}): only printable ASCII other than `\"` \
                     and `\\` is allowed"
                ),
            },
            EncodeError::PasswordAsText => f.write_str(
                "a password cannot be a plain text parameter: it is only ever \
                 sent as the AT+FTPPW password, which is never shown",
            ),
            EncodeError::PortZero => {
                f.write_str("port 0 is not a valid port: use a port from 1 to 65535")
            }
            EncodeError::OutOfRange {
                what,
                min,
                max,
                value,
            } => write!(
                f,
                "the {what} {value} is outside the range the modem accepts, {min} to {max}"
            ),
            EncodeError::BufferTooSmall { needed, available } => write!(
                f,
                "the command needs {needed} bytes, but the buffer has room for only {available}"
            ),
        }
    }
}

impl core::error::Error for EncodeError {}
