//! Validated string parameters: the only way a user-supplied string reaches
//! an AT command line.
//!
//! The modem's string parameters are not quoted (`AT+FTPUN=xs`), so any byte
//! that could end the line (CR, LF), cut it short (NUL), or re-parameterise it
//! (`"`, `,`, `;`) would let a file name inject commands. [`Text::new`],
//! [`Password::new`] and [`Host::new`] refuse such input up front, so a value
//! of these types can always be encoded.

use core::fmt;
use core::net::Ipv4Addr;

use crate::error::{EncodeError, TextKind};
use crate::lex::parse_u32;
use crate::limits::MAX_TEXT;

/// True for the bytes allowed inside an unquoted string parameter: printable
/// ASCII except `"`, `,` and `;`.
const fn is_text_byte(b: u8) -> bool {
    matches!(b, 0x20..=0x7e) && !matches!(b, b'"' | b',' | b';')
}

/// Checks `bytes` against the string-parameter rules of `SPEC.md`: 1 to
/// [`MAX_TEXT`] bytes of printable ASCII without `"`, `,` or `;`, no leading
/// or trailing space, and not a lone `?` (`AT+FTPUN=?` is the test form).
pub(crate) fn validate(kind: TextKind, bytes: &[u8]) -> Result<(), EncodeError> {
    if bytes.is_empty() {
        return Err(EncodeError::Empty { field: kind });
    }
    if bytes.len() > MAX_TEXT {
        return Err(EncodeError::TooLong {
            field: kind,
            max: MAX_TEXT,
            len: bytes.len(),
        });
    }
    if let Some(offset) = bytes.iter().position(|&b| !is_text_byte(b)) {
        // The byte itself is withheld for passwords: errors never carry secrets.
        let byte = bytes
            .get(offset)
            .copied()
            .filter(|_| kind != TextKind::Password);
        return Err(EncodeError::ForbiddenByte {
            field: kind,
            offset,
            byte,
        });
    }
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return Err(EncodeError::EdgeSpace { field: kind });
    }
    if bytes == b"?" {
        // It would turn `AT+NAME=<value>` into the test command.
        return Err(EncodeError::ForbiddenByte {
            field: kind,
            offset: 0,
            byte: Some(b'?').filter(|_| kind != TextKind::Password),
        });
    }
    Ok(())
}

fn as_str(bytes: &[u8]) -> &str {
    // Validated values are ASCII, so this never falls back.
    let s = core::str::from_utf8(bytes);
    debug_assert!(s.is_ok(), "a validated value is ASCII");
    s.unwrap_or("")
}

/// A validated string parameter: user name, file name, path or directory.
/// Never a password: [`Text::new`] refuses [`TextKind::Password`]
/// ([`EncodeError::PasswordAsText`]), so no command that takes a `Text` (and
/// no `Debug` output of one) can carry a password; passwords are
/// [`Password`]s.
///
/// ```
/// use cellftp_proto::{EncodeError, Text, TextKind};
/// assert!(Text::new(TextKind::FileName, "12.txt").is_ok());
/// assert!(Text::new(TextKind::FileName, "a\r\nAT+FTPQUIT").is_err());
/// assert_eq!(
///     Text::new(TextKind::Password, "hunter2"),
///     Err(EncodeError::PasswordAsText)
/// );
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Text<'a> {
    kind: TextKind,
    bytes: &'a [u8],
}

impl<'a> Text<'a> {
    /// Validates `s` as a `kind` parameter.
    pub fn new(kind: TextKind, s: &'a str) -> Result<Self, EncodeError> {
        Self::from_bytes(kind, s.as_bytes())
    }

    /// Validates raw bytes as a `kind` parameter; a password is refused
    /// ([`EncodeError::PasswordAsText`]).
    pub fn from_bytes(kind: TextKind, bytes: &'a [u8]) -> Result<Self, EncodeError> {
        if kind == TextKind::Password {
            return Err(EncodeError::PasswordAsText);
        }
        validate(kind, bytes)?;
        Ok(Self { kind, bytes })
    }

    /// Which parameter this is.
    pub fn kind(&self) -> TextKind {
        self.kind
    }

