//! Cutting a buffer into pieces that can be scanned independently.
//!
//! Invariant: every cut is at the start of a line that starts a record, so a
//! traceback never lands in a different piece than the record it belongs to.

use crate::record::is_record_start;

/// Where a piece of `buf` may end near `at`: the start of the first
/// record-starting line at or after `at` (`buf.len()` if there is none).
pub fn next_cut(buf: &[u8], at: usize) -> usize {
    if at == 0 {
        return 0;
    }
    let mut pos = match buf.get(at - 1) {
        Some(b'\n') => at,
        Some(_) => match memchr::memchr(b'\n', &buf[at..]) {
            Some(i) => at + i + 1,
            None => return buf.len(),
        },
        None => return buf.len(),
    };
    while pos < buf.len() {
        let end = memchr::memchr(b'\n', &buf[pos..]).map_or(buf.len(), |i| pos + i);
        if is_record_start(&buf[pos..end]) {
            return pos;
        }
        pos = end + 1;
    }
    buf.len()
}

/// Splits `buf` into consecutive ranges of roughly `target` bytes, each
/// beginning at a record start (the first at 0).
pub fn split(buf: &[u8], target: usize) -> Vec<std::ops::Range<usize>> {
    let target = target.max(1);
    let mut out = Vec::with_capacity(buf.len() / target + 1);
    let mut start = 0;
    while start < buf.len() {
        let end = next_cut(buf, (start + target).min(buf.len()));
        let end = if end <= start { buf.len() } else { end };
        out.push(start..end);
        start = end;
    }
    out
}

/// How far back from a stream buffer's end the last record start is looked
/// for. Past it, the lines held back are cut at the last newline anyway: a
/// gigabyte of blank or unparsed lines (a "newline bomb") holds no record
/// start to cut at, and must not be held whole (issue 13). A traceback
/// longer than this may be cut from its record.
pub const HOLD_MAX: usize = 1 << 20;

/// For a buffer read from a stream whose tail may be incomplete: the offset
/// up to which it can be scanned now. The rest (the incomplete last line and
/// the complete lines back to the last record start) waits for more data.
/// `None` if no such cut exists yet (one record fills the whole buffer).
pub fn stream_cut(buf: &[u8]) -> Option<usize> {
    let last = memchr::memrchr(b'\n', buf)?;
    let mut end = last;
    loop {
        let start = memchr::memrchr(b'\n', &buf[..end]).map_or(0, |i| i + 1);
        if start > 0 && is_record_start(&buf[start..end]) {
            return Some(start);
        }
        if start == 0 || buf.len() - start > HOLD_MAX {
            // Lines that follow no record start near enough: hand them on.
            return (buf.len() - start > HOLD_MAX).then_some(last + 1);
        }
        end = start - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &[u8] = b"2024-01-15 10:00:00,000 - m - ERROR - x\nTraceback\n  File\n2024-01-15 10:00:01,000 - m - INFO - y\n{\"a\":1}\n";

    #[test]
    fn cuts_only_at_record_starts() {
        assert_eq!(next_cut(TEXT, 5), 57);
        assert_eq!(next_cut(TEXT, 57), 57);
        let pieces = split(TEXT, 1);
        let starts: Vec<usize> = pieces.iter().map(|r| r.start).collect();
        assert_eq!(starts, vec![0, 57, 96]);
        assert_eq!(pieces.last().unwrap().end, TEXT.len());
    }

    #[test]
    fn stream_cut_keeps_traceback_with_record() {
        assert_eq!(stream_cut(b"{\"a\":1}\n{\"b\":2}\n{\"c\""), Some(8));
        let partial = &TEXT[..70];
        assert_eq!(stream_cut(partial), None);
        assert_eq!(stream_cut(&TEXT[..100]), Some(57));
        assert_eq!(stream_cut(b"no newline"), None);
    }

    #[test]
    fn stream_cut_never_holds_a_newline_bomb_whole() {
        let blank = vec![b'\n'; 3 * HOLD_MAX];
        assert_eq!(stream_cut(&blank), Some(blank.len()));
        let mut text = b"2024-01-15 10:00:00,000 - m - ERROR - x\n".to_vec();
        text.extend(&blank);
        text.extend(b"partial");
        assert_eq!(stream_cut(&text), Some(text.len() - 7));
    }
}
