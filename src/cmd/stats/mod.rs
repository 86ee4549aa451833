//! `logq stats`: counts per level or per field value, numeric summaries and
//! time histograms (SPEC §5).
//!
//! The scan is unordered and parallel: a [`StatsCollector`] folds each chunk
//! into a small table of groups (`--by` values, plus the time bucket with
//! `--every`), and tables are merged. Memory grows with the number of
//! distinct groups, not with the input; numeric values are bounded per group
//! by [`summary`]. Drawing (text or `--json`) is left to [`render`].

mod render;
pub mod summary;
mod width;

use super::{scan_config, Out, Stdout};
use crate::cli::StatsArgs;
use crate::filter::{category_of, timespec, Context};
use crate::record::quick::plain_str;
use crate::record::{quick_role, split_path, FieldPath, Level, Quick, Record, Role};
use crate::report::{self, ExitStatus};
use crate::scan::{self, Collector, Position};
use crate::settings;
use anyhow::{anyhow, bail, Result};
use std::collections::HashMap;
use summary::Numbers;

/// What a `--by` field groups on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// The normalized level (`ERROR`), so `error` and `ERROR` are one group.
    Level,
    /// The record's category (its field, else its folder).
    Category,
    /// Another role of SPEC §2 (`module`, `service`, `cid`, `message`…).
    Role(Role),
    /// A dotted path of the raw record; `.level` forces the raw field.
    Path(FieldPath),
}

impl Key {
    /// Parses a `--by` argument: a role name, else a dotted path.
    pub fn parse(s: &str) -> Result<Key> {
        let s = s.trim();
        if s.is_empty() || s == "." {
            bail!("--by: empty field name");
        }
        if let Some(raw) = s.strip_prefix('.') {
            return Ok(Key::Path(split_path(raw)));
        }
        Ok(match s.parse::<Role>() {
            Ok(Role::Level) => Key::Level,
            Ok(Role::Category) => Key::Category,
            Ok(role) => Key::Role(role),
            Err(_) => Key::Path(split_path(s)),
        })
    }

    /// The group value of a record; `None` when it has none.
    pub fn value(&self, rec: &Record, cx: &Context) -> Option<String> {
        match self {
            Key::Level => rec.level(cx.roles).map(|l| l.as_str().to_string()),
            Key::Category => category_of(rec, cx),
            Key::Role(role) => rec.role_text(*role, cx.roles),
            Key::Path(path) => {
                let f = rec.field(path)?;
                match f.as_text() {
                    Some(t) => Some(t.into_owned()),
                    None => {
                        let v = f.to_value();
                        (!v.is_null()).then(|| v.to_string())
                    }
                }
            }
        }
    }
}

/// What to compute, resolved from the flags.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The group fields with their names as given (level when neither
    /// `--by`, `--field` nor `--every` is given; may be empty).
    pub by: Vec<(String, Key)>,
    /// The numeric field of `--field`, with its name.
    pub field: Option<(String, FieldPath)>,
    /// The bucket width in nanoseconds, and the flag's text. With
    /// `auto_every`, the width counted in while scanning, then the one
    /// chosen.
    pub every: Option<(i64, String)>,
    /// `--every` without a value: the width is chosen after the scan, for
    /// about 40 rows (see [`width`]).
    pub auto_every: bool,
    pub top: usize,
}

impl Spec {
    /// Resolves the stats flags; a bad `--by` or `--every` is an error here.
    pub fn from_args(args: &StatsArgs) -> Result<Spec> {
        // Plain `stats` counts per level; `--field` and `--every` alone
        // summarize everything as one group (per bucket).
        let by = if args.by.is_empty() {
            if args.field.is_none() && args.every.is_none() {
                vec![("level".to_string(), Key::Level)]
            } else {
                Vec::new()
            }
        } else {
            args.by
                .iter()
                .map(|b| Ok((b.trim().to_string(), Key::parse(b)?)))
                .collect::<Result<_>>()?
        };
        let field = match &args.field {
            Some(f) if f.trim().trim_start_matches('.').is_empty() => {
                bail!("--field: empty field name")
            }
            Some(f) => Some((
                f.trim().to_string(),
                split_path(f.trim().trim_start_matches('.')),
            )),
            None => None,
        };
        let auto_every = args.every.as_deref().map(str::trim) == Some(AUTO);
        let every = match &args.every {
            Some(_) if auto_every => Some((width::FINEST, AUTO.to_string())),
            Some(e) => {
                let d = timespec::parse_duration(e).map_err(|m| anyhow!("--every: {m}"))?;
                let nanos = d
                    .num_nanoseconds()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| anyhow!("--every: '{e}' is too long"))?;
                Some((nanos, e.trim().to_string()))
            }
            None => None,
        };
        Ok(Spec {
            by,
            field,
            every,
            auto_every,
            top: args.top,
        })
    }

    /// Whether rows are levels only, shown in severity order.
    pub fn is_by_level(&self) -> bool {
        matches!(self.by.as_slice(), [(_, Key::Level)])
    }
}

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

    fn merge(&mut self, other: Cell) {
        self.count += other.count;
        match (&mut self.numbers, other.numbers) {
            (Some(a), Some(b)) => a.merge(b),
            (None, Some(b)) => self.numbers = Some(b),
            _ => {}
        }
    }
}

