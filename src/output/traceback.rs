//! structlog `dict_tracebacks` drawn back as a Python traceback.
//!
//! structlog's `dict_tracebacks` processor logs an exception as a JSON array
//! of exception dicts (`exc_type`, `exc_value`, `exc_notes`, `syntax_error`,
//! `is_cause`, `frames`, `is_group`, `exceptions`). The array lists the
//! exception that was raised last first, then its `__cause__` (`is_cause`
//! true) or `__context__` (false), and so on; Python prints the same chain
//! the other way round, innermost first. Frames are in Python's order.
//!
//! This module only turns such a value into text; a value of any other shape
//! gives `None` and stays JSON. Escaping is left to the caller.

use serde_json::Value;
use std::fmt::Write;

const CAUSE: &str = "The above exception was the direct cause of the following exception:";
const CONTEXT: &str = "During handling of the above exception, another exception occurred:";

/// The Python traceback text of a structlog dict traceback: an array whose
/// items are all objects with `exc_type` and `frames`; `None` otherwise.
pub fn to_text(value: &Value) -> Option<String> {
    let stacks = as_stacks(value)?;
    let mut out = String::new();
    write_chain(&mut out, stacks);
    Some(out.trim_end_matches('\n').to_string())
}

/// Whether a value has the shape of a structlog dict traceback.
pub fn is_dict_traceback(value: &Value) -> bool {
    as_stacks(value).is_some()
}

fn as_stacks(value: &Value) -> Option<&[Value]> {
    let stacks = value.as_array()?;
    let is_stack = |s: &Value| {
        s.as_object().is_some_and(|o| {
            o.contains_key("exc_type") && o.get("frames").is_some_and(Value::is_array)
        })
    };
    (!stacks.is_empty() && stacks.iter().all(is_stack)).then_some(stacks)
}

/// Writes a chain innermost first, with Python's line between two links.
fn write_chain(out: &mut String, stacks: &[Value]) {
    for (i, stack) in stacks.iter().enumerate().rev() {
        write_stack(out, stack);
        if i > 0 {
            // Stack `i` is the cause or the context of stack `i - 1`.
            let line = if stack.get("is_cause").and_then(Value::as_bool) == Some(true) {
                CAUSE
            } else {
                CONTEXT
            };
            let _ = write!(out, "\n{line}\n\n");
        }
    }
}

fn write_stack(out: &mut String, stack: &Value) {
    let frames = stack
        .get("frames")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let is_group = stack.get("is_group").and_then(Value::as_bool) == Some(true);
    if !frames.is_empty() {
        out.push_str(if is_group {
            "Exception Group Traceback (most recent call last):\n"
        } else {
            "Traceback (most recent call last):\n"
        });
    }
    for frame in frames {
        let filename = text(frame.get("filename"));
        let name = text(frame.get("name"));
        match frame.get("lineno").and_then(Value::as_i64) {
            // structlog's stand-in for frames cut by `max_frames`.
            Some(n) if n < 0 => {
                let _ = writeln!(out, "  [{name}]");
            }
            n => {
                let n = n.map_or_else(|| "?".to_string(), |n| n.to_string());
                let _ = writeln!(out, "  File \"{filename}\", line {n}, in {name}");
            }
        }
        if let Some(line) = frame.get("line").and_then(Value::as_str) {
            if !line.trim().is_empty() {
                let _ = writeln!(out, "    {}", line.trim());
            }
        }
    }
    if let Some(se) = stack.get("syntax_error").filter(|v| v.is_object()) {
        let lineno = se.get("lineno").and_then(Value::as_i64).unwrap_or(0);
        let _ = writeln!(
            out,
            "  File \"{}\", line {lineno}",
            text(se.get("filename"))
        );
        let line = text(se.get("line"));
        let code = line.trim_end();
        if !code.trim().is_empty() {
            let trimmed = code.trim_start();
            let _ = writeln!(out, "    {trimmed}");
            // Python's caret under the offending column (1-based).
            let offset = se.get("offset").and_then(Value::as_u64).unwrap_or(0) as usize;
            let lead = code.chars().count() - trimmed.chars().count();
            if offset > lead {
                let _ = writeln!(out, "    {}^", " ".repeat(offset - lead - 1));
            }
        }
    }
    let exc_type = text(stack.get("exc_type"));
    let exc_value = text(stack.get("exc_value"));
    if exc_value.is_empty() {
        let _ = writeln!(out, "{exc_type}");
    } else {
        let _ = writeln!(out, "{exc_type}: {exc_value}");
    }
    for note in stack
        .get("exc_notes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let _ = writeln!(out, "{}", text(Some(note)));
    }
    if is_group {
        write_group(out, stack);
    }
}

/// The sub-exceptions of an exception group, numbered and fenced as
/// Python draws them (`+---- 1 ----`, each line under `| `).
fn write_group(out: &mut String, stack: &Value) {
    let subs = stack
        .get("exceptions")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for (i, sub) in subs.iter().enumerate() {
        let lead = if i == 0 { "+-+" } else { "    +" };
        let _ = writeln!(out, "{lead}---------------- {} ----------------", i + 1);
        let mut inner = String::new();
        match as_stacks(sub) {
            Some(stacks) => write_chain(&mut inner, stacks),
            None => inner.push_str(&sub.to_string()),
        }
        for line in inner.trim_end_matches('\n').lines() {
            let _ = writeln!(out, "    | {line}");
        }
    }
    if !subs.is_empty() {
        out.push_str("    +------------------------------------\n");
    }
}

