//! Lines the simulated modem does not take: a command it does not know, a
//! value out of range, a line longer than `MAX_LINE`, an upload chunk
//! over `MAX_PUT_DATA`. Each is answered `ERROR` once, its bytes are
//! skipped (an oversized chunk's by its length, however they look), and
//! the next command is answered as usual.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use cellftp_proto::{Response, MAX_LINE, MAX_PUT_DATA};
use cellftp_sim::FtpOp;
use common::modem::{items, Host};

#[test]
fn unknown_lines_are_answered_error() {
    let mut host = Host::quiet();
    for line in [
        &b"AT+FOO\r"[..],
        b"AT+FOO=1\r",
        b"hello\r",
        b"ATD123;\r",
        b"AT+FTPMODE=2\r",
        b"AT+FTPPORT=0\r",
        b"AT+FTPPORT=65536\r",
        b"AT+FTPRESET=4294967296\r",
        b"AT+FTPTYPE=X\r",
        b"AT+FTPUN=\"quoted\"\r",
        b"AT+FTPMODE=1 trailing\r",
        b"\xff\xfe\r",
    ] {
        let out = host.send(line);
        assert_eq!(
            out,
            b"\r\nERROR\r\n",
            "{:?}",
            line.escape_ascii().to_string()
        );
    }
    // Nothing was asked of the server, and the modem still answers.
    assert!(host.ops.is_empty());
    assert_eq!(host.send(b"AT\r"), b"\r\nOK\r\n");
}

#[test]
fn an_overlong_line_is_answered_error_once() {
    for len in [MAX_LINE + 1, 2 * MAX_LINE, 3 * MAX_LINE + 17, 10_000] {
        let mut host = Host::quiet();
        let mut line = b"AT+FTPPATH=".to_vec();
        line.resize(len, b'a');
        line.extend_from_slice(b"\rAT+FTPMODE?\r");
        for out in [host.send(&line), {
            let mut again = Host::quiet();
            again.send_bytewise(&line)
        }] {
            assert_eq!(
                items(&out),
                [
                    Response::Error,
                    Response::Info(cellftp_proto::Info {
                        name: cellftp_proto::CommandName::FtpMode,
                        value: cellftp_proto::InfoValue::Number(0)
                    }),
                    Response::Ok
                ],
                "a line of {len} bytes"
            );
        }
    }
}

#[test]
fn an_oversized_upload_chunk_is_refused_and_skipped_by_its_length() {
    let mut host = Host::logged_in();
    assert_eq!(host.send(b"AT+FTPPUTNAME=x.bin\r"), b"\r\nOK\r\n");
    let before = host.ops.len();
    // Over the limit, and full of what would be commands if read as lines.
    let data: Vec<u8> = b"\rAT+FTPMKD=evil\r\nAT\r\nOK\r\n"
        .iter()
        .copied()
        .cycle()
        .take(MAX_PUT_DATA + 500)
        .collect();
    for (what, piece) in [("whole", data.len()), ("cut", 7)] {
        let mut chunk = format!("AT+FTPPUT={},", data.len()).into_bytes();
        chunk.extend_from_slice(&data);
        chunk.push(b'\r');
        let mut out = Vec::new();
        for part in chunk.chunks(piece) {
            out.extend(host.send(part));
        }
        assert_eq!(out, b"\r\nERROR\r\n", "{what}");
        assert_eq!(host.ops.len(), before, "{what}: nothing reached the server");
    }
    // A chunk of exactly 2048 bytes (the largest first fragment) too.
    let mut chunk = b"AT+FTPPUT=2048,".to_vec();
    chunk.extend(std::iter::repeat_n(b'\r', 2048));
    chunk.push(b'\r');
    assert_eq!(host.send(&chunk), b"\r\nERROR\r\n");
    // The upload is refused until it is closed; then a new one works.
    assert_eq!(host.send(b"AT+FTPPUT=3,abc\r"), b"\r\nERROR\r\n");
    assert_eq!(host.send(b"AT+FTPPUT=0\r"), b"\r\nOK\r\n");
    assert_eq!(host.send(b"AT+FTPPUT=3,abc\r"), b"\r\nOK\r\n");
    assert!(matches!(
        host.ops.last(),
        Some(FtpOp::PutData { data, .. }) if data == b"abc"
    ));
}

#[test]
fn operations_before_login_are_answered_error() {
    let mut host = Host::quiet();
    for line in [
        &b"AT+FTPMKD=a\r"[..],
        b"AT+FTPRMD=a\r",
        b"AT+FTPLIST\r",
        b"AT+FTPGET\r",
        b"AT+FTPGETNAME=a\rAT+FTPGET\r",
        b"AT+FTPPUTNAME=a\rAT+FTPPUT=1,x\r",
    ] {
        let out = host.send(line);
        assert!(
            out.ends_with(b"\r\nERROR\r\n"),
            "{:?}",
            line.escape_ascii().to_string()
        );
    }
    assert!(host.ops.is_empty());
}
