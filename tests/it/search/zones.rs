//! Record times without a zone (`--input-tz`). On a host in Europe/Berlin,
//! loguru's serialized time carries its offset while Python's `asctime` is
//! the local clock with no zone: by default both must land on the same
//! instant, 10 ms apart, not one hour.

use crate::util::*;
use std::path::Path;

/// loguru `serialize=True`, 10:00:00.000 Berlin time with its offset.
pub const LOGURU: &str = r#"{"text":"2024-03-12 10:00:00.000 | INFO     | app.main:run:12 - start\n","record":{"elapsed":{"repr":"0:00:01.000000","seconds":1.0},"exception":null,"extra":{"request_id":"req-7"},"file":{"name":"main.py","path":"/srv/app/main.py"},"function":"run","level":{"icon":"ℹ️","name":"INFO","no":20},"line":12,"message":"start","module":"main","name":"app.main","process":{"id":41,"name":"MainProcess"},"thread":{"id":1,"name":"MainThread"},"time":{"repr":"2024-03-12 10:00:00.000000+01:00","timestamp":1710234000.0}}}"#;
/// Python `logging` text, 10 ms later on the same Berlin clock, no zone.
pub const STDLIB: &str = "2024-03-12 10:00:00,010 - app - INFO - step";
/// python-json-logger: `asctime`, local, no zone, 5 ms after the start.
pub const PJL: &str = r#"{"asctime": "2024-03-12 10:00:00,005", "levelname": "INFO", "name": "app.json", "message": "json step", "request_id": "req-7"}"#;
/// `datetime.utcnow().isoformat()`: UTC, no zone, 20 ms after the start.
pub const UTCNOW: &str =
    r#"{"timestamp": "2024-03-12T09:00:00.020000", "level": "info", "message": "utc step"}"#;

/// The four files, one record each, in the folder `svc` (their category)
/// of a fresh directory.
pub fn zone_files() -> tempfile::TempDir {
    let dir = tempdir();
    let svc = dir.path().join("svc");
    std::fs::create_dir(&svc).unwrap();
    for (name, line) in [
        ("loguru.jsonl", LOGURU),
        ("std.log", STDLIB),
        ("pjl.jsonl", PJL),
        ("utc.jsonl", UTCNOW),
    ] {
        write(&svc, name, format!("{line}\n").as_bytes());
    }
    dir
}

pub const FILES: [&str; 4] = [
    "svc/loguru.jsonl",
    "svc/std.log",
    "svc/pjl.jsonl",
    "svc/utc.jsonl",
];

/// `logq -o json ARGS FILES` in `dir` with `TZ=tz`.
fn run(dir: &Path, tz: &str, args: &[&str]) -> std::process::Output {
    logq()
        .current_dir(dir)
        .env("TZ", tz)
        .args(["-o", "json"])
        .args(args)
        .args(FILES)
        .output()
        .unwrap()
}

const OUT_LOGURU: &str = r#"{"timestamp":"2024-03-12T09:00:00Z","level":"INFO","message":"start","module":"app.main","category":"svc","cid":"req-7","service":null,"source":"svc/loguru.jsonl:1","fields":{"function":"run","line":12,"file":"/srv/app/main.py","process":41,"thread":1}}"#;
const OUT_PJL_LOCAL: &str = r#"{"timestamp":"2024-03-12T09:00:00.005Z","level":"INFO","message":"json step","module":"app.json","category":"svc","cid":"req-7","service":null,"source":"svc/pjl.jsonl:1","fields":{}}"#;
const OUT_STD_LOCAL: &str = r#"{"timestamp":"2024-03-12T09:00:00.010Z","level":"INFO","message":"step","module":"app","category":"svc","cid":null,"service":null,"source":"svc/std.log:1","fields":{}}"#;
const OUT_UTC: &str = r#"{"timestamp":"2024-03-12T09:00:00.020Z","level":"INFO","message":"utc step","module":null,"category":"svc","cid":null,"service":null,"source":"svc/utc.jsonl:1","fields":{}}"#;

fn lines(v: &[&str]) -> String {
    v.iter().map(|l| format!("{l}\n")).collect()
}

#[test]
fn default_reads_python_text_and_asctime_as_local_and_other_json_as_utc() {
    let dir = zone_files();
    let out = run(dir.path(), "Europe/Berlin", &[]);
    let want = lines(&[OUT_LOGURU, OUT_PJL_LOCAL, OUT_STD_LOCAL, OUT_UTC]);
    check(&out, &want, "", 0);
}

