//! The `logq` binary: parse the command line, run, map the outcome to an
//! exit code. A closed stdout (`logq … | head`) is a quiet success.

use clap::Parser;
use std::io;

fn main() {
    let cli = logq::cli::Cli::parse();
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
