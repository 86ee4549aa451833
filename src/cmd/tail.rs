//! `logq tail`: the last N matching records in time order, then, with `-f`,
//! the new ones as they are written (SPEC §5).
//!
//! Owns the command: the first look at each input (plain files read
//! backwards by `follow::backward`, so a gigabyte file costs a few blocks;
//! compressed files and stdin streamed forward keeping the last N), the
//! merge by time, printing, and the follow loop with its two ways out:
//! Ctrl-C and a closed stdout, both a quiet exit 0. What happens to files
//! while they are followed (rotation, truncation, new files) is `follow`'s.

use super::{scan_config, Out, Stdout};
use crate::cli::TailArgs;
use crate::follow::backward;
use crate::follow::{is_live_name, Follower, Selector};
use crate::hits::{Batch, HitCollector};
use crate::merge::{self, OwnedHit};
use crate::output::{Format, Printer};
use crate::report::{self, ExitStatus};
use crate::scan::{self, ScanConfig, Summary};
use crate::settings::{self, Settings};
use crate::source::open::Compression;
use crate::source::Origin;
use crate::source::{FileGlobs, Input};
use anyhow::{anyhow, Result};
use std::collections::VecDeque;
use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs `logq tail`, printing to `to`.
pub fn run(args: &TailArgs, to: &mut Stdout) -> Result<ExitStatus> {
    let s = settings::resolve(
        &args.filters,
        &args.input,
        &args.out,
        Vec::new(),
        to.is_terminal(),
    )?;
    // A followed folder may get its first file later.
    if !args.follow {
        s.refuse_empty()?;
    }
    let globs = FileGlobs::new(&args.input.glob).map_err(|e| anyhow!(e))?;
    let sel = Selector::new(&s.filter, &s.roles, s.show_invalid, s.fast_paths);
    let sync = Duration::from_millis(args.sync_interval_ms);
    let n = args.lines;
    // A pager would hold the screen that `-f` keeps writing to.
    let pager = if args.follow { None } else { s.pager(false) };
    let mut out = Out::paged(to, pager, s.is_tty);
    let stop = args.follow.then(on_ctrl_c);
    let is_stdin = matches!(s.inputs.as_slice(), [i] if i.path.is_none());
    if let (Some(stop), true) = (&stop, is_stdin) {
        let mut f = Follower::new(sel.clone(), s.inputs.clone(), Vec::new(), globs, sync);
        f.add_stdin(0, n);
        return follow(&s, f, &mut out, stop, false);
    }

    // Made before the first look, so that it knows which files were there.
    let mut follower = stop.is_some().then(|| {
        let mut f = Follower::new(
            sel.clone(),
            s.inputs.clone(),
            roots(args),
            globs.clone(),
            sync,
        );
        f.remember_existing(&s.inputs);
        f
    });
    let (per_input, summaries, handoffs) = first_looks(&s, args, &sel);
    if let Some(f) = follower.as_mut() {
        for h in handoffs {
            if let Err(e) = f.add_file(h.input, h.file, h.offset, h.line) {
                let name = s.inputs.get(h.input).map(Input::display);
                report::error(format!(
                    "{}: {}",
                    name.unwrap_or_default(),
                    report::describe(&e)
                ));
            }
        }
        if s.fast_paths {
            let (since, until) = s.filter.time_bounds();
            f.skip_dates_outside(since, until);
        }
        f.watch();
    }
    let last = merge_last(per_input, n);
    let found = !last.is_empty();
    for hit in &last {
        if let Some(input) = s.inputs.get(hit.input) {
            print(&s.printer, input, &mut out, hit)?;
        }
    }
    out.w().flush()?;
    crate::cmd::report_inputs(&s.inputs, &summaries, s.show_invalid);
    match (follower, stop) {
        (Some(f), Some(stop)) => follow(&s, f, &mut out, &stop, found),
        _ => {
            out.finish()?;
            Ok(ExitStatus::from_found(found))
        }
    }
}

/// A plain file whose end was found, handed to the follower.
struct Handoff {
    input: usize,
    file: File,
    /// Where following starts: the end of the last whole line.
    offset: u64,
    /// Lines before `offset` (counted only for json output).
    line: u64,
}

