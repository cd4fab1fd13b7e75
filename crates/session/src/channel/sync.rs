//! The resynchronisation after an answer was lost, for either dialect: a
//! numbered probe whose answer no earlier command can give.
//!
//! A command that ends without its final result (a timeout, a response of
//! another command's kind, a restart) may still be answered, later, in the
//! modem's order. Before anything else is sent, the channel sets the
//! download name to `cellftp-sync-<n>` (`AT+FTPGETNAME=…`, in the dialect's
//! form) and then asks it (`AT+FTPGETNAME?`), with `<n>` a number it never
//! used before: the name coming back can only be the answer to this query,
//! so once it came, the next final result is the query's, and every answer
//! after it belongs to a command sent after it. Every item before it is
//! stale, and reported as such. The dialect builds the two commands and
//! recognises the name in its answer (`Dialect::sync_set`,
//! `Dialect::sync_query`, `Dialect::is_sync_name`). This module holds the
//! probe's states and its name; the channel's methods that move between
//! them are in the parent module, beside the rest of its transitions, so
//! that this one stays a leaf.

/// Where the channel stands with the modem's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sync {
    /// Every final result so far was paired with its command.
    Steady,
    /// An answer was lost: probe before the next command; `attempts`
    /// probes went unanswered.
    Lost { attempts: u8 },
    /// The name is being set.
    Naming { attempts: u8 },
    /// The name is being asked; `seen` once the name came back.
    Asking { attempts: u8, seen: bool },
}

/// What a resynchronising probe made of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SyncReply {
    /// Not the probe's: report it.
    Stale,
    /// The probe's: nothing to report.
    Quiet,
}

/// What every resynchronising probe's name starts with.
const HEAD: &[u8] = b"cellftp-sync-";

/// True if `name` is one the session's resynchronising probe sets
/// (`cellftp-sync-<n>`, `<n>` a decimal number of at most 10 digits), as
/// in `AT+FTPGETNAME=cellftp-sync-3`: a reader of a log tells the session's
/// own probe from a download by it.
///
/// ```
/// assert!(cellftp_session::is_resync_name(b"cellftp-sync-42"));
/// assert!(!cellftp_session::is_resync_name(b"cellftp-sync-"));
/// assert!(!cellftp_session::is_resync_name(b"report.csv"));
/// ```
pub fn is_resync_name(name: &[u8]) -> bool {
    name.strip_prefix(HEAD)
        .is_some_and(|n| (1..=10).contains(&n.len()) && n.iter().all(u8::is_ascii_digit))
}

/// The name the resynchronising probe sets: `cellftp-sync-<n>`.
pub(crate) fn sync_name(n: u32, buf: &mut [u8; 24]) -> &[u8] {
    // The digits, written from the last one back.
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    let mut v = n;
    while let Some(d) = start.checked_sub(1).and_then(|i| digits.get_mut(i)) {
        *d = b'0' + (v % 10) as u8;
        start -= 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let number = digits.get(start..).unwrap_or_default();
    let len = HEAD.len() + number.len();
    let (head, rest) = buf.split_at_mut(HEAD.len());
    head.copy_from_slice(HEAD);
    if let Some(tail) = rest.get_mut(..number.len()) {
        tail.copy_from_slice(number);
    }
    buf.get(..len).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::sync_name;

    #[test]
    fn the_probe_name_carries_its_number() {
        let mut buf = [0u8; 24];
        assert_eq!(sync_name(0, &mut buf), b"cellftp-sync-0");
        assert_eq!(sync_name(u32::MAX, &mut buf), b"cellftp-sync-4294967295");
        for n in [0, 7, 4_294_967_295] {
            assert!(super::is_resync_name(sync_name(n, &mut buf)));
        }
        for n in [1, 9, 10, 99, 100, 12_345, 1_000_000_000, 999_999_999] {
            let expected = std::format!("cellftp-sync-{n}");
            assert_eq!(sync_name(n, &mut buf), expected.as_bytes());
        }
    }
}
