#![no_main]

use libfuzzer_sys::Corpus;

// `log_import`'s inputs, with the writer's checks. An input starting with
// `EVERY_IMPORTER` is rejected, as there: each of its twenty-one imports is
// reachable alone through another first byte.
libfuzzer_sys::fuzz_target!(|data: &[u8]| -> Corpus {
    if data.first() == Some(&cellftp_fuzzing::EVERY_IMPORTER) {
        return Corpus::Reject;
    }
    cellftp_fuzzing::log_import_written(data);
    Corpus::Keep
});
