//! The `sim` target: arbitrary host bytes into the simulator's sans-IO
//! modem, cut into reads at the input's own cut points and answered by a
//! canned FTP side. The modem must never panic, and what it sends must stay
//! bounded by what it was sent.

use std::time::Duration;

use cellftp_sim::{FtpOp, FtpResult, Modem, ModemConfig};

use crate::stream::split_input;

/// What the modem may send per host byte, and per command line, at most:
/// an echo, and an answer whose size the canned FTP side bounds.
const PER_BYTE: usize = 2;
const PER_LINE: usize = 8 * 1024;

/// Runs the modem on `data`: the first byte picks the faults, then cut
/// points and host bytes as for the stream targets.
pub fn sim(data: &[u8]) {
    let (mode, rest) = data.split_first().unwrap_or((&0, &[]));
    let faults = match mode % 4 {
        0 => "",
        1 => "seed=1,urc=0.3",
        2 => "seed=2,late=3:50,never=FTPGET,restart=FTPPUT#2,drop-data=5",
        _ => "seed=3,corrupt=0.1,drop=0.1,error=2,cme=FTPMKD:100",
    };
    let mut modem = Modem::new(ModemConfig {
        faults: faults.parse().unwrap_or_default(),
        pdp_active: mode & 4 != 0,
        echo: mode & 8 != 0,
        ..ModemConfig::default()
    });
    let (cuts, input) = split_input(rest);
    let mut now = Duration::ZERO;
    let mut sent = 0usize;
    let mut from = 0usize;
    for to in cuts.iter().copied().chain([input.len()]) {
        let to = to.clamp(from, input.len());
        let mut piece = input.get(from..to).unwrap_or_default();
        from = to;
        now += Duration::from_millis(10);
        while !piece.is_empty() {
            let taken = modem.handle_input(now, piece);
            piece = piece.get(taken..).unwrap_or_default();
            sent += drive(&mut modem, now);
            if taken == 0 {
                now += Duration::from_millis(100);
                modem.handle_timeout(now);
            }
        }
    }
    now += Duration::from_secs(1);
    modem.handle_timeout(now);
    sent += drive(&mut modem, now);
    let lines = input.iter().filter(|&&b| b == b'\r' || b == b'\n').count() + 1;
    assert!(
        sent <= input.len() * PER_BYTE + lines * PER_LINE,
        "the modem sent {sent} bytes for {} host bytes",
        input.len()
    );
}

/// Answers the modem's FTP operations with canned results; returns the
/// bytes it sent.
fn drive(modem: &mut Modem, now: Duration) -> usize {
    let mut sent = 0;
    loop {
        let mut progress = false;
        while let Some(op) = modem.poll_ftp() {
            progress = true;
            let result = match op {
                FtpOp::Reset => continue,
                FtpOp::Connect { port: 2, .. } => {
                    FtpResult::ServFailed(cellftp_proto::ServCode::Refused)
                }
                FtpOp::Get { offset, .. } => {
                    FtpResult::Data(b"\r\nOK\r\n\0\x1a".repeat(1 + (offset % 7) as usize))
                }
                FtpOp::List { .. } => FtpResult::Data(
                    b"-rw-r--r-- 1 a a 5 Sep 30 01:52 x\r\ndrwxr-xr-x 2 a a 0 Jan 1 2024 d"
                        .to_vec(),
                ),
                FtpOp::Mkdir { dir, .. } if dir.len() % 2 == 0 => FtpResult::Failed {
                    partial: Vec::new(),
                },
                _ => FtpResult::Done,
            };
            modem.handle_ftp_result(now, result);
        }
        while let Some(out) = modem.poll_output() {
            progress = true;
            sent += out.len();
        }
        if !progress {
            return sent;
        }
    }
}
