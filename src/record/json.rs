//! Lazy JSON objects: a record's top-level keys with their values left raw.
//!
//! [`Object::parse`] validates the line and splits it into `(key, raw value)`
//! pairs without building a tree; a value is decoded only when a filter or a
//! printer asks for it. Keys are borrowed from the line unless they contain
//! escapes. Duplicate keys resolve to the last one, as in jq.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// A JSON object whose values are decoded on demand.
#[derive(Debug, Clone)]
pub struct Object<'a> {
    entries: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'a> Object<'a> {
    /// Parses one JSON object; `None` when `text` is not exactly one object.
    pub fn parse(text: &'a str) -> Option<Object<'a>> {
        let mut de = serde_json::Deserializer::from_str(text);
        let obj = de.deserialize_map(ObjectVisitor).ok()?;
        de.end().ok()?;
        Some(obj)
    }

    /// The raw value of a top-level key (the last one if repeated).
    pub fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
    }

    /// Whether a top-level key is present.
    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
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
    pub fn entries(&self) -> impl Iterator<Item = (&str, &'a RawValue)> + '_ {
        self.entries.iter().map(|(k, v)| (k.as_ref(), *v))
    }

    /// Decodes the whole object (for JSON output and jq-style evaluation).
    pub fn to_value(&self) -> Value {
        let mut map = serde_json::Map::with_capacity(self.entries.len());
        for (k, v) in &self.entries {
            let value = decode(v);
            map.insert(k.to_string(), value);
        }
        Value::Object(map)
    }
}

/// Decodes a raw JSON value that the line parser accepted. serde_json
/// refuses two kinds of valid JSON: values nested 128 levels or deeper (its
/// recursion limit, which keeps it off the end of the stack) and numbers
/// beyond f64 (`1e400`). Such a value is kept as its text, a string, so
/// that every printer shows it rather than `null` (issue 13).
pub fn decode(raw: &RawValue) -> Value {
    serde_json::from_str(raw.get()).unwrap_or_else(|_| Value::String(raw.get().to_string()))
}

/// A raw JSON string value as text: borrowed when it has no escapes.
pub fn raw_str(raw: &RawValue) -> Option<Cow<'_, str>> {
    let s = raw.get();
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        return Some(Cow::Borrowed(inner));
    }
    serde_json::from_str::<String>(s).ok().map(Cow::Owned)
}

/// A raw scalar as text: strings unquoted, numbers and booleans as written.
pub fn raw_scalar_text(raw: &RawValue) -> Option<Cow<'_, str>> {
    let s = raw.get();
    match s.as_bytes().first()? {
        b'"' => raw_str(raw),
        b'{' | b'[' | b'n' => None,
        _ => Some(Cow::Borrowed(s)),
    }
}

/// A raw number, or a string holding a number.
pub fn raw_number(raw: &RawValue) -> Option<f64> {
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

struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Object<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object<'de>, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(12));
        while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
            let v: &'de RawValue = map.next_value()?;
            entries.push((k, v));
        }
        Ok(Object { entries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_top_level_and_decodes_on_demand() {
        let line = r#"{"level":"INFO","ctx":{"id":"a\"b","n":3},"msg":"caf\u00e9"}"#;
        let o = Object::parse(line).unwrap();
        assert_eq!(raw_str(o.get("level").unwrap()).unwrap(), "INFO");
        assert_eq!(o.path(&["ctx", "id"]).unwrap(), Value::from("a\"b"));
        assert_eq!(o.path(&["msg"]).unwrap(), Value::from("café"));
        assert_eq!(
            raw_number(o.path(&["ctx"]).map(|_| o.get("ctx").unwrap()).unwrap()),
            None
        );
        assert!(o.path(&["ctx", "missing"]).is_none());
        assert!(o.path(&["level", "deeper"]).is_none());
    }

    #[test]
    fn last_duplicate_key_wins() {
        let o = Object::parse(r#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(o.get("a").unwrap().get(), "2");
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
}
