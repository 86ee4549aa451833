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
//!   comparisons evaluate their right side first;
//! - `IN`, `any` and `all` are jq 1.6's definitions in `builtin.jq`, run
//!   step by step: `any(g; c)` stops its generator only at the output
//!   *after* the first true condition (so an error there still counts),
//!   counts every true output of `c` for one element (`any(1; true, true)`
//!   is false), takes `null` as its state after an element for which `c`
//!   gave no output (`[1, null] | all(.a?)` is true), and its `break` is an
//!   error that `EXPR?` inside the generator swallows, as jq 1.6's
//!   `label`/`break` are built on errors.
//!
//! The record is looked at lazily: `.key` reads one raw top-level value of a
//! JSON line; only `.` used as a whole decodes every field.

use super::ast::{Ast, Builtin, Key};
use crate::filter::op::Op;
use crate::filter::value::Val;
use crate::record::json::Object;

/// How an expression ended, after giving its outputs to the continuation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctl {
    /// No more outputs: jq backtracks.
    Back,
    /// A runtime error is unwinding (its message is not kept: the record is
    /// simply not selected).
    Raise,
    /// `break $label` is unwinding to the `label` with this id. In jq 1.6 a
    /// break is an error: `EXPR?` swallows it, `//` passes it on.
    Break(u32),
}

thread_local! {
    /// Ids of the labels of `IN`, `any` and `all` (one per call).
    static LABELS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// A fresh label id.
fn label() -> u32 {
    LABELS.with(|l| {
        let id = l.get().wrapping_add(1);
        l.set(id);
        id
    })
}

/// How a `label` ends: its own break is the end of the generator, any
/// other unwinding goes on.
fn caught(end: Ctl, id: u32) -> Option<Ctl> {
    match end {
        Ctl::Back => None,
        Ctl::Break(b) if b == id => None,
        other => Some(other),
    }
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
                let mut map = indexmap::IndexMap::new();
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

/// Runs `p0 or p1 or …` (`decisive` true) or `p0 and p1 and …` (false)
/// as jq runs the left-nested `((p0 or p1) or …)`, without recursing once
/// per operand, so that 5,000 terms do not overflow the stack (issue 13).
///
/// jq evaluates `a or b` as: for each output of `a`, `true` if it is truthy,
/// else each output of `b` as a boolean. Down the chain a decisive value
/// passes every later operand untouched, so the outputs are a depth-first
/// walk over the non-decisive ones. An operand's outputs depend only on
/// `input`, so each operand runs once, when the walk first reaches it, and
/// its booleans and how it ended are replayed on later visits.
fn chain(parts: &[Ast], decisive: bool, input: Input, k: K) -> Ctl {
    let mut seen: Vec<(Vec<bool>, Ctl)> = Vec::new();
    // The operand being walked and the index of its next output, per level.
    let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
    while let Some(top) = stack.last_mut() {
        let (level, next) = *top;
        if seen.len() == level {
            let mut outs = Vec::new();
            let end = run(&parts[level], input, &mut |v| {
                outs.push(v.is_truthy());
                Ctl::Back
            });
            seen.push((outs, end));
        }
        let (outs, end) = &seen[level];
        let Some(&b) = outs.get(next) else {
            // This operand is done: a raise or break unwinds the whole chain.
            if *end != Ctl::Back {
                return *end;
            }
            stack.pop();
            continue;
        };
        top.1 += 1;
        if b == decisive || level + 1 == parts.len() {
            match k(Val::Bool(b)) {
                Ctl::Back => {}
                unwinding => return unwinding,
            }
        } else {
            stack.push((level + 1, 0));
        }
    }
    Ctl::Back
}

/// Runs a chain as jq nests it, `((p0 or p1) or …)`: for a chain whose
/// operands hold a `try`, which catches what is raised downstream of its
/// output, later operands included. The parser caps such chains at
/// `MAX_DEPTH` operands, which bounds the recursion.
fn nested(parts: &[Ast], decisive: bool, input: Input, k: K) -> Ctl {
    let Some((last, init)) = parts.split_last() else {
        return Ctl::Back;
    };
    if init.is_empty() {
        return run(last, input, &mut |v| k(Val::Bool(v.is_truthy())));
    }
    nested(init, decisive, input, &mut |v| {
        if v.is_truthy() == decisive {
            k(Val::Bool(decisive))
        } else {
            run(last, input, &mut |w| k(Val::Bool(w.is_truthy())))
        }
    })
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
        Ast::Comma(a, b) => match run(a, input, k) {
            Ctl::Back => run(b, input, k),
            unwinding => unwinding,
        },
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
                Ctl::Back if found => Ctl::Back,
                Ctl::Back => run(b, input, k),
                unwinding => unwinding,
            }
        }
        Ast::And(parts, false) => chain(parts, false, input, k),
        Ast::Or(parts, false) => chain(parts, true, input, k),
        Ast::And(parts, true) => nested(parts, false, input, k),
        Ast::Or(parts, true) => nested(parts, true, input, k),
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
pub fn compare(left: &Val, op: Op, right: &Val) -> bool {
    op.holds(left.jq_cmp(right))
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
        Builtin::In(is_input) => match is_in(is_input, input) {
            Ok(found) => k(Val::Bool(found)),
            Err(unwinding) => unwinding,
        },
        Builtin::InOf(src, is_input) => {
            let mut found = false;
            let end = run(src, input, &mut |v| match is_in(is_input, Input::Val(&v)) {
                Ok(f) => {
                    found |= f;
                    Ctl::Back
                }
                Err(unwinding) => unwinding,
            });
            match end {
                Ctl::Back => k(Val::Bool(found)),
                unwinding => unwinding,
            }
        }
        Builtin::Any(generator, cond) => quantify(true, generator.as_deref(), cond, input, k),
        Builtin::All(generator, cond) => quantify(false, generator.as_deref(), cond, input, k),
        _ => emit(input.to_val().and_then(|v| simple(b, v)), k),
    }
}

