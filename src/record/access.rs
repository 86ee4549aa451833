//! HTTP request lines: one line per request, as web servers log them.
//!
//! Owns the access-log layouts of a Python container: the common/combined
//! log format of gunicorn's access log (and werkzeug's, without a zone),
//! Django's runserver (`[12/Mar/2024 10:00:01] "GET / HTTP/1.1" 200 1234`),
//! and uvicorn's access log (`INFO:     172.18.0.1:51236 - "POST /api
//! HTTP/1.1" 500 Internal Server Error`). The parts of the request become
//! fields (`client`, `method`, `path`, `protocol`, `status`, `size`…); the
//! message is the request and what follows it.

use super::head::{offset, Head};

/// The `"METHOD PATH PROTOCOL" STATUS` part of an access line.
struct Request<'a> {
    method: &'a str,
    path: &'a str,
    protocol: &'a str,
    status: &'a str,
    /// What follows the status (size, referer, agent; or uvicorn's phrase).
    rest: &'a str,
}

fn request(s: &str) -> Option<Request<'_>> {
    let inner = s.strip_prefix('"')?;
    let close = inner.find('"')?;
    let mut words = inner[..close].split(' ');
    let method = words.next()?;
    let path = words.next()?;
    let protocol = words.next().unwrap_or("");
    if words.next().is_some()
        || method.is_empty()
        || !method.bytes().all(|c| c.is_ascii_uppercase())
        || path.is_empty()
        || !(protocol.is_empty() || protocol.starts_with("HTTP/"))
    {
        return None;
    }
    let after = inner[close + 1..].strip_prefix(' ')?;
    let status = after.get(..3)?;
    if !status.bytes().all(|c| c.is_ascii_digit())
        || after.len() > 3 && !after[3..].starts_with(' ')
    {
        return None;
    }
    Some(Request {
        method,
        path,
        protocol,
        status,
        rest: after[3..].trim_start(),
    })
}

fn push_request<'a>(head: &mut Head<'a>, r: &Request<'a>) {
    head.has_pairs = false;
    head.fields.push("method", r.method, true);
    head.fields.push("path", r.path, true);
    head.fields.push("protocol", r.protocol, true);
    head.fields.push("status", r.status, true);
}

/// The level Django's runserver logs a response at: 5xx error, 4xx warning.
fn level_of_status(status: &str) -> &'static str {
    match status.as_bytes().first() {
        Some(b'5') => "ERROR",
        Some(b'4') => "WARNING",
        _ => "INFO",
    }
}

/// `dd/Mon/yyyy:HH:MM:SS +zzzz` (CLF) or `dd/Mon/yyyy HH:MM:SS` (werkzeug,
/// Django): its length when the text starts with one.
fn clf_time_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let shape = b"dd/AAA/dddd_dd:dd:dd";
    if b.len() < shape.len() {
        return None;
    }
    for (c, want) in b.iter().zip(shape) {
        let ok = match want {
            b'd' => c.is_ascii_digit(),
            b'A' => c.is_ascii_alphabetic(),
            b'_' => *c == b':' || *c == b' ',
            w => c == w,
        };
        if !ok {
            return None;
        }
    }
    let n = shape.len();
    let zone = b.get(n) == Some(&b' ')
        && matches!(b.get(n + 1), Some(b'+' | b'-'))
        && b.get(n + 2..n + 6)
            .is_some_and(|z| z.iter().all(u8::is_ascii_digit));
    Some(if zone { n + 6 } else { n })
}

