//! A scripted fake modem for tests, benchmarks, fuzzing and replay (the
//! `testing` feature, which needs `std`).
//!
//! [`ScriptedModem`] plays the modem's side of the serial line: it takes
//! the command bytes the host writes, checks them against a script of
//! [`Exchange`]s (expected command line → reply), and hands back the reply
//! bytes when they are due: replies can be split into pieces, each delayed
//! (in the caller's time), and preceded by the command's echo. Instead of a
//! script, or after it, a [`Responder`] can answer by rule. The host reads
//! the replies with [`ScriptedModem::read`], or without a copy with
//! [`ScriptedModem::due`] and [`ScriptedModem::consume`]. [`run`] drives a
//! session of either dialect against it in lock-step on a virtual clock,
//! with the drivers' steps ([`crate::driver`]); [`Port`] puts it behind
//! `std::io::{Read, Write}` for the blocking driver.

use core::time::Duration;
use std::boxed::Box;
use std::collections::VecDeque;
use std::vec::Vec;

use crate::driver::{drain, expire, feed, Drive, Handler, Run, MAX_CHUNK};
use crate::{Instant, JobId, UsageError};

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

/// Where a [`Responder`] writes its reply: bytes can only be added.
pub struct Reply<'a> {
    out: &'a mut Vec<u8>,
}

impl Reply<'_> {
    /// Appends `bytes` to the reply.
    pub fn push(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }
}

/// Answers a command line (CR included) by rule: what it pushes to the
/// [`Reply`] is sent at once.
pub type Responder = Box<dyn FnMut(&[u8], &mut Reply<'_>)>;

/// A command the modem did not expect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// What the script expected, if it had anything left.
    pub expected: Option<Vec<u8>>,
    /// What the host wrote.
    pub got: Vec<u8>,
}

/// The modem's side of the line. See the module docs.
///
/// Its buffers are reused: once [`ScriptedModem::reserve`]d, a modem that
/// answers by rule and does not [keep](ScriptedModem::keep_received) the
/// lines it receives allocates nothing while its replies fit.
pub struct ScriptedModem {
    script: VecDeque<Exchange>,
    responder: Option<Responder>,
    echo: bool,
    read_size: Option<usize>,
    keep_received: bool,
    /// Command bytes not yet a whole line.
    inbox: Vec<u8>,
    /// Reply bytes queued; those before `start` were read.
    outbox: Vec<u8>,
    start: usize,
    /// The queued replies: when each is due, and where it ends in
    /// `outbox`. Due in order: the line is a serial line.
    pieces: VecDeque<(Instant, usize)>,
    received: Vec<Vec<u8>>,
    mismatches: Vec<Mismatch>,
}

impl Default for ScriptedModem {
    fn default() -> Self {
        Self {
            script: VecDeque::new(),
            responder: None,
            echo: false,
            read_size: None,
            keep_received: true,
            inbox: Vec::new(),
            outbox: Vec::new(),
            start: 0,
            pieces: VecDeque::new(),
            received: Vec::new(),
            mismatches: Vec::new(),
        }
    }
}

