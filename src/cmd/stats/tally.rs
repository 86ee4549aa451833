//! Counting for `stats`: the [`StatsCollector`] folds each chunk's
//! records into a [`Tally`] (one [`Cell`] per group: `--by` values, plus the
//! time bucket with `--every`), and tallies of chunks are merged.
//!
//! Memory grows with the number of distinct groups, not with the input:
//! the numeric values kept exactly are bounded per tally (past the budget
//! the largest groups switch to a sketch, see `summary`), and with
//! `--every` given without a value, buckets are coarsened while scanning
//! (see `width`). Counting by level alone takes the quick path: the level
//! is read from the raw line, without a parse. Ordering and drawing are
//! left to `table` and the printers.

use super::spec::Spec;
use super::summary::Numbers;
use super::width;
use crate::cmd::key::Key;
use crate::filter::Context;
use crate::record::quick::plain_str;
use crate::record::{quick_role, Classified, Level, Quick, Record, Role};
use crate::scan::{Collector, Position};
use std::collections::HashMap;

/// One group's tally.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub count: u64,
    pub numbers: Option<Numbers>,
}

impl Cell {
    fn exact_len(&self) -> usize {
        self.numbers.as_ref().map_or(0, Numbers::exact_len)
    }

    /// Adds another tally of the same group.
    pub(super) fn merge(&mut self, other: Cell) {
        self.count += other.count;
        match (&mut self.numbers, other.numbers) {
            (Some(a), Some(b)) => a.merge(b),
            (None, Some(b)) => self.numbers = Some(b),
            _ => {}
        }
    }
}

/// A group: its time bucket (with `--every`) and its `--by` values.
pub type GroupKey = (Option<i64>, Vec<Option<String>>);

/// The tally of a chunk, or of everything.
#[derive(Debug, Default)]
pub struct Tally {
    /// Records that passed the filters.
    pub total: u64,
    /// With `--field`: records without a numeric value there (not grouped).
    pub missing: u64,
    /// With `--every`: records without a time (not bucketed).
    pub no_time: u64,
    pub cells: HashMap<GroupKey, Cell>,
    /// The width of the time buckets of `cells` (0 without `--every`).
    pub width: i64,
    /// Values kept exactly by all cells (see `summary::EXACT_BUDGET`).
    pub exact: usize,
    /// Counts per level (index in `Level::ALL`, then "no level") from the
    /// quick path, folded into `cells` when tallies merge.
    quick_levels: [u64; 8],
}

impl Tally {
    /// Moves the quick path's level counts into their cells.
    fn fold_quick_levels(&mut self) {
        for (i, n) in self.quick_levels.iter_mut().enumerate() {
            if *n > 0 {
                let level = Level::ALL.get(i).map(|l| l.as_str().to_string());
                self.cells.entry((None, vec![level])).or_default().count += *n;
                *n = 0;
            }
        }
    }

    /// Regroups the time buckets into buckets of `width`, a multiple of
    /// the current width.
    pub(super) fn coarsen(&mut self, width: i64) {
        if width <= self.width {
            return;
        }
        self.width = width;
        let cells = std::mem::take(&mut self.cells);
        for ((bucket, values), cell) in cells {
            let key = (bucket.map(|b| bucket_start(b, width)), values);
            self.cells.entry(key).or_default().merge(cell);
        }
        self.exact = self.cells.values().map(Cell::exact_len).sum();
    }

    /// The first and last bucket starts.
    pub(super) fn time_range(&self) -> Option<(i64, i64)> {
        let mut starts = self.cells.keys().filter_map(|(b, _)| *b);
        let first = starts.next()?;
        Some(starts.fold((first, first), |(lo, hi), b| (lo.min(b), hi.max(b))))
    }

    /// Keeps the exact values within `budget`: when over, the largest
    /// groups switch to the sketch until at most half the budget is left.
    fn bound(&mut self, budget: usize) {
        if self.exact <= budget {
            return;
        }
        let mut sizes: Vec<(usize, GroupKey)> = self
            .cells
            .iter()
            .map(|(k, c)| (c.exact_len(), k.clone()))
            .filter(|(n, _)| *n > 0)
            .collect();
        sizes.sort_by_key(|s| std::cmp::Reverse(s.0));
        for (n, key) in sizes {
            if self.exact <= budget / 2 {
                break;
            }
            if let Some(nums) = self.cells.get_mut(&key).and_then(|c| c.numbers.as_mut()) {
                nums.switch_to_sketch();
                self.exact -= n;
            }
        }
    }
}

