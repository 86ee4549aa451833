//! `logq tail`: the last records of the fixtures, and `tail -f` following
//! appends, rotation, truncation, new files and stdin (issue 4).
//!
//! Follow tests run the real binary on a temporary folder and read its
//! stdout on a thread. Each waits for the exact next lines with a deadline,
//! never a fixed sleep, and most end by writing one more record and waiting
//! for exactly it: a record printed twice would come before it and fail.

use crate::util::*;
use std::fs::{self, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// How long a follow test waits for output before failing: generous, so
/// that only a hang fails, never a slow machine.
const DEADLINE: Duration = crate::util::DEADLINE;

fn fixture_line(rel: &str, n: usize) -> String {
    let text = fs::read_to_string(root().join(fixture(rel))).expect("fixture");
    text.lines().nth(n - 1).expect("fixture line").to_string()
}

fn fixture_lines(list: &[(&str, usize)]) -> String {
    list.iter()
        .map(|(rel, n)| fixture_line(rel, *n) + "\n")
        .collect()
}

#[test]
fn tail_n_3_gives_the_last_three_records_across_files_in_time_order() {
    let out = logq()
        .args(["tail", "-n", "3", "-o", "raw", &fixture("logs")])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out),
        fixture_lines(&[
            ("logs/audit/audit_2024-01-15.jsonl", 11),
            ("logs/chat/chat_2024-01-15.jsonl", 21),
            ("logs/app/app_2024-01-15.jsonl", 29),
        ])
    );
    assert_eq!(stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn tail_applies_filters_before_counting() {
    let out = logq()
        .args([
            "tail",
            "-n",
            "2",
            "-l",
            "error",
            "-o",
            "raw",
            &fixture("logs"),
        ])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out),
        fixture_lines(&[
            ("logs/chat/chat_2024-01-15.jsonl", 19),
            ("logs/app/app_2024-01-15.jsonl", 27),
        ])
    );
    assert_eq!(out.status.code(), Some(0));
    let none = logq()
        .args(["tail", "-c", "no-such-id", "-o", "raw", &fixture("logs")])
        .output()
        .unwrap();
    assert_eq!(stdout(&none), "");
    assert_eq!(none.status.code(), Some(1));
}

#[test]
fn tail_keeps_a_traceback_with_its_text_record() {
    let rel = "formats/loguru_default.log";
    let out = logq()
        .args(["tail", "-n", "3", "-o", "raw", &fixture(rel)])
        .output()
        .unwrap();
    let want: String = (6..=23).map(|n| fixture_line(rel, n) + "\n").collect();
    assert_eq!(stdout(&out), want);
}

#[test]
fn tail_json_output_carries_line_numbers() {
    let rel = "formats/python_logging.log";
    let out = logq()
        .args(["tail", "-n", "2", "-o", "json", &fixture(rel)])
        .output()
        .unwrap();
    let text = stdout(&out);
    let sources: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split("\"source\":\"").nth(1))
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(
        sources,
        [
            "tests/fixtures/formats/python_logging.log:15",
            "tests/fixtures/formats/python_logging.log:16"
        ]
    );
}

#[test]
fn tail_streams_a_gzip_file() {
    let out = logq()
        .args([
            "tail",
            "-n",
            "2",
            "-o",
            "raw",
            &fixture("logs/app/app_2024-01-14.jsonl.gz"),
        ])
        .output()
        .unwrap();
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(
        fs::File::open(root().join(fixture("logs/app/app_2024-01-14.jsonl.gz"))).unwrap(),
    )
    .read_to_string(&mut text)
    .unwrap();
    let want: String = text.lines().skip(8).map(|l| format!("{l}\n")).collect();
    assert_eq!(stdout(&out), want);
}

