//! The password's one place in the session: a [`Secret`] slot beside each
//! job slot, written straight from the caller's `&str` when a configure job
//! is queued, read in place when `AT+FTPPW` is encoded, and wiped with
//! `zeroize` once the modem has answered `AT+FTPPW`, when the job ends, and
//! when the session is dropped. It is never moved or copied anywhere else.

use cellftp_proto::{Password, PasswordSlot};
use zeroize::Zeroize;

/// A password's bytes, in place: proto's [`PasswordSlot`], which holds a
/// validated password and gives it back without checking it again, wiped
/// with `zeroize`.
pub(crate) struct Secret(PasswordSlot);

impl Secret {
    /// An empty slot.
    pub(crate) const fn new() -> Self {
        Self(PasswordSlot::new())
    }

    /// Copies `password` from the caller's bytes into the slot.
    pub(crate) fn set(&mut self, password: Password<'_>) {
        self.wipe();
        self.0.fill(password);
    }

    /// The password; `None` only if the slot is empty (never filled, or
    /// wiped).
    pub(crate) fn get(&self) -> Option<Password<'_>> {
        self.0.password()
    }

    /// Empties the slot and overwrites its bytes with zeros, in a way the
    /// compiler keeps.
    pub(crate) fn wipe(&mut self) {
        self.0.clear(|bytes| bytes.zeroize());
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.wipe();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slot_gives_back_what_it_was_given_until_wiped() {
        let mut secret = Secret::new();
        assert_eq!(secret.get(), None);
        secret.set(Password::new("a longer password").unwrap());
        secret.set(Password::new("short").unwrap());
        assert_eq!(secret.get().map(|p| p.expose()), Some(&b"short"[..]));
        secret.wipe();
        assert_eq!(secret.get(), None);
    }
}
