#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! Staying in step with a modem that misbehaves: a hung modem's backlog, a
//! restart burst, the rest of a timed-out payload, data that trickles in.
//! The modem is `model::Model`, which answers in order like a real one.

mod model;

use core::time::Duration;

use cellftp_proto::{CommandName, Mode, TransferType};
use cellftp_session::{
    BringUp, Config, Event, FtpConfig, Instant, JobError, Link, ModemError, ProtocolError, Session,
    Timeouts,
};
use model::{Fault, Model, Run};

const FTP: FtpConfig<'static> = FtpConfig {
    server: "192.0.2.1",
    port: None,
    mode: Mode::Passive,
    transfer_type: TransferType::Binary,
    user: "u",
    password: "p",
    path: None,
};

fn firmware(line: &[u8]) -> Vec<u8> {
    let upper = line.to_ascii_uppercase();
    if upper.starts_with(b"AT+FTPSERV=") {
        b"\r\n+FTPSERV:3\r\n\r\nERROR\r\n".to_vec()
    } else if upper.starts_with(b"AT+CFUN=") {
        b"\r\n+CME ERROR: 10\r\n".to_vec()
    } else {
        b"\r\nOK\r\n".to_vec()
    }
}

/// A modem that hangs for 12 s and then answers, in order, everything it
/// was sent: no answer is paired with the wrong command, so no configure
/// job succeeds (every `AT+FTPSERV` fails).
#[test]
fn a_hung_modems_backlog_is_never_mispaired() {
    let mut model = Model::new(firmware);
    model.hung_until = 12_000;
    let mut run = Run::new(Session::default(), model);
    let jobs: Vec<_> = (0..3)
        .map(|_| run.session.configure(&FTP).unwrap())
        .collect();
    run.until(3, 600_000);
    for job in jobs {
        let result = run.result(job).expect("every job ends");
        assert!(result.is_err(), "{job:?}: {result:?}\n{:#?}", run.events);
    }
}

/// One restart (`RDY`, `+CFUN: 1`, `+CPIN: READY` over 600 ms) fails the
/// job it interrupted and nothing else (the next mkdir is refused, as the
/// link is [`Link::Restarted`]); the bring-up that follows gets the modem's
/// own answer to `AT+CFUN=1`.
#[test]
fn a_restart_burst_counts_once() {
    let mut model = Model::new(firmware);
    model.faults = vec![Fault {
        restart: true,
        delay: 300,
        ..Fault::default()
    }];
    let mut run = Run::new(Session::default(), model);
    let mk = run.session.mkdir("a").unwrap();
    let mk2 = run.session.mkdir("b").unwrap();
    let up = run
        .session
        .bring_up(BringUp {
            probe: false,
            echo_off: false,
            full_functionality: true,
            pdp_context: None,
        })
        .unwrap();
    run.until(3, 600_000);
    assert_eq!(
        run.result(mk),
        Some(Err(JobError::Protocol {
            command: CommandName::FtpMkd,
            error: ProtocolError::ModemRestarted
        })),
        "{:#?}",
        run.events
    );
    // Refused, not failed by the same restart's `+CFUN: 1`: the link says
    // the modem restarted.
    assert_eq!(
        run.result(mk2),
        Some(Err(JobError::NotConfigured)),
        "{:#?}",
        run.events
    );
    assert_eq!(
        run.events
            .iter()
            .filter(|e| e.contains("ModemRestarted"))
            .count(),
        1,
        "{:#?}",
        run.events
    );
    assert_eq!(
        run.result(up),
        Some(Err(JobError::Modem {
            command: CommandName::Cfun,
            error: ModemError::Cme { code: Some(10) }
        })),
        "{:#?}",
        run.events
    );
}

fn drive(s: &mut Session, now: u64, input: &[u8], out: &mut Vec<String>, tx: &mut Vec<Vec<u8>>) {
    let mut rest = input;
    loop {
        let n = s.handle_input(Instant::from_millis(now), rest);
        rest = &rest[n..];
        s.handle_timeout(Instant::from_millis(now));
        while let Some(e) = s.poll_event() {
            out.push(format!("{e:?}"));
        }
        while let Some(l) = s.poll_transmit(Instant::from_millis(now)) {
            tx.push(l.to_vec());
        }
        if rest.is_empty() {
            break;
        }
    }
}

