//! Logs written by the real Python libraries (`tests/fixtures/python/`,
//! made by its `generate.py`): every record read whole, with its exception,
//! and the neighbours in the container read as records of their own
//! (issue 9).

use crate::util::*;
use serde_json::{json, Value};

const LOGURU: &str = "python/loguru_serialize.jsonl";
const LOGURU_TEXT: &str = "python/loguru_text.log";
const FASTAPI: &str = "python/fastapi_container.log";
const FLASK: &str = "python/flask_gunicorn.log";
const CELERY: &str = "python/celery_worker.log";
const DJANGO: &str = "python/django_runserver.log";
const STDLIB: &str = "python/stdlib_text.log";
const ECS: &str = "python/ecs.jsonl";
const LOGCLI: &str = "python/logcli.jsonl";
const COMPOSE_T: &str = "python/compose_t.log";
const COMPOSE_COLOR: &str = "python/compose_color.log";
const KUBECTL: &str = "python/kubectl_prefix.log";

/// Runs `logq ARGS` and returns stdout, asserting a clean stderr and the
/// exit code.
fn cmd(args: &[&str], code: i32) -> String {
    let out = logq().args(args).output().unwrap();
    assert_eq!(stderr(&out), "", "stderr of {args:?}");
    assert_eq!(out.status.code(), Some(code), "exit of {args:?}");
    stdout(&out)
}

/// Runs `logq FILE ARGS` (see [`cmd`]).
fn run(rel: &str, args: &[&str], code: i32) -> String {
    cmd(&[&[fixture(rel).as_str()], args].concat(), code)
}

/// `-o json` records of a run.
fn json_records(rel: &str, args: &[&str]) -> Vec<Value> {
    run(rel, &[&["-o", "json"], args].concat(), 0)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The loguru traceback of the fixture's error record, as `text` holds it
/// after the formatted message (lines 2.. of the record's `text`).
fn loguru_traceback() -> String {
    let rec: Value = serde_json::from_str(&line(LOGURU, 5)).unwrap();
    let text = rec["text"].as_str().unwrap();
    let tb = &text[text.find('\n').unwrap() + 1..];
    tb.trim_end_matches('\n').to_string()
}

#[test]
fn loguru_exception_and_call_site_are_fields() {
    let recs = json_records(LOGURU, &["-l", "error"]);
    assert_eq!(recs.len(), 2);
    let tb = loguru_traceback();
    assert!(tb.starts_with("Traceback (most recent call last):\n"));
    assert!(
        tb.ends_with("shop.PaymentDeclined: card declined for ord-1002: amount 74997 over limit")
    );
    assert_eq!(
        recs[0]["fields"],
        json!({
            "exception": tb,
            "function": "_loguru_story",
            "line": 213,
            "file": "/app/generate.py",
            "process": 1,
            "thread": 140245229000512u64
        })
    );
    assert_eq!(recs[0]["message"], "Payment failed for order ord-1002");
    assert_eq!(recs[0]["cid"], "req-7f3a");
}

#[test]
fn loguru_exception_is_seen_by_queries_like_by_jq() {
    for args in [
        &["-q", "exists(exception)"][..],
        &["--jq", "select(.record.exception)"],
        &["-q", "exception ~ PaymentDeclined"],
    ] {
        assert_eq!(
            run(LOGURU, &[args, &["-o", "raw"]].concat(), 0),
            lines(LOGURU, &[5])
        );
    }
    assert_eq!(run(LOGURU, &["-q", "line = 213", "--count"], 0), "1\n");
    assert_eq!(
        run(LOGURU, &["-q", "function = _loguru_story", "--count"], 0),
        "10\n"
    );
    // `extra.` reaches `record.extra` like a top-level key does.
    assert_eq!(
        run(LOGURU, &["-q", "extra.duration_ms > 8000", "-o", "raw"], 0),
        lines(LOGURU, &[6, 10])
    );
}

#[test]
fn loguru_traceback_is_shown_in_pretty_output_and_trace() {
    let tb = loguru_traceback();
    let block: String = tb
        .lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("      {l}\n")
            }
        })
        .collect();
    let pretty = run(
        LOGURU,
        &[
            "-c", "req-7f3a", "-l", "error", "-o", "pretty", "--color", "never",
        ],
        0,
    );
    assert_eq!(
        pretty,
        format!(
            "2024-03-12 09:00:00.121 ERROR [__main__] Payment failed for order ord-1002 \
             function=_loguru_story line=213 file=/app/generate.py process=1 \
             thread=140245229000512 cid=req-7f3a\n    exception:\n{block}"
        )
    );
    let trace = cmd(&["trace", "req-7f3a", &fixture(LOGURU)], 0);
    assert!(
        trace.contains("shop.PaymentDeclined: card declined for ord-1002"),
        "{trace}"
    );
    let rails = "        │                              │                                    ";
    let shown: Vec<&str> = trace
        .lines()
        .skip_while(|l| !l.ends_with("exception:"))
        .skip(1)
        .take_while(|l| l.starts_with("        │"))
        .collect();
    let want: Vec<String> = tb
        .lines()
        .map(|l| {
            if l.is_empty() {
                rails[..rails.rfind('│').unwrap() + '│'.len_utf8()].to_string()
            } else {
                format!("{rails}{l}")
            }
        })
        .collect();
    assert_eq!(shown, want);
}

