//! `cellftp --dialect simcom --record`: a put and a get through the real
//! binary → TCP → the simulated SIMCom modem → the embedded FTP server are
//! recorded as transcripts that declare `! dialect simcom`, carry no
//! password, and check clean as `cargo xtask replay` checks them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use cellftp_replay::{check, Options};
use common::sim::{Bench, Ftp, Modem};
use common::*;

#[test]
fn recorded_put_and_get_replay_clean() {
    let bench = Bench {
        home: temp_dir("simcom-record"),
        modem: Modem::start_simcom(),
        ftp: Ftp::embedded("simcom-record"),
    };
    // Larger than one <maxlength>, with bytes that look like lines.
    let mut data = b"\r\nOK\r\n\0+FTPPUT: 2,10\r\nAT+FTPPW=\"x\"\r".to_vec();
    data.extend((0..=255u8).cycle().take(3000));
    std::fs::write(bench.home.join("blob.bin"), &data).unwrap();
    let simcom = |args: &[&str]| {
        let mut all = vec!["--dialect", "simcom", "--apn", "internet"];
        all.extend_from_slice(args);
        bench.run(&all)
    };

    let out = simcom(&["--record", "put.cftx", "put", "blob.bin"]);
    assert_exit(&out, 0);
    std::fs::write(bench.home.join("part.bin"), &data[..1700]).unwrap();
    let out = simcom(&[
        "--record", "get.cftx", "get", "blob.bin", "part.bin", "--resume",
    ]);
    assert_exit(&out, 0);
    assert_eq!(std::fs::read(bench.home.join("part.bin")).unwrap(), data);

    for (name, job) in [
        ("put.cftx", "! put blob.bin dir=/ opt=stor "),
        ("get.cftx", "! get blob.bin dir=/ offset=1700"),
    ] {
        let path = bench.home.join(name);
        let text = assert_replays(&path);
        assert!(text.contains("\n! dialect simcom\n"), "{text}");
        assert!(text.contains(job), "{text}");
        assert!(text.contains("> AT+FTPPW=<redacted>\\r"), "{text}");
        assert!(!text.contains("sim@example.com"), "{text}");
        assert!(text.contains("\n= 0 Ok(BroughtUp)\n"), "{text}");
        // As `cargo xtask replay` checks a file.
        let report = check(name, text.as_bytes(), &Options::default());
        assert!(report.passed, "{}", cellftp_replay::check::render(&report));
        assert!(
            report.jobs.iter().all(|j| j.ok),
            "{}",
            cellftp_replay::check::render(&report)
        );
    }
}
