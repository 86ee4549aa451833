//! Sidecar indexes (issue 14): every query answers exactly as a full scan
//! does, before and after the files change under their indexes.

mod upkeep;

use crate::util::logq;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Records of a generated service: three records per request, numbers and
/// nested fields to index, a level mix, an unparsed line now and then.
pub(super) fn records(from: usize, n: usize) -> String {
    let levels = ["debug", "info", "info", "info", "warning", "error"];
    let mut out = String::new();
    for i in from..from + n {
        if i % 97 == 50 {
            out.push_str("this line is not a record\n");
        }
        let secs = i * 7;
        out.push_str(&format!(
            "{{\"timestamp\":\"2024-01-15T{:02}:{:02}:{:02}.{:03}Z\",\"level\":\"{}\",\"logger_name\":\"app.api\",\
\"message\":\"step {i}\",\"request_id\":\"req-{}\",\"user_id\":{},\"ctx\":{{\"org\":\"org-{}\"}}}}\n",
            secs / 3600 % 24,
            secs / 60 % 60,
            secs % 60,
            i % 1000,
            levels[i % levels.len()],
            i / 3,
            i % 41,
            i % 13,
        ));
    }
    out
}

pub(super) fn gzip(text: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    e.write_all(text).unwrap();
    e.finish().unwrap()
}

pub(super) fn age(path: &Path) {
    let old = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(old)
        .unwrap();
}

/// A tree of logs: generated plain, gzip (one and two members) and zstd
/// files, and the logs the real Python libraries wrote.
pub(super) struct Tree {
    pub(super) dir: tempfile::TempDir,
    pub(super) cache: tempfile::TempDir,
}

impl Tree {
    pub(super) fn new() -> Tree {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("logs");
        fs::create_dir_all(root.join("app")).unwrap();
        fs::create_dir_all(root.join("python")).unwrap();
        fs::write(root.join("app/api_2024-01-15.jsonl"), records(0, 1500)).unwrap();
        fs::write(
            root.join("app/old.jsonl.gz"),
            gzip(records(1500, 1500).as_bytes()),
        )
        .unwrap();
        let mut two = gzip(records(3000, 700).as_bytes());
        two.extend(gzip(records(3700, 800).as_bytes()));
        fs::write(root.join("app/two.jsonl.gz"), two).unwrap();
        let z = zstd::encode_all(records(4500, 600).as_bytes(), 3).unwrap();
        fs::write(root.join("app/z.jsonl.zst"), z).unwrap();
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/python");
        for name in [
            "stdlib_text.log",
            "structlog_dict.jsonl",
            "structlog_exc.jsonl",
            "loguru_serialize.jsonl",
            "loguru_text.log",
            "pjl.jsonl",
            "ecs.jsonl",
            "celery_worker.log",
            "flask_gunicorn.log",
        ] {
            fs::copy(fixtures.join(name), root.join("python").join(name)).unwrap();
        }
        let tree = Tree {
            dir,
            cache: tempfile::tempdir().unwrap(),
        };
        tree.age_all();
        tree
    }

    pub(super) fn root(&self) -> PathBuf {
        self.dir.path().join("logs")
    }

    pub(super) fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn age_all(&self) {
        for sub in ["app", "python"] {
            for e in fs::read_dir(self.root().join(sub)).unwrap() {
                age(&e.unwrap().path());
            }
        }
    }

