//! Keeping hostile bytes out of the scanner: binary inputs, over-long lines,
//! a byte-order mark.
//!
//! Owns the two limits every input is read under (issue 13): a NUL byte
//! means the input is not a log (`/dev/zero`, an image, a core dump named
//! `*.log`), so it is skipped at the first one, like ripgrep does, unless
//! `-a/--binary`; and a line longer than `--max-line-bytes` is reported with
//! its file and line and skipped. A raw NUL is never valid JSON nor text a
//! logger writes (JSON escapes it as `\u0000`), so no record is lost to it.
//!
//! [`Guard`] applies both to a stream (compressed, stdin, pipe, device) as
//! it is read, holding at most one line of `--max-line-bytes`: the scanner
//! behind it only ever sees whole lines of bounded length, so its memory is
//! bounded too. A mapped file is checked where it is cut into chunks
//! ([`check_mapped`]), and one that holds an over-long line is read as a
//! stream instead ([`has_long_line`]).
//!
//! Invariant: a skipped line leaves its newline behind, so the line numbers
//! of the records after it stay right.

use std::io::{self, Read};
use std::sync::OnceLock;

/// The default `--max-line-bytes`: 64 MiB.
pub const DEFAULT_MAX_LINE: usize = 64 << 20;

/// What the inputs are read under, from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `-a/--binary`: search inputs with NUL bytes too.
    pub binary: bool,
    /// `--max-line-bytes`: longer lines are skipped.
    pub max_line: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            binary: false,
            max_line: DEFAULT_MAX_LINE,
        }
    }
}

static LIMITS: OnceLock<Limits> = OnceLock::new();

/// Sets the limits for the rest of the process (once, from the settings);
/// every way of reading an input (search, tail, live pipes) looks them up.
pub fn set_limits(limits: Limits) {
    let _ = LIMITS.set(limits);
}

/// The limits in force.
pub fn limits() -> Limits {
    LIMITS.get().copied().unwrap_or_default()
}

/// An input that holds a NUL byte, skipped as binary.
#[derive(Debug)]
pub struct Binary {
    /// Offset of the first NUL byte (in the decompressed bytes).
    pub offset: u64,
}

impl std::fmt::Display for Binary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "binary file (NUL byte at offset {}), skipped; -a to search it",
            self.offset
        )
    }
}

impl std::error::Error for Binary {}

/// The error that skips a binary input.
pub fn binary_error(offset: u64) -> io::Error {
    io::Error::other(Binary { offset })
}

/// Whether `e` says the input was skipped as binary (reported as such, and
/// not an error: the status is that of the other inputs, as in ripgrep).
pub fn is_binary(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<Binary>())
}

/// The UTF-8 byte-order mark some Windows tools write at a file's start.
pub const BOM: &[u8] = b"\xef\xbb\xbf";

/// The warning for a line over the limit (1-based `line`).
/// Without a line number (`tail -f` counts lines only for `-o json`), the
/// file alone is named.
pub fn long_line_message(name: &str, line: Option<u64>, max: usize) -> String {
    let size = match max {
        m if m % (1 << 30) == 0 => format!("{}G", m >> 30),
        m if m % (1 << 20) == 0 => format!("{}M", m >> 20),
        m if m % (1 << 10) == 0 => format!("{}K", m >> 10),
        m => format!("{m} bytes"),
    };
    match line {
        Some(line) => format!("{name}:{line}: line longer than --max-line-bytes ({size}), skipped"),
        None => format!("{name}: a line longer than --max-line-bytes ({size}) was skipped"),
    }
}

/// A stream read under the [`Limits`]: stops with a [`Binary`] error at the
/// first NUL byte, drops a leading byte-order mark, and replaces each line
/// longer than the limit by an empty line (after a warning naming it).
/// Hands out whole lines only (and the last bytes at the end of input).
pub struct Guard<R> {
    inner: R,
    name: String,
    limits: Limits,
    /// Bytes read and not handed out: `buf[pos..ready]` are whole lines,
    /// `buf[ready..]` the start of the next one.
    buf: Vec<u8>,
    pos: usize,
    ready: usize,
    /// Offset (in the stream) of `buf[0]`, for the NUL's offset.
    offset: u64,
    /// Newlines before `buf[ready]`'s line, for the warning's line number.
    lines: u64,
    /// Inside an over-long line: its bytes are dropped up to its newline.
    skipping: bool,
    started: bool,
    ended: bool,
}

