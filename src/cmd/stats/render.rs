//! Turning a [`Tally`] into what `stats` shows: ordered groups with the top
//! N kept and the rest summed as "other", time buckets with the empty ones
//! filled in, drawn as a text table with bars or as one JSON document.
//!
//! Order: the top N are the largest groups (ties by value); a level-only
//! grouping then shows them in severity order (no level last), others by
//! count, largest first. Bars are
//! scaled so the largest row fills [`BAR_WIDTH`] cells (see `output::bars`).

use super::summary::{Figures, Numbers};
use super::{Cell, Spec, Tally};

/// The cells of one time bucket, by `--by` values.
type BucketCells = Vec<(Vec<Option<String>>, Cell)>;
use crate::escape::escape;
use crate::output::bars;
use crate::output::pretty::paint;
use crate::output::Style;
use crate::record::{Level, Timestamp};
use anyhow::{bail, Result};
use owo_colors::{OwoColorize, Style as Paint};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// Width of the bars, in cells.
pub const BAR_WIDTH: usize = 40;

/// Most buckets drawn; past this `--every` is too fine for the span.
pub const MAX_BUCKETS: i64 = 100_000;

/// Widest a group value is shown in text (longer ones are cut with `…`).
const MAX_VALUE_WIDTH: usize = 48;

/// One line of the result: a group, or "other".
#[derive(Debug, Clone)]
pub struct Row {
    /// The `--by` values (`None`: the record had none).
    pub values: Vec<Option<String>>,
    pub count: u64,
    pub figures: Option<Figures>,
}

/// The groups not among the top N, summed.
#[derive(Debug, Clone)]
pub struct Other {
    pub groups: usize,
    pub row: Row,
}

/// One `--every` bucket.
#[derive(Debug, Clone)]
pub struct Bucket {
    /// Start, in nanoseconds since the epoch.
    pub start: i64,
    pub count: u64,
    pub figures: Option<Figures>,
    /// The bucket's share of the global top groups (only with `--by`).
    pub rows: Vec<Row>,
    pub other: Option<Other>,
}

/// Everything `stats` prints.
#[derive(Debug, Clone)]
pub struct Table {
    pub total: u64,
    pub missing: u64,
    pub no_time: u64,
    /// The sum of the counts of all groups (the base of percentages).
    pub grouped: u64,
    pub rows: Vec<Row>,
    pub other: Option<Other>,
    pub buckets: Option<Vec<Bucket>>,
}

fn sum_cells<'c>(cells: impl Iterator<Item = &'c Cell>) -> Cell {
    let mut total = Cell::default();
    for c in cells {
        total.merge(c.clone());
    }
    total
}

fn figures(n: &Option<Numbers>) -> Option<Figures> {
    n.clone().and_then(|mut n| n.figures())
}

fn level_rank(v: &Option<String>) -> usize {
    v.as_deref()
        .and_then(Level::parse)
        .map_or(Level::ALL.len(), |l| l as usize)
}