impl core::fmt::Debug for ScriptedModem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ScriptedModem")
            .field("script", &self.script.len())
            .field("responder", &self.responder.is_some())
            .field("echo", &self.echo)
            .field("unread", &self.outbox.len().saturating_sub(self.start))
            .field("received", &self.received.len())
            .field("mismatches", &self.mismatches.len())
            .finish()
    }
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
    pub fn respond_with(
        &mut self,
        responder: impl FnMut(&[u8], &mut Reply<'_>) + 'static,
    ) -> &mut Self {
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

    /// Whether to keep every command line received for
    /// [`ScriptedModem::received`] (the default) or none.
    pub fn keep_received(&mut self, on: bool) -> &mut Self {
        self.keep_received = on;
        self
    }

    /// Makes room for `reply_bytes` of unread replies in 16 pieces and for
    /// two command lines of [`cellftp_proto::MAX_COMMAND`] bytes.
    pub fn reserve(&mut self, reply_bytes: usize) -> &mut Self {
        self.outbox.reserve(reply_bytes);
        self.pieces.reserve(16);
        self.inbox.reserve(2 * cellftp_proto::MAX_COMMAND);
        self
    }

    /// Every command line received, in order (none if they are not
    /// [kept](ScriptedModem::keep_received)).
    pub fn received(&self) -> &[Vec<u8>] {
        &self.received
    }

    /// The commands that did not match the script.
    pub fn mismatches(&self) -> &[Mismatch] {
        &self.mismatches
    }

    /// True when the script is played out and every reply was read.
    pub fn is_done(&self) -> bool {
        self.script.is_empty() && self.pieces.is_empty() && self.inbox.is_empty()
    }

    /// When the next reply bytes are due, if any wait.
    pub fn next_due(&self) -> Option<Instant> {
        self.pieces.front().map(|(at, _)| *at)
    }

    /// Takes bytes the host wrote at `now`.
    pub fn write(&mut self, now: Instant, bytes: &[u8]) {
        self.inbox.extend_from_slice(bytes);
        let mut inbox = core::mem::take(&mut self.inbox);
        while let Some(len) = self.next_line(&inbox) {
            self.answer(now, inbox.get(..len).unwrap_or_default());
            inbox.drain(..len);
        }
        self.inbox = inbox;
    }

    /// The length of the next whole command line in `inbox`.
    fn next_line(&self, inbox: &[u8]) -> Option<usize> {
        if let Some(exchange) = self.script.front() {
            let expected = &exchange.command;
            if inbox.starts_with(expected) {
                return Some(expected.len());
            }
            if expected.starts_with(inbox) {
                return None;
            }
        }
        line_len(inbox)
    }

    fn answer(&mut self, now: Instant, line: &[u8]) {
        if self.echo {
            self.queue(now, |out| out.extend_from_slice(line));
        }
        match self.script.front() {
            Some(exchange) if exchange.command == line => {
                if let Some(exchange) = self.script.pop_front() {
                    let mut at = now;
                    for piece in exchange.reply {
                        at = at + piece.after;
                        self.queue(at, |out| out.extend_from_slice(&piece.bytes));
                    }
                }
            }
            None if self.responder.is_some() => {
                if let Some(mut respond) = self.responder.take() {
                    self.queue(now, |out| respond(line, &mut Reply { out }));
                    self.responder = Some(respond);
                }
            }
            expected => {
                let expected = expected.map(|e| e.command.clone());
                self.mismatches.push(Mismatch {
                    expected,
                    got: line.to_vec(),
                });
            }
        }
        if self.keep_received {
            self.received.push(line.to_vec());
        }
    }

    /// Queues the bytes `fill` appends, due at `at`.
    fn queue(&mut self, at: Instant, fill: impl FnOnce(&mut Vec<u8>)) {
        if self.start > 0 {
            // Move the unread bytes to the front; nothing is allocated.
            let start = self.start;
            self.outbox.drain(..start);
            for (_, end) in &mut self.pieces {
                *end -= start;
            }
            self.start = 0;
        }
        fill(&mut self.outbox);
        self.pieces.push_back((at, self.outbox.len()));
    }

    /// The reply bytes due by `now`, in one slice; [`ScriptedModem::consume`]
    /// says how many were read. For a reader that needs no copy.
    pub fn due(&self, now: Instant) -> &[u8] {
        let end = self
            .pieces
            .iter()
            .take_while(|(at, _)| *at <= now)
            .last()
            .map_or(self.start, |(_, end)| *end);
        self.outbox.get(self.start..end).unwrap_or_default()
    }

    /// Marks `n` reply bytes as read (at most those queued).
    pub fn consume(&mut self, n: usize) {
        self.start = self.start.saturating_add(n).min(self.outbox.len());
        while self
            .pieces
            .front()
            .is_some_and(|(_, end)| *end <= self.start)
        {
            self.pieces.pop_front();
        }
        if self.pieces.is_empty() {
            debug_assert_eq!(self.start, self.outbox.len(), "bytes outside any piece");
            self.outbox.clear();
            self.start = 0;
        }
    }

    /// Reply bytes due by `now`, up to `buf.len()` (and the read size);
    /// returns how many.
    pub fn read(&mut self, now: Instant, buf: &mut [u8]) -> usize {
        let room = self.read_size.map_or(buf.len(), |n| n.min(buf.len()));
        let due = self.due(now);
        let n = due.len().min(room);
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), due.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.consume(n);
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

/// Drives `session` ([`crate::Session`] or [`crate::simcom::Session`]) against
/// `modem` in lock-step until the session is idle and every reply was
/// read: the clock starts at `start` and jumps to the next deadline or
/// reply whenever nothing else can happen. Returns the time it ended at
/// (also when the handler stopped the run).
pub fn run<S: Drive>(
    session: &mut S,
    modem: &mut ScriptedModem,
    handler: &mut impl Handler<S>,
    start: Instant,
    max_steps: usize,
) -> Result<Instant, RunError> {
    lockstep(session, modem, handler, start, max_steps, |_| {})
}

/// [`run`], handing every block of bytes transmitted to `sent` as well.
fn lockstep<S: Drive>(
    session: &mut S,
    modem: &mut ScriptedModem,
    handler: &mut impl Handler<S>,
    start: Instant,
    max_steps: usize,
    mut sent: impl FnMut(&[u8]),
) -> Result<Instant, RunError> {
    let mut now = start;
    let mut chunk = [0u8; MAX_CHUNK];
    let mut buf = [0u8; 512];
    for _ in 0..max_steps {
        if drain(session, handler, &mut chunk).map_err(RunError::Usage)? == Run::Stop {
            return Ok(now);
        }
        while let Some(bytes) = session.poll_transmit(now) {
            sent(bytes);
            modem.write(now, bytes);
        }
        if session.is_idle() && modem.next_due().is_none() {
            return Ok(now);
        }
        let n = modem.read(now, &mut buf);
        if n > 0 {
            let input = buf.get(..n).unwrap_or_default();
            if feed(session, handler, &mut chunk, now, input).map_err(RunError::Usage)? == Run::Stop
            {
                return Ok(now);
            }
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

/// What [`run_simcom`] saw, owned.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SimcomLog {
    /// Every event, as its `Debug` text, in order.
    pub events: Vec<std::string::String>,
    /// Downloaded bytes, in order.
    pub data: Vec<u8>,
    /// Every listing line.
    pub lines: Vec<Vec<u8>>,
    /// Every job's end, in order.
    pub done: Vec<(
        crate::JobId,
        Result<crate::simcom::Outcome, crate::simcom::JobError>,
    )>,
    /// Every block of bytes transmitted (command lines and upload bytes).
    pub transmitted: Vec<Vec<u8>>,
}

/// Records what [`run_simcom`] sees and feeds its put job.
struct SimcomLogger<'a> {
    log: SimcomLog,
    upload: &'a [u8],
}

impl Handler<crate::simcom::Session> for SimcomLogger<'_> {
    fn event(&mut self, event: &crate::simcom::Event<'_>) {
        use crate::simcom::Event;

        self.log.events.push(std::format!("{event:?}"));
        match *event {
            Event::Data { data, .. } => self.log.data.extend_from_slice(data),
            Event::ListLine { line, .. } => self.log.lines.push(line.to_vec()),
            Event::JobDone { job, result } => self.log.done.push((job, result)),
            _ => {}
        }
    }

    /// As much of the upload as `buf` holds; the end of it ends the file.
    fn fill(&mut self, _job: JobId, buf: &mut [u8]) -> usize {
        let n = self.upload.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), self.upload.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.upload = self.upload.get(n..).unwrap_or_default();
        n
    }
}

/// Drives a [`crate::simcom::Session`] against `modem` in lock-step with
/// [`run`], until the session is idle and every reply was read. A put job
/// is fed from `upload` (as much as each
/// [`crate::simcom::Event::PutReady`] allows; the end of `upload` ends the
/// file). Returns the time it ended at and what it saw.
pub fn run_simcom(
    session: &mut crate::simcom::Session,
    modem: &mut ScriptedModem,
    upload: &[u8],
    start: Instant,
    max_steps: usize,
) -> Result<(Instant, SimcomLog), RunError> {
    let mut logger = SimcomLogger {
        log: SimcomLog::default(),
        upload,
    };
    let mut transmitted = Vec::new();
    let end = lockstep(session, modem, &mut logger, start, max_steps, |bytes| {
        transmitted.push(bytes.to_vec());
    })?;
    logger.log.transmitted = transmitted;
    Ok((end, logger.log))
}
