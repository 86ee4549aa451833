//! What container tools put in front of a service's own line.
//!
//! Owns recognizing, at the start of a line, the prefixes of
//! `docker compose logs` (`api-1  | `, also coloured with `--ansi always`),
//! `kubectl logs --prefix` (`[pod/api-7d9/api] `) and the RFC3339 time that
//! `docker compose logs -t`, `docker logs -t` and `kubectl logs --timestamps`
//! add (`2024-01-15T10:30:00.123456789Z `). What follows the prefix is the
//! service's line, recognized by the rest of `record`.
//!
//! Invariant: [`split`] never takes anything from a line that does not start
//! with a prefix, so a plain JSON or text line is untouched.

/// A container prefix found at the start of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefix<'a> {
    /// The service (compose) or container (kubectl) that wrote the line.
    pub service: Option<&'a str>,
    /// The time the container runtime received the line (`-t`).
    pub time: Option<&'a str>,
    /// Byte offset of the service's own line.
    pub body_at: usize,
}

/// Splits the container prefix off a line. `None` when the line has none.
pub fn split(line: &[u8]) -> Option<Prefix<'_>> {
    // Nearly every line of a JSON log starts its object at once.
    if matches!(line.first(), Some(b'{') | None) {
        return None;
    }
    let (service, mut at) = match compose(line).or_else(|| kubectl(line)) {
        Some((s, at)) => (Some(s), at),
        None => (None, 0),
    };
    let mut time = None;
    if let Some(n) = runtime_time_len(&line[at..]) {
        // Without a service prefix, only a `docker logs -t` time followed by
        // a JSON object counts: a text line may well start with a time.
        if service.is_some() || line.get(at + n + 1) == Some(&b'{') {
            time = std::str::from_utf8(&line[at..at + n]).ok();
            at += n + 1;
        }
    }
    if service.is_none() && time.is_none() {
        return None;
    }
    Some(Prefix {
        service: service.and_then(|s| std::str::from_utf8(s).ok()),
        time,
        body_at: at,
    })
}

/// The body of a line: what follows its prefix, or the whole line.
pub fn body(line: &[u8]) -> &[u8] {
    match split(line) {
        Some(p) => &line[p.body_at..],
        None => line,
    }
}

/// Length of an SGR colour sequence (`ESC [ 1;36 m`) at the start.
fn sgr_len(b: &[u8]) -> usize {
    if !b.starts_with(b"\x1b[") {
        return 0;
    }
    let params = b[2..]
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == b';')
        .count();
    if b.get(2 + params) == Some(&b'm') {
        3 + params
    } else {
        0
    }
}

/// `api-1  | ` (the name padded to the widest service), optionally wrapped
/// in colour codes: returns the name and where the line starts.
fn compose(line: &[u8]) -> Option<(&[u8], usize)> {
    // The bar comes after the name and its padding: most lines have none near.
    memchr::memchr(b'|', &line[..line.len().min(96)])?;
    let start = sgr_len(line);
    let rest = &line[start..];
    let name_len = rest
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')))?;
    if name_len == 0 || !rest[0].is_ascii_alphanumeric() {
        return None;
    }
    let mut i = name_len;
    while rest.get(i) == Some(&b' ') {
        i += 1;
    }
    if i == name_len || rest.get(i) != Some(&b'|') {
        return None;
    }
    i += 1;
    match rest.get(i) {
        None => {}
        Some(b' ') => i += 1,
        Some(b'\x1b') => {}
        _ => return None,
    }
    i += sgr_len(&rest[i..]);
    Some((&rest[..name_len], start + i))
}

