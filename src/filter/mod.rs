//! Which records are kept: one expression tree for every way of filtering.
//!
//! The convenience flags (`-l`, `-m`, `-c`, `--since`, `-g`, `--category`),
//! `-q` and `--jq` all compile into one [`Expr`], AND-ed at the top, and are
//! evaluated by one function ([`Expr::matches`]). The same tree tells the
//! scanner which literals a matching line must contain ([`Expr::needles`],
//! by the one rule of [`needles`]), so the raw-byte prefilter serves every
//! filter language. Filters see a record and its [`Context`] only: the
//! clock and time zone are resolved by `settings` before parsing.

pub mod jq;
pub mod needles;
pub mod op;
pub mod query;
pub mod syntax;
pub mod timespec;
pub mod value;

use crate::record::quick::plain_str;
use crate::record::{
    quick_role, quick_time, Classified, Level, LevelFilter, Quick, Record, Role, RoleMap, Timestamp,
};
use globset::GlobSet;
use needles::{is_plain_literal, Shape};
use regex::bytes::Regex as BytesRegex;
use regex::Regex;

/// What a filter can see besides the record: where it came from.
#[derive(Debug, Clone, Copy)]
pub struct Context<'c> {
    pub roles: &'c RoleMap,
    /// The category given by the file's folder (SPEC §1), if any.
    pub category: Option<&'c str>,
}

/// The `-m` filter: globs that must match (any), globs that must not.
#[derive(Debug, Clone)]
pub struct ModuleGlobs {
    pub include: Option<GlobSet>,
    pub exclude: Option<GlobSet>,
    /// For each include glob, a literal every matching module contains
    /// (`None` when some glob has none, like `*`).
    pub literals: Option<Vec<String>>,
}

/// The `-g` filter: a regex over the message, or over the raw record text.
#[derive(Debug, Clone)]
pub struct Grep {
    pub regex: Regex,
    pub bytes: BytesRegex,
    pub whole_line: bool,
    /// The plain literal searched, when `-F` was given without `-i`.
    pub literal: Option<String>,
    /// The pattern has no `^`, `$`, `\A` or `\z`, so a match within part of
    /// a line is a match within the line.
    pub is_unanchored: bool,
}

/// A filter expression. Leaves are the predicates of SPEC §3.
#[derive(Debug, Clone)]
pub enum Expr {
    /// Keeps everything.
    True,
    And(Vec<Expr>),
    Level(LevelFilter),
    Module(ModuleGlobs),
    /// Any correlation field equals one of these ids.
    Cid(Vec<String>),
    /// Time in the half-open range [since, until). Records without a time fail.
    Time {
        since: Option<Timestamp>,
        until: Option<Timestamp>,
    },
    Grep(Grep),
    Category(Vec<String>),
    /// A `-q` query.
    Query(query::Query),
    /// A `--jq` filter.
    Jq(jq::Filter),
}

impl Expr {
    /// AND of several expressions, simplified.
    pub fn all(mut parts: Vec<Expr>) -> Expr {
        parts.retain(|p| !matches!(p, Expr::True));
        match parts.len() {
            0 => Expr::True,
            1 => parts.pop().unwrap_or(Expr::True),
            _ => Expr::And(parts),
        }
    }

    /// Whether the record passes.
    pub fn matches(&self, r: &Record, cx: &Context) -> bool {
        match self {
            Expr::True => true,
            Expr::And(v) => v.iter().all(|e| e.matches(r, cx)),
            Expr::Level(f) => r.level(cx.roles).is_some_and(|l| f.is_match(l)),
            Expr::Module(g) => {
                let module = r.role_text(Role::Module, cx.roles);
                let m = module.as_deref().unwrap_or("");
                g.include
                    .as_ref()
                    .is_none_or(|set| module.is_some() && set.is_match(m))
                    && g.exclude.as_ref().is_none_or(|set| !set.is_match(m))
            }
            Expr::Cid(ids) => r
                .cids(cx.roles)
                .iter()
                .any(|f| f.as_text().is_some_and(|t| ids.iter().any(|id| *id == *t))),
            Expr::Time { since, until } => match r.time(cx.roles) {
                Some(t) => since.is_none_or(|s| t >= s) && until.is_none_or(|u| t < u),
                None => false,
            },
            Expr::Grep(g) => {
                if g.whole_line {
                    g.bytes.is_match(r.line.as_bytes())
                } else {
                    r.role(Role::Message, cx.roles)
                        .and_then(|f| f.as_text().map(|t| g.regex.is_match(&t)))
                        .unwrap_or(false)
                }
            }
            Expr::Category(names) => r
                .category(cx.roles, cx.category)
                .is_some_and(|c| names.contains(&c)),
            Expr::Query(q) => q.matches(r, cx),
            Expr::Jq(f) => f.matches(r, cx),
        }
    }

