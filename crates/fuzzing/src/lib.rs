//! The harnesses behind the cargo-fuzz targets in `fuzz/`, shared with the
//! regression test (`tests/regressions.rs`) that replays every input the
//! fuzzers ever found, and with the seed generator
//! (`examples/seeds.rs`).
//!
//! Each target is one function that takes the fuzzer's input and panics when
//! an invariant breaks, which is how libFuzzer recognises a bug:
//!
//! | Target | Harness | Input |
//! |---|---|---|
//! | `response_stream` | [`response_stream`] | bytes: cut points, then the modem's stream |
//! | `command_stream` | [`command_stream`] | bytes: cut points, then the host's stream |
//! | `listing` | [`listing`] | bytes: a directory listing |
//! | `roundtrip` | [`roundtrip`] | [`ArbitraryCommand`] |
//! | `session` | [`session`] | [`SessionInput`] |
//!
//! The structured inputs implement `Arbitrary` by hand over a small byte
//! format with an encoder (`to_bytes`), so that seeds can be written for
//! them; [`run`] decodes bytes exactly as `libfuzzer-sys` does before
//! calling a harness.
//!
//! # Targets still to come
//!
//! Two targets are planned over the `cellftp-replay` crate once its API is
//! settled; this crate does not depend on it yet:
//!
//! - `transcript`: the transcript parser never panics on arbitrary text, and
//!   a parsed transcript printed back parses to the same transcript;
//! - `log_import`: the captured-log importer never panics, and what it
//!   imports replays through [`response_stream`]'s checks.
//!
//! Each needs a harness here, an entry in [`TARGETS`] and [`run`], a
//! `fuzz/fuzz_targets/<name>.rs` one-liner with its `[[bin]]` in
//! `fuzz/Cargo.toml`, seeds (the shipped `transcripts/` are the natural
//! ones) and a `fuzz/regressions/<name>/` directory.

mod bytes;
mod listing;
mod roundtrip;
mod seeds;
mod session;
mod stream;

use arbitrary::{Arbitrary, Unstructured};

pub use listing::listing;
pub use roundtrip::{roundtrip, ArbitraryCommand, COMMANDS};
pub use seeds::{seeds, Seed, LISTING, MANUAL_LISTING, MANUAL_SESSION};
pub use session::{
    session, session_log, ConfigInput, Op, SecretPassword, SessionInput, Str, CANNED, DIRS,
    FILE_NAMES, HOSTS, PATHS, SECRETS, USERS,
};
pub use stream::{command_stream, join_input, response_stream, split_input};

/// Every fuzz target, by the name of its `fuzz/fuzz_targets/<name>.rs`.
///
/// The transcript-parser and log-importer targets join this list (and
/// [`run`]) once `cellftp-replay` is ready; see "Targets still to come" in
/// the crate docs.
pub const TARGETS: [&str; 5] = [
    "response_stream",
    "command_stream",
    "listing",
    "roundtrip",
    "session",
];

/// Decodes `data` into a structured input the way `libfuzzer-sys`'s
/// `fuzz_target!` does; `None` where it would skip the input.
pub fn from_fuzz_bytes<'a, T: Arbitrary<'a>>(data: &'a [u8]) -> Option<T> {
    if data.len() < T::size_hint(0).0 {
        return None;
    }
    T::arbitrary_take_rest(Unstructured::new(data)).ok()
}

/// Runs the harness of `target` on one input, as its fuzz target would.
///
/// # Errors
///
/// The target's name if there is no such target.
pub fn run<'t>(target: &'t str, data: &[u8]) -> Result<(), &'t str> {
    match target {
        "response_stream" => response_stream(data),
        "command_stream" => command_stream(data),
        "listing" => listing(data),
        "roundtrip" => {
            if let Some(input) = from_fuzz_bytes::<ArbitraryCommand>(data) {
                roundtrip(input);
            }
        }
        "session" => {
            if let Some(input) = from_fuzz_bytes::<SessionInput>(data) {
                session(input);
            }
        }
        other => return Err(other),
    }
    Ok(())
}
