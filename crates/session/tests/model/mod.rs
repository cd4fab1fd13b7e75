//! A modem model for the misbehaviour tests: it answers commands in the
//! order it received them, like a real modem's command processor, but it
//! may hang, answer late, answer twice (at once, or much later), refuse,
//! restart or drop bytes. It keeps the truth the tests check the session
//! against: which command each piece of its output answers, and whether
//! the answer it really sent a command was success.
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
    /// The final result is sent again, alone, this many ms after the
    /// answer: a late duplicate, which may arrive while a later command
    /// waits for its answer (`SPEC.md` §5 item 40: no probe can tell it
    /// from that command's answer).
    pub late_twice: Option<u64>,
    /// The firmware refuses the command: `ERROR` instead of its answer.
    pub refuse: bool,
    /// Instead of answering, the modem restarts (RDY, +CFUN: 1, +CPIN:
    /// READY, one line every `delay` ms) and forgets what it was sent.
    pub restart: bool,
    /// The byte at this index of the answer is lost.
    pub drop: Option<usize>,
}

/// What a piece of the model's output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The answer to the command line with this index (in the order the
    /// model received them), as sent, faults included.
    Answer(usize),
    /// A late duplicate of the final result of that command's answer.
    LateDuplicate(usize),
    /// Restart codes.
    Restart,
}

/// A piece of output, scheduled.
#[derive(Debug, Clone)]
pub struct Emission {
    /// When it is due, in ms.
    pub at: u64,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// What it is.
    pub kind: Kind,
}

/// The model.
pub struct Model {
    /// The answer function: the firmware.
    pub answer: Answer,
    /// Until when the modem is hung (processes nothing).
    pub hung_until: u64,
    /// Per command processed, in order, a fault.
    pub faults: Vec<Fault>,
    /// Every command line received, in order (without its `\r`).
    pub received: Vec<Vec<u8>>,
    /// Per command line received: `Some(true)` if the answer the model
    /// sent it ends in an intact `OK`, `Some(false)` if it was answered
    /// otherwise, `None` if it was never answered (lost in a restart, or
    /// not processed yet).
    pub answered: Vec<Option<bool>>,
    /// Commands received and not processed yet, by index.
    inbox: VecDeque<usize>,
    /// When the modem is free again.
    busy_until: u64,
    /// Output scheduled, in time order.
    outbox: Vec<Emission>,
    /// The file name `AT+FTPGETNAME` last set.
    getname: Vec<u8>,
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
            received: Vec::new(),
            answered: Vec::new(),
            inbox: VecDeque::new(),
            busy_until: 0,
            outbox: Vec::new(),
            getname: Vec::new(),
            processed: 0,
            pace: 30,
        }
    }

    /// The host wrote `line`.
    pub fn receive(&mut self, line: &[u8]) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        self.inbox.push_back(self.received.len());
        self.received.push(line.to_vec());
        self.answered.push(None);
    }

    fn emit(&mut self, at: u64, bytes: Vec<u8>, kind: Kind) {
        self.outbox.push(Emission { at, bytes, kind });
        // Stable: the serial line keeps the order of equal times.
        self.outbox.sort_by_key(|e| e.at);
    }

    /// Processes what is due by `now`; returns the output that is due, in
    /// order, each piece with what it is.
    pub fn step_tagged(&mut self, now: u64) -> Vec<Emission> {
        while !self.inbox.is_empty() {
            let start = self.busy_until.max(self.hung_until);
            if start > now {
                break;
            }
            let index = self.inbox.pop_front().unwrap_or_default();
            let line = self.received[index].clone();
            let fault = self.faults.get(self.processed).copied().unwrap_or_default();
            self.processed += 1;
            let at = start + self.pace + fault.delay;
            self.busy_until = at;
            if fault.restart {
                self.inbox.clear();
                self.getname.clear();
                // A restarted modem sends nothing it was about to.
                self.outbox
                    .retain(|e| !matches!(e.kind, Kind::LateDuplicate(_)));
                for (i, urc) in [
                    &b"\r\nRDY\r\n"[..],
                    b"\r\n+CFUN: 1\r\n",
                    b"\r\n+CPIN: READY\r\n",
                ]
                .into_iter()
                .enumerate()
                {
                    let t = at + i as u64 * fault.delay.max(1);
                    self.emit(t, urc.to_vec(), Kind::Restart);
                }
                self.busy_until = at + 3 * fault.delay.max(1);
                continue;
            }
            let mut out = if fault.refuse {
                b"\r\nERROR\r\n".to_vec()
            } else {
                self.respond(&line)
            };
            let ok = out.ends_with(b"\r\nOK\r\n");
            // Where the letters of each final result sent are.
            let mut finals = vec![out.len() - 4];
            let last = final_of(&out);
            if fault.twice {
                out.extend_from_slice(&last);
                finals.push(out.len() - 4);
            }
            let mut lost = None;
            if let Some(i) = fault.drop {
                if i < out.len() {
                    out.remove(i);
                    lost = Some(i);
                }
            }
            // Success if an `OK` arrived whole.
            let ok = ok
                && finals
                    .iter()
                    .any(|&f| lost.map_or(true, |i| !(f..f + 2).contains(&i)));
            self.answered[index] = Some(ok);
            self.emit(at, out, Kind::Answer(index));
            if let Some(after) = fault.late_twice {
                self.emit(at + after, last, Kind::LateDuplicate(index));
            }
        }
        let due = self.outbox.iter().take_while(|e| e.at <= now).count();
        self.outbox.drain(..due).collect()
    }

    /// Processes what is due by `now`; returns the output that is due.
    pub fn step(&mut self, now: u64) -> Vec<u8> {
        self.step_tagged(now)
            .into_iter()
            .flat_map(|e| e.bytes)
            .collect()
    }

    /// When the model next has something to do, if ever.
    pub fn next_at(&self) -> Option<u64> {
        let out = self.outbox.first().map(|e| e.at);
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
}

