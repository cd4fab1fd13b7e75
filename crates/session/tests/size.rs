#![allow(clippy::expect_used)]
//! The README states the session's size; this keeps the number true.

use cellftp_session::{Session, RX_CAPACITY};

const README: &str = include_str!("../../../README.md");

/// The number in the README's "`size_of::<Session>()` is **N bytes**".
fn stated_size() -> usize {
    let (_, rest) = README
        .split_once("`size_of::<Session>()` is **")
        .expect("the README states the session's size");
    let (number, _) = rest
        .split_once(" bytes**")
        .expect("the size is given in bytes");
    number.parse().expect("the size is a number")
}

/// The session is one fixed-size value: its receive buffer, its transmit
/// buffer, the job slots with the jobs' parameters inline. It must fit a
/// small MCU's stack or a static: 16 KiB at most. The README's number is
/// the x86-64 one.
#[test]
#[cfg(target_pointer_width = "64")]
fn readme_states_the_session_size() {
    let size = core::mem::size_of::<Session>();
    assert!(size > RX_CAPACITY);
    assert!(size < 16 * 1024, "{size}");
    assert_eq!(stated_size(), size, "update the README's Memory section");
}
