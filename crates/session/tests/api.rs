#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The caller's side of the API: verbs that refuse bad parameters at once
//! and queue nothing, the bounded job queue, when `send_data` and
//! `finish_put` are accepted, a password that never leaves the `AT+FTPPW`
//! line, and the session's fixed size.

#[macro_use]
mod harness;

use cellftp_proto::{EncodeError, TextKind};
use cellftp_session::{FtpConfig, Outcome, Session, UsageError, MAX_QUEUED_JOBS, RX_CAPACITY};
use harness::*;

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
    resync(&mut h);
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

/// `buffered` counts the modem's bytes taken and not yet decoded: a line
/// cut short stays buffered, and draining the events decodes every
/// complete one.
#[test]
fn buffered_counts_what_is_not_decoded_yet() {
    let mut s = Session::default();
    let now = cellftp_session::Instant::from_millis(0);
    assert_eq!(s.buffered(), 0);
    assert_eq!(s.handle_input(now, b"\r\n+CPIN: REA"), 12);
    assert_eq!(s.buffered(), 12);
    while s.poll_event().is_some() {}
    // The line end before it is decoded; the line has no end yet.
    assert_eq!(s.buffered(), b"+CPIN: REA".len());
    assert_eq!(s.handle_input(now, b"DY\r\n"), 4);
    assert!(s.poll_event().is_some(), "the URC");
    while s.poll_event().is_some() {}
    assert_eq!(s.buffered(), 0);
}
