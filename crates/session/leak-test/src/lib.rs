//! No library: this package holds one test, `tests/leak.rs`, which reads a
//! [`cellftp_session::Session`] value's own bytes after a configure job
//! ended and checks that the password is not among them, in debug and in
//! release builds (`cargo test -p cellftp-leak-test --release`).
#![no_std]
