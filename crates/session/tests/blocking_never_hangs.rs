#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The blocking driver over a real PTY whose other end never answers: it
//! does not block forever in `read()` while the session waits out its
//! deadlines. A descriptor without a read timeout goes through `Polled`
//! (`poll(2)`); a port that ignores the bound it is given is detected and
//! reported as `DriverError::ReadTimeoutNotSet`. Each run is bounded by a
//! watchdog, so a hang fails the test instead of stalling it.

use std::fs::File;
use std::io::{Read, Write};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant as StdInstant};

use cellftp_session::driver::blocking::{Blocking, DriverError, Polled, ReadTimeout};
use cellftp_session::driver::Handler;
use cellftp_session::{BringUp, Config, Event, JobError, JobId, Outcome, Session, Timeouts};

/// The PTY's two ends: the driver gets the master, the slave end is held
/// open (so the master reads do not fail) and never written to.
fn pty() -> (File, File) {
    use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().unwrap())
        .unwrap();
    (File::from(master), slave)
}

#[derive(Default)]
struct Results(Vec<(JobId, Result<Outcome, JobError>)>);

impl Handler for Results {
    fn event(&mut self, event: &Event<'_>) {
        if let Event::JobDone { job, result } = event {
            self.0.push((*job, *result));
        }
    }

    fn fill(&mut self, _: JobId, _: &mut [u8]) -> usize {
        0
    }
}

/// Probes time out after 200 ms, twice.
fn session() -> Session {
    Session::new(Config {
        timeouts: Timeouts {
            local: Duration::from_millis(200),
            ..Timeouts::default()
        },
        probe_attempts: 2,
        ..Config::default()
    })
    .unwrap()
}

/// Runs `f` on its own thread; fails if it takes longer than `limit`.
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("the driver hung for more than {limit:?}"))
}

/// A modem that never answers: bring-up's probes time out and the run
/// ends with the job failed, not with a hang.
#[test]
fn a_silent_modem_times_out_instead_of_hanging() {
    let (master, slave) = pty();
    let (results, elapsed) = within(Duration::from_secs(10), move || {
        let mut driver = Blocking::new(Polled::new(master), session());
        let job = driver.session().bring_up(BringUp::default()).unwrap();
        let mut results = Results::default();
        let started = StdInstant::now();
        driver.run(&mut results).unwrap();
        drop(slave);
        ((job, results.0), started.elapsed())
    });
    let (job, done) = results;
    assert_eq!(done.len(), 1, "{done:?}");
    assert_eq!(done[0].0, job);
    assert!(
        matches!(done[0].1, Err(JobError::Timeout { .. })),
        "{done:?}"
    );
    // Two probes of 200 ms and a guard time: well under two seconds.
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

/// A port that ignores the read timeout it is given (here a PTY read as a
/// plain `File`); the modem answers only long after the deadline. The
/// driver reports the port instead of silently missing its deadlines.
#[test]
fn a_port_that_ignores_its_read_timeout_is_reported() {
    struct Ignores(File);
    impl Read for Ignores {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.0.read(buf)
        }
    }
    impl Write for Ignores {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.0.flush()
        }
    }
    impl ReadTimeout for Ignores {
        fn set_read_timeout(&mut self, _: Duration) -> std::io::Result<()> {
            Ok(())
        }
    }

    let (master, mut slave) = pty();
    // Answers once, 2.5 s after the start: far past the 200 ms deadline.
    let answer = thread::spawn(move || {
        thread::sleep(Duration::from_millis(2500));
        slave.write_all(b"\r\nOK\r\n").unwrap();
        slave
    });
    let error = within(Duration::from_secs(10), move || {
        let mut driver = Blocking::new(Ignores(master), session());
        driver.session().bring_up(BringUp::default()).unwrap();
        driver.run(&mut Results::default()).unwrap_err()
    });
    assert!(
        matches!(error, DriverError::ReadTimeoutNotSet { .. }),
        "{error}"
    );
    assert!(error
        .to_string()
        .contains("does not honour its read timeout"));
    drop(answer.join());
}
