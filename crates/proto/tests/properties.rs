//! Properties of the encoder and the decoders over generated input.
//!
//! The number of cases is proptest's default, 256, or `PROPTEST_CASES`
//! (`ProptestConfig::default()` reads it). Failing cases are kept in
//! `proptest-regressions/properties.txt` and replayed first.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::format;
use std::string::String;
use std::vec::Vec;

use cellftp_proto::{
    commands, CmeError, Command, CommandDecoder, CommandName, CommandSpec, EncodeError, Host, Info,
    InfoValue, Param, Password, Put, Request, Response, ResponseDecoder, Seed, ServCode, Text,
    TextKind, Urc, MAX_COMMAND, MAX_FRAGMENT, MAX_LINE, MAX_PUT_DATA, MIN_BUFFER,
};
use common::{decode_cut, decode_whole, drain, Decode, Items, Render};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::FileFailurePersistence;

/// proptest's defaults (`PROPTEST_CASES` included), with failing cases kept
/// in `proptest-regressions/properties.txt` beside `Cargo.toml`.
fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: Some(std::boxed::Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/properties.txt",
        ))),
        ..ProptestConfig::default()
    }
}

// ------------------------------------------------------------- strategies

/// A byte allowed inside a string parameter: printable ASCII but `"`, `,`
/// and `;`.
const TEXT_CHAR: &str = "[!#-+\\x2D-:<-~]";
/// A string parameter: 1 to 64 such bytes, spaces inside only.
const TEXT: &str = "[!#-+\\x2D-:<-~]([ !#-+\\x2D-:<-~]{0,62}[!#-+\\x2D-:<-~])?";

fn text() -> impl Strategy<Value = String> {
    // A lone `?` would be the test form, and is refused: map it to a valid
    // value rather than reject it (rejections are capped per run).
    TEXT.prop_map(|s| if s == "?" { "q".to_owned() } else { s })
}

fn host() -> impl Strategy<Value = String> {
    let ipv4 = any::<[u8; 4]>().prop_map(|[a, b, c, d]| format!("{a}.{b}.{c}.{d}"));
    let label = "[a-zA-Z0-9]([a-zA-Z0-9-]{0,12}[a-zA-Z0-9])?";
    // At most 4 × 14 + 3 = 59 bytes; an all-numeric name (`1.2`) would read
    // as a bad IPv4 address, so it gets a letter in front.
    let name = prop::collection::vec(label, 1..=4)
        .prop_map(|labels| labels.join("."))
        .prop_map(|h| {
            if Host::new(&h).is_ok() {
                h
            } else {
                format!("h{h}")
            }
        });
    prop_oneof![ipv4, name]
}

/// An owned seed of a command: a row of the command table and the raw
/// material [`Command::from_seed`] builds the command from.
#[derive(Debug, Clone)]
struct Spec {
    name: CommandName,
    form: u8,
    number: u32,
    flags: u8,
    param: Vec<u8>,
}

/// Every command of the table in every form, with valid parameters. The
/// rows come from the table, so a new command is covered without a change
/// here; only a new kind of parameter needs a strategy.
fn spec() -> impl Strategy<Value = Spec> {
    let rows: Vec<CommandSpec> = commands().collect();
    prop::sample::select(rows)
        .prop_flat_map(|row| {
            let number = match row.param {
                Param::Port => (1..=u32::from(u16::MAX)).boxed(),
                _ => any::<u32>().boxed(),
            };
            let param = match row.param {
                Param::Text(_) | Param::Password => text().prop_map(String::into_bytes).boxed(),
                Param::Host => host().prop_map(String::into_bytes).boxed(),
                Param::PutData => prop_oneof![
                    prop::collection::vec(any::<u8>(), 1..=MAX_PUT_DATA),
                    prop::collection::vec(any::<u8>(), 1..=16),
                ]
                .boxed(),
                _ => Just(Vec::new()).boxed(),
            };
            (Just(row.name), any::<u8>(), number, any::<u8>(), param)
        })
        .prop_map(|(name, form, number, flags, param)| Spec {
            name,
            form,
            number,
            flags,
            param,
        })
}

fn build(spec: &Spec) -> Command<'_> {
    let seed = Seed {
        form: spec.form,
        number: spec.number,
        flags: spec.flags,
        param: &spec.param,
    };
    Command::from_seed(spec.name, &seed).unwrap()
}

