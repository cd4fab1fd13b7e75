//! A modem model for the misbehaviour tests: it answers commands in the
//! order it received them, like a real modem's command processor, but it
//! may hang, answer late, answer twice, restart or drop bytes. It keeps the
//! truth the tests check the session against: what it really answered to
//! each command.
#![allow(dead_code, unreachable_pub)]

use std::collections::VecDeque;
use std::vec::Vec;

use cellftp_session::{Event, Instant, JobError, JobId, Outcome, Session};

/// How the model answers one command line (without its `\r`).
pub type Answer = fn(&[u8]) -> Vec<u8>;

/// What the model does to the output of the command with this number
/// (0 = the first command it processes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fault {
    /// Extra delay before the answer, in ms.
    pub delay: u64,
    /// The final result is sent twice, in the same write.
    pub twice: bool,
    /// Instead of answering, the modem restarts (RDY, +CFUN: 1, +CPIN:
    /// READY, one line every `delay` ms) and forgets what it was sent.
    pub restart: bool,
    /// The byte at this index of the answer is lost.
    pub drop: Option<usize>,
}

/// The model.
pub struct Model {
    /// The answer function: the firmware.
    pub answer: Answer,
    /// Until when the modem is hung (processes nothing).
    pub hung_until: u64,
    /// Per command processed, in order, a fault.
    pub faults: Vec<Fault>,
    /// Commands received and not processed yet.
    inbox: VecDeque<Vec<u8>>,
    /// When the modem is free again.
    busy_until: u64,
    /// Output scheduled: (time, bytes).
    outbox: VecDeque<(u64, Vec<u8>)>,
    /// The file name `AT+FTPGETNAME` last set.
    getname: Vec<u8>,
    /// Every command processed and whether its real answer was success.
    pub truth: Vec<(Vec<u8>, bool)>,
    processed: usize,
    /// Time between answers, ms.
    pub pace: u64,
}

impl Model {
    pub fn new(answer: Answer) -> Self {
        Self {
            answer,
            hung_until: 0,
            faults: Vec::new(),
            inbox: VecDeque::new(),
            busy_until: 0,
            outbox: VecDeque::new(),
            getname: Vec::new(),
            truth: Vec::new(),
            processed: 0,
            pace: 30,
        }
    }

    /// The host wrote `line` at `now`.
    pub fn receive(&mut self, line: &[u8]) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        self.inbox.push_back(line.to_vec());
    }

    /// Processes what is due by `now`; returns output that is due.
    pub fn step(&mut self, now: u64) -> Vec<u8> {
        while !self.inbox.is_empty() {
            let start = self.busy_until.max(self.hung_until);
            if start > now {
                break;
            }
            let line = self.inbox.pop_front().unwrap_or_default();
            let fault = self.faults.get(self.processed).copied().unwrap_or_default();
            self.processed += 1;
            let at = start + self.pace + fault.delay;
            self.busy_until = at;
            if fault.restart {
                self.inbox.clear();
                self.getname.clear();
                for (i, urc) in [
                    &b"\r\nRDY\r\n"[..],
                    b"\r\n+CFUN: 1\r\n",
                    b"\r\n+CPIN: READY\r\n",
                ]
                .into_iter()
                .enumerate()
                {
                    self.outbox
                        .push_back((at + i as u64 * fault.delay.max(1), urc.to_vec()));
                }
                self.busy_until = at + 3 * fault.delay.max(1);
                continue;
            }
            let mut out = self.respond(&line);
            let ok = out.ends_with(b"\r\nOK\r\n");
            self.truth.push((line, ok));
            if fault.twice {
                let last = final_of(&out);
                out.extend_from_slice(&last);
            }
            if let Some(i) = fault.drop {
                if i < out.len() {
                    out.remove(i);
                }
            }
            self.outbox.push_back((at, out));
        }
        let mut due = Vec::new();
        while self.outbox.front().is_some_and(|(t, _)| *t <= now) {
            due.extend(self.outbox.pop_front().map(|(_, b)| b).unwrap_or_default());
        }
        due
    }

    /// When the model next has something to do, if ever.
    pub fn next_at(&self) -> Option<u64> {
        let out = self.outbox.front().map(|(t, _)| *t);
        let work = (!self.inbox.is_empty()).then(|| self.busy_until.max(self.hung_until));
        match (out, work) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn respond(&mut self, line: &[u8]) -> Vec<u8> {
        let upper = line.to_ascii_uppercase();
        if let Some(name) = upper.strip_prefix(b"AT+FTPGETNAME=") {
            self.getname = line[line.len() - name.len()..].to_vec();
            return b"\r\nOK\r\n".to_vec();
        }
        if upper == b"AT+FTPGETNAME?" {
            let mut out = b"\r\n+FTPGETNAME: ".to_vec();
            out.extend_from_slice(&self.getname);
            out.extend_from_slice(b"\r\n\r\nOK\r\n");
            return out;
        }
        (self.answer)(line)
    }

    /// True if the model answered `line` (without `\r`) with success the
    /// last time it processed it.
    pub fn answered_ok(&self, line: &[u8]) -> bool {
        self.truth
            .iter()
            .rev()
            .find(|(l, _)| l == line)
            .is_some_and(|(_, ok)| *ok)
    }
}

/// The last line of `out` with its separators.
fn final_of(out: &[u8]) -> Vec<u8> {
    let body = out.strip_suffix(b"\r\n").unwrap_or(out);
    let start = body.windows(2).rposition(|w| w == b"\r\n").map_or(0, |p| p);
    out[start..].to_vec()
}

/// A session driven against a model until every job is done or `limit` ms
/// pass. Returns each job's result and the lines transmitted.
pub struct Run {
    pub session: Session,
    pub model: Model,
    pub now: u64,
    pub results: Vec<(JobId, Result<Outcome, JobError>)>,
    pub transmitted: Vec<Vec<u8>>,
    pub events: Vec<std::string::String>,
}

impl Run {
    pub fn new(session: Session, model: Model) -> Self {
        Self {
            session,
            model,
            now: 0,
            results: Vec::new(),
            transmitted: Vec::new(),
            events: Vec::new(),
        }
    }

    fn drain(&mut self) {
        while let Some(event) = self.session.poll_event() {
            self.events.push(std::format!("{event:?}"));
            if let Event::JobDone { job, result } = event {
                self.results.push((job, result));
            }
        }
        let now = Instant::from_millis(self.now);
        while let Some(line) = self.session.poll_transmit(now) {
            let line = line.to_vec();
            self.model.receive(&line);
            self.transmitted.push(line);
        }
    }

    /// Runs until `jobs` results are in or `limit` ms pass.
    pub fn until(&mut self, jobs: usize, limit: u64) {
        self.drain();
        while self.results.len() < jobs && self.now < limit {
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

    /// The result of `job`.
    pub fn result(&self, job: JobId) -> Option<Result<Outcome, JobError>> {
        self.results
            .iter()
            .find(|(j, _)| *j == job)
            .map(|(_, r)| *r)
    }
}
