//! Replaying a transcript of the SIMCom dialect (`! dialect simcom`,
//! `SPEC-simcom.md`): its two streams read with
//! `cellftp_proto::simcom`'s decoders, its jobs run through a
//! [`cellftp_session::simcom::Session`] fed the recorded modem bytes as
//! recorded, and its jobs read back from the host's commands.
//!
//! The host's upload bytes after `AT+FTPPUT=2,<n>` are as many as the
//! modem confirmed in its `+FTPPUT: 2,<cnf>`: [`walk`] reads both streams
//! in record order and tells the command decoder each `<cnf>`
//! (`CommandDecoder::expect_put_data`) before those bytes are decoded.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::time::Duration;

use cellftp_proto::simcom::{
    Bearer, BearerParam, Command, CommandDecoder, PutOpt, Request, Response, ResponseDecoder,
    Transfer, Upload,
};
use cellftp_proto::{Action, Decoded, Decoder, Mode, Setting};
use cellftp_session::simcom::{Config, Event, Outcome, Session};

use crate::lockstep::{Note, Queued, Replayed};
use crate::reconstruct::{Reconstructed, Reconstruction, Stray};
use crate::redact_passwords;
use crate::report::{JobResult, Report};
use crate::transcript::{escape, JobSpec, Record, SimcomJob, Transcript};

/// One item of either stream, as [`walk`] reads it.
pub(crate) enum Item<'b> {
    /// From the host, with the bytes it was read from.
    Host(Request<'b>, &'b [u8]),
    /// From the modem, with the bytes it was read from.
    Modem(Response<'b>, &'b [u8]),
}

/// Reads both streams of `t` in record order, calling `f` with the index
/// of the record that completed each item. The host's upload bytes are
/// framed by the modem's `+FTPPUT: 2,<cnf>`.
pub(crate) fn walk(t: &Transcript, mut f: impl FnMut(usize, Item<'_>)) {
    let mut host = CommandDecoder::new();
    let mut modem = ResponseDecoder::new();
    let (mut sent, mut received) = (crate::feed::Feed::default(), crate::feed::Feed::default());
    for (record, r) in t.records.iter().enumerate() {
        match r {
            Record::Sent(chunk) => {
                sent.push(chunk);
                loop {
                    let consumed = match host.decode(sent.pending()) {
                        Decoded::Item { item, consumed } => {
                            let raw = sent.pending().get(..consumed).unwrap_or_default();
                            f(record, Item::Host(item, raw));
                            consumed
                        }
                        Decoded::NeedMore { consumed } => {
                            sent.consume(consumed);
                            break;
                        }
                    };
                    sent.consume(consumed);
                }
            }
            Record::Received(chunk) => {
                received.push(chunk);
                loop {
                    let consumed = match modem.decode(received.pending()) {
                        Decoded::Item { item, consumed } => {
                            if let Response::PutHeader { cnf } = item {
                                // The host's bytes after its write command
                                // are the confirmed ones (none decoded yet:
                                // the host waits for this header).
                                if sent.pending().is_empty() {
                                    host.expect_put_data(cnf);
                                }
                            }
                            let raw = received.pending().get(..consumed).unwrap_or_default();
                            f(record, Item::Modem(item, raw));
                            consumed
                        }
                        Decoded::NeedMore { consumed } => {
                            received.consume(consumed);
                            break;
                        }
                    };
                    received.consume(consumed);
                }
            }
            _ => {}
        }
    }
}

/// Fills the decoding part of `report`: both streams' items.
pub(crate) fn decode(t: &Transcript, report: &mut Report) {
    walk(t, |_, item| match item {
        Item::Host(r, _) => {
            report.unknown_commands += usize::from(!CommandDecoder::is_recognised(&r));
            report.commands.push(format!("{r:?}"));
        }
        Item::Modem(r, _) => {
            report.unknown_responses += usize::from(!ResponseDecoder::is_recognised(&r));
            report.responses.push(format!("{r:?}"));
        }
    });
    report.bytes = t
        .records
        .iter()
        .map(|r| match r {
            Record::Sent(b) | Record::Received(b) => b.len(),
            _ => 0,
        })
        .sum();
}

/// The `<n>` of each `AT+FTPPUT=2,<n>` the host sent, in order: a put job
/// replays its data cut as recorded.
fn recorded_put_chunks(t: &Transcript) -> VecDeque<usize> {
    let mut out = VecDeque::new();
    walk(t, |_, item| {
        if let Item::Host(Request::Command(Command::FtpPut(Upload::Write(n))), _) = item {
            out.push_back(usize::from(n));
        }
    });
    out
}

/// The SIMCom dialect's session, replayed.
impl Replayed for Session {
    fn for_transcript(_: &Transcript) -> Self {
        Session::new(Config::default()).unwrap_or_else(|e| {
            debug_assert!(false, "the default settings are valid: {e}");
            Session::default()
        })
    }

    fn guard(&self) -> Duration {
        self.config().guard
    }

    fn owns(spec: &JobSpec) -> bool {
        matches!(spec, JobSpec::Simcom(_))
    }

    fn enqueue<'t>(&mut self, spec: &'t JobSpec) -> Option<Queued<'t>> {
        let JobSpec::Simcom(job) = spec else {
            return None;
        };
        Some(job.queue_on(self).map(|id| (id, job.upload())))
    }

    fn note<'e>(event: &'e Event<'_>) -> Note<'e> {
        match event {
            Event::PutProgress { .. } => Note::Omitted,
            Event::Data { job, data, .. } => Note::Data(*job, data),
            Event::ListLine {
                job, entry: Ok(e), ..
            } => Note::Entry(*job, e.name),
            Event::Unsolicited(item) => {
                let (text, kind) = crate::describe::simcom_response(item);
                Note::Unsolicited(text, kind)
            }
            Event::JobDone { job, result } => Note::Done(*job, JobResult::Simcom(*result)),
            _ => Note::Other,
        }
    }

    fn text(event: &Event<'_>) -> String {
        format!("{event:?}")
    }

    fn recorded_put_chunks(transcript: &Transcript) -> VecDeque<usize> {
        recorded_put_chunks(transcript)
    }

    /// The password values redacted, as the transcript writer redacts them.
    fn as_recorded(tx: &[u8]) -> Cow<'_, [u8]> {
        Cow::Owned(redact_passwords(tx))
    }
}

