//! `cargo xtask firmware`: builds `examples/firmware` for a Cortex-M4
//! (`thumbv7em-none-eabihf`), runs it under QEMU and reports what it costs.
//!
//! The rustup toolchain has no standard library for that target, so `core`
//! is built from source by Debian's Rust (`rustc-web`, `cargo-web`,
//! `rust-web-src`) with `RUSTC_BOOTSTRAP=1 -Zbuild-std=core`, and linked by
//! the `rust-lld` that ships inside the rustup toolchain; `core` and the
//! programs are built with `panic = "immediate-abort"`. Both programs of
//! the crate run under `qemu-system-arm` (board `mps2-an386`) with
//! semihosting: `cellftp-firmware` runs the manual's session and must exit
//! with success after printing the expected outcomes; `baseline` is the
//! runtime alone, whose sizes are subtracted. The section sizes are read
//! from the ELF section headers.

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: cargo xtask firmware

Builds examples/firmware for thumbv7em-none-eabihf with Debian's Rust,
runs it under qemu-system-arm, checks the printed outcomes and reports
flash, RAM and peak stack.";

/// The target: a Cortex-M4 with a floating-point unit.
const TARGET: &str = "thumbv7em-none-eabihf";
/// Debian's compiler and cargo, which can build `core` from source.
const DEBIAN_RUSTC: &str = "/usr/bin/rustc";
const DEBIAN_CARGO: &str = "/usr/bin/cargo";
/// Where `rust-web-src` puts the library sources `-Zbuild-std` needs.
const DEBIAN_RUST_SRC: &str = "/usr/lib/rustlib/src/rust/library/core";
const QEMU: &str = "qemu-system-arm";
/// How long a program may run under QEMU before it is killed.
const QEMU_TIMEOUT: Duration = Duration::from_secs(60);

/// The targets of the issue, for the session program minus the runtime.
const FLASH_TARGET: u64 = 32 * 1024;
const RAM_TARGET: u64 = 10 * 1024;

/// Every line the session program must print for its jobs, in order.
const EXPECTED_JOBS: [&str; 10] = [
    "job 0 bring-up: Ok(BroughtUp)",
    "job 1 configure: Ok(Configured)",
    "job 2 put 12.txt: Ok(Uploaded { bytes: 5 })",
    "job 3 get 12.txt offset=2: Ok(Downloaded { offset: 2, bytes: 3 })",
    "job 4 list: Ok(Listed { entries: 1, lines: 1 })",
    "job 5 mkdir /invoker: Ok(DirectoryCreated)",
    "job 6 rmdir /invoker: Ok(DirectoryRemoved)",
    "job 7 query-config: Ok(ConfigReported { items: 5 })",
    "job 8 quit: Ok(Quit)",
    "job 9 query-config: Ok(ConfigReported { items: 0 })",
];

/// Environment variables of the `cargo xtask` invocation that must not
/// reach Debian's cargo: the rustup toolchain and its tools, and flags or a
/// target directory meant for the host build.
const SCRUBBED_ENV: [&str; 11] = [
    "RUSTUP_TOOLCHAIN",
    "CARGO",
    "RUSTC",
    "RUSTDOC",
    "RUSTC_WRAPPER",
    "RUSTC_WORKSPACE_WRAPPER",
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET_DIR",
];

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    if let Some(arg) = args.first() {
        return match arg.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                Ok(())
            }
            other => Err(format!("unexpected argument `{other}`\n\n{USAGE}")),
        };
    }
    let root = crate::root();
    let lld = check_tools()?;
    let target_dir = root.join("target").join("firmware");
    build(&root.join("examples").join("firmware"), &target_dir, &lld)?;
    let bin_dir = target_dir.join(TARGET).join("release");

    let program = measure(&bin_dir.join("cellftp-firmware"))?;
    let baseline = measure(&bin_dir.join("baseline"))?;
    check_outcomes(&program.output)?;
    let session_size = program
        .output
        .lines()
        .find_map(|l| l.strip_prefix("size_of::<Session>(): "))
        .unwrap_or("?");
    report(&program, &baseline, session_size);
    Ok(())
}

