//! `logq trace`: every record of one request, across files, categories and
//! services, in time order, drawn as a timeline with a waterfall (SPEC §5).
//!
//! The scan is the search pipeline (ordered per input, merged by time) with
//! the correlation filter added to the user's filters. The records of one
//! trace are buffered, since the header (span, slowest step) and the scale
//! of the waterfall need all of them; a trace is small by nature.
//!
//! `--ids-from FIELD` scans twice: once with the user's filters to collect
//! the ids found in FIELD, once with no filter but those ids, so each
//! timeline shows the whole request, not only the records that selected it.

mod collect;
mod duration;
mod timeline;

use super::{scan_config, search, Out};
use crate::cli::{FilterArgs, TraceArgs};
use crate::cmd::stats::Key;
use crate::filter::Expr;
use crate::hits::HitCollector;
use crate::merge::OwnedHit;
use crate::output::escape::escape;
use crate::output::{with_record, Format};
use crate::record::Timestamp;
use crate::report::{self, ExitStatus};
use crate::scan;
use crate::settings::{self, Settings};
use anyhow::{bail, Result};
use collect::{collect, looked_at, IdCollector, IdHits};
use owo_colors::Style as Paint;
use std::collections::{HashMap, HashSet};
use std::io;
use timeline::{paint_if, Trace};

pub use duration::duration_of;
pub use timeline::{Slowest, Step, TRACK_WIDTH};

/// Above this many ids, `--ids-from` filters by a hash set in the collector
/// instead of compiling the ids into the filter (and its prefilter).
const MAX_FILTER_IDS: usize = 64;

/// Runs `logq trace`.
pub fn run(args: &TraceArgs) -> Result<ExitStatus> {
    match (&args.id, &args.ids_from) {
        // With --ids-from there is no ID: the first positional argument
        // clap took for one is the first path.
        (Some(path), Some(field)) => {
            let mut args = args.clone();
            args.input.paths.insert(0, path.into());
            args.id = None;
            run_ids_from(&args, field)
        }
        (Some(id), None) => run_one(args, id),
        (None, Some(field)) => run_ids_from(args, field),
        (None, None) => bail!("give an ID to trace, or --ids-from FIELD"),
    }
}

/// Whether records are drawn as a timeline (not `-o json|raw|logfmt`).
fn is_timeline(args: &TraceArgs) -> bool {
    matches!(args.out.output, None | Some(Format::Pretty))
}

fn run_one(args: &TraceArgs, id: &str) -> Result<ExitStatus> {
    if id.is_empty() {
        bail!("the ID to trace is empty");
    }
    let s = settings::resolve(
        &args.filters,
        &args.input,
        &args.out,
        vec![Expr::Cid(vec![id.to_string()])],
    )?;
    let (hits, summaries) = collect(&s, &scan_config(&s), &HitCollector);
    let mut out = Out::new(s.is_tty);
    if hits.is_empty() {
        out.finish()?;
        report::summaries(&s.inputs, &summaries, s.show_invalid);
        let filtered = has_filters(args, &s)?;
        eprintln!("logq: {}", not_found(&s, id, filtered));
        return Ok(ExitStatus::from_found(false));
    }
    if is_timeline(args) {
        let trace = Trace::build(&s, id, &hits);
        trace.draw(out.w(), &s.printer.style)?;
    } else {
        print_records(&s, &mut out, &hits)?;
    }
    out.finish()?;
    report::summaries(&s.inputs, &summaries, s.show_invalid);
    Ok(ExitStatus::from_found(true))
}

