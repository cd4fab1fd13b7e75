//! Time as the caller tells it: the session never reads a clock.

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

    /// Saturates instead of overflowing.
    fn add(self, d: Duration) -> Instant {
        let ms = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        Instant(self.0.saturating_add(ms))
    }
}
