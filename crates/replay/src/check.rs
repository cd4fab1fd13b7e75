//! Checking one file: import it, read the jobs from it if it declares none,
//! replay it through the session, and judge it.
//!
//! [`check`] returns a [`FileReport`]: the file's [`Diagnostic`]s (with
//! line and column), each job's outcome ([`JobReport`]) and a verdict. A
//! file passes when it imported, yielded commands, and nothing of
//! [`Severity::Error`] was found:
//!
//! - an import error, an empty file, a file with no command: error;
//! - a declared job (`!`) that ends otherwise than its `=` line says, never
//!   ends, or is refused: error;
//! - the first place where the session would send other bytes than the
//!   host did (conformance): an error when the file declares its jobs or
//!   with [`Options::strict`], a warning otherwise (the log may come from
//!   another driver);
//! - protocol findings — modem bytes that do not parse, host lines that
//!   fit no job, a command with no final result, a gap longer than the
//!   command's timeout, a lossy capture, modem output no command was
//!   waiting for (a final result, data): warnings; unsolicited reports
//!   (URCs such as `+CPIN: READY`): notes.
//!
//! A job that failed on the modem is an outcome, not a finding: a capture
//! of a session whose upload the server refused passes if the replay
//! reproduces the refusal. Everything shown passes through
//! [`crate::redact_passwords`] (or [`JobSpec::to_line`], which leaves the
//! password out).

use std::fmt::Write as _;

use cellftp_proto::{
    CmeError, CommandDecoder, Decoded, Request, Response, ResponseDecoder, ServCode, Urc,
};
use cellftp_session::{JobError, ModemError, Outcome, ProtocolError, Timeouts};
use serde::Serialize;

use crate::import::{self, Format, ImportErrorKind};
use crate::reconstruct;
use crate::redact_passwords;
use crate::replay::{replay, Failure, JobResult, JobRun, UnsolicitedKind};
use crate::transcript::{escape, Dialect, JobSpec, Record, SimcomJob, Transcript};

/// How to check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Read every file as this format instead of detecting it.
    pub format: Option<Format>,
    /// A departure from what the session would send is an error, not a
    /// warning.
    pub strict: bool,
    /// Build [`FileReport::timeline`] (for the HTML report).
    pub timeline: bool,
    /// Read captures that declare no dialect as this one instead of
    /// detecting it from their commands. A transcript's `! dialect` line
    /// wins.
    pub dialect: Option<Dialect>,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; the file passes.
    Note,
    /// Suspicious; the file passes.
    Warning,
    /// The file fails.
    Error,
}

impl Severity {
    /// `error`, `warning` or `note`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding, located in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// 1-based line; `None` for the whole file.
    pub line: Option<usize>,
    /// 1-based column, in bytes; `None` for the whole line.
    pub col: Option<usize>,
    /// What was found, as a sentence.
    pub message: String,
}

/// A job's error, in stable terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorReport {
    /// A stable snake_case code: `modem_error`, `cme_error`, `cms_error`,
    /// `server_unreachable`, `server_refused`, `server_error`,
    /// `pdp_inactive`, `modem_restarted`, `timeout`, `payload_incomplete`,
    /// `unexpected_response`, `not_configured`, `refused`, `unfinished`,
    /// `not_replayed`; for the SIMCom dialect's FTP error codes, by their
    /// kind: `network_error`, `dns_error`, `connect_error`, `ftp_timeout`,
    /// `server_error`, `operation_not_allowed`, `login_refused`,
    /// `resume_refused`, `data_connection_error`, `file_operation_refused`,
    /// `transfer_failed`, `modem_storage_error`, `cancelled`,
    /// `unknown_ftp_error`; and `bearer_not_open`, `echo_on`,
    /// `unsupported`.
    pub code: &'static str,
    /// The number behind it: the CME/CMS or FTPSERV code, the SIMCom FTP
    /// error code (`77`), the command that timed out, the announced and
    /// received lengths.
    pub detail: Option<String>,
    /// A sentence.
    pub message: String,
}

/// One job and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobReport {
    /// `bring-up`, `configure`, `put`, `get`, `list`, `mkdir`, `rmdir`,
    /// `query-config`, `quit`, `raw`, or (SIMCom) `delete`, `size`.
    pub kind: &'static str,
    /// The job's `!` line (password redacted).
    pub spec: String,
    /// The file name (put, get, delete, size).
    pub name: Option<String>,
    /// The resume offset (get).
    pub offset: Option<u32>,
    /// The server path (list, mkdir, rmdir, configure; the directory of a
    /// SIMCom put, get, delete, size).
    pub path: Option<String>,
    /// The line the job starts at (its `!` line or its first command).
    pub line: Option<usize>,
    /// True when the job succeeded.
    pub ok: bool,
    /// The outcome as a phrase (`downloaded 3 bytes from offset 2`).
    pub outcome: Option<String>,
    /// Why it failed.
    pub error: Option<ErrorReport>,
    /// The bytes downloaded or uploaded, in hex.
    pub data_hex: Option<String>,
    /// The listing's entry names.
    pub entries: Vec<String>,
}

