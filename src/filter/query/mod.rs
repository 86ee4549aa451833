//! `-q` field queries (SPEC §3): `duration_ms > 1000 or status = "failed"`.
//!
//! Owns the query language and its evaluation on one record; the grammar is
//! in [`parse`]. A field is a dotted path into the record (`context.org_id`,
//! `ctx."a.b"` for keys with dots) or one of the role names `level`,
//! `message`, `module`, `time`, `cid`, `service`, `category`, which mean the
//! roles of SPEC §2 whatever the source field is called (`.level`, or a
//! quoted `"level"`, is the raw field). `cid` holds when any correlation
//! field does.
//!
//! Comparisons go by kind: a bare number compares numerically with numbers
//! and numeric strings; `time` values are times (anything `--since`
//! accepts); `level` values are levels, by severity; anything else compares
//! as text (a quoted value is always text). `~` is "contains", `=~` a regex,
//! `like` a glob, all case-sensitive. A test on a missing or null field is
//! false, `!=` included: write `not (f = v)` to keep records without `f`.

mod lexer;
mod parse;

use super::needles::{self, is_plain_literal, Shape};
use super::op::Op;
use super::Context;
use crate::filter::syntax::ParseError;
use crate::filter::value::decode::parse_number;
use crate::record::{Field, Level, Record, Role, Timestamp};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::borrow::Cow;

/// A parsed `-q` expression.
#[derive(Debug, Clone)]
pub struct Query {
    root: Node,
}

/// A node of the query tree.
#[derive(Debug, Clone)]
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// `exists(field)`: present and not null.
    Exists(Target),
    Test(Target, Test),
}

/// What a test looks at.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    Role(Role),
    Path(Vec<String>),
}

/// A value on the right of an operator, read for its target.
#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Str(String),
    /// A bare number, with its text.
    Num(f64, String),
    Time(Timestamp),
    Level(Level),
}

#[derive(Debug, Clone)]
enum Test {
    Cmp(Op, Operand),
    In(Vec<Operand>),
    Contains(String),
    Regex(regex::Regex),
    Like(globset::GlobMatcher),
}

impl Query {
    /// Parses a query with an explicit clock (`time > -15m`) and whether
    /// zone-less times are local. Errors point at a column, e.g. for
    /// `duration_ms >`: "expected a value after '>', found the end".
    pub fn parse_at(s: &str, now: DateTime<Utc>, local: bool) -> Result<Query, ParseError> {
        let root = parse::parse(s, &parse::Clock { now, local })?;
        Ok(Query { root })
    }

    /// Whether the record passes.
    pub fn matches(&self, r: &Record, cx: &Context) -> bool {
        r.is_valid() && eval(&self.root, r, cx)
    }

    /// The record paths the query tests (`context.org_id` → `["context",
    /// "org_id"]`), roles left out, each once.
    pub fn paths(&self) -> Vec<Vec<String>> {
        fn walk(n: &Node, out: &mut Vec<Vec<String>>) {
            match n {
                Node::And(v) | Node::Or(v) => v.iter().for_each(|n| walk(n, out)),
                Node::Not(n) => walk(n, out),
                Node::Exists(Target::Path(p)) | Node::Test(Target::Path(p), _) => {
                    if !out.contains(p) {
                        out.push(p.clone());
                    }
                }
                Node::Exists(Target::Role(_)) | Node::Test(Target::Role(_), _) => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out
    }

    /// The tests every match passes that an index can check: the leaves
    /// AND-ed at the top of the query (nothing under `or` or `not`).
    pub fn musts(&self) -> Vec<Must> {
        let mut out = Vec::new();
        let mut stack = vec![&self.root];
        while let Some(n) = stack.pop() {
            match n {
                Node::And(v) => stack.extend(v),
                Node::Test(t, test) => out.extend(must(t, test)),
                _ => {}
            }
        }
        out
    }

    /// Literals a matching record must contain: the text of `field = word`
    /// tests (or of every value of `in`) that every match needs.
    pub fn needles(&self) -> Option<Vec<String>> {
        needles::pick(&self.root, &needle_shape)
    }
}

/// A test that every match of a query passes, in the terms an index keeps
/// (see [`Query::musts`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Must {
    /// Some correlation field (`path: None`) or the field at `path` equals
    /// one of these values.
    Equals {
        path: Option<Vec<String>>,
        values: Vec<Key>,
    },
    /// The record's level compares so with this one (`Op::Eq` for each of
    /// an `in` list).
    Level(Vec<(Op, Level)>),
    /// The record's time compares so with this one.
    Time(Vec<(Op, Timestamp)>),
}

/// A value as an equality test compares it: text for a quoted value, a
/// number for a bare one (see [`Key::of`] for a record's side).
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Text(String),
    Number(f64),
}

