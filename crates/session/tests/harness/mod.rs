//! The harness of the scripted tests (one file per scenario) and of the
//! property tests: a [`Session`] driven the way its docs say, with
//! everything it reports turned into owned values that a test can compare,
//! and macros that make a test read as the exchange on the serial line.
//!
//! # The drive order
//!
//! After every input ([`Session::handle_input`], [`Session::handle_timeout`])
//! and every verb ([`Session::bring_up`], [`Session::send_data`], …) the
//! harness:
//!
//! 1. drains [`Session::poll_event`] until `None`, turning each event into an
//!    owned [`Ev`] before the next call (events may borrow the session's
//!    receive buffer);
//! 2. then polls [`Session::poll_transmit`] until `None`, queueing each
//!    command line;
//! 3. then reads [`Session::poll_timeout`].
//!
//! The verbs that queue jobs go through [`Harness::queue`], and the upload
//! verbs through [`Harness::send_data`] and [`Harness::finish_put`], which do
//! this; a test that checks something between a verb and the drain calls the
//! session's verb and then [`Harness::pump`] itself. Input that the receive
//! buffer cannot take at once is offered again after step 1, as
//! [`Session::handle_input`] requires; every time, the harness checks that the buffer holds no more
//! than [`RX_CAPACITY`] bytes, that it takes input again once the events are
//! drained, and that what is left then is a partial item (less than
//! `MIN_BUFFER` bytes).
//!
//! # The macros
//!
//! As in smoltcp's socket tests, the test plays the peer, here the modem:
//!
//! - `send!(h, b"\r\nOK\r\n")`: the modem sends these bytes to the session;
//! - `recv!(h, b"AT+FTPMODE=1\r")`: the modem receives this command line from
//!   the session, which must be the next one it transmitted. If nothing was
//!   transmitted yet and a command only waits for its guard time, time first
//!   moves on to the end of the guard time;
//! - `exchange!(h, b"AT+FTPMODE=1\r" => b"\r\nOK\r\n")`: `recv!` then `send!`;
//! - `events!(h, ev, …)`: exactly these events were reported since the last
//!   check, in this order.
//!
//! [`Harness::end`] checks that nothing was left unchecked, that every job
//! queued ended with exactly one `JobDone`, and that no command (such as the
//! resync probe after a failed command) still waits to be sent or answered.
//!
//! # Fixtures
//!
//! The `fixtures` module holds the manual's bring-up and connection and the
//! exchanges that bring a session to where a test starts (re-exported here).
// Every test file compiles its own copy of this module and uses a different
// part of it; what one file leaves unused is not dead.
#![allow(dead_code, unreachable_pub, unused_macros)]

use std::collections::{BTreeMap, VecDeque};
use std::format;
use std::string::String;
use std::vec::Vec;

use cellftp_proto::listing::{EntryKind, ListingError};
use cellftp_proto::MIN_BUFFER;
use cellftp_session::{
    Config, Event, Instant, JobError, JobId, Outcome, Session, UsageError, RX_CAPACITY,
};

/// The parsed part of a listing line, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// What the entry is.
    pub kind: EntryKind,
    /// Its size, if listed.
    pub size: Option<u64>,
    /// Its name, as text (lossy).
    pub name: String,
}

/// An [`Event`], owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ev {
    /// [`Event::PutReady`].
    PutReady { job: u32, max: usize },
    /// [`Event::Data`].
    Data {
        job: u32,
        offset: u64,
        data: Vec<u8>,
    },
    /// [`Event::ListLine`]; the line as text (lossy).
    ListLine {
        job: u32,
        line: String,
        entry: Result<Listed, ListingError>,
    },
    /// [`Event::Config`]; the item's `Debug` output.
    Config { job: u32, item: String },
    /// [`Event::JobDone`].
    Done {
        job: u32,
        result: Result<Outcome, JobError>,
    },
    /// [`Event::Unsolicited`]; the response's `Debug` output.
    Unsolicited(String),
    /// [`Event::NoAnswer`].
    NoAnswer(cellftp_proto::CommandName),
    /// [`Event::RawLine`]; the item's `Debug` output.
    RawLine { job: u32, item: String },
}

