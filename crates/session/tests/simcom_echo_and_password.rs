//! Scenario: a modem with echo on (it just restarted: `RDY`): configure
//! works, the echo of the password line is skipped (and wiped), the
//! password appears nowhere but in its `AT+FTPPW` line; an upload is
//! refused while echo is on, and works after bring-up turned it off.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_proto::simcom::PutOpt;
use cellftp_session::simcom::{BearerConfig, JobError, Outcome, Session};
use cellftp_session::testing::ScriptedModem;
use simcom_common::*;

#[test]
fn echo_on_and_password_hygiene() {
    let mut modem = ScriptedModem::new();
    modem.echo(true);
    expect_configure(&mut modem);
    modem
        .expect(b"AT\r", OK)
        .expect(b"ATE0\r", OK)
        .expect(b"AT+SAPBR=3,1,\"Contype\",\"GPRS\"\r", OK)
        .expect(b"AT+SAPBR=3,1,\"APN\",\"\"\r", OK)
        .expect(
            b"AT+SAPBR=2,1\r",
            &[&line("+SAPBR: 1,1,\"10.0.0.2\"")[..], OK].concat(),
        );
    let mut session = Session::default();
    session.set_trace(Some(trace));
    assert_eq!(
        session.handle_input(cellftp_session::Instant::from_millis(0), b"\r\nRDY\r\n"),
        7
    );
    // The restart is news, nothing else.
    let event = session.poll_event().map(|e| format!("{e:?}"));
    assert_eq!(event.as_deref(), Some("Unsolicited(Urc(Ready))"));
    assert!(session.poll_event().is_none());
    let conf = session.configure(&FTP).unwrap();
    let put = session.put("/", "x", PutOpt::Stor).unwrap();
    let up = session.bring_up(&BearerConfig::default()).unwrap();
    let (_, log) = run(&mut session, &mut modem, b"");
    assert_eq!(
        log.done,
        [
            (conf, Ok(Outcome::Configured)),
            (put, Err(JobError::EchoOn)),
            (up, Ok(Outcome::BroughtUp)),
        ]
    );
    assert_no_password(&session, &log, "secret");
    assert_eq!(
        log.transmitted
            .iter()
            .filter(|t| t.windows(6).any(|w| w == b"secret"))
            .count(),
        1
    );
    let debug = format!("{FTP:?}");
    assert!(!debug.contains("secret"), "{debug}");
    let traced = TRACED.with(|t| t.borrow().clone());
    assert!(
        traced.iter().any(|l| l == "> AT+FTPPW=<redacted>\\r"),
        "{traced:#?}"
    );
    assert!(traced.iter().all(|l| !l.contains("secret")), "{traced:#?}");
}

thread_local! {
    static TRACED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn trace(direction: cellftp_session::Direction, line: cellftp_session::TraceLine<'_>) {
    TRACED.with(|t| t.borrow_mut().push(format!("{direction} {line}")));
}