/// A string as is, any other value as JSON, nothing as empty.
fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tb(json: &str) -> Option<String> {
        to_text(&serde_json::from_str(json).unwrap())
    }

    #[test]
    fn one_exception_with_frames_and_source_lines() {
        let json = r#"[{"exc_type":"ValueError","exc_value":"bad input","exc_notes":[],"syntax_error":null,"is_cause":false,
            "frames":[{"filename":"/app/x.py","lineno":12,"name":"compute","locals":null},
                      {"filename":"/app/y.py","lineno":3,"name":"parse","line":"  return int(s)  "}],
            "is_group":false,"exceptions":[]}]"#;
        assert_eq!(
            tb(json).unwrap(),
            "Traceback (most recent call last):\n  \
             File \"/app/x.py\", line 12, in compute\n  \
             File \"/app/y.py\", line 3, in parse\n    \
             return int(s)\n\
             ValueError: bad input"
        );
    }

    /// structlog lists the last raised exception first; Python prints the
    /// cause (or context) first.
    #[test]
    fn chains_print_innermost_first_with_pythons_separators() {
        let json = r#"[
            {"exc_type":"RuntimeError","exc_value":"handler failed","is_cause":false,
             "frames":[{"filename":"s.py","lineno":12,"name":"<module>"}]},
            {"exc_type":"ValueError","exc_value":"bad","is_cause":true,
             "frames":[{"filename":"s.py","lineno":5,"name":"compute"}]},
            {"exc_type":"KeyError","exc_value":"'k'","is_cause":false,
             "frames":[{"filename":"s.py","lineno":2,"name":"load"}]}]"#;
        assert_eq!(
            tb(json).unwrap(),
            "Traceback (most recent call last):\n  \
             File \"s.py\", line 2, in load\n\
             KeyError: 'k'\n\
             \n\
             During handling of the above exception, another exception occurred:\n\
             \n\
             Traceback (most recent call last):\n  \
             File \"s.py\", line 5, in compute\n\
             ValueError: bad\n\
             \n\
             The above exception was the direct cause of the following exception:\n\
             \n\
             Traceback (most recent call last):\n  \
             File \"s.py\", line 12, in <module>\n\
             RuntimeError: handler failed"
        );
    }

    #[test]
    fn notes_syntax_errors_skipped_frames_and_no_frames() {
        let json = r#"[{"exc_type":"SyntaxError","exc_value":"invalid syntax (m.py, line 1)",
            "exc_notes":["while loading m"],
            "syntax_error":{"offset":5,"filename":"m.py","line":"  x = = 1\n","lineno":1,"msg":"invalid syntax"},
            "frames":[{"filename":"","lineno":-1,"name":"Skipped frames: 7"}]}]"#;
        assert_eq!(
            tb(json).unwrap(),
            "Traceback (most recent call last):\n  \
             [Skipped frames: 7]\n  \
             File \"m.py\", line 1\n    \
             x = = 1\n      \
             ^\n\
             SyntaxError: invalid syntax (m.py, line 1)\n\
             while loading m"
        );
        assert_eq!(
            tb(r#"[{"exc_type":"StopIteration","exc_value":"","frames":[]}]"#).unwrap(),
            "StopIteration"
        );
    }

    #[test]
    fn exception_groups_fence_their_members() {
        let json = r#"[{"exc_type":"ExceptionGroup","exc_value":"many (2 sub-exceptions)","is_group":true,
            "frames":[{"filename":"g.py","lineno":9,"name":"main"}],
            "exceptions":[
              [{"exc_type":"ValueError","exc_value":"a","frames":[]}],
              [{"exc_type":"TypeError","exc_value":"b","frames":[{"filename":"g.py","lineno":4,"name":"f"}]}]]}]"#;
        assert_eq!(
            tb(json).unwrap(),
            "Exception Group Traceback (most recent call last):\n  \
             File \"g.py\", line 9, in main\n\
             ExceptionGroup: many (2 sub-exceptions)\n\
             +-+---------------- 1 ----------------\n    \
             | ValueError: a\n    \
             +---------------- 2 ----------------\n    \
             | Traceback (most recent call last):\n    \
             |   File \"g.py\", line 4, in f\n    \
             | TypeError: b\n    \
             +------------------------------------"
        );
    }

    #[test]
    fn other_shapes_are_not_tracebacks() {
        for json in [
            r#"[]"#,
            r#"[1,2]"#,
            r#"{"exc_type":"E","frames":[]}"#,
            r#"[{"exc_type":"E"}]"#,
            r#"[{"exc_type":"E","frames":{}}]"#,
            r#"[{"exc_type":"E","frames":[]},{"frames":[]}]"#,
            r#""Traceback""#,
        ] {
            assert_eq!(tb(json), None, "{json}");
        }
    }
}
