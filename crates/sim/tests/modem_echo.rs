//! The simulated modem's echo (`SPEC.md` §1.6, §3.2): on at power-on,
//! `ATE0` turns it off (its own line still echoed), `ATE1` on (its own line
//! not echoed); the echo of `AT+FTPPUT=<len>,<data>` is framed by its
//! length; the bytes do not depend on how the input is cut. The SIMCom
//! modem echoes the same way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use cellftp_proto::{Command, Mode, Put, Request, Response, Setting};
use cellftp_sim::{ModemConfig, SimcomModem};
use common::modem::{items, Host};

fn echoing() -> Host {
    Host::new(ModemConfig {
        pdp_active: true,
        ..ModemConfig::default()
    })
}

#[test]
fn echo_is_on_at_power_on() {
    let mut host = echoing();
    assert_eq!(host.send(b"AT\r"), b"AT\r\r\nOK\r\n");
    let out = host.send(b"AT+FTPMODE=1\r");
    assert_eq!(out, b"AT+FTPMODE=1\r\r\nOK\r\n");
    let items = items(&out);
    let want = Request::Command(Command::FtpMode(Setting::Set(Mode::Passive)));
    assert!(
        matches!(items.as_slice(), [Response::Echo(e), Response::Ok] if e.request() == want),
        "{items:?}"
    );
}

#[test]
fn ate0_is_echoed_then_echo_is_off() {
    let mut host = echoing();
    assert_eq!(host.send(b"ATE0\r"), b"ATE0\r\r\nOK\r\n");
    assert_eq!(host.send(b"AT\r"), b"\r\nOK\r\n");
    assert_eq!(host.send(b"AT+FTPMODE=0\r"), b"\r\nOK\r\n");
}

#[test]
fn ate1_is_not_echoed_then_echo_is_on() {
    let mut host = echoing();
    host.send(b"ATE0\r");
    assert_eq!(host.send(b"ATE1\r"), b"\r\nOK\r\n");
    assert_eq!(host.send(b"AT\r"), b"AT\r\r\nOK\r\n");
    // Either way, case and spaces as the host sent them.
    assert_eq!(
        host.send(b"at+ ftpmode =1\r"),
        b"at+ ftpmode =1\r\r\nOK\r\n"
    );
}

#[test]
fn echo_of_an_upload_chunk_is_taken_by_its_length() {
    let mut host = echoing();
    for line in [
        &b"AT+FTPSERV=127.0.0.1\r"[..],
        b"AT+FTPUN=u\r",
        b"AT+FTPPW=pw\r",
        b"AT+FTPPUTNAME=x.bin\r",
    ] {
        let out = host.send(line);
        assert!(
            out.ends_with(b"OK\r\n"),
            "{:?}",
            out.escape_ascii().to_string()
        );
    }
    let data = b"\r\nOK\r\n\0\x1aAT\r";
    let mut line = format!("AT+FTPPUT={},", data.len()).into_bytes();
    line.extend_from_slice(data);
    line.push(b'\r');
    let out = host.send(&line);
    let mut want = line.clone();
    want.extend_from_slice(b"\r\nOK\r\n");
    assert_eq!(out, want);
    let items = items(&out);
    let want = Request::Command(Command::FtpPut(Put::Data(data)));
    assert!(
        matches!(items.as_slice(), [Response::Echo(e), Response::Ok] if e.request() == want),
        "{items:?}"
    );
}

#[test]
fn echo_does_not_depend_on_how_the_input_is_cut() {
    let script: &[u8] =
        b"AT\rATE0\rAT+FTPMODE=?\rATE1\rAT+FTPPORT?\r\nAT+FTPTYPE=A\rAT+FOO\rAT+FTPGETNAME=a.txt\r";
    let whole = echoing().send(script);
    let bytewise = echoing().send_bytewise(script);
    assert_eq!(
        whole.escape_ascii().to_string(),
        bytewise.escape_ascii().to_string()
    );
    // Eight command lines, eight final results.
    let finals = items(&whole)
        .iter()
        .filter(|i| i.final_result().is_some())
        .count();
    assert_eq!(finals, 8);
}

/// Everything the SIMCom modem sends for `script`, fed in pieces of
/// `piece` bytes.
fn simcom_output(script: &[u8], piece: usize) -> Vec<u8> {
    let mut modem = SimcomModem::new(ModemConfig {
        pdp_active: true,
        ..ModemConfig::default()
    });
    let mut out = Vec::new();
    for part in script.chunks(piece) {
        let mut part = part;
        while !part.is_empty() {
            let n = modem.handle_input(std::time::Duration::ZERO, part);
            assert!(n > 0);
            part = &part[n..];
            while let Some(bytes) = modem.poll_output() {
                out.extend(bytes);
            }
        }
    }
    out
}

#[test]
fn the_simcom_modem_echoes_each_line_with_its_cr() {
    let script: &[u8] = b"AT\rAT+FTPCID=1\r\nAT+FOO\rATE0\rAT\r";
    let whole = simcom_output(script, script.len());
    assert_eq!(
        whole.escape_ascii().to_string(),
        "AT\\r\\r\\nOK\\r\\nAT+FTPCID=1\\r\\r\\nOK\\r\\nAT+FOO\\r\\r\\nERROR\\r\\n\
         ATE0\\r\\r\\nOK\\r\\n\\r\\nOK\\r\\n"
    );
    for piece in [1, 2, 5] {
        assert_eq!(simcom_output(script, piece), whole, "pieces of {piece}");
    }
}
