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
    let mut filled = buf.len();
    if filled >= want {
        return (false, None);
    }
    // Grown (and zeroed) once per fill, not once per read: a reader that
    // hands out 64 KiB at a time must not cost a megabyte of memset each.
    buf.resize(want, 0);
    let result = loop {
        if filled >= want {
            break (false, None);
        }
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break (true, None),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break (false, Some(e)),
        }
    };
    buf.truncate(filled);
    result
}
