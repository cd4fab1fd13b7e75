//! A job of the other dialect than its transcript's (the text parser
//! never makes one, a program building a `Transcript` can): the replay
//! says so (never "passed"), leaves the job unrun, and runs the others.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cellftp_replay::replay::Failure;
use cellftp_replay::{replay, JobSpec, Record, SimcomJob, Transcript};

/// `text` with `job` inserted as its job at index `at`.
fn with_job(text: &str, at: usize, job: JobSpec) -> Transcript {
    let mut t = Transcript::parse(text).unwrap();
    let position = t
        .records
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r, Record::Job(_)))
        .nth(at)
        .map(|(i, _)| i)
        .unwrap();
    t.records.insert(position, Record::Job(job));
    t
}

#[test]
fn a_simcom_job_in_a_first_dialect_transcript() {
    let t = with_job(
        "# cellftp transcript v1\n\
         ! query-config\n\
         ! quit\n\
         > AT+FTPSCON\\r\n\
         < \\r\\n+FTPSCON:\\r\\n+FTPMODE: 1\\r\\nOK\\r\\n\n\
         > AT+FTPQUIT\\r\n\
         < \\r\\nOK\\r\\n\n",
        1,
        JobSpec::Simcom(SimcomJob::Mkdir("/d".to_owned())),
    );
    let report = replay(&t);
    assert!(!report.passed());
    assert_eq!(report.failures[0], Failure::WrongDialect { job: 1 });
    assert!(report.failures.contains(&Failure::Unfinished { job: 1 }));
    assert_eq!(report.results[0], "0: Ok(ConfigReported { items: 2 })");
    assert_eq!(report.results[1], "1: unfinished");
    assert_eq!(report.results[2], "2: Ok(Quit)");
    assert_eq!(report.failures.len(), 2, "{:?}", report.failures);
    assert_eq!(report.failures.len(), report.failure_records.len());
}

#[test]
fn a_first_dialect_job_in_a_simcom_transcript() {
    let t = with_job(
        "# cellftp transcript v1\n\
         ! dialect simcom\n\
         ! quit\n\
         > AT+FTPQUIT\\r\n\
         < \\r\\nOK\\r\\n\n",
        0,
        JobSpec::QueryConfig,
    );
    let report = replay(&t);
    assert!(!report.passed());
    assert_eq!(report.failures[0], Failure::WrongDialect { job: 0 });
    assert!(report.failures.contains(&Failure::Unfinished { job: 0 }));
    assert_eq!(report.results[0], "0: unfinished");
    assert_eq!(report.failures.len(), report.failure_records.len());
}
