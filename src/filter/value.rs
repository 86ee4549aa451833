//! JSON values as jq sees them, shared by `--jq` evaluation and `-q`.
//!
//! Owns [`Val`] (numbers are `f64`, as in jq 1.6; objects keep their keys
//! in the order they were first written, the order jq 1.6 iterates them in,
//! and are compared with their keys sorted, as jq does), jq's total
//! ordering, equality, truthiness and `contains`. Decoding a field's raw
//! JSON text is [`decode`]'s; looking fields up in a record is left to the
//! callers.

pub mod decode;

use indexmap::IndexMap;
use std::cmp::Ordering;

/// A decoded JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Val>),
    /// Keys in the order they first appear, the last value of duplicate
    /// keys kept (as jq does: `{"a":1,"b":2,"a":3} | [.[]]` is `[3,2]`).
    Obj(IndexMap<String, Val>),
}

/// Deeper nesting than this is not decoded (the field counts as an error).
impl Val {
    /// Converts a serde_json value (used for text records).
    pub fn from_serde(v: &serde_json::Value) -> Val {
        use serde_json::Value as J;
        match v {
            J::Null => Val::Null,
            J::Bool(b) => Val::Bool(*b),
            J::Number(n) => Val::Num(n.as_f64().unwrap_or(0.0)),
            J::String(s) => Val::Str(s.clone()),
            J::Array(a) => Val::Arr(a.iter().map(Val::from_serde).collect()),
            J::Object(m) => Val::Obj(
                m.iter()
                    .map(|(k, v)| (k.clone(), Val::from_serde(v)))
                    .collect(),
            ),
        }
    }

    /// jq's truthiness: only `false` and `null` are false.
    pub fn is_truthy(&self) -> bool {
        !matches!(self, Val::Null | Val::Bool(false))
    }

    /// The name `type` gives this value.
    pub fn type_name(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "boolean",
            Val::Num(_) => "number",
            Val::Str(_) => "string",
            Val::Arr(_) => "array",
            Val::Obj(_) => "object",
        }
    }

    /// Rank of the value's kind in jq's ordering: null < false < true <
    /// numbers < strings < arrays < objects.
    fn rank(&self) -> u8 {
        match self {
            Val::Null => 0,
            Val::Bool(false) => 1,
            Val::Bool(true) => 2,
            Val::Num(_) => 3,
            Val::Str(_) => 4,
            Val::Arr(_) => 5,
            Val::Obj(_) => 6,
        }
    }

    /// jq's total order (`jv_cmp` in jq 1.6): by kind, then numbers by
    /// value, strings by bytes, arrays element-wise, objects by their sorted
    /// key lists and then by the values in key order.
    pub fn jq_cmp(&self, other: &Val) -> Ordering {
        match (self, other) {
            (Val::Num(a), Val::Num(b)) => {
                if a < b {
                    Ordering::Less
                } else if a == b {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            }
            (Val::Str(a), Val::Str(b)) => a.as_bytes().cmp(b.as_bytes()),
            (Val::Arr(a), Val::Arr(b)) => cmp_seq(a.iter(), b.iter()),
            (Val::Obj(a), Val::Obj(b)) => {
                let (a, b) = (sorted(a), sorted(b));
                a.iter()
                    .map(|(k, _)| k.as_bytes())
                    .cmp(b.iter().map(|(k, _)| k.as_bytes()))
                    .then_with(|| cmp_seq(a.iter().map(|e| e.1), b.iter().map(|e| e.1)))
            }
            _ => self.rank().cmp(&other.rank()),
        }
    }

    /// jq's `==`: numbers by value (`1 == 1.0`), everything else by the
    /// total order.
    pub fn jq_eq(&self, other: &Val) -> bool {
        self.jq_cmp(other) == Ordering::Equal
    }

    /// jq's `contains` for two values of the same kind (the caller reports
    /// kinds that differ): substring for strings (up to a NUL, as C's
    /// `strstr` sees them), recursive for arrays and objects, equality
    /// otherwise. Inside arrays and objects, kinds that differ simply do not
    /// contain each other.
    pub fn jq_contains(&self, other: &Val) -> bool {
        match (self, other) {
            (Val::Obj(a), Val::Obj(b)) => b
                .iter()
                .all(|(k, bv)| a.get(k).is_some_and(|av| av.contains_same_kind(bv))),
            (Val::Arr(a), Val::Arr(b)) => b
                .iter()
                .all(|bv| a.iter().any(|av| av.contains_same_kind(bv))),
            (Val::Str(a), Val::Str(b)) => {
                let a = a.split('\0').next().unwrap_or("");
                let b = b.split('\0').next().unwrap_or("");
                a.contains(b)
            }
            _ => self.jq_eq(other),
        }
    }

    fn contains_same_kind(&self, other: &Val) -> bool {
        self.same_kind(other) && self.jq_contains(other)
    }

    /// Whether both values are of the same jq kind (`true` and `false` are
    /// different kinds, as in jq).
    pub fn same_kind(&self, other: &Val) -> bool {
        self.rank() == other.rank()
    }
}

/// An object's entries with their keys sorted by bytes, the order jq
/// compares objects in.
fn sorted(m: &IndexMap<String, Val>) -> Vec<(&String, &Val)> {
    let mut entries: Vec<(&String, &Val)> = m.iter().collect();
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    entries
}

fn cmp_seq<'v>(
    mut a: impl Iterator<Item = &'v Val>,
    mut b: impl Iterator<Item = &'v Val>,
) -> Ordering {
    loop {
        match (a.next(), b.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => match x.jq_cmp(y) {
                Ordering::Equal => {}
                o => return o,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Val {
        Val::parse_json(s).unwrap()
    }

    #[test]
    fn jq_ordering_across_kinds() {
        let order = [
            "null",
            "false",
            "true",
            "-1",
            "0",
            "1.5",
            "\"\"",
            "\"A\"",
            "\"a\"",
            "\"é\"",
            "[]",
            "[0]",
            "[0,1]",
            "[1]",
            "{}",
            "{\"a\":2}",
            "{\"a\":1,\"b\":0}",
            "{\"b\":0}",
        ];
        for (i, a) in order.iter().enumerate() {
            for (j, b) in order.iter().enumerate() {
                assert_eq!(v(a).jq_cmp(&v(b)), i.cmp(&j), "{a} vs {b}");
            }
        }
        assert!(v("1").jq_eq(&v("1.0")));
        assert!(v("[{\"a\":1}]").jq_eq(&v("[{\"a\":1.0}]")));
    }

    #[test]
    fn contains_like_jq() {
        assert!(v("\"foobar\"").jq_contains(&v("\"oba\"")));
        assert!(v("\"foo\"").jq_contains(&v("\"\"")));
        assert!(!v("\"a\\u0000b\"").jq_contains(&v("\"b\"")));
        assert!(v("[1,[2]]").jq_contains(&v("[[2]]")));
        assert!(v(r#"{"a":[1,2,{"b":"xyz"}]}"#).jq_contains(&v(r#"{"a":[{"b":"y"}]}"#)));
        assert!(!v(r#"{"a":"1"}"#).jq_contains(&v(r#"{"a":1}"#)));
        assert!(v("[\"abc\"]").jq_contains(&v("[\"b\"]")));
        assert!(!v("[true]").jq_contains(&v("[false]")));
    }

    #[test]
    fn truthiness() {
        assert!(!v("null").is_truthy());
        assert!(!v("false").is_truthy());
        for t in ["0", "\"\"", "[]", "{}", "true"] {
            assert!(v(t).is_truthy(), "{t}");
        }
    }
}
