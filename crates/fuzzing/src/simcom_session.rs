//! The `simcom_session` target: a SIMCom [`Session`] driven by an arbitrary
//! sequence of jobs, modem bytes and clock steps, as the `session` target
//! drives the first dialect's.
//!
//! The input is bytes, read front to back as operations (a tag byte, then
//! its fields; missing bytes read as 0): queue a job (bring-up, configure,
//! put, get, list, mkdir, rmdir, delete, size, quit), hand the session
//! modem bytes (raw, canned, or an answer fitting the last command line
//! sent) in reads of a chosen size, move the clock, send upload data,
//! finish a put, cancel a job.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use arbitrary::Unstructured;
use cellftp_proto::simcom::{PutOpt, MAX_COMMAND, MAX_PUT_DATA};
use cellftp_proto::Mode;
use cellftp_session::simcom::{BearerConfig, Config, Event, FtpConfig, Session};
use cellftp_session::{Instant, JobId};
use memchr::memmem::Finder;

use crate::bytes::{contains, Reader};

/// The passwords configure picks from: the valid ones may leave the
/// session only in the line `AT+FTPPW="<password>"\r`; the invalid ones
/// never. Each is found by its marker.
const SECRETS: [(&str, &str); 5] = [
    ("S3cr3t-pw-XYZ", "S3cr3t-pw-XYZ"),
    ("pass word~Mz4", "pass word~Mz4"),
    ("S3cr3t-bad\"quote", "S3cr3t-bad"),
    ("S3cr3t-nl\r\nAT+FTPQUIT", "S3cr3t-nl"),
    (
        "S3cr3t-long-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "S3cr3t-long",
    ),
];

/// File names, directories, servers, user names and APNs the jobs pick
/// from: valid ones and a few the session must refuse.
const NAMES: &[&str] = &["a.bin", "report 2024.csv", "", "a\"b", "x\r\nAT", "../up"];
const DIRS: &[&str] = &["/", "/docs", "docs/sub", "", "/bad\"dir", "/a/b/"];
const HOSTS: &[&str] = &["127.0.0.1", "ftp.example.com", "", "1.2.3", "h\rAT"];
const USERS: &[&str] = &["anonymous", "demo", "", "bad\"user"];
const APNS: &[&str] = &["internet", "", "cmnet", "bad\"apn"];

/// Complete modem lines the `Canned` operation picks from.
const CANNED: &[&[u8]] = &[
    b"\r\nOK\r\n",
    b"\r\nERROR\r\n",
    b"\r\n+CME ERROR: 3\r\n",
    b"\r\n+FTPGET: 1,1\r\n",
    b"\r\n+FTPGET: 1,0\r\n",
    b"\r\n+FTPGET: 1,79\r\n",
    b"\r\n+FTPGET: 2,5\r\nhello\r\nOK\r\n",
    b"\r\n+FTPGET: 2,0\r\n\r\nOK\r\n",
    b"\r\n+FTPLIST: 1,1\r\n",
    b"\r\n+FTPLIST: 2,48\r\n-rw-r--r--   1 ftp ftp   10 Jan 01 00:00 a.bin\r\n\r\nOK\r\n",
    b"\r\n+FTPLIST: 1,0\r\n",
    b"\r\n+FTPPUT: 1,1,1360\r\n",
    b"\r\n+FTPPUT: 1,1,0\r\n",
    b"\r\n+FTPPUT: 2,10\r\n",
    b"\r\n+FTPPUT: 1,0\r\n",
    b"\r\n+FTPPUT: 1,78\r\n",
    b"\r\n+FTPMKD: 1,0\r\n",
    b"\r\n+FTPRMD: 1,77\r\n",
    b"\r\n+FTPDELE: 1,0\r\n",
    b"\r\n+FTPSIZE: 1,0,10\r\n",
    b"\r\n+FTPSIZE: 1,77,0\r\n",
    b"\r\n+FTPSTATE: 1\r\n\r\nOK\r\n",
    b"\r\n+SAPBR: 1,1,\"10.0.0.2\"\r\n\r\nOK\r\n",
    b"\r\n+SAPBR: 1,3,\"0.0.0.0\"\r\n\r\nOK\r\n",
    b"\r\n+SAPBR 1: DEACT\r\n",
    b"\r\nRDY\r\n",
    b"\r\n+CFUN: 1\r\n",
    b"\r\n+CPIN: READY\r\n",
    b"\r\n+FTPPW: \"hidden\"\r\n",
    b"\r\n+FTPGET: 2,99999\r\n",
];

