//! `logq trace`: every record of one request, across files, categories and
//! services, in time order, drawn as a timeline with a waterfall (SPEC §5).
//!
//! The scan is the search pipeline (ordered per input, merged by time) with
//! the correlation filter added to the user's filters. The records of one
//! trace are buffered, since the header (span, slowest step) and the scale
//! of the waterfall need all of them; a trace is small by nature.
//!
//! Waterfall: the track spans from the first record (offset 0, or earlier
//! when a step began before it) to the last. A record with a duration field
//! is a step that *ends* at the record's time (it is logged when the work
//! is done: `node_complete duration_sec=2.5`), so its bar runs from
//! `offset - duration` to `offset`. Other records are a dot at their
//! offset. The slowest step is drawn with full blocks and marked.
//!
//! `--ids-from FIELD` scans twice: once with the user's filters to collect
//! the ids found in FIELD, once with no filter but those ids, so each
//! timeline shows the whole request, not only the records that selected it.

use super::{scan_config, search, Out};
use crate::cli::{FilterArgs, TraceArgs};
use crate::cmd::stats::Key;
use crate::filter::{category_of, Context, Expr};
use crate::hits::{Batch, HitCollector};
use crate::merge::{self, OwnedHit};
use crate::output::bars;
use crate::output::block::{self, Block};
use crate::output::escape::escape;
use crate::output::pretty::{label, paint, value_text};
use crate::output::{with_record, Format, Style};
use crate::record::{Field, Level, Record, Role, RoleMap, Timestamp};
use crate::report::{self, ExitStatus};
use crate::scan::{self, Collector, Position, ScanConfig, Summary};
use crate::settings::{self, Settings};
use anyhow::{bail, Result};
use owo_colors::{OwoColorize, Style as Paint};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

/// Width of the waterfall track, in cells.
pub const TRACK_WIDTH: usize = 30;

/// Widest a service or module column gets (longer names are cut with `…`).
const MAX_NAME_WIDTH: usize = 28;

/// Above this many ids, `--ids-from` filters by a hash set in the collector
/// instead of compiling the ids into the filter (and its prefilter).
const MAX_FILTER_IDS: usize = 64;

/// The fields read as a step's duration, in order, with their unit in
/// seconds (`None`: seconds, or a string with a unit such as `250ms`).
const DURATION_FIELDS: [(&str, Option<f64>); 6] = [
    ("duration_ms", Some(1e-3)),
    ("duration_sec", Some(1.0)),
    ("latency_ms", Some(1e-3)),
    ("execution_time_ms", Some(1e-3)),
    ("trace.execution_time_ms", Some(1e-3)),
    ("elapsed", None),
];

/// Runs `logq trace`.
pub fn run(args: &TraceArgs) -> Result<ExitStatus> {
    match (&args.id, &args.ids_from) {
        // With --ids-from there is no ID: the first positional argument
        // clap took for one is the first path.
        (Some(path), Some(field)) => {
            let mut args = args.clone();
            args.input.paths.insert(0, path.into());
            args.id = None;
            run_ids_from(&args, field)
        }
        (Some(id), None) => run_one(args, id),
        (None, Some(field)) => run_ids_from(args, field),
        (None, None) => bail!("give an ID to trace, or --ids-from FIELD"),
    }
}

/// Whether records are drawn as a timeline (not `-o json|raw|logfmt`).
fn is_timeline(args: &TraceArgs) -> bool {
    matches!(args.out.output, None | Some(Format::Pretty))
}

fn run_one(args: &TraceArgs, id: &str) -> Result<ExitStatus> {
    if id.is_empty() {
        bail!("the ID to trace is empty");
    }
    let s = settings::resolve(
        &args.filters,
        &args.input,
        &args.out,
        vec![Expr::Cid(vec![id.to_string()])],
    )?;
    let (hits, summaries) = collect(&s, &scan_config(&s), &HitCollector);
    let mut out = Out::new(s.is_tty);
    if hits.is_empty() {
        out.finish()?;
        report::summaries(&s.inputs, &summaries, s.show_invalid);
        let filtered = has_filters(args, &s)?;
        eprintln!("logq: {}", not_found(&s, id, filtered));
        report::unsearched(&s.unsearched);
        return Ok(ExitStatus::from_found(false));
    }
    if is_timeline(args) {
        let trace = Trace::build(&s, id, &hits);
        trace.draw(out.w(), &s.printer.style)?;
    } else {
        print_records(&s, &mut out, &hits)?;
    }
    out.finish()?;
    report::summaries(&s.inputs, &summaries, s.show_invalid);
    Ok(ExitStatus::from_found(true))
}

