//! The `response_stream` and `command_stream` targets: the decoders'
//! caller contract, split invariance and item bounds.

use std::fmt::Debug;

use cellftp_proto::{
    CmeError, Command, CommandDecoder, Decoded, Decoder, FormKind, Info, InfoValue, Operation,
    Param, Put, Request, Response, ResponseDecoder, Setting, Urc, MAX_FRAGMENT, MAX_LINE,
    MAX_PUT_DATA, MAX_TEXT, MIN_BUFFER,
};

use cellftp_proto::simcom;

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

/// What the harness needs of a decoder beyond [`Decoder`]: the checks of
/// one item's slices against `region`, the bytes it consumed, and item
/// equality across two buffers (the items of one read of the stream borrow
/// the stream, those of a cut feed borrow the harness's buffer).
trait Harnessed: Decoder + Default {
    fn check(item: &Self::Item<'_>, region: &[u8], payload: &mut Payload);
    fn same(a: &Self::Item<'_>, b: &Self::Item<'_>) -> bool;
}

impl Harnessed for ResponseDecoder {
    fn check(item: &Response<'_>, region: &[u8], payload: &mut Payload) {
        check_response(item, region, payload);
    }
    fn same(a: &Response<'_>, b: &Response<'_>) -> bool {
        a == b
    }
}

impl Harnessed for simcom::ResponseDecoder {
    fn check(item: &simcom::Response<'_>, region: &[u8], payload: &mut Payload) {
        check_simcom(item, region, payload);
    }
    fn same(a: &simcom::Response<'_>, b: &simcom::Response<'_>) -> bool {
        a == b
    }
}

impl Harnessed for simcom::CommandDecoder {
    fn check(item: &simcom::Request<'_>, region: &[u8], payload: &mut Payload) {
        use simcom::Request as R;
        match *item {
            R::PutData(d) => {
                assert!(!d.is_empty(), "an empty PutData item");
                slice("PutData", d, MAX_FRAGMENT, region);
                payload.continuation(d);
            }
            R::Command(c) => {
                payload.other(item);
                if let simcom::Command::FtpPut(simcom::Upload::Write(n)) = c {
                    payload.remaining = u64::from(n);
                }
            }
            R::Unknown(l) => {
                payload.other(item);
                slice("Unknown", l, MAX_LINE, region);
                // A write header out of range is Unknown, its bytes taken.
                if let Some(n) = put_count(l) {
                    payload.remaining = u64::from(n);
                }
            }
            R::Overlong(l) => {
                payload.other(item);
                assert!(!l.is_empty(), "empty Overlong item");
                slice("Overlong", l, MAX_LINE, region);
            }
            _ => payload.other(item),
        }
    }
    fn same(a: &simcom::Request<'_>, b: &simcom::Request<'_>) -> bool {
        a == b
    }
}

/// The `<n>` of an `AT+FTPPUT=2,<n>` line the decoder did not read as a
/// command (out of range), when it is one: its bytes follow all the same.
fn put_count(line: &[u8]) -> Option<u32> {
    // Such a line holds `+` and `=` (`AT+FTPPUT=2,<n>`): most Unknown lines
    // are not decoded a second time.
    if memchr::memchr(b'+', line).is_none() || memchr::memchr(b'=', line).is_none() {
        return None;
    }
    let mut d = simcom::CommandDecoder::new();
    let mut framed = line.to_vec();
    framed.push(b'\r');
    match d.decode(&framed) {
        Decoded::Item { .. } if d.in_payload() => {
            let digits: Vec<u8> = line
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_digit() || **b == b' ')
                .filter(|b| b.is_ascii_digit())
                .copied()
                .collect();
            let n: String = digits.iter().rev().map(|&b| char::from(b)).collect();
            n.parse().ok()
        }
        _ => None,
    }
}

