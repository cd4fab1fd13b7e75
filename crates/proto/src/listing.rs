
#[cfg(test)]
mod tests {
    extern crate std;

    use std::string::String;
    use std::vec::Vec;
    use std::{format, vec};

    use proptest::prelude::*;

    use super::*;

    /// A unix entry with the given fields, for comparisons.
    fn unix<'a>(
        kind: EntryKind,
        permissions: &'a [u8],
        size: Option<u64>,
        date: &'a [u8],
        name: &'a [u8],
        link_target: Option<&'a [u8]>,
    ) -> Entry<'a> {
        Entry {
            kind,
            permissions: Some(permissions),
            size,
            date,
            name,
            link_target,
            style: ListingStyle::Unix,
        }
    }

    /// A DOS entry with the given fields, for comparisons.
    fn dos<'a>(kind: EntryKind, size: Option<u64>, date: &'a [u8], name: &'a [u8]) -> Entry<'a> {
        Entry {
            kind,
            permissions: None,
            size,
            date,
            name,
            link_target: None,
            style: ListingStyle::Dos,
        }
    }

    #[test]
    fn unix_lines_from_the_manual() {
        assert_eq!(
            Entry::parse(b"-rw-rw-r--  1  xisen xisen 5 jul 07 09:30 123.txt"),
            Ok(unix(EntryKind::File, b"rw-rw-r--", Some(5), b"jul 07 09:30", b"123.txt", None))
        );
        assert_eq!(
            Entry::parse(b"-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt"),
            Ok(unix(EntryKind::File, b"rw-rw-r--", Some(5), b"Sep 30 01:52", b"12.txt", None))
        );
    }

    #[test]
    fn unix_directory_with_year() {
        assert_eq!(
            Entry::parse(b"drwxr-xr-x 2 ftp ftp 4096 Jan  1  2024 docs"),
            Ok(unix(EntryKind::Directory, b"rwxr-xr-x", Some(4096), b"Jan  1  2024", b"docs", None))
        );
    }

    #[test]
    fn symlinks() {
        assert_eq!(
            Entry::parse(b"lrwxrwxrwx 1 root root 7 Mar 3 12:00 link -> target"),
            Ok(unix(
                EntryKind::Symlink,
                b"rwxrwxrwx",
                Some(7),
                b"Mar 3 12:00",
                b"link",
                Some(b"target")
            ))
        );
        // Spaces on both sides, and a second arrow, which belongs to the target.
        let entry = Entry::parse(b"lrwxrwxrwx 1 root root 7 Mar 3 12:00 my link -> a -> b").unwrap();
        assert_eq!(entry.name, b"my link");
        assert_eq!(entry.link_target, Some(&b"a -> b"[..]));
        // A symlink line without a target.
        let entry = Entry::parse(b"lrwxrwxrwx 1 root root 7 Mar 3 12:00 link").unwrap();
        assert_eq!((entry.name, entry.link_target), (&b"link"[..], None));
        // Only symlinks have targets.
        let entry = Entry::parse(b"-rw-r--r-- 1 root root 7 Mar 3 12:00 a -> b").unwrap();
        assert_eq!((entry.name, entry.link_target), (&b"a -> b"[..], None));
    }

    #[test]
    fn file_types() {
        let kind = |line: &[u8]| Entry::parse(line).map(|entry| entry.kind);
        assert_eq!(kind(b"prw-r--r-- 1 root root 0 Mar 3 12:00 fifo"), Ok(EntryKind::Other));
        assert_eq!(kind(b"srwxrwxrwx 1 root root 0 Mar 3 12:00 sock"), Ok(EntryKind::Other));
        assert_eq!(
            Entry::parse(b"crw-rw-rw- 1 root tty 5, 0 Mar 3 12:00 tty"),
            Ok(unix(EntryKind::Other, b"rw-rw-rw-", None, b"Mar 3 12:00", b"tty", None))
        );
        assert_eq!(
            Entry::parse(b"brw-rw----   1 root disk   8,   0 Mar  3 12:00 sda"),
            Ok(unix(EntryKind::Other, b"rw-rw----", None, b"Mar  3 12:00", b"sda", None))
        );
        assert_eq!(
            kind(b"xrw-r--r-- 1 root root 0 Mar 3 12:00 f"),
            Err(ListingError::Unrecognised { offset: 0 })
        );
    }

    #[test]
    fn permission_markers() {
        for line in [
            &b"-rw-r--r--+ 1 a b 1 Mar 3 12:00 f"[..],
            b"-rw-r--r--@ 1 a b 1 Mar 3 12:00 f",
            b"-rw-r--r--. 1 a b 1 Mar 3 12:00 f",
        ] {
            let entry = Entry::parse(line).unwrap();
            assert_eq!(entry.permissions, Some(&b"rw-r--r--"[..]));
            assert_eq!(entry.name, b"f");
        }
        let entry = Entry::parse(b"drwsr-sr-t 1 a b 1 Mar 3 12:00 sticky").unwrap();
        assert_eq!(entry.permissions, Some(&b"rwsr-sr-t"[..]));
    }

    #[test]
    fn group_column_may_be_missing() {
        assert_eq!(
            Entry::parse(b"-rw-r--r-- 1 owner 1234 Jan 1 00:00 f"),
            Ok(unix(EntryKind::File, b"rw-r--r--", Some(1234), b"Jan 1 00:00", b"f", None))
        );
        // Numeric owner and group.
        assert_eq!(
            Entry::parse(b"-rw-r--r-- 1 1000 1000 5 Jan 1 00:00 f"),
            Ok(unix(EntryKind::File, b"rw-r--r--", Some(5), b"Jan 1 00:00", b"f", None))
        );
        // Numeric owner, no group.
        assert_eq!(
            Entry::parse(b"-rw-r--r-- 1 1000 5 Jan 1 00:00 f"),
            Ok(unix(EntryKind::File, b"rw-r--r--", Some(5), b"Jan 1 00:00", b"f", None))
        );
    }

    #[test]
    fn names_with_spaces() {
        let entry = Entry::parse(b"-rw-r--r-- 1 a b 5 Jan 1 00:00 my  file .txt ").unwrap();
        assert_eq!(entry.name, b"my  file .txt ");
        // The whole run of blanks after the date separates; the name starts after it.
        let entry = Entry::parse(b"-rw-r--r-- 1 a b 5 Jan 1 00:00    spaced").unwrap();
        assert_eq!(entry.name, b"spaced");
        let entry = Entry::parse(b"09-30-24  01:52AM  5 my file.txt").unwrap();
        assert_eq!(entry.name, b"my file.txt");
    }

    #[test]
    fn names_are_bytes() {
        let entry = Entry::parse("-rw-r--r-- 1 a b 5 Jan 1 00:00 résumé.pdf".as_bytes()).unwrap();
        assert_eq!(entry.name, "résumé.pdf".as_bytes());
        let entry = Entry::parse(b"-rw-r--r-- 1 a b 5 Jan 1 00:00 \xff\xfe").unwrap();
        assert_eq!(entry.name, b"\xff\xfe");
    }

    #[test]
    fn huge_sizes() {
        let entry = Entry::parse(b"-rw-r--r-- 1 a b 18446744073709551615 Jan 1 00:00 f").unwrap();
        assert_eq!(entry.size, Some(u64::MAX));
        assert_eq!(
            Entry::parse(b"-rw-r--r-- 1 a b 18446744073709551616 Jan 1 00:00 f"),
            Err(ListingError::Unrecognised { offset: 13 })
        );
        let entry = Entry::parse(b"-rw-r--r-- 1 a b 007 Jan 1 00:00 f").unwrap();
        assert_eq!(entry.size, Some(7));
    }

    #[test]
    fn dos_lines() {
        assert_eq!(
            Entry::parse(b"09-30-24  01:52AM       <DIR>          docs"),
            Ok(dos(EntryKind::Directory, None, b"09-30-24  01:52AM", b"docs"))
        );
        assert_eq!(
            Entry::parse(b"09-30-24  01:52AM                    5 12.txt"),
            Ok(dos(EntryKind::File, Some(5), b"09-30-24  01:52AM", b"12.txt"))
        );
        assert_eq!(
            Entry::parse(b"09-30-2024  13:52                    5 12.txt"),
            Ok(dos(EntryKind::File, Some(5), b"09-30-2024  13:52", b"12.txt"))
        );
        assert_eq!(
            Entry::parse(b"12-01-2024  11:07pm       <DIR>          My Documents"),
            Ok(dos(EntryKind::Directory, None, b"12-01-2024  11:07pm", b"My Documents"))
        );
    }

    #[test]
    fn line_terminators_are_ignored() {
        let expected = unix(EntryKind::File, b"rw-r--r--", Some(5), b"Jan 1 00:00", b"f", None);
        for line in [
            &b"-rw-r--r-- 1 a b 5 Jan 1 00:00 f\r\n"[..],
            b"-rw-r--r-- 1 a b 5 Jan 1 00:00 f\n",
            b"-rw-r--r-- 1 a b 5 Jan 1 00:00 f\r",
        ] {
            assert_eq!(Entry::parse(line), Ok(expected));
        }
        assert_eq!(
            Entry::parse(b"09-30-24  01:52AM       <DIR>          docs\r\n").map(|e| e.name),
            Ok(&b"docs"[..])
        );
    }

    #[test]
    fn empty_and_total_lines() {
        for line in [&b""[..], b"\r\n", b"\n", b"   ", b" \t \r\n"] {
            assert_eq!(Entry::parse(line), Err(ListingError::Empty));
        }
        for line in [&b"total 12"[..], b"total 0\r\n", b"total  1.5K"] {
            assert_eq!(Entry::parse(line), Err(ListingError::Total));
        }
    }

    #[test]
    fn rejections() {
        let offset = |line: &[u8]| match Entry::parse(line) {
            Err(ListingError::Unrecognised { offset }) => offset,
            other => panic!("{:?} parsed as {other:?}", String::from_utf8_lossy(line)),
        };
        assert_eq!(offset(b"hello world"), 0);
        assert_eq!(offset(b"total"), 0);
        assert_eq!(offset(b"total 12 files"), 0);
        assert_eq!(offset(b" -rw-r--r-- 1 a b 5 Jan 1 00:00 f"), 0);
        // Permissions too short.
        assert_eq!(offset(b"-rw-r--r 1 a b 5 Jan 1 00:00 f"), 1);
        // No link count.
        assert_eq!(offset(b"-rw-r--r-- a b 5 Jan 1 00:00 f"), 11);
        // Not a month.
        assert_eq!(offset(b"-rw-r--r-- 1 a b 5 Foo 1 00:00 f"), 13);
        // Neither a time nor a year.
        assert_eq!(offset(b"-rw-r--r-- 1 a b 5 Jan 1 0000:00 f"), 13);
        // No name.
        assert_eq!(offset(b"-rw-r--r-- 1 a b 5 Jan 1 00:00"), 30);
        assert_eq!(offset(b"-rw-r--r-- 1 a b 5 Jan 1 00:00   "), 33);
        // Negative size.
        assert_eq!(offset(b"-rw-r--r-- 1 a b -5 Jan 1 00:00 f"), 13);
        // DOS: three-digit year, no AM/PM separator, bad size, no name.
        assert_eq!(offset(b"09-30-202  01:52AM  5 f"), 0);
        assert_eq!(offset(b"09/30/24  01:52AM  5 f"), 0);
        assert_eq!(offset(b"09-30-24  01:52AM  <dir> f"), 17);
        assert_eq!(offset(b"09-30-24  01:52AM  5"), 20);
    }

    #[test]
    fn errors_display() {
        assert_eq!(format!("{}", ListingError::Empty), "empty listing line");
        assert_eq!(
            format!("{}", ListingError::Unrecognised { offset: 3 }),
            "line is neither a unix `ls -l` nor a DOS/IIS listing line (at byte 3)"
        );
    }

    const LISTING: &str = "total 12
