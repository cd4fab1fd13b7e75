//! The forms a command takes and the values it carries, each with how it is
//! written and read back.
//!
//! Two small traits do the work for the command table (`command.rs`):
//! [`Form`] for the shapes after a command's name (`=?`, `?`,
//! `=<value>`, nothing), implemented by [`Setting`], [`Operation`],
//! [`Action`], [`Put`] and `bool` (`ATE0`/`ATE1`); and [`Value`] for one
//! parameter value, implemented by [`Mode`], [`TransferType`], [`Cfun`],
//! [`Cgact`], `u16` (the port), `u32` (the offset), [`Host`], [`Text`] and
//! [`Password`]. A new command whose form and values already exist is one
//! row of the table; a new value type is one `Value` impl.

use winnow::combinator::{alt, opt, preceded};
use winnow::prelude::*;

use crate::bytes::{within, Bytes};
use crate::error::{EncodeError, TextKind};
use crate::lex::{number, parse_u32, spaces, trim};
use crate::limits::MAX_PUT_DATA;
use crate::text::{Host, Password, Text};
use crate::timeout::TimeoutClass;

/// A setting with the three forms the manual lists: test (`=?`), query (`?`)
/// and set (`=<value>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting<T> {
    /// `AT+NAME=?`: ask for the accepted values.
    Test,
    /// `AT+NAME?`: ask for the current value.
    Query,
    /// `AT+NAME=<value>`: set the value.
    Set(T),
}

/// A command that takes an operand but has no query form (`AT+FTPMKD`,
/// `AT+FTPRMD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation<T> {
    /// `AT+NAME=?`.
    Test,
    /// `AT+NAME=<operand>`.
    Run(T),
}

/// A command without parameters (`AT+FTPGET`, `AT+FTPLIST`, `AT+FTPSCON`,
/// `AT+FTPQUIT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// `AT+NAME=?` (`AT+NAME?` is accepted when parsing, see `SPEC.md`).
    Test,
    /// `AT+NAME`.
    Execute,
}

/// `AT+FTPPUT` in its forms.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Put<'a> {
    /// `AT+FTPPUT=?`.
    Test,
    /// `AT+FTPPUT=<len>,<data>`: one chunk of raw bytes, 1 to
    /// [`crate::MAX_PUT_DATA`] of them.
    Data(&'a [u8]),
    /// `AT+FTPPUT=0`: the upload is complete.
    End,
}

impl core::fmt::Debug for Put<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Put::Test => f.write_str("Test"),
            Put::Data(d) => write!(f, "Data({:?})", Bytes(d)),
            Put::End => f.write_str("End"),
        }
    }
}

/// `AT+FTPMODE` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// `0`: active mode (the server connects to the modem).
    Active,
    /// `1`: passive mode (the modem connects to the server).
    Passive,
}

/// `AT+FTPTYPE` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransferType {
    /// `I`: binary (image) transfers. Required for `AT+FTPRESET`.
    Binary,
    /// `A`: ASCII transfers.
    Ascii,
}

/// `AT+CFUN=<fun>[,<rst>]` (3GPP TS 27.007 §8.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cfun {
    /// The functionality level: 0 minimum, 1 full, 4 flight mode, …
    pub fun: u8,
    /// Whether to reset the modem before applying it.
    pub reset: Option<bool>,
}

/// `AT+CGACT=<state>,<cid>` (3GPP TS 27.007 §10.1.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cgact {
    /// Activate (`1`) or deactivate (`0`).
    pub activate: bool,
    /// The PDP context; all contexts when absent.
    pub cid: Option<u8>,
}

/// Which form a command line has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FormKind {
    /// `AT+NAME=?`: ask for the accepted values.
    Test,
    /// `AT+NAME?`: ask for the current value.
    Query,
    /// `AT+NAME=<value>` (and `ATE0`/`ATE1`): set a value or run with an
    /// operand.
    Set,
    /// `AT+NAME` (and `AT`): run without parameters.
    Execute,
}

/// What a command's parameter is, as its row of the command table says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Param {
    /// No parameter (`AT`, `AT+FTPGET`, …).
    None,
    /// On or off (`ATE0`/`ATE1`).
    OnOff,
    /// A [`Mode`].
    Mode,
    /// A [`TransferType`].
    TransferType,
    /// A TCP port, 1 to 65535.
    Port,
    /// A byte offset, 0 to `u32::MAX`.
    Offset,
    /// A [`Cfun`].
    Cfun,
    /// A [`Cgact`].
    Cgact,
    /// A [`Text`] of this kind.
    Text(TextKind),
    /// A [`Host`].
    Host,
    /// A [`Password`].
    Password,
    /// `AT+FTPPUT` data: 1 to [`crate::MAX_PUT_DATA`] raw bytes.
    PutData,
}

