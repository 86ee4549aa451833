//! Keeping indexes: `--status`, `--prune`, what makes one stale, files
//! left unindexed, an unwritable cache, `--auto-index`.

use super::{age, gzip, records, Tree};
use crate::util::logq;
use std::fs;
use std::io::Write;
use std::time::{Duration, SystemTime};

#[test]
fn status_says_what_is_indexed_and_how_fresh() {
    let tree = Tree::new();
    let status = |tree: &Tree| {
        let out = tree.index(&["--status"]);
        let text = String::from_utf8(out.stdout).unwrap();
        text.replace(&tree.root().display().to_string(), "ROOT")
    };
    assert!(
        status(&tree).lines().all(|l| l.starts_with("none ")),
        "{}",
        status(&tree)
    );
    tree.index(&[]);
    let fresh = status(&tree);
    assert!(
        fresh.contains("fresh     ROOT/app/old.jsonl.gz: "),
        "{fresh}"
    );
    assert!(
        fresh.contains("fresh     ROOT/app/z.jsonl.zst: 1 block, "),
        "{fresh}"
    );
    let mut f = fs::OpenOptions::new()
        .append(true)
        .open(tree.path("app/api_2024-01-15.jsonl"))
        .unwrap();
    f.write_all(records(9000, 3).as_bytes()).unwrap();
    drop(f);
    fs::write(tree.path("python/pjl.jsonl"), "{}\n").unwrap();
    let later = status(&tree);
    assert!(
        later.contains("appended  ROOT/app/api_2024-01-15.jsonl: "),
        "{later}"
    );
    assert!(
        later.contains("stale     ROOT/python/pjl.jsonl: the file changed size"),
        "{later}"
    );
    // A second run builds only what is not fresh.
    let again = String::from_utf8(tree.index(&[]).stdout).unwrap();
    assert!(
        again.contains(&format!(
            "fresh   {}",
            tree.path("app/old.jsonl.gz").display()
        )),
        "{again}"
    );
    assert!(
        again.contains(&format!(
            "indexed {}",
            tree.path("python/pjl.jsonl").display()
        )),
        "{again}"
    );
}

#[test]
fn prune_deletes_the_indexes_of_files_that_are_gone() {
    let tree = Tree::new();
    tree.index(&[]);
    let sidecars = |tree: &Tree| fs::read_dir(tree.cache.path()).unwrap().count();
    assert_eq!(sidecars(&tree), 13);
    // A sidecar of a file elsewhere is not this tree's to delete.
    let other = tempfile::tempdir().unwrap();
    fs::write(other.path().join("a.jsonl"), records(0, 5)).unwrap();
    logq()
        .env("LOGQ_CACHE_DIR", tree.cache.path())
        .arg("index")
        .arg(other.path())
        .assert()
        .success();
    // Replaced by another file (written beside it, then renamed over it:
    // another inode for sure), deleted, rotated (renamed: kept). Nothing is
    // created after the deletions, so no inode is reused.
    let ecs = tree.path("python/ecs.jsonl");
    let new = tree.path("python/ecs.new");
    fs::copy(&ecs, &new).unwrap();
    fs::rename(&new, &ecs).unwrap();
    age(&ecs);
    fs::remove_file(tree.path("python/pjl.jsonl")).unwrap();
    fs::remove_file(other.path().join("a.jsonl")).unwrap();
    fs::rename(tree.path("app/z.jsonl.zst"), tree.path("app/z.1.jsonl.zst")).unwrap();
    // An interrupted run's temporary file, two hours old.
    let tmp = tree.cache.path().join(".1-2.lqi.99.tmp");
    fs::write(&tmp, "").unwrap();
    fs::File::options()
        .write(true)
        .open(&tmp)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(7200))
        .unwrap();
    let out = String::from_utf8(tree.index(&["--prune"]).stdout).unwrap();
    assert!(out.contains(&format!("indexed {}", ecs.display())), "{out}");
    assert!(
        out.contains(&format!(
            "fresh   {}",
            tree.path("app/z.1.jsonl.zst").display()
        )),
        "{out}"
    );
    assert!(
        out.ends_with("pruned 2 indexes of files that are gone\n")
            || out.contains("pruned 2 indexes of files that are gone\n"),
        "{out}"
    );
    assert!(!tmp.exists());
    // 12 files of the tree, and the other folder's.
    assert_eq!(sidecars(&tree), 13);
    let status = String::from_utf8(tree.index(&["--status"]).stdout).unwrap();
    assert!(status.lines().all(|l| l.starts_with("fresh ")), "{status}");
}

