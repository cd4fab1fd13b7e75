#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The property of the SIMCom session's resynchronisation
//! (`SPEC-simcom.md` §6 items 32 to 34): against a SIM800 that may hang,
//! answer late, answer twice, restart or drop bytes, but answers in the
//! order it was asked, under any sequence of mkdir, size and delete jobs:
//!
//! - every job ends exactly once, and the session never stalls (it is idle
//!   when the modem is quiet);
//! - a job that ends `Ok` has a witness in the modem's own record: an
//!   operation the modem ran, of the job's kind, on the job's directory
//!   and file, started by a command line written while that job was the
//!   oldest unfinished one, whose ending URC carried exactly the outcome
//!   reported (`1,0`, and for size the size); no operation is the witness
//!   of two jobs.
//!
//! The model's firmware refuses directory paths containing `bb`, so that
//! an answer paired with the wrong command changes what an operation acts
//! on, and fails a mkdir of a directory that exists and a delete of a file
//! whose name starts with `x` (77).
//!
//! `PROPTEST_CASES` sets the number of cases.

use std::collections::{BTreeSet, VecDeque};

use cellftp_session::simcom::{Event, JobError, Outcome, Session};
use cellftp_session::{Instant, JobId};
use proptest::prelude::*;

/// What the model does to the command with this number (0 = the first
/// command it processes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Fault {
    /// Extra delay before the final result, ms.
    delay: u64,
    /// The final result is sent twice, in the same write.
    twice: bool,
    /// Instead of answering, the modem restarts (`RDY`, `+CFUN: 1`,
    /// `+CPIN: READY`, `Call Ready`, `SMS Ready`) and forgets everything.
    restart: bool,
    /// The byte at this index of the answer is lost.
    drop: Option<usize>,
    /// For an operation: how long until its ending URC, ms.
    op_time: u64,
}

/// An operation the modem ran: the witness of a job's success.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Op {
    kind: &'static str,
    path: Vec<u8>,
    name: Vec<u8>,
    /// The index of its start command in the lines the host wrote.
    started_by: usize,
    /// The ending URC's outcome: `None` for quit or never ended, else
    /// `(code, size)`.
    outcome: Option<(u32, u32)>,
}

/// A SIM800 with an in-order command processor and one FTP operation at a
/// time.
struct Model {
    hung_until: u64,
    faults: Vec<Fault>,
    /// Commands received and not processed yet, with their index.
    inbox: VecDeque<(usize, Vec<u8>)>,
    received: usize,
    busy_until: u64,
    outbox: Vec<(u64, Vec<u8>)>,
    echo: bool,
    path: Vec<u8>,
    name: Vec<u8>,
    dirs: BTreeSet<Vec<u8>>,
    /// The running operation: its index in `ops`, and when it ends.
    running: Option<(usize, u64)>,
    ops: Vec<Op>,
    processed: usize,
}

const PACE: u64 = 30;

impl Model {
    fn new(faults: Vec<Fault>, hung_until: u64) -> Self {
        Self {
            hung_until,
            faults,
            inbox: VecDeque::new(),
            received: 0,
            busy_until: 0,
            outbox: Vec::new(),
            echo: false,
            path: Vec::new(),
            name: Vec::new(),
            dirs: BTreeSet::new(),
            running: None,
            ops: Vec::new(),
            processed: 0,
        }
    }

