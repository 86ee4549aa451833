//! The last records of a plain file, found by reading it backwards.
//!
//! Owns `tail`'s promise not to read whole gigabyte files: blocks are read
//! from the end towards the start (64 KiB, doubling) until enough records
//! pass the filter. Each block is cut at a record start (`source::chunk`),
//! so a traceback is never separated from its text record; the bytes before
//! the cut are read again with the next block.
//!
//! Files are read with `pread`, never mapped, so a file truncated underneath
//! ends the search early instead of raising SIGBUS.

use super::Selector;
use crate::merge::OwnedHit;
use crate::record::split_classified;
use crate::source::{chunk, Origin};
use std::collections::VecDeque;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

const FIRST_BLOCK: u64 = 64 << 10;
const MAX_BLOCK: u64 = 8 << 20;

/// What [`last_records`] found.
#[derive(Debug, Default)]
pub struct Tail {
    /// The last records that passed the filter, in file order.
    pub hits: Vec<OwnedHit>,
    /// Unparsed lines among the records looked at.
    pub invalid: u64,
    /// The file shrank while it was read; the search stopped there.
    pub shrank: bool,
    /// Lines in the bytes before `end`, when lines were counted.
    pub lines: Option<u64>,
    /// Lines longer than `--max-line-bytes`, skipped without being held.
    pub long_lines: u64,
}

/// The last `n` records among the first `end` bytes of `file` that `sel`
/// keeps, reading backwards. With `count_lines` the hits carry their line
/// numbers, which costs a count of the newlines before the first one.
pub fn last_records(
    file: &File,
    end: u64,
    n: usize,
    sel: &Selector,
    origin: Origin,
    count_lines: bool,
) -> io::Result<Tail> {
    let mut tail = Tail::default();
    // Found hits, in file order, each with the newlines from its start to `end`.
    let mut found: VecDeque<(OwnedHit, u64)> = VecDeque::new();
    let mut hi = end;
    let mut newlines_after_hi = 0u64;
    let mut block = FIRST_BLOCK;
    let mut buf = Vec::new();
    while hi > 0 && found.len() < n {
        let lo = hi.saturating_sub(block);
        let want = usize::try_from(hi - lo).map_err(io::Error::other)?;
        buf.resize(want, 0);
        let got = read_full_at(file, &mut buf, lo)?;
        if got < want {
            tail.shrank = true;
            break;
        }
        let cut = if lo == 0 { 0 } else { chunk::next_cut(&buf, 1) };
        if cut >= buf.len() {
            // One record is longer than the block: look further back, up
            // to the line cap; a line past it is skipped, never held.
            let max = crate::source::guard::limits().max_line as u64;
            if hi - lo > max && lo > 0 {
                hi = line_start_before(file, lo)?;
                tail.long_lines += 1;
                block = FIRST_BLOCK;
                buf = Vec::new();
                continue;
            }
            block = block.saturating_mul(2);
            continue;
        }
        let region = buf.get(cut..).unwrap_or_default();
        let region_newlines = memchr::memchr_iter(b'\n', region).count() as u64;
        let mut group = Vec::new();
        split_classified(region, |span, first| {
            let Some(raw) = region.get(span.start..span.end) else {
                return;
            };
            if let Some(hit) = sel.select_classified(raw, &first, 0, origin, &mut tail.invalid) {
                let after = region_newlines - span.line + newlines_after_hi;
                group.push((hit, after));
            }
        });
        for item in group.into_iter().rev() {
            found.push_front(item);
        }
        while found.len() > n {
            found.pop_front();
        }
        newlines_after_hi += region_newlines;
        hi = lo + cut as u64;
        block = (block.saturating_mul(2)).min(MAX_BLOCK);
    }
    if count_lines {
        let total = count_newlines(file, hi)? + newlines_after_hi;
        for (hit, after) in found.iter_mut() {
            hit.line = total - *after + 1;
        }
        tail.lines = Some(total);
    }
    tail.hits = found.into_iter().map(|(h, _)| h).collect();
    Ok(tail)
}

/// Where the line holding byte `at - 1` starts: just after the newline
/// before it, or 0. Reads backwards a block at a time, holding one block.
fn line_start_before(file: &File, at: u64) -> io::Result<u64> {
    let mut hi = at;
    let mut buf = vec![0u8; FIRST_BLOCK as usize];
    while hi > 0 {
        let lo = hi.saturating_sub(FIRST_BLOCK);
        let want = (hi - lo) as usize;
        let got = read_full_at(file, &mut buf[..want], lo)?;
        if let Some(i) = memchr::memrchr(b'\n', &buf[..got.min(want)]) {
            return Ok(lo + i as u64 + 1);
        }
        hi = lo;
    }
    Ok(0)
}

