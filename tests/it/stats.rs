//! `logq stats` end to end on the reference layout (issue 5). Expected
//! counts and percentiles are computed here from the raw fixture files by
//! [`reference`], never copied from logq; the drawn charts are compared
//! with exact golden strings (stdout is not a terminal: no colour).

mod every;
pub mod reference;

use crate::util::*;
use reference as r;
use serde_json::Value;
use std::collections::BTreeMap;

const LOGS: &str = "tests/fixtures/logs";
const CHAT: &str = "tests/fixtures/logs/chat/chat_2024-01-15.jsonl";
const APP: &str = "tests/fixtures/logs/app/app_2024-01-15.jsonl";

/// Runs `logq stats ARGS` and returns stdout, checking the exit code and
/// that nothing went to stderr.
fn stats(args: &[&str], code: i32) -> String {
    let out = logq().arg("stats").args(args).output().expect("run logq");
    assert_eq!(stderr(&out), "", "stderr of stats {args:?}");
    assert_eq!(out.status.code(), Some(code), "exit of stats {args:?}");
    stdout(&out)
}

/// Runs `logq stats --json ARGS` and parses the one document.
fn stats_json(args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let text = stats(&all, 0);
    assert_eq!(text.lines().count(), 1, "one JSON document: {text}");
    serde_json::from_str(&text).expect("stats --json is JSON")
}

/// `(key values, count)` of the `groups` of a document.
fn groups(doc: &Value, names: &[&str]) -> Vec<(Vec<Option<String>>, u64)> {
    doc["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            let key = names
                .iter()
                .map(|n| g["key"][*n].as_str().map(str::to_string))
                .collect();
            (key, g["count"].as_u64().expect("count"))
        })
        .collect()
}

const SEVERITY: [&str; 7] = [
    "TRACE", "DEBUG", "INFO", "SUCCESS", "WARNING", "ERROR", "CRITICAL",
];

fn count_by<K: Ord>(recs: &[r::Rec], key: impl Fn(&r::Rec) -> K) -> BTreeMap<K, u64> {
    let mut m = BTreeMap::new();
    for rec in recs {
        *m.entry(key(rec)).or_insert(0) += 1;
    }
    m
}

#[test]
fn default_counts_levels_in_severity_order_with_percentages() {
    let recs = r::records();
    let per = count_by(&recs, r::level);
    let want: Vec<(Vec<Option<String>>, u64)> = SEVERITY
        .iter()
        .filter_map(|l| per.get(&Some(*l)).map(|n| (vec![Some(l.to_string())], *n)))
        .collect();
    assert_eq!(per.get(&None), None, "every record of logs/ has a level");
    let doc = stats_json(&[LOGS]);
    assert_eq!(doc["total"].as_u64(), Some(recs.len() as u64));
    assert_eq!(groups(&doc, &["level"]), want);
    for g in doc["groups"].as_array().unwrap() {
        let pct = g["percent"].as_f64().unwrap();
        let want = g["count"].as_f64().unwrap() * 100.0 / recs.len() as f64;
        assert!((pct - want).abs() < 1e-9, "{g}");
    }
    assert_eq!(doc["other"], Value::Null);
}

#[test]
fn default_chart_is_drawn_with_bars_and_percentages() {
    let want = "\
level     count       %
DEBUG         7    7.7%  ████▌
INFO         63   69.2%  ████████████████████████████████████████
WARNING       9    9.9%  █████▊
ERROR        10   11.0%  ██████▍
CRITICAL      2    2.2%  █▎
total        91
";
    assert_eq!(stats(&[LOGS], 0), want);
}

#[test]
fn records_without_a_level_are_counted_as_none() {
    let text = stats(&["tests/fixtures/formats/custom_fields.jsonl"], 0);
    assert_eq!(
        text,
        "\
level   count       %
(none)     10  100.0%  ████████████████████████████████████████
total      10
"
    );
    let doc = stats_json(&["tests/fixtures/formats/custom_fields.jsonl"]);
    assert_eq!(groups(&doc, &["level"]), vec![(vec![None], 10)]);
}

