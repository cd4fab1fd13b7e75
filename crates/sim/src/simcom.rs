//! The SIMCom dialect's modem side (`SPEC-simcom.md`) as a sans-IO state
//! machine, driven exactly as [`crate::Modem`] is.
//!
//! [`SimcomModem`] reads the host's stream with `cellftp-proto`'s
//! [`CommandDecoder`] (the dialect's one command table: what the host's
//! encoder writes is what the modem reads), answers the local settings and
//! the `AT+SAPBR` bearer at once, and runs each operation the URC-driven
//! way of the spec's §4: `OK` first, then [`FtpOp`]s against the server
//! (connect, log in, the operation, quit: every operation is a whole FTP
//! session on the modem's side), then the operation's URCs. A line the
//! decoder does not read as a command is answered `ERROR`.
//!
//! - Get and list: the server's bytes are kept in the modem's buffer and
//!   announced with `+FTPGET: 1,1` (`+FTPLIST: 1,1`); `AT+FTPGET=2,<n>`
//!   answers `+FTPGET: 2,<cnf>`, exactly `<cnf>` raw bytes, CR LF, `OK`;
//!   the read that empties the buffer is followed by `+FTPGET: 1,0`, and
//!   later reads answer `+FTPGET: 2,0`. `AT+FTPREST` is the `REST` offset.
//! - Put: `AT+FTPPUT=1` answers `OK`, then `+FTPPUT: 1,1,<maxlength>`;
//!   `AT+FTPPUT=2,<n>` answers `+FTPPUT: 2,<cnf>` and takes exactly `<cnf>`
//!   raw bytes (the decoder is told with
//!   [`CommandDecoder::expect_put_data`]), then `OK` and the next credit;
//!   `AT+FTPPUT=2,0` answers `OK` and, once the server has the file,
//!   `+FTPPUT: 1,0`.
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
//! # Faults
//!
//! Every fault of [`crate::fault`] applies, the SIMCom way where the
//! dialect differs:
//!
//! - `drop-data=N`: the next get, list or upload (`AT+FTPGET=1`,
//!   `AT+FTPLIST=1`, `AT+FTPPUT=1`) loses its data connection after `N`
//!   bytes: a get or list ends with `+FTPGET: 1,79` (`+FTPLIST: 1,79`)
//!   once the bytes before the cut are read; an upload's chunk that
//!   crosses the cut is answered `+FTPPUT: 1,78` and `ERROR`.
//! - `late=T:ms`: the command's answer, and everything the modem says
//!   after it (the operation's URCs too), is held that long; the modem
//!   reads no command meanwhile.
//! - `never=T`: the command is swallowed; no answer, no operation. An
//!   `AT+FTPPUT=2,<n>` swallowed takes no upload bytes.
//! - `restart=T`: instead of answering, the modem restarts: it forgets the
//!   bearer, every setting and the running operation, drops the server
//!   connection, and says `RDY`, `+CFUN: 1`, `+CPIN: READY` (§1.9).
//! - `error=T`: the command is answered `ERROR`.
//! - `cme=T:code`: a command that starts an operation (`AT+FTPGET=1`,
//!   `AT+FTPLIST=1`, `AT+FTPPUT=1`, `AT+FTPMKD`, `AT+FTPRMD`,
//!   `AT+FTPDELE`, `AT+FTPSIZE`) is answered `OK` and then fails the way
//!   this dialect reports it, with the error URC `+<NAME>: 1,<code>`
//!   (`+FTPSIZE: 1,<code>,0`); any other command is answered
//!   `+CME ERROR: <code>`.
//! - `urc=rate`: `+CPIN: READY` or `Call Ready` (both meaningless to an
//!   FTP job) before a response line, never inside a payload.
//! - `corrupt=rate`, `drop=rate`: bytes to the host replaced or lost.
//!
//! Not simulated: `AT+FTPPUTOPT` values other than `"STOR"` (answered
//! `ERROR`), ASCII conversion in listings, and the SIM7080 `AT+CNACT`
//! bearer. The `AT+SAPBR=3` tags `PHONENUM` and `RATE` are answered
//! `ERROR`: the command decoder does not read them.

