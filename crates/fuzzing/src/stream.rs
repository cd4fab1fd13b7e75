//! The `response_stream` and `command_stream` targets: the decoders'
//! caller contract, split invariance and item bounds.

use std::fmt::Debug;

use cellftp_proto::{
    CmeError, Command, CommandDecoder, Decoded, Decoder, Info, InfoValue, Put, Request, Response,
    ResponseDecoder, Setting, Urc, MAX_FRAGMENT, MAX_LINE, MAX_TEXT, MIN_BUFFER,
};

use crate::bytes::within;

/// The largest number of cut points an input can ask for.
const MAX_CUTS: usize = 16;

/// Splits a stream target's input into the cut points it asks for and the
/// stream itself.
///
/// The first byte (modulo 17) is the number of cut points; each is a `u16`
/// (little endian) taken modulo the stream's length plus one. The rest of
/// the input is the stream. The cuts are sorted; duplicates make empty
/// reads, which a caller may well do.
pub fn split_input(data: &[u8]) -> (Vec<usize>, &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return (Vec::new(), &[]);
    };
    let n = usize::from(first) % (MAX_CUTS + 1);
    let header = rest.get(..2 * n).unwrap_or(rest);
    let stream = rest.get(header.len()..).unwrap_or_default();
    let mut cuts: Vec<usize> = header
        .chunks_exact(2)
        .map(|c| match c {
            [a, b] => usize::from(u16::from_le_bytes([*a, *b])) % (stream.len() + 1),
            _ => 0,
        })
        .collect();
    cuts.sort_unstable();
    (cuts, stream)
}

/// Builds a stream target input that cuts `stream` at `cuts` (each below
/// 65536 and at most `stream.len()`); the inverse of [`split_input`].
pub fn join_input(cuts: &[u16], stream: &[u8]) -> Vec<u8> {
    let cuts = cuts.get(..MAX_CUTS).unwrap_or(cuts);
    let mut out = vec![u8::try_from(cuts.len()).unwrap_or(0)];
    for c in cuts {
        out.extend_from_slice(&c.to_le_bytes());
    }
    out.extend_from_slice(stream);
    out
}

/// The check of one item's slices against `region`, the bytes it
/// consumed; implemented by the items of both decoders.
trait CheckItem {
    fn check(&self, region: &[u8], payload: &mut Payload);
}

impl CheckItem for Response<'_> {
    fn check(&self, region: &[u8], payload: &mut Payload) {
        check_response(self, region, payload);
    }
}

impl CheckItem for Request<'_> {
    fn check(&self, region: &[u8], payload: &mut Payload) {
        check_request(self, region, payload);
    }
}

/// `Self::Item<'b>: CheckItem`, spelled as a trait so that it can be
/// required for every `'b`.
trait CheckItems<'b>: Decoder {
    fn check(item: &Self::Item<'b>, region: &[u8], payload: &mut Payload);
}

impl<'b, D: Decoder> CheckItems<'b> for D
where
    D::Item<'b>: CheckItem,
{
    fn check(item: &D::Item<'b>, region: &[u8], payload: &mut Payload) {
        item.check(region, payload);
    }
}

/// Tracks a payload longer than [`MAX_FRAGMENT`] across its fragments.
#[derive(Debug, Default)]
struct Payload {
    /// Bytes of the current payload still to come as continuations.
    remaining: u64,
}

impl Payload {
    /// A payload of `len` announced bytes starts with `first`.
    fn start(&mut self, what: &str, len: u32, first: &[u8]) {
        assert_eq!(
            self.remaining, 0,
            "{what} started inside another payload's fragments"
        );
        let expected = (len as usize).min(MAX_FRAGMENT);
        assert_eq!(
            first.len(),
            expected,
            "{what} of {len} bytes carries {} bytes, expected {expected}",
            first.len()
        );
        self.remaining = u64::from(len) - first.len() as u64;
    }

    /// The next fragment.
    fn continuation(&mut self, data: &[u8]) {
        assert!(
            self.remaining > 0,
            "a continuation of {} bytes outside any payload",
            data.len()
        );
        let expected = self.remaining.min(MAX_FRAGMENT as u64);
        assert_eq!(
            data.len() as u64,
            expected,
            "continuation of {} bytes, expected {expected}",
            data.len()
        );
        self.remaining -= expected;
    }

