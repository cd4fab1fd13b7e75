#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The list job: `AT+FTPPATH` if a path is given, then `AT+FTPLIST`, whose
//! payload becomes one `ListLine` per line, parsed where the format is
//! known (Unix and DOS listings, `total` lines, unrecognised lines).

#[macro_use]
mod harness;

use cellftp_proto::listing::{EntryKind, ListingError};
use cellftp_session::Outcome;
use harness::*;

#[test]
fn list_with_path() {
    let mut h = configured();
    let job = h.queue(|s| s.list(Some("/pub")));
    exchange!(h, b"AT+FTPPATH=/pub\r" => OK);
    exchange!(h, b"AT+FTPLIST\r" => b"\r\n+FTPLIST:1,0\r\n\r\nOK\r\n");
    events!(
        h,
        ok(
            job,
            Outcome::Listed {
                entries: 0,
                lines: 0
            }
        )
    );
    h.end();
}

#[test]
fn empty_listing_without_header() {
    let mut h = configured();
    let job = h.queue(|s| s.list(None));
    exchange!(h, b"AT+FTPLIST\r" => OK);
    events!(
        h,
        ok(
            job,
            Outcome::Listed {
                entries: 0,
                lines: 0
            }
        )
    );
    h.end();
}

#[test]
fn listing_with_total_dos_and_unknown_lines() {
    let mut h = configured();
    let job = h.queue(|s| s.list(None));
    let lines = [
        "total 12",
        "drwxr-xr-x  2 ftp ftp  4096 Jan  1  2024 docs",
        LISTING_LINE,
        "09-30-24  01:52AM       <DIR>          old",
        "09-30-24  01:53PM                 1234 report.pdf",
        "lrwxrwxrwx  1 ftp ftp  6 Sep 30 01:52 latest -> 12.txt",
        "free-form server text",
    ];
    let listing = lines.join("\r\n");
    let mut reply = format!("\r\n+FTPLIST:1,{}\r\n", listing.len()).into_bytes();
    reply.extend_from_slice(listing.as_bytes());
    reply.extend_from_slice(b"\r\nOK\r\n");
    exchange!(h, b"AT+FTPLIST\r" => &reply);
    let entry = |kind, size, name: &str| {
        Ok(Listed {
            kind,
            size,
            name: name.into(),
        })
    };
    let got = h.take_events();
    let expected = [
        list_line(job, lines[0], Err(ListingError::Total)),
        list_line(
            job,
            lines[1],
            entry(EntryKind::Directory, Some(4096), "docs"),
        ),
        list_line(job, lines[2], file("12.txt", 5)),
        list_line(job, lines[3], entry(EntryKind::Directory, None, "old")),
        list_line(job, lines[4], file("report.pdf", 1234)),
        list_line(job, lines[5], entry(EntryKind::Symlink, Some(6), "latest")),
    ];
    assert_eq!(got[..6], expected[..]);
    assert!(matches!(
        &got[6],
        Ev::ListLine { job: j, line, entry: Err(ListingError::Unrecognised { .. }) }
            if *j == job && line == lines[6]
    ));
    assert_eq!(
        got[7],
        ok(
            job,
            Outcome::Listed {
                entries: 5,
                lines: 7
            }
        )
    );
    assert_eq!(got.len(), 8);
    h.end();
}