/// Rounds of the final phase (an answer, then a long clock step) before a
/// job without its `JobDone` is a stall: a round per command, a few per
/// resynchronisation, for every queued job.
const FINAL_ROUNDS: usize = 256;

fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list.get(usize::from(i) % list.len().max(1))
        .copied()
        .unwrap_or("")
}

/// What the harness knows of the jobs and of what the session sent.
#[derive(Default)]
struct Harness {
    /// `JobDone`s seen, per job queued.
    jobs: BTreeMap<u32, usize>,
    ids: Vec<JobId>,
    /// A put waits for data (`PutReady` seen, not yet answered).
    put_ready: Option<(JobId, usize)>,
    /// Every byte sent.
    tx: Vec<u8>,
    /// The last command line sent.
    last: Vec<u8>,
    /// The value of the last `AT+FTPGETNAME="…"` sent, quotes included:
    /// what a modem answers the resynchronising probe's query with.
    getname: Vec<u8>,
    /// The valid password configured last, if any.
    passwords: Vec<&'static str>,
    now: u64,
    log: Option<Vec<String>>,
    /// Reused for each `Debug` output checked.
    text: String,
}

/// The searchers for the markers: for their distinct 7-byte starts
/// (`S3cr3t-`, `pass wo`), then for each marker.
struct Searchers {
    starts: Vec<Finder<'static>>,
    markers: Vec<(Finder<'static>, &'static str)>,
    /// The same starts as one shift-and matcher, for [`StartWatch`].
    watch: ShiftAnd,
}

/// A shift-and matcher for several short patterns at once, packed in one
/// word: bit `i` of a pattern's lane is set when the text's last `i + 1`
/// bytes are the pattern's first `i + 1`.
struct ShiftAnd {
    /// For each byte, the lane positions where a pattern has it.
    table: [u64; 256],
    /// The first bit of every lane.
    first: u64,
    /// The last bit of every lane: a whole pattern matched.
    last: u64,
}

impl ShiftAnd {
    /// `None` if the patterns do not fit in 64 bits or one is empty.
    fn new(patterns: &[&[u8]]) -> Option<Self> {
        let mut m = Self {
            table: [0; 256],
            first: 0,
            last: 0,
        };
        let mut at = 0u32;
        for p in patterns {
            let len = u32::try_from(p.len()).ok().filter(|&l| l > 0)?;
            if at + len > 64 {
                return None;
            }
            m.first |= 1 << at;
            m.last |= 1 << (at + len - 1);
            for (i, &b) in (at..).zip(p.iter()) {
                *m.table.get_mut(usize::from(b))? |= 1 << i;
            }
            at += len;
        }
        Some(m)
    }
}

/// A `fmt::Write` that keeps nothing of what is written but whether one
/// of the markers' starts was: the session's `Debug` output is checked
/// after every drive, and storing and searching it was a sixth of the
/// target. Only an output where a start shows is formatted again and
/// searched in full ([`secret_in`]); without a start there is no marker.
struct StartWatch<'m> {
    matcher: &'m ShiftAnd,
    state: u64,
    seen: bool,
}

