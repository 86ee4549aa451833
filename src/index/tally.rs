//! What one block of text holds, as an index keeps it.
//!
//! Owns reading a block's records the way the scan reads them (the line
//! split of `record::split_classified`, `Record::parse_classified`) and
//! summing up what the filters of `need` ask: lines, unparsed lines, the
//! earliest and latest time, records per level, and the keys of every
//! correlation id and indexed field value.
//!
//! Invariant: the facts come from the same accessors the filters use
//! (`Record::cids`, `Record::field`, `Record::time`, `Record::level`, and
//! `query::Key::of` for equality), so a record that passes a filter is
//! always counted where the filter's need looks.

use super::bloom::Bloom;
use super::need::{key_hash, KeyRef};
use super::sidecar::Block;
use crate::filter::query::Key;
use crate::record::{split_classified, Field, Level, Record, RoleMap};
use std::collections::HashSet;

/// What to tally.
pub struct Tally<'a> {
    pub roles: &'a RoleMap,
    /// The `--index-field` paths.
    pub fields: &'a [Vec<String>],
}

/// A block's facts before its filter is built: the keys themselves.
#[derive(Debug, Default)]
pub struct Facts {
    /// Everything but the filter (offsets and lines are the caller's).
    pub block: Block,
    /// The hashes of its keys.
    pub keys: HashSet<u64>,
    /// Its lines.
    pub lines: u64,
}

impl Facts {
    /// The block, with a filter of its keys.
    pub fn seal(self) -> Block {
        let mut bloom = Bloom::with_keys(self.keys.len());
        self.keys.into_iter().for_each(|k| bloom.insert(k));
        Block {
            bloom,
            ..self.block
        }
    }

    /// Adds the facts of the block that follows.
    pub fn absorb(&mut self, next: Facts) {
        let (a, b) = (&mut self.block, next.block);
        a.end = b.end;
        a.invalid += b.invalid;
        for (n, m) in a.levels.iter_mut().zip(b.levels) {
            *n += m;
        }
        a.times = match (a.times, b.times) {
            (Some((x, y)), Some((v, w))) => Some((x.min(v), y.max(w))),
            (t, None) | (None, t) => t,
        };
        self.keys.extend(next.keys);
        self.lines += next.lines;
    }
}

impl Tally<'_> {
    /// The facts of `buf`, a run of whole records; offsets and the lines
    /// before it are the caller's to fill in.
    pub fn block(&self, buf: &[u8]) -> Facts {
        let mut block = Block::default();
        let mut keys: HashSet<u64> = HashSet::new();
        let lines = split_classified(buf, |span, first| {
            if !first.is_record_start() {
                block.invalid += 1;
                return;
            }
            let text = String::from_utf8_lossy(&buf[span.start..span.end]);
            let rec = Record::parse_classified(&text, &first);
            if !rec.is_valid() {
                block.invalid += 1;
                return;
            }
            if let Some(t) = rec.time(self.roles) {
                block.times = Some(match block.times {
                    None => (t, t),
                    Some((a, b)) => (a.min(t), b.max(t)),
                });
            }
            if let Some(l) = rec.level(self.roles) {
                block.levels[level_slot(l)] += 1;
            }
            for f in rec.cids(self.roles) {
                add_keys(&mut keys, None, &f);
            }
            for path in self.fields {
                if let Some(f) = rec.field(path) {
                    add_keys(&mut keys, Some(path), &f);
                }
            }
        });
        Facts { block, keys, lines }
    }
}

fn level_slot(l: Level) -> usize {
    Level::ALL.iter().position(|x| *x == l).unwrap_or(0)
}

fn add_keys(keys: &mut HashSet<u64>, path: Option<&[String]>, f: &Field) {
    let (text, number) = Key::of(f);
    if let Some(t) = text {
        keys.insert(key_hash(path, &KeyRef::Text(&t)));
    }
    if let Some(n) = number {
        keys.insert(key_hash(path, &KeyRef::Number(n)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::need::{needs, Need};
    use crate::record::Timestamp;

    #[test]
    fn a_block_holds_what_its_records_say() {
        let roles = RoleMap::default();
        let fields = vec![
            vec!["user_id".to_string()],
            vec!["ctx".into(), "org".into()],
        ];
        let tally = Tally {
            roles: &roles,
            fields: &fields,
        };
        let text = b"{\"time\":\"2024-01-15T10:00:00Z\",\"level\":\"info\",\"request_id\":\"req-1\",\"user_id\":42}\n\
not a record\n\
{\"time\":\"2024-01-15T09:00:00Z\",\"level\":\"error\",\"ctx\":{\"org\":\"acme\"},\"trace_id\":7}\n";
        let facts = tally.block(text);
        assert_eq!(facts.lines, 3);
        let b = facts.seal();
        assert_eq!(b.invalid, 1);
        assert_eq!(b.levels, [0, 0, 1, 0, 0, 1, 0]);
        let t = |s| Timestamp::parse(s).unwrap();
        assert_eq!(
            b.times,
            Some((t("2024-01-15T09:00:00Z"), t("2024-01-15T10:00:00Z")))
        );
        let has = |path: Option<&[String]>, k: KeyRef| b.bloom.may_hold(key_hash(path, &k));
        assert!(has(None, KeyRef::Text("req-1")));
        assert!(has(None, KeyRef::Number(7.0)));
        assert!(has(None, KeyRef::Text("7")));
        assert!(has(Some(&fields[0]), KeyRef::Number(42.0)));
        assert!(has(Some(&fields[0]), KeyRef::Text("42")));
        assert!(has(Some(&fields[1]), KeyRef::Text("acme")));
        assert!(!has(None, KeyRef::Text("acme")));
        let q =
            crate::filter::query::Query::parse_at("ctx.org = \"acme\"", chrono::Utc::now(), false)
                .unwrap();
        let need: Vec<Need> = needs(&crate::filter::Expr::Query(q));
        assert!(need[0].may_match(&b, &fields));
    }
}
