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

/// [`window`] for a file read with positioned reads (one still being
/// written, so not mapped): each probe reads one block where it looks.
/// Offsets are those of record starts, as in a mapped file.
pub fn window_at(
    file: &std::fs::File,
    len: u64,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    time_of: &dyn Fn(&[u8]) -> Option<Timestamp>,
) -> Option<Range<u64>> {
    use std::os::unix::fs::FileExt;
    const BLOCK: usize = 64 << 10;
    if len < MIN_SIZE as u64 || (since.is_none() && until.is_none()) {
        return None;
    }
    let read = |at: u64| -> Vec<u8> {
        let mut buf = vec![0u8; BLOCK];
        let mut got = 0;
        while got < BLOCK {
            match file.read_at(&mut buf[got..], at + got as u64) {
                Ok(0) | Err(_) => break,
                Ok(n) => got += n,
            }
        }
        buf.truncate(got);
        buf
    };
    // Where the first record at or after `at` starts; a block without a
    // record start (a huge record) makes the seek give up, never guess.
    let lost = std::cell::Cell::new(false);
    let cut_at = |at: u64| -> u64 {
        if at == 0 || at >= len {
            return at.min(len);
        }
        // From the byte before `at`, which tells whether `at` starts a line.
        let block = read(at - 1);
        let cut = next_cut(&block, 1);
        if cut < block.len() {
            at - 1 + cut as u64
        } else {
            // No record starts before the end of the file, or none within a
            // whole block (then the seek gives up rather than guess).
            if block.len() == BLOCK {
                lost.set(true);
            }
            len
        }
    };
    let probe = |at: u64| -> Option<Timestamp> {
        let start = cut_at(at);
        if start >= len {
            return None;
        }
        first_time(&read(start), 0, time_of)
    };
    let mut last = None;
    let mut seen = 0;
    for i in 0..SAMPLES as u64 {
        if let Some(t) = probe(len / SAMPLES as u64 * i) {
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
    let bracket = |target: Timestamp, later_if_unknown: bool| -> (u64, u64) {
        let (mut lo, mut hi) = (0u64, len);
        while hi - lo > 4096 {
            let mid = lo + (hi - lo) / 2;
            match probe(mid) {
                Some(t) if t < target => lo = mid,
                None if later_if_unknown => lo = mid,
                _ => hi = mid,
            }
        }
        (cut_at(lo), cut_at(hi))
    };
    let start = match since {
        Some(s) => bracket(Timestamp(s.0.saturating_sub(i128::from(SLACK))), false).0,
        None => 0,
    };
    let end = match until {
        Some(u) => bracket(Timestamp(u.0.saturating_add(i128::from(SLACK))), true).1,
        None => len,
    };
    (!lost.get()).then_some(start..end.max(start))
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

    #[test]
    fn positioned_reads_find_the_window_of_the_mapped_search() {
        use std::io::Write;
        let buf = file(40_000, None);
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&buf).unwrap();
        for (since, until) in [
            (Some(1_700_010_000), Some(1_700_010_300)),
            (Some(1_700_039_000), None),
            (None, Some(1_700_000_100)),
        ] {
            let since = since.and_then(Timestamp::from_epoch_int);
            let until = until.and_then(Timestamp::from_epoch_int);
            let mapped = window(&buf, since, until, &time_of).unwrap();
            let read = window_at(&f, buf.len() as u64, since, until, &time_of).unwrap();
            assert_eq!(read, mapped.start as u64..mapped.end as u64);
        }
        let unsorted = file(40_000, Some(20_000));
        let mut g = tempfile::tempfile().unwrap();
        g.write_all(&unsorted).unwrap();
        let since = Timestamp::from_epoch_int(1_700_010_000);
        let mapped = window(&unsorted, since, None, &time_of).map(|r| r.start as u64..r.end as u64);
        assert_eq!(
            window_at(&g, unsorted.len() as u64, since, None, &time_of),
            mapped
        );
    }
}
