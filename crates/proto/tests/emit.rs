//! The response encoder against the response decoder: whatever
//! `ResponseEncoder` writes, `ResponseDecoder` reads back as the same items,
//! fed whole, one byte at a time and cut anywhere; and every kind of item the
//! decoder returns can be written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::vec::Vec;

use cellftp_proto::{
    commands, CmeError, Command, CommandName, Echo, EmitError, Info, InfoValue, Response,
    ResponseEncoder, ResultCode, Seed, ServCode, Urc, MAX_FRAGMENT, MAX_LINE, MAX_PUT_DATA,
};
use common::check_responses;
use proptest::prelude::*;

/// One owned group of items: what the modem says in one go (a line, a
/// chunk with its continuations, a listing with its lines, the pieces of an
/// overlong line).
#[derive(Debug, Clone)]
enum Group {
    Ok,
    Error,
    Cme(u16),
    CmeText(Vec<u8>),
    Cms(u16),
    Code(u8, u16),
    Serv(u16),
    Get(Vec<u8>),
    List(u32, Vec<Vec<u8>>),
    Info(usize, u8, Vec<u8>),
    Urc(u8, Vec<u8>),
    Unknown(Vec<u8>),
    Echo(usize, u8, u32, u8, Vec<u8>),
    EchoPut(Vec<u8>),
    Overlong(Vec<u8>),
    ListOverlong(Vec<u8>, Vec<u8>),
}

impl Group {
    /// True for the groups that must always be written: no free text in
    /// them that could read as another item.
    fn canonical(&self) -> bool {
        matches!(
            self,
            Group::Ok
                | Group::Error
                | Group::Cme(_)
                | Group::Cms(_)
                | Group::Code(..)
                | Group::Serv(_)
                | Group::Get(_)
                | Group::EchoPut(_)
                | Group::Overlong(_)
                | Group::ListOverlong(..)
        )
    }
}

fn line_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        8 => 0x20u8..0x7f,
        1 => any::<u8>().prop_filter("no line end", |b| *b != b'\r' && *b != b'\n'),
    ]
}

fn line(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(line_byte(), 1..=max)
}

fn payload(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..=64),
        prop::collection::vec(
            prop::sample::select(b"\r\nOK+FTPGET:,0\x1a\0".to_vec()),
            0..=64
        ),
        prop::collection::vec(any::<u8>(), 0..=max),
    ]
}

fn group() -> impl Strategy<Value = Group> {
    prop_oneof![
        Just(Group::Ok),
        Just(Group::Error),
        any::<u16>().prop_map(Group::Cme),
        line(40).prop_map(Group::CmeText),
        any::<u16>().prop_map(Group::Cms),
        (any::<u8>(), any::<u16>()).prop_map(|(k, n)| Group::Code(k, n)),
        (0u16..1000).prop_map(Group::Serv),
        payload(3 * MAX_FRAGMENT + 10).prop_map(Group::Get),
        (any::<u32>(), prop::collection::vec(line(80), 0..6)).prop_map(|(m, l)| Group::List(m, l)),
        (any::<usize>(), any::<u8>(), line(40)).prop_map(|(n, k, v)| Group::Info(n, k, v)),
        (any::<u8>(), line(30)).prop_map(|(k, v)| Group::Urc(k, v)),
        line(60).prop_map(Group::Unknown),
        (
            any::<usize>(),
            any::<u8>(),
            any::<u32>(),
            any::<u8>(),
            line(64)
        )
            .prop_map(|(n, f, num, fl, p)| Group::Echo(n, f, num, fl, p)),
        prop::collection::vec(any::<u8>(), MAX_PUT_DATA + 1..=2 * MAX_FRAGMENT + 5)
            .prop_map(Group::EchoPut),
        (MAX_LINE + 1..=3 * MAX_LINE + 3)
            .prop_flat_map(|n| prop::collection::vec(b'a'..=b'z', n))
            .prop_map(Group::Overlong),
        (
            (MAX_LINE + 1..=2 * MAX_LINE + 3)
                .prop_flat_map(|n| prop::collection::vec(b'a'..=b'z', n)),
            line(20)
        )
            .prop_map(|(o, l)| Group::ListOverlong(o, l)),
    ]
}

/// Every result code, picked by `kind`.
fn result_code(kind: u8, n: u16) -> ResultCode {
    match kind % 7 {
        0 => ResultCode::NoCarrier,
        1 => ResultCode::Busy,
        2 => ResultCode::NoAnswer,
        3 => ResultCode::NoDialtone,
        4 => ResultCode::ModemError(Some(n)),
        5 => ResultCode::ModemError(None),
        _ => ResultCode::NotSupported,
    }
}

/// Pieces of `data` as the decoder cuts a payload: the first fragment, then
/// continuations of [`MAX_FRAGMENT`] bytes.
fn fragments(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let first = data.len().min(MAX_FRAGMENT);
    std::iter::once(&data[..first]).chain(data[first..].chunks(MAX_FRAGMENT))
}

/// The pieces the decoder cuts an overlong line into.
fn overlong_pieces(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.chunks(MAX_LINE)
}

