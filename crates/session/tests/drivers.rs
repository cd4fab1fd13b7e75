//! The three drivers against the `testing` modem answering like the
//! manual's: a whole job list (configure, upload, resumed download,
//! listing, quit) runs to the end.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use cellftp_proto::{Mode, TransferType};
use cellftp_session::{BringUp, Config, FtpConfig, Session};
use common::{fake_modem, Recorder, Server};

const CONFIG: FtpConfig<'static> = FtpConfig {
    server: "127.0.0.1",
    port: Some(2121),
    mode: Mode::Passive,
    transfer_type: TransferType::Binary,
    user: "xs",
    password: "pw-not-leaked",
    path: None,
};

/// 2 KiB of data: several upload chunks and several `+FTPGET` chunks.
fn payload() -> Vec<u8> {
    (0..2048u32).map(|i| (i * 7 + i / 13) as u8).collect()
}

fn queue(session: &mut Session) {
    session.bring_up(BringUp::default()).unwrap();
    session.configure(&CONFIG).unwrap();
    session.put("12.txt").unwrap();
    session.get("12.txt", 100).unwrap();
    session.list(None).unwrap();
    session.quit().unwrap();
}

fn check(recorder: &Recorder, modem: &Server) {
    assert_eq!(modem.file, payload(), "the upload arrived whole");
    assert_eq!(
        recorder.downloaded,
        payload()[100..],
        "the resumed download"
    );
    assert_eq!(recorder.done.len(), 6, "{:#?}", recorder.done);
    for (_, result) in &recorder.done {
        assert!(result.starts_with("Ok("), "{result}");
    }
    assert!(recorder.done[2].1.contains("Uploaded { bytes: 2048 }"));
    assert!(recorder.done[4]
        .1
        .contains("Listed { entries: 1, lines: 1 }"));
    for text in recorder.events.iter().chain(&modem.commands) {
        assert!(!text.contains("pw-not-leaked"), "{text}");
    }
}

fn fast_config() -> Config {
    Config {
        guard: core::time::Duration::from_millis(1),
        ..Config::default()
    }
}

mod blocking {
    use super::*;
    use cellftp_session::driver::blocking::Blocking;
    use cellftp_session::testing::Port;

    #[test]
    fn runs_a_whole_job_list() {
        let (mut modem, server) = fake_modem();
        // Short reads, to exercise reassembly.
        modem.read_size(37);
        let mut driver = Blocking::new(Port::new(modem), Session::new(fast_config()).unwrap());
        queue(driver.session());
        let mut recorder = Recorder {
            upload: payload(),
            ..Recorder::default()
        };
        driver.run(&mut recorder).unwrap();
        check(&recorder, &server.borrow());
    }
}

#[cfg(feature = "tokio")]
mod tokio_driver {
    use super::*;
    use cellftp_session::driver::tokio::Async;
    use cellftp_session::Instant;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn runs_a_whole_job_list_over_a_duplex_pipe() {
        let (host, mut modem_end) = tokio::io::duplex(64);
        let (mut modem, server) = fake_modem();
        // The modem answers at once: its clock stays at 0.
        let now = Instant::from_millis(0);
        let modem_side = async move {
            let mut buf = [0u8; 256];
            loop {
                let n = modem_end.read(&mut buf).await.unwrap();
                if n == 0 {
                    return;
                }
                modem.write(now, &buf[..n]);
                let out = modem.due(now);
                modem_end.write_all(out).await.unwrap();
                let read = out.len();
                modem.consume(read);
            }
        };
        let mut recorder = Recorder {
            upload: payload(),
            ..Recorder::default()
        };
        let host_side = async {
            let mut driver = Async::new(host, Session::new(fast_config()).unwrap());
            queue(driver.session());
            driver.run(&mut recorder).await.unwrap();
        };
        // The modem is not `Send`: both sides run in this task.
        tokio::join!(modem_side, host_side);
        check(&recorder, &server.borrow());
    }
}

#[cfg(feature = "embedded")]
mod embedded_driver {
    use super::*;
    use cellftp_session::driver::embedded::{run, Clock};
    use cellftp_session::testing::ScriptedModem;
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

    /// The modem behind `embedded-io-async`; it answers at once, so its
    /// clock stays at 0.
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

    #[test]
    fn runs_a_whole_job_list_without_std_io() {
        let (mut modem, server) = fake_modem();
        modem.read_size(53);
        let mut uart = Uart(modem);
        let clock = FakeClock(Cell::new(0));
        let mut session = Session::new(fast_config()).unwrap();
        queue(&mut session);
        let mut recorder = Recorder {
            upload: payload(),
            ..Recorder::default()
        };
        let (mut chunk, mut read_buf) = ([0u8; 1024], [0u8; 128]);
        embassy_futures::block_on(run(
            &mut uart,
            &clock,
            &mut session,
            &mut recorder,
            &mut chunk,
            &mut read_buf,
        ))
        .unwrap();
        check(&recorder, &server.borrow());
    }
}
