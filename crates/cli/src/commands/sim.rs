//! `cellftp sim`: the simulated modem of `cellftp-sim` on a pseudo-terminal
//! or a TCP port, in front of a real FTP server, until Ctrl-C.
//!
//! With `--serve-dir DIR` it is a demo in one command: an embedded FTP
//! server serves `DIR`, the simulated network reaches only that server
//! (every `AT+FTPSERV` address and port connects to it), the server takes
//! any user name and password, and the `cellftp …` command line that talks
//! to the modem is printed. With `--ftp HOST:PORT` the modem connects where
//! the host tells it, as a real modem; the printed line names that server.
//!
//! The modem's line is `--pty [PATH]` (the default: a pseudo-terminal, and
//! with PATH a symbolic link to it, removed on exit; an old link at PATH
//! is replaced, anything else there is refused) or `--tcp ADDR` (like
//! a modem behind ser2net). `--tcp` and `--baud` are the global options of
//! the same name, taken here from the command line only (not from
//! `CELLFTP_TCP` / `CELLFTP_BAUD`, which describe the real modem).

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;

use cellftp_sim::{
    Dialect, EmbeddedServer, Faults, ModemConfig, PtyError, PtyServer, SimConfig, Simulator,
    TcpServer,
};
use clap::parser::ValueSource;
use clap::{ArgMatches, Args};
use nix::sys::signal::{SigSet, Signal};

use crate::cli::DialectArg;
use crate::error::CliError;

/// `sim`'s arguments (with the global `--tcp ADDR` and `--baud N`).
#[derive(Debug, Args)]
#[command(
    after_help = "Demo: cellftp sim --serve-dir /tmp/ftp --tcp 127.0.0.1:5555, then run the printed command line in another terminal.",
    group = clap::ArgGroup::new("ftp_server").required(true).args(["ftp", "serve_dir"])
)]
pub(crate) struct SimArgs {
    /// A real FTP server the modem may reach; the host's AT+FTPSERV and
    /// AT+FTPPORT decide where it connects, as on a real modem.
    #[arg(long, value_name = "HOST:PORT")]
    pub(crate) ftp: Option<String>,
    /// Serve this folder with an embedded FTP server (any user name and
    /// password) and route every AT+FTPSERV to it.
    #[arg(long, value_name = "DIR")]
    pub(crate) serve_dir: Option<PathBuf>,
    /// Put the modem on a pseudo-terminal (the default), with a symbolic
    /// link to it at PATH when given (removed on exit; an old link there is
    /// replaced, any other file is refused). With the global
    /// --tcp ADDR it listens there instead.
    #[arg(long, value_name = "PATH", num_args = 0..=1, conflicts_with = "tcp")]
    pub(crate) pty: Option<Option<PathBuf>>,
    /// Inject faults; the spec's grammar is documented in cellftp_sim::fault,
    /// e.g. seed=7,drop-data=1000,late=FTPMKD:2000,never=FTPGET,urc=0.2.
    #[arg(long, value_name = "SPEC")]
    pub(crate) fault: Option<String>,
    /// The modem starts with command echo on (ATE1), as real modems do.
    #[arg(long)]
    pub(crate) echo: bool,
}

/// Where the modem listens.
enum Place {
    Pty(Option<PathBuf>),
    Tcp(SocketAddr),
}

