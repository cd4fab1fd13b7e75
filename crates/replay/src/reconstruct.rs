//! From a raw log to jobs: which jobs the host ran, read from the commands
//! it sent.
//!
//! The host's bytes are decoded with proto's [`CommandDecoder`] and each
//! [`Command`] is placed in a job by the order the session's jobs send
//! them (`SPEC.md` §4):
//!
//! - bring-up: a run of `AT`, `ATE0`, `AT+CFUN=1`, `AT+CGACT=1,<cid>`;
//! - configure: `AT+FTPPORT`, `AT+FTPMODE`, `AT+FTPSERV`, `AT+FTPUN`,
//!   `AT+FTPPW`, then `AT+FTPTYPE` and `AT+FTPPATH`;
//! - put: `AT+FTPPUTNAME`, `AT+FTPPUT=<len>,<data>`…, `AT+FTPPUT=0` (the
//!   data is the chunks' concatenation);
//! - get: `AT+FTPGETNAME`, optionally `AT+FTPTYPE=I` and
//!   `AT+FTPRESET=<offset>`, `AT+FTPGET`;
//! - list: optionally `AT+FTPPATH`, `AT+FTPLIST`;
//! - mkdir, rmdir, config query (`AT+FTPSCON`), quit.
//!
//! A command that fits no job (a query, a test form, an unknown line) is a
//! [`Stray`]: the replay reports it and the session will not send it.
//!
//! A transcript of the SIMCom dialect (declared, or detected from its
//! commands: `AT+SAPBR`, `AT+FTPGET=1`, a quoted `AT+FTPSERV`) is read with
//! `cellftp_proto::simcom::CommandDecoder` into [`SimcomJob`]s instead
//! ([`jobs_in`]): bring-up, configure, and one job per operation with the
//! settings sent before it.

use cellftp_proto::{
    Action, Cfun, Cgact, Command, CommandDecoder, Decoded, Mode, Operation, Put, Request, Setting,
    TransferType,
};
use cellftp_session::BringUp;

#[cfg(doc)]
use crate::transcript::SimcomJob;
use crate::transcript::{escape, Dialect, JobSpec, Record, Transcript};

/// A job read from the host's commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconstructed {
    /// The job.
    pub spec: JobSpec,
    /// The index of the record holding its first command.
    pub record: usize,
}

/// A host line that belongs to no job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stray {
    /// The index of the record that completed it.
    pub record: usize,
    /// The line, escaped, passwords redacted.
    pub line: String,
    /// Why it fits no job.
    pub why: &'static str,
}

/// What [`jobs`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reconstruction {
    /// The jobs, in the order the host ran them.
    pub jobs: Vec<Reconstructed>,
    /// Host lines that fit no job.
    pub strays: Vec<Stray>,
    /// How many commands the host sent that proto understands.
    pub commands: usize,
}

/// The step of a configure job a command is, in the session's order.
fn configure_step(c: &Command<'_>) -> Option<u8> {
    Some(match c {
        Command::FtpPort(Setting::Set(_)) => 0,
        Command::FtpMode(Setting::Set(_)) => 1,
        Command::FtpServ(Setting::Set(_)) => 2,
        Command::FtpUn(Setting::Set(_)) => 3,
        Command::FtpPw(Setting::Set(_)) => 4,
        Command::FtpType(Setting::Set(_)) => 5,
        Command::FtpPath(Setting::Set(_)) => 6,
        _ => return None,
    })
}

/// The step of a bring-up job a command is.
fn bring_up_step(c: &Command<'_>) -> Option<u8> {
    Some(match c {
        Command::At => 0,
        Command::Echo(false) => 1,
        Command::Cfun(Setting::Set(Cfun {
            fun: 1,
            reset: None,
        })) => 2,
        Command::Cgact(Setting::Set(Cgact { activate: true, .. })) => 3,
        _ => return None,
    })
}

/// A job being read.
#[derive(Debug)]
enum Open {
    BringUp { step: u8, spec: BringUp },
    Configure { step: u8, job: Box<Configure> },
    Put { name: String, data: Vec<u8> },
    Get { name: String, offset: u32 },
}

#[derive(Debug, Default)]
struct Configure {
    server: String,
    port: Option<u16>,
    mode: Option<Mode>,
    transfer_type: Option<TransferType>,
    user: String,
    password: String,
    path: Option<String>,
}