fn run_ids_from(args: &TraceArgs, field: &str) -> Result<ExitStatus> {
    let key = Key::parse(field)?;
    let s = settings::resolve(&args.filters, &args.input, &args.out, Vec::new())?;
    if s.inputs.iter().any(|i| i.path.is_none()) {
        bail!("--ids-from reads its inputs twice, so it needs files, not stdin");
    }
    let (found, summaries) =
        scan::scan_all(&s.inputs, &scan_config(&s), &IdCollector { key: &key });
    report::summaries(&s.inputs, &summaries, s.show_invalid);
    let mut ids: Vec<(String, Option<Timestamp>)> = found.into_iter().collect();
    // First appearance in time; ids seen only in records without a time last.
    ids.sort_by(|(a, ta), (b, tb)| (ta.is_none(), ta, a).cmp(&(tb.is_none(), tb, b)));
    if ids.is_empty() {
        eprintln!(
            "logq: no record{} has a value in '{}' ({})",
            if has_filters(args, &s)? {
                " matching the filters"
            } else {
                ""
            },
            escape(field, false),
            looked_at(&s)
        );
        report::unsearched(&s.unsearched);
        return Ok(ExitStatus::from_found(false));
    }
    let ids: Vec<String> = ids.into_iter().map(|(id, _)| id).collect();
    // The timelines: every record of each id, whatever the other filters.
    let extra = if ids.len() <= MAX_FILTER_IDS {
        vec![Expr::Cid(ids.clone())]
    } else {
        Vec::new()
    };
    let s2 = settings::resolve(&FilterArgs::default(), &args.input, &args.out, extra)?;
    let index: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let set: HashSet<String> = ids.iter().cloned().collect();
    let (hits, summaries2) = collect(&s2, &scan_config(&s2), &IdHits { ids: &set });
    // Problems with an input are reported once: here only for the files
    // the first scan did not read (skipped by --since/--until).
    let (mut new_inputs, mut new_summaries) = (Vec::new(), Vec::new());
    for (input, summary) in s2.inputs.iter().zip(summaries2) {
        if !s.inputs.contains(input) {
            new_inputs.push(input.clone());
            new_summaries.push(summary);
        }
    }
    let mut groups: Vec<Vec<OwnedHit>> = vec![Vec::new(); ids.len()];
    for hit in hits {
        let mut seen: Vec<usize> = with_record(&hit.raw, |rec| {
            rec.cids(&s2.roles)
                .iter()
                .filter_map(|f| f.as_text().and_then(|t| index.get(&*t).copied()))
                .collect()
        });
        seen.sort_unstable();
        seen.dedup();
        for i in seen {
            if let Some(g) = groups.get_mut(i) {
                g.push(hit.clone());
            }
        }
    }
    if groups.iter().all(Vec::is_empty) {
        report::summaries(&new_inputs, &new_summaries, s2.show_invalid);
        eprintln!(
            "logq: none of the {} values found in '{}' is a correlation id ({})",
            ids.len(),
            escape(field, false),
            looked_at(&s2)
        );
        report::unsearched(&s2.unsearched);
        return Ok(ExitStatus::from_found(false));
    }
    let mut out = Out::new(s2.is_tty);
    let color = s2.printer.style.color;
    if is_timeline(args) {
        let n = ids.len();
        writeln!(
            out.w(),
            "{n} id{} found in {}\n",
            if n == 1 { "" } else { "s" },
            escape(field, false)
        )?;
    }
    for (i, (id, hits)) in ids.iter().zip(&groups).enumerate() {
        if !is_timeline(args) {
            print_records(&s2, &mut out, hits)?;
            continue;
        }
        if i > 0 {
            let rule = "═".repeat(80);
            writeln!(
                out.w(),
                "\n{}\n",
                paint_if(&rule, Paint::new().dimmed(), color)
            )?;
        }
        if hits.is_empty() {
            // A value of FIELD that no correlation field holds.
            writeln!(
                out.w(),
                "trace {} · 0 records (no correlation field holds it)",
                escape(id, false)
            )?;
        } else {
            Trace::build(&s2, id, hits).draw(out.w(), &s2.printer.style)?;
        }
    }
    out.finish()?;
    report::summaries(&new_inputs, &new_summaries, s2.show_invalid);
    Ok(ExitStatus::from_found(true))
}

