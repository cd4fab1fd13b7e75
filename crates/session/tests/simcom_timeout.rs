//! Scenario: an operation whose URC never comes: the 75 s of inactivity of
//! the URC phase (`SPEC-simcom.md` §1.10) end the job with a timeout naming
//! the operation; the next job runs normally, and a stray final result
//! after it is reported, not taken for an answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_proto::simcom::CommandName;
use cellftp_session::simcom::{JobError, Outcome, Session, Timeouts};
use cellftp_session::testing::ScriptedModem;
use core::time::Duration;
use simcom_common::*;

#[test]
fn urc_phase_times_out_after_75_s() {
    assert_eq!(Timeouts::default().idle, Duration::from_secs(75));
    assert_eq!(Timeouts::default().operation, Duration::from_secs(75));
    assert_eq!(Timeouts::default().bearer_open, Duration::from_secs(85));
    let mut modem = ScriptedModem::new();
    modem
        .expect(b"AT+FTPGETPATH=\"/d/\"\r", OK)
        .expect(b"AT+FTPMKD\r", OK)
        .expect(b"AT+FTPQUIT\r", &[OK, OK].concat());
    let mut session = Session::default();
    let mkd = session.mkdir("/d").unwrap();
    let quit = session.quit().unwrap();
    let (end, log) = run(&mut session, &mut modem, b"");
    assert_eq!(
        log.done,
        [
            (
                mkd,
                Err(JobError::Timeout {
                    command: CommandName::FtpMkd
                })
            ),
            (quit, Ok(Outcome::Quit)),
        ]
    );
    assert!(end.as_millis() >= 75_000, "{end:?}");
    assert!(
        log.events.last().unwrap().starts_with("Unsolicited(Ok)"),
        "{:#?}",
        log.events
    );
}