fn encode(c: &Command<'_>) -> Vec<u8> {
    let mut buf = [0u8; MAX_COMMAND];
    let n = c.encode(&mut buf).unwrap();
    assert_eq!(c.encoded_len(), Ok(n));
    buf[..n].to_vec()
}

/// Bytes that tend to matter to the framer, mixed with arbitrary ones.
fn noisy_bytes(max_tokens: usize) -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        6 => any::<u8>().prop_map(|b| std::vec![b]),
        2 => Just(b"\r\n".to_vec()),
        1 => Just(b"\r".to_vec()),
        1 => Just(b"\n".to_vec()),
        1 => Just(b" ".to_vec()),
        1 => Just(b",".to_vec()),
        1 => (0u32..5000).prop_map(|n| n.to_string().into_bytes()),
        1 => Just(b"OK".to_vec()),
        1 => Just(b"\r\nOK\r\n".to_vec()),
        1 => Just(b"+FTPGET:".to_vec()),
        1 => Just(b"+FTPLIST:1,".to_vec()),
        1 => Just(b"AT+FTPPUT=".to_vec()),
        1 => Just(b"AT".to_vec()),
        1 => Just(b"+FTPPW: ".to_vec()),
        1 => Just(b"+CME ERROR: ".to_vec()),
        1 => prop::collection::vec(b'a'..=b'z', 0..1500),
    ];
    prop::collection::vec(token, 0..max_tokens).prop_map(|t| t.concat())
}

/// Increasing cut points into `0..=len`.
fn cuts(indices: &[Index], len: usize) -> Vec<usize> {
    let mut cuts: Vec<usize> = indices.iter().map(|i| i.index(len + 1)).collect();
    cuts.sort_unstable();
    cuts
}

// ---------------------------------------------------------- (a) (b) (e)

proptest! {
    #![proptest_config(config())]

    /// Every command encodes to bytes that the host-side decoder reads back
    /// as the same command, and that the modem-side decoder reads as its
    /// echo.
    #[test]
    fn commands_round_trip(spec in spec()) {
        let c = build(&spec);
        let bytes = encode(&c);
        prop_assert!(bytes.len() <= MAX_COMMAND);

        let (items, rest) = decode_whole::<CommandDecoder>(&bytes);
        prop_assert_eq!(items, std::vec![Request::Command(c)]);
        prop_assert!(rest.is_empty());

        let (items, rest) = decode_whole::<ResponseDecoder>(&bytes);
        prop_assert!(
            matches!(items.as_slice(), [Response::Echo(e)] if e.request() == Request::Command(c)),
            "{:?}",
            items
        );
        prop_assert!(rest.is_empty());
    }

    /// An encoded command is one line: the only CR is the last byte, and
    /// everything before it is printable ASCII, except the data of an
    /// `AT+FTPPUT` chunk.
    #[test]
    fn encoded_commands_are_one_line(spec in spec()) {
        let c = build(&spec);
        let bytes = encode(&c);
        let (last, line) = bytes.split_last().unwrap();
        prop_assert_eq!(*last, b'\r');
        let head = match c {
            Command::FtpPut(Put::Data(data)) => {
                let header = format!("AT+FTPPUT={},", data.len());
                prop_assert_eq!(line, [header.as_bytes(), data].concat());
                header.into_bytes()
            }
            _ => line.to_vec(),
        };
        prop_assert!(
            head.iter().all(|b| (0x20..=0x7e).contains(b)),
            "{:?}", head.escape_ascii().to_string()
        );
    }

    /// Any string with a byte that could end, cut or re-parameterise the
    /// line is refused, for every kind of parameter, at that byte.
    #[test]
    fn forbidden_bytes_are_refused(
        prefix in "[ !#-+\\x2D-:<-~]{0,20}",
        bad in prop_oneof![
            Just('\r'), Just('\n'), Just('\0'), Just('"'), Just(','), Just(';'),
            Just('\u{7f}'), Just('\u{1a}'), Just('\t'),
            (0u8..0x20).prop_map(char::from),
            any::<char>().prop_filter("non-ASCII", |c| !c.is_ascii()),
        ],
        suffix in "[ !#-+\\x2D-:<-~]{0,20}",
        kind in prop_oneof![
            Just(TextKind::User), Just(TextKind::Password), Just(TextKind::FileName),
            Just(TextKind::Path), Just(TextKind::Directory), Just(TextKind::Server),
            Just(TextKind::PutData),
        ],
    ) {
        let s = format!("{prefix}{bad}{suffix}");
        let offset = prefix.len();
        let byte = s.as_bytes()[offset];
        if kind == TextKind::Password {
            // A password is never a `Text`; `Password` withholds the byte.
            prop_assert_eq!(Text::new(kind, &s), Err(EncodeError::PasswordAsText));
        } else {
            prop_assert_eq!(
                Text::new(kind, &s),
                Err(EncodeError::ForbiddenByte { field: kind, offset, byte: Some(byte) })
            );
        }
        prop_assert_eq!(
            Password::new(&s),
            Err(EncodeError::ForbiddenByte { field: TextKind::Password, offset, byte: None })
        );
        prop_assert_eq!(
            Host::new(&s),
            Err(EncodeError::ForbiddenByte { field: TextKind::Server, offset, byte: Some(byte) })
        );
    }

    /// What the strategies produce is accepted, and kept as given.
    #[test]
    fn valid_strings_are_accepted(s in text(), h in host()) {
        prop_assert_eq!(Text::new(TextKind::FileName, &s).unwrap().as_str(), s.as_str());
        prop_assert_eq!(Password::new(&s).unwrap().expose(), s.as_bytes());
        prop_assert_eq!(Host::new(&h).unwrap().as_str(), h.as_str());
    }
}

