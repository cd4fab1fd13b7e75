//! Replaying a [`Transcript`]: through both decoders, and through a
//! [`Session`] running the transcript's jobs; a transcript that declares
//! `! dialect simcom` goes through the SIMCom dialect's decoders and a
//! [`cellftp_session::simcom::Session`] instead (`crate::simcom`).

use std::collections::VecDeque;
use std::fmt::Write as _;

use cellftp_proto::{
    Command, CommandDecoder, Decoded, Decoder, Put, Request, ResponseDecoder, MAX_PUT_DATA,
};
use cellftp_session::{Config, Event, FtpConfig, Instant, JobError, Outcome, Session, UsageError};

use crate::transcript::{escape, Dialect, JobSpec, Record, Transcript};

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
    /// Lines that belonged to no command, with the index of the record
    /// that completed them: `Debug` of the response.
    pub unsolicited: Vec<(usize, String)>,
    /// True when the session stopped following the transcript (a command
    /// differed or was missing): the jobs after that point did not run.
    pub departed: bool,
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
    /// A job of the first dialect's [`Session`].
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

/// Replays `transcript`: decodes both directions record by record, and runs
/// its jobs, if any, through a session.
pub fn replay(transcript: &Transcript) -> Report {
    let mut report = Report::default();
    match transcript.dialect() {
        Dialect::Manual => {
            decode(transcript, &mut report);
            if transcript.jobs().next().is_some() {
                SessionReplay::new(transcript, &mut report).run();
            }
        }
        Dialect::Simcom => {
            crate::simcom::decode(transcript, &mut report);
            if transcript.jobs().next().is_some() {
                crate::simcom::SimcomReplay::new(transcript, &mut report).run();
            }
        }
    }
    debug_assert_eq!(report.failures.len(), report.failure_records.len());
    report
}

/// The lengths of the `AT+FTPPUT=<len>,<data>` chunks the host sent, in
/// order: a put job replays its data cut as recorded.
fn recorded_put_chunks(t: &Transcript) -> VecDeque<usize> {
    let mut decoder = CommandDecoder::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut out = VecDeque::new();
    for r in &t.records {
        let Record::Sent(chunk) = r else { continue };
        buf.extend_from_slice(chunk);
        loop {
            match decoder.decode(&buf) {
                Decoded::Item { item, consumed } => {
                    if let Request::Command(Command::FtpPut(Put::Data(d))) = item {
                        out.push_back(d.len());
                    }
                    buf.drain(..consumed.min(buf.len()));
                }
                Decoded::NeedMore { consumed } => {
                    buf.drain(..consumed.min(buf.len()));
                    break;
                }
            }
        }
    }
    out
}

/// Feeds `chunks` to `decoder` following its contract (drop what was
/// consumed, keep the rest, append the next chunk); returns the items'
/// descriptions, how many were not understood, and the bytes fed.
fn describe_all<'t, D: Decoder>(
    decoder: &mut D,
    chunks: impl Iterator<Item = &'t [u8]>,
) -> (Vec<String>, usize, usize) {
    let (mut items, mut unknown, mut bytes) = (Vec::new(), 0, 0);
    let mut buf: Vec<u8> = Vec::new();
    for chunk in chunks {
        bytes += chunk.len();
        buf.extend_from_slice(chunk);
        loop {
            match decoder.decode(&buf) {
                Decoded::Item { item, consumed } => {
                    items.push(format!("{item:?}"));
                    unknown += usize::from(!D::is_recognised(&item));
                    buf.drain(..consumed.min(buf.len()));
                }
                Decoded::NeedMore { consumed } => {
                    buf.drain(..consumed.min(buf.len()));
                    break;
                }
            }
        }
    }
    (items, unknown, bytes)
}