/// Checks that every tool is there; returns the path of `rust-lld`.
fn check_tools() -> Result<PathBuf, String> {
    for (tool, package) in [(DEBIAN_RUSTC, "rustc-web"), (DEBIAN_CARGO, "cargo-web")] {
        let version = Command::new(tool)
            .arg("--version")
            .output()
            .map_err(|e| format!("cannot run {tool} ({e}): install Debian's `{package}`"))?;
        if !version.status.success() {
            return Err(format!(
                "`{tool} --version` failed: install Debian's `{package}`"
            ));
        }
    }
    if !Path::new(DEBIAN_RUST_SRC).is_dir() {
        return Err(format!(
            "{DEBIAN_RUST_SRC} is missing: install Debian's `rust-web-src` (the library \
             sources -Zbuild-std needs)"
        ));
    }
    if Command::new(QEMU).arg("--version").output().is_err() {
        return Err(format!(
            "cannot run {QEMU}: install Debian's `qemu-system-arm`"
        ));
    }
    rust_lld()
}

/// The `rust-lld` inside the rustup toolchain that runs this xtask.
fn rust_lld() -> Result<PathBuf, String> {
    let rustc = |arg: &str| -> Result<String, String> {
        let out = Command::new("rustc")
            .arg(arg)
            .output()
            .map_err(|e| format!("cannot run rustc {arg}: {e}"))?;
        String::from_utf8(out.stdout).map_err(|_| format!("rustc {arg} printed non-UTF-8"))
    };
    let sysroot = rustc("--print=sysroot")?;
    let version = rustc("-vV")?;
    let host = version
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .ok_or("`rustc -vV` names no host")?;
    let lld = Path::new(sysroot.trim())
        .join("lib/rustlib")
        .join(host.trim())
        .join("bin/rust-lld");
    if lld.is_file() {
        Ok(lld)
    } else {
        Err(format!(
            "{} is missing: the rustup toolchain ships rust-lld with rustc \
             (reinstall the toolchain with `rustup toolchain install`)",
            lld.display()
        ))
    }
}

/// Builds both programs of the firmware crate with Debian's Rust.
fn build(crate_dir: &Path, target_dir: &Path, lld: &Path) -> Result<(), String> {
    let target_env = TARGET.to_uppercase().replace('-', "_");
    let mut cmd = Command::new(DEBIAN_CARGO);
    for var in SCRUBBED_ENV {
        cmd.env_remove(var);
    }
    cmd.current_dir(crate_dir)
        .env("RUSTC", DEBIAN_RUSTC)
        // -Zbuild-std is unstable; Debian's stable compiler allows it so.
        .env("RUSTC_BOOTSTRAP", "1")
        .env(format!("CARGO_TARGET_{target_env}_LINKER"), lld)
        // A panic is an undefined instruction (the program's hard fault
        // handler reports it and fails), as in a firmware built for size:
        // no panic messages or their source locations in flash, `core`
        // included (`-Zbuild-std` builds it with these flags too).
        .env(
            format!("CARGO_TARGET_{target_env}_RUSTFLAGS"),
            "-C link-arg=-Tlink.x -Zunstable-options -Cpanic=immediate-abort",
        )
        .args([
            "build",
            "--release",
            "--locked",
            "--bins",
            "--target",
            TARGET,
        ])
        .arg("-Zbuild-std=core")
        .arg("--target-dir")
        .arg(target_dir);
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {DEBIAN_CARGO}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "building {} failed ({status})",
            crate_dir.display()
        ))
    }
}

/// One program: its sections, and what it printed under QEMU.
struct Measured {
    sections: Sections,
    /// Peak stack printed by the program.
    stack: u64,
    output: String,
}

/// Runs `elf` under QEMU, requires success and a peak stack line, and reads
/// its section sizes.
fn measure(elf: &Path) -> Result<Measured, String> {
    let bytes = fs::read(elf).map_err(|e| format!("cannot read {}: {e}", elf.display()))?;
    let sections = Sections::parse(&bytes).map_err(|e| format!("{}: {e}", elf.display()))?;
    let output = run_qemu(elf)?;
    let stack = output
        .lines()
        .find_map(|l| l.strip_prefix("stack: peak "))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("{} printed no peak stack:\n{output}", elf.display()))?;
    Ok(Measured {
        sections,
        stack,
        output,
    })
}

