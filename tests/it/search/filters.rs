//! Filters (SPEC §3, all but `-q` and `--jq`), alone and AND-ed.

use super::*;
use crate::util::*;

/// Runs `logq FILE ARGS` and checks the raw output is exactly these lines
/// of FILE, with exit 0 (or 1 and nothing when `want` is empty).
#[track_caller]
fn keeps(rel: &str, args: &[&str], want: &[usize]) {
    let out = logq().arg(fixture(rel)).args(args).output().unwrap();
    let code = if want.is_empty() { 1 } else { 0 };
    check(&out, &lines(rel, want), "", code);
}

/// Runs `logq ARGS` and checks stdout is exactly these records.
#[track_caller]
fn keeps_records(args: &[&str], want: &[(&str, usize)]) {
    let out = logq().args(args).output().unwrap();
    check(&out, &records(want), "", 0);
}

#[track_caller]
fn usage_error(args: &[&str], message: &str) {
    let out = logq().args(args).output().unwrap();
    check(&out, "", message, 2);
}

#[test]
fn level_warn_keeps_warning_error_and_critical() {
    let warn = [5, 10, 12, 16, 17, 19, 22, 24, 27];
    for spelling in ["warn", "warning", "WARNING", "Warn", "30"] {
        keeps(APP, &["-l", spelling], &warn);
    }
    keeps(APP, &["--level", "error"], &[10, 16, 19, 22, 27]);
    keeps(APP, &["-l", "err"], &[10, 16, 19, 22, 27]);
    keeps(APP, &["-l", "40"], &[10, 16, 19, 22, 27]);
    keeps(APP, &["-l", "fatal"], &[22]);
    keeps(APP, &["-l", "critical"], &[22]);
}

#[test]
fn level_with_equals_is_one_level_exactly() {
    keeps(APP, &["-l", "=error"], &[10, 16, 19, 27]);
    keeps(APP, &["-l", "=warn"], &[5, 12, 17, 24]);
    keeps(APP, &["-l", "=fatal"], &[22]);
    keeps(AUDIT, &["-l", "=warning"], &[4, 5]);
    keeps("formats/epoch.jsonl", &["-l", "=30"], &[3]);
    keeps("formats/loguru_default.log", &["-l", "=success"], &[4]);
}

#[test]
fn unknown_level_is_a_usage_error() {
    usage_error(
        &[LOGS, "-l", "loud"],
        "logq: --level: unknown level 'loud' (expected trace, debug, info, success, warning, \
         error or critical)\n",
    );
}

#[test]
fn module_globs_or_together_and_bang_excludes() {
    keeps(
        APP,
        &["-m", "src.api.*"],
        &[3, 5, 8, 9, 13, 14, 18, 21, 24, 26, 27],
    );
    keeps(APP, &["-m", "*whatsapp*"], &[4, 10, 11, 17, 25]);
    keeps(
        APP,
        &["-m", "src.api.*", "-m", "src.db.*"],
        &[2, 3, 5, 6, 8, 9, 12, 13, 14, 18, 20, 21, 22, 23, 24, 26, 27],
    );
    keeps(
        APP,
        &["-m", "src.*", "-m", "!src.api.*"],
        &[
            1, 2, 4, 6, 7, 10, 11, 12, 15, 16, 17, 19, 20, 22, 23, 25, 28, 29,
        ],
    );
    keeps(APP, &["-m", "!src.*"], &[]);
    keeps(APP, &["--module", "src.api.*", "-l", "error"], &[27]);
    // Records without a module pass only an exclusion.
    keeps(super::INDEX, &["-m", "*"], &[]);
    keeps(super::INDEX, &["-m", "!ingest.*", "--max-count", "1"], &[1]);
}

#[test]
fn cid_matches_any_correlation_field_and_repeats_as_or() {
    keeps_records(
        &[LOGS, "-c", "req-abc-123"],
        &[(APP, 8), (CHAT, 6), (AUDIT, 3), (CHAT, 7), (APP, 9)],
    );
    keeps(
        CHAT,
        &["-c", "req-chat-1", "-c", "req-proj-2"],
        &[3, 4, 5, 17, 18],
    );
    keeps(APP, &["-c", "req-nested-1"], &[14]);
    keeps(ING, &["--cid", "job-abc123", "-l", "error"], &[5, 6]);
    keeps(APP, &["-c", "req-abc"], &[]);
}