/// The raw material of one command, for property tests and fuzzers: see
/// [`crate::Command::from_seed`], which builds a command of any row of the
/// table from it, so that a generator covers every command without keeping
/// its own list.
///
/// Each part is read the same way whatever the command:
///
/// - `form` picks the form, modulo the number the command has: for a
///   [`Setting`] test, query, set; for an [`Operation`] or an [`Action`]
///   test, run; for [`Put`] test, end, data;
/// - `number` is the numeric value, truncated to its type (`fun` and `cid`
///   take its low byte, the port its low 16 bits);
/// - `flags`: bit 0 is echo on, passive mode, binary type, `AT+CGACT`
///   activate; bit 1 says whether the `AT+CGACT` cid is there; bits 2–3
///   (modulo 3) are the `AT+CFUN` reset: absent, 0, 1;
/// - `param` is the string parameter, validated as the command's kind, or
///   the put data (not checked: [`crate::Command::encode`] refuses bad data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Seed<'a> {
    /// Which form.
    pub form: u8,
    /// The numeric parameter.
    pub number: u32,
    /// The boolean parameters.
    pub flags: u8,
    /// The string parameter or the put data.
    pub param: &'a [u8],
}

/// Where encoded bytes go: a counter for the sizing pass, a slice for the
/// writing pass.
pub(crate) trait Sink {
    /// Appends `bytes`.
    fn put(&mut self, bytes: &[u8]);

