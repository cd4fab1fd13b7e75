//! The simulator's I/O: the loop that moves bytes between a host-facing
//! byte stream and the sans-IO [`Modem`], carries out its FTP operations
//! with [`FtpBackend`], and paces both directions to a baud rate; and the
//! two ways a host reaches it, a pseudo-terminal and a TCP port.

use std::fs::File;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::termios::{self, SetArg};

use crate::ftp::FtpBackend;
use crate::modem::{Modem, ModemConfig};
use crate::op::{FtpOp, FtpResult};
use crate::simcom::SimcomModem;

/// Which AT dialect the simulated modem speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Dialect {
    /// The modem of `SPEC.md` (the vendor manual "FTP指令"): [`Modem`].
    #[default]
    Manual,
    /// SIMCom's FTP command set (`SPEC-simcom.md`): [`SimcomModem`].
    Simcom,
}

/// Either modem, behind the one interface the simulator loop uses.
#[derive(Debug)]
enum AnyModem {
    Manual(Box<Modem>),
    Simcom(Box<SimcomModem>),
}

impl AnyModem {
    fn handle_input(&mut self, now: Duration, bytes: &[u8]) -> usize {
        match self {
            AnyModem::Manual(m) => m.handle_input(now, bytes),
            AnyModem::Simcom(m) => m.handle_input(now, bytes),
        }
    }

    fn handle_ftp_result(&mut self, now: Duration, result: FtpResult) {
        match self {
            AnyModem::Manual(m) => m.handle_ftp_result(now, result),
            AnyModem::Simcom(m) => m.handle_ftp_result(now, result),
        }
    }

    fn handle_timeout(&mut self, now: Duration) {
        match self {
            AnyModem::Manual(m) => m.handle_timeout(now),
            AnyModem::Simcom(m) => m.handle_timeout(now),
        }
    }

    fn poll_timeout(&self) -> Option<Duration> {
        match self {
            AnyModem::Manual(m) => m.poll_timeout(),
            AnyModem::Simcom(m) => m.poll_timeout(),
        }
    }

    fn poll_ftp(&mut self) -> Option<FtpOp> {
        match self {
            AnyModem::Manual(m) => m.poll_ftp(),
            AnyModem::Simcom(m) => m.poll_ftp(),
        }
    }

    fn poll_output(&mut self) -> Option<Vec<u8>> {
        match self {
            AnyModem::Manual(m) => m.poll_output(),
            AnyModem::Simcom(m) => m.poll_output(),
        }
    }
}

/// Everything a simulator is built from.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// The AT dialect the modem speaks.
    pub dialect: Dialect,
    /// How the modem behaves, its faults included (in either dialect; see
    /// [`SimcomModem`] for how the SIMCom modem applies them).
    pub modem: ModemConfig,
    /// The serial link's speed in baud (8N1: 10 bits a byte), both
    /// directions; `None` for no limit.
    pub baud: Option<u32>,
    /// How long an FTP connect or read may take before it fails.
    pub ftp_timeout: Duration,
    /// When set, the simulated network reaches only this server: every
    /// `AT+FTPSERV` connects here, whatever address and `AT+FTPPORT` the
    /// host gave (for a demo in front of an [`crate::EmbeddedServer`],
    /// which takes any user name and password). `None`: the host's
    /// address and port, as a real modem.
    pub ftp_route: Option<SocketAddr>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            dialect: Dialect::default(),
            modem: ModemConfig::default(),
            baud: None,
            ftp_timeout: Duration::from_secs(20),
            ftp_route: None,
        }
    }
}

/// Paces bytes to a baud rate: each byte takes 10 bit times, and the line
/// carries the bytes one after the other.
///
/// Bytes start on the line once they are ready (read from the host, or
/// written by the modem) and the line is free. The line gives back no time
/// in which it had nothing to carry; time in which bytes were ready and
/// the simulator did not get to them (a wait that overslept, the machine
/// busy elsewhere) is made up, as a UART goes on shifting out what is
/// queued while its processor does other work.
#[derive(Debug)]
struct Pacer {
    bytes_per_sec: Option<f64>,
    /// When the line has carried every byte paced so far.
    free_at: Instant,
}

