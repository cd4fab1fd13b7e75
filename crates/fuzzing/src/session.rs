//! The `session` target: a [`Session`] driven by an arbitrary sequence of
//! verbs, modem bytes and clock steps, in the style of quinn's
//! `fuzz_targets/streams.rs`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;
use std::time::Duration;

use arbitrary::{Arbitrary, Unstructured};
use cellftp_proto::{
    CommandDecoder, CommandName, Decoded, Mode, Request, TransferType, MAX_COMMAND, MAX_PUT_DATA,
    MIN_BUFFER,
};
use cellftp_session::{
    BringUp, Config, Direction, Event, FtpConfig, Instant, JobId, Outcome, Segment, Session,
    Timeouts, TraceLine, UsageError, RX_CAPACITY,
};
use memchr::memmem::Finder;

use crate::bytes::{contains, Reader, Writer};
use crate::listing::check_entry;

/// A password the harness configures, and the part of it that must never
/// show up where the session does not send it.
#[derive(Debug, Clone, Copy)]
pub struct SecretPassword {
    /// What is passed to [`Session::configure`].
    pub password: &'static str,
    /// The distinctive text searched for in every output.
    pub marker: &'static str,
    /// Whether [`cellftp_proto::Password::new`] accepts it.
    pub valid: bool,
}

const fn secret(password: &'static str, marker: &'static str, valid: bool) -> SecretPassword {
    SecretPassword {
        password,
        marker,
        valid,
    }
}

/// A valid password of the longest length allowed, 64 bytes.
const LONG_SECRET: &str = "Zx64-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456";

/// The passwords [`Op::Configure`] chooses from. The valid ones may only
/// ever leave the session as the exact line `AT+FTPPW=<password>\r`; the
/// invalid ones never.
pub const SECRETS: [SecretPassword; 9] = [
    secret("S3cr3t-pw-XYZ", "S3cr3t-pw-XYZ", true),
    secret("hunter2!Kq7#vault", "hunter2!Kq7#vault", true),
    secret("pass word~Mz4", "pass word~Mz4", true),
    secret(LONG_SECRET, LONG_SECRET, true),
    secret("S3cr3t-bad-CRLF\r\nAT+FTPQUIT", "S3cr3t-bad-CRLF", false),
    secret(" S3cr3t-bad-EDGE", "S3cr3t-bad-EDGE", false),
    secret("S3cr3t-bad;SEMI", "S3cr3t-bad;SEMI", false),
    secret(
        "S3cr3t-bad-LONG-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "S3cr3t-bad-LONG",
        false,
    ),
    secret("S3cr3t-bad-UTF8-\u{e9}", "S3cr3t-bad-UTF8", false),
];

/// Raw command lines [`Op::Raw`] picks from: lines the command table
/// knows (so that every line sent still decodes as a command), and lines
/// the session must refuse, a password among them.
pub const RAW_LINES: &[&str] = &[
    "AT",
    "AT+CFUN?",
    "AT+FTPMODE?",
    "AT+CGACT?",
    "AT+FTPPW=S3cr3t-pw-XYZ",
    "at+ftppw?",
    "AT\r\nAT+FTPQUIT",
    "+CSQ",
    "",
];

/// 64 bytes: the longest valid string parameter.
const LONG: &str = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01";

/// File names [`Str::Fixed`] picks from: valid ones and a few the session
/// must refuse.
pub const FILE_NAMES: &[&str] = &[
    "12.txt",
    "report 2024.csv",
    "a",
    LONG,
    "../up.bin",
    "name\r\nAT+FTPQUIT",
    "",
    " lead.txt",
    "a,b",
];
/// Server paths [`Str::Fixed`] picks from.
pub const PATHS: &[&str] = &["/", "/docs", "/invoker", "docs/sub dir", "", "/bad;path"];
/// Directories [`Str::Fixed`] picks from.
pub const DIRS: &[&str] = &["/invoker", "newdir", "/a/b", "", "bad\rdir", "?"];
/// User names [`Str::Fixed`] picks from.
pub const USERS: &[&str] = &["xs", "anonymous", "ftp-user_01", "", "bad,user"];
/// Server addresses [`Str::Fixed`] picks from.
pub const HOSTS: &[&str] = &[
    "47.104.157.10",
    "ftp.example.com",
    "129.168.0.1",
    "localhost",
    "256.1.1.1",
    "1.2.3",
    "1.2.3.4\rAT+FTPQUIT",
    "",
];

/// Complete modem responses [`Op::Canned`] picks from.
pub const CANNED: &[&[u8]] = &[
    b"\r\nOK\r\n",
    b"\r\nERROR\r\n",
    b"\r\n+CME ERROR: 10\r\n",
    b"\r\n+CME ERROR: SIM not inserted\r\n",
    b"\r\n+CMS ERROR: 500\r\n",
    b"\r\n+FTPSERV:0\r\n",
    b"\r\n+FTPSERV:5\r\n",
    b"\r\n+FTPGET:3,345\r\n",
    b"\r\n+FTPGET:0,\r\n",
    b"\r\n+FTPGET:6,\r\nOK\r\n\r\n",
    b"\r\n+FTPLIST:1,48\r\n-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\n",
    b"\r\n+FTPLIST:1,0\r\n",
    b"\r\nRDY\r\n",
    b"\r\n+CFUN: 1\r\n",
    b"\r\n+CPIN: READY\r\n",
    b"\r\n+PDP: DEACT\r\n",
    b"\r\nNORMAL POWER DOWN\r\n",
    b"\r\n+CGEV: NW DEACT 1\r\n",
    "\r\n+FTPSCON \u{ff1a}\r\nXXX\r\n".as_bytes(),
    "\r\n+FTPMODE: \u{ff08}0-1\u{ff09}\r\n".as_bytes(),
    b"\r\n+FTPPW: <password>\r\n",
    b"\r\n+FTPUN: xs\r\n",
    b"AT+FTPMODE=1\r",
    b"\r\n+FTPGET:5000,",
    b"\r\n+FTPLIST:1,100000\r\n",
    b"\r\n",
];

