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

use atat::digest::parser::urc_helper;
use atat::digest::{DigestResult, Digester, ParseError, Parser};
use atat::AtDigester;
use cellftp_benches::{
    decode_simcom_with, decode_with, stream_a, stream_b, stream_s, BUF_LEN, STREAM_LEN, WHOLE,
};
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};

/// The prefix fed one byte at a time.
const BYTEWISE_LEN: usize = 256 << 10;

/// The URCs the streams carry, recognised the way an `#[derive(AtatUrc)]`
/// enum recognises them: one `urc_helper` per code.
enum Urcs {}

impl Parser for Urcs {
    fn parse(buf: &[u8]) -> Result<(&[u8], usize), ParseError> {
        let (_, r) = nom::branch::alt((
            urc_helper("RDY"),
            urc_helper("+CPIN"),
            urc_helper("+CFUN"),
            urc_helper("+CGEV"),
            urc_helper("+PDP"),
            urc_helper("NORMAL POWER DOWN"),
        ))(buf)?;
        Ok(r)
    }
}

/// What atat found; returned so that the work cannot be optimised away.
#[derive(Default)]
struct AtatCount {
    responses: u64,
    urcs: u64,
    prompts: u64,
    bytes: u64,
}

impl AtatCount {
    fn note(&mut self, r: &DigestResult<'_>) {
        match r {
            DigestResult::Response(Ok(b)) => {
                self.responses += 1;
                self.bytes += b.len() as u64;
            }
            DigestResult::Response(Err(_)) => self.responses += 1,
            DigestResult::Urc(u) => {
                self.urcs += 1;
                self.bytes += u.len() as u64;
            }
            DigestResult::Prompt(_) => self.prompts += 1,
            DigestResult::None => {}
        }
    }
}

/// Drives `AtDigester` as atat's `Ingress::try_advance` does: append the
/// read to the buffer, then digest the whole buffer and shift the swallowed
/// bytes out until nothing is swallowed. A full buffer is cleared, as
/// `Ingress::read_from` does. The buffer is as large as ours.
///
/// Whole: the digester reads straight from the stream and the swallowed
/// bytes are skipped, not shifted (an ingress buffer holding the stream
/// would memmove it after every item).
fn atat(bytes: &[u8], read: usize) -> AtatCount {
    let mut digester = AtDigester::<Urcs>::new();
    let mut count = AtatCount::default();
    if read >= bytes.len() {
        let mut at = 0;
        while at < bytes.len() {
            let (result, swallowed) = digester.digest(&bytes[at..]);
            count.note(&result);
            if swallowed == 0 {
                break;
            }
            at += swallowed;
        }
        return count;
    }
    let mut buf = [0u8; BUF_LEN];
    let mut pos = 0;
    for mut chunk in bytes.chunks(read) {
        while !chunk.is_empty() {
            if pos == buf.len() {
                pos = 0;
            }
            let n = chunk.len().min(buf.len() - pos);
            buf[pos..pos + n].copy_from_slice(&chunk[..n]);
            chunk = &chunk[n..];
            pos += n;
            while pos > 0 {
                let (result, swallowed) = digester.digest(&buf[..pos]);
                count.note(&result);
                if swallowed == 0 {
                    break;
                }
                buf.copy_within(swallowed..pos, 0);
                pos -= swallowed;
            }
        }
    }
    count
}

/// Counts every `\n` with `memchr`, read by read. memchr counts with a
/// vectorised routine that never hands a position back, so no line parser
/// can come near this: it is a count, not a floor.
fn memchr_count(bytes: &[u8], read: usize) -> usize {
    bytes
        .chunks(read.min(bytes.len()).max(1))
        .map(|c| memchr::memchr_iter(b'\n', c).count())
        .sum()
}

/// The floor for a line parser: every `\n` position is handed back and
/// used, read by read, which is the least a parser that frames lines must
/// do.
fn memchr_visit(bytes: &[u8], read: usize) -> usize {
    let mut acc = 0usize;
    for chunk in bytes.chunks(read.min(bytes.len()).max(1)) {
        for i in memchr::memchr_iter(b'\n', chunk) {
            acc ^= i;
        }
    }
    acc
}

/// The std way: split on `\n`.
fn split_lines(bytes: &[u8]) -> usize {
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count()
}

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

/// Our decoder, the caller doing the least it can with each item.
fn ours(bytes: &[u8], read: usize) -> u64 {
    let mut items = 0u64;
    let left = decode_with(bytes, read, |item| {
        items += 1;
        black_box(&item);
    });
    black_box(left.expect("the buffer never jams"));
    items
}

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

/// The SIMCom decoder, the caller doing the least it can with each item.
fn ours_simcom(bytes: &[u8], read: usize) -> u64 {
    let mut items = 0u64;
    let left = decode_simcom_with(bytes, read, |item| {
        items += 1;
        black_box(&item);
    });
    black_box(left.expect("the buffer never jams"));
    items
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
