//! `logq search`: matching records in time order across all inputs.

use super::key::Key;
use super::{scan_config, Out, Stdout};
use crate::cli::SearchArgs;
use crate::escape::escape;
use crate::filter::Context;
use crate::hits::FormatCollector;
use crate::interrupt;
use crate::merge::{self, Event, Kept, OwnedHit, TailBuffer};
use crate::output::{write_record, Format};
use crate::progress::Progress;
use crate::record::{Classified, Level, Record};
use crate::report::{self, ExitStatus};
use crate::scan::{self, Collector, Position};
use crate::settings::{self, Settings};
use anyhow::Result;
use std::collections::BTreeMap;
use std::io;

/// Runs `logq search`, printing to `to`.
pub fn run(args: &SearchArgs, to: &mut Stdout) -> Result<ExitStatus> {
    let _progress = Progress::start();
    let s = settings::resolve(
        &args.filters,
        &args.input,
        &args.out,
        Vec::new(),
        to.is_terminal(),
    )?;
    s.refuse_empty()?;
    crate::cmd::index::auto(&s);
    if args.count {
        let by = args
            .by
            .as_deref()
            .map(|b| Key::parse("--by", b))
            .transpose()?;
        return count(&s, by, to);
    }
    let cfg = scan_config(&s);
    let names: Vec<String> = s.inputs.iter().map(|i| i.display()).collect();
    // What each input puts in the hole of its formatted records.
    let inserts: Vec<Vec<u8>> = names.iter().map(|n| s.printer.source_insert(n)).collect();
    let numbered = s.printer.has_line_numbers();
    let collector = FormatCollector {
        printer: &s.printer,
    };
    let mut out = Out::paged(to, s.pager(s.printer.format == Format::Pretty), s.is_tty);
    let mut found = false;
    let mut result: io::Result<()> = Ok(());
    let mut tail = args.tail.map(TailBuffer::new);
    let mut all: Vec<Kept> = Vec::new();
    let limit = args.max_count.unwrap_or(usize::MAX);
    let mut printed = 0usize;
    // Ctrl-C stops between two records (see `interrupt`).
    interrupt::catch();
    let summaries = scan::scan_streams(&s.inputs, &cfg, &collector, |rxs| {
        merge::merge_events(rxs, |e| {
            let m = match e {
                _ if interrupt::is_interrupted() => return false,
                // Waiting for input (a live pipe): what was found goes out
                // now, whole records only. A big file rarely waits, so its
                // output stays in large writes.
                Event::Wait => {
                    result = out.w().flush();
                    return result.is_ok();
                }
                Event::Record(m) => m,
            };
            if limit == 0 || args.tail == Some(0) {
                // `-n 0` prints nothing, so it finds nothing (exit 1), like `grep -m 0`.
                return false;
            }
            found = true;
            if let Some(t) = tail.as_mut() {
                t.push(&m);
                return true;
            }
            if args.reverse {
                all.push(Kept::of(&m));
                return true;
            }
            if printed >= limit {
                return false;
            }
            printed += 1;
            result = write_record(out.w(), m.raw, m.hole, &inserts[m.input], numbered, m.line)
                .and_then(|()| out.end_record());
            result.is_ok() && printed < limit
        });
    });
    result?;
    if interrupt::is_interrupted() {
        // What was printed is whole records; `--tail` and `--reverse` had
        // not printed yet, and print nothing of an unfinished search.
        out.finish()?;
        return Ok(ExitStatus::Interrupted);
    }
    let mut rest: Vec<Kept> = match tail {
        Some(t) => t.into_vec(),
        None => all,
    };
    if args.reverse {
        rest.reverse();
        rest.truncate(limit);
    }
    for k in &rest {
        write_record(
            out.w(),
            &k.bytes,
            k.hole,
            &inserts[k.input],
            numbered,
            k.line,
        )?;
        out.end_record()?;
    }
    out.finish()?;
    crate::cmd::report_inputs(&s.inputs, &summaries, s.show_invalid);
    // `-n 0` and `--tail 0` asked for nothing; no file could have helped.
    if !found && limit > 0 && args.tail != Some(0) {
        report::unsearched(&s.unsearched);
        crate::cmd::report_missing_fields(s.census.as_ref(), &summaries);
    }
    Ok(ExitStatus::from_found(found))
}

