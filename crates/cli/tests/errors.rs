//! Every way a run can fail ends in one line on stderr and the documented
//! exit code, in bounded time; the recordings of failed runs replay clean
//! too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::time::Duration;

use common::*;

const LIMIT: Duration = Duration::from_secs(30);

/// Runs `args` (after the modem and login flags) against `fake` over TCP
/// with a recording; checks the exit code and the one error line, and
/// that the recording replays clean.
fn fails(fake: &Fake, args: &[&str], code: i32, line: &str) -> String {
    let home = temp_dir("errors");
    std::fs::write(home.join("f.bin"), b"abc").unwrap();
    let server = serve_tcp(fake);
    let out = run(
        logged_in(&home, &server)
            .args(["--record", "e.cftx"])
            .args(args),
        LIMIT,
    );
    assert_exit(&out, code);
    assert_eq!(text(&out.stderr), format!("cellftp: {line}\n"));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    assert_replays(&home.join("e.cftx"))
}

#[test]
fn missing_device() {
    let home = temp_dir("missing");
    let out = run(
        cellftp(&home).args(["--device", "/dev/ttyNOPE7", "config"]),
        LIMIT,
    );
    assert_exit(&out, 2);
    assert_eq!(
        text(&out.stderr),
        "cellftp: no such device: /dev/ttyNOPE7 (is the modem plugged in? `ls /dev/ttyUSB* /dev/ttyACM*` lists the candidates)\n"
    );
}

#[test]
fn busy_device() {
    let home = temp_dir("busy");
    let (_master, path) = open_pty();
    // Another program holds it, the way serial tools do: an exclusive flock.
    let other = std::fs::File::options()
        .read(true)
        .write(true)
        .open(&path)
        .unwrap();
    rustix::fs::flock(&other, rustix::fs::FlockOperation::NonBlockingLockExclusive).unwrap();
    let out = run(
        cellftp(&home).args(["--device", path.to_str().unwrap(), "config"]),
        LIMIT,
    );
    assert_exit(&out, 2);
    assert_eq!(
        text(&out.stderr),
        format!(
            "cellftp: device {} is busy: another program has it open (a terminal, ModemManager, another cellftp)\n",
            path.display()
        )
    );
}

#[test]
fn refused_tcp_connection() {
    let home = temp_dir("refused-tcp");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let addr = format!("127.0.0.1:{port}");
    let out = run(cellftp(&home).args(["--tcp", &addr, "config"]), LIMIT);
    assert_exit(&out, 2);
    assert_eq!(
        text(&out.stderr),
        format!("cellftp: cannot connect to the modem at {addr}: connection refused (is ser2net listening there?)\n")
    );
}

#[test]
fn server_refused_with_the_code_meaning() {
    for (code, meaning) in [
        (5, "the FTP server refused the connection"),
        (3, "the network or the address is unreachable"),
        (2, "the server address is invalid"),
        (4, "the connection timed out"),
        (9, "an unknown reason"),
    ] {
        let fake = Fake::with(Faults {
            serv_code: Some(code),
            ..Faults::default()
        });
        fails(
            &fake,
            &["put", "f.bin"],
            3,
            &format!("cannot reach 198.51.100.7: {meaning} (FTPSERV code {code})"),
        );
        assert!(fake.stored("f.bin").is_none());
    }
}

#[test]
fn pdp_inactive_brings_the_modem_up_once_and_retries() {
    let fake = Fake::with(Faults {
        pdp_inactive: true,
        ..Faults::default()
    });
    let home = temp_dir("pdp");
    std::fs::write(home.join("f.bin"), b"abc").unwrap();
    let server = serve_pty(&fake);
    let out = run(
        logged_in(&home, &server).args(["--record", "pdp.cftx", "put", "f.bin"]),
        LIMIT,
    );
    assert_exit(&out, 0);
    assert_eq!(fake.stored("f.bin").as_deref(), Some(&b"abc"[..]));
    let commands = fake.commands();
    let serv = commands
        .iter()
        .filter(|c| c.starts_with("AT+FTPSERV="))
        .count();
    assert_eq!(serv, 2, "{commands:?}");
    assert!(commands.contains(&"AT+CGACT=1,1\r".to_owned()));
    let transcript = assert_replays(&home.join("pdp.cftx"));
    assert!(transcript.contains("! bring-up probe=yes echo-off=yes cfun=yes cid=1"));

    // A context that stays down: one bring-up, then the error.
    let fake = Fake::with(Faults {
        serv_code: Some(1),
        ..Faults::default()
    });
    fails(
        &fake,
        &["put", "f.bin"],
        3,
        "cannot reach 198.51.100.7: the modem's PDP context (its data connection) is not active (FTPSERV code 1), even after bringing the modem up (AT+CFUN=1, AT+CGACT=1,1): check the SIM, its APN and the signal",
    );
    let cgact = fake
        .commands()
        .iter()
        .filter(|c| c.starts_with("AT+CGACT"))
        .count();
    assert_eq!(cgact, 1);
}

