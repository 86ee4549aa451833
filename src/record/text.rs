//! Plain-text log lines: the first line of a text record.
//!
//! Owns recognizing the head of a text record ([`parse_head`]) in the
//! layouts a Python container prints: `logging` (`asctime - name - LEVEL -
//! message` and its `[LEVEL]`, `LEVEL:name:message` and Flask variants),
//! loguru's file format, gunicorn's error log, Celery's worker lines,
//! uvicorn's `LEVEL:     message`, and the request lines of `access`.
//! Which following lines continue a record (tracebacks) is `traceback`'s
//! business; key=value pairs in the message are `pairs`'.

use super::access;
pub use super::head::{offset, Head};
use super::level::Level;

/// Length of a leading `YYYY-MM-DD[ T]HH:MM:SS[.,frac][Z|±HH:MM| ±HHMM]`
/// timestamp (the last form is gunicorn's `%z` after a space).
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
    let zone_at = |i: usize| {
        matches!(s.get(i), Some(b'+' | b'-')) && s.get(i + 1).is_some_and(u8::is_ascii_digit)
    };
    if s.get(i) == Some(&b' ') && zone_at(i + 1) && s.get(i + 2).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    match s.get(i) {
        Some(b'Z') => i += 1,
        Some(b'+' | b'-') if zone_at(i) => {
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
        let Some(n) = timestamp_len(&b[1..]) else {
            return access::parse(line);
        };
        match b.get(1 + n) {
            Some(b']') => (1, 1 + n, 2 + n),
            Some(b':') => return celery(line, &line[1..1 + n], &line[2 + n..]),
            _ => return None,
        }
    } else if let Some(n) = timestamp_len(b) {
        (0, n, n)
    } else {
        return uvicorn(line)
            .or_else(|| parse_basic_config(line))
            .or_else(|| access::parse(line))
            .or_else(|| access::django_request(line));
    };
    let time = Some(&line[time_start..time_end]);
    let rest = &line[after..];

    // loguru: `| LEVEL    | name:function:line - message`
    if let Some(r) = rest.strip_prefix(" | ") {
        let (level, r) = r.split_once(" | ")?;
        let level = level_word(level)?;
        let (location, message) = r.split_once(" - ").unwrap_or((r, ""));
        let module = location.split(':').next().filter(|m| !m.is_empty());
        return Some(Head::new(line, time, level, module, message));
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
        return Some(Head::new(line, time, level, Some(module.trim()), message));
    }
    // gunicorn: `[time] [pid] [LEVEL] message`
    if let Some(head) = gunicorn(line, time, rest) {
        return Some(head);
    }
    // ` [LEVEL] name: message`, ` LEVEL name: message`, ` LEVEL message`,
    // Flask's ` LEVEL in module: message`
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
    if let Some(flask) = r.strip_prefix("in ") {
        if let (Some(module), message) = split_module(flask) {
            return Some(Head::new(line, time, level, Some(module), message));
        }
    }
    let (module, message) = split_module(r);
    Some(Head::new(line, time, level, module, message))
}

/// gunicorn's error log after the time: ` [7] [ERROR] message`.
fn gunicorn<'a>(line: &'a str, time: Option<&'a str>, rest: &'a str) -> Option<Head<'a>> {
    let r = rest.strip_prefix(" [")?;
    let (pid, r) = r.split_once("] [")?;
    if pid.is_empty() || !pid.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (level, message) = r.split_once(']')?;
    let level = level_word(level)?;
    let message = message.strip_prefix(' ').unwrap_or(message);
    let mut head = Head::new(line, time, level, Some("gunicorn.error"), message);
    head.fields.push("pid", pid, false);
    Some(head)
}

/// Celery's worker lines: `[time: LEVEL/Process] message`, and task lines
/// `[time: LEVEL/ForkPoolWorker-1] app.tasks.x[<id>]: message`.
fn celery<'a>(line: &'a str, time: &'a str, rest: &'a str) -> Option<Head<'a>> {
    let r = rest.strip_prefix(' ')?;
    let (inner, message) = r.split_once(']')?;
    let (level, process) = inner.split_once('/')?;
    let level = level_word(level)?;
    if process.is_empty() || process.contains(' ') {
        return None;
    }
    let message = message.strip_prefix(' ').unwrap_or(message);
    let task = task_id(message);
    let module = task.map(|(name, _, _)| name).or(Some("celery"));
    let shown = match task {
        // The `name[id]: ` of a task line is where the message starts.
        Some((_, _, after)) if after > 0 => &message[after..],
        _ => message,
    };
    let mut head = Head::new(line, Some(time), level, module, shown);
    head.fields.push("process", process, false);
    if let Some((name, id, after)) = task {
        head.fields.push("task", name, after == 0);
        head.fields.push("task_id", id, after == 0);
    }
    Some(head)
}

