//! Project automation in plain Rust: `cargo xtask <job>`.
//!
//! - `cargo xtask replay [PATH…]` replays transcripts and captured logs
//!   (default: the shipped `transcripts/` corpus);
//! - `cargo xtask import LOG [-o FILE]` turns a captured log into a
//!   transcript with its jobs and their outcomes as expectations;
//! - `cargo xtask fuzz [--time SECS] [--jobs N] [TARGET…]` runs the cargo-fuzz
//!   targets;
//! - `cargo xtask record [DIR]` records scripted scenarios against the modem
//!   simulator as transcripts (default: into `transcripts/`);
//! - `cargo xtask bench [--rounds N]` runs the criterion benchmarks and
//!   prints the ratios and the performance targets, met or not;
//!   `cargo xtask bench --against REV` times the working tree's response
//!   decoder against commit `REV`'s in one program, and `cargo xtask bench
//!   --paired` the targets, each pair of contenders one right after the
//!   other; each names the processor it measured on;
//! - `cargo xtask firmware` builds `examples/firmware` for a Cortex-M4, runs
//!   it under QEMU and reports its flash, RAM and stack.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;
mod firmware;
mod fuzz;
mod record;
mod replay;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(job) = args.next() else {
        eprintln!("usage: cargo xtask <replay|import|record|fuzz|bench|firmware> [ARGS…]");
        return ExitCode::FAILURE;
    };
    let rest: Vec<String> = args.collect();
    let result = match job.as_str() {
        "replay" => replay::run(&rest),
        "import" => replay::import(&rest),
        "record" => record::run(&rest),
        "fuzz" => fuzz::run(&rest),
        "bench" => bench::run(&rest),
        "firmware" => firmware::run(&rest),
        other => Err(format!(
            "unknown job `{other}`; expected replay, import, record, fuzz, bench or firmware"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {job}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}
