//! `cargo xtask replay`.

/// Runs the job.
pub(crate) fn run(_args: &[String]) -> Result<(), String> {
    Err("not implemented yet".into())
}
