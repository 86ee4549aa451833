//! Chronological order across inputs: a k-way merge of ordered streams.
//!
//! Each input's matches arrive in file order; records without a time take
//! the time of the record before them in the same input, so they keep their
//! place. Ties go to the input listed first (SPEC §5). Owns `--tail` and
//! `--reverse` buffering as well.

use crate::hits::{Batch, Hit};
use crate::record::Timestamp;
use crate::scan::Piece;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::mpsc::{Receiver, TryRecvError};

/// A record on its way to a printer.
#[derive(Debug, Clone, Copy)]
pub struct Merged<'b> {
    /// Index of the input it came from.
    pub input: usize,
    pub raw: &'b [u8],
    /// 1-based line number in its input.
    pub line: u64,
    pub time: Option<Timestamp>,
    pub is_invalid: bool,
    /// The hole of a formatted record (see `hits::Hit::hole`).
    pub hole: u32,
}

/// An owned [`Merged`], for buffering.
#[derive(Debug, Clone)]
pub struct OwnedHit {
    pub input: usize,
    pub raw: Vec<u8>,
    pub line: u64,
    pub time: Option<Timestamp>,
    pub is_invalid: bool,
}

impl OwnedHit {
    fn from_merged(m: &Merged) -> OwnedHit {
        OwnedHit {
            input: m.input,
            raw: m.raw.to_vec(),
            line: m.line,
            time: m.time,
            is_invalid: m.is_invalid,
        }
    }
}

struct Cursor {
    rx: Receiver<Piece<Batch>>,
    batch: Batch,
    base: u64,
    next: usize,
    last_time: Option<Timestamp>,
}

impl Cursor {
    /// The next hit, receiving batches as needed; `None` when exhausted.
    /// Before waiting for a batch, `f` is told ([`Event::Wait`]); `Err` when
    /// it says to stop.
    fn peek(&mut self, f: &mut impl FnMut(Event) -> bool) -> Result<Option<Hit>, Stop> {
        while self.next >= self.batch.hits.len() {
            let piece = match self.rx.try_recv() {
                Ok(piece) => piece,
                Err(TryRecvError::Disconnected) => return Ok(None),
                Err(TryRecvError::Empty) => {
                    if !f(Event::Wait) {
                        return Err(Stop);
                    }
                    match self.rx.recv() {
                        Ok(piece) => piece,
                        Err(_) => return Ok(None),
                    }
                }
            };
            (self.batch, self.base) = piece;
            self.next = 0;
        }
        Ok(self.batch.hits.get(self.next).copied())
    }
}

/// The consumer asked to stop.
struct Stop;

/// What a merge hands on.
pub enum Event<'b> {
    /// The next record in time order.
    Record(Merged<'b>),
    /// The merge is about to wait for an input: the moment to flush what
    /// was printed, so that a live pipe's records flow on.
    Wait,
}

/// Merges the streams by time, calling `f` for each record in order until
/// it returns `false`.
pub fn merge(receivers: Vec<Receiver<Piece<Batch>>>, mut f: impl FnMut(Merged) -> bool) {
    merge_events(receivers, |e| match e {
        Event::Record(m) => f(m),
        Event::Wait => true,
    });
}

/// Like [`merge`], and also says when it is about to wait for an input
/// ([`Event::Wait`]); `f` returns `false` to stop.
pub fn merge_events(receivers: Vec<Receiver<Piece<Batch>>>, mut f: impl FnMut(Event) -> bool) {
    let mut cursors: Vec<Cursor> = receivers
        .into_iter()
        .map(|rx| Cursor {
            rx,
            batch: Batch::default(),
            base: 0,
            next: 0,
            last_time: None,
        })
        .collect();
    let mut heap = BinaryHeap::with_capacity(cursors.len());
    for (i, c) in cursors.iter_mut().enumerate() {
        let Ok(next) = c.peek(&mut f) else { return };
        if let Some(hit) = next {
            heap.push(Reverse((hit.time.or(c.last_time), i)));
        }
    }
    while let Some(Reverse((_, i))) = heap.pop() {
        let c = &mut cursors[i];
        let hit = match c.peek(&mut f) {
            Ok(Some(hit)) => hit,
            Ok(None) => continue,
            Err(Stop) => return,
        };
        if hit.time.is_some() {
            c.last_time = hit.time;
        }
        let merged = Merged {
            input: i,
            raw: c.batch.raw(&hit),
            line: c.base + hit.line + 1,
            time: hit.time,
            is_invalid: hit.is_invalid,
            hole: hit.hole,
        };
        if !f(Event::Record(merged)) {
            return;
        }
        c.next += 1;
        match c.peek(&mut f) {
            Ok(Some(next)) => heap.push(Reverse((next.time.or(c.last_time), i))),
            Ok(None) => {}
            Err(Stop) => return,
        }
    }
}