/// A string parameter: one of the harness's lists, or raw bytes (read as
/// UTF-8, lossily). A raw string that contains a [`SECRETS`] marker is
/// replaced by `x`, so that only the password can leak a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Str {
    /// The entry at this index (modulo the list's length; below 0x80).
    Fixed(u8),
    /// These bytes.
    Raw(Vec<u8>),
}

impl Str {
    fn read(r: &mut Reader<'_, '_>) -> Self {
        match r.u8() {
            tag @ 0..=0x7f => Str::Fixed(tag),
            _ => Str::Raw(r.blob(96)),
        }
    }

    fn write(&self, w: &mut Writer) {
        match self {
            Str::Fixed(i) => w.u8(i & 0x7f),
            Str::Raw(bytes) => {
                w.u8(0x80);
                w.blob(bytes);
            }
        }
    }

    fn resolve(&self, list: &[&str]) -> String {
        let s = match self {
            Str::Fixed(i) => list
                .get(usize::from(*i) % list.len().max(1))
                .copied()
                .unwrap_or("x")
                .to_owned(),
            Str::Raw(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        };
        if secret_in(s.as_bytes()).is_some() {
            "x".to_owned()
        } else {
            s
        }
    }
}

/// The session's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigInput {
    /// Every timeout, in units of 100 ms, in the order of [`Timeouts`]'
    /// fields; `None` for the defaults.
    pub timeouts: Option<[u16; 9]>,
    /// The guard time in ms.
    pub guard_ms: u8,
    /// [`Config::chunk_size`] (the session clamps it).
    pub chunk_size: u16,
    /// [`Config::probe_attempts`], modulo 6.
    pub probe_attempts: u8,
}

impl Default for ConfigInput {
    /// The session's defaults.
    fn default() -> Self {
        Self {
            timeouts: None,
            guard_ms: 20,
            chunk_size: 512,
            probe_attempts: 3,
        }
    }
}

impl ConfigInput {
    fn read(r: &mut Reader<'_, '_>) -> Self {
        let flags = r.u8();
        let timeouts = (flags & 1 == 1).then(|| std::array::from_fn(|_| r.u16()));
        Self {
            timeouts,
            guard_ms: r.u8(),
            chunk_size: r.u16(),
            probe_attempts: r.u8(),
        }
    }

    fn write(&self, w: &mut Writer) {
        w.u8(u8::from(self.timeouts.is_some()));
        for t in self.timeouts.iter().flatten() {
            w.u16(*t);
        }
        w.u8(self.guard_ms);
        w.u16(self.chunk_size);
        w.u8(self.probe_attempts);
    }

    fn config(&self) -> Config {
        let mut timeouts = Timeouts::default();
        if let Some(t) = self.timeouts {
            let d =
                |i: usize| Duration::from_millis(100 * u64::from(t.get(i).copied().unwrap_or(0)));
            timeouts = Timeouts {
                local: d(0),
                cfun: d(1),
                cgact: d(2),
                serv: d(3),
                directory: d(4),
                put_chunk: d(5),
                put_end: d(6),
                transfer_idle: d(7),
                quit: d(8),
                // Not in the record (seeds keep their meaning): the default.
                ..Timeouts::default()
            };
        }
        Config {
            timeouts,
            guard: Duration::from_millis(self.guard_ms.into()),
            // Into the range `Session::new` accepts (1 ..= MAX_PUT_DATA,
            // 1 or more attempts): a refused configuration runs nothing.
            chunk_size: usize::from(self.chunk_size).wrapping_sub(1)
                % cellftp_session::MAX_PUT_DATA
                + 1,
            probe_attempts: (self.probe_attempts % 6).max(1),
            ..Config::default()
        }
    }
}

/// One step of a session run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// [`Session::bring_up`]: probe, echo off, full functionality from
    /// bits 0-2 of `flags`; PDP context `pdp - 1`, none if `pdp` is 0.
    BringUp {
        /// The switches.
        flags: u8,
        /// The PDP context plus one.
        pdp: u8,
    },
    /// [`Session::configure`].
    Configure {
        /// From [`HOSTS`].
        server: Str,
        /// The port, sent only if bit 2 of `flags` is set (0 is refused).
        port: u16,
        /// Passive (bit 0), binary (bit 1), port (bit 2), path (bit 3).
        flags: u8,
        /// From [`USERS`].
        user: Str,
        /// Index into [`SECRETS`] (modulo its length).
        secret: u8,
        /// From [`PATHS`], used if bit 3 of `flags` is set.
        path: Str,
    },
    /// [`Session::put`] of a name from [`FILE_NAMES`].
    Put(Str),
    /// [`Session::get`] of a name from [`FILE_NAMES`] from an offset.
    Get(Str, u32),
    /// [`Session::list`] of a path from [`PATHS`], or of the current one.
    List(Option<Str>),
    /// [`Session::mkdir`] of a directory from [`DIRS`].
    Mkdir(Str),
    /// [`Session::rmdir`] of a directory from [`DIRS`].
    Rmdir(Str),
    /// [`Session::query_config`].
    QueryConfig,
    /// [`Session::quit`].
    Quit,
    /// Raw bytes from the modem, handed over in reads of `chunk` bytes
    /// (0: all at once).
    Modem {
        /// The read size.
        chunk: u8,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// An entry of [`CANNED`], in reads of `chunk` bytes.
    Canned {
        /// Index into [`CANNED`] (modulo its length).
        index: u8,
        /// The read size.
        chunk: u8,
    },
    /// What a modem would answer to the last command sent; `variant`
    /// picks success (with different payloads), `ERROR`, `+CME ERROR`, a
    /// command-specific failure, or echo and success.
    Answer {
        /// Which answer.
        variant: u8,
        /// The read size.
        chunk: u8,
    },
    /// The modem echoes the last command line sent (`ATE1`).
    Echo,
    /// The clock moves on by this many ms; [`Session::handle_timeout`].
    Advance(u32),
    /// The clock moves to [`Session::poll_timeout`]: exactly (0), one ms
    /// early (1), or `late` ms after it.
    ToDeadline(u8),
    /// [`Session::send_data`].
    SendData(Vec<u8>),
    /// [`Session::finish_put`].
    FinishPut,
    /// [`Session::cancel`] of the job queued `back` jobs ago (0: the last
    /// one queued).
    Cancel(u8),
    /// [`Session::raw`] of a line from [`RAW_LINES`] (modulo its length).
    Raw(u8),
}

