//! Blocks: the multi-line parts of a record, drawn indented under its line.
//!
//! A record's line holds the first line of its message and its one-line
//! fields. What does not fit on one line becomes a [`Block`]: the rest of a
//! multi-line message (a text traceback), then, in record order, every
//! shown string field whose value has several lines (`exc_info`,
//! `stack_info`, `exception`, ECS `error.stack_trace`, whatever the key) and
//! every structlog dict traceback (drawn as Python's text by `traceback`).
//! Pretty output and the `trace` timeline both draw [`blocks`]; they only
//! choose the indentation. Raw, json and logfmt keep one line per record.
//!
//! Invariant: block lines are escaped (SPEC §6), hold no newline and, when
//! blank, are empty, so no printer writes trailing whitespace.

use super::fields::shown_fields;
use super::{traceback, Style};
use crate::escape::escape;
use crate::record::{Field, Record, Role, RoleMap};
use owo_colors::OwoColorize;
use serde_json::Value;

/// Lines drawn under a record: a message's continuation, or a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The dotted key of the field; `None` for the message's continuation.
    pub label: Option<String>,
    /// The text, escaped, one line each, without indentation.
    pub lines: Vec<String>,
}

impl Block {
    /// The block as drawn, before the record's indentation: the label
    /// (`exc_info:`, dimmed) and the text two columns in, or for a message
    /// the lines as they are; blank lines empty.
    pub fn draw(&self, color: bool) -> Vec<String> {
        let mut out = Vec::with_capacity(self.lines.len() + 1);
        let pad = match &self.label {
            Some(key) => {
                let label = format!("{}:", escape(key, false));
                out.push(if color {
                    label.dimmed().to_string()
                } else {
                    label
                });
                "  "
            }
            None => "",
        };
        for line in &self.lines {
            if line.trim().is_empty() {
                out.push(String::new());
            } else {
                out.push(format!("{pad}{line}"));
            }
        }
        out
    }
}

/// The blocks of a record in drawing order: the message's continuation
/// lines, then each shown field (after `--fields`/`--hide`) that is
/// multi-line text or a dict traceback, in record order.
pub fn blocks(rec: &Record, roles: &RoleMap, style: &Style) -> Vec<Block> {
    let message = rec.role_text(Role::Message, roles).unwrap_or_default();
    let (_, more) = split_message(&message);
    let (_, fields) = partition(shown_fields(rec, roles, style));
    more.into_iter().chain(fields).collect()
}

/// A message's first line (escaped, for the record's line) and the block of
/// its other lines, if it has more. CRLF line ends count as one.
pub fn split_message(message: &str) -> (String, Option<Block>) {
    let message = if message.contains("\r\n") {
        // A text record from a CRLF file: its continuation lines end in \r.
        message.replace("\r\n", "\n")
    } else {
        message.to_string()
    };
    let message = escape(&message, true);
    let mut lines = message.lines();
    let first = lines.next().unwrap_or("").to_string();
    let rest: Vec<String> = lines.map(str::to_string).collect();
    let more = (!rest.is_empty()).then_some(Block {
        label: None,
        lines: rest,
    });
    (first, more)
}

