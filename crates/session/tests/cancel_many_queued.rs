#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! Scenario: a caller queues and cancels jobs again and again without
//! polling events in between (as a driver's handler can, in one
//! `control` call). A queued job cancelled keeps its place until its
//! `JobDone` has been polled, so the queue refuses the job that would
//! overflow it, and every job queued gets exactly one `JobDone`: in both
//! dialects, and through the drivers' `Control`.

use cellftp_session::driver::{Control, Handler};
use cellftp_session::testing::{run, ScriptedModem};
use cellftp_session::MAX_QUEUED_JOBS;
use cellftp_session::{simcom, Event, Instant, JobError, JobId, Session, UsageError};

#[test]
fn manual_dialect() {
    let mut s = Session::default();
    let _running = s.mkdir("keep").unwrap();
    let mut cancelled = Vec::new();
    for i in 0..MAX_QUEUED_JOBS {
        let job = s.mkdir(&format!("d{i}")).unwrap();
        s.cancel(job).unwrap();
        cancelled.push(job);
    }
    // Their `JobDone`s are still to come: no room yet.
    assert_eq!(s.mkdir("one more"), Err(UsageError::QueueFull));
    let mut done = Vec::new();
    while let Some(event) = s.poll_event() {
        if let Event::JobDone { job, result } = event {
            assert_eq!(result, Err(JobError::Cancelled));
            done.push(job);
        }
    }
    assert_eq!(done, cancelled);
    // Polled: room again.
    assert!(s.mkdir("after").is_ok());
}

#[test]
fn simcom_dialect() {
    let mut s = simcom::Session::default();
    let _running = s.mkdir("/keep").unwrap();
    let mut cancelled = Vec::new();
    for i in 0..MAX_QUEUED_JOBS {
        let job = s.mkdir(&format!("/d{i}")).unwrap();
        s.cancel(job).unwrap();
        cancelled.push(job);
    }
    assert_eq!(s.mkdir("/one-more"), Err(UsageError::QueueFull));
    let mut done = Vec::new();
    while let Some(event) = s.poll_event() {
        if let simcom::Event::JobDone { job, result } = event {
            assert_eq!(result, Err(simcom::JobError::Cancelled));
            done.push(job);
        }
    }
    assert_eq!(done, cancelled);
    assert!(s.mkdir("/after").is_ok());
}

/// Queues and cancels jobs in one `control` call until the queue refuses
/// one, twice over; records what it queued and what ended.
#[derive(Default)]
struct Churn {
    queued: Vec<JobId>,
    refused: usize,
    done: Vec<JobId>,
    fired: bool,
}

impl Handler for Churn {
    fn event(&mut self, event: &Event<'_>) {
        if let Event::JobDone { job, .. } = event {
            self.done.push(*job);
        }
    }
    fn fill(&mut self, _: JobId, _: &mut [u8]) -> usize {
        0
    }
    fn control(&mut self, control: &mut Control<'_>) {
        if std::mem::replace(&mut self.fired, true) {
            return;
        }
        self.queued
            .push(control.queue(|s| s.mkdir("keep")).unwrap());
        for i in 0..2 * MAX_QUEUED_JOBS {
            match control.queue(|s| s.mkdir(&format!("d{i}"))) {
                Ok(job) => {
                    control.cancel(job).unwrap();
                    self.queued.push(job);
                }
                Err(e) => {
                    assert_eq!(e, UsageError::QueueFull);
                    self.refused += 1;
                }
            }
        }
    }
}

#[test]
fn through_a_drivers_control() {
    let mut s = Session::default();
    s.raw("AT").unwrap();
    let mut modem = ScriptedModem::new();
    modem
        .expect(b"AT\r", b"\r\nOK\r\n")
        .expect(b"AT+FTPMKD=keep\r", b"\r\nOK\r\n");
    let mut handler = Churn::default();
    let _ = run(
        &mut s,
        &mut modem,
        &mut handler,
        Instant::from_millis(0),
        100_000,
    );
    assert_eq!(handler.refused, MAX_QUEUED_JOBS);
    let mut done = handler.done.clone();
    done.sort();
    let mut queued = handler.queued.clone();
    queued.sort();
    // Every job queued ended once (the first, `raw`, too).
    assert_eq!(done.len(), queued.len() + 1, "{done:?} {queued:?}");
    assert!(queued.iter().all(|j| done.contains(j)));
}