impl Pacer {
    fn new(baud: Option<u32>) -> Self {
        Self {
            bytes_per_sec: baud.filter(|&b| b > 0).map(|b| f64::from(b) / 10.0),
            free_at: Instant::now(),
        }
    }

    /// Waits until `n` bytes, ready since `ready`, have passed over the
    /// link.
    fn pace(&mut self, n: usize, ready: Instant) {
        let Some(rate) = self.bytes_per_sec else {
            return;
        };
        let start = self.free_at.max(ready);
        self.free_at = start + Duration::from_secs_f64(n as f64 / rate);
        if let Some(wait) = self.free_at.checked_duration_since(Instant::now()) {
            thread::sleep(wait);
        }
    }

    /// How many bytes to move at a time: small pieces when paced, so the
    /// pace is smooth.
    fn piece(&self) -> usize {
        match self.bytes_per_sec {
            Some(_) => 64,
            None => 64 * 1024,
        }
    }
}

/// A byte stream whose reads may time out: the host side of the link.
///
/// The simulator works best on a non-blocking stream (as [`PtyServer`] and
/// [`TcpServer`] make theirs): a write that would block is then retried
/// after [`Link::wait_writable`], and a host that stops reading cannot
/// keep the simulator from stopping.
pub trait Link: Read + Write {
    /// Waits up to `timeout` for bytes to read; true if some may be read.
    fn wait_readable(&mut self, timeout: Duration) -> io::Result<bool>;

    /// Waits up to `timeout` for room to write; true if some bytes may be
    /// written. The default says so at once (a blocking stream's writes
    /// wait by themselves).
    fn wait_writable(&mut self, timeout: Duration) -> io::Result<bool> {
        let _ = timeout;
        Ok(true)
    }
}

impl Link for TcpStream {
    fn wait_readable(&mut self, timeout: Duration) -> io::Result<bool> {
        wait_fd(self.as_fd(), PollFlags::POLLIN, timeout)
    }

    fn wait_writable(&mut self, timeout: Duration) -> io::Result<bool> {
        wait_fd(self.as_fd(), PollFlags::POLLOUT, timeout)
    }
}

impl Link for File {
    fn wait_readable(&mut self, timeout: Duration) -> io::Result<bool> {
        wait_fd(self.as_fd(), PollFlags::POLLIN, timeout)
    }

    fn wait_writable(&mut self, timeout: Duration) -> io::Result<bool> {
        wait_fd(self.as_fd(), PollFlags::POLLOUT, timeout)
    }
}

fn wait_fd(
    fd: std::os::fd::BorrowedFd<'_>,
    flags: PollFlags,
    timeout: Duration,
) -> io::Result<bool> {
    let ms = u16::try_from(timeout.as_millis()).unwrap_or(u16::MAX);
    let mut fds = [PollFd::new(fd, flags)];
    match poll(&mut fds, PollTimeout::from(ms)) {
        Ok(n) => Ok(n > 0),
        Err(nix::errno::Errno::EINTR) => Ok(false),
        Err(e) => Err(io::Error::from(e)),
    }
}

/// A simulator: a [`Modem`], its FTP backend and its link pacing.
#[derive(Debug)]
pub struct Simulator {
    modem: AnyModem,
    backend: FtpBackend,
    rx: Pacer,
    tx: Pacer,
    epoch: Instant,
}

impl Simulator {
    /// A simulator built from `config`.
    pub fn new(config: SimConfig) -> Self {
        Self {
            backend: FtpBackend::new(config.ftp_timeout).route_to(config.ftp_route),
            rx: Pacer::new(config.baud),
            tx: Pacer::new(config.baud),
            modem: match config.dialect {
                Dialect::Manual => AnyModem::Manual(Box::new(Modem::new(config.modem))),
                Dialect::Simcom => AnyModem::Simcom(Box::new(SimcomModem::new(config.modem))),
            },
            epoch: Instant::now(),
        }
    }

