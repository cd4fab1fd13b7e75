//! A [`Session`] run against a scripted modem, in lock-step and without
//! I/O, following the session's drive order: after each input or verb,
//! drain [`Session::poll_event`], then [`Session::poll_transmit`], then
//! consult [`Session::poll_timeout`].
//!
//! The modem is `cellftp_session::testing`'s [`ScriptedModem`], answering
//! every command at once with bytes chosen by the command's name
//! ([`Modem::answer`], made a modem by [`Modem::scripted`]); the host reads
//! its replies in place. The clock only moves to let the session's guard
//! time pass. Building the modem allocates; running allocates nothing.

use cellftp_proto::Response;
use cellftp_session::testing::ScriptedModem;
use cellftp_session::{
    BringUp, Event, FtpConfig, Instant, JobError, JobId, Outcome, Session, UsageError,
};

use crate::Rng;

/// One job of a script.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// [`Session::bring_up`].
    BringUp(BringUp),
    /// [`Session::configure`].
    Configure(FtpConfig<'a>),
    /// [`Session::put`], then `data` through [`Session::send_data`] and
    /// [`Session::finish_put`].
    Put {
        /// The file name.
        name: &'a str,
        /// The file's content.
        data: &'a [u8],
    },
    /// [`Session::get`].
    Get {
        /// The file name.
        name: &'a str,
        /// The resume offset.
        offset: u32,
    },
    /// [`Session::list`].
    List(Option<&'a str>),
    /// [`Session::quit`].
    Quit,
}

/// What the host side sees; every method defaults to doing nothing.
pub trait Observer {
    /// A command line the session sent.
    fn sent(&mut self, _line: &[u8]) {}
    /// Downloaded bytes.
    fn data(&mut self, _job: JobId, _offset: u64, _data: &[u8]) {}
    /// A listing line, and whether it parsed as an entry.
    fn list_line(&mut self, _job: JobId, _line: &[u8], _parsed: bool) {}
    /// A job's end.
    fn done(&mut self, _job: JobId, _result: Result<Outcome, JobError>) {}
    /// A response that belongs to no command.
    fn unsolicited(&mut self, _item: &Response<'_>) {}
}

impl Observer for () {}

/// An [`Observer`] that only counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    /// Downloaded bytes.
    pub data: u64,
    /// Listing lines.
    pub list_lines: u64,
    /// Jobs that succeeded.
    pub succeeded: u64,
    /// Jobs that failed.
    pub failed: u64,
    /// Responses that belonged to no command.
    pub unsolicited: u64,
}

impl Observer for Totals {
    fn data(&mut self, _job: JobId, _offset: u64, data: &[u8]) {
        self.data += data.len() as u64;
    }

    fn list_line(&mut self, _job: JobId, _line: &[u8], _parsed: bool) {
        self.list_lines += 1;
    }

    fn done(&mut self, _job: JobId, result: Result<Outcome, JobError>) {
        match result {
            Ok(_) => self.succeeded += 1,
            Err(_) => self.failed += 1,
        }
    }

    fn unsolicited(&mut self, _item: &Response<'_>) {
        self.unsolicited += 1;
    }
}

/// The modem's side: what it answers to each command.
#[derive(Debug, Clone, Copy)]
pub struct Modem<'a> {
    /// The answer to `AT+FTPSERV=…`.
    pub serv: &'a [u8],
    /// The answer to `AT+FTPGET`.
    pub get: &'a [u8],
    /// The answer to `AT+FTPLIST`.
    pub list: &'a [u8],
    /// The answer to everything else.
    pub ok: &'a [u8],
}

impl Modem<'static> {
    /// The answers of the manual's example session.
    pub const MANUAL: Modem<'static> = Modem {
        serv: b"\r\n+FTPSERV:0\r\n\r\nOK\r\n",
        get: b"\r\n+FTPGET:3,345\r\n\r\nOK\r\n",
        list: b"\r\n+FTPLIST:1,48\r\n-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\nOK\r\n",
        ok: b"\r\nOK\r\n",
    };
}

