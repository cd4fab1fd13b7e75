//! The SIMCom dialect (`--dialect simcom`, `SPEC-simcom.md`): put, get
//! (with `--resume`), ls, mkdir, rmdir and rm through
//! `cellftp_session::simcom::Session`, run by the blocking driver over the
//! same logged [`Wire`] as the manual's modem.
//!
//! Each command runs bring-up (`AT`, `ATE0`, the `AT+SAPBR` bearer with
//! `--apn`), configure (all local settings on this modem), the job and
//! quit, one job at a time. Remote names are split into a directory and a
//! file name: a relative name is taken in `--path`, or in `/` without it.
//! `--record` writes a transcript that declares `! dialect simcom`, with
//! each job as a SIMCom job line and its outcome; `config` and `raw` are
//! refused for this dialect.

use std::fs::File;
use std::io::{self, ErrorKind, Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant as StdInstant};

use cellftp_proto::simcom::{
    CommandDecoder, CommandName, PutOpt, Request, TimeoutClass, MAX_PUT_DATA,
};
use cellftp_proto::Decoded;
use cellftp_replay::{Dialect, JobSpec, SimcomJob};
use cellftp_session::driver::blocking::{Blocking, DriverError};
use cellftp_session::driver::{Control, Handler};
use cellftp_session::simcom::{
    BearerConfig, Config, Event, FtpConfig, JobError, Outcome, Session, Timeouts,
};
use cellftp_session::{JobId, UsageError};

use crate::cli::Command;
use crate::commands::get::open_local;
use crate::commands::ls::Listing;
use crate::commands::put::file_name;
use crate::commands::Ctx;
use crate::error::CliError;
use crate::link::{self, Line};
use crate::output::summary;
use crate::record::{SharedLog, Wire};
use crate::settings::Ftp;

/// Runs `command` on a SIMCom modem.
pub(crate) fn run(command: &Command, ctx: &mut Ctx) -> Result<(), CliError> {
    match command {
        Command::Config(_) | Command::Raw(_) => {
            return Err(CliError::Usage(format!(
                "{} is not available with --dialect simcom yet",
                command.name()
            )))
        }
        Command::Sim(_) | Command::Completions(_) => {
            debug_assert!(false, "handled before a context exists");
            return Err(CliError::Usage("runs on its own".to_owned()));
        }
        _ => {}
    }
    ctx.log.borrow_mut().set_dialect(Dialect::Simcom);
    let (ftp, mut modem, password) = {
        let ftp = ctx.settings.ftp()?;
        check(command, ftp.path.as_deref())?;
        let modem = Modem::open(ctx)?;
        let password = crate::password::obtain(&ctx.settings, &ftp.user, &ftp.server)?;
        (ftp, modem, password)
    };
    modem.prepare(ctx, &ftp, &password)?;
    drop(password);
    let base = ftp.path.clone();
    let result = job(command, ctx, &mut modem, base.as_deref());
    // The modem closes every FTP session itself; quit only clears an
    // operation a failure left running.
    let _ = modem.run(Session::quit, SimcomJob::Quit, &mut NoData);
    result
}