/// A JSON record at 10:00:`sec`.
fn rec(sec: u32, level: &str, msg: &str) -> String {
    format!(r#"{{"timestamp":"2024-01-15T10:00:{sec:02}Z","level":"{level}","message":"{msg}"}}"#)
}

fn append(path: &Path, text: &str) {
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("open for append");
    f.write_all(text.as_bytes()).expect("append");
}

/// A running `logq tail -f`, killed when dropped.
struct Follow {
    child: Child,
    out: Receiver<String>,
    err: Receiver<String>,
    stderr: Vec<String>,
}

impl Follow {
    fn start(args: &[&str]) -> Follow {
        Follow::spawn(args, false).0
    }

    fn spawn(args: &[&str], with_stdin: bool) -> (Follow, Option<ChildStdin>) {
        let mut cmd = logq_std();
        let raw: &[&str] = if args.contains(&"-o") {
            &[]
        } else {
            &["-o", "raw"]
        };
        cmd.args(["tail", "-f"])
            .args(raw)
            .args(args)
            .stdin(if with_stdin {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn logq");
        let out = lines_of(child.stdout.take().expect("stdout"));
        let err = lines_of(child.stderr.take().expect("stderr"));
        let stdin = child.stdin.take();
        let f = Follow {
            child,
            out,
            err,
            stderr: Vec::new(),
        };
        (f, stdin)
    }

    /// Waits for the next lines of stdout, which must be exactly `want`.
    #[track_caller]
    fn expect(&mut self, want: &[String]) {
        let deadline = Instant::now() + DEADLINE;
        let mut got = Vec::new();
        while got.len() < want.len() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.out.recv_timeout(left) {
                Ok(line) => got.push(line),
                Err(_) => break,
            }
        }
        self.collect_stderr();
        assert_eq!(got, want, "stderr: {:?}", self.stderr);
    }

    fn collect_stderr(&mut self) {
        while let Ok(line) = self.err.try_recv() {
            self.stderr.push(line);
        }
    }

    /// Waits for a line on stderr containing `needle`.
    #[track_caller]
    fn expect_stderr(&mut self, needle: &str) {
        let deadline = Instant::now() + DEADLINE;
        while !self.stderr.iter().any(|l| l.contains(needle)) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.err.recv_timeout(left) {
                Ok(line) => self.stderr.push(line),
                Err(_) => panic!("no {needle:?} on stderr: {:?}", self.stderr),
            }
        }
    }

    /// Ends the process and gives everything it wrote on stderr.
    fn stop_and_stderr(&mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let rest: Vec<String> = self.err.iter().collect();
        self.stderr.extend(rest);
        self.stderr.clone()
    }

    /// Waits for the process to end; its exit code.
    #[track_caller]
    fn exit_code(&mut self) -> Option<i32> {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.code();
            }
            assert!(Instant::now() < deadline, "logq did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Follow {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dir_arg(dir: &tempfile::TempDir) -> String {
    dir.path().to_string_lossy().into_owned()
}

#[test]
fn follow_prints_appended_records_with_filters_applied() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(
        &log,
        &format!("{}\n{}\n", rec(1, "info", "a"), rec(2, "error", "b")),
    );
    let mut f = Follow::start(&["-n", "5", "-l", "warn", &dir_arg(&dir)]);
    f.expect(&[rec(2, "error", "b")]);
    append(&log, &format!("{}\n", rec(3, "info", "c")));
    append(&log, &format!("{}\n", rec(4, "warning", "d")));
    f.expect(&[rec(4, "warning", "d")]);
    append(
        &log,
        &format!("{}\n{}\n", rec(5, "error", "e"), rec(6, "critical", "f")),
    );
    f.expect(&[rec(5, "error", "e"), rec(6, "critical", "f")]);
}

#[test]
fn follow_json_output_numbers_appended_lines() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(
        &log,
        &format!("{}\n{}\n", rec(1, "info", "a"), rec(2, "info", "b")),
    );
    let f = Follow::start(&["-n", "1", "-o", "json", &log.to_string_lossy()]);
    let source = |n: u32| format!("\"source\":\"{}:{n}\"", log.display());
    let first = f.out.recv_timeout(DEADLINE).expect("first record");
    assert!(first.contains(&source(2)), "{first}");
    append(&log, &format!("{}\n", rec(3, "info", "c")));
    let next = f.out.recv_timeout(DEADLINE).expect("appended record");
    assert!(next.contains(&source(3)), "{next}");
}

#[test]
fn follow_survives_rename_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(&log, &format!("{}\n", rec(1, "info", "a")));
    let mut f = Follow::start(&[&dir_arg(&dir)]);
    f.expect(&[rec(1, "info", "a")]);
    append(
        &log,
        &format!("{}\n", rec(2, "info", "last of the old file")),
    );
    fs::rename(&log, dir.path().join("app.log.1")).unwrap();
    append(
        &log,
        &format!("{}\n", rec(3, "info", "first of the new file")),
    );
    f.expect(&[
        rec(2, "info", "last of the old file"),
        rec(3, "info", "first of the new file"),
    ]);
    append(&log, &format!("{}\n", rec(4, "info", "d")));
    f.expect(&[rec(4, "info", "d")]);
}

