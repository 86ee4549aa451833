//! Turning bytes that arrive in arbitrary pieces into whole records.
//!
//! Owns the bytes read from one growing input (a followed file, stdin, a
//! live pipe being searched) that are not yet records: a
//! partially written last line is held until its newline arrives, and a text
//! record at the very end is held a moment longer, because the lines of its
//! traceback may still be on their way. What a record is (JSON line, text
//! line plus continuation lines) is `record::split_records`' business.
//!
//! Invariant: every byte pushed is handed out at most once, and only as part
//! of a whole record (SPEC §5: never lose, repeat or garble a record).

use crate::record::{classify, is_record_start, split_records, LineKind};
use std::time::{Duration, Instant};

/// How long a text record at the end of the input waits for its traceback.
pub const HOLD: Duration = Duration::from_millis(50);

/// The bytes of one input that are not yet whole records.
#[derive(Debug, Default)]
pub struct Assembler {
    buf: Vec<u8>,
    /// Lines before `buf[0]` in the input (0-based line of its first line).
    line: u64,
    /// When bytes last arrived.
    last_push: Option<Instant>,
    /// Inside a line over `--max-line-bytes`: dropped up to its newline.
    skipping: bool,
    /// Lines (1-based) cut for their length, not yet reported.
    cut: Vec<u64>,
}

impl Assembler {
    /// An empty assembler whose next byte starts line `line` (0-based).
    pub fn new(line: u64) -> Assembler {
        Assembler {
            buf: Vec::new(),
            line,
            last_push: None,
            skipping: false,
            cut: Vec::new(),
        }
    }

    /// Adds bytes read from the input.
    pub fn push(&mut self, bytes: &[u8], now: Instant) {
        if bytes.is_empty() {
            return;
        }
        self.last_push = Some(now);
        let mut bytes = bytes;
        if self.skipping {
            // The rest of a line cut for its length; its newline stays.
            match memchr::memchr(b'\n', bytes) {
                Some(i) => {
                    bytes = &bytes[i..];
                    self.skipping = false;
                }
                None => return,
            }
        }
        let from = memchr::memrchr(b'\n', &self.buf).map_or(0, |i| i + 1);
        self.buf.extend_from_slice(bytes);
        let max = crate::source::guard::limits().max_line;
        if self.buf.len() - from > max {
            self.cut_long_lines(from, max);
        }
    }

    /// Empties the lines from `from` on that are longer than `max` (a
    /// partial last line too, then skipped up to its newline), so that what
    /// is held stays bounded (issue 13); their numbers wait in `cut`.
    fn cut_long_lines(&mut self, from: usize, max: usize) {
        let mut start = from;
        loop {
            let end = memchr::memchr(b'\n', &self.buf[start..]).map(|i| start + i);
            let len = end.unwrap_or(self.buf.len()) - start;
            if len > max {
                let before = memchr::memchr_iter(b'\n', &self.buf[..start]).count() as u64;
                self.cut.push(self.line + before + 1);
                match end {
                    Some(e) => {
                        self.buf.drain(start..e);
                    }
                    None => {
                        self.buf.truncate(start);
                        self.skipping = true;
                        return;
                    }
                }
            }
            match memchr::memchr(b'\n', &self.buf[start..]) {
                Some(i) => start += i + 1,
                None => return,
            }
        }
    }

    /// The lines (1-based) cut for being over `--max-line-bytes` since the
    /// last call, to report.
    pub fn take_cut(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.cut)
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// The line (0-based) of the first byte held.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The bytes held (for deciding what an input is before taking records).
    pub fn held(&self) -> &[u8] {
        &self.buf
    }

