//! [`Session`]: runs queued SIMCom FTP jobs over a byte stream it never
//! touches. It only routes: bytes and time to the channel, items and final
//! results to the running job, listing bytes to the line buffer, what the
//! jobs report to the event queue.

use core::fmt;

use cellftp_proto::simcom::{
    CommandName, Password, PasswordBuf, PutOpt, Quoted, QuotedBuf, QuotedKind, Response,
    SecretKind, MAX_QUOTED,
};
use cellftp_proto::EncodeError;
use heapless::Deque;

use super::channel::{is_echo_of, Channel, Expired, Next, Receiver, SyncReply};
use super::config::{BearerConfig, Config, ConfigError, FtpConfig};
use super::error::{JobError, ProtocolError};
use super::event::{Event, Outcome};
use super::jobs::{
    BringUpJob, ConfigureJob, Ctx, Deadline, Entry, FileOp, FileOpJob, Flow, GetJob, Job, ListJob,
    PutJob, QuitJob, RecoverJob, Reply, Step,
};
use super::lines::{LineBuf, PutBuf};
use crate::error::UsageError;
use crate::event::JobId;
use crate::jobs::MAX_QUEUED_JOBS;
use crate::trace::{Direction, TraceFn, TraceLine};
use crate::Instant;

/// Owned events waiting to be polled.
const MAX_PENDING_EVENTS: usize = 4;

/// Everything but the receive buffer, so that events can borrow it.
struct Core {
    config: Config,
    channel: Channel,
    queue: Deque<Entry, MAX_QUEUED_JOBS>,
    current: Option<Entry>,
    next_id: u32,
    events: Deque<Event<'static>, MAX_PENDING_EVENTS>,
    lines: LineBuf,
    put: PutBuf,
    /// Command echo is known to be on.
    echo_on: bool,
    /// A job timed out: recover before the next one.
    recover: bool,
    /// What is known of the bearer: open (`Some(true)`), closed.
    bearer: Option<bool>,
    /// Where every line sent and received goes, redacted.
    trace: Option<TraceFn>,
    /// The caller cancelled the running job: it ends once nothing of its
    /// is in flight, and the operation is quit.
    cancelling: bool,
    /// Queued jobs cancelled, whose [`Event::JobDone`] is still to come.
    cancelled: Deque<JobId, MAX_QUEUED_JOBS>,
    /// The running job has sent its operation's command: if it fails
    /// otherwise than by the operation's own ending URC, the operation may
    /// still run, and recovery follows.
    op_started: bool,
    /// The resynchronising probes went unanswered with no job waiting:
    /// nothing is sent until a job is queued.
    dormant: bool,
    /// The last item routed was the echo of a command carrying a password:
    /// wipe its bytes.
    wipe_echo: bool,
}

/// The sans-IO session of the SIMCom dialect; the drive loop is the one of
/// [`crate::Session`]: after every input or verb, drain
/// [`Session::poll_event`], then write every [`Session::poll_transmit`],
/// then wait for bytes or [`Session::poll_timeout`].
///
/// ```
/// use cellftp_session::simcom::{Event, Outcome, Session};
/// use cellftp_session::Instant;
///
/// // A scripted SIM800: what it answers to each command line.
/// fn modem(sent: &[u8]) -> &'static [u8] {
///     match sent {
///         b"AT+FTPGET=1\r" => b"\r\nOK\r\n\r\n+FTPGET: 1,1\r\n",
///         b"AT+FTPGET=2,1460\r" => b"\r\n+FTPGET: 2,5\r\nhello\r\nOK\r\n\r\n+FTPGET: 1,0\r\n",
///         _ => b"\r\nOK\r\n",
///     }
/// }
/// let mut session = Session::default();
/// let job = session.get("/", "a.txt", 0)?;
/// let (mut now, mut file, mut done) = (Instant::from_millis(0), Vec::new(), None);
/// let mut reads = 0;
/// while done.is_none() {
///     while let Some(event) = session.poll_event() {
///         match event {
///             Event::Data { data, .. } => file.extend_from_slice(data),
///             Event::JobDone { job: j, result } if j == job => done = Some(result),
///             _ => {}
///         }
///     }
///     let mut input: &[u8] = b"";
///     if let Some(line) = session.poll_transmit(now) {
///         input = modem(line);
///         if line == b"AT+FTPGET=2,1460\r" {
///             reads += 1;
///             if reads == 2 {
///                 input = b"\r\n+FTPGET: 2,0\r\n\r\nOK\r\n";
///             }
///         }
///     }
///     if !input.is_empty() {
///         let n = session.handle_input(now, input);
///         assert_eq!(n, input.len());
///     } else if let Some(t) = session.poll_timeout() {
///         now = now.max(t);
///         session.handle_timeout(now);
///     }
/// }
/// assert_eq!(file, b"hello");
/// assert_eq!(done, Some(Ok(Outcome::Downloaded { offset: 0, bytes: 5 })));
/// # Ok::<(), cellftp_session::UsageError>(())
/// ```
pub struct Session {
    rx: Receiver,
    core: Core,
}

