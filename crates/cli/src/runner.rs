//! Running jobs on the modem: the session under the blocking driver, over
//! the logged [`Wire`]. One job is queued and run to its end at a time, so
//! that each step's failure can be answered: bring-up first when asked or
//! when the modem reports its PDP context inactive, then configure, the job,
//! and quit. Every job is recorded as the transcript's `!` line and its end
//! as an `=` line.

use std::io;
use std::time::Duration;

use cellftp_proto::REDACTED;
use cellftp_replay::JobSpec;
use cellftp_session::driver::blocking::{Blocking, DriverError};
use cellftp_session::driver::{Control, Handler};
use cellftp_session::proto::TimeoutClass;
use cellftp_session::{
    BringUp, Config, Event, FtpConfig, JobError, JobId, ModemError, Outcome, ServCode, Session,
    Timeouts, UsageError,
};

use crate::error::{CliError, JobFailure};
use crate::link::{self, Line};
use crate::record::{SharedLog, Wire};
use crate::settings::{Ftp, Location};

/// How a job ended, when the line itself held.
pub(crate) type JobResult = Result<Outcome, JobError>;

/// The modem, behind the session and the driver.
pub(crate) struct Modem {
    driver: Blocking<Wire<Box<dyn Line>>>,
    log: SharedLog,
    /// Bring-up ran in this process.
    brought_up: bool,
    /// The timeouts the session runs with (scaled).
    timeouts: Timeouts,
    /// How long the command whose timeout ended the last job was given.
    pub(crate) timed_out_after: Option<Duration>,
    /// Lines the decoder could not read during the last job.
    unreadable: u32,
}

impl Modem {
    /// Opens the line at `location`; everything crossing it goes to `log`.
    /// Every command timeout and the guard time are multiplied by
    /// `timeout_scale`.
    pub(crate) fn open(
        location: &Location,
        log: SharedLog,
        timeout_scale: f64,
    ) -> Result<Self, CliError> {
        Self::open_with(location, log, timeout_scale, None)
    }

    /// [`Modem::open`], with the timeout of one class of commands set to
    /// a given time (not scaled) when `set` says so.
    pub(crate) fn open_with(
        location: &Location,
        log: SharedLog,
        timeout_scale: f64,
        set: Option<(TimeoutClass, Duration)>,
    ) -> Result<Self, CliError> {
        let mut timeouts = scaled(Timeouts::default(), timeout_scale);
        if let Some((class, d)) = set {
            *class_slot(&mut timeouts, class) = d;
        }
        let config = Config {
            timeouts,
            guard: Config::default().guard.mul_f64(timeout_scale),
            ..Config::default()
        };
        let mut session = Session::new(config).map_err(|e| CliError::Usage(e.to_string()))?;
        // `-v`'s log of the AT traffic, passwords redacted by the session.
        session.set_trace(Some(crate::trace::hook));
        let link = link::open(location)?;
        let wire = Wire::new(link.io, log.clone());
        // The log's clock and the driver's start together, so that the
        // transcript's time marks are the session's times.
        log.borrow_mut().start_clock();
        let driver = Blocking::new(wire, session);
        Ok(Self {
            driver,
            log,
            brought_up: false,
            timeouts: config.timeouts,
            timed_out_after: None,
            unreadable: 0,
        })
    }

    /// Queues one job with `queue`, records it as `spec`, and runs the
    /// session until it is idle, handing events to `handler`. An `Err` is a
    /// failure of the line or a parameter the session refused; the job's own
    /// failure is the inner `Err`.
    pub(crate) fn run(
        &mut self,
        queue: impl FnOnce(&mut Session) -> Result<JobId, UsageError>,
        spec: JobSpec,
        handler: &mut impl Handler,
    ) -> Result<JobResult, CliError> {
        let id = queue(self.driver.session())?;
        self.log.borrow_mut().job(id, spec);
        let mut tracker = Tracker {
            inner: handler,
            log: &self.log,
            job: id,
            result: None,
            timed_out: None,
            unreadable: 0,
        };
        let run = self.driver.run(&mut tracker);
        let result = tracker.result;
        self.unreadable = tracker.unreadable;
        // The timeout of the line that got no answer; the table's class of
        // the command's run form if it cannot be told.
        self.timed_out_after = match (result, tracker.timed_out) {
            (Some(Err(JobError::Timeout { command })), class) => Some(
                self.timeouts
                    .for_class(class.unwrap_or(command.spec().run_timeout)),
            ),
            _ => None,
        };
        match run {
            Ok(()) => {}
            Err(DriverError::Io(e)) => {
                self.log
                    .borrow_mut()
                    .comment(&format!("the line failed: {}", crate::error::io_reason(&e)));
                return Err(CliError::Line(e));
            }
            Err(DriverError::Usage(e)) => return Err(CliError::Invalid(e)),
            Err(e) => return Err(CliError::Line(io::Error::other(e.to_string()))),
        }
        match result {
            Some(r) => Ok(r),
            None => {
                debug_assert!(false, "the driver returned before the job ended");
                Err(CliError::Line(io::Error::other(
                    "the session stopped before the job ended",
                )))
            }
        }
    }