    /// Hands every whole record to `f` as (raw bytes, 1-based line, unparsed)
    /// and keeps the rest: a partial last line always, and a text record at
    /// the end while a partial line follows it or less than `hold` has passed
    /// since bytes last arrived. With `end` (the input is finished) everything
    /// is handed out, a last line without its newline included.
    pub fn drain(
        &mut self,
        now: Instant,
        hold: Duration,
        end: bool,
        f: &mut dyn FnMut(&[u8], u64, bool),
    ) {
        let complete = if end {
            self.buf.len()
        } else {
            memchr::memrchr(b'\n', &self.buf).map_or(0, |i| i + 1)
        };
        if complete == 0 {
            return;
        }
        let region = &self.buf[..complete];
        let mut spans = Vec::new();
        split_records(region, |s| spans.push(s));
        let mut consumed = complete;
        if !end {
            if let Some(last) = spans.last().copied() {
                let rest = region.get(last.start..).unwrap_or_default();
                let first = memchr::memchr(b'\n', rest).map_or(rest, |i| &rest[..i]);
                let is_text = classify(first).kind == LineKind::Text;
                let partial_follows = complete < self.buf.len();
                let quiet = match self.last_push {
                    Some(t) => now.saturating_duration_since(t) >= hold,
                    None => true,
                };
                if is_text && (partial_follows || !quiet) {
                    consumed = last.start;
                    spans.pop();
                }
            }
        }
        for s in &spans {
            if let Some(raw) = region.get(s.start..s.end) {
                f(raw, self.line + s.line + 1, s.is_invalid);
            }
        }
        let taken = self.buf.get(..consumed).unwrap_or_default();
        self.line += memchr::memchr_iter(b'\n', taken).count() as u64;
        self.buf.drain(..consumed);
    }

    /// How many of the bytes held are whole records that [`Assembler::drain`]
    /// would hand out now (same rules), for a caller that scans them itself
    /// and then calls [`Assembler::consume`]. Only the last record is looked
    /// at, so a burst costs one pass, the caller's.
    pub fn ready(&self, now: Instant, hold: Duration, end: bool) -> usize {
        let complete = if end {
            self.buf.len()
        } else {
            memchr::memrchr(b'\n', &self.buf).map_or(0, |i| i + 1)
        };
        if end || complete == 0 {
            return complete;
        }
        let quiet = self
            .last_push
            .is_none_or(|t| now.saturating_duration_since(t) >= hold);
        if quiet && complete == self.buf.len() {
            return complete;
        }
        // The last record starts at or after the last record-start line;
        // records split from there are the records split from the start.
        let region = &self.buf[..complete];
        let from = last_record_start(region);
        let mut last = None;
        split_records(&region[from..], |s| last = Some(s));
        match last {
            Some(s) => {
                let rest = &region[from + s.start..];
                let first = memchr::memchr(b'\n', rest).map_or(rest, |i| &rest[..i]);
                if classify(first).kind == LineKind::Text {
                    from + s.start
                } else {
                    complete
                }
            }
            None => complete,
        }
    }

    /// Forgets the first `n` bytes held, handed out by the caller (`n` from
    /// [`Assembler::ready`], so it ends a line or the input).
    pub fn consume(&mut self, n: usize) {
        let n = n.min(self.buf.len());
        self.line += memchr::memchr_iter(b'\n', &self.buf[..n]).count() as u64;
        self.buf.drain(..n);
    }

    /// When a held text record will be released if nothing else arrives.
    pub fn deadline(&self, hold: Duration) -> Option<Instant> {
        if self.buf.is_empty() {
            return None;
        }
        self.last_push.map(|t| t + hold)
    }

    /// Starts again at line 0 with nothing held: the input was truncated,
    /// and a partial line from before cannot be completed any more.
    pub fn restart(&mut self) {
        self.buf.clear();
        self.line = 0;
        self.skipping = false;
    }
}

