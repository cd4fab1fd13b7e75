//! The SIMCom dialect's command table: every command the host sends,
//! declared once, and the encoder that writes each one.
//!
//! Each row of the `commands!` invocation below gives a command's variant,
//! its form type (which forms it has and how they are written), its text
//! after `AT`, the [`QuotedKind`] of its string parameter (whose limits the
//! encoder checks; `()` for a row without one), and its [`TimeoutClass`]
//! for the forms that run and for those that only ask. [`Command`],
//! [`CommandName`], the name lookup of both grammars, the encoder's and the
//! parser's dispatch, [`Command::timeout_class`] and [`Command::from_seed`]
//! (with which tests and fuzzers build a command of every row) come from the
//! rows.

use crate::encode::Writer;
use crate::error::EncodeError;
use crate::param::{Action, FormKind, Mode, Seed, Setting, Sink, TransferType};

use crate::lex::{parse_u32, trim};

use super::text::{Password, Quoted, QuotedKind, SecretKind};

/// Which default timeout of `SPEC-simcom.md` §1.10 applies to a command;
/// the durations are the session's ([`Command::timeout_class`]).
///
/// Not `#[non_exhaustive]`: a new class must break every `match` that picks
/// a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimeoutClass {
    /// 5 s: `AT`, `ATE`, every local setting, `AT+SAPBR` queries and
    /// parameters, `AT+FTPSTATE`, `AT+FTPQUIT`, and every test and read
    /// form.
    Local,
    /// 85 s: `AT+SAPBR=1,<cid>`, opening the bearer.
    BearerOpen,
    /// 65 s: `AT+SAPBR=0,<cid>`, closing the bearer.
    BearerClose,
    /// 75 s: the final result of an operation's start (`AT+FTPGET=1`,
    /// `AT+FTPPUT=1`, `AT+FTPLIST=1`, `AT+FTPMKD`, `AT+FTPRMD`,
    /// `AT+FTPDELE`, `AT+FTPSIZE`).
    Operation,
    /// 75 s of inactivity, restarted by payload bytes: `AT+FTPGET=2,<n>`,
    /// `AT+FTPLIST=2,<n>`.
    Read,
    /// 75 s: `AT+FTPPUT=2,<n>` until its header, then until its final
    /// result; `AT+FTPPUT=2,0`.
    Write,
}

/// The largest `<reqlength>` of a read (`AT+FTPGET=2,<n>`,
/// `AT+FTPLIST=2,<n>`) and of a write (`AT+FTPPUT=2,<n>`): 1460 bytes.
pub const MAX_READ: u16 = 1460;

/// The largest upload chunk the session writes, whatever `<maxlength>`
/// says: 1460 bytes (`SPEC-simcom.md` §6 item 13).
pub const MAX_PUT_DATA: usize = 1460;

/// The longest command line [`Command::encode`] writes:
/// `AT+FTPGETPATH="` + 255 bytes + `"` + CR.
pub const MAX_COMMAND: usize = 272;

/// `AT+SAPBR` in its forms (`SPEC-simcom.md` §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bearer<'a> {
    /// `AT+SAPBR=?`.
    Test,
    /// `AT+SAPBR=3,<cid>,"<tag>","<value>"`: set one parameter.
    Set {
        /// The bearer profile, 1 to 3.
        cid: u8,
        /// The parameter and its value.
        param: BearerParam<'a>,
    },
    /// `AT+SAPBR=4,<cid>`: read the parameters (never sent by the session:
    /// the answer shows the password).
    Get {
        /// The bearer profile.
        cid: u8,
    },
    /// `AT+SAPBR=1,<cid>`: open the bearer.
    Open {
        /// The bearer profile.
        cid: u8,
    },
    /// `AT+SAPBR=2,<cid>`: query its status.
    Query {
        /// The bearer profile.
        cid: u8,
    },
    /// `AT+SAPBR=0,<cid>`: close it.
    Close {
        /// The bearer profile.
        cid: u8,
    },
}

/// A bearer parameter of `AT+SAPBR=3,…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BearerParam<'a> {
    /// `"Contype","GPRS"`.
    ContypeGprs,
    /// `"APN","<apn>"`.
    Apn(Quoted<'a>),
    /// `"USER","<user>"`.
    User(Quoted<'a>),
    /// `"PWD","<password>"`, redacted everywhere but in the command line.
    Password(Password<'a>),
}

/// `AT+FTPGET` and `AT+FTPLIST` in their forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transfer {
    /// `=?`.
    Test,
    /// `=1`: start the operation; URCs follow.
    Open,
    /// `=2,<n>`: read up to `n` (1 to [`MAX_READ`]) bytes of the modem's
    /// buffer.
    Read(u16),
}

/// `AT+FTPPUT` in its forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Upload {
    /// `=?`.
    Test,
    /// `=1`: start the upload; `+FTPPUT: 1,1,<maxlength>` follows.
    Open,
    /// `=2,<n>`: announce a chunk of up to `n` (1 to [`MAX_READ`]) bytes;
    /// the modem answers `+FTPPUT: 2,<cnf>` and the host writes `cnf`
    /// bytes.
    Write(u16),
    /// `=2,0`: the upload is complete.
    End,
}

