//! Final result codes beyond `OK`/`ERROR`/`+CME`/`+CMS`: the V.250 codes and
//! the vendor codes real modems send, each fed whole, one byte at a time and
//! cut at every offset (`common::check`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use cellftp_proto::{CmeError, FinalResult, Response, ResultCode};
use common::{check_responses, framed};

#[test]
fn v250_result_codes_are_final() {
    check_responses(
        &framed(&[
            "NO CARRIER",
            "BUSY",
            "NO ANSWER",
            "NO DIALTONE",
            "no carrier",
            "NO DIAL TONE",
        ]),
        &[
            Response::ResultCode(ResultCode::NoCarrier),
            Response::ResultCode(ResultCode::Busy),
            Response::ResultCode(ResultCode::NoAnswer),
            Response::ResultCode(ResultCode::NoDialtone),
            Response::ResultCode(ResultCode::NoCarrier),
            Response::ResultCode(ResultCode::NoDialtone),
        ],
        b"",
    );
    for code in [
        ResultCode::NoCarrier,
        ResultCode::Busy,
        ResultCode::NoAnswer,
        ResultCode::NoDialtone,
    ] {
        assert_eq!(
            Response::ResultCode(code).final_result(),
            Some(FinalResult::Code(code))
        );
    }
}

#[test]
fn vendor_result_codes_are_final() {
    check_responses(
        &framed(&[
            "MODEM ERROR: 3",
            "MODEM ERROR:12",
            "MODEM ERROR: busy",
            "COMMAND NOT SUPPORT",
            "COMMAND NOT SUPPORTED",
        ]),
        &[
            Response::ResultCode(ResultCode::ModemError(Some(3))),
            Response::ResultCode(ResultCode::ModemError(Some(12))),
            Response::ResultCode(ResultCode::ModemError(None)),
            Response::ResultCode(ResultCode::NotSupported),
            Response::ResultCode(ResultCode::NotSupported),
        ],
        b"",
    );
}

/// A verbose `+CME ERROR: <text>` is final, and so is one with nothing
/// after the colon.
#[test]
fn verbose_and_empty_cme_errors_are_final() {
    check_responses(
        &framed(&[
            "+CME ERROR: SIM not inserted",
            "+CME ERROR:",
            "+CMS ERROR: ",
        ]),
        &[
            Response::CmeError(CmeError::Text(b"SIM not inserted")),
            Response::CmeError(CmeError::Text(b"")),
            Response::CmsError(CmeError::Text(b"")),
        ],
        b"",
    );
    assert!(Response::CmeError(CmeError::Text(b""))
        .final_result()
        .is_some());
}

/// A verbose message that is one of the 27.007 meanings of the table has
/// that meaning's number, in any case; an empty one or one the table does
/// not list has none.
#[test]
fn verbose_cme_errors_have_the_code_of_their_meaning() {
    let cases: [(CmeError<'_>, Option<u16>); 7] = [
        (CmeError::Code(999), Some(999)),
        (CmeError::Text(b"SIM not inserted"), Some(10)),
        (CmeError::Text(b"sim NOT inserted"), Some(10)),
        (CmeError::Text(b" operation not allowed "), Some(3)),
        (CmeError::Text(b"PDP authentication failure"), Some(149)),
        (CmeError::Text(b""), None),
        (CmeError::Text(b"SIM PUK required"), None),
    ];
    for (error, code) in cases {
        assert_eq!(error.known_code(), code, "{error:?}");
        if let Some(code) = code.filter(|&c| c != 999) {
            let meaning = CmeError::describe(code).unwrap();
            assert_eq!(CmeError::Text(meaning.as_bytes()).known_code(), Some(code));
        }
    }
}

/// Lines that only look like result codes stay what they are.
#[test]
fn near_misses_are_not_final() {
    check_responses(
        &framed(&["NO CARRIERS", "BUSYBOX", "MODEM ERRORS"]),
        &[
            Response::Unknown(b"NO CARRIERS"),
            Response::Unknown(b"BUSYBOX"),
            Response::Unknown(b"MODEM ERRORS"),
        ],
        b"",
    );
}