use core::fmt;
use core::time::Duration;
use std::collections::VecDeque;

use cellftp_proto::simcom::{
    Bearer, BearerParam, Command, CommandDecoder, CommandName, PutOpt, Request, Transfer, Upload,
};
use cellftp_proto::{Action, Decoded, Mode, ServCode, Setting, TransferType};

use crate::fault::{Answer, Injector};
use crate::modem::ModemConfig;
use crate::modem::{Held, Hidden};
use crate::op::{FtpOp, FtpResult};

/// The `<maxlength>` of every `+FTPPUT: 1,1,<maxlength>` credit: SIM800's
/// usual 1360 bytes.
pub const MAX_LENGTH: u32 = 1360;

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

    /// The operation `command` starts, if it starts one.
    fn started_by(command: &Command<'_>) -> Option<OpName> {
        match command {
            Command::FtpGet(Transfer::Open) => Some(OpName::Get),
            Command::FtpList(Transfer::Open) => Some(OpName::List),
            Command::FtpPut(Upload::Open) => Some(OpName::Put),
            Command::FtpMkd(Action::Execute) => Some(OpName::Mkd),
            Command::FtpRmd(Action::Execute) => Some(OpName::Rmd),
            Command::FtpDele(Action::Execute) => Some(OpName::Dele),
            Command::FtpSize(Action::Execute) => Some(OpName::Size),
            _ => None,
        }
    }
}

/// The settings the FTP commands store (`SPEC-simcom.md` §3.3 to §3.12).
/// Its `Debug` hides the password.
#[derive(Clone, PartialEq, Eq)]
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

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("cid", &self.cid)
            .field("server", &self.server)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &Hidden(self.password.is_some()))
            .field("mode", &self.mode)
            .field("transfer_type", &self.transfer_type)
            .field("rest", &self.rest)
            .field("get_path", &self.get_path)
            .field("get_name", &self.get_name)
            .field("put_path", &self.put_path)
            .field("put_name", &self.put_name)
            .finish()
    }
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
struct OpenUpload {
    path: Option<String>,
    name: String,
    transfer_type: TransferType,
    sent: u64,
    /// The `drop-data` fault of this upload: its byte count.
    drop: Option<u64>,
}

/// The simulated SIMCom modem; see the module docs. Its `Debug` shows
/// neither the password nor the bytes it holds (host bytes not read yet,
/// answers not sent yet), which may be `AT+FTPPW="<password>"` and its
/// echo.
pub struct SimcomModem {
    config: ModemConfig,
    decoder: CommandDecoder,
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
    upload: Option<OpenUpload>,
    /// Inside an overlong line already answered.
    overlong: bool,
    /// The running get or list carries a `drop-data` fault.
    dropping: bool,
    /// A `late` answer: everything said is held until then.
    late: Option<Duration>,
    held: Vec<u8>,
    /// The faults' bookkeeping, kept across restarts.
    injector: Injector,
    now: Duration,
}

impl fmt::Debug for SimcomModem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimcomModem")
            .field("config", &self.config)
            .field("rx", &Held(self.rx.len()))
            .field("out", &Held(self.out.len()))
            .field("held", &Held(self.held.len()))
            .field("ops", &self.ops)
            .field("state", &self.state)
            .field("echo", &self.echo)
            .field("bearer", &self.bearer)
            .field("apn", &self.apn)
            .field("settings", &self.settings)
            .field("running", &self.running)
            .field("late", &self.late)
            .field("count", &self.injector.count())
            .field("now", &self.now)
            .finish_non_exhaustive()
    }
}

impl SimcomModem {
    /// A modem just powered on: echo as `config.echo`, the bearer open when
    /// `config.pdp_active`, reads of at most `config.get_chunk` bytes,
    /// `config.faults` injected as the module docs say.
    pub fn new(config: ModemConfig) -> Self {
        let open = if config.pdp_active { 1 } else { 3 };
        Self {
            injector: Injector::new(&config.faults),
            echo: config.echo,
            config,
            decoder: CommandDecoder::new(),
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
            dropping: false,
            late: None,
            held: Vec::new(),
            now: Duration::ZERO,
        }
    }

