//! Inputs (SPEC §1): files, directories, globs, stdin, `$LOGQ_DIR`,
//! `./logs`, and compression detected by magic bytes.

use super::*;
use crate::util::*;
use std::io::Write;

const WARN_AND_UP: [usize; 9] = [5, 10, 12, 16, 17, 19, 22, 24, 27];

#[test]
fn file_argument_is_searched() {
    let out = logq().args([&fixture(APP), "-l", "warn"]).output().unwrap();
    check(&out, &lines(APP, &WARN_AND_UP), "", 0);
}

#[test]
fn directory_is_walked_recursively() {
    let out = logq().args([LOGS, "--count"]).output().unwrap();
    check(&out, "91\n", "", 0);
    let out = logq()
        .args([LOGS, "--count", "--by", "category"])
        .output()
        .unwrap();
    let want = "app        39\naudit      10\nchat       21\ningestion  20\nsecurity   1\n";
    check(&out, want, "", 0);
}

fn message_only(msg: &str) -> String {
    format!("{{\"level\":\"info\",\"message\":\"{msg}\"}}\n")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A folder with one time-less record per file, named after its file, so
/// the output lists the files a walk yields, in walk (name) order.
fn folder_of_names() -> tempfile::TempDir {
    let dir = tempdir();
    for name in [
        "a.jsonl",
        "b.json",
        "c.log",
        "d.log.1",
        "notes.txt",
        "data.csv",
        "README.md",
    ] {
        write(dir.path(), name, message_only(name).as_bytes());
    }
    for name in ["e.jsonl.gz", "f.log.gz", "g.txt.gz"] {
        write(dir.path(), name, &gzip(message_only(name).as_bytes()));
    }
    write(
        dir.path(),
        "sub/deeper/h.jsonl",
        message_only("h.jsonl").as_bytes(),
    );
    dir
}

fn names_printed(out: &std::process::Output) -> Vec<String> {
    stdout(out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["message"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn default_globs_pick_log_files_compressed_or_not() {
    let dir = folder_of_names();
    let out = logq().arg(dir.path()).output().unwrap();
    assert_eq!(
        names_printed(&out),
        [
            "a.jsonl",
            "b.json",
            "c.log",
            "d.log.1",
            "e.jsonl.gz",
            "f.log.gz",
            "h.jsonl"
        ]
    );
    assert_eq!(stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn glob_replaces_the_defaults_and_bang_excludes() {
    let dir = folder_of_names();
    let out = logq()
        .arg(dir.path())
        .args(["--glob", "*.txt", "--glob", "*.md"])
        .output()
        .unwrap();
    assert_eq!(names_printed(&out), ["README.md", "notes.txt"]);
    let out = logq()
        .arg(dir.path())
        .args(["--glob", "!*.gz", "--glob", "!sub/**"])
        .output()
        .unwrap();
    assert_eq!(
        names_printed(&out),
        ["a.jsonl", "b.json", "c.log", "d.log.1"]
    );

    let out = logq().args([LOGS, "--glob", "*.gz"]).output().unwrap();
    check(&out, &lines(GZ, &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), "", 0);
    let out = logq()
        .args([LOGS, "--glob", "!*.gz", "--count"])
        .output()
        .unwrap();
    check(&out, "81\n", "", 0);
    let out = logq()
        .args([LOGS, "--glob", "chat/*", "--count"])
        .output()
        .unwrap();
    check(&out, "21\n", "", 0);
}

#[test]
fn bad_glob_is_a_usage_error() {
    let out = logq().args([LOGS, "--glob", "["]).output().unwrap();
    check(
        &out,
        "",
        "logq: invalid --glob '[': error parsing glob '[': unclosed character class; missing ']'\n",
        2,
    );
}

#[test]
fn piped_stdin_is_read_when_no_path_is_given() {
    let docker = fixture_bytes("formats/docker_compose.log");
    // Piped stdin wins over $LOGQ_DIR.
    let out = logq()
        .env("LOGQ_DIR", LOGS)
        .args(["-l", "error"])
        .write_stdin(docker.clone())
        .output()
        .unwrap();
    check(
        &out,
        &json_bodies("formats/docker_compose.log", &[6]),
        "",
        0,
    );
    // `-` names stdin explicitly; sources say `<stdin>`.
    let out = logq()
        .args(["-", "-l", "error", "-o", "json"])
        .write_stdin(docker)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["source"], "<stdin>:6");
    assert_eq!(v["service"], "worker-1");
}

#[test]
fn compressed_stdin_is_detected_by_magic_bytes() {
    let gz = std::fs::read(fixture(GZ)).unwrap();
    let out = logq()
        .args(["-l", "critical"])
        .write_stdin(gz)
        .output()
        .unwrap();
    check(&out, &lines(GZ, &[8]), "", 0);
}

#[cfg(unix)]
#[test]
fn logq_dir_is_the_default_when_stdin_is_a_terminal() {
    let mut cmd = logq_std();
    cmd.env("LOGQ_DIR", LOGS).args(["--count"]);
    let out = run_with_tty_stdin(cmd);
    check(&out, "91\n", "", 0);
}

#[cfg(unix)]
#[test]
fn dot_logs_is_the_default_without_logq_dir() {
    let dir = tempdir();
    write(
        dir.path(),
        "logs/app/x.jsonl",
        message_only("found").as_bytes(),
    );
    let mut cmd = logq_std();
    cmd.current_dir(dir.path()).args(["-o", "json"]);
    let out = run_with_tty_stdin(cmd);
    assert_eq!(names_printed(&out), ["found"]);
    assert_eq!(stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
}

#[cfg(unix)]
#[test]
fn missing_default_input_is_a_clear_error() {
    let dir = tempdir();
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
    let mut cmd = logq_std();
    cmd.current_dir(dir.path())
        .env("LOGQ_DIR", "/nonexistent/logq");
    let out = run_with_tty_stdin(cmd);
    check(
        &out,
        "",
        "logq: no input: no PATH given, stdin is a terminal, and /nonexistent/logq does not \
         exist (set LOGQ_DIR or pass a path)\n",
        2,
    );
}

#[test]
fn multi_member_gzip_is_read_to_the_end() {
    let out = logq().arg(fixture(GZ)).output().unwrap();
    check(&out, &lines(GZ, &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), "", 0);
    // Records of the second member keep their line numbers.
    let out = logq()
        .args([&fixture(GZ), "-l", "critical", "-o", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["source"], format!("{}:8", fixture(GZ)));
}

#[test]
fn zstd_bzip2_and_xz_are_detected_by_magic_bytes_not_names() {
    let plain = fixture_bytes(APP);
    let zst = zstd::encode_all(&plain[..], 3).unwrap();
    let bz2 = {
        let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
        e.write_all(&plain).unwrap();
        e.finish().unwrap()
    };
    let xz = {
        let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
        e.write_all(&plain).unwrap();
        e.finish().unwrap()
    };
    let dir = tempdir();
    let files = [
        write(dir.path(), "app.jsonl.zst", &zst),
        write(dir.path(), "app.jsonl.bz2", &bz2),
        write(dir.path(), "app.jsonl.xz", &xz),
        // Misleading names: the bytes decide.
        write(dir.path(), "zstd-named-plain.jsonl", &zst),
        write(dir.path(), "xz-named.log.gz", &xz),
    ];
    for f in &files {
        let out = logq().args([f, "-l", "warn"]).output().unwrap();
        check(&out, &lines(APP, &WARN_AND_UP), "", 0);
        let out = logq()
            .args(["-l", "warn"])
            .write_stdin(std::fs::read(f).unwrap())
            .output()
            .unwrap();
        check(&out, &lines(APP, &WARN_AND_UP), "", 0);
    }
    // Found by the default globs too, each one read.
    let out = logq()
        .args([dir.path().to_str().unwrap(), "--count"])
        .output()
        .unwrap();
    check(&out, &format!("{}\n", 29 * 5), "", 0);
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_walked_once() {
    let dir = tempdir();
    write(dir.path(), "a.jsonl", message_only("a").as_bytes());
    write(dir.path(), "sub/b.jsonl", message_only("b").as_bytes());
    std::os::unix::fs::symlink(".", dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("sub/up")).unwrap();
    // A link to a sibling folder is followed like the folder itself.
    std::os::unix::fs::symlink("sub", dir.path().join("tus")).unwrap();
    let out = logq()
        .arg(dir.path())
        .args(["-o", "json"])
        .output()
        .unwrap();
    assert_eq!(names_printed(&out), ["a", "b", "b"]);
    assert_eq!(stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
}
