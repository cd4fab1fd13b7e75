//! The transcript format: what crossed the serial line, readable and
//! diffable.
//!
//! ```text
//! # cellftp transcript v1          comments start with `#`
//! ! get 12.txt offset=2            a job the host ran (see JobSpec)
//! @ 1500                           the time, in ms, of the records below
//! > AT+FTPGET\r                    bytes the host sent
//! < \r\n+FTPGET:3,345\r\n\r\nOK\r\n  bytes the modem sent
//! = 0 Ok(Downloaded { offset: 2, bytes: 3 })   the expected end of job 0
//! ```
//!
//! Bytes are written as printable ASCII with `\r`, `\n`, `\t`, `\0`, `\\`
//! and `\xHH` escapes; everything after `> ` / `< ` to the end of the line
//! is data. One record is one read or write as captured: a decoder fed
//! record by record sees the stream cut where the capture cut it.
//!
//! The dialect is declared by a `! dialect simcom` line before the first
//! job and the first byte record ([`Record::Dialect`], at most one); a
//! transcript without one speaks the first dialect (`SPEC.md`), which
//! `! dialect manual` names. The declaration decides how the `!` job lines
//! after it read ([`JobSpec`] for the first dialect, [`SimcomJob`] for
//! SIMCom's) and which parser, session and redaction framing a replay
//! uses. It is a record, not a comment, so that a reader that does not
//! know it refuses the file instead of replaying it in the wrong dialect.
//!
//! A comment `# lossy: <reason>` marks a transcript imported from a capture
//! that could not represent every byte exactly ([`Transcript::lossy`]); it
//! is an ordinary comment to every other reader.

use std::fmt::{self, Write as _};

use cellftp_proto::simcom::PutOpt;
use cellftp_proto::{Mode, TransferType};
use cellftp_session::simcom::{BearerConfig, FtpConfig as SimcomFtpConfig};
use cellftp_session::{BringUp, FtpConfig, JobId, UsageError};

use crate::redact::{redact_passwords, Redactor};

/// A whole transcript.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Transcript {
    /// The records, in file order.
    pub records: Vec<Record>,
}

/// The AT dialect a transcript speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    /// The first dialect (`SPEC.md`): `cellftp_session::Session`.
    #[default]
    Manual,
    /// SIMCom's FTP command set (`SPEC-simcom.md`):
    /// `cellftp_session::simcom::Session`.
    Simcom,
}

impl Dialect {
    /// `manual` or `simcom`, as a `! dialect` line and the command line
    /// name it.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Manual => "manual",
            Dialect::Simcom => "simcom",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A dialect name that is neither `manual` nor `simcom`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown dialect `{0}`: use manual or simcom")]
pub struct UnknownDialect(pub String);

impl std::str::FromStr for Dialect {
    type Err = UnknownDialect;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "manual" => Ok(Dialect::Manual),
            "simcom" => Ok(Dialect::Simcom),
            other => Err(UnknownDialect(other.to_owned())),
        }
    }
}

/// One line of a transcript. Its `Debug` output shows bytes as escaped
/// text with passwords redacted, as the transcript line would.
#[derive(Clone, PartialEq, Eq)]
pub enum Record {
    /// `# …`
    Comment(String),
    /// `! dialect <name>`: the dialect of the whole transcript, before any
    /// job or byte record.
    Dialect(Dialect),
    /// `! …`: a job the host ran, in order.
    Job(JobSpec),
    /// `@ <ms>`: the time of the following records.
    Time(u64),
    /// `> …`: bytes the host sent.
    Sent(Vec<u8>),
    /// `< …`: bytes the modem sent.
    Received(Vec<u8>),
    /// `= <job> <result>`: the `Debug` form of the job's expected result.
    Expect {
        /// The job's index among the `!` lines.
        job: u32,
        /// The expected `Result<Outcome, JobError>`, as `Debug` prints it.
        result: String,
    },
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = |b: &[u8]| format!("b\"{}\"", escape(&redact_passwords(b)));
        match self {
            Record::Comment(c) => f.debug_tuple("Comment").field(c).finish(),
            Record::Dialect(d) => f.debug_tuple("Dialect").field(d).finish(),
            Record::Job(j) => f.debug_tuple("Job").field(j).finish(),
            Record::Time(t) => f.debug_tuple("Time").field(t).finish(),
            Record::Sent(b) => write!(f, "Sent({})", bytes(b)),
            Record::Received(b) => write!(f, "Received({})", bytes(b)),
            Record::Expect { job, result } => f
                .debug_struct("Expect")
                .field("job", job)
                .field("result", result)
                .finish(),
        }
    }
}