impl std::fmt::Write for StartWatch<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let m = self.matcher;
        let (mut state, mut states) = (self.state, 0);
        for &b in s.as_bytes() {
            let lanes = m.table.get(usize::from(b)).copied().unwrap_or(0);
            state = ((state << 1) | m.first) & lanes;
            states |= state;
        }
        self.state = state;
        self.seen |= states & m.last != 0;
        Ok(())
    }
}

/// Whether `value`'s `Debug` output holds one of the markers' starts.
fn debug_shows_a_start(value: &impl std::fmt::Debug) -> bool {
    let mut watch = StartWatch {
        matcher: &searchers().watch,
        state: 0,
        seen: false,
    };
    let _ = write!(watch, "{value:?}");
    watch.seen
}

/// The searchers, built once. Building a searcher for each marker in every
/// check, after every drive and event, was a large part of the target's
/// time.
fn searchers() -> &'static Searchers {
    static SEARCHERS: OnceLock<Searchers> = OnceLock::new();
    SEARCHERS.get_or_init(|| {
        let mut starts: Vec<&'static [u8]> = SECRETS
            .iter()
            .map(|(_, m)| m.as_bytes())
            .map(|m| m.get(..7).unwrap_or(m))
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let Some(watch) = ShiftAnd::new(&starts) else {
            panic!("the markers' starts do not fit one shift-and word");
        };
        Searchers {
            watch,
            starts: starts.into_iter().map(Finder::new).collect(),
            markers: SECRETS
                .iter()
                .map(|&(_, m)| (Finder::new(m.as_bytes()), m))
                .collect(),
        }
    })
}

/// The first marker in `text`.
fn secret_in(text: &[u8]) -> Option<&'static str> {
    let searchers = searchers();
    if !searchers.starts.iter().any(|f| f.find(text).is_some()) {
        return None;
    }
    searchers
        .markers
        .iter()
        .find(|(f, _)| f.find(text).is_some())
        .map(|&(_, m)| m)
}

fn assert_no_secret(what: &str, text: &[u8]) {
    if let Some(marker) = secret_in(text) {
        panic!("{what} shows the password {marker:?}");
    }
}

impl Harness {
    fn instant(&self) -> Instant {
        Instant::from_millis(self.now)
    }

    fn queued(&mut self, r: Result<JobId, cellftp_session::UsageError>) {
        match r {
            Ok(job) => {
                assert!(
                    self.jobs.insert(job.get(), 0).is_none(),
                    "job id {job:?} reused"
                );
                self.ids.push(job);
            }
            Err(e) => assert_no_secret("a usage error", format!("{e:?} {e}").as_bytes()),
        }
    }

    /// Events until `None`, then transmits until `None`; checks each.
    fn drive(&mut self, s: &mut Session) {
        let mut moved_any = false;
        loop {
            let mut moved = false;
            while let Some(event) = s.poll_event() {
                moved = true;
                // Formatted and searched in full only where a marker's
                // start shows (see `StartWatch`), or for the log.
                if self.log.is_some() || debug_shows_a_start(&event) {
                    let mut text = std::mem::take(&mut self.text);
                    text.clear();
                    let _ = write!(text, "{event:?}");
                    assert_no_secret("an event", text.as_bytes());
                    if let Some(log) = self.log.as_mut() {
                        log.push(format!("event {text}"));
                    }
                    self.text = text;
                }
                match event {
                    Event::JobDone { job, result } => {
                        if let Err(e) = result {
                            assert_no_secret("a job error", e.to_string().as_bytes());
                        }
                        let Some(n) = self.jobs.get_mut(&job.get()) else {
                            panic!("JobDone for {job:?}, never queued");
                        };
                        *n += 1;
                        assert_eq!(*n, 1, "a second JobDone for {job:?}");
                        if self.put_ready.is_some_and(|(j, _)| j == job) {
                            self.put_ready = None;
                        }
                    }
                    Event::PutReady { job, max } => {
                        assert!(max <= MAX_PUT_DATA, "PutReady max {max}");
                        self.put_ready = Some((job, max));
                    }
                    _ => {}
                }
            }
            while let Some(bytes) = s.poll_transmit(self.instant()) {
                moved = true;
                assert!(
                    bytes.len() <= MAX_COMMAND.max(MAX_PUT_DATA),
                    "a transmit of {} bytes",
                    bytes.len()
                );
                if bytes.ends_with(b"\r") {
                    self.last = bytes.to_vec();
                    if let Some(value) = bytes.strip_prefix(b"AT+FTPGETNAME=") {
                        self.getname = value.strip_suffix(b"\r").unwrap_or(value).to_vec();
                    }
                }
                if let Some(log) = self.log.as_mut() {
                    log.push(format!("sent {:?}", bytes.escape_ascii().to_string()));
                }
                self.tx.extend_from_slice(bytes);
            }
            if !moved {
                break;
            }
            moved_any = true;
        }
        if moved_any {
            self.check_session_debug(s);
        }
        // Never stalls: a busy session has a deadline, unless it waits
        // for the caller's data.
        if !s.is_idle() && self.put_ready.is_none() {
            assert!(
                s.poll_timeout().is_some(),
                "a busy session without a deadline"
            );
        }
    }

