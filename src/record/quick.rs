//! Reading one field of a JSON line without parsing the line.
//!
//! [`top_level`] walks only the top level of an object, skipping nested
//! values and strings with memchr, and hands each key with its raw value to
//! a callback. It does not validate: it is used to *reject* records early
//! (a level or time that cannot match); a record that passes is parsed in
//! full afterwards, so a malformed line is never printed as a record.
//! Whenever the line is not simple enough to be sure (escaped keys, odd
//! structure), it returns `None` and the caller falls back to a full parse.
//!
//! [`is_valid_object`] is what lets a record be kept without that parse: it
//! accepts exactly the lines `json::Object::parse` accepts (serde_json's
//! rules for a decoded key and a skipped raw value), which the property
//! tests here and in `scan/sieve/tests.rs` hold it to (issue 12).

use memchr::memchr2;
use memchr::memmem::Finder;

#[inline(always)]
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// Given `i` just after an opening quote, the index just after the closing one.
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    // Most keys and values are short: a plain loop beats a SIMD call there.
    let short = b.len().min(i + 24);
    while i < short {
        match b[i] {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    loop {
        let j = i + memchr2(b'"', b'\\', b.get(i..)?)?;
        if b[j] == b'"' {
            return Some(j + 1);
        }
        i = j + 2;
    }
}

/// Given `i` at the start of a value, the index just after it.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => skip_string(b, i + 1),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j + 1)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b' ' | b'\t' | b'\r' | b'\n') {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

/// Calls `f(key, raw_value)` for each top-level entry of the JSON object in
/// `line`, in order, until `f` returns `false`. `None` when the line is not
/// a plain object this scanner can read with certainty (it then says
/// nothing about the record).
pub fn top_level<'a>(line: &'a [u8], mut f: impl FnMut(&'a [u8], &'a [u8]) -> bool) -> Option<()> {
    let mut i = skip_ws(line, 0);
    if line.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(line, i + 1);
    if line.get(i) == Some(&b'}') {
        return Some(());
    }
    loop {
        if line.get(i) != Some(&b'"') {
            return None;
        }
        let key_end = skip_string(line, i + 1)?;
        let key = &line[i + 1..key_end - 1];
        // A loop, not `contains`: keys are short and memchr's setup costs more.
        #[allow(clippy::manual_contains)]
        if key.iter().any(|&c| c == b'\\') {
            return None;
        }
        i = skip_ws(line, key_end);
        if line.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(line, i + 1);
        let end = skip_value(line, i)?;
        if !f(key, &line[i..end]) {
            return Some(());
        }
        i = skip_ws(line, end);
        match line.get(i) {
            Some(b',') => i = skip_ws(line, i + 1),
            Some(b'}') => return Some(()),
            _ => return None,
        }
    }
}

/// The raw value of a key found directly: `quoted_key` (the key with its
/// quotes) occurs before any nested object or array opens, right after the
/// `{` or `,` that opens a member, is followed by a colon, and neither it
/// nor an escaped spelling of it ([`may_spell`]) occurs again. Then it is a
/// top-level key without a duplicate (the last duplicate is the one
/// `Object::get` gives), and the line need not be walked. `None` when any
/// of that is not plain to see.
///
/// `pos` is where `quoted_key` first occurs, which the caller has found;
/// `escaped`, whether the line holds a backslash at all.
pub fn direct_value_at<'a>(
    line: &'a [u8],
    quoted_key: &Finder<'_>,
    pos: usize,
    escaped: bool,
) -> Option<&'a [u8]> {
    let open = skip_ws(line, 0);
    if line.get(open) != Some(&b'{') || pos <= open {
        return None;
    }
    let before = &line[open + 1..pos];
    if memchr2(b'{', b'[', before).is_some() {
        return None;
    }
    // `{"m":"\"level","level":1}` finds the quote that ends a string.
    let before_ws = before.len() - before.iter().rev().take_while(|c| is_ws(c)).count();
    if before_ws > 0 && before[before_ws - 1] != b',' {
        return None;
    }
    let quoted = quoted_key.needle();
    let mut i = skip_ws(line, pos + quoted.len());
    if line.get(i) != Some(&b':') {
        return None;
    }
    i = skip_ws(line, i + 1);
    let end = skip_value(line, i)?;
    let rest = &line[end..];
    if quoted_key.find(rest).is_some() {
        return None;
    }
    let key = &quoted[1..quoted.len() - 1];
    if escaped && may_spell(rest, key) {
        return None;
    }
    Some(&line[i..end])
}