/// `Ev::Done` for a job that succeeded.
pub fn ok(job: u32, outcome: Outcome) -> Ev {
    Ev::Done {
        job,
        result: Ok(outcome),
    }
}

/// `Ev::Done` for a job that failed.
pub fn failed(job: u32, error: JobError) -> Ev {
    Ev::Done {
        job,
        result: Err(error),
    }
}

/// `Ev::Data`.
pub fn data(job: u32, offset: u64, bytes: &[u8]) -> Ev {
    Ev::Data {
        job,
        offset,
        data: bytes.to_vec(),
    }
}

/// `Ev::Unsolicited` for a response whose `Debug` output is `debug`.
pub fn unsolicited(debug: &str) -> Ev {
    Ev::Unsolicited(debug.into())
}

/// Turns an event into its owned form.
pub fn own(event: &Event<'_>) -> Ev {
    match *event {
        Event::PutReady { job, max } => Ev::PutReady {
            job: job.get(),
            max,
        },
        Event::Data { job, offset, data } => Ev::Data {
            job: job.get(),
            offset,
            data: data.to_vec(),
        },
        Event::ListLine { job, line, entry } => Ev::ListLine {
            job: job.get(),
            line: String::from_utf8_lossy(line).into_owned(),
            entry: entry.map(|e| Listed {
                kind: e.kind,
                size: e.size,
                name: String::from_utf8_lossy(e.name).into_owned(),
            }),
        },
        Event::Config { job, item } => Ev::Config {
            job: job.get(),
            item: format!("{item:?}"),
        },
        Event::JobDone { job, result } => Ev::Done {
            job: job.get(),
            result,
        },
        Event::Unsolicited(r) => Ev::Unsolicited(format!("{r:?}")),
        Event::NoAnswer { command } => Ev::NoAnswer(command),
        Event::RawLine { job, item } => Ev::RawLine {
            job: job.get(),
            item: format!("{item:?}"),
        },
        ref other => panic!("an event the harness does not know: {other:?}"),
    }
}

/// How the modem's bytes reach the session: whole, one byte at a time, or
/// cut in two at an offset.
#[derive(Clone, Copy, Debug)]
pub enum Feed {
    /// In one piece.
    Whole,
    /// One byte at a time.
    Bytewise,
    /// In two pieces, the first this long.
    Cut(usize),
}

/// Every way to feed `len` bytes: whole, one byte at a time, and cut in
/// two at every offset.
pub fn feeds(len: usize) -> Vec<Feed> {
    let mut all = std::vec![Feed::Whole, Feed::Bytewise];
    all.extend((1..len).map(Feed::Cut));
    all
}

/// A session, its clock, and what it reported that the test has not
/// checked yet.
pub struct Harness {
    /// The session under test.
    pub session: Session,
    /// The current time, in milliseconds.
    pub now: u64,
    /// Events reported and not yet checked.
    pub events: VecDeque<Ev>,
    /// Command lines transmitted and not yet checked.
    pub sent: VecDeque<Vec<u8>>,
    /// Every command line transmitted, in order.
    pub transmitted: Vec<Vec<u8>>,
    /// Every event reported, in order.
    pub history: Vec<Ev>,
    /// The `Debug` and `Display` output of every event and error seen, and
    /// of the session after every step: what a log could show.
    pub log: Vec<String>,
    /// [`Session::poll_timeout`] after the last step.
    pub timeout: Option<Instant>,
    /// Every [`Event::PutProgress`]: job and bytes.
    pub progress: Vec<(u32, u64)>,
    /// `JobDone` events per job queued.
    jobs: BTreeMap<u32, usize>,
}

impl Default for Harness {
    fn default() -> Self {
        Self::new(Config::default())
    }
}

impl Harness {
    /// A harness around a new session at time 0.
    pub fn new(config: Config) -> Self {
        let mut h = Self {
            session: Session::new(config).expect("a valid configuration"),
            now: 0,
            events: VecDeque::new(),
            sent: VecDeque::new(),
            transmitted: Vec::new(),
            history: Vec::new(),
            log: Vec::new(),
            timeout: None,
            progress: Vec::new(),
            jobs: BTreeMap::new(),
        };
        h.pump();
        h
    }