#[test]
fn bring_up_when_asked() {
    let fake = Fake::new();
    let home = temp_dir("bring-up");
    let server = serve_tcp(&fake);
    let out = run(
        logged_in(&home, &server).args(["--bring-up", "--record", "b.cftx", "mkdir", "x"]),
        LIMIT,
    );
    assert_exit(&out, 0);
    assert_eq!(
        fake.commands()[..4],
        ["AT\r", "ATE0\r", "AT+CFUN=1\r", "AT+CGACT=1,1\r"]
    );
    assert_replays(&home.join("b.cftx"));
}

#[test]
fn bad_password() {
    let fake = Fake::new();
    let home = temp_dir("bad-password");
    let server = serve_tcp(&fake);
    let out = run(
        cellftp(&home)
            .args(&server.args)
            .args(login())
            .env("CELLFTP_PASSWORD", "wrong-Pw-42")
            .args(["--record", "bad.cftx", "ls"]),
        LIMIT,
    );
    assert_exit(&out, 3);
    assert_eq!(
        text(&out.stderr),
        "cellftp: login refused: 198.51.100.7 did not accept user demo with that password (ERROR)\n"
    );
    let transcript = assert_replays(&home.join("bad.cftx"));
    assert!(!transcript.contains("wrong-Pw-42"));
}

