//! `stats --every` without a value: a bucket width for about 40 rows.
//!
//! Owns the list of round widths and the choice among them. The span of
//! the matching records is known only at the end of the scan, so the scan
//! counts in fine buckets ([`FINEST`]) and coarsens them along [`CHAIN`]
//! (each width a multiple of the one before) whenever more than
//! [`MAX_FINE`] buckets hold records; at the end the counts are regrouped
//! into the chosen width, which is always a multiple of the fine one. So
//! memory stays bounded, and the counts are exact whatever the order in
//! which chunks are merged.

const S: i64 = 1_000_000_000;

/// The widths offered, with their names.
pub const NICE: [(i64, &str); 14] = [
    (S, "1s"),
    (5 * S, "5s"),
    (10 * S, "10s"),
    (30 * S, "30s"),
    (60 * S, "1m"),
    (300 * S, "5m"),
    (600 * S, "10m"),
    (900 * S, "15m"),
    (1800 * S, "30m"),
    (3600 * S, "1h"),
    (3 * 3600 * S, "3h"),
    (6 * 3600 * S, "6h"),
    (12 * 3600 * S, "12h"),
    (86_400 * S, "1d"),
];

/// The widths the scan counts in, finest first: [`NICE`] less `15m`,
/// which is not a multiple of `10m`.
const CHAIN: [i64; 13] = [
    S,
    5 * S,
    10 * S,
    30 * S,
    60 * S,
    300 * S,
    600 * S,
    1800 * S,
    3600 * S,
    3 * 3600 * S,
    6 * 3600 * S,
    12 * 3600 * S,
    86_400 * S,
];

/// The width the scan starts counting in.
pub const FINEST: i64 = CHAIN[0];

/// Most buckets holding records before the scan coarsens its counts.
pub const MAX_FINE: usize = 4000;

/// About how many rows the chosen width gives.
pub const ROWS: i64 = 40;

/// The next counting width after `width`, if any.
pub fn coarser(width: i64) -> Option<i64> {
    CHAIN.iter().copied().find(|w| *w > width)
}

/// The name of a width of [`NICE`] (`5m`).
pub fn name(width: i64) -> &'static str {
    NICE.iter()
        .find(|(w, _)| *w == width)
        .map_or("1d", |(_, n)| n)
}

/// The width for records from `first` to `last` (bucket starts counted in
/// `fine`): the narrowest of [`NICE`] that is a multiple of `fine` and
/// gives at most [`ROWS`] buckets; a day when none does.
pub fn choose(first: i64, last: i64, fine: i64) -> i64 {
    let span = last.saturating_sub(first).saturating_add(fine);
    NICE.iter()
        .map(|(w, _)| *w)
        .filter(|w| *w >= fine && w % fine == 0)
        .find(|w| span.div_euclid(*w) + i64::from(span % w != 0) <= ROWS)
        .unwrap_or(86_400 * S)
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: i64 = 60 * S;
    const H: i64 = 60 * M;

    #[test]
    fn chooses_the_narrowest_round_width_for_about_40_rows() {
        assert_eq!(name(choose(0, 39 * S, S)), "1s");
        assert_eq!(name(choose(0, 40 * S, S)), "5s");
        assert_eq!(name(choose(0, 2 * H, S)), "5m");
        assert_eq!(name(choose(0, 9 * H, S)), "15m");
        assert_eq!(name(choose(0, 3 * 24 * H, S)), "3h");
        assert_eq!(name(choose(0, 365 * 24 * H, S)), "1d");
    }

    #[test]
    fn the_choice_is_a_multiple_of_the_counting_width() {
        // Counted in 10m buckets, 15m cannot be made: 30m it is.
        assert_eq!(name(choose(0, 9 * H, 10 * M)), "30m");
        for w in CHAIN {
            for span in [S, M, H, 24 * H, 900 * 24 * H] {
                assert_eq!(choose(0, span, w) % w, 0, "{w} {span}");
            }
        }
    }

    #[test]
    fn each_counting_width_is_a_multiple_of_the_one_before() {
        for pair in CHAIN.windows(2) {
            assert_eq!(pair[1] % pair[0], 0, "{pair:?}");
        }
        assert_eq!(coarser(S), Some(5 * S));
        assert_eq!(coarser(600 * S), Some(1800 * S));
        assert_eq!(coarser(86_400 * S), None);
    }
}
