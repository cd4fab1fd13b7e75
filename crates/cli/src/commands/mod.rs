//! One module per subcommand: its clap arguments and what it does. Each
//! gets a [`Ctx`] with the settings, the output and the session log.

pub(crate) mod completions;
pub(crate) mod config;
pub(crate) mod dir;
pub(crate) mod get;
pub(crate) mod ls;
pub(crate) mod put;
pub(crate) mod raw;
pub(crate) mod rm;
pub(crate) mod sim;

use crate::cli::Command;
use crate::error::CliError;
use crate::output::Output;
use crate::password::{self, Password};
use crate::record::SharedLog;
use crate::runner::Modem;
use crate::settings::{Ftp, Settings};

/// What every subcommand gets.
pub(crate) struct Ctx {
    /// Flags, environment and config file.
    pub(crate) settings: Settings,
    /// Result lines and progress bars.
    pub(crate) out: Output,
    /// The AT log and the transcript.
    pub(crate) log: SharedLog,
}

impl Ctx {
    /// Opens the modem where the settings say it is.
    pub(crate) fn modem(&self) -> Result<Modem, CliError> {
        Modem::open(
            &self.settings.location()?,
            self.log.clone(),
            self.settings.timeout_scale,
        )
    }

    /// For the commands that log in: the FTP settings, the open modem and
    /// the password, in that order, so that a missing setting or device is
    /// reported before the password is asked for.
    pub(crate) fn login(&self) -> Result<(Ftp, Modem, Password), CliError> {
        let ftp = self.settings.ftp()?;
        // `--path` is checked as the listing's path would be, before the
        // modem is opened.
        crate::runner::check(|s| s.list(ftp.path.as_deref()))?;
        let modem = self.modem()?;
        let password = password::obtain(&self.settings, &ftp.user, &ftp.server)?;
        Ok((ftp, modem, password))
    }
}

/// Runs `command`. `completions` and `sim` are handled before a context
/// exists.
pub(crate) fn run(command: &Command, ctx: &mut Ctx) -> Result<(), CliError> {
    if ctx.settings.dialect == crate::cli::DialectArg::Simcom {
        return crate::simcom::run(command, ctx);
    }
    match command {
        Command::Put(args) => put::run(args, ctx),
        Command::Get(args) => get::run(args, ctx),
        Command::Ls(args) => ls::run(args, ctx),
        Command::Mkdir(args) => dir::run(dir::Op::Mkdir, args, ctx),
        Command::Rmdir(args) => dir::run(dir::Op::Rmdir, args, ctx),
        Command::Rm(args) => rm::run(args, ctx),
        Command::Config(args) => config::run(args, ctx),
        Command::Raw(args) => raw::run(args, ctx),
        Command::Completions(args) => {
            completions::run(args);
            Ok(())
        }
        Command::Sim(_) => {
            debug_assert!(false, "sim runs without a context");
            Err(CliError::Usage("sim runs on its own".to_owned()))
        }
    }
}
