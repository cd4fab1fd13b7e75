//! Generated transcripts for the replay benchmark: variations of the
//! manual's example session (server, names, sizes, resume offsets), each a
//! complete recording with expected outcomes, as `cargo xtask replay` reads
//! them.

use cellftp_proto::{Mode, TransferType};
use cellftp_replay::{JobSpec, Record, Transcript};

/// The `i`th generated transcript, as text.
pub fn generated(i: u32) -> String {
    let size = (i as usize * 37) % 1500 + 1;
    let data: Vec<u8> = (0..size).map(|k| (k as u32 * 31 + i) as u8).collect();
    let offset = (i as usize * 13) % size;
    let name = format!("f{i}.bin");
    let server = format!("10.{}.{}.1", (i >> 8) & 0xff, i & 0xff);
    let ok = || Record::Received(b"\r\nOK\r\n".to_vec());
    let sent = |s: &str| Record::Sent(s.as_bytes().to_vec());
    let mut r = vec![
        Record::Comment(format!("generated transcript {i}")),
        Record::Job(JobSpec::Configure {
            server: server.clone(),
            port: None,
            mode: Mode::Passive,
            transfer_type: TransferType::Binary,
            user: format!("u{i}"),
            password: "<redacted>".into(),
            path: None,
        }),
        Record::Job(JobSpec::Put {
            name: name.clone(),
            data: data.clone(),
        }),
        Record::Job(JobSpec::Get {
            name: name.clone(),
            offset: offset as u32,
        }),
        Record::Job(JobSpec::List(None)),
        sent("AT+FTPMODE=1\r"),
        ok(),
        sent(&format!("AT+FTPSERV={server}\r")),
        Record::Received(b"\r\n+FTPSERV:0\r\n\r\nOK\r\n".to_vec()),
        sent(&format!("AT+FTPUN=u{i}\r")),
        ok(),
        sent("AT+FTPPW=<redacted>\r"),
        ok(),
        sent("AT+FTPTYPE=I\r"),
        ok(),
        sent(&format!("AT+FTPPUTNAME={name}\r")),
        ok(),
    ];
    for chunk in data.chunks(512) {
        let mut bytes = format!("AT+FTPPUT={},", chunk.len()).into_bytes();
        bytes.extend_from_slice(chunk);
        bytes.push(b'\r');
        r.push(Record::Sent(bytes));
        r.push(ok());
    }
    r.push(sent("AT+FTPPUT=0\r"));
    r.push(ok());
    r.push(sent(&format!("AT+FTPGETNAME={name}\r")));
    r.push(ok());
    if offset != 0 {
        r.push(sent(&format!("AT+FTPRESET={offset}\r")));
        r.push(ok());
    }
    r.push(sent("AT+FTPGET\r"));
    let rest = data.get(offset..).unwrap_or_default();
    let mut answer = Vec::new();
    for chunk in rest.chunks(300) {
        answer.extend_from_slice(format!("\r\n+FTPGET:{},", chunk.len()).as_bytes());
        answer.extend_from_slice(chunk);
        answer.extend_from_slice(b"\r\n");
    }
    answer.extend_from_slice(b"\r\nOK\r\n");
    r.push(Record::Received(answer));
    let line = format!("-rw-r--r--  1 ftp ftp {size:>6} Nov 23 12:00 {name}");
    r.push(sent("AT+FTPLIST\r"));
    let mut listing = format!("\r\n+FTPLIST:1,{}\r\n", line.len()).into_bytes();
    listing.extend_from_slice(line.as_bytes());
    listing.extend_from_slice(b"\r\nOK\r\n");
    r.push(Record::Received(listing));
    for (job, result) in [
        "Ok(Configured)".to_owned(),
        format!("Ok(Uploaded {{ bytes: {size} }})"),
        format!(
            "Ok(Downloaded {{ offset: {offset}, bytes: {} }})",
            rest.len()
        ),
        "Ok(Listed { entries: 1, lines: 1 })".to_owned(),
    ]
    .into_iter()
    .enumerate()
    {
        r.push(Record::Expect {
            job: job as u32,
            result,
        });
    }
    Transcript { records: r }.to_text()
}
