#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! Final result codes other modems send, vendor codes a driver declares,
//! and echo recognised by what was sent rather than by `AT` at the start.
//! Each case is fed whole, one byte at a time and cut in two everywhere.

#[macro_use]
mod harness;

use cellftp_proto::CommandName;
use cellftp_session::{Config, ExtraFinal, ModemError, Outcome};
use harness::*;

/// Each V.250 and vendor failure code ends the command at once, fed whole,
/// one byte at a time and cut in two everywhere.
#[test]
fn v250_and_vendor_codes_end_the_command_at_once() {
    let cases: [(&[u8], ModemError); 7] = [
        (b"\r\nNO CARRIER\r\n", ModemError::NoCarrier),
        (b"\r\nBUSY\r\n", ModemError::Busy),
        (b"\r\nNO ANSWER\r\n", ModemError::NoAnswer),
        (b"\r\nNO DIALTONE\r\n", ModemError::NoDialtone),
        (
            b"\r\nMODEM ERROR: 3\r\n",
            ModemError::Vendor { code: Some(3) },
        ),
        (b"\r\nCOMMAND NOT SUPPORT\r\n", ModemError::NotSupported),
        (
            b"\r\n+CME ERROR: operation not allowed\r\n",
            ModemError::Cme { code: Some(3) },
        ),
    ];
    for (answer, error) in cases {
        for cut in 0..=answer.len() {
            for bytewise in [false, true] {
                let mut h = configured();
                let mk = h.queue(|s| s.mkdir("a"));
                recv!(h, b"AT+FTPMKD=a\r");
                if bytewise {
                    h.input_bytewise(answer);
                } else {
                    h.input_split(answer, &[cut]);
                }
                events!(h, failed(mk, modem(CommandName::FtpMkd, error)));
                h.end();
            }
        }
    }
}

#[test]
fn result_codes_read_as_sentences() {
    let cases = [
        (
            ModemError::NoCarrier,
            "NO CARRIER (the connection was lost or never made)",
        ),
        (ModemError::Busy, "BUSY (the other end is busy)"),
        (
            ModemError::NoAnswer,
            "NO ANSWER (the other end did not answer)",
        ),
        (
            ModemError::NoDialtone,
            "NO DIALTONE (no network to dial on)",
        ),
        (
            ModemError::Vendor { code: Some(3) },
            "MODEM ERROR 3 (a vendor's error code)",
        ),
        (
            ModemError::NotSupported,
            "COMMAND NOT SUPPORT (the modem does not support the command)",
        ),
        (
            ModemError::Declared { index: 1 },
            "a vendor failure code (extra final result 1 of the configuration)",
        ),
    ];
    for (error, text) in cases {
        assert_eq!(error.to_string(), text);
    }
}

/// A driver declares its vendor's final result codes in the configuration:
/// lines the decoder does not know that start with one of them end the
/// command, as a failure or a success.
#[test]
fn declared_vendor_finals_end_the_command() {
    const FINALS: &[ExtraFinal] = &[
        ExtraFinal {
            prefix: "+QFTPMKDIR: 627",
            ok: false,
        },
        ExtraFinal {
            prefix: "DONE",
            ok: true,
        },
    ];
    let config = Config {
        extra_finals: FINALS,
        ..Config::default()
    };
    let failure = b"\r\n+qftpmkdir: 627,x\r\n";
    for how in feeds(failure.len()) {
        let mut h = Harness::new(config);
        let mk = h.queue(|s| s.mkdir("a"));
        recv!(h, b"AT+FTPMKD=a\r");
        h.feed(failure, how);
        events!(
            h,
            failed(
                mk,
                modem(CommandName::FtpMkd, ModemError::Declared { index: 0 })
            )
        );
        let mk = h.queue(|s| s.mkdir("b"));
        // A declared failure code may have come unasked: the resync first
        // (`a_stray_final_puts_the_channel_out_of_step`).
        resync(&mut h);
        recv!(h, b"AT+FTPMKD=b\r");
        h.feed(b"\r\nDONE\r\n", how);
        events!(h, ok(mk, Outcome::DirectoryCreated));
        // Unasked, a declared final is reported like a stray `OK`.
        h.feed(b"\r\nDONE\r\n", how);
        events!(h, unsolicited("Unknown(b\"DONE\")"));
        h.end();
    }
}

/// The configuration is checked when the session is made.
#[test]
fn declared_finals_are_validated() {
    const EMPTY: &[ExtraFinal] = &[ExtraFinal {
        prefix: "",
        ok: true,
    }];
    let config = Config {
        extra_finals: EMPTY,
        ..Config::default()
    };
    assert!(cellftp_session::Session::new(config).is_err());
}

