//! Answers that explain themselves (issue 10): each message on stderr,
//! exactly, with its exit status and nothing on stdout.

use crate::util::*;

const LOGS: &str = "logs";
const APP: &str = "logs/app/app_2024-01-15.jsonl";

fn config(lines: &str) -> tempfile::NamedTempFile {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), lines).unwrap();
    f
}

#[test]
fn a_bad_config_line_is_named_by_file_and_line() {
    let cfg = config("# defaults\n--local\n--colour=always\n");
    let out = logq()
        .env("LOGQ_CONFIG", cfg.path())
        .args(["-l", "error", &fixture(APP)])
        .output()
        .unwrap();
    check(
        &out,
        "",
        &format!(
            "logq: {}:3: unexpected argument '--colour' found; tip: a similar argument exists: '--color'\n",
            cfg.path().display()
        ),
        2,
    );
    // After a subcommand too, and for a value clap refuses.
    let cfg = config("--color=blue\n");
    let out = logq()
        .env("LOGQ_CONFIG", cfg.path())
        .args(["stats", &fixture(APP)])
        .output()
        .unwrap();
    check(
        &out,
        "",
        &format!(
            "logq: {}:1: invalid value 'blue' for '--color <COLOR>'; [possible values: auto, always, never]\n",
            cfg.path().display()
        ),
        2,
    );
}

