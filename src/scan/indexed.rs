//! Scanning the blocks of a file that an index says may match.
//!
//! Owns reading each [`Span`] of a [`Plan`]: ranges of the map for a
//! mapped plain file, positioned reads for a plain file still being
//! written, and for gzip a restart of inflation at the span's access point
//! (`index::gzip`). Each span is scanned as the whole file would be, its
//! line numbers counted from the lines the index says come before it.

use super::{chunk, scan_stream, Run, ScanConfig, Summary};
use crate::index::gzip::Resume;
use crate::index::sidecar::Codec;
use crate::index::{Plan, Span};
use crate::source::guard::Guard;
use crate::source::open::Opened;
use crate::source::Input;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

/// Scans the spans of `plan` of `input` (opened as `opened`) through `run`.
pub(super) fn scan_plan(
    input: &Input,
    opened: Opened,
    plan: &Plan,
    cfg: &ScanConfig,
    run: &mut Run,
    summary: &mut Summary,
) {
    let mapped = matches!(opened, Opened::Mapped(..));
    let result = match (plan.codec(), opened) {
        (Codec::Plain, Opened::Mapped(map, file)) => {
            for span in &plan.spans {
                let end = span.end.map_or(map.len(), |e| (e as usize).min(map.len()));
                let start = (span.start as usize).min(end);
                let ranges: Vec<_> = chunk::split(&map[start..end], cfg.chunk_size)
                    .into_iter()
                    .map(|r| r.start + start..r.end + start)
                    .collect();
                summary.lines = span.lines;
                if !run(&map, &ranges, summary) {
                    break;
                }
            }
            crate::progress::add_bytes(map.len() as u64);
            // Truncated underneath: the map read zeros past the new end.
            summary.shrank = file.metadata().is_ok_and(|m| m.len() < map.len() as u64);
            Ok(())
        }
        (Codec::Plain, _) => plain_spans(input, plan, cfg, run, summary),
        (Codec::Gzip, _) => gzip_spans(input, plan, cfg, run, summary),
        // A one-block file is read whole or skipped whole (`Lookup::plan`).
        (Codec::Whole, _) => Ok(()),
    };
    if let Err(e) = result {
        summary.error = Some(e);
    }
    // A file read by spans counts as read whole, at its size on disk (as
    // the progress line's total has it), what was skipped included.
    if !mapped {
        if let Some(meta) = input
            .path
            .as_deref()
            .and_then(|p| std::fs::metadata(p).ok())
        {
            crate::progress::add_bytes(meta.len());
        }
    }
}

/// How a span of the text is read: where a scan of the file's spans gets
/// the reader of each (positioned at the span's start, to its end).
type OpenSpan<'o, 'd> = dyn FnMut(&Span) -> io::Result<Box<dyn Read + 'd>> + 'o;

/// Scans each span of `plan`, read as `open` says, a stream at a time.
fn stream_spans(
    plan: &Plan,
    open: &mut OpenSpan,
    cfg: &ScanConfig,
    run: &mut Run,
    summary: &mut Summary,
    name: &str,
) -> io::Result<()> {
    let cap = (cfg.chunk_size * rayon::current_num_threads().max(1) * 4).clamp(1 << 16, 64 << 20);
    for span in &plan.spans {
        let reader = open(span)?;
        let reader: Box<dyn Read> = match span.end {
            Some(end) => Box::new(reader.take(end - span.start)),
            None => reader,
        };
        let mut guarded = Guard::new(reader, name.to_string());
        summary.lines = span.lines;
        if !scan_stream(&mut guarded, cap, cfg, run, summary) {
            break;
        }
    }
    Ok(())
}

/// A plain file's spans, by positioned reads (it may still be written).
fn plain_spans(
    input: &Input,
    plan: &Plan,
    cfg: &ScanConfig,
    run: &mut Run,
    summary: &mut Summary,
) -> io::Result<()> {
    let file = File::open(path_of(input)?)?;
    let mut open = |span: &Span| -> io::Result<Box<dyn Read>> {
        let mut f = file.try_clone()?;
        f.seek(SeekFrom::Start(span.start))?;
        Ok(Box::new(f))
    };
    stream_spans(plan, &mut open, cfg, run, summary, &input.display())
}

/// A gzip file's spans: inflation restarts at each span's access point.
fn gzip_spans(
    input: &Input,
    plan: &Plan,
    cfg: &ScanConfig,
    run: &mut Run,
    summary: &mut Summary,
) -> io::Result<()> {
    let file = File::open(path_of(input)?)?;
    let map = crate::source::sigbus::map(&file).ok_or_else(|| io::Error::other("cannot map"))?;
    let mut open = |span: &Span| -> io::Result<Box<dyn Read + '_>> {
        let point = plan
            .sidecar
            .points
            .get(span.point)
            .ok_or_else(|| io::Error::other("a damaged index"))?
            .unpack()?;
        let mut reader = Resume::new(&map, &point)?;
        let skip = span.start.saturating_sub(point.out);
        let skipped = io::copy(&mut (&mut reader).take(skip), &mut io::sink())?;
        if skipped < skip {
            return Err(io::Error::other("the file ends before the index says"));
        }
        Ok(Box::new(reader))
    };
    stream_spans(plan, &mut open, cfg, run, summary, &input.display())
}

fn path_of(input: &Input) -> io::Result<&std::path::Path> {
    input
        .path
        .as_deref()
        .ok_or_else(|| io::Error::other("no file"))
}
