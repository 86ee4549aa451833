//! The duration of a step: which fields hold one and in which unit.
//!
//! A record's duration is the first of these it holds: the
//! `--duration-field` paths in the order given, then [`NAMES`], then
//! [`NAMES`] under `extra`, `context` and `trace` (loguru's `bind()` and
//! custom sinks write `extra.duration_ms`, context processors `context.…`).
//! The unit always comes from the name ([`Unit::of`]), for the built-in
//! names and the given ones alike, so one rule explains every bar. The
//! list and the rule are repeated in README and `logq trace --help`; a
//! test below keeps them in step.

use crate::record::{split_path, Field, FieldPath, Record};
use anyhow::{bail, Result};

/// Writes the built-in names, then each of them under every parent, as
/// `&'static str` so a step's duration stays a `Copy` pair.
macro_rules! duration_names {
    ($($name:literal),* $(,)?) => {
        /// The built-in duration fields, in the order tried.
        pub const NAMES: &[&str] = &[$($name),*];
        /// [`NAMES`] under `extra`, `context` and `trace`, in that order.
        const NESTED: &[&str] = &[
            $(concat!("extra.", $name),)*
            $(concat!("context.", $name),)*
            $(concat!("trace.", $name),)*
        ];
    };
}

duration_names!(
    "duration_ms",
    "duration_sec",
    "latency_ms",
    "execution_time_ms",
    "elapsed",
    "duration_s",
    "duration_seconds",
    "duration_us",
    "duration_ns",
    "durationMs",
    "elapsed_ms",
    "took_ms",
    "response_time_ms",
    "duration",
);

/// How a duration field's value is read, told by the field's name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    /// A number of seconds, milliseconds… (the factor to seconds).
    Number(f64),
    /// A string with a unit (`250ms`, `1.5s`), or a number of seconds.
    Text,
}

impl Unit {
    /// The unit of a field by the end of its name: `_ms` milliseconds,
    /// `_us` microseconds, `_ns` nanoseconds, `_s`, `_sec`, `_secs`,
    /// `_seconds` seconds (or the camelCase `Ms`, `Us`, `Ns`, `Sec`, `Secs`,
    /// `Seconds`); any other name is [`Unit::Text`].
    pub fn of(name: &str) -> Unit {
        const SUFFIXES: [(&str, &str, f64); 7] = [
            ("_ms", "Ms", 1e-3),
            ("_us", "Us", 1e-6),
            ("_ns", "Ns", 1e-9),
            ("_s", "_s", 1.0),
            ("_sec", "Sec", 1.0),
            ("_secs", "Secs", 1.0),
            ("_seconds", "Seconds", 1.0),
        ];
        for (snake, camel, factor) in SUFFIXES {
            let ends = |suffix: &str| name.len() > suffix.len() && name.ends_with(suffix);
            if ends(snake) || ends(camel) {
                return Unit::Number(factor);
            }
        }
        Unit::Text
    }

    /// The value in seconds, when it is one this unit reads.
    fn seconds(self, f: &Field) -> Option<f64> {
        match (f.as_number(), self) {
            (Some(n), Unit::Number(factor)) => Some(n * factor),
            (Some(n), Unit::Text) => Some(n),
            (None, Unit::Text) => parse_unit(&f.as_str()?),
            (None, Unit::Number(_)) => None,
        }
    }
}

/// One field tried as a duration.
#[derive(Debug, Clone)]
struct Lookup {
    path: FieldPath,
    name: &'static str,
    unit: Unit,
}

impl Lookup {
    fn new(name: &'static str) -> Lookup {
        Lookup {
            path: split_path(name),
            name,
            unit: Unit::of(name),
        }
    }
}

/// The fields read as a step's duration, in the order tried.
#[derive(Debug, Clone)]
pub struct DurationFields {
    lookups: Vec<Lookup>,
}

impl Default for DurationFields {
    fn default() -> Self {
        DurationFields {
            lookups: NAMES.iter().chain(NESTED).map(|n| Lookup::new(n)).collect(),
        }
    }
}

impl DurationFields {
    /// The built-in fields after `first` (`--duration-field`, dotted paths).
    /// An empty name is an error: `--duration-field ''`.
    pub fn new(first: &[String]) -> Result<DurationFields> {
        let mut lookups = Vec::new();
        for name in first {
            let name = name.trim();
            if name.is_empty() || name == "." || split_path(name).iter().any(String::is_empty) {
                bail!("--duration-field: empty field name in '{name}'");
            }
            // The names of the command line live as long as the run; leaking
            // these few keeps `Step::duration` a `Copy` pair for the drawing.
            lookups.push(Lookup::new(Box::leak(name.to_string().into_boxed_str())));
        }
        lookups.extend(DurationFields::default().lookups);
        Ok(DurationFields { lookups })
    }

    /// A record's duration in nanoseconds, with the field's name: the first
    /// field holding a finite, non-negative value in its unit.
    pub fn of(&self, rec: &Record) -> Option<(&'static str, i64)> {
        self.lookups.iter().find_map(|l| {
            let seconds = l.unit.seconds(&rec.field(&l.path)?)?;
            if !seconds.is_finite() || seconds < 0.0 {
                return None;
            }
            let nanos = (seconds * 1e9).round();
            (nanos < i64::MAX as f64).then_some((l.name, nanos as i64))
        })
    }
}

