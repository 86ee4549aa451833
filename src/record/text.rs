//! Plain-text log lines: Python `logging` layouts, loguru's file format, and
//! the `docker compose logs` prefix.
//!
//! Owns recognizing the first line of a text record ([`parse_head`]); the
//! folding of following lines (tracebacks) into it is done by the caller,
//! which knows where records begin and end.

use super::level::Level;

/// The parts of a text record's first line, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head<'a> {
    pub time: Option<&'a str>,
    pub level: &'a str,
    pub module: Option<&'a str>,
    /// Byte offset of the message within the line.
    pub message_at: usize,
}

/// Splits a `docker compose logs` prefix (`api-1  | `) off a line, returning
/// the service name and the rest.
pub fn split_docker_prefix(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let name_len = line
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')))?;
    if name_len == 0 || !line[0].is_ascii_alphanumeric() {
        return None;
    }
    let mut i = name_len;
    let spaces = i;
    while line.get(i) == Some(&b' ') {
        i += 1;
    }
    if i == spaces || line.get(i) != Some(&b'|') {
        return None;
    }
    i += 1;
    match line.get(i) {
        None => Some((&line[..name_len], &line[i..])),
        Some(b' ') => Some((&line[..name_len], &line[i + 1..])),
        _ => None,
    }
}

/// Length of a leading `YYYY-MM-DD[ T]HH:MM:SS[.,frac][Z|±HH:MM]` timestamp.
fn timestamp_len(s: &[u8]) -> Option<usize> {
    let shape = b"dddd-dd-dd_dd:dd:dd";
    if s.len() < shape.len() {
        return None;
    }
    for (c, want) in s.iter().zip(shape) {
        let ok = match want {
            b'd' => c.is_ascii_digit(),
            b'_' => *c == b' ' || *c == b'T',
            w => c == w,
        };
        if !ok {
            return None;
        }
    }
    let mut i = shape.len();
    if matches!(s.get(i), Some(b'.' | b',')) && s.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    match s.get(i) {
        Some(b'Z') => i += 1,
        Some(b'+' | b'-') if s.get(i + 1).is_some_and(u8::is_ascii_digit) => {
            i += 1;
            while s.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b':') {
                i += 1;
            }
        }
        _ => {}
    }
    Some(i)
}

fn level_word(s: &str) -> Option<&str> {
    let w = s.trim();
    Level::parse(w).filter(|_| !w.is_empty() && w.bytes().all(|c| c.is_ascii_alphabetic()))?;
    Some(w)
}

/// Recognizes the first line of a text record, or `None` when the line does
/// not start one (a traceback line, or something unparsed).
pub fn parse_head(line: &str) -> Option<Head<'_>> {
    let b = line.as_bytes();
    let (time_start, time_end, after) = if b.first() == Some(&b'[') {
        let n = timestamp_len(&b[1..])?;
        if b.get(1 + n) != Some(&b']') {
            return None;
        }
        (1, 1 + n, 2 + n)
    } else if let Some(n) = timestamp_len(b) {
        (0, n, n)
    } else {
        return parse_basic_config(line);
    };
    let time = Some(&line[time_start..time_end]);
    let rest = &line[after..];
    let at = |part: &str| part.as_ptr() as usize - line.as_ptr() as usize;

    // loguru: `| LEVEL    | name:function:line - message`
    if let Some(r) = rest.strip_prefix(" | ") {
        let (level, r) = r.split_once(" | ")?;
        let level = level_word(level)?;
        let (location, message) = r.split_once(" - ").unwrap_or((r, ""));
        let module = location.split(':').next().filter(|m| !m.is_empty());
        return Some(Head {
            time,
            level,
            module,
            message_at: at(message),
        });
    }
    // logging: ` - name - LEVEL - message` (or ` - LEVEL - name - message`)
    if let Some(r) = rest.strip_prefix(" - ") {
        let mut parts = r.splitn(3, " - ");
        let a = parts.next()?;
        let b2 = parts.next()?;
        let message = parts.next().unwrap_or("");
        let (module, level) = match level_word(b2) {
            Some(l) => (a, l),
            None => (b2, level_word(a)?),
        };
        return Some(Head {
            time,
            level,
            module: Some(module.trim()),
            message_at: at(message),
        });
    }
    // ` [LEVEL] name: message`, ` LEVEL name: message`, ` LEVEL message`
    let r = rest.trim_start();
    let (level, r) = if let Some(inner) = r.strip_prefix('[') {
        let (l, r) = inner.split_once(']')?;
        (level_word(l)?, r)
    } else {
        let end = r.find(' ').unwrap_or(r.len());
        (level_word(&r[..end])?, &r[end..])
    };
    let r = r.trim_start();
    let r = r.strip_prefix("- ").unwrap_or(r);
    let (module, message) = split_module(r);
    Some(Head {
        time,
        level,
        module,
        message_at: at(message),
    })
}