/// `AT+FTPPUTOPT` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PutOpt {
    /// `"STOR"`: store, replacing the file.
    Stor,
    /// `"APPE"`: append.
    Appe,
    /// `"STOU"`: store under a name the server chooses (and the modem
    /// does not report).
    Stou,
}

/// One parameter value: how it is written, read back, checked and seeded.
pub(crate) trait Value<'a>: Sized {
    /// What the row says beyond the type: the [`QuotedKind`] of a
    /// [`Quoted`], nothing (`()`) for the others.
    type Kind: Copy;
    fn emit<S: Sink>(&self, out: &mut S);
    /// Reads a value (spaces around it trimmed, quotes still on). `None` if
    /// it is not one the encoder would send.
    fn parse(kind: Self::Kind, v: &'a [u8]) -> Option<Self>;
    /// Refuses what the type allows but the row does not.
    fn check(&self, _kind: Self::Kind) -> Result<(), EncodeError> {
        Ok(())
    }
    /// The value `seed` describes (see [`Command::from_seed`]).
    fn from_seed(kind: Self::Kind, seed: &Seed<'a>) -> Result<Self, EncodeError>;
}

impl<'a> Value<'a> for u8 {
    type Kind = ();
    fn emit<S: Sink>(&self, out: &mut S) {
        out.num(u32::from(*self));
    }
    fn parse((): (), v: &[u8]) -> Option<Self> {
        u8::try_from(parse_u32(v)?).ok().filter(|n| *n <= 3)
    }
    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok((seed.number % 4) as u8)
    }
    fn check(&self, (): ()) -> Result<(), EncodeError> {
        // `AT+FTPCID` profile: 0 to 3 (0 on SIM7080 only; the session picks).
        if *self > 3 {
            return Err(EncodeError::OutOfRange {
                what: "bearer profile",
                min: 0,
                max: 3,
                value: u32::from(*self),
            });
        }
        Ok(())
    }
}

impl<'a> Value<'a> for u16 {
    type Kind = ();
    fn emit<S: Sink>(&self, out: &mut S) {
        out.num(u32::from(*self));
    }
    fn parse((): (), v: &[u8]) -> Option<Self> {
        u16::try_from(parse_u32(v)?).ok().filter(|n| *n != 0)
    }
    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok((seed.number % u32::from(u16::MAX)) as u16 + 1)
    }
    fn check(&self, (): ()) -> Result<(), EncodeError> {
        if *self == 0 {
            return Err(EncodeError::PortZero);
        }
        Ok(())
    }
}

impl<'a> Value<'a> for u32 {
    type Kind = ();
    fn emit<S: Sink>(&self, out: &mut S) {
        out.num(*self);
    }
    fn parse((): (), v: &[u8]) -> Option<Self> {
        parse_u32(v)
    }
    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(seed.number)
    }
}

impl<'a> Value<'a> for Mode {
    type Kind = ();
    fn emit<S: Sink>(&self, out: &mut S) {
        out.put(match self {
            Mode::Active => b"0",
            Mode::Passive => b"1",
        });
    }
    fn parse((): (), v: &[u8]) -> Option<Self> {
        match v {
            b"0" => Some(Mode::Active),
            b"1" => Some(Mode::Passive),
            _ => None,
        }
    }
    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(if seed.flags & 1 == 1 {
            Mode::Passive
        } else {
            Mode::Active
        })
    }
}

impl<'a> Value<'a> for TransferType {
    type Kind = ();
    fn emit<S: Sink>(&self, out: &mut S) {
        out.put(match self {
            TransferType::Ascii => b"\"A\"",
            TransferType::Binary => b"\"I\"",
        });
    }
    fn parse((): (), v: &[u8]) -> Option<Self> {
        match unquote(v)? {
            [b'A' | b'a'] => Some(TransferType::Ascii),
            [b'I' | b'i'] => Some(TransferType::Binary),
            _ => None,
        }
    }
    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(if seed.flags & 1 == 1 {
            TransferType::Binary
        } else {
            TransferType::Ascii
        })
    }
}

