#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! What the modem says unasked: URCs between and inside responses, stray
//! final results, PDP deactivation, power-down, and restarts (`RDY`,
//! `+CFUN: 1`), which fail the running job and make the session forget the
//! modem's settings until a configure job succeeds.

#[macro_use]
mod harness;

use cellftp_proto::{CommandName, ServCode};
use cellftp_session::{
    BringUp, JobError, Link, ModemError, Outcome, ProtocolError, Session, UsageError,
};
use harness::*;

#[test]
fn urcs_between_and_inside_responses() {
    let mut h = configured();
    send!(h, b"\r\n+CPIN: READY\r\n");
    events!(h, unsolicited("Urc(Cpin(b\"READY\"))"));
    let job = h.queue(|s| s.list(None));
    exchange!(
        h,
        b"AT+FTPLIST\r" =>
        b"\r\n+CPIN: READY\r\n\r\n+FTPLIST:1,48\r\n-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\n\r\n+CGEV: ME PDN ACT 1\r\n\r\nOK\r\n"
    );
    events!(
        h,
        unsolicited("Urc(Cpin(b\"READY\"))"),
        list_line(job, LISTING_LINE, file("12.txt", 5)),
        unsolicited("Urc(Cgev(b\"ME PDN ACT 1\"))"),
        ok(
            job,
            Outcome::Listed {
                entries: 1,
                lines: 1
            }
        )
    );
    assert_eq!(h.session.link(), Link::Up);
    let job = h.queue(|s| s.get("12.txt", 0));
    exchange!(
        h,
        b"AT+FTPGETNAME=12.txt\r" =>
        b"\r\n+CGEV: NW DETACH\r\n\r\nOK\r\n\r\nNORMAL POWER DOWN\r\n"
    );
    events!(
        h,
        unsolicited("Urc(Cgev(b\"NW DETACH\"))"),
        unsolicited("Urc(PowerDown(b\"NORMAL POWER DOWN\"))"),
    );
    // A power-down marks the connection down (the modem forgot everything),
    // but the running job goes on.
    assert_eq!(h.session.link(), Link::Restarted);
    exchange!(
        h,
        b"AT+FTPGET\r" =>
        b"\r\n+FTPGET:2,ab\r\n\r\n+CPIN: READY\r\n\r\n+FTPGET:2,cd\r\n\r\n+CFUN: 4\r\n\r\nOK\r\n"
    );
    events!(
        h,
        data(job, 0, b"ab"),
        unsolicited("Urc(Cpin(b\"READY\"))"),
        data(job, 2, b"cd"),
        unsolicited("Urc(Cfun(4))"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: 4
            }
        )
    );
    // Unknown lines, stray results and overlong lines are reported too.
    send!(h, b"\r\nhello\r\n\r\nOK\r\n");
    events!(h, unsolicited("Unknown(b\"hello\")"), unsolicited("Ok"));
    let mut long = vec![b'x'; 1500];
    long.extend_from_slice(b"\r\n");
    send!(h, &long);
    events!(
        h,
        unsolicited("Overlong(1024)"),
        unsolicited("Overlong(476)")
    );
    assert_eq!(h.session.link(), Link::Restarted);
    h.end();
}

#[test]
fn stray_final_results_are_unsolicited() {
    let mut h = Harness::default();
    send!(h, b"\r\nOK\r\n\r\nERROR\r\n\r\n+CME ERROR: 3\r\n");
    events!(
        h,
        unsolicited("Ok"),
        unsolicited("Error"),
        unsolicited("CmeError(Code(3))")
    );
    // An answer before the command was sent (during the guard time) does
    // not count for it.
    let q = h.queue(|s| s.query_config());
    recv!(h, b"AT+FTPSCON\r");
    send!(h, OK);
    events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
    let q = h.queue(|s| s.query_config());
    assert!(h.sent.is_empty());
    send!(h, OK);
    events!(h, unsolicited("Ok"));
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
    h.end();
}