    /// The value as sent.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The value as a string (always ASCII).
    pub fn as_str(&self) -> &'a str {
        as_str(self.bytes)
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// A validated `AT+FTPPW` password. Its `Debug` output is redacted; the only
/// way to its bytes is [`Password::expose`], which the encoder calls.
///
/// ```
/// use cellftp_proto::Password;
/// let pw = Password::new("hunter2")?;
/// assert_eq!(format!("{pw:?}"), "Password(<redacted>)");
/// # Ok::<(), cellftp_proto::EncodeError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Password<'a>(&'a [u8]);

impl<'a> Password<'a> {
    /// Validates `s` as a password.
    pub fn new(s: &'a str) -> Result<Self, EncodeError> {
        Self::from_bytes(s.as_bytes())
    }

    /// Validates raw bytes as a password.
    pub fn from_bytes(bytes: &'a [u8]) -> Result<Self, EncodeError> {
        validate(TextKind::Password, bytes)?;
        Ok(Self(bytes))
    }

    /// The secret bytes. Named so that every use stands out in review.
    pub fn expose(&self) -> &'a [u8] {
        self.0
    }
}

impl fmt::Debug for Password<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// A validated `AT+FTPSERV` server address: an IPv4 dotted quad (as
/// [`Ipv4Addr`] reads one: four decimal parts 0 to 255 without leading
/// zeros) or a DNS host name (RFC 1123 labels), at most [`MAX_TEXT`] bytes.
///
/// ```
/// use cellftp_proto::Host;
/// assert!(Host::new("47.104.157.10").is_ok());
/// assert!(Host::new("ftp.example.com").is_ok());
/// assert!(Host::new("1.2.3.4\rAT").is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Host<'a>(&'a [u8]);

impl<'a> Host<'a> {
    /// Validates `s` as a server address.
    pub fn new(s: &'a str) -> Result<Self, EncodeError> {
        Self::from_bytes(s.as_bytes())
    }

    /// Validates raw bytes as a server address.
    pub fn from_bytes(bytes: &'a [u8]) -> Result<Self, EncodeError> {
        validate(TextKind::Server, bytes)?;
        if let Some(offset) = host_error(bytes) {
            return Err(EncodeError::InvalidHost { offset });
        }
        Ok(Self(bytes))
    }

    /// The address as sent.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.0
    }

    /// The address as a string (always ASCII).
    pub fn as_str(&self) -> &'a str {
        as_str(self.0)
    }
}

impl fmt::Debug for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Returns the offset of the first offending byte if `bytes` is neither an
/// IPv4 dotted quad nor an RFC 1123 host name.
///
/// A value of digits and dots only is an address: [`Ipv4Addr`] decides, and
/// a refusal points at the first part that is not a number from 0 to 255
/// written without leading zeros (at the start when the parts are merely
/// too few or too many). The parts are read by the lexer's `parse_u32`,
/// straight from the bytes: no conversion to `str` for each.
fn host_error(bytes: &[u8]) -> Option<usize> {
    if bytes.iter().all(|b| b.is_ascii_digit() || *b == b'.') {
        let parsed = core::str::from_utf8(bytes)
            .ok()
            .and_then(|s| s.parse::<Ipv4Addr>().ok());
        return match parsed {
            Some(_) => None,
            None => Some(
                first_bad_label(bytes, |l| {
                    let leading_zero = l.len() > 1 && l.first() == Some(&b'0');
                    leading_zero || parse_u32(l).map_or(true, |n| n > 255)
                })
                .unwrap_or(0),
            ),
        };
    }
    first_bad_label(bytes, |label| {
        label.is_empty()
            || label.len() > 63
            || label.first() == Some(&b'-')
            || label.last() == Some(&b'-')
            || !label
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    })
}

