//! Each look at the followed files: what was appended, copytruncate, a
//! path rotated away or gone, and rotated-away files read to their end and
//! closed.
//!
//! A file rotated away (by rename, or its path missing) stays open and is
//! read while it grows, so late writes to it are not lost; it is closed
//! when deleted or idle for [`RETIRE`], and remembered as `existing` so it
//! is never taken for a new file. The new file at the path and the missing
//! ones are [`arrivals`](super::arrivals)' business.

use super::arrivals::Awaited;
use super::file::{Change, Followed};
use super::{Follower, Origin};
use crate::report;
use crate::source::assemble::HOLD;
use crate::source::Input;
use std::io;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long a rotated-away file is read after its last growth (a writer
/// may still hold it open for a moment); then it is closed.
const RETIRE: Duration = Duration::from_secs(60);
/// Past this many rotated-away files still open, they are closed after a
/// second without growth instead of [`RETIRE`]: renames at 50 files a second
/// would otherwise hold thousands of files open (issue 13).
const MAX_DETACHED: usize = 64;
/// How long a rotated-away file is read after its last growth when there
/// are more than [`MAX_DETACHED`] of them.
const RETIRE_SOON: Duration = Duration::from_secs(1);

impl Follower<'_> {
    /// Reads what was appended to every followed file, and follows what
    /// happened at its path.
    pub(super) fn step_files(&mut self, now: Instant) {
        let detached = self.files.iter().filter(|f| f.path.is_none()).count();
        let retire = if detached > MAX_DETACHED {
            RETIRE_SOON
        } else {
            RETIRE
        };
        let mut i = 0;
        while i < self.files.len() {
            let Follower {
                files,
                sel,
                inputs,
                window,
                invalid,
                ..
            } = self;
            let Some(f) = files.get_mut(i) else { break };
            let origin = Origin {
                input: f.input,
                category: inputs.get(f.input).and_then(|x| x.category.as_deref()),
            };
            let mut emit = |raw: &[u8], line: u64, is_invalid: bool| {
                if let Some(hit) = sel.select(raw, line, is_invalid, origin, invalid) {
                    window.push(hit, now);
                }
            };
            let change = f.look();
            let read = read_appended(f, change, now, &mut emit);
            warn_cut_lines(f, inputs);
            let keep = match read {
                Ok(true) => true,
                Ok(false) => {
                    if let Some(p) = &f.path {
                        self.ignored.insert((p.clone(), f.id));
                    }
                    false
                }
                Err(e) => {
                    let name = inputs.get(f.input).map(Input::display).unwrap_or_default();
                    report::warning(format!(
                        "{name}: {}; no longer followed",
                        report::describe(&e)
                    ));
                    false
                }
            };
            if !keep {
                self.files.remove(i);
                continue;
            }
            let reopen = leave_path(f, change, now, &mut self.awaited);
            if f.path.is_none() {
                // Rotated away: records that follow in this input come from
                // the new file, so nothing may wait here behind them.
                f.release(now, &mut emit);
            }
            if f.path.is_none() && f.is_deleted() {
                f.finish(now, &mut emit);
                self.files.remove(i);
            } else if f.path.is_none() && f.is_idle(now, retire) {
                // A rotated file nobody writes to any more: close it, but
                // remember it so that it is never taken for a new one.
                self.existing.insert(f.id, f.modified());
                self.files.remove(i);
            } else {
                i += 1;
            }
            if let Some((path, input)) = reopen {
                self.catch_up(&path, input);
                self.attach(path, input, true);
            }
        }
    }
}

/// Reads what was appended to `f`; after a truncation, first what the copy
/// holds (copytruncate), then the file from its first byte. `Ok(false)`:
/// the file is not a log, no longer followed.
fn read_appended(
    f: &mut Followed,
    change: Change,
    now: Instant,
    emit: &mut dyn FnMut(&[u8], u64, bool),
) -> io::Result<bool> {
    if change == Change::Truncated {
        match f.copy() {
            Some(mut copy) => {
                // copytruncate: the copy has what was written
                // after our last read; the file starts over.
                let _ = copy.read(now, Duration::ZERO, emit);
                copy.finish(now, emit);
                f.forget();
            }
            None => f.restart(now, emit),
        }
    }
    f.read(now, HOLD, emit)
}

/// Warns of the lines of `f` cut at the longest line allowed.
fn warn_cut_lines(f: &mut Followed, inputs: &[Input]) {
    for line in f.asm.take_cut() {
        let name = inputs.get(f.input).map(Input::display).unwrap_or_default();
        let max = crate::source::guard::limits().max_line;
        let line = f.counts_lines().then_some(line);
        report::warning(crate::source::guard::long_line_message(&name, line, max));
    }
}

/// Detaches `f` from its path when another file took it (the path and
/// input to follow anew are returned) or when it is missing (the path is
/// then awaited).
fn leave_path(
    f: &mut Followed,
    change: Change,
    now: Instant,
    awaited: &mut Vec<Awaited>,
) -> Option<(PathBuf, usize)> {
    match change {
        Change::Replaced => f.path.take().map(|p| (p, f.input)),
        Change::Missing => {
            if let Some(path) = f.path.take() {
                awaited.push(Awaited {
                    path,
                    input: f.input,
                    id: Some(f.id),
                    since: now,
                    settled: false,
                });
            }
            None
        }
        Change::Same | Change::Truncated => None,
    }
}
