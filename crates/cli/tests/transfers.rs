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
            cellftp(&home)
                .args(&server.args)
                .args(login())
                .env("CELLFTP_PASSWORD", PASSWORD)
                .args(["--record", "put.cftx", "put", name]),
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
            cellftp(&home)
                .args(&server.args)
                .args(login())
                .env("CELLFTP_PASSWORD", PASSWORD)
                .args(["--record", "get.cftx", "get", name, "back.bin"]),
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
