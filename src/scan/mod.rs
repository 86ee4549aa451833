//! Reading inputs into records, in parallel, keeping order.
//!
//! Owns the hot loop: each input is cut into record-aligned chunks
//! (`source::chunk`), chunks are scanned on the rayon pool a bounded window
//! at a time, and each chunk's result is handed on in file order. Per record,
//! the [`Sieve`] decides (the literal prefilter on raw bytes, a quick look at
//! a JSON line, then `Record::parse` (lazy), then the filter), from the
//! record's first line classified once. What is kept of a match is the
//! [`Collector`]'s business, so search, count, stats and trace share this
//! loop.

mod bytes;
mod indexed;
mod rolling;
mod sieve;
mod time_seek;

use crate::census::{Census, Seen};
use crate::filter::{Context, Expr};
use crate::progress;
use crate::record::{split_classified, Classified, Record, RoleMap};
use crate::source::live::{Live, Step};
use crate::source::open::{open, Opened};
use crate::source::{chunk, guard, live, Input};
use bytes::fill;
pub use bytes::text_of;
use rayon::prelude::*;
use rolling::run_rolling;
pub use sieve::{Sieve, Verdict};
use std::borrow::Cow;
use std::io;
use std::sync::mpsc::{sync_channel, Receiver};
use time_seek::{seek_window, seek_window_at};

/// How to scan, resolved from settings.
pub struct ScanConfig<'a> {
    pub filter: &'a Expr,
    pub roles: &'a RoleMap,
    /// Hand unparsed lines to the collector too.
    pub show_invalid: bool,
    /// Map plain files (off: read them as streams).
    pub mmap: bool,
    /// Bytes per chunk scanned by one task.
    pub chunk_size: usize,
    /// Seek to the `--since/--until` window in sorted mapped files.
    pub seek: bool,
    /// Count the lines a seek skips, so line numbers stay right.
    pub line_numbers: bool,
    /// Which named fields the records hold (see `census`), when asked.
    pub census: Option<&'a Census>,
    /// Which records are kept (prefilter, quick look, parse, filter).
    pub sieve: Sieve<'a>,
    /// Sidecar indexes to skip blocks by (`None`: read every file whole).
    pub index: Option<&'a crate::index::Lookup>,
}

impl<'a> ScanConfig<'a> {
    /// A configuration; `prefilter` enables the raw-byte literal prefilter
    /// and the quick look at JSON lines.
    pub fn new(filter: &'a Expr, roles: &'a RoleMap, prefilter: bool) -> ScanConfig<'a> {
        ScanConfig {
            filter,
            roles,
            show_invalid: false,
            mmap: true,
            chunk_size: 1 << 20,
            seek: prefilter,
            line_numbers: true,
            census: None,
            sieve: Sieve::new(filter, roles, prefilter),
            index: None,
        }
    }
}

/// Where a record is within its chunk.
#[derive(Debug, Clone, Copy)]
pub struct Position {
    /// 0-based line of the record's first line within the chunk.
    pub line: u64,
}

/// What a command keeps of the records that pass the filter.
pub trait Collector: Sync {
    /// What one chunk accumulates.
    type Acc: Send;
    /// An empty accumulator.
    fn start(&self) -> Self::Acc;
    /// A record that passed the filter.
    fn record(&self, acc: &mut Self::Acc, rec: &Record, raw: &[u8], pos: Position, cx: &Context);
    /// Whether [`Collector::quick`] can ever take a record (the scanner then
    /// checks lines that the quick filter accepts for JSON validity).
    fn takes_quick(&self) -> bool {
        false
    }
    /// Takes a record that the filter accepted from a quick look at a line
    /// holding one valid JSON object (classified: `line.raw` is the line as
    /// read, `line.body` the object after any container prefix), when the
    /// collector needs nothing more than the quick scan can give; `false`
    /// has the record parsed.
    fn quick(
        &self,
        _acc: &mut Self::Acc,
        _line: &Classified,
        _pos: Position,
        _cx: &Context,
    ) -> bool {
        false
    }
    /// An unparsed line (only with `show_invalid`).
    fn invalid(&self, _acc: &mut Self::Acc, _raw: &[u8], _pos: Position) {}
    /// Combines two accumulators (unordered scans).
    fn merge(&self, into: &mut Self::Acc, other: Self::Acc);
}

