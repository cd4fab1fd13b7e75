//! `cellftp-sim`: a simulated modem on a pseudo-terminal or a TCP port, in
//! front of an FTP server (an embedded one serving a folder, or one given
//! by address).
//!
//! ```text
//! cellftp-sim [--pty [LINK]] [--tcp ADDR] [--serve DIR | --ftp HOST:PORT]
//!             [--baud N] [--faults SPEC] [--echo on|off] [--pdp-active]
//!             [--get-chunk N] [--dialect manual|simcom]
//! ```
//!
//! Without `--tcp`, the modem is on a pseudo-terminal whose path is
//! printed (`--pty LINK` also makes a symbolic link to it). Without
//! `--ftp`, an embedded FTP server serves `--serve DIR` (default: the
//! current folder) on a free 127.0.0.1 port, which is printed: give it to
//! the host's `AT+FTPPORT`. The fault spec is documented in
//! `cellftp_sim::fault`. Runs until interrupted.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use cellftp_sim::{EmbeddedServer, ModemConfig, PtyServer, SimConfig, Simulator, TcpServer};

struct Args {
    pty_link: Option<PathBuf>,
    tcp: Option<SocketAddr>,
    serve: PathBuf,
    ftp: Option<String>,
    config: SimConfig,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        pty_link: None,
        tcp: None,
        serve: PathBuf::from("."),
        ftp: None,
        config: SimConfig::default(),
    };
    let mut it = std::env::args().skip(1).peekable();
    let mut modem = ModemConfig::default();
    while let Some(arg) = it.next() {
        let mut value = |what: &str| it.next().ok_or_else(|| format!("{arg} needs {what}"));
        match arg.as_str() {
            "--pty" => {
                if it.peek().is_some_and(|v| !v.starts_with("--")) {
                    args.pty_link = it.next().map(PathBuf::from);
                }
            }
            "--tcp" => {
                args.tcp = Some(
                    value("an address")?
                        .parse()
                        .map_err(|e| format!("--tcp: {e}"))?,
                )
            }
            "--serve" => args.serve = PathBuf::from(value("a folder")?),
            "--ftp" => args.ftp = Some(value("HOST:PORT")?),
            "--baud" => {
                args.config.baud = Some(
                    value("a rate")?
                        .parse()
                        .map_err(|e| format!("--baud: {e}"))?,
                )
            }
            "--faults" => {
                modem.faults = value("a fault spec")?
                    .parse()
                    .map_err(|e| format!("--faults: {e}"))?
            }
            "--echo" => {
                modem.echo = match value("on or off")?.as_str() {
                    "on" => true,
                    "off" => false,
                    other => return Err(format!("--echo: `{other}` is neither on nor off")),
                }
            }
            "--pdp-active" => modem.pdp_active = true,
            "--dialect" => {
                args.config.dialect = match value("manual or simcom")?.as_str() {
                    "manual" => cellftp_sim::Dialect::Manual,
                    "simcom" => cellftp_sim::Dialect::Simcom,
                    other => {
                        return Err(format!("--dialect: `{other}` is neither manual nor simcom"))
                    }
                }
            }
            "--get-chunk" => {
                modem.get_chunk = value("a size")?
                    .parse()
                    .map_err(|e| format!("--get-chunk: {e}"))?
            }
            "-h" | "--help" => {
                return Err("usage: cellftp-sim [--pty [LINK]] [--tcp ADDR] [--serve DIR | --ftp HOST:PORT] \
                            [--baud N] [--faults SPEC] [--echo on|off] [--pdp-active] [--get-chunk N] \
                            [--dialect manual|simcom]"
                    .into())
            }
            other => return Err(format!("unknown argument `{other}` (see --help)")),
        }
    }
    args.config.modem = modem;
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("cellftp-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    let _server = match &args.ftp {
        Some(addr) => {
            println!("FTP server: {addr}");
            None
        }
        None => match EmbeddedServer::start(&args.serve) {
            Ok(s) => {
                println!(
                    "FTP server: {} serving {} (any user name and password)",
                    s.addr(),
                    s.root().display()
                );
                Some(s)
            }
            Err(e) => {
                eprintln!("cellftp-sim: cannot start the FTP server: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    let sim = Simulator::new(args.config);
    let running = match args.tcp {
        Some(addr) => TcpServer::start(sim, addr).map(|t| {
            println!("modem: tcp {}", t.addr());
            Box::new(t) as Box<dyn std::fmt::Debug>
        }),
        None => PtyServer::start(sim, args.pty_link.as_deref())
            .map_err(std::io::Error::from)
            .map(|p| {
                match &args.pty_link {
                    Some(link) => println!("modem: {} -> {}", link.display(), p.path().display()),
                    None => println!("modem: {}", p.path().display()),
                }
                Box::new(p) as Box<dyn std::fmt::Debug>
            }),
    };
    let _running = match running {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cellftp-sim: cannot start the modem: {e}");
            return ExitCode::FAILURE;
        }
    };
    loop {
        std::thread::park();
    }
}