/// A job, as a transcript's `!` line names it.
#[derive(Clone, PartialEq, Eq)]
pub enum JobSpec {
    /// `! bring-up [probe=yes|no] [echo-off=yes|no] [cfun=yes|no] [cid=<n>|none]`
    BringUp(BringUp),
    /// `! configure server=<s> [port=<n>] mode=active|passive type=binary|ascii user=<u> password=<p> [path=<p>]`
    Configure {
        /// Server address.
        server: String,
        /// Control port.
        port: Option<u16>,
        /// Active or passive.
        mode: Mode,
        /// Binary or ASCII.
        transfer_type: TransferType,
        /// User name.
        user: String,
        /// Password (`<redacted>` in recorded transcripts).
        password: String,
        /// Server directory.
        path: Option<String>,
    },
    /// `! put <name> <escaped data>`
    Put {
        /// Remote file name.
        name: String,
        /// The file's content.
        data: Vec<u8>,
    },
    /// `! get <name> [offset=<n>]`
    Get {
        /// Remote file name.
        name: String,
        /// Resume offset.
        offset: u32,
    },
    /// `! list [<path>]`
    List(Option<String>),
    /// `! mkdir <dir>`
    Mkdir(String),
    /// `! rmdir <dir>`
    Rmdir(String),
    /// `! query-config`
    QueryConfig,
    /// `! quit`
    Quit,
    /// `! raw <line>`: one AT command line of the caller's
    /// (`Session::raw`), without its CR.
    Raw(String),
    /// A job of the SIMCom dialect (in a transcript that declares
    /// `! dialect simcom`).
    Simcom(SimcomJob),
}

/// A job of the SIMCom dialect (`cellftp_session::simcom::Session`), as a
/// `!` line names it. Directories default to `/`; a directory is sent with
/// a trailing `/` whether or not it is written with one.
#[derive(Clone, PartialEq, Eq)]
pub enum SimcomJob {
    /// `! bring-up apn=<apn> [user=<u>] [password=<p>]`: `AT`, `ATE0`, the
    /// `AT+SAPBR` bearer.
    BringUp {
        /// The access point name (may be empty: `apn=`).
        apn: String,
        /// The bearer's user name.
        user: Option<String>,
        /// The bearer's password (`<redacted>` in recorded transcripts).
        password: Option<String>,
    },
    /// `! configure server=<s> [port=<n>] [mode=active|passive] user=<u> password=<p>`
    /// (port 21 and passive unless written).
    Configure {
        /// Server address.
        server: String,
        /// Control port.
        port: u16,
        /// Active or passive.
        mode: Mode,
        /// User name.
        user: String,
        /// Password (`<redacted>` in recorded transcripts).
        password: String,
    },
    /// `! put <name> [dir=<d>] [opt=stor|appe|stou] <escaped data>`
    Put {
        /// The remote directory.
        dir: String,
        /// The remote file name.
        name: String,
        /// Store, append or store unique.
        opt: PutOpt,
        /// The file's content.
        data: Vec<u8>,
    },
    /// `! get <name> [dir=<d>] [offset=<n>]`
    Get {
        /// The remote directory.
        dir: String,
        /// The remote file name.
        name: String,
        /// Resume offset (`AT+FTPREST`).
        offset: u32,
    },
    /// `! list [<dir>]`
    List(String),
    /// `! mkdir <dir>`
    Mkdir(String),
    /// `! rmdir <dir>`
    Rmdir(String),
    /// `! delete <name> [dir=<d>]`
    Delete {
        /// The remote directory.
        dir: String,
        /// The remote file name.
        name: String,
    },
    /// `! size <name> [dir=<d>]`
    Size {
        /// The remote directory.
        dir: String,
        /// The remote file name.
        name: String,
    },
    /// `! quit`: `AT+FTPQUIT`.
    Quit,
}

impl fmt::Debug for SimcomJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Printed as its transcript line, which never shows a password.
        f.write_str(&self.to_line())
    }
}

impl fmt::Debug for JobSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Printed as its transcript line, which never shows the password.
        f.write_str(&self.to_line())
    }
}

/// Why a transcript line could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The line starts with no known marker.
    #[error("line {line}: unknown record marker")]
    UnknownRecord {
        /// 1-based line number.
        line: usize,
    },
    /// A bad escape in byte data.
    #[error("line {line}: bad escape at column {column}")]
    BadEscape {
        /// 1-based line number.
        line: usize,
        /// 1-based column within the data.
        column: usize,
    },
    /// A number that is not one.
    #[error("line {line}: expected a number")]
    BadNumber {
        /// 1-based line number.
        line: usize,
    },
    /// A `!` line that names no job or has a bad parameter.
    #[error("line {line}: bad job: {why}")]
    BadJob {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        why: &'static str,
    },
}

