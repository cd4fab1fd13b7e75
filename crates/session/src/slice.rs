//! Slicing by a range the session computed itself (a length it counted, a
//! range a search over the same bytes returned): the one place such a slice
//! falls back, with a debug assertion.
//!
//! A leaf module.

use core::slice::SliceIndex;

/// `bytes[range]` for a range computed in bounds. Out of bounds is a logic
/// error: a debug build (fuzzing runs with debug assertions) stops at it
/// instead of going on with the empty slice a release build gets.
#[inline]
pub(crate) fn within<R: SliceIndex<[u8], Output = [u8]>>(bytes: &[u8], range: R) -> &[u8] {
    let slice = bytes.get(range);
    debug_assert!(slice.is_some(), "a range computed within its bytes");
    slice.unwrap_or_default()
}

/// [`within`], mutable.
#[inline]
pub(crate) fn within_mut<R: SliceIndex<[u8], Output = [u8]>>(
    bytes: &mut [u8],
    range: R,
) -> &mut [u8] {
    let slice = bytes.get_mut(range);
    debug_assert!(slice.is_some(), "a range computed within its bytes");
    slice.unwrap_or_default()
}
