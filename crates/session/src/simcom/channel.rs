//! The SIMCom session's AT channel: the shared [`crate::channel`],
//! parameterised by [`Simcom`], and what only this dialect does: upload
//! bytes owed after `+FTPPUT: 2,<cnf>` go at once in place of the command
//! that asked for them, a lost answer is resynchronised before anything
//! else is sent (`SPEC-simcom.md` §6 item 32), and the URC-driven
//! operations keep two more timers, inactivity and a job's pause, in a
//! table of their own.

use core::time::Duration;

use cellftp_proto::simcom::{
    Command, CommandName, Field, Info, InfoName, Quoted, QuotedKind, Response, ResponseDecoder,
    MAX_COMMAND, MAX_PUT_DATA,
};
use cellftp_proto::{FinalResult, Setting};

use super::config::Config;
use crate::channel::timers::Timers;
use crate::channel::{self, Dialect};
use crate::error::ModemError;
use crate::Instant;

pub use crate::channel::RX_CAPACITY;
pub(crate) use crate::channel::{is_echo_of, Next, SyncReply};

/// The transmit buffer: a command line or a block of upload bytes.
const TX_CAPACITY: usize = if MAX_COMMAND > MAX_PUT_DATA {
    MAX_COMMAND
} else {
    MAX_PUT_DATA
};

/// SIMCom's dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Simcom;

impl Dialect for Simcom {
    type Decoder = ResponseDecoder;
    type Command<'a> = Command<'a>;
    type Name = CommandName;
    type Effect = ();
    type Config = Config;
    type Tx = [u8; TX_CAPACITY];
    type State = Timers<Timer, 2>;
    const TX: Self::Tx = [0; TX_CAPACITY];
    const GUARD_BEFORE_PROBE_RETRY: bool = true;

    #[inline]
    fn name(command: &Command<'_>) -> CommandName {
        command.name()
    }

    #[inline]
    fn effect(_command: &Command<'_>) {}

    #[inline]
    fn timeout(config: &Config, command: &Command<'_>) -> Duration {
        config.timeouts.for_class(command.timeout_class())
    }

    #[inline]
    fn encode(command: &Command<'_>, buf: &mut [u8]) -> Result<usize, cellftp_proto::EncodeError> {
        command.encode(buf)
    }

    fn guard(config: &Config) -> Duration {
        config.guard
    }

    fn probe_attempts(config: &Config) -> u8 {
        config.probe_attempts
    }

    fn sync_set(name: &[u8]) -> Option<Command<'_>> {
        let name = Quoted::from_bytes(QuotedKind::FileName, name).ok()?;
        Some(Command::FtpGetName(Setting::Set(name)))
    }

    fn sync_query() -> Command<'static> {
        Command::FtpGetName(Setting::Query)
    }

    fn is_final(item: &Response<'_>) -> bool {
        item.final_result().is_some()
    }

    fn is_sync_name(item: &Response<'_>, name: &[u8]) -> bool {
        matches!(item, Response::Info(Info {
            name: InfoName::Command(CommandName::FtpGetName),
            fields,
        }) if fields.len() == 1 && fields.get(0) == Some(Field::Text(name)))
    }
}

/// The receive side, with this dialect's decoder.
pub(crate) type Receiver = channel::Receiver<ResponseDecoder>;

/// What is in the transmit buffer: a command, or upload bytes (`data`,
/// named `AT+FTPPUT`).
pub(crate) type Sent = channel::Sent<Simcom>;

/// The timers of the URC-driven operations, apart from the channel's (the
/// dialect's state inside the channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Timer {
    /// The URC phase of an operation: inactivity.
    Idle = 0,
    /// A job's pause (bring-up polling the bearer status).
    Pause = 1,
}

impl From<Timer> for usize {
    fn from(timer: Timer) -> usize {
        timer as usize
    }
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

/// The command side of the channel, for this dialect.
pub(crate) struct Channel {
    inner: channel::Channel<Simcom>,
}

impl Channel {
    pub(crate) fn new() -> Self {
        Self {
            inner: channel::Channel::new(),
        }
    }

    /// Moves the clock on; it never goes back.
    pub(crate) fn tick(&mut self, now: Instant) {
        self.inner.tick(now);
    }

    pub(crate) fn now(&self) -> Instant {
        self.inner.now()
    }

    pub(crate) fn is_free(&self) -> bool {
        self.inner.is_free()
    }

    pub(crate) fn in_flight(&self) -> Option<Sent> {
        self.inner.in_flight()
    }

    /// Encodes `command` for the next transmit; the channel must be free.
    /// Jobs build only validated commands, so a refusal cannot happen; if
    /// it did, the command counts as sent and times out.
    #[inline]
    pub(crate) fn stage(&mut self, command: &Command<'_>, config: &Config) {
        self.inner.stage(command, config);
    }

