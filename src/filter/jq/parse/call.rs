//! Constants and builtin calls of the `--jq` subset: `["a", 1]`,
//! `{"k": true}`, `test("x"; "i")`, `IN(.a, .b; "x")`, `any(.[]; . > 1)`.
//!
//! Owns each builtin's arity and arguments (generators only where jq takes
//! them) and the refusal, by name, of every builtin outside the subset.

use super::{unsupported, Parser, GENERATORS, KEYWORDS};
use crate::filter::jq::ast::{Ast, Builtin};
use crate::filter::jq::lexer::{Spanned, Tok};
use crate::filter::jq::regex::Pattern;
use crate::filter::op::Op;
use crate::filter::syntax::ParseError;
use crate::filter::value::Val;
use indexmap::IndexMap;

impl Parser<'_> {
    /// A constant array or object (`["a", 1]`, `{"k": [true]}`), as `contains` takes.
    pub(super) fn constant(&mut self) -> Result<Val, ParseError> {
        let Some(s) = self.peek().cloned() else {
            return Err(self.err_at(self.end_at(), "expected a value, found the end"));
        };
        let at = s.at;
        self.pos += 1;
        let not_const = |p: &Self, at| {
            p.err_at(
                at,
                unsupported("a computed value inside [...] or {...} (only constants)"),
            )
        };
        match s.tok {
            Tok::Num(n) => Ok(Val::Num(n)),
            Tok::Str(s) => Ok(Val::Str(s)),
            Tok::Punct("-") => match self.peek().map(|s| &s.tok) {
                Some(Tok::Num(n)) => {
                    let n = *n;
                    self.pos += 1;
                    Ok(Val::Num(-n))
                }
                _ => Err(not_const(self, at)),
            },
            Tok::Ident(i) if i == "true" => Ok(Val::Bool(true)),
            Tok::Ident(i) if i == "false" => Ok(Val::Bool(false)),
            Tok::Ident(i) if i == "null" => Ok(Val::Null),
            Tok::Punct("[") => {
                let mut items = Vec::new();
                if !self.peek_punct("]") {
                    loop {
                        items.push(self.nested(Self::constant_item)?);
                        if !self.peek_punct(",") {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                self.expect("]", Some(at))?;
                Ok(Val::Arr(items))
            }
            Tok::Punct("{") => {
                let mut map = IndexMap::new();
                if !self.peek_punct("}") {
                    loop {
                        let key_at = self.at();
                        let key = match self.peek().map(|s| &s.tok) {
                            Some(Tok::Str(k)) => k.clone(),
                            Some(Tok::Ident(k))
                                if !KEYWORDS.contains(&k.as_str()) && !k.contains("::") =>
                            {
                                k.clone()
                            }
                            _ => {
                                return Err(self
                                    .err_at(key_at, "expected an object key (a name or a string)"))
                            }
                        };
                        self.pos += 1;
                        if !self.peek_punct(":") {
                            return Err(self.err_at(
                                self.at(),
                                unsupported("object shorthand '{key}' (write {\"key\": value})"),
                            ));
                        }
                        self.pos += 1;
                        let v = self.nested(Self::constant_item)?;
                        map.insert(key, v);
                        if !self.peek_punct(",") {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                self.expect("}", Some(at))?;
                Ok(Val::Obj(map))
            }
            _ => Err(not_const(self, at)),
        }
    }

    /// An element of a constant: a constant not followed by an operator.
    fn constant_item(&mut self) -> Result<Val, ParseError> {
        let v = self.constant()?;
        match self.peek() {
            Some(Spanned {
                tok: Tok::Punct("," | "]" | "}"),
                ..
            })
            | None => Ok(v),
            Some(t) => Err(self.err_at(
                t.at,
                unsupported("a computed value inside [...] or {...} (only constants)"),
            )),
        }
    }

    fn args(&mut self, name: &str, at: usize) -> Result<Vec<Ast>, ParseError> {
        if !self.peek_punct("(") {
            return Ok(Vec::new());
        }
        let open = self.at();
        self.pos += 1;
        let mut args = Vec::new();
        let generator = GENERATORS.contains(&name);
        loop {
            self.generators += usize::from(generator);
            let arg = self.nested(Self::pipe);
            self.generators -= usize::from(generator);
            match arg {
                Ok(a) => args.push(a),
                Err(e) if name == "test" && e.message.starts_with("',' (several outputs)") => {
                    return Err(self.err_at(
                        at,
                        format!("{name}(...) separates its arguments with ';', not ','"),
                    ))
                }
                Err(e) => return Err(e),
            }
            if !self.peek_punct(";") {
                break;
            }
            self.pos += 1;
        }
        self.expect(")", Some(open))?;
        Ok(args)
    }

    pub(super) fn call(&mut self, name: &str, at: usize) -> Result<Ast, ParseError> {
        // jq's `. == s` inside `IN`: the input against each output of `s`.
        let is_input = |s: Box<Ast>| Ast::Cmp(Box::new(Ast::Identity), Op::Eq, s);
        match name {
            "true" => return Ok(Ast::Lit(Val::Bool(true))),
            "false" => return Ok(Ast::Lit(Val::Bool(false))),
            "null" => return Ok(Ast::Lit(Val::Null)),
            "and" | "or" => {
                return Err(self.err_at(at, format!("expected an expression before '{name}'")))
            }
            "not"
                if self.peek().is_some_and(|t| match &t.tok {
                    Tok::Ident(i) => i != "and" && i != "or",
                    Tok::Punct(_) => false,
                    _ => true,
                }) =>
            {
                return Err(self.err_at(
                    at,
                    "'not' is a filter in jq: write 'COND | not', not 'not COND'",
                ))
            }
            _ => {}
        }
        if KEYWORDS.contains(&name) || name == "__loc__" {
            return Err(self.err_at(at, unsupported(&format!("'{name}'"))));
        }
        let args = self.args(name, at)?;
        let arity = |n: usize| -> Result<(), ParseError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(self.err_at(
                    at,
                    format!(
                        "{name} takes {n} argument{}, not {}",
                        if n == 1 { "" } else { "s" },
                        args.len()
                    ),
                ))
            }
        };
        let n = args.len();
        let mut args = args.clone().into_iter();
        let mut arg = || Box::new(args.next().unwrap_or(Ast::Identity));
        let b = match name {
            "not" => arity(0).map(|()| Builtin::Not)?,
            "length" => arity(0).map(|()| Builtin::Length)?,
            "ascii_downcase" => arity(0).map(|()| Builtin::AsciiDowncase)?,
            "ascii_upcase" => arity(0).map(|()| Builtin::AsciiUpcase)?,
            "type" => arity(0).map(|()| Builtin::Type)?,
            "contains" => arity(1).map(|()| Builtin::Contains(arg()))?,
            "startswith" => arity(1).map(|()| Builtin::StartsWith(arg()))?,
            "endswith" => arity(1).map(|()| Builtin::EndsWith(arg()))?,
            "has" => arity(1).map(|()| Builtin::Has(arg()))?,
            "IN" => match n {
                1 => Builtin::In(Box::new(is_input(arg()))),
                2 => {
                    let src = arg();
                    Builtin::InOf(src, Box::new(is_input(arg())))
                }
                n => return Err(self.err_at(at, format!("IN takes 1 or 2 arguments, not {n}"))),
            },
            "any" | "all" => {
                let (generator, cond) = match n {
                    0 => (None, Box::new(Ast::Identity)),
                    1 => (None, arg()),
                    2 => (Some(arg()), arg()),
                    n => {
                        return Err(
                            self.err_at(at, format!("{name} takes 0 to 2 arguments, not {n}"))
                        )
                    }
                };
                if name == "any" {
                    Builtin::Any(generator, cond)
                } else {
                    Builtin::All(generator, cond)
                }
            }
            "select" => {
                arity(1)?;
                return Ok(Ast::Select(arg(), at));
            }
            "test" => {
                if !(1..=2).contains(&n) {
                    return Err(self.err_at(at, format!("test takes 1 or 2 arguments, not {n}")));
                }
                let re =
                    match args.next() {
                        Some(Ast::Lit(Val::Str(s))) => s,
                        _ => return Err(self.err_at(
                            at,
                            "test(...) needs a literal regex string, e.g. test(\"warn\"; \"i\")",
                        )),
                    };
                let flags = match args.next() {
                    None | Some(Ast::Lit(Val::Null)) => String::new(),
                    Some(Ast::Lit(Val::Str(s))) => s,
                    Some(_) => {
                        return Err(self.err_at(
                            at,
                            "test(...) needs literal flags, e.g. test(\"warn\"; \"i\")",
                        ))
                    }
                };
                let p = Pattern::new(&re, &flags).map_err(|e| self.err_at(at, e))?;
                Builtin::Test(Box::new(p))
            }
            _ => return Err(self.err_at(at, unsupported(&format!("'{name}'")))),
        };
        Ok(Ast::Call(b))
    }
}
