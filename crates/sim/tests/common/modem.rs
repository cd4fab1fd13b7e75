//! Shared by the modem's unit tests: a host that drives the sans-IO
//! [`Modem`] byte by byte or whole, answers its FTP operations with canned
//! results, and reads what it says with proto's `ResponseDecoder`.

use std::time::Duration;

use cellftp_proto::{Decoded, Response, ResponseDecoder};
use cellftp_sim::{FtpBackend, FtpOp, FtpResult, Modem, ModemConfig};

/// The file every canned get reads.
pub const FILE: &[u8] = b"12345";

/// The listing every canned list returns.
pub const LISTING: &[u8] = b"-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt";

/// Canned answers: every operation succeeds; a get returns [`FILE`] from
/// its offset, a list [`LISTING`], each cut where a `drop-data` fault says.
pub fn succeed(op: &FtpOp) -> Option<FtpResult> {
    let cut = |data: &[u8], drop_after: Option<u64>| match drop_after {
        Some(n) if (n as usize) < data.len() => FtpResult::Failed {
            partial: data[..n as usize].to_vec(),
        },
        _ => FtpResult::Data(data.to_vec()),
    };
    Some(match op {
        FtpOp::Reset => return None,
        FtpOp::Get {
            offset, drop_after, ..
        } => cut(
            FILE.get(*offset as usize..).unwrap_or_default(),
            *drop_after,
        ),
        FtpOp::List { drop_after, .. } => cut(LISTING, *drop_after),
        FtpOp::PutData {
            drop_after: Some(_),
            ..
        } => FtpResult::Failed {
            partial: Vec::new(),
        },
        FtpOp::Size { .. } => FtpResult::Size(FILE.len() as u64),
        _ => FtpResult::Done,
    })
}

/// The host side of a modem under test.
pub struct Host {
    pub modem: Modem,
    pub now: Duration,
    /// Every operation the modem asked for, in order.
    pub ops: Vec<FtpOp>,
    answer: Box<Answer>,
}

/// How a test answers the modem's operations.
pub type Answer = dyn FnMut(&FtpOp) -> Option<FtpResult>;

impl Host {
    /// A modem built from `config`, whose operations all succeed.
    pub fn new(config: ModemConfig) -> Self {
        Self::answering(config, succeed)
    }

    /// A modem whose operations are answered by `answer`.
    pub fn answering(
        config: ModemConfig,
        answer: impl FnMut(&FtpOp) -> Option<FtpResult> + 'static,
    ) -> Self {
        Self {
            modem: Modem::new(config),
            now: Duration::ZERO,
            ops: Vec::new(),
            answer: Box::new(answer),
        }
    }

    /// A modem whose operations are carried out by `backend` against a
    /// real server.
    pub fn backed(config: ModemConfig, mut backend: FtpBackend) -> Self {
        Self::answering(config, move |op| backend.execute(op.clone()))
    }

    /// A modem with echo off and an active PDP context.
    pub fn quiet() -> Self {
        Self::new(ModemConfig {
            echo: false,
            pdp_active: true,
            ..ModemConfig::default()
        })
    }

    /// Sends `bytes` whole; everything the modem says in return.
    pub fn send(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut input = bytes;
        while !input.is_empty() {
            let n = self.modem.handle_input(self.now, input);
            assert!(n > 0, "the modem took nothing");
            input = &input[n..];
            self.pump(&mut out);
        }
        self.pump(&mut out);
        out
    }

    /// Sends `bytes` one byte at a time.
    pub fn send_bytewise(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for b in bytes {
            out.extend(self.send(std::slice::from_ref(b)));
        }
        out
    }

    /// Lets `d` pass; what the modem says meanwhile.
    pub fn advance(&mut self, d: Duration) -> Vec<u8> {
        self.now += d;
        self.modem.handle_timeout(self.now);
        let mut out = Vec::new();
        self.pump(&mut out);
        out
    }

    /// Carries out the modem's operations and collects its output.
    fn pump(&mut self, out: &mut Vec<u8>) {
        loop {
            while let Some(op) = self.modem.poll_ftp() {
                self.ops.push(op.clone());
                if let Some(result) = (self.answer)(&op) {
                    self.modem.handle_ftp_result(self.now, result);
                }
            }
            match self.modem.poll_output() {
                Some(bytes) => out.extend_from_slice(&bytes),
                None => break,
            }
        }
    }

    /// Brings the modem to a logged-in FTP connection (echo off first).
    pub fn logged_in() -> Self {
        let mut host = Self::quiet();
        let out = host.send(b"AT+FTPSERV=127.0.0.1\rAT+FTPUN=u\rAT+FTPPW=secret-pw\r");
        assert_eq!(
            items(&out),
            [
                Response::ServResult(cellftp_proto::ServCode::Success),
                Response::Ok,
                Response::Ok,
                Response::Ok
            ]
        );
        host
    }
}

/// Everything in `bytes`, as the host's decoder reads it; panics if the
/// bytes end inside an item.
pub fn items(bytes: &[u8]) -> Vec<Response<'_>> {
    let mut decoder = ResponseDecoder::new();
    let mut rest = bytes;
    let mut v = Vec::new();
    loop {
        match decoder.decode(rest) {
            Decoded::Item { item, consumed } => {
                v.push(item);
                rest = &rest[consumed..];
            }
            Decoded::NeedMore { consumed } => {
                rest = &rest[consumed..];
                assert!(
                    rest.is_empty(),
                    "the output ends inside an item: {:?}",
                    rest.escape_ascii().to_string()
                );
                return v;
            }
        }
    }
}
