//! Matched records copied out of the buffer they were found in.
//!
//! A [`Batch`] holds one chunk's matches in one byte buffer, so the raw path
//! allocates per chunk, not per record. [`HitCollector`] fills batches for
//! the commands that print records (search, tail, trace).

use crate::filter::Context;
use crate::record::{quick_time, Record, Timestamp};
use crate::scan::{Collector, Position};

/// One matched record inside a [`Batch`].
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    /// 0-based line within the chunk; the scan adds the chunk's base.
    pub line: u64,
    pub time: Option<Timestamp>,
    /// An unparsed line shown because of `--show-invalid`.
    pub is_invalid: bool,
}

/// One chunk's matches.
#[derive(Debug, Default)]
pub struct Batch {
    pub data: Vec<u8>,
    pub hits: Vec<Hit>,
}

impl Batch {
    /// The raw bytes of a hit.
    pub fn raw(&self, hit: &Hit) -> &[u8] {
        &self.data[hit.start..hit.end]
    }

    fn push(&mut self, raw: &[u8], line: u64, time: Option<Timestamp>, is_invalid: bool) {
        let start = self.data.len();
        self.data.extend_from_slice(raw);
        self.hits.push(Hit {
            start,
            end: self.data.len(),
            line,
            time,
            is_invalid,
        });
    }
}

/// Copies matching records (and their times) into batches.
pub struct HitCollector;

impl Collector for HitCollector {
    type Acc = Batch;

    fn start(&self) -> Batch {
        Batch::default()
    }

    fn record(&self, acc: &mut Batch, rec: &Record, raw: &[u8], pos: Position, cx: &Context) {
        acc.push(raw, pos.line, rec.time(cx.roles), false);
    }

    fn takes_quick(&self) -> bool {
        true
    }

    fn quick(&self, acc: &mut Batch, raw: &[u8], pos: Position, cx: &Context) -> bool {
        match quick_time(raw, cx.roles) {
            Some(time) => {
                acc.push(raw, pos.line, time, false);
                true
            }
            None => false,
        }
    }

    fn invalid(&self, acc: &mut Batch, raw: &[u8], pos: Position) {
        acc.push(raw, pos.line, None, true);
    }

    fn merge(&self, into: &mut Batch, other: Batch) {
        let offset = into.data.len();
        into.data.extend_from_slice(&other.data);
        into.hits.extend(other.hits.into_iter().map(|h| Hit {
            start: h.start + offset,
            end: h.end + offset,
            ..h
        }));
    }
}
