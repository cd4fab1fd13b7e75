//! `cargo xtask bench [--quick] [--report] [-- CRITERION ARGS…]`.
//!
//! Runs the criterion benchmarks of `cellftp-benches`, then reads criterion's
//! results (`target/criterion/**/new/{benchmark,estimates}.json`) and prints
//! a Markdown table comparing our decoder with atat's digester, with the
//! floor for a line parser (`memchr` handing back every `\n` position) and
//! with `memchr`'s count of `\n`, per stream and read size, followed by the other
//! benchmarks and the performance targets (the README's), each met or not.
//!
//! - `--quick`: criterion's `--quick` mode, with at most 1 s per benchmark;
//! - `--report`: do not run anything, print the table from the last results;
//! - `--rounds N`: run the benchmarks N times in turn (only those the targets
//!   compare, unless criterion arguments are given after `--`) and judge each target by
//!   its median over the rounds: on a shared machine whose speed drifts,
//!   one burst of load then moves one round, not the verdict;
//! - `--against REV [--samples N]`: no criterion run, but the response
//!   decoder of the working tree and of commit `REV` decoding the same
//!   streams in turn in one program, N samples each (`against.rs`);
//! - `--paired [--samples N]`: no criterion run, but the targets timed in
//!   N pairs, our decoder and its contender one right after the other,
//!   each judged by the median of the pairs' ratios (`paired.rs`);
//! - after `--`: passed to criterion (a filter such as `parse_A`, or flags).
//!
//! Under its tables every run but `--report` names the processor it
//! measured on, the cores and the load average as it started
//! (`machine.rs`).
//!
//! The benchmarks are built with every loop aligned to 64 bytes
//! ([`ALIGN_LOOPS`]), in a target directory of their own
//! (`target/bench-aligned`, so that the other builds are not redone). The
//! naive splitter the targets compare with is a loop of five instructions
//! whose speed depends on where the linker happens to place it: in two
//! builds that differed only in our decoder, 1.8–1.9 GB/s where it sat
//! inside one 32-byte block and 1.1–1.2 GB/s where it crossed one; a
//! criterion run with it across put ours/split at 1.6× instead of 1.0×.
//! Aligned, every loop is measured at its best and a change elsewhere in
//! the binary cannot move the baseline.

use serde::Deserialize;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

const USAGE: &str = "usage: cargo xtask bench [--quick] [--report | --rounds N] [-- CRITERION ARGS…]\n       cargo xtask bench --against REV [--samples N]\n       cargo xtask bench --paired [--samples N]";

mod against;
mod machine;
mod paired;

/// The benchmarks the targets compare (a criterion filter), run by
/// `--rounds` when no filter is given.
const TARGET_FILTER: &str = "^parse_A/((ours|floor)/(whole|64)|(split|atat)/whole)$";

/// The code-generation flag every benchmark is built with: see the module
/// documentation.
const ALIGN_LOOPS: &str = "-Cllvm-args=-align-loops=64";

