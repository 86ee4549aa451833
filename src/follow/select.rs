//! Which records are kept, and which files may be logs being written.
//!
//! Owns applying the filter to the raw bytes of one record outside the
//! parallel scan (the backward read and following see records one by one),
//! with the same rules as `scan`: unparsed lines are counted, and kept only
//! with `--show-invalid`, whatever the filter.

use crate::filter::{Context, Expr};
use crate::merge::OwnedHit;
use crate::record::{Record, RoleMap};
use crate::source::Origin;
use std::path::Path;

/// Which records are kept: the filter, applied to raw record bytes.
#[derive(Clone, Copy)]
pub struct Selector<'a> {
    filter: &'a Expr,
    roles: &'a RoleMap,
    show_invalid: bool,
}

impl<'a> Selector<'a> {
    /// A selector; with `show_invalid`, unparsed lines are kept too.
    pub fn new(filter: &'a Expr, roles: &'a RoleMap, show_invalid: bool) -> Selector<'a> {
        Selector {
            filter,
            roles,
            show_invalid,
        }
    }

    /// The record as a hit if the filter keeps it; unparsed lines are
    /// counted in `invalid` (and kept with `show_invalid`), as in `scan`.
    pub fn select(
        &self,
        raw: &[u8],
        line: u64,
        is_invalid: bool,
        origin: Origin,
        invalid: &mut u64,
    ) -> Option<OwnedHit> {
        // A byte-order mark before the first record (a file written on
        // Windows, or such files concatenated): the record after it counts.
        let (raw, is_invalid) = match raw.strip_prefix(crate::source::guard::BOM) {
            Some(rest) => {
                let first = memchr::memchr(b'\n', rest).map_or(rest, |i| &rest[..i]);
                (rest, is_invalid && !crate::record::is_record_start(first))
            }
            None => (raw, is_invalid),
        };
        let hit = |time, is_invalid| OwnedHit {
            input: origin.input,
            raw: raw.to_vec(),
            line,
            time,
            is_invalid,
        };
        if is_invalid {
            *invalid += 1;
            return self.show_invalid.then(|| hit(None, true));
        }
        // Borrowed when the line is valid UTF-8, which it nearly always is.
        let text = String::from_utf8_lossy(raw);
        let rec = Record::parse(&text);
        if !rec.is_valid() {
            *invalid += 1;
            return self.show_invalid.then(|| hit(None, true));
        }
        let cx = Context {
            roles: self.roles,
            category: origin.category,
        };
        self.filter
            .matches(&rec, &cx)
            .then(|| hit(rec.time(self.roles), false))
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
