#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The trace hook sees every line sent and received, in order, and never
//! the password: not in the command, not in its echo, not in an
//! `AT+FTPSCON` report that prints it; nor does the ready-made `tracing`
//! hook.

use std::cell::RefCell;

use cellftp_proto::{Mode, TransferType};
use cellftp_session::driver::Handler;
use cellftp_session::testing::{run, ScriptedModem};
use cellftp_session::{
    Direction, Event, FtpConfig, Instant, JobId, Segment, Session, TraceFn, TraceLine,
};

const PASSWORD: &str = "Tr4ce-Secret";
#[cfg(feature = "tracing")]
const TRACING_PASSWORD: &str = "Tr4cing-Secret";

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

/// Configures with `password` and queries the configuration (a report that
/// prints the password) against a modem with echo on, tracing through
/// `trace`.
fn configure_and_query(trace: TraceFn, password: &str) {
    let mut modem = ScriptedModem::new();
    let pw = format!("AT+FTPPW={password}\r");
    let report =
        format!("\r\n+FTPSCON: SERVER:1.2.3.4\r\n\r\n+FTPSCON: PASSWORD: {password}\r\n\r\nOK\r\n");
    modem
        .echo(true)
        .expect(b"AT+FTPMODE=1\r", b"\r\nOK\r\n")
        .expect(b"AT+FTPSERV=1.2.3.4\r", b"\r\n+FTPSERV:0\r\n\r\nOK\r\n")
        .expect(b"AT+FTPUN=u\r", b"\r\nOK\r\n")
        .expect(pw.as_bytes(), b"\r\nOK\r\n")
        .expect(b"AT+FTPTYPE=I\r", b"\r\nOK\r\n")
        .expect(b"AT+FTPSCON\r", report.as_bytes());
    let mut session = Session::default();
    session.set_trace(Some(trace));
    session
        .configure(&FtpConfig {
            server: "1.2.3.4",
            port: None,
            mode: Mode::Passive,
            transfer_type: TransferType::Binary,
            user: "u",
            password,
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
}

#[test]
fn the_trace_shows_every_line_and_never_the_password() {
    configure_and_query(record, PASSWORD);

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

/// A writer the subscriber formats into, kept for the test to read.
#[cfg(feature = "tracing")]
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

#[cfg(feature = "tracing")]
impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(feature = "tracing")]
impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// The ready-made `tracing` hook (feature `tracing`) logs every line
/// through a `tracing` subscriber, in order, as DEBUG events under the
/// session's target with the direction as a field, and never the password.
#[cfg(feature = "tracing")]
#[test]
fn every_line_reaches_tracing_and_the_password_never_does() {
    use cellftp_session::to_tracing;
    use tracing_subscriber::util::SubscriberInitExt;

    let captured = Captured::default();
    let _guard = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .without_time()
        .with_writer(captured.clone())
        .finish()
        .set_default();

    configure_and_query(to_tracing, TRACING_PASSWORD);

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(!log.contains("Tr4cing"), "{log}");
    let lines: Vec<&str> = log.lines().collect();
    // Every event is at DEBUG level, under the session's target, with its
    // direction as a field, in the order of the exchange.
    let expected = [
        "> AT+FTPMODE=1\\r",
        "< AT+FTPMODE=1",
        "< OK",
        "> AT+FTPPW=<redacted>\\r",
        "< AT+FTPPW=<redacted>",
        "< +FTPSCON: PASSWORD: <redacted>",
    ];
    let mut from = 0;
    for want in expected {
        let (direction, text) = want.split_at(1);
        let found = lines.iter().skip(from).position(|l| {
            l.contains("DEBUG cellftp_session::at:")
                && l.ends_with(&format!("{} direction={direction}", text.trim_start()))
        });
        let Some(at) = found else {
            panic!("{want} not in order in\n{log}");
        };
        from += at + 1;
    }
}
