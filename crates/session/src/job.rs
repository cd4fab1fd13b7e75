//! The jobs and their command sequences: every step a job takes lives in
//! this module, readable as one table per job in [`Job::next`].

use cellftp_proto::{
    Action, Cfun, Cgact, Command, Mode, Operation, Put, Setting, Text, TextKind, TransferType,
};

use crate::config::BringUp;
use crate::event::{JobId, Outcome};
use crate::store::{Inline, Secret};
use crate::JobError;

/// What the session knows of the modem's FTP settings, so that a job sends
/// only the commands it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Mirror {
    /// The transfer type last set, if known.
    pub(crate) transfer_type: Option<TransferType>,
    /// The restart offset last set (0 after power-up).
    pub(crate) restart: u32,
    /// The transfer type the last successful configure job chose.
    pub(crate) configured_type: Option<TransferType>,
}

impl Mirror {
    /// The command that puts the modem back to the configured transfer
    /// type, when a resumed get switched it to binary.
    fn restore_type(&self) -> Option<Command<'static>> {
        match self.configured_type {
            Some(t) if self.transfer_type != Some(t) => Some(Command::FtpType(Setting::Set(t))),
            _ => None,
        }
    }
}

/// The put job's step that waits for data and sends chunks.
pub(crate) const PUT_DATA_STEP: u8 = 2;

/// A queued or running job.
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) id: JobId,
    /// Index of the next step in the job's table.
    pub(crate) step: u8,
    pub(crate) kind: Kind,
}

/// The configure job's parameters.
#[derive(Debug)]
pub(crate) struct Configure {
    pub(crate) server: Inline,
    pub(crate) port: Option<u16>,
    pub(crate) mode: Mode,
    pub(crate) transfer_type: TransferType,
    pub(crate) user: Inline,
    pub(crate) password: Secret,
    pub(crate) path: Option<Inline>,
}

/// The upload's progress.
#[derive(Debug, Default)]
pub(crate) struct Upload {
    /// Bytes acknowledged by the modem.
    pub(crate) bytes: u64,
    /// Bytes in the chunk on its way, if any.
    pub(crate) in_flight: Option<usize>,
    /// `PutReady` was reported for the current wait.
    pub(crate) announced: bool,
    /// The caller said the file is complete.
    pub(crate) finishing: bool,
    /// A chunk failed: the upload is being closed, then the job fails.
    pub(crate) failed: Option<JobError>,
}

/// The download's progress.
#[derive(Debug, Default)]
pub(crate) struct Download {
    /// Bytes received.
    pub(crate) bytes: u64,
    /// Bytes announced by `+FTPGET:<len>` headers.
    pub(crate) announced: u64,
}

/// The listing's progress.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub(crate) entries: u32,
    pub(crate) lines: u32,
    /// Bytes announced by `+FTPLIST:<mode>,<len>`, if the header came.
    pub(crate) announced: Option<u64>,
}

/// What a job does, with its parameters and progress.
#[derive(Debug)]
pub(crate) enum Kind {
    BringUp(BringUp),
    Configure(Configure),
    Put(Inline, Upload),
    Get(Inline, u32, Download),
    List(Option<Inline>, Listing),
    Mkdir(Inline),
    Rmdir(Inline),
    QueryConfig(u32),
    Quit,
}

impl Kind {
    /// True for jobs that use the FTP connection.
    pub(crate) fn needs_connection(&self) -> bool {
        matches!(
            self,
            Kind::Put(..) | Kind::Get(..) | Kind::List(..) | Kind::Mkdir(_) | Kind::Rmdir(_)
        )
    }
}

/// What a job wants next.
#[derive(Debug)]
pub(crate) enum Next<'j> {
    /// Send this command and wait for its final result.
    Send(Command<'j>),
    /// Wait for the caller's data (put jobs).
    AwaitData,
    /// The job is over.
    Done(Result<Outcome, JobError>),
}

/// One row of a job's table: the command for a step, or `None` to skip it.
type Row<'j> = Option<Command<'j>>;

fn text(kind: TextKind, s: &Inline) -> Option<Text<'_>> {
    // Validated when the job was queued; re-checking cannot fail.
    Text::from_bytes(kind, s.as_bytes()).ok()
}

