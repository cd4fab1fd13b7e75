//! Which files under a path are captures or transcripts to replay: the one
//! rule that `cargo xtask replay` and the benchmarks share.

use std::io;
use std::path::{Path, PathBuf};

/// Names ending so are the corpus' notes, snapshots and the scripts that
/// regrow the captures, not captures.
const SKIPPED_SUFFIXES: [&str; 4] = [".md", ".snap", ".py", ".sh"];

/// What a walk found: the files to replay, and the symbolic links to
/// folders it did not follow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// The files to replay, sorted.
    pub files: Vec<PathBuf>,
    /// Symbolic links to folders met inside the walk, not followed (a
    /// link can point back up and make the walk endless), sorted.
    pub skipped_links: Vec<PathBuf>,
}

/// Every file to replay under `path`, sorted: `path` itself if it is a
/// file, otherwise the files of its folders, recursively, leaving out
/// hidden entries, `__pycache__`, notes, snapshots and scripts. Symbolic
/// links to folders inside `path` are not followed; see [`find`] for which.
///
/// ```
/// let files = cellftp_replay::files::collect(std::path::Path::new("../../transcripts"))?;
/// assert!(files.iter().any(|f| f.ends_with("manual-example.cftx")));
/// assert!(!files.iter().any(|f| f.extension().is_some_and(|e| e == "py")));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn collect(path: &Path) -> io::Result<Vec<PathBuf>> {
    find(path).map(|f| f.files)
}

/// Like [`collect`], and also says which symbolic links to folders it did
/// not follow. `path` itself is followed if it is a link.
pub fn find(path: &Path) -> io::Result<Found> {
    let mut found = Found::default();
    walk(path, &mut found)?;
    found.files.sort();
    found.skipped_links.sort();
    Ok(found)
}

fn walk(path: &Path, found: &mut Found) -> io::Result<()> {
    if !path.is_dir() {
        found.files.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let p = entry.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.')
            || name == "__pycache__"
            || SKIPPED_SUFFIXES.iter().any(|s| name.ends_with(s))
        {
            continue;
        }
        if entry.file_type()?.is_symlink() && p.is_dir() {
            found.skipped_links.push(p);
            continue;
        }
        walk(&p, found)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_to_folders_are_not_followed() {
        let dir = std::env::temp_dir().join(format!("cellftp-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/one.cftx"), "").unwrap();
        // A link back up: followed, the walk would find the file again
        // through it until the path is too long.
        std::os::unix::fs::symlink("..", dir.join("sub/up")).unwrap();
        let found = find(&dir);
        let files = collect(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(files.unwrap(), [dir.join("sub/one.cftx")]);
        assert_eq!(found.unwrap().skipped_links, [dir.join("sub/up")]);
    }
}
