//! Modem items as a report names them: the line as it was sent where the
//! item has it (escaped, passwords redacted, cut), a phrase otherwise;
//! never Rust `Debug` text.

use cellftp_proto::{CmeError, Response, ResultCode, Urc};

use crate::redact_passwords;
use crate::report::UnsolicitedKind as Kind;
use crate::transcript::escape;

/// The most bytes of a line shown.
const SHOWN: usize = 60;

/// `bytes`, redacted, escaped and cut, in backticks.
fn quoted(bytes: &[u8]) -> String {
    let cut = bytes.get(..SHOWN).unwrap_or(bytes);
    let dots = if cut.len() < bytes.len() { "…" } else { "" };
    format!("`{}`{dots}", escape(&redact_passwords(cut)))
}

fn cme(prefix: &str, e: &CmeError<'_>) -> String {
    match e {
        CmeError::Code(c) => format!("`{prefix}: {c}`"),
        CmeError::Text(t) => {
            let t = t.get(..SHOWN).unwrap_or(t);
            format!("`{prefix}: {}`", escape(&redact_passwords(t)))
        }
    }
}

/// A modem item of the first dialect, and what kind of unsolicited line it
/// would be.
pub(crate) fn response(r: &Response<'_>) -> (String, Kind) {
    let text = match r {
        Response::Ok => "`OK`".to_owned(),
        Response::Error => "`ERROR`".to_owned(),
        Response::CmeError(e) => cme("+CME ERROR", e),
        Response::CmsError(e) => cme("+CMS ERROR", e),
        Response::ResultCode(c) => match c {
            ResultCode::NoCarrier => "`NO CARRIER`".to_owned(),
            ResultCode::Busy => "`BUSY`".to_owned(),
            ResultCode::NoAnswer => "`NO ANSWER`".to_owned(),
            ResultCode::NoDialtone => "`NO DIALTONE`".to_owned(),
            _ => "a result code".to_owned(),
        },
        Response::ServResult(s) => format!("`+FTPSERV:{}`", s.code()),
        Response::FtpGet { len, data } => {
            format!("`+FTPGET:…,{len}` and {} of data", bytes(data.len()))
        }
        Response::Continuation(d) | Response::ListLine(d) => {
            format!("the data line {}", quoted(d))
        }
        Response::FtpList { mode, len } => format!("`+FTPLIST:{mode},{len}`"),
        Response::Info(_) => "an information line (the answer to a command)".to_owned(),
        Response::Echo(_) => "the echo of a command".to_owned(),
        Response::Urc(u) => {
            return (
                match u {
                    Urc::Ready => "the modem's ready report".to_owned(),
                    Urc::Cpin(s) => format!("`+CPIN: {}`", escape(s.get(..SHOWN).unwrap_or(s))),
                    Urc::Cfun(n) => format!("`+CFUN: {n}`"),
                    Urc::PowerDown(s) => format!("the power-down report {}", quoted(s)),
                    Urc::Cgev(s) => format!("`+CGEV: {}`", escape(s.get(..SHOWN).unwrap_or(s))),
                    Urc::PdpDeact => "the report that the PDP context was deactivated".to_owned(),
                    _ => "an unsolicited report".to_owned(),
                },
                Kind::Report,
            )
        }
        Response::Unknown(l) => return unparsed(l),
        Response::Overlong(l) => return overlong(l),
        _ => "a response".to_owned(),
    };
    (text, Kind::Unattributed)
}

/// A modem item of the SIMCom dialect, and what kind of unsolicited line
/// it would be.
pub(crate) fn simcom_response(r: &cellftp_proto::simcom::Response<'_>) -> (String, Kind) {
    use cellftp_proto::simcom::{ReadOp, Response as R};
    let text = match r {
        R::Ok => "`OK`".to_owned(),
        R::Error => "`ERROR`".to_owned(),
        R::CmeError(e) => cme("+CME ERROR", e),
        R::CmsError(e) => cme("+CMS ERROR", e),
        R::ReadHeader { op, len } => match op {
            ReadOp::Get => format!("a download header announcing {}", bytes(*len as usize)),
            _ => format!("a listing header announcing {}", bytes(*len as usize)),
        },
        R::Data(d) => format!("{} of data", bytes(d.len())),
        R::PutHeader { cnf } => format!("an upload header confirming {}", bytes(*cnf as usize)),
        R::Urc(_) => return ("an unsolicited report".to_owned(), Kind::Report),
        R::Info(_) => "an information line (the answer to a command)".to_owned(),
        R::Echo(_) => "the echo of a command".to_owned(),
        R::Unknown(l) => return unparsed(l),
        R::Overlong(l) => return overlong(l),
        _ => "a response".to_owned(),
    };
    (text, Kind::Unattributed)
}

/// A line that does not parse as any response.
fn unparsed(line: &[u8]) -> (String, Kind) {
    let text = format!("{}, which does not parse as any response", quoted(line));
    (text, Kind::Unparsed)
}

/// The first part of a line longer than any response.
fn overlong(line: &[u8]) -> (String, Kind) {
    let text = format!(
        "a line longer than any response ({}, starting {})",
        bytes(line.len()),
        quoted(line)
    );
    (text, Kind::Unparsed)
}

fn bytes(n: usize) -> String {
    crate::check::counted(n as u64, "byte", "bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_read_as_sentences_not_debug() {
        assert_eq!(
            response(&Response::Unknown(b"+XYZ")),
            (
                "`+XYZ`, which does not parse as any response".to_owned(),
                Kind::Unparsed
            )
        );
        assert_eq!(
            response(&Response::Urc(Urc::Cpin(b"READY"))),
            ("`+CPIN: READY`".to_owned(), Kind::Report)
        );
        let long = [b'x'; 1024];
        let (text, kind) = response(&Response::Overlong(&long));
        assert_eq!(kind, Kind::Unparsed);
        assert!(
            text.starts_with("a line longer than any response (1024 bytes"),
            "{text}"
        );
        assert!(!text.contains("Overlong"), "{text}");
        assert_eq!(
            response(&Response::Error),
            ("`ERROR`".to_owned(), Kind::Unattributed)
        );
    }
}