/// A job being read from the host's commands.
#[derive(Debug, Default)]
struct Params {
    /// `AT+SAPBR=3,<cid>,…` seen: the bring-up's bearer.
    apn: Option<String>,
    bearer_user: Option<String>,
    bearer_password: Option<String>,
    server: Option<String>,
    port: Option<u16>,
    user: Option<String>,
    password: Option<String>,
    mode: Option<Mode>,
    get_path: Option<String>,
    get_name: Option<String>,
    put_path: Option<String>,
    put_name: Option<String>,
    put_opt: Option<PutOpt>,
    rest: Option<u32>,
}

/// Reads the jobs the host ran from a SIMCom transcript's commands
/// (`SPEC-simcom.md` §4.7): bring-up is `AT`/`ATE0` and the `AT+SAPBR`
/// commands, configure the `AT+FTPCID` … `AT+FTPMODE` settings, and each
/// operation (`AT+FTPGET=1`, `AT+FTPPUT=1`, `AT+FTPLIST=1`, `AT+FTPMKD`,
/// `AT+FTPRMD`, `AT+FTPDELE`, `AT+FTPSIZE`, `AT+FTPQUIT`) is a job whose
/// parameters are the settings sent before it. A put's data is its
/// written chunks.
pub(crate) fn reconstruct(t: &Transcript) -> Reconstruction {
    let mut out = Reconstruction::default();
    let mut p = Params::default();
    // The record of the first command of the job being read.
    let mut first: Option<usize> = None;
    // Which settings group is open: bring-up (true) or configure (false).
    let mut group: Option<bool> = None;
    let mut put: Option<(usize, SimcomJob)> = None;
    // The session's resynchronising probe set its name: its query follows.
    let mut probing = false;
    let close_group = |out: &mut Reconstruction,
                       p: &mut Params,
                       group: &mut Option<bool>,
                       first: &mut Option<usize>| {
        let Some(bring_up) = group.take() else {
            return;
        };
        let record = first.take().unwrap_or(0);
        let spec = if bring_up {
            SimcomJob::BringUp {
                apn: p.apn.take().unwrap_or_default(),
                user: p.bearer_user.take(),
                password: p.bearer_password.take(),
            }
        } else {
            SimcomJob::Configure {
                server: p.server.clone().unwrap_or_default(),
                port: p.port.unwrap_or(21),
                mode: p.mode.unwrap_or(Mode::Passive),
                user: p.user.clone().unwrap_or_default(),
                password: p.password.clone().unwrap_or_default(),
            }
        };
        out.jobs.push(Reconstructed {
            spec: JobSpec::Simcom(spec),
            record,
        });
    };
    walk(t, |record, item| {
        let (c, line) = match item {
            Item::Host(Request::Command(c), line) => (c, line),
            Item::Host(Request::PutData(d), _) => {
                if let Some((_, SimcomJob::Put { data, .. })) = &mut put {
                    data.extend_from_slice(d);
                }
                return;
            }
            Item::Host(Request::Unknown(l), _) => {
                out.strays.push(stray(record, l, "not a command we know"));
                return;
            }
            Item::Host(Request::Overlong(l), _) => {
                let l = l.get(..40).unwrap_or(l);
                out.strays
                    .push(stray(record, l, "a line longer than any command"));
                return;
            }
            Item::Host(..) | Item::Modem(..) => return,
        };
        out.commands += 1;
        let line = line.trim_ascii();
        // The session's own resynchronising probe (SPEC-simcom.md §6 item
        // 32), which belongs to no job.
        match c {
            Command::FtpGetName(Setting::Set(n))
                if cellftp_session::is_resync_name(n.as_str().as_bytes()) =>
            {
                close_group(&mut out, &mut p, &mut group, &mut first);
                probing = true;
                return;
            }
            Command::FtpGetName(Setting::Query) if probing => {
                probing = false;
                return;
            }
            _ => probing = false,
        }
        let start = |first: &mut Option<usize>| {
            first.get_or_insert(record);
        };
        // Settings groups.
        let in_bring_up = match c {
            Command::At | Command::Echo(false) => Some(true),
            Command::Sapbr(Bearer::Set { .. } | Bearer::Query { .. } | Bearer::Open { .. }) => {
                Some(true)
            }
            Command::FtpCid(Setting::Set(_))
            | Command::FtpServ(Setting::Set(_))
            | Command::FtpPort(Setting::Set(_))
            | Command::FtpUn(Setting::Set(_))
            | Command::FtpPw(Setting::Set(_))
            | Command::FtpMode(Setting::Set(_)) => Some(false),
            _ => None,
        };
        if let Some(bring_up) = in_bring_up {
            // `AT` starts a new bring-up; a configure step after a
            // bring-up starts a configure.
            let restart = matches!(c, Command::At) || matches!(c, Command::FtpCid(_));
            if group != Some(bring_up) || restart {
                close_group(&mut out, &mut p, &mut group, &mut first);
                group = Some(bring_up);
            }
            start(&mut first);
            match c {
                Command::Sapbr(Bearer::Set { param, .. }) => match param {
                    BearerParam::Apn(a) => p.apn = Some(a.as_str().to_owned()),
                    BearerParam::User(u) => p.bearer_user = Some(u.as_str().to_owned()),
                    BearerParam::Password(pw) => {
                        p.bearer_password = Some(String::from_utf8_lossy(pw.expose()).into_owned());
                    }
                    _ => {}
                },
                Command::FtpServ(Setting::Set(s)) => p.server = Some(s.as_str().to_owned()),
                Command::FtpPort(Setting::Set(n)) => p.port = Some(n),
                Command::FtpUn(Setting::Set(u)) => p.user = Some(u.as_str().to_owned()),
                Command::FtpPw(Setting::Set(pw)) => {
                    p.password = Some(String::from_utf8_lossy(pw.expose()).into_owned());
                }
                Command::FtpMode(Setting::Set(m)) => p.mode = Some(m),
                _ => {}
            }
            return;
        }
        close_group(&mut out, &mut p, &mut group, &mut first);
        let dir = |d: &Option<String>| d.clone().unwrap_or_else(|| "/".to_owned());
        let job = match c {
            Command::FtpType(Setting::Set(_)) => {
                start(&mut first);
                None
            }
            Command::FtpRest(Setting::Set(n)) => {
                start(&mut first);
                p.rest = Some(n);
                None
            }
            Command::FtpGetPath(Setting::Set(d)) => {
                start(&mut first);
                p.get_path = Some(d.as_str().to_owned());
                None
            }
            Command::FtpGetName(Setting::Set(n)) => {
                start(&mut first);
                p.get_name = Some(n.as_str().to_owned());
                None
            }
            Command::FtpPutPath(Setting::Set(d)) => {
                start(&mut first);
                p.put_path = Some(d.as_str().to_owned());
                None
            }
            Command::FtpPutName(Setting::Set(n)) => {
                start(&mut first);
                p.put_name = Some(n.as_str().to_owned());
                None
            }
            Command::FtpPutOpt(Setting::Set(o)) => {
                start(&mut first);
                p.put_opt = Some(o);
                None
            }
            Command::FtpGet(Transfer::Open) => Some(SimcomJob::Get {
                dir: dir(&p.get_path),
                name: p.get_name.clone().unwrap_or_default(),
                offset: p.rest.take().unwrap_or(0),
            }),
            Command::FtpList(Transfer::Open) => Some(SimcomJob::List(dir(&p.get_path))),
            Command::FtpMkd(Action::Execute) => Some(SimcomJob::Mkdir(dir(&p.get_path))),
            Command::FtpRmd(Action::Execute) => Some(SimcomJob::Rmdir(dir(&p.get_path))),
            Command::FtpDele(Action::Execute) => Some(SimcomJob::Delete {
                dir: dir(&p.get_path),
                name: p.get_name.clone().unwrap_or_default(),
            }),
            Command::FtpSize(Action::Execute) => Some(SimcomJob::Size {
                dir: dir(&p.get_path),
                name: p.get_name.clone().unwrap_or_default(),
            }),
            Command::FtpQuit(Action::Execute) => Some(SimcomJob::Quit),
            Command::FtpPut(Upload::Open) => {
                let record = first.take().unwrap_or(record);
                put = Some((
                    record,
                    SimcomJob::Put {
                        dir: dir(&p.put_path),
                        name: p.put_name.clone().unwrap_or_default(),
                        opt: p.put_opt.unwrap_or(PutOpt::Stor),
                        data: Vec::new(),
                    },
                ));
                return;
            }
            Command::FtpPut(Upload::End) => {
                if let Some((record, spec)) = put.take() {
                    out.jobs.push(Reconstructed {
                        spec: JobSpec::Simcom(spec),
                        record,
                    });
                }
                return;
            }
            Command::FtpGet(Transfer::Read(_))
            | Command::FtpList(Transfer::Read(_))
            | Command::FtpPut(Upload::Write(_)) => return,
            _ => {
                out.strays.push(stray(
                    record,
                    line,
                    "a command no job sends (a query, a test form or another setting)",
                ));
                return;
            }
        };
        if let Some(job) = job {
            if let Some((r, spec)) = put.take() {
                // An upload the log never ended.
                out.jobs.push(Reconstructed {
                    spec: JobSpec::Simcom(spec),
                    record: r,
                });
            }
            let record = first.take().unwrap_or(record);
            out.jobs.push(Reconstructed {
                spec: JobSpec::Simcom(job),
                record,
            });
        }
    });
    close_group(&mut out, &mut p, &mut group, &mut first);
    if let Some((record, spec)) = put.take() {
        out.jobs.push(Reconstructed {
            spec: JobSpec::Simcom(spec),
            record,
        });
    }
    out.jobs.sort_by_key(|j| j.record);
    out
}

