//! The password is wiped from the `Session` value itself once configure
//! ends: no copy in the job slots, the transmit buffer or the receive buffer
//! (where the modem's echo of `AT+FTPPW=<password>` arrived), however the
//! compiler laid the value out or moved it. Run in debug and in release.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cellftp_session::driver::Handler;
use cellftp_session::proto::{Mode, TransferType};
use cellftp_session::testing::{run, ScriptedModem};
use cellftp_session::{Config, Event, FtpConfig, Instant, JobError, JobId, Outcome, Session};

/// A password no other byte of the session can spell by chance.
const PASSWORD: &str = "Leak-Probe-7f3a9c1e";

const FTP: FtpConfig<'static> = FtpConfig {
    server: "ftp.example.com",
    port: None,
    mode: Mode::Passive,
    transfer_type: TransferType::Binary,
    user: "user",
    password: PASSWORD,
    path: None,
};

/// Collects the results of the jobs.
#[derive(Default)]
struct Results(Vec<(JobId, Result<Outcome, JobError>)>);

impl Handler for Results {
    fn event(&mut self, event: &Event<'_>) {
        if let Event::JobDone { job, result } = event {
            self.0.push((*job, *result));
        }
    }

    fn fill(&mut self, _: JobId, _: &mut [u8]) -> usize {
        0
    }
}

/// The bytes of the `Session` value, as they lie in memory.
fn bytes_of(session: &Session) -> &[u8] {
    // SAFETY: `session` is a live, aligned value of `size_of::<Session>()`
    // bytes, borrowed for the slice's lifetime. Its padding bytes may be
    // uninitialised; they are only compared, as a memory scanner would.
    unsafe {
        core::slice::from_raw_parts(
            (session as *const Session).cast::<u8>(),
            core::mem::size_of::<Session>(),
        )
    }
}

/// Where the password (or its first half, as a partial copy) lies in the
/// session, if anywhere.
fn find_password(session: &Session) -> Option<usize> {
    let bytes = bytes_of(session);
    let needle = &PASSWORD.as_bytes()[..PASSWORD.len() / 2];
    bytes.windows(needle.len()).position(|w| w == needle)
}

/// A modem that echoes every command and answers configure as the manual
/// shows, `AT+FTPPW` included unless `answer_password` is false.
fn modem(answer_password: bool) -> ScriptedModem {
    let mut modem = ScriptedModem::new();
    modem
        .echo(true)
        .expect(b"AT+FTPMODE=1\r", b"\r\nOK\r\n")
        .expect(
            b"AT+FTPSERV=ftp.example.com\r",
            b"\r\n+FTPSERV:0\r\n\r\nOK\r\n",
        )
        .expect(b"AT+FTPUN=user\r", b"\r\nOK\r\n");
    let pw = format!("AT+FTPPW={PASSWORD}\r");
    if answer_password {
        modem
            .expect(pw.as_bytes(), b"\r\nOK\r\n")
            .expect(b"AT+FTPTYPE=I\r", b"\r\nOK\r\n");
    } else {
        modem.expect(pw.as_bytes(), b"");
    }
    modem
}

#[test]
fn no_copy_after_a_configure_that_succeeded() {
    let mut session = Session::new(Config::default()).unwrap();
    let job = session.configure(&FTP).unwrap();
    let mut results = Results::default();
    let mut modem = modem(true);
    run(
        &mut session,
        &mut modem,
        &mut results,
        Instant::from_millis(0),
        10_000,
    )
    .unwrap();
    assert_eq!(results.0, [(job, Ok(Outcome::Configured))]);
    assert!(modem.mismatches().is_empty(), "{:?}", modem.mismatches());
    assert_eq!(
        find_password(&session),
        None,
        "the password is in the session"
    );
}

#[test]
fn no_copy_after_a_configure_that_timed_out() {
    let mut session = Session::new(Config::default()).unwrap();
    let job = session.configure(&FTP).unwrap();
    let mut results = Results::default();
    let mut modem = modem(false);
    let _ = run(
        &mut session,
        &mut modem,
        &mut results,
        Instant::from_millis(0),
        10_000,
    );
    assert!(
        matches!(results.0.first(), Some((j, Err(JobError::Timeout { .. }))) if *j == job),
        "{:?}",
        results.0
    );
    assert_eq!(
        find_password(&session),
        None,
        "the password is in the session"
    );
}

