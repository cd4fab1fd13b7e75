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
//! | `response_bytewise` | [`response_bytewise`] | bytes: the modem's stream |
//! | `command_bytewise` | [`command_bytewise`] | bytes: the host's stream |
//! | `listing` | [`listing`] | bytes: a directory listing |
//! | `roundtrip` | [`roundtrip`] | [`ArbitraryCommand`] |
//! | `session` | [`session`] | [`SessionInput`] |
//! | `transcript` | [`transcript()`] | bytes: transcript text |
//! | `log_import` | [`log_import`] | bytes: the importer, then a captured serial log |
//! | `log_import_written` | [`log_import_written`] | the same as `log_import` |
//! | `sim` | [`sim()`] | bytes: a mode byte, cut points, then the host's stream into the simulated modem |
//! | `simcom_response_stream` | [`simcom_response_stream`] | bytes: cut points, then a SIMCom modem's stream |
//! | `simcom_command_stream` | [`simcom_command_stream`] | bytes: cut points, then a host's stream to a SIMCom modem |
//! | `simcom_session` | [`simcom_session()`] | bytes: jobs, modem bytes and clock steps for the SIMCom session |
//!
//! The structured inputs implement `Arbitrary` by hand over a small byte
//! format with an encoder (`to_bytes`), so that seeds can be written for
//! them; [`run`] decodes bytes exactly as `libfuzzer-sys` does before
//! calling a harness.
//!
mod bytes;
mod listing;
mod roundtrip;
mod seeds;
mod session;
mod sim;
mod simcom_session;
mod stream;
mod transcript;

use arbitrary::{Arbitrary, Unstructured};

pub use listing::listing;
pub use roundtrip::{roundtrip, ArbitraryCommand};
pub use seeds::{seeds, Seed, LISTING, MANUAL_LISTING, MANUAL_SESSION};
pub use session::{
    session, session_log, ConfigInput, Op, SecretPassword, SessionInput, Str, CANNED, DIRS,
    FILE_NAMES, HOSTS, PATHS, RAW_LINES, SECRETS, USERS,
};
pub use sim::sim;
pub use simcom_session::{simcom_session, simcom_session_log};
pub use stream::{
    command_bytewise, command_stream, join_input, response_bytewise, response_stream,
    simcom_command_stream, simcom_response_stream, split_input,
};
pub use transcript::{
    log_import, log_import_input, log_import_written, transcript, EVERY_IMPORTER,
};

/// Every fuzz target, by the name of its `fuzz/fuzz_targets/<name>.rs`.
pub const TARGETS: [&str; 14] = [
    "response_stream",
    "command_stream",
    "response_bytewise",
    "command_bytewise",
    "listing",
    "roundtrip",
    "session",
    "transcript",
    "log_import",
    "log_import_written",
    "sim",
    "simcom_response_stream",
    "simcom_command_stream",
    "simcom_session",
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
        "response_bytewise" => response_bytewise(data),
        "command_bytewise" => command_bytewise(data),
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
        "transcript" => transcript(data),
        "log_import" => log_import(data),
        "log_import_written" => log_import_written(data),
        "sim" => sim(data),
        "simcom_response_stream" => simcom_response_stream(data),
        "simcom_command_stream" => simcom_command_stream(data),
        "simcom_session" => simcom_session(data),
        other => return Err(other),
    }
    Ok(())
}
