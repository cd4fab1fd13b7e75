#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! Time: each command's timeout and when it fires, the transfer idle timer,
//! the guard time before each command, and the resync probe (a numbered
//! `AT+FTPGETNAME`) that follows a command that ended without its final
//! result.

#[macro_use]
mod harness;

use core::time::Duration;

use cellftp_proto::{CommandName, TransferType};
use cellftp_session::{
    BringUp, Config, FtpConfig, JobError, Link, ModemError, Outcome, ProtocolError, ResponseKind,
    Session, Timeouts, UsageError,
};
use harness::*;

/// Receives the resync probe's first command and returns its name; checks
/// its timeout (the local one).
#[track_caller]
fn probe_name(h: &mut Harness, local_ms: u64) -> String {
    let line = h.next_tx();
    let name = line
        .strip_prefix(b"AT+FTPGETNAME=")
        .and_then(|n| n.strip_suffix(b"\r"))
        .unwrap_or_else(|| panic!("not a resync probe: {}", line.escape_ascii()));
    assert!(name.starts_with(b"cellftp-sync-"));
    assert_eq!(h.timeout_in(), local_ms);
    String::from_utf8(name.to_vec()).unwrap()
}

/// The answer to `AT+FTPGETNAME?` that names `name`.
fn named(name: &str) -> Vec<u8> {
    format!("\r\n+FTPGETNAME: {name}\r\n\r\nOK\r\n").into_bytes()
}

/// Every command's timeout is the default of `SPEC.md`.
#[test]
fn command_timeouts_have_the_spec_durations() {
    let t = Timeouts::default();
    assert_eq!(
        [
            t.local,
            t.cfun,
            t.cgact,
            t.serv,
            t.directory,
            t.put_chunk,
            t.put_end,
            t.transfer_idle,
            t.quit
        ],
        [5, 15, 150, 60, 30, 30, 60, 60, 30].map(Duration::from_secs)
    );
    let mut h = Harness::default();
    let check = |h: &mut Harness, command: &[u8], secs: u64, answer: &[u8]| {
        recv!(h, command);
        assert_eq!(h.timeout_in(), secs * 1000, "{}", command.escape_ascii());
        send!(h, answer);
    };
    let up = h.queue(|s| s.bring_up(BringUp::default()));
    check(&mut h, b"AT\r", 5, OK);
    check(&mut h, b"ATE0\r", 5, OK);
    check(&mut h, b"AT+CFUN=1\r", 15, OK);
    check(&mut h, b"AT+CGACT=1,1\r", 150, OK);
    let conf = h.queue(|s| {
        s.configure(&FtpConfig {
            path: Some("/docs"),
            transfer_type: TransferType::Ascii,
            ..MANUAL_FTP
        })
    });
    check(&mut h, b"AT+FTPPORT=15881\r", 5, OK);
    check(&mut h, b"AT+FTPMODE=1\r", 5, OK);
    check(&mut h, b"AT+FTPSERV=47.104.157.10\r", 60, OK);
    check(&mut h, b"AT+FTPUN=xs\r", 5, OK);
    check(&mut h, b"AT+FTPPW=123\r", 5, OK);
    check(&mut h, b"AT+FTPTYPE=A\r", 5, OK);
    check(&mut h, b"AT+FTPPATH=/docs\r", 5, OK);
    let put = h.queue(|s| s.put("a"));
    check(&mut h, b"AT+FTPPUTNAME=a\r", 5, OK);
    h.send_data(b"x");
    check(&mut h, b"AT+FTPPUT=1,x\r", 30, OK);
    h.finish_put();
    check(&mut h, b"AT+FTPPUT=0\r", 60, OK);
    let get = h.queue(|s| s.get("a", 1));
    check(&mut h, b"AT+FTPGETNAME=a\r", 5, OK);
    check(&mut h, b"AT+FTPTYPE=I\r", 5, OK);
    check(&mut h, b"AT+FTPRESET=1\r", 5, OK);
    check(&mut h, b"AT+FTPGET\r", 60, OK);
    let list = h.queue(|s| s.list(Some("/")));
    check(&mut h, b"AT+FTPPATH=/\r", 5, OK);
    check(&mut h, b"AT+FTPLIST\r", 60, OK);
    let mk = h.queue(|s| s.mkdir("d"));
    check(&mut h, b"AT+FTPMKD=d\r", 30, OK);
    let rm = h.queue(|s| s.rmdir("d"));
    check(&mut h, b"AT+FTPRMD=d\r", 30, OK);
    let query = h.queue(|s| s.query_config());
    check(&mut h, b"AT+FTPSCON\r", 5, OK);
    let quit = h.queue(|s| s.quit());
    check(&mut h, b"AT+FTPQUIT\r", 30, OK);
    let events = h.take_events();
    let done: Vec<u32> = events
        .iter()
        .filter_map(|e| match e {
            Ev::Done { job, result: Ok(_) } => Some(*job),
            _ => None,
        })
        .collect();
    assert_eq!(done, [up, conf, put, get, list, mk, rm, query, quit]);
    h.end();
}