/// Whether an escape in `bytes` could stand for a byte of `key`, so that
/// an escaped key there might decode to `key` (`"lev\u0065l"` is
/// `"level"`). `false` is certain; `true` only says "maybe".
pub fn may_spell(bytes: &[u8], key: &[u8]) -> bool {
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'\\', &bytes[i..]) {
        let at = i + at;
        let Some(&c) = bytes.get(at + 1) else {
            return false;
        };
        let stands_for = match c {
            b'u' => match hex4(bytes, at + 2) {
                Some(unit) if unit < 0x80 => Some(unit as u8),
                // Any non-ASCII character: maybe in a non-ASCII key.
                Some(_) => None,
                None => Some(0),
            },
            b'"' | b'\\' | b'/' => Some(c),
            b'b' => Some(8),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            _ => Some(0),
        };
        let hit = match stands_for {
            Some(byte) => key.contains(&byte),
            None => !key.is_ascii(),
        };
        if hit {
            return true;
        }
        i = at + 2;
    }
    false
}

fn is_ws(c: &u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Whether `line` is exactly one valid JSON object (surrounding whitespace
/// allowed), as strictly as [`Object::parse`](super::json::Object::parse)
/// decides it: its top-level keys are decoded (so a `\u` escape there must
/// not be a lone or reversed surrogate), its values are only skipped the
/// way serde_json skips a raw value (any escape of four hex digits, any
/// depth). Lets a record that the quick scan decided be kept without a parse.
pub fn is_valid_object(line: &[u8]) -> bool {
    let i = skip_ws(line, 0);
    if line.get(i) != Some(&b'{') {
        return false;
    }
    match valid_top(line, i) {
        Some(end) => skip_ws(line, end) == line.len(),
        None => false,
    }
}

/// The top-level object starting at `b[i]` (a `{`): keys checked as
/// serde_json decodes them, values as it skips them.
fn valid_top(b: &[u8], i: usize) -> Option<usize> {
    let mut j = skip_ws(b, i + 1);
    if b.get(j) == Some(&b'}') {
        return Some(j + 1);
    }
    loop {
        if b.get(j) != Some(&b'"') {
            return None;
        }
        j = skip_ws(b, valid_string::<true>(b, j + 1)?);
        if b.get(j) != Some(&b':') {
            return None;
        }
        j = skip_ws(b, j + 1);
        // Most values are strings: no stack for them.
        j = match b.get(j) {
            Some(b'"') => valid_string::<false>(b, j + 1)?,
            _ => valid_value(b, j)?,
        };
        j = skip_ws(b, j);
        match b.get(j) {
            Some(b',') => j = skip_ws(b, j + 1),
            Some(b'}') => return Some(j + 1),
            _ => return None,
        }
    }
}

/// The open containers of a value being skipped, innermost last: a bit per
/// level (set for an object), spilling to the heap only past 64 levels, so
/// that any depth is read without recursion, as serde_json reads a raw value.
#[derive(Default)]
struct Nesting {
    bits: u64,
    len: usize,
    deeper: Vec<u64>,
}

impl Nesting {
    fn push(&mut self, is_object: bool) {
        if self.len > 0 && self.len % 64 == 0 {
            self.deeper.push(self.bits);
            self.bits = 0;
        }
        self.bits = self.bits << 1 | u64::from(is_object);
        self.len += 1;
    }

    /// Whether the innermost open container is an object; `None` when none is open.
    fn top(&self) -> Option<bool> {
        (self.len > 0).then_some(self.bits & 1 == 1)
    }

    fn pop(&mut self) {
        self.bits >>= 1;
        self.len -= 1;
        if self.len > 0 && self.len % 64 == 0 {
            self.bits = self.deeper.pop().unwrap_or(0);
        }
    }
}

/// After the `"` that opens an object key: the key, its colon and the
/// whitespace before the value.
fn valid_member_key(b: &[u8], i: usize) -> Option<usize> {
    let j = skip_ws(b, valid_string::<false>(b, i)?);
    if b.get(j) != Some(&b':') {
        return None;
    }
    Some(skip_ws(b, j + 1))
}

/// Given `i` at the start of a value, the index just after it, checked as
/// serde_json's `ignore_value` checks a raw value.
fn valid_value(b: &[u8], mut i: usize) -> Option<usize> {
    let mut open = Nesting::default();
    loop {
        // At a value.
        i = match *b.get(i)? {
            b'"' => valid_string::<false>(b, i + 1)?,
            b'{' => {
                let j = skip_ws(b, i + 1);
                match b.get(j) {
                    Some(b'}') => j + 1,
                    Some(b'"') => {
                        open.push(true);
                        i = valid_member_key(b, j + 1)?;
                        continue;
                    }
                    _ => return None,
                }
            }
            b'[' => {
                let j = skip_ws(b, i + 1);
                if b.get(j) == Some(&b']') {
                    j + 1
                } else {
                    open.push(false);
                    i = j;
                    continue;
                }
            }
            b't' => b.get(i..i + 4).filter(|w| *w == b"true").map(|_| i + 4)?,
            b'f' => b.get(i..i + 5).filter(|w| *w == b"false").map(|_| i + 5)?,
            b'n' => b.get(i..i + 4).filter(|w| *w == b"null").map(|_| i + 4)?,
            b'-' | b'0'..=b'9' => valid_number(b, i)?,
            _ => return None,
        };
        // After a value: close what ends here, then find the next value.
        loop {
            let Some(is_object) = open.top() else {
                return Some(i);
            };
            i = skip_ws(b, i);
            match (b.get(i), is_object) {
                (Some(b','), false) => {
                    i = skip_ws(b, i + 1);
                    break;
                }
                (Some(b','), true) => {
                    let j = skip_ws(b, i + 1);
                    if b.get(j) != Some(&b'"') {
                        return None;
                    }
                    i = valid_member_key(b, j + 1)?;
                    break;
                }
                (Some(b']'), false) | (Some(b'}'), true) => {
                    open.pop();
                    i += 1;
                }
                _ => return None,
            }
        }
    }
}

/// Flags (high bit of each byte) the quotes, backslashes and control
/// characters among 8 bytes: the only bytes a JSON string scan must stop at.
/// The lowest flag is exact (borrows can only flag bytes above a real one).
pub(super) fn special_mask(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let less_than_space = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    let quote = word ^ (ONES * b'"' as u64);
    let backslash = word ^ (ONES * b'\\' as u64);
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    less_than_space | zero_byte(quote) | zero_byte(backslash)
}

#[cfg(test)]
fn has_special(word: u64) -> bool {
    special_mask(word) != 0
}

/// Four hex digits at `b[i..]` as a UTF-16 code unit.
fn hex4(b: &[u8], i: usize) -> Option<u16> {
    let hex = b.get(i..i + 4)?;
    if !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
}

/// Given `i` just after an opening quote, the index just after the closing
/// one. `DECODED` checks a `\u` escape as serde_json does when it decodes
/// the string (a key of the record): a surrogate must be a high one
/// directly followed by an escaped low one. Otherwise any four hex digits
/// pass, as when serde_json skips a raw value.
#[inline]
fn valid_string<const DECODED: bool>(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        // Skip 8 plain bytes at a time, then go byte by byte past the
        // special byte found (so a word is never tested twice).
        while let Some(chunk) = b.get(i..i + 8) {
            let mask = special_mask(u64::from_le_bytes(chunk.try_into().ok()?));
            if mask != 0 {
                i += (mask.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        loop {
            match *b.get(i)? {
                b'"' => return Some(i + 1),
                b'\\' => {
                    match *b.get(i + 1)? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                        b'u' => {
                            let unit = hex4(b, i + 2)?;
                            i += 6;
                            if DECODED {
                                match unit {
                                    0xDC00..=0xDFFF => return None,
                                    0xD800..=0xDBFF => {
                                        if b.get(i..i + 2) != Some(&b"\\u"[..]) {
                                            return None;
                                        }
                                        if !(0xDC00..=0xDFFF).contains(&hex4(b, i + 2)?) {
                                            return None;
                                        }
                                        i += 6;
                                    }
                                    _ => {}
                                }
                            }
                        }
                        _ => return None,
                    }
                    break;
                }
                0..=0x1f => return None,
                _ => i += 1,
            }
        }
    }
}

fn valid_number(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |b: &[u8], mut i: usize| {
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        (i > start).then_some(i)
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    i = match b.get(i)? {
        b'0' => i + 1,
        b'1'..=b'9' => digits(b, i)?,
        _ => return None,
    };
    if b.get(i) == Some(&b'.') {
        i = digits(b, i + 1)?;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        i = digits(b, i)?;
    }
    Some(i)
}

/// A raw JSON string value without escapes, unquoted.
pub fn plain_str(raw: &[u8]) -> Option<&str> {
    let inner = raw.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    if inner.contains(&b'\\') {
        return None;
    }
    std::str::from_utf8(inner).ok()
}

#[cfg(test)]
mod tests;