impl<'a> Value<'a> for PutOpt {
    type Kind = ();
    fn emit<S: Sink>(&self, out: &mut S) {
        out.put(match self {
            PutOpt::Stor => b"\"STOR\"",
            PutOpt::Appe => b"\"APPE\"",
            PutOpt::Stou => b"\"STOU\"",
        });
    }
    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(match seed.number % 3 {
            0 => PutOpt::Stor,
            1 => PutOpt::Appe,
            _ => PutOpt::Stou,
        })
    }
    fn parse((): (), v: &[u8]) -> Option<Self> {
        let v = unquote(v)?;
        [
            (&b"STOR"[..], PutOpt::Stor),
            (b"APPE", PutOpt::Appe),
            (b"STOU", PutOpt::Stou),
        ]
        .into_iter()
        .find(|(w, _)| v.eq_ignore_ascii_case(w))
        .map(|(_, o)| o)
    }
}

fn quoted<S: Sink>(out: &mut S, bytes: &[u8]) {
    out.put(b"\"");
    out.put(bytes);
    out.put(b"\"");
}

impl<'a> Value<'a> for Quoted<'a> {
    type Kind = QuotedKind;
    fn emit<S: Sink>(&self, out: &mut S) {
        quoted(out, self.as_bytes());
    }
    fn parse(kind: QuotedKind, v: &'a [u8]) -> Option<Self> {
        Quoted::from_bytes(kind, unquote(v)?).ok()
    }
    fn check(&self, kind: QuotedKind) -> Result<(), EncodeError> {
        if kind == self.kind() {
            Ok(())
        } else {
            // Validated as another kind: the row's limits (and address
            // rule) decide.
            Quoted::from_bytes(kind, self.as_bytes()).map(|_| ())
        }
    }
    fn from_seed(kind: QuotedKind, seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Quoted::from_bytes(kind, seed.param)
    }
}

impl<'a> Value<'a> for Password<'a> {
    type Kind = ();
    fn emit<S: Sink>(&self, out: &mut S) {
        quoted(out, self.expose());
    }
    fn parse((): (), v: &'a [u8]) -> Option<Self> {
        Password::from_bytes(SecretKind::Ftp, unquote(v)?).ok()
    }
    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Password::from_bytes(SecretKind::Ftp, seed.param)
    }
}

/// A string value without its one pair of enclosing quotes; an unquoted
/// value as it is (`SPEC-simcom.md` §1.5). `None` for a lone quote.
fn unquote(v: &[u8]) -> Option<&[u8]> {
    match v {
        [b'"', inner @ .., b'"'] => Some(inner),
        [b'"', ..] | [.., b'"'] => None,
        v => Some(v),
    }
}

/// What follows a `+NAME` (spaces after it skipped).
enum Raw<'a> {
    /// Nothing.
    Execute,
    /// `=?` (and `?` for commands without a read form).
    Test,
    /// `?`.
    Query,
    /// `=<value>`, trimmed.
    Set(&'a [u8]),
}

fn raw(rest: &[u8]) -> Option<Raw<'_>> {
    match rest {
        [] => Some(Raw::Execute),
        [b'?'] => Some(Raw::Query),
        [b'=', value @ ..] => match trim(value) {
            b"?" => Some(Raw::Test),
            v => Some(Raw::Set(v)),
        },
        _ => None,
    }
}

/// `<a>,<b>` numbers, spaces tolerated.
fn two_numbers(v: &[u8]) -> Option<(u32, u32)> {
    let comma = v.iter().position(|&b| b == b',')?;
    let a = parse_u32(trim(v.get(..comma)?))?;
    let b = parse_u32(trim(v.get(comma + 1..)?))?;
    Some((a, b))
}

/// The shape of everything after a command's name.
pub(crate) trait Form<'a>: Sized {
    /// The [`Value::Kind`] of the value inside, `()` if none.
    type Kind: Copy;
    fn form(&self) -> FormKind;
    /// Reads everything after the name; `None` if it is not a form the
    /// encoder would send.
    fn parse(kind: Self::Kind, rest: &'a [u8]) -> Option<Self>;
    fn emit<S: Sink>(&self, out: &mut S);
    fn check(&self, kind: Self::Kind) -> Result<(), EncodeError>;
    /// The form and value `seed` describes (see [`Command::from_seed`]).
    fn from_seed(kind: Self::Kind, seed: &Seed<'a>) -> Result<Self, EncodeError>;
    fn timeout(&self, run: TimeoutClass, ask: TimeoutClass) -> TimeoutClass {
        match self.form() {
            FormKind::Test | FormKind::Query => ask,
            _ => run,
        }
    }
}

impl<'a, T: Value<'a>> Form<'a> for Setting<T> {
    type Kind = T::Kind;
    fn parse(kind: T::Kind, rest: &'a [u8]) -> Option<Self> {
        match raw(rest)? {
            Raw::Test => Some(Setting::Test),
            Raw::Query => Some(Setting::Query),
            Raw::Set(v) => T::parse(kind, v).map(Setting::Set),
            Raw::Execute => None,
        }
    }
    fn form(&self) -> FormKind {
        match self {
            Setting::Test => FormKind::Test,
            Setting::Query => FormKind::Query,
            Setting::Set(_) => FormKind::Set,
        }
    }
    fn emit<S: Sink>(&self, out: &mut S) {
        match self {
            Setting::Test => out.put(b"=?"),
            Setting::Query => out.put(b"?"),
            Setting::Set(v) => {
                out.put(b"=");
                v.emit(out);
            }
        }
    }
    fn check(&self, kind: T::Kind) -> Result<(), EncodeError> {
        match self {
            Setting::Set(v) => v.check(kind),
            _ => Ok(()),
        }
    }
    fn from_seed(kind: T::Kind, seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(match seed.form % 3 {
            0 => Setting::Test,
            1 => Setting::Query,
            _ => Setting::Set(T::from_seed(kind, seed)?),
        })
    }
}

