//! Output (SPEC §6): raw, json, logfmt and pretty, colour, field choice,
//! times, multi-line messages and escaping of log data.

use super::*;
use crate::util::*;

const ESC: &str = "\x1b";

#[test]
fn raw_is_the_default_when_piped() {
    let out = logq().args([&fixture(APP), "-n", "2"]).output().unwrap();
    check(&out, &lines(APP, &[1, 2]), "", 0);
    let out = logq()
        .args([&fixture(APP), "-n", "2", "-o", "raw"])
        .output()
        .unwrap();
    check(&out, &lines(APP, &[1, 2]), "", 0);
}

#[test]
fn json_is_one_normalized_object_per_record() {
    let out = logq()
        .args([LOGS, "-c", "req-abc-123", "-o", "json", "-n", "3"])
        .output()
        .unwrap();
    let want = concat!(
        r#"{"timestamp":"2024-01-15T10:30:00.123Z","level":"INFO","message":"Request received","#,
        r#""module":"src.api.routes","category":"app","cid":"req-abc-123","service":null,"#,
        r#""source":"tests/fixtures/logs/app/app_2024-01-15.jsonl:8","#,
        r#""fields":{"context":{"organization_id":"org_123"}}}"#,
        "\n",
        r#"{"timestamp":"2024-01-15T10:30:00.500Z","level":"INFO","message":"creating_project","#,
        r#""module":"projects.service","category":"chat","cid":"req-abc-123","service":"projects","#,
        r#""source":"tests/fixtures/logs/chat/chat_2024-01-15.jsonl:6","#,
        r#""fields":{"project_name":"demo"}}"#,
        "\n",
        r#"{"timestamp":"2024-01-15T10:30:01Z","level":"INFO","message":"Project created","#,
        r#""module":"audit.projects","category":"audit","cid":"req-abc-123","service":null,"#,
        r#""source":"tests/fixtures/logs/audit/audit_2024-01-15.jsonl:3","#,
        r#""fields":{"extra":{"request_id":"req-abc-123","user_id":"u_1002"}}}"#,
        "\n",
    );
    check(&out, want, "", 0);
}

#[test]
fn json_of_a_text_record_and_a_record_without_roles() {
    let out = logq()
        .args([
            &fixture("formats/python_logging.log"),
            "-o",
            "json",
            "-l",
            "=critical",
        ])
        .output()
        .unwrap();
    let want = concat!(
        r#"{"timestamp":"2024-01-15T10:32:00Z","level":"CRITICAL","message":"Scheduler crashed","#,
        r#""module":"src.workers.scheduler","category":"formats","cid":null,"service":null,"#,
        r#""source":"tests/fixtures/formats/python_logging.log:15","fields":{}}"#,
        "\n"
    );
    check(&out, want, "", 0);
    let out = logq()
        .args(["-o", "json"])
        .write_stdin("{\"a\":{\"b\":[1,2]}}\n")
        .output()
        .unwrap();
    let want = concat!(
        r#"{"timestamp":null,"level":null,"message":null,"module":null,"category":null,"#,
        r#""cid":null,"service":null,"source":"<stdin>:1","fields":{"a":{"b":[1,2]}}}"#,
        "\n"
    );
    check(&out, want, "", 0);
}

#[test]
fn logfmt_flattens_nested_fields() {
    let out = logq()
        .args([LOGS, "-c", "req-abc-123", "-o", "logfmt"])
        .output()
        .unwrap();
    let want = "\
time=2024-01-15T10:30:00.123Z level=info module=src.api.routes msg=\"Request received\" cid=req-abc-123 context.organization_id=org_123
time=2024-01-15T10:30:00.500Z level=info module=projects.service msg=creating_project cid=req-abc-123 service=projects project_name=demo
time=2024-01-15T10:30:01Z level=info module=audit.projects msg=\"Project created\" cid=req-abc-123 extra.request_id=req-abc-123 extra.user_id=u_1002
time=2024-01-15T10:30:01.800Z level=info module=projects.service msg=project_created cid=req-abc-123 service=projects duration_sec=1.3
time=2024-01-15T10:30:02.456Z level=info module=src.api.routes msg=\"Request completed\" cid=req-abc-123 duration_ms=2333 context.organization_id=org_123
";
    check(&out, want, "", 0);
}

