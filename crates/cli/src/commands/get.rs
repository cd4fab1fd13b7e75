//! `cellftp get REMOTE [LOCAL] [--resume]`: download a file. The local file
//! is created at the first byte (or at the end, for an empty file), so a
//! failed download leaves an existing file alone; a partial download is
//! kept for `--resume`, which continues from the local file's length.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Instant;

use cellftp_replay::JobSpec;
use cellftp_session::driver::Handler;
use cellftp_session::{Event, JobId, Outcome};
use clap::Args;

use super::Ctx;
use crate::error::CliError;
use crate::output::{summary, Progress};

/// `get`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct GetArgs {
    /// The file on the server, in --path's directory.
    pub(crate) remote: String,
    /// Where to write it [default: REMOTE's file name here]; a directory
    /// takes REMOTE's file name; `-` is stdout.
    pub(crate) local: Option<PathBuf>,
    /// Continue a partial download: ask the server for the bytes after the
    /// local file's length, and append them.
    #[arg(long, short = 'c')]
    pub(crate) resume: bool,
}

/// Downloads.
pub(crate) fn run(args: &GetArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let base = args
        .remote
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or(&args.remote)
        .to_owned();
    let target = match &args.local {
        Some(p) if p.as_os_str() == "-" => None,
        Some(p) if p.is_dir() => Some(p.join(&base)),
        Some(p) => Some(p.clone()),
        None => Some(PathBuf::from(&base)),
    };
    let offset = match (&target, args.resume) {
        (None, true) => {
            return Err(CliError::Usage(
                "--resume needs a local file to continue, not stdout".into(),
            ))
        }
        (Some(path), true) => match std::fs::metadata(path) {
            Ok(m) => u32::try_from(m.len()).map_err(|_| {
                CliError::Usage(format!(
                    "{} is {} bytes: the modem resumes only within the first 4 GiB",
                    path.display(),
                    m.len()
                ))
            })?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => 0,
            Err(e) => {
                return Err(CliError::local(
                    format!("cannot read {}", path.display()),
                    e,
                ))
            }
        },
        (_, false) => 0,
    };
    crate::runner::check(|s| s.get(&args.remote, offset))?;
    let (ftp, mut modem, password) = ctx.login()?;
    let shown = target
        .as_ref()
        .map_or_else(|| "stdout".to_owned(), |p| p.display().to_string());
    let mut sink = Sink {
        target: target.clone(),
        append: args.resume,
        file: None,
        stdout: target.is_none(),
        written: 0,
        error: None,
        progress: ctx.out.progress(&args.remote, None, u64::from(offset)),
    };
    let started = Instant::now();
    let result = modem.ftp_job(
        &ftp,
        &password,
        ctx.settings.bring_up,
        |s| s.get(&args.remote, offset),
        JobSpec::Get {
            name: args.remote.clone(),
            offset,
        },
        &mut sink,
    );
    drop(password);
    sink.progress.finish();
    if result.is_ok() {
        // An empty file has had no byte to create it.
        sink.open();
    }
    sink.close();
    if let Some(e) = sink.error.take() {
        return Err(CliError::Local {
            what: format!("cannot write {shown}"),
            source: e,
            note: None,
        });
    }
    match result {
        Ok(outcome) => {
            let total = match outcome {
                Outcome::Downloaded { bytes, .. } => bytes,
                _ => sink.written,
            };
            let resumed = if offset > 0 {
                format!(" (resumed at byte {offset})")
            } else {
                String::new()
            };
            let line = format!(
                "downloaded {} to {shown}{resumed}: {}",
                args.remote,
                summary(total, started)
            );
            if sink.stdout {
                ctx.out.say_aside(&line);
            } else {
                ctx.out.say(&line)?;
            }
            Ok(())
        }
        Err(error) if sink.written > 0 && !sink.stdout => Err(CliError::Noted {
            error: Box::new(error),
            note: format!(
                "{} bytes were written to {shown}: continue with `cellftp get {} {shown} --resume`",
                u64::from(offset) + sink.written,
                args.remote
            ),
        }),
        Err(e) => Err(e),
    }
}

/// Writes the downloaded bytes.
struct Sink {
    /// `None` for stdout.
    target: Option<PathBuf>,
    append: bool,
    file: Option<File>,
    stdout: bool,
    written: u64,
    /// The first write error; later data is dropped.
    error: Option<io::Error>,
    progress: Progress,
}

impl Sink {
    /// Opens the local file if not yet open.
    fn open(&mut self) {
        if self.file.is_some() || self.error.is_some() {
            return;
        }
        if let Some(path) = &self.target {
            match open_local(path, self.append) {
                Ok(f) => self.file = Some(f),
                Err(e) => self.error = Some(e),
            }
        }
    }

    fn write(&mut self, data: &[u8]) {
        self.open();
        if self.error.is_some() {
            return;
        }
        let written = match &mut self.file {
            Some(f) => f.write_all(data),
            None if self.stdout => io::stdout().lock().write_all(data),
            None => Ok(()),
        };
        match written {
            Ok(()) => self.written += data.len() as u64,
            Err(e) => self.error = Some(e),
        }
    }

    /// Flushes what was written.
    fn close(&mut self) {
        let flushed = match self.file.take() {
            Some(f) => f.sync_all(),
            None if self.stdout => io::stdout().lock().flush(),
            None => Ok(()),
        };
        if let Err(e) = flushed {
            self.error.get_or_insert(e);
        }
    }
}

impl Handler for Sink {
    fn event(&mut self, event: &Event<'_>) {
        if let Event::Data { data, .. } = event {
            self.write(data);
            self.progress.add(data.len() as u64);
        }
    }

    fn fill(&mut self, _job: JobId, _buf: &mut [u8]) -> usize {
        0
    }
}

/// Opens the local file a download writes to, at its first byte: appended
/// to when resuming, else created or truncated.
pub(crate) fn open_local(path: &std::path::Path, append: bool) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true);
    if append {
        options.append(true);
    } else {
        options.write(true).truncate(true);
    }
    options.open(path)
}
