//! `cargo xtask replay [--format NAME] [--strict] [--json] [--html FILE]
//! [-v] [PATH…]`: checks transcripts and captured logs (default: everything
//! under `transcripts/`, recursively) in parallel — import, jobs, replay
//! through the session, verdict — prints each file that failed or has
//! warnings in rustc style, a summary table, and fails if any file failed.
//! `cargo xtask import LOG [-o FILE]` turns a capture into a transcript
//! with its jobs and their outcomes as expectations.

use std::io::IsTerminal;
use std::path::PathBuf;

use cellftp_replay::check::{counted, render, Severity};
use cellftp_replay::{import, run, Dialect, Options};

const USAGE: &str = "usage: cargo xtask replay [-v] [--strict] [--json] [--html FILE] [--format NAME] [--dialect NAME] [PATH…]   (default: transcripts/)\n\
formats: transcript, socat, socat-hex, pyserial-spy, pyserial-raw, interceptty,\n\
terminal (tio, picocom, minicom), saleae-logic1, saleae-logic2, prefixed;\n\
without --format each file's format is detected from its content.\n\
--dialect manual|simcom: read captured logs in this AT dialect (a transcript's\n\
`! dialect` line still decides for it); without it, from the commands.\n\
--strict: a departure from what the session sends is an error, not a warning.\n\
--json: the report as JSON on stdout (crates/replay/report.schema.json).\n\
--html FILE: the report as one self-contained page.";

/// Files past which a progress bar is shown (on a terminal).
const PROGRESS_FROM: usize = 200;

/// Runs the job.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut verbose = false;
    let mut json = false;
    let mut html = None;
    let mut options = Options::default();
    let mut paths = Vec::new();
    let mut args = args.iter();
    let parse_format = |name: &str| name.parse::<import::Format>().map_err(|e| e.to_string());
    let parse_dialect = |name: &str| name.parse::<Dialect>().map_err(|e| e.to_string());
    while let Some(a) = args.next() {
        match a.as_str() {
            "-v" | "--verbose" => verbose = true,
            "--strict" => options.strict = true,
            "--json" => json = true,
            "--html" => html = Some(PathBuf::from(args.next().ok_or("--html needs a file")?)),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            "--format" => {
                options.format = Some(parse_format(
                    args.next().ok_or("--format needs a format name")?,
                )?);
            }
            "--dialect" => {
                options.dialect = Some(parse_dialect(
                    args.next().ok_or("--dialect needs manual or simcom")?,
                )?);
            }
            f if f.starts_with("--dialect=") => {
                options.dialect = Some(parse_dialect(f.trim_start_matches("--dialect="))?);
            }
            f if f.starts_with("--format=") => {
                options.format = Some(parse_format(f.trim_start_matches("--format="))?);
            }
            f if f.starts_with("--html=") => {
                html = Some(PathBuf::from(f.trim_start_matches("--html=")))
            }
            f if f.starts_with('-') && f.len() > 1 => {
                return Err(format!("unknown option `{f}`\n{USAGE}"))
            }
            p => paths.push(PathBuf::from(p)),
        }
    }
    options.timeline = html.is_some();
    if paths.is_empty() {
        paths.push(crate::root().join("transcripts"));
    }
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for p in &paths {
        let found = cellftp_replay::files::find(p).map_err(|e| format!("{}: {e}", p.display()))?;
        files.extend(found.files);
        skipped.extend(found.skipped_links);
    }
    files.sort();
    files.dedup();
    for link in &skipped {
        eprintln!(
            "skipped {}: a symbolic link to a folder (not followed)",
            link.display()
        );
    }
    if files.is_empty() {
        let named: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(format!(
            "no transcripts or captures found in {}",
            named.join(", ")
        ));
    }
    let started = std::time::Instant::now();
    let bar = (std::io::stderr().is_terminal() && files.len() >= PROGRESS_FROM).then(|| {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let root = std::env::current_dir().unwrap_or_else(|_| crate::root());
    let reports = run::check_files(&files, &root, &options, threads, &tick);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let summary = run::Summary::of(&reports);
    if json {
        println!("{}", run::to_json(&reports));
    } else {
        for r in &reports {
            let noisy = r
                .diagnostics
                .iter()
                .any(|d| d.severity >= Severity::Warning);
            if verbose || noisy || !r.passed {
                print!("{}", render(r));
            } else {
                println!(
                    "{}: ok ({}, {})",
                    r.path,
                    r.format.unwrap_or("?"),
                    counted(r.jobs.len() as u64, "job", "jobs")
                );
            }
        }
        println!();
        print!("{}", summary.render(&reports));
        println!("in {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
    }
    if let Some(path) = html {
        std::fs::write(&path, cellftp_replay::html::page(&reports))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if !json {
            println!("wrote {}", path.display());
        }
    }
    if summary.failed > 0 {
        return Err(format!(
            "{} of {} file(s) failed",
            summary.failed, summary.files
        ));
    }
    Ok(())
}

/// `cargo xtask import LOG [-o FILE]`.
pub(crate) fn import(args: &[String]) -> Result<(), String> {
    let mut out = None;
    let mut log = None;
    let mut args = args.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "-o" | "--output" => out = Some(PathBuf::from(args.next().ok_or("-o needs a file")?)),
            "-h" | "--help" => {
                println!("usage: cargo xtask import LOG [-o FILE]   (default: LOG's name with .cftx, printed)");
                return Ok(());
            }
            p => log = Some(PathBuf::from(p)),
        }
    }
    let log = log.ok_or("usage: cargo xtask import LOG [-o FILE]")?;
    let bytes = std::fs::read(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let name = log.display().to_string();
    let transcript = run::to_transcript(&name, &bytes).map_err(|e| e.to_string())?;
    let text = transcript.to_text();
    // The result must replay clean: say so now if it will not.
    let check = cellftp_replay::check(
        &name,
        text.as_bytes(),
        &Options {
            format: Some(import::Format::Transcript),
            ..Options::default()
        },
    );
    match out {
        Some(path) => {
            std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!(
                "wrote {} ({})",
                path.display(),
                counted(check.jobs.len() as u64, "job", "jobs")
            );
        }
        None => print!("{text}"),
    }
    if !check.passed {
        eprint!("{}", render(&check));
        return Err("the transcript does not replay clean: see above".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_folder_is_named() {
        let dir = std::env::temp_dir().join(format!("cellftp-xtask-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let result = run(&[dir.display().to_string()]);
        let _ = std::fs::remove_dir_all(&dir);
        let e = result.unwrap_err();
        assert!(e.contains(&dir.display().to_string()), "{e}");
    }
}
