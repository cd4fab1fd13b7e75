//! Opening the line to the modem: a serial device through `serialport`
//! (locked with `flock` so that two programs never share it), or a TCP
//! connection to a network-attached modem (ser2net). Both get a short read
//! timeout, which is how the blocking driver gets to check its deadlines.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::fd::OwnedFd;
use std::path::Path;
use std::time::Duration;

use crate::error::{io_reason, CliError};
use crate::settings::Location;

/// How long a read waits for the modem before the driver looks at its
/// timers (the driver asks for 10–50 ms).
pub(crate) const READ_TIMEOUT: Duration = Duration::from_millis(20);

/// How long connecting to a TCP modem may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A byte stream to the modem.
pub(crate) trait Line: Read + Write {}

impl<T: Read + Write> Line for T {}

/// The open line, and the lock that keeps it ours.
pub(crate) struct Link {
    /// The stream.
    pub(crate) io: Box<dyn Line>,
    /// The `flock` on the serial device, released when dropped.
    pub(crate) lock: Option<OwnedFd>,
}

/// Opens the line at `location`.
pub(crate) fn open(location: &Location) -> Result<Link, CliError> {
    match location {
        Location::Device { path, baud } => open_device(path, *baud),
        Location::Tcp(addr) => open_tcp(addr),
    }
}

fn open_device(path: &Path, baud: u32) -> Result<Link, CliError> {
    use rustix::fs::{flock, open, FlockOperation, Mode, OFlags};

    let path_buf = path.to_path_buf();
    if !path.exists() {
        return Err(CliError::DeviceMissing(path_buf));
    }
    let reason = |e: &io::Error| {
        CliError::DeviceOpen {
        path: path_buf.clone(),
        reason: match e.kind() {
            io::ErrorKind::PermissionDenied => {
                "permission denied (add yourself to the device's group, e.g. dialout, and log in again)"
                    .to_owned()
            }
            _ => io_reason(e),
        },
    }
    };
    // A descriptor of our own for the advisory lock: NOCTTY so that the
    // device never becomes our controlling terminal, NONBLOCK so that the
    // open does not wait for a carrier.
    let lock = open(
        path,
        OFlags::RDONLY | OFlags::NOCTTY | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| match e {
        rustix::io::Errno::BUSY => CliError::DeviceBusy(path_buf.clone()),
        e => reason(&io::Error::from(e)),
    })?;
    match flock(&lock, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => {}
        Err(rustix::io::Errno::WOULDBLOCK) => return Err(CliError::DeviceBusy(path_buf)),
        Err(e) => return Err(reason(&io::Error::from(e))),
    }
    let port = serialport::new(path.to_string_lossy(), baud)
        .timeout(READ_TIMEOUT)
        .open()
        .map_err(|e| match e.kind() {
            serialport::ErrorKind::NoDevice => CliError::DeviceMissing(path_buf.clone()),
            serialport::ErrorKind::Io(io::ErrorKind::NotFound) => {
                CliError::DeviceMissing(path_buf.clone())
            }
            serialport::ErrorKind::Io(io::ErrorKind::PermissionDenied) => {
                reason(&io::Error::from(io::ErrorKind::PermissionDenied))
            }
            _ if e.description.contains("busy") || e.description.contains("Busy") => {
                CliError::DeviceBusy(path_buf.clone())
            }
            _ => CliError::DeviceOpen {
                path: path_buf.clone(),
                reason: e.description.to_lowercase(),
            },
        })?;
    Ok(Link {
        io: Box::new(port),
        lock: Some(lock),
    })
}

fn open_tcp(addr: &str) -> Result<Link, CliError> {
    let connect_error = |source| CliError::Connect {
        addr: addr.to_owned(),
        source,
    };
    let addrs = addr.to_socket_addrs().map_err(|e| {
        connect_error(io::Error::new(
            e.kind(),
            format!(
                "cannot resolve it ({}); the form is HOST:PORT",
                io_reason(&e)
            ),
        ))
    })?;
    let mut last = io::Error::new(io::ErrorKind::NotFound, "the name has no address");
    for a in addrs {
        match TcpStream::connect_timeout(&a, CONNECT_TIMEOUT) {
            Ok(stream) => {
                stream
                    .set_read_timeout(Some(READ_TIMEOUT))
                    .map_err(connect_error)?;
                stream.set_nodelay(true).map_err(connect_error)?;
                return Ok(Link {
                    io: Box::new(stream),
                    lock: None,
                });
            }
            Err(e) => last = e,
        }
    }
    Err(connect_error(last))
}
