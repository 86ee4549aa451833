//! Record times without a zone: which zone they were written in
//! (`--input-tz`), and the instant a wall-clock reading stands for.
//!
//! Owns [`InputTz`] (carried in [`RoleMap`]), [`Zone`], the default rule that
//! picks a zone per record, and the offset arithmetic with its DST rules.
//! Parsing the time is left to `time`, finding it to [`Record::role`].
//!
//! The default follows what each writer does: Python's `asctime` (stdlib
//! text logging, python-json-logger) and loguru's `{time}` are local time,
//! other zone-less JSON times (`datetime.utcnow().isoformat()`) are UTC.
//! Invariant: [`quick_time`](super::quick_time) picks the same zone as
//! [`Record::time`] for every line it answers for.

use super::time::{Timestamp, Written};
use super::{lookup, Body, Record, Role, RoleMap};
use chrono::{DateTime, LocalResult, NaiveDateTime, Offset, TimeZone};
use std::cell::Cell;

const NANOS_PER_SEC: i64 = 1_000_000_000;

/// The JSON key whose zone-less times are local by default: Python's
/// `%(asctime)s`, as python-json-logger writes it.
const ASCTIME: &str = "asctime";

/// A time zone that wall-clock readings can be read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Utc,
    /// The process's zone as chrono's `Local` sees it (`TZ`, else `/etc/localtime`).
    Local,
    /// An IANA zone from the tz database built into the binary.
    Named(chrono_tz::Tz),
}

/// How zone-less record times are read (`--input-tz`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputTz {
    /// By writer: Python text, loguru and `asctime` keys local, other JSON UTC.
    #[default]
    Auto,
    /// Every zone-less time in this zone.
    Fixed(Zone),
}

impl Zone {
    /// Reads `local`, `UTC` or an IANA name (`Europe/Berlin`).
    ///
    /// Fails on anything else: `Mars/Olympus`, `CEST`, `+01:00`.
    pub fn parse(s: &str) -> Result<Zone, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("local") {
            return Ok(Zone::Local);
        }
        if s.eq_ignore_ascii_case("utc") || s == "Z" {
            return Ok(Zone::Utc);
        }
        s.parse::<chrono_tz::Tz>().map(Zone::Named).map_err(|_| {
            format!(
                "unknown time zone '{s}' (expected an IANA name like Europe/Berlin, local or UTC)"
            )
        })
    }

    /// The instant of a wall-clock reading in this zone (nanoseconds since
    /// 1970-01-01T00:00:00 on that clock). A reading inside a DST gap is
    /// shifted forward by the gap (02:30 on the spring-forward night is
    /// 03:30 summer time); a repeated one is the earlier of the two.
    pub fn to_instant(self, wall: i128) -> Option<Timestamp> {
        // Offsets are looked up by the second in chrono's range; a reading
        // beyond it (year 0 and before, past 262143) is read as UTC.
        let secs = i64::try_from(wall.div_euclid(i128::from(NANOS_PER_SEC))).unwrap_or(0);
        let offset = match self {
            Zone::Utc => 0,
            Zone::Local => cached_offset(0, secs, &chrono::Local),
            Zone::Named(tz) => cached_offset(1 + tz as u32, secs, &tz),
        };
        wall.checked_sub(i128::from(offset) * i128::from(NANOS_PER_SEC))
            .map(Timestamp)
    }
}

/// Slots of the per-thread offset cache, by wall-clock hour modulo this:
/// enough for a few days of records out of order, or several files whose
/// chunks one thread reads in turn.
const SLOTS: usize = 64;

thread_local! {
    /// (zone key, wall hour, offset) of hours that have one offset
    /// throughout. Looking a zone up costs more than parsing the time
    /// (about 200 ns for `Local`, which checks `TZ` each time), and the
    /// records of a file mostly share the hour of the one before.
    static HOURS: [Cell<(u32, i64, i32)>; SLOTS] =
        const { [const { Cell::new((u32::MAX, 0, 0)) }; SLOTS] };
}

/// [`offset_at`], remembered per thread for the wall-clock hour when the
/// whole hour has the one offset (the hour of a DST change is looked up
/// every time).
fn cached_offset<Z: TimeZone>(key: u32, wall_secs: i64, zone: &Z) -> i32 {
    let hour = wall_secs.div_euclid(3600);
    let slot = hour.rem_euclid(SLOTS as i64) as usize;
    let (k, h, offset) = HOURS.with(|c| c[slot].get());
    if k == key && h == hour {
        return offset;
    }
    let (offset, unique) = offset_at(zone, wall_secs);
    if unique {
        let (first, first_unique) = offset_at(zone, hour * 3600);
        let (last, last_unique) = offset_at(zone, hour * 3600 + 3599);
        if first_unique && last_unique && first == offset && last == offset {
            HOURS.with(|c| c[slot].set((key, hour, offset)));
        }
    }
    offset
}

