//! [`Session`]: the state machine that runs queued FTP jobs over a byte
//! stream it never touches.

use core::fmt;

use cellftp_proto::listing::Entry;
use cellftp_proto::{
    Command, CommandName, Decoded, FinalResult, Info, Put, Response, ResponseDecoder, ServCode,
    Setting, TextKind, Urc, MAX_COMMAND, MIN_BUFFER,
};

use crate::config::{BringUp, Config, FtpConfig};
use crate::error::{JobError, ModemError, ProtocolError, ResponseKind, UsageError};
use crate::event::{Event, JobId, Outcome};
use crate::job::{Configure, Download, Job, Kind, Listing, Mirror, Next, Upload, PUT_DATA_STEP};
use crate::ring::Ring;
use crate::store::{Inline, Secret};
use crate::Instant;

/// How many jobs can wait in the queue behind the running one.
pub const MAX_QUEUED_JOBS: usize = 8;

/// The receive buffer's size: the decoder's [`MIN_BUFFER`] plus room for a
/// read.
pub const RX_CAPACITY: usize = MIN_BUFFER + 1984;

/// Owned events waiting to be polled.
const MAX_PENDING_EVENTS: usize = 4;

/// What the session believes about the FTP connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Link {
    /// Nothing known yet: the modem may have been configured before.
    Unknown,
    /// A configure job succeeded.
    Up,
    /// Quit, or lost through an error or a modem restart: jobs that use the
    /// connection fail with [`JobError::NotConfigured`] until a configure
    /// job succeeds.
    Down,
}

/// A command encoded in `tx`, waiting for its guard time.
#[derive(Debug, Clone, Copy)]
struct Pending {
    name: CommandName,
    put_end: bool,
    effect: Effect,
}

/// A command sent, waiting for its final result.
#[derive(Debug, Clone, Copy)]
struct Outstanding {
    name: CommandName,
    put_end: bool,
    effect: Effect,
    deadline: Instant,
}

/// What a command changes in the modem once it succeeds.
#[derive(Debug, Clone, Copy)]
enum Effect {
    None,
    Type(cellftp_proto::TransferType),
    Restart(u32),
}

/// Everything but the receive side, so that events can borrow the receive
/// buffer while this is updated.
struct Core {
    config: Config,
    now: Instant,
    queue: Ring<Job, MAX_QUEUED_JOBS>,
    current: Option<Job>,
    next_id: u32,
    link: Link,
    mirror: Mirror,
    tx: [u8; MAX_COMMAND],
    tx_len: usize,
    pending: Option<Pending>,
    outstanding: Option<Outstanding>,
    /// No command before this (the guard time after a final result).
    ready_at: Instant,
    serv_code: Option<ServCode>,
    /// `AT+CFUN` was sent: its `+CFUN: 1` is not a restart.
    expect_cfun: bool,
    /// Bytes of the current `+FTPGET` chunk still to come as continuations.
    get_remaining: u64,
    /// `AT` probes sent so far without an answer.
    probes: u8,
    /// A command failed without its final result: before the next job,
    /// send `AT` and wait for its answer, so that a late answer to the
    /// failed command is not taken for the next one's.
    resync: bool,
    events: Ring<Event<'static>, MAX_PENDING_EVENTS>,
}

struct Rx {
    buf: [u8; RX_CAPACITY],
    start: usize,
    end: usize,
    /// Bytes of the last returned event, consumed on the next call.
    deferred: usize,
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
    rx: Rx,
    decoder: ResponseDecoder,
    core: Core,
}

impl fmt::Debug for Session {
    /// A summary: never the buffers, which may hold the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("link", &self.core.link)
            .field("running", &self.core.current.as_ref().map(|j| j.id))
            .field("queued", &self.core.queue.len())
            .field(
                "waiting_for",
                &self.core.outstanding.as_ref().map(|o| o.name),
            )
            .field("buffered", &(self.rx.end - self.rx.start))
            .finish()
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new(Config::default())
    }
}

