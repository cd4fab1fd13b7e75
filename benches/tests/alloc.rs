//! Decoding and running a session allocate nothing.
//!
//! A counting global allocator counts the allocations made on the current
//! thread while a flag is up; the streams, the script and the session's
//! modem (`cellftp_session::testing`'s, which allocates when built) are
//! prepared before the flag goes up, and the results are checked after it
//! is down.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// A `GlobalAlloc` cannot be written without `unsafe`; the only unsafe code
// is the forwarding to `System` below.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use cellftp_benches::sim::{self, Mix, Modem, Observer, Totals};
use cellftp_benches::{stream_a, stream_b, stream_c, tally, Stream, Tally, WHOLE};
use cellftp_session::{JobError, JobId, Outcome, Session};

struct Counting;

/// Allocations made by any thread while it was measuring.
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// This thread is in a measured region.
    static MEASURING: Cell<bool> = const { Cell::new(false) };
    /// Allocations this thread made while measuring.
    static MINE: Cell<usize> = const { Cell::new(0) };
}

fn note() {
    if MEASURING.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        let _ = MINE.try_with(|n| n.set(n.get() + 1));
    }
}

// SAFETY: every call is forwarded to `System` unchanged; counting touches
// only an atomic and a `const`-initialised thread-local.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result with the number of allocations it made
/// on this thread (tests run on several threads at once: only this one's
/// count).
fn count<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = MINE.with(Cell::get);
    MEASURING.with(|m| m.set(true));
    let out = std::hint::black_box(f());
    MEASURING.with(|m| m.set(false));
    (out, MINE.with(Cell::get) - before)
}

/// Makes sure the counter counts: a test that can never fail proves nothing.
#[test]
fn the_counter_counts() {
    let total = ALLOCATIONS.load(Ordering::Relaxed);
    let (v, n) = count(|| vec![1u8; 100]);
    assert_eq!(v.len(), 100);
    assert_eq!(n, 1, "the counting allocator missed a Vec");
    assert!(ALLOCATIONS.load(Ordering::Relaxed) > total);
    let (_, n) = count(|| std::hint::black_box([1u8; 100]).len());
    assert_eq!(n, 0);
}

const LEN: usize = cellftp_benches::STREAM_LEN;

fn decode_without_allocating(name: &str, stream: &Stream) {
    let truth = Tally::of(&stream.items);
    for read in [64, WHOLE] {
        let (result, allocations) = count(|| tally(&stream.bytes, read));
        assert_eq!(
            allocations, 0,
            "stream {name}, reads of {read}: {allocations} allocations"
        );
        assert_eq!(result, Ok(truth), "stream {name}, reads of {read}");
    }
}

#[test]
fn decoding_stream_a_allocates_nothing() {
    decode_without_allocating("A", &stream_a(LEN));
}

#[test]
fn decoding_stream_b_allocates_nothing() {
    decode_without_allocating("B", &stream_b(LEN));
}

#[test]
fn decoding_stream_c_allocates_nothing() {
    decode_without_allocating("C", &stream_c(LEN));
}

/// What the manual's session reports, in fixed storage.
struct Record {
    sent: [u8; 512],
    sent_len: usize,
    outcomes: [Option<(u32, Result<Outcome, JobError>)>; 8],
    done: usize,
    data: [u8; 16],
    data_len: usize,
    data_offset: Option<u64>,
    lines: usize,
    parsed: usize,
    unsolicited: usize,
}

impl Default for Record {
    fn default() -> Self {
        Self {
            sent: [0; 512],
            sent_len: 0,
            outcomes: [None; 8],
            done: 0,
            data: [0; 16],
            data_len: 0,
            data_offset: None,
            lines: 0,
            parsed: 0,
            unsolicited: 0,
        }
    }
}

impl Observer for Record {
    fn sent(&mut self, line: &[u8]) {
        let end = (self.sent_len + line.len()).min(self.sent.len());
        let n = end - self.sent_len;
        self.sent[self.sent_len..end].copy_from_slice(&line[..n]);
        self.sent_len = end;
    }

