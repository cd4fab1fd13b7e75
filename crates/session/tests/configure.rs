#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The configure job: port, mode, server, user, password, type and path, in
//! the manual's order, and what `AT+FTPSERV` answers: a result code line or
//! none, each failure code, and no code carried over to the next connect.

#[macro_use]
mod harness;

use cellftp_proto::{CommandName, Mode, ServCode, TransferType};
use cellftp_session::{FtpConfig, Link, ModemError, Outcome};
use harness::*;

#[test]
fn configure_with_path_default_port_active_ascii() {
    let mut h = Harness::default();
    let job = h.queue(|s| {
        s.configure(&FtpConfig {
            server: "ftp.example.com",
            port: None,
            mode: Mode::Active,
            transfer_type: TransferType::Ascii,
            user: "anonymous",
            password: "guest@example.com",
            path: Some("/pub/docs"),
        })
    });
    exchange!(h, b"AT+FTPMODE=0\r" => OK);
    exchange!(h, b"AT+FTPSERV=ftp.example.com\r" => b"\r\n+FTPSERV:0\r\n\r\nOK\r\n");
    exchange!(h, b"AT+FTPUN=anonymous\r" => OK);
    exchange!(h, b"AT+FTPPW=guest@example.com\r" => OK);
    exchange!(h, b"AT+FTPTYPE=A\r" => OK);
    exchange!(h, b"AT+FTPPATH=/pub/docs\r" => OK);
    events!(h, ok(job, Outcome::Configured));
    assert_eq!(h.session.link(), Link::Up);
    h.end();
}

#[test]
fn serv_without_a_code_line_is_success() {
    let mut h = Harness::default();
    let job = h.queue(|s| s.configure(&MANUAL_FTP));
    exchange!(h, b"AT+FTPPORT=15881\r" => OK);
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => OK);
    exchange!(h, b"AT+FTPUN=xs\r" => OK);
    exchange!(h, b"AT+FTPPW=123\r" => OK);
    exchange!(h, b"AT+FTPTYPE=I\r" => OK);
    events!(h, ok(job, Outcome::Configured));
    h.end();
}

#[test]
fn serv_codes() {
    let cases: [(&[u8], &[u8], ModemError); 9] = [
        (b"1", OK, ModemError::Serv(ServCode::PdpNotActive)),
        (b"2", OK, ModemError::Serv(ServCode::BadAddress)),
        (b"3", OK, ModemError::Serv(ServCode::Unreachable)),
        (b"4", OK, ModemError::Serv(ServCode::ConnectTimeout)),
        (b"5", OK, ModemError::Serv(ServCode::Refused)),
        (b"17", OK, ModemError::Serv(ServCode::Other(17))),
        (b"999", OK, ModemError::Serv(ServCode::Other(999))),
        // A failure code wins over the final result.
        (b"3", ERROR, ModemError::Serv(ServCode::Unreachable)),
        // Success, then a failure final result: the final result.
        (b"0", ERROR, ModemError::Error),
    ];
    for (code, last, error) in cases {
        let mut h = Harness::default();
        let job = h.queue(|s| s.configure(&MANUAL_FTP));
        exchange!(h, b"AT+FTPPORT=15881\r" => OK);
        exchange!(h, b"AT+FTPMODE=1\r" => OK);
        recv!(h, b"AT+FTPSERV=47.104.157.10\r");
        send!(h, &[b"\r\n+FTPSERV:", code, b"\r\n", last].concat());
        events!(h, failed(job, modem(CommandName::FtpServ, error)));
        assert!(modem(CommandName::FtpServ, error).needs_configure());
        assert_eq!(h.session.link(), Link::Down);
        h.end();
    }
}

#[test]
fn a_serv_code_is_not_carried_over_to_the_next_connect() {
    let mut h = Harness::default();
    let first = h.queue(|s| s.configure(&MANUAL_FTP));
    exchange!(h, b"AT+FTPPORT=15881\r" => OK);
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => b"\r\n+FTPSERV:4\r\n\r\nERROR\r\n");
    events!(
        h,
        failed(
            first,
            modem(
                CommandName::FtpServ,
                ModemError::Serv(ServCode::ConnectTimeout)
            )
        )
    );
    // A plain `OK` to the next connect is success: the old code is gone.
    let second = h.queue(|s| s.configure(&MANUAL_FTP));
    exchange!(h, b"AT+FTPPORT=15881\r" => OK);
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => OK);
    exchange!(h, b"AT+FTPUN=xs\r" => OK);
    exchange!(h, b"AT+FTPPW=123\r" => OK);
    exchange!(h, b"AT+FTPTYPE=I\r" => OK);
    events!(h, ok(second, Outcome::Configured));
    h.end();
}
