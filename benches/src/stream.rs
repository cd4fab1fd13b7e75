//! Deterministic modem-to-host streams and their ground truth.
//!
//! Each generator plays a modem answering a long FTP session and writes
//! every line the way a modem frames it, `\r\n<line>\r\n`, while recording
//! the [`Item`] a correct decoder must return for it:
//!
//! - [`stream_a`]: text only: `OK`, `ERROR`, `+CME ERROR: <n>`, answers to
//!   queries and tests, `+FTPSERV:<code>`, directory listings of 1 to 20
//!   unix or DOS lines, URCs and `AT+FTPSCON` reports;
//! - [`stream_b`]: A plus downloads: one to three `+FTPGET:<n>,<data>`
//!   chunks of 64 to 1460 random bytes, then `OK`;
//! - [`stream_c`]: B where the payloads are built to mislead a line-based
//!   reader (`\r\nOK\r\n`, `\r\nERROR\r\n`, `>`, `@`, NUL, 0x1A, stray line
//!   ends and headers inside) and reach three times `MAX_FRAGMENT`, and
//!   where headers come with the spaces and case the spec tolerates.

use core::fmt;

use cellftp_proto::{CommandName, MAX_FRAGMENT};

use crate::Rng;

/// The default stream length: 4 MiB (the generators stop at the first
/// exchange that reaches it).
pub const STREAM_LEN: usize = 4 << 20;

/// A generated stream: its bytes and the items they must decode to.
#[derive(Clone)]
pub struct Stream {
    /// What the modem sends.
    pub bytes: Vec<u8>,
    /// What a correct decoder returns, in order; payloads reassembled.
    pub items: Vec<Item>,
    /// Where in `bytes` each item's exchange line starts (its leading line
    /// end included), for pointing at a failure.
    pub offsets: Vec<usize>,
}

impl fmt::Debug for Stream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stream")
            .field("bytes", &self.bytes.len())
            .field("items", &self.items.len())
            .finish()
    }
}

/// One decoded item in an owned form, comparable across read sizes.
///
/// A `+FTPGET` chunk longer than `MAX_FRAGMENT` is one [`Item::FtpGet`]
/// holding the whole chunk: the decoder's first fragment and its
/// continuations, reassembled.
#[derive(Clone, PartialEq, Eq)]
pub enum Item {
    /// `OK`.
    Ok,
    /// `ERROR`.
    Error,
    /// `+CME ERROR: <n>`.
    Cme(u16),
    /// `+CME ERROR: <text>`.
    CmeText(Vec<u8>),
    /// `+CMS ERROR: <n>`.
    Cms(u16),
    /// `+CMS ERROR: <text>`.
    CmsText(Vec<u8>),
    /// `+FTPSERV:<code>`.
    ServResult(u16),
    /// `+<NAME>: <value>`.
    Info {
        /// The name the line carries.
        name: CommandName,
        /// The value, classified.
        value: Value,
    },
    /// A whole `+FTPGET:<len>,<data>` chunk.
    FtpGet(Vec<u8>),
    /// A continuation no `+FTPGET` chunk was waiting for.
    Continuation(Vec<u8>),
    /// `+FTPLIST:<mode>,<len>`.
    FtpList {
        /// The first field.
        mode: u32,
        /// The listing's length.
        len: u32,
    },
    /// One line of a listing.
    ListLine(Vec<u8>),
    /// An unsolicited result code.
    Urc(UrcItem),
    /// An echoed command, as its `Debug` form.
    Echo(String),
    /// Any other line, raw.
    Unknown(Vec<u8>),
    /// A piece of an overlong line.
    Overlong(Vec<u8>),
    /// A response kind this crate does not know yet, as its `Debug` form.
    Other(String),
}

/// The value of an information line.
#[derive(Clone, PartialEq, Eq)]
pub enum Value {
    /// Nothing after the name.
    Empty,
    /// A decimal number.
    Number(u32),
    /// `(…)`, without the parentheses.
    Range(Vec<u8>),
    /// `<…>`, without the brackets.
    Placeholder(Vec<u8>),
    /// Anything else.
    Text(Vec<u8>),
}