/// Checks what `command` needs before anything is sent: the remote names
/// and directories (with `--path`) as the session would check them, on a
/// session that never runs, and for `put` that the local file can be
/// opened.
fn check(command: &Command, base: Option<&str>) -> Result<(), CliError> {
    let mut probe = Session::new(Config::default()).map_err(|e| CliError::Usage(e.to_string()))?;
    let empty = |what: &str| CliError::Usage(format!("the {what} given is empty"));
    match command {
        Command::Put(args) => {
            let remote = match &args.remote {
                Some(r) => r.clone(),
                None => file_name(&args.local)?,
            };
            if remote.is_empty() {
                return Err(empty("remote name"));
            }
            let (dir, name) = split(base, &remote);
            probe.put(&dir, &name, PutOpt::Stor)?;
            let what = format!("cannot read {}", args.local.display());
            let meta = File::open(&args.local)
                .and_then(|f| f.metadata())
                .map_err(|e| CliError::local(what, e))?;
            if meta.is_dir() {
                return Err(CliError::Usage(format!(
                    "{} is a directory: put uploads one file",
                    args.local.display()
                )));
            }
        }
        Command::Get(args) => {
            if args.local.as_ref().is_some_and(|p| p.as_os_str() == "-") {
                return Err(CliError::Usage(
                    "get to stdout is not available with --dialect simcom yet".into(),
                ));
            }
            if args.remote.is_empty() {
                return Err(empty("remote name"));
            }
            let (dir, name) = split(base, &args.remote);
            probe.get(&dir, &name, 0)?;
        }
        Command::Ls(args) => {
            if args.path.as_deref() == Some("") {
                return Err(empty("directory name"));
            }
            let dir = match &args.path {
                Some(p) => join(base, p),
                None => base.unwrap_or("/").to_owned(),
            };
            probe.list(&dir)?;
        }
        Command::Mkdir(args) | Command::Rmdir(args) => {
            if args.dir.is_empty() {
                return Err(empty("directory name"));
            }
            probe.mkdir(&join(base, &args.dir))?;
        }
        Command::Rm(args) => {
            if args.remote.is_empty() {
                return Err(empty("remote name"));
            }
            let (dir, name) = split(base, &args.remote);
            probe.delete(&dir, &name)?;
        }
        Command::Config(_) | Command::Raw(_) | Command::Sim(_) | Command::Completions(_) => {}
    }
    Ok(())
}