/// Runs `elf` under QEMU with semihosting; returns what it printed if it
/// exited with success within [`QEMU_TIMEOUT`].
fn run_qemu(elf: &Path) -> Result<String, String> {
    let mut child = Command::new(QEMU)
        .args(["-cpu", "cortex-m4", "-machine", "mps2-an386", "-nographic"])
        .args(["-monitor", "none", "-serial", "none"])
        .args(["-semihosting-config", "enable=on,target=native"])
        .arg("-kernel")
        .arg(elf)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {QEMU}: {e} (install Debian's `qemu-system-arm`)"))?;
    let mut stdout = child.stdout.take().ok_or("QEMU's output is not piped")?;
    let reader = thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).map(|_| text)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child
            .try_wait()
            .map_err(|e| format!("waiting for QEMU: {e}"))?
        {
            break status;
        }
        if started.elapsed() > QEMU_TIMEOUT {
            // Kill errors mean it has just exited; wait() reaps it either way.
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "{} did not exit within {}s under QEMU: killed",
                elf.display(),
                QEMU_TIMEOUT.as_secs()
            ));
        }
        thread::sleep(Duration::from_millis(50));
    };
    let output = reader
        .join()
        .map_err(|_| "the thread reading QEMU's output panicked".to_owned())?
        .map_err(|e| format!("reading QEMU's output: {e}"))?;
    print!("{output}");
    if status.success() {
        Ok(output)
    } else {
        Err(format!("{} failed under QEMU ({status})", elf.display()))
    }
}

/// The session program printed every expected job line, in order, and
/// nothing else about jobs.
fn check_outcomes(output: &str) -> Result<(), String> {
    let jobs: Vec<&str> = output.lines().filter(|l| l.starts_with("job ")).collect();
    if jobs != EXPECTED_JOBS {
        return Err(format!(
            "the firmware's outcomes differ from the manual's:\n  got:      {jobs:?}\n  \
             expected: {EXPECTED_JOBS:?}"
        ));
    }
    if !output.lines().any(|l| l == "firmware: PASS") {
        return Err("the firmware did not report PASS".to_owned());
    }
    Ok(())
}

fn report(program: &Measured, baseline: &Measured, session_size: &str) {
    let row = |name: &str, p: u64, b: u64| {
        println!("{name:<32} {p:>8} {b:>8} {:>8}", p.saturating_sub(b));
    };
    let (p, b) = (&program.sections, &baseline.sections);
    println!();
    println!("firmware footprint on {TARGET} (bytes, release profile of examples/firmware)");
    println!(
        "{:<32} {:>8} {:>8} {:>8}",
        "", "program", "runtime", "session"
    );
    row(".vector_table", p.vector_table, b.vector_table);
    row(".text", p.text, b.text);
    row(".rodata", p.rodata, b.rodata);
    row(".data", p.data, b.data);
    row(".bss (+ .uninit)", p.bss, b.bss);
    row("peak stack", program.stack, baseline.stack);
    row("flash (vectors+text+rodata+data)", p.flash(), b.flash());
    row(
        "RAM (data+bss+peak stack)",
        p.ram(program.stack),
        b.ram(baseline.stack),
    );
    println!("(session = program - runtime; the runtime is the `baseline` program)");
    println!("size_of::<Session>() on {TARGET}: {session_size}");
    let flash = p.flash().saturating_sub(b.flash());
    let ram = p.ram(program.stack).saturating_sub(b.ram(baseline.stack));
    let verdict = |got: u64, limit: u64| {
        if got <= limit {
            format!("met ({got} <= {limit})")
        } else {
            format!("NOT met ({got} > {limit}, {} over)", got - limit)
        }
    };
    println!("target flash <= 32 KiB: {}", verdict(flash, FLASH_TARGET));
    println!("target RAM   <= 10 KiB: {}", verdict(ram, RAM_TARGET));
}

/// The sizes of the sections that matter, from an ELF32 file's section
/// header table.
#[derive(Debug, Default, PartialEq, Eq)]
struct Sections {
    vector_table: u64,
    text: u64,
    rodata: u64,
    data: u64,
    /// `.bss` and `.uninit`.
    bss: u64,
}

impl Sections {
    /// Flash: everything loaded from it (`.data`'s initial values included).
    fn flash(&self) -> u64 {
        self.vector_table + self.text + self.rodata + self.data
    }

    /// RAM: the statics and the stack.
    fn ram(&self, stack: u64) -> u64 {
        self.data + self.bss + stack
    }

