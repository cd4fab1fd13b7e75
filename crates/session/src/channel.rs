//! The AT channel: the receive buffer and its decoder ([`Receiver`]), and the
//! command side ([`Channel`]): one command at a time, the guard time after
//! each final result, the deadlines as a small timer table, the `AT` probe
//! that is retried while a modem boots, and the resynchronising `AT` after a
//! command was lost. Jobs decide what to send; the channel decides when,
//! and knows nothing of jobs.

use core::time::Duration;

use cellftp_proto::{
    Command, CommandName, Decoded, FinalResult, Response, ResponseDecoder, Urc, MAX_COMMAND,
    MIN_BUFFER,
};

use crate::config::{Config, Timeouts};
use crate::error::ModemError;
use crate::modem::Effect;
use crate::Instant;

/// The receive buffer's size: the decoder's [`MIN_BUFFER`] plus room for a
/// read.
pub const RX_CAPACITY: usize = MIN_BUFFER + 1984;

/// The receive side: bytes from the modem, and the [`Cursor`] that cuts
/// them into [`Response`] items, which borrow the bytes. The two are
/// separate fields so that an event can borrow the bytes while the cursor
/// and the rest of the session move on.
pub(crate) struct Receiver {
    pub(crate) bytes: [u8; RX_CAPACITY],
    pub(crate) cursor: Cursor,
}

/// Where the receiver is in its bytes, and the decoder's state.
pub(crate) struct Cursor {
    start: usize,
    end: usize,
    /// Bytes of the last item that made an event, consumed on the next call
    /// (the event borrows them until then).
    deferred: usize,
    decoder: ResponseDecoder,
}

/// What [`Cursor::next`] found.
pub(crate) enum Next<E> {
    /// `route` made this of the next item.
    Routed(E),
    /// `route` made nothing of the next item: call again.
    Quiet,
    /// No whole item is buffered.
    NeedMore,
}

impl Receiver {
    pub(crate) fn new() -> Self {
        Self {
            bytes: [0; RX_CAPACITY],
            cursor: Cursor {
                start: 0,
                end: 0,
                deferred: 0,
                decoder: ResponseDecoder::new(),
            },
        }
    }

    /// Bytes buffered and not yet decoded.
    pub(crate) fn buffered(&self) -> usize {
        self.cursor.end - self.cursor.start
    }

    /// Takes what fits of `input`; returns how many bytes.
    pub(crate) fn push(&mut self, input: &[u8]) -> usize {
        let c = &mut self.cursor;
        c.start += core::mem::take(&mut c.deferred);
        if c.start > 0 && self.bytes.len() - c.end < input.len() {
            self.bytes.copy_within(c.start..c.end, 0);
            c.end -= c.start;
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

    /// What the decoder still expects of a payload it is inside.
    pub(crate) fn payload_pending(&self) -> Option<u32> {
        self.cursor.decoder.payload_pending()
    }

    /// Forgets everything buffered: after a timeout, whatever the modem
    /// still sends belongs to the failed command.
    pub(crate) fn reset(&mut self) {
        self.cursor = Cursor {
            start: 0,
            end: 0,
            deferred: 0,
            decoder: ResponseDecoder::new(),
        };
    }
}

impl Cursor {
    /// Decodes the next item of `bytes` (the receiver's) and hands it to
    /// `route`; what `route` returns may borrow `bytes` until the next call.
    ///
    /// Inlined into its one caller, so that the event `route` makes is
    /// written where the caller returns it, not copied on the way.
    #[inline(always)]
    pub(crate) fn next<'b, E>(
        &mut self,
        bytes: &'b [u8],
        route: impl FnOnce(Response<'b>) -> Option<E>,
    ) -> Next<E> {
        self.start += core::mem::take(&mut self.deferred);
        let buf = bytes.get(self.start..self.end).unwrap_or_default();
        match self.decoder.decode(buf) {
            Decoded::NeedMore { consumed } => {
                self.start += consumed;
                Next::NeedMore
            }
            Decoded::Item { item, consumed } => match route(item) {
                Some(event) => {
                    self.deferred = consumed;
                    Next::Routed(event)
                }
                None => {
                    self.start += consumed;
                    Next::Quiet
                }
            },
        }
    }
}

/// The timers of the channel, after quinn-proto's timer table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Timer {
    /// The end of the guard time before a staged command may go.
    Guard = 0,
    /// The deadline of the command in flight.
    Response = 1,
}

/// When each [`Timer`] fires, if it is set.
#[derive(Debug, Clone, Copy, Default)]
struct Timers([Option<Instant>; 2]);

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

/// The timeout of `command`. The one place where a command's timeout is
/// chosen.
pub(crate) fn timeout_of(timeouts: &Timeouts, command: &Command<'_>) -> Duration {
    timeouts.for_class(command.timeout_class())
}

/// A command encoded in the transmit buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sent {
    /// Its name.
    pub(crate) name: CommandName,
    /// What it changes in the modem once answered `OK`.
    pub(crate) effect: Effect,
    timeout: Duration,
}

