//! The rolling window of chunk scans: results in chunk order as soon as
//! each and those before it are done.

use super::{ChunkOut, Summary};
use crate::progress;

/// Scans chunks on the pool with up to `window` of them in flight, and
/// hands each result to `take` in chunk order as soon as it and those
/// before it are done: no chunk waits for the slowest of a window, so
/// formatting workers stay busy while the merge writes (issue 11).
pub(super) fn run_rolling<A: Send>(
    ranges: &[std::ops::Range<usize>],
    window: usize,
    is_mapped: bool,
    summary: &mut Summary,
    take: &mut dyn FnMut(ChunkOut<A>, &mut Summary) -> bool,
    scan: &(dyn Fn(&std::ops::Range<usize>) -> ChunkOut<A> + Sync),
) -> bool {
    use std::sync::atomic::{AtomicBool, Ordering};
    let stop = AtomicBool::new(false);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Option<ChunkOut<A>>)>();
    rayon::in_place_scope(|s| {
        let mut done: std::collections::VecDeque<Option<ChunkOut<A>>> = Default::default();
        let (mut spawned, mut next) = (0, 0);
        let mut ok = true;
        while next < ranges.len() {
            while spawned < ranges.len() && spawned - next < window {
                let (tx, stop, i) = (tx.clone(), &stop, spawned);
                let range = &ranges[i];
                s.spawn(move |_| {
                    // Sends `None` if the scan panics, so the wait below
                    // ends and the scope passes the panic on.
                    let mut unsent = Unsent(Some(tx), i);
                    if !stop.load(Ordering::Relaxed) {
                        let out = scan(range);
                        if let Some(tx) = unsent.0.take() {
                            let _ = tx.send((i, Some(out)));
                        }
                    }
                });
                spawned += 1;
            }
            // Results arrive in any order; `done[k]` is chunk `next + k`.
            while done.front().is_none_or(Option::is_none) {
                let Ok((i, out)) = rx.recv() else {
                    stop.store(true, Ordering::Relaxed);
                    return false;
                };
                let k = i - next;
                if done.len() <= k {
                    done.resize_with(k + 1, || None);
                }
                done[k] = out;
                if done[k].is_none() {
                    // Skipped after a stop, or panicked: nothing more.
                    ok = false;
                    break;
                }
            }
            if !ok {
                break;
            }
            let Some(Some(out)) = done.pop_front() else {
                break;
            };
            let len = ranges[next].len() as u64;
            next += 1;
            if crate::interrupt::is_interrupted() || !take(out, summary) {
                ok = false;
                break;
            }
            if is_mapped {
                progress::add_bytes(len);
            }
        }
        stop.store(true, Ordering::Relaxed);
        ok && next == ranges.len()
    })
}

/// A chunk's result channel; dropped unused, it says the chunk gave none.
struct Unsent<A>(Option<std::sync::mpsc::Sender<(usize, Option<A>)>>, usize);

impl<A> Drop for Unsent<A> {
    fn drop(&mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send((self.1, None));
        }
    }
}
