//! What a SIMCom modem sends: the [`Response`] items of
//! [`super::ResponseDecoder`], and their parts (the fields of an
//! information line are `field.rs`'s). Everything borrows from the
//! caller's buffer.

use core::fmt;

use crate::bytes::Bytes;
use crate::response::CmeError;
use crate::secret::Redacted;

use super::command::CommandName;
use super::error::SimcomFtpError;
use super::field::{Field, Fields};

/// One item of the modem-to-host stream of the SIMCom dialect.
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Response<'a> {
    /// `OK`.
    Ok,
    /// `ERROR`.
    Error,
    /// `+CME ERROR: <err>`.
    CmeError(CmeError<'a>),
    /// `+CMS ERROR: <err>`.
    CmsError(CmeError<'a>),
    /// `+FTPGET: 2,<len>` or `+FTPLIST: 2,<len>`: the answer to a read;
    /// `len` bytes of payload follow as [`Response::Data`] items (none when
    /// `len` is 0).
    ReadHeader {
        /// Which read.
        op: ReadOp,
        /// The confirmed length.
        len: u32,
    },
    /// Payload bytes of the last [`Response::ReadHeader`], at most
    /// [`crate::MAX_FRAGMENT`] per item, whatever they contain.
    Data(&'a [u8]),
    /// `+FTPPUT: 2,<cnf>`: the host must now write exactly `cnf` bytes.
    PutHeader {
        /// The confirmed length.
        cnf: u32,
    },
    /// An unsolicited result code.
    Urc(Urc),
    /// An information line `+<NAME>: <fields>` answering a command.
    Info(Info<'a>),
    /// A command line echoed (echo on), whole.
    Echo(&'a [u8]),
    /// Any other line, whole.
    Unknown(&'a [u8]),
    /// A piece of a line longer than [`crate::MAX_LINE`], skipped.
    Overlong(&'a [u8]),
}

impl<'a> Response<'a> {
    /// False for [`Response::Unknown`] and [`Response::Overlong`].
    pub fn is_recognised(&self) -> bool {
        !matches!(self, Response::Unknown(_) | Response::Overlong(_))
    }

    /// The final result this item is, if it is one.
    pub fn final_result(&self) -> Option<crate::FinalResult<'a>> {
        match *self {
            Response::Ok => Some(crate::FinalResult::Ok),
            Response::Error => Some(crate::FinalResult::Error),
            Response::CmeError(e) => Some(crate::FinalResult::Cme(e)),
            Response::CmsError(e) => Some(crate::FinalResult::Cms(e)),
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
            Response::ReadHeader { op, len } => f
                .debug_struct("ReadHeader")
                .field("op", op)
                .field("len", len)
                .finish(),
            Response::Data(d) => f.debug_tuple("Data").field(&Bytes(d)).finish(),
            Response::PutHeader { cnf } => f.debug_struct("PutHeader").field("cnf", cnf).finish(),
            Response::Urc(u) => f.debug_tuple("Urc").field(u).finish(),
            Response::Info(i) => f.debug_tuple("Info").field(i).finish(),
            Response::Echo(l) => f.debug_tuple("Echo").field(&Redacted(l)).finish(),
            Response::Unknown(l) => f.debug_tuple("Unknown").field(&Redacted(l)).finish(),
            Response::Overlong(l) => f.debug_tuple("Overlong").field(&l.len()).finish(),
        }
    }
}

/// Which read a [`Response::ReadHeader`] answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadOp {
    /// `AT+FTPGET=2,<n>`: file data.
    Get,
    /// `AT+FTPLIST=2,<n>`: listing text.
    List,
}

/// Declares [`Op`]: each operation with the command that starts it, once,
/// so that [`Op::command`] and [`Op::of`] (the grammar's way from a line's
/// name to its operation) cannot disagree.
macro_rules! ops {
    ($( $(#[doc = $doc:literal])* $op:ident = $command:ident, )*) => {
        /// The operations that report by URC (`+<NAME>: 1,…`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Op {
            $( $(#[doc = $doc])* $op, )*
        }

        impl Op {
            /// Every operation.
            #[cfg(test)]
            const ALL: &'static [Op] = &[$( Op::$op, )*];

            /// The command that starts the operation.
            pub const fn command(self) -> CommandName {
                match self {
                    $( Op::$op => CommandName::$command, )*
                }
            }

            /// The operation `command` starts, if it reports by URC.
            pub(crate) fn of(command: CommandName) -> Option<Op> {
                match command {
                    $( CommandName::$command => Some(Op::$op), )*
                    _ => None,
                }
            }
        }
    };
}

ops! {
    /// `+FTPGET`.
    Get = FtpGet,
    /// `+FTPPUT`.
    Put = FtpPut,
    /// `+FTPLIST`.
    List = FtpList,
    /// `+FTPMKD`.
    Mkd = FtpMkd,
    /// `+FTPRMD`.
    Rmd = FtpRmd,
    /// `+FTPDELE`.
    Dele = FtpDele,
    /// `+FTPSIZE`.
    Size = FtpSize,
}

/// What an operation's URC says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpStatus {
    /// `1,1` (get, list): the session is open, data can be read.
    Open,
    /// `+FTPPUT: 1,1,<maxlength>`: ready for one chunk of up to `max`
    /// bytes (0: not ready now).
    PutReady {
        /// `<maxlength>`.
        max: u32,
    },
    /// `1,0`: finished successfully.
    Done,
    /// `+FTPSIZE: 1,0,<size>`: the file's size.
    Size(u32),
    /// `1,<err>`, `<err>` ≥ 2: the operation failed.
    Failed(SimcomFtpError),
}

/// An unsolicited result code of the dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Urc {
    /// `+<NAME>: 1,…`: progress or end of an operation.
    Ftp {
        /// The operation.
        op: Op,
        /// What it says.
        status: OpStatus,
    },
    /// `+SAPBR <cid>: DEACT`: the network closed the bearer.
    BearerDeact {
        /// The bearer profile.
        cid: u32,
    },
    /// `+PDP: DEACT`: the PDP context was lost.
    PdpDeact,
    /// `+APP PDP: <idx>,ACTIVE|DEACTIVE` (SIM7080).
    AppPdp {
        /// The PDP index.
        idx: u32,
        /// True for `ACTIVE`.
        active: bool,
    },
    /// `RDY`: the modem (re)started.
    Ready,
    /// `+CFUN: <n>`.
    Cfun(u32),
    /// `+CPIN: READY` and the like (`ready` for `READY`).
    Cpin {
        /// True for `READY`.
        ready: bool,
    },
    /// `NORMAL POWER DOWN`, `POWERED DOWN`, …
    PowerDown,
}

impl Urc {
    /// True for the codes that mean the modem restarted: `RDY`, `+CFUN: 1`.
    pub fn is_restart(&self) -> bool {
        matches!(self, Urc::Ready | Urc::Cfun(1))
    }

    /// True for the codes that mean the bearer is gone.
    pub fn is_bearer_down(&self) -> bool {
        matches!(
            self,
            Urc::BearerDeact { .. } | Urc::PdpDeact | Urc::AppPdp { active: false, .. }
        )
    }
}

/// The names an information line may carry that are not in the command
/// table: commands this crate recognises but never sends (`SPEC-simcom.md`
/// §1.1), and the SIM7080 bearer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OtherName {
    /// `+FTPSCONT`.
    FtpScont,
    /// `+FTPEXTPUT`.
    FtpExtPut,
    /// `+FTPEXTGET`.
    FtpExtGet,
    /// `+FTPGETTOFS`.
    FtpGetToFs,
    /// `+FTPPUTFRMFS`.
    FtpPutFrmFs,
    /// `+FTPFILEPUT`.
    FtpFilePut,
    /// `+FTPETPUT` (SIM7000).
    FtpEtPut,
    /// `+FTPETGET` (SIM7000).
    FtpEtGet,
    /// `+FTPRENAME` (SIM7000).
    FtpRename,
    /// `+FTPMDTM` (SIM7000).
    FtpMdtm,
    /// `+CNACT` (SIM7080).
    Cnact,
}

/// The name of an information line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InfoName {
    /// A command of the table.
    Command(CommandName),
    /// A name recognised but never sent.
    Other(OtherName),
}

/// An information line: `+FTPTYPE: I`, `+SAPBR: 1,1,"10.0.0.2"`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Info<'a> {
    /// The name before the colon.
    pub name: InfoName,
    /// The fields after it.
    pub fields: Fields<'a>,
}

impl fmt::Debug for Info<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Info");
        s.field("name", &self.name);
        if self.name == InfoName::Command(CommandName::FtpPw) && !self.fields.is_empty() {
            s.field("fields", &format_args!("<redacted>"));
        } else if self.name == InfoName::Command(CommandName::Sapbr) {
            s.field("fields", &SapbrFields(self.fields));
        } else {
            s.field("fields", &self.fields);
        }
        s.finish()
    }
}

/// `+SAPBR` fields with every field after a `PWD` tag hidden.
struct SapbrFields<'a>(Fields<'a>);

impl fmt::Debug for SapbrFields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        let mut hide = false;
        for field in self.0 {
            if hide {
                list.entry(&format_args!("<redacted>"));
            } else {
                list.entry(&field);
            }
            hide |= matches!(field, Field::Text(t) if t.eq_ignore_ascii_case(b"PWD"));
        }
        list.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_operation_is_its_command_s_and_no_other_s() {
        for &op in Op::ALL {
            assert_eq!(Op::of(op.command()), Some(op));
        }
        let ops = CommandName::iter().filter_map(Op::of).count();
        assert_eq!(ops, Op::ALL.len());
    }
}
