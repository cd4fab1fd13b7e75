#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The manual's "FTP实例" as a session: bring-up, configure, put, a resumed
//! get, a listing and quit, with the manual's command lines and answers,
//! whether the jobs are queued up front or one at a time, and with command
//! echo on (the modem echoing every line, the password line included).
//!
//! The tests play the modem: `send!` is what the modem sends, `recv!` what
//! it receives; the harness (`harness/mod.rs`) states the drive order.

#[macro_use]
mod harness;

use cellftp_session::{Link, Outcome};
use harness::*;

/// The manual's "FTP实例", job by job. With `up_front`, every job is queued
/// before the first byte moves; otherwise each is queued when the one
/// before it has ended.
fn manual_session(up_front: bool) {
    let mut h = Harness::default();
    let mut jobs = Vec::new();
    let mut queue = |h: &mut Harness, n: usize| {
        if up_front && n == 0 {
            jobs.push(h.queue(|s| s.bring_up(MANUAL_BRING_UP)));
            jobs.push(h.queue(|s| s.configure(&MANUAL_FTP)));
            jobs.push(h.queue(|s| s.put("12.txt")));
            jobs.push(h.queue(|s| s.get("12.txt", 2)));
            jobs.push(h.queue(|s| s.list(None)));
            jobs.push(h.queue(|s| s.quit()));
        } else if !up_front {
            jobs.push(h.queue(|s| match n {
                0 => s.bring_up(MANUAL_BRING_UP),
                1 => s.configure(&MANUAL_FTP),
                2 => s.put("12.txt"),
                3 => s.get("12.txt", 2),
                4 => s.list(None),
                _ => s.quit(),
            }));
        }
        jobs.clone()
    };

    let j = queue(&mut h, 0);
    exchange!(h, b"AT+CFUN=1\r" => OK);
    exchange!(h, b"AT+CGACT=1,1\r" => OK);
    events!(h, ok(j[0], Outcome::BroughtUp));

    let j = queue(&mut h, 1);
    manual_configure(&mut h, j[1]);

    let j = queue(&mut h, 2);
    exchange!(h, b"AT+FTPPUTNAME=12.txt\r" => OK);
    events!(
        h,
        Ev::PutReady {
            job: j[2],
            max: 512
        }
    );
    assert_eq!(h.send_data(b"12345"), 5);
    exchange!(h, b"AT+FTPPUT=5,12345\r" => OK);
    events!(
        h,
        Ev::PutReady {
            job: j[2],
            max: 512
        }
    );
    h.finish_put();
    exchange!(h, b"AT+FTPPUT=0\r" => OK);
    events!(h, ok(j[2], Outcome::Uploaded { bytes: 5 }));

    let j = queue(&mut h, 3);
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPRESET=2\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:3,345\r\n\r\nOK\r\n");
    events!(
        h,
        data(j[3], 2, b"345"),
        ok(
            j[3],
            Outcome::Downloaded {
                offset: 2,
                bytes: 3
            }
        ),
    );

    let j = queue(&mut h, 4);
    exchange!(
        h,
        b"AT+FTPLIST\r" =>
        b"\r\n+FTPLIST:1,48\r\n-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\nOK\r\n"
    );
    events!(
        h,
        list_line(j[4], LISTING_LINE, file("12.txt", 5)),
        ok(
            j[4],
            Outcome::Listed {
                entries: 1,
                lines: 1
            }
        ),
    );

    let j = queue(&mut h, 5);
    exchange!(h, b"AT+FTPQUIT\r" => OK);
    events!(h, ok(j[5], Outcome::Quit));
    assert_eq!(h.session.link(), Link::Down);
    assert_eq!(j, [0, 1, 2, 3, 4, 5]);
    h.end();

    let sent: Vec<String> = h
        .transmitted
        .iter()
        .map(|l| l.escape_ascii().to_string())
        .collect();
    assert_eq!(
        sent,
        [
            "AT+CFUN=1\\r",
            "AT+CGACT=1,1\\r",
            "AT+FTPPORT=15881\\r",
            "AT+FTPMODE=1\\r",
            "AT+FTPSERV=47.104.157.10\\r",
            "AT+FTPUN=xs\\r",
            "AT+FTPPW=123\\r",
            "AT+FTPTYPE=I\\r",
            "AT+FTPPUTNAME=12.txt\\r",
            "AT+FTPPUT=5,12345\\r",
            "AT+FTPPUT=0\\r",
            "AT+FTPGETNAME=12.txt\\r",
            "AT+FTPRESET=2\\r",
            "AT+FTPGET\\r",
            "AT+FTPLIST\\r",
            "AT+FTPQUIT\\r",
        ]
    );
}

