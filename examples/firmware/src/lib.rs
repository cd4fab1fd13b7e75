//! What the firmware programs share: printing without `core::fmt`, the
//! stack measurement and the panic handler, which reports over semihosting
//! and exits QEMU with failure.
#![no_std]
#![deny(unsafe_code)]

pub mod out;
pub mod stack;

use core::panic::PanicInfo;

use cortex_m_semihosting::{debug, hprintln};

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    hprintln!("firmware: panic: {}", info);
    debug::exit(debug::EXIT_FAILURE);
    loop {}
}
