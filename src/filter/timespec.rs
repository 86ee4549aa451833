//! `--since` / `--until` values: absolute times, dates, `today`, relative ages.
//!
//! Owns turning the user's time words into a [`Timestamp`], given "now" (a
//! parameter, so tests control the clock) and whether dates are local.

use crate::record::Timestamp;
use chrono::{DateTime, Duration, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Parses a `--since`/`--until` value. Accepts RFC3339, `YYYY-MM-DD[ HH:MM[:SS]]`,
/// `today`, `yesterday`, `now`, and ages like `-15m`, `2h`, `3d` (ago).
/// Dates and times without a zone are UTC, or local time when `local` is set.
pub fn parse(s: &str, now: DateTime<Utc>, local: bool) -> Result<Timestamp, String> {
    let t = s.trim();
    let midnight = |date: NaiveDate| -> Result<Timestamp, String> {
        naive_to_ts(date.and_hms_opt(0, 0, 0).ok_or("bad date")?, local)
    };
    let today = if local {
        now.with_timezone(&Local).date_naive()
    } else {
        now.date_naive()
    };
    match t {
        "now" => return Ok(Timestamp::from_utc(now)),
        "today" => return midnight(today),
        "yesterday" => return midnight(today.pred_opt().ok_or("bad date")?),
        "tomorrow" => return midnight(today.succ_opt().ok_or("bad date")?),
        _ => {}
    }
    if let Some(age) = parse_age(t) {
        // `-100000000d` is before any date chrono holds: an error, not the
        // panic of `now - age` (issue 13).
        return now
            .checked_sub_signed(age)
            .map(Timestamp::from_utc)
            .ok_or_else(|| format!("invalid time '{s}': too far in the past"));
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(Timestamp::from_utc(dt.with_timezone(&Utc)));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(t, fmt) {
            return naive_to_ts(naive, local);
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return midnight(date);
    }
    if let Some(ts) = Timestamp::parse(t) {
        return Ok(ts);
    }
    Err(format!(
        "invalid time '{s}' (expected RFC3339, YYYY-MM-DD[ HH:MM[:SS]], today, yesterday, now, or an age like -15m, 2h, 3d)"
    ))
}

fn naive_to_ts(naive: NaiveDateTime, local: bool) -> Result<Timestamp, String> {
    if local {
        let dt = Local
            .from_local_datetime(&naive)
            .earliest()
            .ok_or_else(|| format!("{naive} does not exist in the local time zone"))?;
        Ok(Timestamp::from_utc(dt.with_timezone(&Utc)))
    } else {
        Ok(Timestamp::from_utc(naive.and_utc()))
    }
}

/// `-15m`, `15m`, `2h`, `90s`, `3d`, `1w`, `1h30m`.
fn parse_age(s: &str) -> Option<Duration> {
    let s = s.strip_prefix('-').unwrap_or(s);
    if s.is_empty() || !s.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let mut total = Duration::zero();
    let mut num = String::new();
    let mut rest = s;
    while !rest.is_empty() {
        num.clear();
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        num.push_str(&rest[..digits]);
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let n: i64 = num.parse().ok()?;
        let d = match &rest[..unit_len] {
            "s" | "sec" | "secs" => Duration::try_seconds(n)?,
            "m" | "min" | "mins" => Duration::try_minutes(n)?,
            "h" | "hr" | "hour" | "hours" => Duration::try_hours(n)?,
            "d" | "day" | "days" => Duration::try_days(n)?,
            "w" | "week" | "weeks" => Duration::try_weeks(n)?,
            _ => return None,
        };
        total = total.checked_add(&d)?;
        rest = &rest[unit_len..];
    }
    Some(total)
}

/// Parses a bucket width or interval such as `5m`, `1h`, `30s`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    parse_age(s)
        .filter(|d| *d > Duration::zero())
        .ok_or_else(|| format!("invalid duration '{s}' (expected e.g. 30s, 5m, 1h, 1d)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2024-01-15T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn p(s: &str) -> String {
        parse(s, now(), false).unwrap().to_rfc3339()
    }

    #[test]
    fn absolute_forms() {
        assert_eq!(p("2024-01-15T10:00:00+01:00"), "2024-01-15T09:00:00Z");
        assert_eq!(p("2024-01-15 10:30"), "2024-01-15T10:30:00Z");
        assert_eq!(p("2024-01-15 10:30:15"), "2024-01-15T10:30:15Z");
        assert_eq!(p("2024-01-15"), "2024-01-15T00:00:00Z");
    }

    #[test]
    fn words_and_ages() {
        assert_eq!(p("today"), "2024-01-15T00:00:00Z");
        assert_eq!(p("yesterday"), "2024-01-14T00:00:00Z");
        assert_eq!(p("now"), "2024-01-15T12:00:00Z");
        assert_eq!(p("-15m"), "2024-01-15T11:45:00Z");
        assert_eq!(p("2h"), "2024-01-15T10:00:00Z");
        assert_eq!(p("1h30m"), "2024-01-15T10:30:00Z");
        assert_eq!(p("3d"), "2024-01-12T12:00:00Z");
    }

    #[test]
    fn ages_past_the_calendar_are_errors_not_panics() {
        assert_eq!(
            parse("-100000000d", now(), false),
            Err("invalid time '-100000000d': too far in the past".into())
        );
        assert!(parse("-9999999999w", now(), false).is_err());
    }

    #[test]
    fn dates_before_1677_are_before_every_record() {
        let t = parse("1600-01-01", now(), false).unwrap();
        assert!(t < Timestamp::parse("1970-01-01T00:00:00Z").unwrap());
        let t = parse("2300-01-01", now(), false).unwrap();
        assert!(t > Timestamp::parse("2262-01-01T00:00:00Z").unwrap());
    }

    #[test]
    fn rejects_garbage() {
        for s in ["", "soon", "15x", "-m", "2024-02-30"] {
            assert!(parse(s, now(), false).is_err(), "{s}");
        }
        assert!(parse_duration("0m").is_err());
        assert_eq!(parse_duration("5m").unwrap(), Duration::minutes(5));
    }
}
