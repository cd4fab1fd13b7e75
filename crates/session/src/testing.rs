//! A scripted fake modem for tests, benchmarks, fuzzing and replay (the
//! `testing` feature, which needs `std`).
//!
//! [`ScriptedModem`] plays the modem's side of the serial line: it takes
//! the command bytes the host writes, checks them against a script of
//! [`Exchange`]s (expected command line → reply), and hands back the reply
//! bytes when they are due: replies can be split into pieces, each delayed
//! (in the caller's time), and preceded by the command's echo. Instead of a
//! script, or after it, a [`Responder`] can answer by rule. [`run`] drives a
//! [`Session`] against it in lock-step on a virtual clock; [`Port`] puts it
//! behind `std::io::{Read, Write}` for the blocking driver.

use core::time::Duration;
use std::boxed::Box;
use std::collections::VecDeque;
use std::vec::Vec;

use crate::driver::{drain, expire, feed, Handler};
use crate::{Instant, Session, UsageError};

/// One piece of a reply: `bytes`, sent `after` the piece before it (or the
/// command) arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The delay.
    pub after: Duration,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// One exchange of a script: the command line the modem expects next, and
/// what it sends back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// The command line, CR included.
    pub command: Vec<u8>,
    /// The reply, in pieces.
    pub reply: Vec<Piece>,
}

impl Exchange {
    /// `command` answered at once with `reply`.
    pub fn new(command: &[u8], reply: &[u8]) -> Self {
        Self {
            command: command.to_vec(),
            reply: std::vec![Piece {
                after: Duration::ZERO,
                bytes: reply.to_vec(),
            }],
        }
    }

    /// `command` answered with `pieces`, each `(delay, bytes)`.
    pub fn split(command: &[u8], pieces: &[(Duration, &[u8])]) -> Self {
        Self {
            command: command.to_vec(),
            reply: pieces
                .iter()
                .map(|(after, bytes)| Piece {
                    after: *after,
                    bytes: bytes.to_vec(),
                })
                .collect(),
        }
    }
}

/// Answers a command line (CR included) by rule: the reply bytes, sent at
/// once.
pub type Responder = Box<dyn FnMut(&[u8]) -> Vec<u8>>;

/// A command the modem did not expect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// What the script expected, if it had anything left.
    pub expected: Option<Vec<u8>>,
    /// What the host wrote.
    pub got: Vec<u8>,
}

/// The modem's side of the line. See the module docs.
#[derive(Default)]
pub struct ScriptedModem {
    script: VecDeque<Exchange>,
    responder: Option<Responder>,
    echo: bool,
    read_size: Option<usize>,
    inbox: Vec<u8>,
    outbox: VecDeque<(Instant, Vec<u8>)>,
    received: Vec<Vec<u8>>,
    mismatches: Vec<Mismatch>,
}

impl ScriptedModem {
    /// A modem with an empty script.
    pub fn new() -> Self {
        Self::default()
    }

    /// Expects `command` next (after the exchanges already scripted) and
    /// answers `reply` at once.
    pub fn expect(&mut self, command: &[u8], reply: &[u8]) -> &mut Self {
        self.exchange(Exchange::new(command, reply))
    }

    /// Adds `exchange` to the script.
    pub fn exchange(&mut self, exchange: Exchange) -> &mut Self {
        self.script.push_back(exchange);
        self
    }

    /// Answers by rule once the script is exhausted.
    pub fn respond_with(&mut self, responder: impl FnMut(&[u8]) -> Vec<u8> + 'static) -> &mut Self {
        self.responder = Some(Box::new(responder));
        self
    }

    /// Echoes every command line before its reply (`ATE1`).
    pub fn echo(&mut self, on: bool) -> &mut Self {
        self.echo = on;
        self
    }

    /// Hands out at most `n` bytes per read, to cut the replies anywhere.
    pub fn read_size(&mut self, n: usize) -> &mut Self {
        self.read_size = Some(n.max(1));
        self
    }

    /// Every command line received, in order.
    pub fn received(&self) -> &[Vec<u8>] {
        &self.received
    }

    /// The commands that did not match the script.
    pub fn mismatches(&self) -> &[Mismatch] {
        &self.mismatches
    }

    /// True when the script is played out and every reply was read.
    pub fn is_done(&self) -> bool {
        self.script.is_empty() && self.outbox.is_empty() && self.inbox.is_empty()
    }

    /// When the next reply bytes are due, if any wait.
    pub fn next_due(&self) -> Option<Instant> {
        self.outbox.front().map(|(at, _)| *at)
    }

    /// Takes bytes the host wrote at `now`.
    pub fn write(&mut self, now: Instant, bytes: &[u8]) {
        self.inbox.extend_from_slice(bytes);
        while let Some(line) = self.next_line() {
            self.answer(now, line);
        }
    }

    /// The next whole command line in the inbox.
    fn next_line(&mut self) -> Option<Vec<u8>> {
        if let Some(exchange) = self.script.front() {
            let expected = &exchange.command;
            if self.inbox.starts_with(expected) {
                return Some(self.inbox.drain(..expected.len()).collect());
            }
            if expected.starts_with(&self.inbox) {
                return None;
            }
        }
        let len = line_len(&self.inbox)?;
        Some(self.inbox.drain(..len).collect())
    }

