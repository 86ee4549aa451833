//! The timeline of one trace: its steps (one per record), the slowest step,
//! and the drawing: a header, then one line per record with a waterfall.
//!
//! Waterfall: the track spans from the first record (offset 0, or earlier
//! when a step began before it) to the last. A record with a duration field
//! is a step that *ends* at the record's time (it is logged when the work
//! is done: `node_complete duration_sec=2.5`), so its bar runs from
//! `offset - duration` to `offset`. Other records are a dot at their
//! offset. The slowest step is drawn with full blocks and marked.

use super::duration::DurationFields;
use crate::escape::escape;
use crate::merge::OwnedHit;
use crate::output::bars;
use crate::output::block::{self, Block};
use crate::output::pretty::{label, paint, value_text};
use crate::output::{with_record, Style};
use crate::record::{Field, Level, Record, Role, RoleMap, Timestamp};
use crate::settings::Settings;
use owo_colors::{OwoColorize, Style as Paint};
use serde_json::Value;
use std::io::{self, Write};

/// Width of the waterfall track, in cells.
pub const TRACK_WIDTH: usize = 30;

/// Widest a service or module column gets (longer names are cut with `…`).
const MAX_NAME_WIDTH: usize = 28;

pub(super) fn paint_if(s: &str, p: Paint, color: bool) -> String {
    if color {
        s.style(p).to_string()
    } else {
        s.to_string()
    }
}

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
    fn who(&self) -> &str {
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

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Distinct values in order of first appearance.
fn in_order<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
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

    fn offset_of(&self, step: &Step) -> Option<i64> {
        Some(step.time?.nanos_since(self.origin()?))
    }

    /// The header: id, start, counts, span, services, slowest step.
    fn header(&self, style: &Style) -> Vec<String> {
        let errors = self
            .steps
            .iter()
            .filter(|s| s.level.is_some_and(|l| l >= Level::Error))
            .count();
        let warnings = self
            .steps
            .iter()
            .filter(|s| s.level == Some(Level::Warning))
            .count();
        let start = self
            .origin()
            .map(|t| format!(" · {}", t.format(&style.time_format, style.local)))
            .unwrap_or_default();
        let mut lines = vec![format!(
            "trace {}{start} · {} · span {} · {} · {}",
            self.title(),
            plural(self.steps.len(), "record", "records"),
            bars::duration(self.span()),
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings"),
        )];
        let services = in_order(self.steps.iter().filter_map(|s| s.service.as_deref()));
        let categories = in_order(self.steps.iter().filter_map(|s| s.category.as_deref()));
        let list = |v: &[&str]| -> String {
            if v.is_empty() {
                "(none)".to_string()
            } else {
                v.iter()
                    .map(|x| escape(x, false).into_owned())
                    .collect::<Vec<_>>()
                    .join(" → ")
            }
        };
        lines.push(format!(
            "services: {} · categories: {}",
            list(&services),
            list(&categories)
        ));
        let describe = |s: &Step| -> String {
            let first = s.message.lines().next().unwrap_or("");
            let mut d = format!("{} ({}", escape(first, false), escape(s.who(), false));
            if let Some(m) = &s.module {
                d.push_str(", ");
                d.push_str(&escape(m, false));
            }
            d.push(')');
            d
        };
        match self.slowest() {
            Some(Slowest::Duration(i)) => {
                if let Some(s) = self.steps.get(i) {
                    let (name, d) = s.duration.unwrap_or(("", 0));
                    let at = self
                        .offset_of(s)
                        .map(|o| format!(", ended at {}", bars::offset(o)))
                        .unwrap_or_default();
                    lines.push(format!(
                        "slowest: {} {} by {name}{at}",
                        describe(s),
                        bars::duration(d),
                    ));
                }
            }
            Some(Slowest::Gap(a, b)) => {
                if let (Some(sa), Some(sb)) = (self.steps.get(a), self.steps.get(b)) {
                    let gap = match (sa.time, sb.time) {
                        (Some(x), Some(y)) => y.nanos_since(x),
                        _ => 0,
                    };
                    lines.push(format!(
                        "slowest: {} between {} and {}",
                        bars::duration(gap),
                        describe(sa),
                        describe(sb)
                    ));
                }
            }
            None => {}
        }
        lines
    }

    /// Draws the header and one line per record.
    pub fn draw(&self, w: &mut dyn Write, style: &Style) -> io::Result<()> {
        let color = style.color;
        let dim = Paint::new().dimmed();
        for (i, line) in self.header(style).iter().enumerate() {
            let p = if i == 0 { Paint::new().bold() } else { dim };
            writeln!(w, "{}", paint_if(line, p, color))?;
        }
        writeln!(w)?;
        let slowest = match self.slowest() {
            Some(Slowest::Duration(i)) => Some(i),
            _ => None,
        };
        // The scale: from the earliest bar start (or the origin) to the
        // last record.
        let offsets: Vec<Option<i64>> = self.steps.iter().map(|s| self.offset_of(s)).collect();
        let lo = self
            .steps
            .iter()
            .zip(&offsets)
            .filter_map(|(s, o)| Some(o.as_ref()?.saturating_sub(s.duration?.1)))
            .fold(0i64, i64::min);
        let hi = offsets.iter().flatten().copied().fold(0i64, i64::max);
        let (lo, hi) = (lo as f64, if hi > lo { hi as f64 } else { lo as f64 + 1.0 });
        let off_w = offsets
            .iter()
            .map(|o| o.map_or(1, |o| bars::offset(o).chars().count()))
            .max()
            .unwrap_or(1);
        let took_w = self
            .steps
            .iter()
            .filter_map(|s| s.duration.map(|(_, d)| bars::duration(d).chars().count()))
            .max()
            .unwrap_or(0);
        let who_w = self
            .steps
            .iter()
            .map(|s| escape(s.who(), false).chars().count())
            .max()
            .unwrap_or(1)
            .min(MAX_NAME_WIDTH);
        let module_w = self
            .steps
            .iter()
            .map(|s| {
                s.module
                    .as_deref()
                    .map_or(1, |m| escape(m, false).chars().count())
            })
            .max()
            .unwrap_or(1)
            .min(MAX_NAME_WIDTH);
        for (i, (step, off)) in self.steps.iter().zip(&offsets).enumerate() {
            let is_slowest = slowest == Some(i);
            let offset = off.map_or_else(|| "?".to_string(), bars::offset);
            let track = match (off, step.duration) {
                (Some(o), Some((_, d))) => {
                    let fill = if is_slowest { '█' } else { '▒' };
                    let bar = bars::span(
                        o.saturating_sub(d) as f64,
                        *o as f64,
                        lo,
                        hi,
                        TRACK_WIDTH,
                        fill,
                    );
                    let p = if is_slowest {
                        Paint::new().red().bold()
                    } else {
                        Paint::new().cyan()
                    };
                    paint_if(&bar, p, color)
                }
                (Some(o), None) => paint_if(
                    &bars::point(*o as f64, lo, hi, TRACK_WIDTH, '•'),
                    Paint::new(),
                    color,
                ),
                (None, _) => " ".repeat(TRACK_WIDTH),
            };
            let took = step
                .duration
                .map(|(_, d)| bars::duration(d))
                .unwrap_or_default();
            // The column of durations, absent when no record has one.
            let took = if took_w == 0 {
                String::new()
            } else {
                let cell = format!(" {took:>took_w$}");
                if is_slowest {
                    paint_if(&cell, Paint::new().red().bold(), color)
                } else {
                    cell
                }
            };
            let mut line = format!(
                "{}  │{track}│{took}  {}  {}  {}",
                paint_if(&format!("{offset:>off_w$}"), dim, color),
                bars::fit(&escape(step.who(), false), who_w),
                paint_if(
                    &bars::fit(
                        &escape(step.module.as_deref().unwrap_or("-"), false),
                        module_w
                    ),
                    Paint::new().cyan(),
                    color
                ),
                paint_if(label(step.level), paint(step.level), color),
            );
            line.push_str("  ");
            line.push_str(&block::split_message(&step.message).0);
            for f in &step.fields {
                line.push_str("  ");
                line.push_str(&paint_if(&escape(f, false), dim, color));
            }
            if is_slowest {
                line.push_str(&paint_if("  ◀ slowest", Paint::new().red().bold(), color));
            }
            writeln!(w, "{}", line.trim_end())?;
            // Blocks sit under the message, the track's rails drawn through.
            let took_cells = if took_w == 0 { 0 } else { took_w + 1 };
            let rails = format!(
                "{:off_w$}  │{:TRACK_WIDTH$}│{:took_cells$}  {:who_w$}  {:module_w$}  {:5}  ",
                "", "", "", "", "", ""
            );
            for text in step.blocks.iter().flat_map(|b| b.draw(color)) {
                writeln!(w, "{}", format!("{rails}{text}").trim_end())?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(ms: Option<i64>, duration_ms: Option<i64>) -> Step {
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
    fn draws_a_waterfall_ending_at_each_record() {
        let t = Trace {
            id: "req-1".into(),
            also: Vec::new(),
            steps: vec![
                step(Some(0), None),
                step(Some(1000), Some(500)),
                step(Some(3000), Some(1500)),
            ],
        };
        let mut out = Vec::new();
        t.draw(&mut out, &Style::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        let want = "\
trace req-1 · 1970-01-01 00:00:00.000 · 3 records · span 3.000s · 0 errors · 0 warnings
services: svc · categories: (none)
slowest: m (svc, mod) 1.500s by duration_ms, ended at +3.000s

   +0ms  │•                             │         svc  mod  INFO   m
+1.000s  │     ▒▒▒▒▒▒                   │  500ms  svc  mod  INFO   m
+3.000s  │               ███████████████│ 1.500s  svc  mod  INFO   m  ◀ slowest
";
        assert_eq!(text, want);
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
