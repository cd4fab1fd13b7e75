#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! What the session remembers of the modem's settings between jobs: the
//! resume offset, set by `AT+FTPRESET` only when it changes, and the
//! transfer type, switched to binary for a resumed get and restored to the
//! configured ASCII before the next put or whole-file get. A setting whose
//! command went unanswered may or may not have been applied: it is set
//! again.

#[macro_use]
mod harness;

use cellftp_proto::CommandName;
use cellftp_session::{Link, ModemError, Outcome};
use harness::*;

#[test]
fn resumed_get_in_ascii_switches_to_binary_first() {
    let mut h = Harness::default();
    configure_ascii(&mut h);
    resumed_get(
        &mut h,
        &[
            b"AT+FTPGETNAME=12.txt\r",
            b"AT+FTPTYPE=I\r",
            b"AT+FTPRESET=2\r",
        ],
    );
    // The type is now known to be I: the next resume sets the offset only.
    let job = h.queue(|s| s.get("12.txt", 4));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPRESET=4\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:1,5\r\n\r\nOK\r\n");
    events!(
        h,
        data(job, 4, b"5"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 4,
                bytes: 1
            }
        )
    );
    h.end();
}

#[test]
fn resumed_get_when_the_type_is_unknown_sets_it() {
    let mut h = Harness::default();
    let job = h.queue(|s| s.get("12.txt", 2));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPTYPE=I\r" => OK);
    exchange!(h, b"AT+FTPRESET=2\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => OK);
    events!(
        h,
        ok(
            job,
            Outcome::Downloaded {
                offset: 2,
                bytes: 0
            }
        )
    );
    h.end();
}

/// ASCII configured, a resumed get switched the modem to binary: the next
/// put switches back first, before `AT+FTPPUTNAME`; once back, nothing more.
#[test]
fn ascii_is_restored_for_a_put_after_a_resumed_get() {
    let mut h = Harness::default();
    configure_ascii(&mut h);
    // ASCII already: the put sends no type.
    put_12345(&mut h, &[b"AT+FTPPUTNAME=12.txt\r"]);
    resumed_get(
        &mut h,
        &[
            b"AT+FTPGETNAME=12.txt\r",
            b"AT+FTPTYPE=I\r",
            b"AT+FTPRESET=2\r",
        ],
    );
    put_12345(&mut h, &[b"AT+FTPTYPE=A\r", b"AT+FTPPUTNAME=12.txt\r"]);
    put_12345(&mut h, &[b"AT+FTPPUTNAME=12.txt\r"]);
    // The offset is still 2, in ASCII now: a whole-file get switches to
    // binary to reset it, then back to ASCII for the transfer.
    whole_get(
        &mut h,
        &[
            b"AT+FTPGETNAME=12.txt\r",
            b"AT+FTPTYPE=I\r",
            b"AT+FTPRESET=0\r",
            b"AT+FTPTYPE=A\r",
        ],
    );
    whole_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r"]);
    h.end();
}

/// ASCII configured, a resumed get switched the modem to binary: the next
/// whole-file get resets the offset, then switches back before
/// `AT+FTPGET`. Resumed gets stay in binary.
#[test]
fn ascii_is_restored_for_a_whole_file_get_after_a_resumed_get() {
    let mut h = Harness::default();
    configure_ascii(&mut h);
    resumed_get(
        &mut h,
        &[
            b"AT+FTPGETNAME=12.txt\r",
            b"AT+FTPTYPE=I\r",
            b"AT+FTPRESET=2\r",
        ],
    );
    // Another resumed get: binary still, no restore.
    resumed_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r"]);
    whole_get(
        &mut h,
        &[
            b"AT+FTPGETNAME=12.txt\r",
            b"AT+FTPRESET=0\r",
            b"AT+FTPTYPE=A\r",
        ],
    );
    // Back in ASCII with offset 0: nothing to set for a put or a get.
    put_12345(&mut h, &[b"AT+FTPPUTNAME=12.txt\r"]);
    whole_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r"]);
    h.end();
}

/// Binary configured (the manual's example): a resumed get changes nothing
/// to restore.
#[test]
fn binary_configured_needs_no_restore() {
    let mut h = configured();
    resumed_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r", b"AT+FTPRESET=2\r"]);
    put_12345(&mut h, &[b"AT+FTPPUTNAME=12.txt\r"]);
    whole_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r", b"AT+FTPRESET=0\r"]);
    // The only type command is the configure job's.
    let types: Vec<&Vec<u8>> = h
        .transmitted
        .iter()
        .filter(|l| l.starts_with(b"AT+FTPTYPE"))
        .collect();
    assert_eq!(types, [b"AT+FTPTYPE=I\r"]);
    h.end();
}

/// With no configure seen, the type to restore is unknown: nothing is sent.
#[test]
fn no_restore_without_a_configure() {
    let mut h = Harness::default();
    resumed_get(
        &mut h,
        &[
            b"AT+FTPGETNAME=12.txt\r",
            b"AT+FTPTYPE=I\r",
            b"AT+FTPRESET=2\r",
        ],
    );
    put_12345(&mut h, &[b"AT+FTPPUTNAME=12.txt\r"]);
    whole_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r", b"AT+FTPRESET=0\r"]);
    h.end();
}

/// The restoring `AT+FTPTYPE=A` is a step of the job: refused, it fails the
/// job (the connection stays up), and the next job tries again.
#[test]
fn a_refused_restore_fails_the_job() {
    let mut h = Harness::default();
    configure_ascii(&mut h);
    resumed_get(
        &mut h,
        &[
            b"AT+FTPGETNAME=12.txt\r",
            b"AT+FTPTYPE=I\r",
            b"AT+FTPRESET=2\r",
        ],
    );
    let put = h.queue(|s| s.put("12.txt"));
    exchange!(h, b"AT+FTPTYPE=A\r" => ERROR);
    events!(
        h,
        failed(put, modem(CommandName::FtpType, ModemError::Error))
    );
    assert_eq!(h.session.link(), Link::Up);
    let get = h.queue(|s| s.get("12.txt", 0));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPRESET=0\r" => OK);
    exchange!(h, b"AT+FTPTYPE=A\r" => b"\r\n+CME ERROR: 4\r\n");
    events!(
        h,
        failed(
            get,
            modem(CommandName::FtpType, ModemError::Cme { code: Some(4) })
        )
    );
    put_12345(&mut h, &[b"AT+FTPTYPE=A\r", b"AT+FTPPUTNAME=12.txt\r"]);
    h.end();
}

#[test]
fn get_after_a_resumed_get_resets_the_offset() {
    let mut h = configured();
    resumed_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r", b"AT+FTPRESET=2\r"]);
    // The same offset again: the modem still has it.
    resumed_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r"]);
    whole_get(&mut h, &[b"AT+FTPGETNAME=12.txt\r", b"AT+FTPRESET=0\r"]);
    // And then no more resets.
    let job = h.queue(|s| s.get("12.txt", 0));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => OK);
    events!(
        h,
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: 0
            }
        )
    );
    h.end();
}

