//! Scenario: answers that lack what their command must give. A bearer
//! status query answered `OK` alone, then one whose `+SAPBR` line has no
//! status, fail bring-up; a listing read answered `OK` without its header
//! fails the list (and the session recovers after it). Each error names
//! the answer expected and what came.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_session::simcom::{
    Answer, BearerConfig, CommandName, Instead, JobError, ProtocolError, ReadOp, Session,
};
use cellftp_session::testing::ScriptedModem;
use simcom_common::*;

fn bad(command: CommandName, expected: Answer, came: Instead) -> Result<(), JobError> {
    Err(JobError::Protocol {
        command,
        error: ProtocolError::BadAnswer { expected, came },
    })
}

#[test]
fn answers_without_what_their_command_gives_fail_the_job() {
    let mut modem = ScriptedModem::new();
    for status in [OK, &[&line("+SAPBR: 1")[..], OK].concat()] {
        modem
            .expect(b"AT\r", OK)
            .expect(b"ATE0\r", OK)
            .expect(b"AT+SAPBR=3,1,\"Contype\",\"GPRS\"\r", OK)
            .expect(b"AT+SAPBR=3,1,\"APN\",\"internet\"\r", OK)
            .expect(b"AT+SAPBR=2,1\r", status);
    }
    modem
        .expect(b"AT+FTPGETPATH=\"/pub/\"\r", OK)
        .expect(
            b"AT+FTPLIST=1\r",
            &[OK, &line("+FTPLIST: 1,1")[..]].concat(),
        )
        .expect(b"AT+FTPLIST=2,1460\r", OK)
        // The listing may still run: the session recovers (`SPEC-simcom.md`
        // §4.6) before any next job.
        .expect(b"AT+FTPSTATE\r", &[&line("+FTPSTATE: 0")[..], OK].concat());
    let mut session = Session::default();
    let bearer = BearerConfig {
        apn: "internet",
        ..BearerConfig::default()
    };
    let alone = session.bring_up(&bearer).unwrap();
    let no_status = session.bring_up(&bearer).unwrap();
    let list = session.list("/pub/").unwrap();
    let (_, log) = run(&mut session, &mut modem, b"");
    let done: Vec<_> = log
        .done
        .iter()
        .map(|(job, result)| (*job, result.map(|_| ())))
        .collect();
    assert_eq!(
        done,
        [
            (
                alone,
                bad(CommandName::Sapbr, Answer::BearerStatus, Instead::OkAlone)
            ),
            (
                no_status,
                bad(CommandName::Sapbr, Answer::BearerStatus, Instead::NoStatus)
            ),
            (
                list,
                bad(
                    CommandName::FtpList,
                    Answer::ReadHeader(ReadOp::List),
                    Instead::OkAlone
                )
            ),
        ]
    );
    let (_, error) = &log.done[2];
    assert_eq!(
        error.unwrap_err().to_string(),
        "protocol error during AT+FTPLIST: expected the read header +FTPLIST: 2,<len>, \
         but OK came without it"
    );
}
