//! Importers: captured serial logs to [`Transcript`]s.
//!
//! One module per capture format, each documenting the exact shape of what
//! its tool writes:
//!
//! | [`Format`] | `--format` | tool |
//! |---|---|---|
//! | [`Format::Transcript`] | `transcript` | this crate's own `.cftx` |
//! | [`Format::SocatText`] | `socat` | `socat -v` |
//! | [`Format::SocatHex`] | `socat-hex` | `socat -x`, `socat -v -x` |
//! | [`Format::PyserialSpy`] | `pyserial-spy` | pyserial `spy://` hex dump |
//! | [`Format::PyserialRaw`] | `pyserial-raw` | pyserial `spy://…?raw&color` |
//! | [`Format::Interceptty`] | `interceptty` | interceptty |
//! | [`Format::Terminal`] | `terminal` (`tio`, `picocom`, `minicom`) | single-stream terminal logs |
//! | [`Format::SaleaeLogic1`] | `saleae-logic1` | Saleae Logic 1 async-serial CSV |
//! | [`Format::SaleaeLogic2`] | `saleae-logic2` | Saleae Logic 2 async-serial CSV |
//! | [`Format::Prefixed`] | `prefixed` | hand-written `>`/`<`, `TX`/`RX` logs |
//!
//! [`Format::detect`] picks a format from the content (the name is only a
//! hint), [`import`] reads a file in a given format. Every importer keeps
//! the capture's chunk boundaries (one [`Record::Sent`] / [`Record::Received`]
//! per captured read or write, where the format records them) and its
//! timestamps (a [`Record::Time`] in ms since the first one). A file that
//! breaks its format is an [`ImportError`] naming the line and column and
//! what was expected; a file from which no AT command can be read is one
//! too. Where a format cannot represent a byte exactly the transcript is
//! marked lossy ([`Transcript::lossy`]) with the reason.
//!
//! Every importer redacts passwords, through a [`Redactor`] per direction
//! (payloads kept as they are), at one place: the builder's `data` method.

use std::fmt;
use std::str::FromStr;

use crate::transcript::{escape, ParseError, Record, Transcript};
use crate::{redact_passwords, Redactor};

mod interceptty;
mod prefixed;
mod pyserial;
mod saleae;
mod socat;
mod terminal;

/// Which importer reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// The transcript format itself (`.cftx`).
    Transcript,
    /// A `socat -v` text trace.
    SocatText,
    /// A `socat -x` or `socat -v -x` hex trace.
    SocatHex,
    /// pyserial's `spy://` hex dump.
    PyserialSpy,
    /// pyserial's `spy://…?raw&color` stream: colour codes mark direction.
    PyserialRaw,
    /// interceptty's one-byte-per-line log.
    Interceptty,
    /// A single-stream terminal log (tio, picocom, minicom, a hand copy).
    Terminal,
    /// A Saleae Logic 1 async-serial analyzer export.
    SaleaeLogic1,
    /// A Saleae Logic 2 async-serial analyzer export.
    SaleaeLogic2,
    /// Hand-written `>`/`<` or `TX`/`RX` prefixed lines.
    Prefixed,
}

impl Format {
    /// Every format, in the order [`Format::detect`] tries them.
    pub const ALL: [Format; 10] = [
        Format::Transcript,
        Format::SocatHex,
        Format::SocatText,
        Format::PyserialSpy,
        Format::PyserialRaw,
        Format::Interceptty,
        Format::SaleaeLogic2,
        Format::SaleaeLogic1,
        Format::Prefixed,
        Format::Terminal,
    ];

