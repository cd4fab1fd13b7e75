#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! Properties of the session over generated input.
//!
//! - The manual's example session gives the same commands and events
//!   however the modem's bytes are cut into reads.
//! - Any byte stream from the modem, against any job list, at any pace:
//!   the session never panics, never buffers more than it can, always
//!   takes input once its events are drained, and ends every job exactly
//!   once when time runs on; a resync probe left over after the last job is
//!   given up after its attempts, and then the session falls quiet.
//!
//! The number of cases is proptest's default, 256, or `PROPTEST_CASES`
//! (`ProptestConfig::default()` reads it). Failing cases are kept beside
//! this file in `properties.proptest-regressions` and replayed first.

#[macro_use]
mod harness;

use cellftp_proto::{Mode, TransferType, MAX_FRAGMENT};
use cellftp_session::{BringUp, Config, FtpConfig, Outcome, UsageError, MAX_QUEUED_JOBS};
use harness::{Ev, Harness};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

// ------------------------------------------------- the manual, cut any way

const MANUAL_FTP: FtpConfig<'static> = FtpConfig {
    server: "47.104.157.10",
    port: Some(15881),
    mode: Mode::Passive,
    transfer_type: TransferType::Binary,
    user: "xs",
    password: "123",
    path: None,
};

/// The manual's modem: its answer to each command of the example.
fn manual_answer(command: &[u8]) -> &'static [u8] {
    match command {
        b"AT+FTPSERV=47.104.157.10\r" => b"\r\n+FTPSERV:0\r\n\r\nOK\r\n",
        b"AT+FTPGET\r" => b"\r\n+FTPGET:3,345\r\n\r\nOK\r\n",
        b"AT+FTPLIST\r" => {
            b"\r\n+FTPLIST:1,48\r\n-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\nOK\r\n"
        }
        _ => b"\r\nOK\r\n",
    }
}

/// Runs the manual's example with every job queued up front; the modem's
/// answers (preceded by the echo of the command with `echo`) are cut into
/// pieces of the sizes `cuts` gives, in turn. Returns every command sent
/// and every event.
fn manual_run(echo: bool, mut cuts: impl FnMut() -> usize) -> (Vec<Vec<u8>>, Vec<Ev>) {
    let mut h = Harness::default();
    h.queue(|s| {
        s.bring_up(BringUp {
            probe: false,
            echo_off: false,
            full_functionality: true,
            pdp_context: Some(1),
        })
    });
    h.queue(|s| s.configure(&MANUAL_FTP));
    h.queue(|s| s.put("12.txt"));
    h.queue(|s| s.get("12.txt", 2));
    h.queue(|s| s.list(None));
    h.queue(|s| s.quit());
    let mut uploaded = false;
    for _ in 0..100 {
        for ev in h.take_events() {
            if let Ev::PutReady { .. } = ev {
                if uploaded {
                    h.session.finish_put().unwrap();
                } else {
                    assert_eq!(h.session.send_data(b"12345"), Ok(5));
                    uploaded = true;
                }
                h.pump();
            }
        }
        if h.all_done() {
            break;
        }
        let command = h.next_tx();
        let mut answer = if echo { command.clone() } else { Vec::new() };
        answer.extend_from_slice(manual_answer(&command));
        let mut rest = &answer[..];
        while !rest.is_empty() {
            let (piece, tail) = rest.split_at(cuts().clamp(1, rest.len()));
            h.input(piece);
            rest = tail;
        }
    }
    h.end();
    (h.transmitted, h.history)
}

/// What the manual's example gives fed whole, checked once.
fn manual_whole(echo: bool) -> (Vec<Vec<u8>>, Vec<Ev>) {
    let (commands, events) = manual_run(echo, || usize::MAX);
    assert_eq!(commands.len(), 16);
    assert!(events.contains(&Ev::Data {
        job: 3,
        offset: 2,
        data: b"345".to_vec()
    }));
    let done: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Ev::Done { result, .. } => Some(*result),
            _ => None,
        })
        .collect();
    assert_eq!(
        done,
        [
            Ok(Outcome::BroughtUp),
            Ok(Outcome::Configured),
            Ok(Outcome::Uploaded { bytes: 5 }),
            Ok(Outcome::Downloaded {
                offset: 2,
                bytes: 3
            }),
            Ok(Outcome::Listed {
                entries: 1,
                lines: 1
            }),
            Ok(Outcome::Quit),
        ]
    );
    (commands, events)
}