#[test]
fn rename_rotation_keeps_text_records_in_order() {
    // The old file's last text record must not wait for a traceback while
    // the new file's records go first.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("svc.log");
    let text = |s: u32, msg: &str| format!("2024-01-15 10:00:{s:02},000 - svc - INFO - {msg}");
    append(&log, &format!("{}\n", text(1, "a")));
    let mut f = Follow::start(&[&dir_arg(&dir)]);
    f.expect(&[text(1, "a")]);
    append(&log, &format!("{}\n", text(2, "last of the old file")));
    fs::rename(&log, dir.path().join("svc.log.1")).unwrap();
    append(
        &log,
        &format!("{}\n{}\n", text(3, "new file"), text(4, "new file again")),
    );
    f.expect(&[
        text(2, "last of the old file"),
        text(3, "new file"),
        text(4, "new file again"),
    ]);
}

#[test]
fn follow_does_not_reread_a_file_renamed_to_a_dated_name() {
    // loguru's rotation: app.log becomes app.2024-01-15_10-00-00_000000.log,
    // a name the folder's globs yield like any new log file.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(&log, &format!("{}\n", rec(1, "info", "a")));
    let mut f = Follow::start(&[&dir_arg(&dir)]);
    f.expect(&[rec(1, "info", "a")]);
    append(&log, &format!("{}\n", rec(2, "info", "b")));
    fs::rename(&log, dir.path().join("app.2024-01-15_10-00-00_000000.log")).unwrap();
    append(&log, &format!("{}\n", rec(3, "info", "c")));
    f.expect(&[rec(2, "info", "b"), rec(3, "info", "c")]);
    append(&log, &format!("{}\n", rec(4, "info", "d")));
    f.expect(&[rec(4, "info", "d")]);
}

#[test]
fn follow_catches_up_on_a_file_rotated_twice_between_two_looks() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    let rotated = |n: u32| dir.path().join(format!("app.log.{n}"));
    append(&log, &format!("{}\n", rec(1, "info", "a")));
    let mut f = Follow::start(&[&dir_arg(&dir)]);
    f.expect(&[rec(1, "info", "a")]);
    // RotatingFileHandler twice in a row, faster than logq looks.
    fs::rename(&log, rotated(1)).unwrap();
    append(&log, &format!("{}\n", rec(2, "info", "second generation")));
    fs::rename(rotated(1), rotated(2)).unwrap();
    fs::rename(&log, rotated(1)).unwrap();
    append(&log, &format!("{}\n", rec(3, "info", "third generation")));
    f.expect(&[
        rec(2, "info", "second generation"),
        rec(3, "info", "third generation"),
    ]);
    append(&log, &format!("{}\n", rec(4, "info", "d")));
    f.expect(&[rec(4, "info", "d")]);
}

#[test]
fn follow_survives_copytruncate() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(
        &log,
        &format!("{}\n{}\n", rec(1, "info", "a"), rec(2, "info", "b")),
    );
    let mut f = Follow::start(&[&dir_arg(&dir)]);
    f.expect(&[rec(1, "info", "a"), rec(2, "info", "b")]);
    append(&log, &format!("{}\n", rec(3, "info", "c")));
    f.expect(&[rec(3, "info", "c")]);
    fs::copy(&log, dir.path().join("app.log.1")).unwrap();
    OpenOptions::new()
        .write(true)
        .open(&log)
        .unwrap()
        .set_len(0)
        .unwrap();
    append(&log, &format!("{}\n", rec(4, "info", "after truncation")));
    f.expect(&[rec(4, "info", "after truncation")]);
    append(&log, &format!("{}\n", rec(5, "info", "e")));
    f.expect(&[rec(5, "info", "e")]);
}

