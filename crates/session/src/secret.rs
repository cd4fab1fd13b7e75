//! The password's one place in the session: a [`Secret`] slot beside each
//! job slot, written straight from the caller's `&str` when a configure job
//! is queued, read in place when `AT+FTPPW` is encoded, and wiped with
//! `zeroize` once the modem has answered `AT+FTPPW`, when the job ends, and
//! when the session is dropped. It is never moved or copied anywhere else.

use cellftp_proto::{Password, MAX_TEXT};
use zeroize::Zeroize;

/// A password's bytes, in place.
pub(crate) struct Secret {
    len: u8,
    bytes: [u8; MAX_TEXT],
}

impl Secret {
    /// An empty slot.
    pub(crate) const fn new() -> Self {
        Self {
            len: 0,
            bytes: [0; MAX_TEXT],
        }
    }

    /// Copies `password` (validated, so at most [`MAX_TEXT`] bytes) from the
    /// caller's bytes into the slot.
    pub(crate) fn set(&mut self, password: Password<'_>) {
        self.wipe();
        let src = password.expose();
        debug_assert!(src.len() <= MAX_TEXT, "a validated password fits");
        let len = src.len().min(MAX_TEXT);
        if let (Some(dst), Some(src)) = (self.bytes.get_mut(..len), src.get(..len)) {
            dst.copy_from_slice(src);
        }
        self.len = len as u8;
    }

    /// The password, if the slot holds one.
    pub(crate) fn get(&self) -> Option<Password<'_>> {
        if self.len == 0 {
            return None;
        }
        let bytes = self.bytes.get(..usize::from(self.len)).unwrap_or_default();
        let password = Password::from_bytes(bytes);
        debug_assert!(password.is_ok(), "the slot holds a validated password");
        password.ok()
    }

    /// Overwrites the slot with zeros, in a way the compiler keeps.
    pub(crate) fn wipe(&mut self) {
        self.bytes.zeroize();
        self.len.zeroize();
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.wipe();
    }
}
