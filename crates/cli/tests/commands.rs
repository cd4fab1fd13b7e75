//! The other commands through the real binary against the fake modem: get
//! `--resume`, ls (table and `--json`), mkdir, rmdir, config (password
//! hidden), raw, and completions; each `--record` replays clean.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::time::Duration;

use common::*;

const LIMIT: Duration = Duration::from_secs(30);

#[test]
fn get_resume_continues_a_partial_file() {
    let home = temp_dir("resume");
    let data: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(home.join("log.bin"), &data[..1234]).unwrap();
    let fake = Fake::new().file("log.bin", &data);
    let server = serve_tcp(&fake);
    let out = run(
        logged_in(&home, &server).args(["--record", "r.cftx", "get", "log.bin", "--resume"]),
        LIMIT,
    );
    assert_exit(&out, 0);
    assert_eq!(std::fs::read(home.join("log.bin")).unwrap(), data);
    assert!(fake.commands().contains(&"AT+FTPRESET=1234\r".to_owned()));
    let said = text(&out.stdout);
    assert!(said.contains("(resumed at byte 1234)"), "{said}");
    let transcript = assert_replays(&home.join("r.cftx"));
    assert!(transcript.contains("! get log.bin offset=1234"));
}

#[test]
fn get_to_stdout_and_into_a_directory() {
    let home = temp_dir("stdout");
    let fake = Fake::new().file("a.txt", b"hello\r\n\0");
    let server = serve_tcp(&fake);
    let out = run(logged_in(&home, &server).args(["get", "a.txt", "-"]), LIMIT);
    assert_exit(&out, 0);
    assert_eq!(out.stdout, b"hello\r\n\0");
    assert!(text(&out.stderr).starts_with("downloaded a.txt to stdout"));

    std::fs::create_dir(home.join("in")).unwrap();
    let server = serve_pty(&fake);
    let out = run(
        logged_in(&home, &server).args(["-q", "get", "a.txt", "in"]),
        LIMIT,
    );
    assert_exit(&out, 0);
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    assert_eq!(
        std::fs::read(home.join("in/a.txt")).unwrap(),
        b"hello\r\n\0"
    );
}

#[test]
fn ls_as_a_table_and_as_json() {
    let home = temp_dir("ls");
    let fake = Fake::new()
        .file("up/a.bin", &[0; 12])
        .file("up/notes.txt", b"hello");
    fake.state.lock().unwrap().dirs.insert("up/sub".into());
    let server = serve_tcp(&fake);
    let out = run(
        logged_in(&home, &server).args(["--record", "ls.cftx", "ls", "/up"]),
        LIMIT,
    );
    assert_exit(&out, 0);
    let table = text(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "{table}");
    assert!(
        lines[0].starts_with("TYPE") && lines[0].ends_with("NAME"),
        "{table}"
    );
    assert!(
        lines[1].starts_with("drwxr-xr-x") && lines[1].ends_with(" sub"),
        "{table}"
    );
    assert!(lines[2].contains(" 12  Sep 30 01:52  a.bin"), "{table}");
    assert!(lines[3].ends_with("  notes.txt"), "{table}");
    assert_replays(&home.join("ls.cftx"));

    let server = serve_pty(&fake);
    let out = run(
        logged_in(&home, &server).args(["--path", "/up", "ls", "--json"]),
        LIMIT,
    );
    assert_exit(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["path"], "/up");
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0]["name"], "sub");
    assert_eq!(entries[0]["kind"], "directory");
    assert_eq!(entries[1]["name"], "a.bin");
    assert_eq!(entries[1]["kind"], "file");
    assert_eq!(entries[1]["size"], 12);
    assert_eq!(entries[1]["permissions"], "rw-r--r--");
    assert_eq!(entries[1]["style"], "unix");
    assert_eq!(json["unparsed"].as_array().unwrap().len(), 0);
}

