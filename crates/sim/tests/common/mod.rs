//! Shared by the end-to-end tests: an FTP server (the embedded one, or the
//! distro server named by `CELLFTP_TEST_FTP`), a simulator on a
//! pseudo-terminal in front of it, and `cellftp-session`'s blocking driver
//! on the host side; a watchdog bounds every test.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cellftp_session::driver::blocking::{Blocking, ReadTimeout};
use cellftp_session::driver::Handler;
use cellftp_session::{
    BringUp, Config, Event, FtpConfig, JobError, JobId, Mode, Outcome, Session, Timeouts,
    TransferType,
};
use cellftp_sim::{
    DataConnections, EmbeddedServer, Faults, ModemConfig, PtyPort, PtyServer, SimConfig, Simulator,
};

pub mod modem;

/// The distro FTP server for the end-to-end suite: `host:port`.
pub const FTP_ENV: &str = "CELLFTP_TEST_FTP";
/// The local folder the distro server's writable folder is.
pub const FTP_ROOT_ENV: &str = "CELLFTP_TEST_FTP_ROOT";
/// That folder's path on the FTP server (`AT+FTPPATH`).
pub const FTP_PATH_ENV: &str = "CELLFTP_TEST_FTP_PATH";

/// Aborts the test process if a test runs longer than its bound.
pub struct Watchdog(Arc<AtomicBool>);

impl Watchdog {
    pub fn new(what: &str, limit: Duration) -> Self {
        let done = Arc::new(AtomicBool::new(false));
        let flag = done.clone();
        let what = what.to_owned();
        std::thread::spawn(move || {
            let start = std::time::Instant::now();
            while start.elapsed() < limit {
                if flag.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            eprintln!("{what}: still running after {limit:?}: a hang");
            std::process::abort();
        });
        Self(done)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Which FTP server a test talks to.
pub enum Server {
    Embedded(EmbeddedServer, tempfile::TempDir),
    Distro {
        addr: std::net::SocketAddr,
        root: PathBuf,
        path: String,
    },
}

impl Server {
    pub fn embedded() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let server = EmbeddedServer::start(dir.path()).unwrap();
        Server::Embedded(server, dir)
    }

    /// The distro server, when the environment names one; a notice
    /// otherwise.
    pub fn distro() -> Option<Self> {
        let Ok(addr) = std::env::var(FTP_ENV) else {
            eprintln!(
                "notice: {FTP_ENV} is not set: the end-to-end tests against a distro FTP \
                 server are skipped (.ci/run sets it)"
            );
            return None;
        };
        let addr = addr.parse().expect("CELLFTP_TEST_FTP is host:port");
        let root = PathBuf::from(std::env::var(FTP_ROOT_ENV).expect("CELLFTP_TEST_FTP_ROOT"));
        let path = std::env::var(FTP_PATH_ENV).expect("CELLFTP_TEST_FTP_PATH");
        // Unreachable is a failure, not a skip: CI asked for this server.
        std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("{FTP_ENV}={addr} is unreachable: {e}"));
        Some(Server::Distro { addr, root, path })
    }

    /// Every server configured: the embedded one, and the distro one when
    /// the environment names it.
    pub fn all() -> Vec<Self> {
        let mut v = vec![Server::embedded()];
        v.extend(Server::distro());
        v
    }

    pub fn name(&self) -> &'static str {
        match self {
            Server::Embedded(..) => "embedded libunftp",
            Server::Distro { .. } => "distro server",
        }
    }

    pub fn port(&self) -> u16 {
        match self {
            Server::Embedded(s, _) => s.addr().port(),
            Server::Distro { addr, .. } => addr.port(),
        }
    }

    /// The local folder the session's working directory is.
    pub fn dir(&self) -> PathBuf {
        match self {
            Server::Embedded(_, dir) => dir.path().to_path_buf(),
            Server::Distro { root, .. } => root.clone(),
        }
    }

