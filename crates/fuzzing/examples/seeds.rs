//! Writes the seed corpus: `fuzz/corpus/<target>/seed-<name>` for every seed
//! of `cellftp_fuzzing::seeds()`, removing `seed-*` files that are no longer
//! generated. Other files in the corpus directories are left alone.
//!
//! ```text
//! cargo run -p cellftp-fuzzing --example seeds
//! ```

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.ancestors().nth(2).unwrap_or(manifest);
    let corpus = root.join("fuzz").join("corpus");
    match write(&corpus) {
        Ok(n) => {
            println!("wrote {n} seeds under {}", corpus.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("seeds: {e}");
            ExitCode::FAILURE
        }
    }
}

fn write(corpus: &Path) -> std::io::Result<usize> {
    let seeds = cellftp_fuzzing::seeds();
    for target in cellftp_fuzzing::TARGETS {
        let dir = corpus.join(target);
        std::fs::create_dir_all(&dir)?;
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let stale = name
                .strip_prefix("seed-")
                .is_some_and(|n| !seeds.iter().any(|s| s.target == target && s.name == n));
            if stale {
                std::fs::remove_file(&path)?;
            }
        }
    }
    for seed in &seeds {
        let path = corpus.join(seed.target).join(format!("seed-{}", seed.name));
        std::fs::write(path, &seed.bytes)?;
    }
    Ok(seeds.len())
}
