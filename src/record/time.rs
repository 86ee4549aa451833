//! Timestamps: parsing the forms found in log records, and printing them.
//!
//! A [`Timestamp`] is nanoseconds since the Unix epoch, UTC, so records from
//! different files and zones compare with one integer comparison.
//! [`Timestamp::parse_written`] tells a time written with a zone from a
//! wall-clock reading without one; which zone such a reading is in is for
//! `zone` to say (`--input-tz`). Parsing is hand-written because it runs on
//! every record of a time-filtered or merged scan.

use chrono::{DateTime, Local, NaiveDate, Utc};

/// An instant, in nanoseconds since 1970-01-01T00:00:00Z. An `i128`, so
/// that every time a user can type or a log can hold (years 0 to 9999,
/// negative epochs) is an instant, not a null (issue 13): `i64`
/// nanoseconds end in 1677 and 2262.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i128);

/// A time as a record wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// A time with a zone or offset, or an epoch number: an instant.
    Instant(Timestamp),
    /// A date and time without a zone: nanoseconds since 1970-01-01T00:00:00
    /// on a clock whose zone the text does not say.
    Wall(i128),
}

const NANOS_PER_SEC: i128 = 1_000_000_000;

impl Timestamp {
    /// Parses an ISO-8601 / RFC3339 string (`T` or space separator, `.` or
    /// `,` fractions, `Z`, `±HH:MM`, `±HHMM`, `±HH` or no zone), a date alone,
    /// or a string holding an epoch number. A time without a zone is read as
    /// UTC (records read it in their input zone instead, see `zone`).
    pub fn parse(s: &str) -> Option<Timestamp> {
        match Timestamp::parse_written(s)? {
            Written::Instant(t) => Some(t),
            Written::Wall(nanos) => Some(Timestamp(nanos)),
        }
    }

    /// Parses the forms of [`Timestamp::parse`], keeping apart a time
    /// without a zone (`2024-01-15 10:30:00,123`, a date alone), whose
    /// instant depends on the zone it was written in.
    pub fn parse_written(s: &str) -> Option<Written> {
        let b = s.trim().as_bytes();
        if b.len() >= 10 && b[4] == b'-' {
            return parse_iso(b);
        }
        if b.len() >= 20 && b[2] == b'/' {
            return parse_clf(b);
        }
        if !b.is_empty() && b.iter().all(|c| c.is_ascii_digit() || *c == b'.') {
            return s
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(Timestamp::from_epoch)
                .map(Written::Instant);
        }
        None
    }

    /// Interprets an epoch number, guessing its unit from its magnitude:
    /// seconds, milliseconds, microseconds or nanoseconds.
    pub fn from_epoch(n: f64) -> Option<Timestamp> {
        if !n.is_finite() {
            return None;
        }
        let m = n.abs();
        let scale: i128 = if m < 1e11 {
            NANOS_PER_SEC
        } else if m < 1e14 {
            1_000_000
        } else if m < 1e17 {
            1_000
        } else {
            1
        };
        // Scale the whole and the fractional part apart: `n * 1e9` near
        // 1.7e18 is only exact to 256 ns, which reorders `1705312811.75`
        // after the same instant in integer milliseconds. An f64 of epoch
        // seconds holds about 0.2 µs, so its fraction is kept to the µs.
        let whole = n.trunc();
        if whole.abs() >= 1e30 {
            return None;
        }
        let frac = if scale == NANOS_PER_SEC {
            ((n - whole) * 1e6).round() as i128 * 1_000
        } else {
            ((n - whole) * scale as f64).round() as i128
        };
        let nanos = (whole as i128).checked_mul(scale)?.checked_add(frac)?;
        Some(Timestamp(nanos))
    }

    /// Like [`Timestamp::from_epoch`] for integers, without float rounding;
    /// negative epochs are times before 1970.
    pub fn from_epoch_int(n: i64) -> Option<Timestamp> {
        let m = n.unsigned_abs();
        let n = i128::from(n);
        let nanos = if m < 100_000_000_000 {
            n * NANOS_PER_SEC
        } else if m < 100_000_000_000_000 {
            n * 1_000_000
        } else if m < 100_000_000_000_000_000 {
            n * 1_000
        } else {
            n
        };
        Some(Timestamp(nanos))
    }

    /// This instant as a chrono UTC date-time.
    pub fn to_utc(self) -> DateTime<Utc> {
        i64::try_from(self.0.div_euclid(NANOS_PER_SEC))
            .ok()
            .and_then(|secs| {
                DateTime::from_timestamp(secs, self.0.rem_euclid(NANOS_PER_SEC) as u32)
            })
            .unwrap_or_default()
    }