    fn data(&mut self, _job: JobId, offset: u64, data: &[u8]) {
        self.data_offset.get_or_insert(offset);
        let end = (self.data_len + data.len()).min(self.data.len());
        let n = end - self.data_len;
        self.data[self.data_len..end].copy_from_slice(&data[..n]);
        self.data_len = end;
    }

    fn list_line(&mut self, _job: JobId, _line: &[u8], parsed: bool) {
        self.lines += 1;
        self.parsed += usize::from(parsed);
    }

    fn done(&mut self, job: JobId, result: Result<Outcome, JobError>) {
        if let Some(slot) = self.outcomes.get_mut(self.done) {
            *slot = Some((job.get(), result));
        }
        self.done += 1;
    }

    fn unsolicited(&mut self, _item: &cellftp_proto::Response<'_>) {
        self.unsolicited += 1;
    }
}

#[test]
fn the_manual_session_allocates_nothing() {
    for read in [1, 7, 64, usize::MAX] {
        let mut session = Box::new(Session::default());
        let mut record = Box::<Record>::default();
        let script = sim::MANUAL_SCRIPT;
        // Building the modem allocates: it is done before measuring.
        let mut modem = Modem::MANUAL.scripted();
        let (traffic, allocations) =
            count(|| sim::run(&mut session, &script, &mut modem, read, &mut *record));
        assert_eq!(allocations, 0, "reads of {read}: {allocations} allocations");
        let traffic = traffic.expect("the session runs to the end");
        assert_eq!(traffic.jobs, 6);

        let sent = String::from_utf8_lossy(&record.sent[..record.sent_len]).into_owned();
        assert_eq!(
            sent,
            "AT+CFUN=1\rAT+CGACT=1,1\r\
             AT+FTPPORT=15881\rAT+FTPMODE=1\rAT+FTPSERV=47.104.157.10\r\
             AT+FTPUN=xs\rAT+FTPPW=123\rAT+FTPTYPE=I\r\
             AT+FTPPUTNAME=12.txt\rAT+FTPPUT=5,12345\rAT+FTPPUT=0\r\
             AT+FTPGETNAME=12.txt\rAT+FTPRESET=2\rAT+FTPGET\r\
             AT+FTPLIST\rAT+FTPQUIT\r",
            "reads of {read}"
        );
        let outcomes: Vec<_> = record.outcomes.iter().flatten().copied().collect();
        assert_eq!(
            outcomes,
            [
                (0, Ok(Outcome::BroughtUp)),
                (1, Ok(Outcome::Configured)),
                (2, Ok(Outcome::Uploaded { bytes: 5 })),
                (
                    3,
                    Ok(Outcome::Downloaded {
                        offset: 2,
                        bytes: 3
                    })
                ),
                (
                    4,
                    Ok(Outcome::Listed {
                        entries: 1,
                        lines: 1
                    })
                ),
                (5, Ok(Outcome::Quit)),
            ],
            "reads of {read}"
        );
        assert_eq!(&record.data[..record.data_len], b"345");
        assert_eq!(record.data_offset, Some(2));
        assert_eq!((record.lines, record.parsed), (1, 1));
        assert_eq!(record.unsolicited, 0);
        assert!(session.is_idle());
    }
}

/// A longer mix, to reach the session's buffer limits, still allocates
/// nothing once the fixture is built.
#[test]
fn a_long_job_mix_allocates_nothing() {
    let mix = Mix::new();
    let script = mix.script(8);
    // Building the modem allocates: it is done before measuring.
    let mut modem = mix.modem().scripted();
    for read in [64, 4096] {
        let mut session = Box::new(Session::default());
        let mut totals = Totals::default();
        let (traffic, allocations) =
            count(|| sim::run(&mut session, &script, &mut modem, read, &mut totals));
        assert_eq!(allocations, 0, "reads of {read}: {allocations} allocations");
        let traffic = traffic.expect("the session runs to the end");
        assert_eq!(traffic.jobs, script.len() as u64);
        assert_eq!(
            totals,
            Totals {
                data: 8 * Mix::DOWNLOAD as u64,
                list_lines: 8 * Mix::LIST_LINES as u64,
                succeeded: script.len() as u64,
                failed: 0,
                unsolicited: 0,
            },
            "reads of {read}"
        );
    }
}
