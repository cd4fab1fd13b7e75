//! The `--html` report: one self-contained page (inline CSS and script, no
//! network) with, per file, its verdict, findings, jobs, and a two-lane
//! timeline — the host's commands on the left, the modem's answers on the
//! right, one row per exchange, gaps drawn to scale where the capture has
//! times, errors and unsolicited lines highlighted, long payloads folded
//! in `<details>`.
//!
//! Every text on the page comes from a [`FileReport`], whose bytes were
//! redacted by [`crate::redact_passwords`], and is HTML-escaped here.

use std::fmt::Write as _;

use crate::check::{Exchange, FileReport};
use crate::run::Summary;

/// Runs of payload items longer than this (in escaped characters) are
/// folded.
const FOLD: usize = 80;

const STYLE: &str = r#"
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}
h1{font-size:1.4em}h2{font-size:1.1em;margin:0}
.file{background:#fff;border:1px solid #ddd;border-radius:6px;margin:1em 0;padding:.8em 1em}
.file.failed{border-color:#c33}
.verdict{font-weight:bold;padding:0 .4em;border-radius:3px}
.verdict.ok{background:#d6f5d6}.verdict.failed{background:#f8d0d0}
.diag{font-family:monospace;margin:.2em 0}
.diag.error{color:#b00}.diag.warning{color:#a60}.diag.note{color:#555}
table.jobs{border-collapse:collapse;margin:.5em 0}
table.jobs td,table.jobs th{border:1px solid #ddd;padding:2px 6px;text-align:left;font-size:13px}
tr.job-failed td{background:#fdecec}
.timeline{display:grid;grid-template-columns:5em 1fr 1fr;gap:0;margin-top:.6em}
.lane-head{font-weight:bold;border-bottom:2px solid #999;padding:2px 6px}
.t{color:#777;font-size:12px;padding:2px 4px;text-align:right;font-family:monospace}
.host,.modem{font-family:monospace;font-size:12px;padding:2px 6px;border-bottom:1px solid #eee;white-space:pre-wrap;word-break:break-all}
.host{background:#eef4ff}.modem{background:#f4fff0}
.item{display:block}
.item.error{background:#f8c8c8;color:#800;font-weight:bold}
.item.unsolicited{background:#fff0b3}
.item.unknown{background:#eee;color:#a00}
.item.echo{color:#888}
.gap{grid-column:1/4;border-left:3px dotted #bbb;margin-left:2.5em;color:#888;font-size:11px;padding-left:6px;display:flex;align-items:center}
summary{cursor:pointer;color:#335}
"#;

const SCRIPT: &str = r#"
document.addEventListener('DOMContentLoaded',function(){
  var b=document.getElementById('only-failed');
  if(!b)return;
  b.addEventListener('change',function(){
    document.querySelectorAll('.file.passed').forEach(function(f){f.style.display=b.checked?'none':'';});
  });
});
"#;

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// The page for `reports` (built with [`crate::Options::timeline`] set).
pub fn page(reports: &[FileReport]) -> String {
    let summary = Summary::of(reports);
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>cellftp replay</title><style>{STYLE}</style><script>{SCRIPT}</script></head><body>\n<h1>cellftp replay</h1>\n<p id=\"summary\">{} files: {} passed, {} failed; {} commands, {} bytes, {} jobs ({} failed). <label><input type=\"checkbox\" id=\"only-failed\"> only failed files</label></p>\n",
        summary.files,
        summary.passed,
        summary.failed,
        summary.commands,
        summary.bytes,
        summary.jobs,
        summary.failed_jobs
    );
    for r in reports {
        file(&mut s, r);
    }
    s.push_str("</body></html>\n");
    s
}

fn file(s: &mut String, r: &FileReport) {
    let state = if r.passed { "passed" } else { "failed" };
    let verdict = if r.passed { "ok" } else { "FAILED" };
    let _ = writeln!(
        s,
        "<section class=\"file {state}\" data-path=\"{}\"><h2><span class=\"verdict {}\">{verdict}</span> {} <small>({})</small></h2>",
        esc(&r.path),
        if r.passed { "ok" } else { "failed" },
        esc(&r.path),
        esc(r.format.unwrap_or("unknown format"))
    );
    for d in &r.diagnostics {
        let at = match (d.line, d.col) {
            (Some(l), Some(c)) => format!(":{l}:{c}"),
            (Some(l), None) => format!(":{l}"),
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "<div class=\"diag {}\">{}: {}{} — {}</div>",
            d.severity.as_str(),
            d.severity.as_str(),
            esc(&r.path),
            at,
            esc(&d.message)
        );
    }
    if !r.jobs.is_empty() {
        s.push_str(
            "<table class=\"jobs\"><tr><th>#</th><th>job</th><th>line</th><th>result</th></tr>\n",
        );
        for (i, j) in r.jobs.iter().enumerate() {
            let result = match (&j.outcome, &j.error) {
                (Some(o), _) => esc(o),
                (None, Some(e)) => format!("<b>{}</b> {}", esc(e.code), esc(&e.message)),
                (None, None) => String::new(),
            };
            let _ = writeln!(
                s,
                "<tr class=\"{}\"><td>{i}</td><td>{}</td><td>{}</td><td>{result}</td></tr>",
                if j.ok { "job-ok" } else { "job-failed" },
                esc(&j.spec),
                j.line.map(|l| l.to_string()).unwrap_or_default()
            );
        }
        s.push_str("</table>\n");
    }
    timeline(s, &r.timeline);
    s.push_str("</section>\n");
}

fn timeline(s: &mut String, rows: &[Exchange]) {
    if rows.is_empty() {
        return;
    }
    s.push_str("<div class=\"timeline\"><div class=\"lane-head\">time</div><div class=\"lane-head lane-host\">host</div><div class=\"lane-head lane-modem\">modem</div>\n");
    let mut last: Option<u64> = None;
    for x in rows {
        if let (Some(t), Some(prev)) = (x.time_ms, last) {
            let gap = t.saturating_sub(prev);
            if gap >= 100 {
                // Logarithmic: 100 ms is a sliver, a minute a tall gap.
                let height = (f64::from(u32::try_from(gap).unwrap_or(u32::MAX)).log10() * 12.0)
                    .clamp(4.0, 120.0);
                let _ = writeln!(
                    s,
                    "<div class=\"gap\" style=\"height:{height:.0}px\">{} s</div>",
                    format_secs(gap)
                );
            }
        }
        if x.time_ms.is_some() {
            last = x.time_ms;
        }
        let t = x.time_ms.map(format_secs).unwrap_or_default();
        let host = x.host.as_deref().map(esc).unwrap_or_default();
        let _ = write!(
            s,
            "<div class=\"t\">{t}</div><div class=\"host row\" data-line=\"{}\">{host}</div><div class=\"modem row\">",
            x.line
        );
        // Runs of payload items longer than FOLD are folded together.
        let mut items = x.modem.iter().peekable();
        while let Some(item) = items.next() {
            if item.class == "payload" {
                let mut run = vec![item];
                while let Some(next) = items.next_if(|i| i.class == "payload") {
                    run.push(next);
                }
                let len: usize = run.iter().map(|i| i.text.len()).sum();
                if len > FOLD {
                    let head: String = run
                        .first()
                        .map(|i| i.text.chars().take(40).collect())
                        .unwrap_or_default();
                    let _ = write!(
                        s,
                        "<details class=\"item payload\"><summary>{}… ({} items, {len} chars)</summary>",
                        esc(&head),
                        run.len()
                    );
                    for i in &run {
                        let _ = write!(s, "<span class=\"item payload\">{}</span>", esc(&i.text));
                    }
                    s.push_str("</details>");
                    continue;
                }
                for i in run {
                    let _ = write!(s, "<span class=\"item payload\">{}</span>", esc(&i.text));
                }
                continue;
            }
            let _ = write!(
                s,
                "<span class=\"item {}\">{}</span>",
                item.class,
                esc(&item.text)
            );
        }
        s.push_str("</div>\n");
    }
    s.push_str("</div>\n");
}

fn format_secs(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}
