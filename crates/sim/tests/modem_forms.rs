//! Every test, query and set form of `SPEC.md` §3, as the simulated modem
//! answers it: the information line the section gives and a final result,
//! read back with proto's `ResponseDecoder`; a set form changes what the
//! query answers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use cellftp_proto::{CommandName, Info, InfoValue, Response, ServCode, Urc};
use common::modem::{items, Host, LISTING};

fn info(name: CommandName, value: InfoValue<'static>) -> Response<'static> {
    Response::Info(Info { name, value })
}

fn range(name: CommandName, r: &'static [u8]) -> Response<'static> {
    info(name, InfoValue::Range(r))
}

fn placeholder(name: CommandName, p: &'static [u8]) -> Response<'static> {
    info(name, InfoValue::Placeholder(p))
}

fn number(name: CommandName, n: u32) -> Response<'static> {
    info(name, InfoValue::Number(n))
}

fn text(name: CommandName, t: &'static [u8]) -> Response<'static> {
    info(name, InfoValue::Text(t))
}

fn empty(name: CommandName) -> Response<'static> {
    info(name, InfoValue::Empty)
}

/// Sends each line and checks what comes back: the items given, then `OK`.
fn check(host: &mut Host, cases: &[(&str, &[Response<'static>])]) {
    for (line, want) in cases {
        let out = host.send(format!("{line}\r").as_bytes());
        let mut want = want.to_vec();
        want.push(Response::Ok);
        assert_eq!(
            items(&out),
            want,
            "{line}: {:?}",
            out.escape_ascii().to_string()
        );
    }
}

#[test]
fn basic_commands() {
    use CommandName::{Cfun, Cgact};
    let mut host = Host::quiet();
    check(
        &mut host,
        &[
            // §3.1, §3.2
            ("AT", &[]),
            ("ATE0", &[]),
            // §3.3: the query answer is `+CFUN: <fun>`, which the decoder
            // reads as the unsolicited code it also is.
            ("AT+CFUN=?", &[range(Cfun, b"0,1,4),(0,1")]),
            ("AT+CFUN?", &[Response::Urc(Urc::Cfun(1))]),
            ("AT+CFUN=4", &[]),
            ("AT+CFUN?", &[Response::Urc(Urc::Cfun(4))]),
            ("AT+CFUN=1", &[]),
            // §3.4
            ("AT+CGACT=?", &[range(Cgact, b"0,1")]),
            ("AT+CGACT?", &[text(Cgact, b"1,1")]),
            ("AT+CGACT=0,1", &[]),
            ("AT+CGACT?", &[text(Cgact, b"1,0")]),
            ("AT+CGACT=1,1", &[]),
            ("AT+CGACT?", &[text(Cgact, b"1,1")]),
        ],
    );
    // The test answer's bytes, as §3.3 shows them.
    assert_eq!(
        host.send(b"AT+CFUN=?\r"),
        b"\r\n+CFUN: (0,1,4),(0,1)\r\n\r\nOK\r\n"
    );
}

#[test]
fn local_settings() {
    use CommandName::{FtpGetName, FtpMode, FtpPath, FtpPort, FtpPutName, FtpReset, FtpType};
    let mut host = Host::quiet();
    check(
        &mut host,
        &[
            // §3.5
            ("AT+FTPPORT=?", &[range(FtpPort, b"1-65535")]),
            ("AT+FTPPORT?", &[number(FtpPort, 21)]),
            ("AT+FTPPORT=15881", &[]),
            ("AT+FTPPORT?", &[number(FtpPort, 15881)]),
            // §3.6
            ("AT+FTPMODE=?", &[range(FtpMode, b"0-1")]),
            ("AT+FTPMODE?", &[number(FtpMode, 0)]),
            ("AT+FTPMODE=1", &[]),
            ("AT+FTPMODE?", &[number(FtpMode, 1)]),
            // §3.7
            ("AT+FTPTYPE=?", &[range(FtpType, b"I/A")]),
            ("AT+FTPTYPE?", &[text(FtpType, b"I")]),
            ("AT+FTPTYPE=a", &[]),
            ("AT+FTPTYPE?", &[text(FtpType, b"A")]),
            ("AT+FTPTYPE=I", &[]),
            // §3.8
            ("AT+FTPRESET=?", &[placeholder(FtpReset, b"value")]),
            ("AT+FTPRESET?", &[number(FtpReset, 0)]),
            ("AT+FTPRESET=2", &[]),
            ("AT+FTPRESET?", &[number(FtpReset, 2)]),
            // §3.12
            ("AT+FTPGETNAME=?", &[placeholder(FtpGetName, b"file name")]),
            ("AT+FTPGETNAME?", &[empty(FtpGetName)]),
            ("AT+FTPGETNAME=12.txt", &[]),
            ("AT+FTPGETNAME?", &[text(FtpGetName, b"12.txt")]),
            // §3.13
            ("AT+FTPPATH=?", &[placeholder(FtpPath, b"file path")]),
            ("AT+FTPPATH?", &[empty(FtpPath)]),
            ("AT+FTPPATH=/docs", &[]),
            ("AT+FTPPATH?", &[text(FtpPath, b"/docs")]),
            // §3.14
            ("AT+FTPPUTNAME=?", &[placeholder(FtpPutName, b"put name")]),
            ("AT+FTPPUTNAME?", &[empty(FtpPutName)]),
            ("AT+FTPPUTNAME=12.txt", &[]),
            ("AT+FTPPUTNAME?", &[text(FtpPutName, b"12.txt")]),
            // Stray spaces and any case (§1.4).
            ("at+ ftpport = 21 ", &[]),
            ("AT+FTPPORT?", &[number(FtpPort, 21)]),
        ],
    );
}

#[test]
fn connection_and_login() {
    use CommandName::{FtpPw, FtpServ, FtpUn};
    let mut host = Host::quiet();
    check(
        &mut host,
        &[
            // §3.9
            ("AT+FTPSERV=?", &[placeholder(FtpServ, b"IP")]),
            ("AT+FTPSERV?", &[empty(FtpServ)]),
            (
                "AT+FTPSERV=47.104.157.10",
                &[Response::ServResult(ServCode::Success)],
            ),
            ("AT+FTPSERV?", &[text(FtpServ, b"47.104.157.10")]),
            // §3.10
            ("AT+FTPUN=?", &[placeholder(FtpUn, b"username")]),
            ("AT+FTPUN?", &[empty(FtpUn)]),
            ("AT+FTPUN=xs", &[]),
            ("AT+FTPUN?", &[text(FtpUn, b"xs")]),
            // §3.11
            ("AT+FTPPW=?", &[placeholder(FtpPw, b"password")]),
            ("AT+FTPPW=123", &[]),
            // §5 item 35: the query answers the password in clear (all
            // digits, so it reads as a number).
            ("AT+FTPPW?", &[number(FtpPw, 123)]),
            ("AT+FTPPW=pw 2", &[]),
            ("AT+FTPPW?", &[text(FtpPw, b"pw 2")]),
        ],
    );
}

#[test]
fn operations() {
    use CommandName::{FtpGet, FtpList, FtpMkd, FtpPut, FtpQuit, FtpRmd, FtpScon};
    let mut host = Host::logged_in();
    check(
        &mut host,
        &[
            // §3.15, §3.16
            ("AT+FTPMKD=?", &[placeholder(FtpMkd, b"dir")]),
            ("AT+FTPMKD=/invoker", &[]),
            ("AT+FTPRMD=?", &[placeholder(FtpRmd, b"dir")]),
            ("AT+FTPRMD=/invoker", &[]),
            // §3.17, with `AT+NAME?` as the test form too (§5 item 14).
            ("AT+FTPGET=?", &[empty(FtpGet)]),
            ("AT+FTPGET?", &[empty(FtpGet)]),
            ("AT+FTPGETNAME=12.txt", &[]),
            ("AT+FTPRESET=2", &[]),
            (
                "AT+FTPGET",
                &[Response::FtpGet {
                    len: 3,
                    data: b"345",
                }],
            ),
            // §3.18
            ("AT+FTPPUT=?", &[empty(FtpPut)]),
            ("AT+FTPPUTNAME=12.txt", &[]),
            ("AT+FTPPUT=5,12345", &[]),
            ("AT+FTPPUT=0", &[]),
            // §3.19
            ("AT+FTPLIST=?", &[empty(FtpList)]),
            ("AT+FTPLIST?", &[empty(FtpList)]),
            (
                "AT+FTPLIST",
                &[
                    Response::FtpList { mode: 0, len: 48 },
                    Response::ListLine(LISTING),
                ],
            ),
            // §3.20, §3.21
            ("AT+FTPSCON=?", &[empty(FtpScon)]),
            ("AT+FTPSCON?", &[empty(FtpScon)]),
            ("AT+FTPQUIT=?", &[empty(FtpQuit)]),
            ("AT+FTPQUIT?", &[empty(FtpQuit)]),
            ("AT+FTPQUIT", &[]),
        ],
    );
}

#[test]
fn the_manual_example_answers_as_section_4_shows() {
    let mut host = Host::new(cellftp_sim::ModemConfig {
        echo: false,
        ..cellftp_sim::ModemConfig::default()
    });
    let mut out = Vec::new();
    for line in [
        "AT+CFUN=1",
        "AT+CGACT=1,1",
        "AT+FTPPORT=15881",
        "AT+FTPMODE=1",
        "AT+FTPSERV=47.104.157.10",
        "AT+FTPUN=xs",
        "AT+FTPPW=123",
        "AT+FTPTYPE=I",
        "AT+FTPPUTNAME=12.txt",
        "AT+FTPPUT=5,12345",
        "AT+FTPPUT=0",
        "AT+FTPGETNAME=12.txt",
        "AT+FTPRESET=2",
        "AT+FTPGET",
        "AT+FTPLIST",
        "AT+FTPQUIT",
    ] {
        out.extend(host.send(format!("{line}\r").as_bytes()));
    }
    let ok = "\r\nOK\r\n";
    let want = format!(
        "{}\r\n+FTPSERV:0\r\n{ok}{}\r\n+FTPGET:3,345\r\n{ok}\r\n+FTPLIST:1,48\r\n{}{ok}{ok}",
        ok.repeat(4),
        ok.repeat(8),
        std::str::from_utf8(LISTING).unwrap()
    );
    assert_eq!(
        out.escape_ascii().to_string(),
        want.as_bytes().escape_ascii().to_string()
    );
}
