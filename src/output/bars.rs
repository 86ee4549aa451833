//! Drawing numbers for a terminal: proportional bars, waterfall spans,
//! durations and percentages.
//!
//! Shared by `trace` (timeline offsets and the waterfall) and `stats`
//! (bar charts). Everything here is pure text: no colour, no terminal
//! queries, so the drawn output can be compared exactly in tests. Every
//! function returns exactly the width it is asked for, whatever the input
//! (NaN, negative or infinite values draw as empty).

/// Partial blocks for bar ends, in eighths of a cell (index 1 = ⅛).
const EIGHTHS: [char; 9] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];

/// A left-aligned bar of `value / max` of `width` cells, drawn in eighths
/// of a cell and padded with spaces to exactly `width` columns.
///
/// The length is rounded to the nearest eighth, but a positive value always
/// gets at least one eighth so that it is visible next to a zero.
pub fn bar(value: f64, max: f64, width: usize) -> String {
    let eighths = bar_eighths(value, max, width);
    let full = eighths / 8;
    let part = eighths % 8;
    let mut s = String::with_capacity(width * 3);
    s.push_str(&"█".repeat(full));
    let mut used = full;
    if part > 0 {
        s.push(EIGHTHS.get(part).copied().unwrap_or('█'));
        used += 1;
    }
    s.push_str(&" ".repeat(width.saturating_sub(used)));
    s
}

/// The length of [`bar`] in eighths of a cell.
pub fn bar_eighths(value: f64, max: f64, width: usize) -> usize {
    let total = width * 8;
    if total == 0 {
        return 0;
    }
    if !value.is_finite() || value.is_nan() || max.is_nan() || value <= 0.0 || max <= 0.0 {
        return 0;
    }
    if !max.is_finite() {
        return 1;
    }
    let exact = (value / max).min(1.0) * total as f64;
    (exact.round() as usize).clamp(1, total)
}

/// The cells of a waterfall track `width` wide covering `[lo, hi]`: which
/// cell a point falls in (clamped to the track).
pub fn cell_of(x: f64, lo: f64, hi: f64, width: usize) -> usize {
    if width == 0 {
        return 0;
    }
    let span = hi - lo;
    if span.is_nan() || span <= 0.0 || !x.is_finite() {
        return 0;
    }
    let f = ((x - lo) / span * width as f64).floor();
    if f < 0.0 {
        0
    } else {
        (f as usize).min(width - 1)
    }
}

/// A waterfall track `width` wide for the scale `[lo, hi]`, with `fill`
/// drawn over `[start, end]`: the cells from the one holding `start` to the
/// one holding `end`, inclusive (so even a tiny span gets one cell).
/// The rest of the track is spaces.
pub fn span(start: f64, end: f64, lo: f64, hi: f64, width: usize, fill: char) -> String {
    let a = cell_of(start.min(end), lo, hi, width);
    let b = cell_of(start.max(end), lo, hi, width);
    (0..width)
        .map(|i| if i >= a && i <= b { fill } else { ' ' })
        .collect()
}

/// A waterfall track `width` wide with one `mark` at `x`.
pub fn point(x: f64, lo: f64, hi: f64, width: usize, mark: char) -> String {
    let a = cell_of(x, lo, hi, width);
    (0..width)
        .map(|i| if i == a { mark } else { ' ' })
        .collect()
}

/// A duration in nanoseconds for people: `0ms`, `250ms`, `1.250s`,
/// `2m05.000s`, `1h02m03s`. Below a second it is whole milliseconds
/// (truncated); below a minute, seconds with milliseconds; negative
/// values get a `-` sign.
pub fn duration(nanos: i64) -> String {
    let sign = if nanos < 0 { "-" } else { "" };
    let ms = nanos.unsigned_abs() / 1_000_000;
    let body = if ms < 1_000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        format!("{}.{:03}s", ms / 1_000, ms % 1_000)
    } else if ms < 3_600_000 {
        format!(
            "{}m{:02}.{:03}s",
            ms / 60_000,
            ms % 60_000 / 1_000,
            ms % 1_000
        )
    } else {
        format!(
            "{}h{:02}m{:02}s",
            ms / 3_600_000,
            ms % 3_600_000 / 60_000,
            ms % 60_000 / 1_000
        )
    };
    format!("{sign}{body}")
}

