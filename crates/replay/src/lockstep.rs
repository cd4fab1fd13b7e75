//! Running a transcript's jobs through a session in lock-step with its
//! records, for either dialect: the session is fed the recorded modem
//! bytes as recorded, at the recorded times, and every command line it
//! sends must be the next recorded host bytes.
//!
//! What differs between the dialects is a [`Replayed`] session: how a
//! job is queued, what the report keeps of an event, and how a command line
//! shows in a transcript. The loop itself is [`run`], over the session's
//! [`Drive`] interface.

use std::borrow::Cow;
use std::collections::VecDeque;

use cellftp_session::driver::Drive;
use cellftp_session::{Instant, JobId, UsageError};
use std::time::Duration;

use crate::report::{Failure, JobResult, JobRun, Report};
use crate::transcript::{escape, JobSpec, Record, Transcript};

/// A dialect's session as the lock-step replay drives it.
pub(crate) trait Replayed: Drive + Sized {
    /// A session to replay `transcript` with.
    fn for_transcript(transcript: &Transcript) -> Self;
    /// Its guard time: how long a command may be held back.
    fn guard(&self) -> Duration;
    /// True when `spec` is a job of this dialect.
    fn owns(spec: &JobSpec) -> bool;
    /// Queues `spec`; an upload's data comes back with the id. `None` when
    /// `spec` is the other dialect's.
    fn enqueue<'t>(&mut self, spec: &'t JobSpec) -> Option<Queued<'t>>;
    /// What the report keeps of `event`.
    fn note<'e>(event: &'e Self::Event<'_>) -> Note<'e>;
    /// `event` as the report lists it: as `Debug` prints it.
    fn text(event: &Self::Event<'_>) -> String;
    /// The recorded upload chunk sizes, in order: a put replays its data
    /// cut as the host cut it.
    fn recorded_put_chunks(transcript: &Transcript) -> VecDeque<usize>;
    /// A command line as a transcript shows it (the writer redacts
    /// passwords in the dialects that need it).
    fn as_recorded(tx: &[u8]) -> Cow<'_, [u8]>;
}

/// A job queued, with its upload's data; or why the session refused it.
pub(crate) type Queued<'t> = Result<(JobId, Option<&'t [u8]>), UsageError>;

