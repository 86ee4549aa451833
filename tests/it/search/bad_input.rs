//! Bad inputs (SPEC §7): never a panic, errors name the file, other files
//! are still searched, and the exit status says what happened.

use super::*;
use crate::util::*;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn invalid_utf8_is_kept_byte_for_byte_in_raw_output() {
    let data: &[u8] = b"{\"level\":\"error\",\"message\":\"caf\xe9 \xff\xfe\"}\n\
                        {\"level\":\"info\",\"message\":\"ok\"}\n\
                        {\"level\":\"error\",\"message\":\"fine\",\"k\":\"\xc3\"}\n";
    let dir = tempdir();
    let f = write(dir.path(), "latin1.jsonl", data);
    let out = logq().args([&f, "-l", "error"]).output().unwrap();
    let want: &[u8] = b"{\"level\":\"error\",\"message\":\"caf\xe9 \xff\xfe\"}\n\
                        {\"level\":\"error\",\"message\":\"fine\",\"k\":\"\xc3\"}\n";
    assert_eq!(out.stdout, want);
    assert_eq!(stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
    let out = logq().arg(&f).write_stdin(data).output().unwrap();
    assert_eq!(out.stdout, data);
    // Readable output shows the replacement character.
    let out = logq()
        .args([&f, "-o", "pretty", "-g", "caf"])
        .output()
        .unwrap();
    check(
        &out,
        "                        ERROR caf\u{fffd} \u{fffd}\u{fffd}\n",
        "",
        0,
    );
}

#[test]
fn truncated_last_line_is_an_unparsed_line() {
    let dir = tempdir();
    let complete = "{\"level\":\"info\",\"message\":\"one\"}\n";
    let f = write(
        dir.path(),
        "partial.jsonl",
        format!("{complete}{{\"level\":\"info\",\"mess").as_bytes(),
    );
    let out = logq().arg(&f).output().unwrap();
    check(
        &out,
        complete,
        &format!(
            "logq: warning: 1 line in {f} is not a JSON or log record; --show-invalid to see them\n"
        ),
        0,
    );
    let out = logq().args([&f, "--show-invalid"]).output().unwrap();
    check(
        &out,
        &format!("{complete}{{\"level\":\"info\",\"mess\n"),
        "",
        0,
    );
    // A complete last line without its newline is a record like any other.
    let g = write(
        dir.path(),
        "no-newline.jsonl",
        complete.trim_end().as_bytes(),
    );
    for args in [vec![g.as_str()], vec![g.as_str(), "--no-fast-paths"]] {
        let out = logq().args(&args).output().unwrap();
        check(&out, complete, "", 0);
    }
    let out = logq().write_stdin(complete.trim_end()).output().unwrap();
    check(&out, complete, "", 0);
}

/// The gzip fixture with its second member cut short: member 1 (lines
/// 1–6) is whole, member 2 (lines 7–10) loses all but its first bytes.
fn truncated_gzip() -> Vec<u8> {
    let text = fixture_bytes(GZ);
    let text = String::from_utf8(text).unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut data = gzip(lines[..6].concat().as_bytes());
    let second = gzip(lines[6..].concat().as_bytes());
    data.extend_from_slice(&second[..16]);
    data
}

#[test]
fn truncated_gzip_gives_the_records_before_the_damage_then_an_error() {
    let dir = tempdir();
    let f = write(dir.path(), "app_2024-01-14.jsonl.gz", &truncated_gzip());
    let want = lines(GZ, &[1, 2, 3, 4, 5, 6]);
    let out = logq().arg(&f).output().unwrap();
    check(
        &out,
        &want,
        &format!(
            "logq: {f}:7: truncated compressed data (the records before the damage were read)\n"
        ),
        2,
    );
    let out = logq().write_stdin(truncated_gzip()).output().unwrap();
    check(
        &out,
        &want,
        "logq: <stdin>:7: truncated compressed data (the records before the damage were read)\n",
        2,
    );
    // Other files are still searched and printed, in time order.
    let out = logq()
        .args([&f, &fixture(APP), "-l", "critical"])
        .output()
        .unwrap();
    check(
        &out,
        &lines(APP, &[22]),
        &format!(
            "logq: {f}:7: truncated compressed data (the records before the damage were read)\n"
        ),
        2,
    );
}

#[test]
fn corrupt_gzip_is_an_error_naming_the_file() {
    let dir = tempdir();
    let f = write(
        dir.path(),
        "bad.jsonl.gz",
        b"\x1f\x8bthis is not deflate data at all\n",
    );
    let out = logq()
        .args([&f, &fixture(APP), "-l", "critical"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), lines(APP, &[22]));
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!("logq: {f}: corrupt compressed data: ")),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(out.status.code(), Some(2));
    // Corrupt data after a good start: the good records, then the error.
    let mut data = gzip(b"{\"level\":\"error\",\"message\":\"before\"}\n");
    data.extend_from_slice(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xff\xff\xff\xff\xff");
    let g = write(dir.path(), "half.jsonl.gz", &data);
    let out = logq().arg(&g).output().unwrap();
    assert_eq!(
        stdout(&out),
        "{\"level\":\"error\",\"message\":\"before\"}\n"
    );
    assert!(
        stderr(&out).starts_with(&format!("logq: {g}:2: ")),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn empty_file_matches_nothing_quietly() {
    let dir = tempdir();
    let f = write(dir.path(), "empty.jsonl", b"");
    let out = logq().arg(&f).output().unwrap();
    check(&out, "", "", 1);
    let g = write(dir.path(), "empty.jsonl.gz", &gzip(b""));
    let out = logq()
        .args([&f, &g, &fixture(APP), "-n", "1"])
        .output()
        .unwrap();
    check(&out, &lines(APP, &[1]), "", 0);
    let out = logq().write_stdin("").output().unwrap();
    check(&out, "", "", 1);
}

#[test]
fn a_2mb_line_is_one_record() {
    let big = format!(
        "{{\"timestamp\":\"2024-01-15T10:00:00Z\",\"level\":\"info\",\"message\":\"big\",\"blob\":\"{}\"}}\n",
        "x".repeat(2 << 20)
    );
    let small =
        "{\"timestamp\":\"2024-01-15T10:00:01Z\",\"level\":\"error\",\"message\":\"after\"}\n";
    let data = format!("{big}{small}");
    let dir = tempdir();
    let f = write(dir.path(), "big.jsonl", data.as_bytes());
    for extra in [
        &[][..],
        &["--no-fast-paths"],
        &["--chunk-size", "64"],
        &["-j", "1"],
    ] {
        let out = logq().arg(&f).args(extra).output().unwrap();
        assert!(
            out.stdout == data.as_bytes(),
            "raw output differs with {extra:?}"
        );
        let out = logq()
            .args([&f, "-l", "error"])
            .args(extra)
            .output()
            .unwrap();
        check(&out, small, "", 0);
    }
    let out = logq()
        .args(["-g", "big"])
        .write_stdin(data.clone())
        .output()
        .unwrap();
    assert!(out.stdout == big.as_bytes());
    let out = logq()
        .args([&f, "-o", "pretty", "-g", "big"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.starts_with("2024-01-15 10:00:00.000 INFO  big blob=xxx"),
        "{}",
        &text[..80]
    );
    assert_eq!(
        text.len(),
        "2024-01-15 10:00:00.000 INFO  big blob=".len() + (2 << 20) + 1
    );
}

#[cfg(unix)]
#[test]
fn unreadable_entries_are_reported_and_the_rest_is_searched() {
    let dir = tempdir();
    let good = "{\"level\":\"error\",\"message\":\"still here\"}\n";
    write(dir.path(), "good.jsonl", good.as_bytes());
    // A dangling link named like a log file is an error; one that is not a
    // log file is ignored like any other non-log file.
    let gone = dir.path().join("gone.jsonl");
    std::os::unix::fs::symlink(dir.path().join("nowhere.jsonl"), &gone).unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere.txt"), dir.path().join("notes.txt"))
        .unwrap();
    let out = logq().arg(dir.path()).output().unwrap();
    check(
        &out,
        good,
        &format!("logq: {}: no such file or directory\n", gone.display()),
        2,
    );

    // A file without read permission. Root reads it anyway, so the
    // assertion only holds for other users.
    let locked = write(dir.path(), "locked.jsonl", good.as_bytes());
    std::fs::remove_file(&gone).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(&locked).is_ok();
    let out = logq().arg(dir.path()).output().unwrap();
    if readable {
        // Running as root: permissions do not deny reads.
        check(&out, &format!("{good}{good}"), "", 0);
    } else {
        check(
            &out,
            good,
            &format!("logq: {locked}: permission denied\n"),
            2,
        );
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();

    // A path that does not exist, next to one that does.
    let out = logq()
        .args(["no/such/dir", &fixture(APP), "-l", "critical"])
        .output()
        .unwrap();
    check(
        &out,
        &lines(APP, &[22]),
        "logq: no/such/dir: no such file or directory\n",
        2,
    );
}

#[test]
fn binary_garbage_never_panics() {
    let mut data: Vec<u8> = (0u8..=255).collect();
    data.extend_from_slice(
        b"\n{\"\n}\n{\"a\":\n[{]}\n\x1f\x8b\n2024-01-15 10:00:00 - x - INFO - \n\xff\xfe{}\n",
    );
    data.extend_from_slice(b"   \n\t\n{\"ts\":1e400,\"level\":-1,\"time\":\"9999-99-99\"}\n");
    data.extend_from_slice(
        b"{\"timestamp\":\"2024-13-45T25:61:61Z\",\"level\":99999999999999999999}\n",
    );
    data.extend_from_slice(b"api-1 | \napi-1 | {\"x\":1}\nERROR:a:\n");
    let dir = tempdir();
    let f = write(dir.path(), "garbage.log", &data);
    for format in ["raw", "json", "logfmt", "pretty"] {
        for extra in [
            &[][..],
            &["--no-fast-paths"],
            &["--chunk-size", "7"],
            &["-l", "info"],
        ] {
            let out = logq()
                .args([&f, "--show-invalid", "-o", format])
                .args(extra)
                .output()
                .unwrap();
            let err = stderr(&out);
            assert!(!err.contains("panicked"), "{format} {extra:?}: {err}");
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{format} {extra:?}: {err}"
            );
        }
    }
}

/// A file large enough that a reader closing the pipe early surely cuts
/// `logq` off mid-write.
fn big_log(dir: &std::path::Path) -> String {
    let mut data = String::new();
    for i in 0..60_000 {
        data.push_str(&format!(
            "{{\"timestamp\":\"2024-01-15T10:00:00Z\",\"level\":\"info\",\"message\":\"line {i}\"}}\n"
        ));
    }
    write(dir, "big.jsonl", data.as_bytes())
}

#[test]
fn closed_pipe_exits_quietly_with_success() {
    let dir = tempdir();
    let f = big_log(dir.path());
    for format in ["raw", "json", "pretty", "logfmt"] {
        let mut child = logq_std()
            .args([&f, "-o", format])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The reader (and so the pipe) is dropped here, like `head -1`.
        assert!(first.contains("line 0"), "{first}");
        let out = child.wait_with_output().unwrap();
        assert_eq!(stderr(&out), "", "{format}");
        assert_eq!(out.status.code(), Some(0), "{format}");
    }
}

/// Today's file may be truncated (copytruncate rotation) while it is mapped
/// and read. Whenever the truncation lands, logq must not die of SIGBUS:
/// it finishes normally, at worst reporting the truncation.
#[test]
fn file_truncated_while_mapped_never_kills_the_process() {
    let dir = tempdir();
    let mut data = String::new();
    for i in 0..200_000 {
        data.push_str(&format!(
            "{{\"timestamp\":\"2024-01-15T10:00:00Z\",\"level\":\"info\",\"message\":\"line {i}\",\"pad\":\"{}\"}}\n",
            "x".repeat(60)
        ));
    }
    for delay_ms in [0u64, 5, 20, 60] {
        let f = write(dir.path(), "today.jsonl", data.as_bytes());
        // Quiet for a minute, so mapped (a file written seconds ago is read).
        let minute_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        std::fs::File::options()
            .write(true)
            .open(&f)
            .unwrap()
            .set_modified(minute_ago)
            .unwrap();
        let child = logq_std()
            .args([&f, "-g", "line 19999[0-9]", "-j", "2"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        std::fs::OpenOptions::new()
            .write(true)
            .open(&f)
            .unwrap()
            .set_len(1000)
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(
            out.status.code().is_some(),
            "killed by a signal: {:?} {err}",
            out.status
        );
        let truncated = format!(
            "logq: {f}: the file was truncated while being read; results may be incomplete\n"
        );
        match out.status.code() {
            Some(2) => assert_eq!(err, truncated),
            // Done before the truncation, or opened after it: then the cut
            // last line may be reported as unparsed.
            Some(0 | 1) => assert!(
                err.is_empty()
                    || err
                        == format!(
                            "logq: warning: 1 line in {f} is not a JSON or log record; \
                         --show-invalid to see them\n"
                        ),
                "{err}"
            ),
            other => panic!("exit {other:?}: {err}"),
        }
    }
}