#[test]
fn mkdir_then_rmdir() {
    let home = temp_dir("dirs");
    let fake = Fake::new();
    for (verb, said) in [
        ("mkdir", "created directory logs"),
        ("rmdir", "removed directory logs"),
    ] {
        let server = serve_tcp(&fake);
        let record = format!("{verb}.cftx");
        let out = run(
            logged_in(&home, &server).args(["--record", &record, verb, "logs"]),
            LIMIT,
        );
        assert_exit(&out, 0);
        assert_eq!(text(&out.stdout).trim(), said);
        assert_replays(&home.join(&record));
    }
    assert!(fake.state.lock().unwrap().dirs.is_empty());
}

#[test]
fn config_hides_the_password() {
    let home = temp_dir("config");
    let fake = Fake::new();
    let server = serve_pty(&fake);
    // No server, user or password needed.
    let out = run(
        cellftp(&home)
            .args(&server.args)
            .args(["--record", "c.cftx", "config"]),
        LIMIT,
    );
    assert_exit(&out, 0);
    assert_eq!(
        text(&out.stdout),
        "+FTPMODE: 1\nSERVER:198.51.100.7:21\nUSER:demo\nPASSWORD: <redacted>\n"
    );
    let transcript = assert_replays(&home.join("c.cftx"));
    assert!(!transcript.contains(PASSWORD));
}

#[test]
fn raw_prints_the_answer() {
    let home = temp_dir("raw");
    let fake = Fake::new();
    let server = serve_tcp(&fake);
    let out = run(
        cellftp(&home)
            .args(&server.args)
            .args(["--record", "raw.cftx", "raw", "AT+FTPSCON"]),
        LIMIT,
    );
    assert_exit(&out, 0);
    assert_eq!(
        text(&out.stdout),
        "+FTPSCON ：\n+FTPMODE: 1\nSERVER:198.51.100.7:21\nUSER:demo\nPASSWORD: <redacted>\nOK\n"
    );
    assert_eq!(fake.commands(), ["AT+FTPSCON\r"]);
    let transcript = assert_replays(&home.join("raw.cftx"));
    assert!(!transcript.contains(PASSWORD));

    // A refused command: the answer line, exit 3.
    let server = serve_pty(&fake);
    let out = run(
        cellftp(&home).args(&server.args).args(["raw", "AT+NOPE"]),
        LIMIT,
    );
    assert_exit(&out, 3);
    assert_eq!(
        text(&out.stderr),
        "cellftp: the modem refused AT+NOPE: ERROR\n"
    );
}

#[test]
fn raw_refuses_more_than_one_line() {
    let home = temp_dir("raw-bad");
    for bad in ["AT\rATZ", "AT+CSQ\n", "ATD123;\u{1a}", "+CSQ"] {
        // No modem is needed to refuse it: nothing is opened.
        let out = run(
            cellftp(&home).args(["--tcp", "127.0.0.1:9", "raw", bad]),
            LIMIT,
        );
        assert_exit(&out, 1);
        assert!(
            text(&out.stderr).starts_with("cellftp: not one AT command line: "),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn completions_for_each_shell() {
    let home = temp_dir("completions");
    for (shell, marker) in [
        ("bash", "_cellftp()"),
        ("zsh", "#compdef cellftp"),
        ("fish", "complete -c cellftp"),
    ] {
        let out = run(cellftp(&home).args(["completions", shell]), LIMIT);
        assert_exit(&out, 0);
        assert!(text(&out.stdout).contains(marker), "{shell}");
    }
}

#[test]
fn every_subcommand_has_help() {
    let home = temp_dir("help");
    for sub in [
        "put",
        "get",
        "ls",
        "mkdir",
        "rmdir",
        "config",
        "raw",
        "completions",
    ] {
        let out = run(cellftp(&home).args([sub, "--help"]), LIMIT);
        assert_exit(&out, 0);
        assert!(text(&out.stdout).contains("Usage: cellftp "), "{sub}");
    }
    let out = run(cellftp(&home).arg("--help"), LIMIT);
    assert_exit(&out, 0);
    let help = text(&out.stdout);
    assert!(help.contains("Exit codes:\n  0  success"), "{help}");
    assert!(help.contains("CELLFTP_SERVER"), "{help}");
}