    fn receive(&mut self, line: &[u8]) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        self.inbox.push_back((self.received, line.to_vec()));
        self.received += 1;
    }

    fn emit(&mut self, at: u64, bytes: Vec<u8>) {
        self.outbox.push((at, bytes));
        // Stable: the serial line keeps the order of equal times.
        self.outbox.sort_by_key(|(t, _)| *t);
    }

    /// The running operation ends at `at` with `code`.
    fn end_op(&mut self, at: u64, code: u32) {
        let Some((i, _)) = self.running.take() else {
            return;
        };
        let op = &mut self.ops[i];
        let urc = match op.kind {
            "size" => {
                let size = if code == 0 {
                    size_of(&op.path, &op.name)
                } else {
                    0
                };
                op.outcome = Some((code, size));
                format!("\r\n+FTPSIZE: 1,{code},{size}\r\n")
            }
            kind => {
                if code == 0 && kind == "mkdir" {
                    self.dirs.insert(op.path.clone());
                }
                op.outcome = Some((code, 0));
                let name = if kind == "mkdir" { "FTPMKD" } else { "FTPDELE" };
                format!("\r\n+{name}: 1,{code}\r\n")
            }
        };
        self.emit(at, urc.into_bytes());
    }

    fn step(&mut self, now: u64) -> Vec<u8> {
        loop {
            let op_end = self.running.map(|(_, t)| t);
            let start = self.busy_until.max(self.hung_until);
            let next_cmd = (!self.inbox.is_empty()).then_some(start);
            match (op_end, next_cmd) {
                (Some(e), c) if e <= now && c.map_or(true, |c| e <= c) => {
                    let i = self.running.unwrap().0;
                    let code = match self.ops[i].kind {
                        "mkdir" if self.dirs.contains(&self.ops[i].path) => 77,
                        "delete" if self.ops[i].name.first() == Some(&b'x') => 77,
                        _ => 0,
                    };
                    self.end_op(e, code);
                }
                (_, Some(c)) if c <= now => self.process(c),
                _ => break,
            }
        }
        let mut due = Vec::new();
        while self.outbox.first().is_some_and(|(t, _)| *t <= now) {
            due.extend(self.outbox.remove(0).1);
        }
        due
    }

    fn process(&mut self, start: u64) {
        let (index, line) = self.inbox.pop_front().unwrap();
        let fault = self.faults.get(self.processed).copied().unwrap_or_default();
        self.processed += 1;
        let at = start + PACE + fault.delay;
        self.busy_until = at;
        if fault.restart {
            self.inbox.clear();
            self.running = None;
            self.path.clear();
            self.name.clear();
            self.echo = true;
            for (i, urc) in ["RDY", "+CFUN: 1", "+CPIN: READY", "Call Ready", "SMS Ready"]
                .into_iter()
                .enumerate()
            {
                self.emit(at + i as u64 * 200, format!("\r\n{urc}\r\n").into_bytes());
            }
            self.busy_until = at + 5 * 200;
            return;
        }
        let mut out = Vec::new();
        if self.echo {
            out.extend_from_slice(&line);
            out.extend_from_slice(b"\r\n");
        }
        let (body, ok) = self.respond(index, &line, at, fault.op_time);
        out.extend_from_slice(&body);
        let last: &[u8] = if ok { b"\r\nOK\r\n" } else { b"\r\nERROR\r\n" };
        out.extend_from_slice(last);
        if fault.twice {
            out.extend_from_slice(last);
        }
        if let Some(i) = fault.drop {
            if i < out.len() {
                out.remove(i);
            }
        }
        self.emit(at, out);
    }

    /// The answer's information lines and whether it is `OK`.
    fn respond(&mut self, index: usize, line: &[u8], at: u64, op_time: u64) -> (Vec<u8>, bool) {
        let upper = line.to_ascii_uppercase();
        let value = |prefix: &[u8]| -> Option<Vec<u8>> {
            let v = upper.strip_prefix(prefix)?;
            let v = &line[line.len() - v.len()..];
            Some(v.strip_prefix(b"\"")?.strip_suffix(b"\"")?.to_vec())
        };
        if upper == b"ATE0" {
            self.echo = false;
            return (Vec::new(), true);
        }
        if let Some(v) = value(b"AT+FTPGETPATH=") {
            // The firmware refuses paths with "bb".
            if v.windows(2).any(|w| w == b"bb") {
                return (Vec::new(), false);
            }
            self.path = v;
            return (Vec::new(), true);
        }
        if let Some(v) = value(b"AT+FTPGETNAME=") {
            self.name = v;
            return (Vec::new(), true);
        }
        if upper == b"AT+FTPGETNAME?" {
            let mut out = b"\r\n+FTPGETNAME: \"".to_vec();
            out.extend_from_slice(&self.name);
            out.extend_from_slice(b"\"\r\n");
            return (out, true);
        }
        if upper == b"AT+FTPSTATE" {
            let state = u8::from(self.running.is_some());
            return (format!("\r\n+FTPSTATE: {state}\r\n").into_bytes(), true);
        }
        if upper == b"AT+FTPQUIT" {
            if self.running.is_some() {
                self.end_op(at + 1, 86);
                return (Vec::new(), true);
            }
            return (Vec::new(), false);
        }
        let kind = match &upper[..] {
            b"AT+FTPMKD" => "mkdir",
            b"AT+FTPSIZE" => "size",
            b"AT+FTPDELE" => "delete",
            // AT, AT+FTPTYPE="I", ...
            _ => return (Vec::new(), true),
        };
        if self.path.is_empty() || (kind != "mkdir" && self.name.is_empty()) {
            return (Vec::new(), false);
        }
        if self.running.is_some() {
            // One operation at a time: 66 after the OK.
            let urc = match kind {
                "mkdir" => "+FTPMKD",
                "size" => "+FTPSIZE",
                _ => "+FTPDELE",
            };
            self.emit(at + 1, format!("\r\n{urc}: 1,66\r\n").into_bytes());
            return (Vec::new(), true);
        }
        self.ops.push(Op {
            kind,
            path: self.path.clone(),
            name: if kind == "mkdir" {
                Vec::new()
            } else {
                self.name.clone()
            },
            started_by: index,
            outcome: None,
        });
        self.running = Some((self.ops.len() - 1, at + op_time.max(1)));
        (Vec::new(), true)
    }

    fn next_at(&self) -> Option<u64> {
        [
            self.outbox.first().map(|(t, _)| *t),
            (!self.inbox.is_empty()).then(|| self.busy_until.max(self.hung_until)),
            self.running.map(|(_, t)| t),
        ]
        .into_iter()
        .flatten()
        .min()
    }
}

