//! The trace hook: every command line sent and every line received, handed
//! to a function the caller sets with [`crate::Session::set_trace`], with
//! passwords redacted by proto's one rule ([`cellftp_proto::secret_ranges`]).
//! Unset, it costs one branch per line. With the `tracing` feature,
//! [`to_tracing`] is a ready-made hook that logs through `tracing`.

use core::fmt;
use core::ops::Range;

use cellftp_proto::{secret_ranges, SecretRanges, REDACTED};

use crate::slice::within;

/// Which way a traced line went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// From the host to the modem (a command line, CR included).
    Sent,
    /// From the modem to the host (one item: a line, or a payload fragment
    /// with its header), without its line ends.
    Received,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Sent => ">",
            Direction::Received => "<",
        })
    }
}

/// The function [`crate::Session::set_trace`] takes: called for every
/// line, in order, while the session handles it. It must not block.
pub type TraceFn = fn(Direction, TraceLine<'_>);

/// A ready-made hook for [`crate::Session::set_trace`] and
/// [`crate::simcom::Session::set_trace`] (feature `tracing`): logs every
/// line as a `DEBUG` event with target `cellftp_session::at`, the direction
/// (`>` sent, `<` received) in the field `direction` and the line, passwords
/// redacted and other bytes escaped, as the message.
///
/// ```
/// let mut session = cellftp_session::Session::default();
/// session.set_trace(Some(cellftp_session::to_tracing));
/// ```
#[cfg(feature = "tracing")]
pub fn to_tracing(direction: Direction, line: TraceLine<'_>) {
    tracing::debug!(target: "cellftp_session::at", %direction, "{line}");
}

/// One traced line, passwords redacted. It never gives out the bytes a
/// password was in: read it as [`TraceLine::segments`], or print it
/// (`Display` escapes what is not printable ASCII and shows each password
/// as `<redacted>`).
///
/// ```
/// use cellftp_session::{Direction, Session, TraceLine};
/// fn print(direction: Direction, line: TraceLine<'_>) {
///     println!("{direction} {line}"); // `> AT+FTPPW=<redacted>\r`
/// }
/// let mut session = Session::default();
/// session.set_trace(Some(print));
/// ```
#[derive(Clone, Copy)]
pub struct TraceLine<'a>(&'a [u8]);

impl<'a> TraceLine<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self(bytes)
    }

    /// The line as shown text and hidden values, in order.
    pub fn segments(&self) -> Segments<'a> {
        Segments {
            bytes: self.0,
            at: 0,
            secrets: secret_ranges(self.0),
            next: None,
        }
    }
}

/// A piece of a [`TraceLine`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Bytes shown as they are.
    Shown(&'a [u8]),
    /// A password value, withheld.
    Redacted,
}

/// The iterator [`TraceLine::segments`] returns.
pub struct Segments<'a> {
    bytes: &'a [u8],
    at: usize,
    secrets: SecretRanges<'a>,
    next: Option<Range<usize>>,
}

impl<'a> Iterator for Segments<'a> {
    type Item = Segment<'a>;

    fn next(&mut self) -> Option<Segment<'a>> {
        if self.next.is_none() {
            self.next = self.secrets.next();
        }
        match self.next.clone() {
            Some(secret) if self.at < secret.start => {
                let shown = within(self.bytes, self.at..secret.start);
                self.at = secret.start;
                Some(Segment::Shown(shown))
            }
            Some(secret) => {
                self.at = secret.end;
                self.next = None;
                Some(Segment::Redacted)
            }
            None if self.at < self.bytes.len() => {
                let shown = within(self.bytes, self.at..);
                self.at = self.bytes.len();
                Some(Segment::Shown(shown))
            }
            None => None,
        }
    }
}

impl fmt::Display for TraceLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for segment in self.segments() {
            match segment {
                Segment::Shown(bytes) => {
                    for &b in bytes {
                        for c in core::ascii::escape_default(b) {
                            fmt::Write::write_char(f, char::from(c))?;
                        }
                    }
                }
                Segment::Redacted => f.write_str(REDACTED)?,
            }
        }
        Ok(())
    }
}

impl fmt::Debug for TraceLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TraceLine(\"{self}\")")
    }
}
