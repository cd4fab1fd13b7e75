//! The runtime alone: cortex-m-rt, a semihosting print of two numbers (the
//! same printing as the session program's), the panic handler and the
//! exit, and no session. `cargo xtask firmware`
//! subtracts its sizes from the session program's.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

use cellftp_firmware::out::Out;
use cellftp_firmware::stack;
use cortex_m_rt::entry;
use cortex_m_semihosting::debug;

#[entry]
fn main() -> ! {
    let mut out = Out::open();
    let peak = stack::peak();
    out.str("stack: peak ")
        .num(peak as u64)
        .str(" of ")
        .num(stack::size() as u64)
        .line(" bytes");
    out.line("baseline: PASS");
    debug::exit(debug::EXIT_SUCCESS);
    loop {}
}
