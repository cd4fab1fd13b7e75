//! Scenario: the modem restarts (`RDY`, `+CFUN: 1`) in the middle of
//! bring-up. After the probe was answered it has forgotten echo off and
//! the bearer's settings, so bring-up resynchronises and starts again from
//! the probe; once the bearer password was sent (and wiped) it cannot be
//! sent again, and bring-up fails with the restart rather than report a
//! bearer it did not set up.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_proto::simcom::CommandName;
use cellftp_session::simcom::{BearerConfig, JobError, Outcome, ProtocolError, Session};
use cellftp_session::testing::ScriptedModem;
use simcom_common::*;

const RESTART: &[u8] = b"\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n";

#[test]
fn a_restart_before_the_password_starts_bring_up_again() {
    let mut modem = ScriptedModem::new();
    modem
        .expect(b"AT\r", OK)
        .expect(b"ATE0\r", OK)
        .expect(b"AT+SAPBR=3,1,\"Contype\",\"GPRS\"\r", OK)
        // The APN line is never answered: the modem restarts instead.
        .expect(b"AT+SAPBR=3,1,\"APN\",\"internet\"\r", RESTART);
    // In step again (the APN's answer could still have been on its
    // way), then everything from the probe.
    expect_resync(&mut modem, 1);
    modem
        .expect(b"AT\r", OK)
        .expect(b"ATE0\r", OK)
        .expect(b"AT+SAPBR=3,1,\"Contype\",\"GPRS\"\r", OK)
        .expect(b"AT+SAPBR=3,1,\"APN\",\"internet\"\r", OK)
        .expect(b"AT+SAPBR=3,1,\"PWD\",\"bearer-pw\"\r", OK)
        .expect(
            b"AT+SAPBR=2,1\r",
            &[&line("+SAPBR: 1,1,\"10.0.0.2\"")[..], OK].concat(),
        );
    let mut session = Session::default();
    let job = session
        .bring_up(&BearerConfig {
            apn: "internet",
            user: None,
            password: Some("bearer-pw"),
        })
        .unwrap();
    let (_, log) = run(&mut session, &mut modem, b"");
    assert_eq!(log.done, [(job, Ok(Outcome::BroughtUp))]);
    assert_eq!(session.bearer(), Some(true));
}

#[test]
fn a_restart_after_the_password_fails_bring_up() {
    let mut modem = ScriptedModem::new();
    modem
        .expect(b"AT\r", OK)
        .expect(b"ATE0\r", OK)
        .expect(b"AT+SAPBR=3,1,\"Contype\",\"GPRS\"\r", OK)
        .expect(b"AT+SAPBR=3,1,\"APN\",\"internet\"\r", OK)
        .expect(b"AT+SAPBR=3,1,\"PWD\",\"bearer-pw\"\r", OK)
        // The status query is never answered: the modem restarts.
        .expect(b"AT+SAPBR=2,1\r", RESTART);
    // The session gets in step again before anything else.
    expect_resync(&mut modem, 1);
    let mut session = Session::default();
    let job = session
        .bring_up(&BearerConfig {
            apn: "internet",
            user: None,
            password: Some("bearer-pw"),
        })
        .unwrap();
    let (_, log) = run(&mut session, &mut modem, b"");
    assert_eq!(
        log.done,
        [(
            job,
            Err(JobError::Protocol {
                command: CommandName::Sapbr,
                error: ProtocolError::ModemRestarted,
            })
        )]
    );
    assert_eq!(session.bearer(), Some(false));
}