/// The start of the last line of `region` (whole lines) that starts a
/// record, or 0.
fn last_record_start(region: &[u8]) -> usize {
    let mut end = region.len().saturating_sub(1);
    loop {
        let start = memchr::memrchr(b'\n', &region[..end]).map_or(0, |i| i + 1);
        if start == 0 || is_record_start(&region[start..end]) {
            return start;
        }
        end = start - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(a: &mut Assembler, now: Instant, end: bool) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        a.drain(now, Duration::from_millis(50), end, &mut |raw, line, _| {
            out.push((String::from_utf8_lossy(raw).into_owned(), line))
        });
        out
    }

    #[test]
    fn partial_line_is_held_until_its_newline_then_given_once_whole() {
        let t = Instant::now();
        let mut a = Assembler::new(0);
        a.push(b"{\"a\":1}\n{\"b\":", t);
        assert_eq!(drain(&mut a, t, false), [("{\"a\":1}".to_string(), 1)]);
        assert_eq!(drain(&mut a, t, false), []);
        a.push(b"2}\n", t);
        assert_eq!(drain(&mut a, t, false), [("{\"b\":2}".to_string(), 2)]);
        assert!(a.is_empty());
        assert_eq!(drain(&mut a, t, false), []);
    }

    #[test]
    fn text_record_waits_for_its_traceback_until_quiet() {
        let t = Instant::now();
        let mut a = Assembler::new(10);
        a.push(b"2024-01-15 10:00:00,000 - m - ERROR - boom\n", t);
        assert_eq!(drain(&mut a, t, false), []);
        a.push(b"Traceback (most recent call last):\n  File \"x\"", t);
        assert_eq!(drain(&mut a, t + Duration::from_secs(1), false), []);
        a.push(b"\n", t);
        let got = drain(&mut a, t + Duration::from_millis(60), false);
        assert_eq!(
            got,
            [(
                "2024-01-15 10:00:00,000 - m - ERROR - boom\nTraceback (most recent call last):\n  File \"x\""
                    .to_string(),
                11
            )]
        );
        a.push(b"2024-01-15 10:00:01,000 - m - INFO - next\n{\"j\":1}\n", t);
        let got = drain(&mut a, t, false);
        assert_eq!(
            got,
            [
                ("2024-01-15 10:00:01,000 - m - INFO - next".to_string(), 14),
                ("{\"j\":1}".to_string(), 15)
            ]
        );
    }

    #[test]
    fn end_hands_out_the_last_line_without_newline() {
        let t = Instant::now();
        let mut a = Assembler::new(0);
        a.push(b"\n{\"a\":1}\n{\"b\":2}", t);
        assert_eq!(drain(&mut a, t, false), [("{\"a\":1}".to_string(), 2)]);
        assert_eq!(drain(&mut a, t, true), [("{\"b\":2}".to_string(), 3)]);
        assert!(a.is_empty());
    }

    #[test]
    fn long_lines_are_cut_as_they_arrive() {
        crate::source::guard::set_limits(crate::source::guard::Limits::default());
        let max = crate::source::guard::limits().max_line;
        let t = Instant::now();
        let mut a = Assembler::new(0);
        a.push(b"{\"a\":1}\n", t);
        let big = vec![b'x'; max / 2 + 1];
        a.push(&big, t);
        a.push(&big, t);
        assert!(a.held().len() <= 8 + 1, "{}", a.held().len());
        a.push(b"tail\n{\"b\":2}\n", t);
        assert_eq!(a.held(), b"{\"a\":1}\n\n{\"b\":2}\n");
        assert_eq!(a.take_cut(), vec![2]);
    }

    #[test]
    fn ready_agrees_with_drain() {
        let text = "2024-01-15 10:00:00,000 - m - ERROR - boom\n";
        let tb = "Traceback (most recent call last):\n  File \"x\", line 1\nValueError: v\n";
        let json = "{\"a\":1}\n";
        let cases = [
            format!("{json}{json}"),
            format!("{json}{text}"),
            format!("{json}{text}{tb}"),
            format!("{text}{tb}{json}"),
            format!("{text}{tb}{text}"),
            format!("{json}{text}{{\"b\":"),
            format!("{text}not a record\n"),
            "junk\nmore junk\n".to_string(),
            format!("{json}{{\"partial"),
            String::new(),
        ];
        let t = Instant::now();
        let hold = Duration::from_millis(50);
        for case in &cases {
            for (now, end) in [(t, false), (t + hold, false), (t, true)] {
                let mut a = Assembler::new(0);
                a.push(case.as_bytes(), t);
                let n = a.ready(now, hold, end);
                let mut b = Assembler::new(0);
                b.push(case.as_bytes(), t);
                let mut handed = Vec::new();
                b.drain(now, hold, end, &mut |raw, _, _| handed.push(raw.to_vec()));
                assert_eq!(
                    case.len() - n,
                    b.held().len(),
                    "{case:?} at {:?} end={end}",
                    now - t
                );
                a.consume(n);
                assert_eq!(a.held(), b.held());
                assert_eq!(a.line(), b.line());
            }
        }
    }

    #[test]
    fn restart_forgets_the_partial_line() {
        let t = Instant::now();
        let mut a = Assembler::new(5);
        a.push(b"{\"a\":", t);
        a.restart();
        a.push(b"{\"z\":0}\n", t);
        assert_eq!(drain(&mut a, t, false), [("{\"z\":0}".to_string(), 1)]);
    }
}
