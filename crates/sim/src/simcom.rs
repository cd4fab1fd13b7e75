//! The SIMCom dialect's modem side (`SPEC-simcom.md`) as a sans-IO state
//! machine, driven exactly as [`crate::Modem`] is.
//!
//! [`SimcomModem`] reads the host's command lines (its own small parser:
//! `cellftp-proto` has no SIMCom command decoder), answers the local
//! settings and the `AT+SAPBR` bearer at once, and runs each operation the
//! URC-driven way of the spec's §4: `OK` first, then [`FtpOp`]s against the
//! server (connect, log in, the operation, quit: every operation is a whole
//! FTP session on the modem's side), then the operation's URCs.
//!
//! - Get and list: the server's bytes are kept in the modem's buffer and
//!   announced with `+FTPGET: 1,1` (`+FTPLIST: 1,1`); `AT+FTPGET=2,<n>`
//!   answers `+FTPGET: 2,<cnf>`, exactly `<cnf>` raw bytes, CR LF, `OK`;
//!   the read that empties the buffer is followed by `+FTPGET: 1,0`, and
//!   later reads answer `+FTPGET: 2,0`. `AT+FTPREST` is the `REST` offset.
//! - Put: `AT+FTPPUT=1` answers `OK`, then `+FTPPUT: 1,1,<maxlength>`;
//!   `AT+FTPPUT=2,<n>` answers `+FTPPUT: 2,<cnf>` and takes exactly `<cnf>`
//!   raw bytes, then `OK` and the next credit; `AT+FTPPUT=2,0` answers `OK`
//!   and, once the server has the file, `+FTPPUT: 1,0`.
//! - `AT+FTPMKD`, `AT+FTPRMD`, `AT+FTPDELE`, `AT+FTPSIZE` act on
//!   `AT+FTPGETPATH` (and `AT+FTPGETNAME`), `AT+FTPSTATE` and
//!   `AT+FTPQUIT` as §3.19 and §4.6 say.
//! - Error codes (§7): 61 when the bearer of `AT+FTPCID` is not open, 62
//!   for a server name that does not resolve, 63 when the connection
//!   fails, 72 when the login is refused, 66 for an operation started while
//!   one runs, 77 when the server refuses the operation (a file not
//!   found, a directory that exists), 78 and 79 when an upload or a
//!   download breaks after data moved, 86 after `AT+FTPQUIT`.
//!
//! Not simulated: the faults of [`crate::fault`] (the `cellftp sim`
//! command refuses them for this dialect), `AT+FTPPUTOPT` values other
//! than `"STOR"` (answered `ERROR`), ASCII conversion in listings, and the
//! SIM7080 `AT+CNACT` bearer.

use core::time::Duration;
use std::collections::VecDeque;

use cellftp_proto::{Mode, ServCode, TransferType};

use crate::modem::ModemConfig;
use crate::op::{FtpOp, FtpResult};

/// The `<maxlength>` of every `+FTPPUT: 1,1,<maxlength>` credit: SIM800's
/// usual 1360 bytes.
pub const MAX_LENGTH: u32 = 1360;

/// The longest command line read; a longer one is answered `ERROR`.
const MAX_LINE: usize = 600;

/// Host bytes kept while the modem is busy (as [`crate::RX_LIMIT`]).
const RX_LIMIT: usize = crate::modem::RX_LIMIT;

/// The operations of the dialect, by the name of their URCs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpName {
    Get,
    List,
    Put,
    Mkd,
    Rmd,
    Dele,
    Size,
}

impl OpName {
    fn urc(self) -> &'static str {
        match self {
            OpName::Get => "+FTPGET",
            OpName::List => "+FTPLIST",
            OpName::Put => "+FTPPUT",
            OpName::Mkd => "+FTPMKD",
            OpName::Rmd => "+FTPRMD",
            OpName::Dele => "+FTPDELE",
            OpName::Size => "+FTPSIZE",
        }
    }

    /// The ending URC of a failure with `code`.
    fn failure(self, code: u16) -> String {
        match self {
            OpName::Size => format!("{}: 1,{code},0", self.urc()),
            _ => format!("{}: 1,{code}", self.urc()),
        }
    }
}

