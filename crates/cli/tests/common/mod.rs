//! The test bench: a fake modem with an FTP server behind it, served to the
//! real `cellftp` binary over TCP (like ser2net) or a PTY (like a USB
//! serial port), and helpers to run the binary and check what it left.
//!
//! The modem is `cellftp_session::testing::ScriptedModem` answering by rule
//! ([`Fake::respond`]): it frames the command lines (an `AT+FTPPUT` chunk
//! included), the rule keeps a small in-memory file system.
#![allow(dead_code, unreachable_pub, missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use cellftp_replay::{replay, Transcript};
use cellftp_session::testing::ScriptedModem;

/// The password the fake server accepts.
pub const PASSWORD: &str = "s3cr3t-Pw!";

/// What the fake modem does wrong.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// `AT+FTPSERV` always answers this code (with `ERROR`).
    pub serv_code: Option<u16>,
    /// The PDP context starts inactive: `+FTPSERV:1` until `AT+CGACT=1,1`.
    pub pdp_inactive: bool,
    /// Commands starting with this are never answered.
    pub silent: Option<&'static str>,
    /// The modem restarts (`RDY`) on the first upload chunk.
    pub restart_on_put: bool,
    /// The connection drops when a command starting with this arrives.
    pub hang_up_on: Option<&'static str>,
    /// A pause before each upload chunk is answered.
    pub put_delay: Duration,
    /// Bytes per `+FTPGET` chunk (default 700).
    pub get_chunk: Option<usize>,
    /// The modem echoes every command line (`ATE1`), password included.
    pub echo: bool,
    /// `AT+FTPGET` sends this many chunks, then the line drops.
    pub get_then_hang_up: Option<usize>,
}

/// The fake server's files and what the modem saw.
#[derive(Debug, Default)]
pub struct State {
    pub files: BTreeMap<String, Vec<u8>>,
    pub dirs: BTreeSet<String>,
    /// Every command line received, as text (lossy).
    pub commands: Vec<String>,
    /// Set by the rule to drop the connection.
    pub hang_up: bool,
}

/// The fake modem and server.
#[derive(Clone, Default)]
pub struct Fake {
    pub faults: Faults,
    pub state: Arc<Mutex<State>>,
}

/// The per-connection state of the rule.
#[derive(Default)]
struct Conn {
    pdp_active: bool,
    put_name: Option<String>,
    put_data: Vec<u8>,
    get_name: Option<String>,
    offset: usize,
    path: String,
    user: String,
    logged_in: bool,
}

impl Fake {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(faults: Faults) -> Self {
        Self {
            faults,
            state: Arc::default(),
        }
    }

    /// Puts a file on the fake server.
    pub fn file(self, name: &str, data: &[u8]) -> Self {
        self.state
            .lock()
            .unwrap()
            .files
            .insert(name.to_owned(), data.to_vec());
        self
    }

    pub fn stored(&self, name: &str) -> Option<Vec<u8>> {
        self.state.lock().unwrap().files.get(name).cloned()
    }

    pub fn commands(&self) -> Vec<String> {
        self.state.lock().unwrap().commands.clone()
    }