/// The offset of the first dot-separated label of `bytes` that is `bad`.
fn first_bad_label(bytes: &[u8], bad: impl Fn(&[u8]) -> bool) -> Option<usize> {
    let mut start = 0;
    for label in bytes.split(|&b| b == b'.') {
        if bad(label) {
            return Some(start);
        }
        start += label.len() + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rules() {
        use EncodeError::*;
        let k = TextKind::FileName;
        assert!(Text::new(k, "12.txt").is_ok());
        assert!(Text::new(k, "my file.txt").is_ok());
        assert!(Text::new(k, &"a".repeat(64)).is_ok());
        assert_eq!(
            Text::new(k, &"a".repeat(65)),
            Err(TooLong {
                field: k,
                max: 64,
                len: 65
            })
        );
        assert_eq!(Text::new(k, ""), Err(Empty { field: k }));
        for (s, off, b) in [
            ("a\rb", 1, b'\r'),
            ("a\nb", 1, b'\n'),
            ("a\0b", 1, 0),
            ("\"a", 0, b'"'),
            ("a,b", 1, b','),
            ("a;b", 1, b';'),
            ("a\tb", 1, b'\t'),
            ("a\x7fb", 1, 0x7f),
            ("é", 0, 0xc3),
        ] {
            assert_eq!(
                Text::new(k, s),
                Err(ForbiddenByte {
                    field: k,
                    offset: off,
                    byte: Some(b)
                }),
                "{s:?}"
            );
        }
        assert_eq!(Text::new(k, " a"), Err(EdgeSpace { field: k }));
        assert_eq!(Text::new(k, "a "), Err(EdgeSpace { field: k }));
    }

    /// A password is never a `Text`, so it can never be shown as one (its
    /// `Debug` is the plain string) nor sent in a command that takes one
    /// (`AT+FTPUN=<password>`).
    #[test]
    fn a_password_is_never_text() {
        let refused = EncodeError::PasswordAsText;
        assert_eq!(Text::new(TextKind::Password, "hunter2"), Err(refused));
        assert_eq!(
            Text::from_bytes(TextKind::Password, b"hunter2"),
            Err(refused)
        );
        assert_eq!(TextBuf::new(TextKind::Password, "hunter2"), Err(refused));
    }

    #[test]
    fn password_errors_hide_the_byte() {
        assert_eq!(
            Password::new("se\ncret"),
            Err(EncodeError::ForbiddenByte {
                field: TextKind::Password,
                offset: 2,
                byte: None
            })
        );
        let pw = Password::new("secret").unwrap();
        assert!(!std::format!("{pw:?}").contains("secret"));
        assert_eq!(pw.expose(), b"secret");
    }

    #[test]
    fn hosts() {
        for ok in [
            "47.104.157.10",
            "0.0.0.0",
            "255.255.255.255",
            "ftp.example.com",
            "a",
            "x-1.y",
        ] {
            assert!(Host::new(ok).is_ok(), "{ok}");
        }
        for (bad, off) in [
            ("256.1.1.1", 0),
            ("1.2.3", 0),
            ("1.2.3.4.5", 0),
            ("01.2.3.4", 0),
            ("1..2.3", 2),
            ("-a.com", 0),
            ("a-.com", 0),
            ("a.b_c", 2),
            ("a b", 0),
        ] {
            assert_eq!(
                Host::new(bad),
                Err(EncodeError::InvalidHost { offset: off }),
                "{bad}"
            );
        }
        assert!(matches!(
            Host::new("1.2.3.4\r"),
            Err(EncodeError::ForbiddenByte { .. })
        ));
    }

    /// The parts of a refused dotted quad are judged as `u8::from_str`
    /// would judge them, leading zeros refused: every string of up to four
    /// digits, and longer ones.
    #[test]
    fn address_parts_read_as_u8_reads_them() {
        let mut parts: std::vec::Vec<std::string::String> = std::vec![std::string::String::new()];
        for len in 1..=4u32 {
            for n in 0..10u32.pow(len) {
                parts.push(std::format!("{n:0width$}", width = len as usize));
            }
        }
        parts.extend(["00000000000", "99999999999", "4294967296"].map(std::string::String::from));
        for part in parts {
            let leading_zero = part.len() > 1 && part.starts_with('0');
            assert_eq!(
                leading_zero || parse_u32(part.as_bytes()).map_or(true, |n| n > 255),
                leading_zero || part.parse::<u8>().is_err(),
                "{part}"
            );
        }
    }

    #[test]
    fn spec_2_2_refuses_these_ipv4_addresses() {
        // SPEC.md §2.2: a value of digits and dots is an IPv4 address with
        // exactly four parts 0 to 255, without leading zeros.
        for bad in ["01.2.3.4", "1.2.3", "256.1.1.1"] {
            assert_eq!(
                Host::new(bad),
                Err(EncodeError::InvalidHost { offset: 0 }),
                "{bad}"
            );
        }
        assert!(Host::new("1.2.3.4").is_ok());
        assert!(Host::new("10.0.0.0").is_ok());
    }

    #[test]
    fn host_edges() {
        use EncodeError::*;
        let k = TextKind::Server;
        let label63 = "a".repeat(63);
        let name64 = std::format!("{}.{}", "b".repeat(31), "c".repeat(32));
        for ok in [
            label63.as_str(),
            name64.as_str(),
            "localhost",
            "xn--80ak6aa92e.com",
            "1.2.3.4a",
            "9.99.199.249",
        ] {
            assert_eq!(Host::new(ok).map(|h| h.as_str()), Ok(ok));
        }
        let label64 = "a".repeat(64);
        let name65 = std::format!("{}.{}", "b".repeat(32), "c".repeat(32));
        for (bad, err) in [
            ("", Empty { field: k }),
            (
                name65.as_str(),
                TooLong {
                    field: k,
                    max: 64,
                    len: 65,
                },
            ),
            (label64.as_str(), InvalidHost { offset: 0 }),
            (".a", InvalidHost { offset: 0 }),
            ("a.com.", InvalidHost { offset: 6 }),
            ("1.2.3.4.", InvalidHost { offset: 8 }),
            ("1.2.3.256", InvalidHost { offset: 6 }),
            ("1.2.3.0400", InvalidHost { offset: 6 }),
            ("999.1.1.1", InvalidHost { offset: 0 }),
            ("1.2.3.-4", InvalidHost { offset: 6 }),
            ("1234", InvalidHost { offset: 0 }),
            ("a?", InvalidHost { offset: 0 }),
            (
                "?",
                ForbiddenByte {
                    field: k,
                    offset: 0,
                    byte: Some(b'?'),
                },
            ),
            (" 1.2.3.4", EdgeSpace { field: k }),
            ("1.2.3.4 ", EdgeSpace { field: k }),
            (
                "a,b",
                ForbiddenByte {
                    field: k,
                    offset: 1,
                    byte: Some(b','),
                },
            ),
            (
                "a;b",
                ForbiddenByte {
                    field: k,
                    offset: 1,
                    byte: Some(b';'),
                },
            ),
            (
                "1.2.3.4\nAT",
                ForbiddenByte {
                    field: k,
                    offset: 7,
                    byte: Some(b'\n'),
                },
            ),
        ] {
            assert_eq!(Host::new(bad), Err(err), "{bad:?}");
        }
    }

    #[test]
    fn password_rules() {
        use EncodeError::*;
        let k = TextKind::Password;
        assert_eq!(Password::new(""), Err(Empty { field: k }));
        assert_eq!(
            Password::new(&"p".repeat(65)),
            Err(TooLong {
                field: k,
                max: 64,
                len: 65
            })
        );
        assert!(Password::new(&"p".repeat(64)).is_ok());
        assert_eq!(Password::new(" pw"), Err(EdgeSpace { field: k }));
        assert_eq!(
            Password::from_bytes(b"p\xffw"),
            Err(ForbiddenByte {
                field: k,
                offset: 1,
                byte: None
            })
        );
        // Refusing a password never shows it.
        let err = Password::new("hunter2\r").unwrap_err();
        assert!(!std::format!("{err} {err:?}").contains("hunter2"));
    }

    #[test]
    fn a_lone_question_mark_is_the_test_form() {
        // `AT+FTPUN=?` asks for the accepted values; it cannot set `?`.
        assert_eq!(
            Text::new(TextKind::User, "?"),
            Err(EncodeError::ForbiddenByte {
                field: TextKind::User,
                offset: 0,
                byte: Some(b'?')
            })
        );
        assert_eq!(
            Password::new("?"),
            Err(EncodeError::ForbiddenByte {
                field: TextKind::Password,
                offset: 0,
                byte: None
            })
        );
        for ok in ["??", "?a", "a?", "what?"] {
            assert!(Text::new(TextKind::FileName, ok).is_ok(), "{ok}");
            assert!(Password::new(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn accessors() {
        let t = Text::from_bytes(TextKind::Path, b"/docs").unwrap();
        assert_eq!(t.kind(), TextKind::Path);
        assert_eq!(t.as_bytes(), b"/docs");
        assert_eq!(t.as_str(), "/docs");
        assert_eq!(std::format!("{t:?}"), "\"/docs\"");
        let h = Host::from_bytes(b"1.2.3.4").unwrap();
        assert_eq!(h.as_bytes(), b"1.2.3.4");
        assert_eq!(std::format!("{h:?}"), "\"1.2.3.4\"");
        assert_eq!(std::format!("{}", TextKind::PutData), "upload data");
    }
}

/// At most [`MAX_TEXT`] validated bytes, owned. Only the `*Buf` types below
/// make one, from a value that passed validation.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Inline {
    len: u8,
    bytes: [u8; MAX_TEXT],
}

impl Inline {
    /// Copies `src`, which validation kept to at most [`MAX_TEXT`] bytes.
    fn copy(src: &[u8]) -> Self {
        debug_assert!(src.len() <= MAX_TEXT, "a validated value fits");
        let mut bytes = [0; MAX_TEXT];
        let len = src.len().min(MAX_TEXT);
        if let (Some(dst), Some(src)) = (bytes.get_mut(..len), src.get(..len)) {
            dst.copy_from_slice(src);
        }
        Self {
            len: len as u8,
            bytes,
        }
    }

    /// Copies `src`, which validation kept to at most [`MAX_TEXT`] bytes,
    /// over this value, where it lies; the bytes after it are zeroed.
    fn fill(&mut self, src: &[u8]) {
        debug_assert!(src.len() <= MAX_TEXT, "a validated value fits");
        let len = src.len().min(MAX_TEXT);
        let (head, tail) = self.bytes.split_at_mut(len);
        if let Some(src) = src.get(..len) {
            head.copy_from_slice(src);
        }
        tail.fill(0);
        self.len = len as u8;
    }

    /// The value. Not inlined: every job reads its names through it, and
    /// one copy of the check is enough.
    #[inline(never)]
    fn get(&self) -> &[u8] {
        let value = self.bytes.get(..usize::from(self.len));
        debug_assert!(value.is_some(), "the length never exceeds the buffer");
        value.unwrap_or_default()
    }
}

/// An owned [`Text`]: a validated string parameter copied into a fixed-size
/// buffer, so that it can be kept without borrowing from the caller.
/// [`TextBuf::text`] gives the [`Text`] back without validating again.
///
/// ```
/// use cellftp_proto::{TextBuf, TextKind};
/// let name = TextBuf::new(TextKind::FileName, "12.txt")?;
/// assert_eq!(name.text().as_str(), "12.txt");
/// assert!(TextBuf::new(TextKind::FileName, "a\rb").is_err());
/// # Ok::<(), cellftp_proto::EncodeError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TextBuf {
    kind: TextKind,
    value: Inline,
}

impl TextBuf {
    /// Validates `s` as a `kind` parameter and copies it.
    pub fn new(kind: TextKind, s: &str) -> Result<Self, EncodeError> {
        Text::new(kind, s).map(Self::from)
    }

    /// The validated value.
    pub fn text(&self) -> Text<'_> {
        Text {
            kind: self.kind,
            bytes: self.value.get(),
        }
    }
}

impl From<Text<'_>> for TextBuf {
    fn from(text: Text<'_>) -> Self {
        Self {
            kind: text.kind,
            value: Inline::copy(text.bytes),
        }
    }
}

impl fmt::Debug for TextBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text(), f)
    }
}

