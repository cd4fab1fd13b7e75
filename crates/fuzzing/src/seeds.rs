//! Seed inputs for every target, built from the manual's example session
//! (`crates/proto/SPEC.md`, section 4) and a few variants of it.
//!
//! `cargo run -p cellftp-fuzzing --example seeds` writes them to
//! `fuzz/corpus/<target>/seed-<name>`; the regression test checks that the
//! committed files are up to date and that every seed passes its harness.

use crate::session::{ConfigInput, Op, SessionInput, Str};
use crate::stream::join_input;
use crate::transcript::log_import_input;
use crate::ArbitraryCommand;

/// One seed input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seed {
    /// The target it is for.
    pub target: &'static str,
    /// Its name; the file is `seed-<name>`.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The manual's example session: each command as sent and the modem's
/// answer, framed as on the wire.
pub const MANUAL_SESSION: [(&str, &str); 16] = [
    ("AT+CFUN=1\r", "\r\nOK\r\n"),
    ("AT+CGACT=1,1\r", "\r\nOK\r\n"),
    ("AT+FTPPORT=15881\r", "\r\nOK\r\n"),
    ("AT+FTPMODE=1\r", "\r\nOK\r\n"),
    ("AT+FTPSERV=47.104.157.10\r", "\r\n+FTPSERV:0\r\n\r\nOK\r\n"),
    ("AT+FTPUN=xs\r", "\r\nOK\r\n"),
    ("AT+FTPPW=123\r", "\r\nOK\r\n"),
    ("AT+FTPTYPE=I\r", "\r\nOK\r\n"),
    ("AT+FTPPUTNAME=12.txt\r", "\r\nOK\r\n"),
    ("AT+FTPPUT=5,12345\r", "\r\nOK\r\n"),
    ("AT+FTPPUT=0\r", "\r\nOK\r\n"),
    ("AT+FTPGETNAME=12.txt\r", "\r\nOK\r\n"),
    ("AT+FTPRESET=2\r", "\r\nOK\r\n"),
    ("AT+FTPGET\r", "\r\n+FTPGET:3,345\r\n\r\nOK\r\n"),
    ("AT+FTPLIST\r", MANUAL_LISTING_RESPONSE),
    ("AT+FTPQUIT\r", "\r\nOK\r\n"),
];

/// The manual's one listing line (48 bytes).
pub const MANUAL_LISTING: &str = "-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt";

const MANUAL_LISTING_RESPONSE: &str =
    "\r\n+FTPLIST:1,48\r\n-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\n\r\nOK\r\n";

/// The manual's spellings of commands: stray spaces, lower case, `?` test
/// forms, LF line ends.
const MANUAL_SPELLINGS: &str = "AT+ FTPMODE =0\rAT+ FTPSERV =?\rAT+FTPSCON =?\r\
     AT+FTPPUT =5,12345\rAT+ FTPRESET=5 \rAT+ FTPGET \rAT+ FTPGET?\rAT+FTPPUT=0,\r\
     at+ftpmode=1\r\nATE1\nAT+FTPTYPE=i\rAT+FTPTYPE=I 设置数据传输类型\r\
     AT+FTPPUT=6,\r\nOK\r\n\rAT+FTPPW=123,x\rAT+FTPUN=\"xs\"\r";

/// Responses from the manual's tables and examples beyond the session.
const MANUAL_ANSWERS: &str = "\r\n+ FTPMODE: (0-1)\r\n\r\nOK\r\n\
     \r\n+FTPMODE: （0-1）\r\n\r\nOK\r\n\
     \r\n+FTPMODE: <IP>\r\n\r\nOK\r\n\
     \r\n+FTPGETNAME:123.txt\r\n\r\nOK\r\n\
     \r\n+ FTPPATH：<file path>\r\n\r\nOK\r\n\
     \r\n+FTPSCON ：\r\nXXX\r\n\r\nOK\r\n\
     \r\n+FTPSERV: 129.168.0.1\r\n\r\nOK\r\n\
     \r\n+FTPPW: 123\r\n\r\nOK\r\n\
     \r\n+FTPRESET:<value>\r\n\r\nOK\r\n\
     \r\n+FTPGET\r\n\r\nOK\r\n\
     \r\n+FTPSERV:5\r\n\r\nERROR\r\n\
     \r\n+CME ERROR: 10\r\n\r\n+CME ERROR: SIM not inserted\r\n\r\n+CMS ERROR: 500\r\n\
     \r\nRDY\r\n\r\n+CPIN: READY\r\n\r\n+CFUN: 1\r\n\r\n+PDP: DEACT\r\n\
     \r\n+CGEV: NW DEACT \"IP\",\"10.0.0.1\",1\r\n\r\nNORMAL POWER DOWN\r\n";