impl Session {
    /// A session with no jobs, idle.
    pub fn new(config: Config) -> Self {
        Self {
            rx: Rx {
                buf: [0; RX_CAPACITY],
                start: 0,
                end: 0,
                deferred: 0,
            },
            decoder: ResponseDecoder::new(),
            core: Core {
                config,
                now: Instant::default(),
                queue: Ring::new(),
                current: None,
                next_id: 0,
                link: Link::Unknown,
                mirror: Mirror::default(),
                tx: [0; MAX_COMMAND],
                tx_len: 0,
                pending: None,
                outstanding: None,
                ready_at: Instant::default(),
                serv_code: None,
                expect_cfun: false,
                get_remaining: 0,
                probes: 0,
                resync: false,
                events: Ring::new(),
            },
        }
    }

    // ------------------------------------------------------------ getters

    /// What the session believes about the FTP connection.
    pub fn link(&self) -> Link {
        self.core.link
    }

    /// True when no job is running or queued and no command is waiting to
    /// be sent or answered (a resynchronising `AT` included).
    pub fn is_idle(&self) -> bool {
        self.core.current.is_none()
            && self.core.queue.len() == 0
            && self.core.pending.is_none()
            && self.core.outstanding.is_none()
    }

    /// The settings the session was made with.
    pub fn config(&self) -> &Config {
        &self.core.config
    }

    // ------------------------------------------------------------- inputs

    /// Takes bytes received from the modem at `now` and returns how many it
    /// took: all of them unless its receive buffer ([`RX_CAPACITY`]) is
    /// full, in which case the caller MUST drain [`Session::poll_event`]
    /// and offer the rest again.
    pub fn handle_input(&mut self, now: Instant, input: &[u8]) -> usize {
        self.core.tick(now);
        let rx = &mut self.rx;
        rx.start += core::mem::take(&mut rx.deferred);
        if rx.start > 0 && rx.buf.len() - rx.end < input.len() {
            rx.buf.copy_within(rx.start..rx.end, 0);
            rx.end -= rx.start;
            rx.start = 0;
        }
        let room = rx.buf.get_mut(rx.end..).unwrap_or_default();
        let n = room.len().min(input.len());
        if let (Some(dst), Some(src)) = (room.get_mut(..n), input.get(..n)) {
            dst.copy_from_slice(src);
        }
        rx.end += n;
        n
    }

