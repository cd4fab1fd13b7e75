//! The grammars: one complete frame in, one typed item out; and the rules
//! for the payload headers the framer must recognise.
//!
//! The framer (`frame.rs`) has already cut the stream, so the line parsers
//! run on complete input and never see a partial line. The header rules
//! ([`inline_header`], [`listing_header`]) are what the framer asks while it
//! cuts: [`inline_header`] runs on partial input and says when more bytes
//! are needed. One small function per rule, named after it; the first byte
//! picks the rule. Command names come from the command table
//! (`command.rs`), and each command's form is read by its own type
//! (`param.rs`).

use winnow::ascii::Caseless;
use winnow::combinator::alt;
use winnow::error::ErrMode;
use winnow::prelude::*;
use winnow::stream::Partial;
use winnow::token::literal;

use crate::command::CommandName;
use crate::lex::{
    colon, fail, number, parse_u32, spaces, trim, Parsed, FULLWIDTH_CLOSE, FULLWIDTH_OPEN,
};
use crate::limits::MAX_HEADER;
use crate::response::{CmeError, Echo, Info, InfoValue, Response, ResultCode, ServCode, Urc};

pub(crate) mod host;

use host::command_name;

// ---------------------------------------------------------------- modem side

/// One complete line from the modem.
///
/// `OK` as the modem spells it, the commonest line, is decided here, inline
/// in the decoder; every other line by [`any_response_line`].
#[inline]
pub(crate) fn response_line(line: &[u8]) -> Response<'_> {
    if line == b"OK" {
        Response::Ok
    } else {
        any_response_line(line)
    }
}

/// One complete line from the modem, any spelling: the first byte picks the
/// rule, and each arm returns its item directly.
fn any_response_line(line: &[u8]) -> Response<'_> {
    let t = trim(line);
    match t.first() {
        Some(b'O' | b'o') if t.eq_ignore_ascii_case(b"OK") => Response::Ok,
        Some(b'E' | b'e') if t.eq_ignore_ascii_case(b"ERROR") => Response::Error,
        Some(b'+') => plus_line(t).unwrap_or(Response::Unknown(line)),
        Some(b'R' | b'r') if t.eq_ignore_ascii_case(b"RDY") => Response::Urc(Urc::Ready),
        Some(b'A' | b'a') if t.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(b"AT")) => {
            Response::Echo(Echo::from_line(line))
        }
        Some(b'N' | b'n' | b'B' | b'b' | b'M' | b'm' | b'C' | b'c') => match result_code(t) {
            Some(code) => Response::ResultCode(code),
            None => power_down(line, t),
        },
        _ => power_down(line, t),
    }
}

/// The trimmed line `t` of `line` as a power-down URC, or `line` not
/// understood.
fn power_down<'a>(line: &'a [u8], t: &'a [u8]) -> Response<'a> {
    if is_power_down(t) {
        Response::Urc(Urc::PowerDown(t))
    } else {
        Response::Unknown(line)
    }
}

/// The V.250 and vendor failure codes, whole line (trimmed), any case.
fn result_code(t: &[u8]) -> Option<ResultCode> {
    const WORDS: [(&[u8], ResultCode); 7] = [
        (b"NO CARRIER", ResultCode::NoCarrier),
        (b"BUSY", ResultCode::Busy),
        (b"NO ANSWER", ResultCode::NoAnswer),
        (b"NO DIALTONE", ResultCode::NoDialtone),
        (b"NO DIAL TONE", ResultCode::NoDialtone),
        (b"COMMAND NOT SUPPORT", ResultCode::NotSupported),
        (b"COMMAND NOT SUPPORTED", ResultCode::NotSupported),
    ];
    if let Some(&(_, code)) = WORDS.iter().find(|(w, _)| t.eq_ignore_ascii_case(w)) {
        return Some(code);
    }
    // `MODEM ERROR: <n>`: the colon is required, the number is optional.
    const HEAD: &[u8] = b"MODEM ERROR";
    let rest = t
        .get(..HEAD.len())
        .filter(|h| h.eq_ignore_ascii_case(HEAD))
        .and_then(|_| t.get(HEAD.len()..))?;
    let input = trim(rest).strip_prefix(b":")?;
    let code = parse_u32(trim(input)).and_then(|n| u16::try_from(n).ok());
    Some(ResultCode::ModemError(code))
}