/// A multi-style directory listing.
pub const LISTING: &str = "total 12\r\n\
     drwxr-xr-x  2 ftp ftp  4096 Jan  1  2024 docs\r\n\
     -rw-r--r--+ 1 ftp ftp     5 Sep 30 01:52 12.txt\r\n\
     lrwxrwxrwx  1 ftp ftp     4 Sep 30 01:52 cur -> docs\r\n\
     crw-rw-rw-  1 root root 1, 3 Jan  1  2024 null\r\n\
     -rw-r--r--  1 ftp ftp     0 Sep 30 01:52 name with  spaces \r\n\
     09-30-24  01:52AM       <DIR>          win dir\r\n\
     09-30-24  01:53PM                  345 a.txt\n\
     \n\
     garbage\r";

/// The modem's side of the manual's session, with echo on or off.
fn manual_modem_stream(echo: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for (sent, answer) in MANUAL_SESSION {
        if echo {
            out.extend_from_slice(sent.as_bytes());
        }
        out.extend_from_slice(answer.as_bytes());
    }
    out
}

fn manual_host_stream() -> Vec<u8> {
    MANUAL_SESSION
        .iter()
        .flat_map(|(sent, _)| sent.bytes())
        .collect()
}

/// A `+FTPGET` chunk of `n` bytes whose data looks like responses.
fn big_get(n: usize) -> Vec<u8> {
    let mut out = format!("\r\n+FTPGET:{n},").into_bytes();
    out.extend(b"\r\nOK\r\n0123456789".iter().copied().cycle().take(n));
    out.extend_from_slice(b"\r\n\r\nOK\r\n");
    out
}

/// Seeds `target` (`response_stream` or `command_stream`) with `stream`
/// cut at `cuts`, and the matching bytewise target with `stream`.
fn add_stream(
    seeds: &mut Vec<Seed>,
    target: &'static str,
    name: &str,
    cuts: &[u16],
    stream: &[u8],
) {
    let bytewise = if target == "response_stream" {
        "response_bytewise"
    } else {
        "command_bytewise"
    };
    seeds.push(Seed {
        target,
        name: name.to_owned(),
        bytes: join_input(cuts, stream),
    });
    seeds.push(Seed {
        target: bytewise,
        name: name.to_owned(),
        bytes: stream.to_vec(),
    });
}

fn stream_seeds(seeds: &mut Vec<Seed>) {
    let mut add = |target, name: &str, cuts: &[u16], stream: &[u8]| {
        add_stream(seeds, target, name, cuts, stream);
    };
    let modem = manual_modem_stream(false);
    add("response_stream", "manual", &[], &modem);
    // Cut inside `+FTPGET:3,3|45`, between CR and LF, inside the listing.
    let get = modem
        .windows(9)
        .position(|w| w == b"+FTPGET:3")
        .unwrap_or(0);
    let cuts = [1, 3, get as u16 + 4, get as u16 + 11, get as u16 + 40];
    add("response_stream", "manual-cut", &cuts, &modem);
    add(
        "response_stream",
        "manual-echo",
        &[7, 100, 101],
        &manual_modem_stream(true),
    );
    add("response_stream", "answers", &[], MANUAL_ANSWERS.as_bytes());
    let mut big = big_get(5000);
    big.extend(big_get(2048));
    big.extend(big_get(0));
    add("response_stream", "big-get", &[2000, 2112, 4200], &big);
    let listing = format!(
        "\r\n+FTPLIST:1,{}\r\n{LISTING}\r\n\r\nOK\r\n",
        LISTING.len()
    );
    add("response_stream", "listing", &[30, 31], listing.as_bytes());
    let mut overlong = b"\r\n".to_vec();
    overlong.extend_from_slice(&[b'x'; 2500]);
    overlong.extend_from_slice(b"\r\nOK\r\n+FTPGET:99999999999,\r\n+FTPGET:4294967295,x");
    add(
        "response_stream",
        "overlong",
        &[1024, 1025, 1026],
        &overlong,
    );

    let host = manual_host_stream();
    add("command_stream", "manual", &[], &host);
    add("command_stream", "manual-cut", &[2, 9, 10, 150], &host);
    add(
        "command_stream",
        "spellings",
        &[],
        MANUAL_SPELLINGS.as_bytes(),
    );
    let mut put = b"AT+FTPPUT=3000,".to_vec();
    put.extend(b"\r\nAT+FTPQUIT\r".iter().copied().cycle().take(3000));
    put.extend_from_slice(b"\rAT+FTPPUT=0\r");
    add("command_stream", "long-put", &[15, 2063, 2064], &put);
}