/// Runs the job.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut quick = false;
    let mut report_only = false;
    let mut rounds: Option<usize> = None;
    let mut against: Option<String> = None;
    let mut paired = false;
    let mut samples: Option<usize> = None;
    let mut passthrough: Vec<String> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--report" => report_only = true,
            "--rounds" => {
                let n = rest.next().and_then(|n| n.parse().ok()).filter(|&n| n > 0);
                let Some(n) = n else {
                    return Err(format!(
                        "--rounds needs a number of rounds, 1 or more\n{USAGE}"
                    ));
                };
                rounds = Some(n);
            }
            "--against" => match rest.next() {
                Some(rev) if !rev.starts_with('-') => against = Some(rev.clone()),
                _ => return Err(format!("--against needs a commit\n{USAGE}")),
            },
            "--paired" => paired = true,
            "--samples" => {
                let n = rest.next().and_then(|n| n.parse().ok()).filter(|&n| n > 0);
                let Some(n) = n else {
                    return Err(format!("--samples needs a number, 1 or more\n{USAGE}"));
                };
                samples = Some(n);
            }
            "--" => passthrough.extend(rest.by_ref().cloned()),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }

    let root = crate::root();
    let criterion_args = quick || report_only || rounds.is_some() || !passthrough.is_empty();
    match (against, paired, samples) {
        (Some(_), true, _) => return Err(format!("--against and --paired are two runs\n{USAGE}")),
        (Some(rev), false, samples) => {
            if criterion_args {
                return Err(format!("--against runs no criterion benchmark\n{USAGE}"));
            }
            return against::run(&root, &rev, samples.unwrap_or(100));
        }
        (None, true, samples) => {
            if criterion_args {
                return Err(format!("--paired runs no criterion benchmark\n{USAGE}"));
            }
            return paired::run(&root, samples.unwrap_or(200));
        }
        (None, false, Some(_)) => {
            return Err(format!(
                "--samples goes with --against or --paired\n{USAGE}"
            ))
        }
        (None, false, None) => {}
    }
    let criterion_dir = bench_dir(&root).join("criterion");
    if let Some(rounds) = rounds {
        if report_only {
            return Err(format!(
                "--rounds runs the benchmarks; --report runs none\n{USAGE}"
            ));
        }
        if passthrough.is_empty() {
            passthrough.push(TARGET_FILTER.into());
        }
        let machine = machine::describe();
        let mut all = Vec::new();
        for round in 1..=rounds {
            eprintln!("xtask bench: round {round} of {rounds}");
            let start = SystemTime::now();
            run_benches(&root, quick, &passthrough)?;
            let results = collect(&criterion_dir, Some(start))?;
            if results.is_empty() {
                return Err(format!(
                    "round {round}: no results under {}",
                    criterion_dir.display()
                ));
            }
            all.push(results);
        }
        // The last round's table, then every round's targets.
        if let Some(last) = all.last() {
            print!("{}", render(last));
        }
        print!("{}", render_rounds(&all));
        println!("\n{machine}");
        return Ok(());
    }
    let (since, machine) = if report_only {
        (None, None)
    } else {
        let start = SystemTime::now();
        let machine = machine::describe();
        run_benches(&root, quick, &passthrough)?;
        (Some(start), Some(machine))
    };

    let results = collect(&criterion_dir, since)?;
    if results.is_empty() {
        return Err(format!("no results under {}", criterion_dir.display()));
    }
    print!("{}", render(&results));
    if let Some(machine) = machine {
        println!("\n{machine}");
    }
    Ok(())
}

/// Where the benchmarks are built and criterion keeps its results.
fn bench_dir(root: &Path) -> PathBuf {
    target_dir(root).join("bench-aligned")
}

/// The flags the benchmarks are built with, as cargo reads them from
/// `CARGO_ENCODED_RUSTFLAGS` (separated by 0x1f): the caller's own
/// (`CARGO_ENCODED_RUSTFLAGS`, else `RUSTFLAGS`), then [`ALIGN_LOOPS`].
fn encoded_rustflags(encoded: Option<String>, plain: Option<String>) -> String {
    let mut flags: Vec<String> = match (encoded, plain) {
        (Some(e), _) if !e.is_empty() => e.split('\x1f').map(String::from).collect(),
        (_, Some(p)) => p.split_whitespace().map(String::from).collect(),
        _ => Vec::new(),
    };
    flags.push(ALIGN_LOOPS.into());
    flags.join("\x1f")
}

/// Where cargo builds: `CARGO_TARGET_DIR` if set, else `<root>/target`.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        }
        None => root.join("target"),
    }
}

fn run_benches(root: &Path, quick: bool, passthrough: &[String]) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    let flags = encoded_rustflags(
        std::env::var("CARGO_ENCODED_RUSTFLAGS").ok(),
        std::env::var("RUSTFLAGS").ok(),
    );
    cmd.current_dir(root)
        .env("CARGO_TARGET_DIR", bench_dir(root))
        .env("CARGO_ENCODED_RUSTFLAGS", flags)
        .env_remove("RUSTFLAGS")
        .args(["bench", "--package", "cellftp-benches", "--"]);
    if quick {
        cmd.args([
            "--quick",
            "--warm-up-time",
            "0.5",
            "--measurement-time",
            "1",
        ]);
    }
    cmd.args(passthrough);
    // Criterion's progress goes to stderr, so that stdout is the table alone.
    cmd.stdout(std::io::stderr());
    eprintln!("xtask bench: running {cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo bench failed: {status}"))
    }
}