    fn answer(&mut self, now: Instant, line: Vec<u8>) {
        let mut at = now;
        if self.echo {
            self.outbox.push_back((at, line.clone()));
        }
        match self.script.front() {
            Some(exchange) if exchange.command == line => {
                if let Some(exchange) = self.script.pop_front() {
                    for piece in exchange.reply {
                        at = at + piece.after;
                        self.outbox.push_back((at, piece.bytes));
                    }
                }
            }
            expected => {
                let expected = expected.map(|e| e.command.clone());
                match self.responder.as_mut() {
                    Some(respond) if expected.is_none() => {
                        let reply = respond(&line);
                        self.outbox.push_back((at, reply));
                    }
                    _ => self.mismatches.push(Mismatch {
                        expected,
                        got: line.clone(),
                    }),
                }
            }
        }
        self.received.push(line);
    }

    /// Reply bytes due by `now`, up to `buf.len()` (and the read size);
    /// returns how many.
    pub fn read(&mut self, now: Instant, buf: &mut [u8]) -> usize {
        let room = self.read_size.map_or(buf.len(), |n| n.min(buf.len()));
        let mut n = 0;
        while n < room {
            let Some((at, bytes)) = self.outbox.front_mut() else {
                break;
            };
            if *at > now {
                break;
            }
            let take = bytes.len().min(room - n);
            if let (Some(dst), Some(src)) = (buf.get_mut(n..n + take), bytes.get(..take)) {
                dst.copy_from_slice(src);
            }
            bytes.drain(..take);
            n += take;
            if bytes.is_empty() {
                self.outbox.pop_front();
            }
        }
        n
    }
}

/// The length of the command line at the start of `bytes`, CR included,
/// once it is whole: up to the first CR, except for `AT+FTPPUT=<len>,<data>`,
/// whose `<len>` data bytes may hold CRs.
fn line_len(bytes: &[u8]) -> Option<usize> {
    if let Some(rest) = bytes.strip_prefix(b"AT+FTPPUT=") {
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if rest.get(digits) == Some(&b',') {
            let len: usize = core::str::from_utf8(rest.get(..digits)?)
                .ok()?
                .parse()
                .ok()?;
            let end = b"AT+FTPPUT=".len() + digits + 1 + len + 1;
            return (bytes.len() >= end).then_some(end);
        }
    }
    bytes.iter().position(|&b| b == b'\r').map(|i| i + 1)
}

/// Why [`run`] stopped before the session was idle.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunError {
    /// The handler's data was refused.
    Usage(UsageError),
    /// Neither side will ever do anything again.
    Stalled,
    /// `max_steps` turns of the loop passed.
    TooLong,
}

/// Drives `session` against `modem` in lock-step until the session is idle
/// and every reply was read: the clock starts at `start` and jumps to the
/// next deadline or reply whenever nothing else can happen. Returns the
/// time it ended at.
pub fn run(
    session: &mut Session,
    modem: &mut ScriptedModem,
    handler: &mut impl Handler,
    start: Instant,
    max_steps: usize,
) -> Result<Instant, RunError> {
    let mut now = start;
    let mut chunk = [0u8; cellftp_proto::MAX_PUT_DATA];
    let mut buf = [0u8; 512];
    for _ in 0..max_steps {
        drain(session, handler, &mut chunk).map_err(RunError::Usage)?;
        while let Some(bytes) = session.poll_transmit(now) {
            modem.write(now, bytes);
        }
        if session.is_idle() && modem.next_due().is_none() {
            return Ok(now);
        }
        let n = modem.read(now, &mut buf);
        if n > 0 {
            let input = buf.get(..n).unwrap_or_default();
            feed(session, handler, &mut chunk, now, input).map_err(RunError::Usage)?;
            continue;
        }
        let wake = match (session.poll_timeout(), modem.next_due()) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b).ok_or(RunError::Stalled)?,
        };
        now = now.max(wake);
        expire(session, now);
    }
    Err(RunError::TooLong)
}

/// A [`ScriptedModem`] behind `std::io::{Read, Write}`, on the wall clock
/// from its creation: a read with nothing due sleeps a millisecond and
/// times out, like a serial port with a short read timeout.
pub struct Port {
    /// The modem.
    pub modem: ScriptedModem,
    epoch: std::time::Instant,
}

impl Port {
    /// `modem` behind a port.
    pub fn new(modem: ScriptedModem) -> Self {
        Self {
            modem,
            epoch: std::time::Instant::now(),
        }
    }

    fn now(&self) -> Instant {
        let ms = self.epoch.elapsed().as_millis();
        Instant::from_millis(u64::try_from(ms).unwrap_or(u64::MAX))
    }
}

impl std::io::Read for Port {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.modem.read(self.now(), buf);
        if n == 0 {
            std::thread::sleep(Duration::from_millis(1));
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        Ok(n)
    }
}

impl std::io::Write for Port {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let now = self.now();
        self.modem.write(now, buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
