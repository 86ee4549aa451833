//! Which lines continue the text record above them.
//!
//! Owns the rule of SPEC §2 (issue 9): only lines shaped like a traceback
//! or a continued message join the record above — indented lines,
//! `Traceback (most recent call last):`, the chaining sentences between two
//! tracebacks, loguru's `> File` marker, and, once a traceback has begun,
//! its final `Name: message` line. Anything else (a uvicorn access line, a
//! gunicorn line, a stray `print`) is its own record or an unparsed line.

/// How a line that starts no record relates to a text record above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Continuation {
    /// Starts or chains a traceback: joins, and `Name: message` lines may follow.
    Traceback,
    /// A frame line (`  File "x.py", line 3, in f`, loguru's `> File`):
    /// joins, and is a traceback under way.
    Frame,
    /// Indented: joins.
    Indented,
    /// `Name: message` or a bare exception name: joins only inside a traceback.
    Exception,
    /// Joins nothing.
    No,
}

const TRACEBACK_STARTS: [&[u8]; 5] = [
    b"Traceback (most recent call last):",
    b"Stack (most recent call last):",
    b"During handling of the above exception, another exception occurred:",
    b"The above exception was the direct cause of the following exception:",
    b"Exception Group Traceback (most recent call last):",
];

/// Classifies a line (without its newline or container prefix).
pub fn continuation(line: &[u8]) -> Continuation {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    match line.first() {
        Some(b' ' | b'\t') => {
            let text = line.trim_ascii_start();
            return if text.starts_with(b"File \"") {
                Continuation::Frame
            } else {
                Continuation::Indented
            };
        }
        None => return Continuation::No,
        _ => {}
    }
    if TRACEBACK_STARTS.iter().any(|s| line.starts_with(s)) {
        return Continuation::Traceback;
    }
    // loguru's `backtrace=True` marks the frame where the error was caught.
    if line.starts_with(b"> File \"") {
        return Continuation::Frame;
    }
    if is_exception_line(line) {
        return Continuation::Exception;
    }
    Continuation::No
}

/// `ValueError: bad input`, `httpx.HTTPStatusError: …`, `KeyboardInterrupt`:
/// a dotted Python name alone or followed by `: `.
fn is_exception_line(line: &[u8]) -> bool {
    let name_len = line
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.')))
        .unwrap_or(line.len());
    let name = &line[..name_len];
    let starts_well = name
        .first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_');
    // Exception names are CamelCase; an all-capitals word is a level
    // (`INFO:     …`) or a label.
    if !name.iter().any(u8::is_ascii_lowercase) {
        return false;
    }
    let ends_well = name.last().is_some_and(|c| *c != b'.');
    if !starts_well || !ends_well {
        return false;
    }
    matches!(&line[name_len..], [] | [b':'] | [b':', b' ', ..])
}

/// Whether a continuation line joins a record, given whether that record
/// has a traceback under way; returns the new traceback state too.
pub fn joins(c: Continuation, in_traceback: bool) -> Option<bool> {
    match c {
        Continuation::Traceback | Continuation::Frame => Some(true),
        Continuation::Indented => Some(in_traceback),
        Continuation::Exception if in_traceback => Some(true),
        Continuation::Exception | Continuation::No => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traceback_lines() {
        use Continuation::*;
        for (line, want) in [
            ("Traceback (most recent call last):", Traceback),
            ("  File \"/app/x.py\", line 3, in f", Frame),
            ("    raise ValueError(\"bad\")", Indented),
            ("\t  at x", Indented),
            ("> File \"/app/x.py\", line 3, in f", Frame),
            ("ValueError: bad input", Exception),
            ("httpx.HTTPStatusError: Server error '503'", Exception),
            ("KeyboardInterrupt", Exception),
            (
                "During handling of the above exception, another exception occurred:",
                Traceback,
            ),
            (
                "The above exception was the direct cause of the following exception:",
                Traceback,
            ),
            (
                r#"INFO:     172.18.0.1:51236 - "POST /api HTTP/1.1" 500"#,
                No,
            ),
            ("Note that this is text", No),
            ("a.b.: x", No),
            ("1Error: x", No),
            ("", No),
        ] {
            assert_eq!(continuation(line.as_bytes()), want, "{line}");
        }
    }

    #[test]
    fn exception_lines_join_only_inside_a_traceback() {
        assert_eq!(joins(Continuation::Exception, false), None);
        assert_eq!(joins(Continuation::Exception, true), Some(true));
        assert_eq!(joins(Continuation::Indented, false), Some(false));
        assert_eq!(joins(Continuation::Frame, false), Some(true));
        assert_eq!(joins(Continuation::No, true), None);
    }
}
