//! The decoders on every shape of item, each fed whole, one byte at a time
//! and cut at every offset (see `common::check`), and with trailing bytes
//! that must stay unconsumed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::format;
use std::vec::Vec;

use cellftp_proto::{
    Action, Cfun, Cgact, CmeError, Command, CommandDecoder, CommandName, Decoded, Echo, Info,
    InfoValue, Mode, Operation, Password, Put, Request, Response, ResponseDecoder, ServCode,
    Setting, Text, TextKind, TransferType, Urc, MAX_FRAGMENT, MAX_LINE, MAX_PUT_DATA,
};
use common::{cat, check_requests, check_responses, framed};

fn info(name: CommandName, value: InfoValue<'_>) -> Response<'_> {
    Response::Info(Info { name, value })
}

fn echo(c: Command<'_>) -> Response<'static> {
    common::echo_of(c)
}

fn cmd(c: Command<'_>) -> Request<'_> {
    Request::Command(c)
}

fn text(kind: TextKind, s: &str) -> Text<'_> {
    Text::new(kind, s).unwrap()
}

/// `len` bytes cycling through every byte value, line ends and `OK` included.
fn binary(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + 3) as u8).collect()
}

// ------------------------------------------------------------ final results

#[test]
fn ok_and_error() {
    check_responses(b"\r\nOK\r\n", &[Response::Ok], b"");
    check_responses(b"\r\nERROR\r\n", &[Response::Error], b"");
    check_responses(b"OK\r\n", &[Response::Ok], b"");
    check_responses(
        b"\r\nok\r\n\r\nError\r\n",
        &[Response::Ok, Response::Error],
        b"",
    );
    check_responses(b"\r\n OK \r\n", &[Response::Ok], b"");
    assert_eq!(
        Response::Ok.final_result(),
        Some(cellftp_proto::FinalResult::Ok)
    );
    assert_eq!(Response::Urc(Urc::Ready).final_result(), None);
}

#[test]
fn trailing_partial_item_is_left_untouched() {
    // After each complete item, the start of the next one stays in the
    // buffer, byte for byte; the line separators before it are consumed.
    for tail in [
        &b"O"[..],
        b"OK",
        b"+FTPGE",
        b"+FTPGET:5",
        b"+FTPGET:5,12",
        b"+FTPLIST:1,4",
        b"+FTPLIST:1,4\r",
        b"+FTPSERV:0",
        b"AT+FTPPUT=3,a",
        b"RDY",
    ] {
        let input = cat(&[b"\r\nOK\r\n\r\n", tail]);
        check_responses(&input, &[Response::Ok], tail);
    }
    for tail in [&b"A"[..], b"AT+FTP", b"AT+FTPPUT=5,123", b"AT+FTPPUT=0"] {
        let input = cat(&[b"AT\r\n", tail]);
        check_requests(&input, &[cmd(Command::At)], tail);
    }
}

#[test]
fn need_more_consumes_only_separators() {
    let mut d = ResponseDecoder::new();
    assert_eq!(d.decode(b""), Decoded::NeedMore { consumed: 0 });
    assert_eq!(d.decode(b"\r\n\r\n"), Decoded::NeedMore { consumed: 4 });
    assert_eq!(d.decode(b"\r\n+FTP"), Decoded::NeedMore { consumed: 2 });
    assert_eq!(d.decode(b"+FTP"), Decoded::NeedMore { consumed: 0 });
    assert_eq!(
        d.decode(b"+FTPSERV:3\r"),
        Decoded::Item {
            item: Response::ServResult(ServCode::Unreachable),
            consumed: 10
        }
    );
    assert_eq!(d.decode(b"\r"), Decoded::NeedMore { consumed: 1 });
}

#[test]
fn cme_and_cms_errors() {
    check_responses(
        &framed(&[
            "+CME ERROR: 10",
            "+CME ERROR:3",
            "+CME ERROR: SIM not inserted",
            "+CMS ERROR: 500",
            "+CMS ERROR: unknown error",
            "+cme error: 70000",
        ]),
        &[
            Response::CmeError(CmeError::Code(10)),
            Response::CmeError(CmeError::Code(3)),
            Response::CmeError(CmeError::Text(b"SIM not inserted")),
            Response::CmsError(CmeError::Code(500)),
            Response::CmsError(CmeError::Text(b"unknown error")),
            Response::CmeError(CmeError::Text(b"70000")),
        ],
        b"",
    );
    assert_eq!(
        Response::CmeError(CmeError::Code(10)).final_result(),
        Some(cellftp_proto::FinalResult::Cme(CmeError::Code(10)))
    );
    assert_eq!(CmeError::describe(10), Some("SIM not inserted"));
    assert_eq!(CmeError::Code(10).code(), Some(10));
    assert_eq!(CmeError::Text(b"x").code(), None);
}