/// Echo is what was sent, in any case, with the spaces the manual shows, or
/// after a noisy byte: removed, however the bytes are cut.
#[test]
fn echo_is_recognised_by_content() {
    let echoes: [&[u8]; 5] = [
        b"AT+FTPMKD=a\r\r\n",
        b"at+ftpmkd=a\r\r\n",
        b"AT+ FTPMKD = a\r\r\n",
        b"\xffAT+FTPMKD=a\r\r\n",
        b"\x00at+FTPmkd=a\r\n",
    ];
    for echo in echoes {
        let mut answer = echo.to_vec();
        answer.extend_from_slice(b"\r\nOK\r\n");
        for how in feeds(answer.len()) {
            let mut h = configured();
            let mk = h.queue(|s| s.mkdir("a"));
            recv!(h, b"AT+FTPMKD=a\r");
            h.feed(&answer, how);
            events!(h, ok(mk, Outcome::DirectoryCreated));
            h.end();
        }
    }
}

/// A line that starts with `AT` but is not the echo of what was sent
/// (`AT+GMR`'s version, the echo of another command) reaches the caller;
/// fed whole, one byte at a time and cut in two everywhere.
#[test]
fn a_line_starting_with_at_that_is_not_the_echo_reaches_the_caller() {
    let version = b"\r\nAT version:1.1.0.0(May 11 2016)\r\n\r\nOK\r\n";
    for how in feeds(version.len()) {
        let mut h = configured();
        let mk = h.queue(|s| s.mkdir("a"));
        recv!(h, b"AT+FTPMKD=a\r");
        h.feed(version, how);
        events!(
            h,
            unsolicited("Unknown(b\"AT version:1.1.0.0(May 11 2016)\")"),
            ok(mk, Outcome::DirectoryCreated)
        );
        // The echo of another command: reported, never dropped.
        let mk = h.queue(|s| s.mkdir("b"));
        recv!(h, b"AT+FTPMKD=b\r");
        h.feed(b"AT+FTPRMD=b\r\r\nOK\r\n", how);
        events!(
            h,
            unsolicited("Unknown(b\"AT+FTPRMD=b\")"),
            ok(mk, Outcome::DirectoryCreated)
        );
        h.end();
    }
}

/// `+CME ERROR:` with nothing after the colon ends the command as an
/// error, fed whole, one byte at a time and cut in two everywhere.
#[test]
fn empty_cme_error_is_final() {
    let answer = b"\r\n+CME ERROR:\r\n";
    for how in feeds(answer.len()) {
        let mut h = configured();
        let mk = h.queue(|s| s.mkdir("a"));
        recv!(h, b"AT+FTPMKD=a\r");
        h.feed(answer, how);
        events!(
            h,
            failed(
                mk,
                modem(CommandName::FtpMkd, ModemError::Cme { code: None })
            )
        );
        h.end();
    }
}

/// Plays the rest of the resynchronisation whose first line, `line`, went
/// out and was answered: the query, the stale answer of the name, the name.
#[track_caller]
fn rest_of_resync(h: &mut Harness, line: &[u8]) {
    let name = line
        .strip_prefix(b"AT+FTPGETNAME=")
        .and_then(|n| n.strip_suffix(b"\r"))
        .filter(|n| n.starts_with(b"cellftp-sync-"))
        .unwrap_or_else(|| panic!("not a resync probe: {}", line.escape_ascii()));
    let name = String::from_utf8(name.to_vec()).unwrap();
    recv!(h, b"AT+FTPGETNAME?\r");
    send!(h, OK);
    events!(h, unsolicited("Ok"));
    send!(
        h,
        format!("\r\n+FTPGETNAME: {name}\r\n\r\nOK\r\n").as_bytes()
    );
    events!(h);
}

/// `NO CARRIER` (and a vendor's code the driver declared) can come unasked:
/// arriving while a command waits, it ends the command, whose own answer
/// may still come. The session resynchronises before the next job, so
/// that answer never answers it.
#[test]
fn a_stray_final_puts_the_channel_out_of_step() {
    const FINALS: &[ExtraFinal] = &[ExtraFinal {
        prefix: "CLOSED",
        ok: false,
    }];
    let cases: [(&[u8], ModemError); 2] = [
        (b"\r\nNO CARRIER\r\n", ModemError::NoCarrier),
        (b"\r\nCLOSED\r\n", ModemError::Declared { index: 0 }),
    ];
    for (code, error) in cases {
        let mut h = Harness::new(Config {
            extra_finals: FINALS,
            ..Config::default()
        });
        let mk = h.queue(|s| s.mkdir("a"));
        let raw = h.queue(|s| s.raw("AT+CSQ"));
        recv!(h, b"AT+FTPMKD=a\r");
        send!(h, code);
        events!(h, failed(mk, modem(CommandName::FtpMkd, error)));
        let line = h.next_tx();
        // The mkdir's own answer, late: it answers nothing that was sent
        // after it.
        send!(h, OK);
        events!(h);
        rest_of_resync(&mut h, &line);
        exchange!(h, b"AT+CSQ\r" => ERROR);
        events!(h, failed(raw, modem(CommandName::At, ModemError::Error)));
        h.end();
    }
}

