//! One session captured by every tool (`transcripts/captures/<tool>/manual*.log`,
//! and a download whose payload holds `\r\nOK\r\n`, NUL and 0x1A in
//! `tricky*.log`) replays to the same jobs and outcomes, and a capture
//! imported as a transcript (`cargo xtask import`) replays to the outcomes
//! of the capture.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use cellftp_replay::check::JobReport;
use cellftp_replay::{check, run, Options};

fn captures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../transcripts/captures")
}

/// What a job did, without where it was read from: spec, ok, outcome,
/// data, error code, entries.
type Outcome = (
    String,
    bool,
    Option<String>,
    Option<String>,
    Option<&'static str>,
    Vec<String>,
);

/// What the jobs did, without where they were read from.
fn outcomes(jobs: &[JobReport]) -> Vec<Outcome> {
    jobs.iter()
        .map(|j| {
            (
                j.spec.clone(),
                j.ok,
                j.outcome.clone(),
                j.data_hex.clone(),
                j.error.as_ref().map(|e| e.code),
                j.entries.clone(),
            )
        })
        .collect()
}

#[test]
fn every_tool_captures_the_same_outcomes() {
    let files: Vec<PathBuf> = cellftp_replay::files::collect(&captures())
        .unwrap()
        .into_iter()
        .filter(|f| {
            f.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("manual")
                && f.parent() != Some(&captures())
        })
        .collect();
    assert!(files.len() >= 8, "{files:?}");
    let reference = check(
        "ref",
        &std::fs::read(&files[0]).unwrap(),
        &Options::default(),
    );
    assert_eq!(reference.jobs.len(), 6);
    assert!(reference.jobs.iter().all(|j| j.ok));
    for f in &files {
        let r = check(
            &f.display().to_string(),
            &std::fs::read(f).unwrap(),
            &Options::default(),
        );
        assert!(r.passed, "{}", cellftp_replay::check::render(&r));
        assert_eq!(
            outcomes(&r.jobs),
            outcomes(&reference.jobs),
            "{}",
            f.display()
        );
    }
}

#[test]
fn every_exact_capture_of_a_tricky_payload_has_the_same_outcome() {
    let files: Vec<PathBuf> = cellftp_replay::files::collect(&captures())
        .unwrap()
        .into_iter()
        .filter(|f| {
            f.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("tricky")
        })
        .collect();
    // socat -x and -v -x, pyserial, tio twice, picocom, socat -v (lossy),
    // and interceptty twice when it was on the PATH.
    assert!(files.len() >= 7, "{files:?}");
    let reference = check(
        "ref",
        &std::fs::read(captures().join("socat/tricky-x.log")).unwrap(),
        &Options::default(),
    );
    assert_eq!(reference.jobs.len(), 1);
    let data = reference.jobs[0].data_hex.clone().unwrap();
    for needle in ["0d0a4f4b0d0a", "00", "1a"] {
        assert!(data.contains(needle), "{needle} not in {data}");
    }
    for f in &files {
        let r = check(
            &f.display().to_string(),
            &std::fs::read(f).unwrap(),
            &Options::default(),
        );
        assert!(r.passed, "{}", cellftp_replay::check::render(&r));
        if r.lossy {
            // socat -v shows NUL and 0x1A as `.`: the data differs, and
            // the report says the capture is lossy.
            assert!(f.ends_with("socat/tricky-v.log"), "{}", f.display());
            assert_ne!(outcomes(&r.jobs), outcomes(&reference.jobs));
            continue;
        }
        assert_eq!(
            outcomes(&r.jobs),
            outcomes(&reference.jobs),
            "{}",
            f.display()
        );
    }
}

#[test]
fn an_imported_capture_replays_to_the_same_outcomes() {
    for f in cellftp_replay::files::collect(&captures()).unwrap() {
        let name = f.display().to_string();
        let bytes = std::fs::read(&f).unwrap();
        let direct = check(&name, &bytes, &Options::default());
        let transcript = run::to_transcript(&name, &bytes).unwrap();
        let text = transcript.to_text();
        assert!(text.starts_with("# cellftp transcript v1\n"), "{text}");
        assert!(!text.contains("FTPPW=123"), "{text}");
        let replayed = check("imported.cftx", text.as_bytes(), &Options::default());
        let expectations = transcript
            .records
            .iter()
            .filter(|r| matches!(r, cellftp_replay::Record::Expect { .. }))
            .count();
        assert!(expectations > 0, "{name}: no expectations\n{text}");
        if direct
            .jobs
            .iter()
            .any(|j| j.error.as_ref().is_some_and(|e| e.code == "not_replayed"))
        {
            // A log that departs from the session imports, and its
            // transcript says where: it fails.
            assert!(!replayed.passed, "{name}");
            continue;
        }
        assert!(
            replayed.passed,
            "{name}:\n{}",
            cellftp_replay::check::render(&replayed)
        );
        assert_eq!(outcomes(&replayed.jobs), outcomes(&direct.jobs), "{name}");
    }
}
