//! `--jq` filters: the `select(...)` subset of jq (SPEC §4), equal to jq 1.6.
//!
//! A filter is pasted from a jq pipeline: `select(COND)`, several such
//! stages joined by `|`, or a bare `COND`. The record is kept exactly when
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
//! `ascii_downcase`, `ascii_upcase`, `length`, `has(k)`, `type`. Anything
//! else is refused by the parser with the construct's name and column.
//!
//! Text records (Python `logging`, loguru's text format) are seen as the
//! object `{"time", "level", "module", "message"}` of their parts; unparsed
//! lines never match (jq would stop at them).

mod eval;
mod lexer;
mod parse;
mod regex;

use super::{is_plain_literal, Context};
use crate::filter::syntax::ParseError;
use crate::filter::value::Val;
use crate::record::{Format, Record};
use eval::{run, Ctl, Input};
use parse::{Ast, Builtin, CmpOp};

/// A parsed `--jq` filter: the conditions of its `select` stages.
#[derive(Debug, Clone)]
pub struct Filter {
    conds: Vec<Ast>,
}

impl Filter {
    /// Parses a filter. Errors point at a column and name what is wrong,
    /// e.g. `map(.a)`: "'map' is not supported by --jq (supported: …)".
    pub fn parse(s: &str) -> Result<Filter, ParseError> {
        let stages = parse::parse(s)?;
        let conds = conditions(s, stages)?;
        Ok(Filter { conds })
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
        self.conds
            .iter()
            .filter_map(needles)
            .max_by_key(|n| n.iter().map(String::len).min().unwrap_or(0))
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

/// Literals of which the raw record holds one whenever `ast` is truthy.
fn needles(ast: &Ast) -> Option<Vec<String>> {
    match ast {
        Ast::And(a, b) => match (needles(a), needles(b)) {
            (Some(x), Some(y)) => {
                let min = |n: &Vec<String>| n.iter().map(String::len).min().unwrap_or(0);
                Some(if min(&y) > min(&x) { y } else { x })
            }
            (x, y) => x.or(y),
        },
        Ast::Or(a, b) => {
            let mut all = needles(a)?;
            all.extend(needles(b)?);
            Some(all)
        }
        Ast::Cmp(a, CmpOp::Eq, b) => match (&**a, &**b) {
            (p, Ast::Lit(Val::Str(s))) | (Ast::Lit(Val::Str(s)), p)
                if is_record_path(p) && is_plain_literal(s) =>
            {
                Some(vec![s.clone()])
            }
            _ => None,
        },
        _ => None,
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
/// the top-level pipe (`.` stages change nothing), or the whole program when it has no `select`. Any
/// other use of `select` is refused, since the output would not be the
/// record itself.
fn conditions(src: &str, stages: Vec<(usize, Ast)>) -> Result<Vec<Ast>, ParseError> {
    let has_select = stages.iter().any(|(_, s)| matches!(s, Ast::Select(..)));
    if !has_select {
        let whole = stages
            .into_iter()
            .map(|(_, s)| s)
            .rev()
            .reduce(|acc, s| Ast::Pipe(Box::new(s), Box::new(acc)))
            .unwrap_or(Ast::Identity);
        check_no_select(src, &whole)?;
        return Ok(vec![whole]);
    }
    let mut conds = Vec::new();
    for (at, s) in stages {
        match s {
            Ast::Select(c, _) => {
                check_no_select(src, &c)?;
                conds.push(*c);
            }
            // `select(a) | .`: the record, unchanged.
            Ast::Identity => {}
            _ => {
                return Err(ParseError::new(
                    src,
                    at,
                    "only select(...) stages can be chained with '|' in --jq (the output must be the record itself)",
                ))
            }
        }
    }
    Ok(conds)
}

/// Where the first nested `select` is, if any.
fn first_select(ast: &Ast) -> Option<usize> {
    match ast {
        Ast::Select(_, at) => Some(*at),
        Ast::Identity | Ast::Lit(_) => None,
        Ast::Index(a, _) | Ast::IndexOpt(a, _) | Ast::Try(a) => first_select(a),
        Ast::Pipe(a, b) | Ast::Alt(a, b) | Ast::And(a, b) | Ast::Or(a, b) | Ast::Cmp(a, _, b) => {
            first_select(a).or_else(|| first_select(b))
        }
        Ast::Call(b) => match b {
            Builtin::Contains(a)
            | Builtin::StartsWith(a)
            | Builtin::EndsWith(a)
            | Builtin::Has(a) => first_select(a),
            _ => None,
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
