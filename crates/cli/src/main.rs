//! `cellftp`: move files through the FTP client built into a cellular
//! modem, from the command line, over a serial port or a TCP port
//! (ser2net). Built on `cellftp-session`'s blocking driver.
//!
//! `main` parses the command line, sets up logging and the session log,
//! runs the subcommand, writes the `--record` transcript whatever happened,
//! and turns the outcome into one error line and an exit code (see
//! [`error::EXIT_CODES`]).

mod cli;
mod commands;
mod error;
mod link;
mod output;
mod password;
mod record;
mod runner;
mod settings;
mod simcom;
mod trace;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command};
use crate::commands::Ctx;
use crate::error::{CliError, Exit};
use crate::output::Output;
use crate::record::Log;
use crate::settings::Settings;

fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return clap_exit(&e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return clap_exit(&e),
    };
    if let Command::Completions(args) = &cli.command {
        commands::completions::run(args);
        return ExitCode::SUCCESS;
    }
    init_logging(cli.output.verbose);
    if let Command::Sim(args) = &cli.command {
        return match commands::sim::run(args, &matches) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("cellftp sim: {e}");
                ExitCode::from(e.exit() as u8)
            }
        };
    }
    match run(&cli, &matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::debug!("exit {}", e.exit() as u8);
            eprintln!("cellftp: {e}");
            ExitCode::from(e.exit() as u8)
        }
    }
}

/// Prints clap's message; help and version exit 0, usage errors 1.
fn clap_exit(e: &clap::Error) -> ExitCode {
    let _ = e.print();
    if e.use_stderr() {
        ExitCode::from(Exit::Usage as u8)
    } else {
        ExitCode::SUCCESS
    }
}

/// `-v`: the AT traffic (`cellftp::at`) and jobs at debug level; `-vv`:
/// every session event too.
fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => return,
        1 => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_timer(tracing_subscriber::fmt::time::uptime())
        .with_ansi(false)
        .init();
}

/// Runs the subcommand and writes the transcript.
fn run(cli: &Cli, matches: &clap::ArgMatches) -> Result<(), CliError> {
    let settings = Settings::new(cli, matches)?;
    let log = Log::new(cli.output.record.is_some(), cli.command.name());
    let mut ctx = Ctx {
        settings,
        out: Output::new(cli.output.quiet, cli.output.verbose),
        log,
    };
    let result = commands::run(&cli.command, &mut ctx);
    if let Err(e) = &result {
        ctx.log
            .borrow_mut()
            .comment(&format!("cellftp stopped: {e} (exit {})", e.exit() as u8));
    }
    let written = match &cli.output.record {
        Some(path) => ctx
            .log
            .borrow_mut()
            .write_transcript(path)
            .map_err(|e| CliError::local(format!("cannot write {}", path.display()), e)),
        None => Ok(()),
    };
    match (result, written) {
        (Err(e), Err(w)) => {
            eprintln!("cellftp: {w}");
            Err(e)
        }
        (Err(e), Ok(())) | (Ok(()), Err(e)) => Err(e),
        (Ok(()), Ok(())) => Ok(()),
    }
}