#[test]
fn pdp_deactivation_loses_the_connection() {
    let mut h = configured();
    let job = h.queue(|s| s.mkdir("/a"));
    exchange!(h, b"AT+FTPMKD=/a\r" => b"\r\n+PDP: DEACT\r\n\r\nERROR\r\n");
    events!(
        h,
        unsolicited("Urc(PdpDeact)"),
        failed(job, modem(CommandName::FtpMkd, ModemError::Error))
    );
    assert_eq!(h.session.link(), Link::Down);
    let job = h.queue(|s| s.list(None));
    events!(h, failed(job, JobError::NotConfigured));
    h.end();
}

/// `NORMAL POWER DOWN` and `POWERED DOWN` mark the connection down, like a
/// restart, and the modem's settings forgotten; the running job is not
/// failed. Jobs that need the connection then fail with `NotConfigured`
/// until a configure job succeeds.
#[test]
fn power_down_marks_the_connection_down() {
    for (urc, debug) in [
        (
            &b"\r\nNORMAL POWER DOWN\r\n"[..],
            "Urc(PowerDown(b\"NORMAL POWER DOWN\"))",
        ),
        (b"\r\nPOWERED DOWN\r\n", "Urc(PowerDown(b\"POWERED DOWN\"))"),
    ] {
        let mut h = configured();
        resumed_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r", b"AT+FTPRESET=2\r"]);
        let mk = h.queue(|s| s.mkdir("a"));
        let list = h.queue(|s| s.list(None));
        let q = h.queue(|s| s.query_config());
        recv!(h, b"AT+FTPMKD=a\r");
        send!(h, urc);
        events!(h, unsolicited(debug));
        assert_eq!(h.session.link(), Link::Restarted);
        // The running job ends by its own final result.
        h.expect_no_tx();
        send!(h, OK);
        events!(
            h,
            ok(mk, Outcome::DirectoryCreated),
            failed(list, JobError::NotConfigured)
        );
        exchange!(h, b"AT+FTPSCON\r" => OK);
        events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
        // While idle too.
        send!(h, urc);
        events!(h, unsolicited(debug));
        for verb in [
            (|s: &mut Session| s.put("a")) as fn(&mut Session) -> _,
            |s| s.get("a", 0),
            |s| s.list(None),
            |s| s.mkdir("a"),
            |s| s.rmdir("a"),
        ] {
            let job = h.queue(verb);
            events!(h, failed(job, JobError::NotConfigured));
        }
        let conf = h.queue(|s| s.configure(&MANUAL_FTP));
        manual_configure(&mut h, conf);
        // The offset was forgotten: the resumed get sets it again.
        resumed_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r", b"AT+FTPRESET=2\r"]);
        h.end();
    }
}

/// A power-down that comes while a command waits does not end it: with no
/// answer, it times out as usual (then the resync probe goes).
#[test]
fn power_down_then_silence_times_out() {
    let mut h = configured();
    let mk = h.queue(|s| s.mkdir("a"));
    recv!(h, b"AT+FTPMKD=a\r");
    send!(h, b"\r\nNORMAL POWER DOWN\r\n");
    events!(h, unsolicited("Urc(PowerDown(b\"NORMAL POWER DOWN\"))"));
    assert_eq!(h.timeout_in(), 30_000);
    h.wait(30_000);
    events!(h, timed_out(mk, CommandName::FtpMkd));
    assert_eq!(h.session.link(), Link::Restarted);
    // No job waits: no probe.
    h.end();
}

