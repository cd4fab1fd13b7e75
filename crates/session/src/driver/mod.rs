//! Thin drive loops over [`crate::Session`]: one per kind of I/O, all
//! sharing [`Handler`] and [`drain`]. Each only moves bytes and time; every
//! decision is the session's.

#[cfg(feature = "std")]
pub mod blocking;
#[cfg(feature = "embedded")]
pub mod embedded;
#[cfg(feature = "tokio")]
pub mod tokio;

use crate::{Event, JobId, Session, UsageError};

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