/// The settings the FTP commands store (`SPEC-simcom.md` §3.3 to §3.12).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Settings {
    cid: u8,
    server: Option<String>,
    port: u16,
    user: Option<String>,
    password: Option<String>,
    mode: Mode,
    transfer_type: TransferType,
    rest: u32,
    get_path: Option<String>,
    get_name: Option<String>,
    put_path: Option<String>,
    put_name: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            cid: 1,
            server: None,
            port: 21,
            user: None,
            password: None,
            mode: Mode::Active,
            transfer_type: TransferType::Binary,
            rest: 0,
            get_path: None,
            get_name: None,
            put_path: None,
            put_name: None,
        }
    }
}

/// What the result of the operation out is for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    /// The connect before `op`'s work, then the login.
    Connect(OpName, Box<FtpOp>),
    /// The login before `op`'s work.
    Login(OpName, Box<FtpOp>),
    /// The operation itself.
    Work(OpName),
    /// One upload chunk of `cnf` bytes.
    Chunk,
    /// The end of the upload.
    PutEnd,
    /// The quit after an operation's work. `Some(urc)`: the operation ends
    /// with that URC line (none when empty); `None`: it still runs (its
    /// data waits in the modem's buffer).
    Quit(Option<String>),
}

/// What the modem does with the host's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// Reads command lines.
    Lines,
    /// Takes the raw bytes owed after `+FTPPUT: 2,<cnf>`.
    PutBytes { remaining: usize, data: Vec<u8> },
    /// Waits for the result of the [`FtpOp`] out.
    Waiting(Pending),
}

/// The modem's read buffer of a get or a list (§4.2).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Download {
    op: OpName,
    data: Vec<u8>,
    pos: usize,
    /// The ending URC once the buffer is read empty: `1,0` or an error.
    end: String,
    /// The ending URC was sent.
    ended: bool,
}

/// The open upload (§4.3).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Upload {
    path: Option<String>,
    name: String,
    transfer_type: TransferType,
    sent: u64,
}

/// The simulated SIMCom modem; see the module docs.
#[derive(Debug)]
pub struct SimcomModem {
    config: ModemConfig,
    rx: Vec<u8>,
    out: Vec<u8>,
    ops: VecDeque<FtpOp>,
    state: State,
    echo: bool,
    /// Bearer status per profile 1 ..= 3: 1 connected, 3 closed.
    bearer: [u8; 3],
    apn: String,
    settings: Settings,
    /// The operation between its `OK` and its ending URC, if any.
    running: Option<OpName>,
    download: Option<Download>,
    upload: Option<Upload>,
    /// Inside an overlong line already answered.
    overlong: bool,
}

impl SimcomModem {
    /// A modem just powered on: echo as `config.echo`, the bearer open when
    /// `config.pdp_active`, reads of at most `config.get_chunk` bytes.
    /// `config.faults` are not applied (see the module docs).
    pub fn new(config: ModemConfig) -> Self {
        let open = if config.pdp_active { 1 } else { 3 };
        Self {
            echo: config.echo,
            config,
            rx: Vec::new(),
            out: Vec::new(),
            ops: VecDeque::new(),
            state: State::Lines,
            bearer: [open, 3, 3],
            apn: String::new(),
            settings: Settings::default(),
            running: None,
            download: None,
            upload: None,
            overlong: false,
        }
    }

    /// Takes host bytes received at `now`; returns how many were taken
    /// (fewer than given once [`crate::RX_LIMIT`] bytes wait).
    #[must_use = "bytes not taken must be offered again"]
    pub fn handle_input(&mut self, _now: Duration, bytes: &[u8]) -> usize {
        let n = bytes.len().min(RX_LIMIT.saturating_sub(self.rx.len()));
        self.rx
            .extend_from_slice(bytes.get(..n).unwrap_or_default());
        self.process();
        n
    }

    /// The outcome of the operation last returned by
    /// [`SimcomModem::poll_ftp`].
    pub fn handle_ftp_result(&mut self, _now: Duration, result: FtpResult) {
        let State::Waiting(pending) = core::mem::replace(&mut self.state, State::Lines) else {
            // A result nobody waits for.
            return;
        };
        self.finish(pending, result);
        self.process();
    }

    /// Tells the modem the time; it keeps no timers.
    pub fn handle_timeout(&mut self, _now: Duration) {
        self.process();
    }

    /// When [`SimcomModem::handle_timeout`] must be called next: never.
    pub fn poll_timeout(&self) -> Option<Duration> {
        None
    }