/// The UTC offset (seconds) of a wall-clock reading in `zone`, and whether
/// the reading exists exactly once. Ambiguous: the larger offset (the
/// earlier instant); in a gap: the offset in force before it.
fn offset_at<Z: TimeZone>(zone: &Z, wall_secs: i64) -> (i32, bool) {
    let Some(reading) = naive_at(wall_secs) else {
        return (0, false);
    };
    match zone.offset_from_local_datetime(&reading) {
        LocalResult::Single(o) => (o.fix().local_minus_utc(), true),
        LocalResult::Ambiguous(a, b) => (
            a.fix().local_minus_utc().max(b.fix().local_minus_utc()),
            false,
        ),
        LocalResult::None => {
            // A day before the reading lies before the gap (offsets are
            // within ±1 day) and after the previous change of offset.
            let before = naive_at(wall_secs - 86_400).map_or(0, |n| {
                zone.offset_from_utc_datetime(&n).fix().local_minus_utc()
            });
            (before, false)
        }
    }
}

fn naive_at(secs: i64) -> Option<NaiveDateTime> {
    DateTime::from_timestamp(secs, 0).map(|t| t.naive_utc())
}

impl Record<'_> {
    /// Reads a time string of this record; one without a zone in the zone
    /// `roles.input_tz` picks for the record.
    pub(super) fn read_time(&self, s: &str, roles: &RoleMap) -> Option<Timestamp> {
        match Timestamp::parse_written(s)? {
            Written::Instant(t) => Some(t),
            Written::Wall(wall) => self.wall_zone(roles).to_instant(wall),
        }
    }

    /// The zone of this record's zone-less time.
    fn wall_zone(&self, roles: &RoleMap) -> Zone {
        match roles.input_tz {
            InputTz::Fixed(zone) => zone,
            InputTz::Auto => match &self.body {
                Body::Text(_) | Body::Loguru(..) => Zone::Local,
                Body::Json(o) => {
                    // The path `Record::role` took the time from.
                    let path = roles
                        .paths(Role::Time)
                        .iter()
                        .find(|p| lookup(o, p).is_some_and(|f| !f.is_null()));
                    match path.and_then(|p| p.last()) {
                        Some(key) if key == ASCTIME => Zone::Local,
                        _ => Zone::Utc,
                    }
                }
                // The inner line's rule (the wrapper's own time has a zone).
                Body::Logcli(w) => Record::parse(&w.line).wall_zone(roles),
                Body::Invalid => Zone::Utc,
            },
        }
    }
}

/// [`Record::read_time`] for a time string that `quick_role` found as
/// `value` in the JSON `line`: `None` when the key it stands under cannot be
/// told (the caller then parses the record).
pub(super) fn quick_read(
    line: &[u8],
    value: &[u8],
    s: &str,
    roles: &RoleMap,
) -> Option<Option<Timestamp>> {
    let wall = match Timestamp::parse_written(s) {
        None => return Some(None),
        Some(Written::Instant(t)) => return Some(Some(t)),
        Some(Written::Wall(wall)) => wall,
    };
    let zone = match roles.input_tz {
        InputTz::Fixed(zone) => zone,
        // `quick_role` gives values of single-key paths only, found under
        // an unescaped key, so the key before the value is the path.
        InputTz::Auto => match key_before(line, value)? {
            k if k == ASCTIME.as_bytes() => Zone::Local,
            _ => Zone::Utc,
        },
    };
    Some(zone.to_instant(wall))
}

