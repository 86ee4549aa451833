//! `tail -f`: following inputs as they grow, rotate and appear (SPEC §5).
//!
//! Owns everything after the first look at the inputs: appended bytes,
//! partial lines ([`assemble`]), truncation, rename rotation, deleted files,
//! new files in followed folders, stdin as a stream, and the time-ordering
//! window across inputs ([`window`]). Also the backward read that finds the
//! last records of a plain file ([`backward`]), since its end is where
//! following starts. Printing is the command's business (`cmd::tail`).
//!
//! Rules, so that no record is lost, repeated or garbled:
//! - A file is read through its open handle with `pread`, never mapped.
//! - Rename rotation: when another file has the path, the old handle is read
//!   to its end and kept (late writes to it are still read) until the file is
//!   deleted; the new file is followed from its first byte.
//! - copytruncate: a file shorter than what was read, or whose last bytes
//!   read changed, is read again from its first byte.
//! - New files in a followed folder (same globs as `search`) are followed
//!   from their first line, except rotated archives: compressed files (by
//!   name or by their first bytes) and numbered files (`app.log.1`), and a
//!   file whose inode is already followed (it was renamed). So yesterday's
//!   file compressed to `.jsonl.gz` is never read again.
//! - A followed path that stays missing is reported once on stderr and
//!   watched for its return; the other inputs are still followed.

pub mod assemble;
pub mod backward;
mod file;
pub mod window;

use crate::filter::{Context, Expr};
use crate::merge::OwnedHit;
use crate::record::{Record, RoleMap, Timestamp};
use crate::report;
use crate::source::open::decode;
use crate::source::{date_may_overlap, discover, FileGlobs, Input};
use assemble::Assembler;
pub use backward::Origin;
use file::{Change, FileId, Followed};
use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How long a text record at the end of the input waits for its traceback.
const HOLD: Duration = Duration::from_millis(50);
/// How long a followed path may be missing before it is reported (a rename
/// rotation leaves it missing for a moment).
const GRACE: Duration = Duration::from_millis(500);
/// How often followed folders are listed again without a notification.
const RESCAN: Duration = Duration::from_millis(250);
/// The longest wait between two looks at the inputs (the polling fallback).
const TICK: Duration = Duration::from_millis(100);
/// Stdin's first burst (history, e.g. `docker compose logs -f`) ends at
/// the first pause this long; only its last N records are shown.
const QUIET: Duration = Duration::from_millis(100);

/// Which records are kept: the filter, applied to raw record bytes.
pub struct Selector<'a> {
    filter: &'a Expr,
    roles: &'a RoleMap,
    show_invalid: bool,
}

impl<'a> Selector<'a> {
    /// A selector; with `show_invalid`, unparsed lines are kept too.
    pub fn new(filter: &'a Expr, roles: &'a RoleMap, show_invalid: bool) -> Selector<'a> {
        Selector {
            filter,
            roles,
            show_invalid,
        }
    }

    /// The record as a hit if the filter keeps it; unparsed lines are
    /// counted in `invalid` (and kept with `show_invalid`), as in `scan`.
    pub fn select(
        &self,
        raw: &[u8],
        line: u64,
        is_invalid: bool,
        origin: Origin,
        invalid: &mut u64,
    ) -> Option<OwnedHit> {
        let hit = |time, is_invalid| OwnedHit {
            input: origin.input,
            raw: raw.to_vec(),
            line,
            time,
            is_invalid,
        };
        if is_invalid {
            *invalid += 1;
            return self.show_invalid.then(|| hit(None, true));
        }
        let lossy;
        let text = match std::str::from_utf8(raw) {
            Ok(t) => t,
            Err(_) => {
                lossy = String::from_utf8_lossy(raw);
                &lossy
            }
        };
        let rec = Record::parse(text);
        if !rec.is_valid() {
            *invalid += 1;
            return self.show_invalid.then(|| hit(None, true));
        }
        let cx = Context {
            roles: self.roles,
            category: origin.category,
        };
        self.filter
            .matches(&rec, &cx)
            .then(|| hit(rec.time(self.roles), false))
    }
}

/// Whether a file found in a followed folder may be a log being written:
/// not compressed (`.gz`, `.zst`, `.bz2`, `.xz`) and not a numbered rotated
/// file (`app.log.1`). Only such files are followed when they appear.
pub fn is_live_name(path: &Path) -> bool {
    let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
        return true;
    };
    let compressed = ["gz", "zst", "bz2", "xz", "zip", "tgz"]
        .iter()
        .any(|c| ext.eq_ignore_ascii_case(c));
    let numbered = !ext.is_empty() && ext.bytes().all(|c| c.is_ascii_digit());
    !compressed && !numbered
}

