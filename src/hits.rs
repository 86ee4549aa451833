//! Matched records copied out of the buffer they were found in.
//!
//! A [`Batch`] holds one chunk's matches in one byte buffer, so the raw path
//! allocates per chunk, not per record. [`HitCollector`] fills batches with
//! raw records (for `trace` and `tail`, which keep few);
//! [`FormatCollector`] with records already formatted for output, in the
//! scan worker, from the parse the filter did (issue 11): the merge then
//! only orders byte ranges.

use crate::filter::Context;
use crate::output::{Format, Printer, NO_HOLE};
use crate::record::{quick_time, Classified, Record, Timestamp};
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
    /// Where the input's part goes in a formatted record (see
    /// `Printer::format`); `NO_HOLE` in raw batches.
    pub hole: u32,
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
            hole: NO_HOLE,
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

    fn quick(&self, acc: &mut Batch, line: &Classified, pos: Position, cx: &Context) -> bool {
        match quick_time(line, cx.roles) {
            Some(time) => {
                acc.push(line.raw, pos.line, time, false);
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

/// Formats matching records into batches, in the scan workers.
pub struct FormatCollector<'p> {
    pub printer: &'p Printer,
}

impl FormatCollector<'_> {
    fn push(
        &self,
        acc: &mut Batch,
        rec: Option<&Record>,
        raw: &[u8],
        line: u64,
        time: Option<Timestamp>,
        cx: Option<&Context>,
    ) {
        let start = acc.data.len();
        let category = cx.and_then(|cx| cx.category);
        let hole = self.printer.format(&mut acc.data, rec, raw, time, category);
        acc.hits.push(Hit {
            start,
            end: acc.data.len(),
            line,
            time,
            is_invalid: rec.is_none(),
            hole,
        });
    }
}

impl Collector for FormatCollector<'_> {
    type Acc = Batch;

    fn start(&self) -> Batch {
        Batch::default()
    }

    fn record(&self, acc: &mut Batch, rec: &Record, raw: &[u8], pos: Position, cx: &Context) {
        let time = rec.time(cx.roles);
        self.push(acc, Some(rec), raw, pos.line, time, Some(cx));
    }

    fn takes_quick(&self) -> bool {
        self.printer.format == Format::Raw
    }

    fn quick(&self, acc: &mut Batch, line: &Classified, pos: Position, cx: &Context) -> bool {
        match quick_time(line, cx.roles) {
            Some(time) => {
                let start = acc.data.len();
                acc.data.extend_from_slice(self.printer.raw_line(line));
                acc.data.push(b'\n');
                acc.hits.push(Hit {
                    start,
                    end: acc.data.len(),
                    line: pos.line,
                    time,
                    is_invalid: false,
                    hole: NO_HOLE,
                });
                true
            }
            None => false,
        }
    }

    fn invalid(&self, acc: &mut Batch, raw: &[u8], pos: Position) {
        self.push(acc, None, raw, pos.line, None, None);
    }

    fn merge(&self, into: &mut Batch, other: Batch) {
        HitCollector.merge(into, other);
    }
}
