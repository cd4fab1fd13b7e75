#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! `Session::raw`, and context deciding what a line is: `+CPIN: READY` and
//! `+CFUN: 1` are the answer when the command in flight asked for them
//! (`AT+CPIN?`, `AT+CFUN?`), and unsolicited codes (a `+CFUN: 1` a restart)
//! when they arrive unasked. Each case is fed whole, byte by byte, and cut
//! at every point.

#[macro_use]
mod harness;

use cellftp_proto::{CommandName, EncodeError, TextKind};
use cellftp_session::{Link, ModemError, Outcome, ProtocolError, UsageError, MAX_RAW_LINE};
use harness::*;

fn raw_line(job: u32, item: &str) -> Ev {
    Ev::RawLine {
        job,
        item: item.into(),
    }
}

/// Asked, `+CPIN: READY` is the raw job's answer: no unsolicited event, no
/// restart, the link untouched.
#[test]
fn an_asked_cpin_is_the_answer() {
    let answer = b"\r\n+CPIN: READY\r\n\r\nOK\r\n";
    for how in feeds(answer.len()) {
        let mut h = configured();
        let job = h.queue(|s| s.raw("AT+CPIN?"));
        recv!(h, b"AT+CPIN?\r");
        h.feed(answer, how);
        events!(
            h,
            raw_line(job, "Urc(Cpin(b\"READY\"))"),
            ok(job, Outcome::RawDone { lines: 1 })
        );
        assert_eq!(h.session.link(), Link::Up, "{how:?}");
    }
}

/// Asked, `+CFUN: 1` is the answer, not a restart; unasked, the same line
/// fails the running job as a restart.
#[test]
fn an_asked_cfun_is_the_answer_and_an_unasked_one_a_restart() {
    let answer = b"\r\n+CFUN: 1\r\n\r\nOK\r\n";
    for how in feeds(answer.len()) {
        let mut h = configured();
        let job = h.queue(|s| s.raw("AT+CFUN?"));
        recv!(h, b"AT+CFUN?\r");
        h.feed(answer, how);
        events!(
            h,
            raw_line(job, "Urc(Cfun(1))"),
            ok(job, Outcome::RawDone { lines: 1 })
        );
        assert_eq!(h.session.link(), Link::Up, "{how:?}");

        // The same line while another command is in flight: a restart.
        let job = h.queue(|s| s.raw("AT+CSQ"));
        recv!(h, b"AT+CSQ\r");
        h.feed(b"\r\n+CFUN: 1\r\n", how);
        events!(
            h,
            unsolicited("Urc(Cfun(1))"),
            failed(
                job,
                protocol(CommandName::At, ProtocolError::ModemRestarted)
            )
        );
        assert_eq!(h.session.link(), Link::Restarted, "{how:?}");
    }
}

/// Unasked, `+CPIN: READY` stays unsolicited, also while a raw job runs.
#[test]
fn an_unasked_cpin_stays_unsolicited() {
    let answer = b"\r\n+CPIN: READY\r\n\r\n+CSQ: 20,0\r\n\r\nOK\r\n";
    for how in feeds(answer.len()) {
        let mut h = configured();
        let job = h.queue(|s| s.raw("AT+CSQ"));
        recv!(h, b"AT+CSQ\r");
        h.feed(answer, how);
        events!(
            h,
            unsolicited("Urc(Cpin(b\"READY\"))"),
            raw_line(job, "Unknown(b\"+CSQ: 20,0\")"),
            ok(job, Outcome::RawDone { lines: 1 })
        );
    }
}

/// Unknown lines (`AT+GMR`'s version, even one starting with `AT`) are the
/// answer; the modem's error ends the job.
#[test]
fn lines_and_errors_of_a_raw_command() {
    let version = b"\r\nAT version:1.1.0.0\r\n\r\nOK\r\n";
    for how in feeds(version.len()) {
        let mut h = configured();
        let job = h.queue(|s| s.raw("AT+GMR"));
        recv!(h, b"AT+GMR\r");
        h.feed(version, how);
        events!(
            h,
            raw_line(job, "Unknown(b\"AT version:1.1.0.0\")"),
            ok(job, Outcome::RawDone { lines: 1 })
        );
        let job = h.queue(|s| s.raw("AT+CSQ"));
        recv!(h, b"AT+CSQ\r");
        h.feed(b"\r\n+CME ERROR: 10\r\n", how);
        events!(
            h,
            failed(
                job,
                modem(CommandName::At, ModemError::Cme { code: Some(10) })
            )
        );
    }
}

/// What `raw` refuses: no AT, a line break, too long, and the password.
#[test]
fn raw_refuses_what_it_cannot_send() {
    let mut h = configured();
    let refused = |h: &mut Harness, line: &str| h.session.raw(line).unwrap_err();
    assert_eq!(refused(&mut h, ""), UsageError::RawNotCommand);
    assert_eq!(refused(&mut h, "+CSQ"), UsageError::RawNotCommand);
    assert_eq!(
        refused(&mut h, "AT\r\nAT+FTPQUIT"),
        UsageError::Invalid(EncodeError::ForbiddenByte {
            field: TextKind::CommandLine,
            offset: 2,
            byte: Some(b'\r'),
        })
    );
    let long = format!("AT{}", "A".repeat(MAX_RAW_LINE));
    assert!(matches!(
        refused(&mut h, &long),
        UsageError::Invalid(EncodeError::TooLong { .. })
    ));
    for pw in [
        "AT+FTPPW=hunter2",
        "at+ftppw?",
        "AT+ FTPPW =x",
        "AT+FTPPW=?",
    ] {
        assert_eq!(refused(&mut h, pw), UsageError::RawPassword, "{pw}");
    }
    assert!(h.session.is_idle());
}

/// A raw line the command table does not know is named `AT` in errors,
/// but it is not the bring-up's probe: unanswered, it times out once and
/// is never sent again (a second copy's answer would answer the next job).
#[test]
fn an_unanswered_raw_line_times_out_and_is_not_sent_again() {
    let mut h = configured();
    let job = h.queue(|s| s.raw("AT+CSQ"));
    let q = h.queue(|s| s.query_config());
    recv!(h, b"AT+CSQ\r");
    h.wait(5_000);
    events!(
        h,
        failed(
            job,
            cellftp_session::JobError::Timeout {
                command: CommandName::At
            }
        )
    );
    resync(&mut h);
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
    h.end();
}
