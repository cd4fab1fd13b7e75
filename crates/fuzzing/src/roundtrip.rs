//! The `roundtrip` target: encode an arbitrary valid command, decode it
//! back with both decoders.

use arbitrary::{Arbitrary, Unstructured};
use cellftp_proto::{
    commands, Command, CommandDecoder, CommandSpec, Decoded, EncodeError, Host, Param, Password,
    Put, Request, Response, ResponseDecoder, Seed, Setting, Text, TextKind, MAX_COMMAND,
    MAX_PUT_DATA, MAX_TEXT,
};

use crate::bytes::{Reader, Writer};

/// Server addresses used when the input's bytes are not a valid one.
const HOSTS: [&str; 4] = ["47.104.157.10", "ftp.example.com", "0.0.0.0", "a-1.b"];

/// The raw material of one command; [`roundtrip`] turns it into a valid
/// [`Command`].
///
/// Byte format (see `bytes.rs`): `which`, `form`, `number` (`u32` LE),
/// `flags`, then `param` as a `u16` LE length and that many bytes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArbitraryCommand {
    /// Which command: a row of the command table
    /// (`cellftp_proto::commands`), modulo the number of rows, in table
    /// order.
    pub which: u8,
    /// Which form, as `cellftp_proto::Seed::form` reads it.
    pub form: u8,
    /// The numeric parameter, as `cellftp_proto::Seed::number` reads it,
    /// and the size of the too-small buffer the encoder is also tried with.
    pub number: u32,
    /// Boolean parameters, as `cellftp_proto::Seed::flags` reads them.
    pub flags: u8,
    /// The string parameter or the put data. An invalid string is cleaned
    /// up until it is valid; put data is cut to [`MAX_PUT_DATA`].
    pub param: Vec<u8>,
}

impl ArbitraryCommand {
    fn read(r: &mut Reader<'_, '_>) -> Self {
        Self {
            which: r.u8(),
            form: r.u8(),
            number: r.u32(),
            flags: r.u8(),
            param: r.blob(MAX_PUT_DATA + MAX_TEXT),
        }
    }

    /// The input's bytes: what the fuzz target decodes into `self`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u8(self.which);
        w.u8(self.form);
        w.u32(self.number);
        w.u8(self.flags);
        w.blob(&self.param);
        w.out
    }
}

impl<'a> Arbitrary<'a> for ArbitraryCommand {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Self::read(&mut Reader::new(u)))
    }

    fn arbitrary_take_rest(mut u: Unstructured<'a>) -> arbitrary::Result<Self> {
        Self::arbitrary(&mut u)
    }
}

/// `raw` if it is a valid `kind` parameter, else `raw` with every
/// forbidden byte removed, cut to [`MAX_TEXT`] and trimmed, or `x` if that
/// is still not valid.
fn clean(kind: TextKind, raw: &[u8]) -> Vec<u8> {
    // A password is validated as one: it is never a `Text`.
    let valid = |v: &[u8]| match kind {
        TextKind::Password => Password::from_bytes(v).is_ok(),
        _ => Text::from_bytes(kind, v).is_ok(),
    };
    if valid(raw) {
        return raw.to_vec();
    }
    let mut v: Vec<u8> = raw
        .iter()
        .copied()
        .filter(|b| matches!(b, 0x20..=0x7e) && !matches!(b, b'"' | b',' | b';'))
        .take(MAX_TEXT)
        .collect();
    while v.last() == Some(&b' ') {
        v.pop();
    }
    let start = v.iter().take_while(|&&b| b == b' ').count();
    v.drain(..start);
    if valid(&v) {
        v
    } else {
        b"x".to_vec()
    }
}

/// The row of the command table `which` selects.
fn row(which: u8) -> CommandSpec {
    let rows = commands();
    let n = rows.len();
    match rows.clone().nth(usize::from(which) % n) {
        Some(row) => row,
        None => panic!("the command table has {n} rows"),
    }
}

/// Builds the command of `input`'s row through the table; `param` is
/// already valid for its kind.
fn build<'a>(input: &ArbitraryCommand, param: &'a [u8]) -> Command<'a> {
    let name = row(input.which).name;
    let seed = Seed {
        form: input.form,
        number: input.number,
        flags: input.flags,
        param,
    };
    match Command::from_seed(name, &seed) {
        Ok(c) => c,
        Err(e) => panic!("{name} with the cleaned-up {param:?} is refused: {e}"),
    }
}

/// Every item of `bytes`, decoded in one read, and the bytes consumed.
fn decode_all<'b, T>(
    bytes: &'b [u8],
    mut decode: impl FnMut(&'b [u8]) -> Decoded<T>,
) -> (Vec<T>, usize) {
    let mut items = Vec::new();
    let mut at = 0;
    for _ in 0..=bytes.len() {
        match decode(bytes.get(at..).unwrap_or_default()) {
            Decoded::Item { item, consumed } => {
                items.push(item);
                at += consumed;
            }
            Decoded::NeedMore { consumed } => return (items, at + consumed),
        }
    }
    panic!("the decoder returns items without end on {bytes:?}");
}

fn encode(command: &Command<'_>) -> Vec<u8> {
    let mut buf = [0u8; MAX_COMMAND];
    match command.encode(&mut buf) {
        Ok(n) => buf.get(..n).unwrap_or_default().to_vec(),
        Err(e) => panic!("{command:?} refused: {e}"),
    }
}

