//! `cargo xtask replay [--format NAME] [PATH…]`: replays transcripts and
//! captured logs (default: everything under `transcripts/`) through the
//! parser and the session, prints one line per file and fails if any file
//! fails — a file that does not import fails, with its line and column.

use std::path::PathBuf;

use cellftp_replay::import;

/// Runs the job.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut verbose = false;
    let mut format = None;
    let mut paths = Vec::new();
    let mut args = args.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "-v" | "--verbose" => verbose = true,
            "-h" | "--help" => {
                println!(
                    "usage: cargo xtask replay [-v] [--format NAME] [PATH…]   (default: transcripts/)\n\
                     formats: transcript, socat, socat-hex, pyserial-spy, pyserial-raw, interceptty,\n\
                     terminal (tio, picocom, minicom), saleae-logic1, saleae-logic2, prefixed;\n\
                     without --format each file's format is detected from its content"
                );
                return Ok(());
            }
            "--format" => {
                let name = args.next().ok_or("--format needs a format name")?;
                format = Some(name.parse::<import::Format>().map_err(|e| e.to_string())?);
            }
            f if f.starts_with("--format=") => {
                let name = f.trim_start_matches("--format=");
                format = Some(name.parse::<import::Format>().map_err(|e| e.to_string())?);
            }
            p => paths.push(PathBuf::from(p)),
        }
    }
    if paths.is_empty() {
        paths.push(crate::root().join("transcripts"));
    }
    let mut files = Vec::new();
    for p in &paths {
        files.extend(
            cellftp_replay::files::collect(p).map_err(|e| format!("{}: {e}", p.display()))?,
        );
    }
    files.sort();
    if files.is_empty() {
        return Err("no transcripts found".into());
    }
    println!(
        "{:<44} {:>8} {:>9} {:>9} {:>7} {:>5}  result",
        "file", "bytes", "commands", "responses", "unknown", "jobs"
    );
    let (mut failed, mut total_bytes) = (0, 0);
    let started = std::time::Instant::now();
    for file in &files {
        let name = file
            .strip_prefix(crate::root())
            .unwrap_or(file)
            .display()
            .to_string();
        let bytes = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(e) => {
                failed += 1;
                println!("{name:<44} cannot read: {e}");
                continue;
            }
        };
        let imported = match format {
            Some(f) => import::import(f, &name, &bytes),
            None => import::detect_and_import(&name, &bytes),
        };
        let transcript = match imported {
            Ok(i) => {
                if verbose {
                    println!("{name:<44} read as {}", i.format);
                }
                i.transcript
            }
            Err(e) => {
                failed += 1;
                println!("{name:<44} FAILED");
                println!("    {e}");
                continue;
            }
        };
        let report = cellftp_replay::replay(&transcript);
        total_bytes += report.bytes;
        let verdict = if report.passed() { "ok" } else { "FAILED" };
        println!(
            "{name:<44} {:>8} {:>9} {:>9} {:>7} {:>5}  {verdict}",
            report.bytes,
            report.commands.len(),
            report.responses.len(),
            report.unknown_commands + report.unknown_responses,
            report.results.len(),
        );
        for f in &report.failures {
            println!("    {f}");
        }
        for why in transcript.lossy() {
            println!("    lossy: {why}");
        }
        if verbose {
            for line in report.render().lines() {
                println!("    {line}");
            }
        }
        if !report.passed() {
            failed += 1;
        }
    }
    println!(
        "\n{} file(s), {} bytes in {:.1} ms: {} passed, {} failed",
        files.len(),
        total_bytes,
        started.elapsed().as_secs_f64() * 1e3,
        files.len() - failed,
        failed
    );
    if failed > 0 {
        return Err(format!("{failed} file(s) failed"));
    }
    Ok(())
}