impl<'a> Modem<'a> {
    /// The answer to the command line `line`.
    pub fn answer(&self, line: &[u8]) -> &'a [u8] {
        if line.starts_with(b"AT+FTPSERV=") {
            self.serv
        } else if line == b"AT+FTPGET\r" {
            self.get
        } else if line == b"AT+FTPLIST\r" {
            self.list
        } else {
            self.ok
        }
    }

    /// A [`ScriptedModem`] that answers with [`Modem::answer`], keeps no
    /// lines and has room for the longest answer: it allocates here, and
    /// not while a run reads its answers at once.
    pub fn scripted(&self) -> ScriptedModem {
        let owned = OwnedModem {
            serv: self.serv.to_vec(),
            get: self.get.to_vec(),
            list: self.list.to_vec(),
            ok: self.ok.to_vec(),
        };
        let longest = [self.serv, self.get, self.list, self.ok]
            .iter()
            .map(|a| a.len())
            .max()
            .unwrap_or(0);
        let mut modem = ScriptedModem::new();
        modem
            .keep_received(false)
            .reserve(longest)
            .respond_with(move |line, reply| reply.push(owned.modem().answer(line)));
        modem
    }
}

/// A [`Modem`]'s answers, owned by the responder.
struct OwnedModem {
    serv: Vec<u8>,
    get: Vec<u8>,
    list: Vec<u8>,
    ok: Vec<u8>,
}

impl OwnedModem {
    fn modem(&self) -> Modem<'_> {
        Modem {
            serv: &self.serv,
            get: &self.get,
            list: &self.list,
            ok: &self.ok,
        }
    }
}

/// What crossed the serial line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Traffic {
    /// Bytes the session sent.
    pub to_modem: u64,
    /// Bytes the modem sent.
    pub from_modem: u64,
    /// Command lines sent.
    pub commands: u64,
    /// Jobs that ended.
    pub jobs: u64,
}

impl Traffic {
    /// Bytes in both directions.
    pub fn total(&self) -> u64 {
        self.to_modem + self.from_modem
    }
}

/// Why a run stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimError {
    /// A verb refused its arguments.
    Usage(UsageError),
    /// The session asked for data for a job that is not a put.
    NotAPut(JobId),
    /// Nothing left to do, yet jobs are still open.
    Stuck {
        /// Jobs ended so far.
        done: u64,
    },
}

impl From<UsageError> for SimError {
    fn from(e: UsageError) -> Self {
        SimError::Usage(e)
    }
}

/// How many script jobs are queued ahead of the ones that ended.
const IN_FLIGHT: usize = 4;

/// Runs `script` on `session` against `modem` (see [`Modem::scripted`]),
/// handing the modem's answers to the session in reads of at most `read`
/// bytes.
pub fn run<O: Observer>(
    session: &mut Session,
    script: &[Step<'_>],
    modem: &mut ScriptedModem,
    read: usize,
    observer: &mut O,
) -> Result<Traffic, SimError> {
    let mut runner = Runner {
        script,
        observer,
        traffic: Traffic::default(),
        base: None,
        put_job: None,
        put_sent: 0,
    };
    runner.run(session, modem, read.max(1))
}

struct Runner<'s, 'a, O> {
    script: &'s [Step<'a>],
    observer: &'s mut O,
    traffic: Traffic,
    /// The id of the script's first job.
    base: Option<u32>,
    put_job: Option<JobId>,
    put_sent: usize,
}