impl Key {
    /// The keys under which `= v` may find the field `f`: its text, and its
    /// number when it is a number or a string holding one. An equality
    /// with a quoted value holds exactly when the text keys are equal, with
    /// a bare number exactly when the numbers are.
    pub fn of<'f>(f: &'f Field<'_>) -> (Option<Cow<'f, str>>, Option<f64>) {
        (f.as_text(), number(f))
    }
}

fn must(t: &Target, test: &Test) -> Option<Must> {
    let key = |v: &Operand| match v {
        Operand::Str(s) => Some(Key::Text(s.clone())),
        Operand::Num(n, _) => Some(Key::Number(*n)),
        Operand::Time(_) | Operand::Level(_) => None,
    };
    let path = match t {
        Target::Role(Role::Cid) => None,
        Target::Path(p) => Some(p.clone()),
        Target::Role(Role::Level) => {
            return match test {
                Test::Cmp(op, Operand::Level(l)) => Some(Must::Level(vec![(*op, *l)])),
                Test::In(vs) => vs
                    .iter()
                    .map(|v| match v {
                        Operand::Level(l) => Some((Op::Eq, *l)),
                        _ => None,
                    })
                    .collect::<Option<_>>()
                    .map(Must::Level),
                _ => None,
            }
        }
        Target::Role(Role::Time) => {
            return match test {
                Test::Cmp(op, Operand::Time(x)) => Some(Must::Time(vec![(*op, *x)])),
                Test::In(vs) => vs
                    .iter()
                    .map(|v| match v {
                        Operand::Time(x) => Some((Op::Eq, *x)),
                        _ => None,
                    })
                    .collect::<Option<_>>()
                    .map(Must::Time),
                _ => None,
            }
        }
        Target::Role(_) => return None,
    };
    let values = match test {
        Test::Cmp(Op::Eq, v) => vec![key(v)?],
        Test::In(vs) => vs.iter().map(key).collect::<Option<_>>()?,
        _ => return None,
    };
    Some(Must::Equals { path, values })
}

fn eval(n: &Node, r: &Record, cx: &Context) -> bool {
    match n {
        Node::And(v) => v.iter().all(|n| eval(n, r, cx)),
        Node::Or(v) => v.iter().any(|n| eval(n, r, cx)),
        Node::Not(n) => !eval(n, r, cx),
        Node::Exists(t) => !fields(t, r, cx).is_empty(),
        Node::Test(Target::Role(Role::Time), Test::Cmp(op, Operand::Time(t))) => {
            r.time(cx.roles).is_some_and(|rt| op.holds(rt.cmp(t)))
        }
        Node::Test(Target::Role(Role::Time), Test::In(vs)) => r
            .time(cx.roles)
            .is_some_and(|rt| vs.contains(&Operand::Time(rt))),
        Node::Test(Target::Role(Role::Level), Test::Cmp(op, Operand::Level(l))) => {
            r.level(cx.roles).is_some_and(|rl| op.holds(rl.cmp(l)))
        }
        Node::Test(Target::Role(Role::Level), Test::In(vs)) => r
            .level(cx.roles)
            .is_some_and(|rl| vs.contains(&Operand::Level(rl))),
        Node::Test(t, test) => {
            let fs = fields(t, r, cx);
            match test {
                // Not equal: there is a value, and none is equal.
                Test::Cmp(Op::Ne, v) => !fs.is_empty() && !fs.iter().any(|f| compare(f, Op::Eq, v)),
                Test::Cmp(op, v) => fs.iter().any(|f| compare(f, *op, v)),
                Test::In(vs) => fs.iter().any(|f| vs.iter().any(|v| compare(f, Op::Eq, v))),
                Test::Contains(s) => fs
                    .iter()
                    .any(|f| text(f).is_some_and(|t| t.contains(s.as_str()))),
                Test::Regex(re) => fs.iter().any(|f| text(f).is_some_and(|t| re.is_match(&t))),
                Test::Like(g) => fs
                    .iter()
                    .any(|f| text(f).is_some_and(|t| g.is_match(t.as_ref()))),
            }
        }
    }
}

