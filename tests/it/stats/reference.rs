//! A small, slow, independent reading of the fixture logs (SPEC §2), so
//! `stats` and `trace` tests compare logq's figures with figures computed
//! here from the raw files with serde_json — never with logq's own output.

use crate::util::fixture_bytes;
use chrono::{DateTime, NaiveDateTime};
use serde_json::Value;

/// The files of `tests/fixtures/logs`, relative to `tests/fixtures/`.
pub const FILES: [&str; 6] = [
    "logs/app/app_2024-01-15.jsonl",
    "logs/app/app_2024-01-14.jsonl.gz",
    "logs/chat/chat_2024-01-15.jsonl",
    "logs/audit/audit_2024-01-15.jsonl",
    "logs/ingestion/_index.jsonl",
    "logs/ingestion/ing_abc123.jsonl",
];

/// One record of a fixture file.
#[derive(Debug, Clone)]
pub struct Rec {
    /// Relative to `tests/fixtures/`.
    pub file: &'static str,
    /// 1-based line.
    pub line: usize,
    pub value: Value,
}

/// Every record of the reference layout, file by file.
pub fn records() -> Vec<Rec> {
    let mut out = Vec::new();
    for file in FILES {
        let text = String::from_utf8(fixture_bytes(file)).expect("UTF-8 fixture");
        for (i, l) in text.lines().enumerate() {
            if l.trim().is_empty() {
                continue;
            }
            let value: Value = serde_json::from_str(l).expect("fixture line is JSON");
            out.push(Rec {
                file,
                line: i + 1,
                value,
            });
        }
    }
    out
}

/// The value at a dotted path.
pub fn path<'v>(v: &'v Value, p: &str) -> Option<&'v Value> {
    p.split('.').try_fold(v, |v, k| v.get(k))
}

fn first<'v>(v: &'v Value, names: &[&str]) -> Option<&'v Value> {
    names
        .iter()
        .find_map(|n| path(v, n).filter(|x| !x.is_null()))
}

/// The normalized level name (SPEC §2 aliases and spellings).
pub fn level(r: &Rec) -> Option<&'static str> {
    let raw = first(
        &r.value,
        &["level", "levelname", "severity", "lvl", "log.level"],
    )?;
    let s = raw.as_str()?.to_ascii_lowercase();
    Some(match s.as_str() {
        "trace" => "TRACE",
        "debug" => "DEBUG",
        "info" => "INFO",
        "success" => "SUCCESS",
        "warn" | "warning" => "WARNING",
        "err" | "error" => "ERROR",
        "fatal" | "critical" => "CRITICAL",
        other => panic!("unexpected level {other}"),
    })
}

/// The record's time in nanoseconds since the epoch.
pub fn time(r: &Rec) -> Option<i64> {
    let raw = first(
        &r.value,
        &[
            "timestamp",
            "time",
            "ts",
            "@timestamp",
            "asctime",
            "datetime",
        ],
    )?;
    match raw {
        Value::String(s) => {
            if let Ok(t) = DateTime::parse_from_rfc3339(s) {
                return t.timestamp_nanos_opt();
            }
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .and_then(|t| t.and_utc().timestamp_nanos_opt())
        }
        Value::Number(n) => {
            let f = n.as_f64()?;
            Some(if f < 1e11 {
                (f * 1e9).round() as i64
            } else {
                (f * 1e6).round() as i64
            })
        }
        _ => None,
    }
}

const CID_NAMES: [&str; 7] = [
    "correlation_id",
    "correlationId",
    "request_id",
    "requestId",
    "trace_id",
    "traceId",
    "x-correlation-id",
];

/// Every correlation id the record carries, under any alias, top level or
/// under `context`, `extra`, `ctx`.
pub fn cids(r: &Rec) -> Vec<String> {
    let mut out = Vec::new();
    for parent in [None, Some("context"), Some("extra"), Some("ctx")] {
        let obj = match parent {
            None => Some(&r.value),
            Some(p) => r.value.get(p),
        };
        for n in CID_NAMES {
            if let Some(Value::String(s)) = obj.and_then(|o| o.get(n)) {
                out.push(s.clone());
            }
        }
    }
    out
}

/// The service (`service`, `service_name`, `app`).
pub fn service(r: &Rec) -> Option<String> {
    first(&r.value, &["service", "service_name", "app"])
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The category: the `category` field, else the first folder under `logs/`.
pub fn category(r: &Rec) -> String {
    match r.value.get("category").and_then(Value::as_str) {
        Some(c) => c.to_string(),
        None => r.file.split('/').nth(1).expect("folder").to_string(),
    }
}

/// A numeric field at a dotted path (numeric strings count).
pub fn number(r: &Rec, p: &str) -> Option<f64> {
    match path(&r.value, p)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The nearest-rank percentile: the value at rank ceil(p/100·n), 1-based.
pub fn percentile(sorted: &[f64], p: u32) -> f64 {
    let n = sorted.len();
    // Integer arithmetic: ceil(p·n/100).
    let rank = (p as usize * n).div_ceil(100);
    sorted[rank.max(1) - 1]
}

/// `file:line` as logq's `source` field writes it.
pub fn source(r: &Rec) -> String {
    format!("tests/fixtures/{}:{}", r.file, r.line)
}
