//! Scenario: bring-up on a SIM800 whose first `AT` is lost while it boots
//! (the second is answered, and the session gets in step before `ATE0`);
//! the bearer is closed (status 3), is opened, and a second bring-up finds
//! it connecting (status 0), waits, and finds it connected. The bearer
//! password is sent in its `AT+SAPBR` line only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_session::simcom::{BearerConfig, Config, JobError, Model, Outcome, Session};
use cellftp_session::testing::{Exchange, ScriptedModem};
use simcom_common::*;

#[test]
fn bring_up_opens_the_bearer() {
    let mut modem = ScriptedModem::new();
    modem
        .exchange(Exchange::split(b"AT\r", &[]))
        .expect(b"AT\r", OK);
    // Which copy of `AT` was answered is unknown: in step again first
    // (`SPEC-simcom.md` §6 item 36).
    expect_resync(&mut modem, 1);
    modem
        .expect(b"ATE0\r", OK)
        .expect(b"AT+SAPBR=3,1,\"Contype\",\"GPRS\"\r", OK)
        .expect(b"AT+SAPBR=3,1,\"APN\",\"internet\"\r", OK)
        .expect(b"AT+SAPBR=3,1,\"USER\",\"u\"\r", OK)
        .expect(b"AT+SAPBR=3,1,\"PWD\",\"bearer-pw\"\r", OK)
        .expect(
            b"AT+SAPBR=2,1\r",
            &[&line("+SAPBR: 1,3,\"0.0.0.0\"")[..], OK].concat(),
        )
        .expect(b"AT+SAPBR=1,1\r", OK)
        // The second bring-up: no user or password.
        .expect(b"AT\r", OK)
        .expect(b"ATE0\r", OK)
        .expect(b"AT+SAPBR=3,1,\"Contype\",\"GPRS\"\r", OK)
        .expect(b"AT+SAPBR=3,1,\"APN\",\"\"\r", OK)
        .expect(
            b"AT+SAPBR=2,1\r",
            &[&line("+SAPBR: 1,0,\"0.0.0.0\"")[..], OK].concat(),
        )
        .expect(
            b"AT+SAPBR=2,1\r",
            &[&line("+SAPBR: 1,1,\"10.0.0.2\"")[..], OK].concat(),
        );
    let mut session = Session::default();
    let first = session
        .bring_up(&BearerConfig {
            apn: "internet",
            user: Some("u"),
            password: Some("bearer-pw"),
        })
        .unwrap();
    let second = session.bring_up(&BearerConfig::default()).unwrap();
    let (end, log) = run(&mut session, &mut modem, b"");
    assert_eq!(
        log.done,
        [
            (first, Ok(Outcome::BroughtUp)),
            (second, Ok(Outcome::BroughtUp))
        ]
    );
    // The lost probe's 5 s and the 1 s pause between status queries.
    assert!(end.as_millis() >= 6_000, "{end:?}");
    assert_no_password(&session, &log, "bearer-pw");
    let debug = format!(
        "{:?}",
        BearerConfig {
            apn: "a",
            user: None,
            password: Some("bearer-pw")
        }
    );
    assert!(!debug.contains("bearer-pw"), "{debug}");

    // The SIM7080 bearer is not verified: refused, nothing sent.
    let mut session = Session::new(Config {
        model: Model::Sim7080,
        ..Config::default()
    })
    .unwrap();
    let job = session.bring_up(&BearerConfig::default()).unwrap();
    let (_, log) = run(&mut session, &mut ScriptedModem::new(), b"");
    assert_eq!(log.done, [(job, Err(JobError::Unsupported))]);
}
