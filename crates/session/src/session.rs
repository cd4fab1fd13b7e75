//! [`Session`]: runs queued FTP jobs over a byte stream it never touches.
//!
//! It only routes: bytes and time go to the AT channel ([`crate::channel`]),
//! the channel's items and final results to the running job
//! ([`crate::jobs`]), what the jobs and the modem report to the event queue,
//! and what they teach about the modem to [`Modem`].

use core::fmt;
use core::num::NonZeroU16;

use cellftp_proto::{
    CommandName, EncodeError, FinalResult, HostBuf, Password, Put, Response, TextBuf, TextKind,
    Urc, REDACTED,
};
use heapless::Deque;

use crate::config::{BringUp, Config, ConfigError, FtpConfig};
use crate::error::{JobError, ProtocolError, ResponseKind, UsageError};
use crate::event::{Event, JobId, Outcome};
use crate::jobs::{
    validate_raw, BringUpJob, ConfigureJob, Ctx, DirJob, DirOp, Flow, GetJob, Job, Jobs, ListJob,
    PutJob, QueryConfigJob, QuitJob, RawJob, RawRefusal, Reply, Step,
};
use crate::manual::{is_echo_of, is_password_echo, Channel, Expired, Next, Receiver, SyncReply};
use crate::modem::{Fact, Link, Modem};
use crate::trace::{Direction, TraceFn, TraceLine};
use crate::Instant;

/// Owned events waiting to be polled.
const MAX_PENDING_EVENTS: usize = 4;

/// Everything but the receive buffer, so that events can borrow the receive
/// buffer while this is updated.
struct Core {
    config: Config,
    channel: Channel,
    modem: Modem,
    jobs: Jobs,
    events: Deque<Event<'static>, MAX_PENDING_EVENTS>,
    /// Queued jobs cancelled, whose [`Event::JobDone`] is still to come
    /// (apart from `events`, so that a full event queue never refuses a
    /// cancel).
    cancelled: Deque<JobId, { crate::MAX_QUEUED_JOBS }>,
    /// The last item routed was the echo of `AT+FTPPW`: wipe its bytes.
    wipe_echo: bool,
    /// Where every line sent and received goes, redacted.
    trace: Option<TraceFn>,
}

/// The sans-IO FTP session. See the crate docs for the drive loop.
///
/// Its methods come in four families, after quinn-proto's `Connection`:
/// - getters: [`Session::link`], [`Session::is_idle`], …;
/// - inputs: [`Session::handle_input`], [`Session::handle_timeout`];
/// - verbs that queue jobs or feed them: [`Session::bring_up`],
///   [`Session::configure`], [`Session::put`], [`Session::send_data`], …;
/// - outputs: [`Session::poll_event`], [`Session::poll_transmit`],
///   [`Session::poll_timeout`], polled in that order after any input or verb.
pub struct Session {
    rx: Receiver,
    core: Core,
}

impl fmt::Debug for Session {
    /// A summary: never the buffers, which may hold the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("link", &self.core.modem.link())
            .field("running", &self.core.jobs.current_ref().map(|e| e.id))
            .field("queued", &self.core.jobs.queued())
            .field(
                "waiting_for",
                &self.core.channel.in_flight().map(|s| s.name),
            )
            .field("buffered", &self.rx.buffered())
            .finish()
    }
}

impl Default for Session {
    /// A session with [`Config::default`].
    fn default() -> Self {
        Self::with_valid_config(Config::default())
    }
}

