//! logq: a command-line explorer for structured application logs.
//!
//! `run` resolves the command line into settings and dispatches to one of
//! the commands in `cmd`. The data path is source → scan (record, filter) →
//! merge → output; see the module docs for each part.

pub(crate) mod census;
pub mod cli;
pub(crate) mod cmd;
pub mod config;
pub mod escape;
pub(crate) mod filter;
pub(crate) mod follow;
pub(crate) mod hits;
pub(crate) mod index;
pub(crate) mod interrupt;
pub(crate) mod manual;
pub(crate) mod merge;
pub(crate) mod output;
pub(crate) mod progress;
pub(crate) mod record;
pub mod report;
pub(crate) mod scan;
pub(crate) mod settings;
pub(crate) mod source;
pub(crate) mod suggest;

#[cfg(test)]
mod hostile;
#[cfg(test)]
mod testing;

use cli::{Cli, Command};
use cmd::Stdout;
pub use report::ExitStatus;

/// Runs the command line, printing to stdout.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    dispatch(cli, &mut Stdout::Process)
}

/// Runs the command line as [`run`] does, but what it would print on stdout
/// goes to `out`, which is taken for a file: no terminal, so no pager and
/// no colour unless asked for. Messages still go to stderr.
///
/// Tests run the program in-process this way. Some state is the process's,
/// so runs must not overlap: the errored flag (cleared here), the input
/// limits, and rayon's global pool, which the first `-j` sizes for good.
pub fn run_to(cli: Cli, out: &mut dyn std::io::Write) -> anyhow::Result<ExitStatus> {
    report::clear();
    dispatch(cli, &mut Stdout::Writer(out))
}

fn dispatch(cli: Cli, to: &mut Stdout) -> anyhow::Result<ExitStatus> {
    match cli.command {
        None => {
            refuse_subcommand_typo(&cli.search.input.paths)?;
            cmd::search::run(&cli.search, to)
        }
        Some(Command::Search(args)) => cmd::search::run(&args, to),
        Some(Command::Tail(args)) => cmd::tail::run(&args, to),
        Some(Command::Trace(args)) => cmd::trace::run(&args, to),
        Some(Command::Stats(args)) => cmd::stats::run(&args, to),
        Some(Command::Index(args)) => cmd::index::run(&args, to),
        Some(Command::Completions { shell }) => cmd::generate::completions(shell, to),
        Some(Command::Man { dir }) => cmd::generate::man(dir.as_deref(), to),
    }
}

/// `logq serach logs` would search `logs` after an error about `serach`:
/// a first PATH that does not exist and is one edit from a subcommand is
/// a mistyped subcommand, so nothing is searched (issue 10).
fn refuse_subcommand_typo(paths: &[std::path::PathBuf]) -> anyhow::Result<()> {
    match paths.first().and_then(|p| subcommand_typo(p.to_str()?)) {
        Some(message) => Err(anyhow::anyhow!(message)),
        None => Ok(()),
    }
}

/// When `word` (the first word after `logq`) names no file or folder and
/// is one edit from a subcommand (`serach`, `stat`, `trcae`, `tial`): the
/// message saying so, `'serach' is not a file or folder; did you mean the
/// subcommand 'search'?`.
pub fn subcommand_typo(word: &str) -> Option<String> {
    use clap::CommandFactory;
    if word.starts_with('-')
        || word.contains(std::path::is_separator)
        || std::fs::symlink_metadata(word).is_ok()
    {
        return None;
    }
    let command = Cli::command();
    let mut names: Vec<&str> = command.get_subcommands().map(|s| s.get_name()).collect();
    names.push("help");
    let name = suggest::one_edit(word, &names)?;
    Some(format!(
        "'{word}' is not a file or folder; did you mean the subcommand '{name}'?"
    ))
}
