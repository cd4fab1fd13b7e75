//! The AT channel: the receive buffer and its decoder ([`Receiver`]), and the
//! command side ([`Channel`]): one command at a time, the guard time after
//! each final result, the deadlines as a small timer table, the `AT` probe
//! that is retried while a modem boots, echo recognised by what was sent,
//! and the resynchronisation after a command was lost ([`Sync`]: a probe
//! whose answer carries a number no earlier answer can carry). Jobs decide
//! what to send; the channel decides when, and knows nothing of jobs.

use core::time::Duration;

use cellftp_proto::{
    Command, CommandName, Decoded, FinalResult, Info, InfoValue, Response, ResponseDecoder,
    Setting, Text, TextKind, Urc, MAX_COMMAND, MIN_BUFFER,
};

use zeroize::Zeroize;

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
    /// Where the last item consumed without an event began.
    last_quiet: usize,
    /// Bytes consumed that must be wiped at the next chance (an echoed
    /// password), empty if none.
    to_wipe: core::ops::Range<usize>,
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
                last_quiet: 0,
                to_wipe: 0..0,
                decoder: ResponseDecoder::new(),
            },
        }
    }

    /// Overwrites the bytes [`Cursor::mark_last_quiet`] marked with zeros.
    pub(crate) fn wipe_marked(&mut self) {
        let range = core::mem::replace(&mut self.cursor.to_wipe, 0..0);
        if let Some(line) = self.bytes.get_mut(range) {
            line.zeroize();
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
            // No copy of what moved stays behind (it may be an echoed
            // password not yet decoded).
            let moved = c.end - c.start;
            if let Some(stale) = self.bytes.get_mut(moved.max(c.start)..c.end) {
                stale.zeroize();
            }
            c.end = moved;
            c.start = 0;
            c.last_quiet = 0;
            debug_assert!(c.to_wipe.is_empty(), "wiped before new input");
            c.to_wipe = 0..0;
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

    /// Payload bytes that arrived and are not yet returned as an item (a
    /// fragment still incomplete).
    pub(crate) fn payload_buffered(&self) -> u32 {
        let buffered = self.buffered().saturating_sub(self.cursor.deferred);
        self.cursor.decoder.payload_buffered(buffered)
    }

    /// Forgets everything buffered and the decoder's state: a payload that
    /// evidently will not come whole.
    pub(crate) fn reset(&mut self) {
        self.bytes.zeroize();
        self.cursor = Cursor {
            start: 0,
            end: 0,
            deferred: 0,
            last_quiet: 0,
            to_wipe: 0..0,
            decoder: ResponseDecoder::new(),
        };
    }
}

impl Drop for Receiver {
    /// Nothing received outlives the session (an echoed password included).
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

/// `raw` without the line ends before it (an item's bytes never include
/// the line end after it).
fn trim_eol(mut raw: &[u8]) -> &[u8] {
    while let [b'\r' | b'\n', rest @ ..] = raw {
        raw = rest;
    }
    raw
}

/// True if `line`, a line from the modem, is the echo of `sent`, the command
/// line just sent: the same bytes without regard to case or spaces, after
/// any bytes that are not printable ASCII at its start (line noise).
pub(crate) fn is_echo_of(line: &[u8], sent: &[u8]) -> bool {
    let sent = sent.strip_suffix(b"\r").unwrap_or(sent);
    let start = line
        .iter()
        .position(u8::is_ascii_graphic)
        .unwrap_or(line.len());
    let line = line.get(start..).unwrap_or_default();
    let mut a = line.iter().filter(|&&b| b != b' ');
    let mut b = sent.iter().filter(|&&b| b != b' ');
    if sent.is_empty() {
        return false;
    }
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
            _ => return false,
        }
    }
}

impl Cursor {
    /// Marks the last item consumed without an event (the echo of
    /// `AT+FTPPW=<password>`) for [`Receiver::wipe_marked`].
    pub(crate) fn mark_last_quiet(&mut self) {
        self.to_wipe = if self.to_wipe.is_empty() {
            self.last_quiet..self.start
        } else {
            self.to_wipe.start.min(self.last_quiet)..self.start
        };
    }

