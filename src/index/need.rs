//! What a filter needs of a block for any of its records to match, and
//! whether a block's summary can have it.
//!
//! Owns the translation of a compiled filter ([`Expr`]) into [`Need`]s: the
//! conditions AND-ed at the top of the filter that an index can check
//! (`-c`, trace's id, `-q 'cid = …'`, `-q 'FIELD = V'` and `in (…)`,
//! `--since/--until`, `-l`, `-q 'level …'` and `-q 'time …'`). Anything
//! under `or`, `not` or `--jq` needs nothing.
//!
//! Invariant: [`Need::may_match`] says `false` only when no record of the
//! block can pass that condition, so a block it rules out holds no match.

use super::bloom;
use super::sidecar::Block;
use crate::filter::op::Op;
use crate::filter::query::{Key, Must};
use crate::filter::Expr;
use crate::record::{Level, LevelFilter, Timestamp};

/// One condition every matching record meets.
#[derive(Debug, Clone, PartialEq)]
pub enum Need {
    /// A correlation field (`path: None`) or the field at `path` has one of
    /// these values.
    Equals {
        path: Option<Vec<String>>,
        values: Vec<Key>,
    },
    /// A level that `-l` keeps.
    Level(LevelFilter),
    /// A level comparing so with one of these.
    LevelCmp(Vec<(Op, Level)>),
    /// A time in [since, until).
    Window {
        since: Option<Timestamp>,
        until: Option<Timestamp>,
    },
    /// A time comparing so with one of these.
    TimeCmp(Vec<(Op, Timestamp)>),
}

/// The needs of a filter.
pub fn needs(filter: &Expr) -> Vec<Need> {
    let mut out = Vec::new();
    collect(filter, &mut out);
    out
}

fn collect(e: &Expr, out: &mut Vec<Need>) {
    match e {
        Expr::And(v) => v.iter().for_each(|e| collect(e, out)),
        Expr::Cid(ids) => out.push(Need::Equals {
            path: None,
            values: ids.iter().map(|id| Key::Text(id.clone())).collect(),
        }),
        Expr::Level(f) => out.push(Need::Level(*f)),
        Expr::Time { since, until } => out.push(Need::Window {
            since: *since,
            until: *until,
        }),
        Expr::Query(q) => out.extend(q.musts().into_iter().map(|m| match m {
            Must::Equals { path, values } => Need::Equals { path, values },
            Must::Level(v) => Need::LevelCmp(v),
            Must::Time(v) => Need::TimeCmp(v),
        })),
        _ => {}
    }
}

/// The hash a key is filed under in a block's filter: which field (`cid`
/// for every correlation field, or an indexed path), then the text or the
/// number.
pub fn key_hash(path: Option<&[String]>, key: &KeyRef) -> u64 {
    keyed(namespace(path), key)
}

/// The hasher after a key's field is written: the start of every
/// [`key_hash`] of that field (see [`keyed`]).
pub fn namespace(path: Option<&[String]>) -> bloom::Hasher {
    let mut h = bloom::Hasher::new();
    match path {
        None => h.write(b"c"),
        Some(p) => {
            h.write(b"f");
            for (i, part) in p.iter().enumerate() {
                if i > 0 {
                    h.write(&[0x1e]);
                }
                h.write(part.as_bytes());
            }
        }
    }
    h.write(&[0x1f]);
    h
}

/// [`key_hash`] of a key under a field's [`namespace`].
pub fn keyed(mut h: bloom::Hasher, key: &KeyRef) -> u64 {
    match key {
        KeyRef::Text(t) => {
            h.write(b"t");
            h.write(t.as_bytes());
        }
        KeyRef::Number(n) => {
            h.write(b"n");
            // -0 equals 0; every other number is equal only to itself.
            let n = if *n == 0.0 { 0.0 } else { *n };
            h.write(&n.to_bits().to_le_bytes());
        }
    }
    h.finish()
}

/// A key borrowed, as a record's field gives it.
#[derive(Debug, Clone, Copy)]
pub enum KeyRef<'k> {
    Text(&'k str),
    Number(f64),
}

