//! Scenario: a get cancelled while its read is in flight: the read is
//! consumed to its end but its data is not reported, the job ends
//! cancelled, and the session quits the running operation
//! (`AT+FTPSTATE`, then `AT+FTPQUIT`, whose `+FTPGET: 1,86` is reported as
//! unsolicited). A queued job cancelled ends at once; an ended one is
//! unknown.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_session::simcom::{Event, Session};
use cellftp_session::{Instant, UsageError};
use simcom_common::*;

#[test]
fn cancel_a_running_get_and_a_queued_job() {
    let mut session = Session::default();
    let get = session.get("/", "f", 0).unwrap();
    let queued = session.mkdir("/x").unwrap();
    session.cancel(queued).unwrap();
    assert_eq!(session.cancel(queued), Err(UsageError::UnknownJob));
    let mut ms = 0;
    let mut sent = Vec::new();
    let mut events = Vec::new();
    let mut step = |session: &mut Session, input: &[u8], sent: &mut Vec<Vec<u8>>| {
        // Past every guard time.
        ms += 100;
        let now = Instant::from_millis(ms);
        let n = session.handle_input(now, input);
        assert_eq!(n, input.len());
        while let Some(e) = session.poll_event() {
            // No data of the cancelled get is reported.
            assert!(!matches!(e, Event::Data { .. }), "{e:?}");
            events.push(format!("{e:?}"));
        }
        let now = Instant::from_millis(ms + 50);
        while let Some(t) = session.poll_transmit(now) {
            sent.push(t.to_vec());
        }
    };
    // Four preparation commands, the open, its URC, a read.
    step(&mut session, b"", &mut sent);
    for _ in 0..4 {
        step(&mut session, OK, &mut sent);
    }
    step(
        &mut session,
        &[OK, &line("+FTPGET: 1,1")[..]].concat(),
        &mut sent,
    );
    assert_eq!(sent.last().unwrap(), b"AT+FTPGET=2,1460\r");
    session.cancel(get).unwrap();
    step(
        &mut session,
        b"\r\n+FTPGET: 2,3\r\nabc\r\nOK\r\n",
        &mut sent,
    );
    assert_eq!(sent.last().unwrap(), b"AT+FTPSTATE\r");
    step(
        &mut session,
        &[&line("+FTPSTATE: 1")[..], OK].concat(),
        &mut sent,
    );
    assert_eq!(sent.last().unwrap(), b"AT+FTPQUIT\r");
    step(
        &mut session,
        &[OK, &line("+FTPGET: 1,86")[..]].concat(),
        &mut sent,
    );
    assert!(session.is_idle());
    assert_eq!(
        events,
        [
            "JobDone { job: JobId(1), result: Err(Cancelled) }",
            "JobDone { job: JobId(0), result: Err(Cancelled) }",
            "Unsolicited(Urc(Ftp { op: Get, status: Failed(ManualQuit) }))",
        ]
    );
    assert_eq!(session.cancel(get), Err(UsageError::UnknownJob));
}
