//! The SIMCom dialect's line grammar: one complete line in, one
//! [`Response`] out; and the rule the framer asks for payload headers
//! ([`data_header`]). One small function per rule of `SPEC-simcom.md`
//! §1.6, §1.7 and §1.9; names and tags match without regard to case. The
//! fields of an answer line (§1.7's `field`) are read in `field.rs`.

use winnow::ascii::Caseless;
use winnow::combinator::{alt, opt};

use winnow::prelude::*;
use winnow::token::literal;

use crate::bytes::within;
use crate::grammar::{is_power_down, ListingHeader};
use crate::lex::{fail, number, parse_u32, spaces, trim, Parsed};
use crate::response::CmeError;

use super::command::{Command, CommandName, MAX_READ, WIRES};
use super::error::SimcomFtpError;
use super::field::{comma, Fields};
use super::response::{Info, InfoName, Op, OpStatus, OtherName, Response, Urc};

/// The names recognised but not in the command table.
const OTHER: &[(&[u8], OtherName)] = &[
    (b"FTPSCONT", OtherName::FtpScont),
    (b"FTPEXTPUT", OtherName::FtpExtPut),
    (b"FTPEXTGET", OtherName::FtpExtGet),
    (b"FTPGETTOFS", OtherName::FtpGetToFs),
    (b"FTPPUTFRMFS", OtherName::FtpPutFrmFs),
    (b"FTPFILEPUT", OtherName::FtpFilePut),
    (b"FTPETPUT", OtherName::FtpEtPut),
    (b"FTPETGET", OtherName::FtpEtGet),
    (b"FTPRENAME", OtherName::FtpRename),
    (b"FTPMDTM", OtherName::FtpMdtm),
    (b"CNACT", OtherName::Cnact),
];

/// No name of [`WIRES`] or [`OTHER`] is longer (a test checks).
const LONGEST_NAME: usize = 16;

/// Up to [`LONGEST_NAME`] bytes as one integer, the first byte lowest.
const fn pack(mut bytes: &[u8]) -> u128 {
    let mut packed = 0;
    let mut shift = 0;
    while let [b, rest @ ..] = bytes {
        if shift == 8 * LONGEST_NAME {
            break;
        }
        packed |= (*b as u128) << shift;
        shift += 8;
        bytes = rest;
    }
    packed
}

/// A known name: its text packed ([`pack`]), the mask of its bytes, its
/// length.
type Packed = (u128, u128, usize, InfoName);

/// Every name of [`WIRES`] (after its `+`) and of [`OTHER`], packed at
/// compile time; `None` for the rows without a `+` name (`AT`, `ATE`).
const NAMES: [Option<Packed>; WIRES.len() + OTHER.len()] = {
    const fn packed(text: &[u8], name: InfoName) -> Option<Packed> {
        let mask = if text.len() >= LONGEST_NAME {
            u128::MAX
        } else {
            (1 << (8 * text.len())) - 1
        };
        Some((pack(text), mask, text.len(), name))
    }
    let mut names = [None; WIRES.len() + OTHER.len()];
    let mut i = 0;
    let mut wires = WIRES;
    while let [(name, wire), rest @ ..] = wires {
        if let [b'+', text @ ..] = wire.as_bytes() {
            // Evaluated by the compiler: an index out of range fails the
            // build.
            #[allow(clippy::indexing_slicing)]
            {
                names[i] = packed(text, InfoName::Command(*name));
            }
        }
        i += 1;
        wires = rest;
    }
    let mut other = OTHER;
    while let [(text, name), rest @ ..] = other {
        #[allow(clippy::indexing_slicing)]
        {
            names[i] = packed(text, InfoName::Other(*name));
        }
        i += 1;
        other = rest;
    }
    names
};

