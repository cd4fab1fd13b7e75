#![no_main]

use cellftp_fuzzing::SessionInput;

libfuzzer_sys::fuzz_target!(|input: SessionInput| cellftp_fuzzing::session(input));