fn stray(record: usize, line: &[u8], why: &'static str) -> Stray {
    Stray {
        record,
        line: escape(&redact_passwords(line)),
        why,
    }
}

/// True when the host's commands are the SIMCom dialect's: an
/// `AT+SAPBR`, an operation started with `=1` (`AT+FTPGET=1`,
/// `AT+FTPPUT=1`, `AT+FTPLIST=1`), or a quoted `AT+FTPSERV`,
/// `AT+FTPGETNAME` or `AT+FTPPUTNAME`, before any command only the first
/// dialect has.
pub(crate) fn detect(t: &Transcript) -> bool {
    let mut manual = cellftp_proto::CommandDecoder::new();
    let mut buf = crate::feed::Feed::default();
    for r in &t.records {
        let Record::Sent(chunk) = r else { continue };
        buf.push(chunk);
        loop {
            let (consumed, verdict) = match manual.decode(buf.pending()) {
                Decoded::Item { consumed, .. } => {
                    let line = buf
                        .pending()
                        .get(..consumed)
                        .unwrap_or_default()
                        .trim_ascii();
                    (consumed, line_verdict(line))
                }
                Decoded::NeedMore { consumed } => {
                    buf.consume(consumed);
                    break;
                }
            };
            buf.consume(consumed);
            if let Some(v) = verdict {
                return v;
            }
        }
    }
    false
}