    /// `logq index` over the tree, with small blocks so that every file
    /// has several.
    pub(super) fn index(&self, extra: &[&str]) -> std::process::Output {
        let out = logq()
            .env("LOGQ_CACHE_DIR", self.cache.path())
            .args([
                "index",
                "--block-size",
                "2K",
                "--index-field",
                "user_id,ctx.org",
            ])
            .args(extra)
            .arg(self.root())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    pub(super) fn run(&self, args: &[&str], index: bool) -> std::process::Output {
        let mut cmd = logq();
        cmd.env("LOGQ_CACHE_DIR", self.cache.path())
            .args(args)
            .arg(self.root());
        if !index {
            cmd.arg("--no-index");
        }
        cmd.output().unwrap()
    }

    /// Every query prints the same with the index as without, and ends the
    /// same; returns how many printed something.
    fn same_answers(&self, when: &str) -> usize {
        let mut found = 0;
        for q in QUERIES {
            let with = self.run(q, true);
            let without = self.run(q, false);
            let show = |o: &std::process::Output| {
                format!(
                    "status {:?}\n{}\n{}",
                    o.status.code(),
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                )
            };
            assert_eq!(
                with.stdout,
                without.stdout,
                "{when}: {q:?}\n{}\n---\n{}",
                show(&with),
                show(&without)
            );
            assert_eq!(
                with.status.code(),
                without.status.code(),
                "{when}: {q:?}\n{}",
                show(&with)
            );
            found += usize::from(!with.stdout.is_empty());
        }
        found
    }
}

/// Every kind of query an index can narrow, and some it cannot.
const QUERIES: &[&[&str]] = &[
    &["-c", "req-10", "-o", "json"],
    &["-c", "req-700", "-c", "req-1499", "-o", "raw"],
    &["-c", "req-7f3a", "-o", "json"],
    &["-c", "req-81c2", "-o", "raw"],
    &["-c", "no-such-request", "-o", "raw"],
    &["-q", "cid = \"req-1200\"", "-o", "json"],
    &["-q", "cid in (\"req-3\", \"req-1600\")", "-o", "json"],
    &["-q", "user_id = 7", "-o", "json"],
    &["-q", "user_id = 7.0 and level = error", "-o", "json"],
    &["-q", "user_id = \"7\"", "-o", "raw"],
    &["-q", "user_id in (3, 40)", "--count"],
    &["-q", "ctx.org = \"org-5\"", "--count"],
    &["-q", "ctx.org = \"org-99\"", "-o", "raw"],
    &["-q", "user_id = 7 or user_id = 8", "--count"],
    &["-q", "not user_id = 7", "--count"],
    &[
        "--since",
        "2024-01-15T03:00:00Z",
        "--until",
        "2024-01-15T03:05:00Z",
        "-o",
        "json",
    ],
    &["--since", "2024-03-12T09:00:00Z", "-o", "raw"],
    &["--until", "2024-01-15T00:02:00Z", "-o", "raw"],
    &["-l", "error", "--count", "--by", "level"],
    &["-l", "=warning", "-q", "user_id = 3", "-o", "json"],
    &["-l", "critical", "-o", "raw"],
    &["-q", "level >= error and user_id = 11", "-o", "json"],
    &[
        "-q",
        "time > \"2024-01-15T08:00:00Z\" and time < \"2024-01-15T08:10:00Z\"",
        "-o",
        "raw",
    ],
    &["--jq", "select(.request_id == \"req-20\")", "-o", "raw"],
    &["trace", "req-250", "-o", "json"],
    &["trace", "req-7f3a", "-o", "raw"],
    &["trace", "req-1800"],
    &["trace", "nobody"],
    &["stats", "-l", "warning", "--by", "level", "--json"],
    &["stats", "-c", "req-30", "--json"],
    &["tail", "-n", "3", "-l", "error", "-o", "raw"],
];

#[test]
fn an_index_changes_no_answer_and_survives_changes_to_its_files() {
    let tree = Tree::new();
    let found = tree.same_answers("no index yet");
    tree.index(&[]);
    assert_eq!(tree.same_answers("fresh"), found);
    assert!(found > 20, "the queries find records: {found}");

    // Today's file grows: a record, a half-written line.
    let today = tree.path("app/api_2024-01-15.jsonl");
    let mut f = fs::OpenOptions::new().append(true).open(&today).unwrap();
    f.write_all(records(1500, 30).as_bytes()).unwrap();
    f.write_all(
        b"{\"timestamp\":\"2024-01-15T23:00:00Z\",\"level\":\"error\",\"request_id\":\"req-10\"",
    )
    .unwrap();
    drop(f);
    age(&today);
    tree.same_answers("appended");

    // A text log gains a traceback under its last record.
    let text = tree.path("python/stdlib_text.log");
    let mut f = fs::OpenOptions::new().append(true).open(&text).unwrap();
    f.write_all(b"Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: req-7f3a\n")
        .unwrap();
    drop(f);
    tree.same_answers("a traceback appended");

    // copytruncate: the file is emptied and written anew.
    fs::write(&today, records(5100, 200)).unwrap();
    age(&today);
    tree.same_answers("truncated");

    // Rewritten in place at the same size.
    let old = fs::read(tree.path("python/pjl.jsonl")).unwrap();
    let swapped = String::from_utf8(old.clone())
        .unwrap()
        .replace("req-", "rex-");
    assert_eq!(swapped.len(), old.len());
    fs::write(tree.path("python/pjl.jsonl"), swapped).unwrap();
    age(&tree.path("python/pjl.jsonl"));
    tree.same_answers("rewritten");

    // Replaced by a new file (a new inode), and recompressed in place.
    let gz = tree.path("app/old.jsonl.gz");
    fs::remove_file(&gz).unwrap();
    fs::write(&gz, gzip(records(6000, 900).as_bytes())).unwrap();
    age(&gz);
    let two = tree.path("app/two.jsonl.gz");
    let mut f = fs::File::create(&two).unwrap();
    f.write_all(&gzip(records(7000, 400).as_bytes())).unwrap();
    drop(f);
    age(&two);
    tree.same_answers("replaced");

    // Rotated: renamed, the index follows the inode.
    fs::rename(tree.path("app/z.jsonl.zst"), tree.path("app/z.1.jsonl.zst")).unwrap();
    tree.same_answers("rotated");

    // And indexed again after all that.
    tree.index(&[]);
    tree.same_answers("indexed again");
}

#[test]
fn a_fresh_index_is_trusted_so_blocks_are_really_skipped() {
    let tree = Tree::new();
    tree.index(&[]);
    // A record in the middle of the file is given an id behind the
    // index's back: same size, same ends, same time. A full scan finds it;
    // the index, which holds the old id for that block, skips the block.
    let path = tree.path("app/api_2024-01-15.jsonl");
    let meta = fs::metadata(&path).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    let changed = text.replacen("\"req-250\"", "\"req-ZZZ\"", 1);
    assert_ne!(text, changed);
    fs::write(&path, &changed).unwrap();
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(meta.modified().unwrap())
        .unwrap();
    let with = tree.run(&["-c", "req-ZZZ", "-o", "raw"], true);
    let without = tree.run(&["-c", "req-ZZZ", "-o", "raw"], false);
    assert_eq!(with.status.code(), Some(1), "the block was skipped");
    assert_eq!(without.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&without.stdout)
            .matches("req-ZZZ")
            .count(),
        1
    );
}

