//! `cellftp --dialect simcom` through the real binary → TCP → the simulated
//! SIMCom modem → the embedded FTP server: a binary file larger than one
//! `<maxlength>` put, got back whole and with `--resume` from a partial
//! local file, listed, deleted; byte-identical. And `rm` refused with the
//! manual's modem.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::sim::{Bench, Ftp, Modem, Via};
use common::*;

#[test]
fn put_get_resume_ls_rm() {
    let bench = Bench {
        home: temp_dir("simcom-e2e"),
        modem: Modem::start_simcom(),
        ftp: Ftp::embedded("simcom-e2e"),
    };
    let mut data = b"\r\nOK\r\n\0+FTPGET: 1,0\r\n+FTPPUT: 2,10\r\n".to_vec();
    data.extend((0..=255u8).cycle().take(5000));
    std::fs::write(bench.home.join("blob.bin"), &data).unwrap();
    let simcom = |args: &[&str]| {
        let mut all = vec!["--dialect", "simcom", "--apn", "internet"];
        all.extend_from_slice(args);
        bench.run(&all)
    };

    let out = simcom(&["put", "blob.bin"]);
    assert_exit(&out, 0);
    assert!(text(&out.stdout).starts_with("uploaded blob.bin to blob.bin: "));
    assert_eq!(
        std::fs::read(bench.ftp.dir().join("blob.bin")).unwrap(),
        data
    );

    let out = simcom(&["get", "blob.bin", "whole.bin"]);
    assert_exit(&out, 0);
    assert_eq!(std::fs::read(bench.home.join("whole.bin")).unwrap(), data);

    // A partial local file, continued.
    std::fs::write(bench.home.join("part.bin"), &data[..1700]).unwrap();
    let out = simcom(&["get", "blob.bin", "part.bin", "--resume"]);
    assert_exit(&out, 0);
    assert!(
        text(&out.stdout).contains("(resumed at byte 1700)"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(std::fs::read(bench.home.join("part.bin")).unwrap(), data);

    let out = simcom(&["ls"]);
    assert_exit(&out, 0);
    let listing = text(&out.stdout);
    assert!(listing.contains("blob.bin"), "{listing}");
    assert!(listing.contains(&data.len().to_string()), "{listing}");

    let out = simcom(&["mkdir", "sub"]);
    assert_exit(&out, 0);
    assert!(bench.ftp.dir().join("sub").is_dir());
    let out = simcom(&["rmdir", "sub"]);
    assert_exit(&out, 0);

    let out = simcom(&["rm", "blob.bin"]);
    assert_exit(&out, 0);
    assert_eq!(text(&out.stdout).trim(), "deleted blob.bin");
    assert!(!bench.ftp.dir().join("blob.bin").exists());

    // Gone: the modem's error 77, exit 3.
    let out = simcom(&["get", "blob.bin", "again.bin"]);
    assert_exit(&out, 3);
    let err = text(&out.stderr);
    assert!(err.contains("FTPGET"), "{err}");
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
