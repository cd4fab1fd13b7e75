//! `cargo xtask record [DIR]`: runs scripted scenarios against the modem
//! simulator in front of the embedded FTP server, faults included, with the
//! host side driven by `cellftp-session`'s blocking driver, and writes each
//! exchange as a transcript (`sim-<scenario>.cftx`, in `transcripts/` by
//! default). Every transcript written is replayed at once and must replay
//! clean; `cargo xtask replay` replays them with the rest of the corpus.
//!
//! The session runs with its default configuration, as the replay does, so
//! that the recorded bytes are the ones a replay expects.
//!
//! The SIMCom scenarios (`sim-simcom-<scenario>.cftx`, `! dialect simcom`)
//! run the same way against the simulator's `SimcomModem`, the host side
//! being `cellftp_session::simcom::Session` on the same blocking driver.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use std::collections::VecDeque;

use cellftp_replay::{replay, Dialect, JobSpec, Record, SimcomJob, Transcript};
use cellftp_session::driver::blocking::Blocking;
use cellftp_session::driver::blocking::ReadTimeout;
use cellftp_session::driver::{Control, Drive, Handler};
use cellftp_session::proto::simcom::PutOpt;
use cellftp_session::simcom::{Event as SimcomEvent, Session as Simcom};
use cellftp_session::{BringUp, Event, JobId, Mode, Session, TransferType, UsageError};
use cellftp_sim::{
    Dialect as SimDialect, EmbeddedServer, ModemConfig, PtyPort, PtyServer, SimConfig, Simulator,
};

/// A port that records what crosses it. A silence of [`GAP`] or more
/// (a late answer, a timeout) is written as a `@ <ms>` record before the
/// bytes after it, and at the end, so that a replay's clock passes the
/// session's deadlines where the recording's did.
struct Recorder<P> {
    port: P,
    records: Vec<Record>,
    /// The recording's clock starts before the session's, so that no
    /// recorded time is earlier than the session's own.
    origin: Instant,
    /// When bytes last crossed.
    last: Instant,
}

/// The shortest silence written as a time record: longer than any guard
/// time and shorter than any timeout.
const GAP: Duration = Duration::from_millis(500);

impl<P> Recorder<P> {
    fn new(port: P) -> Self {
        let now = Instant::now();
        Self {
            port,
            records: Vec::new(),
            origin: now,
            last: now,
        }
    }

    /// Writes a time record if bytes have not crossed for [`GAP`]; true
    /// if it did (the next bytes start a new record).
    fn stamp(&mut self) -> bool {
        let now = Instant::now();
        if now.duration_since(self.last) < GAP {
            return false;
        }
        // Rounded up: a deadline the session saw pass has passed at the
        // recorded time too.
        let ms = now.duration_since(self.origin).as_micros().div_ceil(1000);
        self.records
            .push(Record::Time(u64::try_from(ms).unwrap_or(u64::MAX)));
        true
    }

    /// The records, with the time of the end if it came after a silence.
    fn finish(mut self) -> Vec<Record> {
        self.stamp();
        self.records
    }
}

impl<P: Read> Read for Recorder<P> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.port.read(buf)?;
        let got = buf.get(..n).unwrap_or_default();
        if n == 0 {
            return Ok(0);
        }
        let stamped = self.stamp();
        self.last = Instant::now();
        match self.records.last_mut() {
            Some(Record::Received(r)) if !stamped => r.extend_from_slice(got),
            _ => self.records.push(Record::Received(got.to_vec())),
        }
        Ok(n)
    }
}

impl<P: ReadTimeout> ReadTimeout for Recorder<P> {
    fn set_read_timeout(&mut self, timeout: std::time::Duration) -> io::Result<()> {
        self.port.set_read_timeout(timeout)
    }
}

impl<P: Write> Write for Recorder<P> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let stamped = self.stamp();
        let n = self.port.write(buf)?;
        self.last = Instant::now();
        let sent = buf.get(..n).unwrap_or_default();
        match self.records.last_mut() {
            Some(Record::Sent(s)) if !stamped => s.extend_from_slice(sent),
            _ => self.records.push(Record::Sent(sent.to_vec())),
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.port.flush()
    }
}