/// Configured timeouts are used as given.
#[test]
fn custom_timeouts() {
    let mut h = Harness::new(Config {
        timeouts: Timeouts {
            local: Duration::from_millis(100),
            quit: Duration::from_millis(700),
            ..Timeouts::default()
        },
        ..Config::default()
    });
    let q = h.queue(|s| s.query_config());
    recv!(h, b"AT+FTPSCON\r");
    assert_eq!(h.timeout_in(), 100);
    h.wait(100);
    events!(h, timed_out(q, CommandName::FtpScon));
    let quit = h.queue(|s| s.quit());
    // The resync probe first, with the local timeout too.
    let name = probe_name(&mut h, 100);
    send!(h, OK);
    recv!(h, b"AT+FTPGETNAME?\r");
    assert_eq!(h.timeout_in(), 100);
    send!(h, &named(&name));
    events!(h);
    recv!(h, b"AT+FTPQUIT\r");
    assert_eq!(h.timeout_in(), 700);
    h.wait(700);
    events!(h, timed_out(quit, CommandName::FtpQuit));
    h.end();
}

/// A command that gets no answer fails its job at its deadline, not a
/// millisecond earlier; the next job goes on.
#[test]
fn timeout_of_each_job() {
    struct Case {
        queue: fn(&mut Session) -> Result<cellftp_session::JobId, UsageError>,
        before: &'static [&'static [u8]],
        command: &'static [u8],
        name: CommandName,
        secs: u64,
        link: Link,
    }
    let cases = [
        Case {
            queue: |s| s.bring_up(BringUp::default()),
            before: &[b"AT\r", b"ATE0\r"],
            command: b"AT+CFUN=1\r",
            name: CommandName::Cfun,
            secs: 15,
            link: Link::Up,
        },
        Case {
            queue: |s| s.bring_up(BringUp::default()),
            before: &[b"AT\r", b"ATE0\r", b"AT+CFUN=1\r"],
            command: b"AT+CGACT=1,1\r",
            name: CommandName::Cgact,
            secs: 150,
            link: Link::Up,
        },
        Case {
            queue: |s| s.configure(&MANUAL_FTP),
            before: &[b"AT+FTPPORT=15881\r", b"AT+FTPMODE=1\r"],
            command: b"AT+FTPSERV=47.104.157.10\r",
            name: CommandName::FtpServ,
            secs: 60,
            link: Link::Down,
        },
        Case {
            queue: |s| s.configure(&MANUAL_FTP),
            before: &[b"AT+FTPPORT=15881\r"],
            command: b"AT+FTPMODE=1\r",
            name: CommandName::FtpMode,
            secs: 5,
            // Only configure sends it: its failure loses the connection.
            link: Link::Down,
        },
        Case {
            queue: |s| s.configure(&MANUAL_FTP),
            before: &[
                b"AT+FTPPORT=15881\r",
                b"AT+FTPMODE=1\r",
                b"AT+FTPSERV=47.104.157.10\r",
                b"AT+FTPUN=xs\r",
            ],
            command: b"AT+FTPPW=123\r",
            name: CommandName::FtpPw,
            secs: 5,
            link: Link::Down,
        },
        Case {
            queue: |s| s.put("a"),
            before: &[],
            command: b"AT+FTPPUTNAME=a\r",
            name: CommandName::FtpPutName,
            secs: 5,
            link: Link::Up,
        },
        Case {
            queue: |s| s.get("a", 3),
            before: &[b"AT+FTPGETNAME=a\r"],
            command: b"AT+FTPRESET=3\r",
            name: CommandName::FtpReset,
            secs: 5,
            link: Link::Up,
        },
        Case {
            queue: |s| s.get("a", 0),
            before: &[b"AT+FTPGETNAME=a\r"],
            command: b"AT+FTPGET\r",
            name: CommandName::FtpGet,
            secs: 60,
            link: Link::Down,
        },
        Case {
            queue: |s| s.list(Some("/x")),
            before: &[b"AT+FTPPATH=/x\r"],
            command: b"AT+FTPLIST\r",
            name: CommandName::FtpList,
            secs: 60,
            link: Link::Down,
        },
        Case {
            queue: |s| s.mkdir("d"),
            before: &[],
            command: b"AT+FTPMKD=d\r",
            name: CommandName::FtpMkd,
            secs: 30,
            link: Link::Up,
        },
        Case {
            queue: |s| s.rmdir("d"),
            before: &[],
            command: b"AT+FTPRMD=d\r",
            name: CommandName::FtpRmd,
            secs: 30,
            link: Link::Up,
        },
        Case {
            queue: |s| s.query_config(),
            before: &[],
            command: b"AT+FTPSCON\r",
            name: CommandName::FtpScon,
            secs: 5,
            link: Link::Up,
        },
        Case {
            queue: |s| s.quit(),
            before: &[],
            command: b"AT+FTPQUIT\r",
            name: CommandName::FtpQuit,
            secs: 30,
            link: Link::Up,
        },
    ];
    for case in cases {
        let mut h = configured();
        let job = h.queue(case.queue);
        let next = h.queue(|s| s.query_config());
        for command in case.before {
            exchange!(h, command => OK);
        }
        recv!(h, case.command);
        assert_eq!(h.timeout_in(), case.secs * 1000);
        h.wait(case.secs * 1000 - 1);
        events!(h);
        // Early and repeated calls change nothing.
        h.wait(0);
        events!(h);
        h.wait(1);
        events!(h, timed_out(job, case.name));
        assert_eq!(h.session.link(), case.link, "{:?}", case.name);
        // After the guard time, the resync probe; then the next job runs.
        assert_eq!(h.timeout_in(), 20);
        h.wait(19);
        h.expect_no_tx();
        h.wait(1);
        let name = probe_name(&mut h, 5_000);
        send!(h, OK);
        exchange!(h, b"AT+FTPGETNAME?\r" => &named(&name));
        events!(h);
        exchange!(h, b"AT+FTPSCON\r" => OK);
        events!(h, ok(next, Outcome::ConfigReported { items: 0 }));
        h.end();
    }
}

