//! The async driver, over tokio's `AsyncRead + AsyncWrite` (a
//! `tokio-serial` port, a `TcpStream`, a duplex pipe in tests).

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::time::Instant as TokioInstant;

use super::blocking::DriverError;
use super::{drain, expire, feed, Drive, Handler, Run, MAX_CHUNK};
use crate::{Instant, Session};

/// Runs a session of either dialect ([`Session`],
/// [`crate::simcom::Session`]) over an async byte stream.
pub struct Async<IO, S = Session> {
    io: IO,
    session: S,
    epoch: TokioInstant,
    chunk: [u8; MAX_CHUNK],
}

impl<IO: AsyncRead + AsyncWrite + Unpin, S: Drive> Async<IO, S> {
    /// Drives `session` over `io`.
    pub fn new(io: IO, session: S) -> Self {
        Self {
            io,
            session,
            epoch: TokioInstant::now(),
            chunk: [0; MAX_CHUNK],
        }
    }

    /// The session, to queue jobs before [`Async::run`].
    pub fn session(&mut self) -> &mut S {
        &mut self.session
    }

    /// Gives back the stream and the session.
    pub fn into_parts(self) -> (IO, S) {
        (self.io, self.session)
    }

    fn now(&self) -> Instant {
        let ms = self.epoch.elapsed().as_millis();
        Instant::from_millis(u64::try_from(ms).unwrap_or(u64::MAX))
    }

    /// Runs until every queued job has ended, reporting to `handler`.
    pub async fn run(&mut self, handler: &mut impl Handler<S>) -> Result<(), DriverError> {
        let mut buf = [0u8; 512];
        loop {
            if drain(&mut self.session, handler, &mut self.chunk)? == Run::Stop {
                return Ok(());
            }
            let now = self.now();
            while let Some(bytes) = self.session.poll_transmit(now) {
                self.io.write_all(bytes).await?;
            }
            self.io.flush().await?;
            if self.session.is_idle() {
                return Ok(());
            }
            let wake = self
                .session
                .poll_timeout()
                .map(|t| self.epoch + core::time::Duration::from_millis(t.as_millis()));
            let read = self.io.read(&mut buf);
            let n = match wake {
                Some(at) => match tokio::time::timeout_at(at, read).await {
                    Ok(r) => Some(r?),
                    Err(_elapsed) => None,
                },
                None => Some(read.await?),
            };
            match n {
                Some(0) => {
                    return Err(std::io::Error::from(std::io::ErrorKind::UnexpectedEof).into())
                }
                Some(n) => {
                    let input = buf.get(..n).unwrap_or_default();
                    let now = self.now();
                    if feed(&mut self.session, handler, &mut self.chunk, now, input)? == Run::Stop {
                        return Ok(());
                    }
                }
                None => {}
            }
            let now = self.now();
            expire(&mut self.session, now);
        }
    }
}
