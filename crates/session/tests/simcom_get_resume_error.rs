//! Scenario: a get resumed at 4096 (`AT+FTPREST=4096`), whose `+FTPGET: 1,1`
//! arrives before the `OK` of `AT+FTPGET=1`; the server fails mid-transfer
//! with `+FTPGET: 1,79` during a read: the read is consumed by count, and
//! the job fails with the typed error and the bytes delivered.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_proto::simcom::{SimcomErrorKind, SimcomFtpError};
use cellftp_session::simcom::{JobError, Session};
use cellftp_session::testing::ScriptedModem;
use simcom_common::*;

#[test]
fn resumed_get_fails_with_download_error() {
    let mut modem = ScriptedModem::new();
    modem
        .expect(b"AT+FTPTYPE=\"I\"\r", OK)
        .expect(b"AT+FTPREST=4096\r", OK)
        .expect(b"AT+FTPGETPATH=\"/pub/\"\r", OK)
        .expect(b"AT+FTPGETNAME=\"big.bin\"\r", OK)
        // The URC before the OK that caused it.
        .expect(b"AT+FTPGET=1\r", b"\r\n+FTPGET: 1,1\r\n\r\nOK\r\n")
        .expect(b"AT+FTPGET=2,1460\r", b"\r\n+FTPGET: 2,4\r\nabcd\r\nOK\r\n")
        .expect(
            b"AT+FTPGET=2,1460\r",
            b"\r\n+FTPGET: 2,3\r\n+FT\r\n+FTPGET: 1,79\r\n\r\nOK\r\n",
        );
    let mut session = Session::default();
    let get = session.get("/pub", "big.bin", 4096).unwrap();
    let (_, log) = run(&mut session, &mut modem, b"");
    assert_eq!(log.data, b"abcd+FT");
    let error = JobError::Ftp {
        command: cellftp_proto::simcom::CommandName::FtpGet,
        error: SimcomFtpError::Download,
        transferred: 7,
    };
    assert_eq!(log.done, [(get, Err(error))]);
    assert_eq!(error.ftp_kind(), Some(SimcomErrorKind::Transfer));
    assert_eq!(
        error.to_string(),
        "AT+FTPGET failed: The download failed during the data transfer."
    );
    assert!(
        log.events.iter().any(|e| e.contains("offset: 4100")),
        "{:#?}",
        log.events
    );
}