/// The number of [`Op`] variants.
const OPS: u8 = 19;

impl Op {
    fn read(r: &mut Reader<'_, '_>) -> Self {
        match r.u8() % OPS {
            0 => Op::BringUp {
                flags: r.u8(),
                pdp: r.u8(),
            },
            1 => Op::Configure {
                server: Str::read(r),
                port: r.u16(),
                flags: r.u8(),
                user: Str::read(r),
                secret: r.u8(),
                path: Str::read(r),
            },
            2 => Op::Put(Str::read(r)),
            3 => Op::Get(Str::read(r), r.u32()),
            4 => Op::List((r.u8() & 1 == 1).then(|| Str::read(r))),
            5 => Op::Mkdir(Str::read(r)),
            6 => Op::Rmdir(Str::read(r)),
            7 => Op::QueryConfig,
            8 => Op::Quit,
            9 => Op::Modem {
                chunk: r.u8(),
                bytes: r.blob(3 * MIN_BUFFER),
            },
            10 => Op::Canned {
                index: r.u8(),
                chunk: r.u8(),
            },
            11 => Op::Answer {
                variant: r.u8(),
                chunk: r.u8(),
            },
            12 => Op::Echo,
            13 => Op::Advance(r.u32()),
            14 => Op::ToDeadline(r.u8()),
            15 => Op::SendData(r.blob(2 * MAX_PUT_DATA)),
            16 => Op::FinishPut,
            17 => Op::Cancel(r.u8()),
            _ => Op::Raw(r.u8()),
        }
    }

    fn write(&self, w: &mut Writer) {
        match self {
            Op::BringUp { flags, pdp } => {
                w.u8(0);
                w.u8(*flags);
                w.u8(*pdp);
            }
            Op::Configure {
                server,
                port,
                flags,
                user,
                secret,
                path,
            } => {
                w.u8(1);
                server.write(w);
                w.u16(*port);
                w.u8(*flags);
                user.write(w);
                w.u8(*secret);
                path.write(w);
            }
            Op::Put(name) => {
                w.u8(2);
                name.write(w);
            }
            Op::Get(name, offset) => {
                w.u8(3);
                name.write(w);
                w.u32(*offset);
            }
            Op::List(path) => {
                w.u8(4);
                w.u8(u8::from(path.is_some()));
                if let Some(p) = path {
                    p.write(w);
                }
            }
            Op::Mkdir(dir) => {
                w.u8(5);
                dir.write(w);
            }
            Op::Rmdir(dir) => {
                w.u8(6);
                dir.write(w);
            }
            Op::QueryConfig => w.u8(7),
            Op::Quit => w.u8(8),
            Op::Modem { chunk, bytes } => {
                w.u8(9);
                w.u8(*chunk);
                w.blob(bytes);
            }
            Op::Canned { index, chunk } => {
                w.u8(10);
                w.u8(*index);
                w.u8(*chunk);
            }
            Op::Answer { variant, chunk } => {
                w.u8(11);
                w.u8(*variant);
                w.u8(*chunk);
            }
            Op::Echo => w.u8(12),
            Op::Advance(ms) => {
                w.u8(13);
                w.u32(*ms);
            }
            Op::ToDeadline(late) => {
                w.u8(14);
                w.u8(*late);
            }
            Op::SendData(data) => {
                w.u8(15);
                w.blob(data);
            }
            Op::FinishPut => w.u8(16),
            Op::Cancel(back) => {
                w.u8(17);
                w.u8(*back);
            }
            Op::Raw(index) => {
                w.u8(18);
                w.u8(*index);
            }
        }
    }
}

/// The `session` target's input: the session's settings, then the steps.
///
/// Byte format (see `bytes.rs`): a flags byte (bit 0: nine `u16` timeouts
/// follow), guard, chunk size (`u16`), probe attempts, then operations until
/// the input ends, each a tag byte (modulo 19, in the order of [`Op`]'s
/// variants) and its fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionInput {
    /// The settings.
    pub config: ConfigInput,
    /// The steps.
    pub ops: Vec<Op>,
}

impl SessionInput {
    /// The input's bytes: what the fuzz target decodes into `self`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        self.config.write(&mut w);
        for op in &self.ops {
            op.write(&mut w);
        }
        w.out
    }
}

impl<'a> Arbitrary<'a> for SessionInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let mut r = Reader::new(u);
        let config = ConfigInput::read(&mut r);
        let mut ops = Vec::new();
        while !r.is_empty() {
            ops.push(Op::read(&mut r));
        }
        Ok(Self { config, ops })
    }

    fn arbitrary_take_rest(mut u: Unstructured<'a>) -> arbitrary::Result<Self> {
        Self::arbitrary(&mut u)
    }
}

/// What a queued job is, as far as the harness checks its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    BringUp,
    Configure,
    Put,
    Get(u32),
    List,
    Mkdir,
    Rmdir,
    QueryConfig,
    Quit,
    Raw,
}

