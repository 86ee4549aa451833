//! Where records begin and end in a buffer.
//!
//! Owns classifying a line ([`classify`]) and cutting a buffer into records
//! ([`split_records`]): JSON lines, text lines with the continuation lines
//! `traceback` lets join them, and unparsed lines.

use super::{prefix, text, traceback};

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

/// Classifies one line (without its newline).
pub fn classify(line: &[u8]) -> LineKind {
    // Nearly every line of a JSON log: no prefix starts with `{`.
    if line.first() == Some(&b'{') {
        return LineKind::Json;
    }
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let body = prefix::body(line);
    match body.iter().position(|c| !c.is_ascii_whitespace()) {
        None => return LineKind::Blank,
        Some(i) if body[i] == b'{' => return LineKind::Json,
        Some(0) => {}
        Some(_) => return LineKind::Other,
    }
    // Borrowed when the line is valid UTF-8, which it nearly always is; the
    // same view `Record::parse` gets.
    let s = String::from_utf8_lossy(body);
    if text::parse_head(&s).is_some() {
        LineKind::Text
    } else {
        LineKind::Other
    }
}

/// Whether a chunk may begin at this line: only at a record start, so a
/// traceback is never separated from its record.
pub fn is_record_start(line: &[u8]) -> bool {
    matches!(classify(line), LineKind::Json | LineKind::Text)
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
    let mut pending: Option<Pending> = None;
    let mut line_no = 0u64;
    let mut pos = 0;
    while pos < buf.len() {
        let end = memchr::memchr(b'\n', &buf[pos..]).map_or(buf.len(), |i| pos + i);
        let line = &buf[pos..end];
        let kind = classify(line);
        let joined = match (&mut pending, kind) {
            (Some(p), LineKind::Other) => {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let (service, body) = match prefix::split(line) {
                    Some(pre) => (pre.service.map(str::as_bytes), &line[pre.body_at..]),
                    None => (None, line),
                };
                match traceback::joins(traceback::continuation(body), p.in_traceback) {
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
            if let Some(p) = pending.take() {
                f(p.span);
            }
            let span = Span {
                start: pos,
                end,
                line: line_no,
                is_invalid: kind == LineKind::Other,
            };
            if kind == LineKind::Text {
                pending = Some(Pending {
                    span,
                    service: prefix::split(line)
                        .and_then(|p| p.service)
                        .map(str::as_bytes),
                    in_traceback: false,
                });
            } else {
                f(span);
            }
        }
        line_no += 1;
        pos = end + 1;
    }
    if let Some(p) = pending {
        f(p.span);
    }
    line_no
}
