//! The session end to end: a long mix of put, get and list jobs run by
//! [`Session`] against a scripted modem that answers in lock-step (see
//! `cellftp_benches::sim`). Throughput counts the bytes that cross the
//! serial line in both directions: commands and upload data out, answers
//! and download data in.
//!
//! Benchmark ids are `session/mix/<read size>`: the modem's answers reach
//! the session in reads of that many bytes.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::Duration;

use cellftp_benches::sim::{self, Mix, Totals};
use cellftp_session::{Config, Session};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// Put + get + list rounds per iteration.
const ROUNDS: usize = 32;

fn session(c: &mut Criterion) {
    let mix = Mix::new();
    let script = mix.script(ROUNDS);
    let modem = mix.modem();

    // One checked run first: the benchmark must measure a session that
    // works, and its traffic is the throughput.
    let mut totals = Totals::default();
    let mut s = Box::new(Session::new(Config::default()));
    let traffic = sim::run(&mut s, &script, &modem, 4096, &mut totals).expect("the mix runs");
    assert_eq!(totals.failed, 0, "{totals:?}");
    assert_eq!(totals.succeeded, script.len() as u64, "{totals:?}");
    assert_eq!(totals.data, (ROUNDS * Mix::DOWNLOAD) as u64);
    assert_eq!(totals.list_lines, (ROUNDS * Mix::LIST_LINES) as u64);

    let mut group = c.benchmark_group("session");
    group.throughput(Throughput::Bytes(traffic.total()));
    for read in [64, 4096] {
        group.bench_with_input(BenchmarkId::new("mix", read), &read, |b, &read| {
            b.iter(|| {
                let mut s = Box::new(Session::new(Config::default()));
                sim::run(&mut s, black_box(&script), &modem, read, &mut ()).expect("the mix runs")
            })
        });
    }
    group.finish();
}

// ------------------------------------------------------------------ replay
//
// REPLAY BENCHES GO HERE.
//
// `cellftp-replay` (crates/replay) is being written; this package must not
// depend on it until its API settles. Then: add it as a dev-dependency,
// load the shipped `transcripts/` once outside the timed loop, and add a
// `replay` group with `Throughput::Bytes` of the replayed modem traffic and
// one `BenchmarkId` per transcript (and per read size if the replayer takes
// one). Register the function in `criterion_group!` below.
fn replay(_c: &mut Criterion) {}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    targets = session, replay
}
criterion_main!(benches);
