#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! Scenario: the echo of a command that carries a password arrives when
//! no command waits for it (its command timed out long ago). In both
//! dialects it is never reported as an event, whatever else is; a line
//! that only looks like a password line by proto's rule (`PWR: on`) but is
//! no command's echo is reported as before.

use cellftp_session::{simcom, Event, Instant, Session};

const LATE: &[u8] = b"\r\nAT+FTPPW=secret\r\r\nAT+SAPBR=3,1,\"PWD\",\"secret\"\r\r\nPWR: on\r\n";

#[test]
fn manual_dialect() {
    let mut s = Session::default();
    assert_eq!(s.handle_input(Instant::from_millis(0), LATE), LATE.len());
    let mut events = Vec::new();
    while let Some(event) = s.poll_event() {
        if let Event::Unsolicited(cellftp_session::Response::Unknown(raw)) = event {
            events.push(raw.escape_ascii().to_string());
        } else {
            events.push(format!("{event:?}"));
        }
    }
    // The manual dialect's session knows only its own password command;
    // the SIMCom bearer line is a line it does not understand.
    assert_eq!(
        events,
        ["AT+SAPBR=3,1,\\\"PWD\\\",\\\"secret\\\"", "PWR: on"]
    );
}

#[test]
fn simcom_dialect() {
    let mut s = simcom::Session::default();
    assert_eq!(s.handle_input(Instant::from_millis(0), LATE), LATE.len());
    let mut events = Vec::new();
    while let Some(event) = s.poll_event() {
        events.push(format!("{event:?}"));
    }
    assert_eq!(events.len(), 1, "{events:?}");
    // Its `Debug` hides what the rule reads as a value.
    assert!(events[0].contains("PWR: "), "{events:?}");
    assert!(!events.iter().any(|e| e.contains("secret")), "{events:?}");
}
