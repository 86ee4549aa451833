//! The `-q` tokens: words (bare text glued to JSON strings), parentheses,
//! commas and operators, each with its offset for error columns.
//!
//! A word runs until whitespace or one of `( ) , = ! < > ~ "`; a JSON
//! string may be glued to words to quote a path segment (`ctx."a.b".c`).
//! What the words mean is the parser's business.

use crate::filter::syntax::ParseError;

/// One piece of a word: bare text or a decoded JSON string.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Piece {
    Bare(String),
    Quoted(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Open,
    Close,
    Comma,
    Op(&'static str),
    Word(Vec<Piece>),
}

#[derive(Debug, Clone)]
pub(super) struct Spanned {
    pub tok: Tok,
    pub at: usize,
    /// The token as written.
    pub text: String,
}

const OPS: [&str; 10] = ["==", "!=", "<=", ">=", "=~", "=", "<", ">", "~", "!"];

fn is_bare(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '(' | ')' | ',' | '=' | '!' | '<' | '>' | '~' | '"')
}

/// The tokens of a query, each with its offset and text; errors point at
/// an unterminated or invalid string.
pub(super) fn lex(src: &str) -> Result<Vec<Spanned>, ParseError> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = src.get(i..).and_then(|s| s.chars().next()) {
        let at = i;
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let tok = match c {
            '(' => {
                i += 1;
                Tok::Open
            }
            ')' => {
                i += 1;
                Tok::Close
            }
            ',' => {
                i += 1;
                Tok::Comma
            }
            c if is_bare(c) || c == '"' => {
                let mut pieces = Vec::new();
                while let Some(c) = src.get(i..).and_then(|s| s.chars().next()) {
                    if c == '"' {
                        let (s, end) = string(src, i)?;
                        pieces.push(Piece::Quoted(s));
                        i = end;
                    } else if is_bare(c) {
                        let start = i;
                        while let Some(c) = src.get(i..).and_then(|s| s.chars().next()) {
                            if !is_bare(c) {
                                break;
                            }
                            i += c.len_utf8();
                        }
                        pieces.push(Piece::Bare(src.get(start..i).unwrap_or_default().into()));
                    } else {
                        break;
                    }
                }
                Tok::Word(pieces)
            }
            _ => {
                let op = OPS
                    .iter()
                    .find(|op| src.get(i..).is_some_and(|s| s.starts_with(*op)))
                    .copied()
                    .unwrap_or("!");
                if op == "!" {
                    return Err(ParseError::new(
                        src,
                        at,
                        "unexpected '!' (use '!=' or 'not')",
                    ));
                }
                i += op.len();
                Tok::Op(op)
            }
        };
        out.push(Spanned {
            tok,
            at,
            text: src.get(at..i).unwrap_or_default().to_string(),
        });
    }
    Ok(out)
}

/// A JSON string starting at `start`; returns it decoded and its end.
fn string(src: &str, start: usize) -> Result<(String, usize), ParseError> {
    let b = src.as_bytes();
    let mut i = start + 1;
    loop {
        match b.get(i) {
            None => return Err(ParseError::new(src, start, "unterminated string")),
            Some(b'"') => break,
            Some(b'\\') => i += 2,
            Some(_) => i += 1,
        }
    }
    let lit = src.get(start..=i).unwrap_or_default();
    let s = serde_json::from_str::<String>(lit).map_err(|e| {
        let msg = e.to_string();
        let msg = msg.split(" at line").next().unwrap_or(&msg).to_string();
        ParseError::new(src, start, format!("invalid string {lit}: {msg}"))
    })?;
    Ok((s, i + 1))
}
