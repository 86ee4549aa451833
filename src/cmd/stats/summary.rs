//! Numeric summaries for `stats --field`: count, min, mean, percentiles, max.
//!
//! Owns the percentile definition and the memory bound. Values are kept
//! exactly (and sorted when asked) up to [`EXACT_LIMIT`] per group, and
//! [`EXACT_BUDGET`] for all groups of a tally together; past that a group
//! switches to a log-bucketed [`Sketch`] whose quantiles are within
//! [`RELATIVE_ERROR`] of the exact nearest-rank value. Count, sum, min and
//! max are always exact.
//!
//! Percentile definition (nearest rank): with `n` values sorted ascending,
//! the p-th percentile is the value at 1-based rank `ceil(p * n / 100)`
//! (at least 1). It is always one of the values, never an interpolation.

use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Values kept exactly per group before switching to the sketch (16 MB of
/// `f64`s).
pub const EXACT_LIMIT: usize = 2_000_000;

/// Values kept exactly by all the groups of one tally together (64 MB);
/// past this the largest groups switch to the sketch until half is left.
pub const EXACT_BUDGET: usize = 8_000_000;

/// The sketch's bound on the relative error of a percentile: the value
/// returned is within 1% of a value whose nearest rank is the one asked.
pub const RELATIVE_ERROR: f64 = 0.01;

/// The percentiles shown, in percent.
pub const PERCENTILES: [u64; 3] = [50, 90, 99];

/// The 1-based nearest rank of percentile `p` (0–100) among `n` values.
pub fn nearest_rank(p: u64, n: u64) -> u64 {
    (p.min(100) * n).div_ceil(100).max(1)
}

/// The numbers seen in one group.
#[derive(Debug, Clone)]
pub struct Numbers {
    count: u64,
    sum: f64,
    min: f64,
    max: f64,
    limit: usize,
    store: Store,
}

#[derive(Debug, Clone)]
enum Store {
    Exact(Vec<f64>),
    Sketch(Sketch),
}

/// What a group's numbers come to.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub count: u64,
    pub min: f64,
    pub mean: f64,
    /// p50, p90, p99 (see [`PERCENTILES`]).
    pub percentiles: [f64; 3],
    pub max: f64,
    /// False when the percentiles come from the sketch.
    pub exact: bool,
}

impl Figures {
    /// As a JSON object.
    pub fn to_json(&self) -> Value {
        json!({
            "count": self.count,
            "min": self.min,
            "mean": self.mean,
            "p50": self.percentiles[0],
            "p90": self.percentiles[1],
            "p99": self.percentiles[2],
            "max": self.max,
            "exact": self.exact,
        })
    }
}

impl Default for Numbers {
    fn default() -> Self {
        Numbers::with_limit(EXACT_LIMIT)
    }
}

impl Numbers {
    /// An empty summary that keeps up to `limit` values exactly.
    pub fn with_limit(limit: usize) -> Numbers {
        Numbers {
            count: 0,
            sum: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            limit,
            store: Store::Exact(Vec::new()),
        }
    }

    /// Adds a value; NaN and infinities are ignored.
    pub fn push(&mut self, v: f64) {
        if !v.is_finite() {
            return;
        }
        self.count += 1;
        self.sum += v;
        self.min = self.min.min(v);
        self.max = self.max.max(v);
        match &mut self.store {
            Store::Exact(values) => {
                values.push(v);
                if values.len() > self.limit {
                    self.switch_to_sketch();
                }
            }
            Store::Sketch(s) => s.push(v),
        }
    }

    /// How many values are kept exactly (0 once sketched).
    pub fn exact_len(&self) -> usize {
        match &self.store {
            Store::Exact(v) => v.len(),
            Store::Sketch(_) => 0,
        }
    }

    /// Drops the exact values for the sketch (bounded memory from now on).
    pub fn switch_to_sketch(&mut self) {
        if let Store::Exact(values) = &self.store {
            let mut s = Sketch::default();
            for v in values {
                s.push(*v);
            }
            self.store = Store::Sketch(s);
        }
    }

