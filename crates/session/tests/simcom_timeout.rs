//! Scenario: an operation whose URC never comes: the 75 s of inactivity of
//! the URC phase (`SPEC-simcom.md` §1.10) end the job with a timeout naming
//! the operation. Before the next job the session recovers (§4.6):
//! `AT+FTPSTATE` says the operation still runs, so `AT+FTPQUIT` ends it;
//! the operation's late `+FTPMKD: 1,86` and a stray final result are
//! reported, not taken for answers.
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
        .expect(b"AT+FTPSTATE\r", &[&line("+FTPSTATE: 1")[..], OK].concat())
        .expect(b"AT+FTPQUIT\r", &[OK, &line("+FTPMKD: 1,86")[..]].concat())
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
    let unsolicited: Vec<&String> = log
        .events
        .iter()
        .filter(|e| e.starts_with("Unsolicited"))
        .collect();
    assert_eq!(unsolicited.len(), 2, "{:#?}", log.events);
    assert!(unsolicited[0].contains("ManualQuit"), "{unsolicited:?}");
    assert_eq!(unsolicited[1], "Unsolicited(Ok)");
}