#[test]
fn the_probe_finds_a_password_that_is_there() {
    // While the configure job waits to send it, the password is in its slot:
    // the search works.
    let mut session = Session::new(Config::default()).unwrap();
    session.configure(&FTP).unwrap();
    assert!(find_password(&session).is_some());
}

/// Runs configure by hand up to `AT+FTPPW`, answering the commands before
/// it; returns the session with `AT+FTPPW` just sent, and the time.
fn up_to_the_password() -> (Session, JobId, Instant) {
    let mut session = Session::new(Config::default()).unwrap();
    let job = session.configure(&FTP).unwrap();
    let mut now = Instant::from_millis(0);
    let answers: [&[u8]; 3] = [
        b"\r\nOK\r\n",
        b"\r\n+FTPSERV:0\r\n\r\nOK\r\n",
        b"\r\nOK\r\n",
    ];
    for answer in answers {
        while session.poll_event().is_some() {}
        now = session.poll_timeout().unwrap_or(now).max(now);
        assert!(session.poll_transmit(now).is_some());
        assert_eq!(session.handle_input(now, answer), answer.len());
    }
    while session.poll_event().is_some() {}
    now = session.poll_timeout().unwrap_or(now).max(now);
    assert!(session
        .poll_transmit(now)
        .unwrap()
        .starts_with(b"AT+FTPPW="));
    (session, job, now)
}

/// Every event polled until none is left, as `Debug` text, and whether
/// any handed out the password's bytes.
fn poll_all(session: &mut Session) -> (Vec<String>, bool) {
    let mut shown = Vec::new();
    let mut handed_out = false;
    while let Some(event) = session.poll_event() {
        shown.push(format!("{event:?}"));
        if let Event::Unsolicited(cellftp_session::Response::Unknown(raw)) = event {
            handed_out |= raw
                .windows(PASSWORD.len())
                .any(|w| w == PASSWORD.as_bytes());
        }
    }
    (shown, handed_out)
}

#[test]
fn no_copy_after_an_echo_that_comes_after_the_timeout() {
    let (mut session, job, _) = up_to_the_password();
    // No answer: the command times out, the password is wiped.
    let now = session.poll_timeout().unwrap();
    session.handle_timeout(now);
    let (events, _) = poll_all(&mut session);
    let timed_out = format!("JobDone {{ job: {job:?}, result: Err(Timeout");
    assert!(
        events.iter().any(|e| e.starts_with(&timed_out)),
        "{events:?}"
    );
    assert_eq!(find_password(&session), None);
    // Then the echo arrives, late, with its `OK`.
    let late = format!("AT+FTPPW={PASSWORD}\r\r\nOK\r\n");
    assert_eq!(session.handle_input(now, late.as_bytes()), late.len());
    let (events, handed_out) = poll_all(&mut session);
    assert!(!handed_out, "the late echo was reported: {events:?}");
    // The next call wipes what the last poll consumed.
    let _ = session.poll_transmit(now);
    assert_eq!(find_password(&session), None);
}

#[test]
fn no_copy_after_an_echo_the_line_garbled() {
    let (mut session, _, now) = up_to_the_password();
    // The echo with a byte lost before the `=`: proto's rule cannot read
    // it as a password line, but the session, which still holds the
    // password, finds it.
    let garbled = format!("AT+FTPP={PASSWORD}\r\r\nOK\r\n");
    assert_eq!(session.handle_input(now, garbled.as_bytes()), garbled.len());
    let (events, handed_out) = poll_all(&mut session);
    assert!(!handed_out, "the garbled echo was reported: {events:?}");
    assert!(!events.iter().any(|e| e.contains(PASSWORD)), "{events:?}");
    let _ = session.poll_transmit(now);
    assert_eq!(find_password(&session), None);
}