/// Counts for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Commands the host sent.
    pub commands: usize,
    /// Items the modem sent.
    pub responses: usize,
    /// Bytes both ways.
    pub bytes: usize,
    /// Jobs.
    pub jobs: usize,
    /// Jobs that failed (on the modem or in the replay).
    pub failed_jobs: usize,
}

/// One file's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    /// The file, as named by the caller.
    pub path: String,
    /// The format it was read as; `None` if none fits.
    pub format: Option<&'static str>,
    /// True when the capture could not represent every byte exactly.
    pub lossy: bool,
    /// True when the file imported and replayed clean.
    pub passed: bool,
    /// True when the jobs were read from the commands, not declared.
    pub reconstructed: bool,
    /// Counts.
    pub stats: Stats,
    /// Findings, in file order (file-wide ones first).
    pub diagnostics: Vec<Diagnostic>,
    /// The jobs, in order.
    pub jobs: Vec<JobReport>,
    /// Host and modem side by side, when [`Options::timeline`] asked.
    #[serde(skip)]
    pub timeline: Vec<Exchange>,
    /// The file's lines shown by the diagnostics: (line, escaped text).
    #[serde(skip)]
    pub source: Vec<(usize, String)>,
}

/// One command and what the modem answered, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// The time of the exchange, in ms, if the capture has times.
    pub time_ms: Option<u64>,
    /// The line the exchange starts at.
    pub line: usize,
    /// What the host sent (escaped), if anything.
    pub host: Option<String>,
    /// What the modem sent, item by item.
    pub modem: Vec<ModemItem>,
}

/// One item the modem sent, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModemItem {
    /// The bytes, escaped.
    pub text: String,
    /// `ok`, `error`, `payload`, `unsolicited`, `echo`, `unknown` or `info`.
    pub class: &'static str,
}

impl FileReport {
    fn new(path: &str) -> Self {
        Self {
            path: path.to_owned(),
            format: None,
            lossy: false,
            passed: false,
            reconstructed: false,
            stats: Stats::default(),
            diagnostics: Vec::new(),
            jobs: Vec::new(),
            timeline: Vec::new(),
            source: Vec::new(),
        }
    }

    fn diag(
        &mut self,
        severity: Severity,
        line: Option<usize>,
        col: Option<usize>,
        message: String,
    ) {
        self.diagnostics.push(Diagnostic {
            severity,
            line,
            col,
            message,
        });
    }

    /// The errors, as one line each: why the file failed.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }
}

/// The most diagnostics of one kind shown per file; the rest are counted.
const MAX_PER_KIND: usize = 8;

