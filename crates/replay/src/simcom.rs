//! Replaying a transcript of the SIMCom dialect (`! dialect simcom`,
//! `SPEC-simcom.md`): its two streams read with
//! `cellftp_proto::simcom`'s decoders, its jobs run through a
//! [`cellftp_session::simcom::Session`] fed the recorded modem bytes as
//! recorded, and its jobs read back from the host's commands.
//!
//! The host's upload bytes after `AT+FTPPUT=2,<n>` are as many as the
//! modem confirmed in its `+FTPPUT: 2,<cnf>`: [`walk`] reads both streams
//! in record order and tells the command decoder each `<cnf>`
//! (`CommandDecoder::expect_put_data`) before those bytes are decoded.

use std::collections::VecDeque;

use cellftp_proto::simcom::{
    Bearer, BearerParam, Command, CommandDecoder, PutOpt, Request, Response, ResponseDecoder,
    Transfer, Upload,
};
use cellftp_proto::{Action, Decoded, Decoder, Mode, Setting};
use cellftp_session::simcom::{BearerConfig, Config, Event, FtpConfig, Outcome, Session};
use cellftp_session::{Instant, UsageError};

use crate::reconstruct::{Reconstructed, Reconstruction, Stray};
use crate::redact_passwords;
use crate::replay::{Failure, JobResult, JobRun, Report};
use crate::transcript::{escape, JobSpec, Record, SimcomJob, Transcript};

/// One item of either stream, as [`walk`] reads it.
pub(crate) enum Item<'b> {
    /// From the host, with the bytes it was read from.
    Host(Request<'b>, &'b [u8]),
    /// From the modem, with the bytes it was read from.
    Modem(Response<'b>, &'b [u8]),
}

/// Reads both streams of `t` in record order, calling `f` with the index
/// of the record that completed each item. The host's upload bytes are
/// framed by the modem's `+FTPPUT: 2,<cnf>`.
pub(crate) fn walk(t: &Transcript, mut f: impl FnMut(usize, Item<'_>)) {
    let mut host = CommandDecoder::new();
    let mut modem = ResponseDecoder::new();
    let (mut sent, mut received): (Vec<u8>, Vec<u8>) = (Vec::new(), Vec::new());
    for (record, r) in t.records.iter().enumerate() {
        match r {
            Record::Sent(chunk) => {
                sent.extend_from_slice(chunk);
                loop {
                    let consumed = match host.decode(&sent) {
                        Decoded::Item { item, consumed } => {
                            let raw = sent.get(..consumed).unwrap_or_default();
                            f(record, Item::Host(item, raw));
                            consumed
                        }
                        Decoded::NeedMore { consumed } => {
                            sent.drain(..consumed.min(sent.len()));
                            break;
                        }
                    };
                    sent.drain(..consumed.min(sent.len()));
                }
            }
            Record::Received(chunk) => {
                received.extend_from_slice(chunk);
                loop {
                    let consumed = match modem.decode(&received) {
                        Decoded::Item { item, consumed } => {
                            if let Response::PutHeader { cnf } = item {
                                // The host's bytes after its write command
                                // are the confirmed ones (none decoded yet:
                                // the host waits for this header).
                                if sent.is_empty() {
                                    host.expect_put_data(cnf);
                                }
                            }
                            let raw = received.get(..consumed).unwrap_or_default();
                            f(record, Item::Modem(item, raw));
                            consumed
                        }
                        Decoded::NeedMore { consumed } => {
                            received.drain(..consumed.min(received.len()));
                            break;
                        }
                    };
                    received.drain(..consumed.min(received.len()));
                }
            }
            _ => {}
        }
    }
}

/// Fills the decoding part of `report`: both streams' items.
pub(crate) fn decode(t: &Transcript, report: &mut Report) {
    walk(t, |_, item| match item {
        Item::Host(r, _) => {
            report.unknown_commands += usize::from(!CommandDecoder::is_recognised(&r));
            report.commands.push(format!("{r:?}"));
        }
        Item::Modem(r, _) => {
            report.unknown_responses += usize::from(!ResponseDecoder::is_recognised(&r));
            report.responses.push(format!("{r:?}"));
        }
    });
    report.bytes = t
        .records
        .iter()
        .map(|r| match r {
            Record::Sent(b) | Record::Received(b) => b.len(),
            _ => 0,
        })
        .sum();
}

/// The `<n>` of each `AT+FTPPUT=2,<n>` the host sent, in order: a put job
/// replays its data cut as recorded.
fn recorded_put_chunks(t: &Transcript) -> VecDeque<usize> {
    let mut out = VecDeque::new();
    walk(t, |_, item| {
        if let Item::Host(Request::Command(Command::FtpPut(Upload::Write(n))), _) = item {
            out.push_back(usize::from(n));
        }
    });
    out
}

/// The bytes a command line of the session would show in a transcript:
/// the password values redacted, as the transcript writer redacts them.
fn as_recorded(tx: &[u8]) -> Vec<u8> {
    redact_passwords(tx)
}

/// True for one whole command line: `AT…` and a single CR at the end.
fn is_command_line(tx: &[u8]) -> bool {
    tx.len() >= 3
        && tx.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(b"AT"))
        && tx.iter().position(|&b| b == b'\r') == Some(tx.len() - 1)
}

