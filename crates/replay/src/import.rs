//! Importers: captured serial logs to [`Transcript`]s.
//!
//! - [`terminal`]: a plain capture of what a terminal showed (minicom,
//!   PuTTY, the manual's example): lines starting with `AT` are what the
//!   host typed, every other line is the modem's, a blank line or a command
//!   ends a response block. `//` comments after a command are dropped.
//! - [`socat`]: the text trace of `socat -v`: `> ` / `< ` headers with a
//!   timestamp and `length=`, then the data with CR shown as `\r`.
//!
//! Every importer redacts passwords.

use crate::redact::redact_passwords;
use crate::transcript::{Record, Transcript};

/// Which importer reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// The transcript format itself.
    Transcript,
    /// A plain terminal capture.
    Terminal,
    /// A `socat -v` trace.
    Socat,
}

impl Format {
    /// Guesses the format from a file's name and first lines.
    pub fn detect(name: &str, text: &str) -> Format {
        if name.ends_with(".cftx") {
            return Format::Transcript;
        }
        let socat = text
            .lines()
            .take(5)
            .any(|l| (l.starts_with("> ") || l.starts_with("< ")) && l.contains("length="));
        if socat {
            Format::Socat
        } else {
            Format::Terminal
        }
    }
}

/// Reads a plain terminal capture.
///
/// ```
/// use cellftp_replay::import::terminal;
/// use cellftp_replay::Record;
/// let t = terminal("AT+FTPMODE=1  //passive\nOK\n");
/// assert_eq!(t.records, [
///     Record::Sent(b"AT+FTPMODE=1\r".to_vec()),
///     Record::Received(b"\r\nOK\r\n".to_vec()),
/// ]);
/// ```
pub fn terminal(text: &str) -> Transcript {
    let mut records = Vec::new();
    let mut block: Vec<u8> = Vec::new();
    let flush = |block: &mut Vec<u8>, records: &mut Vec<Record>| {
        if !block.is_empty() {
            let mut bytes = b"\r\n".to_vec();
            bytes.append(block);
            records.push(Record::Received(redact_passwords(&bytes)));
        }
    };
    for line in text.lines() {
        let trimmed = line.trim();
        let is_command = trimmed
            .get(..2)
            .is_some_and(|p| p.eq_ignore_ascii_case("AT"));
        if is_command {
            flush(&mut block, &mut records);
            let command = trimmed.split("//").next().unwrap_or_default().trim_end();
            let mut bytes = command.as_bytes().to_vec();
            bytes.push(b'\r');
            records.push(Record::Sent(redact_passwords(&bytes)));
        } else if trimmed.is_empty() {
            flush(&mut block, &mut records);
        } else {
            block.extend_from_slice(line.trim_end().as_bytes());
            block.extend_from_slice(b"\r\n");
        }
    }
    flush(&mut block, &mut records);
    Transcript { records }
}

/// Reads a `socat -v` trace (`socat -v /dev/ttyUSB0,raw PTY,link=…`).
///
/// Each chunk starts with a header line `> 2024/05/01 12:00:00.123456
/// length=13 from=0 to=12` (`>` host to modem, `<` modem to host); the data
/// follows with CR written as `\r`, LF as a line break, other bytes as
/// themselves. Timestamps become `@` records relative to the first one.
///
/// ```
/// use cellftp_replay::import::socat;
/// use cellftp_replay::Record;
/// let log = "> 2024/05/01 12:00:00.000000  length=13 from=0 to=12\nAT+FTPMODE=1\\r\n\
///            < 2024/05/01 12:00:00.020000  length=6 from=0 to=5\n\\r\nOK\\r\n";
/// let t = socat(log);
/// assert_eq!(t.records, [
///     Record::Time(0),
///     Record::Sent(b"AT+FTPMODE=1\r".to_vec()),
///     Record::Time(20),
///     Record::Received(b"\r\nOK\r\n".to_vec()),
/// ]);
/// ```
pub fn socat(text: &str) -> Transcript {
    let mut records = Vec::new();
    let mut first: Option<u64> = None;
    let mut current: Option<(bool, usize, Vec<u8>)> = None;
    let finish = |c: &mut Option<(bool, usize, Vec<u8>)>, records: &mut Vec<Record>| {
        if let Some((sent, _, data)) = c.take() {
            let data = redact_passwords(&data);
            records.push(if sent {
                Record::Sent(data)
            } else {
                Record::Received(data)
            });
        }
    };
    for line in text.split_inclusive('\n') {
        if let Some((sent, len, ms)) = socat_header(line) {
            finish(&mut current, &mut records);
            if let Some(ms) = ms {
                let base = *first.get_or_insert(ms);
                records.push(Record::Time(ms.saturating_sub(base)));
            }
            current = Some((sent, len, Vec::new()));
            continue;
        }
        if let Some((_, len, data)) = current.as_mut() {
            data.extend_from_slice(line.replace("\\r", "\r").as_bytes());
            if data.len() >= *len {
                data.truncate(*len);
                finish(&mut current, &mut records);
            }
        }
    }
    finish(&mut current, &mut records);
    Transcript { records }
}