/// Scans in order and merges by time, keeping every record.
fn collect<C: Collector<Acc = Batch>>(
    s: &Settings,
    cfg: &ScanConfig,
    c: &C,
) -> (Vec<OwnedHit>, Vec<Summary>) {
    let mut hits = Vec::new();
    let summaries = scan::scan_streams(&s.inputs, cfg, c, |rxs| {
        merge::merge(rxs, |m| {
            // Unparsed lines (--show-invalid) carry no id: not part of a trace.
            if !m.is_invalid {
                merge::collect_all(&m, &mut hits);
            }
            true
        });
    });
    (hits, summaries)
}

/// Prints records with the `-o` printer (json, raw, logfmt).
fn print_records(s: &Settings, out: &mut Out, hits: &[OwnedHit]) -> io::Result<()> {
    let names: Vec<String> = s.inputs.iter().map(|i| i.display()).collect();
    for hit in hits {
        search::print(s, &names, out, &hit.as_merged())?;
    }
    Ok(())
}

/// Whether the user gave any filter flag.
fn has_filters(args: &TraceArgs, s: &Settings) -> Result<bool> {
    Ok(!settings::build_filter(&args.filters, s.now, args.out.local)?.is_empty())
}

/// Keeps records carrying one of a set of ids (for many ids, where a
/// compiled `Expr::Cid` would test each id in turn).
struct IdHits<'a> {
    ids: &'a HashSet<String>,
}

impl Collector for IdHits<'_> {
    type Acc = Batch;

    fn start(&self) -> Batch {
        Batch::default()
    }

    fn record(&self, acc: &mut Batch, rec: &Record, raw: &[u8], pos: Position, cx: &Context) {
        let carries = rec
            .cids(cx.roles)
            .iter()
            .any(|f| f.as_text().is_some_and(|t| self.ids.contains(&*t)));
        if carries {
            HitCollector.record(acc, rec, raw, pos, cx);
        }
    }

    fn merge(&self, into: &mut Batch, other: Batch) {
        HitCollector.merge(into, other);
    }
}

/// Collects the distinct values of a field, with the earliest time each
/// was seen at.
struct IdCollector<'k> {
    key: &'k Key,
}

impl Collector for IdCollector<'_> {
    type Acc = HashMap<String, Option<Timestamp>>;

    fn start(&self) -> Self::Acc {
        HashMap::new()
    }

    fn record(&self, acc: &mut Self::Acc, rec: &Record, _raw: &[u8], _pos: Position, cx: &Context) {
        let time = rec.time(cx.roles);
        let mut add = |id: String| {
            if id.is_empty() {
                return;
            }
            let t = acc.entry(id).or_insert(time);
            *t = earliest(*t, time);
        };
        match self.key {
            // Every alias counts for the correlation role, as for -c.
            Key::Role(Role::Cid) => {
                for f in rec.cids(cx.roles) {
                    if let Some(t) = f.as_text() {
                        add(t.into_owned());
                    }
                }
            }
            key => {
                if let Some(v) = key.value(rec, cx) {
                    add(v);
                }
            }
        }
    }

    fn merge(&self, into: &mut Self::Acc, other: Self::Acc) {
        for (id, t) in other {
            let e = into.entry(id).or_insert(t);
            *e = earliest(*e, t);
        }
    }
}

/// The earlier of two optional times; a known time beats none.
fn earliest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// Counts the records of the inputs and their time span.
struct SpanCollector;

#[derive(Default)]
struct Seen {
    records: u64,
    first: Option<Timestamp>,
    last: Option<Timestamp>,
}

impl Collector for SpanCollector {
    type Acc = Seen;

    fn start(&self) -> Seen {
        Seen::default()
    }

    fn record(&self, acc: &mut Seen, rec: &Record, _raw: &[u8], _pos: Position, cx: &Context) {
        acc.records += 1;
        if let Some(t) = rec.time(cx.roles) {
            acc.first = earliest(acc.first, Some(t));
            acc.last = acc.last.max(Some(t));
        }
    }

