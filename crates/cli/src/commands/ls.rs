//! `cellftp ls [PATH]`: the server's directory listing, parsed, as a table
//! or (`--json`) as a JSON object `{"path", "entries", "unparsed"}`.

use std::fmt::Write as _;

use cellftp_replay::JobSpec;
use cellftp_session::driver::Handler;
use cellftp_session::proto::listing::{Entry, ListingStyle};
use cellftp_session::{EntryKind, Event, JobId, ListingError};
use clap::Args;
use serde::Serialize;

use super::Ctx;
use crate::error::CliError;

/// `ls`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct LsArgs {
    /// The directory [default: --path's, or the login directory].
    pub(crate) path: Option<String>,
    /// Print JSON: an object with "path", "entries" (each with "name",
    /// "kind", "size", "date", "permissions", "link_target", "style") and
    /// "unparsed" (the lines in no known format).
    #[arg(long)]
    pub(crate) json: bool,
}

/// One entry, owned.
#[derive(Debug, Serialize)]
struct Item {
    name: String,
    /// `file`, `directory`, `symlink` or `other`.
    kind: &'static str,
    size: Option<u64>,
    date: String,
    permissions: Option<String>,
    link_target: Option<String>,
    /// `unix` or `dos`.
    style: &'static str,
}

/// The listing.
#[derive(Debug, Serialize)]
pub(crate) struct Listing {
    path: Option<String>,
    entries: Vec<Item>,
    /// Lines in no known format (the `total` line is left out).
    unparsed: Vec<String>,
}

/// Lists.
pub(crate) fn run(args: &LsArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    crate::runner::check(|s| s.list(args.path.as_deref()))?;
    let (ftp, mut modem, password) = ctx.login()?;
    let mut listing = Listing::new(args.path.clone().or_else(|| ftp.path.clone()));
    modem.ftp_job(
        &ftp,
        &password,
        ctx.settings.bring_up,
        |s| s.list(args.path.as_deref()),
        JobSpec::List(args.path.clone()),
        &mut listing,
    )?;
    drop(password);
    listing.print(args.json, ctx.out.quiet)
}

impl Handler for Listing {
    fn event(&mut self, event: &Event<'_>) {
        if let Event::ListLine { line, entry, .. } = event {
            self.add(line, entry);
        }
    }

    fn fill(&mut self, _job: JobId, _buf: &mut [u8]) -> usize {
        0
    }
}

impl Listing {
    /// A new listing of `path`.
    pub(crate) fn new(path: Option<String>) -> Self {
        Self {
            path,
            entries: Vec::new(),
            unparsed: Vec::new(),
        }
    }

    /// One line of the listing, parsed or not.
    pub(crate) fn add(&mut self, line: &[u8], entry: &Result<Entry<'_>, ListingError>) {
        {
            match entry {
                Ok(e) => self.entries.push(Item {
                    name: text(e.name),
                    kind: match e.kind {
                        EntryKind::File => "file",
                        EntryKind::Directory => "directory",
                        EntryKind::Symlink => "symlink",
                        _ => "other",
                    },
                    size: e.size,
                    date: text(e.date),
                    permissions: e.permissions.map(text),
                    link_target: e.link_target.map(text),
                    style: match e.style {
                        ListingStyle::Unix => "unix",
                        _ => "dos",
                    },
                }),
                Err(ListingError::Total | ListingError::Empty) => {}
                Err(_) => self.unparsed.push(text(line).trim_end().to_owned()),
            }
        }
    }

    /// Prints the listing: JSON with `json`, else a table unless quiet.
    pub(crate) fn print(&self, json: bool, quiet: bool) -> Result<(), CliError> {
        if json {
            let text = serde_json::to_string_pretty(self)
                .map_err(|e| CliError::Usage(format!("cannot write JSON: {e}")))?;
            crate::output::print(&format!("{text}\n"))?;
        } else if !quiet {
            crate::output::print(&table(self))?;
        }
        Ok(())
    }
}

/// Bytes from the server as text (invalid UTF-8 shown as U+FFFD).
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The listing as an aligned table: type, permissions, size, date, name.
/// What came from the server has its control characters escaped, as
/// `raw` shows them: a name cannot drive the terminal.
fn table(listing: &Listing) -> String {
    let esc = crate::output::escape_controls;
    let rows: Vec<[String; 4]> = listing
        .entries
        .iter()
        .map(|e| {
            let kind = match e.kind {
                "directory" => 'd',
                "symlink" => 'l',
                "file" => '-',
                _ => '?',
            };
            let perms = esc(e.permissions.as_deref().unwrap_or_default());
            let size = match (e.kind, e.size) {
                ("directory", None) => "<DIR>".to_owned(),
                (_, Some(s)) => s.to_string(),
                (_, None) => String::new(),
            };
            let name = match &e.link_target {
                Some(t) => format!("{} -> {}", esc(&e.name), esc(t)),
                None => esc(&e.name),
            };
            [format!("{kind}{perms}"), size, esc(&e.date), name]
        })
        .collect();
    let width = |i: usize| {
        rows.iter()
            .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0).max(4), width(1).max(4), width(2).max(4));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<w0$}  {:>w1$}  {:<w2$}  NAME",
        "TYPE", "SIZE", "DATE"
    );
    for [kind, size, date, name] in &rows {
        let _ = writeln!(out, "{kind:<w0$}  {size:>w1$}  {date:<w2$}  {name}");
    }
    for line in &listing.unparsed {
        let _ = writeln!(out, "? {}", esc(line));
    }
    out
}
