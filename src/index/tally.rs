//! What one block of text holds, as an index keeps it.
//!
//! Owns reading a block's records the way the scan reads them (the line
//! split of `record::split_classified`, `Record::parse_classified`) and
//! summing up what the filters of `need` ask: lines, unparsed lines, the
//! earliest and latest time, records per level, and the keys of every
//! correlation id and indexed field value.
//!
//! Invariant: the facts come from the same accessors the filters use
//! (`Record::cids`, `Record::field`, `Record::time`, `Record::level`, and
//! `query::Key::of` for equality), so a record that passes a filter is
//! always counted where the filter's need looks.

use super::bloom::Bloom;
use super::bloom::Hasher;
use super::leaves::{scalars, Names, What};
use super::need::{keyed, namespace, KeyRef};
use super::sidecar::Block;
use crate::filter::query::Key;
use crate::filter::value::decode::parse_number;
use crate::record::{
    quick_time, split_classified, Classified, Level, LineKind, Record, Role, RoleMap, Timestamp,
};
/// The hashes of a block's keys, as they come (a key may repeat), with a
/// linear-counting sketch of how many are distinct: the filter is sized by
/// that estimate, so no set of keys is ever built.
#[derive(Debug)]
pub struct Keys {
    all: Vec<u64>,
    sketch: Vec<u64>,
}

/// Bits of the sketch: exact enough (a few percent) up to about 100,000
/// distinct keys a block, far more than 4 MB of records hold.
const SKETCH_BITS: u64 = 1 << 17;

impl Default for Keys {
    fn default() -> Keys {
        Keys {
            all: Vec::new(),
            sketch: vec![0; (SKETCH_BITS / 64) as usize],
        }
    }
}

impl Keys {
    fn insert(&mut self, h: u64) {
        self.all.push(h);
        let bit = (h >> 40) % SKETCH_BITS;
        self.sketch[(bit / 64) as usize] |= 1 << (bit % 64);
    }

    /// About how many distinct keys there are.
    fn distinct(&self) -> usize {
        let zeros: u64 = self.sketch.iter().map(|w| u64::from(w.count_zeros())).sum();
        if zeros == 0 {
            return self.all.len();
        }
        let m = SKETCH_BITS as f64;
        let estimate = -m * (zeros as f64 / m).ln();
        // A margin for the estimate's error; never more than there are.
        ((estimate * 1.1).ceil() as usize).min(self.all.len())
    }

    fn extend(&mut self, other: Keys) {
        self.all.extend(other.all);
        for (a, b) in self.sketch.iter_mut().zip(other.sketch) {
            *a |= b;
        }
    }
}

/// What to tally.
pub struct Tally<'a> {
    roles: &'a RoleMap,
    /// The `--index-field` paths.
    fields: &'a [Vec<String>],
    /// The key names the quick reading of a line looks for.
    names: Names,
    /// The hasher of each namespace: ids first, then each field.
    spaces: Vec<Hasher>,
    /// Read plain JSON lines the quick way (off: parse every record, to
    /// hold the quick way to it in tests).
    quick: bool,
}

/// A block's facts before its filter is built: the keys themselves.
#[derive(Debug, Default)]
pub struct Facts {
    /// Everything but the filter (offsets and lines are the caller's).
    pub block: Block,
    /// The hashes of its keys.
    pub keys: Keys,
    /// Its lines.
    pub lines: u64,
}

impl Facts {
    /// The block, with a filter of its keys.
    pub fn seal(self) -> Block {
        let mut bloom = Bloom::with_keys(self.keys.distinct());
        self.keys.all.into_iter().for_each(|k| bloom.insert(k));
        Block {
            bloom,
            ..self.block
        }
    }

    /// Adds the facts of the block that follows.
    pub fn absorb(&mut self, next: Facts) {
        let (a, b) = (&mut self.block, next.block);
        a.end = b.end;
        a.invalid += b.invalid;
        a.records += b.records;
        for (n, m) in a.levels.iter_mut().zip(b.levels) {
            *n += m;
        }
        a.times = match (a.times, b.times) {
            (Some((x, y)), Some((v, w))) => Some((x.min(v), y.max(w))),
            (t, None) | (None, t) => t,
        };
        self.keys.extend(next.keys);
        self.lines += next.lines;
    }
}

