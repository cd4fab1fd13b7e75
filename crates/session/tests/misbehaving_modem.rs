#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The property of the resynchronisation: against a modem that may hang,
//! answer late, answer twice, restart or drop bytes, but answers in the
//! order it was asked, a job reports success only if the modem really
//! answered that job's commands with success. `PROPTEST_CASES` sets the
//! number of cases (CI runs 10000).

mod model;

use cellftp_session::{Outcome, Session};
use model::{Fault, Model, Run};
use proptest::prelude::*;

/// The firmware: `AT+FTPMKD=<name>` succeeds for names with an even sum of
/// bytes; everything else succeeds.
fn firmware(line: &[u8]) -> Vec<u8> {
    match line.strip_prefix(b"AT+FTPMKD=") {
        Some(name) if name.iter().map(|&b| u32::from(b)).sum::<u32>() % 2 == 1 => {
            b"\r\nERROR\r\n".to_vec()
        }
        _ => b"\r\nOK\r\n".to_vec(),
    }
}

fn fault() -> impl Strategy<Value = Fault> {
    (
        prop_oneof![4 => Just(0u64), 1 => 0u64..8_000, 1 => 25_000u64..70_000],
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.05),
        prop::option::weighted(0.1, 0usize..24),
    )
        .prop_map(|(delay, twice, restart, drop)| Fault {
            delay,
            twice,
            restart,
            drop,
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn answers_are_never_mispaired(
        names in prop::collection::vec("[a-d]{1,3}", 1..6),
        faults in prop::collection::vec(fault(), 0..24),
        hung_until in prop_oneof![Just(0u64), 0u64..80_000],
    ) {
        let mut model = Model::new(firmware);
        model.faults = faults;
        model.hung_until = hung_until;
        let mut run = Run::new(Session::default(), model);
        let jobs: Vec<_> = names
            .iter()
            .map(|n| (run.session.mkdir(n).unwrap(), n.clone()))
            .collect();
        run.until(jobs.len(), 10_000_000);
        prop_assert_eq!(run.results.len(), jobs.len(), "every job ends: {:#?}", run.events);
        for (job, name) in &jobs {
            if run.result(*job) == Some(Ok(Outcome::DirectoryCreated)) {
                let line = format!("AT+FTPMKD={name}");
                prop_assert!(
                    run.model.answered_ok(line.as_bytes()),
                    "{name}: success reported, but the modem answered {:?}\n{:#?}\n{:#?}",
                    run.model.truth, run.transmitted.iter().map(|l| l.escape_ascii().to_string()).collect::<Vec<_>>(), run.events
                );
            }
        }
    }
}