#[test]
fn timeout_names_the_command_and_the_time() {
    let fake = Fake::with(Faults {
        silent: Some("AT+FTPMODE"),
        ..Faults::default()
    });
    let started = std::time::Instant::now();
    fails(
        &fake,
        &["ls"],
        4,
        "timed out: the modem did not answer AT+FTPMODE within 5 s",
    );
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[test]
fn modem_restart_during_upload() {
    let fake = Fake::with(Faults {
        restart_on_put: true,
        ..Faults::default()
    });
    fails(
        &fake,
        &["put", "f.bin"],
        5,
        "the modem restarted during AT+FTPPUT: run the command again (with --bring-up if its network is down)",
    );
}

#[test]
fn line_closed_mid_job() {
    let fake = Fake::with(Faults {
        hang_up_on: Some("AT+FTPPUTNAME"),
        ..Faults::default()
    });
    let home = temp_dir("hangup");
    std::fs::write(home.join("f.bin"), b"abc").unwrap();
    let server = serve_tcp(&fake);
    let out = run(
        logged_in(&home, &server).args(["--record", "h.cftx", "put", "f.bin"]),
        LIMIT,
    );
    assert_exit(&out, 2);
    assert_eq!(
        text(&out.stderr),
        "cellftp: the modem closed the connection\n"
    );
    // The recording ends where the line did, and says why.
    let recorded = std::fs::read_to_string(home.join("h.cftx")).unwrap();
    assert!(recorded.contains("# the line failed: "), "{recorded}");
    assert!(recorded.contains("> AT+FTPPUTNAME=f.bin\\r"), "{recorded}");
}

#[test]
fn refused_commands() {
    let fake = Fake::new();
    fails(
        &fake,
        &["rmdir", "nope"],
        3,
        "the modem refused AT+FTPRMD: +CME ERROR 4 (operation not supported)",
    );
    fails(
        &fake,
        &["get", "nope.bin"],
        3,
        "the modem refused AT+FTPGET: +CME ERROR 4 (operation not supported)",
    );
}

#[test]
fn partial_download_says_how_to_resume() {
    let data: Vec<u8> = (0..1000u32).map(|i| i as u8).collect();
    let fake = Fake::with(Faults {
        get_chunk: Some(100),
        get_then_hang_up: Some(3),
        ..Faults::default()
    })
    .file("big.bin", &data);
    let home = temp_dir("partial");
    let server = serve_tcp(&fake);
    let out = run(logged_in(&home, &server).args(["get", "big.bin"]), LIMIT);
    assert_exit(&out, 2);
    assert_eq!(
        text(&out.stderr),
        "cellftp: the modem closed the connection; 300 bytes were written to big.bin: continue with `cellftp get big.bin big.bin --resume`\n"
    );
    assert_eq!(std::fs::read(home.join("big.bin")).unwrap(), &data[..300]);

    // The advice works.
    let fake = Fake::new().file("big.bin", &data);
    let server = serve_pty(&fake);
    let out = run(
        logged_in(&home, &server).args(["get", "big.bin", "big.bin", "--resume"]),
        LIMIT,
    );
    assert_exit(&out, 0);
    assert_eq!(std::fs::read(home.join("big.bin")).unwrap(), data);
}

#[test]
fn local_file_errors() {
    let home = temp_dir("local");
    let fake = Fake::new().file("a.bin", b"abc");
    let server = serve_tcp(&fake);
    let out = run(
        logged_in(&home, &server).args(["put", "missing.bin"]),
        LIMIT,
    );
    assert_exit(&out, 6);
    assert_eq!(
        text(&out.stderr),
        "cellftp: cannot read missing.bin: no such file or directory\n"
    );
    drop(server);

    let server = serve_tcp(&fake);
    let out = run(
        logged_in(&home, &server).args(["get", "a.bin", "no/such/dir/a.bin"]),
        LIMIT,
    );
    assert_exit(&out, 6);
    assert_eq!(
        text(&out.stderr),
        "cellftp: cannot write no/such/dir/a.bin: no such file or directory\n"
    );

    // The --record file cannot be written: the job ran, the exit is 6.
    let server = serve_tcp(&fake);
    let out = run(
        logged_in(&home, &server).args(["--record", "no/such/dir/r.cftx", "mkdir", "d"]),
        LIMIT,
    );
    assert_exit(&out, 6);
    assert_eq!(
        text(&out.stderr),
        "cellftp: cannot write no/such/dir/r.cftx: no such file or directory\n"
    );
}

#[test]
fn usage_errors() {
    let home = temp_dir("usage");
    let cases: &[(&[&str], &str)] = &[
        (
            &["ls"],
            "cellftp: no FTP server: give --server HOST, set CELLFTP_SERVER, or `server` in ",
        ),
        (
            &["--server", "h", "ls"],
            "cellftp: no user name: give --user USER, set CELLFTP_USER, or `user` in ",
        ),
        (
            &["--server", "h", "--user", "u", "ls"],
            "cellftp: where is the modem? Give --device PATH",
        ),
        (
            &["--device", "/dev/null", "--tcp", "h:1", "config"],
            "cellftp: both a device and a TCP address are given (--device and --tcp): use one\n",
        ),
        (
            &["--tcp", "127.0.0.1:9", "get", "a", "-", "--resume"],
            "cellftp: --resume needs a local file to continue, not stdout\n",
        ),
        (&["--bogus"], "error: unexpected argument '--bogus' found"),
        (
            &["put"],
            "error: the following required arguments were not provided:",
        ),
        (
            &["--mode", "sideways", "ls"],
            "error: invalid value 'sideways' for '--mode <MODE>'",
        ),
    ];
    for (args, start) in cases {
        let out = run(cellftp(&home).args(*args), LIMIT);
        assert_exit(&out, 1);
        let err = text(&out.stderr);
        assert!(err.starts_with(start), "{args:?}: {err}");
        assert_eq!(
            err.trim_end().lines().count() == 1,
            start.starts_with("cellftp"),
            "{err}"
        );
    }
}

#[test]
fn invalid_remote_names_are_refused_before_sending() {
    let fake = Fake::new();
    let home = temp_dir("invalid-name");
    std::fs::write(home.join("f.bin"), b"abc").unwrap();
    let server = serve_tcp(&fake);
    let out = run(
        logged_in(&home, &server).args(["put", "f.bin", "a\"b"]),
        LIMIT,
    );
    assert_exit(&out, 1);
    let err = text(&out.stderr);
    assert!(err.starts_with("cellftp: invalid parameter: "), "{err}");
    assert!(!fake
        .commands()
        .iter()
        .any(|c| c.starts_with("AT+FTPPUTNAME")));
}

#[test]
fn config_file_errors() {
    let home = temp_dir("config-file");
    std::fs::write(home.join("bad.toml"), "server = 5\n").unwrap();
    std::fs::write(home.join("pw.toml"), "password = \"x\"\n").unwrap();
    std::fs::write(home.join("typo.toml"), "sever = \"x\"\n").unwrap();
    for (file, start) in [
        (
            "bad.toml",
            "cellftp: config file bad.toml: invalid type: integer `5`, expected a string",
        ),
        (
            "pw.toml",
            "cellftp: config file pw.toml: a password does not belong in the config file",
        ),
        (
            "typo.toml",
            "cellftp: config file typo.toml: unknown field `sever`",
        ),
        (
            "none.toml",
            "cellftp: config file none.toml: no such file or directory",
        ),
    ] {
        let out = run(cellftp(&home).args(["--config", file, "config"]), LIMIT);
        assert_exit(&out, 1);
        let err = text(&out.stderr);
        assert!(err.starts_with(start), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn raw_timeout() {
    let fake = Fake::with(Faults {
        silent: Some("AT+CSQ"),
        ..Faults::default()
    });
    let home = temp_dir("raw-timeout");
    let server = serve_tcp(&fake);
    let out = run(
        cellftp(&home)
            .args(&server.args)
            .args(["raw", "AT+CSQ", "--timeout", "0.5"]),
        LIMIT,
    );
    assert_exit(&out, 4);
    assert_eq!(
        text(&out.stderr),
        "cellftp: timed out: no final result to AT+CSQ within 0.5 s\n"
    );
}

#[test]
fn stdout_that_cannot_be_written_is_an_error() {
    let cases: &[&[&str]] = &[
        &["ls"],
        &["ls", "--json"],
        &["config"],
        &["raw", "AT"],
        &["raw", "AT+FTPSCON"],
        &["mkdir", "d"],
    ];
    for args in cases {
        let fake = Fake::new().file("a.bin", b"abc");
        let home = temp_dir("stdout-full");
        let server = serve_tcp(&fake);
        let full = std::fs::File::options()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let child = logged_in(&home, &server)
            .args(["--record", "r.cftx"])
            .args(*args)
            .stdout(full)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            (out.status.code(), text(&out.stderr).as_str()),
            (
                Some(6),
                "cellftp: cannot write the output to stdout: no space left on device\n"
            ),
            "{args:?}"
        );
        // The session is recorded all the same.
        let transcript = assert_replays(&home.join("r.cftx"));
        assert!(
            transcript.contains("cannot write the output to stdout"),
            "{transcript}"
        );
    }
}

#[test]
fn bad_names_and_paths_are_refused_before_the_modem_is_opened() {
    // The manual's modem: not one command line reaches it.
    let cases: &[&[&str]] = &[
        &["put", "f.bin", "a\rb"],
        &["get", "a\"b"],
        &["ls", ""],
        &["mkdir", ""],
        &["rmdir", "a\nb"],
        &["--path", "x\ry", "ls"],
    ];
    for args in cases {
        let fake = Fake::new();
        let home = temp_dir("bad-name");
        std::fs::write(home.join("f.bin"), b"abc").unwrap();
        let server = serve_tcp(&fake);
        let out = run(logged_in(&home, &server).args(*args), LIMIT);
        assert_exit(&out, 1);
        let err = text(&out.stderr);
        assert!(
            err.starts_with("cellftp: invalid parameter: "),
            "{args:?}: {err}"
        );
        assert!(
            fake.commands().is_empty(),
            "{args:?}: {:?}",
            fake.commands()
        );
    }
    // SIMCom: refused before the (absent) modem is even connected to.
    let cases: &[(&[&str], &str)] = &[
        (&["put", "f.bin", "a\"b"], "cellftp: invalid parameter: "),
        (&["get", "a\"b"], "cellftp: invalid parameter: "),
        (&["--path", "x\"y", "ls"], "cellftp: invalid parameter: "),
        (&["rm", "a\rb"], "cellftp: invalid parameter: "),
        (&["ls", ""], "cellftp: the directory name given is empty\n"),
        (
            &["mkdir", ""],
            "cellftp: the directory name given is empty\n",
        ),
        (
            &["put", "missing.bin"],
            "cellftp: cannot read missing.bin: ",
        ),
    ];
    let home = temp_dir("bad-name-simcom");
    std::fs::write(home.join("f.bin"), b"abc").unwrap();
    for (args, start) in cases {
        let out = run(
            cellftp(&home)
                .args(["--tcp", "127.0.0.1:9", "--dialect", "simcom"])
                .args(login())
                .env("CELLFTP_PASSWORD", PASSWORD)
                .args(*args),
            LIMIT,
        );
        let err = text(&out.stderr);
        assert!(err.starts_with(start), "{args:?}: {err}");
        assert_ne!(out.status.code(), Some(2), "{args:?}: {err}");
    }
}
