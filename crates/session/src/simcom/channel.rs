//! The SIMCom session's AT channel: the receive buffer and its decoder
//! ([`Receiver`]), and the command side ([`Channel`]): one command (or one
//! block of upload bytes) at a time, the guard time after each final
//! result, and the deadlines as a small timer table, after quinn-proto's.
//! Jobs decide what to send; the channel decides when.

use core::ops::Range;
use core::time::Duration;

use cellftp_proto::simcom::{Command, CommandName, Response, ResponseDecoder, MAX_COMMAND};
use cellftp_proto::{FinalResult, MIN_BUFFER};
use zeroize::Zeroize;

use super::config::Config;
use crate::error::ModemError;
use crate::Instant;

/// The SIMCom session's receive buffer: the decoder's [`MIN_BUFFER`] and
/// room for a read.
pub const RX_CAPACITY: usize = MIN_BUFFER + 1984;

/// The transmit buffer: a command line or a block of upload bytes.
const TX_CAPACITY: usize = if MAX_COMMAND > cellftp_proto::simcom::MAX_PUT_DATA {
    MAX_COMMAND
} else {
    cellftp_proto::simcom::MAX_PUT_DATA
};

/// The receive side: bytes from the modem and the cursor that cuts them
/// into items, as separate fields so that an event can borrow the bytes
/// while the cursor moves on.
pub(crate) struct Receiver {
    pub(crate) bytes: [u8; RX_CAPACITY],
    pub(crate) cursor: Cursor,
}

/// Where the receiver is in its bytes, and the decoder's state.
pub(crate) struct Cursor {
    start: usize,
    end: usize,
    /// Bytes of the last item, consumed at the next call (an event may
    /// borrow them until then).
    deferred: usize,
    /// Bytes to wipe at the next call (an echoed password line).
    to_wipe: Range<usize>,
    decoder: ResponseDecoder,
}

impl Receiver {
    pub(crate) fn new() -> Self {
        Self {
            bytes: [0; RX_CAPACITY],
            cursor: Cursor {
                start: 0,
                end: 0,
                deferred: 0,
                to_wipe: 0..0,
                decoder: ResponseDecoder::new(),
            },
        }
    }

    /// Consumes the last item and wipes what was marked.
    pub(crate) fn settle(&mut self) {
        let c = &mut self.cursor;
        c.start += core::mem::take(&mut c.deferred);
        let range = core::mem::replace(&mut c.to_wipe, 0..0);
        if let Some(line) = self.bytes.get_mut(range) {
            line.zeroize();
        }
    }

    /// Takes what fits of `input`; returns how many bytes.
    pub(crate) fn push(&mut self, input: &[u8]) -> usize {
        self.settle();
        let c = &mut self.cursor;
        if c.start > 0 && self.bytes.len() - c.end < input.len() {
            self.bytes.copy_within(c.start..c.end, 0);
            let moved = c.end - c.start;
            if let Some(stale) = self.bytes.get_mut(moved.max(c.start)..c.end) {
                stale.zeroize();
            }
            c.end = moved;
            c.start = 0;
        }
        let room = self.bytes.get_mut(c.end..).unwrap_or_default();
        let n = room.len().min(input.len());
        if let (Some(dst), Some(src)) = (room.get_mut(..n), input.get(..n)) {
            dst.copy_from_slice(src);
        }
        c.end += n;
        n
    }

    /// Bytes buffered and not yet decoded.
    pub(crate) fn buffered(&self) -> usize {
        self.cursor.end - self.cursor.start
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl Cursor {
    /// Decodes the next item of `bytes` (the receiver's): the item and its
    /// raw bytes (line ends before it trimmed), consumed at the next call.
    pub(crate) fn next<'b>(&mut self, bytes: &'b [u8]) -> Option<(Response<'b>, &'b [u8])> {
        self.start += core::mem::take(&mut self.deferred);
        let buf = bytes.get(self.start..self.end).unwrap_or_default();
        match self.decoder.decode(buf) {
            cellftp_proto::Decoded::NeedMore { consumed } => {
                self.start += consumed;
                None
            }
            cellftp_proto::Decoded::Item { item, consumed } => {
                let raw = buf.get(..consumed).unwrap_or_default();
                let at = raw
                    .iter()
                    .position(|b| *b != b'\r' && *b != b'\n')
                    .unwrap_or(raw.len());
                self.deferred = consumed;
                Some((item, raw.get(at..).unwrap_or_default()))
            }
        }
    }

    /// Marks the last item's bytes for wiping at the next call.
    pub(crate) fn wipe_last(&mut self) {
        self.to_wipe = self.start..self.start + self.deferred;
    }
}

/// True if `line` from the modem is the echo of `sent` (CR dropped), without
/// regard to case or spaces.
pub(crate) fn is_echo_of(line: &[u8], sent: &[u8]) -> bool {
    let sent = sent.strip_suffix(b"\r").unwrap_or(sent);
    if sent.is_empty() {
        return false;
    }
    let mut a = line.iter().filter(|&&b| b != b' ');
    let mut b = sent.iter().filter(|&&b| b != b' ');
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
            _ => return false,
        }
    }
}