/// `name: message` or `name - message`, when `name` is one word.
fn split_module(r: &str) -> (Option<&str>, &str) {
    let word_end = r.find(' ').unwrap_or(r.len());
    let word = &r[..word_end];
    if let Some(name) = word.strip_suffix(':') {
        if !name.is_empty() {
            return (Some(name), r[word_end..].trim_start());
        }
    }
    if let Some(rest) = r[word_end..].strip_prefix(" - ") {
        if !word.is_empty() {
            return (Some(word), rest);
        }
    }
    (None, r)
}

/// `LEVEL:name:message`, the default of `logging.basicConfig()`.
fn parse_basic_config(line: &str) -> Option<Head<'_>> {
    let (level, rest) = line.split_once(':')?;
    if !matches!(level, "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL") {
        return None;
    }
    let (module, message) = rest.split_once(':').unwrap_or((rest, ""));
    if module.is_empty() || module.contains(' ') {
        return None;
    }
    let message_at = message.as_ptr() as usize - line.as_ptr() as usize;
    Some(Head {
        time: None,
        level,
        module: Some(module),
        message_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(line: &str) -> (Option<&str>, &str, Option<&str>, &str) {
        let h = parse_head(line).unwrap_or_else(|| panic!("no head: {line}"));
        (h.time, h.level, h.module, &line[h.message_at..])
    }

    #[test]
    fn python_logging_dash_format() {
        assert_eq!(
            head("2024-01-15 10:30:00,123 - src.api.routes - INFO - Request received"),
            (
                Some("2024-01-15 10:30:00,123"),
                "INFO",
                Some("src.api.routes"),
                "Request received"
            )
        );
    }

    #[test]
    fn loguru_default_format() {
        assert_eq!(
            head("2024-01-15 10:30:00.123 | WARNING  | app.main:run:42 - disk - low"),
            (
                Some("2024-01-15 10:30:00.123"),
                "WARNING",
                Some("app.main"),
                "disk - low"
            )
        );
    }

    #[test]
    fn bracket_level_formats() {
        assert_eq!(
            head("2024-01-15 10:31:00,000 [WARNING] src.db: pool almost empty"),
            (
                Some("2024-01-15 10:31:00,000"),
                "WARNING",
                Some("src.db"),
                "pool almost empty"
            )
        );
        assert_eq!(
            head("[2024-01-15T10:31:00Z] [error] boom"),
            (Some("2024-01-15T10:31:00Z"), "error", None, "boom")
        );
        assert_eq!(
            head("2024-01-15 10:31:00,000 INFO worker: started"),
            (
                Some("2024-01-15 10:31:00,000"),
                "INFO",
                Some("worker"),
                "started"
            )
        );
    }

    #[test]
    fn basic_config_format() {
        assert_eq!(
            head("ERROR:src.worker:job failed"),
            (None, "ERROR", Some("src.worker"), "job failed")
        );
        assert!(parse_head("Error: something").is_none());
        assert!(parse_head("INFO:has space:x").is_none());
    }

    #[test]
    fn tracebacks_do_not_start_records() {
        for l in [
            "Traceback (most recent call last):",
            "  File \"x.py\", line 1",
            "ValueError: bad",
            "",
            "2024-01-15 garbage",
            "{\"a\":1}",
        ] {
            assert!(parse_head(l).is_none(), "{l}");
        }
    }

    #[test]
    fn docker_prefix() {
        assert_eq!(
            split_docker_prefix(b"api-1     | {\"a\":1}"),
            Some((&b"api-1"[..], &b"{\"a\":1}"[..]))
        );
        assert_eq!(
            split_docker_prefix(b"worker_2 |"),
            Some((&b"worker_2"[..], &b""[..]))
        );
        assert_eq!(split_docker_prefix(b"api-1| x"), None);
        assert_eq!(split_docker_prefix(b"{\"a\": \"b | c\"}"), None);
        assert_eq!(split_docker_prefix(b" api | x"), None);
    }
}
