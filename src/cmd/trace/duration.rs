//! The duration of a step: which fields hold one and in which unit.

use crate::record::Record;

/// The fields read as a step's duration, in order, with their unit in
/// seconds (`None`: seconds, or a string with a unit such as `250ms`).
const DURATION_FIELDS: [(&str, Option<f64>); 6] = [
    ("duration_ms", Some(1e-3)),
    ("duration_sec", Some(1.0)),
    ("latency_ms", Some(1e-3)),
    ("execution_time_ms", Some(1e-3)),
    ("trace.execution_time_ms", Some(1e-3)),
    ("elapsed", None),
];
/// Reads a record's duration: the first field of [`DURATION_FIELDS`]
/// holding a non-negative number (or, for `elapsed`, a string such as
/// `1.5s` or `250ms`), in nanoseconds, with the field's name.
pub fn duration_of(rec: &Record) -> Option<(&'static str, i64)> {
    DURATION_FIELDS.iter().find_map(|(name, unit)| {
        let path: Vec<&str> = name.split('.').collect();
        let f = rec.field(&path)?;
        let seconds = match (f.as_number(), unit) {
            (Some(n), Some(u)) => n * u,
            (Some(n), None) => n,
            (None, None) => parse_unit(&f.as_str()?)?,
            (None, Some(_)) => return None,
        };
        if !seconds.is_finite() || seconds < 0.0 {
            return None;
        }
        let nanos = (seconds * 1e9).round();
        (nanos < i64::MAX as f64).then_some((*name, nanos as i64))
    })
}

/// `250ms`, `1.5s`, `2m`, `1h`, `30us`, `10ns` in seconds.
fn parse_unit(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let scale = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1.0,
        "ms" => 1e-3,
        "us" | "µs" => 1e-6,
        "ns" => 1e-9,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        _ => return None,
    };
    Some(n * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_come_from_the_listed_fields_with_units() {
        let d = |line: &str| duration_of(&Record::parse(line));
        assert_eq!(
            d(r#"{"duration_ms":840}"#),
            Some(("duration_ms", 840_000_000))
        );
        assert_eq!(
            d(r#"{"duration_sec":2.5}"#),
            Some(("duration_sec", 2_500_000_000))
        );
        assert_eq!(
            d(r#"{"latency_ms":"12"}"#),
            Some(("latency_ms", 12_000_000))
        );
        assert_eq!(
            d(r#"{"trace":{"execution_time_ms":1498}}"#),
            Some(("trace.execution_time_ms", 1_498_000_000))
        );
        assert_eq!(d(r#"{"elapsed":1.5}"#), Some(("elapsed", 1_500_000_000)));
        assert_eq!(d(r#"{"elapsed":"250ms"}"#), Some(("elapsed", 250_000_000)));
        assert_eq!(d(r#"{"duration_ms":-5}"#), None);
        assert_eq!(d(r#"{"duration_ms":"soon"}"#), None);
        assert_eq!(d(r#"{"elapsed":"1e999"}"#), None);
        // The first listed field wins.
        assert_eq!(
            d(r#"{"latency_ms":1,"duration_ms":2}"#),
            Some(("duration_ms", 2_000_000))
        );
    }

    #[test]
    fn units() {
        assert_eq!(parse_unit("250ms"), Some(0.25));
        assert_eq!(parse_unit("2m"), Some(120.0));
        assert_eq!(parse_unit("3"), Some(3.0));
        assert_eq!(parse_unit("x"), None);
        assert_eq!(parse_unit("5 parsecs"), None);
    }
}