/// Where the one command of the channel is.
#[derive(Debug, Clone, Copy)]
enum Slot {
    /// No command.
    Free,
    /// Encoded, waiting for the guard time to pass.
    Staged(Sent),
    /// Sent, waiting for its final result.
    InFlight(Sent),
}

/// What became of the command in flight at its deadline.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Expired {
    /// Nothing has passed its deadline.
    No,
    /// An `AT` probe went unanswered and is sent again.
    Probing,
    /// This command timed out.
    TimedOut(Sent),
}

/// The command side of the AT channel.
pub(crate) struct Channel {
    now: Instant,
    tx: [u8; MAX_COMMAND],
    tx_len: usize,
    slot: Slot,
    timers: Timers,
    /// No command before this (the guard time after a final result).
    ready_at: Instant,
    /// `AT` probes sent so far without an answer.
    probes: u8,
    /// A command failed without its final result: before the next job,
    /// send `AT` and wait for its answer, so that a late answer to the
    /// failed command is not taken for the next one's.
    resync: bool,
    /// `AT+CFUN` was sent: its `+CFUN: 1` is not a restart.
    expect_cfun: bool,
}

impl Channel {
    pub(crate) fn new() -> Self {
        Self {
            now: Instant::default(),
            tx: [0; MAX_COMMAND],
            tx_len: 0,
            slot: Slot::Free,
            timers: Timers::default(),
            ready_at: Instant::default(),
            probes: 0,
            resync: false,
            expect_cfun: false,
        }
    }

    /// Moves the clock on; it never goes back.
    pub(crate) fn tick(&mut self, now: Instant) {
        self.now = self.now.max(now);
    }

    /// True when no command is staged or in flight.
    pub(crate) fn is_free(&self) -> bool {
        matches!(self.slot, Slot::Free)
    }

    /// The command in flight, if any.
    pub(crate) fn in_flight(&self) -> Option<Sent> {
        match self.slot {
            Slot::InFlight(sent) => Some(sent),
            _ => None,
        }
    }