#[test]
fn modem_restart_fails_the_running_job() {
    for restart in [&b"\r\nRDY\r\n"[..], b"\r\n+CFUN: 1\r\n"] {
        let mut h = configured();
        let get = h.queue(|s| s.get("12.txt", 2));
        let list = h.queue(|s| s.list(None));
        let mkdir = h.queue(|s| s.mkdir("x"));
        let query = h.queue(|s| s.query_config());
        exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
        exchange!(h, b"AT+FTPRESET=2\r" => OK);
        recv!(h, b"AT+FTPGET\r");
        send!(h, restart);
        let urc = if restart.len() == 7 {
            "Urc(Ready)"
        } else {
            "Urc(Cfun(1))"
        };
        events!(
            h,
            unsolicited(urc),
            failed(
                get,
                protocol(CommandName::FtpGet, ProtocolError::ModemRestarted)
            ),
            failed(list, JobError::NotConfigured),
            failed(mkdir, JobError::NotConfigured),
        );
        assert_eq!(h.session.link(), Link::Restarted);
        // Jobs that do not need the connection run, after a resync: what
        // the modem was sent before it restarted may still be answered.
        // The probe waits until the restart burst has been quiet for 2 s.
        assert_eq!(h.timeout_in(), 2_000);
        h.wait(2_000);
        resync(&mut h);
        exchange!(h, b"AT+FTPSCON\r" => OK);
        events!(h, ok(query, Outcome::ConfigReported { items: 0 }));

        // Until configure succeeds, connection jobs are refused.
        let conf = h.queue(|s| s.configure(&MANUAL_FTP));
        let put = h.queue(|s| s.put("x"));
        exchange!(h, b"AT+FTPPORT=15881\r" => OK);
        exchange!(h, b"AT+FTPMODE=1\r" => OK);
        exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => b"\r\n+FTPSERV:1\r\n\r\nOK\r\n");
        events!(
            h,
            failed(
                conf,
                modem(
                    CommandName::FtpServ,
                    ModemError::Serv(ServCode::PdpNotActive)
                )
            ),
            failed(put, JobError::NotConfigured)
        );
        let conf = h.queue(|s| s.configure(&MANUAL_FTP));
        manual_configure(&mut h, conf);
        // The restart forgot the offset (the configure job set the type
        // again): the resumed get sets the offset again.
        resumed_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r", b"AT+FTPRESET=2\r"]);
        h.end();
    }
}

/// A restart during bring-up does not fail it (a booting modem says `RDY`),
/// but the modem has forgotten its FTP settings all the same.
#[test]
fn modem_restart_during_bring_up_forgets_the_settings() {
    let mut h = configured();
    resumed_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r", b"AT+FTPRESET=2\r"]);
    let up = h.queue(|s| s.bring_up(BringUp::default()));
    recv!(h, b"AT\r");
    send!(h, b"\r\nRDY\r\n");
    events!(h, unsolicited("Urc(Ready)"));
    h.wait(5_000);
    exchange!(h, b"AT\r" => OK);
    // A retried `AT` was answered: in step again before `ATE0`
    // (`SPEC.md` §5 item 53).
    resync(&mut h);
    exchange!(h, b"ATE0\r" => OK);
    exchange!(h, b"AT+CFUN=1\r" => OK);
    exchange!(h, b"AT+CGACT=1,1\r" => OK);
    events!(h, Ev::NoAnswer(CommandName::At), ok(up, Outcome::BroughtUp));
    assert_eq!(h.session.link(), Link::Down);
    let get = h.queue(|s| s.get("12.txt", 2));
    events!(h, failed(get, JobError::NotConfigured));
    let conf = h.queue(|s| s.configure(&MANUAL_FTP));
    manual_configure(&mut h, conf);
    // The offset is set again: the restarted modem starts from 0.
    resumed_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r", b"AT+FTPRESET=2\r"]);
    h.end();
}

