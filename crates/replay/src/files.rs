//! Which files under a path are captures or transcripts to replay: the one
//! rule that `cargo xtask replay` and the benchmarks share.

use std::io;
use std::path::{Path, PathBuf};

/// Names ending so are the corpus' notes, snapshots and the scripts that
/// regrow the captures, not captures.
const SKIPPED_SUFFIXES: [&str; 4] = [".md", ".snap", ".py", ".sh"];

/// Every file to replay under `path`, sorted: `path` itself if it is a
/// file, otherwise the files of its folders, recursively, leaving out
/// hidden entries, `__pycache__`, notes, snapshots and scripts.
///
/// ```
/// let files = cellftp_replay::files::collect(std::path::Path::new("../../transcripts"))?;
/// assert!(files.iter().any(|f| f.ends_with("manual-example.cftx")));
/// assert!(!files.iter().any(|f| f.extension().is_some_and(|e| e == "py")));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn collect(path: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    walk(path, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(path: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path)? {
        let p = entry?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.')
            || name == "__pycache__"
            || SKIPPED_SUFFIXES.iter().any(|s| name.ends_with(s))
        {
            continue;
        }
        walk(&p, out)?;
    }
    Ok(())
}