/// A dialect as the recorder runs it: its session, its jobs, how the
/// simulator and the transcript name it.
trait Recorded: Drive + Default {
    /// A job of the dialect, as a scenario lists it.
    type Job: Clone;
    /// The simulator's modem for the dialect.
    const SIM: SimDialect;
    /// The transcript's `! dialect` line, if the dialect needs one.
    const DECLARED: Option<Dialect>;
    /// Queues `job`; `None` when it is the other dialect's.
    fn queue(&mut self, job: &Self::Job) -> Option<Result<JobId, UsageError>>;
    /// The data a put job uploads.
    fn upload(job: &Self::Job) -> Option<&[u8]>;
    /// `job` as a transcript's `!` line holds it.
    fn spec(job: Self::Job) -> JobSpec;
    /// The job `event` ended, and its result as a transcript's `=` line has it.
    fn done(event: &Self::Event<'_>) -> Option<(JobId, String)>;
}

impl Recorded for Session {
    type Job = JobSpec;
    const SIM: SimDialect = SimDialect::Manual;
    const DECLARED: Option<Dialect> = None;

    fn queue(&mut self, job: &JobSpec) -> Option<Result<JobId, UsageError>> {
        job.queue_on(self)
    }

    fn upload(job: &JobSpec) -> Option<&[u8]> {
        job.upload()
    }

    fn spec(job: JobSpec) -> JobSpec {
        job
    }

    fn done(event: &Event<'_>) -> Option<(JobId, String)> {
        match event {
            Event::JobDone { job, result } => Some((*job, format!("{result:?}"))),
            _ => None,
        }
    }
}

impl Recorded for Simcom {
    type Job = SimcomJob;
    const SIM: SimDialect = SimDialect::Simcom;
    const DECLARED: Option<Dialect> = Some(Dialect::Simcom);

    fn queue(&mut self, job: &SimcomJob) -> Option<Result<JobId, UsageError>> {
        Some(job.queue_on(self))
    }

    fn upload(job: &SimcomJob) -> Option<&[u8]> {
        job.upload()
    }

    fn spec(job: SimcomJob) -> JobSpec {
        JobSpec::Simcom(job)
    }

    fn done(event: &SimcomEvent<'_>) -> Option<(JobId, String)> {
        match event {
            SimcomEvent::JobDone { job, result } => Some((*job, format!("{result:?}"))),
            _ => None,
        }
    }
}

/// The caller's side: the jobs not queued yet (the session's queue is
/// bounded), the files to upload, the results.
struct Host<'s, J> {
    waiting: VecDeque<(usize, &'s J)>,
    /// Session job → scenario job index.
    ids: Vec<(JobId, usize)>,
    uploads: Vec<(JobId, &'s [u8], usize)>,
    results: Vec<Option<String>>,
    /// Why the run was stopped, if it was.
    error: Option<String>,
}

impl<'s, J> Host<'s, J> {
    fn new(jobs: &'s [J]) -> Self {
        Self {
            waiting: jobs.iter().enumerate().collect(),
            ids: Vec::new(),
            uploads: Vec::new(),
            results: vec![None; jobs.len()],
            error: None,
        }
    }

    /// Queues the waiting jobs while the session has room; false (and
    /// `error` set) if it refused one.
    fn queue_waiting<S: Recorded<Job = J>>(
        &mut self,
        mut queue: impl FnMut(&J) -> Option<Result<JobId, UsageError>>,
    ) -> bool {
        while let Some(&(index, job)) = self.waiting.front() {
            match queue(job) {
                Some(Ok(id)) => {
                    self.ids.push((id, index));
                    if let Some(data) = S::upload(job) {
                        self.uploads.push((id, data, 0));
                    }
                }
                Some(Err(UsageError::QueueFull)) => return true,
                Some(Err(e)) => {
                    self.error = Some(format!("job {index}: {e}"));
                    return false;
                }
                None => {
                    self.error = Some(format!("job {index} is the other dialect's"));
                    return false;
                }
            }
            self.waiting.pop_front();
        }
        true
    }
}

impl<S: Recorded> Handler<S> for Host<'_, S::Job> {
    fn event(&mut self, event: &S::Event<'_>) {
        let Some((job, result)) = S::done(event) else {
            return;
        };
        let index = self.ids.iter().find(|(id, _)| *id == job).map(|(_, i)| *i);
        if let Some(slot) = index.and_then(|i| self.results.get_mut(i)) {
            *slot = Some(result);
        }
    }

    fn fill(&mut self, job: JobId, buf: &mut [u8]) -> usize {
        let Some((_, data, at)) = self.uploads.iter_mut().find(|(j, ..)| *j == job) else {
            return 0;
        };
        let n = buf.len().min(data.len().saturating_sub(*at));
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), data.get(*at..*at + n)) {
            dst.copy_from_slice(src);
        }
        *at += n;
        n
    }

    fn control(&mut self, control: &mut Control<'_, S>) {
        if !self.queue_waiting::<S>(|job| {
            let mut queued = None;
            let _ = control.queue(|s| {
                queued = s.queue(job);
                queued.unwrap_or(Err(UsageError::QueueFull))
            });
            queued
        }) {
            control.stop();
        }
    }
}

