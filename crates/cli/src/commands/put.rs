//! `cellftp put LOCAL [REMOTE]`: upload a file, streamed from disk in the
//! session's chunks.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use cellftp_replay::JobSpec;
use cellftp_session::driver::Handler;
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
    let (ftp, mut modem, password) = ctx.login()?;
    let mut source = Source {
        file,
        sent: 0,
        in_flight: 0,
        error: None,
        progress: ctx.out.progress(&remote, Some(meta.len()), 0),
    };
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
        return Err(CliError::Local {
            what,
            source: e,
            note: Some(format!(
                "the upload stopped there: {remote} on the server holds only the first {} bytes",
                source.sent
            )),
        });
    }
    result?;
    ctx.out.say(&format!(
        "uploaded {} to {remote}: {}",
        args.local.display(),
        summary(source.sent, started)
    ));
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

/// Feeds the file to the put job.
struct Source {
    file: File,
    sent: u64,
    /// Bytes of the chunk in flight: they count on the bar once the modem
    /// has taken them (the next `PutReady`, or the end of the job), so the
    /// bar shows the line's rate, not the disk's.
    in_flight: u64,
    /// A read error: the upload was ended there.
    error: Option<io::Error>,
    progress: Progress,
}

impl Handler for Source {
    fn event(&mut self, event: &Event<'_>) {
        if matches!(
            event,
            Event::PutReady { .. } | Event::JobDone { result: Ok(_), .. }
        ) {
            self.progress.add(self.in_flight);
            self.in_flight = 0;
        }
    }

    /// Fills `buf` as far as the file goes (the session sends what it gets
    /// as one chunk); 0 at the end of the file, or after a read error.
    fn fill(&mut self, _job: JobId, buf: &mut [u8]) -> usize {
        if self.error.is_some() {
            return 0;
        }
        let mut n = 0;
        while let Some(rest) = buf.get_mut(n..).filter(|r| !r.is_empty()) {
            match self.file.read(rest) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.error = Some(e);
                    return 0;
                }
            }
        }
        self.sent += n as u64;
        self.in_flight = n as u64;
        n
    }
}
