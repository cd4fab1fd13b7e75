//! The blocking driver, over `std::io::{Read, Write}`: a serial port from
//! the `serialport` crate, a `TcpStream` to a network-attached modem
//! (ser2net), a Unix file descriptor through [`Polled`], or anything else
//! that reads and writes bytes and implements [`ReadTimeout`].
//!
//! A read that blocks past the session's next deadline would keep the
//! session from timing out a command or ending a guard time: a modem that
//! never answers would hang the program silently. So the driver requires
//! [`ReadTimeout`] and bounds every read by the time to the next deadline
//! (at most [`MAX_READ_WAIT`]); a plain `File` on a PTY does not implement
//! it and is refused at compile time (wrap it in [`Polled`], feature
//! `unix`):
//!
//! ```compile_fail
//! use cellftp_session::{driver::blocking::Blocking, Session};
//! let port = std::fs::File::open("/dev/ttyUSB0").unwrap();
//! let driver = Blocking::new(port, Session::default()); // no ReadTimeout
//! ```
//!
//! An implementation that does not honour the bound is detected: a read
//! that returns more than [`LATE_MARGIN`] after its bound ends the run with
//! [`DriverError::ReadTimeoutNotSet`].

use std::boxed::Box;
use std::io::{self, ErrorKind, Read, Write};
use std::time::{Duration, Instant as StdInstant};

use super::{drain, expire, feed, Drive, Handler, Run, MAX_CHUNK};
use crate::{Instant, Session, StdClock, UsageError};

/// The longest one read may block: the driver also checks the session after
/// this long when no deadline is nearer.
pub const MAX_READ_WAIT: Duration = Duration::from_millis(100);

/// How much later than its bound a read may return before the driver
/// takes the port's read timeout as not set.
pub const LATE_MARGIN: Duration = Duration::from_secs(1);

/// A port whose reads can be bounded in time. The blocking driver sets the
/// bound before reading; a read with nothing to read returns an error of
/// kind `TimedOut` or `WouldBlock` after it.
pub trait ReadTimeout {
    /// Makes every later read return after at most `timeout` (never zero).
    fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()>;
}

impl<T: ReadTimeout + ?Sized> ReadTimeout for &mut T {
    fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        (**self).set_read_timeout(timeout)
    }
}

impl<T: ReadTimeout + ?Sized> ReadTimeout for Box<T> {
    fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        (**self).set_read_timeout(timeout)
    }
}

impl ReadTimeout for std::net::TcpStream {
    fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        std::net::TcpStream::set_read_timeout(self, Some(timeout))
    }
}

#[cfg(feature = "serialport")]
impl ReadTimeout for dyn serialport::SerialPort {
    fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        self.set_timeout(timeout).map_err(io::Error::from)
    }
}

#[cfg(all(feature = "serialport", unix))]
impl ReadTimeout for serialport::TTYPort {
    fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        serialport::SerialPort::set_timeout(self, timeout).map_err(io::Error::from)
    }
}

#[cfg(feature = "testing")]
impl ReadTimeout for crate::testing::Port {
    /// The scripted port's reads never block: nothing to set.
    fn set_read_timeout(&mut self, _timeout: Duration) -> io::Result<()> {
        Ok(())
    }
}

/// A Unix file descriptor (a PTY, a tty opened as a `File`, a pipe) whose
/// reads wait with `poll(2)` for at most the bound the driver sets, so it
/// can drive [`Blocking`] although the descriptor itself has no read
/// timeout.
#[cfg(all(feature = "unix", unix))]
#[derive(Debug)]
pub struct Polled<F> {
    inner: F,
    timeout: Duration,
}

#[cfg(all(feature = "unix", unix))]
impl<F> Polled<F> {
    /// Wraps `inner`; reads wait [`MAX_READ_WAIT`] until the driver says
    /// otherwise.
    pub fn new(inner: F) -> Self {
        Self {
            inner,
            timeout: MAX_READ_WAIT,
        }
    }

    /// Gives back the descriptor.
    pub fn into_inner(self) -> F {
        self.inner
    }
}