/// An owned [`Host`], like [`TextBuf`].
///
/// ```
/// use cellftp_proto::HostBuf;
/// assert_eq!(HostBuf::new("47.104.157.10")?.host().as_str(), "47.104.157.10");
/// # Ok::<(), cellftp_proto::EncodeError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct HostBuf(Inline);

impl HostBuf {
    /// Validates `s` as a server address and copies it.
    pub fn new(s: &str) -> Result<Self, EncodeError> {
        Host::new(s).map(Self::from)
    }

    /// The validated address.
    pub fn host(&self) -> Host<'_> {
        Host(self.0.get())
    }
}

impl From<Host<'_>> for HostBuf {
    fn from(host: Host<'_>) -> Self {
        Self(Inline::copy(host.0))
    }
}

impl fmt::Debug for HostBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.host(), f)
    }
}

/// An owned [`Password`], like [`TextBuf`]. It is not `Clone` or `Copy`, so
/// that the secret is not copied by accident; `Debug` hides it, and its
/// bytes are overwritten with zeros where it lies when it is dropped
/// (assigning over it included).
///
/// ```
/// use cellftp_proto::PasswordBuf;
/// let pw = PasswordBuf::new("hunter2")?;
/// assert_eq!(pw.password().expose(), b"hunter2");
/// assert_eq!(format!("{pw:?}"), "PasswordBuf(<redacted>)");
/// # Ok::<(), cellftp_proto::EncodeError>(())
/// ```
#[derive(PartialEq, Eq)]
pub struct PasswordBuf(Inline);

