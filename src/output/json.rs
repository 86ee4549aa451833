//! `-o json`: one normalized object per record (SPEC §6).

use super::buf::push_json_str;
use super::fields::RoleKeys;
use super::rawjson;
#[cfg(test)]
use super::Item;
use crate::record::{Field, Record, Role, RoleMap, Timestamp};
use serde_json::{Map, Value};

/// The normalized object of a record: what [`format`] writes, built as a
/// value (the oracle of its tests).
#[cfg(test)]
fn normalize(item: &Item, roles: &RoleMap) -> Value {
    let rec = item.rec;
    let mut obj = Map::new();
    let source = Value::String(format!("{}:{}", item.source, item.line));
    if item.is_invalid {
        obj.insert("source".into(), source);
        obj.insert(
            "unparsed".into(),
            Value::String(String::from_utf8_lossy(item.raw).into_owned()),
        );
        return Value::Object(obj);
    }
    let text = |role| {
        rec.role_text(role, roles)
            .map_or(Value::Null, Value::String)
    };
    obj.insert(
        "timestamp".into(),
        rec.time(roles)
            .map_or(Value::Null, |t| Value::String(t.to_rfc3339())),
    );
    obj.insert(
        "level".into(),
        rec.level(roles)
            .map_or(Value::Null, |l| Value::String(l.as_str().into())),
    );
    obj.insert("message".into(), text(Role::Message));
    obj.insert("module".into(), text(Role::Module));
    obj.insert(
        "category".into(),
        rec.category(roles, item.category)
            .map_or(Value::Null, Value::String),
    );
    obj.insert("cid".into(), text(Role::Cid));
    obj.insert("service".into(), text(Role::Service));
    obj.insert("source".into(), source);
    let fields: Map<String, Value> = rec
        .extra_fields(roles)
        .into_iter()
        .map(|(k, v)| (k.into_owned(), v.to_value()))
        .collect();
    obj.insert("fields".into(), Value::Object(fields));
    Value::Object(obj)
}

/// The JSON-escaped name of an input and the `:` before its line number.
pub(super) fn source_insert(source: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(source.len() + 3);
    push_json_str(&mut out, source);
    out.pop();
    out.remove(0);
    out.push(b':');
    out
}

/// Writes the normalized object of a record (`None`: an unparsed line) as
/// [`normalize`] builds it; the hole is inside the `source` string.
pub(super) fn format(
    buf: &mut Vec<u8>,
    rec: Option<&Record>,
    raw: &[u8],
    time: Option<Timestamp>,
    category: Option<&str>,
    roles: &RoleMap,
    keys: &RoleKeys,
) -> u32 {
    let start = buf.len();
    let hole = |buf: &Vec<u8>| (buf.len() - start) as u32;
    let Some(rec) = rec else {
        buf.extend_from_slice(b"{\"source\":\"");
        let at = hole(buf);
        buf.extend_from_slice(b"\",\"unparsed\":");
        push_json_str(buf, &String::from_utf8_lossy(raw));
        buf.extend_from_slice(b"}\n");
        return at;
    };
    let opt = |buf: &mut Vec<u8>, s: Option<&str>| match s {
        Some(s) => push_json_str(buf, s),
        None => buf.extend_from_slice(b"null"),
    };
    buf.extend_from_slice(b"{\"timestamp\":");
    match time {
        Some(t) => {
            buf.push(b'"');
            t.push_rfc3339(buf);
            buf.push(b'"');
        }
        None => buf.extend_from_slice(b"null"),
    }
    buf.extend_from_slice(b",\"level\":");
    opt(buf, rec.level(roles).map(|l| l.as_str()));
    let text = |role| rec.role_text(role, roles);
    buf.extend_from_slice(b",\"message\":");
    opt(buf, text(Role::Message).as_deref());
    buf.extend_from_slice(b",\"module\":");
    opt(buf, text(Role::Module).as_deref());
    buf.extend_from_slice(b",\"category\":");
    opt(buf, rec.category(roles, category).as_deref());
    buf.extend_from_slice(b",\"cid\":");
    opt(buf, text(Role::Cid).as_deref());
    buf.extend_from_slice(b",\"service\":");
    opt(buf, text(Role::Service).as_deref());
    buf.extend_from_slice(b",\"source\":\"");
    let at = hole(buf);
    buf.extend_from_slice(b"\",\"fields\":");
    let fields = super::fields::extra_fields(rec, roles, keys);
    let repeats = fields
        .iter()
        .enumerate()
        .any(|(i, (k, _))| fields[..i].iter().any(|(o, _)| o == k));
    if repeats {
        // Later values replace earlier ones in place: the map decides.
        let map: Map<String, Value> = fields
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.to_value()))
            .collect();
        let _ = serde_json::to_writer(&mut *buf, &Value::Object(map));
    } else {
        buf.push(b'{');
        for (i, (k, v)) in fields.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            push_json_str(buf, k);
            buf.push(b':');
            push_value(buf, v);
        }
        buf.push(b'}');
    }
    buf.extend_from_slice(b"}\n");
    at
}

/// Appends a field's value as serde_json writes it decoded.
fn push_value(buf: &mut Vec<u8>, f: &Field) {
    match f {
        Field::Raw(r) if rawjson::is_canonical_raw(*r) => buf.extend_from_slice(r.get().as_bytes()),
        Field::Text(s) => push_json_str(buf, s),
        f => {
            let _ = serde_json::to_writer(&mut *buf, &f.to_value());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_writes_what_normalize_builds() {
        let roles = RoleMap::default();
        let cache = super::super::fields::RoleKeysCache::default();
        let keys = cache.get(&roles);
        for line in [
            r#"{"ts":"2024-01-15T10:00:00Z","level":"warn","msg":"m","ctx":{"request_id":"r-1","org":{"id":7,"tags":[1]}},"empty":{},"n":null}"#,
            r#"{"time":1705312800.5,"level":"ERROR","message":"a\"b\u00e9","f":1.50,"g":1e3,"h":[1,{"a":2,"a":3}],"d":1,"d":2,"x":"\/"}"#,
            r#"{"level":30,"pid":1,"hostname":"h","msg":"pino","big":123456789012345678901234}"#,
            "2024-01-15 10:00:00,123 ERROR [app.db] failed: boom duration_ms=12 user=\"a b\"",
            "[2024-01-15 10:00:00] INFO in app: started",
            r#"{"no":"time"}"#,
        ] {
            let rec = crate::record::Record::parse(line);
            for category in [None, Some("app")] {
                let item = Item {
                    rec: &rec,
                    raw: line.as_bytes(),
                    source: "dir/a \"b\".log",
                    line: 42,
                    category,
                    is_invalid: false,
                };
                let mut want = serde_json::to_string(&normalize(&item, &roles)).unwrap();
                want.push('\n');
                let mut got = Vec::new();
                let hole = format(
                    &mut got,
                    Some(&rec),
                    item.raw,
                    rec.time(&roles),
                    category,
                    &roles,
                    keys,
                );
                let mut out = Vec::new();
                crate::output::write_record(
                    &mut out,
                    &got,
                    hole,
                    &source_insert(item.source),
                    true,
                    42,
                )
                .unwrap();
                assert_eq!(String::from_utf8(out).unwrap(), want, "{line}");
            }
        }
    }
}
