//! Scenario: the drivers take a SIMCom session as they take the first
//! dialect's: the blocking driver over the scripted modem's port, and the
//! embedded driver over it as a UART, run an upload larger than one
//! `<maxlength>` and a download, with the same [`Handler`] steps.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_proto::simcom::PutOpt;
use cellftp_session::driver::Handler;
use cellftp_session::simcom::{Config, Event, Session};
use cellftp_session::testing::ScriptedModem;
use cellftp_session::JobId;
use simcom_common::*;

/// 3000 bytes: three chunks of at most 1360.
fn file() -> Vec<u8> {
    (0..3000u32).map(|i| (i % 251) as u8).collect()
}

/// The put and the get of [`file`], scripted.
fn modem() -> ScriptedModem {
    let file = file();
    let credit = line("+FTPPUT: 1,1,1360");
    let mut modem = ScriptedModem::new();
    modem.read_size(61);
    modem
        .expect(b"AT+FTPTYPE=\"I\"\r", OK)
        .expect(b"AT+FTPPUTOPT=\"STOR\"\r", OK)
        .expect(b"AT+FTPPUTPATH=\"/up/\"\r", OK)
        .expect(b"AT+FTPPUTNAME=\"f.bin\"\r", OK)
        .expect(b"AT+FTPPUT=1\r", &[OK, &credit].concat())
        .expect(b"AT+FTPPUT=2,1360\r", &line("+FTPPUT: 2,1360"))
        .expect(&file[..1360], &[OK, &credit].concat())
        .expect(b"AT+FTPPUT=2,1360\r", &line("+FTPPUT: 2,1360"))
        .expect(&file[1360..2720], &[OK, &credit].concat())
        .expect(b"AT+FTPPUT=2,280\r", &line("+FTPPUT: 2,280"))
        .expect(&file[2720..], &[OK, &credit].concat())
        .expect(
            b"AT+FTPPUT=2,0\r",
            &[OK, &line("+FTPPUT: 1,0")[..]].concat(),
        )
        .expect(b"AT+FTPTYPE=\"I\"\r", OK)
        .expect(b"AT+FTPREST=0\r", OK)
        .expect(b"AT+FTPGETPATH=\"/up/\"\r", OK)
        .expect(b"AT+FTPGETNAME=\"f.bin\"\r", OK)
        .expect(b"AT+FTPGET=1\r", &[OK, &line("+FTPGET: 1,1")].concat());
    let parts = [&file[..1460], &file[1460..2920], &file[2920..]];
    for (i, part) in parts.iter().enumerate() {
        let mut read = format!("\r\n+FTPGET: 2,{}\r\n", part.len()).into_bytes();
        read.extend_from_slice(part);
        read.extend_from_slice(OK);
        if i == parts.len() - 1 {
            // The end of the transfer arrives with the last read's answer.
            read.extend_from_slice(&line("+FTPGET: 1,0"));
        }
        modem.expect(b"AT+FTPGET=2,1460\r", &read);
    }
    modem.expect(b"AT+FTPGET=2,1460\r", b"\r\n+FTPGET: 2,0\r\n\r\nOK\r\n");
    modem
}

/// A session with a short guard time, the put and the get queued.
fn session() -> Session {
    let mut session = Session::new(Config {
        guard: core::time::Duration::from_millis(1),
        ..Config::default()
    })
    .unwrap();
    session.put("/up", "f.bin", PutOpt::Stor).unwrap();
    session.get("/up", "f.bin", 0).unwrap();
    session
}

/// Feeds the upload and keeps the download and the jobs' ends.
#[derive(Default)]
struct Recorder {
    sent: usize,
    downloaded: Vec<u8>,
    done: Vec<String>,
}

impl Handler<Session> for Recorder {
    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Data { data, .. } => self.downloaded.extend_from_slice(data),
            Event::JobDone { result, .. } => self.done.push(format!("{result:?}")),
            _ => {}
        }
    }

    fn fill(&mut self, _job: JobId, buf: &mut [u8]) -> usize {
        let file = file();
        let rest = &file[self.sent..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.sent += n;
        n
    }
}

fn check(recorder: &Recorder, modem: &ScriptedModem) {
    assert!(modem.mismatches().is_empty(), "{:#?}", modem.mismatches());
    assert!(modem.is_done(), "{modem:?}");
    assert_eq!(
        recorder.done,
        [
            "Ok(Uploaded { bytes: 3000 })",
            "Ok(Downloaded { offset: 0, bytes: 3000 })"
        ]
    );
    assert_eq!(recorder.downloaded, file());
}

#[test]
fn the_blocking_driver_runs_a_simcom_session() {
    use cellftp_session::driver::blocking::Blocking;
    use cellftp_session::testing::Port;

    let mut driver = Blocking::new(Port::new(modem()), session());
    let mut recorder = Recorder::default();
    driver.run(&mut recorder).unwrap();
    let (port, _) = driver.into_parts();
    check(&recorder, &port.modem);
}

#[cfg(feature = "embedded")]
#[test]
fn the_embedded_driver_runs_a_simcom_session() {
    use cellftp_session::driver::embedded::{run, Clock};
    use cellftp_session::Instant;
    use core::cell::Cell;

    /// A clock that jumps to whatever the driver waits for.
    struct FakeClock(Cell<u64>);

    impl Clock for FakeClock {
        fn now(&self) -> Instant {
            Instant::from_millis(self.0.get())
        }
        async fn wait_until(&self, at: Instant) {
            self.0.set(self.0.get().max(at.as_millis()));
        }
    }

    /// The modem as a UART; it answers at once, so its clock stays at 0.
    struct Uart(ScriptedModem);

    impl embedded_io_async::ErrorType for Uart {
        type Error = core::convert::Infallible;
    }

    impl embedded_io_async::Read for Uart {
        async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
            let n = self.0.read(Instant::from_millis(0), buf);
            if n == 0 {
                // Nothing to read: never completes, so the clock wins.
                core::future::pending::<()>().await;
            }
            Ok(n)
        }
    }

    impl embedded_io_async::Write for Uart {
        async fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
            self.0.write(Instant::from_millis(0), buf);
            Ok(buf.len())
        }
    }

    let mut uart = Uart(modem());
    let clock = FakeClock(Cell::new(0));
    let mut session = session();
    let mut recorder = Recorder::default();
    let (mut chunk, mut read_buf) = ([0u8; 1460], [0u8; 128]);
    embassy_futures::block_on(run(
        &mut uart,
        &clock,
        &mut session,
        &mut recorder,
        &mut chunk,
        &mut read_buf,
    ))
    .unwrap();
    check(&recorder, &uart.0);
}
