//! Replays every input the fuzzers ever found (`fuzz/regressions/<target>/`)
//! and every committed seed (`fuzz/corpus/<target>/seed-*`) through the
//! harness of its target, so that every crash found stays fixed.
//!
//! `cargo test -p cellftp-fuzzing --test regressions -- --nocapture` shows
//! how many files were replayed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use cellftp_fuzzing::{run, seeds, TARGETS};

fn fuzz_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.ancestors().nth(2).unwrap().join("fuzz")
}

/// The files of `dir` whose name passes `keep`, sorted; none if `dir` does
/// not exist.
fn files(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(&keep))
        .collect();
    out.sort();
    out
}

/// Runs every file through its target's harness; fails listing every file
/// that panics.
fn replay(what: &str, inputs: &[(&str, PathBuf)]) {
    let mut failures = Vec::new();
    for (target, path) in inputs {
        let data = fs::read(path).unwrap();
        let result = catch_unwind(AssertUnwindSafe(|| run(target, &data)));
        match result {
            Ok(Ok(())) => {}
            Ok(Err(t)) => panic!("no target {t}"),
            Err(_) => failures.push(path.display().to_string()),
        }
    }
    for target in TARGETS {
        let n = inputs.iter().filter(|(t, _)| *t == target).count();
        println!("{what}: {target}: replayed {n} files");
    }
    println!("{what}: replayed {} files in all", inputs.len());
    assert!(
        failures.is_empty(),
        "{} {what} files fail their harness (panic messages above):\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

#[test]
fn regressions_stay_fixed() {
    let root = fuzz_dir().join("regressions");
    for entry in fs::read_dir(&root).expect("fuzz/regressions/ exists") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            !path.is_dir() || TARGETS.contains(&name.as_str()),
            "fuzz/regressions/{name}/ is not a fuzz target; targets: {TARGETS:?}"
        );
    }
    let mut inputs = Vec::new();
    for target in TARGETS {
        for path in files(&root.join(target), |n| !n.starts_with('.')) {
            inputs.push((target, path));
        }
    }
    replay("regressions", &inputs);
}

#[test]
fn seeds_pass_their_harness() {
    let mut inputs = Vec::new();
    for target in TARGETS {
        let dir = fuzz_dir().join("corpus").join(target);
        for path in files(&dir, |n| n.starts_with("seed-")) {
            inputs.push((target, path));
        }
    }
    replay("seeds", &inputs);
}

#[test]
fn committed_seeds_are_up_to_date() {
    let hint = "run `cargo run -p cellftp-fuzzing --example seeds`";
    let seeds = seeds();
    for seed in &seeds {
        let path = fuzz_dir()
            .join("corpus")
            .join(seed.target)
            .join(format!("seed-{}", seed.name));
        let on_disk = fs::read(&path).unwrap_or_default();
        assert!(on_disk == seed.bytes, "{} is stale: {hint}", path.display());
    }
    for target in TARGETS {
        let dir = fuzz_dir().join("corpus").join(target);
        for path in files(&dir, |n| n.starts_with("seed-")) {
            let name = path.file_name().unwrap().to_string_lossy();
            let known = seeds
                .iter()
                .any(|s| s.target == target && format!("seed-{}", s.name) == name);
            assert!(known, "{} is no longer generated: {hint}", path.display());
        }
    }
}