/// One benchmark's result.
#[derive(Debug, Clone, PartialEq)]
struct BenchResult {
    group: String,
    function: String,
    value: String,
    /// Bytes per iteration, if the benchmark declared them.
    bytes: Option<u64>,
    /// Mean time per iteration, in nanoseconds.
    mean_ns: f64,
}

impl BenchResult {
    /// Decimal megabytes per second.
    fn mb_per_s(&self) -> Option<f64> {
        let bytes = self.bytes? as f64;
        (self.mean_ns > 0.0).then(|| bytes * 1e3 / self.mean_ns)
    }

    fn id(&self) -> String {
        [self.group.as_str(), &self.function, &self.value]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// Every `new/benchmark.json` with its `new/estimates.json` under `dir`,
/// written after `since` if given.
fn collect(dir: &Path, since: Option<SystemTime>) -> Result<Vec<BenchResult>, String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            if path.file_name().is_some_and(|n| n == "new") {
                if let Some(r) = read_result(&path, since)? {
                    found.push(r);
                }
            } else {
                stack.push(path);
            }
        }
    }
    found.sort_by_key(BenchResult::id);
    Ok(found)
}

fn read_result(new_dir: &Path, since: Option<SystemTime>) -> Result<Option<BenchResult>, String> {
    let bench_path = new_dir.join("benchmark.json");
    let est_path = new_dir.join("estimates.json");
    let (Ok(bench), Ok(est)) = (
        fs::read_to_string(&bench_path),
        fs::read_to_string(&est_path),
    ) else {
        return Ok(None);
    };
    if let Some(since) = since {
        let written = fs::metadata(&est_path)
            .and_then(|m| m.modified())
            .map_err(|e| format!("{}: {e}", est_path.display()))?;
        if written < since {
            return Ok(None);
        }
    }
    let bench: Benchmark = serde_json::from_str(&bench).map_err(|e| {
        format!(
            "{}: not a criterion benchmark.json: {e}",
            bench_path.display()
        )
    })?;
    let est: Estimates = serde_json::from_str(&est).map_err(|e| {
        format!(
            "{}: not a criterion estimates.json: {e}",
            est_path.display()
        )
    })?;
    let bytes = bench.throughput.and_then(|t| t.bytes.or(t.bytes_decimal));
    Ok(Some(BenchResult {
        group: bench.group_id,
        function: bench.function_id.unwrap_or_default(),
        value: bench.value_str.unwrap_or_default(),
        bytes,
        mean_ns: est.mean.point_estimate,
    }))
}

// ------------------------------------------------------ criterion's JSON

/// The fields of criterion's `new/benchmark.json` that the table uses.
#[derive(Debug, Deserialize)]
struct Benchmark {
    group_id: String,
    function_id: Option<String>,
    value_str: Option<String>,
    throughput: Option<Throughput>,
}

/// `"throughput": {"Bytes": n}` (or `BytesDecimal`, or `Elements`, ignored).
#[derive(Debug, Deserialize)]
struct Throughput {
    #[serde(rename = "Bytes")]
    bytes: Option<u64>,
    #[serde(rename = "BytesDecimal")]
    bytes_decimal: Option<u64>,
}

/// The fields of criterion's `new/estimates.json` that the table uses.
#[derive(Debug, Deserialize)]
struct Estimates {
    mean: Estimate,
}

#[derive(Debug, Deserialize)]
struct Estimate {
    point_estimate: f64,
}

// ------------------------------------------------------------ the table

const STREAMS: [&str; 3] = ["A", "B", "S"];
const READS: [&str; 4] = ["whole", "4096", "64", "1"];

