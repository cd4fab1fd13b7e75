//! The SIMCom session's AT channel: the receive buffer and its decoder
//! ([`Receiver`]), and the command side ([`Channel`]): one command (or one
//! block of upload bytes) at a time, the guard time after each final
//! result, the deadlines as a small timer table, after quinn-proto's, and
//! the resynchronisation after an answer was lost ([`Sync`]: a probe whose
//! answer no earlier command can give). Jobs decide what to send; the
//! channel decides when.

use core::ops::Range;
use core::time::Duration;

use cellftp_proto::simcom::{
    Command, CommandName, Field, Info, InfoName, Quoted, QuotedKind, Response, ResponseDecoder,
    MAX_COMMAND,
};
use cellftp_proto::{FinalResult, Setting, MIN_BUFFER};
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
    /// Sent by the channel itself to resynchronise.
    pub(crate) sync: bool,
    timeout: Duration,
}

/// The name the resynchronising probe sets: `cellftp-sync-<n>`.
fn sync_name(n: u32, buf: &mut [u8; 24]) -> &[u8] {
    const HEAD: &[u8] = b"cellftp-sync-";
    let mut digits = [0u8; 10];
    let mut len = 0;
    let mut v = n;
    loop {
        if let Some(d) = digits.get_mut(len) {
            *d = b'0' + (v % 10) as u8;
        }
        len += 1;
        v /= 10;
        if v == 0 || len == digits.len() {
            break;
        }
    }
    let mut at = 0;
    for &b in HEAD.iter().chain(digits.iter().take(len).rev()) {
        if let Some(d) = buf.get_mut(at) {
            *d = b;
            at += 1;
        }
    }
    buf.get(..at).unwrap_or_default()
}

/// Where the channel stands with the modem's answers
/// (`SPEC-simcom.md` §6 item 32).
///
/// A command that ends without its final result (a timeout, a restart) may
/// still be answered, later, in the modem's order. Before anything else is
/// sent, the channel sends `AT+FTPGETNAME="cellftp-sync-<n>"` and then
/// `AT+FTPGETNAME?`, with `<n>` a number it never used before: the line
/// `+FTPGETNAME: "cellftp-sync-<n>"` can only be the answer to this query,
/// so once it came, the next final result is the query's, and every
/// answer after it belongs to a command sent after it. Every item before
/// it is stale and reported as unsolicited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sync {
    /// Every final result so far was paired with its command.
    Steady,
    /// An answer was lost: probe next; `attempts` probes went unanswered.
    Lost { attempts: u8 },
    /// The name is being set.
    Naming { attempts: u8 },
    /// The name is being asked; `seen` once the name came back.
    Asking { attempts: u8, seen: bool },
}

/// What a resynchronising probe made of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SyncReply {
    /// Not the probe's: report it.
    Stale,
    /// The probe's: nothing to report.
    Quiet,
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
    /// A resynchronising probe went unanswered and is tried again.
    SyncRetry,
    /// The resynchronising probes went unanswered
    /// [`Config::probe_attempts`] times: the modem does not answer.
    SyncFailed,
}

