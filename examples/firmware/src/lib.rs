//! What the firmware programs share: printing without `core::fmt`, the
//! stack measurement, and the end of a program that went wrong, which
//! reports over semihosting and exits QEMU with failure.
//!
//! `cargo xtask firmware` builds with `panic = "immediate-abort"`, as a
//! firmware built for size would: a panic (a failed bounds check, say)
//! is then an undefined instruction, which the hard fault handler here
//! reports. The panic handler serves builds with other panic strategies.
#![no_std]
#![deny(unsafe_code)]

pub mod out;
pub mod stack;

use core::panic::PanicInfo;

use cortex_m_rt::exception;
use cortex_m_semihosting::{debug, hprintln};

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    hprintln!("firmware: panic: {}", info);
    debug::exit(debug::EXIT_FAILURE);
    loop {}
}

/// A fault, or a panic under `panic = "immediate-abort"`: the program
/// failed.
#[allow(unsafe_code)] // cortex-m-rt requires the hard fault handler be `unsafe fn`.
#[exception(trampoline = false)]
unsafe fn HardFault() -> ! {
    out::Out::open().line("firmware: fault (a panic, or a fault)");
    debug::exit(debug::EXIT_FAILURE);
    loop {}
}
