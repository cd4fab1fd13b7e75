//! `cellftp put LOCAL [REMOTE]`: upload a file, streamed from disk in the
//! session's chunks.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use cellftp_replay::JobSpec;
use cellftp_session::driver::{Control, Handler};
use cellftp_session::{Event, JobId};
use clap::Args;

use super::Ctx;
use crate::error::CliError;
use crate::output::{summary, Progress};

/// `put`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct PutArgs {
    /// The file to upload.
    pub(crate) local: PathBuf,
    /// The name on the server [default: LOCAL's file name], in --path's
    /// directory.
    pub(crate) remote: Option<String>,
}

/// Uploads.
pub(crate) fn run(args: &PutArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let remote = match &args.remote {
        Some(r) => r.clone(),
        None => file_name(&args.local)?,
    };
    crate::runner::check(|s| s.put(&remote))?;
    let what = format!("cannot read {}", args.local.display());
    let file = File::open(&args.local).map_err(|e| CliError::local(what.clone(), e))?;
    let meta = file
        .metadata()
        .map_err(|e| CliError::local(what.clone(), e))?;
    if meta.is_dir() {
        return Err(CliError::Usage(format!(
            "{} is a directory: put uploads one file",
            args.local.display()
        )));
    }
    let mut source = Source {
        file,
        expected: meta.len(),
        read: 0,
        ahead: Vec::new(),
        eof: false,
        job: None,
        acked: 0,
        in_flight: 0,
        error: None,
        cancelled: false,
        progress: ctx.out.progress(&remote, Some(meta.len()), 0),
    };
    // The first chunk is read before the modem is touched: a file that
    // cannot be read at all is reported without a job.
    source.read_ahead();
    if let Some(e) = source.error.take() {
        return Err(CliError::local(what, e));
    }
    let (ftp, mut modem, password) = ctx.login()?;
    let started = Instant::now();
    let result = modem.ftp_job(
        &ftp,
        &password,
        ctx.settings.bring_up,
        |s| s.put(&remote),
        JobSpec::Put {
            name: remote.clone(),
            data: Vec::new(),
        },
        &mut source,
    );
    drop(password);
    source.progress.finish();
    if let Some(e) = source.error.take() {
        // The job was cancelled: the session closed the upload with
        // AT+FTPPUT=0, so the modem is out of upload mode.
        let what = format!("cannot read {} during the upload", args.local.display());
        let note = format!(
            "the upload was stopped after the modem took {} of {} bytes: {remote} on the server is incomplete",
            source.acked, source.expected
        );
        return Err(match result {
            Ok(_) | Err(CliError::Job(_)) => CliError::Local {
                what,
                source: e,
                note: Some(note),
            },
            // The line failed as well: that is the error to act on.
            Err(other) => other,
        });
    }
    if let Err(e) = result {
        return Err(match e {
            // Every byte was taken and only the close (AT+FTPPUT=0)
            // failed: the server may well hold the whole file.
            CliError::Job(f) if source.acked > 0 && source.acked >= source.expected => {
                CliError::Noted {
                    note: format!(
                        "the modem took all {} bytes but the upload was not closed cleanly: {remote} on the server may be incomplete",
                        source.acked
                    ),
                    error: Box::new(CliError::Job(f)),
                }
            }
            CliError::Job(f) if source.acked > 0 => CliError::Noted {
                note: format!(
                    "the upload stopped after the modem took {} of {} bytes: {remote} on the server is incomplete",
                    source.acked, source.expected
                ),
                error: Box::new(CliError::Job(f)),
            },
            e => e,
        });
    }
    ctx.out.say(&format!(
        "uploaded {} to {remote}: {}",
        args.local.display(),
        summary(source.acked, started)
    ))?;
    Ok(())
}

/// The last component of `path`, as the remote name.
pub(crate) fn file_name(path: &Path) -> Result<String, CliError> {
    path.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_owned)
        .ok_or_else(|| {
            CliError::Usage(format!(
                "{} has no usable file name: give the remote name",
                path.display()
            ))
        })
}

/// How far ahead of the modem the file is read: a few chunks.
const AHEAD: usize = 4 * cellftp_session::MAX_PUT_DATA;

/// Feeds the file to the put job. The file is read ahead of the modem (in
/// [`Handler::control`], after each event), so that a read error or a
/// file that shrinks is found before the session asks for the bytes: the
/// job is then cancelled ([`cellftp_session::Session::cancel`]), which
/// closes the upload cleanly, instead of being finished as if the file had
/// ended.
struct Source {
    file: File,
    /// The file's length when it was opened.
    expected: u64,
    /// Bytes read from the file so far.
    read: u64,
    /// Bytes read and not yet handed to the session.
    ahead: Vec<u8>,
    /// The file has ended (at its full length).
    eof: bool,
    /// The put job, once the session asked for data.
    job: Option<JobId>,
    /// Bytes the modem has acknowledged.
    acked: u64,
    /// Bytes of the chunk in flight: they count on the bar once the modem
    /// has taken them, so the bar shows the line's rate, not the disk's.
    in_flight: u64,
    /// A read error, or the file shrinking: the upload is cancelled.
    error: Option<io::Error>,
    /// The job was cancelled for `error`.
    cancelled: bool,
    progress: Progress,
}

impl Source {
    /// Reads until [`AHEAD`] bytes wait, the file ends or a read fails.
    fn read_ahead(&mut self) {
        let mut buf = [0u8; cellftp_session::MAX_PUT_DATA];
        while self.ahead.len() < AHEAD && !self.eof && self.error.is_none() {
            match self.file.read(&mut buf) {
                Ok(0) if self.read < self.expected => {
                    self.error = Some(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!(
                            "the file shrank from {} to {} bytes while it was read",
                            self.expected, self.read
                        ),
                    ));
                }
                Ok(0) => self.eof = true,
                Ok(k) => {
                    self.read += k as u64;
                    self.ahead
                        .extend_from_slice(buf.get(..k).unwrap_or_default());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => self.error = Some(e),
            }
        }
    }
}

impl Handler for Source {
    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::PutReady { job, .. } => self.job = Some(*job),
            Event::PutProgress { bytes, .. } => {
                self.acked = *bytes;
                self.progress.add(self.in_flight);
                self.in_flight = 0;
            }
            _ => {}
        }
    }

    /// Hands the session the bytes read ahead (by [`Handler::control`],
    /// which runs after every event); 0 once the file has ended. A read
    /// error cancels the job in [`Handler::control`] as soon as it is
    /// found, so this is not asked for the bytes after it.
    fn fill(&mut self, _job: JobId, buf: &mut [u8]) -> usize {
        debug_assert!(
            !self.ahead.is_empty() || self.eof || self.cancelled,
            "the file is read ahead of the session"
        );
        let n = buf.len().min(self.ahead.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), self.ahead.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.ahead.drain(..n);
        self.in_flight = n as u64;
        n
    }

    /// Reads ahead, and cancels the job when the file cannot be read.
    fn control(&mut self, control: &mut Control<'_>) {
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
