//! `cargo xtask bench --paired [--samples N]`: the performance targets
//! ([`super::TARGETS`]) timed in pairs instead of by criterion.
//!
//! Criterion times our decoder and the contender a target compares it
//! with seconds apart, and on a shared machine a ratio of the two then
//! moves with the machine's load: in one `--rounds 7` run, A fed whole
//! against the splitter ranged from 0.82× to 1.43×. Here
//! `benches/examples/targets.rs` times them one right after the other, N
//! pairs, in turn which goes first, and each target is judged by the
//! median of the pairs' ratios; the table also shows the middle half of
//! the ratios, so that a verdict near its goal reads as such. Built as the
//! benchmarks are, with aligned loops.

use std::path::Path;
use std::process::{Command, Stdio};

use super::{fmt_speed, Measure, TARGETS};

/// One target as the timing program reported it.
#[derive(Debug, Clone, PartialEq)]
struct Timed {
    /// Our median speed, MB/s.
    ours: f64,
    /// The contender's median speed, MB/s, and the median, first and third
    /// quartiles of the pairs' ratios; none for a speed target.
    pairs: Option<Pairs>,
}

#[derive(Debug, Clone, PartialEq)]
struct Pairs {
    other: f64,
    median: f64,
    q1: f64,
    q3: f64,
}

/// The timing program's name for a target: `STREAM:READ:OVER`.
fn spec(stream: &str, measure: Measure) -> String {
    match measure {
        Measure::Speed(read) => format!("{stream}:{read}:-"),
        Measure::Ratio { read, over } => format!("{stream}:{read}:{over}"),
    }
}

/// Runs the timing program and prints the table.
pub(crate) fn run(root: &Path, samples: usize) -> Result<(), String> {
    let specs: Vec<String> = TARGETS.iter().map(|&(s, m, _)| spec(s, m)).collect();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let flags = super::encoded_rustflags(
        std::env::var("CARGO_ENCODED_RUSTFLAGS").ok(),
        std::env::var("RUSTFLAGS").ok(),
    );
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .env("CARGO_TARGET_DIR", super::bench_dir(root))
        .env("CARGO_ENCODED_RUSTFLAGS", flags)
        .env_remove("RUSTFLAGS")
        .args([
            "run",
            "--release",
            "--quiet",
            "--package",
            "cellftp-benches",
            "--example",
            "targets",
            "--",
        ])
        .arg(samples.to_string())
        .args(&specs)
        .stderr(Stdio::inherit());
    eprintln!("xtask bench: timing the targets in pairs: {cmd:?}");
    let machine = super::machine::describe();
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run the timing program: {e}"))?;
    if !out.status.success() {
        return Err(format!("the timing program failed: {}", out.status));
    }
    let stdout = String::from_utf8(out.stdout)
        .map_err(|_| "the timing program printed bytes that are not UTF-8".to_string())?;
    print!("{}", render(&specs, &stdout, samples)?);
    println!("\n{machine}");
    Ok(())
}

/// The table for `specs` (in the order of [`TARGETS`]) from the timing
/// program's output; an error names a target it did not report or a line
/// it could not read.
fn render(specs: &[String], output: &str, samples: usize) -> Result<String, String> {
    let mut out = format!(
        "\n{samples} pairs per target; above 1× ours is the faster.\n\n\
         | target | ours MB/s | other MB/s | ours/other, median of pairs | middle half of pairs | goal | met (median) |\n\
         |---|---:|---:|---:|---:|---:|:---:|\n"
    );
    for (spec, &(stream, measure, goal)) in specs.iter().zip(TARGETS.iter()) {
        let line = output
            .lines()
            .find(|l| l.split('\t').next() == Some(spec.as_str()))
            .ok_or_else(|| format!("the timing program did not report `{spec}`"))?;
        let timed = parse_line(line)?;
        let row = match (measure, &timed.pairs) {
            (Measure::Speed(read), _) => format!(
                "| {stream}, reads of {read}: ours MB/s | {} | – | – | – | {goal:.0} | {} |",
                fmt_speed(Some(timed.ours)),
                yes(timed.ours >= goal),
            ),
            (Measure::Ratio { read, over }, Some(p)) => format!(
                "| {stream}, reads of {read}: ours/{over} | {} | {} | {} | {}–{} | {} | {} |",
                fmt_speed(Some(timed.ours)),
                fmt_speed(Some(p.other)),
                precise(p.median),
                precise(p.q1),
                precise(p.q3),
                precise(goal),
                yes(p.median >= goal),
            ),
            (Measure::Ratio { .. }, None) => {
                return Err(format!("`{spec}`: the timing program reported no pairs"))
            }
        };
        out.push_str(&row);
        out.push('\n');
    }
    Ok(out)
}

