//! The performance targets timed in pairs: for each, our decoder and the
//! contender it is compared with decode the same stream one right after
//! the other, in turn which goes first, so that a drift of the machine's
//! speed falls on both; the ratio of each pair is kept, and their median
//! judged. Run by `cargo xtask bench --paired`, which reads its output.
//!
//! `targets SAMPLES STREAM:READ:OVER…`: `STREAM` is `A` or `B`, `READ` a
//! read size or `whole`, `OVER` the contender (`split`, `atat`, `floor`)
//! or `-` for our speed alone. Both sides of a pair decode the whole
//! stream. One line per target on stdout, tab-separated: the target as
//! given, our median MB/s, the contender's (`-` for none), then the median
//! of the pairs' ratios (ours over the contender's speed) and the first
//! and third quartiles (`-` for none).

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use cellftp_benches::{stream_a, stream_b, STREAM_LEN, WHOLE};

#[path = "../benches/common/contenders.rs"]
mod contenders;

use contenders::{atat, memchr_visit, ours, split_lines};

/// One target: which stream, read size and contender.
struct Target {
    given: String,
    stream: &'static str,
    read: usize,
    over: Option<Contender>,
}

#[derive(Clone, Copy)]
enum Contender {
    Split,
    Atat,
    Floor,
}

impl Target {
    fn parse(given: &str) -> Result<Self, String> {
        let mut parts = given.split(':');
        let (Some(stream), Some(read), Some(over), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("`{given}`: expected STREAM:READ:OVER"));
        };
        let stream = match stream {
            "A" => "A",
            "B" => "B",
            other => return Err(format!("`{given}`: no stream `{other}` (A or B)")),
        };
        let read = match read {
            "whole" => WHOLE,
            n => n
                .parse()
                .ok()
                .filter(|&n: &usize| n > 0)
                .ok_or_else(|| format!("`{given}`: `{n}` is not a read size"))?,
        };
        let over = match over {
            "-" => None,
            "split" => Some(Contender::Split),
            "atat" => Some(Contender::Atat),
            "floor" => Some(Contender::Floor),
            other => return Err(format!("`{given}`: no contender `{other}`")),
        };
        Ok(Self {
            given: given.into(),
            stream,
            read,
            over,
        })
    }
}

/// Seconds `f` takes.
fn seconds(f: impl FnOnce() -> u64) -> f64 {
    let start = Instant::now();
    black_box(f());
    start.elapsed().as_secs_f64()
}

/// The value a fraction `q` of the way through `v` (sorted here).
fn quantile(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let at = ((v.len() - 1) as f64 * q).round() as usize;
    v.get(at).copied().unwrap_or(f64::NAN)
}

fn time_over(over: Contender, bytes: &[u8], read: usize) -> f64 {
    match over {
        Contender::Split => seconds(|| split_lines(black_box(bytes)) as u64),
        Contender::Atat => seconds(|| {
            let n = atat(black_box(bytes), read);
            n.responses + n.urcs + n.prompts + n.bytes
        }),
        Contender::Floor => seconds(|| memchr_visit(black_box(bytes), read) as u64),
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let samples = match args.next().map(|s| s.parse::<usize>()) {
        Some(Ok(n)) if n > 0 => n,
        _ => {
            eprintln!("usage: targets SAMPLES STREAM:READ:OVER…");
            return ExitCode::FAILURE;
        }
    };
    let targets: Result<Vec<Target>, String> = args.map(|a| Target::parse(&a)).collect();
    let targets = match targets {
        Ok(t) if !t.is_empty() => t,
        Ok(_) => {
            eprintln!("targets: no target given");
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("targets: {e}");
            return ExitCode::FAILURE;
        }
    };
    let a = stream_a(STREAM_LEN).bytes;
    let b = stream_b(STREAM_LEN).bytes;
    for target in &targets {
        let bytes = if target.stream == "A" { &a[..] } else { &b[..] };
        let read = target.read;
        let mb = bytes.len() as f64 / 1e6;
        // One untimed pass of each, to start warm.
        let _ = seconds(|| ours(black_box(bytes), read));
        if let Some(over) = target.over {
            let _ = time_over(over, bytes, read);
        }
        let (mut mine, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..samples {
            let Some(over) = target.over else {
                mine.push(seconds(|| ours(black_box(bytes), read)));
                continue;
            };
            // Each goes first in every other pair.
            let (t_ours, t_over) = if i % 2 == 0 {
                let t = seconds(|| ours(black_box(bytes), read));
                (t, time_over(over, bytes, read))
            } else {
                let t = time_over(over, bytes, read);
                (seconds(|| ours(black_box(bytes), read)), t)
            };
            mine.push(t_ours);
            theirs.push(t_over);
            ratios.push(t_over / t_ours);
        }
        let speed = |v: &mut Vec<f64>| mb / quantile(v, 0.5);
        let ours_mb = speed(&mut mine);
        if target.over.is_some() {
            println!(
                "{}\t{ours_mb:.1}\t{:.1}\t{:.4}\t{:.4}\t{:.4}",
                target.given,
                speed(&mut theirs),
                quantile(&mut ratios, 0.5),
                quantile(&mut ratios, 0.25),
                quantile(&mut ratios, 0.75),
            );
        } else {
            println!("{}\t{ours_mb:.1}\t-\t-\t-\t-", target.given);
        }
    }
    ExitCode::SUCCESS
}
