//! The manual's example session (its "FTP实例") on a Cortex-M4: every job
//! runs through `cellftp_session::Session` and its `embedded-io-async`
//! driver against a modem scripted in memory, each outcome is printed over
//! semihosting and checked, and the program exits QEMU with success only if
//! every command, answer and outcome matched. At the end it prints the peak
//! stack (from the painted stack) and `size_of::<Session>()` on this target.
//!
//! It prints without `core::fmt` ([`Out`]): an outcome as its `Debug` form
//! reads, an error by its kind and command.
//!
//! `cargo xtask firmware` builds it, runs it under `qemu-system-arm` and
//! reports the sizes of its sections.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

mod modem;

use cellftp_firmware::out::Out;
use cellftp_firmware::stack;
use cellftp_proto::listing::EntryKind;
use cellftp_proto::{Mode, TransferType};
use cellftp_session::driver::embedded::{run, DriverError};
use cellftp_session::driver::Handler;
use cellftp_session::{BringUp, Event, FtpConfig, JobError, JobId, Outcome, Session, UsageError};
use cortex_m_rt::entry;
use cortex_m_semihosting::debug;
use embassy_futures::block_on;

use crate::modem::{Modem, ScriptError, Step, VirtualClock};

/// The upload staging buffer the driver fills from [`Handler::fill`].
const CHUNK: usize = 64;
/// The buffer of one UART read.
const READ: usize = 64;
/// The most the scripted UART hands over in one read.
const PIECE: usize = 16;

const OK: &[u8] = b"\r\nOK\r\n";

/// The manual's bring-up: no probe, echo left as it is.
const MANUAL_BRING_UP: BringUp = BringUp {
    probe: false,
    echo_off: false,
    full_functionality: true,
    pdp_context: Some(1),
};

/// The manual's FTP connection.
const MANUAL_FTP: FtpConfig<'static> = FtpConfig {
    server: "47.104.157.10",
    port: Some(15881),
    mode: Mode::Passive,
    transfer_type: TransferType::Binary,
    user: "xs",
    password: "123",
    path: None,
};

/// The file the put job uploads, and the get job downloads from offset 2.
const FILE: &[u8] = b"12345";
const OFFSET: u32 = 2;

/// What the host sends and the modem answers, in order: the manual's
/// example, then a directory made and removed and the configuration
/// queried before the quit.
static SCRIPT: [Step; 20] = [
    step(b"AT+CFUN=1\r", OK),
    step(b"AT+CGACT=1,1\r", OK),
    step(b"AT+FTPPORT=15881\r", OK),
    step(b"AT+FTPMODE=1\r", OK),
    step(b"AT+FTPSERV=47.104.157.10\r", b"\r\n+FTPSERV:0\r\n\r\nOK\r\n"),
    step(b"AT+FTPUN=xs\r", OK),
    step(b"AT+FTPPW=123\r", OK),
    step(b"AT+FTPTYPE=I\r", OK),
    step(b"AT+FTPPUTNAME=12.txt\r", OK),
    step(b"AT+FTPPUT=5,12345\r", OK),
    step(b"AT+FTPPUT=0\r", OK),
    step(b"AT+FTPGETNAME=12.txt\r", OK),
    step(b"AT+FTPRESET=2\r", OK),
    step(b"AT+FTPGET\r", b"\r\n+FTPGET:3,345\r\n\r\nOK\r\n"),
    step(
        b"AT+FTPLIST\r",
        b"\r\n+FTPLIST:1,48\r\n-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\nOK\r\n",
    ),
    step(b"AT+FTPMKD=/invoker\r", OK),
    step(b"AT+FTPRMD=/invoker\r", OK),
    step(
        b"AT+FTPSCON\r",
        "\r\n+FTPSCON \u{ff1a}\r\nserver: 47.104.157.10\r\n+FTPMODE: 1\r\n+FTPPW: 123\r\nuser: xs\r\n\r\nOK\r\n"
            .as_bytes(),
    ),
    step(b"AT+FTPQUIT\r", OK),
    // After the quit, the query still runs: it does not use the connection.
    step(b"AT+FTPSCON\r", OK),
];

const fn step(command: &'static [u8], reply: &'static [u8]) -> Step {
    Step { command, reply }
}

/// A job the host queues.
#[derive(Clone, Copy)]
enum Verb {
    BringUp,
    Configure,
    Put,
    Get,
    List,
    Mkdir,
    Rmdir,
    QueryConfig,
    Quit,
}