#[test]
fn text_char_class_is_the_allowed_set() {
    // The strategies' character class is exactly the bytes Text accepts
    // (inside a value).
    let re = proptest::string::string_regex(TEXT_CHAR).unwrap();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..5000 {
        let s = re.new_tree(&mut runner).unwrap().current();
        seen.insert(s.as_bytes()[0]);
    }
    let allowed: std::collections::BTreeSet<u8> = (0u8..=255)
        .filter(|b| Text::from_bytes(TextKind::Path, &[b'a', *b, b'a']).is_ok())
        .collect();
    let expected: std::collections::BTreeSet<u8> =
        allowed.into_iter().filter(|b| *b != b' ').collect();
    assert_eq!(seen, expected);
}

// ------------------------------------------------------- (c) split invariance

/// The URCs the stream generator uses, with what they decode to.
const URCS: [(&str, Response<'static>); 5] = [
    ("RDY", Response::Urc(Urc::Ready)),
    ("+CPIN: READY", Response::Urc(Urc::Cpin(b"READY"))),
    ("+CFUN: 1", Response::Urc(Urc::Cfun(1))),
    (
        "NORMAL POWER DOWN",
        Response::Urc(Urc::PowerDown(b"NORMAL POWER DOWN")),
    ),
    ("+PDP: DEACT", Response::Urc(Urc::PdpDeact)),
];

/// Information responses whose values the generator controls.
const INFO_NAMES: [(&str, CommandName); 8] = [
    ("FTPMODE", CommandName::FtpMode),
    ("FTPTYPE", CommandName::FtpType),
    ("FTPRESET", CommandName::FtpReset),
    ("FTPUN", CommandName::FtpUn),
    ("FTPGETNAME", CommandName::FtpGetName),
    ("FTPPATH", CommandName::FtpPath),
    ("FTPPUTNAME", CommandName::FtpPutName),
    ("FTPPORT", CommandName::FtpPort),
];

const EOLS: [&str; 3] = ["\r\n", "\r", "\n"];

/// One thing the modem says.
#[derive(Debug, Clone)]
enum Piece {
    Ok,
    Error,
    Cme(u16),
    CmeText(String),
    Cms(u16),
    Serv(u16),
    InfoNumber(usize, u32),
    InfoText(usize, String),
    FtpGet(Vec<u8>),
    FtpList {
        mode: u32,
        lines: Vec<Vec<u8>>,
        lf_only: bool,
        last_terminated: bool,
    },
    Urc(usize),
    Unknown(String),
    Overlong(Vec<u8>),
    Echo(Spec),
}

fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        8 => prop::collection::vec(any::<u8>(), 0..64),
        2 => noisy_bytes(40).prop_map(|mut b| { b.truncate(3 * MAX_FRAGMENT); b }),
        1 => prop::collection::vec(any::<u8>(), 0..=3 * MAX_FRAGMENT),
    ]
}