impl Session {
    /// A session with no jobs, idle; `config` is checked first
    /// ([`Config::validate`]).
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Self::with_valid_config(config))
    }

    fn with_valid_config(config: Config) -> Self {
        Self {
            rx: Receiver::new(),
            core: Core::new(config),
        }
    }

    // ------------------------------------------------------------ getters

    /// What the session believes about the FTP connection.
    pub fn link(&self) -> Link {
        self.core.modem.link()
    }

    /// The modem's bytes taken by [`Session::handle_input`] and not yet
    /// decoded into items: at most [`crate::RX_CAPACITY`], and fewer than
    /// [`cellftp_proto::MIN_BUFFER`] once [`Session::poll_event`] returned
    /// `None`.
    pub fn buffered(&self) -> usize {
        self.rx.buffered()
    }

    /// True when no job is running or queued, no command is waiting to be
    /// sent or answered (a resynchronising probe included), and no event
    /// waits to be polled.
    pub fn is_idle(&self) -> bool {
        !self.core.jobs.is_running()
            && self.core.jobs.queued() == 0
            && self.core.channel.is_free()
            && self.core.events.is_empty()
            && self.core.cancelled.is_empty()
    }

    /// The settings the session was made with.
    pub fn config(&self) -> &Config {
        &self.core.config
    }

    /// Wipes the echo of `AT+FTPPW=<password>` that [`Session::poll_event`]
    /// consumed: at the next call, as an event it returned may borrow the
    /// receive buffer until then.
    fn wipe_echo(&mut self) {
        self.rx.wipe_marked();
    }

    /// Sets (or with `None` removes) the trace hook: `trace` is called
    /// with every command line [`Session::poll_transmit`] hands out and
    /// every line (or payload fragment) the session reads, in order, with
    /// passwords redacted ([`TraceLine`]). Unset, tracing costs one branch
    /// per line.
    pub fn set_trace(&mut self, trace: Option<TraceFn>) {
        self.core.trace = trace;
    }

    // ------------------------------------------------------------- inputs

    /// Takes bytes received from the modem at `now` and returns how many it
    /// took: all of them unless its receive buffer ([`crate::RX_CAPACITY`])
    /// is full, in which case the caller MUST drain [`Session::poll_event`]
    /// and offer the rest again.
    #[must_use = "bytes not taken must be offered again after draining poll_event"]
    pub fn handle_input(&mut self, now: Instant, input: &[u8]) -> usize {
        self.wipe_echo();
        self.core.channel.tick(now);
        let n = self.rx.push(input);
        if n > 0 {
            // Every byte is activity for a transfer's inactivity timer.
            self.core
                .channel
                .activity(self.core.config.timeouts.transfer_idle);
        }
        n
    }

    /// Tells the session the time is `now`; a command whose deadline has
    /// passed fails its job with [`JobError::Timeout`]. Calling it early or
    /// twice does nothing.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.wipe_echo();
        self.core.channel.tick(now);
        let pending = self
            .rx
            .payload_pending()
            .map(|p| (p, self.rx.payload_buffered()));
        if self.core.expire(pending) {
            // A probe went unanswered inside a payload that evidently will
            // not come whole: what follows is lines again.
            self.rx.reset();
        }
    }

    // -------------------------------------------------------------- verbs

    /// Queues bring-up: `AT`, `ATE0`, `AT+CFUN=1`, `AT+CGACT=1,<cid>`, as
    /// `options` says.
    pub fn bring_up(&mut self, options: BringUp) -> Result<JobId, UsageError> {
        self.core.enqueue(Job::BringUp(BringUpJob::new(options)))
    }

    /// Queues configure: port, mode, server, user, password, type, path.
    /// Every parameter is validated now.
    pub fn configure(&mut self, ftp: &FtpConfig<'_>) -> Result<JobId, UsageError> {
        let port = match ftp.port {
            None => None,
            Some(p) => Some(NonZeroU16::new(p).ok_or(EncodeError::PortZero)?),
        };
        let server = HostBuf::new(ftp.server)?;
        let user = TextBuf::new(TextKind::User, ftp.user)?;
        // Validated in the caller's string, copied only into its slot.
        let password = Password::new(ftp.password)?;
        let path = ftp
            .path
            .map(|p| TextBuf::new(TextKind::Path, p))
            .transpose()?;
        let job = Job::Configure(ConfigureJob::new(
            server,
            port,
            ftp.mode,
            ftp.transfer_type,
            user,
            path,
        ));
        self.core.enqueue_with(job, Some(password))
    }

    /// Queues an upload to `name`. The session asks for the data with
    /// [`Event::PutReady`]; answer with [`Session::send_data`] and, at the
    /// end, [`Session::finish_put`].
    pub fn put(&mut self, name: &str) -> Result<JobId, UsageError> {
        let name = TextBuf::new(TextKind::FileName, name)?;
        self.core.enqueue(Job::Put(PutJob::new(name)))
    }

    /// Queues a download of `name` from byte `offset` (0 for the whole
    /// file). A resumed download switches the modem to TYPE I first, as the
    /// manual requires for `AT+FTPRESET`.
    pub fn get(&mut self, name: &str, offset: u32) -> Result<JobId, UsageError> {
        let name = TextBuf::new(TextKind::FileName, name)?;
        self.core.enqueue(Job::Get(GetJob::new(name, offset)))
    }

    /// Queues a listing of `path`, or of the current directory.
    pub fn list(&mut self, path: Option<&str>) -> Result<JobId, UsageError> {
        let path = path.map(|p| TextBuf::new(TextKind::Path, p)).transpose()?;
        self.core.enqueue(Job::List(ListJob::new(path)))
    }

    /// Queues creating directory `dir`.
    pub fn mkdir(&mut self, dir: &str) -> Result<JobId, UsageError> {
        let dir = TextBuf::new(TextKind::Directory, dir)?;
        self.core.enqueue(Job::Dir(DirJob::new(DirOp::Make, dir)))
    }

    /// Queues removing directory `dir`.
    pub fn rmdir(&mut self, dir: &str) -> Result<JobId, UsageError> {
        let dir = TextBuf::new(TextKind::Directory, dir)?;
        self.core.enqueue(Job::Dir(DirJob::new(DirOp::Remove, dir)))
    }

    /// Queues `AT+FTPSCON`: the modem's configuration report, as
    /// [`Event::Config`] items.
    pub fn query_config(&mut self) -> Result<JobId, UsageError> {
        self.core
            .enqueue(Job::QueryConfig(QueryConfigJob::default()))
    }

    /// Queues `AT+FTPQUIT`.
    pub fn quit(&mut self) -> Result<JobId, UsageError> {
        self.core.enqueue(Job::Quit(QuitJob))
    }

    /// Queues one AT command line of the caller's, sent as given with a CR
    /// appended: `AT` first, printable ASCII only (no CR or LF inside), at
    /// most [`crate::MAX_RAW_LINE`] bytes, and never `AT+FTPPW` in any form
    /// (use [`Session::configure`], which wipes the password). Every
    /// information line that arrives while it is in flight is its answer,
    /// reported as [`Event::RawLine`], an unsolicited-looking `+CPIN:` or
    /// `+CFUN:` included when the line asked for it (`AT+CPIN?`); its final
    /// result ends the job: [`Outcome::RawDone`], or the modem's error. The
    /// timeout is the command table's for a command it knows, the local one
    /// otherwise. What the line changes in the modem is not learned by the
    /// session.
    pub fn raw(&mut self, line: &str) -> Result<JobId, UsageError> {
        let (name, class) = validate_raw(line.as_bytes()).map_err(|refusal| match refusal {
            RawRefusal::NotCommand => UsageError::RawNotCommand,
            RawRefusal::TooLong => EncodeError::TooLong {
                field: TextKind::CommandLine,
                max: crate::MAX_RAW_LINE,
                len: line.len(),
            }
            .into(),
            RawRefusal::Forbidden(offset) => EncodeError::ForbiddenByte {
                field: TextKind::CommandLine,
                offset,
                byte: line.as_bytes().get(offset).copied(),
            }
            .into(),
            RawRefusal::Password => UsageError::RawPassword,
        })?;
        self.core
            .enqueue(Job::Raw(RawJob::new(line.as_bytes(), name, class)))
    }

    /// Cancels job `job`. A queued job ends at once: its
    /// [`Event::JobDone`] with [`JobError::Cancelled`] is the next event. A
    /// running job ends cleanly, also with [`JobError::Cancelled`]: a
    /// command in flight is waited out (its data discarded, never reported
    /// as [`Event::Data`] or list lines), and an upload that sent data is
    /// closed with `AT+FTPPUT=0` first, so the modem is out of upload mode
    /// and the next upload starts a new file; it is never reported as
    /// [`Outcome::Uploaded`]. A job that has ended already (or was never
    /// queued) is [`UsageError::UnknownJob`].
    pub fn cancel(&mut self, job: JobId) -> Result<(), UsageError> {
        let core = &mut self.core;
        if core.jobs.remove_queued(job) {
            // Room: queued and cancelled jobs together are at most
            // MAX_QUEUED_JOBS (`enqueue_with`), and this one was queued.
            let pushed = core.cancelled.push_back(job);
            debug_assert!(pushed.is_ok(), "room for every queued job");
            return Ok(());
        }
        let in_flight = core.channel.in_flight().is_some();
        let Some(entry) = core.jobs.current().filter(|e| e.id == job) else {
            return Err(UsageError::UnknownJob);
        };
        if entry.cancelled || entry.job.cancel() {
            // Cancelled already, or the job closes its upload and ends.
        } else if in_flight {
            entry.cancelled = true;
        } else {
            // Nothing of the job's is in flight (a staged command is
            // dropped unsent): it ends now.
            core.finish(Err(JobError::Cancelled));
        }
        core.advance();
        Ok(())
    }

    /// Gives the waiting put job its next chunk: up to the `max` of the last
    /// [`Event::PutReady`] bytes of `data` are copied and will be sent;
    /// returns how many.
    pub fn send_data(&mut self, data: &[u8]) -> Result<usize, UsageError> {
        if data.is_empty() {
            return Err(UsageError::EmptyData);
        }
        let core = &mut self.core;
        if !core.awaiting_data() {
            return Err(UsageError::NotAwaitingData);
        }
        // 1 ..= MAX_PUT_DATA bytes: the encoder takes them.
        let n = data.len().min(core.config.chunk_size);
        let chunk = data.get(..n).unwrap_or_default();
        core.channel.stage(
            &cellftp_proto::Command::FtpPut(Put::Data(chunk)),
            &core.config,
        );
        if let Some(entry) = core.jobs.current() {
            entry.job.chunk_staged(n);
        }
        Ok(n)
    }

    /// Tells the waiting put job that the file is complete: the session
    /// sends `AT+FTPPUT=0`.
    pub fn finish_put(&mut self) -> Result<(), UsageError> {
        if !self.core.awaiting_data() {
            return Err(UsageError::NotAwaitingData);
        }
        if let Some(entry) = self.core.jobs.current() {
            entry.job.finish_put();
        }
        self.core.advance();
        Ok(())
    }

    // ------------------------------------------------------------ outputs

    /// The next event. Poll until `None` after every input and verb; the
    /// session only reads the bytes given to [`Session::handle_input`] here.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event<'_>> {
        self.wipe_echo();
        loop {
            if let Some(event) = self.core.events.pop_front() {
                return Some(event);
            }
            if let Some(job) = self.core.cancelled.pop_front() {
                return Some(Event::JobDone {
                    job,
                    result: Err(JobError::Cancelled),
                });
            }
            self.core.advance();
            if let Some(event) = self.core.events.pop_front() {
                return Some(event);
            }
            let core = &mut self.core;
            match self
                .rx
                .cursor
                .next(&self.rx.bytes, |item, raw| core.route(item, raw))
            {
                Next::Routed(event) => return Some(event),
                Next::Quiet => {
                    if core::mem::take(&mut core.wipe_echo) {
                        self.rx.cursor.mark_last_quiet();
                    }
                }
                Next::NeedMore => return None,
            }
        }
    }

    /// The next command line to write to the modem, if one is due at `now`.
    /// Returning it counts as sending it: its timeout starts now. Poll after
    /// [`Session::poll_event`] has returned `None`.
    #[must_use]
    pub fn poll_transmit(&mut self, now: Instant) -> Option<&[u8]> {
        self.wipe_echo();
        self.core.channel.tick(now);
        self.core.advance();
        let line = self.core.channel.transmit();
        if let (Some(trace), Some(line)) = (self.core.trace, line) {
            trace(Direction::Sent, TraceLine::new(line));
        }
        line
    }

    /// When the session next needs [`Session::handle_timeout`] (a command's
    /// deadline) or [`Session::poll_transmit`] (the end of a guard time).
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.core.channel.poll_timeout()
    }
}

