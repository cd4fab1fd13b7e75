//! An in-memory fake modem for the driver tests: it reads command lines with
//! the real command decoder and answers like the manual's modem, keeping one
//! uploaded file in memory.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use cellftp_proto::{Action, Command, CommandDecoder, Decoded, Put, Request, Setting};
use cellftp_session::driver::Handler;
use cellftp_session::{Event, JobId};

/// The modem's side: bytes in (commands), bytes out (responses).
#[derive(Default)]
pub struct FakeModem {
    decoder: CommandDecoder,
    inbox: Vec<u8>,
    pub outbox: Vec<u8>,
    pub commands: Vec<String>,
    pub file: Vec<u8>,
    upload: Vec<u8>,
    offset: u32,
}

impl FakeModem {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes bytes written by the host and queues the answers.
    pub fn receive(&mut self, bytes: &[u8]) {
        self.inbox.extend_from_slice(bytes);
        loop {
            let (reply, consumed) = match self.decoder.decode(&self.inbox) {
                Decoded::NeedMore { consumed } => {
                    self.inbox.drain(..consumed);
                    return;
                }
                Decoded::Item { item, consumed } => {
                    self.commands.push(format!("{item:?}"));
                    (self.answer(item_owned(&item)), consumed)
                }
            };
            self.inbox.drain(..consumed);
            self.outbox.extend_from_slice(&reply);
        }
    }

    fn answer(&mut self, item: Owned) -> Vec<u8> {
        let ok = b"\r\nOK\r\n".to_vec();
        match item {
            Owned::Serv => b"\r\n+FTPSERV:0\r\n\r\nOK\r\n".to_vec(),
            Owned::Reset(n) => {
                self.offset = n;
                ok
            }
            Owned::PutData(d) => {
                self.upload.extend_from_slice(&d);
                ok
            }
            Owned::PutEnd => {
                self.file = std::mem::take(&mut self.upload);
                ok
            }
            Owned::Get => {
                let start = (self.offset as usize).min(self.file.len());
                let mut out = Vec::new();
                for chunk in self.file[start..].chunks(300) {
                    out.extend_from_slice(format!("\r\n+FTPGET:{},", chunk.len()).as_bytes());
                    out.extend_from_slice(chunk);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(&ok);
                out
            }
            Owned::List => {
                let line = format!(
                    "-rw-rw-r--  1 ftp ftp {:>5} Sep 30 01:52 12.txt",
                    self.file.len()
                );
                let mut out = format!("\r\n+FTPLIST:1,{}\r\n", line.len()).into_bytes();
                out.extend_from_slice(line.as_bytes());
                out.extend_from_slice(&ok);
                out
            }
            Owned::Other => ok,
            Owned::Unknown => b"\r\nERROR\r\n".to_vec(),
        }
    }
}

enum Owned {
    Serv,
    Reset(u32),
    PutData(Vec<u8>),
    PutEnd,
    Get,
    List,
    Other,
    Unknown,
}

fn item_owned(item: &Request<'_>) -> Owned {
    match item {
        Request::Command(Command::FtpServ(Setting::Set(_))) => Owned::Serv,
        Request::Command(Command::FtpReset(Setting::Set(n))) => Owned::Reset(*n),
        Request::Command(Command::FtpPut(Put::Data(d))) => Owned::PutData(d.to_vec()),
        Request::Command(Command::FtpPut(Put::End)) => Owned::PutEnd,
        Request::Command(Command::FtpGet(Action::Execute)) => Owned::Get,
        Request::Command(Command::FtpList(Action::Execute)) => Owned::List,
        Request::Command(_) => Owned::Other,
        _ => Owned::Unknown,
    }
}

/// A handler that uploads `upload` and records everything else.
#[derive(Default)]
pub struct Recorder {
    pub upload: Vec<u8>,
    pub sent: usize,
    pub downloaded: Vec<u8>,
    pub events: Vec<String>,
    pub done: Vec<(JobId, String)>,
}

impl Handler for Recorder {
    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Data { data, .. } => self.downloaded.extend_from_slice(data),
            Event::JobDone { job, result } => self.done.push((*job, format!("{result:?}"))),
            _ => {}
        }
        self.events.push(format!("{event:?}"));
    }

    fn fill(&mut self, _job: JobId, buf: &mut [u8]) -> usize {
        let rest = &self.upload[self.sent..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.sent += n;
        n
    }
}