impl Table {
    /// Orders, truncates and buckets a tally.
    pub fn build(spec: &Spec, tally: Tally) -> Result<Table> {
        let mut global: HashMap<Vec<Option<String>>, Cell> = HashMap::new();
        let mut by_bucket: BTreeMap<i64, BucketCells> = BTreeMap::new();
        for ((bucket, values), cell) in tally.cells {
            global
                .entry(values.clone())
                .or_default()
                .merge(cell.clone());
            if let Some(b) = bucket {
                by_bucket.entry(b).or_default().push((values, cell));
            }
        }
        let mut groups: Vec<(Vec<Option<String>>, Cell)> = global.into_iter().collect();
        // The top N are the largest groups; levels are then shown in
        // severity order.
        groups.sort_by(|(va, a), (vb, b)| {
            b.count.cmp(&a.count).then_with(|| {
                let key = |v: &Vec<Option<String>>| -> Vec<(bool, String)> {
                    v.iter()
                        .map(|x| (x.is_none(), x.clone().unwrap_or_default()))
                        .collect()
                };
                key(va).cmp(&key(vb))
            })
        });
        let grouped = groups.iter().map(|(_, c)| c.count).sum();
        let rest = groups.split_off(spec.top.min(groups.len()));
        if spec.is_by_level() {
            groups.sort_by_key(|(v, _)| v.first().map_or(0, level_rank));
        }
        let top: Vec<Vec<Option<String>>> = groups.iter().map(|(v, _)| v.clone()).collect();
        let rows = groups
            .into_iter()
            .map(|(values, c)| Row {
                values,
                count: c.count,
                figures: figures(&c.numbers),
            })
            .collect();
        let other = (!rest.is_empty()).then(|| {
            let c = sum_cells(rest.iter().map(|(_, c)| c));
            Other {
                groups: rest.len(),
                row: Row {
                    values: Vec::new(),
                    count: c.count,
                    figures: figures(&c.numbers),
                },
            }
        });
        let buckets = match spec.every {
            Some((width, _)) => Some(buckets(spec, width, by_bucket, &top)?),
            None => None,
        };
        Ok(Table {
            total: tally.total,
            missing: tally.missing,
            no_time: tally.no_time,
            grouped,
            rows,
            other,
            buckets,
        })
    }
}

fn buckets(
    spec: &Spec,
    width: i64,
    mut filled: BTreeMap<i64, BucketCells>,
    top: &[Vec<Option<String>>],
) -> Result<Vec<Bucket>> {
    let (Some(first), Some(last)) = (
        filled.keys().next().copied(),
        filled.keys().next_back().copied(),
    ) else {
        return Ok(Vec::new());
    };
    let n = last.checked_sub(first).map_or(i64::MAX, |d| d / width + 1);
    if n > MAX_BUCKETS {
        bail!(
            "--every {} gives {n} buckets over this time span (at most {MAX_BUCKETS}); use a longer interval or --since/--until",
            spec.every.as_ref().map_or("", |(_, s)| s.as_str())
        );
    }
    let mut out = Vec::with_capacity(usize::try_from(n).unwrap_or(0));
    let mut start = first;
    while start <= last {
        let cells = filled.remove(&start).unwrap_or_default();
        let total = sum_cells(cells.iter().map(|(_, c)| c));
        let mut bucket = Bucket {
            start,
            count: total.count,
            figures: figures(&total.numbers),
            rows: Vec::new(),
            other: None,
        };
        if !spec.by.is_empty() {
            let mut by_values: HashMap<&Vec<Option<String>>, &Cell> =
                cells.iter().map(|(v, c)| (v, c)).collect();
            for values in top {
                if let Some(c) = by_values.remove(values) {
                    bucket.rows.push(Row {
                        values: values.clone(),
                        count: c.count,
                        figures: figures(&c.numbers),
                    });
                }
            }
            if !by_values.is_empty() {
                let c = sum_cells(by_values.values().copied());
                bucket.other = Some(Other {
                    groups: by_values.len(),
                    row: Row {
                        values: Vec::new(),
                        count: c.count,
                        figures: figures(&c.numbers),
                    },
                });
            }
        }
        out.push(bucket);
        start = match start.checked_add(width) {
            Some(s) => s,
            None => break,
        };
    }
    Ok(out)
}

/// A number for a table: whole numbers without a fraction, others with up
/// to three decimals.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.3}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    }
}

/// The label of a bucket start, as precise as the bucket width needs.
fn bucket_label(start: i64, width: i64, local: bool) -> String {
    const SEC: i64 = 1_000_000_000;
    let pattern = if width % (86_400 * SEC) == 0 {
        "%Y-%m-%d"
    } else if width % (60 * SEC) == 0 {
        "%Y-%m-%d %H:%M"
    } else if width % SEC == 0 {
        "%Y-%m-%d %H:%M:%S"
    } else {
        "%Y-%m-%d %H:%M:%S%.3f"
    };
    Timestamp(i128::from(start)).format(pattern, local)
}