    /// Reads the section header table of a little-endian ELF32 file.
    fn parse(elf: &[u8]) -> Result<Self, String> {
        if elf.get(..4) != Some(b"\x7fELF".as_slice()) {
            return Err("not an ELF file".to_owned());
        }
        // EI_CLASS 1 = 32-bit, EI_DATA 1 = little-endian.
        if elf.get(4..6) != Some([1, 1].as_slice()) {
            return Err("not a little-endian ELF32 file".to_owned());
        }
        let shoff = u32_at(elf, 0x20)?;
        let shentsize = u16_at(elf, 0x2e)?;
        let shnum = u16_at(elf, 0x30)?;
        let shstrndx = u16_at(elf, 0x32)?;
        let past_end = || "a section header lies outside the file".to_owned();
        let at = |base: usize, offset: usize| base.checked_add(offset).ok_or_else(past_end);
        let header = |i: usize| {
            i.checked_mul(shentsize)
                .and_then(|o| o.checked_add(shoff))
                .ok_or_else(past_end)
        };
        let strtab = u32_at(elf, at(header(shstrndx)?, 16)?)?;
        let mut sections = Sections::default();
        for i in 0..shnum {
            let h = header(i)?;
            let name_at = at(strtab, u32_at(elf, h)?)?;
            let name = elf
                .get(name_at..)
                .and_then(|rest| rest.split(|&b| b == 0).next())
                .ok_or("a section name lies outside the file")?;
            let size = u64::try_from(u32_at(elf, at(h, 20)?)?).unwrap_or(u64::MAX);
            match name {
                b".vector_table" => sections.vector_table += size,
                b".text" => sections.text += size,
                b".rodata" => sections.rodata += size,
                b".data" => sections.data += size,
                b".bss" | b".uninit" => sections.bss += size,
                _ => {}
            }
        }
        Ok(sections)
    }
}

fn u16_at(elf: &[u8], at: usize) -> Result<usize, String> {
    elf.get(at..at.saturating_add(2))
        .and_then(|b| b.try_into().ok())
        .map(|b| usize::from(u16::from_le_bytes(b)))
        .ok_or_else(|| format!("the ELF file ends before offset {at:#x}"))
}

fn u32_at(elf: &[u8], at: usize) -> Result<usize, String> {
    elf.get(at..at.saturating_add(4))
        .and_then(|b| b.try_into().ok())
        .and_then(|b| usize::try_from(u32::from_le_bytes(b)).ok())
        .ok_or_else(|| format!("the ELF file ends before offset {at:#x}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::Sections;

    /// A little-endian ELF32 file with only section headers: a null
    /// section, `.text` (0x100 bytes), `.bss` (0x20) and the names.
    fn elf() -> Vec<u8> {
        let names = b"\0.text\0.bss\0.shstrtab\0";
        let mut f = vec![0u8; 0x34];
        f[..6].copy_from_slice(b"\x7fELF\x01\x01");
        let names_at = f.len();
        f.extend_from_slice(names);
        let shoff = f.len();
        f[0x20..0x24].copy_from_slice(&u32::try_from(shoff).unwrap().to_le_bytes());
        f[0x2e..0x30].copy_from_slice(&40u16.to_le_bytes());
        f[0x30..0x32].copy_from_slice(&4u16.to_le_bytes());
        f[0x32..0x34].copy_from_slice(&3u16.to_le_bytes());
        for (name, offset, size) in [(0u32, 0u32, 0u32), (1, 0, 0x100), (7, 0, 0x20), (12, 0, 0)] {
            let offset = if name == 12 { names_at as u32 } else { offset };
            let mut h = [0u8; 40];
            h[..4].copy_from_slice(&name.to_le_bytes());
            h[16..20].copy_from_slice(&offset.to_le_bytes());
            h[20..24].copy_from_slice(&size.to_le_bytes());
            f.extend_from_slice(&h);
        }
        f
    }

    #[test]
    fn reads_section_sizes() {
        let s = Sections::parse(&elf()).unwrap();
        assert_eq!(
            s,
            Sections {
                text: 0x100,
                bss: 0x20,
                ..Sections::default()
            }
        );
        assert_eq!(s.flash(), 0x100);
        assert_eq!(s.ram(8), 0x28);
    }

    #[test]
    fn refuses_what_is_not_an_elf32_file() {
        assert!(Sections::parse(b"").is_err());
        assert!(Sections::parse(b"\x7fELF\x02\x01").is_err());
        let mut cut = elf();
        cut.truncate(0x60);
        assert!(Sections::parse(&cut).is_err());
    }
}
