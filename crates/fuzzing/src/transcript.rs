//! The `transcript` and `log_import` targets: the readers of recorded
//! transcripts and captured logs, and the replay behind them.

use cellftp_replay::{import, replay, Framing, Record, Transcript};

use crate::bytes::contains;

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

/// Captured logs: the importer the input's first byte chooses (see
/// [`EVERY_IMPORTER`]) reads the rest, as it is or with a password line
/// appended, without panicking; an error names the file, a line and a
/// column (1-based) and says what was expected; what an importer accepts
/// carries no password and replays. That it also writes and reads back
/// stably is [`log_import_written`]'s check, on the same inputs.
///
/// One import per input rather than every importer on every input, each on
/// the log as it is and with the password appended: doing all of them made
/// an input cost twenty. The fuzzer explores the same inputs for every
/// importer, with and without the password, by changing the first byte.
pub fn log_import(data: &[u8]) {
    for_each_import(data, |format, t, watching| {
        if watching {
            assert_no_password(t, || match format {
                Some(format) => format!("{format} imported a password"),
                None => "format detection imported a password".to_owned(),
            });
        }
        let _ = replay(t);
    });
}

/// Captured logs, as [`log_import`] reads them (the same input format and
/// seeds): what an importer accepts, written as a transcript, reads back
/// as the same records once written (the writer redacts, so the first
/// write may change data), and no password is written. Split from
/// [`log_import`] so that each target runs at the fuzzer's speed; together
/// they check what one target did.
pub fn log_import_written(data: &[u8]) {
    for_each_import(data, |_, t, watching| {
        check_written(t, watching);
    });
}

/// Runs the import (or imports) the first byte of `data` chooses on the
/// rest, checks an error, and calls `accepted` with each imported
/// transcript and whether the watched password must not show in it.
fn for_each_import(data: &[u8], mut accepted: impl FnMut(ImportFormat, &Transcript, bool)) {
    let Some((&choice, log)) = data.split_first() else {
        return;
    };
    if choice == EVERY_IMPORTER {
        for format in import::Format::ALL {
            import_checked(Some(format), log, false, &mut accepted);
            import_checked(Some(format), log, true, &mut accepted);
        }
        import_checked(None, log, false, &mut accepted);
        return;
    }
    let choices = import::Format::ALL.len() + 1;
    let choice = usize::from(choice) % (2 * choices);
    let format = import::Format::ALL.get(choice % choices).copied();
    // Detection is run on the log as it is only.
    let with_password = format.is_some() && choice >= choices;
    import_checked(format, log, with_password, &mut accepted);
}

/// Which importer ran: one format, or detection.
type ImportFormat = Option<import::Format>;

/// The first byte of a `log_import` input that runs every importer (on the
/// log as it is and with a password appended) and format detection on the
/// rest, as the target once did on every input; the regressions kept from
/// then start with it. Any other first byte, modulo twice the number of
/// formats plus one, picks an entry of [`import::Format::ALL`] or, past its
/// end, format detection; the second half of the values is the first with
/// the password appended.
///
/// The fuzz target rejects inputs that start with it (each of its imports
/// is reachable alone, and the fuzzer spent half its time on such inputs);
/// the regression test still runs them through this harness.
pub const EVERY_IMPORTER: u8 = 0xff;

/// A `log_import` input: `log` for the importer of `format`, or for
/// format detection if `None` (see [`EVERY_IMPORTER`]).
pub fn log_import_input(format: Option<import::Format>, log: &[u8]) -> Vec<u8> {
    let all = import::Format::ALL;
    let choice = format
        .and_then(|f| all.iter().position(|&g| g == f))
        .unwrap_or(all.len());
    let mut out = vec![u8::try_from(choice).unwrap_or(u8::MAX)];
    out.extend_from_slice(log);
    out
}