/// The label of a run of buckets, from the start of the first to the
/// start of the last: `2024-01-15 10:05–10:55`, the date said once when
/// both are on the same day.
fn gap_label(first: &str, last: &str) -> String {
    let end = match (first.split_once(' '), last.split_once(' ')) {
        (Some((d1, _)), Some((d2, rest))) if d1 == d2 => rest,
        _ => last,
    };
    format!("{first}–{end}")
}

fn value_label(v: &Option<String>) -> String {
    match v {
        Some(s) => escape(s, false).into_owned(),
        None => "(none)".to_string(),
    }
}

fn other_label(o: &Other) -> String {
    let s = if o.groups == 1 { "" } else { "s" };
    format!("(other: {} group{s})", o.groups)
}

/// A text line being laid out: cells with their alignment and paint.
struct Line {
    time: String,
    values: Vec<String>,
    /// Paint of the first value and the bar (levels are coloured).
    paint: Paint,
    count: u64,
    figures: Option<Figures>,
    percent: Option<String>,
    /// The number the bar is drawn for.
    bar: Option<f64>,
    /// A run of empty buckets drawn as one line (`10:05–10:55  (11
    /// empty)`), instead of the cells.
    gap: Option<String>,
}

const FIGURE_NAMES: [&str; 6] = ["min", "mean", "p50", "p90", "p99", "max"];

fn figure_cells(f: &Option<Figures>) -> Vec<String> {
    match f {
        Some(f) => {
            let approx = if f.exact { "" } else { "~" };
            vec![
                number(f.min),
                number(f.mean),
                format!("{approx}{}", number(f.percentiles[0])),
                format!("{approx}{}", number(f.percentiles[1])),
                format!("{approx}{}", number(f.percentiles[2])),
                number(f.max),
            ]
        }
        None => vec!["-".to_string(); 6],
    }
}

