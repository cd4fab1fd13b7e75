//! Helpers shared by the integration tests: feeding a decoder the way its
//! contract says (drop `consumed`, keep the rest, append), whole, one byte at
//! a time or at given cut points, and rendering what comes out.
#![allow(dead_code, unreachable_pub)]

use std::fmt::Debug;
use std::string::String;
use std::vec::Vec;

use cellftp_proto::{Command, Decoded, Decoder, Echo, Put, Request, Response};

/// What the tests need of a decoder's items beyond [`Decoder`]: an owned
/// rendering, and the start of an item that cannot be complete yet.
pub trait Render: Debug {
    /// The start of an item that cannot be complete yet: appended after a
    /// complete input, it must be left in the buffer untouched.
    const PARTIAL: &'static [u8];
    /// An owned rendering of an item: its `Debug` output, and the bytes of
    /// the items whose `Debug` output hides them.
    fn render(&self) -> String;
}

impl Render for Response<'_> {
    const PARTIAL: &'static [u8] = b"+FTPGET:5,12";
    fn render(&self) -> String {
        match self {
            Response::Overlong(b) => format!("Overlong({:?})", b.escape_ascii().to_string()),
            Response::Unknown(b) => format!("Unknown({:?})", b.escape_ascii().to_string()),
            Response::Echo(e) => format!("Echo({})", e.request().render()),
            other => format!("{other:?}"),
        }
    }
}

impl Render for Request<'_> {
    const PARTIAL: &'static [u8] = b"AT+FTPPUT=5,12";
    fn render(&self) -> String {
        match self {
            Request::Overlong(b) => format!("Overlong({:?})", b.escape_ascii().to_string()),
            Request::Unknown(b) => format!("Unknown({:?})", b.escape_ascii().to_string()),
            other => format!("{other:?}"),
        }
    }
}

impl Render for cellftp_proto::simcom::Response<'_> {
    const PARTIAL: &'static [u8] = b"+FTPGET: 2,5";
    fn render(&self) -> String {
        use cellftp_proto::simcom::Response as R;
        match self {
            R::Overlong(b) => format!("Overlong({:?})", b.escape_ascii().to_string()),
            R::Unknown(b) => format!("Unknown({:?})", b.escape_ascii().to_string()),
            R::Echo(b) => format!("Echo({:?})", b.escape_ascii().to_string()),
            other => format!("{other:?}"),
        }
    }
}

impl Render for cellftp_proto::simcom::Request<'_> {
    const PARTIAL: &'static [u8] = b"AT+FTPPUT=2,5";
    fn render(&self) -> String {
        use cellftp_proto::simcom::Request as R;
        match self {
            R::Overlong(b) => format!("Overlong({:?})", b.escape_ascii().to_string()),
            R::Unknown(b) => format!("Unknown({:?})", b.escape_ascii().to_string()),
            other => format!("{other:?}"),
        }
    }
}

/// A decoder the helpers can drive: the proto [`Decoder`] trait, a fresh
/// one on demand, and items the tests can render.
pub trait Decode: Decoder + Default + for<'b> Items<'b> {}

impl<D: Decoder + Default + for<'b> Items<'b>> Decode for D {}

/// `Self::Item<'b>: Render`, spelled as a trait so that it can be required
/// for every `'b`.
pub trait Items<'b>: Decoder {
    /// Renders an item.
    fn render(item: &Self::Item<'b>) -> String;
    /// [`Render::PARTIAL`] of the items.
    const PARTIAL: &'static [u8];
}

impl<'b, D: Decoder> Items<'b> for D
where
    D::Item<'b>: Render,
{
    fn render(item: &D::Item<'b>) -> String {
        item.render()
    }
    const PARTIAL: &'static [u8] = <D::Item<'b> as Render>::PARTIAL;
}

/// Decodes `input` as one buffer that never grows: the typed items, and the
/// bytes left unconsumed at the end (the start of an incomplete item).
pub fn decode_whole<D: Decode>(input: &[u8]) -> (Vec<D::Item<'_>>, &[u8]) {
    let mut decoder = D::default();
    let mut rest = input;
    let mut items = Vec::new();
    loop {
        match decoder.decode(rest) {
            Decoded::Item { item, consumed } => {
                assert!(consumed > 0, "an item must consume bytes: {item:?}");
                assert!(consumed <= rest.len());
                items.push(item);
                rest = &rest[consumed..];
            }
            Decoded::NeedMore { consumed } => {
                assert!(consumed <= rest.len());
                rest = &rest[consumed..];
                // Asking again without new bytes changes nothing.
                assert_eq!(decoder.decode(rest), Decoded::NeedMore { consumed: 0 });
                return (items, rest);
            }
        }
    }
}

/// Feeds `input` cut at `cuts` (increasing offsets) through a buffer kept as
/// the contract says; returns the rendered items and the bytes left in the
/// buffer at the end.
pub fn decode_cut<D: Decode>(input: &[u8], cuts: &[usize]) -> (Vec<String>, Vec<u8>) {
    let mut decoder = D::default();
    let mut buf = Vec::new();
    let mut items = Vec::new();
    let mut from = 0;
    for &to in cuts.iter().chain([input.len()].iter()) {
        let to = to.clamp(from, input.len());
        buf.extend_from_slice(&input[from..to]);
        from = to;
        drain::<D>(&mut decoder, &mut buf, &mut items);
    }
    (items, buf)
}

