//! The `-q` grammar: words, strings and operators to a [`Node`] tree.
//!
//! ```text
//! query   = or
//! or      = and ("or" and)*
//! and     = unary ("and" unary)*
//! unary   = "not" unary | "(" or ")" | "exists" "(" field ")" | test
//! test    = field OP value | field "in" "(" value ("," value)* ")"
//! OP      = "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "~" | "=~" | "like"
//! ```
//!
//! Words come from [`lexer`](super::lexer). Keywords are case-insensitive. Values are checked here, not per record:
//! regexes and globs are compiled, `time` values parsed as `--since` parses
//! them, `level` values as `-l` does. A bare word after `<`, `<=`, `>` or
//! `>=` must be a number, a time or a level (`duration_ms > abc` is an
//! error); a quoted one is text.

use super::lexer::{lex, Piece, Spanned, Tok};
use super::{Node, Operand, Target, Test};
use crate::filter::op::Op;
use crate::filter::syntax::ParseError;
use crate::filter::{timespec, value};
use crate::record::{Level, Role, Timestamp};
use chrono::{DateTime, Utc};

/// What `-q` needs besides the text: the clock for relative times.
pub struct Clock {
    pub now: DateTime<Utc>,
    pub local: bool,
}

/// Parses a whole query.
pub fn parse(src: &str, clock: &Clock) -> Result<Node, ParseError> {
    let toks = lex(src)?;
    if toks.is_empty() {
        return Err(ParseError::new(src, 0, "empty query"));
    }
    let mut p = Parser {
        src,
        toks,
        pos: 0,
        clock,
        depth: 0,
    };
    let node = p.or()?;
    match p.toks.get(p.pos) {
        None => Ok(node),
        Some(t) if t.tok == Tok::Close => Err(p.err(t.at, "unmatched ')'")),
        Some(t) => Err(p.err(
            t.at,
            format!(
                "expected 'and' or 'or' between conditions, found {}",
                found(Some(t))
            ),
        )),
    }
}

struct Parser<'s> {
    src: &'s str,
    toks: Vec<Spanned>,
    pos: usize,
    clock: &'s Clock,
    /// Current nesting of `not` and parentheses.
    depth: usize,
}

/// Deeper nesting is refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

fn found(t: Option<&Spanned>) -> String {
    match t {
        None => "the end".into(),
        Some(t) => format!("'{}'", t.text),
    }
}

fn keyword(t: Option<&Spanned>) -> Option<String> {
    match &t?.tok {
        Tok::Word(p) => match p.as_slice() {
            [Piece::Bare(w)] => Some(w.to_ascii_lowercase()),
            _ => None,
        },
        _ => None,
    }
}