/// The size the model's server gives a file.
fn size_of(path: &[u8], name: &[u8]) -> u32 {
    (path.len() * 1000 + name.iter().map(|&b| u32::from(b) as usize).sum::<usize>()) as u32
}

#[derive(Debug, Clone)]
enum JobSpec {
    Mkdir(String),
    Size(String, String),
    Delete(String, String),
}

/// The drive: lock-step on a virtual clock, recording when each line was
/// written relative to the jobs' ends.
struct Run {
    session: Session,
    model: Model,
    now: u64,
    results: Vec<(JobId, Result<Outcome, JobError>)>,
    /// Per line written: how many jobs had ended before.
    written_after: Vec<usize>,
    transmitted: Vec<String>,
    events: Vec<String>,
}

impl Run {
    fn drain(&mut self) {
        while let Some(event) = self.session.poll_event() {
            self.events.push(format!("{} ms {event:?}", self.now));
            if let Event::JobDone { job, result } = event {
                self.results.push((job, result));
            }
        }
        let now = Instant::from_millis(self.now);
        while let Some(line) = self.session.poll_transmit(now) {
            let line = line.to_vec();
            self.model.receive(&line);
            self.written_after.push(self.results.len());
            self.transmitted
                .push(format!("{} ms {}", self.now, line.escape_ascii()));
            self.events
                .push(format!("{} ms > {}", self.now, line.escape_ascii()));
        }
    }

    fn run(&mut self, limit: u64) {
        self.drain();
        while self.now < limit {
            let next = [
                self.model.next_at(),
                self.session.poll_timeout().map(Instant::as_millis),
            ]
            .into_iter()
            .flatten()
            .min();
            let Some(next) = next else { break };
            self.now = self.now.max(next);
            let out = self.model.step(self.now);
            if !out.is_empty() {
                self.events
                    .push(format!("{} ms < {}", self.now, out.escape_ascii()));
            }
            let mut rest = &out[..];
            while !rest.is_empty() {
                let n = self
                    .session
                    .handle_input(Instant::from_millis(self.now), rest);
                rest = &rest[n..];
                self.drain();
            }
            self.session.handle_timeout(Instant::from_millis(self.now));
            self.drain();
        }
    }
}

fn fault() -> impl Strategy<Value = Fault> {
    (
        prop_oneof![4 => Just(0u64), 1 => 0u64..8_000, 1 => 4_000u64..7_000],
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.04),
        prop::option::weighted(0.08, 0usize..24),
        prop_oneof![3 => 1u64..3_000, 1 => 60_000u64..90_000],
    )
        .prop_map(|(delay, twice, restart, drop, op_time)| Fault {
            delay,
            twice,
            restart,
            drop,
            op_time,
        })
}

