#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The get job: `AT+FTPGETNAME`, `AT+FTPRESET` for a resume offset, then
//! `AT+FTPGET`, whose `+FTPGET:<len>,<data>` chunks become `Data` events:
//! empty chunks, payloads that look like responses, chunks longer than a
//! fragment however they arrive, a chunk line in the wrong layout, and a
//! payload cut off by time.

#[macro_use]
mod harness;

use cellftp_proto::{CommandName, MAX_FRAGMENT};
use cellftp_session::{Link, Outcome, ProtocolError, ResponseKind, RX_CAPACITY};
use harness::*;

#[test]
fn get_without_offset_sends_no_reset() {
    let mut h = configured();
    let job = h.queue(|s| s.get("a.bin", 0));
    exchange!(h, b"AT+FTPGETNAME=a.bin\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:5,hello\r\n\r\nOK\r\n");
    events!(
        h,
        data(job, 0, b"hello"),
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
fn get_of_an_empty_file() {
    let mut h = configured();
    let job = h.queue(|s| s.get("empty", 0));
    exchange!(h, b"AT+FTPGETNAME=empty\r" => OK);
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
fn get_in_several_chunks() {
    let mut h = configured();
    let job = h.queue(|s| s.get("big", 10));
    exchange!(h, b"AT+FTPGETNAME=big\r" => OK);
    exchange!(h, b"AT+FTPRESET=10\r" => OK);
    recv!(h, b"AT+FTPGET\r");
    send!(h, b"\r\n+FTPGET:4,abcd\r\n");
    events!(h, data(job, 10, b"abcd"));
    // An empty chunk brings no data event.
    send!(h, b"\r\n+FTPGET:0,\r\n");
    events!(h);
    send!(h, b"\r\n+FTPGET:3,efg\r\n\r\n+FTPGET:2,hi\r\n\r\nOK\r\n");
    events!(
        h,
        data(job, 14, b"efg"),
        data(job, 17, b"hi"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 10,
                bytes: 9
            }
        )
    );
    h.end();
}

/// `+FTPGET:0,` announces no bytes: no data event, alone or between chunks.
#[test]
fn empty_get_chunks_bring_no_data_event() {
    let mut h = configured();
    let job = h.queue(|s| s.get("empty", 0));
    exchange!(h, b"AT+FTPGETNAME=empty\r" => OK);
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:0,\r\n\r\nOK\r\n");
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
    let job = h.queue(|s| s.get("a", 0));
    exchange!(h, b"AT+FTPGETNAME=a\r" => OK);
    exchange!(
        h,
        b"AT+FTPGET\r" =>
        b"\r\n+FTPGET:0,\r\n\r\n+FTPGET:2,ab\r\n\r\n+FTPGET:0,\r\n\r\n+FTPGET:0,\r\n\r\n+FTPGET:1,c\r\n\r\n+FTPGET:0,\r\n\r\nOK\r\n"
    );
    events!(
        h,
        data(job, 0, b"ab"),
        data(job, 2, b"c"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: 3
            }
        )
    );
    h.end();
}

#[test]
fn get_payload_that_looks_like_responses() {
    let mut h = configured();
    let job = h.queue(|s| s.get("tricky", 0));
    exchange!(h, b"AT+FTPGETNAME=tricky\r" => OK);
    let payload: &[u8] = b"\r\nOK\r\n\r\nERROR\r\nRDY\r\n+FTPGET:3,abc";
    let mut reply = format!("\r\n+FTPGET:{},", payload.len()).into_bytes();
    reply.extend_from_slice(payload);
    reply.extend_from_slice(b"\r\n\r\nOK\r\n");
    exchange!(h, b"AT+FTPGET\r" => &reply);
    events!(
        h,
        data(job, 0, payload),
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: payload.len() as u64
            }
        )
    );
    assert_eq!(h.session.link(), Link::Up);
    h.end();
}

#[test]
fn get_chunk_longer_than_a_fragment() {
    let mut h = configured();
    let job = h.queue(|s| s.get("big", 0));
    exchange!(h, b"AT+FTPGETNAME=big\r" => OK);
    recv!(h, b"AT+FTPGET\r");
    let len = 2 * MAX_FRAGMENT + 100;
    let payload: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    let mut reply = format!("\r\n+FTPGET:{len},").into_bytes();
    reply.extend_from_slice(&payload);
    reply.extend_from_slice(b"\r\n+FTPGET:2,\r\n\r\nOK\r\n");
    // More than the receive buffer holds: the harness offers the rest again
    // after draining the events.
    assert!(reply.len() > RX_CAPACITY);
    send!(h, &reply);
    events!(
        h,
        data(job, 0, &payload[..MAX_FRAGMENT]),
        data(
            job,
            MAX_FRAGMENT as u64,
            &payload[MAX_FRAGMENT..2 * MAX_FRAGMENT]
        ),
        data(job, 2 * MAX_FRAGMENT as u64, &payload[2 * MAX_FRAGMENT..]),
        data(job, len as u64, b"\r\n"),
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: len as u64 + 2
            }
        )
    );
    h.end();
}

