//! Record formats (SPEC §2), role aliases, `--field-map` and timestamps.

use crate::util::*;
use serde_json::{json, Value};

const DOCKER: &str = "formats/docker_compose.log";
const LOGURU_JSON: &str = "formats/loguru_serialized.jsonl";
const PYTHON: &str = "formats/python_logging.log";
const LOGURU_TEXT: &str = "formats/loguru_default.log";
const MIXED: &str = "formats/mixed_invalid.jsonl";
const EPOCH: &str = "formats/epoch.jsonl";
const ALIASES: &str = "formats/aliases.jsonl";
const CUSTOM: &str = "formats/custom_fields.jsonl";

/// Runs `logq FILE -o json ARGS` and returns one object per record.
fn json_records(rel: &str, args: &[&str]) -> Vec<Value> {
    let out = logq()
        .arg(fixture(rel))
        .args(["-o", "json"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(stderr(&out), "", "stderr of {rel} {args:?}");
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The values of one key in each record.
fn column(records: &[Value], key: &str) -> Vec<Value> {
    records.iter().map(|r| r[key].clone()).collect()
}

#[test]
fn docker_prefix_becomes_service_unless_the_record_has_one() {
    let recs = json_records(DOCKER, &[]);
    assert_eq!(
        column(&recs, "service"),
        [
            "api-1",
            "worker-1",
            "api-1",
            "worker-1",
            "billing-api",
            "worker-1",
            "api-1",
            "worker-1",
            "api-1",
            "worker-1"
        ]
        .map(Value::from)
    );
    // Raw output is the JSON record behind the prefix (so `| jq` works);
    // filters see that record too.
    let out = logq()
        .args([&fixture(DOCKER), "-c", "req-dc-1", "-l", "debug"])
        .output()
        .unwrap();
    check(&out, &json_bodies(DOCKER, &[3, 4, 6]), "", 0);
    // `--keep-prefix` keeps the whole line.
    let out = logq()
        .args([&fixture(DOCKER), "-c", "req-dc-1", "--keep-prefix"])
        .output()
        .unwrap();
    check(&out, &lines(DOCKER, &[3, 4, 6]), "", 0);
}

#[test]
fn loguru_serialized_fields_come_from_record() {
    let recs = json_records(LOGURU_JSON, &["-n", "1"]);
    assert_eq!(
        recs,
        [json!({
            "timestamp": "2024-01-15T10:30:00.123456Z",
            "level": "INFO",
            "message": "Started",
            "module": "app.main",
            "category": "formats",
            "cid": "req-lg-1",
            "service": null,
            "source": "tests/fixtures/formats/loguru_serialized.jsonl:1",
            "fields": {
                "function": "run",
                "line": 12,
                "file": "/app/app/main.py",
                "process": 1,
                "thread": 140245
            }
        })]
    );
    let recs = json_records(LOGURU_JSON, &[]);
    assert_eq!(
        column(&recs, "level"),
        ["INFO", "WARNING", "ERROR", "SUCCESS", "DEBUG", "CRITICAL"].map(Value::from)
    );
    assert_eq!(
        column(&recs, "message"),
        [
            "Started",
            "Cache miss for user:42",
            "Job 7 failed",
            "Migrations applied",
            "Connected to postgres",
            "Out of memory, shutting down"
        ]
        .map(Value::from)
    );
    // SUCCESS sits between INFO and WARNING.
    let out = logq()
        .args([&fixture(LOGURU_JSON), "-l", "success"])
        .output()
        .unwrap();
    check(&out, &lines(LOGURU_JSON, &[2, 3, 4, 6]), "", 0);
    let out = logq()
        .args([&fixture(LOGURU_JSON), "-c", "req-lg-2"])
        .output()
        .unwrap();
    check(&out, &lines(LOGURU_JSON, &[3, 5]), "", 0);
}

#[test]
fn python_logging_folds_tracebacks_into_the_record_above() {
    let out = logq()
        .args([&fixture(PYTHON), "-l", "error"])
        .output()
        .unwrap();
    let want = span(PYTHON, 4, 8) + &lines(PYTHON, &[10, 12, 13, 15]);
    check(&out, &want, "", 0);
    let out = logq().args([&fixture(PYTHON), "--count"]).output().unwrap();
    check(&out, "12\n", "", 0);

    let recs = json_records(PYTHON, &[]);
    assert_eq!(recs.len(), 12);
    assert_eq!(
        recs[3]["source"],
        "tests/fixtures/formats/python_logging.log:4"
    );
    assert_eq!(
        recs[3]["message"],
        "Unhandled error in handler\nTraceback (most recent call last):\n  \
         File \"/app/src/api/routes.py\", line 10, in handler\n    raise ValueError(\"bad\")\n\
         ValueError: bad"
    );
    // The three styles: dash (first ` - ` fields only), bracket, colon.
    assert_eq!(recs[5]["message"], "Payment failed - card declined");
    assert_eq!(recs[5]["module"], "src.billing");
    assert_eq!(recs[6]["module"], "src.db");
    assert_eq!(recs[6]["level"], "WARNING");
    assert_eq!(recs[8]["module"], "src.worker");
    assert_eq!(recs[8]["timestamp"], Value::Null);
    assert_eq!(
        column(&recs, "timestamp")[..3],
        [
            "2024-01-15T10:30:00.123Z",
            "2024-01-15T10:30:00.456Z",
            "2024-01-15T10:30:01.789Z"
        ]
        .map(Value::from)
    );
}

#[test]
fn loguru_default_format_with_blank_lines_in_its_traceback() {
    let out = logq()
        .args([&fixture(LOGURU_TEXT), "-l", "error"])
        .output()
        .unwrap();
    check(
        &out,
        &(span(LOGURU_TEXT, 6, 21) + &line(LOGURU_TEXT, 23) + "\n"),
        "",
        0,
    );
    let out = logq()
        .args([&fixture(LOGURU_TEXT), "-l", "=trace"])
        .output()
        .unwrap();
    check(&out, &lines(LOGURU_TEXT, &[2]), "", 0);
    let recs = json_records(LOGURU_TEXT, &[]);
    assert_eq!(
        column(&recs, "level"),
        ["INFO", "TRACE", "DEBUG", "SUCCESS", "WARNING", "ERROR", "INFO", "CRITICAL"]
            .map(Value::from)
    );
    assert_eq!(
        column(&recs, "module"),
        [
            "app.main",
            "app.db",
            "app.db",
            "app.main",
            "app.cache",
            "app.worker",
            "app.worker",
            "app.main"
        ]
        .map(Value::from)
    );
    assert_eq!(
        recs[6]["source"],
        "tests/fixtures/formats/loguru_default.log:22"
    );
}

#[test]
fn unparsed_lines_are_counted_and_shown_with_show_invalid() {
    let out = logq().arg(fixture(MIXED)).output().unwrap();
    check(
        &out,
        &lines(MIXED, &[1, 2, 4, 5, 7, 8, 10, 11]),
        "logq: warning: 3 lines in tests/fixtures/formats/mixed_invalid.jsonl are not JSON or \
         log records; --show-invalid to see them\n",
        0,
    );
    let out = logq()
        .args([&fixture(MIXED), "--show-invalid"])
        .output()
        .unwrap();
    check(&out, &lines(MIXED, &(1..=11).collect::<Vec<_>>()), "", 0);
    // Shown whatever the filter, the same way on every read path.
    for fast in [true, false] {
        let mut cmd = logq();
        cmd.args([&fixture(MIXED), "--show-invalid", "-c", "req-mx-1"]);
        if !fast {
            cmd.arg("--no-fast-paths");
        }
        check(
            &cmd.output().unwrap(),
            &lines(MIXED, &[3, 5, 6, 7, 9]),
            "",
            0,
        );
    }
    let recs = json_records(MIXED, &["--show-invalid", "-n", "3"]);
    assert_eq!(
        recs[2],
        json!({
            "source": "tests/fixtures/formats/mixed_invalid.jsonl:3",
            "unparsed": "this is not json at all, just a stray print() from a library"
        })
    );
    let out = logq()
        .args([
            &fixture(MIXED),
            "--show-invalid",
            "-o",
            "pretty",
            "-l",
            "critical",
        ])
        .output()
        .unwrap();
    let want = "unparsed this is not json at all, just a stray print() from a library\n\
                unparsed {\"level\":\"info\",\"mess\n\
                unparsed [1,2]\n\
                2024-01-15 10:30:07.000 CRIT  [app.monitor] Disk almost full\n";
    check(&out, want, "", 0);
}

#[test]
fn one_unparsed_line_is_reported_in_the_singular() {
    let dir = tempdir();
    let f = write(
        dir.path(),
        "one.jsonl",
        b"{\"level\":\"info\",\"message\":\"ok\"}\nnot a record\n",
    );
    let out = logq().arg(&f).output().unwrap();
    check(
        &out,
        "{\"level\":\"info\",\"message\":\"ok\"}\n",
        &format!(
            "logq: warning: 1 line in {f} is not a JSON or log record; --show-invalid to see them\n"
        ),
        0,
    );
}

/// `(role, alias)` for each line of `formats/aliases.jsonl`.
const ALIAS_ROWS: [(&str, &str); 37] = [
    ("time", "timestamp"),
    ("time", "time"),
    ("time", "ts"),
    ("time", "@timestamp"),
    ("time", "asctime"),
    ("time", "datetime"),
    ("level", "level"),
    ("level", "levelname"),
    ("level", "severity"),
    ("level", "lvl"),
    ("level", "log.level"),
    ("message", "message"),
    ("message", "msg"),
    ("message", "event"),
    ("message", "text"),
    ("module", "module"),
    ("module", "logger"),
    ("module", "logger_name"),
    ("module", "name"),
    ("module", "component"),
    ("correlation", "correlation_id"),
    ("correlation", "correlationId"),
    ("correlation", "request_id"),
    ("correlation", "requestId"),
    ("correlation", "trace_id"),
    ("correlation", "traceId"),
    ("correlation", "x-correlation-id"),
    ("correlation", "context.correlation_id"),
    ("correlation", "context.requestId"),
    ("correlation", "context.x-correlation-id"),
    ("correlation", "extra.request_id"),
    ("correlation", "extra.traceId"),
    ("correlation", "ctx.correlationId"),
    ("correlation", "ctx.trace_id"),
    ("service", "service"),
    ("service", "service_name"),
    ("service", "app"),
];

#[test]
fn every_role_alias_is_found() {
    let recs = json_records(ALIASES, &[]);
    assert_eq!(recs.len(), 37);
    for (i, (rec, (role, alias))) in recs.iter().zip(ALIAS_ROWS).enumerate() {
        let level = match i + 1 {
            7 => "ERROR",
            8 | 11 => "WARNING",
            9 => "DEBUG",
            10 => "CRITICAL",
            _ => "INFO",
        };
        let message = match role {
            "message" => format!("msg-{alias}"),
            _ => format!("{role} alias {alias}"),
        };
        let module = match role {
            "module" => format!("mod-{alias}"),
            _ => "aliases.default".to_string(),
        };
        let cid = match role {
            "correlation" => format!("cid-{alias}"),
            _ => format!("cid-{role}-{alias}"),
        };
        let service = match role {
            "service" => Value::from(format!("svc-{alias}")),
            _ => Value::Null,
        };
        let what = format!("line {} ({role} alias {alias})", i + 1);
        assert_eq!(
            rec["timestamp"],
            format!("2024-01-15T11:00:{i:02}Z"),
            "{what}"
        );
        assert_eq!(rec["level"], level, "{what}");
        assert_eq!(rec["message"], message, "{what}");
        assert_eq!(rec["module"], module, "{what}");
        assert_eq!(rec["cid"], cid, "{what}");
        assert_eq!(rec["service"], service, "{what}");
    }
    // Each correlation alias is found by -c.
    for (i, (role, alias)) in ALIAS_ROWS.iter().enumerate() {
        if *role == "correlation" {
            let out = logq()
                .args([&fixture(ALIASES), "-c", &format!("cid-{alias}")])
                .output()
                .unwrap();
            check(&out, &lines(ALIASES, &[i + 1]), "", 0);
        }
    }
}

#[test]
fn field_map_adds_a_name_for_a_role() {
    let out = logq()
        .args([&fixture(CUSTOM), "-l", "warn"])
        .output()
        .unwrap();
    check(&out, "", "", 1);
    let map = ["--field-map", "level=sev", "--field-map", "message=body"];
    let out = logq()
        .arg(fixture(CUSTOM))
        .args(map)
        .args(["-l", "warn"])
        .output()
        .unwrap();
    check(&out, &lines(CUSTOM, &[4, 5, 7, 8, 10]), "", 0);
    let out = logq()
        .arg(fixture(CUSTOM))
        .args(map)
        .args(["-l", "error", "-o", "pretty"])
        .output()
        .unwrap();
    let want =
        "2024-01-15 10:30:04.000 ERROR upstream timeout: billing-svc src=gw.proxy req=req-cf-2\n\
                2024-01-15 10:30:06.000 CRIT  certificate expired src=gw.tls\n\
                2024-01-15 10:30:09.000 ERROR health check failed: billing-svc src=gw.health\n";
    check(&out, want, "", 0);
    let out = logq()
        .args([&fixture(CUSTOM), "--field-map", "cid=req", "-c", "req-cf-2"])
        .output()
        .unwrap();
    check(&out, &lines(CUSTOM, &[5]), "", 0);
}

#[test]
fn bad_field_map_is_a_usage_error() {
    let out = logq()
        .args([&fixture(CUSTOM), "--field-map", "sev"])
        .output()
        .unwrap();
    check(
        &out,
        "",
        "logq: invalid --field-map 'sev' (expected ROLE=NAME, e.g. level=severity)\n",
        2,
    );
    let out = logq()
        .args([&fixture(CUSTOM), "--field-map", "colour=sev"])
        .output()
        .unwrap();
    check(
        &out,
        "",
        "logq: --field-map: unknown role 'colour' (expected time, level, message, module, cid, \
         service or category)\n",
        2,
    );
}

#[test]
fn epoch_times_and_numeric_levels() {
    let recs = json_records(EPOCH, &[]);
    assert_eq!(
        column(&recs, "timestamp"),
        [
            "2024-01-15T10:30:00Z",
            "2024-01-15T10:30:00.500Z",
            "2024-01-15T10:30:01.250Z",
            "2024-01-15T10:30:02.500Z",
            "2024-01-15T10:30:03.750123456Z",
            "2024-01-15T10:30:04Z"
        ]
        .map(Value::from)
    );
    // 10–50 are Python levels; 60 with pino's pid+hostname is fatal.
    assert_eq!(
        column(&recs, "level"),
        ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "CRITICAL"].map(Value::from)
    );
    let out = logq()
        .args([
            &fixture(EPOCH),
            "--since",
            "2024-01-15T10:30:01.250Z",
            "--until",
            "2024-01-15T10:30:03.750123456Z",
        ])
        .output()
        .unwrap();
    check(&out, &lines(EPOCH, &[3, 4]), "", 0);
    // Epoch seconds as floats and milliseconds as ints (ingestion files).
    let recs = json_records(super::INDEX, &["-n", "1"]);
    assert_eq!(recs[0]["timestamp"], "2024-01-15T10:00:00.500Z");
    let recs = json_records(super::ING, &["-n", "1"]);
    assert_eq!(recs[0]["timestamp"], "2024-01-15T10:00:01Z");
}

#[test]
fn times_with_zone_without_zone_and_comma_millis() {
    let recs = json_records(super::APP, &[]);
    // Line 7: +01:00; line 15: no zone (UTC); lines 2, 6, 21: +00:00.
    assert_eq!(recs[6]["timestamp"], "2024-01-15T10:05:00Z");
    assert_eq!(recs[14]["timestamp"], "2024-01-15T11:45:00Z");
    assert_eq!(recs[1]["timestamp"], "2024-01-15T08:00:05.250Z");
    let recs = json_records(super::AUDIT, &["-n", "4"]);
    assert_eq!(recs[3]["timestamp"], "2024-01-15T11:05:00Z");
    assert_eq!(recs[3]["category"], "audit");
    assert_eq!(recs[3]["cid"], "req-aud-4");
}

#[test]
fn docker_prefixed_text_records_fold_their_prefixed_tracebacks() {
    let data = "api-1  | 2024-01-15 10:00:00,000 - src.api - ERROR - boom\n\
                api-1  | Traceback (most recent call last):\n\
                api-1  |   File \"x.py\", line 1, in <module>\n\
                api-1  | ValueError: bad\n\
                web-1  | {\"timestamp\":\"2024-01-15T10:00:01Z\",\"level\":\"info\",\"msg\":\"hi\"}\n";
    let out = logq()
        .args(["-l", "error"])
        .write_stdin(data)
        .output()
        .unwrap();
    check(&out, &data[..data.find("web-1").unwrap()], "", 0);
    let out = logq()
        .args(["-o", "json"])
        .write_stdin(data)
        .output()
        .unwrap();
    let recs: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        recs[0]["message"],
        "boom\nTraceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: bad"
    );
    assert_eq!(
        column(&recs, "service"),
        ["api-1", "web-1"].map(Value::from)
    );
    let out = logq()
        .args(["-o", "pretty"])
        .write_stdin(data)
        .output()
        .unwrap();
    let want = "2024-01-15 10:00:00.000 ERROR [src.api] boom service=api-1\n    \
                Traceback (most recent call last):\n      File \"x.py\", line 1, in <module>\n    \
                ValueError: bad\n\
                2024-01-15 10:00:01.000 INFO  hi service=web-1\n";
    check(&out, want, "", 0);
}
