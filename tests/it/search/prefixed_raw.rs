//! Raw output of records behind a container prefix: the JSON record itself,
//! so `docker compose logs | logq -l error | jq .event` works; text records
//! and unparsed lines as they were; `--keep-prefix` for whole lines.

use crate::util::*;
use std::io::Write;
use std::process::{Command, Stdio};

/// One JSON record behind each kind of prefix, a text record with its
/// traceback behind a compose prefix, and an unparsed prefixed line.
const MIXED: &str = "\
api-1     | {\"ts\":\"2024-03-12T10:00:01Z\",\"level\":\"error\",\"event\":\"payment_failed\"}
\x1b[36mworker-1  | \x1b[0m{\"ts\":\"2024-03-12T10:00:02Z\",\"level\":\"error\",\"event\":\"job_failed\"}
[pod/api-7d9f8b6c5-x2k4q/api] {\"ts\":\"2024-03-12T10:00:03Z\",\"level\":\"error\",\"event\":\"db_down\"}
api-1  | 2024-03-12T10:00:04.123456789Z {\"level\":\"error\",\"event\":\"timeout\"}
2024-03-12T10:00:05.5Z {\"level\":\"error\",\"event\":\"oom\"}
api-1  | 2024-03-12 10:00:06,000 - app.api - ERROR - text error
api-1  | Traceback (most recent call last):
api-1  |   File \"/app/api.py\", line 3, in run
api-1  | ValueError: bad
api-1  | {\"level\":\"error\",\"event\":
";

fn mixed() -> (tempfile::TempDir, String) {
    let dir = tempdir();
    let f = write(dir.path(), "compose.log", MIXED.as_bytes());
    (dir, f)
}

#[test]
fn raw_output_of_a_prefixed_json_line_is_the_json_record() {
    let (_dir, f) = mixed();
    let out = logq()
        .args([&f, "-l", "error", "--show-invalid"])
        .output()
        .unwrap();
    let want = "\
{\"ts\":\"2024-03-12T10:00:01Z\",\"level\":\"error\",\"event\":\"payment_failed\"}
{\"ts\":\"2024-03-12T10:00:02Z\",\"level\":\"error\",\"event\":\"job_failed\"}
{\"ts\":\"2024-03-12T10:00:03Z\",\"level\":\"error\",\"event\":\"db_down\"}
{\"level\":\"error\",\"event\":\"timeout\"}
{\"level\":\"error\",\"event\":\"oom\"}
api-1  | 2024-03-12 10:00:06,000 - app.api - ERROR - text error
api-1  | Traceback (most recent call last):
api-1  |   File \"/app/api.py\", line 3, in run
api-1  | ValueError: bad
api-1  | {\"level\":\"error\",\"event\":
";
    check(&out, want, "", 0);
}

#[test]
fn keep_prefix_keeps_the_whole_line() {
    let (_dir, f) = mixed();
    let out = logq()
        .args([&f, "--show-invalid", "--keep-prefix"])
        .output()
        .unwrap();
    check(&out, MIXED, "", 0);
    // Also in `tail`. The unparsed line does not hold `db_down`: like a
    // search, tail skips it unparsed, and parses it without the fast paths.
    let unparsed = format!(
        "logq: warning: 1 line in {f} is not a JSON or log record; --show-invalid to see them\n"
    );
    for (extra, warning) in [(None, ""), (Some("--no-fast-paths"), unparsed.as_str())] {
        let out = logq()
            .args(["tail", "-n", "1", &f, "-q", "event = db_down"])
            .args(extra)
            .output()
            .unwrap();
        check(
            &out,
            "{\"ts\":\"2024-03-12T10:00:03Z\",\"level\":\"error\",\"event\":\"db_down\"}\n",
            warning,
            0,
        );
        let search = logq()
            .args([&f, "-q", "event = db_down"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(stderr(&search), warning, "{extra:?}");
    }
    let out = logq()
        .args([
            "tail",
            "-n",
            "1",
            &f,
            "-q",
            "event = db_down",
            "--keep-prefix",
        ])
        .output()
        .unwrap();
    check(
        &out,
        "[pod/api-7d9f8b6c5-x2k4q/api] {\"ts\":\"2024-03-12T10:00:03Z\",\"level\":\"error\",\"event\":\"db_down\"}\n",
        "",
        0,
    );
}

#[test]
fn compose_logs_piped_through_logq_into_jq_just_works() {
    let compose = fixture_bytes("formats/docker_compose.log");
    let logq_out = logq()
        .args(["-l", "warn"])
        .write_stdin(compose)
        .output()
        .unwrap();
    check(
        &logq_out,
        &json_bodies("formats/docker_compose.log", &[6, 7]),
        "",
        0,
    );
    let mut jq = Command::new("jq")
        .args(["-c", ".message"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jq on the PATH (apt-get install jq)");
    jq.stdin
        .take()
        .unwrap()
        .write_all(&logq_out.stdout)
        .unwrap();
    let out = jq.wait_with_output().unwrap();
    check(
        &out,
        "\"Job 31 failed: connection reset by peer\"\n\"Slow response\"\n",
        "",
        0,
    );
}