const PRETTY_ABC: &str = "\
2024-01-15 10:30:00.123 INFO  [src.api.routes] Request received context.organization_id=org_123 cid=req-abc-123
2024-01-15 10:30:00.500 INFO  [projects.service] creating_project project_name=demo cid=req-abc-123 service=projects
2024-01-15 10:30:01.000 INFO  [audit.projects] Project created extra.user_id=u_1002 cid=req-abc-123
2024-01-15 10:30:01.800 INFO  [projects.service] project_created duration_sec=1.3 cid=req-abc-123 service=projects
2024-01-15 10:30:02.456 INFO  [src.api.routes] Request completed duration_ms=2333 context.organization_id=org_123 cid=req-abc-123
";

#[test]
fn pretty_shows_time_level_module_message_and_flattened_fields() {
    // Several files: each record says which one it came from.
    let out = logq()
        .args([LOGS, "-c", "req-abc-123", "-o", "pretty"])
        .output()
        .unwrap();
    let want = "\
app_2024-01-15.jsonl     2024-01-15 10:30:00.123 INFO  [src.api.routes] Request received context.organization_id=org_123 cid=req-abc-123
chat_2024-01-15.jsonl    2024-01-15 10:30:00.500 INFO  [projects.service] creating_project project_name=demo cid=req-abc-123 service=projects
audit_2024-01-15.jsonl   2024-01-15 10:30:01.000 INFO  [audit.projects] Project created extra.user_id=u_1002 cid=req-abc-123
chat_2024-01-15.jsonl    2024-01-15 10:30:01.800 INFO  [projects.service] project_created duration_sec=1.3 cid=req-abc-123 service=projects
app_2024-01-15.jsonl     2024-01-15 10:30:02.456 INFO  [src.api.routes] Request completed duration_ms=2333 context.organization_id=org_123 cid=req-abc-123
";
    check(&out, want, "", 0);
    // Colour only on a terminal or when asked.
    let out = logq()
        .args([
            LOGS,
            "-c",
            "req-abc-123",
            "-o",
            "pretty",
            "--color",
            "never",
            "--no-source",
        ])
        .output()
        .unwrap();
    check(&out, PRETTY_ABC, "", 0);
}

#[test]
fn pretty_colours_by_level_with_color_always() {
    let out = logq()
        .args([
            &fixture(APP),
            "-o",
            "pretty",
            "--color",
            "always",
            "-l",
            "=critical",
        ])
        .output()
        .unwrap();
    let want = format!(
        "{ESC}[2m2024-01-15 14:45:00.000{ESC}[0m {ESC}[91;1mCRIT {ESC}[0m \
         {ESC}[36m[src.db.pool]{ESC}[0m {ESC}[91;1mDatabase connection lost{ESC}[0m\n"
    );
    check(&out, &want, "", 0);
}

#[cfg(unix)]
#[test]
fn a_terminal_gets_pretty_colours_unless_no_color() {
    let args = [fixture(APP), "-l".into(), "=critical".into()];
    let mut cmd = logq_std();
    cmd.args(&args);
    let (text, code) = run_with_tty_stdout(cmd);
    assert_eq!(code, 0);
    assert!(
        text.contains(&format!("{ESC}[36m[src.db.pool]{ESC}[0m")),
        "{text:?}"
    );

    let plain = "2024-01-15 14:45:00.000 CRIT  [src.db.pool] Database connection lost\n";
    let mut cmd = logq_std();
    cmd.args(&args).env("NO_COLOR", "1");
    assert_eq!(run_with_tty_stdout(cmd), (plain.to_string(), 0));

    let mut cmd = logq_std();
    cmd.args(&args).args(["--color", "never"]);
    assert_eq!(run_with_tty_stdout(cmd), (plain.to_string(), 0));

    // An explicit flag wins over the environment.
    let mut cmd = logq_std();
    cmd.args(&args)
        .env("NO_COLOR", "1")
        .args(["--color", "always"]);
    let (text, _) = run_with_tty_stdout(cmd);
    assert!(text.contains(ESC), "{text:?}");

    // On a terminal `-o raw` still prints the line as it is.
    let mut cmd = logq_std();
    cmd.args(&args).args(["-o", "raw"]);
    assert_eq!(run_with_tty_stdout(cmd), (lines(APP, &[22]), 0));
}

