//! `-o raw`: each record's original bytes, so `logq … | jq` just works.
//!
//! Owns the one exception to "byte for byte": a JSON record behind a
//! container prefix (`api-1  | {…}`, `[pod/…/api] {…}`, a `docker logs -t`
//! time) is printed without the prefix, since the JSON is the record and the
//! prefix would make every line a jq parse error (SPEC §6). `--keep-prefix`
//! keeps the whole line. Text records keep their prefixes: each of their
//! lines carries one (a traceback's too), and no reader of text needs them
//! gone. Unparsed lines are always kept byte for byte.

use crate::record::{prefix, Classified, LineKind};

/// The bytes raw output prints for a record read as `raw`.
pub fn record_bytes(raw: &[u8], is_invalid: bool, keep_prefix: bool) -> &[u8] {
    if keep_prefix || is_invalid {
        return raw;
    }
    match prefix::split(raw) {
        Some(p) => {
            let body = raw.get(p.body_at..).unwrap_or_default();
            if body.trim_ascii_start().starts_with(b"{") {
                body
            } else {
                raw
            }
        }
        None => raw,
    }
}

/// [`record_bytes`] of a one-line record whose line was classified
/// already: the prefix is not looked for again.
pub fn line_bytes<'r>(line: &Classified<'r>, keep_prefix: bool) -> &'r [u8] {
    match line.prefix {
        Some(p) if !keep_prefix && line.kind == LineKind::Json => {
            line.raw.get(p.body_at..).unwrap_or(line.raw)
        }
        _ => line.raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::classify;

    #[test]
    fn a_classified_line_prints_as_its_bytes_would() {
        for line in [
            r#"{"level":"INFO"}"#,
            "{\"level\":\"INFO\"}\r",
            r#"api-1  | {"level":"INFO"}"#,
            "api-1  | {\"level\":\"INFO\"}\r",
            r#"[pod/api-7/api] {"a":1}"#,
            "2024-01-15T10:00:00.000000001Z {\"a\":1}",
            "api-1  | 2024-01-15 10:00:00,000 - m - INFO - hi",
        ] {
            for keep in [false, true] {
                assert_eq!(
                    line_bytes(&classify(line.as_bytes()), keep),
                    record_bytes(line.as_bytes(), false, keep),
                    "{line:?} keep={keep}"
                );
            }
        }
    }

    fn shown(line: &str) -> &str {
        std::str::from_utf8(record_bytes(line.as_bytes(), false, false)).unwrap()
    }

    #[test]
    fn json_behind_a_prefix_is_printed_alone() {
        assert_eq!(shown(r#"api-1     | {"a":1}"#), r#"{"a":1}"#);
        assert_eq!(shown("\x1b[36mapi-1  | \x1b[0m{\"a\":1}"), r#"{"a":1}"#);
        assert_eq!(shown(r#"[pod/api-7d9/api] {"a":1}"#), r#"{"a":1}"#);
        assert_eq!(
            shown(r#"api-1  | 2024-01-15T10:30:00.1Z {"a":1}"#),
            r#"{"a":1}"#
        );
        assert_eq!(shown(r#"2024-01-15T10:30:00.1Z {"a":1}"#), r#"{"a":1}"#);
    }

    #[test]
    fn text_unprefixed_and_unparsed_lines_are_kept() {
        for line in [
            "api-1  | INFO:     started",
            r#"{"a":"b | c"}"#,
            "plain text",
        ] {
            assert_eq!(shown(line), line);
        }
        let broken = br#"api-1  | {"a":"#;
        assert_eq!(record_bytes(broken, true, false), broken);
        let kept = br#"api-1  | {"a":1}"#;
        assert_eq!(record_bytes(kept, false, true), kept);
    }
}