/// `> 2024/05/01 12:00:00.123456  length=13 from=0 to=12`: direction,
/// length, and the time of day in ms.
fn socat_header(line: &str) -> Option<(bool, usize, Option<u64>)> {
    let sent = match line.get(..2)? {
        "> " => true,
        "< " => false,
        _ => return None,
    };
    let mut words = line.get(2..)?.split_whitespace();
    let _date = words.next()?;
    let time = words.next()?;
    let len = words
        .find_map(|w| w.strip_prefix("length="))?
        .parse()
        .ok()?;
    Some((sent, len, time_of_day_ms(time)))
}

fn time_of_day_ms(t: &str) -> Option<u64> {
    let (hms, frac) = t.split_once('.').unwrap_or((t, "0"));
    let mut parts = hms.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (parts.next()??, parts.next()??, parts.next()??);
    let micros: u64 = format!("{frac:0<6}").get(..6)?.parse().ok()?;
    // Every number comes from the log: checked, so an absurd time is "no
    // time", never an overflow.
    h.checked_mul(60)?
        .checked_add(m)?
        .checked_mul(60)?
        .checked_add(s)?
        .checked_mul(1000)?
        .checked_add(micros / 1000)
}

/// Reads `text` in the format `name` and its content suggest.
pub fn any(name: &str, text: &str) -> Result<Transcript, crate::ParseError> {
    match Format::detect(name, text) {
        Format::Transcript => Transcript::parse(text),
        Format::Terminal => Ok(terminal(text)),
        Format::Socat => Ok(socat(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_reads_the_manuals_example() {
        let t = terminal(
            "AT+FTPSERV=47.104.157.10  //连接FTP服务器\n+FTPSERV:0\nOK\n\nAT+FTPPW=123  //设置密码\nOK\n\nAT+FTPLIST //读取文件目录列表\n+FTPLIST:1,48\n-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\nOK\n",
        );
        assert_eq!(
            t.records,
            vec![
                Record::Sent(b"AT+FTPSERV=47.104.157.10\r".to_vec()),
                Record::Received(b"\r\n+FTPSERV:0\r\nOK\r\n".to_vec()),
                Record::Sent(b"AT+FTPPW=<redacted>\r".to_vec()),
                Record::Received(b"\r\nOK\r\n".to_vec()),
                Record::Sent(b"AT+FTPLIST\r".to_vec()),
                Record::Received(
                    b"\r\n+FTPLIST:1,48\r\n-rw-rw-r--  1 xisen xisen  5 Sep 30 01:52 12.txt\r\nOK\r\n"
                        .to_vec()
                ),
            ]
        );
    }

    #[test]
    fn socat_handles_multi_line_chunks_and_redacts() {
        let log = "> 2024/05/01 23:59:59.990000  length=16 from=0 to=15\nAT+FTPPW=secret\\r\n< 2024/05/02 00:00:00.010000  length=17 from=0 to=16\n\\r\n+FTPGET:1,x\\r\n\\r\n";
        let t = socat(log);
        assert!(!format!("{t:?}").contains("secret"));
        assert_eq!(
            t.records[1],
            Record::Sent(b"AT+FTPPW=<redacted>\r".to_vec())
        );
        assert_eq!(
            t.records[3],
            Record::Received(b"\r\n+FTPGET:1,x\r\n\r\n".to_vec())
        );
    }

    #[test]
    fn detects_formats() {
        assert_eq!(Format::detect("a.cftx", ""), Format::Transcript);
        assert_eq!(
            Format::detect("a.log", "> 2024/05/01 12:00:00.0 length=3 from=0 to=2\n"),
            Format::Socat
        );
        assert_eq!(Format::detect("a.log", "AT\nOK\n"), Format::Terminal);
    }

    #[test]
    fn importers_never_panic_on_garbage() {
        for text in [
            "",
            "> ",
            "> x y length=99999999999999999999",
            "< 1 2 length=3\nab",
            "\u{0}\u{7f}AT\r",
            "> 2024/05/01 9999999999999:47:00.000725  length=2 from=0 to=1\nAT",
            "> 2024/05/01 18446744073709551615:59:59.999999  length=2 from=0 to=1\nAT",
        ] {
            let _ = terminal(text);
            let _ = socat(text);
        }
    }
}
