//! An FTP server inside the process: libunftp serving a folder on a
//! 127.0.0.1 port, anonymous (any user name and password log in), with
//! active and passive mode. For tests, demos and the simulator's default
//! backend; nothing to install.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use libunftp::options::{ActivePassiveMode, Shutdown};
use libunftp::ServerBuilder;
use unftp_sbe_fs::Filesystem;

/// A running embedded FTP server; stopped when dropped.
#[derive(Debug)]
pub struct EmbeddedServer {
    addr: SocketAddr,
    root: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl EmbeddedServer {
    /// Serves `root` on a free port of 127.0.0.1; returns once the server
    /// accepts connections.
    pub fn start(root: &Path) -> io::Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        Self::start_on(root, SocketAddr::from(([127, 0, 0, 1], port)))
    }

    /// Serves `root` on `addr`.
    pub fn start_on(root: &Path, addr: SocketAddr) -> io::Result<Self> {
        let root = root.canonicalize()?;
        // Checked here, so that a bad folder is an error of `start`.
        Filesystem::new(root.clone())?;
        let fs_root = root.clone();
        // Each connection opens the folder again. It opened a moment ago;
        // if it has gone since, the connection's thread panics and only
        // that connection ends (libunftp runs each one as its own task).
        #[allow(clippy::expect_used)]
        let server = ServerBuilder::new(Box::new(move || {
            Filesystem::new(fs_root.clone()).expect("the served folder can no longer be opened")
        }))
        .greeting("cellftp-sim embedded FTP server")
        .active_passive_mode(ActivePassiveMode::ActiveAndPassive)
        .passive_ports(50000..=65000)
        .idle_session_timeout(600);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = server
            .shutdown_indicator(async move {
                let _ = rx.await;
                Shutdown::new().grace_period(Duration::from_millis(100))
            })
            .build()
            .map_err(|e| io::Error::other(e.to_string()))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread = thread::Builder::new()
            .name("cellftp-sim-ftpd".into())
            .spawn(move || {
                let _ = runtime.block_on(server.listen(addr.to_string()));
            })?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if Instant::now() > deadline || thread.is_finished() {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("the embedded FTP server did not start on {addr}"),
                ));
            }
            thread::sleep(Duration::from_millis(20));
        }
        Ok(Self {
            addr,
            root,
            stop: Some(tx),
            thread: Some(thread),
        })
    }

    /// The server's control address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The folder it serves.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Stops the server and waits for it.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for EmbeddedServer {
    fn drop(&mut self) {
        self.halt();
    }
}
