//! Where `AT+FTPMKD` and `AT+FTPRMD` act (`SPEC.md` §5 item 52): a
//! relative directory is taken from the directory `AT+FTPPATH` set (the
//! login directory while none is set), whatever ran before; an absolute
//! one is absolute. The modem drives a real backend against the embedded
//! FTP server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::time::Duration;

use cellftp_sim::{EmbeddedServer, FtpBackend, ModemConfig};
use common::modem::Host;

fn ok(host: &mut Host, line: &str) {
    let out = host.send(format!("{line}\r").as_bytes());
    assert!(
        out.ends_with(b"\r\nOK\r\n"),
        "{line}: {:?}",
        out.escape_ascii().to_string()
    );
}

/// A logged-in modem in front of a server serving a fresh folder.
fn logged_in(server: &EmbeddedServer) -> Host {
    let mut host = Host::backed(
        ModemConfig {
            echo: false,
            pdp_active: true,
            ..ModemConfig::default()
        },
        FtpBackend::new(Duration::from_secs(5)),
    );
    for line in [
        format!("AT+FTPPORT={}", server.addr().port()),
        "AT+FTPMODE=1".into(),
        "AT+FTPSERV=127.0.0.1".into(),
        "AT+FTPUN=anonymous".into(),
        "AT+FTPPW=sim@example.com".into(),
    ] {
        ok(&mut host, &line);
    }
    host
}

#[test]
fn mkdir_before_and_after_a_transfer_lands_in_the_same_place() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::create_dir_all(root.join("other")).unwrap();
    std::fs::write(root.join("other/x.txt"), b"x").unwrap();
    let server = EmbeddedServer::start(root).unwrap();
    let mut host = logged_in(&server);

    // No path set: the login directory.
    ok(&mut host, "AT+FTPMKD=top");
    assert!(root.join("top").is_dir());

    // Path set, before any transfer: in it.
    ok(&mut host, "AT+FTPPATH=sub");
    ok(&mut host, "AT+FTPMKD=before");
    assert!(root.join("sub/before").is_dir());

    // After a listing of another folder: still in the path's folder.
    ok(&mut host, "AT+FTPPATH=other");
    ok(&mut host, "AT+FTPLIST");
    ok(&mut host, "AT+FTPPATH=sub");
    ok(&mut host, "AT+FTPMKD=after-list");
    assert!(root.join("sub/after-list").is_dir());

    // After an upload and a download in the path's folder.
    ok(&mut host, "AT+FTPPUTNAME=f.txt");
    ok(&mut host, "AT+FTPPUT=3,abc");
    ok(&mut host, "AT+FTPPUT=0");
    ok(&mut host, "AT+FTPGETNAME=f.txt");
    ok(&mut host, "AT+FTPGET");
    assert_eq!(std::fs::read(root.join("sub/f.txt")).unwrap(), b"abc");
    ok(&mut host, "AT+FTPMKD=after-transfer");
    assert!(root.join("sub/after-transfer").is_dir());

    // RMD the same way; an absolute directory is absolute.
    ok(&mut host, "AT+FTPRMD=before");
    assert!(!root.join("sub/before").exists());
    ok(&mut host, "AT+FTPMKD=/abs");
    assert!(root.join("abs").is_dir());
    ok(&mut host, "AT+FTPRMD=/top");
    assert!(!root.join("top").exists());

    // None of it landed in the wrong folder.
    for stray in ["before", "after-list", "after-transfer", "other/after-list"] {
        assert!(!root.join(stray).exists(), "{stray}");
    }
}
