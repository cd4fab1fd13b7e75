//! Password redaction for everything this crate writes.

/// The text that replaces a password.
pub(crate) const REDACTED: &[u8] = b"<redacted>";

/// Returns `bytes` with the value of every `AT+FTPPW=…` and `+FTPPW: …`
/// (any case, stray spaces) replaced by `<redacted>`, up to the line end.
///
/// ```
/// use cellftp_replay::redact_passwords;
/// assert_eq!(redact_passwords(b"AT+FTPPW=hunter2\r\nOK"), b"AT+FTPPW=<redacted>\r\nOK");
/// assert_eq!(redact_passwords(b"+FTPPW: s3cret\r\n"), b"+FTPPW: <redacted>\r\n");
/// ```
pub fn redact_passwords(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match value_start(bytes, i) {
            Some(start) => {
                out.extend_from_slice(bytes.get(i..start).unwrap_or_default());
                let end = bytes
                    .get(start..)
                    .and_then(|rest| rest.iter().position(|&b| b == b'\r' || b == b'\n'))
                    .map_or(bytes.len(), |p| start + p);
                if end > start {
                    out.extend_from_slice(REDACTED);
                }
                i = end;
            }
            None => {
                out.extend(bytes.get(i).copied());
                i += 1;
            }
        }
    }
    out
}

/// If `+FTPPW` (then spaces, then `=` or `:`, then spaces) starts at `at`,
/// where its value starts.
fn value_start(bytes: &[u8], at: usize) -> Option<usize> {
    let rest = bytes.get(at..)?;
    if rest.first() != Some(&b'+') {
        return None;
    }
    let mut j = 1;
    while rest.get(j) == Some(&b' ') {
        j += 1;
    }
    let name = rest.get(j..j + 5)?;
    if !name.eq_ignore_ascii_case(b"FTPPW") {
        return None;
    }
    j += 5;
    while rest.get(j) == Some(&b' ') {
        j += 1;
    }
    match rest.get(j) {
        Some(b'=' | b':') => j += 1,
        _ => return None,
    }
    // `AT+FTPPW=?` and `AT+FTPPW?` carry no value.
    if rest.get(j) == Some(&b'?') {
        return None;
    }
    while rest.get(j) == Some(&b' ') {
        j += 1;
    }
    Some(at + j)
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
}
