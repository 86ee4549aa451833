//! Making log data safe for a terminal.
//!
//! Log messages, field values and file names may carry ANSI sequences,
//! other control characters or bidi overrides (a coloured message logged by
//! another tool, or an attack: OSC 52 writes the clipboard, U+202E reorders
//! what a reader sees). Everything that writes data or a file name for a
//! human, on stdout or on stderr (`report`), passes it through [`escape`], the
//! one place that decides what is unsafe, so such characters show as visible
//! escapes and never act on the terminal (SPEC §6, issue 13, SECURITY.md).

use std::borrow::Cow;
use std::fmt::Write;

/// Replaces control characters (C0 but tab, DEL, C1) and bidi controls with
/// visible escapes: `\x1b`, `\r`, `\u{9b}`, `\u{202e}`. Newlines are escaped
/// too unless `keep_newlines`. The result holds none of these, so escaping
/// twice gives the same text.
pub fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let needs = |c: char| is_unsafe(c) && !(keep_newlines && c == '\n');
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

/// Whether `c` may act on a terminal or reorder what is shown: C0 but tab,
/// DEL, C1 (`char::is_control` is exactly these), and the bidi embedding,
/// override and isolate controls and marks (Unicode UAX #9): U+202A–U+202E,
/// U+2066–U+2069, U+200E, U+200F, U+061C.
pub fn is_unsafe(c: char) -> bool {
    (c != '\t' && c.is_control())
        || matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
        )
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

    #[test]
    fn bidi_controls_are_made_visible() {
        assert_eq!(escape("a\u{202e}b", false), "a\\u{202e}b");
        for c in [
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{61c}', '\u{7f}', '\u{80}',
            '\u{9f}', '\u{1b}', '\u{7}',
        ] {
            let s = c.to_string();
            let e = escape(&s, true);
            assert!(e.starts_with('\\'), "{c:?} gave {e:?}");
        }
        // Neighbours that are not controls are kept.
        assert_eq!(
            escape("\u{2065}\u{2029}\u{200d}é", false),
            "\u{2065}\u{2029}\u{200d}é"
        );
    }

    #[test]
    fn osc52_clipboard_write_is_inert() {
        assert_eq!(
            escape("x\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J", false),
            "x\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J"
        );
    }
}
