//! Password redaction for everything this crate writes, by the one rule of
//! `cellftp_proto::secret_ranges`: what the parser's `Debug` output hides,
//! transcripts hide too.

use cellftp_proto::{secret_ranges, REDACTED};

/// Returns `bytes` with every password value that
/// [`cellftp_proto::secret_ranges`] finds (`AT+FTPPW=…`, `+FTPPW: …`, and
/// lines naming a password such as `PASSWORD: …` in an `AT+FTPSCON`
/// report) replaced by `<redacted>`, up to the line end.
///
/// ```
/// use cellftp_replay::redact_passwords;
/// assert_eq!(redact_passwords(b"AT+FTPPW=hunter2\r\nOK"), b"AT+FTPPW=<redacted>\r\nOK");
/// assert_eq!(redact_passwords(b"+FTPPW: s3cret\r\n"), b"+FTPPW: <redacted>\r\n");
/// assert_eq!(redact_passwords(b"PASSWORD: hunter2\r\n"), b"PASSWORD: <redacted>\r\n");
/// ```
pub fn redact_passwords(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut shown = 0;
    for range in secret_ranges(bytes) {
        out.extend_from_slice(bytes.get(shown..range.start).unwrap_or_default());
        out.extend_from_slice(REDACTED.as_bytes());
        shown = range.end;
    }
    out.extend_from_slice(bytes.get(shown..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::redact_passwords as r;

    #[test]
    fn redacts_every_form() {
        assert_eq!(r(b"AT+ FTPPW =123\r"), b"AT+ FTPPW =<redacted>\r");
        assert_eq!(r(b"at+ftppw=a,b;c\r\n"), b"at+ftppw=<redacted>\r\n");
        assert_eq!(
            r(b"\r\n+FTPPW: 123\r\nOK\r\n"),
            b"\r\n+FTPPW: <redacted>\r\nOK\r\n"
        );
        assert_eq!(r(b"AT+FTPPW=?\r"), b"AT+FTPPW=?\r");
        assert_eq!(r(b"AT+FTPPW?\r"), b"AT+FTPPW?\r");
        assert_eq!(r(b"AT+FTPPUT=5,12345\r"), b"AT+FTPPUT=5,12345\r");
        assert_eq!(r(b"AT+FTPPW=secret"), b"AT+FTPPW=<redacted>");
    }

    #[test]
    fn redacts_what_the_parser_hides() {
        // An `AT+FTPSCON` report line naming the password, as the parser's
        // Debug output hides it.
        assert_eq!(
            r(b"\r\n+FTPSCON:\r\nPASSWORD: hunter2\r\nuser: xs\r\n"),
            b"\r\n+FTPSCON:\r\nPASSWORD: <redacted>\r\nuser: xs\r\n"
        );
        // A password that starts with `?` is still a password.
        assert_eq!(r(b"AT+FTPPW=?x\r"), b"AT+FTPPW=<redacted>\r");
        // Redacting twice changes nothing.
        let once = r(b"AT+FTPPW=1\r\npw: 2\r\n");
        assert_eq!(r(&once), once);
    }
}