#[test]
fn manual_session_one_byte_at_a_time() {
    for echo in [false, true] {
        assert_eq!(manual_run(echo, || 1), manual_whole(echo));
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn manual_session_cut_anywhere(echo: bool, cuts in vec(1usize..24, 1..64)) {
        let mut next = cuts.iter().copied().cycle();
        let cut = manual_run(echo, || next.next().unwrap_or(1));
        prop_assert_eq!(cut, manual_whole(echo));
    }
}

// -------------------------------------------------------- anything at all

/// A job to queue.
#[derive(Debug, Clone)]
enum Job {
    BringUp(bool, bool, bool, Option<u8>),
    Configure(Option<u16>, bool, bool),
    Put,
    Get(u32),
    List(bool),
    Mkdir,
    Rmdir,
    Query,
    Quit,
}

fn job() -> impl Strategy<Value = Job> {
    prop_oneof![
        1 => (any::<bool>(), any::<bool>(), any::<bool>(), prop::option::of(0u8..3))
            .prop_map(|(a, b, c, d)| Job::BringUp(a, b, c, d)),
        1 => (prop::option::of(1u16..), any::<bool>(), any::<bool>())
            .prop_map(|(p, m, t)| Job::Configure(p, m, t)),
        2 => Just(Job::Put),
        2 => prop_oneof![Just(0u32), Just(2), any::<u32>()].prop_map(Job::Get),
        1 => any::<bool>().prop_map(Job::List),
        1 => Just(Job::Mkdir),
        1 => Just(Job::Rmdir),
        1 => Just(Job::Query),
        1 => Just(Job::Quit),
    ]
}

fn queue(h: &mut Harness, job: &Job) -> Result<u32, UsageError> {
    h.try_queue(|s| match *job {
        Job::BringUp(probe, echo_off, full_functionality, pdp_context) => s.bring_up(BringUp {
            probe,
            echo_off,
            full_functionality,
            pdp_context,
        }),
        Job::Configure(port, passive, binary) => s.configure(&FtpConfig {
            port,
            mode: if passive { Mode::Passive } else { Mode::Active },
            transfer_type: if binary {
                TransferType::Binary
            } else {
                TransferType::Ascii
            },
            path: port.map(|_| "/docs"),
            ..MANUAL_FTP
        }),
        Job::Put => s.put("12.txt"),
        Job::Get(offset) => s.get("12.txt", offset),
        Job::List(path) => s.list(path.then_some("/pub")),
        Job::Mkdir => s.mkdir("/invoker"),
        Job::Rmdir => s.rmdir("/invoker"),
        Job::Query => s.query_config(),
        Job::Quit => s.quit(),
    })
}

/// A piece of what a modem might send: valid answers, payloads, URCs, echo,
/// and garbage.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    let fixed = prop::sample::select(vec![
        &b"\r\nOK\r\n"[..],
        b"\r\nERROR\r\n",
        b"\r\n+CME ERROR: 10\r\n",
        b"\r\n+CMS ERROR: 500\r\n",
        b"\r\n+CME ERROR: SIM busy\r\n",
        b"\r\nRDY\r\n",
        b"\r\n+CFUN: 1\r\n",
        b"\r\n+CFUN: 4\r\n",
        b"\r\n+CPIN: READY\r\n",
        b"\r\n+PDP: DEACT\r\n",
        b"\r\n+CGEV: NW DETACH\r\n",
        b"\r\nNORMAL POWER DOWN\r\n",
        b"AT+FTPMODE=1\r",
        b"AT+FTPPUT=3,abc\r",
        b"AT+FTPPW=123\r",
        "\r\n+FTPSCON \u{ff1a}\r\nXXX\r\n".as_bytes(),
        b"\r\n+FTPGET:5\r\n",
        b"\r\n+FTPGET:4000000000,",
        b"\r\n+FTPLIST:1,4000000000\r\n",
        b"\r\n+FTPLIST:1,48\r\n-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\n",
        b"\r\n+FTPLIST:1,9\r\ntotal 12\r\n",
        b"\r\n",
        b"\r",
    ])
    .prop_map(<[u8]>::to_vec);
    let serv = (0u16..1000).prop_map(|c| format!("\r\n+FTPSERV:{c}\r\n").into_bytes());
    let get = vec(any::<u8>(), 0..300).prop_map(|data| {
        let mut out = format!("\r\n+FTPGET:{},", data.len()).into_bytes();
        out.extend_from_slice(&data);
        out.extend_from_slice(b"\r\n");
        out
    });
    let long_get = (MAX_FRAGMENT - 8..2 * MAX_FRAGMENT + 8, any::<u8>()).prop_map(|(n, b)| {
        let mut out = format!("\r\n+FTPGET:{n},").into_bytes();
        out.resize(out.len() + n, b);
        out
    });
    let list = (vec("[ -~]{0,60}", 0..4), -3i64..3).prop_map(|(lines, skew)| {
        let body = lines.join("\r\n");
        let len = (body.len() as i64 + skew).max(0);
        format!("\r\n+FTPLIST:1,{len}\r\n{body}\r\n").into_bytes()
    });
    let text = "[ -~]{0,80}".prop_map(|s| format!("{s}\r\n").into_bytes());
    let long_line = (1000usize..1100).prop_map(|n| vec![b'x'; n]);
    let noise = vec(any::<u8>(), 0..64);
    prop_oneof![
        8 => fixed,
        2 => serv,
        3 => get,
        1 => long_get,
        2 => list,
        2 => text,
        1 => long_line,
        2 => noise,
    ]
}