#[test]
fn uvicorn_line_after_an_error_record_stays_its_own_record() {
    // The app's error and its traceback (lines 8-17), then uvicorn's
    // access line for the same request (line 18).
    assert_eq!(
        run(FASTAPI, &["-c", "req-7f3a", "-l", "error", "-o", "raw"], 0),
        span(FASTAPI, 8, 17)
    );
    assert_eq!(
        run(FASTAPI, &["-q", "status >= 500", "-o", "raw"], 0),
        lines(FASTAPI, &[18, 40])
    );
    assert_eq!(
        run(
            FASTAPI,
            &["-m", "uvicorn.error", "-l", "error", "-o", "raw"],
            0
        ),
        span(FASTAPI, 22, 39)
    );
    assert_eq!(run(FASTAPI, &["--count"], 0), "19\n");
}

#[test]
fn flask_errors_do_not_swallow_gunicorn_lines() {
    assert_eq!(run(FLASK, &["-l", "=error", "--count"], 0), "9\n");
    assert_eq!(run(FLASK, &["-l", "error", "--count"], 0), "10\n");
    assert_eq!(
        run(FLASK, &["-l", "error", "-q", "pid = 7", "-o", "raw"], 0),
        lines(FLASK, &[32, 78, 79, 80, 85])
    );
    let flask = json_records(FLASK, &["-m", "app", "-l", "error", "-n", "1"]);
    assert_eq!(
        flask[0]["message"].as_str().unwrap().lines().next(),
        Some("Exception on /api/orders [POST]")
    );
    assert_eq!(
        flask[0]["source"],
        "tests/fixtures/python/flask_gunicorn.log:9"
    );
}

#[test]
fn gunicorn_access_lines_are_requests() {
    let recs = json_records(FLASK, &["-q", "method = GET", "-n", "1"]);
    assert_eq!(
        recs[0],
        json!({
            "timestamp": "2024-03-12T09:00:00Z",
            "level": "INFO",
            "message": "\"GET /api/orders/ord-1001 HTTP/1.1\" 200 79 \"-\" \"python-requests/2.31.0\"",
            "module": null,
            "category": "python",
            "cid": null,
            "service": null,
            "source": "tests/fixtures/python/flask_gunicorn.log:7",
            "fields": {
                "client": "10.0.3.17",
                "method": "GET",
                "path": "/api/orders/ord-1001",
                "protocol": "HTTP/1.1",
                "status": 200,
                "size": 79,
                "user_agent": "python-requests/2.31.0"
            }
        })
    );
}

#[test]
fn celery_task_lines_name_their_task() {
    let recs = json_records(CELERY, &["-l", "error"]);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["module"], "app.tasks.charge_order");
    assert_eq!(
        recs[0]["fields"],
        json!({
            "process": "ForkPoolWorker-1",
            "task": "app.tasks.charge_order",
            "task_id": "9c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f"
        })
    );
    assert_eq!(
        run(CELERY, &["-l", "error", "-o", "raw"], 0),
        span(CELERY, 13, 26)
    );
    assert_eq!(
        run(
            CELERY,
            &[
                "-q",
                "task_id = 9c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f",
                "--count"
            ],
            0
        ),
        "3\n"
    );
}

