//! The session end to end: a long mix of put, get and list jobs run by
//! [`Session`] against a scripted modem that answers in lock-step (see
//! `cellftp_benches::sim`). Throughput counts the bytes that cross the
//! serial line in both directions: commands and upload data out, answers
//! and download data in.
//!
//! Benchmark ids are `session/mix/<read size>`: the modem's answers reach
//! the session in reads of that many bytes. The `replay` group measures
//! `cargo xtask replay`'s work per file ([`cellftp_replay::check`], on one
//! core) on the shipped corpus and on 10,000 generated transcripts
//! (`examples/transcripts.rs` writes them to a folder, to time the command
//! itself).
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::Duration;

use cellftp_benches::sim::{self, Mix, Totals};
use cellftp_session::Session;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// Put + get + list rounds per iteration.
const ROUNDS: usize = 32;

fn session(c: &mut Criterion) {
    let mix = Mix::new();
    let script = mix.script(ROUNDS);
    // Built once, outside the measured loop (building allocates; a run
    // leaves it ready for the next).
    let mut modem = mix.modem().scripted();

    // One checked run first: the benchmark must measure a session that
    // works, and its traffic is the throughput.
    let mut totals = Totals::default();
    let mut s = Box::new(Session::default());
    let traffic = sim::run(&mut s, &script, &mut modem, 4096, &mut totals).expect("the mix runs");
    assert_eq!(totals.failed, 0, "{totals:?}");
    assert_eq!(totals.succeeded, script.len() as u64, "{totals:?}");
    assert_eq!(totals.data, (ROUNDS * Mix::DOWNLOAD) as u64);
    assert_eq!(totals.list_lines, (ROUNDS * Mix::LIST_LINES) as u64);

    let mut group = c.benchmark_group("session");
    group.throughput(Throughput::Bytes(traffic.total()));
    for read in [64, 4096] {
        group.bench_with_input(BenchmarkId::new("mix", read), &read, |b, &read| {
            b.iter(|| {
                let mut s = Box::new(Session::default());
                sim::run(&mut s, black_box(&script), &mut modem, read, &mut ())
                    .expect("the mix runs")
            })
        });
    }
    group.finish();
}

// ------------------------------------------------------------------ replay

/// How many generated transcripts one iteration replays.
const GENERATED: u32 = 10_000;

/// `cargo xtask replay`'s work: parsing transcripts and replaying them
/// through both decoders and a session each. Throughput is bytes of
/// transcript text.
fn replay(c: &mut Criterion) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../transcripts");
    // The files `cargo xtask replay` replays by default.
    let corpus: Vec<(String, Vec<u8>)> = cellftp_replay::files::collect(&root)
        .unwrap()
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    let generated: Vec<(String, Vec<u8>)> = (0..GENERATED)
        .map(|i| {
            (
                format!("generated-{i}.cftx"),
                cellftp_benches::transcripts::generated(i).into_bytes(),
            )
        })
        .collect();
    let mut group = c.benchmark_group("replay");
    group.sample_size(10);
    for (id, files) in [("corpus", &corpus), ("generated_10000", &generated)] {
        // Checked once: every transcript must pass as `cargo xtask replay`
        // checks it (import, replay, job reconstruction, conformance).
        let options = cellftp_replay::Options::default();
        for (name, text) in files.iter() {
            let report = cellftp_replay::check(name, text, &options);
            assert!(
                report.passed,
                "{name}: {}",
                cellftp_replay::check::render(&report)
            );
        }
        let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(id, |b| {
            b.iter(|| {
                let mut passed = 0usize;
                for (name, text) in files.iter() {
                    let report = cellftp_replay::check(name, black_box(text), &options);
                    passed += usize::from(report.passed);
                }
                passed
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    targets = session, replay
}
criterion_main!(benches);