/// An unsolicited result code.
#[derive(Clone, PartialEq, Eq)]
pub enum UrcItem {
    /// `RDY`.
    Ready,
    /// `+CPIN: <state>`.
    Cpin(Vec<u8>),
    /// `+CFUN: <n>`.
    Cfun(u32),
    /// `... POWER DOWN`.
    PowerDown(Vec<u8>),
    /// `+CGEV: <event>`.
    Cgev(Vec<u8>),
    /// `+PDP: DEACT`.
    PdpDeact,
    /// A URC kind this crate does not know yet, as its `Debug` form.
    Other(String),
}

/// Bytes shown as an escaped string, long ones shortened.
pub(crate) struct Esc<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 48;
        let (head, cut) = match self.0.get(..SHOWN) {
            Some(head) if self.0.len() > SHOWN + 16 => (head, true),
            _ => (self.0, false),
        };
        write!(f, "b\"{}\"", head.escape_ascii())?;
        if cut {
            let tail = self.0.get(self.0.len() - 16..).unwrap_or_default();
            write!(f, "…b\"{}\" ({} bytes)", tail.escape_ascii(), self.0.len())?;
        }
        Ok(())
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Empty => f.write_str("Empty"),
            Value::Number(n) => write!(f, "Number({n})"),
            Value::Range(v) => write!(f, "Range({:?})", Esc(v)),
            Value::Placeholder(v) => write!(f, "Placeholder({:?})", Esc(v)),
            Value::Text(v) => write!(f, "Text({:?})", Esc(v)),
        }
    }
}

impl fmt::Debug for UrcItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrcItem::Ready => f.write_str("Ready"),
            UrcItem::Cpin(v) => write!(f, "Cpin({:?})", Esc(v)),
            UrcItem::Cfun(n) => write!(f, "Cfun({n})"),
            UrcItem::PowerDown(v) => write!(f, "PowerDown({:?})", Esc(v)),
            UrcItem::Cgev(v) => write!(f, "Cgev({:?})", Esc(v)),
            UrcItem::PdpDeact => f.write_str("PdpDeact"),
            UrcItem::Other(o) => write!(f, "Other({o})"),
        }
    }
}

impl fmt::Debug for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Ok => f.write_str("Ok"),
            Item::Error => f.write_str("Error"),
            Item::Cme(n) => write!(f, "Cme({n})"),
            Item::CmeText(t) => write!(f, "CmeText({:?})", Esc(t)),
            Item::Cms(n) => write!(f, "Cms({n})"),
            Item::CmsText(t) => write!(f, "CmsText({:?})", Esc(t)),
            Item::ServResult(n) => write!(f, "ServResult({n})"),
            Item::Info { name, value } => write!(f, "Info({name:?}, {value:?})"),
            Item::FtpGet(d) => write!(f, "FtpGet({:?})", Esc(d)),
            Item::Continuation(d) => write!(f, "Continuation({:?})", Esc(d)),
            Item::FtpList { mode, len } => write!(f, "FtpList({mode}, {len})"),
            Item::ListLine(l) => write!(f, "ListLine({:?})", Esc(l)),
            Item::Urc(u) => write!(f, "Urc({u:?})"),
            Item::Echo(e) => write!(f, "Echo({e})"),
            Item::Unknown(l) => write!(f, "Unknown({:?})", Esc(l)),
            Item::Overlong(l) => write!(f, "Overlong({:?})", Esc(l)),
            Item::Other(o) => write!(f, "Other({o})"),
        }
    }
}

/// Stream A: text responses only, about `len` bytes.
pub fn stream_a(len: usize) -> Stream {
    Gen::new(Kind::A, 0xA11C_E5ED_0000_000A).run(len)
}

/// Stream B: A plus `+FTPGET` chunks of 64 to 1460 random bytes, about
/// `len` bytes.
pub fn stream_b(len: usize) -> Stream {
    Gen::new(Kind::B, 0xB0B5_1DE0_0000_000B).run(len)
}