/// What happened while scanning one input.
#[derive(Debug, Default)]
pub struct Summary {
    pub lines: u64,
    pub invalid: u64,
    pub error: Option<io::Error>,
    /// The mapped file shrank while being read (truncated underneath).
    pub shrank: bool,
    /// The fields seen, with a census (see `census`).
    pub seen: Option<Seen>,
    /// An index had blocks skipped: the records read are not all there are.
    pub pruned: bool,
}

/// One chunk's result, with the number of lines before it in its input.
pub type Piece<A> = (A, u64);

struct ChunkOut<A> {
    acc: A,
    lines: u64,
    invalid: u64,
    seen: Option<Seen>,
    /// A mapped chunk holding a NUL byte: the file is binary, not scanned.
    binary: Option<io::Error>,
}

fn scan_chunk<C: Collector>(buf: &[u8], cfg: &ScanConfig, c: &C, cx: &Context) -> ChunkOut<C::Acc> {
    let mut acc = c.start();
    let mut invalid = 0;
    let mut seen = cfg.census.map(Census::start);
    let takes_quick = c.takes_quick();
    let lines = split_classified(buf, |span, first| {
        let raw = &buf[span.start..span.end];
        let pos = Position { line: span.line };
        let mut text = Cow::Borrowed("");
        let mut take = |line: &Classified| c.quick(&mut acc, line, pos, cx);
        let take: Option<&mut dyn FnMut(&Classified) -> bool> =
            if takes_quick { Some(&mut take) } else { None };
        match cfg.sieve.judge(raw, &first, &mut text, cx, take) {
            Verdict::Skipped | Verdict::Taken => {
                if let (Some(census), Some(seen)) = (cfg.census, seen.as_mut()) {
                    census.skipped(seen, raw, &first, cfg.roles);
                }
            }
            Verdict::Invalid => {
                invalid += 1;
                if cfg.show_invalid {
                    c.invalid(&mut acc, raw, pos);
                }
            }
            Verdict::Parsed { rec, keep } => {
                if let (Some(census), Some(seen)) = (cfg.census, seen.as_mut()) {
                    census.parsed(seen, &rec, cfg.roles);
                }
                if keep {
                    c.record(&mut acc, &rec, raw, pos, cx);
                }
            }
        }
    });
    ChunkOut {
        acc,
        lines,
        invalid,
        seen,
        binary: None,
    }
}