#[test]
fn copytruncate_reads_what_only_the_copy_has() {
    // Records written after logq's last read and before the truncation are
    // only in the copy: logrotate copied them, then emptied the file.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(&log, &format!("{}\n", rec(1, "info", "a")));
    let mut f = Follow::start(&[&dir_arg(&dir)]);
    f.expect(&[rec(1, "info", "a")]);
    let copy = dir.path().join("app.log.1");
    fs::copy(&log, &copy).unwrap();
    append(&copy, &format!("{}\n", rec(2, "info", "only in the copy")));
    OpenOptions::new()
        .write(true)
        .open(&log)
        .unwrap()
        .set_len(0)
        .unwrap();
    append(&log, &format!("{}\n", rec(3, "info", "after truncation")));
    f.expect(&[
        rec(2, "info", "only in the copy"),
        rec(3, "info", "after truncation"),
    ]);
    append(&log, &format!("{}\n", rec(4, "info", "d")));
    f.expect(&[rec(4, "info", "d")]);
}

#[test]
fn follow_picks_up_a_new_daily_file_from_its_first_line() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app");
    fs::create_dir(&app).unwrap();
    append(
        &app.join("app_2024-01-15.jsonl"),
        &format!("{}\n", rec(1, "info", "yesterday")),
    );
    let mut f = Follow::start(&[&dir_arg(&dir)]);
    f.expect(&[rec(1, "info", "yesterday")]);
    let today = app.join("app_2024-01-16.jsonl");
    append(
        &today,
        &format!(
            "{}\n{}\n",
            rec(2, "info", "first"),
            rec(3, "info", "second")
        ),
    );
    f.expect(&[rec(2, "info", "first"), rec(3, "info", "second")]);
    append(&today, &format!("{}\n", rec(4, "info", "third")));
    f.expect(&[rec(4, "info", "third")]);
}

#[test]
fn follow_does_not_reread_a_file_compressed_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("app_2024-01-15.jsonl");
    let today = dir.path().join("app_2024-01-16.jsonl");
    let old_text = format!("{}\n{}\n", rec(1, "info", "a"), rec(2, "info", "b"));
    append(&old, &old_text);
    append(&today, &format!("{}\n", rec(3, "info", "c")));
    let mut f = Follow::start(&[&dir_arg(&dir)]);
    f.expect(&[
        rec(1, "info", "a"),
        rec(2, "info", "b"),
        rec(3, "info", "c"),
    ]);
    let gz = fs::File::create(dir.path().join("app_2024-01-15.jsonl.gz")).unwrap();
    let mut enc = flate2::write::GzEncoder::new(gz, flate2::Compression::fast());
    enc.write_all(old_text.as_bytes()).unwrap();
    enc.finish().unwrap();
    fs::remove_file(&old).unwrap();
    append(&today, &format!("{}\n", rec(4, "info", "d")));
    f.expect(&[rec(4, "info", "d")]);
    // Let rescans of the folder happen (they see the .gz) and the path stay
    // missing past the 500 ms a rotation is given, then check that nothing
    // came before the next record.
    std::thread::sleep(GRACE_PASSED);
    append(&today, &format!("{}\n", rec(5, "info", "e")));
    f.expect(&[rec(5, "info", "e")]);
    // A day compressed by its writer is a rotation, not a disappearance.
    assert_eq!(f.stop_and_stderr(), Vec::<String>::new());
}

/// Longer than logq waits for a missing path to come back before it says
/// so (500 ms): how long a writer compressing a large file leaves it empty.
const GRACE_PASSED: Duration = Duration::from_millis(1500);

fn gzip_to(src: &Path, dst: &Path) {
    let data = fs::read(src).unwrap();
    let mut enc =
        flate2::write::GzEncoder::new(fs::File::create(dst).unwrap(), flate2::Compression::fast());
    enc.write_all(&data).unwrap();
    enc.finish().unwrap();
}

/// What loguru's `rotation=…, compression="gz"` does, step by step (its
/// `_file_sink.py`): close; rename `app.log` to `app.{time}.log`; gzip that
/// to `app.{time}.log.gz` and delete it; open a new `app.log`.
#[test]
fn follow_takes_loguru_compression_on_rotation_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(&log, &format!("{}\n", rec(1, "info", "a")));
    let mut f = Follow::start(&[&log.to_string_lossy()]);
    f.expect(&[rec(1, "info", "a")]);
    append(
        &log,
        &format!("{}\n", rec(2, "info", "last before rotation")),
    );
    let renamed = dir.path().join("app.2024-03-12_10-00-00_123456.log");
    fs::rename(&log, &renamed).unwrap();
    f.expect(&[rec(2, "info", "last before rotation")]);
    std::thread::sleep(GRACE_PASSED);
    gzip_to(
        &renamed,
        &dir.path().join("app.2024-03-12_10-00-00_123456.log.gz"),
    );
    fs::remove_file(&renamed).unwrap();
    std::thread::sleep(GRACE_PASSED);
    append(
        &log,
        &format!("{}\n", rec(3, "info", "first after rotation")),
    );
    f.expect(&[rec(3, "info", "first after rotation")]);
    append(&log, &format!("{}\n", rec(4, "info", "d")));
    f.expect(&[rec(4, "info", "d")]);
    assert_eq!(f.stop_and_stderr(), Vec::<String>::new());
}

