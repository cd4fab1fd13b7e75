#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! How the modem's answers fail a job: each failure final result (`ERROR`,
//! `+CME ERROR`, `+CMS ERROR`) at each command of every job, and responses
//! that belong to another command, which fail the job at once.

#[macro_use]
mod harness;

use cellftp_proto::CommandName;
use cellftp_session::{
    BringUp, ErrorText, FtpConfig, JobError, Link, ModemError, ProtocolError, ResponseKind,
};
use harness::*;

/// Commands, the modem's answers, and the names the errors carry.
type Script = &'static [(&'static [u8], &'static [u8], CommandName)];

/// Each failure final result, on commands of every job.
#[test]
fn modem_errors_on_every_job() {
    let finals: [(&[u8], ModemError); 6] = [
        (b"\r\nERROR\r\n", ModemError::Error),
        (
            b"\r\n+CME ERROR: 10\r\n",
            ModemError::Cme { code: Some(10) },
        ),
        (
            b"\r\n+CME ERROR: SIM not inserted\r\n",
            ModemError::Cme { code: Some(10) },
        ),
        (
            b"\r\n+CME ERROR: SIM PUK required\r\n",
            ModemError::CmeText(ErrorText::new(b"SIM PUK required")),
        ),
        (
            b"\r\n+CMS ERROR: 500\r\n",
            ModemError::Cms { code: Some(500) },
        ),
        (
            b"\r\n+CMS ERROR: unknown error\r\n",
            ModemError::CmsText(ErrorText::new(b"unknown error")),
        ),
    ];
    for (answer, error) in finals {
        // Bring-up: at each of its four commands.
        let script: [&[u8]; 4] = [b"AT\r", b"ATE0\r", b"AT+CFUN=1\r", b"AT+CGACT=1,1\r"];
        let names = [
            CommandName::At,
            CommandName::Echo,
            CommandName::Cfun,
            CommandName::Cgact,
        ];
        for fail_at in 0..script.len() {
            let mut h = Harness::default();
            let job = h.queue(|s| s.bring_up(BringUp::default()));
            for command in &script[..fail_at] {
                exchange!(h, command => OK);
            }
            exchange!(h, script[fail_at] => answer);
            events!(h, failed(job, modem(names[fail_at], error)));
            h.end();
        }

        // Configure: at each of its commands.
        let script: [(&[u8], &[u8], CommandName); 7] = [
            (b"AT+FTPPORT=15881\r", OK, CommandName::FtpPort),
            (b"AT+FTPMODE=1\r", OK, CommandName::FtpMode),
            (
                b"AT+FTPSERV=47.104.157.10\r",
                b"\r\n+FTPSERV:0\r\n\r\nOK\r\n",
                CommandName::FtpServ,
            ),
            (b"AT+FTPUN=xs\r", OK, CommandName::FtpUn),
            (b"AT+FTPPW=123\r", OK, CommandName::FtpPw),
            (b"AT+FTPTYPE=I\r", OK, CommandName::FtpType),
            (b"AT+FTPPATH=/docs\r", OK, CommandName::FtpPath),
        ];
        for fail_at in 0..script.len() {
            let mut h = Harness::default();
            let job = h.queue(|s| {
                s.configure(&FtpConfig {
                    path: Some("/docs"),
                    ..MANUAL_FTP
                })
            });
            for (command, reply, _) in &script[..fail_at] {
                exchange!(h, command => reply);
            }
            exchange!(h, script[fail_at].0 => answer);
            let e = modem(script[fail_at].2, error);
            events!(h, failed(job, e));
            // Losing the server or the login loses the connection, and so
            // does a failure of the commands only configure sends.
            let down = matches!(
                script[fail_at].2,
                CommandName::FtpPort
                    | CommandName::FtpMode
                    | CommandName::FtpServ
                    | CommandName::FtpUn
                    | CommandName::FtpPw
            );
            assert_eq!(e.needs_configure(), down, "{e:?}");
            assert_eq!(
                h.session.link(),
                if down { Link::Down } else { Link::Unknown }
            );
            h.end();
        }

        // Put, get, list, mkdir, rmdir, query, quit: at each command.
        let jobs: [(&str, Script); 11] = [
            (
                "put",
                &[(b"AT+FTPPUTNAME=a.txt\r", OK, CommandName::FtpPutName)],
            ),
            (
                "put",
                &[
                    (b"AT+FTPPUTNAME=a.txt\r", OK, CommandName::FtpPutName),
                    (b"AT+FTPPUT=0\r", OK, CommandName::FtpPut),
                ],
            ),
            (
                "get",
                &[(b"AT+FTPGETNAME=a.txt\r", OK, CommandName::FtpGetName)],
            ),
            (
                "get",
                &[
                    (b"AT+FTPGETNAME=a.txt\r", OK, CommandName::FtpGetName),
                    (b"AT+FTPTYPE=I\r", OK, CommandName::FtpType),
                    (b"AT+FTPRESET=7\r", OK, CommandName::FtpReset),
                    (b"AT+FTPGET\r", OK, CommandName::FtpGet),
                ],
            ),
            ("list", &[(b"AT+FTPLIST\r", OK, CommandName::FtpList)]),
            (
                "list /x",
                &[
                    (b"AT+FTPPATH=/x\r", OK, CommandName::FtpPath),
                    (b"AT+FTPLIST\r", OK, CommandName::FtpList),
                ],
            ),
            (
                "mkdir",
                &[(b"AT+FTPMKD=/invoker\r", OK, CommandName::FtpMkd)],
            ),
            (
                "rmdir",
                &[(b"AT+FTPRMD=/invoker\r", OK, CommandName::FtpRmd)],
            ),
            ("query", &[(b"AT+FTPSCON\r", OK, CommandName::FtpScon)]),
            ("quit", &[(b"AT+FTPQUIT\r", OK, CommandName::FtpQuit)]),
            (
                "get",
                &[(b"AT+FTPGETNAME=a.txt\r", OK, CommandName::FtpGetName)],
            ),
        ];
        for (index, (kind, script)) in jobs.iter().enumerate() {
            for fail_at in 0..script.len() {
                let mut h = Harness::default();
                let job = h.queue(|s| match *kind {
                    "put" => s.put("a.txt"),
                    "get" if index == 3 => s.get("a.txt", 7),
                    "get" => s.get("a.txt", 0),
                    "list" => s.list(None),
                    "list /x" => s.list(Some("/x")),
                    "mkdir" => s.mkdir("/invoker"),
                    "rmdir" => s.rmdir("/invoker"),
                    "query" => s.query_config(),
                    _ => s.quit(),
                });
                for (i, (command, reply, _)) in script[..=fail_at].iter().enumerate() {
                    if *kind == "put" && i == 1 {
                        events!(h, Ev::PutReady { job, max: 512 });
                        h.finish_put();
                    }
                    if i == fail_at {
                        exchange!(h, command => answer);
                    } else {
                        exchange!(h, command => reply);
                    }
                }
                let e = modem(script[fail_at].2, error);
                events!(h, failed(job, e));
                h.end();
            }
        }
    }
}

