//! Writing a time as text without allocating: RFC3339, and the digits the
//! default `--time-format` needs.
//!
//! Owns the one RFC3339 writer ([`Timestamp::push_rfc3339`]): UTC, `Z`, and
//! as many fraction digits as the time has (none, milli, micro or nano), so
//! no precision of the source is lost and a whole second shows none. JSON
//! and logfmt output, `stats` buckets and `trace` messages all use it.
//! Years outside 0..=9999 are left to chrono, with the same rule.

use super::time::Timestamp;
use chrono::SecondsFormat;

/// The civil date and time of a timestamp in UTC: (year, month, day, hour,
/// minute, second, nanosecond).
pub type Civil = (i64, u32, u32, u32, u32, u32, u32);

/// The civil date and time of `t` in UTC.
pub fn civil(t: Timestamp) -> Civil {
    const NANOS: i128 = 1_000_000_000;
    // Beyond ±2^63 seconds no year fits the 4 digits written here anyway:
    // clamp, and `push_date_time` refuses such a time.
    let secs = i64::try_from(t.0.div_euclid(NANOS)).unwrap_or(i64::MAX / 2);
    let nanos = t.0.rem_euclid(NANOS) as u32;
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400) as u32;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, sod / 3600, sod / 60 % 60, sod % 60, nanos)
}

/// Appends the last `width` decimal digits of `n`, zero-padded.
pub fn push_num(buf: &mut Vec<u8>, n: u32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut v = n;
    for i in (0..width).rev() {
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    buf.extend_from_slice(&digits[..width]);
}

/// Appends `YYYY-MM-DD?HH:MM:SS` of a civil time, `sep` between date and
/// time. Writes nothing and returns `false` when the year has not 4 digits.
pub fn push_date_time(buf: &mut Vec<u8>, c: Civil, sep: u8) -> bool {
    let (y, mo, d, h, mi, s, _) = c;
    if !(0..=9999).contains(&y) {
        return false;
    }
    push_num(buf, y as u32, 4);
    buf.push(b'-');
    push_num(buf, mo, 2);
    buf.push(b'-');
    push_num(buf, d, 2);
    buf.push(sep);
    push_num(buf, h, 2);
    buf.push(b':');
    push_num(buf, mi, 2);
    buf.push(b':');
    push_num(buf, s, 2);
    true
}

impl Timestamp {
    /// Appends the time as RFC3339 in UTC with as many fraction digits as
    /// it has: `2024-01-15T10:00:00Z`, `2024-01-15T09:00:00.500Z`,
    /// `2024-01-15T10:00:00.123456Z`.
    pub fn push_rfc3339(self, buf: &mut Vec<u8>) {
        let c = civil(self);
        if !push_date_time(buf, c, b'T') {
            let s = self.to_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true);
            buf.extend_from_slice(s.as_bytes());
            return;
        }
        let n = c.6;
        if n != 0 {
            buf.push(b'.');
            if n % 1_000_000 == 0 {
                push_num(buf, n / 1_000_000, 3);
            } else if n % 1_000 == 0 {
                push_num(buf, n / 1_000, 6);
            } else {
                push_num(buf, n, 9);
            }
        }
        buf.push(b'Z');
    }

    /// The time as RFC3339 (see [`Timestamp::push_rfc3339`]).
    pub fn to_rfc3339(self) -> String {
        let mut buf = Vec::with_capacity(32);
        self.push_rfc3339(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    }
}

/// Instants whose text is easy to get wrong (whole, milli, micro and nano
/// fractions, before the epoch, a leap day, the ends of i64), for the tests
/// of every time writer against chrono.
#[cfg(test)]
pub(crate) const INSTANTS: [i64; 11] = [
    0,
    1,
    1_705_314_603_750_123_456,
    1_705_314_603_000_000_000,
    1_705_314_603_123_000_000,
    1_705_314_603_123_456_000,
    -1,
    -86_400_000_000_001,
    951_782_400_000_000_000,
    i64::MAX,
    i64::MIN,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_keeps_the_precision_of_the_source() {
        let t = |s| Timestamp::parse(s).unwrap().to_rfc3339();
        assert_eq!(t("2024-01-15T10:00:00Z"), "2024-01-15T10:00:00Z");
        assert_eq!(t("2024-01-15T10:00:00.5+01:00"), "2024-01-15T09:00:00.500Z");
        assert_eq!(
            t("2024-01-15 10:00:00.123456"),
            "2024-01-15T10:00:00.123456Z"
        );
        assert_eq!(
            Timestamp::from_epoch_int(1705314603750123456)
                .unwrap()
                .to_rfc3339(),
            "2024-01-15T10:30:03.750123456Z"
        );
    }

    #[test]
    fn rfc3339_is_what_chrono_writes() {
        for n in INSTANTS {
            let t = Timestamp(i128::from(n));
            assert_eq!(
                t.to_rfc3339(),
                t.to_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true)
            );
        }
        let far = Timestamp(i128::MAX);
        assert_eq!(
            far.to_rfc3339(),
            far.to_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true)
        );
    }
}