/// Runs a SIMCom transcript's jobs through a session in lock-step with its
/// records.
pub(crate) struct SimcomReplay<'t, 'r> {
    transcript: &'t Transcript,
    report: &'r mut Report,
    session: Session,
    now: Instant,
    waiting: VecDeque<(u32, &'t SimcomJob)>,
    uploads: Vec<(u32, &'t [u8])>,
    expected: Vec<u8>,
    sent_commands: usize,
    results: Vec<Option<String>>,
    ids: Vec<(u32, u32)>,
    broken: bool,
    put_chunks: VecDeque<usize>,
    at: usize,
}

impl<'t, 'r> SimcomReplay<'t, 'r> {
    pub(crate) fn new(transcript: &'t Transcript, report: &'r mut Report) -> Self {
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
            match spec {
                JobSpec::Simcom(job) => waiting.push_back((i as u32, job)),
                // A job of the other dialect cannot run on this session.
                _ => {
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
            session: Session::new(Config::default()).unwrap_or_else(|e| {
                debug_assert!(false, "the default settings are valid: {e}");
                Session::default()
            }),
            now: Instant::from_millis(0),
            waiting,
            uploads: Vec::new(),
            expected: Vec::new(),
            sent_commands: 0,
            results,
            ids: Vec::new(),
            broken: false,
            put_chunks: recorded_put_chunks(transcript),
            at: 0,
        }
    }

    fn fail(&mut self, failure: Failure) {
        self.report.failures.push(failure);
        self.report.failure_records.push(Some(self.at));
    }

    pub(crate) fn run(mut self) {
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

    fn enqueue(&mut self) {
        while let Some(&(index, spec)) = self.waiting.front() {
            let s = &mut self.session;
            let queued = match spec {
                SimcomJob::BringUp {
                    apn,
                    user,
                    password,
                } => s.bring_up(&BearerConfig {
                    apn,
                    user: user.as_deref(),
                    password: password.as_deref(),
                }),
                SimcomJob::Configure {
                    server,
                    port,
                    mode,
                    user,
                    password,
                } => s.configure(&FtpConfig {
                    server,
                    port: *port,
                    user,
                    password,
                    mode: *mode,
                }),
                SimcomJob::Put {
                    dir,
                    name,
                    opt,
                    data,
                } => {
                    self.uploads.push((index, data));
                    s.put(dir, name, *opt)
                }
                SimcomJob::Get { dir, name, offset } => s.get(dir, name, *offset),
                SimcomJob::List(d) => s.list(d),
                SimcomJob::Mkdir(d) => s.mkdir(d),
                SimcomJob::Rmdir(d) => s.rmdir(d),
                SimcomJob::Delete { dir, name } => s.delete(dir, name),
                SimcomJob::Size { dir, name } => s.size(dir, name),
                SimcomJob::Quit => s.quit(),
            };
            match queued {
                Ok(id) => self.ids.push((id.get(), index)),
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

    fn index_of(&self, id: u32) -> Option<u32> {
        self.ids.iter().find(|(i, _)| *i == id).map(|(_, j)| *j)
    }

    fn run_of(&mut self, id: u32) -> Option<&mut JobRun> {
        let index = self.index_of(id)?;
        self.report.jobs.get_mut(index as usize)
    }

    fn drain(&mut self) {
        loop {
            let (text, ready, done) = match self.session.poll_event() {
                None => break,
                Some(Event::PutProgress { .. }) => continue,
                Some(event) => {
                    let text = format!("{event:?}");
                    let mut ready = None;
                    let mut done = None;
                    let mut data = None;
                    let mut entry = None;
                    let mut unsolicited = None;
                    match event {
                        Event::PutReady { job, max } => ready = Some((job.get(), max)),
                        Event::JobDone { job, result } => done = Some((job.get(), result)),
                        Event::Data { job, data: d, .. } => data = Some((job.get(), d.to_vec())),
                        Event::ListLine {
                            job, entry: Ok(e), ..
                        } => entry = Some((job.get(), e.name.to_vec())),
                        Event::Unsolicited(item) => unsolicited = Some(format!("{item:?}")),
                        _ => {}
                    }
                    if let Some((id, d)) = data {
                        if let Some(run) = self.run_of(id) {
                            run.data.extend_from_slice(&d);
                        }
                    }
                    if let Some((id, name)) = entry {
                        if let Some(run) = self.run_of(id) {
                            run.entries.push(name);
                        }
                    }
                    if let Some(item) = unsolicited {
                        self.report.unsolicited.push((self.at, item));
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
                if let Some(run) = self.run_of(id) {
                    run.result = Some(JobResult::Simcom(result));
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
    fn answer_put(&mut self, id: u32, max: usize) {
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

    fn pump(&mut self) {
        let mut waited = false;
        while !self.expected.is_empty() && !self.broken {
            self.drain();
            let Some(tx) = self.session.poll_transmit(self.now) else {
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
            // Bytes as recorded match; so does a command line whose
            // redacted form (the transcript's) is recorded: the session
            // sends the `<redacted>` password quoted, the writer shows the
            // quoted value redacted.
            let shown = if self.expected.starts_with(tx) || !is_command_line(tx) {
                tx.to_vec()
            } else {
                as_recorded(tx)
            };
            let recorded = self.expected.get(..shown.len()).unwrap_or(&self.expected);
            if recorded != shown.as_slice() {
                let failure = Failure::CommandMismatch {
                    index: self.sent_commands,
                    sent: escape(&as_recorded(tx)),
                    recorded: escape(recorded),
                };
                self.fail(failure);
                self.broken = true;
                return;
            }
            let n = shown.len();
            self.expected.drain(..n);
            self.sent_commands += 1;
        }
        self.drain();
    }

    fn finish(mut self) {
        if !self.broken {
            self.drain();
            self.now = self.now + self.session.config().guard;
            if let Some(tx) = self.session.poll_transmit(self.now) {
                let sent = escape(&as_recorded(tx));
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

/// A job being read from the host's commands.
#[derive(Debug, Default)]
struct Params {
    /// `AT+SAPBR=3,<cid>,…` seen: the bring-up's bearer.
    apn: Option<String>,
    bearer_user: Option<String>,
    bearer_password: Option<String>,
    server: Option<String>,
    port: Option<u16>,
    user: Option<String>,
    password: Option<String>,
    mode: Option<Mode>,
    get_path: Option<String>,
    get_name: Option<String>,
    put_path: Option<String>,
    put_name: Option<String>,
    put_opt: Option<PutOpt>,
    rest: Option<u32>,
}

/// Reads the jobs the host ran from a SIMCom transcript's commands
/// (`SPEC-simcom.md` §4.7): bring-up is `AT`/`ATE0` and the `AT+SAPBR`
/// commands, configure the `AT+FTPCID` … `AT+FTPMODE` settings, and each
/// operation (`AT+FTPGET=1`, `AT+FTPPUT=1`, `AT+FTPLIST=1`, `AT+FTPMKD`,
/// `AT+FTPRMD`, `AT+FTPDELE`, `AT+FTPSIZE`, `AT+FTPQUIT`) is a job whose
/// parameters are the settings sent before it. A put's data is its
/// written chunks.
pub(crate) fn reconstruct(t: &Transcript) -> Reconstruction {
    let mut out = Reconstruction::default();
    let mut p = Params::default();
    // The record of the first command of the job being read.
    let mut first: Option<usize> = None;
    // Which settings group is open: bring-up (true) or configure (false).
    let mut group: Option<bool> = None;
    let mut put: Option<(usize, SimcomJob)> = None;
    // The session's resynchronising probe set its name: its query follows.
    let mut probing = false;
    let close_group = |out: &mut Reconstruction,
                       p: &mut Params,
                       group: &mut Option<bool>,
                       first: &mut Option<usize>| {
        let Some(bring_up) = group.take() else {
            return;
        };
        let record = first.take().unwrap_or(0);
        let spec = if bring_up {
            SimcomJob::BringUp {
                apn: p.apn.take().unwrap_or_default(),
                user: p.bearer_user.take(),
                password: p.bearer_password.take(),
            }
        } else {
            SimcomJob::Configure {
                server: p.server.clone().unwrap_or_default(),
                port: p.port.unwrap_or(21),
                mode: p.mode.unwrap_or(Mode::Passive),
                user: p.user.clone().unwrap_or_default(),
                password: p.password.clone().unwrap_or_default(),
            }
        };
        out.jobs.push(Reconstructed {
            spec: JobSpec::Simcom(spec),
            record,
        });
    };
    walk(t, |record, item| {
        let (c, line) = match item {
            Item::Host(Request::Command(c), line) => (c, line),
            Item::Host(Request::PutData(d), _) => {
                if let Some((_, SimcomJob::Put { data, .. })) = &mut put {
                    data.extend_from_slice(d);
                }
                return;
            }
            Item::Host(Request::Unknown(l), _) => {
                out.strays.push(stray(record, l, "not a command we know"));
                return;
            }
            Item::Host(Request::Overlong(l), _) => {
                let l = l.get(..40).unwrap_or(l);
                out.strays
                    .push(stray(record, l, "a line longer than any command"));
                return;
            }
            Item::Host(..) | Item::Modem(..) => return,
        };
        out.commands += 1;
        let line = line.trim_ascii();
        // The session's own resynchronising probe (SPEC-simcom.md §6 item
        // 32), which belongs to no job.
        match c {
            Command::FtpGetName(Setting::Set(n))
                if cellftp_session::is_resync_name(n.as_str().as_bytes()) =>
            {
                close_group(&mut out, &mut p, &mut group, &mut first);
                probing = true;
                return;
            }
            Command::FtpGetName(Setting::Query) if probing => {
                probing = false;
                return;
            }
            _ => probing = false,
        }
        let start = |first: &mut Option<usize>| {
            first.get_or_insert(record);
        };
        // Settings groups.
        let in_bring_up = match c {
            Command::At | Command::Echo(false) => Some(true),
            Command::Sapbr(Bearer::Set { .. } | Bearer::Query { .. } | Bearer::Open { .. }) => {
                Some(true)
            }
            Command::FtpCid(Setting::Set(_))
            | Command::FtpServ(Setting::Set(_))
            | Command::FtpPort(Setting::Set(_))
            | Command::FtpUn(Setting::Set(_))
            | Command::FtpPw(Setting::Set(_))
            | Command::FtpMode(Setting::Set(_)) => Some(false),
            _ => None,
        };
        if let Some(bring_up) = in_bring_up {
            // `AT` starts a new bring-up; a configure step after a
            // bring-up starts a configure.
            let restart = matches!(c, Command::At) || matches!(c, Command::FtpCid(_));
            if group != Some(bring_up) || restart {
                close_group(&mut out, &mut p, &mut group, &mut first);
                group = Some(bring_up);
            }
            start(&mut first);
            match c {
                Command::Sapbr(Bearer::Set { param, .. }) => match param {
                    BearerParam::Apn(a) => p.apn = Some(a.as_str().to_owned()),
                    BearerParam::User(u) => p.bearer_user = Some(u.as_str().to_owned()),
                    BearerParam::Password(pw) => {
                        p.bearer_password = Some(String::from_utf8_lossy(pw.expose()).into_owned());
                    }
                    _ => {}
                },
                Command::FtpServ(Setting::Set(s)) => p.server = Some(s.as_str().to_owned()),
                Command::FtpPort(Setting::Set(n)) => p.port = Some(n),
                Command::FtpUn(Setting::Set(u)) => p.user = Some(u.as_str().to_owned()),
                Command::FtpPw(Setting::Set(pw)) => {
                    p.password = Some(String::from_utf8_lossy(pw.expose()).into_owned());
                }
                Command::FtpMode(Setting::Set(m)) => p.mode = Some(m),
                _ => {}
            }
            return;
        }
        close_group(&mut out, &mut p, &mut group, &mut first);
        let dir = |d: &Option<String>| d.clone().unwrap_or_else(|| "/".to_owned());
        let job = match c {
            Command::FtpType(Setting::Set(_)) => {
                start(&mut first);
                None
            }
            Command::FtpRest(Setting::Set(n)) => {
                start(&mut first);
                p.rest = Some(n);
                None
            }
            Command::FtpGetPath(Setting::Set(d)) => {
                start(&mut first);
                p.get_path = Some(d.as_str().to_owned());
                None
            }
            Command::FtpGetName(Setting::Set(n)) => {
                start(&mut first);
                p.get_name = Some(n.as_str().to_owned());
                None
            }
            Command::FtpPutPath(Setting::Set(d)) => {
                start(&mut first);
                p.put_path = Some(d.as_str().to_owned());
                None
            }
            Command::FtpPutName(Setting::Set(n)) => {
                start(&mut first);
                p.put_name = Some(n.as_str().to_owned());
                None
            }
            Command::FtpPutOpt(Setting::Set(o)) => {
                start(&mut first);
                p.put_opt = Some(o);
                None
            }
            Command::FtpGet(Transfer::Open) => Some(SimcomJob::Get {
                dir: dir(&p.get_path),
                name: p.get_name.clone().unwrap_or_default(),
                offset: p.rest.take().unwrap_or(0),
            }),
            Command::FtpList(Transfer::Open) => Some(SimcomJob::List(dir(&p.get_path))),
            Command::FtpMkd(Action::Execute) => Some(SimcomJob::Mkdir(dir(&p.get_path))),
            Command::FtpRmd(Action::Execute) => Some(SimcomJob::Rmdir(dir(&p.get_path))),
            Command::FtpDele(Action::Execute) => Some(SimcomJob::Delete {
                dir: dir(&p.get_path),
                name: p.get_name.clone().unwrap_or_default(),
            }),
            Command::FtpSize(Action::Execute) => Some(SimcomJob::Size {
                dir: dir(&p.get_path),
                name: p.get_name.clone().unwrap_or_default(),
            }),
            Command::FtpQuit(Action::Execute) => Some(SimcomJob::Quit),
            Command::FtpPut(Upload::Open) => {
                let record = first.take().unwrap_or(record);
                put = Some((
                    record,
                    SimcomJob::Put {
                        dir: dir(&p.put_path),
                        name: p.put_name.clone().unwrap_or_default(),
                        opt: p.put_opt.unwrap_or(PutOpt::Stor),
                        data: Vec::new(),
                    },
                ));
                return;
            }
            Command::FtpPut(Upload::End) => {
                if let Some((record, spec)) = put.take() {
                    out.jobs.push(Reconstructed {
                        spec: JobSpec::Simcom(spec),
                        record,
                    });
                }
                return;
            }
            Command::FtpGet(Transfer::Read(_))
            | Command::FtpList(Transfer::Read(_))
            | Command::FtpPut(Upload::Write(_)) => return,
            _ => {
                out.strays.push(stray(
                    record,
                    line,
                    "a command no job sends (a query, a test form or another setting)",
                ));
                return;
            }
        };
        if let Some(job) = job {
            if let Some((r, spec)) = put.take() {
                // An upload the log never ended.
                out.jobs.push(Reconstructed {
                    spec: JobSpec::Simcom(spec),
                    record: r,
                });
            }
            let record = first.take().unwrap_or(record);
            out.jobs.push(Reconstructed {
                spec: JobSpec::Simcom(job),
                record,
            });
        }
    });
    close_group(&mut out, &mut p, &mut group, &mut first);
    if let Some((record, spec)) = put.take() {
        out.jobs.push(Reconstructed {
            spec: JobSpec::Simcom(spec),
            record,
        });
    }
    out.jobs.sort_by_key(|j| j.record);
    out
}

fn stray(record: usize, line: &[u8], why: &'static str) -> Stray {
    Stray {
        record,
        line: escape(&redact_passwords(line)),
        why,
    }
}

/// True when the host's commands are the SIMCom dialect's: an
/// `AT+SAPBR`, an operation started with `=1` (`AT+FTPGET=1`,
/// `AT+FTPPUT=1`, `AT+FTPLIST=1`), or a quoted `AT+FTPSERV`,
/// `AT+FTPGETNAME` or `AT+FTPPUTNAME`, before any command only the first
/// dialect has.
pub(crate) fn detect(t: &Transcript) -> bool {
    let mut manual = cellftp_proto::CommandDecoder::new();
    let mut buf: Vec<u8> = Vec::new();
    for r in &t.records {
        let Record::Sent(chunk) = r else { continue };
        buf.extend_from_slice(chunk);
        loop {
            let (consumed, verdict) = match manual.decode(&buf) {
                Decoded::Item { consumed, .. } => {
                    let line = buf.get(..consumed).unwrap_or_default().trim_ascii();
                    (consumed, line_verdict(line))
                }
                Decoded::NeedMore { consumed } => {
                    buf.drain(..consumed.min(buf.len()));
                    break;
                }
            };
            buf.drain(..consumed.min(buf.len()));
            if let Some(v) = verdict {
                return v;
            }
        }
    }
    false
}

/// What one host line says of the dialect: `Some(true)` SIMCom,
/// `Some(false)` the first dialect, `None` either.
fn line_verdict(line: &[u8]) -> Option<bool> {
    let upper = line.to_ascii_uppercase();
    let starts = |p: &[u8]| upper.starts_with(p);
    if starts(b"AT+SAPBR")
        || starts(b"AT+FTPGET=1")
        || starts(b"AT+FTPPUT=1")
        || starts(b"AT+FTPLIST=1")
        || starts(b"AT+FTPGET=2,")
        || starts(b"AT+FTPSERV=\"")
        || starts(b"AT+FTPGETNAME=\"")
        || starts(b"AT+FTPPUTNAME=\"")
        || starts(b"AT+FTPGETPATH")
        || starts(b"AT+FTPPUTPATH")
        || starts(b"AT+FTPCID")
    {
        return Some(true);
    }
    if starts(b"AT+FTPSCON")
        || starts(b"AT+FTPRESET")
        || starts(b"AT+FTPPATH")
        || starts(b"AT+FTPPUT=")
        || starts(b"AT+FTPGET\r")
        || upper == b"AT+FTPGET"
        || upper == b"AT+FTPLIST"
        || starts(b"AT+FTPSERV=")
        || starts(b"AT+FTPGETNAME=")
        || starts(b"AT+FTPPUTNAME=")
        || starts(b"AT+CGACT")
    {
        return Some(false);
    }
    None
}

/// A job's outcome as a phrase.
pub(crate) fn outcome_text(o: &Outcome) -> String {
    use crate::check::counted;
    match o {
        Outcome::BroughtUp => "brought up, bearer open".to_owned(),
        Outcome::Configured => "configured".to_owned(),
        Outcome::Uploaded { bytes } => format!("uploaded {}", counted(*bytes, "byte", "bytes")),
        Outcome::Downloaded { offset, bytes } => format!(
            "downloaded {} from offset {offset}",
            counted(*bytes, "byte", "bytes")
        ),
        Outcome::Listed { entries, lines } => format!(
            "listed {} ({})",
            counted(*entries, "entry", "entries"),
            counted(*lines, "line", "lines")
        ),
        Outcome::DirectoryCreated => "directory created".to_owned(),
        Outcome::DirectoryRemoved => "directory removed".to_owned(),
        Outcome::Deleted => "file deleted".to_owned(),
        Outcome::Size { bytes } => format!("size {}", counted(*bytes, "byte", "bytes")),
        Outcome::Quit => "no operation running".to_owned(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The session's resynchronising probe (a numbered download name and
    /// its query) belongs to no job and is no stray.
    #[test]
    fn the_resynchronising_probe_is_no_job() {
        let t = Transcript::parse(concat!(
            "! dialect simcom\n",
            "> AT+FTPGETPATH=\"/a/\"\\r\n< \\r\\nOK\\r\\n\n",
            "> AT+FTPMKD\\r\n< \\r\\nOK\\r\\n\\r\\n+FTPMKD: 1,0\\r\\n\n",
            "> AT+FTPGETNAME=\"cellftp-sync-3\"\\r\n< \\r\\nOK\\r\\n\n",
            "> AT+FTPGETNAME?\\r\n< \\r\\n+FTPGETNAME: \"cellftp-sync-3\"\\r\\n\\r\\nOK\\r\\n\n",
        ))
        .unwrap_or_default();
        let r = reconstruct(&t);
        let specs: Vec<JobSpec> = r.jobs.into_iter().map(|j| j.spec).collect();
        assert_eq!(specs, [JobSpec::Simcom(SimcomJob::Mkdir("/a/".into()))]);
        assert!(r.strays.is_empty(), "{:?}", r.strays);
        assert_eq!(r.commands, 4);
    }
}