#[test]
fn get_chunk_longer_than_a_fragment_one_byte_at_a_time() {
    let mut h = configured();
    let job = h.queue(|s| s.get("big", 0));
    exchange!(h, b"AT+FTPGETNAME=big\r" => OK);
    recv!(h, b"AT+FTPGET\r");
    let len = MAX_FRAGMENT + 3;
    let payload: Vec<u8> = (0..len).map(|i| (i % 7) as u8 + b'0').collect();
    let mut reply = format!("\r\n+FTPGET:{len},").into_bytes();
    reply.extend_from_slice(&payload);
    reply.extend_from_slice(b"\r\n\r\nOK\r\n");
    h.input_bytewise(&reply);
    events!(
        h,
        data(job, 0, &payload[..MAX_FRAGMENT]),
        data(job, MAX_FRAGMENT as u64, &payload[MAX_FRAGMENT..]),
        ok(
            job,
            Outcome::Downloaded {
                offset: 0,
                bytes: len as u64
            }
        )
    );
    h.end();
}

#[test]
fn ftpget_line_without_a_comma_fails_the_transfer() {
    let mut h = configured();
    let job = h.queue(|s| s.get("12.txt", 0));
    exchange!(h, b"AT+FTPGETNAME=12.txt\r" => OK);
    // The manual's table layout: length, then the data on the next line.
    exchange!(h, b"AT+FTPGET\r" => b"\r\n+FTPGET:5\r\n12345\r\nOK\r\n");
    events!(
        h,
        unsolicited("Info(Info { name: FtpGet, value: Number(5) })"),
        failed(
            job,
            protocol(
                CommandName::FtpGet,
                ProtocolError::Unexpected(ResponseKind::FtpGet)
            )
        ),
        unsolicited("Unknown(b\"12345\")"),
        unsolicited("Ok"),
    );
    // No job waits: no resync probe is sent until one does.
    h.end();
}

#[test]
fn timeout_inside_a_payload() {
    let mut h = configured();
    let job = h.queue(|s| s.get("big", 5));
    exchange!(h, b"AT+FTPGETNAME=big\r" => OK);
    exchange!(h, b"AT+FTPRESET=5\r" => OK);
    recv!(h, b"AT+FTPGET\r");
    send!(h, b"\r\n+FTPGET:3,abc\r\n");
    let len = MAX_FRAGMENT + 10;
    let mut reply = format!("\r\n+FTPGET:{len},").into_bytes();
    reply.extend(std::iter::repeat(b'z').take(MAX_FRAGMENT + 4));
    send!(h, &reply);
    events!(h, data(job, 5, b"abc"), data(job, 8, &[b'z'; MAX_FRAGMENT]));
    h.wait(60_000);
    events!(
        h,
        failed(
            job,
            protocol(
                CommandName::FtpGet,
                ProtocolError::PayloadIncomplete {
                    announced: len as u64 + 3,
                    // Every byte received counts, the 4 of the fragment
                    // that did not complete included.
                    received: MAX_FRAGMENT as u64 + 3 + 4,
                }
            )
        )
    );
    assert_eq!(h.session.link(), Link::Down);
    // The rest of the old payload is skipped by its announced length and
    // reported; the failed command's late final result is stale, and the
    // resync probe (whose answer carries its own number) goes before the
    // next job.
    let q = h.queue(|s| s.query_config());
    let probe = h.next_tx();
    assert!(probe.starts_with(b"AT+FTPGETNAME=cellftp-sync-"));
    send!(h, b"zzzzzz\r\nOK\r\n");
    events!(h, unsolicited("Continuation(b\"zzzzzzzzzz\")"));
    // That `OK` (the get's) moves the probe on; the name's own comes while
    // the name is asked, before it, and is stale.
    recv!(h, b"AT+FTPGETNAME?\r");
    send!(h, OK);
    events!(h, unsolicited("Ok"));
    let name = std::string::String::from_utf8(probe[14..probe.len() - 1].to_vec()).unwrap();
    send!(
        h,
        std::format!("\r\n+FTPGETNAME: {name}\r\n\r\nOK\r\n").as_bytes()
    );
    events!(h);
    exchange!(h, b"AT+FTPSCON\r" => OK);
    events!(h, ok(q, Outcome::ConfigReported { items: 0 }));
    h.end();
}