drwxr-xr-x 2 ftp ftp 4096 Jan  1  2024 docs

-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt
garbage
lrwxrwxrwx 1 root root 7 Mar 3 12:00 link -> target
";

    /// The names, or errors, that `LISTING` yields.
    fn listing_outline(listing: &[u8]) -> Vec<Result<&[u8], ListingError>> {
        entries(listing).map(|entry| entry.map(|entry| entry.name)).collect()
    }

    #[test]
    fn entries_over_a_listing() {
        let expected: Vec<Result<&[u8], ListingError>> = vec![
            Err(ListingError::Total),
            Ok(b"docs"),
            Ok(b"12.txt"),
            Err(ListingError::Unrecognised { offset: 0 }),
            Ok(b"link"),
        ];
        let lf = LISTING.as_bytes();
        let crlf = LISTING.replace('\n', "\r\n");
        let cr = LISTING.replace('\n', "\r");
        assert_eq!(listing_outline(lf), expected);
        assert_eq!(listing_outline(crlf.as_bytes()), expected);
        assert_eq!(listing_outline(cr.as_bytes()), expected);
        // No terminator after the last line, and blank lines of every kind.
        let ragged = "\r\n\n\r  \r\ndrwxr-xr-x 2 ftp ftp 4096 Jan  1  2024 docs\r\n\r\n\n09-30-24  01:52AM  5 f";
        assert_eq!(listing_outline(ragged.as_bytes()), [Ok(&b"docs"[..]), Ok(b"f")]);
    }

    #[test]
    fn entries_edge_cases() {
        assert_eq!(entries(b"").next(), None);
        assert_eq!(entries(b"\r\n\r\n \n").next(), None);
        let mut iter = entries(b"-rw-r--r-- 1 a b 5 Jan 1 00:00 f");
        assert!(iter.next().is_some());
        assert_eq!(iter.next(), None);
        assert_eq!(iter.next(), None);
    }

    /// One generated unix line and the fields it must parse to.
    #[derive(Debug)]
    struct UnixLine {
        line: String,
        kind: EntryKind,
        permissions: String,
        size: u64,
        date: String,
        name: String,
        link_target: Option<String>,
    }

    /// A run of 1 to 3 spaces.
    fn blanks() -> impl Strategy<Value = String> {
        (1..=3usize).prop_map(|n| " ".repeat(n))
    }

    /// `Mon D HH:MM` or `Mon D YYYY`, in varying case, padding and spacing.
    fn unix_dates() -> impl Strategy<Value = String> {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let month = (prop::sample::select(&MONTHS[..]), 0..3u8).prop_map(|(month, case)| match case {
            0 => String::from(month),
            1 => month.to_ascii_lowercase(),
            _ => month.to_ascii_uppercase(),
        });
        let day = (1..=31u8, any::<bool>())
            .prop_map(|(day, padded)| if padded { format!("{day:02}") } else { format!("{day}") });
        let time_or_year = prop_oneof![
            (0..24u8, 0..60u8).prop_map(|(h, m)| format!("{h:02}:{m:02}")),
            (0..10u8, 0..60u8).prop_map(|(h, m)| format!("{h}:{m:02}")),
            (1970..=2099u16).prop_map(|year| format!("{year}")),
        ];
        (month, blanks(), day, blanks(), time_or_year)
            .prop_map(|(month, s1, day, s2, time)| format!("{month}{s1}{day}{s2}{time}"))
    }

    fn unix_lines() -> impl Strategy<Value = UnixLine> {
        let kind = prop::sample::select(&[
            ('-', EntryKind::File),
            ('d', EntryKind::Directory),
            ('l', EntryKind::Symlink),
            ('p', EntryKind::Other),
            ('s', EntryKind::Other),
        ][..]);
        let owner = "[a-z_][a-z0-9_-]{0,8}|[0-9]{1,5}";
        let columns = (
            prop::option::of(prop::sample::select(&['+', '@', '.'][..])),
            1..10_000u32,
            owner,
            prop::option::of(owner),
            any::<u64>(),
            blanks(),
            blanks(),
            blanks(),
            blanks(),
        );
        let name = "[^ \\p{C}][^\\p{C}]{0,24}";
        let target = "[^\\p{C}]{0,24}";
        (kind, "[-rwxsStT]{9}", columns, unix_dates(), blanks(), name, target)
            .prop_filter("a symlink's name cannot hold its own arrow", |(kind, .., name, _)| {
                kind.1 != EntryKind::Symlink || !format!("{name} ").contains(" -> ")
            })
            .prop_map(|((type_char, kind), permissions, columns, date, s_name, name, target)| {
                let (acl, links, owner, group, size, s1, s2, s3, s4) = columns;
                let acl = acl.map(String::from).unwrap_or_default();
                let group = group.map(|group| format!("{group}{s3}")).unwrap_or_default();
                let link_target = (kind == EntryKind::Symlink).then_some(target);
                let shown_name = match &link_target {
                    Some(target) => format!("{name} -> {target}"),
                    None => name.clone(),
                };
                UnixLine {
                    line: format!(
                        "{type_char}{permissions}{acl}{s1}{links}{s2}{owner}{s3}{group}{size}{s4}{date}{s_name}{shown_name}"
                    ),
                    kind,
                    permissions,
                    size,
                    date,
                    name,
                    link_target,
                }
            })
    }

    proptest! {
        #[test]
        fn parse_never_panics(line in prop::collection::vec(any::<u8>(), 0..160)) {
            let _ = Entry::parse(&line);
            let _ = entries(&line).count();
        }

        #[test]
        fn parse_never_panics_on_near_misses(
            line in "[-dlt0-9 :<>DIRrwx+AMPJanSep\r\n]{0,80}|[-dlrwx]{10} [0-9 a-z:,<>-]{0,60}"
        ) {
            let _ = Entry::parse(line.as_bytes());
            let _ = entries(line.as_bytes()).count();
        }

        #[test]
        fn unix_lines_round_trip(expected in unix_lines()) {
            let entry = Entry::parse(expected.line.as_bytes());
            prop_assert_eq!(
                entry,
                Ok(Entry {
                    kind: expected.kind,
                    permissions: Some(expected.permissions.as_bytes()),
                    size: Some(expected.size),
                    date: expected.date.as_bytes(),
                    name: expected.name.as_bytes(),
                    link_target: expected.link_target.as_deref().map(str::as_bytes),
                    style: ListingStyle::Unix,
                }),
                "line {:?}", expected.line
            );
        }
    }
}
