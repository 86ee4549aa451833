//! Every read path gives byte-identical output: mapped or streamed
//! (`--no-fast-paths`), one thread or many, tiny chunks, gzip, and stdin.

use super::*;
use crate::util::*;
use std::io::Write;

const FORMATS: &str = "tests/fixtures/formats";

/// Every fixture file, relative to `tests/fixtures/`.
fn fixture_files() -> Vec<String> {
    let mut files = Vec::new();
    for dir in [
        "logs/app",
        "logs/audit",
        "logs/chat",
        "logs/ingestion",
        "formats",
    ] {
        let mut names: Vec<String> = std::fs::read_dir(root().join(fixture(dir)))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        files.extend(names.into_iter().map(|n| format!("{dir}/{n}")));
    }
    files
}

/// The ways of reading the same input that must agree.
const PATHS: [&[&str]; 7] = [
    &[],
    &["--no-fast-paths"],
    &["-j", "1"],
    &["-j", "4"],
    &["--chunk-size", "64"],
    &["--chunk-size", "1", "-j", "3"],
    &["--no-fast-paths", "--chunk-size", "100", "-j", "2"],
];

/// Filters whose fast paths (prefilter, quick reject, time seek) must not
/// change the result.
const FILTERS: [&[&str]; 7] = [
    &["--show-invalid"],
    &[],
    &["-l", "warn"],
    &["-c", "req-abc-123", "-c", "job-abc123"],
    &[
        "--since",
        "2024-01-15T10:30:00Z",
        "--until",
        "2024-01-15T12:00:00.250Z",
    ],
    &["-F", "-g", "Request"],
    &[
        "-m",
        "!src.api.*",
        "-l",
        "=info",
        "--since",
        "2024-01-15 09:00",
    ],
];

#[track_caller]
fn assert_same(what: &str, base: &std::process::Output, other: &std::process::Output) {
    assert!(
        base.stdout == other.stdout,
        "{what}: output differs\n--- base ---\n{}\n--- other ---\n{}",
        stdout(base),
        stdout(other)
    );
    assert_eq!(
        base.status.code(),
        other.status.code(),
        "{what}: exit status"
    );
}

#[test]
fn mmap_stream_threads_and_chunks_agree_on_every_fixture() {
    let mut inputs: Vec<String> = fixture_files().iter().map(|f| fixture(f)).collect();
    inputs.push(LOGS.to_string());
    inputs.push(FORMATS.to_string());
    for input in &inputs {
        for format in ["raw", "json"] {
            for filter in FILTERS {
                let run = |extra: &[&str]| {
                    logq()
                        .args([input.as_str(), "-o", format])
                        .args(filter)
                        .args(extra)
                        .output()
                        .unwrap()
                };
                let base = run(&[]);
                for path in &PATHS[1..] {
                    let what = format!("{input} -o {format} {filter:?} {path:?}");
                    assert_same(&what, &base, &run(path));
                }
            }
        }
    }
}

#[test]
fn stdin_and_file_agree_on_every_fixture() {
    for rel in fixture_files() {
        let bytes = std::fs::read(root().join(fixture(&rel))).unwrap();
        for format in ["raw", "pretty", "logfmt"] {
            for filter in [&["--show-invalid"][..], &["-l", "warn"]] {
                let file = logq()
                    .args([&fixture(&rel), "-o", format])
                    .args(filter)
                    .output()
                    .unwrap();
                for path in [&[][..], &["--chunk-size", "64"]] {
                    let piped = logq()
                        .args(["-o", format])
                        .args(filter)
                        .args(path)
                        .write_stdin(bytes.clone())
                        .output()
                        .unwrap();
                    assert_same(
                        &format!("{rel} -o {format} {filter:?} {path:?}"),
                        &file,
                        &piped,
                    );
                }
            }
        }
    }
}

#[test]
fn gzip_and_plain_agree_on_every_fixture() {
    let dir = tempdir();
    for rel in fixture_files() {
        let plain = fixture_bytes(&rel);
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(&plain).unwrap();
        let name = rel.replace('/', "_") + ".gz";
        let gz = write(dir.path(), &name, &e.finish().unwrap());
        let p = write(dir.path(), &rel.replace('/', "_"), &plain);
        for filter in [
            &["--show-invalid"][..],
            &["-l", "warn"],
            &["-c", "req-abc-123"],
        ] {
            let a = logq().arg(&p).args(filter).output().unwrap();
            for path in [&[][..], &["--chunk-size", "64"]] {
                let b = logq().arg(&gz).args(filter).args(path).output().unwrap();
                assert_same(&format!("{rel} {filter:?} {path:?}"), &a, &b);
            }
        }
    }
}

/// Text records with tracebacks, JSON lines, docker prefixes and unparsed
/// lines mixed, many times over, so that chunk boundaries fall everywhere.
#[test]
fn chunk_boundaries_never_split_a_record() {
    let mut data = Vec::new();
    for name in [
        "python_logging.log",
        "loguru_default.log",
        "mixed_invalid.jsonl",
        "docker_compose.log",
    ] {
        data.extend(fixture_bytes(&format!("formats/{name}")));
    }
    let data = data.repeat(40);
    let dir = tempdir();
    let f = write(dir.path(), "mixed.log", &data);
    for filter in [
        &["--show-invalid"][..],
        &["-l", "error"],
        &["-g", "Traceback|bad"],
    ] {
        let base = logq().arg(&f).args(filter).output().unwrap();
        assert!(!base.stdout.is_empty());
        for path in [
            &["--no-fast-paths"][..],
            &["--chunk-size", "1"],
            &["--chunk-size", "97", "-j", "4"],
            &["--chunk-size", "4096"],
        ] {
            let what = format!("{filter:?} {path:?}");
            assert_same(
                &what,
                &base,
                &logq().arg(&f).args(filter).args(path).output().unwrap(),
            );
        }
        let piped = logq()
            .args(filter)
            .args(["--chunk-size", "33"])
            .write_stdin(data.clone())
            .output()
            .unwrap();
        assert_same(&format!("{filter:?} stdin"), &base, &piped);
    }
    let out = logq()
        .args([&f, "--show-invalid", "--keep-prefix"])
        .output()
        .unwrap();
    assert!(
        out.stdout == data,
        "--show-invalid --keep-prefix prints every line of the input"
    );
}