    /// No password in the session's `Debug` output. Checked after every
    /// drive in which something happened (an event or a transmit) and at
    /// the end of the input: a drive in which nothing happened can change
    /// only counts in it (bytes buffered, jobs queued), and formatting it
    /// after every read of one byte was a fifth of the target's time.
    fn check_session_debug(&mut self, s: &Session) {
        if debug_shows_a_start(s) {
            let mut text = std::mem::take(&mut self.text);
            text.clear();
            let _ = write!(text, "{s:?}");
            assert_no_secret("the session's Debug", text.as_bytes());
            self.text = text;
        }
    }

    /// Hands `bytes` over in reads of `chunk` (0: at once), draining after
    /// each; every read must be taken in full once events are drained.
    fn feed(&mut self, s: &mut Session, bytes: &[u8], chunk: u8) {
        let size = if chunk == 0 {
            bytes.len().max(1)
        } else {
            usize::from(chunk)
        };
        for piece in bytes.chunks(size) {
            let mut rest = piece;
            let mut idle = 0;
            while !rest.is_empty() {
                let n = s.handle_input(self.instant(), rest);
                assert!(n <= rest.len());
                rest = rest.get(n..).unwrap_or_default();
                self.drive(s);
                idle = if n == 0 { idle + 1 } else { 0 };
                assert!(
                    idle < 3,
                    "the session takes no input with its events drained"
                );
            }
        }
    }

