#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! A driver's handler steers the run through `Control`: it queues the next
//! job when one ends, cancels an upload half way (the next upload then
//! arrives whole and alone), and stops the run.

mod common;

use cellftp_proto::{Mode, TransferType};
use cellftp_session::driver::{Control, Handler};
use cellftp_session::testing::run;
use cellftp_session::{Event, FtpConfig, Instant, JobError, JobId, Outcome, Session};
use common::fake_modem;

const FTP: FtpConfig<'static> = FtpConfig {
    server: "ftp.example.com",
    port: None,
    mode: Mode::Passive,
    transfer_type: TransferType::Binary,
    user: "user",
    password: "secret",
    path: None,
};

/// Uploads 100-byte chunks forever; cancels the upload at the third chunk
/// request and queues a 5-byte upload instead; stops after `stop_after`
/// jobs ended, if set.
#[derive(Default)]
struct Steer {
    done: Vec<(JobId, Result<Outcome, JobError>)>,
    ready: u32,
    cancel: Option<JobId>,
    small: Option<JobId>,
    stop_after: Option<usize>,
}

impl Handler for Steer {
    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::JobDone { job, result } => self.done.push((*job, *result)),
            Event::PutReady { job, .. } if Some(*job) != self.small => {
                self.ready += 1;
                if self.ready == 3 {
                    self.cancel = Some(*job);
                }
            }
            _ => {}
        }
    }

    fn fill(&mut self, job: JobId, buf: &mut [u8]) -> usize {
        if Some(job) == self.small {
            if self.ready == u32::MAX {
                return 0;
            }
            self.ready = u32::MAX;
            buf[..5].copy_from_slice(b"hello");
            return 5;
        }
        let n = buf.len().min(100);
        buf[..n].fill(b'x');
        n
    }

    fn control(&mut self, control: &mut Control<'_>) {
        if let Some(job) = self.cancel.take() {
            control.cancel(job).unwrap();
            self.small = Some(control.queue(|s| s.put("small.txt")).unwrap());
        }
        if self.stop_after.is_some_and(|n| self.done.len() >= n) {
            control.stop();
        }
    }
}

#[test]
fn cancel_mid_upload_and_queue_another_from_the_handler() {
    let (mut modem, server) = fake_modem();
    let mut session = Session::default();
    let conf = session.configure(&FTP).unwrap();
    let big = session.put("big.bin").unwrap();
    let mut steer = Steer::default();
    run(
        &mut session,
        &mut modem,
        &mut steer,
        Instant::from_millis(0),
        10_000,
    )
    .unwrap();
    let small = steer.small.unwrap();
    assert_eq!(
        steer.done,
        [
            (conf, Ok(Outcome::Configured)),
            (big, Err(JobError::Cancelled)),
            (small, Ok(Outcome::Uploaded { bytes: 5 })),
        ]
    );
    assert_eq!(server.borrow().file, b"hello");
}

#[test]
fn the_handler_stops_the_run() {
    let (mut modem, server) = fake_modem();
    let mut session = Session::default();
    let conf = session.configure(&FTP).unwrap();
    let mkdir = session.mkdir("a").unwrap();
    let mut steer = Steer {
        stop_after: Some(1),
        ..Steer::default()
    };
    run(
        &mut session,
        &mut modem,
        &mut steer,
        Instant::from_millis(0),
        10_000,
    )
    .unwrap();
    assert_eq!(steer.done, [(conf, Ok(Outcome::Configured))]);
    assert!(!session.is_idle(), "the mkdir job is still queued");
    assert!(!server
        .borrow()
        .commands
        .iter()
        .any(|c| c.contains("FtpMkd")));
    session.cancel(mkdir).unwrap();
}
