//! The validating splitter behind `Object::parse`: skipping strings,
//! numbers, literals and nested values with serde_json's rules, and
//! decoding escaped keys strictly.
//!
//! Each `skip_*` takes the index where its item starts and gives the index
//! after it, or `None` when the bytes are not valid JSON there. Values are
//! walked without recursion, so nesting has no limit but memory.

use crate::record::quick::special_mask;
use std::ops::Range;

/// The index of the first byte at or after `i` that is not JSON whitespace.
/// Walks one JSON object (whitespace around it allowed), handing each
/// member to `member` as the range of its key's inside, the key decoded
/// when it has escapes (strictly, as serde_json decodes a key), and its
/// value's range and simplicity. `None` when `b` is not exactly one object, or when
/// `member` says so.
pub(super) fn object(
    b: &[u8],
    mut member: impl FnMut(Range<usize>, Option<Vec<u8>>, Range<usize>, bool) -> Option<()>,
) -> Option<()> {
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return (skip_ws(b, i + 1) == b.len()).then_some(());
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let (end, escaped) = skip_string(b, i + 1)?;
        let key = i + 1..end - 1;
        let decoded = match escaped {
            true => Some(decode_key(b.get(key.clone())?)?),
            false => None,
        };
        i = skip_ws(b, end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(b, i + 1);
        let (end, simple) = skip_value(b, i)?;
        member(key, decoded, i..end, simple)?;
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => return (skip_ws(b, i + 1) == b.len()).then_some(()),
            _ => return None,
        }
    }
}

/// Whether `line` is exactly one JSON object as [`Object::parse`] reads
/// it from the same line's text (invalid UTF-8 having become U+FFFD, which
/// changes nothing here): lets the fast paths keep a record without a parse.
///
/// [`Object::parse`]: super::Object::parse
pub(crate) fn is_valid_object(line: &[u8]) -> bool {
    object(line, |_, _, _, _| Some(())).is_some()
}

pub(super) fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\t' | b'\r') = b.get(i) {
        i += 1;
    }
    i
}

/// Skips the rest of a string whose opening quote is just before `i`: the
/// index after its closing quote, and whether it holds an escape. Escapes
/// are checked for syntax only; control characters are refused.
pub(super) fn skip_string(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
    let mut escaped = false;
    loop {
        while let Some(chunk) = b.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let m = special_mask(u64::from_le_bytes(word));
            if m != 0 {
                i += (m.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        match *b.get(i)? {
            b'"' => return Some((i + 1, escaped)),
            b'\\' => {
                escaped = true;
                i = match *b.get(i + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i + 2,
                    b'u' => {
                        hex4(b.get(i + 2..i + 6)?)?;
                        i + 6
                    }
                    _ => return None,
                };
            }
            c if c < 0x20 => return None,
            _ => i += 1,
        }
    }
}

/// The value of four hex digits.
fn hex4(h: &[u8]) -> Option<u16> {
    h.iter().try_fold(0u16, |n, &c| {
        let d = (c as char).to_digit(16)?;
        Some(n << 4 | d as u16)
    })
}

/// Decodes the inside of a key with escapes, strictly: a surrogate must be
/// the first half of a pair followed by the second (serde_json's rule for
/// a string). The bytes that are not escapes are kept as they are.
fn decode_key(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let e = *s.get(i + 1)?;
        i += 2;
        let unescaped = match e {
            b'u' => {
                let n = hex4(s.get(i..i + 4)?)?;
                i += 4;
                let code = match n {
                    0xD800..=0xDBFF => {
                        if s.get(i..i + 2) != Some(b"\\u") {
                            return None;
                        }
                        let low = hex4(s.get(i + 2..i + 6)?)?;
                        i += 6;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return None;
                        }
                        0x1_0000 + ((u32::from(n) - 0xD800) << 10 | (u32::from(low) - 0xDC00))
                    }
                    0xDC00..=0xDFFF => return None,
                    n => u32::from(n),
                };
                let mut utf8 = [0u8; 4];
                out.extend_from_slice(char::from_u32(code)?.encode_utf8(&mut utf8).as_bytes());
                continue;
            }
            // The simple escapes are all ASCII.
            e => super::simple_escape(e)? as u8,
        };
        out.push(unescaped);
    }
    Some(out)
}