/// The timers, after quinn-proto's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Timer {
    /// The end of the guard time before a staged command may go.
    Guard = 0,
    /// The deadline of the command in flight.
    Response = 1,
    /// The URC phase of an operation: inactivity.
    Idle = 2,
    /// A job's pause (bring-up polling the bearer status).
    Pause = 3,
}

/// When each [`Timer`] fires, if it is set.
#[derive(Debug, Clone, Copy, Default)]
struct Timers([Option<Instant>; 4]);

impl Timers {
    fn set(&mut self, timer: Timer, at: Instant) {
        if let Some(slot) = self.0.get_mut(timer as usize) {
            *slot = Some(at);
        }
    }
    fn stop(&mut self, timer: Timer) {
        if let Some(slot) = self.0.get_mut(timer as usize) {
            *slot = None;
        }
    }
    fn get(&self, timer: Timer) -> Option<Instant> {
        self.0.get(timer as usize).copied().flatten()
    }
    fn next(&self) -> Option<Instant> {
        self.0.iter().flatten().min().copied()
    }
}

/// What is in the transmit buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sent {
    /// The command, or for upload bytes `AT+FTPPUT`.
    pub(crate) name: CommandName,
    /// True for upload bytes after `+FTPPUT: 2,<cnf>`.
    pub(crate) data: bool,
    timeout: Duration,
}

#[derive(Debug, Clone, Copy)]
enum Slot {
    Free,
    Staged(Sent),
    InFlight(Sent),
}

/// What became of the deadlines at a tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expired {
    /// Nothing expired.
    No,
    /// The command in flight timed out.
    Command(Sent),
    /// The URC phase went idle too long.
    Idle,
    /// A job's pause is over.
    Pause,
}

/// The command side of the channel.
pub(crate) struct Channel {
    now: Instant,
    tx: [u8; TX_CAPACITY],
    tx_len: usize,
    slot: Slot,
    timers: Timers,
    ready_at: Instant,
}

impl Channel {
    pub(crate) fn new() -> Self {
        Self {
            now: Instant::default(),
            tx: [0; TX_CAPACITY],
            tx_len: 0,
            slot: Slot::Free,
            timers: Timers::default(),
            ready_at: Instant::default(),
        }
    }

    /// Moves the clock on; it never goes back.
    pub(crate) fn tick(&mut self, now: Instant) {
        self.now = self.now.max(now);
    }

    pub(crate) fn now(&self) -> Instant {
        self.now
    }

    pub(crate) fn is_free(&self) -> bool {
        matches!(self.slot, Slot::Free)
    }

    pub(crate) fn in_flight(&self) -> Option<Sent> {
        match self.slot {
            Slot::InFlight(s) => Some(s),
            _ => None,
        }
    }

    /// Encodes `command` for the next transmit; the channel must be free.
    /// Jobs build only validated commands, so a refusal cannot happen; if
    /// it did, the command counts as sent and times out.
    pub(crate) fn stage(&mut self, command: &Command<'_>, config: &Config) {
        debug_assert!(self.is_free(), "one command at a time");
        let sent = Sent {
            name: command.name(),
            data: false,
            timeout: config.timeouts.for_class(command.timeout_class()),
        };
        match command.encode(&mut self.tx) {
            Ok(len) => {
                self.tx_len = len;
                self.slot = Slot::Staged(sent);
                self.timers.set(Timer::Guard, self.ready_at);
            }
            Err(e) => {
                debug_assert!(false, "a validated command was refused: {e}");
                self.tx_len = 0;
                self.slot = Slot::InFlight(sent);
                self.timers.set(Timer::Response, self.now + sent.timeout);
            }
        }
    }