    /// The rule: answers one command line (CR included).
    fn respond(&self, conn: &mut Conn, line: &[u8]) -> Vec<u8> {
        const OK: &[u8] = b"\r\nOK\r\n";
        const ERROR: &[u8] = b"\r\nERROR\r\n";
        let text = String::from_utf8_lossy(line).into_owned();
        let mut state = self.state.lock().unwrap();
        state.commands.push(text.clone());
        if let Some(prefix) = self.faults.hang_up_on {
            if text.starts_with(prefix) {
                state.hang_up = true;
                return Vec::new();
            }
        }
        if let Some(prefix) = self.faults.silent {
            if text.starts_with(prefix) {
                return Vec::new();
            }
        }
        let body = line.strip_suffix(b"\r").unwrap_or(line);
        let arg = |prefix: &str| -> Option<String> {
            text.strip_prefix(prefix)
                .map(|r| r.trim_end_matches('\r').to_owned())
        };
        if let Some(rest) = body.strip_prefix(b"AT+FTPPUT=") {
            if rest == b"0" {
                let name = conn.put_name.take().unwrap_or_default();
                let data = std::mem::take(&mut conn.put_data);
                state.files.insert(join(&conn.path, &name), data);
                return OK.to_vec();
            }
            if self.faults.restart_on_put {
                return b"\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n".to_vec();
            }
            let comma = rest.iter().position(|&b| b == b',').unwrap();
            conn.put_data.extend_from_slice(&rest[comma + 1..]);
            drop(state);
            std::thread::sleep(self.faults.put_delay);
            return OK.to_vec();
        }
        match text.as_str() {
            "AT\r" | "ATE0\r" | "AT+CFUN=1\r" | "AT+FTPQUIT\r" => return OK.to_vec(),
            "AT+CGACT=1,1\r" => {
                conn.pdp_active = true;
                return OK.to_vec();
            }
            "AT+FTPGET\r" => {
                let name = join(&conn.path, conn.get_name.as_deref().unwrap_or(""));
                let Some(data) = state.files.get(&name) else {
                    return b"\r\n+CME ERROR: 4\r\n".to_vec();
                };
                let mut out = Vec::new();
                let chunk = self.faults.get_chunk.unwrap_or(700);
                let pieces = data.get(conn.offset..).unwrap_or_default().chunks(chunk);
                let count = self.faults.get_then_hang_up.unwrap_or(usize::MAX);
                for piece in pieces.take(count) {
                    out.extend_from_slice(format!("\r\n+FTPGET:{},", piece.len()).as_bytes());
                    out.extend_from_slice(piece);
                    out.extend_from_slice(b"\r\n");
                }
                conn.offset = 0;
                if self.faults.get_then_hang_up.is_some() {
                    state.hang_up = true;
                    return out;
                }
                out.extend_from_slice(OK);
                return out;
            }
            "AT+FTPLIST\r" => {
                let mut listing = String::new();
                let prefix = if conn.path.is_empty() {
                    String::new()
                } else {
                    format!("{}/", conn.path.trim_end_matches('/'))
                };
                for dir in &state.dirs {
                    if let Some(name) = dir.strip_prefix(&prefix) {
                        listing += &format!("drwxr-xr-x  2 ftp ftp  4096 Sep 30 01:52 {name}\r\n");
                    }
                }
                for (path, data) in &state.files {
                    if let Some(name) = path.strip_prefix(&prefix) {
                        if !name.contains('/') {
                            listing += &format!(
                                "-rw-r--r--  1 ftp ftp {:>5} Sep 30 01:52 {name}\r\n",
                                data.len()
                            );
                        }
                    }
                }
                let mut out = format!("\r\n+FTPLIST:1,{}\r\n", listing.len()).into_bytes();
                out.extend_from_slice(listing.as_bytes());
                out.extend_from_slice(b"OK\r\n");
                return out;
            }
            "AT+FTPSCON\r" => {
                return format!(
                    "\r\n+FTPSCON ：\r\n+FTPMODE: 1\r\nSERVER:198.51.100.7:21\r\nUSER:{}\r\nPASSWORD: {PASSWORD}\r\nOK\r\n",
                    if conn.user.is_empty() { "demo" } else { &conn.user }
                )
                .into_bytes();
            }
            _ => {}
        }
        if let Some(host) = arg("AT+FTPSERV=") {
            let _ = host;
            let code = match self.faults.serv_code {
                Some(c) => c,
                None if self.faults.pdp_inactive && !conn.pdp_active => 1,
                None => 0,
            };
            let last = if code == 0 { OK } else { ERROR };
            let mut out = format!("\r\n+FTPSERV:{code}\r\n").into_bytes();
            out.extend_from_slice(last);
            return out;
        }
        if let Some(user) = arg("AT+FTPUN=") {
            conn.user = user;
            return OK.to_vec();
        }
        if let Some(pw) = arg("AT+FTPPW=") {
            conn.logged_in = pw == PASSWORD;
            return if conn.logged_in { OK } else { ERROR }.to_vec();
        }
        if arg("AT+FTPPORT=").is_some()
            || arg("AT+FTPMODE=").is_some()
            || arg("AT+FTPTYPE=").is_some()
        {
            return OK.to_vec();
        }
        if let Some(path) = arg("AT+FTPPATH=") {
            conn.path = path.trim_matches('/').to_owned();
            return OK.to_vec();
        }
        if let Some(name) = arg("AT+FTPPUTNAME=") {
            conn.put_name = Some(name);
            conn.put_data.clear();
            return OK.to_vec();
        }
        if let Some(name) = arg("AT+FTPGETNAME=") {
            conn.get_name = Some(name);
            return OK.to_vec();
        }
        if let Some(offset) = arg("AT+FTPRESET=") {
            conn.offset = offset.parse().unwrap();
            return OK.to_vec();
        }
        if let Some(dir) = arg("AT+FTPMKD=") {
            let dir = join(&conn.path, &dir);
            return if state.dirs.insert(dir) {
                OK.to_vec()
            } else {
                b"\r\n+CME ERROR: 4\r\n".to_vec()
            };
        }
        if let Some(dir) = arg("AT+FTPRMD=") {
            let dir = join(&conn.path, &dir);
            return if state.dirs.remove(&dir) {
                OK.to_vec()
            } else {
                b"\r\n+CME ERROR: 4\r\n".to_vec()
            };
        }
        ERROR.to_vec()
    }

    /// The scripted modem answering by this rule.
    fn modem(&self) -> ScriptedModem {
        let fake = self.clone();
        let mut conn = Conn::default();
        let mut modem = ScriptedModem::new();
        modem.echo(self.faults.echo);
        modem.respond_with(move |line, reply| reply.push(&fake.respond(&mut conn, line)));
        modem
    }
}