#[test]
fn modem_restart_while_waiting_for_upload_data() {
    let mut h = configured();
    let put = h.queue(|s| s.put("a"));
    exchange!(h, b"AT+FTPPUTNAME=a\r" => OK);
    events!(h, Ev::PutReady { job: put, max: 512 });
    send!(h, b"\r\nRDY\r\n");
    events!(
        h,
        unsolicited("Urc(Ready)"),
        failed(
            put,
            protocol(CommandName::At, ProtocolError::ModemRestarted)
        ),
    );
    assert_eq!(h.session.send_data(b"x"), Err(UsageError::NotAwaitingData));
    assert_eq!(h.session.link(), Link::Restarted);
    h.end();
}

#[test]
fn modem_restart_while_idle() {
    let mut h = configured();
    send!(h, b"\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n");
    events!(
        h,
        unsolicited("Urc(Ready)"),
        unsolicited("Urc(Cfun(1))"),
        unsolicited("Urc(Cpin(b\"READY\"))"),
    );
    assert_eq!(h.session.link(), Link::Restarted);
    h.end();
}

#[test]
fn cfun_1_after_at_cfun_is_not_a_restart() {
    let mut h = Harness::default();
    let up = h.queue(|s| {
        s.bring_up(BringUp {
            pdp_context: None,
            ..MANUAL_BRING_UP
        })
    });
    let conf = h.queue(|s| s.configure(&MANUAL_FTP));
    // The answer to AT+CFUN=1 may come with, or after, its OK.
    exchange!(h, b"AT+CFUN=1\r" => OK);
    events!(h, ok(up, Outcome::BroughtUp));
    exchange!(h, b"AT+FTPPORT=15881\r" => b"\r\n+CFUN: 1\r\n\r\nOK\r\n");
    events!(h, unsolicited("Urc(Cfun(1))"));
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => b"\r\n+FTPSERV:0\r\n\r\nOK\r\n");
    exchange!(h, b"AT+FTPUN=xs\r" => OK);
    exchange!(h, b"AT+FTPPW=123\r" => OK);
    exchange!(h, b"AT+FTPTYPE=I\r" => OK);
    events!(h, ok(conf, Outcome::Configured));
    // Inside the AT+CFUN response itself, too.
    let up = h.queue(|s| s.bring_up(MANUAL_BRING_UP));
    exchange!(h, b"AT+CFUN=1\r" => b"\r\n+CFUN: 1\r\n\r\nOK\r\n");
    events!(h, unsolicited("Urc(Cfun(1))"));
    exchange!(h, b"AT+CGACT=1,1\r" => OK);
    events!(h, ok(up, Outcome::BroughtUp));
    assert_eq!(h.session.link(), Link::Up);
    h.end();
}

/// `+CFUN: 1` is expected only around `AT+CFUN`: once a later command has
/// been answered, it means a restart again.
#[test]
fn cfun_1_long_after_at_cfun_is_a_restart() {
    // Brought up with `AT+CFUN=1`, then seven more commands answered.
    let mut h = configured();
    let job = h.queue(|s| s.get("a", 0));
    exchange!(h, b"AT+FTPGETNAME=a\r" => OK);
    recv!(h, b"AT+FTPGET\r");
    send!(h, b"\r\n+CFUN: 1\r\n");
    events!(
        h,
        unsolicited("Urc(Cfun(1))"),
        failed(
            job,
            protocol(CommandName::FtpGet, ProtocolError::ModemRestarted)
        ),
    );
    assert_eq!(h.session.link(), Link::Restarted);
    h.end();
}