fn listing_seeds(seeds: &mut Vec<Seed>) {
    let mut add = |name: &str, bytes: &[u8]| {
        seeds.push(Seed {
            target: "listing",
            name: name.to_owned(),
            bytes: bytes.to_vec(),
        });
    };
    add("manual", MANUAL_LISTING.as_bytes());
    add("manual-crlf", format!("{MANUAL_LISTING}\r\n").as_bytes());
    add("mixed", LISTING.as_bytes());
    add("dos", b"09-30-24  01:52AM       <DIR>          docs");
    add(
        "symlink",
        b"lrwxrwxrwx 1 ftp ftp 4 Sep 30 01:52 a -> b -> c",
    );
    add("device", b"brw-rw---- 1 root disk 8, 0 Jan  1  2024 sda");
    add("total", b"total 12");
}

/// An input built from the manual's strings and numbers.
fn command(which: u8, form: u8, number: u32, flags: u8, param: &[u8]) -> ArbitraryCommand {
    ArbitraryCommand {
        which,
        form,
        number,
        flags,
        param: param.to_vec(),
    }
}

fn roundtrip_seeds(seeds: &mut Vec<Seed>) {
    let set = 2;
    let inputs = [
        ("at", command(0, 0, 0, 0, b"")),
        ("ate0", command(1, 0, 0, 0, b"")),
        ("cfun", command(2, set, 1, 0, b"")),
        ("cgact", command(3, set, 1, 0b11, b"")),
        ("ftpport", command(4, set, 15881, 0, b"")),
        ("ftpmode", command(5, set, 0, 1, b"")),
        ("ftpmode-test", command(5, 0, 0, 0, b"")),
        ("ftptype", command(6, set, 0, 1, b"")),
        ("ftpreset", command(7, set, 2, 0, b"")),
        ("ftpserv", command(8, set, 0, 0, b"47.104.157.10")),
        ("ftpun", command(9, set, 0, 0, b"xs")),
        ("ftppw", command(10, set, 0, 0, b"123")),
        ("ftpgetname", command(11, set, 0, 0, b"12.txt")),
        ("ftppath-query", command(12, 1, 0, 0, b"")),
        ("ftpputname", command(13, set, 0, 0, b"12.txt")),
        ("ftpmkd", command(14, 1, 0, 0, b"/invoker")),
        ("ftprmd-test", command(15, 0, 0, 0, b"")),
        ("ftpget", command(16, 1, 0, 0, b"")),
        ("ftpput", command(17, 2, 0, 0, b"12345")),
        ("ftpput-crlf", command(17, 2, 0, 0, b"\r\nOK\r\n")),
        ("ftpput-end", command(17, 1, 0, 0, b"")),
        ("ftplist", command(18, 1, 0, 0, b"")),
        ("ftpscon", command(19, 1, 0, 0, b"")),
        ("ftpquit", command(20, 1, 0, 0, b"")),
    ];
    for (name, input) in inputs {
        seeds.push(Seed {
            target: "roundtrip",
            name: name.to_owned(),
            bytes: input.to_bytes(),
        });
    }
}