#[test]
fn django_runserver_and_request_lines() {
    let out = logq()
        .args([&fixture(DJANGO), "-l", "warn", "-o", "logfmt"])
        .output()
        .unwrap();
    let got: Vec<String> = stdout(&out)
        .lines()
        .map(|l| l.split(" msg=").next().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        got,
        [
            "level=error module=django.request",
            "time=2024-03-12T10:00:01Z level=error module=django.server",
            "level=warning module=django.request",
            "time=2024-03-12T10:00:02Z level=warning module=django.server",
            "level=error module=django.request",
            "time=2024-03-12T10:00:03Z level=error module=django.server",
        ]
    );
    // `Watching for file changes with StatReloader` is the one bare line.
    assert_eq!(
        stderr(&out),
        "logq: warning: 1 line in tests/fixtures/python/django_runserver.log is not a JSON or log record; --show-invalid to see them\n"
    );
}

#[test]
fn key_value_pairs_in_text_messages_are_fields() {
    assert_eq!(
        run(STDLIB, &["-c", "req-81c2", "-o", "raw", "-l", "warn"], 0),
        [lines(STDLIB, &[7]), span(STDLIB, 8, 25)].concat()
    );
    assert_eq!(
        run(STDLIB, &["-q", "duration_ms > 1000", "-o", "raw"], 0),
        lines(STDLIB, &[5, 7])
    );
    let recs = json_records(STDLIB, &["-n", "1"]);
    assert_eq!(recs[0]["fields"], json!({"workers": 4, "version": "1.4.2"}));
    // Pretty output shows them once, in the message.
    assert_eq!(
        run(STDLIB, &["-c", "req-7f3b", "-o", "pretty", "--color", "never"], 0),
        "2024-03-12 10:00:00.182 INFO  [app.api] request finished request_id=req-7f3b status=200 duration_ms=12\n"
    );
    let trace = cmd(&["trace", "req-7f3a", &fixture(STDLIB)], 0);
    assert!(
        trace.contains("slowest: request finished request_id=req-7f3a status=500 duration_ms=8604 (python, app.api) 8.604s by duration_ms"),
        "{trace}"
    );
}

#[test]
fn ecs_flat_dotted_keys_are_roles() {
    assert_eq!(
        run(ECS, &["-l", "warn", "-o", "raw"], 0),
        lines(ECS, &[3, 6, 7])
    );
    assert_eq!(run(ECS, &["-m", "app.orders", "--count"], 0), "8\n");
    assert_eq!(run(ECS, &["-q", "log.level = error", "--count"], 0), "2\n");
}

#[test]
fn logcli_lines_are_their_inner_record_with_labels() {
    let recs = json_records(LOGCLI, &["-l", "error"]);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[1]["message"], "refund rejected");
    assert_eq!(recs[1]["timestamp"], "2024-03-12T09:00:00.264389Z");
    assert_eq!(recs[1]["service"], "api");
    assert_eq!(recs[1]["cid"], "req-81c2");
    assert_eq!(
        recs[1]["fields"],
        json!({"order_id": "ord-9999", "reason": "unknown order", "app": "api", "container": "api", "namespace": "prod"})
    );
    assert_eq!(run(LOGCLI, &["-c", "req-7f3a", "--count"], 0), "4\n");
    assert_eq!(
        run(LOGCLI, &["-q", "namespace = prod", "--count"], 0),
        "9\n"
    );
    assert_eq!(
        run(
            LOGCLI,
            &["--jq", "select(.event == \"refund rejected\")", "-o", "raw"],
            0
        ),
        lines(LOGCLI, &[9])
    );
}

