//! Password redaction for everything this crate writes, by the one rule of
//! `cellftp_proto::secret_ranges`: what the parser's `Debug` output hides,
//! transcripts hide too.
//!
//! The rule applies to command and modem lines only. Payload bytes (the data
//! of an `AT+FTPPUT=<len>,` chunk, of a `+FTPGET:<len>,` download, the lines
//! of an `AT+FTPLIST` listing) are file content: they are written as they
//! crossed the line, or the transcript would not replay. [`Framing`] finds
//! them with proto's own decoders, and [`Redactor`] redacts the rest of a
//! stream however it is cut into records. Both speak either dialect: the
//! SIMCom one's payloads are the raw bytes after `AT+FTPPUT=2,<n>` and the
//! `<cnf>` bytes after `+FTPGET: 2,<cnf>` / `+FTPLIST: 2,<cnf>`
//! (`cellftp_proto::simcom`), and `secret_ranges` already hides its
//! `AT+FTPPW="…"` and `AT+SAPBR=3,<cid>,"PWD","…"` values.

use std::ops::Range;

use cellftp_proto::simcom;
use cellftp_proto::{
    secret_ranges, CommandDecoder, Decoded, Request, Response, ResponseDecoder, REDACTED,
};
use zeroize::{Zeroize, Zeroizing};

use crate::transcript::Dialect;

/// Returns `bytes` with every password value that
/// [`cellftp_proto::secret_ranges`] finds (`AT+FTPPW=…`, `+FTPPW: …`, and
/// lines naming a password such as `PASSWORD: …` in an `AT+FTPSCON`
/// report) replaced by `<redacted>`, up to the line end. It knows nothing
/// of payloads: for one command or one line; a stream goes through a
/// [`Redactor`].
///
/// ```
/// use cellftp_replay::redact_passwords;
/// assert_eq!(redact_passwords(b"AT+FTPPW=hunter2\r\nOK"), b"AT+FTPPW=<redacted>\r\nOK");
/// assert_eq!(redact_passwords(b"+FTPPW: s3cret\r\n"), b"+FTPPW: <redacted>\r\n");
/// assert_eq!(redact_passwords(b"PASSWORD: hunter2\r\n"), b"PASSWORD: <redacted>\r\n");
/// ```
pub fn redact_passwords(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut shown = 0;
    for range in secret_ranges(bytes) {
        out.extend_from_slice(bytes.get(shown..range.start).unwrap_or_default());
        out.extend_from_slice(REDACTED.as_bytes());
        shown = range.end;
    }
    out.extend_from_slice(bytes.get(shown..).unwrap_or_default());
    out
}

/// The decoder of one direction.
#[derive(Debug, Clone)]
enum Side {
    Sent(CommandDecoder),
    Received(ResponseDecoder),
    SimcomSent(simcom::CommandDecoder),
    /// With the `<cnf>` of the last `+FTPPUT: 2,<cnf>` not yet taken.
    SimcomReceived(simcom::ResponseDecoder, Option<u32>),
}

/// Where the payloads of one direction's stream are, fed in pieces: the
/// stream runs through proto's decoder for that direction, so payloads are
/// found exactly as the parser frames them, however the stream is cut.
///
/// ```
/// use cellftp_replay::Framing;
/// let mut f = Framing::received();
/// assert_eq!(f.payload_ranges(b"\r\n+FTPGET:5,pw"), [12..14]);
/// assert_eq!(f.payload_ranges(b"=ab\r\nOK\r\n"), [0..3]);
/// ```
#[derive(Debug, Clone)]
pub struct Framing {
    side: Side,
    /// What the decoder has not consumed yet (wiped when dropped: it may
    /// hold part of a password line).
    pending: Zeroizing<Vec<u8>>,
}

impl Framing {
    /// For the bytes the host sent.
    pub fn sent() -> Self {
        Self::sent_in(Dialect::Manual)
    }

    /// For the bytes the modem sent.
    pub fn received() -> Self {
        Self::received_in(Dialect::Manual)
    }

    /// For the bytes the host sent, in `dialect`.
    pub fn sent_in(dialect: Dialect) -> Self {
        Self::new(match dialect {
            Dialect::Manual => Side::Sent(CommandDecoder::new()),
            Dialect::Simcom => Side::SimcomSent(simcom::CommandDecoder::new()),
        })
    }

