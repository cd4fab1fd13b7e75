//! The lines of an FTP directory listing, as the modem passes on the server's
//! raw `LIST` output for `AT+FTPLIST`.
//!
//! FTP leaves the format of `LIST` output to the server. In practice servers
//! send one of two styles, and this module understands both:
//!
//! - unix `ls -l`: `-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt`, with
//!   the summary line `total 12` that [`Entry::parse`] reports as
//!   [`ListingError::Total`];
//! - MS-DOS / IIS: `09-30-24  01:52AM       <DIR>          docs`.
//!
//! [`Entry::parse`] reads one line, [`entries`] every line of a listing. Both
//! borrow from the caller's bytes and never allocate.
//!
//! What this module does not do: it does not interpret dates (the date is
//! returned as the text the server wrote, whose year a unix listing leaves
//! out for recent files), does not decode names (they are bytes, in whatever
//! encoding the server uses), and does not read the machine-readable
//! `MLSD`/`MLST` formats or the bare names of `NLST`.

use core::iter::FusedIterator;

use memchr::memchr2;
use winnow::ascii::{digit1, space1};
use winnow::combinator::{alt, dispatch, eof, opt, peek, preceded};
use winnow::error::EmptyError;
use winnow::prelude::*;
use winnow::stream::{AsChar, Offset};
use winnow::token::{any, one_of, rest, take, take_till, take_while};

/// What kind of directory entry a line describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EntryKind {
    /// A regular file: type `-` in a unix line, a size in a DOS line.
    File,
    /// A directory: type `d` in a unix line, `<DIR>` in a DOS line.
    Directory,
    /// A symbolic link: type `l`; see [`Entry::link_target`].
    Symlink,
    /// Any other unix file type: block (`b`) or character (`c`) device,
    /// named pipe (`p`), socket (`s`), door (`D`), event port (`P`) or
    /// whiteout (`w`).
    Other,
}

/// One parsed listing line. All fields borrow from the line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// What the entry is.
    pub kind: EntryKind,
    /// The unix permission string without the type character and without a
    /// trailing ACL marker (`+`, `@` or `.`), e.g. `b"rw-rw-r--"`; `None` for
    /// DOS lines.
    pub permissions: Option<&'a [u8]>,
    /// The size in bytes; `None` for DOS `<DIR>` lines and for unix device
    /// files, which list `major, minor` device numbers instead.
    pub size: Option<u64>,
    /// The date and time text exactly as listed, internal spaces included,
    /// e.g. `b"Sep 30 01:52"`, `b"Jan  1  2024"` or `b"09-30-24  01:52AM"`.
    pub date: &'a [u8],
    /// The name: everything after the blanks that follow the date, interior
    /// and trailing spaces included; for symlinks the part before ` -> `.
    pub name: &'a [u8],
    /// The symlink target (after the first ` -> `), if this is a symlink
    /// line that shows one.
    pub link_target: Option<&'a [u8]>,
    /// Which listing style the line was in.
    pub style: ListingStyle,
}

impl core::fmt::Debug for Entry<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        use crate::bytes::Bytes;
        f.debug_struct("Entry")
            .field("kind", &self.kind)
            .field("permissions", &self.permissions.map(Bytes))
            .field("size", &self.size)
            .field("date", &Bytes(self.date))
            .field("name", &Bytes(self.name))
            .field("link_target", &self.link_target.map(Bytes))
            .field("style", &self.style)
            .finish()
    }
}

/// The listing style a line was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ListingStyle {
    /// Unix `ls -l`: type and permissions, link count, owner, group, size,
    /// date, name.
    Unix,
    /// MS-DOS / IIS: date, time, `<DIR>` or size, name.
    Dos,
}

/// Why a line is not a listing entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ListingError {
    /// The line is empty, or holds nothing but spaces and tabs.
    #[error("the listing line is empty")]
    Empty,
    /// The line is the `total <n>` block count a unix listing starts with.
    #[error("the line is the `total <n>` summary of a unix listing, not an entry")]
    Total,
    /// The line is in neither listing style.
    #[error(
        "the line is neither a unix `ls -l` line nor a DOS/IIS listing line (it stops fitting at offset {offset})"
    )]
    Unrecognised {
        /// How far into the line the grammar got: the byte where the first
        /// field that fits neither style starts, or where it stops fitting.
        offset: usize,
    },
}

