//! `cellftp mkdir DIR` and `cellftp rmdir DIR`.

use cellftp_replay::JobSpec;
use clap::Args;

use super::Ctx;
use crate::error::CliError;
use crate::runner::Quiet;

/// `mkdir`'s and `rmdir`'s argument.
#[derive(Debug, Args)]
pub(crate) struct DirArgs {
    /// The directory on the server.
    pub(crate) dir: String,
}

/// Which of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// Create.
    Mkdir,
    /// Remove.
    Rmdir,
}

/// Creates or removes the directory.
pub(crate) fn run(op: Op, args: &DirArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let dir = args.dir.as_str();
    crate::runner::check(|s| match op {
        Op::Mkdir => s.mkdir(dir),
        Op::Rmdir => s.rmdir(dir),
    })?;
    let (ftp, mut modem, password) = ctx.login()?;
    let (spec, done) = match op {
        Op::Mkdir => (JobSpec::Mkdir(dir.to_owned()), "created"),
        Op::Rmdir => (JobSpec::Rmdir(dir.to_owned()), "removed"),
    };
    modem.ftp_job(
        &ftp,
        &password,
        ctx.settings.bring_up,
        |s| match op {
            Op::Mkdir => s.mkdir(dir),
            Op::Rmdir => s.rmdir(dir),
        },
        spec,
        &mut Quiet,
    )?;
    ctx.out.say(&format!("{done} directory {dir}"))?;
    Ok(())
}