/// Folds records into a [`Tally`].
pub struct StatsCollector<'s> {
    pub spec: &'s Spec,
    /// Values kept exactly per tally (`summary::EXACT_BUDGET`).
    pub budget: usize,
}

/// The start of the bucket of width `width` holding `t`, aligned to the
/// epoch (a 5m bucket starts at :00, :05…).
pub fn bucket_start(t: i64, width: i64) -> i64 {
    t.div_euclid(width).saturating_mul(width)
}

impl Collector for StatsCollector<'_> {
    type Acc = Tally;

    fn start(&self) -> Tally {
        Tally {
            width: self.spec.every.as_ref().map_or(0, |(w, _)| *w),
            ..Tally::default()
        }
    }

    fn record(&self, acc: &mut Tally, rec: &Record, _raw: &[u8], _pos: Position, cx: &Context) {
        acc.total += 1;
        let value = match &self.spec.field {
            Some((_, path)) => match rec.field(path).and_then(|f| f.as_number()) {
                Some(v) if v.is_finite() => Some(v),
                _ => {
                    acc.missing += 1;
                    return;
                }
            },
            None => None,
        };
        let bucket = match self.spec.every {
            Some(_) => match rec.time(cx.roles) {
                Some(t) => Some(bucket_start(t.nanos_i64(), acc.width)),
                None => {
                    acc.no_time += 1;
                    return;
                }
            },
            None => None,
        };
        let values = self.spec.by.iter().map(|(_, k)| k.value(rec, cx)).collect();
        let cell = acc.cells.entry((bucket, values)).or_default();
        cell.count += 1;
        if let Some(v) = value {
            let nums = cell.numbers.get_or_insert_with(Numbers::default);
            let before = nums.exact_len();
            nums.push(v);
            acc.exact = acc.exact + nums.exact_len() - before;
        }
    }

    /// Counting by level alone needs only the level, read from the raw line.
    fn takes_quick(&self) -> bool {
        self.spec.field.is_none()
            && self.spec.every.is_none()
            && matches!(self.spec.by.as_slice(), [(_, Key::Level)])
    }

    fn quick(&self, acc: &mut Tally, line: &Classified, _pos: Position, cx: &Context) -> bool {
        if self.spec.field.is_some() || self.spec.every.is_some() {
            return false;
        }
        let [(_, Key::Level)] = self.spec.by.as_slice() else {
            return false;
        };
        let level = match quick_role(line, Role::Level, cx.roles) {
            Quick::Value(v) => match plain_str(v) {
                Some(s) => Level::parse(s),
                None => return false,
            },
            Quick::Absent => None,
            Quick::Unknown => return false,
        };
        acc.total += 1;
        let index = level.map_or(Level::ALL.len(), |l| l as usize);
        acc.quick_levels[index] += 1;
        true
    }

    fn merge(&self, into: &mut Tally, mut other: Tally) {
        other.fold_quick_levels();
        // Chunks count in the finest width; what was merged may be coarser.
        let width = into.width.max(other.width);
        into.coarsen(width);
        other.coarsen(width);
        into.total += other.total;
        into.missing += other.missing;
        into.no_time += other.no_time;
        for (k, cell) in other.cells {
            let into_cell = into.cells.entry(k).or_default();
            let old = into_cell.exact_len();
            into_cell.merge(cell);
            into.exact = into.exact.saturating_sub(old) + into_cell.exact_len();
        }
        if self.spec.auto_every {
            // Few buckets are shown in the end: counting finer than needed
            // would only cost memory.
            while into.cells.len() > width::MAX_FINE && distinct_buckets(into) > width::MAX_FINE {
                match width::coarser(into.width) {
                    Some(w) => into.coarsen(w),
                    None => break,
                }
            }
        }
        into.bound(self.budget);
    }
}

/// The number of time buckets holding records.
fn distinct_buckets(t: &Tally) -> usize {
    let buckets: std::collections::HashSet<i64> = t.cells.keys().filter_map(|(b, _)| *b).collect();
    buckets.len()
}

