//! Thin drive loops over a sans-IO session of either dialect
//! ([`crate::Session`], [`crate::simcom::Session`]), through [`Drive`]: one
//! loop per kind of I/O. Each is the same loop, built from the steps here,
//! and differs from the others only in how it writes, reads and waits:
//!
//! 1. [`drain`] the events into the [`Handler`], which may queue jobs,
//!    cancel one or stop the run through its [`Control`];
//! 2. write every [`Drive::poll_transmit`], then stop if
//!    [`Drive::is_idle`];
//! 3. wait for input or until [`Drive::poll_timeout`]; hand input to
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

/// The largest upload chunk either dialect asks for in one
/// `PutReady` event: the size of the drivers' staging buffer.
#[cfg(any(feature = "std", test))]
pub(crate) const MAX_CHUNK: usize =
    if cellftp_proto::MAX_PUT_DATA > cellftp_proto::simcom::MAX_PUT_DATA {
        cellftp_proto::MAX_PUT_DATA
    } else {
        cellftp_proto::simcom::MAX_PUT_DATA
    };

/// What the drive loop needs of a session: the sans-IO interface both
/// dialects' sessions share, each method the session's own of that name.
/// Implemented by [`Session`] and [`crate::simcom::Session`].
pub trait Drive {
    /// The session's events, which may borrow it.
    type Event<'a>
    where
        Self: 'a;

    /// Takes bytes received at `now`; returns how many it took.
    #[must_use = "bytes not taken must be offered again after draining poll_event"]
    fn handle_input(&mut self, now: Instant, input: &[u8]) -> usize;
    /// Tells the session the time.
    fn handle_timeout(&mut self, now: Instant);
    /// The next event.
    fn poll_event(&mut self) -> Option<Self::Event<'_>>;
    /// The next bytes to write to the modem, if due at `now`.
    fn poll_transmit(&mut self, now: Instant) -> Option<&[u8]>;
    /// When the session next needs [`Drive::handle_timeout`] or
    /// [`Drive::poll_transmit`].
    fn poll_timeout(&self) -> Option<Instant>;
    /// True when nothing is left to do.
    fn is_idle(&self) -> bool;
    /// The received bytes not yet decoded; [`crate::RX_CAPACITY`] minus
    /// this is the room for more.
    fn buffered(&self) -> usize;
    /// If `event` asks a put job for data: the job, and the most bytes it
    /// takes now.
    fn put_ready(event: &Self::Event<'_>) -> Option<(JobId, usize)>;
    /// Gives the waiting put job its next chunk; returns how many bytes it
    /// took.
    fn send_data(&mut self, data: &[u8]) -> Result<usize, UsageError>;
    /// Tells the waiting put job that the file is complete.
    fn finish_put(&mut self) -> Result<(), UsageError>;
    /// Cancels job `job`.
    fn cancel(&mut self, job: JobId) -> Result<(), UsageError>;
}

/// Implements [`Drive`] for a session type whose inherent methods have the
/// same names, and whose event type has a `PutReady { job, max }` variant.
macro_rules! drive {
    ($session:ty, $event:ident) => {
        impl Drive for $session {
            type Event<'a> = $event<'a>;

            #[inline]
            fn handle_input(&mut self, now: Instant, input: &[u8]) -> usize {
                <$session>::handle_input(self, now, input)
            }
            #[inline]
            fn handle_timeout(&mut self, now: Instant) {
                <$session>::handle_timeout(self, now)
            }
            #[inline]
            fn poll_event(&mut self) -> Option<$event<'_>> {
                <$session>::poll_event(self)
            }
            #[inline]
            fn poll_transmit(&mut self, now: Instant) -> Option<&[u8]> {
                <$session>::poll_transmit(self, now)
            }
            #[inline]
            fn poll_timeout(&self) -> Option<Instant> {
                <$session>::poll_timeout(self)
            }
            #[inline]
            fn is_idle(&self) -> bool {
                <$session>::is_idle(self)
            }
            #[inline]
            fn buffered(&self) -> usize {
                <$session>::buffered(self)
            }
            #[inline]
            fn put_ready(event: &$event<'_>) -> Option<(JobId, usize)> {
                match *event {
                    $event::PutReady { job, max } => Some((job, max)),
                    _ => None,
                }
            }
            #[inline]
            fn send_data(&mut self, data: &[u8]) -> Result<usize, UsageError> {
                <$session>::send_data(self, data)
            }
            #[inline]
            fn finish_put(&mut self) -> Result<(), UsageError> {
                <$session>::finish_put(self)
            }
            #[inline]
            fn cancel(&mut self, job: JobId) -> Result<(), UsageError> {
                <$session>::cancel(self, job)
            }
        }
    };
}