    /// The `--format` name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Transcript => "transcript",
            Format::SocatText => "socat",
            Format::SocatHex => "socat-hex",
            Format::PyserialSpy => "pyserial-spy",
            Format::PyserialRaw => "pyserial-raw",
            Format::Interceptty => "interceptty",
            Format::Terminal => "terminal",
            Format::SaleaeLogic1 => "saleae-logic1",
            Format::SaleaeLogic2 => "saleae-logic2",
            Format::Prefixed => "prefixed",
        }
    }

    /// Guesses the format from the content; the file name is only a hint
    /// (`.cftx` for a transcript). Only the first [`DETECT_WINDOW`] bytes
    /// are looked at. `None`: no importer recognises the file.
    ///
    /// A leading UTF-8 byte-order mark is skipped. A file that carries a
    /// socat block header in its head is read as a socat trace even when it
    /// does not start with one (a trace cut at the front), unless a
    /// terminal log's command comes first: either importer then says where
    /// the file breaks its format, so it is never taken for a clean
    /// terminal log.
    pub fn detect(name: &str, bytes: &[u8]) -> Option<Format> {
        let bytes = without_bom(bytes);
        let head = bytes.get(..DETECT_WINDOW).unwrap_or(bytes);
        if name.ends_with(".cftx") || head.starts_with(b"# cellftp transcript") {
            return Some(Format::Transcript);
        }
        let bytes = without_leading_nul(bytes);
        let head = bytes.get(..DETECT_WINDOW).unwrap_or(bytes);
        if not_text(bytes).is_some() {
            return None;
        }
        let found = Format::ALL.into_iter().find(|f| match f {
            Format::Transcript => false,
            Format::SocatHex => socat::looks_like(head) == Some(true),
            Format::SocatText => socat::looks_like(head) == Some(false),
            Format::PyserialSpy => pyserial::looks_like_spy(head),
            Format::PyserialRaw => pyserial::looks_like_raw(head),
            Format::Interceptty => interceptty::looks_like(head),
            Format::SaleaeLogic2 => saleae::looks_like_logic2(head),
            Format::SaleaeLogic1 => saleae::looks_like_logic1(head),
            Format::Prefixed => prefixed::looks_like(head),
            Format::Terminal => terminal::looks_like(head),
        });
        match (found, socat::find_header(head)) {
            // A terminal log with a socat trace after it: its importer
            // says where the trace starts.
            (Some(Format::Terminal), Some(at))
                if terminal::first_command(head).is_some_and(|c| c < at) =>
            {
                Some(Format::Terminal)
            }
            (None | Some(Format::Terminal), Some(at)) => {
                let from = head.get(at..).unwrap_or_default();
                Some(match socat::looks_like(from) {
                    Some(true) => Format::SocatHex,
                    _ => Format::SocatText,
                })
            }
            (found, _) => found,
        }
    }
}

/// The UTF-8 byte-order mark some editors put at the start of a file.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// `bytes` without a leading UTF-8 byte-order mark.
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// `bytes` without one NUL byte at the start, if only one stands there.
fn without_leading_nul(bytes: &[u8]) -> &[u8] {
    match bytes {
        [0, next, ..] if *next != 0 => bytes.get(1..).unwrap_or(bytes),
        _ => bytes,
    }
}

/// Why a log that starts with one NUL byte is marked lossy.
const LEADING_NUL: &str = "the file starts with a NUL byte (a glitch on the line at power-up, \
most likely); it was dropped";

/// How much of a file [`Format::detect`] reads.
pub const DETECT_WINDOW: usize = 4096;

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A `--format` name no importer has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown capture format `{0}`; known: transcript, socat, socat-hex, pyserial-spy, pyserial-raw, interceptty, terminal (tio, picocom, minicom), saleae-logic1, saleae-logic2, prefixed")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.to_ascii_lowercase();
        if let Some(f) = Format::ALL.into_iter().find(|f| f.name() == lower) {
            return Ok(f);
        }
        Ok(match lower.as_str() {
            "cftx" => Format::Transcript,
            "socat-v" | "socat-text" => Format::SocatText,
            "socat-x" | "socat-vx" => Format::SocatHex,
            "pyserial" | "spy" => Format::PyserialSpy,
            "tio" | "picocom" | "minicom" => Format::Terminal,
            "saleae1" | "logic1" => Format::SaleaeLogic1,
            "saleae" | "saleae2" | "logic2" => Format::SaleaeLogic2,
            "tx-rx" | "hand" => Format::Prefixed,
            _ => return Err(UnknownFormat(s.to_owned())),
        })
    }
}

