//! `cargo xtask fuzz [--time SECS] [--runs N] [--jobs N] [--keep] [--asan]
//! [--list] [TARGET…]`: runs the cargo-fuzz targets of `fuzz/`, one after
//! the other, each for `SECS` seconds (60 by default; 0 runs until stopped),
//! all targets unless some are named.
//!
//! Each target runs in a scratch corpus under `fuzz/target/` (fresh unless
//! `--keep`) with the committed seeds (`fuzz/corpus/<target>/`) as a second,
//! read-only corpus, so the committed corpus stays seeds only, and with the
//! input length bounded per target ([`max_len`]). `--jobs N` runs N
//! processes per target on one corpus (libFuzzer's fork mode), for a
//! dedicated run on every core. At the first crash the input is minimized
//! with `cargo fuzz tmin`, copied to `fuzz/regressions/<target>/` (which
//! `cargo test -p cellftp-fuzzing --test regressions` replays), the command
//! that reproduces it is printed, and the job fails.

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask fuzz [--time SECS] [--runs N] [--jobs N] [--keep] [--asan] [--list] [TARGET…]

Runs every fuzz target of fuzz/ (or the named ones) for SECS seconds each
(default 60). Stops at the first crash, minimizes it into
fuzz/regressions/<target>/ and prints how to reproduce it.

  --time SECS   how long each target runs; 0: until stopped (Ctrl-C)
  --runs N      stop each target after N executions (without --time: only then)
  --jobs N      run N fuzzing processes per target, sharing its corpus
                (libFuzzer's fork mode); the number of cores for a long run
  --keep        start from the scratch corpus the last run left in
                fuzz/target/xtask-corpus/<target>/ instead of an empty one
  --asan        build and run with AddressSanitizer (off by default: the
                workspace forbids unsafe code, and ASan halves the speed)
  --list        print the targets and their input length bound, and exit

Long dedicated run on both cores of one target, resumable:

  cargo xtask fuzz --jobs 2 --time 0 --keep session";

/// How long each target runs unless `--time` says otherwise.
const DEFAULT_SECS: u64 = 60;

/// The longest input libFuzzer makes for `target` (`-max_len`).
///
/// Long enough for everything a target checks, and no longer: the time of
/// one execution grows with the input, and libFuzzer's default (the
/// largest seed, at least 4096 bytes) let the slow targets spend most of
/// their time on inputs far longer than any behaviour needs.
pub(crate) fn max_len(target: &str) -> usize {
    match target {
        // A payload of two fragments (a 64-byte header, 2048 + 2048 bytes)
        // and a full MIN_BUFFER buffer, with up to 16 cut points.
        "response_stream"
        | "command_stream"
        | "simcom_response_stream"
        | "simcom_command_stream" => 4200,
        // A full MIN_BUFFER buffer (a 64-byte header and a 2048-byte
        // fragment) and the start of the next fragment. A call per byte
        // makes the time grow with the length: 4200 ran at about 4,100
        // executions per CPU second, this at about 5,800; longer streams
        // are the cut-point targets' work.
        "response_bytewise" | "command_bytewise" => 2600,
        // A directory listing line is at most MAX_LINE (1024) bytes; a few.
        "listing" => 4096,
        // One command line (MAX_COMMAND) and its fields.
        "roundtrip" => 1024,
        // A dozen operations with a modem read of a fragment or two each.
        "session" => 4096,
        // The same for the SIMCom session: a dozen jobs and reads.
        "simcom_session" => 4096,
        // Transcripts and captured logs of a session or two.
        "transcript" | "log_import" | "log_import_written" => 4096,
        _ => 4096,
    }
}

/// Environment variables of the `cargo xtask` invocation that must not leak
/// into the nightly cargo-fuzz run: the toolchain the outer cargo was run
/// with, its binaries, and a target directory that would move the fuzz
/// build out of `fuzz/target/`.
const SCRUBBED_ENV: [&str; 6] = [
    "RUSTUP_TOOLCHAIN",
    "CARGO",
    "RUSTC",
    "RUSTDOC",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET_DIR",
];

/// What `cargo xtask fuzz` was asked to do.
#[derive(Debug, PartialEq, Eq)]
struct Options {
    /// Seconds per target; 0 for no limit.
    secs: u64,
    /// Executions per target, if limited.
    runs: Option<u64>,
    jobs: u32,
    keep: bool,
    asan: bool,
    list: bool,
    targets: Vec<String>,
}

/// The number in `value`, or an error naming `option`.
fn number<T: std::str::FromStr>(option: &str, value: Option<&str>) -> Result<T, String> {
    let value = value.ok_or_else(|| format!("{option} needs a number"))?;
    value
        .parse()
        .map_err(|_| format!("{option}: `{value}` is not a number"))
}

fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options {
        secs: DEFAULT_SECS,
        runs: None,
        jobs: 1,
        keep: false,
        asan: false,
        list: false,
        targets: Vec::new(),
    };
    let mut secs = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v)),
            _ => (arg.as_str(), None),
        };
        let mut value = || inline.or_else(|| args.next().map(String::as_str));
        match name {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            "--list" => options.list = true,
            "--keep" => options.keep = true,
            "--asan" => options.asan = true,
            "--time" => secs = Some(number("--time", value())?),
            "--runs" => {
                let runs = number("--runs", value())?;
                if runs == 0 {
                    return Err("--runs: the number of executions must be positive".into());
                }
                options.runs = Some(runs);
            }
            "--jobs" => {
                options.jobs = number("--jobs", value())?;
                if options.jobs == 0 {
                    return Err("--jobs: the number of processes must be positive".into());
                }
            }
            a if a.starts_with('-') => return Err(format!("unknown option `{a}`\n\n{USAGE}")),
            target => options.targets.push(target.to_owned()),
        }
    }
    // `--runs` alone bounds the executions, not the time.
    options.secs = secs.unwrap_or(if options.runs.is_some() {
        0
    } else {
        DEFAULT_SECS
    });
    Ok(Some(options))
}

