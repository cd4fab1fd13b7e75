//! The `--html` page in a real browser: headless Chromium loads it from a
//! file (no network) and its DOM shows, per transcript, the two lanes with
//! the host's commands and the modem's answers, errors and unsolicited
//! lines marked, payloads folded.
//!
//! Skipped with a notice when `chromium` is not installed, unless
//! `CELLFTP_REQUIRE_CHROMIUM=1` (as in CI), where it fails instead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::Command;

use cellftp_replay::{html, run, Options};

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn browser(chromium: &Path, profile: &Path, args: &[&str]) -> std::process::Output {
    Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_page_shows_both_lanes_in_chromium() {
    let Some(chromium) = chromium() else {
        if std::env::var("CELLFTP_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") {
            panic!("CELLFTP_REQUIRE_CHROMIUM=1 but chromium is not installed");
        }
        eprintln!("notice: chromium is not installed; the HTML report test is skipped");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../transcripts");
    let files: Vec<PathBuf> = [
        "manual-example.cftx",
        "restart-mid-download.cftx",
        "listing-large.cftx",
        "serv-refused.cftx",
    ]
    .iter()
    .map(|f| root.join(f))
    .collect();
    let options = Options {
        timeline: true,
        ..Options::default()
    };
    let reports = run::check_files(&files, &root, &options, 2, &|| {});
    let page = html::page(&reports);
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "the page loads nothing"
    );
    assert!(!page.contains("FTPPW=123"));

    let dir = std::env::temp_dir().join(format!("cellftp-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.html");
    std::fs::write(&file, &page).unwrap();
    let url = format!("file://{}", file.display());

    let out = browser(&chromium, &dir.join("profile"), &["--dump-dom", &url]);
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // One section and one two-lane timeline per transcript.
    assert_eq!(dom.matches("<section class=\"file").count(), 4, "{dom}");
    assert_eq!(dom.matches("class=\"lane-head lane-host\"").count(), 4);
    assert_eq!(dom.matches("class=\"lane-head lane-modem\"").count(), 4);
    // Commands paired with their results.
    assert!(dom.contains("AT+FTPSERV=47.104.157.10\\r</div><div class=\"modem row\"><span class=\"item info\">\\r\\n+FTPSERV:0</span>"), "{dom}");
    // Errors and unsolicited lines marked; long payloads folded.
    assert!(
        dom.contains("<span class=\"item error\">\\r\\n+FTPSERV:5</span>"),
        "{dom}"
    );
    assert!(
        dom.contains("<span class=\"item unsolicited\">\\r\\nRDY</span>"),
        "{dom}"
    );
    assert!(dom.contains("<details class=\"item payload\">"), "{dom}");
    // A gap drawn where the capture has times.
    assert!(dom.contains("class=\"gap\""), "{dom}");
    // The script ran: the filter is wired (its checkbox exists).
    assert!(dom.contains("id=\"only-failed\""));

    let shot = dir.join("report.png");
    let out = browser(
        &chromium,
        &dir.join("profile"),
        &[
            "--screenshot=".to_owned() + &shot.display().to_string(),
            "--window-size=1200,1600".to_owned(),
            url,
        ]
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>(),
    );
    assert!(out.status.success());
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "a blank screenshot"
    );
    if std::env::var_os("CELLFTP_KEEP_HTML").is_none() {
        std::fs::remove_dir_all(&dir).ok();
    } else {
        eprintln!("kept {}", dir.display());
    }
}
