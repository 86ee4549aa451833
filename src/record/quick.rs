//! Reading one field of a JSON line without parsing the line.
//!
//! [`top_level`] walks only the top level of an object, skipping nested
//! values and strings with memchr, and hands each key with its raw value to
//! a callback. It does not validate: it is used to *reject* records early
//! (a level or time that cannot match); a record that passes is parsed in
//! full afterwards, so a malformed line is never printed as a record.
//! Whenever the line is not simple enough to be sure (escaped keys, odd
//! structure), it returns `None` and the caller falls back to a full parse.

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
/// quotes) occurs before any nested object or array opens, is followed by a
/// colon, and does not occur again. Then it is a top-level key without a
/// duplicate, and the line need not be walked. `None` when any of that is
/// not plain to see.
pub fn direct_value<'a>(line: &'a [u8], quoted_key: &Finder<'_>) -> Option<&'a [u8]> {
    let pos = quoted_key.find(line)?;
    let open = skip_ws(line, 0);
    if line.get(open) != Some(&b'{') || pos <= open {
        return None;
    }
    if memchr2(b'{', b'[', &line[open + 1..pos]).is_some() {
        return None;
    }
    let mut i = skip_ws(line, pos + quoted_key.needle().len());
    if line.get(i) != Some(&b':') {
        return None;
    }
    i = skip_ws(line, i + 1);
    let end = skip_value(line, i)?;
    if quoted_key.find(&line[end..]).is_some() {
        return None;
    }
    Some(&line[i..end])
}

/// Whether `line` is exactly one valid JSON object (surrounding whitespace
/// allowed), as strictly as serde_json decides it, nesting depth included.
/// Lets a record that the quick scan decided be kept without a parse.
pub fn is_valid_object(line: &[u8]) -> bool {
    let i = skip_ws(line, 0);
    if line.get(i) != Some(&b'{') {
        return false;
    }
    match valid_value(line, i, 0) {
        Some(end) => skip_ws(line, end) == line.len(),
        None => false,
    }
}

/// serde_json refuses more nesting than this.
const MAX_DEPTH: usize = 128;

fn valid_value(b: &[u8], i: usize, depth: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => valid_string(b, i + 1),
        b'{' => {
            if depth >= MAX_DEPTH {
                return None;
            }
            let mut j = skip_ws(b, i + 1);
            if b.get(j) == Some(&b'}') {
                return Some(j + 1);
            }
            loop {
                if b.get(j) != Some(&b'"') {
                    return None;
                }
                j = skip_ws(b, valid_string(b, j + 1)?);
                if b.get(j) != Some(&b':') {
                    return None;
                }
                j = skip_ws(b, j + 1);
                // Most values are strings: no recursion for them.
                j = match b.get(j) {
                    Some(b'"') => valid_string(b, j + 1)?,
                    _ => valid_value(b, j, depth + 1)?,
                };
                j = skip_ws(b, j);
                match b.get(j) {
                    Some(b',') => j = skip_ws(b, j + 1),
                    Some(b'}') => return Some(j + 1),
                    _ => return None,
                }
            }
        }
        b'[' => {
            if depth >= MAX_DEPTH {
                return None;
            }
            let mut j = skip_ws(b, i + 1);
            if b.get(j) == Some(&b']') {
                return Some(j + 1);
            }
            loop {
                j = skip_ws(b, valid_value(b, j, depth + 1)?);
                match b.get(j) {
                    Some(b',') => j = skip_ws(b, j + 1),
                    Some(b']') => return Some(j + 1),
                    _ => return None,
                }
            }
        }
        b't' => b.get(i..i + 4).filter(|w| *w == b"true").map(|_| i + 4),
        b'f' => b.get(i..i + 5).filter(|w| *w == b"false").map(|_| i + 5),
        b'n' => b.get(i..i + 4).filter(|w| *w == b"null").map(|_| i + 4),
        b'-' | b'0'..=b'9' => valid_number(b, i),
        _ => None,
    }
}