/// Splits shown fields into those drawn as `key=value` on the record's line
/// and the blocks of the others, each keeping its order.
pub fn partition<'a>(fields: Vec<(String, Field<'a>)>) -> (Vec<(String, Field<'a>)>, Vec<Block>) {
    let mut inline = Vec::with_capacity(fields.len());
    let mut blocks = Vec::new();
    for (key, f) in fields {
        match of_field(&key, &f) {
            Some(b) => blocks.push(b),
            None => inline.push((key, f)),
        }
    }
    (inline, blocks)
}

/// The block of a field, when its value is text of several lines (a
/// trailing line break does not count) or a structlog dict traceback.
pub fn of_field(key: &str, f: &Field) -> Option<Block> {
    let text = match f.as_str() {
        Some(s) => {
            if !s.contains('\n') {
                return None;
            }
            let s = s.replace("\r\n", "\n");
            let s = trim_line_ends(&s);
            if !s.contains('\n') {
                return None;
            }
            s.to_string()
        }
        None => {
            // Decode only what may be one: an array naming `exc_type`.
            let maybe = match f {
                Field::Raw(r) => r.get().starts_with('[') && r.get().contains("\"exc_type\""),
                Field::Owned(v) => v.is_array(),
                Field::Text(_) | Field::Word(_) => false,
            };
            if !maybe {
                return None;
            }
            traceback::to_text(&f.to_value())?
        }
    };
    Some(Block {
        label: Some(key.to_string()),
        lines: escape(&text, true).lines().map(str::to_string).collect(),
    })
}

/// Whether a decoded value is drawn as a block (see [`of_field`]), for
/// printers that walk values rather than fields.
pub fn is_block_value(v: &Value) -> bool {
    match v {
        Value::String(s) => trim_line_ends(s).contains('\n'),
        Value::Array(_) => traceback::is_dict_traceback(v),
        _ => false,
    }
}

/// The text without its trailing line breaks (`\n`, `\r\n`).
pub fn trim_line_ends(s: &str) -> &str {
    s.trim_end_matches(['\n', '\r'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(line: &str, style: &Style) -> Vec<Block> {
        blocks(&Record::parse(line), &RoleMap::default(), style)
    }

    fn block(label: Option<&str>, lines: &[&str]) -> Block {
        Block {
            label: label.map(str::to_string),
            lines: lines.iter().map(|l| l.to_string()).collect(),
        }
    }

    #[test]
    fn message_continuation_comes_first_then_fields_in_record_order() {
        let line = r#"{"msg":"boom\r\n  at x","stack_info":"Stack:\n  s","n":1,"exc_info":"Traceback\r\n  File \"a\"\n","err":{"stack_trace":"E\n\tat b"}}"#;
        assert_eq!(
            of(line, &Style::default()),
            vec![
                block(None, &["  at x"]),
                block(Some("stack_info"), &["Stack:", "  s"]),
                block(Some("exc_info"), &["Traceback", "  File \"a\""]),
                block(Some("err.stack_trace"), &["E", "\tat b"]),
            ]
        );
    }

    #[test]
    fn one_line_after_trailing_breaks_is_not_a_block() {
        let line = r#"{"msg":"m","a":"one\n","b":"two\r\n\n","c":"","d":["x\ny"],"e":{"k":"v"}}"#;
        assert_eq!(of(line, &Style::default()), vec![]);
    }

    #[test]
    fn fields_and_hide_choose_blocks() {
        let line = r#"{"msg":"m","a":"1\n2","b":"3\n4","error":{"stack_trace":"5\n6","type":"E"}}"#;
        let hide = Style {
            hide: vec!["a".into(), "error.stack_trace".into()],
            ..Style::default()
        };
        assert_eq!(of(line, &hide), vec![block(Some("b"), &["3", "4"])]);
        let fields = Style {
            fields: Some(vec![vec!["error".into()], vec!["a".into()]]),
            ..Style::default()
        };
        assert_eq!(
            of(line, &fields),
            vec![
                block(Some("error.stack_trace"), &["5", "6"]),
                block(Some("a"), &["1", "2"]),
            ]
        );
    }

    #[test]
    fn block_text_is_escaped() {
        let line = r#"{"msg":"m","exc":"a\u001b[31m\n\u0007b\rc"}"#;
        assert_eq!(
            of(line, &Style::default()),
            vec![block(Some("exc"), &["a\\x1b[31m", "\\x07b\\rc"])]
        );
    }

    #[test]
    fn dict_tracebacks_are_drawn_as_python_text() {
        let line = r#"{"event":"failed","exception":[{"exc_type":"ValueError","exc_value":"bad","frames":[{"filename":"/app/x.py","lineno":12,"name":"compute"}]}]}"#;
        assert_eq!(
            of(line, &Style::default()),
            vec![block(
                Some("exception"),
                &[
                    "Traceback (most recent call last):",
                    "  File \"/app/x.py\", line 12, in compute",
                    "ValueError: bad"
                ]
            )]
        );
    }

    #[test]
    fn drawn_with_label_and_without_trailing_spaces() {
        let b = block(Some("exc_info"), &["Traceback", "", "  x", "  "]);
        assert_eq!(b.draw(false), ["exc_info:", "  Traceback", "", "    x", ""]);
        assert_eq!(b.draw(true)[0], "\x1b[2mexc_info:\x1b[0m");
        let b = block(None, &["  at x", " "]);
        assert_eq!(b.draw(false), ["  at x", ""]);
    }
}
