#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! Scripted exchanges: literal modem bytes in, literal command bytes out,
//! for every job and every way a job can fail.
//!
//! The harness and its macros (`send!`, `recv!`, `exchange!`, `events!`)
//! are in `harness/mod.rs`, which also states the drive order. The test
//! plays the modem: `send!` is what the modem sends, `recv!` what it
//! receives.

#[macro_use]
mod harness;

use core::time::Duration;

use cellftp_proto::listing::{EntryKind, ListingError};
use cellftp_proto::{
    CommandName, EncodeError, Mode, ServCode, TextKind, TransferType, MAX_FRAGMENT,
};
use cellftp_session::{
    BringUp, Config, FtpConfig, JobError, Link, ModemError, Outcome, ProtocolError, ResponseKind,
    Session, Timeouts, UsageError, MAX_QUEUED_JOBS, RX_CAPACITY,
};
use harness::{data, failed, ok, unsolicited, Ev, Harness, Listed};

const OK: &[u8] = b"\r\nOK\r\n";
const ERROR: &[u8] = b"\r\nERROR\r\n";

/// The manual's bring-up: no probe, echo left as it is.
const MANUAL_BRING_UP: BringUp = BringUp {
    probe: false,
    echo_off: false,
    full_functionality: true,
    pdp_context: Some(1),
};

/// The manual's FTP connection.
const MANUAL_FTP: FtpConfig<'static> = FtpConfig {
    server: "47.104.157.10",
    port: Some(15881),
    mode: Mode::Passive,
    transfer_type: TransferType::Binary,
    user: "xs",
    password: "123",
    path: None,
};

/// The manual's listing line (48 bytes).
const LISTING_LINE: &str = "-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt";

fn list_line(job: u32, line: &str, entry: Result<Listed, ListingError>) -> Ev {
    Ev::ListLine {
        job,
        line: line.into(),
        entry,
    }
}

fn file(name: &str, size: u64) -> Result<Listed, ListingError> {
    Ok(Listed {
        kind: EntryKind::File,
        size: Some(size),
        name: name.into(),
    })
}

/// Commands, the modem's answers, and the names the errors carry.
type Script = &'static [(&'static [u8], &'static [u8], CommandName)];

fn modem(command: CommandName, error: ModemError) -> JobError {
    JobError::Modem { command, error }
}

fn timed_out(job: u32, command: CommandName) -> Ev {
    failed(job, JobError::Timeout { command })
}

fn protocol(command: CommandName, error: ProtocolError) -> JobError {
    JobError::Protocol { command, error }
}

// ------------------------------------------------------- the manual's session

/// Runs the configure job of the manual's example, answered as in the
/// example.
fn manual_configure(h: &mut Harness, job: u32) {
    exchange!(h, b"AT+FTPPORT=15881\r" => OK);
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => b"\r\n+FTPSERV:0\r\n\r\nOK\r\n");
    exchange!(h, b"AT+FTPUN=xs\r" => OK);
    exchange!(h, b"AT+FTPPW=123\r" => OK);
    exchange!(h, b"AT+FTPTYPE=I\r" => OK);
    events!(h, ok(job, Outcome::Configured));
    assert_eq!(h.session.link(), Link::Up);
}

/// A session brought up and configured as in the manual; the next job is
/// number 2.
fn configured() -> Harness {
    let mut h = Harness::default();
    let up = h.queue(|s| s.bring_up(MANUAL_BRING_UP));
    exchange!(h, b"AT+CFUN=1\r" => OK);
    exchange!(h, b"AT+CGACT=1,1\r" => OK);
    events!(h, ok(up, Outcome::BroughtUp));
    let conf = h.queue(|s| s.configure(&MANUAL_FTP));
    manual_configure(&mut h, conf);
    h
}

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
    assert_eq!(h.session.send_data(b"12345"), Ok(5));
    h.pump();
    exchange!(h, b"AT+FTPPUT=5,12345\r" => OK);
    events!(
        h,
        Ev::PutReady {
            job: j[2],
            max: 512
        }
    );
    h.session.finish_put().unwrap();
    h.pump();
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

// ------------------------------------------------------------------ bring-up

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
    // Second attempt, at once.
    recv!(h, b"AT\r");
    assert_eq!(h.timeout_in(), 5_000);
    // The booting modem says RDY: expected during bring-up.
    send!(h, b"\r\nRDY\r\n");
    events!(h, unsolicited("Urc(Ready)"));
    h.wait(5_000);
    exchange!(h, b"AT\r" => OK);
    exchange!(h, b"ATE0\r" => OK);
    exchange!(h, b"AT+CFUN=1\r" => OK);
    exchange!(h, b"AT+CGACT=1,1\r" => OK);
    events!(h, ok(job, Outcome::BroughtUp));
    assert_eq!(h.transmitted.iter().filter(|l| l == &b"AT\r").count(), 3);
    h.end();
}

#[test]
fn probe_gives_up_after_probe_attempts() {
    for attempts in [0u8, 1, 2, 3, 5] {
        let mut h = Harness::new(Config {
            probe_attempts: attempts,
            ..Config::default()
        });
        let job = h.queue(|s| s.bring_up(BringUp::default()));
        for _ in 0..attempts.max(1) {
            recv!(h, b"AT\r");
            events!(h);
            h.wait(5_000);
        }
        events!(h, timed_out(job, CommandName::At));
        // The job failed without a final result: the resync probe, tried as
        // many times, then given up without an event (it is not a job).
        for _ in 0..attempts.max(1) {
            recv!(h, b"AT\r");
            h.wait(5_000);
            events!(h);
        }
        h.end();
    }
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
    events!(h, ok(first, Outcome::BroughtUp));
    let second = h.queue(|s| {
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
    events!(h, ok(second, Outcome::BroughtUp));
    h.end();
}

// --------------------------------------------------------------------- echo

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
    h.session.send_data(b"12345").unwrap();
    h.pump();
    exchange!(h, b"AT+FTPPUT=5,12345\r" => b"AT+FTPPUT=5,12345\r\r\nOK\r\n");
    events!(h, Ev::PutReady { job: put, max: 512 });
    // Data that looks like lines and results: the echo is taken by length.
    h.session.send_data(b"\r\nOK\r\n").unwrap();
    h.pump();
    exchange!(h, b"AT+FTPPUT=6,\r\nOK\r\n\r" => b"AT+FTPPUT=6,\r\nOK\r\n\r\r\nOK\r\n");
    events!(h, Ev::PutReady { job: put, max: 512 });
    h.session.finish_put().unwrap();
    h.pump();
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

// ---------------------------------------------------------------- configure

#[test]
fn configure_with_path_default_port_active_ascii() {
    let mut h = Harness::default();
    let job = h.queue(|s| {
        s.configure(&FtpConfig {
            server: "ftp.example.com",
            port: None,
            mode: Mode::Active,
            transfer_type: TransferType::Ascii,
            user: "anonymous",
            password: "guest@example.com",
            path: Some("/pub/docs"),
        })
    });
    exchange!(h, b"AT+FTPMODE=0\r" => OK);
    exchange!(h, b"AT+FTPSERV=ftp.example.com\r" => b"\r\n+FTPSERV:0\r\n\r\nOK\r\n");
    exchange!(h, b"AT+FTPUN=anonymous\r" => OK);
    exchange!(h, b"AT+FTPPW=guest@example.com\r" => OK);
    exchange!(h, b"AT+FTPTYPE=A\r" => OK);
    exchange!(h, b"AT+FTPPATH=/pub/docs\r" => OK);
    events!(h, ok(job, Outcome::Configured));
    assert_eq!(h.session.link(), Link::Up);
    h.end();
}

#[test]
fn serv_without_a_code_line_is_success() {
    let mut h = Harness::default();
    let job = h.queue(|s| s.configure(&MANUAL_FTP));
    exchange!(h, b"AT+FTPPORT=15881\r" => OK);
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => OK);
    exchange!(h, b"AT+FTPUN=xs\r" => OK);
    exchange!(h, b"AT+FTPPW=123\r" => OK);
    exchange!(h, b"AT+FTPTYPE=I\r" => OK);
    events!(h, ok(job, Outcome::Configured));
    h.end();
}

#[test]
fn serv_codes() {
    let cases: [(&[u8], &[u8], ModemError); 9] = [
        (b"1", OK, ModemError::Serv(ServCode::PdpNotActive)),
        (b"2", OK, ModemError::Serv(ServCode::BadAddress)),
        (b"3", OK, ModemError::Serv(ServCode::Unreachable)),
        (b"4", OK, ModemError::Serv(ServCode::ConnectTimeout)),
        (b"5", OK, ModemError::Serv(ServCode::Refused)),
        (b"17", OK, ModemError::Serv(ServCode::Other(17))),
        (b"999", OK, ModemError::Serv(ServCode::Other(999))),
        // A failure code wins over the final result.
        (b"3", ERROR, ModemError::Serv(ServCode::Unreachable)),
        // Success, then a failure final result: the final result.
        (b"0", ERROR, ModemError::Error),
    ];
    for (code, last, error) in cases {
        let mut h = Harness::default();
        let job = h.queue(|s| s.configure(&MANUAL_FTP));
        exchange!(h, b"AT+FTPPORT=15881\r" => OK);
        exchange!(h, b"AT+FTPMODE=1\r" => OK);
        recv!(h, b"AT+FTPSERV=47.104.157.10\r");
        send!(h, &[b"\r\n+FTPSERV:", code, b"\r\n", last].concat());
        events!(h, failed(job, modem(CommandName::FtpServ, error)));
        assert!(failed_needs_configure(&error));
        assert_eq!(h.session.link(), Link::Down);
        h.end();
    }
}

fn failed_needs_configure(error: &ModemError) -> bool {
    modem(CommandName::FtpServ, *error).needs_configure()
}

#[test]
fn a_serv_code_is_not_carried_over_to_the_next_connect() {
    let mut h = Harness::default();
    let first = h.queue(|s| s.configure(&MANUAL_FTP));
    exchange!(h, b"AT+FTPPORT=15881\r" => OK);
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => b"\r\n+FTPSERV:4\r\n\r\nERROR\r\n");
    events!(
        h,
        failed(
            first,
            modem(
                CommandName::FtpServ,
                ModemError::Serv(ServCode::ConnectTimeout)
            )
        )
    );
    let second = h.queue(|s| s.configure(&MANUAL_FTP));
    manual_configure_without_code(&mut h, second);
    h.end();
}