/// Stream C: B with payloads built to mislead, up to three times
/// `MAX_FRAGMENT` long, about `len` bytes.
pub fn stream_c(len: usize) -> Stream {
    Gen::new(Kind::C, 0xC0FF_EE00_0000_000C).run(len)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    A,
    B,
    C,
}

/// One kind of exchange: what the modem answers to one command.
#[derive(Debug, Clone, Copy)]
enum Exchange {
    Ok,
    Error,
    Cme,
    Query,
    Test,
    Serv,
    List,
    Urc,
    Scon,
    Get,
}

/// How often each exchange comes, per stream kind.
const fn weights(kind: Kind) -> &'static [(Exchange, u32)] {
    match kind {
        Kind::A => &[
            (Exchange::Ok, 30),
            (Exchange::Error, 3),
            (Exchange::Cme, 3),
            (Exchange::Query, 18),
            (Exchange::Test, 6),
            (Exchange::Serv, 6),
            (Exchange::List, 22),
            (Exchange::Urc, 6),
            (Exchange::Scon, 6),
        ],
        Kind::B | Kind::C => &[
            (Exchange::Ok, 30),
            (Exchange::Error, 3),
            (Exchange::Cme, 3),
            (Exchange::Query, 18),
            (Exchange::Test, 6),
            (Exchange::Serv, 6),
            (Exchange::List, 22),
            (Exchange::Urc, 6),
            (Exchange::Scon, 6),
            (Exchange::Get, 60),
        ],
    }
}

struct Gen {
    kind: Kind,
    rng: Rng,
    out: Vec<u8>,
    items: Vec<Item>,
    offsets: Vec<usize>,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const CME_CODES: [u16; 10] = [3, 4, 10, 13, 30, 50, 100, 148, 149, 603];

impl Gen {
    fn new(kind: Kind, seed: u64) -> Self {
        Self {
            kind,
            rng: Rng::new(seed),
            out: Vec::new(),
            items: Vec::new(),
            offsets: Vec::new(),
        }
    }

    fn run(mut self, len: usize) -> Stream {
        self.out.reserve(len + 8 * MAX_FRAGMENT);
        let table = weights(self.kind);
        let total: u32 = table.iter().map(|(_, w)| w).sum();
        while self.out.len() < len {
            let mut roll = (self.rng.next_u64() % u64::from(total)) as u32;
            let mut chosen = Exchange::Ok;
            for &(exchange, weight) in table {
                if roll < weight {
                    chosen = exchange;
                    break;
                }
                roll -= weight;
            }
            self.exchange(chosen);
        }
        Stream {
            bytes: self.out,
            items: self.items,
            offsets: self.offsets,
        }
    }

    /// `\r\n<text>\r\n`, decoded as `item`.
    fn line(&mut self, text: &[u8], item: Item) {
        self.offsets.push(self.out.len());
        self.out.extend_from_slice(b"\r\n");
        self.out.extend_from_slice(text);
        self.out.extend_from_slice(b"\r\n");
        self.items.push(item);
    }

    fn ok(&mut self) {
        self.line(b"OK", Item::Ok);
    }

    fn info(&mut self, text: String, name: CommandName, value: Value) {
        self.line(text.as_bytes(), Item::Info { name, value });
    }

    fn exchange(&mut self, exchange: Exchange) {
        match exchange {
            Exchange::Ok => self.ok(),
            Exchange::Error => self.line(b"ERROR", Item::Error),
            Exchange::Cme => {
                let code = self.rng.pick(&CME_CODES).copied().unwrap_or(100);
                if self.rng.chance(20) {
                    let code = code + 300;
                    self.line(format!("+CMS ERROR: {code}").as_bytes(), Item::Cms(code));
                } else {
                    self.line(format!("+CME ERROR: {code}").as_bytes(), Item::Cme(code));
                }
            }
            Exchange::Query => {
                self.query();
                self.ok();
            }
            Exchange::Test => {
                self.test();
                self.ok();
            }
            Exchange::Serv => {
                let code = if self.rng.chance(90) {
                    0
                } else {
                    self.rng.range(1, 5) as u16
                };
                self.line(
                    format!("+FTPSERV:{code}").as_bytes(),
                    Item::ServResult(code),
                );
                self.ok();
            }
            Exchange::List => self.listing(),
            Exchange::Urc => self.urc(),
            Exchange::Scon => self.scon(),
            Exchange::Get => self.download(),
        }
    }