    /// A plausible answer to the last command line, by `variant`.
    fn answer(&self, variant: u8) -> Vec<u8> {
        let line = self.last.as_slice();
        let has = |p: &[u8]| contains(line, p);
        match variant % 4 {
            0 => b"\r\nOK\r\n".to_vec(),
            1 => b"\r\nERROR\r\n".to_vec(),
            _ if has(b"+FTPGET=2,") || has(b"+FTPLIST=2,") => {
                let op = if has(b"GET") { "FTPGET" } else { "FTPLIST" };
                let n = usize::from(variant) % 40;
                let mut v = format!("\r\n+{op}: 2,{n}\r\n").into_bytes();
                v.extend(b"0123456789\r\nOK".iter().copied().cycle().take(n));
                v.extend_from_slice(b"\r\nOK\r\n");
                v
            }
            _ if has(b"+FTPPUT=2,") => {
                let n: usize = std::str::from_utf8(line)
                    .ok()
                    .and_then(|l| l.trim_end().rsplit(',').next())
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                format!("\r\n+FTPPUT: 2,{}\r\n", n.min(usize::from(variant))).into_bytes()
            }
            _ if has(b"+FTPPUT=1") => b"\r\nOK\r\n\r\n+FTPPUT: 1,1,1360\r\n".to_vec(),
            _ if has(b"+FTPGET=1") => b"\r\nOK\r\n\r\n+FTPGET: 1,1\r\n".to_vec(),
            _ if has(b"+FTPLIST=1") => b"\r\nOK\r\n\r\n+FTPLIST: 1,1\r\n".to_vec(),
            _ if has(b"+SAPBR=2") => b"\r\n+SAPBR: 1,1,\"10.0.0.2\"\r\n\r\nOK\r\n".to_vec(),
            _ if has(b"+FTPSTATE") => b"\r\n+FTPSTATE: 0\r\n\r\nOK\r\n".to_vec(),
            _ if has(b"+FTPGETNAME?") => {
                let mut v = b"\r\n+FTPGETNAME: ".to_vec();
                v.extend_from_slice(&self.getname);
                v.extend_from_slice(b"\r\n\r\nOK\r\n");
                v
            }
            _ if has(b"+FTPSIZE") => b"\r\nOK\r\n\r\n+FTPSIZE: 1,0,10\r\n".to_vec(),
            _ if has(b"+FTPMKD") => b"\r\nOK\r\n\r\n+FTPMKD: 1,0\r\n".to_vec(),
            _ if has(b"+FTPRMD") => b"\r\nOK\r\n\r\n+FTPRMD: 1,0\r\n".to_vec(),
            _ if has(b"+FTPDELE") => b"\r\nOK\r\n\r\n+FTPDELE: 1,0\r\n".to_vec(),
            _ => b"\r\nOK\r\n".to_vec(),
        }
    }

