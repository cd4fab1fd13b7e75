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

#[test]
fn findings_point_at_their_own_line_in_a_terminal_log() {
    let log = b"AT\r\r\nOK\r\nAT+CFUN=1\r\r\nOK\r\n+XYZ\r\nAT\r\r\nGARBAGE here\r\nOK\r\n";
    let r = checked("t.log", log);
    let at = |needle: &str| {
        r.diagnostics
            .iter()
            .find(|d| d.message.contains(needle))
            .unwrap_or_else(|| panic!("no {needle}:\n{}", render(&r)))
            .line
    };
    assert_eq!(at("+XYZ"), Some(5), "{}", render(&r));
    assert_eq!(at("GARBAGE"), Some(7), "{}", render(&r));
    let text = render(&r);
    assert!(!text.contains("Unknown("), "{text}");
    assert!(!text.contains("b\""), "{text}");
}

#[test]
fn a_command_recorded_in_two_pieces_replays_as_one() {
    let t = b"# cellftp transcript v1\n! mkdir /a\n> AT+FTP\n> MKD=/a\\r\n< \\r\\nOK\\r\\n\n= 0 Ok(DirectoryCreated)\n";
    let r = checked("split.cftx", t);
    assert!(r.passed, "{}", render(&r));
    assert!(
        r.diagnostics.iter().all(|d| d.severity < Severity::Warning),
        "{}",
        render(&r)
    );
    // Cut off after its first piece, it is a departure at the end.
    let cut = b"# cellftp transcript v1\n! mkdir /a\n> AT+FTP\n";
    let r = checked("cut.cftx", cut);
    assert!(!r.passed, "{}", render(&r));
}
