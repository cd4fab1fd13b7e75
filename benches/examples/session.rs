//! Runs the session benchmark's job mix once: a fixed workload for
//! instruction counting (`valgrind --tool=callgrind`), which is repeatable
//! where wall time on a shared machine is not.
//!
//! `cargo run --release -p cellftp-benches --example session -- 64`

use cellftp_benches::sim::{self, Mix, Totals};
use cellftp_session::Session;

/// Put + get + list rounds, as in `benches/session.rs`.
const ROUNDS: usize = 32;

fn main() {
    let read = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(64);
    let mix = Mix::new();
    let script = mix.script(ROUNDS);
    let mut modem = mix.modem().scripted();
    let mut totals = Totals::default();
    let mut session = Box::<Session>::default();
    match sim::run(&mut session, &script, &mut modem, read, &mut totals) {
        Ok(traffic) => println!("{} bytes crossed the line; {totals:?}", traffic.total()),
        Err(e) => {
            eprintln!("the mix failed: {e:?}");
            std::process::exit(1);
        }
    }
}