/// Any byte but CR and LF. Mapped rather than filtered: a run may draw
/// millions of bytes, and proptest caps rejections per run.
fn not_eol() -> impl Strategy<Value = u8> + Clone {
    any::<u8>().prop_map(|b| if b == b'\r' || b == b'\n' { b' ' } else { b })
}

/// A listing line: no line end inside, sometimes longer than MAX_LINE.
fn listing_line() -> impl Strategy<Value = Vec<u8>> {
    let byte = not_eol();
    prop_oneof![
        8 => prop::collection::vec(byte.clone(), 1..80),
        1 => prop::collection::vec(byte, MAX_LINE - 2..=2 * MAX_LINE + 2),
    ]
}

fn overlong_line() -> impl Strategy<Value = Vec<u8>> {
    // Not starting like a payload header; no line end inside.
    let first = any::<u8>().prop_map(|b| match b {
        b'\r' | b'\n' | b'+' | b'A' | b'a' => b'x',
        b => b,
    });
    let rest = prop::collection::vec(not_eol(), MAX_LINE..3 * MAX_LINE);
    (first, rest).prop_map(|(f, mut r)| {
        r.insert(0, f);
        r
    })
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        4 => Just(Piece::Ok),
        1 => Just(Piece::Error),
        1 => any::<u16>().prop_map(Piece::Cme),
        1 => "[A-Za-z][A-Za-z ]{0,30}[A-Za-z]".prop_map(Piece::CmeText),
        1 => any::<u16>().prop_map(Piece::Cms),
        1 => (0u16..1000).prop_map(Piece::Serv),
        1 => (0..INFO_NAMES.len(), any::<u32>()).prop_map(|(i, n)| Piece::InfoNumber(i, n)),
        1 => (0..INFO_NAMES.len(), "[a-z/][a-z0-9./_-]{0,30}")
            .prop_map(|(i, t)| Piece::InfoText(i, t)),
        3 => payload().prop_map(Piece::FtpGet),
        2 => (
            0u32..3,
            prop::collection::vec(listing_line(), 0..5),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(mode, lines, lf_only, last_terminated)| Piece::FtpList {
                mode,
                lines,
                lf_only,
                last_terminated,
            }),
        2 => (0..URCS.len()).prop_map(Piece::Urc),
        1 => "#[a-z0-9 #]{0,40}".prop_map(Piece::Unknown),
        1 => overlong_line().prop_map(Piece::Overlong),
        2 => spec().prop_map(Piece::Echo),
    ]
}

/// Lines longer than MAX_LINE come out as pieces of MAX_LINE bytes.
fn push_line<'a>(
    out: &mut Vec<String>,
    line: &'a [u8],
    whole: impl FnOnce(&'a [u8]) -> Response<'a>,
) {
    if line.len() <= MAX_LINE {
        out.push(Render::render(&whole(line)));
    } else {
        for chunk in line.chunks(MAX_LINE) {
            out.push(Render::render(&Response::Overlong(chunk)));
        }
    }
}

