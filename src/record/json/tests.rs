//! The splitter against serde_json, its oracle, on chosen and generated
//! lines; and what it notes of each value.

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
    let string = prop::collection::vec(escape, 0..4).prop_map(|v| format!("\"{}\"", v.concat()));
    let scalar = prop_oneof![
        string.clone(),
        "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?".prop_map(String::from),
        Just("true".to_string()),
        Just("null".to_string()),
    ];
    let value = scalar.prop_recursive(4, 24, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
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
