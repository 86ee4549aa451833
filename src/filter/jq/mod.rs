//! `--jq` filters: the `select(...)` subset of jq (SPEC §4), equal to jq 1.6.
//!
//! A filter is pasted from a jq pipeline: `select(COND)`, or several such
//! stages joined by `|` (`.` stages allowed). Anything else prints values
//! in jq, not records (`.level`, `.a == 1`), and is refused with the way to
//! do it: `logq … -o raw | jq '.level'`. The record is kept exactly when
//! jq's `select` would output it: the conditions yield truthy values (only
//! `false` and `null` are false); a runtime error (`null | contains("x")`)
//! or no output (`.a?` on a string) drops the record, as jq prints an error
//! or nothing for that input and goes on with the next. The evaluator
//! (`eval`) follows jq 1.6 down to its quirks (`?` also silences errors
//! raised after it).
//!
//! The subset: paths (`.a.b`, `.["a-b"]`, `."a-b"`, `.[0]`, `?`), literals
//! (constant arrays and objects included), `==` `!=` `<` `<=` `>` `>=` with
//! jq's ordering across types, `and`, `or`, `not`, `//`, parentheses, `|`,
//! and `contains`, `startswith`, `endswith`, `test(re; flags)`,
//! `ascii_downcase`, `ascii_upcase`, `length`, `has(k)`, `type`, and
//! `IN(s)`, `IN(src; s)`, `any`, `all` (with `,` in their generator
//! arguments only). Anything else is refused by the parser with the
//! construct's name and column.
//!
//! Text records (Python `logging`, loguru's text format) are seen as the
//! object `{"time", "level", "module", "message"}` of their parts; unparsed
//! lines never match (jq would stop at them).

mod ast;
mod eval;
mod lexer;
mod parse;
mod regex;

use super::needles::{self, is_plain_literal, Shape};
use super::Context;
use crate::filter::op::Op;
pub use crate::filter::syntax::ParseError;
use crate::filter::value::Val;
use crate::record::{Format, Record};
use ast::{Ast, Builtin, Key};
use eval::{run, Ctl, Input};

/// A parsed `--jq` filter: the conditions of its `select` stages.
#[derive(Debug, Clone)]
pub struct Filter {
    conds: Vec<Ast>,
}

/// Why a `--jq` program is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Malformed, or outside the subset, at a column: `map(.a)` gives
    /// "'map' is not supported by --jq (supported: …)".
    #[error(transparent)]
    Syntax(#[from] ParseError),
    /// A program that prints values in jq rather than records: `.level`
    /// gives "--jq takes select(...) filters; to print a field, use: logq …
    /// -o raw | jq '.level'".
    #[error("--jq takes select(...) filters; {hint}")]
    NotSelect { hint: String },
}

impl Filter {
    /// Parses a filter. Errors name what is wrong (see [`Error`]).
    pub fn parse(s: &str) -> Result<Filter, Error> {
        let stages = parse::parse(s)?;
        let conds = conditions(s, stages)?;
        Ok(Filter { conds })
    }

    /// The record paths the conditions read (`.a.b` → `["a", "b"]`), so
    /// that a path no record has can be pointed out.
    pub fn paths(&self) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        for c in &self.conds {
            record_paths(c, &mut out);
        }
        out
    }

    /// Whether jq's `select` would output the record.
    pub fn matches(&self, r: &Record, _cx: &Context) -> bool {
        let text_value;
        let input = match r.format() {
            Format::Json | Format::Loguru if r.object().is_some() => match r.object() {
                Some(o) => Input::Root(o),
                None => return false,
            },
            // Text records, and wrapped lines (logcli) whose record is inside.
            Format::Json | Format::Loguru | Format::Text => {
                text_value = Val::from_serde(&r.to_value());
                Input::Val(&text_value)
            }
            Format::Invalid => return false,
        };
        let mut kept = false;
        // The record is printed by jq once the last stage lets it through,
        // even if an error is raised afterwards while backtracking.
        let _ = stages(&self.conds, input, &mut kept);
        kept
    }

    /// Literals a matching record must contain: the string of a
    /// `.path == "literal"` that every match needs.
    pub fn needles(&self) -> Option<Vec<String>> {
        needles::pick_all(&self.conds, &needle_shape)
    }
}

