//! Lazy JSON objects: a record's top-level keys with their values left raw.
//!
//! [`Object::parse`] validates the line and splits it into `(key, raw value)`
//! pairs without building a tree; a value is decoded only when a filter or a
//! printer asks for it. Keys are borrowed from the line unless they contain
//! escapes. Duplicate keys resolve to the last one, as in jq.
//!
//! The splitter is written by hand (issue 11: serde_json's `RawValue` walk
//! was a fifth of pretty printing) and accepts exactly what serde_json
//! accepts for an object of raw values: top-level keys are decoded strictly
//! (a lone surrogate is an error), values are checked for syntax only (a
//! lone surrogate inside a value is kept, as serde_json keeps it), values
//! may nest to any depth. The tests hold serde_json as the oracle. While it
//! walks a value the splitter notes whether it is [`Raw::is_simple`], which
//! lets printers copy it rather than decode it.

use serde_json::Value;
use std::borrow::Cow;

/// A raw JSON value of a line, as written, and what the splitter saw of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raw<'a> {
    text: &'a str,
    simple: bool,
}

impl<'a> Raw<'a> {
    /// The value's text, as written.
    pub fn get(&self) -> &'a str {
        self.text
    }

    /// Written compactly with no escape, no fraction or exponent, no
    /// integer beyond 18 digits, no `-0` and nested at most 16 deep: what
    /// serde_json writes back byte for byte once decoded, duplicate keys
    /// of nested objects aside (see `output::rawjson`).
    pub fn is_simple(&self) -> bool {
        self.simple
    }
}

/// A JSON object whose values are decoded on demand.
#[derive(Debug, Clone)]
pub struct Object<'a> {
    entries: Vec<(Cow<'a, str>, Raw<'a>)>,
    /// A bit per key (see [`key_bit`]): most names asked for are absent
    /// (a role has up to 28 aliases), and are known absent from this alone.
    keys: u64,
}

/// The bit of a key of `len` bytes from `first` to `last` in
/// [`Object::keys`].
fn key_bit(len: usize, first: u8, last: u8) -> u64 {
    let h = (len as u64)
        .wrapping_mul(7)
        .wrapping_add(u64::from(first).wrapping_mul(3))
        .wrapping_add(u64::from(last));
    1 << (h % 64)
}

fn bit_of(key: &str) -> u64 {
    let b = key.as_bytes();
    key_bit(
        b.len(),
        b.first().copied().unwrap_or(0),
        b.last().copied().unwrap_or(0),
    )
}

