//! How deep the stack has reached. cortex-m-rt's `paint-stack` fills the
//! stack region (from `_stack_end`, above the statics, up to
//! `_stack_start`, the top of RAM) with [`STACK_PAINT_VALUE`] before `main`;
//! the words still painted at the bottom were never touched. [`repaint`]
//! paints what lies below the stack pointer again, to measure a later part
//! of the program on its own.
#![allow(unsafe_code)]

use cortex_m_rt::STACK_PAINT_VALUE;

extern "C" {
    static _stack_start: u32;
    static _stack_end: u32;
}

/// The stack region: `(bottom, top)` addresses.
fn region() -> (usize, usize) {
    // Only the addresses of the linker's symbols are taken, never a value.
    let bottom = core::ptr::addr_of!(_stack_end) as usize;
    let top = core::ptr::addr_of!(_stack_start) as usize;
    (bottom, top)
}

/// The stack region's size in bytes.
pub fn size() -> usize {
    let (bottom, top) = region();
    top - bottom
}

/// The most bytes of stack used since the start (or the last [`repaint`]).
#[inline(never)]
pub fn peak() -> usize {
    let (bottom, top) = region();
    let mut untouched = bottom;
    while untouched < top {
        // SAFETY: `[_stack_end, _stack_start)` is the stack region: RAM the
        // program owns, word aligned (`link.x` checks it). Reading any word
        // of it is sound; the words in use are only read.
        let word = unsafe { core::ptr::read_volatile(untouched as *const u32) };
        if word != STACK_PAINT_VALUE {
            break;
        }
        untouched += 4;
    }
    top - untouched
}

/// Below the stack pointer read by [`repaint`], room left unpainted for
/// [`repaint`]'s own frame: the compiler may read the stack pointer before
/// it pushes the return address (shrink-wrapping, as `opt-level = "s"`
/// does), and painting over that would return to the paint value.
const OWN_FRAME: usize = 64;

/// Paints the stack below the stack pointer again (all but the
/// [`OWN_FRAME`] bytes right below it, which the later, deeper part of the
/// program overwrites anyway).
#[inline(never)]
pub fn repaint() {
    let (bottom, _) = region();
    let sp = (cortex_m::register::msp::read() as usize).saturating_sub(OWN_FRAME);
    let mut at = bottom;
    while at < sp {
        // SAFETY: the words between the bottom of the stack region and
        // `OWN_FRAME` bytes below the stack pointer are in no frame (no
        // interrupt is enabled, this loop calls nothing, and this
        // function's own frame is within `OWN_FRAME` of the stack pointer
        // it read), so overwriting them disturbs nothing.
        unsafe { core::ptr::write_volatile(at as *mut u32, STACK_PAINT_VALUE) };
        at += 4;
    }
}
