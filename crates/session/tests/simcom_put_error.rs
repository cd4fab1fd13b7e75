//! Scenario: an upload the server refuses mid-way: `+FTPPUT: 1,78` arrives
//! while a chunk's bytes are owed; the owed bytes are written all the same
//! (the modem counts them), the error URC closed the session so no
//! `AT+FTPPUT=2,0` follows, and the job fails with the typed error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_proto::simcom::{CommandName, PutOpt, SimcomFtpError};
use cellftp_session::simcom::{JobError, Session};
use cellftp_session::testing::ScriptedModem;
use simcom_common::*;

#[test]
fn upload_error_urc_while_bytes_are_owed() {
    let mut modem = ScriptedModem::new();
    modem
        .expect(b"AT+FTPTYPE=\"I\"\r", OK)
        .expect(b"AT+FTPPUTOPT=\"APPE\"\r", OK)
        .expect(b"AT+FTPPUTPATH=\"/\"\r", OK)
        .expect(b"AT+FTPPUTNAME=\"log.txt\"\r", OK)
        .expect(
            b"AT+FTPPUT=1\r",
            &[OK, &line("+FTPPUT: 1,1,1360")[..]].concat(),
        )
        .expect(
            b"AT+FTPPUT=2,5\r",
            &[&line("+FTPPUT: 2,5")[..], &line("+FTPPUT: 1,78")].concat(),
        )
        .expect(b"hello", OK);
    let mut session = Session::default();
    let put = session.put("/", "log.txt", PutOpt::Appe).unwrap();
    let (_, log) = run(&mut session, &mut modem, b"hello");
    assert_eq!(
        log.done,
        [(
            put,
            Err(JobError::Ftp {
                command: CommandName::FtpPut,
                error: SimcomFtpError::Upload,
                transferred: 0,
            })
        )]
    );
    assert_eq!(log.transmitted.last().unwrap(), b"hello");
}
