//! Scenario: the network closes the bearer during a get: `+SAPBR 1: DEACT`
//! is reported and remembered ([`Session::bearer`]), and the get ends with
//! error 61, the network's fault.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_proto::simcom::{CommandName, SimcomErrorKind, SimcomFtpError};
use cellftp_session::simcom::{BearerConfig, JobError, Outcome, Session};
use cellftp_session::testing::ScriptedModem;
use simcom_common::*;

#[test]
fn bearer_closed_by_the_network() {
    let mut modem = ScriptedModem::new();
    modem
        .expect(b"AT\r", OK)
        .expect(b"ATE0\r", OK)
        .expect(b"AT+SAPBR=3,1,\"Contype\",\"GPRS\"\r", OK)
        .expect(b"AT+SAPBR=3,1,\"APN\",\"apn\"\r", OK)
        .expect(
            b"AT+SAPBR=2,1\r",
            &[&line("+SAPBR: 1,1,\"10.0.0.2\"")[..], OK].concat(),
        )
        .expect(b"AT+FTPTYPE=\"I\"\r", OK)
        .expect(b"AT+FTPREST=0\r", OK)
        .expect(b"AT+FTPGETPATH=\"/\"\r", OK)
        .expect(b"AT+FTPGETNAME=\"f\"\r", OK)
        .expect(
            b"AT+FTPGET=1\r",
            &[OK, &line("+SAPBR 1: DEACT"), &line("+FTPGET: 1,61")].concat(),
        );
    let mut session = Session::default();
    assert_eq!(session.bearer(), None);
    let up = session
        .bring_up(&BearerConfig {
            apn: "apn",
            ..BearerConfig::default()
        })
        .unwrap();
    let get = session.get("/", "f", 0).unwrap();
    let (_, log) = run(&mut session, &mut modem, b"");
    let error = JobError::Ftp {
        command: CommandName::FtpGet,
        error: SimcomFtpError::Net,
        transferred: 0,
    };
    assert_eq!(log.done, [(up, Ok(Outcome::BroughtUp)), (get, Err(error))]);
    assert_eq!(error.ftp_kind(), Some(SimcomErrorKind::Network));
    assert_eq!(session.bearer(), Some(false));
    assert!(
        log.events
            .iter()
            .any(|e| e == "Unsolicited(Urc(BearerDeact { cid: 1 }))"),
        "{:#?}",
        log.events
    );
}