impl Job {
    /// The job's next command, skipping rows that do not apply; `step` is
    /// left at the returned row.
    pub(crate) fn next(&mut self, mirror: &Mirror) -> Next<'_> {
        loop {
            let step = self.step;
            let row: Result<Row<'_>, Next<'_>> = match &self.kind {
                Kind::BringUp(b) => match step {
                    0 => Ok(b.probe.then_some(Command::At)),
                    1 => Ok(b.echo_off.then_some(Command::Echo(false))),
                    2 => Ok(b
                        .full_functionality
                        .then_some(Command::Cfun(Setting::Set(Cfun {
                            fun: 1,
                            reset: None,
                        })))),
                    3 => Ok(b.pdp_context.map(|cid| {
                        Command::Cgact(Setting::Set(Cgact {
                            activate: true,
                            cid: Some(cid),
                        }))
                    })),
                    _ => Err(Next::Done(Ok(Outcome::BroughtUp))),
                },
                Kind::Configure(c) => match step {
                    0 => Ok(c.port.map(|p| Command::FtpPort(Setting::Set(p)))),
                    1 => Ok(Some(Command::FtpMode(Setting::Set(c.mode)))),
                    2 => Ok(cellftp_proto::Host::from_bytes(c.server.as_bytes())
                        .ok()
                        .map(|h| Command::FtpServ(Setting::Set(h)))),
                    3 => Ok(text(TextKind::User, &c.user).map(|t| Command::FtpUn(Setting::Set(t)))),
                    4 => Ok(c
                        .password
                        .password()
                        .map(|p| Command::FtpPw(Setting::Set(p)))),
                    5 => Ok(Some(Command::FtpType(Setting::Set(c.transfer_type)))),
                    6 => Ok(c
                        .path
                        .as_ref()
                        .and_then(|p| text(TextKind::Path, p))
                        .map(|t| Command::FtpPath(Setting::Set(t)))),
                    _ => Err(Next::Done(Ok(Outcome::Configured))),
                },
                Kind::Put(name, up) => match step {
                    0 => Ok(mirror.restore_type()),
                    1 => Ok(text(TextKind::FileName, name)
                        .map(|t| Command::FtpPutName(Setting::Set(t)))),
                    // Data chunks are encoded by `Session::send_data`.
                    PUT_DATA_STEP if up.failed.is_none() && !up.finishing => Err(Next::AwaitData),
                    PUT_DATA_STEP => Ok(Some(Command::FtpPut(Put::End))),
                    _ => Err(Next::Done(match up.failed {
                        Some(e) => Err(e),
                        None => Ok(Outcome::Uploaded { bytes: up.bytes }),
                    })),
                },
                Kind::Get(name, offset, down) => match step {
                    0 => Ok(text(TextKind::FileName, name)
                        .map(|t| Command::FtpGetName(Setting::Set(t)))),
                    // The manual: a restart offset is valid only in TYPE I.
                    1 => Ok((*offset != mirror.restart
                        && mirror.transfer_type != Some(TransferType::Binary))
                    .then_some(Command::FtpType(Setting::Set(TransferType::Binary)))),
                    2 => Ok((*offset != mirror.restart)
                        .then_some(Command::FtpReset(Setting::Set(*offset)))),
                    // A whole-file get after a resumed one: back to the
                    // configured type (ASCII transfers convert line ends).
                    3 if *offset == 0 => Ok(mirror.restore_type()),
                    3 => Ok(None),
                    4 => Ok(Some(Command::FtpGet(Action::Execute))),
                    _ => Err(Next::Done(Ok(Outcome::Downloaded {
                        offset: *offset,
                        bytes: down.bytes,
                    }))),
                },
                Kind::List(path, listing) => match step {
                    0 => Ok(path
                        .as_ref()
                        .and_then(|p| text(TextKind::Path, p))
                        .map(|t| Command::FtpPath(Setting::Set(t)))),
                    1 => Ok(Some(Command::FtpList(Action::Execute))),
                    _ => Err(Next::Done(Ok(Outcome::Listed {
                        entries: listing.entries,
                        lines: listing.lines,
                    }))),
                },
                Kind::Mkdir(dir) => {
                    match step {
                        0 => Ok(text(TextKind::Directory, dir)
                            .map(|t| Command::FtpMkd(Operation::Run(t)))),
                        _ => Err(Next::Done(Ok(Outcome::DirectoryCreated))),
                    }
                }
                Kind::Rmdir(dir) => {
                    match step {
                        0 => Ok(text(TextKind::Directory, dir)
                            .map(|t| Command::FtpRmd(Operation::Run(t)))),
                        _ => Err(Next::Done(Ok(Outcome::DirectoryRemoved))),
                    }
                }
                Kind::QueryConfig(items) => match step {
                    0 => Ok(Some(Command::FtpScon(Action::Execute))),
                    _ => Err(Next::Done(Ok(Outcome::ConfigReported { items: *items }))),
                },
                Kind::Quit => match step {
                    0 => Ok(Some(Command::FtpQuit(Action::Execute))),
                    _ => Err(Next::Done(Ok(Outcome::Quit))),
                },
            };
            match row {
                Ok(None) => self.step += 1,
                Ok(Some(command)) => return Next::Send(command),
                Err(next) => return next,
            }
        }
    }
}
