//! Carries out the modem's [`FtpOp`]s against a real FTP server with the
//! `suppaftp` client (blocking).
//!
//! Active mode works like a modem's: the client listens on the control
//! connection's local address (127.0.0.1 for a local server) and the server
//! connects back. A `drop-data` fault shuts the data socket down after the
//! given number of bytes, so the server sees a real broken transfer.
//! [`DataConnections`] counts the data connections by the side that opened
//! them, so that a test can tell which mode carried its transfers.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cellftp_proto::{Mode, ServCode, TransferType};
use suppaftp::types::{FileType, FormatControl};
use suppaftp::{FtpError, ImplFtpStream, TlsStream, TransferStream};

use crate::op::{FtpOp, FtpResult};

/// Runs [`FtpOp`]s on one FTP connection at a time.
pub struct FtpBackend {
    conn: Option<Box<dyn Connection + Send>>,
    timeout: Duration,
    route: Option<SocketAddr>,
    counts: DataConnections,
}

impl std::fmt::Debug for FtpBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FtpBackend")
            .field("connected", &self.conn.is_some())
            .field("timeout", &self.timeout)
            .field("route", &self.route)
            .field("data_connections", &self.counts)
            .finish()
    }
}

/// The data connections a backend opened for its transfers, by which side
/// opened them: a handle that shares the backend's counters, so that a
/// test can see which mode really carried its transfers.
#[derive(Debug, Clone, Default)]
pub struct DataConnections(Arc<Counts>);

#[derive(Debug, Default)]
struct Counts {
    active: AtomicU64,
    passive: AtomicU64,
}

impl DataConnections {
    /// Data connections the server opened to the simulator (active mode,
    /// after `PORT`), counted once the transfer's data stream was
    /// accepted.
    pub fn active(&self) -> u64 {
        self.0.active.load(Ordering::Relaxed)
    }

    /// Data connections the simulator opened to the server (passive mode,
    /// after `PASV`), counted at each connect.
    pub fn passive(&self) -> u64 {
        self.0.passive.load(Ordering::Relaxed)
    }
}

impl Default for FtpBackend {
    fn default() -> Self {
        Self::new(Duration::from_secs(20))
    }
}

impl FtpBackend {
    /// A backend whose connects and reads give up after `timeout`.
    pub fn new(timeout: Duration) -> Self {
        Self {
            conn: None,
            timeout,
            route: None,
            counts: DataConnections::default(),
        }
    }

    /// The data connections this backend opens, counted by the side that
    /// opens them; the handle stays valid while the backend runs.
    pub fn data_connections(&self) -> DataConnections {
        self.counts.clone()
    }

    /// With `Some(addr)`, every [`FtpOp::Connect`] goes to `addr`, whatever
    /// host and port it names: a simulated network with one server in it.
    pub fn route_to(mut self, route: Option<SocketAddr>) -> Self {
        self.route = route;
        self
    }

    /// Carries out `op`; `None` for [`FtpOp::Reset`], which expects no
    /// result.
    pub fn execute(&mut self, op: FtpOp) -> Option<FtpResult> {
        Some(match op {
            FtpOp::Connect { host, port, mode } => {
                self.conn = None;
                let addr = match self.route {
                    Some(addr) => Ok(addr),
                    None => resolve(&host, port),
                };
                let target = connect_addr(addr, mode, self.timeout, &self.counts);
                match target {
                    Ok(conn) => {
                        self.conn = Some(conn);
                        FtpResult::Done
                    }
                    Err(code) => FtpResult::ServFailed(code),
                }
            }
            FtpOp::Reset => {
                self.conn = None;
                return None;
            }
            FtpOp::Quit => {
                if let Some(mut conn) = self.conn.take() {
                    conn.quit();
                }
                FtpResult::Done
            }
            op => match self.conn.as_mut() {
                None => FtpResult::Failed {
                    partial: Vec::new(),
                },
                Some(conn) => {
                    let result = conn.run(op);
                    if !conn.alive() {
                        self.conn = None;
                    }
                    result
                }
            },
        })
    }
}

