//! The `listing` target: the directory-listing parser.

use cellftp_proto::listing::{entries, Entry, EntryKind, ListingError, ListingStyle};

use crate::bytes::within;

/// Checks a parsed entry against the bytes it was parsed from.
pub(crate) fn check_entry(entry: &Entry<'_>, source: &[u8]) {
    let fields = [
        ("permissions", entry.permissions),
        ("date", Some(entry.date)),
        ("name", Some(entry.name)),
        ("link_target", entry.link_target),
    ];
    for (what, field) in fields {
        if let Some(f) = field.filter(|f| !f.is_empty()) {
            assert!(
                within(source, f),
                "{what} of {entry:?} is not a subslice of the line"
            );
        }
    }
    if entry.link_target.is_some() {
        assert_eq!(
            entry.kind,
            EntryKind::Symlink,
            "a link target on a non-symlink: {entry:?}"
        );
    }
    if entry.style == ListingStyle::Dos {
        assert!(
            entry.permissions.is_none(),
            "a DOS line with permissions: {entry:?}"
        );
    }
}

fn check_result(result: &Result<Entry<'_>, ListingError>, line: &[u8]) {
    match result {
        Ok(entry) => check_entry(entry, line),
        Err(ListingError::Unrecognised { offset }) => assert!(
            *offset <= line.len(),
            "error offset {offset} past the end of a {}-byte line",
            line.len()
        ),
        Err(_) => {}
    }
}

/// The lines of a listing as [`entries`] documents them: separated by
/// CR LF, LF or CR.
fn lines(mut rest: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|&b| b == b'\r' || b == b'\n')
            .unwrap_or(rest.len());
        let (line, terminator) = rest.split_at(end);
        out.push(line);
        rest = terminator
            .strip_prefix(b"\r\n")
            .or_else(|| terminator.get(1..))
            .unwrap_or_default();
    }
    out
}

/// The `listing` target: [`Entry::parse`] and [`entries`] never panic,
/// every field they return is a subslice of the input, a trailing line end
/// changes nothing, and [`entries`] is [`Entry::parse`] on each non-blank
/// line.
pub fn listing(data: &[u8]) {
    let whole = Entry::parse(data);
    check_result(&whole, data);

    if !data.iter().any(|&b| b == b'\r' || b == b'\n') {
        let mut terminated = data.to_vec();
        terminated.extend_from_slice(b"\r\n");
        let again = Entry::parse(&terminated);
        assert_eq!(
            format!("{whole:?}"),
            format!("{again:?}"),
            "a trailing CR LF changed the parse"
        );
    }

    let expected: Vec<_> = lines(data)
        .into_iter()
        .map(|line| (line, Entry::parse(line)))
        .filter(|(_, r)| *r != Err(ListingError::Empty))
        .collect();
    let mut count = 0;
    for (i, result) in entries(data).enumerate() {
        check_result(&result, data);
        let Some((line, want)) = expected.get(i) else {
            panic!("entries() yields more results than the listing has non-blank lines");
        };
        check_result(want, line);
        assert_eq!(
            &result, want,
            "entries() differs from parsing line {i} alone"
        );
        count += 1;
    }
    assert_eq!(
        count,
        expected.len(),
        "entries() yields fewer results than the listing has non-blank lines"
    );
}