/// The last `-n` records of each input, what went wrong with each, and,
/// with `-f`, the plain files to follow from where their first look ended.
fn first_looks(
    s: &Settings,
    args: &TailArgs,
    sel: &Selector,
) -> (Vec<Vec<OwnedHit>>, Vec<Summary>, Vec<Handoff>) {
    let n = args.lines;
    let cfg = scan_config(s);
    let count_lines = s.printer.format == Format::Json;
    let mut per_input = Vec::with_capacity(s.inputs.len());
    let mut summaries = Vec::with_capacity(s.inputs.len());
    let mut handoffs = Vec::new();
    for (i, input) in s.inputs.iter().enumerate() {
        let origin = Origin {
            input: i,
            category: input.category.as_deref(),
        };
        let mut summary = Summary::default();
        let hits = match open_plain(input) {
            Ok(Some((file, path))) => {
                match first_look(&file, n, sel, origin, count_lines, args.follow) {
                    Ok((tail, end)) => {
                        summary.invalid = tail.invalid;
                        summary.shrank = tail.shrank;
                        for _ in 0..tail.long_lines {
                            let max = crate::source::guard::limits().max_line;
                            report::warning(crate::source::guard::long_line_message(
                                &input.display(),
                                None,
                                max,
                            ));
                        }
                        // Rotated archives named on the command line are
                        // followed; found in a folder, they are not.
                        let explicit = args.input.paths.contains(&path);
                        if args.follow && (explicit || is_live_name(&path)) {
                            handoffs.push(Handoff {
                                input: i,
                                file,
                                offset: end,
                                line: tail.lines.unwrap_or(0),
                            });
                        }
                        tail.hits
                    }
                    Err(e) => {
                        summary.error = Some(e);
                        Vec::new()
                    }
                }
            }
            Ok(None) => streamed(input, &cfg, n, i, &mut summary),
            Err(e) => {
                summary.error = Some(e);
                Vec::new()
            }
        };
        per_input.push(hits);
        summaries.push(summary);
    }
    (per_input, summaries, handoffs)
}

/// Opens a regular, uncompressed file (which can be read backwards);
/// `None` for anything to stream (stdin, compressed files, pipes).
fn open_plain(input: &Input) -> io::Result<Option<(File, PathBuf)>> {
    let Some(path) = &input.path else {
        return Ok(None);
    };
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::other("is a directory"));
    }
    if !meta.is_file() {
        return Ok(None);
    }
    let mut head = [0u8; 6];
    let got = backward::read_full_at(&file, &mut head, 0)?;
    if Compression::detect(head.get(..got).unwrap_or_default()) != Compression::None {
        return Ok(None);
    }
    Ok(Some((file, path.clone())))
}

/// The last `n` records of a plain file, and where following it starts:
/// its end, or with `follow` the end of its last whole line.
fn first_look(
    file: &File,
    n: usize,
    sel: &Selector,
    origin: Origin,
    count_lines: bool,
    follow: bool,
) -> io::Result<(backward::Tail, u64)> {
    let size = file.metadata()?.len();
    let end = if follow {
        backward::whole_lines_end(file, size)?
    } else {
        size
    };
    let tail = backward::last_records(file, end, n, sel, origin, count_lines)?;
    Ok((tail, end))
}

/// The last `n` records of an input read forward (compressed, stdin).
fn streamed(
    input: &Input,
    cfg: &ScanConfig,
    n: usize,
    index: usize,
    summary: &mut Summary,
) -> Vec<OwnedHit> {
    if n == 0 {
        return Vec::new();
    }
    let mut ring: VecDeque<OwnedHit> = VecDeque::new();
    *summary = scan::scan_input(input, cfg, &HitCollector, &mut |batch: Batch, base| {
        for h in &batch.hits {
            if ring.len() == n {
                ring.pop_front();
            }
            ring.push_back(OwnedHit {
                input: index,
                raw: batch.data.get(h.start..h.end).unwrap_or_default().to_vec(),
                line: base + h.line + 1,
                time: h.time,
                is_invalid: h.is_invalid,
            });
        }
        true
    });
    ring.into()
}