/// The bytes of `piece` framed with `eol`, and what they decode to.
fn render_piece(piece: &Piece, eol: &str, bytes: &mut Vec<u8>, want: &mut Vec<String>) {
    let line = |bytes: &mut Vec<u8>, text: &[u8]| {
        bytes.extend_from_slice(eol.as_bytes());
        bytes.extend_from_slice(text);
        bytes.extend_from_slice(eol.as_bytes());
    };
    let mut expect = |r: Response<'_>| want.push(Render::render(&r));
    match piece {
        Piece::Ok => {
            line(bytes, b"OK");
            expect(Response::Ok);
        }
        Piece::Error => {
            line(bytes, b"ERROR");
            expect(Response::Error);
        }
        Piece::Cme(n) => {
            line(bytes, format!("+CME ERROR: {n}").as_bytes());
            expect(Response::CmeError(CmeError::Code(*n)));
        }
        Piece::CmeText(t) => {
            line(bytes, format!("+CME ERROR: {t}").as_bytes());
            expect(Response::CmeError(CmeError::Text(t.as_bytes())));
        }
        Piece::Cms(n) => {
            line(bytes, format!("+CMS ERROR: {n}").as_bytes());
            expect(Response::CmsError(CmeError::Code(*n)));
        }
        Piece::Serv(n) => {
            line(bytes, format!("+FTPSERV:{n}").as_bytes());
            expect(Response::ServResult(ServCode::from_code(*n)));
        }
        Piece::InfoNumber(i, n) => {
            let (wire, name) = INFO_NAMES[*i];
            line(bytes, format!("+{wire}: {n}").as_bytes());
            expect(Response::Info(Info {
                name,
                value: InfoValue::Number(*n),
            }));
        }
        Piece::InfoText(i, t) => {
            let (wire, name) = INFO_NAMES[*i];
            line(bytes, format!("+{wire}: {t}").as_bytes());
            expect(Response::Info(Info {
                name,
                value: InfoValue::Text(t.as_bytes()),
            }));
        }
        Piece::FtpGet(data) => {
            line(
                bytes,
                &[format!("+FTPGET:{},", data.len()).as_bytes(), data].concat(),
            );
            let first = data.len().min(MAX_FRAGMENT);
            expect(Response::FtpGet {
                len: data.len() as u32,
                data: &data[..first],
            });
            for chunk in data[first..].chunks(MAX_FRAGMENT) {
                expect(Response::Continuation(chunk));
            }
        }
        Piece::FtpList {
            mode,
            lines,
            lf_only,
            last_terminated,
        } => {
            let sep: &[u8] = if *lf_only { b"\n" } else { b"\r\n" };
            let mut body = lines.join(sep);
            if *last_terminated && !lines.is_empty() {
                body.extend_from_slice(sep);
            }
            bytes.extend_from_slice(eol.as_bytes());
            bytes.extend_from_slice(format!("+FTPLIST:{mode},{}", body.len()).as_bytes());
            bytes.extend_from_slice(eol.as_bytes());
            bytes.extend_from_slice(&body);
            expect(Response::FtpList {
                mode: *mode,
                len: body.len() as u32,
            });
            for l in lines {
                push_line(want, l, Response::ListLine);
            }
        }
        Piece::Urc(i) => {
            let (wire, r) = URCS[*i];
            line(bytes, wire.as_bytes());
            expect(r);
        }
        Piece::Unknown(t) => {
            line(bytes, t.as_bytes());
            expect(Response::Unknown(t.as_bytes()));
        }
        Piece::Overlong(l) => {
            line(bytes, l);
            push_line(want, l, Response::Unknown);
        }
        Piece::Echo(spec) => {
            let c = build(spec);
            bytes.extend_from_slice(&encode(&c));
            // What the echo reads as: the command itself.
            want.push(format!("Echo({})", Render::render(&Request::Command(c))));
        }
    }
}

/// One thing the host sends.
#[derive(Debug, Clone)]
enum HostPiece {
    Command(Spec, bool),
    LongPut(Vec<u8>),
    Unknown(String),
    Overlong(Vec<u8>),
}

fn host_piece() -> impl Strategy<Value = HostPiece> {
    prop_oneof![
        8 => (spec(), any::<bool>()).prop_map(|(s, lf)| HostPiece::Command(s, lf)),
        1 => prop::collection::vec(any::<u8>(), MAX_FRAGMENT + 1..=3 * MAX_FRAGMENT)
            .prop_map(HostPiece::LongPut),
        1 => "AT\\+X[A-Z0-9=,?]{0,20}".prop_map(HostPiece::Unknown),
        1 => overlong_line().prop_map(HostPiece::Overlong),
    ]
}

