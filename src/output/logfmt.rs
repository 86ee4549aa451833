//! `-o logfmt`: `key=value` pairs, values quoted when they need it.

use super::buf::push_json_str;
use super::fields::RoleKeys;
use super::rawjson;
use crate::record::json::Raw;
use crate::record::{Field, Record, Role, RoleMap, Timestamp};
use serde_json::Value;

fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_graphic() && c != '"' && c != '=' && c != '\\');
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// A field as `key=value` pairs; nested objects become `parent.child=value`.
fn flatten(key: &str, value: &Value, parts: &mut Vec<String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                flatten(&format!("{key}.{k}"), v, parts);
            }
        }
        Value::String(s) => parts.push(format!("{}={}", quote(key), quote(s))),
        v => parts.push(format!("{}={}", quote(key), quote(&v.to_string()))),
    }
}

/// Appends `s` as [`quote`] writes it.
fn push_quoted(buf: &mut Vec<u8>, s: &str) {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_graphic() && c != b'"' && c != b'=' && c != b'\\');
    if plain {
        buf.extend_from_slice(s.as_bytes());
    } else {
        push_json_str(buf, s);
    }
}

/// Appends a raw field as `key=value` pairs, as [`flatten`] writes its
/// decoded value; `false` (having written nothing) when it is not
/// canonical JSON.
fn push_raw_pairs(buf: &mut Vec<u8>, key: &str, raw: Raw, first: &mut bool) -> bool {
    if !rawjson::is_canonical_raw(raw) {
        return false;
    }
    let raw = raw.get();
    let mut path = String::with_capacity(64);
    path.push_str(key);
    push_canonical(buf, &mut path, raw, first);
    true
}

/// Writes the pairs of a canonical value; `key` holds its dotted path.
fn push_canonical(buf: &mut Vec<u8>, key: &mut String, raw: &str, first: &mut bool) {
    if raw.starts_with('{') && raw != "{}" {
        for (k, v) in rawjson::entries(raw).unwrap_or_default() {
            let len = key.len();
            key.push('.');
            key.push_str(k);
            push_canonical(buf, key, v, first);
            key.truncate(len);
        }
        return;
    }
    if !std::mem::take(first) {
        buf.push(b' ');
    }
    push_quoted(buf, key);
    buf.push(b'=');
    match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(s) => push_quoted(buf, s),
        None => push_quoted(buf, raw),
    }
}

/// Writes a record (`None`: an unparsed line) as `key=value` pairs.
pub(super) fn format(
    buf: &mut Vec<u8>,
    rec: Option<&Record>,
    raw: &[u8],
    time: Option<Timestamp>,
    roles: &RoleMap,
    keys: &RoleKeys,
) {
    let Some(rec) = rec else {
        buf.extend_from_slice(b"unparsed=");
        push_quoted(buf, &String::from_utf8_lossy(raw));
        buf.push(b'\n');
        return;
    };
    let mut first = true;
    let mut sep = |buf: &mut Vec<u8>| {
        if !std::mem::take(&mut first) {
            buf.push(b' ');
        }
    };
    if let Some(t) = time {
        sep(buf);
        buf.extend_from_slice(b"time=");
        t.push_rfc3339(buf);
    }
    if let Some(l) = rec.level(roles) {
        sep(buf);
        buf.extend_from_slice(b"level=");
        buf.extend(l.as_str().bytes().map(|b| b.to_ascii_lowercase()));
    }
    for (key, role) in [
        ("module", Role::Module),
        ("msg", Role::Message),
        ("cid", Role::Cid),
        ("service", Role::Service),
    ] {
        if let Some(v) = rec.role_text(role, roles) {
            sep(buf);
            buf.extend_from_slice(key.as_bytes());
            buf.push(b'=');
            push_quoted(buf, &v);
        }
    }
    for (k, v) in super::fields::extra_fields(rec, roles, keys) {
        if let Field::Raw(r) = &v {
            if push_raw_pairs(buf, &k, *r, &mut first) {
                continue;
            }
        }
        let mut parts = Vec::new();
        flatten(&k, &v.to_value(), &mut parts);
        for p in parts {
            if !std::mem::take(&mut first) {
                buf.push(b' ');
            }
            buf.extend_from_slice(p.as_bytes());
        }
    }
    buf.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;

    fn logfmt(line: &str) -> String {
        let roles = RoleMap::default();
        let rec = Record::parse(line);
        let cache = crate::output::fields::RoleKeysCache::default();
        let mut out = Vec::new();
        format(
            &mut out,
            Some(&rec),
            line.as_bytes(),
            rec.time(&roles),
            &roles,
            cache.get(&roles),
        );
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn roles_first_then_flattened_fields_quoted_when_needed() {
        assert_eq!(
            logfmt(
                r#"{"ts":1705312800.5,"level":"ERROR","msg":"a b","ctx":{"k":"v=1","n":2},"e":"","l":[1,"x"]}"#
            ),
            "time=2024-01-15T10:00:00.500Z level=error msg=\"a b\" ctx.k=\"v=1\" ctx.n=2 e=\"\" \
             l=\"[1,\\\"x\\\"]\"\n"
        );
    }
}
