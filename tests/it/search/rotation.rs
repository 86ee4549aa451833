//! Rotated copies in a directory walk (SPEC §1): `worker.jsonl.1 … .3`
//! written by Python's `RotatingFileHandler`, gzipped and dated copies, the
//! walk order that keeps equal times in written order, and the note about
//! files a walk left out. Fixtures: `tests/fixtures/rotated/`, written by
//! its `generate.py`.

use crate::util::*;
use std::io::Write;

const ROTATED: &str = "tests/fixtures/rotated";

/// What `logq` says on stderr when nothing matched in the fixture folder.
const NOTE: &str = "logq: note: 3 files in tests/fixtures/rotated were not searched \
                    (not log file names); --glob '*' to include them\n";

#[test]
fn rotated_copies_are_walked_compressed_or_dated() {
    // worker.jsonl + .1 .. .3 (60), api.jsonl + .1.gz (10), beat.jsonl +
    // two dated copies (12); not notes.txt nor worker.jsonl.bak.
    let out = logq().args([ROTATED, "--count"]).output().unwrap();
    check(&out, "82\n", "", 0);
    let out = logq()
        .args([ROTATED, "--count", "-q", "logger = worker"])
        .output()
        .unwrap();
    check(&out, "60\n", "", 0);
    let out = logq()
        .args([ROTATED, "-o", "raw", "-q", "logger = api", "-n", "1"])
        .output()
        .unwrap();
    let first_api = "{\"time\":\"2024-03-11T09:30:30.000Z\",\"level\":\"INFO\",\"logger\":\"api\",\
                     \"message\":\"api 1\",\"request_id\":\"api-01\"}\n";
    check(&out, first_api, "", 0);
}

#[test]
fn correlation_id_across_a_rotation_is_complete_and_in_written_order() {
    // Records 14 and 15 are in worker.jsonl.3, 16 and 17 in worker.jsonl.2;
    // 15 and 16 have the same time, so only walking .3 before .2 keeps
    // 15 before 16.
    let rec = |n: u32, min: u32| {
        format!(
            "{{\"time\":\"2024-03-11T09:{min}:00.000Z\",\"level\":\"INFO\",\"logger\":\"worker\",\
             \"message\":\"worker {n}\",\"request_id\":\"req-span\"}}\n"
        )
    };
    let want = [rec(14, 14), rec(15, 15), rec(16, 15), rec(17, 17)].concat();
    let out = logq()
        .args([ROTATED, "-c", "req-span", "-o", "raw"])
        .output()
        .unwrap();
    check(&out, &want, "", 0);
    let out = logq()
        .args(["trace", "req-span", ROTATED, "-o", "raw"])
        .output()
        .unwrap();
    check(&out, &want, "", 0);
}

