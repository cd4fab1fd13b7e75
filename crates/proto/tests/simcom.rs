//! The SIMCom dialect (`SPEC-simcom.md`): the encoder's canonical forms and
//! refusals, the error codes, the example sessions of §5 decoded, every
//! command of the table built from a seed and read back, and the decoders'
//! split invariance over generated streams.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::format;
use std::string::String;
use std::vec::Vec;

use cellftp_proto::simcom::{
    Bearer, BearerParam, Command, CommandDecoder, CommandName, Op, OpStatus, Password, PutOpt,
    Quoted, QuotedKind, ReadOp, Request, Response, ResponseDecoder, SecretKind, SimcomErrorKind,
    SimcomFtpError, Transfer, Upload, Urc, MAX_COMMAND, MAX_READ,
};
use cellftp_proto::{Action, CmeError, EncodeError, Mode, Seed, Setting, TextKind, TransferType};
use cellftp_proto::{MAX_FRAGMENT, MAX_LINE, MIN_BUFFER};
use common::{check, decode_cut, decode_whole, drain, Render};
use proptest::prelude::*;
use proptest::sample::Index;

fn enc(c: Command<'_>) -> Vec<u8> {
    let mut buf = [0u8; MAX_COMMAND];
    let n = c.encode(&mut buf).unwrap();
    assert_eq!(c.encoded_len(), Ok(n));
    buf[..n].to_vec()
}

fn q(kind: QuotedKind, s: &str) -> Quoted<'_> {
    Quoted::new(kind, s).unwrap()
}

// ------------------------------------------------------------------ encoder

#[test]
fn every_command_and_form_encodes_canonically() {
    let pw = Password::new(SecretKind::Ftp, "secret").unwrap();
    let bpw = Password::new(SecretKind::Bearer, "b,p").unwrap();
    let long_path = format!("/{}", "p".repeat(254));
    let cases: Vec<(Command<'_>, &[u8])> = vec![
        (Command::At, b"AT\r"),
        (Command::Echo(false), b"ATE0\r"),
        (Command::Sapbr(Bearer::Test), b"AT+SAPBR=?\r"),
        (
            Command::Sapbr(Bearer::Set {
                cid: 1,
                param: BearerParam::ContypeGprs,
            }),
            b"AT+SAPBR=3,1,\"Contype\",\"GPRS\"\r",
        ),
        (
            Command::Sapbr(Bearer::Set {
                cid: 1,
                param: BearerParam::Apn(q(QuotedKind::Apn, "internet")),
            }),
            b"AT+SAPBR=3,1,\"APN\",\"internet\"\r",
        ),
        (
            Command::Sapbr(Bearer::Set {
                cid: 2,
                param: BearerParam::Apn(q(QuotedKind::Apn, "")),
            }),
            b"AT+SAPBR=3,2,\"APN\",\"\"\r",
        ),
        (
            Command::Sapbr(Bearer::Set {
                cid: 3,
                param: BearerParam::User(q(QuotedKind::BearerUser, "u")),
            }),
            b"AT+SAPBR=3,3,\"USER\",\"u\"\r",
        ),
        (
            Command::Sapbr(Bearer::Set {
                cid: 1,
                param: BearerParam::Password(bpw),
            }),
            b"AT+SAPBR=3,1,\"PWD\",\"b,p\"\r",
        ),
        (Command::Sapbr(Bearer::Get { cid: 1 }), b"AT+SAPBR=4,1\r"),
        (Command::Sapbr(Bearer::Open { cid: 1 }), b"AT+SAPBR=1,1\r"),
        (Command::Sapbr(Bearer::Query { cid: 1 }), b"AT+SAPBR=2,1\r"),
        (Command::Sapbr(Bearer::Close { cid: 1 }), b"AT+SAPBR=0,1\r"),
        (Command::FtpCid(Setting::Set(1)), b"AT+FTPCID=1\r"),
        (Command::FtpCid(Setting::Set(0)), b"AT+FTPCID=0\r"),
        (Command::FtpCid(Setting::Query), b"AT+FTPCID?\r"),
        (
            Command::FtpServ(Setting::Set(q(QuotedKind::Server, "ftp.example.com"))),
            b"AT+FTPSERV=\"ftp.example.com\"\r",
        ),
        (
            Command::FtpServ(Setting::Set(q(QuotedKind::Server, "10.0.0.1"))),
            b"AT+FTPSERV=\"10.0.0.1\"\r",
        ),
        (Command::FtpPort(Setting::Set(21)), b"AT+FTPPORT=21\r"),
        (
            Command::FtpUn(Setting::Set(q(QuotedKind::User, "user"))),
            b"AT+FTPUN=\"user\"\r",
        ),
        (Command::FtpPw(Setting::Set(pw)), b"AT+FTPPW=\"secret\"\r"),
        (
            Command::FtpPw(Setting::Set(Password::new(SecretKind::Ftp, "").unwrap())),
            b"AT+FTPPW=\"\"\r",
        ),
        (
            Command::FtpMode(Setting::Set(Mode::Passive)),
            b"AT+FTPMODE=1\r",
        ),
        (
            Command::FtpType(Setting::Set(TransferType::Binary)),
            b"AT+FTPTYPE=\"I\"\r",
        ),
        (
            Command::FtpType(Setting::Set(TransferType::Ascii)),
            b"AT+FTPTYPE=\"A\"\r",
        ),
        (Command::FtpType(Setting::Test), b"AT+FTPTYPE=?\r"),
        (
            Command::FtpPutOpt(Setting::Set(PutOpt::Stor)),
            b"AT+FTPPUTOPT=\"STOR\"\r",
        ),
        (
            Command::FtpPutOpt(Setting::Set(PutOpt::Appe)),
            b"AT+FTPPUTOPT=\"APPE\"\r",
        ),
        (
            Command::FtpPutOpt(Setting::Set(PutOpt::Stou)),
            b"AT+FTPPUTOPT=\"STOU\"\r",
        ),
        (Command::FtpRest(Setting::Set(4096)), b"AT+FTPREST=4096\r"),
        (
            Command::FtpRest(Setting::Set(u32::MAX)),
            b"AT+FTPREST=4294967295\r",
        ),
        (
            Command::FtpGetName(Setting::Set(q(QuotedKind::FileName, "a.bin"))),
            b"AT+FTPGETNAME=\"a.bin\"\r",
        ),
        (
            Command::FtpGetPath(Setting::Set(q(QuotedKind::Path, "/"))),
            b"AT+FTPGETPATH=\"/\"\r",
        ),
        (
            Command::FtpPutName(Setting::Set(q(QuotedKind::FileName, " a, b; "))),
            b"AT+FTPPUTNAME=\" a, b; \"\r",
        ),
        (
            Command::FtpPutPath(Setting::Set(q(QuotedKind::Path, "/up/"))),
            b"AT+FTPPUTPATH=\"/up/\"\r",
        ),
        (Command::FtpGet(Transfer::Open), b"AT+FTPGET=1\r"),
        (Command::FtpGet(Transfer::Read(1460)), b"AT+FTPGET=2,1460\r"),
        (Command::FtpGet(Transfer::Test), b"AT+FTPGET=?\r"),
        (Command::FtpPut(Upload::Open), b"AT+FTPPUT=1\r"),
        (Command::FtpPut(Upload::Write(10)), b"AT+FTPPUT=2,10\r"),
        (Command::FtpPut(Upload::End), b"AT+FTPPUT=2,0\r"),
        (Command::FtpList(Transfer::Open), b"AT+FTPLIST=1\r"),
        (Command::FtpList(Transfer::Read(1)), b"AT+FTPLIST=2,1\r"),
        (Command::FtpMkd(Action::Execute), b"AT+FTPMKD\r"),
        (Command::FtpRmd(Action::Execute), b"AT+FTPRMD\r"),
        (Command::FtpDele(Action::Execute), b"AT+FTPDELE\r"),
        (Command::FtpSize(Action::Execute), b"AT+FTPSIZE\r"),
        (Command::FtpSize(Action::Test), b"AT+FTPSIZE=?\r"),
        (Command::FtpState(Action::Execute), b"AT+FTPSTATE\r"),
        (Command::FtpQuit(Action::Execute), b"AT+FTPQUIT\r"),
    ];
    for (cmd, bytes) in &cases {
        assert_eq!(enc(*cmd), *bytes, "{cmd:?}");
        // And the command decoder reads it back.
        let (items, _) = decode_whole::<CommandDecoder>(bytes);
        assert_eq!(items, [Request::Command(*cmd)], "{cmd:?}");
    }
    // The longest line fits MAX_COMMAND exactly.
    let longest = Command::FtpGetPath(Setting::Set(q(QuotedKind::Path, &long_path)));
    assert_eq!(enc(longest).len(), MAX_COMMAND);
    // The password is in the line only, never in Debug.
    let debug = format!("{:?}", Command::FtpPw(Setting::Set(pw)));
    assert!(!debug.contains("secret"), "{debug}");
    let debug = format!(
        "{:?}",
        Command::Sapbr(Bearer::Set {
            cid: 1,
            param: BearerParam::Password(bpw)
        })
    );
    assert!(!debug.contains("b,p"), "{debug}");
}

