//! Files up and down through the real binary, over TCP (ser2net) and a PTY
//! (a serial device): 0 bytes, 1 byte, binary content holding `\r\nOK\r\n`,
//! NUL and 0x1A, and a file of several chunks; each byte-identical on both
//! sides, each run's `--record` transcript replaying clean.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::time::Duration;

use common::*;

const LIMIT: Duration = Duration::from_secs(30);

/// The contents tried.
fn samples() -> Vec<(&'static str, Vec<u8>)> {
    let mut binary = b"\r\nOK\r\n\0\x1a\r\nERROR\r\n+FTPGET:3,abc\r\n".to_vec();
    binary.extend((0..=255u8).cycle().take(3000));
    vec![
        ("empty.bin", Vec::new()),
        ("one.bin", b"x".to_vec()),
        ("binary.bin", binary),
    ]
}

fn put_then_get(served: impl Fn(&Fake) -> Served, tag: &str) {
    for (name, data) in samples() {
        let home = temp_dir(&format!("{tag}-{name}"));
        std::fs::write(home.join(name), &data).unwrap();

        let fake = Fake::new();
        let server = served(&fake);
        let out = run(
            logged_in(&home, &server).args(["--record", "put.cftx", "put", name]),
            LIMIT,
        );
        assert_exit(&out, 0);
        drop(server);
        assert_eq!(
            fake.stored(name).as_deref(),
            Some(&data[..]),
            "{name} on the server"
        );
        let said = text(&out.stdout);
        assert!(
            said.starts_with(&format!("uploaded {name} to {name}: ")),
            "{said}"
        );
        assert_replays(&home.join("put.cftx"));

        // And back, under another name.
        let server = served(&fake);
        let out = run(
            logged_in(&home, &server).args(["--record", "get.cftx", "get", name, "back.bin"]),
            LIMIT,
        );
        assert_exit(&out, 0);
        assert_eq!(
            std::fs::read(home.join("back.bin")).unwrap(),
            data,
            "{name} back"
        );
        assert_replays(&home.join("get.cftx"));
    }
}

#[test]
fn put_and_get_over_tcp() {
    put_then_get(serve_tcp, "tcp");
}

#[test]
fn put_and_get_over_a_pty() {
    put_then_get(serve_pty, "pty");
}

/// The local file shrinks while it is uploaded: the upload is cancelled
/// through the session (the modem's upload closed with `AT+FTPPUT=0`, the
/// connection then quit), one error line, exit 6.
#[test]
fn file_shrinking_during_upload() {
    let home = temp_dir("shrink");
    let data: Vec<u8> = (0..65536u32).map(|i| i as u8).collect();
    std::fs::write(home.join("f.bin"), &data).unwrap();
    let fake = Fake::with(Faults {
        put_delay: Duration::from_millis(300),
        ..Faults::default()
    });
    let server = serve_tcp(&fake);
    let mut cmd = cellftp(&home);
    cmd.args(&server.args)
        .args(login())
        .env("CELLFTP_PASSWORD", PASSWORD)
        .args(["put", "f.bin"]);
    // While the first chunk waits for its answer (the next two are read
    // ahead already), the file is cut to 100 bytes.
    let watcher = {
        let (fake, path) = (fake.clone(), home.join("f.bin"));
        std::thread::spawn(move || {
            let started = std::time::Instant::now();
            while started.elapsed() < LIMIT {
                if fake
                    .commands()
                    .iter()
                    .any(|c| c.starts_with("AT+FTPPUT=512,"))
                {
                    std::fs::OpenOptions::new()
                        .write(true)
                        .open(&path)
                        .unwrap()
                        .set_len(100)
                        .unwrap();
                    return;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let out = run(&mut cmd, LIMIT);
    watcher.join().unwrap();
    assert_exit(&out, 6);
    // How far the file was read ahead when it was cut depends on timing.
    let err = text(&out.stderr);
    assert!(
        err.starts_with(
            "cellftp: cannot read f.bin during the upload: the file shrank from 65536 to "
        ),
        "{err}"
    );
    assert!(
        err.contains("; the upload was stopped after the modem took "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let commands = fake.commands();
    let tail: Vec<&str> = commands.iter().rev().take(2).map(String::as_str).collect();
    assert_eq!(tail, ["AT+FTPQUIT\r", "AT+FTPPUT=0\r"], "{commands:?}");
}