impl Harnessed for CommandDecoder {
    fn check(item: &Request<'_>, region: &[u8], payload: &mut Payload) {
        check_request(item, region, payload);
    }
    fn same(a: &Request<'_>, b: &Request<'_>) -> bool {
        a == b
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
        Response::Echo(ref echo) => {
            if let Some(line) = echo.line() {
                slice("Echo line", line, MAX_LINE, region);
            }
            check_request(&echo.request(), region, payload);
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

/// The SIMCom dialect's items: a read header announces exactly the bytes
/// its `Data` fragments then carry, each fragment as long as it can be.
fn check_simcom(item: &simcom::Response<'_>, region: &[u8], payload: &mut Payload) {
    use simcom::Response as R;
    if let R::Data(d) = *item {
        assert!(!d.is_empty(), "an empty Data item");
        slice("Data", d, MAX_FRAGMENT, region);
        payload.continuation(d);
        return;
    }
    payload.other(item);
    match *item {
        R::ReadHeader { len, .. } => payload.remaining = u64::from(len),
        R::CmeError(CmeError::Text(t)) | R::CmsError(CmeError::Text(t)) => {
            slice("CME/CMS text", t, MAX_LINE, region);
        }
        R::Info(info) => {
            slice("Info value", info.fields.raw(), MAX_LINE, region);
            for field in info.fields {
                if let simcom::Field::Text(t) = field {
                    slice("Info field", t, MAX_LINE, region);
                }
            }
        }
        R::Echo(l) | R::Unknown(l) => slice("line", l, MAX_LINE, region),
        R::Overlong(l) => {
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
                len as usize > MAX_PUT_DATA,
                "FtpPutStart announces {len} bytes, a chunk small enough to be a command"
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

/// Checks the slices a command borrows from the stream. Which commands
/// borrow one is the table's to say (a set form of a row whose parameter is
/// a string or put data): such a command the `match` below does not know
/// fails the harness, so a new row that takes a string cannot go unchecked.
fn check_command(c: &Command<'_>, region: &[u8]) {
    let text = |s: &[u8]| slice("string parameter", s, MAX_TEXT, region);
    let checked = match *c {
        Command::FtpServ(Setting::Set(h)) => {
            text(h.as_bytes());
            true
        }
        Command::FtpPw(Setting::Set(p)) => {
            text(p.expose());
            true
        }
        Command::FtpUn(Setting::Set(t))
        | Command::FtpGetName(Setting::Set(t))
        | Command::FtpPath(Setting::Set(t))
        | Command::FtpPutName(Setting::Set(t))
        | Command::FtpMkd(Operation::Run(t))
        | Command::FtpRmd(Operation::Run(t)) => {
            text(t.as_bytes());
            true
        }
        Command::FtpPut(Put::Data(d)) => {
            assert!(!d.is_empty(), "put data item without data");
            slice("put data", d, MAX_FRAGMENT, region);
            true
        }
        // `AT+FTPPUT=0`: a set form of the put row that carries no data.
        Command::FtpPut(Put::End) => true,
        _ => false,
    };
    let borrows = c.form() == FormKind::Set
        && matches!(
            c.name().spec().param,
            Param::Text(_) | Param::Host | Param::Password | Param::PutData
        );
    assert!(
        checked || !borrows,
        "{} takes a string the harness does not check: add it to check_command",
        c.name()
    );
}

/// What one read of the whole stream gives: the reference every cut feed
/// must reproduce.
struct Whole<'s, D: Decoder> {
    /// Every item, in order, borrowing the stream.
    items: Vec<D::Item<'s>>,
    /// Bytes left unconsumed at the end.
    left: usize,
    /// Whether the decoder ended inside a payload.
    in_payload: bool,
}

/// Every item consumes at least one byte or changes the decoder's state;
/// this many calls per buffered byte only catch a decoder that stops making
/// progress.
fn budget(buffered: usize) -> usize {
    2 * buffered + 8
}

/// Decodes `stream` given in one read, checking every item.
fn whole<D: Harnessed>(stream: &[u8]) -> Whole<'_, D> {
    let mut decoder = D::default();
    let mut payload = Payload::default();
    let mut items = Vec::new();
    let mut buf = stream;
    let mut budget = budget(buf.len());
    loop {
        assert!(budget > 0, "the decoder returns items without progress");
        budget -= 1;
        match decoder.decode(buf) {
            Decoded::Item { item, consumed } => {
                assert!(
                    consumed <= buf.len(),
                    "{item:?} consumed {consumed} bytes of a {}-byte buffer",
                    buf.len()
                );
                let (region, rest) = buf.split_at(consumed);
                D::check(&item, region, &mut payload);
                items.push(item);
                buf = rest;
            }
            Decoded::NeedMore { consumed } => {
                assert!(
                    consumed <= buf.len(),
                    "NeedMore consumed {consumed} bytes of a {}-byte buffer",
                    buf.len()
                );
                buf = buf.get(consumed..).unwrap_or_default();
                break;
            }
        }
    }
    Whole {
        items,
        left: buf.len(),
        in_payload: decoder.in_payload(),
    }
}

/// A feed of the stream in several reads through a [`MIN_BUFFER`]-byte
/// buffer, following the contract, compared item by item with `whole`.
struct Feed<'w, 's, D: Harnessed> {
    decoder: D,
    payload: Payload,
    /// The buffer: the caller's bytes not yet consumed are `buf[start..]`.
    buf: Vec<u8>,
    /// Where the unconsumed bytes start: consumed bytes are dropped from
    /// the front once per read, not after every item (which moved the
    /// rest of the buffer for each item).
    start: usize,
    whole: &'w Whole<'s, D>,
    /// Items returned so far.
    n: usize,
    /// How the stream is cut, for the messages.
    how: &'w dyn Fn() -> String,
}

impl<D: Harnessed> Feed<'_, '_, D> {
    /// Takes every item out of the buffer the way the contract says: decode,
    /// drop `consumed`, repeat until `NeedMore`.
    fn drain(&mut self) {
        let mut budget = budget(self.buffered());
        loop {
            assert!(budget > 0, "the decoder returns items without progress");
            budget -= 1;
            let buf = self.buf.get(self.start..).unwrap_or_default();
            let (consumed, more) = match self.decoder.decode(buf) {
                Decoded::Item { item, consumed } => {
                    assert!(
                        consumed <= buf.len(),
                        "{item:?} consumed {consumed} bytes of a {}-byte buffer",
                        buf.len()
                    );
                    let region = buf.get(..consumed).unwrap_or_default();
                    D::check(&item, region, &mut self.payload);
                    match self.whole.items.get(self.n) {
                        Some(want) if D::same(&item, want) => {}
                        Some(want) => panic!(
                            "item {} differs between one read ({want:?}) and {} ({item:?})",
                            self.n,
                            (self.how)()
                        ),
                        None => panic!(
                            "{} gives an item more than one read: {item:?}",
                            (self.how)()
                        ),
                    }
                    self.n += 1;
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
            self.start += consumed;
            if !more {
                return;
            }
        }
    }

    /// Hands over one read, in as many pieces as the buffer's room makes.
    fn read(&mut self, mut read: &[u8]) {
        loop {
            self.buf.drain(..self.start);
            self.start = 0;
            let room = MIN_BUFFER - self.buf.len();
            let (now, later) = read.split_at(room.min(read.len()));
            self.buf.extend_from_slice(now);
            read = later;
            self.drain();
            assert!(
                self.buffered() < MIN_BUFFER,
                "a full {MIN_BUFFER}-byte buffer without an item to take out \
                 (decoder in payload: {})",
                self.decoder.in_payload()
            );
            if read.is_empty() {
                return;
            }
        }
    }

    /// The bytes in the buffer not yet consumed.
    fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }

    /// The feed ended: it must have ended where one read did.
    fn end(self) {
        let whole = self.whole;
        assert_eq!(
            self.n,
            whole.items.len(),
            "{} gives {} items, one read {}",
            (self.how)(),
            self.n,
            whole.items.len()
        );
        assert_eq!(
            (self.buffered(), self.decoder.in_payload()),
            (whole.left, whole.in_payload),
            "(bytes left, in payload) differ between one read and {}",
            (self.how)()
        );
    }
}

/// Feeds `stream` in the reads that end at `ends` (ascending), then the
/// rest, comparing every item with `whole`.
fn feed<'s, D: Harnessed>(
    stream: &'s [u8],
    ends: impl Iterator<Item = usize>,
    whole: &Whole<'s, D>,
    how: &dyn Fn() -> String,
) {
    let mut feed = Feed {
        decoder: D::default(),
        payload: Payload::default(),
        buf: Vec::with_capacity(MIN_BUFFER),
        start: 0,
        whole,
        n: 0,
        how,
    };
    let mut from = 0;
    for to in ends.chain(std::iter::once(stream.len())) {
        let to = to.max(from);
        feed.read(stream.get(from..to).unwrap_or_default());
        from = to;
    }
    feed.end();
}

fn stream<D: Harnessed>(data: &[u8]) {
    let (cuts, stream) = split_input(data);
    let whole = whole::<D>(stream);
    feed(stream, cuts.iter().copied(), &whole, &|| {
        format!("reads cut at {cuts:?} into a MIN_BUFFER buffer")
    });
}

fn bytewise<D: Harnessed>(stream: &[u8]) {
    let whole = whole::<D>(stream);
    feed(stream, 1..stream.len(), &whole, &|| {
        "one byte per read".to_owned()
    });
}

/// The `response_stream` target: [`ResponseDecoder`] fed at the cut points
/// the input's first bytes choose (see [`split_input`]) through a
/// [`MIN_BUFFER`]-byte buffer must return the items of one read of the
/// whole stream; no item may break the decoders' documented bounds, and a
/// full buffer must always hold an item.
pub fn response_stream(data: &[u8]) {
    stream::<ResponseDecoder>(data);
}

/// The `simcom_response_stream` target: [`response_stream`] for the SIMCom
/// dialect's [`simcom::ResponseDecoder`], whose read payloads
/// (`+FTPGET: 2,<n>`, `+FTPLIST: 2,<n>`) are taken by count after their
/// header line: the fragments must add up to the announced length whatever
/// they contain.
pub fn simcom_response_stream(data: &[u8]) {
    stream::<simcom::ResponseDecoder>(data);
}

/// The `simcom_command_stream` target: [`response_stream`] for the SIMCom
/// dialect's [`simcom::CommandDecoder`]: upload bytes after
/// `AT+FTPPUT=2,<n>` add up to `<n>` whatever they contain.
pub fn simcom_command_stream(data: &[u8]) {
    stream::<simcom::CommandDecoder>(data);
}

/// The `command_stream` target: [`response_stream`] for [`CommandDecoder`].
pub fn command_stream(data: &[u8]) {
    stream::<CommandDecoder>(data);
}

/// The `response_bytewise` target: the whole input is the modem's stream,
/// fed to [`ResponseDecoder`] one byte per read through a [`MIN_BUFFER`]-byte
/// buffer; the checks of [`response_stream`], at every cut point at once.
/// Its own target because a call per byte costs ten times the other feeds.
pub fn response_bytewise(stream: &[u8]) {
    bytewise::<ResponseDecoder>(stream);
}

/// The `command_bytewise` target: [`response_bytewise`] for
/// [`CommandDecoder`].
pub fn command_bytewise(stream: &[u8]) {
    bytewise::<CommandDecoder>(stream);
}

#[cfg(test)]
mod tests {
    use cellftp_proto::{commands, Seed, MAX_COMMAND};

    use super::*;

    /// Every row of the table, in every form, decoded back from its bytes,
    /// passes `check_command`: none that borrows a string is unknown to it.
    #[test]
    fn check_command_knows_every_row_that_borrows() {
        for row in commands() {
            let param: &[u8] = match row.param {
                Param::Host => b"1.2.3.4",
                _ => b"x",
            };
            for form in 0..3 {
                let seed = Seed {
                    form,
                    number: 1,
                    flags: 1,
                    param,
                };
                let Ok(command) = Command::from_seed(row.name, &seed) else {
                    continue;
                };
                let mut buf = [0u8; MAX_COMMAND];
                let Ok(n) = command.encode(&mut buf) else {
                    continue;
                };
                let line = &buf[..n];
                let Decoded::Item {
                    item: Request::Command(decoded),
                    ..
                } = CommandDecoder::new().decode(line)
                else {
                    panic!("{} does not read back", row.name);
                };
                check_command(&decoded, line);
            }
        }
    }
}