/// The items of a group, borrowing from it; `None` if the group cannot
/// even be built (an echoed command whose seed is not a valid command).
fn items(group: &Group) -> Option<Vec<Response<'_>>> {
    Some(match group {
        Group::Ok => vec![Response::Ok],
        Group::Error => vec![Response::Error],
        Group::Cme(c) => vec![Response::CmeError(CmeError::Code(*c))],
        Group::CmeText(t) => vec![Response::CmeError(CmeError::Text(t))],
        Group::Cms(c) => vec![Response::CmsError(CmeError::Code(*c))],
        Group::Code(kind, n) => vec![Response::ResultCode(result_code(*kind, *n))],
        Group::Serv(c) => vec![Response::ServResult(ServCode::from_code(*c))],
        Group::Get(data) => {
            let mut v = Vec::new();
            for (i, f) in fragments(data).enumerate() {
                v.push(if i == 0 {
                    Response::FtpGet {
                        len: data.len() as u32,
                        data: f,
                    }
                } else {
                    Response::Continuation(f)
                });
            }
            v
        }
        Group::List(mode, lines) => {
            let len = ResponseEncoder::listing_len(lines.iter().map(Vec::as_slice));
            let mut v = vec![Response::FtpList {
                mode: *mode,
                len: len as u32,
            }];
            v.extend(lines.iter().map(|l| Response::ListLine(l)));
            v
        }
        Group::Info(n, kind, value) => {
            let names: Vec<CommandName> = commands()
                .map(|c| c.name)
                .filter(|n| n.as_str().starts_with('+'))
                .collect();
            let name = names[n % names.len()];
            let value = match kind % 5 {
                0 => InfoValue::Empty,
                1 => InfoValue::Number(u32::from_le_bytes([value[0], 0, 0, 0])),
                2 => InfoValue::Range(value),
                3 => InfoValue::Placeholder(value),
                _ => InfoValue::Text(value),
            };
            vec![Response::Info(Info { name, value })]
        }
        Group::Urc(kind, value) => vec![Response::Urc(match kind % 6 {
            0 => Urc::Ready,
            1 => Urc::Cpin(value),
            2 => Urc::Cfun(u32::from(value[0])),
            3 => Urc::PowerDown(b"NORMAL POWER DOWN"),
            4 => Urc::Cgev(value),
            _ => Urc::PdpDeact,
        })],
        Group::Unknown(l) => vec![Response::Unknown(l)],
        Group::Echo(n, form, number, flags, param) => {
            let rows: Vec<CommandName> = commands().map(|c| c.name).collect();
            let seed = Seed {
                form: *form,
                number: *number,
                flags: *flags,
                param,
            };
            let c = Command::from_seed(rows[n % rows.len()], &seed).ok()?;
            vec![common::echo_of(c)]
        }
        Group::EchoPut(data) => {
            let mut v = Vec::new();
            for (i, f) in fragments(data).enumerate() {
                v.push(if i == 0 {
                    Response::Echo(Echo::from_put(data.len() as u32, f))
                } else {
                    Response::Continuation(f)
                });
            }
            v
        }
        Group::Overlong(l) => overlong_pieces(l).map(Response::Overlong).collect(),
        Group::ListOverlong(o, l) => {
            let len = o.len() + 2 + l.len();
            let mut v = vec![Response::FtpList {
                mode: 1,
                len: len as u32,
            }];
            v.extend(overlong_pieces(o).map(Response::Overlong));
            v.push(Response::ListLine(l));
            v
        }
    })
}

