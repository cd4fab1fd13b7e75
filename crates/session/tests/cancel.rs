#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! `Session::cancel`: a queued job ends at once; a running upload is closed
//! with `AT+FTPPUT=0` and reported as cancelled, never as uploaded, so the
//! next upload starts a new file; a running download waits out its command,
//! its data discarded.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use cellftp_proto::{Mode, TransferType};
use cellftp_session::testing::ScriptedModem;
use cellftp_session::{Event, FtpConfig, Instant, JobError, JobId, Outcome, Session, UsageError};
use common::{fake_modem, Server};

const FTP: FtpConfig<'static> = FtpConfig {
    server: "ftp.example.com",
    port: None,
    mode: Mode::Passive,
    transfer_type: TransferType::Binary,
    user: "user",
    password: "secret",
    path: None,
};

/// A session against the manual-like modem, driven by hand.
struct Rig {
    session: Session,
    modem: ScriptedModem,
    server: Rc<RefCell<Server>>,
    now: Instant,
    done: Vec<(JobId, Result<Outcome, JobError>)>,
    data: Vec<u8>,
}

impl Rig {
    fn new() -> Self {
        let (modem, server) = fake_modem();
        let mut rig = Self {
            session: Session::default(),
            modem,
            server,
            now: Instant::from_millis(0),
            done: Vec::new(),
            data: Vec::new(),
        };
        let job = rig.session.configure(&FTP).unwrap();
        assert_eq!(rig.pump(), None);
        assert_eq!(rig.done, [(job, Ok(Outcome::Configured))]);
        rig.done.clear();
        rig
    }

    /// Runs until a put job asks for data (returns its `max`) or nothing
    /// more happens.
    fn pump(&mut self) -> Option<usize> {
        let mut buf = [0u8; 512];
        loop {
            let mut ready = None;
            while let Some(event) = self.session.poll_event() {
                match event {
                    Event::PutReady { max, .. } => ready = Some(max),
                    Event::JobDone { job, result } => self.done.push((job, result)),
                    Event::Data { data, .. } => self.data.extend_from_slice(data),
                    _ => {}
                }
            }
            if ready.is_some() {
                return ready;
            }
            while let Some(bytes) = self.session.poll_transmit(self.now) {
                self.modem.write(self.now, bytes);
            }
            let n = self.modem.read(self.now, &mut buf);
            if n > 0 {
                let mut input = &buf[..n];
                while !input.is_empty() {
                    let taken = self.session.handle_input(self.now, input);
                    input = &input[taken..];
                    if !input.is_empty() {
                        while let Some(event) = self.session.poll_event() {
                            if let Event::JobDone { job, result } = event {
                                self.done.push((job, result));
                            }
                        }
                    }
                }
                continue;
            }
            if self.session.is_idle() && self.modem.next_due().is_none() {
                return None;
            }
            let wake = match (self.session.poll_timeout(), self.modem.next_due()) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => a.or(b)?,
            };
            self.now = self.now.max(wake);
            self.session.handle_timeout(self.now);
        }
    }

    fn commands(&self) -> Vec<String> {
        self.server.borrow().commands.clone()
    }
}

/// Cancelling an upload after two chunks closes it; a new 5-byte upload
/// then arrives as 5 bytes, not appended to the cancelled one.
#[test]
fn a_cancelled_upload_is_closed_and_the_next_one_starts_afresh() {
    let mut rig = Rig::new();
    let put = rig.session.put("big.bin").unwrap();
    for _ in 0..2 {
        assert!(rig.pump().is_some());
        rig.session.send_data(&[b'x'; 100]).unwrap();
    }
    assert!(rig.pump().is_some(), "a third chunk is asked for");
    rig.session.cancel(put).unwrap();
    assert_eq!(rig.pump(), None);
    assert_eq!(rig.done, [(put, Err(JobError::Cancelled))]);
    assert!(
        rig.commands().last().unwrap().contains("End"),
        "the upload was closed: {:?}",
        rig.commands()
    );

    rig.done.clear();
    let put = rig.session.put("small.txt").unwrap();
    assert!(rig.pump().is_some());
    rig.session.send_data(b"hello").unwrap();
    assert!(rig.pump().is_some());
    rig.session.finish_put().unwrap();
    assert_eq!(rig.pump(), None);
    assert_eq!(rig.done, [(put, Ok(Outcome::Uploaded { bytes: 5 }))]);
    assert_eq!(rig.server.borrow().file, b"hello");
}

