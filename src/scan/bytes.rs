//! Raw bytes of an input before they are records: the line as text, and
//! filling a stream's buffer.

use std::io::{self, Read};

/// A line as text: borrowed when valid UTF-8 (checked with the standard
/// library's word-at-a-time ASCII path, several times faster than the
/// lossy decoder's), else with U+FFFD for bad bytes.
pub fn text_of(raw: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(raw) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(raw),
    }
}

/// Reads until `buf` holds `want` bytes or the stream ends.
pub(super) fn fill(
    reader: &mut dyn Read,
    buf: &mut Vec<u8>,
    want: usize,
) -> (bool, Option<io::Error>) {
    let filled = buf.len();
    if filled >= want {
        return (false, None);
    }
    // Read into spare capacity, never zeroed first: growing the buffer to
    // `want` and zeroing it cost a small file 8 MiB of page faults (5 ms,
    // more than the rest of a query on it).
    let limit = u64::try_from(want - filled).unwrap_or(u64::MAX);
    match (&mut *reader).take(limit).read_to_end(buf) {
        // Short of `want`: the stream ended.
        Ok(_) => (buf.len() < want, None),
        Err(e) => (false, Some(e)),
    }
}