/// Runs the simulator until SIGINT or SIGTERM.
pub(crate) fn run(args: &SimArgs, matches: &ArgMatches) -> Result<(), CliError> {
    let sub = matches.subcommand_matches("sim").unwrap_or(matches);
    let from_flag = |id: &str| sub.value_source(id) == Some(ValueSource::CommandLine);
    let tcp = match sub.get_one::<String>("tcp").filter(|_| from_flag("tcp")) {
        Some(addr) => Some(listen_addr(addr)?),
        None => None,
    };
    let baud = sub
        .get_one::<u32>("baud")
        .copied()
        .filter(|_| from_flag("baud"));
    let dialect = match sub
        .get_one::<DialectArg>("dialect")
        .copied()
        .unwrap_or_default()
    {
        DialectArg::Manual => Dialect::Manual,
        DialectArg::Simcom => Dialect::Simcom,
    };
    let faults: Faults = match &args.fault {
        Some(spec) => spec
            .parse()
            .map_err(|e| CliError::Usage(format!("--fault: {e}")))?,
        None => Faults::none(),
    };
    let place = match tcp {
        Some(addr) => Place::Tcp(addr),
        None => Place::Pty(args.pty.clone().flatten()),
    };

    // Blocked in this thread before any other starts, so that every thread
    // inherits the mask and the signals wait for `wait` below.
    let mut signals = SigSet::empty();
    signals.add(Signal::SIGINT);
    signals.add(Signal::SIGTERM);
    signals
        .thread_block()
        .map_err(|e| CliError::Usage(format!("cannot block SIGINT: {e}")))?;

    let (server, route, ftp_flags) = match (&args.serve_dir, &args.ftp) {
        (Some(dir), _) => {
            let server = EmbeddedServer::start(dir).map_err(|e| {
                CliError::local(format!("cannot serve {} over FTP", dir.display()), e)
            })?;
            let addr = server.addr();
            say(&format!(
                "FTP server: {addr} serving {} (any user name and password)",
                server.root().display()
            ))?;
            (
                Some(server),
                Some(addr),
                format!("--server {} --user demo", addr.ip()),
            )
        }
        (None, Some(ftp)) => {
            let (host, port) = ftp
                .rsplit_once(':')
                .ok_or_else(|| CliError::Usage(format!("--ftp {ftp}: the form is HOST:PORT")))?;
            say(&format!("FTP server: {ftp}"))?;
            (
                None,
                None,
                format!("--server {host} --port {port} --user USER"),
            )
        }
        (None, None) => {
            return Err(CliError::Usage(
                "give --serve-dir DIR or --ftp HOST:PORT".to_owned(),
            ))
        }
    };
    let config = SimConfig {
        dialect,
        modem: ModemConfig {
            echo: args.echo,
            faults,
            ..ModemConfig::default()
        },
        baud,
        ftp_route: route,
        ..SimConfig::default()
    };
    let sim = Simulator::new(config);
    let ftp_flags = match dialect {
        Dialect::Simcom => format!("--dialect simcom {ftp_flags}"),
        _ => ftp_flags,
    };
    let password = if server.is_some() {
        "CELLFTP_PASSWORD=x "
    } else {
        ""
    };
    let baud_flag = baud.map(|b| format!(" --baud {b}")).unwrap_or_default();
    let modem = match place {
        Place::Tcp(addr) => {
            let tcp = TcpServer::start(sim, addr)
                .map_err(|e| CliError::local(format!("cannot listen on {addr}"), e))?;
            say(&format!("modem: tcp {}", tcp.addr()))?;
            say(&format!(
                "talk to it: {password}cellftp --tcp {} {ftp_flags} ls",
                tcp.addr()
            ))?;
            Running::Tcp(tcp)
        }
        Place::Pty(link) => {
            let pty = PtyServer::start(sim, link.as_deref()).map_err(|e| match e {
                PtyError::Open(e) => CliError::local("cannot open a pseudo-terminal", e),
                PtyError::Link { path, source } => CliError::local(
                    format!("cannot make the symbolic link {}", path.display()),
                    source,
                ),
                // Something else at PATH: left alone, and the user says
                // where the link may go.
                e => CliError::Usage(format!("--pty {e}")),
            })?;
            let (line, device) = match &link {
                Some(l) => (
                    format!("modem: {} -> {}", l.display(), pty.path().display()),
                    l.clone(),
                ),
                None => (
                    format!("modem: {}", pty.path().display()),
                    pty.path().to_path_buf(),
                ),
            };
            let said = say(&line).and_then(|()| {
                say(&format!(
                    "talk to it: {password}cellftp --device {}{baud_flag} {ftp_flags} ls",
                    device.display()
                ))
            });
            if let Err(e) = said {
                // The link is removed on the way out, as on Ctrl-C.
                let _ = pty.stop();
                return Err(e);
            }
            Running::Pty(pty)
        }
    };
    if let Err(e) = say("Ctrl-C stops it.") {
        if let Running::Pty(p) = modem {
            let _ = p.stop();
        }
        return Err(e);
    }
    let signal = signals
        .wait()
        .map_err(|e| CliError::Usage(format!("cannot wait for Ctrl-C: {e}")))?;
    tracing::info!("{signal:?}: stopping the simulator");
    let stopped = match modem {
        Running::Tcp(t) => t.stop(),
        Running::Pty(p) => p.stop(),
    };
    if let Some(server) = server {
        server.stop();
    }
    stopped.map_err(CliError::Line)
}

/// Prints one line on stdout; a stdout that cannot be written is an
/// error, not a panic.
fn say(line: &str) -> Result<(), CliError> {
    crate::output::print(&format!("{line}\n"))
}

/// The simulator being served.
enum Running {
    Tcp(TcpServer),
    Pty(PtyServer),
}

/// `--tcp`'s address, resolved.
fn listen_addr(addr: &str) -> Result<SocketAddr, CliError> {
    addr.to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| {
            CliError::Usage(format!(
                "--tcp {addr}: not an address to listen on (HOST:PORT)"
            ))
        })
}