#[test]
fn transfer_idle_timer_restarts_on_data() {
    let mut h = configured();
    let job = h.queue(|s| s.get("slow", 0));
    exchange!(h, b"AT+FTPGETNAME=slow\r" => OK);
    recv!(h, b"AT+FTPGET\r");
    assert_eq!(h.timeout_in(), 60_000);
    for i in 0..5u64 {
        h.wait(59_000);
        send!(h, b"\r\n+FTPGET:1,x\r\n");
        events!(h, data(job, i, b"x"));
        assert_eq!(h.timeout_in(), 60_000);
    }
    // Every byte restarts the timer, those of a chunk that has not arrived
    // whole included; the chunk's announced length is reported with every
    // byte that did arrive.
    h.wait(30_000);
    send!(h, b"\r\n+FTPGET:4,ab");
    assert_eq!(h.timeout_in(), 60_000);
    h.wait(60_000);
    events!(
        h,
        failed(
            job,
            protocol(
                CommandName::FtpGet,
                ProtocolError::PayloadIncomplete {
                    announced: 9,
                    received: 7
                }
            )
        )
    );
    h.end();

    let mut h = configured();
    let job = h.queue(|s| s.list(None));
    recv!(h, b"AT+FTPLIST\r");
    h.wait(59_999);
    send!(h, b"\r\n+FTPLIST:1,200\r\n");
    assert_eq!(h.timeout_in(), 60_000);
    h.wait(59_999);
    send!(h, b"-rw-r--r-- 1 ftp ftp 5 Sep 30 01:52 a.txt\r\n");
    events!(
        h,
        list_line(
            job,
            "-rw-r--r-- 1 ftp ftp 5 Sep 30 01:52 a.txt",
            file("a.txt", 5)
        )
    );
    assert_eq!(h.timeout_in(), 60_000);
    h.wait(60_000);
    events!(
        h,
        failed(
            job,
            protocol(
                CommandName::FtpList,
                ProtocolError::PayloadIncomplete {
                    announced: 200,
                    received: 43
                }
            )
        )
    );
    // No job waits: no probe.

    h.end();
}