pub(crate) fn is_power_down(t: &[u8]) -> bool {
    const TAIL: &[u8] = b"POWER DOWN";
    t.len() >= TAIL.len()
        && t.get(t.len() - TAIL.len()..)
            .is_some_and(|s| s.eq_ignore_ascii_case(TAIL))
        || t.eq_ignore_ascii_case(b"POWERED DOWN")
}

/// `+…` lines: error codes, URCs and information responses.
fn plus_line(t: &[u8]) -> Option<Response<'_>> {
    let mut input = t.get(1..)?;
    spaces(&mut input).ok()?;
    // Each attempt parses a copy: a failed one must not move `input`.
    // Error codes (`CME`, `CMS`) and URCs (`CPIN`, `CFUN`, `CGEV`, `PDP`)
    // start with C or P; information names with F or C.
    if matches!(input.first(), Some(b'C' | b'c' | b'P' | b'p')) {
        if let Ok(r) = error_code(&mut { input }) {
            return Some(r);
        }
        if let Ok(u) = urc.parse_next(&mut { input }) {
            return Some(Response::Urc(u));
        }
    }
    let name = command_name(&mut input).ok()?;
    colon(&mut input).ok()?;
    let value = input;
    Some(match name {
        CommandName::FtpServ => match serv_code(value) {
            Some(code) => Response::ServResult(code),
            None => info(name, value),
        },
        CommandName::FtpList => match list_fields(value) {
            Some((mode, len)) => Response::FtpList { mode, len },
            None => info(name, value),
        },
        _ => info(name, value),
    })
}

/// `CME ERROR: <err>` / `CMS ERROR: <err>` after the `+`.
fn error_code<'a>(input: &mut &'a [u8]) -> Parsed<Response<'a>> {
    let cms = alt((
        literal(Caseless("CME")).value(false),
        literal(Caseless("CMS")).value(true),
    ))
    .parse_next(input)?;
    (spaces, literal(Caseless("ERROR")), colon).parse_next(input)?;
    let err = match parse_u32(input).and_then(|n| u16::try_from(n).ok()) {
        Some(code) => CmeError::Code(code),
        None => CmeError::Text(input),
    };
    Ok(if cms {
        Response::CmsError(err)
    } else {
        Response::CmeError(err)
    })
}

/// The URCs that start with `+`, after it.
fn urc<'a>(input: &mut &'a [u8]) -> Parsed<Urc<'a>> {
    let name = alt((
        literal(Caseless("CPIN")).value(0),
        literal(Caseless("CFUN")).value(1),
        literal(Caseless("CGEV")).value(2),
        literal(Caseless("PDP")).value(3),
    ))
    .parse_next(input)?;
    colon(input)?;
    let value = *input;
    match name {
        0 => Ok(Urc::Cpin(value)),
        1 => parse_u32(value).map_or_else(fail, |n| Ok(Urc::Cfun(n))),
        2 => Ok(Urc::Cgev(value)),
        _ if value.eq_ignore_ascii_case(b"DEACT") => Ok(Urc::PdpDeact),
        _ => fail(),
    }
}

/// `+FTPSERV:<code>`: 1 to 3 digits only (an address has dots or letters).
fn serv_code(value: &[u8]) -> Option<ServCode> {
    if value.len() > 3 {
        return None;
    }
    let n = parse_u32(value)?;
    Some(ServCode::from_code(u16::try_from(n).ok()?))
}

/// `<mode>,<len>` of `+FTPLIST:<mode>,<len>`.
fn list_fields(mut value: &[u8]) -> Option<(u32, u32)> {
    let (mode, _, _, _, len) = (number, spaces, b',', spaces, number)
        .parse_next(&mut value)
        .ok()?;
    value.is_empty().then_some((mode, len))
}

fn info(name: CommandName, value: &[u8]) -> Response<'_> {
    Response::Info(Info {
        name,
        value: info_value(value),
    })
}

fn info_value(value: &[u8]) -> InfoValue<'_> {
    let v = trim(value);
    if v.is_empty() {
        return InfoValue::Empty;
    }
    if let Some(n) = parse_u32(v) {
        return InfoValue::Number(n);
    }
    if let Some(inner) = enclosed(v, b"(", b")")
        .or_else(|| enclosed(v, FULLWIDTH_OPEN, FULLWIDTH_CLOSE))
        .or_else(|| enclosed(v, b"(", FULLWIDTH_CLOSE))
        .or_else(|| enclosed(v, FULLWIDTH_OPEN, b")"))
    {
        return InfoValue::Range(trim(inner));
    }
    if let Some(inner) = enclosed(v, b"<", b">") {
        return InfoValue::Placeholder(trim(inner));
    }
    InfoValue::Text(v)
}