/// The `Debug` forms of `line` decoded by each decoder.
fn debug_both(line: &[u8]) -> (String, String) {
    let mut c = CommandDecoder::new();
    let (req, _) = decode_all(line, |b| c.decode(b));
    let mut r = ResponseDecoder::new();
    let (resp, _) = decode_all(line, |b| r.decode(b));
    (format!("{req:?}"), format!("{resp:?}"))
}

/// The `roundtrip` target: an arbitrary valid command encodes to one
/// canonical line (printable ASCII and CR, put data aside) that both
/// decoders read back as that command: [`CommandDecoder`] as
/// `Request::Command`, [`ResponseDecoder`] as its echo. Invalid put data and
/// port 0 are refused with the documented errors, a too-small buffer is left
/// untouched, and the `Debug` output of a password command and of its echo
/// does not depend on the password.
pub fn roundtrip(input: ArbitraryCommand) {
    let spec = row(input.which);
    let put_data = spec.param == Param::PutData && input.form % 3 == 2;
    let mut param = match spec.param {
        Param::Host => {
            if Host::from_bytes(&input.param).is_ok() {
                input.param.clone()
            } else {
                let i = input.number as usize % HOSTS.len();
                HOSTS
                    .get(i)
                    .map_or(b"a".to_vec(), |h| h.as_bytes().to_vec())
            }
        }
        Param::Text(kind) => clean(kind, &input.param),
        Param::Password => clean(TextKind::Password, &input.param),
        _ => input.param.clone(),
    };
    let mut buf = [0u8; MAX_COMMAND];
    if put_data {
        if param.is_empty() {
            let refused = Command::FtpPut(Put::Data(&param)).encode(&mut buf);
            assert_eq!(
                refused,
                Err(EncodeError::Empty {
                    field: TextKind::PutData
                })
            );
            return;
        }
        if param.len() > MAX_PUT_DATA {
            let refused = Command::FtpPut(Put::Data(&param)).encode(&mut buf);
            assert_eq!(
                refused,
                Err(EncodeError::TooLong {
                    field: TextKind::PutData,
                    max: MAX_PUT_DATA,
                    len: param.len()
                })
            );
            param.truncate(MAX_PUT_DATA);
        }
    }
    let command = build(&input, &param);
    if let Command::FtpPort(Setting::Set(0)) = command {
        assert_eq!(command.encode(&mut buf), Err(EncodeError::PortZero));
        return;
    }

    let bytes = encode(&command);
    let n = bytes.len();
    assert_eq!(
        command.encoded_len(),
        Ok(n),
        "encoded_len disagrees with encode"
    );
    assert!(n <= MAX_COMMAND, "{n} bytes, more than MAX_COMMAND");
    assert!(bytes.starts_with(b"AT"), "{bytes:?} does not start with AT");
    let (line, last) = bytes.split_at(n - 1);
    assert_eq!(last, b"\r", "{bytes:?} does not end in a single CR");
    if !put_data {
        assert!(
            line.iter().all(|b| matches!(b, 0x20..=0x7e)),
            "{command:?} encodes to a non-printable line {bytes:?}"
        );
    }

    // A buffer one byte too small, or smaller, is refused and untouched.
    let small = input.number as usize % n;
    let mut tiny = vec![0xA5u8; small];
    assert_eq!(
        command.encode(&mut tiny),
        Err(EncodeError::BufferTooSmall {
            needed: n,
            available: small
        })
    );
    assert!(
        tiny.iter().all(|&b| b == 0xA5),
        "a refused encode wrote bytes"
    );

    let mut host = CommandDecoder::new();
    let (requests, consumed) = decode_all(&bytes, |b| host.decode(b));
    assert_eq!(
        requests,
        [Request::Command(command)],
        "{bytes:?} does not decode back to {command:?}"
    );
    assert_eq!(consumed, n, "the command decoder left bytes of {bytes:?}");

    let mut modem = ResponseDecoder::new();
    let (responses, consumed) = decode_all(&bytes, |b| modem.decode(b));
    assert!(
        matches!(responses.as_slice(), [Response::Echo(e)] if e.request() == Request::Command(command)),
        "the echo of {bytes:?} does not decode back to {command:?}: {responses:?}"
    );
    assert_eq!(consumed, n, "the response decoder left bytes of {bytes:?}");

    if let Command::FtpPw(Setting::Set(_)) = command {
        // The same command with another password must print the same.
        let other = match Password::new("Q") {
            Ok(p) => Command::FtpPw(Setting::Set(p)),
            Err(e) => panic!("{e}"),
        };
        assert_eq!(
            format!("{command:?}"),
            format!("{other:?}"),
            "a password command's Debug output shows the password"
        );
        let other_bytes = encode(&other);
        assert_eq!(
            debug_both(&bytes),
            debug_both(&other_bytes),
            "a decoded password line's Debug output shows the password"
        );
        // A malformed password line is not a command, but still redacted.
        let mangled = |b: &[u8]| {
            let mut v = b.get(..b.len() - 1).unwrap_or_default().to_vec();
            v.extend_from_slice(b",x\r");
            v
        };
        assert_eq!(
            debug_both(&mangled(&bytes)),
            debug_both(&mangled(&other_bytes)),
            "an unparsable password line's Debug output shows the password"
        );
    }
}