    /// Decodes the next item of `bytes` (the receiver's) and hands it to
    /// `route` with the item's raw bytes (line ends trimmed); what `route`
    /// returns may borrow `bytes` until the next call.
    ///
    /// Inlined into its one caller, so that the event `route` makes is
    /// written where the caller returns it, not copied on the way.
    #[inline(always)]
    pub(crate) fn next<'b, E>(
        &mut self,
        bytes: &'b [u8],
        route: impl FnOnce(Response<'b>, &'b [u8]) -> Option<E>,
    ) -> Next<E> {
        self.start += core::mem::take(&mut self.deferred);
        let buf = bytes.get(self.start..self.end).unwrap_or_default();
        match self.decoder.decode(buf) {
            Decoded::NeedMore { consumed } => {
                self.start += consumed;
                Next::NeedMore
            }
            Decoded::Item { item, consumed } => {
                match route(item, trim_eol(buf.get(..consumed).unwrap_or_default())) {
                    Some(event) => {
                        self.deferred = consumed;
                        Next::Routed(event)
                    }
                    None => {
                        self.last_quiet = self.start;
                        self.start += consumed;
                        Next::Quiet
                    }
                }
            }
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

/// A command encoded in the transmit buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sent {
    /// Its name.
    pub(crate) name: CommandName,
    /// What it changes in the modem once answered `OK`.
    pub(crate) effect: Effect,
    timeout: Duration,
    /// Sent by the channel itself to resynchronise.
    pub(crate) sync: bool,
    /// The `AT` probe, sent again while the modem boots (a caller's raw
    /// line is named `AT` too, and is never sent twice).
    probe: bool,
}

/// Where the channel stands with the modem's answers.
///
/// A command that ends without its final result (a timeout, a response of
/// another command's kind, a restart) may still be answered, later, in the
/// modem's order. Before the next job, the channel sends
/// `AT+FTPGETNAME=cellftp-sync-<n>` and then `AT+FTPGETNAME?`, with `<n>`
/// a number it never used before: the line `+FTPGETNAME: cellftp-sync-<n>`
/// can only be the answer to this query, so once it came, the next final
/// result is the query's, and every answer after it belongs to a command
/// sent after it. Every final result before it is stale and reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sync {
    /// Every final result so far was paired with its command.
    Steady,
    /// A command was lost: probe before the next job; `attempts` probes
    /// went unanswered.
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
    /// A resynchronising probe went unanswered and is tried again.
    SyncRetry,
    /// The resynchronising probes went unanswered `attempts` times: the
    /// modem does not answer.
    SyncFailed,
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
    /// Whether a lost command's answer may still come.
    sync: Sync,
    /// The number of the last resynchronising probe.
    nonce: u32,
    /// Restart codes (`RDY`, `+CFUN: 1`) are part of the restart already
    /// reported until a command is answered (and none is sent until the
    /// codes have been quiet for the restart settle time).
    restarting: bool,
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
            sync: Sync::Steady,
            nonce: 0,
            restarting: false,
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
        self.stage_as(command, config, false);
    }

    fn stage_as(&mut self, command: &Command<'_>, config: &Config, sync: bool) {
        debug_assert!(self.is_free(), "one command at a time");
        let sent = Sent {
            name: command.name(),
            effect: Effect::of(command),
            timeout: timeout_of(&config.timeouts, command),
            sync,
            probe: matches!(command, Command::At),
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

    /// Copies the caller's validated `line` (CR included) for the next
    /// transmit, as command `name` with the timeout of `class`. The channel
    /// must be free.
    pub(crate) fn stage_raw(
        &mut self,
        line: &[u8],
        name: CommandName,
        class: cellftp_proto::TimeoutClass,
        config: &Config,
    ) {
        debug_assert!(self.is_free(), "one command at a time");
        let sent = Sent {
            name,
            effect: Effect::None,
            timeout: config.timeouts.for_class(class),
            sync: false,
            probe: false,
        };
        let len = line.len().min(self.tx.len());
        debug_assert!(len == line.len(), "a validated raw line fits");
        if let (Some(dst), Some(src)) = (self.tx.get_mut(..len), line.get(..len)) {
            dst.copy_from_slice(src);
        }
        self.tx_len = len;
        self.slot = Slot::Staged(sent);
        self.timers.set(Timer::Guard, self.ready_at);
    }

    /// True if `urc`, a line that could be either an unsolicited code or
    /// an answer ([`Urc::could_answer`]), answers the command in flight:
    /// the command line sent has the same name (`AT+CPIN?` for
    /// `+CPIN: READY`).
    pub(crate) fn asked(&self, urc: &Urc<'_>) -> bool {
        let (Some(name), Some(sent)) = (urc.could_answer(), self.sent_line()) else {
            return false;
        };
        let Some(after_at) = sent.get(2..) else {
            return false;
        };
        let end = after_at
            .iter()
            .position(|b| matches!(b, b'=' | b'?' | b'\r'))
            .unwrap_or(after_at.len());
        after_at
            .get(..end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
    }

    /// Stages the next resynchronising probe if a command was lost; returns
    /// true if the channel is resynchronising.
    pub(crate) fn resync(&mut self, config: &Config) -> bool {
        match self.sync {
            Sync::Steady => false,
            Sync::Lost { attempts } => {
                self.nonce = self.nonce.wrapping_add(1);
                let mut buf = [0u8; 24];
                let name = sync_name(self.nonce, &mut buf);
                match Text::from_bytes(TextKind::FileName, name) {
                    Ok(text) => {
                        self.sync = Sync::Naming { attempts };
                        self.stage_as(&Command::FtpGetName(Setting::Set(text)), config, true);
                    }
                    Err(_) => {
                        debug_assert!(false, "the probe's name is a valid file name");
                        self.sync = Sync::Steady;
                    }
                }
                true
            }
            Sync::Asking { attempts, .. } => {
                // Asked again from the start if the query was dropped.
                self.sync = Sync::Asking {
                    attempts,
                    seen: false,
                };
                let query = Command::FtpGetName(Setting::Query);
                self.stage_as(&query, config, true);
                true
            }
            // The name was dropped before its answer (a restart cleared
            // the channel): set a new one.
            Sync::Naming { attempts } => {
                self.sync = Sync::Lost { attempts };
                self.resync(config)
            }
        }
    }

    /// Asks for a resynchronisation before the next job.
    pub(crate) fn lost_sync(&mut self) {
        if self.sync == Sync::Steady {
            self.sync = Sync::Lost { attempts: 0 };
        }
    }

    /// Starts the resynchronisation again from its first probe.
    pub(crate) fn restart_sync(&mut self) {
        if let Sync::Naming { attempts } | Sync::Asking { attempts, .. } = self.sync {
            self.sync = Sync::Lost { attempts };
        }
    }

    /// A restart code arrived: true if it starts a restart, false if it is
    /// part of one already reported. Either way a resynchronisation
    /// follows, and no command goes out before `settle` has passed without
    /// another restart code (the rest of the burst).
    pub(crate) fn restarted(&mut self, settle: Duration) -> bool {
        self.lost_sync();
        self.ready_at = self.ready_at.max(self.now + settle);
        if let Slot::Staged(_) = self.slot {
            self.timers.set(Timer::Guard, self.ready_at);
        }
        !core::mem::replace(&mut self.restarting, true)
    }

    /// An item that arrived while resynchronising.
    pub(crate) fn on_sync_item(&mut self, item: &Response<'_>, config: &Config) -> SyncReply {
        let in_flight = self.in_flight().filter(|s| s.sync);
        match (self.sync, in_flight, item.final_result()) {
            // The name's own answer or a stale one: either way, ask next.
            (Sync::Naming { attempts }, Some(_), Some(_)) => {
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
                Some(_),
                None,
            ) => {
                let mut buf = [0u8; 24];
                let name = sync_name(self.nonce, &mut buf);
                match item {
                    Response::Info(Info {
                        name: CommandName::FtpGetName,
                        value: InfoValue::Text(v),
                    }) if *v == name => {
                        self.sync = Sync::Asking {
                            attempts,
                            seen: true,
                        };
                        SyncReply::Quiet
                    }
                    _ => SyncReply::Stale,
                }
            }
            (Sync::Asking { seen: true, .. }, Some(_), Some(_)) => {
                self.finish_probe(config);
                self.sync = Sync::Steady;
                self.restarting = false;
                SyncReply::Quiet
            }
            _ => SyncReply::Stale,
        }
    }

    /// The guard time starts; a restart's settle time that ends later
    /// stays.
    fn guard(&mut self, config: &Config) {
        self.ready_at = self.ready_at.max(self.now + config.guard);
    }

    /// The probe in flight is answered: the guard time starts.
    fn finish_probe(&mut self, config: &Config) {
        self.clear();
        self.guard(config);
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

    /// Bytes arrived: while a transfer's command is in flight, that is
    /// activity, and its inactivity timer restarts.
    pub(crate) fn activity(&mut self, idle: Duration) {
        if self
            .in_flight()
            .is_some_and(|s| matches!(s.name, CommandName::FtpGet | CommandName::FtpList))
        {
            self.touch(idle);
        }
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
        self.guard(config);
        self.probes = 0;
        self.restarting = false;
        if sent.name != CommandName::Cfun {
            // `+CFUN: 1` belongs to `AT+CFUN` until the next command is
            // answered; after that it means a restart again.
            self.expect_cfun = false;
        }
        let declared = match result {
            FinalResult::Declared { line, .. } => config.extra_final(line).map(|(i, _)| i),
            _ => None,
        };
        let result = match ModemError::from_final(result, declared) {
            None => Ok(()),
            Some(e) => Err(e),
        };
        Some((sent, result))
    }

    /// The command line in the transmit buffer, while its command is in
    /// flight: what an echo must repeat.
    pub(crate) fn sent_line(&self) -> Option<&[u8]> {
        self.in_flight().and(self.tx.get(..self.tx_len))
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
        if sent.sync {
            self.probes = 0;
            self.clear();
            self.ready_at = self.ready_at.max(self.now);
            let attempts = match self.sync {
                Sync::Naming { attempts } | Sync::Asking { attempts, .. } => attempts + 1,
                _ => 1,
            };
            if attempts < config.probe_attempts {
                self.sync = Sync::Lost { attempts };
                return Expired::SyncRetry;
            }
            self.sync = Sync::Lost { attempts: 0 };
            return Expired::SyncFailed;
        }
        if sent.probe && self.probes + 1 < config.probe_attempts {
            // A booting modem ignores the first probes: send AT again (it is
            // still in the transmit buffer).
            self.probes += 1;
            self.slot = Slot::Staged(sent);
            self.timers.set(Timer::Guard, self.ready_at);
            return Expired::Probing;
        }
        self.probes = 0;
        self.guard(config);
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
            sent.zeroize();
        }
        self.tx_len = 0;
    }
}

impl Drop for Channel {
    /// A command staged or in flight (a password included) is wiped.
    fn drop(&mut self) {
        self.tx.zeroize();
    }
}
