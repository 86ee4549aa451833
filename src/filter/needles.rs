//! The literal needles of the raw-byte prefilter: strings of which a line
//! must contain one for the filter to keep it.
//!
//! Owns the one rule that turns a filter tree into needles ([`pick`]), for
//! the flags' [`Expr`](super::Expr), `-q` and `--jq` alike, and the
//! literals a glob, a regex or a string contributes. Each language only
//! says what its nodes are ([`Shape`]). `None` means "no needle": every
//! line must be parsed. A needle is only ever a hint that lets a line be
//! skipped unparsed, so a wrong `None` costs speed, never a match.

/// What a node of a filter tree is, for the needle picker.
pub enum Shape<'t, T> {
    /// Every part must hold.
    All(&'t [T]),
    /// Some part must hold.
    Any(&'t [T]),
    /// A leaf: the literals of which a matching line holds one, if known.
    Leaf(Option<Vec<String>>),
}

/// The needles of a tree whose nodes `shape` describes. Of an AND, the
/// needle set whose shortest needle is longest (the first on a tie), as a
/// longer needle rejects more lines; of an OR, every part's needles, or
/// none when a part has none.
pub fn pick<'t, T>(node: &'t T, shape: &dyn Fn(&'t T) -> Shape<'t, T>) -> Option<Vec<String>> {
    match shape(node) {
        Shape::All(parts) => pick_all(parts, shape),
        Shape::Any(parts) => {
            let mut all = Vec::new();
            for p in parts {
                all.extend(pick(p, shape)?);
            }
            Some(all)
        }
        Shape::Leaf(needles) => needles,
    }
}

/// [`pick`] of the AND of `parts`.
pub fn pick_all<'t, T>(
    parts: &'t [T],
    shape: &dyn Fn(&'t T) -> Shape<'t, T>,
) -> Option<Vec<String>> {
    let shortest = |n: &Vec<String>| n.iter().map(String::len).min().unwrap_or(0);
    parts
        .iter()
        .filter_map(|p| pick(p, shape))
        .fold(None, |best, n| match best {
            Some(b) if shortest(&n) <= shortest(&b) => Some(b),
            _ => Some(n),
        })
}

/// Whether a literal appears verbatim in any JSON encoding of a string that
/// contains it: printable ASCII without the characters JSON may escape.
/// Lines holding `\u` escapes are always examined (see `scan`).
pub fn is_plain_literal(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|c| (0x20..0x7f).contains(&c) && !matches!(c, b'"' | b'\\' | b'/'))
}

/// The longest run of literal characters in a glob (`src.api.*` →
/// `src.api.`), which any string the glob matches contains.
pub fn glob_literal(glob: &str) -> Option<String> {
    let mut best = "";
    for run in glob.split(['*', '?', '[', ']', '{', '}', '\\', ',']) {
        if run.len() > best.len() {
            best = run;
        }
    }
    // Inside `[...]` or `{a,b}` a run is not required; give up on those.
    if glob.contains(['[', '{', '\\']) || best.is_empty() {
        return None;
    }
    Some(best.to_string())
}

/// A literal that every match of a regex contains: its leading run of
/// plain characters, when the pattern has no alternation. `None` when
/// unsure.
pub fn regex_literal(pattern: &str) -> Option<String> {
    if pattern.contains('|') {
        return None;
    }
    let mut run: Vec<char> = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_alphanumeric()
            || matches!(
                c,
                ' ' | '-'
                    | '_'
                    | ':'
                    | '='
                    | ','
                    | ';'
                    | '@'
                    | '#'
                    | '%'
                    | '\''
                    | '<'
                    | '>'
                    | '!'
                    | '~'
                    | '&'
            )
        {
            run.push(c);
            chars.next();
        } else {
            break;
        }
    }
    // A quantifier after the run makes its last character optional.
    if matches!(chars.peek(), Some('?' | '*' | '{')) {
        run.pop();
    }
    let lit: String = run.into_iter().collect();
    (lit.len() >= 3).then_some(lit)
}

#[cfg(test)]
mod tests {
    use super::*;

    enum T {
        And(Vec<T>),
        Or(Vec<T>),
        Lit(&'static str),
        Opaque,
    }

    fn shape(t: &T) -> Shape<'_, T> {
        match t {
            T::And(v) => Shape::All(v),
            T::Or(v) => Shape::Any(v),
            T::Lit(s) => Shape::Leaf(Some(vec![s.to_string()])),
            T::Opaque => Shape::Leaf(None),
        }
    }

    #[test]
    fn and_takes_the_longest_shortest_needle_first_on_ties() {
        let t = T::And(vec![
            T::Lit("ab"),
            T::Opaque,
            T::Lit("abcd"),
            T::Lit("wxyz"),
        ]);
        assert_eq!(pick(&t, &shape), Some(vec!["abcd".to_string()]));
        assert_eq!(pick(&T::And(vec![T::Opaque]), &shape), None);
    }

    #[test]
    fn or_needs_every_part() {
        let t = T::Or(vec![T::Lit("ab"), T::Lit("cd")]);
        assert_eq!(pick(&t, &shape), Some(vec!["ab".into(), "cd".into()]));
        assert_eq!(pick(&T::Or(vec![T::Lit("ab"), T::Opaque]), &shape), None);
    }

    #[test]
    fn literals_of_globs_and_regexes() {
        assert_eq!(glob_literal("src.api.*").as_deref(), Some("src.api."));
        assert_eq!(glob_literal("*whatsapp*").as_deref(), Some("whatsapp"));
        assert_eq!(glob_literal("*"), None);
        assert_eq!(glob_literal("src.[ab]pi"), None);
        assert_eq!(glob_literal("{a,b}"), None);
        assert_eq!(
            regex_literal("timeout after [0-9]+").as_deref(),
            Some("timeout after ")
        );
        assert_eq!(regex_literal("timeouts? after").as_deref(), Some("timeout"));
        assert_eq!(regex_literal("ab*c"), None);
        assert_eq!(regex_literal("a|bcd"), None);
        assert_eq!(regex_literal("(?i)abc"), None);
        assert_eq!(regex_literal("^abc"), None);
        assert_eq!(regex_literal("abcd{2}").as_deref(), Some("abc"));
    }
}