#[test]
fn input_tz_utc_reads_every_zone_less_time_as_utc() {
    let dir = zone_files();
    let out = run(dir.path(), "Europe/Berlin", &["--input-tz", "UTC"]);
    let want = lines(&[
        OUT_LOGURU,
        OUT_UTC,
        &OUT_PJL_LOCAL.replace("T09:00:00.005Z", "T10:00:00.005Z"),
        &OUT_STD_LOCAL.replace("T09:00:00.010Z", "T10:00:00.010Z"),
    ]);
    check(&out, &want, "", 0);
}

#[test]
fn input_tz_names_a_zone_whatever_tz_says() {
    let dir = zone_files();
    let want = lines(&[
        &OUT_UTC.replace("T09:00:00.020Z", "T08:00:00.020Z"),
        OUT_LOGURU,
        OUT_PJL_LOCAL,
        OUT_STD_LOCAL,
    ]);
    let out = run(dir.path(), "UTC", &["--input-tz", "Europe/Berlin"]);
    check(&out, &want, "", 0);
    let out = run(dir.path(), "Europe/Berlin", &["--input-tz", "local"]);
    check(&out, &want, "", 0);
}

#[test]
fn since_compares_instants_across_both_kinds() {
    let dir = zone_files();
    // An RFC3339 bound, a zone-less one (UTC), and a zone-less one read as
    // local time with `--local`: the same instant each time.
    for since in [
        &["--since", "2024-03-12T10:00:00.010+01:00"][..],
        &["--since", "2024-03-12 09:00:00.010"],
        &["--since", "2024-03-12 10:00:00.010", "--local"],
    ] {
        let out = run(dir.path(), "Europe/Berlin", since);
        let want = lines(&[OUT_STD_LOCAL, OUT_UTC]);
        check(&out, &want, "", 0);
    }
    let out = run(
        dir.path(),
        "Europe/Berlin",
        &["--until", "2024-03-12T09:00:00.010Z"],
    );
    check(&out, &lines(&[OUT_LOGURU, OUT_PJL_LOCAL]), "", 0);
}

#[test]
fn input_tz_from_the_config_file() {
    let dir = zone_files();
    let cfg = dir.path().join("logq.conf");
    std::fs::write(&cfg, "--input-tz=UTC\n").unwrap();
    let out = logq()
        .current_dir(dir.path())
        .env("TZ", "Europe/Berlin")
        .env("LOGQ_CONFIG", &cfg)
        .args(["-o", "raw", "svc/std.log", "svc/utc.jsonl"])
        .output()
        .unwrap();
    check(&out, &format!("{UTCNOW}\n{STDLIB}\n"), "", 0);
}

#[test]
fn tail_and_stats_take_input_tz() {
    let dir = zone_files();
    let out = logq()
        .current_dir(dir.path())
        .env("TZ", "Europe/Berlin")
        .args(["tail", "-n", "1", "-o", "raw", "--input-tz", "UTC"])
        .args(FILES)
        .output()
        .unwrap();
    check(&out, &format!("{STDLIB}\n"), "", 0);
    let out = logq()
        .current_dir(dir.path())
        .env("TZ", "Europe/Berlin")
        .args(["stats", "--json", "--every", "1h", "--input-tz", "UTC"])
        .args(FILES)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let starts: Vec<&str> = doc["buckets"]
        .as_array()
        .unwrap_or_else(|| panic!("{doc}"))
        .iter()
        .map(|b| b["start"].as_str().unwrap())
        .collect();
    assert_eq!(starts, ["2024-03-12T09:00:00Z", "2024-03-12T10:00:00Z"]);
}

#[test]
fn unknown_input_tz_is_a_usage_error() {
    let dir = zone_files();
    let out = run(dir.path(), "UTC", &["--input-tz", "Mars/Olympus"]);
    check(
        &out,
        "",
        "logq: --input-tz: unknown time zone 'Mars/Olympus' (expected an IANA name like Europe/Berlin, local or UTC)\n",
        2,
    );
}

#[test]
fn loguru_text_format_is_local_time_by_default() {
    let dir = tempdir();
    let line = "2024-03-12 10:00:00.010 | INFO     | app.main:run:13 - step";
    let file = write(dir.path(), "loguru.log", format!("{line}\n").as_bytes());
    let out = logq()
        .env("TZ", "Europe/Berlin")
        .args(["-o", "logfmt", &file])
        .output()
        .unwrap();
    check(
        &out,
        "time=2024-03-12T09:00:00.010Z level=info module=app.main msg=step\n",
        "",
        0,
    );
}