    /// The data connections its FTP backend opens, by the side that opens
    /// them (a handle that stays valid while the simulator runs).
    pub fn data_connections(&self) -> crate::DataConnections {
        self.backend.data_connections()
    }

    /// Serves one host over `link` until it closes or `stop` is set.
    pub fn run(&mut self, link: &mut impl Link, stop: &AtomicBool) -> io::Result<()> {
        // Everything the host has sent, in one read: it was all ready then.
        let mut buf = vec![0u8; 64 * 1024];
        while !stop.load(Ordering::Relaxed) {
            let wait = match self.modem.poll_timeout() {
                Some(t) => t
                    .saturating_sub(self.epoch.elapsed())
                    .min(Duration::from_millis(20)),
                None => Duration::from_millis(20),
            };
            if link.wait_readable(wait)? {
                match link.read(&mut buf) {
                    Ok(0) => return Ok(()),
                    Ok(n) => {
                        let ready = Instant::now();
                        let read = buf.get(..n).unwrap_or_default();
                        for piece in read.chunks(self.rx.piece()) {
                            // The modem sees the bytes once the line has
                            // carried them.
                            self.rx.pace(piece.len(), ready);
                            let mut input = piece;
                            while !input.is_empty() {
                                let now = self.epoch.elapsed();
                                let taken = self.modem.handle_input(now, input);
                                input = input.get(taken..).unwrap_or_default();
                                self.work(link, stop)?;
                                if taken == 0 {
                                    thread::sleep(Duration::from_millis(5));
                                }
                            }
                        }
                    }
                    Err(e)
                        if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {}
                    // A pseudo-terminal whose other side closed.
                    Err(e) if e.raw_os_error() == Some(nix::libc::EIO) => {
                        thread::sleep(Duration::from_millis(20));
                    }
                    Err(e) => return Err(e),
                }
            }
            self.modem.handle_timeout(self.epoch.elapsed());
            self.work(link, stop)?;
        }
        Ok(())
    }

    /// Carries out the modem's FTP operations and writes its output.
    fn work(&mut self, link: &mut impl Link, stop: &AtomicBool) -> io::Result<()> {
        loop {
            while let Some(op) = self.modem.poll_ftp() {
                if let Some(result) = self.backend.execute(op) {
                    self.modem.handle_ftp_result(self.epoch.elapsed(), result);
                }
            }
            let Some(out) = self.modem.poll_output() else {
                return Ok(());
            };
            let ready = Instant::now();
            for piece in out.chunks(self.tx.piece()) {
                // The host sees the bytes once the line has carried them.
                self.tx.pace(piece.len(), ready);
                if !write_until_stopped(link, piece, stop)? {
                    return Ok(());
                }
            }
            link.flush()?;
        }
    }
}

/// Writes all of `bytes`, waiting while the link is full; false if `stop`
/// was set first (a host that stopped reading must not keep the simulator
/// from stopping).
fn write_until_stopped(link: &mut impl Link, bytes: &[u8], stop: &AtomicBool) -> io::Result<bool> {
    let mut rest = bytes;
    while !rest.is_empty() {
        if stop.load(Ordering::Relaxed) {
            return Ok(false);
        }
        match link.write(rest) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => rest = rest.get(n..).unwrap_or_default(),
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                link.wait_writable(Duration::from_millis(20))?;
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// Makes `fd`'s reads and writes return `WouldBlock` instead of waiting.
fn nonblocking(fd: std::os::fd::BorrowedFd<'_>) -> io::Result<()> {
    use nix::fcntl::{fcntl, FcntlArg, OFlag};
    let flags = fcntl(fd, FcntlArg::F_GETFL).map_err(io::Error::from)?;
    let flags = OFlag::from_bits_truncate(flags) | OFlag::O_NONBLOCK;
    fcntl(fd, FcntlArg::F_SETFL(flags)).map_err(io::Error::from)?;
    Ok(())
}

/// A running simulator thread; stopped when dropped.
#[derive(Debug)]
pub struct Running {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl Running {
    /// Stops the simulator and waits for its thread; its I/O error, if it
    /// ended with one.
    pub fn stop(mut self) -> io::Result<()> {
        self.halt()
    }

    fn halt(&mut self) -> io::Result<()> {
        self.stop.store(true, Ordering::Relaxed);
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(io::Error::other("the simulator thread panicked")),
            None => Ok(()),
        }
    }

    /// True once the simulator thread has ended.
    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.halt();
    }
}

/// A simulator on a pseudo-terminal.
#[derive(Debug)]
pub struct PtyServer {
    path: PathBuf,
    link: Option<PathBuf>,
    running: Running,
}

/// Why a [`PtyServer`] could not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum PtyError {
    /// The pseudo-terminal could not be opened or set up.
    Open(io::Error),
    /// Something other than a symbolic link is at the link's path: it is
    /// left alone.
    NotALink(PathBuf),
    /// The symbolic link could not be made (or the old one removed).
    Link {
        /// The link's path.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

impl std::fmt::Display for PtyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PtyError::Open(e) => write!(f, "cannot open a pseudo-terminal: {e}"),
            PtyError::NotALink(path) => write!(
                f,
                "{} exists and is not a symbolic link: it is left alone (remove it or give another path)",
                path.display()
            ),
            PtyError::Link { path, source } => write!(
                f,
                "cannot make the symbolic link {}: {source}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for PtyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PtyError::Open(e) | PtyError::Link { source: e, .. } => Some(e),
            PtyError::NotALink(_) => None,
        }
    }
}

