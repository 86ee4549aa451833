//! `logq trace`: every record of one request, across files, categories and
//! services, in time order, drawn as a timeline with a waterfall (SPEC §5).
//!
//! The scan is the search pipeline (ordered per input, merged by time) with
//! the correlation filter added to the user's filters. The records of one
//! trace are buffered, since the header (span, slowest step) and the scale
//! of the waterfall need all of them; a trace is small by nature.
//!
//! A request may be logged under several ids: `request_id` in one service,
//! `trace_id` in the next, both in the record where they meet. Ids carried
//! by one record are one request (`requests`): its timeline gathers the
//! records of all of them, read again while new ids turn up (files only,
//! at most [`MAX_READS`] reads), and each record is drawn once.
//!
//! `--ids-from FIELD` scans twice or more: once with the user's filters to
//! collect the ids found in FIELD, then with no filter but those ids (and
//! the ids found beside them), so each timeline shows the whole request,
//! not only the records that selected it.

mod collect;
mod draw;
mod duration;
mod requests;
mod timeline;

use super::{scan_config, search, Out, Stdout};
use crate::cli::Format;
use crate::cli::{FilterArgs, TraceArgs};
use crate::cmd::key::Key;
use crate::escape::escape;
use crate::filter::Expr;
use crate::merge::OwnedHit;
use crate::report::{self, ExitStatus};
use crate::scan::{self, Summary};
use crate::settings::{self, Settings};
use anyhow::{bail, Result};
use collect::{collect, looked_at, IdCollector, IdHits};
use draw::paint_if;
use duration::DurationFields;
use owo_colors::Style as Paint;
use requests::{cid_values, Requests};
use std::collections::HashSet;
use std::io;
use timeline::Trace;

/// Above this many ids, `--ids-from` filters by a hash set in the collector
/// instead of compiling the ids into the filter (and its prefilter).
const MAX_FILTER_IDS: usize = 64;

/// How many times the inputs are read for the ids of one set of requests;
/// a chain of aliases longer than that is drawn as far as it was followed.
pub const MAX_READS: usize = 4;

/// Runs `logq trace`, printing to `to`.
pub fn run(args: &TraceArgs, to: &mut Stdout) -> Result<ExitStatus> {
    let durations = DurationFields::new(&args.duration_field)?;
    let _progress = crate::progress::Progress::start();
    match (&args.id, &args.ids_from) {
        // With --ids-from there is no ID: the first positional argument
        // clap took for one is the first path.
        (Some(path), Some(field)) => {
            let mut args = args.clone();
            args.input.paths.insert(0, path.into());
            args.id = None;
            run_ids_from(&args, field, &durations, to)
        }
        (Some(id), None) => run_one(args, id, &durations, to),
        (None, Some(field)) => run_ids_from(args, field, &durations, to),
        (None, None) => bail!("give an ID to trace, or --ids-from FIELD"),
    }
}

/// Whether records are drawn as a timeline (not `-o json|raw|logfmt`).
fn is_timeline(args: &TraceArgs) -> bool {
    matches!(args.out.output, None | Some(Format::Pretty))
}

/// One request: its ids (the first names it) and its records in time order.
struct Request {
    ids: Vec<String>,
    hits: Vec<OwnedHit>,
}

/// The records of whole requests, and the ids that name them.
struct Reading {
    s: Settings,
    hits: Vec<OwnedHit>,
    summaries: Vec<Summary>,
    requests: Requests,
}

impl Reading {
    /// The requests of `seeds`, in the order of `seeds`, each named by its
    /// first seed, then the other ids in order of appearance in its records.
    /// A seed no record carries is a request without records.
    fn split(mut self, seeds: &[String]) -> (Settings, Vec<Summary>, Vec<Request>) {
        let mut out: Vec<Request> = Vec::new();
        // Request (root id index) → its place in `out`.
        let mut slot: Vec<Option<usize>> = vec![None; self.requests.ids().len()];
        for seed in seeds {
            let Some(root) = self.requests.request_of(seed) else {
                continue;
            };
            if let Some(cell @ None) = slot.get_mut(root) {
                *cell = Some(out.len());
                out.push(Request {
                    ids: vec![seed.clone()],
                    hits: Vec::new(),
                });
            }
        }
        for hit in self.hits {
            let values = cid_values(&hit.raw, &self.s.roles);
            let root = values.first().and_then(|v| self.requests.request_of(v));
            let place = root.and_then(|r| slot.get(r).copied().flatten());
            let Some(request) = place.and_then(|i| out.get_mut(i)) else {
                continue;
            };
            for v in values {
                if !request.ids.contains(&v) {
                    request.ids.push(v);
                }
            }
            request.hits.push(hit);
        }
        (self.s, self.summaries, out)
    }
}