    /// Brings the modem up: `AT`, `ATE0`, `AT+CFUN=1`, `AT+CGACT=1,1`.
    pub(crate) fn bring_up(&mut self) -> Result<(), CliError> {
        let options = BringUp::default();
        tracing::info!("bringing the modem up");
        let result = self.run(
            |s| s.bring_up(options),
            JobSpec::BringUp(options),
            &mut Quiet,
        )?;
        self.brought_up = true;
        result
            .map(|_| ())
            .map_err(|e| CliError::Job(self.failure(e)))
    }

    /// `error`, the last job's, with how long its command was given if it
    /// timed out.
    pub(crate) fn failure(&self, error: JobError) -> JobFailure {
        JobFailure {
            unreadable: self.unreadable,
            ..JobFailure::new(error, self.timed_out_after)
        }
    }

    /// Configures and logs in; brings the modem up first if asked, or once
    /// if the server cannot be reached because the PDP context is inactive.
    pub(crate) fn connect(
        &mut self,
        ftp: &Ftp,
        password: &str,
        bring_up_first: bool,
    ) -> Result<(), CliError> {
        if bring_up_first {
            self.bring_up()?;
        }
        let mut result = self.configure(ftp, password)?;
        if matches!(&result, Err(e) if pdp_inactive(e)) && !self.brought_up {
            tracing::info!("the PDP context is inactive: bringing the modem up and trying again");
            self.bring_up()?;
            result = self.configure(ftp, password)?;
        }
        result.map(|_| ()).map_err(|error| {
            CliError::Job(JobFailure {
                server: Some(server_name(ftp)),
                user: Some(ftp.user.clone()),
                after_bring_up: self.brought_up,
                ..self.failure(error)
            })
        })
    }

    fn configure(&mut self, ftp: &Ftp, password: &str) -> Result<JobResult, CliError> {
        let config = FtpConfig {
            server: &ftp.server,
            port: ftp.port,
            mode: ftp.mode,
            transfer_type: ftp.transfer_type,
            user: &ftp.user,
            password,
            path: ftp.path.as_deref(),
        };
        let spec = JobSpec::Configure {
            server: ftp.server.clone(),
            port: ftp.port,
            mode: ftp.mode,
            transfer_type: ftp.transfer_type,
            user: ftp.user.clone(),
            password: REDACTED.to_owned(),
            path: ftp.path.clone(),
        };
        self.run(|s| s.configure(&config), spec, &mut Quiet)
    }

    /// Connects, runs one job that uses the FTP connection, and quits.
    pub(crate) fn ftp_job(
        &mut self,
        ftp: &Ftp,
        password: &str,
        bring_up_first: bool,
        queue: impl FnOnce(&mut Session) -> Result<JobId, UsageError>,
        spec: JobSpec,
        handler: &mut impl Handler,
    ) -> Result<Outcome, CliError> {
        self.connect(ftp, password, bring_up_first)?;
        let result = match self.run(queue, spec, handler) {
            // Refused before anything of the job was sent: the connection
            // is still open, and is closed.
            Err(e @ CliError::Invalid(_)) => {
                self.quit();
                return Err(e);
            }
            r => r?,
        };
        let failure = result.err().map(|error| JobFailure {
            server: Some(server_name(ftp)),
            user: Some(ftp.user.clone()),
            after_bring_up: self.brought_up,
            ..self.failure(error)
        });
        let connected = match &failure {
            None => true,
            Some(f) => !f.error.needs_configure() && !matches!(f.error, JobError::Timeout { .. }),
        };
        if connected {
            self.quit();
        }
        match (result, failure) {
            (Ok(outcome), _) => Ok(outcome),
            (Err(_), Some(f)) => Err(CliError::Job(f)),
            (Err(e), None) => Err(CliError::Job(self.failure(e))),
        }
    }

