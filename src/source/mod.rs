//! Where records come from: the list of inputs and how each is opened.
//!
//! Owns walking directories with the default or `--glob` patterns, the
//! category a file's folder gives (SPEC §1), skipping files whose name date
//! is outside `--since/--until`, and opening (see [`open`]). Reading the
//! bytes into records is left to `scan`.

pub mod chunk;
pub mod open;
pub mod seek;
pub mod sigbus;

use crate::record::Timestamp;
use chrono::NaiveDate;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

/// One thing to read: a file or stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The file, or `None` for stdin.
    pub path: Option<PathBuf>,
    /// The category given by the first folder under the root, else the
    /// file's parent folder.
    pub category: Option<String>,
}

impl Input {
    /// Standard input.
    pub fn stdin() -> Input {
        Input {
            path: None,
            category: None,
        }
    }

    /// How the input is named in messages and in `source` fields.
    pub fn display(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => "<stdin>".to_string(),
        }
    }

    /// The date in the file name (`app_2024-01-15.jsonl.gz`), if any.
    pub fn name_date(&self) -> Option<NaiveDate> {
        let name = self.path.as_ref()?.file_name()?.to_str()?;
        name_date(name)
    }
}

/// Finds the first `YYYY-MM-DD` in a file name.
pub fn name_date(name: &str) -> Option<NaiveDate> {
    let b = name.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let s = name.get(i..i + 10)?;
        let ok = s.bytes().enumerate().all(|(j, c)| {
            if j == 4 || j == 7 {
                c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
        let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
        let after_ok = b.get(i + 10).is_none_or(|c| !c.is_ascii_digit());
        if ok && before_ok && after_ok {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
        } else {
            None
        }
    })
}

/// Which files a directory walk yields.
#[derive(Debug, Clone)]
pub struct FileGlobs {
    include: GlobSet,
    exclude: GlobSet,
}

/// The patterns a directory yields by default (SPEC §1), compressed or not.
pub const DEFAULT_GLOBS: [&str; 4] = ["*.jsonl", "*.json", "*.log", "*.log.[0-9]*"];
const COMPRESSED: [&str; 4] = ["gz", "zst", "bz2", "xz"];

impl FileGlobs {
    /// Builds from `--glob` patterns: positive ones replace the defaults,
    /// `!pattern` ones exclude.
    pub fn new(patterns: &[String]) -> Result<FileGlobs, String> {
        let build = |pats: &[String]| -> Result<GlobSet, String> {
            let mut b = GlobSetBuilder::new();
            for p in pats {
                let glob = Glob::new(p).map_err(|e| format!("invalid --glob '{p}': {e}"))?;
                b.add(glob);
            }
            b.build().map_err(|e| e.to_string())
        };
        let (neg, pos): (Vec<String>, Vec<String>) =
            patterns.iter().cloned().partition(|p| p.starts_with('!'));
        let neg: Vec<String> = neg.into_iter().map(|p| p[1..].to_string()).collect();
        let pos = if pos.is_empty() {
            let mut d: Vec<String> = DEFAULT_GLOBS.iter().map(|s| s.to_string()).collect();
            for g in DEFAULT_GLOBS {
                d.extend(COMPRESSED.iter().map(|ext| format!("{g}.{ext}")));
            }
            d
        } else {
            pos
        };
        Ok(FileGlobs {
            include: build(&pos)?,
            exclude: build(&neg)?,
        })
    }

    fn is_match(&self, rel: &Path) -> bool {
        let name = rel.file_name().map(Path::new).unwrap_or(rel);
        (self.include.is_match(rel) || self.include.is_match(name))
            && !(self.exclude.is_match(rel) || self.exclude.is_match(name))
    }
}

/// The inputs found, and the paths that could not be read.
#[derive(Debug, Default)]
pub struct Discovery {
    pub inputs: Vec<Input>,
    pub errors: Vec<(PathBuf, std::io::Error)>,
}

/// Lists the inputs under the given paths, in a stable order (each argument
/// in turn, directories walked in name order).
pub fn discover(paths: &[PathBuf], globs: &FileGlobs) -> Discovery {
    let mut out = Discovery::default();
    for root in paths {
        match std::fs::metadata(root) {
            Ok(m) if m.is_dir() => walk(root, root, globs, &mut out),
            Ok(_) => {
                let category = parent_name(root);
                out.inputs.push(Input {
                    path: Some(root.clone()),
                    category,
                });
            }
            Err(e) => out.errors.push((root.clone(), e)),
        }
    }
    out
}

fn parent_name(p: &Path) -> Option<String> {
    let parent = p.parent()?;
    let parent = if parent.as_os_str().is_empty() {
        std::env::current_dir().ok()?
    } else {
        parent.canonicalize().ok()?
    };
    parent.file_name()?.to_str().map(str::to_string)
}

fn walk(root: &Path, dir: &Path, globs: &FileGlobs, out: &mut Discovery) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            out.errors.push((dir.to_path_buf(), e));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                // A dangling link is an error only if it names a log file.
                if globs.is_match(path.strip_prefix(root).unwrap_or(&path)) {
                    out.errors.push((path, e));
                }
                continue;
            }
        };
        let rel = path.strip_prefix(root).unwrap_or(&path);
        if meta.is_dir() {
            if !is_link_to_ancestor(&path, dir) {
                walk(root, &path, globs, out);
            }
        } else if globs.is_match(rel) {
            let mut comps = rel.components();
            let first = comps.next();
            let category = match (first, comps.next()) {
                (Some(c), Some(_)) => c.as_os_str().to_str().map(str::to_string),
                _ => parent_name(&path),
            };
            out.inputs.push(Input {
                path: Some(path),
                category,
            });
        }
    }
}