impl Transcript {
    /// Reads a transcript.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        Self::parse_located(text).map(|(t, _)| t)
    }

    /// Reads a transcript, with the 1-based source line of each record
    /// (one per record, in order) for diagnostics.
    pub fn parse_located(text: &str) -> Result<(Self, Vec<usize>), ParseError> {
        let mut records = Vec::new();
        let mut lines = Vec::new();
        let mut dialect = Dialect::Manual;
        // A dialect line is allowed until the first job or byte record.
        let mut dialect_open = true;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            // A transcript edited on Windows ends its lines in CR LF; a CR
            // that belongs to the data is always written as `\r`.
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            let (marker, rest) = match raw.char_indices().nth(1) {
                Some((at, _)) => raw.split_at(at),
                None => (raw, ""),
            };
            let data = rest.strip_prefix(' ').unwrap_or(rest);
            let record = match marker {
                "" => continue,
                "#" => Record::Comment(data.to_owned()),
                ">" => Record::Sent(unescape(data, line)?),
                "<" => Record::Received(unescape(data, line)?),
                "@" => Record::Time(
                    data.trim()
                        .parse()
                        .map_err(|_| ParseError::BadNumber { line })?,
                ),
                "!" => match first_three_words(data) {
                    (Some("dialect"), Some(name), None) => {
                        if !dialect_open {
                            return Err(ParseError::BadJob {
                                line,
                                why: "the dialect is declared once, before any job or byte record",
                            });
                        }
                        dialect = name.parse().map_err(|_| ParseError::BadJob {
                            line,
                            why: "the dialect is manual or simcom",
                        })?;
                        dialect_open = false;
                        Record::Dialect(dialect)
                    }
                    _ => Record::Job(JobSpec::parse(dialect, data, line)?),
                },
                "=" => {
                    let (job, result) = data.split_once(' ').unwrap_or((data, ""));
                    Record::Expect {
                        job: job.parse().map_err(|_| ParseError::BadNumber { line })?,
                        result: result.trim().to_owned(),
                    }
                }
                _ => return Err(ParseError::UnknownRecord { line }),
            };
            if matches!(
                record,
                Record::Job(_) | Record::Sent(_) | Record::Received(_)
            ) {
                dialect_open = false;
            }
            records.push(record);
            lines.push(line);
        }
        Ok((Self { records }, lines))
    }

    /// Writes the transcript; passwords in data are redacted, each
    /// direction's records read in order as one stream ([`Redactor`]), so
    /// that a password line cut across records is still found and payload
    /// bytes (file data, listings) are written as they are.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let dialect = self.dialect();
        let (mut sent, mut received) = (Redactor::sent_in(dialect), Redactor::received_in(dialect));
        for record in &self.records {
            let _ = match record {
                Record::Comment(c) => writeln!(out, "# {}", one_line(c)),
                Record::Dialect(d) => writeln!(out, "! dialect {d}"),
                Record::Job(j) => writeln!(out, "! {}", j.to_line()),
                Record::Time(t) => writeln!(out, "@ {t}"),
                Record::Sent(b) => {
                    byte_line(&mut out, '>', &sent.push(b));
                    Ok(())
                }
                Record::Received(b) => {
                    let shown = received.push(b);
                    // The modem's `+FTPPUT: 2,<cnf>` says how many upload
                    // bytes the host's stream holds next.
                    if let Some(cnf) = received.take_put_header() {
                        sent.expect_put_data(cnf);
                    }
                    byte_line(&mut out, '<', &shown);
                    Ok(())
                }
                Record::Expect { job, result } => writeln!(out, "= {job} {}", one_line(result)),
            };
        }
        out
    }

    /// The dialect the transcript declares (`! dialect …`); the first
    /// dialect when it declares none.
    pub fn dialect(&self) -> Dialect {
        self.records
            .iter()
            .find_map(|r| match r {
                Record::Dialect(d) => Some(*d),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// Why the capture this was imported from may differ from what
    /// crossed the line: the text of each `# lossy: …` comment. Empty for
    /// an exact transcript.
    pub fn lossy(&self) -> impl Iterator<Item = &str> {
        self.records.iter().filter_map(|r| match r {
            Record::Comment(c) => c.strip_prefix(LOSSY),
            _ => None,
        })
    }

    /// Marks the transcript lossy with `reason` (one line).
    pub fn mark_lossy(&mut self, reason: &str) {
        self.records
            .push(Record::Comment(format!("{LOSSY}{}", one_line(reason))));
    }

    /// The jobs, in order.
    pub fn jobs(&self) -> impl Iterator<Item = &JobSpec> {
        self.records.iter().filter_map(|r| match r {
            Record::Job(j) => Some(j),
            _ => None,
        })
    }
}

/// How a lossy mark's comment starts.
const LOSSY: &str = "lossy: ";

/// Free text on one line: line ends become spaces.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// The first three words of `text`: enough to tell `! dialect <name>` from
/// a job without splitting the rest (a put's data may be long).
fn first_three_words(text: &str) -> (Option<&str>, Option<&str>, Option<&str>) {
    let mut words = text.split_whitespace();
    (words.next(), words.next(), words.next())
}

/// Appends the record line `<marker> <escaped bytes>` to `out`.
fn byte_line(out: &mut String, marker: char, bytes: &[u8]) {
    out.push(marker);
    out.push(' ');
    out.push_str(&escape(bytes));
    out.push('\n');
}

/// Writes bytes in the transcript's escaped form.
pub fn escape(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            b'\t' => s.push_str("\\t"),
            0 => s.push_str("\\0"),
            b'\\' => s.push_str("\\\\"),
            // A space at either end would not survive editors.
            b' ' if i == 0 || i + 1 == bytes.len() => s.push_str("\\x20"),
            0x20..=0x7e => s.push(char::from(b)),
            _ => {
                s.push_str("\\x");
                s.push(hex_digit(b >> 4));
                s.push(hex_digit(b & 0xf));
            }
        }
    }
    s
}

