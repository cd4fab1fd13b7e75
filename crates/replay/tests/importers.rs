//! The importers against real captures and against bad input.
//!
//! `transcripts/captures/<tool>/manual*.log` are one session (the manual's
//! FTP example, `make-captures.sh`) captured with each tool: every capture
//! imports to the same byte streams both ways. Every file of the bad-input
//! battery ends in an error naming a line and a column — never a panic, a
//! hang or an empty success.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cellftp_replay::import::{self, Format, ImportErrorKind};
use cellftp_replay::{Record, Transcript};

fn captures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../transcripts/captures")
}

/// Both directions, concatenated.
fn streams(t: &Transcript) -> (Vec<u8>, Vec<u8>) {
    let (mut sent, mut received) = (Vec::new(), Vec::new());
    for r in &t.records {
        match r {
            Record::Sent(b) => sent.extend_from_slice(b),
            Record::Received(b) => received.extend_from_slice(b),
            _ => {}
        }
    }
    (sent, received)
}

fn import_file(path: &Path) -> import::Imported {
    let bytes = std::fs::read(path).unwrap();
    let name = path.display().to_string();
    import::detect_and_import(&name, &bytes).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn one_session_captured_by_every_tool_imports_to_the_same_streams() {
    let expected = [
        ("socat/manual-x.log", Format::SocatHex),
        ("socat/manual-vx.log", Format::SocatHex),
        ("socat/manual-v.log", Format::SocatText),
        ("pyserial/manual-spy.log", Format::PyserialSpy),
        ("tio/manual.log", Format::Terminal),
        ("tio/manual-timestamps.log", Format::Terminal),
        ("picocom/manual.log", Format::Terminal),
    ];
    // `socat -x` is exact: the reference.
    let reference = streams(&import_file(&captures().join(expected[0].0)).transcript);
    assert!(reference.0.starts_with(b"AT+CFUN=1\r"));
    for (file, format) in expected {
        let imported = import_file(&captures().join(file));
        assert_eq!(imported.format, format, "{file}");
        let (sent, received) = streams(&imported.transcript);
        assert_eq!(
            String::from_utf8_lossy(&sent),
            String::from_utf8_lossy(&reference.0),
            "{file}: the host's bytes"
        );
        assert_eq!(
            String::from_utf8_lossy(&received),
            String::from_utf8_lossy(&reference.1),
            "{file}: the modem's bytes"
        );
        let text = imported.transcript.to_text();
        assert!(!text.contains("FTPPW=123"), "{file}: {text}");
    }
}