    /// The current time as an [`Instant`].
    pub fn instant(&self) -> Instant {
        Instant::from_millis(self.now)
    }

    /// Steps 1 to 3 of the drive order.
    #[track_caller]
    pub fn pump(&mut self) {
        self.drain();
        let now = self.instant();
        while let Some(line) = self.session.poll_transmit(now) {
            let line = line.to_vec();
            self.sent.push_back(line.clone());
            self.transmitted.push(line);
        }
        self.timeout = self.session.poll_timeout();
        self.log.push(format!("{:?}", self.session));
    }

    /// Step 1 of the drive order: drains the events.
    #[track_caller]
    pub fn drain(&mut self) {
        while let Some(event) = self.session.poll_event() {
            self.log.push(format!("{event:?}"));
            // Progress is checked apart (`tests/put.rs`), so that the
            // other tests' event lists stay about what happened.
            if let Event::PutProgress { job, bytes } = event {
                self.progress.push((job.get(), bytes));
                continue;
            }
            let ev = own(&event);
            if let Ev::Done { job, result } = &ev {
                match result {
                    Ok(o) => self.log.push(format!("{o:?}")),
                    Err(e) => self.log.push(format!("{e} / {e:?}")),
                }
                let count = self
                    .jobs
                    .get_mut(job)
                    .unwrap_or_else(|| panic!("JobDone for job {job}, never queued"));
                *count += 1;
                assert_eq!(*count, 1, "a second JobDone for job {job}: {result:?}");
            }
            self.history.push(ev.clone());
            self.events.push_back(ev);
        }
    }

    /// Calls a verb that queues a job, which must be accepted; returns the
    /// job's number.
    #[track_caller]
    pub fn queue(&mut self, verb: impl FnOnce(&mut Session) -> Result<JobId, UsageError>) -> u32 {
        let id = verb(&mut self.session)
            .unwrap_or_else(|e| panic!("job refused: {e}"))
            .get();
        assert!(self.jobs.insert(id, 0).is_none(), "job {id} queued twice");
        self.pump();
        id
    }

    /// Calls a verb that queues a job: the job's number, or the error.
    pub fn try_queue(
        &mut self,
        verb: impl FnOnce(&mut Session) -> Result<JobId, UsageError>,
    ) -> Result<u32, UsageError> {
        let result = verb(&mut self.session).map(|id| {
            assert!(self.jobs.insert(id.get(), 0).is_none());
            id.get()
        });
        if let Err(e) = &result {
            self.log.push(format!("{e} / {e:?}"));
        }
        self.pump();
        result
    }

    /// [`Session::send_data`], which must accept at least a byte, then
    /// steps 1 to 3 of the drive order; returns how many bytes it took.
    #[track_caller]
    pub fn send_data(&mut self, bytes: &[u8]) -> usize {
        let n = self
            .session
            .send_data(bytes)
            .unwrap_or_else(|e| panic!("data refused: {e}"));
        self.pump();
        n
    }

    /// [`Session::finish_put`], which must succeed, then steps 1 to 3 of the
    /// drive order.
    #[track_caller]
    pub fn finish_put(&mut self) {
        self.session
            .finish_put()
            .unwrap_or_else(|e| panic!("finish_put refused: {e}"));
        self.pump();
    }

    /// The modem sends `bytes` now.
    #[track_caller]
    pub fn input(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while !rest.is_empty() {
            let n = self.session.handle_input(self.instant(), rest);
            self.check_buffered();
            assert!(
                n > 0,
                "handle_input took nothing after the events were drained"
            );
            rest = &rest[n..];
            self.pump();
            self.check_drained();
        }
        if bytes.is_empty() {
            self.pump();
        }
    }

    /// The modem sends `bytes` in pieces of the given sizes (the last piece
    /// takes whatever is left).
    #[track_caller]
    pub fn input_split(&mut self, bytes: &[u8], sizes: &[usize]) {
        let mut rest = bytes;
        for &size in sizes {
            let (piece, tail) = rest.split_at(size.min(rest.len()));
            self.input(piece);
            rest = tail;
        }
        self.input(rest);
    }