/// The job of `command`, after bring-up and configure.
fn job(
    command: &Command,
    ctx: &mut Ctx,
    modem: &mut Modem,
    base: Option<&str>,
) -> Result<(), CliError> {
    match command {
        Command::Put(args) => {
            let remote = match &args.remote {
                Some(r) => r.clone(),
                None => file_name(&args.local)?,
            };
            let what = format!("cannot read {}", args.local.display());
            let file = File::open(&args.local).map_err(|e| CliError::local(what.clone(), e))?;
            let expected = file
                .metadata()
                .map_err(|e| CliError::local(what.clone(), e))?
                .len();
            let (dir, name) = split(base, &remote);
            let mut source = Source {
                file,
                expected,
                read: 0,
                ahead: Vec::new(),
                eof: false,
                given: 0,
                job: None,
                error: None,
                cancelled: false,
            };
            // The first chunk is read before the job is queued: a file that
            // cannot be read at all is reported without one.
            source.read_ahead();
            if let Some(e) = source.error.take() {
                return Err(CliError::local(what, e));
            }
            let started = StdInstant::now();
            let spec = SimcomJob::Put {
                dir: dir.clone(),
                name: name.clone(),
                opt: PutOpt::Stor,
                data: Vec::new(),
            };
            let result = modem.run(|s| s.put(&dir, &name, PutOpt::Stor), spec, &mut source);
            if let Some(e) = source.error.take() {
                // The job was cancelled when the file failed: what the
                // server holds is not the file.
                return Err(match result {
                    Ok(_) | Err(CliError::Simcom(_) | CliError::SimcomTimeout { .. }) => CliError::Local {
                        what: format!("cannot read {} during the upload", args.local.display()),
                        source: e,
                        note: Some(format!(
                            "the upload was stopped after {} of {expected} bytes: {remote} on the server is incomplete",
                            source.given
                        )),
                    },
                    Err(other) => other,
                });
            }
            let bytes = match result? {
                Outcome::Uploaded { bytes } => bytes,
                other => return Err(unexpected("put", &other)),
            };
            ctx.out.say(&format!(
                "uploaded {} to {remote}: {}",
                args.local.display(),
                summary(bytes, started)
            ))?;
        }
        Command::Get(args) => {
            let (dir, name) = split(base, &args.remote);
            let target = match &args.local {
                Some(p) if p.is_dir() => p.join(&name),
                Some(p) if p.as_os_str() == "-" => {
                    return Err(CliError::Usage(
                        "get to stdout is not available with --dialect simcom yet".into(),
                    ))
                }
                Some(p) => p.clone(),
                None => name.clone().into(),
            };
            let offset = if args.resume {
                match std::fs::metadata(&target) {
                    Ok(m) => u32::try_from(m.len()).map_err(|_| {
                        CliError::Usage(format!(
                            "{} is {} bytes: the modem resumes only within the first 4 GiB",
                            target.display(),
                            m.len()
                        ))
                    })?,
                    Err(e) if e.kind() == ErrorKind::NotFound => 0,
                    Err(e) => {
                        return Err(CliError::local(
                            format!("cannot read {}", target.display()),
                            e,
                        ))
                    }
                }
            } else {
                0
            };
            let what = format!("cannot write {}", target.display());
            // The local file is created at the first byte (or at the end,
            // for an empty file): a failed download leaves an existing
            // file alone.
            let mut sink = Sink {
                target: target.clone(),
                append: args.resume,
                file: None,
                written: 0,
                error: None,
            };
            let started = StdInstant::now();
            let spec = SimcomJob::Get {
                dir: dir.clone(),
                name: name.clone(),
                offset,
            };
            let result = modem.run(|s| s.get(&dir, &name, offset), spec, &mut sink);
            if result.is_ok() {
                sink.open();
            }
            sink.close();
            if let Some(e) = sink.error.take() {
                return Err(CliError::local(what, e));
            }
            let outcome = match result {
                Err(error) if sink.written > 0 => {
                    return Err(CliError::Noted {
                        error: Box::new(error),
                        note: format!(
                            "{} bytes were written to {}: continue with `cellftp --dialect simcom get {} {} --resume`",
                            u64::from(offset) + sink.written,
                            target.display(),
                            args.remote,
                            target.display()
                        ),
                    })
                }
                r => r?,
            };
            let bytes = match outcome {
                Outcome::Downloaded { bytes, .. } => bytes,
                other => return Err(unexpected("get", &other)),
            };
            let resumed = if offset > 0 {
                format!(" (resumed at byte {offset})")
            } else {
                String::new()
            };
            ctx.out.say(&format!(
                "downloaded {} to {}{resumed}: {}",
                args.remote,
                target.display(),
                summary(bytes, started)
            ))?;
        }
        Command::Ls(args) => {
            let dir = match &args.path {
                Some(p) => join(base, p),
                None => base.unwrap_or("/").to_owned(),
            };
            let mut listing = Lines(Listing::new(Some(dir.clone())));
            modem.run(|s| s.list(&dir), SimcomJob::List(dir.clone()), &mut listing)?;
            listing.0.print(args.json, ctx.out.quiet)?;
        }
        Command::Mkdir(args) | Command::Rmdir(args) => {
            let dir = join(base, &args.dir);
            let (done, mkdir) = match command {
                Command::Mkdir(_) => ("created", true),
                _ => ("removed", false),
            };
            let spec = if mkdir {
                SimcomJob::Mkdir(dir.clone())
            } else {
                SimcomJob::Rmdir(dir.clone())
            };
            modem.run(
                |s| if mkdir { s.mkdir(&dir) } else { s.rmdir(&dir) },
                spec,
                &mut NoData,
            )?;
            ctx.out.say(&format!("{done} directory {}", args.dir))?;
        }
        Command::Rm(args) => {
            let (dir, name) = split(base, &args.remote);
            let spec = SimcomJob::Delete {
                dir: dir.clone(),
                name: name.clone(),
            };
            modem.run(|s| s.delete(&dir, &name), spec, &mut NoData)?;
            ctx.out.say(&format!("deleted {}", args.remote))?;
        }
        Command::Config(_) | Command::Raw(_) | Command::Sim(_) | Command::Completions(_) => {
            debug_assert!(false, "refused in run");
        }
    }
    Ok(())
}

/// A job that ended with another job's kind of outcome: a defect here,
/// said as such rather than reported as success.
fn unexpected(job: &str, outcome: &Outcome) -> CliError {
    debug_assert!(false, "{job} ended with {outcome:?}");
    CliError::Line(io::Error::other(format!(
        "the {job} job ended with an outcome of another kind ({outcome:?}); please report this"
    )))
}