/// Checks `bytes`, the file `path`.
pub fn check(path: &str, bytes: &[u8], options: &Options) -> FileReport {
    let mut out = FileReport::new(path);
    let imported = match options.format {
        Some(f) => import::import(f, path, bytes),
        None => import::detect_and_import(path, bytes),
    };
    let imported = match imported {
        Ok(i) => i,
        Err(e) => {
            out.format = options
                .format
                .or_else(|| Format::detect(path, bytes))
                .map(Format::name);
            let message = match &e.kind {
                ImportErrorKind::NoCommand => "no AT command found: nothing to replay".to_owned(),
                kind => kind.to_string(),
            };
            out.diag(Severity::Error, Some(e.line), Some(e.column), message);
            out.source = source_lines(bytes, &[e.line]);
            return out;
        }
    };
    out.format = Some(imported.format.name());
    let lines = imported.lines;
    let transcript = imported.transcript;
    let line_of = |record: usize| lines.get(record).copied();
    for why in transcript.lossy() {
        out.lossy = true;
        out.diag(
            Severity::Warning,
            None,
            None,
            format!("lossy capture: {why}"),
        );
    }
    let declares_dialect = transcript
        .records
        .iter()
        .any(|r| matches!(r, Record::Dialect(_)));
    let dialect = if declares_dialect {
        transcript.dialect()
    } else {
        options
            .dialect
            .unwrap_or_else(|| reconstruct::dialect_of(&transcript))
    };
    let found = reconstruct::jobs_in(&transcript, dialect);
    out.stats.commands = found.commands;
    if found.commands == 0 {
        out.diag(
            Severity::Error,
            None,
            None,
            "no AT command found: nothing to replay".to_owned(),
        );
    }
    let declared = transcript.jobs().next().is_some();
    out.reconstructed = !declared;
    let replayed = if declared {
        transcript.clone()
    } else {
        reconstruct::with_jobs(&transcript, &found.jobs)
    };
    let run = replay(&replayed);
    // Records inserted before the transcript's own, after its dialect line.
    let inserted = replayed.records.len() - transcript.records.len();
    let inserted_at = transcript
        .records
        .iter()
        .position(|r| matches!(r, Record::Dialect(_)))
        .map_or(0, |at| at + 1);
    // Record indices of the replayed transcript to source lines.
    let run_line = |record: usize| {
        if record < inserted_at {
            line_of(record)
        } else {
            record.checked_sub(inserted).and_then(line_of)
        }
    };
    out.stats.bytes = run.bytes;
    out.stats.responses = run.responses.len();
    out.stats.jobs = run.jobs.len();

    for s in found.strays.iter().take(MAX_PER_KIND) {
        out.diag(
            Severity::Warning,
            line_of(s.record),
            None,
            format!("the host sent `{}`: {}", s.line, s.why),
        );
    }
    more(&mut out, found.strays.len(), "host lines fit no job");
    protocol_findings(&wire_events(&transcript, dialect), &line_of, &mut out);

    // The replay's failures.
    let conformance = if declared || options.strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut departed_at = None;
    for (failure, record) in run.failures.iter().zip(&run.failure_records) {
        let line = record.and_then(run_line);
        let (severity, message) = match failure {
            Failure::CommandMismatch { sent, recorded, .. } => {
                departed_at = departed_at.or(line);
                (
                    conformance,
                    format!("the session would send `{sent}` here; the host sent `{recorded}`"),
                )
            }
            Failure::MissingCommand { recorded } => {
                departed_at = departed_at.or(line);
                (
                    conformance,
                    format!("the host sent `{recorded}`, which the session would not send here"),
                )
            }
            Failure::ExtraCommand { sent } => (
                conformance,
                format!("the session would go on to send `{sent}`; the log ends"),
            ),
            Failure::UnexpectedResult { .. } => (Severity::Error, failure.to_string()),
            Failure::Unfinished { job } if !declared => (
                Severity::Warning,
                format!("job {job} has no end in the log: its last command got no final result"),
            ),
            Failure::Refused { .. } if !declared => (
                conformance,
                format!("{failure}: the session cannot run this job as the host did"),
            ),
            _ => (Severity::Error, failure.to_string()),
        };
        let line = line.or_else(|| match failure {
            Failure::Unfinished { job } | Failure::Refused { job, .. } => {
                job_line(&transcript, &found.jobs, declared, *job, &lines)
            }
            _ => None,
        });
        out.diag(severity, line, None, message);
    }
    // A URC may come at any time: a note. Anything else no command was
    // waiting for (a final result, data, an echo) is modem output the
    // replay could not attribute: a warning, so the summary does not count
    // the file clean. An unparsed line is already a warning of its own
    // (see `protocol_findings`).
    let of = |kind| {
        run.unsolicited
            .iter()
            .filter(move |u: &&crate::replay::Unsolicited| u.kind == kind)
            .collect::<Vec<_>>()
    };
    let urcs = of(UnsolicitedKind::Report);
    let unattributed = of(UnsolicitedKind::Unattributed);
    for u in urcs.iter().take(MAX_PER_KIND) {
        out.diag(
            Severity::Note,
            run_line(u.record),
            None,
            format!("unsolicited report: {}", u.text),
        );
    }
    more(&mut out, urcs.len(), "unsolicited reports");
    for u in unattributed.iter().take(MAX_PER_KIND) {
        out.diag(
            Severity::Warning,
            run_line(u.record),
            None,
            format!(
                "the modem sent {} while no command was waiting for it: the replay could not attribute it",
                u.text
            ),
        );
    }
    more(&mut out, unattributed.len(), "unattributed modem lines");

    for (i, job) in run.jobs.iter().enumerate() {
        let line = job_line(&transcript, &found.jobs, declared, i as u32, &lines);
        out.jobs
            .push(job_report(job, line, run.departed, departed_at));
    }
    out.stats.failed_jobs = out.jobs.iter().filter(|j| !j.ok).count();
    out.diagnostics
        .sort_by_key(|d| (d.line.is_some(), d.line, d.severity != Severity::Error));
    let clean = out.errors().next().is_none();
    out.passed = clean;
    let shown: Vec<usize> = out.diagnostics.iter().filter_map(|d| d.line).collect();
    out.source = source_lines(bytes, &shown);
    if options.timeline {
        out.timeline = timeline(&transcript, dialect, &lines);
    }
    out
}

/// Adds a note that `total - MAX_PER_KIND` more were left out.
fn more(out: &mut FileReport, total: usize, what: &str) {
    if total > MAX_PER_KIND {
        out.diag(
            Severity::Note,
            None,
            None,
            format!("{} more {what} not shown", total - MAX_PER_KIND),
        );
    }
}

/// The source line job `job` starts at.
fn job_line(
    t: &Transcript,
    found: &[reconstruct::Reconstructed],
    declared: bool,
    job: u32,
    lines: &[usize],
) -> Option<usize> {
    if declared {
        let record = t
            .records
            .iter()
            .enumerate()
            .filter(|(_, r)| matches!(r, Record::Job(_)))
            .nth(job as usize)
            .map(|(i, _)| i)?;
        lines.get(record).copied()
    } else {
        found
            .get(job as usize)
            .and_then(|j| lines.get(j.record).copied())
    }
}