    fn word(&mut self, min: usize, max: usize) -> String {
        const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
        let n = self.rng.range(min, max);
        (0..n)
            .map(|_| char::from(*self.rng.pick(LETTERS).unwrap_or(&b'x')))
            .collect()
    }

    fn file_name(&mut self) -> String {
        const EXT: [&str; 6] = ["txt", "bin", "log", "csv", "tar.gz", "json"];
        let stem = self.word(1, 12);
        let n = self.rng.range(0, 999);
        let ext = self.rng.pick(&EXT).copied().unwrap_or("txt");
        format!("{stem}{n}.{ext}")
    }

    fn address(&mut self) -> String {
        let a = self.rng.range(1, 223);
        let b = self.rng.range(0, 255);
        let c = self.rng.range(0, 255);
        let d = self.rng.range(1, 254);
        format!("{a}.{b}.{c}.{d}")
    }

    /// An answer to a query (`AT+FTPMODE?` …).
    fn query(&mut self) {
        match self.rng.range(0, 9) {
            0 => {
                let m = self.rng.range(0, 1) as u32;
                self.info(
                    format!("+FTPMODE: {m}"),
                    CommandName::FtpMode,
                    Value::Number(m),
                );
            }
            1 => {
                let t = if self.rng.chance(50) { "I" } else { "A" };
                self.info(
                    format!("+FTPTYPE: {t}"),
                    CommandName::FtpType,
                    Value::Text(t.into()),
                );
            }
            2 => {
                let p = self.rng.range(1, 65535) as u32;
                self.info(
                    format!("+FTPPORT: {p}"),
                    CommandName::FtpPort,
                    Value::Number(p),
                );
            }
            3 => {
                let ip = self.address();
                let text = if self.rng.chance(50) {
                    format!("+FTPSERV: {ip}")
                } else {
                    format!("+FTPSERV:{ip}")
                };
                self.info(text, CommandName::FtpServ, Value::Text(ip.into()));
            }
            4 => {
                let user = self.word(2, 16);
                self.info(
                    format!("+FTPUN: {user}"),
                    CommandName::FtpUn,
                    Value::Text(user.into()),
                );
            }
            5 => {
                let name = self.file_name();
                self.info(
                    format!("+FTPGETNAME:{name}"),
                    CommandName::FtpGetName,
                    Value::Text(name.into()),
                );
            }
            6 => {
                let name = self.file_name();
                self.info(
                    format!("+FTPPUTNAME: {name}"),
                    CommandName::FtpPutName,
                    Value::Text(name.into()),
                );
            }
            7 => {
                let dir = format!("/{}/{}", self.word(1, 10), self.word(1, 10));
                self.info(
                    format!("+FTPPATH: {dir}"),
                    CommandName::FtpPath,
                    Value::Text(dir.into()),
                );
            }
            8 => {
                let n = self.rng.range(0, 1 << 20) as u32;
                self.info(
                    format!("+FTPRESET:{n}"),
                    CommandName::FtpReset,
                    Value::Number(n),
                );
            }
            _ => {
                let cid = self.rng.range(1, 3);
                self.info(
                    format!("+CGACT: 1,{cid}"),
                    CommandName::Cgact,
                    Value::Text(format!("1,{cid}").into()),
                );
            }
        }
    }