#[test]
fn timeout_classes() {
    use cellftp_proto::simcom::TimeoutClass as T;
    let cases = [
        (Command::At, T::Local),
        (Command::Sapbr(Bearer::Open { cid: 1 }), T::BearerOpen),
        (Command::Sapbr(Bearer::Close { cid: 1 }), T::BearerClose),
        (Command::Sapbr(Bearer::Query { cid: 1 }), T::Local),
        (Command::FtpGet(Transfer::Open), T::Operation),
        (Command::FtpGet(Transfer::Read(5)), T::Read),
        (Command::FtpGet(Transfer::Test), T::Local),
        (Command::FtpPut(Upload::Open), T::Operation),
        (Command::FtpPut(Upload::Write(5)), T::Write),
        (Command::FtpPut(Upload::End), T::Write),
        (Command::FtpMkd(Action::Execute), T::Operation),
        (Command::FtpSize(Action::Execute), T::Operation),
        (Command::FtpSize(Action::Test), T::Local),
        (Command::FtpQuit(Action::Execute), T::Local),
        (Command::FtpRest(Setting::Set(1)), T::Local),
    ];
    for (c, t) in cases {
        assert_eq!(c.timeout_class(), t, "{c:?}");
    }
}

#[test]
fn strings_that_could_end_or_split_are_refused() {
    let forbidden = |field, offset, byte| {
        Err(EncodeError::ForbiddenInQuotes {
            field,
            offset,
            byte,
        })
    };
    let k = QuotedKind::FileName;
    assert_eq!(
        Quoted::new(k, "a\"b").map(|_| ()),
        forbidden(TextKind::FileName, 1, Some(b'"'))
    );
    assert_eq!(
        Quoted::new(k, "a\\b").map(|_| ()),
        forbidden(TextKind::FileName, 1, Some(b'\\'))
    );
    assert_eq!(
        Quoted::new(k, "ab\r").map(|_| ()),
        forbidden(TextKind::FileName, 2, Some(b'\r'))
    );
    assert_eq!(
        Quoted::new(k, "\nAT").map(|_| ()),
        forbidden(TextKind::FileName, 0, Some(b'\n'))
    );
    assert_eq!(
        Quoted::from_bytes(k, b"a\0").map(|_| ()),
        forbidden(TextKind::FileName, 1, Some(0))
    );
    assert_eq!(
        Quoted::new(k, "é").map(|_| ()),
        forbidden(TextKind::FileName, 0, Some(0xc3))
    );
    assert_eq!(
        Quoted::from_bytes(k, b"\x7f").map(|_| ()),
        forbidden(TextKind::FileName, 0, Some(0x7f))
    );
    // A refused password never shows its byte.
    assert_eq!(
        Password::new(SecretKind::Ftp, "ab\"c").map(|_| ()),
        forbidden(TextKind::Password, 2, None)
    );
    assert_eq!(
        Password::new(SecretKind::Bearer, "x\r").map(|_| ()),
        forbidden(TextKind::BearerPassword, 1, None)
    );
    // Lengths of §2.1.
    let too_long = |kind: QuotedKind, n: usize| {
        let s = "x".repeat(n);
        Quoted::new(kind, &s).map(|_| ())
    };
    for (kind, field, max) in [
        (QuotedKind::User, TextKind::User, 49),
        (QuotedKind::FileName, TextKind::FileName, 99),
        (QuotedKind::Path, TextKind::Path, 255),
        (QuotedKind::Apn, TextKind::Apn, 64),
        (QuotedKind::BearerUser, TextKind::BearerUser, 32),
    ] {
        assert_eq!(too_long(kind, max), Ok(()));
        assert_eq!(
            too_long(kind, max + 1),
            Err(EncodeError::TooLong {
                field,
                max,
                len: max + 1
            })
        );
    }
    assert!(Password::new(SecretKind::Ftp, &"p".repeat(49)).is_ok());
    assert!(Password::new(SecretKind::Ftp, &"p".repeat(50)).is_err());
    assert!(Password::new(SecretKind::Bearer, &"p".repeat(33)).is_err());
    assert_eq!(
        Quoted::new(QuotedKind::User, "").map(|_| ()),
        Err(EncodeError::Empty {
            field: TextKind::User
        })
    );
    assert!(Quoted::new(QuotedKind::Apn, "").is_ok());
    // The server: an address or a host name, at most 49 bytes.
    assert!(Quoted::new(QuotedKind::Server, "256.1.1.1").is_err());
    assert!(Quoted::new(QuotedKind::Server, "ftp example").is_err());
    let host = format!("{}.com", "h".repeat(46));
    assert_eq!(
        Quoted::new(QuotedKind::Server, &host).map(|_| ()),
        Err(EncodeError::TooLong {
            field: TextKind::Server,
            max: 49,
            len: 49 + 1
        })
    );
    // Messages are sentences, never Debug output.
    for (err, msg) in [
        (
            forbidden(TextKind::Path, 3, Some(b'"')).unwrap_err(),
            "the path contains `\"` (at offset 3), which would end the quoted AT parameter",
        ),
        (
            forbidden(TextKind::Password, 1, None).unwrap_err(),
            "the password contains a character that cannot be sent (at offset 1): only \
             printable ASCII other than `\"` and `\\` is allowed",
        ),
    ] {
        assert_eq!(err.to_string(), msg);
    }
}

