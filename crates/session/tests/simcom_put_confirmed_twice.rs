//! Scenario: the modem confirms one write twice. `AT+FTPPUT=2,5` is
//! answered `+FTPPUT: 2,5`, the five bytes are written, and `+FTPPUT: 2,5`
//! comes again before the final result. No byte more is written for the
//! second confirmation (the chunk's bytes were all written once); what the
//! modem counted is unknown, so the upload is ended with `AT+FTPPUT=2,0`
//! and the job fails with the protocol error instead of reporting five
//! bytes uploaded; the modem is then asked whether it is idle.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_proto::simcom::{CommandName, PutOpt};
use cellftp_session::simcom::{JobError, ProtocolError, Session};
use cellftp_session::testing::ScriptedModem;
use simcom_common::*;

#[test]
fn a_write_confirmed_twice_fails_the_upload() {
    let mut modem = ScriptedModem::new();
    modem
        .expect(b"AT+FTPTYPE=\"I\"\r", OK)
        .expect(b"AT+FTPPUTOPT=\"STOR\"\r", OK)
        .expect(b"AT+FTPPUTPATH=\"/\"\r", OK)
        .expect(b"AT+FTPPUTNAME=\"log.txt\"\r", OK)
        .expect(
            b"AT+FTPPUT=1\r",
            &[OK, &line("+FTPPUT: 1,1,1360")[..]].concat(),
        )
        .expect(b"AT+FTPPUT=2,5\r", &line("+FTPPUT: 2,5"))
        .expect(b"hello", &[&line("+FTPPUT: 2,5")[..], OK].concat())
        .expect(
            b"AT+FTPPUT=2,0\r",
            &[OK, &line("+FTPPUT: 1,0")[..]].concat(),
        )
        // A failure after the operation started: the modem is asked
        // whether it is idle before the next job (SPEC-simcom.md 4.6).
        .expect(b"AT+FTPSTATE\r", &[&line("+FTPSTATE: 0")[..], OK].concat());
    let mut session = Session::default();
    let put = session.put("/", "log.txt", PutOpt::Stor).unwrap();
    let (_, log) = run(&mut session, &mut modem, b"hello");
    assert_eq!(
        log.done,
        [(
            put,
            Err(JobError::Protocol {
                command: CommandName::FtpPut,
                error: ProtocolError::ConfirmedTwice { first: 5, again: 5 },
            })
        )]
    );
    let written = log
        .transmitted
        .iter()
        .filter(|t| t.as_slice() == b"hello")
        .count();
    assert_eq!(written, 1, "{:?}", log.transmitted);
    assert_eq!(
        JobError::Protocol {
            command: CommandName::FtpPut,
            error: ProtocolError::ConfirmedTwice { first: 5, again: 5 },
        }
        .to_string(),
        "protocol error during AT+FTPPUT: the modem confirmed one write twice (5 bytes, then 5): what it received is unknown"
    );
}