/// What a target compares, for one stream.
#[derive(Clone, Copy)]
enum Measure {
    /// Our speed in MB/s at a read size.
    Speed(&'static str),
    /// Our speed over another function's in the same group and run, at a
    /// read size.
    Ratio {
        read: &'static str,
        over: &'static str,
    },
}

/// The performance targets the README's Performance section states met or
/// not: stream, what is compared, and the least that meets it. Each is
/// judged within one run (ratios) or against a fixed speed.
const TARGETS: [(&str, Measure, f64); 4] = [
    (
        "A",
        Measure::Ratio {
            read: "whole",
            over: "split",
        },
        1.0,
    ),
    (
        "A",
        Measure::Ratio {
            read: "whole",
            over: "atat",
        },
        1.6,
    ),
    ("A", Measure::Speed("64"), 1500.0),
    (
        "A",
        Measure::Ratio {
            read: "64",
            over: "floor",
        },
        0.5,
    ),
];

fn find<'r>(
    results: &'r [BenchResult],
    group: &str,
    function: &str,
    value: &str,
) -> Option<&'r BenchResult> {
    results
        .iter()
        .find(|r| r.group == group && r.function == function && r.value == value)
}

fn speed(results: &[BenchResult], group: &str, function: &str, value: &str) -> Option<f64> {
    find(results, group, function, value)?.mb_per_s()
}

fn fmt_speed(v: Option<f64>) -> String {
    match v {
        Some(v) if v >= 100.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.2}"),
        None => "–".into(),
    }
}

fn fmt_ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => fmt_times(a / b),
        _ => "–".into(),
    }
}

fn fmt_times(r: f64) -> String {
    if r >= 10.0 {
        format!("{r:.0}×")
    } else {
        format!("{r:.2}×")
    }
}

fn render(results: &[BenchResult]) -> String {
    let mut out = String::new();
    out.push_str(
        "\n| stream | read size | ours MB/s | atat MB/s | floor MB/s | memchr count MB/s | ours/atat | ours/floor |\n",
    );
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    let mut any = false;
    for stream in STREAMS {
        let group = format!("parse_{stream}");
        for read in READS {
            let ours = speed(results, &group, "ours", read);
            let atat = speed(results, &group, "atat", read);
            let floor = speed(results, &group, "floor", read);
            let count = speed(results, &group, "memchr_count", read);
            if [ours, atat, floor, count].iter().all(Option::is_none) {
                continue;
            }
            any = true;
            out.push_str(&format!(
                "| {stream} | {read} | {} | {} | {} | {} | {} | {} |\n",
                fmt_speed(ours),
                fmt_speed(atat),
                fmt_speed(floor),
                fmt_speed(count),
                fmt_ratio(ours, atat),
                fmt_ratio(ours, floor),
            ));
        }
    }
    if !any {
        out.push_str("| – | – | – | – | – | – | – | – |\n");
    }

    let others: Vec<&BenchResult> = results
        .iter()
        .filter(|r| {
            !(r.group.starts_with("parse_")
                && matches!(
                    r.function.as_str(),
                    "ours" | "atat" | "floor" | "memchr_count"
                ))
        })
        .collect();
    if !others.is_empty() {
        out.push_str("\n| benchmark | MB/s | mean time |\n|---|---:|---:|\n");
        for r in others {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                r.id(),
                fmt_speed(r.mb_per_s()),
                fmt_time(r.mean_ns)
            ));
        }
    }

    out.push_str("\n| target | this run | goal | met |\n|---|---:|---:|:---:|\n");
    for target in judge(results) {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            target.what,
            target.shown,
            target.goal_shown,
            met(target.value, target.goal)
        ));
    }
    out.push_str(
        "\nEach ratio above divides two benchmarks run seconds apart, and moves with the \
         machine's load; `cargo xtask bench --paired` times each pair one right after \
         the other.\n",
    );
    out
}

/// One target as measured in one run.
struct Judged {
    /// What is compared: "A, reads of whole: ours/split".
    what: String,
    /// The measured value, if the run measured both sides.
    value: Option<f64>,
    /// The value as the table shows it.
    shown: String,
    /// The least that meets the target.
    goal: f64,
    /// The goal as the table shows it.
    goal_shown: String,
    /// True for a ratio (shown with ×), false for a speed in MB/s.
    ratio: bool,
}