/// `name` taken in `base` (`/` without one), unless absolute.
fn join(base: Option<&str>, name: &str) -> String {
    if name.starts_with('/') {
        return name.to_owned();
    }
    let base = base.unwrap_or("/");
    if base.ends_with('/') {
        format!("{base}{name}")
    } else {
        format!("{base}/{name}")
    }
}

/// A remote file as its directory and its name.
fn split(base: Option<&str>, remote: &str) -> (String, String) {
    let full = join(base, remote);
    match full.rsplit_once('/') {
        Some(("", name)) => ("/".to_owned(), name.to_owned()),
        Some((dir, name)) => (dir.to_owned(), name.to_owned()),
        None => ("/".to_owned(), full),
    }
}

/// A job with no data.
struct NoData;

impl Handler<Session> for NoData {
    fn event(&mut self, _event: &Event<'_>) {}

    fn fill(&mut self, _job: JobId, _buf: &mut [u8]) -> usize {
        0
    }
}

/// A put's file, `expected` bytes long when it was opened. It is read one
/// chunk ahead of the session (in [`Handler::control`], after each event),
/// so that a read error or a file that changed is found before the session
/// asks for the bytes: the job is then cancelled, not finished as if the
/// file had ended.
struct Source {
    file: File,
    expected: u64,
    /// Bytes read from the file so far.
    read: u64,
    /// Bytes read and not yet handed to the session.
    ahead: Vec<u8>,
    /// The file has ended (at its length when it was opened).
    eof: bool,
    /// Bytes handed to the session.
    given: u64,
    /// The put job, once the session asked for data.
    job: Option<JobId>,
    /// A read error, or the file changing: the upload is cancelled.
    error: Option<io::Error>,
    /// The job was cancelled for `error`.
    cancelled: bool,
}

impl Source {
    /// Reads until a chunk as large as the session may ask for waits, the
    /// file ends or a read fails. The end of the file must be where it was
    /// when the upload began.
    fn read_ahead(&mut self) {
        let mut buf = [0u8; MAX_PUT_DATA];
        while self.ahead.len() < MAX_PUT_DATA && !self.eof && self.error.is_none() {
            let room = buf
                .get_mut(..MAX_PUT_DATA - self.ahead.len())
                .unwrap_or_default();
            match self.file.read(room) {
                Ok(0) if self.read != self.expected => self.changed(),
                Ok(0) => self.eof = true,
                Ok(k) => {
                    self.read += k as u64;
                    self.ahead
                        .extend_from_slice(room.get(..k).unwrap_or_default());
                    if self.read > self.expected {
                        self.changed();
                    }
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => self.error = Some(e),
            }
        }
    }

    /// The file is not as long as it was when the upload began.
    fn changed(&mut self) {
        self.error = Some(io::Error::other(format!(
            "the file changed from {} to {}{} bytes",
            self.expected,
            if self.read > self.expected {
                "more than "
            } else {
                ""
            },
            self.read
        )));
    }
}

impl Handler<Session> for Source {
    fn event(&mut self, event: &Event<'_>) {
        if let Event::PutReady { job, .. } = event {
            self.job = Some(*job);
        }
    }

    /// Hands the session the bytes read ahead; 0 once the file has ended.
    fn fill(&mut self, _job: JobId, buf: &mut [u8]) -> usize {
        debug_assert!(
            self.ahead.len() >= buf.len() || self.eof || self.cancelled,
            "the file is read ahead of the session"
        );
        let n = buf.len().min(self.ahead.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), self.ahead.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.ahead.drain(..n);
        self.given += n as u64;
        n
    }

    /// Reads ahead, and cancels the job when the file cannot be read.
    fn control(&mut self, control: &mut Control<'_, Session>) {
        self.read_ahead();
        if self.error.is_some() && !self.cancelled {
            if let Some(job) = self.job {
                self.cancelled = true;
                if let Err(e) = control.cancel(job) {
                    // The job has ended already: nothing to stop.
                    tracing::debug!("the upload was over before it could be cancelled: {e}");
                }
            }
        }
    }
}

/// A get's file, created at the first byte.
struct Sink {
    target: PathBuf,
    /// `--resume`: append to the file rather than replace it.
    append: bool,
    file: Option<File>,
    written: u64,
    /// The first write error; later data is dropped.
    error: Option<io::Error>,
}

impl Sink {
    /// Opens the local file if not yet open.
    fn open(&mut self) {
        if self.file.is_some() || self.error.is_some() {
            return;
        }
        match open_local(&self.target, self.append) {
            Ok(f) => self.file = Some(f),
            Err(e) => self.error = Some(e),
        }
    }