    fn step(&mut self, s: &mut Session, r: &mut Reader<'_, '_>) {
        let tag = r.u8() % 18;
        if let Some(log) = self.log.as_mut() {
            log.push(format!("op {tag} at {} ms", self.now));
        }
        match tag {
            0 => {
                let (apn, user) = (r.u8(), r.u8());
                let bearer = BearerConfig {
                    apn: pick(APNS, apn),
                    user: (user & 0x80 != 0).then(|| pick(USERS, user)),
                    ..BearerConfig::default()
                };
                let q = s.bring_up(&bearer);
                self.queued(q);
            }
            1 => {
                let (server, user, secret, flags) = (r.u8(), r.u8(), r.u8(), r.u8());
                let (password, _) = SECRETS
                    .get(usize::from(secret) % SECRETS.len())
                    .copied()
                    .unwrap_or(("x", "x"));
                let ftp = FtpConfig {
                    server: pick(HOSTS, server),
                    port: if flags & 2 != 0 { 21 } else { 2121 },
                    user: pick(USERS, user),
                    password,
                    mode: if flags & 1 != 0 {
                        Mode::Passive
                    } else {
                        Mode::Active
                    },
                };
                assert_no_secret("FtpConfig's Debug", format!("{ftp:?}").as_bytes());
                let q = s.configure(&ftp);
                if q.is_ok() {
                    self.passwords.push(password);
                }
                self.queued(q);
            }
            2 => {
                let (dir, name, opt) = (r.u8(), r.u8(), r.u8());
                let opt = match opt % 3 {
                    0 => PutOpt::Stor,
                    1 => PutOpt::Appe,
                    _ => PutOpt::Stou,
                };
                let q = s.put(pick(DIRS, dir), pick(NAMES, name), opt);
                self.queued(q);
            }
            3 => {
                let (dir, name, offset) = (r.u8(), r.u8(), r.u32());
                let q = s.get(pick(DIRS, dir), pick(NAMES, name), offset);
                self.queued(q);
            }
            4 => {
                let q = s.list(pick(DIRS, r.u8()));
                self.queued(q);
            }
            5 => {
                let q = s.mkdir(pick(DIRS, r.u8()));
                self.queued(q);
            }
            6 => {
                let q = s.rmdir(pick(DIRS, r.u8()));
                self.queued(q);
            }
            7 => {
                let (dir, name) = (r.u8(), r.u8());
                let q = s.delete(pick(DIRS, dir), pick(NAMES, name));
                self.queued(q);
            }
            8 => {
                let (dir, name) = (r.u8(), r.u8());
                let q = s.size(pick(DIRS, dir), pick(NAMES, name));
                self.queued(q);
            }
            9 => {
                let q = s.quit();
                self.queued(q);
            }
            10 => {
                let chunk = r.u8();
                let bytes = r.blob(3000);
                if secret_in(&bytes).is_some() {
                    return;
                }
                self.feed(s, &bytes, chunk);
                return;
            }
            11 => {
                let (index, chunk) = (r.u8(), r.u8());
                let bytes = CANNED
                    .get(usize::from(index) % CANNED.len())
                    .copied()
                    .unwrap_or_default();
                self.feed(s, bytes, chunk);
                return;
            }
            12 => {
                let (variant, chunk) = (r.u8(), r.u8());
                let bytes = self.answer(variant);
                self.feed(s, &bytes, chunk);
                return;
            }
            13 => {
                self.now = self.now.saturating_add(u64::from(r.u32() % 200_000));
                s.handle_timeout(self.instant());
            }
            14 => {
                let late = r.u8();
                if let Some(t) = s.poll_timeout() {
                    self.now = self.now.max(t.as_millis().saturating_add(u64::from(late)));
                }
                s.handle_timeout(self.instant());
            }
            15 => {
                let data = r.blob(2 * MAX_PUT_DATA);
                if secret_in(&data).is_some() {
                    return;
                }
                let ready = self.put_ready.take();
                match s.send_data(&data) {
                    Ok(n) => {
                        let Some((_, max)) = ready else {
                            panic!("send_data succeeds while no put waits for data");
                        };
                        assert_eq!(n, data.len().min(max), "send_data takes {n} bytes");
                    }
                    Err(e) => {
                        self.put_ready = ready;
                        assert_no_secret("a usage error", format!("{e:?}").as_bytes());
                    }
                }
            }
            16 => {
                if s.finish_put().is_ok() {
                    assert!(self.put_ready.is_some(), "finish_put with no put waiting");
                    self.put_ready = None;
                }
            }
            _ => {
                let back = usize::from(r.u8() % 4);
                let Some(&job) = self.ids.iter().rev().nth(back) else {
                    return;
                };
                if s.cancel(job).is_ok() {
                    assert_eq!(
                        self.jobs.get(&job.get()),
                        Some(&0),
                        "cancel of an ended job"
                    );
                    if self.put_ready.is_some_and(|(j, _)| j == job) {
                        self.put_ready = None;
                    }
                }
            }
        }
        self.drive(s);
    }

    /// Lets the modem answer what is in flight (`OK`, or what a
    /// resynchronising probe needs; every fourth round nothing) and then the
    /// clock run, until every job ended.
    fn finish(&mut self, s: &mut Session) {
        for round in 0..FINAL_ROUNDS {
            if self.jobs.values().all(|&n| n == 1) && s.is_idle() {
                return;
            }
            if self.put_ready.take().is_some() {
                let _ = s.finish_put();
                self.drive(s);
            }
            if round % 4 != 3 {
                let reply = if contains(&self.last, b"+FTPGETNAME?") {
                    self.answer(2)
                } else {
                    b"\r\nOK\r\n".to_vec()
                };
                self.feed(s, &reply, 0);
            }
            self.now = self.now.saturating_add(3_600_000);
            s.handle_timeout(self.instant());
            self.drive(s);
        }
        let mut pending = String::new();
        for (id, n) in self.jobs.iter().filter(|(_, n)| **n != 1) {
            let _ = write!(pending, " {id} ({n} JobDone)");
        }
        // In log mode, what happened first: the panic ends the run.
        for line in self.log.iter().flatten() {
            eprintln!("{line}");
        }
        panic!("jobs without exactly one JobDone after {FINAL_ROUNDS} rounds:{pending}; {s:?}");
    }

