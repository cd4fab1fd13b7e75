//! The blocking driver, over `std::io::{Read, Write}`: a serial port from
//! the `serialport` crate, a `TcpStream` to a network-attached modem
//! (ser2net), or anything else that reads and writes bytes.
//!
//! The port MUST have a short read timeout (10–50 ms: `serialport`'s
//! `timeout`, `TcpStream::set_read_timeout`): a read that times out is how
//! the driver gets a chance to check the session's deadlines and guard time.

use std::io::{self, ErrorKind, Read, Write};
use std::time::Instant as StdInstant;

use super::{drain, expire, feed, Handler};
use crate::{Instant, Session, UsageError};

/// Why a blocking run stopped early.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DriverError {
    /// Reading or writing the port failed, or it was closed.
    #[error("I/O error: {0}")]
    Io(#[from] io::Error),
    /// The handler's data was refused by the session.
    #[error(transparent)]
    Usage(#[from] UsageError),
}

/// Runs a [`Session`] over a blocking byte stream.
pub struct Blocking<IO> {
    io: IO,
    session: Session,
    epoch: StdInstant,
    chunk: [u8; cellftp_proto::MAX_PUT_DATA],
}

impl<IO: Read + Write> Blocking<IO> {
    /// Drives `session` over `io`.
    pub fn new(io: IO, session: Session) -> Self {
        Self {
            io,
            session,
            epoch: StdInstant::now(),
            chunk: [0; cellftp_proto::MAX_PUT_DATA],
        }
    }

    /// The session, to queue jobs before [`Blocking::run`].
    pub fn session(&mut self) -> &mut Session {
        &mut self.session
    }

    /// Gives back the port and the session.
    pub fn into_parts(self) -> (IO, Session) {
        (self.io, self.session)
    }

    fn now(&self) -> Instant {
        let ms = self.epoch.elapsed().as_millis();
        Instant::from_millis(u64::try_from(ms).unwrap_or(u64::MAX))
    }

    /// Runs until every queued job has ended, reporting to `handler`.
    /// Failed jobs are reported as events, not as errors: an `Err` means the
    /// port itself failed.
    pub fn run(&mut self, handler: &mut impl Handler) -> Result<(), DriverError> {
        let mut buf = [0u8; 512];
        loop {
            drain(&mut self.session, handler, &mut self.chunk)?;
            let now = self.now();
            while let Some(bytes) = self.session.poll_transmit(now) {
                self.io.write_all(bytes)?;
            }
            self.io.flush()?;
            if self.session.is_idle() {
                return Ok(());
            }
            match self.io.read(&mut buf) {
                Ok(0) => return Err(io::Error::from(ErrorKind::UnexpectedEof).into()),
                Ok(n) => {
                    let input = buf.get(..n).unwrap_or_default();
                    let now = self.now();
                    feed(&mut self.session, handler, &mut self.chunk, now, input)?;
                }
                Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => {}
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
            let now = self.now();
            expire(&mut self.session, now);
        }
    }
}