/// Every target of [`TARGETS`], measured in `results` (one run).
fn judge(results: &[BenchResult]) -> Vec<Judged> {
    TARGETS
        .iter()
        .map(|&(stream, measure, goal)| {
            let group = format!("parse_{stream}");
            match measure {
                Measure::Speed(read) => {
                    let v = speed(results, &group, "ours", read);
                    Judged {
                        what: format!("{stream}, reads of {read}: ours MB/s"),
                        value: v,
                        shown: fmt_speed(v),
                        goal,
                        goal_shown: format!("{goal:.0}"),
                        ratio: false,
                    }
                }
                Measure::Ratio { read, over } => {
                    let ours = speed(results, &group, "ours", read);
                    let other = speed(results, &group, over, read);
                    let v = match (ours, other) {
                        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
                        _ => None,
                    };
                    Judged {
                        what: format!("{stream}, reads of {read}: ours/{over}"),
                        value: v,
                        shown: fmt_ratio(ours, other),
                        goal,
                        goal_shown: format!("{goal:.2}×"),
                        ratio: true,
                    }
                }
            }
        })
        .collect()
}

fn met(value: Option<f64>, goal: f64) -> &'static str {
    match value {
        Some(v) if v >= goal => "yes",
        Some(_) => "no",
        None => "–",
    }
}

/// The median of `values`, none if any round lacks the value.
fn median(values: &[Option<f64>]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().collect::<Option<_>>()?;
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    let upper = *v.get(mid)?;
    Some(if v.len() % 2 == 1 {
        upper
    } else {
        (*v.get(mid - 1)? + upper) / 2.0
    })
}

/// Every target in every round, and its median over the rounds, which
/// decides whether it is met.
fn render_rounds(rounds: &[Vec<BenchResult>]) -> String {
    let judged: Vec<Vec<Judged>> = rounds.iter().map(|r| judge(r)).collect();
    let mut out = format!(
        "\n| target | {} | median | goal | met (median) |\n|---|{}---:|---:|:---:|\n",
        (1..=rounds.len())
            .map(|n| format!("round {n}"))
            .collect::<Vec<_>>()
            .join(" | "),
        "---:|".repeat(rounds.len()),
    );
    let Some(first_round) = judged.first() else {
        return out;
    };
    // Every round judges the same targets, in the order of `TARGETS`.
    for (i, first) in first_round.iter().enumerate() {
        let per_round: Vec<Option<&Judged>> = judged.iter().map(|round| round.get(i)).collect();
        let values: Vec<Option<f64>> = per_round.iter().map(|j| j.and_then(|j| j.value)).collect();
        let mid = median(&values);
        let shown = match (mid, first.ratio) {
            (Some(v), true) => fmt_times(v),
            (Some(v), false) => fmt_speed(Some(v)),
            (None, _) => "–".into(),
        };
        out.push_str(&format!(
            "| {} | {} | {shown} | {} | {} |\n",
            first.what,
            per_round
                .iter()
                .map(|j| j.map_or("–", |j| j.shown.as_str()))
                .collect::<Vec<_>>()
                .join(" | "),
            first.goal_shown,
            met(mid, first.goal),
        ));
    }
    out
}