    /// The modem sends `bytes` one byte at a time.
    #[track_caller]
    pub fn input_bytewise(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.input(std::slice::from_ref(b));
        }
    }

    /// The modem sends `bytes`, fed as `how` says.
    #[track_caller]
    pub fn feed(&mut self, bytes: &[u8], how: Feed) {
        match how {
            Feed::Whole => self.input(bytes),
            Feed::Bytewise => self.input_bytewise(bytes),
            Feed::Cut(at) => self.input_split(bytes, &[at]),
        }
    }

    /// Time passes: `ms` milliseconds later the session is told the time.
    #[track_caller]
    pub fn wait(&mut self, ms: u64) {
        self.now += ms;
        self.session.handle_timeout(self.instant());
        self.pump();
    }

    /// Time passes until `at` (milliseconds; never backwards).
    #[track_caller]
    pub fn wait_until(&mut self, at: u64) {
        assert!(at >= self.now, "time runs backwards: {} to {at}", self.now);
        let ms = at - self.now;
        self.wait(ms);
    }

    /// Milliseconds from now until [`Session::poll_timeout`].
    #[track_caller]
    pub fn timeout_in(&self) -> u64 {
        let at = self.timeout.expect("no timeout pending").as_millis();
        at.checked_sub(self.now)
            .unwrap_or_else(|| panic!("timeout {at} already passed at {}", self.now))
    }

    /// The next command line transmitted, moving time to the end of a
    /// guard time if a command waits for it.
    #[track_caller]
    pub fn next_tx(&mut self) -> Vec<u8> {
        if self.sent.is_empty() {
            if let Some(at) = self.timeout {
                let guard = self.session.config().guard.as_millis() as u64;
                if at.as_millis() <= self.now + guard {
                    let at = at.as_millis().max(self.now);
                    self.wait_until(at);
                }
            }
        }
        self.sent
            .pop_front()
            .unwrap_or_else(|| panic!("nothing transmitted; events: {:?}", self.events))
    }

    /// The next command line transmitted must be `expected`.
    #[track_caller]
    pub fn expect_tx(&mut self, expected: &[u8]) {
        let got = self.next_tx();
        assert_eq!(
            got.escape_ascii().to_string(),
            expected.escape_ascii().to_string(),
            "wrong command transmitted"
        );
    }

    /// Nothing transmitted that the test has not checked.
    #[track_caller]
    pub fn expect_no_tx(&mut self) {
        assert!(
            self.sent.is_empty(),
            "unexpected command: {:?}",
            self.sent
                .iter()
                .map(|l| l.escape_ascii().to_string())
                .collect::<Vec<_>>()
        );
    }

    /// The events reported since the last check.
    pub fn take_events(&mut self) -> Vec<Ev> {
        self.events.drain(..).collect()
    }

    /// The session's receive buffer holds this many bytes (from its `Debug`
    /// output, the only place that shows it).
    pub fn buffered(&self) -> usize {
        let debug = format!("{:?}", self.session);
        let at = debug.find("buffered: ").expect("Debug shows `buffered`") + "buffered: ".len();
        debug[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .expect("a number")
    }

    /// The receive buffer never holds more than it can.
    #[track_caller]
    pub fn check_buffered(&self) {
        assert!(self.buffered() <= RX_CAPACITY, "{:?}", self.session);
    }

    /// With the events drained, what is left in the receive buffer is a
    /// partial item, which the decoder's contract bounds by `MIN_BUFFER`.
    #[track_caller]
    pub fn check_drained(&self) {
        assert!(self.buffered() < MIN_BUFFER, "{:?}", self.session);
    }

    /// The number of `JobDone` events reported for `job`.
    pub fn done_count(&self, job: u32) -> usize {
        self.jobs.get(&job).copied().unwrap_or(0)
    }

    /// True when every job queued has ended.
    pub fn all_done(&self) -> bool {
        self.jobs.values().all(|&n| n == 1)
    }

    /// The end of a test: nothing left unchecked, every job ended exactly
    /// once, the session idle with no command pending or in flight, and the
    /// events consistent (see [`check_history`]).
    #[track_caller]
    pub fn end(&mut self) {
        self.pump();
        assert_eq!(self.take_events(), Vec::new(), "events left unchecked");
        self.expect_no_tx();
        for (job, count) in &self.jobs {
            assert_eq!(*count, 1, "job {job} ended {count} times");
        }
        assert!(self.session.is_idle(), "{:?}", self.session);
        // Idle is about jobs: a resync probe may still wait to be sent or
        // answered, which a test must have played out.
        assert_eq!(
            self.session.poll_timeout(),
            None,
            "a command still waits to be sent or answered: {:?}",
            self.session
        );
        check_history(&self.history);
    }
}