/// Reads the host's commands and groups them into jobs.
struct Reader {
    out: Reconstruction,
    open: Option<(Open, usize)>,
    /// An `AT+FTPPATH` outside a configure job: the next listing's path.
    list_path: Option<(String, usize, String)>,
    /// The session's resynchronising probe set its name: its query follows.
    probing: bool,
}

impl Reader {
    fn close(&mut self) {
        let Some((open, record)) = self.open.take() else {
            return;
        };
        let spec = match open {
            Open::BringUp { spec, .. } => JobSpec::BringUp(spec),
            Open::Configure { job, .. } => JobSpec::Configure {
                server: job.server,
                port: job.port,
                mode: job.mode.unwrap_or(Mode::Passive),
                transfer_type: job.transfer_type.unwrap_or(TransferType::Binary),
                user: job.user,
                password: job.password,
                path: job.path,
            },
            // A put or get the log cut off: the session runs it as far as
            // the log goes.
            Open::Put { name, data } => JobSpec::Put { name, data },
            Open::Get { name, offset } => JobSpec::Get { name, offset },
        };
        self.out.jobs.push(Reconstructed { spec, record });
    }

    fn push(&mut self, spec: JobSpec, record: usize) {
        self.close();
        self.out.jobs.push(Reconstructed { spec, record });
    }

    fn stray(&mut self, record: usize, line: &[u8], why: &'static str) {
        self.out.strays.push(Stray {
            record,
            line: escape(&crate::redact_passwords(line)),
            why,
        });
    }

