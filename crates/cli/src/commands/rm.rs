//! `rm`: delete a file on the server. Only the SIMCom dialect has a delete
//! command (`AT+FTPDELE`); with the manual's modem it is refused.

use clap::Args;

use super::Ctx;
use crate::error::CliError;

/// `rm`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct RmArgs {
    /// The server file to delete (relative to --path, or absolute).
    pub(crate) remote: String,
}

/// With the manual's modem: refused (the SIMCom dialect runs `rm` in
/// [`crate::simcom`]).
pub(crate) fn run(_args: &RmArgs, _ctx: &mut Ctx) -> Result<(), CliError> {
    Err(CliError::Usage(
        "rm is not supported by the manual's modem (its command set has no delete); \
         it works with --dialect simcom"
            .to_owned(),
    ))
}
