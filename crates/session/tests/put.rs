#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The put job: `AT+FTPPUTNAME`, then one `AT+FTPPUT=<len>,<data>` per chunk
//! the caller hands over on `PutReady` (at most the chunk size), then
//! `AT+FTPPUT=0`; and how a chunk that fails, times out or draws an
//! unexpected response closes the upload before the job fails.

#[macro_use]
mod harness;

use cellftp_proto::CommandName;
use cellftp_session::{
    Config, JobError, Link, ModemError, Outcome, ProtocolError, ResponseKind, UsageError,
};
use harness::*;

#[test]
fn put_in_chunks_limited_by_chunk_size() {
    let mut h = Harness::new(Config {
        chunk_size: 4,
        ..Config::default()
    });
    let job = h.queue(|s| s.put("log.bin"));
    exchange!(h, b"AT+FTPPUTNAME=log.bin\r" => OK);
    let mut file: &[u8] = b"0123456789";
    let mut sent = Vec::new();
    loop {
        events!(h, Ev::PutReady { job, max: 4 });
        if file.is_empty() {
            break;
        }
        let n = h.session.send_data(file).unwrap();
        assert_eq!(n, file.len().min(4));
        // One chunk at a time: no more until the modem has answered.
        assert_eq!(h.session.send_data(b"x"), Err(UsageError::NotAwaitingData));
        h.pump();
        let line = h.next_tx();
        sent.push(line.escape_ascii().to_string());
        send!(h, OK);
        file = &file[n..];
    }
    assert_eq!(
        sent,
        [
            "AT+FTPPUT=4,0123\\r",
            "AT+FTPPUT=4,4567\\r",
            "AT+FTPPUT=2,89\\r"
        ]
    );
    h.finish_put();
    exchange!(h, b"AT+FTPPUT=0\r" => OK);
    events!(h, ok(job, Outcome::Uploaded { bytes: 10 }));
    // Progress after every acknowledged chunk.
    assert_eq!(h.progress, [(job, 4), (job, 8), (job, 10)]);
    h.end();
}

/// `chunk_size` bounds each chunk; out of range, the session refuses the
/// configuration (`late_answers::config_is_validated`).
#[test]
fn chunk_size_bounds_each_chunk() {
    for (chunk_size, max) in [(1, 1), (1024, 1024)] {
        let mut h = Harness::new(Config {
            chunk_size,
            ..Config::default()
        });
        let job = h.queue(|s| s.put("a"));
        exchange!(h, b"AT+FTPPUTNAME=a\r" => OK);
        events!(h, Ev::PutReady { job, max });
        let big = vec![b'z'; 3000];
        assert_eq!(h.send_data(&big), max);
        let expected = [format!("AT+FTPPUT={max},").as_bytes(), &big[..max], b"\r"].concat();
        exchange!(h, &expected => OK);
        events!(h, Ev::PutReady { job, max });
        h.finish_put();
        exchange!(h, b"AT+FTPPUT=0\r" => OK);
        events!(h, ok(job, Outcome::Uploaded { bytes: max as u64 }));
        h.end();
    }
}

