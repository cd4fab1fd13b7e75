//! What the session tells the caller: [`Event`]s, and the [`Outcome`] of each
//! job.

use core::fmt::{self, Write as _};

use cellftp_proto::listing::{Entry, ListingError};
use cellftp_proto::Response;

use crate::JobError;

/// Names a queued job in the events about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub(crate) u32);

impl JobId {
    /// The job's number: jobs are numbered from 0 in the order they were
    /// queued.
    pub const fn get(self) -> u32 {
        self.0
    }
}

/// Something the caller should know or act on. Returned by
/// [`crate::Session::poll_event`]; it may borrow the session's receive
/// buffer, so it must be dropped before the session is called again.
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A put job is ready for data: call [`crate::Session::send_data`] with
    /// up to `max` bytes, or [`crate::Session::finish_put`] when the file is
    /// complete. The session buffers no more than one chunk.
    PutReady {
        /// The put job.
        job: JobId,
        /// The largest chunk accepted now.
        max: usize,
    },
    /// The modem acknowledged a chunk of an upload: `bytes` of the file
    /// are sent. Reported after every acknowledged chunk, before the next
    /// [`Event::PutReady`].
    PutProgress {
        /// The put job.
        job: JobId,
        /// Bytes the modem accepted so far.
        bytes: u64,
    },
    /// Downloaded bytes, in order.
    Data {
        /// The get job.
        job: JobId,
        /// Where in the file these bytes belong (the resume offset included).
        offset: u64,
        /// The bytes, borrowed from the receive buffer.
        data: &'a [u8],
    },
    /// One line of a directory listing.
    ListLine {
        /// The list job.
        job: JobId,
        /// The raw line.
        line: &'a [u8],
        /// The line parsed; `Err` for `total` lines and lines in no known
        /// format.
        entry: Result<Entry<'a>, ListingError>,
    },
    /// One item of the modem's `AT+FTPSCON` configuration report. Its
    /// format is the firmware's; `Debug` output hides anything that looks
    /// like a password.
    Config {
        /// The query job.
        job: JobId,
        /// The item.
        item: Response<'a>,
    },
    /// An information line answering a raw job's command line
    /// ([`crate::Session::raw`]). `Debug` output hides anything that looks
    /// like a password.
    RawLine {
        /// The raw job.
        job: JobId,
        /// The line, as the decoder read it.
        item: Response<'a>,
    },
    /// A job ended. Exactly one per job.
    JobDone {
        /// The job.
        job: JobId,
        /// How it went.
        result: Result<Outcome, JobError>,
    },
    /// A probe of the session's own went unanswered: bring-up's `AT`, or a
    /// resynchronising `AT+FTPGETNAME` (`SPEC.md` §5). It is tried again
    /// up to [`crate::Config::probe_attempts`] times.
    NoAnswer {
        /// The probe's command.
        command: cellftp_proto::CommandName,
    },
    /// A line that belongs to no command: an unsolicited result code, a
    /// stray final result, an unknown or overlong line.
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
            Event::Config { job, item } => f
                .debug_struct("Config")
                .field("job", job)
                .field("item", item)
                .finish(),
            Event::RawLine { job, item } => f
                .debug_struct("RawLine")
                .field("job", job)
                .field("item", item)
                .finish(),
            Event::JobDone { job, result } => f
                .debug_struct("JobDone")
                .field("job", job)
                .field("result", result)
                .finish(),
            Event::NoAnswer { command } => f
                .debug_struct("NoAnswer")
                .field("command", command)
                .finish(),
            Event::Unsolicited(r) => f.debug_tuple("Unsolicited").field(r).finish(),
        }
    }
}

/// Bytes as an escaped byte string.
struct Escaped<'a>(&'a [u8]);

impl fmt::Debug for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("b\"")?;
        for &b in self.0 {
            for c in core::ascii::escape_default(b) {
                f.write_char(char::from(c))?;
            }
        }
        f.write_str("\"")
    }
}

/// What a job achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Bring-up finished.
    BroughtUp,
    /// The FTP connection is configured and logged in.
    Configured,
    /// The upload is complete.
    Uploaded {
        /// Bytes sent.
        bytes: u64,
    },
    /// The download is complete.
    Downloaded {
        /// The offset it started from.
        offset: u32,
        /// Bytes received.
        bytes: u64,
    },
    /// The listing is complete.
    Listed {
        /// Lines parsed as entries.
        entries: u32,
        /// Lines in all (`total` and unparsed lines included).
        lines: u32,
    },
    /// The directory was created.
    DirectoryCreated,
    /// The directory was removed.
    DirectoryRemoved,
    /// The configuration report is complete.
    ConfigReported {
        /// Items reported.
        items: u32,
    },
    /// The FTP connection is closed.
    Quit,
    /// A raw command line was answered with success.
    RawDone {
        /// Information lines that answered it ([`Event::RawLine`]).
        lines: u32,
    },
}
