//! The `logq` binary: parse the command line, run, map the outcome to an
//! exit code. A closed stdout (`logq … | head`) is a quiet success.

use clap::{CommandFactory, FromArgMatches};
use std::io;

fn main() {
    let args = match logq::config::with_config(std::env::args_os().collect()) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("logq: {e}");
            std::process::exit(2);
        }
    };
    // A flag given twice (config file, then command line): the last wins.
    let matches = logq::cli::Cli::command()
        .args_override_self(true)
        .mut_subcommands(|sub| sub.args_override_self(true))
        .get_matches_from(args);
    let cli = logq::cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let code = match logq::run(cli) {
        Ok(status) => status.code(),
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            eprintln!("logq: {e:#}");
            2
        }
    };
    std::process::exit(code);
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