/// The kind of a response that belongs to one command only: arriving for
/// another, it fails the job in flight.
fn kind_of(item: &Response<'_>) -> Option<ResponseKind> {
    match item {
        Response::ServResult(_) => Some(ResponseKind::ServResult),
        Response::FtpGet { .. } => Some(ResponseKind::FtpGet),
        Response::FtpList { .. } | Response::ListLine(_) => Some(ResponseKind::FtpList),
        _ => None,
    }
}

impl Core {
    /// No jobs, nothing sent. Not inlined: it then writes straight into
    /// the session being built, not into a temporary on the stack that is
    /// copied (3.9 KiB of stack on a microcontroller).
    #[inline(never)]
    fn new(config: Config) -> Self {
        Self {
            config,
            channel: Channel::new(),
            modem: Modem::default(),
            jobs: Jobs::new(),
            events: Deque::new(),
            cancelled: Deque::new(),
            wipe_echo: false,
            trace: None,
        }
    }

    fn enqueue(&mut self, job: Job) -> Result<JobId, UsageError> {
        self.enqueue_with(job, None)
    }

    /// Queues `job`, its `password` copied into the job slot's secret.
    fn enqueue_with(
        &mut self,
        job: Job,
        password: Option<Password<'_>>,
    ) -> Result<JobId, UsageError> {
        // A queued job cancelled keeps its place until its `JobDone` has
        // been polled: `cancelled` then always has room.
        if self.jobs.queued() + self.cancelled.len() >= crate::MAX_QUEUED_JOBS {
            return Err(UsageError::QueueFull);
        }
        let id = self.jobs.push(job, password)?;
        self.advance();
        Ok(id)
    }

