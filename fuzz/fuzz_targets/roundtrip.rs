#![no_main]

use cellftp_fuzzing::ArbitraryCommand;

libfuzzer_sys::fuzz_target!(|input: ArbitraryCommand| cellftp_fuzzing::roundtrip(input));
