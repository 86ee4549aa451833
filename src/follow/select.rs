//! Which records are kept, and which files may be logs being written.
//!
//! Owns handing the records that the backward read and following see one
//! by one to the keep decision of the scan (`scan::Sieve`: prefilter, quick
//! look, parse, filter), so `tail` keeps exactly what a search keeps, and
//! as cheaply: unparsed lines are counted, and kept only with
//! `--show-invalid`, whatever the filter.

use crate::filter::{Context, Expr};
use crate::merge::OwnedHit;
use crate::record::{classify, quick_time, Classified, RoleMap};
use crate::scan::{Sieve, Verdict};
use crate::source::Origin;
use std::borrow::Cow;
use std::path::Path;

/// Which records are kept: the scan's [`Sieve`], applied to raw record bytes.
#[derive(Clone)]
pub struct Selector<'a> {
    sieve: Sieve<'a>,
    show_invalid: bool,
}

impl<'a> Selector<'a> {
    /// A selector; with `show_invalid`, unparsed lines are kept too. `fast`
    /// enables the prefilter and the quick look (never with `show_invalid`,
    /// as in `cmd::scan_config`: no line may then be skipped unparsed).
    pub fn new(
        filter: &'a Expr,
        roles: &'a RoleMap,
        show_invalid: bool,
        fast: bool,
    ) -> Selector<'a> {
        Selector {
            sieve: Sieve::new(filter, roles, fast && !show_invalid),
            show_invalid,
        }
    }

    /// The record as a hit if the filter keeps it; unparsed lines are
    /// counted in `invalid` (and kept with `show_invalid`), as in `scan`.
    /// `is_invalid` is what `record::split_records` found; the record's
    /// first line is classified here.
    pub fn select(
        &self,
        raw: &[u8],
        line: u64,
        is_invalid: bool,
        origin: Origin,
        invalid: &mut u64,
    ) -> Option<OwnedHit> {
        let first = memchr::memchr(b'\n', raw).map_or(raw, |i| &raw[..i]);
        let first = classify(first);
        debug_assert!(is_invalid || first.is_record_start());
        self.select_classified(raw, &first, line, origin, invalid)
    }

    /// [`Selector::select`] of a record whose first line (`first`) was
    /// classified already (by `record::split_classified`).
    pub fn select_classified(
        &self,
        raw: &[u8],
        first: &Classified,
        line: u64,
        origin: Origin,
        invalid: &mut u64,
    ) -> Option<OwnedHit> {
        // A byte-order mark before the first record (a file written on
        // Windows, or such files concatenated): the record after it counts.
        if let Some(rest) = raw.strip_prefix(crate::source::guard::BOM) {
            let first = memchr::memchr(b'\n', rest).map_or(rest, |i| &rest[..i]);
            return self.select_classified(rest, &classify(first), line, origin, invalid);
        }
        let hit = |time, is_invalid| OwnedHit {
            input: origin.input,
            raw: raw.to_vec(),
            line,
            time,
            is_invalid,
        };
        let cx = Context {
            roles: self.sieve.roles,
            category: origin.category,
        };
        let mut quick = None;
        let mut take = |l: &Classified| match quick_time(l, cx.roles) {
            Some(time) => {
                quick = Some(time);
                true
            }
            None => false,
        };
        let mut text = Cow::Borrowed("");
        match self
            .sieve
            .judge(raw, first, &mut text, &cx, Some(&mut take))
        {
            Verdict::Skipped => None,
            Verdict::Taken => Some(hit(quick.flatten(), false)),
            Verdict::Invalid => {
                *invalid += 1;
                self.show_invalid.then(|| hit(None, true))
            }
            Verdict::Parsed { rec, keep } => keep.then(|| hit(rec.time(cx.roles), false)),
        }
    }
}

/// Whether a file found in a followed folder may be a log being written:
/// not compressed (`.gz`, `.zst`, `.bz2`, `.xz`) and not a numbered rotated
/// file (`app.log.1`, `app.log.2b`). Only such files are followed when
/// they appear.
pub fn is_live_name(path: &Path) -> bool {
    let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
        return true;
    };
    let compressed = ["gz", "zst", "bz2", "xz", "zip", "tgz"]
        .iter()
        .any(|c| ext.eq_ignore_ascii_case(c));
    // `app.log.1`, and what the default glob `*.log.[0-9]*` also yields.
    let numbered = ext.bytes().next().is_some_and(|c| c.is_ascii_digit());
    !compressed && !numbered
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
