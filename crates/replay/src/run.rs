//! Checking many files at once, the summary of a run, its JSON document,
//! and turning a capture into a regression transcript: what
//! `cargo xtask replay` and `cargo xtask import` call.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::Serialize;

use crate::check::{check, FileReport, Options, Severity};
use crate::import::{self, ImportError};
use crate::reconstruct;
use crate::replay::replay;
use crate::transcript::{Record, Transcript};

/// Reads and checks every file of `files`, on up to `threads` threads;
/// `progress` is called once per file done. Reports come back in the
/// order of `files`.
pub fn check_files(
    files: &[PathBuf],
    root: &Path,
    options: &Options,
    threads: usize,
    progress: &(dyn Fn() + Sync),
) -> Vec<FileReport> {
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<FileReport>>> = Mutex::new(vec![None; files.len()]);
    let threads = threads.clamp(1, files.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = files.get(i) else { break };
                let report = check_path(file, root, options);
                if let Ok(mut slots) = slots.lock() {
                    if let Some(slot) = slots.get_mut(i) {
                        *slot = Some(report);
                    }
                }
                progress();
            });
        }
    });
    let slots = slots.into_inner().unwrap_or_else(|e| e.into_inner());
    slots
        .into_iter()
        .zip(files)
        .map(|(r, f)| r.unwrap_or_else(|| unreadable(&shown_path(f, root), "it was not checked")))
        .collect()
}

/// `file` relative to `root` when it is under it.
fn shown_path(file: &Path, root: &Path) -> String {
    file.strip_prefix(root)
        .unwrap_or(file)
        .display()
        .to_string()
}

/// Checks one file on disk.
pub fn check_path(file: &Path, root: &Path, options: &Options) -> FileReport {
    let name = shown_path(file, root);
    match std::fs::read(file) {
        Ok(bytes) => check(&name, &bytes, options),
        Err(e) => unreadable(&name, &e.to_string()),
    }
}

fn unreadable(name: &str, why: &str) -> FileReport {
    let mut r = check(name, b"", &Options::default());
    r.diagnostics.clear();
    r.diagnostics.push(crate::check::Diagnostic {
        severity: Severity::Error,
        line: None,
        col: None,
        message: format!("cannot read the file: {why}"),
    });
    r.passed = false;
    r
}

/// The totals of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files checked.
    pub files: usize,
    /// Files that passed.
    pub passed: usize,
    /// Files that failed.
    pub failed: usize,
    /// Commands the hosts sent.
    pub commands: usize,
    /// Bytes both ways.
    pub bytes: usize,
    /// Jobs.
    pub jobs: usize,
    /// Jobs that failed (on the modem, or not replayed).
    pub failed_jobs: usize,
    /// Warnings.
    pub warnings: usize,
}

impl Summary {
    /// The totals of `reports`.
    pub fn of(reports: &[FileReport]) -> Self {
        let mut s = Self::default();
        for r in reports {
            s.files += 1;
            if r.passed {
                s.passed += 1;
            } else {
                s.failed += 1;
            }
            s.commands += r.stats.commands;
            s.bytes += r.stats.bytes;
            s.jobs += r.stats.jobs;
            s.failed_jobs += r.stats.failed_jobs;
            s.warnings += r
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count();
        }
        s
    }

    /// The summary table, and one line per failed file naming its first
    /// error.
    pub fn render(&self, reports: &[FileReport]) -> String {
        let mut s = format!(
            "{:>6} {:>7} {:>7} {:>9} {:>10} {:>6} {:>12} {:>9}\n{:>6} {:>7} {:>7} {:>9} {:>10} {:>6} {:>12} {:>9}\n",
            "files", "passed", "failed", "commands", "bytes", "jobs", "failed jobs", "warnings",
            self.files, self.passed, self.failed, self.commands, self.bytes, self.jobs,
            self.failed_jobs, self.warnings,
        );
        for r in reports.iter().filter(|r| !r.passed) {
            let why = r.errors().next().map_or_else(
                || "failed".to_owned(),
                |d| match d.line {
                    Some(l) => format!("{}:{l}: {}", r.path, d.message),
                    None => format!("{}: {}", r.path, d.message),
                },
            );
            s.push_str(&format!("FAILED {why}\n"));
        }
        s
    }
}

/// The `--json` document: what `report.schema.json` describes.
#[derive(Debug, Clone, Serialize)]
pub struct JsonReport<'a> {
    /// The document's version: 1.
    pub version: u32,
    /// The totals.
    pub summary: Summary,
    /// One entry per file.
    pub files: &'a [FileReport],
}

/// The `--json` document of `reports`, pretty-printed.
pub fn to_json(reports: &[FileReport]) -> String {
    let doc = JsonReport {
        version: 1,
        summary: Summary::of(reports),
        files: reports,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// Why a capture could not become a transcript.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ToTranscriptError {
    /// The capture does not import.
    #[error("{0}")]
    Import(#[from] ImportError),
    /// The capture holds no command a job sends.
    #[error("{0}: no job could be read from the host's commands")]
    NoJobs(String),
}

/// A capture as a native transcript with its jobs (`!`) and their observed
/// outcomes (`=`): a field log as a regression test. The transcript's
/// records are the capture's, chunks and times kept; a transcript that
/// declares jobs already keeps them.
pub fn to_transcript(name: &str, bytes: &[u8]) -> Result<Transcript, ToTranscriptError> {
    let imported = import::detect_and_import(name, bytes)?;
    let t = imported.transcript;
    let found = reconstruct::jobs(&t);
    let with_jobs = if t.jobs().next().is_some() {
        t.clone()
    } else {
        if found.jobs.is_empty() {
            return Err(ToTranscriptError::NoJobs(name.to_owned()));
        }
        reconstruct::with_jobs(&t, &found.jobs)
    };
    let report = replay(&with_jobs);
    let mut records = vec![Record::Comment("cellftp transcript v1".to_owned())];
    if imported.format != import::Format::Transcript {
        records.push(Record::Comment(format!(
            "imported from {name} ({})",
            imported.format
        )));
    }
    records.extend(
        with_jobs
            .records
            .into_iter()
            .filter(|r| !matches!(r, Record::Expect { .. }))
            .filter(|r| !matches!(r, Record::Comment(c) if c.starts_with("cellftp transcript"))),
    );
    for (i, job) in report.jobs.iter().enumerate() {
        if let Some(result) = &job.result {
            records.push(Record::Expect {
                job: i as u32,
                result: format!("{result:?}"),
            });
        }
    }
    Ok(Transcript { records })
}