/// A `RotatingFileHandler` with the cookbook's gzipping `namer`/`rotator`
/// and `delay=True`: older copies shift (`app.log.1.gz` → `app.log.2.gz`),
/// `app.log` is read into `app.log.1.gz` and deleted, and the new `app.log`
/// appears only with the next record.
#[test]
fn follow_takes_a_gzipping_rotator_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    append(&log, &format!("{}\n", rec(1, "info", "a")));
    gzip_to(&log, &dir.path().join("app.log.1.gz"));
    let mut f = Follow::start(&[&dir_arg(&dir)]);
    f.expect(&[rec(1, "info", "a"), rec(1, "info", "a")]);
    append(
        &log,
        &format!("{}\n", rec(2, "info", "last before rotation")),
    );
    f.expect(&[rec(2, "info", "last before rotation")]);
    fs::rename(
        dir.path().join("app.log.1.gz"),
        dir.path().join("app.log.2.gz"),
    )
    .unwrap();
    gzip_to(&log, &dir.path().join("app.log.1.gz"));
    fs::remove_file(&log).unwrap();
    std::thread::sleep(GRACE_PASSED);
    append(&log, &format!("{}\n", rec(3, "info", "next record")));
    f.expect(&[rec(3, "info", "next record")]);
    assert_eq!(f.stop_and_stderr(), Vec::<String>::new());
}

#[test]
fn follow_prints_a_line_written_in_two_halves_once_whole() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    let other = dir.path().join("other.log");
    append(&log, &format!("{}\n", rec(1, "info", "a")));
    append(&other, &format!("{}\n", rec(2, "info", "b")));
    let mut f = Follow::start(&[&dir_arg(&dir)]);
    f.expect(&[rec(1, "info", "a"), rec(2, "info", "b")]);
    let whole = rec(3, "info", "written in two halves");
    let (first, second) = whole.split_at(30);
    append(&log, first);
    // A record in another file, written after the first half: once it is
    // printed, the first half has been read too.
    append(&other, &format!("{}\n", rec(4, "info", "meanwhile")));
    f.expect(&[rec(4, "info", "meanwhile")]);
    append(&log, &format!("{second}\n"));
    f.expect(&[whole]);
    append(&log, &format!("{}\n", rec(5, "info", "e")));
    f.expect(&[rec(5, "info", "e")]);
}

#[test]
fn follow_keeps_a_traceback_with_its_text_record() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("worker.log");
    let head = |t: &str, level: &str, msg: &str| {
        format!("2024-01-15 10:00:{t},000 - src.worker - {level} - {msg}")
    };
    append(&log, &format!("{}\n", head("01", "INFO", "started")));
    let mut f = Follow::start(&[&dir_arg(&dir)]);
    f.expect(&[head("01", "INFO", "started")]);
    let traceback = [
        head("02", "ERROR", "job failed"),
        "Traceback (most recent call last):".to_string(),
        "  File \"/app/worker.py\", line 12, in run".to_string(),
        "ValueError: bad input".to_string(),
    ];
    append(&log, &format!("{}\n", traceback.join("\n")));
    f.expect(&traceback);
    append(&log, &format!("{}\n", head("03", "INFO", "next job")));
    f.expect(&[head("03", "INFO", "next job")]);
}

