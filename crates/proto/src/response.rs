//! What the modem sends: the [`Response`] items [`crate::ResponseDecoder`]
//! returns, and their parts.

use core::fmt;

use crate::bytes::Bytes;
use crate::command::CommandName;
use crate::grammar::host;
use crate::request::Request;
use crate::secret::Redacted;

/// One item of the modem-to-host stream.
///
/// Everything borrows from the buffer given to
/// [`crate::ResponseDecoder::decode`].
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Response<'a> {
    /// `OK`: the command succeeded.
    Ok,
    /// `ERROR`: the command failed.
    Error,
    /// `+CME ERROR: <err>`: the command failed, with a mobile equipment error.
    CmeError(CmeError<'a>),
    /// `+CMS ERROR: <err>`: the command failed, with a message service error.
    CmsError(CmeError<'a>),
    /// Another final result code that ends a command as a failure: ITU-T
    /// V.250's `NO CARRIER`, `BUSY`, `NO ANSWER`, `NO DIALTONE`, or a
    /// vendor's `MODEM ERROR: <n>` / `COMMAND NOT SUPPORT`.
    ResultCode(ResultCode),
    /// `+FTPSERV:<code>`: the result of connecting to the server.
    ServResult(ServCode),
    /// `+FTPGET:<len>,<data>`: a chunk of the downloaded file. When `len`
    /// exceeds [`crate::MAX_FRAGMENT`], `data` holds the first fragment and
    /// [`Response::Continuation`] items follow with the rest.
    FtpGet {
        /// The announced length of this chunk.
        len: u32,
        /// The chunk's bytes (or its first fragment).
        data: &'a [u8],
    },
    /// The next fragment of a long `+FTPGET` chunk or of an echoed long
    /// `AT+FTPPUT` chunk.
    Continuation(&'a [u8]),
    /// `+FTPLIST:<mode>,<len>`: a listing of `len` bytes follows, as
    /// [`Response::ListLine`] items.
    FtpList {
        /// The undocumented first field, kept as data (see `SPEC.md`).
        mode: u32,
        /// The listing's length in bytes.
        len: u32,
    },
    /// One line of a directory listing; see [`crate::listing`].
    ListLine(&'a [u8]),
    /// An information response `+<NAME>: <value>` to a command.
    Info(Info<'a>),
    /// The modem echoing a command line (echo on, `ATE1`); read when asked
    /// ([`Echo::request`]).
    Echo(Echo<'a>),
    /// An unsolicited result code.
    Urc(Urc<'a>),
    /// Any other line, whole.
    Unknown(&'a [u8]),
    /// A piece of a line longer than [`crate::MAX_LINE`], skipped.
    Overlong(&'a [u8]),
}

impl<'a> Response<'a> {
    /// False for the items the decoder did not understand:
    /// [`Response::Unknown`] and [`Response::Overlong`]. An echoed command
    /// line counts as recognised whatever it says.
    pub fn is_recognised(&self) -> bool {
        !matches!(self, Response::Unknown(_) | Response::Overlong(_))
    }

    /// The final result code this item is, if it is one: it ends the
    /// response to a command.
    pub fn final_result(&self) -> Option<FinalResult<'a>> {
        match *self {
            Response::Ok => Some(FinalResult::Ok),
            Response::Error => Some(FinalResult::Error),
            Response::CmeError(e) => Some(FinalResult::Cme(e)),
            Response::CmsError(e) => Some(FinalResult::Cms(e)),
            Response::ResultCode(c) => Some(FinalResult::Code(c)),
            _ => None,
        }
    }
}

impl fmt::Debug for Response<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Response::Ok => f.write_str("Ok"),
            Response::Error => f.write_str("Error"),
            Response::CmeError(e) => f.debug_tuple("CmeError").field(e).finish(),
            Response::CmsError(e) => f.debug_tuple("CmsError").field(e).finish(),
            Response::ResultCode(c) => f.debug_tuple("ResultCode").field(c).finish(),
            Response::ServResult(c) => f.debug_tuple("ServResult").field(c).finish(),
            Response::FtpGet { len, data } => f
                .debug_struct("FtpGet")
                .field("len", len)
                .field("data", &Bytes(data))
                .finish(),
            Response::Continuation(d) => f.debug_tuple("Continuation").field(&Bytes(d)).finish(),
            Response::FtpList { mode, len } => f
                .debug_struct("FtpList")
                .field("mode", mode)
                .field("len", len)
                .finish(),
            Response::ListLine(l) => f.debug_tuple("ListLine").field(&Bytes(l)).finish(),
            Response::Info(i) => f.debug_tuple("Info").field(i).finish(),
            Response::Echo(r) => f.debug_tuple("Echo").field(r).finish(),
            Response::Urc(u) => f.debug_tuple("Urc").field(u).finish(),
            Response::Unknown(l) => f.debug_tuple("Unknown").field(&Redacted(l)).finish(),
            Response::Overlong(l) => f.debug_tuple("Overlong").field(&l.len()).finish(),
        }
    }
}

/// A command line the modem echoed (echo on, `ATE1`), read when asked.
///
/// The decoder frames an echoed line without reading it: a driver that only
/// compares the echo with the line it sent never runs the command grammar
/// (on a Cortex-M4, 2.2 KiB of flash). [`Echo::request`] reads it as
/// [`crate::CommandDecoder`] reads the line the host sent. Two echoes are
/// equal when they read as the same request, and `Debug` shows the request.
/// An echo holds no more than a line, so a [`Response`] is 32 bytes on a
/// 64-bit target (40 when it held the request), which the decoder's loop
/// hands over for every item.
///
/// ```
/// use cellftp_proto::{Action, Command, Decoded, Request, Response, ResponseDecoder};
///
/// let mut decoder = ResponseDecoder::new();
/// let Decoded::Item { item: Response::Echo(echo), .. } = decoder.decode(b"AT+FTPQUIT\r\r\n")
/// else { panic!() };
/// assert_eq!(echo.line(), Some(&b"AT+FTPQUIT"[..]));
/// assert_eq!(echo.request(), Request::Command(Command::FtpQuit(Action::Execute)));
/// ```
#[derive(Clone, Copy)]
pub struct Echo<'a>(EchoForm<'a>);

/// What an [`Echo`] holds.
#[derive(Clone, Copy)]
enum EchoForm<'a> {
    /// A complete line without its terminator, not read yet.
    Line(&'a [u8]),
    /// An echoed `AT+FTPPUT=<len>,<data>`, whose data the decoder framed as
    /// a payload: its announced length and (first) data.
    Put {
        /// The announced length.
        len: u32,
        /// The data, or its first fragment.
        data: &'a [u8],
    },
}

impl<'a> Echo<'a> {
    /// The echo of `line`, a command line without its terminator, to be
    /// read when asked.
    pub const fn from_line(line: &'a [u8]) -> Self {
        Echo(EchoForm::Line(line))
    }

    /// The echo of `AT+FTPPUT=<len>,<data>` with its data, or the first
    /// fragment of it when `len` exceeds [`crate::MAX_FRAGMENT`]: what the
    /// decoder makes of one, since the data may hold line ends.
    pub const fn from_put(len: u32, data: &'a [u8]) -> Self {
        Echo(EchoForm::Put { len, data })
    }

    /// The request the echo is: for a line, a command we would send or
    /// [`Request::Unknown`] with the whole line; for an echoed put, the
    /// `AT+FTPPUT` command, or [`Request::FtpPutStart`] for a chunk over
    /// [`crate::MAX_PUT_DATA`].
    pub fn request(&self) -> Request<'a> {
        match self.0 {
            EchoForm::Line(line) => match host::command_line(line) {
                Some(c) => Request::Command(c),
                None => Request::Unknown(line),
            },
            EchoForm::Put { len, data } => Request::put(len, data),
        }
    }

    /// The echoed line as it came, without its terminator; `None` for an
    /// echoed `AT+FTPPUT=<len>,<data>`, whose data came as a payload.
    pub fn line(&self) -> Option<&'a [u8]> {
        match self.0 {
            EchoForm::Line(line) => Some(line),
            EchoForm::Put { .. } => None,
        }
    }
}

impl PartialEq for Echo<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.request() == other.request()
    }
}