    /// Tells the session the time is `now`; a command whose deadline has
    /// passed fails its job with [`JobError::Timeout`]. Calling it early or
    /// twice does nothing.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.core.tick(now);
        let pending = self.decoder.payload_pending();
        if self.core.expire(pending) {
            // Whatever the modem still sends belongs to the failed command.
            self.decoder = ResponseDecoder::new();
            self.rx.start = 0;
            self.rx.end = 0;
            self.rx.deferred = 0;
        }
    }

    // -------------------------------------------------------------- verbs

    /// Queues bring-up: `AT`, `ATE0`, `AT+CFUN=1`, `AT+CGACT=1,<cid>`, as
    /// `options` says.
    pub fn bring_up(&mut self, options: BringUp) -> Result<JobId, UsageError> {
        self.core.enqueue(Kind::BringUp(options))
    }

    /// Queues configure: port, mode, server, user, password, type, path.
    /// Every parameter is validated now.
    pub fn configure(&mut self, ftp: &FtpConfig<'_>) -> Result<JobId, UsageError> {
        if ftp.port == Some(0) {
            return Err(UsageError::Invalid(cellftp_proto::EncodeError::PortZero));
        }
        let job = Configure {
            server: Inline::host(ftp.server)?,
            port: ftp.port,
            mode: ftp.mode,
            transfer_type: ftp.transfer_type,
            user: Inline::text(TextKind::User, ftp.user)?,
            password: Secret::new(ftp.password)?,
            path: ftp
                .path
                .map(|p| Inline::text(TextKind::Path, p))
                .transpose()?,
        };
        self.core.enqueue(Kind::Configure(job))
    }

    /// Queues an upload to `name`. The session asks for the data with
    /// [`Event::PutReady`]; answer with [`Session::send_data`] and, at the
    /// end, [`Session::finish_put`].
    pub fn put(&mut self, name: &str) -> Result<JobId, UsageError> {
        let name = Inline::text(TextKind::FileName, name)?;
        self.core.enqueue(Kind::Put(name, Upload::default()))
    }

    /// Queues a download of `name` from byte `offset` (0 for the whole
    /// file). A resumed download switches the modem to TYPE I first, as the
    /// manual requires for `AT+FTPRESET`.
    pub fn get(&mut self, name: &str, offset: u32) -> Result<JobId, UsageError> {
        let name = Inline::text(TextKind::FileName, name)?;
        self.core
            .enqueue(Kind::Get(name, offset, Download::default()))
    }

    /// Queues a listing of `path`, or of the current directory.
    pub fn list(&mut self, path: Option<&str>) -> Result<JobId, UsageError> {
        let path = path.map(|p| Inline::text(TextKind::Path, p)).transpose()?;
        self.core.enqueue(Kind::List(path, Listing::default()))
    }

    /// Queues creating directory `dir`.
    pub fn mkdir(&mut self, dir: &str) -> Result<JobId, UsageError> {
        let dir = Inline::text(TextKind::Directory, dir)?;
        self.core.enqueue(Kind::Mkdir(dir))
    }

    /// Queues removing directory `dir`.
    pub fn rmdir(&mut self, dir: &str) -> Result<JobId, UsageError> {
        let dir = Inline::text(TextKind::Directory, dir)?;
        self.core.enqueue(Kind::Rmdir(dir))
    }

    /// Queues `AT+FTPSCON`: the modem's configuration report, as
    /// [`Event::Config`] items.
    pub fn query_config(&mut self) -> Result<JobId, UsageError> {
        self.core.enqueue(Kind::QueryConfig(0))
    }

    /// Queues `AT+FTPQUIT`.
    pub fn quit(&mut self) -> Result<JobId, UsageError> {
        self.core.enqueue(Kind::Quit)
    }

    /// Gives the waiting put job its next chunk: up to the `max` of the last
    /// [`Event::PutReady`] bytes of `data` are copied and will be sent;
    /// returns how many.
    pub fn send_data(&mut self, data: &[u8]) -> Result<usize, UsageError> {
        if data.is_empty() {
            return Err(UsageError::EmptyData);
        }
        let core = &mut self.core;
        let n = data.len().min(core.config.chunk());
        let Some(up) = core.awaiting_data() else {
            return Err(UsageError::NotAwaitingData);
        };
        up.in_flight = Some(n);
        up.announced = false;
        let chunk = data.get(..n).unwrap_or_default();
        core.stage(&Command::FtpPut(Put::Data(chunk)), Effect::None)?;
        Ok(n)
    }

    /// Tells the waiting put job that the file is complete: the session
    /// sends `AT+FTPPUT=0`.
    pub fn finish_put(&mut self) -> Result<(), UsageError> {
        let Some(up) = self.core.awaiting_data() else {
            return Err(UsageError::NotAwaitingData);
        };
        up.finishing = true;
        self.core.advance();
        Ok(())
    }

    // ------------------------------------------------------------ outputs

    /// The next event. Poll until `None` after every input and verb; the
    /// session only reads the bytes given to [`Session::handle_input`] here.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event<'_>> {
        self.rx.start += core::mem::take(&mut self.rx.deferred);
        loop {
            if let Some(event) = self.core.events.pop() {
                return Some(event);
            }
            self.core.advance();
            if let Some(event) = self.core.events.pop() {
                return Some(event);
            }
            let buf = self
                .rx
                .buf
                .get(self.rx.start..self.rx.end)
                .unwrap_or_default();
            match self.decoder.decode(buf) {
                Decoded::NeedMore { consumed } => {
                    self.rx.start += consumed;
                    return None;
                }
                Decoded::Item { item, consumed } => match self.core.on_response(item) {
                    Some(event) => {
                        self.rx.deferred = consumed;
                        return Some(event);
                    }
                    None => self.rx.start += consumed,
                },
            }
        }
    }

    /// The next command line to write to the modem, if one is due at `now`.
    /// Returning it counts as sending it: its timeout starts now. Poll after
    /// [`Session::poll_event`] has returned `None`.
    #[must_use]
    pub fn poll_transmit(&mut self, now: Instant) -> Option<&[u8]> {
        self.core.tick(now);
        self.core.advance();
        self.core.transmit()
    }

    /// When the session next needs [`Session::handle_timeout`] (a command's
    /// deadline) or [`Session::poll_transmit`] (the end of a guard time).
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        let deadline = self.core.outstanding.map(|o| o.deadline);
        let send = self.core.pending.map(|_| self.core.ready_at);
        match (deadline, send) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

