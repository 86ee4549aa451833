//! `stats` as a text table with bars: a header, the [`lines`](super::lines)
//! in measured columns, the total, and notes (records without a value or a
//! time, sketched percentiles, the `--every` width chosen).
//!
//! Bars are scaled so the largest line fills [`BAR_WIDTH`] cells (see
//! `output::bars`); group values are cut at [`MAX_VALUE_WIDTH`].

use super::lines::{Layout, Line};
use super::spec::Spec;
use super::summary::{Figures, RELATIVE_ERROR};
use super::table::Table;
use crate::escape::escape;
use crate::output::bars;
use crate::output::Style;
use owo_colors::OwoColorize;
use std::io::{self, Write};

/// Width of the bars, in cells.
pub const BAR_WIDTH: usize = 40;

/// Widest a group value is shown in text (longer ones are cut with `…`).
const MAX_VALUE_WIDTH: usize = 48;

const FIGURE_NAMES: [&str; 6] = ["min", "mean", "p50", "p90", "p99", "max"];

/// Writes the result as a text table with bars.
pub fn write(w: &mut dyn Write, spec: &Spec, t: &Table, style: &Style) -> io::Result<()> {
    let layout = Layout {
        spec,
        table: t,
        local: style.local,
    };
    let lines = layout.lines();
    let cols = Columns::measure(spec, t, &lines, style.color);
    cols.write_header(w, spec)?;
    for l in &lines {
        cols.write_line(w, l)?;
    }
    cols.write_total(w, t)?;
    cols.write_notes(w, spec, t, &lines)
}

/// The columns of the table: which are shown, and their widths.
struct Columns {
    color: bool,
    has_field: bool,
    with_time: bool,
    with_percent: bool,
    time_w: usize,
    value_w: Vec<usize>,
    count_w: usize,
    fig_w: Vec<usize>,
    /// The largest number a bar is drawn for (the full bar).
    bar_max: f64,
}

impl Columns {
    fn measure(spec: &Spec, t: &Table, lines: &[Line], color: bool) -> Columns {
        let has_field = spec.field.is_some();
        let with_time = t.buckets.is_some();
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
        Columns {
            color,
            has_field,
            with_time,
            with_percent: !has_field && !with_time,
            time_w,
            value_w,
            count_w,
            fig_w,
            bar_max,
        }
    }

    fn dim(&self, s: &str) -> String {
        if self.color {
            s.dimmed().to_string()
        } else {
            s.to_string()
        }
    }

    fn value_w(&self, i: usize) -> usize {
        self.value_w.get(i).copied().unwrap_or(0)
    }

    fn write_header(&self, w: &mut dyn Write, spec: &Spec) -> io::Result<()> {
        let count_w = self.count_w;
        let mut head = Vec::new();
        if self.with_time {
            head.push(bars::fit("time", self.time_w));
        }
        for (i, (name, _)) in spec.by.iter().enumerate() {
            head.push(bars::fit(name, self.value_w(i)));
        }
        head.push(format!("{:>count_w$}", "count"));
        if self.has_field {
            for (i, n) in FIGURE_NAMES.iter().enumerate() {
                head.push(format!("{n:>w$}", w = self.fig_w[i]));
            }
        }
        if self.with_percent {
            head.push(format!("{:>6}", "%"));
        }
        writeln!(w, "{}", self.dim(head.join("  ").trim_end()))
    }

    fn write_line(&self, w: &mut dyn Write, l: &Line) -> io::Result<()> {
        if let Some(gap) = &l.gap {
            return writeln!(w, "{}", self.dim(gap));
        }
        let color = self.color;
        let mut cells = Vec::new();
        if self.with_time {
            cells.push(bars::fit(&l.time, self.time_w));
        }
        for (i, v) in l.values.iter().enumerate() {
            let cell = bars::fit(v, self.value_w(i));
            cells.push(if color && i == 0 {
                cell.style(l.paint).to_string()
            } else {
                cell
            });
        }
        cells.push(format!("{:>w$}", l.count, w = self.count_w));
        if self.has_field {
            for (i, c) in figure_cells(&l.figures).iter().enumerate() {
                cells.push(format!("{c:>w$}", w = self.fig_w[i]));
            }
        }
        if self.with_percent {
            cells.push(format!("{:>6}", l.percent.as_deref().unwrap_or("")));
        }
        if let Some(v) = l.bar {
            let bar = bars::bar(v, self.bar_max, BAR_WIDTH);
            let bar = bar.trim_end();
            cells.push(if color {
                bar.style(l.paint).to_string()
            } else {
                bar.to_string()
            });
        }
        writeln!(w, "{}", cells.join("  ").trim_end())
    }

    /// The total under the label columns (none when the only row is the
    /// total already).
    fn write_total(&self, w: &mut dyn Write, t: &Table) -> io::Result<()> {
        let label_widths: Vec<usize> = self
            .with_time
            .then_some(self.time_w)
            .into_iter()
            .chain(self.value_w.iter().copied())
            .collect();
        if label_widths.is_empty() {
            return Ok(());
        }
        let mut total: Vec<String> = label_widths
            .iter()
            .enumerate()
            .map(|(i, lw)| bars::fit(if i == 0 { "total" } else { "" }, *lw))
            .collect();
        // With --field the count column counts values, not records.
        let sum = if self.has_field { t.grouped } else { t.total };
        total.push(format!("{sum:>w$}", w = self.count_w));
        writeln!(w, "{}", self.dim(total.join("  ").trim_end()))
    }

    /// The notes under the table: what was left out, and how to read it.
    fn write_notes(
        &self,
        w: &mut dyn Write,
        spec: &Spec,
        t: &Table,
        lines: &[Line],
    ) -> io::Result<()> {
        if let Some((name, _)) = &spec.field {
            let name = escape(name, false);
            if t.missing > 0 {
                let note = format!(
                    "{} of {} records have no numeric {name}",
                    t.missing, t.total
                );
                writeln!(w, "{}", self.dim(&note))?;
            }
            if self.with_time {
                writeln!(w, "{}", self.dim(&format!("bars: p90 of {name}")))?;
            }
            if lines
                .iter()
                .any(|l| l.figures.as_ref().is_some_and(|f| !f.exact))
            {
                let note = format!(
                    "~ percentile from a sketch, within {}% of the exact value",
                    RELATIVE_ERROR * 100.0
                );
                writeln!(w, "{}", self.dim(&note))?;
            }
        }
        if spec.auto_every {
            if let Some((_, name)) = &spec.every {
                let note = format!("--every {name} (chosen for about 40 rows)");
                writeln!(w, "{}", self.dim(&note))?;
            }
        }
        if t.no_time > 0 {
            let note = format!("{} records without a time are in no bucket", t.no_time);
            writeln!(w, "{}", self.dim(&note))?;
        }
        Ok(())
    }
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
}
