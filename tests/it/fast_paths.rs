//! The fast paths (literal prefilter, quick level/time rejection, time seek,
//! mmap, parallel chunks) select exactly the records of the plain path.
//!
//! Most comparisons run in-process (`logq_in_process`, where `-j` sizes
//! nothing: chunks are scanned on a pool of 4); the zone tests, which set
//! `TZ` per run, run the real binary.

use crate::util::*;
use std::fmt::Write as _;
use std::path::Path;

/// A sorted day of records with the traps the fast paths must survive:
/// ids hidden behind `\u` escapes, ids in other fields, levels under two
/// aliases, numeric levels, escaped level names, records without time,
/// docker prefixes, text records with tracebacks, and unparsed lines.
fn tricky_day(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let secs = i * 86_000 / n;
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        let ts = format!("2024-01-15T{h:02}:{m:02}:{s:02}.{:03}Z", i % 1000);
        let line = match i % 23 {
            0 => format!(r#"{{"timestamp":"{ts}","level":"INFO","correlation_id":"req-\u0061bc","message":"escaped id"}}"#),
            1 => format!(r#"{{"timestamp":"{ts}","level":"ERROR","message":"mentions req-abc but is not it","correlation_id":"req-other"}}"#),
            2 => format!(r#"{{"timestamp":"{ts}","severity":"error","level":"info","message":"alias order"}}"#),
            3 => format!(r#"{{"timestamp":"{ts}","level":40,"message":"numeric level"}}"#),
            4 => format!(r#"{{"timestamp":"{ts}","level":"ERR\u004fR","message":"escaped level"}}"#),
            5 => r#"{"level":"ERROR","message":"no time at all","correlation_id":"req-abc"}"#.to_string(),
            6 => format!(r#"api-1  | {{"timestamp":"{ts}","level":"warning","message":"timeout after 30 ms","request_id":"req-abc"}}"#),
            7 => format!("2024-01-15 {h:02}:{m:02}:{s:02},{:03} - src.worker - ERROR - job failed req-abc\nTraceback (most recent call last):\n  File \"w.py\", line 1\nValueError: bad", i % 1000),
            8 => "this line is not a record".to_string(),
            9 => format!(r#"{{"timestamp":"{ts}","level":"info","message":"caf\u00e9 timeout after 5 ms","extra":{{"request_id":"req-abc"}}}}"#),
            10 => format!(r#"{{"timestamp":"{ts}","log":{{"level":"warn"}},"message":"nested level"}}"#),
            11 => format!(r#"{{"ts":{},"lvl":"critical","msg":"epoch time"}}"#, 1_705_276_800 + secs),
            12 => format!(r#"{{"timestamp":"{ts}","level":"ERROR","message":"bad literal timeout after 1 ms","ok":tru}}"#),
            13 => format!("{{\"timestamp\":\"{ts}\",\"level\":\"ERROR\",\"message\":\"raw\ttab request 1 done\"}}"),
            14 => format!(r#"{{"timestamp":"{ts}","level":"WARNING","message":"bad escape \q request 2 done","logger":"src.api.x"}}"#),
            _ => format!(r#"{{"timestamp":"{ts}","level":"{}","message":"request {i} done","correlation_id":"req-{i:06}","logger":"{}","pad":"{}"}}"#,
                ["DEBUG", "INFO", "WARNING", "ERROR"][i % 4], ["src.api.routes", "src.db", "src\\/api"][i % 3], "x".repeat(40)),
        };
        let _ = writeln!(out, "{line}");
    }
    out
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn run(args: &[&str], file: &str, extra: &[&str]) -> String {
    let out = logq_in_process([args, extra, &["-o", "json", file]].concat());
    assert!(out.code != 2, "{args:?} {extra:?}: {:?}", out.error);
    String::from_utf8(out.stdout).expect("JSON output is UTF-8")
}

const QUERIES: &[&[&str]] = &[
    &["-c", "req-abc"],
    &["-F", "-g", "timeout after"],
    &["-l", "error"],
    &["-l", "=warn"],
    &["-l", "warn", "-c", "req-abc"],
    &[
        "--since",
        "2024-01-15T10:00:00Z",
        "--until",
        "2024-01-15T10:05:00Z",
    ],
    &["--since", "2024-01-15T23:00:00Z"],
    &["--until", "2024-01-15T00:30:00Z", "-l", "error"],
    &["--since", "2024-01-15T12:00:00Z", "-c", "req-abc"],
    &["-m", "src.api.*"],
    &["-m", "*worker*", "-l", "error"],
    &["-m", "!src.db"],
    &["-g", "timeout after [0-9]+ ms"],
    &["-g", "^request [0-9]+"],
    &["-g", "caf. timeout"],
    &["--grep-line", "-g", "api-1 +[|]"],
    // Only a text record's traceback holds it.
    &["--grep-line", "-g", "ValueError: bad"],
    &["-g", "ValueError: bad"],
];

fn assert_paths_agree(file: &str) {
    for q in QUERIES {
        let plain = run(q, file, &["--no-fast-paths", "-j", "1"]);
        assert!(
            !plain.is_empty(),
            "{q:?} selects nothing; the test would prove nothing"
        );
        assert_eq!(run(q, file, &[]), plain, "fast path differs for {q:?}");
        assert_eq!(
            run(q, file, &["--chunk-size", "4096", "-j", "2"]),
            plain,
            "tiny chunks differ for {q:?}"
        );
    }
}

#[test]
fn fast_paths_select_the_plain_paths_records_on_a_sorted_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = tricky_day(20_000);
    assert!(text.len() > 2 << 20, "big enough to be seeked");
    let file = write(dir.path(), "day.jsonl", &text);
    assert_paths_agree(&file);
}

#[test]
fn fast_paths_select_the_plain_paths_records_on_an_unsorted_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = tricky_day(20_000);
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    // Move the last tenth to the front: sorted runs, but not sorted.
    lines.rotate_right(2_000);
    let file = write(dir.path(), "unsorted.jsonl", &lines.concat());
    assert_paths_agree(&file);
}

#[test]
fn cid_prefilter_finds_escaped_ids_and_skips_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "day.jsonl", &tricky_day(23 * 4));
    let out = run(&["-c", "req-abc"], &file, &[]);
    let messages: Vec<String> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["message"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let per_day = [
        "escaped id",
        "no time at all",
        "timeout after 30 ms",
        "café timeout after 5 ms",
    ];
    assert_eq!(messages.len(), 4 * per_day.len(), "{messages:?}");
    assert_eq!(messages[..4], per_day);
}

#[test]
fn window_on_fixture_files_matches_plain_path() {
    for q in [
        &[
            "--since",
            "2024-01-15T10:00:00Z",
            "--until",
            "2024-01-15T12:00:00Z",
        ][..],
        &["-l", "warn", "--since", "yesterday"][..],
        &["-c", "req-trace-42"][..],
    ] {
        let fixtures = fixture("logs");
        let plain = run(q, &fixtures, &["--no-fast-paths"]);
        assert!(!plain.is_empty());
        assert_eq!(run(q, &fixtures, &[]), plain, "{q:?}");
    }
}

#[test]
fn stats_by_level_quick_path_counts_like_the_plain_path() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = tricky_day(2_000);
    text.push_str(r#"{"level":"info","level":"error","x":1}"#);
    text.push('\n');
    text.push_str(r#"{"level":"error","mess"#);
    let file = write(dir.path(), "day.jsonl", &text);
    let stats = |extra: &[&str]| {
        let out = logq()
            .args(["stats", "--json", &file])
            .args(extra)
            .output()
            .unwrap();
        (stdout(&out), stderr(&out))
    };
    let plain = stats(&["--no-fast-paths"]);
    assert!(plain.0.contains("\"ERROR\""), "{}", plain.0);
    assert_eq!(stats(&[]), plain);
    assert_eq!(
        stats(&["--by", "level"]),
        stats(&["--by", "level", "--no-fast-paths"])
    );
}

#[test]
fn fast_paths_agree_on_logs_of_the_real_python_writers() {
    // Derived values (uvicorn's module, a Django level, a container's time,
    // a loguru exception, a logcli line's labels) are where a prefilter or
    // a quick look at the raw line could go wrong.
    let python = fixture("python");
    for q in [
        &["-l", "error"][..],
        &["-l", "=warn"],
        &["-c", "req-7f3a"],
        &["-m", "uvicorn.*"],
        &["-m", "django.request"],
        &["-m", "celery"],
        &["-q", "module = gunicorn.error"],
        &["-q", "level = ERROR"],
        &["--jq", "select(.level == \"ERROR\")"],
        &["-q", "status = 500"],
        &["-q", "service = api"],
        &["-q", "namespace = prod"],
        &["-q", "function = _loguru_story"],
        &[
            "--since",
            "2024-03-12T09:00:00.1Z",
            "--until",
            "2024-03-12T09:00:00.3Z",
        ],
    ] {
        let plain = run(q, &python, &["--no-fast-paths", "-j", "1"]);
        assert!(!plain.is_empty(), "{q:?} selects nothing");
        assert_eq!(run(q, &python, &[]), plain, "fast path differs for {q:?}");
        assert_eq!(
            run(q, &python, &["--chunk-size", "512", "-j", "2"]),
            plain,
            "tiny chunks differ for {q:?}"
        );
    }
}

/// A day of Python records around the spring-forward night of Europe/Berlin
/// (02:00–03:00 does not exist), with every way a time can be zone-less:
/// `asctime` (local by default), `timestamp` (UTC), both keys at once,
/// `asctime` with an offset, spaces around the colon, a null `asctime`
/// before `datetime`, "asctime" inside a message, docker prefixes, loguru
/// and stdlib text.
fn zone_day(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let secs = i * 86_000 / n;
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        let ms = i % 1000;
        let wall = format!("2024-03-31 {h:02}:{m:02}:{s:02},{ms:03}");
        let iso = format!("2024-03-31T{h:02}:{m:02}:{s:02}.{ms:03}");
        let level = ["DEBUG", "INFO", "WARNING", "ERROR"][i % 4];
        let line = match i % 11 {
            0 => format!(
                r#"{{"asctime": "{wall}", "levelname": "{level}", "name": "app", "message": "pjl {i}"}}"#
            ),
            1 => {
                format!(r#"{{"timestamp": "{iso}", "level": "{level}", "message": "utcnow {i}"}}"#)
            }
            2 => format!(
                r#"{{"asctime": "{wall}", "timestamp": "{iso}", "level": "{level}", "message": "both {i}"}}"#
            ),
            3 => format!(
                r#"{{"asctime": "{wall}+0200", "levelname": "{level}", "message": "offset {i}"}}"#
            ),
            4 => format!(
                r#"{{"asctime" :  "{wall}", "levelname": "{level}", "message": "spaced {i}"}}"#
            ),
            5 => format!(
                r#"{{"asctime": null, "datetime": "{iso}", "level": "{level}", "message": "null asctime {i}"}}"#
            ),
            6 => format!(
                r#"{{"message": "\"asctime\": \"{wall}\" {i}", "ts": "{iso}", "level": "{level}"}}"#
            ),
            7 => format!(
                r#"api-1  | {{"asctime": "{wall}", "levelname": "{level}", "message": "docker {i}"}}"#
            ),
            8 => format!(
                r#"{{"text": "t", "record": {{"level": {{"name": "{level}"}}, "message": "loguru {i}", "time": {{"repr": "{iso}"}}}}}}"#
            ),
            9 => format!("{wall} - app.text - {level} - text {i}"),
            _ => format!(
                r#"{{"level": "{level}", "asctime": "{wall}", "message": "asctime later {i}", "ctx": {{"asctime": "x"}}}}"#
            ),
        };
        let _ = writeln!(out, "{line}");
    }
    out
}

#[test]
fn fast_paths_read_zone_less_times_like_the_plain_path() {
    let dir = tempfile::tempdir().unwrap();
    let day = write(dir.path(), "day.jsonl", &zone_day(30_000));
    // A second file, all UTC, so the merge order depends on every time.
    let utc: String = zone_day(3_000)
        .lines()
        .filter(|l| l.contains("utcnow"))
        .map(|l| format!("{l}\n"))
        .collect();
    let other = write(dir.path(), "utc.jsonl", &utc);
    let run = |tz: &str, args: &[&str]| {
        let out = logq()
            .env("TZ", tz)
            .args(args)
            .args(["-o", "json", &day, &other])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        stdout(&out)
    };
    let queries: &[&[&str]] = &[
        &["-l", "warn"],
        &[
            "--since",
            "2024-03-31T00:30:00Z",
            "--until",
            "2024-03-31T01:45:00Z",
        ],
        &[
            "--since",
            "2024-03-31 01:10",
            "--until",
            "2024-03-31 04:20",
            "--local",
        ],
        &["--since", "2024-03-31T21:00:00Z", "-l", "error"],
    ];
    for (tz, zone) in [
        ("Europe/Berlin", None),
        ("Europe/Berlin", Some("UTC")),
        ("UTC", Some("Europe/Berlin")),
        ("America/New_York", Some("local")),
    ] {
        for q in queries {
            let mut args: Vec<&str> = q.to_vec();
            if let Some(z) = zone {
                args.extend(["--input-tz", z]);
            }
            let plain = run(tz, &[&args[..], &["--no-fast-paths", "-j", "1"]].concat());
            assert!(
                plain.lines().count() > 100,
                "{tz} {args:?} selects too little"
            );
            assert_eq!(run(tz, &args), plain, "fast path differs: TZ={tz} {args:?}");
            assert_eq!(
                run(
                    tz,
                    &[&args[..], &["--chunk-size", "4096", "-j", "2"]].concat()
                ),
                plain,
                "tiny chunks differ: TZ={tz} {args:?}"
            );
        }
    }
}

/// A lone surrogate in a top-level key makes serde_json refuse the line, so
/// the plain path counts it as unparsed; the quick validity check used to
/// accept it, and the fast path kept it as an ERROR record (issue 12). An
/// escaped later duplicate of `level` wins on the plain path, as it must on
/// the fast one.
#[test]
fn lone_surrogate_key_is_unparsed_on_every_path_issue_12() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "surrogate.jsonl",
        concat!(
            r#"{"\ud800":1,"timestamp":"2024-01-15T10:00:00Z","level":"ERROR","message":"x"}"#,
            "\n",
            r#"{"timestamp":"2024-01-15T10:00:01Z","level":"ERROR","message":"y"}"#,
            "\n",
            r#"{"level":"INFO","lev\u0065l":"ERROR","timestamp":"2024-01-15T10:00:02Z","message":"dup"}"#,
            "\n",
            r#"{"a":"\ud800","timestamp":"2024-01-15T10:00:03Z","level":"ERROR","message":"z"}"#,
            "\n",
        ),
    );
    let run = |args: &[&str]| {
        let out = logq().args(args).arg(&file).output().unwrap();
        (stdout(&out), stderr(&out), out.status.code())
    };
    let warning = format!(
        "logq: warning: 1 line in {file} is not a JSON or log record; --show-invalid to see them\n"
    );
    for args in [
        &["-l", "error", "-o", "raw"][..],
        &["-l", "error", "--count"],
        &["stats"],
        &["stats", "--json"],
        &["stats", "--json", "--by", "level"],
        &["-l", "error", "-o", "json"],
        &["--count"],
        &["tail", "-n", "10", "-l", "error", "-o", "raw"],
    ] {
        let plain = run(&[args, &["--no-fast-paths"]].concat());
        assert_eq!(run(args), plain, "{args:?}");
        assert_eq!(plain.1, warning, "{args:?}");
    }
    let raw = run(&["-l", "error", "-o", "raw"]).0;
    let messages: Vec<&str> = raw
        .lines()
        .map(|l| l.rsplit("\"message\":\"").next().unwrap_or(""))
        .collect();
    assert_eq!(messages, ["y\"}", "dup\"}", "z\"}"]);
    assert_eq!(run(&["-l", "error", "--count"]).0, "3\n");
    let json = run(&["-l", "error", "-o", "json"]).0;
    assert!(!json.contains("\"level\":null"), "{json}");
    assert_eq!(json.lines().count(), 3, "{json}");
}
