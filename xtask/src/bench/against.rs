//! `cargo xtask bench --against REV [--samples N]`: the response decoder of
//! the working tree against the one of commit `REV`, both built into one
//! program that decodes streams A and B with each in turn (whole, in reads
//! of 64 bytes, one byte at a time).
//!
//! Two runs of `cargo bench` on a shared machine are minutes apart, and the
//! machine's speed drifts between them by more than most changes are worth.
//! Here each sample of one decoder is paired with a sample of the other
//! taken right before or after it, and the table gives the median of the
//! pairs' ratios beside the ratio of the best samples.
//!
//! `REV`'s `crates/proto` and root manifest are taken with `git archive`
//! into `target/bench-aligned/against/base`, the workspace cut down to that
//! one member and the package renamed `cellftp-proto-base`, so that the two
//! versions can be linked into one program (`against_main.rs`, written next
//! to it with a manifest of its own). It is built as the benchmarks are,
//! with aligned loops.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs the comparison: see the module documentation.
pub(crate) fn run(root: &Path, rev: &str, samples: usize) -> Result<(), String> {
    let dir = super::bench_dir(root).join("against");
    let base = dir.join("base");
    if base.exists() {
        fs::remove_dir_all(&base).map_err(|e| format!("cannot clear {}: {e}", base.display()))?;
    }
    fs::create_dir_all(&base).map_err(|e| format!("cannot create {}: {e}", base.display()))?;
    extract(root, rev, &base)?;

    let manifest = base.join("Cargo.toml");
    let text = read(&manifest)?;
    write(&manifest, &only_member(&text, "crates/proto")?)?;
    let proto = base.join("crates/proto/Cargo.toml");
    write(&proto, &renamed(&read(&proto)?)?)?;

    let harness = dir.join("harness");
    fs::create_dir_all(harness.join("src"))
        .map_err(|e| format!("cannot create {}: {e}", harness.display()))?;
    write(&harness.join("Cargo.toml"), &harness_manifest(root, &base))?;
    write(
        &harness.join("src/main.rs"),
        include_str!("against_main.rs"),
    )?;

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let flags = super::encoded_rustflags(
        std::env::var("CARGO_ENCODED_RUSTFLAGS").ok(),
        std::env::var("RUSTFLAGS").ok(),
    );
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&harness)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("CARGO_ENCODED_RUSTFLAGS", flags)
        .env_remove("RUSTFLAGS")
        .args(["run", "--release", "--quiet", "--"])
        .arg(samples.to_string());
    eprintln!("xtask bench: the working tree against {rev}: {cmd:?}");
    let machine = super::machine::describe();
    let status = cmd.status().map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        println!("\n{machine}");
        Ok(())
    } else {
        Err(format!("the comparison against {rev} failed: {status}"))
    }
}

/// `rev`'s root manifest and `crates/proto`, written under `to`.
fn extract(root: &Path, rev: &str, to: &Path) -> Result<(), String> {
    let archive = Command::new("git")
        .current_dir(root)
        .args([
            "archive",
            "--format=tar",
            rev,
            "--",
            "Cargo.toml",
            "crates/proto",
        ])
        .output()
        .map_err(|e| format!("cannot run git archive: {e}"))?;
    if !archive.status.success() {
        return Err(format!(
            "git archive {rev} failed: {}",
            String::from_utf8_lossy(&archive.stderr).trim()
        ));
    }
    let mut tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(to)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    tar.stdin
        .take()
        .ok_or("tar's input is not open")?
        .write_all(&archive.stdout)
        .map_err(|e| format!("cannot write to tar: {e}"))?;
    let status = tar.wait().map_err(|e| format!("tar failed: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("tar could not unpack {rev}: {status}"))
    }
}

/// The root manifest `text` with `member` as the workspace's only member.
fn only_member(text: &str, member: &str) -> Result<String, String> {
    let start = text
        .find("\nmembers = [")
        .ok_or("the root manifest has no `members = [` line")?
        + 1;
    let end = text[start..]
        .find(']')
        .map(|i| start + i + 1)
        .ok_or("the root manifest's `members` list does not end")?;
    Ok(format!(
        "{}members = [\"{member}\"]{}",
        &text[..start],
        &text[end..]
    ))
}

/// The proto manifest `text` with the package renamed `cellftp-proto-base`.
fn renamed(text: &str) -> Result<String, String> {
    const NAME: &str = "name = \"cellftp-proto\"";
    if !text.contains(NAME) {
        return Err(format!("the proto manifest has no `{NAME}` line"));
    }
    Ok(text.replacen(NAME, "name = \"cellftp-proto-base\"", 1))
}

/// The comparison program's manifest: a workspace of its own.
fn harness_manifest(root: &Path, base: &Path) -> String {
    let path = |p: &Path| p.display().to_string().replace('\\', "/");
    format!(
        "[package]\nname = \"cellftp-bench-against\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n\
         [dependencies]\n\
         new = {{ package = \"cellftp-proto\", path = \"{}\" }}\n\
         base = {{ package = \"cellftp-proto-base\", path = \"{}\" }}\n\
         benches = {{ package = \"cellftp-benches\", path = \"{}\" }}\n",
        path(&root.join("crates/proto")),
        path(&base.join("crates/proto")),
        path(&root.join("benches")),
    )
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_is_cut_to_one_member() {
        let text = "[workspace]\nresolver = \"2\"\nmembers = [\"crates/proto\", \"crates/session\",\n \"xtask\"]\nexclude = [\"fuzz\"]\n";
        assert_eq!(
            only_member(text, "crates/proto").unwrap(),
            "[workspace]\nresolver = \"2\"\nmembers = [\"crates/proto\"]\nexclude = [\"fuzz\"]\n"
        );
        assert!(only_member("[workspace]\n", "crates/proto").is_err());
    }

    #[test]
    fn the_package_is_renamed() {
        let text = "[package]\nname = \"cellftp-proto\"\nversion.workspace = true\n";
        assert_eq!(
            renamed(text).unwrap(),
            "[package]\nname = \"cellftp-proto-base\"\nversion.workspace = true\n"
        );
        assert!(renamed("[package]\nname = \"other\"\n").is_err());
    }
}