/// The first address of `host:port`; code 2 (`BadAddress`) if it has
/// none.
fn resolve(host: &str, port: u16) -> Result<SocketAddr, ServCode> {
    (host, port)
        .to_socket_addrs()
        .map_err(|_| ServCode::BadAddress)?
        .next()
        .ok_or(ServCode::BadAddress)
}

/// Opens the control connection to `addr` and reads the server's
/// greeting. The failures map to `AT+FTPSERV`'s codes as `SPEC.md` §3.9
/// records for the simulator: 3 (`Unreachable`) when the connection is
/// refused or the network unreachable, 4 (`ConnectTimeout`) when the TCP
/// connection or the greeting does not come within `timeout`, 5
/// (`Refused`) when the server answers with anything but a `220` greeting.
fn connect_addr(
    addr: Result<SocketAddr, ServCode>,
    mode: Mode,
    timeout: Duration,
    counts: &DataConnections,
) -> Result<Box<dyn Connection + Send>, ServCode> {
    let timed_out = |e: &std::io::Error| {
        matches!(
            e.kind(),
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
        )
    };
    let addr = addr?;
    let tcp = TcpStream::connect_timeout(&addr, timeout).map_err(|e| {
        if timed_out(&e) {
            ServCode::ConnectTimeout
        } else {
            ServCode::Unreachable
        }
    })?;
    // A silent server must not hang the modem.
    let _ = tcp.set_read_timeout(Some(timeout));
    let _ = tcp.set_write_timeout(Some(timeout));
    let ctrl = suppaftp::FtpStream::connect_with_stream(tcp).map_err(|e| match e {
        FtpError::ConnectionError(e) if timed_out(&e) => ServCode::ConnectTimeout,
        _ => ServCode::Refused,
    })?;
    let ctrl = match mode {
        Mode::Active => ctrl.active_mode(timeout),
        Mode::Passive => {
            let counts = counts.clone();
            ctrl.passive_stream_builder(move |addr| {
                counts.0.passive.fetch_add(1, Ordering::Relaxed);
                TcpStream::connect_timeout(&addr, timeout).map_err(FtpError::ConnectionError)
            })
        }
    };
    Ok(Box::new(Conn {
        ctrl,
        upload: None,
        cwd: None,
        home: None,
        alive: true,
        timeout,
        mode,
        counts: counts.clone(),
    }))
}

/// One FTP connection, whatever its stream type (which suppaftp does not
/// name publicly).
trait Connection {
    fn run(&mut self, op: FtpOp) -> FtpResult;
    fn quit(&mut self);
    fn alive(&self) -> bool;
}

struct Conn<T: TlsStream> {
    ctrl: ImplFtpStream<T>,
    upload: Option<TransferStream<T>>,
    /// The directory last changed to.
    cwd: Option<String>,
    /// The login directory, where relative paths start.
    home: Option<String>,
    alive: bool,
    timeout: Duration,
    mode: Mode,
    counts: DataConnections,
}

/// The outcome of a step that failed: dropped connections end the session.
fn failed(partial: Vec<u8>) -> FtpResult {
    FtpResult::Failed { partial }
}

impl<T: TlsStream> Conn<T> {
    /// After a failure: is the control connection still there? A broken
    /// data connection leaves it up, a broken control connection does not.
    fn note(&mut self, e: &FtpError) {
        if matches!(e, FtpError::ConnectionError(_) | FtpError::BadResponse)
            && self.ctrl.noop().is_err()
        {
            self.alive = false;
        }
    }