impl From<PtyError> for io::Error {
    fn from(e: PtyError) -> Self {
        let kind = match &e {
            PtyError::Open(e) => return io::Error::new(e.kind(), e.to_string()),
            PtyError::NotALink(_) => ErrorKind::AlreadyExists,
            PtyError::Link { source, .. } => source.kind(),
        };
        io::Error::new(kind, e.to_string())
    }
}

impl PtyServer {
    /// Opens a pseudo-terminal and serves `sim` on it. The host opens
    /// [`PtyServer::path`] (a `/dev/pts/N`), or `link` when given: a
    /// symbolic link to it created there. An old symbolic link there is
    /// replaced; anything else there is refused ([`PtyError::NotALink`]).
    pub fn start(mut sim: Simulator, link: Option<&Path>) -> Result<Self, PtyError> {
        // Checked before anything is opened.
        if let Some(link) = link {
            check_link(link)?;
        }
        let pty = nix::pty::openpty(None, None).map_err(|e| PtyError::Open(e.into()))?;
        raw(&pty.slave).map_err(PtyError::Open)?;
        let path = nix::unistd::ttyname(&pty.slave).map_err(|e| PtyError::Open(e.into()))?;
        if let Some(link) = link {
            make_link(&path, link)?;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        nonblocking(pty.master.as_fd()).map_err(PtyError::Open)?;
        let mut master = File::from(pty.master);
        // Kept open so that the line settings stay and the master never
        // reads end-of-file between two hosts.
        let slave: OwnedFd = pty.slave;
        let thread = thread::Builder::new()
            .name("cellftp-sim-pty".into())
            .spawn(move || {
                let _slave = slave;
                sim.run(&mut master, &flag)
            });
        let thread = match thread {
            Ok(t) => t,
            Err(e) => {
                if let Some(link) = link {
                    remove_link(link, &path);
                }
                return Err(PtyError::Open(e));
            }
        };
        Ok(Self {
            path,
            link: link.map(Path::to_path_buf),
            running: Running {
                stop,
                thread: Some(thread),
            },
        })
    }

    /// The pseudo-terminal's device path, e.g. `/dev/pts/3`.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stops the simulator; removes the symbolic link if one was made and
    /// it still points to this pseudo-terminal.
    pub fn stop(mut self) -> io::Result<()> {
        if let Some(link) = self.link.take() {
            remove_link(&link, &self.path);
        }
        self.running.halt()
    }
}

/// Nothing, or a symbolic link, is at `link`.
fn check_link(link: &Path) -> Result<(), PtyError> {
    match std::fs::symlink_metadata(link) {
        Ok(m) if m.file_type().is_symlink() => Ok(()),
        Ok(_) => Err(PtyError::NotALink(link.to_path_buf())),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(source) => Err(PtyError::Link {
            path: link.to_path_buf(),
            source,
        }),
    }
}

/// Makes `link` a symbolic link to `target`, replacing an old link (only
/// a link: anything else is refused).
fn make_link(target: &Path, link: &Path) -> Result<(), PtyError> {
    let failed = |source| PtyError::Link {
        path: link.to_path_buf(),
        source,
    };
    check_link(link)?;
    match std::fs::remove_file(link) {
        Err(e) if e.kind() != ErrorKind::NotFound => return Err(failed(e)),
        _ => {}
    }
    match std::os::unix::fs::symlink(target, link) {
        // Something appeared there meanwhile: left alone.
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            Err(PtyError::NotALink(link.to_path_buf()))
        }
        Err(e) => Err(failed(e)),
        Ok(()) => Ok(()),
    }
}