impl fmt::Debug for Session {
    /// A summary: never the buffers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("simcom::Session")
            .field("model", &self.core.config.model)
            .field("running", &self.core.current.as_ref().map(|e| e.id))
            .field("queued", &self.core.queue.len())
            .field(
                "waiting_for",
                &self.core.channel.in_flight().map(|s| s.name),
            )
            .field("buffered", &self.rx.buffered())
            .finish()
    }
}

impl Default for Session {
    /// A SIM800 session with [`Config::default`].
    fn default() -> Self {
        Self::with_valid_config(Config::default())
    }
}

/// `dir` as a directory value: validated, with a `/` appended unless it
/// ends in one (`SPEC-simcom.md` §6 item 15).
fn directory(dir: &str) -> Result<QuotedBuf, EncodeError> {
    let q = Quoted::new(QuotedKind::Path, dir)?;
    if dir.ends_with('/') {
        return Ok(QuotedBuf::from(q));
    }
    let mut buf = [0u8; MAX_QUOTED + 1];
    let len = dir.len();
    if let Some(dst) = buf.get_mut(..len) {
        dst.copy_from_slice(dir.as_bytes());
    }
    if let Some(slash) = buf.get_mut(len) {
        *slash = b'/';
    }
    QuotedBuf::from_bytes(QuotedKind::Path, buf.get(..len + 1).unwrap_or_default())
}

/// True for the commands that start an FTP operation on the modem (or,
/// for a put or a get, move its data): after them, the operation runs
/// until its ending URC.
fn starts_operation(name: CommandName) -> bool {
    matches!(
        name,
        CommandName::FtpGet
            | CommandName::FtpPut
            | CommandName::FtpList
            | CommandName::FtpMkd
            | CommandName::FtpRmd
            | CommandName::FtpDele
            | CommandName::FtpSize
    )
}

