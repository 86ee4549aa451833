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

mod split;
#[cfg(test)]
mod tests;

use serde_json::Value;
pub(crate) use split::is_valid_object;
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
        let mut entries = Vec::with_capacity(12);
        let mut keys = 0;
        split::object(b, |key, decoded, value, simple| {
            let key = match decoded {
                None => Cow::Borrowed(text.get(key)?),
                Some(bytes) => Cow::Owned(String::from_utf8(bytes).ok()?),
            };
            let raw = Raw {
                text: text.get(value)?,
                simple,
            };
            keys |= bit_of(&key);
            entries.push((key, raw));
            Some(())
        })?;
        Some(Object { entries, keys })
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

/// The character a one-letter JSON escape stands for (`n` in `\n`), for
/// every decoder of JSON-style strings (keys here, `-q` values, `--jq`
/// strings); `None` for `u` and anything that is no escape.
pub fn simple_escape(c: u8) -> Option<char> {
    Some(match c {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        _ => return None,
    })
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
