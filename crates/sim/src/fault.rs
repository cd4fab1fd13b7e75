//! Fault injection: the grammar of a fault spec, its parsed form, and the
//! seeded random numbers that make every fault reproducible.
//!
//! A spec is a comma-separated list of items (spaces around items are
//! ignored; an empty spec means no fault):
//!
//! ```text
//! spec    = [item *("," item)]
//! item    = "seed=" u64                 ; seeds the random faults (default 0)
//!         / "drop-data=" u64            ; the next data transfer's connection drops after N bytes
//!         / "late=" target ":" millis   ; the command's answer comes this late
//!         / "never=" target             ; the command is swallowed: no answer at all
//!         / "restart=" target           ; the modem restarts instead of answering
//!         / "error=" target             ; the command is answered ERROR
//!         / "cme=" target ":" u16       ; the command is answered +CME ERROR: <code>
//!         / "urc=" rate                 ; an unsolicited line before a response line, with this probability
//!         / "corrupt=" rate             ; each byte to the host is replaced, with this probability
//!         / "drop=" rate                ; each byte to the host is lost, with this probability
//!         / "bytes-from=" target        ; corrupt and drop start with this command's answer
//! target  = u32                         ; the k-th command line (1-based, all commands counted)
//!         / name ["#" u32]              ; the k-th command of that name (default 1st)
//! name    = "AT" / "ATE" / "CFUN" / "FTPPUT" / "AT+FTPPUT" / "+FTPPUT" / …   ; any case, either dialect's
//! rate    = decimal in 0 ..= 1          ; e.g. 0.01
//! ```
//!
//! Each `drop-data` item is used by one transfer, in order: the first by the
//! first `AT+FTPGET`, `AT+FTPLIST` or upload after the simulator starts, the
//! second by the next, and so on. A `late` answer keeps the modem busy until
//! it is sent, like a real modem's; a `never` command leaves the modem free
//! for the next one. A restart answers nothing, sends `RDY`, `+CFUN: 1` and
//! `+CPIN: READY`, drops the FTP connection and forgets every setting. The
//! unsolicited lines are `+CPIN: READY` and `+CGEV: …` events, which a host
//! must ignore; they come between responses and between the lines of one
//! (never inside a payload). Corrupted and dropped bytes apply to what the
//! modem sends, from power-on, or from the answer to the `bytes-from`
//! command on (its echo is still clean), so that a host can configure over
//! a clean link and meet the damage in a transfer.
//!
//! The protocol has no checksum and no file length, so the host cannot see
//! most of this damage: a corrupted byte of a `+FTPGET` chunk's data (or of
//! a listing) reaches it as data, and the download ends `OK` with the
//! right length and the wrong bytes. A lost or damaged byte of a chunk
//! header moves the chunk's end; the rest of the chunk is then read as
//! lines, which the host ignores, and file data holding `\r\nOK\r\n`
//! there ends the download `OK`, short. Only some damage is seen, as a
//! protocol error, an incomplete payload or a timeout (the test
//! `corrupted_and_dropped_bytes_end_every_job` counts each kind). A host
//! that must know its file is intact compares a checksum or size of its
//! own.
//!
//! This describes the first dialect's [`crate::Modem`]. The SIMCom modem
//! ([`crate::SimcomModem`]) takes the same spec, names either dialect's
//! commands (`SAPBR`, `FTPGETPATH`, …), and applies every fault its own
//! way where the dialect differs (an operation's `cme` code comes as its
//! error URC, `urc` sends `+CPIN: READY` and `Call Ready`); its module docs
//! say how.
//!
//! Examples: `seed=7,drop-data=1000,late=FTPMKD:2000,cme=FTPPUT#2:100,urc=0.2`;
//! `seed=3,corrupt=0.002,drop=0.002,bytes-from=FTPGET` (a clean
//! configure, then a damaged download).

use core::fmt;
use core::str::FromStr;
use core::time::Duration;

use cellftp_proto::simcom::CommandName as SimcomName;
use cellftp_proto::CommandName;

/// Which command a fault hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The k-th command line the modem receives (1-based), whatever it is.
    Nth(u32),
    /// The k-th command line of this name (1-based).
    Named {
        /// The command, as both dialects' command tables write it after
        /// `AT`: `"+FTPPUT"`, `"E"` for `ATE`, `""` for `AT` (the same
        /// name hits the same command in either dialect).
        name: &'static str,
        /// Which of them.
        nth: u32,
    },
}