/// Decodes items from the front of `buf` until the decoder needs more,
/// dropping what it consumed.
pub fn drain<D: Decode>(decoder: &mut D, buf: &mut Vec<u8>, items: &mut Vec<String>) {
    loop {
        match decoder.decode(buf) {
            Decoded::Item { item, consumed } => {
                assert!(consumed > 0, "an item must consume bytes: {item:?}");
                items.push(<D as Items<'_>>::render(&item));
                buf.drain(..consumed);
            }
            Decoded::NeedMore { consumed } => {
                buf.drain(..consumed);
                return;
            }
        }
    }
}

/// Feeds `input` one byte at a time.
pub fn decode_bytewise<D: Decode>(input: &[u8]) -> (Vec<String>, Vec<u8>) {
    let cuts: Vec<usize> = (1..input.len()).collect();
    decode_cut::<D>(input, &cuts)
}

/// Asserts that `input` decodes to items rendering as `want` with
/// `leftover` (the start of an incomplete item) left unconsumed, fed whole,
/// one byte at a time, cut once at every offset (or at a stride for long
/// inputs) and cut in a few deterministic pseudo-random places. When nothing
/// is left over, the same holds with the start of another item appended,
/// which must be left over untouched.
pub fn check<D: Decode>(input: &[u8], want: &[String], leftover: &[u8]) {
    check_fed::<D>(input, want, leftover);
    if leftover.is_empty() {
        let partial = <D as Items<'static>>::PARTIAL;
        let with_partial = [input, partial].concat();
        check_fed::<D>(&with_partial, want, partial);
    }
}

fn check_fed<D: Decode>(input: &[u8], want: &[String], leftover: &[u8]) {
    let (items, rest) = decode_whole::<D>(input);
    let items: Vec<String> = items.iter().map(|i| <D as Items<'_>>::render(i)).collect();
    assert_eq!(
        items,
        want,
        "fed whole: {:?}",
        input.escape_ascii().to_string()
    );
    assert_eq!(
        rest.escape_ascii().to_string(),
        leftover.escape_ascii().to_string(),
        "left over when fed whole"
    );

    let (items, rest) = decode_bytewise::<D>(input);
    assert_eq!(items, want, "fed one byte at a time");
    assert_eq!(rest, leftover, "left over when fed one byte at a time");

    let stride = (input.len() / 200).max(1);
    for cut in (1..input.len()).step_by(stride) {
        let (items, rest) = decode_cut::<D>(input, &[cut]);
        assert_eq!(items, want, "cut at {cut}");
        assert_eq!(rest, leftover, "left over when cut at {cut}");
    }

    let mut seed = input.len() as u64 ^ 0x9e37_79b9_7f4a_7c15;
    for _ in 0..8 {
        let cuts = random_cuts(&mut seed, input.len());
        let (items, rest) = decode_cut::<D>(input, &cuts);
        assert_eq!(items, want, "cut at {cuts:?}");
        assert_eq!(rest, leftover, "left over when cut at {cuts:?}");
    }
}

/// [`check`] for what the modem sends, against typed items.
pub fn check_responses(input: &[u8], expected: &[Response<'_>], leftover: &[u8]) {
    let (items, _) = decode_whole::<cellftp_proto::ResponseDecoder>(input);
    assert_eq!(
        items,
        expected,
        "fed whole: {:?}",
        input.escape_ascii().to_string()
    );
    let want: Vec<String> = expected.iter().map(Render::render).collect();
    check::<cellftp_proto::ResponseDecoder>(input, &want, leftover);
}

/// [`check`] for what the host sends, against typed items.
pub fn check_requests(input: &[u8], expected: &[Request<'_>], leftover: &[u8]) {
    let (items, _) = decode_whole::<cellftp_proto::CommandDecoder>(input);
    assert_eq!(
        items,
        expected,
        "fed whole: {:?}",
        input.escape_ascii().to_string()
    );
    let want: Vec<String> = expected.iter().map(Render::render).collect();
    check::<cellftp_proto::CommandDecoder>(input, &want, leftover);
}

/// Up to 16 increasing cut points in `0..len`, from a tiny xorshift generator.
fn random_cuts(seed: &mut u64, len: usize) -> Vec<usize> {
    let mut next = || {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    };
    let n = (next() % 16) as usize;
    let mut cuts: Vec<usize> = (0..n).map(|_| (next() as usize) % (len + 1)).collect();
    cuts.sort_unstable();
    cuts
}

/// `\r\n<line>\r\n` for each line: how the modem frames its responses.
pub fn framed(lines: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in lines {
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Concatenates byte strings.
pub fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// The echo of `c` as the modem decoder makes it: an `AT+FTPPUT` with its
/// data framed by its length, any other command as the line it encodes to
/// (kept for the test's length).
pub fn echo_of(c: Command<'_>) -> Response<'static> {
    match c {
        Command::FtpPut(Put::Data(d)) => {
            let data: &'static [u8] = Vec::leak(d.to_vec());
            Response::Echo(Echo::from_put(data.len() as u32, data))
        }
        Command::FtpPut(Put::End) => Response::Echo(Echo::from_put(0, b"")),
        _ => {
            let mut buf = [0u8; 600];
            let n = c.encode(&mut buf).unwrap();
            let line: &'static [u8] = Vec::leak(buf[..n - 1].to_vec());
            Response::Echo(Echo::from_line(line))
        }
    }
}