/// The non-null values a target has in the record (several for `cid`).
fn fields<'a>(t: &Target, r: &Record<'a>, cx: &Context) -> Vec<Field<'a>> {
    let found = match t {
        Target::Role(Role::Cid) => r.cids(cx.roles),
        Target::Role(Role::Category) => r
            .category(cx.roles, cx.category)
            .map(|c| Field::Owned(Value::String(c)))
            .into_iter()
            .collect(),
        Target::Role(role) => r.role(*role, cx.roles).into_iter().collect(),
        Target::Path(p) => r.field(p).into_iter().collect(),
    };
    found.into_iter().filter(|f| !is_null(f)).collect()
}

fn is_null(f: &Field) -> bool {
    match f {
        Field::Raw(raw) => raw.get() == "null",
        Field::Owned(v) => v.is_null(),
        Field::Text(_) | Field::Word(_) => false,
    }
}

/// A field as text: strings as they are, numbers and booleans as written,
/// arrays and objects as compact JSON (so `~` can search inside them).
fn text<'f>(f: &'f Field) -> Option<Cow<'f, str>> {
    f.as_text().or_else(|| match f {
        Field::Raw(raw) => Some(Cow::Owned(
            serde_json::from_str::<Value>(raw.get()).ok()?.to_string(),
        )),
        Field::Owned(v) => Some(Cow::Owned(v.to_string())),
        Field::Text(_) | Field::Word(_) => None,
    })
}

/// A field as a number: a JSON number, or a string holding one.
fn number(f: &Field) -> Option<f64> {
    match f {
        Field::Raw(raw) => {
            let s = raw.get();
            match s.as_bytes().first()? {
                b'"' => parse_number(&f.as_str()?),
                _ => parse_number(s),
            }
        }
        Field::Owned(Value::Number(n)) => n.as_f64(),
        Field::Owned(Value::String(s)) => parse_number(s),
        Field::Owned(_) => None,
        Field::Text(s) | Field::Word(s) => parse_number(s),
    }
}

fn compare(f: &Field, op: Op, v: &Operand) -> bool {
    match v {
        Operand::Num(n, _) => number(f)
            .and_then(|x| x.partial_cmp(n))
            .is_some_and(|o| op.holds(o)),
        Operand::Str(s) => f
            .as_text()
            .is_some_and(|t| op.holds(t.as_bytes().cmp(s.as_bytes()))),
        // Only reachable through a raw path such as `.time`, which parses
        // its values as text; kept total for safety.
        Operand::Time(t) => f
            .as_str()
            .and_then(|s| Timestamp::parse(&s))
            .is_some_and(|x| op.holds(x.cmp(t))),
        Operand::Level(l) => f
            .as_text()
            .and_then(|s| Level::parse(&s))
            .is_some_and(|x| op.holds(x.cmp(l))),
    }
}

/// Whether the values of a target are raw text of the line (not derived
/// from a folder name or a parsed level or time).
fn is_raw_target(t: &Target) -> bool {
    match t {
        Target::Path(_) => true,
        Target::Role(r) => matches!(r, Role::Message | Role::Module | Role::Cid | Role::Service),
    }
}

/// How [`needles::pick`] sees a node: the text of `field = word` tests (or
/// of every value of `in`) on a field whose value the raw line spells.
fn needle_shape(n: &Node) -> Shape<'_, Node> {
    let words = |vs: &[&Operand]| -> Option<Vec<String>> {
        vs.iter()
            .map(|v| match v {
                Operand::Str(s) if is_plain_literal(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    };
    match n {
        Node::And(v) => Shape::All(v),
        Node::Or(v) => Shape::Any(v),
        Node::Test(t, Test::Cmp(Op::Eq, v)) if is_raw_target(t) => Shape::Leaf(words(&[v])),
        Node::Test(t, Test::In(vs)) if is_raw_target(t) => {
            Shape::Leaf(words(&vs.iter().collect::<Vec<_>>()))
        }
        _ => Shape::Leaf(None),
    }
}

#[cfg(test)]
mod tests;