/// What happens to a targeted command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Answered this late.
    Late(Duration),
    /// Never answered.
    Never,
    /// The modem restarts instead.
    Restart,
    /// Answered `ERROR`.
    Error,
    /// Answered `+CME ERROR: <code>`.
    Cme(u16),
}

/// One fault of a spec.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Fault {
    /// The next data transfer's connection drops after this many bytes.
    DropData(u64),
    /// A targeted command is answered otherwise.
    Command {
        /// Which command.
        target: Target,
        /// What it gets.
        answer: Answer,
    },
    /// Unsolicited lines between response lines, with this probability.
    Urc(f64),
    /// Bytes to the host replaced, with this probability.
    Corrupt(f64),
    /// Bytes to the host lost, with this probability.
    Drop(f64),
    /// [`Fault::Corrupt`] and [`Fault::Drop`] start with the answer to
    /// this command; before it the modem's bytes are clean.
    BytesFrom(Target),
}

impl Target {
    /// True if the command counted `count`-th of all and `nth`-th of its
    /// `name` (as the command tables write it after `AT`) is this target.
    pub(crate) fn hits(self, count: u32, name: &str, nth: u32) -> bool {
        match self {
            Target::Nth(k) => k == count,
            Target::Named { name: n, nth: k } => n == name && k == nth,
        }
    }
}

/// A parsed fault spec: the faults and the seed of the random ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// The seed of the random faults.
    pub seed: u64,
    /// The faults, in the order given.
    pub faults: Vec<Fault>,
}

/// Why a fault spec was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad fault spec item `{item}`: {reason}")]
pub struct FaultSpecError {
    /// The item.
    pub item: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl Faults {
    /// No fault.
    pub fn none() -> Self {
        Self::default()
    }

    /// The largest rate `pick` finds among the faults (0 if none).
    pub(crate) fn rate(&self, pick: fn(&Fault) -> Option<f64>) -> f64 {
        self.faults.iter().filter_map(pick).fold(0.0, f64::max)
    }

    /// The command whose answer the byte faults start with, if a
    /// `bytes-from` item names one (the first, if several do).
    pub(crate) fn bytes_from(&self) -> Option<Target> {
        self.faults.iter().find_map(|f| match f {
            Fault::BytesFrom(t) => Some(*t),
            _ => None,
        })
    }

    /// The answer fault that hits the command counted `count`-th of all
    /// and `nth`-th of its `name`, if any.
    pub(crate) fn answer_for(&self, count: u32, name: &str, nth: u32) -> Option<Answer> {
        self.faults.iter().find_map(|f| match f {
            Fault::Command { target, answer } => target.hits(count, name, nth).then_some(*answer),
            _ => None,
        })
    }
}

impl FromStr for Faults {
    type Err = FaultSpecError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let mut out = Faults::default();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let bad = |reason| FaultSpecError {
                item: item.to_owned(),
                reason,
            };
            let (key, value) = item
                .split_once('=')
                .ok_or_else(|| bad("expected `name=value`"))?;
            let command = |answer| -> Result<Fault, FaultSpecError> {
                Ok(Fault::Command {
                    target: target(value)
                        .ok_or_else(|| bad("expected a command number or name"))?,
                    answer,
                })
            };
            let fault = match key.trim() {
                "seed" => {
                    out.seed = value.parse().map_err(|_| bad("expected a number"))?;
                    continue;
                }
                "drop-data" => {
                    Fault::DropData(value.parse().map_err(|_| bad("expected a byte count"))?)
                }
                "bytes-from" => Fault::BytesFrom(
                    target(value).ok_or_else(|| bad("expected a command number or name"))?,
                ),
                "never" => command(Answer::Never)?,
                "restart" => command(Answer::Restart)?,
                "error" => command(Answer::Error)?,
                "late" | "cme" => {
                    let (t, n) = value
                        .rsplit_once(':')
                        .ok_or_else(|| bad("expected `target:number`"))?;
                    let target =
                        target(t).ok_or_else(|| bad("expected a command number or name"))?;
                    let answer = if key == "late" {
                        Answer::Late(Duration::from_millis(
                            n.parse().map_err(|_| bad("expected milliseconds"))?,
                        ))
                    } else {
                        Answer::Cme(n.parse().map_err(|_| bad("expected an error code"))?)
                    };
                    Fault::Command { target, answer }
                }
                "urc" | "corrupt" | "drop" => {
                    let rate: f64 = value.parse().map_err(|_| bad("expected a rate"))?;
                    if !(0.0..=1.0).contains(&rate) {
                        return Err(bad("a rate is between 0 and 1"));
                    }
                    match key {
                        "urc" => Fault::Urc(rate),
                        "corrupt" => Fault::Corrupt(rate),
                        _ => Fault::Drop(rate),
                    }
                }
                _ => return Err(bad("unknown fault")),
            };
            out.faults.push(fault);
        }
        Ok(out)
    }
}

