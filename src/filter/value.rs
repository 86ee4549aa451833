//! JSON values as jq sees them, shared by `--jq` evaluation and `-q`.
//!
//! Owns [`Val`] (numbers are `f64`, as in jq 1.6; objects keep their keys
//! in the order they were first written, the order jq 1.6 iterates them in,
//! and are compared with their keys sorted, as jq does), a small decoder from the
//! raw JSON text of a record's field (so numbers are rounded correctly, as
//! jq's own parser does, rather than serde_json's fast approximation), jq's
//! total ordering, equality, truthiness and `contains`. Looking fields up
//! in a record is left to the callers.

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
const MAX_DEPTH: usize = 512;

impl Val {
    /// Decodes one JSON text (surrounding whitespace allowed). `None` when it
    /// is not valid JSON or is nested too deeply.
    pub fn parse_json(text: &str) -> Option<Val> {
        let mut p = JsonParser {
            s: text.as_bytes(),
            text,
            i: 0,
        };
        let v = p.value(0)?;
        p.skip_ws();
        (p.i == p.s.len()).then_some(v)
    }

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

/// Parses a number written as JSON writes it (`-12`, `3.5`, `1e3`): no
/// spaces, no `+`, no `inf`/`nan`, so a word like `infinity` stays a word.
pub fn parse_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == int_start {
        return None;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == frac {
            return None;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == exp {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse().ok()
}

/// A recursive-descent decoder for JSON text that serde_json has already
/// accepted; it still checks everything, so bad text is `None`, never a
/// panic.
struct JsonParser<'t> {
    s: &'t [u8],
    text: &'t str,
    i: usize,
}

impl JsonParser<'_> {
    fn skip_ws(&mut self) {
        while self
            .s
            .get(self.i)
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.skip_ws();
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Option<Val> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        match *self.s.get(self.i)? {
            b'{' => {
                self.i += 1;
                let mut map = IndexMap::new();
                if self.eat(b'}') {
                    return Some(Val::Obj(map));
                }
                loop {
                    self.skip_ws();
                    let key = self.string()?;
                    if !self.eat(b':') {
                        return None;
                    }
                    let v = self.value(depth + 1)?;
                    map.insert(key, v);
                    if self.eat(b'}') {
                        return Some(Val::Obj(map));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Some(Val::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Some(Val::Arr(items));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'"' => self.string().map(Val::Str),
            b't' => self.word("true", Val::Bool(true)),
            b'f' => self.word("false", Val::Bool(false)),
            b'n' => self.word("null", Val::Null),
            _ => {
                let start = self.i;
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|c| matches!(c, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                {
                    self.i += 1;
                }
                let n = parse_number(self.text.get(start..self.i)?)?;
                Some(Val::Num(n))
            }
        }
    }

    fn word(&mut self, w: &str, v: Val) -> Option<Val> {
        let end = self.i + w.len();
        (self.s.get(self.i..end)? == w.as_bytes()).then(|| {
            self.i = end;
            v
        })
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = self.text.get(self.i..self.i + 4)?;
        let v = u32::from_str_radix(h, 16).ok()?;
        self.i += 4;
        Some(v)
    }

    /// A string at the cursor. Lone surrogate escapes decode to U+FFFD.
    fn string(&mut self) -> Option<String> {
        if self.s.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        let mut out = String::new();
        loop {
            let start = self.i;
            while self
                .s
                .get(self.i)
                .is_some_and(|c| *c != b'"' && *c != b'\\')
            {
                self.i += 1;
            }
            out.push_str(self.text.get(start..self.i)?);
            match *self.s.get(self.i)? {
                b'"' => {
                    self.i += 1;
                    return Some(out);
                }
                _ => {
                    self.i += 1;
                    let c = *self.s.get(self.i)?;
                    self.i += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi)
                                && self.s.get(self.i..self.i + 2) == Some(b"\\u")
                            {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                } else {
                                    self.i = save;
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(c.unwrap_or('\u{FFFD}'));
                        }
                        _ => return None,
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn decoding_never_panics(s in "\\PC{0,60}") {
            let _ = Val::parse_json(&s);
            let _ = parse_number(&s);
        }

        #[test]
        fn decodes_what_serde_json_writes(v in json()) {
            let text = v.to_string();
            let ours = Val::parse_json(&text);
            prop_assert!(ours.as_ref().is_some_and(|o| same(o, &Val::from_serde(&v))), "{text} -> {ours:?}");
        }
    }

    fn json() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value as J;
        let leaf = prop_oneof![
            Just(J::Null),
            any::<bool>().prop_map(J::Bool),
            any::<i64>().prop_map(J::from),
            (-1e9f64..1e9).prop_map(J::from),
            "\\PC{0,8}".prop_map(J::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(J::Array),
                prop::collection::btree_map("[a-zé\"\\\\]{0,3}", inner, 0..4)
                    .prop_map(|m| J::Object(m.into_iter().collect())),
            ]
        })
    }

    /// Equal, up to serde_json's last-bit float rounding.
    fn same(a: &Val, b: &Val) -> bool {
        match (a, b) {
            (Val::Num(x), Val::Num(y)) => x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs()),
            (Val::Arr(x), Val::Arr(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
            }
            (Val::Obj(x), Val::Obj(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y)
                        .all(|((ka, a), (kb, b))| ka == kb && same(a, b))
            }
            _ => a == b,
        }
    }

    fn v(s: &str) -> Val {
        Val::parse_json(s).unwrap()
    }

    #[test]
    fn decodes_json() {
        assert_eq!(v(" null "), Val::Null);
        assert_eq!(
            v("[1, -2.5e1, true]"),
            Val::Arr(vec![Val::Num(1.0), Val::Num(-25.0), Val::Bool(true)])
        );
        assert_eq!(
            v(r#""a\"\u00e9\ud83d\ude00\n""#),
            Val::Str("a\"é😀\n".into())
        );
        assert_eq!(v(r#""\ud800x""#), Val::Str("\u{FFFD}x".into()));
        assert_eq!(v(r#"{"a":1,"a":{"b":[]}}"#), v(r#"{"a":{"b":[]}}"#));
        for bad in [
            "", "[1,", "{\"a\"}", "tru", "1 2", "\"abc", "[1]]", "01x", "\"\\q\"",
        ] {
            assert_eq!(Val::parse_json(bad), None, "{bad}");
        }
        let deep = "[".repeat(2000) + &"]".repeat(2000);
        assert_eq!(Val::parse_json(&deep), None);
    }

    #[test]
    fn numbers_round_correctly() {
        // Correctly rounded, as jq's own strtod does; serde_json's default
        // float parser may be one ulp off on long mantissas.
        for text in [
            "2.2250738585072011e-308",
            "0.1",
            "1.7976931348623157e308",
            "123456789.123456789e-5",
        ] {
            assert_eq!(v(text), Val::Num(text.parse().unwrap()), "{text}");
        }
        assert_eq!(v("9007199254740993"), Val::Num(9007199254740992.0));
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
    fn strict_numbers() {
        assert_eq!(parse_number("-12.5e2"), Some(-1250.0));
        for s in [
            "", "-", "1.", ".5", "+1", "inf", "NaN", " 1", "1e", "0x10", "1_000",
        ] {
            assert_eq!(parse_number(s), None, "{s}");
        }
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