/// A command that times out leaves the modem's state unknown: before the
/// next job, after the guard time, the session sets the download name to a
/// number it never used (`AT+FTPGETNAME=cellftp-sync-<n>`) and asks it
/// back. Final results before the name comes back are stale, whatever they
/// say, and reported; the final result after it ends the resync.
#[test]
fn resync_after_a_timeout() {
    let late_answers: [(&[u8], &str); 3] = [
        (OK, "Ok"),
        (ERROR, "Error"),
        (b"\r\n+CME ERROR: 3\r\n", "CmeError(Code(3))"),
    ];
    for (late, debug) in late_answers {
        let mut h = configured();
        let mk = h.queue(|s| s.mkdir("a"));
        let q = h.queue(|s| s.query_config());
        recv!(h, b"AT+FTPMKD=a\r");
        h.wait(30_000);
        events!(h, timed_out(mk, CommandName::FtpMkd));
        assert_eq!(h.session.link(), Link::Up);
        // The probe waits for the guard time, and has the local timeout.
        assert_eq!(h.timeout_in(), 20);
        h.wait(19);
        h.expect_no_tx();
        h.wait(1);
        let name = probe_name(&mut h, 5_000);
        // The failed command's late answer moves the probe on, as the
        // name's own answer would: either is fine.
        send!(h, late);
        events!(h);
        recv!(h, b"AT+FTPGETNAME?\r");
        // The name's own answer, before the name: stale.
        send!(h, OK);
        events!(h, unsolicited("Ok"));
        // A name from another probe: stale.
        send!(h, b"\r\n+FTPGETNAME: cellftp-sync-0\r\n\r\nOK\r\n");
        events!(
            h,
            unsolicited("Info(Info { name: FtpGetName, value: Text(b\"cellftp-sync-0\") })"),
            unsolicited("Ok")
        );
        h.expect_no_tx();
        send!(h, &named(&name));
        events!(h);
        exchange!(h, b"AT+FTPSCON\r" => OK);
        events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
        let _ = debug;
        h.end();
    }
}

/// A response that belongs to another command fails the job at once,
/// without a final result: the same resync follows.
#[test]
fn resync_after_an_unexpected_response() {
    let mut h = configured();
    let mk = h.queue(|s| s.mkdir("a"));
    let q = h.queue(|s| s.query_config());
    recv!(h, b"AT+FTPMKD=a\r");
    send!(h, b"\r\n+FTPGET:3,345\r\n");
    events!(
        h,
        unsolicited("FtpGet { len: 3, data: b\"345\" }"),
        failed(
            mk,
            protocol(
                CommandName::FtpMkd,
                ProtocolError::Unexpected(ResponseKind::FtpGet)
            )
        ),
    );
    assert_eq!(h.session.link(), Link::Down);
    // Sent at once: the guard time runs from the last final result.
    assert_eq!(h.sent.len(), 1);
    let name = probe_name(&mut h, 5_000);
    // The failed command's late final result, then the name's.
    send!(h, OK);
    recv!(h, b"AT+FTPGETNAME?\r");
    send!(h, OK);
    events!(h, unsolicited("Ok"));
    send!(h, &named(&name));
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
    h.end();
}

