//! The password, given through each channel — `CELLFTP_PASSWORD`,
//! `--password-file`, the config file's `password-file`, a prompt answered
//! on a terminal — reaches the modem's `AT+FTPPW` and nothing else: not
//! stdout, stderr, the `-v` log, the `--record` file, or an error message;
//! also when the modem echoes it back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

const LIMIT: Duration = Duration::from_secs(30);

/// Checks that the password reached the modem and nowhere else.
fn check(fake: &Fake, out: &Output, home: &Path, password: &str) {
    assert!(
        fake.commands().contains(&format!("AT+FTPPW={password}\r")),
        "{:?}",
        fake.commands()
    );
    for (what, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(!text(bytes).contains(password), "{what}: {}", text(bytes));
    }
    let log = text(&out.stderr);
    assert!(log.contains("> AT+FTPPW=<redacted>\\r"), "{log}");
    let recorded = assert_replays(&home.join("p.cftx"));
    assert!(!recorded.contains(password), "{recorded}");
    assert!(recorded.contains("> AT+FTPPW=<redacted>\\r"), "{recorded}");
}

fn put_with(fake: &Fake, home: &Path, setup: impl FnOnce(&mut std::process::Command)) -> Output {
    std::fs::write(home.join("f.txt"), b"data").unwrap();
    let server = serve_tcp(fake);
    let mut cmd = cellftp(home);
    cmd.args(&server.args)
        .args(login())
        .args(["-v", "--record", "p.cftx", "put", "f.txt"]);
    setup(&mut cmd);
    run(&mut cmd, LIMIT)
}

#[test]
fn from_the_environment() {
    let fake = Fake::new();
    let home = temp_dir("pw-env");
    let out = put_with(&fake, &home, |c| {
        c.env("CELLFTP_PASSWORD", PASSWORD);
    });
    assert_exit(&out, 0);
    check(&fake, &out, &home, PASSWORD);
}

#[test]
fn from_a_file_echoed_by_the_modem() {
    let fake = Fake::with(Faults {
        echo: true,
        ..Faults::default()
    });
    let home = temp_dir("pw-file");
    std::fs::write(home.join("pw"), format!("{PASSWORD}\r\nnot this line\n")).unwrap();
    let out = put_with(&fake, &home, |c| {
        // The flag outranks the environment.
        c.args(["--password-file", "pw"])
            .env("CELLFTP_PASSWORD", "not-this-one");
    });
    assert_exit(&out, 0);
    check(&fake, &out, &home, PASSWORD);
    let log = text(&out.stderr);
    assert!(log.contains("< AT+FTPPW=<redacted>"), "{log}");
}

#[test]
fn from_the_config_files_password_file() {
    let fake = Fake::new();
    let home = temp_dir("pw-config");
    std::fs::create_dir_all(home.join(".config/cellftp")).unwrap();
    std::fs::write(home.join("secret"), PASSWORD).unwrap();
    std::fs::write(
        home.join(".config/cellftp/config.toml"),
        format!("password-file = {:?}\n", home.join("secret")),
    )
    .unwrap();
    let out = put_with(&fake, &home, |_| {});
    assert_exit(&out, 0);
    check(&fake, &out, &home, PASSWORD);
}

#[test]
fn not_in_the_error_when_refused() {
    let fake = Fake::new();
    let home = temp_dir("pw-refused");
    let out = put_with(&fake, &home, |c| {
        c.env("CELLFTP_PASSWORD", "Wr0ng-Secret");
    });
    assert_exit(&out, 3);
    check(&fake, &out, &home, "Wr0ng-Secret");
}

#[test]
fn from_a_prompt_on_the_terminal() {
    let fake = Fake::new();
    let home = temp_dir("pw-prompt");
    std::fs::write(home.join("f.txt"), b"data").unwrap();
    let server = serve_tcp(&fake);
    // The child's controlling terminal is a PTY (setsid --ctty on its
    // stdin); the test types at the other end.
    let (mut master, tty) = open_pty();
    let slave = std::fs::File::options()
        .read(true)
        .write(true)
        .open(&tty)
        .unwrap();
    let cmd = cellftp(&home);
    let program = cmd.get_program().to_owned();
    let mut child = std::process::Command::new("setsid")
        .arg("--ctty")
        .arg(program)
        .args(&server.args)
        .args(login())
        .args(["-v", "--record", "p.cftx", "put", "f.txt"])
        .env_clear()
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .current_dir(&home)
        .stdin(slave)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    rustix::fs::fcntl_setfl(&master, rustix::fs::OFlags::NONBLOCK).unwrap();
    let mut screen = Vec::new();
    let started = Instant::now();
    let mut typed = false;
    let mut buf = [0u8; 256];
    while child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < LIMIT,
            "hung; terminal: {}",
            text(&screen)
        );
        match master.read(&mut buf) {
            Ok(n) => screen.extend_from_slice(&buf[..n]),
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
        // Typed once the prompt is shown and echo is off, as a person would
        // (typing before that would be echoed by any terminal).
        let echo_off = || {
            let t = rustix::termios::tcgetattr(&master).unwrap();
            !t.local_modes.contains(rustix::termios::LocalModes::ECHO)
        };
        if !typed && text(&screen).contains("Password for demo at 198.51.100.7: ") && echo_off() {
            master
                .write_all(format!("{PASSWORD}\n").as_bytes())
                .unwrap();
            typed = true;
        }
    }
    while let Ok(n) = master.read(&mut buf) {
        if n == 0 {
            break;
        }
        screen.extend_from_slice(&buf[..n]);
    }
    let out = child.wait_with_output().unwrap();
    assert!(typed, "no prompt; terminal: {}", text(&screen));
    assert_exit(&out, 0);
    // Not echoed on the terminal either.
    assert!(!text(&screen).contains(PASSWORD), "{}", text(&screen));
    check(&fake, &out, &home, PASSWORD);
}

#[test]
fn no_terminal_and_no_password_is_a_usage_error() {
    let fake = Fake::new();
    let home = temp_dir("pw-none");
    std::fs::write(home.join("f.txt"), b"data").unwrap();
    let server = serve_tcp(&fake);
    let out = run(
        std::process::Command::new("setsid")
            .arg(env!("CARGO_BIN_EXE_cellftp"))
            .args(&server.args)
            .args(login())
            .args(["put", "f.txt"])
            .env_remove("CELLFTP_PASSWORD")
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .current_dir(&home)
            .stdin(Stdio::null()),
        LIMIT,
    );
    assert_exit(&out, 1);
    assert_eq!(
        text(&out.stderr),
        "cellftp: no password: set CELLFTP_PASSWORD, give --password-file FILE, or run cellftp in a terminal to be asked for it\n"
    );
}
