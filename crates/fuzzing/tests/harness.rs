//! Checks of the harnesses themselves: their input formats, their secrets
//! and their seeds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cellftp_fuzzing::{
    from_fuzz_bytes, join_input, seeds, session_log, split_input, ArbitraryCommand, SessionInput,
    CANNED, DIRS, FILE_NAMES, HOSTS, MANUAL_SESSION, PATHS, SECRETS, USERS,
};
use cellftp_proto::Password;

#[test]
fn structured_seeds_decode_and_encode_back() {
    for seed in seeds() {
        match seed.target {
            "session" => {
                let input: SessionInput = from_fuzz_bytes(&seed.bytes).unwrap();
                assert!(!input.ops.is_empty(), "{}", seed.name);
                assert_eq!(input.to_bytes(), seed.bytes, "{}", seed.name);
            }
            "roundtrip" => {
                let input: ArbitraryCommand = from_fuzz_bytes(&seed.bytes).unwrap();
                assert_eq!(input.to_bytes(), seed.bytes, "{}", seed.name);
            }
            _ => {}
        }
    }
}

#[test]
fn any_bytes_decode() {
    for data in [&b""[..], b"\xff", b"\x01\x02\x03", &[0xff; 300]] {
        let _: SessionInput = from_fuzz_bytes(data).unwrap();
        let _: ArbitraryCommand = from_fuzz_bytes(data).unwrap();
    }
}

#[test]
fn split_input_inverts_join_input() {
    let stream = b"\r\nOK\r\n";
    let input = join_input(&[4, 1, 6], stream);
    let (cuts, s) = split_input(&input);
    assert_eq!((cuts, s), (vec![1, 4, 6], &stream[..]));
    assert_eq!(split_input(b""), (vec![], &b""[..]));
}

#[test]
fn secrets_are_what_they_claim() {
    for s in SECRETS {
        assert_eq!(Password::new(s.password).is_ok(), s.valid, "{s:?}");
        assert!(s.password.contains(s.marker), "{s:?}");
        let everywhere = [FILE_NAMES, PATHS, DIRS, USERS, HOSTS].concat();
        assert!(everywhere.iter().all(|x| !x.contains(s.marker)), "{s:?}");
        for c in CANNED {
            assert!(!String::from_utf8_lossy(c).contains(s.marker), "{s:?}");
        }
    }
}

/// The `session` seed `name`, decoded.
fn session_seed(name: &str) -> SessionInput {
    let seed = seeds()
        .into_iter()
        .find(|s| s.target == "session" && s.name == name)
        .unwrap();
    from_fuzz_bytes(&seed.bytes).unwrap()
}

#[test]
fn the_manual_seed_replays_the_manual_session() {
    let log = session_log(&session_seed("manual"));
    let finish = log.iter().position(|l| l == "finish").unwrap();
    let sent: Vec<String> = log[..finish]
        .iter()
        .filter_map(|l| l.strip_prefix("sent "))
        .map(|l| l.trim_matches('"').replace("\\r", "\r"))
        .collect();
    // Bring-up adds the probe and echo off; the password is the harness's.
    let mut expected = vec!["AT\r".to_owned(), "ATE0\r".to_owned()];
    for (line, _) in MANUAL_SESSION {
        expected.push(line.replace("=123", &format!("={}", SECRETS[0].password)));
    }
    assert_eq!(sent, expected, "{log:#?}");
    let done: Vec<&String> = log.iter().filter(|l| l.contains("JobDone")).collect();
    assert_eq!(done.len(), 6, "{log:#?}");
    assert!(done.iter().all(|l| l.contains("Ok(")), "{done:#?}");
    assert!(
        log.iter().any(|l| l.contains(r#"data: b"345""#)),
        "{log:#?}"
    );
    assert!(log
        .iter()
        .any(|l| l.contains("Listed { entries: 1, lines: 1 }")));
}

#[test]
fn session_seeds_reach_their_jobs_ends() {
    for name in [
        "echo",
        "transfers",
        "upload-chunks",
        "failures",
        "boot",
        "refused",
    ] {
        let log = session_log(&session_seed(name));
        let finish = log.iter().position(|l| l == "finish").unwrap();
        assert!(
            log[..finish].iter().any(|l| l.contains("JobDone")),
            "{name}:\n  {}",
            log.join("\n  ")
        );
    }
}

#[test]
fn sim_seeds_run() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/sim");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        cellftp_fuzzing::run("sim", &data).unwrap();
        n += 1;
    }
    assert!(n >= 3, "the sim target has seeds");
    // Arbitrary bytes too.
    for len in 0..64u8 {
        let data: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37) ^ len).collect();
        cellftp_fuzzing::sim(&data);
    }
}

/// The `session` harness drives the new verbs: a cancel mid-upload closes
/// the upload and ends the job once, as cancelled; raw lines run or are
/// refused (the password among them); the trace hook sees every line.
#[test]
fn the_session_harness_cancels_and_sends_raw_lines() {
    use cellftp_fuzzing::{Op, Str};
    let answer = Op::Answer {
        variant: 0,
        chunk: 0,
    };
    let mut ops = vec![Op::Configure {
        server: Str::Fixed(0),
        port: 0,
        flags: 3,
        user: Str::Fixed(0),
        secret: 0,
        path: Str::Fixed(0),
    }];
    // The modem answers what was sent; the clock passes the guard time.
    let step = [answer, Op::ToDeadline(0)];
    for _ in 0..5 {
        ops.extend(step.clone());
    }
    ops.push(Op::Put(Str::Fixed(0)));
    ops.push(Op::ToDeadline(0));
    ops.extend(step.clone());
    ops.push(Op::SendData(b"12345".to_vec()));
    ops.push(Op::ToDeadline(0));
    ops.extend(step.clone());
    ops.push(Op::Cancel(0));
    ops.push(Op::ToDeadline(0));
    ops.extend(step.clone());
    for index in 0..9 {
        ops.push(Op::Raw(index));
        ops.extend(step.clone());
    }
    ops.push(Op::Mkdir(Str::Fixed(0)));
    ops.push(Op::Cancel(0));
    let log = session_log(&SessionInput {
        config: Default::default(),
        ops,
    });
    let text = log.join("\n");
    assert!(text.contains("Err(Cancelled)"), "{text}");
    assert!(text.contains("sent \"AT+FTPPUT=0\\r\""), "{text}");
    assert!(text.contains("RawDone"), "{text}");
    assert!(text.contains("sent \"AT+CFUN?\\r\""), "{text}");
}