    /// Adds all of `other`'s values.
    pub fn merge(&mut self, other: Numbers) {
        self.count += other.count;
        self.sum += other.sum;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        match (&mut self.store, other.store) {
            (Store::Exact(a), Store::Exact(b)) => {
                a.extend(b);
                if a.len() > self.limit {
                    self.switch_to_sketch();
                }
            }
            (Store::Sketch(a), Store::Sketch(b)) => a.merge(b),
            (Store::Sketch(a), Store::Exact(b)) => {
                for v in b {
                    a.push(v);
                }
            }
            (Store::Exact(_), Store::Sketch(b)) => {
                self.switch_to_sketch();
                if let Store::Sketch(a) = &mut self.store {
                    a.merge(b);
                }
            }
        }
    }

    /// The figures; `None` when no value was added. Sorts the kept values.
    pub fn figures(&mut self) -> Option<Figures> {
        if self.count == 0 {
            return None;
        }
        let (min, max) = (self.min, self.max);
        let mut percentiles = [0.0; 3];
        let exact = match &mut self.store {
            Store::Exact(values) => {
                values.sort_unstable_by(f64::total_cmp);
                let n = values.len() as u64;
                for (out, p) in percentiles.iter_mut().zip(PERCENTILES) {
                    let rank = nearest_rank(p, n);
                    *out = values
                        .get(usize::try_from(rank - 1).unwrap_or(usize::MAX))
                        .copied()
                        .unwrap_or(max);
                }
                true
            }
            Store::Sketch(s) => {
                for (out, p) in percentiles.iter_mut().zip(PERCENTILES) {
                    *out = s.quantile(nearest_rank(p, s.count)).clamp(min, max);
                }
                false
            }
        };
        Some(Figures {
            count: self.count,
            min,
            mean: self.sum / self.count as f64,
            percentiles,
            max,
            exact,
        })
    }
}

/// A log-bucketed histogram (the DDSketch mapping): a positive value `v`
/// falls in bucket `k = ceil(ln v / ln γ)` with `γ = (1+α)/(1-α)`, and
/// bucket `k` is represented by `2γᵏ/(γ+1)`, which is within a relative
/// error α of every value in `(γᵏ⁻¹, γᵏ]`. Negative values mirror this;
/// zeros are counted apart. With α = 1% the values from 1e-9 to 1e12 need
/// at most ~2,400 buckets per sign, so memory is bounded whatever the count.
#[derive(Debug, Clone, Default)]
pub struct Sketch {
    pos: BTreeMap<i32, u64>,
    neg: BTreeMap<i32, u64>,
    zero: u64,
    count: u64,
}

fn gamma() -> f64 {
    (1.0 + RELATIVE_ERROR) / (1.0 - RELATIVE_ERROR)
}

fn key_of(v: f64) -> i32 {
    let k = (v.ln() / gamma().ln()).ceil();
    k.clamp(i32::MIN as f64, i32::MAX as f64) as i32
}

fn value_of(k: i32) -> f64 {
    let g = gamma();
    2.0 * g.powi(k) / (g + 1.0)
}

impl Sketch {
    /// Adds a finite value.
    pub fn push(&mut self, v: f64) {
        self.count += 1;
        if v > 0.0 {
            *self.pos.entry(key_of(v)).or_default() += 1;
        } else if v < 0.0 {
            *self.neg.entry(key_of(-v)).or_default() += 1;
        } else {
            self.zero += 1;
        }
    }

    /// Adds another sketch.
    pub fn merge(&mut self, other: Sketch) {
        self.count += other.count;
        self.zero += other.zero;
        for (k, n) in other.pos {
            *self.pos.entry(k).or_default() += n;
        }
        for (k, n) in other.neg {
            *self.neg.entry(k).or_default() += n;
        }
    }