/// A real modem answers as soon as it is up, while the rest of its restart
/// burst (`+CFUN: 1`, `+CPIN: READY`) still trickles in over a second or
/// more. The session sends nothing until the burst has been quiet for
/// `Timeouts::restart_settle` (2 s): the burst fails the one job it
/// interrupted, and the job queued behind it runs after it, unharmed.
#[test]
fn a_restart_burst_fails_one_job_even_when_the_modem_answers_during_it() {
    let mut h = configured();
    let mk = h.queue(|s| s.mkdir("a"));
    let q = h.queue(|s| s.query_config());
    recv!(h, b"AT+FTPMKD=a\r");
    let start = h.now;
    send!(h, b"\r\nRDY\r\n");
    events!(
        h,
        unsolicited("Urc(Ready)"),
        failed(
            mk,
            protocol(CommandName::FtpMkd, ProtocolError::ModemRestarted)
        )
    );
    // The modem answers every command 400 ms after it was sent; its burst
    // goes on at 1 s and 1.5 s.
    let mut output: Vec<(u64, Vec<u8>)> = vec![
        (start + 1_000, b"\r\n+CFUN: 1\r\n".to_vec()),
        (start + 1_500, b"\r\n+CPIN: READY\r\n".to_vec()),
    ];
    let mut name = Vec::new();
    let mut sent_at = Vec::new();
    while h.done_count(q) == 0 && h.now < start + 20_000 {
        while let Some(line) = h.sent.pop_front() {
            let answer = if let Some(n) = line.strip_prefix(b"AT+FTPGETNAME=") {
                name = n.strip_suffix(b"\r").unwrap().to_vec();
                OK.to_vec()
            } else if line == b"AT+FTPGETNAME?\r" {
                let mut a = b"\r\n+FTPGETNAME: ".to_vec();
                a.extend_from_slice(&name);
                a.extend_from_slice(b"\r\n\r\nOK\r\n");
                a
            } else {
                OK.to_vec()
            };
            sent_at.push((h.now, line.escape_ascii().to_string()));
            output.push((h.now + 400, answer));
        }
        output.sort_by_key(|(t, _)| *t);
        let next = [
            output.first().map(|(t, _)| *t),
            h.timeout.map(|t| t.as_millis()),
        ]
        .into_iter()
        .flatten()
        .min()
        .expect("something to wait for");
        h.wait_until(next.max(h.now));
        while output.first().is_some_and(|(t, _)| *t <= h.now) {
            let (_, bytes) = output.remove(0);
            h.input(&bytes);
        }
    }
    let events = h.take_events();
    assert_eq!(
        events.last(),
        Some(&ok(q, Outcome::ConfigReported { items: 0 })),
        "{events:#?}\n{sent_at:#?}"
    );
    assert!(
        !format!("{events:?}").contains("ModemRestarted"),
        "{events:#?}"
    );
    // Nothing went out before the burst had been quiet for 2 s.
    assert!(sent_at[0].0 >= start + 3_000, "{sent_at:#?}");
    assert_eq!(h.session.link(), Link::Restarted);
    h.end();
}

/// A restart code that comes while the probe waits for its answer (the
/// burst went quiet for 2 s, then went on) holds the probe's next step
/// until the burst has been quiet for 2 s again.
#[test]
fn a_restart_code_during_the_probe_holds_its_next_step() {
    let mut h = configured();
    let mk = h.queue(|s| s.mkdir("a"));
    let q = h.queue(|s| s.query_config());
    recv!(h, b"AT+FTPMKD=a\r");
    send!(h, b"\r\nRDY\r\n");
    events!(
        h,
        unsolicited("Urc(Ready)"),
        failed(
            mk,
            protocol(CommandName::FtpMkd, ProtocolError::ModemRestarted)
        )
    );
    h.wait(2_000);
    let line = h.next_tx();
    assert!(line.starts_with(b"AT+FTPGETNAME=cellftp-sync-"));
    h.wait(100);
    send!(h, b"\r\n+CFUN: 1\r\n");
    events!(h, unsolicited("Urc(Cfun(1))"));
    send!(h, OK);
    h.wait(1_999);
    h.expect_no_tx();
    h.wait(1);
    let name = String::from_utf8(line[14..line.len() - 1].to_vec()).unwrap();
    exchange!(
        h,
        b"AT+FTPGETNAME?\r" => format!("\r\n+FTPGETNAME: {name}\r\n\r\nOK\r\n").as_bytes()
    );
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
    h.end();
}