impl Need {
    /// Whether some record of `block` may meet this need. `fields` are the
    /// paths the index holds values of.
    pub fn may_match(&self, block: &Block, fields: &[Vec<String>]) -> bool {
        match self {
            Need::Equals { path, values } => {
                if let Some(p) = path {
                    if !fields.contains(p) {
                        return true;
                    }
                }
                values.iter().any(|v| {
                    let k = match v {
                        Key::Text(t) => KeyRef::Text(t),
                        Key::Number(n) => KeyRef::Number(*n),
                    };
                    block.bloom.may_hold(key_hash(path.as_deref(), &k))
                })
            }
            Need::Level(f) => levels(block).any(|l| f.is_match(l)),
            Need::LevelCmp(v) => levels(block).any(|l| v.iter().any(|(op, x)| op.holds(l.cmp(x)))),
            Need::Window { since, until } => match block.times {
                None => false,
                Some((first, last)) => {
                    since.is_none_or(|s| last >= s) && until.is_none_or(|u| first < u)
                }
            },
            Need::TimeCmp(v) => match block.times {
                None => false,
                Some((first, last)) => v
                    .iter()
                    .any(|(op, x)| some_time_holds(*op, first, last, *x)),
            },
        }
    }
}

fn levels(block: &Block) -> impl Iterator<Item = Level> + '_ {
    Level::ALL
        .iter()
        .zip(block.levels.iter())
        .filter(|(_, n)| **n > 0)
        .map(|(l, _)| *l)
}

/// Whether some time in [first, last] compares so with `x`.
fn some_time_holds(op: Op, first: Timestamp, last: Timestamp, x: Timestamp) -> bool {
    match op {
        Op::Eq => first <= x && x <= last,
        Op::Ne => !(first == x && last == x),
        Op::Lt => first < x,
        Op::Le => first <= x,
        Op::Gt => last > x,
        Op::Ge => last >= x,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::query::Query;
    use crate::index::bloom::Bloom;

    fn block(levels: [u64; 7], times: Option<(i128, i128)>, keys: &[u64]) -> Block {
        let mut bloom = Bloom::with_keys(keys.len());
        keys.iter().for_each(|k| bloom.insert(*k));
        Block {
            levels,
            times: times.map(|(a, b)| (Timestamp(a), Timestamp(b))),
            bloom,
            ..Block::default()
        }
    }

    fn query(q: &str) -> Expr {
        Expr::Query(Query::parse_at(q, chrono::Utc::now(), false).unwrap())
    }

    #[test]
    fn only_conditions_anded_at_the_top_are_needs() {
        let e = Expr::all(vec![
            Expr::Cid(vec!["req-1".into()]),
            query("user_id = 42 and (a = 1 or b = 2) and not c = 3"),
        ]);
        assert_eq!(
            needs(&e),
            vec![
                Need::Equals {
                    path: None,
                    values: vec![Key::Text("req-1".into())]
                },
                Need::Equals {
                    path: Some(vec!["user_id".into()]),
                    values: vec![Key::Number(42.0)]
                },
            ]
        );
        assert!(needs(&query("a = 1 or b = 2")).is_empty());
    }

    #[test]
    fn a_block_is_ruled_out_only_by_what_it_lacks() {
        let id = key_hash(None, &KeyRef::Text("req-1"));
        let n42 = key_hash(Some(&["user_id".to_string()]), &KeyRef::Number(42.0));
        let b = block([0, 0, 5, 0, 1, 0, 0], Some((100, 200)), &[id, n42]);
        let fields = vec![vec!["user_id".to_string()]];
        let check = |e: Expr| needs(&e).iter().all(|n| n.may_match(&b, &fields));
        assert!(check(Expr::Cid(vec!["req-1".into()])));
        assert!(!check(Expr::Cid(vec!["req-2".into()])));
        assert!(check(query("cid = \"req-1\"")));
        assert!(check(query("user_id = 42")));
        assert!(check(query("user_id = 42.0")));
        assert!(!check(query("user_id = 43")));
        // A field the index does not hold rules nothing out.
        assert!(check(query("org = 7")));
        assert!(check(Expr::Level(LevelFilter::parse("warn").unwrap())));
        assert!(!check(Expr::Level(LevelFilter::parse("error").unwrap())));
        assert!(check(query("level >= warning")));
        assert!(!check(query("level > warning")));
        let window = |s: i128, u: i128| Expr::Time {
            since: Some(Timestamp(s)),
            until: Some(Timestamp(u)),
        };
        assert!(check(window(200, 300)));
        assert!(!check(window(201, 300)));
        assert!(check(window(0, 101)));
        assert!(!check(window(0, 100)));
        let empty = block([0; 7], None, &[]);
        assert!(!needs(&window(0, 1000))[0].may_match(&empty, &fields));
    }
}
