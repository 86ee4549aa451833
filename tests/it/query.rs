//! `-q` and `--jq` on the fixture logs: exact records (raw output, byte for
//! byte), the SPEC §4 workflows checked against the real `jq -c`, and the
//! errors a user sees for a malformed filter.

use crate::util::*;
use serde_json::Value;

const APP: &str = "logs/app/app_2024-01-15.jsonl";
const CHAT: &str = "logs/chat/chat_2024-01-15.jsonl";
const AUDIT: &str = "logs/audit/audit_2024-01-15.jsonl";

/// Runs `logq ARGS FILES…` (raw output) and asserts the exact stdout and a
/// clean exit.
#[track_caller]
fn expect(args: &[&str], files: &[&str], want: &str) {
    let mut cmd = logq();
    cmd.args(["-o", "raw"]).args(args);
    for f in files {
        cmd.arg(fixture(f));
    }
    let out = cmd.output().expect("run logq");
    let code = if want.is_empty() { 1 } else { 0 };
    check(&out, want, "", code);
}

/// What `jq -c 'select(FILTER)' FILE` prints (jq 1.6, see `crate::jq`),
/// one JSON value per line.
fn jq_select(filter: &str, rel: &str) -> Vec<Value> {
    let file = fixture(rel);
    let program = format!("select({filter})");
    parse_lines(&crate::jq::jq_1_6(&program, &file, &root().join(&file)))
}

fn parse_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A SPEC §4 workflow: `--jq 'select(F)'` prints exactly these lines of
/// the file, and the same records `jq -c 'select(F)'` prints.
#[track_caller]
fn spec_workflow(filter: &str, rel: &str, want_lines: &[usize]) {
    let jq = format!("select({filter})");
    expect(&["--jq", &jq], &[rel], &lines(rel, want_lines));
    let out = logq()
        .args(["-o", "raw", "--jq", &jq, &fixture(rel)])
        .output()
        .expect("run logq");
    assert_eq!(
        parse_lines(&stdout(&out)),
        jq_select(filter, rel),
        "{jq} on {rel}"
    );
}

