//! Thin drive loops over [`crate::Session`]: one per kind of I/O. Each is
//! the same loop, built from the steps here, and differs from the others
//! only in how it writes, reads and waits:
//!
//! 1. [`drain`] the events into the [`Handler`];
//! 2. write every [`Session::poll_transmit`], then stop if
//!    [`Session::is_idle`];
//! 3. wait for input or until [`Session::poll_timeout`]; hand input to
//!    [`feed`], then call [`expire`], and go to 1.
//!
//! Every decision is the session's.

#[cfg(feature = "std")]
pub mod blocking;
#[cfg(feature = "embedded")]
pub mod embedded;
#[cfg(feature = "tokio")]
pub mod tokio;

use crate::{Event, Instant, JobId, Session, UsageError};

/// What a driver's caller does with the session's events.
pub trait Handler {
    /// Called for every event, in order.
    fn event(&mut self, event: &Event<'_>);

    /// Called when put job `job` is ready for data: write the next bytes of
    /// the file into `buf` and return how many; return 0 at the end of the
    /// file.
    fn fill(&mut self, job: JobId, buf: &mut [u8]) -> usize;
}

/// Drains [`Session::poll_event`], handing each event to `handler` and
/// answering [`Event::PutReady`] with the data `handler` fills into `chunk`.
pub fn drain(
    session: &mut Session,
    handler: &mut impl Handler,
    chunk: &mut [u8],
) -> Result<(), UsageError> {
    loop {
        let ready = match session.poll_event() {
            None => return Ok(()),
            Some(event) => {
                handler.event(&event);
                match event {
                    Event::PutReady { job, max } => Some((job, max)),
                    _ => None,
                }
            }
        };
        if let Some((job, max)) = ready {
            let room = chunk.len().min(max);
            let n = handler.fill(job, chunk.get_mut(..room).unwrap_or_default());
            match chunk.get(..n.min(room)) {
                Some(data) if !data.is_empty() => {
                    session.send_data(data)?;
                }
                _ => session.finish_put()?,
            }
        }
    }
}

/// Step 3 of the loop, with input: hands `input`, read at `now`, to the
/// session, draining events into `handler` whenever its receive buffer is
/// full (and after the last byte).
pub fn feed(
    session: &mut Session,
    handler: &mut impl Handler,
    chunk: &mut [u8],
    now: Instant,
    mut input: &[u8],
) -> Result<(), UsageError> {
    while !input.is_empty() {
        let taken = session.handle_input(now, input);
        input = input.get(taken..).unwrap_or_default();
        drain(session, handler, chunk)?;
    }
    Ok(())
}

/// Step 3 of the loop, after the wait: tells the session the time if its
/// deadline has come.
pub fn expire(session: &mut Session, now: Instant) {
    if session.poll_timeout().is_some_and(|t| t <= now) {
        session.handle_timeout(now);
    }
}
