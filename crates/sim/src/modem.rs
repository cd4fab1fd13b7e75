//! The modem side of the protocol as a sans-IO state machine.
//!
//! [`Modem`] reads host bytes with proto's [`CommandDecoder`], answers each
//! command as `SPEC.md` §3 says with bytes written by proto's
//! [`ResponseEncoder`], and asks for the FTP work it cannot do itself as
//! [`FtpOp`]s. It does no I/O and reads no clock:
//!
//! 1. [`Modem::handle_input`] with the host's bytes, [`Modem::handle_ftp_result`]
//!    with the outcome of the last [`Modem::poll_ftp`], [`Modem::handle_timeout`]
//!    when [`Modem::poll_timeout`] has passed;
//! 2. then drain [`Modem::poll_ftp`] (carry each out, one at a time) and
//!    [`Modem::poll_output`] (write to the host).
//!
//! One command at a time, as a real modem: while an operation is out or a
//! late answer waits, host bytes are kept (up to [`RX_LIMIT`]) and read
//! after. Faults ([`crate::fault`]) are decided here, from the seed, so a
//! run is reproducible without I/O.

use core::fmt;
use core::time::Duration;
use std::collections::VecDeque;

use cellftp_proto::{
    Action, CmeError, Command, CommandDecoder, CommandName, Decoded, Info, InfoValue, Mode,
    Operation, Put, Request, Response, ResponseEncoder, ServCode, Setting, TransferType, Urc,
    MAX_FRAGMENT, MAX_LINE,
};

use crate::fault::{Answer, Faults, Injector};
use crate::op::{FtpOp, FtpResult};

/// Host bytes kept while the modem is busy; more are refused (a real modem's
/// UART buffer overflows). [`Modem::handle_input`] says how many it took.
pub const RX_LIMIT: usize = 64 * 1024;

/// How the simulated modem behaves.
#[derive(Debug, Clone, PartialEq)]
pub struct ModemConfig {
    /// Echo command lines at start (`ATE1`); a real modem starts with echo on.
    pub echo: bool,
    /// Bytes of file data per `+FTPGET` chunk, 1 ..= 2048.
    pub get_chunk: usize,
    /// The PDP context is active at start (no `AT+CGACT=1,1` needed).
    pub pdp_active: bool,
    /// Faults to inject.
    pub faults: Faults,
}

impl Default for ModemConfig {
    fn default() -> Self {
        Self {
            echo: true,
            get_chunk: 1024,
            pdp_active: false,
            faults: Faults::none(),
        }
    }
}

/// The settings the FTP commands set (`SPEC.md` §3.5 to §3.14). Its
/// `Debug` hides the password.
#[derive(Clone, PartialEq, Eq)]
struct Settings {
    port: u16,
    mode: Mode,
    transfer_type: TransferType,
    reset: u32,
    server: Option<String>,
    user: Option<String>,
    password: Option<String>,
    get_name: Option<String>,
    put_name: Option<String>,
    path: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            port: 21,
            mode: Mode::Active,
            transfer_type: TransferType::Binary,
            reset: 0,
            server: None,
            user: None,
            password: None,
            get_name: None,
            put_name: None,
            path: None,
        }
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("port", &self.port)
            .field("mode", &self.mode)
            .field("transfer_type", &self.transfer_type)
            .field("reset", &self.reset)
            .field("server", &self.server)
            .field("user", &self.user)
            .field("password", &Hidden(self.password.is_some()))
            .field("get_name", &self.get_name)
            .field("put_name", &self.put_name)
            .field("path", &self.path)
            .finish()
    }
}

/// What the modem waits for before it reads the next command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Busy {
    /// Nothing: the next command is read at once.
    Idle,
    /// The result of the operation asked for, for `command`.
    Ftp(CommandName),
    /// A late answer, held until then.
    Late(Duration),
}