#[test]
fn spec_level_error_upper_case() {
    spec_workflow(r#".level=="ERROR""#, APP, &[10, 16, 19, 27]);
}

#[test]
fn spec_level_error_lower_case() {
    spec_workflow(r#".level=="error""#, CHAT, &[10, 19]);
    // Equality is exact, as in jq: the upper-case file has no "error".
    spec_workflow(r#".level=="error""#, APP, &[]);
}

#[test]
fn spec_event_creating_project() {
    spec_workflow(r#".event=="creating_project""#, CHAT, &[6, 17]);
}

#[test]
fn spec_node_developer() {
    spec_workflow(r#".node=="developer""#, CHAT, &[8, 9, 10, 14, 15]);
}

#[test]
fn spec_event_start_or_complete() {
    spec_workflow(
        r#".event=="node_start" or .event=="node_complete""#,
        CHAT,
        &[4, 5, 8, 14, 15],
    );
}

#[test]
fn spec_duration_ms_or_sec() {
    spec_workflow(".duration_ms or .duration_sec", CHAT, &[5, 7, 15, 16]);
    // `"duration_ms":0` is truthy in jq (only false and null are false).
    spec_workflow(
        ".duration_ms or .duration_sec",
        APP,
        &[3, 7, 9, 11, 17, 18, 23, 26],
    );
}

#[test]
fn spec_logger_name_contains_whatsapp() {
    spec_workflow(
        r#".logger_name | contains("whatsapp")"#,
        APP,
        &[4, 10, 11, 17, 25],
    );
    // jq errors on every chat record (`null | contains`) and prints nothing;
    // logq says why (chat records name their module `logger`).
    let f = r#".logger_name | contains("whatsapp")"#;
    assert!(jq_select(f, CHAT).is_empty());
    let out = logq()
        .args(["-o", "raw", "--jq", &format!("select({f})"), &fixture(CHAT)])
        .output()
        .unwrap();
    check(
        &out,
        "",
        "logq: no record read has a field 'logger_name'\n",
        1,
    );
}

#[test]
fn spec_nested_organization_id() {
    spec_workflow(
        r#".context.organization_id == "org_123""#,
        APP,
        &[4, 8, 9, 10, 17, 18],
    );
}

#[test]
fn spec_trace_execution_time() {
    spec_workflow(".trace.execution_time_ms > 1000", APP, &[11, 12, 18]);
}

#[test]
fn spec_level_test_case_insensitive() {
    spec_workflow(r#".level | test("warn"; "i")"#, APP, &[5, 12, 17, 24]);
    spec_workflow(r#".level | test("warn"; "i")"#, CHAT, &[9, 18]);
}

#[test]
fn spec_query_example_duration_or_status() {
    expect(
        &["-q", r#"duration_ms > 1000 or status = "failed""#],
        &[APP],
        &lines(APP, &[9, 11, 18, 19, 23]),
    );
}

#[test]
fn query_level_is_a_severity_threshold() {
    expect(
        &["-q", "level >= warning"],
        &[APP],
        &lines(APP, &[5, 10, 12, 16, 17, 19, 22, 24, 27]),
    );
    // `levelname` in audit, `level` in chat: the role, whatever its name.
    expect(&["-q", "level = error"], &[AUDIT], &lines(AUDIT, &[8]));
    expect(&["-q", "level = warn"], &[CHAT], &lines(CHAT, &[9, 18]));
}

#[test]
fn query_raw_level_field_is_exact_text() {
    expect(
        &["-q", ".level = WARNING"],
        &[APP],
        &lines(APP, &[5, 12, 17, 24]),
    );
    expect(&["-q", ".level = warning"], &[APP], "");
    // Audit has no raw `level` field at all, and logq says so.
    let out = logq()
        .args(["-q", ".level = WARNING", &fixture(AUDIT)])
        .output()
        .unwrap();
    check(&out, "", "logq: no record read has a field 'level'\n", 1);
}

#[test]
fn query_nested_org_and_slow() {
    expect(
        &[
            "-q",
            "context.organization_id = org_123 and duration_ms >= 1000",
        ],
        &[APP],
        &lines(APP, &[9, 18]),
    );
}

#[test]
fn query_nested_number_at_boundary() {
    expect(
        &["-q", "trace.execution_time_ms >= 1000"],
        &[APP],
        &lines(APP, &[11, 12, 18, 25]),
    );
}

#[test]
fn query_module_glob_and_level() {
    expect(
        &["-q", r#"module like "src.api.*" and level = error"#],
        &[APP],
        &lines(APP, &[27]),
    );
    expect(
        &["-q", "module like *whatsapp* and not level = info"],
        &[APP],
        &lines(APP, &[10, 17]),
    );
}

#[test]
fn query_cid_across_services_in_time_order() {
    expect(
        &["-q", "cid = req-abc-123"],
        &[APP, CHAT, AUDIT],
        &records(&[(APP, 8), (CHAT, 6), (AUDIT, 3), (CHAT, 7), (APP, 9)]),
    );
}

#[test]
fn query_message_contains_and_regex() {
    expect(
        &["-q", "message ~ connection"],
        &[APP],
        &lines(APP, &[22, 23]),
    );
    expect(
        &["-q", r#"message =~ "^(GET|POST) ""#],
        &[APP],
        &lines(APP, &[3]),
    );
    // The message role is `msg` in audit, `event` in chat.
    expect(
        &["-q", r#"message =~ "^Project ""#],
        &[AUDIT],
        &lines(AUDIT, &[2, 3, 9]),
    );
    expect(
        &["-q", "message like node_*"],
        &[CHAT],
        &lines(CHAT, &[4, 5, 8, 10, 14, 15]),
    );
}

#[test]
fn query_service_in_list() {
    expect(
        &["-q", "service in (projects, worker-spawner)"],
        &[CHAT],
        &lines(CHAT, &[6, 7, 16, 17, 18, 20]),
    );
}

#[test]
fn query_not_and_negation() {
    expect(
        &["-q", "event like \"node_*\" and not node = developer"],
        &[CHAT],
        &lines(CHAT, &[4, 5]),
    );
    // `!=` needs the field: records without `node` are not kept.
    expect(&["-q", "node != developer"], &[CHAT], &lines(CHAT, &[4, 5]));
}

#[test]
fn query_exists() {
    expect(
        &["-q", "exists(duration_sec)"],
        &[CHAT],
        &lines(CHAT, &[5, 7, 15]),
    );
    expect(
        &["-q", "exists(trace) and not exists(context)"],
        &[APP],
        &lines(APP, &[6, 11, 12, 21, 25]),
    );
}

#[test]
fn query_time_window() {
    expect(
        &[
            "-q",
            r#"time >= "2024-01-15 12:00" and time < "2024-01-15 13:00""#,
        ],
        &[CHAT],
        &lines(CHAT, &[12, 13, 14, 15, 16]),
    );
    // Relative to LOGQ_NOW (12:00Z); audit times have no zone (UTC).
    expect(
        &["-q", "time > -30m"],
        &[AUDIT],
        &lines(AUDIT, &[5, 6, 7, 8, 9, 10, 11]),
    );
}

#[test]
fn query_category_field_and_folder() {
    expect(
        &["-q", "category = security"],
        &["logs/audit"],
        &lines(AUDIT, &[5]),
    );
    expect(
        &["-q", "category = chat and level = error"],
        &["logs/chat"],
        &lines(CHAT, &[10, 19]),
    );
}

#[test]
fn query_numbers_compare_as_numbers() {
    expect(&["-q", "status_code >= 400"], &[CHAT], &lines(CHAT, &[19]));
    // 1520.7 > 1000.5 > 350, numerically (as text "350" > "1000.5").
    expect(
        &["-q", "duration_ms > 1000.5 and duration_ms < 2000"],
        &[APP],
        &lines(APP, &[11]),
    );
}

#[test]
fn query_numeric_strings_count_as_numbers() {
    let dir = tempdir();
    let data = "{\"status_code\":\"503\",\"m\":\"a\"}\n{\"status_code\":200,\"m\":\"b\"}\n{\"status_code\":\"404 \",\"m\":\"c\"}\n{\"status_code\":\"n/a\",\"m\":\"d\"}\n";
    let path = write(dir.path(), "codes.jsonl", data.as_bytes());
    let out = logq()
        .args(["-o", "raw", "-q", "status_code >= 400", &path])
        .output()
        .unwrap();
    check(&out, "{\"status_code\":\"503\",\"m\":\"a\"}\n", "", 0);
    let out = logq()
        .args(["-o", "raw", "-q", r#"status_code = "200""#, &path])
        .output()
        .unwrap();
    check(&out, "{\"status_code\":200,\"m\":\"b\"}\n", "", 0);
}

#[test]
fn query_quoted_keys_and_nested_aliases() {
    let rel = "formats/aliases.jsonl";
    expect(
        &["-q", r#""x-correlation-id" = cid-x-correlation-id"#],
        &[rel],
        &lines(rel, &[27]),
    );
    expect(
        &["-q", "cid = cid-context.x-correlation-id"],
        &[rel],
        &lines(rel, &[30]),
    );
    expect(&["-q", "log.level = warn"], &[rel], &lines(rel, &[11]));
    expect(&["-q", "level = warning"], &[rel], &lines(rel, &[8, 11]));
}

#[test]
fn query_text_records_keep_their_traceback() {
    let rel = "formats/python_logging.log";
    let want = span(rel, 4, 8) + &lines(rel, &[10, 12]);
    expect(
        &["-q", "level = error and time >= 2024-01-15"],
        &[rel],
        &want,
    );
    expect(
        &[
            "--jq",
            r#"select(.level == "ERROR" and (.module | startswith("src.api")))"#,
        ],
        &[rel],
        &span(rel, 4, 8),
    );
}

#[test]
fn query_loguru_and_docker_records() {
    let rel = "formats/loguru_serialized.jsonl";
    expect(&["-q", "level >= error"], &[rel], &lines(rel, &[3, 6]));
    expect(
        &["--jq", r#"select(.record.level.name == "ERROR")"#],
        &[rel],
        &lines(rel, &[3]),
    );
    let rel = "formats/docker_compose.log";
    expect(
        &["-q", "service = worker-1 and level = error"],
        &[rel],
        &json_bodies(rel, &[6]),
    );
}

#[test]
fn query_with_field_map() {
    let rel = "formats/custom_fields.jsonl";
    expect(
        &["--field-map", "level=sev", "-q", "level >= warning"],
        &[rel],
        &lines(rel, &[4, 5, 7, 8, 10]),
    );
    expect(
        &["--field-map", "message=body", "-q", "message ~ billing-svc"],
        &[rel],
        &lines(rel, &[5, 10]),
    );
}

#[test]
fn jq_chained_selects() {
    expect(
        &[
            "--jq",
            r#"select(.context.organization_id == "org_456") | select(.level == "WARNING")"#,
        ],
        &[APP],
        &lines(APP, &[5, 24]),
    );
}

/// Issue 10: `--jq '.level'` printed every record (as `select(.level)`);
/// a program that prints values in jq is refused, showing both ways.
#[test]
fn jq_without_select_is_refused_with_the_way_to_print_it() {
    let out = logq()
        .args(["--jq", ".level", &fixture(APP)])
        .output()
        .unwrap();
    check(
        &out,
        "",
        "logq: --jq takes select(...) filters; to print a field, use: logq … -o raw | jq '.level'\n",
        2,
    );
    let f = r#".message | ascii_downcase | contains("token")"#;
    let out = logq().args(["--jq", f, &fixture(APP)]).output().unwrap();
    check(
        &out,
        "",
        &format!(
            "logq: --jq takes select(...) filters; to keep the records where it holds, write --jq 'select({f})'; to print its value, use: logq … -o raw | jq '{f}'\n"
        ),
        2,
    );
    expect(
        &["--jq", &format!("select({f})")],
        &[APP],
        &lines(APP, &[5, 24]),
    );
}

/// Issue 10: `IN(...)` was refused "at the comma".
#[test]
fn jq_in_any_all_agree_with_jq() {
    spec_workflow(r#".levelname | IN("ERROR", "CRITICAL")"#, AUDIT, &[8]);
    spec_workflow(r#"IN(.levelname; "WARNING", "ERROR")"#, AUDIT, &[4, 5, 8]);
    // `.context` is missing (null) in most records: jq raises "Cannot
    // iterate over null" for those and goes on, logq drops them.
    spec_workflow(r#".context | any(. == "org_456")"#, APP, &[5, 14, 24]);
    spec_workflow(
        r#"all(.level, .logger_name; type == "string" and length > 5)"#,
        APP,
        &[5, 12, 17, 22, 24],
    );
}

#[test]
fn jq_alternative_default() {
    let f = r#".duration_ms // 0 | . >= 1000"#;
    expect(
        &["--jq", &format!("select({f})")],
        &[APP],
        &lines(APP, &[9, 11, 18, 23, 26]),
    );
    let out = logq()
        .args(["-o", "raw", "--jq", &format!("select({f})"), &fixture(APP)])
        .output()
        .unwrap();
    assert_eq!(parse_lines(&stdout(&out)), jq_select(f, APP));
}

#[test]
fn jq_has_length_and_startswith() {
    for (f, want) in [
        (r#"has("trace") and (.trace | has("query"))"#, &[12][..]),
        (
            ".context | length > 0",
            &[2, 4, 5, 8, 9, 10, 14, 17, 18, 24][..],
        ),
        (r#".message | startswith("Request")"#, &[8, 9][..]),
        (r#".message | endswith("stopped")"#, &[29][..]),
        (r#".trace.query? | type == "string""#, &[12][..]),
    ] {
        spec_workflow(f, APP, want);
    }
}

#[test]
fn jq_combined_with_flags() {
    expect(
        &[
            "-l",
            "error",
            "--jq",
            r#"select(.logger_name | test("scheduler|spawner"))"#,
        ],
        &[APP],
        &lines(APP, &[16, 19]),
    );
    expect(
        &["-q", "level = error", "-q", "module ~ workers"],
        &[APP],
        &lines(APP, &[16, 19]),
    );
    expect(
        &["-c", "req-chat-2", "--jq", "select(.attempt)"],
        &[CHAT],
        &lines(CHAT, &[9]),
    );
}

#[test]
fn prefilter_needles_agree_with_full_parse() {
    let dir = tempdir();
    // The second line spells "failed" with a \u escape; the prefilter must
    // still hand it to the parser.
    let data = "{\"status\":\"failed\",\"n\":1}\n{\"status\":\"f\\u0061iled\",\"n\":2}\n{\"status\":\"ok\",\"n\":3}\n";
    let path = write(dir.path(), "esc.jsonl", data.as_bytes());
    let want = "{\"status\":\"failed\",\"n\":1}\n{\"status\":\"f\\u0061iled\",\"n\":2}\n";
    for args in [
        vec!["-q", "status = failed"],
        vec!["--jq", r#"select(.status == "failed")"#],
    ] {
        for fast in [true, false] {
            let mut cmd = logq();
            cmd.args(["-o", "raw"]).args(&args).arg(&path);
            if !fast {
                cmd.arg("--no-fast-paths");
            }
            check(&cmd.output().unwrap(), want, "", 0);
        }
    }
}

#[test]
fn unparsed_lines_never_match() {
    let rel = "formats/mixed_invalid.jsonl";
    let want = lines(rel, &[1, 2, 4, 5, 7, 8, 10, 11]);
    for args in [["--jq", "select(true)"], ["-q", "not exists(nothing)"]] {
        let out = logq()
            .args(["-o", "raw"])
            .args(args)
            .arg(fixture(rel))
            .output()
            .unwrap();
        assert_eq!(stdout(&out), want, "{args:?}");
        assert_eq!(out.status.code(), Some(0));
        assert!(stderr(&out).contains("3 lines"), "{}", stderr(&out));
    }
}

#[test]
fn malformed_query_points_at_the_column() {
    let out = logq()
        .args(["-q", "duration_ms >", &fixture(APP)])
        .output()
        .unwrap();
    check(
        &out,
        "",
        "logq: -q: expected a value after '>', found the end at column 14\n  duration_ms >\n               ^\n",
        2,
    );
    let out = logq()
        .args(["-q", "(level = error", &fixture(APP)])
        .output()
        .unwrap();
    check(
        &out,
        "",
        "logq: -q: expected ')' to close '(' at column 1, found the end at column 15\n  (level = error\n                ^\n",
        2,
    );
}

#[test]
fn unsupported_jq_is_refused_by_name() {
    let out = logq()
        .args(["--jq", "select(.a) | .b", &fixture(APP)])
        .output()
        .unwrap();
    check(
        &out,
        "",
        "logq: --jq takes select(...) filters; to print a field of the records it selects, use: logq --jq 'select(.a)' … -o raw | jq '.b'\n",
        2,
    );
    for (filter, construct) in [
        ("select(.tags[] == \"x\")", "iteration '[]'"),
        ("select(.a | map(.b))", "'map'"),
        ("select(.n + 1 > 2)", "arithmetic '+'"),
        ("select(.a, .b)", "',' (several outputs)"),
        ("select(.msg | test(\"(?<=a)b\"))", "is not supported: "),
        ("select(.x == $v)", "variable '$v'"),
    ] {
        let out = logq()
            .args(["--jq", filter, &fixture(APP)])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{filter}");
        assert!(stdout(&out).is_empty());
        let err = stderr(&out);
        assert!(
            err.starts_with("logq: --jq: ") && err.contains(construct),
            "{filter}: {err}"
        );
    }
}