/// The jobs, in order, with the outcome each must end in.
static JOBS: [(Verb, &str, Outcome); 10] = [
    (Verb::BringUp, "bring-up", Outcome::BroughtUp),
    (Verb::Configure, "configure", Outcome::Configured),
    (Verb::Put, "put 12.txt", Outcome::Uploaded { bytes: 5 }),
    (
        Verb::Get,
        "get 12.txt offset=2",
        Outcome::Downloaded {
            offset: OFFSET,
            bytes: 3,
        },
    ),
    (
        Verb::List,
        "list",
        Outcome::Listed {
            entries: 1,
            lines: 1,
        },
    ),
    (Verb::Mkdir, "mkdir /invoker", Outcome::DirectoryCreated),
    (Verb::Rmdir, "rmdir /invoker", Outcome::DirectoryRemoved),
    (
        Verb::QueryConfig,
        "query-config",
        Outcome::ConfigReported { items: 5 },
    ),
    (Verb::Quit, "quit", Outcome::Quit),
    (
        Verb::QueryConfig,
        "query-config",
        Outcome::ConfigReported { items: 0 },
    ),
];

/// Queues a job (not inlined: the job's parameters, copied into the session,
/// need no room in the frame that holds the session).
#[inline(never)]
fn queue(session: &mut Session, verb: Verb) -> Result<JobId, UsageError> {
    match verb {
        Verb::BringUp => session.bring_up(MANUAL_BRING_UP),
        Verb::Configure => session.configure(&MANUAL_FTP),
        Verb::Put => session.put("12.txt"),
        Verb::Get => session.get("12.txt", OFFSET),
        Verb::List => session.list(None),
        Verb::Mkdir => session.mkdir("/invoker"),
        Verb::Rmdir => session.rmdir("/invoker"),
        Verb::QueryConfig => session.query_config(),
        Verb::Quit => session.quit(),
    }
}

/// What the host does with the session's events: feeds the upload, keeps
/// the download, checks the listing and counts the rest.
#[derive(Default)]
struct Host {
    uploaded: usize,
    downloaded: [u8; 8],
    downloaded_len: usize,
    /// Downloaded bytes out of place, or beyond `downloaded`.
    download_errors: u32,
    /// Listing lines that parsed as the manual's `12.txt`, 5 bytes.
    listed_12_txt: u32,
    config_items: u32,
    unsolicited: u32,
    done: Option<(JobId, Result<Outcome, JobError>)>,
}

impl Handler for Host {
    fn event(&mut self, event: &Event<'_>) {
        match *event {
            Event::Data { offset, data, .. } => {
                let at = u64::from(OFFSET) + self.downloaded_len as u64;
                let end = self.downloaded_len + data.len();
                match self.downloaded.get_mut(self.downloaded_len..end) {
                    Some(room) if offset == at => {
                        room.copy_from_slice(data);
                        self.downloaded_len = end;
                    }
                    _ => self.download_errors += 1,
                }
            }
            Event::ListLine {
                entry: Ok(entry), ..
            } => {
                if entry.kind == EntryKind::File && entry.name == b"12.txt" && entry.size == Some(5)
                {
                    self.listed_12_txt += 1;
                }
            }
            Event::Config { .. } => self.config_items += 1,
            Event::JobDone { job, result } => self.done = Some((job, result)),
            Event::Unsolicited(_) => self.unsolicited += 1,
            _ => {}
        }
    }

