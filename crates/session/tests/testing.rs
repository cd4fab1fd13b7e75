#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The `testing` feature's scripted modem: a session driven against a
//! script whose replies come split, late and echoed, a modem that answers
//! by rule, a command the script did not expect, and the blocking driver
//! over the modem as a port; reading without a copy, and a modem that
//! keeps no lines.

use core::time::Duration;

use cellftp_session::driver::blocking::Blocking;
use cellftp_session::driver::Handler;
use cellftp_session::testing::{run, Exchange, Port, RunError, ScriptedModem};
use cellftp_session::{Event, Instant, JobId, Outcome, Session};

/// Records what the session reports and uploads `upload`.
#[derive(Default)]
struct Recorder {
    upload: Vec<u8>,
    downloaded: Vec<u8>,
    done: Vec<String>,
}

impl Handler for Recorder {
    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Data { data, .. } => self.downloaded.extend_from_slice(data),
            Event::JobDone { result, .. } => self.done.push(format!("{result:?}")),
            _ => {}
        }
    }

    fn fill(&mut self, _job: JobId, buf: &mut [u8]) -> usize {
        let n = self.upload.len().min(buf.len());
        buf[..n].copy_from_slice(&self.upload[..n]);
        self.upload.drain(..n);
        n
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn split_late_and_echoed_replies() {
    let mut modem = ScriptedModem::new();
    modem
        .echo(true)
        .read_size(3)
        .expect(b"AT+FTPGETNAME=12.txt\r", b"\r\nOK\r\n")
        .exchange(Exchange::split(
            b"AT+FTPGET\r",
            &[
                (ms(100), b"\r\n+FTPGET:5,he"),
                (ms(2_000), b"llo\r\n"),
                (ms(10), b"\r\nOK\r\n"),
            ],
        ));
    let mut session = Session::default();
    session.get("12.txt", 0).unwrap();
    let mut rec = Recorder::default();
    let end = run(
        &mut session,
        &mut modem,
        &mut rec,
        Instant::from_millis(0),
        10_000,
    )
    .unwrap();
    assert_eq!(rec.downloaded, b"hello");
    assert_eq!(
        rec.done,
        [format!(
            "{:?}",
            Ok::<_, ()>(Outcome::Downloaded {
                offset: 0,
                bytes: 5
            })
        )]
    );
    assert!(modem.is_done() && modem.mismatches().is_empty());
    assert!(end >= Instant::from_millis(2_110), "{end:?}");
}

#[test]
fn a_reply_later_than_the_timeout_fails_the_job() {
    let mut modem = ScriptedModem::new();
    modem
        .exchange(Exchange::split(
            b"AT+FTPMKD=/a\r",
            &[(ms(31_000), b"\r\nOK\r\n")],
        ))
        .expect(b"AT\r", b"\r\nOK\r\n");
    let mut session = Session::default();
    session.mkdir("/a").unwrap();
    let mut rec = Recorder::default();
    run(
        &mut session,
        &mut modem,
        &mut rec,
        Instant::from_millis(0),
        10_000,
    )
    .unwrap();
    assert_eq!(rec.done, ["Err(Timeout { command: FtpMkd })"]);
}

#[test]
fn a_command_the_script_does_not_expect_is_reported() {
    let mut modem = ScriptedModem::new();
    modem.expect(b"AT+FTPRMD=/b\r", b"\r\nOK\r\n");
    let mut session = Session::default();
    session.mkdir("/a").unwrap();
    let mut rec = Recorder::default();
    // Nobody answers: the session times out, probes, and gives up.
    let _ = run(
        &mut session,
        &mut modem,
        &mut rec,
        Instant::from_millis(0),
        10_000,
    );
    let first = &modem.mismatches()[0];
    assert_eq!(first.expected.as_deref(), Some(&b"AT+FTPRMD=/b\r"[..]));
    assert_eq!(first.got, b"AT+FTPMKD=/a\r");
}

#[test]
fn a_silent_modem_stalls_nothing() {
    let mut modem = ScriptedModem::new();
    let mut session = Session::default();
    let mut rec = Recorder::default();
    assert_eq!(
        run(
            &mut session,
            &mut modem,
            &mut rec,
            Instant::from_millis(0),
            10
        ),
        Ok(Instant::from_millis(0))
    );
    session.quit().unwrap();
    // No script, no responder: the quit and the resync probes time out.
    let end = run(
        &mut session,
        &mut modem,
        &mut rec,
        Instant::from_millis(0),
        10_000,
    )
    .unwrap();
    assert_eq!(rec.done, ["Err(Timeout { command: FtpQuit })"]);
    assert!(end >= Instant::from_millis(30_000));
    assert!(!modem.mismatches().is_empty());
    assert!(matches!(
        run(&mut session, &mut modem, &mut rec, end, 0),
        Err(RunError::TooLong)
    ));
}

/// A modem that answers by rule: every command `OK`.
fn ok_modem() -> ScriptedModem {
    let mut modem = ScriptedModem::new();
    modem.respond_with(|_, reply| reply.push(b"\r\nOK\r\n"));
    modem
}

#[test]
fn a_responder_answers_an_upload() {
    let mut modem = ok_modem();
    let mut session = Session::default();
    session.put("up.bin").unwrap();
    let mut rec = Recorder {
        upload: (0..1500u32).map(|i| i as u8).collect(),
        ..Recorder::default()
    };
    run(
        &mut session,
        &mut modem,
        &mut rec,
        Instant::from_millis(0),
        10_000,
    )
    .unwrap();
    assert_eq!(rec.done, ["Ok(Uploaded { bytes: 1500 })"]);
    let lines = modem.received();
    assert_eq!(lines.len(), 1 + 3 + 1, "name, three chunks, close");
    assert!(lines[1].starts_with(b"AT+FTPPUT=512,"));
    assert_eq!(lines[4], b"AT+FTPPUT=0\r");
}

#[test]
fn the_blocking_driver_over_a_port() {
    let mut modem = ok_modem();
    modem.read_size(5);
    let mut session = Session::default();
    session.mkdir("/a").unwrap();
    session.quit().unwrap();
    let mut driver = Blocking::new(Port::new(modem), session);
    let mut rec = Recorder::default();
    driver.run(&mut rec).unwrap();
    assert_eq!(rec.done, ["Ok(DirectoryCreated)", "Ok(Quit)"]);
    let (port, _) = driver.into_parts();
    assert_eq!(
        port.modem.received(),
        [&b"AT+FTPMKD=/a\r"[..], b"AT+FTPQUIT\r"]
    );
}

#[test]
fn due_bytes_are_read_without_a_copy_in_order() {
    let mut modem = ScriptedModem::new();
    modem
        .echo(true)
        .exchange(Exchange::split(
            b"AT+FTPGET\r",
            &[(ms(0), b"\r\n+FTPGET:1,a\r\n"), (ms(50), b"\r\nOK\r\n")],
        ))
        .expect(b"AT\r", b"\r\nOK\r\n");
    let t0 = Instant::from_millis(0);
    modem.write(t0, b"AT+FTPGET\r");
    assert_eq!(modem.due(t0), b"AT+FTPGET\r\r\n+FTPGET:1,a\r\n");
    modem.consume(3);
    assert_eq!(modem.due(t0), b"FTPGET\r\r\n+FTPGET:1,a\r\n");
    // A command written while a reply is unread: its echo and reply queue
    // behind the late piece, as on a serial line.
    modem.write(t0, b"AT\r");
    assert_eq!(modem.due(t0), b"FTPGET\r\r\n+FTPGET:1,a\r\n");
    assert_eq!(modem.next_due(), Some(t0));
    let n = modem.due(t0).len();
    modem.consume(n);
    assert_eq!(modem.next_due(), Some(Instant::from_millis(50)));
    assert_eq!(modem.due(t0), b"");
    assert_eq!(
        modem.due(Instant::from_millis(50)),
        b"\r\nOK\r\nAT\r\r\nOK\r\n"
    );
    modem.consume(usize::MAX);
    assert!(modem.is_done() && modem.mismatches().is_empty());
    assert_eq!(modem.received(), [&b"AT+FTPGET\r"[..], b"AT\r"]);
}

#[test]
fn a_stateful_responder_and_no_kept_lines() {
    let mut modem = ScriptedModem::new();
    let mut count = 0;
    modem
        .keep_received(false)
        .reserve(64)
        .respond_with(move |line, reply| {
            count += 1;
            if line.starts_with(b"AT+FTPMKD=") {
                reply.push(format!("\r\n+CME ERROR: {count}\r\n").as_bytes());
            } else {
                reply.push(b"\r\nOK\r\n");
            }
        });
    let mut session = Session::default();
    session.mkdir("/a").unwrap();
    session.rmdir("/a").unwrap();
    let mut rec = Recorder::default();
    run(
        &mut session,
        &mut modem,
        &mut rec,
        Instant::from_millis(0),
        10_000,
    )
    .unwrap();
    assert_eq!(rec.done.len(), 2);
    assert!(rec.done[0].contains("1"), "{:?}", rec.done);
    assert_eq!(rec.done[1], "Ok(DirectoryRemoved)");
    assert!(modem.received().is_empty());
}