impl<'a> Entry<'a> {
    /// Parses one listing line (without its line terminator; a trailing CR or
    /// LF is tolerated and ignored).
    ///
    /// # Errors
    ///
    /// [`ListingError::Empty`] for a blank line, [`ListingError::Total`] for
    /// the `total <n>` summary line, and [`ListingError::Unrecognised`] for
    /// anything that is in neither listing style.
    ///
    /// # Example
    ///
    /// ```
    /// use cellftp_proto::listing::{Entry, EntryKind, ListingError, ListingStyle};
    ///
    /// let entry = Entry::parse(b"-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\n")?;
    /// assert_eq!(entry.kind, EntryKind::File);
    /// assert_eq!(entry.permissions, Some(&b"rw-rw-r--"[..]));
    /// assert_eq!(entry.size, Some(5));
    /// assert_eq!(entry.date, b"Sep 30 01:52");
    /// assert_eq!(entry.name, b"12.txt");
    ///
    /// let dir = Entry::parse(b"09-30-24  01:52AM       <DIR>          docs")?;
    /// assert_eq!((dir.kind, dir.style), (EntryKind::Directory, ListingStyle::Dos));
    ///
    /// assert_eq!(Entry::parse(b"total 12"), Err(ListingError::Total));
    /// # Ok::<(), ListingError>(())
    /// ```
    //
    // Not inlined: its grammar stays out of the frame of a session's
    // receive loop (0.1 KiB of flash on a microcontroller).
    #[inline(never)]
    pub fn parse(line: &'a [u8]) -> Result<Entry<'a>, ListingError> {
        let line = trim_line_end(line);
        if line.iter().all(|&b| matches!(b, b' ' | b'\t')) {
            return Err(ListingError::Empty);
        }
        let mut input = line;
        match listing_line.parse_next(&mut input) {
            Ok(Line::Entry(entry)) => Ok(entry),
            Ok(Line::Total) => Err(ListingError::Total),
            Err(_) => Err(ListingError::Unrecognised {
                offset: input.offset_from(&line),
            }),
        }
    }
}

/// Iterates over the entries of a whole listing (lines separated by CR LF,
/// LF or CR), skipping empty lines; yields a `Result` per non-empty line.
///
/// The `total <n>` line is yielded as `Err(ListingError::Total)`, and the
/// offset of an [`ListingError::Unrecognised`] counts from the start of its
/// own line.
///
/// # Example
///
/// ```
/// use cellftp_proto::listing::entries;
///
/// let listing = b"total 8\r\ndrwxr-xr-x 2 ftp ftp 4096 Jan  1  2024 docs\r\n\
///                 -rw-r--r-- 1 ftp ftp 5 Sep 30 01:52 12.txt\r\n";
/// let names: Vec<&[u8]> = entries(listing).filter_map(Result::ok).map(|e| e.name).collect();
/// assert_eq!(names, [&b"docs"[..], b"12.txt"]);
/// ```
pub fn entries(listing: &[u8]) -> Entries<'_> {
    Entries { rest: listing }
}

/// Iterator over the lines of a listing, returned by [`entries`].
#[derive(Debug, Clone)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Entries<'a> {
    /// The listing from the start of the next line on.
    rest: &'a [u8],
}

impl<'a> Entries<'a> {
    /// Splits off the next line, without its terminator.
    fn next_line(&mut self) -> Option<&'a [u8]> {
        if self.rest.is_empty() {
            return None;
        }
        let end = memchr2(b'\r', b'\n', self.rest).unwrap_or(self.rest.len());
        let (line, terminator) = self.rest.split_at_checked(end).unwrap_or((self.rest, &[]));
        self.rest = terminator
            .strip_prefix(b"\r\n")
            .or_else(|| terminator.get(1..))
            .unwrap_or(terminator);
        Some(line)
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = Result<Entry<'a>, ListingError>;