fn manual_configure_without_code(h: &mut Harness, job: u32) {
    exchange!(h, b"AT+FTPPORT=15881\r" => OK);
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => OK);
    exchange!(h, b"AT+FTPUN=xs\r" => OK);
    exchange!(h, b"AT+FTPPW=123\r" => OK);
    exchange!(h, b"AT+FTPTYPE=I\r" => OK);
    events!(h, ok(job, Outcome::Configured));
}

// -------------------------------------------------------------- modem errors

/// Each failure final result, on commands of every job.
#[test]
fn modem_errors_on_every_job() {
    let finals: [(&[u8], ModemError); 5] = [
        (b"\r\nERROR\r\n", ModemError::Error),
        (
            b"\r\n+CME ERROR: 10\r\n",
            ModemError::Cme { code: Some(10) },
        ),
        (
            b"\r\n+CME ERROR: SIM not inserted\r\n",
            ModemError::Cme { code: None },
        ),
        (
            b"\r\n+CMS ERROR: 500\r\n",
            ModemError::Cms { code: Some(500) },
        ),
        (
            b"\r\n+CMS ERROR: unknown error\r\n",
            ModemError::Cms { code: None },
        ),
    ];
    for (answer, error) in finals {
        // Bring-up: at each of its four commands.
        let script: [&[u8]; 4] = [b"AT\r", b"ATE0\r", b"AT+CFUN=1\r", b"AT+CGACT=1,1\r"];
        let names = [
            CommandName::At,
            CommandName::Echo,
            CommandName::Cfun,
            CommandName::Cgact,
        ];
        for fail_at in 0..script.len() {
            let mut h = Harness::default();
            let job = h.queue(|s| s.bring_up(BringUp::default()));
            for command in &script[..fail_at] {
                exchange!(h, command => OK);
            }
            exchange!(h, script[fail_at] => answer);
            events!(h, failed(job, modem(names[fail_at], error)));
            h.end();
        }

        // Configure: at each of its commands.
        let script: [(&[u8], &[u8], CommandName); 7] = [
            (b"AT+FTPPORT=15881\r", OK, CommandName::FtpPort),
            (b"AT+FTPMODE=1\r", OK, CommandName::FtpMode),
            (
                b"AT+FTPSERV=47.104.157.10\r",
                b"\r\n+FTPSERV:0\r\n\r\nOK\r\n",
                CommandName::FtpServ,
            ),
            (b"AT+FTPUN=xs\r", OK, CommandName::FtpUn),
            (b"AT+FTPPW=123\r", OK, CommandName::FtpPw),
            (b"AT+FTPTYPE=I\r", OK, CommandName::FtpType),
            (b"AT+FTPPATH=/docs\r", OK, CommandName::FtpPath),
        ];
        for fail_at in 0..script.len() {
            let mut h = Harness::default();
            let job = h.queue(|s| {
                s.configure(&FtpConfig {
                    path: Some("/docs"),
                    ..MANUAL_FTP
                })
            });
            for (command, reply, _) in &script[..fail_at] {
                exchange!(h, command => reply);
            }
            exchange!(h, script[fail_at].0 => answer);
            let e = modem(script[fail_at].2, error);
            events!(h, failed(job, e));
            // Losing the server or the login loses the connection.
            let down = matches!(
                script[fail_at].2,
                CommandName::FtpServ | CommandName::FtpUn | CommandName::FtpPw
            );
            assert_eq!(e.needs_configure(), down, "{e:?}");
            assert_eq!(
                h.session.link(),
                if down { Link::Down } else { Link::Unknown }
            );
            h.end();
        }

        // Put, get, list, mkdir, rmdir, query, quit: at each command.
        let jobs: [(&str, Script); 11] = [
            (
                "put",
                &[(b"AT+FTPPUTNAME=a.txt\r", OK, CommandName::FtpPutName)],
            ),
            (
                "put",
                &[
                    (b"AT+FTPPUTNAME=a.txt\r", OK, CommandName::FtpPutName),
                    (b"AT+FTPPUT=0\r", OK, CommandName::FtpPut),
                ],
            ),
            (
                "get",
                &[(b"AT+FTPGETNAME=a.txt\r", OK, CommandName::FtpGetName)],
            ),
            (
                "get",
                &[
                    (b"AT+FTPGETNAME=a.txt\r", OK, CommandName::FtpGetName),
                    (b"AT+FTPTYPE=I\r", OK, CommandName::FtpType),
                    (b"AT+FTPRESET=7\r", OK, CommandName::FtpReset),
                    (b"AT+FTPGET\r", OK, CommandName::FtpGet),
                ],
            ),
            ("list", &[(b"AT+FTPLIST\r", OK, CommandName::FtpList)]),
            (
                "list /x",
                &[
                    (b"AT+FTPPATH=/x\r", OK, CommandName::FtpPath),
                    (b"AT+FTPLIST\r", OK, CommandName::FtpList),
                ],
            ),
            (
                "mkdir",
                &[(b"AT+FTPMKD=/invoker\r", OK, CommandName::FtpMkd)],
            ),
            (
                "rmdir",
                &[(b"AT+FTPRMD=/invoker\r", OK, CommandName::FtpRmd)],
            ),
            ("query", &[(b"AT+FTPSCON\r", OK, CommandName::FtpScon)]),
            ("quit", &[(b"AT+FTPQUIT\r", OK, CommandName::FtpQuit)]),
            (
                "get",
                &[(b"AT+FTPGETNAME=a.txt\r", OK, CommandName::FtpGetName)],
            ),
        ];
        for (index, (kind, script)) in jobs.iter().enumerate() {
            for fail_at in 0..script.len() {
                let mut h = Harness::default();
                let job = h.queue(|s| match *kind {
                    "put" => s.put("a.txt"),
                    "get" if index == 3 => s.get("a.txt", 7),
                    "get" => s.get("a.txt", 0),
                    "list" => s.list(None),
                    "list /x" => s.list(Some("/x")),
                    "mkdir" => s.mkdir("/invoker"),
                    "rmdir" => s.rmdir("/invoker"),
                    "query" => s.query_config(),
                    _ => s.quit(),
                });
                for (i, (command, reply, _)) in script[..=fail_at].iter().enumerate() {
                    if *kind == "put" && i == 1 {
                        events!(h, Ev::PutReady { job, max: 512 });
                        h.session.finish_put().unwrap();
                        h.pump();
                    }
                    if i == fail_at {
                        exchange!(h, command => answer);
                    } else {
                        exchange!(h, command => reply);
                    }
                }
                let e = modem(script[fail_at].2, error);
                events!(h, failed(job, e));
                h.end();
            }
        }
    }
}

// ----------------------------------------------------------------------- put

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
    h.session.finish_put().unwrap();
    h.pump();
    exchange!(h, b"AT+FTPPUT=0\r" => OK);
    events!(h, ok(job, Outcome::Uploaded { bytes: 10 }));
    h.end();
}

