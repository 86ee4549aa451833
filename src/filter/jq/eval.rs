//! Evaluating the `--jq` subset exactly as jq 1.6 does, one record at a time.
//!
//! jq is a backtracking machine, and its quirks show through even in this
//! small subset, so evaluation follows its control flow: an expression
//! hands each of its outputs to a continuation (`k`, "what happens next")
//! and then reports how it ended: [`Ctl::Back`] (no more outputs; jq
//! backtracks) or [`Ctl::Raise`] (a runtime error is unwinding). What that
//! reproduces, checked against jq 1.6 (see `tests.rs` and `tests/it/jq_diff.rs`):
//!
//! - no output ("empty", e.g. `.a?` on a string) and an error are different:
//!   `//` falls back on the first but passes the second on;
//! - `EXPR?` (jq's `try`) turns into "no more output" every error raised
//!   after it started, *including errors raised downstream of its output*
//!   (jq 1.6 bug #1859, fixed in 1.7): `((.t)? and .s.x) // true` is true;
//! - `TERM.key?` only silences that index's own error (jq 1.6 `INDEX_OPT`);
//! - `and`/`or` look at their left side first and short-circuit;
//!   comparisons evaluate their right side first.
//!
//! The record is looked at lazily: `.key` reads one raw top-level value of a
//! JSON line; only `.` used as a whole decodes every field.

use super::parse::{Ast, Builtin, CmpOp, Key};
use crate::filter::value::Val;
use crate::record::json::Object;
use std::cmp::Ordering;

/// How an expression ended, after giving its outputs to the continuation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctl {
    /// No more outputs: jq backtracks.
    Back,
    /// A runtime error is unwinding (its message is not kept: the record is
    /// simply not selected).
    Raise,
}

/// What happens to each output of an expression.
pub type K<'k> = &'k mut dyn FnMut(Val) -> Ctl;

/// A runtime error of one builtin or index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fail;

