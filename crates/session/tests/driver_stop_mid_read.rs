#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! Scenario: a handler stops the run (`Control::stop`) at the first data
//! of a download while the read that brought it holds more than the
//! session had room for; the run is started again to finish. No byte is
//! lost: the embedded driver reads no more than the session's free room,
//! and `feed` hands what is left over to the session when the run stops,
//! or says it could not, never dropping it quietly.

use core::cell::Cell;
use std::collections::VecDeque;

use cellftp_session::driver::embedded::{run, Clock};
use cellftp_session::driver::{feed, Control, Handler, Run};
use cellftp_session::{Event, Instant, JobId, Outcome, Session, UsageError, RX_CAPACITY};

struct FakeClock(Cell<u64>);

impl Clock for FakeClock {
    fn now(&self) -> Instant {
        Instant::from_millis(self.0.get())
    }
    async fn wait_until(&self, at: Instant) {
        self.0.set(self.0.get().max(at.as_millis()));
    }
}

/// A UART whose answer to `AT+FTPGET` is `stream`, handed out in reads as
/// large as the driver asks for.
struct Uart {
    pending: VecDeque<u8>,
    stream: Vec<u8>,
    largest_read: usize,
}

impl embedded_io_async::ErrorType for Uart {
    type Error = core::convert::Infallible;
}

impl embedded_io_async::Read for Uart {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        if self.pending.is_empty() {
            core::future::pending::<()>().await;
        }
        let n = buf.len().min(self.pending.len());
        for (slot, byte) in buf.iter_mut().zip(self.pending.drain(..n)) {
            *slot = byte;
        }
        self.largest_read = self.largest_read.max(n);
        Ok(n)
    }
}

impl embedded_io_async::Write for Uart {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        match buf {
            b"AT+FTPGETNAME=f\r" => self.pending.extend(b"\r\nOK\r\n"),
            b"AT+FTPGET\r" => self.pending.extend(self.stream.drain(..)),
            other => panic!("unexpected {}", other.escape_ascii()),
        }
        Ok(buf.len())
    }
}

/// `+FTPGET:<n>,` and `n` bytes of `byte`.
fn chunk(byte: u8, n: usize) -> Vec<u8> {
    let mut c = format!("\r\n+FTPGET:{n},").into_bytes();
    c.extend(std::iter::repeat(byte).take(n));
    c.extend_from_slice(b"\r\n");
    c
}

/// Collects the data and the result; stops the run at the first data.
#[derive(Default)]
struct StopOnce {
    data: Vec<u8>,
    result: Option<Result<Outcome, String>>,
    stop_now: bool,
    stopped: bool,
}

impl Handler for StopOnce {
    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Data { data, .. } => {
                self.data.extend_from_slice(data);
                self.stop_now = !self.stopped;
            }
            Event::JobDone { result, .. } => {
                self.result = Some((*result).map_err(|e| e.to_string()));
            }
            _ => {}
        }
    }
    fn fill(&mut self, _: JobId, _: &mut [u8]) -> usize {
        0
    }
    fn control(&mut self, control: &mut Control<'_>) {
        if std::mem::take(&mut self.stop_now) {
            self.stopped = true;
            control.stop();
        }
    }
}

#[test]
fn the_embedded_driver_loses_nothing_when_stopped_and_run_again() {
    // More than the session's receive buffer in one burst.
    let mut stream = chunk(b'A', 2031);
    stream.extend(chunk(b'B', 2031));
    stream.extend(chunk(b'C', 100));
    stream.extend(chunk(b'D', 50));
    stream.extend_from_slice(b"\r\nOK\r\n");
    assert!(stream.len() > RX_CAPACITY);
    let mut uart = Uart {
        pending: VecDeque::new(),
        stream,
        largest_read: 0,
    };
    let clock = FakeClock(Cell::new(0));
    let mut session = Session::default();
    session.get("f", 0).unwrap();
    let mut handler = StopOnce::default();
    let (mut chunk_buf, mut read_buf) = ([0u8; 1024], vec![0u8; 3 * RX_CAPACITY]);
    // The first run stops at the first data; the second, started again,
    // finishes.
    for first in [true, false] {
        embassy_futures::block_on(run(
            &mut uart,
            &clock,
            &mut session,
            &mut handler,
            &mut chunk_buf,
            &mut read_buf,
        ))
        .unwrap();
        if first {
            assert!(handler.stopped && handler.result.is_none());
        }
    }
    let count = |b: u8| handler.data.iter().filter(|&&x| x == b).count();
    assert_eq!(
        (count(b'A'), count(b'B'), count(b'C'), count(b'D')),
        (2031, 2031, 100, 50)
    );
    assert_eq!(
        handler.result,
        Some(Ok(Outcome::Downloaded {
            offset: 0,
            bytes: 4212
        }))
    );
    assert!(uart.largest_read <= RX_CAPACITY);
}

/// A session whose get has sent `AT+FTPGET`, at the time returned.
fn transferring() -> (Session, Instant) {
    let mut session = Session::default();
    session.get("f", 0).unwrap();
    let mut now = Instant::from_millis(0);
    for (line, answer) in [
        (&b"AT+FTPGETNAME=f\r"[..], &b"\r\nOK\r\n"[..]),
        (b"AT+FTPGET\r", b""),
    ] {
        while session.poll_event().is_some() {}
        // After a guard time, if the session keeps one.
        now = session.poll_timeout().map_or(now, |at| at.max(now));
        assert_eq!(session.poll_transmit(now), Some(line));
        assert_eq!(session.handle_input(now, answer), answer.len());
    }
    (session, now)
}

#[test]
fn feed_says_when_a_stopped_run_leaves_bytes_it_could_not_hand_over() {
    let (mut session, now) = transferring();
    let mut handler = StopOnce::default();
    let mut chunk_buf = [0u8; 1024];
    // Two buffers' worth in one input, the handler stopping at the first
    // data: what fits is handed over, the rest reported.
    let mut input = Vec::new();
    for byte in [b'A', b'B', b'C', b'D'] {
        input.extend(chunk(byte, 2031));
    }
    let result = feed(&mut session, &mut handler, &mut chunk_buf, now, &input);
    let Err(UsageError::InputLeft { bytes }) = result else {
        panic!("expected InputLeft, got {result:?}");
    };
    assert!(bytes > 0 && bytes < input.len(), "{bytes}");
}

#[test]
fn feed_hands_over_the_rest_of_a_read_that_fits_when_the_run_stops() {
    let (mut session, now) = transferring();
    let mut handler = StopOnce::default();
    let mut chunk_buf = [0u8; 1024];
    let mut input = chunk(b'A', 100);
    input.extend(chunk(b'B', 100));
    let result = feed(&mut session, &mut handler, &mut chunk_buf, now, &input);
    assert_eq!(result, Ok(Run::Stop));
    // The first chunk reported, the second waiting in the session.
    assert_eq!(handler.data, [b'A'; 100]);
    let mut rest = Vec::new();
    while let Some(event) = session.poll_event() {
        if let Event::Data { data, .. } = event {
            rest.extend_from_slice(data);
        }
    }
    assert_eq!(rest, [b'B'; 100]);
}
