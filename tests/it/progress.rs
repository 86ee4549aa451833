//! The progress line on stderr (issue 10): drawn on a terminal only, in one
//! format, and always erased. `LOGQ_PROGRESS_AFTER_MS=0` draws it as soon
//! as the scan begins, so no test depends on how long a run takes.

#![cfg(unix)]

use crate::util::*;

const APP: &str = "tests/fixtures/logs/app/app_2024-01-15.jsonl";
const GZ: &str = "tests/fixtures/logs/app/app_2024-01-14.jsonl.gz";
const ERASE: &str = "\r\x1b[K";

fn with_progress(args: &[&str]) -> std::process::Command {
    let mut cmd = logq_std();
    cmd.args(args).env("LOGQ_PROGRESS_AFTER_MS", "0");
    cmd
}

/// Splits what was drawn on stderr into its lines (each begins with the
/// erase sequence), checking that the text ends with an erase.
#[track_caller]
fn frames(text: &str) -> Vec<&str> {
    assert!(text.starts_with(ERASE), "{text:?}");
    assert!(
        text.ends_with(ERASE),
        "the line is left on the screen: {text:?}"
    );
    let parts: Vec<&str> = text.split(ERASE).collect();
    parts[1..parts.len() - 1].to_vec()
}

/// Checks every frame but the first (drawn before anything was read)
/// against the format, with the files and byte total given.
#[track_caller]
fn check_frames(frames: &[&str], first: &str, files: usize, total: &str) {
    assert_eq!(frames.first(), Some(&first), "{frames:?}");
    let size = r"(\d+ B|\d+(\.\d)? [kMGTP]B)";
    let re = regex::Regex::new(&format!(
        r"^logq: [0-{files}]/{files} files · {size}/{} · {size}/s$",
        regex::escape(total)
    ))
    .unwrap();
    for f in frames {
        assert!(re.is_match(f), "{f:?}");
    }
}

#[test]
fn progress_line_is_drawn_on_a_terminal_stderr_and_erased() {
    let plain = logq().args([APP, "-l", "error"]).output().unwrap();
    let out = TtyChild::spawn(with_progress(&[APP, "-l", "error"]), false, true).finish();
    assert_eq!(out.stdout, stdout(&plain));
    assert_eq!(out.status.code(), Some(0));
    // 5164 bytes in one file.
    check_frames(
        &frames(&out.tty),
        "logq: 0/1 files · 0 B/5.2 kB · 0 B/s",
        1,
        "5.2 kB",
    );
}

#[test]
fn compressed_inputs_count_their_compressed_bytes() {
    let out = TtyChild::spawn(with_progress(&["stats", APP, GZ]), false, true).finish();
    assert_eq!(out.status.code(), Some(0));
    // 5164 + 595 bytes on disk; the gzip holds more.
    check_frames(
        &frames(&out.tty),
        "logq: 0/2 files · 0 B/5.8 kB · 0 B/s",
        2,
        "5.8 kB",
    );
}

#[test]
fn no_progress_line_when_stderr_is_not_a_terminal() {
    for args in [
        &[APP, "-l", "error"][..],
        &["stats", APP],
        &["trace", "req-trace-42", APP],
    ] {
        let plain = logq().args(args).output().unwrap();
        let out = logq()
            .args(args)
            .env("LOGQ_PROGRESS_AFTER_MS", "0")
            .output()
            .unwrap();
        check(&out, &stdout(&plain), "", 0);
    }
}

#[test]
fn progress_line_is_erased_before_output_reaches_the_same_terminal() {
    for args in [
        &["stats", APP][..],
        &["trace", "req-trace-42", APP],
        &[APP, "-l", "error", "-P"],
    ] {
        let plain = TtyChild::spawn(
            {
                let mut c = logq_std();
                c.args(args);
                c
            },
            true,
            true,
        )
        .finish();
        let out = TtyChild::spawn(with_progress(args), true, true).finish();
        assert_eq!(out.status.code(), Some(0));
        let (progress, output) = out
            .tty
            .rsplit_once(ERASE)
            .unwrap_or_else(|| panic!("no progress line: {:?}", out.tty));
        assert_eq!(output, plain.tty, "{args:?}");
        check_frames(
            &frames(&format!("{progress}{ERASE}")),
            "logq: 0/1 files · 0 B/5.2 kB · 0 B/s",
            1,
            "5.2 kB",
        );
    }
}

#[test]
fn progress_line_stops_before_the_pager_starts() {
    let dir = tempdir();
    // The pager writes a marker on the terminal: nothing may follow it.
    let pager = write(dir.path(), "pager.sh", b"cat > /dev/null\nprintf 'PAGER'\n");
    let mut cmd = with_progress(&[APP, "-l", "error"]);
    cmd.env("PAGER", format!("/bin/sh {pager}"))
        .env_remove("LOGQ_PAGER");
    let out = TtyChild::spawn(cmd, true, true).finish();
    assert_eq!(out.status.code(), Some(0));
    let progress = out
        .tty
        .strip_suffix("PAGER")
        .unwrap_or_else(|| panic!("{:?}", out.tty));
    check_frames(
        &frames(progress),
        "logq: 0/1 files · 0 B/5.2 kB · 0 B/s",
        1,
        "5.2 kB",
    );
}

#[test]
fn messages_never_share_a_line_with_the_progress_line() {
    let dir = tempdir();
    let bad = write(
        dir.path(),
        "bad.jsonl",
        b"{\"level\":\"error\",\"message\":\"ok\"}\nnot a record\n",
    );
    let out = TtyChild::spawn(with_progress(&[&bad]), false, true).finish();
    assert_eq!(out.status.code(), Some(0));
    let warning = format!(
        "logq: warning: 1 line in {bad} is not a JSON or log record; --show-invalid to see them\n"
    );
    let (before, after) = out
        .tty
        .split_once(&warning)
        .unwrap_or_else(|| panic!("{:?}", out.tty));
    assert!(before.ends_with(ERASE), "{before:?}");
    frames(before);
    assert!(after.is_empty() || after.ends_with(ERASE), "{after:?}");
}
