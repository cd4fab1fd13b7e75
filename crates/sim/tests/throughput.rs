//! Throughput through the whole stack (session → pseudo-terminal →
//! simulator → embedded FTP server). A short paced run at 9600 baud runs
//! with `cargo test`; the 115200-baud and unlimited figures of the README
//! are ignored by it (they take about a minute): run them with
//! `cargo test -p cellftp-sim --release --test throughput -- --ignored --nocapture`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::time::{Duration, Instant};

use cellftp_session::{Mode, Outcome};
use common::{content, quick_config, Bench, Server, Watchdog, Wire};

/// What a put and a get of the same file took.
struct Run {
    /// Put and get, in bytes of file per second.
    put: f64,
    get: f64,
    /// Per upload chunk: from the write of `AT+FTPPUT=<n>,` to the read
    /// that completed its `OK`, and from there to the next chunk's write.
    chunk_answer: Duration,
    chunk_gap: Duration,
    chunks: usize,
}

fn transfer(baud: Option<u32>, len: usize, chunk: usize) -> Run {
    let server = Server::embedded();
    let mut config = quick_config();
    config.chunk_size = chunk;
    config.guard = Duration::from_millis(2);
    let mut bench = Bench::with(&server, "", Mode::Passive, baud, config);
    bench.connect();
    let data = content(len, 1);
    let name = server.unique("bench");
    let start = Instant::now();
    let put = bench.put(&name, &data);
    bench.run();
    let up = start.elapsed().as_secs_f64();
    assert_eq!(
        bench.seen.result(put),
        Ok(Outcome::Uploaded { bytes: len as u64 })
    );
    let (chunk_answer, chunk_gap, chunks) = chunk_times(&bench.wire.lock().unwrap());
    let start = Instant::now();
    let get = bench.get(&name, 0);
    bench.run();
    let down = start.elapsed().as_secs_f64();
    assert!(bench.seen.data[&get] == data);
    Run {
        put: len as f64 / up,
        get: len as f64 / down,
        chunk_answer,
        chunk_gap,
        chunks,
    }
}

/// The mean time from each upload chunk's write to the read that
/// completed its `OK`, the mean time from that `OK` to the next chunk's
/// write, and the number of chunks.
fn chunk_times(wire: &Wire) -> (Duration, Duration, usize) {
    let writes: Vec<Instant> = wire
        .sent
        .iter()
        .filter(|(_, b)| b.starts_with(b"AT+FTPPUT=") && !b.starts_with(b"AT+FTPPUT=0\r"))
        .map(|(t, _)| *t)
        .collect();
    let mut answers = Vec::new();
    for &w in &writes {
        // The reads after the write, up to the one that ends `OK\r\n`.
        let mut tail = Vec::new();
        for (t, bytes) in wire.received.iter().filter(|(t, _)| *t >= w) {
            tail.extend_from_slice(bytes);
            if tail.ends_with(b"OK\r\n") {
                answers.push(*t);
                break;
            }
        }
    }
    assert_eq!(answers.len(), writes.len(), "every chunk was answered");
    let n = writes.len() as u32;
    let answer: Duration = writes.iter().zip(&answers).map(|(w, a)| *a - *w).sum();
    let gap: Duration = answers
        .iter()
        .zip(writes.iter().skip(1))
        .map(|(a, w)| w.saturating_duration_since(*a))
        .sum();
    (answer / n, gap / (n - 1).max(1), writes.len())
}

#[test]
fn paced_at_9600_baud_takes_the_lines_time() {
    let _w = Watchdog::new("9600 baud", Duration::from_secs(60));
    // 960 bytes a second: 2 KiB of data takes 2.13 s, plus the commands,
    // chunk headers and answers around it (about 2 % here).
    let len = 2048;
    let ideal = len as f64 / 960.0;
    let run = transfer(Some(9600), len, 1024);
    for (what, rate) in [("put", run.put), ("get", run.get)] {
        let took = len as f64 / rate;
        let ratio = took / ideal;
        println!("9600 baud, 2 KiB {what}: {took:.2} s, {ratio:.2} times the data's line time");
        // Wall-clock time on a shared machine: a generous window, which a
        // link that gave back idle time, or did not pace, would leave.
        assert!((0.8..1.6).contains(&ratio), "{what}: {ratio:.2}");
    }
}

#[test]
#[ignore = "takes about a minute: run it on purpose"]
fn paced_at_115200_baud_reaches_90_percent() {
    let _w = Watchdog::new("throughput", Duration::from_secs(300));
    let link = 11_520.0;
    let paced = transfer(Some(115_200), 256 * 1024, 1024);
    let line = Duration::from_secs_f64(1024.0 / link);
    println!(
        "115200 baud, 256 KiB, chunk 1024, guard 2 ms: put {:.0} B/s ({:.1} %), get {:.0} B/s ({:.1} %)",
        paced.put,
        100.0 * paced.put / link,
        paced.get,
        100.0 * paced.get / link
    );
    println!(
        "per put chunk ({} chunks): {:.1} ms from the write to its OK, {:.1} ms from the OK to the next write; \
         {:.1} ms a cycle against {:.1} ms of line time for the 1024 data bytes",
        paced.chunks,
        paced.chunk_answer.as_secs_f64() * 1e3,
        paced.chunk_gap.as_secs_f64() * 1e3,
        (paced.chunk_answer + paced.chunk_gap).as_secs_f64() * 1e3,
        line.as_secs_f64() * 1e3
    );
    let free = transfer(None, 8 * 1024 * 1024, 1024);
    println!(
        "unlimited, 8 MiB: put {:.2} MB/s, get {:.2} MB/s; per put chunk {:.3} ms from the write to its OK, \
         {:.3} ms from the OK to the next write",
        free.put / 1e6,
        free.get / 1e6,
        free.chunk_answer.as_secs_f64() * 1e3,
        free.chunk_gap.as_secs_f64() * 1e3
    );
    assert!(
        paced.put >= 0.9 * link && paced.get >= 0.9 * link,
        "under 90 % of the link"
    );
}