enum Wake {
    /// A file-system notification; `structural` when files were created,
    /// renamed or removed.
    Fs {
        structural: bool,
    },
    Data(Vec<u8>),
    End(Option<io::Error>),
}

struct Awaited {
    path: PathBuf,
    input: usize,
    since: Instant,
    reported: bool,
}

struct Stdin {
    input: usize,
    asm: Assembler,
    ended: bool,
    last_data: Instant,
    /// The first burst's last records, until its end.
    warmup: Option<(usize, VecDeque<OwnedHit>)>,
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
        self.files
            .push(Followed::new(input, path, file, offset, line, true)?);
        Ok(())
    }

    /// Follows stdin (input `input`) as a stream. Of the first burst of
    /// records, only the last `n` are given.
    pub fn add_stdin(&mut self, input: usize, n: usize) {
        self.stdin = Some(Stdin {
            input,
            asm: Assembler::new(0),
            ended: false,
            last_data: Instant::now(),
            warmup: Some((n, VecDeque::new())),
        });
        let tx = self.tx.clone();
        std::thread::spawn(move || read_stdin(&tx));
    }

    /// Leaves alone new files whose name date (`app_2024-01-14.jsonl`)
    /// is outside [since, until), as the first look did (SPEC §1).
    pub fn skip_dates_outside(&mut self, since: Option<Timestamp>, until: Option<Timestamp>) {
        self.bounds = (since, until);
    }

    /// Starts file-system notifications for the followed folders and the
    /// folders of followed files. Without them, inputs are polled.
    pub fn watch(&mut self) {
        use notify::event::ModifyKind;
        use notify::{EventKind, RecursiveMode, Watcher};
        let tx = self.tx.clone();
        let handler = move |res: notify::Result<notify::Event>| {
            let structural = match &res {
                Ok(ev) => match ev.kind {
                    // Our own opens and reads; waking for them would spin.
                    EventKind::Access(_) => return,
                    EventKind::Modify(ModifyKind::Data(_)) => false,
                    _ => true,
                },
                Err(_) => true,
            };
            let _ = tx.send(Wake::Fs { structural });
        };
        let Ok(mut w) = notify::recommended_watcher(handler) else {
            return;
        };
        for root in &self.roots {
            let _ = w.watch(root, RecursiveMode::Recursive);
        }
        let mut parents: Vec<PathBuf> = self
            .files
            .iter()
            .filter_map(|f| f.path.as_ref())
            .filter(|p| !self.roots.iter().any(|r| p.starts_with(r)))
            .map(|p| match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            })
            .collect();
        parents.sort();
        parents.dedup();
        for dir in parents {
            let _ = w.watch(&dir, RecursiveMode::NonRecursive);
        }
        self.watcher = Some(w);
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
        if !self.roots.is_empty()
            && (self.rescan_due || now.saturating_duration_since(self.last_rescan) >= RESCAN)
        {
            self.rescan(now);
        }
        self.step_files(now);
        self.step_stdin(now);
    }

    fn step_files(&mut self, now: Instant) {
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
                f.restart(now, &mut emit);
            }
            let keep = match f.read(now, HOLD, &mut emit) {
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
                            since: now,
                            reported: false,
                        });
                    }
                }
                Change::Same | Change::Truncated => {}
            }
            if f.path.is_none() && f.is_deleted() {
                f.finish(now, &mut emit);
                self.files.remove(i);
            } else {
                i += 1;
            }
            if let Some((path, input)) = reopen {
                self.attach(path, input);
            }
        }
    }

    /// Follows the file now at `path` from its first byte, unless it is one
    /// already followed (renamed back) or known not to be a log.
    fn attach(&mut self, path: PathBuf, input: usize) -> bool {
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
            if f.path.is_none() {
                f.path = Some(path);
            }
            return true;
        }
        if self.ignored.contains(&(path.clone(), id)) {
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
                if !self.attach(a.path.clone(), a.input) && !self.is_known(&a.path) {
                    // Not followable (yet): keep waiting for a log there.
                    self.awaited.insert(i, a);
                    i += 1;
                }
                continue;
            }
            if !a.reported && now.saturating_duration_since(a.since) >= GRACE {
                a.reported = true;
                report::warning(format!(
                    "{}: file disappeared; still following the others",
                    a.path.display()
                ));
            }
            i += 1;
        }
    }

    fn is_known(&self, path: &Path) -> bool {
        self.files.iter().any(|f| f.path.as_deref() == Some(path))
            || self.awaited.iter().any(|a| a.path == path)
    }

    fn rescan(&mut self, now: Instant) {
        self.rescan_due = false;
        self.last_rescan = now;
        let found = discover(&self.roots, &self.globs);
        for input in found.inputs {
            let Some(path) = input.path.clone() else {
                continue;
            };
            let (since, until) = self.bounds;
            let out_of_range = input
                .name_date()
                .is_some_and(|d| !date_may_overlap(d, since, until));
            if !is_live_name(&path) || out_of_range || self.is_known(&path) {
                continue;
            }
            let index = self.inputs.len();
            self.inputs.push(input);
            let before = self.files.len();
            self.attach(path, index);
            if self.files.len() == before {
                self.inputs.pop();
            }
        }
    }

    fn step_stdin(&mut self, now: Instant) {
        let Follower {
            stdin,
            sel,
            window,
            invalid,
            ..
        } = self;
        let Some(st) = stdin.as_mut() else { return };
        let origin = Origin {
            input: st.input,
            category: None,
        };
        let warmup = &mut st.warmup;
        st.asm
            .drain(now, HOLD, st.ended, &mut |raw, line, is_invalid| {
                let Some(hit) = sel.select(raw, line, is_invalid, origin, invalid) else {
                    return;
                };
                match warmup {
                    Some((n, ring)) => {
                        if *n > 0 {
                            if ring.len() == *n {
                                ring.pop_front();
                            }
                            ring.push_back(hit);
                        }
                    }
                    None => window.push(hit, now),
                }
            });
        let burst_over = st.ended || now.saturating_duration_since(st.last_data) >= QUIET;
        if burst_over {
            if let Some((_, ring)) = st.warmup.take() {
                for hit in ring {
                    window.push(hit, now);
                }
            }
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

    /// Whether nothing more can come: stdin ended and all was given.
    pub fn is_finished(&self) -> bool {
        let stdin_done = self
            .stdin
            .as_ref()
            .is_some_and(|s| s.ended && s.asm.is_empty() && s.warmup.is_none());
        stdin_done && self.files.is_empty() && self.window.deadline().is_none()
    }

    /// Waits until something may have happened: a notification, stdin
    /// data, a record's wait ending, or at most `TICK`.
    pub fn wait(&mut self, now: Instant) {
        let mut until = now + TICK;
        let held = self
            .files
            .iter()
            .map(|f| &f.asm)
            .chain(self.stdin.as_ref().map(|s| &s.asm))
            .filter_map(|a| a.deadline(HOLD));
        for d in held.chain(self.window.deadline()) {
            if d > now {
                until = until.min(d);
            }
        }
        if let Some(st) = &self.stdin {
            if st.warmup.is_some() {
                until = until.min(st.last_data + QUIET);
            }
        }
        let timeout = until
            .saturating_duration_since(now)
            .max(Duration::from_millis(1));
        match self.rx.recv_timeout(timeout) {
            Ok(w) => self.on_wake(w),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return,
        }
        while let Ok(w) = self.rx.try_recv() {
            self.on_wake(w);
        }
    }

    fn on_wake(&mut self, w: Wake) {
        match w {
            Wake::Fs { structural } => self.rescan_due |= structural,
            Wake::Data(bytes) => {
                if let Some(st) = &mut self.stdin {
                    let now = Instant::now();
                    st.asm.push(&bytes, now);
                    st.last_data = now;
                }
            }
            Wake::End(err) => {
                if let Some(e) = err {
                    report::error(format!("<stdin>: {}", report::describe(&e)));
                }
                if let Some(st) = &mut self.stdin {
                    st.ended = true;
                }
            }
        }
    }
}

/// Reads stdin on its own thread and sends what arrives, as it arrives.
fn read_stdin(tx: &Sender<Wake>) {
    let reader = BufReader::with_capacity(1 << 16, io::stdin());
    let mut reader = match decode(reader) {
        Ok(r) => r,
        Err(e) => {
            let _ = tx.send(Wake::End(Some(e)));
            return;
        }
    };
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => {
                let _ = tx.send(Wake::End(None));
                return;
            }
            Ok(n) => {
                let data = buf.get(..n).unwrap_or_default().to_vec();
                if tx.send(Wake::Data(data)).is_err() {
                    return;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                let _ = tx.send(Wake::End(Some(e)));
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_names_exclude_compressed_and_numbered_files() {
        for live in ["app_2024-01-16.jsonl", "app.log", "x/app.json", "noext"] {
            assert!(is_live_name(Path::new(live)), "{live}");
        }
        for archive in [
            "app_2024-01-15.jsonl.gz",
            "app.log.1",
            "app.log.12",
            "a.log.zst",
        ] {
            assert!(!is_live_name(Path::new(archive)), "{archive}");
        }
    }
}
