//! Hostile values in logs and file names (issue 13): control and bidi
//! characters never reach the terminal, nothing silently becomes null, deep
//! nesting and long chains neither overflow the stack nor balloon.

use crate::util::{check, logq, logq_std, tempdir, write};

/// A record whose category would write the clipboard (OSC 52) and clear the
/// screen if printed as is.
const OSC52: &str = r#"{"ts":"2024-01-15T10:00:00Z","level":"info","msg":"m","category":"x\u001b]52;c;ZXZpbA==\u0007\u001b[2J"}"#;

#[test]
fn count_by_category_escapes_osc52_and_clear_screen() {
    let dir = tempdir();
    let path = write(dir.path(), "a.jsonl", format!("{OSC52}\n").as_bytes());
    let out = logq()
        .args([&path, "--count", "--by", "category"])
        .output()
        .unwrap();
    check(&out, "x\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J  1\n", "", 0);
}

#[test]
fn file_name_with_esc_and_bel_is_escaped_in_errors() {
    let dir = tempdir();
    let path = dir.path().join("no\x1b[2J\x07pe.jsonl");
    let out = logq().arg(&path).output().unwrap();
    let shown = format!("{}/no\\x1b[2J\\x07pe.jsonl", dir.path().display());
    check(
        &out,
        "",
        &format!("logq: {shown}: no such file or directory\n"),
        2,
    );
}

#[test]
fn file_name_with_osc_is_escaped_in_warnings() {
    let dir = tempdir();
    write(
        dir.path(),
        "a\x1b]0;title\x07b.jsonl",
        b"garbage\n{\"level\":\"info\",\"msg\":\"ok\"}\n",
    );
    let out = logq().arg(dir.path()).output().unwrap();
    check(
        &out,
        "{\"level\":\"info\",\"msg\":\"ok\"}\n",
        &format!(
            "logq: warning: 1 line in {}/a\\x1b]0;title\\x07b.jsonl is not a JSON or log \
             record; --show-invalid to see them\n",
            dir.path().display()
        ),
        0,
    );
}

const BIDI: &str = concat!(
    r#"{"ts":"2024-01-15T10:00:00Z","level":"info","msg":"pay \u202e gnp.exe","request_id":"r-1","module":"m\u202eod","user":"\u2066x\u2069"}"#,
    "\n",
    r#"{"ts":"2024-01-15T10:00:01Z","level":"error","msg":"done\u061c\u200f","request_id":"r-1","module":"api"}"#,
    "\n"
);

#[test]
fn bidi_controls_are_escaped_in_pretty_output() {
    let dir = tempdir();
    let path = write(dir.path(), "app.jsonl", BIDI.as_bytes());
    let out = logq().args([&path, "-o", "pretty"]).output().unwrap();
    check(
        &out,
        "2024-01-15 10:00:00.000 INFO  [m\\u{202e}od] pay \\u{202e} gnp.exe user=\\u{2066}x\\u{2069} cid=r-1\n\
         2024-01-15 10:00:01.000 ERROR [api] done\\u{61c}\\u{200f} cid=r-1\n",
        "",
        0,
    );
}

#[test]
fn bidi_controls_are_escaped_in_trace_output() {
    let dir = tempdir();
    let path = write(dir.path(), "app.jsonl", BIDI.as_bytes());
    let out = logq().args(["trace", "r-1", &path]).output().unwrap();
    let o = crate::util::stdout(&out);
    assert!(
        o.contains("m\\u{202e}od  INFO   pay \\u{202e} gnp.exe"),
        "{o}"
    );
    assert!(o.contains("ERROR  done\\u{61c}\\u{200f}"), "{o}");
    assert!(!o.contains(['\u{202e}', '\u{61c}', '\u{200f}']), "{o}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn bidi_controls_are_escaped_in_stats_output() {
    let dir = tempdir();
    let path = write(dir.path(), "app.jsonl", BIDI.as_bytes());
    let out = logq()
        .args(["stats", &path, "--by", "module"])
        .output()
        .unwrap();
    let o = crate::util::stdout(&out);
    assert!(o.contains("\nm\\u{202e}od "), "{o}");
    assert!(!o.contains('\u{202e}'), "{o}");
    assert_eq!(out.status.code(), Some(0));
}

/// Runs `logq ARGS` with its address space capped at `limit` bytes
/// (`RLIMIT_AS`) and killed after a generous deadline: `(stdout, stderr,
/// exit code)`; a stack overflow or an abort shows as a code above 128 or
/// `None`.
fn run_limited(args: &[&str], limit: u64) -> (String, String, Option<i32>) {
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    let mut cmd = logq_std();
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe and touches no memory of the
    // parent; it only lowers a limit of the child about to exec.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = cmd.spawn().expect("spawn logq");
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(out) => {
            let out = out.expect("wait logq");
            (
                crate::util::stdout(&out),
                crate::util::stderr(&out),
                out.status.code(),
            )
        }
        Err(_) => {
            // SAFETY: kill on the pid of our own child, which has not been
            // reaped (the waiting thread is still blocked on it).
            unsafe { libc::kill(id as libc::pid_t, libc::SIGKILL) };
            panic!("logq {:?} did not end within {DEADLINE:?}", &args[..1]);
        }
    }
}