fn enclosed<'a>(v: &'a [u8], open: &[u8], close: &[u8]) -> Option<&'a [u8]> {
    v.strip_prefix(open)?.strip_suffix(close)
}

// ------------------------------------------------------------ payload headers

/// Which side of the serial line the bytes come from: it decides which
/// payload headers a line may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Modem to host: responses, URCs, echo.
    FromModem,
    /// Host to modem: command lines.
    FromHost,
    /// Modem to host in the SIMCom dialect (`SPEC-simcom.md`): no inline
    /// payloads; `+FTPGET: 2,<n>` and `+FTPLIST: 2,<n>` lines announce raw
    /// payloads after their line end.
    SimcomFromModem,
    /// Host to modem in the SIMCom dialect: `AT+FTPPUT=2,<n>` announces
    /// raw upload bytes after its terminator (one byte, CR or LF).
    SimcomFromHost,
}

/// What [`inline_header`] found at the start of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Header {
    /// A header of `header` bytes before its comma, announcing `len` bytes
    /// that start right after the comma.
    Found { header: usize, len: u32 },
    /// A prefix of a header: more bytes decide.
    Incomplete,
    /// Not a header.
    None,
}

/// Whether `rest`, the start of an item, is a header whose payload follows
/// on the same line: `+FTPGET:<len>,` from the modem, `AT+FTPPUT=<len>,` from
/// either side (the modem echoes it). Only the first [`MAX_HEADER`] bytes
/// are looked at.
///
/// The first bytes rule out almost every line; only the rest is parsed, out
/// of line.
#[inline]
pub(crate) fn inline_header(direction: Direction, rest: &[u8]) -> Header {
    match (direction, rest.first()) {
        (Direction::SimcomFromModem | Direction::SimcomFromHost, _) => Header::None,
        (Direction::FromModem, Some(b'+')) => {
            // Without stray spaces, `+FTPGET:` has `G` as its fifth byte:
            // `+FTPMODE: 1`, `+CME …` are rejected here.
            if rest.get(1) != Some(&b' ')
                && rest.get(4).is_some_and(|b| !b.eq_ignore_ascii_case(&b'G'))
            {
                return Header::None;
            }
            plain_ftpget_header(rest).unwrap_or_else(|| parse_inline_header(rest, ftpget_header))
        }
        (_, Some(b'A' | b'a')) => parse_inline_header(rest, ftpput_header),
        _ => Header::None,
    }
}

/// `+FTPGET:<len>,` as the modem writes it, without spaces: what
/// [`ftpget_header`] finds there, found without the general parse. `None`
/// for anything else, which the general parse decides.
fn plain_ftpget_header(rest: &[u8]) -> Option<Header> {
    const NAME: [u8; 8] = *b"+FTPGET:";
    // The six letters folded to lower case in one word; `+` and `:` as
    // they are (only a letter folds onto a letter).
    const FOLD: u64 = u64::from_le_bytes([0, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0]);
    const WANT: u64 = u64::from_le_bytes(*b"+ftpget:");
    let head: [u8; 8] = rest.get(..NAME.len())?.try_into().ok()?;
    if u64::from_le_bytes(head) | FOLD != WANT {
        return None;
    }
    let after = rest.get(NAME.len()..)?;
    let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits > 10 || after.get(digits) != Some(&b',') {
        return None;
    }
    let len = parse_u32(after.get(..digits)?)?;
    Some(Header::Found {
        header: NAME.len() + digits,
        len,
    })
}

/// [`inline_header`]'s full parse of the first [`MAX_HEADER`] bytes.
fn parse_inline_header(rest: &[u8], rule: fn(&mut Stream<'_>) -> Parsed<u32>) -> Header {
    let window = rest.get(..MAX_HEADER).unwrap_or(rest);
    let full = window.len() == MAX_HEADER;
    let mut input = Partial::new(window);
    match rule(&mut input) {
        Ok(len) => Header::Found {
            // The parser stops right after the comma.
            header: window.len() - input.len() - 1,
            len,
        },
        Err(ErrMode::Incomplete(_)) if !full => Header::Incomplete,
        Err(_) => Header::None,
    }
}

/// A `+FTPLIST:<mode>,<len>` line: its fields, as the line grammar reads
/// them (the line's item is [`Response::FtpList`] with these fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ListingHeader {
    /// The first field.
    pub(crate) mode: u32,
    /// The listing's length; the listing starts on the next line.
    pub(crate) len: u32,
    /// True if the payload is raw bytes taken by count (the SIMCom
    /// dialect's `+FTPGET: 2,<n>` / `+FTPLIST: 2,<n>`), false if it is cut
    /// into lines (the first dialect's listing). For the SIMCom headers,
    /// `mode` says which: 0 a download, 1 a listing.
    pub(crate) raw: bool,
}