/// The simulated modem; see the module docs. Its `Debug` shows neither
/// the password nor the bytes it holds (host bytes not read yet, answers
/// not sent yet), which may be `AT+FTPPW=<password>` and its echo.
pub struct Modem {
    config: ModemConfig,
    decoder: CommandDecoder,
    encoder: ResponseEncoder,
    rx: Vec<u8>,
    out: Vec<u8>,
    /// A late answer's bytes, sent when its time comes.
    held: Vec<u8>,
    /// The deadline a held answer waits for.
    late_until: Option<Duration>,
    ops: VecDeque<FtpOp>,
    busy: Busy,
    echo: bool,
    cfun: u8,
    pdp: bool,
    connected: bool,
    logged_in: bool,
    /// Bytes sent in the open upload, if one is open.
    upload: Option<u64>,
    /// The `drop-data` fault of the open upload: its byte count.
    upload_drop: Option<u64>,
    /// `AT+FTPPUTNAME` was set and no upload has used it yet: an
    /// `AT+FTPPUT=0` then stores an empty file.
    put_pending: bool,
    /// An upload chunk refused (over 1024 bytes): its continuations are
    /// skipped.
    skipping_put: bool,
    /// Inside an overlong line already answered.
    overlong: bool,
    settings: Settings,
    /// The faults' bookkeeping, kept across restarts.
    injector: Injector,
    now: Duration,
}

impl fmt::Debug for Modem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Modem")
            .field("config", &self.config)
            .field("rx", &Held(self.rx.len()))
            .field("out", &Held(self.out.len()))
            .field("held", &Held(self.held.len()))
            .field("late_until", &self.late_until)
            .field("ops", &self.ops)
            .field("busy", &self.busy)
            .field("echo", &self.echo)
            .field("cfun", &self.cfun)
            .field("pdp", &self.pdp)
            .field("connected", &self.connected)
            .field("logged_in", &self.logged_in)
            .field("upload", &self.upload)
            .field("settings", &self.settings)
            .field("count", &self.injector.count())
            .field("now", &self.now)
            .finish_non_exhaustive()
    }
}

/// A password in `Debug` output: `<redacted>` if there is one.
pub(crate) struct Hidden(pub(crate) bool);

impl fmt::Debug for Hidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0 { "Some(<redacted>)" } else { "None" })
    }
}

/// Bytes in `Debug` output, by their number only.
pub(crate) struct Held(pub(crate) usize);

impl fmt::Debug for Held {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0)
    }
}

/// Room for one encoded item: the largest is a `+FTPGET` chunk header and a
/// fragment, or a line and its framing.
const ITEM_ROOM: usize = MAX_FRAGMENT + 64 + 4;

impl Modem {
    /// A modem just powered on.
    pub fn new(config: ModemConfig) -> Self {
        Self {
            injector: Injector::new(&config.faults),
            echo: config.echo,
            pdp: config.pdp_active,
            config,
            decoder: CommandDecoder::new(),
            encoder: ResponseEncoder::new(),
            rx: Vec::new(),
            out: Vec::new(),
            held: Vec::new(),
            late_until: None,
            ops: VecDeque::new(),
            busy: Busy::Idle,
            cfun: 1,
            connected: false,
            logged_in: false,
            upload: None,
            upload_drop: None,
            put_pending: false,
            skipping_put: false,
            overlong: false,
            settings: Settings::default(),
            now: Duration::ZERO,
        }
    }

    /// Takes host bytes received at `now` (time since any fixed start);
    /// returns how many were taken (fewer than given when [`RX_LIMIT`] is
    /// reached: offer the rest later).
    #[must_use = "bytes not taken must be offered again"]
    pub fn handle_input(&mut self, now: Duration, bytes: &[u8]) -> usize {
        self.tick(now);
        let n = bytes.len().min(RX_LIMIT.saturating_sub(self.rx.len()));
        self.rx
            .extend_from_slice(bytes.get(..n).unwrap_or_default());
        self.process();
        n
    }

    /// The outcome of the operation last returned by [`Modem::poll_ftp`].
    pub fn handle_ftp_result(&mut self, now: Duration, result: FtpResult) {
        self.tick(now);
        let Busy::Ftp(command) = self.busy else {
            // A result nobody waits for: the modem restarted meanwhile.
            return;
        };
        self.busy = Busy::Idle;
        self.finish(command, result);
        self.hold_if_late();
        self.process();
    }