#[test]
fn unexpected_responses_fail_the_job() {
    let cases: [(&[u8], ResponseKind, &str); 4] = [
        (
            b"\r\n+FTPGET:3,345\r\n",
            ResponseKind::FtpGet,
            "FtpGet { len: 3, data: b\"345\" }",
        ),
        (
            b"\r\n+FTPSERV:0\r\n",
            ResponseKind::ServResult,
            "ServResult(Success)",
        ),
        (
            b"\r\n+FTPLIST:1,0\r\n",
            ResponseKind::FtpList,
            "FtpList { mode: 1, len: 0 }",
        ),
        (
            b"\r\n+FTPLIST:1,7\r\nabc def\r\n",
            ResponseKind::FtpList,
            "FtpList { mode: 1, len: 7 }",
        ),
    ];
    for (stray, kind, debug) in cases {
        let mut h = Harness::default();
        let conf = h.queue(|s| s.configure(&MANUAL_FTP));
        let get = h.queue(|s| s.get("a", 0));
        exchange!(h, b"AT+FTPPORT=15881\r" => OK);
        recv!(h, b"AT+FTPMODE=1\r");
        send!(h, stray);
        let mut expected = vec![
            unsolicited(debug),
            failed(
                conf,
                protocol(CommandName::FtpMode, ProtocolError::Unexpected(kind)),
            ),
            // The queued get needs the connection, which is down: it is
            // refused at once, with no probe before it.
            failed(get, JobError::NotConfigured),
        ];
        if stray.ends_with(b"def\r\n") {
            expected.push(unsolicited("ListLine(b\"abc def\")"));
        }
        assert_eq!(h.take_events(), expected);
        assert_eq!(h.session.link(), Link::Down);
        // The failed command's late answer is reported.
        send!(h, OK);
        events!(h, unsolicited("Ok"));
        assert_eq!(h.session.link(), Link::Down);
        h.end();
    }
}

#[test]
fn unexpected_serv_result_during_get() {
    let mut h = configured();
    let get = h.queue(|s| s.get("a", 0));
    exchange!(h, b"AT+FTPGETNAME=a\r" => b"\r\n+FTPSERV:0\r\n\r\nOK\r\n");
    events!(
        h,
        unsolicited("ServResult(Success)"),
        failed(
            get,
            protocol(
                CommandName::FtpGetName,
                ProtocolError::Unexpected(ResponseKind::ServResult)
            )
        ),
        unsolicited("Ok"),
    );
    // No job waits: no probe is sent until one does.
    h.end();
}
