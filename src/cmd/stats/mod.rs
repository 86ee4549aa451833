//! `logq stats`: counts per level or per field value, numeric summaries and
//! time histograms (SPEC §5).
//!
//! This module runs the command: flags to a `Spec` (`spec`), one
//! unordered parallel scan into a `Tally` (`tally`), the `--every` width
//! chosen when it was not given, then the `Table` of what is shown
//! (`table`), drawn as text (`lines`, `text`) or JSON (`json`). Memory
//! grows with the number of distinct groups, not with the input.

mod json;
mod lines;
mod spec;
pub mod summary;
mod table;
mod tally;
mod text;
mod width;

use super::{scan_config, Out, Stdout};
use crate::cli::StatsArgs;
use crate::filter::timespec;
use crate::report::{self, ExitStatus};
use crate::scan;
use crate::settings;
use anyhow::Result;
use spec::{Spec, AUTO};
use tally::{StatsCollector, Tally};

/// With `--every` given without a value, the width for about 40 rows:
/// the tally is regrouped into it and the spec names it.
fn choose_every(spec: &mut Spec, tally: &mut Tally) {
    if !spec.auto_every {
        return;
    }
    let w = match tally.time_range() {
        Some((first, last)) => width::choose(first, last, tally.width),
        None => tally.width,
    };
    tally.coarsen(w);
    spec.every = Some((w, width::name(w).to_string()));
}

/// `--every` takes an optional value, so `stats --every logs` reads the
/// path as its value: a value that is no duration but names an existing
/// path is that path, and `--every` has no value.
fn every_path(args: &StatsArgs) -> Option<StatsArgs> {
    let value = args.every.as_deref()?;
    if value.trim() == AUTO
        || timespec::parse_duration(value).is_ok()
        || !std::path::Path::new(value).exists()
    {
        return None;
    }
    let mut fixed = args.clone();
    fixed.input.paths.insert(0, value.into());
    fixed.every = Some(AUTO.to_string());
    Some(fixed)
}

/// Runs `logq stats`, printing to `to`.
pub fn run(args: &StatsArgs, to: &mut Stdout) -> Result<ExitStatus> {
    let fixed = every_path(args);
    let args = fixed.as_ref().unwrap_or(args);
    let mut spec = Spec::from_args(args)?;
    let _progress = crate::progress::Progress::start();
    let s = settings::resolve(
        &args.filters,
        &args.input,
        &args.out,
        Vec::new(),
        to.is_terminal(),
    )?;
    s.refuse_empty()?;
    let cfg = scan_config(&s);
    crate::cmd::index::auto(&s);
    let (mut tally, summaries) = scan::scan_all(
        &s.inputs,
        &cfg,
        &StatsCollector {
            spec: &spec,
            budget: summary::EXACT_BUDGET,
        },
    );
    choose_every(&mut spec, &mut tally);
    let table = table::Table::build(&spec, tally)?;
    // `-o json` asks for JSON as well as `--json` does.
    let is_json = args.json || args.out.output == Some(crate::cli::Format::Json);
    let mut out = Out::paged(to, s.pager(!is_json), false);
    if is_json {
        json::write(out.w(), &spec, &table)?;
    } else {
        text::write(out.w(), &spec, &table, &s.printer.style)?;
    }
    out.finish()?;
    crate::cmd::report_inputs(&s.inputs, &summaries, s.show_invalid);
    if table.total == 0 {
        report::unsearched(&s.unsearched);
        crate::cmd::report_missing_fields(s.census.as_ref(), &summaries);
    }
    Ok(ExitStatus::from_found(table.total > 0))
}
