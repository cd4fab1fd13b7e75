//! Every item of streams A, B, C and S (the SIMCom dialect), decoded at every
//! read size, equals the
//! ground truth, and the allocation-free tally agrees with it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fmt::Write as _;
use std::sync::OnceLock;

use cellftp_benches::{
    decode_items, decode_simcom, stream_a, stream_b, stream_c, stream_s, tally, Item, SimcomItem,
    Stream, Tally, READ_SIZES, STREAM_LEN, WHOLE,
};

/// Reads of at most this many bytes get the streams' first [`SHORT_LEN`]
/// bytes (the same exchanges, generated with the same seed), so that an
/// unoptimised test build stays quick; larger reads get whole streams.
const SMALL_READ: usize = 7;

/// Big enough for every kind of exchange thousands of times.
const SHORT_LEN: usize = 1 << 20;

fn a() -> &'static Stream {
    static S: OnceLock<Stream> = OnceLock::new();
    S.get_or_init(|| stream_a(STREAM_LEN))
}

fn b() -> &'static Stream {
    static S: OnceLock<Stream> = OnceLock::new();
    S.get_or_init(|| stream_b(STREAM_LEN))
}

fn c() -> &'static Stream {
    static S: OnceLock<Stream> = OnceLock::new();
    S.get_or_init(|| stream_c(STREAM_LEN))
}

fn short(generate: fn(usize) -> Stream) -> Stream {
    generate(SHORT_LEN)
}

fn show_read(read: usize) -> String {
    if read == WHOLE {
        "whole".into()
    } else {
        read.to_string()
    }
}

/// Describes the first difference between `got` and the ground truth, with
/// the bytes around it.
fn first_difference(stream: &Stream, got: &[Item]) -> Option<String> {
    let want = &stream.items;
    let at = want
        .iter()
        .zip(got)
        .position(|(w, g)| w != g)
        .or_else(|| (want.len() != got.len()).then(|| want.len().min(got.len())))?;
    let mut report = String::new();
    let _ = writeln!(
        report,
        "item {at} of {} (decoder returned {} items)",
        want.len(),
        got.len()
    );
    for i in at.saturating_sub(2)..(at + 3).min(want.len().max(got.len())) {
        let _ = writeln!(
            report,
            "  [{i}] want {:?}\n       got  {:?}",
            want.get(i),
            got.get(i)
        );
    }
    let from = stream.offsets[at.saturating_sub(1).min(stream.offsets.len() - 1)];
    let to = stream
        .offsets
        .get(at + 2)
        .copied()
        .unwrap_or(stream.bytes.len())
        .min(from + 400);
    let _ = writeln!(
        report,
        "  bytes {from}..{to}: b\"{}\"",
        stream.bytes[from..to].escape_ascii()
    );
    Some(report)
}

/// Decodes `stream` in reads of `read` bytes and describes every way the
/// result differs from the ground truth.
fn failures(name: &str, stream: &Stream, read: usize) -> Vec<String> {
    let mut failures = Vec::new();
    let (items, left) = decode_items(&stream.bytes, read).expect("buffer never jams");
    if left != 0 {
        failures.push(format!(
            "stream {name}, reads of {}: {left} bytes left unconsumed",
            show_read(read)
        ));
    }
    if let Some(diff) = first_difference(stream, &items) {
        failures.push(format!(
            "stream {name}, reads of {}: {diff}",
            show_read(read)
        ));
    }
    let truth = Tally::of(&stream.items);
    let t = tally(&stream.bytes, read).expect("buffer never jams");
    if t != truth {
        failures.push(format!(
            "stream {name}, reads of {}: tally {t:?}, want {truth:?}",
            show_read(read)
        ));
    }
    failures
}

