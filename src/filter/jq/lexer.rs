//! Tokens of jq's syntax, with their byte offsets.
//!
//! The lexer knows all of jq's punctuation and literal forms, not only the
//! supported subset, so that the parser can name an unsupported construct
//! (`$var`, `@base64`, `..`, `+`) instead of reporting a confusing syntax
//! error. String literals are decoded here; interpolation `\(…)` is refused.

use crate::filter::syntax::ParseError;
use crate::record::json::simple_escape;

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// `.` alone.
    Dot,
    /// `..`
    DotDot,
    /// `.name`
    Field(String),
    /// A name: keyword or function.
    Ident(String),
    /// `$name`
    Var(String),
    /// `@name`
    Format(String),
    Num(f64),
    Str(String),
    /// Punctuation and operators, as written (`==`, `//`, `|=`, `(`…).
    Punct(&'static str),
}

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    pub tok: Tok,
    pub at: usize,
}

/// Longest first, so `//=` wins over `//` and `/`.
const PUNCT: [&str; 31] = [
    "?//", "//=", "|=", "+=", "-=", "*=", "/=", "%=", "==", "!=", "<=", ">=", "//", "|", ",", "<",
    ">", "=", "+", "-", "*", "/", "%", "(", ")", "[", "]", "{", "}", ":", ";",
];

/// Splits a jq program into tokens.
pub fn lex(src: &str) -> Result<Vec<Spanned>, ParseError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |at: usize, msg: String| ParseError::new(src, at, msg);
    while let Some(&c) = b.get(i) {
        let at = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'#' {
            while b.get(i).is_some_and(|c| *c != b'\n') {
                i += 1;
            }
            continue;
        }
        let tok = if c == b'.' {
            i += 1;
            match b.get(i) {
                Some(b'.') => {
                    i += 1;
                    Tok::DotDot
                }
                Some(d) if d.is_ascii_digit() => {
                    i = number_end(b, at);
                    Tok::Num(number(src, at, i)?)
                }
                Some(d) if is_ident_start(*d) => {
                    let end = ident_end(b, i);
                    let name = src.get(i..end).unwrap_or_default().to_string();
                    i = end;
                    Tok::Field(name)
                }
                _ => Tok::Dot,
            }
        } else if c.is_ascii_digit() {
            i = number_end(b, at);
            Tok::Num(number(src, at, i)?)
        } else if is_ident_start(c) {
            i = ident_end(b, i);
            // Module-qualified names (`mod::f`) are part of the name.
            while b.get(i..i + 2) == Some(b"::") && b.get(i + 2).is_some_and(|c| is_ident_start(*c))
            {
                i = ident_end(b, i + 2);
            }
            Tok::Ident(src.get(at..i).unwrap_or_default().to_string())
        } else if c == b'$' || c == b'@' {
            let end = ident_end(b, i + 1);
            let name = src.get(i + 1..end).unwrap_or_default().to_string();
            i = end.max(i + 1);
            if c == b'$' {
                Tok::Var(name)
            } else {
                Tok::Format(name)
            }
        } else if c == b'"' {
            let (s, end) = string(src, at)?;
            i = end;
            Tok::Str(s)
        } else if c == b'?' {
            if b.get(i..i + 3) == Some(b"?//") {
                i += 3;
                Tok::Punct("?//")
            } else {
                i += 1;
                Tok::Punct("?")
            }
        } else {
            match PUNCT
                .iter()
                .find(|p| b.get(i..i + p.len()) == Some(p.as_bytes()))
            {
                Some(p) => {
                    i += p.len();
                    Tok::Punct(p)
                }
                None => {
                    let ch = src.get(at..).and_then(|s| s.chars().next()).unwrap_or('?');
                    return Err(err(at, format!("unexpected character '{ch}'")));
                }
            }
        };
        out.push(Spanned { tok, at });
    }
    Ok(out)
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn ident_end(b: &[u8], mut i: usize) -> usize {
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    {
        i += 1;
    }
    i
}

/// End of a number as jq lexes it: `12`, `1.5`, `.5`, `1.`, `1e-3`.
fn number_end(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            i = j;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
    }
    i
}

fn number(src: &str, start: usize, end: usize) -> Result<f64, ParseError> {
    let text = src.get(start..end).unwrap_or_default();
    let text = text.strip_suffix('.').unwrap_or(text);
    let fixed;
    let text = if text.starts_with('.') {
        fixed = format!("0{text}");
        &fixed
    } else {
        text
    };
    text.parse()
        .map_err(|_| ParseError::new(src, start, format!("invalid number '{text}'")))
}

