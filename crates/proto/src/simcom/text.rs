//! Quoted string parameters of the SIMCom dialect: the only way a
//! caller's string reaches one of its command lines.
//!
//! Every string is sent inside double quotes (`AT+FTPUN="anonymous"`), so
//! `,` and `;` are harmless; what could end or split the line or the string
//! is refused up front (`SPEC-simcom.md` §1.4): `"`, `\`, every control byte
//! (CR, LF and NUL included) and every non-ASCII byte. Lengths follow §2.1.

use core::fmt;

use crate::error::{EncodeError, TextKind};
use crate::text::Host;

/// The longest quoted value of the dialect: a path, 255 bytes.
pub const MAX_QUOTED: usize = 255;

/// The longest password of the dialect (`AT+FTPPW`), 49 bytes.
pub const MAX_SECRET: usize = 49;

/// True for the bytes allowed inside a quoted value: printable ASCII but
/// `"` and `\`.
pub(crate) const fn is_quoted_byte(b: u8) -> bool {
    matches!(b, 0x20..=0x7e) && b != b'"' && b != b'\\'
}

/// Checks `bytes` as a quoted value of `field`, `min ..= max` bytes long;
/// the offending byte is withheld for a secret.
fn validate(
    field: TextKind,
    min: usize,
    max: usize,
    bytes: &[u8],
    secret: bool,
) -> Result<(), EncodeError> {
    if bytes.len() < min {
        return Err(EncodeError::Empty { field });
    }
    if bytes.len() > max {
        return Err(EncodeError::TooLong {
            field,
            max,
            len: bytes.len(),
        });
    }
    if let Some(offset) = bytes.iter().position(|&b| !is_quoted_byte(b)) {
        let byte = bytes.get(offset).copied().filter(|_| !secret);
        return Err(EncodeError::ForbiddenInQuotes {
            field,
            offset,
            byte,
        });
    }
    Ok(())
}

fn as_str(bytes: &[u8]) -> &str {
    // Validated values are ASCII.
    let s = core::str::from_utf8(bytes);
    debug_assert!(s.is_ok(), "a validated value is ASCII");
    s.unwrap_or("")
}

/// Which quoted parameter a [`Quoted`] is; its limits are `SPEC-simcom.md`
/// §2.1's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QuotedKind {
    /// `AT+FTPSERV`: an IPv4 address or a host name, 1 to 49 bytes.
    Server,
    /// `AT+FTPUN`: 1 to 49 bytes.
    User,
    /// `AT+FTPGETNAME`, `AT+FTPPUTNAME`: 1 to 99 bytes.
    FileName,
    /// `AT+FTPGETPATH`, `AT+FTPPUTPATH`: a directory, 1 to 255 bytes.
    Path,
    /// `AT+SAPBR` `"APN"`: 0 to 64 bytes.
    Apn,
    /// `AT+SAPBR` `"USER"`: 0 to 32 bytes.
    BearerUser,
}

impl QuotedKind {
    /// The parameter, as errors name it.
    pub const fn field(self) -> TextKind {
        match self {
            QuotedKind::Server => TextKind::Server,
            QuotedKind::User => TextKind::User,
            QuotedKind::FileName => TextKind::FileName,
            QuotedKind::Path => TextKind::Path,
            QuotedKind::Apn => TextKind::Apn,
            QuotedKind::BearerUser => TextKind::BearerUser,
        }
    }

    /// The shortest and longest value, in bytes.
    pub const fn limits(self) -> (usize, usize) {
        match self {
            QuotedKind::Server | QuotedKind::User => (1, 49),
            QuotedKind::FileName => (1, 99),
            QuotedKind::Path => (1, MAX_QUOTED),
            QuotedKind::Apn => (0, 64),
            QuotedKind::BearerUser => (0, 32),
        }
    }
}

