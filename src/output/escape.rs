//! Making log data safe for a terminal.
//!
//! Log messages may carry ANSI sequences or other control characters (a
//! coloured message logged by another tool, or an attack). Printers that
//! write for humans pass data through [`escape`], so such bytes show as
//! visible escapes and never act on the terminal (SPEC §6).

use std::borrow::Cow;
use std::fmt::Write;

/// Replaces control characters (C0 but tab, DEL, C1) with visible escapes:
/// `\x1b`, `\r`, `\u{9b}`. Newlines are escaped too unless `keep_newlines`.
pub fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let needs = |c: char| is_control(c) && !(keep_newlines && c == '\n');
    if !s.chars().any(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !needs(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

fn is_control(c: char) -> bool {
    c != '\t' && (c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_and_controls_are_made_visible() {
        assert_eq!(escape("\x1b[31mred\x1b[0m", false), "\\x1b[31mred\\x1b[0m");
        assert_eq!(escape("a\rb\u{9b}c\x07", false), "a\\rb\\u{9b}c\\x07");
        assert_eq!(escape("line1\nline2", true), "line1\nline2");
        assert_eq!(escape("line1\nline2", false), "line1\\nline2");
        assert_eq!(escape("tab\tok café", false), "tab\tok café");
        assert!(matches!(escape("plain", false), Cow::Borrowed(_)));
    }
}
