//! Scenario: a listing whose reads end mid-line (`SPEC-simcom.md` §6 item
//! 25), whose buffer empties once (`+FTPLIST: 2,0` before the end, then a
//! new `+FTPLIST: 1,1`), and whose last line has no line end.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_session::simcom::{Outcome, Session};
use cellftp_session::testing::ScriptedModem;
use simcom_common::*;

fn read(data: &str) -> Vec<u8> {
    [
        format!("\r\n+FTPLIST: 2,{}\r\n", data.len()).as_bytes(),
        data.as_bytes(),
        OK,
    ]
    .concat()
}

#[test]
fn listing_lines_span_reads() {
    let first = "drwxr-xr-x  2 ftp ftp  4096 Jan  1  2024 docs\r\n-rw-r--r--  1 ftp ";
    let second = "ftp     5 Sep 30 01:52 12.txt\r\n";
    let third = "-rw-r--r--  1 ftp ftp    10 Jan 01 00:00 a.bin";
    let mut modem = ScriptedModem::new();
    modem
        .expect(b"AT+FTPGETPATH=\"/pub/\"\r", OK)
        .expect(
            b"AT+FTPLIST=1\r",
            &[OK, &line("+FTPLIST: 1,1")[..]].concat(),
        )
        .expect(b"AT+FTPLIST=2,1460\r", &read(first))
        .expect(b"AT+FTPLIST=2,1460\r", &read(second))
        .expect(
            b"AT+FTPLIST=2,1460\r",
            &[&b"\r\n+FTPLIST: 2,0\r\n"[..], OK, &line("+FTPLIST: 1,1")].concat(),
        )
        .expect(
            b"AT+FTPLIST=2,1460\r",
            &[read(third), line("+FTPLIST: 1,0")].concat(),
        )
        .expect(
            b"AT+FTPLIST=2,1460\r",
            &[&b"\r\n+FTPLIST: 2,0\r\n"[..], OK].concat(),
        );
    let mut session = Session::default();
    let list = session.list("/pub/").unwrap();
    let (_, log) = run(&mut session, &mut modem, b"");
    let lines: Vec<String> = log
        .lines
        .iter()
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect();
    assert_eq!(
        lines,
        [
            "drwxr-xr-x  2 ftp ftp  4096 Jan  1  2024 docs",
            "-rw-r--r--  1 ftp ftp     5 Sep 30 01:52 12.txt",
            third,
        ]
    );
    assert_eq!(
        log.done,
        [(
            list,
            Ok(Outcome::Listed {
                entries: 3,
                lines: 3
            })
        )]
    );
    // Every line was reported before the job's end.
    assert!(log.events.last().unwrap().starts_with("JobDone"));
}