/// An offset from the start of a timeline: [`duration`] with a `+` sign
/// for non-negative values (`+0ms`, `+1.250s`).
pub fn offset(nanos: i64) -> String {
    if nanos < 0 {
        duration(nanos)
    } else {
        format!("+{}", duration(nanos))
    }
}

/// `part` as a percentage of `total` with one decimal (`12.5%`); `0.0%`
/// when `total` is zero.
pub fn percent(part: u64, total: u64) -> String {
    format!("{:.1}%", percent_value(part, total))
}

/// `part / total * 100`, or 0 when `total` is zero.
pub fn percent_value(part: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        part as f64 * 100.0 / total as f64
    }
}

/// Pads or cuts `s` to exactly `width` columns (counting chars), cutting
/// with a trailing `…`.
pub fn fit(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        let mut out = s.to_string();
        out.push_str(&" ".repeat(width - n));
        out
    } else if width == 0 {
        String::new()
    } else {
        let mut out: String = s.chars().take(width - 1).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(s: &str) -> usize {
        s.chars().count()
    }

    #[test]
    fn bar_scales_to_width_in_eighths() {
        assert_eq!(bar(10.0, 10.0, 4), "████");
        assert_eq!(bar(5.0, 10.0, 4), "██  ");
        // 1/3 of 4 cells = 10.67 eighths → 11 = one cell and 3/8.
        assert_eq!(bar(1.0, 3.0, 4), "█▍  ");
        assert_eq!(bar(0.0, 10.0, 4), "    ");
        // Tiny but positive: one eighth, never invisible.
        assert_eq!(bar(1.0, 1e9, 4), "▏   ");
        // Over the max is clamped.
        assert_eq!(bar(20.0, 10.0, 2), "██");
    }

    #[test]
    fn bar_is_always_exactly_width_even_on_bad_input() {
        for (v, m) in [
            (f64::NAN, 1.0),
            (1.0, f64::NAN),
            (-3.0, 10.0),
            (f64::INFINITY, 1.0),
            (1.0, f64::INFINITY),
            (7.0, 0.0),
            (3.3, 7.7),
        ] {
            for w in [0, 1, 5, 40] {
                assert_eq!(cells(&bar(v, m, w)), w, "{v} {m} {w}");
            }
        }
    }

    #[test]
    fn span_covers_start_to_end_cells() {
        // Scale 0..100 on 10 cells: 25..55 → cells 2..5.
        assert_eq!(span(25.0, 55.0, 0.0, 100.0, 10, '#'), "  ####    ");
        // The end of the scale falls in the last cell.
        assert_eq!(span(90.0, 100.0, 0.0, 100.0, 10, '#'), "         #");
        // Zero length still draws one cell.
        assert_eq!(span(50.0, 50.0, 0.0, 100.0, 10, '#'), "     #    ");
        // Before the scale is clamped to the first cell.
        assert_eq!(span(-50.0, 5.0, 0.0, 100.0, 10, '#'), "#         ");
        assert_eq!(point(0.0, 0.0, 0.0, 3, '*'), "*  ");
    }

    #[test]
    fn durations_and_offsets() {
        assert_eq!(offset(0), "+0ms");
        assert_eq!(offset(250_000_000), "+250ms");
        assert_eq!(offset(999_999_999), "+999ms");
        assert_eq!(offset(1_250_000_000), "+1.250s");
        assert_eq!(offset(5_000_000_000), "+5.000s");
        assert_eq!(offset(125_000_000_000), "+2m05.000s");
        assert_eq!(offset(3_723_000_000_000), "+1h02m03s");
        assert_eq!(offset(-1_500_000_000), "-1.500s");
        assert_eq!(duration(840_000_000), "840ms");
        assert_eq!(duration(i64::MIN).chars().next(), Some('-'));
    }

    #[test]
    fn percents() {
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(2, 3), "66.7%");
        assert_eq!(percent(0, 0), "0.0%");
        assert_eq!(percent(5, 5), "100.0%");
    }

    #[test]
    fn fit_pads_and_cuts() {
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("é", 2), "é ");
        assert_eq!(fit("x", 0), "");
    }
}