/// The modem answers the command in flight with success, after the guard
/// time has passed.
fn ok(ops: &mut Vec<Op>) {
    ops.push(Op::Answer {
        variant: 0,
        chunk: 0,
    });
    ops.push(Op::Advance(25));
}

fn raw(ops: &mut Vec<Op>, bytes: &str) {
    ops.push(Op::Modem {
        chunk: 0,
        bytes: bytes.as_bytes().to_vec(),
    });
    ops.push(Op::Advance(25));
}

/// Bring-up and configure as in the manual, answered.
fn manual_setup(ops: &mut Vec<Op>, echo_off: bool) {
    ops.push(Op::BringUp {
        flags: if echo_off { 0b111 } else { 0b101 },
        pdp: 2,
    });
    for _ in 0..4 {
        ok(ops);
    }
    ops.push(Op::Configure {
        server: Str::Fixed(0),
        port: 15881,
        flags: 0b0111,
        user: Str::Fixed(0),
        secret: 0,
        path: Str::Fixed(1),
    });
    for _ in 0..6 {
        ok(ops);
    }
}

fn session_seed(name: &str, config: ConfigInput, ops: Vec<Op>) -> Seed {
    Seed {
        target: "session",
        name: name.to_owned(),
        bytes: SessionInput { config, ops }.to_bytes(),
    }
}