    /// Closes the FTP connection. Its failure is logged, not reported: the
    /// job is done by then.
    fn quit(&mut self) {
        match self.run(|s| s.quit(), JobSpec::Quit, &mut Quiet) {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!("closing the FTP connection failed: {e}"),
            Err(e) => tracing::warn!("closing the FTP connection failed: {e}"),
        }
    }
}

/// Checks a job's parameters (names, paths) as the session would, on a
/// session that never runs: a parameter it refuses is refused before the
/// modem is opened, the password asked for or a byte sent.
pub(crate) fn check(
    queue: impl FnOnce(&mut Session) -> Result<JobId, UsageError>,
) -> Result<(), CliError> {
    let mut probe = Session::default();
    queue(&mut probe).map(drop).map_err(CliError::Invalid)
}

/// `timeouts`, each multiplied by `factor`.
fn scaled(timeouts: Timeouts, factor: f64) -> Timeouts {
    let f = |d: std::time::Duration| d.mul_f64(factor);
    Timeouts {
        local: f(timeouts.local),
        cfun: f(timeouts.cfun),
        cgact: f(timeouts.cgact),
        serv: f(timeouts.serv),
        directory: f(timeouts.directory),
        put_chunk: f(timeouts.put_chunk),
        put_end: f(timeouts.put_end),
        transfer_idle: f(timeouts.transfer_idle),
        quit: f(timeouts.quit),
        restart_settle: f(timeouts.restart_settle),
    }
}

/// The field of `timeouts` that `class` uses.
fn class_slot(timeouts: &mut Timeouts, class: TimeoutClass) -> &mut Duration {
    match class {
        TimeoutClass::Local => &mut timeouts.local,
        TimeoutClass::Cfun => &mut timeouts.cfun,
        TimeoutClass::Cgact => &mut timeouts.cgact,
        TimeoutClass::Serv => &mut timeouts.serv,
        TimeoutClass::Directory => &mut timeouts.directory,
        TimeoutClass::PutChunk => &mut timeouts.put_chunk,
        TimeoutClass::PutEnd => &mut timeouts.put_end,
        TimeoutClass::Transfer => &mut timeouts.transfer_idle,
        TimeoutClass::Quit => &mut timeouts.quit,
    }
}

/// `HOST` or `HOST:PORT`, for messages.
fn server_name(ftp: &Ftp) -> String {
    match ftp.port {
        Some(p) => format!("{}:{p}", ftp.server),
        None => ftp.server.clone(),
    }
}

/// True if `error` says the PDP context is inactive (`+FTPSERV:1`).
fn pdp_inactive(error: &JobError) -> bool {
    matches!(
        error,
        JobError::Modem {
            error: ModemError::Serv(ServCode::PdpNotActive),
            ..
        }
    )
}

/// A handler for jobs whose events need no answer.
pub(crate) struct Quiet;

impl Handler for Quiet {
    fn event(&mut self, _event: &Event<'_>) {}

    fn fill(&mut self, _job: JobId, _buf: &mut [u8]) -> usize {
        0
    }
}

/// Passes events on to the job's handler, and records what the transcript
/// needs: the data each put job sent, and how each job ended.
struct Tracker<'a, H> {
    inner: &'a mut H,
    log: &'a SharedLog,
    job: JobId,
    result: Option<JobResult>,
    /// When the job timed out: the timeout class of the line that got no
    /// answer.
    timed_out: Option<TimeoutClass>,
    /// Lines that arrived and could not be read.
    unreadable: u32,
}

impl<H: Handler> Handler for Tracker<'_, H> {
    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::JobDone { job, result } => {
                self.log.borrow_mut().outcome(*job, result);
                if *job == self.job {
                    self.result = Some(*result);
                    if let Err(JobError::Timeout { command }) = result {
                        self.timed_out = self.log.borrow().unanswered_class(*command);
                    }
                }
            }
            Event::Data { offset, data, .. } => {
                tracing::trace!(target: "cellftp::event", "data: {} bytes at {offset}", data.len());
            }
            Event::Unsolicited(item) => {
                if !item.is_recognised() {
                    self.unreadable = self.unreadable.saturating_add(1);
                }
                tracing::debug!(target: "cellftp::event", "unsolicited: {item:?}");
            }
            other => tracing::trace!(target: "cellftp::event", "{other:?}"),
        }
        self.inner.event(event);
    }

    fn control(&mut self, control: &mut Control<'_>) {
        self.inner.control(control);
    }

    fn fill(&mut self, job: JobId, buf: &mut [u8]) -> usize {
        let n = self.inner.fill(job, buf).min(buf.len());
        self.log
            .borrow_mut()
            .put_data(job, buf.get(..n).unwrap_or_default());
        n
    }
}
