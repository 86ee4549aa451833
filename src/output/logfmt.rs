//! `-o logfmt`: `key=value` pairs, values quoted when they need it.

use super::Item;
use crate::record::{Role, RoleMap};
use serde_json::Value;
use std::io::{self, Write};

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

pub(super) fn print(w: &mut dyn Write, item: &Item, roles: &RoleMap) -> io::Result<()> {
    let rec = item.rec;
    let mut parts: Vec<String> = Vec::new();
    if item.is_invalid {
        parts.push(format!(
            "unparsed={}",
            quote(&String::from_utf8_lossy(item.raw))
        ));
    } else {
        if let Some(t) = rec.time(roles) {
            parts.push(format!("time={}", super::json::rfc3339(t)));
        }
        if let Some(l) = rec.level(roles) {
            parts.push(format!("level={}", l.as_str().to_ascii_lowercase()));
        }
        for (key, role) in [
            ("module", Role::Module),
            ("msg", Role::Message),
            ("cid", Role::Cid),
            ("service", Role::Service),
        ] {
            if let Some(v) = rec.role_text(role, roles) {
                parts.push(format!("{key}={}", quote(&v)));
            }
        }
        for (k, v) in rec.extra_fields(roles) {
            flatten(&k, &v.to_value(), &mut parts);
        }
    }
    w.write_all(parts.join(" ").as_bytes())?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;

    fn logfmt(line: &str) -> String {
        let roles = RoleMap::default();
        let rec = Record::parse(line);
        let item = Item {
            rec: &rec,
            raw: line.as_bytes(),
            source: "t.jsonl",
            line: 1,
            category: None,
            is_invalid: false,
        };
        let mut out = Vec::new();
        print(&mut out, &item, &roles).unwrap();
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