/// A capture read into a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The format it was read as.
    pub format: Format,
    /// What crossed the line. Lossy reads are marked in it
    /// ([`Transcript::lossy`]).
    pub transcript: Transcript,
    /// The 1-based line of the capture each record was read from, one per
    /// record of `transcript` (a lossy mark has the first line).
    pub lines: Vec<usize>,
}

/// An importer's result: the transcript and the source line of each of its
/// records. Reads as the transcript.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Located {
    /// What was read.
    pub(crate) transcript: Transcript,
    /// One 1-based source line per record.
    pub(crate) lines: Vec<usize>,
}

impl std::ops::Deref for Located {
    type Target = Transcript;

    fn deref(&self) -> &Transcript {
        &self.transcript
    }
}

/// Why a capture could not be imported: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The file, as the caller named it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in bytes.
    pub column: usize,
    /// What is wrong there.
    pub kind: ImportErrorKind,
}

/// What is wrong with a capture.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportErrorKind {
    /// The bytes there break the format.
    #[error("expected {expected}, found {found}")]
    Expected {
        /// What the format has there.
        expected: &'static str,
        /// What the file has there, escaped (see [`shown`]).
        found: String,
    },
    /// The file is not text at all.
    #[error("this is {what}, not a text capture")]
    NotText {
        /// What it looks like instead.
        what: &'static str,
    },
    /// No importer recognises the file.
    #[error(
        "no importer recognises this file (it starts with {found}); name its format with --format"
    )]
    Unrecognised {
        /// The file's first bytes, escaped.
        found: String,
    },
    /// The file holds no command the host sent.
    #[error("no AT command found")]
    NoCommand,
    /// A timestamp earlier than the one before it.
    #[error("time goes backwards: {found} comes after {previous}")]
    Backwards {
        /// The earlier timestamp, as written.
        previous: String,
        /// This one, as written.
        found: String,
    },
    /// Another capture format's marker inside a file read as one format:
    /// two captures glued together, or a file cut at the front.
    #[error("found {found}, {what}: this file mixes capture formats")]
    Foreign {
        /// What the marker is.
        what: &'static str,
        /// The marker, escaped (see [`shown`]).
        found: String,
    },
    /// The file stops in the middle of something it started.
    #[error("the file ends inside {what} {found}: it was cut off")]
    CutOff {
        /// What was cut.
        what: &'static str,
        /// What stands there, escaped (see [`shown`]).
        found: String,
    },
    /// A trace whose format ends lines with LF has CR LF line ends.
    #[error(
        "this line ends in CR LF, where the format has LF alone: the file's line ends were \
         converted (by a Windows editor or a file transfer in text mode); convert them back \
         (`dos2unix`)"
    )]
    CrlfLineEnds,
    /// A `.cftx` transcript that does not parse.
    #[error("not a valid transcript: {0}")]
    Transcript(ParseError),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.kind
        )
    }
}

impl std::error::Error for ImportError {}

impl ImportError {
    /// An error at `line`:`column` of a file not yet named.
    pub(crate) fn at(line: usize, column: usize, kind: ImportErrorKind) -> Self {
        Self {
            file: String::new(),
            line,
            column,
            kind,
        }
    }

    /// `expected` at `line`:`column`, where the file has `found`.
    pub(crate) fn expected(
        line: usize,
        column: usize,
        expected: &'static str,
        found: &[u8],
    ) -> Self {
        Self::at(
            line,
            column,
            ImportErrorKind::Expected {
                expected,
                found: shown(found),
            },
        )
    }
}

/// Offending bytes as an error shows them: cut to the line and its first
/// 40 bytes, passwords redacted, escaped like transcript data, in
/// backticks; "the end of the file" for none.
pub fn shown(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "the end of the file".to_owned();
    }
    let line = bytes
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes, |end| bytes.get(..=end).unwrap_or(bytes));
    let cut = line.get(..40).unwrap_or(line);
    let more = if cut.len() < bytes.len() && cut.len() == 40 {
        "…"
    } else {
        ""
    };
    format!("`{}`{more}", escape(&redact_passwords(cut)))
}