    /// Appends `n` in decimal.
    fn num(&mut self, mut n: u32) {
        let mut digits = [0u8; 10];
        let mut i = digits.len();
        loop {
            i -= 1;
            if let Some(d) = digits.get_mut(i) {
                *d = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 || i == 0 {
                break;
            }
        }
        self.put(within(&digits, i..));
    }
}

/// One parameter value: how it is written, read back, checked and seeded.
pub(crate) trait Value<'a>: Sized {
    /// What the command table says about the value beyond its type: the
    /// [`TextKind`] of a [`Text`], nothing for the others.
    type Kind: Copy;
    /// Writes the value.
    fn emit<S: Sink>(&self, out: &mut S);
    /// Reads a value (spaces around it already trimmed); `None` if it is not
    /// one the encoder would send.
    fn parse(kind: Self::Kind, v: &'a [u8]) -> Option<Self>;
    /// Refuses what the type allows but the modem does not.
    fn check(&self) -> Result<(), EncodeError> {
        Ok(())
    }
    /// What the parameter is.
    fn param(kind: Self::Kind) -> Param;
    /// The value `seed` describes (see [`Seed`]).
    fn from_seed(kind: Self::Kind, seed: &Seed<'a>) -> Result<Self, EncodeError>;
}

/// The shape of everything after a command's name.
pub(crate) trait Form<'a>: Sized {
    /// The [`Value::Kind`] of the value inside, `()` if none.
    type Kind: Copy;
    /// The forms this shape has.
    const FORMS: &'static [FormKind];
    /// Which form this is.
    fn form(&self) -> FormKind;
    /// Writes everything after the name.
    fn emit<S: Sink>(&self, out: &mut S);
    /// Reads everything after the name (and, after a `+NAME`, the spaces
    /// that follow it); `None` if it is not a form the encoder would send.
    fn parse(kind: Self::Kind, rest: &'a [u8]) -> Option<Self>;
    /// Refuses what the types allow but the modem does not.
    fn check(&self) -> Result<(), EncodeError>;
    /// What the parameter is.
    fn param(kind: Self::Kind) -> Param;
    /// The form and value `seed` describes (see [`Seed`]).
    fn from_seed(kind: Self::Kind, seed: &Seed<'a>) -> Result<Self, EncodeError>;
    /// The timeout class of this form, given the row's classes for the
    /// forms that run (set, execute) and for those that only ask (test,
    /// query).
    fn timeout(&self, run: TimeoutClass, ask: TimeoutClass) -> TimeoutClass {
        match self.form() {
            FormKind::Test | FormKind::Query => ask,
            FormKind::Set | FormKind::Execute => run,
        }
    }
}

/// What follows a `+NAME` (spaces after the name skipped).
enum Raw<'a> {
    /// Nothing.
    Execute,
    /// `=?`.
    Test,
    /// `?`.
    Query,
    /// `=<value>`, the value without the spaces around it.
    Set(&'a [u8]),
}

/// ``, `=?`, `?` or `=<value>`, spaces tolerated after the `=`.
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

impl<'a, T: Value<'a>> Form<'a> for Setting<T> {
    type Kind = T::Kind;
    const FORMS: &'static [FormKind] = &[FormKind::Test, FormKind::Query, FormKind::Set];

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

    fn parse(kind: T::Kind, rest: &'a [u8]) -> Option<Self> {
        match raw(rest)? {
            Raw::Test => Some(Setting::Test),
            Raw::Query => Some(Setting::Query),
            Raw::Set(v) => T::parse(kind, v).map(Setting::Set),
            Raw::Execute => None,
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        match self {
            Setting::Set(v) => v.check(),
            Setting::Test | Setting::Query => Ok(()),
        }
    }

    fn param(kind: T::Kind) -> Param {
        T::param(kind)
    }

    fn from_seed(kind: T::Kind, seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(match seed.form % 3 {
            0 => Setting::Test,
            1 => Setting::Query,
            _ => Setting::Set(T::from_seed(kind, seed)?),
        })
    }
}

impl<'a, T: Value<'a>> Form<'a> for Operation<T> {
    type Kind = T::Kind;
    const FORMS: &'static [FormKind] = &[FormKind::Test, FormKind::Set];

    fn form(&self) -> FormKind {
        match self {
            Operation::Test => FormKind::Test,
            Operation::Run(_) => FormKind::Set,
        }
    }

    fn emit<S: Sink>(&self, out: &mut S) {
        match self {
            Operation::Test => out.put(b"=?"),
            Operation::Run(v) => {
                out.put(b"=");
                v.emit(out);
            }
        }
    }

    fn parse(kind: T::Kind, rest: &'a [u8]) -> Option<Self> {
        match raw(rest)? {
            Raw::Test => Some(Operation::Test),
            Raw::Set(v) => T::parse(kind, v).map(Operation::Run),
            Raw::Execute | Raw::Query => None,
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        match self {
            Operation::Run(v) => v.check(),
            Operation::Test => Ok(()),
        }
    }

    fn param(kind: T::Kind) -> Param {
        T::param(kind)
    }

    fn from_seed(kind: T::Kind, seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(match seed.form % 2 {
            0 => Operation::Test,
            _ => Operation::Run(T::from_seed(kind, seed)?),
        })
    }
}

impl<'a> Form<'a> for Action {
    type Kind = ();
    const FORMS: &'static [FormKind] = &[FormKind::Test, FormKind::Execute];

    fn form(&self) -> FormKind {
        match self {
            Action::Test => FormKind::Test,
            Action::Execute => FormKind::Execute,
        }
    }

    fn emit<S: Sink>(&self, out: &mut S) {
        if let Action::Test = self {
            out.put(b"=?");
        }
    }

    fn parse((): (), rest: &'a [u8]) -> Option<Self> {
        match raw(rest)? {
            Raw::Execute => Some(Action::Execute),
            // The manual's example sends `AT+FTPGET?` as the test form.
            Raw::Test | Raw::Query => Some(Action::Test),
            Raw::Set(_) => None,
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        Ok(())
    }

    fn param((): ()) -> Param {
        Param::None
    }

    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(match seed.form % 2 {
            0 => Action::Test,
            _ => Action::Execute,
        })
    }
}

impl<'a> Form<'a> for Put<'a> {
    type Kind = ();
    const FORMS: &'static [FormKind] = &[FormKind::Test, FormKind::Set];

    fn form(&self) -> FormKind {
        match self {
            Put::Test => FormKind::Test,
            Put::Data(_) | Put::End => FormKind::Set,
        }
    }

    fn emit<S: Sink>(&self, out: &mut S) {
        match self {
            Put::Test => out.put(b"=?"),
            Put::End => out.put(b"=0"),
            Put::Data(data) => {
                out.put(b"=");
                // `check` bounds the length by MAX_PUT_DATA.
                debug_assert!(data.len() <= MAX_PUT_DATA, "put data checked first");
                out.num(u32::try_from(data.len()).unwrap_or(u32::MAX));
                out.put(b",");
                out.put(data);
            }
        }
    }

    fn parse((): (), rest: &'a [u8]) -> Option<Self> {
        match raw(rest)? {
            Raw::Test => Some(Put::Test),
            // `AT+FTPPUT=0,` (the manual's text) and `AT+FTPPUT=0`; data
            // chunks never get here, the framer takes them by length.
            Raw::Set(b"0" | b"0,") => Some(Put::End),
            _ => None,
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        match self {
            Put::Data([]) => Err(EncodeError::Empty {
                field: TextKind::PutData,
            }),
            Put::Data(data) if data.len() > MAX_PUT_DATA => Err(EncodeError::TooLong {
                field: TextKind::PutData,
                max: MAX_PUT_DATA,
                len: data.len(),
            }),
            Put::Test | Put::Data(_) | Put::End => Ok(()),
        }
    }

    fn param((): ()) -> Param {
        Param::PutData
    }

    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(match seed.form % 3 {
            0 => Put::Test,
            1 => Put::End,
            _ => Put::Data(seed.param),
        })
    }

    /// `AT+FTPPUT=0` waits for the server to confirm the whole upload.
    fn timeout(&self, run: TimeoutClass, ask: TimeoutClass) -> TimeoutClass {
        match self {
            Put::Test => ask,
            Put::Data(_) => run,
            Put::End => TimeoutClass::PutEnd,
        }
    }
}

/// `ATE0` / `ATE1`: the digit right after the `E`.
impl<'a> Form<'a> for bool {
    type Kind = ();
    const FORMS: &'static [FormKind] = &[FormKind::Set];

    fn form(&self) -> FormKind {
        FormKind::Set
    }

    fn emit<S: Sink>(&self, out: &mut S) {
        out.put(if *self { b"1" } else { b"0" });
    }

    fn parse((): (), rest: &'a [u8]) -> Option<Self> {
        match rest {
            b"0" => Some(false),
            b"1" => Some(true),
            _ => None,
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        Ok(())
    }

    fn param((): ()) -> Param {
        Param::OnOff
    }

    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(seed.flags & 1 == 1)
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

    fn parse((): (), v: &'a [u8]) -> Option<Self> {
        match v {
            b"0" => Some(Mode::Active),
            b"1" => Some(Mode::Passive),
            _ => None,
        }
    }

    fn param((): ()) -> Param {
        Param::Mode
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
            TransferType::Binary => b"I",
            TransferType::Ascii => b"A",
        });
    }

    fn parse((): (), v: &'a [u8]) -> Option<Self> {
        match v {
            b"I" | b"i" => Some(TransferType::Binary),
            b"A" | b"a" => Some(TransferType::Ascii),
            _ => None,
        }
    }

    fn param((): ()) -> Param {
        Param::TransferType
    }

    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(if seed.flags & 1 == 1 {
            TransferType::Binary
        } else {
            TransferType::Ascii
        })
    }
}

