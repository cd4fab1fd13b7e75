//! Where the password comes from: `--password-file`, `CELLFTP_PASSWORD`,
//! the config file's `password-file`, or a prompt on the terminal without
//! echo. It is held in a [`Zeroizing`] string, wiped when dropped, and never
//! put into a message.

use std::io::Read as _;
use std::path::Path;

use zeroize::Zeroizing;

use crate::error::CliError;
use crate::settings::Settings;

/// The environment variable that holds the password.
pub(crate) const PASSWORD_ENV: &str = "CELLFTP_PASSWORD";

/// A password, wiped from memory when dropped.
pub(crate) type Password = Zeroizing<String>;

/// Finds the password for `user` at `server`.
pub(crate) fn obtain(settings: &Settings, user: &str, server: &str) -> Result<Password, CliError> {
    if let Some(path) = settings.password_file_flag() {
        return from_file(path);
    }
    if let Some(value) = std::env::var_os(PASSWORD_ENV) {
        return match value.into_string() {
            Ok(s) => Ok(Zeroizing::new(s)),
            Err(_) => Err(CliError::Usage(format!(
                "{PASSWORD_ENV} is not valid UTF-8"
            ))),
        };
    }
    if let Some(path) = settings.password_file_fallback() {
        return from_file(path);
    }
    match rpassword::prompt_password(format!("Password for {user} at {server}: ")) {
        Ok(p) => Ok(Zeroizing::new(p)),
        Err(_) => Err(CliError::Usage(format!(
            "no password: set {PASSWORD_ENV}, give --password-file FILE, or run cellftp in a terminal to be asked for it"
        ))),
    }
}

/// The first line of `path`, without its line end.
fn from_file(path: &Path) -> Result<Password, CliError> {
    let mut bytes = Zeroizing::new(Vec::new());
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| {
            CliError::local(
                format!("cannot read the password file {}", path.display()),
                e,
            )
        })?;
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    match std::str::from_utf8(line) {
        Ok(s) => Ok(Zeroizing::new(s.to_owned())),
        Err(_) => Err(CliError::Usage(format!(
            "the password file {} is not UTF-8 text",
            path.display()
        ))),
    }
}
