//! Whether the fields a query names exist in the records read, and the
//! field names seen, so that a search that found nothing can say
//! `no record read has a field 'durationms'; did you mean 'duration_ms'?`.
//!
//! Owns the per-chunk tally ([`Seen`]) the scanner keeps beside its
//! collector when a `-q` or `--jq` filter names fields (role names such as
//! `level` always exist and are left out). It must stay cheap on the fast
//! paths and never claim too much:
//!
//! - a parsed record is asked for each field still unseen (the lookup the
//!   filter itself makes);
//! - a line the scanner skips unparsed (prefilter, quick reject) counts as
//!   holding a field when its raw bytes contain the field's last key, or a
//!   `\u` escape, or when it is not a JSON line (a text record's fields are
//!   not all spelled in it): "maybe" is never reported as "no";
//! - once every field has been seen, the chunk does no more work.
//!
//! Field names for the suggestion come from the first records of each chunk
//! while some field is still unseen (parsed for that if the scan skipped
//! them), top-level and nested keys as dotted paths, a few hundred at most.
//! Printing the hints is the command's (`cmd::report_missing_fields`).

use crate::filter::Expr;
use crate::record::{Classified, LineKind, Record, RoleMap};
use crate::suggest;
use memchr::memmem::Finder;
use serde_json::Value;
use std::collections::BTreeSet;

/// Records per chunk whose field names are collected.
const SAMPLE: usize = 32;
/// Distinct field names kept, in all.
const MAX_NAMES: usize = 512;
/// How deep nested keys are followed (`a.b.c`).
const MAX_DEPTH: usize = 3;

/// The fields a filter names, and how to recognize them in raw bytes.
#[derive(Debug)]
pub struct Census {
    fields: Vec<Named>,
}

#[derive(Debug)]
struct Named {
    path: Vec<String>,
    /// The last key, searched in the bytes of lines skipped unparsed.
    leaf: Finder<'static>,
}

/// What one chunk (or everything, once merged) saw.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Seen {
    /// Per named field: present (or maybe present) in some record.
    found: Vec<bool>,
    /// Records read, parsed or not.
    records: u64,
    /// Records whose names were collected in this chunk.
    sampled: usize,
    names: BTreeSet<String>,
}

impl Seen {
    /// Adds another chunk's tally.
    pub fn merge(&mut self, other: Seen) {
        if self.found.len() < other.found.len() {
            self.found.resize(other.found.len(), false);
        }
        for (a, b) in self.found.iter_mut().zip(other.found) {
            *a |= b;
        }
        self.records += other.records;
        for n in other.names {
            if self.names.len() >= MAX_NAMES {
                break;
            }
            self.names.insert(n);
        }
    }

    fn is_done(&self) -> bool {
        self.found.iter().all(|f| *f)
    }
}

impl Census {
    /// The census of a filter, or `None` when it names no field.
    pub fn new(filter: &Expr) -> Option<Census> {
        let mut paths: Vec<Vec<String>> = Vec::new();
        collect_paths(filter, &mut paths);
        let fields: Vec<Named> = paths
            .into_iter()
            .filter_map(|path| {
                let leaf = path.last()?.clone();
                Some(Named {
                    leaf: Finder::new(leaf.as_bytes()).into_owned(),
                    path,
                })
            })
            .collect();
        (!fields.is_empty()).then_some(Census { fields })
    }

    /// An empty tally.
    pub fn start(&self) -> Seen {
        Seen {
            found: vec![false; self.fields.len()],
            ..Seen::default()
        }
    }

    /// A record the scanner parsed.
    pub fn parsed(&self, seen: &mut Seen, rec: &Record, roles: &RoleMap) {
        seen.records += 1;
        if seen.is_done() {
            return;
        }
        for (f, found) in self.fields.iter().zip(seen.found.iter_mut()) {
            if !*found && rec.field(&f.path).is_some() {
                *found = true;
            }
        }
        if !seen.is_done() && seen.sampled < SAMPLE {
            seen.sampled += 1;
            collect_names(rec, roles, &mut seen.names);
        }
    }

    /// A record the scanner skipped without parsing it.
    /// `first` is its first line, classified.
    pub fn skipped(&self, seen: &mut Seen, raw: &[u8], first: &Classified, roles: &RoleMap) {
        if seen.is_done() {
            seen.records += 1;
            return;
        }
        if seen.sampled < SAMPLE {
            let text = String::from_utf8_lossy(raw);
            let rec = Record::parse_classified(&text, first);
            if rec.is_valid() {
                self.parsed(seen, &rec, roles);
                return;
            }
        }
        seen.records += 1;
        let is_json = first.kind == LineKind::Json;
        let escaped = first.escaped && memchr::memmem::find(raw, b"\\u").is_some();
        for (f, found) in self.fields.iter().zip(seen.found.iter_mut()) {
            if !*found && (!is_json || escaped || f.leaf.find(raw).is_some()) {
                *found = true;
            }
        }
    }