// ----------------------------------------------------- information responses

#[test]
fn serv_results() {
    check_responses(
        &framed(&[
            "+FTPSERV:0",
            "+FTPSERV: 5",
            "+FTPSERV:42",
            "+FTPSERV: 129.168.0.1",
        ]),
        &[
            Response::ServResult(ServCode::Success),
            Response::ServResult(ServCode::Refused),
            Response::ServResult(ServCode::Other(42)),
            info(CommandName::FtpServ, InfoValue::Text(b"129.168.0.1")),
        ],
        b"",
    );
    for code in 0..=6 {
        assert_eq!(ServCode::from_code(code).code(), code);
    }
}

#[test]
fn info_values() {
    use CommandName as N;
    check_responses(
        &framed(&[
            "+FTPMODE: 1",
            "+FTPMODE: （0-1）",
            "+FTPMODE: (0-1)",
            "+FTPMODE: (0-1）",
            "+FTPTYPE: (I/A)",
            "+FTPUN: <username>",
            "+FTPUN: xs",
            "+FTPSCON ：",
            "+FTPGET",
            "+ftpmode:0",
            "+FTPPORT: 21",
            "+CGACT: 1,1",
        ]),
        &[
            info(N::FtpMode, InfoValue::Number(1)),
            info(N::FtpMode, InfoValue::Range(b"0-1")),
            info(N::FtpMode, InfoValue::Range(b"0-1")),
            info(N::FtpMode, InfoValue::Range(b"0-1")),
            info(N::FtpType, InfoValue::Range(b"I/A")),
            info(N::FtpUn, InfoValue::Placeholder(b"username")),
            info(N::FtpUn, InfoValue::Text(b"xs")),
            info(N::FtpScon, InfoValue::Empty),
            info(N::FtpGet, InfoValue::Empty),
            info(N::FtpMode, InfoValue::Number(0)),
            info(N::FtpPort, InfoValue::Number(21)),
            info(N::Cgact, InfoValue::Text(b"1,1")),
        ],
        b"",
    );
}

#[test]
fn cfun_answers_that_are_not_a_number_stay_information() {
    // `+CFUN: <n>` is the restart URC; any other `+CFUN` line is the answer
    // to a command, named as such.
    check_responses(
        &framed(&["+CFUN: 1", "+CFUN: (0-1,4),(0-1)", "+CFUN: 1,0"]),
        &[
            Response::Urc(Urc::Cfun(1)),
            info(CommandName::Cfun, InfoValue::Range(b"0-1,4),(0-1")),
            info(CommandName::Cfun, InfoValue::Text(b"1,0")),
        ],
        b"",
    );
}

#[test]
fn unknown_lines_are_kept_whole() {
    check_responses(
        &framed(&["XXX", "+FOO: 1", "> ", "+", "\u{1a}"]),
        &[
            Response::Unknown(b"XXX"),
            Response::Unknown(b"+FOO: 1"),
            Response::Unknown(b"> "),
            Response::Unknown(b"+"),
            Response::Unknown(b"\x1a"),
        ],
        b"",
    );
}

// -------------------------------------------------------------------- URCs

#[test]
fn urcs_between_responses() {
    check_responses(
        &framed(&[
            "RDY",
            "+CPIN: READY",
            "+CFUN: 1",
            "OK",
            "NORMAL POWER DOWN",
            "+PDP: DEACT",
            "+CGEV: NW DETACH",
            "UNDER-VOLTAGE POWER DOWN",
            "POWERED DOWN",
        ]),
        &[
            Response::Urc(Urc::Ready),
            Response::Urc(Urc::Cpin(b"READY")),
            Response::Urc(Urc::Cfun(1)),
            Response::Ok,
            Response::Urc(Urc::PowerDown(b"NORMAL POWER DOWN")),
            Response::Urc(Urc::PdpDeact),
            Response::Urc(Urc::Cgev(b"NW DETACH")),
            Response::Urc(Urc::PowerDown(b"UNDER-VOLTAGE POWER DOWN")),
            Response::Urc(Urc::PowerDown(b"POWERED DOWN")),
        ],
        b"",
    );
    assert!(Urc::Ready.is_restart());
    assert!(Urc::Cfun(1).is_restart());
    assert!(!Urc::PdpDeact.is_restart());
}

