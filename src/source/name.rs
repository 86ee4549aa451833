//! What a file's name says: whether a directory walk yields it by default,
//! which live log a rotated copy belongs to and how old it is, and which
//! days its records may be from.
//!
//! Names only; nothing here opens or stats a file. The default names
//! (SPEC §1) are `*.jsonl`, `*.json`, `*.log` and their rotated copies,
//! `.N` (digits only: `app.jsonl.bak` is not a log) and `.YYYY-MM-DD`
//! (with the `_HH`, `_HH-MM` and `_HH-MM-SS` tails of Python's
//! `TimedRotatingFileHandler`), each also compressed.

use super::name_date;
use chrono::{Days, NaiveDate};
use std::cmp::Reverse;

/// The names a walk yields, in words, for the message about a folder that
/// yielded none (keep in step with [`parse`] and README "Inputs").
pub const DEFAULT_NAMES: &str = "*.jsonl, *.json, *.log, their rotated copies \
(*.log.1, *.log.2024-03-11) and the same compressed (.gz, .zst, .bz2, .xz)";

/// The extensions of a live log file.
const LOG_EXTENSIONS: [&str; 3] = [".jsonl", ".json", ".log"];

/// The extensions of a compressed copy (the format itself is detected from
/// the first bytes when the file is opened).
const COMPRESSED: [&str; 4] = [".gz", ".zst", ".bz2", ".xz"];

/// Where a file stands among the copies of one live log, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Age {
    /// A copy with a date suffix (`app.log.2024-03-11`), by date.
    Dated(String),
    /// A numbered copy (`app.log.2`): the higher the number, the older.
    Numbered(Reverse<u64>),
    /// The live file, or a file that is not a rotated copy.
    Live,
}

/// A log file name taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogName<'a> {
    /// The name of the live file: `worker.jsonl` for `worker.jsonl.2.gz`.
    pub live: &'a str,
    pub age: Age,
}

/// Takes a file name apart, or `None` when it is not a default log name
/// (`notes.txt`, `app.jsonl.bak`, `app.log.1x`).
pub fn parse(name: &str) -> Option<LogName<'_>> {
    let plain = COMPRESSED
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .unwrap_or(name);
    if is_live(plain) {
        return Some(LogName {
            live: plain,
            age: Age::Live,
        });
    }
    let (live, suffix) = plain.rsplit_once('.')?;
    if !is_live(live) {
        return None;
    }
    let age = if !suffix.is_empty() && suffix.bytes().all(|c| c.is_ascii_digit()) {
        // Past u64 the order among such copies no longer matters.
        Age::Numbered(Reverse(suffix.parse().unwrap_or(u64::MAX)))
    } else if suffix_date(suffix).is_some() {
        Age::Dated(suffix.to_string())
    } else {
        return None;
    };
    Some(LogName { live, age })
}

fn is_live(name: &str) -> bool {
    LOG_EXTENSIONS.iter().any(|ext| name.ends_with(ext))
}

/// The date of a rotation suffix: `YYYY-MM-DD`, then nothing, `_HH`,
/// `_HH-MM` or `_HH-MM-SS`.
fn suffix_date(suffix: &str) -> Option<NaiveDate> {
    let (date, time) = suffix.split_at_checked(10)?;
    let time_ok = match time.strip_prefix('_') {
        None => time.is_empty(),
        Some(t) => {
            let b = t.as_bytes();
            matches!(b.len(), 2 | 5 | 8)
                && b.iter().enumerate().all(|(i, c)| {
                    if i % 3 == 2 {
                        *c == b'-'
                    } else {
                        c.is_ascii_digit()
                    }
                })
        }
    };
    if !time_ok {
        return None;
    }
    name_date(date)
}

/// The first and last day a file's records may be from, going by its name.
///
/// A date in a rotation suffix wins over a date elsewhere in the name. It
/// is widened to the day before (logrotate's `dateext` names a copy for the
/// day it was rotated, after its records) and the six days after (Python's
/// `TimedRotatingFileHandler` names a copy for the start of its period,
/// which is a week with `when='W0'`). Any other date is the records' day.
pub fn name_days(name: &str) -> Option<(NaiveDate, NaiveDate)> {
    if let Some(LogName {
        age: Age::Dated(suffix),
        ..
    }) = parse(name)
    {
        let d = suffix_date(&suffix)?;
        let first = d.checked_sub_days(Days::new(1)).unwrap_or(d);
        let last = d.checked_add_days(Days::new(6)).unwrap_or(d);
        return Some((first, last));
    }
    name_date(name).map(|d| (d, d))
}