#[test]
fn container_prefixes_give_the_service_and_the_runtime_time() {
    let recs = json_records(COMPOSE_T, &["-n", "1"]);
    assert_eq!(recs[0]["timestamp"], "2024-03-12T09:00:00.000183417Z");
    assert_eq!(recs[0]["service"], "api-1");
    assert_eq!(recs[0]["module"], "uvicorn.error");
    for (file, api, worker) in [
        (COMPOSE_T, "api-1", "worker-1"),
        (COMPOSE_COLOR, "api-1", "worker-1"),
        (KUBECTL, "api", "worker"),
    ] {
        let out = cmd(&["stats", "--by", "service", "--json", &fixture(file)], 0);
        let stats: Value = serde_json::from_str(&out).unwrap();
        let groups: Vec<(String, u64)> = stats["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["key"]["service"].as_str().unwrap().to_string(),
                    g["count"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            groups,
            [(api.to_string(), 19), (worker.to_string(), 17)],
            "{file}"
        );
        // The tracebacks of both containers stay with their records.
        assert_eq!(run(file, &["-l", "error", "--count"], 0), "3\n", "{file}");
    }
}

#[test]
fn loguru_text_traceback_with_diagnose_is_one_record() {
    assert_eq!(run(LOGURU_TEXT, &["--count"], 0), "10\n");
    assert_eq!(
        run(LOGURU_TEXT, &["-l", "error", "-o", "raw"], 0),
        [span(LOGURU_TEXT, 5, 42), lines(LOGURU_TEXT, &[47])].concat()
    );
}

/// The record of issue 9's report: `Job 7 failed` lost its `ValueError`.
#[test]
fn shipped_loguru_fixture_shows_its_traceback_in_pretty_output_and_trace() {
    const SHIPPED: &str = "formats/loguru_serialized.jsonl";
    let block = "    exception:
      Traceback (most recent call last):
        File \"/app/app/worker.py\", line 31, in process
          result = compute(job)
        File \"/app/app/worker.py\", line 12, in compute
          raise ValueError(\"bad input\")
      ValueError: bad input
";
    assert_eq!(
        run(
            SHIPPED,
            &["-l", "=error", "-o", "pretty", "--color", "never"],
            0
        ),
        format!(
            "2024-01-15 10:30:02.250 ERROR [app.worker] Job 7 failed job=7 function=process \
             line=31 file=/app/app/worker.py process=1 thread=140245 cid=req-lg-2\n{block}"
        )
    );
    let rails = "         │                              │                              ";
    let trace_block: String = block
        .lines()
        .map(|l| format!("{rails}{}\n", &l[4..]))
        .collect();
    assert_eq!(
        cmd(&["trace", "req-lg-2", &fixture(SHIPPED)], 0),
        format!(
            "trace req-lg-2 · 2024-01-15 10:30:02.250 · 2 records · span 1.750s · 1 error · 0 warnings
services: (none) · categories: formats
slowest: 1.750s between Job 7 failed (formats, app.worker) and Connected to postgres (formats, app.db)

   +0ms  │•                             │  formats  app.worker  ERROR  Job 7 failed  job=7  function=process  line=31  file=/app/app/worker.py  process=1  thread=140245
{trace_block}+1.750s  │                             •│  formats  app.db      DEBUG  Connected to postgres  function=connect  line=17  file=/app/app/db.py  process=1  thread=140245
"
        )
    );
}

/// One request crosses structlog (UTC), python-json-logger (local
/// `asctime`), a loguru sink (`+01:00`) and stdlib text (local, ids in
/// `key=value` pairs): on a Berlin host its steps are milliseconds apart,
/// and the slowest step is read from `duration_ms` wherever it is.
#[test]
fn a_request_across_every_writer_is_one_timeline_of_milliseconds() {
    let files = [
        "structlog_exc.jsonl",
        "pjl.jsonl",
        "loguru_sink.jsonl",
        "stdlib_text.log",
    ]
    .map(|f| fixture(&format!("python/{f}")));
    let out = logq()
        .env("TZ", "Europe/Berlin")
        .args(["trace", "--ids-from", "cid", "-l", "error"])
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(stderr(&out), "");
    let summary: Vec<String> = stdout(&out)
        .lines()
        .filter(|l| l.starts_with("trace ") || l.starts_with("slowest") || l.contains("found in"))
        .map(str::to_string)
        .collect();
    assert_eq!(
        summary,
        [
            "4 requests found in cid",
            "trace req-7f3a · 2024-03-12 09:00:00.037 · 16 records · span 145ms · 4 errors · 1 warning",
            "slowest: request finished (python, app.orders) 8.604s by duration_ms, ended at +84ms",
            "trace req-81c2 · 2024-03-12 09:00:00.190 · 9 records · span 74ms · 3 errors · 3 warnings",
            "slowest: slow query for Jürgen Müller (python, app.orders) 1.250s by duration_ms, ended at +0ms",
            "trace req-a1e7 · 2024-03-12 09:00:00.279 · 2 records · span 0ms · 2 errors · 0 warnings",
            "trace req-9d04 · 2024-03-12 09:00:00.220 · 3 records · span 59ms · 1 error · 1 warning",
            "slowest: Database pool exhausted (size=20) (python, generate) 30.001s by extra.duration_ms, ended at +59ms",
        ]
    );
}