#[test]
fn by_category_counts_per_value_largest_first() {
    let recs = r::records();
    let per = count_by(&recs, r::category);
    let mut want: Vec<(Vec<Option<String>>, u64)> =
        per.into_iter().map(|(k, n)| (vec![Some(k)], n)).collect();
    want.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let doc = stats_json(&["--by", "category", LOGS]);
    assert_eq!(groups(&doc, &["category"]), want);
    // The README's figures, as a cross-check of the reference itself.
    assert_eq!(
        want.iter()
            .map(|(k, n)| (k[0].clone().unwrap(), *n))
            .collect::<Vec<_>>(),
        [
            ("app", 39),
            ("chat", 21),
            ("ingestion", 20),
            ("audit", 10),
            ("security", 1)
        ]
        .map(|(k, n)| (k.to_string(), n))
    );
}

#[test]
fn by_two_fields_counts_each_combination() {
    let recs = r::records();
    let want = count_by(&recs, |x| {
        vec![r::service(x), r::level(x).map(str::to_string)]
    });
    let doc = stats_json(&["--by", "service", "--by", "level", LOGS]);
    let got = groups(&doc, &["service", "level"]);
    assert_eq!(got.len(), want.len());
    assert_eq!(got.into_iter().collect::<BTreeMap<_, _>>(), want);
    let counts: Vec<u64> = groups(&doc, &["service", "level"])
        .iter()
        .map(|g| g.1)
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "largest first");
}

