//! The session's trace hook (`Session::set_trace`): every command line sent
//! and every line received, passwords redacted by the session, logged for
//! `-v` at debug level (`cellftp::at`), the last line received kept for
//! `raw`, which prints its answer as the modem wrote it, and the last few
//! command lines sent, from which a SIMCom timeout's time is told. The
//! hook is a plain function, so what it keeps is per thread: the session
//! runs on the main thread.

use std::cell::RefCell;

use cellftp_proto::REDACTED;
use cellftp_session::{Direction, Segment, TraceLine};

thread_local! {
    /// The last line received, redacted.
    static LAST_RECEIVED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The last few command lines sent (upload bytes left out), redacted,
    /// oldest first.
    static RECENT_COMMANDS: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// `line`'s bytes, passwords redacted.
fn redacted(line: &TraceLine<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    for segment in line.segments() {
        match segment {
            Segment::Shown(bytes) => out.extend_from_slice(bytes),
            Segment::Redacted => out.extend_from_slice(REDACTED.as_bytes()),
        }
    }
    out
}

/// The hook the session is given.
pub(crate) fn hook(direction: Direction, line: TraceLine<'_>) {
    tracing::debug!(target: "cellftp::at", "{direction} {line}");
    match direction {
        Direction::Received => LAST_RECEIVED.with(|last| *last.borrow_mut() = redacted(&line)),
        _ => {
            let bytes = redacted(&line);
            // Upload bytes are traced too: only command lines are kept.
            if bytes
                .get(..2)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"AT"))
                && bytes.ends_with(b"\r")
            {
                RECENT_COMMANDS.with(|recent| {
                    let mut recent = recent.borrow_mut();
                    if recent.len() == RECENT {
                        recent.remove(0);
                    }
                    recent.push(bytes);
                });
            }
        }
    }
}

/// How many command lines [`recent_commands`] keeps.
const RECENT: usize = 8;

/// The last few command lines sent (CR included), passwords redacted,
/// oldest first.
pub(crate) fn recent_commands() -> Vec<Vec<u8>> {
    RECENT_COMMANDS.with(|recent| recent.borrow().clone())
}

/// The last line received, passwords redacted, without its line ends.
pub(crate) fn last_received() -> Vec<u8> {
    LAST_RECEIVED.with(|last| last.borrow().clone())
}