#[test]
fn follow_reports_a_deleted_file_once_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.log");
    let b = dir.path().join("b.log");
    append(&a, &format!("{}\n", rec(1, "info", "a")));
    append(&b, &format!("{}\n", rec(2, "info", "b")));
    let mut f = Follow::start(&[&dir_arg(&dir)]);
    f.expect(&[rec(1, "info", "a"), rec(2, "info", "b")]);
    fs::remove_file(&a).unwrap();
    f.expect_stderr("a.log: file disappeared");
    append(&b, &format!("{}\n", rec(3, "info", "c")));
    f.expect(&[rec(3, "info", "c")]);
    append(&b, &format!("{}\n", rec(4, "info", "d")));
    f.expect(&[rec(4, "info", "d")]);
    let _ = f.child.kill();
    let _ = f.child.wait();
    let rest: Vec<String> = f.err.iter().collect();
    f.stderr.extend(rest);
    let reports = f
        .stderr
        .iter()
        .filter(|l| l.contains("file disappeared"))
        .count();
    assert_eq!(reports, 1, "{:?}", f.stderr);
    assert!(
        f.stderr.iter().all(|l| l.contains("a.log")),
        "{:?}",
        f.stderr
    );
}

#[test]
fn follow_merges_files_by_time_within_the_sync_window() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.log");
    let b = dir.path().join("b.log");
    append(&a, &format!("{}\n", rec(1, "info", "a")));
    append(&b, &format!("{}\n", rec(2, "info", "b")));
    let mut f = Follow::start(&["--sync-interval-ms", "2000", &dir_arg(&dir)]);
    f.expect(&[rec(1, "info", "a"), rec(2, "info", "b")]);
    // Written back to back, with no sleep between: read together or one
    // after the other, the second arrives within the window, which holds
    // the first until then (a sleep here once used up most of the window
    // on a loaded machine).
    append(
        &a,
        &format!("{}\n", rec(20, "info", "later, written first")),
    );
    append(
        &b,
        &format!("{}\n", rec(19, "info", "earlier, written second")),
    );
    f.expect(&[
        rec(19, "info", "earlier, written second"),
        rec(20, "info", "later, written first"),
    ]);
}

#[test]
fn follow_stdin_from_docker_compose_with_a_level_filter() {
    let (mut f, stdin) = Follow::spawn(&["-l", "error"], true);
    let mut stdin = stdin.expect("stdin");
    let line =
        |svc: &str, sec: u32, level: &str, msg: &str| format!("{svc}  | {}", rec(sec, level, msg));
    let burst = [
        line("api-1", 1, "info", "up"),
        line("api-1", 2, "error", "db down"),
        line("worker-1", 3, "info", "idle"),
    ];
    for l in &burst {
        writeln!(stdin, "{l}").unwrap();
    }
    stdin.flush().unwrap();
    // Raw output is the JSON behind the prefix.
    f.expect(&[rec(2, "error", "db down")]);
    writeln!(stdin, "{}", line("worker-1", 4, "info", "busy")).unwrap();
    writeln!(stdin, "{}", line("worker-1", 5, "error", "job failed")).unwrap();
    stdin.flush().unwrap();
    f.expect(&[rec(5, "error", "job failed")]);
    drop(stdin);
    assert_eq!(f.exit_code(), Some(0));
}

#[test]
fn follow_survives_a_large_file_truncated_underneath() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    let mut big = String::new();
    for i in 0..40_000 {
        big.push_str(&rec(i % 60, "info", &format!("filler {i:06}")));
        big.push('\n');
    }
    append(&log, &big);
    let mut f = Follow::start(&["-n", "1", &dir_arg(&dir)]);
    f.expect(&[rec(39_999 % 60, "info", "filler 039999")]);
    OpenOptions::new()
        .write(true)
        .open(&log)
        .unwrap()
        .set_len(0)
        .unwrap();
    append(&log, &format!("{}\n", rec(1, "info", "fresh")));
    f.expect(&[rec(1, "info", "fresh")]);
    assert!(f.child.try_wait().unwrap().is_none(), "logq exited");
}

#[test]
fn ctrl_c_exits_0_quietly() {
    let dir = tempfile::tempdir().unwrap();
    append(
        &dir.path().join("app.log"),
        &format!("{}\n", rec(1, "info", "a")),
    );
    let mut f = Follow::start(&[&dir_arg(&dir)]);
    f.expect(&[rec(1, "info", "a")]);
    let pid = i32::try_from(f.child.id()).unwrap();
    // SAFETY: sends SIGINT to the child this test started and still owns.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    assert_eq!(f.exit_code(), Some(0));
    let rest: Vec<String> = f.err.iter().collect();
    assert!(rest.is_empty(), "{rest:?}");
}

