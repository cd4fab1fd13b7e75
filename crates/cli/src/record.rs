//! What crossed the line, for `--record`: [`Wire`] wraps the line to the
//! modem and hands every write and read, passwords redacted, to the shared
//! [`Log`], which, with `--record`, keeps it as a transcript in the replay
//! format (time marks, `>`/`<` records, `!` jobs, `=` outcomes) written at
//! the end. A transcript needs the bytes exactly as they crossed, line ends
//! and the cuts between reads included, which the session's trace hook
//! (lines without their ends) does not give: `-v` uses the hook
//! ([`crate::trace`]), the transcript the wire. The log also follows which
//! command lines got a final result, for the timeout messages.
//!
//! Each direction is redacted as one stream by a [`Redactor`]: reads can cut
//! a password line anywhere, and payloads (file data, listings) are kept
//! as they crossed the line, so that the transcript replays. With
//! `--dialect simcom` ([`Log::set_dialect`]) the transcript declares
//! `! dialect simcom`, its jobs are SIMCom jobs, and the redactors frame
//! payloads the SIMCom way (the modem's `+FTPPUT: 2,<cnf>` telling the
//! host side how many upload bytes follow).

use std::cell::RefCell;
use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

use cellftp_replay::{Dialect, JobSpec, Record, Redactor, Transcript};
use cellftp_session::proto::{CommandDecoder, Decoded, Request, ResponseDecoder, TimeoutClass};
use cellftp_session::{CommandName, JobError, JobId, Outcome};

/// The log shared by the [`Wire`] and the job runner.
pub(crate) type SharedLog = Rc<RefCell<Log>>;

/// What happened on the line, for logs and the transcript.
pub(crate) struct Log {
    epoch: Instant,
    /// `Some` with `--record`.
    transcript: Option<Recording>,
    tx: Redactor,
    rx: Redactor,
    /// The command line sent last, while no final result has answered it:
    /// its name and timeout class.
    in_flight: Option<(CommandName, TimeoutClass)>,
    /// The last few command lines that got no final result before the next
    /// was sent (a job that times out may still close its upload), newest
    /// last.
    unanswered: Vec<(CommandName, TimeoutClass)>,
    /// Reads the modem's bytes, to see each final result.
    rx_decoder: ResponseDecoder,
    /// Received bytes the decoder has not taken yet.
    rx_pending: Vec<u8>,
}

/// How many unanswered command lines [`Log`] remembers.
const UNANSWERED: usize = 4;

/// The transcript being recorded.
struct Recording {
    header: Vec<Record>,
    jobs: Vec<JobSpec>,
    records: Vec<Record>,
    outcomes: Vec<Record>,
    last_time: Option<u64>,
}

impl Log {
    /// A log whose clock starts now; `record` keeps a transcript, headed by
    /// `about`.
    pub(crate) fn new(record: bool, about: &str) -> SharedLog {
        let transcript = record.then(|| Recording {
            header: vec![
                Record::Comment("cellftp transcript v1".to_owned()),
                Record::Comment(format!(
                    "recorded by cellftp {}: {about}",
                    env!("CARGO_PKG_VERSION")
                )),
            ],
            jobs: Vec::new(),
            records: Vec::new(),
            outcomes: Vec::new(),
            last_time: None,
        });
        Rc::new(RefCell::new(Self {
            epoch: Instant::now(),
            transcript,
            tx: Redactor::sent(),
            rx: Redactor::received(),
            in_flight: None,
            unanswered: Vec::new(),
            rx_decoder: ResponseDecoder::new(),
            rx_pending: Vec::new(),
        }))
    }

    /// Records the session in `dialect`: the transcript declares it, and
    /// both directions are framed in it. Called before anything crossed
    /// the line.
    pub(crate) fn set_dialect(&mut self, dialect: Dialect) {
        self.tx = Redactor::sent_in(dialect);
        self.rx = Redactor::received_in(dialect);
        if let Some(t) = &mut self.transcript {
            debug_assert!(t.records.is_empty(), "the dialect is set before any byte");
            t.header.retain(|r| !matches!(r, Record::Dialect(_)));
            if dialect != Dialect::Manual {
                t.header.push(Record::Dialect(dialect));
            }
        }
    }

