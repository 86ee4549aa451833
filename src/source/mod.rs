//! Where records come from: the list of inputs and how each is opened.
//!
//! Owns walking directories with the default names (see [`name`]) or
//! `--glob` patterns, the category a file's folder gives (SPEC §1) and the
//! [`Origin`] that carries it beside each record, skipping files whose name
//! date is outside `--since/--until`, opening (see [`open`]), cutting bytes
//! into line-aligned chunks ([`chunk`]) or, for inputs still being written,
//! into whole records as they arrive ([`assemble`], [`live`]), and seeking by
//! time ([`seek`]). What a line means is `record`'s; parsing and filtering
//! the bytes is left to `scan`.

pub mod assemble;
pub mod chunk;
pub mod guard;
pub mod live;
pub mod name;
pub mod open;
pub mod seek;
pub mod sigbus;
pub mod stdin;

use crate::record::Timestamp;
use chrono::NaiveDate;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

/// Where a record comes from: which input, and the category its folder
/// gives (SPEC §1; a record's own `category` field wins, see
/// `Record::category`). Carried beside the record to the printers.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'c> {
    /// Index of the input.
    pub input: usize,
    /// The category its folder gives.
    pub category: Option<&'c str>,
}

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

    /// Whether the date in the file name (`app_2024-01-15.jsonl.gz`,
    /// `worker.jsonl.2024-03-11`) puts all its records outside
    /// [since, until), so that it need not be opened.
    pub fn is_outside(&self, since: Option<Timestamp>, until: Option<Timestamp>) -> bool {
        let name = self.path.as_ref().and_then(|p| p.file_name()?.to_str());
        name.and_then(name::name_days)
            .is_some_and(|(first, last)| !days_may_overlap(first, last, since, until))
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
    /// `None`: the default log names ([`name::parse`]).
    include: Option<GlobSet>,
    exclude: GlobSet,
    is_default: bool,
}

impl FileGlobs {
    /// Builds from `--glob` patterns: positive ones replace the default log
    /// names, `!pattern` ones exclude.
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
        let include = if pos.is_empty() {
            None
        } else {
            Some(build(&pos)?)
        };
        Ok(FileGlobs {
            include,
            exclude: build(&neg)?,
            is_default: patterns.is_empty(),
        })
    }

    /// Whether no `--glob` was given, so a walk yields the default log
    /// names only.
    pub fn is_default(&self) -> bool {
        self.is_default
    }

    fn is_match(&self, rel: &Path) -> bool {
        let name = rel.file_name().map(Path::new).unwrap_or(rel);
        let included = match &self.include {
            Some(globs) => globs.is_match(rel) || globs.is_match(name),
            None => name.to_str().and_then(name::parse).is_some(),
        };
        included && !(self.exclude.is_match(rel) || self.exclude.is_match(name))
    }
}

/// The inputs found, and the paths that could not be read.
#[derive(Debug, Default)]
pub struct Discovery {
    pub inputs: Vec<Input>,
    pub errors: Vec<(PathBuf, std::io::Error)>,
    /// With the default names only: each walked folder holding regular files
    /// that were not yielded, with their number, in walk order.
    pub unsearched: Vec<(PathBuf, usize)>,
    /// The folders given (or defaulted to) that yielded no file at all.
    pub empty: Vec<PathBuf>,
}

impl Discovery {
    /// Standard input alone.
    pub fn stdin() -> Discovery {
        Discovery {
            inputs: vec![Input::stdin()],
            ..Discovery::default()
        }
    }
}