fn check(name: &str, full: &Stream, generate: fn(usize) -> Stream) {
    assert!(full.bytes.len() >= STREAM_LEN);
    assert_eq!(full.items.len(), full.offsets.len());
    let short = short(generate);
    assert!(full.bytes.starts_with(&short.bytes));
    assert!(full.items.starts_with(&short.items));
    let mut all = Vec::new();
    for read in READ_SIZES {
        let stream = if read <= SMALL_READ { &short } else { full };
        all.extend(failures(name, stream, read));
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

/// Stream S (the SIMCom dialect's reads): every read size gives its items,
/// each payload whole, nothing left over.
#[test]
fn stream_s_every_read_size() {
    let full = stream_s(STREAM_LEN);
    let short = stream_s(SHORT_LEN);
    assert!(full.bytes.starts_with(&short.bytes));
    assert!(full.items.starts_with(&short.items));
    assert!(full
        .items
        .iter()
        .any(|i| matches!(i, SimcomItem::Data(d) if d.windows(6).any(|w| w == b"\r\nOK\r\n"))));
    let mut all = Vec::new();
    for read in READ_SIZES {
        let stream = if read <= SMALL_READ { &short } else { &full };
        let (items, left) = decode_simcom(&stream.bytes, read).expect("buffer never jams");
        if left != 0 {
            all.push(format!(
                "stream S, reads of {}: {left} bytes left",
                show_read(read)
            ));
        }
        if let Some(i) =
            (0..items.len().max(stream.items.len())).find(|&i| items.get(i) != stream.items.get(i))
        {
            all.push(format!(
                "stream S, reads of {}: item {i} is {:?}, want {:?}",
                show_read(read),
                items.get(i),
                stream.items.get(i)
            ));
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

#[test]
fn stream_a_every_read_size() {
    check("A", a(), stream_a);
}

#[test]
fn stream_b_every_read_size() {
    check("B", b(), stream_b);
}

#[test]
fn stream_c_every_read_size() {
    check("C", c(), stream_c);
}

#[test]
fn streams_are_deterministic_and_distinct() {
    let again = stream_a(STREAM_LEN);
    assert_eq!(again.bytes, a().bytes);
    assert_eq!(again.items, a().items);
    assert_ne!(a().bytes, b().bytes);
    assert_ne!(b().bytes, c().bytes);
}

#[test]
fn streams_hold_what_they_promise() {
    use cellftp_proto::MAX_FRAGMENT;
    let payloads = |s: &Stream| -> Vec<usize> {
        s.items
            .iter()
            .filter_map(|i| match i {
                Item::FtpGet(d) => Some(d.len()),
                _ => None,
            })
            .collect()
    };
    assert!(payloads(a()).is_empty());
    let b_sizes = payloads(b());
    assert!(!b_sizes.is_empty());
    assert!(b_sizes.iter().all(|n| (64..=1460).contains(n)));
    let c_sizes = payloads(c());
    assert!(c_sizes.contains(&(3 * MAX_FRAGMENT)));
    assert!(c_sizes
        .iter()
        .any(|&n| n > MAX_FRAGMENT && n < 2 * MAX_FRAGMENT));
    assert!(c_sizes.contains(&0));
    let c_data: Vec<u8> = c()
        .items
        .iter()
        .filter_map(|i| match i {
            Item::FtpGet(d) => Some(d.as_slice()),
            _ => None,
        })
        .flatten()
        .copied()
        .collect();
    for trap in [
        &b"\r\nOK\r\n"[..],
        b"\r\nERROR\r\n",
        b">",
        b"@",
        b"\0",
        b"\x1a",
    ] {
        assert!(
            c_data.windows(trap.len()).any(|w| w == trap),
            "stream C lacks {:?}",
            trap.escape_ascii().to_string()
        );
    }
    let lines = |s: &Stream| {
        s.items
            .iter()
            .filter(|i| matches!(i, Item::ListLine(_)))
            .count()
    };
    assert!(lines(a()) > 1000);
}

/// The comparison itself must be able to fail: a stream whose ground truth
/// is off by one byte, one item or one line end is reported.
#[test]
fn a_wrong_ground_truth_is_caught() {
    let good = stream_b(64 << 10);
    assert!(failures("B", &good, 64).is_empty());

    let mut payload = good.clone();
    let Some(Item::FtpGet(d)) = payload
        .items
        .iter_mut()
        .find(|i| matches!(i, Item::FtpGet(d) if d.len() > 10))
    else {
        panic!("no payload in stream B");
    };
    d[5] ^= 1;
    assert!(!failures("B", &payload, 64).is_empty());

    let mut missing = good.clone();
    let at = missing.items.len() / 2;
    missing.items.remove(at);
    missing.offsets.remove(at);
    assert!(!failures("B", &missing, 64).is_empty());

    let mut cut = good;
    cut.bytes.truncate(cut.bytes.len() - 3);
    assert!(!failures("B", &cut, WHOLE).is_empty());
}
