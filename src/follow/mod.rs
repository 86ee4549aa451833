//! `tail -f`: following inputs as they grow, rotate and appear (SPEC §5).
//!
//! Owns everything after the first look at the inputs: appended bytes,
//! partial lines (`source::assemble`), truncation, rename rotation and deleted
//! files (`look`), returning paths and new files in followed folders
//! (`arrivals`), stdin as a stream, and the time-ordering window across
//! inputs ([`window`]), woken by notifications or a polling tick (`wake`).
//! Also the backward read that finds the last records of a plain file
//! ([`backward`]), since its end is where following starts. This module
//! holds the [`Follower`] and its step; printing is the command's business
//! (`cmd::tail`).
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

mod arrivals;
pub mod backward;
mod file;
mod look;
mod rotated;
mod select;
pub(crate) mod stdin;
pub(crate) mod wake;
pub mod window;

use crate::merge::OwnedHit;
use crate::record::Timestamp;
use crate::source::{FileGlobs, Input, Origin};
use arrivals::Awaited;
use file::{FileId, Followed};
pub use select::{is_live_name, Selector};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::time::{Duration, Instant, SystemTime};
use stdin::Stdin;
use wake::Wake;

/// How often followed folders are listed again without a notification.
const RESCAN: Duration = Duration::from_millis(250);
/// The same with file-system notifications, which say when to look: a
/// fallback for missed events only, so an idle follow stays idle.
const RESCAN_WATCHED: Duration = Duration::from_secs(5);
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

/// The folder of a path (`.` for a bare file name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
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
