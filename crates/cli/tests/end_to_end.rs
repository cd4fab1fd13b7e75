//! End to end through the real binary: `cellftp` → TCP (like ser2net) and a
//! PTY (like a USB serial port) → the simulator → a real FTP server (the
//! embedded one; the distro server too when `CELLFTP_TEST_FTP` names it).
//! Files of 0 bytes, 1 byte, 1 MiB and binary content holding `\r\nOK\r\n`,
//! NUL and 0x1A go up and come back byte-identical; `get --resume`, `ls`,
//! `mkdir`, `rmdir` and `config` do their jobs; every run's `--record`
//! transcript replays clean.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::sim::{unique, Bench, Ftp, Via};
use common::{assert_exit, assert_replays, text};

/// The contents tried, by name stem.
fn samples(big: bool) -> Vec<(&'static str, Vec<u8>)> {
    let mut binary = b"\r\nOK\r\n\0\x1a\r\nERROR\r\n+FTPGET:3,abc\r\n".to_vec();
    binary.extend((0..=255u8).cycle().take(3000));
    let mut v = vec![
        ("empty", Vec::new()),
        ("one", b"x".to_vec()),
        ("binary", binary),
    ];
    if big {
        // 1 MiB, every byte value, not periodic in the chunk size.
        let mut x: u32 = 0x1234_5678;
        let mib = (0..1 << 20)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        v.push(("mib", mib));
    }
    v
}

/// Puts each sample, checks it on the server, gets it back under another
/// name, checks it here; every transcript replays.
fn round_trips(via: Via, big: bool) {
    for ftp in Ftp::all(&format!("rt-{via:?}")) {
        let which = ftp.name();
        let bench = Bench::new(&format!("rt-{via:?}-{which}"), via, ftp, "");
        for (stem, data) in samples(big) {
            let name = unique(stem);
            std::fs::write(bench.home.join(&name), &data).unwrap();
            let out = bench.run(&["--record", "put.cftx", "put", &name]);
            assert_exit(&out, 0);
            assert!(
                text(&out.stdout).starts_with(&format!("uploaded {name} to {name}: ")),
                "{}",
                text(&out.stdout)
            );
            let stored = std::fs::read(bench.ftp.dir().join(&name)).unwrap();
            assert!(
                stored == data,
                "{which} {via:?}: {stem} differs on the server"
            );
            assert_replays(&bench.home.join("put.cftx"));

            let out = bench.run(&["--record", "get.cftx", "get", &name, "back.bin"]);
            assert_exit(&out, 0);
            let back = std::fs::read(bench.home.join("back.bin")).unwrap();
            assert!(back == data, "{which} {via:?}: {stem} differs back here");
            assert_replays(&bench.home.join("get.cftx"));
        }
    }
}

#[test]
fn files_round_trip_over_tcp() {
    round_trips(Via::Tcp, true);
}

#[test]
fn files_round_trip_over_a_pty() {
    round_trips(Via::Pty, false);
}

/// `get --resume` continues a partial local file from its length.
fn resume(via: Via) {
    for ftp in Ftp::all(&format!("resume-{via:?}")) {
        let bench = Bench::new(&format!("resume-{via:?}-{}", ftp.name()), via, ftp, "");
        let name = unique("resume");
        let data: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(bench.ftp.dir().join(&name), &data).unwrap();
        std::fs::write(bench.home.join(&name), &data[..1234]).unwrap();
        let out = bench.run(&["--record", "resume.cftx", "get", &name, "--resume"]);
        assert_exit(&out, 0);
        assert!(std::fs::read(bench.home.join(&name)).unwrap() == data);
        let transcript = assert_replays(&bench.home.join("resume.cftx"));
        assert!(transcript.contains("AT+FTPRESET=1234"), "{transcript}");
    }
}

#[test]
fn get_resume_over_tcp() {
    resume(Via::Tcp);
}

#[test]
fn get_resume_over_a_pty() {
    resume(Via::Pty);
}

/// `mkdir`, `ls` showing it and a file, `rmdir`, `config`.
fn directories(via: Via) {
    for ftp in Ftp::all(&format!("dirs-{via:?}")) {
        let bench = Bench::new(&format!("dirs-{via:?}-{}", ftp.name()), via, ftp, "");
        let dir = unique("dir");
        let file = unique("listed");
        std::fs::write(bench.ftp.dir().join(&file), b"0123456789").unwrap();

        let remote = bench.ftp.remote(&dir);
        let out = bench.run(&["--record", "mkdir.cftx", "mkdir", &remote]);
        assert_exit(&out, 0);
        assert_eq!(
            text(&out.stdout).trim(),
            format!("created directory {remote}")
        );
        assert!(bench.ftp.dir().join(&dir).is_dir());
        assert_replays(&bench.home.join("mkdir.cftx"));

        let out = bench.run(&["--record", "ls.cftx", "ls"]);
        assert_exit(&out, 0);
        let listing = text(&out.stdout);
        assert!(listing.contains(&dir), "{listing}");
        assert!(
            listing
                .lines()
                .any(|l| l.contains(&file) && l.contains(" 10 ")),
            "{listing}"
        );
        assert_replays(&bench.home.join("ls.cftx"));

        let out = bench.run(&["--record", "json.cftx", "ls", "--json"]);
        assert_exit(&out, 0);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(json.to_string().contains(&file), "{json}");

        let out = bench.run(&["--record", "rmdir.cftx", "rmdir", &remote]);
        assert_exit(&out, 0);
        assert!(!bench.ftp.dir().join(&dir).exists());
        assert_replays(&bench.home.join("rmdir.cftx"));

        let out = bench.run(&["--record", "config.cftx", "config"]);
        assert_exit(&out, 0);
        let shown = text(&out.stdout);
        assert!(!shown.trim().is_empty());
        assert!(!shown.contains("sim@example.com"), "{shown}");
        assert_replays(&bench.home.join("config.cftx"));
    }
}

#[test]
fn directories_listing_and_config_over_tcp() {
    directories(Via::Tcp);
}

#[test]
fn directories_listing_and_config_over_a_pty() {
    directories(Via::Pty);
}

#[test]
fn ls_escapes_control_bytes_in_names() {
    let bench = Bench::new("ls-escape", Via::Tcp, Ftp::embedded("ls-escape"), "");
    let name = "evil\x1b]0;pwned\x07\x1b[2J.txt";
    std::fs::write(bench.ftp.dir().join(name), b"x").unwrap();
    let out = bench.run(&["ls"]);
    assert_exit(&out, 0);
    let listing = text(&out.stdout);
    assert!(
        !out.stdout.iter().any(|&b| b == 0x1b || b == 0x07),
        "{listing:?}"
    );
    assert!(
        listing.contains("evil\\x1b]0;pwned\\x07\\x1b[2J.txt"),
        "{listing:?}"
    );
    // JSON carries the name itself, escaped as JSON escapes it.
    let out = bench.run(&["ls", "--json"]);
    assert_exit(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == name),
        "{json}"
    );
}