    /// Takes host bytes received at `now`; returns how many were taken
    /// (fewer than given once [`crate::RX_LIMIT`] bytes wait).
    #[must_use = "bytes not taken must be offered again"]
    pub fn handle_input(&mut self, now: Duration, bytes: &[u8]) -> usize {
        self.tick(now);
        let n = bytes.len().min(RX_LIMIT.saturating_sub(self.rx.len()));
        self.rx
            .extend_from_slice(bytes.get(..n).unwrap_or_default());
        self.process();
        n
    }

    /// The outcome of the operation last returned by
    /// [`SimcomModem::poll_ftp`].
    pub fn handle_ftp_result(&mut self, now: Duration, result: FtpResult) {
        self.tick(now);
        let State::Waiting(pending) = core::mem::replace(&mut self.state, State::Lines) else {
            // A result nobody waits for: the modem restarted meanwhile.
            return;
        };
        self.finish(pending, result);
        self.process();
    }

    /// Tells the modem the time; sends a late answer whose time has come.
    pub fn handle_timeout(&mut self, now: Duration) {
        self.tick(now);
        self.process();
    }

    /// When [`SimcomModem::handle_timeout`] must be called next: when a
    /// late answer is due.
    pub fn poll_timeout(&self) -> Option<Duration> {
        self.late
    }

    /// The next FTP operation to carry out; answer it with
    /// [`SimcomModem::handle_ftp_result`] (except [`FtpOp::Reset`]).
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

    /// True when the modem waits for nothing (no operation out, no late
    /// answer held).
    pub fn is_idle(&self) -> bool {
        !matches!(self.state, State::Waiting(_)) && self.ops.is_empty() && self.late.is_none()
    }

    /// Moves the clock on; sends a held answer whose time has come.
    fn tick(&mut self, now: Duration) {
        self.now = self.now.max(now);
        if self.late.is_some_and(|t| self.now >= t) {
            self.late = None;
            let held = core::mem::take(&mut self.held);
            self.send_raw(&held);
        }
    }

    // ------------------------------------------------------------ reading

    /// Reads what the host sent while the modem is free.
    fn process(&mut self) {
        while !matches!(self.state, State::Waiting(_)) && self.late.is_none() {
            let buf = core::mem::take(&mut self.rx);
            let consumed = match self.decoder.decode(&buf) {
                Decoded::NeedMore { consumed } => {
                    self.rx = buf;
                    self.rx.drain(..consumed.min(self.rx.len()));
                    return;
                }
                Decoded::Item { item, consumed } => {
                    if self.echo {
                        self.echo_item(&item, buf.get(..consumed).unwrap_or_default());
                    }
                    self.request(item);
                    consumed
                }
            };
            self.rx = buf;
            self.rx.drain(..consumed.min(self.rx.len()));
        }
    }

    /// Echoes a command line (`consumed`, the bytes the decoder took for
    /// `item`) as the modem receives it, then the CR that ends it, before
    /// the answer. Upload data is not echoed. The line ends the decoder
    /// takes before an item (the last line's terminator, a stray LF) are
    /// not echoed: which item takes them depends on how the input was
    /// cut, and the echo must not.
    fn echo_item(&mut self, item: &Request<'_>, consumed: &[u8]) {
        let line_end = match item {
            Request::PutData(_) => return,
            // A full piece may be followed by more of the line.
            Request::Overlong(piece) => piece.len() < cellftp_proto::MAX_LINE,
            _ => true,
        };
        let start = consumed
            .iter()
            .position(|&b| b != b'\r' && b != b'\n')
            .unwrap_or(consumed.len());
        self.send_raw(consumed.get(start..).unwrap_or_default());
        if line_end {
            self.send_raw(b"\r");
        }
    }

