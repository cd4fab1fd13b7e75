//! Printing over semihosting without `core::fmt`: text and decimal numbers
//! written piece by piece to the host's standard output. The programs print
//! only fixed words and numbers, and `core::fmt` with the `Debug` impls it
//! would pull in costs several KiB of flash that are no part of the session.

use cortex_m_semihosting::hio::{self, HostStream};

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
        if let Some(stream) = &mut self.0 {
            // Lost text is all a failed write costs.
            let _ = stream.write_all(text.as_bytes());
        }
        self
    }

    /// Writes `n` in decimal.
    pub fn num(&mut self, n: u64) -> &mut Self {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut rest = n;
        loop {
            at -= 1;
            if let Some(d) = digits.get_mut(at) {
                *d = b'0' + (rest % 10) as u8;
            }
            rest /= 10;
            if rest == 0 || at == 0 {
                break;
            }
        }
        let text = digits.get(at..).unwrap_or_default();
        // ASCII digits only.
        self.str(core::str::from_utf8(text).unwrap_or_default())
    }

    /// Writes `text` and ends the line.
    pub fn line(&mut self, text: &str) {
        self.str(text).str("\n");
    }
}