fn decode(t: &Transcript, report: &mut Report) {
    let sent = t.records.iter().filter_map(|r| match r {
        Record::Sent(b) => Some(b.as_slice()),
        _ => None,
    });
    let (commands, unknown_commands, sent_bytes) = describe_all(&mut CommandDecoder::new(), sent);
    let received = t.records.iter().filter_map(|r| match r {
        Record::Received(b) => Some(b.as_slice()),
        _ => None,
    });
    let (responses, unknown_responses, received_bytes) =
        describe_all(&mut ResponseDecoder::new(), received);
    report.commands = commands;
    report.unknown_commands = unknown_commands;
    report.responses = responses;
    report.unknown_responses = unknown_responses;
    report.bytes = sent_bytes + received_bytes;
}

/// Runs a transcript's jobs through a session in lock-step with its records.
struct SessionReplay<'t, 'r> {
    transcript: &'t Transcript,
    report: &'r mut Report,
    session: Session,
    now: Instant,
    /// Jobs not yet queued (the queue is bounded).
    waiting: VecDeque<(u32, &'t JobSpec)>,
    /// Upload data left per job index.
    uploads: Vec<(u32, &'t [u8])>,
    /// Host bytes recorded but not yet sent by the session.
    expected: Vec<u8>,
    sent_commands: usize,
    results: Vec<Option<String>>,
    /// Session job id → transcript job index.
    ids: Vec<(u32, u32)>,
    broken: bool,
    /// Recorded put chunk lengths not yet replayed.
    put_chunks: VecDeque<usize>,
    /// The record being replayed.
    at: usize,
}

impl<'t, 'r> SessionReplay<'t, 'r> {
    fn new(transcript: &'t Transcript, report: &'r mut Report) -> Self {
        let jobs: VecDeque<(u32, &JobSpec)> = transcript
            .jobs()
            .enumerate()
            .map(|(i, j)| (i as u32, j))
            .collect();
        let results = vec![None; jobs.len()];
        report.jobs = jobs
            .iter()
            .map(|(_, spec)| JobRun {
                spec: (*spec).clone(),
                result: None,
                refused: None,
                data: Vec::new(),
                entries: Vec::new(),
                config: Vec::new(),
            })
            .collect();
        let put_chunks = recorded_put_chunks(transcript);
        let largest = put_chunks.iter().copied().max().unwrap_or(0);
        let mut config = Config::default();
        // A host that sent larger chunks than ours is replayed with them.
        config.chunk_size = config.chunk_size.max(largest.min(MAX_PUT_DATA));
        Self {
            transcript,
            report,
            // `chunk_size` was kept within 1..=MAX_PUT_DATA above, the only
            // field a replay changes: the default settings are valid.
            session: Session::new(config).unwrap_or_else(|e| {
                debug_assert!(false, "replay settings refused: {e}");
                Session::default()
            }),
            now: Instant::from_millis(0),
            waiting: jobs,
            uploads: Vec::new(),
            expected: Vec::new(),
            sent_commands: 0,
            results,
            ids: Vec::new(),
            broken: false,
            put_chunks,
            at: 0,
        }
    }

    /// Records a failure at the current record.
    fn fail(&mut self, failure: Failure) {
        self.report.failures.push(failure);
        self.report.failure_records.push(Some(self.at));
    }

    fn job_mut(&mut self, index: Option<u32>) -> Option<&mut JobRun> {
        index.and_then(|i| self.report.jobs.get_mut(i as usize))
    }

    fn run(mut self) {
        self.enqueue();
        for (at, record) in self.transcript.records.iter().enumerate() {
            if self.broken {
                break;
            }
            self.at = at;
            match record {
                Record::Time(ms) => {
                    self.now = self.now.max(Instant::from_millis(*ms));
                    self.session.handle_timeout(self.now);
                    self.drain();
                }
                Record::Sent(bytes) => {
                    self.expected.extend_from_slice(bytes);
                    self.pump();
                }
                Record::Received(bytes) => {
                    let mut input = bytes.as_slice();
                    while !input.is_empty() {
                        let n = self.session.handle_input(self.now, input);
                        input = input.get(n..).unwrap_or_default();
                        self.drain();
                    }
                    self.drain();
                }
                Record::Comment(_)
                | Record::Dialect(_)
                | Record::Job(_)
                | Record::Expect { .. } => {}
            }
        }
        self.finish();
    }

    /// Queues waiting jobs while the session has room.
    fn enqueue(&mut self) {
        while let Some(&(index, spec)) = self.waiting.front() {
            let queued = match spec {
                JobSpec::BringUp(b) => self.session.bring_up(*b),
                JobSpec::Configure {
                    server,
                    port,
                    mode,
                    transfer_type,
                    user,
                    password,
                    path,
                } => self.session.configure(&FtpConfig {
                    server,
                    port: *port,
                    mode: *mode,
                    transfer_type: *transfer_type,
                    user,
                    password,
                    path: path.as_deref(),
                }),
                JobSpec::Put { name, data } => {
                    self.uploads.push((index, data));
                    self.session.put(name)
                }
                JobSpec::Get { name, offset } => self.session.get(name, *offset),
                JobSpec::List(path) => self.session.list(path.as_deref()),
                JobSpec::Mkdir(d) => self.session.mkdir(d),
                JobSpec::Rmdir(d) => self.session.rmdir(d),
                JobSpec::QueryConfig => self.session.query_config(),
                JobSpec::Quit => self.session.quit(),
                JobSpec::Raw(l) => self.session.raw(l),
                JobSpec::Simcom(_) => {
                    self.fail(Failure::WrongDialect { job: index });
                    self.waiting.pop_front();
                    continue;
                }
            };
            match queued {
                Ok(id) => self.ids.push((id.get(), index)),
                Err(UsageError::QueueFull) => return,
                Err(error) => {
                    self.fail(Failure::Refused { job: index, error });
                    if let Some(r) = self.results.get_mut(index as usize) {
                        *r = Some(format!("refused: {error}"));
                    }
                    if let Some(job) = self.job_mut(Some(index)) {
                        job.refused = Some(error);
                    }
                }
            }
            self.waiting.pop_front();
        }
    }

    fn index_of(&self, id: u32) -> Option<u32> {
        self.ids.iter().find(|(i, _)| *i == id).map(|(_, j)| *j)
    }

    /// Drains events, answering uploads from the job's recorded data.
    fn drain(&mut self) {
        loop {
            let (text, ready, done) = match self.session.poll_event() {
                None => break,
                // Progress repeats what the chunks' answers show: the
                // report leaves it out.
                Some(Event::PutProgress { .. }) => continue,
                Some(event) => {
                    let ready = match event {
                        Event::PutReady { job, max } => Some((job.get(), max)),
                        _ => None,
                    };
                    let done = match &event {
                        Event::JobDone { job, result } => Some((job.get(), *result)),
                        _ => None,
                    };
                    let text = format!("{event:?}");
                    let index = |id: cellftp_session::JobId| {
                        self.ids
                            .iter()
                            .find(|(i, _)| *i == id.get())
                            .map(|(_, j)| *j as usize)
                    };
                    match event {
                        Event::Data { job, data, .. } => {
                            if let Some(run) = index(job).and_then(|i| self.report.jobs.get_mut(i))
                            {
                                run.data.extend_from_slice(data);
                            }
                        }
                        Event::ListLine {
                            job,
                            entry: Ok(entry),
                            ..
                        } => {
                            if let Some(run) = index(job).and_then(|i| self.report.jobs.get_mut(i))
                            {
                                run.entries.push(entry.name.to_vec());
                            }
                        }
                        Event::Config { job, item } => {
                            if let Some(run) = index(job).and_then(|i| self.report.jobs.get_mut(i))
                            {
                                run.config.push(format!("{item:?}"));
                            }
                        }
                        Event::Unsolicited(item) => {
                            self.report.unsolicited.push((self.at, format!("{item:?}")));
                        }
                        _ => {}
                    }
                    (text, ready, done)
                }
            };
            self.report.events.push(text);
            if let Some((id, result)) = done {
                let index = self.index_of(id);
                if let Some(slot) = index.and_then(|i| self.results.get_mut(i as usize)) {
                    *slot = Some(format!("{result:?}"));
                }
                if let Some(run) = self.job_mut(index) {
                    run.result = Some(JobResult::Manual(result));
                }
                self.enqueue();
            }
            if let Some((id, max)) = ready {
                let index = self.index_of(id);
                let data = self.uploads.iter_mut().find(|(i, _)| Some(*i) == index);
                let mut sent: &[u8] = &[];
                let outcome = match data {
                    Some((_, rest)) if !rest.is_empty() => {
                        // As the host cut it, where that fits.
                        let n = match self.put_chunks.pop_front() {
                            Some(n) if n > 0 && n <= rest.len() && n <= max => n,
                            _ => rest.len().min(max),
                        };
                        let chunk = rest.get(..n).unwrap_or_default();
                        *rest = rest.get(n..).unwrap_or_default();
                        sent = chunk;
                        self.session.send_data(chunk).map(|_| ())
                    }
                    _ => self.session.finish_put(),
                };
                match outcome {
                    Ok(()) => {
                        if let Some(run) = self.job_mut(index) {
                            run.data.extend_from_slice(sent);
                        }
                    }
                    Err(error) => {
                        let job = index.unwrap_or(u32::MAX);
                        self.fail(Failure::Refused { job, error });
                    }
                }
            }
        }
    }

    /// Lets the session send until the recorded host bytes are used up.
    fn pump(&mut self) {
        let mut waited = false;
        while !self.expected.is_empty() && !self.broken {
            self.drain();
            let Some(tx) = self.session.poll_transmit(self.now) else {
                // The guard time may hold the command back: wait it out once.
                if !waited {
                    waited = true;
                    self.now = self.now + self.session.config().guard;
                    continue;
                }
                let recorded = escape(&self.expected);
                self.fail(Failure::MissingCommand { recorded });
                self.broken = true;
                return;
            };
            waited = false;
            let recorded = self.expected.get(..tx.len()).unwrap_or(&self.expected);
            if recorded != tx {
                let failure = Failure::CommandMismatch {
                    index: self.sent_commands,
                    sent: escape(tx),
                    recorded: escape(recorded),
                };
                self.fail(failure);
                self.broken = true;
                return;
            }
            let n = tx.len();
            self.expected.drain(..n);
            self.sent_commands += 1;
        }
        self.drain();
    }

    /// After the last record: nothing more may be sent; jobs must have ended
    /// as expected.
    fn finish(mut self) {
        if !self.broken {
            self.drain();
            self.now = self.now + self.session.config().guard;
            if let Some(tx) = self.session.poll_transmit(self.now) {
                let sent = escape(tx);
                self.fail(Failure::ExtraCommand { sent });
            }
        }
        self.report.departed = self.broken;
        for (at, record) in self.transcript.records.iter().enumerate() {
            if let Record::Expect { job, result } = record {
                let got = self.results.get(*job as usize).cloned().flatten();
                if got.as_deref() != Some(result.as_str()) {
                    self.at = at;
                    self.fail(Failure::UnexpectedResult {
                        job: *job,
                        expected: result.clone(),
                        got: got.unwrap_or_else(|| "nothing".to_owned()),
                    });
                }
            }
        }
        for (job, result) in self.results.iter().enumerate() {
            match result {
                Some(r) => self.report.results.push(format!("{job}: {r}")),
                None => {
                    self.report.results.push(format!("{job}: unfinished"));
                    if !self.broken {
                        self.report
                            .failures
                            .push(Failure::Unfinished { job: job as u32 });
                        self.report.failure_records.push(None);
                    }
                }
            }
        }
    }
}