    /// One item from the host.
    fn request(&mut self, item: Request<'_>) {
        match item {
            Request::PutData(bytes) => self.put_data(bytes),
            Request::Command(command) => {
                self.overlong = false;
                self.command(command);
            }
            Request::Unknown(_) => {
                self.overlong = false;
                self.injector.count_other();
                self.line("ERROR");
            }
            Request::Overlong(_) => {
                if !self.overlong {
                    self.overlong = true;
                    self.injector.count_other();
                    self.line("ERROR");
                }
            }
            _ => {
                debug_assert!(false, "a request kind the modem does not know");
                self.line("ERROR");
            }
        }
    }

    /// Counts the command and returns the fault that hits it, if any.
    fn fault_for(&mut self, name: CommandName) -> Option<Answer> {
        self.injector.command(name.as_str())
    }

    fn command(&mut self, command: Command<'_>) {
        let answer = self.fault_for(command.name());
        if answer.is_some_and(|a| !matches!(a, Answer::Late(_))) {
            // Answered otherwise: no upload bytes follow.
            self.decoder.expect_put_data(0);
        }
        match answer {
            None => {}
            Some(Answer::Error) => return self.line("ERROR"),
            Some(Answer::Cme(code)) => {
                return match OpName::started_by(&command) {
                    Some(op) => {
                        self.ok();
                        self.line(&op.failure(code));
                    }
                    None => self.line(&format!("+CME ERROR: {code}")),
                };
            }
            Some(Answer::Never) => return,
            Some(Answer::Restart) => return self.restart(),
            Some(Answer::Late(delay)) => self.late = Some(self.now + delay),
        }
        self.execute(command);
    }

    fn execute(&mut self, command: Command<'_>) {
        let s = &mut self.settings;
        match command {
            Command::At => self.ok(),
            Command::Echo(on) => {
                self.echo = on;
                self.ok();
            }
            Command::Sapbr(b) => self.sapbr(b),
            Command::FtpGet(t) => self.transfer(OpName::Get, t),
            Command::FtpList(t) => self.transfer(OpName::List, t),
            Command::FtpPut(u) => self.put(u),
            Command::FtpMkd(a) => self.simple(OpName::Mkd, a),
            Command::FtpRmd(a) => self.simple(OpName::Rmd, a),
            Command::FtpDele(a) => self.simple(OpName::Dele, a),
            Command::FtpSize(a) => self.simple(OpName::Size, a),
            Command::FtpState(Action::Test) | Command::FtpQuit(Action::Test) => self.ok(),
            Command::FtpState(Action::Execute) => {
                let busy = u8::from(self.running.is_some());
                self.line(&format!("+FTPSTATE: {busy}"));
                self.ok();
            }
            Command::FtpQuit(Action::Execute) => self.quit(),
            Command::FtpCid(f) => {
                let read = s.cid.to_string();
                // SIM800 profiles are 1 to 3 (0 is SIM7080's PDP index).
                let stored = set(f, |c| {
                    let ok = (1..=3).contains(&c);
                    if ok {
                        s.cid = c;
                    }
                    ok
                });
                self.setting(CommandName::FtpCid, stored, read);
            }
            Command::FtpServ(f) => {
                let read = quote(s.server.as_deref());
                let stored = set(f, |v| {
                    s.server = Some(v.as_str().to_owned());
                    true
                });
                self.setting(CommandName::FtpServ, stored, read);
            }
            Command::FtpPort(f) => {
                let read = s.port.to_string();
                let stored = set(f, |p| {
                    s.port = p;
                    true
                });
                self.setting(CommandName::FtpPort, stored, read);
            }
            Command::FtpUn(f) => {
                let read = quote(s.user.as_deref());
                let stored = set(f, |v| {
                    s.user = Some(v.as_str().to_owned());
                    true
                });
                self.setting(CommandName::FtpUn, stored, read);
            }
            Command::FtpPw(f) => {
                // Never revealed, as the host's logs must never show it.
                let read = "\"hidden\"".to_owned();
                let stored = set(f, |p| {
                    s.password = Some(String::from_utf8_lossy(p.expose()).into_owned());
                    true
                });
                self.setting(CommandName::FtpPw, stored, read);
            }
            Command::FtpMode(f) => {
                let read = u8::from(s.mode == Mode::Passive).to_string();
                let stored = set(f, |m| {
                    s.mode = m;
                    true
                });
                self.setting(CommandName::FtpMode, stored, read);
            }
            Command::FtpType(f) => {
                let read = match s.transfer_type {
                    TransferType::Binary => "\"I\"".to_owned(),
                    TransferType::Ascii => "\"A\"".to_owned(),
                };
                let stored = set(f, |t| {
                    s.transfer_type = t;
                    true
                });
                self.setting(CommandName::FtpType, stored, read);
            }
            Command::FtpPutOpt(f) => {
                // Only STOR is simulated: APPE and STOU are refused rather
                // than carried out as something else.
                let stored = set(f, |o| o == PutOpt::Stor);
                self.setting(CommandName::FtpPutOpt, stored, "\"STOR\"".to_owned());
            }
            Command::FtpRest(f) => {
                let read = s.rest.to_string();
                let stored = set(f, |r| {
                    s.rest = r;
                    true
                });
                self.setting(CommandName::FtpRest, stored, read);
            }
            Command::FtpGetPath(f) => {
                let read = quote(s.get_path.as_deref());
                let stored = set(f, |v| {
                    s.get_path = Some(v.as_str().to_owned());
                    true
                });
                self.setting(CommandName::FtpGetPath, stored, read);
            }
            Command::FtpGetName(f) => {
                let read = quote(s.get_name.as_deref());
                let stored = set(f, |v| {
                    s.get_name = Some(v.as_str().to_owned());
                    true
                });
                self.setting(CommandName::FtpGetName, stored, read);
            }
            Command::FtpPutPath(f) => {
                let read = quote(s.put_path.as_deref());
                let stored = set(f, |v| {
                    s.put_path = Some(v.as_str().to_owned());
                    true
                });
                self.setting(CommandName::FtpPutPath, stored, read);
            }
            Command::FtpPutName(f) => {
                let read = quote(s.put_name.as_deref());
                let stored = set(f, |v| {
                    s.put_name = Some(v.as_str().to_owned());
                    true
                });
                self.setting(CommandName::FtpPutName, stored, read);
            }
            _ => {
                debug_assert!(false, "a command the simulator does not know");
                self.line("ERROR");
            }
        }
    }

