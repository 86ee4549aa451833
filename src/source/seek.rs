//! Seeking by time in a mapped file whose records are sorted by time.
//!
//! `--since/--until` on a sorted file need not scan the whole file: a binary
//! search over the bytes finds where the window starts and ends (SPEC §8).
//! Sortedness is checked, not assumed: evenly spaced samples must be in
//! order, otherwise the whole file is scanned. The window is widened by
//! [`SLACK`] on both sides so that writers whose records interleave slightly
//! out of order lose nothing; the filter still decides every record.

use super::chunk::next_cut;
use crate::record::Timestamp;
use std::ops::Range;

/// How far out of order records near a window edge may be.
pub const SLACK: i64 = 10 * 1_000_000_000;

/// Files smaller than this are scanned whole: seeking would not pay.
pub const MIN_SIZE: usize = 1 << 20;

const SAMPLES: usize = 64;
const LINES_PER_PROBE: usize = 32;

/// The byte range of `buf` that can hold records in [since, until), or
/// `None` when the file is small, unsorted, or has too few times to tell.
/// `time_of` reads one record's time from its first line.
pub fn window(
    buf: &[u8],
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    time_of: &dyn Fn(&[u8]) -> Option<Timestamp>,
) -> Option<Range<usize>> {
    if buf.len() < MIN_SIZE || (since.is_none() && until.is_none()) {
        return None;
    }
    let probe = |at: usize| first_time(buf, next_cut(buf, at), time_of);
    let mut last = None;
    let mut seen = 0;
    for i in 0..SAMPLES {
        if let Some(t) = probe(buf.len() / SAMPLES * i) {
            if last.is_some_and(|l| t < l) {
                return None;
            }
            last = Some(t);
            seen += 1;
        }
    }
    if seen < SAMPLES / 2 {
        return None;
    }
    let start = match since {
        Some(s) => {
            bracket(
                buf,
                Timestamp(s.0.saturating_sub(i128::from(SLACK))),
                false,
                &probe,
            )
            .0
        }
        None => 0,
    };
    let end = match until {
        Some(u) => {
            bracket(
                buf,
                Timestamp(u.0.saturating_add(i128::from(SLACK))),
                true,
                &probe,
            )
            .1
        }
        None => buf.len(),
    };
    Some(start..end.max(start))
}

/// The time of the first record at or after `pos` that has one, looking at
/// a bounded number of lines.
fn first_time(
    buf: &[u8],
    mut pos: usize,
    time_of: &dyn Fn(&[u8]) -> Option<Timestamp>,
) -> Option<Timestamp> {
    for _ in 0..LINES_PER_PROBE {
        if pos >= buf.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &buf[pos..]).map_or(buf.len(), |i| pos + i);
        if let Some(t) = time_of(&buf[pos..end]) {
            return Some(t);
        }
        pos = end + 1;
    }
    None
}

/// Two record-start offsets around the place where times reach `target`:
/// records before the first are older; records from the second on are not.
/// A probe that finds no time moves the search the safe way: earlier for a
/// start (`later_if_unknown` false), later for an end.
fn bracket(
    buf: &[u8],
    target: Timestamp,
    later_if_unknown: bool,
    probe: &dyn Fn(usize) -> Option<Timestamp>,
) -> (usize, usize) {
    let (mut lo, mut hi) = (0usize, buf.len());
    while hi - lo > 4096 {
        let mid = lo + (hi - lo) / 2;
        match probe(mid) {
            Some(t) if t < target => lo = mid,
            None if later_if_unknown => lo = mid,
            _ => hi = mid,
        }
    }
    (next_cut(buf, lo), next_cut(buf, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(n: usize, unsorted_at: Option<usize>) -> Vec<u8> {
        let mut out = Vec::new();
        for i in 0..n {
            let t = if Some(i) == unsorted_at { 0 } else { i };
            out.extend_from_slice(
                format!(
                    "{{\"ts\":{},\"pad\":\"{}\"}}\n",
                    1_700_000_000 + t,
                    "x".repeat(40)
                )
                .as_bytes(),
            );
        }
        out
    }

    fn time_of(line: &[u8]) -> Option<Timestamp> {
        let s = std::str::from_utf8(line).ok()?;
        let n: i64 = s
            .strip_prefix("{\"ts\":")?
            .split(',')
            .next()?
            .parse()
            .ok()?;
        Timestamp::from_epoch_int(n)
    }

    #[test]
    fn finds_window_in_sorted_file() {
        let buf = file(40_000, None);
        let since = Timestamp::from_epoch_int(1_700_010_000);
        let until = Timestamp::from_epoch_int(1_700_010_300);
        let r = window(&buf, since, until, &time_of).unwrap();
        let inside: Vec<i128> = buf[r.clone()]
            .split(|&b| b == b'\n')
            .filter_map(time_of)
            .map(|t| t.0 / 1_000_000_000 - 1_700_000_000)
            .collect();
        assert!(inside.first().copied().unwrap() <= 10_000 - 10);
        assert!(inside.last().copied().unwrap() >= 10_300 + 9);
        assert!(inside.len() < 2_000, "window too wide: {}", inside.len());
        assert!(r.start == 0 || buf[r.start - 1] == b'\n');
    }

    #[test]
    fn unsorted_or_small_files_are_not_seeked() {
        let since = Timestamp::from_epoch_int(1_700_010_000);
        assert!(window(&file(100, None), since, None, &time_of).is_none());
        let buf = file(40_000, Some(30_000));
        assert!(window(&buf, since, None, &time_of).is_none());
    }
}
