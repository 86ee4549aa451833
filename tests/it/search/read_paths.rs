//! Every read path gives byte-identical output: mapped or streamed
//! (`--no-fast-paths`), one thread or many, tiny chunks, gzip, and stdin.
//!
//! The matrices run in-process (`logq_in_process`): about 2,000 runs that
//! took a minute as processes. The real binary is checked against them on
//! the cells a process is needed for: thread counts (`-j`) and stdin.

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

/// What a run printed and how it ended, in-process or as a process.
struct Ran {
    stdout: Vec<u8>,
    code: Option<i32>,
}

impl From<InProcess> for Ran {
    fn from(r: InProcess) -> Ran {
        Ran {
            stdout: r.stdout,
            code: Some(r.code),
        }
    }
}

impl From<std::process::Output> for Ran {
    fn from(o: std::process::Output) -> Ran {
        Ran {
            stdout: o.stdout,
            code: o.status.code(),
        }
    }
}

/// `logq ARGS…` in-process.
fn run(parts: &[&[&str]]) -> Ran {
    logq_in_process(parts.concat()).into()
}

/// `logq ARGS…` as a process, with `stdin` piped in when given.
fn spawn(parts: &[&[&str]], stdin: Option<&[u8]>) -> Ran {
    let mut cmd = logq();
    cmd.args(parts.concat());
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes.to_vec());
    }
    cmd.output().unwrap().into()
}

#[track_caller]
fn assert_same(what: &str, base: &Ran, other: &Ran) {
    assert!(
        base.stdout == other.stdout,
        "{what}: output differs\n--- base ---\n{}\n--- other ---\n{}",
        String::from_utf8_lossy(&base.stdout),
        String::from_utf8_lossy(&other.stdout)
    );
    assert_eq!(base.code, other.code, "{what}: exit status");
}

fn inputs() -> Vec<String> {
    let mut inputs: Vec<String> = fixture_files().iter().map(|f| fixture(f)).collect();
    inputs.push(LOGS.to_string());
    inputs.push(FORMATS.to_string());
    inputs
}

#[test]
fn mmap_stream_threads_and_chunks_agree_on_every_fixture() {
    for input in &inputs() {
        for format in ["raw", "json"] {
            for filter in FILTERS {
                let base = run(&[&[input, "-o", format], filter]);
                for path in &PATHS[1..] {
                    let what = format!("{input} -o {format} {filter:?} {path:?}");
                    assert_same(&what, &base, &run(&[&[input, "-o", format], filter, path]));
                }
            }
        }
    }
}

/// The cells of the matrix above that only a process can run: the real
/// binary at its own thread counts gives what the library gave.
#[test]
fn the_binary_at_every_thread_count_agrees_with_the_library() {
    for input in [LOGS, FORMATS] {
        for format in ["raw", "json"] {
            for filter in FILTERS {
                let base = run(&[&[input, "-o", format], filter]);
                for path in [&[][..], &["-j", "1"], &["--chunk-size", "1", "-j", "3"]] {
                    let what = format!("binary: {input} -o {format} {filter:?} {path:?}");
                    let ran = spawn(&[&[input, "-o", format], filter, path], None);
                    assert_same(&what, &base, &ran);
                }
            }
        }
    }
}

#[test]
fn stdin_and_file_agree_on_every_fixture() {
    for rel in fixture_files() {
        let file = fixture(&rel);
        let bytes = std::fs::read(root().join(&file)).unwrap();
        for format in ["raw", "pretty", "logfmt"] {
            for filter in [&["--show-invalid"][..], &["-l", "warn"]] {
                let base = run(&[&[&file, "-o", format], filter]);
                for path in [&[][..], &["--chunk-size", "64"]] {
                    let piped = spawn(&[&["-o", format], filter, path], Some(&bytes));
                    assert_same(
                        &format!("{rel} -o {format} {filter:?} {path:?}"),
                        &base,
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
            let a = run(&[&[&p], filter]);
            for path in [&[][..], &["--chunk-size", "64"]] {
                let b = run(&[&[&gz], filter, path]);
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
        let base = run(&[&[&f], filter]);
        assert!(!base.stdout.is_empty());
        for path in [
            &["--no-fast-paths"][..],
            &["--chunk-size", "1"],
            &["--chunk-size", "97", "-j", "4"],
            &["--chunk-size", "4096"],
        ] {
            let what = format!("{filter:?} {path:?}");
            assert_same(&what, &base, &run(&[&[&f], filter, path]));
        }
        let piped = spawn(&[filter, &["--chunk-size", "33"]], Some(&data));
        assert_same(&format!("{filter:?} stdin"), &base, &piped);
    }
    let out = run(&[&[&f, "--show-invalid", "--keep-prefix"]]);
    assert!(
        out.stdout == data,
        "--show-invalid --keep-prefix prints every line of the input"
    );
}