/// The lowercase hex digit of `n`, below 16.
fn hex_digit(n: u8) -> char {
    debug_assert!(n < 16, "a nibble");
    char::from(if n < 10 { b'0' + n } else { b'a' + (n - 10) })
}

/// Reads bytes in the escaped form.
pub fn unescape(text: &str, line: usize) -> Result<Vec<u8>, ParseError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let bad = ParseError::BadEscape {
            line,
            column: i + 1,
        };
        let (value, len) = match bytes.get(i + 1) {
            Some(b'r') => (b'\r', 2),
            Some(b'n') => (b'\n', 2),
            Some(b't') => (b'\t', 2),
            Some(b'0') => (0, 2),
            Some(b'\\') => (b'\\', 2),
            Some(b'x') => {
                let hex = bytes.get(i + 2..i + 4).ok_or(bad.clone())?;
                let hex = std::str::from_utf8(hex).map_err(|_| bad.clone())?;
                (u8::from_str_radix(hex, 16).map_err(|_| bad)?, 4)
            }
            _ => return Err(bad),
        };
        out.push(value);
        i += len;
    }
    Ok(out)
}

/// A transcript word: escaped, with spaces as `\x20`.
fn word(s: &str) -> String {
    word_bytes(s.as_bytes())
}

/// Bytes as a transcript word: escaped, spaces and `=` as hex escapes.
fn word_bytes(b: &[u8]) -> String {
    escape(b).replace(' ', "\\x20").replace('=', "\\x3d")
}

/// Reads a transcript word back.
fn unword(w: &str, line: usize) -> Result<String, ParseError> {
    String::from_utf8(unescape(w, line)?).map_err(|_| ParseError::BadJob {
        line,
        why: "not UTF-8",
    })
}

fn yes_no(v: &str, line: usize) -> Result<bool, ParseError> {
    match v {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err(ParseError::BadJob {
            line,
            why: "expected yes or no",
        }),
    }
}

/// The words of a `!` line: its kind, its `key=value` parameters and its
/// positional words.
struct Words<'a> {
    kind: &'a str,
    params: Vec<(&'a str, &'a str)>,
    positional: Vec<&'a str>,
}

impl<'a> Words<'a> {
    fn split(text: &'a str, line: usize) -> Result<Self, ParseError> {
        let mut words = text.split_whitespace();
        let kind = words.next().ok_or(ParseError::BadJob {
            line,
            why: "no job name",
        })?;
        let mut params = Vec::new();
        let mut positional = Vec::new();
        for w in words {
            match w.split_once('=') {
                Some((k, v)) => params.push((k, v)),
                None => positional.push(w),
            }
        }
        Ok(Self {
            kind,
            params,
            positional,
        })
    }

    fn get(&self, key: &str) -> Option<&'a str> {
        self.params.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }
}

impl SimcomJob {
    /// Queues this job on `session`, as the verb of its name.
    pub fn queue_on(
        &self,
        session: &mut cellftp_session::simcom::Session,
    ) -> Result<JobId, UsageError> {
        match self {
            SimcomJob::BringUp {
                apn,
                user,
                password,
            } => session.bring_up(&BearerConfig {
                apn,
                user: user.as_deref(),
                password: password.as_deref(),
            }),
            SimcomJob::Configure {
                server,
                port,
                mode,
                user,
                password,
            } => session.configure(&SimcomFtpConfig {
                server,
                port: *port,
                user,
                password,
                mode: *mode,
            }),
            SimcomJob::Put { dir, name, opt, .. } => session.put(dir, name, *opt),
            SimcomJob::Get { dir, name, offset } => session.get(dir, name, *offset),
            SimcomJob::List(d) => session.list(d),
            SimcomJob::Mkdir(d) => session.mkdir(d),
            SimcomJob::Rmdir(d) => session.rmdir(d),
            SimcomJob::Delete { dir, name } => session.delete(dir, name),
            SimcomJob::Size { dir, name } => session.size(dir, name),
            SimcomJob::Quit => session.quit(),
        }
    }

    /// The data a put job uploads; `None` for every other job.
    pub fn upload(&self) -> Option<&[u8]> {
        match self {
            SimcomJob::Put { data, .. } => Some(data),
            _ => None,
        }
    }

