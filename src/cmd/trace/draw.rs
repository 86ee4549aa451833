//! Drawing a [`Trace`]: a header (title, start, counts, span, services,
//! slowest step), then one line per record with a waterfall track, and the
//! record's multi-line blocks under it.
//!
//! Waterfall: the track spans from the first record (offset 0, or earlier
//! when a step began before it) to the last. A step with a duration is a
//! bar from `offset - duration` to `offset`; other records are a dot at
//! their offset. The slowest step is drawn with full blocks and marked.

use super::timeline::{Slowest, Step, Trace};
use crate::escape::escape;
use crate::output::bars;
use crate::output::block;
use crate::output::pretty::{label, paint};
use crate::output::Style;
use crate::record::Level;
use owo_colors::{OwoColorize, Style as Paint};
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

/// A step in the header: its message's first line, who logged it, and its
/// module.
fn describe(s: &Step) -> String {
    let first = s.message.lines().next().unwrap_or("");
    let mut d = format!("{} ({}", escape(first, false), escape(s.who(), false));
    if let Some(m) = &s.module {
        d.push_str(", ");
        d.push_str(&escape(m, false));
    }
    d.push(')');
    d
}

impl Trace {
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
        lines.extend(self.slowest_line());
        lines
    }

    /// The header's line on the slowest step, if any can be told.
    fn slowest_line(&self) -> Option<String> {
        match self.slowest()? {
            Slowest::Duration(i) => {
                let s = self.steps.get(i)?;
                let (name, d) = s.duration.unwrap_or(("", 0));
                let at = self
                    .offset_of(s)
                    .map(|o| format!(", ended at {}", bars::offset(o)))
                    .unwrap_or_default();
                Some(format!(
                    "slowest: {} {} by {name}{at}",
                    describe(s),
                    bars::duration(d),
                ))
            }
            Slowest::Gap(a, b) => {
                let (sa, sb) = (self.steps.get(a)?, self.steps.get(b)?);
                let gap = match (sa.time, sb.time) {
                    (Some(x), Some(y)) => y.nanos_since(x),
                    _ => 0,
                };
                Some(format!(
                    "slowest: {} between {} and {}",
                    bars::duration(gap),
                    describe(sa),
                    describe(sb)
                ))
            }
        }
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
        let fall = Waterfall::measure(self, color);
        for (i, (step, off)) in self.steps.iter().zip(&fall.offsets).enumerate() {
            fall.write_step(w, step, *off, fall.slowest == Some(i))?;
        }
        Ok(())
    }
}

/// The scale of the track and the widths of the columns of a trace.
struct Waterfall {
    color: bool,
    /// Each step's offset from the origin, when it has a time.
    offsets: Vec<Option<i64>>,
    /// The step with the largest duration.
    slowest: Option<usize>,
    /// The offsets at the two ends of the track.
    lo: f64,
    hi: f64,
    off_w: usize,
    /// Width of the durations column; 0 when no record has one.
    took_w: usize,
    who_w: usize,
    module_w: usize,
}

impl Waterfall {
    fn measure(t: &Trace, color: bool) -> Waterfall {
        let slowest = match t.slowest() {
            Some(Slowest::Duration(i)) => Some(i),
            _ => None,
        };
        // The scale: from the earliest bar start (or the origin) to the
        // last record.
        let offsets: Vec<Option<i64>> = t.steps.iter().map(|s| t.offset_of(s)).collect();
        let lo = t
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
        let took_w = t
            .steps
            .iter()
            .filter_map(|s| s.duration.map(|(_, d)| bars::duration(d).chars().count()))
            .max()
            .unwrap_or(0);
        let name_w = |name: fn(&Step) -> &str| {
            t.steps
                .iter()
                .map(|s| escape(name(s), false).chars().count())
                .max()
                .unwrap_or(1)
                .min(MAX_NAME_WIDTH)
        };
        Waterfall {
            color,
            offsets,
            slowest,
            lo,
            hi,
            off_w,
            took_w,
            who_w: name_w(Step::who),
            module_w: name_w(|s| s.module.as_deref().unwrap_or("-")),
        }
    }

    /// The track of a step: its bar, or a dot, or nothing without a time.
    fn track(&self, off: Option<i64>, duration: Option<i64>, is_slowest: bool) -> String {
        let (lo, hi) = (self.lo, self.hi);
        match (off, duration) {
            (Some(o), Some(d)) => {
                let fill = if is_slowest { '█' } else { '▒' };
                let bar = bars::span(
                    o.saturating_sub(d) as f64,
                    o as f64,
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
                paint_if(&bar, p, self.color)
            }
            (Some(o), None) => paint_if(
                &bars::point(o as f64, lo, hi, TRACK_WIDTH, '•'),
                Paint::new(),
                self.color,
            ),
            (None, _) => " ".repeat(TRACK_WIDTH),
        }
    }

    /// The line of a step, then its blocks with the track's rails drawn
    /// through.
    fn write_step(
        &self,
        w: &mut dyn Write,
        step: &Step,
        off: Option<i64>,
        is_slowest: bool,
    ) -> io::Result<()> {
        let (color, off_w, took_w) = (self.color, self.off_w, self.took_w);
        let dim = Paint::new().dimmed();
        let offset = off.map_or_else(|| "?".to_string(), bars::offset);
        let track = self.track(off, step.duration.map(|(_, d)| d), is_slowest);
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
            bars::fit(&escape(step.who(), false), self.who_w),
            paint_if(
                &bars::fit(
                    &escape(step.module.as_deref().unwrap_or("-"), false),
                    self.module_w
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
            "",
            "",
            "",
            "",
            "",
            "",
            who_w = self.who_w,
            module_w = self.module_w
        );
        for text in step.blocks.iter().flat_map(|b| b.draw(color)) {
            writeln!(w, "{}", format!("{rails}{text}").trim_end())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::timeline::tests::step;
    use super::*;

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
}
