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
    let cap = (cfg.chunk_size * rayon::current_num_threads().max(1) * 4).clamp(1 << 16, 64 << 20);
    let name = input.display();
    let result = match (plan.codec(), opened) {
        (Codec::Plain, Opened::Mapped(map, _file)) => {
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
            Ok(())
        }
        (Codec::Plain, _) => plain_spans(input, plan, cap, cfg, run, summary, &name),
        (Codec::Gzip, _) => gzip_spans(input, plan, cap, cfg, run, summary, &name),
        // A one-block file is read whole or skipped whole (`Lookup::plan`).
        (Codec::Whole, _) => Ok(()),
    };
    if let Err(e) = result {
        summary.error = Some(e);
    }
}

fn plain_spans(
    input: &Input,
    plan: &Plan,
    cap: usize,
    cfg: &ScanConfig,
    run: &mut Run,
    summary: &mut Summary,
    name: &str,
) -> io::Result<()> {
    let path = input
        .path
        .as_deref()
        .ok_or_else(|| io::Error::other("no file"))?;
    let file = File::open(path)?;
    for span in &plan.spans {
        let mut f = file.try_clone()?;
        f.seek(SeekFrom::Start(span.start))?;
        let reader: Box<dyn Read + Send> = match span.end {
            Some(end) => Box::new(f.take(end - span.start)),
            None => Box::new(f),
        };
        if !scan_span(reader, span, cap, cfg, run, summary, name) {
            break;
        }
    }
    Ok(())
}

fn gzip_spans(
    input: &Input,
    plan: &Plan,
    cap: usize,
    cfg: &ScanConfig,
    run: &mut Run,
    summary: &mut Summary,
    name: &str,
) -> io::Result<()> {
    let path = input
        .path
        .as_deref()
        .ok_or_else(|| io::Error::other("no file"))?;
    let file = File::open(path)?;
    let map = crate::source::sigbus::map(&file).ok_or_else(|| io::Error::other("cannot map"))?;
    for span in &plan.spans {
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
        let reader: Box<dyn Read + '_> = match span.end {
            Some(end) => Box::new(reader.take(end - span.start)),
            None => Box::new(reader),
        };
        if !scan_span(reader, span, cap, cfg, run, summary, name) {
            break;
        }
    }
    Ok(())
}

fn scan_span(
    reader: impl Read,
    span: &Span,
    cap: usize,
    cfg: &ScanConfig,
    run: &mut Run,
    summary: &mut Summary,
    name: &str,
) -> bool {
    let mut guarded = Guard::new(crate::progress::Counted::new(reader), name.to_string());
    summary.lines = span.lines;
    scan_stream(&mut guarded, cap, cfg, run, summary)
}