    /// Flushes what was written to the disk.
    fn close(&mut self) {
        if let Some(f) = self.file.take() {
            if let Err(e) = f.sync_all() {
                self.error.get_or_insert(e);
            }
        }
    }
}

impl Handler<Session> for Sink {
    fn event(&mut self, event: &Event<'_>) {
        if let Event::Data { data, .. } = event {
            self.open();
            if let (Some(file), None) = (&mut self.file, &self.error) {
                match file.write_all(data) {
                    Ok(()) => self.written += data.len() as u64,
                    Err(e) => self.error = Some(e),
                }
            }
        }
    }

    fn fill(&mut self, _job: JobId, _buf: &mut [u8]) -> usize {
        0
    }
}

/// A listing being read.
struct Lines(Listing);

impl Handler<Session> for Lines {
    fn event(&mut self, event: &Event<'_>) {
        if let Event::ListLine { line, entry, .. } = event {
            self.0.add(line, entry);
        }
    }

    fn fill(&mut self, _job: JobId, _buf: &mut [u8]) -> usize {
        0
    }
}

/// Passes events on to the job's handler, and records what the transcript
/// needs: the data the put job sent, and how the job ended.
struct Tracker<'a, H> {
    inner: &'a mut H,
    log: &'a SharedLog,
    job: JobId,
    result: Option<Result<Outcome, JobError>>,
}

impl<H: Handler<Session>> Handler<Session> for Tracker<'_, H> {
    fn event(&mut self, event: &Event<'_>) {
        tracing::trace!(target: "cellftp::event", "{event:?}");
        if let Event::JobDone { job, result } = event {
            if *job == self.job {
                self.result = Some(*result);
            }
        }
        self.inner.event(event);
    }

    fn fill(&mut self, job: JobId, buf: &mut [u8]) -> usize {
        let n = self.inner.fill(job, buf).min(buf.len());
        self.log
            .borrow_mut()
            .put_data(job, buf.get(..n).unwrap_or_default());
        n
    }

    fn control(&mut self, control: &mut Control<'_, Session>) {
        self.inner.control(control);
    }
}

/// The SIMCom session under the blocking driver, over the logged line.
struct Modem {
    driver: Blocking<Wire<Box<dyn Line>>, Session>,
    /// The timeouts the session runs with (scaled).
    timeouts: Timeouts,
    /// Where each job, its upload data and its outcome are recorded.
    log: SharedLog,
}

impl Modem {
    fn open(ctx: &Ctx) -> Result<Self, CliError> {
        let scale = ctx.settings.timeout_scale;
        let t = Timeouts::default();
        let f = |d: Duration| d.mul_f64(scale);
        let config = Config {
            timeouts: Timeouts {
                local: f(t.local),
                bearer_open: f(t.bearer_open),
                bearer_close: f(t.bearer_close),
                operation: f(t.operation),
                idle: f(t.idle),
            },
            guard: f(Config::default().guard),
            bearer_poll: f(Config::default().bearer_poll),
            ..Config::default()
        };
        let mut session = Session::new(config).map_err(|e| CliError::Usage(e.to_string()))?;
        // `-v`'s log of the AT traffic, passwords redacted by the session.
        session.set_trace(Some(crate::trace::hook));
        let link = link::open(&ctx.settings.location()?)?;
        // The log's clock and the driver's start together, so that the
        // transcript's time marks are the session's times.
        ctx.log.borrow_mut().start_clock();
        let driver = Blocking::new(Wire::new(link.io, ctx.log.clone()), session);
        Ok(Self {
            driver,
            timeouts: config.timeouts,
            log: ctx.log.clone(),
        })
    }

