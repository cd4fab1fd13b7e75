//! What the SIMCom scenario tests share: the modem's framing, a configured
//! session's script, and the drive through
//! [`cellftp_session::testing::run_simcom`].
#![allow(dead_code, unreachable_pub)]

use cellftp_session::simcom::{FtpConfig, Session};
use cellftp_session::testing::{run_simcom, ScriptedModem, SimcomLog};
use cellftp_session::{Instant, Mode};

/// `\r\nOK\r\n`.
pub const OK: &[u8] = b"\r\nOK\r\n";

/// `\r\n<line>\r\n`.
pub fn line(l: &str) -> Vec<u8> {
    format!("\r\n{l}\r\n").into_bytes()
}

/// The server of `SPEC-simcom.md` §5.2.
pub const FTP: FtpConfig<'static> = FtpConfig {
    server: "ftp.example.com",
    port: 21,
    user: "user",
    password: "secret",
    mode: Mode::Passive,
};

/// The configure job's exchanges for [`FTP`].
pub fn expect_configure(modem: &mut ScriptedModem) {
    modem
        .expect(b"AT+FTPCID=1\r", OK)
        .expect(b"AT+FTPSERV=\"ftp.example.com\"\r", OK)
        .expect(b"AT+FTPPORT=21\r", OK)
        .expect(b"AT+FTPUN=\"user\"\r", OK)
        .expect(b"AT+FTPPW=\"secret\"\r", OK)
        .expect(b"AT+FTPMODE=1\r", OK);
}

/// The resynchronisation's exchanges (`SPEC-simcom.md` §6 item 32): probe
/// `n` sets the download name `cellftp-sync-<n>` and asks it back.
pub fn expect_resync(modem: &mut ScriptedModem, n: u32) {
    let set = format!("AT+FTPGETNAME=\"cellftp-sync-{n}\"\r");
    let answer = [&line(&format!("+FTPGETNAME: \"cellftp-sync-{n}\""))[..], OK].concat();
    modem
        .expect(set.as_bytes(), OK)
        .expect(b"AT+FTPGETNAME?\r", &answer);
}

/// Runs `session` against `modem` from time 0 and checks that the script
/// was played out exactly.
pub fn run(
    session: &mut Session,
    modem: &mut ScriptedModem,
    upload: &[u8],
) -> (Instant, SimcomLog) {
    let (end, log) = run_simcom(session, modem, upload, Instant::from_millis(0), 100_000).unwrap();
    assert!(
        modem.mismatches().is_empty(),
        "{:#?}\n{:#?}",
        modem.mismatches(),
        log.events
    );
    assert!(
        modem.is_done(),
        "script not played out: {modem:?}\n{:#?}",
        log.events
    );
    (end, log)
}

/// The password never shows but in its own command line.
pub fn assert_no_password(session: &Session, log: &SimcomLog, password: &str) {
    let debug = format!("{session:?} {log:?}");
    let shown = debug.matches(password).count();
    // The transmitted lines are in the log: only those carrying it.
    let carrying = log
        .transmitted
        .iter()
        .filter(|t| String::from_utf8_lossy(t).contains(password))
        .count();
    for t in &log.transmitted {
        let text = String::from_utf8_lossy(t);
        if text.contains(password) {
            assert!(
                text.starts_with("AT+FTPPW=") || text.starts_with("AT+SAPBR=3,"),
                "{text}"
            );
        }
    }
    for e in &log.events {
        assert!(!e.contains(password), "{e}");
    }
    assert!(shown <= carrying, "{debug}");
}