/// Flags (high bit of each byte) the quotes, backslashes and control
/// characters among 8 bytes: the only bytes a JSON string scan must stop at.
/// The lowest flag is exact (borrows can only flag bytes above a real one).
fn special_mask(word: u64) -> u64 {
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

#[inline]
fn valid_string(b: &[u8], mut i: usize) -> Option<usize> {
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
                            let hex = b.get(i + 2..i + 6)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            i += 6;
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
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entries(line: &str) -> Option<Vec<(String, String)>> {
        let mut out = Vec::new();
        top_level(line.as_bytes(), |k, v| {
            out.push((
                String::from_utf8_lossy(k).into_owned(),
                String::from_utf8_lossy(v).into_owned(),
            ));
            true
        })?;
        Some(out)
    }

    #[test]
    fn walks_top_level_only() {
        let got = entries(r#"{"a":{"level":"x","b":[1,"}"]},"level" : "ERROR","m":"q\"uote","n":-1.5e3,"t":true}"#)
            .unwrap();
        let keys: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "level", "m", "n", "t"]);
        assert_eq!(got[1].1, "\"ERROR\"");
        assert_eq!(got[2].1, r#""q\"uote""#);
        assert_eq!(got[3].1, "-1.5e3");
    }

    #[test]
    fn gives_up_when_unsure() {
        for s in [
            r#"{"a\"b":1}"#,
            r#"{"a":1"#,
            "[1]",
            r#"{"a" 1}"#,
            r#"{"a":"x"#,
            "{\"a\":}",
        ] {
            assert!(entries(s).is_none(), "{s}");
        }
        assert_eq!(entries("{ }").unwrap(), vec![]);
    }

    #[test]
    fn direct_value_only_when_plain_to_see() {
        let key = Finder::new(b"\"level\"");
        let direct = |s: &str| {
            direct_value(s.as_bytes(), &key).map(|v| String::from_utf8_lossy(v).into_owned())
        };
        assert_eq!(
            direct(r#"{"ts":"x","level" : "INFO","m":{"a":1}}"#).as_deref(),
            Some("\"INFO\"")
        );
        assert_eq!(direct(r#"{"ctx":{"level":"x"},"level":"INFO"}"#), None);
        assert_eq!(direct(r#"{"level":"a","level":"b"}"#), None);
        assert_eq!(direct(r#"{"field":"level","level":"b"}"#), None);
        assert_eq!(direct(r#"{"m":"say \"level\": no"}"#), None);
        assert_eq!(direct(r#"{"a":1}"#), None);
    }

    #[test]
    fn validates_like_object_parse() {
        let ok = [
            r#"{}"#,
            r#"{"big":1e400}"#,
            r#" {"a":[1,-2.5e+3,true,false,null,{"b":"\u00e9\n"}]} "#,
            r#"{"a":0,"a":"dup"}"#,
            r#"{"a":-0.0E-1}"#,
        ];
        let bad = [
            r#"{"a":tru}"#,
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":"\q"}"#,
            r#"{"a":"\u12g4"}"#,
            "{\"a\":\"tab\there\"}",
            r#"{"a":1,}"#,
            r#"{"a":1} x"#,
            r#"{"a" 1}"#,
            r#"[1]"#,
            r#"{"a":[1,]}"#,
            r#"{"a":+1}"#,
        ];
        for s in ok {
            assert!(is_valid_object(s.as_bytes()), "{s}");
        }
        for s in bad {
            assert!(!is_valid_object(s.as_bytes()), "{s}");
        }
        for s in ok
            .iter()
            .chain(&bad)
            .chain(&[r#"{"s":"\ud800"}"#, r#"{"s":"\udc00\ud800x"}"#])
        {
            let parsed = crate::record::json::Object::parse(s).is_some();
            assert_eq!(is_valid_object(s.as_bytes()), parsed, "{s}");
        }
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(130), "]".repeat(130));
        assert!(!is_valid_object(deep.as_bytes()));
    }

    #[test]
    fn special_bytes_are_found_in_words() {
        let word = |s: &[u8; 8]| u64::from_le_bytes(*s);
        assert!(!has_special(word(b"abcdefgh")));
        assert!(!has_special(word(b"\xc3\xa9 ~~~ \x7f")));
        for special in [b'"', b'\\', b'\n', b'\t', 0, 0x1f] {
            for at in 0..8 {
                let mut w = *b"abcdefgh";
                w[at] = special;
                assert!(has_special(word(&w)), "{special} at {at}");
                assert_eq!(special_mask(word(&w)).trailing_zeros() / 8, at as u32);
                w[7] = b'"';
                assert_eq!(special_mask(word(&w)).trailing_zeros() / 8, at as u32);
            }
        }
    }

    #[test]
    fn plain_strings_only() {
        assert_eq!(plain_str(b"\"ok\""), Some("ok"));
        assert_eq!(plain_str(b"\"a\\u0041\""), None);
        assert_eq!(plain_str(b"12"), None);
    }

    proptest! {
        #[test]
        fn agrees_with_serde_on_valid_objects(v in proptest::collection::btree_map("[a-z\"\\\\ ]{0,6}", "[ -~é]{0,8}", 0..6)) {
            let line = serde_json::to_string(&v).unwrap();
            if let Some(got) = entries(&line) {
                let want: Vec<(String, String)> = v
                    .iter()
                    .map(|(k, val)| (k.clone(), serde_json::to_string(val).unwrap()))
                    .collect();
                prop_assert_eq!(got, want);
            }
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = top_level(&bytes, |_, _| true);
            let _ = is_valid_object(&bytes);
        }

        #[test]
        fn validity_agrees_with_serde(s in "[ {}\\[\\],:\"a-c0-9.eE+\\-\\\\tnulrfse]{0,40}") {
            let parsed = crate::record::json::Object::parse(&s).is_some();
            prop_assert_eq!(is_valid_object(s.as_bytes()), parsed, "{}", s);
        }
    }
}