fn session_seeds(seeds: &mut Vec<Seed>) {
    // The manual's session: upload 12345, download from offset 2, list, quit.
    let mut ops = Vec::new();
    manual_setup(&mut ops, true);
    ops.push(Op::Put(Str::Fixed(0)));
    ok(&mut ops);
    ops.push(Op::SendData(b"12345".to_vec()));
    ok(&mut ops);
    ops.push(Op::FinishPut);
    ok(&mut ops);
    ops.push(Op::Get(Str::Fixed(0), 2));
    ok(&mut ops);
    ok(&mut ops);
    raw(&mut ops, "\r\n+FTPGET:3,345\r\n\r\nOK\r\n");
    ops.push(Op::List(None));
    raw(&mut ops, MANUAL_LISTING_RESPONSE);
    ops.push(Op::Quit);
    ok(&mut ops);
    seeds.push(session_seed("manual", ConfigInput::default(), ops.clone()));

    // The same with echo on, each line echoed before its answer.
    let mut echoed = Vec::new();
    manual_setup(&mut echoed, false);
    let echoed: Vec<Op> = echoed
        .into_iter()
        .flat_map(|op| match op {
            Op::Answer { .. } => vec![Op::Echo, op],
            op => vec![op],
        })
        .collect();
    seeds.push(session_seed("echo", ConfigInput::default(), echoed));

    // Large transfers in small reads, listings, the configuration report.
    let mut ops = Vec::new();
    manual_setup(&mut ops, true);
    ops.push(Op::Get(Str::Fixed(1), 0));
    ok(&mut ops);
    ops.push(Op::Answer {
        variant: 3 * 8,
        chunk: 7,
    });
    ops.push(Op::Advance(25));
    ops.push(Op::List(Some(Str::Fixed(1))));
    ok(&mut ops);
    ops.push(Op::Answer {
        variant: 8,
        chunk: 0,
    });
    ops.push(Op::Advance(25));
    ops.push(Op::QueryConfig);
    ok(&mut ops);
    ops.push(Op::Mkdir(Str::Fixed(0)));
    ok(&mut ops);
    ops.push(Op::Rmdir(Str::Fixed(0)));
    ops.push(Op::Answer {
        variant: 5,
        chunk: 0,
    });
    seeds.push(session_seed("transfers", ConfigInput::default(), ops));

    // A chunked upload with line ends in the data and a failed chunk.
    let config = ConfigInput {
        chunk_size: 4,
        guard_ms: 0,
        ..ConfigInput::default()
    };
    let mut ops = vec![Op::Put(Str::Fixed(1))];
    ok(&mut ops);
    ops.push(Op::SendData(b"ab\r\nOK\r\n".to_vec()));
    ok(&mut ops);
    ops.push(Op::SendData(b"\r\nOK".to_vec()));
    ops.push(Op::Answer {
        variant: 4,
        chunk: 0,
    });
    ops.push(Op::FinishPut);
    ok(&mut ops);
    seeds.push(session_seed("upload-chunks", config, ops));

    // Failures: the server refuses, then jobs that need it are refused;
    // a restart in the middle of a download; timeouts.
    let mut ops = vec![Op::Configure {
        server: Str::Fixed(1),
        port: 21,
        flags: 0b0011,
        user: Str::Fixed(1),
        secret: 1,
        path: Str::Fixed(0),
    }];
    ok(&mut ops);
    ops.push(Op::Answer {
        variant: 6,
        chunk: 0,
    });
    ops.push(Op::Get(Str::Fixed(0), 7));
    ops.push(Op::Advance(25));
    // Port 0 is refused; the next configure goes through.
    ops.push(Op::Configure {
        server: Str::Fixed(0),
        port: 0,
        flags: 0b0101,
        user: Str::Fixed(0),
        secret: 2,
        path: Str::Fixed(0),
    });
    ops.push(Op::Configure {
        server: Str::Fixed(3),
        port: 2121,
        flags: 0b1101,
        user: Str::Fixed(2),
        secret: 3,
        path: Str::Fixed(3),
    });
    for _ in 0..7 {
        ok(&mut ops);
    }
    // A download cut short: the idle timeout ends it.
    ops.push(Op::Get(Str::Fixed(0), 0));
    ok(&mut ops);
    raw(&mut ops, "\r\n+FTPGET:10,abc");
    ops.push(Op::ToDeadline(1));
    ops.push(Op::ToDeadline(0));
    // A restart in the middle of a job, then a job that needs the server.
    ops.push(Op::Get(Str::Fixed(0), 0));
    ops.push(Op::Canned {
        index: 12,
        chunk: 1,
    });
    ops.push(Op::Mkdir(Str::Fixed(1)));
    ops.push(Op::ToDeadline(0));
    seeds.push(session_seed("failures", ConfigInput::default(), ops));

    // A booting modem: the probes time out, then RDY and answers; the
    // answered retry is followed by the resynchronising probe (the name
    // set, then asked back), then `ATE0`.
    let config = ConfigInput {
        timeouts: Some([10, 20, 30, 40, 50, 60, 70, 80, 90]),
        ..ConfigInput::default()
    };
    let mut ops = vec![
        Op::BringUp { flags: 7, pdp: 0 },
        Op::ToDeadline(0),
        Op::Advance(1000),
    ];
    raw(&mut ops, "\r\nRDY\r\n\r\n+CPIN: READY\r\n");
    ok(&mut ops);
    ok(&mut ops);
    ok(&mut ops);
    ok(&mut ops);
    // `AT+CFUN=1` answered with `+CFUN: 1`, which is no restart here.
    ops.push(Op::Answer {
        variant: 8,
        chunk: 3,
    });
    ops.push(Op::Canned {
        index: 15,
        chunk: 0,
    });
    seeds.push(session_seed("boot", config, ops));

    // Parameters the session must refuse, and a full queue.
    let mut ops = Vec::new();
    for secret in 4..9 {
        ops.push(Op::Configure {
            server: Str::Fixed(0),
            port: 21,
            flags: 0b1111,
            user: Str::Fixed(0),
            secret,
            path: Str::Fixed(1),
        });
    }
    ops.push(Op::Configure {
        server: Str::Fixed(6),
        port: 21,
        flags: 0,
        user: Str::Raw(b"a\r\nAT".to_vec()),
        secret: 3,
        path: Str::Fixed(0),
    });
    ops.push(Op::Put(Str::Fixed(5)));
    ops.push(Op::Mkdir(Str::Fixed(4)));
    ops.push(Op::List(Some(Str::Raw(b"/x;y".to_vec()))));
    for _ in 0..10 {
        ops.push(Op::Quit);
    }
    ok(&mut ops);
    ok(&mut ops);
    ops.push(Op::SendData(b"nobody asked".to_vec()));
    ops.push(Op::FinishPut);
    seeds.push(session_seed("refused", ConfigInput::default(), ops));
}