#[test]
fn commands_are_checked_before_a_byte_is_written() {
    let mut buf = [0xAAu8; MAX_COMMAND];
    let path = "p".repeat(200);
    let long = q(QuotedKind::Path, &path);
    let refused = [
        (
            Command::FtpGet(Transfer::Read(0)),
            EncodeError::OutOfRange {
                what: "request length",
                min: 1,
                max: 1460,
                value: 0,
            },
        ),
        (
            Command::FtpList(Transfer::Read(1461)),
            EncodeError::OutOfRange {
                what: "request length",
                min: 1,
                max: 1460,
                value: 1461,
            },
        ),
        (
            Command::FtpPut(Upload::Write(2000)),
            EncodeError::OutOfRange {
                what: "request length",
                min: 1,
                max: 1460,
                value: 2000,
            },
        ),
        (
            Command::Sapbr(Bearer::Open { cid: 0 }),
            EncodeError::OutOfRange {
                what: "bearer profile",
                min: 1,
                max: 3,
                value: 0,
            },
        ),
        (
            Command::FtpCid(Setting::Set(4)),
            EncodeError::OutOfRange {
                what: "bearer profile",
                min: 0,
                max: 3,
                value: 4,
            },
        ),
        (Command::FtpPort(Setting::Set(0)), EncodeError::PortZero),
        // A path's value is too long for the file name's row.
        (
            Command::FtpGetName(Setting::Set(long)),
            EncodeError::TooLong {
                field: TextKind::FileName,
                max: 99,
                len: 200,
            },
        ),
    ];
    for (cmd, err) in refused {
        assert_eq!(cmd.encode(&mut buf), Err(err), "{cmd:?}");
        assert!(buf.iter().all(|&b| b == 0xAA));
    }
    let cmd = Command::FtpQuit(Action::Execute);
    assert_eq!(
        cmd.encode(&mut buf[..5]),
        Err(EncodeError::BufferTooSmall {
            needed: 11,
            available: 5
        })
    );
    assert!(buf.iter().all(|&b| b == 0xAA));
}