#[test]
fn fields_and_hide_choose_the_key_values() {
    let out = logq()
        .args([
            LOGS,
            "-c",
            "req-abc-123",
            "-o",
            "pretty",
            "--fields",
            "duration_ms,context.organization_id",
            "--no-source",
        ])
        .output()
        .unwrap();
    let want = "\
2024-01-15 10:30:00.123 INFO  [src.api.routes] Request received context.organization_id=org_123
2024-01-15 10:30:00.500 INFO  [projects.service] creating_project
2024-01-15 10:30:01.000 INFO  [audit.projects] Project created
2024-01-15 10:30:01.800 INFO  [projects.service] project_created
2024-01-15 10:30:02.456 INFO  [src.api.routes] Request completed duration_ms=2333 context.organization_id=org_123
";
    check(&out, want, "", 0);
    let out = logq()
        .args([
            LOGS,
            "-c",
            "req-abc-123",
            "-o",
            "pretty",
            "--hide",
            "context,cid",
            "--hide",
            "service,extra.user_id",
            "--no-source",
        ])
        .output()
        .unwrap();
    let want = "\
2024-01-15 10:30:00.123 INFO  [src.api.routes] Request received
2024-01-15 10:30:00.500 INFO  [projects.service] creating_project project_name=demo
2024-01-15 10:30:01.000 INFO  [audit.projects] Project created
2024-01-15 10:30:01.800 INFO  [projects.service] project_created duration_sec=1.3
2024-01-15 10:30:02.456 INFO  [src.api.routes] Request completed duration_ms=2333
";
    check(&out, want, "", 0);
}

#[test]
fn fields_naming_an_object_show_all_its_leaves() {
    let out = logq()
        .args([
            &fixture(AUDIT),
            "-o",
            "pretty",
            "-n",
            "1",
            "--fields",
            "extra,levelname",
        ])
        .output()
        .unwrap();
    let want = "2024-01-15 08:15:00.000 INFO  [audit.auth] User logged in \
                extra.request_id=req-aud-1 extra.user_id=u_1001 levelname=INFO\n";
    check(&out, want, "", 0);
}