/// A plausible answer to `command`: its success (with the data a transfer
/// brings) or, for `variant` 0, a failure; echoed first for odd variants.
fn answer(command: &[u8], variant: u8) -> Vec<u8> {
    let mut out = if variant % 2 == 1 {
        command.to_vec()
    } else {
        Vec::new()
    };
    let body: &[u8] = match command {
        _ if variant == 0 => b"\r\nERROR\r\n",
        [b'A', b'T', b'+', b'F', b'T', b'P', b'S', b'E', b'R', b'V', b'=', ..] => {
            b"\r\n+FTPSERV:0\r\n\r\nOK\r\n"
        }
        b"AT+FTPGET\r" if variant % 4 == 1 => b"\r\nOK\r\n",
        b"AT+FTPGET\r" => b"\r\n+FTPGET:5,he\r\nl\r\n\r\n+FTPGET:3,\r\nO\r\n\r\nOK\r\n",
        b"AT+FTPLIST\r" => {
            b"\r\n+FTPLIST:1,57\r\ntotal 1\r\n-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\nOK\r\n"
        }
        b"AT+FTPSCON\r" => b"\r\n+FTPSCON:\r\nXXX\r\n\r\nOK\r\n",
        b"AT+CFUN=1\r" if variant % 4 == 3 => b"\r\n+CFUN: 1\r\n\r\nOK\r\n",
        _ => b"\r\nOK\r\n",
    };
    out.extend_from_slice(body);
    out
}

/// One step of the run.
#[derive(Debug, Clone)]
enum Op {
    /// The modem answers the last command sent, if it has not yet, with
    /// [`answer`]`(command, variant)`.
    Answer(u8),
    /// The modem sends bytes, in reads of at most this size.
    Input(Vec<u8>, usize),
    /// Time passes.
    Advance(u64),
    /// The caller queues a job.
    Queue(Job),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        12 => prop_oneof![1 => Just(0u8), 8 => 1u8..8].prop_map(Op::Answer),
        4 => (piece(), 1usize..5000).prop_map(|(b, n)| Op::Input(b, n)),
        3 => prop_oneof![8 => 0u64..30, 3 => 0u64..6_000, 1 => 0u64..200_000]
            .prop_map(Op::Advance),
        1 => job().prop_map(Op::Queue),
    ]
}

