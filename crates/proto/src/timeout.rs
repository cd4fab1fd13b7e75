//! How long a driver waits for a command's final result: the classes of
//! `SPEC.md` §1.12, one per row of its timeout table. A leaf module.

/// Which default timeout of `SPEC.md` §1.12 applies to a command; see
/// [`crate::Command::timeout_class`].
///
/// The durations are the session's defaults, each configurable there; this
/// crate only says which one a command gets. Deliberately not
/// `#[non_exhaustive]`: a new class must break every `match` that picks a
/// duration, so that none falls back to a default silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimeoutClass {
    /// 5 s: `AT`, `ATE0`/`ATE1`, the local settings, `AT+FTPSCON`, and the
    /// test and query forms of every FTP command.
    Local,
    /// 15 s: `AT+CFUN`, every form.
    Cfun,
    /// 150 s: `AT+CGACT`, every form (PDP activation may take this long).
    Cgact,
    /// 60 s: `AT+FTPSERV=<server>`, which connects to the server.
    Serv,
    /// 30 s: `AT+FTPMKD=<dir>` and `AT+FTPRMD=<dir>`.
    Directory,
    /// 30 s: one `AT+FTPPUT=<len>,<data>` chunk.
    PutChunk,
    /// 60 s: `AT+FTPPUT=0`, which closes the upload and waits for the
    /// server.
    PutEnd,
    /// 60 s of inactivity: `AT+FTPGET` and `AT+FTPLIST`; the timer restarts
    /// whenever payload bytes arrive.
    Transfer,
    /// 30 s: `AT+FTPQUIT`.
    Quit,
}
