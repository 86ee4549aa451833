//! The model of one trace: its steps (one per record, with what is drawn
//! of it), its title, origin and span, and its slowest step. Drawing the
//! header and the waterfall is left to [`draw`](super::draw).
//!
//! A record with a duration field is a step that *ends* at the record's
//! time (it is logged when the work is done: `node_complete
//! duration_sec=2.5`); other records are a moment. The slowest step is the
//! longest duration, else the longest gap between two timed records.

use super::duration::DurationFields;
use crate::escape::escape;
use crate::merge::OwnedHit;
use crate::output::block::{self, Block};
use crate::output::pretty::value_text;
use crate::output::with_record;
use crate::record::{Field, Level, Record, Role, RoleMap, Timestamp};
use crate::settings::Settings;
use serde_json::Value;

/// The `key=value` fields of a record shown on its line: the fields that
/// are not roles, nested objects flattened to dotted keys, without the
/// ones that hold one of the trace's ids (the title names them).
fn key_fields(rec: &Record, roles: &RoleMap, ids: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in rec.extra_fields(roles) {
        // `key=value` pairs of a text message are shown in it.
        if k == "category" || rec.echoes_message(&k) {
            continue;
        }
        match v.to_value() {
            // Drawn under the step instead.
            value if block::is_block_value(&value) => {}
            Value::Object(map) => flatten(&k, &Value::Object(map), roles, ids, &mut out),
            _ => {
                if !v.as_str().is_some_and(|t| ids.iter().any(|id| *id == t)) {
                    out.push(format!("{k}={}", value_text(&v)));
                }
            }
        }
    }
    out
}

fn flatten(prefix: &str, v: &Value, roles: &RoleMap, ids: &[String], out: &mut Vec<String>) {
    match v {
        v if block::is_block_value(v) => {}
        // A role's nested alias (`log.logger`) is shown as the role.
        _ if roles.is_role_key(prefix) => {}
        Value::Object(map) if !map.is_empty() => {
            for (k, inner) in map {
                flatten(&format!("{prefix}.{k}"), inner, roles, ids, out);
            }
        }
        Value::String(s) if ids.contains(s) => {}
        Value::String(s) => out.push(format!("{prefix}={}", value_text(&Field::Text(s)))),
        other => out.push(format!("{prefix}={other}")),
    }
}

/// One record of a timeline, with what is drawn of it.
#[derive(Debug, Clone)]
pub struct Step {
    pub time: Option<Timestamp>,
    pub service: Option<String>,
    pub category: Option<String>,
    pub module: Option<String>,
    pub level: Option<Level>,
    pub message: String,
    /// `key=value` of the fields that are not roles.
    pub fields: Vec<String>,
    /// The multi-line parts drawn under the step's line.
    pub blocks: Vec<Block>,
    /// The duration field and its value in nanoseconds.
    pub duration: Option<(&'static str, i64)>,
}

impl Step {
    /// What the record is drawn under: its service, else its category.
    pub(super) fn who(&self) -> &str {
        self.service
            .as_deref()
            .or(self.category.as_deref())
            .unwrap_or("-")
    }
}

/// The slowest step of a trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slowest {
    /// The step with the largest duration field (index into the steps).
    Duration(usize),
    /// No durations: the largest gap between two consecutive timed records
    /// (indexes of the records before and after it).
    Gap(usize, usize),
}

/// A trace ready to draw.
#[derive(Debug, Clone)]
pub struct Trace {
    /// The id the trace was asked for (or found) by.
    pub id: String,
    /// The other ids its records carry, in order of appearance.
    pub also: Vec<String>,
    pub steps: Vec<Step>,
}

impl Trace {
    /// Reads the merged records of one request, known by `ids` (the first
    /// is the title, see [`Trace::title`]).
    pub fn build(
        s: &Settings,
        ids: &[String],
        hits: &[OwnedHit],
        durations: &DurationFields,
    ) -> Trace {
        let roles = &s.roles;
        let steps = hits
            .iter()
            .map(|hit| {
                let category = s.inputs.get(hit.input).and_then(|i| i.category.as_deref());
                with_record(&hit.raw, |rec| Step {
                    time: rec.time(roles),
                    service: rec.role_text(Role::Service, roles),
                    category: rec.category(roles, category),
                    module: rec.role_text(Role::Module, roles),
                    level: rec.level(roles),
                    message: rec.role_text(Role::Message, roles).unwrap_or_default(),
                    fields: key_fields(rec, roles, ids),
                    blocks: block::blocks(rec, roles, &s.printer.style),
                    duration: durations.of(rec),
                })
            })
            .collect();
        let (id, also) = match ids {
            [id, also @ ..] => (id.clone(), also.to_vec()),
            [] => (String::new(), Vec::new()),
        };
        Trace { id, also, steps }
    }