    /// The working directory to configure, if not the login directory.
    pub fn path(&self) -> Option<&str> {
        match self {
            Server::Embedded(..) => None,
            Server::Distro { path, .. } => Some(path),
        }
    }

    /// A fresh name for this test's files, so runs against a shared
    /// server do not meet.
    pub fn unique(&self, stem: &str) -> String {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        format!("{stem}-{}-{n}", std::process::id())
    }
}

/// Short timeouts, so that faults end quickly.
pub fn quick_config() -> Config {
    let t = Duration::from_secs(3);
    Config {
        timeouts: Timeouts {
            local: t,
            cfun: t,
            cgact: t,
            serv: Duration::from_secs(8),
            directory: t,
            put_chunk: t,
            put_end: Duration::from_secs(8),
            transfer_idle: t,
            quit: t,
            // The simulator sends a restart's codes in one write.
            restart_settle: Duration::from_millis(100),
        },
        guard: Duration::from_millis(2),
        chunk_size: 1024,
        probe_attempts: 2,
        ..Config::default()
    }
}

/// What the host saw.
#[derive(Default)]
pub struct Seen {
    pub results: Vec<(JobId, Result<Outcome, JobError>)>,
    pub data: HashMap<JobId, Vec<u8>>,
    pub lines: HashMap<JobId, Vec<Vec<u8>>>,
    pub config: HashMap<JobId, Vec<String>>,
    /// When each job ended.
    pub ended: HashMap<JobId, std::time::Instant>,
    uploads: HashMap<JobId, (Vec<u8>, usize)>,
}

impl Seen {
    pub fn result(&self, job: JobId) -> Result<Outcome, JobError> {
        self.results
            .iter()
            .find(|(j, _)| *j == job)
            .map(|(_, r)| *r)
            .expect("the job ended")
    }
}

impl Handler for Seen {
    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Data { job, data, .. } => {
                self.data.entry(*job).or_default().extend_from_slice(data)
            }
            Event::ListLine { job, line, .. } => {
                self.lines.entry(*job).or_default().push(line.to_vec())
            }
            Event::Config { job, item } => self
                .config
                .entry(*job)
                .or_default()
                .push(format!("{item:?}")),
            Event::JobDone { job, result } => {
                self.ended.insert(*job, std::time::Instant::now());
                self.results.push((*job, *result));
            }
            _ => {}
        }
    }

    fn fill(&mut self, job: JobId, buf: &mut [u8]) -> usize {
        let Some((data, at)) = self.uploads.get_mut(&job) else {
            return 0;
        };
        let n = buf.len().min(data.len() - *at);
        buf[..n].copy_from_slice(&data[*at..*at + n]);
        *at += n;
        n
    }
}

/// What crossed the host's port, each read and write with its time.
#[derive(Default)]
pub struct Wire {
    pub sent: Vec<(Instant, Vec<u8>)>,
    pub received: Vec<(Instant, Vec<u8>)>,
}

impl Wire {
    /// Every byte the modem sent, in order.
    pub fn received_bytes(&self) -> Vec<u8> {
        self.received.iter().flat_map(|(_, b)| b.clone()).collect()
    }
}

/// The host's port, recording what crosses it into a shared [`Wire`].
pub struct Tap {
    port: PtyPort,
    wire: Arc<Mutex<Wire>>,
}

impl std::io::Read for Tap {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.port.read(buf)?;
        if n > 0 {
            let mut wire = self.wire.lock().unwrap();
            wire.received.push((Instant::now(), buf[..n].to_vec()));
        }
        Ok(n)
    }
}

impl std::io::Write for Tap {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let at = Instant::now();
        let n = self.port.write(buf)?;
        let mut wire = self.wire.lock().unwrap();
        wire.sent.push((at, buf[..n].to_vec()));
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.port.flush()
    }
}