/// Runs `select(c1) | select(c2) | …` on the record: each truthy output of
/// a stage's condition lets the record on to the next stage.
fn stages(conds: &[Ast], input: Input, kept: &mut bool) -> Ctl {
    match conds.split_first() {
        None => {
            *kept = true;
            Ctl::Back
        }
        Some((c, rest)) => run(c, input, &mut |v| {
            if v.is_truthy() {
                stages(rest, input, kept)
            } else {
                Ctl::Back
            }
        }),
    }
}

/// How [`needles::pick`] sees a node: the string of a `.path == "literal"`,
/// which the raw record holds whenever the comparison is true.
fn needle_shape(ast: &Ast) -> Shape<'_, Ast> {
    match ast {
        Ast::And(parts, _) => Shape::All(parts),
        Ast::Or(parts, _) => Shape::Any(parts),
        Ast::Cmp(a, Op::Eq, b) => Shape::Leaf(match (&**a, &**b) {
            (p, Ast::Lit(Val::Str(s))) | (Ast::Lit(Val::Str(s)), p)
                if is_record_path(p) && is_plain_literal(s) =>
            {
                Some(vec![s.clone()])
            }
            _ => None,
        }),
        _ => Shape::Leaf(None),
    }
}

/// Whether the expression is a path into the record (its value is a part
/// of the raw line).
fn is_record_path(ast: &Ast) -> bool {
    match ast {
        Ast::Index(base, _) | Ast::IndexOpt(base, _) => {
            matches!(**base, Ast::Identity) || is_record_path(base)
        }
        Ast::Try(e) => is_record_path(e),
        _ => false,
    }
}

/// The conditions of a program: the operand of each `select(...)` stage of
/// the top-level pipe (`.` stages change nothing; `.` alone keeps every
/// record). Any other stage, or `select` used inside an expression, is
/// refused, since jq's output would not be the record itself; the refusal
/// says how to get that output (`-o raw | jq`).
fn conditions(src: &str, stages: Vec<(usize, Ast)>) -> Result<Vec<Ast>, Error> {
    let has_select = stages.iter().any(|(_, s)| matches!(s, Ast::Select(..)));
    if !has_select {
        // `.` (or `. | .`) outputs every record, as jq does.
        if stages.iter().all(|(_, s)| matches!(s, Ast::Identity)) {
            return Ok(Vec::new());
        }
        for (_, s) in &stages {
            check_no_select(src, s)?;
        }
        return Err(not_select(src, &stages));
    }
    let mut conds = Vec::new();
    let mut stages = stages.into_iter().enumerate().peekable();
    while let Some((i, (at, s))) = stages.next() {
        match s {
            Ast::Select(c, _) => {
                check_no_select(src, &c)?;
                conds.push(*c);
            }
            // `select(a) | .`: the record, unchanged.
            Ast::Identity => {}
            // `.b | select(.a)` prints values of `.b`: jq's business.
            _ if i == 0 => {
                return Err(Error::NotSelect {
                    hint: format!(
                        "to print values, use: logq … -o raw | jq {}",
                        quoted(src.trim())
                    ),
                })
            }
            // `select(.a) | .b`: logq selects, jq prints.
            s => {
                let rest: Vec<(usize, Ast)> = std::iter::once((at, s))
                    .chain(stages.map(|(_, st)| st))
                    .collect();
                return Err(print_after_select(src, at, &rest));
            }
        }
    }
    Ok(conds)
}

/// Quotes for a shell's single quotes.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The refusal of `select(...) | .b`: the selecting part is for `--jq`,
/// the rest for jq after `-o raw`.
fn print_after_select(src: &str, at: usize, rest: &[(usize, Ast)]) -> Error {
    let head = src.get(..at).unwrap_or("").trim_end();
    let head = head.strip_suffix('|').unwrap_or(head).trim();
    let tail = src.get(at..).unwrap_or("").trim();
    let what = if matches!(rest, [(_, a)] if is_record_path(a)) {
        "a field"
    } else {
        "values"
    };
    Error::NotSelect {
        hint: format!(
            "to print {what} of the records it selects, use: logq --jq {} … -o raw | jq {}",
            quoted(head),
            quoted(tail)
        ),
    }
}