#[test]
fn urcs_inside_responses() {
    // Between an information line and its OK, and between a download chunk
    // and its OK: items of their own.
    check_responses(
        b"\r\n+FTPMODE: 1\r\n\r\n+PDP: DEACT\r\n\r\nOK\r\n\
          \r\n+FTPGET:3,345\r\nRDY\r\n\r\n+CPIN: READY\r\nOK\r\n",
        &[
            info(CommandName::FtpMode, InfoValue::Number(1)),
            Response::Urc(Urc::PdpDeact),
            Response::Ok,
            Response::FtpGet {
                len: 3,
                data: b"345",
            },
            Response::Urc(Urc::Ready),
            Response::Urc(Urc::Cpin(b"READY")),
            Response::Ok,
        ],
        b"",
    );
    // Inside a payload they are data: the length decides.
    check_responses(
        b"\r\n+FTPGET:9,\r\nRDY\r\n1\r\nOK\r\n",
        &[
            Response::FtpGet {
                len: 9,
                data: b"\r\nRDY\r\n1\r",
            },
            Response::Ok,
        ],
        b"",
    );
    check_responses(
        b"\r\n+FTPLIST:1,12\r\na\r\nRDY\r\nb\r\n\r\nOK\r\n",
        &[
            Response::FtpList { mode: 1, len: 12 },
            Response::ListLine(b"a"),
            Response::ListLine(b"RDY"),
            Response::ListLine(b"b"),
            Response::Ok,
        ],
        b"",
    );
}

// ----------------------------------------------------------- +FTPGET chunks

#[test]
fn ftpget_payloads_are_taken_by_length() {
    for payload in [
        &b"345"[..],
        b"\r\nOK\r\n",
        b"\r\nERROR\r\n",
        b"a\0b",
        b"\x1a",
        b">",
        b"> ",
        b"+FTPGET:3,abc",
        b"\r\n+CME ERROR: 3\r\n",
        b"\n",
        b"\r",
    ] {
        let input = cat(&[
            b"\r\n+FTPGET:",
            payload.len().to_string().as_bytes(),
            b",",
            payload,
            b"\r\nOK\r\n",
        ]);
        check_responses(
            &input,
            &[
                Response::FtpGet {
                    len: payload.len() as u32,
                    data: payload,
                },
                Response::Ok,
            ],
            b"",
        );
    }
}

#[test]
fn ftpget_header_spellings() {
    check_responses(
        b"\r\n+FTPGET:0,\r\nOK\r\n\r\n+ FTPGET : 3 ,345\r\n\r\n+ftpget:2,ab\r\n",
        &[
            Response::FtpGet { len: 0, data: b"" },
            Response::Ok,
            Response::FtpGet {
                len: 3,
                data: b"345",
            },
            Response::FtpGet {
                len: 2,
                data: b"ab",
            },
        ],
        b"",
    );
    // Data starts right after the comma: a space there is data.
    check_responses(
        b"+FTPGET:3, 34\r\n",
        &[Response::FtpGet {
            len: 3,
            data: b" 34",
        }],
        b"",
    );
    // Not headers: no comma, no digits, too many digits for a u32.
    check_responses(
        &framed(&["+FTPGET:3", "+FTPGET:lent", "+FTPGET:99999999999,x"]),
        &[
            info(CommandName::FtpGet, InfoValue::Number(3)),
            info(CommandName::FtpGet, InfoValue::Text(b"lent")),
            info(CommandName::FtpGet, InfoValue::Text(b"99999999999,x")),
        ],
        b"",
    );
}

#[test]
fn ftpget_partial_payload_waits() {
    let mut d = ResponseDecoder::new();
    assert_eq!(
        d.decode(b"\r\n+FTPGET:5,12"),
        Decoded::NeedMore { consumed: 2 }
    );
    // The header is known, its first fragment is not complete: the decoder
    // says so, and how much it still waits for.
    assert!(d.in_payload());
    assert_eq!(d.payload_pending(), Some(5));
    assert_eq!(
        d.decode(b"+FTPGET:5,12345OK"),
        Decoded::Item {
            item: Response::FtpGet {
                len: 5,
                data: b"12345"
            },
            consumed: 15
        }
    );
}

