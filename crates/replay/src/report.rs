//! What a replay found: the [`Report`], each job's [`JobRun`] and
//! [`JobResult`], and the [`Failure`]s. A leaf: the replay of either
//! dialect fills these in.

use std::fmt::Write as _;

use cellftp_session::{JobError, Outcome, UsageError};

use crate::transcript::JobSpec;

/// What a replay found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Every item decoded from the host's bytes, as `Debug` prints it.
    pub commands: Vec<String>,
    /// Every item decoded from the modem's bytes.
    pub responses: Vec<String>,
    /// Host lines that are no command we know.
    pub unknown_commands: usize,
    /// Modem lines of no known shape.
    pub unknown_responses: usize,
    /// Bytes replayed, both directions.
    pub bytes: usize,
    /// The session's events, when the transcript declares jobs.
    pub events: Vec<String>,
    /// Each job's result, in order, when the transcript declares jobs.
    pub results: Vec<String>,
    /// Everything that did not go as recorded.
    pub failures: Vec<Failure>,
    /// For each of `failures`, the index of the record it happened at,
    /// when there is one.
    pub failure_records: Vec<Option<usize>>,
    /// Each job as the session ran it, in order, when the transcript
    /// declares jobs.
    pub jobs: Vec<JobRun>,
    /// Lines that belonged to no command, in order.
    pub unsolicited: Vec<Unsolicited>,
    /// True when the session stopped following the transcript (a command
    /// differed or was missing): the jobs after that point did not run.
    pub departed: bool,
}

/// A modem line that belonged to no command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsolicited {
    /// The index of the record that completed it.
    pub record: usize,
    /// What it is, described (escaped, passwords redacted).
    pub text: String,
    /// What kind of line it is.
    pub kind: UnsolicitedKind,
}

/// What kind of line came when no command was waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsolicitedKind {
    /// An unsolicited report (a URC), which the modem may send at any time.
    Report,
    /// A line that does not parse as any response.
    Unparsed,
    /// Anything else (a final result, data, an echo): modem output the
    /// replay could not attribute to a command.
    Unattributed,
}

/// One job as the session ran it: what it was asked, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRun {
    /// The job, as its `!` line names it.
    pub spec: JobSpec,
    /// How it ended; `None` if it never did.
    pub result: Option<JobResult>,
    /// Why the session refused to queue it, if it did.
    pub refused: Option<UsageError>,
    /// The bytes downloaded (get) or accepted by the modem (put).
    pub data: Vec<u8>,
    /// The listing's entry names (list).
    pub entries: Vec<Vec<u8>>,
    /// The configuration report's items, as `Debug` prints them (query).
    pub config: Vec<String>,
}

/// How a job ended, in the terms of its dialect's session. `Debug` prints
/// the inner result, as a transcript's `=` line has it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum JobResult {
    /// A job of the first dialect's [`cellftp_session::Session`].
    Manual(Result<Outcome, JobError>),
    /// A job of the SIMCom dialect's session.
    Simcom(Result<cellftp_session::simcom::Outcome, cellftp_session::simcom::JobError>),
}

impl JobResult {
    /// True when the job succeeded.
    pub fn is_ok(&self) -> bool {
        match self {
            JobResult::Manual(r) => r.is_ok(),
            JobResult::Simcom(r) => r.is_ok(),
        }
    }
}

impl std::fmt::Debug for JobResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JobResult::Manual(r) => r.fmt(f),
            JobResult::Simcom(r) => r.fmt(f),
        }
    }
}

/// A way in which the session did not do what the transcript recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Failure {
    /// The session sent other bytes than the host did.
    #[error("command {index}: the session sent `{sent}`, the transcript has `{recorded}`")]
    CommandMismatch {
        /// 0-based index of the command.
        index: usize,
        /// What the session sent (escaped).
        sent: String,
        /// What the transcript has there (escaped).
        recorded: String,
    },
    /// The transcript has host bytes the session never sent.
    #[error("the session did not send `{recorded}`")]
    MissingCommand {
        /// The recorded bytes (escaped).
        recorded: String,
    },
    /// The session sent a command after the transcript's last one.
    #[error("the session sent `{sent}`, which the transcript does not have")]
    ExtraCommand {
        /// What the session sent (escaped).
        sent: String,
    },
    /// A job ended otherwise than its `=` line says.
    #[error("job {job}: expected {expected}, got {got}")]
    UnexpectedResult {
        /// The job's index.
        job: u32,
        /// The `=` line's result.
        expected: String,
        /// The session's.
        got: String,
    },
    /// A job never ended.
    #[error("job {job} never ended")]
    Unfinished {
        /// The job's index.
        job: u32,
    },
    /// A job of the other dialect than the transcript's.
    #[error("job {job} belongs to the other dialect than the transcript's")]
    WrongDialect {
        /// The job's index.
        job: u32,
    },
    /// A job was refused when queued.
    #[error("job {job} refused: {error}")]
    Refused {
        /// The job's index.
        job: u32,
        /// Why.
        error: UsageError,
    },
}

impl Report {
    /// True when nothing failed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// A readable rendering: commands, responses, events, results, verdict.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let mut section = |title: &str, lines: &[String]| {
            let _ = writeln!(s, "== {title} ==");
            for l in lines {
                let _ = writeln!(s, "{l}");
            }
        };
        section("commands", &self.commands);
        section("responses", &self.responses);
        if !self.results.is_empty() {
            section("events", &self.events);
            section("results", &self.results);
        }
        let failures: Vec<String> = self.failures.iter().map(ToString::to_string).collect();
        section("failures", &failures);
        s
    }
}