    /// For the bytes the modem sent, in `dialect`.
    pub fn received_in(dialect: Dialect) -> Self {
        Self::new(match dialect {
            Dialect::Manual => Side::Received(ResponseDecoder::new()),
            Dialect::Simcom => Side::SimcomReceived(simcom::ResponseDecoder::new(), None),
        })
    }

    /// SIMCom, the modem's side: the `<cnf>` of the last
    /// `+FTPPUT: 2,<cnf>` seen since the last call, to hand to the host
    /// side's [`Framing::expect_put_data`].
    pub fn take_put_header(&mut self) -> Option<u32> {
        match &mut self.side {
            Side::SimcomReceived(_, cnf) => cnf.take(),
            _ => None,
        }
    }

    /// SIMCom, the host's side: the modem confirmed `cnf` bytes for the
    /// last `AT+FTPPUT=2,<n>` (`simcom::CommandDecoder::expect_put_data`);
    /// without it `<n>` bytes are taken. Does nothing elsewhere.
    pub fn expect_put_data(&mut self, cnf: u32) {
        if let Side::SimcomSent(d) = &mut self.side {
            // Only right after the command, before any of its bytes.
            if self.pending.is_empty() {
                d.expect_put_data(cnf);
            }
        }
    }

    fn new(side: Side) -> Self {
        Self {
            side,
            pending: Zeroizing::new(Vec::new()),
        }
    }

    /// The payload bytes of `chunk`, the next bytes of the stream: ranges
    /// of `chunk`, in order, disjoint. A byte is judged when it arrives,
    /// which is final: the framer knows a payload has started once its
    /// header's comma (or a listing header's line end) has arrived.
    pub fn payload_ranges(&mut self, chunk: &[u8]) -> Vec<Range<usize>> {
        let old = self.pending.len();
        self.pending.extend_from_slice(chunk);
        let mut payload: Vec<Range<usize>> = Vec::new();
        let mut at = 0;
        loop {
            let buf = self.pending.get(at..).unwrap_or_default();
            let (step, done) = step(&mut self.side, buf);
            if step.payload > 0 {
                let end = if done {
                    self.pending.len()
                } else {
                    at + step.consumed
                };
                payload.push(end - step.payload..end);
            }
            at += step.consumed;
            if done || step.consumed == 0 {
                debug_assert!(done, "a decoded item consumes bytes");
                break;
            }
        }
        if let Some(used) = self.pending.get_mut(..at) {
            used.zeroize();
        }
        self.pending.drain(..at);
        payload
            .into_iter()
            .filter_map(|r| {
                let start = r.start.max(old) - old;
                let end = r.end.checked_sub(old)?;
                (start < end).then_some(start..end)
            })
            .collect()
    }
}

/// One decoder call on `buf`: how many bytes it consumed and how many of
/// them, at their end, are payload; `true` when it needs more bytes (then
/// the payload bytes are the last ones of `buf`, not yet consumed).
fn step(side: &mut Side, buf: &[u8]) -> (Step, bool) {
    match side {
        Side::Sent(d) => match d.decode(buf) {
            Decoded::Item { item, consumed } => {
                let data = match item {
                    Request::Command(cellftp_proto::Command::FtpPut(cellftp_proto::Put::Data(
                        data,
                    )))
                    | Request::FtpPutStart { data, .. }
                    | Request::Continuation(data) => data,
                    _ => &[],
                };
                (Step::item(buf, consumed, data), false)
            }
            Decoded::NeedMore { consumed } => {
                let rest = buf.len() - consumed.min(buf.len());
                let payload = d.payload_buffered(rest) as usize;
                (Step { consumed, payload }, true)
            }
        },
        Side::Received(d) => {
            // Only a listing's state allows an overlong piece to be
            // payload: raw payloads come as fragments.
            let listing = d.payload_pending();
            match d.decode(buf) {
                Decoded::Item { item, consumed } => {
                    let data = match item {
                        Response::FtpGet { data, .. } | Response::Continuation(data) => data,
                        Response::Echo(echo) => match echo.request() {
                            Request::FtpPutStart { data, .. }
                            | Request::Command(cellftp_proto::Command::FtpPut(
                                cellftp_proto::Put::Data(data),
                            )) => data,
                            _ => &[],
                        },
                        // A listing line and the line ends before it.
                        Response::ListLine(_) => {
                            return (Step::whole(consumed), false);
                        }
                        // A piece of an overlong listing line, unless the
                        // listing ended before it.
                        Response::Overlong(_)
                            if listing.is_some_and(|left| consumed <= left as usize) =>
                        {
                            return (Step::whole(consumed), false);
                        }
                        _ => &[],
                    };
                    (Step::item(buf, consumed, data), false)
                }
                Decoded::NeedMore { consumed } => {
                    let rest = buf.len() - consumed.min(buf.len());
                    let payload = d.payload_buffered(rest) as usize;
                    (Step { consumed, payload }, true)
                }
            }
        }
        Side::SimcomSent(d) => match d.decode(buf) {
            Decoded::Item { item, consumed } => {
                let data = match item {
                    simcom::Request::PutData(data) => data,
                    _ => &[],
                };
                (Step::item(buf, consumed, data), false)
            }
            Decoded::NeedMore { consumed } => {
                let rest = buf.len() - consumed.min(buf.len());
                let payload = d.payload_buffered(rest) as usize;
                (Step { consumed, payload }, true)
            }
        },
        Side::SimcomReceived(d, put) => match d.decode(buf) {
            Decoded::Item { item, consumed } => {
                let data = match item {
                    simcom::Response::Data(data) => data,
                    simcom::Response::PutHeader { cnf } => {
                        *put = Some(cnf);
                        &[]
                    }
                    _ => &[],
                };
                (Step::item(buf, consumed, data), false)
            }
            Decoded::NeedMore { consumed } => {
                let rest = buf.len() - consumed.min(buf.len());
                let payload = d.payload_buffered(rest) as usize;
                (Step { consumed, payload }, true)
            }
        },
    }
}