#[test]
fn long_ftpget_arrives_in_fragments_of_max_fragment() {
    for len in [
        MAX_FRAGMENT - 1,
        MAX_FRAGMENT,
        MAX_FRAGMENT + 1,
        2 * MAX_FRAGMENT,
        2 * MAX_FRAGMENT + 5,
    ] {
        let payload = binary(len);
        let input = cat(&[
            b"\r\n+FTPGET:",
            len.to_string().as_bytes(),
            b",",
            &payload,
            b"\r\nOK\r\n",
        ]);
        let mut expected = std::vec![Response::FtpGet {
            len: len as u32,
            data: &payload[..len.min(MAX_FRAGMENT)],
        }];
        expected.extend(
            payload[len.min(MAX_FRAGMENT)..]
                .chunks(MAX_FRAGMENT)
                .map(Response::Continuation),
        );
        expected.push(Response::Ok);
        check_responses(&input, &expected, b"");
    }
}

#[test]
fn in_payload_while_fragments_remain() {
    let payload = binary(MAX_FRAGMENT + 3);
    let input = cat(&[b"+FTPGET:2051,", &payload]);
    let mut d = ResponseDecoder::new();
    let Decoded::Item { consumed, .. } = d.decode(&input) else {
        panic!()
    };
    assert!(d.in_payload());
    assert_eq!(
        d.decode(&input[consumed..consumed + 2]),
        Decoded::NeedMore { consumed: 0 }
    );
    assert_eq!(
        d.decode(&input[consumed..]),
        Decoded::Item {
            item: Response::Continuation(&payload[MAX_FRAGMENT..]),
            consumed: 3
        }
    );
    assert!(!d.in_payload());
}

// ------------------------------------------------------------- +FTPLIST

#[test]
fn ftplist_manual_example() {
    let line: &[u8] = b"-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt";
    assert_eq!(line.len(), 48);
    check_responses(
        b"\r\n+FTPLIST:1,48\r\n-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\nOK\r\n",
        &[
            Response::FtpList { mode: 1, len: 48 },
            Response::ListLine(line),
            Response::Ok,
        ],
        b"",
    );
}

#[test]
fn ftplist_empty() {
    check_responses(
        b"\r\n+FTPLIST:1,0\r\n\r\nOK\r\n",
        &[Response::FtpList { mode: 1, len: 0 }, Response::Ok],
        b"",
    );
    // A zero-length listing announced with a lone CR needs no byte after it.
    check_responses(
        b"+FTPLIST:1,0\r",
        &[Response::FtpList { mode: 1, len: 0 }],
        b"",
    );
}

#[test]
fn ftplist_line_ends() {
    let lines = [
        &b"drwxr-xr-x 2 a a 4096 docs"[..],
        b"-rw-r--r-- 1 a a 5 x.txt",
    ];
    for (sep, last) in [
        (&b"\r\n"[..], &b"\r\n"[..]),
        (b"\n", b"\n"),
        (b"\r\n", b""),
        (b"\n", b""),
        (b"\r", b"\r"),
    ] {
        let body = cat(&[lines[0], sep, lines[1], last]);
        let input = cat(&[
            b"\r\n+FTPLIST:1,",
            body.len().to_string().as_bytes(),
            b"\r\n",
            &body,
            b"\r\nOK\r\n",
        ]);
        check_responses(
            &input,
            &[
                Response::FtpList {
                    mode: 1,
                    len: body.len() as u32,
                },
                Response::ListLine(lines[0]),
                Response::ListLine(lines[1]),
                Response::Ok,
            ],
            b"",
        );
    }
    // The header line itself may end in LF or CR only.
    check_responses(
        b"+FTPLIST:0,3\nabc\r\nOK\r\n+FTPLIST:0,3\rabc\rOK\r",
        &[
            Response::FtpList { mode: 0, len: 3 },
            Response::ListLine(b"abc"),
            Response::Ok,
            Response::FtpList { mode: 0, len: 3 },
            Response::ListLine(b"abc"),
            Response::Ok,
        ],
        b"",
    );
}

#[test]
fn ftplist_body_may_contain_result_codes() {
    check_responses(
        b"\r\n+FTPLIST:1,11\r\nOK\r\nERROR\r\nOK\r\n",
        &[
            Response::FtpList { mode: 1, len: 11 },
            Response::ListLine(b"OK"),
            Response::ListLine(b"ERROR"),
            Response::Ok,
        ],
        b"",
    );
}

#[test]
fn ftplist_partial_listing_line_waits() {
    let input = b"\r\n+FTPLIST:1,10\r\nabc\r\nde";
    check_responses(
        input,
        &[
            Response::FtpList { mode: 1, len: 10 },
            Response::ListLine(b"abc"),
        ],
        b"de",
    );
}

