//! The caller's side of the SIMCom session: verbs refuse bad parameters at
//! once and queue nothing (a refused password is never shown), directories
//! get their trailing `/`, the queue is bounded, data is only accepted by a
//! waiting put, and the session is one fixed-size value.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod simcom_common;

use cellftp_proto::simcom::PutOpt;
use cellftp_proto::{EncodeError, TextKind};
use cellftp_session::simcom::{FtpConfig, Session, RX_CAPACITY};
use cellftp_session::{UsageError, MAX_QUEUED_JOBS};
use simcom_common::*;

#[test]
fn verbs_refuse_bad_parameters() {
    let mut s = Session::default();
    let quote = |field, offset, byte| {
        Err(UsageError::Invalid(EncodeError::ForbiddenInQuotes {
            field,
            offset,
            byte,
        }))
    };
    assert_eq!(
        s.get("/", "a\"b", 0),
        quote(TextKind::FileName, 1, Some(b'"'))
    );
    assert_eq!(
        s.put("/x\r\nAT", "a", PutOpt::Stor),
        quote(TextKind::Path, 2, Some(b'\r'))
    );
    assert_eq!(s.list("a\\b"), quote(TextKind::Path, 1, Some(b'\\')));
    assert_eq!(
        s.configure(&FtpConfig {
            password: "pw\"x",
            ..FTP
        }),
        quote(TextKind::Password, 2, None)
    );
    assert_eq!(
        s.configure(&FtpConfig { port: 0, ..FTP }),
        Err(UsageError::Invalid(EncodeError::PortZero))
    );
    assert!(matches!(
        s.configure(&FtpConfig {
            server: "no such host!",
            ..FTP
        }),
        Err(UsageError::Invalid(_))
    ));
    // 255 bytes is a path; 255 without its `/` is one byte too many.
    let full = format!("/{}", "d".repeat(254));
    assert_eq!(
        s.mkdir(&full),
        Err(UsageError::Invalid(EncodeError::TooLong {
            field: TextKind::Path,
            max: 255,
            len: 256
        }))
    );
    assert!(s.is_idle());
    assert_eq!(s.send_data(b"x"), Err(UsageError::NotAwaitingData));
    assert_eq!(s.send_data(b""), Err(UsageError::EmptyData));
    assert_eq!(s.finish_put(), Err(UsageError::NotAwaitingData));
    let err = s
        .configure(&FtpConfig {
            password: "pw\"x",
            ..FTP
        })
        .unwrap_err();
    assert!(!format!("{err} {err:?}").contains("pw"), "{err}");
}

#[test]
fn queue_is_bounded() {
    let mut s = Session::default();
    // One job runs (its first command staged); the queue holds the rest.
    for _ in 0..=MAX_QUEUED_JOBS {
        s.quit().unwrap();
    }
    assert_eq!(s.quit(), Err(UsageError::QueueFull));
}

#[test]
fn session_size() {
    let size = core::mem::size_of::<Session>();
    println!("size_of::<simcom::Session>() = {size} bytes (RX_CAPACITY = {RX_CAPACITY})");
    assert!(size > RX_CAPACITY);
    assert!(size < 24 * 1024, "{size}");
}

#[test]
fn configs_out_of_range_are_refused() {
    use cellftp_session::simcom::{Config, ConfigError, Model};
    let config = |model, cid| Config {
        model,
        cid,
        ..Config::default()
    };
    assert_eq!(Config::default().cid(), 1);
    assert_eq!(config(Model::Sim7080, None).cid(), 0);
    assert!(Session::new(config(Model::Sim7080, Some(0))).is_ok());
    assert_eq!(
        Session::new(config(Model::Sim800, Some(0))).unwrap_err(),
        ConfigError::Cid(0)
    );
    assert_eq!(
        Session::new(config(Model::Sim7000, Some(4))).unwrap_err(),
        ConfigError::Cid(4)
    );
    let err = Session::new(Config {
        probe_attempts: 0,
        ..Config::default()
    })
    .unwrap_err();
    assert_eq!(err, ConfigError::ProbeAttempts);
    assert_eq!(err.to_string(), "probe attempts must be at least 1");
}