    /// True if the running job is a put job waiting for the caller's data.
    fn awaiting_data(&mut self) -> bool {
        self.channel.is_free() && self.jobs.current().is_some_and(|e| e.job.awaits_data())
    }

    /// Moves the jobs on until one waits for the modem, the caller or room
    /// in the event queue. Most calls find a command in flight: they cost
    /// this one check where they are made.
    #[inline]
    fn advance(&mut self) {
        if self.events.is_full() || !self.channel.is_free() {
            return;
        }
        self.advance_jobs();
    }

    /// [`Core::advance`] past its first check.
    #[inline(never)]
    fn advance_jobs(&mut self) {
        loop {
            if self.events.is_full() || !self.channel.is_free() {
                return;
            }
            let Some((entry, password)) = self.jobs.current_with_secret() else {
                let link = self.modem.link();
                let refused = |job: &Job| {
                    job.needs_connection() && matches!(link, Link::Down | Link::Restarted)
                };
                // A job that will be refused needs no probe before it.
                let next_refused = self.jobs.peek_next().is_some_and(refused);
                if self.jobs.queued() > 0 && !next_refused && self.channel.resync(&self.config) {
                    return;
                }
                let started = self.jobs.start_next(|job| {
                    if refused(job) {
                        Err(JobError::NotConfigured)
                    } else {
                        Ok(())
                    }
                });
                match started {
                    None => return,
                    Some(Ok(_)) => {}
                    Some(Err((id, error))) => self.report(id, Err(error)),
                }
                continue;
            };
            // Cancelled while a command not its own was in flight (the
            // probe after a retried `AT`): once that is done, the job sends
            // nothing more.
            let cancelled = entry.cancelled;
            let id = entry.id;
            let ctx = Ctx {
                id,
                modem: &self.modem,
                config: &self.config,
            };
            match entry.job.poll(ctx, password) {
                Step::Send(command) => {
                    // A retried `AT` was answered: the job's next command
                    // waits for the channel to be in step again (bring-up's
                    // poll gives the same command when asked again).
                    if self.channel.sync_in_job(&self.config) {
                        return;
                    }
                    if cancelled {
                        self.finish(Err(JobError::Cancelled));
                        continue;
                    }
                    self.channel.stage(&command, &self.config);
                    return;
                }
                Step::SendRaw { .. } if cancelled => {
                    self.finish(Err(JobError::Cancelled));
                    continue;
                }
                Step::SendRaw { line, name, class } => {
                    self.channel.stage_raw(line, name, class, &self.config);
                    return;
                }
                Step::Wait(notice) => {
                    if let Some(notice) = notice {
                        self.push(notice.event(id));
                    }
                    return;
                }
                Step::Done(result) => self.finish(result),
            }
        }
    }