/// What the harness saw of one job.
#[derive(Debug)]
struct JobLog {
    kind: Kind,
    done: u32,
    /// Get: bytes of `Data` events; list: `ListLine` events; query:
    /// `Config` events; raw: `RawLine` events; put: bytes accepted by
    /// `send_data`.
    count: u64,
    /// `cancel` accepted it: it must not succeed.
    cancelled: bool,
}

/// Everything the harness remembers between steps.
#[derive(Debug, Default)]
struct Tracker {
    jobs: BTreeMap<u32, JobLog>,
    /// Every job id handed out, in order.
    ids: Vec<JobId>,
    /// The put job that asked for data and has not been answered, and the
    /// largest chunk it takes.
    put_ready: Option<(JobId, usize)>,
    /// The last command line sent.
    last_tx: Vec<u8>,
    /// The download name last set (`AT+FTPGETNAME=<name>`), which a query
    /// of it gets back.
    get_name: Vec<u8>,
    /// The last bytes the modem sent, to keep secrets out across reads.
    rx_tail: Vec<u8>,
    /// What happened, if asked for (see [`session_log`]).
    log: Option<Vec<String>>,
    /// The command [`Tracker::last_tx`] sends, read when it was sent.
    last_command: Option<CommandName>,
    /// Reused for the `Debug` output of each event.
    event_debug: String,
}

/// The searchers for the [`SECRETS`] markers: for the few distinct 7-byte
/// prefixes of the markers (most start `S3cr3t-`), and for each marker.
struct Searchers {
    prefixes: Vec<Finder<'static>>,
    markers: Vec<(Finder<'static>, &'static SecretPassword)>,
}

/// The harness looks for the markers in every event, error, `Debug` output
/// and byte exchanged, which made the search most of the target's time: the
/// searchers are built once.
fn searchers() -> &'static Searchers {
    static ALL: [SecretPassword; SECRETS.len()] = SECRETS;
    static SEARCHERS: OnceLock<Searchers> = OnceLock::new();
    SEARCHERS.get_or_init(|| {
        let markers: Vec<&'static SecretPassword> =
            ALL.iter().filter(|s| !s.marker.is_empty()).collect();
        let mut prefixes: Vec<&'static [u8]> = markers
            .iter()
            .map(|s| s.marker.as_bytes())
            .map(|m| m.get(..7).unwrap_or(m))
            .collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        Searchers {
            prefixes: prefixes.into_iter().map(Finder::new).collect(),
            markers: markers
                .into_iter()
                .map(|s| (Finder::new(s.marker.as_bytes()), s))
                .collect(),
        }
    })
}

/// Whether `bytes` hold the start (first 7 bytes, or all of a shorter
/// one) of a [`SECRETS`] marker: no marker can occur in them otherwise.
fn marker_start_in(bytes: &[u8]) -> bool {
    searchers().prefixes.iter().any(|f| f.find(bytes).is_some())
}

/// The first [`SECRETS`] marker that occurs in `bytes`; the markers' starts
/// are looked for first.
fn secret_in(bytes: &[u8]) -> Option<&'static SecretPassword> {
    if !marker_start_in(bytes) {
        return None;
    }
    searchers()
        .markers
        .iter()
        .find(|(f, _)| f.find(bytes).is_some())
        .map(|(_, s)| *s)
}

fn assert_no_secret(what: &str, text: &str) {
    if let Some(s) = secret_in(text.as_bytes()) {
        panic!("{what} shows the password {:?}: {text}", s.marker);
    }
}

impl Tracker {
    fn queued(&mut self, result: Result<JobId, UsageError>, kind: Kind) {
        match result {
            Ok(id) => {
                let log = JobLog {
                    kind,
                    done: 0,
                    count: 0,
                    cancelled: false,
                };
                assert!(
                    self.jobs.insert(id.get(), log).is_none(),
                    "job id {id:?} handed out twice"
                );
                self.ids.push(id);
            }
            Err(e) => {
                assert_no_secret("a usage error", &format!("{e:?} / {e}"));
            }
        }
    }

    /// The log of a job that must be running, of `kind`.
    fn running(&mut self, job: JobId, what: &str, kind: fn(Kind) -> bool) -> &mut JobLog {
        let Some(log) = self.jobs.get_mut(&job.get()) else {
            panic!("{what} for job {job:?}, which was never queued");
        };
        assert_eq!(log.done, 0, "{what} for job {job:?} after its JobDone");
        assert!(
            kind(log.kind),
            "{what} for job {job:?}, a {:?} job",
            log.kind
        );
        log
    }

