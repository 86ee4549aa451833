//! The `--jq` subset's grammar: tokens to an [`Ast`], refusing the rest.
//!
//! Precedence follows jq's `parser.y`, lowest first: `|` (right), `//`
//! (right), `or`, `and`, comparisons (not chainable), postfix paths and `?`.
//! Every construct of jq outside the subset is refused here, by name, with
//! the column where it starts: the filter either means what it means in jq
//! or does not run at all (issue 3). Constants and calls of builtins are
//! parsed in [`call`]; the tree is [`ast`](super::ast)'s.

use super::ast::{Ast, Key};
use super::lexer::{lex, Spanned, Tok};
use crate::filter::op::Op;
use crate::filter::syntax::ParseError;
use crate::filter::value::Val;

mod call;

const KEYWORDS: [&str; 14] = [
    "if", "then", "elif", "else", "end", "as", "def", "reduce", "foreach", "try", "catch", "label",
    "import", "include",
];

/// What the subset offers, repeated in "not supported" errors.
const SUPPORTED: &str = "supported: paths, literals, == != < <= > >=, and, or, not, //, \
contains, startswith, endswith, test, ascii_downcase, ascii_upcase, length, has, type, \
IN, any, all, select";

/// The builtins whose arguments are generators, where `,` may appear.
const GENERATORS: [&str; 3] = ["IN", "any", "all"];

/// Parses a whole program into its top-level pipe stages, each with the
/// offset where it starts.
pub fn parse(src: &str) -> Result<Vec<(usize, Ast)>, ParseError> {
    let toks = lex(src)?;
    let mut p = Parser {
        src,
        toks,
        pos: 0,
        depth: 0,
        tries: 0,
        generators: 0,
    };
    if p.toks.is_empty() {
        return Err(ParseError::new(src, 0, "empty filter"));
    }
    let mut stages = Vec::new();
    loop {
        let at = p.at();
        stages.push((at, p.alt()?));
        if p.peek_punct(",") {
            return Err(p.err_at(p.at(), unsupported("',' (several outputs)")));
        }
        if !p.peek_punct("|") {
            break;
        }
        p.pos += 1;
    }
    match p.peek() {
        None => Ok(stages),
        Some(t) if t.tok == Tok::Punct(")") => Err(p.err_at(t.at, "unmatched ')'")),
        Some(Spanned {
            tok: Tok::Ident(k),
            at,
        }) if KEYWORDS.contains(&k.as_str()) => Err(p.err_at(*at, unsupported(&format!("'{k}'")))),
        Some(t) => Err(p.err_at(t.at, format!("unexpected {}", describe(&t.tok)))),
    }
}

struct Parser<'s> {
    src: &'s str,
    toks: Vec<Spanned>,
    pos: usize,
    /// Current nesting of brackets and right-recursive operators.
    depth: usize,
    /// How many `try` nodes were made so far.
    tries: usize,
    /// How many generator arguments (`IN(...)`, `any(...)`) enclose the
    /// current position: `,` is taken there only.
    generators: usize,
}

/// Deeper nesting is refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

fn describe(t: &Tok) -> String {
    match t {
        Tok::Dot => "'.'".into(),
        Tok::DotDot => "'..'".into(),
        Tok::Field(f) => format!("'.{f}'"),
        Tok::Ident(i) => format!("'{i}'"),
        Tok::Var(v) => format!("'${v}'"),
        Tok::Format(f) => format!("'@{f}'"),
        Tok::Num(n) => format!("number {n}"),
        Tok::Str(_) => "string".into(),
        Tok::Punct(p) => format!("'{p}'"),
    }
}

fn unsupported(what: &str) -> String {
    format!("{what} is not supported by --jq ({SUPPORTED})")
}