#[test]
fn since_until_half_open_with_dates_and_rfc3339() {
    let window: Vec<usize> = (4..=15).collect();
    keeps(
        APP,
        &["--since", "2024-01-15 09:00", "--until", "2024-01-15 12:00"],
        &window,
    );
    keeps(
        APP,
        &[
            "--since",
            "2024-01-15T09:00",
            "--until",
            "2024-01-15T12:00:00",
        ],
        &window,
    );
    keeps(
        APP,
        &[
            "--since",
            "2024-01-15T10:00:00+01:00",
            "--until",
            "2024-01-15T12:00:00Z",
        ],
        &window,
    );
    // Line 7 is 11:05+01:00 = 10:05Z; line 8 is exactly `until`: excluded.
    keeps(
        APP,
        &[
            "--since",
            "2024-01-15T11:05:00+01:00",
            "--until",
            "2024-01-15T10:30:00.123Z",
        ],
        &[7],
    );
    let out = logq()
        .args([LOGS, "--until", "2024-01-15", "--count"])
        .output()
        .unwrap();
    check(&out, "10\n", "", 0);
}

#[test]
fn since_today_yesterday_and_ages_use_the_clock() {
    // LOGQ_NOW is 2024-01-15T12:00:00Z.
    let count = |args: &[&str]| {
        let out = logq().arg(LOGS).args(args).arg("--count").output().unwrap();
        assert_eq!(stderr(&out), "");
        stdout(&out)
    };
    assert_eq!(count(&["--since", "today"]), "81\n");
    assert_eq!(count(&["--since", "yesterday", "--until", "today"]), "10\n");
    keeps(
        GZ,
        &["--since", "yesterday", "--until", "today", "-l", "critical"],
        &[8],
    );
    // -15m = since 11:45; 2h = since 10:00.
    keeps(APP, &["--since", "-15m"], &(15..=29).collect::<Vec<_>>());
    keeps(
        APP,
        &["--since", "2h", "--until", "now"],
        &(7..=15).collect::<Vec<_>>(),
    );
    keeps(APP, &["--since", "now"], &(16..=29).collect::<Vec<_>>());
}

#[test]
fn dates_without_zone_are_local_with_local() {
    let out = logq()
        .env("TZ", "JST-9") // UTC+9, a POSIX TZ string: no tz database needed
        .args([
            &fixture(APP),
            "--local",
            "--since",
            "2024-01-15 18:00",
            "--until",
            "2024-01-15 21:00",
        ])
        .output()
        .unwrap();
    check(&out, &lines(APP, &(4..=15).collect::<Vec<_>>()), "", 0);
}

#[test]
fn bad_time_is_a_usage_error() {
    usage_error(
        &[LOGS, "--since", "soon"],
        "logq: --since: invalid time 'soon' (expected RFC3339, YYYY-MM-DD[ HH:MM[:SS]], today, \
         yesterday, now, or an age like -15m, 2h, 3d)\n",
    );
}

#[test]
fn grep_is_a_regex_on_the_message() {
    keeps(APP, &["-g", "fail"], &[19]);
    keeps(APP, &["-g", "fail", "-i"], &[10, 19]);
    keeps(APP, &["--grep", "^(GET|Report)"], &[3, 18]);
    // The traceback is part of line 10's message.
    keeps(APP, &["-g", "HTTPStatusError"], &[10]);
    // Only the message: org_123 is in `context`.
    keeps(APP, &["-g", "org_123"], &[]);
}