    fn merge(&self, into: &mut Seen, other: Seen) {
        into.records += other.records;
        into.first = earliest(into.first, other.first);
        into.last = into.last.max(other.last);
    }
}

/// Where a fruitless search looked: files, records and their time span.
fn looked_at(s: &Settings) -> String {
    let files = s.inputs.len();
    let what = if s.inputs.iter().all(|i| i.path.is_none()) {
        "stdin".to_string()
    } else {
        format!("{files} file{}", if files == 1 { "" } else { "s" })
    };
    if s.inputs.iter().any(|i| i.path.is_none()) {
        // Stdin was consumed by the search: nothing more to tell.
        return format!("searched {what}");
    }
    let mut cfg = ScanConfig::new(&Expr::True, &s.roles, s.fast_paths);
    cfg.mmap = s.fast_paths;
    let (seen, _) = scan::scan_all(&s.inputs, &cfg, &SpanCollector);
    let span = match (seen.first, seen.last) {
        (Some(a), Some(b)) => format!(", from {} to {}", a.to_rfc3339(), b.to_rfc3339()),
        _ => String::new(),
    };
    let n = seen.records;
    format!(
        "searched {what}: {n} record{}{span}",
        if n == 1 { "" } else { "s" }
    )
}

fn not_found(s: &Settings, id: &str, filtered: bool) -> String {
    format!(
        "no record{} carries the correlation id '{}' ({})",
        if filtered {
            " matching the filters"
        } else {
            ""
        },
        escape(id, false),
        looked_at(s)
    )
}

fn paint_if(s: &str, p: Paint, color: bool) -> String {
    if color {
        s.style(p).to_string()
    } else {
        s.to_string()
    }
}

/// Reads a record's duration: the first field of [`DURATION_FIELDS`]
/// holding a non-negative number (or, for `elapsed`, a string such as
/// `1.5s` or `250ms`), in nanoseconds, with the field's name.
pub fn duration_of(rec: &Record) -> Option<(&'static str, i64)> {
    DURATION_FIELDS.iter().find_map(|(name, unit)| {
        let path: Vec<&str> = name.split('.').collect();
        let f = rec.field(&path)?;
        let seconds = match (f.as_number(), unit) {
            (Some(n), Some(u)) => n * u,
            (Some(n), None) => n,
            (None, None) => parse_unit(&f.as_str()?)?,
            (None, Some(_)) => return None,
        };
        if !seconds.is_finite() || seconds < 0.0 {
            return None;
        }
        let nanos = (seconds * 1e9).round();
        (nanos < i64::MAX as f64).then_some((*name, nanos as i64))
    })
}

/// `250ms`, `1.5s`, `2m`, `1h`, `30us`, `10ns` in seconds.
fn parse_unit(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let scale = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1.0,
        "ms" => 1e-3,
        "us" | "µs" => 1e-6,
        "ns" => 1e-9,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        _ => return None,
    };
    Some(n * scale)
}

/// The `key=value` fields of a record shown on its line: the fields that
/// are not roles, nested objects flattened to dotted keys, without the
/// ones that hold the traced id itself (every line carries it).
fn key_fields(rec: &Record, roles: &RoleMap, id: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in rec.extra_fields(roles) {
        if k == "category" {
            continue;
        }
        match v.to_value() {
            // Drawn under the step instead.
            value if block::is_block_value(&value) => {}
            Value::Object(map) => flatten(&k, &Value::Object(map), id, &mut out),
            _ => {
                if v.as_str().as_deref() != Some(id) {
                    out.push(format!("{k}={}", value_text(&v)));
                }
            }
        }
    }
    out
}