// -------------------------------------------------------------- error codes

#[test]
fn error_codes_61_to_86() {
    use SimcomErrorKind as K;
    let table = [
        (61, SimcomFtpError::Net, K::Network),
        (62, SimcomFtpError::Dns, K::Dns),
        (63, SimcomFtpError::Connect, K::Connect),
        (64, SimcomFtpError::Timeout, K::Timeout),
        (65, SimcomFtpError::Server, K::Server),
        (66, SimcomFtpError::NotAllowed, K::NotAllowed),
        (70, SimcomFtpError::Reply, K::Server),
        (71, SimcomFtpError::User, K::Login),
        (72, SimcomFtpError::Password, K::Login),
        (73, SimcomFtpError::Type, K::Server),
        (74, SimcomFtpError::Rest, K::Resume),
        (75, SimcomFtpError::Passive, K::DataConnection),
        (76, SimcomFtpError::Active, K::DataConnection),
        (77, SimcomFtpError::Operate, K::FileOperation),
        (78, SimcomFtpError::Upload, K::Transfer),
        (79, SimcomFtpError::Download, K::Transfer),
        (85, SimcomFtpError::FileSystem, K::ModemStorage),
        (86, SimcomFtpError::ManualQuit, K::Cancelled),
        (67, SimcomFtpError::Unknown(67), K::Unknown),
        (2, SimcomFtpError::Unknown(2), K::Unknown),
    ];
    for (code, err, kind) in table {
        assert_eq!(SimcomFtpError::from_code(code), err);
        assert_eq!(err.code(), code);
        assert_eq!(err.kind(), kind);
        let msg = err.to_string();
        assert!(
            msg.ends_with('.') && msg.starts_with(char::is_uppercase),
            "{msg}"
        );
        assert_ne!(msg, format!("{err:?}"));
    }
    assert_eq!(
        SimcomFtpError::Unknown(67).to_string(),
        "The modem reported FTP error 67, which its manual does not list."
    );
}

// --------------------------------------------------- §5 example sessions

fn responses(input: &[u8], expected: &[Response<'_>]) {
    let (items, rest) = decode_whole::<ResponseDecoder>(input);
    assert_eq!(items, expected, "{:?}", input.escape_ascii().to_string());
    assert!(rest.is_empty());
    let want: Vec<String> = expected.iter().map(Render::render).collect();
    check::<ResponseDecoder>(input, &want, b"");
}

fn ftp(op: Op, status: OpStatus) -> Response<'static> {
    Response::Urc(Urc::Ftp { op, status })
}

#[test]
fn example_bearer_session() {
    let input =
        b"\r\nOK\r\n\r\nOK\r\n\r\nOK\r\n\r\n+SAPBR: 1,1,\"10.0.0.2\"\r\n\r\nOK\r\n\r\nOK\r\n";
    let (items, _) = decode_whole::<ResponseDecoder>(input);
    assert_eq!(items.len(), 6);
    let Response::Info(info) = items[3] else {
        panic!("{:?}", items[3])
    };
    assert_eq!(
        format!("{:?}", info.fields),
        r#"[Number(1), Number(1), Text(b"10.0.0.2")]"#
    );
    responses(input, &items);
}

#[test]
fn example_get_session() {
    // Steps 1 to 14 of §5.2, the modem's side.
    let mut input = Vec::new();
    for _ in 0..10 {
        input.extend_from_slice(b"\r\nOK\r\n");
    }
    input.extend_from_slice(b"\r\nOK\r\n\r\n+FTPGET: 1,1\r\n");
    input.extend_from_slice(b"\r\n+FTPGET: 2,10\r\n0123456789\r\nOK\r\n");
    input.extend_from_slice(b"\r\n+FTPGET: 1,0\r\n");
    input.extend_from_slice(b"\r\n+FTPGET: 2,0\r\n\r\nOK\r\n");
    let mut want = vec![Response::Ok; 11];
    want.extend([
        ftp(Op::Get, OpStatus::Open),
        Response::ReadHeader {
            op: ReadOp::Get,
            len: 10,
        },
        Response::Data(b"0123456789"),
        Response::Ok,
        ftp(Op::Get, OpStatus::Done),
        Response::ReadHeader {
            op: ReadOp::Get,
            len: 0,
        },
        Response::Ok,
    ]);
    responses(&input, &want);
}

#[test]
fn example_put_session() {
    let input = b"\r\nOK\r\n\r\nOK\r\n\r\nOK\r\n\r\n+FTPPUT: 1,1,1360\r\n\r\n+FTPPUT: 2,10\r\n\
        \r\nOK\r\n\r\n+FTPPUT: 1,1,1360\r\n\r\nOK\r\n\r\n+FTPPUT: 1,0\r\n";
    let ready = ftp(Op::Put, OpStatus::PutReady { max: 1360 });
    responses(
        input,
        &[
            Response::Ok,
            Response::Ok,
            Response::Ok,
            ready,
            Response::PutHeader { cnf: 10 },
            Response::Ok,
            ready,
            Response::Ok,
            ftp(Op::Put, OpStatus::Done),
        ],
    );
}