/// A Celery task named in a message: `app.tasks.x[<id>]: …` (the prefix of
/// task log lines) or `Task app.tasks.x[<id>] succeeded …`. Returns the
/// name, the id, and where the message proper starts (0 when the task is
/// part of the message).
fn task_id(message: &str) -> Option<(&str, &str, usize)> {
    let (name_at, m) = match message.strip_prefix("Task ") {
        Some(m) => (5, m),
        None => (0, message),
    };
    let open = m.find('[')?;
    let name = &m[..open];
    if name.is_empty()
        || !name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_'))
    {
        return None;
    }
    let close = m[open..].find(']')? + open;
    let id = &m[open + 1..close];
    if id.is_empty() || id.contains(' ') {
        return None;
    }
    if name_at == 0 {
        let after = m[close + 1..].strip_prefix(": ")?;
        Some((name, id, offset(message, after)))
    } else {
        Some((name, id, 0))
    }
}

/// uvicorn's `LEVEL:     message` (the level, a colon, padding to ten
/// columns); access lines are `LEVEL:     client - "request" status`.
fn uvicorn(line: &str) -> Option<Head<'_>> {
    let (level, rest) = line.split_once(':')?;
    if !matches!(
        level,
        "TRACE" | "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL"
    ) || !rest.starts_with(' ')
    {
        return None;
    }
    let message = rest.trim_start_matches(' ');
    if message.is_empty() {
        return None;
    }
    if let Some(head) = access::uvicorn(line, level, message) {
        return Some(head);
    }
    Some(Head::new(line, None, level, Some("uvicorn.error"), message))
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
    Some(Head::new(line, None, level, Some(module), message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(line: &str) -> (Option<&str>, &str, Option<&str>, &str) {
        let h = parse_head(line).unwrap_or_else(|| panic!("no head: {line}"));
        (h.time, h.level, h.module, &line[h.message_at..])
    }

    fn fields(line: &str) -> Vec<(&'static str, &str, bool)> {
        parse_head(line).unwrap().fields.iter().collect()
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
    fn flask_default_format() {
        assert_eq!(
            head("[2024-03-12 10:00:01,000] ERROR in views: Exception on /orders [POST]"),
            (
                Some("2024-03-12 10:00:01,000"),
                "ERROR",
                Some("views"),
                "Exception on /orders [POST]"
            )
        );
    }

    #[test]
    fn gunicorn_error_log() {
        let line = "[2024-03-12 10:00:01 +0100] [7] [ERROR] Worker (pid:9) was sent SIGKILL!";
        assert_eq!(
            head(line),
            (
                Some("2024-03-12 10:00:01 +0100"),
                "ERROR",
                Some("gunicorn.error"),
                "Worker (pid:9) was sent SIGKILL!"
            )
        );
        assert_eq!(fields(line), vec![("pid", "7", false)]);
    }

    #[test]
    fn celery_worker_and_task_lines() {
        let line = "[2024-01-15 10:30:00,123: INFO/MainProcess] Connected to redis://redis:6379/0";
        assert_eq!(
            head(line),
            (
                Some("2024-01-15 10:30:00,123"),
                "INFO",
                Some("celery"),
                "Connected to redis://redis:6379/0"
            )
        );
        assert_eq!(fields(line), vec![("process", "MainProcess", false)]);
        let line = "[2024-01-15 10:30:00,200: INFO/ForkPoolWorker-1] Task app.tasks.send[3f2a-1] succeeded in 0.0123s: None";
        assert_eq!(head(line).2, Some("app.tasks.send"));
        assert_eq!(
            head(line).3,
            "Task app.tasks.send[3f2a-1] succeeded in 0.0123s: None"
        );
        assert_eq!(
            fields(line),
            vec![
                ("process", "ForkPoolWorker-1", false),
                ("task", "app.tasks.send", true),
                ("task_id", "3f2a-1", true)
            ]
        );
        let line =
            "[2024-01-15 10:30:00,150: WARNING/ForkPoolWorker-1] app.tasks.send[3f2a-1]: retrying";
        assert_eq!(head(line).3, "retrying");
        assert_eq!(fields(line)[2], ("task_id", "3f2a-1", false));
    }

    #[test]
    fn uvicorn_lines() {
        assert_eq!(
            head("INFO:     Started server process [1]"),
            (
                None,
                "INFO",
                Some("uvicorn.error"),
                "Started server process [1]"
            )
        );
        assert_eq!(
            head("WARNING:  Invalid HTTP request received."),
            (
                None,
                "WARNING",
                Some("uvicorn.error"),
                "Invalid HTTP request received."
            )
        );
        assert!(parse_head("INFO:").is_none());
        assert!(parse_head("NOTE:     x").is_none());
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
            "[SQL: SELECT 1]",
        ] {
            assert!(parse_head(l).is_none(), "{l}");
        }
    }
}