#[test]
fn chunk_size_is_clamped() {
    for (chunk_size, max) in [(0, 1), (1, 1), (1024, 1024), (5000, 1024)] {
        let mut h = Harness::new(Config {
            chunk_size,
            ..Config::default()
        });
        let job = h.queue(|s| s.put("a"));
        exchange!(h, b"AT+FTPPUTNAME=a\r" => OK);
        events!(h, Ev::PutReady { job, max });
        let big = vec![b'z'; 3000];
        assert_eq!(h.session.send_data(&big), Ok(max));
        h.pump();
        let expected = [format!("AT+FTPPUT={max},").as_bytes(), &big[..max], b"\r"].concat();
        exchange!(h, &expected => OK);
        events!(h, Ev::PutReady { job, max });
        h.session.finish_put().unwrap();
        h.pump();
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
    h.session.finish_put().unwrap();
    h.pump();
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
        h.session.send_data(b"12").unwrap();
        h.pump();
        exchange!(h, b"AT+FTPPUT=2,12\r" => OK);
        events!(h, Ev::PutReady { job, max: 512 });
        h.session.send_data(b"345").unwrap();
        h.pump();
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
    h.session.send_data(b"12").unwrap();
    h.pump();
    exchange!(h, b"AT+FTPPUT=2,12\r" => b"\r\n+CME ERROR: 4\r\n");
    exchange!(h, b"AT+FTPPUT=0\r" => ERROR);
    // The close's own failure is the one reported.
    events!(
        h,
        failed(job, modem(CommandName::FtpPut, ModemError::Error))
    );
    h.end();
}

/// A chunk that times out does not fail the job at once: the upload is
/// closed with `AT+FTPPUT=0` (no resync probe: the close is the next
/// command), and the close's final result ends the job with the chunk's
/// timeout. The bytes acknowledged before count for nothing: the job failed.
#[test]
fn unexpected_response_during_a_chunk_closes_the_upload_then_fails() {
    let mut h = configured();
    let job = h.queue(|s| s.put("12.txt"));
    exchange!(h, b"AT+FTPPUTNAME=12.txt\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.session.send_data(b"12").unwrap();
    h.pump();
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
    // The close answered: no resync needed.
    assert!(!h.transmitted.iter().any(|l| l == b"AT\r"));
    h.end();
}

#[test]
fn put_chunk_timeout_closes_the_upload_then_fails() {
    let mut h = configured();
    let job = h.queue(|s| s.put("12.txt"));
    let q = h.queue(|s| s.query_config());
    exchange!(h, b"AT+FTPPUTNAME=12.txt\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.session.send_data(b"12").unwrap();
    h.pump();
    exchange!(h, b"AT+FTPPUT=2,12\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.session.send_data(b"345").unwrap();
    h.pump();
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
    // The close ended with its final result: no resync before the next job.
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
    assert!(!h.transmitted.iter().any(|l| l == b"AT\r"));
    h.end();
}

/// After a chunk's timeout, the close can fail too: by its own final result
/// (reported, as after a chunk that got `ERROR`), or by its own timeout
/// (the chunk's timeout is reported, then the resync probe goes).
#[test]
fn put_chunk_timeout_then_the_close_fails() {
    // The close gets ERROR.
    let mut h = configured();
    let job = h.queue(|s| s.put("a"));
    exchange!(h, b"AT+FTPPUTNAME=a\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.session.send_data(b"abc").unwrap();
    h.pump();
    recv!(h, b"AT+FTPPUT=3,abc\r");
    h.wait(30_000);
    events!(h);
    exchange!(h, b"AT+FTPPUT=0\r" => ERROR);
    events!(
        h,
        failed(job, modem(CommandName::FtpPut, ModemError::Error))
    );
    h.end();

    // The close times out.
    let mut h = configured();
    let job = h.queue(|s| s.put("a"));
    exchange!(h, b"AT+FTPPUTNAME=a\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.session.send_data(b"abc").unwrap();
    h.pump();
    recv!(h, b"AT+FTPPUT=3,abc\r");
    h.wait(30_000);
    events!(h);
    recv!(h, b"AT+FTPPUT=0\r");
    h.wait(60_000);
    events!(h, timed_out(job, CommandName::FtpPut));
    assert_eq!(h.session.link(), Link::Down);
    exchange!(h, b"AT\r" => OK);
    events!(h);
    h.end();
}

// ----------------------------------------------------------------------- get

#[test]
fn get_without_offset_sends_no_reset() {
    let mut h = configured();
    let job = h.queue(|s| s.get("a.bin", 0));
    exchange!(h, b"AT+FTPGETNAME=a.bin\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:5,hello\r\n\r\nOK\r\n");
    events!(
        h,
        data(job, 0, b"hello"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: 5
            }
        )
    );
    h.end();
}

#[test]
fn get_of_an_empty_file() {
    let mut h = configured();
    let job = h.queue(|s| s.get("empty", 0));
    exchange!(h, b"AT+FTPGETNAME=empty\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => OK);
    events!(
        h,
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: 0
            }
        )
    );
    h.end();
}

#[test]
fn resumed_get_in_ascii_switches_to_binary_first() {
    let mut h = Harness::default();
    let conf = h.queue(|s| {
        s.configure(&FtpConfig {
            transfer_type: TransferType::Ascii,
            ..MANUAL_FTP
        })
    });
    exchange!(h, b"AT+FTPPORT=15881\r" => OK);
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => b"\r\n+FTPSERV:0\r\n\r\nOK\r\n");
    exchange!(h, b"AT+FTPUN=xs\r" => OK);
    exchange!(h, b"AT+FTPPW=123\r" => OK);
    exchange!(h, b"AT+FTPTYPE=A\r" => OK);
    events!(h, ok(conf, Outcome::Configured));

    let job = h.queue(|s| s.get("12.txt", 2));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPTYPE=I\r" => OK);
    exchange!(h, b"AT+FTPRESET=2\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:3,345\r\n\r\nOK\r\n");
    events!(
        h,
        data(job, 2, b"345"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 2,
                bytes: 3
            }
        )
    );
    // The type is now known to be I: the next resume sets the offset only.
    let job = h.queue(|s| s.get("12.txt", 4));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPRESET=4\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:1,5\r\n\r\nOK\r\n");
    events!(
        h,
        data(job, 4, b"5"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 4,
                bytes: 1
            }
        )
    );
    h.end();
}

#[test]
fn resumed_get_when_the_type_is_unknown_sets_it() {
    let mut h = Harness::default();
    let job = h.queue(|s| s.get("12.txt", 2));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPTYPE=I\r" => OK);
    exchange!(h, b"AT+FTPRESET=2\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => OK);
    events!(
        h,
        ok(
            job,
            Outcome::Downloaded {
                offset: 2,
                bytes: 0
            }
        )
    );
    h.end();
}

/// Configures the manual's connection with transfer type ASCII.
fn configure_ascii(h: &mut Harness) {
    let conf = h.queue(|s| {
        s.configure(&FtpConfig {
            transfer_type: TransferType::Ascii,
            ..MANUAL_FTP
        })
    });
    exchange!(h, b"AT+FTPPORT=15881\r" => OK);
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => b"\r\n+FTPSERV:0\r\n\r\nOK\r\n");
    exchange!(h, b"AT+FTPUN=xs\r" => OK);
    exchange!(h, b"AT+FTPPW=123\r" => OK);
    exchange!(h, b"AT+FTPTYPE=A\r" => OK);
    events!(h, ok(conf, Outcome::Configured));
}

/// A resumed get of `12.txt` from 2 (3 bytes), with the commands given.
fn resumed_get(h: &mut Harness, commands: &[&[u8]]) {
    let job = h.queue(|s| s.get("12.txt", 2));
    for command in commands {
        exchange!(h, command => OK);
    }
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:3,345\r\n\r\nOK\r\n");
    events!(
        h,
        data(job, 2, b"345"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 2,
                bytes: 3
            }
        )
    );
}

/// A put of one chunk `12345` to `12.txt`, with the commands given first.
fn put_12345(h: &mut Harness, commands: &[&[u8]]) {
    let job = h.queue(|s| s.put("12.txt"));
    for command in commands {
        exchange!(h, command => OK);
    }
    events!(h, Ev::PutReady { job, max: 512 });
    h.session.send_data(b"12345").unwrap();
    h.pump();
    exchange!(h, b"AT+FTPPUT=5,12345\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.session.finish_put().unwrap();
    h.pump();
    exchange!(h, b"AT+FTPPUT=0\r" => OK);
    events!(h, ok(job, Outcome::Uploaded { bytes: 5 }));
}

/// A whole-file get of `12.txt` (5 bytes), with the commands given.
fn whole_get(h: &mut Harness, commands: &[&[u8]]) {
    let job = h.queue(|s| s.get("12.txt", 0));
    for command in commands {
        exchange!(h, command => OK);
    }
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:5,12345\r\n\r\nOK\r\n");
    events!(
        h,
        data(job, 0, b"12345"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: 5
            }
        )
    );
}

/// ASCII configured, a resumed get switched the modem to binary: the next
/// put switches back first, before `AT+FTPPUTNAME`; once back, nothing more.
#[test]
fn ascii_is_restored_for_a_put_after_a_resumed_get() {
    let mut h = Harness::default();
    configure_ascii(&mut h);
    // ASCII already: the put sends no type.
    put_12345(&mut h, &[b"AT+FTPPUTNAME=12.txt\r"]);
    resumed_get(
        &mut h,
        &[
            b"AT+FTPGETNAME=12.txt\r",
            b"AT+FTPTYPE=I\r",
            b"AT+FTPRESET=2\r",
        ],
    );
    put_12345(&mut h, &[b"AT+FTPTYPE=A\r", b"AT+FTPPUTNAME=12.txt\r"]);
    put_12345(&mut h, &[b"AT+FTPPUTNAME=12.txt\r"]);
    // The offset is still 2, in ASCII now: a whole-file get switches to
    // binary to reset it, then back to ASCII for the transfer.
    whole_get(
        &mut h,
        &[
            b"AT+FTPGETNAME=12.txt\r",
            b"AT+FTPTYPE=I\r",
            b"AT+FTPRESET=0\r",
            b"AT+FTPTYPE=A\r",
        ],
    );
    whole_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r"]);
    h.end();
}

