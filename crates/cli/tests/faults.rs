//! Every fault of the simulator's fault spec (`cellftp_sim::fault`: drop-data,
//! late, never, restart, error, cme, urc, corrupt, drop), each driven through
//! the real `cellftp` binary: `cellftp` → TCP → the simulator with the fault
//! → the embedded FTP server. A fault the session cannot survive ends in
//! the one documented error line on stderr and its exit code; one it
//! survives ends in success with the file byte-identical on both sides.
//! Every run ends well within its command's timeout (the timeouts are
//! scaled by `--timeout-scale 0.05`): the child is killed, and the test
//! fails, past a hard wall-clock limit.
//!
//! One scenario per test function. The faults that take a command are
//! tried on a put and on a get.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::sim::{Bench, Ftp, Via};
use common::text;

/// The hard limit on one run: far above any scaled timeout here (the
/// longest, a transfer's 60 s idle time, is 3 s at scale 0.05).
const HARD_LIMIT: Duration = Duration::from_secs(15);

/// The file the cases move: several upload chunks and download chunks.
fn payload() -> Vec<u8> {
    (0..5000u32).map(|i| (i * 31 % 251) as u8).collect()
}

/// Which way the file goes.
#[derive(Debug, Clone, Copy)]
enum Dir {
    Put,
    Get,
}

/// What the run must end in.
enum Expect<'a> {
    /// Exit 0, and the file byte-identical on both sides.
    Success,
    /// This exit code and exactly `cellftp: <line>` on stderr, within
    /// `within` of starting (the command's scaled timeout plus the time the
    /// run needs besides).
    Failure {
        code: i32,
        line: &'a str,
        within: Duration,
    },
}

/// Runs `cellftp put|get` against a simulator with `faults`, and checks the
/// end. `name` is the scenario's name, in every failure message.
fn scenario(name: &str, faults: &str, dir: Dir, expect: Expect<'_>) {
    let bench = Bench::new(
        &format!("fault-{name}"),
        Via::Tcp,
        Ftp::embedded(name),
        faults,
    );
    let data = payload();
    let remote = format!("{name}.bin");
    let args: Vec<&str> = match dir {
        Dir::Put => {
            std::fs::write(bench.home.join("local.bin"), &data).unwrap();
            vec!["put", "local.bin", &remote]
        }
        Dir::Get => {
            std::fs::write(bench.ftp.dir().join(&remote), &data).unwrap();
            vec!["get", &remote, "local.bin"]
        }
    };
    let started = Instant::now();
    let out = run_bounded(name, bench.cellftp().args(&args));
    let took = started.elapsed();
    let stderr = text(&out.stderr);
    match expect {
        Expect::Success => {
            assert_eq!(
                out.status.code(),
                Some(0),
                "{name}: {faults}: expected success; stderr: {stderr}"
            );
            let (here, there) = (
                std::fs::read(bench.home.join("local.bin")).unwrap(),
                std::fs::read(bench.ftp.dir().join(&remote)).unwrap(),
            );
            assert!(here == data, "{name}: the local file differs");
            assert!(there == data, "{name}: the server's file differs");
        }
        Expect::Failure { code, line, within } => {
            assert_eq!(
                (out.status.code(), stderr.as_str()),
                (Some(code), format!("cellftp: {line}\n").as_str()),
                "{name}: {faults}: exit code and error line"
            );
            assert!(
                out.stdout.is_empty(),
                "{name}: stdout: {}",
                text(&out.stdout)
            );
            assert!(
                took < within,
                "{name}: took {took:?}, more than the {within:?} its timeout allows"
            );
        }
    }
}