    /// Queues an owned event. The queue has room: `advance` stops when it
    /// is full, and every other caller pushes at most one event per item
    /// after `poll_event` emptied it.
    fn push(&mut self, event: Event<'static>) {
        let pushed = self.events.push_back(event);
        debug_assert!(pushed.is_ok(), "the event queue has room");
    }

    /// Reports a job's end and learns from it.
    fn report(&mut self, job: JobId, result: Result<Outcome, JobError>) {
        self.modem.learn(Fact::JobEnded(&result));
        self.push(Event::JobDone { job, result });
    }

    /// Ends the running job, if any, and drops the channel's command. A job
    /// the caller cancelled ends as cancelled, whatever its command did.
    fn finish(&mut self, mut result: Result<Outcome, JobError>) {
        if self.jobs.current_ref().is_some_and(|e| e.cancelled) {
            result = Err(JobError::Cancelled);
        }
        if let Some(id) = self.jobs.end_current() {
            self.report(id, result);
        }
        self.channel.clear();
    }

    /// Ends the running job after `flow` said so.
    /// A cancelled job ends once its command did, instead of going on.
    /// `lost_sync`: a command's answer was lost (it may still come), so the
    /// channel resynchronises before the next job, whether this job ends
    /// now or goes on (an upload is closed first: its later answers are
    /// not trusted, `jobs::put`).
    fn follow(&mut self, flow: Flow, lost_sync: bool) {
        if lost_sync {
            self.channel.lost_sync();
        }
        match flow {
            Flow::End(result) => self.finish(result),
            Flow::Continue if self.jobs.current_ref().is_some_and(|e| e.cancelled) => {
                self.finish(Err(JobError::Cancelled));
            }
            Flow::Continue => {}
        }
    }