#[test]
fn manual_session_queued_up_front() {
    manual_session(true);
}

#[test]
fn manual_session_one_job_at_a_time() {
    manual_session(false);
}

#[test]
fn echo_on() {
    let mut h = Harness::default();
    let up = h.queue(|s| s.bring_up(MANUAL_BRING_UP));
    exchange!(h, b"AT+CFUN=1\r" => b"AT+CFUN=1\r\r\nOK\r\n");
    exchange!(h, b"AT+CGACT=1,1\r" => b"AT+CGACT=1,1\r\r\nOK\r\n");
    events!(h, ok(up, Outcome::BroughtUp));
    let conf = h.queue(|s| s.configure(&MANUAL_FTP));
    exchange!(h, b"AT+FTPPORT=15881\r" => b"AT+FTPPORT=15881\r\r\nOK\r\n");
    exchange!(h, b"AT+FTPMODE=1\r" => b"AT+FTPMODE=1\r\r\nOK\r\n");
    exchange!(
        h,
        b"AT+FTPSERV=47.104.157.10\r" =>
        b"AT+FTPSERV=47.104.157.10\r\r\n+FTPSERV:0\r\n\r\nOK\r\n"
    );
    exchange!(h, b"AT+FTPUN=xs\r" => b"AT+FTPUN=xs\r\r\nOK\r\n");
    exchange!(h, b"AT+FTPPW=123\r" => b"AT+FTPPW=123\r\r\nOK\r\n");
    exchange!(h, b"AT+FTPTYPE=I\r" => b"AT+FTPTYPE=I\r\r\nOK\r\n");
    events!(h, ok(conf, Outcome::Configured));

    let put = h.queue(|s| s.put("12.txt"));
    exchange!(h, b"AT+FTPPUTNAME=12.txt\r" => b"AT+FTPPUTNAME=12.txt\r\r\nOK\r\n");
    events!(h, Ev::PutReady { job: put, max: 512 });
    h.send_data(b"12345");
    exchange!(h, b"AT+FTPPUT=5,12345\r" => b"AT+FTPPUT=5,12345\r\r\nOK\r\n");
    events!(h, Ev::PutReady { job: put, max: 512 });
    // Data that looks like lines and results: the echo is taken by length.
    h.send_data(b"\r\nOK\r\n");
    exchange!(h, b"AT+FTPPUT=6,\r\nOK\r\n\r" => b"AT+FTPPUT=6,\r\nOK\r\n\r\r\nOK\r\n");
    events!(h, Ev::PutReady { job: put, max: 512 });
    h.finish_put();
    exchange!(h, b"AT+FTPPUT=0\r" => b"AT+FTPPUT=0\r\r\nOK\r\n");
    events!(h, ok(put, Outcome::Uploaded { bytes: 11 }));

    let get = h.queue(|s| s.get("12.txt", 2));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => b"AT+FTPGETNAME=12.txt\r\r\nOK\r\n");
    exchange!(h, b"AT+FTPRESET=2\r" => b"AT+FTPRESET=2\r\r\nOK\r\n");
    exchange!(h, b"AT+FTPGET\r" => b"AT+FTPGET\r\r\n+FTPGET:3,345\r\n\r\nOK\r\n");
    events!(
        h,
        data(get, 2, b"345"),
        ok(
            get,
            Outcome::Downloaded {
                offset: 2,
                bytes: 3
            }
        )
    );
    let list = h.queue(|s| s.list(None));
    exchange!(
        h,
        b"AT+FTPLIST\r" =>
        b"AT+FTPLIST\r\r\n+FTPLIST:1,48\r\n-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\nOK\r\n"
    );
    events!(
        h,
        list_line(list, LISTING_LINE, file("12.txt", 5)),
        ok(
            list,
            Outcome::Listed {
                entries: 1,
                lines: 1
            }
        )
    );
    let quit = h.queue(|s| s.quit());
    exchange!(h, b"AT+FTPQUIT\r" => b"AT+FTPQUIT\r\r\nOK\r\n");
    events!(h, ok(quit, Outcome::Quit));
    h.end();
}
