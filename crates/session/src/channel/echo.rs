//! Echo recognised by what was sent: with echo on (`ATE1`, and after every
//! restart) the modem repeats each command line before answering it. The
//! channel knows the line in flight ([`super::Channel::sent_line`]); a line
//! from the modem that repeats it is its echo, whatever the decoder made of
//! it.

/// True if `line`, a line from the modem, is the echo of `sent`, the command
/// line just sent: the same bytes without regard to case or spaces, after
/// any bytes that are not printable ASCII at its start (line noise).
pub(crate) fn is_echo_of(line: &[u8], sent: &[u8]) -> bool {
    let sent = sent.strip_suffix(b"\r").unwrap_or(sent);
    if sent.is_empty() {
        return false;
    }
    let start = line
        .iter()
        .position(u8::is_ascii_graphic)
        .unwrap_or(line.len());
    let line = line.get(start..).unwrap_or_default();
    let mut a = line.iter().filter(|&&b| b != b' ');
    let mut b = sent.iter().filter(|&&b| b != b' ');
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
            _ => return false,
        }
    }
}

/// True if `line`, a line from the modem, is the echo of an `AT+FTPPW`
/// command (the password's), whenever it comes: `AT+FTPPW` without regard
/// to case or spaces, after any bytes that are not printable ASCII at its
/// start, as [`is_echo_of`] reads it.
pub(crate) fn is_password_echo(line: &[u8]) -> bool {
    let start = line
        .iter()
        .position(u8::is_ascii_graphic)
        .unwrap_or(line.len());
    let line = line.get(start..).unwrap_or_default();
    let mut bytes = line.iter().filter(|&&b| b != b' ');
    b"AT+FTPPW"
        .iter()
        .all(|want| bytes.next().is_some_and(|b| b.eq_ignore_ascii_case(want)))
}

#[cfg(test)]
mod tests {
    use super::{is_echo_of, is_password_echo};

    #[test]
    fn password_echoes() {
        for line in [
            &b"AT+FTPPW=x"[..],
            b"at+ftppw=x",
            b"\0\xffAT + FTPPW = x",
            b"AT+FTPPW",
        ] {
            assert!(is_password_echo(line), "{}", line.escape_ascii());
        }
        for line in [&b"AT+FTPP=x"[..], b"AT+FTPUN=x", b"+FTPPW: x", b"", b"AT"] {
            assert!(!is_password_echo(line), "{}", line.escape_ascii());
        }
    }

    #[test]
    fn echo_is_the_line_sent_whatever_its_case_spaces_and_leading_noise() {
        assert!(is_echo_of(b"AT+FTPGET=1", b"AT+FTPGET=1\r"));
        assert!(is_echo_of(b"at+ftpget = 1", b"AT+FTPGET=1\r"));
        assert!(is_echo_of(b"\x00\xffAT+FTPGET=1", b"AT+FTPGET=1\r"));
        assert!(!is_echo_of(b"AT+FTPGET=2", b"AT+FTPGET=1\r"));
        assert!(!is_echo_of(b"AT+FTPGET=1", b"\r"));
        assert!(!is_echo_of(b"", b""));
    }
}
