//! The model of what `stats` shows, built from a [`Tally`]: ordered groups
//! with the top N kept and the rest summed as "other", and time buckets
//! with the empty ones filled in. Drawing it is left to [`text`](super::text)
//! and [`json`](super::json).
//!
//! Order: the top N are the largest groups (ties by value); a level-only
//! grouping then shows them in severity order (no level last), others by
//! count, largest first.

use super::spec::Spec;
use super::summary::{Figures, Numbers};
use super::tally::{Cell, Tally};
use crate::record::Level;
use anyhow::{bail, Result};
use std::collections::{BTreeMap, HashMap};

/// Most buckets drawn; past this `--every` is too fine for the span.
pub const MAX_BUCKETS: i64 = 100_000;

/// The cells of one time bucket, by `--by` values.
type BucketCells = Vec<(Vec<Option<String>>, Cell)>;

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