impl fmt::Display for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "seed={}", self.seed)?;
        for fault in &self.faults {
            f.write_str(",")?;
            match fault {
                Fault::DropData(n) => write!(f, "drop-data={n}")?,
                Fault::Command { target, answer } => {
                    let t = TargetText(*target);
                    match answer {
                        Answer::Late(d) => write!(f, "late={t}:{}", d.as_millis())?,
                        Answer::Never => write!(f, "never={t}")?,
                        Answer::Restart => write!(f, "restart={t}")?,
                        Answer::Error => write!(f, "error={t}")?,
                        Answer::Cme(c) => write!(f, "cme={t}:{c}")?,
                    }
                }
                Fault::Urc(r) => write!(f, "urc={r}")?,
                Fault::Corrupt(r) => write!(f, "corrupt={r}")?,
                Fault::Drop(r) => write!(f, "drop={r}")?,
                Fault::BytesFrom(t) => write!(f, "bytes-from={}", TargetText(*t))?,
            }
        }
        Ok(())
    }
}

struct TargetText(Target);

impl fmt::Display for TargetText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Target::Nth(n) => write!(f, "{n}"),
            Target::Named { name, nth } => {
                let text = match name {
                    "" => "AT",
                    "E" => "ATE",
                    other => other.trim_start_matches('+'),
                };
                write!(f, "{text}#{nth}")
            }
        }
    }
}

fn target(text: &str) -> Option<Target> {
    let text = text.trim();
    if let Ok(n) = text.parse::<u32>() {
        return (n > 0).then_some(Target::Nth(n));
    }
    let (name, nth) = match text.split_once('#') {
        Some((name, nth)) => (name, nth.parse::<u32>().ok().filter(|&n| n > 0)?),
        None => (text, 1),
    };
    let upper = name.trim().to_ascii_uppercase();
    let bare = upper.trim_start_matches("AT").trim_start_matches('+');
    let name = match upper.as_str() {
        "AT" => "",
        "ATE" | "E" => "E",
        _ => CommandName::iter()
            .map(CommandName::as_str)
            .chain(SimcomName::iter().map(SimcomName::as_str))
            .find(|n| n.starts_with('+') && n.trim_start_matches('+') == bare)?,
    };
    Some(Target::Named { name, nth })
}

/// A modem's fault bookkeeping, which a restart keeps: the command lines
/// counted (all, and by name), the `drop-data` faults not used yet, and
/// the random faults with the seeded numbers that decide them. Both
/// dialects' modems inject their faults through it.
#[derive(Debug, Clone)]
pub(crate) struct Injector {
    faults: Faults,
    /// Command lines received (1-based once counted).
    count: u32,
    /// Command lines received by name.
    counts: Vec<(&'static str, u32)>,
    /// `drop-data` faults not used yet, in order.
    drops: std::collections::VecDeque<u64>,
    rng: Rng,
    urc: f64,
    corrupt: f64,
    drop: f64,
    /// `corrupt` and `drop` apply: no `bytes-from` fault, or its command
    /// came.
    bytes: bool,
}

impl Injector {
    /// The bookkeeping of a modem powered on with `faults`.
    pub(crate) fn new(faults: &Faults) -> Self {
        let drops = faults
            .faults
            .iter()
            .filter_map(|f| match f {
                Fault::DropData(n) => Some(*n),
                _ => None,
            })
            .collect();
        Self {
            count: 0,
            counts: Vec::new(),
            drops,
            rng: Rng::new(faults.seed),
            urc: faults.rate(|f| match f {
                Fault::Urc(r) => Some(*r),
                _ => None,
            }),
            corrupt: faults.rate(|f| match f {
                Fault::Corrupt(r) => Some(*r),
                _ => None,
            }),
            drop: faults.rate(|f| match f {
                Fault::Drop(r) => Some(*r),
                _ => None,
            }),
            bytes: faults.bytes_from().is_none(),
            faults: faults.clone(),
        }
    }

