//! Files that start being followed after the first look: a missing path
//! that comes back, the new file at a rotated path (with the generations
//! rotated in between, read first), and new files in followed folders.
//!
//! Owns the memory that tells a new file from an old one under a new name:
//! the files there at start and the rotated ones closed since
//! (`existing`), and the paths found not to be logs (`ignored`). A file is
//! new by these rules, never by comparing with a listing made at start
//! (see the rules in [`follow`](super)). Reading the files is left to
//! [`look`](super::look).

use super::file::{FileId, Followed};
use super::{is_live_name, is_regular, numbered_copies, parent_dir, rotated, Follower};
use crate::report;
use crate::source::discover;
use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a followed path may be missing before it is reported (a rename
/// rotation leaves it missing for a moment).
const GRACE: Duration = Duration::from_millis(500);

/// A followed path that is missing, watched for its return.
pub(super) struct Awaited {
    pub(super) path: PathBuf,
    pub(super) input: usize,
    /// The file that was followed at the path, if one was.
    pub(super) id: Option<FileId>,
    pub(super) since: Instant,
    /// Whether it was reported, or found rotated away (nothing to say).
    pub(super) settled: bool,
}

impl Follower<'_> {
    /// Reads the rotated generations of `path` (`path.1`, `path.2`…) that
    /// were never followed, oldest first: the file rotated more than once
    /// between two looks, and the ones in between would be lost. They are
    /// kept detached, like a file renamed away.
    pub(super) fn catch_up(&mut self, path: &Path, input: usize) {
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
    pub(super) fn attach(&mut self, path: PathBuf, input: usize, adopt: bool) -> bool {
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

    /// Looks for the missing paths: follows the ones back, reports the
    /// ones missing for longer than [`GRACE`] (unless rotated away).
    pub(super) fn step_awaited(&mut self, now: Instant) {
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

    /// Lists the followed folders again and follows the new files.
    pub(super) fn rescan(&mut self, now: Instant) {
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
}
