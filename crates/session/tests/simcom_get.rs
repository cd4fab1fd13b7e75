//! Scenario: `SPEC-simcom.md` §5.2, configure and get, the modem's replies
//! read three bytes at a time; the file holds bytes that look like the
//! modem's own lines (`\r\nOK\r\n`, `+FTPGET: 1,0`) and a NUL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_session::simcom::{Outcome, Session};
use cellftp_session::testing::ScriptedModem;
use simcom_common::*;

#[test]
fn configure_then_get_in_three_byte_reads() {
    for read_size in [3, 1, 2, 5, 64, 512] {
        configure_then_get(read_size);
    }
}

fn configure_then_get(read_size: usize) {
    let file: &[u8] = b"01\r\nOK\r\n+FTPGET: 1,0\r\n\0z";
    let mut modem = ScriptedModem::new();
    modem.read_size(read_size);
    expect_configure(&mut modem);
    modem
        .expect(b"AT+FTPTYPE=\"I\"\r", OK)
        .expect(b"AT+FTPREST=0\r", OK)
        .expect(b"AT+FTPGETPATH=\"/\"\r", OK)
        .expect(b"AT+FTPGETNAME=\"a.bin\"\r", OK)
        .expect(b"AT+FTPGET=1\r", b"\r\nOK\r\n\r\n+FTPGET: 1,1\r\n");
    let mut read = format!("\r\n+FTPGET: 2,{}\r\n", file.len()).into_bytes();
    read.extend_from_slice(file);
    read.extend_from_slice(OK);
    // The end of the transfer arrives with the read's answer.
    read.extend_from_slice(&line("+FTPGET: 1,0"));
    modem
        .expect(b"AT+FTPGET=2,1460\r", &read)
        .expect(b"AT+FTPGET=2,1460\r", b"\r\n+FTPGET: 2,0\r\n\r\nOK\r\n");

    let mut session = Session::default();
    let conf = session.configure(&FTP).unwrap();
    let get = session.get("/", "a.bin", 0).unwrap();
    let (_, log) = run(&mut session, &mut modem, b"");
    assert_eq!(log.data, file);
    assert_eq!(
        log.done,
        [
            (conf, Ok(Outcome::Configured)),
            (
                get,
                Ok(Outcome::Downloaded {
                    offset: 0,
                    bytes: file.len() as u64
                })
            )
        ]
    );
    assert_no_password(&session, &log, "secret");
}