#[test]
fn closed_stdout_ends_following_with_status_0() {
    let dir = tempfile::tempdir().unwrap();
    append(
        &dir.path().join("app.log"),
        &format!("{}\n", rec(1, "info", "a")),
    );
    let mut cmd = logq_std();
    cmd.args(["tail", "-f", "-o", "raw", &dir_arg(&dir)])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    // Read one line, then close the pipe (`logq tail -f | head -1`).
    std::thread::spawn(move || {
        let mut first = String::new();
        let _ = BufReader::new(stdout).read_line(&mut first);
        let _ = tx.send(first);
    });
    let first = rx.recv_timeout(DEADLINE).expect("first line");
    assert_eq!(first, format!("{}\n", rec(1, "info", "a")));
    let mut f = Follow {
        err: lines_of(child.stderr.take().unwrap()),
        out: channel().1,
        child,
        stderr: Vec::new(),
    };
    assert_eq!(f.exit_code(), Some(0));
    let rest: Vec<String> = f.err.iter().collect();
    assert!(rest.is_empty(), "{rest:?}");
}

/// A day with the traps of the fast paths around one correlation id: the id
/// escaped, in a docker-prefixed line, in a text record with a traceback,
/// under nested aliases, only mentioned in a message, and unparsed lines.
fn cid_day(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let ts = format!(
            "2024-01-15T{:02}:{:02}:{:02}Z",
            i / 3600 % 24,
            i / 60 % 60,
            i % 60
        );
        let line = match i % 11 {
            0 => format!(r#"{{"timestamp":"{ts}","level":"INFO","correlation_id":"req-777","message":"hit {i}"}}"#),
            1 => format!(r#"{{"timestamp":"{ts}","level":"INFO","correlation_id":"req-\u0037\u0037\u0037","message":"escaped {i}"}}"#),
            2 => format!(r#"api-1  | {{"timestamp":"{ts}","level":"WARNING","request_id":"req-777","message":"docker {i}"}}"#),
            3 => format!("2024-01-15 00:00:{:02},000 - src.worker - ERROR - job req-777 failed {i}\nTraceback (most recent call last):\n  File \"w.py\", line 1\nValueError: bad", i % 60),
            4 => format!(r#"{{"timestamp":"{ts}","level":"ERROR","message":"mentions req-777 {i}","correlation_id":"req-other"}}"#),
            5 => format!(r#"{{"timestamp":"{ts}","level":"INFO","extra":{{"request_id":"req-777"}},"message":"nested {i}"}}"#),
            6 => format!(r#"{{"\ud800":"req-777","timestamp":"{ts}","correlation_id":"req-777","message":"lone surrogate key {i}"}}"#),
            7 => "not a record, req-777".to_string(),
            _ => format!(r#"{{"timestamp":"{ts}","level":"DEBUG","correlation_id":"req-{i:06}","message":"other {i}","pad":"{}"}}"#, "x".repeat(200)),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `tail -n 10` with a correlation filter keeps the records a search keeps
/// (its last ten), through the same prefilter and quick look (issue 12).
#[test]
fn tail_n_10_with_a_cid_gives_the_last_ten_records_of_the_search() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cid.jsonl");
    let text = cid_day(3000);
    assert!(text.len() > 256 << 10, "read backwards in several blocks");
    fs::write(&path, &text).unwrap();
    let path = path.to_string_lossy().into_owned();
    for filter in [
        &["-c", "req-777"][..],
        &["-q", "cid = req-777"],
        &["-q", "cid = req-777 and level >= warning"],
    ] {
        for format in ["raw", "json"] {
            let search = logq()
                .args(filter)
                .args(["-o", format, &path])
                .output()
                .unwrap();
            let all: Vec<&str> = std::str::from_utf8(&search.stdout)
                .unwrap()
                .lines()
                .collect();
            assert!(all.len() > 10, "{filter:?} selects too little");
            let mut want = all[all.len() - 10..].join("\n");
            want.push('\n');
            for extra in [&[][..], &["--no-fast-paths"]] {
                let tail = logq()
                    .args(["tail", "-n", "10"])
                    .args(filter)
                    .args(extra)
                    .args(["-o", format, &path])
                    .output()
                    .unwrap();
                // Unparsed lines are counted only among those read, so
                // the warning is not compared.
                check(&tail, &want, &stderr(&tail), 0);
            }
        }
    }
}
