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
        ("interceptty/manual.log", Format::Interceptty),
        ("interceptty/manual-T.log", Format::Interceptty),
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

#[test]
fn a_minicom_capture_is_read_by_lines_and_marked_lossy() {
    // minicom's capture drops every CR: the host's commands come from the
    // lines, the modem's line ends are rebuilt, and the import says so.
    let reference = streams(&import_file(&captures().join("socat/manual-x.log")).transcript);
    let imported = import_file(&captures().join("minicom/manual.log"));
    assert_eq!(imported.format, Format::Terminal);
    let lossy: Vec<_> = imported.transcript.lossy().collect();
    assert_eq!(lossy.len(), 1, "{lossy:?}");
    assert!(lossy[0].contains("no CR"), "{lossy:?}");
    let (sent, received) = streams(&imported.transcript);
    assert_eq!(
        String::from_utf8_lossy(&sent),
        String::from_utf8_lossy(&reference.0)
    );
    assert_ne!(
        received, reference.1,
        "the echo is not in minicom's capture"
    );
    let text = imported.transcript.to_text();
    assert!(!text.contains("FTPPW=123"), "{text}");
}

/// A capture file's text with `from` replaced by `to` (once).
fn edited(file: &str, from: &str, to: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(captures().join(file)).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    text.replacen(from, to, 1).into_bytes()
}

/// Deterministic noise (xorshift).
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[0]
        })
        .collect()
}

fn utf16(text: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xff, 0xfe] } else { Vec::new() };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

#[test]
fn bad_input_ends_in_a_located_diagnostic() {
    let socat_v = std::fs::read(captures().join("socat/manual-v.log")).unwrap();
    let mut long_line = b"> 2024/05/01 12:00:00.000000  length=5 from=0 to=4\n".to_vec();
    long_line.extend(std::iter::repeat_n(b'x', 1 << 20));
    let battery: Vec<(&str, Vec<u8>)> = vec![
        ("random bytes", noise(4096)),
        ("empty", Vec::new()),
        ("blank", b"\n\r\n  \n".to_vec()),
        ("NUL flood", vec![0; 65536]),
        ("UTF-16 with BOM", utf16("AT+FTPGET\r\nOK\r\n", true)),
        ("UTF-16 without BOM", utf16("AT+FTPGET\r\nOK\r\n", false)),
        ("truncated socat", socat_v[..socat_v.len() / 2].to_vec()),
        (
            "socat length that lies",
            edited(
                "socat/manual-v.log",
                "length=10 from=0 to=9",
                "length=12 from=0 to=11",
            ),
        ),
        (
            "socat length that lies short",
            edited(
                "socat/manual-v.log",
                "length=10 from=0 to=9",
                "length=8 from=0 to=7",
            ),
        ),
        (
            "socat absurd time",
            edited(
                "socat/manual-v.log",
                "16:12:33.000366355",
                "99:12:33.000366355",
            ),
        ),
        (
            "bad socat hex",
            edited("socat/manual-vx.log", " 41 54 2b", " 41 5x 2b"),
        ),
        (
            "bad socat -x hex",
            edited("socat/manual-x.log", " 41 54 2b", " 41 54 2"),
        ),
        (
            "bad spy hex",
            edited("pyserial/manual-spy.log", "41 54 2B 43", "41 54 2B 4G"),
        ),
        (
            "spy text that disagrees",
            edited("pyserial/manual-spy.log", "AT+CFUN=1.", "AT+CFUN=2."),
        ),
        ("1 MiB line", vec![b'x'; 1 << 20]),
        ("1 MiB socat line", long_line),
        (
            "time going backwards",
            b"[12:00:00.000] AT\r\r\n[11:00:00.000] OK\r\n".to_vec(),
        ),
        ("an echo-free log", b"\r\nOK\r\n\r\nOK\r\n".to_vec()),
    ];
    for (what, bytes) in &battery {
        let started = Instant::now();
        let e = match import::detect_and_import("capture.log", bytes) {
            Ok(i) => panic!("{what}: imported as {}: {:?}", i.format, i.transcript),
            Err(e) => e,
        };
        assert!(e.line >= 1 && e.column >= 1, "{what}: {e:?}");
        let shown = e.to_string();
        assert!(
            shown.starts_with(&format!("capture.log:{}:{}: ", e.line, e.column)),
            "{what}: {shown}"
        );
        assert!(!shown.contains("FTPPW=123"), "{what}: {shown}");
        // Every importer, forced, ends too: in an error or a transcript.
        for format in Format::ALL {
            if let Err(e) = import::import(format, "capture.log", bytes) {
                assert!(e.line >= 1 && e.column >= 1, "{what} as {format}: {e:?}");
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{what} took {:?}",
            started.elapsed()
        );
        println!("{what}: {shown}");
    }
}

#[test]
fn errors_say_what_was_expected() {
    let e = import::detect_and_import(
        "trace.log",
        &edited(
            "socat/manual-v.log",
            "length=10 from=0 to=9",
            "length=8 from=0 to=7",
        ),
    )
    .unwrap_err();
    assert_eq!((e.line, e.column), (2, 9), "{e}");
    assert!(matches!(e.kind, ImportErrorKind::Expected { .. }), "{e:?}");
    assert!(e.to_string().starts_with("trace.log:2:9: expected a socat header `> YYYY/MM/DD HH:MM:SS.ffffff  length=N from=N to=N`, found `1\\\\r<"), "{e}");
    let e = import::detect_and_import("empty.log", b"").unwrap_err();
    assert_eq!(e.to_string(), "empty.log:1:1: no AT command found");
    let e = import::detect_and_import("u16.log", &utf16("AT\r\n", true)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "u16.log:1:1: this is UTF-16 text, not a text capture"
    );
}

#[test]
fn a_forced_format_reads_a_file_detection_would_not() {
    // A log of `>`/`<` lines is read as hand-written; forced as a terminal
    // log it has no command at a line start.
    let log = b"> AT+FTPQUIT\n< OK\n";
    assert_eq!(Format::detect("x.log", log), Some(Format::Prefixed));
    assert!(import::import(Format::Terminal, "x.log", log).is_err());
    assert_eq!("picocom".parse::<Format>(), Ok(Format::Terminal));
}

#[test]
fn socat_v_marks_its_dots_lossy_and_hex_does_not() {
    let v = import_file(&captures().join("socat/manual-v.log"));
    let why: Vec<&str> = v.transcript.lossy().collect();
    assert_eq!(why.len(), 1, "{why:?}");
    assert!(why[0].contains("unprintable"), "{why:?}");
    let vx = import_file(&captures().join("socat/manual-vx.log"));
    assert_eq!(vx.transcript.lossy().count(), 0);
    // The mark survives the transcript writer.
    let back = Transcript::parse(&v.transcript.to_text()).unwrap();
    assert_eq!(back.lossy().count(), 1);
}

#[test]
fn captures_keep_chunks_and_times() {
    let v = import_file(&captures().join("socat/manual-v.log")).transcript;
    // The modem's pieces (`\r\nOK`, then `\r\n`) stay apart.
    assert!(v
        .records
        .windows(3)
        .any(|w| w[0] == Record::Received(b"\r\nOK".to_vec())
            && matches!(w[1], Record::Time(_))
            && w[2] == Record::Received(b"\r\n".to_vec())));
    let times: Vec<u64> = v
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Time(t) => Some(*t),
            _ => None,
        })
        .collect();
    assert_eq!(times.first(), Some(&0));
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    assert!(times.last().is_some_and(|&t| t > 100), "{times:?}");
}
