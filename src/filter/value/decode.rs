//! Decoding the raw JSON text of a record's field into a [`Val`].
//!
//! A small recursive-descent decoder, so numbers are rounded correctly, as
//! jq's own parser does, rather than with serde_json's fast approximation;
//! and the strict number syntax `-q` reads bare values with.
//!
//! Invariant: bad or too deeply nested text gives `None`, never a panic.

use super::Val;
use crate::record::json::simple_escape;
use indexmap::IndexMap;

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
                        c => out.push(simple_escape(c)?),
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
    fn strict_numbers() {
        assert_eq!(parse_number("-12.5e2"), Some(-1250.0));
        for s in [
            "", "-", "1.", ".5", "+1", "inf", "NaN", " 1", "1e", "0x10", "1_000",
        ] {
            assert_eq!(parse_number(s), None, "{s}");
        }
    }
}
