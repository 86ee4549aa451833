//! The `logq` binary: parse the command line, run, map the outcome to an
//! exit code. A closed stdout (`logq … | head`) is a quiet success.

use clap::FromArgMatches;
use std::io;

fn main() {
    let typed: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let config = match logq::config::read_config() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("logq: {}", logq::report::safe(e));
            std::process::exit(2);
        }
    };
    let args = match &config {
        Some(c) => logq::config::insert(typed.clone(), c.flags()),
        None => typed.clone(),
    };
    // A flag given twice (config file, then command line): the last wins.
    let matches = match logq::config::command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            // A bad line of the config file, or a mistyped subcommand
            // (`logq tial -f`), is named; anything else is clap's to say.
            let explained = config
                .as_ref()
                .and_then(|c| logq::config::explain(&typed, c))
                .or_else(|| {
                    typed
                        .get(1)
                        .and_then(|w| logq::subcommand_typo(w.to_str()?))
                })
                .filter(|_| e.use_stderr());
            match explained {
                Some(message) => {
                    eprintln!("logq: {}", logq::report::safe(message));
                    std::process::exit(2);
                }
                None => e.exit(),
            }
        }
    };
    let cli = logq::cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let code = match logq::run(cli) {
        Ok(status) => status.code(),
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            // Multi-line on purpose (a -q error's caret line); data and file
            // names in it are escaped all the same.
            let message = format!("{e:#}");
            eprintln!("logq: {}", logq::escape::escape(&message, true));
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
