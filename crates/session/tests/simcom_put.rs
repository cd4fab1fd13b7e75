//! Scenario: a put of 3000 bytes, larger than one `<maxlength>` (1360):
//! each `+FTPPUT: 1,1,1360` is one credit; the modem confirms fewer bytes
//! than asked once (`+FTPPUT: 2,1000` for 1360), and exactly those are
//! written, the rest going in the next chunk; one credit arrives before
//! the chunk's `OK` (late); the upload ends with `AT+FTPPUT=2,0` and
//! succeeds on `+FTPPUT: 1,0`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_proto::simcom::PutOpt;
use cellftp_session::simcom::{Outcome, Session};
use cellftp_session::testing::ScriptedModem;
use simcom_common::*;

#[test]
fn put_larger_than_one_maxlength() {
    let file: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
    let credit = line("+FTPPUT: 1,1,1360");
    let mut modem = ScriptedModem::new();
    modem.read_size(7);
    modem
        .expect(b"AT+FTPTYPE=\"I\"\r", OK)
        .expect(b"AT+FTPPUTOPT=\"STOR\"\r", OK)
        .expect(b"AT+FTPPUTPATH=\"/up/\"\r", OK)
        .expect(b"AT+FTPPUTNAME=\"f.bin\"\r", OK)
        .expect(b"AT+FTPPUT=1\r", &[OK, &credit].concat())
        // Chunk 1: 1360 asked, 1000 confirmed.
        .expect(b"AT+FTPPUT=2,1360\r", &line("+FTPPUT: 2,1000"))
        .expect(&file[..1000], &[OK, &credit].concat())
        // The 360 left, then the next credit arrives before the OK.
        .expect(b"AT+FTPPUT=2,360\r", &line("+FTPPUT: 2,360"))
        .expect(&file[1000..1360], &[&credit[..], OK].concat())
        .expect(b"AT+FTPPUT=2,1360\r", &line("+FTPPUT: 2,1360"))
        .expect(&file[1360..2720], &[OK, &credit].concat())
        .expect(b"AT+FTPPUT=2,280\r", &line("+FTPPUT: 2,280"))
        .expect(&file[2720..], &[OK, &credit].concat())
        .expect(
            b"AT+FTPPUT=2,0\r",
            &[OK, &line("+FTPPUT: 1,0")[..]].concat(),
        );
    let mut session = Session::default();
    let put = session.put("/up", "f.bin", PutOpt::Stor).unwrap();
    let (_, log) = run(&mut session, &mut modem, &file);
    assert_eq!(log.done, [(put, Ok(Outcome::Uploaded { bytes: 3000 }))]);
    // Exactly the confirmed bytes were written, in order.
    let written: Vec<u8> = log
        .transmitted
        .iter()
        .filter(|t| !t.starts_with(b"AT"))
        .flatten()
        .copied()
        .collect();
    assert_eq!(written, file);
    let progress: Vec<&String> = log
        .events
        .iter()
        .filter(|e| e.starts_with("PutProgress"))
        .collect();
    assert_eq!(progress.len(), 4, "{progress:?}");
    assert!(progress[3].contains("bytes: 3000"));
}