/// `<name>` after the `+`: the longest known name, any case.
///
/// The names are written in upper case and hold no NUL byte (a test
/// checks), so the first bytes of the input, upper-cased, are packed into
/// one integer, and a name matches when those bytes under its mask equal
/// it: one comparison per name rather than one per byte, each folding the
/// case of both sides. Input shorter than a name leaves zero bytes where
/// the name has others.
fn name(input: &mut &[u8]) -> Parsed<InfoName> {
    let head = *input;
    let mut upper = [0u8; LONGEST_NAME];
    for (u, &h) in upper.iter_mut().zip(head) {
        *u = h.to_ascii_uppercase();
    }
    let packed = pack(&upper);
    let best = NAMES
        .iter()
        .flatten()
        .filter(|&&(text, mask, _, _)| packed & mask == text)
        .max_by_key(|&&(_, _, len, _)| len);
    match best {
        Some(&(_, _, len, name)) => {
            // The name's `len` bytes matched the input's first bytes.
            *input = within(head, len..);
            Ok(name)
        }
        None => fail(),
    }
}

/// `*SP ":" *SP`: the colon is required.
fn colon(input: &mut &[u8]) -> Parsed<()> {
    (spaces, b':', spaces).void().parse_next(input)
}

/// `*SP` and the end of the line.
fn end(input: &mut &[u8]) -> Parsed<()> {
    spaces(input)?;
    if input.is_empty() {
        Ok(())
    } else {
        fail()
    }
}

// ------------------------------------------------------------ payload header

/// `+FTPGET: 2,<len>` / `+FTPLIST: 2,<len>`, a whole line: the header of a
/// read, whose payload follows the line end. For the framer. A `<len>`
/// above [`MAX_READ`], more than any read can ask for, is not a header
/// (`SPEC-simcom.md` §6 item 35): a damaged digit must not turn the
/// answers that follow into payload.
pub(crate) fn data_header(line: &[u8]) -> Option<ListingHeader> {
    let mut input = line;
    let (_, op, _, _, _, len, _) = (
        b'+',
        alt((
            literal(Caseless("FTPGET")).value(0),
            literal(Caseless("FTPLIST")).value(1),
        )),
        colon,
        b'2',
        comma,
        number,
        end,
    )
        .parse_next(&mut input)
        .ok()?;
    (len <= u32::from(MAX_READ)).then_some(ListingHeader {
        mode: op,
        len,
        raw: true,
    })
}

// -------------------------------------------------------------------- lines

/// One complete line from the modem.
pub(crate) fn response_line(line: &[u8]) -> Response<'_> {
    let t = trim(line);
    let parsed = match t.first() {
        Some(b'O' | b'o') if t.eq_ignore_ascii_case(b"OK") => Some(Response::Ok),
        Some(b'E' | b'e') if t.eq_ignore_ascii_case(b"ERROR") => Some(Response::Error),
        Some(b'R' | b'r') if t.eq_ignore_ascii_case(b"RDY") => Some(Response::Urc(Urc::Ready)),
        Some(b'A' | b'a') if t.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(b"AT")) => {
            Some(Response::Echo(line))
        }
        Some(b'+') => plus_line(t),
        Some(_) if is_power_down(t) => Some(Response::Urc(Urc::PowerDown)),
        _ => None,
    };
    parsed.unwrap_or(Response::Unknown(line))
}

/// A trimmed line starting with `+`.
fn plus_line(t: &[u8]) -> Option<Response<'_>> {
    let mut input = t.get(1..)?;
    spaces(&mut input).ok()?;
    if let Ok(r) = error_code(&mut { input }) {
        return Some(r);
    }
    if let Ok(u) = alt((basic_urc, bearer_deact)).parse_next(&mut { input }) {
        return Some(Response::Urc(u));
    }
    let name = name(&mut input).ok()?;
    colon(&mut input).ok()?;
    let value = trim(input);
    if let InfoName::Command(command) = name {
        if let Some(op) = Op::of(command) {
            return op_line(op, value);
        }
    }
    info(name, value)
}

/// `CME ERROR: <err>` / `CMS ERROR: <err>` after the `+`.
fn error_code<'a>(input: &mut &'a [u8]) -> Parsed<Response<'a>> {
    let cms = alt((
        literal(Caseless("CME")).value(false),
        literal(Caseless("CMS")).value(true),
    ))
    .parse_next(input)?;
    (spaces, literal(Caseless("ERROR")), colon).parse_next(input)?;
    let value = trim(input);
    let err = match parse_u32(value).and_then(|n| u16::try_from(n).ok()) {
        Some(code) => CmeError::Code(code),
        None => CmeError::Text(value),
    };
    Ok(if cms {
        Response::CmsError(err)
    } else {
        Response::CmeError(err)
    })
}