/// Decodes a string literal starting at `start` (the opening quote).
fn string(src: &str, start: usize) -> Result<(String, usize), ParseError> {
    let b = src.as_bytes();
    let mut out = String::new();
    let mut i = start + 1;
    loop {
        let run = i;
        while b.get(i).is_some_and(|c| *c != b'"' && *c != b'\\') {
            i += 1;
        }
        out.push_str(src.get(run..i).unwrap_or_default());
        match b.get(i) {
            None => return Err(ParseError::new(src, start, "unterminated string")),
            Some(b'"') => return Ok((out, i + 1)),
            Some(_) => {
                let esc = i;
                let c = *b
                    .get(i + 1)
                    .ok_or_else(|| ParseError::new(src, start, "unterminated string"))?;
                i += 2;
                match c {
                    b'u' => {
                        let hex = |at: usize| {
                            src.get(at..at + 4)
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                        };
                        let bad = || ParseError::new(src, esc, "invalid \\u escape in string");
                        let hi = hex(i).ok_or_else(bad)?;
                        i += 4;
                        let code = if (0xD800..0xDC00).contains(&hi) {
                            let lo = (b.get(i..i + 2) == Some(b"\\u"))
                                .then(|| hex(i + 2))
                                .flatten()
                                .filter(|lo| (0xDC00..0xE000).contains(lo))
                                .ok_or_else(bad)?;
                            i += 6;
                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                        } else {
                            hi
                        };
                        out.push(char::from_u32(code).ok_or_else(bad)?);
                    }
                    b'(' => {
                        return Err(ParseError::new(
                            src,
                            esc,
                            "string interpolation \\(...) is not supported by --jq",
                        ))
                    }
                    c => match simple_escape(c) {
                        Some(ch) => out.push(ch),
                        None => {
                            return Err(ParseError::new(
                                src,
                                esc,
                                format!("invalid escape '\\{}' in string", char::from(c)),
                            ))
                        }
                    },
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn paths_and_punctuation() {
        assert_eq!(
            toks(r#".a.b_1 | .["x-y"]? // ."k""#),
            vec![
                Tok::Field("a".into()),
                Tok::Field("b_1".into()),
                Tok::Punct("|"),
                Tok::Dot,
                Tok::Punct("["),
                Tok::Str("x-y".into()),
                Tok::Punct("]"),
                Tok::Punct("?"),
                Tok::Punct("//"),
                Tok::Dot,
                Tok::Str("k".into()),
            ]
        );
        assert_eq!(
            toks("a==1!=2<=3>=.. //= $x @csv # comment\n?//"),
            vec![
                Tok::Ident("a".into()),
                Tok::Punct("=="),
                Tok::Num(1.0),
                Tok::Punct("!="),
                Tok::Num(2.0),
                Tok::Punct("<="),
                Tok::Num(3.0),
                Tok::Punct(">="),
                Tok::DotDot,
                Tok::Punct("//="),
                Tok::Var("x".into()),
                Tok::Format("csv".into()),
                Tok::Punct("?//"),
            ]
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(
            toks("1 1.5 .5 2. 1e3 1E-2 7e"),
            vec![
                Tok::Num(1.0),
                Tok::Num(1.5),
                Tok::Num(0.5),
                Tok::Num(2.0),
                Tok::Num(1000.0),
                Tok::Num(0.01),
                Tok::Num(7.0),
                Tok::Ident("e".into()),
            ]
        );
    }

    #[test]
    fn strings_decode_escapes() {
        assert_eq!(
            toks(r#""a\"b\\\/\n\u00e9\ud83d\ude00""#),
            vec![Tok::Str("a\"b\\/\né😀".into())]
        );
    }

    #[test]
    fn string_errors() {
        let e = |s: &str| lex(s).unwrap_err().to_string();
        assert_eq!(
            e(r#".a == "abc"#),
            "unterminated string at column 7\n  .a == \"abc\n        ^"
        );
        assert_eq!(
            e(r#""x\(.a)""#),
            "string interpolation \\(...) is not supported by --jq at column 3\n  \"x\\(.a)\"\n    ^"
        );
        assert_eq!(
            e(r#""\q""#),
            "invalid escape '\\q' in string at column 2\n  \"\\q\"\n   ^"
        );
        assert_eq!(
            e(r#""\ud800""#),
            "invalid \\u escape in string at column 2\n  \"\\ud800\"\n   ^"
        );
        assert_eq!(
            e(r#""\u12""#),
            "invalid \\u escape in string at column 2\n  \"\\u12\"\n   ^"
        );
        assert_eq!(
            e(".a ^ 1"),
            "unexpected character '^' at column 4\n  .a ^ 1\n     ^"
        );
    }
}
