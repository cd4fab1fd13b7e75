//! Decodes one generated stream once: a fixed workload for instruction
//! counting (`valgrind --tool=callgrind`), which is repeatable where wall
//! time on a shared machine is not.
//!
//! `cargo run --release -p cellftp-benches --example decode -- A 64`
//! (streams A, B and the SIMCom stream S; reads of `whole` or a size).

use cellftp_benches::{decode_simcom_with, decode_with, stream_a, stream_b, stream_s};
use cellftp_benches::{STREAM_LEN, WHOLE};

fn main() {
    let mut args = std::env::args().skip(1);
    let stream = args.next().unwrap_or_else(|| "A".into());
    let read = match args.next().as_deref() {
        None | Some("whole") => WHOLE,
        Some(n) => n.parse().unwrap_or(64),
    };
    let bytes = match stream.as_str() {
        "B" => stream_b(STREAM_LEN).bytes,
        "S" => stream_s(STREAM_LEN).bytes,
        _ => stream_a(STREAM_LEN).bytes,
    };
    if std::env::var_os("GENERATE_ONLY").is_some() {
        println!("{} bytes", bytes.len());
        return;
    }
    let mut items = 0u64;
    let left = if stream == "S" {
        decode_simcom_with(&bytes, read, |item| {
            items += 1;
            std::hint::black_box(&item);
        })
    } else {
        decode_with(&bytes, read, |item| {
            items += 1;
            std::hint::black_box(&item);
        })
    };
    println!("{items} items, {left:?} bytes left, {} bytes", bytes.len());
}