    /// Restarts the clock: called right before the driver starts its own,
    /// so that the time marks are the session's times.
    pub(crate) fn start_clock(&mut self) {
        self.epoch = Instant::now();
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Adds a time mark if the time moved since the last one.
    fn stamp(&mut self) {
        let now = self.now_ms();
        if let Some(t) = &mut self.transcript {
            if t.last_time != Some(now) {
                t.last_time = Some(now);
                t.records.push(Record::Time(now));
            }
        }
    }

    /// The timeout class of the newest command line named `name` that got
    /// no final result: the one whose timeout a job's
    /// [`JobError::Timeout`] is about.
    pub(crate) fn unanswered_class(&self, name: CommandName) -> Option<TimeoutClass> {
        self.in_flight
            .iter()
            .chain(self.unanswered.iter().rev())
            .find(|(n, _)| *n == name)
            .map(|(_, class)| *class)
    }

    /// The host wrote `bytes` (one command line: the driver writes each in
    /// one call).
    fn sent(&mut self, bytes: &[u8]) {
        if let Some(previous) = self.in_flight.take() {
            if self.unanswered.len() == UNANSWERED {
                self.unanswered.remove(0);
            }
            self.unanswered.push(previous);
        }
        // A line the command table does not know (a raw one) has the local
        // timeout, as in the session.
        self.in_flight = Some(match CommandDecoder::new().decode(bytes) {
            Decoded::Item {
                item: Request::Command(command),
                ..
            } => (command.name(), command.timeout_class()),
            _ => (CommandName::At, TimeoutClass::Local),
        });
        let shown = self.tx.push(bytes);
        self.stamp();
        if let Some(t) = &mut self.transcript {
            t.records.push(Record::Sent(shown));
        }
    }

    /// The modem sent `bytes`.
    fn received(&mut self, bytes: &[u8]) {
        self.rx_pending.extend_from_slice(bytes);
        loop {
            let (consumed, is_final) = match self.rx_decoder.decode(&self.rx_pending) {
                Decoded::NeedMore { consumed } => (consumed, None),
                Decoded::Item { item, consumed } => (consumed, Some(item.final_result().is_some())),
            };
            self.rx_pending.drain(..consumed.min(self.rx_pending.len()));
            match is_final {
                None => break,
                Some(true) => self.in_flight = None,
                Some(false) => {}
            }
        }
        let shown = self.rx.push(bytes);
        // SIMCom: the modem's `+FTPPUT: 2,<cnf>` says how many upload bytes
        // the host writes next.
        if let Some(cnf) = self.rx.take_put_header() {
            self.tx.expect_put_data(cnf);
        }
        self.stamp();
        if let Some(t) = &mut self.transcript {
            t.records.push(Record::Received(shown));
        }
    }

    /// A comment in the transcript, e.g. why the run stopped.
    pub(crate) fn comment(&mut self, text: &str) {
        if let Some(t) = &mut self.transcript {
            t.records.push(Record::Comment(text.to_owned()));
        }
    }

    /// The host queued `job` (the session numbers jobs as they are queued,
    /// and so does the transcript). A configure job's password must already
    /// be `<redacted>`.
    pub(crate) fn job(&mut self, id: JobId, job: JobSpec) {
        tracing::debug!(target: "cellftp::job", "job {}: {job:?}", id.get());
        if let Some(t) = &mut self.transcript {
            debug_assert_eq!(
                t.jobs.len(),
                id.get() as usize,
                "jobs recorded in queue order"
            );
            t.jobs.push(job);
        }
    }

    /// Put job `id` handed `data` to the session.
    pub(crate) fn put_data(&mut self, id: JobId, data: &[u8]) {
        if let Some(t) = &mut self.transcript {
            if let Some(
                JobSpec::Put { data: all, .. }
                | JobSpec::Simcom(cellftp_replay::SimcomJob::Put { data: all, .. }),
            ) = t.jobs.get_mut(id.get() as usize)
            {
                all.extend_from_slice(data);
            }
        }
    }

    /// Job `id` ended with `result`.
    pub(crate) fn outcome(&mut self, id: JobId, result: &Result<Outcome, JobError>) {
        self.ended(id, &format!("{result:?}"));
    }

    /// Job `id` ended with `result`, as its `Debug` prints it (the
    /// transcript's `=` line).
    pub(crate) fn ended(&mut self, id: JobId, result: &str) {
        tracing::debug!(target: "cellftp::job", "job {} ended: {result}", id.get());
        if let Some(t) = &mut self.transcript {
            t.outcomes.push(Record::Expect {
                job: id.get(),
                result: result.to_owned(),
            });
        }
    }

    /// The transcript as text, with a final time mark, if recording.
    pub(crate) fn transcript_text(&mut self) -> Option<String> {
        self.stamp();
        let t = self.transcript.as_ref()?;
        let mut records = t.header.clone();
        records.extend(t.jobs.iter().cloned().map(Record::Job));
        records.extend(t.records.iter().cloned());
        records.extend(t.outcomes.iter().cloned());
        let mut text = Transcript { records }.to_text();
        if text.is_empty() {
            let _ = writeln!(text, "# cellftp transcript v1");
        }
        Some(text)
    }

    /// Writes the transcript to `path`, if recording.
    pub(crate) fn write_transcript(&mut self, path: &Path) -> io::Result<()> {
        match self.transcript_text() {
            Some(text) => std::fs::write(path, text),
            None => Ok(()),
        }
    }
}

/// The line to the modem, with everything that crosses it logged.
pub(crate) struct Wire<IO> {
    io: IO,
    log: SharedLog,
}

impl<IO> Wire<IO> {
    /// Wraps `io`.
    pub(crate) fn new(io: IO, log: SharedLog) -> Self {
        Self { io, log }
    }
}

impl<IO: cellftp_session::driver::blocking::ReadTimeout>
    cellftp_session::driver::blocking::ReadTimeout for Wire<IO>
{
    fn set_read_timeout(&mut self, timeout: std::time::Duration) -> io::Result<()> {
        self.io.set_read_timeout(timeout)
    }
}

impl<IO: Read> Read for Wire<IO> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.io.read(buf)?;
        if let Some(bytes) = buf.get(..n).filter(|b| !b.is_empty()) {
            self.log.borrow_mut().received(bytes);
        }
        Ok(n)
    }
}

impl<IO: Write> Write for Wire<IO> {
    /// Writes all of `buf` (one record per call, so that a command is
    /// never cut between records), or fails.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.io.write_all(buf)?;
        self.log.borrow_mut().sent(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.io.flush()
    }
}
