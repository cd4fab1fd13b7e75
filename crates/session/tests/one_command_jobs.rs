#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The jobs of one command: `AT+FTPMKD`, `AT+FTPRMD`, the configuration
//! report of `AT+FTPSCON` (one `Config` event per item, passwords hidden),
//! and `AT+FTPQUIT`, which closes the connection.

#[macro_use]
mod harness;

use cellftp_session::{JobError, Link, Outcome};
use harness::*;

#[test]
fn mkdir_and_rmdir() {
    let mut h = configured();
    let mk = h.queue(|s| s.mkdir("/invoker"));
    let rm = h.queue(|s| s.rmdir("/invoker"));
    exchange!(h, b"AT+FTPMKD=/invoker\r" => OK);
    events!(h, ok(mk, Outcome::DirectoryCreated));
    exchange!(h, b"AT+FTPRMD=/invoker\r" => OK);
    events!(h, ok(rm, Outcome::DirectoryRemoved));
    h.end();
}

#[test]
fn query_config() {
    let mut h = Harness::default();
    let job = h.queue(|s| s.query_config());
    exchange!(
        h,
        b"AT+FTPSCON\r" =>
        "\r\n+FTPSCON \u{ff1a}\r\nserver: 47.104.157.10\r\n+FTPMODE: 1\r\n+FTPPW: 123\r\nuser: xs\r\n\r\nOK\r\n".as_bytes()
    );
    events!(
        h,
        Ev::Config {
            job,
            item: "Info(Info { name: FtpScon, value: Empty })".into()
        },
        Ev::Config {
            job,
            item: "Unknown(b\"server: 47.104.157.10\")".into()
        },
        Ev::Config {
            job,
            item: "Info(Info { name: FtpMode, value: Number(1) })".into()
        },
        Ev::Config {
            job,
            item: "Info(Info { name: FtpPw, value: <redacted> })".into()
        },
        Ev::Config {
            job,
            item: "Unknown(b\"user: xs\")".into()
        },
        ok(job, Outcome::ConfigReported { items: 5 }),
    );
    h.end();
}

#[test]
fn query_config_with_urc_inside() {
    let mut h = Harness::default();
    let job = h.queue(|s| s.query_config());
    exchange!(h, b"AT+FTPSCON\r" => b"\r\n+FTPSCON:\r\nXXX\r\n\r\n+CPIN: READY\r\n\r\nOK\r\n");
    events!(
        h,
        Ev::Config {
            job,
            item: "Info(Info { name: FtpScon, value: Empty })".into()
        },
        Ev::Config {
            job,
            item: "Unknown(b\"XXX\")".into()
        },
        unsolicited("Urc(Cpin(b\"READY\"))"),
        ok(job, Outcome::ConfigReported { items: 2 }),
    );
    h.end();
}

#[test]
fn quit_closes_the_link() {
    let mut h = configured();
    let quit = h.queue(|s| s.quit());
    exchange!(h, b"AT+FTPQUIT\r" => OK);
    events!(h, ok(quit, Outcome::Quit));
    assert_eq!(h.session.link(), Link::Down);
    let get = h.queue(|s| s.get("a", 0));
    events!(h, failed(get, JobError::NotConfigured));
    // Jobs that do not use the connection still run.
    let query = h.queue(|s| s.query_config());
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(query, Outcome::ConfigReported { items: 0 }));
    h.end();
}