/// Every seed, for every target.
pub fn seeds() -> Vec<Seed> {
    let mut seeds = Vec::new();
    stream_seeds(&mut seeds);
    listing_seeds(&mut seeds);
    roundtrip_seeds(&mut seeds);
    session_seeds(&mut seeds);
    transcript_seeds(&mut seeds);
    sim_seeds(&mut seeds);
    simcom_seeds(&mut seeds);
    simcom_session_seeds(&mut seeds);
    seeds
}

/// The `simcom_session` target: operations as bytes (a tag, its fields;
/// see `simcom_session.rs`). Bring-up and configure answered by rule, then
/// a put of two chunks, a get read to its end, a list, a failing size, a
/// cancelled get and a timeout; and the same jobs fed byte by byte.
fn simcom_session_seeds(seeds: &mut Vec<Seed>) {
    // Tags: 0 bring-up, 1 configure, 2 put, 3 get, 4 list, 8 size,
    // 10 raw bytes, 11 canned, 12 answer, 14 to the deadline, 15 data,
    // 16 finish, 17 cancel.
    let answer = |ops: &mut Vec<u8>, variant: u8, n: usize| {
        for _ in 0..n {
            ops.extend_from_slice(&[12, variant, 0]);
        }
    };
    let mut ops = vec![0, 0, 0, 1, 0, 1, 0, 1];
    answer(&mut ops, 2, 12);
    // Put: open, two writes, end.
    ops.extend_from_slice(&[2, 0, 0, 0]);
    answer(&mut ops, 2, 8);
    ops.extend_from_slice(&[15, 10, 0]);
    ops.extend_from_slice(b"0123456789");
    answer(&mut ops, 10, 1);
    ops.extend_from_slice(&[12, 0, 0, 11, 11, 0, 16]);
    answer(&mut ops, 0, 1);
    ops.extend_from_slice(&[11, 14, 0]);
    // Get: open, reads, end.
    ops.extend_from_slice(&[3, 0, 0, 0, 0, 0, 5]);
    answer(&mut ops, 2, 6);
    answer(&mut ops, 22, 1);
    ops.extend_from_slice(&[11, 4, 0]);
    answer(&mut ops, 2, 2);
    // List, a failing size, a cancelled get, a timeout.
    ops.extend_from_slice(&[4, 0]);
    answer(&mut ops, 2, 4);
    ops.extend_from_slice(&[11, 9, 7, 11, 10, 0]);
    ops.extend_from_slice(&[8, 1, 0]);
    answer(&mut ops, 2, 5);
    ops.extend_from_slice(&[11, 20, 0, 3, 2, 1, 0, 0, 0, 0, 17, 0, 14, 0, 14, 5]);
    let mut bytewise = ops.clone();
    for chunk in bytewise.chunks_mut(3) {
        if chunk.first() == Some(&12) {
            if let Some(c) = chunk.get_mut(2) {
                *c = 1;
            }
        }
    }
    let mut raw = vec![0, 0, 0, 1, 3, 2, 4, 3, 10, 7, 40, 0];
    raw.extend_from_slice(b"\r\nOK\r\n\r\n+FTPGET: 2,5\r\nhel");
    raw.extend_from_slice(&[12, 3, 1, 13, 0, 0, 255, 0, 14, 0]);
    for (name, bytes) in [("whole", ops), ("bytewise", bytewise), ("raw", raw)] {
        seeds.push(Seed {
            target: "simcom_session",
            name: name.to_owned(),
            bytes,
        });
    }
}