impl Session {
    /// A session with no jobs; `config` is checked first
    /// ([`Config::validate`]).
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Self::with_valid_config(config))
    }

    fn with_valid_config(config: Config) -> Self {
        Self {
            rx: Receiver::new(),
            core: Core {
                config,
                channel: Channel::new(),
                queue: Deque::new(),
                current: None,
                next_id: 0,
                events: Deque::new(),
                lines: LineBuf::new(),
                put: PutBuf::new(),
                echo_on: false,
                recover: false,
                bearer: None,
                trace: None,
                cancelling: false,
                cancelled: Deque::new(),
                op_started: false,
                dormant: false,
                wipe_echo: false,
            },
        }
    }

    /// What the session knows of the bearer: `Some(true)` after a
    /// successful bring-up, `Some(false)` after the network closed it
    /// (`+SAPBR <cid>: DEACT`, `+PDP: DEACT`, `+APP PDP: <idx>,DEACTIVE`)
    /// or the modem restarted (`RDY`, `+CFUN: 1`), `None` before bring-up.
    /// Operations fail with error 61 while it is closed; run bring-up
    /// again.
    pub fn bearer(&self) -> Option<bool> {
        self.core.bearer
    }

    /// Sets (or with `None` removes) the trace hook: called with every
    /// command line and block of upload bytes [`Session::poll_transmit`]
    /// hands out and every item read (a line, or a payload fragment),
    /// passwords redacted ([`TraceLine`]).
    pub fn set_trace(&mut self, trace: Option<TraceFn>) {
        self.core.trace = trace;
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.core.config
    }

    /// The modem's bytes taken by [`Session::handle_input`] and not yet
    /// decoded into items: at most [`crate::RX_CAPACITY`].
    pub fn buffered(&self) -> usize {
        self.rx.buffered()
    }

    /// True when no job runs or waits, nothing is staged or in flight, and
    /// no event waits.
    pub fn is_idle(&self) -> bool {
        self.core.current.is_none()
            && self.core.queue.is_empty()
            && self.core.channel.is_free()
            && self.core.events.is_empty()
            && self.core.lines.is_empty()
            && self.core.cancelled.is_empty()
            && (self.core.dormant || (!self.core.recover && !self.core.channel.out_of_sync()))
    }

    /// Drops what the last event borrowed; wipes what was marked.
    fn settle(&mut self) {
        self.rx.settle();
        self.core.lines.release();
    }

    // ------------------------------------------------------------- inputs

    /// Takes bytes from the modem at `now`; returns how many. If not all,
    /// drain [`Session::poll_event`] and offer the rest again.
    #[must_use = "bytes not taken must be offered again after draining poll_event"]
    pub fn handle_input(&mut self, now: Instant, input: &[u8]) -> usize {
        self.settle();
        self.core.channel.tick(now);
        self.rx.push(input)
    }

    /// Tells the session the time; a passed deadline fails or moves on the
    /// running job.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.settle();
        let core = &mut self.core;
        core.channel.tick(now);
        let deadline = match core.channel.expire(&core.config) {
            Expired::No | Expired::Pause => return,
            Expired::SyncRetry => {
                core.advance();
                return;
            }
            Expired::SyncFailed => {
                // The job waiting for the modem cannot run: it fails, and
                // the next one probes again. (A running job waits for the
                // probe only after a restart during bring-up.)
                if core.current.is_some() {
                    core.finish(Err(JobError::Timeout {
                        command: CommandName::FtpGetName,
                    }));
                    core.advance();
                    return;
                }
                match core.queue.pop_front() {
                    Some(entry) => core.push(Event::JobDone {
                        job: entry.id,
                        result: Err(JobError::Timeout {
                            command: CommandName::FtpGetName,
                        }),
                    }),
                    None => core.dormant = true,
                }
                core.advance();
                return;
            }
            Expired::Command(sent) => Deadline::Command(sent),
            Expired::Idle => Deadline::Idle,
        };
        let ctx_flow = core.with_job(|job, ctx| job.on_timeout(ctx, deadline));
        if let Some(flow) = ctx_flow {
            core.follow(flow);
        }
        core.advance();
    }

    // -------------------------------------------------------------- verbs

    /// Queues bring-up: `AT`, `ATE0`, the bearer parameters and the bearer
    /// opened (`AT+SAPBR`). Refused at once if a parameter is invalid.
    pub fn bring_up(&mut self, bearer: &BearerConfig<'_>) -> Result<JobId, UsageError> {
        let apn = QuotedBuf::new(QuotedKind::Apn, bearer.apn)?;
        let user = bearer
            .user
            .map(|u| QuotedBuf::new(QuotedKind::BearerUser, u))
            .transpose()?;
        let password = match bearer.password {
            Some(p) => Some(PasswordBuf::from(Password::new(SecretKind::Bearer, p)?)),
            None => None,
        };
        self.enqueue(Job::BringUp(BringUpJob::new(apn, user, password)))
    }

    /// Queues configure: profile, server, port, user, password, mode.
    pub fn configure(&mut self, ftp: &FtpConfig<'_>) -> Result<JobId, UsageError> {
        if ftp.port == 0 {
            return Err(EncodeError::PortZero.into());
        }
        let server = QuotedBuf::new(QuotedKind::Server, ftp.server)?;
        let user = QuotedBuf::new(QuotedKind::User, ftp.user)?;
        let password = PasswordBuf::from(Password::new(SecretKind::Ftp, ftp.password)?);
        self.enqueue(Job::Configure(ConfigureJob::new(
            server, ftp.port, user, password, ftp.mode,
        )))
    }

    /// Queues an upload of `name` into directory `dir` (binary) with
    /// `opt` (`STOR` replaces, `APPE` appends; with `STOU` the server picks
    /// a name the modem does not report). The session asks for the data
    /// with [`Event::PutReady`].
    pub fn put(&mut self, dir: &str, name: &str, opt: PutOpt) -> Result<JobId, UsageError> {
        let dir = directory(dir)?;
        let name = QuotedBuf::new(QuotedKind::FileName, name)?;
        self.enqueue(Job::Put(PutJob::new(dir, name, opt)))
    }

    /// Queues a download of `name` in `dir` (binary), from byte `offset`
    /// (`AT+FTPREST`; 0 for the whole file).
    pub fn get(&mut self, dir: &str, name: &str, offset: u32) -> Result<JobId, UsageError> {
        let dir = directory(dir)?;
        let name = QuotedBuf::new(QuotedKind::FileName, name)?;
        self.enqueue(Job::Get(GetJob::new(dir, name, offset)))
    }

    /// Queues a listing of `dir`, reported as [`Event::ListLine`]s.
    pub fn list(&mut self, dir: &str) -> Result<JobId, UsageError> {
        let dir = directory(dir)?;
        self.enqueue(Job::List(ListJob::new(dir)))
    }

    /// Queues creating directory `dir`.
    pub fn mkdir(&mut self, dir: &str) -> Result<JobId, UsageError> {
        let dir = directory(dir)?;
        self.enqueue(Job::FileOp(FileOpJob::new(FileOp::Mkdir, dir, None)))
    }

    /// Queues removing directory `dir`.
    pub fn rmdir(&mut self, dir: &str) -> Result<JobId, UsageError> {
        let dir = directory(dir)?;
        self.enqueue(Job::FileOp(FileOpJob::new(FileOp::Rmdir, dir, None)))
    }

    /// Queues deleting `name` in `dir`.
    pub fn delete(&mut self, dir: &str, name: &str) -> Result<JobId, UsageError> {
        let dir = directory(dir)?;
        let name = QuotedBuf::new(QuotedKind::FileName, name)?;
        self.enqueue(Job::FileOp(FileOpJob::new(FileOp::Delete, dir, Some(name))))
    }

    /// Queues asking the size of `name` in `dir` ([`Outcome::Size`]).
    pub fn size(&mut self, dir: &str, name: &str) -> Result<JobId, UsageError> {
        let dir = directory(dir)?;
        let name = QuotedBuf::new(QuotedKind::FileName, name)?;
        self.enqueue(Job::FileOp(FileOpJob::new(FileOp::Size, dir, Some(name))))
    }

    /// Queues `AT+FTPQUIT`.
    pub fn quit(&mut self) -> Result<JobId, UsageError> {
        self.enqueue(Job::Quit(QuitJob))
    }

    /// Cancels job `job`. A queued job ends at once (its
    /// [`Event::JobDone`] with [`JobError::Cancelled`] comes next). A
    /// running job ends once nothing of its is in flight (data of its that
    /// still arrives is discarded); then the session asks `AT+FTPSTATE` and
    /// ends a running operation with `AT+FTPQUIT` (`SPEC-simcom.md` §4.6).
    /// A job that has ended is [`UsageError::UnknownJob`].
    pub fn cancel(&mut self, job: JobId) -> Result<(), UsageError> {
        self.settle();
        let core = &mut self.core;
        if core.queue.iter().any(|e| e.id == job) {
            let mut kept = Deque::<Entry, MAX_QUEUED_JOBS>::new();
            while let Some(entry) = core.queue.pop_front() {
                if entry.id != job {
                    // Room: fewer entries than the queue held.
                    let _ = kept.push_back(entry);
                }
            }
            core.queue = kept;
            // Room: queued and cancelled jobs together are at most
            // MAX_QUEUED_JOBS (`enqueue`), and this one was queued.
            let pushed = core.cancelled.push_back(job);
            debug_assert!(pushed.is_ok(), "room for every queued job");
            return Ok(());
        }
        let running = core
            .current
            .as_ref()
            .is_some_and(|e| e.id == job && !matches!(e.job, Job::Recover(_)));
        if !running {
            return Err(UsageError::UnknownJob);
        }
        core.cancelling = true;
        if core.channel.in_flight().is_none() {
            // A staged command is dropped unsent.
            core.channel.clear();
        }
        core.advance();
        Ok(())
    }

    /// Gives the waiting put job its next chunk: up to the `max` of the
    /// last [`Event::PutReady`] bytes of `data` are copied; returns how many.
    pub fn send_data(&mut self, data: &[u8]) -> Result<usize, UsageError> {
        self.settle();
        if data.is_empty() {
            return Err(UsageError::EmptyData);
        }
        let core = &mut self.core;
        let Some(entry) = core.current.as_mut().filter(|e| e.job.awaits_data()) else {
            return Err(UsageError::NotAwaitingData);
        };
        let n = core.put.set(data, entry.job.chunk_max());
        entry.job.chunk_given(n);
        core.advance();
        Ok(n)
    }

    /// Tells the waiting put job the file is complete: `AT+FTPPUT=2,0`.
    pub fn finish_put(&mut self) -> Result<(), UsageError> {
        self.settle();
        let core = &mut self.core;
        let Some(entry) = core.current.as_mut().filter(|e| e.job.awaits_data()) else {
            return Err(UsageError::NotAwaitingData);
        };
        entry.job.finish_put();
        core.advance();
        Ok(())
    }

    fn enqueue(&mut self, job: Job) -> Result<JobId, UsageError> {
        self.settle();
        let core = &mut self.core;
        // A queued job cancelled keeps its place until its `JobDone` has
        // been polled: `cancelled` then always has room.
        if core.queue.len() + core.cancelled.len() >= MAX_QUEUED_JOBS {
            return Err(UsageError::QueueFull);
        }
        let id = JobId(core.next_id);
        core.queue
            .push_back(Entry { id, job })
            .map_err(|_| UsageError::QueueFull)?;
        core.dormant = false;
        core.next_id = core.next_id.wrapping_add(1);
        core.advance();
        Ok(id)
    }

    // ------------------------------------------------------------ outputs

    /// The next event; poll until `None` after every input and verb.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event<'_>> {
        self.settle();
        loop {
            let last = self
                .core
                .current
                .as_ref()
                .is_some_and(|e| e.job.list_flushing());
            if let (Some(range), Some(job)) = (
                self.core.lines.take(last),
                self.core.current.as_ref().map(|e| e.id),
            ) {
                let line = self.core.lines.get(range);
                return Some(Event::ListLine {
                    job,
                    line,
                    entry: cellftp_proto::listing::Entry::parse(line),
                });
            }
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
            if self.core.lines.has_line() {
                continue;
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

    /// The next bytes to write to the modem, if due at `now`: a command
    /// line, or the upload bytes a `+FTPPUT: 2,<cnf>` asked for. Returning
    /// them counts as writing them.
    #[must_use]
    pub fn poll_transmit(&mut self, now: Instant) -> Option<&[u8]> {
        self.settle();
        self.core.channel.tick(now);
        self.core.advance();
        let bytes = self.core.channel.transmit();
        if let (Some(trace), Some(bytes)) = (self.core.trace, bytes) {
            trace(Direction::Sent, TraceLine::new(bytes));
        }
        bytes
    }

    /// When the session next needs [`Session::handle_timeout`] or
    /// [`Session::poll_transmit`].
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.core.channel.poll_timeout()
    }
}