/// A common/combined log format line, or Django's runserver line.
pub fn parse(line: &str) -> Option<Head<'_>> {
    if let Some(r) = line.strip_prefix('[') {
        // Django's runserver: `[12/Mar/2024 10:00:01] "GET / HTTP/1.1" 200 1234`.
        let n = clf_time_len(r)?;
        let message = r[n..].strip_prefix("] ")?;
        let req = request(message)?;
        let level = level_of_status(req.status);
        let mut head = Head {
            time: Some(&r[..n]),
            level,
            module: Some("django.server"),
            message_at: offset(line, message),
            fields: Default::default(),
            has_pairs: false,
        };
        push_request(&mut head, &req);
        head.fields.push("size", req.rest, true);
        return Some(head);
    }
    // `host ident user [time] "request" status size ["referer" "agent"]`
    let mut parts = line.splitn(4, ' ');
    let client = parts.next()?;
    let ident = parts.next()?;
    let user = parts.next()?;
    let r = parts.next()?.strip_prefix('[')?;
    let looks_like_host = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b".:-_[]".contains(&c))
    };
    if !looks_like_host(client) || ident.is_empty() || user.is_empty() {
        return None;
    }
    let n = clf_time_len(r)?;
    let message = r[n..].strip_prefix("] ")?;
    let req = request(message)?;
    let mut head = Head {
        time: Some(&r[..n]),
        level: "INFO",
        module: None,
        message_at: offset(line, message),
        fields: Default::default(),
        has_pairs: false,
    };
    head.fields.push("client", client, false);
    if user != "-" {
        head.fields.push("user", user, false);
    }
    push_request(&mut head, &req);
    let mut rest = req.rest.splitn(2, ' ');
    if let Some(size) = rest.next() {
        head.fields.push("size", size, true);
    }
    if let Some(quoted) = rest.next() {
        let mut q = quoted.split('"').skip(1).step_by(2);
        if let Some(referer) = q.next().filter(|r| *r != "-") {
            head.fields.push("referer", referer, true);
        }
        if let Some(agent) = q.next().filter(|a| *a != "-") {
            head.fields.push("user_agent", agent, true);
        }
    }
    Some(head)
}

/// The reason phrases of 4xx and 5xx responses, as Django's
/// `django.request` logger names a failed request: `Not Found: /favicon.ico`.
const REASONS: [&str; 20] = [
    "Bad Request",
    "Unauthorized",
    "Payment Required",
    "Forbidden",
    "Not Found",
    "Method Not Allowed",
    "Not Acceptable",
    "Request Timeout",
    "Conflict",
    "Gone",
    "Precondition Failed",
    "Request Entity Too Large",
    "Unsupported Media Type",
    "Unprocessable Entity",
    "Too Many Requests",
    "Internal Server Error",
    "Not Implemented",
    "Bad Gateway",
    "Service Unavailable",
    "Gateway Timeout",
];

/// Django's `django.request` lines under its default logging, which prints
/// the bare message: `Internal Server Error: /api/orders/` (an error, with
/// the traceback below), `Not Found: /favicon.ico` (a warning), and
/// `Forbidden (CSRF cookie not set.): /api/` with a reason.
pub fn django_request(line: &str) -> Option<Head<'_>> {
    let reason = REASONS.iter().find(|r| line.starts_with(**r))?;
    let rest = &line[reason.len()..];
    let rest = match rest.strip_prefix(" (") {
        Some(r) => &r[r.find("): ")? + 1..],
        None => rest,
    };
    let path = rest.strip_prefix(": ")?;
    if !path.starts_with('/') || path.contains(' ') {
        return None;
    }
    let level = if REASONS.iter().position(|r| r == reason)? >= 15 {
        "ERROR"
    } else {
        "WARNING"
    };
    let mut head = Head {
        time: None,
        level,
        module: Some("django.request"),
        message_at: 0,
        fields: Default::default(),
        has_pairs: false,
    };
    head.fields.push("path", path, true);
    Some(head)
}

/// uvicorn's access line, the part after `LEVEL:     `:
/// `client - "request" status phrase`.
pub fn uvicorn<'a>(line: &'a str, level: &'a str, message: &'a str) -> Option<Head<'a>> {
    let (client, r) = message.split_once(" - ")?;
    if client.contains(' ') {
        return None;
    }
    let req = request(r)?;
    let mut head = Head {
        time: None,
        level,
        module: Some("uvicorn.access"),
        message_at: offset(line, message),
        fields: Default::default(),
        has_pairs: false,
    };
    head.fields.push("client", client, true);
    push_request(&mut head, &req);
    Some(head)
}

