//! `test(re; flags)`: jq's Oniguruma regexes, run by the `regex` crate.
//!
//! jq 1.6 compiles with Oniguruma's Perl syntax. Where that dialect and
//! Rust's agree the pattern is used as is; where they differ in a way that
//! can be translated, it is (`$` also matches before a final newline,
//! whitespace inside a class is literal with `x`, flag `p` makes `.` match
//! newlines); where they cannot be reconciled, the pattern is refused when
//! the filter is parsed (POSIX classes, which are Unicode-aware in jq, the
//! `n` flag, and everything the `regex` crate rejects: look-around,
//! back-references, possessive quantifiers). A refused pattern is an error,
//! never a different answer.

use regex::Regex;

/// A compiled `test` pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    regex: Regex,
}

impl Pattern {
    /// Translates and compiles a jq regex with its flags (`"i"`, `"x"`…).
    /// Errors say why, e.g. for `test("a"; "q")`: `'q' is not a valid test flag`.
    pub fn new(re: &str, flags: &str) -> Result<Pattern, String> {
        let mut prefix = String::new();
        let mut extended = false;
        for f in flags.chars() {
            match f {
                'i' => prefix.push_str("(?i)"),
                'x' => {
                    prefix.push_str("(?x)");
                    extended = true;
                }
                'p' => prefix.push_str("(?s)"),
                // Global, longest, single-line: no effect on whether it matches.
                'g' | 'l' | 's' => {}
                'n' => {
                    return Err(
                        "test flag 'n' (ignore empty matches) is not supported by --jq".into(),
                    )
                }
                _ => {
                    return Err(format!(
                        "'{f}' is not a valid test flag (jq accepts g, i, x, n, p, s, l)"
                    ))
                }
            }
        }
        let body = translate(re, extended)?;
        let regex = Regex::new(&format!("{prefix}{body}")).map_err(|e| {
            let detail = e.to_string();
            let detail = detail
                .lines()
                .rev()
                .find_map(|l| l.trim().strip_prefix("error: "))
                .unwrap_or(detail.trim())
                .to_string();
            format!("test(): regex {re:?} is not supported: {detail}")
        })?;
        Ok(Pattern { regex })
    }

    /// Whether the pattern matches somewhere in `s`.
    pub fn is_match(&self, s: &str) -> bool {
        self.regex.is_match(s)
    }
}

/// Rewrites the parts of Oniguruma's syntax that mean something else in Rust.
fn translate(re: &str, extended: bool) -> Result<String, String> {
    let mut out = String::with_capacity(re.len() + 8);
    let mut depth = 0usize;
    // Whether the previous character opened a class (`[` or `[^`), where a
    // `]` is a literal.
    let mut class_start = false;
    let mut chars = re.chars().peekable();
    while let Some(c) = chars.next() {
        let at_start = std::mem::take(&mut class_start);
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    return Err(format!("test(): regex {re:?} ends with a lone backslash"));
                };
                if n == 'Z' && depth == 0 {
                    out.push_str(r"(?:\n?\z)");
                } else {
                    out.push('\\');
                    out.push(n);
                }
            }
            '[' => {
                if depth > 0 && chars.peek() == Some(&':') {
                    return Err(format!(
                        "test(): POSIX classes like [:alpha:] in {re:?} are not supported by --jq (use \\p{{Alphabetic}}, \\d, \\s…)"
                    ));
                }
                depth += 1;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                class_start = true;
            }
            ']' if depth > 0 && !at_start => {
                depth -= 1;
                out.push(']');
            }
            '$' if depth == 0 => out.push_str(r"(?:\n?\z)"),
            c if depth > 0 && extended && (c.is_whitespace() || c == '#') => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(re: &str, flags: &str, s: &str) -> bool {
        Pattern::new(re, flags).unwrap().is_match(s)
    }

    // Each expectation below is what jq 1.6 prints for `"S" | test("RE"; "F")`.
    #[test]
    fn agrees_with_jq_on_anchors_and_flags() {
        assert!(!t("^b", "", "a\nb"));
        assert!(!t("a$", "", "a\nb"));
        assert!(t("b$", "", "ab\n"));
        assert!(t(r"b\Z", "", "ab\n"));
        assert!(!t(r"b\z", "", "ab\n"));
        assert!(!t("a.b", "", "a\nb"));
        assert!(!t("a.b", "s", "a\nb"));
        assert!(t("a.b", "p", "a\nb"));
        assert!(t("a b", "xi", "AB"));
        assert!(t("a[ ]b", "x", "a b"));
        assert!(t("a[\t#]b", "x", "a#b"));
        assert!(t("a[\t#]b", "x", "a\tb"));
        assert!(!t("a[\t#]b", "x", "ab"));
        assert!(t("warn", "i", "WARNING"));
        assert!(t(r"\d", "", "٣"));
        assert!(t("É", "i", "é"));
        assert!(t("[$]", "", "$"));
        assert!(t("[]a]", "", "]"));
        assert!(t("", "g", "ab"));
    }

    #[test]
    fn refuses_what_would_differ() {
        let e = |re: &str, f: &str| Pattern::new(re, f).unwrap_err();
        assert_eq!(
            e("a", "q"),
            "'q' is not a valid test flag (jq accepts g, i, x, n, p, s, l)"
        );
        assert_eq!(
            e("a", "n"),
            "test flag 'n' (ignore empty matches) is not supported by --jq"
        );
        assert!(e("[[:alpha:]]", "").starts_with("test(): POSIX classes like [:alpha:]"));
        assert!(e("(?<=a)b", "").starts_with("test(): regex \"(?<=a)b\" is not supported: "));
        assert!(e(r"(a)\1", "").contains("backreferences are not supported"));
        assert_eq!(
            e("a\\", ""),
            "test(): regex \"a\\\\\" ends with a lone backslash"
        );
    }
}
