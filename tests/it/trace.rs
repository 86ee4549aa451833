//! `logq trace` end to end on the reference layout (issue 5). Which records
//! carry an id, their order and offsets are computed here from the raw
//! fixture files (`stats::reference`), never copied from logq; the drawn
//! timelines are compared with exact golden strings (colour is off since
//! stdout is not a terminal).

use crate::stats::reference as r;
use crate::util::*;
use serde_json::Value;
use std::collections::BTreeMap;

const LOGS: &str = "tests/fixtures/logs";

/// The reference records carrying `id`, in time order (ties: file order
/// of the inputs, then line).
fn carrying(recs: &[r::Rec], id: &str) -> Vec<r::Rec> {
    let mut v: Vec<r::Rec> = recs
        .iter()
        .filter(|x| r::cids(x).iter().any(|c| c == id))
        .cloned()
        .collect();
    v.sort_by_key(r::time);
    v
}

/// Runs `logq trace ARGS -o json` and parses every line.
fn trace_json(args: &[&str]) -> Vec<Value> {
    let out = logq()
        .arg("trace")
        .args(args)
        .args(["-o", "json"])
        .output()
        .unwrap();
    assert_eq!(stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("only JSON lines on stdout"))
        .collect()
}

fn sources(v: &[Value]) -> Vec<String> {
    v.iter()
        .map(|x| x["source"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn req_trace_42_crosses_services_in_time_order_with_offsets() {
    let recs = r::records();
    let want = carrying(&recs, "req-trace-42");
    let got = trace_json(&["req-trace-42", LOGS]);
    assert_eq!(
        sources(&got),
        want.iter().map(r::source).collect::<Vec<_>>()
    );
    let t0 = r::time(&want[0]).unwrap();
    let offsets_ms: Vec<i64> = want
        .iter()
        .map(|x| (r::time(x).unwrap() - t0) / 1_000_000)
        .collect();
    // The README's table, as a cross-check of the reference itself.
    assert_eq!(offsets_ms, [0, 250, 1250, 3750, 4600, 5000]);
    let services: Vec<Option<&str>> = got.iter().map(|x| x["service"].as_str()).collect();
    assert_eq!(
        services,
        [
            Some("telegram_bot"),
            Some("langgraph"),
            Some("langgraph"),
            Some("langgraph"),
            Some("worker-spawner"),
            None
        ]
    );
}

#[test]
fn req_trace_42_timeline_is_drawn() {
    let want = "\
trace req-trace-42 · 2024-01-15 12:00:00.000 · 6 records · span 5.000s · 1 error · 0 warnings
services: telegram_bot → langgraph → worker-spawner · categories: chat → app
slowest: node_complete (langgraph, graph.nodes) 2.500s by duration_sec, ended at +3.750s

   +0ms  │•                             │         telegram_bot    bot.handlers         INFO   message_received  chat_id=5502
 +250ms  │ •                            │         langgraph       graph.runner         INFO   graph_invoked
+1.250s  │       •                      │         langgraph       graph.nodes          INFO   node_start  node=developer
+3.750s  │       ████████████████       │ 2.500s  langgraph       graph.nodes          INFO   node_complete  node=developer  duration_sec=2.5  ◀ slowest
+4.600s  │                      ▒▒▒▒▒▒  │  840ms  worker-spawner  spawner.pool         INFO   worker_spawned  duration_ms=840  worker_id=w-17
+5.000s  │                             •│         app             src.workers.spawner  ERROR  worker exited with code 1  exit_code=1
";
    let out = logq()
        .args(["trace", "req-trace-42", LOGS])
        .output()
        .unwrap();
    check(&out, want, "", 0);
}

#[test]
fn timeline_without_durations_names_the_longest_gap() {
    let want = "\
trace req-chat-2 · 2024-01-15 11:00:00.000 · 3 records · span 1m30.000s · 1 error · 1 warning
services: langgraph · categories: chat
slowest: 45.250s between node_start (langgraph, graph.nodes) and llm_retry (langgraph, graph.llm)

      +0ms  │•                             │  langgraph  graph.nodes  INFO   node_start  node=developer
  +45.250s  │               •              │  langgraph  graph.llm    WARN   llm_retry  node=developer  attempt=2
+1m30.000s  │                             •│  langgraph  graph.nodes  ERROR  node_failed  node=developer  error=\"context length exceeded\"
";
    let out = logq().args(["trace", "req-chat-2", LOGS]).output().unwrap();
    check(&out, want, "", 0);
}

#[test]
fn every_correlation_id_of_the_fixtures_is_traced_exactly() {
    let recs = r::records();
    let mut ids: Vec<String> = recs.iter().flat_map(r::cids).collect();
    ids.sort();
    ids.dedup();
    assert!(ids.len() >= 20, "{ids:?}");
    for id in ids {
        let want: Vec<String> = carrying(&recs, &id).iter().map(r::source).collect();
        assert_eq!(sources(&trace_json(&[&id, LOGS])), want, "trace {id}");
    }
}

#[test]
fn nested_aliases_and_gzip_are_searched() {
    let got = sources(&trace_json(&["req-abc-123", LOGS]));
    assert!(got.contains(&"tests/fixtures/logs/audit/audit_2024-01-15.jsonl:3".to_string()));
    let got = sources(&trace_json(&["req-yday-1", LOGS]));
    assert_eq!(
        got,
        [
            "tests/fixtures/logs/app/app_2024-01-14.jsonl.gz:3",
            "tests/fixtures/logs/app/app_2024-01-14.jsonl.gz:4"
        ]
    );
}

#[test]
fn raw_output_is_the_original_lines() {
    let recs = r::records();
    let want: Vec<(&str, usize)> = carrying(&recs, "req-abc-123")
        .iter()
        .map(|x| (x.file, x.line))
        .collect();
    let out = logq()
        .args(["trace", "req-abc-123", "-o", "raw", LOGS])
        .output()
        .unwrap();
    check(&out, &records(&want), "", 0);
}

#[test]
fn filters_narrow_the_trace() {
    let got = sources(&trace_json(&["req-trace-42", "-l", "error", LOGS]));
    assert_eq!(got, ["tests/fixtures/logs/app/app_2024-01-15.jsonl:16"]);
    let got = trace_json(&["req-trace-42", "--category", "chat", LOGS]);
    assert_eq!(got.len(), 5);
    assert!(got.iter().all(|x| x["category"] == "chat"));
}

/// A record's time as the timeline header writes it.
fn start(x: &r::Rec) -> String {
    rfc3339_ms(r::time(x).unwrap())
        .replace('T', " ")
        .trim_end_matches('Z')
        .to_string()
}

fn rfc3339_ms(ns: i64) -> String {
    rfc3339_as(ns, chrono::SecondsFormat::Millis)
}

/// RFC3339 as logq writes it in messages and JSON: the time's own precision.
fn rfc3339(ns: i64) -> String {
    rfc3339_as(ns, chrono::SecondsFormat::AutoSi)
}

fn rfc3339_as(ns: i64, digits: chrono::SecondsFormat) -> String {
    chrono::DateTime::from_timestamp(ns.div_euclid(1_000_000_000), 0)
        .unwrap()
        .checked_add_signed(chrono::Duration::nanoseconds(ns.rem_euclid(1_000_000_000)))
        .unwrap()
        .to_rfc3339_opts(digits, true)
}

#[test]
fn an_unknown_id_exits_1_and_says_where_it_looked() {
    let recs = r::records();
    let times: Vec<i64> = recs.iter().filter_map(r::time).collect();
    let (first, last) = (times.iter().min().unwrap(), times.iter().max().unwrap());
    let where_ = format!(
        "searched {} files: {} records, from {} to {}",
        r::FILES.len(),
        recs.len(),
        rfc3339(*first),
        rfc3339(*last)
    );
    let out = logq().args(["trace", "req-nope", LOGS]).output().unwrap();
    check(
        &out,
        "",
        &format!("logq: no record carries the correlation id 'req-nope' ({where_})\n"),
        1,
    );
    // With other filters the message says so.
    let out = logq()
        .args(["trace", "req-trace-42", "-l", "critical", LOGS])
        .output()
        .unwrap();
    check(
        &out,
        "",
        &format!(
            "logq: no record matching the filters carries the correlation id 'req-trace-42' ({where_})\n"
        ),
        1,
    );
}

/// Where a fruitless trace looked is read the quick way (no second full
/// parse of every input, issue 12): it must say what the plain read says,
/// on JSON, text and gzip inputs, on one thread or many.
#[test]
fn an_unknown_id_says_where_it_looked_alike_on_every_read_path() {
    let run = |extra: &[&str]| {
        logq()
            .args(["trace", "req-nope", LOGS])
            .args(extra)
            .output()
            .unwrap()
    };
    let plain = run(&["--no-fast-paths", "-j", "1"]);
    assert_eq!(plain.status.code(), Some(1));
    let stderr = String::from_utf8(plain.stderr.clone()).unwrap();
    assert!(stderr.contains(" records, from "), "{stderr}");
    for extra in [&[][..], &["-j", "1"][..], &["--no-fast-paths"][..]] {
        check(&run(extra), "", &stderr, 1);
    }
}

/// The ids of the error records, in order of first appearance (time), with
/// every record carrying each.
fn error_ids(recs: &[r::Rec]) -> Vec<(String, Vec<r::Rec>)> {
    let mut first: BTreeMap<String, i64> = BTreeMap::new();
    for x in recs {
        if matches!(r::level(x), Some("ERROR" | "CRITICAL")) {
            for id in r::cids(x) {
                let t = r::time(x).unwrap();
                let e = first.entry(id).or_insert(t);
                *e = (*e).min(t);
            }
        }
    }
    let mut ids: Vec<(String, i64)> = first.into_iter().collect();
    ids.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    ids.into_iter()
        .map(|(id, _)| {
            let all = carrying(recs, &id);
            (id, all)
        })
        .collect()
}

#[test]
fn ids_from_traces_each_id_of_the_matching_records_whole() {
    let recs = r::records();
    let want = error_ids(&recs);
    assert!(want.len() >= 3);
    // JSON: the records of each timeline, one after the other.
    let got = sources(&trace_json(&["--ids-from", "cid", "-l", "error", LOGS]));
    let flat: Vec<String> = want
        .iter()
        .flat_map(|(_, rs)| rs.iter().map(r::source))
        .collect();
    assert_eq!(got, flat);
    // Timelines: one per id, in order, separated, each with all records
    // of its id (not only the error ones).
    let out = logq()
        .args(["trace", "--ids-from", "cid", "-l", "error", LOGS])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
    let text = stdout(&out);
    assert!(text.starts_with(&format!("{} requests found in cid\n", want.len())));
    let heads: Vec<&str> = text.lines().filter(|l| l.starts_with("trace ")).collect();
    let want_heads: Vec<String> = want
        .iter()
        .map(|(id, rs)| {
            let n = rs.len();
            format!(
                "trace {id} · {} · {n} record{}",
                start(&rs[0]),
                if n == 1 { "" } else { "s" }
            )
        })
        .collect();
    assert_eq!(heads.len(), want_heads.len());
    for (h, w) in heads.iter().zip(&want_heads) {
        assert!(h.starts_with(&format!("{w} · ")), "{h} vs {w}");
    }
    let rules = text.lines().filter(|l| l.starts_with("═══")).count();
    assert_eq!(rules, want.len() - 1);
}

#[test]
fn ids_from_a_nested_path() {
    // ctx.correlation_id holds job-abc123 in every ing_abc123.jsonl record.
    let got = trace_json(&["--ids-from", "ctx.correlation_id", LOGS]);
    assert_eq!(got.len(), 10);
    assert!(got.iter().all(|x| x["cid"] == "job-abc123"));
}

#[test]
fn ids_from_without_values_exits_1() {
    let out = logq()
        .args(["trace", "--ids-from", "no.such.field", LOGS])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out)
            .starts_with("logq: no record has a value in 'no.such.field' (searched 6 files"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn stdin_is_traced_and_its_absence_reported() {
    let chat = String::from_utf8(fixture_bytes("logs/chat/chat_2024-01-15.jsonl")).unwrap();
    let out = logq()
        .args(["trace", "req-trace-42", "-o", "raw"])
        .write_stdin(chat.clone())
        .output()
        .unwrap();
    check(
        &out,
        &lines("logs/chat/chat_2024-01-15.jsonl", &[12, 13, 14, 15, 16]),
        "",
        0,
    );
    let out = logq()
        .args(["trace", "nope"])
        .write_stdin(chat)
        .output()
        .unwrap();
    check(
        &out,
        "",
        "logq: no record carries the correlation id 'nope' (searched stdin)\n",
        1,
    );
}

#[test]
fn colour_only_when_asked() {
    let run = |extra: &[&str]| {
        let out = logq()
            .args(["trace", "req-trace-42", LOGS])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        stdout(&out)
    };
    assert!(!run(&[]).contains('\x1b'));
    let coloured = run(&["--color", "always"]);
    assert!(coloured.contains("\x1b["), "{coloured}");
    // Same text once the colour is taken out.
    let plain: String = strip_ansi(&coloured);
    assert_eq!(plain, run(&[]));
}

/// Removes `ESC [ … letter` sequences.
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn req_abc_123_timeline_flattens_fields_and_drops_the_id() {
    let want = "\
trace req-abc-123 · 2024-01-15 10:30:00.123 · 5 records · span 2.333s · 0 errors · 0 warnings
services: projects · categories: app → chat → audit
slowest: Request completed (app, src.api.routes) 2.333s by duration_ms, ended at +2.333s

   +0ms  │•                             │         app       src.api.routes    INFO   Request received  context.organization_id=org_123
 +377ms  │    •                         │         projects  projects.service  INFO   creating_project  project_name=demo
 +877ms  │           •                  │         audit     audit.projects    INFO   Project created  extra.user_id=u_1002
+1.677s  │    ▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒        │ 1.300s  projects  projects.service  INFO   project_created  duration_sec=1.3
+2.333s  │██████████████████████████████│ 2.333s  app       src.api.routes    INFO   Request completed  duration_ms=2333  context.organization_id=org_123  ◀ slowest
";
    let out = logq()
        .args(["trace", "req-abc-123", LOGS])
        .output()
        .unwrap();
    check(&out, want, "", 0);
}

#[test]
fn ids_from_shows_whole_requests_even_across_days_the_filters_skip() {
    let dir = tempdir();
    let d = dir.path();
    let before = r#"{"timestamp":"2024-01-14T23:59:59.500Z","level":"info","message":"start","request_id":"req-night"}"#;
    let after = r#"{"timestamp":"2024-01-15T00:00:00.250Z","level":"error","message":"boom","request_id":"req-night"}"#;
    let other = r#"{"timestamp":"2024-01-15T00:00:01Z","level":"info","message":"fine","request_id":"req-ok"}"#;
    write(
        d,
        "app/app_2024-01-14.jsonl",
        format!("{before}\n").as_bytes(),
    );
    write(
        d,
        "app/app_2024-01-15.jsonl",
        format!("{after}\n{other}\n").as_bytes(),
    );
    let out = logq()
        .args([
            "trace",
            "--ids-from",
            "cid",
            "-l",
            "error",
            "--since",
            "2024-01-15",
            "-o",
            "raw",
        ])
        .arg(d)
        .output()
        .unwrap();
    check(&out, &format!("{before}\n{after}\n"), "", 0);
}

#[test]
fn every_read_path_gives_the_same_timeline() {
    let run = |extra: &[&str]| {
        let out = logq()
            .args(["trace", "req-abc-123", LOGS])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        stdout(&out)
    };
    let want = run(&[]);
    assert_eq!(run(&["--chunk-size", "64"]), want);
    assert_eq!(run(&["-j", "1", "--no-fast-paths"]), want);
}

#[test]
fn multi_line_fields_are_blocks_under_the_message_column() {
    let out = logq()
        .args([
            "trace",
            "req-ml-1",
            "tests/fixtures/formats/multiline_fields.jsonl",
        ])
        .output()
        .unwrap();
    let want = "\
trace req-ml-1 · 2024-01-15 10:30:00.000 · 7 records · span 6.000s · 5 errors · 1 warning
services: (none) · categories: formats
slowest: 1.000s between request received (formats, app.api) and payment failed (formats, app.billing)

   +0ms  │•                             │  formats  app.api       INFO   request received
+1.000s  │     •                        │  formats  app.billing   ERROR  payment failed
         │                              │                                exc_info:
         │                              │                                  Traceback (most recent call last):
         │                              │                                    File \"/app/multiline_fields.py\", line 42, in charge
         │                              │                                      return parse_amount(text)
         │                              │                                             ^^^^^^^^^^^^^^^^^^
         │                              │                                    File \"/app/multiline_fields.py\", line 37, in parse_amount
         │                              │                                      return int(text)
         │                              │                                             ^^^^^^^^^
         │                              │                                  ValueError: invalid literal for int() with base 10: '12x'
         │                              │
         │                              │                                  The above exception was the direct cause of the following exception:
         │                              │
         │                              │                                  Traceback (most recent call last):
         │                              │                                    File \"/app/multiline_fields.py\", line 81, in python_json_logger
         │                              │                                      charge(\"12x\")
         │                              │                                    File \"/app/multiline_fields.py\", line 44, in charge
         │                              │                                      raise RuntimeError(\"charge failed\") from e
         │                              │                                  RuntimeError: charge failed
+2.000s  │          •                   │  formats  app.router    WARN   slow path taken
         │                              │                                stack_info:
         │                              │                                  Stack (most recent call last):
         │                              │                                    File \"/app/multiline_fields.py\", line 185, in <module>
         │                              │                                      main()
         │                              │                                    File \"/app/multiline_fields.py\", line 165, in main
         │                              │                                      lines += python_json_logger()
         │                              │                                    File \"/app/multiline_fields.py\", line 85, in python_json_logger
         │                              │                                      log2.warning(\"slow path taken\", stack_info=True, extra={\"request_id\": CID})
+3.000s  │               •              │  formats  app.jobs      ERROR  charge_failed
         │                              │                                exception:
         │                              │                                  Traceback (most recent call last):
         │                              │                                    File \"/app/multiline_fields.py\", line 42, in charge
         │                              │                                      return parse_amount(text)
         │                              │                                             ^^^^^^^^^^^^^^^^^^
         │                              │                                    File \"/app/multiline_fields.py\", line 37, in parse_amount
         │                              │                                      return int(text)
         │                              │                                             ^^^^^^^^^
         │                              │                                  ValueError: invalid literal for int() with base 10: '12x'
         │                              │
         │                              │                                  The above exception was the direct cause of the following exception:
         │                              │
         │                              │                                  Traceback (most recent call last):
         │                              │                                    File \"/app/multiline_fields.py\", line 103, in structlog_line
         │                              │                                      load_config() if second == 4 else charge(\"12x\")
         │                              │                                                                        ^^^^^^^^^^^^^
         │                              │                                    File \"/app/multiline_fields.py\", line 44, in charge
         │                              │                                      raise RuntimeError(\"charge failed\") from e
         │                              │                                  RuntimeError: charge failed
+4.000s  │                    •         │  formats  app.jobs      ERROR  config_failed
         │                              │                                exception:
         │                              │                                  Traceback (most recent call last):
         │                              │                                    File \"/app/multiline_fields.py\", line 49, in load_config
         │                              │                                  KeyError: 'pool'
         │                              │
         │                              │                                  During handling of the above exception, another exception occurred:
         │                              │
         │                              │                                  Traceback (most recent call last):
         │                              │                                    File \"/app/multiline_fields.py\", line 103, in structlog_line
         │                              │                                    File \"/app/multiline_fields.py\", line 51, in load_config
         │                              │                                  ZeroDivisionError: division by zero
+5.000s  │                         •    │  formats  app.worker    ERROR  job crashed
         │                              │                                exception:
         │                              │                                  Traceback (most recent call last):
         │                              │                                    File \"/app/multiline_fields.py\", line 42, in charge
         │                              │                                      return parse_amount(text)
         │                              │                                             ^^^^^^^^^^^^^^^^^^
         │                              │                                    File \"/app/multiline_fields.py\", line 37, in parse_amount
         │                              │                                      return int(text)
         │                              │                                             ^^^^^^^^^
         │                              │                                  ValueError: invalid literal for int() with base 10: '12x'
         │                              │
         │                              │                                  The above exception was the direct cause of the following exception:
         │                              │
         │                              │                                  Traceback (most recent call last):
         │                              │                                    File \"/app/multiline_fields.py\", line 134, in loguru_sink
         │                              │                                      charge(\"12x\")
         │                              │                                    File \"/app/multiline_fields.py\", line 44, in charge
         │                              │                                      raise RuntimeError(\"charge failed\") from e
         │                              │                                  RuntimeError: charge failed
+6.000s  │                             •│  formats  app.payments  ERROR  charge rejected  error.message=\"charge failed\"  error.type=RuntimeError
         │                              │                                error.stack_trace:
         │                              │                                    File \"/app/multiline_fields.py\", line 146, in ecs
         │                              │                                      charge(\"12x\")
         │                              │                                    File \"/app/multiline_fields.py\", line 44, in charge
         │                              │                                      raise RuntimeError(\"charge failed\") from e
";
    check(&out, want, "", 0);
}

#[test]
fn multi_line_messages_keep_the_columns_of_durations() {
    let input = concat!(
        r#"{"ts":"2024-01-15T10:00:00Z","level":"info","msg":"start","request_id":"r-9","service":"api"}"#,
        "\n",
        r#"{"ts":"2024-01-15T10:00:01Z","level":"error","msg":"boom\r\n  at x\n\n  at y","#,
        r#""request_id":"r-9","service":"api","duration_ms":250,"note":"one\n"}"#,
        "\n"
    );
    let out = logq()
        .args(["trace", "r-9"])
        .write_stdin(input)
        .output()
        .unwrap();
    let want = "\
trace r-9 · 2024-01-15 10:00:00.000 · 2 records · span 1.000s · 1 error · 0 warnings
services: api · categories: (none)
slowest: boom (api) 250ms by duration_ms, ended at +1.000s

   +0ms  │•                             │        api  -  INFO   start
+1.000s  │                      ████████│ 250ms  api  -  ERROR  boom  duration_ms=250  note=one  ◀ slowest
         │                              │                         at x
         │                              │
         │                              │                         at y
";
    check(&out, want, "", 0);
}

/// Two services, two ids per request (`tests/fixtures/trace/README.md`).
const SHOP: &str = "tests/fixtures/trace";

/// The timeline of request 1 of [`SHOP`], as `trace req-7f3a` draws it.
const REQ_7F3A: &str = "\
trace req-7f3a (also abc) · 2024-03-12 09:00:00.000 · 5 records · span 8.604s · 1 error · 0 warnings
services: billing · categories: api → billing
slowest: order created (api, api) 8.604s by extra.duration_ms, ended at +8.604s

   +0ms  │•                             │         api      api             INFO   checkout started  function=create  line=42  extra.user_id=u-12
 +250ms  │•                             │         billing  billing.charge  INFO   charge_started
+5.950s  │▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒         │ 5.700s  billing  billing.psp     INFO   card_authorized  duration_ms=5700  timing.psp_ms=9100
+6.100s  │                     •        │         billing  billing.ledger  ERROR  ledger_write_failed  error=\"deadlock detected\"
+8.604s  │██████████████████████████████│ 8.604s  api      api             INFO   order created  function=create  line=58  extra.duration_ms=8604  ◀ slowest
";

#[test]
fn ids_from_cid_draws_one_timeline_per_request_whatever_its_aliases() {
    // The error records carry req-7f3a and abc (one record), and def alone;
    // def's request is req-9c1d in the api, found through billing's record
    // that carries both.
    let want = format!(
        "\
2 requests found in cid (3 ids)

{REQ_7F3A}
════════════════════════════════════════════════════════════════════════════════

trace def (also req-9c1d) · 2024-03-12 09:01:00.000 · 4 records · span 2.000s · 1 error · 1 warning
services: billing · categories: api → billing
slowest: payment declined (api, api) 2.000s by extra.duration_ms, ended at +2.000s

   +0ms  │•                             │         api      api             INFO   checkout started  function=create  line=42  extra.user_id=u-40
 +300ms  │    •                         │         billing  billing.charge  INFO   charge_started
+1.500s  │    ▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒       │ 1.200s  billing  billing.psp     ERROR  card_declined  duration_ms=1200
+2.000s  │██████████████████████████████│ 2.000s  api      api             WARN   payment declined  function=create  line=61  extra.duration_ms=2000  ◀ slowest
"
    );
    let out = logq()
        .args(["trace", "--ids-from", "cid", "-l", "error", SHOP])
        .output()
        .unwrap();
    check(&out, &want, "", 0);
    // JSON: each record once, request by request.
    let got = sources(&trace_json(&["--ids-from", "cid", "-l", "error", SHOP]));
    let api = "tests/fixtures/trace/api/api_2024-03-12.jsonl";
    let billing = "tests/fixtures/trace/billing/billing_2024-03-12.jsonl";
    let want: Vec<String> = [
        (api, 1),
        (billing, 1),
        (billing, 2),
        (billing, 3),
        (api, 2),
        (api, 3),
        (billing, 4),
        (billing, 5),
        (api, 4),
    ]
    .iter()
    .map(|(f, n)| format!("{f}:{n}"))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn slowest_step_is_the_extra_duration_ms_of_a_loguru_sink() {
    // billing's top-level duration_ms=5700 is the longer-named rival;
    // api's extra.duration_ms=8604 wins.
    let out = logq().args(["trace", "req-7f3a", SHOP]).output().unwrap();
    check(&out, REQ_7F3A, "", 0);
}

#[test]
fn one_id_gathers_the_records_of_the_ids_logged_beside_it() {
    // abc is billing's id; the api's records carry only req-7f3a.
    let out = logq()
        .args(["trace", "abc", "-o", "raw", SHOP])
        .output()
        .unwrap();
    let api = "trace/api/api_2024-03-12.jsonl";
    let billing = "trace/billing/billing_2024-03-12.jsonl";
    let want = [
        lines(api, &[1]),
        lines(billing, &[1, 2, 3]),
        lines(api, &[2]),
    ]
    .concat();
    check(&out, &want, "", 0);
    let out = logq().args(["trace", "abc", SHOP]).output().unwrap();
    assert!(
        stdout(&out).starts_with("trace abc (also req-7f3a) · 2024-03-12 09:00:00.000 · 5 records"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn one_id_from_stdin_keeps_to_the_records_read_once() {
    // Stdin cannot be read again for abc: card_authorized (abc only) is
    // missing, though the title names abc.
    let input = [
        lines("trace/api/api_2024-03-12.jsonl", &[1, 2]),
        lines("trace/billing/billing_2024-03-12.jsonl", &[1, 2, 3]),
    ]
    .concat();
    let out = logq()
        .args(["trace", "req-7f3a"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with("trace req-7f3a (also abc) · 2024-03-12 09:00:00.000 · 4 records"),
        "{text}"
    );
    assert!(!text.contains("card_authorized"), "{text}");
}

#[test]
fn ids_from_one_alias_titles_each_request_by_that_alias() {
    let out = logq()
        .args(["trace", "--ids-from", "trace_id", "-l", "error", SHOP])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
    let text = stdout(&out);
    assert!(
        text.starts_with("2 requests found in trace_id\n\n"),
        "{text}"
    );
    let heads: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("trace "))
        .map(|l| l.split(" · ").next().unwrap())
        .collect();
    assert_eq!(
        heads,
        ["trace abc (also req-7f3a)", "trace def (also req-9c1d)"]
    );
}

#[test]
fn duration_field_takes_a_dotted_path_tried_first() {
    // timing.psp_ms (9.1 s) beats both duration_ms of its own record and
    // the api's extra.duration_ms; its bar starts before the first record.
    let want = "\
trace req-7f3a (also abc) · 2024-03-12 09:00:00.000 · 5 records · span 8.604s · 1 error · 0 warnings
services: billing · categories: api → billing
slowest: card_authorized (billing, billing.psp) 9.100s by timing.psp_ms, ended at +5.950s

   +0ms  │        •                     │         api      api             INFO   checkout started  function=create  line=42  extra.user_id=u-12
 +250ms  │        •                     │         billing  billing.charge  INFO   charge_started
+5.950s  │████████████████████████      │ 9.100s  billing  billing.psp     INFO   card_authorized  duration_ms=5700  timing.psp_ms=9100  ◀ slowest
+6.100s  │                       •      │         billing  billing.ledger  ERROR  ledger_write_failed  error=\"deadlock detected\"
+8.604s  │        ▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒│ 8.604s  api      api             INFO   order created  function=create  line=58  extra.duration_ms=8604
";
    let out = logq()
        .args([
            "trace",
            "req-7f3a",
            "--duration-field",
            "timing.psp_ms",
            SHOP,
        ])
        .output()
        .unwrap();
    check(&out, want, "", 0);
    let out = logq()
        .args(["trace", "req-7f3a", "--duration-field", "", SHOP])
        .output()
        .unwrap();
    check(
        &out,
        "",
        "logq: --duration-field: empty field name in ''\n",
        2,
    );
}

/// `trace` names its own flag, not the `--by` of `stats` whose field
/// parsing it shares (issue 12).
#[test]
fn ids_from_an_empty_field_names_ids_from() {
    for field in ["", " ", "."] {
        let out = logq()
            .args(["trace", "--ids-from", field, SHOP])
            .output()
            .unwrap();
        check(&out, "", "logq: --ids-from: empty field name\n", 2);
    }
}

/// On a host in Europe/Berlin, loguru's serialized time carries its offset
/// and python-json-logger's `asctime` is the local clock without one: a
/// step logged 10 ms after the start spans 10 ms, not one hour.
#[test]
fn trace_across_zoned_and_local_times_spans_milliseconds() {
    use crate::search::zones::LOGURU;
    let dir = tempdir();
    let svc = dir.path().join("svc");
    std::fs::create_dir(&svc).unwrap();
    write(&svc, "loguru.jsonl", format!("{LOGURU}\n").as_bytes());
    let pjl = r#"{"asctime": "2024-03-12 10:00:00,010", "levelname": "INFO", "name": "app.json", "message": "json step", "request_id": "req-7"}"#;
    write(&svc, "pjl.jsonl", format!("{pjl}\n").as_bytes());
    let run = |args: &[&str]| {
        logq()
            .current_dir(dir.path())
            .env("TZ", "Europe/Berlin")
            .args(["trace", "req-7", "svc/loguru.jsonl", "svc/pjl.jsonl"])
            .args(args)
            .output()
            .unwrap()
    };
    let want = "\
trace req-7 · 2024-03-12 09:00:00.000 · 2 records · span 10ms · 0 errors · 0 warnings
services: (none) · categories: svc
slowest: 10ms between start (svc, app.main) and json step (svc, app.json)

 +0ms  │•                             │  svc  app.main  INFO   start  function=run  line=12  file=/srv/app/main.py  process=41  thread=1
+10ms  │                             •│  svc  app.json  INFO   json step
";
    check(&run(&[]), want, "", 0);
    // Read as UTC, the `asctime` step lands an hour late: the bug.
    let want = "\
trace req-7 · 2024-03-12 09:00:00.000 · 2 records · span 1h00m00s · 0 errors · 0 warnings
services: (none) · categories: svc
slowest: 1h00m00s between start (svc, app.main) and json step (svc, app.json)

     +0ms  │•                             │  svc  app.main  INFO   start  function=run  line=12  file=/srv/app/main.py  process=41  thread=1
+1h00m00s  │                             •│  svc  app.json  INFO   json step
";
    check(&run(&["--input-tz", "UTC"]), want, "", 0);
}
