//! The runtime alone: cortex-m-rt, a semihosting print of two numbers, the
//! panic handler and the exit, and no session. `cargo xtask firmware`
//! subtracts its sizes from the session program's.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

use cellftp_firmware::stack;
use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};

#[entry]
fn main() -> ! {
    hprintln!("stack: peak {} of {} bytes", stack::peak(), stack::size());
    hprintln!("baseline: PASS");
    debug::exit(debug::EXIT_SUCCESS);
    loop {}
}