/// Writes the result as a text table with bars.
pub fn text(w: &mut dyn Write, spec: &Spec, t: &Table, style: &Style) -> io::Result<()> {
    let color = style.color;
    let by_level = spec.is_by_level();
    let has_field = spec.field.is_some();
    let paint_of = |values: &[Option<String>]| -> Paint {
        if by_level {
            paint(
                values
                    .first()
                    .and_then(|v| v.as_deref())
                    .and_then(Level::parse),
            )
        } else {
            Paint::new()
        }
    };
    let bar_of = |count: u64, f: &Option<Figures>| -> Option<f64> {
        if has_field {
            // A bar of one summary per row only helps along time.
            f.as_ref()
                .filter(|_| spec.every.is_some())
                .map(|f| f.percentiles[1])
        } else {
            Some(count as f64)
        }
    };
    let mut lines: Vec<Line> = Vec::new();
    let row_line = |time: String, r: &Row, label: Option<String>| -> Line {
        let values = match label {
            Some(l) => {
                let mut v = vec![l];
                v.resize(spec.by.len().max(1), String::new());
                v
            }
            None => r.values.iter().map(value_label).collect(),
        };
        Line {
            time,
            values,
            paint: paint_of(&r.values),
            count: r.count,
            figures: r.figures.clone(),
            percent: Some(bars::percent(r.count, t.grouped)),
            bar: bar_of(r.count, &r.figures),
            gap: None,
        }
    };
    match &t.buckets {
        None => {
            for r in &t.rows {
                lines.push(row_line(String::new(), r, None));
            }
            if let Some(o) = &t.other {
                lines.push(row_line(String::new(), &o.row, Some(other_label(o))));
            }
        }
        Some(buckets) => {
            let width = spec.every.as_ref().map_or(1, |(w, _)| *w);
            let mut i = 0;
            while let Some(b) = buckets.get(i) {
                i += 1;
                let label = bucket_label(b.start, width, style.local);
                let empty = buckets[i - 1..].iter().take_while(|b| b.count == 0).count();
                if empty >= 2 {
                    let last = &buckets[i - 2 + empty];
                    let end = bucket_label(last.start, width, style.local);
                    lines.push(Line {
                        time: String::new(),
                        values: Vec::new(),
                        paint: Paint::new(),
                        count: 0,
                        figures: None,
                        percent: None,
                        bar: None,
                        gap: Some(format!("{}  ({empty} empty)", gap_label(&label, &end))),
                    });
                    i += empty - 1;
                    continue;
                }
                if spec.by.is_empty() || b.count == 0 {
                    lines.push(Line {
                        time: label,
                        values: vec![String::new(); spec.by.len()],
                        paint: Paint::new(),
                        count: b.count,
                        figures: b.figures.clone(),
                        percent: None,
                        bar: bar_of(b.count, &b.figures),
                        gap: None,
                    });
                    continue;
                }
                let mut first = true;
                let rows = b
                    .rows
                    .iter()
                    .map(|r| (r, None))
                    .chain(b.other.iter().map(|o| (&o.row, Some(other_label(o)))));
                for (r, other) in rows {
                    let time = if first { label.clone() } else { String::new() };
                    first = false;
                    let mut line = row_line(time, r, other);
                    line.percent = None;
                    lines.push(line);
                }
            }
        }
    }
    let with_time = t.buckets.is_some();
    let with_percent = !has_field && !with_time;
    // Column widths.
    let time_w = lines
        .iter()
        .filter(|l| l.gap.is_none())
        .map(|l| l.time.chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    let value_w: Vec<usize> = (0..spec.by.len())
        .map(|i| {
            lines
                .iter()
                .filter_map(|l| l.values.get(i))
                .map(|v| v.chars().count())
                .chain(spec.by.get(i).map(|(n, _)| n.chars().count()))
                .max()
                .unwrap_or(0)
                .min(MAX_VALUE_WIDTH)
        })
        .collect();
    let count_w = lines
        .iter()
        .map(|l| l.count.to_string().len())
        .chain([5, t.total.to_string().len()])
        .max()
        .unwrap_or(5);
    let fig_w: Vec<usize> = (0..6)
        .map(|i| {
            lines
                .iter()
                .map(|l| figure_cells(&l.figures)[i].chars().count())
                .chain([FIGURE_NAMES[i].len()])
                .max()
                .unwrap_or(3)
        })
        .collect();
    let bar_max = lines
        .iter()
        .filter_map(|l| l.bar)
        .fold(0.0f64, |a, b| if b > a { b } else { a });
    let dim = |s: &str| -> String {
        if color {
            s.dimmed().to_string()
        } else {
            s.to_string()
        }
    };
    // Header.
    let mut head = Vec::new();
    if with_time {
        head.push(bars::fit("time", time_w));
    }
    for (i, (name, _)) in spec.by.iter().enumerate() {
        head.push(bars::fit(name, value_w.get(i).copied().unwrap_or(0)));
    }
    head.push(format!("{:>count_w$}", "count"));
    if has_field {
        for (i, n) in FIGURE_NAMES.iter().enumerate() {
            head.push(format!("{n:>w$}", w = fig_w[i]));
        }
    }
    if with_percent {
        head.push(format!("{:>6}", "%"));
    }
    writeln!(w, "{}", dim(head.join("  ").trim_end()))?;
    for l in &lines {
        if let Some(gap) = &l.gap {
            writeln!(w, "{}", dim(gap))?;
            continue;
        }
        let mut cells = Vec::new();
        if with_time {
            cells.push(bars::fit(&l.time, time_w));
        }
        for (i, v) in l.values.iter().enumerate() {
            let cell = bars::fit(v, value_w.get(i).copied().unwrap_or(0));
            cells.push(if color && i == 0 {
                cell.style(l.paint).to_string()
            } else {
                cell
            });
        }
        cells.push(format!("{:>count_w$}", l.count));
        if has_field {
            for (i, c) in figure_cells(&l.figures).iter().enumerate() {
                cells.push(format!("{c:>w$}", w = fig_w[i]));
            }
        }
        if with_percent {
            cells.push(format!("{:>6}", l.percent.as_deref().unwrap_or("")));
        }
        if let Some(v) = l.bar {
            let bar = bars::bar(v, bar_max, BAR_WIDTH);
            let bar = bar.trim_end();
            cells.push(if color {
                bar.style(l.paint).to_string()
            } else {
                bar.to_string()
            });
        }
        writeln!(w, "{}", cells.join("  ").trim_end())?;
    }
    // Footer: the total under the label columns (none when the only row
    // is the total already).
    let label_widths: Vec<usize> = with_time
        .then_some(time_w)
        .into_iter()
        .chain(value_w.iter().copied())
        .collect();
    if !label_widths.is_empty() {
        let mut total: Vec<String> = label_widths
            .iter()
            .enumerate()
            .map(|(i, lw)| bars::fit(if i == 0 { "total" } else { "" }, *lw))
            .collect();
        // With --field the count column counts values, not records.
        let sum = if has_field { t.grouped } else { t.total };
        total.push(format!("{sum:>count_w$}"));
        writeln!(w, "{}", dim(total.join("  ").trim_end()))?;
    }
    if let Some((name, _)) = &spec.field {
        let name = escape(name, false);
        if t.missing > 0 {
            writeln!(
                w,
                "{}",
                dim(&format!(
                    "{} of {} records have no numeric {name}",
                    t.missing, t.total
                ))
            )?;
        }
        if with_time {
            writeln!(w, "{}", dim(&format!("bars: p90 of {name}")))?;
        }
        if lines
            .iter()
            .any(|l| l.figures.as_ref().is_some_and(|f| !f.exact))
        {
            writeln!(
                w,
                "{}",
                dim(&format!(
                    "~ percentile from a sketch, within {}% of the exact value",
                    super::summary::RELATIVE_ERROR * 100.0
                ))
            )?;
        }
    }
    if spec.auto_every {
        if let Some((_, name)) = &spec.every {
            writeln!(
                w,
                "{}",
                dim(&format!("--every {name} (chosen for about 40 rows)"))
            )?;
        }
    }
    if t.no_time > 0 {
        writeln!(
            w,
            "{}",
            dim(&format!(
                "{} records without a time are in no bucket",
                t.no_time
            ))
        )?;
    }
    Ok(())
}

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
pub fn json(w: &mut dyn Write, spec: &Spec, t: &Table) -> io::Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(number(840.0), "840");
        assert_eq!(number(1520.7), "1520.7");
        assert_eq!(number(2.0 / 3.0), "0.667");
        assert_eq!(number(-3.0), "-3");
    }

    #[test]
    fn gap_labels_say_the_date_once() {
        assert_eq!(
            gap_label("2024-01-15 10:05", "2024-01-15 10:55"),
            "2024-01-15 10:05–10:55"
        );
        assert_eq!(
            gap_label("2024-01-14 18:00", "2024-01-15 07:00"),
            "2024-01-14 18:00–2024-01-15 07:00"
        );
        assert_eq!(
            gap_label("2024-01-14", "2024-01-20"),
            "2024-01-14–2024-01-20"
        );
    }

    #[test]
    fn bucket_labels_follow_the_width() {
        let t = Timestamp::parse("2024-01-15T10:40:00Z")
            .unwrap()
            .nanos_i64();
        let s = 1_000_000_000;
        assert_eq!(bucket_label(t, 300 * s, false), "2024-01-15 10:40");
        assert_eq!(bucket_label(t, 30 * s, false), "2024-01-15 10:40:00");
        assert_eq!(bucket_label(t, 86_400 * s, false), "2024-01-15");
    }
}
