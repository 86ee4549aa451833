//! `-o json`: one normalized object per record (SPEC §6).

use super::Item;
use crate::filter::{category_of, Context};
use crate::record::{Role, RoleMap, Timestamp};
use serde_json::{Map, Value};
use std::io::{self, Write};

/// The normalized object of a record.
pub fn normalize(item: &Item, roles: &RoleMap) -> Value {
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
    let cx = Context {
        roles,
        category: item.category,
    };
    obj.insert(
        "timestamp".into(),
        rec.time(roles)
            .map_or(Value::Null, |t| Value::String(rfc3339(t))),
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
        category_of(rec, &cx).map_or(Value::Null, Value::String),
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

/// RFC3339 in UTC with as many fraction digits as the time has (none,
/// milli, micro or nano), so no precision of the source is lost.
pub fn rfc3339(t: Timestamp) -> String {
    t.to_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

pub(super) fn print(w: &mut dyn Write, item: &Item, roles: &RoleMap) -> io::Result<()> {
    serde_json::to_writer(&mut *w, &normalize(item, roles))?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_keeps_the_precision_of_the_source() {
        let t = |s| rfc3339(Timestamp::parse(s).unwrap());
        assert_eq!(t("2024-01-15T10:00:00Z"), "2024-01-15T10:00:00Z");
        assert_eq!(t("2024-01-15T10:00:00.5+01:00"), "2024-01-15T09:00:00.500Z");
        assert_eq!(
            t("2024-01-15 10:00:00.123456"),
            "2024-01-15T10:00:00.123456Z"
        );
        assert_eq!(
            rfc3339(Timestamp::from_epoch_int(1705314603750123456).unwrap()),
            "2024-01-15T10:30:03.750123456Z"
        );
    }
}
