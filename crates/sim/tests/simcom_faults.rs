//! Faults against the SIMCom dialect: `cellftp_session::simcom::Session`
//! against a faulty `SimcomModem` against the embedded FTP server, in lock
//! step and simulated time. Every fault that applies ends each job, never a
//! hang: with its typed error, or, for the faults a session survives,
//! with success and the file byte-identical.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;
use std::time::Duration;

use cellftp_proto::simcom::{CommandName, PutOpt, SimcomFtpError};
use cellftp_proto::Mode;
use cellftp_session::simcom::{
    BearerConfig, Config, Event, FtpConfig, JobError, Outcome, ProtocolError, Session,
};
use cellftp_session::{Instant, JobId, ModemError};
use cellftp_sim::{EmbeddedServer, FtpBackend, ModemConfig, SimcomModem};

/// What a run saw.
#[derive(Debug, Default)]
struct Seen {
    data: Vec<u8>,
    done: Vec<(JobId, Result<Outcome, JobError>)>,
}

impl Seen {
    fn result(&self, job: JobId) -> Result<Outcome, JobError> {
        let ends: Vec<_> = self.done.iter().filter(|(j, _)| *j == job).collect();
        assert_eq!(ends.len(), 1, "one end per job: {:?}", self.done);
        ends[0].1
    }
}

struct Rig {
    session: Session,
    modem: SimcomModem,
    backend: FtpBackend,
    now: Instant,
    port: u16,
}

impl Rig {
    fn new(faults: &str, port: u16) -> Self {
        Self {
            session: Session::new(Config::default()).unwrap(),
            modem: SimcomModem::new(ModemConfig {
                faults: faults.parse().unwrap(),
                ..ModemConfig::default()
            }),
            backend: FtpBackend::new(Duration::from_secs(10)),
            now: Instant::from_millis(0),
            port,
        }
    }

    fn elapsed(&self) -> Duration {
        Duration::from_millis(self.now.as_millis())
    }

    /// Queues bring-up and configure.
    fn connect(&mut self) -> (JobId, JobId) {
        let up = self.session.bring_up(&BearerConfig::default()).unwrap();
        let conf = self
            .session
            .configure(&FtpConfig {
                server: "127.0.0.1",
                port: self.port,
                user: "demo",
                password: "pw",
                mode: Mode::Passive,
            })
            .unwrap();
        (up, conf)
    }

    fn events(&mut self, seen: &mut Seen, upload: &mut &[u8]) {
        loop {
            let mut ready = None;
            match self.session.poll_event() {
                None => return,
                Some(Event::Data { data, .. }) => seen.data.extend_from_slice(data),
                Some(Event::JobDone { job, result }) => seen.done.push((job, result)),
                Some(Event::PutReady { max, .. }) => ready = Some(max),
                Some(_) => {}
            }
            if let Some(max) = ready {
                if upload.is_empty() {
                    self.session.finish_put().unwrap();
                } else {
                    let n = upload.len().min(max);
                    let taken = self.session.send_data(&upload[..n]).unwrap();
                    *upload = &upload[taken..];
                }
            }
        }
    }

    /// Runs the queued jobs to their ends; panics on a stall or after
    /// an hour of simulated time.
    fn run(&mut self, mut upload: &[u8]) -> Seen {
        let mut seen = Seen::default();
        for _ in 0..200_000 {
            self.events(&mut seen, &mut upload);
            let mut moved = false;
            while let Some(bytes) = self.session.poll_transmit(self.now) {
                let bytes = bytes.to_vec();
                let at = self.elapsed();
                assert_eq!(self.modem.handle_input(at, &bytes), bytes.len());
                moved = true;
            }
            loop {
                while let Some(op) = self.modem.poll_ftp() {
                    if let Some(result) = self.backend.execute(op) {
                        let at = self.elapsed();
                        self.modem.handle_ftp_result(at, result);
                    }
                }
                let Some(out) = self.modem.poll_output() else {
                    break;
                };
                moved = true;
                let mut input = &out[..];
                while !input.is_empty() {
                    let n = self.session.handle_input(self.now, input);
                    input = &input[n..];
                    self.events(&mut seen, &mut upload);
                }
            }
            if moved {
                continue;
            }
            if self.session.is_idle() {
                return seen;
            }
            let modem = self
                .modem
                .poll_timeout()
                .map(|d| Instant::from_millis(d.as_millis() as u64));
            let next = match (self.session.poll_timeout(), modem) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => a.or(b).expect("a busy session has a deadline"),
            };
            assert!(next.as_millis() < 3_600_000, "an hour went by");
            self.now = self.now.max(next);
            self.session.handle_timeout(self.now);
            let at = self.elapsed();
            self.modem.handle_timeout(at);
        }
        panic!("the session did not finish");
    }
}

