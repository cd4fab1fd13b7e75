//! Throughput through the whole stack (session → pseudo-terminal →
//! simulator → embedded FTP server). Ignored by `cargo test` (the paced run
//! takes about a minute); run it with
//! `cargo test -p cellftp-sim --release --test throughput -- --ignored --nocapture`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::time::{Duration, Instant};

use cellftp_session::{Mode, Outcome};
use common::{content, quick_config, Bench, Server, Watchdog};

fn transfer(baud: Option<u32>, len: usize) -> (f64, f64) {
    let server = Server::embedded();
    let mut config = quick_config();
    config.chunk_size = 1024;
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
    let start = Instant::now();
    let get = bench.get(&name, 0);
    bench.run();
    let down = start.elapsed().as_secs_f64();
    assert!(bench.seen.data[&get] == data);
    (len as f64 / up, len as f64 / down)
}

#[test]
#[ignore = "takes about a minute: run it on purpose"]
fn paced_at_115200_baud_reaches_90_percent() {
    let _w = Watchdog::new("throughput", Duration::from_secs(180));
    let link = 11_520.0;
    let (put, get) = transfer(Some(115_200), 256 * 1024);
    println!(
        "115200 baud, 256 KiB, chunk 1024, guard 2 ms: put {put:.0} B/s ({:.1} %), get {get:.0} B/s ({:.1} %)",
        100.0 * put / link,
        100.0 * get / link
    );
    assert!(put >= 0.9 * link && get >= 0.9 * link);
    let (put, get) = transfer(None, 8 * 1024 * 1024);
    println!(
        "unlimited, 8 MiB: put {:.2} MB/s, get {:.2} MB/s",
        put / 1e6,
        get / 1e6
    );
}