    /// Tells the modem the time; sends a late answer whose time has come.
    pub fn handle_timeout(&mut self, now: Duration) {
        self.tick(now);
        self.release();
        self.process();
    }

    /// When [`Modem::handle_timeout`] must be called next.
    pub fn poll_timeout(&self) -> Option<Duration> {
        match self.busy {
            Busy::Late(t) => Some(t),
            _ => None,
        }
    }

    /// The next FTP operation to carry out; answer it with
    /// [`Modem::handle_ftp_result`] (except [`FtpOp::Reset`]).
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
        self.busy == Busy::Idle && self.ops.is_empty()
    }

    fn tick(&mut self, now: Duration) {
        self.now = self.now.max(now);
    }

    /// Sends a held late answer when its time has come.
    fn release(&mut self) {
        if let Busy::Late(t) = self.busy {
            if self.now >= t {
                self.busy = Busy::Idle;
                let held = core::mem::take(&mut self.held);
                self.send_raw(&held);
            }
        }
    }

    /// Reads commands while the modem is free.
    fn process(&mut self) {
        while self.busy == Busy::Idle {
            let buf = core::mem::take(&mut self.rx);
            let (consumed, item_end) = match self.decoder.decode(&buf) {
                Decoded::NeedMore { consumed } => (consumed, false),
                Decoded::Item { item, consumed } => {
                    if self.echo {
                        self.echo_item(&item, buf.get(..consumed).unwrap_or_default());
                    }
                    self.request(item);
                    (consumed, true)
                }
            };
            self.rx = buf;
            self.rx.drain(..consumed.min(self.rx.len()));
            if !item_end {
                return;
            }
        }
    }

    /// Echoes what the host sent for `item` (`consumed`, the bytes the
    /// decoder took for it) as a modem does: the line as received, then the
    /// CR that ends it (`SPEC.md` §1.6), before the answer. The line ends
    /// the decoder takes before an item (the last line's terminator, a
    /// stray LF) are not echoed: which item takes them depends on how the
    /// input was cut, and the echo must not.
    fn echo_item(&mut self, item: &Request<'_>, consumed: &[u8]) {
        let (bytes, line_end) = match item {
            // Payload bytes, echoed as they are; the line ends after the
            // last of them.
            Request::Continuation(_) => (consumed, !self.decoder.in_payload()),
            _ => {
                let start = consumed
                    .iter()
                    .position(|&b| b != b'\r' && b != b'\n')
                    .unwrap_or(consumed.len());
                let bytes = consumed.get(start..).unwrap_or_default();
                let line_end = match item {
                    Request::FtpPutStart { .. } => !self.decoder.in_payload(),
                    // A full piece may be followed by more of the line.
                    Request::Overlong(piece) => piece.len() < MAX_LINE,
                    _ => true,
                };
                (bytes, line_end)
            }
        };
        self.send_raw(bytes);
        if line_end {
            self.send_raw(b"\r");
        }
    }

    /// One item from the host.
    fn request(&mut self, item: Request<'_>) {
        match item {
            Request::Command(command) => {
                self.overlong = false;
                if !matches!(command, Command::FtpPut(Put::Data(_))) {
                    self.skipping_put = false;
                }
                self.command(command);
            }
            Request::FtpPutStart { .. } => {
                self.overlong = false;
                self.skipping_put = true;
                self.injector.count_other();
                self.final_result(Response::Error);
            }
            Request::Continuation(_) => {}
            Request::Unknown(_) => {
                self.overlong = false;
                self.skipping_put = false;
                self.injector.count_other();
                self.final_result(Response::Error);
            }
            Request::Overlong(_) => {
                if !self.overlong {
                    self.overlong = true;
                    self.injector.count_other();
                    self.final_result(Response::Error);
                }
            }
            _ => {
                debug_assert!(false, "a request kind the modem does not know");
                self.final_result(Response::Error);
            }
        }
    }

    /// Counts the command and returns the fault that hits it, if any.
    fn fault_for(&mut self, name: CommandName) -> Option<Answer> {
        self.injector.command(name.as_str())
    }

    fn command(&mut self, command: Command<'_>) {
        match self.fault_for(command.name()) {
            None => {}
            Some(Answer::Error) => return self.final_result(Response::Error),
            Some(Answer::Cme(code)) => {
                return self.final_result(Response::CmeError(CmeError::Code(code)))
            }
            Some(Answer::Never) => return,
            Some(Answer::Restart) => return self.restart(),
            Some(Answer::Late(delay)) => {
                self.late_until = Some(self.now + delay);
            }
        }
        self.execute(command);
        self.hold_if_late();
    }

    /// After a command was handled (or its operation asked for): a late
    /// answer waits until its time.
    fn hold_if_late(&mut self) {
        if self.busy == Busy::Idle {
            if let Some(t) = self.late_until.take() {
                self.busy = Busy::Late(t);
                self.release();
            }
        }
    }

    fn restart(&mut self) {
        self.ops.push_back(FtpOp::Reset);
        let faults = self.config.faults.clone();
        let injector = self.injector.clone();
        let out = core::mem::take(&mut self.out);
        let ops = core::mem::take(&mut self.ops);
        *self = Modem::new(ModemConfig {
            faults,
            ..self.config.clone()
        });
        self.out = out;
        self.ops = ops;
        self.injector = injector;
        for urc in [Urc::Ready, Urc::Cfun(1), Urc::Cpin(b"READY")] {
            self.item(&Response::Urc(urc));
        }
    }

    fn ask(&mut self, command: CommandName, op: FtpOp) {
        self.ops.push_back(op);
        self.busy = Busy::Ftp(command);
    }

    fn execute(&mut self, command: Command<'_>) {
        let s = &mut self.settings;
        match command {
            Command::At => self.ok(),
            Command::Echo(on) => {
                self.echo = on;
                self.ok();
            }
            Command::Cfun(Setting::Test) => self.info_then_ok(CommandName::Cfun, b"(0,1,4),(0,1)"),
            Command::Cfun(Setting::Query) => {
                let fun = u32::from(self.cfun);
                self.item(&Response::Urc(Urc::Cfun(fun)));
                self.ok();
            }
            Command::Cfun(Setting::Set(c)) => {
                if c.reset == Some(true) {
                    self.ok();
                    self.restart();
                } else {
                    self.cfun = c.fun;
                    self.ok();
                }
            }
            Command::Cgact(Setting::Test) => self.info_then_ok(CommandName::Cgact, b"(0,1)"),
            Command::Cgact(Setting::Query) => {
                let line = if self.pdp { "1,1" } else { "1,0" };
                self.text_info(CommandName::Cgact, line.as_bytes());
                self.ok();
            }
            Command::Cgact(Setting::Set(c)) => {
                self.pdp = c.activate;
                if !c.activate {
                    self.connected = false;
                    self.logged_in = false;
                }
                self.ok();
            }
            Command::FtpPort(Setting::Test) => {
                self.info_then_ok(CommandName::FtpPort, b"(1-65535)")
            }
            Command::FtpPort(Setting::Query) => {
                let port = u32::from(s.port);
                self.number_then_ok(CommandName::FtpPort, port);
            }
            Command::FtpPort(Setting::Set(p)) => {
                s.port = p;
                self.ok();
            }
            Command::FtpMode(Setting::Test) => self.info_then_ok(CommandName::FtpMode, b"(0-1)"),
            Command::FtpMode(Setting::Query) => {
                let m = u32::from(s.mode == Mode::Passive);
                self.number_then_ok(CommandName::FtpMode, m);
            }
            Command::FtpMode(Setting::Set(m)) => {
                s.mode = m;
                self.ok();
            }
            Command::FtpType(Setting::Test) => self.info_then_ok(CommandName::FtpType, b"(I/A)"),
            Command::FtpType(Setting::Query) => {
                let t: &[u8] = match s.transfer_type {
                    TransferType::Binary => b"I",
                    TransferType::Ascii => b"A",
                };
                self.text_info(CommandName::FtpType, t);
                self.ok();
            }
            Command::FtpType(Setting::Set(t)) => {
                s.transfer_type = t;
                self.ok();
            }
            Command::FtpReset(Setting::Test) => {
                self.placeholder_then_ok(CommandName::FtpReset, b"value")
            }
            Command::FtpReset(Setting::Query) => {
                let r = s.reset;
                self.number_then_ok(CommandName::FtpReset, r);
            }
            Command::FtpReset(Setting::Set(r)) => {
                s.reset = r;
                self.ok();
            }
            Command::FtpServ(Setting::Test) => {
                self.placeholder_then_ok(CommandName::FtpServ, b"IP")
            }
            Command::FtpServ(Setting::Query) => {
                let v = s.server.clone().unwrap_or_default();
                self.text_info(CommandName::FtpServ, v.as_bytes());
                self.ok();
            }
            Command::FtpServ(Setting::Set(host)) => {
                s.server = Some(host.as_str().to_owned());
                if !self.pdp {
                    self.item(&Response::ServResult(ServCode::PdpNotActive));
                    return self.final_result(Response::Error);
                }
                let op = FtpOp::Connect {
                    host: host.as_str().to_owned(),
                    port: s.port,
                    mode: s.mode,
                };
                self.connected = false;
                self.logged_in = false;
                self.upload = None;
                self.ask(CommandName::FtpServ, op);
            }
            Command::FtpUn(Setting::Test) => {
                self.placeholder_then_ok(CommandName::FtpUn, b"username")
            }
            Command::FtpUn(Setting::Query) => {
                let v = s.user.clone().unwrap_or_default();
                self.text_info(CommandName::FtpUn, v.as_bytes());
                self.ok();
            }
            Command::FtpUn(Setting::Set(u)) => {
                s.user = Some(u.as_str().to_owned());
                self.ok();
            }
            Command::FtpPw(Setting::Test) => {
                self.placeholder_then_ok(CommandName::FtpPw, b"password")
            }
            Command::FtpPw(Setting::Query) => {
                // In clear, as the manual says (`SPEC.md` §5 item 35).
                let v = s.password.clone().unwrap_or_default();
                self.text_info(CommandName::FtpPw, v.as_bytes());
                self.ok();
            }
            Command::FtpPw(Setting::Set(p)) => {
                let password = String::from_utf8_lossy(p.expose()).into_owned();
                s.password = Some(password.clone());
                match (&s.user, self.connected) {
                    (Some(user), true) => {
                        let op = FtpOp::Login {
                            user: user.clone(),
                            password,
                        };
                        self.ask(CommandName::FtpPw, op);
                    }
                    _ => self.final_result(Response::Error),
                }
            }
            Command::FtpGetName(f) => {
                let v = setting(&mut s.get_name, f);
                self.text_setting(CommandName::FtpGetName, v, b"file name");
            }
            Command::FtpPutName(f) => {
                self.put_pending |= matches!(f, Setting::Set(_));
                let v = setting(&mut s.put_name, f);
                self.text_setting(CommandName::FtpPutName, v, b"put name");
            }
            Command::FtpPath(f) => {
                let v = setting(&mut s.path, f);
                self.text_setting(CommandName::FtpPath, v, b"file path");
            }
            Command::FtpMkd(Operation::Test) => {
                self.placeholder_then_ok(CommandName::FtpMkd, b"dir")
            }
            Command::FtpRmd(Operation::Test) => {
                self.placeholder_then_ok(CommandName::FtpRmd, b"dir")
            }
            Command::FtpMkd(Operation::Run(d)) => {
                let op = FtpOp::Mkdir {
                    path: s.path.clone(),
                    dir: d.as_str().to_owned(),
                };
                self.when_logged_in(CommandName::FtpMkd, op);
            }
            Command::FtpRmd(Operation::Run(d)) => {
                let op = FtpOp::Rmdir {
                    path: s.path.clone(),
                    dir: d.as_str().to_owned(),
                };
                self.when_logged_in(CommandName::FtpRmd, op);
            }
            Command::FtpGet(Action::Test) => self.empty_then_ok(CommandName::FtpGet),
            Command::FtpGet(Action::Execute) => match s.get_name.clone() {
                None => self.final_result(Response::Error),
                Some(name) => {
                    let op = FtpOp::Get {
                        path: s.path.clone(),
                        name,
                        transfer_type: s.transfer_type,
                        offset: s.reset,
                        drop_after: None,
                    };
                    self.transfer(CommandName::FtpGet, op);
                }
            },
            Command::FtpList(Action::Test) => self.empty_then_ok(CommandName::FtpList),
            Command::FtpList(Action::Execute) => {
                let op = FtpOp::List {
                    path: s.path.clone(),
                    drop_after: None,
                };
                self.transfer(CommandName::FtpList, op);
            }
            Command::FtpPut(Put::Test) => self.empty_then_ok(CommandName::FtpPut),
            Command::FtpPut(Put::Data(data)) => {
                if self.skipping_put {
                    // The upload already failed: refuse until it is closed.
                    return self.final_result(Response::Error);
                }
                let Some(name) = s.put_name.clone() else {
                    return self.final_result(Response::Error);
                };
                let sent = match self.upload {
                    Some(sent) => sent,
                    None => {
                        // A new upload: a `drop-data` fault applies to it.
                        self.put_pending = false;
                        self.upload = Some(0);
                        self.upload_drop = self.injector.next_drop();
                        0
                    }
                };
                let len = data.len() as u64;
                let drop_after = self
                    .upload_drop
                    .filter(|&n| n < sent + len)
                    .map(|n| n.saturating_sub(sent));
                self.upload = Some(sent + len);
                let op = FtpOp::PutData {
                    path: s.path.clone(),
                    name,
                    transfer_type: s.transfer_type,
                    data: data.to_vec(),
                    drop_after,
                };
                self.when_logged_in(CommandName::FtpPut, op);
            }
            Command::FtpPut(Put::End) => {
                self.skipping_put = false;
                self.upload_drop = None;
                let pending = core::mem::take(&mut self.put_pending);
                if self.upload.take().is_some() {
                    self.ask(CommandName::FtpPut, FtpOp::PutEnd);
                } else if let (true, Some(name)) = (pending, s.put_name.clone()) {
                    let op = FtpOp::PutEmpty {
                        path: s.path.clone(),
                        name,
                        transfer_type: s.transfer_type,
                    };
                    self.when_logged_in(CommandName::FtpPut, op);
                } else {
                    self.ok();
                }
            }
            Command::FtpScon(Action::Test) => self.empty_then_ok(CommandName::FtpScon),
            Command::FtpScon(Action::Execute) => self.scon(),
            Command::FtpQuit(Action::Test) => self.empty_then_ok(CommandName::FtpQuit),
            Command::FtpQuit(Action::Execute) => {
                self.connected = false;
                self.logged_in = false;
                self.upload = None;
                self.ask(CommandName::FtpQuit, FtpOp::Quit);
            }
            _ => {
                debug_assert!(false, "a command the simulator does not know");
                self.final_result(Response::Error);
            }
        }
    }

    fn when_logged_in(&mut self, command: CommandName, op: FtpOp) {
        if self.logged_in {
            self.ask(command, op);
        } else {
            self.final_result(Response::Error);
        }
    }

    /// A get or a list: the next `drop-data` fault applies to it.
    fn transfer(&mut self, command: CommandName, mut op: FtpOp) {
        if !self.logged_in {
            return self.final_result(Response::Error);
        }
        let drop = self.injector.next_drop();
        match &mut op {
            FtpOp::Get { drop_after, .. } | FtpOp::List { drop_after, .. } => *drop_after = drop,
            _ => {}
        }
        self.ask(command, op);
    }

    /// The answer to `command` once its operation is done.
    fn finish(&mut self, command: CommandName, result: FtpResult) {
        match (command, result) {
            (CommandName::FtpServ, FtpResult::Done) => {
                self.connected = true;
                self.item(&Response::ServResult(ServCode::Success));
                self.ok();
            }
            (CommandName::FtpServ, FtpResult::ServFailed(code)) => {
                self.item(&Response::ServResult(code));
                self.final_result(Response::Error);
            }
            (CommandName::FtpPw, FtpResult::Done) => {
                self.logged_in = true;
                self.ok();
            }
            (CommandName::FtpGet, FtpResult::Data(data)) => {
                self.chunks(&data);
                self.ok();
            }
            (CommandName::FtpGet, FtpResult::Failed { partial }) => {
                self.chunks(&partial);
                self.final_result(Response::Error);
            }
            (CommandName::FtpList, FtpResult::Data(listing)) => {
                self.listing(&listing);
                self.ok();
            }
            (CommandName::FtpPut, FtpResult::Failed { .. }) => {
                // A broken upload: this chunk and the next are refused
                // until `AT+FTPPUT=0`.
                self.skipping_put = self.upload.is_some();
                self.final_result(Response::Error);
            }
            (_, FtpResult::Done) => self.ok(),
            (_, _) => self.final_result(Response::Error),
        }
    }

    fn chunks(&mut self, data: &[u8]) {
        let size = self.config.get_chunk.clamp(1, MAX_FRAGMENT);
        for chunk in data.chunks(size) {
            self.item(&Response::FtpGet {
                len: chunk.len() as u32,
                data: chunk,
            });
        }
    }

    fn listing(&mut self, listing: &[u8]) {
        let lines: Vec<&[u8]> = listing
            .split(|&b| b == b'\n' || b == b'\r')
            .filter(|l| !l.is_empty())
            .collect();
        let len = ResponseEncoder::listing_len(lines.iter().copied());
        let Ok(len) = u32::try_from(len) else {
            return self.final_result(Response::Error);
        };
        let mode = u32::from(self.settings.mode == Mode::Passive);
        self.item(&Response::FtpList { mode, len });
        for line in lines {
            if line.len() <= MAX_LINE {
                self.item(&Response::ListLine(line));
            } else {
                for piece in line.chunks(MAX_LINE) {
                    self.item(&Response::Overlong(piece));
                }
            }
        }
    }

    fn scon(&mut self) {
        self.item(&Response::Info(Info {
            name: CommandName::FtpScon,
            value: InfoValue::Empty,
        }));
        let s = self.settings.clone();
        let mode = u32::from(s.mode == Mode::Passive);
        self.text_info(
            CommandName::FtpServ,
            s.server.as_deref().unwrap_or("").as_bytes(),
        );
        self.number(CommandName::FtpPort, u32::from(s.port));
        self.text_info(
            CommandName::FtpUn,
            s.user.as_deref().unwrap_or("").as_bytes(),
        );
        // The password is hidden, as the host's logs must hide it.
        self.item(&Response::Info(Info {
            name: CommandName::FtpPw,
            value: InfoValue::Placeholder(b"hidden"),
        }));
        self.number(CommandName::FtpMode, mode);
        let t: &[u8] = match s.transfer_type {
            TransferType::Binary => b"I",
            TransferType::Ascii => b"A",
        };
        self.text_info(CommandName::FtpType, t);
        self.text_info(
            CommandName::FtpPath,
            s.path.as_deref().unwrap_or("").as_bytes(),
        );
        self.text_info(
            CommandName::FtpGetName,
            s.get_name.as_deref().unwrap_or("").as_bytes(),
        );
        self.text_info(
            CommandName::FtpPutName,
            s.put_name.as_deref().unwrap_or("").as_bytes(),
        );
        self.number(CommandName::FtpReset, s.reset);
        self.ok();
    }

    // ------------------------------------------------------------ writing

    fn ok(&mut self) {
        self.final_result(Response::Ok);
    }

    fn final_result(&mut self, r: Response<'_>) {
        self.item(&r);
    }

    fn info_then_ok(&mut self, name: CommandName, range: &[u8]) {
        let inner = range
            .strip_prefix(b"(")
            .and_then(|r| r.strip_suffix(b")"))
            .unwrap_or(range);
        self.item(&Response::Info(Info {
            name,
            value: InfoValue::Range(inner),
        }));
        self.ok();
    }

    fn placeholder_then_ok(&mut self, name: CommandName, what: &[u8]) {
        self.item(&Response::Info(Info {
            name,
            value: InfoValue::Placeholder(what),
        }));
        self.ok();
    }

    fn empty_then_ok(&mut self, name: CommandName) {
        self.item(&Response::Info(Info {
            name,
            value: InfoValue::Empty,
        }));
        self.ok();
    }

    fn number(&mut self, name: CommandName, n: u32) {
        self.item(&Response::Info(Info {
            name,
            value: InfoValue::Number(n),
        }));
    }

    fn number_then_ok(&mut self, name: CommandName, n: u32) {
        self.number(name, n);
        self.ok();
    }

    /// `+NAME: <value>` for a free-form value: as the decoder will read it
    /// (a value of digits reads as a number, and so on).
    fn text_info(&mut self, name: CommandName, value: &[u8]) {
        let value = if value.is_empty() {
            InfoValue::Empty
        } else {
            InfoValue::Text(value)
        };
        let item = Response::Info(Info { name, value });
        if self.encoder.encoded_len(&item).is_ok() {
            return self.item(&item);
        }
        // A value the decoder reads as a number, a range or a placeholder:
        // written as it is, it reads back as that, which is what it says.
        let mut line = Vec::with_capacity(value_len(&value) + 16);
        line.extend_from_slice(name.as_str().as_bytes());
        line.extend_from_slice(b": ");
        if let InfoValue::Text(t) = value {
            line.extend_from_slice(t);
        }
        self.raw_line(&line);
    }

    fn text_setting(&mut self, name: CommandName, v: Option<Option<String>>, what: &[u8]) {
        match v {
            None => self.ok(),
            Some(None) => self.placeholder_then_ok(name, what),
            Some(Some(value)) => {
                self.text_info(name, value.as_bytes());
                self.ok();
            }
        }
    }

    /// Writes one response item, with an unsolicited line before it now
    /// and then when the `urc` fault says so.
    fn item(&mut self, item: &Response<'_>) {
        let line_item = !matches!(
            item,
            Response::Continuation(_) | Response::ListLine(_) | Response::Overlong(_)
        );
        if line_item && self.encoder.is_between_items() && self.injector.urc_now() {
            let urc: &[u8] = match self.injector.below(3) {
                0 => b"READY",
                _ => b"",
            };
            let noise = if urc.is_empty() {
                Response::Urc(Urc::Cgev(if self.injector.below(2) == 0 {
                    b"ME PDN ACT 1"
                } else {
                    b"NW MODIFY 1,0,0"
                }))
            } else {
                Response::Urc(Urc::Cpin(urc))
            };
            self.encode(&noise);
        }
        self.encode(item);
    }

    fn encode(&mut self, item: &Response<'_>) {
        let mut buf = [0u8; ITEM_ROOM];
        match self.encoder.encode(item, &mut buf) {
            Ok(n) => {
                let bytes = buf.get(..n).unwrap_or_default().to_vec();
                self.send_raw(&bytes);
            }
            Err(e) => {
                debug_assert!(false, "the simulator wrote an item it cannot encode: {e}");
            }
        }
    }

    /// A free-form line, framed like every other.
    fn raw_line(&mut self, line: &[u8]) {
        debug_assert!(self.encoder.is_between_items());
        let mut bytes = Vec::with_capacity(line.len() + 4);
        bytes.extend_from_slice(b"\r\n");
        bytes.extend_from_slice(line);
        bytes.extend_from_slice(b"\r\n");
        self.send_raw(&bytes);
    }

    /// Queues bytes for the host, through the byte faults; while an answer
    /// is late, into the held answer.
    fn send_raw(&mut self, bytes: &[u8]) {
        if self.late_until.is_some() || matches!(self.busy, Busy::Late(_)) {
            self.held.extend_from_slice(bytes);
            return;
        }
        self.injector.send(bytes, &mut self.out);
    }
}

fn value_len(v: &InfoValue<'_>) -> usize {
    match v {
        InfoValue::Text(t) | InfoValue::Range(t) | InfoValue::Placeholder(t) => t.len(),
        InfoValue::Empty | InfoValue::Number(_) => 0,
    }
}

/// Applies a text setting's form: `None` after a set (answer `OK`),
/// `Some(value)` for a query, `Some(None)` for a test.
fn setting(
    slot: &mut Option<String>,
    form: Setting<cellftp_proto::Text<'_>>,
) -> Option<Option<String>> {
    match form {
        Setting::Set(t) => {
            *slot = Some(t.as_str().to_owned());
            None
        }
        Setting::Query => Some(Some(slot.clone().unwrap_or_default())),
        Setting::Test => Some(None),
    }
}
