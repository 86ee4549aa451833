//! The lines of the `stats` text report, laid out from a [`Table`] before
//! any column is measured: one per group (and "other"), or per time bucket
//! and group with `--every`, runs of empty buckets folded into one line.
//!
//! Owns what each line says (labels, the number its bar stands for, its
//! paint); widths and writing are left to [`text`](super::text).

use super::spec::Spec;
use super::summary::Figures;
use super::table::{Bucket, Other, Row, Table};
use crate::escape::escape;
use crate::output::bars;
use crate::output::pretty::paint;
use crate::record::{Level, Timestamp};
use owo_colors::Style as Paint;

/// A text line being laid out: cells with their alignment and paint.
pub(super) struct Line {
    pub(super) time: String,
    pub(super) values: Vec<String>,
    /// Paint of the first value and the bar (levels are coloured).
    pub(super) paint: Paint,
    pub(super) count: u64,
    pub(super) figures: Option<Figures>,
    pub(super) percent: Option<String>,
    /// The number the bar is drawn for.
    pub(super) bar: Option<f64>,
    /// A run of empty buckets drawn as one line (`10:05–10:55  (11
    /// empty)`), instead of the cells.
    pub(super) gap: Option<String>,
}

/// Lays out the lines of a table.
pub(super) struct Layout<'a> {
    pub(super) spec: &'a Spec,
    pub(super) table: &'a Table,
    /// Bucket labels in local time.
    pub(super) local: bool,
}

impl Layout<'_> {
    /// The lines of the report, in order.
    pub(super) fn lines(&self) -> Vec<Line> {
        let t = self.table;
        let mut lines = Vec::new();
        match &t.buckets {
            None => {
                for r in &t.rows {
                    lines.push(self.row_line(String::new(), r, None));
                }
                if let Some(o) = &t.other {
                    lines.push(self.row_line(String::new(), &o.row, Some(other_label(o))));
                }
            }
            Some(buckets) => self.bucket_lines(buckets, &mut lines),
        }
        lines
    }

    /// One line per bucket, or per group of a bucket with `--by`; two or
    /// more empty buckets in a row are one line.
    fn bucket_lines(&self, buckets: &[Bucket], lines: &mut Vec<Line>) {
        let spec = self.spec;
        let width = spec.every.as_ref().map_or(1, |(w, _)| *w);
        let mut i = 0;
        while let Some(b) = buckets.get(i) {
            i += 1;
            let label = bucket_label(b.start, width, self.local);
            let empty = buckets[i - 1..].iter().take_while(|b| b.count == 0).count();
            if empty >= 2 {
                let last = &buckets[i - 2 + empty];
                let end = bucket_label(last.start, width, self.local);
                lines.push(gap_line(format!(
                    "{}  ({empty} empty)",
                    gap_label(&label, &end)
                )));
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
                    bar: self.bar_of(b.count, &b.figures),
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
                let mut line = self.row_line(time, r, other);
                line.percent = None;
                lines.push(line);
            }
        }
    }

    /// The line of a group, or of "other" (`label`).
    fn row_line(&self, time: String, r: &Row, label: Option<String>) -> Line {
        let values = match label {
            Some(l) => {
                let mut v = vec![l];
                v.resize(self.spec.by.len().max(1), String::new());
                v
            }
            None => r.values.iter().map(value_label).collect(),
        };
        Line {
            time,
            values,
            paint: self.paint_of(&r.values),
            count: r.count,
            figures: r.figures.clone(),
            percent: Some(bars::percent(r.count, self.table.grouped)),
            bar: self.bar_of(r.count, &r.figures),
            gap: None,
        }
    }

    /// The paint of a group: its level's colour when grouped by level.
    fn paint_of(&self, values: &[Option<String>]) -> Paint {
        if self.spec.is_by_level() {
            paint(
                values
                    .first()
                    .and_then(|v| v.as_deref())
                    .and_then(Level::parse),
            )
        } else {
            Paint::new()
        }
    }

    /// What the bar of a line stands for: the count, or with `--field`
    /// along time, the p90.
    fn bar_of(&self, count: u64, f: &Option<Figures>) -> Option<f64> {
        if self.spec.field.is_some() {
            // A bar of one summary per row only helps along time.
            f.as_ref()
                .filter(|_| self.spec.every.is_some())
                .map(|f| f.percentiles[1])
        } else {
            Some(count as f64)
        }
    }
}

fn gap_line(gap: String) -> Line {
    Line {
        time: String::new(),
        values: Vec::new(),
        paint: Paint::new(),
        count: 0,
        figures: None,
        percent: None,
        bar: None,
        gap: Some(gap),
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

#[cfg(test)]
mod tests {
    use super::*;

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