/// Whether `path` is a symlink to `dir` or one of its parents: following it
/// would walk the same files again and again (a `logs/all -> .` loop).
fn is_link_to_ancestor(path: &Path, dir: &Path) -> bool {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    is_link
        && match (path.canonicalize(), dir.canonicalize()) {
            (Ok(target), Ok(dir)) => dir.starts_with(target),
            _ => true,
        }
}

/// Whether a file named for `date` may hold records in [since, until). A
/// margin of 14 hours each side allows for files written in local time.
pub fn date_may_overlap(
    date: NaiveDate,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
) -> bool {
    let Some(start) = date.and_hms_opt(0, 0, 0) else {
        return true;
    };
    let start = Timestamp::from_utc(start.and_utc());
    let margin = 14 * 3600 * 1_000_000_000i64;
    let day = 24 * 3600 * 1_000_000_000i64;
    let lo = Timestamp(start.0 - margin);
    let hi = Timestamp(start.0 + day + margin);
    since.is_none_or(|s| hi > s) && until.is_none_or(|u| lo < u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_date_in_name() {
        assert_eq!(
            name_date("app_2024-01-15.jsonl.gz"),
            NaiveDate::from_ymd_opt(2024, 1, 15)
        );
        assert_eq!(
            name_date("2024-01-15"),
            NaiveDate::from_ymd_opt(2024, 1, 15)
        );
        assert_eq!(name_date("ing_abc123.jsonl"), None);
        assert_eq!(name_date("x12024-01-15.log"), None);
        assert_eq!(name_date("app_2024-13-45.log"), None);
    }

    #[test]
    fn default_globs_and_negation() {
        let g = FileGlobs::new(&[]).unwrap();
        for ok in [
            "a.jsonl",
            "x/a.json",
            "a.log",
            "a.log.1",
            "a.jsonl.gz",
            "a.log.3.gz",
        ] {
            assert!(g.is_match(Path::new(ok)), "{ok}");
        }
        for no in ["a.txt", "a.gz", "README.md"] {
            assert!(!g.is_match(Path::new(no)), "{no}");
        }
        let g = FileGlobs::new(&["!*.gz".to_string()]).unwrap();
        assert!(g.is_match(Path::new("a.jsonl")));
        assert!(!g.is_match(Path::new("a.jsonl.gz")));
        assert!(FileGlobs::new(&["[".to_string()]).is_err());
    }

    #[test]
    fn date_pruning_has_margin() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 15).unwrap();
        let t = |s: &str| Some(Timestamp::parse(s).unwrap());
        assert!(date_may_overlap(d, t("2024-01-15T12:00:00Z"), None));
        assert!(date_may_overlap(d, t("2024-01-16T10:00:00Z"), None));
        assert!(!date_may_overlap(d, t("2024-01-17T00:00:00Z"), None));
        assert!(!date_may_overlap(d, None, t("2024-01-14T00:00:00Z")));
    }
}
