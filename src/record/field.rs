//! A value found under a role or a path, decoded no further than needed.
//!
//! Owns [`Field`]: borrowed raw JSON, an owned value, or text of a line; and
//! how each reads as text, a string, a number or a JSON value.

use super::json::{self, raw_number, raw_scalar_text, raw_str, value_text, Raw};
use serde_json::Value;
use std::borrow::Cow;

/// A value found under a role or a path, decoded no further than needed.
#[derive(Debug, Clone)]
pub enum Field<'a> {
    Raw(Raw<'a>),
    Owned(Value),
    /// Text of a line that is only ever a string (a text record's time,
    /// level, module or message).
    Text(&'a str),
    /// A word of a text line standing for a value (`status` of an access
    /// line, `duration_ms=12` in a message): a number when it reads as one.
    Word(&'a str),
}

impl<'a> Field<'a> {
    /// The value as text when it is a string, number or boolean.
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        match self {
            Field::Raw(r) => raw_scalar_text(*r),
            Field::Owned(v) => value_text(v),
            Field::Text(s) | Field::Word(s) => Some(Cow::Borrowed(s)),
        }
    }

    /// The value when it is a string.
    pub fn as_str(&self) -> Option<Cow<'_, str>> {
        match self {
            Field::Raw(r) => raw_str(*r),
            Field::Owned(Value::String(s)) => Some(Cow::Borrowed(s)),
            Field::Owned(_) => None,
            Field::Text(s) | Field::Word(s) => Some(Cow::Borrowed(s)),
        }
    }

    /// The value as a number; strings holding a number count.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Field::Raw(r) => raw_number(*r),
            Field::Owned(Value::Number(n)) => n.as_f64(),
            Field::Owned(Value::String(s)) => s.trim().parse().ok(),
            Field::Owned(_) => None,
            Field::Text(s) | Field::Word(s) => s.trim().parse().ok(),
        }
    }

    /// The value decoded.
    pub fn to_value(&self) -> Value {
        match self {
            Field::Raw(r) => json::decode(*r),
            Field::Owned(v) => v.clone(),
            Field::Text(s) => Value::String(s.to_string()),
            Field::Word(s) => word_value(s),
        }
    }

    /// The same value, owning its data.
    pub fn into_owned(self) -> Field<'static> {
        match self {
            Field::Owned(v) => Field::Owned(v),
            Field::Text(s) => Field::Owned(Value::String(s.to_string())),
            f => Field::Owned(f.to_value()),
        }
    }

    pub(super) fn is_null(&self) -> bool {
        match self {
            Field::Raw(r) => r.get() == "null",
            Field::Owned(v) => v.is_null(),
            Field::Text(_) | Field::Word(_) => false,
        }
    }
}

/// A word of a text line as a JSON value: a number when it is written as a
/// JSON number (`12`, `0.5`, not `012` or `1_000`), else a string.
fn word_value(s: &str) -> Value {
    let numeric = s
        .bytes()
        .all(|c| c.is_ascii_digit() || b"-+.eE".contains(&c))
        && s.bytes().any(|c| c.is_ascii_digit());
    if numeric {
        if let Ok(Value::Number(n)) = serde_json::from_str::<Value>(s) {
            return Value::Number(n);
        }
    }
    Value::String(s.to_string())
}
