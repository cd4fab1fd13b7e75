//! Time as the caller tells it: the session never reads a clock. Under
//! `std`, [`StdClock`] maps `std::time::Instant` to session instants.

use core::ops::Add;
use core::time::Duration;

/// A point in time, in milliseconds since an epoch the caller chooses (boot,
/// the start of the program, …). Only differences matter.
///
/// ```
/// use cellftp_session::Instant;
/// use core::time::Duration;
/// let t = Instant::from_millis(1_000);
/// assert_eq!(t + Duration::from_millis(20), Instant::from_millis(1_020));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(u64);

impl Instant {
    /// The instant `millis` milliseconds after the epoch.
    pub const fn from_millis(millis: u64) -> Self {
        Self(millis)
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// How long after `earlier` this is; zero if it is not after it.
    pub fn saturating_duration_since(self, earlier: Instant) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;

    /// Saturates instead of overflowing. Not inlined: every deadline the
    /// session sets is one, and on a 32-bit microcontroller each copy of
    /// `Duration::as_millis`'s 128-bit arithmetic costs about 60 bytes.
    #[inline(never)]
    fn add(self, d: Duration) -> Instant {
        let ms = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        Instant(self.0.saturating_add(ms))
    }
}

impl From<Duration> for Instant {
    /// The instant `d` after the epoch (whole milliseconds; saturates).
    fn from(d: Duration) -> Instant {
        Instant::default() + d
    }
}

impl From<Instant> for Duration {
    /// How long after the epoch `t` is.
    fn from(t: Instant) -> Duration {
        Duration::from_millis(t.0)
    }
}

/// Maps the standard library's clock to session [`Instant`]s: the epoch is
/// a `std::time::Instant` the caller picks (usually the program's start).
///
/// ```
/// use cellftp_session::{Instant, StdClock};
/// use std::time::Duration;
/// let origin = std::time::Instant::now();
/// let clock = StdClock::new(origin);
/// let later = origin + Duration::from_millis(1_500);
/// assert_eq!(clock.to_session(later), Instant::from_millis(1_500));
/// assert_eq!(clock.to_std(Instant::from_millis(1_500)), Some(later));
/// assert!(clock.now() >= Instant::from_millis(0));
/// ```
#[cfg(feature = "std")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StdClock {
    origin: std::time::Instant,
}

#[cfg(feature = "std")]
impl StdClock {
    /// A clock whose epoch is `origin`.
    pub fn new(origin: std::time::Instant) -> Self {
        Self { origin }
    }

    /// The current time.
    pub fn now(&self) -> Instant {
        self.to_session(std::time::Instant::now())
    }

    /// `t` as a session instant (the epoch if `t` is before it).
    pub fn to_session(&self, t: std::time::Instant) -> Instant {
        Instant::from(t.saturating_duration_since(self.origin))
    }

    /// `t` as a `std::time::Instant`; `None` if the platform's clock
    /// cannot represent it.
    pub fn to_std(&self, t: Instant) -> Option<std::time::Instant> {
        self.origin.checked_add(Duration::from(t))
    }
}