    /// Any item that is not a fragment.
    fn other(&self, item: &dyn Debug) {
        assert_eq!(
            self.remaining, 0,
            "{item:?} while {} payload bytes were still due",
            self.remaining
        );
    }
}

/// Asserts that a non-empty `slice` of an item lies in `region` and is at
/// most `max` bytes long.
fn slice(what: &str, s: &[u8], max: usize, region: &[u8]) {
    assert!(s.len() <= max, "{what}: {} bytes, more than {max}", s.len());
    if !s.is_empty() {
        assert!(
            within(region, s),
            "{what}: the slice is not within the bytes the item consumed"
        );
    }
}

fn check_response(item: &Response<'_>, region: &[u8], payload: &mut Payload) {
    match *item {
        Response::Continuation(d) => {
            slice("Continuation", d, MAX_FRAGMENT, region);
            payload.continuation(d);
            return;
        }
        Response::Echo(ref r) => {
            check_request(r, region, payload);
            return;
        }
        _ => payload.other(item),
    }
    match *item {
        Response::CmeError(CmeError::Text(t)) | Response::CmsError(CmeError::Text(t)) => {
            slice("CME/CMS text", t, MAX_LINE, region);
        }
        Response::FtpGet { len, data } => {
            slice("FtpGet data", data, MAX_FRAGMENT, region);
            payload.start("FtpGet", len, data);
        }
        Response::ListLine(l) => slice("ListLine", l, MAX_LINE, region),
        Response::Info(Info {
            value: InfoValue::Range(v) | InfoValue::Placeholder(v) | InfoValue::Text(v),
            ..
        }) => slice("Info value", v, MAX_LINE, region),
        Response::Urc(Urc::Cpin(s) | Urc::PowerDown(s) | Urc::Cgev(s)) => {
            slice("URC", s, MAX_LINE, region);
        }
        Response::Unknown(l) => slice("Unknown", l, MAX_LINE, region),
        Response::Overlong(l) => {
            assert!(!l.is_empty(), "empty Overlong item");
            slice("Overlong", l, MAX_LINE, region);
        }
        _ => {}
    }
}

fn check_request(item: &Request<'_>, region: &[u8], payload: &mut Payload) {
    match *item {
        Request::Continuation(d) => {
            slice("Continuation", d, MAX_FRAGMENT, region);
            payload.continuation(d);
            return;
        }
        Request::FtpPutStart { len, data } => {
            assert!(
                len as usize > MAX_FRAGMENT,
                "FtpPutStart announces {len} bytes, which fit one item"
            );
            slice("FtpPutStart data", data, MAX_FRAGMENT, region);
            payload.start("FtpPutStart", len, data);
            return;
        }
        _ => payload.other(item),
    }
    match *item {
        Request::Command(c) => check_command(&c, region),
        Request::Unknown(l) => slice("Unknown", l, MAX_LINE, region),
        Request::Overlong(l) => {
            assert!(!l.is_empty(), "empty Overlong item");
            slice("Overlong", l, MAX_LINE, region);
        }
        _ => {}
    }
}

fn check_command(c: &Command<'_>, region: &[u8]) {
    let text = |s: &[u8]| slice("string parameter", s, MAX_TEXT, region);
    match *c {
        Command::FtpServ(Setting::Set(h)) => text(h.as_bytes()),
        Command::FtpPw(Setting::Set(p)) => text(p.expose()),
        Command::FtpUn(Setting::Set(t))
        | Command::FtpGetName(Setting::Set(t))
        | Command::FtpPath(Setting::Set(t))
        | Command::FtpPutName(Setting::Set(t)) => text(t.as_bytes()),
        Command::FtpMkd(cellftp_proto::Operation::Run(t))
        | Command::FtpRmd(cellftp_proto::Operation::Run(t)) => text(t.as_bytes()),
        Command::FtpPut(Put::Data(d)) => {
            assert!(!d.is_empty(), "put data item without data");
            slice("put data", d, MAX_FRAGMENT, region);
        }
        _ => {}
    }
}