impl<'a> Form<'a> for Action {
    type Kind = ();
    fn parse((): (), rest: &[u8]) -> Option<Self> {
        match raw(rest)? {
            Raw::Execute => Some(Action::Execute),
            Raw::Test | Raw::Query => Some(Action::Test),
            Raw::Set(_) => None,
        }
    }
    fn form(&self) -> FormKind {
        match self {
            Action::Test => FormKind::Test,
            Action::Execute => FormKind::Execute,
        }
    }
    fn emit<S: Sink>(&self, out: &mut S) {
        if *self == Action::Test {
            out.put(b"=?");
        }
    }
    fn check(&self, (): ()) -> Result<(), EncodeError> {
        Ok(())
    }
    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(match seed.form % 2 {
            0 => Action::Test,
            _ => Action::Execute,
        })
    }
}

impl<'a> Form<'a> for bool {
    type Kind = ();
    fn parse((): (), rest: &[u8]) -> Option<Self> {
        match rest {
            b"0" | b"" => Some(false),
            b"1" => Some(true),
            _ => None,
        }
    }
    fn form(&self) -> FormKind {
        FormKind::Set
    }
    fn emit<S: Sink>(&self, out: &mut S) {
        out.put(if *self { b"1" } else { b"0" });
    }
    fn check(&self, (): ()) -> Result<(), EncodeError> {
        Ok(())
    }
    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(seed.flags & 1 == 1)
    }
}

fn check_cid(cid: u8) -> Result<(), EncodeError> {
    if (1..=3).contains(&cid) {
        Ok(())
    } else {
        Err(EncodeError::OutOfRange {
            what: "bearer profile",
            min: 1,
            max: 3,
            value: u32::from(cid),
        })
    }
}