    /// Answers a local setting: `stored` is what [`set`] returned, `read`
    /// the value a query shows.
    fn setting(&mut self, name: CommandName, stored: Stored, read: String) {
        match stored {
            Stored::Test | Stored::Set => self.ok(),
            Stored::Refused => self.line("ERROR"),
            Stored::Query => {
                self.line(&format!("{}: {read}", name.as_str()));
                self.ok();
            }
        }
    }

    /// `AT+SAPBR` (§3.2).
    fn sapbr(&mut self, bearer: Bearer<'_>) {
        let cid = match bearer {
            Bearer::Test => {
                self.line("+SAPBR: (0-4),(1-3),\"ConParamTag\",\"ConParamValue\"");
                return self.ok();
            }
            Bearer::Set { cid, .. }
            | Bearer::Get { cid }
            | Bearer::Open { cid }
            | Bearer::Query { cid }
            | Bearer::Close { cid } => cid,
        };
        let slot = usize::from(cid).wrapping_sub(1);
        let Some(status) = self.bearer.get(slot).copied() else {
            return self.line("ERROR");
        };
        let set = |modem: &mut Self, s: u8| {
            if let Some(b) = modem.bearer.get_mut(slot) {
                *b = s;
            }
            modem.ok();
        };
        match bearer {
            Bearer::Set { param, .. } => {
                if let BearerParam::Apn(apn) = param {
                    self.apn = apn.as_str().to_owned();
                }
                self.ok();
            }
            Bearer::Get { .. } => {
                self.line("+SAPBR: CONTYPE,GPRS");
                let apn = format!("+SAPBR: APN,{}", self.apn);
                self.line(&apn);
                self.ok();
            }
            Bearer::Query { .. } => {
                let ip = if status == 1 { "10.0.0.2" } else { "0.0.0.0" };
                self.line(&format!("+SAPBR: {cid},{status},\"{ip}\""));
                self.ok();
            }
            Bearer::Open { .. } if status == 1 => self.line("ERROR"),
            Bearer::Open { .. } => set(self, 1),
            Bearer::Close { .. } if status == 3 => self.line("ERROR"),
            Bearer::Close { .. } => set(self, 3),
            Bearer::Test => self.line("ERROR"),
        }
    }