    fn command(&mut self, c: &Command<'_>, line: &[u8], record: usize) {
        self.out.commands += 1;
        // Bring-up.
        if let Some(step) = bring_up_step(c) {
            let fits = matches!(&self.open, Some((Open::BringUp { step: s, .. }, _)) if step > *s || (step == 0 && *s == 0));
            if !fits {
                self.close();
                let spec = BringUp {
                    probe: false,
                    echo_off: false,
                    full_functionality: false,
                    pdp_context: None,
                };
                self.open = Some((Open::BringUp { step, spec }, record));
            }
            if let Some((Open::BringUp { step: s, spec }, _)) = &mut self.open {
                *s = step;
                match c {
                    Command::At => spec.probe = true,
                    Command::Echo(_) => spec.echo_off = true,
                    Command::Cfun(_) => spec.full_functionality = true,
                    Command::Cgact(Setting::Set(Cgact { cid, .. })) => spec.pdp_context = *cid,
                    _ => {}
                }
            }
            return;
        }
        // The session's own resynchronising probe (SPEC.md §5 item 40),
        // which ends whatever job was open and belongs to none.
        match c {
            Command::FtpGetName(Setting::Set(name))
                if cellftp_session::is_resync_name(name.as_str().as_bytes()) =>
            {
                self.close();
                self.probing = true;
                return;
            }
            Command::FtpGetName(Setting::Query) if self.probing => {
                self.probing = false;
                return;
            }
            _ => self.probing = false,
        }
        // The type and path commands that belong to a get, a put or a list.
        let in_configure = matches!(&self.open, Some((Open::Configure { step, .. }, _)) if configure_step(c).is_some_and(|s| s > *step));
        let starts_configure = matches!(
            c,
            Command::FtpPort(Setting::Set(_))
                | Command::FtpMode(Setting::Set(_))
                | Command::FtpServ(Setting::Set(_))
                | Command::FtpUn(Setting::Set(_))
                | Command::FtpPw(Setting::Set(_))
        );
        if in_configure || starts_configure {
            if !in_configure {
                self.close();
                let job = Box::default();
                self.open = Some((Open::Configure { step: 0, job }, record));
            }
            if let Some((Open::Configure { step, job }, _)) = &mut self.open {
                *step = configure_step(c).unwrap_or(*step);
                match c {
                    Command::FtpPort(Setting::Set(p)) => job.port = Some(*p),
                    Command::FtpMode(Setting::Set(m)) => job.mode = Some(*m),
                    Command::FtpServ(Setting::Set(h)) => h.as_str().clone_into(&mut job.server),
                    Command::FtpUn(Setting::Set(u)) => u.as_str().clone_into(&mut job.user),
                    Command::FtpPw(Setting::Set(p)) => {
                        job.password = String::from_utf8_lossy(p.expose()).into_owned();
                    }
                    Command::FtpType(Setting::Set(t)) => job.transfer_type = Some(*t),
                    Command::FtpPath(Setting::Set(p)) => job.path = Some(p.as_str().to_owned()),
                    _ => {}
                }
            }
            return;
        }
        match c {
            Command::FtpPutName(Setting::Set(name)) => {
                self.close();
                let name = name.as_str().to_owned();
                self.open = Some((
                    Open::Put {
                        name,
                        data: Vec::new(),
                    },
                    record,
                ));
            }
            Command::FtpPut(Put::Data(d)) => match &mut self.open {
                Some((Open::Put { data, .. }, _)) => data.extend_from_slice(d),
                _ => self.stray(
                    record,
                    line,
                    "upload data outside an upload (no AT+FTPPUTNAME)",
                ),
            },
            Command::FtpPut(Put::End) => match &self.open {
                Some((Open::Put { .. }, _)) => self.close(),
                _ => self.stray(record, line, "the end of an upload that did not start"),
            },
            Command::FtpGetName(Setting::Set(name)) => {
                self.close();
                let name = name.as_str().to_owned();
                self.open = Some((Open::Get { name, offset: 0 }, record));
            }
            // A resumed get sets binary and the offset; a whole-file get
            // after a resumed one restores the type; a put restores it too.
            Command::FtpType(Setting::Set(_)) => {
                if !matches!(&self.open, Some((Open::Get { .. }, _))) {
                    self.close();
                }
            }
            Command::FtpReset(Setting::Set(n)) => match &mut self.open {
                Some((Open::Get { offset, .. }, _)) => *offset = *n,
                _ => self.stray(record, line, "a restart offset outside a download"),
            },
            Command::FtpGet(Action::Execute) => match &self.open {
                Some((Open::Get { .. }, _)) => self.close(),
                _ => self.stray(record, line, "a download with no AT+FTPGETNAME"),
            },
            Command::FtpPath(Setting::Set(p)) => {
                self.close();
                if let Some((_, r, l)) = self.list_path.take() {
                    self.stray(r, l.as_bytes(), "a server path no listing used");
                }
                let shown = String::from_utf8_lossy(line).into_owned();
                self.list_path = Some((p.as_str().to_owned(), record, shown));
            }
            Command::FtpList(Action::Execute) => {
                let (path, first) = match self.list_path.take() {
                    Some((p, r, _)) => (Some(p), r),
                    None => (None, record),
                };
                self.push(JobSpec::List(path), first);
            }
            Command::FtpMkd(Operation::Run(d)) => {
                self.push(JobSpec::Mkdir(d.as_str().to_owned()), record);
            }
            Command::FtpRmd(Operation::Run(d)) => {
                self.push(JobSpec::Rmdir(d.as_str().to_owned()), record);
            }
            Command::FtpScon(Action::Execute) => self.push(JobSpec::QueryConfig, record),
            Command::FtpQuit(Action::Execute) => self.push(JobSpec::Quit, record),
            _ => {
                self.close();
                self.stray(
                    record,
                    line,
                    "a command no job sends (a query, a test form or another setting)",
                );
            }
        }
    }
}

/// Reads the jobs the host ran from the commands in `transcript`.
///
/// ```
/// use cellftp_replay::{reconstruct, JobSpec, Transcript};
/// let t = Transcript::parse(
///     "> AT+FTPGETNAME=a.txt\\r\n< \\r\\nOK\\r\\n\n> AT+FTPRESET=2\\r\n< \\r\\nOK\\r\\n\n> AT+FTPGET\\r\n",
/// )?;
/// let r = reconstruct::jobs(&t);
/// assert_eq!(r.jobs[0].spec, JobSpec::Get { name: "a.txt".into(), offset: 2 });
/// # Ok::<(), cellftp_replay::ParseError>(())
/// ```
pub fn jobs(transcript: &Transcript) -> Reconstruction {
    jobs_in(transcript, dialect_of(transcript))
}

/// The dialect of `transcript`: the declared one, else SIMCom when its
/// commands are SIMCom's, else the first dialect.
pub fn dialect_of(transcript: &Transcript) -> Dialect {
    let declared = transcript
        .records
        .iter()
        .any(|r| matches!(r, Record::Dialect(_)));
    if declared {
        transcript.dialect()
    } else if crate::simcom::detect(transcript) {
        Dialect::Simcom
    } else {
        Dialect::Manual
    }
}