impl Eq for Echo<'_> {}

impl fmt::Debug for Echo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.request().fmt(f)
    }
}

/// A final result code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FinalResult<'a> {
    /// `OK`.
    Ok,
    /// `ERROR`.
    Error,
    /// `+CME ERROR: <err>`.
    Cme(CmeError<'a>),
    /// `+CMS ERROR: <err>`.
    Cms(CmeError<'a>),
    /// A V.250 or vendor failure code ([`ResultCode`]).
    Code(ResultCode),
    /// A line the caller declared a final result code (a vendor's code the
    /// decoder does not know), whole; `ok` says whether it means success.
    Declared {
        /// The line.
        line: &'a [u8],
        /// True if it ends the command successfully.
        ok: bool,
    },
}

/// The final result codes other than `OK`, `ERROR`, `+CME ERROR` and
/// `+CMS ERROR`; each ends a command as a failure (`SPEC.md` §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResultCode {
    /// `NO CARRIER` (V.250 code 3): the connection ended or never came up.
    NoCarrier,
    /// `BUSY` (V.250 code 7).
    Busy,
    /// `NO ANSWER` (V.250 code 8).
    NoAnswer,
    /// `NO DIALTONE` or `NO DIAL TONE` (V.250 code 6).
    NoDialtone,
    /// `MODEM ERROR: <n>` (Quectel/SIMCom firmware); `None` when what
    /// follows the colon is not a number.
    ModemError(Option<u16>),
    /// `COMMAND NOT SUPPORT` / `COMMAND NOT SUPPORTED` (ESP and SIMCom
    /// firmware).
    NotSupported,
}