fn run_ids_from(args: &TraceArgs, field: &str) -> Result<ExitStatus> {
    let key = Key::parse(field)?;
    let s = settings::resolve(&args.filters, &args.input, &args.out, Vec::new())?;
    if s.inputs.iter().any(|i| i.path.is_none()) {
        bail!("--ids-from reads its inputs twice, so it needs files, not stdin");
    }
    let (found, summaries) =
        scan::scan_all(&s.inputs, &scan_config(&s), &IdCollector { key: &key });
    report::summaries(&s.inputs, &summaries, s.show_invalid);
    let mut ids: Vec<(String, Option<Timestamp>)> = found.into_iter().collect();
    // First appearance in time; ids seen only in records without a time last.
    ids.sort_by(|(a, ta), (b, tb)| (ta.is_none(), ta, a).cmp(&(tb.is_none(), tb, b)));
    if ids.is_empty() {
        eprintln!(
            "logq: no record{} has a value in '{}' ({})",
            if has_filters(args, &s)? {
                " matching the filters"
            } else {
                ""
            },
            escape(field, false),
            looked_at(&s)
        );
        return Ok(ExitStatus::from_found(false));
    }
    let ids: Vec<String> = ids.into_iter().map(|(id, _)| id).collect();
    // The timelines: every record of each id, whatever the other filters.
    let extra = if ids.len() <= MAX_FILTER_IDS {
        vec![Expr::Cid(ids.clone())]
    } else {
        Vec::new()
    };
    let s2 = settings::resolve(&FilterArgs::default(), &args.input, &args.out, extra)?;
    let index: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let set: HashSet<String> = ids.iter().cloned().collect();
    let (hits, summaries2) = collect(&s2, &scan_config(&s2), &IdHits { ids: &set });
    // Problems with an input are reported once: here only for the files
    // the first scan did not read (skipped by --since/--until).
    let (mut new_inputs, mut new_summaries) = (Vec::new(), Vec::new());
    for (input, summary) in s2.inputs.iter().zip(summaries2) {
        if !s.inputs.contains(input) {
            new_inputs.push(input.clone());
            new_summaries.push(summary);
        }
    }
    let mut groups: Vec<Vec<OwnedHit>> = vec![Vec::new(); ids.len()];
    for hit in hits {
        let mut seen: Vec<usize> = with_record(&hit.raw, |rec| {
            rec.cids(&s2.roles)
                .iter()
                .filter_map(|f| f.as_text().and_then(|t| index.get(&*t).copied()))
                .collect()
        });
        seen.sort_unstable();
        seen.dedup();
        for i in seen {
            if let Some(g) = groups.get_mut(i) {
                g.push(hit.clone());
            }
        }
    }
    if groups.iter().all(Vec::is_empty) {
        report::summaries(&new_inputs, &new_summaries, s2.show_invalid);
        eprintln!(
            "logq: none of the {} values found in '{}' is a correlation id ({})",
            ids.len(),
            escape(field, false),
            looked_at(&s2)
        );
        return Ok(ExitStatus::from_found(false));
    }
    let mut out = Out::new(s2.is_tty);
    let color = s2.printer.style.color;
    if is_timeline(args) {
        let n = ids.len();
        writeln!(
            out.w(),
            "{n} id{} found in {}\n",
            if n == 1 { "" } else { "s" },
            escape(field, false)
        )?;
    }
    for (i, (id, hits)) in ids.iter().zip(&groups).enumerate() {
        if !is_timeline(args) {
            print_records(&s2, &mut out, hits)?;
            continue;
        }
        if i > 0 {
            let rule = "═".repeat(80);
            writeln!(
                out.w(),
                "\n{}\n",
                paint_if(&rule, Paint::new().dimmed(), color)
            )?;
        }
        if hits.is_empty() {
            // A value of FIELD that no correlation field holds.
            writeln!(
                out.w(),
                "trace {} · 0 records (no correlation field holds it)",
                escape(id, false)
            )?;
        } else {
            Trace::build(&s2, id, hits).draw(out.w(), &s2.printer.style)?;
        }
    }
    out.finish()?;
    report::summaries(&new_inputs, &new_summaries, s2.show_invalid);
    Ok(ExitStatus::from_found(true))
}

/// Prints records with the `-o` printer (json, raw, logfmt).
fn print_records(s: &Settings, out: &mut Out, hits: &[OwnedHit]) -> io::Result<()> {
    let names: Vec<String> = s.inputs.iter().map(|i| i.display()).collect();
    for hit in hits {
        search::print(s, &names, out, &hit.as_merged())?;
    }
    Ok(())
}

/// Whether the user gave any filter flag.
fn has_filters(args: &TraceArgs, s: &Settings) -> Result<bool> {
    Ok(!settings::build_filter(&args.filters, s.now, args.out.local)?.is_empty())
}

fn not_found(s: &Settings, id: &str, filtered: bool) -> String {
    format!(
        "no record{} carries the correlation id '{}' ({})",
        if filtered {
            " matching the filters"
        } else {
            ""
        },
        escape(id, false),
        looked_at(s)
    )
}
