//! Feeding a stream to a [`ResponseDecoder`] the way its contract asks.
//!
//! The caller owns a fixed buffer of [`BUF_LEN`] bytes (at least
//! `MIN_BUFFER` plus the largest read). Each read is appended after the
//! bytes not yet consumed; the decoder is then called until it needs more,
//! and each call's `consumed` bytes are dropped from the front. The buffer
//! is compacted (the unconsumed tail moved to its start) only when the next
//! read does not fit, so a long partial payload is not copied on every read.
//!
//! Reading the whole stream at once ([`crate::WHOLE`]) skips the buffer: the
//! decoder reads straight from the stream.

use cellftp_proto::{
    CmeError, Decoded, Decoder, InfoValue, Response, ResponseDecoder, Urc, MIN_BUFFER,
};

use crate::stream::{Item, UrcItem, Value};

/// The read buffer's size: room for `MIN_BUFFER` unconsumed bytes plus a
/// 4 KiB read, rounded up.
pub const BUF_LEN: usize = 8 << 10;

const _: () = assert!(BUF_LEN >= MIN_BUFFER + 4096);

/// The buffer filled up without the decoder returning an item: the decoder
/// broke its side of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeError {
    /// How many bytes of the stream had been read then.
    pub offset: usize,
}

/// Decodes `bytes` cut into reads of `read` bytes (`WHOLE` for one read of
/// everything) with the first dialect's [`ResponseDecoder`] and calls `f`
/// with each item. Returns how many bytes were left unconsumed at the end.
///
/// Allocates nothing: the buffer lives on the stack.
pub fn decode_with<F>(bytes: &[u8], read: usize, f: F) -> Result<usize, DecodeError>
where
    F: FnMut(Response<'_>),
{
    feed(ResponseDecoder::new(), bytes, read, f)
}

/// Decodes `bytes` cut into reads of `read` bytes (`WHOLE` for one read of
/// everything) with `decoder`, either direction or dialect, and calls `f`
/// with each item. Returns how many bytes were left unconsumed at the end.
///
/// Allocates nothing: the buffer lives on the stack. The loop costs the
/// same as a hand-written one for a concrete decoder only because the
/// decoders' `Decoder::decode` is inlined (not, it was measured, because
/// the decoder is taken by value).
pub fn feed<D, F>(mut decoder: D, bytes: &[u8], read: usize, mut f: F) -> Result<usize, DecodeError>
where
    D: Decoder,
    F: for<'b> FnMut(D::Item<'b>),
{
    if read >= bytes.len() {
        let mut rest = bytes;
        loop {
            match decoder.decode(rest) {
                Decoded::Item { item, consumed } => {
                    f(item);
                    rest = rest.get(consumed..).unwrap_or_default();
                }
                Decoded::NeedMore { consumed } => {
                    return Ok(rest.len().saturating_sub(consumed));
                }
            }
        }
    }
    let read = read.max(1);
    let mut buf = [0u8; BUF_LEN];
    let (mut start, mut end) = (0usize, 0usize);
    let mut input = bytes;
    while !input.is_empty() {
        let want = read.min(input.len());
        if BUF_LEN - end < want && start > 0 {
            buf.copy_within(start..end, 0);
            end -= start;
            start = 0;
        }
        let n = want.min(BUF_LEN - end);
        if n == 0 {
            return Err(DecodeError {
                offset: bytes.len() - input.len(),
            });
        }
        let (Some(dst), Some(src)) = (buf.get_mut(end..end + n), input.get(..n)) else {
            break;
        };
        dst.copy_from_slice(src);
        end += n;
        input = input.get(n..).unwrap_or_default();
        loop {
            let window = buf.get(start..end).unwrap_or_default();
            match decoder.decode(window) {
                Decoded::Item { item, consumed } => {
                    f(item);
                    start += consumed;
                }
                Decoded::NeedMore { consumed } => {
                    start += consumed;
                    break;
                }
            }
        }
        if start == end {
            start = 0;
            end = 0;
        }
    }
    Ok(end - start)
}

/// Decodes `bytes` in reads of `read` bytes into owned items, payloads
/// reassembled (see [`Collector`]).
pub fn decode_items(bytes: &[u8], read: usize) -> Result<(Vec<Item>, usize), DecodeError> {
    let mut collector = Collector::default();
    let left = decode_with(bytes, read, |r| collector.push(r))?;
    Ok((collector.items, left))
}

/// Decodes `bytes` in reads of `read` bytes into a [`Tally`], allocating
/// nothing.
pub fn tally(bytes: &[u8], read: usize) -> Result<Tally, DecodeError> {
    let mut t = Tally::default();
    decode_with(bytes, read, |r| t.push(&r))?;
    Ok(t)
}

/// Turns responses into owned [`Item`]s, joining each `+FTPGET` chunk's
/// continuations to it.
#[derive(Debug, Default)]
pub struct Collector {
    /// The items so far.
    pub items: Vec<Item>,
    /// Bytes of the last `+FTPGET` chunk still to come as continuations.
    get_left: usize,
}

