//! Severity levels: parsing the many spellings found in logs, and ordering.
//!
//! Owns the mapping from a raw level value (a name in any case, an alias, or
//! a number) to [`Level`]. The ordering of the enum is the severity order
//! used by `-l`, `level >= warning` in `-q`, and `stats`.

use std::fmt;
use std::str::FromStr;

/// A normalized severity, ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Success,
    Warning,
    Error,
    Critical,
}

impl Level {
    /// Every level, in severity order.
    pub const ALL: [Level; 7] = [
        Level::Trace,
        Level::Debug,
        Level::Info,
        Level::Success,
        Level::Warning,
        Level::Error,
        Level::Critical,
    ];

    /// Parses a level name, case-insensitively, accepting the usual aliases
    /// (`warn`, `fatal`, `err`, `crit`, `notice`…) and numeric strings.
    pub fn parse(s: &str) -> Option<Level> {
        // The spellings found in nearly every log, without the folding below.
        match s {
            "INFO" | "info" => return Some(Level::Info),
            "DEBUG" | "debug" => return Some(Level::Debug),
            "WARNING" | "warning" | "WARN" | "warn" => return Some(Level::Warning),
            "ERROR" | "error" => return Some(Level::Error),
            "CRITICAL" | "critical" => return Some(Level::Critical),
            _ => {}
        }
        let s = s.trim();
        if s.is_empty() || s.len() > 16 {
            return None;
        }
        if s.as_bytes()[0].is_ascii_digit() {
            return s
                .parse::<f64>()
                .ok()
                .and_then(|n| Level::from_number(n, false));
        }
        let mut buf = [0u8; 16];
        let lower = &mut buf[..s.len()];
        lower.copy_from_slice(s.as_bytes());
        lower.make_ascii_lowercase();
        Some(match &*lower {
            b"trace" | b"trc" | b"verbose" => Level::Trace,
            b"debug" | b"dbg" | b"debu" => Level::Debug,
            b"info" | b"inf" | b"information" | b"notice" => Level::Info,
            b"success" => Level::Success,
            b"warning" | b"warn" | b"wrn" => Level::Warning,
            b"error" | b"err" | b"eror" => Level::Error,
            b"critical" | b"crit" | b"fatal" | b"crt" | b"emergency" | b"alert" | b"panic" => {
                Level::Critical
            }
            _ => return None,
        })
    }

    /// Maps a numeric level. Python's `logging` numbers (10 debug … 50
    /// critical, loguru's 5 trace and 25 success) unless `pino` is set, in
    /// which case pino's scale applies (10 trace, 20 debug, 30 info, 40 warn,
    /// 50 error, 60 fatal).
    pub fn from_number(n: f64, pino: bool) -> Option<Level> {
        if !n.is_finite() || n < 0.0 {
            return None;
        }
        Some(if pino {
            match n as i64 {
                0..=10 => Level::Trace,
                11..=20 => Level::Debug,
                21..=30 => Level::Info,
                31..=40 => Level::Warning,
                41..=50 => Level::Error,
                _ => Level::Critical,
            }
        } else {
            match n as i64 {
                0..=9 => Level::Trace,
                10..=19 => Level::Debug,
                20..=24 => Level::Info,
                25..=29 => Level::Success,
                30..=39 => Level::Warning,
                40..=49 => Level::Error,
                _ => Level::Critical,
            }
        })
    }

    /// The canonical upper-case name (`WARNING`, `CRITICAL`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Trace => "TRACE",
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Success => "SUCCESS",
            Level::Warning => "WARNING",
            Level::Error => "ERROR",
            Level::Critical => "CRITICAL",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Level::parse(s).ok_or_else(|| {
            format!("unknown level '{s}' (expected trace, debug, info, success, warning, error or critical)")
        })
    }
}

/// The `-l` filter: a threshold (`warn` and above) or one exact level (`=error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelFilter {
    AtLeast(Level),
    Exactly(Level),
}

impl LevelFilter {
    /// Parses `-l` values: `warn`, `=error`, `30`.
    pub fn parse(s: &str) -> Result<LevelFilter, String> {
        match s.strip_prefix('=') {
            Some(rest) => rest.parse().map(LevelFilter::Exactly),
            None => s.parse().map(LevelFilter::AtLeast),
        }
    }

    /// Whether a record of this level passes.
    pub fn is_match(self, level: Level) -> bool {
        match self {
            LevelFilter::AtLeast(min) => level >= min,
            LevelFilter::Exactly(l) => level == l,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_map_to_one_level() {
        assert_eq!(Level::parse("warn"), Some(Level::Warning));
        assert_eq!(Level::parse("WARNING"), Some(Level::Warning));
        assert_eq!(Level::parse("Fatal"), Some(Level::Critical));
        assert_eq!(Level::parse("err"), Some(Level::Error));
        assert_eq!(Level::parse("trace"), Some(Level::Trace));
        assert_eq!(Level::parse("40"), Some(Level::Error));
        assert_eq!(Level::parse("bogus"), None);
        assert_eq!(Level::parse(""), None);
        assert_eq!(Level::parse("averyveryverylonglevelname"), None);
    }

    #[test]
    fn numeric_levels_python_and_pino() {
        assert_eq!(Level::from_number(10.0, false), Some(Level::Debug));
        assert_eq!(Level::from_number(30.0, false), Some(Level::Warning));
        assert_eq!(Level::from_number(50.0, false), Some(Level::Critical));
        assert_eq!(Level::from_number(30.0, true), Some(Level::Info));
        assert_eq!(Level::from_number(60.0, true), Some(Level::Critical));
        assert_eq!(Level::from_number(-1.0, true), None);
    }

    #[test]
    fn level_filter_threshold_and_exact() {
        let warn = LevelFilter::parse("warn").unwrap();
        assert!(warn.is_match(Level::Error));
        assert!(warn.is_match(Level::Warning));
        assert!(!warn.is_match(Level::Info));
        let exact = LevelFilter::parse("=error").unwrap();
        assert!(exact.is_match(Level::Error));
        assert!(!exact.is_match(Level::Critical));
        assert!(LevelFilter::parse("nope").is_err());
    }
}