drive!(Session, Event);
use crate::simcom::Event as SimcomEvent;
drive!(crate::simcom::Session, SimcomEvent);

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
pub trait Handler<S: Drive = Session> {
    /// Called for every event, in order.
    fn event(&mut self, event: &S::Event<'_>);

    /// Called when put job `job` is ready for data: write the next bytes of
    /// the file into `buf` and return how many; return 0 at the end of the
    /// file.
    fn fill(&mut self, job: JobId, buf: &mut [u8]) -> usize;

    /// Called after each event, once the event (which borrows the session)
    /// is gone: queue jobs, cancel one or stop the run through `control`.
    /// Does nothing unless implemented.
    fn control(&mut self, control: &mut Control<'_, S>) {
        let _ = control;
    }
}

/// What a [`Handler`] can do to the run from [`Handler::control`].
pub struct Control<'s, S = Session> {
    session: &'s mut S,
    stop: bool,
}

impl<S: Drive> Control<'_, S> {
    /// Queues a job with one of the session's verbs, e.g.
    /// `control.queue(|s| s.get("a.txt", 0))`.
    pub fn queue(
        &mut self,
        verb: impl FnOnce(&mut S) -> Result<JobId, UsageError>,
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
    pub fn session(&self) -> &S {
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

/// Drains [`Drive::poll_event`], handing each event to `handler` (then
/// [`Handler::control`]) and answering a put job's request for data
/// ([`Event::PutReady`]) with the data `handler` fills into `chunk`. Stops
/// draining when the handler stops the run.
pub fn drain<S: Drive>(
    session: &mut S,
    handler: &mut impl Handler<S>,
    chunk: &mut [u8],
) -> Result<Run, UsageError> {
    loop {
        let ready = match session.poll_event() {
            None => return Ok(Run::Continue),
            Some(event) => {
                handler.event(&event);
                S::put_ready(&event)
            }
        };
        if let Some((job, max)) = ready {
            let room = chunk.len().min(max);
            let n = handler.fill(job, chunk.get_mut(..room).unwrap_or_default());
            match chunk.get(..n.min(room)) {
                Some(data) if !data.is_empty() => {
                    let taken = session.send_data(data)?;
                    debug_assert_eq!(taken, data.len(), "a chunk within max is taken whole");
                }
                _ => session.finish_put()?,
            }
        }
        let mut control = Control {
            session: &mut *session,
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
///
/// When the handler stops the run, the rest of `input` is handed over
/// without draining, its events left for the next run. A driver that
/// reads no more than the session's free room ([`crate::RX_CAPACITY`]
/// minus [`Drive::buffered`]) never has more left than fits; bytes that
/// do not fit then are [`UsageError::InputLeft`], never dropped quietly.
pub fn feed<S: Drive>(
    session: &mut S,
    handler: &mut impl Handler<S>,
    chunk: &mut [u8],
    now: Instant,
    mut input: &[u8],
) -> Result<Run, UsageError> {
    while !input.is_empty() {
        let taken = session.handle_input(now, input);
        input = input.get(taken..).unwrap_or_default();
        if drain(session, handler, chunk)? == Run::Stop {
            let taken = if input.is_empty() {
                0
            } else {
                session.handle_input(now, input)
            };
            return match input.len() - taken {
                0 => Ok(Run::Stop),
                bytes => Err(UsageError::InputLeft { bytes }),
            };
        }
    }
    Ok(Run::Continue)
}

/// Step 3 of the loop, after the wait: tells the session the time if its
/// deadline has come.
pub fn expire<S: Drive>(session: &mut S, now: Instant) {
    if session.poll_timeout().is_some_and(|t| t <= now) {
        session.handle_timeout(now);
    }
}
