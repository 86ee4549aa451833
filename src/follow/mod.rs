//! `tail -f`: following inputs as they grow, rotate and appear (SPEC §5).
//!
//! Owns everything after the first look at the inputs: appended bytes,
//! partial lines (`source::assemble`), truncation, rename rotation, deleted files,
//! new files in followed folders, stdin as a stream, and the time-ordering
//! window across inputs ([`window`]), woken by notifications or a polling
//! tick (`wake`). Also the backward read that finds the
//! last records of a plain file ([`backward`]), since its end is where
//! following starts. Printing is the command's business (`cmd::tail`).
//!
//! Rules, so that no record is lost, repeated or garbled:
//! - A file is read through its open handle with `pread`, never mapped.
//! - Rename rotation: when another file has the path, the old handle is read
//!   to its end and kept (late writes to it are still read) until the file is
//!   deleted or a minute passes without growth; the new file is followed from
//!   its first byte. Generations that rotated more than once between two
//!   looks (`PATH.2` never seen) are read first, oldest first ([`Follower`]
//!   remembers which files were there at start, and the ones it closed).
//! - copytruncate: a file shorter than what was read, or whose last bytes
//!   read changed, is read again from its first byte. What was written
//!   after our last read and before the truncation is read from the copy
//!   (`PATH.1`, recognized by the last bytes we read), when it is there.
//! - New files in a followed folder (same globs as `search`) are followed
//!   from their first line, except rotated archives: compressed files (by
//!   name or by their first bytes) and numbered files (`app.log.1`), and a
//!   file whose inode is already followed (it was renamed), and a file whose
//!   name date is outside `--since/--until`. So yesterday's file compressed
//!   to `.jsonl.gz` is never read again. A new file is recognized by these
//!   rules, not by comparing with a list of the folder made at start, which
//!   would race with files created while the first records are printed.
//! - A partial last line waits for its newline; a text record at the end
//!   waits 50 ms for its traceback (loggers write it in one go). Lines of
//!   a traceback that come later than that are unparsed lines.
//! - A followed path that stays missing is reported once on stderr and
//!   watched for its return; the other inputs are still followed. A path
//!   its writer rotated away (the file renamed, or a new compressed copy
//!   beside it, as loguru's `compression=` and gzipping rotators leave) is
//!   watched for the same way, without a word ([`rotated`]).

pub mod backward;
mod file;
mod rotated;
mod select;
pub(crate) mod stdin;
pub(crate) mod wake;
pub mod window;

use crate::merge::OwnedHit;
use crate::record::Timestamp;
use crate::report;
use crate::source::assemble::HOLD;
use crate::source::{discover, FileGlobs, Input, Origin};
use file::{Change, FileId, Followed};
pub use select::{is_live_name, Selector};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::time::{Duration, Instant, SystemTime};
use stdin::Stdin;
use wake::Wake;

/// How long a followed path may be missing before it is reported (a rename
/// rotation leaves it missing for a moment).
const GRACE: Duration = Duration::from_millis(500);
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
/// How often followed folders are listed again without a notification.
const RESCAN: Duration = Duration::from_millis(250);
/// The same with file-system notifications, which say when to look: a
/// fallback for missed events only, so an idle follow stays idle.
const RESCAN_WATCHED: Duration = Duration::from_secs(5);
/// The folder of a path (`.` for a bare file name).
/// The rotated copies of `path` beside it (`path.1`, `path.2`…), by number.
fn numbered_copies(path: &Path) -> Vec<(u64, PathBuf)> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(parent_dir(path)) else {
        return Vec::new();
    };
    let mut copies: Vec<(u64, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let n = e
                .file_name()
                .to_str()?
                .strip_prefix(name)?
                .strip_prefix('.')?
                .parse()
                .ok()?;
            Some((n, e.path()))
        })
        .collect();
    copies.sort();
    copies
}