fn flatten(prefix: &str, v: &Value, id: &str, out: &mut Vec<String>) {
    match v {
        v if block::is_block_value(v) => {}
        Value::Object(map) if !map.is_empty() => {
            for (k, inner) in map {
                flatten(&format!("{prefix}.{k}"), inner, id, out);
            }
        }
        Value::String(s) if s == id => {}
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
    pub id: String,
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
    /// Reads the merged records of one id.
    pub fn build(s: &Settings, id: &str, hits: &[OwnedHit]) -> Trace {
        let roles = &s.roles;
        let steps = hits
            .iter()
            .map(|hit| {
                let category = s.inputs.get(hit.input).and_then(|i| i.category.as_deref());
                with_record(&hit.raw, |rec| {
                    let cx = Context { roles, category };
                    Step {
                        time: rec.time(roles),
                        service: rec.role_text(Role::Service, roles),
                        category: category_of(rec, &cx),
                        module: rec.role_text(Role::Module, roles),
                        level: rec.level(roles),
                        message: rec.role_text(Role::Message, roles).unwrap_or_default(),
                        fields: key_fields(rec, roles, id),
                        blocks: block::blocks(rec, roles, &s.printer.style),
                        duration: duration_of(rec),
                    }
                })
            })
            .collect();
        Trace {
            id: id.to_string(),
            steps,
        }
    }

    /// The time of the first record with one: offset zero.
    pub fn origin(&self) -> Option<Timestamp> {
        self.steps.iter().find_map(|s| s.time)
    }

    /// Nanoseconds from the origin to the last timed record.
    pub fn span(&self) -> i64 {
        let last = self.steps.iter().rev().find_map(|s| s.time);
        match (self.origin(), last) {
            (Some(a), Some(b)) => b.0.saturating_sub(a.0),
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
        let timed: Vec<(usize, i64)> = self
            .steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.time.map(|t| (i, t.0)))
            .collect();
        timed
            .windows(2)
            .filter_map(|w| match w {
                [(a, ta), (b, tb)] => Some((tb.saturating_sub(*ta), *a, *b)),
                _ => None,
            })
            .filter(|(gap, _, _)| *gap > 0)
            .max_by(|(ga, a, _), (gb, b, _)| ga.cmp(gb).then(b.cmp(a)))
            .map(|(_, a, b)| Slowest::Gap(a, b))
    }

    fn offset_of(&self, step: &Step) -> Option<i64> {
        Some(step.time?.0.saturating_sub(self.origin()?.0))
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
            escape(&self.id, false),
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
                        (Some(x), Some(y)) => y.0.saturating_sub(x.0),
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
            time: ms.map(|m| Timestamp(m * 1_000_000)),
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
    fn durations_come_from_the_listed_fields_with_units() {
        let d = |line: &str| duration_of(&Record::parse(line));
        assert_eq!(
            d(r#"{"duration_ms":840}"#),
            Some(("duration_ms", 840_000_000))
        );
        assert_eq!(
            d(r#"{"duration_sec":2.5}"#),
            Some(("duration_sec", 2_500_000_000))
        );
        assert_eq!(
            d(r#"{"latency_ms":"12"}"#),
            Some(("latency_ms", 12_000_000))
        );
        assert_eq!(
            d(r#"{"trace":{"execution_time_ms":1498}}"#),
            Some(("trace.execution_time_ms", 1_498_000_000))
        );
        assert_eq!(d(r#"{"elapsed":1.5}"#), Some(("elapsed", 1_500_000_000)));
        assert_eq!(d(r#"{"elapsed":"250ms"}"#), Some(("elapsed", 250_000_000)));
        assert_eq!(d(r#"{"duration_ms":-5}"#), None);
        assert_eq!(d(r#"{"duration_ms":"soon"}"#), None);
        assert_eq!(d(r#"{"elapsed":"1e999"}"#), None);
        // The first listed field wins.
        assert_eq!(
            d(r#"{"latency_ms":1,"duration_ms":2}"#),
            Some(("duration_ms", 2_000_000))
        );
    }

    #[test]
    fn slowest_is_the_longest_duration_else_the_longest_gap() {
        let t = Trace {
            id: "x".into(),
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
            steps: vec![step(None, None)],
        };
        assert_eq!(t.slowest(), None);
        assert_eq!(t.span(), 0);
    }

    #[test]
    fn draws_a_waterfall_ending_at_each_record() {
        let t = Trace {
            id: "req-1".into(),
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
    fn units() {
        assert_eq!(parse_unit("250ms"), Some(0.25));
        assert_eq!(parse_unit("2m"), Some(120.0));
        assert_eq!(parse_unit("3"), Some(3.0));
        assert_eq!(parse_unit("x"), None);
        assert_eq!(parse_unit("5 parsecs"), None);
    }
}