#[cfg(test)]
mod tests {
    use super::super::text::parse_head;

    type Parts<'a> = (
        Option<&'a str>,
        &'a str,
        Option<&'a str>,
        &'a str,
        Vec<(&'static str, &'a str)>,
    );

    fn parts(line: &str) -> Parts<'_> {
        let h = parse_head(line).unwrap_or_else(|| panic!("no head: {line}"));
        let fields = h.fields.iter().map(|(k, v, _)| (k, v)).collect();
        (h.time, h.level, h.module, &line[h.message_at..], fields)
    }

    #[test]
    fn uvicorn_access_line() {
        let line =
            r#"INFO:     172.18.0.1:51236 - "POST /api/orders HTTP/1.1" 500 Internal Server Error"#;
        assert_eq!(
            parts(line),
            (
                None,
                "INFO",
                Some("uvicorn.access"),
                r#"172.18.0.1:51236 - "POST /api/orders HTTP/1.1" 500 Internal Server Error"#,
                vec![
                    ("client", "172.18.0.1:51236"),
                    ("method", "POST"),
                    ("path", "/api/orders"),
                    ("protocol", "HTTP/1.1"),
                    ("status", "500")
                ]
            )
        );
    }

    #[test]
    fn gunicorn_access_line() {
        let line = r#"172.18.0.1 - - [12/Mar/2024:10:00:01 +0100] "GET /health HTTP/1.1" 200 2 "-" "curl/8.5.0""#;
        assert_eq!(
            parts(line),
            (
                Some("12/Mar/2024:10:00:01 +0100"),
                "INFO",
                None,
                r#""GET /health HTTP/1.1" 200 2 "-" "curl/8.5.0""#,
                vec![
                    ("client", "172.18.0.1"),
                    ("method", "GET"),
                    ("path", "/health"),
                    ("protocol", "HTTP/1.1"),
                    ("status", "200"),
                    ("size", "2"),
                    ("user_agent", "curl/8.5.0")
                ]
            )
        );
    }

    #[test]
    fn django_runserver_line_takes_its_level_from_the_status() {
        let line = r#"[12/Mar/2024 10:00:01] "GET /api/orders/9 HTTP/1.1" 404 179"#;
        let p = parts(line);
        assert_eq!(p.0, Some("12/Mar/2024 10:00:01"));
        assert_eq!(p.1, "WARNING");
        assert_eq!(p.2, Some("django.server"));
        assert_eq!(p.3, r#""GET /api/orders/9 HTTP/1.1" 404 179"#);
        assert_eq!(
            parts(r#"[12/Mar/2024 10:00:02] "POST /x HTTP/1.1" 500 9"#).1,
            "ERROR"
        );
    }

    #[test]
    fn django_request_lines() {
        let p = parts("Internal Server Error: /api/orders/");
        assert_eq!(
            (p.1, p.2, p.3, p.4),
            (
                "ERROR",
                Some("django.request"),
                "Internal Server Error: /api/orders/",
                vec![("path", "/api/orders/")]
            )
        );
        assert_eq!(parts("Not Found: /favicon.ico").1, "WARNING");
        assert_eq!(
            parts("Forbidden (CSRF cookie not set.): /api/").4,
            vec![("path", "/api/")]
        );
        assert!(parse_head("Not Found: nothing").is_none());
    }

    #[test]
    fn not_access_lines() {
        for l in [
            r#"[12/Mar/2024 10:00:01] hello"#,
            r#"a b c [12/Mar/2024:10:00:01 +0100] "get / HTTP/1.1" 200 1"#,
            r#"INFO:     client - "GET / HTTP/1.1" abc"#,
            "[SQL: SELECT 1]",
        ] {
            let h = parse_head(l);
            assert!(h.is_none_or(|h| h.module == Some("uvicorn.error")), "{l}");
        }
    }
}