#[test]
fn example_failures_list_and_other_operations() {
    let entry = b"-rw-r--r--   1 ftp ftp   10 Jan 01 00:00 a.bin\r\n";
    assert_eq!(entry.len(), 48);
    let mut input = Vec::new();
    input.extend_from_slice(b"\r\nOK\r\n\r\n+FTPGET: 1,72\r\n");
    input.extend_from_slice(b"\r\nOK\r\n\r\n+FTPLIST: 1,1\r\n");
    input.extend_from_slice(b"\r\n+FTPLIST: 2,48\r\n");
    input.extend_from_slice(entry);
    input.extend_from_slice(b"\r\nOK\r\n\r\n+FTPLIST: 1,0\r\n");
    input.extend_from_slice(b"\r\nOK\r\n\r\n+FTPDELE: 1,0\r\n");
    input.extend_from_slice(b"\r\nOK\r\n\r\n+FTPSIZE: 1,0,10\r\n");
    input.extend_from_slice(b"\r\nOK\r\n\r\n+FTPMKD: 1,77\r\n");
    input.extend_from_slice(b"\r\n+FTPSTATE: 0\r\n\r\nOK\r\n\r\nOK\r\n");
    let (items, _) = decode_whole::<ResponseDecoder>(&input);
    let state = items[14];
    let Response::Info(info) = state else {
        panic!("{state:?}")
    };
    assert_eq!(format!("{:?}", info.fields), "[Number(0)]");
    responses(
        &input,
        &[
            Response::Ok,
            ftp(Op::Get, OpStatus::Failed(SimcomFtpError::Password)),
            Response::Ok,
            ftp(Op::List, OpStatus::Open),
            Response::ReadHeader {
                op: ReadOp::List,
                len: 48,
            },
            Response::Data(entry),
            Response::Ok,
            ftp(Op::List, OpStatus::Done),
            Response::Ok,
            ftp(Op::Dele, OpStatus::Done),
            Response::Ok,
            ftp(Op::Size, OpStatus::Size(10)),
            Response::Ok,
            ftp(Op::Mkd, OpStatus::Failed(SimcomFtpError::Operate)),
            state,
            Response::Ok,
            Response::Ok,
        ],
    );
}

#[test]
fn payloads_are_taken_by_count() {
    // Line ends, URCs, final results and NUL inside a payload are data.
    let data = b"\r\nOK\r\n+FTPGET: 1,0\r\n\0ERROR\r\n+SAPBR 1: DEACT\r\n";
    let mut input = format!("+FTPGET: 2,{}\r\n", data.len()).into_bytes();
    input.extend_from_slice(data);
    input.extend_from_slice(b"\r\nOK\r\n");
    responses(
        &input,
        &[
            Response::ReadHeader {
                op: ReadOp::Get,
                len: data.len() as u32,
            },
            Response::Data(data),
            Response::Ok,
        ],
    );
    // A lone LF, or a lone CR, ends the header line too; spaces tolerated.
    responses(
        b"+FTPLIST:2, 3\nabc\r\nOK\r\n",
        &[
            Response::ReadHeader {
                op: ReadOp::List,
                len: 3,
            },
            Response::Data(b"abc"),
            Response::Ok,
        ],
    );
    responses(
        b"+ftpget: 2 ,2\rOK\r\nOK\r\n",
        &[
            Response::ReadHeader {
                op: ReadOp::Get,
                len: 2,
            },
            Response::Data(b"OK"),
            Response::Ok,
        ],
    );
    // A header announcing more than any read asks for (a damaged digit)
    // is not a header: what follows stays lines, and answers.
    let mut input = format!("+FTPGET: 2,{}\r\n", MAX_READ + 1).into_bytes();
    input.extend_from_slice(b"abc\r\nOK\r\n");
    let header = format!("+FTPGET: 2,{}", MAX_READ + 1);
    responses(
        &input,
        &[
            Response::Unknown(header.as_bytes()),
            Response::Unknown(b"abc"),
            Response::Ok,
        ],
    );
    let full = vec![b'x'; usize::from(MAX_READ)];
    let mut input = format!("+FTPGET: 2,{MAX_READ}\r\n").into_bytes();
    input.extend_from_slice(&full);
    responses(
        &input,
        &[
            Response::ReadHeader {
                op: ReadOp::Get,
                len: u32::from(MAX_READ),
            },
            Response::Data(&full),
        ],
    );
    // The decoder says it is inside a payload.
    let mut d = ResponseDecoder::new();
    let cellftp_proto::Decoded::Item { consumed, .. } = d.decode(b"+FTPGET: 2,4\r\nab") else {
        panic!()
    };
    assert_eq!(consumed, 14);
    assert!(d.in_payload());
    assert_eq!(d.payload_pending(), Some(4));
    assert_eq!(d.payload_buffered(2), 2);
}

#[test]
fn cme_errors_and_echo() {
    responses(
        b"AT+FTPGET=1\r\r\n+CME ERROR: 3\r\n",
        &[
            Response::Echo(b"AT+FTPGET=1"),
            Response::CmeError(CmeError::Code(3)),
        ],
    );
}

// ----------------------------------------------------------- properties

