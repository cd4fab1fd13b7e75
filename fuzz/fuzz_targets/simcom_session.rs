#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cellftp_fuzzing::simcom_session(data));
