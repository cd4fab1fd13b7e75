//! The line grammars: one complete frame in, one typed item out.
//!
//! The framer (`frame.rs`) has already cut the stream, so these parsers run
//! on complete input and never see a partial line. One small function per
//! rule, named after it; the first byte picks the rule.

use winnow::ascii::Caseless;
use winnow::combinator::{alt, opt, preceded};
use winnow::error::EmptyError;
use winnow::prelude::*;
use winnow::token::{literal, take_while};

use crate::command::{Action, Cfun, Cgact, Command, Mode, Operation, Put, Setting, TransferType};
use crate::response::{CmeError, Info, InfoValue, Response, ServCode, Urc};
use crate::text::{Host, Password, Text, TextKind};
use crate::CommandName;

type PResult<T> = Result<T, EmptyError>;

/// Full-width forms the manual uses: `：`, `（`, `）` (UTF-8).
const FULLWIDTH_COLON: &[u8] = "：".as_bytes();
const FULLWIDTH_OPEN: &[u8] = "（".as_bytes();
const FULLWIDTH_CLOSE: &[u8] = "）".as_bytes();

/// Decimal digits to a `u32`, refusing overflow and empty input.
pub(crate) fn parse_u32(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 10 {
        return None;
    }
    digits.iter().try_fold(0u32, |n, &d| {
        if d.is_ascii_digit() {
            n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
        } else {
            None
        }
    })
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' '] = s {
        s = rest;
    }
    s
}

fn spaces(input: &mut &[u8]) -> PResult<()> {
    take_while(0.., b' ').void().parse_next(input)
}

fn number(input: &mut &[u8]) -> PResult<u32> {
    take_while(1..=10, |b: u8| b.is_ascii_digit())
        .verify_map(parse_u32)
        .parse_next(input)
}

/// `:` or `：`, with the spaces around it; optional.
fn colon(input: &mut &[u8]) -> PResult<()> {
    (
        spaces,
        opt(alt((b":".void(), FULLWIDTH_COLON.void()))),
        spaces,
    )
        .void()
        .parse_next(input)
}

/// The known command names, longest first so that `FTPGETNAME` is tried
/// before `FTPGET`.
const NAMES: [(&str, CommandName); 19] = [
    ("FTPGETNAME", CommandName::FtpGetName),
    ("FTPPUTNAME", CommandName::FtpPutName),
    ("FTPRESET", CommandName::FtpReset),
    ("FTPSERV", CommandName::FtpServ),
    ("FTPMODE", CommandName::FtpMode),
    ("FTPTYPE", CommandName::FtpType),
    ("FTPPORT", CommandName::FtpPort),
    ("FTPPATH", CommandName::FtpPath),
    ("FTPLIST", CommandName::FtpList),
    ("FTPSCON", CommandName::FtpScon),
    ("FTPQUIT", CommandName::FtpQuit),
    ("FTPGET", CommandName::FtpGet),
    ("FTPPUT", CommandName::FtpPut),
    ("FTPMKD", CommandName::FtpMkd),
    ("FTPRMD", CommandName::FtpRmd),
    ("FTPUN", CommandName::FtpUn),
    ("FTPPW", CommandName::FtpPw),
    ("CGACT", CommandName::Cgact),
    ("CFUN", CommandName::Cfun),
];

/// `<name>` after a `+`: a known command name, any case.
fn command_name(input: &mut &[u8]) -> PResult<CommandName> {
    // Upper-case the longest name's worth of bytes once, then compare whole
    // names; the fourth byte tells most names apart before any comparison.
    // `&NAMES`: iterating the const by value copies the whole table.
    const LONGEST: usize = 10;
    let mut buf = [0u8; LONGEST];
    let n = input.len().min(LONGEST);
    for (d, s) in buf.iter_mut().zip(input.iter()) {
        *d = s.to_ascii_uppercase();
    }
    let head = buf.get(..n).unwrap_or_default();
    let fourth = head.get(3).copied();
    for &(text, name) in &NAMES {
        let t = text.as_bytes();
        if t.get(3).copied() == fourth && head.starts_with(t) {
            *input = input.get(t.len()..).unwrap_or_default();
            return Ok(name);
        }
    }
    Err(EmptyError)
}

// ---------------------------------------------------------------- modem side

/// One complete line from the modem.
pub(crate) fn response_line(line: &[u8]) -> Response<'_> {
    let t = trim(line);
    let parsed = match t.first() {
        Some(b'O' | b'o') if t.eq_ignore_ascii_case(b"OK") => Some(Response::Ok),
        Some(b'E' | b'e') if t.eq_ignore_ascii_case(b"ERROR") => Some(Response::Error),
        Some(b'+') => plus_line(t),
        Some(b'R' | b'r') if t.eq_ignore_ascii_case(b"RDY") => Some(Response::Urc(Urc::Ready)),
        Some(b'A' | b'a') if t.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(b"AT")) => {
            Some(Response::Echo(match command_line(line) {
                Some(c) => crate::Request::Command(c),
                None => crate::Request::Unknown(line),
            }))
        }
        Some(_) if is_power_down(t) => Some(Response::Urc(Urc::PowerDown(t))),
        _ => None,
    };
    parsed.unwrap_or(Response::Unknown(line))
}