/// The order a directory walk lists names in: by name, except that the
/// rotated copies of a live log come just before it, oldest first
/// (`w.jsonl.2024-03-10`, `w.jsonl.3`, `w.jsonl.2`, `w.jsonl.1`, `w.jsonl`),
/// so records with equal or missing times keep the order they were written
/// in (the merge gives ties to the input listed first).
pub fn walk_key(name: &str) -> (&str, Age, &str) {
    match parse(name) {
        Some(n) => (n.live, n.age, name),
        None => (name, Age::Live, name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn age(name: &str) -> Option<Age> {
        parse(name).map(|n| n.age)
    }

    #[test]
    fn live_logs_compressed_or_not() {
        for name in ["a.jsonl", "a.json", "a.log", "a.jsonl.gz", "a.log.zst"] {
            assert_eq!(age(name), Some(Age::Live), "{name}");
        }
        assert_eq!(parse("a.json.xz").map(|n| n.live), Some("a.json"));
    }

    #[test]
    fn numbered_copies_are_digits_only() {
        for (name, n) in [
            ("worker.jsonl.1", 1),
            ("worker.jsonl.3.gz", 3),
            ("a.json.12.bz2", 12),
            ("a.log.007", 7),
        ] {
            let got = parse(name).unwrap();
            assert_eq!(got.age, Age::Numbered(Reverse(n)), "{name}");
            assert!(name.starts_with(got.live), "{name}");
        }
        for name in [
            "worker.jsonl.bak",
            "worker.jsonl.swp",
            "a.log.1x",
            "a.log.1.bak",
            "a.log.",
            "a.jsonl.-1",
            "a.log.gz.1",
            "notes.txt",
            "notes.txt.1",
            "a.gz",
            "jsonl.1",
        ] {
            assert_eq!(parse(name), None, "{name}");
        }
    }

    #[test]
    fn dated_copies_need_a_real_date() {
        for name in [
            "worker.jsonl.2024-03-11",
            "worker.json.2024-03-11.gz",
            "app.log.2024-03-11",
            "app.log.2024-03-11_14",
            "app.log.2024-03-11_14-05",
            "app.log.2024-03-11_14-05-59.xz",
        ] {
            assert!(matches!(age(name), Some(Age::Dated(_))), "{name}");
        }
        for name in [
            "app.log.2024-13-11",
            "app.log.2024-03-1",
            "app.log.2024-03-11x",
            "app.log.2024-03-11_1",
            "app.log.2024-03-11_14:05",
            "app.txt.2024-03-11",
        ] {
            assert_eq!(parse(name), None, "{name}");
        }
        // All digits: a numbered copy, not a dated one.
        assert_eq!(
            age("app.jsonl.20240311"),
            Some(Age::Numbered(Reverse(20240311)))
        );
    }

    #[test]
    fn suffix_date_wins_and_is_widened() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            name_days("worker.jsonl.2024-03-11.gz"),
            Some((d("2024-03-10"), d("2024-03-17")))
        );
        assert_eq!(
            name_days("app_2024-01-14.jsonl.2024-03-11"),
            Some((d("2024-03-10"), d("2024-03-17")))
        );
        assert_eq!(
            name_days("app_2024-01-15.jsonl.1"),
            Some((d("2024-01-15"), d("2024-01-15")))
        );
        assert_eq!(name_days("worker.jsonl.3"), None);
    }

    #[test]
    fn walk_order_puts_older_copies_before_the_live_file() {
        let mut names = vec![
            "worker.jsonl",
            "worker.jsonl.1",
            "worker.jsonl.10.gz",
            "worker.jsonl.2.gz",
            "worker.jsonl.2024-03-09",
            "worker.jsonl.2024-03-10.gz",
            "worker.jsonl.bak",
            "worker.jsonl.9",
            "api.log",
            "api.log.1",
            "notes.txt",
            "zeta.json.1",
        ];
        names.sort_by_key(|n| walk_key(n));
        assert_eq!(
            names,
            [
                "api.log.1",
                "api.log",
                "notes.txt",
                "worker.jsonl.2024-03-09",
                "worker.jsonl.2024-03-10.gz",
                "worker.jsonl.10.gz",
                "worker.jsonl.9",
                "worker.jsonl.2.gz",
                "worker.jsonl.1",
                "worker.jsonl",
                "worker.jsonl.bak",
                "zeta.json.1",
            ]
        );
    }
}