impl<'a> Object<'a> {
    /// Parses one JSON object; `None` when `text` is not exactly one object.
    pub fn parse(text: &'a str) -> Option<Object<'a>> {
        let b = text.as_bytes();
        let mut i = skip_ws(b, 0);
        if b.get(i) != Some(&b'{') {
            return None;
        }
        i = skip_ws(b, i + 1);
        let mut entries = Vec::with_capacity(12);
        let mut keys = 0;
        if b.get(i) == Some(&b'}') {
            i += 1;
        } else {
            loop {
                if b.get(i) != Some(&b'"') {
                    return None;
                }
                let (end, escaped) = skip_string(b, i + 1)?;
                let key = match escaped {
                    false => Cow::Borrowed(text.get(i + 1..end - 1)?),
                    true => Cow::Owned(decode_key(b.get(i + 1..end - 1)?)?),
                };
                i = skip_ws(b, end);
                if b.get(i) != Some(&b':') {
                    return None;
                }
                i = skip_ws(b, i + 1);
                let (end, simple) = skip_value(b, i)?;
                let raw = Raw {
                    text: text.get(i..end)?,
                    simple,
                };
                keys |= bit_of(&key);
                entries.push((key, raw));
                i = skip_ws(b, end);
                match b.get(i) {
                    Some(b',') => i = skip_ws(b, i + 1),
                    Some(b'}') => {
                        i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        (skip_ws(b, i) == b.len()).then_some(Object { entries, keys })
    }

    /// The raw value of a top-level key (the last one if repeated).
    pub fn get(&self, key: &str) -> Option<Raw<'a>> {
        // Lengths and first bytes first: most keys differ there, and the
        // role lookups ask for some twenty names per record.
        if self.keys & bit_of(key) == 0 {
            return None;
        }
        let first = key.as_bytes().first();
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k.len() == key.len() && k.as_bytes().first() == first && k == key)
            .map(|(_, v)| *v)
    }

    /// Whether a top-level key is present.
    pub fn has(&self, key: &str) -> bool {
        self.keys & bit_of(key) != 0 && self.entries.iter().any(|(k, _)| k == key)
    }

    /// Whether a flat key may be the parts of `path` joined by dots
    /// (`log.level`): `false` means surely not.
    pub fn may_have_dotted<S: AsRef<str>>(&self, path: &[S]) -> bool {
        let len =
            path.iter().map(|p| p.as_ref().len()).sum::<usize>() + path.len().saturating_sub(1);
        let first = path
            .first()
            .and_then(|p| p.as_ref().as_bytes().first().copied());
        let last = path
            .last()
            .and_then(|p| p.as_ref().as_bytes().last().copied());
        let bit = match (first, last) {
            (Some(f), Some(l)) => key_bit(len, f, l),
            // Empty parts: the joined key begins or ends with a dot.
            _ => return true,
        };
        self.keys & bit != 0
    }

    /// Follows a path of keys into nested objects and decodes the value found.
    pub fn path<S: AsRef<str>>(&self, path: &[S]) -> Option<Value> {
        let (first, rest) = path.split_first()?;
        let raw = self.get(first.as_ref())?;
        if rest.is_empty() {
            return Some(decode(raw));
        }
        // Only the sub-tree named by the first key is decoded.
        let mut value: Value = serde_json::from_str(raw.get()).ok()?;
        for key in rest {
            value = match value {
                Value::Object(mut map) => map.remove(key.as_ref())?,
                _ => return None,
            };
        }
        Some(value)
    }

    /// The entries in line order, duplicates included.
    pub fn entries(&self) -> impl Iterator<Item = (&str, Raw<'a>)> + '_ {
        self.entries.iter().map(|(k, v)| (k.as_ref(), *v))
    }

    /// Decodes the whole object (for JSON output and jq-style evaluation).
    pub fn to_value(&self) -> Value {
        let mut map = serde_json::Map::with_capacity(self.entries.len());
        for (k, v) in &self.entries {
            map.insert(k.to_string(), decode(*v));
        }
        Value::Object(map)
    }
}

/// Decodes a raw JSON value that the line parser accepted. serde_json
/// refuses two kinds of valid JSON: values nested 128 levels or deeper (its
/// recursion limit, which keeps it off the end of the stack) and numbers
/// beyond f64 (`1e400`). Such a value is kept as its text, a string, so
/// that every printer shows it rather than `null` (issue 13).
pub fn decode(raw: Raw) -> Value {
    serde_json::from_str(raw.get()).unwrap_or_else(|_| Value::String(raw.get().to_string()))
}

/// A raw JSON string value as text: borrowed when it has no escapes.
pub fn raw_str(raw: Raw<'_>) -> Option<Cow<'_, str>> {
    let s = raw.get();
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    if raw.simple || !inner.contains('\\') {
        return Some(Cow::Borrowed(inner));
    }
    serde_json::from_str::<String>(s).ok().map(Cow::Owned)
}

/// A raw scalar as text: strings unquoted, numbers and booleans as written.
pub fn raw_scalar_text(raw: Raw<'_>) -> Option<Cow<'_, str>> {
    let s = raw.get();
    match s.as_bytes().first()? {
        b'"' => raw_str(raw),
        b'{' | b'[' | b'n' => None,
        _ => Some(Cow::Borrowed(s)),
    }
}

/// A raw number, or a string holding a number.
pub fn raw_number(raw: Raw<'_>) -> Option<f64> {
    let s = raw.get();
    match s.as_bytes().first()? {
        b'"' => raw_str(raw)?.trim().parse().ok(),
        b'-' | b'0'..=b'9' => s.parse().ok(),
        _ => None,
    }
}

/// The text of a decoded scalar, as [`raw_scalar_text`] does for raw ones.
pub fn value_text(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        _ => None,
    }
}

/// The index of the first byte at or after `i` that is not JSON whitespace.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\t' | b'\r') = b.get(i) {
        i += 1;
    }
    i
}

/// A mask with the high bit set in each byte of `w` that is `"`, `\` or a
/// control character; exact up to its lowest set bit, which is all that
/// is read of it.
fn specials(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    zero(w ^ (ONES * u64::from(b'"')))
        | zero(w ^ (ONES * u64::from(b'\\')))
        | (w.wrapping_sub(ONES * 0x20) & !w & HIGH)
}

/// Skips the rest of a string whose opening quote is just before `i`: the
/// index after its closing quote, and whether it holds an escape. Escapes
/// are checked for syntax only; control characters are refused.
fn skip_string(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
    let mut escaped = false;
    loop {
        while let Some(chunk) = b.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let m = specials(u64::from_le_bytes(word));
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
/// a string).
fn decode_key(s: &[u8]) -> Option<String> {
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
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
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
            _ => return None,
        };
        out.push(unescaped);
    }
    String::from_utf8(out).ok()
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
fn skip_value(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::{Deserializer, MapAccess, Visitor};
    use serde_json::value::RawValue;
    use std::fmt;

    /// serde_json's reading of a line as an object of raw values: the
    /// splitter's oracle.
    fn oracle(text: &str) -> Option<Vec<(String, String)>> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Vec<(String, String)>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    let v: &'de RawValue = map.next_value()?;
                    out.push((k, v.get().to_string()));
                }
                Ok(out)
            }
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let out = de.deserialize_map(Entries).ok()?;
        de.end().ok()?;
        Some(out)
    }

    fn split(text: &str) -> Option<Vec<(String, String)>> {
        Object::parse(text).map(|o| {
            o.entries()
                .map(|(k, v)| (k.to_string(), v.get().to_string()))
                .collect()
        })
    }

    fn agrees(text: &str) {
        assert_eq!(split(text), oracle(text), "{text:?}");
        if let Some(o) = Object::parse(text) {
            for (_, v) in o.entries() {
                if v.is_simple() {
                    let decoded: Value = serde_json::from_str(v.get()).unwrap();
                    let written = decoded.to_string();
                    // Simple means written back as read, unless a nested
                    // object repeats a key.
                    assert!(
                        written == v.get() || written.len() < v.get().len(),
                        "{:?} -> {written}",
                        v.get()
                    );
                }
            }
        }
    }

    #[test]
    fn splits_top_level_and_decodes_on_demand() {
        let line = r#"{"level":"INFO","ctx":{"id":"a\"b","n":3},"msg":"caf\u00e9"}"#;
        let o = Object::parse(line).unwrap();
        assert_eq!(raw_str(o.get("level").unwrap()).unwrap(), "INFO");
        assert_eq!(o.path(&["ctx", "id"]).unwrap(), Value::from("a\"b"));
        assert_eq!(raw_str(o.get("msg").unwrap()).unwrap(), "café");
        assert_eq!(raw_number(o.get("ctx").unwrap()), None);
        assert!(o.path(&["ctx", "missing"]).is_none());
        assert!(o.path(&["level", "deeper"]).is_none());
        assert!(o.get("level").unwrap().is_simple());
        assert!(!o.get("ctx").unwrap().is_simple());
        assert!(!o.get("msg").unwrap().is_simple());
    }

    #[test]
    fn last_duplicate_key_wins() {
        let o = Object::parse(r#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(o.get("a").unwrap().get(), "2");
    }

    #[test]
    fn absent_keys_are_known_absent() {
        let o = Object::parse(r#"{"level":1,"log.level":2,"":3}"#).unwrap();
        assert!(o.has("level") && o.has("log.level") && o.has(""));
        assert!(!o.has("lvl") && o.get("levelname").is_none());
        assert!(o.may_have_dotted(&["log", "level"]));
        assert!(!o.may_have_dotted(&["log", "logger"]));
        assert!(o.may_have_dotted(&["", "x"]));
    }

    #[test]
    fn rejects_non_objects_and_trailing_data() {
        for s in [
            "[1,2]",
            "\"x\"",
            "{\"a\":1} x",
            "{\"a\":",
            "",
            "{\"a\":1}{}",
        ] {
            assert!(Object::parse(s).is_none(), "{s}");
        }
        assert!(Object::parse("{\"a\":1}  ").is_some());
    }

    #[test]
    fn numbers_and_numeric_strings() {
        let o = Object::parse(r#"{"a":12.5,"b":"40","c":"x","d":true}"#).unwrap();
        assert_eq!(raw_number(o.get("a").unwrap()), Some(12.5));
        assert_eq!(raw_number(o.get("b").unwrap()), Some(40.0));
        assert_eq!(raw_number(o.get("c").unwrap()), None);
        assert_eq!(raw_scalar_text(o.get("d").unwrap()).unwrap(), "true");
    }

    #[test]
    fn accepts_what_serde_json_accepts() {
        for s in [
            r#"{}"#,
            r#" { } "#,
            "\t{\"a\" :\n1 ,\r\"b\": [ ] }\n",
            r#"{"a":{},"b":[],"c":[{}],"d":{"e":[1,{"f":null}]}}"#,
            r#"{"a":-0,"b":0,"c":-1.5e+3,"d":1E-2,"e":123456789012345678901234}"#,
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":.5}"#,
            r#"{"a":-}"#,
            r#"{"a":1e}"#,
            r#"{"a":+1}"#,
            r#"{"a":1,}"#,
            r#"{,"a":1}"#,
            r#"{"a":[1,]}"#,
            r#"{"a":{"b":1,}}"#,
            r#"{"a":{1:2}}"#,
            r#"{"a":tru}"#,
            r#"{"a":nul}"#,
            r#"{"a":truex}"#,
            r#"{"a":[1 2]}"#,
            r#"{"a":{"b" 1}}"#,
            r#"{"a":"\x"}"#,
            r#"{"a":"\u12"}"#,
            r#"{"a":"\u12g4"}"#,
            r#"{"\ud800":1}"#,
            r#"{"\udc00":1}"#,
            r#"{"\ud800\u0041":1}"#,
            r#"{"\ud800\ud800":1}"#,
            r#"{"\ud83d\ude00":1}"#,
            r#"{"\ud800x":1}"#,
            r#"{"a":"\ud800"}"#,
            r#"{"a":{"\ud800":1}}"#,
            r#"{"a\"b\\c\/d\b\f\n\r\t":"\"\\\/\b\f\n\r\t"}"#,
            "{\"a\":\"\u{1}\"}",
            "{\"a\u{1f}\":1}",
            "{\"a\":\"\u{7f}é\"}",
            r#"{"a":[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]}"#,
            r#"{"a":1}}"#,
            r#"{"a":[1]]}"#,
            r#"{"a":[1}"#,
            r#"{"a":{"b":1]}"#,
        ] {
            agrees(s);
        }
        let deep = format!(r#"{{"a":{}1{}}}"#, "[".repeat(300), "]".repeat(300));
        agrees(&deep);
        assert!(Object::parse(&deep).is_some());
    }

    #[test]
    fn simple_values_are_compact_plain_and_shallow() {
        let o = Object::parse(
            r#"{"a":{"b":[1,"x",true,null]},"c":{ "b":1},"d":1.5,"e":"\n","f":-0,"g":1234567890123456789,"h":[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]}"#,
        )
        .unwrap();
        let simple: Vec<bool> = o.entries().map(|(_, v)| v.is_simple()).collect();
        assert_eq!(simple, [true, false, false, false, false, false, false]);
    }

    /// Text drawn from the pieces JSON is made of, often invalid.
    fn pieces() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("{".to_string()),
            Just("}".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just(",".to_string()),
            Just(":".to_string()),
            Just(" ".to_string()),
            Just("\n".to_string()),
            Just("\"".to_string()),
            Just("\\".to_string()),
            Just("\"k\":".to_string()),
            Just("\"v\"".to_string()),
            Just("true".to_string()),
            Just("nul".to_string()),
            Just("null".to_string()),
            Just("-".to_string()),
            Just("0".to_string()),
            Just("12".to_string()),
            Just(".5".to_string()),
            Just("e+".to_string()),
            "\\\\[\"\\\\/bfnrtux]".prop_map(String::from),
            "\\\\u[0-9a-fA-F]{0,4}".prop_map(String::from),
            "\\\\u[dD][89abAB][0-9a-f]{2}".prop_map(String::from),
            "\\\\u[dD][c-fC-F][0-9a-f]{2}".prop_map(String::from),
            "[a-zé\u{1}\u{7f}]{1,3}".prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
    }

    /// Objects that are valid more often than not, with every kind of
    /// escape in keys and values.
    fn objects() -> impl Strategy<Value = String> {
        let escape = prop_oneof![
            "\\\\[\"\\\\/bfnrt]".prop_map(String::from),
            "\\\\u00[0-9a-f]{2}".prop_map(String::from),
            "\\\\u[dD][89abAB][0-9a-f]{2}".prop_map(String::from),
            "\\\\u[dD][c-fC-F][0-9a-f]{2}".prop_map(String::from),
            "\\\\ud83d\\\\ude00".prop_map(String::from),
            "[a-z ]{0,3}".prop_map(String::from),
        ];
        let string =
            prop::collection::vec(escape, 0..4).prop_map(|v| format!("\"{}\"", v.concat()));
        let scalar = prop_oneof![
            string.clone(),
            "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?".prop_map(String::from),
            Just("true".to_string()),
            Just("null".to_string()),
        ];
        let value = scalar.prop_recursive(4, 24, 4, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec(("\"[a-c]\"", inner), 0..4).prop_map(|v| {
                    let kv: Vec<String> = v.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
                    format!("{{{}}}", kv.join(", "))
                }),
            ]
        });
        prop::collection::vec((string, value), 0..5).prop_map(|v| {
            let kv: Vec<String> = v.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
            format!("{{{}}}", kv.join(","))
        })
    }

    proptest! {
        #[test]
        fn agrees_with_serde_json_on_pieces(s in pieces()) {
            agrees(&s);
            agrees(&format!("{{\"a\":{s}}}"));
            agrees(&format!("{{{s}}}"));
        }

        #[test]
        fn agrees_with_serde_json_on_objects(s in objects()) {
            agrees(&s);
        }
    }
}
