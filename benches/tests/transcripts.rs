//! The generated transcripts the replay benchmark uses replay as recorded.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cellftp_benches::transcripts::generated;
use cellftp_replay::{replay, Transcript};

#[test]
fn generated_transcripts_replay_as_recorded() {
    for i in (0..10_000).step_by(97) {
        let text = generated(i);
        let report = replay(&Transcript::parse(&text).unwrap());
        assert!(report.passed(), "transcript {i}:\n{}", report.render());
        assert_eq!(report.results.len(), 4);
    }
}