    fn on_event(&mut self, event: &Event<'_>) {
        let mut debug = std::mem::take(&mut self.event_debug);
        debug.clear();
        let _ = write!(debug, "{event:?}");
        assert_no_secret("an event", &debug);
        if let Some(log) = self.log.as_mut() {
            log.push(format!("event {debug}"));
        }
        self.event_debug = debug;
        match *event {
            Event::PutReady { job, max } => {
                self.running(job, "PutReady", |k| k == Kind::Put);
                assert!(
                    (1..=MAX_PUT_DATA).contains(&max),
                    "PutReady offers {max} bytes"
                );
                assert!(
                    self.put_ready.is_none(),
                    "PutReady for {job:?} while {:?} is unanswered",
                    self.put_ready
                );
                self.put_ready = Some((job, max));
            }
            Event::Data { job, offset, data } => {
                let log = self.running(job, "Data", |k| matches!(k, Kind::Get(_)));
                let start = match log.kind {
                    Kind::Get(o) => u64::from(o),
                    _ => 0,
                };
                assert_eq!(
                    offset,
                    start + log.count,
                    "Data for {job:?} at offset {offset}, expected {}",
                    start + log.count
                );
                log.count += data.len() as u64;
            }
            Event::ListLine { job, line, entry } => {
                self.running(job, "ListLine", |k| k == Kind::List).count += 1;
                if let Ok(e) = entry {
                    check_entry(&e, line);
                }
            }
            Event::Config { job, .. } => {
                self.running(job, "Config", |k| k == Kind::QueryConfig)
                    .count += 1;
            }
            Event::RawLine { job, .. } => {
                self.running(job, "RawLine", |k| k == Kind::Raw).count += 1;
            }
            Event::PutProgress { job, bytes } => {
                let log = self.running(job, "PutProgress", |k| k == Kind::Put);
                assert!(
                    bytes <= log.count,
                    "PutProgress of {bytes} bytes, {} given",
                    log.count
                );
            }
            Event::JobDone { job, result } => {
                let Some(log) = self.jobs.get_mut(&job.get()) else {
                    panic!("JobDone for job {job:?}, which was never queued");
                };
                log.done += 1;
                assert_eq!(log.done, 1, "a second JobDone for job {job:?}: {result:?}");
                assert!(
                    !(log.cancelled && result.is_ok()),
                    "job {job:?} succeeded after it was cancelled: {result:?}"
                );
                match result {
                    Ok(outcome) => check_outcome(log, outcome),
                    Err(e) => assert_no_secret("a job error", &format!("{e:?} / {e}")),
                }
                if self.put_ready.is_some_and(|(j, _)| j == job) {
                    self.put_ready = None;
                }
            }
            _ => {}
        }
    }

    fn on_transmit(&mut self, tx: &[u8]) {
        assert!(
            tx.len() <= MAX_COMMAND && tx.ends_with(b"\r") && tx.starts_with(b"AT"),
            "the session sends {tx:?}"
        );
        // Where a marker shows, every marker present must be the password
        // of the exact line that sends it.
        if secret_in(tx).is_some() {
            for s in SECRETS.iter().filter(|s| contains(tx, s.marker.as_bytes())) {
                let line = format!("AT+FTPPW={}\r", s.password);
                assert!(
                    s.valid && tx == line.as_bytes(),
                    "the session sends the password {:?} in {:?}",
                    s.marker,
                    String::from_utf8_lossy(tx)
                );
            }
        }
        let mut decoder = CommandDecoder::new();
        match decoder.decode(tx) {
            Decoded::Item {
                item: Request::Command(c),
                ..
            } => self.last_command = Some(c.name()),
            other => panic!("the session sends {tx:?}, which decodes as {other:?}"),
        }
        self.last_tx.clear();
        self.last_tx.extend_from_slice(tx);
        if let Some(name) = tx.strip_prefix(b"AT+FTPGETNAME=") {
            self.get_name = name.strip_suffix(b"\r").unwrap_or(name).to_vec();
        }
        if let Some(log) = self.log.as_mut() {
            log.push(format!("sent {:?}", String::from_utf8_lossy(tx)));
        }
    }
}

fn check_outcome(log: &JobLog, outcome: Outcome) {
    let ok = match (log.kind, outcome) {
        (Kind::BringUp, Outcome::BroughtUp)
        | (Kind::Configure, Outcome::Configured)
        | (Kind::Mkdir, Outcome::DirectoryCreated)
        | (Kind::Rmdir, Outcome::DirectoryRemoved)
        | (Kind::Quit, Outcome::Quit) => true,
        (Kind::Put, Outcome::Uploaded { bytes }) => bytes <= log.count,
        (Kind::Get(o), Outcome::Downloaded { offset, bytes }) => o == offset && bytes == log.count,
        (Kind::List, Outcome::Listed { entries, lines }) => {
            entries <= lines && u64::from(lines) == log.count
        }
        (Kind::QueryConfig, Outcome::ConfigReported { items }) => u64::from(items) == log.count,
        (Kind::Raw, Outcome::RawDone { lines }) => u64::from(lines) == log.count,
        _ => false,
    };
    assert!(
        ok,
        "{:?} job ends with {outcome:?}, but the harness counted {}",
        log.kind, log.count
    );
}

/// A deterministic payload of `n` bytes that looks like responses.
fn payload(n: usize) -> Vec<u8> {
    b"0123456789\r\nOK\r\n+FTPGET:1,x"
        .iter()
        .copied()
        .cycle()
        .take(n)
        .collect()
}

const LISTINGS: [&str; 3] = [
    "-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt",
    "total 8\r\ndrwxr-xr-x 2 ftp ftp 4096 Jan  1  2024 docs\r\n\
     lrwxrwxrwx 1 ftp ftp 6 Jan  1  2024 cur -> docs\r\n\
     09-30-24  01:52AM       <DIR>          win\r\n\
     09-30-24  01:53AM                  345 a b.txt\r\n\
     garbage line",
    "",
];