/// ASCII configured, a resumed get switched the modem to binary: the next
/// whole-file get resets the offset, then switches back before
/// `AT+FTPGET`. Resumed gets stay in binary.
#[test]
fn ascii_is_restored_for_a_whole_file_get_after_a_resumed_get() {
    let mut h = Harness::default();
    configure_ascii(&mut h);
    resumed_get(
        &mut h,
        &[
            b"AT+FTPGETNAME=12.txt\r",
            b"AT+FTPTYPE=I\r",
            b"AT+FTPRESET=2\r",
        ],
    );
    // Another resumed get: binary still, no restore.
    resumed_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r"]);
    whole_get(
        &mut h,
        &[
            b"AT+FTPGETNAME=12.txt\r",
            b"AT+FTPRESET=0\r",
            b"AT+FTPTYPE=A\r",
        ],
    );
    // Back in ASCII with offset 0: nothing to set for a put or a get.
    put_12345(&mut h, &[b"AT+FTPPUTNAME=12.txt\r"]);
    whole_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r"]);
    h.end();
}

/// Binary configured (the manual's example): a resumed get changes nothing
/// to restore.
#[test]
fn binary_configured_needs_no_restore() {
    let mut h = configured();
    resumed_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r", b"AT+FTPRESET=2\r"]);
    put_12345(&mut h, &[b"AT+FTPPUTNAME=12.txt\r"]);
    whole_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r", b"AT+FTPRESET=0\r"]);
    // The only type command is the configure job's.
    let types: Vec<&Vec<u8>> = h
        .transmitted
        .iter()
        .filter(|l| l.starts_with(b"AT+FTPTYPE"))
        .collect();
    assert_eq!(types, [b"AT+FTPTYPE=I\r"]);
    h.end();
}

/// With no configure seen, the type to restore is unknown: nothing is sent.
#[test]
fn no_restore_without_a_configure() {
    let mut h = Harness::default();
    resumed_get(
        &mut h,
        &[
            b"AT+FTPGETNAME=12.txt\r",
            b"AT+FTPTYPE=I\r",
            b"AT+FTPRESET=2\r",
        ],
    );
    put_12345(&mut h, &[b"AT+FTPPUTNAME=12.txt\r"]);
    whole_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r", b"AT+FTPRESET=0\r"]);
    h.end();
}

/// The restoring `AT+FTPTYPE=A` is a step of the job: refused, it fails the
/// job (the connection stays up), and the next job tries again.
#[test]
fn a_refused_restore_fails_the_job() {
    let mut h = Harness::default();
    configure_ascii(&mut h);
    resumed_get(
        &mut h,
        &[
            b"AT+FTPGETNAME=12.txt\r",
            b"AT+FTPTYPE=I\r",
            b"AT+FTPRESET=2\r",
        ],
    );
    let put = h.queue(|s| s.put("12.txt"));
    exchange!(h, b"AT+FTPTYPE=A\r" => ERROR);
    events!(
        h,
        failed(put, modem(CommandName::FtpType, ModemError::Error))
    );
    assert_eq!(h.session.link(), Link::Up);
    let get = h.queue(|s| s.get("12.txt", 0));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPRESET=0\r" => OK);
    exchange!(h, b"AT+FTPTYPE=A\r" => b"\r\n+CME ERROR: 4\r\n");
    events!(
        h,
        failed(
            get,
            modem(CommandName::FtpType, ModemError::Cme { code: Some(4) })
        )
    );
    put_12345(&mut h, &[b"AT+FTPTYPE=A\r", b"AT+FTPPUTNAME=12.txt\r"]);
    h.end();
}

#[test]
fn get_after_a_resumed_get_resets_the_offset() {
    let mut h = configured();
    let job = h.queue(|s| s.get("12.txt", 2));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPRESET=2\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:3,345\r\n\r\nOK\r\n");
    events!(
        h,
        data(job, 2, b"345"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 2,
                bytes: 3
            }
        )
    );
    // The same offset again: the modem still has it.
    let job = h.queue(|s| s.get("12.txt", 2));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:3,345\r\n\r\nOK\r\n");
    events!(
        h,
        data(job, 2, b"345"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 2,
                bytes: 3
            }
        )
    );
    let job = h.queue(|s| s.get("12.txt", 0));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPRESET=0\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:5,12345\r\n\r\nOK\r\n");
    events!(
        h,
        data(job, 0, b"12345"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: 5
            }
        )
    );
    // And then no more resets.
    let job = h.queue(|s| s.get("12.txt", 0));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => OK);
    events!(
        h,
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: 0
            }
        )
    );
    h.end();
}

#[test]
fn a_failed_reset_is_not_remembered() {
    let mut h = configured();
    let job = h.queue(|s| s.get("12.txt", 2));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPRESET=2\r" => ERROR);
    events!(
        h,
        failed(job, modem(CommandName::FtpReset, ModemError::Error))
    );
    let job = h.queue(|s| s.get("12.txt", 0));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => OK);
    events!(
        h,
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: 0
            }
        )
    );
    h.end();
}

#[test]
fn get_in_several_chunks() {
    let mut h = configured();
    let job = h.queue(|s| s.get("big", 10));
    exchange!(h, b"AT+FTPGETNAME=big\r" => OK);
    exchange!(h, b"AT+FTPRESET=10\r" => OK);
    recv!(h, b"AT+FTPGET\r");
    send!(h, b"\r\n+FTPGET:4,abcd\r\n");
    events!(h, data(job, 10, b"abcd"));
    // An empty chunk brings no data event.
    send!(h, b"\r\n+FTPGET:0,\r\n");
    events!(h);
    send!(h, b"\r\n+FTPGET:3,efg\r\n\r\n+FTPGET:2,hi\r\n\r\nOK\r\n");
    events!(
        h,
        data(job, 14, b"efg"),
        data(job, 17, b"hi"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 10,
                bytes: 9
            }
        )
    );
    h.end();
}

/// `+FTPGET:0,` announces no bytes: no data event, alone or between chunks.
#[test]
fn empty_get_chunks_bring_no_data_event() {
    let mut h = configured();
    let job = h.queue(|s| s.get("empty", 0));
    exchange!(h, b"AT+FTPGETNAME=empty\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:0,\r\n\r\nOK\r\n");
    events!(
        h,
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: 0
            }
        )
    );
    let job = h.queue(|s| s.get("a", 0));
    exchange!(h, b"AT+FTPGETNAME=a\r" => OK);
    exchange!(
        h,
        b"AT+FTPGET\r" =>
        b"\r\n+FTPGET:0,\r\n\r\n+FTPGET:2,ab\r\n\r\n+FTPGET:0,\r\n\r\n+FTPGET:0,\r\n\r\n+FTPGET:1,c\r\n\r\n+FTPGET:0,\r\n\r\nOK\r\n"
    );
    events!(
        h,
        data(job, 0, b"ab"),
        data(job, 2, b"c"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: 3
            }
        )
    );
    h.end();
}

#[test]
fn get_payload_that_looks_like_responses() {
    let mut h = configured();
    let job = h.queue(|s| s.get("tricky", 0));
    exchange!(h, b"AT+FTPGETNAME=tricky\r" => OK);
    let payload: &[u8] = b"\r\nOK\r\n\r\nERROR\r\nRDY\r\n+FTPGET:3,abc";
    let mut reply = format!("\r\n+FTPGET:{},", payload.len()).into_bytes();
    reply.extend_from_slice(payload);
    reply.extend_from_slice(b"\r\n\r\nOK\r\n");
    exchange!(h, b"AT+FTPGET\r" => &reply);
    events!(
        h,
        data(job, 0, payload),
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: payload.len() as u64
            }
        )
    );
    assert_eq!(h.session.link(), Link::Up);
    h.end();
}

#[test]
fn get_chunk_longer_than_a_fragment() {
    let mut h = configured();
    let job = h.queue(|s| s.get("big", 0));
    exchange!(h, b"AT+FTPGETNAME=big\r" => OK);
    recv!(h, b"AT+FTPGET\r");
    let len = 2 * MAX_FRAGMENT + 100;
    let payload: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    let mut reply = format!("\r\n+FTPGET:{len},").into_bytes();
    reply.extend_from_slice(&payload);
    reply.extend_from_slice(b"\r\n+FTPGET:2,\r\n\r\nOK\r\n");
    // More than the receive buffer holds: the harness offers the rest again
    // after draining the events.
    assert!(reply.len() > RX_CAPACITY);
    send!(h, &reply);
    events!(
        h,
        data(job, 0, &payload[..MAX_FRAGMENT]),
        data(
            job,
            MAX_FRAGMENT as u64,
            &payload[MAX_FRAGMENT..2 * MAX_FRAGMENT]
        ),
        data(job, 2 * MAX_FRAGMENT as u64, &payload[2 * MAX_FRAGMENT..]),
        data(job, len as u64, b"\r\n"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: len as u64 + 2
            }
        )
    );
    h.end();
}