#[test]
fn ftplist_header_with_leading_space() {
    check_responses(
        b"\r\n +FTPLIST:1,3\r\nabc\r\nOK\r\n",
        &[
            Response::FtpList { mode: 1, len: 3 },
            Response::ListLine(b"abc"),
            Response::Ok,
        ],
        b"",
    );
}

#[test]
fn ftplist_with_max_line_and_overlong_lines() {
    let exact = std::vec![b'x'; MAX_LINE];
    let long = std::vec![b'y'; MAX_LINE + 10];
    // A line of exactly MAX_LINE bytes, an overlong one, then a short one.
    let body = cat(&[&exact, b"\r\n", &long, b"\r\n", b"end"]);
    let input = cat(&[
        b"+FTPLIST:1,",
        body.len().to_string().as_bytes(),
        b"\r\n",
        &body,
        b"\r\nOK\r\n",
    ]);
    check_responses(
        &input,
        &[
            Response::FtpList {
                mode: 1,
                len: body.len() as u32,
            },
            Response::ListLine(&exact),
            Response::Overlong(&long[..MAX_LINE]),
            Response::Overlong(&long[MAX_LINE..]),
            Response::ListLine(b"end"),
            Response::Ok,
        ],
        b"",
    );
}

#[test]
fn ftplist_ending_inside_an_overlong_line() {
    // The listing's last line has no terminator and is overlong: its tail is
    // overlong too, and what follows the listing is lines again.
    let long = std::vec![b'z'; MAX_LINE + 10];
    let input = cat(&[
        b"+FTPLIST:1,",
        long.len().to_string().as_bytes(),
        b"\r\n",
        &long,
        b"\r\nOK\r\n",
    ]);
    check_responses(
        &input,
        &[
            Response::FtpList {
                mode: 1,
                len: long.len() as u32,
            },
            Response::Overlong(&long[..MAX_LINE]),
            Response::Overlong(&long[MAX_LINE..]),
            Response::Ok,
        ],
        b"",
    );
    // The same where the listing ends right after the first overlong chunk
    // and the line goes on outside it.
    let input = cat(&[b"+FTPLIST:1,1025\r\n", &long, b"\r\nOK\r\n"]);
    check_responses(
        &input,
        &[
            Response::FtpList { mode: 1, len: 1025 },
            Response::Overlong(&long[..MAX_LINE]),
            Response::Overlong(&long[MAX_LINE..MAX_LINE + 1]),
            Response::Unknown(&long[MAX_LINE + 1..]),
            Response::Ok,
        ],
        b"",
    );
}

#[test]
fn ftplist_not_a_header() {
    use CommandName as N;
    check_responses(
        &framed(&["+FTPLIST", "+FTPLIST:mode,lent", "+FTPLIST:1,2,3"]),
        &[
            info(N::FtpList, InfoValue::Empty),
            info(N::FtpList, InfoValue::Text(b"mode,lent")),
            info(N::FtpList, InfoValue::Text(b"1,2,3")),
        ],
        b"",
    );
}

// ----------------------------------------------------------- long lines

#[test]
fn line_of_exactly_max_line_is_whole() {
    let line = std::vec![b'q'; MAX_LINE];
    let input = cat(&[b"\r\n", &line, b"\r\nOK\r\n"]);
    check_responses(&input, &[Response::Unknown(&line), Response::Ok], b"");
}

#[test]
fn overlong_lines_are_cut_and_skipped() {
    for len in [MAX_LINE + 1, 2 * MAX_LINE, 2 * MAX_LINE + 1, 5000] {
        let line: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
        let input = cat(&[b"\r\nOK\r\n", &line, b"\r\nOK\r\n"]);
        let mut expected = std::vec![Response::Ok];
        expected.extend(line.chunks(MAX_LINE).map(Response::Overlong));
        expected.push(Response::Ok);
        check_responses(&input, &expected, b"");

        let input = cat(&[b"AT\r", &line, b"\rAT\r"]);
        let mut expected = std::vec![cmd(Command::At)];
        expected.extend(line.chunks(MAX_LINE).map(Request::Overlong));
        expected.push(cmd(Command::At));
        check_requests(&input, &expected, b"");
    }
}

#[test]
fn overlong_line_that_looks_like_a_result_code_after_the_cut() {
    // The part after the cut is never read as a line of its own.
    let mut line = std::vec![b' '; MAX_LINE];
    line.extend_from_slice(b"OK");
    let input = cat(&[&line, b"\r\n"]);
    check_responses(
        &input,
        &[
            Response::Overlong(&line[..MAX_LINE]),
            Response::Overlong(b"OK"),
        ],
        b"",
    );
}