impl Core {
    /// Calls `f` with the running job and its context.
    fn with_job<T>(&mut self, f: impl FnOnce(&mut Job, Ctx<'_>) -> T) -> Option<T> {
        let entry = self.current.as_mut()?;
        let ctx = Ctx {
            id: entry.id,
            config: &self.config,
            now: self.channel.now(),
            echo_on: self.echo_on,
            listed: (self.lines.entries, self.lines.lines),
            lines_pending: !self.lines.is_empty(),
            in_flight: self.channel.in_flight(),
        };
        Some(f(&mut entry.job, ctx))
    }

    fn push(&mut self, event: Event<'static>) {
        let pushed = self.events.push_back(event);
        debug_assert!(pushed.is_ok(), "the event queue has room");
    }

    /// Ends the running job. After a timeout, the next job waits for the
    /// recovery of `SPEC-simcom.md` §4.6; the recovery's own end is not
    /// reported.
    fn finish(&mut self, result: Result<Outcome, JobError>) {
        let op_started = core::mem::take(&mut self.op_started);
        if let Some(entry) = self.current.take() {
            if matches!(entry.job, Job::Recover(_)) {
                self.recover = false;
            } else {
                // Only the operation's own ending URC (an FTP error code)
                // and a restart end it for sure.
                let op_may_run = match result {
                    Err(JobError::Timeout { .. }) => true,
                    Err(JobError::Ftp { .. }) | Ok(_) => false,
                    Err(JobError::Protocol {
                        error: ProtocolError::ModemRestarted,
                        ..
                    }) => false,
                    Err(_) => op_started,
                };
                if op_may_run {
                    self.recover = true;
                }
                if matches!(entry.job, Job::BringUp(_)) && result.is_ok() {
                    self.bearer = Some(true);
                }
                self.push(Event::JobDone {
                    job: entry.id,
                    result,
                });
            }
        }
        self.channel.clear();
        self.channel.stop_idle();
        self.channel.stop_pause();
        self.put.clear();
        if !self.lines.is_empty() {
            // A listing that ended early: its partial lines go with it.
            self.lines.reset();
        }
    }

    fn follow(&mut self, flow: Flow) {
        if let Flow::End(result) = flow {
            if core::mem::take(&mut self.cancelling) {
                self.recover = true;
                self.finish(Err(JobError::Cancelled));
            } else {
                self.finish(result);
            }
        }
    }

    /// Moves the jobs on until one waits for the modem, the caller, a
    /// pause or room in the event queue. Most calls find a command in
    /// flight: they cost this one check where they are made.
    #[inline]
    fn advance(&mut self) {
        if !self.can_advance() {
            return;
        }
        self.advance_jobs();
    }

    /// True when nothing holds the jobs back: room for an event, the
    /// channel free and not pausing, no line to hand out first.
    #[inline]
    fn can_advance(&self) -> bool {
        !self.events.is_full()
            && self.channel.is_free()
            && !self.channel.pausing()
            && !self.lines.has_line()
    }

    /// [`Core::advance`] past its first check.
    #[inline(never)]
    fn advance_jobs(&mut self) {
        loop {
            if !self.can_advance() {
                return;
            }
            if self.cancelling {
                self.cancelling = false;
                self.recover = true;
                self.finish(Err(JobError::Cancelled));
                continue;
            }
            if self.current.is_none() {
                if self.dormant {
                    return;
                }
                if self.channel.out_of_sync() {
                    // Nothing is sent, recovery included, before the
                    // channel is in step again (`SPEC-simcom.md` §6 item
                    // 32).
                    self.channel.resync(&self.config);
                    return;
                }
                if self.recover {
                    self.current = Some(Entry {
                        id: JobId(u32::MAX),
                        job: Job::Recover(RecoverJob::new()),
                    });
                    continue;
                }
                let Some(entry) = self.queue.pop_front() else {
                    return;
                };
                if matches!(entry.job, Job::List(_)) {
                    self.lines.reset();
                }
                self.current = Some(entry);
            }
            if self.channel.out_of_sync() {
                // A job that goes on after its command was abandoned
                // (bring-up after a restart) waits for the channel to be
                // in step as well.
                self.channel.resync(&self.config);
                return;
            }
            let config = self.config;
            let Some(entry) = self.current.as_mut() else {
                return;
            };
            let ctx = Ctx {
                id: entry.id,
                config: &config,
                now: self.channel.now(),
                echo_on: self.echo_on,
                listed: (self.lines.entries, self.lines.lines),
                lines_pending: !self.lines.is_empty(),
                in_flight: self.channel.in_flight(),
            };
            let recovering = matches!(entry.job, Job::Recover(_));
            match entry.job.poll(ctx) {
                Step::Send(command) => {
                    if !recovering && starts_operation(command.name()) {
                        self.op_started = true;
                    }
                    self.channel.stop_idle();
                    self.channel.stage(&command, &config);
                    return;
                }
                Step::Wait { urc, event } => {
                    if !urc {
                        self.channel.stop_idle();
                    } else if !self.channel.idle_running() {
                        self.channel.idle_from_now(&config);
                    }
                    match event {
                        Some(event) => self.push(event),
                        None => return,
                    }
                }
                Step::Pause(d) => {
                    self.channel.pause(d);
                    return;
                }
                Step::Done(result) => self.finish(result),
            }
        }
    }

    /// Handles one item from the modem (`raw`: its bytes).
    fn route<'b>(&mut self, item: Response<'b>, raw: &'b [u8]) -> Option<Event<'b>> {
        if let Some(trace) = self.trace {
            trace(Direction::Received, TraceLine::new(raw));
        }
        // Echo is what was just sent.
        if matches!(item, Response::Echo(_) | Response::Unknown(_))
            && self
                .channel
                .sent_line()
                .is_some_and(|sent| is_echo_of(raw, sent))
        {
            self.echo_on = true;
            self.wipe_echo = self
                .channel
                .in_flight()
                .is_some_and(|s| matches!(s.name, CommandName::FtpPw | CommandName::Sapbr));
            return None;
        }
        // Any other echo of a command that carries a password by proto's
        // rule: a late echo of `AT+FTPPW` or of the bearer's `PWD` (after
        // its command timed out). Never reported, and wiped.
        if matches!(item, Response::Echo(_) | Response::Unknown(_))
            && is_command_line(raw)
            && cellftp_proto::secret_ranges(raw).next().is_some()
        {
            self.wipe_echo = true;
            return None;
        }
        if let Response::Urc(urc) = item {
            if urc.is_restart() {
                return self.restarted(item);
            }
            if urc.is_bearer_down() {
                self.bearer = Some(false);
            }
        }
        if self.channel.in_flight().is_some_and(|s| s.sync) {
            // Everything before the probe's own answer is stale.
            return match self.channel.on_sync_item(&item, &self.config) {
                SyncReply::Quiet => None,
                SyncReply::Stale => Some(Event::Unsolicited(item)),
            };
        }
        if let Some(result) = item.final_result() {
            let Some((sent, result)) = self.channel.complete(result, &self.config) else {
                return Some(Event::Unsolicited(item));
            };
            if sent.name == CommandName::Echo && result.is_ok() {
                self.echo_on = false;
            }
            if sent.name == CommandName::At
                && result.is_ok()
                && matches!(&self.current, Some(Entry { job: Job::BringUp(j), .. }) if j.probe_retried())
            {
                // Which copy of `AT` this answered is unknown, and the
                // other's may still come: in step again before the next
                // command (`SPEC-simcom.md` §6 item 36).
                self.channel.lost_sync();
            }
            let flow = self.with_job(|job, ctx| {
                job.wipe_secret(sent.name);
                job.on_final(ctx, sent, result)
            });
            if let Some(flow) = flow {
                self.follow(flow);
            }
            return None;
        }
        let reply = self.with_job(|job, ctx| job.on_item(ctx, &item));
        match reply {
            Some(Reply::Took(event)) => {
                self.activity(&item);
                match event {
                    // A cancelled job's data is discarded.
                    Some(event) if !self.cancelling => Some(event),
                    _ => None,
                }
            }
            Some(Reply::Owe(cnf)) => {
                let data = self.put.front(cnf as usize);
                debug_assert_eq!(data.len(), cnf as usize, "the chunk holds what is owed");
                self.channel.stage_data(data, &self.config);
                self.put.consume(cnf as usize);
                None
            }
            Some(Reply::ListData(data)) => {
                self.activity(&item);
                let n = self.lines.push(data);
                debug_assert_eq!(n, data.len(), "a read fits the line buffer");
                None
            }
            Some(Reply::End(result)) => {
                if self.cancelling {
                    // Ended on its own: nothing left to quit.
                    self.cancelling = false;
                    self.finish(Err(JobError::Cancelled));
                } else {
                    self.finish(result);
                }
                None
            }
            Some(Reply::Seen(result)) => {
                self.finish(result);
                Some(Event::Unsolicited(item))
            }
            Some(Reply::NotMine) | None => Some(Event::Unsolicited(item)),
        }
    }

    /// An item of the running job's: the timers of inactivity restart.
    fn activity(&mut self, item: &Response<'_>) {
        if self.channel.idle_running() {
            self.channel.idle_from_now(&self.config);
        }
        if matches!(item, Response::Data(_) | Response::ReadHeader { .. }) {
            self.channel.touch(&self.config);
        }
    }

    /// `RDY` or `+CFUN: 1`: the modem restarted and forgot what it was
    /// sent; echo is on again, the bearer is closed, and the running job
    /// fails. Bring-up waits for a booting modem before its probe is
    /// answered, and starts again from the probe after it while it can
    /// (`BringUpJob::on_restart`). If a command was in flight, nothing more
    /// is sent before the channel is in step again (§6 item 34).
    fn restarted<'b>(&mut self, item: Response<'b>) -> Option<Event<'b>> {
        self.echo_on = true;
        self.bearer = Some(false);
        let in_flight = self.channel.in_flight();
        if let Some(Job::BringUp(job)) = self.current.as_mut().map(|e| &mut e.job) {
            let probing = in_flight.is_some_and(|s| s.name == CommandName::At);
            if job.on_restart() {
                if in_flight.is_some() && !probing {
                    // The command is abandoned; its answer, if the modem
                    // gave one before it restarted, may still come.
                    self.channel.clear();
                    self.channel.lost_sync();
                }
                return Some(Event::Unsolicited(item));
            }
        }
        let command = in_flight.map_or(CommandName::At, |s| s.name);
        match self.current.as_ref().map(|e| &e.job) {
            // No operation survives a restart: nothing to recover.
            Some(Job::Recover(_)) => self.finish(Ok(Outcome::Quit)),
            Some(_) => {
                let error = if core::mem::take(&mut self.cancelling) {
                    JobError::Cancelled
                } else {
                    JobError::Protocol {
                        command,
                        error: ProtocolError::ModemRestarted,
                    }
                };
                self.finish(Err(error));
            }
            // A probe staged or sent to get in step stays: it is what
            // must follow a restart (the burst's later lines, `+CFUN: 1`
            // after `RDY`, come here too).
            None if self.channel.out_of_sync() => {}
            None => self.channel.clear(),
        }
        self.recover = false;
        if in_flight.is_some() {
            // Its answer, if the modem gave one before it restarted, may
            // still be on its way.
            self.channel.lost_sync();
        }
        Some(Event::Unsolicited(item))
    }
}

/// True if `line`, a line from the modem, reads as a command line (an
/// echo): `AT` in any case after any bytes that are not printable ASCII.
fn is_command_line(line: &[u8]) -> bool {
    line.iter()
        .position(u8::is_ascii_graphic)
        .and_then(|start| line.get(start..start + 2))
        .is_some_and(|at| at.eq_ignore_ascii_case(b"AT"))
}