/// Merges each input's last records by time and keeps the last `n`.
fn merge_last(per_input: Vec<Vec<OwnedHit>>, n: usize) -> Vec<OwnedHit> {
    let mut tail = VecDeque::with_capacity(n.min(1 << 16));
    merge::merge_owned(per_input, |hit| {
        if tail.len() == n {
            tail.pop_front();
        }
        if n > 0 {
            tail.push_back(hit);
        }
    });
    tail.into()
}

/// The folders whose new files are followed.
fn roots(args: &TailArgs) -> Vec<PathBuf> {
    let paths = if args.input.paths.is_empty() {
        vec![std::env::var_os("LOGQ_DIR").map_or_else(|| PathBuf::from("logs"), PathBuf::from)]
    } else {
        args.input.paths.clone()
    };
    paths.into_iter().filter(|p| p.is_dir()).collect()
}

/// Prints what the follower finds until Ctrl-C, a closed stdout, or the end
/// of stdin.
fn follow(
    s: &Settings,
    mut f: Follower,
    out: &mut Out,
    stop: &AtomicBool,
    mut found: bool,
) -> Result<ExitStatus> {
    loop {
        let now = Instant::now();
        f.step(now);
        let mut printed = false;
        while let Some(hit) = f.pop(now) {
            if let Some(input) = f.input(hit.input) {
                print(&s.printer, input, out, &hit)?;
                printed = true;
            }
        }
        if printed {
            out.w().flush()?;
            found = true;
        }
        if stop.load(Ordering::Relaxed) || is_stdout_closed() {
            break;
        }
        if f.is_finished() {
            out.w().flush()?;
            let summary = Summary {
                invalid: f.invalid(),
                ..Summary::default()
            };
            crate::cmd::report_inputs(&s.inputs, &[summary], s.show_invalid);
            return Ok(ExitStatus::from_found(found));
        }
        f.wait(Instant::now());
    }
    while let Some(hit) = f.pop_any() {
        if let Some(input) = f.input(hit.input) {
            print(&s.printer, input, out, &hit)?;
        }
    }
    out.w().flush()?;
    Ok(ExitStatus::Match)
}

/// Prints one record.
fn print(p: &Printer, input: &Input, out: &mut Out, hit: &OwnedHit) -> io::Result<()> {
    let source = input.display();
    let category = input.category.as_deref();
    p.print_raw(
        out.w(),
        &hit.raw,
        hit.is_invalid,
        &source,
        hit.line,
        category,
    )?;
    out.end_record()
}

/// A flag set by Ctrl-C; the follow loop sees it within a tick and exits 0.
fn on_ctrl_c() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = Arc::clone(&flag);
    // Fails only if a handler exists already; Ctrl-C then keeps its default.
    let _ = ctrlc::set_handler(move || set.store(true, Ordering::Relaxed));
    flag
}

/// Whether stdout is a pipe nobody reads any more (`logq tail -f | head`),
/// noticed even while no record is written.
fn is_stdout_closed() -> bool {
    let mut fds = libc::pollfd {
        fd: libc::STDOUT_FILENO,
        events: 0,
        revents: 0,
    };
    // SAFETY: poll reads and writes only the one pollfd passed, which lives
    // on this stack frame; a zero timeout never blocks.
    let n = unsafe { libc::poll(&mut fds, 1, 0) };
    n > 0 && fds.revents & (libc::POLLERR | libc::POLLHUP) != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Timestamp;

    fn hit(input: usize, raw: &str, time: i64) -> OwnedHit {
        OwnedHit {
            input,
            raw: raw.as_bytes().to_vec(),
            line: 1,
            time: Some(Timestamp(i128::from(time))),
            is_invalid: false,
        }
    }

    #[test]
    fn merge_last_interleaves_inputs_by_time_and_keeps_the_last_n() {
        let a = vec![hit(0, "a1", 1), hit(0, "a4", 4)];
        let b = vec![hit(1, "b2", 2), hit(1, "b3", 3), hit(1, "b5", 5)];
        let got: Vec<(usize, Vec<u8>)> = merge_last(vec![a, b], 3)
            .into_iter()
            .map(|h| (h.input, h.raw))
            .collect();
        assert_eq!(
            got,
            [
                (1, b"b3".to_vec()),
                (0, b"a4".to_vec()),
                (1, b"b5".to_vec())
            ]
        );
    }
}