    fn parse(text: &str, line: usize) -> Result<Self, ParseError> {
        let w = Words::split(text, line)?;
        let bad = |why| ParseError::BadJob { line, why };
        let dir = || -> Result<String, ParseError> {
            w.get("dir").map_or(Ok("/".to_owned()), |d| unword(d, line))
        };
        let name = || -> Result<String, ParseError> {
            unword(w.positional.first().ok_or(bad("no file name"))?, line)
        };
        let optional = |key: &str| w.get(key).map(|v| unword(v, line)).transpose();
        Ok(match w.kind {
            "bring-up" => SimcomJob::BringUp {
                apn: optional("apn")?.ok_or(bad("no apn (write apn= for none)"))?,
                user: optional("user")?,
                password: optional("password")?,
            },
            "configure" => SimcomJob::Configure {
                server: unword(w.get("server").ok_or(bad("no server"))?, line)?,
                port: w
                    .get("port")
                    .map(|p| p.parse().map_err(|_| bad("bad port")))
                    .transpose()?
                    .unwrap_or(21),
                mode: match w.get("mode") {
                    Some("active") => Mode::Active,
                    Some("passive") | None => Mode::Passive,
                    Some(_) => return Err(bad("mode is active or passive")),
                },
                user: unword(w.get("user").ok_or(bad("no user"))?, line)?,
                password: unword(w.get("password").ok_or(bad("no password"))?, line)?,
            },
            "put" => SimcomJob::Put {
                dir: dir()?,
                name: name()?,
                opt: match w.get("opt") {
                    Some("stor") | None => PutOpt::Stor,
                    Some("appe") => PutOpt::Appe,
                    Some("stou") => PutOpt::Stou,
                    Some(_) => return Err(bad("opt is stor, appe or stou")),
                },
                data: unescape(w.positional.get(1).copied().unwrap_or(""), line)?,
            },
            "get" => SimcomJob::Get {
                dir: dir()?,
                name: name()?,
                offset: w
                    .get("offset")
                    .map(|o| o.parse().map_err(|_| bad("bad offset")))
                    .transpose()?
                    .unwrap_or(0),
            },
            "list" => SimcomJob::List(match w.positional.first() {
                Some(d) => unword(d, line)?,
                None => "/".to_owned(),
            }),
            "mkdir" => SimcomJob::Mkdir(unword(
                w.positional.first().ok_or(bad("no directory"))?,
                line,
            )?),
            "rmdir" => SimcomJob::Rmdir(unword(
                w.positional.first().ok_or(bad("no directory"))?,
                line,
            )?),
            "delete" => SimcomJob::Delete {
                dir: dir()?,
                name: name()?,
            },
            "size" => SimcomJob::Size {
                dir: dir()?,
                name: name()?,
            },
            "quit" => SimcomJob::Quit,
            _ => return Err(bad("unknown job for the SIMCom dialect")),
        })
    }

    /// The job's `!` line, without the marker; passwords are redacted.
    pub fn to_line(&self) -> String {
        match self {
            SimcomJob::BringUp {
                apn,
                user,
                password,
            } => {
                let mut s = format!("bring-up apn={}", word(apn));
                if let Some(u) = user {
                    let _ = write!(s, " user={}", word(u));
                }
                if password.is_some() {
                    s.push_str(" password=<redacted>");
                }
                s
            }
            SimcomJob::Configure {
                server,
                port,
                mode,
                user,
                password: _,
            } => {
                let mode = if *mode == Mode::Active {
                    "active"
                } else {
                    "passive"
                };
                format!(
                    "configure server={} port={port} mode={mode} user={} password=<redacted>",
                    word(server),
                    word(user)
                )
            }
            SimcomJob::Put {
                dir,
                name,
                opt,
                data,
            } => {
                let opt = match opt {
                    PutOpt::Stor => "stor",
                    PutOpt::Appe => "appe",
                    PutOpt::Stou => "stou",
                };
                let mut s = format!("put {} dir={} opt={opt}", word(name), word(dir));
                if !data.is_empty() {
                    let _ = write!(s, " {}", word_bytes(data));
                }
                s
            }
            SimcomJob::Get { dir, name, offset } => {
                format!("get {} dir={} offset={offset}", word(name), word(dir))
            }
            SimcomJob::List(d) => format!("list {}", word(d)),
            SimcomJob::Mkdir(d) => format!("mkdir {}", word(d)),
            SimcomJob::Rmdir(d) => format!("rmdir {}", word(d)),
            SimcomJob::Delete { dir, name } => format!("delete {} dir={}", word(name), word(dir)),
            SimcomJob::Size { dir, name } => format!("size {} dir={}", word(name), word(dir)),
            SimcomJob::Quit => "quit".to_owned(),
        }
    }
}