/// What one way of feeding a stream produced.
#[derive(Debug, PartialEq, Eq)]
struct Run {
    /// Every item's `Debug` form, in order.
    items: Vec<String>,
    /// Bytes left unconsumed at the end.
    left: usize,
    /// Whether the decoder ended inside a payload.
    in_payload: bool,
}

/// Takes every item out of `buf` the way the contract says: decode, drop
/// `consumed`, repeat until `NeedMore`.
fn drain<D: Decoder + Default + for<'b> CheckItems<'b>>(
    decoder: &mut D,
    buf: &mut Vec<u8>,
    items: &mut Vec<String>,
    payload: &mut Payload,
) {
    // Every item consumes at least one byte or changes the decoder's state;
    // this bound only catches a decoder that stops making progress.
    let mut budget = 2 * buf.len() + 8;
    loop {
        assert!(budget > 0, "the decoder returns items without progress");
        budget -= 1;
        let (consumed, more) = match decoder.decode(buf) {
            Decoded::Item { item, consumed } => {
                assert!(
                    consumed <= buf.len(),
                    "{item:?} consumed {consumed} bytes of a {}-byte buffer",
                    buf.len()
                );
                let region = buf.get(..consumed).unwrap_or_default();
                <D as CheckItems<'_>>::check(&item, region, payload);
                items.push(format!("{item:?}"));
                (consumed, true)
            }
            Decoded::NeedMore { consumed } => {
                assert!(
                    consumed <= buf.len(),
                    "NeedMore consumed {consumed} bytes of a {}-byte buffer",
                    buf.len()
                );
                (consumed, false)
            }
        };
        buf.drain(..consumed);
        if !more {
            return;
        }
    }
}

/// Feeds `stream` in the reads `cuts` make, into a buffer of `capacity`
/// bytes (unbounded if `None`), following the contract.
fn feed<D: Decoder + Default + for<'b> CheckItems<'b>>(
    stream: &[u8],
    cuts: &[usize],
    capacity: Option<usize>,
) -> Run {
    let mut decoder = D::default();
    let mut payload = Payload::default();
    let mut buf = Vec::new();
    let mut items = Vec::new();
    let mut from = 0;
    for &to in cuts.iter().chain(std::iter::once(&stream.len())) {
        let mut read = stream.get(from..to.max(from)).unwrap_or_default();
        from = to.max(from);
        loop {
            let room = capacity.map_or(read.len(), |c| c - buf.len());
            let (now, later) = read.split_at(room.min(read.len()));
            buf.extend_from_slice(now);
            read = later;
            drain(&mut decoder, &mut buf, &mut items, &mut payload);
            if let Some(c) = capacity {
                assert!(
                    buf.len() < c,
                    "a full {c}-byte buffer without an item to take out \
                     (decoder in payload: {})",
                    decoder.in_payload()
                );
            }
            if read.is_empty() {
                break;
            }
        }
    }
    Run {
        items,
        left: buf.len(),
        in_payload: decoder.in_payload(),
    }
}

fn stream<D: Decoder + Default + for<'b> CheckItems<'b>>(data: &[u8]) {
    let (cuts, stream) = split_input(data);
    let whole = feed::<D>(stream, &[], None);
    let split = feed::<D>(stream, &cuts, Some(MIN_BUFFER));
    assert_eq!(
        whole, split,
        "items differ between one read and reads cut at {cuts:?} into a MIN_BUFFER buffer"
    );
    let bytewise: Vec<usize> = (1..stream.len()).collect();
    let one = feed::<D>(stream, &bytewise, Some(MIN_BUFFER));
    assert_eq!(
        whole, one,
        "items differ between one read and one byte per read"
    );
}

/// The `response_stream` target: [`ResponseDecoder`] fed at the cut points
/// the input's first bytes choose (see [`split_input`]), then one byte at a
/// time, through a [`MIN_BUFFER`]-byte buffer, must return the items of one
/// read of the whole stream; no item may break the decoders' documented
/// bounds, and a full buffer must always hold an item.
pub fn response_stream(data: &[u8]) {
    stream::<ResponseDecoder>(data);
}

/// The `command_stream` target: [`response_stream`] for [`CommandDecoder`].
pub fn command_stream(data: &[u8]) {
    stream::<CommandDecoder>(data);
}