impl PasswordBuf {
    /// Validates `s` as a password and copies it.
    pub fn new(s: &str) -> Result<Self, EncodeError> {
        Password::new(s).map(Self::from)
    }

    /// The validated password.
    pub fn password(&self) -> Password<'_> {
        Password(self.0.get())
    }
}

impl From<Password<'_>> for PasswordBuf {
    fn from(password: Password<'_>) -> Self {
        Self(Inline::copy(password.0))
    }
}

impl Drop for PasswordBuf {
    fn drop(&mut self) {
        self.0.bytes = [0; MAX_TEXT];
        self.0.len = 0;
    }
}

impl fmt::Debug for PasswordBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordBuf(<redacted>)")
    }
}

/// One fixed place for a [`Password`], filled and emptied where it lies:
/// empty, or holding a validated password that [`PasswordSlot::password`]
/// hands back without validating it again. For a caller that must keep the
/// password in one spot from the moment it is copied from the caller's
/// string (a [`PasswordBuf`] is made by value, and may be moved). Not
/// `Clone`; `Debug` hides the password; dropping it overwrites it with
/// zeros.
///
/// ```
/// use cellftp_proto::{Password, PasswordSlot};
/// let mut slot = PasswordSlot::new();
/// assert_eq!(slot.password(), None);
/// slot.fill(Password::new("hunter2")?);
/// assert_eq!(slot.password().map(|p| p.expose()), Some(&b"hunter2"[..]));
/// slot.clear(|bytes| bytes.fill(0));
/// assert_eq!(slot.password(), None);
/// assert_eq!(format!("{slot:?}"), "PasswordSlot(<empty>)");
/// # Ok::<(), cellftp_proto::EncodeError>(())
/// ```
pub struct PasswordSlot(Inline);