/// What a modem would answer to `command`, the line `sent`; `get_name` is
/// the download name last set, which its query gets back.
fn answer(command: Option<CommandName>, sent: &[u8], get_name: &[u8], variant: u8) -> Vec<u8> {
    let ok = b"\r\nOK\r\n".to_vec();
    let pick = usize::from(variant / 8);
    let success = |out: &mut Vec<u8>| match command {
        Some(CommandName::FtpServ) => out.extend_from_slice(b"\r\n+FTPSERV:0\r\n\r\nOK\r\n"),
        Some(CommandName::FtpGet) => {
            for &n in [[3usize].as_slice(), &[], &[2049], &[5000], &[1, 0, 7]]
                .get(pick % 5)
                .copied()
                .unwrap_or_default()
            {
                out.extend_from_slice(format!("\r\n+FTPGET:{n},").as_bytes());
                out.extend(payload(n));
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"\r\nOK\r\n");
        }
        Some(CommandName::FtpList) => {
            let l = LISTINGS.get(pick % LISTINGS.len()).copied().unwrap_or("");
            out.extend_from_slice(
                format!("\r\n+FTPLIST:1,{}\r\n{l}\r\n\r\nOK\r\n", l.len()).as_bytes(),
            );
        }
        Some(CommandName::FtpScon) => out.extend_from_slice(
            "\r\n+FTPSCON \u{ff1a}\r\nXXX\r\nmode:1 type:I\r\n\r\nOK\r\n".as_bytes(),
        ),
        Some(CommandName::FtpGetName) if sent.ends_with(b"?\r") => {
            out.extend_from_slice(b"\r\n+FTPGETNAME: ");
            out.extend_from_slice(get_name);
            out.extend_from_slice(b"\r\n\r\nOK\r\n");
        }
        Some(CommandName::Cfun) if pick % 2 == 1 => {
            out.extend_from_slice(b"\r\n+CFUN: 1\r\n\r\nOK\r\n");
        }
        _ => out.extend_from_slice(&ok),
    };
    let mut out = Vec::new();
    match variant % 8 {
        0..=3 => success(&mut out),
        4 => out.extend_from_slice(b"\r\nERROR\r\n"),
        5 => out.extend_from_slice(b"\r\n+CME ERROR: 3\r\n"),
        6 => out.extend_from_slice(match command {
            Some(CommandName::FtpServ) => b"\r\n+FTPSERV:3\r\n\r\nOK\r\n",
            Some(CommandName::FtpGet) => b"\r\n+FTPGET:10,abc\r\n\r\nOK\r\n",
            Some(CommandName::FtpList) => b"\r\n+FTPLIST:1,100\r\nabc\r\n\r\nOK\r\n",
            _ => b"\r\n+CMS ERROR: 500\r\n",
        }),
        _ => {
            // With echo on; a password line is not echoed, as the modem
            // never says a secret in this harness.
            if secret_in(sent).is_none() {
                out.extend_from_slice(sent);
            }
            success(&mut out);
        }
    }
    out
}

/// How many rounds of clock steps and `OK`s the final phase may take to
/// finish every job: a job sends at most 7 commands, bring-up retries `AT`
/// at most 5 times, and at most 9 jobs are left.
const FINAL_ROUNDS: u32 = 400;

/// The clock step of the final phase: longer than any timeout the input
/// can set.
const HOURS: u64 = 2 * 60 * 60 * 1000;

struct Harness {
    session: Session,
    now: u64,
    t: Tracker,
    /// The session's `Debug` output, written afresh by every check.
    debug: String,
}

impl Harness {
    fn instant(&self) -> Instant {
        Instant::from_millis(self.now)
    }

    /// Drains events, then transmits, until the session has nothing more
    /// to say; then checks what it looks like from outside.
    fn drive(&mut self) {
        let mut moved = false;
        for _ in 0..1000 {
            let mut events = 0u32;
            while let Some(event) = self.session.poll_event() {
                self.t.on_event(&event);
                events += 1;
                assert!(events < 100_000, "poll_event never returns None");
            }
            moved |= events > 0;
            let now = self.instant();
            let Some(tx) = self.session.poll_transmit(now) else {
                self.check_state(moved);
                return;
            };
            moved = true;
            self.t.on_transmit(tx);
        }
        panic!("the session keeps transmitting without input");
    }

    /// Checks the session from outside after a drive: its buffer is within
    /// bounds and it never waits for nothing, after every drive; its
    /// `Debug` output shows no secret ([`Harness::check_debug`]) after
    /// every drive in which something happened (an event or a transmit).
    fn check_state(&mut self, moved: bool) {
        let buffered = self.session.buffered();
        assert!(
            buffered <= RX_CAPACITY,
            "{buffered} bytes buffered: {:?}",
            self.session
        );
        assert!(
            buffered < MIN_BUFFER,
            "{buffered} bytes left buffered after poll_event returned None: {:?}",
            self.session
        );
        if moved {
            self.check_debug();
        }
        if !self.session.is_idle() && self.session.poll_timeout().is_none() {
            assert!(
                self.t.put_ready.is_some(),
                "jobs are pending but the session waits for nothing: {:?}",
                self.session
            );
        }
    }

    /// No secret in the session's `Debug` output. Checked after every drive
    /// in which something happened and at the end of the input: a drive in
    /// which nothing happened can change only counts in it (bytes
    /// buffered, jobs queued), and formatting it after every read of one
    /// byte was most of the target's time.
    fn check_debug(&mut self) {
        let mut debug = std::mem::take(&mut self.debug);
        debug.clear();
        let _ = write!(debug, "{:?}", self.session);
        assert_no_secret("the session's Debug output", &debug);
        self.debug = debug;
    }

    /// Hands the modem's bytes over in reads of `chunk` bytes.
    fn feed(&mut self, bytes: &[u8], chunk: u8) {
        let mut window = self.t.rx_tail.clone();
        window.extend_from_slice(bytes);
        // The modem never says a secret: any leak must be the session's.
        if secret_in(&window).is_some() {
            return;
        }
        let keep = window.len().saturating_sub(96);
        self.t.rx_tail = window.split_off(keep);
        let size = if chunk == 0 {
            bytes.len().max(1)
        } else {
            chunk.into()
        };
        for read in bytes.chunks(size) {
            let mut rest = read;
            while !rest.is_empty() {
                let n = self.session.handle_input(self.instant(), rest);
                assert!(
                    n > 0,
                    "handle_input takes nothing after poll_event returned None: {:?}",
                    self.session
                );
                rest = rest.get(n..).unwrap_or_default();
                self.drive();
            }
        }
    }

    fn answered_put(&mut self, what: &str, ok: bool) {
        assert_eq!(
            ok,
            self.t.put_ready.is_some(),
            "{what} {} while the harness thinks a put waits for data: {:?}",
            if ok { "succeeds" } else { "fails" },
            self.t.put_ready
        );
        self.t.put_ready = None;
    }