    /// Counts a line that is no command (unknown, overlong): it moves the
    /// count faults' numbering on, and no fault hits it.
    pub(crate) fn count_other(&mut self) {
        self.count += 1;
    }

    /// Counts the command line `name` (its text after `AT`) and returns the
    /// answer fault that hits it, if any; a `bytes-from` naming it starts
    /// the byte faults.
    pub(crate) fn command(&mut self, name: &'static str) -> Option<Answer> {
        self.count += 1;
        let nth = match self.counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => {
                *c += 1;
                *c
            }
            None => {
                self.counts.push((name, 1));
                1
            }
        };
        if self
            .faults
            .bytes_from()
            .is_some_and(|t| t.hits(self.count, name, nth))
        {
            self.bytes = true;
        }
        self.faults.answer_for(self.count, name, nth)
    }

    /// Command lines counted so far.
    pub(crate) fn count(&self) -> u32 {
        self.count
    }

    /// The next `drop-data` fault's byte count, used up by the transfer
    /// that takes it.
    pub(crate) fn next_drop(&mut self) -> Option<u64> {
        self.drops.pop_front()
    }

    /// True when the `urc` fault puts an unsolicited line here.
    pub(crate) fn urc_now(&mut self) -> bool {
        self.rng.chance(self.urc)
    }

    /// A number in `0..n` from the seeded numbers (which unsolicited line).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.rng.below(n)
    }

    /// Appends `bytes` to `out` through the `corrupt` and `drop` faults.
    pub(crate) fn send(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        if !self.bytes || (self.corrupt == 0.0 && self.drop == 0.0) {
            out.extend_from_slice(bytes);
            return;
        }
        for &b in bytes {
            if self.rng.chance(self.drop) {
                continue;
            }
            if self.rng.chance(self.corrupt) {
                out.push(self.rng.next_u64() as u8);
            } else {
                out.push(b);
            }
        }
    }
}

/// A small seeded random number generator (SplitMix64): the same seed
/// gives the same faults on every platform and every run.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_item() {
        let text = "seed=7,drop-data=1000,late=FTPMKD#1:2000,never=3,restart=FTPPUT#2,\
                    error=AT#1,cme=FTPGET#1:10,urc=0.5,corrupt=0.001,drop=0.25,\
                    bytes-from=FTPGET#2";
        let faults: Faults = text.parse().unwrap_or_default();
        assert_eq!(faults.seed, 7);
        assert_eq!(faults.faults.len(), 10);
        assert_eq!(
            faults.bytes_from(),
            Some(Target::Named {
                name: "+FTPGET",
                nth: 2
            })
        );
        assert_eq!(faults.to_string(), text);
        let again: Faults = faults.to_string().parse().unwrap_or_default();
        assert_eq!(again, faults);
    }

    #[test]
    fn names_any_spelling() {
        for t in ["ftpput", "AT+FTPPUT", "+FTPPUT#1"] {
            assert_eq!(
                target(t),
                Some(Target::Named {
                    name: "+FTPPUT",
                    nth: 1
                })
            );
        }
        // A command of the SIMCom dialect only.
        assert_eq!(
            target("SAPBR#2"),
            Some(Target::Named {
                name: "+SAPBR",
                nth: 2
            })
        );
        assert_eq!(target("0"), None);
        assert_eq!(target("NOPE"), None);
    }

    #[test]
    fn refuses_with_a_sentence() {
        let e = "late=FTPGET".parse::<Faults>().err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("bad fault spec item `late=FTPGET`: expected `target:number`")
        );
        assert!("urc=2".parse::<Faults>().is_err());
        assert!("bogus=1".parse::<Faults>().is_err());
        assert_eq!("".parse::<Faults>(), Ok(Faults::none()));
    }

    #[test]
    fn rng_is_reproducible() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        assert!((0..100).all(|_| a.next_u64() == b.next_u64()));
    }
}