#[derive(Debug, Clone)]
enum Piece {
    Line(&'static [u8]),
    Cme(u16),
    PutHeader(u32),
    Read { list: bool, data: Vec<u8>, lf: bool },
    Unknown(String),
    Overlong(Vec<u8>),
}

const LINES: &[&[u8]] = &[
    b"OK",
    b"ERROR",
    b"+FTPGET: 1,1",
    b"+FTPGET: 1,0",
    b"+FTPGET: 1,79",
    b"+FTPLIST:1,1",
    b"+FTPPUT: 1,1,1360",
    b"+FTPPUT: 1,0",
    b"+FTPPUT: 1,78",
    b"+FTPMKD: 1,0",
    b"+FTPRMD: 1,77",
    b"+FTPDELE: 1,0",
    b"+FTPSIZE: 1,0,4096",
    b"+FTPSIZE: 1,77,0",
    b"+SAPBR 1: DEACT",
    b"+SAPBR: 1,1,\"10.0.0.2\"",
    b"+FTPSTATE: 1",
    b"+FTPTYPE: \"I\"",
    b"+PDP: DEACT",
    b"RDY",
    b"AT+FTPGET=2,1460",
];

const EOLS: [&str; 3] = ["\r\n", "\r", "\n"];

fn payload() -> impl Strategy<Value = Vec<u8>> {
    let tricky = prop::sample::select(vec![
        b"\r\nOK\r\n".to_vec(),
        b"+FTPGET: 1,0\r\n".to_vec(),
        b"\0".to_vec(),
        b"+FTPGET: 2,5\r\n".to_vec(),
        b"\r".to_vec(),
        b"\n".to_vec(),
    ]);
    let parts = prop::collection::vec(
        prop_oneof![3 => prop::collection::vec(any::<u8>(), 0..16), 2 => tricky],
        0..8,
    )
    .prop_map(|p| p.concat());
    prop_oneof![
        8 => parts,
        1 => prop::collection::vec(any::<u8>(), 0..=usize::from(MAX_READ)),
    ]
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        6 => prop::sample::select(LINES).prop_map(Piece::Line),
        1 => any::<u16>().prop_map(Piece::Cme),
        1 => any::<u32>().prop_map(Piece::PutHeader),
        4 => (any::<bool>(), payload(), any::<bool>())
            .prop_map(|(list, data, lf)| Piece::Read { list, data, lf }),
        1 => "#[a-z0-9 #]{0,40}".prop_map(Piece::Unknown),
        1 => prop::collection::vec(
                any::<u8>().prop_map(|b| if b == b'\r' || b == b'\n' { b'x' } else { b }),
                MAX_LINE + 1..2 * MAX_LINE + 10,
            )
            .prop_map(|mut l| {
                l[0] = b'x';
                Piece::Overlong(l)
            }),
    ]
}

/// The bytes of `piece` after separator `eol`, and what they decode to.
fn render(piece: &Piece, eol: &str, bytes: &mut Vec<u8>, want: &mut Vec<String>) {
    let mut line = |text: &[u8], want: &mut Vec<String>| {
        bytes.extend_from_slice(eol.as_bytes());
        bytes.extend_from_slice(text);
        bytes.extend_from_slice(eol.as_bytes());
        // A line alone decodes to its item.
        let framed = [text, b"\r\n"].concat();
        let (items, _) = decode_whole::<ResponseDecoder>(&framed);
        want.extend(items.iter().map(Render::render));
    };
    match piece {
        Piece::Line(l) => line(l, want),
        Piece::Cme(c) => line(format!("+CME ERROR: {c}").as_bytes(), want),
        Piece::PutHeader(n) => line(format!("+FTPPUT: 2,{n}").as_bytes(), want),
        Piece::Unknown(s) => line(s.as_bytes(), want),
        Piece::Overlong(l) => {
            bytes.extend_from_slice(eol.as_bytes());
            bytes.extend_from_slice(l);
            bytes.extend_from_slice(eol.as_bytes());
            for chunk in l.chunks(MAX_LINE) {
                want.push(Render::render(&Response::Overlong(chunk)));
            }
        }
        Piece::Read { list, data, lf } => {
            let name = if *list { "FTPLIST" } else { "FTPGET" };
            let header_end = if *lf { "\n" } else { "\r\n" };
            bytes.extend_from_slice(eol.as_bytes());
            bytes.extend_from_slice(format!("+{name}: 2,{}{header_end}", data.len()).as_bytes());
            bytes.extend_from_slice(data);
            let op = if *list { ReadOp::List } else { ReadOp::Get };
            want.push(Render::render(&Response::ReadHeader {
                op,
                len: data.len() as u32,
            }));
            for chunk in data.chunks(MAX_FRAGMENT) {
                want.push(Render::render(&Response::Data(chunk)));
            }
        }
    }
}

fn cuts(indices: &[Index], len: usize) -> Vec<usize> {
    let mut cuts: Vec<usize> = indices.iter().map(|i| i.index(len + 1)).collect();
    cuts.sort_unstable();
    cuts
}

fn arbitrary_split_invariant<D: common::Decode>(
    bytes: &[u8],
    cut_at: &[Index],
) -> Result<(), TestCaseError> {
    let (items, rest) = decode_whole::<D>(bytes);
    let want: Vec<String> = items
        .iter()
        .map(|i| <D as common::Items<'_>>::render(i))
        .collect();
    let (items, left) = common::decode_bytewise::<D>(bytes);
    prop_assert_eq!(&items, &want);
    prop_assert_eq!(&left, rest);
    let cuts = cuts(cut_at, bytes.len());
    let (items, left) = decode_cut::<D>(bytes, &cuts);
    prop_assert_eq!(&items, &want);
    prop_assert_eq!(&left, rest);
    Ok(())
}

fn noisy_bytes() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        prop::sample::select(vec![
            &b"\r\n"[..],
            b"\r",
            b"\n",
            b"OK",
            b"+FTPGET: 2,",
            b"+FTPLIST:2,",
            b"+FTPGET: 1,",
            b"+FTPPUT: 2,",
            b"5",
            b"1",
            b"0",
            b",",
            b"\"",
            b"+SAPBR 1: DEACT",
            b"\0",
            b"AT+FTPPUT=2,",
            b"AT+FTPPW=\"",
        ])
        .prop_map(<[u8]>::to_vec),
        prop::collection::vec(any::<u8>(), 0..8),
    ];
    prop::collection::vec(token, 0..64).prop_map(|t| t.concat())
}

