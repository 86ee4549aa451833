//! The config file: default flags, one per line, as ripgrep does it.
//!
//! `LOGQ_CONFIG` names a file whose non-empty lines not starting with `#`
//! are flags (`--field-map=level=sev`, `--color=always`, `--local`). They
//! are inserted before the flags of the command line, so the command line
//! wins where a flag takes one value. Nothing is read when the variable is
//! unset, which keeps scripts and tests hermetic. When the flags do not
//! parse, [`explain`] finds the line of the file to blame:
//! `logq: /home/ann/.config/logq.conf:3: unexpected argument '--colour' found`.

use std::ffi::OsString;
use std::path::PathBuf;

/// The subcommands that take the shared flags (the config applies to them).
const SEARCHING: [&str; 4] = ["search", "tail", "trace", "stats"];

/// The config file `LOGQ_CONFIG` names: its path and its flags, each with
/// its line number (1-based, comments and blank lines counted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub path: PathBuf,
    pub lines: Vec<(usize, OsString)>,
}

impl Config {
    /// The flags alone.
    pub fn flags(&self) -> Vec<OsString> {
        self.lines.iter().map(|(_, f)| f.clone()).collect()
    }
}

/// Reads the file `LOGQ_CONFIG` names; `None` when the variable is unset.
pub fn read_config() -> Result<Option<Config>, String> {
    let Some(path) = std::env::var_os("LOGQ_CONFIG").filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let path = PathBuf::from(path);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("config file {}: {e}", path.display()))?;
    Ok(Some(Config {
        lines: parse_lines(&text),
        path,
    }))
}

/// The flags of a config file's text.
pub fn parse(text: &str) -> Vec<OsString> {
    parse_lines(text).into_iter().map(|(_, f)| f).collect()
}

/// The flags of a config file's text, with their line numbers.
fn parse_lines(text: &str) -> Vec<(usize, OsString)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .map(|(n, l)| (n, OsString::from(l)))
        .collect()
}

/// The command line parser, as `main` runs it: a flag given twice (config
/// file, then command line) takes the last value.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    crate::cli::Cli::command()
        .args_override_self(true)
        .mut_subcommands(|sub| sub.args_override_self(true))
}

/// When the command line (`args`, as typed) with the config file's flags
/// does not parse: the line of the config file at fault, as
/// `PATH:LINE: what clap says`. `None` when the config file alone parses,
/// so the fault is on the command line (clap's own message is best there).
pub fn explain(args: &[OsString], config: &Config) -> Option<String> {
    let at = insert_at(args);
    if at == usize::MAX {
        return None;
    }
    let head = args.get(..at.min(args.len()))?;
    // The flags up to `n` parse, where `n` is as large as possible: the
    // next line is the first that cannot be read, whatever follows it (a
    // `--color` line, then `always`, parse together).
    let fails = |n: usize| -> Option<clap::Error> {
        let mut v = head.to_vec();
        v.extend(config.lines.iter().take(n).map(|(_, f)| f.clone()));
        let e = command().try_get_matches_from(v).err()?;
        use clap::error::ErrorKind as K;
        match e.kind() {
            // Missing parts (trace's ID) are the command line's business.
            K::MissingRequiredArgument
            | K::MissingSubcommand
            | K::DisplayHelp
            | K::DisplayVersion
            | K::DisplayHelpOnMissingArgumentOrSubcommand => None,
            _ => Some(e),
        }
    };
    let error = fails(config.lines.len())?;
    if fails(0).is_some() {
        return None;
    }
    let good = (0..config.lines.len())
        .rev()
        .find(|&n| fails(n).is_none())
        .unwrap_or(0);
    let (line, _) = config.lines.get(good)?;
    let error = fails(good + 1).unwrap_or(error);
    Some(format!(
        "{}:{line}: {}",
        config.path.display(),
        clap_message(&error)
    ))
}

/// clap's message on one line: `unexpected argument '--colour' found; tip:
/// a similar argument exists: '--color'` (no usage, no help hint).
fn clap_message(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let mut parts: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if !line.is_empty() {
            parts.push(line.strip_prefix("error: ").unwrap_or(line));
        }
    }
    parts.join("; ")
}

/// Inserts `flags` after the program name, or after the subcommand when
/// one of the searching subcommands is given; never into `completions`/`man`.
pub fn insert(mut args: Vec<OsString>, flags: Vec<OsString>) -> Vec<OsString> {
    if flags.is_empty() || args.is_empty() {
        return args;
    }
    if args.get(1).is_some_and(|a| a == "index") {
        let tail = args.split_off(2.min(args.len()));
        args.extend(for_index(flags));
        args.extend(tail);
        return args;
    }
    let at = insert_at(&args);
    if at == usize::MAX {
        return args;
    }
    let tail = args.split_off(at.min(args.len()));
    args.extend(flags);
    args.extend(tail);
    args
}