#[cfg(all(feature = "unix", unix))]
impl<F: std::os::fd::AsFd + Read> Read for Polled<F> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use rustix::event::{poll, PollFd, PollFlags, Timespec};
        let timeout = Timespec::try_from(self.timeout)
            .map_err(|_| io::Error::from(ErrorKind::InvalidInput))?;
        let mut fds = [PollFd::new(&self.inner, PollFlags::IN)];
        match poll(&mut fds, Some(&timeout)) {
            Ok(0) => Err(ErrorKind::TimedOut.into()),
            Ok(_) => self.inner.read(buf),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(all(feature = "unix", unix))]
impl<F: Write> Write for Polled<F> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(all(feature = "unix", unix))]
impl<F> ReadTimeout for Polled<F> {
    fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        self.timeout = timeout;
        Ok(())
    }
}

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
    /// A read blocked far longer than the bound the driver set: the port
    /// ignores its read timeout, so the session could not keep its
    /// deadlines.
    #[error(
        "a read blocked for {blocked:?} although it was bounded to {bound:?}: \
         the port does not honour its read timeout"
    )]
    ReadTimeoutNotSet {
        /// How long the read blocked.
        blocked: Duration,
        /// The bound that was set.
        bound: Duration,
    },
}

/// Runs a session of either dialect ([`Session`],
/// [`crate::simcom::Session`]) over a blocking byte stream.
pub struct Blocking<IO, S = Session> {
    io: IO,
    session: S,
    clock: StdClock,
    /// The read timeout last set on the port.
    bound: Option<Duration>,
    chunk: [u8; MAX_CHUNK],
}

impl<IO: Read + Write + ReadTimeout, S: Drive> Blocking<IO, S> {
    /// Drives `session` over `io`.
    pub fn new(io: IO, session: S) -> Self {
        Self {
            io,
            session,
            clock: StdClock::new(StdInstant::now()),
            bound: None,
            chunk: [0; MAX_CHUNK],
        }
    }

    /// The session, to queue jobs before [`Blocking::run`].
    pub fn session(&mut self) -> &mut S {
        &mut self.session
    }

    /// Gives back the port and the session.
    pub fn into_parts(self) -> (IO, S) {
        (self.io, self.session)
    }

    fn now(&self) -> Instant {
        self.clock.now()
    }

    /// How long the next read may block: until the session's next deadline,
    /// at least a millisecond and at most [`MAX_READ_WAIT`].
    fn read_bound(&self, now: Instant) -> Duration {
        self.session
            .poll_timeout()
            .map_or(MAX_READ_WAIT, |t| t.saturating_duration_since(now))
            .clamp(Duration::from_millis(1), MAX_READ_WAIT)
    }

    /// Runs until every queued job has ended, reporting to `handler`.
    /// Failed jobs are reported as events, not as errors: an `Err` means the
    /// port itself failed, or ignores its read timeout.
    pub fn run(&mut self, handler: &mut impl Handler<S>) -> Result<(), DriverError> {
        let mut buf = [0u8; 512];
        loop {
            if drain(&mut self.session, handler, &mut self.chunk)? == Run::Stop {
                return Ok(());
            }
            let now = self.now();
            while let Some(bytes) = self.session.poll_transmit(now) {
                self.io.write_all(bytes)?;
            }
            self.io.flush()?;
            if self.session.is_idle() {
                return Ok(());
            }
            let bound = self.read_bound(now);
            if self.bound != Some(bound) {
                self.io.set_read_timeout(bound)?;
                self.bound = Some(bound);
            }
            let started = StdInstant::now();
            let read = self.io.read(&mut buf);
            let blocked = started.elapsed();
            if blocked > bound + LATE_MARGIN {
                return Err(DriverError::ReadTimeoutNotSet { blocked, bound });
            }
            match read {
                Ok(0) => return Err(io::Error::from(ErrorKind::UnexpectedEof).into()),
                Ok(n) => {
                    let input = buf.get(..n).unwrap_or_default();
                    let now = self.now();
                    if feed(&mut self.session, handler, &mut self.chunk, now, input)? == Run::Stop {
                        return Ok(());
                    }
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