/// Scans one input, handing each chunk's accumulator to `sink` in order.
/// `sink` returns `false` to stop early.
pub fn scan_input<C: Collector>(
    input: &Input,
    cfg: &ScanConfig,
    c: &C,
    sink: &mut dyn FnMut(C::Acc, u64) -> bool,
) -> Summary {
    let cx = Context {
        roles: cfg.roles,
        category: input.category.as_deref(),
    };
    let mut summary = Summary::default();
    let plan = cfg
        .index
        .zip(input.path.as_deref())
        .and_then(|(lookup, path)| lookup.plan(path));
    let opened = match open(input, cfg.mmap) {
        Ok(o) => o,
        Err(e) => {
            summary.error = Some(e);
            return summary;
        }
    };
    let window = rayon::current_num_threads().max(1) * 4;
    // Streams count the bytes they read (compressed ones included) as they
    // read them; mapped files count each window of chunks scanned.
    let is_mapped = matches!(opened, Opened::Mapped(..));
    let mut run = |buf: &[u8], ranges: &[std::ops::Range<usize>], summary: &mut Summary| -> bool {
        let mut take = |mut out: ChunkOut<C::Acc>, summary: &mut Summary| -> bool {
            if let Some(e) = out.binary.take() {
                summary.error = Some(e);
                return false;
            }
            let base = summary.lines;
            summary.lines += out.lines;
            summary.invalid += out.invalid;
            if let Some(seen) = out.seen {
                match summary.seen.as_mut() {
                    Some(all) => all.merge(seen),
                    None => summary.seen = Some(seen),
                }
            }
            sink(out.acc, base)
        };
        // On a pool thread (`scan_all`), waiting for the pool could leave
        // it without a worker: scan a window at a time there.
        if ranges.len() > 1 && rayon::current_thread_index().is_none() {
            return run_rolling(ranges, window, is_mapped, summary, &mut take, &|r| {
                let nul = is_mapped
                    .then(|| guard::check_mapped(buf, std::slice::from_ref(r)))
                    .flatten();
                match nul {
                    Some(e) => ChunkOut {
                        acc: c.start(),
                        lines: 0,
                        invalid: 0,
                        seen: None,
                        binary: Some(e),
                    },
                    None => scan_chunk(&buf[r.clone()], cfg, c, &cx),
                }
            });
        }
        for group in ranges.chunks(window) {
            if crate::interrupt::is_interrupted() {
                return false;
            }
            if let Some(e) = is_mapped.then(|| guard::check_mapped(buf, group)).flatten() {
                summary.error = Some(e);
                return false;
            }
            let outs: Vec<ChunkOut<C::Acc>> = if group.len() == 1 {
                vec![scan_chunk(&buf[group[0].clone()], cfg, c, &cx)]
            } else {
                group
                    .par_iter()
                    .map(|r| scan_chunk(&buf[r.clone()], cfg, c, &cx))
                    .collect()
            };
            for out in outs {
                if !take(out, summary) {
                    return false;
                }
            }
            if is_mapped {
                progress::add_bytes(group.iter().map(|r| r.len() as u64).sum());
            }
        }
        true
    };
    if let Some(plan) = plan {
        summary.pruned = true;
        summary.invalid = plan.skipped_invalid;
        indexed::scan_plan(input, opened, &plan, cfg, &mut run, &mut summary);
        return summary;
    }
    // A file still being written: a time seek by positioned reads, then a
    // stream from there (to its end as it grows, unless `--until` ends it).
    let opened = match opened {
        Opened::Growing(g) => {
            let window = if cfg.seek && !cfg.line_numbers {
                seek_window_at(&g.file, g.len, cfg)
            } else {
                None
            };
            let (start, end) = match window {
                Some(w) => (w.start, (w.end < g.len).then_some(w.end)),
                None => (0, None),
            };
            if start > 0 {
                progress::add_bytes(start);
            }
            match g.into_stream(start, end) {
                Ok(reader) => Opened::Stream(reader),
                Err(e) => {
                    summary.error = Some(e);
                    return summary;
                }
            }
        }
        other => other,
    };
    match opened {
        Opened::Mapped(map, file) => {
            let window = if cfg.seek {
                seek_window(&map, cfg)
            } else {
                None
            };
            let window = window.unwrap_or(0..map.len());
            if window.start > 0 && cfg.line_numbers {
                summary.lines = memchr::memchr_iter(b'\n', &map[..window.start]).count() as u64;
            }
            let ranges: Vec<_> = chunk::split(&map[window.clone()], cfg.chunk_size)
                .into_iter()
                .map(|r| r.start + window.start..r.end + window.start)
                .collect();
            if run(&map, &ranges, &mut summary) {
                // What the time seek skipped is done too.
                progress::add_bytes((map.len() - window.len()) as u64);
            }
            if file
                .metadata()
                .map(|m| m.len() < map.len() as u64)
                .unwrap_or(false)
            {
                summary.shrank = true;
            }
        }
        Opened::Stream(mut reader) => {
            let cap = (cfg.chunk_size * window).clamp(1 << 16, 64 << 20);
            scan_stream(&mut reader, cap, cfg, &mut run, &mut summary);
        }
        Opened::Live(reader) => {
            const EMPTY: std::ops::Range<usize> = 0..0;
            let cap = (cfg.chunk_size * window).clamp(1 << 16, 64 << 20);
            let mut live = Live::start(reader);
            loop {
                match live.next(live::TICK, cap) {
                    Step::Ready(n) => {
                        let ranges = chunk::split(&live.held()[..n], cfg.chunk_size);
                        if !run(live.held(), &ranges, &mut summary) {
                            return summary;
                        }
                        live.consume(n);
                    }
                    // Nothing arrived for a while. An empty chunk, handed on
                    // like any other, fails once nobody takes the results
                    // (`-n 3` was satisfied), so the scan ends without
                    // waiting for a writer that may never close the pipe.
                    Step::Idle => {
                        if crate::interrupt::is_interrupted() || !run(&[], &[EMPTY], &mut summary) {
                            return summary;
                        }
                    }
                    Step::End(err) => {
                        summary.error = err;
                        return summary;
                    }
                }
            }
        }
        // Made a stream above.
        Opened::Growing(_) => {}
    }
    summary
}