    /// The next FTP operation to carry out; answer it with
    /// [`SimcomModem::handle_ftp_result`].
    pub fn poll_ftp(&mut self) -> Option<FtpOp> {
        self.ops.pop_front()
    }

    /// Bytes for the host, if any.
    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        if self.out.is_empty() {
            None
        } else {
            Some(core::mem::take(&mut self.out))
        }
    }

    /// True when the modem waits for nothing.
    pub fn is_idle(&self) -> bool {
        !matches!(self.state, State::Waiting(_)) && self.ops.is_empty()
    }

    // ------------------------------------------------------------ reading

    /// Reads what the host sent while the modem is free.
    fn process(&mut self) {
        loop {
            match &mut self.state {
                State::Waiting(_) => return,
                State::PutBytes { remaining, data } => {
                    let n = (*remaining).min(self.rx.len());
                    data.extend(self.rx.drain(..n));
                    *remaining -= n;
                    if *remaining > 0 {
                        return;
                    }
                    let data = core::mem::take(data);
                    self.state = State::Lines;
                    self.chunk(data);
                }
                State::Lines => {
                    let Some(end) = self.rx.iter().position(|&b| b == b'\r') else {
                        if self.rx.len() > MAX_LINE {
                            self.rx.clear();
                            if !self.overlong {
                                self.overlong = true;
                                self.line("ERROR");
                            }
                        }
                        return;
                    };
                    let line: Vec<u8> = self.rx.drain(..=end).collect();
                    if core::mem::take(&mut self.overlong) {
                        continue;
                    }
                    if self.echo {
                        self.out.extend_from_slice(&line);
                    }
                    let text = line.get(..end).unwrap_or_default();
                    let text = trim_start(text);
                    if text.is_empty() {
                        continue;
                    }
                    match parse(text) {
                        Some(cmd) => self.command(cmd),
                        None => self.line("ERROR"),
                    }
                }
            }
        }
    }

    fn command(&mut self, cmd: Cmd) {
        match cmd.name.as_str() {
            "" => match cmd.form {
                Form::Exec => self.ok(),
                _ => self.line("ERROR"),
            },
            "E0" | "E1" if cmd.form == Form::Exec => {
                self.echo = cmd.name == "E1";
                self.ok();
            }
            "+SAPBR" => self.sapbr(&cmd),
            "+FTPGET" => self.transfer(OpName::Get, &cmd),
            "+FTPLIST" => self.transfer(OpName::List, &cmd),
            "+FTPPUT" => self.put(&cmd),
            "+FTPMKD" => self.simple(OpName::Mkd, &cmd),
            "+FTPRMD" => self.simple(OpName::Rmd, &cmd),
            "+FTPDELE" => self.simple(OpName::Dele, &cmd),
            "+FTPSIZE" => self.simple(OpName::Size, &cmd),
            "+FTPSTATE" => match cmd.form {
                Form::Test => self.ok(),
                Form::Exec => {
                    let busy = u8::from(self.running.is_some());
                    self.line(&format!("+FTPSTATE: {busy}"));
                    self.ok();
                }
                _ => self.line("ERROR"),
            },
            "+FTPQUIT" => match cmd.form {
                Form::Test => self.ok(),
                Form::Exec => self.quit(),
                _ => self.line("ERROR"),
            },
            name => self.setting(name, &cmd),
        }
    }

    /// The local settings: set, read and test forms.
    fn setting(&mut self, name: &str, cmd: &Cmd) {
        let s = &mut self.settings;
        if cmd.form == Form::Test {
            return match name {
                "+FTPCID" | "+FTPSERV" | "+FTPPORT" | "+FTPUN" | "+FTPPW" | "+FTPMODE"
                | "+FTPTYPE" | "+FTPPUTOPT" | "+FTPREST" | "+FTPGETPATH" | "+FTPGETNAME"
                | "+FTPPUTPATH" | "+FTPPUTNAME" => self.ok(),
                _ => self.line("ERROR"),
            };
        }
        if cmd.form == Form::Read {
            let value = match name {
                "+FTPCID" => s.cid.to_string(),
                "+FTPSERV" => quote(s.server.as_deref()),
                "+FTPPORT" => s.port.to_string(),
                "+FTPUN" => quote(s.user.as_deref()),
                // Never revealed, as the host's logs must never show it.
                "+FTPPW" => "\"hidden\"".to_owned(),
                "+FTPMODE" => u8::from(s.mode == Mode::Passive).to_string(),
                "+FTPTYPE" => match s.transfer_type {
                    TransferType::Binary => "\"I\"".to_owned(),
                    TransferType::Ascii => "\"A\"".to_owned(),
                },
                "+FTPPUTOPT" => "\"STOR\"".to_owned(),
                "+FTPREST" => s.rest.to_string(),
                "+FTPGETPATH" => quote(s.get_path.as_deref()),
                "+FTPGETNAME" => quote(s.get_name.as_deref()),
                "+FTPPUTPATH" => quote(s.put_path.as_deref()),
                "+FTPPUTNAME" => quote(s.put_name.as_deref()),
                _ => return self.line("ERROR"),
            };
            self.line(&format!("{name}: {value}"));
            return self.ok();
        }
        let Form::Set(values) = &cmd.form else {
            return self.line("ERROR");
        };
        let [value] = values.as_slice() else {
            return self.line("ERROR");
        };
        let text = value.clone();
        let stored = match name {
            "+FTPCID" => match value.parse() {
                Ok(c @ 1..=3) => {
                    s.cid = c;
                    true
                }
                _ => false,
            },
            "+FTPPORT" => match value.parse() {
                Ok(p @ 1..) => {
                    s.port = p;
                    true
                }
                _ => false,
            },
            "+FTPREST" => match value.parse() {
                Ok(r) => {
                    s.rest = r;
                    true
                }
                Err(_) => false,
            },
            "+FTPPW" => {
                s.password = Some(text);
                true
            }
            "+FTPMODE" => match value.as_str() {
                "0" | "1" => {
                    s.mode = if value == "1" {
                        Mode::Passive
                    } else {
                        Mode::Active
                    };
                    true
                }
                _ => false,
            },
            "+FTPTYPE" => match value.to_ascii_uppercase().as_str() {
                "I" | "A" => {
                    s.transfer_type = if value.eq_ignore_ascii_case("A") {
                        TransferType::Ascii
                    } else {
                        TransferType::Binary
                    };
                    true
                }
                _ => false,
            },
            // Only STOR is simulated: APPE and STOU are refused rather
            // than carried out as something else.
            "+FTPPUTOPT" => value.eq_ignore_ascii_case("STOR"),
            _ if text.is_empty() => false,
            "+FTPSERV" => store(&mut s.server, text),
            "+FTPUN" => store(&mut s.user, text),
            "+FTPGETPATH" => store(&mut s.get_path, text),
            "+FTPGETNAME" => store(&mut s.get_name, text),
            "+FTPPUTPATH" => store(&mut s.put_path, text),
            "+FTPPUTNAME" => store(&mut s.put_name, text),
            _ => false,
        };
        if stored {
            self.ok();
        } else {
            self.line("ERROR");
        }
    }

    /// `AT+SAPBR` (§3.2).
    fn sapbr(&mut self, cmd: &Cmd) {
        let values = match &cmd.form {
            Form::Test => {
                self.line("+SAPBR: (0-4),(1-3),\"ConParamTag\",\"ConParamValue\"");
                return self.ok();
            }
            Form::Set(values) => values,
            _ => return self.line("ERROR"),
        };
        let cid = values
            .get(1)
            .and_then(|c| c.parse::<u8>().ok())
            .filter(|c| (1..=3).contains(c));
        let (Some(action), Some(cid)) = (values.first(), cid) else {
            return self.line("ERROR");
        };
        let slot = usize::from(cid - 1);
        let status = self.bearer.get(slot).copied().unwrap_or(3);
        let set = |modem: &mut Self, s: u8| {
            if let Some(b) = modem.bearer.get_mut(slot) {
                *b = s;
            }
            modem.ok();
        };
        match (action.as_str(), values.len()) {
            ("3", 4) => {
                let tag = values.get(2).map(|t| t.to_ascii_uppercase());
                let value = values.get(3).cloned().unwrap_or_default();
                match tag.as_deref() {
                    Some("CONTYPE") if value == "GPRS" => self.ok(),
                    Some("APN") => {
                        self.apn = value;
                        self.ok();
                    }
                    Some("USER" | "PWD" | "PHONENUM" | "RATE") => self.ok(),
                    _ => self.line("ERROR"),
                }
            }
            ("4", 2) => {
                self.line("+SAPBR: CONTYPE,GPRS");
                let apn = format!("+SAPBR: APN,{}", self.apn);
                self.line(&apn);
                self.ok();
            }
            ("2", 2) => {
                let ip = if status == 1 { "10.0.0.2" } else { "0.0.0.0" };
                self.line(&format!("+SAPBR: {cid},{status},\"{ip}\""));
                self.ok();
            }
            ("1", 2) if status == 1 => self.line("ERROR"),
            ("1", 2) => set(self, 1),
            ("0", 2) if status == 3 => self.line("ERROR"),
            ("0", 2) => set(self, 3),
            _ => self.line("ERROR"),
        }
    }

    /// `AT+FTPGET` and `AT+FTPLIST`: open (`=1`) and read (`=2,<n>`).
    fn transfer(&mut self, op: OpName, cmd: &Cmd) {
        match cmd.numbers().as_deref() {
            _ if cmd.form == Form::Test => self.ok(),
            Some([1]) => {
                let s = &self.settings;
                let work = match op {
                    OpName::Get => match s.get_name.clone() {
                        Some(name) => FtpOp::Get {
                            path: s.get_path.clone(),
                            name,
                            transfer_type: s.transfer_type,
                            offset: s.rest,
                            drop_after: None,
                        },
                        None => return self.line("ERROR"),
                    },
                    _ => FtpOp::List {
                        path: s.get_path.clone(),
                        drop_after: None,
                    },
                };
                self.start(op, work);
            }
            Some([2, n]) if (1..=1460).contains(n) => self.read(op, *n as usize),
            _ => self.line("ERROR"),
        }
    }

    /// `AT+FTPGET=2,<n>`: up to `n` bytes of the buffer.
    fn read(&mut self, op: OpName, n: usize) {
        let limit = n.min(self.config.get_chunk.max(1));
        let Some(d) = self.download.as_mut().filter(|d| d.op == op) else {
            // Nothing buffered: the buffer is empty.
            self.line(&format!("{}: 2,0", op.urc()));
            return self.ok();
        };
        let rest = d.data.get(d.pos..).unwrap_or_default();
        let take = rest.len().min(limit);
        let chunk = rest.get(..take).unwrap_or_default().to_vec();
        d.pos += take;
        let emptied = d.pos >= d.data.len();
        let end = (emptied && !d.ended).then(|| d.end.clone());
        if emptied {
            d.ended = true;
        }
        let mut bytes = format!("\r\n{}: 2,{take}\r\n", op.urc()).into_bytes();
        if take > 0 {
            // The payload, then the CR LF before `OK` (`SPEC-simcom.md`
            // §5.2: `\r\n+FTPGET: 2,10\r\n0123456789\r\nOK\r\n`).
            bytes.extend_from_slice(&chunk);
        }
        bytes.extend_from_slice(b"\r\nOK\r\n");
        self.out.extend_from_slice(&bytes);
        if let Some(end) = end {
            self.running = None;
            self.line(&end);
        }
        if emptied && take == 0 {
            self.download = None;
        }
    }

    /// `AT+FTPPUT`: open, write, end.
    fn put(&mut self, cmd: &Cmd) {
        match cmd.numbers().as_deref() {
            _ if cmd.form == Form::Test => self.ok(),
            Some([1]) => {
                let s = &self.settings;
                let Some(name) = s.put_name.clone() else {
                    return self.line("ERROR");
                };
                self.upload = None;
                let upload = Upload {
                    path: s.put_path.clone(),
                    name,
                    transfer_type: s.transfer_type,
                    sent: 0,
                };
                // The connection and login; the STOR opens with the first
                // chunk (or at the end, for an empty file).
                let ok = self.start(OpName::Put, FtpOp::PutEnd);
                if ok {
                    self.upload = Some(upload);
                }
            }
            Some([2, 0]) => match self.upload.take() {
                None => self.line("ERROR"),
                Some(u) => {
                    self.ok();
                    let op = if u.sent == 0 {
                        FtpOp::PutEmpty {
                            path: u.path,
                            name: u.name,
                            transfer_type: u.transfer_type,
                        }
                    } else {
                        FtpOp::PutEnd
                    };
                    self.ask(Pending::PutEnd, op);
                }
            },
            Some([2, n]) if *n <= 1460 => {
                if self.upload.is_none() {
                    return self.line("ERROR");
                }
                let cnf = (*n).min(MAX_LENGTH) as usize;
                self.line(&format!("+FTPPUT: 2,{cnf}"));
                self.state = State::PutBytes {
                    remaining: cnf,
                    data: Vec::with_capacity(cnf),
                };
            }
            _ => self.line("ERROR"),
        }
    }

    /// The raw bytes of a chunk have all arrived.
    fn chunk(&mut self, data: Vec<u8>) {
        let Some(u) = self.upload.as_mut() else {
            debug_assert!(false, "chunk bytes taken without an upload");
            return self.line("ERROR");
        };
        if data.is_empty() {
            return self.put_credit();
        }
        u.sent += data.len() as u64;
        let op = FtpOp::PutData {
            path: u.path.clone(),
            name: u.name.clone(),
            transfer_type: u.transfer_type,
            data,
            drop_after: None,
        };
        self.ask(Pending::Chunk, op);
    }

    /// `OK` to a write, then the next credit.
    fn put_credit(&mut self) {
        self.ok();
        self.line(&format!("+FTPPUT: 1,1,{MAX_LENGTH}"));
    }

    /// `AT+FTPMKD`, `AT+FTPRMD`, `AT+FTPDELE`, `AT+FTPSIZE`.
    fn simple(&mut self, op: OpName, cmd: &Cmd) {
        match cmd.form {
            Form::Test => return self.ok(),
            Form::Exec => {}
            _ => return self.line("ERROR"),
        }
        let s = &self.settings;
        let dir = s.get_path.clone();
        let work = match op {
            OpName::Mkd | OpName::Rmd => {
                let Some(dir) = dir.map(|d| directory(&d)) else {
                    return self.line("ERROR");
                };
                if op == OpName::Mkd {
                    FtpOp::Mkdir(dir)
                } else {
                    FtpOp::Rmdir(dir)
                }
            }
            _ => {
                let Some(name) = s.get_name.clone() else {
                    return self.line("ERROR");
                };
                if op == OpName::Dele {
                    FtpOp::Delete { path: dir, name }
                } else {
                    FtpOp::Size { path: dir, name }
                }
            }
        };
        self.start(op, work);
    }

    /// `AT+FTPQUIT`: ends the running operation (`1,86`).
    fn quit(&mut self) {
        self.ok();
        let Some(op) = self.running.take() else {
            return;
        };
        self.download = None;
        self.upload = None;
        self.ask(Pending::Quit(Some(op.failure(86))), FtpOp::Quit);
    }

    // ------------------------------------------------------- operations

    /// Starts an operation: `OK`, then connect and log in before `work`.
    /// Returns false when it ended at once with an error URC.
    fn start(&mut self, op: OpName, work: FtpOp) -> bool {
        self.ok();
        if self.running.is_some() {
            self.line(&op.failure(66));
            return false;
        }
        let s = &self.settings;
        let open = self.bearer.get(usize::from(s.cid) - 1) == Some(&1);
        let (Some(host), true) = (s.server.clone(), open) else {
            self.line(&op.failure(if open { 63 } else { 61 }));
            return false;
        };
        self.download = None;
        self.running = Some(op);
        let connect = FtpOp::Connect {
            host,
            port: s.port,
            mode: s.mode,
        };
        self.ask(Pending::Connect(op, Box::new(work)), connect);
        true
    }

    fn ask(&mut self, pending: Pending, op: FtpOp) {
        self.ops.push_back(op);
        self.state = State::Waiting(pending);
    }

    /// Ends the running operation with its URC line, after the quit.
    fn end(&mut self, urc: String) {
        self.upload = None;
        self.ask(Pending::Quit(Some(urc)), FtpOp::Quit);
    }

    fn finish(&mut self, pending: Pending, result: FtpResult) {
        match pending {
            Pending::Connect(op, work) => match result {
                FtpResult::Done => {
                    let s = &self.settings;
                    let login = FtpOp::Login {
                        user: s.user.clone().unwrap_or_default(),
                        password: s.password.clone().unwrap_or_default(),
                    };
                    self.ask(Pending::Login(op, work), login);
                }
                FtpResult::ServFailed(ServCode::BadAddress) => self.fail_now(op, 62),
                _ => self.fail_now(op, 63),
            },
            Pending::Login(op, work) => match result {
                FtpResult::Done if op == OpName::Put => {
                    // The upload is open: the first credit.
                    self.line(&format!("+FTPPUT: 1,1,{MAX_LENGTH}"));
                }
                FtpResult::Done => self.ask(Pending::Work(op), *work),
                _ => self.end(op.failure(72)),
            },
            Pending::Work(op) => self.worked(op, result),
            Pending::Chunk => match result {
                FtpResult::Done => self.put_credit(),
                _ => {
                    self.line(&OpName::Put.failure(78));
                    self.line("ERROR");
                    self.end(String::new());
                }
            },
            Pending::PutEnd => match result {
                FtpResult::Done => self.end(format!("{}: 1,0", OpName::Put.urc())),
                _ => self.end(OpName::Put.failure(78)),
            },
            Pending::Quit(None) => {}
            Pending::Quit(Some(urc)) => {
                self.running = None;
                if !urc.is_empty() {
                    self.line(&urc);
                }
            }
        }
    }

    /// A failure before the server was reached: no quit to send.
    fn fail_now(&mut self, op: OpName, code: u16) {
        self.running = None;
        self.upload = None;
        self.line(&op.failure(code));
    }

    /// The result of an operation's own work.
    fn worked(&mut self, op: OpName, result: FtpResult) {
        let ok = format!("{}: 1,0", op.urc());
        match (op, result) {
            (OpName::Get | OpName::List, FtpResult::Data(mut data)) => {
                if op == OpName::List && !data.is_empty() && !data.ends_with(b"\n") {
                    data.extend_from_slice(b"\r\n");
                }
                self.buffer(op, data, ok);
            }
            (OpName::Get, FtpResult::Failed { partial }) if !partial.is_empty() => {
                self.buffer(op, partial, op.failure(79));
            }
            (OpName::Size, FtpResult::Size(n)) => {
                let n = u32::try_from(n).unwrap_or(u32::MAX);
                self.end(format!("{}: 1,0,{n}", op.urc()));
            }
            (OpName::Mkd | OpName::Rmd | OpName::Dele, FtpResult::Done) => self.end(ok),
            (_, _) => self.end(op.failure(77)),
        }
    }

    /// Keeps downloaded bytes for the host's reads: `1,1` now, the end
    /// once they are read (at once when there are none).
    fn buffer(&mut self, op: OpName, data: Vec<u8>, end: String) {
        let empty = data.is_empty();
        self.download = Some(Download {
            op,
            data,
            pos: 0,
            end: end.clone(),
            ended: empty,
        });
        // The modem's FTP session is over; the host reads its buffer, and
        // the operation runs until it is read empty.
        if empty {
            self.download = None;
            self.ask(Pending::Quit(Some(end)), FtpOp::Quit);
        } else {
            self.line(&format!("{}: 1,1", op.urc()));
            self.ask(Pending::Quit(None), FtpOp::Quit);
        }
    }

    // ------------------------------------------------------------ writing

    fn ok(&mut self) {
        self.line("OK");
    }

    /// One line, framed `\r\n<line>\r\n`.
    fn line(&mut self, line: &str) {
        self.out.extend_from_slice(b"\r\n");
        self.out.extend_from_slice(line.as_bytes());
        self.out.extend_from_slice(b"\r\n");
    }
}