/// The server's control port (`AT+FTPPORT`), the only `u16` parameter:
/// 1 to 65535.
impl<'a> Value<'a> for u16 {
    type Kind = ();

    fn emit<S: Sink>(&self, out: &mut S) {
        out.num((*self).into());
    }

    fn parse((): (), v: &'a [u8]) -> Option<Self> {
        u16::try_from(parse_u32(v)?).ok().filter(|p| *p != 0)
    }

    fn check(&self) -> Result<(), EncodeError> {
        if *self == 0 {
            Err(EncodeError::PortZero)
        } else {
            Ok(())
        }
    }

    fn param((): ()) -> Param {
        Param::Port
    }

    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(seed.number as u16)
    }
}

/// The restart offset (`AT+FTPRESET`), the only `u32` parameter.
impl<'a> Value<'a> for u32 {
    type Kind = ();

    fn emit<S: Sink>(&self, out: &mut S) {
        out.num(*self);
    }

    fn parse((): (), v: &'a [u8]) -> Option<Self> {
        parse_u32(v)
    }

    fn param((): ()) -> Param {
        Param::Offset
    }

    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(seed.number)
    }
}

/// `0` or `1`.
fn digit_bool(input: &mut &[u8]) -> crate::lex::Parsed<bool> {
    alt((b'0'.value(false), b'1'.value(true))).parse_next(input)
}

impl<'a> Value<'a> for Cfun {
    type Kind = ();

    fn emit<S: Sink>(&self, out: &mut S) {
        out.num(self.fun.into());
        if let Some(rst) = self.reset {
            out.put(if rst { b",1" } else { b",0" });
        }
    }

