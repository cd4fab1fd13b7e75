//! The driver tests' modem: a [`ScriptedModem`] that answers by rule like
//! the manual's modem, reading each command line with the real command
//! decoder and keeping one uploaded file in memory.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::cell::RefCell;
use std::rc::Rc;

use cellftp_proto::{Action, Command, CommandDecoder, Decoded, Put, Request, Setting};
use cellftp_session::driver::Handler;
use cellftp_session::testing::{Reply, ScriptedModem};
use cellftp_session::{Event, JobId};

/// What the modem remembers: the file, and every command it read.
#[derive(Default)]
pub struct Server {
    /// Every command line read, as its decoded `Debug` output.
    pub commands: Vec<String>,
    /// The file uploaded last.
    pub file: Vec<u8>,
    upload: Vec<u8>,
    offset: u32,
}

impl Server {
    /// Answers one command line.
    fn answer(&mut self, line: &[u8], reply: &mut Reply<'_>) {
        let item = match CommandDecoder::new().decode(line) {
            Decoded::Item { item, .. } => item,
            Decoded::NeedMore { .. } => return reply.push(b"\r\nERROR\r\n"),
        };
        self.commands.push(format!("{item:?}"));
        let ok = b"\r\nOK\r\n";
        match item {
            Request::Command(Command::FtpServ(Setting::Set(_))) => {
                reply.push(b"\r\n+FTPSERV:0\r\n\r\nOK\r\n");
            }
            Request::Command(Command::FtpReset(Setting::Set(n))) => {
                self.offset = n;
                reply.push(ok);
            }
            Request::Command(Command::FtpPut(Put::Data(d))) => {
                self.upload.extend_from_slice(d);
                reply.push(ok);
            }
            Request::Command(Command::FtpPut(Put::End)) => {
                self.file = std::mem::take(&mut self.upload);
                reply.push(ok);
            }
            Request::Command(Command::FtpGet(Action::Execute)) => {
                let start = (self.offset as usize).min(self.file.len());
                for chunk in self.file[start..].chunks(300) {
                    reply.push(format!("\r\n+FTPGET:{},", chunk.len()).as_bytes());
                    reply.push(chunk);
                    reply.push(b"\r\n");
                }
                reply.push(ok);
            }
            Request::Command(Command::FtpList(Action::Execute)) => {
                let line = format!(
                    "-rw-rw-r--  1 ftp ftp {:>5} Sep 30 01:52 12.txt",
                    self.file.len()
                );
                reply.push(format!("\r\n+FTPLIST:1,{}\r\n", line.len()).as_bytes());
                reply.push(line.as_bytes());
                reply.push(ok);
            }
            Request::Command(_) => reply.push(ok),
            _ => reply.push(b"\r\nERROR\r\n"),
        }
    }
}

/// A modem that answers like the manual's, and what it remembers.
pub fn fake_modem() -> (ScriptedModem, Rc<RefCell<Server>>) {
    let server = Rc::new(RefCell::new(Server::default()));
    let mut modem = ScriptedModem::new();
    let state = Rc::clone(&server);
    modem.respond_with(move |line, reply| state.borrow_mut().answer(line, reply));
    (modem, server)
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