/// The targets, as the `[[bin]]` names of `fuzz/Cargo.toml`.
fn targets(fuzz: &Path) -> Result<Vec<String>, String> {
    let manifest = fuzz.join("Cargo.toml");
    let text = fs::read_to_string(&manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let mut targets = Vec::new();
    let mut in_bin = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if let Some(value) = line.strip_prefix("name").map(str::trim_start) {
            if let (true, Some(value)) = (in_bin, value.strip_prefix('=')) {
                targets.push(value.trim().trim_matches('"').to_owned());
            }
        }
    }
    if targets.is_empty() {
        return Err(format!("no [[bin]] targets in {}", manifest.display()));
    }
    Ok(targets)
}

/// How cargo-fuzz is invoked: through the nightly toolchain if rustup has
/// one, else through the default one with `RUSTC_BOOTSTRAP=1`.
struct Cargo {
    nightly: bool,
    asan: bool,
    fuzz: PathBuf,
}

impl Cargo {
    fn detect(fuzz: &Path, asan: bool) -> Cargo {
        let nightly = Command::new("rustup")
            .args(["toolchain", "list"])
            .output()
            .map(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .any(|l| l.starts_with("nightly"))
            })
            .unwrap_or(false);
        Cargo {
            nightly,
            asan,
            fuzz: fuzz.to_path_buf(),
        }
    }

    /// The build flags every `build`, `run` and `tmin` must share (or
    /// cargo rebuilds): debug assertions on, the sanitizer chosen.
    fn build_flags(&self) -> [&'static str; 3] {
        let sanitizer = if self.asan { "address" } else { "none" };
        ["--debug-assertions", "--sanitizer", sanitizer]
    }

    /// `cargo [+nightly] fuzz <command> <build flags> <args>`.
    fn fuzz_with(&self, command: &str, args: &[&str]) -> Command {
        let mut all = vec![command];
        all.extend(self.build_flags());
        all.extend(args);
        self.fuzz(&all)
    }

    /// `cargo [+nightly] fuzz <args>`, run from `fuzz/`.
    fn fuzz(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("cargo");
        for var in SCRUBBED_ENV {
            cmd.env_remove(var);
        }
        if self.nightly {
            cmd.arg("+nightly");
        } else {
            cmd.env("RUSTC_BOOTSTRAP", "1");
        }
        cmd.arg("fuzz").args(args).current_dir(&self.fuzz);
        cmd
    }

    /// The command line a person types, from `fuzz/`, for `command` with
    /// the build flags and `args`.
    fn shown(&self, command: &str, args: &str) -> String {
        let flags = self.build_flags().join(" ");
        if self.nightly {
            format!("cargo +nightly fuzz {command} {flags} {args}")
        } else {
            format!("RUSTC_BOOTSTRAP=1 cargo fuzz {command} {flags} {args}")
        }
    }

    fn check_installed(&self) -> Result<(), String> {
        let installed = self
            .fuzz(&["--version"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if installed {
            Ok(())
        } else {
            eprintln!("cargo-fuzz is not installed; install it with:\n\n    cargo install cargo-fuzz --locked\n");
            Err("cargo fuzz is not available".into())
        }
    }
}

/// What one target's run showed.
#[derive(Default)]
struct Report {
    execs: Option<u64>,
    exec_per_sec: Option<u64>,
    /// The panic message, or libFuzzer's summary of what went wrong.
    failure: Vec<String>,
    secs: f64,
}

impl Report {
    /// Picks the numbers and the failure out of one line of libFuzzer's
    /// output.
    fn read(&mut self, line: &str, panicking: &mut bool) {
        let stat = |name: &str| {
            line.strip_prefix(name)
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        if line.starts_with("note:")
            || line.starts_with("==")
            || line.starts_with("stack backtrace")
        {
            *panicking = false;
        }
        if let Some(n) = stat("stat::number_of_executed_units:") {
            self.execs = Some(n);
        } else if let Some(n) = stat("stat::average_exec_per_sec:") {
            self.exec_per_sec = Some(n);
        } else if let Some((execs, per_sec)) = fork_status(line) {
            self.execs = Some(execs);
            self.exec_per_sec = Some(per_sec);
        } else if line.contains("panicked at") {
            self.failure.push(line.trim().to_owned());
            *panicking = true;
        } else if (*panicking && !line.trim().is_empty())
            || line.starts_with("SUMMARY: libFuzzer:")
            || line.contains("==ERROR: libFuzzer")
        {
            self.failure.push(line.trim().to_owned());
        }
    }
}

/// The executions and executions per second of a status line of
/// libFuzzer's fork mode (`--jobs` above 1), which prints no final
/// statistics: `#123456: cov: 1 ft: 2 corp: 3 exec/s: 4567 oom/timeout/crash: …`.
fn fork_status(line: &str) -> Option<(u64, u64)> {
    let rest = line.strip_prefix('#')?;
    let (execs, rest) = rest.split_once(": cov: ")?;
    let per_sec = rest.split_once("exec/s")?.1;
    let per_sec = per_sec.trim_start_matches(':').split_whitespace().next()?;
    Some((execs.parse().ok()?, per_sec.parse().ok()?))
}

/// The artifact files in `dir`.
fn artifacts(dir: &Path) -> BTreeSet<PathBuf> {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default()
}

/// Runs `cmd`, echoing its stderr and reading libFuzzer's statistics and
/// failure out of it; returns whether it succeeded.
fn run_reporting(mut cmd: Command, report: &mut Report) -> Result<bool, String> {
    let start = Instant::now();
    let mut child = cmd
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let mut panicking = false;
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).split(b'\n') {
            let line = line.map_err(|e| format!("reading the fuzzer's output: {e}"))?;
            let line = String::from_utf8_lossy(&line);
            eprintln!("{line}");
            report.read(&line, &mut panicking);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for {cmd:?}: {e}"))?;
    report.secs = start.elapsed().as_secs_f64();
    Ok(status.success())
}

fn print_summary(rows: &[(String, Report, &str)]) {
    eprintln!(
        "\n{:<16} {:>8} {:>12} {:>10}  result",
        "target", "secs", "execs", "exec/s"
    );
    for (target, r, result) in rows {
        let n = |v: Option<u64>| v.map_or("?".to_owned(), |v| v.to_string());
        eprintln!(
            "{target:<16} {:>8.1} {:>12} {:>10}  {result}",
            r.secs,
            n(r.execs),
            n(r.exec_per_sec)
        );
    }
}

/// Runs the job.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let Some(options) = parse(args)? else {
        return Ok(());
    };
    let root = crate::root();
    let fuzz = root.join("fuzz");
    let all = targets(&fuzz)?;
    if options.list {
        for t in &all {
            println!("{t:<20} max_len {}", max_len(t));
        }
        return Ok(());
    }
    let chosen = if options.targets.is_empty() {
        all.clone()
    } else {
        options.targets.clone()
    };
    if let Some(unknown) = chosen.iter().find(|t| !all.contains(t)) {
        return Err(format!(
            "no fuzz target `{unknown}`; targets: {}",
            all.join(", ")
        ));
    }

    let cargo = Cargo::detect(&fuzz, options.asan);
    cargo.check_installed()?;
    eprintln!(
        "building the fuzz targets ({}, {}) …",
        if cargo.nightly {
            "nightly"
        } else {
            "RUSTC_BOOTSTRAP=1"
        },
        if cargo.asan {
            "AddressSanitizer"
        } else {
            "no sanitizer"
        }
    );
    let built = cargo
        .fuzz_with("build", &[])
        .status()
        .map_err(|e| format!("cannot run cargo fuzz build: {e}"))?;
    if !built.success() {
        return Err("cargo fuzz build failed".into());
    }

    let dict = fuzz.join("at.dict");
    let mut rows: Vec<(String, Report, &str)> = Vec::new();
    for target in &chosen {
        let seeds = fuzz.join("corpus").join(target);
        let scratch = fuzz.join("target").join("xtask-corpus").join(target);
        if !options.keep {
            let _ = fs::remove_dir_all(&scratch);
        }
        fs::create_dir_all(&scratch)
            .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
        let artifact_dir = fuzz.join("artifacts").join(target);
        let before = artifacts(&artifact_dir);

        let limit = match (options.secs, options.runs) {
            (0, None) => "until stopped".to_owned(),
            (0, Some(runs)) => format!("for {runs} executions"),
            (secs, None) => format!("for {secs} s"),
            (secs, Some(runs)) => format!("for {secs} s or {runs} executions"),
        };
        eprintln!(
            "\n=== fuzzing {target} {limit} with {} process{} ===",
            options.jobs,
            if options.jobs == 1 { "" } else { "es" }
        );
        let jobs = options.jobs.to_string();
        let time = format!("-max_total_time={}", options.secs);
        let runs = format!("-runs={}", options.runs.map_or(-1, i128::from));
        let len = format!("-max_len={}", max_len(target));
        let dict_arg = format!("-dict={}", dict.display());
        let scratch_arg = scratch.display().to_string();
        let seeds_arg = seeds.display().to_string();
        let cmd = cargo.fuzz_with(
            "run",
            &[
                "--jobs",
                &jobs,
                target,
                &scratch_arg,
                &seeds_arg,
                "--",
                &time,
                &runs,
                &len,
                &dict_arg,
                "-timeout=30",
                "-print_final_stats=1",
            ],
        );
        let mut report = Report::default();
        if run_reporting(cmd, &mut report)? {
            rows.push((target.clone(), report, "ok"));
            continue;
        }

        let found: Vec<PathBuf> = artifacts(&artifact_dir)
            .difference(&before)
            .cloned()
            .collect();
        let Some(crash) = found.first() else {
            rows.push((target.clone(), report, "FAILED (no artifact)"));
            print_summary(&rows);
            return Err(format!(
                "cargo fuzz run {target} failed without leaving an input in {}",
                artifact_dir.display()
            ));
        };
        rows.push((target.clone(), report, "CRASH"));

        eprintln!("\n=== minimizing {} ===", crash.display());
        let before_tmin = artifacts(&artifact_dir);
        let crash_arg = crash.display().to_string();
        let tmin = cargo
            .fuzz_with("tmin", &[target, &crash_arg])
            .status()
            .map_err(|e| format!("cannot run cargo fuzz tmin: {e}"))?;
        let minimized = artifacts(&artifact_dir)
            .difference(&before_tmin)
            .filter_map(|p| Some((fs::metadata(p).ok()?.modified().ok()?, p.clone())))
            .max()
            .map(|(_, p)| p)
            .filter(|_| tmin.success());
        let input = minimized.as_ref().unwrap_or(crash);

        let name = crash
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "crash".to_owned());
        let regressions = fuzz.join("regressions").join(target);
        fs::create_dir_all(&regressions)
            .map_err(|e| format!("cannot create {}: {e}", regressions.display()))?;
        let kept = regressions.join(&name);
        fs::copy(input, &kept).map_err(|e| format!("cannot copy {}: {e}", input.display()))?;

        print_summary(&rows);
        let failure = rows
            .last()
            .map(|(_, r, _)| r.failure.join("\n    "))
            .unwrap_or_default();
        eprintln!(
            "\n{target} crashed:\n    {failure}\n\n\
             {} input kept as {}\n\n\
             Reproduce with:\n\n    \
             cd fuzz && {}\n    \
             cargo test -p cellftp-fuzzing --test regressions\n",
            if minimized.is_some() {
                "minimized"
            } else {
                "unminimized"
            },
            kept.strip_prefix(&root).unwrap_or(&kept).display(),
            cargo.shown("run", &format!("{target} regressions/{target}/{name}")),
        );
        return Err(format!("fuzz target {target} crashed"));
    }
    print_summary(&rows);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Options {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        parse(&args).unwrap().unwrap()
    }

    #[test]
    fn defaults() {
        let o = parsed(&["session"]);
        assert_eq!((o.secs, o.runs, o.jobs), (DEFAULT_SECS, None, 1));
        assert!(!o.keep && !o.asan && !o.list);
        assert_eq!(o.targets, ["session"]);
    }

    #[test]
    fn long_runs() {
        let o = parsed(&["--jobs", "2", "--time=0", "--keep", "session", "listing"]);
        assert_eq!((o.secs, o.runs, o.jobs, o.keep), (0, None, 2, true));
        assert_eq!(o.targets, ["session", "listing"]);
        // --runs alone bounds executions only; with --time, both.
        assert_eq!(parsed(&["--runs", "10000000"]).secs, 0);
        let o = parsed(&["--runs=5", "--time", "30"]);
        assert_eq!((o.secs, o.runs), (30, Some(5)));
    }

    #[test]
    fn bad_options() {
        for args in [
            &["--jobs", "0"][..],
            &["--jobs"],
            &["--time", "soon"],
            &["--runs", "0"],
            &["--fast"],
        ] {
            let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
            assert!(parse(&args).is_err(), "{args:?}");
        }
    }

    #[test]
    fn fork_mode_status_lines() {
        let line = "#1048576: cov: 3476 ft: 14801 corp: 674 exec/s: 5123 oom/timeout/crash: 0/0/0 time: 205s job: 12 dft_time: 0";
        assert_eq!(fork_status(line), Some((1_048_576, 5123)));
        let line = "#2400: cov: 1 ft: 2 corp: 3 exec/s 812 oom/timeout/crash: 0/0/0 time: 3s";
        assert_eq!(fork_status(line), Some((2400, 812)));
        let normal =
            "#3424\tNEW    cov: 3476 ft: 14801 corp: 674/104Kb lim: 278 exec/s: 110 rss: 316Mb";
        assert_eq!(fork_status(normal), None);
    }

    #[test]
    fn every_target_has_a_bounded_length() {
        for t in ["response_stream", "session", "log_import", "a_new_target"] {
            assert!((1024..=8192).contains(&max_len(t)), "{t}");
        }
    }
}
