//! What a run's numbers were measured on, printed under every table of
//! `cargo xtask bench`: the targets' ratios differ from one processor to
//! the next (on two processors of the same machine kind, A fed whole
//! against atat measured 2.3× to 2.5× on one and 1.6× to 1.9× on the
//! other, in paired runs of the same code), and with the machine's load.

use std::fs;

/// One line naming the processor, the cores and the load average as the
/// run starts, read from Linux's `/proc`; what cannot be read is said to
/// be unknown, never guessed.
pub(crate) fn describe() -> String {
    describe_from(
        fs::read_to_string("/proc/cpuinfo").ok().as_deref(),
        fs::read_to_string("/proc/loadavg").ok().as_deref(),
        std::thread::available_parallelism().ok().map(usize::from),
    )
}

/// [`describe`] from the text of `/proc/cpuinfo` and `/proc/loadavg` and
/// the number of cores this process may use.
fn describe_from(cpuinfo: Option<&str>, loadavg: Option<&str>, cores: Option<usize>) -> String {
    let field = |name: &str| {
        cpuinfo?.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            (key.trim() == name).then(|| value.trim().to_string())
        })
    };
    let processor = match (field("model name"), field("cpu family"), field("model")) {
        (Some(name), Some(family), Some(model)) => {
            format!("{name} (family {family}, model {model})")
        }
        (Some(name), _, _) => name,
        _ => "a processor /proc/cpuinfo does not name".to_string(),
    };
    let cores = match cores {
        Some(1) => "1 core".to_string(),
        Some(n) => format!("{n} cores"),
        None => "an unknown number of cores".to_string(),
    };
    let load = loadavg
        .and_then(|l| l.split_whitespace().next())
        .filter(|l| l.parse::<f64>().is_ok())
        .map_or_else(
            || "load average unknown".to_string(),
            |l| format!("load average {l} over the minute before"),
        );
    format!("Measured on {processor}, {cores}; {load}.")
}

#[cfg(test)]
mod tests {
    use super::describe_from;

    const CPUINFO: &str = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n\
        model\t\t: 207\nmodel name\t: Intel(R) Xeon(R) Processor\nstepping\t: 2\n\n\
        processor\t: 1\ncpu family\t: 6\nmodel\t\t: 207\nmodel name\t: Intel(R) Xeon(R) Processor\n";

    #[test]
    fn names_the_processor_cores_and_load() {
        assert_eq!(
            describe_from(Some(CPUINFO), Some("1.07 1.11 0.56 1/234 5678\n"), Some(2)),
            "Measured on Intel(R) Xeon(R) Processor (family 6, model 207), 2 cores; \
             load average 1.07 over the minute before."
        );
    }

    #[test]
    fn says_what_it_could_not_read() {
        assert_eq!(
            describe_from(None, Some("garbage"), None),
            "Measured on a processor /proc/cpuinfo does not name, an unknown number of \
             cores; load average unknown."
        );
        // A name without family and model, and one core.
        assert_eq!(
            describe_from(Some("model name\t: Some CPU\n"), None, Some(1)),
            "Measured on Some CPU, 1 core; load average unknown."
        );
    }
}