    /// Bring-up and configure.
    fn prepare(&mut self, ctx: &Ctx, ftp: &Ftp, password: &str) -> Result<(), CliError> {
        let apn = ctx.settings.apn.clone();
        let spec = SimcomJob::BringUp {
            apn: apn.clone(),
            user: None,
            password: None,
        };
        self.run(
            |s| {
                s.bring_up(&BearerConfig {
                    apn: &apn,
                    ..BearerConfig::default()
                })
            },
            spec,
            &mut NoData,
        )?;
        let config = FtpConfig {
            server: &ftp.server,
            port: ftp.port.unwrap_or(21),
            user: &ftp.user,
            password,
            mode: ftp.mode,
        };
        let spec = SimcomJob::Configure {
            server: ftp.server.clone(),
            port: config.port,
            mode: ftp.mode,
            user: ftp.user.clone(),
            password: cellftp_proto::REDACTED.to_owned(),
        };
        self.run(|s| s.configure(&config), spec, &mut NoData)?;
        Ok(())
    }

    /// Queues one job (`spec` is how the transcript names it) and runs the
    /// session until it is idle, handing its events to `job`.
    fn run(
        &mut self,
        queue: impl FnOnce(&mut Session) -> Result<JobId, UsageError>,
        spec: SimcomJob,
        job: &mut impl Handler<Session>,
    ) -> Result<Outcome, CliError> {
        let id = queue(self.driver.session())?;
        self.log.borrow_mut().job(id, JobSpec::Simcom(spec));
        let mut tracker = Tracker {
            inner: job,
            log: &self.log,
            job: id,
            result: None,
        };
        let run = self.driver.run(&mut tracker);
        let result = tracker.result;
        match run {
            Ok(()) => {}
            Err(DriverError::Io(e)) => return Err(CliError::Line(e)),
            Err(DriverError::Usage(e)) => return Err(CliError::Invalid(e)),
            Err(e) => return Err(CliError::Line(io::Error::other(e.to_string()))),
        }
        if let Some(r) = &result {
            self.log.borrow_mut().ended(id, &format!("{r:?}"));
        }
        match result {
            Some(Err(JobError::Timeout { command })) => Err(match self.given(command) {
                Some(after) => CliError::SimcomTimeout { command, after },
                None => CliError::Simcom(JobError::Timeout { command }),
            }),
            Some(r) => r.map_err(CliError::Simcom),
            None => {
                debug_assert!(false, "the session went idle before the job ended");
                Err(CliError::Line(io::Error::other(
                    "the session stopped before the job ended",
                )))
            }
        }
    }
}

impl Modem {
    /// How long `command`, which timed out, was given: the timeout of the
    /// newest command line of that name sent (the session may have sent
    /// another since, to learn the modem's state). An operation's URC
    /// phase has the idle timeout, the same as its start's unless set
    /// apart: then it is not told.
    fn given(&self, command: CommandName) -> Option<Duration> {
        let class = crate::trace::recent_commands()
            .iter()
            .rev()
            .find_map(|line| match CommandDecoder::new().decode(line) {
                Decoded::Item {
                    item: Request::Command(sent),
                    ..
                } if sent.name() == command => Some(sent.timeout_class()),
                _ => None,
            })?;
        let t = &self.timeouts;
        let ambiguous =
            matches!(class, TimeoutClass::Operation | TimeoutClass::Write) && t.operation != t.idle;
        (!ambiguous).then(|| t.for_class(class))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_names_split_into_directory_and_name() {
        assert_eq!(split(None, "a.bin"), ("/".into(), "a.bin".into()));
        assert_eq!(split(Some("/up"), "a.bin"), ("/up".into(), "a.bin".into()));
        assert_eq!(
            split(Some("/up/"), "x/a.bin"),
            ("/up/x".into(), "a.bin".into())
        );
        assert_eq!(
            split(Some("/up"), "/b/a.bin"),
            ("/b".into(), "a.bin".into())
        );
        assert_eq!(join(None, "d"), "/d");
    }
}
