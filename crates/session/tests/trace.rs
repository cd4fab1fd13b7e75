#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The trace hook sees every line sent and received, in order, and never
//! the password: not in the command, not in its echo, not in an
//! `AT+FTPSCON` report that prints it.

use std::cell::RefCell;

use cellftp_proto::{Mode, TransferType};
use cellftp_session::driver::Handler;
use cellftp_session::testing::{run, ScriptedModem};
use cellftp_session::{Direction, Event, FtpConfig, Instant, JobId, Segment, Session, TraceLine};

const PASSWORD: &str = "Tr4ce-Secret";

thread_local! {
    static TRACE: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static SHOWN: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn record(direction: Direction, line: TraceLine<'_>) {
    TRACE.with(|t| t.borrow_mut().push(format!("{direction} {line}")));
    SHOWN.with(|s| {
        for segment in line.segments() {
            match segment {
                Segment::Shown(bytes) => s.borrow_mut().extend_from_slice(bytes),
                Segment::Redacted => s.borrow_mut().extend_from_slice(b"<?>"),
            }
        }
    });
}

struct Quiet;

impl Handler for Quiet {
    fn event(&mut self, _: &Event<'_>) {}
    fn fill(&mut self, _: JobId, _: &mut [u8]) -> usize {
        0
    }
}

#[test]
fn the_trace_shows_every_line_and_never_the_password() {
    let mut modem = ScriptedModem::new();
    let pw = format!("AT+FTPPW={PASSWORD}\r");
    let report =
        format!("\r\n+FTPSCON: SERVER:1.2.3.4\r\n\r\n+FTPSCON: PASSWORD: {PASSWORD}\r\n\r\nOK\r\n");
    modem
        .echo(true)
        .expect(b"AT+FTPMODE=1\r", b"\r\nOK\r\n")
        .expect(b"AT+FTPSERV=1.2.3.4\r", b"\r\n+FTPSERV:0\r\n\r\nOK\r\n")
        .expect(b"AT+FTPUN=u\r", b"\r\nOK\r\n")
        .expect(pw.as_bytes(), b"\r\nOK\r\n")
        .expect(b"AT+FTPTYPE=I\r", b"\r\nOK\r\n")
        .expect(b"AT+FTPSCON\r", report.as_bytes());
    let mut session = Session::default();
    session.set_trace(Some(record));
    session
        .configure(&FtpConfig {
            server: "1.2.3.4",
            port: None,
            mode: Mode::Passive,
            transfer_type: TransferType::Binary,
            user: "u",
            password: PASSWORD,
            path: None,
        })
        .unwrap();
    session.query_config().unwrap();
    run(
        &mut session,
        &mut modem,
        &mut Quiet,
        Instant::from_millis(0),
        10_000,
    )
    .unwrap();

    let trace = TRACE.with(|t| t.borrow().clone());
    let all = trace.join("\n");
    assert!(!all.contains(PASSWORD), "{all}");
    assert!(!all.contains("Tr4ce"), "{all}");
    let shown = SHOWN.with(|s| s.borrow().clone());
    assert!(!shown.windows(5).any(|w| w == b"Tr4ce"));
    for expected in [
        "> AT+FTPMODE=1\\r",
        "< AT+FTPMODE=1",
        "< OK",
        "> AT+FTPPW=<redacted>\\r",
        "< AT+FTPPW=<redacted>",
        "< +FTPSERV:0",
        "< +FTPSCON: PASSWORD: <redacted>",
    ] {
        assert!(
            trace.iter().any(|l| l == expected),
            "{expected} not in\n{all}"
        );
    }
    // Sent and received alternate as the exchange went.
    let first: Vec<&str> = trace.iter().take(3).map(String::as_str).collect();
    assert_eq!(first, ["> AT+FTPMODE=1\\r", "< AT+FTPMODE=1", "< OK"]);
}
