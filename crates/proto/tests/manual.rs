//! Every request/response example of the modem's manual, parsed and
//! snapshotted: the command as the host sends it through
//! [`CommandDecoder`], the answer as the modem sends it through
//! [`ResponseDecoder`].
//!
//! The manual's text is kept verbatim, stray spaces, full-width punctuation
//! and mistakes included (`AT+ FTPMODE =0`, `+FTPMODE: （0-1）`, `+FTPSERV=?`
//! answered by `+FTPMODE: <IP>`); only its HTML entities are decoded (`&lt;`
//! is `<`). The modem's lines get the framing a real modem gives them,
//! `\r\n<line>\r\n`, and the host's commands end in `\r`.
//!
//! Besides the examples (发送命令 / 响应), each section has the "Possible
//! response(s)" column of the manual's table, and the 说明 (explanation)
//! lines where they differ from the example's response. The table's command
//! column is a template without `AT`; it is sent here with `AT` in front.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::fmt::Write as _;
use std::string::String;
use std::vec::Vec;

use cellftp_proto::{CommandDecoder, ResponseDecoder};
use common::{check, decode_whole, framed};

/// One exchange: what the host sends and the lines the modem answers with.
struct Example<'a> {
    /// The manual's heading for it (测试命令, 设置命令, …).
    title: &'a str,
    /// The command as printed, without its terminator; empty for a
    /// response-only entry.
    host: &'a str,
    /// The response lines as printed.
    modem: &'a [&'a str],
}

