//! `cellftp --dialect simcom` through the real binary → TCP → the simulated
//! SIMCom modem → the embedded FTP server: a binary file larger than one
//! `<maxlength>` put, got back whole and with `--resume` from a partial
//! local file, listed, deleted; byte-identical. And `rm` refused with the
//! manual's modem.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::sim::{unique, Bench, Ftp, Modem, Via};
use common::*;

/// A SIMCom simulator with `faults` ("" for none) and an embedded server,
/// both named by `tag`.
fn simcom_bench(tag: &str, faults: &str) -> Bench {
    Bench {
        home: temp_dir(tag),
        modem: Modem::start_simcom_with(None, faults),
        ftp: Ftp::embedded(tag),
    }
}

/// `cellftp --dialect simcom --apn internet ARGS` on `bench`.
fn run_simcom(bench: &Bench, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--dialect", "simcom", "--apn", "internet"];
    all.extend_from_slice(args);
    bench.run(&all)
}

#[test]
fn put_get_resume_ls_rm() {
    // The embedded server, and the distro's (vsftpd) when .ci/run started it.
    for ftp in Ftp::all("simcom-e2e") {
        let name = ftp.name();
        transfers(ftp).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

fn transfers(ftp: Ftp) -> Result<(), String> {
    let bench = Bench {
        home: temp_dir("simcom-e2e"),
        modem: Modem::start_simcom(),
        ftp,
    };
    // The distro server is shared: names of this run only.
    let blob = format!("{}.bin", unique("blob"));
    let sub = unique("sub");
    let mut data = b"\r\nOK\r\n\0+FTPGET: 1,0\r\n+FTPPUT: 2,10\r\n".to_vec();
    data.extend((0..=255u8).cycle().take(5000));
    std::fs::write(bench.home.join(&blob), &data).unwrap();
    let simcom = |args: &[&str]| {
        let mut all = vec!["--dialect", "simcom", "--apn", "internet"];
        all.extend_from_slice(args);
        bench.run(&all)
    };
    let check = |ok: bool, what: &str| if ok { Ok(()) } else { Err(what.to_owned()) };

    let out = simcom(&["put", &blob]);
    assert_exit(&out, 0);
    check(
        text(&out.stdout).starts_with(&format!("uploaded {blob} to {blob}: ")),
        "put's line",
    )?;
    check(
        std::fs::read(bench.ftp.dir().join(&blob)).ok().as_ref() == Some(&data),
        "the server's copy",
    )?;

    let out = simcom(&["get", &blob, "whole.bin"]);
    assert_exit(&out, 0);
    check(
        std::fs::read(bench.home.join("whole.bin")).unwrap() == data,
        "the whole get",
    )?;

    // A partial local file, continued.
    std::fs::write(bench.home.join("part.bin"), &data[..1700]).unwrap();
    let out = simcom(&["get", &blob, "part.bin", "--resume"]);
    assert_exit(&out, 0);
    check(
        text(&out.stdout).contains("(resumed at byte 1700)"),
        "the resumed get's line",
    )?;
    check(
        std::fs::read(bench.home.join("part.bin")).unwrap() == data,
        "the resumed get",
    )?;

    let out = simcom(&["ls"]);
    assert_exit(&out, 0);
    let listing = text(&out.stdout);
    check(
        listing.contains(&blob) && listing.contains(&data.len().to_string()),
        &format!("the listing: {listing}"),
    )?;

    let out = simcom(&["mkdir", &sub]);
    assert_exit(&out, 0);
    check(bench.ftp.dir().join(&sub).is_dir(), "mkdir")?;
    let out = simcom(&["rmdir", &sub]);
    assert_exit(&out, 0);
    check(!bench.ftp.dir().join(&sub).exists(), "rmdir")?;

    let out = simcom(&["rm", &blob]);
    assert_exit(&out, 0);
    check(
        text(&out.stdout).trim() == format!("deleted {blob}"),
        "rm's line",
    )?;
    check(!bench.ftp.dir().join(&blob).exists(), "rm")?;

    // Gone: the modem's error 77, exit 3.
    let out = simcom(&["get", &blob, "again.bin"]);
    assert_exit(&out, 3);
    let err = text(&out.stderr);
    check(err.contains("FTPGET"), &format!("the error line: {err}"))
}

#[test]
fn a_file_shrinking_during_the_upload_stops_it() {
    // A slow line (19200 baud: about 0.7 s a chunk), so the file is cut
    // while the upload runs.
    let bench = Bench {
        home: temp_dir("simcom-shrink"),
        modem: Modem::start_simcom_at(Some(19_200)),
        ftp: Ftp::embedded("simcom-shrink"),
    };
    let data: Vec<u8> = (0..20_000u32).map(|i| i as u8).collect();
    let local = bench.home.join("f.bin");
    std::fs::write(&local, &data).unwrap();
    let stored = bench.ftp.dir().join("f.bin");
    let watcher = std::thread::spawn(move || {
        let started = std::time::Instant::now();
        while started.elapsed() < std::time::Duration::from_secs(20) {
            // The upload has begun once the server holds the file.
            if stored.exists() {
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&local)
                    .unwrap()
                    .set_len(100)
                    .unwrap();
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        false
    });
    let out = bench.run(&["--dialect", "simcom", "--apn", "internet", "put", "f.bin"]);
    assert!(watcher.join().unwrap(), "the upload never began");
    assert_exit(&out, 6);
    let err = text(&out.stderr);
    assert!(
        err.starts_with(
            "cellftp: cannot read f.bin during the upload: the file changed from 20000 to "
        ),
        "{err}"
    );
    assert!(
        err.contains("; the upload was stopped after ")
            && err.contains(" of 20000 bytes: f.bin on the server is incomplete"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // Not reported as uploaded, and the server does not hold the file.
    assert!(
        !text(&out.stdout).contains("uploaded"),
        "{}",
        text(&out.stdout)
    );
    assert_ne!(
        std::fs::read(bench.ftp.dir().join("f.bin")).ok(),
        Some(data)
    );
}

#[test]
fn rm_is_refused_with_the_manual_modem() {
    let bench = Bench::new("simcom-rm-manual", Via::Tcp, Ftp::embedded("rm-manual"), "");
    let out = bench.run(&["rm", "x.bin"]);
    assert_exit(&out, 1);
    assert!(
        text(&out.stderr).contains("rm is not supported by the manual's modem"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_failed_get_leaves_the_local_file_alone() {
    let bench = simcom_bench("simcom-keep", "");
    std::fs::write(bench.home.join("keep.txt"), b"precious").unwrap();
    let out = run_simcom(&bench, &["get", "nope.txt", "keep.txt"]);
    assert_exit(&out, 3);
    assert_eq!(
        std::fs::read(bench.home.join("keep.txt")).unwrap(),
        b"precious"
    );
    // Nor is a file created for a download that failed.
    let out = run_simcom(&bench, &["get", "nope.txt"]);
    assert_exit(&out, 3);
    assert!(!bench.home.join("nope.txt").exists());
}

#[test]
fn verbose_logs_the_at_traffic_without_the_password() {
    let bench = simcom_bench("simcom-verbose", "");
    std::fs::write(bench.home.join("f.txt"), b"data").unwrap();
    let out = run_simcom(&bench, &["-v", "put", "f.txt"]);
    assert_exit(&out, 0);
    let log = text(&out.stderr);
    assert!(log.contains("AT+SAPBR"), "{log}");
    assert!(log.contains("AT+FTPPUT"), "{log}");
    assert!(log.contains("AT+FTPPW=<redacted>"), "{log}");
    assert!(!log.contains("sim@example.com"), "{log}");
    assert!(!text(&out.stdout).contains("sim@example.com"));
}

/// `cellftp --dialect simcom get f.bin` against a SIMCom simulator with
/// `faults`: the exit code and stderr.
fn failed_get(tag: &str, faults: &str) -> (Option<i32>, String) {
    let bench = simcom_bench(tag, faults);
    std::fs::write(bench.ftp.dir().join("f.bin"), b"hello").unwrap();
    let out = run_simcom(&bench, &["get", "f.bin"]);
    (out.status.code(), text(&out.stderr))
}

#[test]
fn a_timeout_names_the_command_and_the_time_it_was_given() {
    // AT+FTPGET=1 has the operation timeout: 75 s, scaled by 0.05.
    assert_eq!(
        failed_get("simcom-timeout", "never=FTPGET#1"),
        (
            Some(4),
            "cellftp: timed out: the modem did not answer AT+FTPGET within 3.75 s\n".to_owned()
        )
    );
}

#[test]
fn a_restart_says_to_run_the_command_again() {
    let (code, err) = failed_get("simcom-restart", "restart=FTPGET#1");
    assert_eq!(code, Some(5), "{err}");
    assert_eq!(
        err,
        "cellftp: the modem restarted during AT+FTPGET: run the command again (it brings the bearer up again)\n"
    );
}

#[test]
fn a_partial_get_is_kept_and_the_line_says_how_to_resume() {
    let bench = simcom_bench("simcom-partial", "drop-data=1000");
    let data: Vec<u8> = (0..5000u32).map(|i| i as u8).collect();
    std::fs::write(bench.ftp.dir().join("f.bin"), &data).unwrap();
    std::fs::write(bench.home.join("keep.bin"), b"old").unwrap();
    let out = run_simcom(&bench, &["get", "f.bin", "keep.bin"]);
    let err = text(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{err}");
    let kept = std::fs::read(bench.home.join("keep.bin")).unwrap();
    assert!(!kept.is_empty() && data.starts_with(&kept), "{err}");
    assert!(
        err.contains(&format!(
            "; {} bytes were written to keep.bin: continue with `cellftp --dialect simcom get f.bin keep.bin --resume`",
            kept.len()
        )),
        "{err}"
    );
}
