//! Stream S: a SIMCom modem's side of long downloads (`SPEC-simcom.md`
//! §4.2), with its ground truth, and the decoding loop that reads it.
//!
//! [`stream_s`] plays a SIM800 answering get, list and put operations:
//! `OK`, `ERROR`, the operations' URCs (`+FTPGET: 1,1`, `+FTPGET: 1,0`,
//! `+FTPPUT: 1,1,1360`, `+FTPGET: 1,79`, …), `+FTPPUT: 2,<cnf>` headers,
//! and mostly reads: `+FTPGET: 2,<n>` (or `+FTPLIST: 2,<n>`), exactly `<n>`
//! bytes of 0 to 1460 (random, or built to mislead a line reader with
//! `\r\nOK\r\n`, URC text and NUL), CR LF, `OK`. [`decode_simcom`] reads a
//! stream with `cellftp_proto::simcom::ResponseDecoder` in reads of a given
//! size through a [`crate::BUF_LEN`] buffer, joining each payload's fragments.

use cellftp_proto::simcom::{Op, OpStatus, ReadOp, Response, ResponseDecoder, SimcomFtpError, Urc};

use crate::drive::{feed, DecodeError};
use crate::Rng;

/// One item of stream S, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimcomItem {
    /// `OK`.
    Ok,
    /// `ERROR`.
    Error,
    /// `+FTPGET: 2,<n>` (get) or `+FTPLIST: 2,<n>`.
    ReadHeader {
        /// True for `+FTPGET`.
        get: bool,
        /// The confirmed length.
        len: u32,
    },
    /// A whole payload, its fragments joined.
    Data(Vec<u8>),
    /// `+FTPPUT: 2,<cnf>`.
    PutHeader(u32),
    /// An unsolicited result code.
    Urc(Urc),
    /// Any other item, as its `Debug` form.
    Other(String),
}

/// Stream S and what it decodes to.
#[derive(Debug, Clone)]
pub struct SimcomStream {
    /// What the modem sends.
    pub bytes: Vec<u8>,
    /// What a correct decoder returns, in order.
    pub items: Vec<SimcomItem>,
}

/// Stream S of at least `len` bytes (it stops at the first exchange that
/// reaches it); the same `len` always gives the same stream, and a shorter
/// one is a prefix of a longer one.
pub fn stream_s(len: usize) -> SimcomStream {
    let mut rng = Rng::new(0x5133_c0de);
    let mut s = SimcomStream {
        bytes: Vec::with_capacity(len + 2048),
        items: Vec::new(),
    };
    let line = |s: &mut SimcomStream, text: &str, item: SimcomItem| {
        s.bytes.extend_from_slice(b"\r\n");
        s.bytes.extend_from_slice(text.as_bytes());
        s.bytes.extend_from_slice(b"\r\n");
        s.items.push(item);
    };
    let urc = |op: Op, status: OpStatus| SimcomItem::Urc(Urc::Ftp { op, status });
    while s.bytes.len() < len {
        match rng.range(0, 19) {
            0 => line(&mut s, "OK", SimcomItem::Ok),
            1 => line(&mut s, "ERROR", SimcomItem::Error),
            2 => line(&mut s, "+FTPGET: 1,1", urc(Op::Get, OpStatus::Open)),
            3 => line(&mut s, "+FTPGET: 1,0", urc(Op::Get, OpStatus::Done)),
            4 => line(
                &mut s,
                "+FTPGET: 1,79",
                urc(Op::Get, OpStatus::Failed(SimcomFtpError::Download)),
            ),
            5 => line(
                &mut s,
                "+FTPPUT: 1,1,1360",
                urc(Op::Put, OpStatus::PutReady { max: 1360 }),
            ),
            6 => {
                let cnf = rng.range(1, 1360) as u32;
                line(
                    &mut s,
                    &format!("+FTPPUT: 2,{cnf}"),
                    SimcomItem::PutHeader(cnf),
                );
            }
            n => {
                let get = n != 7;
                let size = if rng.chance(10) {
                    0
                } else {
                    rng.range(1, 1460)
                };
                let payload = payload(&mut rng, size);
                let name = if get { "+FTPGET" } else { "+FTPLIST" };
                line(
                    &mut s,
                    &format!("{name}: 2,{size}"),
                    SimcomItem::ReadHeader {
                        get,
                        len: size as u32,
                    },
                );
                // The header's line end was written by `line`; the payload
                // follows it at once.
                if size > 0 {
                    s.bytes.truncate(s.bytes.len() - 2);
                    s.bytes.extend_from_slice(b"\r\n");
                    s.bytes.extend_from_slice(&payload);
                    s.items.push(SimcomItem::Data(payload));
                }
                line(&mut s, "OK", SimcomItem::Ok);
            }
        }
    }
    s
}

