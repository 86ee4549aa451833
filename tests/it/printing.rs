//! Formatting in the scan workers (issue 11): whatever the chunking and the
//! number of threads, every format prints the same bytes.
//!
//! Generated days run in-process (`logq_in_process`), where one chunk is
//! formatted on one thread and 4 KB chunks on the pool's; the fixture logs
//! run the real binary at `-j 1` and `-j 2`.

use crate::util::{fixture, logq, logq_in_process};
use std::fmt::Write as _;
use std::path::Path;

/// A JSON day whose records straddle 4 KB chunks: equal times across
/// files, records without time, nested objects, escapes, floats, duplicate
/// keys, control characters, a broken line.
fn json_day(seed: u64, n: usize) -> String {
    let mut out = String::new();
    let levels = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];
    let mut x = seed;
    for i in 0..n {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let r = (x >> 33) as usize;
        let sec = i / 3;
        let time = format!(
            "2024-01-15T10:{:02}:{:02}.{:03}Z",
            sec / 60 % 60,
            sec % 60,
            r % 3 * 250
        );
        let level = levels[r % levels.len()];
        match r % 11 {
            0 => writeln!(out, r#"{{"level":"{level}","message":"no time {i}","n":{r}}}"#),
            1 => writeln!(out, r#"{{"timestamp":"{time}","level":"{level}","message":"esc \u001b[31m\"q\" é\tx","f":1.50,"g":1e3,"d":1,"d":2}}"#),
            2 => writeln!(out, r#"{{"timestamp":"{time}","level":"{level}","message":"line one\nline two","exc_info":"Traceback\n  File \"a\"\nE: x","ctx":{{"a":{{"b":[1,"x y"]}},"e":{{}}}}}}"#),
            3 => writeln!(out, "{{\"timestamp\":\"{time}\",\"level\":\"{level}\",\"message\":\"broken"),
            _ => writeln!(
                out,
                r#"{{"timestamp":"{time}","level":"{level}","logger_name":"src.api.routes","message":"Request {i} done","correlation_id":"req-{r}","context":{{"organization_id":"org_{r}","user_id":"u_{i}"}},"extra":{{"duration_ms":{},"status_code":200,"ok":true,"none":null}}}}"#,
                r % 1000
            ),
        }
        .unwrap();
    }
    out
}

/// A Python text log with multi-line tracebacks.
fn text_day(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let sec = i / 2;
        let t = format!(
            "2024-01-15 10:{:02}:{:02},{:03}",
            sec / 60 % 60,
            sec % 60,
            i % 4 * 250
        );
        if i % 7 == 0 {
            writeln!(
                out,
                "{t} ERROR [app.worker] job {i} failed duration_ms={i}\nTraceback (most recent call last):\n  File \"w.py\", line 3, in run\nValueError: bad {i}"
            )
            .unwrap();
        } else {
            writeln!(out, "{t} INFO [app.api] request {i} user=u{i}").unwrap();
        }
    }
    out
}

/// How a command line is run: in-process, or as the real binary.
#[derive(Clone, Copy)]
enum How {
    InProcess,
    Binary,
}

fn run(how: How, args: &[&str], files: &[&str], extra: &[&str]) -> Vec<u8> {
    let line = [args, extra, files].concat();
    match how {
        How::InProcess => {
            let out = logq_in_process(line.iter().copied());
            assert!(out.code < 2, "{line:?}: {:?}", out.error);
            out.stdout
        }
        How::Binary => {
            let out = logq().args(&line).output().unwrap();
            assert!(out.status.code().unwrap_or(2) < 2, "{line:?}: {out:?}");
            out.stdout
        }
    }
}

const FORMATS: &[&[&str]] = &[
    &["-o", "pretty", "--color", "never"],
    &["-o", "pretty", "--color", "always"],
    &[
        "-o",
        "pretty",
        "--color",
        "always",
        "--time-format",
        "%H:%M:%S%.6f",
    ],
    &[
        "-o",
        "pretty",
        "--hide",
        "context",
        "--fields",
        "extra.duration_ms,ctx",
    ],
    &["-o", "json"],
    &["-o", "logfmt"],
    &["-o", "raw"],
    &["-o", "json", "--show-invalid"],
    &["-o", "pretty", "--show-invalid", "--color", "always"],
    &["-o", "logfmt", "--show-invalid"],
    &["-o", "json", "--reverse"],
    &["-o", "pretty", "--tail", "7"],
    &["-o", "json", "-n", "50"],
];

fn assert_threads_agree(how: How, files: &[&str]) {
    for f in FORMATS {
        let one = run(how, f, files, &["-j", "1", "--chunk-size", "1000000000"]);
        assert!(
            one.len() > 100,
            "{f:?} prints nothing; the test would prove nothing"
        );
        let many = run(how, f, files, &["-j", "2", "--chunk-size", "4096"]);
        assert!(one == many, "{f:?}: parallel output differs");
    }
}

#[test]
fn every_format_prints_the_same_bytes_on_one_thread_and_in_tiny_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    };
    let a = write("a.jsonl", json_day(1, 1000));
    let b = write("b.jsonl", json_day(2, 700));
    let t = write("w.log", text_day(500));
    assert!(
        Path::new(&a).metadata().unwrap().len() > 64 << 10,
        "many chunks"
    );
    assert_threads_agree(How::InProcess, &[&a]);
    assert_threads_agree(How::InProcess, &[&a, &b, &t]);
}

#[test]
fn every_format_prints_the_same_bytes_on_the_fixture_logs() {
    assert_threads_agree(How::Binary, &[&fixture("logs")]);
}