/// Reads `bytes`, a file called `name`, as `format`.
///
/// A leading UTF-8 byte-order mark is skipped (columns on line 1 still
/// count its 3 bytes). A single NUL byte at the start of a capture (not a
/// transcript) is dropped and the import marked lossy, saying so.
pub fn import(format: Format, name: &str, bytes: &[u8]) -> Result<Imported, ImportError> {
    let bom = bytes.len() - without_bom(bytes).len();
    let bytes = without_bom(bytes);
    let nul = if format == Format::Transcript {
        0
    } else {
        bytes.len() - without_leading_nul(bytes).len()
    };
    let bytes = bytes.get(nul..).unwrap_or_default();
    let read = || -> Result<Located, ImportError> {
        if let Some(e) = not_text(bytes) {
            return Err(e);
        }
        match format {
            Format::Transcript => {
                let text = std::str::from_utf8(bytes).map_err(|e| {
                    let (line, column) = position(bytes, e.valid_up_to());
                    let rest = bytes.get(e.valid_up_to()..).unwrap_or_default();
                    ImportError::expected(line, column, "UTF-8 text", rest)
                })?;
                Transcript::parse_located(text)
                    .map(|(transcript, lines)| Located { transcript, lines })
                    .map_err(|e| {
                        let (line, column) = match e {
                            ParseError::BadEscape { line, column } => (line, column),
                            ParseError::UnknownRecord { line }
                            | ParseError::BadNumber { line }
                            | ParseError::BadJob { line, .. } => (line, 1),
                        };
                        ImportError::at(line, column, ImportErrorKind::Transcript(e))
                    })
            }
            Format::SocatText => socat::text(bytes),
            Format::SocatHex => socat::hex(bytes),
            Format::PyserialSpy => pyserial::spy(bytes),
            Format::PyserialRaw => pyserial::raw(bytes),
            Format::Interceptty => interceptty::read(bytes),
            Format::Terminal => terminal::read(bytes),
            Format::SaleaeLogic1 => saleae::logic1(bytes),
            Format::SaleaeLogic2 => saleae::logic2(bytes),
            Format::Prefixed => prefixed::read(bytes),
        }
    };
    read()
        .map(|mut l| {
            if nul > 0 {
                l.transcript.mark_lossy(LEADING_NUL);
                l.lines.push(1);
            }
            Imported {
                format,
                transcript: l.transcript,
                lines: l.lines,
            }
        })
        .map_err(|mut e| {
            name.clone_into(&mut e.file);
            hide_cut_password(&mut e, bytes);
            if e.line == 1 {
                e.column += bom + nul;
            }
            e
        })
}

/// What an error says it found starts at its column, which may lie inside
/// a password line whose start an importer took as data (a capture block
/// can end in the middle of a line): [`shown`] cannot see the command from
/// there, so such an error shows the whole line, redacted, instead.
fn hide_cut_password(e: &mut ImportError, bytes: &[u8]) {
    let ImportErrorKind::Expected { found, .. } = &mut e.kind else {
        return;
    };
    let Some(line) = bytes.split(|&b| b == b'\n').nth(e.line.saturating_sub(1)) else {
        return;
    };
    // Only the line up to the end of what is shown matters, and only if it
    // can spell `FTPPW`.
    let line = line.get(..e.column.saturating_add(48)).unwrap_or(line);
    if !line.iter().any(|b| b.eq_ignore_ascii_case(&b'w')) {
        return;
    }
    let shows_secret = cellftp_proto::secret_ranges(line).any(|r| {
        line.get(r)
            .is_some_and(|s| !s.is_empty() && found.contains(&escape(s)))
    });
    if shows_secret {
        *found = shown(line);
    }
}

/// Detects the format of `bytes` and reads it: [`Format::detect`], then
/// [`import`]. A file no importer recognises is an error.
pub fn detect_and_import(name: &str, bytes: &[u8]) -> Result<Imported, ImportError> {
    match Format::detect(name, bytes) {
        Some(format) => import(format, name, bytes),
        None => {
            let bytes = without_leading_nul(without_bom(bytes));
            let mut e = not_text(bytes).unwrap_or_else(|| {
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    ImportError::at(1, 1, ImportErrorKind::NoCommand)
                } else {
                    ImportError::at(
                        1,
                        1,
                        ImportErrorKind::Unrecognised {
                            found: shown(bytes),
                        },
                    )
                }
            });
            name.clone_into(&mut e.file);
            Err(e)
        }
    }
}