/// `n` bytes of every value, with what a line parser would stop at.
fn content(n: usize, seed: u64) -> Vec<u8> {
    let mut v: Vec<u8> = (0..n)
        .map(|i| (i as u64 * 7 + seed + i as u64 / 251) as u8)
        .collect();
    let tricky = b"\r\nOK\r\n\0+FTPGET: 1,0\r\nERROR\r\n";
    if n > tricky.len() * 2 {
        v[10..10 + tricky.len()].copy_from_slice(tricky);
    }
    v
}

fn server() -> (tempfile::TempDir, EmbeddedServer) {
    let dir = tempfile::tempdir().unwrap();
    let server = EmbeddedServer::start(dir.path()).unwrap();
    (dir, server)
}

fn file(dir: &Path, name: &str, data: &[u8]) {
    std::fs::write(dir.join(name), data).unwrap();
}

#[test]
fn a_dropped_download_fails_with_79_and_resumes_byte_identical() {
    let (dir, server) = server();
    let data = content(3000, 1);
    file(dir.path(), "f.bin", &data);
    for cut in [0u64, 1, 1359, 1360, 2999] {
        let mut rig = Rig::new(&format!("drop-data={cut}"), server.addr().port());
        rig.connect();
        let first = rig.session.get("/", "f.bin", 0).unwrap();
        let seen = rig.run(b"");
        assert_eq!(
            seen.result(first),
            Err(JobError::Ftp {
                command: CommandName::FtpGet,
                error: SimcomFtpError::Download,
                transferred: cut,
            }),
            "cut at {cut}"
        );
        assert_eq!(seen.data, data[..cut as usize]);
        let resumed = rig.session.get("/", "f.bin", cut as u32).unwrap();
        let again = rig.run(b"");
        assert_eq!(
            again.result(resumed),
            Ok(Outcome::Downloaded {
                offset: cut as u32,
                bytes: 3000 - cut
            })
        );
        let mut whole = seen.data;
        whole.extend_from_slice(&again.data);
        assert!(whole == data, "cut at {cut}: the resumed file differs");
    }
}

#[test]
fn a_dropped_listing_fails_with_79() {
    let (dir, server) = server();
    file(dir.path(), "a", b"x");
    let mut rig = Rig::new("drop-data=0", server.addr().port());
    rig.connect();
    let list = rig.session.list("/").unwrap();
    let seen = rig.run(b"");
    assert!(
        matches!(
            seen.result(list),
            Err(JobError::Ftp {
                error: SimcomFtpError::Download,
                ..
            })
        ),
        "{:?}",
        seen.result(list)
    );
}

#[test]
fn a_dropped_upload_fails_with_78() {
    let (_dir, server) = server();
    for cut in [0u64, 1, 1360, 3999] {
        let mut rig = Rig::new(&format!("drop-data={cut}"), server.addr().port());
        rig.connect();
        let put = rig.session.put("/", "up.bin", PutOpt::Stor).unwrap();
        let seen = rig.run(&content(4000, cut));
        assert!(
            matches!(
                seen.result(put),
                Err(JobError::Ftp {
                    command: CommandName::FtpPut,
                    error: SimcomFtpError::Upload,
                    ..
                })
            ),
            "cut at {cut}: {:?}",
            seen.result(put)
        );
        // The session is usable after it: a put without the fault works.
        let data = content(2000, 9);
        let again = rig.session.put("/", "up.bin", PutOpt::Stor).unwrap();
        let seen = rig.run(&data);
        assert_eq!(seen.result(again), Ok(Outcome::Uploaded { bytes: 2000 }));
    }
}

#[test]
fn a_late_answer_within_the_timeout_changes_nothing() {
    let (dir, server) = server();
    let data = content(5000, 3);
    for target in [
        "FTPPUT#1", "FTPPUT#3", "FTPGET#1", "FTPGET#2", "SAPBR#1", "FTPPW",
    ] {
        let mut rig = Rig::new(&format!("late={target}:3000"), server.addr().port());
        let (up, conf) = rig.connect();
        let put = rig.session.put("/", "late.bin", PutOpt::Stor).unwrap();
        let get = rig.session.get("/", "late.bin", 0).unwrap();
        let seen = rig.run(&data);
        assert_eq!(seen.result(up), Ok(Outcome::BroughtUp), "{target}");
        assert_eq!(seen.result(conf), Ok(Outcome::Configured), "{target}");
        assert_eq!(
            seen.result(put),
            Ok(Outcome::Uploaded { bytes: 5000 }),
            "{target}"
        );
        assert!(seen.result(get).is_ok(), "{target}");
        assert!(seen.data == data, "{target}: the file differs");
        assert_eq!(std::fs::read(dir.path().join("late.bin")).unwrap(), data);
    }
}