#[test]
fn get_chunk_longer_than_a_fragment_one_byte_at_a_time() {
    let mut h = configured();
    let job = h.queue(|s| s.get("big", 0));
    exchange!(h, b"AT+FTPGETNAME=big\r" => OK);
    recv!(h, b"AT+FTPGET\r");
    let len = MAX_FRAGMENT + 3;
    let payload: Vec<u8> = (0..len).map(|i| (i % 7) as u8 + b'0').collect();
    let mut reply = format!("\r\n+FTPGET:{len},").into_bytes();
    reply.extend_from_slice(&payload);
    reply.extend_from_slice(b"\r\n\r\nOK\r\n");
    h.input_bytewise(&reply);
    events!(
        h,
        data(job, 0, &payload[..MAX_FRAGMENT]),
        data(job, MAX_FRAGMENT as u64, &payload[MAX_FRAGMENT..]),
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: len as u64
            }
        )
    );
    h.end();
}

#[test]
fn ftpget_line_without_a_comma_fails_the_transfer() {
    let mut h = configured();
    let job = h.queue(|s| s.get("12.txt", 0));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    // The manual's table layout: length, then the data on the next line.
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:5\r\n12345\r\nOK\r\n");
    events!(
        h,
        unsolicited("Info(Info { name: FtpGet, value: Number(5) })"),
        failed(
            job,
            protocol(
                CommandName::FtpGet,
                ProtocolError::Unexpected(ResponseKind::FtpGet)
            )
        ),
        unsolicited("Unknown(b\"12345\")"),
        unsolicited("Ok"),
    );
    // The failed command's answer came before the resync probe was sent.
    exchange!(h, b"AT\r" => OK);
    events!(h);
    h.end();
}

// ---------------------------------------------------------------------- list

#[test]
fn list_with_path() {
    let mut h = configured();
    let job = h.queue(|s| s.list(Some("/pub")));
    exchange!(h, b"AT+FTPPATH=/pub\r" => OK);
    exchange!(h, b"AT+FTPLIST\r" => b"\r\n+FTPLIST:1,0\r\n\r\nOK\r\n");
    events!(
        h,
        ok(
            job,
            Outcome::Listed {
                entries: 0,
                lines: 0
            }
        )
    );
    h.end();
}

#[test]
fn empty_listing_without_header() {
    let mut h = configured();
    let job = h.queue(|s| s.list(None));
    exchange!(h, b"AT+FTPLIST\r" => OK);
    events!(
        h,
        ok(
            job,
            Outcome::Listed {
                entries: 0,
                lines: 0
            }
        )
    );
    h.end();
}

#[test]
fn listing_with_total_dos_and_unknown_lines() {
    let mut h = configured();
    let job = h.queue(|s| s.list(None));
    let lines = [
        "total 12",
        "drwxr-xr-x  2 ftp ftp  4096 Jan  1  2024 docs",
        LISTING_LINE,
        "09-30-24  01:52AM       <DIR>          old",
        "09-30-24  01:53PM                 1234 report.pdf",
        "lrwxrwxrwx  1 ftp ftp  6 Sep 30 01:52 latest -> 12.txt",
        "free-form server text",
    ];
    let listing = lines.join("\r\n");
    let mut reply = format!("\r\n+FTPLIST:1,{}\r\n", listing.len()).into_bytes();
    reply.extend_from_slice(listing.as_bytes());
    reply.extend_from_slice(b"\r\nOK\r\n");
    exchange!(h, b"AT+FTPLIST\r" => &reply);
    let entry = |kind, size, name: &str| {
        Ok(Listed {
            kind,
            size,
            name: name.into(),
        })
    };
    let got = h.take_events();
    let expected = [
        list_line(job, lines[0], Err(ListingError::Total)),
        list_line(
            job,
            lines[1],
            entry(EntryKind::Directory, Some(4096), "docs"),
        ),
        list_line(job, lines[2], file("12.txt", 5)),
        list_line(job, lines[3], entry(EntryKind::Directory, None, "old")),
        list_line(job, lines[4], file("report.pdf", 1234)),
        list_line(job, lines[5], entry(EntryKind::Symlink, Some(6), "latest")),
    ];
    assert_eq!(got[..6], expected[..]);
    assert!(matches!(
        &got[6],
        Ev::ListLine { job: j, line, entry: Err(ListingError::Unrecognised { .. }) }
            if *j == job && line == lines[6]
    ));
    assert_eq!(
        got[7],
        ok(
            job,
            Outcome::Listed {
                entries: 5,
                lines: 7
            }
        )
    );
    assert_eq!(got.len(), 8);
    h.end();
}

// --------------------------------------------------- mkdir, rmdir, query, quit

#[test]
fn mkdir_and_rmdir() {
    let mut h = configured();
    let mk = h.queue(|s| s.mkdir("/invoker"));
    let rm = h.queue(|s| s.rmdir("/invoker"));
    exchange!(h, b"AT+FTPMKD=/invoker\r" => OK);
    events!(h, ok(mk, Outcome::DirectoryCreated));
    exchange!(h, b"AT+FTPRMD=/invoker\r" => OK);
    events!(h, ok(rm, Outcome::DirectoryRemoved));
    h.end();
}

#[test]
fn query_config() {
    let mut h = Harness::default();
    let job = h.queue(|s| s.query_config());
    exchange!(
        h,
        b"AT+FTPSCON\r" =>
        "\r\n+FTPSCON \u{ff1a}\r\nserver: 47.104.157.10\r\n+FTPMODE: 1\r\n+FTPPW: 123\r\nuser: xs\r\n\r\nOK\r\n".as_bytes()
    );
    events!(
        h,
        Ev::Config {
            job,
            item: "Info(Info { name: FtpScon, value: Empty })".into()
        },
        Ev::Config {
            job,
            item: "Unknown(b\"server: 47.104.157.10\")".into()
        },
        Ev::Config {
            job,
            item: "Info(Info { name: FtpMode, value: Number(1) })".into()
        },
        Ev::Config {
            job,
            item: "Info(Info { name: FtpPw, value: <redacted> })".into()
        },
        Ev::Config {
            job,
            item: "Unknown(b\"user: xs\")".into()
        },
        ok(job, Outcome::ConfigReported { items: 5 }),
    );
    h.end();
}

#[test]
fn query_config_with_urc_inside() {
    let mut h = Harness::default();
    let job = h.queue(|s| s.query_config());
    exchange!(h, b"AT+FTPSCON\r" => b"\r\n+FTPSCON:\r\nXXX\r\n\r\n+CPIN: READY\r\n\r\nOK\r\n");
    events!(
        h,
        Ev::Config {
            job,
            item: "Info(Info { name: FtpScon, value: Empty })".into()
        },
        Ev::Config {
            job,
            item: "Unknown(b\"XXX\")".into()
        },
        unsolicited("Urc(Cpin(b\"READY\"))"),
        ok(job, Outcome::ConfigReported { items: 2 }),
    );
    h.end();
}

#[test]
fn quit_closes_the_link() {
    let mut h = configured();
    let quit = h.queue(|s| s.quit());
    exchange!(h, b"AT+FTPQUIT\r" => OK);
    events!(h, ok(quit, Outcome::Quit));
    assert_eq!(h.session.link(), Link::Down);
    let get = h.queue(|s| s.get("a", 0));
    events!(h, failed(get, JobError::NotConfigured));
    // Jobs that do not use the connection still run.
    let query = h.queue(|s| s.query_config());
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(query, Outcome::ConfigReported { items: 0 }));
    h.end();
}

// ------------------------------------------------------------------ timeouts

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
    h.session.send_data(b"x").unwrap();
    h.pump();
    check(&mut h, b"AT+FTPPUT=1,x\r", 30, OK);
    h.session.finish_put().unwrap();
    h.pump();
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
    recv!(h, b"AT\r");
    assert_eq!(h.timeout_in(), 100);
    send!(h, OK);
    events!(h);
    recv!(h, b"AT+FTPQUIT\r");
    assert_eq!(h.timeout_in(), 700);
    h.wait(700);
    events!(h, timed_out(quit, CommandName::FtpQuit));
    recv!(h, b"AT\r");
    assert_eq!(h.timeout_in(), 100);
    send!(h, OK);
    events!(h);
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
            link: Link::Up,
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
        recv!(h, b"AT\r");
        assert_eq!(h.timeout_in(), 5_000);
        send!(h, OK);
        events!(h);
        exchange!(h, b"AT+FTPSCON\r" => OK);
        events!(h, ok(next, Outcome::ConfigReported { items: 0 }));
        h.end();
    }
}

