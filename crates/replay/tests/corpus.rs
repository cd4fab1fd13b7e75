//! Every file under `transcripts/` replays cleanly, and its replay reads as
//! its snapshot: commands, responses, events, results.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cellftp_replay::{import, replay, Transcript};

#[test]
fn corpus_replays_as_recorded() {
    let mut count = 0;
    insta::glob!("../../../transcripts", "**/*.{cftx,log}", |path| {
        count += 1;
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let transcript = import::any(&name, &text).unwrap();
        let report = replay(&transcript);
        assert!(report.passed(), "{}:\n{}", path.display(), report.render());
        // Nothing this crate writes or renders carries a password.
        assert!(!transcript.to_text().contains("FTPPW=123"));
        assert!(!report.render().contains("FTPPW=123"));
        insta::assert_snapshot!(report.render());
    });
    assert!(count >= 9, "only {count} transcripts found");
}

#[test]
fn transcripts_round_trip_through_the_writer() {
    insta::glob!("../../../transcripts", "**/*.cftx", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let t = Transcript::parse(&text).unwrap();
        assert_eq!(Transcript::parse(&t.to_text()).unwrap(), t);
    });
}

#[test]
fn a_changed_command_is_reported() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../transcripts/manual-example.cftx"
    ))
    .unwrap()
    .replace("> AT+FTPRESET=2\\r", "> AT+FTPRESET=3\\r");
    let report = replay(&Transcript::parse(&text).unwrap());
    assert!(!report.passed());
    assert!(
        report.failures[0].to_string().contains("AT+FTPRESET=2"),
        "{}",
        report.render()
    );
}

#[test]
fn a_wrong_expectation_is_reported() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../transcripts/manual-example.cftx"
    ))
    .unwrap()
    .replace("bytes: 3 })", "bytes: 4 })");
    let report = replay(&Transcript::parse(&text).unwrap());
    assert_eq!(report.failures.len(), 1, "{}", report.render());
}

/// The name a corpus file is reported under: relative to `transcripts/`.
fn corpus_name(path: &std::path::Path) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../transcripts");
    let root = root.canonicalize().unwrap();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
        .replace('\\', "/")
}

#[test]
fn every_corpus_file_checks_clean_and_reports_as_recorded() {
    let mut count = 0;
    insta::glob!("../../../transcripts", "**/*.{cftx,log}", |path| {
        count += 1;
        let bytes = std::fs::read(path).unwrap();
        let name = corpus_name(path);
        let r = cellftp_replay::check(&name, &bytes, &cellftp_replay::Options::default());
        let text = cellftp_replay::check::render(&r);
        assert!(r.passed, "{text}");
        assert!(!r.jobs.is_empty() || r.stats.commands > 0, "{text}");
        assert!(!text.contains("FTPPW=123"), "{text}");
        insta::assert_snapshot!(text);
    });
    assert!(count >= 30, "only {count} corpus files");
}

#[test]
fn every_corpus_file_has_its_json() {
    insta::glob!("../../../transcripts", "**/*.{cftx,log}", |path| {
        let bytes = std::fs::read(path).unwrap();
        let r = cellftp_replay::check(
            &corpus_name(path),
            &bytes,
            &cellftp_replay::Options::default(),
        );
        let json = cellftp_replay::run::to_json(std::slice::from_ref(&r));
        assert!(!json.contains("FTPPW=123"), "{json}");
        insta::assert_snapshot!(json);
    });
}
