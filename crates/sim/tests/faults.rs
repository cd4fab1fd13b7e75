//! Faults, end to end: interrupted transfers at 100 seeded points resume
//! byte-identical; a broken upload is reported; every fault kind ends in the
//! session's documented error within the command's timeout, never a hang.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::time::{Duration, Instant};

use cellftp_session::{CommandName, JobError, Mode, ModemError, Outcome, ProtocolError};
use cellftp_sim::fault::Rng;
use common::{content, read, Bench, Server, Watchdog};

/// For `points` seeds: the first get's data connection drops after a
/// seeded byte count; the get fails with the bytes before it, and a get
/// resumed from there completes the file.
fn interrupted_gets(server: &Server, points: u64) {
    let len = 3000usize;
    let name = server.unique("resume");
    let data = content(len, 5);
    std::fs::write(server.dir().join(&name), &data).unwrap();
    for seed in 0..points {
        let cut = Rng::new(seed).below(len as u64);
        let mut bench = Bench::new(
            server,
            &format!("seed={seed},drop-data={cut}"),
            Mode::Passive,
        );
        bench.connect();
        let first = bench.get(&name, 0);
        bench.run();
        assert_eq!(
            bench.seen.result(first),
            Err(JobError::Modem {
                command: CommandName::FtpGet,
                error: ModemError::Error
            }),
            "seed {seed}: cut at {cut}"
        );
        let got = bench.seen.data.get(&first).cloned().unwrap_or_default();
        assert_eq!(
            got.len() as u64,
            cut,
            "seed {seed}: the bytes before the cut"
        );
        assert!(data.starts_with(&got));
        let resumed = bench.get(&name, cut as u32);
        bench.run();
        assert_eq!(
            bench.seen.result(resumed),
            Ok(Outcome::Downloaded {
                offset: cut as u32,
                bytes: len as u64 - cut
            }),
            "seed {seed}"
        );
        let mut whole = got;
        whole.extend_from_slice(&bench.seen.data[&resumed]);
        assert!(whole == data, "seed {seed}: the resumed file differs");
    }
}

#[test]
fn a_hundred_interrupted_gets_resume_byte_identical() {
    let _w = Watchdog::new("interrupted gets", Duration::from_secs(100));
    interrupted_gets(&Server::embedded(), 100);
    if let Some(distro) = Server::distro() {
        interrupted_gets(&distro, 20);
    }
}

#[test]
fn a_broken_upload_is_reported() {
    let _w = Watchdog::new("broken upload", Duration::from_secs(60));
    for server in Server::all() {
        for cut in [0u64, 1, 1500, 4999] {
            let mut bench = Bench::new(&server, &format!("drop-data={cut}"), Mode::Passive);
            bench.connect();
            let name = server.unique("broken");
            let data = content(5000, cut);
            let put = bench.put(&name, &data);
            bench.run();
            assert_eq!(
                bench.seen.result(put),
                Err(JobError::Modem {
                    command: CommandName::FtpPut,
                    error: ModemError::Error
                }),
                "{}: cut at {cut}",
                server.name()
            );
            // The server holds what arrived, never more: a short file, and
            // the host knows.
            let stored = std::fs::read(server.dir().join(&name)).unwrap_or_default();
            assert!(stored.len() as u64 <= cut && data.starts_with(&stored));
            // The modem is usable again, once configured again (the session
            // asks for it after a failed upload).
            bench.connect();
            let again = bench.put(&name, &data);
            bench.run();
            assert_eq!(
                bench.seen.result(again),
                Ok(Outcome::Uploaded { bytes: 5000 })
            );
            assert_eq!(read(&server.dir(), &name), data);
        }
    }
}

/// Runs a mkdir under `faults`; its result and how long it took.
fn mkdir_with(server: &Server, faults: &str) -> (Result<Outcome, JobError>, Duration) {
    let mut bench = Bench::new(server, faults, Mode::Passive);
    bench.connect();
    let dir = server.unique("d");
    let job = bench.session().mkdir(&dir).unwrap();
    let start = Instant::now();
    bench.run();
    (bench.seen.result(job), bench.seen.ended[&job] - start)
}

#[test]
fn every_command_fault_ends_in_its_documented_error() {
    let _w = Watchdog::new("command faults", Duration::from_secs(90));
    let server = Server::embedded();
    // The directory timeout of `quick_config`, and a margin.
    let bound = Duration::from_secs(3) + Duration::from_millis(1500);
    let timeout = Err(JobError::Timeout {
        command: CommandName::FtpMkd,
    });
    for (faults, want) in [
        ("late=FTPMKD:6000", timeout),
        ("never=FTPMKD", timeout),
        (
            "error=FTPMKD",
            Err(JobError::Modem {
                command: CommandName::FtpMkd,
                error: ModemError::Error,
            }),
        ),
        (
            "cme=FTPMKD:100",
            Err(JobError::Modem {
                command: CommandName::FtpMkd,
                error: ModemError::Cme { code: Some(100) },
            }),
        ),
        (
            "restart=FTPMKD",
            Err(JobError::Protocol {
                command: CommandName::FtpMkd,
                error: ProtocolError::ModemRestarted,
            }),
        ),
        ("late=FTPMKD:300", Ok(Outcome::DirectoryCreated)),
    ] {
        let (got, took) = mkdir_with(&server, faults);
        assert_eq!(got, want, "{faults}");
        assert!(took < bound, "{faults}: took {took:?}");
    }
}