/// `250ms`, `1.5s`, `2m`, `1h`, `30us`, `10ns` in seconds.
fn parse_unit(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let scale = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1.0,
        "ms" => 1e-3,
        "us" | "µs" => 1e-6,
        "ns" => 1e-9,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        _ => return None,
    };
    Some(n * scale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::CommandFactory;

    #[test]
    fn durations_come_from_the_listed_fields_with_units() {
        let d = |line: &str| DurationFields::default().of(&Record::parse(line));
        assert_eq!(
            d(r#"{"duration_ms":840}"#),
            Some(("duration_ms", 840_000_000))
        );
        assert_eq!(
            d(r#"{"duration_sec":2.5}"#),
            Some(("duration_sec", 2_500_000_000))
        );
        assert_eq!(
            d(r#"{"latency_ms":"12"}"#),
            Some(("latency_ms", 12_000_000))
        );
        assert_eq!(
            d(r#"{"trace":{"execution_time_ms":1498}}"#),
            Some(("trace.execution_time_ms", 1_498_000_000))
        );
        assert_eq!(d(r#"{"elapsed":1.5}"#), Some(("elapsed", 1_500_000_000)));
        assert_eq!(d(r#"{"elapsed":"250ms"}"#), Some(("elapsed", 250_000_000)));
        assert_eq!(d(r#"{"duration_ms":-5}"#), None);
        assert_eq!(d(r#"{"duration_ms":"soon"}"#), None);
        assert_eq!(d(r#"{"elapsed":"1e999"}"#), None);
        // The first listed field wins.
        assert_eq!(
            d(r#"{"latency_ms":1,"duration_ms":2}"#),
            Some(("duration_ms", 2_000_000))
        );
    }

    #[test]
    fn durations_under_extra_context_and_trace_are_read() {
        let d = |line: &str| DurationFields::default().of(&Record::parse(line));
        assert_eq!(
            d(r#"{"message":"order created","extra":{"duration_ms":8604}}"#),
            Some(("extra.duration_ms", 8_604_000_000))
        );
        assert_eq!(
            d(r#"{"context":{"latency_ms":12.5}}"#),
            Some(("context.latency_ms", 12_500_000))
        );
        assert_eq!(
            d(r#"{"trace":{"duration":"1.5s"}}"#),
            Some(("trace.duration", 1_500_000_000))
        );
        assert_eq!(
            d(r#"{"extra":{"took_ms":3},"duration_us":1500}"#),
            Some(("duration_us", 1_500_000))
        );
        assert_eq!(d(r#"{"ctx":{"duration_ms":1}}"#), None);
        assert_eq!(d(r#"{"extra":{"duration_ms":"fast"}}"#), None);
    }

    #[test]
    fn given_fields_are_tried_first_as_dotted_paths() {
        let f = DurationFields::new(&["timing.db_ms".into(), "took".into()]).unwrap();
        let d = |line: &str| f.of(&Record::parse(line));
        assert_eq!(
            d(r#"{"duration_ms":1,"timing":{"db_ms":250}}"#),
            Some(("timing.db_ms", 250_000_000))
        );
        assert_eq!(d(r#"{"took":"2m"}"#), Some(("took", 120_000_000_000)));
        assert_eq!(d(r#"{"took":0.5}"#), Some(("took", 500_000_000)));
        assert_eq!(d(r#"{"duration_ms":7}"#), Some(("duration_ms", 7_000_000)));
        for bad in ["", " ", ".", "a..b"] {
            let e = DurationFields::new(&[bad.into()]).unwrap_err();
            assert!(e.to_string().starts_with("--duration-field: "), "{e}");
        }
    }

    #[test]
    fn the_unit_comes_from_the_name() {
        assert_eq!(Unit::of("duration_ms"), Unit::Number(1e-3));
        assert_eq!(Unit::of("durationMs"), Unit::Number(1e-3));
        assert_eq!(Unit::of("extra.took_us"), Unit::Number(1e-6));
        assert_eq!(Unit::of("gc_ns"), Unit::Number(1e-9));
        for s in [
            "wait_s",
            "duration_sec",
            "run_secs",
            "run_seconds",
            "waitSeconds",
        ] {
            assert_eq!(Unit::of(s), Unit::Number(1.0), "{s}");
        }
        for s in ["duration", "elapsed", "items", "ms", "_ms", "Ms", "status"] {
            assert_eq!(Unit::of(s), Unit::Text, "{s}");
        }
    }

    #[test]
    fn nested_names_are_every_name_under_each_parent() {
        let want: Vec<String> = ["extra", "context", "trace"]
            .iter()
            .flat_map(|p| NAMES.iter().map(move |n| format!("{p}.{n}")))
            .collect();
        assert_eq!(NESTED, want);
    }

    #[test]
    fn units() {
        assert_eq!(parse_unit("250ms"), Some(0.25));
        assert_eq!(parse_unit("2m"), Some(120.0));
        assert_eq!(parse_unit("3"), Some(3.0));
        assert_eq!(parse_unit("x"), None);
        assert_eq!(parse_unit("5 parsecs"), None);
    }

    #[test]
    fn every_duration_field_is_documented_in_help_and_readme() {
        let mut cmd = Cli::command();
        let trace = cmd.find_subcommand_mut("trace").expect("trace subcommand");
        let help = trace.render_long_help().to_string();
        let readme = include_str!("../../../README.md");
        for name in NAMES.iter().chain(&["extra", "context", "trace"]) {
            assert!(help.contains(name), "`logq trace --help` lacks {name}");
            assert!(readme.contains(&format!("`{name}")), "README lacks {name}");
        }
    }
}
