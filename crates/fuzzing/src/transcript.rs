//! The `transcript` and `log_import` targets: the readers of recorded
//! transcripts and captured logs, and the replay behind them.

use cellftp_replay::{import, replay, Framing, Record, Transcript};

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

/// Captured logs: every importer reads any bytes without panicking; an
/// error names the file, a line and a column (1-based) and says what was
/// expected; what an importer accepts carries no password, writes and reads
/// back stably, and replays.
pub fn log_import(data: &[u8]) {
    // A password the log carries in clear must not survive the import
    // (unless the fuzzer spelled it elsewhere in the log itself).
    let watch = !contains(data, WATCHED.as_bytes());
    let with_secret = [
        data,
        format!("\nAT+FTPPW={WATCHED}\r\n+FTPPW: {WATCHED}\n").as_bytes(),
    ]
    .concat();
    for format in import::Format::ALL {
        for (input, watching) in [(data, false), (&with_secret[..], watch)] {
            match import::import(format, "capture.log", input) {
                Ok(imported) => {
                    let t = &imported.transcript;
                    check_written(t, watching);
                    let lines = outside_payloads(t);
                    assert!(
                        !watching || !contains(&lines, WATCHED.as_bytes()),
                        "{format} imported a password: {:?}",
                        String::from_utf8_lossy(&lines)
                    );
                    let _ = replay(t);
                }
                Err(e) => check_error(&e, watching),
            }
        }
    }
    match import::detect_and_import("capture.log", data) {
        Ok(i) => check_written(&i.transcript, false),
        Err(e) => check_error(&e, false),
    }
}

/// An import error points into the file and reads as a sentence.
fn check_error(e: &import::ImportError, watch: bool) {
    assert!(e.line >= 1 && e.column >= 1, "no position: {e:?}");
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!("capture.log:{}:{}: ", e.line, e.column)),
        "{shown}"
    );
    assert!(
        !watch || !shown.contains(WATCHED),
        "an error shows a password: {shown}"
    );
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn check_written(t: &Transcript, watch: bool) {
    let once = t.to_text();
    let again = Transcript::parse(&once)
        .unwrap_or_else(|e| panic!("the writer wrote what the reader refuses ({e}):\n{once}"));
    assert_eq!(again.to_text(), once, "writing is not stable");
    let lines = outside_payloads(&again);
    assert!(
        !watch || !contains(&lines, WATCHED.as_bytes()),
        "a password was written:\n{once}"
    );
}

/// Each direction's bytes outside payloads, the two streams one after the
/// other, a line end wherever a payload was: where a password must never
/// be. Inside a payload the watched password is file data, written as it
/// is (the fuzzer's log may end inside an announced payload, which then
/// takes the appended password line).
fn outside_payloads(t: &Transcript) -> Vec<u8> {
    let mut streams = [
        (Framing::sent(), Vec::new()),
        (Framing::received(), Vec::new()),
    ];
    for record in &t.records {
        let (bytes, (framing, out)) = match (record, &mut streams) {
            (Record::Sent(b), [sent, _]) => (b, sent),
            (Record::Received(b), [_, received]) => (b, received),
            _ => continue,
        };
        let mut at = 0;
        for payload in framing.payload_ranges(bytes) {
            out.extend_from_slice(bytes.get(at..payload.start).unwrap_or_default());
            out.push(b'\n');
            at = payload.end;
        }
        out.extend_from_slice(bytes.get(at..).unwrap_or_default());
    }
    let [(_, sent), (_, received)] = streams;
    [sent, received].join(&b'\n')
}