/// True for the lines of the session's resynchronising probe.
pub fn is_probe(line: &[u8]) -> bool {
    line.starts_with(b"AT+FTPGETNAME=cellftp-sync-") || line.starts_with(b"AT+FTPGETNAME?")
}

/// The last line of `out` with its separators.
fn final_of(out: &[u8]) -> Vec<u8> {
    let body = out.strip_suffix(b"\r\n").unwrap_or(out);
    let start = body.windows(2).rposition(|w| w == b"\r\n").map_or(0, |p| p);
    out[start..].to_vec()
}

/// What crossed the line, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// The session wrote the line with this index while `ended` jobs had
    /// ended (jobs end in the order they were queued: the line is a probe
    /// or a command of job number `ended`).
    Wrote { line: usize, ended: usize },
    /// The session was given a piece of the model's output.
    Got(Kind),
    /// The session reported this job's end.
    Ended(JobId),
}

/// A session driven against a model until every job is done or a limit
/// passes, with the order of everything that crossed the line.
pub struct Run {
    pub session: Session,
    pub model: Model,
    pub now: u64,
    pub results: Vec<(JobId, Result<Outcome, JobError>)>,
    pub transmitted: Vec<Vec<u8>>,
    pub events: Vec<std::string::String>,
    /// Everything that crossed the line, in order.
    pub log: Vec<Entry>,
    /// Per put job: its data and how much of it was handed over.
    uploads: Vec<(JobId, Vec<u8>, usize)>,
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
            log: Vec::new(),
            uploads: Vec::new(),
        }
    }

    /// Put job `job` uploads `data`: handed over as the session asks.
    pub fn upload(&mut self, job: JobId, data: &[u8]) {
        self.uploads.push((job, data.to_vec(), 0));
    }

    fn drain(&mut self) {
        while let Some(event) = self.session.poll_event() {
            self.events.push(std::format!("{} ms {event:?}", self.now));
            let ready = match event {
                Event::JobDone { job, result } => {
                    self.results.push((job, result));
                    self.log.push(Entry::Ended(job));
                    None
                }
                Event::PutReady { job, .. } => Some(job),
                _ => None,
            };
            if let Some(job) = ready {
                let Some((_, data, sent)) = self.uploads.iter_mut().find(|(j, ..)| *j == job)
                else {
                    panic!("no data for put job {job:?}");
                };
                if *sent < data.len() {
                    *sent += self.session.send_data(&data[*sent..]).unwrap();
                } else {
                    self.session.finish_put().unwrap();
                }
            }
        }
        let now = Instant::from_millis(self.now);
        while let Some(line) = self.session.poll_transmit(now) {
            let line = line.to_vec();
            self.events
                .push(std::format!("{} ms > {}", self.now, line.escape_ascii()));
            self.log.push(Entry::Wrote {
                line: self.transmitted.len(),
                ended: self.results.len(),
            });
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
            for piece in self.model.step_tagged(self.now) {
                self.events.push(std::format!(
                    "{} ms < {} ({:?})",
                    self.now,
                    piece.bytes.escape_ascii(),
                    piece.kind
                ));
                self.log.push(Entry::Got(piece.kind));
                let mut rest = &piece.bytes[..];
                while !rest.is_empty() {
                    let n = self
                        .session
                        .handle_input(Instant::from_millis(self.now), rest);
                    rest = &rest[n..];
                    self.drain();
                }
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
