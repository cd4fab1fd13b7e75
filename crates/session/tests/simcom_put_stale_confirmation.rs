//! Scenario: a stray `+FTPPUT: 2,5` arrives right behind the credit, after
//! the caller gave its chunk but before `AT+FTPPUT=2,5` went out. It
//! cannot be that command's answer: it is reported as unsolicited, no byte
//! is written for it, and the announcement goes out as usual; the chunk's
//! bytes go only after its own confirmation, and the upload succeeds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_proto::simcom::PutOpt;
use cellftp_session::simcom::{Outcome, Session};
use cellftp_session::testing::ScriptedModem;
use simcom_common::*;

#[test]
fn a_confirmation_before_the_announcement_is_not_its_answer() {
    let credit = line("+FTPPUT: 1,1,1360");
    let mut modem = ScriptedModem::new();
    modem
        .expect(b"AT+FTPTYPE=\"I\"\r", OK)
        .expect(b"AT+FTPPUTOPT=\"STOR\"\r", OK)
        .expect(b"AT+FTPPUTPATH=\"/\"\r", OK)
        .expect(b"AT+FTPPUTNAME=\"log.txt\"\r", OK)
        .expect(
            b"AT+FTPPUT=1\r",
            &[OK, &credit[..], &line("+FTPPUT: 2,5")[..]].concat(),
        )
        .expect(b"AT+FTPPUT=2,5\r", &line("+FTPPUT: 2,5"))
        .expect(b"hello", &[OK, &credit].concat())
        .expect(
            b"AT+FTPPUT=2,0\r",
            &[OK, &line("+FTPPUT: 1,0")[..]].concat(),
        );
    let mut session = Session::default();
    let put = session.put("/", "log.txt", PutOpt::Stor).unwrap();
    let (_, log) = run(&mut session, &mut modem, b"hello");
    assert_eq!(log.done, [(put, Ok(Outcome::Uploaded { bytes: 5 }))]);
    assert!(
        log.events
            .iter()
            .any(|e| e.starts_with("Unsolicited(PutHeader { cnf: 5 })")),
        "{:#?}",
        log.events
    );
    let written = log
        .transmitted
        .iter()
        .filter(|t| t.as_slice() == b"hello")
        .count();
    assert_eq!(written, 1, "{:?}", log.transmitted);
}