    /// Handles one item from the modem (`raw`: its bytes); returns the event
    /// it makes, if any.
    fn route<'b>(&mut self, item: Response<'b>, raw: &'b [u8]) -> Option<Event<'b>> {
        let garbled = self.holds_password(&item, raw);
        if let Some(trace) = self.trace {
            let shown = if garbled { REDACTED.as_bytes() } else { raw };
            trace(Direction::Received, TraceLine::new(shown));
        }
        // An echo of `AT+FTPPW` the line garbled, found by the password
        // itself while the command waits: never reported, and wiped.
        if garbled {
            self.wipe_echo = true;
            return None;
        }
        if let Response::Urc(urc) = item {
            // Context decides: a line the command in flight asked for
            // (`+CPIN: READY` to `AT+CPIN?`) is its answer, not news.
            if !self.channel.asked(&urc) {
                self.on_urc(&urc);
                return Some(Event::Unsolicited(item));
            }
            // `+CFUN: 1` answering `AT+CFUN` is expected once.
            let _ = self.channel.expected(&urc);
        }
        // Echo is what was just sent, whatever the decoder made of it.
        if matches!(item, Response::Echo(_) | Response::Unknown(_))
            && self
                .channel
                .sent_line()
                .is_some_and(|sent| is_echo_of(raw, sent))
        {
            self.wipe_echo = self
                .channel
                .in_flight()
                .is_some_and(|s| s.name == CommandName::FtpPw);
            return None;
        }
        // Any other echo of `AT+FTPPW`: a late one, after its command
        // timed out. Never reported, and wiped.
        if matches!(item, Response::Echo(_) | Response::Unknown(_)) && is_password_echo(raw) {
            self.wipe_echo = true;
            return None;
        }
        let item = match item {
            // Not the echo of what was sent: a line, reported whole.
            Response::Echo(_) => Response::Unknown(raw),
            other => other,
        };
        if self.channel.in_flight().is_some_and(|s| s.sync) {
            return match self.channel.on_sync_item(&item, &self.config) {
                SyncReply::Quiet => None,
                SyncReply::Stale => Some(Event::Unsolicited(item)),
            };
        }
        let final_result = match item {
            Response::Unknown(line) => self
                .config
                .extra_final(line)
                .map(|(_, f)| FinalResult::Declared { line, ok: f.ok }),
            _ => item.final_result(),
        };
        let sent = self.channel.in_flight();
        if let Some(result) = final_result {
            if sent.is_none() {
                return Some(Event::Unsolicited(item));
            }
            self.on_final(result);
            return None;
        }
        if let (Some(_), Some(entry)) = (sent, self.jobs.current()) {
            let ctx = Ctx {
                id: entry.id,
                modem: &self.modem,
                config: &self.config,
            };
            // A cancelled job's data is discarded.
            let keep = !entry.cancelled;
            match entry.job.on_item(ctx, item) {
                Reply::Payload(event) => {
                    self.channel.touch(self.config.timeouts.transfer_idle);
                    return event.filter(|_| keep);
                }
                Reply::Answer(event) => return event.filter(|_| keep),
                Reply::Unexpected(kind) => return self.unexpected(kind, item),
                Reply::NotMine => {}
            }
        }
        match kind_of(&item) {
            Some(kind) => self.unexpected(kind, item),
            None => Some(Event::Unsolicited(item)),
        }
    }