    /// An answer to a test command (`AT+FTPMODE=?` …).
    fn test(&mut self) {
        let (text, name, value) = match self.rng.range(0, 6) {
            0 => (
                "+FTPMODE: (0-1)",
                CommandName::FtpMode,
                Value::Range(b"0-1".to_vec()),
            ),
            1 => (
                "+FTPTYPE: (I/A)",
                CommandName::FtpType,
                Value::Range(b"I/A".to_vec()),
            ),
            2 => (
                "+FTPPORT: (1-65535)",
                CommandName::FtpPort,
                Value::Range(b"1-65535".to_vec()),
            ),
            3 => (
                "+FTPUN: <username>",
                CommandName::FtpUn,
                Value::Placeholder(b"username".to_vec()),
            ),
            4 => (
                "+FTPPW: <password>",
                CommandName::FtpPw,
                Value::Placeholder(b"password".to_vec()),
            ),
            5 => ("+FTPGET", CommandName::FtpGet, Value::Empty),
            _ => ("+FTPLIST", CommandName::FtpList, Value::Empty),
        };
        self.info(text.into(), name, value);
    }

    fn urc(&mut self) {
        let (text, urc): (&[u8], UrcItem) = match self.rng.range(0, 5) {
            0 => (b"RDY", UrcItem::Ready),
            1 => (b"+CPIN: READY", UrcItem::Cpin(b"READY".to_vec())),
            2 => (b"+CFUN: 1", UrcItem::Cfun(1)),
            3 => (b"+PDP: DEACT", UrcItem::PdpDeact),
            4 => (
                b"+CGEV: NW DEACT \"IP\",\"10.0.0.1\",1",
                UrcItem::Cgev(b"NW DEACT \"IP\",\"10.0.0.1\",1".to_vec()),
            ),
            _ => (
                b"NORMAL POWER DOWN",
                UrcItem::PowerDown(b"NORMAL POWER DOWN".to_vec()),
            ),
        };
        self.line(text, Item::Urc(urc));
    }

    /// `AT+FTPSCON`: a header, free-form lines, `OK`.
    fn scon(&mut self) {
        self.info("+FTPSCON:".into(), CommandName::FtpScon, Value::Empty);
        let ip = self.address();
        let user = self.word(2, 10);
        let port = self.rng.range(1, 65535);
        let lines = [
            format!("server: {ip}"),
            format!("port: {port}"),
            "mode: passive".to_owned(),
            "type: binary".to_owned(),
            format!("user: {user}"),
            format!("path: /{}", self.word(1, 8)),
        ];
        for l in lines {
            self.line(l.as_bytes(), Item::Unknown(l.clone().into_bytes()));
        }
        self.ok();
    }

    fn listing_line(&mut self) -> String {
        match self.rng.range(0, 19) {
            0 => format!("total {}", self.rng.range(0, 9999)),
            1..=6 => {
                let (m, d, y) = (
                    self.rng.range(1, 12),
                    self.rng.range(1, 28),
                    self.rng.range(0, 99),
                );
                let (h, mi) = (self.rng.range(1, 12), self.rng.range(0, 59));
                let ampm = if self.rng.chance(50) { "AM" } else { "PM" };
                let what = if self.rng.chance(30) {
                    "<DIR>".to_owned()
                } else {
                    self.rng.range(0, 1 << 24).to_string()
                };
                let name = self.file_name();
                format!("{m:02}-{d:02}-{y:02}  {h:02}:{mi:02}{ampm}  {what:>10} {name}")
            }
            _ => {
                let kind = match self.rng.range(0, 9) {
                    0..=1 => 'd',
                    2 => 'l',
                    _ => '-',
                };
                let perms: String = "rwxrwxrwx"
                    .chars()
                    .map(|c| if self.rng.chance(70) { c } else { '-' })
                    .collect();
                let links = self.rng.range(1, 40);
                let owner = self.word(2, 8);
                let group = self.word(2, 8);
                let size = self.rng.range(0, 1 << 30);
                let month = self.rng.pick(&MONTHS).copied().unwrap_or("Sep");
                let day = self.rng.range(1, 31);
                let when = if self.rng.chance(60) {
                    format!("{:02}:{:02}", self.rng.range(0, 23), self.rng.range(0, 59))
                } else {
                    format!("{}", self.rng.range(1990, 2030))
                };
                let mut name = self.file_name();
                if kind == 'l' {
                    name = format!("{name} -> {}", self.file_name());
                }
                format!("{kind}{perms} {links:>3} {owner} {group} {size:>10} {month} {day:>2} {when:>5} {name}")
            }
        }
    }