/// The command side of the channel.
pub(crate) struct Channel {
    now: Instant,
    tx: [u8; TX_CAPACITY],
    tx_len: usize,
    slot: Slot,
    timers: Timers,
    ready_at: Instant,
    sync: Sync,
    /// The number of the last resynchronising probe.
    nonce: u32,
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
            sync: Sync::Steady,
            nonce: 0,
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
        self.stage_as(command, config, false);
    }

    fn stage_as(&mut self, command: &Command<'_>, config: &Config, sync: bool) {
        debug_assert!(self.is_free(), "one command at a time");
        let sent = Sent {
            name: command.name(),
            data: false,
            sync,
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
            sync: false,
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
            if sent.sync {
                let attempts = match self.sync {
                    Sync::Naming { attempts } | Sync::Asking { attempts, .. } => attempts + 1,
                    Sync::Lost { attempts } => attempts + 1,
                    Sync::Steady => 1,
                };
                if attempts < config.probe_attempts {
                    self.sync = Sync::Lost { attempts };
                    return Expired::SyncRetry;
                }
                self.sync = Sync::Lost { attempts: 0 };
                return Expired::SyncFailed;
            }
            // Its answer may still come: resynchronise before the next. A
            // booting modem drops an `AT` rather than answer it late, and
            // bring-up sends `AT` again (as the first dialect's probe).
            if sent.name != CommandName::At {
                self.lost_sync();
            }
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

    /// True until the channel is in step with the modem again.
    pub(crate) fn out_of_sync(&self) -> bool {
        self.sync != Sync::Steady
    }

    /// An answer was lost (a timeout, a restart): resynchronise before the
    /// next command. A probe under way starts over with a new name.
    pub(crate) fn lost_sync(&mut self) {
        self.sync = match self.sync {
            Sync::Steady => Sync::Lost { attempts: 0 },
            Sync::Lost { attempts } | Sync::Naming { attempts } | Sync::Asking { attempts, .. } => {
                Sync::Lost { attempts }
            }
        };
    }

    /// Stages the next resynchronising probe; the channel must be free and
    /// out of step.
    pub(crate) fn resync(&mut self, config: &Config) {
        debug_assert!(self.is_free() && self.out_of_sync(), "a probe is due");
        match self.sync {
            Sync::Steady => {}
            Sync::Lost { attempts } | Sync::Naming { attempts } => {
                self.nonce = self.nonce.wrapping_add(1);
                let mut buf = [0u8; 24];
                let name = sync_name(self.nonce, &mut buf);
                match Quoted::from_bytes(QuotedKind::FileName, name) {
                    Ok(q) => {
                        self.sync = Sync::Naming { attempts };
                        self.stage_as(&Command::FtpGetName(Setting::Set(q)), config, true);
                    }
                    Err(_) => {
                        debug_assert!(false, "the probe's name is a valid file name");
                        self.sync = Sync::Steady;
                    }
                }
            }
            Sync::Asking { attempts, .. } => {
                self.sync = Sync::Asking {
                    attempts,
                    seen: false,
                };
                self.stage_as(&Command::FtpGetName(Setting::Query), config, true);
            }
        }
    }

    /// An item that arrived while a probe is in flight.
    pub(crate) fn on_sync_item(&mut self, item: &Response<'_>, config: &Config) -> SyncReply {
        match (self.sync, item.final_result()) {
            // The name's own answer or a stale one: either way, ask next
            // (if the name was not set, the query says so).
            (Sync::Naming { attempts }, Some(_)) => {
                self.finish_probe(config);
                self.sync = Sync::Asking {
                    attempts,
                    seen: false,
                };
                SyncReply::Quiet
            }
            (
                Sync::Asking {
                    attempts,
                    seen: false,
                },
                None,
            ) => {
                let mut buf = [0u8; 24];
                let name = sync_name(self.nonce, &mut buf);
                match item {
                    Response::Info(Info {
                        name: InfoName::Command(CommandName::FtpGetName),
                        fields,
                    }) if fields.len() == 1 && fields.get(0) == Some(Field::Text(name)) => {
                        self.sync = Sync::Asking {
                            attempts,
                            seen: true,
                        };
                        SyncReply::Quiet
                    }
                    _ => SyncReply::Stale,
                }
            }
            (Sync::Asking { seen: true, .. }, Some(_)) => {
                self.finish_probe(config);
                self.sync = Sync::Steady;
                SyncReply::Quiet
            }
            // A final result before the name came back: a stale one. The
            // query stays in flight until its own answer or its deadline.
            _ => SyncReply::Stale,
        }
    }

    /// The probe in flight is answered: the guard time starts.
    fn finish_probe(&mut self, config: &Config) {
        self.clear();
        self.ready_at = self.now + config.guard;
    }

    /// Stops a job's pause.
    pub(crate) fn stop_pause(&mut self) {
        self.timers.stop(Timer::Pause);
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