    /// Replaces the command in flight (`AT+FTPPUT=2,<n>`, answered by its
    /// header) by `data`, the `<cnf>` upload bytes owed, to go at once.
    pub(crate) fn stage_data(&mut self, data: &[u8], config: &Config) {
        let sent = Sent::new(CommandName::FtpPut, (), true, config.timeouts.operation);
        self.inner.stage_data(data, sent);
    }

    /// The staged bytes, once the guard time has passed: from now on they
    /// are in flight and their deadline runs.
    pub(crate) fn transmit(&mut self) -> Option<&[u8]> {
        self.inner.transmit()
    }

    /// The command line in flight, for echo recognition.
    pub(crate) fn sent_line(&self) -> Option<&[u8]> {
        self.inner.sent_line()
    }

    /// The final result of what is in flight: the guard time starts and the
    /// transmit buffer is wiped.
    pub(crate) fn complete(
        &mut self,
        result: FinalResult<'_>,
        config: &Config,
    ) -> Option<(Sent, Result<(), ModemError>)> {
        self.inner.complete(result, None, config)
    }

    /// Restarts the deadline of a read in flight: payload is activity.
    pub(crate) fn touch(&mut self, config: &Config) {
        if self
            .in_flight()
            .is_some_and(|s| s.name != CommandName::FtpPut)
        {
            self.inner.touch(config.timeouts.idle);
        }
    }

    /// Starts or restarts the URC phase's inactivity timer.
    pub(crate) fn idle_from_now(&mut self, config: &Config) {
        self.inner
            .state
            .set(Timer::Idle, self.now() + config.timeouts.idle);
    }

    /// Stops the URC phase's timer.
    pub(crate) fn stop_idle(&mut self) {
        self.inner.state.stop(Timer::Idle);
    }

    /// True while the URC phase's timer runs.
    pub(crate) fn idle_running(&self) -> bool {
        self.inner.state.get(Timer::Idle).is_some()
    }

    /// Starts a pause of `d`.
    pub(crate) fn pause(&mut self, d: Duration) {
        self.inner.state.set(Timer::Pause, self.now() + d);
    }

    /// True while a pause runs.
    pub(crate) fn pausing(&self) -> bool {
        self.inner.state.get(Timer::Pause).is_some()
    }

    /// Stops a job's pause.
    pub(crate) fn stop_pause(&mut self) {
        self.inner.state.stop(Timer::Pause);
    }

    /// When the channel next needs attention.
    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        match (self.inner.poll_timeout(), self.inner.state.next()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Checks the deadlines: the command in flight's first, then the
    /// inactivity timer, then a pause.
    pub(crate) fn expire(&mut self, config: &Config) -> Expired {
        match self.inner.expire(config) {
            channel::Expired::No => {}
            channel::Expired::SyncRetry => return Expired::SyncRetry,
            channel::Expired::SyncFailed => return Expired::SyncFailed,
            channel::Expired::TimedOut(sent) => {
                // Its answer may still come: resynchronise before the next.
                // A booting modem drops an `AT` rather than answer it late,
                // and bring-up sends `AT` again (as the first dialect's
                // probe).
                if sent.name != CommandName::At {
                    self.lost_sync();
                }
                return Expired::Command(sent);
            }
        }
        let due = |t: Option<Instant>| t.is_some_and(|t| t <= self.now());
        if due(self.inner.state.get(Timer::Idle)) {
            self.inner.state.stop(Timer::Idle);
            return Expired::Idle;
        }
        if due(self.inner.state.get(Timer::Pause)) {
            self.inner.state.stop(Timer::Pause);
            return Expired::Pause;
        }
        Expired::No
    }

    /// True until the channel is in step with the modem again.
    pub(crate) fn out_of_sync(&self) -> bool {
        self.inner.out_of_sync()
    }

    /// An answer was lost (a timeout, a restart): resynchronise before the
    /// next command. A probe under way starts over with a new name.
    pub(crate) fn lost_sync(&mut self) {
        self.inner.lost_sync();
        self.inner.restart_sync();
    }

    /// Stages the next resynchronising probe; the channel must be free and
    /// out of step.
    pub(crate) fn resync(&mut self, config: &Config) {
        debug_assert!(self.is_free() && self.out_of_sync(), "a probe is due");
        let _ = self.inner.resync(config);
    }

    /// An item that arrived while a probe is in flight.
    pub(crate) fn on_sync_item(&mut self, item: &Response<'_>, config: &Config) -> SyncReply {
        self.inner.on_sync_item(item, config)
    }

    /// Drops what is staged or in flight and wipes the transmit buffer.
    pub(crate) fn clear(&mut self) {
        self.inner.clear();
    }
}