    /// `AT+FTPLIST`: `+FTPLIST:1,<len>`, the lines, `OK`.
    fn listing(&mut self) {
        let n = self.rng.range(1, 20);
        let lines: Vec<String> = (0..n).map(|_| self.listing_line()).collect();
        let mut payload = lines.join("\r\n").into_bytes();
        // The manual's count excludes the last CR LF; a count that includes
        // it is read the same way.
        if self.rng.chance(30) {
            payload.extend_from_slice(b"\r\n");
        }
        let len = payload.len() as u32;
        self.line(
            format!("+FTPLIST:1,{len}").as_bytes(),
            Item::FtpList { mode: 1, len },
        );
        let mut at = self.out.len();
        for l in lines {
            self.offsets.push(at);
            at += l.len() + 2;
            self.items.push(Item::ListLine(l.into_bytes()));
        }
        self.out.extend_from_slice(&payload);
        self.ok();
    }

    /// `AT+FTPGET`: one to three chunks, `OK`.
    fn download(&mut self) {
        let chunks = self.rng.range(1, 3);
        for _ in 0..chunks {
            let data = match self.kind {
                Kind::C => self.tricky_payload(),
                _ => {
                    let n = self.rng.range(64, 1460);
                    let mut d = Vec::with_capacity(n);
                    self.rng.fill(&mut d, n);
                    d
                }
            };
            let header = match self.kind {
                Kind::C if self.rng.chance(10) => format!("+ FTPGET : {} ,", data.len()),
                Kind::C if self.rng.chance(10) => format!("+ftpget:{},", data.len()),
                _ => format!("+FTPGET:{},", data.len()),
            };
            let end: &[u8] = match self.kind {
                Kind::C => match self.rng.range(0, 9) {
                    0 => b"",
                    1 => b"\n",
                    2 => b"\r",
                    _ => b"\r\n",
                },
                _ => b"\r\n",
            };
            self.offsets.push(self.out.len());
            self.out.extend_from_slice(b"\r\n");
            self.out.extend_from_slice(header.as_bytes());
            self.out.extend_from_slice(&data);
            self.out.extend_from_slice(end);
            self.items.push(Item::FtpGet(data));
        }
        self.ok();
    }

    /// A payload made of random runs and of byte sequences that a reader
    /// looking for line ends or final results would act on.
    fn tricky_payload(&mut self) -> Vec<u8> {
        const TRAPS: [&[u8]; 14] = [
            b"\r\nOK\r\n",
            b"\r\nERROR\r\n",
            b">",
            b"@",
            b"\0",
            b"\x1a",
            b"\r\n> ",
            b"\r\n+FTPGET:5,",
            b"\r\n+CME ERROR: 3\r\n",
            b"+FTPLIST:1,10\r\n",
            b"\r",
            b"\n",
            b"OK",
            b"\r\nRDY\r\n",
        ];
        const F: usize = MAX_FRAGMENT;
        let len = match self.rng.range(0, 19) {
            0 => 0,
            1 => 1,
            2 => F - 1,
            3 => F,
            4 => F + 1,
            5 => 2 * F,
            6 => 2 * F + 1,
            7 => 3 * F,
            8..=11 => self.rng.range(2, 3 * F),
            _ => self.rng.range(64, 1460),
        };
        let mut data = Vec::with_capacity(len + 32);
        while data.len() < len {
            if self.rng.chance(40) {
                let trap = self.rng.pick(&TRAPS).copied().unwrap_or(b">");
                data.extend_from_slice(trap);
            } else {
                let run = self.rng.range(1, 200);
                self.rng.fill(&mut data, run);
            }
        }
        // Start with a trap now and then: the first byte after the comma is
        // data, whatever it is.
        if len > 8 && self.rng.chance(20) {
            let trap = self.rng.pick(&TRAPS).copied().unwrap_or(b"\r\n");
            let n = trap.len().min(len);
            data.splice(0..n, trap.iter().copied().take(n));
        }
        data.truncate(len);
        data
    }
}
