//! `AT+FTPSERV` in the simulated modem (`SPEC.md` §3.9): code 1 without
//! an active PDP context (no connection is tried), the backend's failure
//! codes passed on as `+FTPSERV:<code>` and `ERROR`, the connection's
//! settings as the host set them; and `AT+FTPSCON`, which shows the
//! configuration with the password hidden.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use cellftp_proto::{Mode, Response, ServCode};
use cellftp_sim::{FtpOp, FtpResult, ModemConfig};
use common::modem::{items, succeed, Host};

fn pdp_off() -> Host {
    Host::new(ModemConfig {
        echo: false,
        pdp_active: false,
        ..ModemConfig::default()
    })
}

#[test]
fn code_1_when_the_pdp_context_is_inactive() {
    let mut host = pdp_off();
    let out = host.send(b"AT+FTPSERV=127.0.0.1\r");
    assert_eq!(out, b"\r\n+FTPSERV:1\r\n\r\nERROR\r\n");
    assert_eq!(
        items(&out),
        [
            Response::ServResult(ServCode::PdpNotActive),
            Response::Error
        ]
    );
    assert!(host.ops.is_empty(), "no connection is tried");
    // Activated, it connects with the port and mode set before.
    assert_eq!(
        host.send(b"AT+CGACT=1,1\rAT+FTPPORT=2121\rAT+FTPMODE=1\r"),
        b"\r\nOK\r\n\r\nOK\r\n\r\nOK\r\n"
    );
    assert_eq!(
        host.send(b"AT+FTPSERV=ftp.example.com\r"),
        b"\r\n+FTPSERV:0\r\n\r\nOK\r\n"
    );
    assert_eq!(
        host.ops,
        [FtpOp::Connect {
            host: "ftp.example.com".into(),
            port: 2121,
            mode: Mode::Passive
        }]
    );
    // Deactivated, the connection is gone and code 1 again.
    assert_eq!(host.send(b"AT+CGACT=0,1\r"), b"\r\nOK\r\n");
    assert_eq!(
        host.send(b"AT+FTPSERV=ftp.example.com\r"),
        b"\r\n+FTPSERV:1\r\n\r\nERROR\r\n"
    );
}

fn refuse(op: &FtpOp) -> Option<FtpResult> {
    match op {
        FtpOp::Connect { port, .. } => Some(FtpResult::ServFailed(ServCode::from_code(*port))),
        other => succeed(other),
    }
}

#[test]
fn the_backends_failure_codes_are_passed_on() {
    for code in [2u16, 3, 4, 5] {
        let mut host = Host::answering(
            ModemConfig {
                echo: false,
                pdp_active: true,
                ..ModemConfig::default()
            },
            refuse,
        );
        host.send(format!("AT+FTPPORT={code}\r").as_bytes());
        let out = host.send(b"AT+FTPSERV=127.0.0.1\r");
        assert_eq!(
            out,
            format!("\r\n+FTPSERV:{code}\r\n\r\nERROR\r\n").as_bytes(),
            "code {code}"
        );
        // Not connected: a login is refused without asking the server.
        let asked = host.ops.len();
        assert_eq!(
            host.send(b"AT+FTPUN=u\rAT+FTPPW=p\r"),
            b"\r\nOK\r\n\r\nERROR\r\n"
        );
        assert_eq!(host.ops.len(), asked);
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn ftpscon_shows_the_password_hidden() {
    let mut host = Host::logged_in();
    let out = host.send(b"AT+FTPSCON\r");
    let text = out.escape_ascii().to_string();
    assert!(contains(&out, b"\r\n+FTPPW: <hidden>\r\n"), "{text}");
    assert!(!contains(&out, b"secret-pw"), "{text}");
    assert!(text.starts_with("\\r\\n+FTPSCON\\r\\n"), "{text}");
    assert!(text.ends_with("\\r\\nOK\\r\\n"), "{text}");
    // Echo on, the command's echo shows nothing either.
    host.send(b"ATE1\r");
    let out = host.send(b"AT+FTPSCON\r");
    assert!(!contains(&out, b"secret-pw"));
    assert!(out.starts_with(b"AT+FTPSCON\r\r\n+FTPSCON\r\n"));
}