proptest! {
    /// A stream of valid responses decodes to the items it was made of,
    /// fed whole, one byte at a time, or cut anywhere.
    #[test]
    fn response_stream_is_split_invariant(
        pieces in prop::collection::vec((piece(), 0..EOLS.len()), 0..10),
        cut_at in prop::collection::vec(any::<Index>(), 0..24),
    ) {
        let mut bytes = Vec::new();
        let mut want = Vec::new();
        for (piece, eol) in &pieces {
            render(piece, EOLS[*eol], &mut bytes, &mut want);
        }
        let (items, rest) = decode_whole::<ResponseDecoder>(&bytes);
        let items: Vec<String> = items.iter().map(Render::render).collect();
        prop_assert_eq!(&items, &want, "fed whole");
        prop_assert!(rest.is_empty());
        let (items, rest) = common::decode_bytewise::<ResponseDecoder>(&bytes);
        prop_assert_eq!(&items, &want, "fed one byte at a time");
        prop_assert!(rest.is_empty());
        let cuts = cuts(&cut_at, bytes.len());
        let (items, rest) = decode_cut::<ResponseDecoder>(&bytes, &cuts);
        prop_assert_eq!(&items, &want, "cut at {:?}", cuts);
        prop_assert!(rest.is_empty());
    }

    /// Whatever the bytes, the items and what is left over do not depend on
    /// the cuts, and a MIN_BUFFER buffer never stalls.
    #[test]
    fn arbitrary_bytes_are_split_invariant(
        bytes in noisy_bytes(),
        cut_at in prop::collection::vec(any::<Index>(), 0..24),
        chunks in prop::collection::vec(1..=MIN_BUFFER, 1..16),
    ) {
        arbitrary_split_invariant::<ResponseDecoder>(&bytes, &cut_at)?;
        arbitrary_split_invariant::<CommandDecoder>(&bytes, &cut_at)?;

        let mut decoder = ResponseDecoder::new();
        let mut buf: Vec<u8> = Vec::new();
        let mut items = Vec::new();
        let mut at = 0;
        for &chunk in chunks.iter().cycle() {
            if at == bytes.len() {
                break;
            }
            let n = chunk.min(MIN_BUFFER - buf.len()).min(bytes.len() - at);
            prop_assert!(n > 0, "buffer full with nothing to take out");
            buf.extend_from_slice(&bytes[at..at + n]);
            at += n;
            drain(&mut decoder, &mut buf, &mut items);
            prop_assert!(buf.len() < MIN_BUFFER);
        }
    }

    /// Every valid quoted value is accepted and encoded inside its quotes
    /// as it is; anything else is refused.
    #[test]
    fn quoted_values(bytes in prop::collection::vec(any::<u8>(), 0..120)) {
        let ok = !bytes.is_empty()
            && bytes.len() <= 99
            && bytes.iter().all(|&b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\');
        let q = Quoted::from_bytes(QuotedKind::FileName, &bytes);
        prop_assert_eq!(q.is_ok(), ok);
        if let Ok(q) = q {
            let line = enc(Command::FtpGetName(Setting::Set(q)));
            let expected = [&b"AT+FTPGETNAME=\""[..], &bytes, b"\"\r"].concat();
            prop_assert_eq!(line, expected);
        }
    }
}

#[test]
fn the_command_decoder_reads_the_manual_spellings() {
    let (items, rest) = decode_whole::<CommandDecoder>(
        b"AT+FTPTYPE=I\rAT+ftpun=xs\rAT + FTPPUTOPT = appe\rAT+SAPBR=3,1,\"CONTYPE\",\"GPRS\"\r\
          AT+FTPGETPATH=\"a\"b\"\rATX\r",
    );
    assert!(rest.is_empty());
    assert_eq!(
        items,
        [
            Request::Command(Command::FtpType(Setting::Set(TransferType::Binary))),
            Request::Command(Command::FtpUn(Setting::Set(q(QuotedKind::User, "xs")))),
            Request::Command(Command::FtpPutOpt(Setting::Set(PutOpt::Appe))),
            Request::Command(Command::Sapbr(Bearer::Set {
                cid: 1,
                param: BearerParam::ContypeGprs
            })),
            Request::Unknown(b"AT+FTPGETPATH=\"a\"b\""),
            Request::Unknown(b"ATX"),
        ]
    );
    // A password line read back never shows in Debug.
    let (items, _) = decode_whole::<CommandDecoder>(b"AT+FTPPW=\"hunter2\"\rAT+FTPPW=\"a\"b\"\r");
    let debug = format!("{items:?}");
    assert!(
        !debug.contains("hunter2") && !debug.contains("a\\\"b"),
        "{debug}"
    );
}

#[test]
fn upload_bytes_are_taken_by_count() {
    // By default the announced count; with expect_put_data, the confirmed.
    let stream = b"AT+FTPPUT=2,6\r\nOK\r\nAT+FTPPUT=2,0\r";
    responses_host(
        stream,
        &[
            Request::Command(Command::FtpPut(Upload::Write(6))),
            Request::PutData(b"\nOK\r\nA"),
            Request::Unknown(b"T+FTPPUT=2,0"),
        ],
    );
    let mut d = CommandDecoder::new();
    let cellftp_proto::Decoded::Item { consumed, .. } = d.decode(stream) else {
        panic!()
    };
    d.expect_put_data(5);
    let rest = &stream[consumed..];
    let cellftp_proto::Decoded::Item { item, consumed } = d.decode(rest) else {
        panic!()
    };
    assert_eq!(item, Request::PutData(b"\nOK\r\n"));
    let cellftp_proto::Decoded::Item { item, .. } = d.decode(&rest[consumed..]) else {
        panic!()
    };
    assert_eq!(item, Request::Command(Command::FtpPut(Upload::End)));
}

fn responses_host(input: &[u8], expected: &[Request<'_>]) {
    let (items, rest) = decode_whole::<CommandDecoder>(input);
    assert_eq!(items, expected);
    assert!(rest.is_empty());
    let want: Vec<String> = expected.iter().map(Render::render).collect();
    check::<CommandDecoder>(input, &want, b"");
}

/// The raw material of one command of any row of the table, in any form:
/// [`Command::from_seed`] builds it, so the table, not a list here, says
/// which commands and forms there are.
#[derive(Debug, Clone)]
struct Seeded {
    name: CommandName,
    form: u8,
    number: u32,
    flags: u8,
    param: Vec<u8>,
}

impl Seeded {
    /// The command, if `param` is a valid string for its row.
    fn build(&self) -> Option<Command<'_>> {
        let seed = Seed {
            form: self.form,
            number: self.number,
            flags: self.flags,
            param: &self.param,
        };
        Command::from_seed(self.name, &seed).ok()
    }
}

/// A string parameter: a host name (valid for every kind, the server's
/// included) or any quoted-string bytes (valid for all but the server).
fn seeded_param() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "[a-z][a-z0-9]{0,30}".prop_map(String::into_bytes),
        "[ !#-\\[\\]-~]{0,32}".prop_map(String::into_bytes),
    ]
}