impl Core {
    fn tick(&mut self, now: Instant) {
        self.now = self.now.max(now);
    }

    fn enqueue(&mut self, kind: Kind) -> Result<JobId, UsageError> {
        let id = JobId(self.next_id);
        self.queue
            .push(Job { id, step: 0, kind })
            .map_err(|_| UsageError::QueueFull)?;
        self.next_id = self.next_id.wrapping_add(1);
        self.advance();
        Ok(id)
    }

    /// The running put job, if it is waiting for the caller's data.
    fn awaiting_data(&mut self) -> Option<&mut Upload> {
        if self.pending.is_some() || self.outstanding.is_some() {
            return None;
        }
        match self.current.as_mut() {
            Some(Job {
                step: PUT_DATA_STEP,
                kind: Kind::Put(_, up),
                ..
            }) if up.in_flight.is_none() && !up.finishing && up.failed.is_none() => Some(up),
            _ => None,
        }
    }

    /// Moves the jobs on until one waits for the modem, the caller or room
    /// in the event queue.
    fn advance(&mut self) {
        loop {
            if self.events.is_full() || self.pending.is_some() || self.outstanding.is_some() {
                return;
            }
            let Some(job) = self.current.as_mut() else {
                if core::mem::take(&mut self.resync) {
                    if let Ok(len) = Command::At.encode(&mut self.tx) {
                        self.tx_len = len;
                        self.pending = Some(Pending {
                            name: CommandName::At,
                            put_end: false,
                            effect: Effect::None,
                        });
                        return;
                    }
                }
                let Some(job) = self.queue.pop() else { return };
                if job.kind.needs_connection() && self.link == Link::Down {
                    self.report(job.id, Err(JobError::NotConfigured));
                } else {
                    self.current = Some(job);
                }
                continue;
            };
            let id = job.id;
            match job.next(&self.mirror) {
                Next::Send(command) => {
                    let effect = match command {
                        Command::FtpType(Setting::Set(t)) => Effect::Type(t),
                        Command::FtpReset(Setting::Set(n)) => Effect::Restart(n),
                        _ => Effect::None,
                    };
                    let staged = command.encode(&mut self.tx);
                    match staged {
                        Ok(len) => {
                            self.tx_len = len;
                            self.pending = Some(Pending {
                                name: command.name(),
                                put_end: matches!(command, Command::FtpPut(Put::End)),
                                effect,
                            });
                        }
                        Err(e) => self.finish(Err(JobError::Invalid(e))),
                    }
                    return;
                }
                Next::AwaitData => {
                    if let Some(Job {
                        kind: Kind::Put(_, up),
                        ..
                    }) = self.current.as_mut()
                    {
                        if !up.announced {
                            up.announced = true;
                            let max = self.config.chunk();
                            self.push(Event::PutReady { job: id, max });
                        }
                    }
                    return;
                }
                Next::Done(result) => self.finish(result),
            }
        }
    }

    /// Encodes `command` into `tx` for the next transmit.
    fn stage(&mut self, command: &Command<'_>, effect: Effect) -> Result<(), UsageError> {
        self.tx_len = command.encode(&mut self.tx)?;
        self.pending = Some(Pending {
            name: command.name(),
            put_end: false,
            effect,
        });
        Ok(())
    }

    fn transmit(&mut self) -> Option<&[u8]> {
        let pending = self.pending?;
        if self.now < self.ready_at {
            return None;
        }
        self.pending = None;
        let timeout = self
            .config
            .timeouts
            .for_command(pending.name, pending.put_end);
        self.outstanding = Some(Outstanding {
            name: pending.name,
            put_end: pending.put_end,
            effect: pending.effect,
            deadline: self.now + timeout,
        });
        match pending.name {
            CommandName::Cfun => self.expect_cfun = true,
            CommandName::FtpServ => self.serv_code = None,
            CommandName::FtpGet => self.get_remaining = 0,
            _ => {}
        }
        self.tx.get(..self.tx_len)
    }