/// What the events of a whole run must agree on: no event about a job after
/// its `JobDone`; a download's data is contiguous and adds up to its
/// outcome; a listing's and a configuration report's counts match their
/// lines.
#[track_caller]
pub fn check_history(history: &[Ev]) {
    #[derive(Default)]
    struct Seen {
        done: bool,
        next_offset: Option<u64>,
        first_offset: Option<u64>,
        bytes: u64,
        lines: u32,
        entries: u32,
        items: u32,
    }
    let mut jobs: BTreeMap<u32, Seen> = BTreeMap::new();
    for ev in history {
        let job = match ev {
            Ev::PutReady { job, .. }
            | Ev::Data { job, .. }
            | Ev::ListLine { job, .. }
            | Ev::Config { job, .. }
            | Ev::RawLine { job, .. }
            | Ev::Done { job, .. } => *job,
            Ev::Unsolicited(_) | Ev::NoAnswer(_) => continue,
        };
        let seen = jobs.entry(job).or_default();
        assert!(!seen.done, "{ev:?} after the job ended");
        match ev {
            Ev::Data { offset, data, .. } => {
                if let Some(next) = seen.next_offset {
                    assert_eq!(*offset, next, "data of job {job} not contiguous");
                }
                seen.first_offset.get_or_insert(*offset);
                seen.next_offset = Some(offset + data.len() as u64);
                seen.bytes += data.len() as u64;
            }
            Ev::ListLine { entry, .. } => {
                seen.lines += 1;
                seen.entries += u32::from(entry.is_ok());
            }
            Ev::Config { .. } | Ev::RawLine { .. } => seen.items += 1,
            Ev::Done { result, .. } => {
                seen.done = true;
                match *result {
                    Ok(Outcome::Downloaded { offset, bytes }) => {
                        assert_eq!(bytes, seen.bytes, "job {job}");
                        if let Some(first) = seen.first_offset {
                            assert_eq!(first, u64::from(offset), "job {job}");
                        }
                    }
                    Ok(Outcome::Listed { entries, lines }) => {
                        assert_eq!((entries, lines), (seen.entries, seen.lines), "job {job}");
                    }
                    Ok(Outcome::ConfigReported { items: n } | Outcome::RawDone { lines: n }) => {
                        assert_eq!(n, seen.items, "job {job}");
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// The modem sends these bytes to the session.
macro_rules! send {
    ($h:expr, $bytes:expr) => {
        $h.input($bytes)
    };
}

/// The modem receives this command line from the session: the next line
/// transmitted must be exactly these bytes.
macro_rules! recv {
    ($h:expr, $bytes:expr) => {
        $h.expect_tx($bytes)
    };
}

/// The modem receives a command line and answers it.
macro_rules! exchange {
    ($h:expr, $command:expr => $answer:expr) => {{
        $h.expect_tx($command);
        $h.input($answer);
    }};
}

/// Exactly these events were reported since the last check, in order.
macro_rules! events {
    ($h:expr $(, $ev:expr)* $(,)?) => {
        assert_eq!($h.take_events(), std::vec![$($ev),*], "events")
    };
}

// After the macros, which the fixtures use. The property tests use none of
// the fixtures.
mod fixtures;
#[allow(unused_imports)]
pub use fixtures::*;