/// Any row of the table, any form.
fn seeded() -> impl Strategy<Value = Seeded> {
    let names: Vec<CommandName> = CommandName::iter().collect();
    (
        prop::sample::select(names),
        any::<u8>(),
        any::<u32>(),
        any::<u8>(),
        seeded_param(),
    )
        .prop_map(|(name, form, number, flags, param)| Seeded {
            name,
            form,
            number,
            flags,
            param,
        })
}

/// An upload write (`AT+FTPPUT=2,<n>`), more often than the table's odds.
fn seeded_write() -> impl Strategy<Value = Seeded> {
    any::<u32>().prop_map(|number| Seeded {
        name: CommandName::FtpPut,
        form: 2,
        number: number % 64,
        flags: 0,
        param: Vec::new(),
    })
}

#[test]
fn every_row_builds_from_a_seed() {
    for name in CommandName::iter() {
        let built = (0..6u8).find_map(|form| {
            let seed = Seed {
                form,
                number: 1,
                flags: 1,
                param: b"a",
            };
            Command::from_seed(name, &seed).ok()
        });
        let command = built.unwrap_or_else(|| panic!("no seed builds {name}"));
        assert_eq!(command.name(), name);
    }
}

proptest! {
    /// Every command the table can build is valid as built, fits
    /// MAX_COMMAND, and the command decoder reads it back.
    #[test]
    fn every_seeded_command_round_trips(seeded in seeded()) {
        let built = seeded.build();
        prop_assume!(built.is_some());
        let command = built.unwrap();
        prop_assert_eq!(command.name(), seeded.name);
        let line = enc(command);
        prop_assert!(line.len() <= MAX_COMMAND);
        let (items, rest) = decode_whole::<CommandDecoder>(&line);
        prop_assert!(rest.is_empty());
        prop_assert_eq!(items, [Request::Command(command)]);
    }

    /// A host stream of commands of the table, and the upload bytes after
    /// each write, decodes to what it was made of, however it is cut.
    #[test]
    fn host_stream_is_split_invariant(
        pieces in prop::collection::vec(
            (
                prop_oneof![3 => seeded(), 1 => seeded_write()],
                prop::collection::vec(any::<u8>(), 1..40),
            ),
            0..12,
        ),
        cut_at in prop::collection::vec(any::<Index>(), 0..24),
    ) {
        let mut bytes = Vec::new();
        let mut want = Vec::new();
        for (seeded, data) in &pieces {
            let Some(command) = seeded.build() else {
                continue;
            };
            bytes.extend_from_slice(&enc(command));
            want.push(Render::render(&Request::Command(command)));
            if let Command::FtpPut(Upload::Write(n)) = command {
                // Exactly the announced bytes follow, whatever they are.
                let upload: Vec<u8> = data.iter().copied().cycle().take(usize::from(n)).collect();
                bytes.extend_from_slice(&upload);
                for chunk in upload.chunks(MAX_FRAGMENT) {
                    want.push(Render::render(&Request::PutData(chunk)));
                }
            }
        }
        let (items, rest) = decode_whole::<CommandDecoder>(&bytes);
        let items: Vec<String> = items.iter().map(Render::render).collect();
        prop_assert_eq!(&items, &want);
        prop_assert!(rest.is_empty());
        let (items, rest) = common::decode_bytewise::<CommandDecoder>(&bytes);
        prop_assert_eq!(&items, &want);
        prop_assert!(rest.is_empty());
        let cuts = cuts(&cut_at, bytes.len());
        let (items, rest) = decode_cut::<CommandDecoder>(&bytes, &cuts);
        prop_assert_eq!(&items, &want);
        prop_assert!(rest.is_empty());
    }
}