    /// For a search that matched nothing: which named fields no record
    /// read has, with the nearest name seen (`no record read has a field
    /// 'durationms'; did you mean 'duration_ms'?`). Nothing when no record
    /// was read.
    pub fn missing(&self, seen: &Seen) -> Vec<String> {
        if seen.records == 0 {
            return Vec::new();
        }
        self.fields
            .iter()
            .enumerate()
            .filter(|(i, _)| !seen.found.get(*i).copied().unwrap_or(false))
            .map(|(_, f)| {
                let name = f.path.join(".");
                let near = suggest::nearest(&name, seen.names.iter().map(String::as_str));
                match near {
                    Some(n) => format!("no record read has a field '{name}'; did you mean '{n}'?"),
                    None => format!("no record read has a field '{name}'"),
                }
            })
            .collect()
    }
}

/// The field paths `-q` and `--jq` filters name, without duplicates.
fn collect_paths(e: &Expr, out: &mut Vec<Vec<String>>) {
    let mut add = |paths: Vec<Vec<String>>| {
        for p in paths {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    };
    match e {
        Expr::And(v) => {
            for e in v {
                collect_paths(e, out);
            }
        }
        Expr::Query(q) => add(q.paths()),
        Expr::Jq(f) => add(f.paths()),
        _ => {}
    }
}

/// Adds the field names of a record: its keys, nested ones dotted, and the
/// fields of its format (loguru's `extra`, a text record's pairs).
fn collect_names(rec: &Record, roles: &RoleMap, names: &mut BTreeSet<String>) {
    fn walk(prefix: &str, v: &Value, depth: usize, names: &mut BTreeSet<String>) {
        let Value::Object(map) = v else {
            return;
        };
        for (k, v) in map {
            if names.len() >= MAX_NAMES {
                return;
            }
            let name = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            if depth < MAX_DEPTH {
                walk(&name, v, depth + 1, names);
            }
            names.insert(name);
        }
    }
    walk("", &rec.to_value(), 1, names);
    for (k, _) in rec.extra_fields(roles) {
        if names.len() >= MAX_NAMES {
            return;
        }
        names.insert(k.into_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::query::Query;

    fn census(q: &str) -> Census {
        Census::new(&Expr::Query(
            Query::parse_at(q, chrono::Utc::now(), false).unwrap(),
        ))
        .unwrap()
    }

    #[test]
    fn roles_are_not_fields_to_check() {
        let q =
            Query::parse_at("level = error and message ~ x", chrono::Utc::now(), false).unwrap();
        assert!(Census::new(&Expr::Query(q)).is_none());
        assert!(Census::new(&Expr::True).is_none());
    }

    #[test]
    fn a_missing_field_is_named_with_the_nearest_seen() {
        let roles = RoleMap::default();
        let c = census("durationms > 1000 and status = ok");
        let mut seen = c.start();
        let line = r#"{"duration_ms":5,"status":"ok","ctx":{"org":"a"}}"#;
        c.parsed(&mut seen, &Record::parse(line), &roles);
        assert_eq!(
            c.missing(&seen),
            vec!["no record read has a field 'durationms'; did you mean 'duration_ms'?"]
        );
        assert!(seen.names.contains("ctx.org"));
    }

    fn skip(c: &Census, seen: &mut Seen, line: &[u8], roles: &RoleMap) {
        c.skipped(seen, line, &crate::record::classify(line), roles);
    }

    #[test]
    fn skipped_lines_count_when_they_may_hold_the_field() {
        let roles = RoleMap::default();
        let c = census("a.zz = 1 and other = 2");
        let mut seen = c.start();
        seen.sampled = SAMPLE;
        skip(&c, &mut seen, br#"{"b":1}"#, &roles);
        assert_eq!(seen.found, vec![false, false]);
        skip(&c, &mut seen, br#"{"b":"zz"}"#, &roles);
        assert_eq!(seen.found, vec![true, false], "the bytes hold 'zz'");
        skip(&c, &mut seen, br#"{"\u006fther":1}"#, &roles);
        assert_eq!(seen.found, vec![true, true], "an escape may hide it");
        let mut seen = c.start();
        seen.sampled = SAMPLE;
        skip(
            &c,
            &mut seen,
            b"2024-01-15 10:00:00,000 - m - INFO - hi",
            &roles,
        );
        assert_eq!(seen.found, vec![true, true], "text lines are not read");
        assert_eq!(seen.records, 1);
    }

    #[test]
    fn nothing_is_claimed_without_records() {
        let c = census("durationms > 1");
        assert!(c.missing(&c.start()).is_empty());
    }

    #[test]
    fn merged_tallies_see_what_either_saw() {
        let roles = RoleMap::default();
        let c = census("x = 1 and y = 2");
        let (mut a, mut b) = (c.start(), c.start());
        c.parsed(&mut a, &Record::parse(r#"{"x":1}"#), &roles);
        c.parsed(&mut b, &Record::parse(r#"{"y":1}"#), &roles);
        a.merge(b);
        assert!(a.is_done());
        assert_eq!(a.records, 2);
        assert!(c.missing(&a).is_empty());
    }
}