/// Lists the inputs under the given paths, in a stable order (each argument
/// in turn, directories walked in name order but for rotated copies, which
/// come just before their live file, oldest first: see [`name::walk_key`]).
pub fn discover(paths: &[PathBuf], globs: &FileGlobs) -> Discovery {
    let mut out = Discovery::default();
    for root in paths {
        match std::fs::metadata(root) {
            Ok(m) if m.is_dir() => {
                let before = out.inputs.len();
                walk(root, root, globs, &mut out);
                if out.inputs.len() == before {
                    out.empty.push(root.clone());
                }
            }
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
    paths.sort_by_cached_key(|p| {
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        let (live, age, name) = name::walk_key(&name);
        (live.to_string(), age, name.to_string(), p.clone())
    });
    let mut unsearched = 0;
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
        } else if !meta.is_file() {
            // A FIFO would block the search until someone writes to it, a
            // device (`z.jsonl -> /dev/zero`) never ends, a socket cannot be
            // opened: a walk yields regular files only, as ripgrep's does
            // (issue 13). Named as arguments, they are read as streams.
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
        } else if meta.is_file() && globs.is_default() {
            unsearched += 1;
        }
    }
    if unsearched > 0 {
        out.unsearched.push((dir.to_path_buf(), unsearched));
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

/// Whether a file whose records are from the days `first` to `last` may
/// hold records in [since, until). A margin of 14 hours each side allows
/// for files written in local time.
pub fn days_may_overlap(
    first: NaiveDate,
    last: NaiveDate,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
) -> bool {
    let (Some(start), Some(end)) = (first.and_hms_opt(0, 0, 0), last.and_hms_opt(0, 0, 0)) else {
        return true;
    };
    let start = Timestamp::from_utc(start.and_utc());
    let end = Timestamp::from_utc(end.and_utc());
    let margin = 14 * 3600 * 1_000_000_000i128;
    let day = 24 * 3600 * 1_000_000_000i128;
    let lo = Timestamp(start.0 - margin);
    let hi = Timestamp(end.0 + day + margin);
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
            "x/worker.jsonl.2",
            "worker.json.3.zst",
            "worker.jsonl.2024-03-11",
            "worker.log.2024-03-11.bz2",
        ] {
            assert!(g.is_match(Path::new(ok)), "{ok}");
        }
        assert!(g.is_default());
        for no in [
            "a.txt",
            "a.gz",
            "README.md",
            "worker.jsonl.bak",
            "worker.jsonl.swp",
            "a.log.1x",
        ] {
            assert!(!g.is_match(Path::new(no)), "{no}");
        }
        let g = FileGlobs::new(&["!*.gz".to_string()]).unwrap();
        assert!(g.is_match(Path::new("a.jsonl")));
        assert!(g.is_match(Path::new("a.jsonl.1")));
        assert!(!g.is_match(Path::new("a.jsonl.gz")));
        assert!(!g.is_default());
        assert!(FileGlobs::new(&["[".to_string()]).is_err());
    }

    #[test]
    fn date_pruning_has_margin() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 15).unwrap();
        let t = |s: &str| Some(Timestamp::parse(s).unwrap());
        assert!(days_may_overlap(d, d, t("2024-01-15T12:00:00Z"), None));
        assert!(days_may_overlap(d, d, t("2024-01-16T10:00:00Z"), None));
        assert!(!days_may_overlap(d, d, t("2024-01-17T00:00:00Z"), None));
        assert!(!days_may_overlap(d, d, None, t("2024-01-14T00:00:00Z")));
        let last = NaiveDate::from_ymd_opt(2024, 1, 17).unwrap();
        assert!(days_may_overlap(d, last, t("2024-01-18T10:00:00Z"), None));
        assert!(!days_may_overlap(d, last, t("2024-01-18T14:00:00Z"), None));
    }

    #[test]
    fn rotated_copy_is_outside_by_its_suffix_date() {
        let input = Input {
            path: Some(PathBuf::from("w/worker.jsonl.2024-03-11.gz")),
            category: None,
        };
        let t = |s: &str| Some(Timestamp::parse(s).unwrap());
        assert!(!input.is_outside(t("2024-03-17T12:00:00Z"), None));
        assert!(input.is_outside(t("2024-03-20T00:00:00Z"), None));
        assert!(!input.is_outside(None, t("2024-03-10T12:00:00Z")));
        assert!(input.is_outside(None, t("2024-03-09T00:00:00Z")));
        let numbered = Input {
            path: Some(PathBuf::from("w/worker.jsonl.3")),
            category: None,
        };
        assert!(!numbered.is_outside(t("2030-01-01T00:00:00Z"), None));
    }
}