/// Skips a number starting at `i`: the index after it, and whether it is
/// an integer of at most 18 digits that is not `-0`.
fn skip_number(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
    let negative = b.get(i) == Some(&b'-');
    if negative {
        i += 1;
    }
    let start = i;
    match *b.get(i)? {
        b'0' => i += 1,
        b'1'..=b'9' => {
            i += 1;
            while let Some(b'0'..=b'9') = b.get(i) {
                i += 1;
            }
        }
        _ => return None,
    }
    let digits = i - start;
    let mut simple = digits <= 18 && !(negative && b.get(start) == Some(&b'0'));
    if b.get(i) == Some(&b'.') {
        simple = false;
        i += 1;
        let from = i;
        while let Some(b'0'..=b'9') = b.get(i) {
            i += 1;
        }
        if i == from {
            return None;
        }
    }
    if let Some(b'e' | b'E') = b.get(i) {
        simple = false;
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        let from = i;
        while let Some(b'0'..=b'9') = b.get(i) {
            i += 1;
        }
        if i == from {
            return None;
        }
    }
    Some((i, simple))
}

/// The open arrays and objects of a value being skipped: a bit per level
/// (set for an object), spilling past 64 levels.
#[derive(Default)]
struct Nesting {
    depth: usize,
    bits: u64,
    deeper: Vec<bool>,
}

impl Nesting {
    fn push(&mut self, object: bool) {
        if self.depth < 64 {
            self.bits = self.bits & !(1 << self.depth) | (u64::from(object) << self.depth);
        } else {
            self.deeper.push(object);
        }
        self.depth += 1;
    }

    /// Whether the innermost open container is an object.
    fn top_is_object(&self) -> bool {
        match self.depth {
            0 => false,
            d if d <= 64 => self.bits >> (d - 1) & 1 == 1,
            _ => self.deeper.last().copied().unwrap_or(false),
        }
    }

    fn pop(&mut self) {
        if self.depth > 64 {
            self.deeper.pop();
        }
        self.depth = self.depth.saturating_sub(1);
    }
}

/// Skips one value starting at `i` (no whitespace before it): the index
/// after it, and whether it is simple (see [`Raw::is_simple`]).
pub(super) fn skip_value(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
    let mut simple = true;
    let mut open = Nesting::default();
    loop {
        // A value starts at `i`.
        match *b.get(i)? {
            b'"' => {
                let (end, escaped) = skip_string(b, i + 1)?;
                simple &= !escaped;
                i = end;
            }
            c @ (b'{' | b'[') => {
                open.push(c == b'{');
                simple &= open.depth <= 16;
                i = ws(b, i + 1, &mut simple);
                if b.get(i) == Some(if c == b'{' { &b'}' } else { &b']' }) {
                    open.pop();
                    i += 1;
                } else if c == b'{' {
                    i = key_colon(b, i, &mut simple)?;
                    continue;
                } else {
                    continue;
                }
            }
            b't' => i = literal(b, i, b"true")?,
            b'f' => i = literal(b, i, b"false")?,
            b'n' => i = literal(b, i, b"null")?,
            b'-' | b'0'..=b'9' => {
                let (end, plain) = skip_number(b, i)?;
                simple &= plain;
                i = end;
            }
            _ => return None,
        }
        // After a value: close containers until one goes on.
        loop {
            if open.depth == 0 {
                return Some((i, simple));
            }
            i = ws(b, i, &mut simple);
            let object = open.top_is_object();
            match *b.get(i)? {
                b',' => {
                    i = ws(b, i + 1, &mut simple);
                    if object {
                        i = key_colon(b, i, &mut simple)?;
                    }
                    break;
                }
                b'}' if object => {
                    open.pop();
                    i += 1;
                }
                b']' if !object => {
                    open.pop();
                    i += 1;
                }
                _ => return None,
            }
        }
    }
}

/// Skips `"key"`, whitespace, `:` and whitespace inside a nested object.
fn key_colon(b: &[u8], i: usize, simple: &mut bool) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let (end, escaped) = skip_string(b, i + 1)?;
    *simple &= !escaped;
    let i = ws(b, end, simple);
    if b.get(i) != Some(&b':') {
        return None;
    }
    Some(ws(b, i + 1, simple))
}

/// Skips whitespace inside a value; any makes the value not compact, so
/// not simple.
fn ws(b: &[u8], i: usize, simple: &mut bool) -> usize {
    let j = skip_ws(b, i);
    *simple &= j == i;
    j
}

/// Skips a literal (`true`, `false`, `null`) at `i`.
fn literal(b: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    (b.get(i..i + word.len())? == word).then_some(i + word.len())
}
