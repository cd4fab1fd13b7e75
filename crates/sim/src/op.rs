//! The FTP operations the modem asks for ([`FtpOp`]) and what came of them
//! ([`FtpResult`]): the contract between the sans-IO [`crate::Modem`] and
//! whatever carries the operations out ([`crate::FtpBackend`] against a
//! real server, or a test's canned answers).

use core::fmt;

use cellftp_proto::{Mode, ServCode, TransferType};

/// One FTP operation to carry out, in the order the modem asks for them.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FtpOp {
    /// Open the control connection (`AT+FTPSERV`). Answer
    /// [`FtpResult::Done`] or [`FtpResult::ServFailed`].
    Connect {
        /// Host name or address.
        host: String,
        /// Control port.
        port: u16,
        /// Data connection mode for every later transfer.
        mode: Mode,
    },
    /// Log in (`AT+FTPPW`, after `AT+FTPUN`).
    Login {
        /// User name.
        user: String,
        /// Password; hidden from `Debug`.
        password: String,
    },
    /// `MKD` of `dir`, relative to `path` (`AT+FTPPATH`), or to the login
    /// directory when no path is set (`SPEC.md` §5 item 52).
    Mkdir {
        /// Working directory, if set.
        path: Option<String>,
        /// The directory to create.
        dir: String,
    },
    /// `RMD` of `dir`, relative to `path` as for [`FtpOp::Mkdir`].
    Rmdir {
        /// Working directory, if set.
        path: Option<String>,
        /// The directory to remove.
        dir: String,
    },
    /// One upload chunk; the first of an upload opens `STOR`.
    PutData {
        /// Working directory (`AT+FTPPATH`), if set.
        path: Option<String>,
        /// The file (`AT+FTPPUTNAME`).
        name: String,
        /// Transfer type.
        transfer_type: TransferType,
        /// The chunk.
        data: Vec<u8>,
        /// Fault: write only this many bytes of the chunk, then drop the
        /// data connection.
        drop_after: Option<u64>,
    },
    /// `AT+FTPPUT=0` right after `AT+FTPPUTNAME`, with no chunk: store an
    /// empty file.
    PutEmpty {
        /// Working directory, if set.
        path: Option<String>,
        /// The file.
        name: String,
        /// Transfer type.
        transfer_type: TransferType,
    },
    /// Close the upload (`AT+FTPPUT=0`): finish `STOR` and read the
    /// server's reply. [`FtpResult::Done`] when no upload is open.
    PutEnd,
    /// `RETR`, from `offset` (`REST`) when not 0.
    Get {
        /// Working directory, if set.
        path: Option<String>,
        /// The file (`AT+FTPGETNAME`).
        name: String,
        /// Transfer type.
        transfer_type: TransferType,
        /// Restart offset (`AT+FTPRESET`).
        offset: u32,
        /// Fault: drop the data connection after this many bytes.
        drop_after: Option<u64>,
    },
    /// `LIST` of the working directory.
    List {
        /// Working directory, if set.
        path: Option<String>,
        /// Fault: drop the data connection after this many bytes.
        drop_after: Option<u64>,
    },
    /// `DELE` of `name` in `path` (the SIMCom dialect's `AT+FTPDELE`).
    Delete {
        /// Directory, if set.
        path: Option<String>,
        /// The file.
        name: String,
    },
    /// `SIZE` of `name` in `path`, in binary type (the SIMCom dialect's
    /// `AT+FTPSIZE`). Answer [`FtpResult::Size`].
    Size {
        /// Directory, if set.
        path: Option<String>,
        /// The file.
        name: String,
    },
    /// `QUIT`, and close the connection.
    Quit,
    /// The modem restarted: drop everything without a word to the server.
    /// No result is expected.
    Reset,
}

impl fmt::Debug for FtpOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FtpOp::Connect { host, port, mode } => f
                .debug_struct("Connect")
                .field("host", host)
                .field("port", port)
                .field("mode", mode)
                .finish(),
            FtpOp::Login { user, .. } => f
                .debug_struct("Login")
                .field("user", user)
                .field("password", &"<redacted>")
                .finish(),
            FtpOp::Mkdir { path, dir } => f
                .debug_struct("Mkdir")
                .field("path", path)
                .field("dir", dir)
                .finish(),
            FtpOp::Rmdir { path, dir } => f
                .debug_struct("Rmdir")
                .field("path", path)
                .field("dir", dir)
                .finish(),
            FtpOp::PutData {
                path,
                name,
                data,
                drop_after,
                ..
            } => f
                .debug_struct("PutData")
                .field("path", path)
                .field("name", name)
                .field("len", &data.len())
                .field("drop_after", drop_after)
                .finish(),
            FtpOp::PutEmpty { path, name, .. } => f
                .debug_struct("PutEmpty")
                .field("path", path)
                .field("name", name)
                .finish(),
            FtpOp::PutEnd => f.write_str("PutEnd"),
            FtpOp::Get {
                path,
                name,
                offset,
                drop_after,
                ..
            } => f
                .debug_struct("Get")
                .field("path", path)
                .field("name", name)
                .field("offset", offset)
                .field("drop_after", drop_after)
                .finish(),
            FtpOp::List { path, drop_after } => f
                .debug_struct("List")
                .field("path", path)
                .field("drop_after", drop_after)
                .finish(),
            FtpOp::Delete { path, name } => f
                .debug_struct("Delete")
                .field("path", path)
                .field("name", name)
                .finish(),
            FtpOp::Size { path, name } => f
                .debug_struct("Size")
                .field("path", path)
                .field("name", name)
                .finish(),
            FtpOp::Quit => f.write_str("Quit"),
            FtpOp::Reset => f.write_str("Reset"),
        }
    }
}

/// What came of an [`FtpOp`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FtpResult {
    /// Done.
    Done,
    /// Done, with data: a downloaded file (from its offset) or a listing,
    /// its lines separated by CR LF.
    Data(Vec<u8>),
    /// Done: the size of a file, in bytes ([`FtpOp::Size`]).
    Size(u64),
    /// The connection could not be opened.
    ServFailed(ServCode),
    /// The server refused, or the connection broke; `partial` holds the
    /// data received before (a get's genuine bytes).
    Failed {
        /// Data received before the failure.
        partial: Vec<u8>,
    },
}