/// The `simcom_response_stream` target: the example sessions of
/// `SPEC-simcom.md` §5, payloads that look like lines, URCs and NUL, a
/// payload of several fragments, and malformed headers.
fn simcom_seeds(seeds: &mut Vec<Seed>) {
    let get: &[u8] = b"\r\nOK\r\n\r\nOK\r\n\r\n+FTPGET: 1,1\r\n\
        \r\n+FTPGET: 2,10\r\n0123456789\r\nOK\r\n\r\n+FTPGET: 1,0\r\n\
        \r\n+FTPGET: 2,0\r\n\r\nOK\r\n";
    let put: &[u8] = b"\r\nOK\r\n\r\n+FTPPUT: 1,1,1360\r\n\r\n+FTPPUT: 2,10\r\n\
        \r\nOK\r\n\r\n+FTPPUT: 1,1,1360\r\n\r\nOK\r\n\r\n+FTPPUT: 1,0\r\n";
    let other: &[u8] = b"\r\nOK\r\n\r\n+FTPGET: 1,72\r\n\r\nOK\r\n\r\n+FTPLIST: 1,1\r\n\
        \r\n+FTPLIST: 2,48\r\n-rw-r--r--   1 ftp ftp   10 Jan 01 00:00 a.bin\r\n\
        \r\nOK\r\n\r\n+FTPLIST: 1,0\r\n\r\n+FTPDELE: 1,0\r\n\r\n+FTPSIZE: 1,0,10\r\n\
        \r\n+FTPMKD: 1,77\r\n\r\n+FTPSTATE: 0\r\n\r\nOK\r\n\
        \r\n+SAPBR: 1,1,\"10.0.0.2\"\r\n\r\n+SAPBR 1: DEACT\r\n\r\n+APP PDP: 0,ACTIVE\r\n\
        AT+FTPGET=2,1460\r\r\n+CME ERROR: 3\r\n\r\n+FTPTYPE: I\r\n\r\n+FTPPW: \"x\"\r\n";
    let tricky_data: &[u8] = b"\r\nOK\r\n+FTPGET: 1,0\r\n\0+FTPGET: 2,5\r\n";
    let mut tricky = format!("+FTPGET:2,{}\n", tricky_data.len()).into_bytes();
    tricky.extend_from_slice(tricky_data);
    tricky.extend_from_slice(b"\r\nOK\r\n+FTPLIST: 2 , 3\rabc\r\nOK\r\n");
    tricky.extend_from_slice(b"+FTPGET: 2,\r\n+FTPGET: 2,99999999999\r\n+FTPGET: 1,x\r\n");
    let mut big = b"\r\n+FTPGET: 2,4100\r\n".to_vec();
    big.extend(b"\r\nOK\r\n0123456789".iter().copied().cycle().take(4100));
    big.extend_from_slice(b"\r\nOK\r\n");
    let host: &[u8] =
        b"AT\rATE0\rAT+SAPBR=3,1,\"Contype\",\"GPRS\"\rAT+SAPBR=3,1,\"APN\",\"internet\"\r\
        AT+SAPBR=2,1\rAT+FTPCID=1\rAT+FTPSERV=\"ftp.example.com\"\rAT+FTPPORT=21\r\
        AT+FTPUN=\"user\"\rAT+FTPPW=\"secret\"\rAT+FTPMODE=1\rAT+FTPTYPE=\"I\"\r\
        AT+FTPPUTOPT=\"STOR\"\rAT+FTPPUTPATH=\"/\"\rAT+FTPPUTNAME=\"a.bin\"\rAT+FTPPUT=1\r\
        AT+FTPPUT=2,10\r\r\nOK\r\n\0AT+FTPPUT=2,0\rAT+FTPREST=0\rAT+FTPGETPATH=\"/\"\r\
        AT+FTPGETNAME=\"a.bin\"\rAT+FTPGET=1\rAT+FTPGET=2,1460\rAT+FTPLIST=1\rAT+FTPMKD\r\
        AT+FTPSIZE\rAT+FTPSTATE\rAT+FTPQUIT\rAT+FTPPUT=2,5000\r";
    let mut long_put = host.to_vec();
    long_put.extend(b"AT+FTPQUIT\r".iter().copied().cycle().take(5000));
    for (name, cuts, stream) in [
        ("host", &[][..], host),
        ("host-cut", &[3, 4, 300, 301, 302][..], host),
        ("host-long-put", &[400, 2500][..], &long_put),
    ] {
        seeds.push(Seed {
            target: "simcom_command_stream",
            name: name.to_owned(),
            bytes: join_input(cuts, stream),
        });
    }
    for (name, cuts, stream) in [
        ("get", &[][..], get),
        ("get-cut", &[5, 45, 46, 50, 60][..], get),
        ("put", &[][..], put),
        ("other", &[30, 31, 120][..], other),
        ("tricky", &[12, 13, 20][..], &tricky),
        ("big", &[10, 2000, 2070][..], &big),
    ] {
        seeds.push(Seed {
            target: "simcom_response_stream",
            name: name.to_owned(),
            bytes: join_input(cuts, stream),
        });
    }
}

