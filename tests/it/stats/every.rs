//! `stats --every`: runs of empty buckets drawn as one line, and a width
//! chosen for about 40 rows when the flag has no value.

use super::stats;
use crate::util::*;

const LOGS: &str = "tests/fixtures/logs";

/// A JSON record at an RFC3339 time.
fn rec(time: &str) -> String {
    format!(r#"{{"timestamp":"{time}","level":"info","message":"m"}}"#) + "\n"
}

#[test]
fn runs_of_empty_buckets_are_one_line() {
    let dir = tempdir();
    let text: String = [
        "2024-03-12T10:00:00Z",
        "2024-03-12T10:01:00Z",
        "2024-03-12T11:00:00Z",
        "2024-03-12T11:10:00Z",
    ]
    .map(rec)
    .concat();
    let f = write(dir.path(), "a.jsonl", text.as_bytes());
    // One empty bucket stays a row of its own; eleven are one line.
    let want = "\
time              count
2024-03-12 10:00      2  ████████████████████████████████████████
2024-03-12 10:05–10:55  (11 empty)
2024-03-12 11:00      1  ████████████████████
2024-03-12 11:05      0
2024-03-12 11:10      1  ████████████████████
total                 4
";
    assert_eq!(stats(&["--every", "5m", &f], 0), want);
    // Dimmed, like the other notes, in colour.
    let out = logq()
        .args(["stats", "--every", "5m", &f, "--color", "always"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("\x1b[2m2024-03-12 10:05–10:55  (11 empty)\x1b[0m\n"),
        "{}",
        stdout(&out)
    );
    // JSON, for scripts, still lists every bucket.
    let out = logq()
        .args(["stats", "--every", "5m", &f, "--json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["buckets"].as_array().unwrap().len(), 15);
}

#[test]
fn empty_runs_across_midnight_name_both_days() {
    let want = "\
time              count
2024-01-14 09:00      2  ███▌
2024-01-14 10:00      2  ███▌
2024-01-14 11:00      1  █▊
2024-01-14 12:00      1  █▊
2024-01-14 13:00      1  █▊
2024-01-14 14:00      1  █▊
2024-01-14 15:00      1  █▊
2024-01-14 16:00      0
2024-01-14 17:00      1  █▊
2024-01-14 18:00–2024-01-15 07:00  (14 empty)
2024-01-15 08:00      6  ██████████▍
2024-01-15 09:00      7  ████████████▏
2024-01-15 10:00     23  ████████████████████████████████████████
2024-01-15 11:00     14  ████████████████████████▍
2024-01-15 12:00      9  ███████████████▋
2024-01-15 13:00      5  ████████▊
2024-01-15 14:00      5  ████████▊
2024-01-15 15:00      3  █████▎
2024-01-15 16:00      4  ███████
2024-01-15 17:00      4  ███████
2024-01-15 18:00      1  █▊
total                91
";
    assert_eq!(stats(&["--every", "1h", LOGS], 0), want);
    // With --by, an empty run is one line too.
    let got = stats(&["--every", "6h", "--by", "level", LOGS], 0);
    assert!(
        got.contains("\n2024-01-14 18:00–2024-01-15 00:00  (2 empty)\n"),
        "{got}"
    );
}

#[test]
fn every_without_a_value_chooses_a_round_width_for_about_40_rows() {
    // Three days of records: 3h buckets (5m would give 864 rows).
    let dir = tempdir();
    let text: String = [
        "2024-03-10T00:10:00Z",
        "2024-03-10T01:00:00Z",
        "2024-03-11T12:00:00Z",
        "2024-03-12T23:59:00Z",
    ]
    .map(rec)
    .concat();
    let f = write(dir.path(), "a.jsonl", text.as_bytes());
    let want = "\
time              count
2024-03-10 00:00      2  ████████████████████████████████████████
2024-03-10 03:00–2024-03-11 09:00  (11 empty)
2024-03-11 12:00      1  ████████████████████
2024-03-11 15:00–2024-03-12 18:00  (10 empty)
2024-03-12 21:00      1  ████████████████████
total                 4
--every 3h (chosen for about 40 rows)
";
    assert_eq!(stats(&["--every", &f], 0), want);
    assert_eq!(stats(&[&f, "--every"], 0), want);
    let doc: serde_json::Value =
        serde_json::from_str(&stats(&[&f, "--every", "--json"], 0)).unwrap();
    assert_eq!(doc["every"], "3h");
    assert_eq!(doc["buckets"].as_array().unwrap().len(), 24);
}

#[test]
fn the_chosen_width_counts_exactly_what_the_same_width_given_counts() {
    // 6,000 records a second apart (more buckets than are counted finely,
    // so the counts are regrouped while scanning), in small chunks over
    // several threads: the result is the one of `--every 5m`.
    let dir = tempdir();
    let start = 1_710_237_600i64; // 2024-03-12T10:00:00Z
    let text: String = (0..6000)
        .map(|i| {
            let t = chrono::DateTime::from_timestamp(start + i, 0).unwrap();
            let level = if i % 7 == 0 { "error" } else { "info" };
            format!(
                r#"{{"timestamp":"{}","level":"{level}","ms":{}}}"#,
                t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                i % 100
            ) + "\n"
        })
        .collect();
    let f = write(dir.path(), "a.jsonl", text.as_bytes());
    for extra in [&[][..], &["--chunk-size", "2000", "-j", "2"]] {
        for what in [&["--by", "level"][..], &["--field", "ms"]] {
            let mut auto = vec!["--every", &f];
            auto.extend_from_slice(what);
            auto.extend_from_slice(extra);
            let mut fixed = vec!["--every", "5m", &f];
            fixed.extend_from_slice(what);
            fixed.extend_from_slice(extra);
            let got = stats(&auto, 0);
            let want = stats(&fixed, 0) + "--every 5m (chosen for about 40 rows)\n";
            assert_eq!(got, want, "{auto:?}");
        }
    }
}