    /// Builds a timestamp from a chrono date-time.
    pub fn from_utc(t: DateTime<Utc>) -> Timestamp {
        Timestamp(
            i128::from(t.timestamp()) * NANOS_PER_SEC + i128::from(t.timestamp_subsec_nanos()),
        )
    }

    /// Formats with a strftime pattern, in UTC or in the local zone.
    pub fn format(self, pattern: &str, local: bool) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let ok = if local {
            write!(
                out,
                "{}",
                self.to_utc().with_timezone(&Local).format(pattern)
            )
        } else {
            write!(out, "{}", self.to_utc().format(pattern))
        };
        if ok.is_err() {
            // An invalid pattern is rejected in settings; fall back defensively.
            return self.to_rfc3339();
        }
        out
    }

    /// Nanoseconds from `earlier` to this instant, saturating at the `i64`
    /// range (292 years), which durations and offsets are kept in.
    pub fn nanos_since(self, earlier: Timestamp) -> i64 {
        saturate(self.0.saturating_sub(earlier.0))
    }

    /// Nanoseconds since the epoch, saturating at the `i64` range (years
    /// 1677 to 2262), for bucket arithmetic.
    pub fn nanos_i64(self) -> i64 {
        saturate(self.0)
    }
}

fn saturate(n: i128) -> i64 {
    i64::try_from(n).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX })
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let mut v = 0u32;
    for i in at..at + n {
        let c = *b.get(i)?;
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

fn parse_iso(b: &[u8]) -> Option<Written> {
    let year = digits(b, 0, 4)? as i32;
    if b.get(7) != Some(&b'-') {
        return None;
    }
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let mut secs_of_day = 0i64;
    let mut nanos = 0i64;
    let mut i = 10;
    if i < b.len() && (b[i] == b'T' || b[i] == b't' || b[i] == b' ') {
        i += 1;
        let h = digits(b, i, 2)?;
        if b.get(i + 2) != Some(&b':') {
            return None;
        }
        let m = digits(b, i + 3, 2)?;
        i += 5;
        let mut s = 0;
        if b.get(i) == Some(&b':') {
            s = digits(b, i + 1, 2)?;
            i += 3;
        }
        if h > 23 || m > 59 || s > 60 {
            return None;
        }
        secs_of_day = (h * 3600 + m * 60 + s) as i64;
        if matches!(b.get(i), Some(b'.') | Some(b',')) {
            i += 1;
            let start = i;
            let mut scale = 100_000_000i64;
            while i < b.len() && b[i].is_ascii_digit() {
                nanos += (b[i] - b'0') as i64 * scale;
                scale /= 10;
                i += 1;
            }
            if i == start {
                return None;
            }
        }
    }
    let mut offset = 0i64;
    let rest = &b[i..];
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let has_zone = !rest.is_empty();
    match rest {
        [] | b"Z" | b"z" | b"UTC" | b"GMT" => {}
        [sign @ (b'+' | b'-'), tz @ ..] => {
            let (h, m) = match tz.len() {
                2 => (digits(tz, 0, 2)?, 0),
                4 => (digits(tz, 0, 2)?, digits(tz, 2, 2)?),
                5 if tz[2] == b':' => (digits(tz, 0, 2)?, digits(tz, 3, 2)?),
                _ => return None,
            };
            offset = (h * 3600 + m * 60) as i64;
            if *sign == b'-' {
                offset = -offset;
            }
        }
        _ => return None,
    }
    let days = date
        .signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1)?)
        .num_days();
    let secs = i128::from(days * 86_400 + secs_of_day - offset);
    let nanos = secs * NANOS_PER_SEC + i128::from(nanos);
    Some(if has_zone {
        Written::Instant(Timestamp(nanos))
    } else {
        Written::Wall(nanos)
    })
}