/// `CPIN: <s>`, `CFUN: <n>`, `PDP: DEACT`, `APP PDP: <idx>,<state>` after
/// the `+`.
fn basic_urc(input: &mut &[u8]) -> Parsed<Urc> {
    let which = alt((
        literal(Caseless("CPIN")).value(0),
        literal(Caseless("CFUN")).value(1),
        literal(Caseless("PDP")).value(2),
        (
            literal(Caseless("APP")),
            b' ',
            spaces,
            literal(Caseless("PDP")),
        )
            .value(3),
    ))
    .parse_next(input)?;
    colon(input)?;
    match which {
        0 => {
            let state = trim(input);
            Ok(Urc::Cpin {
                ready: state.eq_ignore_ascii_case(b"READY"),
            })
        }
        1 => (number, end).map(|(n, _)| Urc::Cfun(n)).parse_next(input),
        2 => (literal(Caseless("DEACT")), end)
            .value(Urc::PdpDeact)
            .parse_next(input),
        _ => app_pdp(input),
    }
}

/// `<idx>,ACTIVE` / `<idx>,DEACTIVE` of `+APP PDP`.
fn app_pdp(input: &mut &[u8]) -> Parsed<Urc> {
    let (idx, _, active, _) = (
        number,
        comma,
        alt((
            literal(Caseless("ACTIVE")).value(true),
            literal(Caseless("DEACTIVE")).value(false),
        )),
        end,
    )
        .parse_next(input)?;
    Ok(Urc::AppPdp { idx, active })
}

/// `SAPBR <cid>: DEACT` after the `+`.
fn bearer_deact(input: &mut &[u8]) -> Parsed<Urc> {
    let (_, _, _, cid, _, _, _) = (
        literal(Caseless("SAPBR")),
        b' ',
        spaces,
        number,
        colon,
        literal(Caseless("DEACT")),
        end,
    )
        .parse_next(input)?;
    Ok(Urc::BearerDeact { cid })
}

/// The value of a line named by an operation: a URC (`1,…`), a put
/// header (`+FTPPUT: 2,<cnf>`), or an information line (a test answer).
fn op_line(op: Op, value: &[u8]) -> Option<Response<'_>> {
    let mut input = value;
    match number.parse_next(&mut input) {
        Ok(1) => ftp_urc(op, &mut input)
            .ok()
            .map(|status| Response::Urc(Urc::Ftp { op, status })),
        Ok(2) if op == Op::Put => (comma, number, end)
            .map(|(_, cnf, _)| Response::PutHeader { cnf })
            .parse_next(&mut input)
            .ok(),
        // A read header the framer did not take is malformed.
        Ok(2) if matches!(op, Op::Get | Op::List) => None,
        _ => info(InfoName::Command(op.command()), value),
    }
}

/// What follows `1` in an operation's URC.
fn ftp_urc(op: Op, input: &mut &[u8]) -> Parsed<OpStatus> {
    let (_, code) = (comma, number).parse_next(input)?;
    let status = match (op, code) {
        (Op::Size, 0) => (comma, number)
            .map(|(_, n)| OpStatus::Size(n))
            .parse_next(input)?,
        (_, 0) => OpStatus::Done,
        (Op::Get | Op::List, 1) => OpStatus::Open,
        (Op::Put, 1) => (comma, number)
            .map(|(_, max)| OpStatus::PutReady { max })
            .parse_next(input)?,
        (_, 1) => return fail(),
        (_, code) => {
            let Ok(code) = u16::try_from(code) else {
                return fail();
            };
            if op == Op::Size {
                // The failure form's `<0>`: any number, or none.
                opt((comma, number)).parse_next(input)?;
            }
            OpStatus::Failed(SimcomFtpError::from_code(code))
        }
    };
    end(input)?;
    Ok(status)
}

/// An information line, if its fields are well formed.
fn info(name: InfoName, value: &[u8]) -> Option<Response<'_>> {
    let fields = Fields::new(value)?;
    Some(Response::Info(Info { name, fields }))
}

