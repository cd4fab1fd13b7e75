//! What the checker says about modem lines: where they are, in words
//! (never Rust `Debug` text), and a warning for output no command waited
//! for.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cellftp_replay::check::{render, Severity};
use cellftp_replay::{check, FileReport, Options};

fn checked(name: &str, bytes: &[u8]) -> FileReport {
    check(name, bytes, &Options::default())
}

#[test]
fn modem_output_no_command_waited_for_is_a_warning() {
    // With the echo off the host's commands are not in a terminal log:
    // the download and the final ERROR after `ATE0` fit no command.
    let log = b"AT\r\r\nOK\r\nATE0\r\r\nOK\r\n\r\n+FTPGET:5,12345\r\n\r\nOK\r\n\r\nERROR\r\n";
    let r = checked("t.log", log);
    let warnings: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    assert!(
        warnings.iter().any(|d| d.message.contains("`ERROR`")),
        "{}",
        render(&r)
    );
    assert!(
        warnings.iter().any(|d| d.message.contains("+FTPGET")),
        "{}",
        render(&r)
    );
}