/// The input of an expression.
#[derive(Debug, Clone, Copy)]
pub enum Input<'x, 'a> {
    /// A JSON record's top-level object, not decoded yet.
    Root(&'x Object<'a>),
    Val(&'x Val),
}

impl Input<'_, '_> {
    fn to_val(self) -> Result<Val, Fail> {
        match self {
            Input::Val(v) => Ok(v.clone()),
            Input::Root(o) => {
                let mut map = std::collections::BTreeMap::new();
                for (k, raw) in o.entries() {
                    map.insert(k.to_string(), Val::parse_json(raw.get()).ok_or(Fail)?);
                }
                Ok(Val::Obj(map))
            }
        }
    }
}

/// Gives `v` to the continuation, or raises.
fn emit(v: Result<Val, Fail>, k: K) -> Ctl {
    match v {
        Ok(v) => k(v),
        Err(Fail) => Ctl::Raise,
    }
}

/// Runs `ast` on `input`, handing each output to `k`.
pub fn run(ast: &Ast, input: Input, k: K) -> Ctl {
    match ast {
        Ast::Identity => emit(input.to_val(), k),
        Ast::Lit(v) => k(v.clone()),
        Ast::Index(base, key) | Ast::IndexOpt(base, key) => {
            let opt = matches!(ast, Ast::IndexOpt(..));
            let mut step = |v: Result<Val, Fail>| match v {
                Ok(v) => k(v),
                Err(Fail) if opt => Ctl::Back,
                Err(Fail) => Ctl::Raise,
            };
            if let (Ast::Identity, Input::Root(o), Key::Str(name)) = (&**base, input, key) {
                return step(match o.get(name) {
                    Some(raw) => Val::parse_json(raw.get()).ok_or(Fail),
                    None => Ok(Val::Null),
                });
            }
            run(base, input, &mut |v| step(index(&v, key)))
        }
        // jq 1.6's FORK_OPT catches whatever is raised while it is on the
        // stack, downstream of its output included.
        Ast::Try(e) => {
            let _ = run(e, input, k);
            Ctl::Back
        }
        Ast::Pipe(a, b) => run(a, input, &mut |v| run(b, Input::Val(&v), &mut *k)),
        Ast::Alt(a, b) => {
            let mut found = false;
            let end = run(a, input, &mut |v| {
                if v.is_truthy() {
                    found = true;
                    k(v)
                } else {
                    Ctl::Back
                }
            });
            match end {
                Ctl::Raise => Ctl::Raise,
                Ctl::Back if found => Ctl::Back,
                Ctl::Back => run(b, input, k),
            }
        }
        Ast::And(a, b) => run(a, input, &mut |va| {
            if va.is_truthy() {
                run(b, input, &mut |vb| k(Val::Bool(vb.is_truthy())))
            } else {
                k(Val::Bool(false))
            }
        }),
        Ast::Or(a, b) => run(a, input, &mut |va| {
            if va.is_truthy() {
                k(Val::Bool(true))
            } else {
                run(b, input, &mut |vb| k(Val::Bool(vb.is_truthy())))
            }
        }),
        Ast::Cmp(a, op, b) => run(b, input, &mut |right| {
            run(a, input, &mut |left| {
                k(Val::Bool(compare(&left, *op, &right)))
            })
        }),
        Ast::Call(b) => call(b, input, k),
        // `conditions` keeps `select` out of the evaluated trees; as a
        // filter it is `if c then . else empty end`.
        Ast::Select(c, _) => run(c, input, &mut |v| {
            if v.is_truthy() {
                emit(input.to_val(), &mut *k)
            } else {
                Ctl::Back
            }
        }),
    }
}

/// `left OP right` with jq's ordering.
pub fn compare(left: &Val, op: CmpOp, right: &Val) -> bool {
    let o = left.jq_cmp(right);
    match op {
        CmpOp::Eq => o == Ordering::Equal,
        CmpOp::Ne => o != Ordering::Equal,
        CmpOp::Lt => o == Ordering::Less,
        CmpOp::Le => o != Ordering::Greater,
        CmpOp::Gt => o == Ordering::Greater,
        CmpOp::Ge => o != Ordering::Less,
    }
}

/// jq 1.6's `jv_get`: objects by string, arrays by integer (negative from
/// the end, out of range or fractional is null), null by anything is null.
fn index(v: &Val, key: &Key) -> Result<Val, Fail> {
    match (v, key) {
        (Val::Obj(m), Key::Str(k)) => Ok(m.get(k).cloned().unwrap_or(Val::Null)),
        (Val::Null, _) => Ok(Val::Null),
        (Val::Arr(a), Key::Num(n)) => {
            if !is_c_int(*n) {
                return Ok(Val::Null);
            }
            let mut i = *n as i64;
            if i < 0 {
                i += a.len() as i64;
            }
            Ok(usize::try_from(i)
                .ok()
                .and_then(|i| a.get(i))
                .cloned()
                .unwrap_or(Val::Null))
        }
        _ => Err(Fail),
    }
}

/// jq 1.6's `jv_is_integer`: a whole number within C `int` range.
fn is_c_int(n: f64) -> bool {
    n >= f64::from(i32::MIN) && n <= f64::from(i32::MAX) && n == n.trunc()
}

fn call(b: &Builtin, input: Input, k: K) -> Ctl {
    // Facts about the root object that need no decoding.
    if let Input::Root(_) = input {
        match b {
            Builtin::Not => return k(Val::Bool(false)),
            Builtin::Type => return k(Val::Str("object".into())),
            _ => {}
        }
    }
    match b {
        Builtin::Contains(a) => run(a, input, &mut |arg| {
            emit(
                input.to_val().and_then(|v| {
                    if v.same_kind(&arg) {
                        Ok(Val::Bool(v.jq_contains(&arg)))
                    } else {
                        Err(Fail)
                    }
                }),
                &mut *k,
            )
        }),
        Builtin::StartsWith(a) | Builtin::EndsWith(a) => run(a, input, &mut |arg| {
            let out = match (input.to_val(), arg) {
                (Ok(Val::Str(s)), Val::Str(p)) => {
                    Ok(Val::Bool(if matches!(b, Builtin::StartsWith(_)) {
                        s.starts_with(&p)
                    } else {
                        s.ends_with(&p)
                    }))
                }
                _ => Err(Fail),
            };
            emit(out, &mut *k)
        }),
        Builtin::Has(a) => run(a, input, &mut |key| emit(has(input, &key), &mut *k)),
        _ => emit(input.to_val().and_then(|v| simple(b, v)), k),
    }
}

/// `has(key)`: objects by string, arrays by index, null never.
fn has(input: Input, key: &Val) -> Result<Val, Fail> {
    if let (Input::Root(o), Val::Str(name)) = (input, key) {
        return Ok(Val::Bool(o.has(name)));
    }
    let found = match (input.to_val()?, key) {
        (Val::Null, _) => false,
        (Val::Obj(m), Val::Str(name)) => m.contains_key(name),
        (Val::Arr(a), Val::Num(n)) => {
            // C's `(int)` cast truncates toward zero; out-of-range values
            // are never a valid index either way.
            let i = n.trunc();
            i >= 0.0 && i < a.len() as f64
        }
        _ => return Err(Fail),
    };
    Ok(Val::Bool(found))
}

/// The builtins without arguments, and `test`.
fn simple(b: &Builtin, v: Val) -> Result<Val, Fail> {
    Ok(match (b, v) {
        (Builtin::Not, v) => Val::Bool(!v.is_truthy()),
        (Builtin::Type, v) => Val::Str(v.type_name().into()),
        (Builtin::Length, v) => match v {
            Val::Null => Val::Num(0.0),
            Val::Bool(_) => return Err(Fail),
            Val::Num(n) => Val::Num(n.abs()),
            Val::Str(s) => Val::Num(s.chars().count() as f64),
            Val::Arr(a) => Val::Num(a.len() as f64),
            Val::Obj(m) => Val::Num(m.len() as f64),
        },
        (Builtin::AsciiDowncase, Val::Str(s)) => Val::Str(s.to_ascii_lowercase()),
        (Builtin::AsciiUpcase, Val::Str(s)) => Val::Str(s.to_ascii_uppercase()),
        (Builtin::Test(p), Val::Str(s)) => Val::Bool(p.is_match(&s)),
        _ => return Err(Fail),
    })
}