/// Runs `cmd` to its end; kills it and fails the test (naming the
/// scenario) if it runs past [`HARD_LIMIT`].
fn run_bounded(name: &str, cmd: &mut std::process::Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > HARD_LIMIT {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "{name}: cellftp hung: killed after {HARD_LIMIT:?}; stderr: {}",
                text(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A failure's time limit: the command's scaled timeout (0 for none) plus
/// what the rest of the run takes (login, quit, process start).
fn within(scaled_timeout_ms: u64) -> Duration {
    Duration::from_millis(scaled_timeout_ms + 3000)
}

/// The upload's note once the modem took the first chunk.
fn stopped(name: &str) -> String {
    format!("the upload stopped after the modem took 512 of 5000 bytes: {name}.bin on the server is incomplete")
}

#[test]
fn drop_data_during_put() {
    let line = format!(
        "the modem refused AT+FTPPUT: ERROR; {}",
        stopped("drop-data-put")
    );
    let expect = Expect::Failure {
        code: 3,
        line: &line,
        within: within(0),
    };
    scenario("drop-data-put", "drop-data=1000", Dir::Put, expect);
}

#[test]
fn drop_data_during_get() {
    let line = "the modem refused AT+FTPGET: ERROR; 1000 bytes were written to local.bin: \
                continue with `cellftp get drop-data-get.bin local.bin --resume`";
    let expect = Expect::Failure {
        code: 3,
        line,
        within: within(0),
    };
    scenario("drop-data-get", "drop-data=1000", Dir::Get, expect);
}

#[test]
fn late_put_past_its_timeout() {
    // The chunk gets no answer in 1.5 s; closing the upload none in 3 s.
    let line = format!(
        "timed out: the modem did not answer AT+FTPPUT within 3 s; {}",
        stopped("late-put")
    );
    let expect = Expect::Failure {
        code: 4,
        line: &line,
        within: within(1500 + 3000),
    };
    scenario("late-put", "late=FTPPUT#2:6000", Dir::Put, expect);
}

#[test]
fn late_get_past_its_timeout() {
    let line = "timed out: no data from the modem for 3 s during AT+FTPGET";
    let expect = Expect::Failure {
        code: 4,
        line,
        within: within(3000),
    };
    scenario("late-get", "late=FTPGET:6000", Dir::Get, expect);
}

#[test]
fn late_put_within_its_timeout() {
    scenario(
        "late-ok-put",
        "late=FTPPUT#2:200",
        Dir::Put,
        Expect::Success,
    );
}

#[test]
fn late_get_within_its_timeout() {
    scenario("late-ok-get", "late=FTPGET:200", Dir::Get, Expect::Success);
}

#[test]
fn never_answered_put_chunk() {
    let line = format!(
        "timed out: the modem did not answer AT+FTPPUT within 1.5 s; {}",
        stopped("never-put")
    );
    let expect = Expect::Failure {
        code: 4,
        line: &line,
        within: within(1500),
    };
    scenario("never-put", "never=FTPPUT#2", Dir::Put, expect);
}

#[test]
fn never_answered_get_name() {
    let line = "timed out: the modem did not answer AT+FTPGETNAME within 0.25 s";
    let expect = Expect::Failure {
        code: 4,
        line,
        within: within(250),
    };
    scenario("never-get", "never=FTPGETNAME", Dir::Get, expect);
}

#[test]
fn restart_during_put() {
    let line = format!(
        "the modem restarted during AT+FTPPUT: run the command again \
         (with --bring-up if its network is down); {}",
        stopped("restart-put")
    );
    let expect = Expect::Failure {
        code: 5,
        line: &line,
        within: within(0),
    };
    scenario("restart-put", "restart=FTPPUT#2", Dir::Put, expect);
}

#[test]
fn restart_during_get() {
    let line = "the modem restarted during AT+FTPGET: run the command again \
                (with --bring-up if its network is down)";
    let expect = Expect::Failure {
        code: 5,
        line,
        within: within(0),
    };
    scenario("restart-get", "restart=FTPGET", Dir::Get, expect);
}

#[test]
fn error_answer_to_put_chunk() {
    let line = format!(
        "the modem refused AT+FTPPUT: ERROR; {}",
        stopped("error-put")
    );
    let expect = Expect::Failure {
        code: 3,
        line: &line,
        within: within(0),
    };
    scenario("error-put", "error=FTPPUT#2", Dir::Put, expect);
}

#[test]
fn error_answer_to_get() {
    let line = "the modem refused AT+FTPGET: ERROR";
    let expect = Expect::Failure {
        code: 3,
        line,
        within: within(0),
    };
    scenario("error-get", "error=FTPGET", Dir::Get, expect);
}

#[test]
fn error_answer_to_the_nth_command() {
    // The third command line is AT+FTPSERV (after AT+FTPPORT, AT+FTPMODE).
    let line = "the modem refused AT+FTPSERV: ERROR";
    let expect = Expect::Failure {
        code: 3,
        line,
        within: within(0),
    };
    scenario("error-nth", "error=3", Dir::Get, expect);
}

#[test]
fn cme_answer_to_put_name() {
    let line = "the modem refused AT+FTPPUTNAME: +CME ERROR 100 (unknown)";
    let expect = Expect::Failure {
        code: 3,
        line,
        within: within(0),
    };
    scenario("cme-put", "cme=FTPPUTNAME:100", Dir::Put, expect);
}

#[test]
fn cme_answer_to_get() {
    let line = "the modem refused AT+FTPGET: +CME ERROR 100 (unknown)";
    let expect = Expect::Failure {
        code: 3,
        line,
        within: within(0),
    };
    scenario("cme-get", "cme=FTPGET:100", Dir::Get, expect);
}

#[test]
fn unsolicited_lines_during_put() {
    scenario("urc-put", "seed=3,urc=0.5", Dir::Put, Expect::Success);
}

#[test]
fn unsolicited_lines_during_get() {
    scenario("urc-get", "seed=3,urc=0.5", Dir::Get, Expect::Success);
}

#[test]
fn every_byte_corrupted_before_put() {
    // Line ends are corrupted too: no line ever ends, so nothing is read.
    let line = "timed out: the modem did not answer AT+FTPPORT within 0.25 s";
    let expect = Expect::Failure {
        code: 4,
        line,
        within: within(250),
    };
    scenario("corrupt-put", "seed=1,corrupt=1", Dir::Put, expect);
}

#[test]
fn every_byte_corrupted_before_get() {
    // Line ends are corrupted too: no line ever ends, so nothing is read.
    let line = "timed out: the modem did not answer AT+FTPPORT within 0.25 s";
    let expect = Expect::Failure {
        code: 4,
        line,
        within: within(250),
    };
    scenario("corrupt-get", "seed=2,corrupt=1", Dir::Get, expect);
}

#[test]
fn every_byte_lost_before_put() {
    let line = "timed out: the modem did not answer AT+FTPPORT within 0.25 s";
    let expect = Expect::Failure {
        code: 4,
        line,
        within: within(250),
    };
    scenario("drop-put", "drop=1", Dir::Put, expect);
}

#[test]
fn every_byte_lost_before_get() {
    let line = "timed out: the modem did not answer AT+FTPPORT within 0.25 s";
    let expect = Expect::Failure {
        code: 4,
        line,
        within: within(250),
    };
    scenario("drop-get", "drop=1", Dir::Get, expect);
}

/// Runs `cellftp [--bring-up] --record raw.cftx raw LINE` against a
/// simulator with `faults`; the recording replays clean.
fn raw(name: &str, faults: &str, bring_up: bool, line: &str) -> (Output, Duration) {
    let bench = Bench::new(
        &format!("raw-{name}"),
        Via::Tcp,
        Ftp::embedded(name),
        faults,
    );
    let mut cmd = bench.cellftp();
    if bring_up {
        cmd.arg("--bring-up");
    }
    cmd.args(["--record", "raw.cftx", "raw", line]);
    let started = Instant::now();
    let out = run_bounded(name, &mut cmd);
    let took = started.elapsed();
    // A run that ended in a timeout does not replay: the scale is not
    // recorded (see `--timeout-scale`).
    if !text(&out.stderr).contains("timed out") {
        common::assert_replays(&bench.home.join("raw.cftx"));
    }
    (out, took)
}

#[test]
fn raw_after_bring_up() {
    let (out, _) = raw("raw-ok", "", true, "AT+FTPMODE?");
    common::assert_exit(&out, 0);
    assert_eq!(text(&out.stdout), "+FTPMODE: 0\nOK\n", "raw-ok");
}

#[test]
fn raw_answered_error() {
    // AT, ATE0, AT+CFUN=1, AT+CGACT=1,1, then the raw line: the fifth.
    let (out, _) = raw("raw-error", "error=5", true, "AT+FTPMODE?");
    assert_eq!(
        (out.status.code(), text(&out.stderr)),
        (
            Some(3),
            "cellftp: the modem refused AT+FTPMODE?: ERROR\n".to_owned()
        ),
        "raw-error"
    );
}

#[test]
fn raw_never_answered() {
    let (out, took) = raw("raw-never", "never=FTPMODE", false, "AT+FTPMODE?");
    assert_eq!(
        (out.status.code(), text(&out.stderr)),
        (
            Some(4),
            "cellftp: timed out: no final result to AT+FTPMODE? within 0.25 s\n".to_owned()
        ),
        "raw-never"
    );
    assert!(took < within(250), "raw-never took {took:?}");
}

#[test]
fn error_answer_to_the_close_of_the_upload() {
    // 5000 bytes are ten chunks: the eleventh AT+FTPPUT is the close
    // (AT+FTPPUT=0). Every byte was taken: the file may well be whole.
    let line = "the modem refused AT+FTPPUT: ERROR; the modem took all 5000 bytes but the upload was not closed cleanly: error-close.bin on the server may be incomplete";
    let expect = Expect::Failure {
        code: 3,
        line,
        within: within(0),
    };
    scenario("error-close", "error=FTPPUT#11", Dir::Put, expect);
}
