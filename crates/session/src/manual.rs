//! The AT channel of the modem of `SPEC.md` (the vendor manual's FTP
//! commands): the shared [`crate::channel`], parameterised by [`Manual`],
//! and what only this dialect does: the `AT` probe that is retried while a
//! modem boots, restart codes (`RDY`, `+CFUN: 1`) that belong to one
//! restart until a command is answered, the `+CFUN` that answers
//! `AT+CFUN`, the caller's own command lines and extra final results, and a
//! transfer's inactivity timer.

use core::time::Duration;

use cellftp_proto::{
    Command, CommandName, FinalResult, Info, InfoValue, Response, ResponseDecoder, Setting, Text,
    TextKind, TimeoutClass, Urc, MAX_COMMAND,
};

use crate::channel::{self, Dialect};
use crate::config::Config;
use crate::error::ModemError;
use crate::modem::Effect;
use crate::Instant;

pub(crate) use crate::channel::{is_echo_of, is_password_echo, Next, SyncReply};

/// The dialect of `SPEC.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Manual;

impl Dialect for Manual {
    type Decoder = ResponseDecoder;
    type Command<'a> = Command<'a>;
    type Name = CommandName;
    type Effect = Effect;
    type Config = Config;
    type Tx = [u8; MAX_COMMAND];
    type State = State;
    const TX: Self::Tx = [0; MAX_COMMAND];
    const GUARD_BEFORE_PROBE_RETRY: bool = false;

    #[inline]
    fn name(command: &Command<'_>) -> CommandName {
        command.name()
    }

    #[inline]
    fn effect(command: &Command<'_>) -> Effect {
        Effect::of(command)
    }

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
        let text = Text::from_bytes(TextKind::FileName, name).ok()?;
        Some(Command::FtpGetName(Setting::Set(text)))
    }

    fn sync_query() -> Command<'static> {
        Command::FtpGetName(Setting::Query)
    }

    fn is_final(item: &Response<'_>) -> bool {
        item.final_result().is_some()
    }

    fn is_sync_name(item: &Response<'_>, name: &[u8]) -> bool {
        matches!(item, Response::Info(Info {
            name: CommandName::FtpGetName,
            value: InfoValue::Text(v),
        }) if *v == name)
    }

    /// `AT+CFUN` goes out: its `+CFUN: 1` is not a restart.
    #[inline]
    fn on_transmit(sent: &Sent, state: &mut State) {
        if sent.name == CommandName::Cfun {
            state.expect_cfun = true;
        }
    }
}

/// The receive side, with this dialect's decoder.
pub(crate) type Receiver = channel::Receiver<ResponseDecoder>;

/// A command in the transmit buffer.
pub(crate) type Sent = channel::Sent<Manual>;

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

/// What this dialect's side of the channel keeps, inside the channel.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// `AT` probes sent so far without an answer.
    probes: u8,
    /// Restart codes (`RDY`, `+CFUN: 1`) are part of the restart already
    /// reported until a command is answered (and none is sent until the
    /// codes have been quiet for the restart settle time).
    restarting: bool,
    /// The command staged or in flight is the `AT` probe, sent again while
    /// the modem boots (a caller's raw line is named `AT` too, and is never
    /// sent twice).
    probe: bool,
    /// An `AT` probe sent more than once was answered: which copy the
    /// answer was for is unknown, and the other's may still come, so the
    /// channel resynchronises before the job's next command (SPEC.md §5
    /// item 53).
    sync_in_job: bool,
    /// `AT+CFUN` was sent: its `+CFUN: 1` is not a restart.
    expect_cfun: bool,
}

/// The command side of the AT channel, for this dialect.
pub(crate) struct Channel {
    inner: channel::Channel<Manual>,
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

    /// True when no command is staged or in flight.
    pub(crate) fn is_free(&self) -> bool {
        self.inner.is_free()
    }

    /// The command in flight, if any.
    pub(crate) fn in_flight(&self) -> Option<Sent> {
        self.inner.in_flight()
    }

    /// Encodes `command` for the next transmit. The channel must be free.
    #[inline]
    pub(crate) fn stage(&mut self, command: &Command<'_>, config: &Config) {
        self.inner.state.probe = matches!(command, Command::At);
        self.inner.stage(command, config);
    }

    /// Copies the caller's validated `line` (CR included) for the next
    /// transmit, as command `name` with the timeout of `class`. The channel
    /// must be free.
    pub(crate) fn stage_raw(
        &mut self,
        line: &[u8],
        name: CommandName,
        class: TimeoutClass,
        config: &Config,
    ) {
        let sent = Sent::new(name, Effect::None, false, config.timeouts.for_class(class));
        self.inner.state.probe = false;
        self.inner.stage_line(line, sent);
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
        self.inner.resync(config)
    }

    /// Asks for a resynchronisation before the next job.
    pub(crate) fn lost_sync(&mut self) {
        self.inner.lost_sync();
    }

    /// Starts the resynchronisation again from its first probe.
    pub(crate) fn restart_sync(&mut self) {
        self.inner.restart_sync();
    }