/// `dir/name` without leading slashes.
fn join(dir: &str, name: &str) -> String {
    let name = name.trim_start_matches('/');
    let dir = dir.trim_matches('/');
    if dir.is_empty() || name.contains('/') {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// A fake modem being served; stops when dropped.
pub struct Served {
    /// `--tcp ADDR` or `--device PATH`.
    pub args: Vec<String>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    /// For a PTY: the slave, held open so that the master never reads EIO.
    _slave: Option<File>,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Pumps bytes between `io` and the fake modem until `stop`, the peer
/// hangs up, or a minute passes.
fn pump(mut io: impl Read + Write, fake: &Fake, stop: &AtomicBool) {
    let mut modem = fake.modem();
    let epoch = Instant::now();
    let now = || cellftp_session::Instant::from_millis(epoch.elapsed().as_millis() as u64);
    let mut buf = [0u8; 4096];
    while !stop.load(Ordering::SeqCst) && epoch.elapsed() < Duration::from_secs(60) {
        match io.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => modem.write(now(), &buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
        loop {
            let n = modem.read(now(), &mut buf);
            if n == 0 {
                break;
            }
            if io.write_all(&buf[..n]).is_err() {
                return;
            }
        }
        if fake.state.lock().unwrap().hang_up {
            return;
        }
    }
}

/// Serves `fake` on a TCP port of 127.0.0.1, one connection.
pub fn serve_tcp(fake: &Fake) -> Served {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let (fake, stop) = (fake.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        stream.set_nonblocking(false).unwrap();
                        stream
                            .set_read_timeout(Some(Duration::from_millis(2)))
                            .unwrap();
                        pump(stream, &fake, &stop);
                        return;
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        })
    };
    Served {
        args: vec!["--tcp".into(), addr.to_string()],
        stop,
        thread: Some(thread),
        _slave: None,
    }
}

/// A PTY pair: the master, and the slave's path.
pub fn open_pty() -> (File, PathBuf) {
    use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let path = PathBuf::from(name.to_str().unwrap());
    (File::from(master), path)
}

/// Opens a terminal device without making it the controlling terminal.
pub fn open_tty(path: &Path) -> File {
    use std::os::unix::fs::OpenOptionsExt;
    File::options()
        .read(true)
        .write(true)
        .custom_flags(rustix::fs::OFlags::NOCTTY.bits() as i32)
        .open(path)
        .unwrap()
}

/// Serves `fake` on a PTY, as a serial device.
pub fn serve_pty(fake: &Fake) -> Served {
    let (master, path) = open_pty();
    // Held open for the whole test, raw, so that nothing is echoed before
    // cellftp opens it.
    let slave = open_tty(&path);
    let mut t = rustix::termios::tcgetattr(&slave).unwrap();
    t.make_raw();
    rustix::termios::tcsetattr(&slave, rustix::termios::OptionalActions::Now, &t).unwrap();
    rustix::fs::fcntl_setfl(&master, rustix::fs::OFlags::NONBLOCK).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let (fake, stop) = (fake.clone(), stop.clone());
        std::thread::spawn(move || pump(master, &fake, &stop))
    };
    Served {
        args: vec!["--device".into(), path.display().to_string()],
        stop,
        thread: Some(thread),
        _slave: Some(slave),
    }
}

/// A fresh temporary folder.
pub fn temp_dir(name: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("cellftp-cli-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary, with a clean environment: no `CELLFTP_*` from outside, and
/// HOME / XDG_CONFIG_HOME in `home` so that no real config file is read.
pub fn cellftp(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cellftp"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("CELLFTP_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .current_dir(home)
        .stdin(Stdio::null());
    cmd
}

/// The usual login flags against the fake server.
pub fn login() -> Vec<String> {
    ["--server", "198.51.100.7", "--user", "demo"]
        .map(String::from)
        .to_vec()
}

/// The binary run from `home` against `server` with the usual login and
/// the fake server's password.
pub fn logged_in(home: &Path, server: &Served) -> Command {
    let mut cmd = cellftp(home);
    cmd.args(&server.args)
        .args(login())
        .env("CELLFTP_PASSWORD", PASSWORD);
    cmd
}

/// Runs `cmd` with a deadline; panics if it hangs.
pub fn run(cmd: &mut Command, deadline: Duration) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "cellftp hung for {deadline:?}; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts the run's exit code, printing its output if it differs.
pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// Reads a `--record` file and replays it; panics unless it replays clean.
pub fn assert_replays(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let transcript = Transcript::parse(&text).unwrap();
    let report = replay(&transcript);
    assert!(
        report.passed(),
        "{} does not replay clean: {:?}",
        path.display(),
        report.failures
    );
    text
}

pub mod sim;
