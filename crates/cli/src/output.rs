//! What the user sees besides errors: result lines (not with `-q`), and the
//! transfer progress bar, drawn on stderr only when stderr is a terminal
//! and neither `-q` nor `-v` is given (the AT log would tear it).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::CliError;

/// How the command talks to the user.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    /// `-q`: errors only.
    pub(crate) quiet: bool,
    /// Draw progress bars.
    pub(crate) progress: bool,
}

impl Output {
    /// The output for `quiet` and `verbose`, with the bar on if stderr is a
    /// terminal.
    pub(crate) fn new(quiet: bool, verbose: u8) -> Self {
        Self {
            quiet,
            progress: !quiet && verbose == 0 && std::io::stderr().is_terminal(),
        }
    }

    /// Prints a result line on stdout, unless quiet. Stdout that cannot
    /// be written is an error ([`CliError::Stdout`]).
    pub(crate) fn say(&self, line: &str) -> Result<(), CliError> {
        if self.quiet {
            return Ok(());
        }
        print(&format!("{line}\n"))
    }

    /// Prints a result line on stderr, unless quiet (when stdout carries
    /// data).
    pub(crate) fn say_aside(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }

    /// A progress bar for a transfer of `total` bytes (unknown for
    /// downloads), starting at `start`; drawn from the first byte on.
    pub(crate) fn progress(&self, label: &str, total: Option<u64>, start: u64) -> Progress {
        Progress {
            enabled: self.progress,
            label: label.to_owned(),
            total,
            start,
            bar: None,
        }
    }
}

/// Writes `text` to stdout and flushes it; a failure is
/// [`CliError::Stdout`] (never a panic, as `print!` would).
pub(crate) fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(CliError::Stdout)
}

/// `text` safe to print on a terminal: control characters but the tab
/// (escape sequences, CR, BEL, …) as `\xHH`.
pub(crate) fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\t' {
            out.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// A transfer's progress bar; nothing when disabled.
pub(crate) struct Progress {
    enabled: bool,
    label: String,
    total: Option<u64>,
    start: u64,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// `n` more bytes moved.
    pub(crate) fn add(&mut self, n: u64) {
        if !self.enabled {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let (bar, template) = match self.total {
                Some(total) => (
                    ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
                    "{msg} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}",
                ),
                None => (
                    ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
                    "{msg} {spinner} {bytes} {binary_bytes_per_sec} {elapsed}",
                ),
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(self.label.clone());
            bar.set_position(self.start);
            bar.reset_eta();
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        bar.inc(n);
    }

    /// Removes the bar, leaving the line clean for the result.
    pub(crate) fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// `1.00 MiB in 12.3 s (83.2 KiB/s)`.
pub(crate) fn summary(bytes: u64, started: Instant) -> String {
    let secs = started.elapsed().as_secs_f64();
    let rate = if secs > 0.0 {
        // Bytes per second, rounded down to a whole byte for display.
        HumanBytes((bytes as f64 / secs) as u64).to_string()
    } else {
        HumanBytes(bytes).to_string()
    };
    format!("{} in {secs:.1} s ({rate}/s)", HumanBytes(bytes))
}
