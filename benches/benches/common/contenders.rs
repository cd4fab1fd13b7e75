//! The contenders the benchmarks time: our decoders, atat's digester, the
//! floor for a line parser, memchr's count and a naive splitter, each fed
//! a stream the way its caller would. Shared by the criterion benchmarks
//! (`parse.rs`) and the paired timing of the targets
//! (`examples/targets.rs`), so that both time the same code.

// Each program that includes this file times some of the contenders; the
// streams are generated, their bounds known (as in `parse.rs`).
#![allow(dead_code, clippy::indexing_slicing, clippy::expect_used)]

use std::hint::black_box;

use atat::digest::parser::urc_helper;
use atat::digest::{DigestResult, Digester, ParseError, Parser};
use atat::AtDigester;
use cellftp_benches::{feed, BUF_LEN};
use cellftp_proto::{simcom, Decoder, ResponseDecoder};

/// The URCs the streams carry, recognised the way an `#[derive(AtatUrc)]`
/// enum recognises them: one `urc_helper` per code.
enum Urcs {}

impl Parser for Urcs {
    fn parse(buf: &[u8]) -> Result<(&[u8], usize), ParseError> {
        let (_, r) = nom::branch::alt((
            urc_helper("RDY"),
            urc_helper("+CPIN"),
            urc_helper("+CFUN"),
            urc_helper("+CGEV"),
            urc_helper("+PDP"),
            urc_helper("NORMAL POWER DOWN"),
        ))(buf)?;
        Ok(r)
    }
}

/// What atat found; returned so that the work cannot be optimised away.
#[derive(Default)]
pub(crate) struct AtatCount {
    pub(crate) responses: u64,
    pub(crate) urcs: u64,
    pub(crate) prompts: u64,
    pub(crate) bytes: u64,
}

impl AtatCount {
    fn note(&mut self, r: &DigestResult<'_>) {
        match r {
            DigestResult::Response(Ok(b)) => {
                self.responses += 1;
                self.bytes += b.len() as u64;
            }
            DigestResult::Response(Err(_)) => self.responses += 1,
            DigestResult::Urc(u) => {
                self.urcs += 1;
                self.bytes += u.len() as u64;
            }
            DigestResult::Prompt(_) => self.prompts += 1,
            DigestResult::None => {}
        }
    }
}

/// Drives `AtDigester` as atat's `Ingress::try_advance` does: append the
/// read to the buffer, then digest the whole buffer and shift the swallowed
/// bytes out until nothing is swallowed. A full buffer is cleared, as
/// `Ingress::read_from` does. The buffer is as large as ours.
///
/// Whole: the digester reads straight from the stream and the swallowed
/// bytes are skipped, not shifted (an ingress buffer holding the stream
/// would memmove it after every item).
pub(crate) fn atat(bytes: &[u8], read: usize) -> AtatCount {
    let mut digester = AtDigester::<Urcs>::new();
    let mut count = AtatCount::default();
    if read >= bytes.len() {
        let mut at = 0;
        while at < bytes.len() {
            let (result, swallowed) = digester.digest(&bytes[at..]);
            count.note(&result);
            if swallowed == 0 {
                break;
            }
            at += swallowed;
        }
        return count;
    }
    let mut buf = [0u8; BUF_LEN];
    let mut pos = 0;
    for mut chunk in bytes.chunks(read) {
        while !chunk.is_empty() {
            if pos == buf.len() {
                pos = 0;
            }
            let n = chunk.len().min(buf.len() - pos);
            buf[pos..pos + n].copy_from_slice(&chunk[..n]);
            chunk = &chunk[n..];
            pos += n;
            while pos > 0 {
                let (result, swallowed) = digester.digest(&buf[..pos]);
                count.note(&result);
                if swallowed == 0 {
                    break;
                }
                buf.copy_within(swallowed..pos, 0);
                pos -= swallowed;
            }
        }
    }
    count
}

/// Counts every `\n` with `memchr`, read by read. memchr counts with a
/// vectorised routine that never hands a position back, so no line parser
/// can come near this: it is a count, not a floor.
pub(crate) fn memchr_count(bytes: &[u8], read: usize) -> usize {
    bytes
        .chunks(read.min(bytes.len()).max(1))
        .map(|c| memchr::memchr_iter(b'\n', c).count())
        .sum()
}

/// The floor for a line parser: every `\n` position is handed back and
/// used, read by read, which is the least a parser that frames lines must
/// do.
pub(crate) fn memchr_visit(bytes: &[u8], read: usize) -> usize {
    let mut acc = 0usize;
    for chunk in bytes.chunks(read.min(bytes.len()).max(1)) {
        for i in memchr::memchr_iter(b'\n', chunk) {
            acc ^= i;
        }
    }
    acc
}

/// The std way: split on `\n`.
pub(crate) fn split_lines(bytes: &[u8]) -> usize {
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count()
}

/// Our decoder, the caller doing the least it can with each item.
pub(crate) fn ours(bytes: &[u8], read: usize) -> u64 {
    count_items(ResponseDecoder::new(), bytes, read)
}

/// The SIMCom decoder, the caller doing the least it can with each item.
pub(crate) fn ours_simcom(bytes: &[u8], read: usize) -> u64 {
    count_items(simcom::ResponseDecoder::new(), bytes, read)
}

/// How many items `decoder` finds in `bytes` cut into reads of `read`
/// bytes, each item handed to `black_box`.
fn count_items<D: Decoder>(decoder: D, bytes: &[u8], read: usize) -> u64 {
    let mut items = 0u64;
    let left = feed(decoder, bytes, read, |item| {
        items += 1;
        black_box(&item);
    });
    black_box(left.expect("the buffer never jams"));
    items
}