#[test]
fn a_restart_mid_upload_fails_the_job() {
    let _w = Watchdog::new("restart mid upload", Duration::from_secs(30));
    let server = Server::embedded();
    let mut bench = Bench::new(&server, "restart=FTPPUT#2", Mode::Passive);
    bench.connect();
    let put = bench.put(&server.unique("r"), &content(5000, 1));
    bench.run();
    assert_eq!(
        bench.seen.result(put),
        Err(JobError::Protocol {
            command: CommandName::FtpPut,
            error: ProtocolError::ModemRestarted
        })
    );
}

#[test]
fn unsolicited_lines_change_nothing() {
    let _w = Watchdog::new("unsolicited lines", Duration::from_secs(30));
    let server = Server::embedded();
    let mut bench = Bench::new(&server, "seed=3,urc=0.5", Mode::Passive);
    bench.connect();
    let name = server.unique("u");
    let data = content(20_000, 3);
    let put = bench.put(&name, &data);
    let get = bench.get(&name, 0);
    let list = bench.session().list(None).unwrap();
    bench.run();
    assert_eq!(
        bench.seen.result(put),
        Ok(Outcome::Uploaded { bytes: 20_000 })
    );
    assert_eq!(read(&server.dir(), &name), data);
    assert!(bench.seen.data[&get] == data);
    assert!(matches!(
        bench.seen.result(list),
        Ok(Outcome::Listed { .. })
    ));
}

/// How the downloads through a damaging link ended.
#[derive(Debug, Default)]
struct Tally {
    /// `Ok`, byte-identical.
    intact: u32,
    /// `Ok` with other bytes: damage the protocol cannot see.
    damaged: u32,
    /// A documented error.
    failed: u32,
}

#[test]
fn corrupted_and_dropped_bytes_end_every_job() {
    let _w = Watchdog::new("byte faults", Duration::from_secs(240));
    let server = Server::embedded();
    let name = server.unique("c");
    let data = content(24_000, 9);
    std::fs::write(server.dir().join(&name), &data).unwrap();
    // The get's inactivity timeout of `quick_config`, the transfer itself,
    // and a margin.
    let bound = Duration::from_secs(3) + Duration::from_secs(4);
    let mut tally = Tally::default();
    let rates = [
        "corrupt=0.002",
        "drop=0.002",
        "corrupt=0.002,drop=0.002",
        "corrupt=0.00001,drop=0.00001",
    ];
    for rates in rates {
        for seed in 1..=4u64 {
            // A clean link for bring-up and configure; the damage starts
            // with the answer to `AT+FTPGET`.
            let faults = format!("seed={seed},{rates},bytes-from=FTPGET");
            let mut bench = Bench::new(&server, &faults, Mode::Passive);
            bench.connect();
            let start = Instant::now();
            let get = bench.get(&name, 0);
            bench.run();
            let took = bench.seen.ended[&get] - start;
            assert!(took < bound, "{faults}: took {took:?}");
            let got = bench.seen.data.get(&get).cloned().unwrap_or_default();
            match bench.seen.result(get) {
                Ok(Outcome::Downloaded { offset: 0, bytes }) => {
                    assert_eq!(bytes, got.len() as u64, "{faults}");
                    if got == data {
                        tally.intact += 1;
                    } else {
                        // No checksum and no file length in the protocol: a
                        // damaged data byte ends `OK` all the same, and so
                        // does a damaged chunk header whose lost frame holds
                        // `\r\nOK\r\n` (as `content` does), short.
                        println!(
                            "{faults}: OK with {} bytes, {} of them differing from the file's {}",
                            got.len(),
                            got.iter().zip(&data).filter(|(a, b)| a != b).count(),
                            data.len()
                        );
                        tally.damaged += 1;
                    }
                }
                Err(
                    JobError::Timeout {
                        command: CommandName::FtpGet,
                    }
                    | JobError::Protocol {
                        command: CommandName::FtpGet,
                        ..
                    }
                    | JobError::Modem {
                        command: CommandName::FtpGet,
                        ..
                    },
                ) => {
                    println!("{faults}: {:?}", bench.seen.result(get));
                    tally.failed += 1;
                }
                other => panic!("{faults}: {other:?}"),
            }
        }
    }
    println!("byte faults over 16 downloads of 24,000 bytes: {tally:?}");
    // Every job ended. Damage the protocol cannot see is counted, not
    // hidden: `fault`'s docs and the README say so.
    assert_eq!(tally.intact + tally.damaged + tally.failed, 16);
    assert!(tally.failed > 0 && tally.intact > 0, "{tally:?}");
}

#[test]
fn a_listing_cut_short_fails_and_the_next_one_is_whole() {
    let _w = Watchdog::new("list drop", Duration::from_secs(60));
    let server = Server::embedded();
    let names: Vec<String> = (0..40)
        .map(|i| server.unique(&format!("entry-{i:02}")))
        .collect();
    for n in &names {
        std::fs::write(server.dir().join(n), n.as_bytes()).unwrap();
    }
    for cut in [0u64, 1, 500, 1500] {
        let mut bench = Bench::new(&server, &format!("drop-data={cut}"), Mode::Passive);
        bench.connect();
        let first = bench.session().list(None).unwrap();
        let second = bench.session().list(None).unwrap();
        bench.run();
        assert_eq!(
            bench.seen.result(first),
            Err(JobError::Modem {
                command: CommandName::FtpList,
                error: ModemError::Error
            }),
            "cut at {cut}"
        );
        // Nothing of the cut listing reached the host as entries.
        assert!(bench.seen.lines.get(&first).is_none_or(Vec::is_empty));
        let Ok(Outcome::Listed { entries, .. }) = bench.seen.result(second) else {
            panic!("cut at {cut}: {:?}", bench.seen.result(second));
        };
        assert!(entries as usize >= names.len());
        let lines = &bench.seen.lines[&second];
        for n in &names {
            assert!(lines.iter().any(|l| l.ends_with(n.as_bytes())), "{n}");
        }
    }
}