/// A validated quoted string parameter (never a password: see
/// [`Password`]).
///
/// ```
/// use cellftp_proto::simcom::{Quoted, QuotedKind};
/// assert!(Quoted::new(QuotedKind::FileName, "a, b; c.txt").is_ok());
/// assert!(Quoted::new(QuotedKind::FileName, "a\"\r\nAT+FTPQUIT").is_err());
/// assert!(Quoted::new(QuotedKind::Server, "ftp.example.com").is_ok());
/// assert!(Quoted::new(QuotedKind::Server, "1.2.3").is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quoted<'a> {
    kind: QuotedKind,
    bytes: &'a [u8],
}

impl<'a> Quoted<'a> {
    /// Validates `s` as a `kind` parameter.
    pub fn new(kind: QuotedKind, s: &'a str) -> Result<Self, EncodeError> {
        Self::from_bytes(kind, s.as_bytes())
    }

    /// Validates raw bytes as a `kind` parameter.
    pub fn from_bytes(kind: QuotedKind, bytes: &'a [u8]) -> Result<Self, EncodeError> {
        let (min, max) = kind.limits();
        validate(kind.field(), min, max, bytes, false)?;
        if kind == QuotedKind::Server {
            // The address rule of the first dialect (`SPEC.md` §2.2).
            Host::from_bytes(bytes)?;
        }
        Ok(Self { kind, bytes })
    }

    /// Which parameter this is.
    pub fn kind(&self) -> QuotedKind {
        self.kind
    }

    /// The value as sent, without its quotes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The value as a string (always ASCII).
    pub fn as_str(&self) -> &'a str {
        as_str(self.bytes)
    }
}

impl fmt::Debug for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Which password a [`Password`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SecretKind {
    /// `AT+FTPPW`: 0 to 49 bytes.
    Ftp,
    /// `AT+SAPBR` `"PWD"`: 0 to 32 bytes.
    Bearer,
}

impl SecretKind {
    /// The parameter, as errors name it.
    pub const fn field(self) -> TextKind {
        match self {
            SecretKind::Ftp => TextKind::Password,
            SecretKind::Bearer => TextKind::BearerPassword,
        }
    }

    /// The longest value, in bytes (the shortest is 0).
    pub const fn max(self) -> usize {
        match self {
            SecretKind::Ftp => MAX_SECRET,
            SecretKind::Bearer => 32,
        }
    }
}

/// A validated password of the dialect. Its `Debug` output is redacted, and
/// a refusal never shows a byte of it; [`Password::expose`] is the one way
/// to its bytes, which the encoder takes.
///
/// ```
/// use cellftp_proto::simcom::{Password, SecretKind};
/// let pw = Password::new(SecretKind::Ftp, "a,b;c")?;
/// assert_eq!(format!("{pw:?}"), "Password(<redacted>)");
/// assert!(Password::new(SecretKind::Ftp, "").is_ok());
/// # Ok::<(), cellftp_proto::EncodeError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Password<'a> {
    kind: SecretKind,
    bytes: &'a [u8],
}

impl<'a> Password<'a> {
    /// Validates `s` as a `kind` password.
    pub fn new(kind: SecretKind, s: &'a str) -> Result<Self, EncodeError> {
        Self::from_bytes(kind, s.as_bytes())
    }

    /// Validates raw bytes as a `kind` password.
    pub fn from_bytes(kind: SecretKind, bytes: &'a [u8]) -> Result<Self, EncodeError> {
        validate(kind.field(), 0, kind.max(), bytes, true)?;
        Ok(Self { kind, bytes })
    }

    /// Which password this is.
    pub fn kind(&self) -> SecretKind {
        self.kind
    }

    /// The password's bytes: for the encoder, never for display.
    pub fn expose(&self) -> &'a [u8] {
        self.bytes
    }
}

impl fmt::Debug for Password<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// An owned [`Quoted`]: a validated value copied into a fixed buffer of
/// [`MAX_QUOTED`] bytes.
///
/// ```
/// use cellftp_proto::simcom::{QuotedBuf, QuotedKind};
/// let path = QuotedBuf::new(QuotedKind::Path, "/pub/")?;
/// assert_eq!(path.quoted().as_str(), "/pub/");
/// # Ok::<(), cellftp_proto::EncodeError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct QuotedBuf {
    kind: QuotedKind,
    len: u8,
    bytes: [u8; MAX_QUOTED],
}