#[test]
fn other_roles_make_an_index_stale() {
    let tree = Tree::new();
    tree.index(&[]);
    let out = logq()
        .env("LOGQ_CACHE_DIR", tree.cache.path())
        .args(["index", "--status", "--field-map", "level=severity"])
        .arg(tree.root())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .all(|l| l.starts_with("stale ") && l.contains("built with other --field-map")),
        "{text}"
    );
}

#[test]
fn damaged_and_binary_files_are_named_and_left_unindexed() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let good = gzip(records(0, 400).as_bytes());
    fs::write(dir.path().join("cut.jsonl.gz"), &good[..good.len() / 2]).unwrap();
    let mut crc = good.clone();
    let n = crc.len();
    crc[n - 6] ^= 0xff;
    fs::write(dir.path().join("crc.jsonl.gz"), crc).unwrap();
    fs::write(dir.path().join("bin.jsonl"), b"{\"a\":1}\n\0\0\0\n").unwrap();
    fs::write(dir.path().join("ok.jsonl"), records(0, 10)).unwrap();
    let out = logq()
        .env("LOGQ_CACHE_DIR", cache.path())
        .args(["index", "--block-size", "2K"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    let d = dir.path().display();
    assert!(
        err.contains(&format!("logq: {d}/cut.jsonl.gz: not indexed: ")),
        "{err}"
    );
    assert!(
        err.contains(&format!("logq: {d}/crc.jsonl.gz: not indexed: ")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "logq: {d}/bin.jsonl: not indexed: a NUL byte at offset 8"
        )),
        "{err}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    // The index's size holds the file's path: its length varies.
    let indexed = format!("indexed {d}/ok.jsonl: 1 block, 1.5 kB of text, index ");
    assert!(
        stdout.starts_with(&indexed) && stdout.ends_with(" B\n"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn an_unwritable_cache_is_named() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.jsonl"), records(0, 10)).unwrap();
    let blocker = dir.path().join("file");
    fs::write(&blocker, "").unwrap();
    let out = logq()
        .args(["index", "--index-dir"])
        .arg(blocker.join("cache"))
        .arg(dir.path().join("a.jsonl"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("not indexed: cannot write the index "),
        "{err}"
    );
}

#[test]
fn auto_index_from_the_config_file_indexes_finished_files_first() {
    let tree = Tree::new();
    let config = tree.dir.path().join("logq.conf");
    fs::write(&config, "--auto-index\n").unwrap();
    let out = logq()
        .env("LOGQ_CACHE_DIR", tree.cache.path())
        .env("LOGQ_CONFIG", &config)
        .args(["-c", "req-10", "-o", "raw"])
        .arg(tree.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
    let status = String::from_utf8(tree.index(&["--status"]).stdout).unwrap();
    assert!(status.lines().all(|l| l.starts_with("fresh ")), "{status}");
    // tail builds nothing.
    let cache = tempfile::tempdir().unwrap();
    logq()
        .env("LOGQ_CACHE_DIR", cache.path())
        .env("LOGQ_CONFIG", &config)
        .args(["tail", "-n", "1"])
        .arg(tree.root())
        .output()
        .unwrap();
    assert_eq!(fs::read_dir(cache.path()).unwrap().count(), 0);
}
