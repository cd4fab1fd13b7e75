//! The AT channel both dialects run their jobs over. Jobs decide what to
//! send; the channel decides when, and knows nothing of jobs:
//!
//! - [`receiver`]: the receive buffer and its decoder cursor;
//! - [`Channel`]: one command (or one block of upload bytes) at a time, the
//!   guard time after each final result, the deadlines as a small timer
//!   table ([`timers`]), the transmit buffer wiped after every final
//!   result;
//! - [`sync`]: the resynchronisation after an answer was lost, a numbered
//!   probe;
//! - [`echo`]: echo recognised by what was sent.
//!
//! A dialect plugs in with a [`Dialect`]: its decoder, its command type and
//! how to encode and time it, its probe commands and how to recognise their
//! answer. What only one dialect does stays with it: `crate::manual` for the
//! modem of `SPEC.md` (the `AT` probe retried while the modem boots, restart
//! codes, extra final results), `crate::simcom::channel` for SIMCom's (the
//! timers of its URC-driven operations).

pub(crate) mod echo;
pub(crate) mod receiver;
pub(crate) mod sync;
pub(crate) mod timers;

use core::fmt::Debug;
use core::time::Duration;

use cellftp_proto::{Decoder, EncodeError, FinalResult};
use zeroize::Zeroize;

use crate::error::ModemError;
use crate::Instant;

pub(crate) use echo::{is_echo_of, is_password_echo};
pub use receiver::RX_CAPACITY;
pub(crate) use receiver::{Next, Receiver};
pub use sync::is_resync_name;
pub(crate) use sync::{sync_name, Sync, SyncReply};
use timers::Timers;

/// What a dialect tells the channel. Implemented by a unit type per dialect;
/// every method is a plain function of its arguments, monomorphised into
/// the channel.
pub(crate) trait Dialect: Copy + Debug + PartialEq + Eq {
    /// The decoder of what the modem sends.
    type Decoder: Decoder + Default;
    /// A command, as the jobs build it.
    type Command<'a>;
    /// A command's name: what a [`Sent`] records.
    type Name: Copy + Debug + PartialEq + Eq;
    /// What a command changes in the modem once answered `OK`, as far as
    /// the dialect tracks it.
    type Effect: Copy + Debug + PartialEq + Eq;
    /// The session's settings: the timeouts, the guard time, the probe
    /// attempts.
    type Config;
    /// The transmit buffer: a command line or a block of upload bytes.
    type Tx: AsRef<[u8]> + AsMut<[u8]> + Zeroize;
    /// What the dialect's own side of the channel keeps: held inside the
    /// channel ([`Channel::state`]), so that it packs with the channel's
    /// fields.
    type State: Default;
    /// An empty transmit buffer.
    const TX: Self::Tx;
    /// Whether a resynchronising probe that went unanswered is tried again
    /// after the guard time (SIMCom) or at once (`SPEC.md`).
    const GUARD_BEFORE_PROBE_RETRY: bool;