impl<O: Observer> Runner<'_, '_, O> {
    fn run(
        &mut self,
        session: &mut Session,
        modem: &mut ScriptedModem,
        read: usize,
    ) -> Result<Traffic, SimError> {
        let mut now = Instant::from_millis(0);
        let mut next = 0usize;
        let mut idle_rounds = 0u32;
        loop {
            while next < self.script.len() && next < self.traffic.jobs as usize + IN_FLIGHT {
                let Some(step) = self.script.get(next) else {
                    break;
                };
                let id = enqueue(session, step)?;
                self.base.get_or_insert(id.get());
                next += 1;
            }
            self.drain(session)?;
            if let Some(line) = session.poll_transmit(now) {
                self.traffic.to_modem += line.len() as u64;
                self.traffic.commands += 1;
                self.observer.sent(line);
                modem.write(now, line);
                let answer = modem.due(now);
                self.feed(session, now, answer, read)?;
                let n = answer.len();
                modem.consume(n);
                idle_rounds = 0;
                continue;
            }
            if next == self.script.len() && self.traffic.jobs as usize == next {
                return Ok(self.traffic);
            }
            match session.poll_timeout() {
                Some(t) if t > now => now = t,
                _ if idle_rounds < 2 => {}
                _ => {
                    return Err(SimError::Stuck {
                        done: self.traffic.jobs,
                    })
                }
            }
            idle_rounds += 1;
            session.handle_timeout(now);
        }
    }

    /// Hands `answer` to the session in reads of `read` bytes.
    fn feed(
        &mut self,
        session: &mut Session,
        now: Instant,
        answer: &[u8],
        read: usize,
    ) -> Result<(), SimError> {
        self.traffic.from_modem += answer.len() as u64;
        for chunk in answer.chunks(read) {
            let mut rest = chunk;
            let mut refused = false;
            while !rest.is_empty() {
                let n = session.handle_input(now, rest);
                rest = rest.get(n..).unwrap_or_default();
                // A full receive buffer empties as events are polled; twice
                // in a row means it does not.
                if n == 0 && refused {
                    return Err(SimError::Stuck {
                        done: self.traffic.jobs,
                    });
                }
                refused = n == 0;
                self.drain(session)?;
            }
        }
        Ok(())
    }

    /// Polls events until there are none, answering put jobs.
    fn drain(&mut self, session: &mut Session) -> Result<(), SimError> {
        loop {
            let Some(event) = session.poll_event() else {
                return Ok(());
            };
            let wants_data = match event {
                Event::PutReady { job, .. } => Some(job),
                Event::Data { job, offset, data } => {
                    self.observer.data(job, offset, data);
                    None
                }
                Event::ListLine { job, line, entry } => {
                    self.observer.list_line(job, line, entry.is_ok());
                    None
                }
                Event::JobDone { job, result } => {
                    self.traffic.jobs += 1;
                    self.observer.done(job, result);
                    None
                }
                Event::Unsolicited(item) => {
                    self.observer.unsolicited(&item);
                    None
                }
                _ => None,
            };
            if let Some(job) = wants_data {
                self.supply(session, job)?;
            }
        }
    }

    /// Gives the put job `job` its next chunk, or ends it.
    fn supply(&mut self, session: &mut Session, job: JobId) -> Result<(), SimError> {
        let index = job.get().wrapping_sub(self.base.unwrap_or(0)) as usize;
        let Some(Step::Put { data, .. }) = self.script.get(index) else {
            return Err(SimError::NotAPut(job));
        };
        if self.put_job != Some(job) {
            self.put_job = Some(job);
            self.put_sent = 0;
        }
        match data.get(self.put_sent..) {
            Some(rest) if !rest.is_empty() => {
                self.put_sent += session.send_data(rest)?;
            }
            _ => session.finish_put()?,
        }
        Ok(())
    }
}

fn enqueue(session: &mut Session, step: &Step<'_>) -> Result<JobId, UsageError> {
    match *step {
        Step::BringUp(b) => session.bring_up(b),
        Step::Configure(ref c) => session.configure(c),
        Step::Put { name, .. } => session.put(name),
        Step::Get { name, offset } => session.get(name, offset),
        Step::List(path) => session.list(path),
        Step::Quit => session.quit(),
    }
}

/// The bring-up of the manual's example session.
pub const MANUAL_BRING_UP: BringUp = BringUp {
    probe: false,
    echo_off: false,
    full_functionality: true,
    pdp_context: Some(1),
};