fn render_host_piece(piece: &HostPiece, bytes: &mut Vec<u8>, want: &mut Vec<String>) {
    match piece {
        HostPiece::Command(spec, lf) => {
            let c = build(spec);
            bytes.extend_from_slice(&encode(&c));
            if *lf {
                bytes.push(b'\n');
            }
            want.push(Render::render(&Request::Command(c)));
        }
        HostPiece::LongPut(data) => {
            bytes.extend_from_slice(format!("AT+FTPPUT={},", data.len()).as_bytes());
            bytes.extend_from_slice(data);
            bytes.push(b'\r');
            want.push(Render::render(&Request::FtpPutStart {
                len: data.len() as u32,
                data: &data[..MAX_FRAGMENT],
            }));
            for chunk in data[MAX_FRAGMENT..].chunks(MAX_FRAGMENT) {
                want.push(Render::render(&Request::Continuation(chunk)));
            }
        }
        HostPiece::Unknown(t) => {
            bytes.extend_from_slice(t.as_bytes());
            bytes.push(b'\r');
            want.push(Render::render(&Request::Unknown(t.as_bytes())));
        }
        HostPiece::Overlong(l) => {
            bytes.extend_from_slice(l);
            bytes.push(b'\r');
            for chunk in l.chunks(MAX_LINE) {
                want.push(Render::render(&Request::Overlong(chunk)));
            }
        }
    }
}

