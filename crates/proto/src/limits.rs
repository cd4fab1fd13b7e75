//! The sizes every buffer of the crate is bounded by. A leaf module: the
//! crate root re-exports them.

/// The longest line, without its terminator, that the decoders return whole.
///
/// A longer line is reported as [`crate::Response::Overlong`] /
/// [`crate::Request::Overlong`] items of at most this many bytes each and
/// skipped.
pub const MAX_LINE: usize = 1024;

/// The largest piece of a length-prefixed payload (`+FTPGET` data, `AT+FTPPUT`
/// data) returned in one item. Longer payloads arrive as fragments of exactly
/// this size (the last one shorter), see [`crate::Response::Continuation`].
pub const MAX_FRAGMENT: usize = 2048;

/// The longest payload header (`+FTPGET:<len>,` or `AT+FTPPUT=<len>,`,
/// including stray spaces) the decoders recognise.
pub const MAX_HEADER: usize = 64;

/// The smallest read buffer a decoder's caller must provide: room for a
/// payload header followed by a whole fragment, or a whole line.
///
/// A caller that keeps the unconsumed bytes in a buffer of this size never
/// finds it full without an item to take out of it.
pub const MIN_BUFFER: usize = MAX_HEADER + MAX_FRAGMENT;

/// The longest string parameter (user, password, file name, path, directory)
/// the modem accepts, in bytes, as the manual states.
pub const MAX_TEXT: usize = 64;

/// The largest `AT+FTPPUT=<len>,<data>` chunk the encoder sends, in bytes.
pub const MAX_PUT_DATA: usize = 1024;

/// The longest canonical command line [`crate::Command::encode`] can
/// produce: `AT+FTPPUT=1024,` followed by the data and CR.
pub const MAX_COMMAND: usize = 16 + MAX_PUT_DATA;