/// The fields if the complete `line` (from the modem) is a
/// `+FTPLIST:<mode>,<len>` header, whose listing starts on the next line.
#[inline]
pub(crate) fn listing_header(direction: Direction, line: &[u8]) -> Option<ListingHeader> {
    // Leading spaces as the line grammar allows them: a line it reads as
    // `+FTPLIST:<mode>,<len>` must be framed as one.
    match (direction, line.first()) {
        (Direction::FromModem, Some(b'+' | b' ')) => parse_listing_header(line),
        _ => None,
    }
}

/// `<name>` folded to lower case, `+` as it is, as one word: only a letter
/// folds onto a letter, so `word | FOLD == want` is a caseless compare.
const FOLD: u64 = u64::from_le_bytes([0, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20]);

/// [`listing_header`] past its first byte.
#[inline]
fn parse_listing_header(line: &[u8]) -> Option<ListingHeader> {
    const WANT: u64 = u64::from_le_bytes(*b"+ftplist");
    // The modem's own spelling, `+FTPLIST:<mode>,<len>` without spaces, is
    // read here; any other `+` line without a space after the `+` is not
    // a listing header; the rest goes through the line grammar.
    if let Some(head) = line.get(..8).and_then(|h| <[u8; 8]>::try_from(h).ok()) {
        let word = u64::from_le_bytes(head);
        if word | FOLD == WANT {
            if let Some(fields) = line.get(8..).and_then(plain_list_fields) {
                return Some(fields);
            }
        } else if let [b'+', second, ..] = head {
            if second != b' ' {
                return None;
            }
        }
    }
    general_listing_header(line)
}

/// `:<mode>,<len>` after `+FTPLIST`, digits only: what the line grammar
/// reads there. `None` for anything else, which the line grammar decides.
fn plain_list_fields(rest: &[u8]) -> Option<ListingHeader> {
    let fields = rest.strip_prefix(b":")?;
    let comma = fields.iter().position(|&b| b == b',')?;
    let mode = parse_u32(fields.get(..comma)?)?;
    let len = parse_u32(fields.get(comma + 1..)?)?;
    Some(ListingHeader {
        mode,
        len,
        raw: false,
    })
}

/// [`listing_header`] through the line grammar.
#[inline(never)]
fn general_listing_header(line: &[u8]) -> Option<ListingHeader> {
    let t = trim(line);
    // Only a `+FTPLIST` line can be one: check that before the full parse.
    let mut name = t.strip_prefix(b"+")?;
    while let [b' ', rest @ ..] = name {
        name = rest;
    }
    if !name.get(..7)?.eq_ignore_ascii_case(b"FTPLIST") {
        return None;
    }
    match plus_line(t)? {
        Response::FtpList { mode, len } => Some(ListingHeader {
            mode,
            len,
            raw: false,
        }),
        _ => None,
    }
}

type Stream<'i> = Partial<&'i [u8]>;

/// `+FTPGET:<len>,` — the start of a download chunk, spaces tolerated.
fn ftpget_header(input: &mut Stream<'_>) -> Parsed<u32> {
    (
        b'+',
        spaces,
        literal(Caseless("FTPGET")),
        spaces,
        b':',
        spaces,
        number,
        spaces,
        b',',
    )
        .map(|t| t.6)
        .parse_next(input)
}

/// `AT+FTPPUT=<len>,` — the start of an upload chunk, spaces tolerated
/// (the manual writes `AT+FTPPUT =5,12345`).
fn ftpput_header(input: &mut Stream<'_>) -> Parsed<u32> {
    (
        literal(Caseless("AT")),
        spaces,
        b'+',
        spaces,
        literal(Caseless("FTPPUT")),
        spaces,
        b'=',
        spaces,
        number,
        spaces,
        b',',
    )
        .map(|t| t.8)
        .parse_next(input)
}