/// Reads the jobs the host ran from the commands in `transcript`, read as
/// `dialect`.
pub fn jobs_in(transcript: &Transcript, dialect: Dialect) -> Reconstruction {
    if dialect == Dialect::Simcom {
        return crate::simcom::reconstruct(transcript);
    }
    let mut reader = Reader {
        out: Reconstruction::default(),
        open: None,
        list_path: None,
        probing: false,
    };
    let mut decoder = CommandDecoder::new();
    let mut buf = crate::feed::Feed::default();
    for (record, r) in transcript.records.iter().enumerate() {
        let Record::Sent(chunk) = r else { continue };
        buf.push(chunk);
        loop {
            let (consumed, done) = match decoder.decode(buf.pending()) {
                Decoded::Item { item, consumed } => {
                    let line = buf.pending().get(..consumed).unwrap_or_default();
                    let line = line.trim_ascii();
                    match item {
                        Request::Command(c) => reader.command(&c, line, record),
                        Request::FtpPutStart { .. } | Request::Continuation(_) => {
                            reader.stray(
                                record,
                                line.get(..40).unwrap_or(line),
                                "an upload chunk longer than the modem takes",
                            );
                        }
                        Request::Unknown(l) => reader.stray(record, l, "not a command we know"),
                        Request::Overlong(l) => reader.stray(
                            record,
                            l.get(..40).unwrap_or(l),
                            "a line longer than any command",
                        ),
                        _ => {}
                    }
                    (consumed, false)
                }
                Decoded::NeedMore { consumed } => (consumed, true),
            };
            buf.consume(consumed);
            if done {
                break;
            }
        }
    }
    reader.close();
    if let Some((_, r, l)) = reader.list_path.take() {
        reader.stray(r, l.as_bytes(), "a server path no listing used");
    }
    reader.out
}

/// `transcript` with `jobs` declared before its first record: what the
/// session is asked to run when the capture declares none. Jobs of the
/// SIMCom dialect come after a `! dialect simcom` record, unless the
/// transcript declares its dialect (then its records come first).
pub fn with_jobs(transcript: &Transcript, jobs: &[Reconstructed]) -> Transcript {
    let simcom = jobs.iter().any(|j| j.spec.dialect() == Dialect::Simcom);
    let declared = transcript
        .records
        .iter()
        .position(|r| matches!(r, Record::Dialect(_)));
    let mut records = Vec::new();
    let rest = match declared {
        Some(at) => {
            records.extend(transcript.records.iter().take(at + 1).cloned());
            transcript.records.get(at + 1..).unwrap_or_default()
        }
        None => {
            if simcom {
                records.push(Record::Dialect(Dialect::Simcom));
            }
            transcript.records.as_slice()
        }
    };
    records.extend(jobs.iter().map(|j| Record::Job(j.spec.clone())));
    records.extend(rest.iter().cloned());
    Transcript { records }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_manual_session() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../transcripts/manual-example.cftx"
        ))
        .unwrap_or_default();
        let t = Transcript::parse(&text).unwrap_or_default();
        let declared: Vec<JobSpec> = t.jobs().cloned().collect();
        let found: Vec<JobSpec> = jobs(&t).jobs.into_iter().map(|j| j.spec).collect();
        assert_eq!(found, declared);
    }

    /// The session's resynchronising probe (a numbered download name and
    /// its query) is neither a job nor a stray, and ends the job before
    /// it; a caller's own query of the name is still a stray.
    #[test]
    fn the_resynchronising_probe_is_no_job() {
        let t = Transcript::parse(concat!(
            "> AT+FTPMKD=a\\r\n< \\r\\nOK\\r\\n\n",
            "> AT+FTPGETNAME=cellftp-sync-3\\r\n< \\r\\nOK\\r\\n\n",
            "> AT+FTPGETNAME?\\r\n< \\r\\n+FTPGETNAME: cellftp-sync-3\\r\\n\\r\\nOK\\r\\n\n",
            "> AT+FTPRMD=a\\r\n< \\r\\nOK\\r\\n\n",
            "> AT+FTPGETNAME?\\r\n< \\r\\nOK\\r\\n\n",
        ))
        .unwrap_or_default();
        let r = jobs(&t);
        let specs: Vec<JobSpec> = r.jobs.into_iter().map(|j| j.spec).collect();
        assert_eq!(
            specs,
            [JobSpec::Mkdir("a".into()), JobSpec::Rmdir("a".into())]
        );
        assert_eq!(r.strays.len(), 1, "{:?}", r.strays);
        assert_eq!(r.commands, 5);
    }
}