#[test]
fn overlong_partial_line_at_the_end() {
    let line = std::vec![b'k'; MAX_LINE + 5];
    check_responses(
        &line,
        &[Response::Overlong(&line[..MAX_LINE])],
        &line[MAX_LINE..],
    );
    let line = std::vec![b'k'; MAX_LINE];
    check_responses(&line, &[], &line);
}

// ------------------------------------------------------------- line ends

#[test]
fn cr_only_and_lf_only_line_ends() {
    check_responses(
        b"\r+FTPSERV:0\rOK\r\n+FTPMODE: 1\nOK\n",
        &[
            Response::ServResult(ServCode::Success),
            Response::Ok,
            info(CommandName::FtpMode, InfoValue::Number(1)),
            Response::Ok,
        ],
        b"",
    );
    check_requests(
        b"AT\rATE0\nAT+FTPQUIT\r\n",
        &[
            cmd(Command::At),
            cmd(Command::Echo(false)),
            cmd(Command::FtpQuit(Action::Execute)),
        ],
        b"",
    );
}

// ------------------------------------------------------------------- echo

#[test]
fn echoed_commands() {
    check_responses(
        b"ATE1\r\r\nOK\r\nAT+FTPMODE?\r\r\n+FTPMODE: 1\r\n\r\nOK\r\n",
        &[
            echo(Command::Echo(true)),
            Response::Ok,
            echo(Command::FtpMode(Setting::Query)),
            info(CommandName::FtpMode, InfoValue::Number(1)),
            Response::Ok,
        ],
        b"",
    );
    check_responses(
        b"at+ftpquit\r\r\nOK\r\nAT+NOPE\r\r\nERROR\r\n",
        &[
            echo(Command::FtpQuit(Action::Execute)),
            Response::Ok,
            Response::Echo(Echo::from_line(b"AT+NOPE")),
            Response::Error,
        ],
        b"",
    );
}

#[test]
fn echoed_put_data_is_taken_by_length() {
    check_responses(
        b"AT+FTPPUT=5,12345\r\r\nOK\r\n",
        &[echo(Command::FtpPut(Put::Data(b"12345"))), Response::Ok],
        b"",
    );
    check_responses(
        b"AT+FTPPUT =6,\r\nOK\r\n\r\r\nOK\r\nAT+FTPPUT=0\r\r\nOK\r\n",
        &[
            echo(Command::FtpPut(Put::Data(b"\r\nOK\r\n"))),
            Response::Ok,
            echo(Command::FtpPut(Put::End)),
            Response::Ok,
        ],
        b"",
    );
    let payload = binary(MAX_FRAGMENT + 1);
    let input = cat(&[b"AT+FTPPUT=2049,", &payload, b"\r\r\nOK\r\n"]);
    check_responses(
        &input,
        &[
            Response::Echo(Echo::from_put(2049, &payload[..MAX_FRAGMENT])),
            Response::Continuation(&payload[MAX_FRAGMENT..]),
            Response::Ok,
        ],
        b"",
    );
}

// ------------------------------------------------------------ host side

