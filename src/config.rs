//! The config file: default flags, one per line, as ripgrep does it.
//!
//! `LOGQ_CONFIG` names a file whose non-empty lines not starting with `#`
//! are flags (`--field-map=level=sev`, `--color=always`, `--local`). They
//! are inserted before the flags of the command line, so the command line
//! wins where a flag takes one value. Nothing is read when the variable is
//! unset, which keeps scripts and tests hermetic.

use std::ffi::OsString;
use std::path::Path;

/// The subcommands that take the shared flags (the config applies to them).
const SEARCHING: [&str; 4] = ["search", "tail", "trace", "stats"];

/// The command line with the config file's flags inserted, or an error
/// naming the file when it cannot be read.
pub fn with_config(args: Vec<OsString>) -> Result<Vec<OsString>, String> {
    let Some(path) = std::env::var_os("LOGQ_CONFIG").filter(|p| !p.is_empty()) else {
        return Ok(args);
    };
    let flags = read(Path::new(&path))?;
    Ok(insert(args, flags))
}

fn read(path: &Path) -> Result<Vec<OsString>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("config file {}: {e}", path.display()))?;
    Ok(parse(&text))
}

/// The flags of a config file's text.
pub fn parse(text: &str) -> Vec<OsString> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(OsString::from)
        .collect()
}

/// Inserts `flags` after the program name, or after the subcommand when
/// one of the searching subcommands is given; never into `completions`/`man`.
pub fn insert(mut args: Vec<OsString>, flags: Vec<OsString>) -> Vec<OsString> {
    if flags.is_empty() || args.is_empty() {
        return args;
    }
    let first = args.get(1).and_then(|a| a.to_str()).unwrap_or("");
    let at = if SEARCHING.contains(&first) {
        2
    } else if matches!(first, "completions" | "man" | "help") {
        return args;
    } else {
        1
    };
    let tail = args.split_off(at.min(args.len()));
    args.extend(flags);
    args.extend(tail);
    args
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
