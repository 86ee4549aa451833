//! Messages on stderr and the exit status.
//!
//! Owns the "an error happened" flag: a bad input is reported here and the
//! scan goes on; the flag turns the final status into 2 (SPEC §7).

use crate::scan::Summary;
use crate::source::Input;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

static ERRORED: AtomicBool = AtomicBool::new(false);

/// How the process ends: 0, 1 or 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Match,
    NoMatch,
    Error,
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
        }
    }
}

/// Prints `logq: message` and marks the run as failed.
pub fn error(message: impl std::fmt::Display) {
    ERRORED.store(true, Ordering::Relaxed);
    eprintln!("logq: {message}");
}

/// Prints `logq: warning: message`; the status is unaffected.
pub fn warning(message: impl std::fmt::Display) {
    eprintln!("logq: warning: {message}");
}

/// Whether an error was reported.
pub fn has_errored() -> bool {
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

/// Reports what went wrong with each input, and its unparsed lines.
pub fn summaries(inputs: &[Input], summaries: &[Summary], show_invalid: bool) {
    for (input, s) in inputs.iter().zip(summaries) {
        let name = input.display();
        if let Some(e) = &s.error {
            if s.lines > 0 {
                error(format!("{name}:{}: {}", s.lines + 1, describe(e)));
            } else {
                error(format!("{name}: {}", describe(e)));
            }
        }
        if s.shrank {
            error(format!(
                "{name}: the file was truncated while being read; results may be incomplete"
            ));
        }
        // Past the new end of a shrunk file the map reads zeros, which are
        // not unparsed lines of the log.
        if s.invalid > 0 && !show_invalid && !s.shrank {
            let (what, verb) = if s.invalid == 1 {
                ("line", "is not a JSON or log record")
            } else {
                ("lines", "are not JSON or log records")
            };
            warning(format!(
                "{} {what} in {name} {verb}; --show-invalid to see them",
                s.invalid
            ));
        }
    }
}