impl<'a> Form<'a> for Bearer<'a> {
    type Kind = ();
    fn parse((): (), rest: &'a [u8]) -> Option<Self> {
        let v = match raw(rest)? {
            Raw::Test => return Some(Bearer::Test),
            Raw::Set(v) => v,
            Raw::Execute | Raw::Query => return None,
        };
        let mut parts = v.splitn(4, |&b| b == b',').map(trim);
        let op = parse_u32(parts.next()?)?;
        let cid = u8::try_from(parse_u32(parts.next()?)?).ok()?;
        let tag = parts.next();
        let value = parts.next();
        let bearer = match (op, tag, value) {
            (0, None, None) => Bearer::Close { cid },
            (1, None, None) => Bearer::Open { cid },
            (2, None, None) => Bearer::Query { cid },
            (4, None, None) => Bearer::Get { cid },
            (3, Some(tag), Some(value)) => {
                let tag = unquote(tag)?;
                let is = |t: &[u8]| tag.eq_ignore_ascii_case(t);
                let param = if is(b"CONTYPE") && unquote(value)?.eq_ignore_ascii_case(b"GPRS") {
                    BearerParam::ContypeGprs
                } else if is(b"APN") {
                    BearerParam::Apn(Quoted::from_bytes(QuotedKind::Apn, unquote(value)?).ok()?)
                } else if is(b"USER") {
                    BearerParam::User(
                        Quoted::from_bytes(QuotedKind::BearerUser, unquote(value)?).ok()?,
                    )
                } else if is(b"PWD") {
                    BearerParam::Password(
                        Password::from_bytes(SecretKind::Bearer, unquote(value)?).ok()?,
                    )
                } else {
                    return None;
                };
                Bearer::Set { cid, param }
            }
            _ => return None,
        };
        bearer.check(()).ok().map(|()| bearer)
    }
    fn form(&self) -> FormKind {
        match self {
            Bearer::Test => FormKind::Test,
            _ => FormKind::Set,
        }
    }
    fn emit<S: Sink>(&self, out: &mut S) {
        let (op, cid) = match *self {
            Bearer::Test => {
                out.put(b"=?");
                return;
            }
            Bearer::Set { cid, .. } => (3, cid),
            Bearer::Get { cid } => (4, cid),
            Bearer::Open { cid } => (1, cid),
            Bearer::Query { cid } => (2, cid),
            Bearer::Close { cid } => (0, cid),
        };
        out.put(b"=");
        out.num(op);
        out.put(b",");
        out.num(u32::from(cid));
        if let Bearer::Set { param, .. } = self {
            match param {
                BearerParam::ContypeGprs => out.put(b",\"Contype\",\"GPRS\""),
                BearerParam::Apn(v) => {
                    out.put(b",\"APN\",");
                    quoted(out, v.as_bytes());
                }
                BearerParam::User(v) => {
                    out.put(b",\"USER\",");
                    quoted(out, v.as_bytes());
                }
                BearerParam::Password(v) => {
                    out.put(b",\"PWD\",");
                    quoted(out, v.expose());
                }
            }
        }
    }
    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        let cid = (seed.number % 3) as u8 + 1;
        Ok(match seed.form % 6 {
            0 => Bearer::Test,
            1 => Bearer::Set {
                cid,
                param: match (seed.flags >> 1) % 4 {
                    0 => BearerParam::ContypeGprs,
                    1 => BearerParam::Apn(Quoted::from_bytes(QuotedKind::Apn, seed.param)?),
                    2 => BearerParam::User(Quoted::from_bytes(QuotedKind::BearerUser, seed.param)?),
                    _ => {
                        BearerParam::Password(Password::from_bytes(SecretKind::Bearer, seed.param)?)
                    }
                },
            },
            2 => Bearer::Get { cid },
            3 => Bearer::Open { cid },
            4 => Bearer::Query { cid },
            _ => Bearer::Close { cid },
        })
    }
    fn check(&self, (): ()) -> Result<(), EncodeError> {
        match *self {
            Bearer::Test => Ok(()),
            Bearer::Set { cid, param } => {
                check_cid(cid)?;
                match param {
                    BearerParam::Apn(v) => v.check(QuotedKind::Apn),
                    BearerParam::User(v) => v.check(QuotedKind::BearerUser),
                    BearerParam::ContypeGprs | BearerParam::Password(_) => Ok(()),
                }
            }
            Bearer::Get { cid }
            | Bearer::Open { cid }
            | Bearer::Query { cid }
            | Bearer::Close { cid } => check_cid(cid),
        }
    }
    fn timeout(&self, _: TimeoutClass, _: TimeoutClass) -> TimeoutClass {
        match self {
            Bearer::Open { .. } => TimeoutClass::BearerOpen,
            Bearer::Close { .. } => TimeoutClass::BearerClose,
            _ => TimeoutClass::Local,
        }
    }
}

fn check_len(n: u16) -> Result<(), EncodeError> {
    if (1..=MAX_READ).contains(&n) {
        Ok(())
    } else {
        Err(EncodeError::OutOfRange {
            what: "request length",
            min: 1,
            max: u32::from(MAX_READ),
            value: u32::from(n),
        })
    }
}

/// A read or write length from a seed: 1 to [`MAX_READ`].
fn seeded_len(seed: &Seed<'_>) -> u16 {
    (seed.number % u32::from(MAX_READ)) as u16 + 1
}

impl<'a> Form<'a> for Transfer {
    type Kind = ();
    fn parse((): (), rest: &[u8]) -> Option<Self> {
        match raw(rest)? {
            Raw::Test | Raw::Query => Some(Transfer::Test),
            Raw::Set(b"1") => Some(Transfer::Open),
            Raw::Set(v) => match two_numbers(v)? {
                (2, n) => {
                    let read = Transfer::Read(u16::try_from(n).ok()?);
                    read.check(()).ok().map(|()| read)
                }
                _ => None,
            },
            Raw::Execute => None,
        }
    }
    fn form(&self) -> FormKind {
        match self {
            Transfer::Test => FormKind::Test,
            _ => FormKind::Set,
        }
    }
    fn emit<S: Sink>(&self, out: &mut S) {
        match *self {
            Transfer::Test => out.put(b"=?"),
            Transfer::Open => out.put(b"=1"),
            Transfer::Read(n) => {
                out.put(b"=2,");
                out.num(u32::from(n));
            }
        }
    }
    fn check(&self, (): ()) -> Result<(), EncodeError> {
        match *self {
            Transfer::Read(n) => check_len(n),
            _ => Ok(()),
        }
    }
    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(match seed.form % 3 {
            0 => Transfer::Test,
            1 => Transfer::Open,
            _ => Transfer::Read(seeded_len(seed)),
        })
    }
    fn timeout(&self, run: TimeoutClass, ask: TimeoutClass) -> TimeoutClass {
        match self {
            Transfer::Test => ask,
            Transfer::Open => run,
            Transfer::Read(_) => TimeoutClass::Read,
        }
    }
}