#[test]
fn a_gzip_query_restarts_inflation_where_its_blocks_are() {
    // Damage in the middle of a gzip file, behind the index's back: a full
    // read fails there, a query whose blocks come before it never gets
    // there, and one whose blocks come after restarts past it.
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.jsonl.gz");
    let text = records(0, 30_000);
    fs::write(&path, gzip(text.as_bytes())).unwrap();
    age(&path);
    let index = logq()
        .env("LOGQ_CACHE_DIR", cache.path())
        .args(["index", "--block-size", "64K"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(index.status.success());
    let meta = fs::metadata(&path).unwrap();
    let mut bytes = fs::read(&path).unwrap();
    assert!(bytes.len() > 400_000, "{}", bytes.len());
    let last = 29_999 / 3;
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 64] {
        *b ^= 0x55;
    }
    fs::write(&path, &bytes).unwrap();
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(meta.modified().unwrap())
        .unwrap();
    let query = |id: &str, index: bool| {
        let mut cmd = logq();
        cmd.env("LOGQ_CACHE_DIR", cache.path())
            .args(["-c", id, "-o", "raw"])
            .arg(&path);
        if !index {
            cmd.arg("--no-index");
        }
        cmd.output().unwrap()
    };
    let expected = |i: usize| -> String {
        text.lines()
            .filter(|l| l.contains(&format!("\"req-{i}\"")))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    let early = query("req-5", true);
    assert_eq!(early.status.code(), Some(0));
    assert_eq!(String::from_utf8(early.stdout).unwrap(), expected(5));
    let late = query(&format!("req-{last}"), true);
    assert_eq!(
        late.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&late.stderr)
    );
    assert_eq!(String::from_utf8(late.stdout).unwrap(), expected(last));
    assert_eq!(query("req-5", false).status.code(), Some(2));
}

#[test]
fn trace_counts_what_it_searched_from_the_index() {
    let tree = Tree::new();
    let without = tree.run(&["trace", "nobody"], false);
    tree.index(&[]);
    let with = tree.run(&["trace", "nobody"], true);
    assert_eq!(with.status.code(), Some(1));
    let note = String::from_utf8(with.stderr).unwrap();
    assert_eq!(note, String::from_utf8(without.stderr).unwrap());
    assert!(
        note.contains("logq: no record carries the correlation id 'nobody' (searched 13 files: "),
        "{note}"
    );
}
