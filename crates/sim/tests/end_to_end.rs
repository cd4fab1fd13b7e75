//! End to end: `cellftp-session` → pseudo-terminal → simulator → a real FTP
//! server (the embedded libunftp, and the distro server when
//! `CELLFTP_TEST_FTP` names one), in passive and active mode. Put, get,
//! list, mkdir, rmdir and the configuration query; files of 0 bytes, 1
//! byte, 1 MiB and binary content holding `\r\nOK\r\n`, NUL and 0x1A,
//! byte-identical on both sides. The simulator's count of data
//! connections shows which side opened them, so that active mode is known
//! to have been used.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::time::Duration;

use cellftp_session::{Mode, Outcome};
use common::{content, read, Bench, Server, Watchdog};

fn round_trips(server: &Server, mode: Mode) {
    let mut bench = Bench::new(server, "", mode);
    bench.connect();
    let dir = server.dir();
    let cases: Vec<(String, Vec<u8>)> = [0usize, 1, 5000]
        .iter()
        .map(|&n| (server.unique(&format!("f{n}")), content(n, n as u64)))
        .chain([(
            server.unique("tricky"),
            b"\r\nOK\r\n\0\x1a\r\n+FTPGET:3,\r\nERROR\r\n".to_vec(),
        )])
        .collect();
    for (name, data) in &cases {
        let put = bench.put(name, data);
        let get = bench.get(name, 0);
        bench.run();
        assert_eq!(
            bench.seen.result(put),
            Ok(Outcome::Uploaded {
                bytes: data.len() as u64
            }),
            "{} {mode:?}: put {name}",
            server.name()
        );
        assert_eq!(read(&dir, name), *data, "server side of {name}");
        assert_eq!(
            bench.seen.result(get),
            Ok(Outcome::Downloaded {
                offset: 0,
                bytes: data.len() as u64
            })
        );
        assert_eq!(
            bench.seen.data.get(&get).cloned().unwrap_or_default(),
            *data,
            "host side of {name}"
        );
    }

    // Every transfer's data connection was opened by the side the mode
    // says: the server in active mode (after `PORT`), the simulator in
    // passive mode; never the other.
    let transfers = 2 * cases.len() as u64;
    let (active, passive) = (bench.data.active(), bench.data.passive());
    match mode {
        Mode::Active => assert!(
            active >= transfers && passive == 0,
            "{}: active mode opened {active} active and {passive} passive data connections",
            server.name()
        ),
        _ => assert!(
            passive >= transfers && active == 0,
            "{}: passive mode opened {active} active and {passive} passive data connections",
            server.name()
        ),
    }

    // Directories and the listing.
    let sub = server.unique("dir");
    let mk = bench.session().mkdir(&sub).unwrap();
    let list = bench.session().list(None).unwrap();
    bench.run();
    assert_eq!(bench.seen.result(mk), Ok(Outcome::DirectoryCreated));
    assert!(dir.join(&sub).is_dir());
    let Ok(Outcome::Listed { entries, .. }) = bench.seen.result(list) else {
        panic!("list failed: {:?}", bench.seen.result(list));
    };
    assert!(entries as usize > cases.len());
    let lines = &bench.seen.lines[&list];
    for name in cases.iter().map(|(n, _)| n).chain([&sub]) {
        assert!(
            lines
                .iter()
                .any(|l| l.ends_with(format!(" {name}").as_bytes())),
            "{name} listed"
        );
    }
    let rm = bench.session().rmdir(&sub).unwrap();
    let scon = bench.session().query_config().unwrap();
    let quit = bench.session().quit().unwrap();
    bench.run();
    assert_eq!(bench.seen.result(rm), Ok(Outcome::DirectoryRemoved));
    assert!(!dir.join(&sub).exists());
    let Ok(Outcome::ConfigReported { items }) = bench.seen.result(scon) else {
        panic!("config query failed");
    };
    assert!(items >= 10);
    let config = bench.seen.config[&scon].join("\n");
    assert!(config.contains("FtpServ"), "{config}");
    // On the wire: the modem itself hides the password in `AT+FTPSCON`,
    // and the password never came back from it.
    let received = bench.wire.lock().unwrap().received_bytes();
    let seen = |needle: &[u8]| received.windows(needle.len()).any(|w| w == needle);
    assert!(
        seen(b"\r\n+FTPPW: <hidden>\r\n"),
        "the modem shows it hidden"
    );
    assert!(!seen(b"sim@example.com"), "the password is never sent back");
    assert!(
        !config.contains("sim@example.com"),
        "the password is hidden"
    );
    assert_eq!(bench.seen.result(quit), Ok(Outcome::Quit));
}

#[test]
fn passive_and_active_against_every_server() {
    let _w = Watchdog::new("end to end", Duration::from_secs(90));
    for server in Server::all() {
        for mode in [Mode::Passive, Mode::Active] {
            round_trips(&server, mode);
        }
    }
}

#[test]
fn one_mebibyte_both_ways() {
    let _w = Watchdog::new("1 MiB", Duration::from_secs(90));
    for server in Server::all() {
        let mut bench = Bench::new(&server, "", Mode::Passive);
        bench.connect();
        let data = content(1 << 20, 99);
        let name = server.unique("mib");
        let put = bench.put(&name, &data);
        let get = bench.get(&name, 0);
        bench.run();
        assert_eq!(
            bench.seen.result(put),
            Ok(Outcome::Uploaded { bytes: 1 << 20 })
        );
        assert!(read(&server.dir(), &name) == data, "server side differs");
        assert_eq!(
            bench.seen.result(get),
            Ok(Outcome::Downloaded {
                offset: 0,
                bytes: 1 << 20
            })
        );
        assert!(bench.seen.data[&get] == data, "host side differs");
    }
}
