#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The bring-up job: `AT` (retried while the modem boots), `ATE0`,
//! `AT+CFUN=1`, `AT+CGACT=1,<cid>`, each step optional, and how the probe
//! counts its attempts.

#[macro_use]
mod harness;

use cellftp_proto::CommandName;
use cellftp_session::{BringUp, Config, Link, Outcome};
use harness::*;

#[test]
fn default_bring_up() {
    let mut h = Harness::default();
    let job = h.queue(|s| s.bring_up(BringUp::default()));
    exchange!(h, b"AT\r" => OK);
    // The modem still echoes the line that turns echo off.
    exchange!(h, b"ATE0\r" => b"ATE0\r\r\nOK\r\n");
    exchange!(h, b"AT+CFUN=1\r" => b"\r\n+CPIN: READY\r\n\r\nOK\r\n");
    events!(h, unsolicited("Urc(Cpin(b\"READY\"))"));
    exchange!(h, b"AT+CGACT=1,1\r" => OK);
    events!(h, ok(job, Outcome::BroughtUp));
    assert_eq!(h.session.link(), Link::Unknown);
    h.end();
}

#[test]
fn bring_up_with_nothing_to_do_ends_at_once() {
    let mut h = Harness::default();
    let job = h.queue(|s| {
        s.bring_up(BringUp {
            probe: false,
            echo_off: false,
            full_functionality: false,
            pdp_context: None,
        })
    });
    events!(h, ok(job, Outcome::BroughtUp));
    h.end();
}

#[test]
fn bring_up_other_pdp_context() {
    let mut h = Harness::default();
    let job = h.queue(|s| {
        s.bring_up(BringUp {
            probe: false,
            echo_off: false,
            full_functionality: false,
            pdp_context: Some(3),
        })
    });
    exchange!(h, b"AT+CGACT=1,3\r" => OK);
    events!(h, ok(job, Outcome::BroughtUp));
    h.end();
}

#[test]
fn probe_is_retried_while_the_modem_boots() {
    let mut h = Harness::default();
    assert_eq!(h.session.config().probe_attempts, 3);
    let job = h.queue(|s| s.bring_up(BringUp::default()));
    recv!(h, b"AT\r");
    assert_eq!(h.timeout_in(), 5_000);
    h.wait(4_999);
    h.expect_no_tx();
    h.wait(1);
    // Second attempt, at once; the unanswered one is reported.
    events!(h, Ev::NoAnswer(CommandName::At));
    recv!(h, b"AT\r");
    assert_eq!(h.timeout_in(), 5_000);
    // The booting modem says RDY: expected during bring-up.
    send!(h, b"\r\nRDY\r\n");
    events!(h, unsolicited("Urc(Ready)"));
    h.wait(5_000);
    events!(h, Ev::NoAnswer(CommandName::At));
    exchange!(h, b"AT\r" => OK);
    // Which copy of `AT` the `OK` answered is unknown (the others' may
    // still come): the channel resynchronises before the next step
    // (`SPEC.md` §5 item 53).
    resync(&mut h);
    exchange!(h, b"ATE0\r" => OK);
    exchange!(h, b"AT+CFUN=1\r" => OK);
    exchange!(h, b"AT+CGACT=1,1\r" => OK);
    events!(h, ok(job, Outcome::BroughtUp));
    assert_eq!(h.transmitted.iter().filter(|l| l == &b"AT\r").count(), 3);
    h.end();
}

#[test]
fn probe_gives_up_after_probe_attempts() {
    for attempts in [1u8, 2, 3, 5] {
        let mut h = Harness::new(Config {
            probe_attempts: attempts,
            ..Config::default()
        });
        let job = h.queue(|s| s.bring_up(BringUp::default()));
        for i in 0..attempts {
            recv!(h, b"AT\r");
            events!(h);
            h.wait(5_000);
            if i + 1 < attempts {
                events!(h, Ev::NoAnswer(CommandName::At));
            }
        }
        events!(h, timed_out(job, CommandName::At));
        // The job failed without a final result: the next job waits for a
        // resync; none is queued, so nothing is sent.
        h.end();
    }
    // No attempt at all is refused when the session is made.
    let config = Config {
        probe_attempts: 0,
        ..Config::default()
    };
    assert!(cellftp_session::Session::new(config).is_err());
}

#[test]
fn probe_attempts_start_again_after_an_answer() {
    let mut h = Harness::new(Config {
        probe_attempts: 2,
        ..Config::default()
    });
    let first = h.queue(|s| {
        s.bring_up(BringUp {
            probe: true,
            echo_off: false,
            full_functionality: false,
            pdp_context: None,
        })
    });
    recv!(h, b"AT\r");
    h.wait(5_000);
    exchange!(h, b"AT\r" => OK);
    events!(
        h,
        Ev::NoAnswer(CommandName::At),
        ok(first, Outcome::BroughtUp)
    );
    let second = h.queue(|s| {
        s.bring_up(BringUp {
            probe: true,
            echo_off: false,
            full_functionality: false,
            pdp_context: None,
        })
    });
    // The first copy's answer may still come: in step again first
    // (`SPEC.md` §5 item 53).
    resync(&mut h);
    recv!(h, b"AT\r");
    h.wait(5_000);
    exchange!(h, b"AT\r" => OK);
    events!(
        h,
        Ev::NoAnswer(CommandName::At),
        ok(second, Outcome::BroughtUp)
    );
    h.end();
}

#[test]
fn cancelled_while_its_probe_waits_it_sends_nothing_more() {
    use cellftp_session::JobError;
    let mut h = Harness::default();
    let mut id = None;
    let job = h.queue(|s| {
        let queued = s.bring_up(BringUp::default());
        id = queued.ok();
        queued
    });
    recv!(h, b"AT\r");
    h.wait(5_000);
    // The retried `AT` is answered: the channel probes before the job's
    // next command, and the job is cancelled while the probe waits.
    exchange!(h, b"AT\r" => OK);
    let probe = h.next_tx();
    assert!(
        probe.starts_with(b"AT+FTPGETNAME=cellftp-sync-"),
        "{}",
        probe.escape_ascii()
    );
    h.session.cancel(id.unwrap()).unwrap();
    h.pump();
    let name = probe[b"AT+FTPGETNAME=".len()..probe.len() - 1].to_vec();
    send!(h, OK);
    recv!(h, b"AT+FTPGETNAME?\r");
    let mut answer = b"\r\n+FTPGETNAME: ".to_vec();
    answer.extend_from_slice(&name);
    answer.extend_from_slice(b"\r\n\r\nOK\r\n");
    send!(h, &answer);
    h.wait(100);
    // The probe done, the job ends cancelled without sending `ATE0`.
    let events = h.take_events();
    assert!(
        events.contains(&failed(job, JobError::Cancelled)),
        "{events:?}"
    );
    assert!(h.sent.is_empty(), "sent after the cancel: {:?}", h.sent);
    h.end();
}