/// Far more than any of these runs needs; a hang is caught, not waited out.
const DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);

/// The address space a deep or long expression may use: a run with a
/// handful of threads stays well under it, a ballooning one does not.
const LIMIT: u64 = 1 << 30;

const LOGS: &str = "tests/fixtures/logs";

/// What `--count` prints for the records of the reference layout that one
/// short filter (`-q EXPR` or `--jq EXPR`) selects.
fn count_of(flag: &str, expr: &str) -> String {
    let out = logq().args([LOGS, flag, expr, "--count"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    crate::util::stdout(&out)
}

#[test]
fn jq_or_chain_of_5000_terms_does_not_overflow_the_stack() {
    let mut terms: Vec<String> = (0..5000).map(|i| format!(".level == \"x{i}\"")).collect();
    terms.push(".level == \"error\"".into());
    let jq = format!("select({})", terms.join(" or "));
    let got = run_limited(&[LOGS, "--jq", &jq, "--count"], LIMIT);
    let want = count_of("--jq", r#"select(.level == "error")"#);
    assert_eq!(want, "2\n");
    assert_eq!(got, (want, String::new(), Some(0)));
}

#[test]
fn jq_and_chain_of_5000_terms_does_not_overflow_the_stack() {
    let mut terms: Vec<String> = (0..5000).map(|i| format!(".level != \"x{i}\"")).collect();
    terms.push(".level == \"error\"".into());
    let jq = format!("select({})", terms.join(" and "));
    let got = run_limited(&[LOGS, "--jq", &jq, "--count"], LIMIT);
    let want = count_of("--jq", r#"select(.level == "error")"#);
    assert_eq!(want, "2\n");
    assert_eq!(got, (want, String::new(), Some(0)));
}

#[test]
fn query_or_chain_of_5000_terms_does_not_overflow_the_stack() {
    let mut terms = vec!["msg = zz"; 5000];
    terms.push("level = error");
    let q = terms.join(" or ");
    let got = run_limited(&[LOGS, "-q", &q, "--count"], LIMIT);
    let want = count_of("-q", "level = error");
    assert_eq!(want, "10\n");
    assert_eq!(got, (want, String::new(), Some(0)));
}

#[test]
fn query_and_chain_of_5000_terms_does_not_overflow_the_stack() {
    let mut terms = vec!["not msg = zz"; 5000];
    terms.push("level = error");
    let q = terms.join(" and ");
    let got = run_limited(&[LOGS, "-q", &q, "--count"], LIMIT);
    assert_eq!(
        got,
        (count_of("-q", "level = error"), String::new(), Some(0))
    );
}

/// 60,000 parentheses each side: the most one argument can hold (Linux caps
/// an argument at 128 KiB), far past the documented 64 levels.
#[test]
fn query_nested_60000_deep_is_a_clear_error() {
    let q = format!("{}level = error{}", "(".repeat(60_000), ")".repeat(60_000));
    let got = run_limited(&[LOGS, "-q", &q, "--count"], LIMIT);
    let want = format!(
        "logq: -q: query nested too deeply (more than 64 levels) at column 66\n  …{}…\n{:>44}\n",
        "(".repeat(80),
        "^"
    );
    assert_eq!(got, (String::new(), want, Some(2)));
}

#[test]
fn jq_nested_60000_deep_is_a_clear_error() {
    let jq = format!(
        "select({}.level == \"error\"{})",
        "(".repeat(60_000),
        ")".repeat(60_000)
    );
    let got = run_limited(&[LOGS, "--jq", &jq, "--count"], LIMIT);
    let want = format!(
        "logq: --jq: filter nested too deeply (more than 64 levels) at column 72\n  …{}…\n{:>44}\n",
        "(".repeat(80),
        "^"
    );
    assert_eq!(got, (String::new(), want, Some(2)));
}

#[test]
fn jq_chain_with_try_over_64_terms_is_refused() {
    let terms = vec!["(.level == 1)?"; 65];
    let jq = format!("select({})", terms.join(" or "));
    let out = logq().args([LOGS, "--jq", &jq]).output().unwrap();
    let e = crate::util::stderr(&out);
    assert!(
        e.starts_with(
            "logq: --jq: an 'or' chain with '?' or try has more than 64 operands; \
             split it into several --jq filters at column 8\n"
        ),
        "{e}"
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn threads_100000_is_refused_not_hung() {
    let got = run_limited(&[LOGS, "-j", "100000", "--count"], LIMIT);
    assert_eq!(
        got,
        (
            String::new(),
            "logq: --threads must be at most 256 (got 100000)\n".into(),
            Some(2)
        )
    );
}

/// A record holding a value nested `depth` levels and a number past f64.
fn deep_record(depth: usize) -> String {
    format!(
        "{{\"level\":\"info\",\"msg\":\"m\",\"big\":1e400,\"deep\":{}{}}}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

#[test]
fn deep_nesting_and_huge_numbers_keep_their_text_in_json_logfmt_pretty() {
    let dir = tempdir();
    let path = write(dir.path(), "n.jsonl", deep_record(200).as_bytes());
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let json = format!(
        "{{\"timestamp\":null,\"level\":\"INFO\",\"message\":\"m\",\"module\":null,\
         \"category\":null,\"cid\":null,\"service\":null,\"source\":\"{path}:1\",\
         \"fields\":{{\"big\":\"1e400\",\"deep\":\"{deep}\"}}}}\n"
    );
    let category = dir
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let json = json.replace("\"category\":null", &format!("\"category\":\"{category}\""));
    for (format, want) in [
        ("json", json),
        (
            "logfmt",
            format!("level=info msg=m big=1e400 deep={deep}\n"),
        ),
        (
            "pretty",
            format!("                        INFO  m big=\"1e400\" deep=\"{deep}\"\n"),
        ),
    ] {
        let out = logq().args([&path, "-o", format]).output().unwrap();
        check(&out, &want, "", 0);
    }
}

#[test]
fn nesting_100000_deep_is_kept_without_overflowing_the_stack() {
    let dir = tempdir();
    let path = write(dir.path(), "d.jsonl", deep_record(100_000).as_bytes());
    for format in ["json", "logfmt", "pretty", "raw"] {
        let (o, e, code) = run_limited(&[&path, "-o", format], LIMIT);
        assert_eq!((e.as_str(), code), ("", Some(0)), "{format}");
        assert!(o.contains(&"[".repeat(100_000)), "{format}");
        assert!(
            !o.contains("deep\":null") && !o.contains("deep=null"),
            "{format}"
        );
    }
}

#[test]
fn since_and_until_before_1677_are_not_read_as_2262() {
    let out = logq()
        .args([LOGS, "--since", "1600-01-01", "--count"])
        .output()
        .unwrap();
    let all = logq().args([LOGS, "--count"]).output().unwrap();
    check(&out, &crate::util::stdout(&all), "", 0);
    let out = logq()
        .args([LOGS, "--until", "1600-01-01", "--count"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(crate::util::stdout(&out).starts_with("0\n"));
}

#[test]
fn since_age_past_the_calendar_is_an_error_not_a_panic() {
    let out = logq()
        .args([LOGS, "--since", "-100000000d", "--count"])
        .output()
        .unwrap();
    check(
        &out,
        "",
        "logq: --since: invalid time '-100000000d': too far in the past\n",
        2,
    );
}

/// Record times before 1677, after 2262 and negative epochs are instants,
/// in order, and shown as written (they were null: issue 13).
#[test]
fn record_times_across_the_calendar_keep_their_instant() {
    // One record per file: the merge orders them by time.
    let dir = crate::util::tempdir();
    let lines = [
        r#"{"timestamp":"9999-12-31T23:59:59.5Z","level":"info","message":"last"}"#,
        r#"{"timestamp":"1600-01-01T00:00:00Z","level":"info","message":"old"}"#,
        r#"{"ts":-1,"level":"info","message":"before 1970"}"#,
        r#"{"timestamp":"0001-01-01 00:00:00","level":"info","message":"first"}"#,
        r#"{"timestamp":"2300-06-01T12:00:00+02:00","level":"info","message":"future"}"#,
    ];
    for (i, l) in lines.iter().enumerate() {
        crate::util::write(
            dir.path(),
            &format!("cal{i}.jsonl"),
            format!("{l}\n").as_bytes(),
        );
    }
    let path = dir.path().to_string_lossy().into_owned();
    let stamps = |args: &[&str]| -> Vec<String> {
        let out = logq()
            .arg(&path)
            .args(["-o", "json"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(crate::util::stderr(&out), "");
        crate::util::stdout(&out)
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                format!(
                    "{} {}",
                    v["timestamp"].as_str().unwrap_or("null"),
                    v["message"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        stamps(&["--reverse"]),
        [
            "9999-12-31T23:59:59.500Z last",
            "2300-06-01T10:00:00Z future",
            "1969-12-31T23:59:59Z before 1970",
            "1600-01-01T00:00:00Z old",
            "0001-01-01T00:00:00Z first",
        ]
    );
    assert_eq!(
        stamps(&["--since", "1500-01-01", "--until", "1700-01-01"]),
        ["1600-01-01T00:00:00Z old"]
    );
    assert_eq!(stamps(&["-q", "time > 2262-12-31"]).len(), 2);
}
