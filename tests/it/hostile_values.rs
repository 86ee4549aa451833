//! Hostile values in logs and file names (issue 13): control and bidi
//! characters never reach the terminal, nothing silently becomes null, deep
//! nesting and long chains neither overflow the stack nor balloon.

use crate::util::{check, logq, tempdir, write};

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