#[test]
fn put_timeouts() {
    // A chunk.
    let mut h = configured();
    let job = h.queue(|s| s.put("a"));
    exchange!(h, b"AT+FTPPUTNAME=a\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.session.send_data(b"abc").unwrap();
    h.pump();
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
    h.session.finish_put().unwrap();
    h.pump();
    recv!(h, b"AT+FTPPUT=0\r");
    h.wait(59_999);
    events!(h);
    h.wait(1);
    events!(h, timed_out(job, CommandName::FtpPut));
    // The close failed without its final result: resync.
    exchange!(h, b"AT\r" => OK);
    events!(h);
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
    h.session.finish_put().unwrap();
    h.pump();
    exchange!(h, b"AT+FTPPUT=0\r" => OK);
    events!(h, ok(job, Outcome::Uploaded { bytes: 0 }));
    h.end();
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
    // Bytes of a chunk that has not arrived whole do not restart the timer;
    // the chunk's announced length is reported with what did arrive.
    h.wait(30_000);
    send!(h, b"\r\n+FTPGET:4,ab");
    assert_eq!(h.timeout_in(), 30_000);
    h.wait(30_000);
    events!(
        h,
        failed(
            job,
            protocol(
                CommandName::FtpGet,
                ProtocolError::PayloadIncomplete {
                    announced: 9,
                    received: 5
                }
            )
        )
    );
    exchange!(h, b"AT\r" => OK);
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
    exchange!(h, b"AT\r" => OK);
    h.end();
}

#[test]
fn timeout_inside_a_payload() {
    let mut h = configured();
    let job = h.queue(|s| s.get("big", 5));
    exchange!(h, b"AT+FTPGETNAME=big\r" => OK);
    exchange!(h, b"AT+FTPRESET=5\r" => OK);
    recv!(h, b"AT+FTPGET\r");
    send!(h, b"\r\n+FTPGET:3,abc\r\n");
    let len = MAX_FRAGMENT + 10;
    let mut reply = format!("\r\n+FTPGET:{len},").into_bytes();
    reply.extend(std::iter::repeat(b'z').take(MAX_FRAGMENT + 4));
    send!(h, &reply);
    events!(h, data(job, 5, b"abc"), data(job, 8, &[b'z'; MAX_FRAGMENT]));
    h.wait(60_000);
    events!(
        h,
        failed(
            job,
            protocol(
                CommandName::FtpGet,
                ProtocolError::PayloadIncomplete {
                    announced: len as u64 + 3,
                    received: MAX_FRAGMENT as u64 + 3,
                }
            )
        )
    );
    assert_eq!(h.session.link(), Link::Down);
    // The receive side was reset: what the modem still sends of the old
    // payload is read as lines again, and the resync probe takes it, with
    // the failed command's late final result, before the next job starts.
    let q = h.queue(|s| s.query_config());
    // The probe's own answer, coming second, is unsolicited.
    exchange!(h, b"AT\r" => b"zzzzzz\r\nOK\r\n\r\nOK\r\n");
    events!(h, unsolicited("Unknown(b\"zzzzzz\")"), unsolicited("Ok"));
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
    h.end();
}

// -------------------------------------------------------------------- resync

/// A command that times out leaves the modem's state unknown: after the guard
/// time the session sends `AT` and waits for a final result, whichever comes
/// (the failed command's late answer or the probe's own), before the next
/// job's first command. A second final result is unsolicited.
#[test]
fn resync_after_a_timeout() {
    let late_answers: [&[u8]; 3] = [OK, ERROR, b"\r\n+CME ERROR: 3\r\n"];
    for late in late_answers {
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
        recv!(h, b"AT\r");
        assert_eq!(h.timeout_in(), 5_000);
        // The queued job waits for a final result.
        h.wait(4_999);
        h.expect_no_tx();
        events!(h);
        // The failed command's late answer, whatever it says, ends the
        // resync without an event.
        send!(h, late);
        events!(h);
        // The next job's command waits for the guard time after it.
        h.expect_no_tx();
        assert_eq!(h.timeout_in(), 20);
        // The probe's own answer, during the guard time: unsolicited.
        send!(h, OK);
        events!(h, unsolicited("Ok"));
        exchange!(h, b"AT+FTPSCON\r" => OK);
        events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
        // A success needs no resync.
        h.end();
    }
}

/// A response that belongs to another command fails the job at once, without
/// a final result: the same resync follows, with no guard time to wait for.
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
    recv!(h, b"AT\r");
    assert_eq!(h.timeout_in(), 5_000);
    h.wait(1_000);
    h.expect_no_tx();
    // The failed command's late final result ends the resync.
    send!(h, OK);
    events!(h);
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
    h.end();
}

/// While the probe waits, what the failed command still sends (here the
/// listing that came too late) is reported and does not end the wait: only
/// a final result does, so the next job never takes the old answer.
#[test]
fn resync_waits_through_the_late_answer_of_the_failed_command() {
    let mut h = configured();
    let list = h.queue(|s| s.list(None));
    let q = h.queue(|s| s.query_config());
    recv!(h, b"AT+FTPLIST\r");
    h.wait(60_000);
    events!(h, timed_out(list, CommandName::FtpList));
    recv!(h, b"AT\r");
    send!(h, b"\r\n+FTPLIST:1,48\r\n");
    events!(h, unsolicited("FtpList { mode: 1, len: 48 }"));
    h.expect_no_tx();
    send!(h, b"-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\n");
    events!(
        h,
        unsolicited("ListLine(b\"-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\")")
    );
    h.expect_no_tx();
    h.wait(4_000);
    h.expect_no_tx();
    // The listing's final result ends the resync.
    send!(h, OK);
    events!(h);
    // The probe's own answer, during the guard time.
    send!(h, OK);
    events!(h, unsolicited("Ok"));
    exchange!(
        h,
        b"AT+FTPSCON\r" =>
        b"\r\n+FTPSCON:\r\nXXX\r\n\r\nOK\r\n"
    );
    events!(
        h,
        Ev::Config {
            job: q,
            item: "Info(Info { name: FtpScon, value: Empty })".into()
        },
        Ev::Config {
            job: q,
            item: "Unknown(b\"XXX\")".into()
        },
        ok(q, Outcome::ConfigReported { items: 2 }),
    );
    h.end();
}

/// A probe that gets no answer is retried like bring-up's
/// (`probe_attempts`, the local timeout each), then given up without an
/// event: it is not a job. The queue goes on, and every job ends once.
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
    let rm = h.queue(|s| s.rmdir("a"));
    let q = h.queue(|s| s.query_config());
    let q2 = h.queue(|s| s.query_config());
    let silent_probes = |h: &mut Harness| {
        for _ in 0..2 {
            recv!(h, b"AT\r");
            assert_eq!(h.timeout_in(), 1_000);
            h.wait(999);
            h.expect_no_tx();
            h.wait(1);
            events!(h);
        }
    };
    // The modem is silent: each job times out, each resync is given up.
    recv!(h, b"AT+FTPMKD=a\r");
    h.wait(30_000);
    events!(h, timed_out(mk, CommandName::FtpMkd));
    silent_probes(&mut h);
    recv!(h, b"AT+FTPRMD=a\r");
    h.wait(30_000);
    events!(h, timed_out(rm, CommandName::FtpRmd));
    silent_probes(&mut h);
    recv!(h, b"AT+FTPSCON\r");
    h.wait(1_000);
    events!(h, timed_out(q, CommandName::FtpScon));
    silent_probes(&mut h);
    // The modem is back: the last job runs at once, with no probe before it.
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(q2, Outcome::ConfigReported { items: 0 }));
    assert_eq!(
        h.transmitted.iter().filter(|l| l == &b"AT\r").count(),
        6,
        "three resyncs, two attempts each"
    );
    h.end();
}

/// A resync probe answered on its second attempt ends the resync; the
/// attempts start again for the next one.
#[test]
fn resync_probe_answered_on_a_later_attempt() {
    let mut h = configured();
    let mk = h.queue(|s| s.mkdir("a"));
    let mk2 = h.queue(|s| s.mkdir("b"));
    let q = h.queue(|s| s.query_config());
    recv!(h, b"AT+FTPMKD=a\r");
    h.wait(30_000);
    events!(h, timed_out(mk, CommandName::FtpMkd));
    recv!(h, b"AT\r");
    h.wait(5_000);
    events!(h);
    exchange!(h, b"AT\r" => OK);
    events!(h);
    recv!(h, b"AT+FTPMKD=b\r");
    h.wait(30_000);
    events!(h, timed_out(mk2, CommandName::FtpMkd));
    for _ in 0..3 {
        recv!(h, b"AT\r");
        h.wait(5_000);
        events!(h);
    }
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
    h.end();
}