#[cfg(test)]
mod tests {
    use super::super::summary;
    use super::*;
    use crate::record::RoleMap;

    #[test]
    fn the_exact_budget_sketches_the_largest_groups() {
        let roles = RoleMap::default();
        let cx = Context {
            roles: &roles,
            category: None,
        };
        let spec = Spec {
            by: vec![("g".into(), Key::parse("--by", "g").unwrap())],
            field: Some(("v".into(), vec!["v".into()])),
            every: None,
            auto_every: false,
            top: 20,
        };
        let c = StatsCollector {
            spec: &spec,
            budget: 100,
        };
        let mut total = c.start();
        for chunk in 0..10 {
            let mut acc = c.start();
            for i in 0..12 {
                // Group "big" gets 10 values per chunk, "small" 2.
                let g = if i < 10 { "big" } else { "small" };
                let line = format!(r#"{{"g":"{g}","v":{}}}"#, chunk * 12 + i);
                c.record(
                    &mut acc,
                    &Record::parse(&line),
                    b"",
                    Position { line: 0 },
                    &cx,
                );
            }
            assert_eq!(acc.exact, 12);
            c.merge(&mut total, acc);
            assert!(total.exact <= 100, "{}", total.exact);
        }
        let cell = |g: &str| total.cells[&(None, vec![Some(g.to_string())])].clone();
        let (mut big, mut small) = (cell("big").numbers.unwrap(), cell("small").numbers.unwrap());
        assert_eq!(big.exact_len(), 0, "the largest group was sketched");
        assert_eq!(small.exact_len(), 20, "the small one stays exact");
        assert_eq!(total.exact, 20);
        let (fb, fs) = (big.figures().unwrap(), small.figures().unwrap());
        assert!(!fb.exact && fs.exact);
        assert_eq!((fb.count, fb.min, fb.max), (100, 0.0, 117.0));
    }

    #[test]
    fn buckets_are_aligned_to_the_epoch() {
        let m = 60_000_000_000i64;
        assert_eq!(bucket_start(0, 5 * m), 0);
        assert_eq!(bucket_start(5 * m - 1, 5 * m), 0);
        assert_eq!(bucket_start(5 * m, 5 * m), 5 * m);
        assert_eq!(bucket_start(12 * m + 7, 5 * m), 10 * m);
        // Before the epoch still rounds down.
        assert_eq!(bucket_start(-1, 5 * m), -5 * m);
    }

    #[test]
    fn collector_counts_buckets_and_numbers() {
        let roles = RoleMap::default();
        let cx = Context {
            roles: &roles,
            category: None,
        };
        let spec = Spec {
            by: vec![("level".into(), Key::Level)],
            field: Some(("ms".into(), vec!["ms".into()])),
            every: Some((60_000_000_000, "1m".into())),
            auto_every: false,
            top: 20,
        };
        let c = StatsCollector {
            spec: &spec,
            budget: summary::EXACT_BUDGET,
        };
        let mut a = c.start();
        let lines = [
            r#"{"ts":"2024-01-15T10:00:10Z","level":"info","ms":5}"#,
            r#"{"ts":"2024-01-15T10:00:50Z","level":"info","ms":"7"}"#,
            r#"{"ts":"2024-01-15T10:02:00Z","level":"info","ms":1}"#,
            r#"{"ts":"2024-01-15T10:02:00Z","level":"info"}"#,
            r#"{"level":"info","ms":1}"#,
        ];
        for l in lines {
            c.record(
                &mut a,
                &Record::parse(l),
                l.as_bytes(),
                Position { line: 0 },
                &cx,
            );
        }
        assert_eq!((a.total, a.missing, a.no_time), (5, 1, 1));
        assert_eq!(a.cells.len(), 2);
        let t0 = crate::record::Timestamp::parse("2024-01-15T10:00:00Z")
            .unwrap()
            .nanos_i64();
        let cell = &a.cells[&(Some(t0), vec![Some("INFO".to_string())])];
        assert_eq!(cell.count, 2);
        let mut nums = cell.numbers.clone().unwrap();
        assert_eq!(nums.figures().unwrap().max, 7.0);
    }
}