    fn step(&mut self, op: &Op) {
        match op {
            Op::BringUp { flags, pdp } => {
                let options = BringUp {
                    probe: flags & 1 != 0,
                    echo_off: flags & 2 != 0,
                    full_functionality: flags & 4 != 0,
                    pdp_context: pdp.checked_sub(1),
                };
                let r = self.session.bring_up(options);
                self.t.queued(r, Kind::BringUp);
            }
            Op::Configure {
                server,
                port,
                flags,
                user,
                secret,
                path,
            } => {
                let server = server.resolve(HOSTS);
                let user = user.resolve(USERS);
                let path = path.resolve(PATHS);
                let password = SECRETS
                    .get(usize::from(*secret) % SECRETS.len())
                    .map_or("", |s| s.password);
                let ftp = FtpConfig {
                    server: &server,
                    port: (flags & 4 != 0).then_some(*port),
                    mode: if flags & 1 != 0 {
                        Mode::Passive
                    } else {
                        Mode::Active
                    },
                    transfer_type: if flags & 2 != 0 {
                        TransferType::Binary
                    } else {
                        TransferType::Ascii
                    },
                    user: &user,
                    password,
                    path: (flags & 8 != 0).then_some(path.as_str()),
                };
                assert_no_secret("FtpConfig's Debug output", &format!("{ftp:?}"));
                let r = self.session.configure(&ftp);
                self.t.queued(r, Kind::Configure);
            }
            Op::Put(name) => {
                let r = self.session.put(&name.resolve(FILE_NAMES));
                self.t.queued(r, Kind::Put);
            }
            Op::Get(name, offset) => {
                let r = self.session.get(&name.resolve(FILE_NAMES), *offset);
                self.t.queued(r, Kind::Get(*offset));
            }
            Op::List(path) => {
                let path = path.as_ref().map(|p| p.resolve(PATHS));
                let r = self.session.list(path.as_deref());
                self.t.queued(r, Kind::List);
            }
            Op::Mkdir(dir) => {
                let r = self.session.mkdir(&dir.resolve(DIRS));
                self.t.queued(r, Kind::Mkdir);
            }
            Op::Rmdir(dir) => {
                let r = self.session.rmdir(&dir.resolve(DIRS));
                self.t.queued(r, Kind::Rmdir);
            }
            Op::QueryConfig => {
                let r = self.session.query_config();
                self.t.queued(r, Kind::QueryConfig);
            }
            Op::Quit => {
                let r = self.session.quit();
                self.t.queued(r, Kind::Quit);
            }
            Op::Modem { chunk, bytes } => {
                self.feed(bytes, *chunk);
                return;
            }
            Op::Canned { index, chunk } => {
                let bytes = CANNED
                    .get(usize::from(*index) % CANNED.len())
                    .copied()
                    .unwrap_or_default();
                self.feed(bytes, *chunk);
                return;
            }
            Op::Answer { variant, chunk } => {
                let bytes = answer(
                    self.t.last_command,
                    &self.t.last_tx,
                    &self.t.get_name,
                    *variant,
                );
                self.feed(&bytes, *chunk);
                return;
            }
            Op::Echo => {
                let line = self.t.last_tx.clone();
                self.feed(&line, 0);
                return;
            }
            Op::Advance(ms) => {
                self.now = self.now.saturating_add(u64::from(*ms));
                self.session.handle_timeout(self.instant());
            }
            Op::ToDeadline(late) => {
                if let Some(t) = self.session.poll_timeout() {
                    let t = t.as_millis();
                    let to = match late {
                        0 => t,
                        1 => t.saturating_sub(1),
                        l => t.saturating_add(u64::from(*l)),
                    };
                    self.now = self.now.max(to);
                }
                self.session.handle_timeout(self.instant());
            }
            Op::SendData(data) => {
                if secret_in(data).is_some() {
                    return;
                }
                let r = self.session.send_data(data);
                match r {
                    Err(UsageError::EmptyData) if data.is_empty() => {}
                    Ok(n) => {
                        let Some((job, max)) = self.t.put_ready else {
                            panic!("send_data succeeds while no put waits for data");
                        };
                        assert_eq!(n, data.len().min(max), "send_data takes {n} bytes");
                        if let Some(log) = self.t.jobs.get_mut(&job.get()) {
                            log.count += n as u64;
                        }
                        self.answered_put("send_data", true);
                    }
                    Err(e) => {
                        assert_no_secret("a usage error", &format!("{e:?} / {e}"));
                        self.answered_put("send_data", false);
                    }
                }
            }
            Op::FinishPut => {
                let ok = self.session.finish_put().is_ok();
                self.answered_put("finish_put", ok);
            }
            Op::Cancel(back) => {
                let Some(&job) = self.t.ids.iter().rev().nth(usize::from(*back) % 4) else {
                    return;
                };
                match self.session.cancel(job) {
                    Ok(()) => {
                        if let Some(log) = self.t.jobs.get_mut(&job.get()) {
                            assert_eq!(log.done, 0, "cancel accepted for {job:?}, which ended");
                            log.cancelled = true;
                        }
                        // A put waiting for data waits no more.
                        if self.t.put_ready.is_some_and(|(j, _)| j == job) {
                            self.t.put_ready = None;
                        }
                    }
                    Err(e) => assert_eq!(e, UsageError::UnknownJob, "cancel of {job:?}"),
                }
            }
            Op::Raw(index) => {
                let line = RAW_LINES
                    .get(usize::from(*index) % RAW_LINES.len())
                    .copied()
                    .unwrap_or_default();
                let r = self.session.raw(line);
                if line.to_ascii_uppercase().contains("FTPPW") {
                    assert_eq!(r, Err(UsageError::RawPassword), "raw {line:?}");
                }
                self.t.queued(r, Kind::Raw);
            }
        }
        self.drive();
    }

