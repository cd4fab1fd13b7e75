//! Scenario: a slow modem answers bring-up's first `AT` after its deadline,
//! when the second copy is already sent, and then answers the second copy
//! too. Which copy the first `OK` answered is unknown, so the session gets
//! in step again (the numbered `AT+FTPGETNAME` probe) before `ATE0`: the
//! second `OK` is reported as stale and answers nothing later, and the
//! refused APN fails bring-up (`SPEC-simcom.md` §6 item 36). Before, each
//! step took the previous step's answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use core::time::Duration;

use cellftp_proto::simcom::CommandName;
use cellftp_session::simcom::{BearerConfig, JobError, Session};
use cellftp_session::testing::{Exchange, ScriptedModem};
use cellftp_session::ModemError;
use simcom_common::*;

#[test]
fn a_retried_probe_answered_twice_is_never_mispaired() {
    let mut modem = ScriptedModem::new();
    modem
        // The first copy is not answered in time...
        .expect(b"AT\r", b"")
        // ...but is answered, then the second copy, 300 ms later.
        .exchange(Exchange::split(
            b"AT\r",
            &[(Duration::ZERO, OK), (Duration::from_millis(300), OK)],
        ));
    expect_resync(&mut modem, 1);
    modem
        .expect(b"ATE0\r", OK)
        .expect(b"AT+SAPBR=3,1,\"Contype\",\"GPRS\"\r", OK)
        .expect(b"AT+SAPBR=3,1,\"APN\",\"internet\"\r", b"\r\nERROR\r\n");
    let mut session = Session::default();
    let job = session
        .bring_up(&BearerConfig {
            apn: "internet",
            user: None,
            password: None,
        })
        .unwrap();
    let (_, log) = run(&mut session, &mut modem, b"");
    assert_eq!(
        log.done,
        [(
            job,
            Err(JobError::Modem {
                command: CommandName::Sapbr,
                error: ModemError::Error,
            })
        )],
        "{:#?}",
        log.events
    );
}