/// Reads the records carrying `seeds` that pass `filters`, then, while
/// they carry other correlation ids, the records of those too.
fn read_requests(
    args: &TraceArgs,
    filters: &FilterArgs,
    seeds: &[String],
    is_tty: bool,
) -> Result<Reading> {
    let mut requests = Requests::new(seeds);
    let mut reads = 0;
    loop {
        let ids = requests.ids().to_vec();
        let extra = if ids.len() <= MAX_FILTER_IDS {
            vec![Expr::Cid(ids.clone())]
        } else {
            Vec::new()
        };
        let s = settings::resolve(filters, &args.input, &args.out, extra, is_tty)?;
        if reads == 0 {
            s.refuse_empty()?;
            crate::cmd::index::auto(&s);
        }
        let set: HashSet<String> = ids.into_iter().collect();
        let (hits, summaries) = collect(&s, &scan_config(&s), &IdHits { ids: &set });
        for hit in &hits {
            requests.join(&cid_values(&hit.raw, &s.roles));
        }
        reads += 1;
        // Stdin cannot be read again: its records carrying the first ids are
        // all there is.
        let again = s.inputs.iter().all(|i| i.path.is_some());
        if requests.ids().len() == set.len() || !again || reads >= MAX_READS {
            return Ok(Reading {
                s,
                hits,
                summaries,
                requests,
            });
        }
    }
}

fn run_one(
    args: &TraceArgs,
    id: &str,
    durations: &DurationFields,
    to: &mut Stdout,
) -> Result<ExitStatus> {
    if id.is_empty() {
        bail!("the ID to trace is empty");
    }
    let seeds = [id.to_string()];
    let (s, summaries, requests) =
        read_requests(args, &args.filters, &seeds, to.is_terminal())?.split(&seeds);
    // Read: the messages below must not land on the progress line.
    crate::progress::finish();
    let mut out = Out::paged(to, s.pager(is_timeline(args)), s.is_tty);
    // Every record read carries ID or an id found beside it: one request.
    let Some(request) = requests.into_iter().next().filter(|r| !r.hits.is_empty()) else {
        out.finish()?;
        crate::cmd::report_inputs(&s.inputs, &summaries, s.show_invalid);
        let filtered = has_filters(args, &s)?;
        report::hint(not_found(&s, id, filtered));
        report::unsearched(&s.unsearched);
        return Ok(ExitStatus::from_found(false));
    };
    if is_timeline(args) {
        let trace = Trace::build(&s, &request.ids, &request.hits, durations);
        trace.draw(out.w(), &s.printer.style)?;
    } else {
        print_records(&s, &mut out, &request.hits)?;
    }
    out.finish()?;
    crate::cmd::report_inputs(&s.inputs, &summaries, s.show_invalid);
    Ok(ExitStatus::from_found(true))
}