    /// Lets the clock run and the modem say `OK` (or nothing) until every
    /// job has ended.
    fn finish(&mut self) {
        for round in 0..FINAL_ROUNDS {
            if self.t.jobs.values().all(|j| j.done == 1) && self.session.is_idle() {
                return;
            }
            if self.t.put_ready.is_some() {
                let ok = self.session.finish_put().is_ok();
                self.answered_put("finish_put", ok);
                self.drive();
            }
            self.now = self.now.saturating_add(HOURS);
            self.session.handle_timeout(self.instant());
            self.drive();
            if round % 4 != 3 {
                self.feed(b"\r\nOK\r\n", 0);
            }
        }
        let mut pending = String::new();
        for (id, log) in self.t.jobs.iter().filter(|(_, j)| j.done != 1) {
            let _ = write!(pending, " {id} ({:?}, {} JobDone)", log.kind, log.done);
        }
        panic!(
            "after {FINAL_ROUNDS} rounds of clock steps and OKs, jobs without exactly one \
             JobDone:{pending}; session {:?}",
            self.session
        );
    }
}

/// The `session` target: applies the input's operations to a [`Session`],
/// driving it after each one in the documented order (events until `None`,
/// then transmits until `None`, then `poll_timeout`), then lets the clock
/// run with `OK`s until every job has ended.
///
/// Checked throughout: no panic; at most [`RX_CAPACITY`] bytes buffered, and
/// fewer than [`MIN_BUFFER`] once events are drained; no stall (pending jobs
/// always have a deadline unless a put waits for data); events belong to
/// running jobs of the right kind, with contiguous download offsets and
/// outcomes that match them; exactly one `JobDone` per queued job; and no
/// [`SECRETS`] marker in the `Debug` output of any event, error or
/// [`FtpConfig`], nor in the session's after every drive in which something
/// happened and at the end (between those only its counts change), nor in
/// any byte sent other than the line
/// `AT+FTPPW=<password>\r` itself, nor in the trace hook's lines; a
/// cancelled job never succeeds, and `raw` refuses `AT+FTPPW`.
pub fn session(input: SessionInput) {
    run(&input, false);
}

/// Runs the [`session`] harness and returns what happened: one line per
/// operation (`op …`), command sent (`sent …`) and event (`event …`), with
/// the final phase after a `finish` line. For reading a crash, and for
/// checking that seeds do what they are meant to.
pub fn session_log(input: &SessionInput) -> Vec<String> {
    run(input, true)
}

/// The trace hook: no line it is given shows a password, neither in its
/// shown segments nor in its `Display` text.
///
/// The segments of every line are walked and searched for the start of a
/// marker; only a line where one shows is formatted and searched in full.
/// That loses nothing: the `Display` text is the direction, then each
/// shown segment with its bytes escaped (`\r`, `\xe9`: a backslash and
/// then `t`, `r`, `n`, a quote, or `x` and lowercase hex digits) and each
/// hidden value as `<redacted>`. No marker contains a backslash, a quote,
/// `<` or `>`, nor starts with a character an escape writes after its
/// backslash, so a marker in the text lies within one shown segment's
/// unescaped bytes, and that segment holds the marker's start.
/// Formatting every line was a fifth of the target's time.
fn check_trace(direction: Direction, line: TraceLine<'_>) {
    let mut marker_start = false;
    for segment in line.segments() {
        if let Segment::Shown(bytes) = segment {
            marker_start |= marker_start_in(bytes);
        }
    }
    if !marker_start {
        return;
    }
    let shown = format!("{direction} {line}");
    assert_no_secret("the trace", &shown);
    for segment in line.segments() {
        if let Segment::Shown(bytes) = segment {
            for s in SECRETS.iter().filter(|s| !s.marker.is_empty()) {
                assert!(
                    !contains(bytes, s.marker.as_bytes()),
                    "the trace shows the password {:?}",
                    s.marker
                );
            }
        }
    }
}

fn run(input: &SessionInput, log: bool) -> Vec<String> {
    // A configuration out of range is refused, and nothing runs.
    let Ok(mut session) = Session::new(input.config.config()) else {
        return Vec::new();
    };
    session.set_trace(Some(check_trace));
    let mut h = Harness {
        session,
        now: 0,
        t: Tracker {
            log: log.then(Vec::new),
            ..Tracker::default()
        },
        debug: String::new(),
    };
    h.drive();
    for op in &input.ops {
        if let Some(log) = h.t.log.as_mut() {
            log.push(format!("op {op:?} at {} ms", h.now));
        }
        h.step(op);
    }
    if let Some(log) = h.t.log.as_mut() {
        log.push("finish".to_owned());
    }
    h.finish();
    h.check_debug();
    h.t.log.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{marker_start_in, secret_in, SECRETS};

    #[test]
    fn every_marker_is_found_and_nothing_else() {
        for s in SECRETS {
            let text = format!("xx {} yy", s.password);
            let found = secret_in(text.as_bytes()).map(|f| f.marker);
            assert!(
                found.is_some_and(|m| s.password.contains(m)),
                "{s:?}: {found:?}"
            );
            let cut = s.marker.get(..s.marker.len() - 1).unwrap_or_default();
            assert_eq!(secret_in(cut.as_bytes()).map(|f| f.marker), None);
        }
        assert!(secret_in(b"Session { link: Down, buffered: 0 }").is_none());
    }

    /// What `check_trace` relies on to search only lines whose shown
    /// segments hold a marker's start.
    #[test]
    fn no_marker_can_be_made_by_escapes_or_redaction() {
        for s in SECRETS {
            assert!(!s.marker.contains(['\\', '"', '\'', '<', '>']), "{s:?}");
            let first = s.marker.chars().next().unwrap_or('x');
            assert!(!"trnx0123456789abcdef".contains(first), "{s:?}");
            assert!(marker_start_in(s.marker.as_bytes()), "{s:?}");
        }
    }
}
