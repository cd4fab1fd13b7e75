//! `cellftp config`: the modem's FTP configuration report (`AT+FTPSCON`),
//! one item a line as the modem wrote it, the password hidden. Needs no
//! server and no login.

use cellftp_replay::{redact_passwords, JobSpec};
use cellftp_session::driver::Handler;
use cellftp_session::proto::{Info, InfoValue};
use cellftp_session::{CommandName, Event, JobId, Response};
use clap::Args;

use super::Ctx;
use crate::error::CliError;

/// `config`'s arguments (none).
#[derive(Debug, Args)]
pub(crate) struct ConfigArgs {}

/// Asks the modem for its configuration report and prints it.
pub(crate) fn run(_args: &ConfigArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let mut modem = ctx.modem()?;
    if ctx.settings.bring_up {
        modem.bring_up()?;
    }
    let mut report = Report(Vec::new());
    let result = modem.run(|s| s.query_config(), JobSpec::QueryConfig, &mut report)?;
    result.map_err(|e| CliError::Job(modem.failure(e)))?;
    if !ctx.out.quiet {
        let mut text = String::new();
        for line in &report.0 {
            text.push_str(line);
            text.push('\n');
        }
        crate::output::print(&text)?;
    }
    Ok(())
}

/// The report's lines.
struct Report(Vec<String>);

impl Handler for Report {
    fn event(&mut self, event: &Event<'_>) {
        if let Event::Config { item, .. } = event {
            if let Some(line) = line(item) {
                self.0.push(line);
            }
        }
    }

    fn fill(&mut self, _job: JobId, _buf: &mut [u8]) -> usize {
        0
    }
}

/// One report item as a line, password values hidden by the one rule
/// (`cellftp_proto::secret_ranges`); `None` for the report's own header.
fn line(item: &Response<'_>) -> Option<String> {
    let bytes: Vec<u8> = match item {
        Response::Info(Info {
            name: CommandName::FtpScon,
            value: InfoValue::Empty,
        }) => return None,
        Response::Info(Info { name, value }) => {
            let mut l = format!("{name}").into_bytes();
            // `AT+FTPMODE` → `+FTPMODE`.
            l.drain(..2.min(l.len()));
            l.extend_from_slice(b": ");
            match value {
                InfoValue::Empty => {}
                InfoValue::Number(n) => l.extend_from_slice(n.to_string().as_bytes()),
                InfoValue::Range(r) => {
                    l.push(b'(');
                    l.extend_from_slice(r);
                    l.push(b')');
                }
                InfoValue::Placeholder(p) => {
                    l.push(b'<');
                    l.extend_from_slice(p);
                    l.push(b'>');
                }
                InfoValue::Text(t) => l.extend_from_slice(t),
            }
            if *name == CommandName::FtpPw && !matches!(value, InfoValue::Empty) {
                return Some("+FTPPW: <redacted>".to_owned());
            }
            l
        }
        Response::Unknown(l) | Response::ListLine(l) => l.to_vec(),
        other => format!("{other:?}").into_bytes(),
    };
    let shown = redact_passwords(&bytes);
    Some(String::from_utf8_lossy(&shown).trim_end().to_owned())
}