fn is_power_down(t: &[u8]) -> bool {
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
fn error_code<'a>(input: &mut &'a [u8]) -> PResult<Response<'a>> {
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
fn urc<'a>(input: &mut &'a [u8]) -> PResult<Urc<'a>> {
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
        1 => parse_u32(value).map(Urc::Cfun).ok_or(EmptyError),
        2 => Ok(Urc::Cgev(value)),
        _ if value.eq_ignore_ascii_case(b"DEACT") => Ok(Urc::PdpDeact),
        _ => Err(EmptyError),
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

/// The `<mode>,<len>` of a complete `+FTPLIST:<mode>,<len>` line, if it is one.
pub(crate) fn ftplist_header(line: &[u8]) -> Option<(u32, u32)> {
    match plus_line(trim(line))? {
        Response::FtpList { mode, len } => Some((mode, len)),
        _ => None,
    }
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

/// Where the value starts in a line that carries a password, so that it can
/// be hidden: `AT+FTPPW=…`, `+FTPPW: …`, and any line naming a password
/// (`PASSWORD: …`, `PW=…`, as some firmware prints in its `AT+FTPSCON`
/// report).
pub(crate) fn password_value_at(line: &[u8]) -> Option<usize> {
    let mut input = line;
    let command = (
        spaces,
        opt(literal(Caseless("AT"))),
        spaces,
        b'+',
        spaces,
        literal(Caseless("FTPPW")),
    )
        .parse_next(&mut input);
    if command.is_ok() {
        return Some(line.len() - input.len());
    }
    named_password_value(line)
}

/// After `PASS…` or `PW…` (any case), a word, spaces, then `:`, `：` or `=`:
/// where the value starts.
fn named_password_value(line: &[u8]) -> Option<usize> {
    let upper = |b: &u8| b.to_ascii_uppercase();
    (0..line.len()).find_map(|at| {
        let rest = line.get(at..)?;
        let name_len = if rest.iter().take(4).map(upper).eq(*b"PASS") {
            4
        } else if rest.iter().take(2).map(upper).eq(*b"PW") {
            2
        } else {
            return None;
        };
        let mut i = name_len;
        while rest
            .get(i)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b' ')
        {
            i += 1;
        }
        let sep = match rest.get(i..) {
            Some([b':' | b'=', ..]) => 1,
            Some(r) if r.starts_with(FULLWIDTH_COLON) => FULLWIDTH_COLON.len(),
            _ => return None,
        };
        Some(at + i + sep)
    })
}

// ----------------------------------------------------------------- host side

/// A complete command line without its terminator, if it is one we would
/// send: the manual's spellings (stray spaces, any case) are accepted.
pub(crate) fn command_line(line: &[u8]) -> Option<Command<'_>> {
    let mut input = trim(line);
    (literal(Caseless("AT")), spaces)
        .parse_next(&mut input)
        .ok()?;
    if input.is_empty() {
        return Some(Command::At);
    }
    if let Ok(on) = echo(&mut input) {
        return input.is_empty().then_some(Command::Echo(on));
    }
    (b'+', spaces).parse_next(&mut input).ok()?;
    let name = command_name(&mut input).ok()?;
    spaces(&mut input).ok()?;
    let form = form(&mut input).ok()?;
    build(name, form)
}

/// `E0` / `E1`.
fn echo(input: &mut &[u8]) -> PResult<bool> {
    preceded(
        literal(Caseless("E")),
        alt((b'0'.value(false), b'1'.value(true))),
    )
    .parse_next(input)
}

/// What follows a command's name.
enum Form<'a> {
    Execute,
    Test,
    Query,
    Set(&'a [u8]),
}

/// ``, `=?`, `?` or `=<value>`, spaces tolerated.
fn form<'a>(input: &mut &'a [u8]) -> PResult<Form<'a>> {
    if input.is_empty() {
        return Ok(Form::Execute);
    }
    if *input == b"?" {
        return Ok(Form::Query);
    }
    (b'=', spaces).parse_next(input)?;
    if *input == b"?" {
        return Ok(Form::Test);
    }
    Ok(Form::Set(trim(input)))
}