impl JobSpec {
    /// Queues this job on `session`, as the verb of its name; `None` for a
    /// SIMCom job, which the first dialect's session cannot run.
    pub fn queue_on(
        &self,
        session: &mut cellftp_session::Session,
    ) -> Option<Result<JobId, UsageError>> {
        Some(match self {
            JobSpec::BringUp(b) => session.bring_up(*b),
            JobSpec::Configure {
                server,
                port,
                mode,
                transfer_type,
                user,
                password,
                path,
            } => session.configure(&FtpConfig {
                server,
                port: *port,
                mode: *mode,
                transfer_type: *transfer_type,
                user,
                password,
                path: path.as_deref(),
            }),
            JobSpec::Put { name, .. } => session.put(name),
            JobSpec::Get { name, offset } => session.get(name, *offset),
            JobSpec::List(path) => session.list(path.as_deref()),
            JobSpec::Mkdir(d) => session.mkdir(d),
            JobSpec::Rmdir(d) => session.rmdir(d),
            JobSpec::QueryConfig => session.query_config(),
            JobSpec::Quit => session.quit(),
            JobSpec::Raw(l) => session.raw(l),
            JobSpec::Simcom(_) => return None,
        })
    }

    /// The data a put job uploads (either dialect); `None` for every other
    /// job.
    pub fn upload(&self) -> Option<&[u8]> {
        match self {
            JobSpec::Put { data, .. } => Some(data),
            JobSpec::Simcom(job) => job.upload(),
            _ => None,
        }
    }

    fn parse(dialect: Dialect, text: &str, line: usize) -> Result<Self, ParseError> {
        if dialect == Dialect::Simcom {
            return SimcomJob::parse(text, line).map(JobSpec::Simcom);
        }
        let mut words = text.split_whitespace();
        let bad = |why| ParseError::BadJob { line, why };
        let kind = words.next().ok_or(bad("no job name"))?;
        let mut params = Vec::new();
        let mut positional = Vec::new();
        for w in words {
            match w.split_once('=') {
                Some((k, v)) => params.push((k, v)),
                None => positional.push(w),
            }
        }
        let get = |key: &str| params.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        Ok(match kind {
            "bring-up" => {
                let mut b = BringUp::default();
                if let Some(v) = get("probe") {
                    b.probe = yes_no(v, line)?;
                }
                if let Some(v) = get("echo-off") {
                    b.echo_off = yes_no(v, line)?;
                }
                if let Some(v) = get("cfun") {
                    b.full_functionality = yes_no(v, line)?;
                }
                if let Some(v) = get("cid") {
                    b.pdp_context = match v {
                        "none" => None,
                        n => Some(n.parse().map_err(|_| bad("bad cid"))?),
                    };
                }
                JobSpec::BringUp(b)
            }
            "configure" => JobSpec::Configure {
                server: unword(get("server").ok_or(bad("no server"))?, line)?,
                port: get("port")
                    .map(|p| p.parse().map_err(|_| bad("bad port")))
                    .transpose()?,
                mode: match get("mode") {
                    Some("active") => Mode::Active,
                    Some("passive") | None => Mode::Passive,
                    Some(_) => return Err(bad("mode is active or passive")),
                },
                transfer_type: match get("type") {
                    Some("ascii") => TransferType::Ascii,
                    Some("binary") | None => TransferType::Binary,
                    Some(_) => return Err(bad("type is binary or ascii")),
                },
                user: unword(get("user").ok_or(bad("no user"))?, line)?,
                password: unword(get("password").ok_or(bad("no password"))?, line)?,
                path: get("path").map(|p| unword(p, line)).transpose()?,
            },
            "put" => JobSpec::Put {
                name: unword(positional.first().ok_or(bad("no file name"))?, line)?,
                data: unescape(positional.get(1).copied().unwrap_or(""), line)?,
            },
            "get" => JobSpec::Get {
                name: unword(positional.first().ok_or(bad("no file name"))?, line)?,
                offset: get("offset")
                    .map(|o| o.parse().map_err(|_| bad("bad offset")))
                    .transpose()?
                    .unwrap_or(0),
            },
            "list" => JobSpec::List(positional.first().map(|p| unword(p, line)).transpose()?),
            "mkdir" => JobSpec::Mkdir(unword(
                positional.first().ok_or(bad("no directory"))?,
                line,
            )?),
            "rmdir" => JobSpec::Rmdir(unword(
                positional.first().ok_or(bad("no directory"))?,
                line,
            )?),
            "query-config" => JobSpec::QueryConfig,
            "quit" => JobSpec::Quit,
            "raw" => JobSpec::Raw(unword(
                positional.first().ok_or(bad("no command line"))?,
                line,
            )?),
            _ => return Err(bad("unknown job")),
        })
    }

