//! `logq completions` and `logq man`: generated from the clap definition.

use super::Stdout;
use crate::cli::Cli;
use crate::manual::{self, Page};
use crate::report::ExitStatus;
use anyhow::{Context, Result};
use clap::CommandFactory;
use std::path::Path;

/// Writes the completion script for a shell to `to`.
pub fn completions(shell: clap_complete::Shell, to: &mut Stdout) -> Result<ExitStatus> {
    let mut out = super::Out::paged(to, None, false);
    clap_complete::generate(shell, &mut Cli::command(), "logq", out.w());
    out.finish()?;
    Ok(ExitStatus::Match)
}

/// The man pages: `logq.1` and `logq-SUB.1` per subcommand, as (name, bytes).
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    let cmd = Cli::command();
    let mut pages = vec![("logq.1".to_string(), page(cmd.clone(), Some(Page::Top))?)];
    for sub in cmd.get_subcommands() {
        let name = format!("logq-{}", sub.get_name());
        let extra = Page::of_subcommand(sub.get_name());
        let sub = sub
            .clone()
            .name(name.clone())
            .version(cmd.get_version().unwrap_or_default().to_string());
        pages.push((format!("{name}.1"), page(sub, extra)?));
    }
    Ok(pages)
}

/// One man page: clap_mangen's sections, then the examples, the query
/// language and the exit statuses (`manual`) before VERSION. clap_mangen
/// would print `--help`'s text as one reflowed paragraph, so that text is
/// left out of its rendering.
fn page(cmd: clap::Command, extra: Option<Page>) -> Result<Vec<u8>> {
    let cmd = cmd.after_help(None::<&str>).after_long_help(None::<&str>);
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut buf)?;
    let Some(extra) = extra else {
        return Ok(buf);
    };
    let text = String::from_utf8(buf)?;
    let at = text.find("\n.SH VERSION").map_or(text.len(), |i| i + 1);
    let (head, tail) = text.split_at(at);
    Ok(format!("{head}{}{tail}", manual::roff(extra)).into_bytes())
}

/// Prints the main man page to `to`, or writes every page into `dir`.
pub fn man(dir: Option<&Path>, to: &mut Stdout) -> Result<ExitStatus> {
    let pages = man_pages()?;
    match dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            for (name, bytes) in pages {
                let path = dir.join(name);
                std::fs::write(&path, bytes)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
        None => {
            let mut out = super::Out::paged(to, None, false);
            out.w().write_all(&pages[0].1)?;
            out.finish()?;
        }
    }
    Ok(ExitStatus::Match)
}