impl Parser<'_> {
    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.err(
                self.at(),
                format!("query nested too deeply (more than {MAX_DEPTH} levels)"),
            ));
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn err(&self, at: usize, msg: impl Into<String>) -> ParseError {
        ParseError::new(self.src, at, msg)
    }

    fn peek(&self) -> Option<&Spanned> {
        self.toks.get(self.pos)
    }

    fn at(&self) -> usize {
        self.peek().map_or(self.src.len(), |t| t.at)
    }

    fn is_keyword(&self, k: &str) -> bool {
        keyword(self.peek()).is_some_and(|w| w == k)
    }

    fn or(&mut self) -> Result<Node, ParseError> {
        let mut parts = vec![self.and()?];
        while self.is_keyword("or") {
            self.pos += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Node::And(Vec::new()))
        } else {
            Node::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Node, ParseError> {
        let mut parts = vec![self.unary()?];
        while self.is_keyword("and") {
            self.pos += 1;
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Node::And(Vec::new()))
        } else {
            Node::And(parts)
        })
    }

    fn expect_close(&mut self, open: usize, what: &str) -> Result<(), ParseError> {
        if self.peek().is_some_and(|t| t.tok == Tok::Close) {
            self.pos += 1;
            return Ok(());
        }
        let col = ParseError::new(self.src, open, "").column;
        Err(self.err(
            self.at(),
            format!(
                "expected ')' to close {what} at column {col}, found {}",
                found(self.peek())
            ),
        ))
    }

    fn unary(&mut self) -> Result<Node, ParseError> {
        if self.is_keyword("not") {
            self.pos += 1;
            return Ok(Node::Not(Box::new(self.nested(Self::unary)?)));
        }
        let Some(t) = self.peek().cloned() else {
            return Err(self.err(self.src.len(), "expected a condition, found the end"));
        };
        if t.tok == Tok::Open {
            self.pos += 1;
            let inner = self.nested(Self::or)?;
            self.expect_close(t.at, "'('")?;
            return Ok(inner);
        }
        if self.is_keyword("exists")
            && self
                .toks
                .get(self.pos + 1)
                .is_some_and(|n| n.tok == Tok::Open)
        {
            let open = self.toks.get(self.pos + 1).map_or(t.at, |n| n.at);
            self.pos += 2;
            let target = self.field()?;
            self.expect_close(open, "'exists('")?;
            return Ok(Node::Exists(target));
        }
        for k in ["and", "or"] {
            if self.is_keyword(k) {
                return Err(self.err(t.at, format!("expected a condition before '{k}'")));
            }
        }
        self.test()
    }

    fn field(&mut self) -> Result<Target, ParseError> {
        let Some(t) = self.peek().cloned() else {
            return Err(self.err(self.src.len(), "expected a field name, found the end"));
        };
        let Tok::Word(pieces) = &t.tok else {
            return Err(self.err(
                t.at,
                format!("expected a field name, found {}", found(Some(&t))),
            ));
        };
        self.pos += 1;
        let mut segments = vec![String::new()];
        for p in pieces {
            match p {
                Piece::Quoted(s) => {
                    if let Some(last) = segments.last_mut() {
                        last.push_str(s);
                    }
                }
                Piece::Bare(b) => {
                    for c in b.chars() {
                        match (c, segments.last_mut()) {
                            ('.', _) => segments.push(String::new()),
                            (c, Some(last)) => last.push(c),
                            (_, None) => {}
                        }
                    }
                }
            }
        }
        // `.level`: the raw field, never the role.
        let dotted = t.text.starts_with('.');
        if dotted {
            segments.remove(0);
        }
        if segments.iter().any(String::is_empty) {
            return Err(self.err(t.at, format!("empty key in field name '{}'", t.text)));
        }
        if let (false, [Piece::Bare(name)]) = (dotted, pieces.as_slice()) {
            let role = match name.as_str() {
                "level" => Some(Role::Level),
                "message" => Some(Role::Message),
                "module" => Some(Role::Module),
                "time" => Some(Role::Time),
                "cid" => Some(Role::Cid),
                "service" => Some(Role::Service),
                "category" => Some(Role::Category),
                _ => None,
            };
            if let Some(r) = role {
                return Ok(Target::Role(r));
            }
        }
        Ok(Target::Path(segments))
    }

    fn test(&mut self) -> Result<Node, ParseError> {
        let field_at = self.at();
        let target = self.field()?;
        let field_text = self.toks.get(self.pos - 1).map_or("", |t| t.text.as_str());
        let op_tok = self.peek().cloned();
        let op_text = op_tok.as_ref().map_or("", |t| t.text.as_str()).to_string();
        let op = match op_tok.as_ref().map(|t| &t.tok) {
            Some(Tok::Op(o)) => *o,
            _ => match keyword(op_tok.as_ref()).as_deref() {
                Some("in") => "in",
                Some("like") => "like",
                _ => {
                    return Err(self.err(
                        op_tok.as_ref().map_or(self.src.len(), |t| t.at),
                        format!(
                            "expected an operator after '{field_text}' (= != < <= > >= ~ =~ like in), found {}",
                            found(op_tok.as_ref())
                        ),
                    ))
                }
            },
        };
        let _ = field_at;
        self.pos += 1;
        let kind = Kind::of(&target, op);
        let test = if op == "in" {
            let open_at = self.at();
            if self.peek().map(|t| &t.tok) != Some(&Tok::Open) {
                return Err(self.err(
                    open_at,
                    format!("expected '(' after 'in', found {}", found(self.peek())),
                ));
            }
            self.pos += 1;
            let mut values = vec![self.value(&kind, &op_text)?];
            loop {
                match self.peek().map(|t| &t.tok) {
                    Some(Tok::Comma) => {
                        self.pos += 1;
                        values.push(self.value(&kind, ",")?);
                    }
                    Some(Tok::Close) => {
                        self.pos += 1;
                        break;
                    }
                    _ => {
                        let col = ParseError::new(self.src, open_at, "").column;
                        return Err(self.err(
                            self.at(),
                            format!(
                                "expected ',' or ')' to close the list at column {col}, found {}",
                                found(self.peek())
                            ),
                        ));
                    }
                }
            }
            Test::In(values)
        } else {
            let value_at = self.at();
            let v = self.value(&kind, &op_text)?;
            let text = match &v {
                Operand::Str(s) | Operand::Num(_, s) => s.clone(),
                _ => String::new(),
            };
            match op {
                "~" => Test::Contains(text),
                "=~" => Test::Regex(regex::Regex::new(&text).map_err(|e| {
                    let detail = e.to_string();
                    let detail = detail
                        .lines()
                        .rev()
                        .find_map(|l| l.trim().strip_prefix("error: "))
                        .unwrap_or(detail.trim())
                        .to_string();
                    self.err(value_at, format!("invalid regex '{text}': {detail}"))
                })?),
                "like" => Test::Like(
                    globset::Glob::new(&text)
                        .map_err(|e| {
                            self.err(value_at, format!("invalid glob '{text}': {}", e.kind()))
                        })?
                        .compile_matcher(),
                ),
                o => Test::Cmp(
                    match o {
                        "=" | "==" => Op::Eq,
                        "!=" => Op::Ne,
                        "<" => Op::Lt,
                        "<=" => Op::Le,
                        ">" => Op::Gt,
                        _ => Op::Ge,
                    },
                    v,
                ),
            }
        };
        Ok(Node::Test(target, test))
    }

    fn value(&mut self, kind: &Kind, after: &str) -> Result<Operand, ParseError> {
        let t = self.peek().cloned();
        let Some(Spanned {
            tok: Tok::Word(pieces),
            at,
            ..
        }) = t
        else {
            return Err(self.err(
                self.at(),
                format!(
                    "expected a value after '{after}', found {}",
                    found(self.peek())
                ),
            ));
        };
        self.pos += 1;
        let (text, quoted) = match pieces.as_slice() {
            [Piece::Bare(w)] => (w.clone(), false),
            [Piece::Quoted(s)] => (s.clone(), true),
            _ => {
                return Err(self.err(
                    at,
                    "a value is either a bare word or one \"string\", not both glued together",
                ))
            }
        };
        Ok(match kind {
            Kind::Time => Operand::Time(
                timespec::parse(&text, self.clock.now, self.clock.local)
                    .map_err(|e| self.err(at, e))?,
            ),
            Kind::Level => Operand::Level(text.parse::<Level>().map_err(|e| self.err(at, e))?),
            Kind::Text => match (quoted, value::decode::parse_number(&text)) {
                (false, Some(n)) => Operand::Num(n, text),
                // `duration_ms > abc` compared text with numbers and found
                // nothing, silently (issue 10): ordering a bare word needs
                // a number, a time or a level; quoting asks for text.
                (false, None)
                    if matches!(after, "<" | "<=" | ">" | ">=")
                        && Timestamp::parse(&text).is_none()
                        && text.parse::<Level>().is_err() =>
                {
                    let quoted = serde_json::to_string(&text).unwrap_or_default();
                    return Err(self.err(
                        at,
                        format!(
                            "'{text}' is not a number, time or level; '{after}' needs one (quote it to compare text: {quoted})"
                        ),
                    ));
                }
                _ => Operand::Str(text),
            },
        })
    }
}

/// How a test's values are read.
enum Kind {
    /// `time` compared as a time.
    Time,
    /// `level` compared by severity.
    Level,
    /// Numbers when they look like numbers, else text.
    Text,
}

impl Kind {
    fn of(target: &Target, op: &str) -> Kind {
        let ordered = matches!(op, "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "in");
        match target {
            Target::Role(Role::Time) if ordered => Kind::Time,
            Target::Role(Role::Level) if ordered => Kind::Level,
            _ => Kind::Text,
        }
    }
}
