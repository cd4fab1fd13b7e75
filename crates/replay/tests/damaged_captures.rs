//! Captures damaged on the way (cut, glued together, re-encoded) fail with
//! the line where they break, or are read with a warning that says what
//! was done: never "ok" as if whole.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use cellftp_replay::check::{render, Severity};
use cellftp_replay::{check, FileReport, Options};

fn captures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../transcripts/captures")
}

fn read(file: &str) -> Vec<u8> {
    std::fs::read(captures().join(file)).unwrap()
}

fn checked(name: &str, bytes: &[u8]) -> FileReport {
    check(name, bytes, &Options::default())
}

/// The first error: its line and message.
fn first_error(r: &FileReport) -> (Option<usize>, String) {
    let e = r
        .errors()
        .next()
        .unwrap_or_else(|| panic!("no error:\n{}", render(r)));
    (e.line, e.message.clone())
}

#[test]
fn a_socat_trace_with_a_byte_order_mark_reads_as_socat() {
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(read("socat/manual-v.log"));
    let r = checked("bom.log", &bytes);
    assert_eq!(r.format, Some("socat"), "{}", render(&r));
    assert!(r.passed, "{}", render(&r));
    assert_eq!(
        r.jobs.len(),
        checked("v.log", &read("socat/manual-v.log")).jobs.len()
    );
}

#[test]
fn a_socat_trace_cut_at_the_front_fails_as_socat() {
    let whole = read("socat/manual-v.log");
    let mut rest = &whole[..];
    for _ in 0..3 {
        let nl = rest.iter().position(|&b| b == b'\n').unwrap();
        rest = &rest[nl + 1..];
    }
    let r = checked("cut.log", rest);
    assert!(!r.passed, "{}", render(&r));
    assert_eq!(r.format, Some("socat"), "{}", render(&r));
    assert_eq!(first_error(&r).0, Some(1));
}

#[test]
fn a_terminal_log_with_a_socat_trace_after_it_fails_where_the_trace_starts() {
    let tio = read("tio/manual.log");
    let lines = tio.iter().filter(|&&b| b == b'\n').count();
    let mut bytes = tio.clone();
    bytes.extend(read("socat/manual-v.log"));
    let r = checked("glued.log", &bytes);
    assert!(!r.passed, "{}", render(&r));
    let (line, message) = first_error(&r);
    assert_eq!(line, Some(lines + 1), "{message}");
    assert!(message.contains("socat block header"), "{message}");
}

#[test]
fn a_terminal_log_cut_inside_a_command_fails_at_it() {
    let tio = read("tio/manual.log");
    let at = tio.windows(13).position(|w| w == b"AT+FTPGETNAME").unwrap() + 13;
    let cut = &tio[..at];
    let line = cut.iter().filter(|&&b| b == b'\n').count() + 1;
    let r = checked("cut.log", cut);
    assert!(!r.passed, "{}", render(&r));
    let (at_line, message) = first_error(&r);
    assert_eq!(at_line, Some(line), "{message}");
    assert!(message.contains("`AT+FTPGETNAME`"), "{message}");
    assert!(message.contains("cut off"), "{message}");
}

#[test]
fn a_terminal_log_cut_inside_a_modem_line_warns() {
    let tio = read("tio/manual.log");
    let at = tio.windows(9).position(|w| w == b"+FTPGET:3").unwrap() + 9;
    let r = checked("cut.log", &tio[..at]);
    let warned = r
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Warning && d.message.contains("ends inside line"));
    assert!(warned, "{}", render(&r));
}

#[test]
fn a_transcript_with_a_byte_order_mark_reads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../transcripts/manual-example.cftx");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(std::fs::read(path).unwrap());
    let r = checked("bom.cftx", &bytes);
    assert!(r.passed, "{}", render(&r));
}

#[test]
fn a_socat_trace_with_crlf_line_ends_says_so() {
    let text = String::from_utf8(read("socat/manual-v.log")).unwrap();
    let crlf = text.replace('\n', "\r\n");
    let r = checked("crlf.log", crlf.as_bytes());
    let (line, message) = first_error(&r);
    assert_eq!(line, Some(1));
    assert!(message.contains("CR LF"), "{message}");
}

#[test]
fn one_nul_byte_before_a_terminal_log_is_dropped_with_a_warning() {
    let mut bytes = vec![0];
    bytes.extend(read("picocom/manual.log"));
    let r = checked("nul.log", &bytes);
    assert!(r.passed, "{}", render(&r));
    assert_eq!(
        r.jobs.len(),
        checked("p.log", &read("picocom/manual.log")).jobs.len()
    );
    let warned = r
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Warning && d.message.contains("NUL byte"));
    assert!(warned, "{}", render(&r));
}
