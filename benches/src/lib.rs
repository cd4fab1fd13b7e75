//! Support for the cellftp benchmarks and their tests.
//!
//! - [`stream`]: deterministic modem-to-host byte streams of a few MiB, each
//!   with its ground truth, the [`Item`]s a correct decoder must return;
//! - [`drive`]: decoding a stream the way the decoder contract (in
//!   `cellftp_proto::decoder`) asks a caller to, cut into reads of a given
//!   size, into owned [`Item`]s or into an allocation-free [`Tally`];
//! - [`sim`]: a scripted host and a scripted modem around a
//!   [`cellftp_session::Session`], run in lock-step without I/O.
//!
//! Everything is seeded: the same call returns the same bytes on every run
//! and every machine.

pub mod drive;
pub mod sim;
pub mod simcom;
pub mod stream;
pub mod transcripts;

pub use drive::{decode_items, decode_with, feed, tally, Collector, DecodeError, Tally, BUF_LEN};
pub use simcom::{decode_simcom, decode_simcom_with, stream_s, SimcomItem, SimcomStream};
pub use stream::{stream_a, stream_b, stream_c, Item, Stream, UrcItem, Value, STREAM_LEN};

/// The read sizes the tests and benchmarks cut streams into; [`WHOLE`]
/// stands for the whole stream in one read.
pub const READ_SIZES: [usize; 7] = [1, 2, 3, 7, 64, 4096, WHOLE];

/// A read size meaning "the whole stream at once": the decoder then reads
/// straight from the stream, without the copy into a read buffer.
pub const WHOLE: usize = usize::MAX;

/// A small, fast, seeded generator (SplitMix64): the streams must not
/// depend on a `rand` version.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose output depends only on `seed`.
    pub const fn new(seed: u64) -> Self {
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

    /// A number in `lo..=hi` (`lo` if `hi < lo`).
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        lo + (self.next_u64() % span) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            return None;
        }
        items.get(self.range(0, items.len() - 1))
    }

    /// Appends `n` random bytes to `out`.
    pub fn fill(&mut self, out: &mut Vec<u8>, n: usize) {
        let mut left = n;
        while left > 0 {
            let word = self.next_u64().to_le_bytes();
            let take = left.min(word.len());
            out.extend_from_slice(word.get(..take).unwrap_or_default());
            left -= take;
        }
    }
}