#[test]
fn time_format_local_and_utc() {
    let run = |tz: &str, args: &[&str]| {
        logq()
            .env("TZ", tz)
            .args([&fixture(APP), "-o", "pretty", "-n", "1"])
            .args(args)
            .output()
            .unwrap()
    };
    // JST-9 is a POSIX TZ string (UTC+9), so no time zone database is needed.
    let msg = "INFO  [src.workers.scheduler] Scheduler started\n";
    check(
        &run("UTC", &["--time-format", "%H:%M"]),
        &format!("08:00 {msg}"),
        "",
        0,
    );
    check(
        &run("JST-9", &[]),
        &format!("2024-01-15 08:00:00.000 {msg}"),
        "",
        0,
    );
    check(
        &run("JST-9", &["--utc"]),
        &format!("2024-01-15 08:00:00.000 {msg}"),
        "",
        0,
    );
    check(
        &run("JST-9", &["--local"]),
        &format!("2024-01-15 17:00:00.000 {msg}"),
        "",
        0,
    );
    check(
        &run("JST-9", &["--local", "--time-format", "%d/%m %H:%M:%S %z"]),
        &format!("15/01 17:00:00 +0900 {msg}"),
        "",
        0,
    );
    check(
        &run("UTC", &["--time-format", "%Q"]),
        "",
        "logq: invalid --time-format '%Q'\n",
        2,
    );
    let out = run("UTC", &["--local", "--utc"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn multi_line_messages_and_tracebacks_are_indented() {
    let out = logq()
        .args([&fixture(APP), "-o", "pretty", "-g", "Traceback"])
        .output()
        .unwrap();
    let want = "\
2024-01-15 10:45:10.000 ERROR [src.services.whatsapp_client] Failed to send message to +4915112345678 context.organization_id=org_123
    Traceback (most recent call last):
      File \"/app/src/services/whatsapp_client.py\", line 88, in send_message
        response.raise_for_status()
      File \"/usr/local/lib/python3.11/site-packages/httpx/_models.py\", line 761, in raise_for_status
        raise HTTPStatusError(message, request=request, response=self)
    httpx.HTTPStatusError: Server error '503 Service Unavailable' for url 'https://graph.facebook.com/v18.0/123456/messages'
";
    check(&out, want, "", 0);
    // Text tracebacks, blank lines included (no trailing spaces).
    let out = logq()
        .args([
            &fixture("formats/loguru_default.log"),
            "-o",
            "pretty",
            "-l",
            "=error",
        ])
        .output()
        .unwrap();
    let want = "\
2024-01-15 10:30:03.000 ERROR [app.worker] Job 7 failed
    Traceback (most recent call last):

      File \"/app/app/main.py\", line 95, in <module>
        main()
        └ <function main at 0x7f3a2c1e5d30>

    > File \"/app/app/worker.py\", line 88, in process
        result = compute(job)
                 │       └ <Job id=7>
                 └ <function compute at 0x7f3a2c1e5e50>

      File \"/app/app/worker.py\", line 12, in compute
        raise ValueError(\"bad input\")

    ValueError: bad input
";
    check(&out, want, "", 0);
}

#[test]
fn ansi_escapes_in_log_data_never_reach_the_terminal() {
    let run = |format: &str| {
        logq()
            .args([
                &fixture(APP),
                "-g",
                "Colour",
                "-o",
                format,
                "--color",
                "always",
            ])
            .output()
            .unwrap()
    };
    let out = run("pretty");
    let text = stdout(&out);
    assert!(
        text.contains("Colour leaked into log: \\x1b[31mred\\x1b[0m"),
        "{text:?}"
    );
    // Only the printer's own colour codes remain.
    let stripped = text.replace(&format!("{ESC}[0m"), "");
    assert!(!stripped.contains(&format!("{ESC}[31m")), "{text:?}");
    let out = run("logfmt");
    assert_eq!(
        stdout(&out),
        "time=2024-01-15T11:20:00Z level=info module=src.api.routes \
         msg=\"Colour leaked into log: \\u001b[31mred\\u001b[0m\"\n"
    );
    let out = run("json");
    assert!(!stdout(&out).contains(ESC));
    // Control characters in keys and values of other fields too.
    let out = logq()
        .args(["-o", "pretty"])
        .write_stdin(
            "{\"message\":\"a\\rb\",\"k\\u001b\":\"v\\u0007\",\"n\":{\"x\":\"\\u009b\"}}\n",
        )
        .output()
        .unwrap();
    check(
        &out,
        "                          -   a\\rb k\\x1b=\"v\\u0007\" n.x=\"\\u{9b}\"\n",
        "",
        0,
    );
}

#[test]
fn crlf_lines_keep_their_bytes_raw_and_lose_the_cr_when_pretty() {
    let data = "{\"level\":\"error\",\"message\":\"crlf\"}\r\n\
                2024-01-15 10:00:00,000 - m - ERROR - text\r\nTraceback (most recent call last):\r\n  x\r\n";
    let out = logq().write_stdin(data).output().unwrap();
    check(&out, data, "", 0);
    let out = logq()
        .args(["-o", "pretty"])
        .write_stdin(data)
        .output()
        .unwrap();
    check(
        &out,
        "                        ERROR crlf\n\
         2024-01-15 10:00:00.000 ERROR [m] text\n    Traceback (most recent call last):\n      x\n",
        "",
        0,
    );
}

#[test]
fn raw_escape_bytes_in_a_text_log_are_escaped_when_pretty_and_kept_when_raw() {
    let data = "2024-01-15 10:00:00,000 - m - WARNING - \x1b[31mred\x1b[0m \x07bell\n\
                \t\x1b]0;title\x07 continuation\n";
    let out = logq().write_stdin(data).output().unwrap();
    check(&out, data, "", 0);
    let out = logq()
        .args(["-o", "pretty"])
        .write_stdin(data)
        .output()
        .unwrap();
    check(
        &out,
        "2024-01-15 10:00:00.000 WARN  [m] \\x1b[31mred\\x1b[0m \\x07bell\n    \t\\x1b]0;title\\x07 continuation\n",
        "",
        0,
    );
}

/// Python exceptions logged into JSON string fields (python-json-logger,
/// structlog, a loguru sink, ECS) and a structlog dict traceback; written by
/// `tests/fixtures/multiline_fields.py` with the real libraries.
const MULTILINE: &str = "formats/multiline_fields.jsonl";

#[test]
fn multi_line_fields_and_dict_tracebacks_are_indented_blocks() {
    let out = logq()
        .args([&fixture(MULTILINE), "-o", "pretty", "--color", "never"])
        .output()
        .unwrap();
    let want = "\
2024-01-15 10:30:00.000 INFO  [app.api] request received cid=req-ml-1
2024-01-15 10:30:01.000 ERROR [app.billing] payment failed cid=req-ml-1
    exc_info:
      Traceback (most recent call last):
        File \"/app/multiline_fields.py\", line 42, in charge
          return parse_amount(text)
                 ^^^^^^^^^^^^^^^^^^
        File \"/app/multiline_fields.py\", line 37, in parse_amount
          return int(text)
                 ^^^^^^^^^
      ValueError: invalid literal for int() with base 10: '12x'

      The above exception was the direct cause of the following exception:

      Traceback (most recent call last):
        File \"/app/multiline_fields.py\", line 81, in python_json_logger
          charge(\"12x\")
        File \"/app/multiline_fields.py\", line 44, in charge
          raise RuntimeError(\"charge failed\") from e
      RuntimeError: charge failed
2024-01-15 10:30:02.000 WARN  [app.router] slow path taken cid=req-ml-1
    stack_info:
      Stack (most recent call last):
        File \"/app/multiline_fields.py\", line 185, in <module>
          main()
        File \"/app/multiline_fields.py\", line 165, in main
          lines += python_json_logger()
        File \"/app/multiline_fields.py\", line 85, in python_json_logger
          log2.warning(\"slow path taken\", stack_info=True, extra={\"request_id\": CID})
2024-01-15 10:30:03.000 ERROR [app.jobs] charge_failed cid=req-ml-1
    exception:
      Traceback (most recent call last):
        File \"/app/multiline_fields.py\", line 42, in charge
          return parse_amount(text)
                 ^^^^^^^^^^^^^^^^^^
        File \"/app/multiline_fields.py\", line 37, in parse_amount
          return int(text)
                 ^^^^^^^^^
      ValueError: invalid literal for int() with base 10: '12x'

      The above exception was the direct cause of the following exception:

      Traceback (most recent call last):
        File \"/app/multiline_fields.py\", line 103, in structlog_line
          load_config() if second == 4 else charge(\"12x\")
                                            ^^^^^^^^^^^^^
        File \"/app/multiline_fields.py\", line 44, in charge
          raise RuntimeError(\"charge failed\") from e
      RuntimeError: charge failed
2024-01-15 10:30:04.000 ERROR [app.jobs] config_failed cid=req-ml-1
    exception:
      Traceback (most recent call last):
        File \"/app/multiline_fields.py\", line 49, in load_config
      KeyError: 'pool'

      During handling of the above exception, another exception occurred:

      Traceback (most recent call last):
        File \"/app/multiline_fields.py\", line 103, in structlog_line
        File \"/app/multiline_fields.py\", line 51, in load_config
      ZeroDivisionError: division by zero
2024-01-15 10:30:05.000 ERROR [app.worker] job crashed cid=req-ml-1
    exception:
      Traceback (most recent call last):
        File \"/app/multiline_fields.py\", line 42, in charge
          return parse_amount(text)
                 ^^^^^^^^^^^^^^^^^^
        File \"/app/multiline_fields.py\", line 37, in parse_amount
          return int(text)
                 ^^^^^^^^^
      ValueError: invalid literal for int() with base 10: '12x'

      The above exception was the direct cause of the following exception:

      Traceback (most recent call last):
        File \"/app/multiline_fields.py\", line 134, in loguru_sink
          charge(\"12x\")
        File \"/app/multiline_fields.py\", line 44, in charge
          raise RuntimeError(\"charge failed\") from e
      RuntimeError: charge failed
2024-01-15 10:30:06.000 ERROR [app.payments] charge rejected error.message=\"charge failed\" error.type=RuntimeError cid=req-ml-1
    error.stack_trace:
        File \"/app/multiline_fields.py\", line 146, in ecs
          charge(\"12x\")
        File \"/app/multiline_fields.py\", line 44, in charge
          raise RuntimeError(\"charge failed\") from e
";
    check(&out, want, "", 0);
}

#[test]
fn fields_and_hide_choose_the_blocks_too() {
    let out = logq()
        .args([&fixture(MULTILINE), "-o", "pretty", "--color", "never"])
        .args(["--fields", "error,logger"])
        .output()
        .unwrap();
    let want = "\
2024-01-15 10:30:00.000 INFO  [app.api] request received logger=app.api
2024-01-15 10:30:01.000 ERROR [app.billing] payment failed logger=app.billing
2024-01-15 10:30:02.000 WARN  [app.router] slow path taken logger=app.router
2024-01-15 10:30:03.000 ERROR [app.jobs] charge_failed logger=app.jobs
2024-01-15 10:30:04.000 ERROR [app.jobs] config_failed logger=app.jobs
2024-01-15 10:30:05.000 ERROR [app.worker] job crashed logger=app.worker
2024-01-15 10:30:06.000 ERROR [app.payments] charge rejected error.message=\"charge failed\" error.type=RuntimeError logger=app.payments
    error.stack_trace:
        File \"/app/multiline_fields.py\", line 146, in ecs
          charge(\"12x\")
        File \"/app/multiline_fields.py\", line 44, in charge
          raise RuntimeError(\"charge failed\") from e
";
    check(&out, want, "", 0);
    let out = logq()
        .args([&fixture(MULTILINE), "-o", "pretty", "--color", "never"])
        .args([
            "--hide",
            "exc_info,stack_info,exception,error",
            "-l",
            "warn",
        ])
        .output()
        .unwrap();
    let want = "\
2024-01-15 10:30:01.000 ERROR [app.billing] payment failed cid=req-ml-1
2024-01-15 10:30:02.000 WARN  [app.router] slow path taken cid=req-ml-1
2024-01-15 10:30:03.000 ERROR [app.jobs] charge_failed cid=req-ml-1
2024-01-15 10:30:04.000 ERROR [app.jobs] config_failed cid=req-ml-1
2024-01-15 10:30:05.000 ERROR [app.worker] job crashed cid=req-ml-1
2024-01-15 10:30:06.000 ERROR [app.payments] charge rejected cid=req-ml-1
";
    check(&out, want, "", 0);
}

#[test]
fn json_logfmt_and_raw_keep_multi_line_fields_on_one_line() {
    let file = fixture_bytes(MULTILINE);
    let out = logq()
        .args([&fixture(MULTILINE), "-o", "raw"])
        .output()
        .unwrap();
    check(&out, std::str::from_utf8(&file).unwrap(), "", 0);
    for format in ["json", "logfmt"] {
        let out = logq()
            .args([&fixture(MULTILINE), "-o", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = stdout(&out);
        assert_eq!(
            text.lines().count(),
            7,
            "{format}: one line per record\n{text}"
        );
        assert!(
            text.contains("RuntimeError: charge failed\\n"),
            "{format}: newlines stay escaped\n{text}"
        );
    }
    let out = logq()
        .args([&fixture(MULTILINE), "-o", "json", "-g", "config_failed"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v["fields"]["exception"][1]["exc_type"], "KeyError",
        "a dict traceback stays JSON"
    );
}