#[test]
fn every_command_form() {
    let name = text(TextKind::FileName, "12.txt");
    let cases: &[(&[u8], Command<'_>)] = &[
        (b"AT", Command::At),
        (b"ATE0", Command::Echo(false)),
        (b"ATE1", Command::Echo(true)),
        (
            b"AT+CFUN=1",
            Command::Cfun(Setting::Set(Cfun {
                fun: 1,
                reset: None,
            })),
        ),
        (
            b"AT+CFUN=4,0",
            Command::Cfun(Setting::Set(Cfun {
                fun: 4,
                reset: Some(false),
            })),
        ),
        (b"AT+CFUN?", Command::Cfun(Setting::Query)),
        (b"AT+CFUN=?", Command::Cfun(Setting::Test)),
        (
            b"AT+CGACT=0",
            Command::Cgact(Setting::Set(Cgact {
                activate: false,
                cid: None,
            })),
        ),
        (
            b"AT+CGACT=1, 1",
            Command::Cgact(Setting::Set(Cgact {
                activate: true,
                cid: Some(1),
            })),
        ),
        (b"AT+FTPPORT=21", Command::FtpPort(Setting::Set(21))),
        (b"AT+FTPPORT?", Command::FtpPort(Setting::Query)),
        (
            b"AT+FTPMODE=1",
            Command::FtpMode(Setting::Set(Mode::Passive)),
        ),
        (
            b"AT+FTPTYPE=A",
            Command::FtpType(Setting::Set(TransferType::Ascii)),
        ),
        (
            b"AT+FTPTYPE=i",
            Command::FtpType(Setting::Set(TransferType::Binary)),
        ),
        (
            b"AT+FTPRESET=4294967295",
            Command::FtpReset(Setting::Set(u32::MAX)),
        ),
        (
            b"AT+FTPSERV=ftp.example.com",
            Command::FtpServ(Setting::Set(
                cellftp_proto::Host::new("ftp.example.com").unwrap(),
            )),
        ),
        (
            b"AT+FTPUN=xs",
            Command::FtpUn(Setting::Set(text(TextKind::User, "xs"))),
        ),
        (
            b"AT+FTPPW=123",
            Command::FtpPw(Setting::Set(Password::new("123").unwrap())),
        ),
        (
            b"AT+FTPGETNAME=12.txt",
            Command::FtpGetName(Setting::Set(name)),
        ),
        (
            b"AT+FTPPUTNAME=12.txt",
            Command::FtpPutName(Setting::Set(name)),
        ),
        (
            b"AT+FTPPATH=/my docs",
            Command::FtpPath(Setting::Set(text(TextKind::Path, "/my docs"))),
        ),
        (
            b"AT+FTPMKD=/invoker",
            Command::FtpMkd(Operation::Run(text(TextKind::Directory, "/invoker"))),
        ),
        (b"AT+FTPRMD=?", Command::FtpRmd(Operation::Test)),
        (b"AT+FTPGET", Command::FtpGet(Action::Execute)),
        (b"AT+FTPGET=?", Command::FtpGet(Action::Test)),
        (b"AT+FTPGET?", Command::FtpGet(Action::Test)),
        (b"AT+FTPLIST", Command::FtpList(Action::Execute)),
        (b"AT+FTPSCON=?", Command::FtpScon(Action::Test)),
        (b"AT+FTPQUIT", Command::FtpQuit(Action::Execute)),
        (b"AT+FTPPUT=?", Command::FtpPut(Put::Test)),
        (b"AT+FTPPUT=0", Command::FtpPut(Put::End)),
        (b"AT+FTPPUT=0,", Command::FtpPut(Put::End)),
        (b"AT+FTPPUT=2,12", Command::FtpPut(Put::Data(b"12"))),
    ];
    for (line, c) in cases {
        let input = cat(&[line, b"\r"]);
        check_requests(&input, &[cmd(*c)], b"");
    }
}

#[test]
fn lowercase_and_stray_spaces() {
    check_requests(
        b"at+ftpmode=1\rAt + FtpGetName = 12.txt \r  AT+FTPQUIT  \rate1\r",
        &[
            cmd(Command::FtpMode(Setting::Set(Mode::Passive))),
            cmd(Command::FtpGetName(Setting::Set(text(
                TextKind::FileName,
                "12.txt",
            )))),
            cmd(Command::FtpQuit(Action::Execute)),
            cmd(Command::Echo(true)),
        ],
        b"",
    );
}

#[test]
fn put_end_with_and_without_comma() {
    check_requests(
        b"AT+FTPPUT=0,\rAT+FTPPUT=0\r",
        &[
            cmd(Command::FtpPut(Put::End)),
            cmd(Command::FtpPut(Put::End)),
        ],
        b"",
    );
    // `AT+FTPPUT=0` needs its line end before it is known not to be a
    // header: the bytes stay.
    check_requests(b"AT+FTPPUT=0", &[], b"AT+FTPPUT=0");
}

#[test]
fn put_data_is_taken_by_length() {
    for data in [
        &b"12345"[..],
        b"\r\nOK\r\n",
        b"\r\nERROR\r\n",
        b"\0",
        b"\x1a",
        b">",
        b"AT+FTPQUIT\r",
        b"\r",
    ] {
        let input = cat(&[
            b"AT+FTPPUT=",
            data.len().to_string().as_bytes(),
            b",",
            data,
            b"\rAT\r",
        ]);
        check_requests(
            &input,
            &[cmd(Command::FtpPut(Put::Data(data))), cmd(Command::At)],
            b"",
        );
    }
    check_requests(
        b"AT+FTPPUT =5,12345\r",
        &[cmd(Command::FtpPut(Put::Data(b"12345")))],
        b"",
    );
}

#[test]
fn long_put_data_arrives_in_fragments() {
    for len in [MAX_FRAGMENT + 1, 3 * MAX_FRAGMENT] {
        let payload = binary(len);
        let input = cat(&[
            b"AT+FTPPUT=",
            len.to_string().as_bytes(),
            b",",
            &payload,
            b"\r",
        ]);
        let mut expected = std::vec![Request::FtpPutStart {
            len: len as u32,
            data: &payload[..MAX_FRAGMENT],
        }];
        expected.extend(
            payload[MAX_FRAGMENT..]
                .chunks(MAX_FRAGMENT)
                .map(Request::Continuation),
        );
        check_requests(&input, &expected, b"");
    }
    // Exactly MAX_PUT_DATA is a command we would send; one more is not, and
    // is reported whole (it fits one fragment) as a put start.
    let payload = binary(MAX_PUT_DATA);
    let input = cat(&[b"AT+FTPPUT=1024,", &payload]);
    check_requests(&input, &[cmd(Command::FtpPut(Put::Data(&payload)))], b"");
    let payload = binary(MAX_FRAGMENT);
    let input = cat(&[b"AT+FTPPUT=2048,", &payload]);
    check_requests(
        &input,
        &[Request::FtpPutStart {
            len: MAX_FRAGMENT as u32,
            data: &payload,
        }],
        b"",
    );
}

#[test]
fn commands_we_would_not_send_are_unknown() {
    for line in [
        &b"AT+FTPPORT=0"[..],
        b"AT+FTPPORT=65536",
        b"AT+FTPMODE=2",
        b"AT+FTPTYPE=X",
        b"AT+FTPSERV=1.2.3",
        b"AT+FTPUN=",
        b"AT+FTPUN=a,b",
        b"AT+FTPGET=1",
        b"AT+FTPMKD",
        b"AT+FTPMKD?",
        b"AT+FTPPUT",
        b"AT+FTPPUT=1",
        b"AT+FTPPUT=lent,<data>",
        b"AT+CFUN=256",
        b"AT+CGACT=2,1",
        b"AT+FTPGETNAMEX=1",
        b"ATE",
        b"ATE2",
        b"ATX",
        b"+FTPMODE: 1",
        b"OK",
    ] {
        let input = cat(&[line, b"\r"]);
        check_requests(&input, &[Request::Unknown(line)], b"");
    }
}

// ------------------------------------------------------------- redaction

#[test]
fn passwords_never_show_in_debug_output() {
    let pw = Password::new("s3cret").unwrap();
    let shown = [
        format!("{pw:?}"),
        format!("{:?}", Command::FtpPw(Setting::Set(pw))),
        format!("{:?}", Request::Command(Command::FtpPw(Setting::Set(pw)))),
        format!("{:?}", Request::Unknown(b"AT+FTPPW=s3cret,x")),
        format!("{:?}", Request::Unknown(b"at + ftppw = s3cret")),
        format!("{:?}", Response::Unknown(b"+FTPPW=s3cret")),
        format!(
            "{:?}",
            Response::Echo(Echo::from_line(b"AT+FTPPW=s3cret,x"))
        ),
        format!(
            "{:?}",
            Response::Info(Info {
                name: CommandName::FtpPw,
                value: InfoValue::Text(b"s3cret"),
            })
        ),
        format!("{:?}", Password::new("s3cret")),
        format!("{:?}", Password::new("s3cret\r")),
    ];
    for s in &shown {
        assert!(!s.contains("s3cret"), "{s}");
    }
    assert_eq!(shown[0], "Password(<redacted>)");
    assert_eq!(shown[3], r#"Unknown(b"AT+FTPPW="<redacted>)"#);

    // The same through the decoders.
    let (items, _) = common::decode_whole::<ResponseDecoder>(
        b"AT+FTPPW=s3cret\r\r\nOK\r\nAT+FTPPW=s3cret,x\r\r\nERROR\r\n\r\n+FTPPW: s3cret\r\n",
    );
    let (requests, _) =
        common::decode_whole::<CommandDecoder>(b"AT+FTPPW=s3cret\rAT+FTPPW=a,s3cret\r");
    assert_eq!(items.len() + requests.len(), 7);
    let shown: Vec<_> = items
        .iter()
        .map(|i| format!("{i:?}"))
        .chain(requests.iter().map(|r| format!("{r:?}")))
        .collect();
    for s in &shown {
        assert!(!s.contains("s3cret"), "{s}");
    }
    assert_eq!(shown[0], "Echo(Command(FtpPw(Set(Password(<redacted>)))))");
    assert_eq!(shown[4], "Info(Info { name: FtpPw, value: <redacted> })");
}
