//! `cellftp sim --serve-dir DIR`: started as the README shows, its printed
//! command line parsed and run (ls, then put and get with the same flags),
//! then stopped with SIGINT: a clean exit, and a `--pty PATH` link
//! removed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{assert_exit, cellftp, run, temp_dir, text};

const LIMIT: Duration = Duration::from_secs(20);

/// Starts `cellftp sim ARGS`; returns it and the printed `talk to it:`
/// command line, split into the environment and the arguments.
fn start(home: &std::path::Path, args: &[&str]) -> (Child, Vec<(String, String)>, Vec<String>) {
    let mut child = cellftp(home)
        .arg("sim")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = Instant::now();
    let line = loop {
        assert!(started.elapsed() < LIMIT, "no command line printed");
        let line = lines.next().expect("sim printed its command line").unwrap();
        if let Some(cmd) = line.strip_prefix("talk to it: ") {
            break cmd.to_owned();
        }
    };
    // Keep reading, so the pipe never fills.
    std::thread::spawn(move || lines.for_each(drop));
    let mut words = line.split_whitespace();
    let mut env = Vec::new();
    let mut argv = Vec::new();
    for w in words.by_ref() {
        match w.split_once('=') {
            Some((k, v)) if w != "cellftp" => env.push((k.to_owned(), v.to_owned())),
            _ => {
                assert_eq!(w, "cellftp", "{line}");
                break;
            }
        }
    }
    argv.extend(words.map(str::to_owned));
    assert_eq!(argv.last().map(String::as_str), Some("ls"), "{line}");
    argv.pop();
    (child, env, argv)
}

/// SIGINT, then a clean exit within the limit.
fn interrupt(mut child: Child) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "sim exited with {status}");
            return;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            panic!("sim did not stop on SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn demo(via: &[&str], tag: &str) {
    let home = temp_dir(tag);
    let served = home.join("served");
    std::fs::create_dir(&served).unwrap();
    let mut args = vec!["--serve-dir", served.to_str().unwrap()];
    args.extend(via);
    let (child, env, argv) = start(&home, &args);
    let cmd = |extra: &[&str]| {
        let mut c = cellftp(&home);
        c.args(&argv).args(extra);
        for (k, v) in &env {
            c.env(k, v);
        }
        run(&mut c, LIMIT)
    };
    std::fs::write(home.join("hello.txt"), b"hello from cellftp\n").unwrap();
    let out = cmd(&["put", "hello.txt"]);
    assert_exit(&out, 0);
    assert_eq!(
        std::fs::read(served.join("hello.txt")).unwrap(),
        b"hello from cellftp\n"
    );
    let out = cmd(&["ls"]);
    assert_exit(&out, 0);
    assert!(
        text(&out.stdout).contains("hello.txt"),
        "{}",
        text(&out.stdout)
    );
    let out = cmd(&["get", "hello.txt", "back.txt"]);
    assert_exit(&out, 0);
    assert_eq!(
        std::fs::read(home.join("back.txt")).unwrap(),
        b"hello from cellftp\n"
    );
    interrupt(child);
}

#[test]
fn the_demo_over_tcp() {
    demo(&["--tcp", "127.0.0.1:0"], "demo-tcp");
}

#[test]
fn the_demo_on_a_pty_link() {
    let link = temp_dir("demo-link").join("modem");
    demo(&["--pty", link.to_str().unwrap()], "demo-pty");
    assert!(
        std::fs::symlink_metadata(&link).is_err(),
        "the --pty link was not removed"
    );
}

#[test]
fn pty_path_that_is_a_regular_file_is_refused() {
    let home = temp_dir("sim-pty-file");
    let serve = temp_dir("sim-pty-file-ftp");
    std::fs::write(home.join("notes.txt"), b"keep me").unwrap();
    let out = run(
        cellftp(&home).args([
            "sim",
            "--serve-dir",
            serve.to_str().unwrap(),
            "--pty",
            "notes.txt",
        ]),
        std::time::Duration::from_secs(20),
    );
    assert_exit(&out, 1);
    assert_eq!(
        text(&out.stderr),
        "cellftp sim: --pty notes.txt exists and is not a symbolic link: it is left alone (remove it or give another path)\n"
    );
    assert_eq!(std::fs::read(home.join("notes.txt")).unwrap(), b"keep me");
}

#[test]
fn stdout_that_cannot_be_written_stops_the_simulator_cleanly() {
    let home = temp_dir("sim-full");
    let serve = temp_dir("sim-full-ftp");
    for args in [&["--tcp", "127.0.0.1:0"][..], &["--pty", "modem-link"][..]] {
        let full = std::fs::File::options()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let child = cellftp(&home)
            .args(["sim", "--serve-dir", serve.to_str().unwrap()])
            .args(args)
            .stdout(full)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            (out.status.code(), text(&out.stderr).as_str()),
            (
                Some(6),
                "cellftp sim: cannot write the output to stdout: no space left on device\n"
            ),
            "{args:?}"
        );
        assert!(std::fs::symlink_metadata(home.join("modem-link")).is_err());
    }
}