fn job() -> impl Strategy<Value = JobSpec> {
    let dir = "/[ab]{1,2}";
    let name = "[abx]{1,2}";
    prop_oneof![
        dir.prop_map(JobSpec::Mkdir),
        (dir, name).prop_map(|(d, n)| JobSpec::Size(d, n)),
        (dir, name).prop_map(|(d, n)| JobSpec::Delete(d, n)),
    ]
}

/// Checks one run: see the module docs.
fn check(specs: &[JobSpec], faults: Vec<Fault>, hung_until: u64) -> Result<(), TestCaseError> {
    let mut run = Run {
        session: Session::default(),
        model: Model::new(faults, hung_until),
        now: 0,
        results: Vec::new(),
        written_after: Vec::new(),
        transmitted: Vec::new(),
        events: Vec::new(),
    };
    let jobs: Vec<(JobId, JobSpec)> = specs
        .iter()
        .map(|s| {
            let id = match s {
                JobSpec::Mkdir(d) => run.session.mkdir(d),
                JobSpec::Size(d, n) => run.session.size(d, n),
                JobSpec::Delete(d, n) => run.session.delete(d, n),
            };
            (id.unwrap(), s.clone())
        })
        .collect();
    run.run(20_000_000);
    let trail = || run.events.join("\n");
    // Every job ends exactly once, in order (none is cancelled).
    let ended: Vec<JobId> = run.results.iter().map(|(j, _)| *j).collect();
    let ids: Vec<JobId> = jobs.iter().map(|(j, _)| *j).collect();
    prop_assert_eq!(&ended, &ids, "every job ends once:\n{}", trail());
    prop_assert!(
        run.session.is_idle(),
        "the session is idle once the modem is quiet: {:?}\n{}",
        run.session,
        trail()
    );
    let mut used = BTreeSet::new();
    for (k, ((_, spec), (_, result))) in jobs.iter().zip(&run.results).enumerate() {
        let Ok(outcome) = result else { continue };
        // The operation's witness: started by a line written while job k
        // was the oldest unfinished job.
        let want: (&str, Vec<u8>, Vec<u8>, (u32, u32)) = match (spec, outcome) {
            (JobSpec::Mkdir(d), Outcome::DirectoryCreated) => {
                ("mkdir", format!("{d}/").into_bytes(), Vec::new(), (0, 0))
            }
            (JobSpec::Size(d, n), Outcome::Size { bytes }) => (
                "size",
                format!("{d}/").into_bytes(),
                n.clone().into_bytes(),
                (0, *bytes),
            ),
            (JobSpec::Delete(d, n), Outcome::Deleted) => (
                "delete",
                format!("{d}/").into_bytes(),
                n.clone().into_bytes(),
                (0, 0),
            ),
            (spec, outcome) => {
                return Err(TestCaseError::fail(format!(
                    "{spec:?} reported {outcome:?}\n{}",
                    trail()
                )))
            }
        };
        let witness = run.model.ops.iter().position(|op| {
            op.kind == want.0
                && op.path == want.1
                && op.name == want.2
                && op.outcome == Some(want.3)
                && run.written_after[op.started_by] == k
        });
        let Some(w) = witness else {
            return Err(TestCaseError::fail(format!(
                "job {k} {spec:?} reported {outcome:?}, but the modem ran no such operation for it:\nops {:#?}\n{}",
                run.model.ops,
                trail()
            )));
        };
        prop_assert!(used.insert(w), "operation {w} witnesses two jobs");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn simcom_answers_are_never_mispaired(
        specs in prop::collection::vec(job(), 1..6),
        faults in prop::collection::vec(fault(), 0..32),
        hung_until in prop_oneof![Just(0u64), 0u64..20_000],
    ) {
        check(&specs, faults, hung_until)?;
    }
}

/// A command answered after its timeout: its late `OK` must not answer
/// the next command (the recovery's `AT+FTPSTATE`), and the job after it
/// must not be reported on another's answers.
#[test]
fn a_late_answer_is_not_taken_for_the_next() {
    let late = Fault {
        delay: 6_000,
        op_time: 100,
        ..Fault::default()
    };
    let quick = Fault {
        op_time: 100,
        ..Fault::default()
    };
    let specs = [JobSpec::Mkdir("/a".into()), JobSpec::Mkdir("/bb".into())];
    check(
        &specs,
        vec![late, quick, quick, quick, quick, quick, quick],
        0,
    )
    .unwrap();
}
