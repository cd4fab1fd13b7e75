//! An echoed command line is carried as its line and read when asked: what
//! `Echo::request` makes of a line is what the command decoder makes of the
//! same line sent by the host, and an echo compares and prints as that
//! request.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cellftp_proto::{
    Action, Command, CommandDecoder, Decoded, Echo, Put, Request, Response, ResponseDecoder,
};
use proptest::prelude::*;

/// The first item the modem decoder makes of `bytes`.
fn first(bytes: &[u8]) -> Response<'_> {
    match ResponseDecoder::new().decode(bytes) {
        Decoded::Item { item, .. } => item,
        Decoded::NeedMore { .. } => panic!("no item in {:?}", bytes.escape_ascii().to_string()),
    }
}

#[test]
fn an_echo_is_its_line_until_asked() {
    let bytes = b"AT+FTPQUIT\r\r\n";
    let item = first(bytes);
    let Response::Echo(echo) = item else {
        panic!("{item:?}")
    };
    assert_eq!(echo.line(), Some(&b"AT+FTPQUIT"[..]));
    assert_eq!(
        echo.request(),
        Request::Command(Command::FtpQuit(Action::Execute))
    );
    // It compares and prints as the request it reads as: another
    // spelling of the same command is the same echo, another command not.
    assert_eq!(echo, Echo::from_line(b"at+ ftpquit"));
    assert_ne!(echo, Echo::from_line(b"AT+FTPLIST"));
    assert_eq!(format!("{item:?}"), "Echo(Command(FtpQuit(Execute)))");
}

#[test]
fn an_echo_the_grammar_refuses_is_unknown_and_kept_whole() {
    let bytes = b"AT+NOPE=1\r\r\n";
    let item = first(bytes);
    let Response::Echo(echo) = item else {
        panic!("{item:?}")
    };
    assert_eq!(echo.line(), Some(&b"AT+NOPE=1"[..]));
    assert_eq!(echo.request(), Request::Unknown(b"AT+NOPE=1"));
    assert!(item.is_recognised(), "an echo counts as recognised");
}

#[test]
fn an_echoed_put_with_its_data_is_read_already() {
    let bytes = b"AT+FTPPUT=5,hello\r\r\n";
    let item = first(bytes);
    let Response::Echo(echo) = item else {
        panic!("{item:?}")
    };
    // Its data came as a payload: there is no line to hand back.
    assert_eq!(echo.line(), None);
    assert_eq!(echo, Echo::from_put(5, b"hello"));
    assert_eq!(
        echo.request(),
        Request::Command(Command::FtpPut(Put::Data(b"hello")))
    );
}

/// Lines the echo grammar must agree with the command decoder on: known
/// commands in the manual's spellings, near misses, and noise.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let words = prop::sample::select(vec![
        &b"AT"[..],
        b"at",
        b"+",
        b" ",
        b"FTPMODE",
        b"ftpserv",
        b"FTPPUT",
        b"FTPGETNAME",
        b"FTPQUIT",
        b"CFUN",
        b"CGACT",
        b"E",
        b"=",
        b"?",
        b"=?",
        b",",
        b"\"",
        b"1",
        b"0",
        b"12.txt",
        b"47.104.157.10",
        b"\xe4\xb8\xad",
    ]);
    prop::collection::vec(words, 0..8).prop_map(|parts| {
        let mut line = b"AT".to_vec();
        for p in parts {
            line.extend_from_slice(p);
        }
        line
    })
}

proptest! {
    /// Whatever the line, the echo reads as the host's line does.
    #[test]
    fn an_echo_reads_as_the_command_decoder_reads_the_line(line in line()) {
        let mut bytes = line.clone();
        bytes.extend_from_slice(b"\r\r\n");
        let mut modem = ResponseDecoder::new();
        let Decoded::Item { item, .. } = modem.decode(&bytes) else {
            return Err(TestCaseError::fail("no item"));
        };
        let mut sent = line.clone();
        sent.push(b'\r');
        let mut host = CommandDecoder::new();
        let Decoded::Item { item: request, .. } = host.decode(&sent) else {
            return Err(TestCaseError::fail("no request"));
        };
        match item {
            Response::Echo(echo) => {
                if echo.line().is_some() {
                    prop_assert_eq!(echo.line(), Some(&line[..]));
                }
                prop_assert_eq!(echo.request(), request);
            }
            // Every line starting with AT is an echo.
            other => prop_assert!(false, "{:?} is not an echo", other),
        }
    }
}
