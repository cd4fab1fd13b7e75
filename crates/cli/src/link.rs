//! Opening the line to the modem: a serial device through `serialport`
//! (opened exclusively, so that two programs never share it), or a TCP
//! connection to a network-attached modem (ser2net). Both get a short read
//! timeout, which is how the blocking driver gets to check its deadlines.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

use cellftp_session::driver::blocking::ReadTimeout;

use crate::error::{io_reason, CliError};
use crate::settings::Location;

/// How long a read waits for the modem before the driver looks at its
/// timers (the driver asks for 10–50 ms).
pub(crate) const READ_TIMEOUT: Duration = Duration::from_millis(20);

/// How long connecting to a TCP modem may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A byte stream to the modem whose reads time out, as the blocking driver
/// requires.
pub(crate) trait Line: Read + Write + ReadTimeout {}

impl<T: Read + Write + ReadTimeout> Line for T {}

/// The open line.
pub(crate) struct Link {
    /// The stream.
    pub(crate) io: Box<dyn Line>,
}

/// Opens the line at `location`.
pub(crate) fn open(location: &Location) -> Result<Link, CliError> {
    match location {
        Location::Device { path, baud } => open_device(path, *baud),
        Location::Tcp(addr) => open_tcp(addr),
    }
}

fn open_device(path: &Path, baud: u32) -> Result<Link, CliError> {
    let path_buf = path.to_path_buf();
    if !path.exists() {
        return Err(CliError::DeviceMissing(path_buf));
    }
    // `serialport` opens the device exclusively (TIOCEXCL and an exclusive
    // `flock`) and reports a device held by someone else as `NoDevice`.
    let port = serialport::new(path.to_string_lossy(), baud)
        .timeout(READ_TIMEOUT)
        .open()
        .map_err(|e| match e.kind() {
            serialport::ErrorKind::NoDevice if path.exists() => CliError::DeviceBusy(path_buf.clone()),
            serialport::ErrorKind::NoDevice | serialport::ErrorKind::Io(io::ErrorKind::NotFound) => {
                CliError::DeviceMissing(path_buf.clone())
            }
            serialport::ErrorKind::Io(io::ErrorKind::PermissionDenied) => CliError::DeviceOpen {
                path: path_buf.clone(),
                reason: "permission denied (add yourself to the device's group, e.g. dialout, and log in again)".to_owned(),
            },
            _ => CliError::DeviceOpen {
                path: path_buf.clone(),
                reason: e.description.to_lowercase(),
            },
        })?;
    Ok(Link { io: Box::new(port) })
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
                });
            }
            Err(e) => last = e,
        }
    }
    Err(connect_error(last))
}