    /// `AT+FTPGET` and `AT+FTPLIST`: open (`=1`) and read (`=2,<n>`).
    fn transfer(&mut self, op: OpName, form: Transfer) {
        match form {
            Transfer::Test => self.ok(),
            Transfer::Open => {
                let s = &self.settings;
                let mut work = match op {
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
                if self.running.is_none() {
                    // A transfer that starts: the next `drop-data` is its.
                    let drop = self.injector.next_drop();
                    if let FtpOp::Get { drop_after, .. } | FtpOp::List { drop_after, .. } =
                        &mut work
                    {
                        *drop_after = drop;
                    }
                    if self.start(op, work) {
                        self.dropping = drop.is_some();
                    }
                } else {
                    self.start(op, work);
                }
            }
            Transfer::Read(n) => self.read(op, usize::from(n)),
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
        // An unsolicited line may come before the header, never inside.
        self.noise_line();
        self.send_raw(&bytes);
        if let Some(end) = end {
            self.running = None;
            self.line(&end);
        }
        if emptied && take == 0 {
            self.download = None;
        }
    }

    /// `AT+FTPPUT`: open, write, end.
    fn put(&mut self, form: Upload) {
        match form {
            Upload::Test => self.ok(),
            Upload::Open => {
                let s = &self.settings;
                let Some(name) = s.put_name.clone() else {
                    return self.line("ERROR");
                };
                let mut upload = OpenUpload {
                    path: s.put_path.clone(),
                    name,
                    transfer_type: s.transfer_type,
                    sent: 0,
                    drop: None,
                };
                if self.running.is_none() {
                    self.upload = None;
                    upload.drop = self.injector.next_drop();
                }
                // The connection and login; the STOR opens with the first
                // chunk (or at the end, for an empty file).
                let ok = self.start(OpName::Put, FtpOp::PutEnd);
                if ok {
                    self.upload = Some(upload);
                }
            }
            Upload::End => match self.upload.take() {
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
            Upload::Write(n) => {
                if self.upload.is_none() {
                    self.decoder.expect_put_data(0);
                    return self.line("ERROR");
                }
                let cnf = u32::from(n).min(MAX_LENGTH);
                self.line(&format!("+FTPPUT: 2,{cnf}"));
                self.decoder.expect_put_data(cnf);
                let cnf = cnf as usize;
                self.state = State::PutBytes {
                    remaining: cnf,
                    data: Vec::with_capacity(cnf),
                };
            }
        }
    }

    /// Upload bytes after `+FTPPUT: 2,<cnf>`.
    fn put_data(&mut self, bytes: &[u8]) {
        let State::PutBytes { remaining, data } = &mut self.state else {
            debug_assert!(false, "upload bytes outside a write");
            return;
        };
        let n = bytes.len().min(*remaining);
        debug_assert_eq!(n, bytes.len(), "more upload bytes than confirmed");
        data.extend_from_slice(bytes.get(..n).unwrap_or_default());
        *remaining -= n;
        if *remaining == 0 {
            let data = core::mem::take(data);
            self.state = State::Lines;
            self.chunk(data);
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
        let len = data.len() as u64;
        let drop_after = u
            .drop
            .filter(|&n| n < u.sent + len)
            .map(|n| n.saturating_sub(u.sent));
        u.sent += len;
        let op = FtpOp::PutData {
            path: u.path.clone(),
            name: u.name.clone(),
            transfer_type: u.transfer_type,
            data,
            drop_after,
        };
        self.ask(Pending::Chunk, op);
    }

    /// `OK` to a write, then the next credit.
    fn put_credit(&mut self) {
        self.ok();
        self.line(&format!("+FTPPUT: 1,1,{MAX_LENGTH}"));
    }

    /// `AT+FTPMKD`, `AT+FTPRMD`, `AT+FTPDELE`, `AT+FTPSIZE`.
    fn simple(&mut self, op: OpName, form: Action) {
        if form == Action::Test {
            return self.ok();
        }
        let s = &self.settings;
        let dir = s.get_path.clone();
        let work = match op {
            OpName::Mkd | OpName::Rmd => {
                let Some(dir) = dir.map(|d| directory(&d)) else {
                    return self.line("ERROR");
                };
                // Each operation logs in afresh: the path is the
                // directory's own, from the login directory.
                if op == OpName::Mkd {
                    FtpOp::Mkdir { path: None, dir }
                } else {
                    FtpOp::Rmdir { path: None, dir }
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
        self.dropping = false;
        self.ask(Pending::Quit(Some(op.failure(86))), FtpOp::Quit);
    }

    /// Restarts instead of answering: everything is forgotten but the
    /// fault bookkeeping; the server connection is dropped; the power-up
    /// lines follow.
    fn restart(&mut self) {
        let out = core::mem::take(&mut self.out);
        let held = core::mem::take(&mut self.held);
        let late = self.late.take();
        let mut ops = core::mem::take(&mut self.ops);
        ops.push_back(FtpOp::Reset);
        let (injector, now) = (self.injector.clone(), self.now);
        *self = SimcomModem::new(self.config.clone());
        self.out = out;
        self.held = held;
        self.late = late;
        self.ops = ops;
        self.injector = injector;
        self.now = now;
        for line in ["RDY", "+CFUN: 1", "+CPIN: READY"] {
            self.line(line);
        }
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
        let open = self.bearer.get(usize::from(s.cid).wrapping_sub(1)) == Some(&1);
        let (Some(host), true) = (s.server.clone(), open) else {
            self.line(&op.failure(if open { 63 } else { 61 }));
            return false;
        };
        self.download = None;
        self.dropping = false;
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
        let dropped = core::mem::take(&mut self.dropping);
        match (op, result) {
            (OpName::Get | OpName::List, FtpResult::Data(mut data)) => {
                if op == OpName::List && !data.is_empty() && !data.ends_with(b"\n") {
                    data.extend_from_slice(b"\r\n");
                }
                self.buffer(op, data, ok);
            }
            // A data connection that broke (the `drop-data` fault, or a
            // get cut after data moved): what arrived is read, then 79.
            (OpName::Get | OpName::List, FtpResult::Failed { partial })
                if dropped || (op == OpName::Get && !partial.is_empty()) =>
            {
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
        if data.is_empty() {
            self.download = None;
            self.ask(Pending::Quit(Some(end)), FtpOp::Quit);
            return;
        }
        self.download = Some(Download {
            op,
            data,
            pos: 0,
            end,
            ended: false,
        });
        // The modem's FTP session is over; the host reads its buffer, and
        // the operation runs until it is read empty.
        self.line(&format!("{}: 1,1", op.urc()));
        self.ask(Pending::Quit(None), FtpOp::Quit);
    }

    // ------------------------------------------------------------ writing

    fn ok(&mut self) {
        self.line("OK");
    }

    /// One line, framed `\r\n<line>\r\n`, perhaps after an unsolicited one.
    fn line(&mut self, line: &str) {
        self.noise_line();
        self.framed(line);
    }

    fn framed(&mut self, line: &str) {
        let mut bytes = Vec::with_capacity(line.len() + 4);
        bytes.extend_from_slice(b"\r\n");
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        self.send_raw(&bytes);
    }

    /// The `urc` fault: now and then an unsolicited line no FTP job cares
    /// about.
    fn noise_line(&mut self) {
        if self.injector.urc_now() {
            let urc = match self.injector.below(2) {
                0 => "+CPIN: READY",
                _ => "Call Ready",
            };
            self.framed(urc);
        }
    }

    /// Queues bytes for the host, through the byte faults; while an answer
    /// is late, into the held answer.
    fn send_raw(&mut self, bytes: &[u8]) {
        if self.late.is_some() {
            self.held.extend_from_slice(bytes);
            return;
        }
        self.injector.send(bytes, &mut self.out);
    }
}

/// What a setting command did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stored {
    /// `=?`: answered `OK`.
    Test,
    /// `?`: the value, then `OK`.
    Query,
    /// `=<value>`, kept: `OK`.
    Set,
    /// `=<value>` the simulated modem does not take: `ERROR`.
    Refused,
}

/// Applies a setting's form; `store` keeps a set value, false when it
/// refuses it.
fn set<T>(form: Setting<T>, store: impl FnOnce(T) -> bool) -> Stored {
    match form {
        Setting::Test => Stored::Test,
        Setting::Query => Stored::Query,
        Setting::Set(v) => {
            if store(v) {
                Stored::Set
            } else {
                Stored::Refused
            }
        }
    }
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn run(modem: &mut SimcomModem, input: &[u8]) -> Vec<u8> {
        let taken = modem.handle_input(Duration::ZERO, input);
        assert_eq!(taken, input.len());
        modem.poll_output().unwrap_or_default()
    }

    fn quiet() -> SimcomModem {
        SimcomModem::new(ModemConfig {
            echo: false,
            ..ModemConfig::default()
        })
    }

    #[test]
    fn bearer_opens_once() {
        let mut m = quiet();
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
        let mut m = quiet();
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

    #[test]
    fn settings_read_back_and_refuse_what_the_table_refuses() {
        let mut m = quiet();
        let out = run(
            &mut m,
            b"AT+FTPPUTNAME=\"a, b.bin\"\rAT+FTPPUTNAME?\rat+ftptype=a\rAT+FTPTYPE?\r",
        );
        assert_eq!(
            out,
            b"\r\nOK\r\n\r\n+FTPPUTNAME: \"a, b.bin\"\r\n\r\nOK\r\n\
              \r\nOK\r\n\r\n+FTPTYPE: \"A\"\r\n\r\nOK\r\n"
        );
        for refused in [
            &b"AT+FTPUN=\"x\r"[..],
            b"AT+FTPSERV=\"\"\r",
            b"AT+FTPCID=0\r",
            b"AT+FTPPUTOPT=\"APPE\"\r",
            b"AT+FTPGET=2,0\r",
            b"HELLO\r",
        ] {
            assert_eq!(run(&mut m, refused), b"\r\nERROR\r\n", "{refused:?}");
        }
        assert_eq!(
            run(&mut m, b"AT+FTPPW?\r"),
            b"\r\n+FTPPW: \"hidden\"\r\n\r\nOK\r\n"
        );
    }

    #[test]
    fn a_refused_write_takes_no_bytes() {
        // No upload open: `ERROR`, and what follows is a command line.
        let mut m = quiet();
        assert_eq!(
            run(&mut m, b"AT+FTPPUT=2,10\rAT\r"),
            b"\r\nERROR\r\n\r\nOK\r\n"
        );
    }

    #[test]
    fn a_late_answer_waits_and_a_restart_says_so() {
        let mut m = SimcomModem::new(ModemConfig {
            echo: false,
            faults: "late=AT#1:2000,restart=AT#2".parse().unwrap(),
            ..ModemConfig::default()
        });
        assert_eq!(run(&mut m, b"AT\rATE0\r"), b"");
        assert_eq!(m.poll_timeout(), Some(Duration::from_secs(2)));
        m.handle_timeout(Duration::from_secs(2));
        assert_eq!(m.poll_output().unwrap(), b"\r\nOK\r\n\r\nOK\r\n");
        assert_eq!(
            run(&mut m, b"AT\r"),
            b"\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n"
        );
        assert_eq!(m.poll_ftp(), Some(FtpOp::Reset));
    }
}