#[test]
fn fixed_strings_make_grep_literal() {
    usage_error(
        &[&fixture(APP), "-g", "+4915"],
        "logq: invalid --grep regex '+4915': regex parse error:\n    +4915\n    ^\nerror: \
         repetition operator missing expression\n",
    );
    keeps(APP, &["-F", "-g", "+4915"], &[10]);
    keeps(APP, &["-F", "-g", "GET /health"], &[3]);
    keeps(APP, &["-F", "-i", "-g", "get /HEALTH"], &[3]);
    keeps(APP, &["-F", "-g", "."], &[10]);
    keeps(APP, &["-g", "."], &(1..=29).collect::<Vec<_>>());
}

#[test]
fn grep_line_searches_the_whole_raw_line() {
    keeps(
        APP,
        &["--grep-line", "-g", "org_123"],
        &[4, 8, 9, 10, 17, 18],
    );
    keeps(
        APP,
        &["--grep-line", "-F", "-g", "\"status\":\"failed\""],
        &[19],
    );
    keeps(
        CHAT,
        &["--grep-line", "-i", "-g", "TELEGRAM_BOT"],
        &[1, 3, 12, 19, 21],
    );
}

#[test]
fn grep_modifiers_need_grep() {
    usage_error(
        &[LOGS, "-F"],
        "logq: -F, -i and --grep-line modify --grep, which is missing\n",
    );
}

#[test]
fn category_is_the_field_else_the_first_folder() {
    let audit: Vec<(&str, usize)> = [1, 2, 3, 4, 6, 7, 8, 9, 10, 11]
        .iter()
        .map(|&n| (AUDIT, n))
        .collect();
    keeps_records(&[LOGS, "--category", "audit"], &audit);
    keeps_records(&[LOGS, "--category", "security"], &[(AUDIT, 5)]);
    let out = logq()
        .args([
            LOGS,
            "--category",
            "chat",
            "--category",
            "security",
            "--count",
        ])
        .output()
        .unwrap();
    check(&out, "22\n", "", 0);
    let out = logq()
        .args([LOGS, "--category", "ingestion", "--count"])
        .output()
        .unwrap();
    check(&out, "20\n", "", 0);
}

#[test]
fn all_filters_are_anded() {
    keeps_records(
        &[LOGS, "-l", "warn", "--category", "app", "-m", "*whatsapp*"],
        &[(GZ, 5), (GZ, 6), (APP, 10), (APP, 17)],
    );
    keeps_records(
        &[
            LOGS,
            "-l",
            "warn",
            "--category",
            "app",
            "-m",
            "*whatsapp*",
            "--since",
            "today",
            "-g",
            "Rate",
        ],
        &[(APP, 17)],
    );
    keeps_records(&[LOGS, "-c", "req-trace-42", "-l", "error"], &[(APP, 16)]);
}

/// The README's table of jq commands and their logq replacements: each
/// replacement keeps the lines the fixture README lists for the jq filter.
#[test]
fn readme_replacements_select_what_jq_selects() {
    keeps(APP, &["-l", "=error"], &[10, 16, 19, 27]);
    keeps(CHAT, &["-l", "=error"], &[10, 19]);
    keeps(APP, &["-l", "=warn"], &[5, 12, 17, 24]);
    keeps(CHAT, &["-l", "=warn"], &[9, 18]);
    keeps(APP, &["-m", "*whatsapp*"], &[4, 10, 11, 17, 25]);
    keeps(CHAT, &["-q", "event = creating_project"], &[6, 17]);
    keeps(
        APP,
        &["-q", "context.organization_id = org_123"],
        &[4, 8, 9, 10, 17, 18],
    );
    keeps(
        APP,
        &["-q", "trace.execution_time_ms > 1000"],
        &[11, 12, 18],
    );
    let either = ["--jq", "select(.duration_ms or .duration_sec)"];
    keeps(APP, &either, &[3, 7, 9, 11, 17, 18, 23, 26]);
    keeps(CHAT, &either, &[5, 7, 15, 16]);
    let out = logq()
        .args(["-l", "=error"])
        .write_stdin(fixture_bytes("formats/docker_compose.log"))
        .output()
        .unwrap();
    check(
        &out,
        &json_bodies("formats/docker_compose.log", &[6]),
        "",
        0,
    );
}