/// Reads `bytes` in the format `name` and its content suggest; the
/// transcript only. See [`detect_and_import`].
pub fn any(name: &str, bytes: impl AsRef<[u8]>) -> Result<Transcript, ImportError> {
    detect_and_import(name, bytes.as_ref()).map(|i| i.transcript)
}

/// UTF-16 text or a flood of NULs: not a capture any importer reads.
fn not_text(bytes: &[u8]) -> Option<ImportError> {
    let head = bytes.get(..512).unwrap_or(bytes);
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return Some(ImportError::at(
            1,
            1,
            ImportErrorKind::NotText {
                what: "UTF-16 text",
            },
        ));
    }
    // Both checks below count NULs; most captures have none or few, and
    // `memchr` finds them without a comparison per byte that the fuzzer
    // would trace.
    let first_nul = memchr::memchr(0, head)?;
    // UTF-16 without a byte-order mark: every other byte a NUL.
    let pairs = head.len() / 2;
    let (mut odd_nuls, mut even_nuls) = (0, 0);
    for at in memchr::memchr_iter(0, head) {
        if at % 2 == 1 {
            odd_nuls += 1;
        } else {
            even_nuls += 1;
        }
    }
    if pairs >= 4 && (odd_nuls * 10 >= pairs * 9 || even_nuls * 10 >= pairs * 9) {
        let nuls = odd_nuls.max(even_nuls);
        if nuls < pairs.saturating_mul(2) && odd_nuls.min(even_nuls) * 10 < pairs {
            return Some(ImportError::at(
                1,
                1,
                ImportErrorKind::NotText {
                    what: "UTF-16 text",
                },
            ));
        }
    }
    // A capture may carry a stray NUL in data, never mostly NULs.
    let nuls = odd_nuls + even_nuls;
    if first_nul == 0 || nuls * 4 >= head.len() {
        let (line, column) = position(bytes, first_nul);
        return Some(ImportError::at(
            line,
            column,
            ImportErrorKind::NotText {
                what: "binary data (a run of NUL bytes)",
            },
        ));
    }
    None
}

/// The 1-based line and column of byte `at`.
pub(crate) fn position(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = bytes.get(..at).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(before.len(), |nl| before.len() - nl - 1)
        + 1;
    (line, column)
}

/// One line of a capture.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    /// 1-based line number.
    pub(crate) number: usize,
    /// The line without its `\n` (and without a `\r` before it).
    pub(crate) text: &'a [u8],
}

/// The lines of `bytes`, each without its line end (`\n` or `\r\n`).
pub(crate) fn lines(bytes: &[u8]) -> impl Iterator<Item = Line<'_>> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let mut n = 0;
    body.split(|&b| b == b'\n')
        .filter(move |_| !bytes.is_empty())
        .map(move |text| {
            n += 1;
            Line {
                number: n,
                text: text.strip_suffix(b"\r").unwrap_or(text),
            }
        })
}

/// Which way bytes went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    /// Host to modem.
    Sent,
    /// Modem to host.
    Received,
}

/// Collects an importer's records: times relative to the first one
/// (checked, never backwards), data redacted, lossy reasons.
#[derive(Debug)]
pub(crate) struct Builder {
    records: Vec<Record>,
    /// The source line of each record.
    lines: Vec<usize>,
    /// The line being read.
    line: usize,
    /// The first timestamp, in ms on the capture's clock.
    first: Option<u64>,
    /// The last timestamp, in ms, and how it was written.
    last: Option<(u64, String)>,
    /// The host's stream, redacted.
    sent: Redactor,
    /// The modem's stream, redacted.
    received: Redactor,
    lossy: Vec<String>,
}

impl Default for Builder {
    fn default() -> Self {
        Self {
            records: Vec::new(),
            lines: Vec::new(),
            line: 0,
            first: None,
            last: None,
            sent: Redactor::sent(),
            received: Redactor::received(),
            lossy: Vec::new(),
        }
    }
}

