//! The terminal UI as a person sees it, in tmux: an upload at a throttled
//! rate draws a progress bar (bytes, rate, ETA) while it runs, and leaves
//! one clean result line when done. Skipped, with a notice, where tmux is
//! missing (`.ci/run` installs it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::*;

/// Runs tmux on the test's own server socket.
fn tmux(socket: &str, args: &[&str]) -> String {
    let out = Command::new("tmux")
        .args(["-L", socket])
        .args(args)
        .output()
        .unwrap();
    text(&out.stdout)
}

/// Polls the pane until `done` holds for it, or `limit` passes.
fn wait_for(socket: &str, limit: Duration, done: impl Fn(&str) -> bool) -> Option<String> {
    let started = Instant::now();
    while started.elapsed() < limit {
        let pane = tmux(socket, &["capture-pane", "-p", "-t", "ui"]);
        if done(&pane) {
            return Some(pane);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

#[test]
fn progress_bar_then_a_clean_final_line() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!(
            "NOTICE: tmux is not installed; the terminal UI test is skipped (apt-get install tmux)"
        );
        return;
    }
    let home = temp_dir("tmux");
    let data: Vec<u8> = (0..48 * 1024u32).map(|i| (i % 253) as u8).collect();
    std::fs::write(home.join("big.bin"), &data).unwrap();
    std::fs::write(home.join("pw"), PASSWORD).unwrap();
    let fake = Fake::with(Faults {
        put_delay: Duration::from_millis(25),
        ..Faults::default()
    });
    let server = serve_tcp(&fake);
    let socket = format!("cellftp-test-{}", std::process::id());
    let command = format!(
        "cd {home} && env -u CELLFTP_PASSWORD HOME={home} XDG_CONFIG_HOME={home}/.config {bin} {modem} --server 198.51.100.7 --user demo --password-file pw put big.bin; echo EXIT=$?; sleep 60",
        home = home.display(),
        bin = env!("CARGO_BIN_EXE_cellftp"),
        modem = server.args.join(" "),
    );
    tmux(
        &socket,
        &[
            "new-session",
            "-d",
            "-s",
            "ui",
            "-x",
            "100",
            "-y",
            "8",
            &command,
        ],
    );
    let during = wait_for(&socket, Duration::from_secs(20), |p| {
        p.contains("ETA") && p.contains("KiB/48.00 KiB")
    });
    let after = wait_for(&socket, Duration::from_secs(60), |p| p.contains("EXIT="));
    tmux(&socket, &["kill-server"]);
    drop(server);

    let during = during.expect("no progress bar was drawn");
    println!("during:\n{during}");
    let bar = during.lines().find(|l| l.contains("ETA")).unwrap();
    assert!(bar.starts_with("big.bin ["), "{bar}");
    assert!(bar.contains("KiB/48.00 KiB"), "{bar}");
    assert!(bar.contains("/s ETA "), "{bar}");

    let after = after.expect("the upload did not end");
    println!("after:\n{after}");
    let lines: Vec<&str> = after.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 2, "{after}");
    assert!(
        lines[0].starts_with("uploaded big.bin to big.bin: 48.00 KiB in "),
        "{after}"
    );
    assert_eq!(lines[1], "EXIT=0");
    assert_eq!(fake.stored("big.bin").unwrap(), data);
}