impl Collector {
    /// Takes one response.
    pub fn push(&mut self, r: Response<'_>) {
        if let Response::Continuation(d) = r {
            if self.get_left > 0 {
                if let Some(Item::FtpGet(data)) = self.items.last_mut() {
                    data.extend_from_slice(d);
                    self.get_left = self.get_left.saturating_sub(d.len());
                    return;
                }
            }
        }
        self.get_left = 0;
        let item = match r {
            Response::FtpGet { len, data } => {
                self.get_left = (len as usize).saturating_sub(data.len());
                Item::FtpGet(data.to_vec())
            }
            other => owned(other),
        };
        self.items.push(item);
    }
}

/// The owned form of one response (a `+FTPGET` chunk's first fragment only).
pub fn owned(r: Response<'_>) -> Item {
    match r {
        Response::Ok => Item::Ok,
        Response::Error => Item::Error,
        Response::CmeError(CmeError::Code(n)) => Item::Cme(n),
        Response::CmeError(CmeError::Text(t)) => Item::CmeText(t.to_vec()),
        Response::CmsError(CmeError::Code(n)) => Item::Cms(n),
        Response::CmsError(CmeError::Text(t)) => Item::CmsText(t.to_vec()),
        Response::ServResult(code) => Item::ServResult(code.code()),
        Response::FtpGet { data, .. } => Item::FtpGet(data.to_vec()),
        Response::Continuation(d) => Item::Continuation(d.to_vec()),
        Response::FtpList { mode, len } => Item::FtpList { mode, len },
        Response::ListLine(l) => Item::ListLine(l.to_vec()),
        Response::Info(info) => Item::Info {
            name: info.name,
            value: match info.value {
                InfoValue::Empty => Value::Empty,
                InfoValue::Number(n) => Value::Number(n),
                InfoValue::Range(v) => Value::Range(v.to_vec()),
                InfoValue::Placeholder(v) => Value::Placeholder(v.to_vec()),
                InfoValue::Text(v) => Value::Text(v.to_vec()),
            },
        },
        Response::Echo(request) => Item::Echo(format!("{request:?}")),
        Response::Urc(urc) => Item::Urc(match urc {
            Urc::Ready => UrcItem::Ready,
            Urc::Cpin(s) => UrcItem::Cpin(s.to_vec()),
            Urc::Cfun(n) => UrcItem::Cfun(n),
            Urc::PowerDown(s) => UrcItem::PowerDown(s.to_vec()),
            Urc::Cgev(s) => UrcItem::Cgev(s.to_vec()),
            Urc::PdpDeact => UrcItem::PdpDeact,
            other => UrcItem::Other(format!("{other:?}")),
        }),
        Response::Unknown(l) => Item::Unknown(l.to_vec()),
        Response::Overlong(l) => Item::Overlong(l.to_vec()),
        other => Item::Other(format!("{other:?}")),
    }
}

/// Collects what `Hash` writes (an enum's discriminant) into one word.
struct Fnv(u64);

impl core::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn write_isize(&mut self, i: isize) {
        self.0 = (self.0 ^ i as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
}

/// An allocation-free summary of a decoded stream: counts, and a hash of
/// each item's kind, numbers, lengths and first and last bytes.
///
/// A `+FTPGET` chunk counts once whatever its fragments, so a [`Tally`] of
/// the decoder's output equals [`Tally::of`] its ground truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Items, continuations not counted.
    pub items: u64,
    /// Final results (`OK`, `ERROR`, `+CME ERROR`, `+CMS ERROR`).
    pub finals: u64,
    /// `+FTPGET` chunks.
    pub chunks: u64,
    /// `+FTPGET` payload bytes, continuations included.
    pub payload: u64,
    /// Listing lines.
    pub list_lines: u64,
    /// The running hash.
    pub hash: u64,
}

impl Default for Tally {
    fn default() -> Self {
        Self {
            items: 0,
            finals: 0,
            chunks: 0,
            payload: 0,
            list_lines: 0,
            hash: 0xcbf2_9ce4_8422_2325,
        }
    }
}

impl Tally {
    fn mix(&mut self, v: u64) {
        self.hash = (self.hash ^ v).wrapping_mul(0x0000_0100_0000_01b3);
    }

    fn bytes(&mut self, tag: u64, b: &[u8]) {
        self.mix(tag);
        self.mix(b.len() as u64);
        self.mix(u64::from(b.first().copied().unwrap_or(0)));
        self.mix(u64::from(b.last().copied().unwrap_or(0)));
    }

    fn value(&mut self, v: InfoValue<'_>) {
        match v {
            InfoValue::Empty => self.mix(20),
            InfoValue::Number(n) => {
                self.mix(21);
                self.mix(u64::from(n));
            }
            InfoValue::Range(b) => self.bytes(22, b),
            InfoValue::Placeholder(b) => self.bytes(23, b),
            InfoValue::Text(b) => self.bytes(24, b),
        }
    }

    fn name(&mut self, name: cellftp_proto::CommandName) {
        let mut h = Fnv(0);
        core::hash::Hash::hash(&name, &mut h);
        self.mix(h.0);
    }