/// What the quick reading of a JSON line found, into lists the caller
/// keeps (cleared for each line).
struct Quickly<'b> {
    /// The levels it may have, a bit each in [`Level::ALL`] order.
    levels: u8,
    /// Its time, unless it is among the UTC texts.
    time: Option<Option<Timestamp>>,
    /// Ids (`What::Cid`) and indexed fields' values.
    values: Vec<(What, &'b str)>,
    /// The UTC texts its time may be.
    utc: Vec<&'b str>,
}

/// Whether `s` is `YYYY-MM-DDTHH:MM:SS[.f…]Z`.
fn is_utc_text(s: &str) -> bool {
    let b = s.as_bytes();
    let n = b.len();
    if !(n == 20 || (22..=40).contains(&n)) || b[n - 1] != b'Z' {
        return false;
    }
    let marks = b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':' && b[16] == b':';
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    marks
        && digits(0..4)
        && digits(5..7)
        && digits(8..10)
        && digits(11..13)
        && digits(14..16)
        && digits(17..19)
        && (n == 20 || (b[19] == b'.' && digits(20..n - 1)))
}

/// The least and greatest UTC text times of a block, all of one length.
#[derive(Default)]
struct TextTimes<'b> {
    span: Option<(&'b str, &'b str)>,
}

impl<'b> TextTimes<'b> {
    /// Takes `s` if it is of the block's length; `false` if not.
    fn add(&mut self, s: &'b str) -> bool {
        match &mut self.span {
            None => self.span = Some((s, s)),
            Some((lo, _)) if lo.len() != s.len() => return false,
            Some((lo, hi)) => {
                if s < *lo {
                    *lo = s;
                } else if s > *hi {
                    *hi = s;
                }
            }
        }
        true
    }
}

