//! What wakes the follow loop: file-system notifications, stdin data, and
//! the polling tick.
//!
//! Owns the `notify` watcher (folders followed recursively, folders of
//! named files not) and the wait between two looks at the inputs. A
//! notification only wakes the loop, which then looks at every input, so a
//! missed or coalesced event costs at most one tick ([`TICK`]) of latency.

use super::{parent_dir, Follower};
use crate::report;
use crate::source::assemble::HOLD;
use crate::source::live::Arrival;
use std::path::PathBuf;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

/// The longest wait between two looks at the inputs (the polling fallback).
pub const TICK: Duration = Duration::from_millis(100);

/// What wakes the follow loop.
pub enum Wake {
    /// A file-system notification; `structural` when files were created,
    /// renamed or removed.
    Fs { structural: bool },
    /// Stdin data or its end.
    Stdin(Arrival),
}

impl Follower<'_> {
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
            .map(|p| parent_dir(p))
            .collect();
        parents.sort();
        parents.dedup();
        for dir in parents {
            let _ = w.watch(&dir, RecursiveMode::NonRecursive);
        }
        self.watcher = Some(w);
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
        if let Some(d) = self.stdin.as_ref().and_then(|s| s.burst_deadline()) {
            until = until.min(d);
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
            Wake::Stdin(Arrival::Data(bytes)) => {
                if let Some(st) = &mut self.stdin {
                    st.push(&bytes, Instant::now());
                }
            }
            Wake::Stdin(Arrival::End(err)) => {
                if let Some(e) = err {
                    report::error(format!("<stdin>: {}", report::describe(&e)));
                }
                if let Some(st) = &mut self.stdin {
                    st.end();
                }
            }
        }
    }
}
