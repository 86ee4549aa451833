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
//! What lets a record be kept without that parse is `json::is_valid_object`,
//! the walk of `json::Object::parse` without its entries; the property
//! tests here and in `scan/sieve/tests.rs` hold the quick reads to the
//! parse (issue 12).

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