    /// The job's `!` line, without the marker; the password is redacted.
    pub fn to_line(&self) -> String {
        let yn = |b: bool| if b { "yes" } else { "no" };
        match self {
            JobSpec::BringUp(b) => format!(
                "bring-up probe={} echo-off={} cfun={} cid={}",
                yn(b.probe),
                yn(b.echo_off),
                yn(b.full_functionality),
                b.pdp_context.map_or("none".to_owned(), |c| c.to_string())
            ),
            JobSpec::Configure {
                server,
                port,
                mode,
                transfer_type,
                user,
                password: _,
                path,
            } => {
                let mut s = format!("configure server={}", word(server));
                if let Some(p) = port {
                    let _ = write!(s, " port={p}");
                }
                let mode = if *mode == Mode::Active {
                    "active"
                } else {
                    "passive"
                };
                let ty = if *transfer_type == TransferType::Ascii {
                    "ascii"
                } else {
                    "binary"
                };
                let _ = write!(
                    s,
                    " mode={mode} type={ty} user={} password=<redacted>",
                    word(user)
                );
                if let Some(p) = path {
                    let _ = write!(s, " path={}", word(p));
                }
                s
            }
            JobSpec::Put { name, data } => {
                format!("put {} {}", word(name), word_bytes(data))
            }
            JobSpec::Get { name, offset } => format!("get {} offset={offset}", word(name)),
            JobSpec::List(None) => "list".to_owned(),
            JobSpec::List(Some(p)) => format!("list {}", word(p)),
            JobSpec::Mkdir(d) => format!("mkdir {}", word(d)),
            JobSpec::Rmdir(d) => format!("rmdir {}", word(d)),
            JobSpec::QueryConfig => "query-config".to_owned(),
            JobSpec::Quit => "quit".to_owned(),
            JobSpec::Raw(l) => format!("raw {}", word(l)),
            JobSpec::Simcom(j) => j.to_line(),
        }
    }