impl QuotedBuf {
    /// Validates `s` as a `kind` parameter and copies it.
    pub fn new(kind: QuotedKind, s: &str) -> Result<Self, EncodeError> {
        Quoted::new(kind, s).map(Self::from)
    }

    /// Validates raw bytes as a `kind` parameter and copies them.
    pub fn from_bytes(kind: QuotedKind, s: &[u8]) -> Result<Self, EncodeError> {
        Quoted::from_bytes(kind, s).map(Self::from)
    }

    /// The validated value.
    pub fn quoted(&self) -> Quoted<'_> {
        let bytes = self.bytes.get(..usize::from(self.len));
        debug_assert!(bytes.is_some(), "the length never exceeds the buffer");
        Quoted {
            kind: self.kind,
            bytes: bytes.unwrap_or_default(),
        }
    }
}

impl From<Quoted<'_>> for QuotedBuf {
    fn from(q: Quoted<'_>) -> Self {
        let mut bytes = [0; MAX_QUOTED];
        debug_assert!(q.bytes.len() <= MAX_QUOTED, "a validated value fits");
        let len = q.bytes.len().min(MAX_QUOTED);
        if let (Some(dst), Some(src)) = (bytes.get_mut(..len), q.bytes.get(..len)) {
            dst.copy_from_slice(src);
        }
        Self {
            kind: q.kind,
            len: len as u8,
            bytes,
        }
    }
}

impl fmt::Debug for QuotedBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.quoted(), f)
    }
}

/// An owned [`Password`], like [`crate::PasswordBuf`]: not `Clone`, `Debug`
/// hides it, and its bytes are overwritten with zeros when it is dropped.
///
/// ```
/// use cellftp_proto::simcom::{PasswordBuf, SecretKind};
/// let pw = PasswordBuf::new(SecretKind::Ftp, "hunter2")?;
/// assert_eq!(pw.password().expose(), b"hunter2");
/// assert_eq!(format!("{pw:?}"), "PasswordBuf(<redacted>)");
/// # Ok::<(), cellftp_proto::EncodeError>(())
/// ```
#[derive(PartialEq, Eq)]
pub struct PasswordBuf {
    kind: SecretKind,
    len: u8,
    bytes: [u8; MAX_SECRET],
}

impl PasswordBuf {
    /// Validates `s` as a `kind` password and copies it.
    pub fn new(kind: SecretKind, s: &str) -> Result<Self, EncodeError> {
        Password::new(kind, s).map(Self::from)
    }

    /// The validated password.
    pub fn password(&self) -> Password<'_> {
        let bytes = self.bytes.get(..usize::from(self.len));
        debug_assert!(bytes.is_some(), "the length never exceeds the buffer");
        Password {
            kind: self.kind,
            bytes: bytes.unwrap_or_default(),
        }
    }

    /// Overwrites the password with zeros; it is empty afterwards.
    pub fn wipe(&mut self) {
        self.bytes = [0; MAX_SECRET];
        self.len = 0;
    }
}

impl From<Password<'_>> for PasswordBuf {
    fn from(p: Password<'_>) -> Self {
        let mut bytes = [0; MAX_SECRET];
        debug_assert!(p.bytes.len() <= MAX_SECRET, "a validated password fits");
        let len = p.bytes.len().min(MAX_SECRET);
        if let (Some(dst), Some(src)) = (bytes.get_mut(..len), p.bytes.get(..len)) {
            dst.copy_from_slice(src);
        }
        Self {
            kind: p.kind,
            len: len as u8,
            bytes,
        }
    }
}

impl Drop for PasswordBuf {
    fn drop(&mut self) {
        self.wipe();
    }
}

impl fmt::Debug for PasswordBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordBuf(<redacted>)")
    }
}
