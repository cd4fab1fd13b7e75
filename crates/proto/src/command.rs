//! The typed model of every command the host sends: the manual's FTP set
//! plus the basic commands its example session uses.
//!
//! This module only describes commands; [`Command::encode`] (in `encode.rs`)
//! writes them and [`crate::CommandDecoder`] reads them back.

use crate::{Host, Password, Text};

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
            Put::Data(d) => write!(f, "Data({:?})", crate::response::Bytes(d)),
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
    /// `AT`: is anyone there?
    At,
    /// `ATE0` (false) / `ATE1` (true): command echo off or on.
    Echo(bool),
    /// `AT+CFUN`: set the modem's functionality level.
    Cfun(Setting<Cfun>),
    /// `AT+CGACT`: activate or deactivate a PDP context.
    Cgact(Setting<Cgact>),
    /// `AT+FTPPORT`: the server's control port (undocumented, see `SPEC.md`).
    FtpPort(Setting<u16>),
    /// `AT+FTPMODE`: active or passive mode.
    FtpMode(Setting<Mode>),
    /// `AT+FTPTYPE`: binary or ASCII transfers.
    FtpType(Setting<TransferType>),
    /// `AT+FTPRESET`: the byte offset the next `AT+FTPGET` starts from.
    FtpReset(Setting<u32>),
    /// `AT+FTPSERV`: connect to this server.
    FtpServ(Setting<Host<'a>>),
    /// `AT+FTPUN`: the user name.
    FtpUn(Setting<Text<'a>>),
    /// `AT+FTPPW`: the password.
    FtpPw(Setting<Password<'a>>),
    /// `AT+FTPGETNAME`: the file the next `AT+FTPGET` downloads.
    FtpGetName(Setting<Text<'a>>),
    /// `AT+FTPPATH`: the server directory for gets, puts and listings.
    FtpPath(Setting<Text<'a>>),
    /// `AT+FTPPUTNAME`: the file the next `AT+FTPPUT` uploads to.
    FtpPutName(Setting<Text<'a>>),
    /// `AT+FTPMKD`: create a directory.
    FtpMkd(Operation<Text<'a>>),
    /// `AT+FTPRMD`: remove a directory.
    FtpRmd(Operation<Text<'a>>),
    /// `AT+FTPGET`: download the file named by `AT+FTPGETNAME`.
    FtpGet(Action),
    /// `AT+FTPPUT`: upload data to the file named by `AT+FTPPUTNAME`.
    FtpPut(Put<'a>),
    /// `AT+FTPLIST`: list the directory set by `AT+FTPPATH`.
    FtpList(Action),
    /// `AT+FTPSCON`: report the FTP configuration.
    FtpScon(Action),
    /// `AT+FTPQUIT`: close the FTP connection.
    FtpQuit(Action),
}

/// The name of a command, without its parameters: what timeouts, errors and
/// logs refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum CommandName {
    /// `AT`.
    At,
    /// `ATE0` / `ATE1`.
    Echo,
    /// `AT+CFUN`.
    Cfun,
    /// `AT+CGACT`.
    Cgact,
    /// `AT+FTPPORT`.
    FtpPort,
    /// `AT+FTPMODE`.
    FtpMode,
    /// `AT+FTPTYPE`.
    FtpType,
    /// `AT+FTPRESET`.
    FtpReset,
    /// `AT+FTPSERV`.
    FtpServ,
    /// `AT+FTPUN`.
    FtpUn,
    /// `AT+FTPPW`.
    FtpPw,
    /// `AT+FTPGETNAME`.
    FtpGetName,
    /// `AT+FTPPATH`.
    FtpPath,
    /// `AT+FTPPUTNAME`.
    FtpPutName,
    /// `AT+FTPMKD`.
    FtpMkd,
    /// `AT+FTPRMD`.
    FtpRmd,
    /// `AT+FTPGET`.
    FtpGet,
    /// `AT+FTPPUT`.
    FtpPut,
    /// `AT+FTPLIST`.
    FtpList,
    /// `AT+FTPSCON`.
    FtpScon,
    /// `AT+FTPQUIT`.
    FtpQuit,
}

impl CommandName {
    /// Every command name, in the order of `SPEC.md`.
    pub const ALL: [CommandName; 21] = [
        CommandName::At,
        CommandName::Echo,
        CommandName::Cfun,
        CommandName::Cgact,
        CommandName::FtpPort,
        CommandName::FtpMode,
        CommandName::FtpType,
        CommandName::FtpReset,
        CommandName::FtpServ,
        CommandName::FtpUn,
        CommandName::FtpPw,
        CommandName::FtpGetName,
        CommandName::FtpPath,
        CommandName::FtpPutName,
        CommandName::FtpMkd,
        CommandName::FtpRmd,
        CommandName::FtpGet,
        CommandName::FtpPut,
        CommandName::FtpList,
        CommandName::FtpScon,
        CommandName::FtpQuit,
    ];

    /// The command as written after `AT`, e.g. `"+FTPSERV"`; `"E"` for echo
    /// and `""` for the bare `AT`.
    pub const fn as_str(self) -> &'static str {
        match self {
            CommandName::At => "",
            CommandName::Echo => "E",
            CommandName::Cfun => "+CFUN",
            CommandName::Cgact => "+CGACT",
            CommandName::FtpPort => "+FTPPORT",
            CommandName::FtpMode => "+FTPMODE",
            CommandName::FtpType => "+FTPTYPE",
            CommandName::FtpReset => "+FTPRESET",
            CommandName::FtpServ => "+FTPSERV",
            CommandName::FtpUn => "+FTPUN",
            CommandName::FtpPw => "+FTPPW",
            CommandName::FtpGetName => "+FTPGETNAME",
            CommandName::FtpPath => "+FTPPATH",
            CommandName::FtpPutName => "+FTPPUTNAME",
            CommandName::FtpMkd => "+FTPMKD",
            CommandName::FtpRmd => "+FTPRMD",
            CommandName::FtpGet => "+FTPGET",
            CommandName::FtpPut => "+FTPPUT",
            CommandName::FtpList => "+FTPLIST",
            CommandName::FtpScon => "+FTPSCON",
            CommandName::FtpQuit => "+FTPQUIT",
        }
    }
}

impl core::fmt::Display for CommandName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "AT{}", self.as_str())
    }
}

impl Command<'_> {
    /// The command's name.
    pub const fn name(&self) -> CommandName {
        match self {
            Command::At => CommandName::At,
            Command::Echo(_) => CommandName::Echo,
            Command::Cfun(_) => CommandName::Cfun,
            Command::Cgact(_) => CommandName::Cgact,
            Command::FtpPort(_) => CommandName::FtpPort,
            Command::FtpMode(_) => CommandName::FtpMode,
            Command::FtpType(_) => CommandName::FtpType,
            Command::FtpReset(_) => CommandName::FtpReset,
            Command::FtpServ(_) => CommandName::FtpServ,
            Command::FtpUn(_) => CommandName::FtpUn,
            Command::FtpPw(_) => CommandName::FtpPw,
            Command::FtpGetName(_) => CommandName::FtpGetName,
            Command::FtpPath(_) => CommandName::FtpPath,
            Command::FtpPutName(_) => CommandName::FtpPutName,
            Command::FtpMkd(_) => CommandName::FtpMkd,
            Command::FtpRmd(_) => CommandName::FtpRmd,
            Command::FtpGet(_) => CommandName::FtpGet,
            Command::FtpPut(_) => CommandName::FtpPut,
            Command::FtpList(_) => CommandName::FtpList,
            Command::FtpScon(_) => CommandName::FtpScon,
            Command::FtpQuit(_) => CommandName::FtpQuit,
        }
    }
}
