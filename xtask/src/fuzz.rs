//! `cargo xtask fuzz [--time SECS] [--list] [TARGET…]`: runs the cargo-fuzz
//! targets of `fuzz/`, one after the other, each for `SECS` seconds (60 by
//! default), all targets unless some are named.
//!
//! Each target runs in a fresh scratch corpus under `fuzz/target/` with the
//! committed seeds (`fuzz/corpus/<target>/`) as a second, read-only corpus,
//! so the committed corpus stays seeds only. At the first crash the input is
//! minimized with `cargo fuzz tmin`, copied to `fuzz/regressions/<target>/`
//! (which `cargo test -p cellftp-fuzzing --test regressions` replays), the
//! command that reproduces it is printed, and the job fails.

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask fuzz [--time SECS] [--list] [TARGET…]

Runs every fuzz target of fuzz/ (or the named ones) for SECS seconds each
(default 60). Stops at the first crash, minimizes it into
fuzz/regressions/<target>/ and prints how to reproduce it.

  --time SECS   how long each target runs
  --list        print the targets and exit";

/// How long each target runs unless `--time` says otherwise.
const DEFAULT_SECS: u64 = 60;

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
struct Options {
    secs: u64,
    list: bool,
    targets: Vec<String>,
}

fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options {
        secs: DEFAULT_SECS,
        list: false,
        targets: Vec::new(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let secs = match arg.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            "--list" => {
                options.list = true;
                continue;
            }
            "--time" => args.next().ok_or("--time needs a number of seconds")?,
            a if a.starts_with("--time=") => a.trim_start_matches("--time="),
            a if a.starts_with('-') => return Err(format!("unknown option `{a}`\n\n{USAGE}")),
            target => {
                options.targets.push(target.to_owned());
                continue;
            }
        };
        options.secs = secs
            .parse()
            .ok()
            .filter(|s| *s > 0)
            .ok_or_else(|| format!("--time: `{secs}` is not a positive number of seconds"))?;
    }
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
    fuzz: PathBuf,
}

impl Cargo {
    fn detect(fuzz: &Path) -> Cargo {
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
            fuzz: fuzz.to_path_buf(),
        }
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

    /// The command line a person types, from `fuzz/`.
    fn shown(&self, args: &str) -> String {
        if self.nightly {
            format!("cargo +nightly fuzz {args}")
        } else {
            format!("RUSTC_BOOTSTRAP=1 cargo fuzz {args}")
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
            println!("{t}");
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

    let cargo = Cargo::detect(&fuzz);
    cargo.check_installed()?;
    eprintln!(
        "building the fuzz targets ({}) …",
        if cargo.nightly {
            "nightly"
        } else {
            "RUSTC_BOOTSTRAP=1"
        }
    );
    let built = cargo
        .fuzz(&["build", "--debug-assertions"])
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
        let _ = fs::remove_dir_all(&scratch);
        fs::create_dir_all(&scratch)
            .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
        let artifact_dir = fuzz.join("artifacts").join(target);
        let before = artifacts(&artifact_dir);

        eprintln!("\n=== fuzzing {target} for {} s ===", options.secs);
        let time = format!("-max_total_time={}", options.secs);
        let dict_arg = format!("-dict={}", dict.display());
        let scratch_arg = scratch.display().to_string();
        let seeds_arg = seeds.display().to_string();
        let cmd = cargo.fuzz(&[
            "run",
            "--debug-assertions",
            "--jobs",
            "1",
            target,
            &scratch_arg,
            &seeds_arg,
            "--",
            &time,
            &dict_arg,
            "-timeout=30",
            "-print_final_stats=1",
        ]);
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
            .fuzz(&["tmin", "--debug-assertions", target, &crash_arg])
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
            cargo.shown(&format!(
                "run --debug-assertions {target} regressions/{target}/{name}"
            )),
        );
        return Err(format!("fuzz target {target} crashed"));
    }
    print_summary(&rows);
    Ok(())
}