/// The end of the last whole line among the first `size` bytes: where
/// following starts, so that a line still being written is read once, whole.
pub fn whole_lines_end(file: &File, size: u64) -> io::Result<u64> {
    let mut hi = size;
    let mut buf = vec![0u8; FIRST_BLOCK as usize];
    while hi > 0 {
        let lo = hi.saturating_sub(FIRST_BLOCK);
        let len = (hi - lo) as usize;
        let part = buf.get_mut(..len).unwrap_or_default();
        let got = read_full_at(file, part, lo)?;
        if let Some(i) = memchr::memrchr(b'\n', part.get(..got).unwrap_or_default()) {
            return Ok(lo + i as u64 + 1);
        }
        hi = lo;
    }
    Ok(0)
}

/// Newlines among the first `end` bytes.
pub fn count_newlines(file: &File, end: u64) -> io::Result<u64> {
    let mut buf = vec![0u8; 1 << 20];
    let mut pos = 0u64;
    let mut total = 0u64;
    while pos < end {
        let len = (end - pos).min(buf.len() as u64) as usize;
        let part = buf.get_mut(..len).unwrap_or_default();
        let got = read_full_at(file, part, pos)?;
        total += memchr::memchr_iter(b'\n', part.get(..got).unwrap_or_default()).count() as u64;
        if got < len {
            break;
        }
        pos += got as u64;
    }
    Ok(total)
}

/// Reads at `offset` until `buf` is full or the file ends; the bytes read.
pub fn read_full_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        let Some(rest) = buf.get_mut(n..) else { break };
        match file.read_at(rest, offset + n as u64) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::Expr;
    use crate::record::{LevelFilter, RoleMap};
    use std::io::Write;

    fn file(content: &[u8]) -> File {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(content).unwrap();
        f
    }

    fn lines(t: &Tail) -> Vec<(String, u64)> {
        t.hits
            .iter()
            .map(|h| (String::from_utf8_lossy(&h.raw).into_owned(), h.line))
            .collect()
    }

    const ORIGIN: Origin = Origin {
        input: 0,
        category: None,
    };

    #[test]
    fn finds_exactly_the_last_n_matches_across_many_blocks() {
        let mut content = Vec::new();
        for i in 0..20_000 {
            let level = if i % 7 == 0 { "error" } else { "info" };
            writeln!(content, "{{\"level\":\"{level}\",\"i\":{i}}}").unwrap();
        }
        let f = file(&content);
        let roles = RoleMap::default();
        let filter = Expr::Level(LevelFilter::parse("error").unwrap());
        let sel = Selector::new(&filter, &roles, false, true);
        let t = last_records(&f, content.len() as u64, 3, &sel, ORIGIN, true).unwrap();
        assert_eq!(
            lines(&t),
            [
                (r#"{"level":"error","i":19985}"#.to_string(), 19986),
                (r#"{"level":"error","i":19992}"#.to_string(), 19993),
                (r#"{"level":"error","i":19999}"#.to_string(), 20000),
            ]
        );
        assert_eq!(t.lines, Some(20_000));
        let all = Expr::True;
        let sel = Selector::new(&all, &roles, false, true);
        let t = last_records(&f, content.len() as u64, 30_000, &sel, ORIGIN, true).unwrap();
        assert_eq!(t.hits.len(), 20_000);
        assert_eq!(t.hits.first().map(|h| h.line), Some(1));
    }

    #[test]
    fn keeps_a_traceback_longer_than_a_block_with_its_record() {
        let mut content = b"2024-01-15 10:00:00,000 - m - ERROR - boom\n".to_vec();
        for i in 0..5000 {
            writeln!(content, "  File \"f{i}.py\", line {i}, in g").unwrap();
        }
        content.extend_from_slice(b"2024-01-15 10:00:01,000 - m - INFO - after\n");
        let f = file(&content);
        let roles = RoleMap::default();
        let all = Expr::True;
        let sel = Selector::new(&all, &roles, false, true);
        let t = last_records(&f, content.len() as u64, 2, &sel, ORIGIN, true).unwrap();
        assert_eq!(t.hits.len(), 2);
        let first = &t.hits[0];
        assert!(first
            .raw
            .starts_with(b"2024-01-15 10:00:00,000 - m - ERROR - boom\n  File"));
        assert!(first.raw.ends_with(b"line 4999, in g"));
        assert_eq!((first.line, t.hits[1].line), (1, 5002));
        assert_eq!(t.invalid, 0);
    }

    #[test]
    fn whole_lines_end_leaves_out_the_partial_line() {
        assert_eq!(whole_lines_end(&file(b"{}\n{\"a\""), 7).unwrap(), 3);
        assert_eq!(whole_lines_end(&file(b"{}\n"), 3).unwrap(), 3);
        assert_eq!(whole_lines_end(&file(b"partial"), 7).unwrap(), 0);
        let long = [b"{}\n".as_slice(), &vec![b'x'; 200_000]].concat();
        assert_eq!(whole_lines_end(&file(&long), long.len() as u64).unwrap(), 3);
    }

    #[test]
    fn counts_newlines_in_a_prefix() {
        let f = file(b"a\nb\nc\n");
        assert_eq!(count_newlines(&f, 4).unwrap(), 2);
        assert_eq!(count_newlines(&f, 100).unwrap(), 3);
    }
}