#[test]
fn by_dotted_path_groups_on_nested_values() {
    let recs = r::records();
    let want = count_by(&recs, |x| {
        r::path(&x.value, "context.organization_id")
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    let doc = stats_json(&["--by", "context.organization_id", LOGS]);
    let got: BTreeMap<Option<String>, u64> = groups(&doc, &["context.organization_id"])
        .into_iter()
        .map(|(k, n)| (k[0].clone(), n))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn top_keeps_the_largest_groups_and_sums_the_rest_as_other() {
    let recs = r::records();
    let mut per: Vec<(String, u64)> = count_by(&recs, r::category).into_iter().collect();
    per.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let doc = stats_json(&["--by", "category", "--top", "2", LOGS]);
    let got = groups(&doc, &["category"]);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0], (vec![Some(per[0].0.clone())], per[0].1));
    assert_eq!(got[1], (vec![Some(per[1].0.clone())], per[1].1));
    let rest: u64 = per[2..].iter().map(|p| p.1).sum();
    assert_eq!(doc["other"]["count"].as_u64(), Some(rest));
    assert_eq!(
        doc["other"]["groups"].as_u64(),
        Some((per.len() - 2) as u64)
    );
    let want = "\
category           count       %
app                   39   42.9%  ████████████████████████████████████████
chat                  21   23.1%  █████████████████████▌
(other: 3 groups)     31   34.1%  ███████████████████████████████▊
total                 91
";
    assert_eq!(stats(&["--by", "category", "--top", "2", LOGS], 0), want);
}

#[test]
fn top_of_levels_takes_the_largest_then_shows_severity_order() {
    let doc = stats_json(&["--top", "2", LOGS]);
    // INFO 63 and ERROR 10 are the largest (README), shown INFO then ERROR.
    assert_eq!(
        groups(&doc, &["level"]),
        vec![
            (vec![Some("INFO".into())], 63),
            (vec![Some("ERROR".into())], 10)
        ]
    );
    assert_eq!(doc["other"]["count"].as_u64(), Some(91 - 73));
}

/// count, min, mean, p50, p90, p99, max of these values.
fn summary(mut v: Vec<f64>) -> (u64, f64, f64, f64, f64, f64, f64) {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    let mean = v.iter().sum::<f64>() / n as f64;
    (
        n as u64,
        v[0],
        mean,
        r::percentile(&v, 50),
        r::percentile(&v, 90),
        r::percentile(&v, 99),
        v[n - 1],
    )
}

fn assert_stats(got: &Value, want: (u64, f64, f64, f64, f64, f64, f64)) {
    assert_eq!(got["count"].as_u64(), Some(want.0), "{got}");
    assert_eq!(got["min"].as_f64(), Some(want.1), "{got}");
    assert!(
        (got["mean"].as_f64().unwrap() - want.2).abs() < 1e-6,
        "{got}"
    );
    assert_eq!(got["p50"].as_f64(), Some(want.3), "{got}");
    assert_eq!(got["p90"].as_f64(), Some(want.4), "{got}");
    assert_eq!(got["p99"].as_f64(), Some(want.5), "{got}");
    assert_eq!(got["max"].as_f64(), Some(want.6), "{got}");
    assert_eq!(got["exact"].as_bool(), Some(true), "{got}");
}

#[test]
fn field_summary_uses_nearest_rank_percentiles() {
    let recs = r::records();
    let values: Vec<f64> = recs
        .iter()
        .filter_map(|x| r::number(x, "duration_ms"))
        .collect();
    assert!(
        values.len() >= 10,
        "enough values to tell percentiles apart"
    );
    let doc = stats_json(&["--field", "duration_ms", LOGS]);
    assert_eq!(doc["total"].as_u64(), Some(recs.len() as u64));
    assert_eq!(
        doc["missing"].as_u64(),
        Some((recs.len() - values.len()) as u64)
    );
    let g = doc["groups"].as_array().unwrap();
    assert_eq!(g.len(), 1);
    assert_stats(&g[0]["stats"], summary(values));
}

#[test]
fn field_summary_grouped_by_level_on_a_nested_field() {
    let recs = r::records();
    let mut per: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for x in &recs {
        if let Some(v) = r::number(x, "trace.execution_time_ms") {
            per.entry(r::level(x).unwrap().to_string())
                .or_default()
                .push(v);
        }
    }
    assert!(per.len() >= 2);
    let doc = stats_json(&["--field", "trace.execution_time_ms", "--by", "level", LOGS]);
    let got = doc["groups"].as_array().unwrap();
    assert_eq!(got.len(), per.len());
    for g in got {
        let level = g["key"]["level"].as_str().unwrap();
        assert_stats(&g["stats"], summary(per[level].clone()));
    }
    // Severity order.
    let order: Vec<&str> = got
        .iter()
        .map(|g| g["key"]["level"].as_str().unwrap())
        .collect();
    let mut sorted = order.clone();
    sorted.sort_by_key(|l| SEVERITY.iter().position(|s| s == l));
    assert_eq!(order, sorted);
}

#[test]
fn field_table_is_drawn() {
    let want = "\
level    count   min     mean     p50    p90    p99    max
DEBUG        1  1000     1000    1000   1000   1000   1000
INFO        10     0  5490.37  1520.7  10750  30000  30000
WARNING      1   980      980     980    980    980    980
total       12
79 of 91 records have no numeric duration_ms
";
    assert_eq!(
        stats(&["--field", "duration_ms", "--by", "level", LOGS], 0),
        want
    );
}

const HOUR: i64 = 3_600_000_000_000;

/// Bucket starts (ns) from the first to the last filled one, with counts.
fn buckets(times: &[i64], width: i64) -> Vec<(i64, u64)> {
    let mut per: BTreeMap<i64, u64> = BTreeMap::new();
    for t in times {
        *per.entry(t.div_euclid(width) * width).or_insert(0) += 1;
    }
    let (first, last) = (*per.keys().next().unwrap(), *per.keys().last().unwrap());
    (0..=(last - first) / width)
        .map(|i| {
            let s = first + i * width;
            (s, per.get(&s).copied().unwrap_or(0))
        })
        .collect()
}

fn start_ns(b: &Value) -> i64 {
    chrono::DateTime::parse_from_rfc3339(b["start"].as_str().unwrap())
        .unwrap()
        .timestamp_nanos_opt()
        .unwrap()
}

#[test]
fn every_counts_per_epoch_aligned_bucket_including_empty_ones() {
    let recs = r::records();
    let times: Vec<i64> = recs.iter().map(|x| r::time(x).expect("time")).collect();
    let want = buckets(&times, HOUR);
    assert!(want.iter().any(|b| b.1 == 0), "the span has empty hours");
    let doc = stats_json(&["--every", "1h", LOGS]);
    let got: Vec<(i64, u64)> = doc["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (start_ns(b), b["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(doc["no_time"].as_u64(), Some(0));
}

#[test]
fn every_by_level_splits_each_bucket() {
    let recs = r::records();
    let mut want: BTreeMap<(i64, String), u64> = BTreeMap::new();
    for x in &recs {
        let b = r::time(x).unwrap().div_euclid(2 * HOUR) * 2 * HOUR;
        *want
            .entry((b, r::level(x).unwrap().to_string()))
            .or_insert(0) += 1;
    }
    let doc = stats_json(&["--every", "2h", "--by", "level", LOGS]);
    let mut got = BTreeMap::new();
    for b in doc["buckets"].as_array().unwrap() {
        let start = start_ns(b);
        let mut sum = 0;
        for g in b["groups"].as_array().unwrap() {
            let n = g["count"].as_u64().unwrap();
            sum += n;
            got.insert((start, g["key"]["level"].as_str().unwrap().to_string()), n);
        }
        assert_eq!(sum, b["count"].as_u64().unwrap());
    }
    assert_eq!(got, want);
}

#[test]
fn every_chart_is_drawn_with_bucket_start_times() {
    let want = "\
time              count
2024-01-15 08:00      5  ████████████████████████████▋
2024-01-15 10:00      6  ██████████████████████████████████▎
2024-01-15 12:00      7  ████████████████████████████████████████
2024-01-15 14:00      1  █████▊
2024-01-15 16:00      2  ███████████▍
total                21
";
    assert_eq!(stats(&["--every", "2h", CHAT], 0), want);
}

#[test]
fn every_with_field_draws_empty_buckets_and_p90_bars() {
    let want = "\
time              count     min    mean     p50     p90     p99     max
2024-01-15 08:00      1       0       0       0       0       0       0
2024-01-15 09:00      0       -       -       -       -       -       -
2024-01-15 10:00      2     350  1341.5     350    2333    2333    2333  ███▏
2024-01-15 11:00      1  1520.7  1520.7  1520.7  1520.7  1520.7  1520.7  ██
2024-01-15 12:00      1     980     980     980     980     980     980  █▎
2024-01-15 13:00      1    4210    4210    4210    4210    4210    4210  █████▋
2024-01-15 14:00      1   30000   30000   30000   30000   30000   30000  ████████████████████████████████████████
2024-01-15 15:00      0       -       -       -       -       -       -
2024-01-15 16:00      1    1000    1000    1000    1000    1000    1000  █▍
total                 8
21 of 29 records have no numeric duration_ms
bars: p90 of duration_ms
";
    assert_eq!(
        stats(&["--every", "1h", "--field", "duration_ms", APP], 0),
        want
    );
}

#[test]
fn filters_apply_to_stats() {
    let recs = r::records();
    let errors: Vec<r::Rec> = recs
        .into_iter()
        .filter(|x| matches!(r::level(x), Some("ERROR" | "CRITICAL")))
        .collect();
    let per = count_by(&errors, r::category);
    let doc = stats_json(&["-l", "error", "--by", "category", LOGS]);
    assert_eq!(doc["total"].as_u64(), Some(errors.len() as u64));
    let got: BTreeMap<String, u64> = groups(&doc, &["category"])
        .into_iter()
        .map(|(k, n)| (k[0].clone().unwrap(), n))
        .collect();
    assert_eq!(got, per);
}

#[test]
fn no_matching_record_exits_1() {
    let out = logq()
        .args([
            "stats",
            "--json",
            "-l",
            "critical",
            "--category",
            "chat",
            LOGS,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["total"].as_u64(), Some(0));
    assert_eq!(doc["groups"].as_array().map(Vec::len), Some(0));
}

#[test]
fn a_bad_every_is_an_error_before_reading() {
    let out = logq()
        .args(["stats", "--every", "soon", LOGS])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("--every"), "{}", stderr(&out));
}

#[test]
fn colour_only_when_asked() {
    assert!(!stats(&[LOGS], 0).contains('\x1b'));
    let coloured = stats(&["--color", "always", LOGS], 0);
    assert!(coloured.contains("\x1b["), "{coloured}");
    let plain = stats(&["--color", "never", LOGS], 0);
    assert!(!plain.contains('\x1b'));
}

#[test]
fn output_json_is_the_same_document_as_json() {
    assert_eq!(stats(&["-o", "json", LOGS], 0), stats(&["--json", LOGS], 0));
}

#[test]
fn too_many_buckets_is_an_error_not_a_flood() {
    // 2024-01-14T09:00 to 2024-01-15T18:00 is 118,801 one-second buckets.
    let out = logq()
        .args(["stats", "--every", "1s", LOGS])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("--every 1s gives 118801 buckets"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_read_path_gives_the_same_figures() {
    // Per-chunk tallies are merged: tiny chunks, one thread, and no fast
    // paths must all agree with the default.
    for args in [
        vec!["--json", "--by", "category", "--by", "level"],
        vec![
            "--json",
            "--field",
            "duration_ms",
            "--by",
            "category",
            "--every",
            "3h",
        ],
        vec!["--every", "30m", "--by", "level"],
    ] {
        let mut all = args.clone();
        all.push(LOGS);
        let want = stats(&all, 0);
        for extra in [
            &["--chunk-size", "64"][..],
            &["-j", "1"][..],
            &["--no-fast-paths", "--chunk-size", "200"][..],
        ] {
            let mut with = all.clone();
            with.extend_from_slice(extra);
            assert_eq!(stats(&with, 0), want, "{with:?}");
        }
    }
}