    /// Replaces the command in flight (`AT+FTPPUT=2,<n>`, answered by its
    /// header) by `data`, the `<cnf>` upload bytes owed, to go at once.
    pub(crate) fn stage_data(&mut self, data: &[u8], config: &Config) {
        debug_assert!(data.len() <= self.tx.len(), "a chunk fits");
        let len = data.len().min(self.tx.len());
        if let (Some(dst), Some(src)) = (self.tx.get_mut(..len), data.get(..len)) {
            dst.copy_from_slice(src);
        }
        self.tx_len = len;
        self.slot = Slot::Staged(Sent {
            name: CommandName::FtpPut,
            data: true,
            timeout: config.timeouts.operation,
        });
        self.timers.stop(Timer::Response);
        self.timers.set(Timer::Guard, self.now);
    }

    /// The staged bytes, once the guard time has passed: from now on they
    /// are in flight and their deadline runs.
    pub(crate) fn transmit(&mut self) -> Option<&[u8]> {
        let Slot::Staged(sent) = self.slot else {
            return None;
        };
        if !sent.data && self.now < self.ready_at {
            return None;
        }
        self.slot = Slot::InFlight(sent);
        self.timers.stop(Timer::Guard);
        self.timers.set(Timer::Response, self.now + sent.timeout);
        self.tx.get(..self.tx_len)
    }

    /// The command line in flight, for echo recognition.
    pub(crate) fn sent_line(&self) -> Option<&[u8]> {
        self.in_flight()
            .filter(|s| !s.data)
            .and(self.tx.get(..self.tx_len))
    }

    /// The final result of what is in flight: the guard time starts and the
    /// transmit buffer is wiped.
    pub(crate) fn complete(
        &mut self,
        result: FinalResult<'_>,
        config: &Config,
    ) -> Option<(Sent, Result<(), ModemError>)> {
        let sent = self.in_flight()?;
        self.clear();
        self.ready_at = self.now + config.guard;
        let result = match ModemError::from_final(result, None) {
            None => Ok(()),
            Some(e) => Err(e),
        };
        Some((sent, result))
    }

    /// Restarts the deadline of a read in flight: payload is activity.
    pub(crate) fn touch(&mut self, config: &Config) {
        if self
            .in_flight()
            .is_some_and(|s| s.name != CommandName::FtpPut)
        {
            self.timers
                .set(Timer::Response, self.now + config.timeouts.idle);
        }
    }

    /// Starts or restarts the URC phase's inactivity timer.
    pub(crate) fn idle_from_now(&mut self, config: &Config) {
        self.timers
            .set(Timer::Idle, self.now + config.timeouts.idle);
    }

    /// Stops the URC phase's timer.
    pub(crate) fn stop_idle(&mut self) {
        self.timers.stop(Timer::Idle);
    }

    /// True while the URC phase's timer runs.
    pub(crate) fn idle_running(&self) -> bool {
        self.timers.get(Timer::Idle).is_some()
    }

    /// Starts a pause of `d`.
    pub(crate) fn pause(&mut self, d: Duration) {
        self.timers.set(Timer::Pause, self.now + d);
    }

    /// True while a pause runs.
    pub(crate) fn pausing(&self) -> bool {
        self.timers.get(Timer::Pause).is_some()
    }

    /// When the channel next needs attention.
    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        self.timers.next()
    }

    /// Checks the deadlines, earliest first.
    pub(crate) fn expire(&mut self, config: &Config) -> Expired {
        let due = |t: Option<Instant>| t.is_some_and(|t| t <= self.now);
        if let (Some(sent), true) = (self.in_flight(), due(self.timers.get(Timer::Response))) {
            self.clear();
            self.ready_at = self.now + config.guard;
            return Expired::Command(sent);
        }
        if due(self.timers.get(Timer::Idle)) {
            self.timers.stop(Timer::Idle);
            return Expired::Idle;
        }
        if due(self.timers.get(Timer::Pause)) {
            self.timers.stop(Timer::Pause);
            return Expired::Pause;
        }
        Expired::No
    }

    /// Drops what is staged or in flight and wipes the transmit buffer.
    pub(crate) fn clear(&mut self) {
        self.slot = Slot::Free;
        self.timers.stop(Timer::Guard);
        self.timers.stop(Timer::Response);
        if let Some(b) = self.tx.get_mut(..self.tx_len) {
            b.zeroize();
        }
        self.tx_len = 0;
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.tx.zeroize();
    }
}