/// Asserts that `bytes` decode to `want` with nothing left over, fed whole,
/// one byte at a time and cut at `cut_at`.
fn assert_split_invariant<D: Decode>(
    bytes: &[u8],
    want: &[String],
    cut_at: &[Index],
) -> Result<(), TestCaseError> {
    let (items, rest) = decode_whole::<D>(bytes);
    let items: Vec<String> = items.iter().map(|i| <D as Items<'_>>::render(i)).collect();
    prop_assert_eq!(&items, want, "fed whole");
    prop_assert!(
        rest.is_empty(),
        "left over: {:?}",
        rest.escape_ascii().to_string()
    );

    let (items, rest) = common::decode_bytewise::<D>(bytes);
    prop_assert_eq!(&items, want, "fed one byte at a time");
    prop_assert!(rest.is_empty());

    let cuts = cuts(cut_at, bytes.len());
    let (items, rest) = decode_cut::<D>(bytes, &cuts);
    prop_assert_eq!(&items, want, "cut at {:?}", cuts);
    prop_assert!(rest.is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// A stream of valid responses decodes to the items it was made of,
    /// however it is cut.
    #[test]
    fn response_stream_is_split_invariant(
        pieces in prop::collection::vec((piece(), 0..EOLS.len()), 0..12),
        cut_at in prop::collection::vec(any::<Index>(), 0..24),
    ) {
        let mut bytes = Vec::new();
        let mut want = Vec::new();
        for (piece, eol) in &pieces {
            render_piece(piece, EOLS[*eol], &mut bytes, &mut want);
        }
        assert_split_invariant::<ResponseDecoder>(&bytes, &want, &cut_at)?;
    }

    /// A stream of commands decodes to the commands it was made of, however
    /// it is cut.
    #[test]
    fn command_stream_is_split_invariant(
        pieces in prop::collection::vec(host_piece(), 0..12),
        cut_at in prop::collection::vec(any::<Index>(), 0..24),
    ) {
        let mut bytes = Vec::new();
        let mut want = Vec::new();
        for piece in &pieces {
            render_host_piece(piece, &mut bytes, &mut want);
        }
        assert_split_invariant::<CommandDecoder>(&bytes, &want, &cut_at)?;
    }

    /// Whatever the bytes, the items and what is left over do not depend on
    /// the cuts.
    #[test]
    fn arbitrary_bytes_are_split_invariant(
        bytes in noisy_bytes(64),
        cut_at in prop::collection::vec(any::<Index>(), 0..24),
    ) {
        arbitrary_split_invariant::<ResponseDecoder>(&bytes, &cut_at)?;
        arbitrary_split_invariant::<CommandDecoder>(&bytes, &cut_at)?;
    }

    /// Whatever the bytes, a caller with a buffer of MIN_BUFFER bytes never
    /// finds it full with nothing to take out, and the work is bounded.
    #[test]
    fn never_stalls_with_min_buffer(
        bytes in noisy_bytes(96),
        chunks in prop::collection::vec(1..=MIN_BUFFER, 1..16),
    ) {
        never_stalls::<ResponseDecoder>(&bytes, &chunks)?;
        never_stalls::<CommandDecoder>(&bytes, &chunks)?;
    }
}

fn arbitrary_split_invariant<D: Decode>(
    bytes: &[u8],
    cut_at: &[Index],
) -> Result<(), TestCaseError> {
    let (items, rest) = decode_whole::<D>(bytes);
    let want: Vec<String> = items.iter().map(|i| <D as Items<'_>>::render(i)).collect();
    let (items, left) = common::decode_bytewise::<D>(bytes);
    prop_assert_eq!(&items, &want, "fed one byte at a time");
    prop_assert_eq!(&left, rest);
    let cuts = cuts(cut_at, bytes.len());
    let (items, left) = decode_cut::<D>(bytes, &cuts);
    prop_assert_eq!(&items, &want, "cut at {:?}", cuts);
    prop_assert_eq!(&left, rest);
    Ok(())
}

fn never_stalls<D: Decode>(bytes: &[u8], chunks: &[usize]) -> Result<(), TestCaseError> {
    let mut decoder = D::default();
    let mut buf: Vec<u8> = Vec::with_capacity(MIN_BUFFER);
    let mut items = Vec::new();
    let mut at = 0;
    let mut rounds = 0usize;
    for &chunk in chunks.iter().cycle() {
        if at == bytes.len() {
            break;
        }
        rounds += 1;
        let n = chunk.min(MIN_BUFFER - buf.len()).min(bytes.len() - at);
        prop_assert!(
            n > 0,
            "buffer full with nothing to take out: {:?}",
            buf.escape_ascii().to_string()
        );
        buf.extend_from_slice(&bytes[at..at + n]);
        at += n;
        drain(&mut decoder, &mut buf, &mut items);
        prop_assert!(
            buf.len() < MIN_BUFFER,
            "stalled with a full buffer: {:?}",
            buf.escape_ascii().to_string()
        );
    }
    // Every round appends at least one byte and every item consumes one.
    prop_assert!(rounds <= bytes.len());
    prop_assert!(items.len() <= bytes.len());
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// Whatever the bytes, a command the host-side decoder recognises is one
    /// the encoder would send: it encodes, and its encoding reads back as
    /// the same command.
    #[test]
    fn decoded_commands_re_encode(bytes in noisy_commands()) {
        let (items, _) = decode_whole::<CommandDecoder>(&bytes);
        for item in items {
            if let Request::Command(c) = item {
                let encoded = c.encode(&mut [0u8; MAX_COMMAND]);
                prop_assert!(encoded.is_ok(), "{:?}: {:?}", c, encoded);
                let again = encode(&c);
                let (back, rest) = decode_whole::<CommandDecoder>(&again);
                prop_assert_eq!(back, std::vec![Request::Command(c)]);
                prop_assert!(rest.is_empty());
            }
        }
    }
}

/// Command-shaped lines: a prefix, a name, a form and values picked from
/// what the grammar distinguishes, in any combination.
fn noisy_commands() -> impl Strategy<Value = Vec<u8>> {
    let pick = |v: Vec<&'static str>| prop::sample::select(v).prop_map(|s| s.as_bytes().to_vec());
    let value = prop_oneof![
        3 => (0u64..100_000).prop_map(|n| n.to_string().into_bytes()),
        1 => Just(b"4294967296".to_vec()),
        1 => Just(b"65536".to_vec()),
        1 => Just(b"256".to_vec()),
        3 => pick(std::vec![
            "0", "1", "I", "A", "i", "a", "?", ",", " ", "0,", "1,1", "1, 0", "x", "-",
            "1.2.3.4", "a.b", ".", "\"", ";", "\0", "\u{1a}", "\u{e9}",
        ]),
        2 => "[ -~]{1,8}".prop_map(String::into_bytes),
    ];
    // Every name of the command table, and a few near misses.
    let mut names: Vec<&'static str> = CommandName::iter().map(CommandName::as_str).collect();
    names.extend(["+", "e", "+ftpmode", "FTPQUIT"]);
    let line = (
        pick(std::vec!["AT", "at", "AT ", " AT", "At", "AT+ ", "AT+"]),
        pick(names),
        pick(std::vec!["", "?", "=?", "=", "= ", " =", " ", "=? "]),
        prop::collection::vec(value, 0..4),
        pick(std::vec!["\r", "\n", "\r\n", " \r"]),
    )
        .prop_map(|(at, name, form, values, eol)| [at, name, form, values.concat(), eol].concat());
    prop::collection::vec(line, 1..16).prop_map(|l| l.concat())
}