    /// The approximate value of 1-based rank `rank` in ascending order.
    pub fn quantile(&self, rank: u64) -> f64 {
        let mut seen = 0u64;
        for (k, n) in self.neg.iter().rev() {
            seen += n;
            if seen >= rank {
                return -value_of(*k);
            }
        }
        seen += self.zero;
        if seen >= rank {
            return 0.0;
        }
        for (k, n) in &self.pos {
            seen += n;
            if seen >= rank {
                return value_of(*k);
            }
        }
        self.pos.keys().next_back().map_or(0.0, |k| value_of(*k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, written out the slow way.
    fn oracle(values: &[f64], p: u64) -> f64 {
        let mut v = values.to_vec();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let n = v.len() as f64;
        let rank = ((p as f64 / 100.0) * n - 1e-9).ceil().max(1.0) as usize;
        v[rank - 1]
    }

    #[test]
    fn nearest_rank_definition() {
        assert_eq!(nearest_rank(50, 1), 1);
        assert_eq!(nearest_rank(50, 10), 5);
        assert_eq!(nearest_rank(90, 10), 9);
        assert_eq!(nearest_rank(99, 10), 10);
        assert_eq!(nearest_rank(50, 11), 6);
        assert_eq!(nearest_rank(0, 7), 1);
        assert_eq!(nearest_rank(100, 7), 7);
    }

    #[test]
    fn exact_figures_match_the_oracle() {
        let values = [0.0, 350.0, 2333.0, 1520.7, 980.0, 4210.0, 30000.0, 1000.0];
        let mut n = Numbers::default();
        for v in values {
            n.push(v);
        }
        n.push(f64::NAN);
        let f = n.figures().unwrap();
        assert_eq!(f.count, 8);
        assert_eq!(f.min, 0.0);
        assert_eq!(f.max, 30000.0);
        assert!((f.mean - values.iter().sum::<f64>() / 8.0).abs() < 1e-9);
        for (i, p) in PERCENTILES.iter().enumerate() {
            assert_eq!(f.percentiles[i], oracle(&values, *p), "p{p}");
        }
        assert_eq!(f.percentiles, [1000.0, 30000.0, 30000.0]);
        assert!(f.exact);
        assert_eq!(Numbers::default().figures(), None);
    }

    #[test]
    fn merging_exact_groups_equals_one_group() {
        let (mut a, mut b, mut all) = (Numbers::default(), Numbers::default(), Numbers::default());
        for i in 0..100 {
            let v = f64::from((i * 37) % 101);
            if i % 3 == 0 {
                a.push(v)
            } else {
                b.push(v)
            }
            all.push(v);
        }
        a.merge(b);
        assert_eq!(a.figures(), all.figures());
    }

    #[test]
    fn past_the_limit_the_sketch_stays_within_its_error_bound() {
        let values: Vec<f64> = (0..20_000)
            .map(|i| {
                let x = f64::from(i);
                if i % 7 == 0 {
                    -x / 3.0
                } else {
                    (x * 1.37).powf(1.3) + 0.001
                }
            })
            .collect();
        let mut sketched = Numbers::with_limit(1_000);
        // Half pushed, half merged in as another exact group.
        let mut other = Numbers::with_limit(1_000_000);
        for (i, v) in values.iter().enumerate() {
            if i % 2 == 0 {
                sketched.push(*v)
            } else {
                other.push(*v)
            }
        }
        sketched.merge(other);
        let f = sketched.figures().unwrap();
        assert!(!f.exact);
        assert_eq!(f.count, values.len() as u64);
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        assert_eq!(f.min, sorted[0]);
        assert_eq!(f.max, sorted[sorted.len() - 1]);
        for (i, p) in PERCENTILES.iter().enumerate() {
            let want = oracle(&values, *p);
            let got = f.percentiles[i];
            assert!(
                (got - want).abs() <= RELATIVE_ERROR * want.abs() + 1e-12,
                "p{p}: got {got}, want {want}"
            );
        }
    }

    #[test]
    fn sketch_handles_zero_negative_and_tiny_values() {
        let mut s = Sketch::default();
        for v in [-5.0, 0.0, 0.0, 1e-300, 7.0] {
            s.push(v);
        }
        assert!((s.quantile(1) + 5.0).abs() <= 0.05);
        assert_eq!(s.quantile(2), 0.0);
        assert_eq!(s.quantile(3), 0.0);
        assert!(s.quantile(4) > 0.0 && s.quantile(4) < 1e-299);
        assert!((s.quantile(5) - 7.0).abs() <= 0.07);
        assert!((s.quantile(99) - 7.0).abs() <= 0.07);
    }
}
