//! The `transcript` and `log_import` targets: the readers of recorded
//! transcripts and captured logs, and the replay behind them.

use cellftp_replay::{import, replay, Record, Transcript};

/// The password the harness watches for: it must never be written out.
const WATCHED: &str = "Wx9-secret";

/// Transcript text: the parser never panics; a parsed transcript written
/// back reads as the same transcript once written (the writer redacts, so
/// the first write may change data); and it replays without panicking.
pub fn transcript(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(parsed) = Transcript::parse(&text) else {
        return;
    };
    // Text that spells the watched password anywhere is not a leak test.
    check_written(&parsed, false);
    let _ = replay(&parsed);
}

/// Captured logs: every importer reads any text without panicking, what it
/// imports carries no password, writes and reads back stably, and replays.
pub fn log_import(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    // A password the log carries in clear must not survive the import
    // (unless the fuzzer spelled it elsewhere in the log itself).
    let watch = !text.contains(WATCHED);
    let with_secret = format!("{text}\nAT+FTPPW={WATCHED}\r\n+FTPPW: {WATCHED}\n");
    for imported in [
        import::terminal(&text),
        import::socat(&text),
        import::terminal(&with_secret),
    ] {
        check_written(&imported, watch);
        for record in &imported.records {
            if let Record::Sent(bytes) | Record::Received(bytes) = record {
                let shown = String::from_utf8_lossy(bytes);
                assert!(
                    !watch || !shown.contains(WATCHED),
                    "imported a password: {shown:?}"
                );
            }
        }
        let _ = replay(&imported);
    }
    if let Ok(t) = import::any("capture.log", &text) {
        check_written(&t, false);
    }
}

fn check_written(t: &Transcript, watch: bool) {
    let once = t.to_text();
    let again = Transcript::parse(&once)
        .unwrap_or_else(|e| panic!("the writer wrote what the reader refuses ({e}):\n{once}"));
    assert_eq!(again.to_text(), once, "writing is not stable");
    assert!(!watch || !once.contains(WATCHED), "a password was written");
}
