//! Property tests over everything that reads untrusted bytes (issue 13):
//! the line parsers of every format, `-q`, `--jq`, the time parsers and the
//! decompressors. Whatever the input, nothing panics, output stays bounded,
//! and a valid JSON line decodes to what serde_json decodes.
//!
//! The strategies mix arbitrary bytes with fragments of real records, so
//! that the cases reach past the first byte of each parser.

use crate::filter::{jq, query, Context};
use crate::record::{self, roles::RoleMap, Record, Role, Timestamp};
use proptest::prelude::*;
use std::io::Read;

/// Pieces of every line format logq knows, to splice into random lines.
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "\\",
    "\\u",
    "\\u0000",
    "\\ud800",
    "null",
    "1e400",
    "-0",
    "true",
    "\"level\":",
    "\"msg\":",
    "\"ts\":",
    "\"time\":",
    "\"record\":",
    "\"text\":",
    "2024-01-15T10:00:00Z",
    "2024-01-15 10:00:00,123",
    "12/Mar/2024:10:00:01 +0100",
    " - ",
    " | ",
    "ERROR",
    "INFO",
    "key=value",
    "a=\"b c\"",
    "Traceback",
    "\n",
    "\r",
    "\u{1b}[2J",
    "\u{202e}",
    "127.0.0.1 - - [",
    "\"GET / HTTP/1.1\" 200 ",
    "web-1  | ",
    "2024-01-15T10:00:00.000000000Z stdout F ",
    "(",
    ")",
    "or",
    "and",
    "not",
    "==",
    "?",
];

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(
            prop_oneof![
                prop::sample::select(FRAGMENTS).prop_map(str::to_string),
                "[a-z0-9 ._-]{0,8}",
            ],
            0..24
        )
        .prop_map(|v| v.concat()),
    ]
}

fn roles() -> RoleMap {
    RoleMap::default()
}

/// Every accessor of a record, as printers and filters call them.
fn touch(r: &Record, roles: &RoleMap) {
    for role in [Role::Message, Role::Module, Role::Cid, Role::Service] {
        let _ = r.role_text(role, roles);
    }
    let _ = r.time(roles);
    let _ = r.level(roles);
    let _ = r.field(&["a", "b"]).map(|f| f.to_value());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn line_parsers_never_panic(s in line()) {
        let roles = roles();
        let r = Record::parse(&s);
        touch(&r, &roles);
        let b = s.as_bytes();
        let _ = record::classify(b);
        let _ = record::is_record_start(b);
        let _ = record::prefix::split(b);
        let _ = record::json::is_valid_object(b);
        let _ = record::quick_time(&record::classify(b), &roles);
        let _ = record::quick_role(&record::classify(b), Role::Message, &roles);
        let _ = record::access::parse(&s);
        let _ = record::text::parse_head(&s);
        let _ = record::pairs::pairs(&s);
        let mut n = 0;
        record::split_records(b, |_| n += 1);
    }

    #[test]
    fn valid_json_lines_decode_as_serde_json_does(v in json_object()) {
        let text = serde_json::to_string(&v).unwrap();
        let obj = record::json::Object::parse(&text).expect("a JSON object");
        // The oracle is serde_json reading the same text (its float parsing
        // does not round-trip every f64, so `v` itself is not).
        let want: serde_json::Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(obj.to_value(), want);
    }

    #[test]
    fn query_parser_never_panics(s in line()) {
        if let Ok(q) = query::Query::parse_at(&s, chrono::Utc::now(), false) {
            let roles = roles();
            let cx = Context { roles: &roles, category: None };
            let r = Record::parse(r#"{"level":"error","msg":"m","a":{"b":1}}"#);
            let _ = q.matches(&r, &cx);
        }
    }

    #[test]
    fn jq_parser_never_panics(s in line()) {
        if let Ok(f) = jq::Filter::parse(&format!("select({s})")) {
            let roles = roles();
            let cx = Context { roles: &roles, category: None };
            let r = Record::parse(r#"{"level":"error","msg":"m","a":{"b":[1,"x",null]}}"#);
            let _ = f.matches(&r, &cx);
        }
        let _ = jq::Filter::parse(&s);
    }

    #[test]
    fn time_parsers_never_panic(s in line(), n in any::<f64>(), i in any::<i64>()) {
        let _ = Timestamp::parse(&s);
        let _ = Timestamp::parse_written(&s);
        let _ = Timestamp::from_epoch(n);
        let _ = Timestamp::from_epoch_int(i);
        let now = chrono::DateTime::from_timestamp(1_705_320_000, 0).unwrap();
        let _ = crate::filter::timespec::parse(&s, now, false);
        let _ = crate::filter::timespec::parse(&format!("-{}d", i.unsigned_abs()), now, false);
        if let Some(t) = Timestamp::parse(&s) {
            let _ = t.to_rfc3339();
        }
    }

    #[test]
    fn decompressors_survive_corrupted_streams(
        kind in 0usize..4,
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut data = compressed(kind);
        for (at, byte) in flips {
            let i = at.index(data.len());
            data[i] ^= byte | 1;
        }
        // Sometimes truncated as well.
        if kind % 2 == 0 {
            data.truncate(cut.index(data.len()) + 1);
        }
        let reader = std::io::BufReader::new(std::io::Cursor::new(data));
        if let Ok(decoder) = crate::source::open::decode(reader) {
            let mut out = Vec::new();
            // Bounded: read at most 4 MB, whatever the stream claims.
            let _ = decoder.take(MAX_OUT).read_to_end(&mut out);
            prop_assert!(out.len() as u64 <= MAX_OUT);
        }
    }
}

const MAX_OUT: u64 = 4 << 20;

fn json_object() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::String),
    ];
    let value = leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(("[a-z]{1,4}", inner), 0..6)
                .prop_map(|kv| { serde_json::Value::Object(kv.into_iter().collect()) }),
        ]
    });
    prop::collection::vec(("[a-z_]{1,6}", value), 0..8)
        .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect()))
}

/// One small log compressed as gzip, zstd, bzip2 or xz.
fn compressed(kind: usize) -> Vec<u8> {
    use std::io::Write;
    let text = "{\"level\":\"info\",\"msg\":\"hello\"}\n".repeat(64);
    let data = text.as_bytes();
    match kind {
        0 => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        }
        1 => zstd::encode_all(data, 1).unwrap(),
        2 => {
            let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        }
        _ => {
            let mut e = liblzma::write::XzEncoder::new(Vec::new(), 1);
            e.write_all(data).unwrap();
            e.finish().unwrap()
        }
    }
}

#[test]
fn values_serde_json_refuses_keep_their_text() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let line = format!(r#"{{"deep":{deep},"big":1e400,"ok":[1]}}"#);
    let obj = record::json::Object::parse(&line).expect("a JSON object");
    let v = obj.to_value();
    assert_eq!(v["deep"], serde_json::Value::String(deep));
    assert_eq!(v["big"], serde_json::Value::String("1e400".into()));
    assert_eq!(v["ok"], serde_json::json!([1]));
}