#[test]
fn a_bad_flag_on_the_command_line_is_still_clap_s_to_explain() {
    let cfg = config("--local\n");
    let out = logq()
        .env("LOGQ_CONFIG", cfg.path())
        .args(["--colour", "always", &fixture(APP)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(
        err.starts_with("error: unexpected argument '--colour' found"),
        "{err}"
    );
    assert!(!err.contains(&cfg.path().display().to_string()), "{err}");
}

#[test]
fn a_folder_without_log_files_says_what_it_looked_for() {
    let dir = tempdir();
    write(dir.path(), "notes.txt", b"{\"level\":\"error\"}\n");
    write(dir.path(), "sub/app.jsonl.bak", b"{\"level\":\"error\"}\n");
    let root = dir.path().display().to_string();
    let want = format!(
        "logq: {root}: no log files (looked for *.jsonl, *.json, *.log, their rotated copies (*.log.1, *.log.2024-03-11) and the same compressed (.gz, .zst, .bz2, .xz)); 2 other files there: --glob '*' to include them\n"
    );
    for args in [
        vec![],
        vec!["--count"],
        vec!["--count", "--by", "level"],
        vec!["stats"],
        vec!["tail"],
        vec!["trace", "req-1"],
    ] {
        let out = logq().args(&args).arg(&root).output().unwrap();
        check(&out, "", &want, 2);
    }
    // The default folder is no different (stdin on a terminal is not read).
    let mut cmd = logq_std();
    cmd.env("LOGQ_DIR", &root).args(["-l", "error"]);
    let out = run_with_tty_stdin(cmd);
    check(&out, "", &want, 2);
}

#[test]
fn an_empty_folder_beside_real_inputs_is_an_error_but_they_are_searched() {
    let dir = tempdir();
    let root = dir.path().display().to_string();
    let out = logq()
        .args(["-o", "raw", "-l", "critical", "--glob", "*.txt"])
        .arg(&root)
        .arg(fixture(APP))
        .output()
        .unwrap();
    check(
        &out,
        &lines(APP, &[22]),
        &format!("logq: {root}: no log files (looked for --glob '*.txt')\n"),
        2,
    );
}

#[test]
fn a_mistyped_subcommand_is_suggested_and_nothing_is_searched() {
    for (typed, meant) in [
        ("serach", "search"),
        ("stat", "stats"),
        ("trcae", "trace"),
        ("tial", "tail"),
    ] {
        let out = logq().args([typed, &fixture(LOGS)]).output().unwrap();
        let want = format!(
            "logq: '{typed}' is not a file or folder; did you mean the subcommand '{meant}'?\n"
        );
        check(&out, "", &want, 2);
    }
    // Flags the mistyped subcommand would take are no different.
    let out = logq()
        .args(["tial", "-f", &fixture(LOGS)])
        .output()
        .unwrap();
    check(
        &out,
        "",
        "logq: 'tial' is not a file or folder; did you mean the subcommand 'tail'?\n",
        2,
    );
    // A missing file that is no subcommand's name is reported as before,
    // and the other paths are searched.
    let out = logq()
        .args([
            "-o",
            "raw",
            "-l",
            "critical",
            "missing.jsonl",
            &fixture(APP),
        ])
        .output()
        .unwrap();
    check(
        &out,
        &lines(APP, &[22]),
        "logq: missing.jsonl: no such file or directory\n",
        2,
    );
}

#[test]
fn a_field_no_record_has_is_pointed_out_with_the_nearest_name() {
    let out = logq()
        .args(["-q", "durationms > 1000", &fixture(LOGS)])
        .output()
        .unwrap();
    check(
        &out,
        "",
        "logq: no record read has a field 'durationms'; did you mean 'duration_ms'?\n",
        1,
    );
    let out = logq()
        .args(["--jq", r#"select(.context.organisation_id == "org_1")"#])
        .args(["--count", &fixture(LOGS)])
        .output()
        .unwrap();
    check(
        &out,
        "0\n",
        "logq: no record read has a field 'context.organisation_id'; did you mean 'context.organization_id'?\n",
        1,
    );
    let out = logq()
        .args([
            "stats",
            "-q",
            "exists(nothing_like_it)",
            "--json",
            &fixture(APP),
        ])
        .output()
        .unwrap();
    assert_eq!(
        stderr(&out),
        "logq: no record read has a field 'nothing_like_it'\n"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn no_field_hint_when_the_field_exists_or_something_matched() {
    // The field exists; no value is large enough.
    let out = logq()
        .args(["-q", "duration_ms > 99999999", &fixture(LOGS)])
        .output()
        .unwrap();
    check(&out, "", "", 1);
    // Something matched: the other field's absence is no answer to give.
    let out = logq()
        .args(["-o", "raw", "-q", "duration_ms > 1400 or durationms > 1"])
        .arg(fixture(APP))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
}

/// Lines the prefilter skips unparsed may hold the field: a hint would be a
/// claim about records never looked at.
#[test]
fn lines_skipped_unparsed_are_not_claimed_to_lack_the_field() {
    let dir = tempdir();
    let mut data = String::new();
    for i in 0..200 {
        if i == 150 {
            data.push_str("{\"msg\":\"other\",\"durationms\":5}\n");
        } else {
            data.push_str(&format!("{{\"msg\":\"line {i}\"}}\n"));
        }
    }
    let path = write(dir.path(), "a.jsonl", data.as_bytes());
    // `msg = needle` lets only lines holding "needle" through to the parser.
    // Field names come from the first records of each chunk: with small
    // chunks line 151 is among them, with one chunk it is not.
    for (chunk, hint) in [("64", "; did you mean 'durationms'?"), ("1000000", "")] {
        let out = logq()
            .args([
                "-q",
                "msg = needle and durationms > 1",
                "--chunk-size",
                chunk,
            ])
            .arg(&path)
            .output()
            .unwrap();
        check(&out, "", "", 1);
        let out = logq()
            .args([
                "-q",
                "msg = needle and duration_ms > 1",
                "--chunk-size",
                chunk,
            ])
            .arg(&path)
            .output()
            .unwrap();
        check(
            &out,
            "",
            &format!("logq: no record read has a field 'duration_ms'{hint}\n"),
            1,
        );
    }
}

#[test]
fn a_value_that_cannot_be_ordered_is_an_error() {
    let out = logq()
        .args(["-q", "duration_ms > abc", &fixture(APP)])
        .output()
        .unwrap();
    check(
        &out,
        "",
        "logq: -q: 'abc' is not a number, time or level; '>' needs one (quote it to compare text: \"abc\") at column 15\n  duration_ms > abc\n                ^\n",
        2,
    );
    // Quoted, it is text, compared as text.
    let out = logq()
        .args(["-o", "raw", "-q", r#"logger_name > "src.workers""#])
        .arg(fixture(APP))
        .output()
        .unwrap();
    check(&out, &lines(APP, &[1, 15, 16, 19, 28, 29]), "", 0);
}

#[test]
fn count_by_takes_any_field_or_role() {
    let out = logq()
        .args(["--count", "--by", "level", &fixture(LOGS)])
        .output()
        .unwrap();
    check(
        &out,
        "DEBUG     7\nINFO      63\nWARNING   9\nERROR     10\nCRITICAL  2\n",
        "",
        0,
    );
    let out = logq()
        .args(["--count", "--by", "level", "-o", "json", &fixture(LOGS)])
        .output()
        .unwrap();
    check(
        &out,
        "{\"DEBUG\":7,\"INFO\":63,\"WARNING\":9,\"ERROR\":10,\"CRITICAL\":2}\n",
        "",
        0,
    );
    let out = logq()
        .args(["--count", "--by", "context.organization_id", &fixture(LOGS)])
        .output()
        .unwrap();
    check(&out, "-        79\norg_123  8\norg_456  4\n", "", 0);
    let out = logq()
        .args(["--count", "--by", "category", &fixture(LOGS)])
        .output()
        .unwrap();
    check(
        &out,
        "app        39\naudit      10\nchat       21\ningestion  20\nsecurity   1\n",
        "",
        0,
    );
}