    fn fill(&mut self, _job: JobId, buf: &mut [u8]) -> usize {
        let rest = FILE.get(self.uploaded..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        buf.get_mut(..n)
            .unwrap_or_default()
            .copy_from_slice(rest.get(..n).unwrap_or_default());
        self.uploaded += n;
        n
    }
}

#[entry]
fn main() -> ! {
    let mut session = new_session();
    let building = stack::peak();
    stack::repaint();
    let mut out = Out::open();
    let passed = drive(&mut session, &mut out);
    let running = stack::peak();
    out.str("stack: peak ")
        .num(building.max(running) as u64)
        .str(" of ")
        .num(stack::size() as u64)
        .str(" bytes (building the session ")
        .num(building as u64)
        .str(", running the jobs ")
        .num(running as u64)
        .line(")");
    out.str("size_of::<Session>(): ")
        .num(core::mem::size_of::<Session>() as u64)
        .line("");
    if passed {
        out.line("firmware: PASS");
        debug::exit(debug::EXIT_SUCCESS);
    } else {
        out.line("firmware: FAIL");
        debug::exit(debug::EXIT_FAILURE);
    }
    loop {}
}

/// The session, built in its own frame: the constructor's temporaries are
/// gone before the jobs run.
#[inline(never)]
fn new_session() -> Session {
    Session::default()
}

/// Runs every job on `session`, printing to `out`; true if everything
/// matched.
#[inline(never)]
fn drive(session: &mut Session, out: &mut Out) -> bool {
    let mut modem = Modem::new(&SCRIPT, PIECE);
    let clock = VirtualClock::default();
    let mut host = Host::default();
    let mut chunk = [0u8; CHUNK];
    let mut read_buf = [0u8; READ];
    let mut passed = true;

    for &(verb, name, expected) in &JOBS {
        host.done = None;
        let id = match queue(session, verb) {
            Ok(id) => id,
            Err(e) => {
                out.str(name).str(": refused: ");
                usage_error(out, &e);
                out.line("");
                return false;
            }
        };
        let ran = block_on(run(
            &mut modem,
            &clock,
            session,
            &mut host,
            &mut chunk,
            &mut read_buf,
        ));
        if let Err(e) = ran {
            out.str(name);
            match e {
                DriverError::Io(Some(ScriptError::Mismatch { step, at })) => out
                    .str(": the modem's script was not followed: step ")
                    .num(step as u64)
                    .str(", byte ")
                    .num(at as u64)
                    .line(" differs"),
                DriverError::Io(Some(ScriptError::PastTheEnd)) => {
                    out.line(": the modem's script was not followed: a command after the last step")
                }
                DriverError::Io(None) => out.line(": the modem hung up"),
                DriverError::Usage(e) => {
                    out.str(": ");
                    usage_error(out, &e);
                    out.line("");
                }
                _ => out.line(": the driver stopped"),
            }
            return false;
        }
        match host.done {
            Some((job, Ok(outcome))) if job == id && outcome == expected => {
                job_line(out, job, name);
                print_outcome(out, &outcome);
                out.line("");
            }
            Some((job, result)) => {
                job_line(out, job, name);
                match result {
                    Ok(outcome) => print_outcome(out, &outcome),
                    Err(e) => job_error(out, &e),
                }
                out.str(", expected ");
                print_outcome(out, &expected);
                out.line("");
                passed = false;
            }
            None => {
                job_line(out, id, name);
                out.line("never ended");
                passed = false;
            }
        }
    }

    let checks = [
        (host.uploaded == FILE.len(), "the whole file was uploaded"),
        (
            host.downloaded.get(..host.downloaded_len) == FILE.get(OFFSET as usize..)
                && host.download_errors == 0,
            "the download is the file from offset 2",
        ),
        (host.listed_12_txt == 1, "the listing shows 12.txt, 5 bytes"),
        (host.config_items == 5, "the configuration has 5 items"),
        (host.unsolicited == 0, "nothing unsolicited"),
        (modem.finished(), "every scripted exchange happened"),
    ];
    for (ok, what) in checks {
        if !ok {
            out.str("check failed: ")
                .str(what)
                .str(" (step ")
                .num(modem.steps_played() as u64)
                .line(")");
            passed = false;
        }
    }
    passed
}

/// Writes `job <number> <name>: `.
fn job_line(out: &mut Out, job: JobId, name: &str) {
    out.str("job ")
        .num(job.get().into())
        .str(" ")
        .str(name)
        .str(": ");
}

/// Writes `Ok(<outcome>)`, the outcome as its `Debug` form reads.
fn print_outcome(out: &mut Out, outcome: &Outcome) {
    out.str("Ok(");
    match *outcome {
        Outcome::BroughtUp => out.str("BroughtUp"),
        Outcome::Configured => out.str("Configured"),
        Outcome::Uploaded { bytes } => out.str("Uploaded { bytes: ").num(bytes).str(" }"),
        Outcome::Downloaded { offset, bytes } => out
            .str("Downloaded { offset: ")
            .num(offset.into())
            .str(", bytes: ")
            .num(bytes)
            .str(" }"),
        Outcome::Listed { entries, lines } => out
            .str("Listed { entries: ")
            .num(entries.into())
            .str(", lines: ")
            .num(lines.into())
            .str(" }"),
        Outcome::DirectoryCreated => out.str("DirectoryCreated"),
        Outcome::DirectoryRemoved => out.str("DirectoryRemoved"),
        Outcome::ConfigReported { items } => out
            .str("ConfigReported { items: ")
            .num(items.into())
            .str(" }"),
        Outcome::Quit => out.str("Quit"),
        Outcome::RawDone { lines } => out.str("RawDone { lines: ").num(lines.into()).str(" }"),
        _ => out.str("an outcome this program does not know"),
    };
    out.str(")");
}

/// Writes `Err(<what went wrong>)`: the error's kind and command.
fn job_error(out: &mut Out, error: &JobError) {
    out.str("Err(");
    match *error {
        JobError::Modem { command, .. } => out.str("the modem refused AT").str(command.as_str()),
        JobError::Protocol { command, .. } => {
            out.str("a protocol error during AT").str(command.as_str())
        }
        JobError::Timeout { command } => out.str("AT").str(command.as_str()).str(" timed out"),
        JobError::NotConfigured => out.str("not configured"),
        JobError::NoAnswer => out.str("the modem does not answer"),
        JobError::Cancelled => out.str("cancelled"),
        _ => out.str("an error this program does not know"),
    };
    out.str(")");
}

/// Writes what a refused verb was told, by its kind.
fn usage_error(out: &mut Out, error: &UsageError) {
    out.str(match error {
        UsageError::Invalid(_) => "an invalid parameter",
        UsageError::QueueFull => "the job queue is full",
        _ => "a verb used out of turn",
    });
}