/// How much is read from the inner stream at a time.
const BLOCK: usize = 1 << 16;

impl<R: Read> Guard<R> {
    /// Guards `inner`, named `name` in warnings, under the process limits.
    pub fn new(inner: R, name: String) -> Guard<R> {
        Guard::with_limits(inner, name, limits())
    }

    /// Guards `inner` under the given limits.
    pub fn with_limits(inner: R, name: String, limits: Limits) -> Guard<R> {
        Guard {
            inner,
            name,
            limits: Limits {
                max_line: limits.max_line.max(1),
                ..limits
            },
            buf: Vec::new(),
            pos: 0,
            ready: 0,
            offset: 0,
            lines: 0,
            skipping: false,
            started: false,
            ended: false,
        }
    }

    /// Reads one block from the inner stream into `buf`: where in `buf` the
    /// new bytes start, `None` at the end of the stream.
    fn fill(&mut self) -> io::Result<Option<usize>> {
        // Forget what was handed out; give a huge line's memory back.
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.offset += self.pos as u64;
            self.ready -= self.pos;
            self.pos = 0;
        }
        if self.buf.is_empty() && self.buf.capacity() > 4 * BLOCK {
            self.buf = Vec::new();
        }
        let old = self.buf.len();
        self.buf.resize(old + BLOCK, 0);
        let n = loop {
            match self.inner.read(&mut self.buf[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(old);
                    return Err(e);
                }
            }
        };
        self.buf.truncate(old + n);
        if n == 0 {
            return Ok(None);
        }
        if !self.started {
            self.started = true;
            // A BOM arriving in pieces is not worth the bookkeeping: streams
            // start with a block of at least three bytes in practice.
            if self.buf.starts_with(BOM) {
                self.buf.drain(..BOM.len());
                self.offset += BOM.len() as u64;
            }
        }
        let new = &self.buf[old.min(self.buf.len())..];
        if !self.limits.binary {
            if let Some(i) = memchr::memchr(0, new) {
                return Err(binary_error(self.offset + (old + i) as u64));
            }
        }
        Ok(Some(old))
    }

    /// Moves `ready` past the whole lines in `buf`, dropping over-long ones.
    /// `from`: where the bytes just read start.
    fn settle(&mut self, mut from: usize) {
        let max = self.limits.max_line;
        loop {
            if self.skipping {
                match memchr::memchr(b'\n', &self.buf[self.ready..]) {
                    Some(i) => {
                        // Keep the newline: the line is now empty.
                        self.buf.drain(self.ready..self.ready + i);
                        self.skipping = false;
                        from = self.ready;
                    }
                    None => {
                        self.buf.truncate(self.ready);
                        return;
                    }
                }
            }
            // `buf[ready..from]` holds no newline (looked at before).
            let from = from.max(self.ready);
            let last = memchr::memrchr(b'\n', &self.buf[from..]);
            // Every line before the last newline, checked for its length
            // only when the region could hold a long one.
            let whole = last.map_or(0, |i| from - self.ready + i + 1);
            if whole > max {
                if let Some(cut) = self.long_line_in(self.ready, self.ready + whole) {
                    self.ready = cut;
                    continue;
                }
            }
            self.count_lines(whole);
            self.ready += whole;
            if self.buf.len() - self.ready > max {
                // The unfinished last line is over the limit already.
                self.warn_long();
                self.skipping = true;
                continue;
            }
            return;
        }
    }

    /// Finds the first line over the limit in `buf[from..to]` (whole lines);
    /// when there is one, the lines before it become ready, a warning names
    /// it, skipping starts, and the new `ready` is returned.
    fn long_line_in(&mut self, from: usize, to: usize) -> Option<usize> {
        let max = self.limits.max_line;
        let mut start = from;
        for nl in memchr::memchr_iter(b'\n', &self.buf[from..to]) {
            let end = from + nl;
            if end - start > max {
                self.count_lines(start - self.ready);
                self.ready = start;
                self.warn_long();
                self.skipping = true;
                return Some(start);
            }
            start = end + 1;
        }
        None
    }

    fn count_lines(&mut self, len: usize) {
        let region = &self.buf[self.ready..self.ready + len];
        self.lines += memchr::memchr_iter(b'\n', region).count() as u64;
    }

    fn warn_long(&self) {
        crate::report::warning(long_line_message(
            &self.name,
            Some(self.lines + 1),
            self.limits.max_line,
        ));
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.ready {
            if self.ended {
                // The last line, without its newline.
                let n = (self.buf.len() - self.pos).min(out.len());
                out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
                self.pos += n;
                self.ready = self.pos;
                return Ok(n);
            }
            match self.fill()? {
                Some(from) => self.settle(from),
                None => {
                    self.ended = true;
                    if self.skipping {
                        self.buf.truncate(self.ready);
                    }
                }
            }
        }
        let n = (self.ready - self.pos).min(out.len());
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Checks the chunks of a mapped file about to be scanned for a NUL byte:
/// the [`Binary`] error to stop with, if there is one and `-a` is not given.
pub fn check_mapped(buf: &[u8], ranges: &[std::ops::Range<usize>]) -> Option<io::Error> {
    if limits().binary {
        return None;
    }
    ranges.iter().find_map(|r| {
        let i = memchr::memchr(0, buf.get(r.clone())?)?;
        Some(binary_error((r.start + i) as u64))
    })
}

/// Whether `buf` may hold a line longer than `max` (then it is read through
/// a [`Guard`] rather than mapped). Looks at one spot every `max / 2` bytes,
/// each only back to its nearest newline, so a log of ordinary lines costs
/// next to nothing: any line over `max` covers a whole such stretch.
pub fn has_long_line(buf: &[u8], max: usize) -> bool {
    let step = (max / 2).max(1);
    let mut at = step;
    while at <= buf.len() {
        if memchr::memrchr(b'\n', &buf[at - step..at]).is_none() {
            let start = memchr::memrchr(b'\n', &buf[..at - step]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &buf[at..]).map_or(buf.len(), |i| at + i);
            if end - start > max {
                return true;
            }
        }
        at += step;
    }
    buf.len() > max && memchr::memchr(b'\n', buf).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that returns at most `n` bytes a call.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn through(data: &[u8], limits: Limits, step: usize) -> io::Result<Vec<u8>> {
        let mut g = Guard::with_limits(Trickle(data, step), "t".into(), limits);
        let mut out = Vec::new();
        g.read_to_end(&mut out)?;
        Ok(out)
    }

    fn max(n: usize) -> Limits {
        Limits {
            binary: false,
            max_line: n,
        }
    }

    #[test]
    fn ordinary_lines_pass_unchanged_in_any_pieces() {
        let data = b"{\"a\":1}\n{\"b\":2}\nlast";
        for step in [1, 2, 5, 100] {
            assert_eq!(through(data, max(64), step).unwrap(), data);
        }
    }

    #[test]
    fn long_lines_become_empty_lines() {
        let data = b"ok\n0123456789abcdef\nok2\n0123456789abcdefXYZ";
        for step in [1, 3, 7, 1000] {
            assert_eq!(
                through(data, max(8), step).unwrap(),
                b"ok\n\nok2\n",
                "{step}"
            );
        }
    }

    #[test]
    fn nul_byte_stops_with_its_offset() {
        let data = b"{\"a\":1}\nab\0cd\n";
        let e = through(data, max(64), 1000).unwrap_err();
        assert!(is_binary(&e));
        assert_eq!(
            e.to_string(),
            "binary file (NUL byte at offset 10), skipped; -a to search it"
        );
        let all = Limits {
            binary: true,
            max_line: 64,
        };
        assert_eq!(through(data, all, 3).unwrap(), data);
    }

    #[test]
    fn leading_bom_is_dropped() {
        assert_eq!(
            through(b"\xef\xbb\xbf{\"a\":1}\n", max(64), 100).unwrap(),
            b"{\"a\":1}\n"
        );
    }

    #[test]
    fn long_line_found_by_sampling() {
        let mut buf = b"short\n".repeat(100);
        assert!(!has_long_line(&buf, 16));
        buf.extend(vec![b'x'; 40]);
        buf.extend(b"\nshort\n");
        assert!(has_long_line(&buf, 16));
        assert!(!has_long_line(&buf, 64));
        assert!(has_long_line(&[b'y'; 20], 16));
    }
}
