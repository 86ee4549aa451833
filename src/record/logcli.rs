//! Loki's `logcli query --output=jsonl` lines:
//! `{"labels":{…},"line":"…","timestamp":"…"}`.
//!
//! Owns recognizing the wrapper. The inner `line` is the record (parsed
//! like any line by the caller); the labels become fields, the wrapper's
//! `timestamp` is the time when the inner record has none, and the usual
//! labels (`service_name`, `app`, `container`…) give the service.

use super::json::{raw_str, Object};

/// Labels tried, in order, for the service of a record that names none.
pub const SERVICE_LABELS: [&str; 5] = ["service_name", "service", "app", "container", "job"];

/// Labels tried for the level (Loki's `detected_level`, or a `level` label).
pub const LEVEL_LABELS: [&str; 2] = ["level", "detected_level"];

/// A logcli line: the inner line, decoded, and the labels.
#[derive(Debug, Clone)]
pub struct Logcli<'a> {
    pub line: String,
    pub labels: Object<'a>,
    pub timestamp: Option<&'a str>,
}

impl<'a> Logcli<'a> {
    /// Recognizes a logcli line: the keys `labels` (an object), `line` (a
    /// string) and optionally `timestamp`, nothing else.
    pub fn parse(outer: &Object<'a>) -> Option<Logcli<'a>> {
        let mut keys = 0;
        for (k, _) in outer.entries() {
            if !matches!(k, "labels" | "line" | "timestamp") {
                return None;
            }
            keys += 1;
        }
        if keys > 3 {
            return None;
        }
        let labels = Object::parse(outer.get("labels")?.get())?;
        let line = raw_str(outer.get("line")?)?.into_owned();
        let timestamp = outer.get("timestamp").and_then(|raw| {
            let s = raw.get();
            s.strip_prefix('"')?
                .strip_suffix('"')
                .filter(|t| !t.contains('\\'))
        });
        Some(Logcli {
            line,
            labels,
            timestamp,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_the_wrapper_only() {
        let line = r#"{"labels":{"app":"api"},"line":"{\"level\":\"info\"}","timestamp":"2024-03-12T10:00:00.123456789+01:00"}"#;
        let o = Object::parse(line).unwrap();
        let l = Logcli::parse(&o).unwrap();
        assert_eq!(l.line, r#"{"level":"info"}"#);
        assert_eq!(l.timestamp, Some("2024-03-12T10:00:00.123456789+01:00"));
        for other in [
            r#"{"labels":{},"line":"x","level":"info"}"#,
            r#"{"labels":"a","line":"x"}"#,
            r#"{"labels":{},"line":3}"#,
        ] {
            assert!(
                Logcli::parse(&Object::parse(other).unwrap()).is_none(),
                "{other}"
            );
        }
    }
}
