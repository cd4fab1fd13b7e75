//! `FtpBackend`'s connect against servers that fail on 127.0.0.1, and the
//! `AT+FTPSERV` code each failure gets (`SPEC.md` §3.9): 2 for a name
//! that does not resolve, 3 for a closed port, 4 for a server that
//! accepts and never greets, 5 for a server that refuses or is no FTP
//! server; 0 for a greeting.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::Write;
use std::net::TcpListener;
use std::thread;
use std::time::{Duration, Instant};

use cellftp_proto::{Mode, ServCode};
use cellftp_sim::{FtpBackend, FtpOp, FtpResult};

const TIMEOUT: Duration = Duration::from_millis(400);

/// Connects to `host:port`; the result and how long it took.
fn connect(host: &str, port: u16) -> (Option<FtpResult>, Duration) {
    let mut backend = FtpBackend::new(TIMEOUT);
    let start = Instant::now();
    let result = backend.execute(FtpOp::Connect {
        host: host.into(),
        port,
        mode: Mode::Passive,
    });
    (result, start.elapsed())
}

/// A listener on 127.0.0.1 whose every connection is sent `greeting`
/// (nothing if empty) and then held open for a while.
fn server(greeting: &'static [u8]) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let _ = stream.write_all(greeting);
            thread::sleep(Duration::from_secs(3));
        }
    });
    port
}

fn failed(code: ServCode) -> Option<FtpResult> {
    Some(FtpResult::ServFailed(code))
}

#[test]
fn code_2_for_a_name_that_does_not_resolve() {
    let (result, _) = connect("no-such-host.invalid", 21);
    assert_eq!(result, failed(ServCode::BadAddress));
}

#[test]
fn code_3_for_a_closed_port() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (result, took) = connect("127.0.0.1", port);
    assert_eq!(result, failed(ServCode::Unreachable));
    assert!(took < TIMEOUT, "refused at once, took {took:?}");
}

#[test]
fn code_4_for_a_server_that_never_greets() {
    let (result, took) = connect("127.0.0.1", server(b""));
    assert_eq!(result, failed(ServCode::ConnectTimeout));
    assert!(took >= TIMEOUT && took < TIMEOUT * 4, "took {took:?}");
}

#[test]
fn code_5_for_a_server_that_refuses() {
    for greeting in [
        &b"421 Too many connections, try later.\r\n"[..],
        b"530 Not allowed from your address.\r\n",
        b"SSH-2.0-OpenSSH_9.6\r\n",
    ] {
        let (result, took) = connect("127.0.0.1", server(greeting));
        assert_eq!(
            result,
            failed(ServCode::Refused),
            "{}",
            greeting.escape_ascii()
        );
        assert!(took < TIMEOUT, "took {took:?}");
    }
}

#[test]
fn code_0_for_a_greeting() {
    let (result, _) = connect("127.0.0.1", server(b"220 Welcome.\r\n"));
    assert_eq!(result, Some(FtpResult::Done));
}