#[test]
fn a_late_answer_past_the_timeout_times_out() {
    let (_dir, server) = server();
    let mut rig = Rig::new("late=FTPUN:6000", server.addr().port());
    let (up, conf) = rig.connect();
    let seen = rig.run(b"");
    assert_eq!(seen.result(up), Ok(Outcome::BroughtUp));
    assert_eq!(
        seen.result(conf),
        Err(JobError::Timeout {
            command: CommandName::FtpUn
        })
    );
    // Recovered: the next configure works.
    let conf = rig.connect().1;
    let seen = rig.run(b"");
    assert_eq!(seen.result(conf), Ok(Outcome::Configured));
}

#[test]
fn a_swallowed_command_times_out() {
    let (dir, server) = server();
    file(dir.path(), "f.bin", b"hello");
    for (target, command) in [
        ("FTPSERV", CommandName::FtpServ),
        ("FTPGET#1", CommandName::FtpGet),
        ("FTPGET#2", CommandName::FtpGet),
        ("FTPPUT#2", CommandName::FtpPut),
    ] {
        let mut rig = Rig::new(&format!("never={target}"), server.addr().port());
        rig.connect();
        let job = if command == CommandName::FtpPut {
            rig.session.put("/", "up.bin", PutOpt::Stor).unwrap()
        } else {
            rig.session.get("/", "f.bin", 0).unwrap()
        };
        let seen = rig.run(b"0123456789");
        let failed = seen
            .done
            .iter()
            .find_map(|(_, r)| r.err())
            .expect("a job failed");
        assert_eq!(failed, JobError::Timeout { command }, "{target}");
        let _ = job;
        // Recovered: configured again (a swallowed setting is not set), a
        // get after it works.
        rig.connect();
        let get = rig.session.get("/", "f.bin", 0).unwrap();
        let seen = rig.run(b"");
        assert_eq!(
            seen.result(get),
            Ok(Outcome::Downloaded {
                offset: 0,
                bytes: 5
            }),
            "{target}"
        );
        assert_eq!(seen.data, b"hello");
    }
}

#[test]
fn an_error_answer_is_the_modems_refusal() {
    let (dir, server) = server();
    file(dir.path(), "f.bin", b"hello");
    for (spec, command, error) in [
        ("error=FTPGET#1", CommandName::FtpGet, ModemError::Error),
        (
            "error=FTPGETNAME",
            CommandName::FtpGetName,
            ModemError::Error,
        ),
        (
            "cme=FTPREST:100",
            CommandName::FtpRest,
            ModemError::Cme { code: Some(100) },
        ),
    ] {
        let mut rig = Rig::new(spec, server.addr().port());
        rig.connect();
        let get = rig.session.get("/", "f.bin", 0).unwrap();
        let seen = rig.run(b"");
        assert_eq!(
            seen.result(get),
            Err(JobError::Modem { command, error }),
            "{spec}"
        );
        let again = rig.session.get("/", "f.bin", 0).unwrap();
        let seen = rig.run(b"");
        assert!(
            seen.result(again).is_ok(),
            "{spec}: {:?}",
            seen.result(again)
        );
    }
}

/// A read (`AT+FTPGET=2,<n>`) refused mid-get fails the job as §4.2 says
/// ("ERROR / +CME ERROR ──▶ fail(refused by modem)"), and the modem's
/// operation, still running, is cleared by the recovery (`AT+FTPSTATE`,
/// `AT+FTPQUIT`, §4.6) that follows a job failing after its operation
/// started: the next get does not draw `+FTPGET: 1,66` (operation not
/// allowed).
#[test]
fn a_refused_read_leaves_no_operation_running() {
    let (dir, server) = server();
    file(dir.path(), "f.bin", b"hello");
    for (spec, error) in [
        ("error=FTPGET#2", ModemError::Error),
        ("cme=FTPGET#2:100", ModemError::Cme { code: Some(100) }),
    ] {
        let mut rig = Rig::new(spec, server.addr().port());
        rig.connect();
        let get = rig.session.get("/", "f.bin", 0).unwrap();
        let seen = rig.run(b"");
        assert_eq!(
            seen.result(get),
            Err(JobError::Modem {
                command: CommandName::FtpGet,
                error
            }),
            "{spec}"
        );
        let again = rig.session.get("/", "f.bin", 0).unwrap();
        let seen = rig.run(b"");
        assert!(
            seen.result(again).is_ok(),
            "{spec}: {:?}",
            seen.result(again)
        );
    }
}

