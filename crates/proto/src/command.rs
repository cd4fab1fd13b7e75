//! The command table: every command the host sends, declared once.
//!
//! Each row of the `commands!` invocation below gives a command's variant,
//! its text after `AT`, its form (which says which of the test, query, set
//! and execute forms it has), the kind of its parameter, its [`Role`], and
//! its timeout classes. Everything else is generated from the rows: the [`Command`]
//! enum, [`CommandName`] and its text, the name lookup of the command and
//! response grammars, the encoder's and the parser's dispatch, the timeout
//! class, [`Command::from_seed`] for generators, and [`commands`], which
//! enumerates the table (the fuzz dictionary is checked against it).
//!
//! How one form or value is written and read is the business of
//! `param.rs`; this module only dispatches.

use crate::error::{EncodeError, TextKind};
use crate::param::{
    Action, Cfun, Cgact, Form, FormKind, Mode, Operation, Param, Put, Seed, Setting, Sink,
    TransferType,
};
use crate::role::Role;
use crate::text::{Host, Password, Text};
use crate::timeout::TimeoutClass;

/// One row of the command table, as [`commands`] enumerates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct CommandSpec {
    /// The command.
    pub name: CommandName,
    /// Its text after `AT`: `"+FTPSERV"`, `"E"`, `""`.
    pub wire: &'static str,
    /// The forms it has.
    pub forms: &'static [FormKind],
    /// Its parameter.
    pub param: Param,
    /// What it does to the FTP connection.
    pub role: Role,
    /// The timeout class of its set and execute forms.
    pub run_timeout: TimeoutClass,
    /// The timeout class of its test and query forms.
    pub ask_timeout: TimeoutClass,
}