/// See [`step`].
struct Step {
    consumed: usize,
    payload: usize,
}

impl Step {
    /// An item whose payload `data` ends where the item does (the framer
    /// ends every payload frame with its data).
    fn item(buf: &[u8], consumed: usize, data: &[u8]) -> Self {
        let item = buf.get(..consumed).unwrap_or_default();
        let at_end = data.is_empty() || item.as_ptr_range().end == data.as_ptr_range().end;
        debug_assert!(at_end, "payload data ends its item");
        Step {
            consumed,
            payload: if at_end { data.len() } else { 0 },
        }
    }

    fn whole(consumed: usize) -> Self {
        Step {
            consumed,
            payload: consumed,
        }
    }
}

/// The longest unfinished line kept to redact across pieces: far longer
/// than any password line (a password holds at most 64 bytes), and short
/// enough that a long line without line ends costs little.
const CARRY: usize = 4096;

/// Redacts passwords in one direction's stream, fed in pieces (records,
/// reads): payloads ([`Framing`]) go through as they are; in the rest, the
/// rule of [`secret_ranges`] applies to whole lines, so the unfinished line
/// is kept (wiped when dropped) and looked at again with the next piece. A
/// hidden value cut across pieces shows one `<redacted>`, in the piece
/// where it starts; the rest of it is dropped.
///
/// Where a payload ends mid-line the two directions differ:
/// - the modem ends its data with a line end, so bytes that follow a
///   payload straight away are a damaged stream (a lost byte, a wrong
///   length), and the payload's unfinished last line is read together
///   with them: `+FTPPW: ` at the end of a listing and `hunter2` after it
///   show `<redacted>`;
/// - the host's next command starts right after a payload, so its bytes
///   start a new line: an upload chunk that ends in `password: ` does not
///   hide the `AT+FTPPUT` after it (which would no longer replay).
///
/// ```
/// use cellftp_replay::Redactor;
/// let mut r = Redactor::sent();
/// assert_eq!(r.push(b"AT+FTPPW=hun"), b"AT+FTPPW=<redacted>");
/// assert_eq!(r.push(b"ter2\rAT+FTPPUT=6,pw=ab"), b"\rAT+FTPPUT=6,pw=ab");
/// ```
#[derive(Debug, Clone)]
pub struct Redactor {
    framing: Framing,
    /// Whether a payload's unfinished last line is read with the bytes
    /// after it (the modem's side; see above).
    after_payload_continues_line: bool,
    /// Whether the last bytes pushed were payload.
    in_payload: bool,
    line: Zeroizing<Vec<u8>>,
    /// Where in `line` a value starts whose `<redacted>` was already shown.
    shown_from: Option<usize>,
}

impl Redactor {
    /// For the bytes the host sent.
    pub fn sent() -> Self {
        Self::sent_in(Dialect::Manual)
    }