    /// True if `item` is a line not understood that holds the password
    /// of the `AT+FTPPW` in flight, and is not that command's echo: an
    /// echo garbled before the `=` (a byte lost on the line).
    fn holds_password(&mut self, item: &Response<'_>, raw: &[u8]) -> bool {
        if !matches!(item, Response::Echo(_) | Response::Unknown(_))
            || !self
                .channel
                .in_flight()
                .is_some_and(|s| s.name == CommandName::FtpPw)
        {
            return false;
        }
        let Some((_, Some(password))) = self.jobs.current_with_secret() else {
            return false;
        };
        let password = password.expose();
        // The echo itself is redacted by proto's rule where it is shown.
        !password.is_empty()
            && !is_password_echo(raw)
            && raw.windows(password.len()).any(|w| w == password)
    }

    /// A response that belongs to another command: the job in flight
    /// fails (an upload is closed first), and the channel resynchronises
    /// before the next job. While the probe waits (no job runs), the
    /// failed command's late answer is only reported.
    fn unexpected<'b>(&mut self, kind: ResponseKind, item: Response<'b>) -> Option<Event<'b>> {
        if let Some(sent) = self.channel.in_flight() {
            self.modem.learn(Fact::Unanswered(sent.effect));
        }
        if let (Some(sent), Some(entry)) = (self.channel.in_flight(), self.jobs.current()) {
            let flow = entry.job.on_unexpected(sent.name, kind);
            self.follow(flow, true);
        }
        Some(Event::Unsolicited(item))
    }

    /// An unsolicited result code. Not inlined: a rare path, kept out of
    /// the receive loop.
    #[inline(never)]
    fn on_urc(&mut self, urc: &Urc<'_>) {
        if self.channel.expected(urc) {
            return;
        }
        self.modem.learn(Fact::Urc(urc));
        if !urc.is_restart() {
            return;
        }
        // A modem still booting says RDY during bring-up: expected.
        if self.jobs.current().is_some_and(|e| e.job.expects_restart()) {
            return;
        }
        // `RDY`, `+CFUN: 1`, … of one restart fail one job; whatever the
        // modem was sent before is lost or answered late: resynchronise,
        // once the burst has been quiet for the settle time.
        if !self.channel.restarted(self.config.timeouts.restart_settle) {
            return;
        }
        let command = match self.channel.in_flight() {
            Some(sent) if !sent.sync => sent.name,
            Some(_) => {
                // The probe was lost with the restart: probe again.
                self.channel.clear();
                self.channel.restart_sync();
                return;
            }
            None if self.jobs.is_running() => CommandName::At,
            None => return,
        };
        self.finish(Err(JobError::Protocol {
            command,
            error: ProtocolError::ModemRestarted,
        }));
    }

    /// The final result of the command in flight.
    fn on_final(&mut self, result: FinalResult<'_>) {
        let Some((sent, result)) = self.channel.complete(result, &self.config) else {
            return;
        };
        let Some(entry) = self.jobs.current() else {
            return;
        };
        let flow = entry.job.on_final(sent.name, result);
        if sent.name == CommandName::FtpPw {
            // Answered: the password is needed no more.
            self.jobs.wipe_current_secret();
        }
        // A code that can come unasked may have ended the command before
        // its own answer, which would answer the next one.
        let lost = result.err().is_some_and(|e| e.may_come_unasked());
        if result.is_ok() {
            self.modem.learn(Fact::Answered(sent.effect));
        } else if lost {
            self.modem.learn(Fact::Unanswered(sent.effect));
        }
        self.follow(flow, lost);
    }

    /// Handles a passed deadline; returns true if the receive side must be
    /// reset. `pending` is what the decoder still expects of a payload and
    /// how much of it is buffered. Not inlined: a rare path, whose events
    /// and errors would otherwise take room in the frame of every caller
    /// of [`Session::handle_timeout`] (a driver's loop).
    #[inline(never)]
    fn expire(&mut self, pending: Option<(u32, u32)>) -> bool {
        match self.channel.expire(&self.config) {
            Expired::No => false,
            Expired::Probing => {
                self.push(Event::NoAnswer {
                    command: CommandName::At,
                });
                false
            }
            Expired::SyncRetry => {
                self.push(Event::NoAnswer {
                    command: CommandName::FtpGetName,
                });
                pending.is_some()
            }
            Expired::SyncFailed => {
                self.push(Event::NoAnswer {
                    command: CommandName::FtpGetName,
                });
                // The job waiting for the modem cannot go on, or cannot
                // run: it fails, and the next one probes again.
                if self.channel.take_sync_in_job() && self.jobs.current_ref().is_some() {
                    self.finish(Err(JobError::NoAnswer));
                } else if let Some(Err((id, e))) = self.jobs.start_next(|_| Err(JobError::NoAnswer))
                {
                    self.report(id, Err(e));
                }
                pending.is_some()
            }
            Expired::TimedOut(sent) => {
                self.modem.learn(Fact::Unanswered(sent.effect));
                if let Some(entry) = self.jobs.current() {
                    let flow = entry.job.on_timeout(sent.name, pending);
                    self.follow(flow, true);
                } else {
                    self.channel.lost_sync();
                }
                false
            }
        }
    }
}