    fn next(&mut self) -> Option<Self::Item> {
        while let Some(line) = self.next_line() {
            match Entry::parse(line) {
                Err(ListingError::Empty) => {}
                result => return Some(result),
            }
        }
        None
    }
}

impl FusedIterator for Entries<'_> {}

/// Strips any trailing CR and LF bytes.
fn trim_line_end(mut line: &[u8]) -> &[u8] {
    while let [head @ .., b'\r' | b'\n'] = line {
        line = head;
    }
    line
}

/// What a non-blank line is.
#[derive(Clone, Copy)]
enum Line<'a> {
    Entry(Entry<'a>),
    Total,
}

/// The grammar's input: one complete line, terminator removed. A set of
/// bytes is written as a tuple (`(b' ', b'\t')`), which compares byte by
/// byte, not as an array or slice, which winnow searches with `contains`
/// (a `memchr`, more code for a set this small).
type Input<'a> = &'a [u8];

/// A rule's result. A failure says nothing but where it stopped (the
/// input's position), all [`ListingError::Unrecognised`] reports: an error
/// type without context keeps the grammar small on a microcontroller.
type Parsed<T> = ModalResult<T, EmptyError>;

/// `line = dos-entry / total / unix-entry`, told apart by the first byte: a
/// digit starts a DOS date, and no unix file type is `t`.
fn listing_line<'a>(input: &mut Input<'a>) -> Parsed<Line<'a>> {
    dispatch! {peek(any);
        b'0'..=b'9' => dos_entry.map(Line::Entry),
        b't' => total.value(Line::Total),
        _ => unix_entry.map(Line::Entry),
    }
    .parse_next(input)
}

/// `total = "total" SP+ 1*DIGIT [unit]`, e.g. `total 12`, or `total 1.5K`
/// from `ls -h`.
fn total(input: &mut Input<'_>) -> Parsed<()> {
    (
        "total",
        space1,
        digit1,
        take_while(0.., |b: u8| b.is_ascii_alphanumeric() || b == b'.'),
        eof,
    )
        .void()
        .parse_next(input)
}

/// `unix-entry = type permissions [acl] SP+ links SP+ owner SP+ size-and-date SP+ name`
fn unix_entry<'a>(input: &mut Input<'a>) -> Parsed<Entry<'a>> {
    let kind = file_type.parse_next(input)?;
    let permissions = permissions.parse_next(input)?;
    (opt(acl_marker), space1, link_count, space1, owner, space1)
        .void()
        .parse_next(input)?;
    let (size, date) = size_and_date.parse_next(input)?;
    let name = preceded(space1, name).parse_next(input)?;
    let (name, link_target) = match kind {
        EntryKind::Symlink => split_link(name),
        _ => (name, None),
    };
    Ok(Entry {
        kind,
        permissions: Some(permissions),
        size,
        date,
        name,
        link_target,
        style: ListingStyle::Unix,
    })
}

/// `type = "-" / "d" / "l" / "b" / "c" / "p" / "s" / "D" / "P" / "w"`
fn file_type(input: &mut Input<'_>) -> Parsed<EntryKind> {
    any.verify_map(|b| match b {
        b'-' => Some(EntryKind::File),
        b'd' => Some(EntryKind::Directory),
        b'l' => Some(EntryKind::Symlink),
        b'b' | b'c' | b'p' | b's' | b'D' | b'P' | b'w' => Some(EntryKind::Other),
        _ => None,
    })
    .parse_next(input)
}

/// `permissions = 9("r" / "w" / "x" / "-" / "s" / "S" / "t" / "T" / "l")`:
/// nine bytes taken, then checked (less code than counting matches with
/// `take_while`, for the same answer), each by a `match` rather than a
/// search of the letters (`contains`, a `memchr`).
fn permissions<'a>(input: &mut Input<'a>) -> Parsed<&'a [u8]> {
    take(9usize)
        .verify(|p: &[u8]| {
            p.iter().all(|b| {
                matches!(
                    b,
                    b'r' | b'w' | b'x' | b'-' | b's' | b'S' | b't' | b'T' | b'l'
                )
            })
        })
        .parse_next(input)
}