    /// For the bytes the modem sent.
    pub fn received() -> Self {
        Self::received_in(Dialect::Manual)
    }

    /// For the bytes the host sent, in `dialect`.
    pub fn sent_in(dialect: Dialect) -> Self {
        Self::new(Framing::sent_in(dialect), false)
    }

    /// For the bytes the modem sent, in `dialect`.
    pub fn received_in(dialect: Dialect) -> Self {
        Self::new(Framing::received_in(dialect), true)
    }

    /// See [`Framing::take_put_header`]: the modem's side.
    pub fn take_put_header(&mut self) -> Option<u32> {
        self.framing.take_put_header()
    }

    /// See [`Framing::expect_put_data`]: the host's side.
    pub fn expect_put_data(&mut self, cnf: u32) {
        self.framing.expect_put_data(cnf);
    }

    fn new(framing: Framing, after_payload_continues_line: bool) -> Self {
        Self {
            framing,
            after_payload_continues_line,
            in_payload: false,
            line: Zeroizing::new(Vec::new()),
            shown_from: None,
        }
    }

    /// Returns `piece`, the next bytes of the stream, with the password
    /// values outside payloads hidden.
    pub fn push(&mut self, piece: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(piece.len());
        let mut at = 0;
        for payload in self.framing.payload_ranges(piece) {
            self.lines(piece.get(at..payload.start).unwrap_or_default(), &mut out);
            // A payload ends the line before it (a payload cut across
            // pieces is one payload).
            let before = piece.get(at..payload.start).unwrap_or_default();
            if !before.is_empty() || !self.in_payload {
                self.end_line();
            }
            self.in_payload = true;
            let data = piece.get(payload.clone()).unwrap_or_default();
            out.extend_from_slice(data);
            if self.after_payload_continues_line {
                // Kept to read with what follows, never shown again.
                self.line.extend_from_slice(data);
                self.keep_unfinished();
            }
            at = payload.end;
        }
        let rest = piece.get(at..).unwrap_or_default();
        if !rest.is_empty() {
            self.in_payload = false;
        }
        self.lines(rest, &mut out);
        out
    }

    /// Appends `piece`, bytes outside payloads, to `out`, redacted.
    fn lines(&mut self, piece: &[u8], out: &mut Vec<u8>) {
        if piece.is_empty() {
            return;
        }
        let start = self.line.len();
        self.line.extend_from_slice(piece);
        let mut shown = start;
        for range in secret_ranges(&self.line) {
            if range.end <= start {
                continue;
            }
            let from = range.start.max(shown);
            out.extend_from_slice(self.line.get(shown..from).unwrap_or_default());
            if self.shown_from != Some(range.start) {
                out.extend_from_slice(REDACTED.as_bytes());
                self.shown_from = Some(range.start);
            }
            shown = range.end;
        }
        out.extend_from_slice(self.line.get(shown..).unwrap_or_default());
        self.keep_unfinished();
    }

    /// Forgets the unfinished line.
    fn end_line(&mut self) {
        self.line.zeroize();
        self.line.clear();
        self.shown_from = None;
    }

    /// Drops the finished lines (and, past [`CARRY`], the oldest bytes).
    fn keep_unfinished(&mut self) {
        let end = self.line.iter().rposition(|&b| b == b'\r' || b == b'\n');
        let cut = match end {
            Some(i) => i + 1,
            None => self.line.len().saturating_sub(CARRY),
        };
        if cut == 0 {
            return;
        }
        if let Some(done) = self.line.get_mut(..cut) {
            done.zeroize();
        }
        self.line.drain(..cut);
        self.shown_from = self.shown_from.and_then(|s| s.checked_sub(cut));
    }
}

#[cfg(test)]
mod tests {
    use super::redact_passwords as r;
    use super::Redactor;

    #[test]
    fn redacts_every_form() {
        assert_eq!(r(b"AT+ FTPPW =123\r"), b"AT+ FTPPW =<redacted>\r");
        assert_eq!(r(b"at+ftppw=a,b;c\r\n"), b"at+ftppw=<redacted>\r\n");
        assert_eq!(
            r(b"\r\n+FTPPW: 123\r\nOK\r\n"),
            b"\r\n+FTPPW: <redacted>\r\nOK\r\n"
        );
        assert_eq!(r(b"AT+FTPPW=?\r"), b"AT+FTPPW=?\r");
        assert_eq!(r(b"AT+FTPPW?\r"), b"AT+FTPPW?\r");
        assert_eq!(r(b"AT+FTPPUT=5,12345\r"), b"AT+FTPPUT=5,12345\r");
        assert_eq!(r(b"AT+FTPPW=secret"), b"AT+FTPPW=<redacted>");
    }

