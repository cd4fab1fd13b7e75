//! What many scripted tests share: the manual's bring-up and FTP
//! connection, the exchanges that bring a session to where a test starts,
//! and short constructors for the events and errors they check.
//!
//! A helper here stands for a prefix of a test's exchange, never for the
//! part a test is about: each one plays literal command lines and literal
//! answers, as a test would.

use cellftp_proto::listing::{EntryKind, ListingError};
use cellftp_proto::{CommandName, Mode, TransferType};
use cellftp_session::{BringUp, FtpConfig, JobError, Link, ModemError, Outcome, ProtocolError};

use super::{data, failed, ok, Ev, Harness, Listed};

/// The final result `OK`.
pub const OK: &[u8] = b"\r\nOK\r\n";
/// The final result `ERROR`.
pub const ERROR: &[u8] = b"\r\nERROR\r\n";

/// The manual's bring-up: no probe, echo left as it is.
pub const MANUAL_BRING_UP: BringUp = BringUp {
    probe: false,
    echo_off: false,
    full_functionality: true,
    pdp_context: Some(1),
};

/// The manual's FTP connection.
pub const MANUAL_FTP: FtpConfig<'static> = FtpConfig {
    server: "47.104.157.10",
    port: Some(15881),
    mode: Mode::Passive,
    transfer_type: TransferType::Binary,
    user: "xs",
    password: "123",
    path: None,
};

/// The manual's listing line (48 bytes).
pub const LISTING_LINE: &str = "-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt";

// ------------------------------------------------------------------ events

/// `Ev::ListLine`.
pub fn list_line(job: u32, line: &str, entry: Result<Listed, ListingError>) -> Ev {
    Ev::ListLine {
        job,
        line: line.into(),
        entry,
    }
}

/// A listing entry for a file of `size` bytes.
pub fn file(name: &str, size: u64) -> Result<Listed, ListingError> {
    Ok(Listed {
        kind: EntryKind::File,
        size: Some(size),
        name: name.into(),
    })
}

/// `JobError::Modem`.
pub fn modem(command: CommandName, error: ModemError) -> JobError {
    JobError::Modem { command, error }
}

/// `Ev::Done` for a job whose `command` timed out.
pub fn timed_out(job: u32, command: CommandName) -> Ev {
    failed(job, JobError::Timeout { command })
}

/// `JobError::Protocol`.
pub fn protocol(command: CommandName, error: ProtocolError) -> JobError {
    JobError::Protocol { command, error }
}

// ---------------------------------------------------------------- exchanges

/// Runs the configure job of the manual's example, answered as in the
/// example.
pub fn manual_configure(h: &mut Harness, job: u32) {
    exchange!(h, b"AT+FTPPORT=15881\r" => OK);
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => b"\r\n+FTPSERV:0\r\n\r\nOK\r\n");
    exchange!(h, b"AT+FTPUN=xs\r" => OK);
    exchange!(h, b"AT+FTPPW=123\r" => OK);
    exchange!(h, b"AT+FTPTYPE=I\r" => OK);
    events!(h, ok(job, Outcome::Configured));
    assert_eq!(h.session.link(), Link::Up);
}

/// A session brought up and configured as in the manual; the next job is
/// number 2.
pub fn configured() -> Harness {
    let mut h = Harness::default();
    let up = h.queue(|s| s.bring_up(MANUAL_BRING_UP));
    exchange!(h, b"AT+CFUN=1\r" => OK);
    exchange!(h, b"AT+CGACT=1,1\r" => OK);
    events!(h, ok(up, Outcome::BroughtUp));
    let conf = h.queue(|s| s.configure(&MANUAL_FTP));
    manual_configure(&mut h, conf);
    h
}

/// Configures the manual's connection with transfer type ASCII.
pub fn configure_ascii(h: &mut Harness) {
    let conf = h.queue(|s| {
        s.configure(&FtpConfig {
            transfer_type: TransferType::Ascii,
            ..MANUAL_FTP
        })
    });
    exchange!(h, b"AT+FTPPORT=15881\r" => OK);
    exchange!(h, b"AT+FTPMODE=1\r" => OK);
    exchange!(h, b"AT+FTPSERV=47.104.157.10\r" => b"\r\n+FTPSERV:0\r\n\r\nOK\r\n");
    exchange!(h, b"AT+FTPUN=xs\r" => OK);
    exchange!(h, b"AT+FTPPW=123\r" => OK);
    exchange!(h, b"AT+FTPTYPE=A\r" => OK);
    events!(h, ok(conf, Outcome::Configured));
}

/// A resumed get of `12.txt` from 2 (3 bytes), with the commands given.
pub fn resumed_get(h: &mut Harness, commands: &[&[u8]]) {
    let job = h.queue(|s| s.get("12.txt", 2));
    for command in commands {
        exchange!(h, command => OK);
    }
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:3,345\r\n\r\nOK\r\n");
    events!(
        h,
        data(job, 2, b"345"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 2,
                bytes: 3
            }
        )
    );
}

/// A put of one chunk `12345` to `12.txt`, with the commands given first.
pub fn put_12345(h: &mut Harness, commands: &[&[u8]]) {
    let job = h.queue(|s| s.put("12.txt"));
    for command in commands {
        exchange!(h, command => OK);
    }
    events!(h, Ev::PutReady { job, max: 512 });
    h.send_data(b"12345");
    exchange!(h, b"AT+FTPPUT=5,12345\r" => OK);
    events!(h, Ev::PutReady { job, max: 512 });
    h.finish_put();
    exchange!(h, b"AT+FTPPUT=0\r" => OK);
    events!(h, ok(job, Outcome::Uploaded { bytes: 5 }));
}

/// A whole-file get of `12.txt` (5 bytes), with the commands given.
pub fn whole_get(h: &mut Harness, commands: &[&[u8]]) {
    let job = h.queue(|s| s.get("12.txt", 0));
    for command in commands {
        exchange!(h, command => OK);
    }
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:5,12345\r\n\r\nOK\r\n");
    events!(
        h,
        data(job, 0, b"12345"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: 5
            }
        )
    );
}

/// The resynchronisation after a lost command (`SPEC.md` §5): the session
/// sets the download name to `cellftp-sync-<n>` and asks it back; the
/// modem answers both.
#[track_caller]
pub fn resync(h: &mut Harness) {
    let line = h.next_tx();
    let name = line
        .strip_prefix(b"AT+FTPGETNAME=cellftp-sync-")
        .and_then(|n| n.strip_suffix(b"\r"))
        .unwrap_or_else(|| panic!("not a resync probe: {}", line.escape_ascii()));
    let name = std::format!("cellftp-sync-{}", std::str::from_utf8(name).unwrap_or("?"));
    send!(h, OK);
    recv!(h, b"AT+FTPGETNAME?\r");
    send!(
        h,
        std::format!("\r\n+FTPGETNAME: {name}\r\n\r\nOK\r\n").as_bytes()
    );
}