/// Answers `PutReady` (the last one not followed by the end of its job) with
/// a chunk, or the end of the file once `chunks` chunks went.
fn answer_put_ready(h: &mut Harness, chunks: &mut u32, limit: u32) {
    let mut awaiting = None;
    for ev in h.take_events() {
        match ev {
            Ev::PutReady { job, max } => {
                assert!(max >= 1);
                awaiting = Some(job);
            }
            Ev::Done { job, .. } if awaiting == Some(job) => awaiting = None,
            _ => {}
        }
    }
    if awaiting.is_some() {
        if *chunks < limit {
            *chunks += 1;
            let data = vec![b'0' + (*chunks % 10) as u8; (*chunks as usize * 37) % 700 + 1];
            let n = h.session.send_data(&data).unwrap();
            assert!(n >= 1 && n <= data.len());
        } else {
            *chunks = 0;
            h.session.finish_put().unwrap();
        }
        h.pump();
    } else {
        // Nothing waits for data.
        assert_eq!(h.session.finish_put(), Err(UsageError::NotAwaitingData));
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_stream_any_jobs(
        configure_first: bool,
        jobs in vec(job(), 0..=MAX_QUEUED_JOBS + 2),
        ops in vec(op(), 0..60),
        chunk_size in prop_oneof![Just(512usize), 1usize..=cellftp_session::MAX_PUT_DATA],
        chunks in 0u32..4,
    ) {
        let mut h = Harness::new(Config { chunk_size, ..Config::default() });
        let mut queued = 0usize;
        let first = configure_first.then_some(Job::Configure(Some(15881), true, true));
        let jobs: Vec<Job> = first.into_iter().chain(jobs).collect();
        for job in &jobs {
            match queue(&mut h, job) {
                Ok(_) => queued += 1,
                Err(e) => prop_assert_eq!(e, UsageError::QueueFull),
            }
        }
        prop_assert!(queued >= jobs.len().min(MAX_QUEUED_JOBS + 1));
        let mut sent_chunks = 0;
        let mut last: Option<Vec<u8>> = None;
        for op in &ops {
            match op {
                Op::Answer(variant) => {
                    if last.is_none() {
                        // A command waiting for its guard time goes first.
                        if let Some(at) = h.timeout {
                            if at.as_millis() <= h.now + 20 {
                                h.wait_until(at.as_millis().max(h.now));
                                answer_put_ready(&mut h, &mut sent_chunks, chunks);
                                last = h.sent.drain(..).next_back();
                            }
                        }
                    }
                    if let Some(command) = last.take() {
                        h.input(&answer(&command, *variant));
                    }
                }
                Op::Input(bytes, read) => {
                    for piece in bytes.chunks(*read) {
                        // The harness offers what is not taken again after
                        // draining the events, and checks that it is taken.
                        h.input(piece);
                        answer_put_ready(&mut h, &mut sent_chunks, chunks);
                    }
                }
                Op::Advance(ms) => h.wait(*ms),
                Op::Queue(job) => match queue(&mut h, job) {
                    Ok(_) | Err(UsageError::QueueFull) => {}
                    Err(e) => prop_assert!(false, "{e}"),
                },
            }
            answer_put_ready(&mut h, &mut sent_chunks, chunks);
            h.check_buffered();
            h.check_drained();
            // Commands go out after their guard time; the modem answers the
            // last one if the ops say so.
            if let Some(command) = h.sent.drain(..).next_back() {
                last = Some(command);
            }
        }

        // The modem falls silent: time alone ends every job, then gives up
        // the resync probe a failed command may have left. Once every job
        // has ended, nothing but that probe goes out, at most
        // `probe_attempts` times, and the session falls quiet.
        let attempts = usize::from(h.session.config().probe_attempts.max(1));
        let mut after_the_jobs: Vec<Vec<u8>> = Vec::new();
        let mut steps = 0;
        loop {
            answer_put_ready(&mut h, &mut sent_chunks, chunks);
            let jobs_done = h.all_done();
            if jobs_done {
                after_the_jobs.extend(h.sent.drain(..));
                if h.session.poll_timeout().is_none() {
                    break;
                }
            }
            steps += 1;
            prop_assert!(steps < 40 * (MAX_QUEUED_JOBS + 2), "stuck: {:?}", h.session);
            let at = h.session.poll_timeout();
            prop_assert!(at.is_some(), "jobs left and nothing to wait for: {:?}", h.session);
            let at = at.unwrap().as_millis().max(h.now);
            h.wait_until(at);
            if jobs_done {
                after_the_jobs.extend(h.sent.drain(..));
            } else {
                h.sent.clear();
            }
        }
        prop_assert!(
            after_the_jobs.iter().all(|l| l == b"AT\r") && after_the_jobs.len() <= attempts,
            "sent after every job ended: {:?}",
            after_the_jobs
        );
        h.take_events();
        h.end();
    }
}