    /// The dialect the job belongs to.
    pub fn dialect(&self) -> Dialect {
        match self {
            JobSpec::Simcom(_) => Dialect::Simcom,
            _ => Dialect::Manual,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_every_record() {
        let t = Transcript::parse(
            "# hello\n! get 12.txt offset=2\n@ 15\n> AT+FTPGET\\r\n< \\r\\n+FTPGET:3,345\\r\\n\\r\\nOK\\r\\n\n= 0 Ok(Downloaded { offset: 2, bytes: 3 })\n",
        )
        .unwrap();
        assert_eq!(
            t.records,
            vec![
                Record::Comment("hello".into()),
                Record::Job(JobSpec::Get {
                    name: "12.txt".into(),
                    offset: 2
                }),
                Record::Time(15),
                Record::Sent(b"AT+FTPGET\r".to_vec()),
                Record::Received(b"\r\n+FTPGET:3,345\r\n\r\nOK\r\n".to_vec()),
                Record::Expect {
                    job: 0,
                    result: "Ok(Downloaded { offset: 2, bytes: 3 })".into()
                },
            ]
        );
    }

    #[test]
    fn crlf_line_ends_are_line_ends() {
        let t = Transcript::parse("# note\r\n> AT\\r\r\n#\r").unwrap();
        assert_eq!(
            t.records,
            vec![
                Record::Comment("note".into()),
                Record::Sent(b"AT\r".to_vec()),
                Record::Comment(String::new()),
            ]
        );
        assert_eq!(Transcript::parse(&t.to_text()).unwrap(), t);
    }

    #[test]
    fn rejects_bad_lines() {
        assert_eq!(
            Transcript::parse("? x"),
            Err(ParseError::UnknownRecord { line: 1 })
        );
        assert_eq!(
            Transcript::parse("> \\q"),
            Err(ParseError::BadEscape { line: 1, column: 1 })
        );
        assert_eq!(
            Transcript::parse("> \\x4"),
            Err(ParseError::BadEscape { line: 1, column: 1 })
        );
        assert_eq!(
            Transcript::parse("@ soon"),
            Err(ParseError::BadNumber { line: 1 })
        );
        assert!(matches!(
            Transcript::parse("! fly"),
            Err(ParseError::BadJob { line: 1, .. })
        ));
    }

    #[test]
    fn a_dialect_line_reads_the_jobs_after_it() {
        let text = "# c\n! dialect simcom\n! bring-up apn=\n! put a.bin dir=/up opt=appe ab\n! get a.bin offset=3\n! size a.bin\n> AT\\r\n";
        let t = Transcript::parse(text).unwrap();
        assert_eq!(t.dialect(), Dialect::Simcom);
        let jobs: Vec<&JobSpec> = t.jobs().collect();
        assert_eq!(
            jobs[1],
            &JobSpec::Simcom(SimcomJob::Put {
                dir: "/up".into(),
                name: "a.bin".into(),
                opt: PutOpt::Appe,
                data: b"ab".to_vec()
            })
        );
        assert_eq!(
            jobs[2].to_line(),
            "get a.bin dir=/ offset=3",
            "directories default to /"
        );
        assert_eq!(Transcript::parse(&t.to_text()).unwrap(), t);
        // Without the line, the first dialect; `size` is no job there.
        assert_eq!(
            Transcript::parse("> AT\\r\n").unwrap().dialect(),
            Dialect::Manual
        );
        assert!(Transcript::parse("! size a.bin\n").is_err());
        // Once, before any job or byte.
        for bad in [
            "> AT\\r\n! dialect simcom\n",
            "! dialect simcom\n! dialect simcom\n",
            "! dialect hayes\n",
        ] {
            assert!(
                matches!(
                    Transcript::parse(bad),
                    Err(ParseError::BadJob { line: _, .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn simcom_passwords_never_show() {
        let t = Transcript {
            records: vec![
                Record::Dialect(Dialect::Simcom),
                Record::Job(JobSpec::Simcom(SimcomJob::BringUp {
                    apn: "internet".into(),
                    user: Some("u".into()),
                    password: Some("b3arer".into()),
                })),
                Record::Job(JobSpec::Simcom(SimcomJob::Configure {
                    server: "h".into(),
                    port: 21,
                    mode: Mode::Passive,
                    user: "u".into(),
                    password: "s3cret".into(),
                })),
                Record::Sent(b"AT+SAPBR=3,1,\"PWD\",\"b3arer\"\rAT+FTPPW=\"s3cret\"\r".to_vec()),
                Record::Sent(b"AT+FTPPUT=2,9\r".to_vec()),
                Record::Received(b"\r\n+FTPPUT: 2,9\r\n".to_vec()),
                // Upload bytes are file data, kept as they are.
                Record::Sent(b"PWD,\"x\"\r\n".to_vec()),
            ],
        };
        let text = t.to_text();
        assert!(
            !text.contains("b3arer") && !text.contains("s3cret"),
            "{text}"
        );
        assert!(text.contains("> PWD,\"x\"\\r\\n"), "{text}");
        let debug = format!("{t:?}");
        assert!(
            !debug.contains("b3arer") && !debug.contains("s3cret"),
            "{debug}"
        );
    }

    #[test]
    fn lossy_marks_round_trip() {
        let mut t = Transcript::parse("# plain\n> AT\\r\n").unwrap();
        assert_eq!(t.lossy().count(), 0);
        t.mark_lossy("a `.` may\nhave been another byte");
        let back = Transcript::parse(&t.to_text()).unwrap();
        assert_eq!(back, t);
        assert_eq!(
            back.lossy().collect::<Vec<_>>(),
            ["a `.` may have been another byte"]
        );
    }

    #[test]
    fn writer_redacts_passwords() {
        let t = Transcript {
            records: vec![
                Record::Job(JobSpec::Configure {
                    server: "h".into(),
                    port: None,
                    mode: Mode::Passive,
                    transfer_type: TransferType::Binary,
                    user: "u".into(),
                    password: "s3cret".into(),
                    path: None,
                }),
                Record::Sent(b"AT+FTPPW=s3cret\r".to_vec()),
                Record::Received(b"AT+FTPPW=s3cret\r\r\nOK\r\n".to_vec()),
            ],
        };
        let text = t.to_text();
        assert!(!text.contains("s3cret"), "{text}");
        // `Debug` shows the bytes as text, so the search can find them.
        let debug = format!("{t:?}");
        assert!(debug.contains("AT+FTPPW=<redacted>"), "{debug}");
        assert!(!debug.contains("s3cret"), "{debug}");
    }

    fn record() -> impl Strategy<Value = Record> {
        prop_oneof![
            "[ -~]{0,40}".prop_map(|s| Record::Comment(s.trim().to_owned())),
            any::<u64>().prop_map(Record::Time),
            proptest::collection::vec(any::<u8>(), 0..64)
                .prop_map(|b| Record::Sent(redact_passwords(&b))),
            proptest::collection::vec(any::<u8>(), 0..64)
                .prop_map(|b| Record::Received(redact_passwords(&b))),
            ("[a-z0-9._]{1,12}", any::<u32>())
                .prop_map(|(name, offset)| Record::Job(JobSpec::Get { name, offset })),
            (
                "[a-z0-9._]{1,12}",
                proptest::collection::vec(any::<u8>(), 0..32)
            )
                .prop_map(|(name, data)| Record::Job(JobSpec::Put { name, data })),
            (any::<u32>(), "[ -~]{0,30}").prop_map(|(job, r)| Record::Expect {
                job,
                result: r.trim().to_owned()
            }),
        ]
    }

    proptest! {
        #[test]
        fn write_then_read_is_identity(records in proptest::collection::vec(record(), 0..20)) {
            // Written once, the data is redacted as a stream: from then on
            // writing and reading change nothing.
            let t = Transcript::parse(&Transcript { records }.to_text()).unwrap();
            let back = Transcript::parse(&t.to_text()).unwrap();
            prop_assert_eq!(back, t);
        }

        #[test]
        fn parse_never_panics(text in "(?s).{0,200}") {
            let _ = Transcript::parse(&text);
        }
    }
}