fn build(name: CommandName, form: Form<'_>) -> Option<Command<'_>> {
    use CommandName as N;
    Some(match name {
        N::FtpGet | N::FtpList | N::FtpScon | N::FtpQuit => {
            let action = match form {
                Form::Execute => Action::Execute,
                // The manual's example sends `AT+FTPGET?` as the test form.
                Form::Test | Form::Query => Action::Test,
                Form::Set(_) => return None,
            };
            match name {
                N::FtpGet => Command::FtpGet(action),
                N::FtpList => Command::FtpList(action),
                N::FtpScon => Command::FtpScon(action),
                _ => Command::FtpQuit(action),
            }
        }
        N::FtpMkd | N::FtpRmd => {
            let op = match form {
                Form::Test => Operation::Test,
                Form::Set(v) => Operation::Run(Text::from_bytes(TextKind::Directory, v).ok()?),
                Form::Execute | Form::Query => return None,
            };
            if name == N::FtpMkd {
                Command::FtpMkd(op)
            } else {
                Command::FtpRmd(op)
            }
        }
        N::FtpPut => Command::FtpPut(match form {
            Form::Test => Put::Test,
            // `AT+FTPPUT=0,` (the manual's text) and `AT+FTPPUT=0`; data
            // chunks never get here, the framer takes them by length.
            Form::Set(b"0" | b"0,") => Put::End,
            _ => return None,
        }),
        _ => {
            let setting = match form {
                Form::Test => Setting::Test,
                Form::Query => Setting::Query,
                Form::Set(v) => Setting::Set(v),
                Form::Execute => return None,
            };
            setting_command(name, setting)?
        }
    })
}

fn setting_command<'a>(name: CommandName, s: Setting<&'a [u8]>) -> Option<Command<'a>> {
    use CommandName as N;
    Some(match name {
        N::Cfun => Command::Cfun(map(s, cfun)?),
        N::Cgact => Command::Cgact(map(s, cgact)?),
        N::FtpPort => Command::FtpPort(map(s, |v| {
            u16::try_from(parse_u32(v)?).ok().filter(|p| *p != 0)
        })?),
        N::FtpMode => Command::FtpMode(map(s, |v| match v {
            b"0" => Some(Mode::Active),
            b"1" => Some(Mode::Passive),
            _ => None,
        })?),
        N::FtpType => Command::FtpType(map(s, |v| match v {
            b"I" | b"i" => Some(TransferType::Binary),
            b"A" | b"a" => Some(TransferType::Ascii),
            _ => None,
        })?),
        N::FtpReset => Command::FtpReset(map(s, parse_u32)?),
        N::FtpServ => Command::FtpServ(map(s, |v| Host::from_bytes(v).ok())?),
        N::FtpPw => Command::FtpPw(map(s, |v| Password::from_bytes(v).ok())?),
        N::FtpUn => Command::FtpUn(map(s, |v| Text::from_bytes(TextKind::User, v).ok())?),
        N::FtpGetName => {
            Command::FtpGetName(map(s, |v| Text::from_bytes(TextKind::FileName, v).ok())?)
        }
        N::FtpPutName => {
            Command::FtpPutName(map(s, |v| Text::from_bytes(TextKind::FileName, v).ok())?)
        }
        N::FtpPath => Command::FtpPath(map(s, |v| Text::from_bytes(TextKind::Path, v).ok())?),
        _ => return None,
    })
}

fn map<'a, T>(s: Setting<&'a [u8]>, f: impl FnOnce(&'a [u8]) -> Option<T>) -> Option<Setting<T>> {
    Some(match s {
        Setting::Test => Setting::Test,
        Setting::Query => Setting::Query,
        Setting::Set(v) => Setting::Set(f(v)?),
    })
}

/// `<fun>[,<rst>]`.
fn cfun(mut v: &[u8]) -> Option<Cfun> {
    let (fun, reset) = (
        number.verify_map(|n| u8::try_from(n).ok()),
        opt(preceded(
            (spaces, b',', spaces),
            alt((b'0'.value(false), b'1'.value(true))),
        )),
    )
        .parse_next(&mut v)
        .ok()?;
    v.is_empty().then_some(Cfun { fun, reset })
}

/// `<state>[,<cid>]`.
fn cgact(mut v: &[u8]) -> Option<Cgact> {
    let (activate, cid) = (
        alt((b'0'.value(false), b'1'.value(true))),
        opt(preceded(
            (spaces, b',', spaces),
            number.verify_map(|n| u8::try_from(n).ok()),
        )),
    )
        .parse_next(&mut v)
        .ok()?;
    v.is_empty().then_some(Cgact { activate, cid })
}

#[cfg(test)]
mod password_tests {
    use super::password_value_at as at;

    #[test]
    fn finds_every_password_value() {
        assert_eq!(at(b"AT+FTPPW=123"), Some(8));
        assert_eq!(at(b"+FTPPW: 123"), Some(6));
        assert_eq!(at(b"PASSWORD: 123"), Some(9));
        assert_eq!(at(b"ftp pw=123"), Some(7));
        assert_eq!(at("Pass：x".as_bytes()), Some(7));
        assert_eq!(at(b"SERVER:1.2.3.4"), None);
        assert_eq!(at(b"PWR: on"), Some(4));
        assert_eq!(at(b"+FTPMODE: 1"), None);
    }
}