    /// What [`Expr::matches`] would answer, when a quick look at the raw line
    /// is enough to know; `None` when the record must be parsed. `Some(true)`
    /// assumes the line is a valid JSON record (the scanner checks that).
    /// `raw` is the whole record (a text record's continuation lines too),
    /// `line` its first line classified.
    pub fn quick_eval(&self, raw: &[u8], line: &Classified, roles: &RoleMap) -> Option<bool> {
        match self {
            Expr::True => Some(true),
            Expr::And(v) => {
                let mut all = Some(true);
                for e in v {
                    match e.quick_eval(raw, line, roles) {
                        Some(false) => return Some(false),
                        Some(true) => {}
                        None => all = None,
                    }
                }
                all
            }
            Expr::Level(f) => match quick_role(line, Role::Level, roles) {
                Quick::Absent => Some(false),
                Quick::Value(v) => {
                    plain_str(v).map(|s| Level::parse(s).is_some_and(|l| f.is_match(l)))
                }
                Quick::Unknown => None,
            },
            Expr::Time { since, until } => {
                let t = quick_time(line, roles)?;
                Some(t.is_some_and(|t| since.is_none_or(|s| t >= s) && until.is_none_or(|u| t < u)))
            }
            Expr::Module(g) => match quick_role(line, Role::Module, roles) {
                Quick::Absent if g.include.is_some() => Some(false),
                Quick::Absent => None,
                Quick::Value(v) => plain_str(v).map(|m| {
                    g.include.as_ref().is_none_or(|set| set.is_match(m))
                        && g.exclude.as_ref().is_none_or(|set| !set.is_match(m))
                }),
                Quick::Unknown => None,
            },
            // Without escapes in the line, a match in the message (or the
            // text after a docker prefix) is a match in the raw line, unless
            // the regex is anchored to where the text starts or ends.
            Expr::Grep(g) => {
                let rejects = g.is_unanchored
                    && !raw.contains(&b'\\')
                    && !g.bytes.is_match(raw)
                    && std::str::from_utf8(raw).is_ok();
                rejects.then_some(false)
            }
            _ => None,
        }
    }

    /// Literals of which a matching record's raw text must contain at least
    /// one, if this expression implies any (`None`: no prefilter possible).
    pub fn needles(&self) -> Option<Vec<String>> {
        self.needles_in(false)
    }

    /// [`Expr::needles`] for text records, whose heads imply values they do
    /// not spell (uvicorn's module, the level of a Django request line): only
    /// correlation ids and message literals, which a text line writes out.
    pub fn text_needles(&self) -> Option<Vec<String>> {
        self.needles_in(true)
    }

    fn needles_in(&self, text: bool) -> Option<Vec<String>> {
        needles::pick(self, &|e: &Expr| e.needle_shape(text))
    }