impl ReadTimeout for Tap {
    fn set_read_timeout(&mut self, timeout: Duration) -> std::io::Result<()> {
        self.port.set_read_timeout(timeout)
    }
}

/// A simulator on a pseudo-terminal in front of `server`, and the host
/// side.
pub struct Bench {
    pub pty: Option<PtyServer>,
    pub port: Option<Blocking<Tap>>,
    /// What crossed the host's port.
    pub wire: Arc<Mutex<Wire>>,
    /// The simulator's data connections, by the side that opened them.
    pub data: DataConnections,
    pub seen: Seen,
    pub ftp_port: u16,
    pub path: Option<String>,
    pub mode: Mode,
}

impl Bench {
    pub fn new(server: &Server, faults: &str, mode: Mode) -> Self {
        Self::with(server, faults, mode, None, quick_config())
    }

    pub fn with(
        server: &Server,
        faults: &str,
        mode: Mode,
        baud: Option<u32>,
        config: Config,
    ) -> Self {
        let faults: Faults = faults.parse().unwrap();
        let sim = Simulator::new(SimConfig {
            modem: ModemConfig {
                faults,
                ..ModemConfig::default()
            },
            baud,
            ftp_timeout: Duration::from_secs(5),
            ..SimConfig::default()
        });
        let data = sim.data_connections();
        let pty = PtyServer::start(sim, None).unwrap();
        let port = PtyPort::open(pty.path(), Duration::from_millis(10)).unwrap();
        let wire = Arc::new(Mutex::new(Wire::default()));
        let port = Tap {
            port,
            wire: wire.clone(),
        };
        let session = Session::new(config).expect("a valid session configuration");
        Self {
            pty: Some(pty),
            port: Some(Blocking::new(port, session)),
            wire,
            data,
            seen: Seen::default(),
            ftp_port: server.port(),
            path: server.path().map(str::to_owned),
            mode,
        }
    }

    pub fn session(&mut self) -> &mut Session {
        self.port.as_mut().unwrap().session()
    }

    /// Runs the queued jobs to their end.
    pub fn run(&mut self) {
        self.port.as_mut().unwrap().run(&mut self.seen).unwrap();
    }

    /// Bring-up and configure, both must succeed.
    pub fn connect(&mut self) {
        let up = self.session().bring_up(BringUp::default()).unwrap();
        let path = self.path.clone();
        let (port, mode) = (self.ftp_port, self.mode);
        let conf = self
            .session()
            .configure(&FtpConfig {
                server: "127.0.0.1",
                port: Some(port),
                mode,
                transfer_type: TransferType::Binary,
                user: "anonymous",
                password: "sim@example.com",
                path: path.as_deref(),
            })
            .unwrap();
        self.run();
        assert_eq!(self.seen.result(up), Ok(Outcome::BroughtUp));
        assert_eq!(self.seen.result(conf), Ok(Outcome::Configured));
    }

    pub fn put(&mut self, name: &str, data: &[u8]) -> JobId {
        let job = self.session().put(name).unwrap();
        self.seen.uploads.insert(job, (data.to_vec(), 0));
        job
    }

    pub fn get(&mut self, name: &str, offset: u32) -> JobId {
        self.session().get(name, offset).unwrap()
    }
}

impl Drop for Bench {
    fn drop(&mut self) {
        self.port = None;
        if let Some(pty) = self.pty.take() {
            let _ = pty.stop();
        }
    }
}

/// Deterministic test content of `len` bytes from `seed`, with the bytes
/// that matter to the protocol in it.
pub fn content(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = cellftp_sim::fault::Rng::new(seed);
    let mut v: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
    let tricky = b"\r\nOK\r\n\0\x1a+FTPGET:5,\r\nERROR\r\n";
    for (i, chunk) in v.chunks_mut(97).enumerate() {
        if i % 3 == 0 {
            let n = chunk.len().min(tricky.len());
            chunk[..n].copy_from_slice(&tricky[..n]);
        }
    }
    v
}

pub fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}