/// Imports `data` as `format` (detecting it if `None`), with a password
/// line appended if `with_password`; checks an error, or hands the
/// transcript to `accepted`.
fn import_checked(
    format: ImportFormat,
    data: &[u8],
    with_password: bool,
    accepted: &mut impl FnMut(ImportFormat, &Transcript, bool),
) {
    let appended;
    let (input, watching) = if with_password {
        // A password the log carries in clear must not survive the import
        // (unless the fuzzer spelled it elsewhere in the log itself).
        appended = [
            data,
            format!("\nAT+FTPPW={WATCHED}\r\n+FTPPW: {WATCHED}\n").as_bytes(),
        ]
        .concat();
        (&appended[..], !contains(data, WATCHED.as_bytes()))
    } else {
        (data, false)
    };
    let result = match format {
        Some(format) => import::import(format, "capture.log", input),
        None => import::detect_and_import("capture.log", input),
    };
    match result {
        Ok(imported) => accepted(format, &imported.transcript, watching),
        Err(e) => check_error(&e, watching),
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
        !watch || !contains(shown.as_bytes(), WATCHED.as_bytes()),
        "an error shows a password: {shown}"
    );
}

/// Checks `t` written and read back, which it returns.
fn check_written(t: &Transcript, watch: bool) -> Transcript {
    let once = t.to_text();
    let again = Transcript::parse(&once)
        .unwrap_or_else(|e| panic!("the writer wrote what the reader refuses ({e}):\n{once}"));
    // Writing is a function of the records: when they read back the same,
    // the second write is the first one and need not be made.
    if again.records != t.records {
        assert_eq!(again.to_text(), once, "writing is not stable");
    }
    if watch {
        assert_no_password(&again, || format!("a password was written:\n{once}"));
    }
    again
}

/// The watched password is nowhere in `t` outside payloads: not in a byte
/// record, a comment, a job or an expected result.
fn assert_no_password(t: &Transcript, what: impl Fn() -> String) {
    let lines = outside_payloads(t);
    assert!(
        !contains(&lines, WATCHED.as_bytes()),
        "{}: {:?}",
        what(),
        String::from_utf8_lossy(&lines)
    );
    let other = t.records.iter().any(|r| match r {
        Record::Comment(c) => c.contains(WATCHED),
        Record::Job(j) => j.to_line().contains(WATCHED),
        Record::Expect { result, .. } => result.contains(WATCHED),
        Record::Time(_) | Record::Dialect(_) | Record::Sent(_) | Record::Received(_) => false,
    });
    assert!(!other, "{}", what());
}

/// Each direction's bytes outside payloads, the two streams one after the
/// other, a line end wherever a payload was: where a password must never
/// be. Inside a payload the watched password is file data, written as it
/// is (the fuzzer's log may end inside an announced payload, which then
/// takes the appended password line). On the host's side the bytes after
/// a payload start a new command, so the rest of a password line a chunk
/// cut is not a password line any more (see `Redactor`) and is left out
/// up to its line end; on the modem's side it must be hidden.
fn outside_payloads(t: &Transcript) -> Vec<u8> {
    struct Stream {
        framing: Framing,
        out: Vec<u8>,
        /// Skipping the rest of a line a payload cut (host's side only).
        skipping: bool,
        skips_cut_lines: bool,
    }
    impl Stream {
        fn push(&mut self, bytes: &[u8]) {
            let mut rest = bytes;
            if self.skipping {
                match rest.iter().position(|&b| b == b'\r' || b == b'\n') {
                    Some(end) => {
                        self.skipping = false;
                        rest = rest.get(end..).unwrap_or_default();
                    }
                    None => rest = &[],
                }
            }
            self.out.extend_from_slice(rest);
        }
    }
    let stream = |framing, skips_cut_lines| Stream {
        framing,
        out: Vec::new(),
        skipping: false,
        skips_cut_lines,
    };
    let mut streams = [
        stream(Framing::sent(), true),
        stream(Framing::received(), false),
    ];
    for record in &t.records {
        let (bytes, s) = match (record, &mut streams) {
            (Record::Sent(b), [sent, _]) => (b, sent),
            (Record::Received(b), [_, received]) => (b, received),
            _ => continue,
        };
        let mut at = 0;
        for payload in s.framing.payload_ranges(bytes) {
            s.push(bytes.get(at..payload.start).unwrap_or_default());
            s.out.push(b'\n');
            s.skipping = s.skips_cut_lines;
            at = payload.end;
        }
        s.push(bytes.get(at..).unwrap_or_default());
    }
    let [sent, received] = streams;
    [sent.out, received.out].join(&b'\n')
}
