//! Printing over semihosting without `core::fmt`: text and decimal numbers
//! written piece by piece to the host's standard output. The programs print
//! only fixed words and numbers, and `core::fmt` with the `Debug` impls it
//! would pull in costs several KiB of flash that are no part of the session.

use cortex_m_semihosting::hio::{self, HostStream};

/// 10^19 down to 1: every decimal place of a `u64`.
const POWERS_OF_TEN: [u64; 20] = {
    let mut powers = [1u64; 20];
    let mut i = 19;
    while i > 0 {
        i -= 1;
        powers[i] = powers[i + 1] * 10;
    }
    powers
};

/// The host's standard output; printing to it never fails the program (as
/// with `hprintln!`, a host that cannot print loses the text).
pub struct Out(Option<HostStream>);

impl Out {
    /// Opens the host's standard output.
    pub fn open() -> Self {
        Self(hio::hstdout().ok())
    }

    /// Writes `text`.
    pub fn str(&mut self, text: &str) -> &mut Self {
        self.bytes(text.as_bytes())
    }

    /// Writes `n` in decimal: by subtracting powers of ten, as a 64-bit
    /// division would link a routine of its own on this 32-bit core.
    pub fn num(&mut self, n: u64) -> &mut Self {
        let mut digits = [0u8; 20];
        let mut len = 0;
        let mut rest = n;
        for (i, &power) in POWERS_OF_TEN.iter().enumerate() {
            let mut digit = 0u8;
            while rest >= power {
                rest -= power;
                digit += 1;
            }
            // No leading zeros, but the last digit always.
            if digit > 0 || len > 0 || i + 1 == POWERS_OF_TEN.len() {
                if let Some(d) = digits.get_mut(len) {
                    *d = b'0' + digit;
                }
                len += 1;
            }
        }
        self.bytes(digits.get(..len).unwrap_or_default())
    }

    /// Writes `bytes`.
    fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        if let Some(stream) = &mut self.0 {
            // Lost text is all a failed write costs.
            let _ = stream.write_all(bytes);
        }
        self
    }

    /// Writes `text` and ends the line.
    pub fn line(&mut self, text: &str) {
        self.str(text).str("\n");
    }
}