#[test]
fn an_operations_cme_code_comes_as_its_error_urc() {
    let (dir, server) = server();
    file(dir.path(), "f.bin", b"hello");
    for (spec, error) in [
        ("cme=FTPGET#1:72", SimcomFtpError::Password),
        ("cme=FTPGET#1:61", SimcomFtpError::Net),
        ("cme=FTPSIZE:77", SimcomFtpError::Operate),
    ] {
        let mut rig = Rig::new(spec, server.addr().port());
        rig.connect();
        let job = if spec.contains("SIZE") {
            rig.session.size("/", "f.bin").unwrap()
        } else {
            rig.session.get("/", "f.bin", 0).unwrap()
        };
        let seen = rig.run(b"");
        assert!(
            matches!(seen.result(job), Err(JobError::Ftp { error: e, .. }) if e == error),
            "{spec}: {:?}",
            seen.result(job)
        );
    }
}

#[test]
fn a_restart_fails_the_job_and_bring_up_recovers() {
    let (dir, server) = server();
    let data = content(3000, 4);
    file(dir.path(), "f.bin", &data);
    for target in ["FTPGET#1", "FTPGET#2", "FTPPUT#2", "FTPUN"] {
        let mut rig = Rig::new(&format!("restart={target}"), server.addr().port());
        rig.connect();
        let job = if target.starts_with("FTPPUT") {
            rig.session.put("/", "up.bin", PutOpt::Stor).unwrap()
        } else {
            rig.session.get("/", "f.bin", 0).unwrap()
        };
        let seen = rig.run(&data);
        let failed: Vec<_> = seen.done.iter().filter_map(|(_, r)| r.err()).collect();
        assert!(
            failed.iter().any(|e| matches!(
                e,
                JobError::Protocol {
                    error: ProtocolError::ModemRestarted,
                    ..
                } | JobError::Timeout { .. }
            )),
            "{target}: {failed:?}"
        );
        let _ = job;
        // The bearer and every setting are gone: bring-up and configure
        // again, then the get works.
        rig.connect();
        let get = rig.session.get("/", "f.bin", 0).unwrap();
        let seen = rig.run(b"");
        assert!(seen.result(get).is_ok(), "{target}: {:?}", seen.result(get));
        assert!(seen.data == data, "{target}");
    }
}

#[test]
fn unsolicited_lines_change_nothing() {
    let (dir, server) = server();
    let data = content(6000, 5);
    for seed in 0..10 {
        let mut rig = Rig::new(&format!("seed={seed},urc=0.3"), server.addr().port());
        let (up, conf) = rig.connect();
        let put = rig.session.put("/", "u.bin", PutOpt::Stor).unwrap();
        let get = rig.session.get("/", "u.bin", 0).unwrap();
        let list = rig.session.list("/").unwrap();
        let size = rig.session.size("/", "u.bin").unwrap();
        let seen = rig.run(&data);
        assert_eq!(seen.result(up), Ok(Outcome::BroughtUp), "seed {seed}");
        assert_eq!(seen.result(conf), Ok(Outcome::Configured), "seed {seed}");
        assert_eq!(
            seen.result(put),
            Ok(Outcome::Uploaded { bytes: 6000 }),
            "seed {seed}"
        );
        assert!(seen.result(get).is_ok(), "seed {seed}");
        assert!(seen.result(list).is_ok(), "seed {seed}");
        assert_eq!(seen.result(size), Ok(Outcome::Size { bytes: 6000 }));
        assert!(seen.data == data, "seed {seed}: the file differs");
        assert_eq!(std::fs::read(dir.path().join("u.bin")).unwrap(), data);
    }
}

#[test]
fn corrupted_and_lost_bytes_end_every_job() {
    let (dir, server) = server();
    let data = content(4000, 6);
    file(dir.path(), "f.bin", &data);
    for fault in ["corrupt=0.01", "drop=0.01", "corrupt=0.2", "drop=0.2"] {
        for seed in 0..10 {
            let mut rig = Rig::new(&format!("seed={seed},{fault}"), server.addr().port());
            let (up, conf) = rig.connect();
            let put = rig.session.put("/", "c.bin", PutOpt::Stor).unwrap();
            let get = rig.session.get("/", "f.bin", 0).unwrap();
            let list = rig.session.list("/").unwrap();
            let seen = rig.run(&data);
            for job in [up, conf, put, get, list] {
                // Exactly one end each (checked by `result`), whatever it is.
                let _ = seen.result(job);
            }
        }
    }
}