impl Builder {
    /// The capture's line the next records come from (1-based).
    pub(crate) fn at_line(&mut self, line: usize) {
        self.line = line;
    }

    /// A time mark: `ms` on the capture's clock, `written` as the capture
    /// spells it (for the error if it goes backwards).
    pub(crate) fn time(
        &mut self,
        ms: u64,
        written: &[u8],
        line: usize,
        column: usize,
    ) -> Result<(), ImportError> {
        if let Some((previous, previous_text)) = &self.last {
            if ms < *previous {
                return Err(ImportError::at(
                    line,
                    column,
                    ImportErrorKind::Backwards {
                        previous: previous_text.clone(),
                        found: String::from_utf8_lossy(written).into_owned(),
                    },
                ));
            }
            if ms == *previous {
                return Ok(());
            }
        }
        let first = *self.first.get_or_insert(ms);
        // `ms >= first`: times never go backwards.
        let relative = ms.checked_sub(first).ok_or_else(|| {
            ImportError::expected(line, column, "a time after the first one", written)
        })?;
        self.last = Some((ms, String::from_utf8_lossy(written).into_owned()));
        self.records.push(Record::Time(relative));
        self.lines.push(self.line.max(line));
        Ok(())
    }

    /// One captured read or write. Passwords are redacted here, for every
    /// importer, by one [`Redactor`] per direction: a chunk that goes on
    /// with a password the previous chunk of its direction left open loses
    /// the rest of the value (a chunk that is all password is dropped), and
    /// payload bytes are kept as they are.
    pub(crate) fn data(&mut self, dir: Dir, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let data = match dir {
            Dir::Sent => self.sent.push(bytes),
            Dir::Received => self.received.push(bytes),
        };
        if data.is_empty() {
            return;
        }
        self.records.push(match dir {
            Dir::Sent => Record::Sent(data),
            Dir::Received => Record::Received(data),
        });
        self.lines.push(self.line.max(1));
    }

    /// Has a time mark been read yet?
    pub(crate) fn has_time(&self) -> bool {
        self.first.is_some()
    }

    /// Marks the import lossy, saying why.
    pub(crate) fn lossy(&mut self, reason: String) {
        self.lossy.push(reason);
    }

    /// The transcript, or [`ImportErrorKind::NoCommand`] (at `line`, the
    /// one after the last) when the host sent no AT command.
    pub(crate) fn finish(self, line: usize) -> Result<Located, ImportError> {
        let has_command = self.records.iter().any(|r| match r {
            Record::Sent(b) => b
                .windows(2)
                .any(|w| w.eq_ignore_ascii_case(b"AT") || w.eq_ignore_ascii_case(b"A/")),
            _ => false,
        });
        if !has_command {
            return Err(ImportError::at(line, 1, ImportErrorKind::NoCommand));
        }
        let mut t = Transcript {
            records: Vec::with_capacity(self.records.len() + self.lossy.len()),
        };
        let mut lines = Vec::with_capacity(self.records.len() + self.lossy.len());
        for reason in self.lossy {
            t.mark_lossy(&reason);
            lines.push(1);
        }
        t.records.extend(self.records);
        lines.extend(self.lines);
        Ok(Located {
            transcript: t,
            lines,
        })
    }
}

/// Times of day (no date) made continuous: a time more than 12 hours
/// earlier than the one before is taken as the next day.
#[derive(Debug, Default)]
pub(crate) struct DayClock {
    last: Option<u64>,
    days: u64,
}

impl DayClock {
    const DAY: u64 = 86_400_000;

    /// `ms` since midnight as ms since the first day's midnight; `None` on
    /// overflow.
    pub(crate) fn absolute(&mut self, ms: u64) -> Option<u64> {
        if let Some(last) = self.last {
            if ms < last && last - ms > Self::DAY / 2 {
                self.days = self.days.checked_add(1)?;
            }
        }
        self.last = Some(ms);
        self.days.checked_mul(Self::DAY)?.checked_add(ms)
    }
}

