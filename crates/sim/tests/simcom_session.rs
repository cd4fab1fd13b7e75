//! The SIMCom dialect in process: `cellftp_session::simcom::Session` against
//! the simulated SIMCom modem against the embedded FTP server, in lock
//! step and simulated time. Bearer, configure, a binary put larger than one
//! `<maxlength>` (holding `\r\nOK\r\n`, NUL and `+FTPGET: 1,0`), a get of
//! it back from an offset in the middle, list, size, delete, an error code
//! (77: the file is gone), mkdir, rmdir and quit; byte-identical.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::Duration;

use cellftp_proto::simcom::{PutOpt, SimcomFtpError};
use cellftp_proto::Mode;
use cellftp_session::simcom::{BearerConfig, Config, Event, FtpConfig, JobError, Outcome, Session};
use cellftp_session::{Instant, JobId};
use cellftp_sim::{EmbeddedServer, FtpBackend, ModemConfig, SimcomModem, MAX_LENGTH};

/// What a run saw.
#[derive(Debug, Default)]
struct Seen {
    data: Vec<u8>,
    first_offset: Option<u64>,
    lines: Vec<Vec<u8>>,
    done: Vec<(JobId, Result<Outcome, JobError>)>,
    chunks: Vec<usize>,
}

impl Seen {
    fn result(&self, job: JobId) -> Result<Outcome, JobError> {
        self.done
            .iter()
            .find(|(j, _)| *j == job)
            .map(|(_, r)| *r)
            .expect("the job ended")
    }
}

struct Rig {
    session: Session,
    modem: SimcomModem,
    backend: FtpBackend,
    now: Instant,
    traffic: Vec<u8>,
}

impl Rig {
    fn new() -> Self {
        Self {
            session: Session::new(Config::default()).unwrap(),
            modem: SimcomModem::new(ModemConfig::default()),
            backend: FtpBackend::new(Duration::from_secs(10)),
            now: Instant::from_millis(0),
            traffic: Vec::new(),
        }
    }

    fn elapsed(&self) -> Duration {
        Duration::from_millis(self.now.as_millis())
    }

    /// Drains the session's events, feeding a put from `upload`.
    fn events(&mut self, seen: &mut Seen, upload: &mut &[u8]) {
        loop {
            let mut ready = None;
            match self.session.poll_event() {
                None => return,
                Some(Event::Data { offset, data, .. }) => {
                    seen.first_offset.get_or_insert(offset);
                    seen.data.extend_from_slice(data);
                }
                Some(Event::ListLine { line, .. }) => seen.lines.push(line.to_vec()),
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
                    seen.chunks.push(taken);
                    *upload = &upload[taken..];
                }
            }
        }
    }

    /// Runs the queued jobs to their ends.
    fn run(&mut self, mut upload: &[u8]) -> Seen {
        let mut seen = Seen::default();
        for _ in 0..100_000 {
            self.events(&mut seen, &mut upload);
            let mut moved = false;
            while let Some(bytes) = self.session.poll_transmit(self.now) {
                let bytes = bytes.to_vec();
                self.traffic.extend_from_slice(&bytes);
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
                self.traffic.extend_from_slice(&out);
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
                assert!(self.modem.is_idle());
                return seen;
            }
            let next = self
                .session
                .poll_timeout()
                .expect("a busy session has a deadline");
            self.now = self.now.max(next);
            self.session.handle_timeout(self.now);
        }
        panic!("the session did not finish");
    }
}

/// `n` bytes of every value, with the sequences a line parser would stop
/// at planted across the first chunk's end.
fn content(n: usize) -> Vec<u8> {
    let mut v: Vec<u8> = (0..n).map(|i| (i * 7 + i / 251) as u8).collect();
    let tricky = b"\r\nOK\r\n\0+FTPGET: 1,0\r\n+FTPPUT: 1,0\r\nERROR\r\n";
    for at in [0, MAX_LENGTH as usize - 10, n - tricky.len()] {
        v[at..at + tricky.len()].copy_from_slice(tricky);
    }
    v
}