impl Parser<'_> {
    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.err_at(
                self.at(),
                format!("filter nested too deeply (more than {MAX_DEPTH} levels)"),
            ));
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn peek(&self) -> Option<&Spanned> {
        self.toks.get(self.pos)
    }

    fn peek_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Spanned { tok: Tok::Punct(q), .. }) if *q == p)
    }

    fn peek_ident(&self, name: &str) -> bool {
        matches!(self.peek(), Some(Spanned { tok: Tok::Ident(i), .. }) if i == name)
    }

    fn end_at(&self) -> usize {
        self.src.len()
    }

    fn at(&self) -> usize {
        self.peek().map_or(self.end_at(), |t| t.at)
    }

    fn err_at(&self, at: usize, msg: impl Into<String>) -> ParseError {
        ParseError::new(self.src, at, msg)
    }

    fn expect(&mut self, p: &str, opened: Option<usize>) -> Result<(), ParseError> {
        if self.peek_punct(p) {
            self.pos += 1;
            return Ok(());
        }
        let found = match self.peek() {
            Some(t) => describe(&t.tok),
            None => "the end".into(),
        };
        let msg = match opened {
            Some(o) => format!(
                "expected '{p}' to close the bracket at column {}, found {found}",
                ParseError::new(self.src, o, "").column
            ),
            None => format!("expected '{p}', found {found}"),
        };
        Err(self.err_at(self.at(), msg))
    }

    fn pipe(&mut self) -> Result<Ast, ParseError> {
        let left = self.comma()?;
        if self.peek_punct("|") {
            self.pos += 1;
            let right = self.nested(Self::pipe)?;
            return Ok(Ast::Pipe(Box::new(left), Box::new(right)));
        }
        Ok(left)
    }

    /// `a, b, c` (left-associative, between `|` and `//` as in jq).
    fn comma(&mut self) -> Result<Ast, ParseError> {
        let mut left = self.alt()?;
        while self.peek_punct(",") {
            if self.generators == 0 {
                return Err(self.err_at(self.at(), unsupported("',' (several outputs)")));
            }
            self.pos += 1;
            let right = self.nested(Self::alt)?;
            left = Ast::Comma(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn alt(&mut self) -> Result<Ast, ParseError> {
        let left = self.or()?;
        if let Some(t) = self.peek() {
            if let Tok::Punct(p @ ("=" | "|=" | "+=" | "-=" | "*=" | "/=" | "%=" | "//=")) = t.tok {
                return Err(self.err_at(t.at, unsupported(&format!("assignment '{p}'"))));
            }
            if t.tok == Tok::Punct("?//") {
                return Err(self.err_at(t.at, unsupported("destructuring alternative '?//'")));
            }
        }
        if self.peek_punct("//") {
            self.pos += 1;
            let right = self.nested(Self::alt)?;
            return Ok(Ast::Alt(Box::new(left), Box::new(right)));
        }
        Ok(left)
    }

    fn or(&mut self) -> Result<Ast, ParseError> {
        let (at, tries) = (self.at(), self.tries);
        let mut parts = vec![self.and()?];
        while self.peek_ident("or") {
            self.pos += 1;
            parts.push(self.and()?);
        }
        let catches = self.chain_catches(&parts, at, tries, "or")?;
        Ok(match parts.len() {
            1 => parts.swap_remove(0),
            _ => Ast::Or(parts, catches),
        })
    }

    fn and(&mut self) -> Result<Ast, ParseError> {
        let (at, tries) = (self.at(), self.tries);
        let mut parts = vec![self.cmp()?];
        while self.peek_ident("and") {
            self.pos += 1;
            parts.push(self.cmp()?);
        }
        let catches = self.chain_catches(&parts, at, tries, "and")?;
        Ok(match parts.len() {
            1 => parts.swap_remove(0),
            _ => Ast::And(parts, catches),
        })
    }

    /// Whether a chain's operands hold a `try`; such a chain runs nested,
    /// one level of recursion per operand, so it is capped like nesting.
    fn chain_catches(
        &self,
        parts: &[Ast],
        at: usize,
        tries: usize,
        op: &str,
    ) -> Result<bool, ParseError> {
        let catches = self.tries > tries;
        if catches && parts.len() > MAX_DEPTH {
            return Err(self.err_at(
                at,
                format!(
                    "an '{op}' chain with '?' or try has more than {MAX_DEPTH} operands; \
                     split it into several --jq filters"
                ),
            ));
        }
        Ok(catches)
    }

    fn cmp_op(&self) -> Option<Op> {
        match self.peek()?.tok {
            Tok::Punct("==") => Some(Op::Eq),
            Tok::Punct("!=") => Some(Op::Ne),
            Tok::Punct("<") => Some(Op::Lt),
            Tok::Punct("<=") => Some(Op::Le),
            Tok::Punct(">") => Some(Op::Gt),
            Tok::Punct(">=") => Some(Op::Ge),
            _ => None,
        }
    }

    fn cmp(&mut self) -> Result<Ast, ParseError> {
        let left = self.operand()?;
        let Some(op) = self.cmp_op() else {
            return Ok(left);
        };
        self.pos += 1;
        let right = self.operand()?;
        if self.cmp_op().is_some() {
            return Err(self.err_at(
                self.at(),
                "comparisons cannot be chained (jq rejects 'a < b < c'); use 'and'",
            ));
        }
        Ok(Ast::Cmp(Box::new(left), op, Box::new(right)))
    }

    /// A postfix term, refusing arithmetic after it.
    fn operand(&mut self) -> Result<Ast, ParseError> {
        let t = self.term()?;
        if let Some(Spanned {
            tok: Tok::Punct(p @ ("+" | "-" | "*" | "/" | "%")),
            at,
        }) = self.peek()
        {
            return Err(self.err_at(*at, unsupported(&format!("arithmetic '{p}'"))));
        }
        Ok(t)
    }

    fn term(&mut self) -> Result<Ast, ParseError> {
        // Whether the term so far ends with an index (`.a`, `x[0]`), which
        // a `?` makes optional; `(.a)?` is a `try` instead.
        let mut indexed = matches!(self.peek().map(|t| &t.tok), Some(Tok::Field(_) | Tok::Dot));
        let mut t = self.primary()?;
        indexed &= matches!(t, Ast::Index(..));
        // After `EXPR?` jq's grammar takes no more indexes, only `?`.
        let mut tried = false;
        while let Some(s) = self.peek() {
            let at = s.at;
            if tried && s.tok != Tok::Punct("?") {
                break;
            }
            match &s.tok {
                Tok::Field(f) => {
                    let f = f.clone();
                    self.pos += 1;
                    t = Ast::Index(Box::new(t), Key::Str(f));
                    indexed = true;
                }
                Tok::Dot => {
                    // `TERM."key"`; jq 1.6 has no `TERM.[...]`.
                    match self.toks.get(self.pos + 1).map(|s| &s.tok) {
                        Some(Tok::Str(k)) => {
                            let k = k.clone();
                            self.pos += 2;
                            t = Ast::Index(Box::new(t), Key::Str(k));
                            indexed = true;
                        }
                        _ => return Err(self.err_at(at, "expected a key name or string after '.'")),
                    }
                }
                Tok::Punct("[") => {
                    self.pos += 1;
                    let key = self.bracket(at)?;
                    t = Ast::Index(Box::new(t), key);
                    indexed = true;
                }
                Tok::Punct("?") => {
                    self.pos += 1;
                    t = match t {
                        Ast::Index(base, key) if indexed => Ast::IndexOpt(base, key),
                        other => {
                            tried = true;
                            self.tries += 1;
                            Ast::Try(Box::new(other))
                        }
                    };
                    indexed = false;
                }
                _ => break,
            }
        }
        Ok(t)
    }

    /// The inside of `[...]` after a term: a literal string or number.
    fn bracket(&mut self, open: usize) -> Result<Key, ParseError> {
        let at = self.at();
        let key = match self.peek().map(|s| &s.tok) {
            Some(Tok::Punct("]")) => {
                return Err(self.err_at(open, unsupported("iteration '[]'")));
            }
            Some(Tok::Str(s)) => Key::Str(s.clone()),
            Some(Tok::Num(n)) => Key::Num(*n),
            Some(Tok::Punct("-")) => match self.toks.get(self.pos + 1).map(|s| &s.tok) {
                Some(Tok::Num(n)) => {
                    self.pos += 1;
                    Key::Num(-n)
                }
                _ => return Err(self.err_at(at, unsupported("a computed index"))),
            },
            Some(Tok::Punct(":")) => return Err(self.err_at(at, unsupported("slice '[a:b]'"))),
            _ => {
                return Err(self.err_at(
                    at,
                    unsupported("a computed index (only .[\"key\"] and .[number])"),
                ))
            }
        };
        self.pos += 1;
        if self.peek_punct(":") {
            return Err(self.err_at(self.at(), unsupported("slice '[a:b]'")));
        }
        self.expect("]", Some(open))?;
        Ok(key)
    }

    fn primary(&mut self) -> Result<Ast, ParseError> {
        let Some(s) = self.peek().cloned() else {
            return Err(self.err_at(self.end_at(), "expected an expression, found the end"));
        };
        let at = s.at;
        self.pos += 1;
        match s.tok {
            Tok::Dot => match self.peek().map(|s| &s.tok) {
                Some(Tok::Str(k)) => {
                    let k = k.clone();
                    self.pos += 1;
                    Ok(Ast::Index(Box::new(Ast::Identity), Key::Str(k)))
                }
                _ => Ok(Ast::Identity),
            },
            Tok::Field(f) => Ok(Ast::Index(Box::new(Ast::Identity), Key::Str(f))),
            Tok::Num(n) => Ok(Ast::Lit(Val::Num(n))),
            Tok::Str(s) => Ok(Ast::Lit(Val::Str(s))),
            Tok::Punct("-") => match self.peek().map(|s| &s.tok) {
                Some(Tok::Num(n)) => {
                    let n = *n;
                    self.pos += 1;
                    Ok(Ast::Lit(Val::Num(-n)))
                }
                _ => Err(self.err_at(at, unsupported("negation '-'"))),
            },
            Tok::Punct("(") => {
                let e = self.nested(Self::pipe)?;
                self.expect(")", Some(at))?;
                Ok(e)
            }
            Tok::Punct("[") | Tok::Punct("{") => {
                self.pos -= 1;
                Ok(Ast::Lit(self.constant()?))
            }
            Tok::Ident(name) => self.call(&name, at),
            Tok::DotDot => Err(self.err_at(at, unsupported("recursive descent '..'"))),
            Tok::Var(v) => Err(self.err_at(at, unsupported(&format!("variable '${v}'")))),
            Tok::Format(f) => Err(self.err_at(at, unsupported(&format!("format '@{f}'")))),
            Tok::Punct(p) => Err(self.err_at(at, format!("expected an expression, found '{p}'"))),
        }
    }
}