impl PasswordSlot {
    /// An empty slot.
    pub const fn new() -> Self {
        Self(Inline {
            len: 0,
            bytes: [0; MAX_TEXT],
        })
    }

    /// Copies `password`'s bytes into the slot, over what it held (the
    /// bytes after them are zeroed).
    pub fn fill(&mut self, password: Password<'_>) {
        self.0.fill(password.0);
    }

    /// The password the slot holds; `None` once emptied. A validated
    /// password is never empty, so an empty slot is told apart by its
    /// length alone.
    pub fn password(&self) -> Option<Password<'_>> {
        (self.0.len > 0).then(|| Password(self.0.get()))
    }

    /// Empties the slot, then hands every byte of it to `wipe` to overwrite
    /// (with `zeroize`, say): they no longer hold a password, so nothing
    /// `wipe` writes is ever read as one.
    pub fn clear(&mut self, wipe: impl FnOnce(&mut [u8; MAX_TEXT])) {
        self.0.len = 0;
        wipe(&mut self.0.bytes);
    }
}

impl Default for PasswordSlot {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for PasswordSlot {
    fn drop(&mut self) {
        self.clear(|bytes| *bytes = [0; MAX_TEXT]);
    }
}

impl fmt::Debug for PasswordSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.len == 0 {
            "PasswordSlot(<empty>)"
        } else {
            "PasswordSlot(<redacted>)"
        })
    }
}

#[cfg(test)]
mod slot_tests {
    use super::*;

    #[test]
    fn a_slot_keeps_one_password_in_place() {
        let mut slot = PasswordSlot::new();
        slot.fill(Password::new("a much longer password").unwrap());
        slot.fill(Password::new("short").unwrap());
        assert_eq!(slot.password().map(|p| p.expose()), Some(&b"short"[..]));
        // Nothing of the longer one is left behind the shorter one.
        assert!(slot.0.bytes[5..].iter().all(|&b| b == 0));
        assert!(!std::format!("{slot:?}").contains("short"));
        let mut seen = 0;
        slot.clear(|bytes| {
            seen = bytes.len();
            bytes.fill(0xff);
        });
        assert_eq!(seen, MAX_TEXT);
        // What the wipe wrote is not a password.
        assert_eq!(slot.password(), None);
    }
}