impl<'a> Tally<'a> {
    /// A tally of the roles' ids and of `fields`.
    pub fn new(roles: &'a RoleMap, fields: &'a [Vec<String>]) -> Tally<'a> {
        Tally {
            roles,
            fields,
            names: Names::new(
                [
                    (Role::Level, What::Level),
                    (Role::Time, What::Time),
                    (Role::Cid, What::Cid),
                ]
                .into_iter()
                .flat_map(|(role, what)| roles.paths(role).iter().map(move |p| (&p[..], what)))
                .chain(
                    fields
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (&p[..], What::Field(i))),
                ),
            ),
            spaces: std::iter::once(namespace(None))
                .chain(fields.iter().map(|f| namespace(Some(f))))
                .collect(),
            quick: true,
        }
    }

    /// Reads a plain JSON line without parsing the record, in one walk
    /// over it ([`scalars`]): every value under a key named like a level,
    /// time, id or indexed field, at any depth, a superset of what the
    /// record's accessors read. Levels count as every level such a value
    /// may mean; times are kept as text when all are UTC times written
    /// alike (which order as their text does), else the line's time is
    /// read exactly (`quick_time`). `false` when only a full parse can
    /// tell. The line is not validated as the parse would (a cut line, or
    /// a word that is no JSON value, goes to the full parse; a missing
    /// comma does not): a line the scan finds invalid may add keys, times
    /// and levels that match nothing, which costs a block read, never a
    /// result.
    fn quickly<'b>(&self, first: &Classified<'b>, q: &mut Quickly<'b>) -> bool {
        if !self.quick || first.kind != LineKind::Json || first.escaped {
            return false;
        }
        q.levels = 0;
        q.values.clear();
        q.utc.clear();
        let (mut plain, mut utc_only) = (true, true);
        let (values, utc, levels) = (&mut q.values, &mut q.utc, &mut q.levels);
        let walked = scalars(first.body, &self.names, |what, v| {
            let Ok(v) = std::str::from_utf8(v) else {
                // The scan reads such a value with U+FFFD for the bad bytes.
                plain = false;
                return;
            };
            match what {
                What::Level => *levels |= level_bits(v),
                What::Time if is_utc_text(v) => utc.push(v),
                What::Time => utc_only = false,
                What::Cid | What::Field(_) => values.push((what, v)),
            }
        });
        if walked != Some(false) || !plain {
            return false;
        }
        // A container's time stands in for a record without one.
        let prefix_time = first.prefix.is_some_and(|p| p.time.is_some());
        q.time = None;
        if !utc_only || prefix_time {
            match quick_time(first, self.roles) {
                Some(t) => q.time = Some(t),
                None => return false,
            }
        }
        true
    }

    /// Files a value's keys, as an equality compares it (`query::Key::of`),
    /// under the ids (`field: None`) or the i-th indexed field.
    fn add_keys(
        &self,
        keys: &mut Keys,
        field: Option<usize>,
        text: Option<&str>,
        number: Option<f64>,
    ) {
        let space = self.spaces[field.map_or(0, |i| i + 1)];
        if let Some(t) = text {
            keys.insert(keyed(space, &KeyRef::Text(t)));
        }
        if let Some(n) = number {
            keys.insert(keyed(space, &KeyRef::Number(n)));
        }
    }

    /// The facts of `buf`, a run of whole records; offsets and the lines
    /// before it are the caller's to fill in.
    pub fn block(&self, buf: &[u8]) -> Facts {
        let mut block = Block::default();
        let mut keys = Keys::default();
        let mut texts = TextTimes::default();
        let mut q = Quickly {
            levels: 0,
            time: None,
            values: Vec::new(),
            utc: Vec::new(),
        };
        let lines = split_classified(buf, |span, first| {
            if !first.is_record_start() {
                block.invalid += 1;
                return;
            }
            if self.quickly(&first, &mut q) {
                block.records += 1;
                match q.time {
                    Some(t) => add_time(&mut block, t),
                    None => {
                        for s in q.utc.drain(..) {
                            if !texts.add(s) {
                                add_time(&mut block, Timestamp::parse(s));
                            }
                        }
                    }
                }
                for (slot, n) in block.levels.iter_mut().enumerate() {
                    *n += u64::from(q.levels >> slot & 1);
                }
                for (what, text) in q.values.drain(..) {
                    let field = match what {
                        What::Field(i) => Some(i),
                        _ => None,
                    };
                    self.add_keys(&mut keys, field, Some(text), parse_number(text));
                }
                return;
            }
            let text = String::from_utf8_lossy(&buf[span.start..span.end]);
            let rec = Record::parse_classified(&text, &first);
            if !rec.is_valid() {
                block.invalid += 1;
                return;
            }
            block.records += 1;
            add_time(&mut block, rec.time(self.roles));
            if let Some(l) = rec.level(self.roles) {
                block.levels[level_slot(l)] += 1;
            }
            for f in rec.cids(self.roles) {
                let (text, number) = Key::of(&f);
                self.add_keys(&mut keys, None, text.as_deref(), number);
            }
            for (i, path) in self.fields.iter().enumerate() {
                if let Some(f) = rec.field(path) {
                    let (text, number) = Key::of(&f);
                    self.add_keys(&mut keys, Some(i), text.as_deref(), number);
                }
            }
        });
        if let Some((lo, hi)) = texts.span {
            add_time(&mut block, Timestamp::parse(lo));
            add_time(&mut block, Timestamp::parse(hi));
        }
        Facts { block, keys, lines }
    }
}

fn add_time(block: &mut Block, t: Option<Timestamp>) {
    if let Some(t) = t {
        block.times = Some(match block.times {
            None => (t, t),
            Some((a, b)) => (a.min(t), b.max(t)),
        });
    }
}

/// The levels a level value may mean: as a name, or as a number (pino's
/// scale or the other).
fn level_bits(v: &str) -> u8 {
    let bit = |l: Option<Level>| l.map_or(0, |l| 1 << level_slot(l));
    let mut bits = bit(Level::parse(v));
    if let Some(n) = parse_number(v) {
        bits |= bit(Level::from_number(n, true)) | bit(Level::from_number(n, false));
    }
    bits
}

fn level_slot(l: Level) -> usize {
    Level::ALL.iter().position(|x| *x == l).unwrap_or(0)
}

#[cfg(test)]
mod tests;