    /// The name of `command`.
    fn name(command: &Self::Command<'_>) -> Self::Name;
    /// What `command` changes once answered `OK`.
    fn effect(command: &Self::Command<'_>) -> Self::Effect;
    /// How long `command` may wait for its final result: the one place
    /// where a command's timeout is chosen.
    fn timeout(config: &Self::Config, command: &Self::Command<'_>) -> Duration;
    /// Encodes `command` into `buf`; returns its length.
    fn encode(command: &Self::Command<'_>, buf: &mut [u8]) -> Result<usize, EncodeError>;
    /// The guard time after a final result, before the next command.
    fn guard(config: &Self::Config) -> Duration;
    /// How many resynchronising probes may go unanswered.
    fn probe_attempts(config: &Self::Config) -> u8;
    /// The probe that sets the download name to `name`, if it is a valid
    /// name (it always is).
    fn sync_set(name: &[u8]) -> Option<Self::Command<'_>>;
    /// The probe that asks the download name.
    fn sync_query() -> Self::Command<'static>;
    /// True if `item` is a final result.
    fn is_final(item: &<Self::Decoder as Decoder>::Item<'_>) -> bool;
    /// True if `item` is the answer to [`Dialect::sync_query`] carrying
    /// `name`.
    fn is_sync_name(item: &<Self::Decoder as Decoder>::Item<'_>, name: &[u8]) -> bool;
    /// `sent` goes out now; nothing to note unless implemented.
    #[inline]
    fn on_transmit(sent: &Sent<Self>, state: &mut Self::State) {
        let _ = (sent, state);
    }
}

/// The timers of the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Timer {
    /// The end of the guard time before a staged command may go.
    Guard = 0,
    /// The deadline of the command in flight.
    Response = 1,
}

impl From<Timer> for usize {
    fn from(timer: Timer) -> usize {
        timer as usize
    }
}

/// What is in the transmit buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sent<D: Dialect> {
    /// The command, or the command whose upload bytes these are.
    pub(crate) name: D::Name,
    /// What it changes in the modem once answered `OK`.
    pub(crate) effect: D::Effect,
    /// Upload bytes, not a command line: no echo, no guard time.
    pub(crate) data: bool,
    /// Sent by the channel itself to resynchronise.
    pub(crate) sync: bool,
    timeout: Duration,
}

impl<D: Dialect> Sent<D> {
    /// A command line of the caller's or a block of upload bytes (`data`),
    /// named `name`, given `timeout` for its final result.
    pub(crate) fn new(name: D::Name, effect: D::Effect, data: bool, timeout: Duration) -> Self {
        Self {
            name,
            effect,
            data,
            sync: false,
            timeout,
        }
    }
}

/// Where the one command of the channel is.
#[derive(Debug, Clone, Copy)]
enum Slot<D: Dialect> {
    /// No command.
    Free,
    /// Encoded, waiting for the guard time to pass.
    Staged(Sent<D>),
    /// Sent, waiting for its final result.
    InFlight(Sent<D>),
}

/// What became of the command in flight at its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expired<D: Dialect> {
    /// Nothing has passed its deadline.
    No,
    /// This command timed out; the guard time starts.
    TimedOut(Sent<D>),
    /// A resynchronising probe went unanswered and is tried again.
    SyncRetry,
    /// The resynchronising probes went unanswered
    /// [`Dialect::probe_attempts`] times: the modem does not answer.
    SyncFailed,
}

/// The command side of the AT channel.
pub(crate) struct Channel<D: Dialect> {
    now: Instant,
    tx: D::Tx,
    tx_len: usize,
    slot: Slot<D>,
    timers: Timers<Timer, 2>,
    /// No command before this (the guard time after a final result).
    ready_at: Instant,
    /// Whether a lost command's answer may still come.
    sync: Sync,
    /// The number of the last resynchronising probe.
    nonce: u32,
    /// The dialect's own state.
    pub(crate) state: D::State,
}

impl<D: Dialect> Channel<D> {
    /// A free channel. Not inlined: it then writes straight into the
    /// session being built, not into a temporary copied there.
    #[inline(never)]
    pub(crate) fn new() -> Self {
        Self {
            now: Instant::default(),
            tx: D::TX,
            tx_len: 0,
            slot: Slot::Free,
            timers: Timers::new(),
            ready_at: Instant::default(),
            sync: Sync::Steady,
            nonce: 0,
            state: D::State::default(),
        }
    }

    /// Moves the clock on; it never goes back.
    pub(crate) fn tick(&mut self, now: Instant) {
        self.now = self.now.max(now);
    }

    /// The channel's clock.
    pub(crate) fn now(&self) -> Instant {
        self.now
    }

    /// True when no command is staged or in flight.
    pub(crate) fn is_free(&self) -> bool {
        matches!(self.slot, Slot::Free)
    }

    /// The command in flight, if any.
    pub(crate) fn in_flight(&self) -> Option<Sent<D>> {
        match self.slot {
            Slot::InFlight(sent) => Some(sent),
            _ => None,
        }
    }

    /// Encodes `command` for the next transmit. The channel must be free.
    ///
    /// Every command a job builds was validated when the job was queued and
    /// fits the transmit buffer, so the encoder cannot refuse it; if it
    /// did, the command is taken as sent without a byte, and times out.
    #[inline]
    pub(crate) fn stage(&mut self, command: &D::Command<'_>, config: &D::Config) {
        self.stage_as(command, config, false);
    }

    fn stage_as(&mut self, command: &D::Command<'_>, config: &D::Config, sync: bool) {
        debug_assert!(self.is_free(), "one command at a time");
        let sent = Sent {
            name: D::name(command),
            effect: D::effect(command),
            data: false,
            sync,
            timeout: D::timeout(config, command),
        };
        match D::encode(command, self.tx.as_mut()) {
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

    /// Copies `bytes` into the transmit buffer as `sent`, at most all it
    /// holds; returns how many.
    fn load(&mut self, bytes: &[u8], sent: Sent<D>) -> usize {
        let tx = self.tx.as_mut();
        let len = bytes.len().min(tx.len());
        if let (Some(dst), Some(src)) = (tx.get_mut(..len), bytes.get(..len)) {
            dst.copy_from_slice(src);
        }
        self.tx_len = len;
        self.slot = Slot::Staged(sent);
        len
    }

    /// Copies the caller's validated command `line` (CR included) for the
    /// next transmit, as `sent`. The channel must be free.
    pub(crate) fn stage_line(&mut self, line: &[u8], sent: Sent<D>) {
        debug_assert!(self.is_free(), "one command at a time");
        let len = self.load(line, sent);
        debug_assert!(len == line.len(), "a validated line fits");
        self.timers.set(Timer::Guard, self.ready_at);
    }

    /// Replaces the command in flight (the one that asked for them) by
    /// `data`, upload bytes owed, to go at once as `sent`.
    pub(crate) fn stage_data(&mut self, data: &[u8], sent: Sent<D>) {
        let len = self.load(data, sent);
        debug_assert!(len == data.len(), "a chunk fits");
        self.timers.stop(Timer::Response);
        self.timers.set(Timer::Guard, self.now);
    }

    /// The staged bytes, once the guard time has passed (upload bytes go at
    /// once): from now on they are in flight and their deadline runs.
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
        D::on_transmit(&sent, &mut self.state);
        self.tx.as_ref().get(..self.tx_len)
    }

    /// The command line in flight: what an echo must repeat.
    pub(crate) fn sent_line(&self) -> Option<&[u8]> {
        self.in_flight()
            .filter(|s| !s.data)
            .and(self.tx.as_ref().get(..self.tx_len))
    }

    /// When the channel next needs attention: the deadline of the command
    /// in flight, or the end of a staged command's guard time.
    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        self.timers.next()
    }

    /// Restarts the deadline of the command in flight, to `idle` from now:
    /// transfers time out on inactivity, and payload is activity.
    pub(crate) fn touch(&mut self, idle: Duration) {
        if self.in_flight().is_some() {
            self.timers.set(Timer::Response, self.now + idle);
        }
    }

    /// The final result of the command in flight: the command is done, the
    /// guard time starts, and the transmit buffer (which may have held a
    /// password) is wiped. Returns the command and what the modem said;
    /// `declared` is the index of the caller's extra final result the
    /// result is, if it is one.
    pub(crate) fn complete(
        &mut self,
        result: FinalResult<'_>,
        declared: Option<usize>,
        config: &D::Config,
    ) -> Option<(Sent<D>, Result<(), ModemError>)> {
        let sent = self.in_flight()?;
        self.clear();
        self.guard(config);
        let result = match ModemError::from_final(result, declared) {
            None => Ok(()),
            Some(e) => Err(e),
        };
        Some((sent, result))
    }

    /// The command in flight, if its deadline has passed.
    pub(crate) fn overdue(&self) -> Option<Sent<D>> {
        let sent = self.in_flight()?;
        let deadline = self.timers.get(Timer::Response)?;
        (self.now >= deadline).then_some(sent)
    }

    /// Sends the command in flight again, after the guard time (it is still
    /// in the transmit buffer).
    pub(crate) fn restage(&mut self) {
        let Some(sent) = self.in_flight() else {
            return;
        };
        self.timers.stop(Timer::Response);
        self.slot = Slot::Staged(sent);
        self.timers.set(Timer::Guard, self.ready_at);
    }

    /// Checks the deadline of the command in flight. A resynchronising probe
    /// is tried again until [`Dialect::probe_attempts`] went unanswered;
    /// any other command that passed its deadline is done, and the guard
    /// time starts.
    pub(crate) fn expire(&mut self, config: &D::Config) -> Expired<D> {
        let Some(sent) = self.overdue() else {
            return Expired::No;
        };
        if sent.sync {
            return self.probe_unanswered(config);
        }
        self.timers.stop(Timer::Response);
        self.guard(config);
        self.clear();
        Expired::TimedOut(sent)
    }

    /// The guard time starts; a hold ([`Channel::hold_for`]) that ends
    /// later stays.
    pub(super) fn guard(&mut self, config: &D::Config) {
        self.ready_at = self.ready_at.max(self.now + D::guard(config));
    }

    /// Nothing staged goes out before `settle` has passed from now (a
    /// restart's codes settling), whatever the guard time says.
    pub(crate) fn hold_for(&mut self, settle: Duration) {
        self.ready_at = self.ready_at.max(self.now + settle);
        if let Slot::Staged(_) = self.slot {
            self.timers.set(Timer::Guard, self.ready_at);
        }
    }

    /// Drops the command, staged or in flight, and wipes the transmit
    /// buffer: nothing staged survives the job that staged it, a password
    /// that timed out or was never sent included.
    pub(crate) fn clear(&mut self) {
        self.slot = Slot::Free;
        self.timers.stop(Timer::Guard);
        self.timers.stop(Timer::Response);
        if let Some(sent) = self.tx.as_mut().get_mut(..self.tx_len) {
            sent.zeroize();
        }
        self.tx_len = 0;
    }
}

impl<D: Dialect> Drop for Channel<D> {
    /// A command staged or in flight (a password included) is wiped.
    fn drop(&mut self) {
        self.tx.zeroize();
    }
}

// ------------------------------------------------------- resynchronising

impl<D: Dialect> Channel<D> {
    /// True until the channel is in step with the modem again.
    pub(crate) fn out_of_sync(&self) -> bool {
        self.sync != Sync::Steady
    }

    /// Asks for a resynchronisation before the next command, unless one is
    /// under way.
    pub(crate) fn lost_sync(&mut self) {
        if self.sync == Sync::Steady {
            self.sync = Sync::Lost { attempts: 0 };
        }
    }

    /// Starts a resynchronisation under way again from its first probe,
    /// with a new name.
    pub(crate) fn restart_sync(&mut self) {
        if let Sync::Naming { attempts } | Sync::Asking { attempts, .. } = self.sync {
            self.sync = Sync::Lost { attempts };
        }
    }

    /// Stages the next resynchronising probe if an answer was lost; returns
    /// true if the channel is resynchronising. The channel must be free.
    pub(crate) fn resync(&mut self, config: &D::Config) -> bool {
        debug_assert!(self.is_free(), "one command at a time");
        match self.sync {
            Sync::Steady => false,
            // A name dropped before its answer (a restart cleared the
            // channel) is set anew, with a new number.
            Sync::Lost { attempts } | Sync::Naming { attempts } => {
                self.nonce = self.nonce.wrapping_add(1);
                let mut buf = [0u8; 24];
                let name = sync_name(self.nonce, &mut buf);
                match D::sync_set(name) {
                    Some(command) => {
                        self.sync = Sync::Naming { attempts };
                        self.stage_as(&command, config, true);
                    }
                    None => {
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
                self.stage_as(&D::sync_query(), config, true);
                true
            }
        }
    }

    /// An item that arrived while a probe is in flight.
    pub(crate) fn on_sync_item(
        &mut self,
        item: &<D::Decoder as cellftp_proto::Decoder>::Item<'_>,
        config: &D::Config,
    ) -> SyncReply {
        if !self.in_flight().is_some_and(|s| s.sync) {
            return SyncReply::Stale;
        }
        match (self.sync, D::is_final(item)) {
            // The name's own answer or a stale one: either way, ask next
            // (if the name was not set, the query says so).
            (Sync::Naming { attempts }, true) => {
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
                false,
            ) => {
                let mut buf = [0u8; 24];
                if D::is_sync_name(item, sync_name(self.nonce, &mut buf)) {
                    self.sync = Sync::Asking {
                        attempts,
                        seen: true,
                    };
                    SyncReply::Quiet
                } else {
                    SyncReply::Stale
                }
            }
            (Sync::Asking { seen: true, .. }, true) => {
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
    fn finish_probe(&mut self, config: &D::Config) {
        self.clear();
        self.guard(config);
    }

    /// The probe in flight passed its deadline: it is tried again, with a
    /// new name, until [`Dialect::probe_attempts`] went unanswered.
    fn probe_unanswered(&mut self, config: &D::Config) -> Expired<D> {
        self.timers.stop(Timer::Response);
        self.clear();
        if D::GUARD_BEFORE_PROBE_RETRY {
            self.guard(config);
        } else {
            self.ready_at = self.ready_at.max(self.now);
        }
        let attempts = match self.sync {
            Sync::Lost { attempts } | Sync::Naming { attempts } | Sync::Asking { attempts, .. } => {
                attempts + 1
            }
            Sync::Steady => 1,
        };
        if attempts < D::probe_attempts(config) {
            self.sync = Sync::Lost { attempts };
            return Expired::SyncRetry;
        }
        self.sync = Sync::Lost { attempts: 0 };
        Expired::SyncFailed
    }
}