/// `IN(s)`, given `. == s`: `reduce (first(select(. == s)) | true) as $v
/// (false; if . or $v then true else false end)`. `first` breaks out at
/// the first true comparison; `Err` is an error or a foreign break.
fn is_in(is_input: &Ast, input: Input) -> Result<bool, Ctl> {
    let id = label();
    let mut found = false;
    let end = run(is_input, input, &mut |eq| {
        if eq.is_truthy() {
            found = true;
            Ctl::Break(id)
        } else {
            Ctl::Back
        }
    });
    match caught(end, id) {
        None => Ok(found),
        Some(unwinding) => Err(unwinding),
    }
}

/// jq 1.6's `any(g; c)` (`is_any`) and `all(g; c)`:
///
/// ```text
/// [label $out | foreach g as $i (false;
///     if . then break $out elif $i | c then true else . end;
///     if . then . else empty end)] | length == 1
/// ```
///
/// and the same for `all` with `true`, `.|not` and `length == 0`. Without
/// a generator, `g` is `.[]`. jq 1.6's `foreach` moves its state out of
/// its variable before the update (`LOADVN`) and stores each output back:
/// an update with no output (`$i | .a?` on a number) leaves `null` as the
/// state, and so does a `break` that `EXPR?` swallowed.
fn quantify(is_any: bool, generator: Option<&Ast>, cond: &Ast, input: Input, k: K) -> Ctl {
    let id = label();
    // The foreach state: `Some(bool)`, or `None` for jq's `null`.
    let mut state = Some(!is_any);
    // How many states the extract let through.
    let mut collected = 0usize;
    let truthy = |s: Option<bool>| s == Some(true);
    let mut each = |i: Val| -> Ctl {
        let old = state.take();
        // `if . then break` (any), `if .|not then break` (all).
        if truthy(old) == is_any {
            return Ctl::Break(id);
        }
        run(cond, Input::Val(&i), &mut |c| {
            // Every output of `c` is a new state, computed from the old one.
            state = if c.is_truthy() == is_any {
                Some(is_any)
            } else {
                old
            };
            if truthy(state) == is_any {
                collected += 1;
            }
            Ctl::Back
        })
    };
    let end = match generator {
        Some(g) => run(g, input, &mut each),
        None => match input.to_val() {
            Ok(Val::Arr(items)) => iterate(items, &mut each),
            Ok(Val::Obj(map)) => iterate(map.into_values().collect(), &mut each),
            _ => Ctl::Raise,
        },
    };
    if let Some(unwinding) = caught(end, id) {
        return unwinding;
    }
    k(Val::Bool(if is_any {
        collected == 1
    } else {
        collected == 0
    }))
}

/// `.[]`: each value in turn, until one unwinds.
fn iterate(items: Vec<Val>, each: &mut dyn FnMut(Val) -> Ctl) -> Ctl {
    for v in items {
        match each(v) {
            Ctl::Back => {}
            unwinding => return unwinding,
        }
    }
    Ctl::Back
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
