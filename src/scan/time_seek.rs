//! `--since/--until` on one input: the byte range a time seek leaves to
//! scan, in a mapped file or by positioned reads (see `source::seek`).

use super::ScanConfig;
use crate::record::{is_record_start, Record, Timestamp};
use crate::source::seek;

/// [`seek_window`] for a file read with positioned reads.
pub(super) fn seek_window_at(
    file: &std::fs::File,
    len: u64,
    cfg: &ScanConfig,
) -> Option<std::ops::Range<u64>> {
    let (since, until) = cfg.filter.time_bounds();
    let roles = cfg.roles;
    let time_of = |line: &[u8]| -> Option<Timestamp> {
        if !is_record_start(line) {
            return None;
        }
        let text = String::from_utf8_lossy(line);
        Record::parse(&text).time(roles)
    };
    seek::window_at(file, len, since, until, &time_of)
}

/// The part of a mapped file that can hold records inside the filter's time
/// bounds, when the file is sorted by time (see `source::seek`).
pub(super) fn seek_window(buf: &[u8], cfg: &ScanConfig) -> Option<std::ops::Range<usize>> {
    let (since, until) = cfg.filter.time_bounds();
    if since.is_none() && until.is_none() {
        return None;
    }
    let roles = cfg.roles;
    let time_of = |line: &[u8]| -> Option<Timestamp> {
        if !is_record_start(line) {
            return None;
        }
        let text = String::from_utf8_lossy(line);
        Record::parse(&text).time(roles)
    };
    seek::window(buf, since, until, &time_of)
}
