//! The quick reads against the full parse (serde_json and `Object`).

use super::*;
use crate::record::json::is_valid_object;
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
    let got = entries(
        r#"{"a":{"level":"x","b":[1,"}"]},"level" : "ERROR","m":"q\"uote","n":-1.5e3,"t":true}"#,
    )
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
        let pos = key.find(s.as_bytes())?;
        direct_value_at(s.as_bytes(), &key, pos, s.contains('\\'))
            .map(|v| String::from_utf8_lossy(v).into_owned())
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
    for s in ok.iter().chain(&bad).chain(&[
        r#"{"s":"\ud800"}"#,
        r#"{"s":"\udc00\ud800x"}"#,
        r#"{"\ud800":1}"#,
        r#"{"\udc00":1}"#,
        r#"{"\ud800\udc00":1}"#,
        r#"{"\udc00\ud800":1}"#,
        r#"{"\ud800\ud800":1}"#,
        r#"{"\ud800\n":1}"#,
        r#"{"a":{"\ud800":1}}"#,
        r#"{"a":["\udc00"]}"#,
    ]) {
        let parsed = crate::record::json::Object::parse(s).is_some();
        assert_eq!(is_valid_object(s.as_bytes()), parsed, "{s}");
    }
    // serde_json skips a raw value without its recursion limit.
    for depth in [63, 64, 65, 128, 129, 5000] {
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(depth), "]".repeat(depth));
        assert!(is_valid_object(deep.as_bytes()), "{depth}");
        assert!(
            crate::record::json::Object::parse(&deep).is_some(),
            "{depth}"
        );
        let mixed = format!(
            "{{\"a\":{}1{}}}",
            "[{\"b\":".repeat(depth),
            "}]".repeat(depth)
        );
        assert!(is_valid_object(mixed.as_bytes()), "{depth}");
        let unbalanced = format!("{{\"a\":{}1{}}}", "[".repeat(depth), "]".repeat(depth - 1));
        assert!(!is_valid_object(unbalanced.as_bytes()), "{depth}");
        let crossed = format!(
            "{{\"a\":{}1}}{}}}",
            "[".repeat(depth),
            "]".repeat(depth - 1)
        );
        assert!(!is_valid_object(crossed.as_bytes()), "{depth}");
    }
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
    fn agrees_with_serde_on_valid_objects(v in proptest::collection::btree_map("[a-z\"\\\\/ \u{8}\u{c}\n\r\t\u{1}é😀]{0,6}", "[ -~é\u{8}\u{c}\n\r\t\u{1}😀]{0,8}", 0..6)) {
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
    fn validity_agrees_with_serde(s in "[ {}\\[\\],:\"a-fA-F0-9.eE+\\-\\\\tnulrsxd]{0,40}") {
        let parsed = crate::record::json::Object::parse(&s).is_some();
        prop_assert_eq!(is_valid_object(s.as_bytes()), parsed, "{}", s);
    }

    /// Objects of tokens: every escape (lone, paired and reversed
    /// surrogates too) in keys and values, at the top and nested.
    #[test]
    fn validity_agrees_with_serde_on_escapes(tokens in proptest::collection::vec(
        proptest::sample::select(&[
            "{", "}", "[", "]", ",", ":", " ", "\"", "\"k\"", "\"v\"", "1", "01", "-",
            "1.", "1e5", "true", "null", r#"\""#, r"\\", r"\/", r"\b", r"\f", r"\n",
            r"\r", r"\t", r"\u0041", r"\u00e9", r"\ud800", r"\udbff", r"\udc00",
            r"\udfff", r"\ud83d\ude00", r"\ude00\ud83d", r"\ud800\ud800", r"\u12g4",
            r"\u00", r"\q", "\t", "\u{1}", "é",
        ][..]),
        0..24,
    )) {
        let s = tokens.concat();
        for line in [s.clone(), format!("{{\"{s}\":1}}"), format!("{{\"a\":\"{s}\"}}"), format!("{{\"a\":{{\"{s}\":1}}}}"), format!("{{{s}}}")] {
            let parsed = crate::record::json::Object::parse(&line).is_some();
            prop_assert_eq!(is_valid_object(line.as_bytes()), parsed, "{}", line);
        }
    }
}