/// One scenario: its name, what it shows, its faults and its jobs (of
/// either dialect, `J`).
struct Scenario<J> {
    name: &'static str,
    about: &'static str,
    /// The simulator's fault spec (`cellftp_sim::Faults`).
    faults: &'static str,
    /// Files put on the server before the run.
    files: Vec<(&'static str, Vec<u8>)>,
    jobs: Vec<J>,
}

fn scenarios(port: u16) -> Vec<Scenario<JobSpec>> {
    let configure = JobSpec::Configure {
        server: "127.0.0.1".into(),
        port: Some(port),
        mode: Mode::Passive,
        transfer_type: TransferType::Binary,
        user: "anonymous".into(),
        password: "sim@example.com".into(),
        path: None,
    };
    let setup = |more: Vec<JobSpec>| {
        let mut v = vec![JobSpec::BringUp(BringUp::default()), configure.clone()];
        v.extend(more);
        v
    };
    let binary: Vec<u8> = b"\r\nOK\r\n\0\x1a+FTPGET:3,\r\nERROR\r\n"
        .iter()
        .copied()
        .cycle()
        .take(1500)
        .collect();
    vec![
        Scenario {
            name: "session",
            about: "The simulator in front of a real FTP server: bring-up, configure, put, get, mkdir, rmdir, the configuration, quit.",
            faults: "",
            files: Vec::new(),
            jobs: setup(vec![
                JobSpec::Put { name: "12.txt".into(), data: b"12345".to_vec() },
                JobSpec::Get { name: "12.txt".into(), offset: 2 },
                JobSpec::Mkdir("invoker".into()),
                JobSpec::Rmdir("invoker".into()),
                JobSpec::QueryConfig,
                JobSpec::Quit,
            ]),
        },
        Scenario {
            name: "binary",
            about: "A file holding line ends, OK, NUL and 0x1A goes up in chunks and comes back the same.",
            faults: "",
            files: Vec::new(),
            jobs: setup(vec![
                JobSpec::Put { name: "bin.dat".into(), data: binary },
                JobSpec::Get { name: "bin.dat".into(), offset: 0 },
            ]),
        },
        Scenario {
            name: "resume-after-drop",
            about: "The data connection drops after 700 bytes of a get: the get fails with the bytes before the drop, and a get resumed there completes the file.",
            faults: "drop-data=700",
            files: vec![("r.dat", (0..2000u32).map(|i| (i * 7) as u8).collect())],
            jobs: setup(vec![
                JobSpec::Get { name: "r.dat".into(), offset: 0 },
                JobSpec::Get { name: "r.dat".into(), offset: 700 },
            ]),
        },
        Scenario {
            name: "unsolicited",
            about: "Unsolicited +CPIN and +CGEV lines between responses and between the lines of one change nothing.",
            faults: "seed=5,urc=0.5",
            files: Vec::new(),
            jobs: setup(vec![
                JobSpec::Put { name: "u.txt".into(), data: b"hello".repeat(300) },
                JobSpec::Get { name: "u.txt".into(), offset: 0 },
            ]),
        },
        Scenario {
            name: "error-answers",
            about: "The modem answers ERROR to a mkdir and +CME ERROR: 100 to the next: both jobs fail with that answer.",
            faults: "error=FTPMKD#1,cme=FTPMKD#2:100",
            files: Vec::new(),
            jobs: setup(vec![JobSpec::Mkdir("a".into()), JobSpec::Mkdir("b".into())]),
        },
        Scenario {
            name: "restart-mid-upload",
            about: "The modem restarts (RDY, +CFUN: 1, +CPIN: READY) on the second chunk of an upload: the job fails and the next one needs a configure.",
            faults: "restart=FTPPUT#2",
            files: Vec::new(),
            jobs: setup(vec![
                JobSpec::Put { name: "big.dat".into(), data: vec![b'x'; 1500] },
                JobSpec::Put { name: "next.dat".into(), data: b"x".to_vec() },
            ]),
        },
        Scenario {
            name: "late",
            about: "The modem answers a mkdir 1.5 s late, well within its 30 s timeout: the session waits, the job succeeds and the next goes on.",
            faults: "late=FTPMKD#1:1500",
            files: Vec::new(),
            jobs: setup(vec![JobSpec::Mkdir("slow".into()), JobSpec::Rmdir("slow".into())]),
        },
        Scenario {
            name: "late-after-timeout",
            about: "The modem answers a get's AT+FTPGETNAME after 6.5 s, past its 5 s timeout: the job fails; the next job's resynchronising probe waits for the modem, which sends the stale OK first, and the get then succeeds.",
            faults: "late=FTPGETNAME#1:6500",
            files: vec![("late.txt", b"late but whole".to_vec())],
            jobs: setup(vec![
                JobSpec::Get { name: "late.txt".into(), offset: 0 },
                JobSpec::Get { name: "late.txt".into(), offset: 0 },
            ]),
        },
        Scenario {
            name: "never",
            about: "The modem never answers a get's AT+FTPGETNAME: the job times out after 5 s; the next job resynchronises first and succeeds.",
            faults: "never=FTPGETNAME#1",
            files: vec![("never.txt", b"answered at last".to_vec())],
            jobs: setup(vec![
                JobSpec::Get { name: "never.txt".into(), offset: 0 },
                JobSpec::Get { name: "never.txt".into(), offset: 0 },
            ]),
        },
        Scenario {
            name: "corrupt-payload",
            about: "The link corrupts bytes at a rate of 1/200 from the answer to AT+FTPGET on: here they all fall in the file's data, and the get ends OK with 1500 bytes of which some are wrong. The protocol has no checksum: a host that must know its file is intact compares one of its own.",
            faults: "seed=1,corrupt=0.005,bytes-from=FTPGET",
            files: vec![("c.dat", (0..1500u32).map(|i| b"0123456789abcdef"[(i % 16) as usize]).collect())],
            jobs: setup(vec![JobSpec::Get { name: "c.dat".into(), offset: 0 }]),
        },
        Scenario {
            name: "broken-upload",
            about: "The data connection of an upload drops after 600 bytes: the chunk is refused, the upload is closed and the job fails, never a silently short file.",
            faults: "drop-data=600",
            files: Vec::new(),
            jobs: setup(vec![JobSpec::Put { name: "cut.dat".into(), data: vec![b'y'; 1500] }]),
        },
    ]
}

/// Runs a scenario through the simulator's modem of dialect `S`, the host
/// side on the blocking driver; the transcript of it.
fn record<S: Recorded>(scenario: &Scenario<S::Job>, dir: &Path) -> Result<Transcript, String> {
    let fail = |e: String| format!("{}: {e}", scenario.name);
    let sim = Simulator::new(SimConfig {
        dialect: S::SIM,
        modem: ModemConfig {
            faults: scenario.faults.parse().map_err(|e| fail(format!("{e}")))?,
            ..ModemConfig::default()
        },
        ..SimConfig::default()
    });
    for (name, data) in &scenario.files {
        std::fs::write(dir.join(name), data).map_err(|e| format!("{name}: {e}"))?;
    }
    let pty = PtyServer::start(sim, None).map_err(|e| format!("pseudo-terminal: {e}"))?;
    let port = PtyPort::open(pty.path(), Duration::from_millis(10)).map_err(|e| e.to_string())?;
    let mut driver = Blocking::new(Recorder::new(port), S::default());
    let mut host = Host::new(&scenario.jobs);
    let session = driver.session();
    if host.queue_waiting::<S>(|job| session.queue(job)) {
        driver.run(&mut host).map_err(|e| fail(e.to_string()))?;
    }
    if let Some(e) = host.error {
        return Err(fail(e));
    }
    let (recorder, _) = driver.into_parts();
    let _ = pty.stop();
    let against = match S::DECLARED {
        Some(dialect) => format!("cellftp-sim --dialect {dialect}"),
        None => "cellftp-sim".to_owned(),
    };
    let faults = match scenario.faults {
        "" => "none",
        faults => faults,
    };
    let mut records = vec![
        Record::Comment(scenario.about.to_owned()),
        Record::Comment(format!(
            "Recorded by `cargo xtask record` against {against} (faults: {faults})."
        )),
    ];
    records.extend(S::DECLARED.map(Record::Dialect));
    records.extend(
        scenario
            .jobs
            .iter()
            .cloned()
            .map(|j| Record::Job(S::spec(j))),
    );
    records.extend(recorder.finish());
    for (i, result) in host.results.into_iter().enumerate() {
        let result = result.ok_or_else(|| fail(format!("job {i} never ended")))?;
        records.push(Record::Expect {
            job: i as u32,
            result,
        });
    }
    Ok(Transcript { records })
}

fn simcom_scenarios(port: u16) -> Vec<Scenario<SimcomJob>> {
    let setup = |more: Vec<SimcomJob>| {
        let mut v = vec![
            SimcomJob::BringUp {
                apn: "internet".into(),
                user: None,
                password: None,
            },
            SimcomJob::Configure {
                server: "127.0.0.1".into(),
                port,
                mode: Mode::Passive,
                user: "anonymous".into(),
                password: "sim@example.com".into(),
            },
        ];
        v.extend(more);
        v
    };
    let mut blob = b"\r\nOK\r\n\0+FTPGET: 1,0\r\n+FTPPUT: 2,10\r\nAT+FTPPW=\"x\"\r".to_vec();
    blob.extend((0..=255u8).cycle().take(3000));
    let root = || "/".to_owned();
    vec![
        Scenario {
            name: "simcom-transfer",
            about: "The SIMCom dialect against the simulator and a real FTP server: a binary file larger than one <maxlength> goes up in chunks, comes back whole and resumed from byte 1700, and its size is asked.",
            faults: "",
            files: Vec::new(),
            jobs: setup(vec![
                SimcomJob::Put { dir: root(), name: "blob.bin".into(), opt: PutOpt::Stor, data: blob },
                SimcomJob::Get { dir: root(), name: "blob.bin".into(), offset: 0 },
                SimcomJob::Get { dir: root(), name: "blob.bin".into(), offset: 1700 },
                SimcomJob::Size { dir: root(), name: "blob.bin".into() },
                SimcomJob::Quit,
            ]),
        },
        Scenario {
            name: "simcom-files",
            about: "The SIMCom dialect's other operations: list, delete, a get of the deleted file failing with error 77, mkdir and rmdir.",
            faults: "",
            files: vec![("notes.txt", b"twelve bytes".to_vec())],
            jobs: setup(vec![
                SimcomJob::List(root()),
                SimcomJob::Delete { dir: root(), name: "notes.txt".into() },
                SimcomJob::Get { dir: root(), name: "notes.txt".into(), offset: 0 },
                SimcomJob::Mkdir("/logs".into()),
                SimcomJob::Rmdir("/logs".into()),
                SimcomJob::Quit,
            ]),
        },
        Scenario {
            name: "simcom-error-codes",
            about: "Every error code of SPEC-simcom 7, each ending one operation's URC (+FTPGET: 1,<e>, +FTPLIST: 1,<e>, +FTPPUT: 1,<e>, +FTPMKD: 1,<e>, +FTPRMD: 1,<e>, +FTPDELE: 1,<e>, +FTPSIZE: 1,<e>,0): each job fails with its code's meaning, the session asks AT+FTPSTATE after it, and the next job goes on.",
            faults: SIMCOM_ERROR_FAULTS,
            files: vec![("e.txt", b"error codes".to_vec())],
            jobs: setup({
                let get = || SimcomJob::Get { dir: root(), name: "e.txt".into(), offset: 0 };
                let mut v: Vec<SimcomJob> = (0..12).map(|_| get()).collect();
                v.extend([
                    SimcomJob::List(root()),
                    SimcomJob::Put { dir: root(), name: "up.txt".into(), opt: PutOpt::Stor, data: b"x".to_vec() },
                    SimcomJob::Mkdir("/m".into()),
                    SimcomJob::Rmdir("/r".into()),
                    SimcomJob::Delete { dir: root(), name: "e.txt".into() },
                    SimcomJob::Size { dir: root(), name: "e.txt".into() },
                    SimcomJob::Quit,
                ]);
                v
            }),
        },
    ]
}

/// The faults of the `simcom-error-codes` scenario: each of the 18 codes of
/// `SPEC-simcom.md` §7 once, as the error URC of one operation.
const SIMCOM_ERROR_FAULTS: &str =
    "cme=FTPGET#1:61,cme=FTPGET#2:62,cme=FTPGET#3:63,cme=FTPGET#4:64,\
cme=FTPGET#5:65,cme=FTPGET#6:66,cme=FTPGET#7:70,cme=FTPGET#8:71,cme=FTPGET#9:72,\
cme=FTPGET#10:73,cme=FTPGET#11:74,cme=FTPGET#12:79,cme=FTPLIST#1:75,\
cme=FTPPUT#1:78,cme=FTPMKD#1:76,cme=FTPRMD#1:85,cme=FTPDELE#1:77,cme=FTPSIZE#1:86";

/// Writes `transcript` to `path`, reads it back and replays it; false if it
/// does not replay clean.
fn write_checked(path: &Path, transcript: &Transcript, jobs: usize) -> Result<bool, String> {
    std::fs::write(path, transcript.to_text()).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let parsed = Transcript::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let report = replay(&parsed);
    if report.passed() {
        println!(
            "recorded {} ({}, replays clean)",
            path.display(),
            cellftp_replay::check::counted(jobs as u64, "job", "jobs")
        );
        Ok(true)
    } else {
        println!(
            "recorded {} but it does not replay clean:\n{}",
            path.display(),
            report.render()
        );
        Ok(false)
    }
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let out = match args {
        [] => crate::root().join("transcripts"),
        [dir] => PathBuf::from(dir),
        _ => return Err("usage: cargo xtask record [DIR]".into()),
    };
    let served = std::env::temp_dir().join(format!("cellftp-record-{}", std::process::id()));
    std::fs::create_dir_all(&served).map_err(|e| e.to_string())?;
    let server = EmbeddedServer::start(&served).map_err(|e| format!("FTP server: {e}"))?;
    let mut failed = 0;
    for scenario in scenarios(server.addr().port()) {
        let transcript = record::<Session>(&scenario, &served)?;
        let path = out.join(format!("sim-{}.cftx", scenario.name));
        if !write_checked(&path, &transcript, scenario.jobs.len())? {
            failed += 1;
        }
    }
    for scenario in simcom_scenarios(server.addr().port()) {
        let transcript = record::<Simcom>(&scenario, &served)?;
        let path = out.join(format!("sim-{}.cftx", scenario.name));
        if !write_checked(&path, &transcript, scenario.jobs.len())? {
            failed += 1;
        }
    }
    server.stop();
    let _ = std::fs::remove_dir_all(&served);
    if failed > 0 {
        return Err(format!("{failed} recorded transcripts do not replay clean"));
    }
    Ok(())
}
