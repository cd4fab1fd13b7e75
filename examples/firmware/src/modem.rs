//! The modem, scripted in memory: a UART (`embedded-io-async` `Read` +
//! `Write`) that expects each command's bytes in turn and answers with the
//! reply the script gives, and a virtual clock that jumps to each deadline.

use core::cell::Cell;
use core::future::pending;

use cellftp_session::driver::embedded::Clock;
use cellftp_session::Instant;
use embedded_io_async::{ErrorKind, ErrorType, Read, Write};

/// One exchange: the command the host must send, and what the modem answers.
pub struct Step {
    /// The command's bytes, `\r` included.
    pub command: &'static [u8],
    /// The modem's answer.
    pub reply: &'static [u8],
}

/// Why the scripted modem refused what it was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptError {
    /// A byte differs from the script: the step and the byte's position.
    Mismatch {
        /// The step whose command differs.
        step: usize,
        /// The first byte that differs.
        at: usize,
    },
    /// A command came after the last step.
    PastTheEnd,
}

impl embedded_io_async::Error for ScriptError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidData
    }
}

/// The scripted modem's UART.
pub struct Modem {
    script: &'static [Step],
    /// The step whose command is being received.
    step: usize,
    /// Bytes of that command received so far.
    received: usize,
    /// What is left of the last reply, handed out in reads of at most
    /// `piece` bytes.
    reply: &'static [u8],
    piece: usize,
}

impl Modem {
    /// A modem that plays `script`, answering in pieces of at most `piece`
    /// bytes (a UART hands over whatever has arrived).
    pub const fn new(script: &'static [Step], piece: usize) -> Self {
        Self {
            script,
            step: 0,
            received: 0,
            reply: &[],
            piece,
        }
    }

    /// Whether every step was played and every reply read.
    pub fn finished(&self) -> bool {
        self.step == self.script.len() && self.received == 0 && self.reply.is_empty()
    }

    /// Steps played so far.
    pub fn steps_played(&self) -> usize {
        self.step
    }
}

impl ErrorType for Modem {
    type Error = ScriptError;
}

impl Write for Modem {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, ScriptError> {
        for &byte in buf {
            let step = self.script.get(self.step).ok_or(ScriptError::PastTheEnd)?;
            if step.command.get(self.received) != Some(&byte) {
                return Err(ScriptError::Mismatch {
                    step: self.step,
                    at: self.received,
                });
            }
            self.received += 1;
            if self.received == step.command.len() {
                self.reply = step.reply;
                self.step += 1;
                self.received = 0;
            }
        }
        Ok(buf.len())
    }
}

impl Read for Modem {
    /// Hands out the next piece of the reply; with nothing to say, never
    /// completes (the driver races it against the session's deadline).
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, ScriptError> {
        if self.reply.is_empty() {
            pending::<()>().await;
        }
        let n = buf.len().min(self.piece).min(self.reply.len());
        let (now, later) = self.reply.split_at(n);
        buf.get_mut(..n).unwrap_or_default().copy_from_slice(now);
        self.reply = later;
        Ok(n)
    }
}

/// Time that passes only when the session waits for a deadline.
#[derive(Default)]
pub struct VirtualClock(Cell<Instant>);

impl Clock for VirtualClock {
    fn now(&self) -> Instant {
        self.0.get()
    }

    async fn wait_until(&self, at: Instant) {
        self.0.set(self.0.get().max(at));
    }
}
