//! Where settings come from: flags over environment variables over the
//! config file (the default one in the config folder, or `--config`), for
//! the FTP connection and for where the modem is.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::time::Duration;

use common::*;

const LIMIT: Duration = Duration::from_secs(30);

/// The settings commands the fake modem saw.
fn seen(fake: &Fake) -> Vec<String> {
    fake.commands()
        .into_iter()
        .filter(|c| {
            [
                "AT+FTPSERV=",
                "AT+FTPMODE=",
                "AT+FTPTYPE=",
                "AT+FTPPATH=",
                "AT+FTPUN=",
                "AT+FTPPORT=",
            ]
            .iter()
            .any(|p| c.starts_with(p))
        })
        .map(|c| c.trim_end().to_owned())
        .collect()
}

/// A home folder whose default config file (in the config folder) is
/// `file`.
fn home_with_config(name: &str, file: &str) -> std::path::PathBuf {
    let home = temp_dir(name);
    std::fs::create_dir_all(home.join(".config/cellftp")).unwrap();
    std::fs::write(home.join(".config/cellftp/config.toml"), file).unwrap();
    home
}

/// `cellftp mkdir d` run in `home` against a fake modem on TCP (the
/// address from the environment, which outranks a file's device), with
/// the password and `env` in the environment: the settings commands the
/// modem saw, once the run has succeeded.
fn mkdir_over_tcp(home: &std::path::Path, env: &[(&str, &str)]) -> Vec<String> {
    let fake = Fake::new();
    let server = serve_tcp(&fake);
    let mut cmd = cellftp(home);
    cmd.env("CELLFTP_TCP", &server.args[1])
        .env("CELLFTP_PASSWORD", PASSWORD)
        .envs(env.iter().copied())
        .args(["mkdir", "d"]);
    let out = run(&mut cmd, LIMIT);
    assert_exit(&out, 0);
    seen(&fake)
}

#[test]
fn flags_over_environment_over_file() {
    let file = "server = \"file.example\"\nuser = \"fileuser\"\nmode = \"active\"\ntype = \"ascii\"\npath = \"/f\"\nport = 2121\ndevice = \"/dev/ttyNOPE3\"\n";
    let home = home_with_config("settings", file);

    // The file alone (the default one).
    assert_eq!(
        mkdir_over_tcp(&home, &[]),
        [
            "AT+FTPPORT=2121",
            "AT+FTPMODE=0",
            "AT+FTPSERV=file.example",
            "AT+FTPUN=fileuser",
            "AT+FTPTYPE=A",
            "AT+FTPPATH=/f"
        ]
    );

    // The environment over the file.
    let env = [
        ("CELLFTP_SERVER", "env.example"),
        ("CELLFTP_MODE", "passive"),
        ("CELLFTP_PORT", "21"),
    ];
    assert_eq!(
        mkdir_over_tcp(&home, &env),
        [
            "AT+FTPPORT=21",
            "AT+FTPMODE=1",
            "AT+FTPSERV=env.example",
            "AT+FTPUN=fileuser",
            "AT+FTPTYPE=A",
            "AT+FTPPATH=/f"
        ]
    );

    // Flags over both; --config names another file.
    std::fs::write(home.join("other.toml"), "user = \"other\"\n").unwrap();
    let fake = Fake::new();
    let server = serve_pty(&fake);
    let out = run(
        cellftp(&home)
            .env("CELLFTP_TCP", "127.0.0.1:9")
            .env("CELLFTP_PASSWORD", PASSWORD)
            .env("CELLFTP_SERVER", "env.example")
            .args(&server.args)
            .args([
                "--config",
                "other.toml",
                "--server",
                "198.51.100.9",
                "--type",
                "binary",
            ])
            .args(["mkdir", "d"]),
        LIMIT,
    );
    assert_exit(&out, 0);
    assert_eq!(
        seen(&fake),
        [
            "AT+FTPMODE=1",
            "AT+FTPSERV=198.51.100.9",
            "AT+FTPUN=other",
            "AT+FTPTYPE=I"
        ]
    );
}

#[test]
fn the_file_can_say_where_the_modem_is() {
    let home = temp_dir("settings-device");
    let fake = Fake::new();
    let server = serve_pty(&fake);
    std::fs::write(
        home.join("c.toml"),
        format!("device = {:?}\nbaud = 9600\n", server.args[1]),
    )
    .unwrap();
    let out = run(cellftp(&home).args(["--config", "c.toml", "config"]), LIMIT);
    assert_exit(&out, 0);
    assert_eq!(fake.commands(), ["AT+FTPSCON\r"]);
}

/// The config file the README shows is read as it says: written as the
/// default file, with the modem reached over TCP from the environment
/// (which outranks the file's device) and the password from the
/// environment (the file's `password-file` does not exist here).
#[test]
fn the_readme_config_example_is_read() {
    const README: &str = include_str!("../../../README.md");
    let example = README
        .split_once("```toml\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("the README shows a config file");
    let home = home_with_config("settings-readme", example);
    assert_eq!(
        mkdir_over_tcp(&home, &[]),
        [
            "AT+FTPPORT=21",
            "AT+FTPMODE=1",
            "AT+FTPSERV=198.51.100.7",
            "AT+FTPUN=logger",
            "AT+FTPTYPE=I",
            "AT+FTPPATH=/upload"
        ]
    );
}