/// Prints records kept whole (`trace`), through the printer.
pub fn print_owned(s: &Settings, out: &mut Out, hits: &[OwnedHit]) -> io::Result<()> {
    for hit in hits {
        if let Some(input) = s.inputs.get(hit.input) {
            s.printer.print_raw(
                out.w(),
                &hit.raw,
                hit.is_invalid,
                &input.display(),
                hit.line,
                input.category.as_deref(),
            )?;
            out.end_record()?;
        }
    }
    Ok(())
}

/// Counts matches, in total or per value of a field or role (`--by`).
struct Counter {
    by: Option<Key>,
}

#[derive(Default)]
struct Counts {
    total: u64,
    per: BTreeMap<String, u64>,
}

impl Collector for Counter {
    type Acc = Counts;

    fn start(&self) -> Counts {
        Counts::default()
    }

    fn record(&self, acc: &mut Counts, rec: &Record, _raw: &[u8], _pos: Position, cx: &Context) {
        acc.total += 1;
        if let Some(key) = &self.by {
            let value = key.value(rec, cx).unwrap_or_else(|| "-".to_string());
            *acc.per.entry(value).or_default() += 1;
        }
    }

    fn takes_quick(&self) -> bool {
        self.by.is_none()
    }

    fn quick(&self, acc: &mut Counts, _line: &Classified, _pos: Position, _cx: &Context) -> bool {
        acc.total += 1;
        true
    }

    fn invalid(&self, acc: &mut Counts, _raw: &[u8], _pos: Position) {
        acc.total += 1;
        if self.by.is_some() {
            *acc.per.entry("-".to_string()).or_default() += 1;
        }
    }

    fn merge(&self, into: &mut Counts, other: Counts) {
        into.total += other.total;
        for (k, v) in other.per {
            *into.per.entry(k).or_default() += v;
        }
    }
}

fn count(s: &Settings, by: Option<Key>, to: &mut Stdout) -> Result<ExitStatus> {
    let cfg = scan_config(s);
    let by_level = by == Some(Key::Level);
    let has_by = by.is_some();
    let (counts, summaries) = scan::scan_all(&s.inputs, &cfg, &Counter { by });
    let mut out = Out::paged(to, s.pager(false), false);
    let json = s.printer.format == Format::Json;
    if has_by {
        let mut rows: Vec<(&String, &u64)> = counts.per.iter().collect();
        // Levels by severity, as `stats` shows them; other values by name.
        if by_level {
            rows.sort_by_key(|(v, _)| Level::parse(v).map_or(Level::ALL.len(), |l| l as usize));
        }
        if json {
            let map: serde_json::Map<String, serde_json::Value> = rows
                .iter()
                .map(|(k, v)| ((*k).clone(), (**v).into()))
                .collect();
            writeln!(out.w(), "{}", serde_json::Value::Object(map))?;
        } else {
            let width = rows
                .iter()
                .map(|(k, _)| escape(k, false).chars().count())
                .max()
                .unwrap_or(0);
            for (value, n) in rows {
                writeln!(out.w(), "{:<width$}  {n}", escape(value, false))?;
            }
        }
    } else if json {
        writeln!(out.w(), "{{\"count\":{}}}", counts.total)?;
    } else {
        writeln!(out.w(), "{}", counts.total)?;
    }
    out.finish()?;
    crate::cmd::report_inputs(&s.inputs, &summaries, s.show_invalid);
    if counts.total == 0 {
        report::unsearched(&s.unsearched);
        crate::cmd::report_missing_fields(s.census.as_ref(), &summaries);
    }
    Ok(ExitStatus::from_found(counts.total > 0))
}
