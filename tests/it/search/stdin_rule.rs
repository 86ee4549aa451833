//! Which stdin is input when no PATH is given (issue 10): a pipe, a regular
//! file or a socket is; a terminal or a character device such as
//! `/dev/null` (cron, CI, `ssh host logq …`) is not, and `$LOGQ_DIR` or
//! `./logs` is searched instead. `-` reads stdin whatever it is.

use crate::util::*;
use std::fs::File;
use std::process::Stdio;

fn record(level: &str, msg: &str) -> String {
    format!("{{\"level\":\"{level}\",\"message\":\"{msg}\"}}\n")
}

/// A current directory with `logs/` holding two errors and an info record.
fn dir_with_logs() -> tempfile::TempDir {
    let dir = tempdir();
    let data = record("error", "in logs 1") + &record("info", "x") + &record("error", "in logs 2");
    write(dir.path(), "logs/app/app.jsonl", data.as_bytes());
    dir
}

fn dev_null() -> Stdio {
    Stdio::from(File::open("/dev/null").expect("open /dev/null"))
}

#[test]
fn dev_null_stdin_is_not_input_dot_logs_is_searched() {
    let dir = dir_with_logs();
    let out = logq_std()
        .current_dir(dir.path())
        .args(["-l", "error", "--count"])
        .stdin(dev_null())
        .output()
        .unwrap();
    check(&out, "2\n", "", 0);
    let out = logq_std()
        .current_dir(dir.path())
        .args(["-l", "error"])
        .stdin(dev_null())
        .output()
        .unwrap();
    let want = record("error", "in logs 1") + &record("error", "in logs 2");
    check(&out, &want, "", 0);
}

#[test]
fn dev_null_stdin_with_logq_dir_searches_it() {
    let dir = dir_with_logs();
    let out = logq_std()
        .current_dir(dir.path())
        .env("LOGQ_DIR", root().join("tests/fixtures/logs"))
        .args(["--count"])
        .stdin(dev_null())
        .output()
        .unwrap();
    check(&out, "91\n", "", 0);
}

#[test]
fn regular_file_as_stdin_is_read() {
    let dir = dir_with_logs();
    let file = write(
        dir.path(),
        "other.jsonl",
        record("error", "from stdin").as_bytes(),
    );
    let out = logq_std()
        .current_dir(dir.path())
        .args(["-l", "error"])
        .stdin(File::open(&file).unwrap())
        .output()
        .unwrap();
    check(&out, &record("error", "from stdin"), "", 0);
}

#[test]
fn pipe_as_stdin_is_read() {
    let dir = dir_with_logs();
    let out = logq()
        .current_dir(dir.path())
        .args(["-l", "error"])
        .write_stdin(record("error", "from the pipe"))
        .output()
        .unwrap();
    check(&out, &record("error", "from the pipe"), "", 0);
}

#[test]
fn dash_reads_stdin_even_when_it_is_dev_null() {
    let dir = dir_with_logs();
    let out = logq_std()
        .current_dir(dir.path())
        .args(["-", "--count"])
        .stdin(dev_null())
        .output()
        .unwrap();
    check(&out, "0\n", "", 1);
}

#[test]
fn no_input_says_what_stdin_is() {
    let dir = tempdir();
    let out = logq_std()
        .current_dir(dir.path())
        .stdin(dev_null())
        .output()
        .unwrap();
    check(
        &out,
        "",
        "logq: no input: no PATH given, stdin is not a pipe or a file, and logs does not \
         exist (set LOGQ_DIR or pass a path)\n",
        2,
    );
    let mut cmd = logq_std();
    cmd.current_dir(dir.path());
    let out = run_with_tty_stdin(cmd);
    check(
        &out,
        "",
        "logq: no input: no PATH given, stdin is a terminal, and logs does not exist \
         (set LOGQ_DIR or pass a path)\n",
        2,
    );
}

#[cfg(unix)]
#[test]
fn socket_as_stdin_is_read() {
    let (mut ours, theirs) = std::os::unix::net::UnixStream::pair().unwrap();
    std::io::Write::write_all(&mut ours, record("error", "over a socket").as_bytes()).unwrap();
    drop(ours);
    let dir = dir_with_logs();
    let out = logq_std()
        .current_dir(dir.path())
        .args(["-l", "error"])
        .stdin(Stdio::from(std::os::fd::OwnedFd::from(theirs)))
        .output()
        .unwrap();
    check(&out, &record("error", "over a socket"), "", 0);
}