/// `[pod/NAME/CONTAINER] `: returns the container and where the line starts.
fn kubectl(line: &[u8]) -> Option<(&[u8], usize)> {
    let rest = line.strip_prefix(b"[pod/")?;
    let close = rest.iter().position(|c| *c == b']')?;
    let inner = &rest[..close];
    let slash = inner.iter().rposition(|c| *c == b'/')?;
    let (pod, container) = (&inner[..slash], &inner[slash + 1..]);
    let word = |s: &[u8]| {
        !s.is_empty()
            && s.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'))
    };
    if !word(pod) || !word(container) {
        return None;
    }
    let at = "[pod/".len() + close + 1;
    match line.get(at) {
        Some(b' ') => Some((container, at + 1)),
        None => Some((container, at)),
        _ => None,
    }
}

/// Length of a container runtime's time (`2024-01-15T10:30:00.123456789Z`
/// or with an offset) when a space follows it.
fn runtime_time_len(b: &[u8]) -> Option<usize> {
    if b.get(10) != Some(&b'T') || b.get(4) != Some(&b'-') {
        return None;
    }
    let shape = b"dddd-dd-ddTdd:dd:dd";
    if b.len() <= shape.len() {
        return None;
    }
    for (c, want) in b.iter().zip(shape) {
        let ok = match want {
            b'd' => c.is_ascii_digit(),
            w => c == w,
        };
        if !ok {
            return None;
        }
    }
    let mut i = shape.len();
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    match b.get(i)? {
        b'Z' => i += 1,
        b'+' | b'-' => {
            i += 1;
            while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b':') {
                i += 1;
            }
        }
        _ => return None,
    }
    (b.get(i) == Some(&b' ')).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(line: &str) -> Option<(Option<&str>, Option<&str>, &str)> {
        let p = split(line.as_bytes())?;
        Some((p.service, p.time, &line[p.body_at..]))
    }

    #[test]
    fn compose_prefix() {
        assert_eq!(
            parts("api-1     | {\"a\":1}"),
            Some((Some("api-1"), None, "{\"a\":1}"))
        );
        assert_eq!(parts("worker_2 |"), Some((Some("worker_2"), None, "")));
        assert_eq!(parts("api-1| x"), None);
        assert_eq!(parts("{\"a\": \"b | c\"}"), None);
        assert_eq!(parts(" api | x"), None);
    }

    #[test]
    fn coloured_compose_prefix() {
        assert_eq!(
            parts("\x1b[36mapi-1  | \x1b[0m{\"a\":1}"),
            Some((Some("api-1"), None, "{\"a\":1}"))
        );
        assert_eq!(
            parts("\x1b[1;33mworker-1  | \x1b[0mINFO:     x"),
            Some((Some("worker-1"), None, "INFO:     x"))
        );
    }

    #[test]
    fn compose_timestamps() {
        assert_eq!(
            parts("api-1  | 2024-01-15T10:30:00.123456789Z {\"a\":1}"),
            Some((
                Some("api-1"),
                Some("2024-01-15T10:30:00.123456789Z"),
                "{\"a\":1}"
            ))
        );
        assert_eq!(
            parts("api-1  | 2024-01-15T10:30:00.123456789Z INFO:     started"),
            Some((
                Some("api-1"),
                Some("2024-01-15T10:30:00.123456789Z"),
                "INFO:     started"
            ))
        );
    }

    #[test]
    fn docker_logs_timestamps_only_before_json() {
        assert_eq!(
            parts("2024-01-15T10:30:00.1Z {\"a\":1}"),
            Some((None, Some("2024-01-15T10:30:00.1Z"), "{\"a\":1}"))
        );
        assert_eq!(parts("2024-01-15T10:30:00Z [error] boom"), None);
    }

    #[test]
    fn kubectl_prefix() {
        assert_eq!(
            parts("[pod/api-7d9f8b6c5-x2k4q/api] {\"a\":1}"),
            Some((Some("api"), None, "{\"a\":1}"))
        );
        assert_eq!(
            parts("[pod/api-7d9/api] 2024-01-15T10:30:00Z hello"),
            Some((Some("api"), Some("2024-01-15T10:30:00Z"), "hello"))
        );
        assert_eq!(parts("[pod/x] y"), None);
        assert_eq!(parts("[2024-01-15 10:00:00,000] ERROR in x: y"), None);
    }
}