    /// Encodes `command` for the next transmit. The channel must be free.
    ///
    /// Every command a job builds was validated when the job was queued and
    /// fits [`MAX_COMMAND`], so the encoder cannot refuse it; if it did, the
    /// command is taken as sent without a byte, and times out.
    #[inline]
    pub(crate) fn stage(&mut self, command: &Command<'_>, config: &Config) {
        debug_assert!(self.is_free(), "one command at a time");
        let sent = Sent {
            name: command.name(),
            effect: Effect::of(command),
            timeout: timeout_of(&config.timeouts, command),
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

    /// Stages the resynchronising `AT` if a command was lost; returns true
    /// if it did.
    pub(crate) fn resync(&mut self, config: &Config) -> bool {
        if !core::mem::take(&mut self.resync) {
            return false;
        }
        self.stage(&Command::At, config);
        true
    }

    /// Asks for a resynchronising `AT` before the next job.
    pub(crate) fn lost_sync(&mut self) {
        self.resync = true;
    }

    /// The staged command line, if its guard time has passed: from now on
    /// it is in flight and its deadline runs.
    pub(crate) fn transmit(&mut self) -> Option<&[u8]> {
        let Slot::Staged(sent) = self.slot else {
            return None;
        };
        if self.now < self.ready_at {
            return None;
        }
        self.slot = Slot::InFlight(sent);
        self.timers.stop(Timer::Guard);
        self.timers.set(Timer::Response, self.now + sent.timeout);
        if sent.name == CommandName::Cfun {
            self.expect_cfun = true;
        }
        self.tx.get(..self.tx_len)
    }

    /// When the channel next needs attention: the deadline of the command
    /// in flight, or the end of a staged command's guard time.
    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        self.timers.next()
    }

    /// Restarts the deadline of the command in flight: transfers time out
    /// on inactivity, and payload is activity.
    pub(crate) fn touch(&mut self, idle: Duration) {
        if self.in_flight().is_some() {
            self.timers.set(Timer::Response, self.now + idle);
        }
    }

    /// The final result of the command in flight: the command is done, the
    /// guard time starts, and the transmit buffer (which may have held the
    /// password) is wiped. Returns the command and what the modem said.
    pub(crate) fn complete(
        &mut self,
        result: FinalResult<'_>,
        config: &Config,
    ) -> Option<(Sent, Result<(), ModemError>)> {
        let sent = self.in_flight()?;
        self.clear();
        self.ready_at = self.now + config.guard;
        self.probes = 0;
        if sent.name != CommandName::Cfun {
            // `+CFUN: 1` belongs to `AT+CFUN` until the next command is
            // answered; after that it means a restart again.
            self.expect_cfun = false;
        }
        let result = match result {
            FinalResult::Ok => Ok(()),
            FinalResult::Error => Err(ModemError::Error),
            FinalResult::Cme(e) => Err(ModemError::Cme { code: e.code() }),
            FinalResult::Cms(e) => Err(ModemError::Cms { code: e.code() }),
        };
        Some((sent, result))
    }

    /// Checks the deadline of the command in flight. A probe (`AT`) is sent
    /// again until [`Config::probe_attempts`] went unanswered; any other
    /// command that passed its deadline is done, and the guard time starts.
    pub(crate) fn expire(&mut self, config: &Config) -> Expired {
        let (Some(sent), Some(deadline)) = (self.in_flight(), self.timers.get(Timer::Response))
        else {
            return Expired::No;
        };
        if self.now < deadline {
            return Expired::No;
        }
        self.timers.stop(Timer::Response);
        if sent.name == CommandName::At && self.probes + 1 < config.probe_attempts {
            // A booting modem ignores the first probes: send AT again (it is
            // still in the transmit buffer).
            self.probes += 1;
            self.slot = Slot::Staged(sent);
            self.timers.set(Timer::Guard, self.ready_at);
            return Expired::Probing;
        }
        self.probes = 0;
        self.ready_at = self.now + config.guard;
        self.clear();
        Expired::TimedOut(sent)
    }

    /// True, once, if `urc` is the `+CFUN` that answers `AT+CFUN`, not news.
    pub(crate) fn expected(&mut self, urc: &Urc<'_>) -> bool {
        if matches!(urc, Urc::Cfun(_)) && self.expect_cfun {
            self.expect_cfun = false;
            return true;
        }
        false
    }

    /// Drops the command, staged or in flight, and wipes the transmit
    /// buffer: nothing staged survives the job that staged it, a password
    /// that timed out or was never sent included.
    pub(crate) fn clear(&mut self) {
        self.slot = Slot::Free;
        self.timers.stop(Timer::Guard);
        self.timers.stop(Timer::Response);
        if let Some(sent) = self.tx.get_mut(..self.tx_len) {
            sent.fill(0);
        }
        self.tx_len = 0;
    }
}
