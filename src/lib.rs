//! logq: a command-line explorer for structured application logs.
//!
//! `run` resolves the command line into settings and dispatches to one of
//! the commands in `cmd`. The data path is source → scan (record, filter) →
//! merge → output; see the module docs for each part.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod filter;
pub mod follow;
pub mod hits;
pub mod interrupt;
pub mod manual;
pub mod merge;
pub mod output;
pub mod progress;
pub mod record;
pub mod report;
pub mod scan;
pub mod settings;
pub mod source;

use cli::{Cli, Command};
pub use report::ExitStatus;

/// Runs the command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        None => cmd::search::run(&cli.search),
        Some(Command::Search(args)) => cmd::search::run(&args),
        Some(Command::Tail(args)) => cmd::tail::run(&args),
        Some(Command::Trace(args)) => cmd::trace::run(&args),
        Some(Command::Stats(args)) => cmd::stats::run(&args),
        Some(Command::Completions { shell }) => cmd::generate::completions(shell),
        Some(Command::Man { dir }) => cmd::generate::man(dir.as_deref()),
    }
}
