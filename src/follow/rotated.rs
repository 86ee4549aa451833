//! Telling a file rotated away by its writer from one that disappeared.
//!
//! Owns one question, asked when a followed path has been missing for a
//! while: did the writer rotate it? Writers that compress on rotation leave
//! the path empty for as long as compression takes: loguru renames
//! `app.log` to `app.2024-03-12_10-00-00_123456.log`, gzips that to
//! `….log.gz`, deletes it, and only then opens a new `app.log`; a
//! `RotatingFileHandler` whose rotator gzips reads `app.log` into
//! `app.log.1.gz` and deletes it, and with `delay=True` opens the new file
//! at the next record; a daily file is compressed when its day is over and
//! never comes back. None of these is worth a warning. The sign is what
//! the writer leaves: the followed file under another name (its handle,
//! still open here, tells: see `Follower`), or a compressed file beside the
//! path, named like it, that was not there before (this module).

use super::file::FileId;
use super::select::is_live_name;
use std::collections::HashMap;
use std::fs::Metadata;
use std::path::Path;
use std::time::SystemTime;

/// Whether the folder of `path` holds a compressed file whose name starts
/// like the path's (`app.` for `app.log`, `app_2024-01-15.` for
/// `app_2024-01-15.jsonl`) and which is not among `existing` (files there
/// at start, or closed since, with their times of last change).
pub fn has_new_compressed_copy(
    path: &Path,
    existing: &HashMap<FileId, Option<SystemTime>>,
) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let stem = format!("{}.", name.split('.').next().unwrap_or(name));
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let entry = e.path();
        let is_copy_name = e.file_name().to_str().is_some_and(|n| n.starts_with(&stem))
            && !is_live_name(&entry)
            && is_compressed_name(&entry);
        is_copy_name && e.metadata().is_ok_and(|m| !is_old(&m, existing))
    })
}

fn is_compressed_name(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["gz", "zst", "bz2", "xz"]
            .iter()
            .any(|c| e.eq_ignore_ascii_case(c))
    })
}

/// Whether a file was there at start and has not changed since.
fn is_old(meta: &Metadata, existing: &HashMap<FileId, Option<SystemTime>>) -> bool {
    existing
        .get(&FileId::of(meta))
        .is_some_and(|t| *t == meta.modified().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn remember(paths: &[&Path]) -> HashMap<FileId, Option<SystemTime>> {
        paths
            .iter()
            .map(|p| {
                let m = fs::metadata(p).unwrap();
                (FileId::of(&m), m.modified().ok())
            })
            .collect()
    }

    #[test]
    fn a_new_compressed_copy_is_a_rotation_an_old_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("app.log");
        let old = dir.path().join("app.2024-03-11_10-00-00_000000.log.gz");
        fs::write(&old, "gz").unwrap();
        let other = dir.path().join("worker.log.1.gz");
        fs::write(&other, "gz").unwrap();
        let existing = remember(&[&old, &other]);
        assert!(!has_new_compressed_copy(&log, &existing), "nothing new");
        fs::write(dir.path().join("app.log.1"), "x\n").unwrap();
        assert!(!has_new_compressed_copy(&log, &existing), "not compressed");
        fs::write(dir.path().join("app.2024-03-12_10-00-00_1.log.gz"), "gz").unwrap();
        assert!(has_new_compressed_copy(&log, &existing), "loguru");
        fs::write(&old, "changed").unwrap();
        let existing = remember(&[&old, &other]);
        fs::remove_file(dir.path().join("app.2024-03-12_10-00-00_1.log.gz")).unwrap();
        assert!(!has_new_compressed_copy(&log, &existing));
        fs::write(dir.path().join("app.log.1.gz"), "gz").unwrap();
        assert!(has_new_compressed_copy(&log, &existing), "gzipping rotator");
    }

    #[test]
    fn the_copy_must_be_named_like_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let day = dir.path().join("app_2024-01-15.jsonl");
        fs::write(dir.path().join("app_2024-01-14.jsonl.gz"), "gz").unwrap();
        fs::write(dir.path().join("application.log.gz"), "gz").unwrap();
        assert!(!has_new_compressed_copy(&day, &HashMap::new()));
        fs::write(dir.path().join("app_2024-01-15.jsonl.gz"), "gz").unwrap();
        assert!(has_new_compressed_copy(&day, &HashMap::new()));
    }
}