/// Stores a text setting; always true.
fn store(slot: &mut Option<String>, value: String) -> bool {
    *slot = Some(value);
    true
}

/// `"<value>"`, or `""` when unset.
fn quote(v: Option<&str>) -> String {
    format!("\"{}\"", v.unwrap_or(""))
}

/// A directory value without its trailing `/` (`/` itself stays).
fn directory(d: &str) -> String {
    match d.trim_end_matches('/') {
        "" => "/".to_owned(),
        t => t.to_owned(),
    }
}

fn trim_start(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !matches!(c, b'\n' | b' ' | b'\0'))
        .unwrap_or(b.len());
    b.get(start..).unwrap_or_default()
}

/// The form of a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Form {
    /// `AT+NAME`.
    Exec,
    /// `AT+NAME=?`.
    Test,
    /// `AT+NAME?`.
    Read,
    /// `AT+NAME=v1,v2`, quotes removed.
    Set(Vec<String>),
}

/// A command line read: its name after `AT` (upper case) and its form.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cmd {
    name: String,
    form: Form,
}

impl Cmd {
    /// The values as numbers, when they all are.
    fn numbers(&self) -> Option<Vec<u32>> {
        match &self.form {
            Form::Set(v) => v.iter().map(|x| x.parse().ok()).collect(),
            _ => None,
        }
    }
}