    /// Takes one response.
    pub fn push(&mut self, r: &Response<'_>) {
        if let Response::Continuation(d) = r {
            self.payload += d.len() as u64;
            return;
        }
        self.items += 1;
        if r.final_result().is_some() {
            self.finals += 1;
        }
        match *r {
            Response::Ok => self.mix(1),
            Response::Error => self.mix(2),
            Response::CmeError(e) => {
                self.mix(3);
                self.mix(u64::from(e.code().unwrap_or(u16::MAX)));
            }
            Response::CmsError(e) => {
                self.mix(4);
                self.mix(u64::from(e.code().unwrap_or(u16::MAX)));
            }
            Response::ServResult(c) => {
                self.mix(5);
                self.mix(u64::from(c.code()));
            }
            Response::FtpGet { len, data } => {
                self.chunks += 1;
                self.payload += data.len() as u64;
                self.mix(6);
                self.mix(u64::from(len));
                self.mix(u64::from(data.first().copied().unwrap_or(0)));
            }
            Response::FtpList { mode, len } => {
                self.mix(7);
                self.mix(u64::from(mode));
                self.mix(u64::from(len));
            }
            Response::ListLine(l) => {
                self.list_lines += 1;
                self.bytes(8, l);
            }
            Response::Info(info) => {
                self.mix(9);
                self.name(info.name);
                self.value(info.value);
            }
            Response::Urc(u) => {
                self.mix(10);
                match u {
                    Urc::Ready => self.mix(0),
                    Urc::Cpin(s) => self.bytes(1, s),
                    Urc::Cfun(n) => {
                        self.mix(2);
                        self.mix(u64::from(n));
                    }
                    Urc::PowerDown(s) => self.bytes(3, s),
                    Urc::Cgev(s) => self.bytes(4, s),
                    Urc::PdpDeact => self.mix(5),
                    _ => self.mix(6),
                }
            }
            Response::Unknown(l) => self.bytes(11, l),
            Response::Overlong(l) => self.bytes(12, l),
            Response::Echo(echo) => {
                // An echo is read when asked: the bench asks, so every
                // item is still classified in full.
                core::hint::black_box(echo.request());
                self.mix(13);
            }
            _ => self.mix(13),
        }
    }

    /// The tally a correct decoder produces for `items`.
    pub fn of(items: &[Item]) -> Self {
        let mut t = Tally::default();
        for item in items {
            t.items += 1;
            match item {
                Item::Ok => {
                    t.finals += 1;
                    t.mix(1);
                }
                Item::Error => {
                    t.finals += 1;
                    t.mix(2);
                }
                Item::Cme(n) => {
                    t.finals += 1;
                    t.mix(3);
                    t.mix(u64::from(*n));
                }
                Item::CmeText(_) => {
                    t.finals += 1;
                    t.mix(3);
                    t.mix(u64::from(u16::MAX));
                }
                Item::Cms(n) => {
                    t.finals += 1;
                    t.mix(4);
                    t.mix(u64::from(*n));
                }
                Item::CmsText(_) => {
                    t.finals += 1;
                    t.mix(4);
                    t.mix(u64::from(u16::MAX));
                }
                Item::ServResult(c) => {
                    t.mix(5);
                    t.mix(u64::from(*c));
                }
                Item::FtpGet(d) => {
                    t.chunks += 1;
                    t.payload += d.len() as u64;
                    t.mix(6);
                    t.mix(d.len() as u64);
                    t.mix(u64::from(d.first().copied().unwrap_or(0)));
                }
                Item::Continuation(d) => {
                    // Not an item of its own in a tally.
                    t.items -= 1;
                    t.payload += d.len() as u64;
                }
                Item::FtpList { mode, len } => {
                    t.mix(7);
                    t.mix(u64::from(*mode));
                    t.mix(u64::from(*len));
                }
                Item::ListLine(l) => {
                    t.list_lines += 1;
                    t.bytes(8, l);
                }
                Item::Info { name, value } => {
                    t.mix(9);
                    t.name(*name);
                    t.value(match value {
                        Value::Empty => InfoValue::Empty,
                        Value::Number(n) => InfoValue::Number(*n),
                        Value::Range(v) => InfoValue::Range(v),
                        Value::Placeholder(v) => InfoValue::Placeholder(v),
                        Value::Text(v) => InfoValue::Text(v),
                    });
                }
                Item::Urc(u) => {
                    t.mix(10);
                    match u {
                        UrcItem::Ready => t.mix(0),
                        UrcItem::Cpin(s) => t.bytes(1, s),
                        UrcItem::Cfun(n) => {
                            t.mix(2);
                            t.mix(u64::from(*n));
                        }
                        UrcItem::PowerDown(s) => t.bytes(3, s),
                        UrcItem::Cgev(s) => t.bytes(4, s),
                        UrcItem::PdpDeact => t.mix(5),
                        UrcItem::Other(_) => t.mix(6),
                    }
                }
                Item::Unknown(l) => t.bytes(11, l),
                Item::Overlong(l) => t.bytes(12, l),
                Item::Echo(_) | Item::Other(_) => t.mix(13),
            }
        }
        t
    }
}
