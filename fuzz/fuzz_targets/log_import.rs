#![no_main]

use libfuzzer_sys::Corpus;

// An input starting with `EVERY_IMPORTER` runs every importer, twice, and
// detection: twenty-one imports, each reachable alone through another
// first byte. The fuzzer kept such inputs for the coverage they gather at
// once, and spent half its time on them; here they are rejected (never run,
// never kept). The regressions kept from before start with it and run in
// full under `cargo test -p cellftp-fuzzing --test regressions`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| -> Corpus {
    if data.first() == Some(&cellftp_fuzzing::EVERY_IMPORTER) {
        return Corpus::Reject;
    }
    cellftp_fuzzing::log_import(data);
    Corpus::Keep
});