/// `acl = "+" / "@" / "."`: an ACL, extended attributes, or a `SELinux`
/// security context.
fn acl_marker(input: &mut Input<'_>) -> Parsed<u8> {
    one_of((b'+', b'@', b'.')).parse_next(input)
}

/// `links = 1*DIGIT`
fn link_count<'a>(input: &mut Input<'a>) -> Parsed<&'a [u8]> {
    digit1.parse_next(input)
}

/// `owner = 1*(any byte but SP and TAB)`; the group has the same form.
fn owner<'a>(input: &mut Input<'a>) -> Parsed<&'a [u8]> {
    take_till(1.., (b' ', b'\t')).parse_next(input)
}

/// `size-and-date = [group SP+] size SP+ date`
///
/// Some servers leave out the group. The reading without a group is tried
/// first, and it can only succeed on a line that has none: with a group, the
/// token after the first would have to be both a size and a month name.
fn size_and_date<'a>(input: &mut Input<'a>) -> Parsed<(Option<u64>, &'a [u8])> {
    let size_date = || (unix_size, preceded(space1, unix_date));
    alt((size_date(), preceded((owner, space1), size_date()))).parse_next(input)
}

/// `size = device-numbers / 1*DIGIT`
fn unix_size(input: &mut Input<'_>) -> Parsed<Option<u64>> {
    alt((device_numbers.value(None), decimal.map(Some))).parse_next(input)
}

/// `device-numbers = 1*DIGIT "," *SP 1*DIGIT`: `major, minor`, listed
/// instead of a size for device files. The blanks are matched by a rule of
/// their own ([`blanks0`]) rather than `space0`: `space1`'s code then serves one range
/// (`1..`), and is compiled for it alone (0.2 KiB less on a
/// microcontroller than one copy deciding between `0..` and `1..`).
fn device_numbers(input: &mut Input<'_>) -> Parsed<()> {
    (digit1, b',', blanks0, digit1).void().parse_next(input)
}

/// `*(SP / TAB)`, as `space0` reads it.
fn blanks0<'a>(input: &mut Input<'a>) -> Parsed<&'a [u8]> {
    take_while(0.., (b' ', b'\t')).parse_next(input)
}

/// `date = month SP+ day SP+ (time / year)`, as the slice it spans.
fn unix_date<'a>(input: &mut Input<'a>) -> Parsed<&'a [u8]> {
    (month, space1, day, space1, alt((clock, year)))
        .take()
        .parse_next(input)
}

/// `month = "Jan" / "Feb" / ... / "Dec"`, in any case: three bytes taken,
/// then compared with the names (which are letters, so no separate check
/// that the bytes are).
fn month<'a>(input: &mut Input<'a>) -> Parsed<&'a [u8]> {
    const MONTHS: [[u8; 3]; 12] = [
        *b"jan", *b"feb", *b"mar", *b"apr", *b"may", *b"jun", *b"jul", *b"aug", *b"sep", *b"oct",
        *b"nov", *b"dec",
    ];
    take(3usize)
        .verify(|name: &[u8]| {
            <[u8; 3]>::try_from(name)
                .is_ok_and(|name| MONTHS.contains(&name.map(|b| b.to_ascii_lowercase())))
        })
        .parse_next(input)
}

/// `day = 1*2DIGIT`
fn day<'a>(input: &mut Input<'a>) -> Parsed<&'a [u8]> {
    take_while(1..=2, AsChar::is_dec_digit).parse_next(input)
}

/// `clock = 1*2DIGIT ":" 2DIGIT`; only matched (the date or time around
/// it is taken whole).
fn clock(input: &mut Input<'_>) -> Parsed<()> {
    (
        take_while(1..=2, AsChar::is_dec_digit),
        b':',
        take_while(2, AsChar::is_dec_digit),
    )
        .void()
        .parse_next(input)
}

/// `year = 4DIGIT`; only matched, as [`clock`].
fn year(input: &mut Input<'_>) -> Parsed<()> {
    take_while(4, AsChar::is_dec_digit).void().parse_next(input)
}