/// Encodes the groups that can be written; returns the bytes and the
/// items written.
fn encode_all(groups: &[Group]) -> Result<(Vec<u8>, Vec<Response<'_>>), TestCaseError> {
    let mut encoder = ResponseEncoder::new();
    let mut bytes = Vec::new();
    let mut written = Vec::new();
    let mut buf = vec![0u8; 4 * MAX_FRAGMENT];
    for group in groups {
        let Some(items) = items(group) else { continue };
        let mut trial = encoder.clone();
        let mut out = Vec::new();
        let mut ok = true;
        for item in &items {
            let len = trial.encoded_len(item);
            match trial.encode(item, &mut buf) {
                Ok(n) => {
                    prop_assert_eq!(len, Ok(n));
                    out.extend_from_slice(&buf[..n]);
                }
                Err(e) => {
                    prop_assert_eq!(e, EmitError::Unreadable, "{:?} in {:?}", item, group);
                    prop_assert!(!group.canonical(), "refused {:?}", item);
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            prop_assert!(trial.is_between_items(), "{:?} left a payload open", group);
            encoder = trial;
            bytes.extend_from_slice(&out);
            written.extend(items);
        }
    }
    Ok((bytes, written))
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 128,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Whatever is written reads back as the same items, whole, byte by
    /// byte and cut anywhere.
    #[test]
    fn written_reads_back(groups in prop::collection::vec(group(), 1..8)) {
        // An overlong line's line end is written with the item after it
        // (a piece may follow); a final `OK` ends the stream's last line, as
        // a modem's final result does.
        let mut groups = groups;
        groups.push(Group::Ok);
        let (bytes, written) = encode_all(&groups)?;
        check_responses(&bytes, &written, b"");
    }

    /// A buffer too small is refused before anything is written.
    #[test]
    fn refusals_write_nothing(group in group()) {
        if let Some(items) = items(&group) {
            let mut encoder = ResponseEncoder::new();
            let mut buf = [0xAAu8; 16];
            for item in &items {
                match encoder.encode(item, &mut buf) {
                    Err(EmitError::BufferTooSmall { needed, available }) => {
                        prop_assert!(needed > available);
                        prop_assert!(buf.iter().all(|&b| b == 0xAA));
                        break;
                    }
                    Err(_) => break,
                    Ok(_) => buf = [0xAA; 16],
                }
            }
        }
    }
}

#[test]
fn manual_example_bytes() {
    let mut encoder = ResponseEncoder::new();
    let mut buf = [0u8; 128];
    let mut out = Vec::new();
    let listing: &[u8] = b"-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt";
    for item in [
        Response::ServResult(ServCode::Success),
        Response::Ok,
        Response::FtpGet {
            len: 3,
            data: b"345",
        },
        Response::Ok,
        Response::FtpList { mode: 1, len: 48 },
        Response::ListLine(listing),
        Response::Ok,
        Response::Echo(Echo::from_line(b"AT+FTPQUIT")),
        Response::Ok,
    ] {
        let n = encoder.encode(&item, &mut buf).unwrap();
        out.extend_from_slice(&buf[..n]);
    }
    let want = [
        &b"\r\n+FTPSERV:0\r\n\r\nOK\r\n\r\n+FTPGET:3,345\r\n\r\nOK\r\n\r\n+FTPLIST:1,48\r\n"[..],
        listing,
        b"\r\nOK\r\nAT+FTPQUIT\r\r\nOK\r\n",
    ]
    .concat();
    assert_eq!(
        out.escape_ascii().to_string(),
        want.escape_ascii().to_string()
    );
}

#[test]
fn every_result_code_is_written() {
    let mut encoder = ResponseEncoder::new();
    let mut buf = [0u8; 64];
    for (code, bytes) in [
        (ResultCode::NoCarrier, &b"\r\nNO CARRIER\r\n"[..]),
        (ResultCode::Busy, b"\r\nBUSY\r\n"),
        (ResultCode::NoAnswer, b"\r\nNO ANSWER\r\n"),
        (ResultCode::NoDialtone, b"\r\nNO DIALTONE\r\n"),
        (ResultCode::ModemError(Some(3)), b"\r\nMODEM ERROR: 3\r\n"),
        (ResultCode::ModemError(None), b"\r\nMODEM ERROR:\r\n"),
        (ResultCode::NotSupported, b"\r\nCOMMAND NOT SUPPORT\r\n"),
    ] {
        let item = Response::ResultCode(code);
        let n = encoder.encode(&item, &mut buf).unwrap();
        assert_eq!(&buf[..n], bytes, "{code:?}");
        check_responses(bytes, &[item], b"");
    }
}

#[test]
fn out_of_place_and_unreadable() {
    let mut encoder = ResponseEncoder::new();
    let mut buf = [0u8; 64];
    assert_eq!(
        encoder.encode(&Response::Continuation(b"x"), &mut buf),
        Err(EmitError::OutOfPlace)
    );
    assert_eq!(
        encoder.encode(&Response::Unknown(b"OK"), &mut buf),
        Err(EmitError::Unreadable)
    );
    assert_eq!(
        encoder.encode(&Response::Unknown(b"a\rb"), &mut buf),
        Err(EmitError::Unreadable)
    );
    assert_eq!(
        encoder.encode(
            &Response::FtpGet {
                len: 4,
                data: b"abc"
            },
            &mut buf
        ),
        Err(EmitError::Unreadable)
    );
    encoder
        .encode(&Response::FtpList { mode: 1, len: 10 }, &mut buf)
        .unwrap();
    assert_eq!(encoder.payload_pending(), Some(10));
    assert_eq!(
        encoder.encode(&Response::Ok, &mut buf),
        Err(EmitError::OutOfPlace)
    );
    assert!(!encoder.is_between_items());
}

#[test]
fn echoes_are_written_from_what_they_read_as() {
    let mut encoder = ResponseEncoder::new();
    let mut buf = [0u8; 64];
    for (line, bytes) in [
        // A command: written as the encoder spells it.
        (&b"at+ftpquit"[..], &b"AT+FTPQUIT\r"[..]),
        (b"AT+FTPMODE=1", b"AT+FTPMODE=1\r"),
        // A line no command reads: written as it came.
        (b"AT+XYZ=1", b"AT+XYZ=1\r"),
    ] {
        let item = Response::Echo(Echo::from_line(line));
        let n = encoder.encode(&item, &mut buf).unwrap();
        assert_eq!(
            buf[..n].escape_ascii().to_string(),
            bytes.escape_ascii().to_string()
        );
    }
}