/// What one host line says of the dialect: `Some(true)` SIMCom,
/// `Some(false)` the first dialect, `None` either.
fn line_verdict(line: &[u8]) -> Option<bool> {
    let upper = line.to_ascii_uppercase();
    let starts = |p: &[u8]| upper.starts_with(p);
    if starts(b"AT+SAPBR")
        || starts(b"AT+FTPGET=1")
        || starts(b"AT+FTPPUT=1")
        || starts(b"AT+FTPLIST=1")
        || starts(b"AT+FTPGET=2,")
        || starts(b"AT+FTPSERV=\"")
        || starts(b"AT+FTPGETNAME=\"")
        || starts(b"AT+FTPPUTNAME=\"")
        || starts(b"AT+FTPGETPATH")
        || starts(b"AT+FTPPUTPATH")
        || starts(b"AT+FTPCID")
    {
        return Some(true);
    }
    if starts(b"AT+FTPSCON")
        || starts(b"AT+FTPRESET")
        || starts(b"AT+FTPPATH")
        || starts(b"AT+FTPPUT=")
        || starts(b"AT+FTPGET\r")
        || upper == b"AT+FTPGET"
        || upper == b"AT+FTPLIST"
        || starts(b"AT+FTPSERV=")
        || starts(b"AT+FTPGETNAME=")
        || starts(b"AT+FTPPUTNAME=")
        || starts(b"AT+CGACT")
    {
        return Some(false);
    }
    None
}