/// The `<err>` of `+CME ERROR` / `+CMS ERROR`: numeric (`AT+CMEE=1`) or
/// verbose (`AT+CMEE=2`). Codes are listed in 3GPP TS 27.007 §9.2 and
/// TS 27.005 §3.2.5; unknown ones are kept as they are.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CmeError<'a> {
    /// A numeric code.
    Code(u16),
    /// A verbose message.
    Text(&'a [u8]),
}

impl CmeError<'_> {
    /// The numeric code, if the modem gave one.
    pub fn code(&self) -> Option<u16> {
        match self {
            CmeError::Code(c) => Some(*c),
            CmeError::Text(_) => None,
        }
    }

    /// The numeric code: the modem's, or, for a verbose message, the code
    /// whose meaning it is as [`CmeError::describe`] words it, compared
    /// without regard to ASCII case or spaces at its ends (`+CME ERROR:
    /// SIM not inserted` is 10). `None` for an empty message or one the
    /// table does not list.
    pub fn known_code(&self) -> Option<u16> {
        match self {
            CmeError::Code(c) => Some(*c),
            CmeError::Text(t) => {
                let t = t.trim_ascii();
                CME_MEANINGS
                    .iter()
                    .find(|(_, m)| m.as_bytes().eq_ignore_ascii_case(t))
                    .map(|(c, _)| *c)
            }
        }
    }

    /// The 3GPP TS 27.007 §9.2 meaning of a common `+CME ERROR` code.
    pub fn describe(code: u16) -> Option<&'static str> {
        CME_MEANINGS
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, m)| *m)
    }
}

/// Common `+CME ERROR` codes and their meanings, as 3GPP TS 27.007 §9.2
/// words them (the verbose form, `AT+CMEE=2`, is the meaning).
const CME_MEANINGS: &[(u16, &str)] = &[
    (0, "phone failure"),
    (1, "no connection to phone"),
    (3, "operation not allowed"),
    (4, "operation not supported"),
    (10, "SIM not inserted"),
    (11, "SIM PIN required"),
    (13, "SIM failure"),
    (14, "SIM busy"),
    (20, "memory full"),
    (30, "no network service"),
    (31, "network timeout"),
    (50, "incorrect parameters"),
    (100, "unknown"),
    (132, "service option not supported"),
    (133, "requested service option not subscribed"),
    (134, "service option temporarily out of order"),
    (148, "unspecified GPRS error"),
    (149, "PDP authentication failure"),
];

impl fmt::Debug for CmeError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CmeError::Code(c) => f.debug_tuple("Code").field(c).finish(),
            CmeError::Text(t) => f.debug_tuple("Text").field(&Bytes(t)).finish(),
        }
    }
}

/// The result code of `AT+FTPSERV=<ip>` (`+FTPSERV:<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServCode {
    /// `0`: connected to the server. Not a login: the user name and
    /// password are sent after it, and the login counts as done only when
    /// they succeed too (`SPEC.md` §5, item 20).
    Success,
    /// `1`: the PDP context is not active.
    PdpNotActive,
    /// `2`: the IP address is wrong.
    BadAddress,
    /// `3`: the address cannot be reached.
    Unreachable,
    /// `4`: the connection timed out.
    ConnectTimeout,
    /// `5`: the FTP server refused.
    Refused,
    /// A code the manual does not list.
    Other(u16),
}

impl ServCode {
    /// The code for its number.
    pub const fn from_code(code: u16) -> Self {
        match code {
            0 => ServCode::Success,
            1 => ServCode::PdpNotActive,
            2 => ServCode::BadAddress,
            3 => ServCode::Unreachable,
            4 => ServCode::ConnectTimeout,
            5 => ServCode::Refused,
            n => ServCode::Other(n),
        }
    }

    /// The number on the wire.
    pub const fn code(self) -> u16 {
        match self {
            ServCode::Success => 0,
            ServCode::PdpNotActive => 1,
            ServCode::BadAddress => 2,
            ServCode::Unreachable => 3,
            ServCode::ConnectTimeout => 4,
            ServCode::Refused => 5,
            ServCode::Other(n) => n,
        }
    }
}