/// A ratio to three decimals, rounded down: a median just below its goal
/// must not read as the goal.
fn precise(r: f64) -> String {
    format!("{:.3}×", (r * 1000.0).floor() / 1000.0)
}

fn yes(met: bool) -> &'static str {
    if met {
        "yes"
    } else {
        "no"
    }
}

/// One line of the timing program: `SPEC ours other median q1 q3`, tab-
/// separated, the last four `-` for a speed target.
fn parse_line(line: &str) -> Result<Timed, String> {
    let fields: Vec<&str> = line.split('\t').collect();
    let [_, ours, other, median, q1, q3] = fields.as_slice() else {
        return Err(format!(
            "the timing program printed `{line}`: not six fields"
        ));
    };
    let num = |s: &str| {
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v > 0.0)
            .ok_or_else(|| {
                format!("the timing program printed `{line}`: `{s}` is not a positive number")
            })
    };
    let ours = num(ours)?;
    let pairs = if [*other, *median, *q1, *q3].iter().all(|f| *f == "-") {
        None
    } else {
        Some(Pairs {
            other: num(other)?,
            median: num(median)?,
            q1: num(q1)?,
            q3: num(q3)?,
        })
    };
    Ok(Timed { ours, pairs })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs() -> Vec<String> {
        TARGETS.iter().map(|&(s, m, _)| spec(s, m)).collect()
    }

    #[test]
    fn the_program_is_asked_for_every_target() {
        assert_eq!(
            specs(),
            ["A:whole:split", "A:whole:atat", "A:64:-", "A:64:floor"]
        );
    }

    #[test]
    fn renders_every_target_with_its_verdict() {
        let output = "A:whole:split\t1666.2\t1468.7\t1.0948\t0.9895\t1.2202\n\
                      A:whole:atat\t1302.3\t488.2\t2.4765\t2.3538\t2.5627\n\
                      A:64:-\t744.1\t-\t-\t-\t-\n\
                      A:64:floor\t805.4\t1571.8\t0.4996\t0.4648\t0.5381\n";
        let table = render(&specs(), output, 100).unwrap();
        assert!(table.contains(
            "| A, reads of whole: ours/split | 1666 | 1469 | 1.094× | 0.989×–1.220× | 1.000× | yes |"
        ), "{table}");
        assert!(
            table.contains("| A, reads of 64: ours MB/s | 744 | – | – | – | 1500 | no |"),
            "{table}"
        );
        // Judged by the median of the pairs, not by the quartiles, and
        // shown rounded down: just below the goal does not read as it.
        assert!(
            table.contains("| 0.499× | 0.464×–0.538× | 0.500× | no |"),
            "{table}"
        );
    }

    #[test]
    fn a_missing_or_unreadable_report_is_an_error() {
        let err = render(&specs(), "A:whole:split\t1\t1\t1\t1\t1\n", 10).unwrap_err();
        assert_eq!(err, "the timing program did not report `A:whole:atat`");
        for bad in [
            "A:whole:split\t1\t1\t1\t1",
            "A:whole:split\t1\tx\t1\t1\t1",
            "A:whole:split\t1\tNaN\t1\t1\t1",
        ] {
            assert!(parse_line(bad).is_err(), "{bad}");
        }
        // A ratio target reported without its pairs.
        let output = "A:whole:split\t1\t-\t-\t-\t-\n";
        let err = render(&specs()[..1], output, 10).unwrap_err();
        assert_eq!(err, "`A:whole:split`: the timing program reported no pairs");
    }
}