/// Whether `path` is a regular file (through links), looked at before it
/// is opened: opening a FIFO waits for a writer, and would stop following
/// (and Ctrl-C) until one comes (issue 13).
fn is_regular(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

struct Awaited {
    path: PathBuf,
    input: usize,
    /// The file that was followed at the path, if one was.
    id: Option<FileId>,
    since: Instant,
    /// Whether it was reported, or found rotated away (nothing to say).
    settled: bool,
}

/// Everything being followed.
pub struct Follower<'a> {
    sel: Selector<'a>,
    inputs: Vec<Input>,
    files: Vec<Followed>,
    awaited: Vec<Awaited>,
    roots: Vec<PathBuf>,
    globs: FileGlobs,
    ignored: HashSet<(PathBuf, FileId)>,
    /// The files in followed files' folders at start, and rotated files
    /// closed since, with their times of last change (an inode freed and
    /// used again changes them).
    existing: HashMap<FileId, Option<SystemTime>>,
    stdin: Option<Stdin>,
    window: window::Window,
    sync: Duration,
    tx: Sender<Wake>,
    rx: Receiver<Wake>,
    watcher: Option<notify::RecommendedWatcher>,
    rescan_due: bool,
    last_rescan: Instant,
    invalid: u64,
    bounds: (Option<Timestamp>, Option<Timestamp>),
}