    /// Queues an owned event. The queue has room: `advance` stops when it
    /// is full, and every other caller pushes at most one event per item
    /// after `poll_event` emptied it.
    fn push(&mut self, event: Event<'static>) {
        let _ = self.events.push(event);
    }

    /// Reports a job's end and updates what the session knows.
    fn report(&mut self, job: JobId, result: Result<Outcome, JobError>) {
        match &result {
            Ok(Outcome::Configured) => {
                self.link = Link::Up;
                self.mirror.configured_type = self.mirror.transfer_type;
            }
            Ok(Outcome::Quit) => self.link = Link::Down,
            Err(e) if e.needs_configure() => self.link = Link::Down,
            _ => {}
        }
        self.push(Event::JobDone { job, result });
    }

    /// Ends the running job.
    fn finish(&mut self, result: Result<Outcome, JobError>) {
        if let Some(job) = self.current.take() {
            self.report(job.id, result);
        }
        self.pending = None;
        self.outstanding = None;
        self.get_remaining = 0;
        // Nothing staged survives the job: a password that timed out or was
        // never sent is wiped too.
        self.tx = [0; MAX_COMMAND];
        self.tx_len = 0;
    }

    /// Fails the running job because of what the modem sent for `command`.
    fn fail(&mut self, error: JobError) {
        self.finish(Err(error));
    }

