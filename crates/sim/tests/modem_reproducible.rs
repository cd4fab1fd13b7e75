//! Every fault of the simulated modem comes from its seed: the same seed
//! and the same input give the same bytes and the same FTP operations,
//! whatever faults the spec names; another seed gives other bytes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::time::Duration;

use cellftp_sim::{FtpOp, ModemConfig};
use common::modem::Host;

/// A session's worth of commands, with time passing between them so that
/// late answers come.
const SCRIPT: &[&[u8]] = &[
    b"AT\r",
    b"AT+CFUN=1\r",
    b"AT+CGACT=1,1\r",
    b"AT+FTPPORT=21\r",
    b"AT+FTPMODE=1\r",
    b"AT+FTPSERV=127.0.0.1\r",
    b"AT+FTPUN=u\r",
    b"AT+FTPPW=pw\r",
    b"AT+FTPTYPE=I\r",
    b"AT+FTPPUTNAME=a.bin\r",
    b"AT+FTPPUT=10,\r\nOK\r\n\0\x1aAT\r",
    b"AT+FTPPUT=0\r",
    b"AT+FTPGETNAME=a.bin\r",
    b"AT+FTPGET\r",
    b"AT+FTPRESET=1\r",
    b"AT+FTPGET\r",
    b"AT+FTPLIST\r",
    b"AT+FTPMKD=d\r",
    b"AT+FTPLIST\r",
    b"AT+FTPRMD=d\r",
    b"AT+FTPSCON\r",
    b"AT+FTPQUIT\r",
];

/// Runs the script under `faults`: every byte the modem sent and every
/// operation it asked for.
fn run(faults: &str) -> (Vec<u8>, Vec<FtpOp>) {
    let mut host = Host::new(ModemConfig {
        faults: faults.parse().unwrap(),
        ..ModemConfig::default()
    });
    let mut out = Vec::new();
    for line in SCRIPT {
        out.extend(host.send(line));
        out.extend(host.advance(Duration::from_millis(700)));
    }
    out.extend(host.advance(Duration::from_secs(5)));
    (out, host.ops)
}

const FAULTS: &[&str] = &[
    "urc=0.3",
    "corrupt=0.02",
    "drop=0.02",
    "urc=0.2,corrupt=0.01,drop=0.01",
    "drop-data=2,drop-data=20,late=FTPMKD:500,never=FTPLIST#2,cme=FTPGET#2:30",
    "restart=FTPPUT#2,error=7,urc=0.5,corrupt=0.005",
];

#[test]
fn the_same_seed_gives_the_same_bytes() {
    for faults in FAULTS {
        for seed in [0u64, 1, 7, 12345] {
            let spec = format!("seed={seed},{faults}");
            let (a, ops_a) = run(&spec);
            let (b, ops_b) = run(&spec);
            assert!(a == b, "{spec}: the bytes differ");
            assert_eq!(ops_a, ops_b, "{spec}");
        }
    }
}

#[test]
fn the_faults_change_the_bytes_and_the_seed_decides_how() {
    let (clean, _) = run("");
    for faults in FAULTS {
        let runs: Vec<Vec<u8>> = (0..4u64)
            .map(|seed| run(&format!("seed={seed},{faults}")).0)
            .collect();
        assert!(runs.iter().all(|r| *r != clean), "{faults} changed nothing");
        let random =
            faults.contains("urc") || faults.contains("corrupt") || faults.contains("drop=");
        if random {
            assert!(
                runs.windows(2).any(|w| w[0] != w[1]),
                "{faults}: every seed gave the same bytes"
            );
        }
    }
}