/// After a get times out inside a chunk, the rest of the chunk is data,
/// skipped by its announced length: a line `RDY` inside it is no restart.
#[test]
fn the_rest_of_a_timed_out_payload_is_skipped_by_its_length() {
    let config = Config {
        timeouts: Timeouts {
            transfer_idle: Duration::from_secs(1),
            ..Timeouts::default()
        },
        ..Config::default()
    };
    let mut s = Session::new(config).unwrap();
    let (mut ev, mut tx) = (Vec::new(), Vec::new());
    let get = s.get("f", 0).unwrap();
    drive(&mut s, 0, b"", &mut ev, &mut tx);
    assert_eq!(tx.pop().unwrap(), b"AT+FTPGETNAME=f\r");
    drive(&mut s, 10, b"\r\nOK\r\n", &mut ev, &mut tx);
    drive(&mut s, 40, b"", &mut ev, &mut tx);
    assert_eq!(tx.pop().unwrap(), b"AT+FTPGET\r");
    drive(&mut s, 50, b"\r\n+FTPGET:20,0123", &mut ev, &mut tx);
    drive(&mut s, 2_000, b"", &mut ev, &mut tx);
    assert!(
        ev.iter()
            .any(|e| e.contains("JobDone") && e.contains("PayloadIncomplete")),
        "{ev:#?}"
    );
    let _ = get;
    ev.clear();
    drive(
        &mut s,
        2_100,
        b"45\r\nRDY\r\n6789012\r\n\r\nOK\r\n",
        &mut ev,
        &mut tx,
    );
    assert!(!ev.iter().any(|e| e.contains("Ready")), "{ev:#?}");
}

/// Data that trickles in (a byte every 400 ms, `transfer_idle` 1 s) keeps a
/// get alive; when it stops, the error counts every byte received.
#[test]
fn trickling_data_keeps_a_get_alive_and_is_counted() {
    let config = Config {
        timeouts: Timeouts {
            transfer_idle: Duration::from_secs(1),
            ..Timeouts::default()
        },
        ..Config::default()
    };
    let mut s = Session::new(config).unwrap();
    let (mut ev, mut tx) = (Vec::new(), Vec::new());
    let get = s.get("f", 0).unwrap();
    drive(&mut s, 0, b"", &mut ev, &mut tx);
    drive(&mut s, 10, b"\r\nOK\r\n", &mut ev, &mut tx);
    drive(&mut s, 40, b"", &mut ev, &mut tx);
    assert_eq!(tx.last().unwrap(), b"AT+FTPGET\r");
    drive(&mut s, 50, b"\r\n+FTPGET:3000,", &mut ev, &mut tx);
    let mut now = 50;
    for _ in 0..10 {
        now += 400;
        drive(&mut s, now, b"x", &mut ev, &mut tx);
    }
    assert!(!ev.iter().any(|e| e.contains("JobDone")), "{ev:#?}");
    drive(&mut s, now + 1_000, b"", &mut ev, &mut tx);
    let want = Event::JobDone {
        job: get,
        result: Err(JobError::Protocol {
            command: CommandName::FtpGet,
            error: ProtocolError::PayloadIncomplete {
                announced: 3000,
                received: 10,
            },
        }),
    };
    assert!(ev.contains(&format!("{want:?}")), "{ev:#?}");
}

/// A configure job that fails leaves the link down, and says so.
#[test]
fn a_failed_configure_needs_configure() {
    let mut model = Model::new(|_| Vec::new());
    model.hung_until = u64::MAX;
    let mut run = Run::new(Session::default(), model);
    let conf = run.session.configure(&FTP).unwrap();
    let get = run.session.get("f", 0).unwrap();
    run.until(2, 600_000);
    let Some(Err(e)) = run.result(conf) else {
        panic!("{:?}", run.results)
    };
    assert!(e.needs_configure(), "{e}");
    assert_eq!(run.session.link(), Link::Down);
    assert_eq!(run.result(get), Some(Err(JobError::NotConfigured)));
}