/// What the report keeps of one event, besides its `Debug` text.
pub(crate) enum Note<'e> {
    /// Left out of the report: progress repeats what the chunks' answers
    /// show.
    Omitted,
    /// Downloaded bytes of a job.
    Data(JobId, &'e [u8]),
    /// A listing entry's name.
    Entry(JobId, &'e [u8]),
    /// A configuration report's item, as `Debug` prints it.
    Config(JobId, String),
    /// A line that belonged to no command, described, and its kind.
    Unsolicited(String, crate::report::UnsolicitedKind),
    /// A job ended.
    Done(JobId, JobResult),
    /// Nothing beyond the text.
    Other,
}

/// Runs `transcript`'s jobs through a session of dialect `S`, filling in
/// `report`'s events, results, jobs and failures.
pub(crate) fn run<S: Replayed>(transcript: &Transcript, report: &mut Report) {
    Lockstep::<S>::new(transcript, report).run();
}

/// The state of one lock-step replay.
struct Lockstep<'t, 'r, S: Replayed> {
    transcript: &'t Transcript,
    report: &'r mut Report,
    session: S,
    now: Instant,
    /// Jobs not yet queued (the queue is bounded).
    waiting: VecDeque<(u32, &'t JobSpec)>,
    /// Upload data left per job index.
    uploads: Vec<(u32, &'t [u8])>,
    /// Host bytes recorded but not yet sent by the session.
    expected: Vec<u8>,
    /// What the session sent that the recorded host bytes so far only
    /// begin (a command the log wrote in pieces): compared again when the
    /// next host bytes arrive.
    held: Option<Vec<u8>>,
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

impl<'t, 'r, S: Replayed> Lockstep<'t, 'r, S> {
    fn new(transcript: &'t Transcript, report: &'r mut Report) -> Self {
        let mut waiting = VecDeque::new();
        for (i, spec) in transcript.jobs().enumerate() {
            report.jobs.push(JobRun {
                spec: spec.clone(),
                result: None,
                refused: None,
                data: Vec::new(),
                entries: Vec::new(),
                config: Vec::new(),
            });
            if S::owns(spec) {
                waiting.push_back((i as u32, spec));
            } else {
                // A job of the other dialect cannot run on this session.
                {
                    report
                        .failures
                        .push(Failure::WrongDialect { job: i as u32 });
                    report.failure_records.push(None);
                }
            }
        }
        let results = vec![None; report.jobs.len()];
        Self {
            transcript,
            report,
            session: S::for_transcript(transcript),
            now: Instant::from_millis(0),
            waiting,
            uploads: Vec::new(),
            expected: Vec::new(),
            held: None,
            sent_commands: 0,
            results,
            ids: Vec::new(),
            broken: false,
            put_chunks: S::recorded_put_chunks(transcript),
            at: 0,
        }
    }

    /// Records a failure at the current record.
    fn fail(&mut self, failure: Failure) {
        self.report.failures.push(failure);
        self.report.failure_records.push(Some(self.at));
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
            let Some(queued) = self.session.enqueue(spec) else {
                debug_assert!(false, "only the dialect's own jobs wait");
                self.fail(Failure::WrongDialect { job: index });
                self.waiting.pop_front();
                continue;
            };
            match queued {
                Ok((id, upload)) => {
                    self.ids.push((id.get(), index));
                    if let Some(data) = upload {
                        self.uploads.push((index, data));
                    }
                }
                Err(UsageError::QueueFull) => return,
                Err(error) => {
                    self.fail(Failure::Refused { job: index, error });
                    if let Some(r) = self.results.get_mut(index as usize) {
                        *r = Some(format!("refused: {error}"));
                    }
                    if let Some(job) = self.report.jobs.get_mut(index as usize) {
                        job.refused = Some(error);
                    }
                }
            }
            self.waiting.pop_front();
        }
    }

    /// The transcript's index of session job `id`.
    fn index_of(&self, id: JobId) -> Option<u32> {
        index_in(&self.ids, id)
    }

    /// Drains events into the report, answering uploads from the job's
    /// recorded data.
    fn drain(&mut self) {
        loop {
            // The event borrows the session: what is kept of it is taken
            // out before the session is asked for anything else.
            let (done, ready) = {
                let Some(event) = self.session.poll_event() else {
                    break;
                };
                let note = S::note(&event);
                if let Note::Omitted = note {
                    continue;
                }
                let ready = S::put_ready(&event);
                self.report.events.push(S::text(&event));
                let (ids, jobs) = (&self.ids, &mut self.report.jobs);
                let mut done = None;
                match note {
                    Note::Data(id, data) => {
                        if let Some(run) = run_of(ids, jobs, id) {
                            run.data.extend_from_slice(data);
                        }
                    }
                    Note::Entry(id, name) => {
                        if let Some(run) = run_of(ids, jobs, id) {
                            run.entries.push(name.to_vec());
                        }
                    }
                    Note::Config(id, item) => {
                        if let Some(run) = run_of(ids, jobs, id) {
                            run.config.push(item);
                        }
                    }
                    Note::Unsolicited(text, kind) => {
                        self.report.unsolicited.push(crate::report::Unsolicited {
                            record: self.at,
                            text,
                            kind,
                        });
                    }
                    Note::Done(id, result) => done = Some((id, result)),
                    Note::Omitted | Note::Other => {}
                }
                (done, ready)
            };
            if let Some((id, result)) = done {
                let index = self.index_of(id);
                if let Some(slot) = index.and_then(|i| self.results.get_mut(i as usize)) {
                    *slot = Some(format!("{result:?}"));
                }
                if let Some(run) = index.and_then(|i| self.report.jobs.get_mut(i as usize)) {
                    run.result = Some(result);
                }
                self.enqueue();
            }
            if let Some((id, max)) = ready {
                self.answer_put(id, max);
            }
        }
    }

    /// Gives put job `id` its next chunk (as the host cut it, where that
    /// fits), or ends it.
    fn answer_put(&mut self, id: JobId, max: usize) {
        let index = self.index_of(id);
        let data = self.uploads.iter_mut().find(|(i, _)| Some(*i) == index);
        let mut given: &[u8] = &[];
        let outcome = match data {
            Some((_, rest)) if !rest.is_empty() => {
                let n = match self.put_chunks.pop_front() {
                    Some(n) if n > 0 && n <= rest.len() && n <= max => n,
                    _ => rest.len().min(max),
                };
                let chunk = rest.get(..n).unwrap_or_default();
                let taken = self.session.send_data(chunk);
                if let Ok(k) = taken {
                    given = chunk.get(..k).unwrap_or_default();
                    *rest = rest.get(k..).unwrap_or_default();
                }
                taken.map(|_| ())
            }
            _ => self.session.finish_put(),
        };
        match outcome {
            Ok(()) => {
                if let Some(run) = index.and_then(|i| self.report.jobs.get_mut(i as usize)) {
                    run.data.extend_from_slice(given);
                }
            }
            Err(error) => {
                let job = index.unwrap_or(u32::MAX);
                self.fail(Failure::Refused { job, error });
            }
        }
    }

    /// Lets the session send until the recorded host bytes are used up.
    fn pump(&mut self) {
        let mut waited = false;
        while !self.expected.is_empty() && !self.broken {
            self.drain();
            let guard = self.session.guard();
            let tx = match self.held.take() {
                Some(tx) => tx,
                None => match self.session.poll_transmit(self.now) {
                    Some(tx) => tx.to_vec(),
                    None => {
                        // The guard time may hold the command back: wait it
                        // out once.
                        if !waited {
                            waited = true;
                            self.now = self.now + guard;
                            continue;
                        }
                        let recorded = escape(&self.expected);
                        self.fail(Failure::MissingCommand { recorded });
                        self.broken = true;
                        return;
                    }
                },
            };
            waited = false;
            match compare(&self.expected, &tx, |tx| S::as_recorded(tx)) {
                Compared::Sent(n) => {
                    self.expected.drain(..n);
                    self.sent_commands += 1;
                }
                Compared::Begun => {
                    // The rest of the host's bytes are in a later record.
                    self.held = Some(tx);
                    break;
                }
                Compared::Differs(n) => {
                    let recorded = self.expected.get(..n).unwrap_or(&self.expected);
                    let failure = Failure::CommandMismatch {
                        index: self.sent_commands,
                        sent: escape(&S::as_recorded(&tx)),
                        recorded: escape(recorded),
                    };
                    self.fail(failure);
                    self.broken = true;
                    return;
                }
            }
        }
        self.drain();
    }

    /// After the last record: nothing more may be sent; jobs must have ended
    /// as expected.
    fn finish(mut self) {
        if let Some(tx) = self.held.take().filter(|_| !self.broken) {
            // The log stops in the middle of what the session sent.
            let failure = Failure::CommandMismatch {
                index: self.sent_commands,
                sent: escape(&S::as_recorded(&tx)),
                recorded: escape(&self.expected),
            };
            self.fail(failure);
            self.broken = true;
        }
        if !self.broken {
            self.drain();
            self.now = self.now + self.session.guard();
            if let Some(tx) = self.session.poll_transmit(self.now) {
                let sent = escape(&S::as_recorded(tx));
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

/// The run of session job `id`, by `ids`.
fn run_of<'a>(ids: &[(u32, u32)], jobs: &'a mut [JobRun], id: JobId) -> Option<&'a mut JobRun> {
    index_in(ids, id).and_then(|i| jobs.get_mut(i as usize))
}

/// The transcript's index of session job `id`, in `ids`.
fn index_in(ids: &[(u32, u32)], id: JobId) -> Option<u32> {
    ids.iter().find(|(i, _)| *i == id.get()).map(|(_, j)| *j)
}

/// How what the session sent compares with the recorded host bytes.
#[derive(Debug, PartialEq, Eq)]
enum Compared {
    /// The recorded bytes start with it: this many of them were sent.
    Sent(usize),
    /// The recorded bytes are all there is so far and it starts with them:
    /// the rest may come in a later record.
    Begun,
    /// They differ; compare this many recorded bytes in the message.
    Differs(usize),
}

/// Compares `tx`, what the session sent, with `expected`, the recorded
/// host bytes not yet matched. A command line also matches in its
/// recorded (redacted) form, `as_recorded`.
fn compare<'a>(
    expected: &[u8],
    tx: &'a [u8],
    as_recorded: impl Fn(&'a [u8]) -> Cow<'a, [u8]>,
) -> Compared {
    let mut forms = vec![Cow::Borrowed(tx)];
    if is_command_line(tx) {
        let recorded = as_recorded(tx);
        if recorded.as_ref() != tx {
            forms.push(recorded);
        }
    }
    if let Some(form) = forms.iter().find(|f| expected.starts_with(f)) {
        return Compared::Sent(form.len());
    }
    if forms.iter().any(|f| f.starts_with(expected)) {
        return Compared::Begun;
    }
    let shown = forms.last().map_or(tx.len(), |f| f.len());
    Compared::Differs(shown.min(expected.len()))
}

/// True for one whole command line: `AT…` and a single CR at the end.
fn is_command_line(tx: &[u8]) -> bool {
    tx.len() >= 3
        && tx.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(b"AT"))
        && tx.iter().position(|&b| b == b'\r') == Some(tx.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted(tx: &[u8]) -> Cow<'_, [u8]> {
        match tx.strip_prefix(b"AT+FTPPW=") {
            Some(_) => Cow::Owned(b"AT+FTPPW=<redacted>\r".to_vec()),
            None => Cow::Borrowed(tx),
        }
    }

    #[test]
    fn a_command_recorded_in_pieces_is_begun_not_different() {
        let tx = b"AT+FTPMKD=/a\r";
        assert_eq!(compare(b"AT+FTP", tx, redacted), Compared::Begun);
        assert_eq!(compare(b"AT+FTPMKD=/a\r", tx, redacted), Compared::Sent(13));
        assert_eq!(
            compare(b"AT+FTPMKD=/a\rAT\r", tx, redacted),
            Compared::Sent(13)
        );
        assert_eq!(compare(b"AT+FTPRMD", tx, redacted), Compared::Differs(9));
        let pw = b"AT+FTPPW=secret\r";
        assert_eq!(compare(b"AT+FTPPW=<red", pw, redacted), Compared::Begun);
        assert_eq!(
            compare(b"AT+FTPPW=<redacted>\r", pw, redacted),
            Compared::Sent(20)
        );
    }
}