#[test]
fn a_whole_session_against_the_embedded_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = EmbeddedServer::start(dir.path()).unwrap();
    let port = server.addr().port();
    let mut rig = Rig::new();

    // Bearer and configure.
    let up = rig
        .session
        .bring_up(&BearerConfig {
            apn: "internet",
            ..BearerConfig::default()
        })
        .unwrap();
    let conf = rig
        .session
        .configure(&FtpConfig {
            server: "127.0.0.1",
            port,
            user: "demo",
            password: "s3cret",
            mode: Mode::Passive,
        })
        .unwrap();
    let seen = rig.run(b"");
    assert_eq!(seen.result(up), Ok(Outcome::BroughtUp));
    assert_eq!(seen.result(conf), Ok(Outcome::Configured));
    assert_eq!(rig.session.bearer(), Some(true));

    // Put, larger than one <maxlength>.
    let data = content(4000);
    let put = rig.session.put("/", "blob.bin", PutOpt::Stor).unwrap();
    let seen = rig.run(&data);
    assert_eq!(seen.result(put), Ok(Outcome::Uploaded { bytes: 4000 }));
    assert_eq!(seen.chunks, [1360, 1360, 1280]);
    assert_eq!(std::fs::read(dir.path().join("blob.bin")).unwrap(), data);

    // Get it back from the middle.
    let get = rig.session.get("/", "blob.bin", 1500).unwrap();
    let seen = rig.run(b"");
    assert_eq!(
        seen.result(get),
        Ok(Outcome::Downloaded {
            offset: 1500,
            bytes: 2500
        })
    );
    assert_eq!(seen.first_offset, Some(1500));
    assert_eq!(seen.data, data[1500..]);

    // The whole file, list, size.
    let whole = rig.session.get("/", "blob.bin", 0).unwrap();
    let list = rig.session.list("/").unwrap();
    let size = rig.session.size("/", "blob.bin").unwrap();
    let seen = rig.run(b"");
    assert!(seen.result(whole).is_ok());
    assert_eq!(seen.data, data);
    assert!(matches!(
        seen.result(list),
        Ok(Outcome::Listed { entries: 1, .. })
    ));
    assert!(
        seen.lines.iter().any(|l| l.ends_with(b" blob.bin")),
        "{:?}",
        seen.lines
    );
    assert_eq!(seen.result(size), Ok(Outcome::Size { bytes: 4000 }));

    // Delete, then the file is gone: error 77.
    let dele = rig.session.delete("/", "blob.bin").unwrap();
    let again = rig.session.get("/", "blob.bin", 0).unwrap();
    let seen = rig.run(b"");
    assert_eq!(seen.result(dele), Ok(Outcome::Deleted));
    assert!(!dir.path().join("blob.bin").exists());
    match seen.result(again) {
        Err(JobError::Ftp { error, .. }) => assert_eq!(error, SimcomFtpError::Operate),
        other => panic!("{other:?}"),
    }

    // Directories and quit.
    let mkd = rig.session.mkdir("/sub").unwrap();
    let mkd_again = rig.session.mkdir("/sub").unwrap();
    let rmd = rig.session.rmdir("/sub").unwrap();
    let quit = rig.session.quit().unwrap();
    let seen = rig.run(b"");
    assert_eq!(seen.result(mkd), Ok(Outcome::DirectoryCreated));
    assert!(matches!(seen.result(mkd_again), Err(JobError::Ftp { .. })));
    assert_eq!(seen.result(rmd), Ok(Outcome::DirectoryRemoved));
    assert_eq!(seen.result(quit), Ok(Outcome::Quit));
    assert!(!dir.path().join("sub").exists());

    // The password went out only in its own command line.
    let text = String::from_utf8_lossy(&rig.traffic);
    assert_eq!(text.matches("s3cret").count(), 1, "{text}");
    assert!(text.contains("AT+FTPPW=\"s3cret\"\r"));
}

#[test]
fn an_empty_file_goes_and_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let server = EmbeddedServer::start(dir.path()).unwrap();
    let mut rig = Rig::new();
    rig.session.bring_up(&BearerConfig::default()).unwrap();
    rig.session
        .configure(&FtpConfig {
            server: "127.0.0.1",
            port: server.addr().port(),
            user: "demo",
            password: "x",
            mode: Mode::Passive,
        })
        .unwrap();
    let put = rig.session.put("/", "empty", PutOpt::Stor).unwrap();
    let get = rig.session.get("/", "empty", 0).unwrap();
    let seen = rig.run(b"");
    assert_eq!(seen.result(put), Ok(Outcome::Uploaded { bytes: 0 }));
    assert_eq!(
        seen.result(get),
        Ok(Outcome::Downloaded {
            offset: 0,
            bytes: 0
        })
    );
    assert_eq!(std::fs::read(dir.path().join("empty")).unwrap(), b"");
}