    /// `<fun>[,<rst>]`.
    fn parse((): (), mut v: &'a [u8]) -> Option<Self> {
        let (fun, reset) = (
            number.verify_map(|n| u8::try_from(n).ok()),
            opt(preceded((spaces, b',', spaces), digit_bool)),
        )
            .parse_next(&mut v)
            .ok()?;
        v.is_empty().then_some(Cfun { fun, reset })
    }

    fn param((): ()) -> Param {
        Param::Cfun
    }

    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(Cfun {
            fun: seed.number as u8,
            reset: match (seed.flags >> 2) % 3 {
                0 => None,
                1 => Some(false),
                _ => Some(true),
            },
        })
    }
}

impl<'a> Value<'a> for Cgact {
    type Kind = ();

    fn emit<S: Sink>(&self, out: &mut S) {
        out.put(if self.activate { b"1" } else { b"0" });
        if let Some(cid) = self.cid {
            out.put(b",");
            out.num(cid.into());
        }
    }

    /// `<state>[,<cid>]`.
    fn parse((): (), mut v: &'a [u8]) -> Option<Self> {
        let (activate, cid) = (
            digit_bool,
            opt(preceded(
                (spaces, b',', spaces),
                number.verify_map(|n| u8::try_from(n).ok()),
            )),
        )
            .parse_next(&mut v)
            .ok()?;
        v.is_empty().then_some(Cgact { activate, cid })
    }

    fn param((): ()) -> Param {
        Param::Cgact
    }

    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Ok(Cgact {
            activate: seed.flags & 1 == 1,
            cid: (seed.flags & 2 != 0).then_some(seed.number as u8),
        })
    }
}

impl<'a> Value<'a> for Text<'a> {
    type Kind = TextKind;

    fn emit<S: Sink>(&self, out: &mut S) {
        out.put(self.as_bytes());
    }

    fn parse(kind: TextKind, v: &'a [u8]) -> Option<Self> {
        Text::from_bytes(kind, v).ok()
    }

    fn param(kind: TextKind) -> Param {
        Param::Text(kind)
    }

    fn from_seed(kind: TextKind, seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Text::from_bytes(kind, seed.param)
    }
}

impl<'a> Value<'a> for Host<'a> {
    type Kind = ();

    fn emit<S: Sink>(&self, out: &mut S) {
        out.put(self.as_bytes());
    }

    fn parse((): (), v: &'a [u8]) -> Option<Self> {
        Host::from_bytes(v).ok()
    }

    fn param((): ()) -> Param {
        Param::Host
    }

    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Host::from_bytes(seed.param)
    }
}

impl<'a> Value<'a> for Password<'a> {
    type Kind = ();

    fn emit<S: Sink>(&self, out: &mut S) {
        out.put(self.expose());
    }

    fn parse((): (), v: &'a [u8]) -> Option<Self> {
        Password::from_bytes(v).ok()
    }

    fn param((): ()) -> Param {
        Param::Password
    }

    fn from_seed((): (), seed: &Seed<'a>) -> Result<Self, EncodeError> {
        Password::from_bytes(seed.param)
    }
}

#[cfg(test)]
mod tests {
    use super::{Cfun, Cgact, Value};

    #[test]
    fn cfun_and_cgact_values() {
        let cfun = |v: &[u8]| Cfun::parse((), v).map(|c| (c.fun, c.reset));
        assert_eq!(cfun(b"1"), Some((1, None)));
        assert_eq!(cfun(b"01"), Some((1, None)));
        assert_eq!(cfun(b"4,0"), Some((4, Some(false))));
        assert_eq!(cfun(b"1 ,  1"), Some((1, Some(true))));
        for bad in [
            &b""[..],
            b"256",
            b"1,",
            b"1,2",
            b"1 1",
            b"1,1x",
            b"x",
            b"12345678901",
        ] {
            assert_eq!(cfun(bad), None, "{bad:?}");
        }
        let cgact = |v: &[u8]| Cgact::parse((), v).map(|c| (c.activate, c.cid));
        assert_eq!(cgact(b"1"), Some((true, None)));
        assert_eq!(cgact(b"0,1"), Some((false, Some(1))));
        assert_eq!(cgact(b"1 , 255"), Some((true, Some(255))));
        for bad in [&b""[..], b"2", b"10", b"1,", b"1,256", b"1,1 x", b"1,x"] {
            assert_eq!(cgact(bad), None, "{bad:?}");
        }
    }
}