impl<'a> Follower<'a> {
    /// A follower for `inputs` (indices as given), watching the folders
    /// `roots` for new files matching `globs`; records of several inputs
    /// wait `sync` for each other.
    pub fn new(
        sel: Selector<'a>,
        inputs: Vec<Input>,
        roots: Vec<PathBuf>,
        globs: FileGlobs,
        sync: Duration,
    ) -> Follower<'a> {
        let (tx, rx) = channel();
        Follower {
            sel,
            inputs,
            files: Vec::new(),
            awaited: Vec::new(),
            roots,
            globs,
            ignored: HashSet::new(),
            existing: HashMap::new(),
            stdin: None,
            window: window::Window::new(sync),
            sync,
            tx,
            rx,
            watcher: None,
            rescan_due: false,
            last_rescan: Instant::now(),
            invalid: 0,
            bounds: (None, None),
        }
    }

    /// Follows input `input`, a plain file already read up to `offset`,
    /// which is the start of its line `line` (0-based).
    pub fn add_file(&mut self, input: usize, file: File, offset: u64, line: u64) -> io::Result<()> {
        let path = self
            .inputs
            .get(input)
            .and_then(|i| i.path.clone())
            .ok_or_else(|| io::Error::other("not a file input"))?;
        let f = Followed::new(input, path, file, offset, line, true)?;
        self.files.push(f);
        Ok(())
    }

    /// Follows stdin (input `input`) as a stream. Of the first burst of
    /// records, only the last `n` are given.
    pub fn add_stdin(&mut self, input: usize, n: usize) {
        let tx = self.tx.clone();
        self.stdin = Some(Stdin::start(input, n, move |a| {
            tx.send(Wake::Stdin(a)).is_ok()
        }));
    }

    /// Remembers the files now in the folders of `inputs`, before they are
    /// first read: only rotated generations written after this are caught
    /// up on (see `catch_up`).
    pub fn remember_existing(&mut self, inputs: &[Input]) {
        let mut dirs: Vec<PathBuf> = inputs
            .iter()
            .filter_map(|i| i.path.as_deref().map(parent_dir))
            .collect();
        dirs.sort();
        dirs.dedup();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                if let Ok(m) = std::fs::metadata(e.path()) {
                    self.existing.insert(FileId::of(&m), m.modified().ok());
                }
            }
        }
    }

    /// Leaves alone new files whose name date (`app_2024-01-14.jsonl`)
    /// is outside [since, until), as the first look did (SPEC §1).
    pub fn skip_dates_outside(&mut self, since: Option<Timestamp>, until: Option<Timestamp>) {
        self.bounds = (since, until);
    }

    /// The input with this index.
    pub fn input(&self, i: usize) -> Option<&Input> {
        self.inputs.get(i)
    }

    /// Unparsed lines seen while following.
    pub fn invalid(&self) -> u64 {
        self.invalid
    }

    /// Looks at every input: reads what was appended, follows rotation and
    /// truncation, picks up new files. Records found wait in the window.
    pub fn step(&mut self, now: Instant) {
        let sources = self.files.len() + usize::from(self.stdin.is_some());
        self.window.set_delay(if sources > 1 {
            self.sync
        } else {
            Duration::ZERO
        });
        // New and returning files first, so their first records are read now.
        self.step_awaited(now);
        let every = if self.watcher.is_some() {
            RESCAN_WATCHED
        } else {
            RESCAN
        };
        if !self.roots.is_empty()
            && (self.rescan_due || now.saturating_duration_since(self.last_rescan) >= every)
        {
            self.rescan(now);
        }
        self.step_files(now);
        self.step_stdin(now);
    }

    fn step_files(&mut self, now: Instant) {
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
            if change == Change::Truncated {
                match f.copy() {
                    Some(mut copy) => {
                        // copytruncate: the copy has what was written
                        // after our last read; the file starts over.
                        let _ = copy.read(now, Duration::ZERO, &mut emit);
                        copy.finish(now, &mut emit);
                        f.forget();
                    }
                    None => f.restart(now, &mut emit),
                }
            }
            let read = f.read(now, HOLD, &mut emit);
            for line in f.asm.take_cut() {
                let name = inputs.get(f.input).map(Input::display).unwrap_or_default();
                let max = crate::source::guard::limits().max_line;
                let line = f.counts_lines().then_some(line);
                report::warning(crate::source::guard::long_line_message(&name, line, max));
            }
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
            let mut reopen = None;
            match change {
                Change::Replaced => reopen = f.path.take().map(|p| (p, f.input)),
                Change::Missing => {
                    if let Some(path) = f.path.take() {
                        self.awaited.push(Awaited {
                            path,
                            input: f.input,
                            id: Some(f.id),
                            since: now,
                            settled: false,
                        });
                    }
                }
                Change::Same | Change::Truncated => {}
            }
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

    /// Reads the rotated generations of `path` (`path.1`, `path.2`…) that
    /// were never followed, oldest first: the file rotated more than once
    /// between two looks, and the ones in between would be lost. They are
    /// kept detached, like a file renamed away.
    fn catch_up(&mut self, path: &Path, input: usize) {
        for (_, p) in numbered_copies(path).into_iter().rev() {
            if !is_regular(&p) {
                continue;
            }
            let Ok(file) = File::open(&p) else { continue };
            let Ok(meta) = file.metadata() else { continue };
            let id = FileId::of(&meta);
            let is_open = self.files.iter().any(|f| f.id == id);
            if !meta.is_file() || is_open || self.is_old(id, &meta) {
                continue;
            }
            if let Ok(mut f) = Followed::new(input, p, file, 0, 0, false) {
                f.path = None;
                self.files.push(f);
            }
        }
    }

    /// Follows the file now at `path` from its first byte, unless it is one
    /// already followed or known not to be a log. A followed file found at
    /// its old path again (renamed back) is attached to it when `adopt`; a
    /// new name for a followed file (`app.log` renamed to a dated name) is
    /// not a new file and is left alone.
    fn attach(&mut self, path: PathBuf, input: usize, adopt: bool) -> bool {
        if !is_regular(&path) {
            return false;
        }
        let Ok(file) = File::open(&path) else {
            return false;
        };
        let Ok(meta) = file.metadata() else {
            return false;
        };
        if !meta.is_file() {
            return false;
        }
        let id = FileId::of(&meta);
        if let Some(f) = self.files.iter_mut().find(|f| f.id == id) {
            if adopt && f.path.is_none() {
                f.path = Some(path);
            }
            return true;
        }
        if self.ignored.contains(&(path.clone(), id)) {
            return false;
        }
        if !adopt && self.is_old(id, &meta) {
            // A file closed after its rotation, under a new name.
            return false;
        }
        match Followed::new(input, path, file, 0, 0, false) {
            Ok(f) => {
                self.files.push(f);
                true
            }
            Err(_) => false,
        }
    }

    fn step_awaited(&mut self, now: Instant) {
        let mut i = 0;
        while i < self.awaited.len() {
            let Some(a) = self.awaited.get_mut(i) else {
                break;
            };
            if std::fs::metadata(&a.path).is_ok_and(|m| m.is_file()) {
                let a = self.awaited.remove(i);
                self.catch_up(&a.path, a.input);
                if !self.attach(a.path.clone(), a.input, true) && !self.is_known(&a.path) {
                    // Not followable (yet): keep waiting for a log there.
                    self.awaited.insert(i, a);
                    i += 1;
                }
                continue;
            }
            if !a.settled && now.saturating_duration_since(a.since) >= GRACE {
                a.settled = true;
                // A writer that compresses on rotation leaves the path
                // empty while it compresses, or for good (a finished day):
                // a rotation, watched for quietly like the others.
                let renamed = a.id.is_some_and(|id| {
                    self.files
                        .iter()
                        .any(|f| f.id == id && f.path.is_none() && !f.is_deleted())
                });
                let rotated = renamed || rotated::has_new_compressed_copy(&a.path, &self.existing);
                if !rotated {
                    report::warning(format!(
                        "{}: file disappeared; still following the others",
                        a.path.display()
                    ));
                }
                if self.roots.iter().any(|r| a.path.starts_with(r)) {
                    // A followed folder's rescan finds it if it comes back;
                    // kept here, every file ever deleted or renamed away
                    // there would be looked for at each step (issue 13).
                    self.awaited.remove(i);
                    continue;
                }
            }
            i += 1;
        }
    }

    /// Whether a file was there at start, or was followed and closed, and
    /// has not changed since.
    fn is_old(&self, id: FileId, meta: &std::fs::Metadata) -> bool {
        self.existing
            .get(&id)
            .is_some_and(|t| *t == meta.modified().ok())
    }

    fn is_known(&self, path: &Path) -> bool {
        self.files.iter().any(|f| f.path.as_deref() == Some(path))
            || self.awaited.iter().any(|a| a.path == path)
    }

    fn rescan(&mut self, now: Instant) {
        self.rescan_due = false;
        self.last_rescan = now;
        let found = discover(&self.roots, &self.globs);
        // Forget what is gone: a deleted file's id and ignored path are
        // never needed again, and churn would make them grow without end.
        let mut dirs: Vec<PathBuf> = found
            .inputs
            .iter()
            .chain(&self.inputs)
            .filter_map(|i| i.path.as_deref().map(parent_dir))
            .collect();
        dirs.sort();
        dirs.dedup();
        let present: HashSet<FileId> = dirs
            .iter()
            .filter_map(|d| std::fs::read_dir(d).ok())
            .flat_map(|entries| entries.flatten())
            .filter_map(|e| std::fs::metadata(e.path()).ok())
            .map(|m| FileId::of(&m))
            .collect();
        self.existing.retain(|id, _| present.contains(id));
        self.ignored.retain(|(_, id)| present.contains(id));
        for input in found.inputs {
            let Some(path) = input.path.clone() else {
                continue;
            };
            let (since, until) = self.bounds;
            let out_of_range = input.is_outside(since, until);
            if !is_live_name(&path) || out_of_range || self.is_known(&path) {
                continue;
            }
            let index = self.inputs.len();
            self.inputs.push(input);
            let before = self.files.len();
            self.attach(path, index, false);
            if self.files.len() == before {
                self.inputs.pop();
            }
        }
    }

    fn step_stdin(&mut self, now: Instant) {
        if let Some(st) = &mut self.stdin {
            st.step(&self.sel, &mut self.window, &mut self.invalid, now);
        }
    }

    /// The next record to print, in time order, once it has waited.
    pub fn pop(&mut self, now: Instant) -> Option<OwnedHit> {
        self.window.pop(now)
    }

    /// The next record to print, without waiting (when stopping).
    pub fn pop_any(&mut self) -> Option<OwnedHit> {
        self.window.pop_any()
    }

    /// Whether nothing more can come: stdin ended and all was given, or
    /// there was never anything to follow (only compressed or unreadable
    /// files named, no folder).
    pub fn is_finished(&self) -> bool {
        let stdin_done = match &self.stdin {
            Some(st) => st.is_done(),
            None => true,
        };
        stdin_done
            && self.files.is_empty()
            && self.awaited.is_empty()
            && self.roots.is_empty()
            && self.window.deadline().is_none()
    }
}