    /// Handles one item from the modem; returns the event it makes, if any.
    fn on_response<'b>(&mut self, item: Response<'b>) -> Option<Event<'b>> {
        let waiting = self.outstanding.map(|o| o.name);
        match item {
            // Echo (ATE1) repeats what we sent; nothing to learn from it.
            Response::Echo(_) => None,
            Response::Ok | Response::Error | Response::CmeError(_) | Response::CmsError(_) => {
                match item.final_result() {
                    Some(f) if waiting.is_some() => {
                        self.on_final(f);
                        None
                    }
                    _ => Some(Event::Unsolicited(item)),
                }
            }
            Response::Urc(urc) => {
                self.on_urc(urc);
                Some(Event::Unsolicited(item))
            }
            Response::ServResult(code) if waiting == Some(CommandName::FtpServ) => {
                self.serv_code = Some(code);
                None
            }
            Response::ServResult(_) => self.unexpected(ResponseKind::ServResult, item),
            Response::FtpGet { len, data } if waiting == Some(CommandName::FtpGet) => {
                if let Some(Job {
                    kind: Kind::Get(_, _, down),
                    ..
                }) = self.current.as_mut()
                {
                    down.announced += u64::from(len);
                }
                self.get_remaining = u64::from(len).saturating_sub(data.len() as u64);
                self.data(data)
            }
            Response::FtpGet { .. } => self.unexpected(ResponseKind::FtpGet, item),
            // `+FTPGET:<len>` without its comma (the manual's table layout):
            // which bytes are data cannot be told, so the transfer fails.
            Response::Info(Info {
                name: CommandName::FtpGet,
                ..
            }) if waiting == Some(CommandName::FtpGet) => {
                self.unexpected(ResponseKind::FtpGet, item)
            }
            Response::Continuation(data)
                if waiting == Some(CommandName::FtpGet) && self.get_remaining > 0 =>
            {
                self.get_remaining = self.get_remaining.saturating_sub(data.len() as u64);
                self.data(data)
            }
            Response::FtpList { len, .. } if waiting == Some(CommandName::FtpList) => {
                if let Some(Job {
                    kind: Kind::List(_, listing),
                    ..
                }) = self.current.as_mut()
                {
                    listing.announced = Some(u64::from(len));
                }
                self.restart_idle_timer();
                None
            }
            Response::FtpList { .. } => self.unexpected(ResponseKind::FtpList, item),
            Response::ListLine(line) if waiting == Some(CommandName::FtpList) => {
                self.restart_idle_timer();
                let entry = Entry::parse(line);
                let Some(Job {
                    id,
                    kind: Kind::List(_, listing),
                    ..
                }) = self.current.as_mut()
                else {
                    return Some(Event::Unsolicited(item));
                };
                listing.lines += 1;
                if entry.is_ok() {
                    listing.entries += 1;
                }
                Some(Event::ListLine {
                    job: *id,
                    line,
                    entry,
                })
            }
            Response::ListLine(_) => self.unexpected(ResponseKind::FtpList, item),
            Response::Info(_) | Response::Unknown(_) if waiting == Some(CommandName::FtpScon) => {
                let Some(Job {
                    id,
                    kind: Kind::QueryConfig(items),
                    ..
                }) = self.current.as_mut()
                else {
                    return Some(Event::Unsolicited(item));
                };
                *items += 1;
                Some(Event::Config { job: *id, item })
            }
            _ => Some(Event::Unsolicited(item)),
        }
    }

    /// Downloaded bytes for the running get job.
    fn data<'b>(&mut self, data: &'b [u8]) -> Option<Event<'b>> {
        self.restart_idle_timer();
        let Some(Job {
            id,
            kind: Kind::Get(_, offset, down),
            ..
        }) = self.current.as_mut()
        else {
            return None;
        };
        if data.is_empty() {
            return None;
        }
        let at = u64::from(*offset) + down.bytes;
        down.bytes += data.len() as u64;
        Some(Event::Data {
            job: *id,
            offset: at,
            data,
        })
    }

    /// Transfers time out on inactivity: data pushes the deadline back.
    fn restart_idle_timer(&mut self) {
        let idle = self.config.timeouts.transfer_idle;
        if let Some(o) = self.outstanding.as_mut() {
            o.deadline = self.now + idle;
        }
    }

    /// A response that belongs to another command: the job in flight fails.
    fn unexpected<'b>(&mut self, kind: ResponseKind, item: Response<'b>) -> Option<Event<'b>> {
        // While the resync `AT` waits (no job runs), the failed command's
        // late answer is only reported: the wait goes on.
        if let (Some(o), Some(job)) = (self.outstanding, self.current.as_mut()) {
            if let (PUT_DATA_STEP, Kind::Put(_, up)) = (job.step, &mut job.kind) {
                if !o.put_end {
                    // The chunk's own answer still comes; then the upload is
                    // closed like after any failed chunk, and the job fails.
                    up.failed.get_or_insert(JobError::Protocol {
                        command: o.name,
                        error: ProtocolError::Unexpected(kind),
                    });
                    return Some(Event::Unsolicited(item));
                }
            }
            self.resync = true;
            self.fail(JobError::Protocol {
                command: o.name,
                error: ProtocolError::Unexpected(kind),
            });
        }
        Some(Event::Unsolicited(item))
    }

    fn on_urc(&mut self, urc: Urc<'_>) {
        match urc {
            Urc::Cfun(_) if self.expect_cfun => self.expect_cfun = false,
            Urc::PdpDeact => self.link = Link::Down,
            Urc::PowerDown(_) => {
                self.mirror = Mirror::default();
                self.link = Link::Down;
            }
            u if u.is_restart() => {
                // The restarted modem has forgotten its FTP settings.
                self.mirror = Mirror::default();
                self.link = Link::Down;
                // A modem still booting says RDY during bring-up: expected.
                if matches!(
                    self.current,
                    Some(Job {
                        kind: Kind::BringUp(..),
                        ..
                    })
                ) {
                    return;
                }
                if let Some(o) = self.outstanding {
                    self.fail(JobError::Protocol {
                        command: o.name,
                        error: ProtocolError::ModemRestarted,
                    });
                } else if self.current.is_some() {
                    self.fail(JobError::Protocol {
                        command: CommandName::At,
                        error: ProtocolError::ModemRestarted,
                    });
                }
            }
            _ => {}
        }
    }

    /// The final result of the command in flight.
    fn on_final(&mut self, result: FinalResult<'_>) {
        let Some(o) = self.outstanding.take() else {
            return;
        };
        self.ready_at = self.now + self.config.guard;
        self.probes = 0;
        if o.name != CommandName::Cfun {
            // `+CFUN: 1` belongs to `AT+CFUN` until the next command is
            // answered; after that it means a restart again.
            self.expect_cfun = false;
        }
        if o.name == CommandName::FtpPw {
            // The password leaves the session only in the bytes sent.
            self.tx = [0; MAX_COMMAND];
        }
        let mut error = match result {
            FinalResult::Ok => None,
            FinalResult::Error => Some(ModemError::Error),
            FinalResult::Cme(e) => Some(ModemError::Cme { code: e.code() }),
            FinalResult::Cms(e) => Some(ModemError::Cms { code: e.code() }),
        };
        if o.name == CommandName::FtpServ {
            match self.serv_code.take() {
                Some(ServCode::Success) | None => {}
                Some(other) => error = Some(ModemError::Serv(other)),
            }
        }
        let Some(job) = self.current.as_mut() else {
            return;
        };
        match (error, &mut job.kind) {
            (None, Kind::Put(_, up)) if job.step == PUT_DATA_STEP && !o.put_end => {
                up.bytes += up.in_flight.take().unwrap_or(0) as u64;
            }
            (None, _) => {
                match o.effect {
                    Effect::None => {}
                    Effect::Type(t) => self.mirror.transfer_type = Some(t),
                    Effect::Restart(n) => self.mirror.restart = n,
                }
                job.step += 1;
            }
            // A failed chunk: close the upload, then report the failure.
            (Some(e), Kind::Put(_, up)) if job.step == PUT_DATA_STEP && !o.put_end => {
                up.in_flight = None;
                up.failed = Some(JobError::Modem {
                    command: o.name,
                    error: e,
                });
            }
            (Some(e), _) => self.fail(JobError::Modem {
                command: o.name,
                error: e,
            }),
        }
        if let Some(Job {
            kind: Kind::Put(_, up),
            step: PUT_DATA_STEP,
            ..
        }) = self.current.as_mut()
        {
            // A failed upload is closed, and the close's own result ends it.
            if o.put_end && up.failed.is_some() {
                if let Some(job) = self.current.as_mut() {
                    job.step += 1;
                }
            }
        }
    }

    /// Handles a passed deadline; returns true if a command timed out and
    /// the receive side must be reset.
    /// `pending` is what the decoder still expects of a payload.
    fn expire(&mut self, pending: Option<u32>) -> bool {
        let Some(o) = self.outstanding else {
            return false;
        };
        if self.now < o.deadline {
            return false;
        }
        if o.name == CommandName::At && self.probes + 1 < self.config.probe_attempts {
            // A booting modem ignores the first probes: send AT again.
            self.probes += 1;
            self.outstanding = None;
            self.pending = Some(Pending {
                name: o.name,
                put_end: false,
                effect: Effect::None,
            });
            return false;
        }
        self.probes = 0;
        self.ready_at = self.now + self.config.guard;
        if let Some(Job {
            step: PUT_DATA_STEP,
            kind: Kind::Put(_, up),
            ..
        }) = self.current.as_mut()
        {
            if !o.put_end {
                // The upload must still be closed: `AT+FTPPUT=0` goes next,
                // then the job reports the chunk's timeout.
                up.in_flight = None;
                up.failed
                    .get_or_insert(JobError::Timeout { command: o.name });
                self.outstanding = None;
                return true;
            }
        }
        let error = match self.current.as_ref().map(|j| &j.kind) {
            Some(Kind::Get(_, _, down)) if pending.is_some() || self.get_remaining > 0 => {
                // A chunk whose header came but whose first fragment did not
                // is not counted in `announced` yet.
                let unseen = if self.get_remaining > 0 {
                    0
                } else {
                    pending.unwrap_or(0)
                };
                JobError::Protocol {
                    command: o.name,
                    error: ProtocolError::PayloadIncomplete {
                        announced: down.announced + u64::from(unseen),
                        received: down.bytes,
                    },
                }
            }
            Some(Kind::List(
                _,
                Listing {
                    announced: Some(n), ..
                },
            )) if pending.is_some() => JobError::Protocol {
                command: o.name,
                error: ProtocolError::PayloadIncomplete {
                    announced: *n,
                    received: n.saturating_sub(pending.map_or(0, u64::from)),
                },
            },
            _ => JobError::Timeout { command: o.name },
        };
        // A probe of our own that times out is not retried: queued jobs
        // must still run, and end, on their own timeouts.
        self.resync = self.current.is_some();
        self.fail(error);
        true
    }
}