/// The FTP connection of the manual's example session.
pub const MANUAL_FTP: FtpConfig<'static> = FtpConfig {
    server: "47.104.157.10",
    port: Some(15881),
    mode: cellftp_proto::Mode::Passive,
    transfer_type: cellftp_proto::TransferType::Binary,
    user: "xs",
    password: "123",
    path: None,
};

/// The manual's example session: bring-up, configure, put `12345` to
/// `12.txt`, get it from offset 2, list, quit.
pub const MANUAL_SCRIPT: [Step<'static>; 6] = [
    Step::BringUp(MANUAL_BRING_UP),
    Step::Configure(MANUAL_FTP),
    Step::Put {
        name: "12.txt",
        data: b"12345",
    },
    Step::Get {
        name: "12.txt",
        offset: 2,
    },
    Step::List(None),
    Step::Quit,
];

/// The modem answers and file contents of a long job mix: 16 KiB downloads
/// in 1 KiB chunks, 20-line listings, 8 KiB uploads.
#[derive(Debug, Clone)]
pub struct Mix {
    /// The answer to `AT+FTPGET`.
    pub get: Vec<u8>,
    /// The answer to `AT+FTPLIST`.
    pub list: Vec<u8>,
    /// The file each put job uploads.
    pub put: Vec<u8>,
}

impl Mix {
    /// `+FTPGET` chunks per download.
    pub const CHUNKS: usize = 16;
    /// Bytes per `+FTPGET` chunk.
    pub const CHUNK: usize = 1024;
    /// Bytes per download.
    pub const DOWNLOAD: usize = Self::CHUNKS * Self::CHUNK;
    /// Lines per listing.
    pub const LIST_LINES: usize = 20;
    /// Bytes per upload.
    pub const UPLOAD: usize = 8 << 10;

    /// The fixture, always the same bytes.
    pub fn new() -> Self {
        let mut rng = Rng::new(0x5E55_1011_0000_0001);
        let mut get = Vec::new();
        for _ in 0..Self::CHUNKS {
            get.extend_from_slice(format!("\r\n+FTPGET:{},", Self::CHUNK).as_bytes());
            rng.fill(&mut get, Self::CHUNK);
            get.extend_from_slice(b"\r\n");
        }
        get.extend_from_slice(b"\r\nOK\r\n");
        let lines: Vec<String> = (0..Self::LIST_LINES)
            .map(|i| {
                let size = rng.range(0, 1 << 24);
                let day = rng.range(1, 28);
                format!("-rw-rw-r--  1 xisen xisen {size:>9} Sep {day:>2} 01:52 file{i:02}.bin")
            })
            .collect();
        let listing = lines.join("\r\n");
        let mut list = format!("\r\n+FTPLIST:1,{}\r\n", listing.len()).into_bytes();
        list.extend_from_slice(listing.as_bytes());
        list.extend_from_slice(b"\r\nOK\r\n");
        let mut put = Vec::new();
        rng.fill(&mut put, Self::UPLOAD);
        Self { get, list, put }
    }

    /// The modem that answers with this fixture.
    pub fn modem(&self) -> Modem<'_> {
        Modem {
            get: &self.get,
            list: &self.list,
            ..Modem::MANUAL
        }
    }

    /// Bring-up, configure, `rounds` times put + get + list, quit.
    pub fn script(&self, rounds: usize) -> Vec<Step<'_>> {
        let mut script = vec![Step::BringUp(MANUAL_BRING_UP), Step::Configure(MANUAL_FTP)];
        for _ in 0..rounds {
            script.push(Step::Put {
                name: "up.bin",
                data: &self.put,
            });
            script.push(Step::Get {
                name: "down.bin",
                offset: 0,
            });
            script.push(Step::List(None));
        }
        script.push(Step::Quit);
        script
    }
}

impl Default for Mix {
    fn default() -> Self {
        Self::new()
    }
}