// ---------------------------------------------------------------- host side

/// `<name>` after `AT+`: a name of the command table, longest first.
fn command_name(input: &mut &[u8]) -> Parsed<CommandName> {
    match name(input)? {
        InfoName::Command(c) => Ok(c),
        InfoName::Other(_) => fail(),
    }
}

/// A complete command line without its terminator, if it is one the
/// encoder would send (stray spaces, any case, unquoted strings accepted,
/// `SPEC-simcom.md` §1.5).
pub(crate) fn command_line(line: &[u8]) -> Option<Command<'_>> {
    let mut input = trim(line);
    (literal(Caseless("AT")), spaces)
        .parse_next(&mut input)
        .ok()?;
    match input.first() {
        None => Command::parse_form(CommandName::At, input),
        Some(b'E' | b'e') => Command::parse_form(CommandName::Echo, input.get(1..)?),
        Some(b'+') => {
            let mut rest = input.get(1..)?;
            spaces(&mut rest).ok()?;
            let name = command_name(&mut rest).ok()?;
            spaces(&mut rest).ok()?;
            Command::parse_form(name, rest)
        }
        Some(_) => None,
    }
}

/// `AT+FTPPUT=2,<n>` with `<n>` > 0, a whole line from the host: raw
/// upload bytes follow its terminator. Taken whatever `<n>` is, so that
/// the stream stays in step. For the framer.
pub(crate) fn put_header(line: &[u8]) -> Option<ListingHeader> {
    let mut input = trim(line);
    let (_, _, _, _, _, _, _, _, _, len) = (
        literal(Caseless("AT")),
        spaces,
        b'+',
        spaces,
        literal(Caseless("FTPPUT")),
        spaces,
        b'=',
        spaces,
        // As the command's own parser reads it (`02` is 2): the framer and
        // the command must agree on which lines carry upload bytes.
        (number.verify(|&mode| mode == 2), comma),
        number,
    )
        .parse_next(&mut input)
        .ok()?;
    end(&mut input).ok()?;
    (len > 0).then_some(ListingHeader {
        mode: 2,
        len,
        raw: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simcom::{Field, ReadOp};

    fn line(l: &[u8]) -> Response<'_> {
        response_line(l)
    }

    fn urc(op: Op, status: OpStatus) -> Response<'static> {
        Response::Urc(Urc::Ftp { op, status })
    }

    #[test]
    fn names_are_upper_case_and_short() {
        let wires = WIRES.iter().filter_map(|(_, w)| w.strip_prefix('+'));
        for text in wires
            .map(str::as_bytes)
            .chain(OTHER.iter().map(|(t, _)| *t))
        {
            assert!(!text.is_empty() && text.len() <= LONGEST_NAME, "{text:?}");
            assert_eq!(text, text.to_ascii_uppercase(), "{text:?}");
            assert!(!text.contains(&0), "{text:?}");
        }
    }

    #[test]
    fn names_match_longest_first_any_case() {
        let mut i: &[u8] = b"FTPGETNAME: x";
        assert_eq!(name(&mut i), Ok(InfoName::Command(CommandName::FtpGetName)));
        assert_eq!(i, b": x");
        let mut i: &[u8] = b"ftpputopt:";
        assert_eq!(name(&mut i), Ok(InfoName::Command(CommandName::FtpPutOpt)));
        let mut i: &[u8] = b"FTPGETTOFS: 1";
        assert_eq!(name(&mut i), Ok(InfoName::Other(OtherName::FtpGetToFs)));
        let mut i: &[u8] = b"FTPNOPE: 1";
        assert!(name(&mut i).is_err());
    }

    #[test]
    fn data_headers() {
        let h = |l: &[u8]| data_header(l).map(|h| (h.mode, h.len, h.raw));
        assert_eq!(h(b"+FTPGET: 2,10"), Some((0, 10, true)));
        assert_eq!(h(b"+FTPGET:2,10"), Some((0, 10, true)));
        assert_eq!(h(b"+ftplist: 2 , 1460 "), Some((1, 1460, true)));
        assert_eq!(h(b"+FTPGET: 2,0"), Some((0, 0, true)));
        for bad in [
            &b"+FTPGET: 2,4294967296"[..],
            b"+FTPGET: 2,4294967295",
            b"+FTPLIST: 2,1461",
            b"+FTPGET: 2,99999",
            b"+FTPGET: 1,1",
            b" +FTPGET: 2,10",
            b"+FTPGET 2,10",
            b"+FTPGET: 2,",
            b"+FTPGET: 2,10x",
            b"+FTPGETNAME: 2,10",
            b"+FTPPUT: 2,10",
        ] {
            assert_eq!(h(bad), None, "{}", bad.escape_ascii());
        }
    }

    #[test]
    fn put_headers_agree_with_the_command() {
        let h = |l: &[u8]| super::put_header(l).map(|h| h.len);
        assert_eq!(h(b"AT+FTPPUT=2,10"), Some(10));
        // The command's parser reads `02` as 2: so does the framer (the
        // `simcom_command_stream` fuzz target found them disagreeing).
        assert_eq!(h(b"AT+FTPPUT=02,10"), Some(10));
        assert_eq!(h(b"at + ftpput = 2 , 3 "), Some(3));
        for bad in [&b"AT+FTPPUT=2,0"[..], b"AT+FTPPUT=1,10", b"AT+FTPPUT=12,10"] {
            assert_eq!(h(bad), None, "{}", bad.escape_ascii());
        }
    }

    #[test]
    fn final_results() {
        assert_eq!(line(b"OK"), Response::Ok);
        assert_eq!(line(b" ok "), Response::Ok);
        assert_eq!(line(b"ERROR"), Response::Error);
        assert_eq!(
            line(b"+CME ERROR: 3"),
            Response::CmeError(CmeError::Code(3))
        );
        assert_eq!(
            line(b"+CMS ERROR: bad"),
            Response::CmsError(CmeError::Text(b"bad"))
        );
    }

    #[test]
    fn operation_urcs() {
        assert_eq!(line(b"+FTPGET: 1,1"), urc(Op::Get, OpStatus::Open));
        assert_eq!(line(b"+FTPGET:1,0"), urc(Op::Get, OpStatus::Done));
        assert_eq!(
            line(b"+FTPGET: 1,72"),
            urc(Op::Get, OpStatus::Failed(SimcomFtpError::Password))
        );
        assert_eq!(line(b"+FTPLIST: 1 , 1"), urc(Op::List, OpStatus::Open));
        assert_eq!(
            line(b"+FTPPUT: 1,1,1360"),
            urc(Op::Put, OpStatus::PutReady { max: 1360 })
        );
        assert_eq!(line(b"+FTPPUT: 1,0"), urc(Op::Put, OpStatus::Done));
        assert_eq!(line(b"+FTPMKD: 1,0"), urc(Op::Mkd, OpStatus::Done));
        assert_eq!(
            line(b"+FTPRMD: 1,77"),
            urc(Op::Rmd, OpStatus::Failed(SimcomFtpError::Operate))
        );
        assert_eq!(line(b"+FTPDELE: 1,0"), urc(Op::Dele, OpStatus::Done));
        assert_eq!(line(b"+FTPSIZE: 1,0,10"), urc(Op::Size, OpStatus::Size(10)));
        let missing = urc(Op::Size, OpStatus::Failed(SimcomFtpError::Operate));
        assert_eq!(line(b"+FTPSIZE: 1,77,0"), missing);
        assert_eq!(line(b"+FTPSIZE: 1,77"), missing);
        assert_eq!(
            line(b"+FTPGET: 1,99"),
            urc(Op::Get, OpStatus::Failed(SimcomFtpError::Unknown(99)))
        );
        // Malformed URCs are Unknown, never errors of the stream.
        for bad in [
            &b"+FTPGET: 1,x"[..],
            b"+FTPGET: 1",
            b"+FTPPUT: 1,1",
            b"+FTPMKD: 1,1",
            b"+FTPSIZE: 1,0",
            b"+FTPGET: 1,0,5",
            b"+FTPGET: 1,70000",
            b"+FTPGET: 2,10x",
        ] {
            assert_eq!(line(bad), Response::Unknown(bad));
        }
    }

    #[test]
    fn put_header() {
        assert_eq!(line(b"+FTPPUT: 2,10"), Response::PutHeader { cnf: 10 });
        assert_eq!(line(b"+FTPPUT:2, 0"), Response::PutHeader { cnf: 0 });
        assert_eq!(line(b"+FTPPUT: 2,"), Response::Unknown(b"+FTPPUT: 2,"));
    }

    #[test]
    fn bearer_and_basic_urcs() {
        assert_eq!(
            line(b"+SAPBR 1: DEACT"),
            Response::Urc(Urc::BearerDeact { cid: 1 })
        );
        assert_eq!(line(b"+PDP: DEACT"), Response::Urc(Urc::PdpDeact));
        assert_eq!(
            line(b"+APP PDP: 0,DEACTIVE"),
            Response::Urc(Urc::AppPdp {
                idx: 0,
                active: false
            })
        );
        assert_eq!(line(b"RDY"), Response::Urc(Urc::Ready));
        assert_eq!(line(b"+CFUN: 1"), Response::Urc(Urc::Cfun(1)));
        assert_eq!(
            line(b"+CPIN: READY"),
            Response::Urc(Urc::Cpin { ready: true })
        );
        assert_eq!(line(b"NORMAL POWER DOWN"), Response::Urc(Urc::PowerDown));
    }

    #[test]
    fn information_lines_and_fields() {
        let Response::Info(i) = line(b"+SAPBR: 1,1,\"10.0.0.2\"") else {
            panic!()
        };
        assert_eq!(i.name, InfoName::Command(CommandName::Sapbr));
        let fields: std::vec::Vec<_> = i.fields.into_iter().collect();
        assert_eq!(
            fields,
            [Field::Number(1), Field::Number(1), Field::Text(b"10.0.0.2")]
        );
        // Quoted or bare: the same field.
        for l in [&b"+FTPTYPE: I"[..], b"+FTPTYPE: \"I\"", b"+ftptype:I "] {
            let Response::Info(i) = line(l) else { panic!() };
            assert_eq!(i.fields.get(0), Some(Field::Text(b"I")));
            assert_eq!(i.fields.len(), 1);
        }
        let Response::Info(i) = line(b"+FTPSTATE: 0") else {
            panic!()
        };
        assert_eq!(i.fields.get(0), Some(Field::Number(0)));
        // A test answer of an operation is information, not a URC.
        assert!(matches!(
            line(b"+FTPGET: (1,2),(1-1460)"),
            Response::Info(_)
        ));
        // Unbalanced quotes and empty fields make the line Unknown.
        for bad in [
            &b"+FTPUN: \"x"[..],
            b"+FTPUN: a\"b",
            b"+FTPUN: a,,b",
            b"+FTPUN: a,",
        ] {
            assert_eq!(line(bad), Response::Unknown(bad));
        }
        assert_eq!(line(b"+NOPE: 1"), Response::Unknown(b"+NOPE: 1"));
    }

    #[test]
    fn echo_and_unknown() {
        assert_eq!(line(b"AT+FTPGET=1"), Response::Echo(b"AT+FTPGET=1"));
        assert_eq!(line(b"hello"), Response::Unknown(b"hello"));
        let _ = ReadOp::Get;
    }

    #[test]
    fn passwords_are_hidden_in_debug() {
        let show = |l: &[u8]| std::format!("{:?}", line(l));
        let s = show(b"+FTPPW: \"hunter2\"");
        assert!(!s.contains("hunter2"), "{s}");
        let s = show(b"+SAPBR: \"PWD\",\"hunter2\"");
        assert!(!s.contains("hunter2"), "{s}");
        let s = show(b"AT+FTPPW=\"hunter2\"");
        assert!(!s.contains("hunter2"), "{s}");
        let s = show(b"AT+SAPBR=3,1,\"PWD\",\"hunter2\"");
        assert!(!s.contains("hunter2"), "{s}");
        let s = show(b"xx +FTPPW hunter2");
        assert!(!s.contains("hunter2"), "{s}");
    }
}