    /// Makes `path` the working directory, taken from the login directory
    /// (`None`: the login directory itself).
    fn enter(&mut self, path: Option<&str>) -> Result<(), FtpError> {
        if self.cwd.as_deref() == path {
            return Ok(());
        }
        if let Some(home) = self.home.clone() {
            self.ctrl.cwd(home)?;
        }
        self.cwd = None;
        if let Some(path) = path {
            self.ctrl.cwd(path)?;
            self.cwd = Some(path.to_owned());
        }
        Ok(())
    }

    /// A transfer's data stream is open: in active mode the server opened
    /// it (passive connects are counted as they are made).
    fn opened(&self) {
        if self.mode == Mode::Active {
            self.counts.0.active.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn set_type(&mut self, t: TransferType) -> Result<(), FtpError> {
        self.ctrl.transfer_type(match t {
            TransferType::Binary => FileType::Binary,
            TransferType::Ascii => FileType::Ascii(FormatControl::Default),
        })
    }

    fn get(
        &mut self,
        path: Option<&str>,
        name: &str,
        t: TransferType,
        offset: u32,
        drop_after: Option<u64>,
    ) -> Result<Vec<u8>, (FtpError, Vec<u8>)> {
        let no_data = |e| (e, Vec::new());
        self.enter(path).map_err(no_data)?;
        self.set_type(t).map_err(no_data)?;
        if offset > 0 {
            self.ctrl
                .resume_transfer(offset as usize)
                .map_err(no_data)?;
        }
        let stream = self.ctrl.retr_as_stream(name).map_err(no_data)?;
        self.opened();
        let _ = stream
            .get_ref()
            .get_ref()
            .set_read_timeout(Some(self.timeout));
        read_all(stream, drop_after)
    }

    fn list(
        &mut self,
        path: Option<&str>,
        drop_after: Option<u64>,
    ) -> Result<Vec<u8>, (FtpError, Vec<u8>)> {
        let no_data = |e| (e, Vec::new());
        self.enter(path).map_err(no_data)?;
        if drop_after.is_none() {
            let lines = self.ctrl.list(None).map_err(no_data)?;
            self.opened();
            return Ok(lines.join("\r\n").into_bytes());
        }
        let (_, stream) = self
            .ctrl
            .custom_data_command(
                "LIST",
                &[suppaftp::Status::AboutToSend, suppaftp::Status::AlreadyOpen],
            )
            .map_err(no_data)?;
        self.opened();
        read_all(stream, drop_after)
    }

    fn put(
        &mut self,
        path: Option<&str>,
        name: &str,
        t: TransferType,
        data: &[u8],
        drop_after: Option<u64>,
    ) -> Result<(), FtpError> {
        if self.upload.is_none() {
            self.enter(path)?;
            self.set_type(t)?;
            let stream = self.ctrl.put_with_stream(name)?;
            self.opened();
            self.upload = Some(stream);
        }
        let Some(stream) = self.upload.as_mut() else {
            return Err(FtpError::DataConnectionAlreadyOpen);
        };
        let keep = drop_after.map_or(data.len(), |n| (n as usize).min(data.len()));
        let written = stream
            .write_all(data.get(..keep).unwrap_or_default())
            .map_err(FtpError::ConnectionError);
        if drop_after.is_some() || written.is_err() {
            // The data connection drops: the server keeps what arrived.
            if let Some(stream) = self.upload.take() {
                let _ = stream.get_ref().get_ref().shutdown(Shutdown::Both);
                let _ = stream.finish();
            }
            written?;
            return Err(FtpError::ConnectionError(std::io::Error::from(
                std::io::ErrorKind::ConnectionAborted,
            )));
        }
        Ok(())
    }
}

/// Reads a data stream to its end, or to `drop_after` bytes and then drops
/// the connection.
fn read_all<T: TlsStream>(
    mut stream: TransferStream<T>,
    drop_after: Option<u64>,
) -> Result<Vec<u8>, (FtpError, Vec<u8>)> {
    let mut data = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let limit = drop_after.unwrap_or(u64::MAX);
    loop {
        let room = (limit - data.len() as u64).min(buf.len() as u64) as usize;
        if room == 0 {
            let _ = stream.get_ref().get_ref().shutdown(Shutdown::Both);
            let _ = stream.finish();
            let e = FtpError::ConnectionError(std::io::Error::from(
                std::io::ErrorKind::ConnectionAborted,
            ));
            return Err((e, data));
        }
        match stream.read(buf.get_mut(..room).unwrap_or_default()) {
            Ok(0) => break,
            Ok(n) => data.extend_from_slice(buf.get(..n).unwrap_or_default()),
            Err(e) => {
                let _ = stream.finish();
                return Err((FtpError::ConnectionError(e), data));
            }
        }
    }
    match stream.finish() {
        Ok(()) => Ok(data),
        Err(e) => Err((e, data)),
    }
}

impl<T: TlsStream> Connection for Conn<T> {
    fn run(&mut self, op: FtpOp) -> FtpResult {
        let result = match op {
            FtpOp::Login { user, password } => self.ctrl.login(user, password).map(|()| {
                self.home = self.ctrl.pwd().ok();
                self.cwd = None;
                FtpResult::Done
            }),
            FtpOp::Mkdir { path, dir } => self
                .enter(path.as_deref())
                .and_then(|()| self.ctrl.mkdir(dir))
                .map(|()| FtpResult::Done),
            FtpOp::Delete { path, name } => self
                .enter(path.as_deref())
                .and_then(|()| self.ctrl.rm(name))
                .map(|()| FtpResult::Done),
            FtpOp::Size { path, name } => self
                .enter(path.as_deref())
                .and_then(|()| self.set_type(TransferType::Binary))
                .and_then(|()| self.ctrl.size(name))
                .map(|n| FtpResult::Size(n as u64)),
            FtpOp::Rmdir { path, dir } => self
                .enter(path.as_deref())
                .and_then(|()| self.ctrl.rmdir(dir))
                .map(|()| FtpResult::Done),
            FtpOp::Get {
                path,
                name,
                transfer_type,
                offset,
                drop_after,
            } => {
                return match self.get(path.as_deref(), &name, transfer_type, offset, drop_after) {
                    Ok(data) => FtpResult::Data(data),
                    Err((e, partial)) => {
                        self.note(&e);
                        failed(partial)
                    }
                }
            }
            FtpOp::List { path, drop_after } => {
                return match self.list(path.as_deref(), drop_after) {
                    Ok(data) => FtpResult::Data(data),
                    Err((e, _)) => {
                        self.note(&e);
                        failed(Vec::new())
                    }
                }
            }
            FtpOp::PutData {
                path,
                name,
                transfer_type,
                data,
                drop_after,
            } => self
                .put(path.as_deref(), &name, transfer_type, &data, drop_after)
                .map(|()| FtpResult::Done),
            FtpOp::PutEmpty {
                path,
                name,
                transfer_type,
            } => self
                .put(path.as_deref(), &name, transfer_type, &[], None)
                .and_then(|()| match self.upload.take() {
                    Some(stream) => stream.finish(),
                    None => Ok(()),
                })
                .map(|()| FtpResult::Done),
            FtpOp::PutEnd => match self.upload.take() {
                None => Ok(FtpResult::Done),
                Some(stream) => stream.finish().map(|()| FtpResult::Done),
            },
            FtpOp::Connect { .. } | FtpOp::Quit | FtpOp::Reset => {
                debug_assert!(false, "handled by the backend");
                Ok(FtpResult::Done)
            }
        };
        result.unwrap_or_else(|e| {
            self.note(&e);
            failed(Vec::new())
        })
    }

    fn quit(&mut self) {
        if let Some(stream) = self.upload.take() {
            let _ = stream.finish();
        }
        let _ = self.ctrl.quit();
    }

    fn alive(&self) -> bool {
        self.alive
    }
}
