//! `--json` output is what `report.schema.json` says: validated for the
//! whole corpus and for files that fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;

use cellftp_replay::{check, run, Options};

#[test]
fn json_reports_follow_the_schema() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.schema.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let root = dir.join("../../transcripts");
    let files = cellftp_replay::files::collect(&root).unwrap();
    let mut reports = run::check_files(&files, &root, &Options::default(), 2, &|| {});
    reports.push(check("empty.log", b"", &Options::default()));
    reports.push(check(
        "noise.log",
        b"\x01\x02hello\xff",
        &Options::default(),
    ));
    let json: serde_json::Value = serde_json::from_str(&run::to_json(&reports)).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The stable codes appear where the corpus has them.
    let codes: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["jobs"].as_array().unwrap())
        .filter_map(|j| j["error"]["code"].as_str())
        .collect();
    for code in [
        "modem_error",
        "cme_error",
        "server_unreachable",
        "server_refused",
        "pdp_inactive",
        "modem_restarted",
        "timeout",
        "not_configured",
    ] {
        assert!(codes.contains(&code), "no {code} in {codes:?}");
    }
}
