//! The session's trace hook (`Session::set_trace`): every command line sent
//! and every line received, passwords redacted by the session, logged for
//! `-v` at debug level (`cellftp::at`), and the last line received kept for
//! `raw`, which prints its answer as the modem wrote it. The hook is a plain
//! function, so what it keeps is per thread: the session runs on the main
//! thread.

use std::cell::RefCell;

use cellftp_proto::REDACTED;
use cellftp_session::{Direction, Segment, TraceLine};

thread_local! {
    /// The last line received, redacted.
    static LAST_RECEIVED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The hook the session is given.
pub(crate) fn hook(direction: Direction, line: TraceLine<'_>) {
    tracing::debug!(target: "cellftp::at", "{direction} {line}");
    if direction == Direction::Received {
        LAST_RECEIVED.with(|last| {
            let mut last = last.borrow_mut();
            last.clear();
            for segment in line.segments() {
                match segment {
                    Segment::Shown(bytes) => last.extend_from_slice(bytes),
                    Segment::Redacted => last.extend_from_slice(REDACTED.as_bytes()),
                }
            }
        });
    }
}

/// The last line received, passwords redacted, without its line ends.
pub(crate) fn last_received() -> Vec<u8> {
    LAST_RECEIVED.with(|last| last.borrow().clone())
}
