//! Evaluating the `--jq` subset exactly as jq 1.6 does, one record at a time.
//!
//! Every expression of the subset yields at most one value, so a result is a
//! value, no output ("empty", from `.a?` on a non-object), or a runtime
//! error. The difference matters: `//` falls back on empty but passes errors
//! on (jq 1.6), `?` turns an error into empty, and `select` keeps the record
//! only for a truthy value. Evaluation order follows jq where it shows:
//! `and`/`or` look at the left side first and short-circuit; comparisons
//! evaluate the right side first.
//!
//! The record is looked at lazily: `.key` reads one raw top-level value of a
//! JSON line; only `.` used as a whole decodes every field.

use super::parse::{Ast, Builtin, CmpOp, Key};
use crate::filter::value::Val;
use crate::record::json::Object;
use std::cmp::Ordering;

/// A jq runtime error (the message is not kept: the record is just dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fail;

/// A value, or no output.
pub type Out = Result<Option<Val>, Fail>;

/// The input of an expression.
#[derive(Debug, Clone, Copy)]
pub enum Input<'x, 'a> {
    /// A JSON record's top-level object, not decoded yet.
    Root(&'x Object<'a>),
    Val(&'x Val),
}

/// Unwraps a value or returns "no output" / the error.
macro_rules! val {
    ($e:expr) => {
        match $e? {
            Some(v) => v,
            None => return Ok(None),
        }
    };
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

/// Evaluates `ast` on `input`.
pub fn eval(ast: &Ast, input: Input) -> Out {
    match ast {
        Ast::Identity => input.to_val().map(Some),
        Ast::Lit(v) => Ok(Some(v.clone())),
        Ast::Index(base, key) => {
            if let (Ast::Identity, Input::Root(o), Key::Str(k)) = (&**base, input, key) {
                return match o.get(k) {
                    Some(raw) => Val::parse_json(raw.get()).map(Some).ok_or(Fail),
                    None => Ok(Some(Val::Null)),
                };
            }
            let v = val!(eval(base, input));
            index(&v, key).map(Some)
        }
        Ast::Try(e) => match eval(e, input) {
            Err(Fail) => Ok(None),
            ok => ok,
        },
        Ast::Pipe(a, b) => {
            let v = val!(eval(a, input));
            eval(b, Input::Val(&v))
        }
        Ast::Alt(a, b) => match eval(a, input)? {
            Some(v) if v.is_truthy() => Ok(Some(v)),
            _ => eval(b, input),
        },
        Ast::And(a, b) => {
            if !val!(eval(a, input)).is_truthy() {
                return Ok(Some(Val::Bool(false)));
            }
            Ok(Some(Val::Bool(val!(eval(b, input)).is_truthy())))
        }
        Ast::Or(a, b) => {
            if val!(eval(a, input)).is_truthy() {
                return Ok(Some(Val::Bool(true)));
            }
            Ok(Some(Val::Bool(val!(eval(b, input)).is_truthy())))
        }
        Ast::Cmp(a, op, b) => {
            let right = val!(eval(b, input));
            let left = val!(eval(a, input));
            Ok(Some(Val::Bool(compare(&left, *op, &right))))
        }
        Ast::Call(b) => call(b, input),
        // `conditions` keeps `select` out of the evaluated trees; as a
        // filter it would be `if c then . else empty end`.
        Ast::Select(c, _) => {
            if val!(eval(c, input)).is_truthy() {
                input.to_val().map(Some)
            } else {
                Ok(None)
            }
        }
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

fn call(b: &Builtin, input: Input) -> Out {
    // Facts about the root object that need no decoding.
    if let Input::Root(_) = input {
        match b {
            Builtin::Not => return Ok(Some(Val::Bool(false))),
            Builtin::Type => return Ok(Some(Val::Str("object".into()))),
            _ => {}
        }
    }
    let arg = |a: &Ast| eval(a, input);
    let out = match b {
        Builtin::Not => Val::Bool(!input.to_val()?.is_truthy()),
        Builtin::Type => Val::Str(input.to_val()?.type_name().into()),
        Builtin::Length => match input.to_val()? {
            Val::Null => Val::Num(0.0),
            Val::Bool(_) => return Err(Fail),
            Val::Num(n) => Val::Num(n.abs()),
            Val::Str(s) => Val::Num(s.chars().count() as f64),
            Val::Arr(a) => Val::Num(a.len() as f64),
            Val::Obj(m) => Val::Num(m.len() as f64),
        },
        Builtin::AsciiDowncase => match input.to_val()? {
            Val::Str(s) => Val::Str(s.to_ascii_lowercase()),
            _ => return Err(Fail),
        },
        Builtin::AsciiUpcase => match input.to_val()? {
            Val::Str(s) => Val::Str(s.to_ascii_uppercase()),
            _ => return Err(Fail),
        },
        Builtin::Contains(a) => {
            let b = val!(arg(a));
            let v = input.to_val()?;
            if !v.same_kind(&b) {
                return Err(Fail);
            }
            Val::Bool(v.jq_contains(&b))
        }
        Builtin::StartsWith(a) | Builtin::EndsWith(a) => {
            let p = val!(arg(a));
            match (input.to_val()?, p) {
                (Val::Str(s), Val::Str(p)) => Val::Bool(if matches!(b, Builtin::StartsWith(_)) {
                    s.starts_with(&p)
                } else {
                    s.ends_with(&p)
                }),
                _ => return Err(Fail),
            }
        }
        Builtin::Has(a) => {
            let k = val!(arg(a));
            let found = match (input, &k) {
                (Input::Root(o), Val::Str(k)) => o.has(k),
                _ => match (input.to_val()?, &k) {
                    (Val::Null, _) => false,
                    (Val::Obj(m), Val::Str(k)) => m.contains_key(k),
                    (Val::Arr(a), Val::Num(n)) => {
                        // C's `(int)` cast: toward zero; out-of-range values
                        // are never a valid index either way.
                        let i = n.trunc();
                        i >= 0.0 && i < a.len() as f64
                    }
                    _ => return Err(Fail),
                },
            };
            Val::Bool(found)
        }
        Builtin::Test(p) => match input.to_val()? {
            Val::Str(s) => Val::Bool(p.is_match(&s)),
            _ => return Err(Fail),
        },
    };
    Ok(Some(out))
}