/// The flags `logq index` takes of the config file: those that decide how
/// records are read (roles, zones, limits, which files, where indexes go),
/// so that indexes match the queries that use them; the rest (colours,
/// filters, `--auto-index`) are left out, with the value of one given on
/// its own line.
fn for_index(flags: Vec<OsString>) -> Vec<OsString> {
    const WITH_VALUE: [&str; 6] = [
        "--field-map",
        "--input-tz",
        "--glob",
        "--threads",
        "--max-line-bytes",
        "--index-dir",
    ];
    let mut out = Vec::new();
    let mut take_next: Option<bool> = None;
    for flag in flags {
        if let Some(keep) = take_next.take() {
            if !flag.to_string_lossy().starts_with('-') {
                if keep {
                    out.push(flag);
                }
                continue;
            }
        }
        let f = flag.to_string_lossy().into_owned();
        let name = f.split('=').next().unwrap_or("");
        let short_j = f.starts_with("-j");
        if WITH_VALUE.contains(&name) || short_j {
            // `--glob` then `*.log` on the next line; `-j` then `2`, not `-j2`.
            if (short_j && f == "-j") || (!short_j && f == name) {
                take_next = Some(true);
            }
            out.push(flag);
        } else if matches!(f.as_str(), "--binary" | "-a") {
            out.push(flag);
        } else if f.starts_with("--") && !f.contains('=') {
            // A flag of queries: its value, if on the next line, goes too.
            take_next = Some(false);
        }
    }
    out
}

/// Where the config file's flags go in `args`: after the program name, or
/// after a searching subcommand; `usize::MAX` for `completions`, `man` and
/// `help`, which take none.
fn insert_at(args: &[OsString]) -> usize {
    let first = args.get(1).and_then(|a| a.to_str()).unwrap_or("");
    if SEARCHING.contains(&first) {
        2
    } else if matches!(first, "completions" | "man" | "help" | "index") {
        usize::MAX
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn comments_and_blank_lines_are_skipped() {
        assert_eq!(
            parse("# mine\n--local\n\n  --field-map=level=sev  \n"),
            os(&["--local", "--field-map=level=sev"])
        );
    }

    #[test]
    fn lines_keep_their_numbers() {
        assert_eq!(
            parse_lines("# mine\n--local\n\n  --color=never \n"),
            vec![
                (2, OsString::from("--local")),
                (4, OsString::from("--color=never"))
            ]
        );
    }

    fn config(text: &str) -> Config {
        Config {
            path: PathBuf::from("/etc/logq.conf"),
            lines: parse_lines(text),
        }
    }

    #[test]
    fn explain_blames_the_first_line_that_cannot_be_read() {
        let cfg = config("--local\n# colour\n--colour=always\n--utc\n");
        assert_eq!(
            explain(&os(&["logq", "logs"]), &cfg).as_deref(),
            Some("/etc/logq.conf:3: unexpected argument '--colour' found; tip: a similar argument exists: '--color'")
        );
        let cfg = config("--color\nalways\n--color=blue\n");
        assert_eq!(
            explain(&os(&["logq", "stats"]), &cfg).as_deref(),
            Some("/etc/logq.conf:3: invalid value 'blue' for '--color <COLOR>'; [possible values: auto, always, never]")
        );
        let cfg = config("--local\n--color\n");
        assert_eq!(
            explain(&os(&["logq", "trace"]), &cfg).as_deref(),
            Some("/etc/logq.conf:2: a value is required for '--color <COLOR>' but none was supplied; [possible values: auto, always, never]")
        );
    }

    #[test]
    fn explain_leaves_command_line_faults_to_clap() {
        let cfg = config("--local\n--color=never\n");
        assert_eq!(explain(&os(&["logq", "--bogus"]), &cfg), None);
        assert_eq!(explain(&os(&["logq", "--utc", "logs"]), &cfg), None);
        assert_eq!(explain(&os(&["logq", "trace"]), &cfg), None);
        let bad = config("--colour\n");
        assert_eq!(explain(&os(&["logq", "man", "--bogus"]), &bad), None);
        // Both are wrong: the file first, as every run would trip on it.
        assert_eq!(
            explain(&os(&["logq", "stats", "--bogus"]), &bad).as_deref(),
            Some("/etc/logq.conf:1: unexpected argument '--colour' found; tip: a similar argument exists: '--color'")
        );
    }

    #[test]
    fn index_takes_only_the_flags_that_decide_how_records_are_read() {
        let flags = os(&[
            "--color",
            "always",
            "--field-map=level=severity",
            "--input-tz",
            "Europe/Berlin",
            "-j2",
            "--since",
            "yesterday",
            "-a",
            "--local",
            "--glob",
            "*.log",
        ]);
        assert_eq!(
            insert(os(&["logq", "index", "logs"]), flags),
            os(&[
                "logq",
                "index",
                "--field-map=level=severity",
                "--input-tz",
                "Europe/Berlin",
                "-j2",
                "-a",
                "--glob",
                "*.log",
                "logs"
            ])
        );
    }

    #[test]
    fn flags_go_after_the_subcommand() {
        let flags = os(&["--local"]);
        assert_eq!(
            insert(os(&["logq", "stats", "x"]), flags.clone()),
            os(&["logq", "stats", "--local", "x"])
        );
        assert_eq!(
            insert(os(&["logq", "-l", "warn"]), flags.clone()),
            os(&["logq", "--local", "-l", "warn"])
        );
        assert_eq!(
            insert(os(&["logq", "man"]), flags.clone()),
            os(&["logq", "man"])
        );
        assert_eq!(insert(os(&["logq"]), flags), os(&["logq", "--local"]));
    }
}