/// The same code during an upload chunk: the upload is closed, the close's
/// answer (which may be the chunk's own) is not trusted, the job fails
/// with the code, and the next job waits for the resynchronisation.
#[test]
fn a_stray_no_carrier_during_a_chunk() {
    let mut h = Harness::default();
    let put = h.queue(|s| s.put("a"));
    let raw = h.queue(|s| s.raw("AT+CSQ"));
    exchange!(h, b"AT+FTPPUTNAME=a\r" => OK);
    events!(h, Ev::PutReady { job: put, max: 512 });
    h.send_data(b"abc");
    exchange!(h, b"AT+FTPPUT=3,abc\r" => b"\r\nNO CARRIER\r\n");
    // The chunk's own answer comes now: taken by the close, not trusted.
    exchange!(h, b"AT+FTPPUT=0\r" => ERROR);
    events!(
        h,
        failed(put, modem(CommandName::FtpPut, ModemError::NoCarrier))
    );
    let line = h.next_tx();
    // The close's own answer.
    send!(h, OK);
    events!(h);
    rest_of_resync(&mut h, &line);
    exchange!(h, b"AT+CSQ\r" => ERROR);
    events!(h, failed(raw, modem(CommandName::At, ModemError::Error)));
    h.end();
}

/// A verbose `+CME ERROR: <text>` (`AT+CMEE=2`) that is one of the 27.007
/// meanings the session knows is reported by its number, in any case; an
/// empty one says that the modem gave no reason.
#[test]
fn verbose_cme_errors_are_mapped_to_their_codes() {
    let cases: [(&[u8], ModemError, &str); 4] = [
        (
            b"\r\n+CME ERROR: SIM not inserted\r\n",
            ModemError::Cme { code: Some(10) },
            "+CME ERROR 10 (SIM not inserted)",
        ),
        (
            b"\r\n+CME ERROR: OPERATION NOT ALLOWED\r\n",
            ModemError::Cme { code: Some(3) },
            "+CME ERROR 3 (operation not allowed)",
        ),
        (
            b"\r\n+CME ERROR:  incorrect parameters \r\n",
            ModemError::Cme { code: Some(50) },
            "+CME ERROR 50 (incorrect parameters)",
        ),
        (
            b"\r\n+CME ERROR:\r\n",
            ModemError::Cme { code: None },
            "+CME ERROR (no reason given)",
        ),
    ];
    for (answer, error, text) in cases {
        for how in feeds(answer.len()) {
            let mut h = configured();
            let mk = h.queue(|s| s.mkdir("a"));
            recv!(h, b"AT+FTPMKD=a\r");
            h.feed(answer, how);
            events!(h, failed(mk, modem(CommandName::FtpMkd, error)));
            h.end();
        }
        assert_eq!(error.to_string(), text);
    }
}

/// A verbose message the table does not list is kept, as much of it as
/// fits (`MAX_ERROR_TEXT` bytes of printable ASCII), and said to be cut.
#[test]
fn verbose_errors_the_table_does_not_list_keep_their_text() {
    let cases: [(&[u8], &str, &str); 4] = [
        (
            b"\r\n+CME ERROR: SIM PUK required\r\n",
            "+CME ERROR: SIM PUK required (a verbose message)",
            "CmeText(\"SIM PUK required\")",
        ),
        (
            b"\r\n+CME ERROR: network not allowed - emergency calls only\r\n",
            "+CME ERROR: network not allowed - emergency ... (a verbose message)",
            "CmeText(\"network not allowed - emergency \"...)",
        ),
        (
            b"\r\n+CMS ERROR: unknown error\r\n",
            "+CMS ERROR: unknown error (a verbose message)",
            "CmsText(\"unknown error\")",
        ),
        (
            b"\r\n+CMS ERROR:\r\n",
            "+CMS ERROR (no reason given)",
            "Cms { code: None }",
        ),
    ];
    for (answer, text, debug) in cases {
        for how in feeds(answer.len()) {
            let mut h = configured();
            let mk = h.queue(|s| s.mkdir("a"));
            recv!(h, b"AT+FTPMKD=a\r");
            h.feed(answer, how);
            let Some(Ev::Done {
                result: Err(cellftp_session::JobError::Modem { error, .. }),
                ..
            }) = h.take_events().pop()
            else {
                panic!("not a modem error");
            };
            assert_eq!(error.to_string(), text, "{how:?}");
            assert_eq!(format!("{error:?}"), debug, "{how:?}");
            let _ = mk;
            h.end();
        }
    }
}