/// `HH:MM:SS` plus a fraction of 1 to 9 digits as ms since midnight;
/// `None` if it is not one or a field is out of range.
pub(crate) fn time_of_day_ms(t: &[u8]) -> Option<u64> {
    let (hms, frac) = match t.iter().position(|&b| b == b'.') {
        Some(dot) => (t.get(..dot)?, t.get(dot + 1..)?),
        None => (t, &b""[..]),
    };
    let mut parts = hms.split(|&b| b == b':');
    let h = number(parts.next()?, 2)?;
    let m = number(parts.next()?, 2)?;
    let s = number(parts.next()?, 2)?;
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let ms = fraction_ms(frac)?;
    h.checked_mul(60)?
        .checked_add(m)?
        .checked_mul(60)?
        .checked_add(s)?
        .checked_mul(1000)?
        .checked_add(ms)
}

/// A decimal fraction's first three digits as ms (`5` is 500 ms); empty
/// is 0. Up to 9 digits.
pub(crate) fn fraction_ms(frac: &[u8]) -> Option<u64> {
    if frac.len() > 9 || !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut ms = 0u64;
    for i in 0..3 {
        let d = frac.get(i).map_or(0, |b| u64::from(b - b'0'));
        ms = ms.checked_mul(10)?.checked_add(d)?;
    }
    Some(ms)
}

/// An unsigned decimal of exactly `digits` digits (0: any count up to 19).
pub(crate) fn number(text: &[u8], digits: usize) -> Option<u64> {
    if text.is_empty()
        || (digits != 0 && text.len() != digits)
        || text.len() > 19
        || !text.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    text.iter().try_fold(0u64, |n, &b| {
        n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`), checked; `None` for a day that does not exist.
pub(crate) fn days_from_civil(y: u64, m: u64, d: u64) -> Option<i64> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || y > 999_999 {
        return None;
    }
    let y = i64::try_from(y).ok()? - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::try_from(m).ok()?;
    let d = i64::try_from(d).ok()?;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era.checked_mul(146_097)?.checked_add(doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        let d = |name: &str, text: &str| Format::detect(name, text.as_bytes());
        assert_eq!(d("a.cftx", ""), Some(Format::Transcript));
        assert_eq!(
            d(
                "a.log",
                "> 2024/05/01 12:00:00.000000  length=3 from=0 to=2\nAT\\r"
            ),
            Some(Format::SocatText)
        );
        assert_eq!(
            d(
                "a.log",
                "> 2024/05/01 12:00:00.000000  length=3 from=0 to=2\n 41 54 0d\n"
            ),
            Some(Format::SocatHex)
        );
        assert_eq!(d("a.log", "AT\nOK\n"), Some(Format::Terminal));
        assert_eq!(d("a.log", "hello\n"), None);
        assert_eq!(d("a.log", ""), None);
    }

    #[test]
    fn format_names_read_back() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert_eq!("tio".parse::<Format>(), Ok(Format::Terminal));
        assert!("nope".parse::<Format>().is_err());
    }

    #[test]
    fn times_are_checked() {
        assert_eq!(time_of_day_ms(b"01:02:03.456"), Some(3_723_456));
        assert_eq!(time_of_day_ms(b"01:02:03.000456789"), Some(3_723_000));
        assert_eq!(time_of_day_ms(b"99999999999999999999:00:00.0"), None);
        assert_eq!(time_of_day_ms(b"24:00:00.0"), None);
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2000, 3, 1), Some(11_017));
        assert_eq!(days_from_civil(2024, 13, 1), None);
    }

    #[test]
    fn positions_are_one_based() {
        assert_eq!(position(b"ab\ncd", 0), (1, 1));
        assert_eq!(position(b"ab\ncd", 4), (2, 2));
    }

    #[test]
    fn a_password_cut_between_chunks_is_redacted_whole() {
        let mut b = Builder::default();
        b.data(Dir::Sent, b"AT+FTPPW=se");
        b.data(Dir::Received, b"AT+FTPPW=se");
        b.data(Dir::Sent, b"cret\r");
        b.data(Dir::Sent, b"AT\r");
        let t = b.finish(1).unwrap_or_default().transcript;
        let text = t.to_text();
        assert!(!text.contains("se"), "{text}");
        assert!(text.contains("> AT\\r"), "{text}");
    }
}
