//! Where records begin and end in a buffer.
//!
//! Owns classifying a line ([`classify`]) and cutting a buffer into records
//! ([`split_records`]): JSON lines, text lines with the continuation lines
//! `traceback` lets join them, and unparsed lines.
//!
//! Invariant: a line is classified once. [`Classified`] holds its container
//! prefix, its body and its kind, and [`split_classified`] hands it on with
//! each record, for the prefilter, the quick look (`peek`) and the parse
//! ([`Record::parse_classified`](super::Record::parse_classified)) to take
//! instead of splitting the line again.

use super::prefix::{self, Prefix};
use super::{text, traceback};

/// How a line relates to records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Starts a JSON record.
    Json,
    /// Starts a text record (which following lines may continue).
    Text,
    /// Blank.
    Blank,
    /// Anything else: a continuation of a text record, or unparsed.
    Other,
}

/// One line looked at once: its container prefix split off and its kind
/// found, for every later step (the prefilter, the quick look, the parse)
/// to take instead of splitting the line again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classified<'a> {
    /// The line as given (without its newline).
    pub raw: &'a [u8],
    /// The container prefix, if any.
    pub prefix: Option<Prefix<'a>>,
    /// What follows the prefix, without a final `\r`: the service's own line.
    pub body: &'a [u8],
    pub kind: LineKind,
    /// Whether the line holds a backslash, so maybe an escape: without
    /// one, no key is escaped and the quick paths need not look for any.
    pub escaped: bool,
}

impl Classified<'_> {
    /// Whether the line starts a record (a JSON or a text one).
    pub fn is_record_start(&self) -> bool {
        matches!(self.kind, LineKind::Json | LineKind::Text)
    }
}

/// Classifies one line (without its newline).
pub fn classify(line: &[u8]) -> Classified<'_> {
    classify_knowing(line, memchr::memchr(b'\\', line).is_some())
}

/// [`classify`] of a line already known to hold a backslash or not.
fn classify_knowing(line: &[u8], escaped: bool) -> Classified<'_> {
    let raw = line;
    // Blank lines come by the million in a newline bomb (tests/it/hostile.rs).
    if line.is_empty() {
        return Classified {
            raw,
            prefix: None,
            body: line,
            kind: LineKind::Blank,
            escaped,
        };
    }
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let classified = |prefix, body, kind| Classified {
        raw,
        prefix,
        body,
        kind,
        escaped,
    };
    // Nearly every line of a JSON log: no prefix starts with `{`.
    if line.first() == Some(&b'{') {
        return classified(None, line, LineKind::Json);
    }
    let prefix = prefix::split(line);
    let body = prefix.map_or(line, |p| &line[p.body_at..]);
    let kind = match body.iter().position(|c| !c.is_ascii_whitespace()) {
        None => LineKind::Blank,
        Some(i) if body[i] == b'{' => LineKind::Json,
        Some(0) => {
            // Borrowed when the line is valid UTF-8, which it nearly always
            // is; the same view `Record::parse` gets.
            let s = String::from_utf8_lossy(body);
            if text::parse_head(&s).is_some() {
                LineKind::Text
            } else {
                LineKind::Other
            }
        }
        Some(_) => LineKind::Other,
    };
    classified(prefix, body, kind)
}

/// Whether a chunk may begin at this line: only at a record start, so a
/// traceback is never separated from its record.
pub fn is_record_start(line: &[u8]) -> bool {
    classify(line).is_record_start()
}

/// A record's place in a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Byte range of the record, without its final newline.
    pub start: usize,
    pub end: usize,
    /// Line index (0-based) of its first line within the buffer.
    pub line: u64,
    /// Whether the record is an unparsed line.
    pub is_invalid: bool,
}

/// A text record being assembled from its continuation lines.
struct Pending<'b> {
    span: Span,
    /// The container that wrote its first line: its traceback comes from
    /// the same one.
    service: Option<&'b [u8]>,
    in_traceback: bool,
}

/// Calls `f` with every record of `buf` in order: JSON lines, text lines
/// with their continuation lines (see `traceback`), and unparsed lines.
/// Blank lines are skipped. Returns the number of lines in `buf`.
pub fn split_records(buf: &[u8], mut f: impl FnMut(Span)) -> u64 {
    split_classified(buf, |span, _| f(span))
}

/// [`split_records`], handing each record's first line classified along
/// with its span (each line is classified once).
pub fn split_classified<'b>(buf: &'b [u8], mut f: impl FnMut(Span, Classified<'b>)) -> u64 {
    let mut pending: Option<(Pending, Classified<'b>)> = None;
    let mut line_no = 0u64;
    let mut pos = 0;
    while pos < buf.len() {
        // One pass finds the line's end and whether it holds a backslash.
        let (end, escaped) = match memchr::memchr2(b'\n', b'\\', &buf[pos..]) {
            None => (buf.len(), false),
            Some(i) if buf[pos + i] == b'\n' => (pos + i, false),
            Some(i) => {
                let from = pos + i;
                let end = memchr::memchr(b'\n', &buf[from..]).map_or(buf.len(), |j| from + j);
                (end, true)
            }
        };
        let line = classify_knowing(&buf[pos..end], escaped);
        let kind = line.kind;
        let joined = match (&mut pending, kind) {
            (Some((p, _)), LineKind::Other) => {
                let service = line.prefix.and_then(|pre| pre.service).map(str::as_bytes);
                match traceback::joins(traceback::continuation(line.body), p.in_traceback) {
                    Some(in_tb) if service == p.service => {
                        p.span.end = end;
                        p.in_traceback = in_tb;
                        true
                    }
                    _ => false,
                }
            }
            _ => false,
        };
        if !joined && kind != LineKind::Blank {
            if let Some((p, first)) = pending.take() {
                f(p.span, first);
            }
            let span = Span {
                start: pos,
                end,
                line: line_no,
                is_invalid: kind == LineKind::Other,
            };
            if kind == LineKind::Text {
                let service = line.prefix.and_then(|p| p.service).map(str::as_bytes);
                pending = Some((
                    Pending {
                        span,
                        service,
                        in_traceback: false,
                    },
                    line,
                ));
            } else {
                f(span, line);
            }
        }
        line_no += 1;
        pos = end + 1;
    }
    if let Some((p, first)) = pending {
        f(p.span, first);
    }
    line_no
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_lines_are_classified_as_alone() {
        let buf = b"{\"a\":\"x\\\\\"}\n{\"a\":1}\r\n\n2024-01-15 10:00:00,000 - m - ERROR - b\\x\n  File \"y\"\nnot a record \\\n{\"b\":\"\\u0041\"}";
        let mut firsts = Vec::new();
        split_classified(buf, |span, first| {
            let line_end = buf[span.start..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(buf.len(), |i| span.start + i);
            assert_eq!(first, classify(&buf[span.start..line_end]));
            firsts.push((first.kind, first.escaped));
        });
        assert_eq!(
            firsts,
            [
                (LineKind::Json, true),
                (LineKind::Json, false),
                (LineKind::Text, true),
                (LineKind::Other, true),
                (LineKind::Json, true),
            ]
        );
    }
}