const fn ex<'a>(title: &'a str, host: &'a str, modem: &'a [&'a str]) -> Example<'a> {
    Example { title, host, modem }
}

/// Decodes `bytes` whole, checks that every other way of cutting them gives
/// the same items, and renders them one per line.
fn render_stream<D: common::Decode>(out: &mut String, arrow: &str, bytes: &[u8]) {
    let (items, rest) = decode_whole::<D>(bytes);
    let rendered: Vec<String> = items.iter().map(D::render).collect();
    check::<D>(bytes, &rendered, rest);
    writeln!(out, "{arrow} {:?}", String::from_utf8_lossy(bytes)).unwrap();
    for item in &items {
        writeln!(out, "    {item:?}").unwrap();
    }
    if !rest.is_empty() {
        writeln!(out, "    (left over: {:?})", String::from_utf8_lossy(rest)).unwrap();
    }
}

fn render(examples: &[Example<'_>]) -> String {
    let mut out = String::new();
    for e in examples {
        writeln!(out, "## {}", e.title).unwrap();
        if !e.host.is_empty() {
            let line = [e.host.as_bytes(), b"\r"].concat();
            render_stream::<CommandDecoder>(&mut out, "host:", &line);
        }
        if !e.modem.is_empty() {
            render_stream::<ResponseDecoder>(&mut out, "modem:", &framed(e.modem));
        }
        out.push('\n');
    }
    out
}

#[test]
fn ftpmode() {
    let snapshot = render(&[
        ex("表 设置", "AT+FTPMODE= <value>", &["OK", "ERROR"]),
        ex("表 查询", "AT+FTPMODE?", &["+FTPMODE: <value>", "OK"]),
        ex("表 测试", "AT+FTPMODE=?", &["+ FTPMODE: (0-1)"]),
        ex("测试命令", "AT+FTPMODE=?", &["+FTPMODE: （0-1）", "OK"]),
        ex("设置命令", "AT+ FTPMODE =0", &["OK"]),
        ex("查询命令", "AT+ FTPMODE?", &["+FTPMODE: 0", "OK"]),
    ]);
    insta::assert_snapshot!("ftpmode", snapshot);
}

#[test]
fn ftptype() {
    let snapshot = render(&[
        ex("表 设置", "AT+FTPTYPE= <value>", &["OK", "ERROR"]),
        ex("表 查询", "AT+FTPTYPE?", &["+FTPTYPE: <value>", "OK"]),
        ex("表 测试", "AT+FTPTYPE=?", &["+ FTPTYPE: (I/A)"]),
    ]);
    insta::assert_snapshot!("ftptype", snapshot);
}

#[test]
fn ftpreset() {
    let snapshot = render(&[
        ex("表 设置", "AT+FTPRESET= <value>", &["OK", "ERROR"]),
        ex("表 查询", "AT+FTPRESET?", &["+FTPRESET:<value>", "OK"]),
        ex("表 测试", "AT+FTPRESET=?", &["+ FTPRESET:<value>"]),
        ex("测试命令", "AT+ FTPRESET =?", &["+FTPRESET:<value>", "OK"]),
        ex("设置命令", "AT+ FTPRESET=5 ", &["OK"]),
        ex("查询命令", "AT+ FTPRESET?", &["+FTPRESET:5", "OK"]),
    ]);
    insta::assert_snapshot!("ftpreset", snapshot);
}

#[test]
fn ftpserv() {
    let snapshot = render(&[
        ex("表 设置", "AT+FTPSERV= <ip>", &["OK", "ERROR"]),
        ex("表 查询", "AT+FTPSERV?", &["+FTPSERV:<ip>", "OK"]),
        ex("表 测试", "AT+FTPSERV=?", &["+ FTPSERV:<ip>"]),
        ex(
            "结果返回码列表",
            "",
            &[
                "+FTPSERV:0",
                "+FTPSERV:1",
                "+FTPSERV:2",
                "+FTPSERV:3",
                "+FTPSERV:4",
                "+FTPSERV:5",
            ],
        ),
        ex("测试命令", "AT+ FTPSERV =?", &["+FTPMODE: <IP>", "OK"]),
        ex("测试命令 说明", "", &["+FTPSERV: <IP>"]),
        ex(
            "设置命令",
            "AT+ FTPSERV =129.168.0.1",
            &["+FTPSERV:0", "OK"],
        ),
        ex("查询命令", "AT+ FTPSERV?", &["+FTPSERV: 129.168.0.1", "OK"]),
    ]);
    insta::assert_snapshot!("ftpserv", snapshot);
}

#[test]
fn ftpun() {
    let snapshot = render(&[
        ex("表 设置", "AT+FTPUN= <username>", &["OK", "ERROR"]),
        ex("表 查询", "AT+ FTPUN?", &["+ FTPUN: <username>", "OK"]),
        ex("表 测试", "AT+ FTPUN=?", &["+ FTPUN: <username>"]),
        ex("测试命令", "AT+ FTPUN =?", &["+FTPUN: <username>", "OK"]),
        ex("设置命令", "AT+ FTPUN =xs", &["OK"]),
        ex("查询命令", "AT+ FTPUN?", &["+FTPUN: xs", "OK"]),
    ]);
    insta::assert_snapshot!("ftpun", snapshot);
}

#[test]
fn ftppw() {
    let snapshot = render(&[
        ex("表 设置", "AT+FTPPW= <password>", &["OK", "ERROR"]),
        ex("表 查询", "AT+ FTPPW?", &["+ FTPPW: <password>", "OK"]),
        ex("表 测试", "AT+ FTPPW=?", &["+ FTPUN: <password>"]),
        ex("测试命令", "AT+ FTPPW =?", &["+FTPPW: <password>", "OK"]),
        ex("设置命令", "AT+ FTPPW =123", &["OK"]),
        ex("查询命令", "AT+ FTPPW?", &["+FTPPW: 123", "OK"]),
    ]);
    // The password shows in the raw bytes only, never in a parsed item.
    for line in snapshot.lines().filter(|l| l.starts_with("    ")) {
        assert!(!line.contains("123"), "{line}");
    }
    insta::assert_snapshot!("ftppw", snapshot);
}

#[test]
fn ftpgetname() {
    let snapshot = render(&[
        ex("表 设置", "AT+ FTPGETNAME = <file name>", &["OK", "ERROR"]),
        ex(
            "表 查询",
            "AT+ FTPGETNAME?",
            &["+ FTPGETNAME<file name>", "OK"],
        ),
        ex(
            "表 测试",
            "AT+ FTPGETNAME=?",
            &["+ FTPGETNAME: <file name>"],
        ),
        ex(
            "测试命令",
            "AT+ FTPGETNAME =?",
            &["+FTPGETNAME:<file name>", "OK"],
        ),
        ex("测试命令 说明", "", &["+FTPGETNAME: <file name>"]),
        ex("设置命令", "AT+ FTPGETNAME =123.txt", &["OK"]),
        ex(
            "查询命令",
            "AT+ FTPGETNAME?",
            &["+FTPGETNAME:123.txt", "OK"],
        ),
    ]);
    insta::assert_snapshot!("ftpgetname", snapshot);
}

#[test]
fn ftppath() {
    let snapshot = render(&[
        ex("表 设置", "AT+ FTPPATH = <file path>", &["OK", "ERROR"]),
        ex("表 查询", "AT+ FTPPATH?", &["+ FTPPATH：<file path>", "OK"]),
        ex("表 测试", "AT+ FTPPATH=?", &["+ FTPPATH: <file path>"]),
        ex("测试命令", "AT+ FTPPATH=?", &["+FTPPATH:XXX", "OK"]),
        ex("测试命令 说明", "", &["+FTPPATH: < file path>"]),
        ex("设置命令", "AT+ FTPPATH=/docs", &["OK"]),
        ex("查询命令", "AT+ FTPPATH?", &["+FTPPATH: /docs", "OK"]),
    ]);
    insta::assert_snapshot!("ftppath", snapshot);
}

#[test]
fn ftpputname() {
    let snapshot = render(&[
        ex("表 设置", "AT+ FTPPUTNAME = <put name>", &["OK", "ERROR"]),
        ex(
            "表 查询",
            "AT+ FTPPUTNAME?",
            &["+FTPPUTNAME:<put name>", "OK"],
        ),
        ex("表 测试", "AT+ FTPPUTNAME=?", &["+ FTPPUTNAME: <put name>"]),
        ex(
            "测试命令",
            "AT+ FTPPUTNAME =?",
            &["+FTPPUTNAME:<put name>", "OK"],
        ),
        ex("测试命令 说明", "", &["+FTPPUTNAME: < put name >"]),
        ex("设置命令", "AT+ FTPPUTNAME =123.txt", &["OK"]),
        ex(
            "查询命令",
            "AT+ FTPPUTNAME?",
            &["+FTPPUTNAME: 123.txt", "OK"],
        ),
    ]);
    insta::assert_snapshot!("ftpputname", snapshot);
}

#[test]
fn ftpmkd() {
    let snapshot = render(&[
        ex("表 设置", "AT+ FTPMKD = <dir>", &["OK", "ERROR"]),
        ex("表 测试", "AT+ FTPMKD=?", &["+ FTPMKD: <dir>"]),
        ex("测试命令", "AT+ FTPMKD =?", &["+FTPMKD:<dir>", "OK"]),
        ex("测试命令 说明", "", &["+FTPMKD: < dir >"]),
        ex("设置命令", "AT+ FTPMKD =/invoker", &["OK"]),
    ]);
    insta::assert_snapshot!("ftpmkd", snapshot);
}

#[test]
fn ftprmd() {
    let snapshot = render(&[
        ex("表 设置", "AT+ FTPRMD = <dir>", &["OK", "ERROR"]),
        ex("表 测试", "AT+ FTPRMD=?", &["+ FTPMKD: <dir>"]),
        ex("测试命令", "AT+ FTPRMD =?", &["+FTPRMD:<dir>", "OK"]),
        ex("测试命令 说明", "", &["+FTPRMD: < dir >"]),
        ex("设置命令", "AT+ FTPRMD =/invoker", &["OK"]),
    ]);
    insta::assert_snapshot!("ftprmd", snapshot);
}

#[test]
fn ftpget() {
    let snapshot = render(&[
        ex(
            "表 执行",
            "AT+ FTPGET",
            &["+FTPGET:lent", "<data>", "OK", "ERROR"],
        ),
        ex("表 测试", "AT+ FTPGET=?", &["+FTPGET"]),
        ex("测试命令", "AT+ FTPGET?", &["+FTPGET", "OK"]),
        ex("执行命令", "AT+ FTPGET ", &["OK"]),
    ]);
    insta::assert_snapshot!("ftpget", snapshot);
}

#[test]
fn ftpput() {
    let snapshot = render(&[
        ex("表 执行", "AT+ FTPPUT=lent,<data>", &["OK", "ERROR"]),
        ex("表 测试", "AT+ FTPPUT=?", &["+FTPPUT"]),
        ex("结尾 (PUT文件完成后)", "AT+ FTPPUT=0,", &[]),
        ex("测试命令", "AT+ FTPPUT=?", &["+FTPPUT", "OK"]),
        ex("执行命令", "AT+ FTPPUT=2,12", &["OK"]),
    ]);
    insta::assert_snapshot!("ftpput", snapshot);
}

/// The manual elides the listing after its first line with `......`; the
/// elided lines are made up here so that the listing is the announced 327
/// bytes, each line ending in CRLF as an FTP server's `LIST` output does.
fn listing_327() -> String {
    let mut lines = std::vec![String::from(
        "-rw-rw-r--  1  xisen xisen 5 jul 07 09:30 123.txt"
    )];
    for name in ["124.txt", "125.txt", "126.txt", "127.txt"] {
        lines.push(std::format!(
            "-rw-rw-r--  1  xisen xisen 5 jul 07 09:30 {name}"
        ));
    }
    lines.push(String::from(
        "-rw-rw-r--  1  xisen xisen 5 jul 07 09:30 another-file-with-a-name.txt",
    ));
    let body: String = lines.iter().map(|l| std::format!("{l}\r\n")).collect();
    assert_eq!(body.len(), 327);
    body
}

#[test]
fn ftplist() {
    let body = listing_327();
    let mut answer = String::from("\r\n+FTPLIST:1,327\r\n");
    answer.push_str(&body);
    answer.push_str("\r\nOK\r\n");
    let mut out = render(&[ex(
        "表 执行",
        "AT+FTPLIST",
        &["+FTPLIST:mode,lent", "<file list>", "OK", "ERROR"],
    )]);
    out.push_str("## 执行命令\n");
    render_stream::<CommandDecoder>(&mut out, "host:", b"AT+ FTPLIST\r");
    render_stream::<ResponseDecoder>(&mut out, "modem:", answer.as_bytes());
    insta::assert_snapshot!("ftplist", out);
}

#[test]
fn ftpscon() {
    let snapshot = render(&[
        ex(
            "表 执行",
            "AT+FTPSCON",
            &["+FTPSCON", "XXXX", "OK", "ERROR"],
        ),
        ex("表 测试", "AT+ FTPSCON=?", &["+FTPSCON"]),
        ex("测试命令", "AT+FTPSCON =?", &["+FTPSCON", "OK"]),
        ex("查询命令", "AT+FTPSCON ", &["+FTPSCON ：", "XXX", "OK"]),
    ]);
    insta::assert_snapshot!("ftpscon", snapshot);
}

#[test]
fn ftpquit() {
    let snapshot = render(&[
        ex("表 执行", "AT+FTPQUIT", &["OK", "ERROR"]),
        ex("表 测试", "AT+FTPQUIT=?", &["+FTPQUIT"]),
        ex("测试命令", "AT+ FTPQUIT =?", &["+FTPQUIT", "OK"]),
        ex("执行命令", "AT+ FTPQUIT ", &["OK"]),
    ]);
    insta::assert_snapshot!("ftpquit", snapshot);
}

/// The FTP实例 session at the end of the manual: each command without its
/// `//` comment (and without the one comment that lacks its `//`), and the
/// modem's answer to it as it comes over the line. The listing's one line is
/// the whole announced 48 bytes; the CRLF after it ends the block, then `OK`.
const SESSION: &[(&str, &str)] = &[
    ("AT+CFUN=1", "\r\nOK\r\n"),
    ("AT+CGACT=1,1", "\r\nOK\r\n"),
    ("AT+FTPPORT=15881", "\r\nOK\r\n"),
    ("AT+FTPMODE=1", "\r\nOK\r\n"),
    ("AT+FTPSERV=47.104.157.10", "\r\n+FTPSERV:0\r\n\r\nOK\r\n"),
    ("AT+FTPUN=xs", "\r\nOK\r\n"),
    ("AT+FTPPW=123", "\r\nOK\r\n"),
    ("AT+FTPTYPE=I", "\r\nOK\r\n"),
    ("AT+FTPPUTNAME=12.txt", "\r\nOK\r\n"),
    ("AT+FTPPUT =5,12345", "\r\nOK\r\n"),
    ("AT+FTPPUT=0", "\r\nOK\r\n"),
    ("AT+FTPGETNAME=12.txt", "\r\nOK\r\n"),
    ("AT+FTPRESET=2", "\r\nOK\r\n"),
    ("AT+FTPGET", "\r\n+FTPGET:3,345\r\nOK\r\n"),
    (
        "AT+FTPLIST",
        "\r\n+FTPLIST:1,48\r\n-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\nOK\r\n",
    ),
    ("AT+FTPQUIT", "\r\nOK\r\n"),
];

#[test]
fn session() {
    assert_eq!("-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt".len(), 48);

    let host: Vec<u8> = SESSION
        .iter()
        .flat_map(|(c, _)| [c.as_bytes(), b"\r"].concat())
        .collect();
    let modem: Vec<u8> = SESSION.iter().flat_map(|(_, r)| r.bytes()).collect();
    // With echo on (ATE1) the modem sends each command back before answering.
    let echoed: Vec<u8> = SESSION
        .iter()
        .flat_map(|(c, r)| [c.as_bytes(), b"\r", r.as_bytes()].concat())
        .collect();

    let mut out = String::from("# host → modem\n");
    render_stream::<CommandDecoder>(&mut out, "host:", &host);
    out.push_str("\n# modem → host\n");
    render_stream::<ResponseDecoder>(&mut out, "modem:", &modem);
    out.push_str("\n# modem → host, echo on\n");
    render_stream::<ResponseDecoder>(&mut out, "modem:", &echoed);
    insta::assert_snapshot!("session", out);
}
