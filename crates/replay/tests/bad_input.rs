//! The bad-input battery through the checker `cargo xtask replay` calls:
//! every file ends in a located diagnostic and a failed verdict — never a
//! panic, a hang, unbounded memory, or "passed".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cellftp_replay::check::Severity;
use cellftp_replay::{check, run, Options};

fn captures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../transcripts/captures")
}

fn edited(file: &str, from: &str, to: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(captures().join(file)).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    text.replacen(from, to, 1).into_bytes()
}

/// Deterministic noise (xorshift).
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[0]
        })
        .collect()
}

fn utf16(text: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

/// A get whose transcript claims 3 bytes arrived, and whose modem sent
/// `header` instead.
fn get_with(header: &str) -> Vec<u8> {
    format!(
        "! get a.bin\n> AT+FTPGETNAME=a.bin\\r\n< \\r\\nOK\\r\\n\n> AT+FTPGET\\r\n< \\r\\n{header}\\r\\n\\r\\nOK\\r\\n\n= 0 Ok(Downloaded {{ offset: 0, bytes: 3 }})\n"
    )
    .into_bytes()
}

#[test]
fn every_bad_file_fails_with_a_located_diagnostic() {
    let socat_v = std::fs::read(captures().join("socat/manual-v.log")).unwrap();
    let battery: Vec<(&str, &str, Vec<u8>)> = vec![
        ("random bytes", "noise.log", noise(8192)),
        ("empty", "empty.log", Vec::new()),
        ("empty transcript", "empty.cftx", Vec::new()),
        ("comments only", "notes.cftx", b"# nothing here\n".to_vec()),
        ("NUL flood", "nul.log", vec![0; 1 << 16]),
        ("UTF-16", "utf16.log", utf16("AT+FTPGET\r\nOK\r\n")),
        (
            "truncated socat",
            "cut.log",
            socat_v[..socat_v.len() / 2].to_vec(),
        ),
        (
            "a socat length that lies",
            "lies.log",
            edited(
                "socat/manual-v.log",
                "length=10 from=0 to=9",
                "length=12 from=0 to=11",
            ),
        ),
        (
            "bad hex",
            "hex.log",
            edited("socat/manual-vx.log", " 41 54 2b", " 41 5x 2b"),
        ),
        (
            "an absurd +FTPGET length",
            "absurd.cftx",
            get_with("+FTPGET:99999999999999999999,abc"),
        ),
        (
            "a negative +FTPGET length",
            "negative.cftx",
            get_with("+FTPGET:-3,abc"),
        ),
        ("a 1 MiB line", "long.log", vec![b'x'; 1 << 20]),
        ("a 1 MiB transcript line", "long.cftx", {
            let mut t = b"! get a.bin\n> AT+FTPGETNAME=a.bin\\r\n< ".to_vec();
            t.extend(std::iter::repeat_n(b'y', 1 << 20));
            t.extend_from_slice(b"\n= 0 Ok(Downloaded { offset: 0, bytes: 3 })\n");
            t
        }),
        (
            "modem bytes only",
            "modem.log",
            b"\r\nOK\r\n\r\nRDY\r\n".to_vec(),
        ),
    ];
    for (what, name, bytes) in &battery {
        let started = Instant::now();
        let r = check(name, bytes, &Options::default());
        assert!(
            !r.passed,
            "{what}: passed\n{}",
            cellftp_replay::check::render(&r)
        );
        let error = r
            .errors()
            .next()
            .unwrap_or_else(|| panic!("{what}: no error"));
        assert!(!error.message.is_empty(), "{what}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{what} took {:?}",
            started.elapsed()
        );
        let json = run::to_json(std::slice::from_ref(&r));
        assert!(json.contains("\"passed\": false"), "{what}");
        println!("{what}: {}", cellftp_replay::check::render(&r));
    }
}

#[test]
fn the_run_fails_when_one_file_fails() {
    let dir = std::env::temp_dir().join(format!("cellftp-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("good.cftx"),
        std::fs::read(captures().join("../manual-dirs.cftx")).unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("empty.log"), b"").unwrap();
    let files = cellftp_replay::files::collect(&dir).unwrap();
    let reports = run::check_files(&files, &dir, &Options::default(), 2, &|| {});
    let summary = run::Summary::of(&reports);
    assert_eq!((summary.files, summary.passed, summary.failed), (2, 1, 1));
    let table = summary.render(&reports);
    assert!(table.contains("FAILED empty.log"), "{table}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_departure_is_a_warning_unless_strict() {
    // The manual's hand copy carries the manual's annotation after a command:
    // a host line the session would not send.
    let bytes = std::fs::read(captures().join("manual-terminal.log")).unwrap();
    let lenient = check("manual-terminal.log", &bytes, &Options::default());
    assert!(lenient.passed);
    let departure = lenient
        .diagnostics
        .iter()
        .find(|d| d.message.contains("the session would send"))
        .expect("a departure");
    assert_eq!(departure.severity, Severity::Warning);
    assert!(departure.line.is_some());
    let strict = check(
        "manual-terminal.log",
        &bytes,
        &Options {
            strict: true,
            ..Options::default()
        },
    );
    assert!(!strict.passed);
}