fn run_ids_from(
    args: &TraceArgs,
    field: &str,
    durations: &DurationFields,
    to: &mut Stdout,
) -> Result<ExitStatus> {
    let key = Key::parse("--ids-from", field)?;
    let s = settings::resolve(
        &args.filters,
        &args.input,
        &args.out,
        Vec::new(),
        to.is_terminal(),
    )?;
    s.refuse_empty()?;
    if s.inputs.iter().any(|i| i.path.is_none()) {
        bail!("--ids-from reads its inputs twice, so it needs files, not stdin");
    }
    crate::cmd::index::auto(&s);
    let (found, summaries) =
        scan::scan_all(&s.inputs, &scan_config(&s), &IdCollector { key: &key });
    crate::cmd::report_inputs(&s.inputs, &summaries, s.show_invalid);
    let mut ids: Vec<(String, collect::First)> = found.into_iter().collect();
    // First appearance in time (ids seen only in records without a time
    // last), then alias order within the record, then name.
    ids.sort_by(|(a, (ta, ra)), (b, (tb, rb))| {
        (ta.is_none(), ta, ra, a).cmp(&(tb.is_none(), tb, rb, b))
    });
    if ids.is_empty() {
        crate::progress::finish();
        report::hint(format!(
            "no record{} has a value in '{}' ({})",
            if has_filters(args, &s)? {
                " matching the filters"
            } else {
                ""
            },
            escape(field, false),
            looked_at(&s)
        ));
        report::unsearched(&s.unsearched);
        return Ok(ExitStatus::from_found(false));
    }
    let ids: Vec<String> = ids.into_iter().map(|(id, _)| id).collect();
    // The timelines: every record of each request, whatever the filters.
    let (s2, summaries2, requests) =
        read_requests(args, &FilterArgs::default(), &ids, to.is_terminal())?.split(&ids);
    // Problems with an input are reported once: here only for the files
    // the first scan did not read (skipped by --since/--until).
    let (mut new_inputs, mut new_summaries) = (Vec::new(), Vec::new());
    for (input, summary) in s2.inputs.iter().zip(summaries2) {
        if !s.inputs.contains(input) {
            new_inputs.push(input.clone());
            new_summaries.push(summary);
        }
    }
    if requests.iter().all(|r| r.hits.is_empty()) {
        crate::progress::finish();
        crate::cmd::report_inputs(&new_inputs, &new_summaries, s2.show_invalid);
        report::hint(format!(
            "none of the {} values found in '{}' is a correlation id ({})",
            ids.len(),
            escape(field, false),
            looked_at(&s2)
        ));
        report::unsearched(&s2.unsearched);
        return Ok(ExitStatus::from_found(false));
    }
    let mut out = Out::paged(to, s2.pager(is_timeline(args)), s2.is_tty);
    write_requests(args, &s2, &mut out, &requests, ids.len(), field, durations)?;
    out.finish()?;
    crate::cmd::report_inputs(&new_inputs, &new_summaries, s2.show_invalid);
    Ok(ExitStatus::from_found(true))
}

/// Writes the requests of `--ids-from`: their timelines after a line
/// saying how many were found, or their records with the `-o` printer.
fn write_requests(
    args: &TraceArgs,
    s: &Settings,
    out: &mut Out,
    requests: &[Request],
    ids: usize,
    field: &str,
    durations: &DurationFields,
) -> io::Result<()> {
    let color = s.printer.style.color;
    if is_timeline(args) {
        writeln!(
            out.w(),
            "{}
",
            found_line(requests.len(), ids, field)
        )?;
    }
    for (i, request) in requests.iter().enumerate() {
        if !is_timeline(args) {
            print_records(s, out, &request.hits)?;
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
        let trace = Trace::build(s, &request.ids, &request.hits, durations);
        if request.hits.is_empty() {
            // A value of FIELD that no correlation field holds.
            writeln!(
                out.w(),
                "trace {} · 0 records (no correlation field holds it)",
                trace.title()
            )?;
        } else {
            trace.draw(out.w(), &s.printer.style)?;
        }
    }
    Ok(())
}

/// The first line of `--ids-from` timelines: `2 requests found in cid`,
/// with the number of ids when aliases made fewer requests than ids
/// (`1 request found in cid (2 ids)`).
fn found_line(requests: usize, ids: usize, field: &str) -> String {
    let mut line = format!(
        "{requests} request{} found in {}",
        if requests == 1 { "" } else { "s" },
        escape(field, false)
    );
    if ids != requests {
        line.push_str(&format!(" ({ids} ids)"));
    }
    line
}

/// Prints records with the `-o` printer (json, raw, logfmt).
fn print_records(s: &Settings, out: &mut Out, hits: &[OwnedHit]) -> io::Result<()> {
    search::print_owned(s, out, hits)
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