fn message_only(msg: &str) -> String {
    format!("{{\"level\":\"info\",\"message\":\"{msg}\"}}\n")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn walk_lists_rotated_copies_oldest_first_before_the_live_file() {
    // Records without a time keep their input's order in the merge, so the
    // output is the walk order.
    let dir = tempdir();
    for name in [
        "w.jsonl",
        "w.jsonl.1",
        "w.jsonl.10",
        "w.jsonl.2024-03-09",
        "w.jsonl.bak",
        "w.jsonl.swp",
        "w.jsonl.1x",
        "a.log.2024-03-11_14",
        "a.log",
        "z.json.3",
        "notes.txt",
    ] {
        write(dir.path(), name, message_only(name).as_bytes());
    }
    write(
        dir.path(),
        "w.jsonl.2.gz",
        &gzip(message_only("w.jsonl.2.gz").as_bytes()),
    );
    let out = logq().arg(dir.path()).args(["-o", "raw"]).output().unwrap();
    let want: String = [
        "a.log.2024-03-11_14",
        "a.log",
        "w.jsonl.2024-03-09",
        "w.jsonl.10",
        "w.jsonl.2.gz",
        "w.jsonl.1",
        "w.jsonl",
        "z.json.3",
    ]
    .iter()
    .map(|n| message_only(n))
    .collect();
    check(&out, &want, "", 0);
}

#[test]
fn unsearched_files_are_noted_when_nothing_matched() {
    // worker.jsonl.bak holds a record of req-bak; the walk leaves it out,
    // with notes.txt and generate.py.
    let out = logq().args([ROTATED, "-c", "req-bak"]).output().unwrap();
    check(&out, "", NOTE, 1);
    let out = logq()
        .args([ROTATED, "-c", "req-bak", "-o", "json"])
        .output()
        .unwrap();
    check(&out, "", NOTE, 1);
    let out = logq()
        .args([ROTATED, "-c", "req-bak", "--count"])
        .output()
        .unwrap();
    check(&out, "0\n", NOTE, 1);
    let out = logq().args(["trace", "req-bak", ROTATED]).output().unwrap();
    let not_found = "logq: no record carries the correlation id 'req-bak' (searched 9 files: \
                     82 records, from 2024-03-10T01:00:00Z to 2024-03-12T19:00:00Z)\n";
    check(&out, "", &format!("{not_found}{NOTE}"), 1);
    let out = logq()
        .args(["stats", ROTATED, "-c", "req-bak", "--json"])
        .output()
        .unwrap();
    assert_eq!(stderr(&out), NOTE);
    assert!(!stdout(&out).contains("note"), "{}", stdout(&out));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn no_note_when_something_matched_or_a_glob_was_given() {
    let out = logq()
        .args([ROTATED, "-c", "req-span", "--count"])
        .output()
        .unwrap();
    check(&out, "4\n", "", 0);
    let out = logq()
        .args(["stats", ROTATED, "-c", "req-span", "--json"])
        .output()
        .unwrap();
    assert_eq!((stderr(&out).as_str(), out.status.code()), ("", Some(0)));
    let bak = "{\"time\":\"2024-03-11T09:30:00.000Z\",\"level\":\"INFO\",\"logger\":\"worker\",\
               \"message\":\"backup\",\"request_id\":\"req-bak\"}\n";
    let out = logq()
        .args([ROTATED, "-c", "req-bak", "--glob", "*.bak", "-o", "raw"])
        .output()
        .unwrap();
    check(&out, bak, "", 0);
    // Given explicitly, the globs say what the user wants searched.
    for glob in ["*.jsonl", "!notes.txt"] {
        let out = logq()
            .args([ROTATED, "-c", "req-bak", "--glob", glob])
            .output()
            .unwrap();
        check(&out, "", "", 1);
    }
    // `-n 0` asks for nothing: no file was missing.
    let out = logq()
        .args([ROTATED, "-c", "req-bak", "-n", "0"])
        .output()
        .unwrap();
    check(&out, "", "", 1);
}

#[test]
fn note_names_each_folder_with_left_out_files() {
    let dir = tempdir();
    write(
        dir.path(),
        "app/app.jsonl",
        message_only("hello").as_bytes(),
    );
    write(
        dir.path(),
        "app/app.jsonl.old",
        message_only("old").as_bytes(),
    );
    write(dir.path(), "chat/chat.txt", b"");
    write(dir.path(), "chat/chat.jsonl.1.tmp", b"");
    let out = logq()
        .arg(dir.path())
        .args(["-g", "nowhere"])
        .output()
        .unwrap();
    let d = dir.path().display();
    let want = format!(
        "logq: note: 3 files (1 in {d}/app, 2 in {d}/chat) were not searched \
         (not log file names); --glob '*' to include them\n"
    );
    check(&out, "", &want, 1);
    // A file given by name is searched whatever its name: no walk, no note.
    let out = logq()
        .arg(dir.path().join("app/app.jsonl.old"))
        .args(["-g", "nowhere"])
        .output()
        .unwrap();
    check(&out, "", "", 1);
}

#[test]
fn dated_copy_is_skipped_by_its_suffix_date() {
    // The dated copy is corrupt: reading it is an error, so the exit code
    // says whether --since skipped it unopened.
    let dir = tempdir();
    write(
        dir.path(),
        "w.jsonl.2024-03-01.gz",
        b"\x1f\x8b\x08\x00garbage",
    );
    let live = "{\"time\":\"2024-03-20T10:00:00Z\",\"message\":\"live\"}\n";
    write(dir.path(), "w.jsonl", live.as_bytes());
    let out = logq()
        .arg(dir.path())
        .args(["--since", "2024-03-20", "-o", "raw"])
        .output()
        .unwrap();
    check(&out, live, "", 0);
    // Within a week of the suffix date the copy may hold records (a
    // weekly TimedRotatingFileHandler names it for the week's first day).
    let out = logq()
        .arg(dir.path())
        .args(["--since", "2024-03-07", "-o", "raw"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), live);
    assert!(
        stderr(&out).contains("w.jsonl.2024-03-01.gz"),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(2));
}
