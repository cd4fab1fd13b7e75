//! Writes the benchmark's generated transcripts to a folder, to time
//! `cargo xtask replay` itself on them:
//!
//! ```text
//! cargo run --release -p cellftp-benches --example transcripts -- /tmp/gen 10000
//! time cargo xtask replay /tmp/gen
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), count) = (args.next(), args.next()) else {
        eprintln!("usage: transcripts DIR [COUNT]");
        std::process::exit(2);
    };
    let count: u32 = count.map_or(10_000, |c| c.parse().expect("COUNT is a number"));
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("the folder can be created");
    for i in 0..count {
        let path = dir.join(format!("generated-{i:05}.cftx"));
        std::fs::write(&path, cellftp_benches::transcripts::generated(i))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    println!("wrote {count} transcripts to {}", dir.display());
}
