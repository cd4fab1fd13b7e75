//! A timer table, after quinn-proto's: one deadline slot per timer, named
//! by a small enum, and the earliest of them what the session's
//! `poll_timeout` reports. The channel keeps one for its own timers
//! ([`super::Timer`]); a dialect may keep another for its jobs' timers.

use core::marker::PhantomData;

use crate::Instant;

/// When each of `N` timers fires, if it is set. `T` names the timers; its
/// `usize` value is the slot.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timers<T, const N: usize> {
    at: [Option<Instant>; N],
    names: PhantomData<T>,
}

impl<T: Into<usize>, const N: usize> Timers<T, N> {
    /// A table with no timer set.
    pub(crate) const fn new() -> Self {
        Self {
            at: [None; N],
            names: PhantomData,
        }
    }

    /// Sets `timer` to fire at `at`.
    pub(crate) fn set(&mut self, timer: T, at: Instant) {
        if let Some(slot) = self.at.get_mut(timer.into()) {
            *slot = Some(at);
        }
    }

    /// Stops `timer`.
    pub(crate) fn stop(&mut self, timer: T) {
        if let Some(slot) = self.at.get_mut(timer.into()) {
            *slot = None;
        }
    }

    /// When `timer` fires, if it is set.
    pub(crate) fn get(&self, timer: T) -> Option<Instant> {
        self.at.get(timer.into()).copied().flatten()
    }

    /// When the first timer set fires.
    pub(crate) fn next(&self) -> Option<Instant> {
        self.at.iter().flatten().min().copied()
    }
}

impl<T: Into<usize>, const N: usize> Default for Timers<T, N> {
    fn default() -> Self {
        Self::new()
    }
}
