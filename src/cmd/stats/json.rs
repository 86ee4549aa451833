//! `stats --json`: the [`Table`] as one JSON document (SPEC §5), with
//! the same groups, "other" and buckets as the text report.

use super::spec::Spec;
use super::summary::Figures;
use super::table::{Other, Row, Table};
use crate::output::bars;
use crate::record::Timestamp;
use serde_json::{json, Map, Value};
use std::io::{self, Write};

fn row_json(spec: &Spec, r: &Row, grouped: u64) -> Value {
    let mut key = Map::new();
    for ((name, _), v) in spec.by.iter().zip(&r.values) {
        key.insert(name.clone(), v.clone().map_or(Value::Null, Value::String));
    }
    let mut obj = Map::new();
    obj.insert("key".into(), Value::Object(key));
    obj.insert("count".into(), r.count.into());
    obj.insert(
        "percent".into(),
        json!(bars::percent_value(r.count, grouped)),
    );
    if spec.field.is_some() {
        obj.insert(
            "stats".into(),
            r.figures.as_ref().map_or(Value::Null, Figures::to_json),
        );
    }
    Value::Object(obj)
}

fn other_json(spec: &Spec, o: &Option<Other>, grouped: u64) -> Value {
    match o {
        Some(o) => {
            let mut v = row_json(spec, &o.row, grouped);
            if let Value::Object(m) = &mut v {
                m.remove("key");
                m.insert("groups".into(), o.groups.into());
            }
            v
        }
        None => Value::Null,
    }
}

/// Writes the result as one JSON document (and a newline).
pub fn write(w: &mut dyn Write, spec: &Spec, t: &Table) -> io::Result<()> {
    let mut doc = Map::new();
    doc.insert("total".into(), t.total.into());
    doc.insert(
        "by".into(),
        spec.by
            .iter()
            .map(|(n, _)| Value::from(n.clone()))
            .collect(),
    );
    doc.insert(
        "field".into(),
        spec.field
            .as_ref()
            .map_or(Value::Null, |(n, _)| n.clone().into()),
    );
    doc.insert(
        "every".into(),
        spec.every
            .as_ref()
            .map_or(Value::Null, |(_, s)| s.clone().into()),
    );
    if spec.field.is_some() {
        doc.insert("missing".into(), t.missing.into());
    }
    doc.insert(
        "groups".into(),
        t.rows
            .iter()
            .map(|r| row_json(spec, r, t.grouped))
            .collect(),
    );
    doc.insert("other".into(), other_json(spec, &t.other, t.grouped));
    if let Some(buckets) = &t.buckets {
        doc.insert("no_time".into(), t.no_time.into());
        let list: Vec<Value> = buckets
            .iter()
            .map(|b| {
                let mut o = Map::new();
                o.insert(
                    "start".into(),
                    Timestamp(i128::from(b.start)).to_rfc3339().into(),
                );
                o.insert("count".into(), b.count.into());
                if spec.field.is_some() {
                    o.insert(
                        "stats".into(),
                        b.figures.as_ref().map_or(Value::Null, Figures::to_json),
                    );
                }
                if !spec.by.is_empty() {
                    o.insert(
                        "groups".into(),
                        b.rows.iter().map(|r| row_json(spec, r, b.count)).collect(),
                    );
                    o.insert("other".into(), other_json(spec, &b.other, b.count));
                }
                Value::Object(o)
            })
            .collect();
        doc.insert("buckets".into(), list.into());
    }
    serde_json::to_writer(&mut *w, &Value::Object(doc))?;
    w.write_all(b"\n")
}