#[test]
fn a_failed_reset_is_not_remembered() {
    let mut h = configured();
    let job = h.queue(|s| s.get("12.txt", 2));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPRESET=2\r" => ERROR);
    events!(
        h,
        failed(job, modem(CommandName::FtpReset, ModemError::Error))
    );
    let job = h.queue(|s| s.get("12.txt", 0));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => OK);
    events!(
        h,
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: 0
            }
        )
    );
    h.end();
}

#[test]
fn a_reset_that_timed_out_is_set_again() {
    let mut h = configured();
    let job = h.queue(|s| s.get("12.txt", 2));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    // The modem may have applied the offset and lost only its `OK`.
    recv!(h, b"AT+FTPRESET=2\r");
    h.wait(5_000);
    events!(h, timed_out(job, CommandName::FtpReset));
    // The offset is unknown now: a whole-file get sets it to 0 again
    // instead of downloading from 2 and calling it offset 0.
    let job = h.queue(|s| s.get("12.txt", 0));
    resync(&mut h);
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPRESET=0\r" => OK);
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
    h.end();
}

#[test]
fn a_type_switch_that_timed_out_is_set_again() {
    let mut h = configured();
    configure_ascii(&mut h);
    let job = h.queue(|s| s.get("12.txt", 2));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    // The modem may have switched to binary and lost only its `OK`.
    recv!(h, b"AT+FTPTYPE=I\r");
    h.wait(5_000);
    events!(h, timed_out(job, CommandName::FtpType));
    // The type is unknown now: the whole-file get restores ASCII.
    let job = h.queue(|s| s.get("12.txt", 0));
    resync(&mut h);
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    exchange!(h, b"AT+FTPTYPE=A\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:2,ab\r\n\r\nOK\r\n");
    events!(
        h,
        data(job, 0, b"ab"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: 2
            }
        )
    );
    h.end();
}