#[test]
fn empty_upload() {
    let mut h = Harness::default();
    let job = h.queue(|s| s.put("empty"));
    exchange!(h, b"AT+FTPPUTNAME=empty\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.finish_put();
    exchange!(h, b"AT+FTPPUT=0\r" => OK);
    events!(h, ok(job, Outcome::Uploaded { bytes: 0 }));
    h.end();
}

#[test]
fn put_chunk_failure_closes_the_upload_then_fails() {
    for (answer, error) in [
        (ERROR, ModemError::Error),
        (
            &b"\r\n+CME ERROR: 4\r\n"[..],
            ModemError::Cme { code: Some(4) },
        ),
    ] {
        let mut h = Harness::default();
        let job = h.queue(|s| s.put("12.txt"));
        exchange!(h, b"AT+FTPPUTNAME=12.txt\r" => OK);
        events!(h, Ev::PutReady { job, max: 512 });
        h.send_data(b"12");
        exchange!(h, b"AT+FTPPUT=2,12\r" => OK);
        events!(h, Ev::PutReady { job, max: 512 });
        h.send_data(b"345");
        exchange!(h, b"AT+FTPPUT=3,345\r" => answer);
        // No PutReady: the upload is closed at once.
        events!(h);
        assert_eq!(h.session.send_data(b"6"), Err(UsageError::NotAwaitingData));
        assert_eq!(h.session.finish_put(), Err(UsageError::NotAwaitingData));
        exchange!(h, b"AT+FTPPUT=0\r" => OK);
        let e = modem(CommandName::FtpPut, error);
        events!(h, failed(job, e));
        assert!(e.needs_configure());
        assert_eq!(h.session.link(), Link::Down);
        h.end();
    }
}

#[test]
fn put_chunk_failure_then_close_failure() {
    let mut h = Harness::default();
    let job = h.queue(|s| s.put("12.txt"));
    exchange!(h, b"AT+FTPPUTNAME=12.txt\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.send_data(b"12");
    exchange!(h, b"AT+FTPPUT=2,12\r" => b"\r\n+CME ERROR: 4\r\n");
    exchange!(h, b"AT+FTPPUT=0\r" => ERROR);
    // The close's own failure is the one reported.
    events!(
        h,
        failed(job, modem(CommandName::FtpPut, ModemError::Error))
    );
    h.end();
}

/// A response that belongs to another command (here a download chunk) while
/// a chunk waits for its answer is reported as unsolicited, and no more data
/// is asked for: after the next final result the upload is closed with
/// `AT+FTPPUT=0`, and the close's final result ends the job with the
/// unexpected response. The modem's answers were out of step, so neither
/// final result is trusted, and the next job waits for a resync.
#[test]
fn unexpected_response_during_a_chunk_closes_the_upload_then_fails() {
    let mut h = configured();
    let job = h.queue(|s| s.put("12.txt"));
    exchange!(h, b"AT+FTPPUTNAME=12.txt\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.send_data(b"12");
    recv!(h, b"AT+FTPPUT=2,12\r");
    // A download chunk has no business here; the chunk's own answer follows.
    send!(h, b"\r\n+FTPGET:1,x\r\n");
    events!(h, unsolicited(r#"FtpGet { len: 1, data: b"x" }"#));
    assert_eq!(h.session.send_data(b"3"), Err(UsageError::NotAwaitingData));
    send!(h, OK);
    events!(h);
    // No more data is asked for: the upload is closed, then the job fails.
    exchange!(h, b"AT+FTPPUT=0\r" => OK);
    events!(
        h,
        failed(
            job,
            protocol(
                CommandName::FtpPut,
                ProtocolError::Unexpected(ResponseKind::FtpGet)
            )
        )
    );
    // No job waits: no resync probe yet.
    h.end();
}

/// A chunk that times out does not fail the job at once: the upload is
/// closed with `AT+FTPPUT=0` at once (no resync probe first: a modem that
/// never answers it would keep the upload open), and the close's final
/// result ends the job with the chunk's timeout. That final result may be
/// the chunk's own, late, so the close's answer may still come: the next
/// job waits for the resynchronisation. The bytes acknowledged before
/// count for nothing: the job failed.
#[test]
fn put_chunk_timeout_closes_the_upload_then_fails() {
    let mut h = configured();
    let job = h.queue(|s| s.put("12.txt"));
    let q = h.queue(|s| s.query_config());
    exchange!(h, b"AT+FTPPUTNAME=12.txt\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.send_data(b"12");
    exchange!(h, b"AT+FTPPUT=2,12\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.send_data(b"345");
    recv!(h, b"AT+FTPPUT=3,345\r");
    assert_eq!(h.timeout_in(), 30_000);
    h.wait(29_999);
    events!(h);
    h.wait(1);
    // No event, no PutReady: the close goes after the guard time.
    events!(h);
    assert_eq!(h.session.send_data(b"6"), Err(UsageError::NotAwaitingData));
    assert_eq!(h.session.finish_put(), Err(UsageError::NotAwaitingData));
    h.expect_no_tx();
    assert_eq!(h.timeout_in(), 20);
    recv!(h, b"AT+FTPPUT=0\r");
    assert_eq!(h.timeout_in(), 60_000);
    h.wait(59_999);
    events!(h);
    send!(h, OK);
    let e = JobError::Timeout {
        command: CommandName::FtpPut,
    };
    events!(h, failed(job, e));
    assert!(e.needs_configure());
    assert_eq!(h.session.link(), Link::Down);
    // The final result the close got may have been the chunk's: the
    // session resynchronises before the next job.
    resync(&mut h);
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
    h.end();
}

/// After a chunk's timeout, the close can fail too: by a failure final
/// result, which may be the chunk's own, late, and is not trusted (the
/// chunk's timeout is reported), or by its own timeout (the chunk's
/// timeout is reported). Either way the resync probe goes before the next
/// job.
#[test]
fn put_chunk_timeout_then_the_close_fails() {
    // The close gets ERROR.
    let mut h = configured();
    let job = h.queue(|s| s.put("a"));
    exchange!(h, b"AT+FTPPUTNAME=a\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.send_data(b"abc");
    recv!(h, b"AT+FTPPUT=3,abc\r");
    h.wait(30_000);
    events!(h);
    exchange!(h, b"AT+FTPPUT=0\r" => ERROR);
    events!(h, timed_out(job, CommandName::FtpPut));
    h.end();

    // The close times out.
    let mut h = configured();
    let job = h.queue(|s| s.put("a"));
    exchange!(h, b"AT+FTPPUTNAME=a\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.send_data(b"abc");
    recv!(h, b"AT+FTPPUT=3,abc\r");
    h.wait(30_000);
    events!(h);
    recv!(h, b"AT+FTPPUT=0\r");
    h.wait(60_000);
    events!(h, timed_out(job, CommandName::FtpPut));
    assert_eq!(h.session.link(), Link::Down);
    // No job waits: the resync probe waits for one.
    h.end();
}

#[test]
fn put_timeouts() {
    // A chunk.
    let mut h = configured();
    let job = h.queue(|s| s.put("a"));
    exchange!(h, b"AT+FTPPUTNAME=a\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.send_data(b"abc");
    recv!(h, b"AT+FTPPUT=3,abc\r");
    assert_eq!(h.timeout_in(), 30_000);
    h.wait(30_000);
    // Not yet failed: the upload is closed first, after the guard time,
    // and no resync probe comes before the close.
    events!(h);
    assert_eq!(h.session.send_data(b"d"), Err(UsageError::NotAwaitingData));
    assert_eq!(h.session.finish_put(), Err(UsageError::NotAwaitingData));
    assert_eq!(h.timeout_in(), 20);
    recv!(h, b"AT+FTPPUT=0\r");
    assert_eq!(h.timeout_in(), 60_000);
    send!(h, OK);
    events!(h, timed_out(job, CommandName::FtpPut));
    assert_eq!(h.session.link(), Link::Down);
    h.end();

    // The close.
    let mut h = configured();
    let job = h.queue(|s| s.put("a"));
    exchange!(h, b"AT+FTPPUTNAME=a\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.finish_put();
    recv!(h, b"AT+FTPPUT=0\r");
    h.wait(59_999);
    events!(h);
    h.wait(1);
    events!(h, timed_out(job, CommandName::FtpPut));
    // The close failed without its final result: the next job waits for
    // a resync.
    h.end();
}

#[test]
fn waiting_for_upload_data_has_no_timeout() {
    let mut h = configured();
    let job = h.queue(|s| s.put("a"));
    exchange!(h, b"AT+FTPPUTNAME=a\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    assert_eq!(h.timeout, None);
    h.wait(1_000_000);
    events!(h);
    h.finish_put();
    exchange!(h, b"AT+FTPPUT=0\r" => OK);
    events!(h, ok(job, Outcome::Uploaded { bytes: 0 }));
    h.end();
}

/// A chunk's answer that comes after its timeout is the modem's answer to
/// the chunk, not to the close that followed: the close's own answer comes
/// later still. The upload is closed at once all the same (without it the
/// modem stays in upload mode), but what the close gets is not trusted, and
/// the next job waits for the resynchronisation: the close's late answer
/// never answers the next job's command.
#[test]
fn late_answers_after_a_chunk_timeout_never_answer_the_next_job() {
    let mut h = configured();
    let job = h.queue(|s| s.put("12.txt"));
    let q = h.queue(|s| s.query_config());
    exchange!(h, b"AT+FTPPUTNAME=12.txt\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.send_data(b"345");
    recv!(h, b"AT+FTPPUT=3,345\r");
    h.wait(30_000);
    events!(h);
    recv!(h, b"AT+FTPPUT=0\r");
    // The modem answers the chunk now, late; the close is still to come.
    send!(h, OK);
    events!(
        h,
        failed(
            job,
            JobError::Timeout {
                command: CommandName::FtpPut
            }
        )
    );
    let line = h.next_tx();
    // The modem answers the close, late: whatever went out after the
    // failed upload, this is not its answer.
    send!(h, OK);
    events!(h);
    assert!(
        line.starts_with(b"AT+FTPGETNAME=cellftp-sync-"),
        "not a resync probe: {}",
        line.escape_ascii()
    );
    let name = String::from_utf8(line[b"AT+FTPGETNAME=".len()..line.len() - 1].to_vec()).unwrap();
    recv!(h, b"AT+FTPGETNAME?\r");
    // The probe's name answered, late too: stale.
    send!(h, OK);
    events!(h, unsolicited("Ok"));
    send!(
        h,
        format!("\r\n+FTPGETNAME: {name}\r\n\r\nOK\r\n").as_bytes()
    );
    exchange!(h, b"AT+FTPSCON\r" => b"\r\n+FTPSCON: mode 1\r\n\r\nOK\r\n");
    events!(
        h,
        Ev::Config {
            job: q,
            item: "Info(Info { name: FtpScon, value: Text(b\"mode 1\") })".into()
        },
        ok(q, Outcome::ConfigReported { items: 1 })
    );
    h.end();
}

/// A response of another command's kind while a chunk is in flight shows
/// that the modem's answers are out of step with its commands: the final
/// result that follows may be an earlier command's, and the chunk's own
/// answer may come after the close went out. Neither is trusted: the job
/// fails with the unexpected response, whatever the chunk and the close
/// get, and the next job waits for the resynchronisation.
#[test]
fn answers_after_an_unexpected_response_during_a_chunk_are_not_trusted() {
    let mut h = configured();
    let job = h.queue(|s| s.put("12.txt"));
    let raw = h.queue(|s| s.raw("AT+CSQ"));
    exchange!(h, b"AT+FTPPUTNAME=12.txt\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.send_data(b"345");
    recv!(h, b"AT+FTPPUT=3,345\r");
    // A late download chunk and its final result, then the chunk's own
    // answer, ERROR.
    send!(h, b"\r\n+FTPGET:1,x\r\n\r\nOK\r\n");
    events!(h, unsolicited(r#"FtpGet { len: 1, data: b"x" }"#));
    recv!(h, b"AT+FTPPUT=0\r");
    send!(h, ERROR);
    events!(
        h,
        failed(
            job,
            protocol(
                CommandName::FtpPut,
                ProtocolError::Unexpected(ResponseKind::FtpGet)
            )
        )
    );
    let line = h.next_tx();
    // The close's own answer.
    send!(h, OK);
    events!(h);
    assert!(
        line.starts_with(b"AT+FTPGETNAME=cellftp-sync-"),
        "not a resync probe: {}",
        line.escape_ascii()
    );
    let name = String::from_utf8(line[b"AT+FTPGETNAME=".len()..line.len() - 1].to_vec()).unwrap();
    recv!(h, b"AT+FTPGETNAME?\r");
    send!(h, OK);
    events!(h, unsolicited("Ok"));
    send!(
        h,
        format!("\r\n+FTPGETNAME: {name}\r\n\r\nOK\r\n").as_bytes()
    );
    exchange!(h, b"AT+CSQ\r" => ERROR);
    events!(h, failed(raw, modem(CommandName::At, ModemError::Error)));
    h.end();
}