/// While the probe waits, what the failed command still sends (here the
/// listing that came too late) is reported and never taken for an answer.
#[test]
fn resync_waits_through_the_late_answer_of_the_failed_command() {
    let mut h = configured();
    let list = h.queue(|s| s.list(None));
    let q = h.queue(|s| s.query_config());
    recv!(h, b"AT+FTPLIST\r");
    h.wait(60_000);
    events!(h, timed_out(list, CommandName::FtpList));
    let name = probe_name(&mut h, 5_000);
    send!(h, b"\r\n+FTPLIST:1,48\r\n");
    events!(h, unsolicited("FtpList { mode: 1, len: 48 }"));
    send!(h, b"-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\n");
    events!(
        h,
        unsolicited("ListLine(b\"-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\")")
    );
    h.expect_no_tx();
    // The listing's final result, the name's, the name.
    send!(h, OK);
    recv!(h, b"AT+FTPGETNAME?\r");
    send!(h, OK);
    events!(h, unsolicited("Ok"));
    send!(h, &named(&name));
    events!(h);
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
    h.end();
}

/// A probe that gets no answer is reported and tried again with a new
/// number, `probe_attempts` times in all; then the job waiting for it fails
/// with `NoAnswer`, and the next job probes again.
#[test]
fn resync_probe_unanswered_is_retried_then_given_up() {
    let mut h = Harness::new(Config {
        probe_attempts: 2,
        timeouts: Timeouts {
            local: Duration::from_millis(1_000),
            ..Timeouts::default()
        },
        ..Config::default()
    });
    let mk = h.queue(|s| s.mkdir("a"));
    let q = h.queue(|s| s.query_config());
    let q2 = h.queue(|s| s.query_config());
    recv!(h, b"AT+FTPMKD=a\r");
    h.wait(30_000);
    events!(h, timed_out(mk, CommandName::FtpMkd));
    let first = probe_name(&mut h, 1_000);
    h.wait(1_000);
    events!(h, Ev::NoAnswer(CommandName::FtpGetName));
    let second = probe_name(&mut h, 1_000);
    assert_ne!(first, second, "every probe has its own number");
    h.wait(1_000);
    events!(
        h,
        Ev::NoAnswer(CommandName::FtpGetName),
        failed(q, JobError::NoAnswer)
    );
    // The modem is back: the next job probes first.
    let third = probe_name(&mut h, 1_000);
    send!(h, OK);
    recv!(h, b"AT+FTPGETNAME?\r");
    send!(h, &named(&third));
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(q2, Outcome::ConfigReported { items: 0 }));
    h.end();
}

/// A probe answered on its second attempt ends the resync; the attempts
/// start again for the next one. The first probe's late answer, with its
/// own number, is stale.
#[test]
fn resync_probe_answered_on_a_later_attempt() {
    let mut h = configured();
    let mk = h.queue(|s| s.mkdir("a"));
    let q = h.queue(|s| s.query_config());
    recv!(h, b"AT+FTPMKD=a\r");
    h.wait(30_000);
    events!(h, timed_out(mk, CommandName::FtpMkd));
    let first = probe_name(&mut h, 5_000);
    h.wait(5_000);
    events!(h, Ev::NoAnswer(CommandName::FtpGetName));
    let second = probe_name(&mut h, 5_000);
    // The modem answers everything now, in order: the mkdir, the first
    // name, then the second.
    send!(h, OK);
    recv!(h, b"AT+FTPGETNAME?\r");
    send!(h, OK);
    send!(h, OK);
    events!(h, unsolicited("Ok"), unsolicited("Ok"));
    send!(h, &named(&second));
    let _ = first;
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
    h.end();
}