    /// `req-1`, or `req-1 (also abc, def)` when the request's records carry
    /// other ids too.
    pub fn title(&self) -> String {
        let mut t = escape(&self.id, false).into_owned();
        if !self.also.is_empty() {
            let also: Vec<String> = self
                .also
                .iter()
                .map(|a| escape(a, false).into_owned())
                .collect();
            t.push_str(&format!(" (also {})", also.join(", ")));
        }
        t
    }

    /// The time of the first record with one: offset zero.
    pub fn origin(&self) -> Option<Timestamp> {
        self.steps.iter().find_map(|s| s.time)
    }

    /// Nanoseconds from the origin to the last timed record.
    pub fn span(&self) -> i64 {
        let last = self.steps.iter().rev().find_map(|s| s.time);
        match (self.origin(), last) {
            (Some(a), Some(b)) => b.nanos_since(a),
            _ => 0,
        }
    }

    /// The slowest step, if any can be told.
    pub fn slowest(&self) -> Option<Slowest> {
        let by_duration = self
            .steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.duration.map(|(_, d)| (d, i)))
            .max_by(|(da, ia), (db, ib)| da.cmp(db).then(ib.cmp(ia)));
        if let Some((_, i)) = by_duration {
            return Some(Slowest::Duration(i));
        }
        let timed: Vec<(usize, Timestamp)> = self
            .steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.time.map(|t| (i, t)))
            .collect();
        timed
            .windows(2)
            .filter_map(|w| match w {
                [(a, ta), (b, tb)] => Some((tb.nanos_since(*ta), *a, *b)),
                _ => None,
            })
            .filter(|(gap, _, _)| *gap > 0)
            .max_by(|(ga, a, _), (gb, b, _)| ga.cmp(gb).then(b.cmp(a)))
            .map(|(_, a, b)| Slowest::Gap(a, b))
    }

    /// Nanoseconds from the origin to a step, when it has a time.
    pub(super) fn offset_of(&self, step: &Step) -> Option<i64> {
        Some(step.time?.nanos_since(self.origin()?))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A step at `ms` milliseconds, ending a piece of work of `duration_ms`.
    pub(in crate::cmd::trace) fn step(ms: Option<i64>, duration_ms: Option<i64>) -> Step {
        Step {
            time: ms.map(|m| Timestamp(i128::from(m) * 1_000_000)),
            service: Some("svc".into()),
            category: None,
            module: Some("mod".into()),
            level: Some(Level::Info),
            message: "m".into(),
            fields: Vec::new(),
            blocks: Vec::new(),
            duration: duration_ms.map(|d| ("duration_ms", d * 1_000_000)),
        }
    }

    #[test]
    fn slowest_is_the_longest_duration_else_the_longest_gap() {
        let t = Trace {
            id: "x".into(),
            also: Vec::new(),
            steps: vec![
                step(Some(0), None),
                step(Some(100), Some(90)),
                step(Some(500), Some(300)),
            ],
        };
        assert_eq!(t.slowest(), Some(Slowest::Duration(2)));
        assert_eq!(t.span(), 500_000_000);
        let t = Trace {
            id: "x".into(),
            also: Vec::new(),
            steps: vec![
                step(Some(0), None),
                step(None, None),
                step(Some(100), None),
                step(Some(400), None),
            ],
        };
        assert_eq!(t.slowest(), Some(Slowest::Gap(2, 3)));
        let t = Trace {
            id: "x".into(),
            also: Vec::new(),
            steps: vec![step(None, None)],
        };
        assert_eq!(t.slowest(), None);
        assert_eq!(t.span(), 0);
    }

    #[test]
    fn title_names_the_other_ids_of_the_request() {
        let mut t = Trace {
            id: "req-1".into(),
            also: Vec::new(),
            steps: Vec::new(),
        };
        assert_eq!(t.title(), "req-1");
        t.also = vec!["abc".into(), "x\u{1b}y".into()];
        assert_eq!(t.title(), "req-1 (also abc, x\\x1by)");
    }
}