/// `size` payload bytes: random, or made of what a line reader would stop
/// at.
fn payload(rng: &mut Rng, size: usize) -> Vec<u8> {
    const TRAPS: [&[u8]; 6] = [
        b"\r\nOK\r\n",
        b"\r\nERROR\r\n",
        b"+FTPGET: 1,0\r\n",
        b"\r\n+FTPGET: 2,10\r\n",
        b"\0",
        b"\r",
    ];
    let tricky = rng.chance(30);
    let mut v = Vec::with_capacity(size);
    while v.len() < size {
        if tricky && rng.chance(20) {
            let trap = TRAPS
                .get(rng.range(0, TRAPS.len() - 1))
                .copied()
                .unwrap_or_default();
            v.extend_from_slice(trap);
        } else {
            v.push(rng.next_u64() as u8);
        }
    }
    v.truncate(size);
    v
}

/// Turns decoded responses into [`SimcomItem`]s, joining each payload's
/// fragments.
#[derive(Debug, Default)]
pub struct SimcomCollector {
    /// The items so far.
    pub items: Vec<SimcomItem>,
    /// Payload bytes still to come.
    left: usize,
}

impl SimcomCollector {
    /// Takes one response.
    pub fn push(&mut self, r: Response<'_>) {
        if let Response::Data(d) = r {
            match self.items.last_mut() {
                Some(SimcomItem::Data(data)) if self.left > 0 => data.extend_from_slice(d),
                _ => self.items.push(SimcomItem::Data(d.to_vec())),
            }
            self.left = self.left.saturating_sub(d.len());
            return;
        }
        let item = match r {
            Response::Ok => SimcomItem::Ok,
            Response::Error => SimcomItem::Error,
            Response::ReadHeader { op, len } => {
                // The next `Data` items make up one payload.
                self.items.push(SimcomItem::ReadHeader {
                    get: op == ReadOp::Get,
                    len,
                });
                self.left = len as usize;
                if len > 0 {
                    self.items
                        .push(SimcomItem::Data(Vec::with_capacity(len as usize)));
                }
                return;
            }
            Response::PutHeader { cnf } => SimcomItem::PutHeader(cnf),
            Response::Urc(u) => SimcomItem::Urc(u),
            other => SimcomItem::Other(format!("{other:?}")),
        };
        self.items.push(item);
    }
}

/// Decodes `bytes` in reads of `read` bytes (`usize::MAX`: one read)
/// through a [`crate::BUF_LEN`] buffer ([`feed`]), calling `f` with each response; returns
/// the bytes left unconsumed at the end. Allocates nothing.
pub fn decode_simcom_with<F>(bytes: &[u8], read: usize, f: F) -> Result<usize, DecodeError>
where
    F: FnMut(Response<'_>),
{
    feed(ResponseDecoder::new(), bytes, read, f)
}

/// Decodes `bytes` in reads of `read` bytes into owned items; also returns
/// the bytes left unconsumed.
pub fn decode_simcom(bytes: &[u8], read: usize) -> Result<(Vec<SimcomItem>, usize), DecodeError> {
    let mut c = SimcomCollector::default();
    let left = decode_simcom_with(bytes, read, |r| c.push(r))?;
    Ok((c.items, left))
}