/// No resync after a failure that came with its final result: the next
/// job's first command goes next. A restart resynchronises (what the modem
/// was sent before may be answered late).
#[test]
fn no_resync_after_a_final_result() {
    let answers: [(&[u8], JobError); 3] = [
        (ERROR, modem(CommandName::FtpMkd, ModemError::Error)),
        (
            b"\r\n+CME ERROR: 3\r\n",
            modem(CommandName::FtpMkd, ModemError::Cme { code: Some(3) }),
        ),
        (
            b"\r\n+CMS ERROR: 500\r\n",
            modem(CommandName::FtpMkd, ModemError::Cms { code: Some(500) }),
        ),
    ];
    for (answer, error) in answers {
        let mut h = configured();
        let mk = h.queue(|s| s.mkdir("a"));
        let q = h.queue(|s| s.query_config());
        exchange!(h, b"AT+FTPMKD=a\r" => answer);
        events!(h, failed(mk, error));
        exchange!(h, b"AT+FTPSCON\r" => OK);
        events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
        assert!(!h
            .transmitted
            .iter()
            .any(|l| l.starts_with(b"AT+FTPGETNAME")));
        h.end();
    }
    for (restart, urc) in [
        (&b"\r\nRDY\r\n"[..], "Urc(Ready)"),
        (b"\r\n+CFUN: 1\r\n", "Urc(Cfun(1))"),
    ] {
        let mut h = configured();
        let mk = h.queue(|s| s.mkdir("a"));
        let q = h.queue(|s| s.query_config());
        exchange!(h, b"AT+FTPMKD=a\r" => restart);
        events!(
            h,
            unsolicited(urc),
            failed(
                mk,
                protocol(CommandName::FtpMkd, ProtocolError::ModemRestarted)
            )
        );
        // The probe waits for the restart burst to be quiet for 2 s.
        h.wait(1_999);
        h.expect_no_tx();
        h.wait(1);
        resync(&mut h);
        exchange!(h, b"AT+FTPSCON\r" => OK);
        events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
        h.end();
    }
}

#[test]
fn guard_time_after_a_final_result() {
    let mut h = Harness::default();
    assert_eq!(h.session.config().guard, Duration::from_millis(20));
    let job = h.queue(|s| s.bring_up(MANUAL_BRING_UP));
    // The first command goes at once.
    recv!(h, b"AT+CFUN=1\r");
    h.wait(1_000);
    send!(h, OK);
    // The next one waits 20 ms after the final result.
    assert_eq!(h.session.poll_timeout().map(|t| t.as_millis()), Some(1_020));
    for at in [1_000, 1_010, 1_019] {
        assert_eq!(
            h.session
                .poll_transmit(cellftp_session::Instant::from_millis(at)),
            None
        );
    }
    h.wait(19);
    h.expect_no_tx();
    h.wait(1);
    recv!(h, b"AT+CGACT=1,1\r");
    assert_eq!(h.now, 1_020);
    // A verb during the guard time waits for it too.
    h.wait(100);
    send!(h, OK);
    events!(h, ok(job, Outcome::BroughtUp));
    let q = h.queue(|s| s.query_config());
    h.expect_no_tx();
    assert_eq!(h.timeout_in(), 20);
    h.wait(5);
    let q2 = h.queue(|s| s.query_config());
    h.expect_no_tx();
    h.wait(15);
    recv!(h, b"AT+FTPSCON\r");
    // An error result starts the guard time too.
    send!(h, ERROR);
    events!(h, failed(q, modem(CommandName::FtpScon, ModemError::Error)));
    h.expect_no_tx();
    h.wait(20);
    recv!(h, b"AT+FTPSCON\r");
    send!(h, OK);
    events!(h, ok(q2, Outcome::ConfigReported { items: 0 }));
    h.end();
}

#[test]
fn guard_time_is_configurable() {
    let mut h = Harness::new(Config {
        guard: Duration::from_millis(250),
        ..Config::default()
    });
    let a = h.queue(|s| s.mkdir("a"));
    let b = h.queue(|s| s.mkdir("b"));
    exchange!(h, b"AT+FTPMKD=a\r" => OK);
    events!(h, ok(a, Outcome::DirectoryCreated));
    assert_eq!(h.timeout_in(), 250);
    h.wait(249);
    h.expect_no_tx();
    h.wait(1);
    exchange!(h, b"AT+FTPMKD=b\r" => OK);
    events!(h, ok(b, Outcome::DirectoryCreated));
    h.end();
}
