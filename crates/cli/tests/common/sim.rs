//! The end-to-end bench: the real `cellftp` binary → a PTY or a TCP port →
//! the simulator of `cellftp-sim` → a real FTP server (the embedded
//! libunftp one always; the distro server named by `CELLFTP_TEST_FTP`, set
//! by `.ci/run`, when there is one).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

use cellftp_sim::{
    Dialect, EmbeddedServer, ModemConfig, PtyServer, SimConfig, Simulator, TcpServer,
};

use super::{cellftp, run, temp_dir};

/// The factor on every command timeout (and the guard time) of the runs.
pub const SCALE: &str = "0.05";

/// The longest any one run may take.
pub const DEADLINE: Duration = Duration::from_secs(25);

/// An FTP server behind the simulator.
pub enum Ftp {
    /// libunftp in this process, serving a fresh folder.
    Embedded(EmbeddedServer),
    /// The distro server: its address, the local folder of its writable
    /// directory, and that directory's path on the server.
    Distro {
        addr: SocketAddr,
        root: PathBuf,
        path: String,
    },
}

impl Ftp {
    pub fn embedded(tag: &str) -> Self {
        let dir = temp_dir(&format!("{tag}-ftp"));
        Ftp::Embedded(EmbeddedServer::start(&dir).unwrap())
    }

    /// The distro server, or a notice and `None` when there is none.
    pub fn distro() -> Option<Self> {
        let Ok(addr) = std::env::var("CELLFTP_TEST_FTP") else {
            eprintln!(
                "notice: CELLFTP_TEST_FTP is not set: the distro FTP server's end-to-end runs are skipped (.ci/run sets it)"
            );
            return None;
        };
        let addr = addr.parse().expect("CELLFTP_TEST_FTP is host:port");
        let root = PathBuf::from(std::env::var("CELLFTP_TEST_FTP_ROOT").unwrap());
        let path = std::env::var("CELLFTP_TEST_FTP_PATH").unwrap();
        std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("CELLFTP_TEST_FTP={addr} is unreachable: {e}"));
        Some(Ftp::Distro { addr, root, path })
    }

    pub fn all(tag: &str) -> Vec<Self> {
        let mut v = vec![Ftp::embedded(tag)];
        v.extend(Ftp::distro());
        v
    }

    pub fn addr(&self) -> SocketAddr {
        match self {
            Ftp::Embedded(s) => s.addr(),
            Ftp::Distro { addr, .. } => *addr,
        }
    }

    /// The local folder where the session's files land.
    pub fn dir(&self) -> PathBuf {
        match self {
            Ftp::Embedded(s) => s.root().to_path_buf(),
            Ftp::Distro { root, .. } => root.clone(),
        }
    }

    /// The flags that log in to it.
    pub fn login(&self) -> Vec<String> {
        let mut v: Vec<String> = vec![
            "--server".into(),
            self.addr().ip().to_string(),
            "--port".into(),
            self.addr().port().to_string(),
            "--user".into(),
            "anonymous".into(),
        ];
        if let Ftp::Distro { path, .. } = self {
            v.extend(["--path".into(), path.clone()]);
        }
        v
    }

    /// The server-side name of `name` in the folder the tests use: the
    /// distro server's anonymous root is read-only, and `AT+FTPMKD` and
    /// `AT+FTPRMD` name a directory from the login's root, not from
    /// `AT+FTPPATH`, so there it is `<path>/<name>`.
    pub fn remote(&self, name: &str) -> String {
        match self {
            Ftp::Embedded(_) => name.to_owned(),
            Ftp::Distro { path, .. } => format!("{path}/{name}"),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Ftp::Embedded(_) => "embedded",
            Ftp::Distro { .. } => "distro",
        }
    }
}

/// How `cellftp` reaches the simulated modem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Tcp,
    Pty,
}

/// A simulated modem being served.
pub enum Modem {
    Tcp(TcpServer),
    Pty(PtyServer),
}

impl Modem {
    pub fn start(via: Via, faults: &str) -> Self {
        let sim = Simulator::new(SimConfig {
            modem: ModemConfig {
                faults: faults.parse().unwrap(),
                ..ModemConfig::default()
            },
            ftp_timeout: Duration::from_secs(5),
            ..SimConfig::default()
        });
        match via {
            Via::Tcp => Modem::Tcp(TcpServer::start(sim, "127.0.0.1:0".parse().unwrap()).unwrap()),
            Via::Pty => Modem::Pty(PtyServer::start(sim, None).unwrap()),
        }
    }

    /// A simulated SIMCom modem (`Dialect::Simcom`) on a TCP port.
    pub fn start_simcom() -> Self {
        Self::start_simcom_at(None)
    }

    /// The same, its line paced to `baud` if given.
    pub fn start_simcom_at(baud: Option<u32>) -> Self {
        Self::start_simcom_with(baud, "")
    }

    /// The same, with `faults` (the spec of `cellftp_sim::fault`).
    pub fn start_simcom_with(baud: Option<u32>, faults: &str) -> Self {
        let sim = Simulator::new(SimConfig {
            dialect: Dialect::Simcom,
            modem: ModemConfig {
                faults: faults.parse().unwrap(),
                ..ModemConfig::default()
            },
            ftp_timeout: Duration::from_secs(5),
            baud,
            ..SimConfig::default()
        });
        Modem::Tcp(TcpServer::start(sim, "127.0.0.1:0".parse().unwrap()).unwrap())
    }

    /// `--tcp ADDR` or `--device PATH`.
    pub fn args(&self) -> Vec<String> {
        match self {
            Modem::Tcp(t) => vec!["--tcp".into(), t.addr().to_string()],
            Modem::Pty(p) => vec!["--device".into(), p.path().display().to_string()],
        }
    }
}

/// A place to run `cellftp` from, a modem and a server.
pub struct Bench {
    pub home: PathBuf,
    pub modem: Modem,
    pub ftp: Ftp,
}

impl Bench {
    pub fn new(tag: &str, via: Via, ftp: Ftp, faults: &str) -> Self {
        Self {
            home: temp_dir(tag),
            modem: Modem::start(via, faults),
            ftp,
        }
    }

    /// `cellftp` with the modem, the login, the password and the short
    /// timeouts.
    pub fn cellftp(&self) -> Command {
        let mut cmd = cellftp(&self.home);
        cmd.args(self.modem.args())
            .args(self.ftp.login())
            .args(["--timeout-scale", SCALE])
            .env("CELLFTP_PASSWORD", "sim@example.com");
        cmd
    }

    /// Runs `cellftp … ARGS` to its end, within [`DEADLINE`].
    pub fn run(&self, args: &[&str]) -> Output {
        run(self.cellftp().args(args), DEADLINE)
    }
}

/// A name no other run uses (the distro server is shared).
pub fn unique(stem: &str) -> String {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{stem}-{}-{n}", std::process::id())
}