/// `name = 1*OCTET`: the rest of the line, which starts after the blanks that
/// separate it from the date.
fn name<'a>(input: &mut Input<'a>) -> Parsed<&'a [u8]> {
    rest.verify(|name: &[u8]| !name.is_empty())
        .parse_next(input)
}

/// Splits a symlink's `name -> target` at the first ` -> `. A plain scan:
/// it runs on symlinks' names only, and `memmem`'s searchers would cost a
/// microcontroller 1.3 KiB of flash.
fn split_link(name: &[u8]) -> (&[u8], Option<&[u8]>) {
    const ARROW: &[u8] = b" -> ";
    name.windows(ARROW.len())
        .position(|w| w == ARROW)
        .and_then(|at| name.split_at_checked(at))
        .and_then(|(name, arrow_target)| Some((name, Some(arrow_target.strip_prefix(ARROW)?))))
        .unwrap_or((name, None))
}

/// `dos-entry = dos-date SP+ dos-time SP+ ("<DIR>" / size) SP+ name`
fn dos_entry<'a>(input: &mut Input<'a>) -> Parsed<Entry<'a>> {
    let date = (dos_date, space1, dos_time).take().parse_next(input)?;
    let (kind, size) = preceded(space1, dos_dir_or_size).parse_next(input)?;
    let name = preceded(space1, name).parse_next(input)?;
    Ok(Entry {
        kind,
        permissions: None,
        size,
        date,
        name,
        link_target: None,
        style: ListingStyle::Dos,
    })
}

/// `dos-date = 1*2DIGIT "-" 1*2DIGIT "-" (4DIGIT / 2DIGIT)`, month first;
/// only matched (`dos-entry` takes the date and time whole).
fn dos_date(input: &mut Input<'_>) -> Parsed<()> {
    let two_digits = || take_while(1..=2, AsChar::is_dec_digit);
    let year = take_while(2..=4, AsChar::is_dec_digit).verify(|year: &[u8]| year.len() != 3);
    (two_digits(), b'-', two_digits(), b'-', year)
        .void()
        .parse_next(input)
}

/// `dos-time = clock [("A" / "P") "M"]`, the suffix in any case: its two
/// letters one by one, not two whole caseless words tried in turn. Only
/// matched, as [`dos_date`].
fn dos_time(input: &mut Input<'_>) -> Parsed<()> {
    (
        clock,
        opt((one_of((b'A', b'a', b'P', b'p')), one_of((b'M', b'm')))),
    )
        .void()
        .parse_next(input)
}

/// `"<DIR>"` for a directory, else the file's size: `<` picks the rule.
fn dos_dir_or_size(input: &mut Input<'_>) -> Parsed<(EntryKind, Option<u64>)> {
    dispatch! {peek(any);
        b'<' => "<DIR>".value((EntryKind::Directory, None)),
        _ => decimal.map(|size| (EntryKind::File, Some(size))),
    }
    .parse_next(input)
}

/// `1*DIGIT` as a `u64`; a number too large for one does not match.
fn decimal(input: &mut Input<'_>) -> Parsed<u64> {
    digit1.verify_map(parse_u64).parse_next(input)
}

/// ASCII digits as a `u64`, `None` if it overflows: digit by digit, as
/// `str::parse` would link its general parser (signs, radixes) into firmware.
fn parse_u64(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |n, &d| {
        n.checked_mul(10)?
            .checked_add(u64::from(d.wrapping_sub(b'0')))
    })
}

#[cfg(test)]
mod tests {
    extern crate std;

    use std::string::String;
    use std::vec::Vec;
    use std::{format, vec};

    use proptest::prelude::*;

