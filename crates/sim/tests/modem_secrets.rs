//! The password in the simulated modems' `Debug` output: never there,
//! whether the host's `AT+FTPPW` line is still buffered, answered and its
//! echo not yet collected, or long done; in both dialects.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::Duration;

use cellftp_sim::{ModemConfig, SimcomModem};

mod common;

use common::modem::Host;

const PASSWORD: &str = "s3cret-Pw";

#[test]
fn the_modems_debug_hides_the_password() {
    let mut host = Host::new(ModemConfig {
        pdp_active: true,
        ..ModemConfig::default()
    });
    host.send(b"AT+FTPSERV=127.0.0.1\rAT+FTPUN=u\r");
    let line = format!("AT+FTPPW={PASSWORD}\r");
    // Half a line: the password sits in the modem's input.
    let (first, rest) = line.as_bytes().split_at(12);
    let _ = host.modem.handle_input(Duration::ZERO, first);
    let debug = format!("{:?}", host.modem);
    assert!(!debug.contains("s3cret"), "{debug}");
    // The whole line, answered, its echo not collected yet.
    let _ = host.modem.handle_input(Duration::ZERO, rest);
    let debug = format!("{:?}", host.modem);
    assert!(!debug.contains("s3cret"), "{debug}");
    assert!(debug.contains("password: Some(<redacted>)"), "{debug}");
    // Logged in and collected; the password is stored for `AT+FTPPW?`.
    host.send(b"");
    host.send(b"AT\r");
    assert!(!format!("{:?}", host.modem).contains("s3cret"));
    assert!(!format!("{:#?}", host.modem).contains("s3cret"));
}

#[test]
fn the_simcom_modems_debug_hides_the_password() {
    let mut modem = SimcomModem::new(ModemConfig {
        pdp_active: true,
        ..ModemConfig::default()
    });
    let line = format!("AT+FTPUN=\"u\"\rAT+FTPPW=\"{PASSWORD}\"\r");
    let _ = modem.handle_input(Duration::ZERO, line.as_bytes());
    let debug = format!("{modem:?}");
    assert!(!debug.contains("s3cret"), "{debug}");
    assert!(debug.contains("password: Some(<redacted>)"), "{debug}");
    while modem.poll_output().is_some() {}
    assert!(!format!("{modem:#?}").contains("s3cret"));
}