/// Cancelled while a chunk is in flight: the chunk's answer is waited for,
/// then the upload is closed, and the job is cancelled, never uploaded.
#[test]
fn an_upload_cancelled_with_a_chunk_in_flight_is_closed_after_it() {
    let mut rig = Rig::new();
    let put = rig.session.put("big.bin").unwrap();
    assert!(rig.pump().is_some());
    rig.session.send_data(b"12345").unwrap();
    // The chunk goes out after the guard time; cancel before its answer
    // is read.
    rig.now = rig.session.poll_timeout().unwrap_or(rig.now).max(rig.now);
    let line = rig.session.poll_transmit(rig.now).unwrap().to_vec();
    assert!(line.starts_with(b"AT+FTPPUT=5,"));
    rig.modem.write(rig.now, &line);
    rig.session.cancel(put).unwrap();
    assert_eq!(rig.pump(), None);
    assert_eq!(rig.done, [(put, Err(JobError::Cancelled))]);
    assert!(rig.commands().last().unwrap().contains("End"));
}

/// A queued job ends at once and never runs; the running one goes on.
#[test]
fn a_queued_job_ends_at_once() {
    let mut rig = Rig::new();
    let mkdir = rig.session.mkdir("a").unwrap();
    let rmdir = rig.session.rmdir("b").unwrap();
    rig.session.cancel(rmdir).unwrap();
    match rig.session.poll_event() {
        Some(Event::JobDone { job, result }) => {
            assert_eq!((job, result), (rmdir, Err(JobError::Cancelled)));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(rig.pump(), None);
    assert_eq!(rig.done, [(mkdir, Ok(Outcome::DirectoryCreated))]);
    assert!(!rig.commands().iter().any(|c| c.contains("FtpRmd")));
    assert!(rig.session.is_idle());
}

/// A download cancelled while `AT+FTPGET` is in flight: the command is
/// waited out, its data discarded, and the job is cancelled.
#[test]
fn a_running_download_waits_out_its_command() {
    let mut rig = Rig::new();
    rig.server.borrow_mut().file = b"0123456789".to_vec();
    let get = rig.session.get("f.bin", 0).unwrap();
    // Run until AT+FTPGET is in flight.
    let mut buf = [0u8; 512];
    loop {
        while rig.session.poll_event().is_some() {}
        let line = rig.session.poll_transmit(rig.now).map(<[u8]>::to_vec);
        if let Some(line) = line {
            let get_sent = line == b"AT+FTPGET\r";
            rig.modem.write(rig.now, &line);
            if get_sent {
                break;
            }
        }
        let n = rig.modem.read(rig.now, &mut buf);
        if n > 0 {
            assert_eq!(rig.session.handle_input(rig.now, &buf[..n]), n);
        } else if let Some(t) = rig.session.poll_timeout() {
            rig.now = rig.now.max(t);
            rig.session.handle_timeout(rig.now);
        }
    }
    rig.session.cancel(get).unwrap();
    assert_eq!(rig.pump(), None);
    assert_eq!(rig.done, [(get, Err(JobError::Cancelled))]);
    assert!(rig.data.is_empty(), "no data after the cancel");
    assert!(rig.session.is_idle());
}

/// A job that ended, or never existed, cannot be cancelled.
#[test]
fn only_a_live_job_can_be_cancelled() {
    let mut rig = Rig::new();
    let job = rig.session.mkdir("a").unwrap();
    assert_eq!(rig.pump(), None);
    assert_eq!(rig.session.cancel(job), Err(UsageError::UnknownJob));
}