/// The name and value of an information response such as `+FTPMODE: 1`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Info<'a> {
    /// Which command's information this is (the name the line carries, which
    /// the manual sometimes gets wrong; see `SPEC.md`).
    pub name: InfoName,
    /// The value after the name and its colon.
    pub value: InfoValue<'a>,
}

/// The name an information response carries.
pub type InfoName = CommandName;

impl fmt::Debug for Info<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Info");
        s.field("name", &self.name);
        if self.name == CommandName::FtpPw && !matches!(self.value, InfoValue::Empty) {
            s.field("value", &format_args!("<redacted>"));
        } else {
            s.field("value", &self.value);
        }
        s.finish()
    }
}

/// The value of an information response, classified.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum InfoValue<'a> {
    /// Nothing after the name (`+FTPGET`, `+FTPSCON :`).
    Empty,
    /// A decimal number (`+FTPMODE: 0`, `+FTPRESET:5`).
    Number(u32),
    /// A range from a test command, without its (ASCII or full-width)
    /// parentheses: `(0-1)` is `0-1`, `(I/A)` is `I/A`.
    Range(&'a [u8]),
    /// A placeholder the manual prints literally, without its angle
    /// brackets: `<username>` is `username`.
    Placeholder(&'a [u8]),
    /// Any other value (`+FTPSERV: 129.168.0.1`, `+FTPUN: xs`).
    Text(&'a [u8]),
}

impl fmt::Debug for InfoValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InfoValue::Empty => f.write_str("Empty"),
            InfoValue::Number(n) => f.debug_tuple("Number").field(n).finish(),
            InfoValue::Range(r) => f.debug_tuple("Range").field(&Bytes(r)).finish(),
            InfoValue::Placeholder(p) => f.debug_tuple("Placeholder").field(&Bytes(p)).finish(),
            InfoValue::Text(t) => f.debug_tuple("Text").field(&Bytes(t)).finish(),
        }
    }
}

/// An unsolicited result code: something the modem says on its own.
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Urc<'a> {
    /// `RDY`: the modem (re)started.
    Ready,
    /// `+CPIN: <state>`, e.g. `READY`.
    Cpin(&'a [u8]),
    /// `+CFUN: <fun>`: the functionality level changed (after a restart, 1).
    Cfun(u32),
    /// `NORMAL POWER DOWN`, `POWERED DOWN`, `UNDER-VOLTAGE POWER DOWN`, …
    PowerDown(&'a [u8]),
    /// `+CGEV: <event>`: a packet domain event (3GPP TS 27.007 §10.1.19).
    Cgev(&'a [u8]),
    /// `+PDP: DEACT`: the network deactivated the PDP context.
    PdpDeact,
}

impl Urc<'_> {
    /// True for the codes that mean the modem restarted: `RDY` and
    /// `+CFUN: 1`.
    pub fn is_restart(&self) -> bool {
        matches!(self, Urc::Ready | Urc::Cfun(1))
    }

    /// The command (its text after `AT`) whose answer this line also is:
    /// `+CPIN: READY` answers `AT+CPIN?`, `+CFUN: 1` answers `AT+CFUN?`.
    /// Such a line could be either; the decoder cannot tell, the caller,
    /// who knows the command in flight, decides (`SPEC.md` §5 item 47).
    ///
    /// ```
    /// use cellftp_proto::Urc;
    /// assert_eq!(Urc::Cpin(b"READY").could_answer(), Some("+CPIN"));
    /// assert_eq!(Urc::Ready.could_answer(), None);
    /// ```
    pub fn could_answer(&self) -> Option<&'static str> {
        match self {
            Urc::Cpin(_) => Some("+CPIN"),
            Urc::Cfun(_) => Some("+CFUN"),
            Urc::Cgev(_) => Some("+CGEV"),
            Urc::Ready | Urc::PowerDown(_) | Urc::PdpDeact => None,
        }
    }
}

impl fmt::Debug for Urc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Urc::Ready => f.write_str("Ready"),
            Urc::Cpin(s) => f.debug_tuple("Cpin").field(&Bytes(s)).finish(),
            Urc::Cfun(n) => f.debug_tuple("Cfun").field(n).finish(),
            Urc::PowerDown(s) => f.debug_tuple("PowerDown").field(&Bytes(s)).finish(),
            Urc::Cgev(s) => f.debug_tuple("Cgev").field(&Bytes(s)).finish(),
            Urc::PdpDeact => f.write_str("PdpDeact"),
        }
    }
}