/// The access-log form `12/Mar/2024:10:00:01 +0100` (common log format)
/// or `12/Mar/2024 10:00:01` (werkzeug, Django's runserver), read as the
/// ISO form it stands for.
fn parse_clf(b: &[u8]) -> Option<Written> {
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    if b.get(6) != Some(&b'/') || !matches!(b.get(11), Some(b':' | b' ')) {
        return None;
    }
    let month = MONTHS.iter().position(|m| b.get(3..6) == Some(*m))? + 1;
    let mut iso = Vec::with_capacity(b.len());
    iso.extend_from_slice(b.get(7..11)?);
    iso.extend_from_slice(format!("-{month:02}-").as_bytes());
    iso.extend_from_slice(b.get(0..2)?);
    iso.push(b'T');
    iso.extend_from_slice(b.get(12..)?);
    parse_iso(&iso)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        Timestamp::parse(s).unwrap().to_rfc3339()
    }

    #[test]
    fn parses_zoned_and_unzoned_forms() {
        assert_eq!(iso("2024-01-15T10:30:00.123Z"), "2024-01-15T10:30:00.123Z");
        assert_eq!(iso("2024-01-15T10:30:00+01:00"), "2024-01-15T09:30:00Z");
        assert_eq!(iso("2024-01-15T10:30:00-0130"), "2024-01-15T12:00:00Z");
        assert_eq!(iso("2024-01-15 10:30:00,123"), "2024-01-15T10:30:00.123Z");
        assert_eq!(
            iso("2024-01-15 10:30:00.123456+00:00"),
            "2024-01-15T10:30:00.123456Z"
        );
        assert_eq!(iso("2024-01-15T10:30"), "2024-01-15T10:30:00Z");
        assert_eq!(iso("2024-01-15"), "2024-01-15T00:00:00Z");
        assert_eq!(iso("2024-01-15T10:30:00 UTC"), "2024-01-15T10:30:00Z");
    }

    #[test]
    fn parses_access_log_times() {
        assert_eq!(iso("12/Mar/2024:10:00:01 +0100"), "2024-03-12T09:00:01Z");
        assert_eq!(iso("12/Mar/2024 10:00:01"), "2024-03-12T10:00:01Z");
        assert_eq!(Timestamp::parse("12/Foo/2024 10:00:01"), None);
        assert_eq!(Timestamp::parse("12/Mar/2024-10:00:01"), None);
    }

    #[test]
    fn written_tells_zone_less_times_apart() {
        let wall = |s| match Timestamp::parse_written(s) {
            Some(Written::Wall(n)) => Timestamp(n).to_rfc3339(),
            other => panic!("{s}: {other:?}"),
        };
        assert_eq!(wall("2024-01-15 10:30:00,123"), "2024-01-15T10:30:00.123Z");
        assert_eq!(wall("2024-01-15"), "2024-01-15T00:00:00Z");
        for s in [
            "2024-01-15T10:30:00Z",
            "2024-01-15T10:30:00 UTC",
            "2024-01-15T10:30:00+00:00",
            "1705312800.5",
        ] {
            assert!(
                matches!(Timestamp::parse_written(s), Some(Written::Instant(_))),
                "{s}"
            );
        }
    }

    #[test]
    fn fraction_keeps_nanoseconds() {
        let a = Timestamp::parse("2024-01-15T10:30:00.000000001Z").unwrap();
        let b = Timestamp::parse("2024-01-15T10:30:00Z").unwrap();
        assert_eq!(a.0 - b.0, 1);
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "",
            "2024-13-01",
            "2024-01-15T25:00",
            "2024-01-15T10:30:00.Z",
            "hello",
            "2024-01-15T10:30:00+1",
            "2024-01-15X",
        ] {
            assert_eq!(Timestamp::parse(s), None, "{s}");
        }
    }

    #[test]
    fn float_epoch_seconds_equal_the_same_instant_in_integer_millis() {
        // f64 products near 1.7e18 ns are only exact to 256 ns (issue 2).
        assert_eq!(
            Timestamp::from_epoch(1705312811.75),
            Timestamp::from_epoch_int(1705312811750)
        );
        assert_eq!(
            Timestamp::from_epoch(1705314600.123456),
            Timestamp::from_epoch_int(1705314600123456)
        );
    }

    #[test]
    fn epoch_units_by_magnitude() {
        let want = "2024-01-15T10:00:00.500Z";
        assert_eq!(
            Timestamp::from_epoch(1705312800.5).unwrap().to_rfc3339(),
            want
        );
        assert_eq!(
            Timestamp::from_epoch_int(1705312800500)
                .unwrap()
                .to_rfc3339(),
            want
        );
        assert_eq!(
            Timestamp::from_epoch_int(1705312800500000)
                .unwrap()
                .to_rfc3339(),
            want
        );
        assert_eq!(
            Timestamp::from_epoch_int(1705312800500000000)
                .unwrap()
                .to_rfc3339(),
            want
        );
        assert_eq!(iso("1705312800.5"), want);
    }
}
