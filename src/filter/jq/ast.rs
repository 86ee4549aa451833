//! The tree of a `--jq` filter: what `parse` builds and `eval` runs.
//!
//! Only the subset logq runs has a node here (SPEC §4); what jq offers
//! beyond it is refused by the parser, so every tree means what it means
//! in jq.

use super::regex::Pattern;
use crate::filter::op::Op;
use crate::filter::value::Val;

/// A literal index: `.a`, `.["a-b"]`, `.[0]`.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Str(String),
    Num(f64),
}

/// A builtin applied to its input.
#[derive(Debug, Clone)]
pub enum Builtin {
    Not,
    Length,
    AsciiDowncase,
    AsciiUpcase,
    Type,
    Contains(Box<Ast>),
    StartsWith(Box<Ast>),
    EndsWith(Box<Ast>),
    Has(Box<Ast>),
    Test(Box<Pattern>),
    /// `IN(s)`: jq 1.6's `reduce (first(select(. == s)) | true) as $v
    /// (false; …)`; holds `. == s`, so `s` is evaluated first.
    In(Box<Ast>),
    /// `IN(src; s)`: `reduce (src | IN(s)) as $v (false; . or $v)`.
    InOf(Box<Ast>, Box<Ast>),
    /// `any`, `any(cond)`, `any(gen; cond)`; without a generator, `.[]`.
    Any(Option<Box<Ast>>, Box<Ast>),
    /// `all`, `all(cond)`, `all(gen; cond)`; without a generator, `.[]`.
    All(Option<Box<Ast>>, Box<Ast>),
}

/// A parsed expression of the subset.
#[derive(Debug, Clone)]
pub enum Ast {
    /// `.`
    Identity,
    Lit(Val),
    /// `TERM.key` / `TERM[key]`
    Index(Box<Ast>, Key),
    /// `TERM.key?`: jq 1.6's `INDEX_OPT`; only this index's own error
    /// becomes no output (an error in `TERM` still propagates).
    IndexOpt(Box<Ast>, Key),
    /// `EXPR?` on anything but an index: jq 1.6's `try`, see `eval`.
    Try(Box<Ast>),
    Pipe(Box<Ast>, Box<Ast>),
    /// `a, b`: only inside the arguments of `IN`, `any` and `all`, which
    /// take generators; elsewhere several outputs would select a record
    /// several times.
    Comma(Box<Ast>, Box<Ast>),
    /// `a // b`
    Alt(Box<Ast>, Box<Ast>),
    /// `a and b and c`, parsed as one node so that a long chain is neither
    /// a deep tree nor a deep recursion (issue 13); always two or more
    /// operands. The flag says whether an operand holds a `try` (`?`),
    /// which in jq 1.6 also catches errors raised later in the chain, so
    /// that such a chain (at most `parse::MAX_DEPTH` operands) runs as jq nests it.
    And(Vec<Ast>, bool),
    /// `a or b or c`, like `And`.
    Or(Vec<Ast>, bool),
    Cmp(Box<Ast>, Op, Box<Ast>),
    Call(Builtin),
    /// `select(cond)`, with the offset of `select` (only valid as a stage).
    Select(Box<Ast>, usize),
}