/// No resync after a failure that came with its final result, nor after a
/// modem restart: the next job's first command goes next.
#[test]
fn no_resync_after_a_final_result_or_a_restart() {
    let answers: [(&[u8], JobError, Option<&str>); 5] = [
        (ERROR, modem(CommandName::FtpMkd, ModemError::Error), None),
        (
            b"\r\n+CME ERROR: 3\r\n",
            modem(CommandName::FtpMkd, ModemError::Cme { code: Some(3) }),
            None,
        ),
        (
            b"\r\n+CMS ERROR: 500\r\n",
            modem(CommandName::FtpMkd, ModemError::Cms { code: Some(500) }),
            None,
        ),
        (
            b"\r\nRDY\r\n",
            protocol(CommandName::FtpMkd, ProtocolError::ModemRestarted),
            Some("Urc(Ready)"),
        ),
        (
            b"\r\n+CFUN: 1\r\n",
            protocol(CommandName::FtpMkd, ProtocolError::ModemRestarted),
            Some("Urc(Cfun(1))"),
        ),
    ];
    for (answer, error, urc) in answers {
        let mut h = configured();
        let mk = h.queue(|s| s.mkdir("a"));
        let q = h.queue(|s| s.query_config());
        exchange!(h, b"AT+FTPMKD=a\r" => answer);
        match urc {
            Some(urc) => events!(h, unsolicited(urc), failed(mk, error)),
            None => events!(h, failed(mk, error)),
        }
        exchange!(h, b"AT+FTPSCON\r" => OK);
        events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
        assert!(!h.transmitted.iter().any(|l| l == b"AT\r"));
        h.end();
    }
}

// ---------------------------------------------------------------------- URCs

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
    // A power-down marks the connection down, but the running job goes on.
    assert_eq!(h.session.link(), Link::Down);
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
    assert_eq!(h.session.link(), Link::Down);
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
        assert_eq!(h.session.link(), Link::Down);
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
    assert_eq!(h.session.link(), Link::Down);
    recv!(h, b"AT\r");
    for _ in 0..2 {
        h.wait(5_000);
        recv!(h, b"AT\r");
    }
    h.wait(5_000);
    events!(h);
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
        assert_eq!(h.session.link(), Link::Down);
        // Jobs that do not need the connection run.
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
        // The restart forgot the offset and the type: the resumed get sets
        // both again.
        let get = h.queue(|s| s.get("12.txt", 2));
        exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
        exchange!(h, b"AT+FTPRESET=2\r" => OK);
        exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:3,345\r\n\r\nOK\r\n");
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
        h.end();
    }
}

/// A restart during bring-up does not fail it (a booting modem says `RDY`),
/// but the modem has forgotten its FTP settings all the same.
#[test]
fn modem_restart_during_bring_up_forgets_the_settings() {
    let mut h = configured();
    let get = h.queue(|s| s.get("12.txt", 2));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPRESET=2\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:3,345\r\n\r\nOK\r\n");
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
    let up = h.queue(|s| s.bring_up(BringUp::default()));
    recv!(h, b"AT\r");
    send!(h, b"\r\nRDY\r\n");
    events!(h, unsolicited("Urc(Ready)"));
    h.wait(5_000);
    exchange!(h, b"AT\r" => OK);
    exchange!(h, b"ATE0\r" => OK);
    exchange!(h, b"AT+CFUN=1\r" => OK);
    exchange!(h, b"AT+CGACT=1,1\r" => OK);
    events!(h, ok(up, Outcome::BroughtUp));
    assert_eq!(h.session.link(), Link::Down);
    let get = h.queue(|s| s.get("12.txt", 2));
    events!(h, failed(get, JobError::NotConfigured));
    let conf = h.queue(|s| s.configure(&MANUAL_FTP));
    manual_configure(&mut h, conf);
    // The offset is set again: the restarted modem starts from 0.
    let get = h.queue(|s| s.get("12.txt", 2));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPRESET=2\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:3,345\r\n\r\nOK\r\n");
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
    assert_eq!(h.session.link(), Link::Down);
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
    assert_eq!(h.session.link(), Link::Down);
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
    let mut h = Harness::default();
    let up = h.queue(|s| s.bring_up(MANUAL_BRING_UP));
    exchange!(h, b"AT+CFUN=1\r" => OK);
    exchange!(h, b"AT+CGACT=1,1\r" => OK);
    events!(h, ok(up, Outcome::BroughtUp));
    let conf = h.queue(|s| s.configure(&MANUAL_FTP));
    manual_configure(&mut h, conf);
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
    assert_eq!(h.session.link(), Link::Down);
    h.end();
}

// ------------------------------------------------------- unexpected responses

#[test]
fn unexpected_responses_fail_the_job() {
    let cases: [(&[u8], ResponseKind, &str); 4] = [
        (
            b"\r\n+FTPGET:3,345\r\n",
            ResponseKind::FtpGet,
            "FtpGet { len: 3, data: b\"345\" }",
        ),
        (
            b"\r\n+FTPSERV:0\r\n",
            ResponseKind::ServResult,
            "ServResult(Success)",
        ),
        (
            b"\r\n+FTPLIST:1,0\r\n",
            ResponseKind::FtpList,
            "FtpList { mode: 1, len: 0 }",
        ),
        (
            b"\r\n+FTPLIST:1,7\r\nabc def\r\n",
            ResponseKind::FtpList,
            "FtpList { mode: 1, len: 7 }",
        ),
    ];
    for (stray, kind, debug) in cases {
        let mut h = Harness::default();
        let conf = h.queue(|s| s.configure(&MANUAL_FTP));
        let get = h.queue(|s| s.get("a", 0));
        exchange!(h, b"AT+FTPPORT=15881\r" => OK);
        recv!(h, b"AT+FTPMODE=1\r");
        send!(h, stray);
        let mut expected = vec![
            unsolicited(debug),
            failed(
                conf,
                protocol(CommandName::FtpMode, ProtocolError::Unexpected(kind)),
            ),
        ];
        if stray.ends_with(b"def\r\n") {
            expected.push(unsolicited("ListLine(b\"abc def\")"));
        }
        assert_eq!(h.take_events(), expected);
        assert_eq!(h.session.link(), Link::Down);
        // The resync probe goes before the queued get; the failed command's
        // late answer ends it, and only then does the get start (and fail).
        recv!(h, b"AT\r");
        h.expect_no_tx();
        send!(h, OK);
        events!(h, failed(get, JobError::NotConfigured));
        // The probe's own answer, second, is reported.
        send!(h, OK);
        events!(h, unsolicited("Ok"));
        assert_eq!(h.session.link(), Link::Down);
        h.end();
    }
}

#[test]
fn unexpected_serv_result_during_get() {
    let mut h = configured();
    let get = h.queue(|s| s.get("a", 0));
    exchange!(h, b"AT+FTPGETNAME=a\r" => b"\r\n+FTPSERV:0\r\n\r\nOK\r\n");
    events!(
        h,
        unsolicited("ServResult(Success)"),
        failed(
            get,
            protocol(
                CommandName::FtpGetName,
                ProtocolError::Unexpected(ResponseKind::ServResult)
            )
        ),
        unsolicited("Ok"),
    );
    exchange!(h, b"AT\r" => OK);
    events!(h);
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

// ----------------------------------------------------------------- usage errors

#[test]
fn usage_errors() {
    let mut h = Harness::default();
    // Nothing to send data to.
    assert_eq!(h.session.send_data(b"x"), Err(UsageError::NotAwaitingData));
    assert_eq!(h.session.send_data(b""), Err(UsageError::EmptyData));
    assert_eq!(h.session.finish_put(), Err(UsageError::NotAwaitingData));

    let forbidden = |field, offset, byte| {
        Err(UsageError::Invalid(EncodeError::ForbiddenByte {
            field,
            offset,
            byte,
        }))
    };
    assert_eq!(
        h.try_queue(|s| s.put("a\rb")),
        forbidden(TextKind::FileName, 1, Some(b'\r'))
    );
    assert_eq!(
        h.try_queue(|s| s.get("a\nb", 0)),
        forbidden(TextKind::FileName, 1, Some(b'\n'))
    );
    assert_eq!(
        h.try_queue(|s| s.list(Some("\"/x\""))),
        forbidden(TextKind::Path, 0, Some(b'"'))
    );
    assert_eq!(
        h.try_queue(|s| s.mkdir("a,b")),
        forbidden(TextKind::Directory, 1, Some(b','))
    );
    assert_eq!(
        h.try_queue(|s| s.rmdir("a;AT+FTPQUIT")),
        forbidden(TextKind::Directory, 1, Some(b';'))
    );
    assert_eq!(
        h.try_queue(|s| s.put("")),
        Err(UsageError::Invalid(EncodeError::Empty {
            field: TextKind::FileName
        }))
    );
    assert_eq!(
        h.try_queue(|s| s.get(&"x".repeat(65), 0)),
        Err(UsageError::Invalid(EncodeError::TooLong {
            field: TextKind::FileName,
            max: 64,
            len: 65
        }))
    );
    assert!(h.try_queue(|s| s.get(&"x".repeat(64), 0)).is_ok());
    let conf = |ftp: FtpConfig<'_>, h: &mut Harness| h.try_queue(|s| s.configure(&ftp));
    assert_eq!(
        conf(
            FtpConfig {
                port: Some(0),
                ..MANUAL_FTP
            },
            &mut h
        ),
        Err(UsageError::Invalid(EncodeError::PortZero))
    );
    assert_eq!(
        conf(
            FtpConfig {
                user: "x\r\nAT+FTPQUIT",
                ..MANUAL_FTP
            },
            &mut h
        ),
        forbidden(TextKind::User, 1, Some(b'\r'))
    );
    // A refused password is not shown.
    assert_eq!(
        conf(
            FtpConfig {
                password: "12\r3",
                ..MANUAL_FTP
            },
            &mut h
        ),
        forbidden(TextKind::Password, 2, None)
    );
    assert!(matches!(
        conf(
            FtpConfig {
                server: "47.104.157.10\r",
                ..MANUAL_FTP
            },
            &mut h
        ),
        Err(UsageError::Invalid(_))
    ));
    assert!(matches!(
        conf(
            FtpConfig {
                server: "256.1.1.1",
                ..MANUAL_FTP
            },
            &mut h
        ),
        Err(UsageError::Invalid(EncodeError::InvalidHost { .. }))
    ));
    assert_eq!(
        conf(
            FtpConfig {
                path: Some(" /x"),
                ..MANUAL_FTP
            },
            &mut h
        ),
        Err(UsageError::Invalid(EncodeError::EdgeSpace {
            field: TextKind::Path
        }))
    );
    // Refused verbs queued nothing: only the 64-byte get runs.
    exchange!(h, format!("AT+FTPGETNAME={}\r", "x".repeat(64)).as_bytes() => ERROR);
    let events = h.take_events();
    assert!(matches!(
        events[..],
        [Ev::Done {
            job: 0,
            result: Err(_)
        }]
    ));
    h.end();
}

#[test]
fn queue_full() {
    let mut h = Harness::default();
    // One job runs; MAX_QUEUED_JOBS wait behind it.
    let mut jobs = vec![h.queue(|s| s.query_config())];
    for _ in 0..MAX_QUEUED_JOBS {
        jobs.push(h.queue(|s| s.mkdir("d")));
    }
    assert_eq!(h.try_queue(|s| s.quit()), Err(UsageError::QueueFull));
    assert_eq!(h.try_queue(|s| s.put("x")), Err(UsageError::QueueFull));
    assert_eq!(
        h.try_queue(|s| s.configure(&MANUAL_FTP)),
        Err(UsageError::QueueFull)
    );
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(jobs[0], Outcome::ConfigReported { items: 0 }));
    // Room for one more.
    jobs.push(h.queue(|s| s.quit()));
    assert_eq!(h.try_queue(|s| s.quit()), Err(UsageError::QueueFull));
    // Job numbers continue after refused verbs.
    assert_eq!(jobs, (0..=9).collect::<Vec<u32>>());
    for &job in &jobs[1..=MAX_QUEUED_JOBS] {
        exchange!(h, b"AT+FTPMKD=d\r" => OK);
        events!(h, ok(job, Outcome::DirectoryCreated));
    }
    exchange!(h, b"AT+FTPQUIT\r" => OK);
    events!(h, ok(jobs[9], Outcome::Quit));
    h.end();
}