    /// How [`needles::pick`] sees this node (`text`: see [`Expr::text_needles`]).
    fn needle_shape(&self, text: bool) -> Shape<'_, Expr> {
        Shape::Leaf(match self {
            Expr::And(v) => return Shape::All(v),
            Expr::Module(_) | Expr::Query(_) | Expr::Jq(_) if text => None,
            Expr::Cid(ids) => ids
                .iter()
                .all(|id| is_plain_literal(id))
                .then(|| ids.clone()),
            Expr::Grep(g) => g
                .literal
                .clone()
                .filter(|l| is_plain_literal(l))
                .map(|l| vec![l]),
            Expr::Module(g) => g
                .literals
                .clone()
                .filter(|ls| ls.iter().all(|l| is_plain_literal(l))),
            Expr::Query(q) => q.needles(),
            Expr::Jq(f) => f.needles(),
            _ => None,
        })
    }

    /// The time bounds every matching record lies in, for seeking and for
    /// skipping files by the date in their name.
    pub fn time_bounds(&self) -> (Option<Timestamp>, Option<Timestamp>) {
        match self {
            Expr::Time { since, until } => (*since, *until),
            Expr::And(v) => v.iter().fold((None, None), |(s, u), e| {
                let (s2, u2) = e.time_bounds();
                (
                    s.max(s2),
                    match (u, u2) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    },
                )
            }),
            _ => (None, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::classify;

    fn cx(roles: &RoleMap) -> Context<'_> {
        Context {
            roles,
            category: Some("app"),
        }
    }

    #[test]
    fn cid_matches_any_alias() {
        let roles = RoleMap::default();
        let e = Expr::Cid(vec!["r-1".into()]);
        assert!(e.matches(
            &Record::parse(r#"{"extra":{"request_id":"r-1"}}"#),
            &cx(&roles)
        ));
        assert!(e.matches(
            &Record::parse(r#"{"traceId":"x","requestId":"r-1"}"#),
            &cx(&roles)
        ));
        assert!(!e.matches(&Record::parse(r#"{"message":"r-1"}"#), &cx(&roles)));
    }

    #[test]
    fn category_falls_back_to_folder() {
        let roles = RoleMap::default();
        let e = Expr::Category(vec!["app".into()]);
        assert!(e.matches(&Record::parse(r#"{"a":1}"#), &cx(&roles)));
        assert!(!e.matches(&Record::parse(r#"{"category":"audit"}"#), &cx(&roles)));
    }

    #[test]
    fn needles_of_and() {
        let e = Expr::all(vec![
            Expr::Level(LevelFilter::parse("warn").unwrap()),
            Expr::Cid(vec!["abc".into()]),
        ]);
        assert_eq!(e.needles(), Some(vec!["abc".to_string()]));
        let e = Expr::all(vec![
            Expr::Cid(vec!["a1".into(), "b2".into()]),
            Expr::Level(LevelFilter::parse("warn").unwrap()),
        ]);
        assert_eq!(e.needles(), Some(vec!["a1".to_string(), "b2".to_string()]));
        assert_eq!(Expr::Cid(vec!["a\"b".into()]).needles(), None);
    }

    #[test]
    fn quick_reject_agrees_with_full_evaluation() {
        let roles = RoleMap::default();
        let rejects = |e: &Expr, line: &str| {
            e.quick_eval(line.as_bytes(), &classify(line.as_bytes()), &roles) == Some(false)
        };
        let exprs = [
            Expr::Level(LevelFilter::parse("error").unwrap()),
            Expr::Level(LevelFilter::parse("=warn").unwrap()),
            Expr::Time {
                since: Timestamp::parse("2024-01-15T10:00:00Z"),
                until: Timestamp::parse("2024-01-15T11:00:00Z"),
            },
        ];
        let lines = [
            r#"{"level":"ERROR","timestamp":"2024-01-15T10:30:00Z"}"#,
            r#"{"level":"info","timestamp":"2024-01-15T09:30:00Z"}"#,
            r#"{"severity":"warn","level":"error","ts":1705314600}"#,
            r#"{"level":null,"severity":"error","time":"2024-01-15T11:00:00Z"}"#,
            r#"{"log":{"level":"error"},"time":"bad"}"#,
            r#"{"level":40,"ts":1705314600000}"#,
            r#"{"level":"error","timestamp":"2024-01-15T10:30:00Z"}"#,
            r#"{"lvl":"WARNING","level":"bogus"}"#,
            r#"api-1 | {"level":"error","time":"2024-01-15T10:59:59.999Z"}"#,
            r#"{"text":"x","record":{"level":{"name":"ERROR"},"time":{"repr":"2024-01-15 10:30:00+00:00"},"message":"m"}}"#,
            r#"{"message":"no level or time"}"#,
            r#"{"level":"info","x":{"level":"error"},"level":"error","timestamp":"2024-01-15T10:30:00Z"}"#,
            r#"{"level":"error","msg":"has "level" in it","timestamp":"2024-01-15T10:30:00Z"}"#,
            r#"{"level":"info","text":"t","record":{"level":{"name":"ERROR"},"time":{"repr":"2024-01-15 10:30:00+00:00"},"message":"m"}}"#,
        ];
        for e in &exprs {
            for line in lines {
                let rec = Record::parse(line);
                let full = e.matches(&rec, &cx(&roles));
                if rejects(e, line) {
                    assert!(!full, "quick rejected a match: {line} for {e:?}");
                }
            }
        }
        let e = &exprs[0];
        assert!(rejects(e, lines[1]));
        assert!(rejects(e, lines[10]));
        assert!(!rejects(e, lines[5]));
        assert!(!rejects(e, lines[11]), "a later duplicate key wins");
        assert!(!rejects(e, lines[13]), "a loguru record after the key");
    }

    #[test]
    fn time_bounds_intersect() {
        let t = |n| Some(Timestamp(n));
        let e = Expr::all(vec![
            Expr::Time {
                since: t(5),
                until: t(50),
            },
            Expr::Time {
                since: t(10),
                until: None,
            },
        ]);
        assert_eq!(e.time_bounds(), (t(10), t(50)));
    }
}
