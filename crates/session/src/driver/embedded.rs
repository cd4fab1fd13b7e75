//! The firmware driver, over `embedded-io-async` (`no_std`, no allocator):
//! a UART from any HAL that implements its `Read` and `Write`.
//!
//! Firmware owns the clock, so the caller supplies a [`Clock`]. The read
//! MUST be cancel-safe (dropping a pending read loses no bytes), as the
//! UART drivers of embassy's HALs are: a read races the session's next
//! deadline.

use core::future::Future;

use embassy_futures::select::{select, Either};
use embedded_io_async::{Read, Write};

use super::{drain, expire, feed, Drive, Handler, Run};
use crate::{Instant, UsageError};

/// The time source and timer of the firmware.
pub trait Clock {
    /// The current time.
    fn now(&self) -> Instant;
    /// Completes at `at` (at once if it has passed).
    fn wait_until(&self, at: Instant) -> impl Future<Output = ()>;
}

/// Why an embedded run stopped early.
#[derive(Debug)]
#[non_exhaustive]
pub enum DriverError<E> {
    /// The UART failed, or reported end of stream.
    Io(Option<E>),
    /// The handler's data was refused by the session.
    Usage(UsageError),
}

impl<E> From<UsageError> for DriverError<E> {
    fn from(e: UsageError) -> Self {
        DriverError::Usage(e)
    }
}

/// Runs `session`, of either dialect ([`crate::Session`],
/// [`crate::simcom::Session`]), over `io` until every queued job has ended.
/// `chunk` is the upload staging buffer (up to the dialect's largest chunk
/// is used: [`cellftp_proto::MAX_PUT_DATA`],
/// [`cellftp_proto::simcom::MAX_PUT_DATA`]), `read_buf` the receive buffer
/// for one read (each read asks for no more than the session has room
/// for, [`crate::RX_CAPACITY`] at most).
pub async fn run<IO: Read + Write, S: Drive>(
    io: &mut IO,
    clock: &impl Clock,
    session: &mut S,
    handler: &mut impl Handler<S>,
    chunk: &mut [u8],
    read_buf: &mut [u8],
) -> Result<(), DriverError<IO::Error>> {
    loop {
        if drain(session, handler, chunk)? == Run::Stop {
            return Ok(());
        }
        while let Some(bytes) = session.poll_transmit(clock.now()) {
            io.write_all(bytes)
                .await
                .map_err(|e| DriverError::Io(Some(e)))?;
        }
        io.flush().await.map_err(|e| DriverError::Io(Some(e)))?;
        if session.is_idle() {
            return Ok(());
        }
        let wake = session.poll_timeout();
        // No more than the session has room for, so that a handler that
        // stops the run leaves no byte behind ([`feed`]). Events drained,
        // fewer than `MIN_BUFFER` bytes are buffered: the room is never 0.
        let room = crate::RX_CAPACITY.saturating_sub(session.buffered());
        let read_buf = match read_buf.get_mut(..room) {
            Some(part) => part,
            None => &mut *read_buf,
        };
        let read = io.read(read_buf);
        let got = match wake {
            Some(at) => match select(read, clock.wait_until(at)).await {
                Either::First(r) => Some(r),
                Either::Second(()) => None,
            },
            None => Some(read.await),
        };
        match got {
            Some(Ok(0)) => return Err(DriverError::Io(None)),
            Some(Ok(n)) => {
                let input = read_buf.get(..n).unwrap_or_default();
                if feed(session, handler, chunk, clock.now(), input)? == Run::Stop {
                    return Ok(());
                }
            }
            Some(Err(e)) => return Err(DriverError::Io(Some(e))),
            None => {}
        }
        expire(session, clock.now());
    }
}