#[test]
fn send_data_only_for_the_running_put() {
    let mut h = configured();
    let mk = h.queue(|s| s.mkdir("d"));
    let put = h.queue(|s| s.put("a"));
    // The put job is queued, not running.
    assert_eq!(h.session.send_data(b"x"), Err(UsageError::NotAwaitingData));
    exchange!(h, b"AT+FTPMKD=d\r" => OK);
    events!(h, ok(mk, Outcome::DirectoryCreated));
    // AT+FTPPUTNAME is on its way.
    recv!(h, b"AT+FTPPUTNAME=a\r");
    assert_eq!(h.session.send_data(b"x"), Err(UsageError::NotAwaitingData));
    assert_eq!(h.session.finish_put(), Err(UsageError::NotAwaitingData));
    send!(h, OK);
    events!(h, Ev::PutReady { job: put, max: 512 });
    assert_eq!(h.session.send_data(b""), Err(UsageError::EmptyData));
    h.session.finish_put().unwrap();
    assert_eq!(h.session.finish_put(), Err(UsageError::NotAwaitingData));
    assert_eq!(h.session.send_data(b"x"), Err(UsageError::NotAwaitingData));
    h.pump();
    exchange!(h, b"AT+FTPPUT=0\r" => OK);
    events!(h, ok(put, Outcome::Uploaded { bytes: 0 }));
    h.end();
}

// ------------------------------------------------------------------ guard time

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

// ---------------------------------------------------------------- the password

/// The password appears nowhere but in the `AT+FTPPW` line sent: not in
/// `Debug` of the session, the configuration, any event or error, nor in any
/// other line sent. After the modem's answer the transmit buffer is wiped;
/// the only window onto it, `poll_transmit`, shows nothing.
#[test]
fn the_password_never_leaks() {
    const SECRET: &str = "123";
    let ftp = FtpConfig {
        path: Some("/docs"),
        ..MANUAL_FTP
    };
    assert_eq!(ftp.password, SECRET);
    let debug = format!("{ftp:?} {ftp:#?}");
    assert!(!debug.contains(SECRET), "{debug}");

    let mut h = Harness::default();
    // Echo on: the modem echoes the password line back; it also answers a
    // query that shows it, and a restart fails a later job.
    let up = h.queue(|s| s.bring_up(MANUAL_BRING_UP));
    exchange!(h, b"AT+CFUN=1\r" => b"AT+CFUN=1\r\r\nOK\r\n");
    exchange!(h, b"AT+CGACT=1,1\r" => OK);
    let conf = h.queue(|s| s.configure(&ftp));
    h.log.push(format!("{:?} {:#?}", h.session, h.session));
    exchange!(h, b"AT+FTPPORT=15881\r" => OK);
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => b"\r\n+FTPSERV:0\r\n\r\nOK\r\n");
    exchange!(h, b"AT+FTPUN=xs\r" => OK);
    recv!(h, b"AT+FTPPW=123\r");
    h.log.push(format!("{:?} {:#?}", h.session, h.session));
    // The echo, an unsolicited query answer, then the result.
    send!(h, b"AT+FTPPW=123\r\r\n+FTPPW: 123\r\n\r\nOK\r\n");
    assert_eq!(h.session.poll_transmit(h.instant()), None);
    exchange!(h, b"AT+FTPTYPE=I\r" => OK);
    exchange!(h, b"AT+FTPPATH=/docs\r" => OK);
    let q = h.queue(|s| s.query_config());
    exchange!(h, b"AT+FTPSCON\r" => b"\r\n+FTPSCON:\r\n+FTPPW: 123\r\n\r\nOK\r\n");
    // Errors that name the password command.
    let conf2 = h.queue(|s| s.configure(&ftp));
    exchange!(h, b"AT+FTPPORT=15881\r" => OK);
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => OK);
    exchange!(h, b"AT+FTPUN=xs\r" => OK);
    exchange!(h, b"AT+FTPPW=123\r" => b"\r\n+CME ERROR: 16\r\n");
    let conf3 = h.queue(|s| s.configure(&ftp));
    exchange!(h, b"AT+FTPPORT=15881\r" => OK);
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => OK);
    exchange!(h, b"AT+FTPUN=xs\r" => OK);
    recv!(h, b"AT+FTPPW=123\r");
    h.wait(5_000);
    let conf4 = h.queue(|s| s.configure(&ftp));
    exchange!(h, b"AT\r" => OK);
    exchange!(h, b"AT+FTPPORT=15881\r" => OK);
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => OK);
    exchange!(h, b"AT+FTPUN=xs\r" => OK);
    recv!(h, b"AT+FTPPW=123\r");
    send!(h, b"\r\nRDY\r\n");
    // A password refused at once.
    let refused = h.try_queue(|s| {
        s.configure(&FtpConfig {
            password: "123\r",
            ..ftp
        })
    });
    assert!(refused.is_err());
    let events = h.take_events();
    assert_eq!(
        events
            .iter()
            .filter_map(|e| match e {
                Ev::Done { job, result } => Some((*job, result.is_ok())),
                _ => None,
            })
            .collect::<Vec<_>>(),
        [
            (up, true),
            (conf, true),
            (q, true),
            (conf2, false),
            (conf3, false),
            (conf4, false)
        ]
    );
    for e in &events {
        if let Ev::Done { result: Err(e), .. } = e {
            h.log.push(format!("{e} {e:?}"));
        }
    }
    h.log.push(format!("{:?} {:#?}", h.session, h.session));
    h.end();
    for line in &h.log {
        assert!(!line.contains(SECRET), "{line}");
    }
    for event in &h.history {
        let debug = format!("{event:?}");
        assert!(!debug.contains(SECRET), "{debug}");
    }
    for line in &h.transmitted {
        let text = line.escape_ascii().to_string();
        assert_eq!(text.contains(SECRET), text == "AT+FTPPW=123\\r", "{text}");
    }
    assert_eq!(
        h.transmitted
            .iter()
            .filter(|l| l == &b"AT+FTPPW=123\r")
            .count(),
        4
    );
}

// ---------------------------------------------------------------------- size

/// The session is one fixed-size value: its receive buffer, its transmit
/// buffer, the job queue with the jobs' parameters inline. It must fit a
/// small MCU's stack or a static: 16 KiB at most.
#[test]
fn session_size() {
    let size = core::mem::size_of::<Session>();
    println!("size_of::<Session>() = {size} bytes (RX_CAPACITY = {RX_CAPACITY})");
    assert!(size > RX_CAPACITY);
    assert!(size < 16 * 1024, "{size}");
}