/// The value of `--every` given without one.
const AUTO: &str = "auto";

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
    /// Values kept exactly by all cells (see [`summary::EXACT_BUDGET`]).
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
    fn coarsen(&mut self, width: i64) {
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
    fn time_range(&self) -> Option<(i64, i64)> {
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
    /// Values kept exactly per tally ([`summary::EXACT_BUDGET`]).
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

    fn quick(&self, acc: &mut Tally, raw: &[u8], _pos: Position, cx: &Context) -> bool {
        if self.spec.field.is_some() || self.spec.every.is_some() {
            return false;
        }
        let [(_, Key::Level)] = self.spec.by.as_slice() else {
            return false;
        };
        let level = match quick_role(raw, Role::Level, cx.roles) {
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

/// With `--every` given without a value, the width for about 40 rows:
/// the tally is regrouped into it and the spec names it.
fn choose_every(spec: &mut Spec, tally: &mut Tally) {
    if !spec.auto_every {
        return;
    }
    let w = match tally.time_range() {
        Some((first, last)) => width::choose(first, last, tally.width),
        None => tally.width,
    };
    tally.coarsen(w);
    spec.every = Some((w, width::name(w).to_string()));
}

/// `--every` takes an optional value, so `stats --every logs` reads the
/// path as its value: a value that is no duration but names an existing
/// path is that path, and `--every` has no value.
fn every_path(args: &StatsArgs) -> Option<StatsArgs> {
    let value = args.every.as_deref()?;
    if value.trim() == AUTO
        || timespec::parse_duration(value).is_ok()
        || !std::path::Path::new(value).exists()
    {
        return None;
    }
    let mut fixed = args.clone();
    fixed.input.paths.insert(0, value.into());
    fixed.every = Some(AUTO.to_string());
    Some(fixed)
}

/// Runs `logq stats`, printing to `to`.
pub fn run(args: &StatsArgs, to: &mut Stdout) -> Result<ExitStatus> {
    let fixed = every_path(args);
    let args = fixed.as_ref().unwrap_or(args);
    let mut spec = Spec::from_args(args)?;
    let _progress = crate::progress::Progress::start();
    let s = settings::resolve(
        &args.filters,
        &args.input,
        &args.out,
        Vec::new(),
        to.is_terminal(),
    )?;
    s.refuse_empty()?;
    let cfg = scan_config(&s);
    let (mut tally, summaries) = scan::scan_all(
        &s.inputs,
        &cfg,
        &StatsCollector {
            spec: &spec,
            budget: summary::EXACT_BUDGET,
        },
    );
    choose_every(&mut spec, &mut tally);
    let table = render::Table::build(&spec, tally)?;
    // `-o json` asks for JSON as well as `--json` does.
    let is_json = args.json || args.out.output == Some(crate::output::Format::Json);
    let mut out = Out::paged(to, s.pager(!is_json), false);
    if is_json {
        render::json(out.w(), &spec, &table)?;
    } else {
        render::text(out.w(), &spec, &table, &s.printer.style)?;
    }
    out.finish()?;
    report::summaries(&s.inputs, &summaries, s.show_invalid);
    if table.total == 0 {
        report::unsearched(&s.unsearched);
        crate::census::report_missing(s.census.as_ref(), &summaries);
    }
    Ok(ExitStatus::from_found(table.total > 0))
}

#[cfg(test)]
mod tests {
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
            by: vec![("g".into(), Key::parse("g").unwrap())],
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
    fn by_accepts_roles_and_paths() {
        assert_eq!(Key::parse("level").unwrap(), Key::Level);
        assert_eq!(Key::parse("category").unwrap(), Key::Category);
        assert_eq!(Key::parse("service").unwrap(), Key::Role(Role::Service));
        assert_eq!(
            Key::parse("context.organization_id").unwrap(),
            Key::Path(vec!["context".into(), "organization_id".into()])
        );
        assert_eq!(
            Key::parse(".level").unwrap(),
            Key::Path(vec!["level".into()])
        );
        assert!(Key::parse(" ").is_err());
    }

    #[test]
    fn group_values_come_from_roles_and_paths() {
        let roles = RoleMap::default();
        let cx = Context {
            roles: &roles,
            category: Some("app"),
        };
        let rec = Record::parse(r#"{"level":"warn","logger":"a.b","ctx":{"n":3,"o":{"x":1}}}"#);
        assert_eq!(Key::Level.value(&rec, &cx).as_deref(), Some("WARNING"));
        assert_eq!(Key::Category.value(&rec, &cx).as_deref(), Some("app"));
        let module = Key::parse("module").unwrap();
        assert_eq!(module.value(&rec, &cx).as_deref(), Some("a.b"));
        let n = Key::parse("ctx.n").unwrap();
        assert_eq!(n.value(&rec, &cx).as_deref(), Some("3"));
        let o = Key::parse("ctx.o").unwrap();
        assert_eq!(o.value(&rec, &cx).as_deref(), Some(r#"{"x":1}"#));
        assert_eq!(Key::parse("nope").unwrap().value(&rec, &cx), None);
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