/// Reads `AT<name>[=?|?|=values]` (`SPEC-simcom.md` §1.4, §1.5): quoted or
/// bare values, spaces outside quotes trimmed. `None` for anything else.
fn parse(line: &[u8]) -> Option<Cmd> {
    let text = core::str::from_utf8(line).ok()?;
    let body = text
        .get(..2)
        .filter(|p| p.eq_ignore_ascii_case("AT"))
        .and(text.get(2..))?;
    let name_end = body.find(['=', '?']).unwrap_or(body.len());
    let name = body.get(..name_end)?.trim().to_ascii_uppercase();
    let rest = body.get(name_end..)?.trim_end();
    let form = match rest {
        "" => Form::Exec,
        "=?" => Form::Test,
        "?" => Form::Read,
        r => Form::Set(values(r.strip_prefix('=')?)?),
    };
    Some(Cmd { name, form })
}

/// Splits values at commas outside quotes; one pair of quotes removed.
fn values(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                was_quoted = true;
            }
            ',' if !quoted => {
                out.push(finish_value(&cur, was_quoted));
                cur.clear();
                was_quoted = false;
            }
            c => cur.push(c),
        }
    }
    if quoted {
        return None;
    }
    out.push(finish_value(&cur, was_quoted));
    Some(out)
}