    use super::{entries, parse_u64, Entry, EntryKind, ListingError, ListingStyle};

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
            Ok(unix(
                EntryKind::File,
                b"rw-rw-r--",
                Some(5),
                b"jul 07 09:30",
                b"123.txt",
                None
            ))
        );
        assert_eq!(
            Entry::parse(b"-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt"),
            Ok(unix(
                EntryKind::File,
                b"rw-rw-r--",
                Some(5),
                b"Sep 30 01:52",
                b"12.txt",
                None
            ))
        );
    }

    #[test]
    fn unix_directory_with_year() {
        assert_eq!(
            Entry::parse(b"drwxr-xr-x 2 ftp ftp 4096 Jan  1  2024 docs"),
            Ok(unix(
                EntryKind::Directory,
                b"rwxr-xr-x",
                Some(4096),
                b"Jan  1  2024",
                b"docs",
                None
            ))
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
        let entry =
            Entry::parse(b"lrwxrwxrwx 1 root root 7 Mar 3 12:00 my link -> a -> b").unwrap();
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
        assert_eq!(
            kind(b"prw-r--r-- 1 root root 0 Mar 3 12:00 fifo"),
            Ok(EntryKind::Other)
        );
        assert_eq!(
            kind(b"srwxrwxrwx 1 root root 0 Mar 3 12:00 sock"),
            Ok(EntryKind::Other)
        );
        assert_eq!(
            Entry::parse(b"crw-rw-rw- 1 root tty 5, 0 Mar 3 12:00 tty"),
            Ok(unix(
                EntryKind::Other,
                b"rw-rw-rw-",
                None,
                b"Mar 3 12:00",
                b"tty",
                None
            ))
        );
        assert_eq!(
            Entry::parse(b"brw-rw----   1 root disk   8,   0 Mar  3 12:00 sda"),
            Ok(unix(
                EntryKind::Other,
                b"rw-rw----",
                None,
                b"Mar  3 12:00",
                b"sda",
                None
            ))
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
            Ok(unix(
                EntryKind::File,
                b"rw-r--r--",
                Some(1234),
                b"Jan 1 00:00",
                b"f",
                None
            ))
        );
        // Numeric owner and group.
        assert_eq!(
            Entry::parse(b"-rw-r--r-- 1 1000 1000 5 Jan 1 00:00 f"),
            Ok(unix(
                EntryKind::File,
                b"rw-r--r--",
                Some(5),
                b"Jan 1 00:00",
                b"f",
                None
            ))
        );
        // Numeric owner, no group.
        assert_eq!(
            Entry::parse(b"-rw-r--r-- 1 1000 5 Jan 1 00:00 f"),
            Ok(unix(
                EntryKind::File,
                b"rw-r--r--",
                Some(5),
                b"Jan 1 00:00",
                b"f",
                None
            ))
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
            Err(ListingError::Unrecognised { offset: 17 })
        );
        let entry = Entry::parse(b"-rw-r--r-- 1 a b 007 Jan 1 00:00 f").unwrap();
        assert_eq!(entry.size, Some(7));
    }

    #[test]
    fn dos_lines() {
        assert_eq!(
            Entry::parse(b"09-30-24  01:52AM       <DIR>          docs"),
            Ok(dos(
                EntryKind::Directory,
                None,
                b"09-30-24  01:52AM",
                b"docs"
            ))
        );
        assert_eq!(
            Entry::parse(b"09-30-24  01:52AM                    5 12.txt"),
            Ok(dos(
                EntryKind::File,
                Some(5),
                b"09-30-24  01:52AM",
                b"12.txt"
            ))
        );
        assert_eq!(
            Entry::parse(b"09-30-2024  13:52                    5 12.txt"),
            Ok(dos(
                EntryKind::File,
                Some(5),
                b"09-30-2024  13:52",
                b"12.txt"
            ))
        );
        assert_eq!(
            Entry::parse(b"12-01-2024  11:07pm       <DIR>          My Documents"),
            Ok(dos(
                EntryKind::Directory,
                None,
                b"12-01-2024  11:07pm",
                b"My Documents"
            ))
        );
    }

    #[test]
    fn line_terminators_are_ignored() {
        let expected = unix(
            EntryKind::File,
            b"rw-r--r--",
            Some(5),
            b"Jan 1 00:00",
            b"f",
            None,
        );
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
        assert_eq!(offset(b"total"), 5);
        assert_eq!(offset(b"total 12 files"), 8);
        assert_eq!(offset(b" -rw-r--r-- 1 a b 5 Jan 1 00:00 f"), 0);
        // Permissions too short.
        assert_eq!(offset(b"-rw-r--r 1 a b 5 Jan 1 00:00 f"), 1);
        // No link count.
        assert_eq!(offset(b"-rw-r--r-- a b 5 Jan 1 00:00 f"), 11);
        // Not a month.
        assert_eq!(offset(b"-rw-r--r-- 1 a b 5 Foo 1 00:00 f"), 19);
        // Neither a time nor a year: `0000` is read as a year, and `:00` is left over.
        assert_eq!(offset(b"-rw-r--r-- 1 a b 5 Jan 1 0000:00 f"), 29);
        // No name.
        assert_eq!(offset(b"-rw-r--r-- 1 a b 5 Jan 1 00:00"), 30);
        assert_eq!(offset(b"-rw-r--r-- 1 a b 5 Jan 1 00:00   "), 33);
        // Negative size.
        assert_eq!(offset(b"-rw-r--r-- 1 a b -5 Jan 1 00:00 f"), 17);
        // DOS: a three-digit year, slashes, a lower-case `<dir>`, no name.
        assert_eq!(offset(b"09-30-202  01:52AM  5 f"), 6);
        assert_eq!(offset(b"09/30/24  01:52AM  5 f"), 2);
        assert_eq!(offset(b"09-30-24  01:52AM  <dir> f"), 19);
        assert_eq!(offset(b"09-30-24  01:52AM  5"), 20);
    }

    #[test]
    fn errors_display() {
        assert_eq!(
            format!("{}", ListingError::Empty),
            "the listing line is empty"
        );
        assert_eq!(
            format!("{}", ListingError::Unrecognised { offset: 3 }),
            "the line is neither a unix `ls -l` line nor a DOS/IIS listing line (it stops fitting at offset 3)"
        );
    }

    const LISTING: &str = "total 12
drwxr-xr-x 2 ftp ftp 4096 Jan  1  2024 docs

-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt
garbage
lrwxrwxrwx 1 root root 7 Mar 3 12:00 link -> target
";

    /// The names, or errors, that a listing yields.
    fn listing_outline(listing: &[u8]) -> Vec<Result<&[u8], ListingError>> {
        entries(listing)
            .map(|entry| entry.map(|entry| entry.name))
            .collect()
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
        assert_eq!(
            listing_outline(ragged.as_bytes()),
            [Ok(&b"docs"[..]), Ok(b"f")]
        );
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
        let month =
            (prop::sample::select(&MONTHS[..]), 0..3u8).prop_map(|(month, case)| match case {
                0 => String::from(month),
                1 => month.to_ascii_lowercase(),
                _ => month.to_ascii_uppercase(),
            });
        let day = (1..=31u8, any::<bool>()).prop_map(|(day, padded)| {
            if padded {
                format!("{day:02}")
            } else {
                format!("{day}")
            }
        });
        let time_or_year = prop_oneof![
            (0..24u8, 0..60u8).prop_map(|(h, m)| format!("{h:02}:{m:02}")),
            (0..10u8, 0..60u8).prop_map(|(h, m)| format!("{h}:{m:02}")),
            (1970..=2099u16).prop_map(|year| format!("{year}")),
        ];
        (month, blanks(), day, blanks(), time_or_year)
            .prop_map(|(month, s1, day, s2, time)| format!("{month}{s1}{day}{s2}{time}"))
    }

    /// Well-formed unix lines of every shape the grammar accepts, names with
    /// interior spaces and non-ASCII characters included.
    fn unix_lines() -> impl Strategy<Value = UnixLine> {
        let kind = prop::sample::select(
            &[
                ('-', EntryKind::File),
                ('d', EntryKind::Directory),
                ('l', EntryKind::Symlink),
                ('p', EntryKind::Other),
                ('s', EntryKind::Other),
            ][..],
        );
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

    proptest! {
        /// Digits read as `str::parse` reads them, overflow included.
        #[test]
        fn digits_are_read_as_str_parse_reads_them(digits in "[0-9]{1,25}") {
            prop_assert_eq!(parse_u64(digits.as_bytes()), digits.parse::<u64>().ok());
        }
    }
}
