//! Following a dotted path into a record's object.
//!
//! Owns how a path (`context.organization_id`) finds its value: through
//! nested objects split into raw entries (never decoded on the way), or as a
//! flat key of that exact dotted name (ECS's `"log.level"`), and the mapping
//! of a loguru record's paths to its `record`.

use super::json::{Object, Raw};
use super::loguru::Loguru;
use super::Field;

/// A field of a loguru record (see `loguru`): `record.extra`'s keys (also
/// as `extra.KEY`), the call-site fields, then the raw line and `record`.
pub(super) fn loguru_field<'a, S: AsRef<str>>(l: &Loguru<'a>, path: &[S]) -> Option<Field<'a>> {
    let (first, rest) = path.split_first()?;
    let first = first.as_ref();
    if let Some(extra) = &l.extra {
        match first {
            "extra" if !rest.is_empty() => {
                if let Some(f) = lookup(extra, rest) {
                    return Some(f);
                }
            }
            _ => {
                if let Some(f) = lookup(extra, path) {
                    return Some(f);
                }
            }
        }
    }
    if rest.is_empty() {
        if let Some(v) = l.call_site(first) {
            return Some(Field::Owned(v));
        }
    }
    lookup(&l.outer, path).or_else(|| lookup(&l.inner, path))
}

/// The value at a path of an object. A dotted path also matches a flat key
/// of that exact name (ECS writes `"log.level"`, SPEC §2). Nested values
/// are found by splitting each object on the way into raw entries, never by
/// decoding it: a record's role lookups try some twenty nested aliases.
pub(super) fn lookup<'a, S: AsRef<str>>(o: &Object<'a>, path: &[S]) -> Option<Field<'a>> {
    match path {
        [] => None,
        [key] => o.get(key.as_ref()).map(Field::Raw),
        [first, rest @ ..] => o
            .get(first.as_ref())
            .and_then(|raw| raw_path(raw, rest))
            .or_else(|| {
                if !o.may_have_dotted(path) {
                    return None;
                }
                o.entries()
                    .filter(|(k, _)| is_dotted(k.as_bytes(), path))
                    .last()
                    .map(|(_, v)| v)
            })
            .map(Field::Raw),
    }
}

/// Follows `path` into a raw value through nested objects.
fn raw_path<'a, S: AsRef<str>>(raw: Raw<'a>, path: &[S]) -> Option<Raw<'a>> {
    let mut cur = raw;
    for key in path {
        if !cur.get().starts_with('{') {
            return None;
        }
        cur = Object::parse(cur.get())?.get(key.as_ref())?;
    }
    Some(cur)
}

/// Whether a flat key is the dotted form of a path (`log.level`), or the
/// one key of a one-key path.
pub(super) fn is_dotted<S: AsRef<str>>(key: &[u8], path: &[S]) -> bool {
    let mut rest = key;
    for (i, seg) in path.iter().map(AsRef::as_ref).enumerate() {
        if i > 0 {
            match rest.split_first() {
                Some((b'.', r)) => rest = r,
                _ => return false,
            }
        }
        match rest.strip_prefix(seg.as_bytes()) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}
