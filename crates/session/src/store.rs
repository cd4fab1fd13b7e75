//! Fixed-size copies of validated string parameters, so that queued jobs
//! borrow nothing from the caller and the session never allocates.

use core::fmt;

use cellftp_proto::{EncodeError, Host, Password, Text, TextKind, MAX_TEXT};

/// A validated string parameter of at most [`MAX_TEXT`] bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Inline {
    len: u8,
    buf: [u8; MAX_TEXT],
}

impl Inline {
    fn copy(bytes: &[u8]) -> Self {
        let mut buf = [0; MAX_TEXT];
        let len = bytes.len().min(MAX_TEXT);
        if let (Some(dst), Some(src)) = (buf.get_mut(..len), bytes.get(..len)) {
            dst.copy_from_slice(src);
        }
        Self {
            len: len as u8,
            buf,
        }
    }

    /// Validates `s` as a `kind` parameter and copies it.
    pub(crate) fn text(kind: TextKind, s: &str) -> Result<Self, EncodeError> {
        Text::new(kind, s).map(|t| Self::copy(t.as_bytes()))
    }

    /// Validates `s` as a server address and copies it.
    pub(crate) fn host(s: &str) -> Result<Self, EncodeError> {
        Host::new(s).map(|h| Self::copy(h.as_bytes()))
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.buf.get(..usize::from(self.len)).unwrap_or_default()
    }
}

impl fmt::Debug for Inline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(core::str::from_utf8(self.as_bytes()).unwrap_or("?"), f)
    }
}

/// A validated password. `Debug` hides it; it is wiped when dropped.
#[derive(PartialEq, Eq)]
pub(crate) struct Secret(Inline);

impl Secret {
    pub(crate) fn new(s: &str) -> Result<Self, EncodeError> {
        Password::new(s).map(|p| Self(Inline::copy(p.expose())))
    }

    pub(crate) fn password(&self) -> Option<Password<'_>> {
        Password::from_bytes(self.0.as_bytes()).ok()
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.buf = [0; MAX_TEXT];
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