fn finish_value(v: &str, quoted: bool) -> String {
    if quoted {
        v.to_owned()
    } else {
        v.trim().to_owned()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parses_command_lines() {
        let c = parse(b"AT+FTPPUTNAME=\"a, b.bin\"").unwrap();
        assert_eq!(c.name, "+FTPPUTNAME");
        assert_eq!(c.form, Form::Set(vec!["a, b.bin".into()]));
        let c = parse(b"at+sapbr=3,1,\"Contype\",\"GPRS\"").unwrap();
        assert_eq!(c.name, "+SAPBR");
        assert_eq!(c.numbers(), None);
        assert_eq!(
            parse(b"AT+FTPGET=2,1460").unwrap().numbers(),
            Some(vec![2, 1460])
        );
        assert_eq!(parse(b"AT+FTPSTATE").unwrap().form, Form::Exec);
        assert_eq!(parse(b"AT+FTPREST?").unwrap().form, Form::Read);
        assert_eq!(parse(b"AT+FTPGET=?").unwrap().form, Form::Test);
        assert_eq!(parse(b"ATE0").unwrap().name, "E0");
        assert!(parse(b"AT+FTPUN=\"x").is_none());
        assert!(parse(b"HELLO").is_none());
    }

    fn run(modem: &mut SimcomModem, input: &[u8]) -> Vec<u8> {
        let taken = modem.handle_input(Duration::ZERO, input);
        assert_eq!(taken, input.len());
        modem.poll_output().unwrap_or_default()
    }

    #[test]
    fn bearer_opens_once() {
        let mut m = SimcomModem::new(ModemConfig {
            echo: false,
            ..ModemConfig::default()
        });
        assert_eq!(
            run(&mut m, b"AT+SAPBR=2,1\r"),
            b"\r\n+SAPBR: 1,3,\"0.0.0.0\"\r\n\r\nOK\r\n"
        );
        assert_eq!(run(&mut m, b"AT+SAPBR=1,1\r"), b"\r\nOK\r\n");
        assert_eq!(run(&mut m, b"AT+SAPBR=1,1\r"), b"\r\nERROR\r\n");
        assert_eq!(
            run(&mut m, b"AT+SAPBR=2,1\r"),
            b"\r\n+SAPBR: 1,1,\"10.0.0.2\"\r\n\r\nOK\r\n"
        );
    }

    #[test]
    fn operations_need_the_bearer() {
        let mut m = SimcomModem::new(ModemConfig {
            echo: false,
            ..ModemConfig::default()
        });
        let out = run(
            &mut m,
            b"AT+FTPSERV=\"h\"\rAT+FTPGETNAME=\"a\"\rAT+FTPGET=1\r",
        );
        assert!(
            out.ends_with(b"\r\nOK\r\n\r\n+FTPGET: 1,61\r\n"),
            "{}",
            out.escape_ascii()
        );
        assert!(m.poll_ftp().is_none());
    }
}