/// The escaped text of the requested lines of `bytes` (at most 120 bytes
/// each, passwords redacted).
fn source_lines(bytes: &[u8], wanted: &[usize]) -> Vec<(usize, String)> {
    let mut wanted: Vec<usize> = wanted.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    let mut out = Vec::new();
    if wanted.is_empty() {
        return out;
    }
    let mut next = wanted.iter().peekable();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let n = i + 1;
        while next.next_if(|&&w| w < n).is_some() {}
        if next.peek() == Some(&&n) {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let cut = line.get(..120).unwrap_or(line);
            let dots = if cut.len() < line.len() { "…" } else { "" };
            out.push((n, format!("{}{dots}", shown_text(&redact_passwords(cut)))));
            next.next();
        }
        if next.peek().is_none() {
            break;
        }
    }
    out
}

/// A source line as text: UTF-8 kept, control bytes and invalid UTF-8
/// escaped.
fn shown_text(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() {
                s.push_str(&escape(c.to_string().as_bytes()));
            } else {
                s.push(c);
            }
        }
        s.push_str(&escape(chunk.invalid()));
    }
    s
}

/// The job's kind word.
fn kind(spec: &JobSpec) -> &'static str {
    match spec {
        JobSpec::BringUp(_) => "bring-up",
        JobSpec::Configure { .. } => "configure",
        JobSpec::Put { .. } => "put",
        JobSpec::Get { .. } => "get",
        JobSpec::List(_) => "list",
        JobSpec::Mkdir(_) => "mkdir",
        JobSpec::Rmdir(_) => "rmdir",
        JobSpec::QueryConfig => "query-config",
        JobSpec::Quit => "quit",
        JobSpec::Raw(_) => "raw",
        JobSpec::Simcom(j) => match j {
            SimcomJob::BringUp { .. } => "bring-up",
            SimcomJob::Configure { .. } => "configure",
            SimcomJob::Put { .. } => "put",
            SimcomJob::Get { .. } => "get",
            SimcomJob::List(_) => "list",
            SimcomJob::Mkdir(_) => "mkdir",
            SimcomJob::Rmdir(_) => "rmdir",
            SimcomJob::Delete { .. } => "delete",
            SimcomJob::Size { .. } => "size",
            SimcomJob::Quit => "quit",
        },
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn job_report(
    job: &JobRun,
    line: Option<usize>,
    departed: bool,
    departed_at: Option<usize>,
) -> JobReport {
    let (name, offset, path) = match &job.spec {
        JobSpec::Put { name, .. } => (Some(name.clone()), None, None),
        JobSpec::Get { name, offset } => (Some(name.clone()), Some(*offset), None),
        JobSpec::List(p) => (None, None, p.clone()),
        JobSpec::Mkdir(d) | JobSpec::Rmdir(d) => (None, None, Some(d.clone())),
        JobSpec::Configure { path, .. } => (None, None, path.clone()),
        JobSpec::Simcom(j) => match j {
            SimcomJob::Put { dir, name, .. }
            | SimcomJob::Delete { dir, name }
            | SimcomJob::Size { dir, name } => (Some(name.clone()), None, Some(dir.clone())),
            SimcomJob::Get { dir, name, offset } => {
                (Some(name.clone()), Some(*offset), Some(dir.clone()))
            }
            SimcomJob::List(d) | SimcomJob::Mkdir(d) | SimcomJob::Rmdir(d) => {
                (None, None, Some(d.clone()))
            }
            _ => (None, None, None),
        },
        _ => (None, None, None),
    };
    let (ok, outcome, error) = match (&job.result, job.refused) {
        (_, Some(e)) => (
            false,
            None,
            Some(ErrorReport {
                code: "refused",
                detail: None,
                message: format!("the session refused the job: {e}"),
            }),
        ),
        (Some(JobResult::Manual(Ok(o))), None) => (true, Some(outcome_text(o)), None),
        (Some(JobResult::Manual(Err(e))), None) => (false, None, Some(error_report(e))),
        (Some(JobResult::Simcom(Ok(o))), None) => {
            (true, Some(crate::simcom::outcome_text(o)), None)
        }
        (Some(JobResult::Simcom(Err(e))), None) => (false, None, Some(simcom_error_report(e))),
        (None, None) if departed => (
            false,
            None,
            Some(ErrorReport {
                code: "not_replayed",
                detail: None,
                message: match departed_at {
                    Some(l) => format!(
                        "not replayed: the log departs from what the session sends at line {l}"
                    ),
                    None => "not replayed: the log departs from what the session sends".to_owned(),
                },
            }),
        ),
        (None, None) => (
            false,
            None,
            Some(ErrorReport {
                code: "unfinished",
                detail: None,
                message: "the job never ended: the log stops first".to_owned(),
            }),
        ),
    };
    let data = match &job.spec {
        JobSpec::Put { .. }
        | JobSpec::Get { .. }
        | JobSpec::Simcom(SimcomJob::Put { .. } | SimcomJob::Get { .. }) => {
            Some(hex(&redact_passwords(&job.data)))
        }
        _ => None,
    };
    JobReport {
        kind: kind(&job.spec),
        spec: job.spec.to_line(),
        name,
        offset,
        path,
        line,
        ok,
        outcome,
        error,
        data_hex: data,
        entries: job
            .entries
            .iter()
            .map(|e| String::from_utf8_lossy(&redact_passwords(e)).into_owned())
            .collect(),
    }
}

fn outcome_text(o: &Outcome) -> String {
    match o {
        Outcome::BroughtUp => "brought up".to_owned(),
        Outcome::Configured => "configured and logged in".to_owned(),
        Outcome::Uploaded { bytes } => format!("uploaded {}", counted(*bytes, "byte", "bytes")),
        Outcome::Downloaded { offset, bytes } => {
            format!(
                "downloaded {} from offset {offset}",
                counted(*bytes, "byte", "bytes")
            )
        }
        Outcome::Listed { entries, lines } => {
            format!(
                "listed {} ({})",
                counted(*entries, "entry", "entries"),
                counted(*lines, "line", "lines")
            )
        }
        Outcome::DirectoryCreated => "directory created".to_owned(),
        Outcome::DirectoryRemoved => "directory removed".to_owned(),
        Outcome::ConfigReported { items } => format!("configuration reported ({items} items)"),
        Outcome::Quit => "connection closed".to_owned(),
        Outcome::RawDone { lines } => format!("answered OK after {lines} lines"),
        other => format!("{other:?}"),
    }
}

/// A job error in stable terms.
pub fn error_report(e: &JobError) -> ErrorReport {
    let message = e.to_string();
    let (code, detail) = match e {
        JobError::Modem { error, .. } => match error {
            ModemError::Error => ("modem_error", None),
            ModemError::Cme { code } => (
                "cme_error",
                code.map(|c| match CmeError::describe(c) {
                    Some(m) => format!("{c} ({m})"),
                    None => c.to_string(),
                }),
            ),
            ModemError::CmeText(text) => ("cme_error", Some(text.to_string())),
            ModemError::Cms { code } => ("cms_error", code.map(|c| c.to_string())),
            ModemError::CmsText(text) => ("cms_error", Some(text.to_string())),
            ModemError::Serv(s) => (
                match s {
                    ServCode::PdpNotActive => "pdp_inactive",
                    ServCode::BadAddress | ServCode::Unreachable | ServCode::ConnectTimeout => {
                        "server_unreachable"
                    }
                    ServCode::Refused => "server_refused",
                    _ => "server_error",
                },
                Some(s.code().to_string()),
            ),
            _ => ("modem_error", None),
        },
        JobError::Protocol { error, .. } => match error {
            ProtocolError::ModemRestarted => ("modem_restarted", None),
            ProtocolError::PayloadIncomplete {
                announced,
                received,
            } => (
                "payload_incomplete",
                Some(format!("{received} of {announced} bytes")),
            ),
            ProtocolError::Unexpected(k) => ("unexpected_response", Some(k.to_string())),
            _ => ("unexpected_response", None),
        },
        JobError::Timeout { command } => ("timeout", Some(command.to_string())),
        JobError::NotConfigured => ("not_configured", None),
        _ => ("job_error", None),
    };
    ErrorReport {
        code,
        detail,
        message,
    }
}

/// A SIMCom job error in stable terms: the FTP error code's kind as the
/// code, the number as the detail.
pub fn simcom_error_report(e: &cellftp_session::simcom::JobError) -> ErrorReport {
    use cellftp_proto::simcom::SimcomErrorKind as K;
    use cellftp_session::simcom::{JobError as E, ProtocolError as P};
    let message = e.to_string();
    let (code, detail) = match e {
        E::Modem { error, .. } => match error {
            ModemError::Cme { code } => (
                "cme_error",
                code.map(|c| match CmeError::describe(c) {
                    Some(m) => format!("{c} ({m})"),
                    None => c.to_string(),
                }),
            ),
            ModemError::CmeText(text) => ("cme_error", Some(text.to_string())),
            ModemError::Cms { code } => ("cms_error", code.map(|c| c.to_string())),
            ModemError::CmsText(text) => ("cms_error", Some(text.to_string())),
            _ => ("modem_error", None),
        },
        E::Ftp { error, .. } => (
            match error.kind() {
                K::Network => "network_error",
                K::Dns => "dns_error",
                K::Connect => "connect_error",
                K::Timeout => "ftp_timeout",
                K::Server => "server_error",
                K::NotAllowed => "operation_not_allowed",
                K::Login => "login_refused",
                K::Resume => "resume_refused",
                K::DataConnection => "data_connection_error",
                K::FileOperation => "file_operation_refused",
                K::Transfer => "transfer_failed",
                K::ModemStorage => "modem_storage_error",
                K::Cancelled => "cancelled",
                _ => "unknown_ftp_error",
            },
            Some(error.code().to_string()),
        ),
        E::Protocol { error, .. } => match error {
            P::ModemRestarted => ("modem_restarted", None),
            P::TooMuch { asked, confirmed } => (
                "unexpected_response",
                Some(format!("{confirmed} confirmed of {asked} asked")),
            ),
            P::ConfirmedTwice { first, again } => (
                "unexpected_response",
                Some(format!("{first} confirmed, then {again} again")),
            ),
            _ => ("unexpected_response", None),
        },
        E::Timeout { command } => ("timeout", Some(command.to_string())),
        E::BearerNotOpen { status } => ("bearer_not_open", Some(status.to_string())),
        E::EchoOn => ("echo_on", None),
        E::Cancelled => ("cancelled", None),
        E::Unsupported => ("unsupported", None),
        _ => ("job_error", None),
    };
    ErrorReport {
        code,
        detail,
        message,
    }
}

/// What a command waits for: where it was sent, and when.
struct Pending {
    name: String,
    line: Option<usize>,
    since: Option<u64>,
    timeout_ms: u64,
    late: bool,
}

/// One item of a transcript's streams, as [`protocol_findings`] needs it.
enum Wire {
    /// A time mark, at its record.
    Time(usize, u64),
    /// A command line: at its record, shown (escaped, redacted, cut), with
    /// its timeout.
    Command {
        record: usize,
        shown: String,
        timeout_ms: u64,
    },
    /// A modem item at its record: a final result or not, and the line if
    /// it does not parse.
    Response {
        record: usize,
        is_final: bool,
        unknown: Option<Vec<u8>>,
    },
}

/// The shown name of a command line.
fn shown_command(raw: &[u8]) -> String {
    let shown = raw.trim_ascii();
    let shown = shown.get(..40).unwrap_or(shown);
    escape(&redact_passwords(shown))
}

fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The items of `t`'s streams, in record order, read as `dialect`.
fn wire_events(t: &Transcript, dialect: Dialect) -> Vec<Wire> {
    let mut events = Vec::new();
    if dialect == Dialect::Simcom {
        let timeouts = cellftp_session::simcom::Timeouts::default();
        for (record, r) in t.records.iter().enumerate() {
            if let Record::Time(ms) = r {
                events.push(Wire::Time(record, *ms));
            }
        }
        let mut items = Vec::new();
        crate::simcom::walk(t, |record, item| {
            use cellftp_proto::simcom::{Request as Q, Response as R};
            match item {
                crate::simcom::Item::Host(Q::Command(c), raw) => items.push(Wire::Command {
                    record,
                    shown: shown_command(raw),
                    timeout_ms: millis(timeouts.for_class(c.timeout_class())),
                }),
                crate::simcom::Item::Modem(r, _) => items.push(Wire::Response {
                    record,
                    is_final: r.final_result().is_some(),
                    unknown: match r {
                        R::Unknown(l) | R::Overlong(l) => Some(l.to_vec()),
                        _ => None,
                    },
                }),
                crate::simcom::Item::Host(..) => {}
            }
        });
        // Time marks before the items of their record; stable otherwise.
        events.extend(items);
        events.sort_by_key(|e| match e {
            Wire::Time(r, _) => (*r, 0),
            Wire::Command { record, .. } | Wire::Response { record, .. } => (*record, 1),
        });
        return events;
    }
    let timeouts = Timeouts::default();
    let mut commands = CommandDecoder::new();
    let mut responses = ResponseDecoder::new();
    let (mut sent, mut received) = (crate::feed::Feed::default(), crate::feed::Feed::default());
    for (record, r) in t.records.iter().enumerate() {
        match r {
            Record::Time(ms) => events.push(Wire::Time(record, *ms)),
            Record::Sent(b) => {
                sent.push(b);
                loop {
                    let (consumed, done) = match commands.decode(sent.pending()) {
                        Decoded::Item { item, consumed } => {
                            if let Request::Command(c) = item {
                                let raw = sent.pending().get(..consumed).unwrap_or_default();
                                events.push(Wire::Command {
                                    record,
                                    shown: shown_command(raw),
                                    timeout_ms: millis(timeouts.for_class(c.timeout_class())),
                                });
                            }
                            (consumed, false)
                        }
                        Decoded::NeedMore { consumed } => (consumed, true),
                    };
                    sent.consume(consumed);
                    if done {
                        break;
                    }
                }
            }
            Record::Received(b) => {
                received.push(b);
                loop {
                    let (consumed, done) = match responses.decode(received.pending()) {
                        Decoded::Item { item, consumed } => {
                            events.push(Wire::Response {
                                record,
                                is_final: item.final_result().is_some(),
                                unknown: match item {
                                    Response::Unknown(l) | Response::Overlong(l) => {
                                        Some(l.to_vec())
                                    }
                                    _ => None,
                                },
                            });
                            (consumed, false)
                        }
                        Decoded::NeedMore { consumed } => (consumed, true),
                    };
                    received.consume(consumed);
                    if done {
                        break;
                    }
                }
            }
            Record::Comment(_) | Record::Dialect(_) | Record::Job(_) | Record::Expect { .. } => {}
        }
    }
    events
}

/// Modem bytes that do not parse, commands with no final result, gaps
/// longer than a command's timeout.
fn protocol_findings(
    events: &[Wire],
    line_of: &dyn Fn(usize) -> Option<usize>,
    out: &mut FileReport,
) {
    let mut now: Option<u64> = None;
    let mut pending: Option<Pending> = None;
    let (mut unknown, mut unanswered, mut gaps) = (0usize, 0usize, 0usize);
    let mut finds: Vec<Diagnostic> = Vec::new();
    let mut unanswered_diag = |p: &Pending, why: &str, finds: &mut Vec<Diagnostic>| {
        unanswered += 1;
        if unanswered <= MAX_PER_KIND {
            finds.push(Diagnostic {
                severity: Severity::Warning,
                line: p.line,
                col: None,
                message: format!("`{}` got no final result {why}", p.name),
            });
        }
    };
    for event in events {
        match event {
            Wire::Time(record, ms) => {
                let (record, ms) = (*record, *ms);
                now = Some(ms);
                if let Some(p) = pending.as_mut() {
                    let waited = p.since.and_then(|s| ms.checked_sub(s)).unwrap_or(0);
                    if !p.late && waited > p.timeout_ms {
                        p.late = true;
                        gaps += 1;
                        if gaps <= MAX_PER_KIND {
                            finds.push(Diagnostic {
                                severity: Severity::Warning,
                                line: line_of(record),
                                col: None,
                                message: format!(
                                    "`{}` (sent at {} ms) still had no final result at {ms} ms: {waited} ms, longer than its timeout of {} ms",
                                    p.name,
                                    p.since.unwrap_or(0),
                                    p.timeout_ms
                                ),
                            });
                        }
                    }
                }
            }
            Wire::Command {
                record,
                shown,
                timeout_ms,
            } => {
                if let Some(p) = pending.take() {
                    unanswered_diag(&p, "before the next command", &mut finds);
                }
                pending = Some(Pending {
                    name: shown.clone(),
                    line: line_of(*record),
                    since: now,
                    timeout_ms: *timeout_ms,
                    late: false,
                });
            }
            Wire::Response {
                record,
                is_final,
                unknown: line,
            } => {
                if *is_final {
                    pending = None;
                } else if let Some(p) = pending.as_mut() {
                    // Data restarts a transfer's idle timer.
                    p.since = now;
                }
                if let Some(l) = line {
                    unknown += 1;
                    if unknown <= MAX_PER_KIND {
                        let l = l.get(..60).unwrap_or(l);
                        finds.push(Diagnostic {
                            severity: Severity::Warning,
                            line: line_of(*record),
                            col: None,
                            message: format!(
                                "the modem sent `{}`, which does not parse as any response",
                                escape(&redact_passwords(l))
                            ),
                        });
                    }
                }
            }
        }
    }
    if let Some(p) = pending.take() {
        unanswered_diag(&p, "before the log ends", &mut finds);
    }
    out.diagnostics.extend(finds);
    more(out, unknown, "unparsed modem lines");
    more(out, unanswered, "unanswered commands");
    more(out, gaps, "long gaps");
}

/// The exchanges of `t`: each host record with the modem items that
/// followed it.
fn timeline(t: &Transcript, dialect: Dialect, lines: &[usize]) -> Vec<Exchange> {
    // Each modem item, escaped and classed, by the record that completed it.
    let mut items: Vec<(usize, ModemItem)> = Vec::new();
    if dialect == Dialect::Simcom {
        crate::simcom::walk(t, |record, item| {
            if let crate::simcom::Item::Modem(r, raw) = item {
                items.push((
                    record,
                    ModemItem {
                        text: escape(&redact_passwords(raw)),
                        class: simcom_class(&r),
                    },
                ));
            }
        });
    } else {
        let mut decoder = ResponseDecoder::new();
        let mut buf = crate::feed::Feed::default();
        for (record, r) in t.records.iter().enumerate() {
            let Record::Received(b) = r else { continue };
            buf.push(b);
            loop {
                let (consumed, done) = match decoder.decode(buf.pending()) {
                    Decoded::Item { item, consumed } => {
                        let raw = buf.pending().get(..consumed).unwrap_or_default();
                        items.push((
                            record,
                            ModemItem {
                                text: escape(&redact_passwords(raw)),
                                class: class(&item),
                            },
                        ));
                        (consumed, false)
                    }
                    Decoded::NeedMore { consumed } => (consumed, true),
                };
                buf.consume(consumed);
                if done {
                    break;
                }
            }
        }
    }
    let mut items = items.into_iter().peekable();
    let mut out: Vec<Exchange> = Vec::new();
    let mut now = None;
    for (record, r) in t.records.iter().enumerate() {
        let line = lines.get(record).copied().unwrap_or(0);
        match r {
            Record::Time(ms) => now = Some(*ms),
            Record::Sent(b) => out.push(Exchange {
                time_ms: now,
                line,
                host: Some(escape(&redact_passwords(b))),
                modem: Vec::new(),
            }),
            Record::Received(_) => {
                // Modem bytes at a later time than their exchange's get a
                // row of their own, so the gap before them shows.
                let later = out.last().is_some_and(|x| {
                    !x.modem.is_empty() && x.time_ms.is_some() && x.time_ms != now
                });
                if out.is_empty() || later {
                    out.push(Exchange {
                        time_ms: now,
                        line,
                        host: None,
                        modem: Vec::new(),
                    });
                }
                if let Some(x) = out.last_mut() {
                    x.time_ms = x.time_ms.or(now);
                }
                while let Some((_, item)) = items.next_if(|(r, _)| *r == record) {
                    if let Some(x) = out.last_mut() {
                        x.modem.push(item);
                    }
                }
            }
            Record::Comment(_) | Record::Dialect(_) | Record::Job(_) | Record::Expect { .. } => {}
        }
    }
    out
}

fn simcom_class(item: &cellftp_proto::simcom::Response<'_>) -> &'static str {
    use cellftp_proto::simcom::{OpStatus, Response as R, Urc};
    match item {
        R::Ok => "ok",
        R::Error | R::CmeError(_) | R::CmsError(_) => "error",
        R::Urc(Urc::Ftp {
            status: OpStatus::Failed(_),
            ..
        }) => "error",
        R::Urc(Urc::Ftp { .. }) => "info",
        R::Urc(_) => "unsolicited",
        R::ReadHeader { .. } | R::PutHeader { .. } => "info",
        R::Data(_) => "payload",
        R::Echo(_) => "echo",
        R::Unknown(_) | R::Overlong(_) => "unknown",
        _ => "info",
    }
}

fn class(item: &Response<'_>) -> &'static str {
    match item {
        Response::Ok => "ok",
        Response::Error | Response::CmeError(_) | Response::CmsError(_) => "error",
        Response::ServResult(ServCode::Success) => "info",
        Response::ServResult(_) => "error",
        Response::FtpGet { .. } | Response::Continuation(_) | Response::ListLine(_) => "payload",
        Response::Urc(Urc::Ready | Urc::Cfun(_) | Urc::Cpin(_) | Urc::PowerDown(_)) => {
            "unsolicited"
        }
        Response::Urc(_) => "unsolicited",
        Response::Echo(_) => "echo",
        Response::Unknown(_) | Response::Overlong(_) => "unknown",
        _ => "info",
    }
}

/// The human report of one file, rustc-style: a verdict line, each
/// finding with its `file:line:col` and the line it points at, and the
/// jobs with their outcomes.
pub fn render(r: &FileReport) -> String {
    let mut s = String::new();
    let verdict = if r.passed { "ok" } else { "FAILED" };
    let format = r.format.unwrap_or("unknown format");
    let how = if r.reconstructed {
        ", jobs read from the commands"
    } else {
        ""
    };
    let _ = writeln!(s, "{}: {verdict} ({format}{how})", r.path);
    for d in &r.diagnostics {
        let _ = writeln!(s, "{}: {}", d.severity.as_str(), d.message);
        let at = match (d.line, d.col) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", r.path),
            (Some(l), None) => format!("{}:{l}", r.path),
            _ => r.path.clone(),
        };
        let _ = writeln!(s, "  --> {at}");
        if let Some((n, text)) = d.line.and_then(|l| r.source.iter().find(|(n, _)| *n == l)) {
            let width = n.to_string().len();
            let _ = writeln!(s, "{:width$} |", "");
            let _ = writeln!(s, "{n} | {text}");
            if let Some(c) = d.col {
                let _ = writeln!(s, "{:width$} | {:>c$}", "", "^");
            }
        }
    }
    for (i, j) in r.jobs.iter().enumerate() {
        let result = match (&j.outcome, &j.error) {
            (Some(o), _) => format!("ok: {o}"),
            (None, Some(e)) => match &e.detail {
                Some(d) => format!("{} ({d}): {}", e.code, e.message),
                None => format!("{}: {}", e.code, e.message),
            },
            (None, None) => "no result".to_owned(),
        };
        let _ = writeln!(s, "  job {i}: {} → {result}", j.spec);
        if let Some(h) = &j.data_hex {
            if j.kind == "get" && !h.is_empty() {
                let bytes = unhex(h);
                let cut = bytes.get(..60).unwrap_or(&bytes);
                let dots = if cut.len() < bytes.len() { "…" } else { "" };
                let _ = writeln!(s, "      data: `{}`{dots}", escape(cut));
            }
        }
        if !j.entries.is_empty() {
            let _ = writeln!(s, "      entries: {}", j.entries.join(", "));
        }
    }
    s
}

fn unhex(h: &str) -> Vec<u8> {
    h.as_bytes()
        .chunks(2)
        .filter_map(|p| std::str::from_utf8(p).ok())
        .filter_map(|p| u8::from_str_radix(p, 16).ok())
        .collect()
}

/// `n` and its noun: `1 entry`, `2 entries`.
pub fn counted(n: impl Into<u64>, one: &str, many: &str) -> String {
    match n.into() {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}