    /// The password left the session only as its own `AT+FTPPW` line.
    fn check_tx(&self) {
        let mut tx = self.tx.clone();
        for p in &self.passwords {
            let line = format!("AT+FTPPW=\"{p}\"\r");
            while let Some(at) = memchr::memmem::find(&tx, line.as_bytes()) {
                tx.drain(at..at + line.len());
            }
        }
        assert_no_secret("the bytes sent (outside AT+FTPPW)", &tx);
    }
}

fn run(data: &[u8], log: bool) -> Vec<String> {
    let Ok(mut s) = Session::new(Config::default()) else {
        panic!("the default configuration is refused");
    };
    let mut h = Harness {
        log: log.then(Vec::new),
        ..Harness::default()
    };
    let mut u = Unstructured::new(data);
    let mut r = Reader::new(&mut u);
    h.drive(&mut s);
    while !r.is_empty() {
        h.step(&mut s, &mut r);
    }
    if let Some(log) = h.log.as_mut() {
        log.push("finish".to_owned());
    }
    h.finish(&mut s);
    h.check_session_debug(&s);
    h.check_tx();
    h.log.unwrap_or_default()
}

/// The `simcom_session` target: applies the operations read from `data`
/// to a SIMCom [`Session`] with the default configuration, driving it
/// after each (events until `None`, then transmits until `None`), then
/// lets the clock run with `OK`s until every job has ended.
///
/// Checked throughout: no panic; input always taken once events are
/// drained, no transmit longer than a command line or an upload chunk; no
/// stall (a busy session has a deadline unless a put waits for data);
/// exactly one `JobDone` per queued job, none for others; a cancelled job
/// had not ended; `send_data` takes what `PutReady` allowed; and no
/// password in the `Debug` output of any event, error or [`FtpConfig`], nor
/// in the session's after every drive in which something happened and at
/// the end (between those only its counts change), nor in any byte sent
/// other than its own `AT+FTPPW="<password>"\r` line.
pub fn simcom_session(data: &[u8]) {
    run(data, false);
}

/// Runs the [`simcom_session`] harness and returns what happened, one line
/// per operation, event and transmit: for reading a crash.
pub fn simcom_session_log(data: &[u8]) -> Vec<String> {
    run(data, true)
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::{debug_shows_a_start, searchers, secret_in, ShiftAnd, StartWatch, SECRETS};

    /// The watch sees a start exactly where a substring search finds one,
    /// however the text is cut into writes.
    #[test]
    fn the_watch_is_a_substring_search() {
        let starts: [&[u8]; 3] = [b"S3cr3t-", b"pass wo", b"aab"];
        let Some(m) = ShiftAnd::new(&starts) else {
            panic!("fits");
        };
        let texts = [
            "",
            "S3cr3t",
            "xS3cr3t-",
            "S3cS3cr3t-y",
            "pass w",
            "pass pass wo",
            "aaab",
            "aab",
            "abab",
            "Some(pass wo)",
            "S3cr3t-S3cr3t-",
        ];
        for text in texts {
            let expected = starts
                .iter()
                .any(|p| text.as_bytes().windows(p.len()).any(|w| w == *p));
            for cut in 0..=text.len() {
                let mut w = StartWatch {
                    matcher: &m,
                    state: 0,
                    seen: false,
                };
                let (a, b) = text.split_at(cut);
                let _ = w.write_str(a);
                let _ = w.write_str(b);
                assert_eq!(w.seen, expected, "{text:?} cut at {cut}");
            }
        }
    }

    #[test]
    fn every_marker_shows_a_start() {
        let _ = searchers();
        for (_, marker) in SECRETS {
            assert!(debug_shows_a_start(&format!("x{marker}y")), "{marker}");
            assert_eq!(secret_in(format!("{marker:?}").as_bytes()), Some(marker));
        }
        assert!(!debug_shows_a_start(&"nothing secret"));
    }
}