impl<'a> Form<'a> for Upload {
    type Kind = ();
    fn parse((): (), rest: &[u8]) -> Option<Self> {
        match raw(rest)? {
            Raw::Test | Raw::Query => Some(Upload::Test),
            Raw::Set(b"1") => Some(Upload::Open),
            Raw::Set(v) => match two_numbers(v)? {
                (2, 0) => Some(Upload::End),
                (2, n) => {
                    let write = Upload::Write(u16::try_from(n).ok()?);
                    write.check(()).ok().map(|()| write)
                }
                _ => None,
            },
            Raw::Execute => None,
        }
    }
    fn form(&self) -> FormKind {
        match self {
            Upload::Test => FormKind::Test,
            _ => FormKind::Set,
        }
    }
    fn emit<S: Sink>(&self, out: &mut S) {
        match *self {
            Upload::Test => out.put(b"=?"),
            Upload::Open => out.put(b"=1"),
            Upload::Write(n) => {
                out.put(b"=2,");
                out.num(u32::from(n));
            }
            Upload::End => out.put(b"=2,0"),
        }
    }
    fn check(&self, (): ()) -> Result<(), EncodeError> {
        match *self {
            Upload::Write(n) => check_len(n),
            _ => Ok(()),
        }
    }
    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(match seed.form % 4 {
            0 => Upload::Test,
            1 => Upload::Open,
            2 => Upload::Write(seeded_len(seed)),
            _ => Upload::End,
        })
    }
    fn timeout(&self, run: TimeoutClass, ask: TimeoutClass) -> TimeoutClass {
        match self {
            Upload::Test => ask,
            Upload::Open => run,
            Upload::Write(_) | Upload::End => TimeoutClass::Write,
        }
    }
}

