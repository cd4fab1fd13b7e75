//! Scenario: mkdir refused by the server (`+FTPMKD: 1,77`, a file
//! operation fault), rmdir whose URC arrives before its `OK`, delete, and
//! size (binary type first), each setting its own path and name.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_proto::simcom::{CommandName, SimcomErrorKind, SimcomFtpError};
use cellftp_session::simcom::{JobError, Outcome, Session};
use cellftp_session::testing::ScriptedModem;
use simcom_common::*;

#[test]
fn directory_and_file_operations() {
    let mut modem = ScriptedModem::new();
    modem
        .expect(b"AT+FTPGETPATH=\"/new/\"\r", OK)
        .expect(b"AT+FTPMKD\r", &[OK, &line("+FTPMKD: 1,77")[..]].concat())
        .expect(b"AT+FTPGETPATH=\"/old/\"\r", OK)
        .expect(b"AT+FTPRMD\r", &[&line("+FTPRMD: 1,0")[..], OK].concat())
        .expect(b"AT+FTPGETPATH=\"/\"\r", OK)
        .expect(b"AT+FTPGETNAME=\"a, b.txt\"\r", OK)
        .expect(b"AT+FTPDELE\r", &[OK, &line("+FTPDELE: 1,0")[..]].concat())
        .expect(b"AT+FTPTYPE=\"I\"\r", OK)
        .expect(b"AT+FTPGETPATH=\"/\"\r", OK)
        .expect(b"AT+FTPGETNAME=\"a.bin\"\r", OK)
        .exchange(cellftp_session::testing::Exchange::split(
            b"AT+FTPSIZE\r",
            &[
                (core::time::Duration::ZERO, OK),
                // The server takes its time: a late URC, within 75 s.
                (
                    core::time::Duration::from_secs(60),
                    b"\r\n+FTPSIZE: 1,0,10\r\n",
                ),
            ],
        ));
    let mut session = Session::default();
    let mkd = session.mkdir("/new").unwrap();
    let rmd = session.rmdir("/old/").unwrap();
    let del = session.delete("/", "a, b.txt").unwrap();
    let size = session.size("/", "a.bin").unwrap();
    let (_, log) = run(&mut session, &mut modem, b"");
    let refused = JobError::Ftp {
        command: CommandName::FtpMkd,
        error: SimcomFtpError::Operate,
        transferred: 0,
    };
    assert_eq!(refused.ftp_kind(), Some(SimcomErrorKind::FileOperation));
    assert_eq!(
        log.done,
        [
            (mkd, Err(refused)),
            (rmd, Ok(Outcome::DirectoryRemoved)),
            (del, Ok(Outcome::Deleted)),
            (size, Ok(Outcome::Size { bytes: 10 })),
        ]
    );
}
