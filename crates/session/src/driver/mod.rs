//! Thin drive loops over [`crate::Session`]: one per kind of I/O. Each is
//! the same loop, built from the steps here, and differs from the others
//! only in how it writes, reads and waits:
//!
//! 1. [`drain`] the events into the [`Handler`], which may queue jobs,
//!    cancel one or stop the run through its [`Control`];
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
///
/// ```
/// use cellftp_session::driver::{Control, Handler};
/// use cellftp_session::{Event, JobId};
///
/// /// Lists the directory, then downloads `a.txt`, then stops.
/// struct Then { listed: Option<JobId>, next: bool }
///
/// impl Handler for Then {
///     fn event(&mut self, event: &Event<'_>) {
///         if let Event::JobDone { job, .. } = event {
///             self.next = Some(*job) == self.listed;
///         }
///     }
///     fn fill(&mut self, _: JobId, _: &mut [u8]) -> usize { 0 }
///     fn control(&mut self, control: &mut Control<'_>) {
///         if std::mem::take(&mut self.next) {
///             let _ = control.queue(|s| s.get("a.txt", 0));
///         }
///     }
/// }
/// ```
pub trait Handler {
    /// Called for every event, in order.
    fn event(&mut self, event: &Event<'_>);

    /// Called when put job `job` is ready for data: write the next bytes of
    /// the file into `buf` and return how many; return 0 at the end of the
    /// file.
    fn fill(&mut self, job: JobId, buf: &mut [u8]) -> usize;

    /// Called after each event, once the event (which borrows the session)
    /// is gone: queue jobs, cancel one or stop the run through `control`.
    /// Does nothing unless implemented.
    fn control(&mut self, control: &mut Control<'_>) {
        let _ = control;
    }
}

/// What a [`Handler`] can do to the run from [`Handler::control`].
pub struct Control<'s> {
    session: &'s mut Session,
    stop: bool,
}

impl<'s> Control<'s> {
    /// Queues a job with one of the session's verbs, e.g.
    /// `control.queue(|s| s.get("a.txt", 0))`.
    pub fn queue(
        &mut self,
        verb: impl FnOnce(&mut Session) -> Result<JobId, UsageError>,
    ) -> Result<JobId, UsageError> {
        verb(self.session)
    }

    /// Cancels job `job` ([`Session::cancel`]).
    pub fn cancel(&mut self, job: JobId) -> Result<(), UsageError> {
        self.session.cancel(job)
    }

    /// Ends the run once this callback returns: the driver returns `Ok`,
    /// and jobs still queued or running stay in the session (cancel them
    /// first, or run again to finish them).
    pub fn stop(&mut self) {
        self.stop = true;
    }

    /// The session, read-only: its link, whether it is idle, …
    pub fn session(&self) -> &Session {
        self.session
    }
}

/// Whether a driver's run goes on after [`drain`] or [`feed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Run {
    /// Go on.
    Continue,
    /// The handler asked to stop ([`Control::stop`]).
    Stop,
}

/// Drains [`Session::poll_event`], handing each event to `handler` (then
/// [`Handler::control`]) and answering [`Event::PutReady`] with the data
/// `handler` fills into `chunk`. Stops draining when the handler stops the
/// run.
pub fn drain(
    session: &mut Session,
    handler: &mut impl Handler,
    chunk: &mut [u8],
) -> Result<Run, UsageError> {
    loop {
        let ready = match session.poll_event() {
            None => return Ok(Run::Continue),
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
        let mut control = Control {
            session,
            stop: false,
        };
        handler.control(&mut control);
        if control.stop {
            return Ok(Run::Stop);
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
) -> Result<Run, UsageError> {
    while !input.is_empty() {
        let taken = session.handle_input(now, input);
        input = input.get(taken..).unwrap_or_default();
        if drain(session, handler, chunk)? == Run::Stop {
            return Ok(Run::Stop);
        }
    }
    Ok(Run::Continue)
}

/// Step 3 of the loop, after the wait: tells the session the time if its
/// deadline has come.
pub fn expire(session: &mut Session, now: Instant) {
    if session.poll_timeout().is_some_and(|t| t <= now) {
        session.handle_timeout(now);
    }
}
