//! The scans of `logq trace`: records merged by time, the ids found in a
//! field, and, when nothing was found, where the search looked.
//!
//! Where the search looked reads every input once more, since the first
//! scan saw only the records its prefilter let through; that read takes the
//! quick path (a JSON line's time read without a parse, as `search` does),
//! so an id that is nowhere does not cost a second full parse of every
//! input (issue 12).

use crate::cmd::key::Key;
use crate::filter::{Context, Expr};
use crate::hits::{Batch, HitCollector};
use crate::merge::{self, OwnedHit};
use crate::record::{quick_time, Classified, Record, Role, Timestamp};
use crate::scan::{self, Collector, Position, ScanConfig, Summary};
use crate::settings::Settings;
use std::collections::{HashMap, HashSet};

/// Scans in order and merges by time, keeping every record.
pub(super) fn collect<C: Collector<Acc = Batch>>(
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

/// Keeps records carrying one of a set of ids (for many ids, where a
/// compiled `Expr::Cid` would test each id in turn).
pub(super) struct IdHits<'a> {
    pub(super) ids: &'a HashSet<String>,
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

/// When an id was first seen: the earliest time (a known time beats none),
/// then its place among the aliases of that record, so that `request_id`
/// comes before a `trace_id` logged with it.
pub(super) type First = (Option<Timestamp>, usize);

fn first(a: First, b: First) -> First {
    std::cmp::min_by_key(a, b, |(t, rank)| (t.is_none(), *t, *rank))
}

/// Collects the distinct values of a field, with when each was first seen.
pub(super) struct IdCollector<'k> {
    pub(super) key: &'k Key,
}

impl Collector for IdCollector<'_> {
    type Acc = HashMap<String, First>;

    fn start(&self) -> Self::Acc {
        HashMap::new()
    }

    fn record(&self, acc: &mut Self::Acc, rec: &Record, _raw: &[u8], _pos: Position, cx: &Context) {
        let time = rec.time(cx.roles);
        let mut add = |id: String, rank: usize| {
            if id.is_empty() {
                return;
            }
            let seen = acc.entry(id).or_insert((time, rank));
            *seen = first(*seen, (time, rank));
        };
        match self.key {
            // Every alias counts for the correlation role, as for -c.
            Key::Role(Role::Cid) => {
                for (rank, f) in rec.cids(cx.roles).iter().enumerate() {
                    if let Some(t) = f.as_text() {
                        add(t.into_owned(), rank);
                    }
                }
            }
            key => {
                if let Some(v) = key.value(rec, cx) {
                    add(v, 0);
                }
            }
        }
    }

    fn merge(&self, into: &mut Self::Acc, other: Self::Acc) {
        for (id, seen) in other {
            let e = into.entry(id).or_insert(seen);
            *e = first(*e, seen);
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

#[derive(Debug, Default, PartialEq)]
struct Seen {
    records: u64,
    first: Option<Timestamp>,
    last: Option<Timestamp>,
}

impl Seen {
    fn merge_with(&mut self, other: Seen) {
        self.records += other.records;
        self.first = earliest(self.first, other.first);
        self.last = self.last.max(other.last);
    }

    fn add(&mut self, time: Option<Timestamp>) {
        self.records += 1;
        if let Some(t) = time {
            self.first = earliest(self.first, Some(t));
            self.last = self.last.max(Some(t));
        }
    }
}

impl Collector for SpanCollector {
    type Acc = Seen;

    fn start(&self) -> Seen {
        Seen::default()
    }

    fn record(&self, acc: &mut Seen, rec: &Record, _raw: &[u8], _pos: Position, cx: &Context) {
        acc.add(rec.time(cx.roles));
    }

    fn takes_quick(&self) -> bool {
        true
    }

    /// A JSON line's time, read without parsing the line.
    fn quick(&self, acc: &mut Seen, line: &Classified, _pos: Position, cx: &Context) -> bool {
        match quick_time(line, cx.roles) {
            Some(time) => {
                acc.add(time);
                true
            }
            None => false,
        }
    }

    fn merge(&self, into: &mut Seen, other: Seen) {
        into.merge_with(other);
    }
}

/// Where a fruitless search looked: files, records and their time span.
pub(super) fn looked_at(s: &Settings) -> String {
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
    // Files a fresh index describes whole are counted from it.
    let mut seen = Seen::default();
    let mut rest = Vec::new();
    for input in &s.inputs {
        let span = s
            .index
            .as_ref()
            .zip(input.path.as_deref())
            .and_then(|(lookup, path)| lookup.span(path));
        match span {
            Some((records, times)) => {
                let (first, last) = times.unzip();
                seen.merge_with(Seen {
                    records,
                    first,
                    last,
                });
            }
            None => rest.push(input.clone()),
        }
    }
    let mut cfg = ScanConfig::new(&Expr::True, &s.roles, s.fast_paths);
    cfg.mmap = s.fast_paths;
    let (scanned, _) = scan::scan_all(&rest, &cfg, &SpanCollector);
    seen.merge_with(scanned);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{classify, RoleMap};

    /// The records and span of `lines`, by the quick path where it can
    /// take a line (`quick`), else by a full parse; and how many lines the
    /// quick path took.
    fn seen(lines: &[&str], quick: bool) -> (Seen, usize) {
        let roles = RoleMap::default();
        let cx = Context {
            roles: &roles,
            category: None,
        };
        let (mut acc, mut taken) = (Seen::default(), 0);
        let pos = Position { line: 0 };
        for l in lines {
            if quick && SpanCollector.quick(&mut acc, &classify(l.as_bytes()), pos, &cx) {
                taken += 1;
            } else {
                SpanCollector.record(&mut acc, &Record::parse(l), l.as_bytes(), pos, &cx);
            }
        }
        (acc, taken)
    }

    #[test]
    fn where_it_looked_reads_json_times_without_a_parse() {
        let lines = [
            r#"{"ts":"2024-01-15T10:00:10Z","level":"info","msg":"a"}"#,
            r#"{"time":1705312800,"msg":"epoch"}"#,
            r#"{"msg":"no time"}"#,
            r#"{"ts":{"nested":1},"msg":"odd time"}"#,
            "2024-01-14 09:00:00,123 ERROR app.db: text record",
        ];
        let (full, _) = seen(&lines, false);
        let (quick, taken) = seen(&lines, true);
        assert_eq!(quick, full);
        assert_eq!(full.records, 5);
        assert!(taken >= 3, "plain JSON lines take the quick path: {taken}");
    }
}