/// The key of `"key": value`, given the value as a slice of `line`.
fn key_before<'l>(line: &'l [u8], value: &[u8]) -> Option<&'l [u8]> {
    let at = (value.as_ptr() as usize).checked_sub(line.as_ptr() as usize)?;
    let before = line.get(..at)?;
    let is_ws = |c: &u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    let trim = |b: &'l [u8]| &b[..b.len() - b.iter().rev().take_while(|c| is_ws(c)).count()];
    let before = trim(before).strip_suffix(b":")?;
    let before = trim(before).strip_suffix(b"\"")?;
    let open = memchr::memrchr(b'"', before)?;
    Some(&before[open + 1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const BERLIN: Zone = Zone::Named(chrono_tz::Europe::Berlin);

    /// The instant of a zone-less time read in `zone`, as RFC3339 UTC.
    fn read(zone: Zone, s: &str) -> String {
        let Some(Written::Wall(wall)) = Timestamp::parse_written(s) else {
            panic!("{s} has a zone");
        };
        zone.to_instant(wall).unwrap().to_rfc3339()
    }

    #[test]
    fn utc_reads_the_clock_as_is() {
        assert_eq!(
            read(Zone::Utc, "2024-03-12 10:00:00,010"),
            "2024-03-12T10:00:00.010Z"
        );
    }

    #[test]
    fn berlin_winter_and_summer() {
        assert_eq!(
            read(BERLIN, "2024-03-12 10:00:00,010"),
            "2024-03-12T09:00:00.010Z"
        );
        assert_eq!(read(BERLIN, "2024-07-01T10:00:00"), "2024-07-01T08:00:00Z");
    }

    #[test]
    fn berlin_gap_shifts_forward() {
        // 2024-03-31 02:00 → 03:00: 02:30 does not exist; it is 03:30 CEST.
        assert_eq!(read(BERLIN, "2024-03-31 02:30:00"), "2024-03-31T01:30:00Z");
        assert_eq!(read(BERLIN, "2024-03-31 02:00:00"), "2024-03-31T01:00:00Z");
        assert_eq!(read(BERLIN, "2024-03-31 03:00:00"), "2024-03-31T01:00:00Z");
    }

    #[test]
    fn berlin_overlap_takes_the_earlier() {
        // 2024-10-27 03:00 → 02:00: 02:30 happens twice; the first is CEST.
        assert_eq!(read(BERLIN, "2024-10-27 02:30:00"), "2024-10-27T00:30:00Z");
        assert_eq!(read(BERLIN, "2024-10-27 03:00:00"), "2024-10-27T02:00:00Z");
    }

    #[test]
    fn cached_offsets_equal_fresh_ones_across_both_changes() {
        for day in ["2024-03-30", "2024-03-31", "2024-10-26", "2024-10-27"] {
            for minute in (0..24 * 60).step_by(7) {
                let s = format!("{day} {:02}:{:02}:00", minute / 60, minute % 60);
                let Some(Written::Wall(wall)) = Timestamp::parse_written(&s) else {
                    panic!("{s}");
                };
                let secs = (wall / i128::from(NANOS_PER_SEC)) as i64;
                let fresh = offset_at(&chrono_tz::Europe::Berlin, secs).0;
                let want = Timestamp(wall - i128::from(fresh) * i128::from(NANOS_PER_SEC));
                assert_eq!(BERLIN.to_instant(wall), Some(want), "{s}");
            }
        }
    }

    #[test]
    fn extreme_readings_do_not_panic() {
        for zone in [Zone::Utc, Zone::Local, BERLIN] {
            for wall in [
                i128::MIN,
                i128::from(i64::MIN),
                -1,
                0,
                i128::from(i64::MAX),
                i128::MAX,
            ] {
                let _ = zone.to_instant(wall);
            }
        }
    }

    #[test]
    fn parses_zone_names() {
        assert_eq!(Zone::parse("local"), Ok(Zone::Local));
        assert_eq!(Zone::parse("UTC"), Ok(Zone::Utc));
        assert_eq!(Zone::parse("utc"), Ok(Zone::Utc));
        assert_eq!(Zone::parse("Europe/Berlin"), Ok(BERLIN));
        assert!(Zone::parse("Mars/Olympus").is_err());
        assert!(Zone::parse("").is_err());
    }

    /// `local` follows `TZ`. Setting `TZ` here would change the zone of
    /// every other test of this process, so the test runs itself again in
    /// a child process with `TZ=Europe/Berlin`.
    #[test]
    fn local_reads_the_tz_variable() {
        const CHILD: &str = "LOGQ_ZONE_TEST_CHILD";
        if std::env::var_os(CHILD).is_some() {
            assert_eq!(
                read(Zone::Local, "2024-03-12 10:00:00,010"),
                "2024-03-12T09:00:00.010Z"
            );
            assert_eq!(
                read(Zone::Local, "2024-03-31 02:30:00"),
                "2024-03-31T01:30:00Z"
            );
            assert_eq!(
                read(Zone::Local, "2024-10-27 02:30:00"),
                "2024-10-27T00:30:00Z"
            );
            return;
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "record::zone::tests::local_reads_the_tz_variable",
            ])
            .env(CHILD, "1")
            .env("TZ", "Europe/Berlin")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("1 passed"),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn key_before_finds_the_key_of_a_value() {
        let line = br#"{"asctime" : "2024-03-12 10:00:00,010","t":"x"}"#;
        let at = line.windows(4).position(|w| w == b"\"202").unwrap();
        let value = &line[at..at + 25];
        assert_eq!(key_before(line, value), Some(&b"asctime"[..]));
        assert_eq!(key_before(line, &line[..0]), None);
    }
}
