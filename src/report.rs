//! Messages on stderr and the exit status.
//!
//! Owns the "an error happened" flag: a bad input is reported here and the
//! scan goes on; the flag turns the final status into 2 (SPEC §7).

use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

static ERRORED: AtomicBool = AtomicBool::new(false);

/// How the process ends: 0, 1 or 2, or 130 after Ctrl-C.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Match,
    NoMatch,
    Error,
    /// Stopped by Ctrl-C (see `interrupt`): 128 + SIGINT, as a shell says.
    Interrupted,
}

impl ExitStatus {
    /// The status for "found something or not", turned into `Error` when any
    /// error was reported.
    pub fn from_found(found: bool) -> ExitStatus {
        if has_errored() {
            ExitStatus::Error
        } else if found {
            ExitStatus::Match
        } else {
            ExitStatus::NoMatch
        }
    }

    /// The process exit code.
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Match => 0,
            ExitStatus::NoMatch => 1,
            ExitStatus::Error => 2,
            ExitStatus::Interrupted => 130,
        }
    }
}

/// Prints `logq: message` and marks the run as failed.
pub fn error(message: impl std::fmt::Display) {
    ERRORED.store(true, Ordering::Relaxed);
    let message = safe(message);
    crate::progress::above(|| eprintln!("logq: {message}"));
}

/// Prints `logq: warning: message`; the status is unaffected.
pub fn warning(message: impl std::fmt::Display) {
    let message = safe(message);
    crate::progress::above(|| eprintln!("logq: warning: {message}"));
}

/// Prints `logq: note: message`; the status is unaffected.
pub fn note(message: impl std::fmt::Display) {
    let message = safe(message);
    crate::progress::above(|| eprintln!("logq: note: {message}"));
}

/// Prints `logq: message`, a hint on why nothing matched; the status is
/// unaffected.
pub fn hint(message: impl std::fmt::Display) {
    eprintln!("logq: {}", safe(message));
}

/// A message as it may reach a terminal: file names and values quoted in it
/// come from the disk or the logs, so control and bidi characters (and
/// newlines, which would forge a `logq:` line) are escaped (issue 13).
/// Messages are one line each, so nothing of ours is lost.
pub fn safe(message: impl std::fmt::Display) -> String {
    crate::escape::escape(&message.to_string(), false).into_owned()
}

/// After a search that matched nothing: says how many files in the walked
/// folders the default names left out, so that records in `worker.txt` or
/// `app.log-20240311` are not missed silently. Nothing when there are none.
pub fn unsearched(folders: &[(PathBuf, usize)]) {
    if let Some(message) = unsearched_message(folders) {
        note(message);
    }
}

/// At most this many folders are named in the note.
const MAX_FOLDERS_NAMED: usize = 3;

fn unsearched_message(folders: &[(PathBuf, usize)]) -> Option<String> {
    let total: usize = folders.iter().map(|(_, n)| n).sum();
    let (files, were, why, them) = if total == 1 {
        ("file", "was", "not a log file name", "it")
    } else {
        ("files", "were", "not log file names", "them")
    };
    let place = match folders {
        [] => return None,
        [(dir, _)] => format!("{total} {files} in {}", dir.display()),
        _ => {
            let mut parts: Vec<String> = folders
                .iter()
                .take(MAX_FOLDERS_NAMED)
                .map(|(dir, n)| format!("{n} in {}", dir.display()))
                .collect();
            let rest = &folders[folders.len().min(MAX_FOLDERS_NAMED)..];
            if !rest.is_empty() {
                let n: usize = rest.iter().map(|(_, n)| n).sum();
                let more = if rest.len() == 1 { "folder" } else { "folders" };
                parts.push(format!("{n} in {} more {more}", rest.len()));
            }
            format!("{total} {files} ({})", parts.join(", "))
        }
    };
    Some(format!(
        "{place} {were} not searched ({why}); --glob '*' to include {them}"
    ))
}

/// Forgets the errors of an earlier run in this process (`crate::run_to`).
pub fn clear() {
    ERRORED.store(false, Ordering::Relaxed);
}

/// Whether an error was reported.
fn has_errored() -> bool {
    ERRORED.load(Ordering::Relaxed)
}

/// Explains an I/O error in user terms.
pub fn describe(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => {
            "truncated compressed data (the records before the damage were read)".into()
        }
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => {
            format!("corrupt compressed data: {e} (the records before the damage were read)")
        }
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::NotFound => "no such file or directory".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folders(list: &[(&str, usize)]) -> Vec<(PathBuf, usize)> {
        list.iter().map(|(d, n)| (PathBuf::from(d), *n)).collect()
    }

    #[test]
    fn unsearched_names_the_folder_and_count() {
        assert_eq!(unsearched_message(&[]), None);
        assert_eq!(
            unsearched_message(&folders(&[("logs", 1)])).as_deref(),
            Some("1 file in logs was not searched (not a log file name); --glob '*' to include it")
        );
        assert_eq!(
            unsearched_message(&folders(&[("logs", 2), ("logs/app", 3)])).as_deref(),
            Some(
                "5 files (2 in logs, 3 in logs/app) were not searched (not log file names); \
                 --glob '*' to include them"
            )
        );
    }

    #[test]
    fn unsearched_names_three_folders_at_most() {
        let four = folders(&[("a", 1), ("b", 2), ("c", 3), ("d", 4)]);
        assert_eq!(
            unsearched_message(&four).as_deref(),
            Some(
                "10 files (1 in a, 2 in b, 3 in c, 4 in 1 more folder) were not searched \
                 (not log file names); --glob '*' to include them"
            )
        );
        let five = folders(&[("a", 1), ("b", 1), ("c", 1), ("d", 1), ("e", 1)]);
        assert!(unsearched_message(&five)
            .unwrap()
            .contains("1 in c, 2 in 2 more folders)"));
    }
}