fn fmt_time(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BENCHMARK: &str = r#"{"group_id":"parse_A","function_id":"ours","value_str":"64","throughput":{"Bytes":4194304},"full_id":"parse_A/ours/64","directory_name":"parse_A/ours/64","title":"parse_A/ours/64"}"#;
    const ESTIMATES: &str = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":4.1e6,"upper_bound":4.3e6},"point_estimate":4194304.0,"standard_error":1.5},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":7.0,"standard_error":0.5},"std_dev":null}"#;

    #[test]
    fn benchmarks_are_built_with_aligned_loops_after_the_callers_flags() {
        let enc = |e: Option<&str>, p: Option<&str>| {
            encoded_rustflags(e.map(String::from), p.map(String::from))
        };
        assert_eq!(enc(None, None), ALIGN_LOOPS);
        assert_eq!(enc(Some(""), None), ALIGN_LOOPS);
        assert_eq!(
            enc(None, Some(" -C  target-cpu=native ")),
            format!("-C\x1ftarget-cpu=native\x1f{ALIGN_LOOPS}")
        );
        // The encoded form wins, as it does for cargo, and keeps its spaces.
        assert_eq!(
            enc(Some("--cfg\x1ffoo=\"a b\""), Some("-Dwarnings")),
            format!("--cfg\x1ffoo=\"a b\"\x1f{ALIGN_LOOPS}")
        );
    }

    #[test]
    fn reads_criterion_json() {
        let dir = std::env::temp_dir().join(format!("cellftp-bench-json-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("benchmark.json"), BENCHMARK).unwrap();
        fs::write(dir.join("estimates.json"), ESTIMATES).unwrap();
        let r = read_result(&dir, None).unwrap().unwrap();
        assert_eq!(
            r,
            BenchResult {
                group: "parse_A".into(),
                function: "ours".into(),
                value: "64".into(),
                bytes: Some(4194304),
                mean_ns: 4194304.0,
            }
        );
        fs::write(dir.join("estimates.json"), "{\"median\":{}}").unwrap();
        let err = read_result(&dir, None).unwrap_err();
        assert!(err.contains("estimates.json"), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[Some(3.0), Some(1.0), Some(2.0)]), Some(2.0));
        assert_eq!(
            median(&[Some(4.0), Some(1.0), Some(2.0), Some(3.0)]),
            Some(2.5)
        );
        // A round that could not measure the target leaves no median.
        assert_eq!(median(&[Some(1.0), None, Some(2.0)]), None);
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn judges_targets_by_their_median_over_rounds() {
        let r = |function: &str, value: &str, ns: f64| BenchResult {
            group: "parse_A".into(),
            function: function.into(),
            value: value.into(),
            bytes: Some(1_000_000),
            mean_ns: ns,
        };
        // ours/split: 1.25, 0.80 (a round slowed by load), 1.10: median 1.10.
        let round = |split_ns: f64| {
            vec![
                r("ours", "whole", 1e6),
                r("split", "whole", split_ns),
                r("atat", "whole", 2e6),
            ]
        };
        let table = render_rounds(&[round(1.25e6), round(0.8e6), round(1.1e6)]);
        assert!(
            table.contains(
                "| A, reads of whole: ours/split | 1.25× | 0.80× | 1.10× | 1.10× | 1.00× | yes |"
            ),
            "{table}"
        );
        assert!(
            table.contains(
                "| A, reads of whole: ours/atat | 2.00× | 2.00× | 2.00× | 2.00× | 1.60× | yes |"
            ),
            "{table}"
        );
        // Not measured in these rounds: no verdict.
        assert!(
            table.contains("| A, reads of 64: ours MB/s | – | – | – | – | 1500 | – |"),
            "{table}"
        );
        assert!(
            table.contains("| target | round 1 | round 2 | round 3 | median |"),
            "{table}"
        );
    }

    #[test]
    fn renders_a_table() {
        let r = |function: &str, ns: f64| BenchResult {
            group: "parse_A".into(),
            function: function.into(),
            value: "whole".into(),
            bytes: Some(1_000_000),
            mean_ns: ns,
        };
        let table = render(&[
            r("ours", 1e6),
            r("atat", 2e6),
            r("floor", 5e5),
            r("memchr_count", 1e5),
        ]);
        assert!(
            table.contains("| A | whole | 1000 | 500 | 2000 | 10000 | 2.00× | 0.50× |"),
            "{table}"
        );
        assert!(
            table.contains("| A, reads of whole: ours/atat | 2.00× | 1.60× | yes |"),
            "{table}"
        );
        // Without a split row, that target cannot be judged.
        assert!(
            table.contains("| A, reads of whole: ours/split | – | 1.00× | – |"),
            "{table}"
        );
        assert!(
            table.contains("| A, reads of 64: ours MB/s | – | 1500 | – |"),
            "{table}"
        );
    }
}