/// The scan of a window of a buffer: its chunks' ranges, and the summary
/// to add them to; `false` stops the scan.
type Run<'r> = dyn FnMut(&[u8], &[std::ops::Range<usize>], &mut Summary) -> bool + 'r;

/// Scans a stream through `run`, a window of `cap` bytes at a time cut at
/// record starts. Returns `false` when `run` stopped it.
fn scan_stream(
    reader: &mut dyn io::Read,
    cap: usize,
    cfg: &ScanConfig,
    run: &mut Run,
    summary: &mut Summary,
) -> bool {
    // Grown as data arrives: thousands of small inputs must not each
    // reserve a full window.
    let mut buf: Vec<u8> = Vec::with_capacity(cap.min(1 << 16));
    let mut want = cap;
    loop {
        let (eof, err) = fill(reader, &mut buf, want);
        let cut = if eof || err.is_some() {
            None
        } else {
            chunk::stream_cut(&buf)
        };
        match (cut, eof, err) {
            (Some(cut), _, _) => {
                let ranges = chunk::split(&buf[..cut], cfg.chunk_size);
                if !run(&buf, &ranges, summary) {
                    return false;
                }
                buf.drain(..cut);
                want = cap;
            }
            (None, false, None) => want = buf.len() * 2,
            (None, _, err) => {
                // End of input, or damage: scan what is complete.
                let end = if err.is_some() {
                    memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1)
                } else {
                    buf.len()
                };
                let ranges = chunk::split(&buf[..end], cfg.chunk_size);
                let go_on = run(&buf, &ranges, summary);
                summary.error = err;
                return go_on && summary.error.is_none();
            }
        }
    }
}

/// Scans every input in parallel and hands `consume` one receiver per input,
/// each yielding that input's chunk results in order. Dropping a receiver
/// stops its scan. Returns each input's summary.
pub fn scan_streams<C, F>(inputs: &[Input], cfg: &ScanConfig, c: &C, consume: F) -> Vec<Summary>
where
    C: Collector,
    F: FnOnce(Vec<Receiver<Piece<C::Acc>>>),
{
    crate::source::open::raise_fd_limit();
    progress::track(inputs.iter().map(|i| i.path.as_deref()));
    std::thread::scope(|s| {
        let mut handles = Vec::with_capacity(inputs.len());
        let mut receivers = Vec::with_capacity(inputs.len());
        for input in inputs {
            let (tx, rx) = sync_channel::<Piece<C::Acc>>(2);
            receivers.push(rx);
            let handle = std::thread::Builder::new()
                .stack_size(512 << 10)
                .spawn_scoped(s, move || {
                    let summary =
                        scan_input(input, cfg, c, &mut |acc, base| tx.send((acc, base)).is_ok());
                    progress::file_done();
                    summary
                });
            handles.push(handle);
        }
        consume(receivers);
        handles
            .into_iter()
            .map(|h| match h {
                Ok(h) => h.join().unwrap_or_default(),
                Err(e) => Summary {
                    error: Some(e),
                    ..Summary::default()
                },
            })
            .collect()
    })
}

/// Scans every input in parallel, order not kept, and folds all results
/// into one accumulator.
pub fn scan_all<C: Collector>(inputs: &[Input], cfg: &ScanConfig, c: &C) -> (C::Acc, Vec<Summary>) {
    progress::track(inputs.iter().map(|i| i.path.as_deref()));
    let results: Vec<(C::Acc, Summary)> = inputs
        .par_iter()
        .map(|input| {
            let mut total = c.start();
            let summary = scan_input(input, cfg, c, &mut |acc, _| {
                c.merge(&mut total, acc);
                true
            });
            progress::file_done();
            (total, summary)
        })
        .collect();
    let mut total = c.start();
    let mut summaries = Vec::with_capacity(results.len());
    for (acc, s) in results {
        c.merge(&mut total, acc);
        summaries.push(s);
    }
    (total, summaries)
}
