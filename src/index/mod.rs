//! Sidecar indexes: what lets a query skip the blocks of a file that cannot
//! match (issue 14).
//!
//! `logq index` writes, per log file, a sidecar into a cache folder
//! ([`place`]): per block of about 4 MB of text ([`build`]), its byte
//! range, lines, earliest and latest time, records per level and a Bloom
//! filter ([`bloom`]) of its correlation ids and `--index-field` values
//! ([`tally`]); for gzip, an access point where inflation restarts
//! ([`gzip`]). A query asks [`Lookup::plan`] which blocks may hold a
//! match ([`need`]) and `scan` reads only those.
//!
//! Invariant: results are those of a full scan, always. A sidecar that no
//! longer describes its file is ignored ([`place::freshness`]), and a block
//! is skipped only when its summary proves that no record of it passes one
//! of the conditions AND-ed at the top of the filter.

pub mod bloom;
pub mod build;
pub mod gzip;
pub mod leaves;
pub mod need;
pub mod place;
pub mod sidecar;
pub mod tally;

use crate::filter::Expr;
use need::Need;
use place::Freshness;
use sidecar::{Codec, Sidecar};
use std::fs::File;
use std::path::{Path, PathBuf};

/// How a query uses indexes: where they are, the settings they must have
/// been built under, and what the filter needs.
#[derive(Debug)]
pub struct Lookup {
    dir: PathBuf,
    settings: u64,
    needs: Vec<Need>,
}

/// A run of text to read: from `start` (a record start) to `end` (`None`:
/// to the end of the file as it is now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub start: u64,
    pub end: Option<u64>,
    /// Lines of the text before `start`.
    pub lines: u64,
    /// For gzip: the access point to restart at, in [`Plan::sidecar`].
    pub point: usize,
}

/// What to read of one file.
#[derive(Debug)]
pub struct Plan {
    pub sidecar: Sidecar,
    /// The runs of blocks that may hold a match, in order.
    pub spans: Vec<Span>,
    /// Unparsed lines in the blocks skipped (they are still reported).
    pub skipped_invalid: u64,
}

/// A file's sidecar, as found in a cache folder.
#[derive(Debug)]
pub enum Found {
    /// None, or the file is no regular file.
    None,
    /// One that cannot be read, and why.
    Damaged(String),
    /// One, how it stands against the file now, and its size in bytes.
    Sidecar(Box<Sidecar>, Freshness, u64),
}

/// The sidecar of the file at `path` in `dir`, checked against the file as
/// it is now and the reading settings `settings`. Never opens a file that
/// is not a regular one (a FIFO must not be read here).
pub fn find(dir: &Path, path: &Path, settings: u64) -> Found {
    let Some(meta) = place::regular(path) else {
        return Found::None;
    };
    let Ok(bytes) = std::fs::read(place::sidecar_path(dir, &meta)) else {
        return Found::None;
    };
    let sidecar = match Sidecar::decode(&bytes) {
        Ok(s) => s,
        Err(e) => return Found::Damaged(e),
    };
    let freshness = match File::open(path) {
        Ok(f) => place::freshness(&sidecar, &f, &meta, settings),
        Err(_) => Freshness::Stale("the file could not be read"),
    };
    Found::Sidecar(Box::new(sidecar), freshness, bytes.len() as u64)
}

/// The earliest and latest time of a file's records.
pub type TimeSpan = (crate::record::Timestamp, crate::record::Timestamp);

impl Plan {
    /// How the file's text is stored.
    pub fn codec(&self) -> Codec {
        self.sidecar.codec
    }
}

impl Lookup {
    /// The lookup for `filter`, or `None` when the filter needs nothing an
    /// index can check (then no sidecar is even looked for).
    pub fn new(dir: PathBuf, settings: u64, filter: &Expr) -> Option<Lookup> {
        let needs = need::needs(filter);
        (!needs.is_empty()).then_some(Lookup {
            dir,
            settings,
            needs,
        })
    }

    /// The records of the file at `path` and their earliest and latest
    /// time, from a sidecar that describes the whole file as it is now.
    /// The times are those of the index: a record's other values under
    /// time-named keys may widen them.
    pub fn span(&self, path: &Path) -> Option<(u64, Option<TimeSpan>)> {
        let Found::Sidecar(sidecar, Freshness::Fresh, _) = find(&self.dir, path, self.settings)
        else {
            return None;
        };
        let records = sidecar.blocks.iter().map(|b| b.records).sum();
        let times = sidecar
            .blocks
            .iter()
            .filter_map(|b| b.times)
            .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)));
        Some((records, times))
    }

    /// The blocks of the file at `path` to read, when a fresh sidecar rules
    /// some out; `None` to read the file whole.
    pub fn plan(&self, path: &Path) -> Option<Plan> {
        let Found::Sidecar(sidecar, freshness, _) = find(&self.dir, path, self.settings) else {
            return None;
        };
        let sidecar = *sidecar;
        let trusted = match freshness {
            Freshness::Fresh => sidecar.blocks.len(),
            // The last indexed record may have grown a traceback since.
            Freshness::Appended => sidecar.blocks.len().saturating_sub(1),
            Freshness::Stale(_) => return None,
        };
        let appended = freshness == Freshness::Appended;
        let mut spans: Vec<Span> = Vec::new();
        let mut skipped_invalid = 0;
        for b in &sidecar.blocks[..trusted] {
            if !self.needs.iter().all(|n| n.may_match(b, &sidecar.fields)) {
                skipped_invalid += b.invalid;
                continue;
            }
            match spans.last_mut() {
                Some(last) if last.end == Some(b.start) => last.end = Some(b.end),
                _ => spans.push(Span {
                    start: b.start,
                    end: Some(b.end),
                    lines: b.lines,
                    point: b.point as usize,
                }),
            }
        }
        if appended {
            let (start, lines, point) = match sidecar.blocks.get(trusted) {
                Some(b) => (b.start, b.lines, b.point as usize),
                None => (0, 0, 0),
            };
            match spans.last_mut() {
                Some(last) if last.end == Some(start) => last.end = None,
                _ => spans.push(Span {
                    start,
                    end: None,
                    lines,
                    point,
                }),
            }
        }
        let text_end = sidecar.blocks.last().map_or(0, |b| b.end);
        let read_all =
            spans.len() == 1 && spans[0].start == 0 && spans[0].end.is_none_or(|e| e >= text_end);
        if read_all || (sidecar.codec == Codec::Whole && !spans.is_empty()) {
            return None;
        }
        Some(Plan {
            sidecar,
            spans,
            skipped_invalid,
        })
    }
}