/// The `sim` target: a mode byte (which faults, PDP active, echo), no cut
/// points, then a host's command stream.
fn sim_seeds(seeds: &mut Vec<Seed>) {
    let session: &[u8] = b"AT\rATE1\rAT+CFUN=1\rAT+CGACT=1,1\rAT+FTPPORT=21\rAT+FTPMODE=1\r\
        AT+FTPSERV=1.2.3.4\rAT+FTPUN=xs\rAT+FTPPW=123\rAT+FTPTYPE=I\rAT+FTPPUTNAME=12.txt\r\
        AT+FTPPUT=5,12345\rAT+FTPPUT=0\rAT+FTPGETNAME=12.txt\rAT+FTPRESET=2\rAT+FTPGET\r\
        AT+FTPLIST\rAT+FTPMKD=/ab\rAT+FTPSCON\rAT+FTPQUIT\r";
    let mut odd =
        b"AT+FTPMODE=?\rAT+FTPMODE?\rAT+FTPSERV?\rAT+FTPGET?\rAT+FTPPW?\rAT+FTPPUT=2000,".to_vec();
    odd.extend_from_slice(&[b'x'; 2000]);
    odd.extend_from_slice(b"\rATX\r");
    odd.extend_from_slice(&[b'A'; 3000]);
    odd.push(b'\r');
    let both = [session, &odd].concat();
    for (name, mode, body) in [
        ("session", 0u8, session),
        ("session-pdp", 4, session),
        ("session-faults", 6, session),
        ("session-noise", 7, session),
        ("odd-lines", 13, &odd),
        ("urc-both", 5, &both),
    ] {
        let mut bytes = vec![mode, 0];
        bytes.extend_from_slice(body);
        seeds.push(Seed {
            target: "sim",
            name: name.to_owned(),
            bytes,
        });
    }
}

/// The shipped corpus under `transcripts/`: transcripts for `transcript`,
/// captured logs for `log_import`.
fn transcript_seeds(seeds: &mut Vec<Seed>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../transcripts");
    // The files `cargo xtask replay` replays: not the scripts that regrow
    // the captures.
    let files = cellftp_replay::files::collect(&root).unwrap_or_default();
    for path in files {
        // Captures of several tools share file names: the seed is named by
        // the path under `transcripts/`.
        let Some(name) = path
            .strip_prefix(&root)
            .ok()
            .and_then(|p| p.to_str())
            .map(|p| p.replace('/', "-"))
        else {
            continue;
        };
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let is_transcript = name.ends_with(".cftx");
        // Both directions of every transcript also seed the stream targets,
        // cut where the recording cut them.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Ok(t) = cellftp_replay::import::any(&name, &text) {
            for (target, sent) in [("command_stream", true), ("response_stream", false)] {
                let mut stream = Vec::new();
                let mut cuts = Vec::new();
                for record in &t.records {
                    match record {
                        cellftp_replay::Record::Sent(b) if sent => stream.extend_from_slice(b),
                        cellftp_replay::Record::Received(b) if !sent => stream.extend_from_slice(b),
                        _ => continue,
                    }
                    if let Ok(at) = u16::try_from(stream.len()) {
                        cuts.push(at);
                    }
                }
                if !stream.is_empty() {
                    add_stream(seeds, target, &format!("corpus-{name}"), &cuts, &stream);
                }
            }
        }
        if is_transcript {
            seeds.push(Seed {
                target: "transcript",
                name,
                bytes,
            });
            continue;
        }
        // A capture seeds format detection, and the importer it is for.
        // The two targets that read captures take the same inputs.
        for target in ["log_import", "log_import_written"] {
            if let Some(format) = cellftp_replay::import::Format::detect(&name, &bytes) {
                seeds.push(Seed {
                    target,
                    name: format!("{format}-{name}"),
                    bytes: log_import_input(Some(format), &bytes),
                });
            }
            seeds.push(Seed {
                target,
                name: name.clone(),
                bytes: log_import_input(None, &bytes),
            });
        }
    }
}