/// With no modem at all, a configure fails after the first command's
/// timeout (5 s), and every unanswered probe is reported.
#[test]
fn no_modem_fails_fast_and_unanswered_probes_are_reported() {
    let mut model = Model::new(|_| Vec::new());
    model.hung_until = u64::MAX;
    let mut run = Run::new(Session::default(), model);
    let conf = run.session.configure(&FTP).unwrap();
    let q = run.session.query_config().unwrap();
    run.until(1, 600_000);
    assert!(run.result(conf).is_some_and(|r| r.is_err()));
    assert!(run.now <= 5_000, "{}", run.now);
    run.until(2, 600_000);
    assert!(
        run.events.iter().any(|e| e.contains("NoAnswer")),
        "{:#?}",
        run.events
    );
    let _ = q;
}

/// The restart error says bring-up is needed, and the link says so.
#[test]
fn a_restart_asks_for_bring_up() {
    let e = ProtocolError::ModemRestarted;
    assert_eq!(
        e.to_string(),
        "the modem restarted: run bring-up, then configure again"
    );
    let mut model = Model::new(firmware);
    model.faults = vec![Fault {
        restart: true,
        ..Fault::default()
    }];
    let mut run = Run::new(Session::default(), model);
    run.session.mkdir("a").unwrap();
    run.until(1, 600_000);
    assert_eq!(run.session.link(), Link::Restarted);
}

/// `is_idle` is false while a `JobDone` waits to be polled.
#[test]
fn not_idle_while_a_job_done_waits() {
    let mut s = Session::default();
    s.quit().unwrap();
    assert!(s.poll_transmit(Instant::from_millis(0)).is_some());
    let _ = s.handle_input(Instant::from_millis(5), b"\r\nOK\r\n");
    while s.poll_event().is_some() {}
    assert_eq!(s.link(), Link::Down);
    assert!(s.is_idle());
    // Refused at once: its JobDone waits in the event queue.
    s.get("f", 0).unwrap();
    assert!(!s.is_idle());
    while s.poll_event().is_some() {}
    assert!(s.is_idle());
}

/// `chunk_size` outside 1 ..= MAX_PUT_DATA is refused, not clamped.
#[test]
fn config_is_validated() {
    for chunk_size in [0, cellftp_session::MAX_PUT_DATA + 1] {
        let config = Config {
            chunk_size,
            ..Config::default()
        };
        let e = Session::new(config).unwrap_err();
        assert!(e.to_string().contains("chunk"), "{e}");
        assert_eq!(config.validate(), Err(e));
    }
    assert!(Config::default().validate().is_ok());
}

/// A modem that boots slowly answers the first `AT` after the probe's
/// deadline, when the second copy is already sent: both copies are
/// answered, in order. Which copy the first `OK` answered is unknown, so
/// the channel resynchronises before `ATE0`; the second `OK` never answers
/// a later step, and the refused `AT+CGACT` fails the job (before, each
/// step took the previous step's answer and the job reported
/// `BroughtUp`).
#[test]
fn a_retried_probe_answered_twice_is_never_mispaired() {
    fn no_pdp(line: &[u8]) -> Vec<u8> {
        if line.to_ascii_uppercase().starts_with(b"AT+CGACT=") {
            b"\r\nERROR\r\n".to_vec()
        } else {
            b"\r\nOK\r\n".to_vec()
        }
    }
    let mut model = Model::new(no_pdp);
    model.hung_until = 6_000;
    let mut run = Run::new(Session::default(), model);
    let up = run.session.bring_up(BringUp::default()).unwrap();
    run.until(1, 600_000);
    let result = run.result(up).expect("the job ends");
    assert!(
        matches!(
            result,
            Err(JobError::Modem {
                command: CommandName::Cgact,
                error: ModemError::Error
            })
        ),
        "{result:?}\n{:#?}",
        run.events
    );
    let sent: Vec<&[u8]> = run.model.received.iter().map(Vec::as_slice).collect();
    let ate0 = sent.iter().position(|l| *l == b"ATE0").expect("ATE0 sent");
    assert!(
        sent[..ate0].contains(&&b"AT+FTPGETNAME?"[..]),
        "the probe comes before ATE0: {sent:?}"
    );
}