    #[test]
    fn redacts_what_the_parser_hides() {
        // An `AT+FTPSCON` report line naming the password, as the parser's
        // Debug output hides it.
        assert_eq!(
            r(b"\r\n+FTPSCON:\r\nPASSWORD: hunter2\r\nuser: xs\r\n"),
            b"\r\n+FTPSCON:\r\nPASSWORD: <redacted>\r\nuser: xs\r\n"
        );
        // A password that starts with `?` is still a password.
        assert_eq!(r(b"AT+FTPPW=?x\r"), b"AT+FTPPW=<redacted>\r");
        // Redacting twice changes nothing.
        let once = r(b"AT+FTPPW=1\r\npw: 2\r\n");
        assert_eq!(r(&once), once);
    }

    fn in_pieces(mut redactor: Redactor, stream: &[u8], cut: &[usize]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut at = 0;
        for &c in cut.iter().chain(std::iter::once(&stream.len())) {
            out.extend(redactor.push(&stream[at..c]));
            at = c;
        }
        out
    }

    #[test]
    fn hides_a_password_however_cut() {
        let stream = b"AT+FTPPW=hunter2\r\r\nOK\r\n+FTPPW: hunter2\r\nPASSWORD: hunter2\r\n\
                       +FTPSCON: pw=hunter2\r\n";
        let whole = r(stream);
        for a in 0..stream.len() {
            for b in a..stream.len() {
                let out = in_pieces(Redactor::received(), stream, &[a, b]);
                assert!(
                    !out.windows(4).any(|w| w == b"hunt" || w == b"ter2"),
                    "{a} {b}: {}",
                    String::from_utf8_lossy(&out)
                );
                assert_eq!(out, whole, "{a} {b}");
            }
        }
    }

    #[test]
    fn hides_a_password_line_a_listing_cuts_however_cut() {
        // The listing's count ends it inside `+FTPPW: `: the value after
        // it is read with the label, on the modem's side.
        let list = b"\r\n+FTPLIST:1,29\r\n-rw 1 a\r\nAT+FTPPW=x\r\n+FTPPW: hunter2\r\nOK\r\n";
        for a in 0..=list.len() {
            for b in a..=list.len() {
                let out = in_pieces(Redactor::received(), list, &[a, b]);
                assert_eq!(
                    String::from_utf8_lossy(&out),
                    "\r\n+FTPLIST:1,29\r\n-rw 1 a\r\nAT+FTPPW=x\r\n+FTPPW: <redacted>\r\nOK\r\n",
                    "cut at {a} {b}"
                );
            }
        }
    }

    #[test]
    fn a_chunk_ending_in_a_label_leaves_the_next_command_alone() {
        let put = b"AT+FTPPUT=10,password: AT+FTPPUT=7,hunter2AT+FTPPUT=0\r";
        for a in 0..=put.len() {
            let out = in_pieces(Redactor::sent(), put, &[a]);
            assert_eq!(out, put, "cut at {a}");
        }
    }

    #[test]
    fn leaves_payloads_alone_however_cut() {
        let data = b"AT+FTPPW=x\rpw=abc\nPASSWORD: y";
        let put = [b"AT+FTPPUT=29,".as_slice(), data, b"AT+FTPPW=s\r"].concat();
        let get = [
            b"\r\n+FTPGET:29,".as_slice(),
            data,
            b"\r\nOK\r\n+FTPPW: s\r\n",
        ]
        .concat();
        let list = [
            b"\r\n+FTPLIST:1,31\r\n".as_slice(),
            data,
            b"\r\n\r\nOK\r\nPW: s\r\n",
        ]
        .concat();
        for (stream, new) in [
            (&put, Redactor::sent as fn() -> Redactor),
            (&get, Redactor::received),
            (&list, Redactor::received),
        ] {
            let want = String::from_utf8_lossy(stream).replace("s\r", "<redacted>\r");
            for a in 0..=stream.len() {
                let out = in_pieces(new(), stream, &[a]);
                assert_eq!(String::from_utf8_lossy(&out), want, "cut at {a}");
            }
        }
    }
}
