//! Decoding throughput: our `ResponseDecoder` against atat's `AtDigester`,
//! against the floor for a line parser (`memchr` handing back every `\n`
//! position, which the loop uses), with `memchr`'s vectorised count of `\n`
//! and a naive `split` for reference.
//!
//! Streams A (text) and B (text and `+FTPGET` payloads), fed whole, in
//! 4 KiB reads, in 64-byte reads and one byte at a time (on a 256 KiB
//! prefix); stream S (the SIMCom dialect's `+FTPGET: 2,<n>` reads, by
//! `simcom::ResponseDecoder`, against the same floor and count). Benchmark ids are `parse_<stream>/<contender>/<read size>`;
//! `cargo xtask bench` reads them back into a table.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::Duration;

use cellftp_benches::{stream_a, stream_b, stream_s, STREAM_LEN, WHOLE};
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};

#[path = "common/contenders.rs"]
mod contenders;

use contenders::{atat, memchr_count, memchr_visit, ours, ours_simcom, split_lines};

/// The prefix fed one byte at a time.
const BYTEWISE_LEN: usize = 256 << 10;

fn label(read: usize) -> String {
    if read == WHOLE {
        "whole".into()
    } else {
        read.to_string()
    }
}

/// One read size and how much of the stream each contender gets: atat's
/// cost per byte grows with the bytes it holds, not with the stream, so a
/// prefix measures it as well and keeps the run short.
struct Case {
    read: usize,
    /// Bytes for ours, the floor and the count.
    ours: usize,
    /// Bytes for atat.
    atat: usize,
}

const CASES: [Case; 4] = [
    Case {
        read: WHOLE,
        ours: STREAM_LEN,
        atat: STREAM_LEN,
    },
    Case {
        read: 4096,
        ours: STREAM_LEN,
        atat: STREAM_LEN,
    },
    Case {
        read: 64,
        ours: STREAM_LEN,
        atat: 256 << 10,
    },
    Case {
        read: 1,
        ours: BYTEWISE_LEN,
        atat: 32 << 10,
    },
];

fn parse(c: &mut Criterion) {
    for (name, stream) in [("A", stream_a(STREAM_LEN)), ("B", stream_b(STREAM_LEN))] {
        let bytes = stream.bytes;
        let mut group = c.benchmark_group(format!("parse_{name}"));
        for case in CASES {
            let read = case.read;
            let id = label(read);
            let data = &bytes[..case.ours.min(bytes.len())];
            group.throughput(Throughput::Bytes(data.len() as u64));
            group.bench_with_input(BenchmarkId::new("ours", &id), data, |b, d| {
                b.iter(|| ours(black_box(d), read))
            });
            group.bench_with_input(BenchmarkId::new("floor", &id), data, |b, d| {
                b.iter(|| memchr_visit(black_box(d), read))
            });
            group.bench_with_input(BenchmarkId::new("memchr_count", &id), data, |b, d| {
                b.iter(|| memchr_count(black_box(d), read))
            });
            let data = &bytes[..case.atat.min(bytes.len())];
            group.throughput(Throughput::Bytes(data.len() as u64));
            // Tens of milliseconds an iteration: as many iterations in every
            // sample keeps 20 samples within the measurement time.
            group.sampling_mode(SamplingMode::Flat);
            group.bench_with_input(BenchmarkId::new("atat", &id), data, |b, d| {
                b.iter(|| {
                    let n = atat(black_box(d), read);
                    (n.responses, n.urcs, n.prompts, n.bytes)
                })
            });
            group.sampling_mode(SamplingMode::Auto);
        }
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::new("split", "whole"), &bytes[..], |b, d| {
            b.iter(|| split_lines(black_box(d)))
        });
        group.finish();
    }
}

/// Stream S: the SIMCom dialect's `+FTPGET: 2,<n>` reads, against the same
/// floor and count as A and B.
fn parse_simcom(c: &mut Criterion) {
    let bytes = stream_s(STREAM_LEN).bytes;
    let mut group = c.benchmark_group("parse_S");
    for case in CASES {
        let read = case.read;
        let id = label(read);
        let data = &bytes[..case.ours.min(bytes.len())];
        group.throughput(Throughput::Bytes(data.len() as u64));
        group.bench_with_input(BenchmarkId::new("ours", &id), data, |b, d| {
            b.iter(|| ours_simcom(black_box(d), read))
        });
        group.bench_with_input(BenchmarkId::new("floor", &id), data, |b, d| {
            b.iter(|| memchr_visit(black_box(d), read))
        });
        group.bench_with_input(BenchmarkId::new("memchr_count", &id), data, |b, d| {
            b.iter(|| memchr_count(black_box(d), read))
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
    targets = parse, parse_simcom
}
criterion_main!(benches);
