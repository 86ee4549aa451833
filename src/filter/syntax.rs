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

use std::fmt;

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
        // Control characters would break the caret's alignment (or the
        // terminal), so each is shown as one space.
        let echo: String = self
            .input
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        write!(
            f,
            "{} at column {}\n  {}\n  {:>width$}",
            self.message,
            self.column,
            echo,
            "^",
            width = self.column
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
}