/// Declares the command table; see the module docs.
///
/// The first row is the bare `AT`, which has no form; every other row is
/// `Variant(FormType) = "wire", kind: <Value::Kind>, role: <Role>, timeout:
/// <run> / <ask>;`.
macro_rules! commands {
    (
        $(#[doc = $bare_doc:literal])*
        $bare:ident = $bare_wire:literal, role: $bare_role:ident, timeout: $bare_timeout:ident;
        $(
            $(#[doc = $doc:literal])*
            $name:ident($form:ty) = $wire:literal, kind: $kind:expr, role: $role:ident, timeout: $run:ident / $ask:ident;
        )*
    ) => {
        /// One command line the host sends.
        ///
        /// Build one, then [`Command::encode`] it:
        ///
        /// ```
        /// use cellftp_proto::{Command, Operation, Text, TextKind};
        /// let dir = Text::new(TextKind::Directory, "/invoker")?;
        /// let mut buf = [0u8; 32];
        /// let n = Command::FtpMkd(Operation::Run(dir)).encode(&mut buf)?;
        /// assert_eq!(&buf[..n], b"AT+FTPMKD=/invoker\r");
        /// # Ok::<(), cellftp_proto::EncodeError>(())
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Command<'a> {
            $(#[doc = $bare_doc])*
            $bare,
            $( $(#[doc = $doc])* $name($form), )*
        }

        /// The name of a command, without its parameters: what timeouts,
        /// errors and logs refer to.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum CommandName {
            $(#[doc = $bare_doc])*
            $bare,
            $( $(#[doc = $doc])* $name, )*
        }

        /// Every command name with its text after `AT`, in table order.
        const WIRES: &[(CommandName, &str)] = &[
            (CommandName::$bare, $bare_wire),
            $( (CommandName::$name, $wire), )*
        ];

        impl CommandName {
            /// The command as written after `AT`, e.g. `"+FTPSERV"`; `"E"`
            /// for echo and `""` for the bare `AT`.
            #[allow(clippy::indexing_slicing)] // Every name has its row: a constant index in range.
            pub const fn as_str(self) -> &'static str {
                // `WIRES` lists the names in declaration order: a name's
                // discriminant is its row, read from the table rather than
                // by a `match` of its own.
                WIRES[self as usize].1
            }

            /// What the command does to the FTP connection: its row's
            /// [`Role`] (the same as `self.spec().role`, without building
            /// the whole row).
            pub const fn role(self) -> Role {
                match self {
                    CommandName::$bare => Role::$bare_role,
                    $( CommandName::$name => Role::$role, )*
                }
            }

            /// The command's row of the table.
            pub fn spec(self) -> CommandSpec {
                spec(self)
            }
        }

        /// The row of `name`; a function, not a constant, because the
        /// rows' form types carry the lifetime `'a`.
        #[allow(clippy::extra_unused_lifetimes)] // Used by the rows' types.
        fn spec<'a>(name: CommandName) -> CommandSpec {
            match name {
                CommandName::$bare => CommandSpec {
                    name,
                    wire: $bare_wire,
                    forms: &[FormKind::Execute],
                    param: Param::None,
                    role: Role::$bare_role,
                    run_timeout: TimeoutClass::$bare_timeout,
                    ask_timeout: TimeoutClass::$bare_timeout,
                },
                $( CommandName::$name => CommandSpec {
                    name,
                    wire: $wire,
                    forms: <$form as Form<'a>>::FORMS,
                    param: <$form as Form<'a>>::param($kind),
                    role: Role::$role,
                    run_timeout: TimeoutClass::$run,
                    ask_timeout: TimeoutClass::$ask,
                }, )*
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

            /// Which default timeout of `SPEC.md` §1.12 applies to this
            /// command: its row's class for the set and execute forms, the
            /// row's (usually [`TimeoutClass::Local`]) for test and query,
            /// [`TimeoutClass::PutEnd`] for `AT+FTPPUT=0`.
            pub fn timeout_class(&self) -> TimeoutClass {
                match self {
                    Command::$bare => TimeoutClass::$bare_timeout,
                    $( Command::$name(f) => {
                        f.timeout(TimeoutClass::$run, TimeoutClass::$ask)
                    } )*
                }
            }

            /// Builds a command of row `name` from `seed` (see [`Seed`]):
            /// a property test or a fuzzer that draws a name and a seed
            /// covers every command and form of the table.
            ///
            /// Fails as [`Text::from_bytes`] and friends do when the
            /// command takes a string and `seed.param` is not a valid one.
            ///
            /// ```
            /// use cellftp_proto::{Command, CommandName, Mode, Seed, Setting};
            /// let seed = Seed { form: 2, flags: 1, ..Seed::default() };
            /// let c = Command::from_seed(CommandName::FtpMode, &seed)?;
            /// assert_eq!(c, Command::FtpMode(Setting::Set(Mode::Passive)));
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

            /// Checks what the types cannot: the put data's length, the
            /// port.
            pub(crate) fn check(&self) -> Result<(), EncodeError> {
                match self {
                    Command::$bare => Ok(()),
                    $( Command::$name(f) => f.check(), )*
                }
            }

            /// Writes the whole line: `AT`, the name, the form, CR.
            pub(crate) fn emit<S: Sink>(&self, out: &mut S) {
                out.put(b"AT");
                out.put(self.name().as_str().as_bytes());
                match self {
                    Command::$bare => {}
                    $( Command::$name(f) => f.emit(out), )*
                }
                out.put(b"\r");
            }

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
    };
}

commands! {
    /// `AT`: is anyone there?
    At = "", role: Modem, timeout: Local;
    /// `ATE0` (false) / `ATE1` (true): command echo off or on.
    Echo(bool) = "E", kind: (), role: Modem, timeout: Local / Local;
    /// `AT+CFUN`: set the modem's functionality level.
    Cfun(Setting<Cfun>) = "+CFUN", kind: (), role: Modem, timeout: Cfun / Cfun;
    /// `AT+CGACT`: activate or deactivate a PDP context.
    Cgact(Setting<Cgact>) = "+CGACT", kind: (), role: Modem, timeout: Cgact / Cgact;
    /// `AT+FTPPORT`: the server's control port (undocumented, see `SPEC.md`).
    FtpPort(Setting<u16>) = "+FTPPORT", kind: (), role: ConnectionSetting, timeout: Local / Local;
    /// `AT+FTPMODE`: active or passive mode.
    FtpMode(Setting<Mode>) = "+FTPMODE", kind: (), role: ConnectionSetting, timeout: Local / Local;
    /// `AT+FTPTYPE`: binary or ASCII transfers.
    FtpType(Setting<TransferType>) = "+FTPTYPE", kind: (), role: TransferSetting, timeout: Local / Local;
    /// `AT+FTPRESET`: the byte offset the next `AT+FTPGET` starts from.
    FtpReset(Setting<u32>) = "+FTPRESET", kind: (), role: TransferSetting, timeout: Local / Local;
    /// `AT+FTPSERV`: connect to this server.
    FtpServ(Setting<Host<'a>>) = "+FTPSERV", kind: (), role: Connect, timeout: Serv / Local;
    /// `AT+FTPUN`: the user name.
    FtpUn(Setting<Text<'a>>) = "+FTPUN", kind: TextKind::User, role: ConnectionSetting, timeout: Local / Local;
    /// `AT+FTPPW`: the password.
    FtpPw(Setting<Password<'a>>) = "+FTPPW", kind: (), role: ConnectionSetting, timeout: Local / Local;
    /// `AT+FTPGETNAME`: the file the next `AT+FTPGET` downloads.
    FtpGetName(Setting<Text<'a>>) = "+FTPGETNAME", kind: TextKind::FileName, role: TransferSetting, timeout: Local / Local;
    /// `AT+FTPPATH`: the server directory for gets, puts and listings.
    FtpPath(Setting<Text<'a>>) = "+FTPPATH", kind: TextKind::Path, role: TransferSetting, timeout: Local / Local;
    /// `AT+FTPPUTNAME`: the file the next `AT+FTPPUT` uploads to.
    FtpPutName(Setting<Text<'a>>) = "+FTPPUTNAME", kind: TextKind::FileName, role: TransferSetting, timeout: Local / Local;
    /// `AT+FTPMKD`: create a directory.
    FtpMkd(Operation<Text<'a>>) = "+FTPMKD", kind: TextKind::Directory, role: Control, timeout: Directory / Local;
    /// `AT+FTPRMD`: remove a directory.
    FtpRmd(Operation<Text<'a>>) = "+FTPRMD", kind: TextKind::Directory, role: Control, timeout: Directory / Local;
    /// `AT+FTPGET`: download the file named by `AT+FTPGETNAME`.
    FtpGet(Action) = "+FTPGET", kind: (), role: Download, timeout: Transfer / Local;
    /// `AT+FTPPUT`: upload data to the file named by `AT+FTPPUTNAME`.
    FtpPut(Put<'a>) = "+FTPPUT", kind: (), role: Upload, timeout: PutChunk / Local;
    /// `AT+FTPLIST`: list the directory set by `AT+FTPPATH`.
    FtpList(Action) = "+FTPLIST", kind: (), role: Download, timeout: Transfer / Local;
    /// `AT+FTPSCON`: report the FTP configuration.
    FtpScon(Action) = "+FTPSCON", kind: (), role: Report, timeout: Local / Local;
    /// `AT+FTPQUIT`: close the FTP connection.
    FtpQuit(Action) = "+FTPQUIT", kind: (), role: Quit, timeout: Quit / Local;
}

impl core::fmt::Display for CommandName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "AT{}", self.as_str())
    }
}

impl CommandName {
    /// Every command name, in table order (the order of `SPEC.md` §3).
    pub fn iter() -> impl ExactSizeIterator<Item = CommandName> + Clone {
        WIRES.iter().map(|&(name, _)| name)
    }
}

/// Every row of the command table, in table order.
///
/// ```
/// use cellftp_proto::{commands, CommandName, TimeoutClass};
/// let serv = commands().find(|c| c.name == CommandName::FtpServ).unwrap();
/// assert_eq!(serv.wire, "+FTPSERV");
/// assert_eq!(serv.run_timeout, TimeoutClass::Serv);
/// ```
pub fn commands() -> impl ExactSizeIterator<Item = CommandSpec> + Clone {
    CommandName::iter().map(spec)
}

/// How many rows have an extended name (`+NAME`).
#[allow(clippy::indexing_slicing)] // Compile-time evaluation: a bad index fails the build.
const fn extended_count() -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < WIRES.len() {
        if let [b'+', ..] = WIRES[i].1.as_bytes() {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The extended names (`+NAME`) without their `+`, longest first so that
/// `FTPGETNAME` is tried before `FTPGET`, for [`crate::grammar`]'s name
/// lookup. Built from the table when the crate is compiled.
#[allow(clippy::indexing_slicing)] // Compile-time evaluation: a bad index fails the build.
pub(crate) const EXTENDED: [(&[u8], CommandName); extended_count()] = {
    let mut out: [(&[u8], CommandName); extended_count()] =
        [(b"", CommandName::At); extended_count()];
    let mut n = 0;
    let mut i = 0;
    while i < WIRES.len() {
        if let [b'+', name @ ..] = WIRES[i].1.as_bytes() {
            out[n] = (name, WIRES[i].0);
            n += 1;
        }
        i += 1;
    }
    // Insertion sort by length, longest first; stable, so equal lengths keep
    // table order.
    let mut i = 1;
    while i < n {
        let mut j = i;
        while j > 0 && out[j - 1].0.len() < out[j].0.len() {
            let t = out[j - 1];
            out[j - 1] = out[j];
            out[j] = t;
            j -= 1;
        }
        i += 1;
    }
    out
};

/// The basic commands with a name (`E`), for the command grammar.
pub(crate) fn basic() -> impl Iterator<Item = (CommandName, &'static [u8])> {
    WIRES
        .iter()
        .filter(|(_, w)| !w.is_empty() && !w.starts_with('+'))
        .map(|&(name, w)| (name, w.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::commands;

    #[test]
    fn role_and_text_are_the_rows() {
        for row in commands() {
            assert_eq!(row.name.role(), row.role, "{:?}", row.name);
            assert_eq!(row.name.as_str(), row.wire, "{:?}", row.name);
        }
    }
}