/// The refusal of a program without `select`, showing both ways: to keep
/// records, `select(...)`; to print values, jq after `-o raw` (the records
/// as they were written, so jq sees the fields it was given).
fn not_select(src: &str, stages: &[(usize, Ast)]) -> Error {
    let program = src.trim();
    let jq = format!("logq … -o raw | jq {}", quoted(program));
    let is_path = matches!(stages, [(_, a)] if is_record_path(a));
    let hint = if is_path {
        format!("to print a field, use: {jq}")
    } else {
        format!(
            "to keep the records where it holds, write --jq {}; to print its value, use: {jq}",
            quoted(&format!("select({program})"))
        )
    };
    Error::NotSelect { hint }
}

/// Adds the record paths `ast` reads, from the record itself (not from a
/// value piped in): `.a.b`, `.["x"]`, the left side of `|`.
fn record_paths(ast: &Ast, out: &mut Vec<Vec<String>>) {
    match ast {
        Ast::Index(..) | Ast::IndexOpt(..) | Ast::Try(_) => {
            if let Some(p) = path_of(ast) {
                if !p.is_empty() && !out.contains(&p) {
                    out.push(p);
                }
            } else if let Ast::Try(e) = ast {
                record_paths(e, out);
            }
        }
        Ast::Pipe(a, _) => record_paths(a, out),
        Ast::Comma(a, b) | Ast::Alt(a, b) | Ast::Cmp(a, _, b) => {
            record_paths(a, out);
            record_paths(b, out);
        }
        Ast::And(parts, _) | Ast::Or(parts, _) => parts.iter().for_each(|p| record_paths(p, out)),
        Ast::Call(Builtin::Has(_)) | Ast::Identity | Ast::Lit(_) | Ast::Select(..) => {}
        Ast::Call(b) => match b {
            Builtin::Contains(a) | Builtin::StartsWith(a) | Builtin::EndsWith(a) => {
                record_paths(a, out)
            }
            Builtin::In(a) | Builtin::InOf(a, _) => record_paths(a, out),
            _ => {}
        },
    }
}

/// The keys of a path from the record (`.a.b?` → `["a", "b"]`), when the
/// expression is one.
fn path_of(ast: &Ast) -> Option<Vec<String>> {
    match ast {
        Ast::Identity => Some(Vec::new()),
        Ast::Index(base, Key::Str(k)) | Ast::IndexOpt(base, Key::Str(k)) => {
            let mut p = path_of(base)?;
            p.push(k.clone());
            Some(p)
        }
        Ast::Try(e) => path_of(e),
        _ => None,
    }
}

/// Where the first nested `select` is, if any.
fn first_select(ast: &Ast) -> Option<usize> {
    match ast {
        Ast::Select(_, at) => Some(*at),
        Ast::Identity | Ast::Lit(_) => None,
        Ast::Index(a, _) | Ast::IndexOpt(a, _) | Ast::Try(a) => first_select(a),
        Ast::Pipe(a, b) | Ast::Comma(a, b) | Ast::Alt(a, b) | Ast::Cmp(a, _, b) => {
            first_select(a).or_else(|| first_select(b))
        }
        Ast::And(parts, _) | Ast::Or(parts, _) => parts.iter().find_map(first_select),
        Ast::Call(b) => match b {
            Builtin::Contains(a)
            | Builtin::StartsWith(a)
            | Builtin::EndsWith(a)
            | Builtin::Has(a)
            | Builtin::In(a)
            | Builtin::Any(None, a)
            | Builtin::All(None, a) => first_select(a),
            Builtin::InOf(a, b) | Builtin::Any(Some(a), b) | Builtin::All(Some(a), b) => {
                first_select(a).or_else(|| first_select(b))
            }
            Builtin::Not
            | Builtin::Length
            | Builtin::AsciiDowncase
            | Builtin::AsciiUpcase
            | Builtin::Type
            | Builtin::Test(_) => None,
        },
    }
}

fn check_no_select(src: &str, ast: &Ast) -> Result<(), ParseError> {
    match first_select(ast) {
        Some(at) => Err(ParseError::new(
            src,
            at,
            "select(...) is only supported as a whole stage: select(COND) | select(COND)",
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