    /// A restart code arrived: true if it starts a restart, false if it is
    /// part of one already reported. Either way a resynchronisation
    /// follows, and no command goes out before `settle` has passed without
    /// another restart code (the rest of the burst).
    pub(crate) fn restarted(&mut self, settle: Duration) -> bool {
        self.lost_sync();
        self.inner.hold_for(settle);
        !core::mem::replace(&mut self.inner.state.restarting, true)
    }

    /// An item that arrived while resynchronising. Once in step, restart
    /// codes mean a new restart again.
    pub(crate) fn on_sync_item(&mut self, item: &Response<'_>, config: &Config) -> SyncReply {
        let resynchronising = self.inner.out_of_sync();
        let reply = self.inner.on_sync_item(item, config);
        if resynchronising && !self.inner.out_of_sync() {
            self.inner.state.restarting = false;
        }
        reply
    }

    /// The staged command line, if its guard time has passed: from now on
    /// it is in flight and its deadline runs.
    pub(crate) fn transmit(&mut self) -> Option<&[u8]> {
        self.inner.transmit()
    }

    /// When the channel next needs attention: the deadline of the command
    /// in flight, or the end of a staged command's guard time.
    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        self.inner.poll_timeout()
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
        self.inner.touch(idle);
    }

    /// The final result of the command in flight: the command is done, the
    /// guard time starts, and the transmit buffer (which may have held the
    /// password) is wiped. Returns the command and what the modem said.
    pub(crate) fn complete(
        &mut self,
        result: FinalResult<'_>,
        config: &Config,
    ) -> Option<(Sent, Result<(), ModemError>)> {
        let declared = match result {
            FinalResult::Declared { line, .. } => config.extra_final(line).map(|(i, _)| i),
            _ => None,
        };
        let retried = self.inner.state.probe && self.inner.state.probes > 0;
        let (sent, result) = self.inner.complete(result, declared, config)?;
        if retried && !sent.sync {
            self.inner.lost_sync();
            self.inner.state.sync_in_job = true;
        }
        self.inner.state.probes = 0;
        self.inner.state.restarting = false;
        if sent.name != CommandName::Cfun {
            // `+CFUN: 1` belongs to `AT+CFUN` until the next command is
            // answered; after that it means a restart again.
            self.inner.state.expect_cfun = false;
        }
        Some((sent, result))
    }

    /// The command line in the transmit buffer, while its command is in
    /// flight: what an echo must repeat.
    pub(crate) fn sent_line(&self) -> Option<&[u8]> {
        self.inner.sent_line()
    }

    /// Stages the resynchronising probe a job must wait for before its next
    /// command (a retried `AT` was answered); returns true while it runs.
    /// The channel must be free.
    pub(crate) fn sync_in_job(&mut self, config: &Config) -> bool {
        if !self.inner.state.sync_in_job {
            return false;
        }
        if self.inner.resync(config) {
            return true;
        }
        self.inner.state.sync_in_job = false;
        false
    }

    /// The resynchronisation a job waited for failed: the job cannot go on.
    /// Returns true if a job was waiting for it.
    pub(crate) fn take_sync_in_job(&mut self) -> bool {
        core::mem::take(&mut self.inner.state.sync_in_job)
    }

    /// Checks the deadline of the command in flight. A probe (`AT`) is sent
    /// again until [`Config::probe_attempts`] went unanswered; any other
    /// command that passed its deadline is done, and the guard time starts.
    pub(crate) fn expire(&mut self, config: &Config) -> Expired {
        if let Some(sent) = self.inner.overdue() {
            if !sent.sync
                && self.inner.state.probe
                && self.inner.state.probes + 1 < config.probe_attempts
            {
                // A booting modem ignores the first probes: send AT again
                // (it is still in the transmit buffer).
                self.inner.state.probes += 1;
                self.inner.restage();
                return Expired::Probing;
            }
        }
        match self.inner.expire(config) {
            channel::Expired::No => Expired::No,
            channel::Expired::TimedOut(sent) => {
                self.inner.state.probes = 0;
                Expired::TimedOut(sent)
            }
            channel::Expired::SyncRetry => {
                self.inner.state.probes = 0;
                Expired::SyncRetry
            }
            channel::Expired::SyncFailed => {
                self.inner.state.probes = 0;
                Expired::SyncFailed
            }
        }
    }

    /// True, once, if `urc` is the `+CFUN` that answers `AT+CFUN`, not news.
    pub(crate) fn expected(&mut self, urc: &Urc<'_>) -> bool {
        if matches!(urc, Urc::Cfun(_)) && self.inner.state.expect_cfun {
            self.inner.state.expect_cfun = false;
            return true;
        }
        false
    }

    /// Drops the command, staged or in flight, and wipes the transmit
    /// buffer: nothing staged survives the job that staged it, a password
    /// that timed out or was never sent included.
    pub(crate) fn clear(&mut self) {
        self.inner.clear();
    }
}