/// A job's outcome as a phrase.
pub(crate) fn outcome_text(o: &Outcome) -> String {
    use crate::check::counted;
    match o {
        Outcome::BroughtUp => "brought up, bearer open".to_owned(),
        Outcome::Configured => "configured".to_owned(),
        Outcome::Uploaded { bytes } => format!("uploaded {}", counted(*bytes, "byte", "bytes")),
        Outcome::Downloaded { offset, bytes } => format!(
            "downloaded {} from offset {offset}",
            counted(*bytes, "byte", "bytes")
        ),
        Outcome::Listed { entries, lines } => format!(
            "listed {} ({})",
            counted(*entries, "entry", "entries"),
            counted(*lines, "line", "lines")
        ),
        Outcome::DirectoryCreated => "directory created".to_owned(),
        Outcome::DirectoryRemoved => "directory removed".to_owned(),
        Outcome::Deleted => "file deleted".to_owned(),
        Outcome::Size { bytes } => format!("size {}", counted(*bytes, "byte", "bytes")),
        Outcome::Quit => "no operation running".to_owned(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The session's resynchronising probe (a numbered download name and
    /// its query) belongs to no job and is no stray.
    #[test]
    fn the_resynchronising_probe_is_no_job() {
        let t = Transcript::parse(concat!(
            "! dialect simcom\n",
            "> AT+FTPGETPATH=\"/a/\"\\r\n< \\r\\nOK\\r\\n\n",
            "> AT+FTPMKD\\r\n< \\r\\nOK\\r\\n\\r\\n+FTPMKD: 1,0\\r\\n\n",
            "> AT+FTPGETNAME=\"cellftp-sync-3\"\\r\n< \\r\\nOK\\r\\n\n",
            "> AT+FTPGETNAME?\\r\n< \\r\\n+FTPGETNAME: \"cellftp-sync-3\"\\r\\n\\r\\nOK\\r\\n\n",
        ))
        .unwrap_or_default();
        let r = reconstruct(&t);
        let specs: Vec<JobSpec> = r.jobs.into_iter().map(|j| j.spec).collect();
        assert_eq!(specs, [JobSpec::Simcom(SimcomJob::Mkdir("/a/".into()))]);
        assert!(r.strays.is_empty(), "{:?}", r.strays);
        assert_eq!(r.commands, 4);
    }
}
