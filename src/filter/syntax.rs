//! Syntax errors of the `-q` and `--jq` languages, pointing at a column.
//!
//! Both parsers report a byte offset into the expression; this module turns
//! it into a 1-based column (in characters) and a caret line under the
//! echoed expression, so the message reads like a compiler's:
//!
//! ```text
//! expected a value after '>' at column 14
//!   duration_ms >
//!                ^
//! ```

use crate::escape::is_unsafe;
use std::fmt;

/// The most characters of the expression echoed under an error.
const ECHO_WIDTH: usize = 80;

/// A malformed or unsupported expression, with where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    /// What is wrong, e.g. `expected ')' to close '(' at column 1`.
    pub message: String,
    /// 1-based column (in characters) of the offending token.
    pub column: usize,
    /// The expression as the user wrote it.
    pub input: String,
}

impl ParseError {
    /// An error at byte offset `at` of `input` (clamped to the input).
    pub fn new(input: &str, at: usize, message: impl Into<String>) -> ParseError {
        let mut at = at.min(input.len());
        while !input.is_char_boundary(at) {
            at -= 1;
        }
        let column = input.get(..at).map_or(0, |s| s.chars().count()) + 1;
        ParseError {
            message: message.into(),
            column,
            input: input.to_string(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Control and bidi characters would break the caret's alignment
        // (or act on the terminal), so each is shown as one space.
        let chars: Vec<char> = self
            .input
            .chars()
            .map(|c| {
                if c.is_control() || is_unsafe(c) {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        // A long expression (5,000 terms, 60,000 parentheses) is shown as
        // a window around the column, not echoed whole (issue 13).
        let at = self.column.saturating_sub(1);
        let (start, end) = if chars.len() <= ECHO_WIDTH {
            (0, chars.len())
        } else {
            let start = at
                .saturating_sub(ECHO_WIDTH / 2)
                .min(chars.len() - ECHO_WIDTH);
            (start, start + ECHO_WIDTH)
        };
        let mut echo = String::new();
        if start > 0 {
            echo.push('…');
        }
        echo.extend(&chars[start..end]);
        if end < chars.len() {
            echo.push('…');
        }
        write!(
            f,
            "{} at column {}\n  {}\n  {:>width$}",
            self.message,
            self.column,
            echo,
            "^",
            width = at - start + 1 + usize::from(start > 0)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_points_at_the_column() {
        let e = ParseError::new("a = ", 4, "expected a value after '='");
        assert_eq!(e.column, 5);
        assert_eq!(
            e.to_string(),
            "expected a value after '=' at column 5\n  a = \n      ^"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let e = ParseError::new("é = )", 4, "x");
        assert_eq!(e.column, 4);
        assert!(e.to_string().ends_with("\n  é = )\n     ^"));
    }

    #[test]
    fn offsets_are_clamped_and_aligned_to_characters() {
        assert_eq!(ParseError::new("ab", 99, "x").column, 3);
        assert_eq!(ParseError::new("é", 1, "x").column, 1);
        let e = ParseError::new("a\tb", 2, "x");
        assert!(e.to_string().ends_with("\n  a b\n    ^"));
    }

    #[test]
    fn long_expressions_are_echoed_as_a_window_around_the_column() {
        let src = format!("{}x{}", "a".repeat(100), "b".repeat(100));
        let e = ParseError::new(&src, 100, "m");
        let window = format!("{}x{}", "a".repeat(40), "b".repeat(39));
        assert_eq!(
            e.to_string(),
            format!("m at column 101\n  …{window}…\n  {:>42}", "^")
        );
        let e = ParseError::new("a\u{202e}b", 1, "m");
        assert!(e.to_string().contains("\n  a b\n"), "{e}");
    }
}