/// Declares the command table; see the module docs.
macro_rules! commands {
    (
        $(#[doc = $bare_doc:literal])*
        $bare:ident = $bare_wire:literal;
        $(
            $(#[doc = $doc:literal])*
            $name:ident($form:ty) = $wire:literal, kind: $kind:expr, timeout: $run:ident / $ask:ident;
        )*
    ) => {
        impl<'a> Command<'a> {
            /// Reads what follows the name of `name` in a command line.
            pub(crate) fn parse_form(name: CommandName, rest: &'a [u8]) -> Option<Self> {
                match name {
                    CommandName::$bare => rest.is_empty().then_some(Command::$bare),
                    $( CommandName::$name => {
                        <$form as Form<'a>>::parse($kind, rest).map(Command::$name)
                    } )*
                }
            }
        }

        /// One command line of the SIMCom dialect.
        ///
        /// ```
        /// use cellftp_proto::simcom::{Command, Quoted, QuotedKind};
        /// use cellftp_proto::Setting;
        /// let name = Quoted::new(QuotedKind::FileName, "a b.bin")?;
        /// let mut buf = [0u8; 32];
        /// let n = Command::FtpGetName(Setting::Set(name)).encode(&mut buf)?;
        /// assert_eq!(&buf[..n], b"AT+FTPGETNAME=\"a b.bin\"\r");
        /// # Ok::<(), cellftp_proto::EncodeError>(())
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Command<'a> {
            $(#[doc = $bare_doc])*
            $bare,
            $( $(#[doc = $doc])* $name($form), )*
        }

        /// The name of a command of the dialect, without its parameters.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum CommandName {
            $(#[doc = $bare_doc])*
            $bare,
            $( $(#[doc = $doc])* $name, )*
        }

        /// Every name with its text after `AT`, in table order.
        pub(crate) const WIRES: &[(CommandName, &str)] = &[
            (CommandName::$bare, $bare_wire),
            $( (CommandName::$name, $wire), )*
        ];

        impl CommandName {
            /// The command as written after `AT`: `"+FTPSERV"`, `"E"`, `""`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    CommandName::$bare => $bare_wire,
                    $( CommandName::$name => $wire, )*
                }
            }
        }

        impl<'a> Command<'a> {
            /// The command's name.
            pub const fn name(&self) -> CommandName {
                match self {
                    Command::$bare => CommandName::$bare,
                    $( Command::$name(_) => CommandName::$name, )*
                }
            }

            /// The command's form.
            pub fn form(&self) -> FormKind {
                match self {
                    Command::$bare => FormKind::Execute,
                    $( Command::$name(f) => f.form(), )*
                }
            }

            /// Which default timeout of `SPEC-simcom.md` §1.10 applies.
            pub fn timeout_class(&self) -> TimeoutClass {
                match self {
                    Command::$bare => TimeoutClass::Local,
                    $( Command::$name(f) => f.timeout(TimeoutClass::$run, TimeoutClass::$ask), )*
                }
            }

            /// Builds a command of row `name` from `seed`, as
            /// [`crate::Command::from_seed`] does for the first dialect: a
            /// property test or a fuzzer that draws a name from
            /// [`CommandName::iter`] and a seed covers every command and
            /// form of the table without a list of its own.
            ///
            /// `seed.form` picks the form, modulo the number the command
            /// has (a `Setting`: test, query, set; an `Action`: test,
            /// execute; [`Transfer`]: test, open, read; [`Upload`]: test,
            /// open, write, end; [`Bearer`]: test, set, get, open, query,
            /// close). `seed.number` is brought into its parameter's range:
            /// the bearer profile 1 to 3 (`AT+FTPCID` 0 to 3), the port 1 to
            /// 65535, a read or write length 1 to [`MAX_READ`], the
            /// [`PutOpt`] (modulo 3); the restart offset is taken as it is.
            /// Bit 0 of `seed.flags` is echo on, passive mode, binary type;
            /// bits 1–2 pick the `AT+SAPBR=3` parameter (`Contype`, `APN`,
            /// `USER`, `PWD`). `seed.param` is the string, validated as the
            /// row's [`QuotedKind`] (or as the password it is).
            ///
            /// Fails only as [`Quoted::from_bytes`] and
            /// [`Password::from_bytes`] do, when the command takes a string
            /// and `seed.param` is not a valid one.
            ///
            /// ```
            /// use cellftp_proto::simcom::{Command, CommandName, Transfer};
            /// use cellftp_proto::Seed;
            /// let seed = Seed { form: 2, number: 1459, ..Seed::default() };
            /// let c = Command::from_seed(CommandName::FtpGet, &seed)?;
            /// assert_eq!(c, Command::FtpGet(Transfer::Read(1460)));
            /// # Ok::<(), cellftp_proto::EncodeError>(())
            /// ```
            pub fn from_seed(name: CommandName, seed: &Seed<'a>) -> Result<Self, EncodeError> {
                Ok(match name {
                    CommandName::$bare => Command::$bare,
                    $( CommandName::$name => {
                        Command::$name(<$form as Form<'a>>::from_seed($kind, seed)?)
                    } )*
                })
            }

            /// Checks what the types cannot: ranges, the row's string limits.
            fn check(&self) -> Result<(), EncodeError> {
                match self {
                    Command::$bare => Ok(()),
                    $( Command::$name(f) => f.check($kind), )*
                }
            }

            /// Writes the whole line: `AT`, the name, the form, CR.
            fn emit<S: Sink>(&self, out: &mut S) {
                out.put(b"AT");
                out.put(self.name().as_str().as_bytes());
                match self {
                    Command::$bare => {}
                    $( Command::$name(f) => f.emit(out), )*
                }
                out.put(b"\r");
            }
        }
    };
}

commands! {
    /// `AT`: is anyone there?
    At = "";
    /// `ATE0` (false) / `ATE1` (true): command echo off or on.
    Echo(bool) = "E", kind: (), timeout: Local / Local;
    /// `AT+SAPBR`: the bearer profile (not on SIM7080).
    Sapbr(Bearer<'a>) = "+SAPBR", kind: (), timeout: Local / Local;
    /// `AT+FTPCID`: the bearer profile (PDP index on SIM7080) FTP uses.
    FtpCid(Setting<u8>) = "+FTPCID", kind: (), timeout: Local / Local;
    /// `AT+FTPSERV`: the server's address (only stored).
    FtpServ(Setting<Quoted<'a>>) = "+FTPSERV", kind: QuotedKind::Server, timeout: Local / Local;
    /// `AT+FTPPORT`: the control port.
    FtpPort(Setting<u16>) = "+FTPPORT", kind: (), timeout: Local / Local;
    /// `AT+FTPUN`: the user name.
    FtpUn(Setting<Quoted<'a>>) = "+FTPUN", kind: QuotedKind::User, timeout: Local / Local;
    /// `AT+FTPPW`: the password.
    FtpPw(Setting<Password<'a>>) = "+FTPPW", kind: (), timeout: Local / Local;
    /// `AT+FTPMODE`: active or passive.
    FtpMode(Setting<Mode>) = "+FTPMODE", kind: (), timeout: Local / Local;
    /// `AT+FTPTYPE`: `"A"` ASCII or `"I"` binary.
    FtpType(Setting<TransferType>) = "+FTPTYPE", kind: (), timeout: Local / Local;
    /// `AT+FTPPUTOPT`: store, append or store unique.
    FtpPutOpt(Setting<PutOpt>) = "+FTPPUTOPT", kind: (), timeout: Local / Local;
    /// `AT+FTPREST`: the byte offset the next get starts at.
    FtpRest(Setting<u32>) = "+FTPREST", kind: (), timeout: Local / Local;
    /// `AT+FTPGETNAME`: the file of get, delete and size.
    FtpGetName(Setting<Quoted<'a>>) = "+FTPGETNAME", kind: QuotedKind::FileName, timeout: Local / Local;
    /// `AT+FTPGETPATH`: the directory of get, delete, size, list, mkdir, rmdir.
    FtpGetPath(Setting<Quoted<'a>>) = "+FTPGETPATH", kind: QuotedKind::Path, timeout: Local / Local;
    /// `AT+FTPPUTNAME`: the file of put.
    FtpPutName(Setting<Quoted<'a>>) = "+FTPPUTNAME", kind: QuotedKind::FileName, timeout: Local / Local;
    /// `AT+FTPPUTPATH`: the directory of put.
    FtpPutPath(Setting<Quoted<'a>>) = "+FTPPUTPATH", kind: QuotedKind::Path, timeout: Local / Local;
    /// `AT+FTPGET`: download (`=1`) and read (`=2,<n>`).
    FtpGet(Transfer) = "+FTPGET", kind: (), timeout: Operation / Local;
    /// `AT+FTPPUT`: upload (`=1`), write (`=2,<n>`), end (`=2,0`).
    FtpPut(Upload) = "+FTPPUT", kind: (), timeout: Operation / Local;
    /// `AT+FTPLIST`: list (`=1`) and read (`=2,<n>`).
    FtpList(Transfer) = "+FTPLIST", kind: (), timeout: Operation / Local;
    /// `AT+FTPMKD`: create the directory `AT+FTPGETPATH` names.
    FtpMkd(Action) = "+FTPMKD", kind: (), timeout: Operation / Local;
    /// `AT+FTPRMD`: remove the directory `AT+FTPGETPATH` names.
    FtpRmd(Action) = "+FTPRMD", kind: (), timeout: Operation / Local;
    /// `AT+FTPDELE`: delete the file `AT+FTPGETPATH` + `AT+FTPGETNAME`.
    FtpDele(Action) = "+FTPDELE", kind: (), timeout: Operation / Local;
    /// `AT+FTPSIZE`: the size of the file `AT+FTPGETPATH` + `AT+FTPGETNAME`.
    FtpSize(Action) = "+FTPSIZE", kind: (), timeout: Operation / Local;
    /// `AT+FTPSTATE`: 0 idle, 1 an operation runs.
    FtpState(Action) = "+FTPSTATE", kind: (), timeout: Local / Local;
    /// `AT+FTPQUIT`: end the running operation's FTP session.
    FtpQuit(Action) = "+FTPQUIT", kind: (), timeout: Local / Local;
}

impl core::fmt::Display for CommandName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "AT{}", self.as_str())
    }
}

impl CommandName {
    /// Every command name of the table, in table order.
    pub fn iter() -> impl ExactSizeIterator<Item = CommandName> + Clone {
        WIRES.iter().map(|&(name, _)| name)
    }
}

impl Command<'_> {
    /// Writes the command's canonical bytes, ending in CR, to the start of
    /// `buf`; returns how many. Everything is checked first: on error
    /// nothing is written. [`MAX_COMMAND`] bytes are always enough.
    ///
    /// ```
    /// use cellftp_proto::simcom::{Command, Upload};
    /// let mut buf = [0u8; 32];
    /// let n = Command::FtpPut(Upload::Write(1360)).encode(&mut buf)?;
    /// assert_eq!(&buf[..n], b"AT+FTPPUT=2,1360\r");
    /// assert!(Command::FtpPut(Upload::Write(1461)).encode(&mut buf).is_err());
    /// # Ok::<(), cellftp_proto::EncodeError>(())
    /// ```
    pub fn encode(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        let needed = self.encoded_len()?;
        if needed > buf.len() {
            return Err(EncodeError::BufferTooSmall {
                needed,
                available: buf.len(),
            });
        }
        let mut writer = Writer { buf, at: 0 };
        self.emit(&mut writer);
        Ok(needed)
    }

    /// The number of bytes [`Command::encode`] writes.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        self.check()?;
        let mut counter = Writer::counter();
        self.emit(&mut counter);
        Ok(counter.at)
    }
}