/// Removes `link` if it is still a symbolic link to `target`.
fn remove_link(link: &Path, target: &Path) {
    if std::fs::read_link(link).is_ok_and(|t| t == target) {
        let _ = std::fs::remove_file(link);
    }
}

/// Raw mode: no line editing, no echo, no CR/LF translation, 8 bits.
fn raw(fd: &OwnedFd) -> io::Result<()> {
    let mut t = termios::tcgetattr(fd).map_err(io::Error::from)?;
    // Also VMIN 1, VTIME 0: a read waits for one byte.
    termios::cfmakeraw(&mut t);
    termios::tcsetattr(fd, SetArg::TCSANOW, &t).map_err(io::Error::from)
}

/// A simulator on a TCP port of 127.0.0.1 (or any address), like a modem
/// behind ser2net: one host at a time; the modem keeps its state from one
/// connection to the next.
#[derive(Debug)]
pub struct TcpServer {
    addr: SocketAddr,
    running: Running,
}

impl TcpServer {
    /// Listens on `addr` (port 0 for any free port) and serves `sim`.
    pub fn start(mut sim: Simulator, addr: SocketAddr) -> io::Result<Self> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = thread::Builder::new()
            .name("cellftp-sim-tcp".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((mut stream, _)) => {
                            stream.set_nonblocking(true)?;
                            let _ = stream.set_nodelay(true);
                            match sim.run(&mut stream, &flag) {
                                Ok(()) => {}
                                Err(e)
                                    if matches!(
                                        e.kind(),
                                        ErrorKind::BrokenPipe | ErrorKind::ConnectionReset
                                    ) => {}
                                Err(e) => return Err(e),
                            }
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => {
                            thread::sleep(Duration::from_millis(20));
                        }
                        Err(e) => return Err(e),
                    }
                }
                Ok(())
            })?;
        Ok(Self {
            addr,
            running: Running {
                stop,
                thread: Some(thread),
            },
        })
    }

    /// The address hosts connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the simulator.
    pub fn stop(self) -> io::Result<()> {
        self.running.stop()
    }
}

/// The host's side of a pseudo-terminal: a [`Read`] + [`Write`] port
/// whose reads time out (`ErrorKind::TimedOut`) after `timeout` without
/// data, as `cellftp_session::driver::blocking` needs. Opens the path in
/// raw mode.
#[derive(Debug)]
pub struct PtyPort {
    file: File,
    timeout: Duration,
}

impl PtyPort {
    /// Opens the pseudo-terminal (or a link to one) at `path`.
    pub fn open(path: &Path, timeout: Duration) -> io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)?;
        let fd: &OwnedFd = &OwnedFd::from(file.try_clone()?);
        raw(fd)?;
        Ok(Self { file, timeout })
    }
}

impl cellftp_session::driver::blocking::ReadTimeout for PtyPort {
    /// Every later read waits at most `timeout` for data.
    fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        self.timeout = timeout;
        Ok(())
    }
}

impl Read for PtyPort {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !wait_fd(self.file.as_fd(), PollFlags::POLLIN, self.timeout)? {
            return Err(ErrorKind::TimedOut.into());
        }
        self.file.read(buf)
    }
}

impl Write for PtyPort {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}