/// A formatted record kept for later (`--tail`, `--reverse`).
#[derive(Debug, Clone)]
pub struct Kept {
    pub input: usize,
    pub bytes: Vec<u8>,
    pub line: u64,
    pub hole: u32,
}

impl Kept {
    /// Copies a merged record.
    pub fn of(m: &Merged) -> Kept {
        Kept {
            input: m.input,
            bytes: m.raw.to_vec(),
            line: m.line,
            hole: m.hole,
        }
    }
}

/// Merges records kept whole (each input's in file order) by time, with
/// the rules of [`merge`], calling `f` for each in order.
pub fn merge_owned(per_input: Vec<Vec<OwnedHit>>, mut f: impl FnMut(OwnedHit)) {
    let mut iters: Vec<_> = per_input
        .into_iter()
        .map(|v| v.into_iter().peekable())
        .collect();
    let mut last: Vec<Option<Timestamp>> = vec![None; iters.len()];
    let mut heap = BinaryHeap::with_capacity(iters.len());
    for (i, it) in iters.iter_mut().enumerate() {
        if let Some(h) = it.peek() {
            heap.push(Reverse((h.time, i)));
        }
    }
    while let Some(Reverse((_, i))) = heap.pop() {
        let Some(hit) = iters[i].next() else { continue };
        if hit.time.is_some() {
            last[i] = hit.time;
        }
        f(hit);
        if let Some(next) = iters[i].peek() {
            heap.push(Reverse((next.time.or(last[i]), i)));
        }
    }
}

/// Keeps the last `n` records of a merge.
pub struct TailBuffer {
    n: usize,
    items: VecDeque<Kept>,
}

impl TailBuffer {
    /// A buffer for `n` records.
    pub fn new(n: usize) -> TailBuffer {
        TailBuffer {
            n,
            items: VecDeque::with_capacity(n.min(1 << 16)),
        }
    }

    /// Adds a record, dropping the oldest past `n`.
    pub fn push(&mut self, m: &Merged) {
        if self.n == 0 {
            return;
        }
        if self.items.len() == self.n {
            self.items.pop_front();
        }
        self.items.push_back(Kept::of(m));
    }

    /// The kept records, oldest first.
    pub fn into_vec(self) -> Vec<Kept> {
        self.items.into()
    }
}

/// Collects every record of a merge (for `--reverse`).
pub fn collect_all(m: &Merged, into: &mut Vec<OwnedHit>) {
    into.push(OwnedHit::from_merged(m));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::sync_channel;

    fn stream(items: &[(&str, Option<i64>)]) -> Receiver<Piece<Batch>> {
        let (tx, rx) = sync_channel(8);
        let mut b = Batch::default();
        for (i, (text, t)) in items.iter().enumerate() {
            let start = b.data.len();
            b.data.extend_from_slice(text.as_bytes());
            b.hits.push(Hit {
                start,
                end: b.data.len(),
                line: i as u64,
                time: t.map(|t| Timestamp(i128::from(t))),
                is_invalid: false,
                hole: crate::output::NO_HOLE,
            });
        }
        tx.send((b, 0)).unwrap();
        rx
    }

    #[test]
    fn merges_by_time_keeping_timeless_in_place_and_ties_in_input_order() {
        let a = stream(&[("a1", Some(1)), ("a-none", None), ("a5", Some(5))]);
        let b = stream(&[("b1", Some(1)), ("b3", Some(3))]);
        let mut out = Vec::new();
        merge(vec![a, b], |m| {
            out.push(String::from_utf8_lossy(m.raw).into_owned());
            true
        });
        assert_eq!(out, ["a1", "a-none", "b1", "b3", "a5"]);
    }

    #[test]
    fn tail_keeps_last_n() {
        let a = stream(&[("1", Some(1)), ("2", Some(2)), ("3", Some(3))]);
        let mut t = TailBuffer::new(2);
        merge(vec![a], |m| {
            t.push(&m);
            true
        });
        let got: Vec<_> = t.into_vec().into_iter().map(|h| h.bytes).collect();
        assert_eq!(got, vec![b"2".to_vec(), b"3".to_vec()]);
    }
}
