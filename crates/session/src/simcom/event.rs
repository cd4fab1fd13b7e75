//! What the SIMCom session tells the caller: [`Event`]s and each job's
//! [`Outcome`].

use core::fmt;

use cellftp_proto::listing::{Entry, ListingError};
use cellftp_proto::simcom::Response;

use super::JobError;
use crate::event::JobId;

/// Something the caller should know or act on, from
/// [`super::Session::poll_event`]; it may borrow the session, so drop it
/// before calling the session again.
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A put job may send a chunk: call [`super::Session::send_data`] with
    /// up to `max` bytes, or [`super::Session::finish_put`].
    PutReady {
        /// The put job.
        job: JobId,
        /// The largest chunk accepted now: the modem's `<maxlength>`, at
        /// most [`cellftp_proto::simcom::MAX_PUT_DATA`].
        max: usize,
    },
    /// The modem acknowledged a chunk: `bytes` of the file are written.
    PutProgress {
        /// The put job.
        job: JobId,
        /// Bytes accepted so far.
        bytes: u64,
    },
    /// Downloaded bytes, in order.
    Data {
        /// The get job.
        job: JobId,
        /// Where in the file they belong (the restart offset included).
        offset: u64,
        /// The bytes, borrowed from the receive buffer.
        data: &'a [u8],
    },
    /// One line of a directory listing (lines may span reads).
    ListLine {
        /// The list job.
        job: JobId,
        /// The raw line, at most [`cellftp_proto::MAX_LINE`] bytes.
        line: &'a [u8],
        /// The line parsed.
        entry: Result<Entry<'a>, ListingError>,
    },
    /// A job ended: exactly one per job.
    JobDone {
        /// The job.
        job: JobId,
        /// How it went.
        result: Result<Outcome, JobError>,
    },
    /// A line no job expected: a URC (`+SAPBR 1: DEACT`, `RDY`), a stray
    /// final result, an unknown line.
    Unsolicited(Response<'a>),
}

impl fmt::Debug for Event<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::PutReady { job, max } => f
                .debug_struct("PutReady")
                .field("job", job)
                .field("max", max)
                .finish(),
            Event::PutProgress { job, bytes } => f
                .debug_struct("PutProgress")
                .field("job", job)
                .field("bytes", bytes)
                .finish(),
            Event::Data { job, offset, data } => f
                .debug_struct("Data")
                .field("job", job)
                .field("offset", offset)
                .field("data", &Escaped(data))
                .finish(),
            Event::ListLine { job, line, entry } => f
                .debug_struct("ListLine")
                .field("job", job)
                .field("line", &Escaped(line))
                .field("entry", entry)
                .finish(),
            Event::JobDone { job, result } => f
                .debug_struct("JobDone")
                .field("job", job)
                .field("result", result)
                .finish(),
            Event::Unsolicited(r) => f.debug_tuple("Unsolicited").field(r).finish(),
        }
    }
}

/// Bytes shown as an escaped byte string, without allocating.
struct Escaped<'a>(&'a [u8]);

impl fmt::Debug for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

/// What a job of the SIMCom session achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The modem answers, echo is off, the bearer is open.
    BroughtUp,
    /// The FTP parameters are set.
    Configured,
    /// The upload is complete on the server.
    Uploaded {
        /// Bytes sent.
        bytes: u64,
    },
    /// The download is complete.
    Downloaded {
        /// The restart offset it started from.
        offset: u32,
        /// Bytes received.
        bytes: u64,
    },
    /// The listing is complete.
    Listed {
        /// Lines parsed as entries.
        entries: u32,
        /// Lines in all.
        lines: u32,
    },
    /// The directory was created.
    DirectoryCreated,
    /// The directory was removed.
    DirectoryRemoved,
    /// The file was deleted.
    Deleted,
    /// The file's size.
    Size {
        /// In bytes.
        bytes: u32,
    },
    /// `AT+FTPQUIT` was answered: no operation runs.
    Quit,
}
