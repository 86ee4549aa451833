//! A role read from a raw JSON line without parsing it.
//!
//! Owns [`quick_role`] and [`quick_time`], the filter's and the scanner's
//! fast paths: whenever they answer, the answer is [`Record::role`](super::Record::role)'s and
//! [`Record::time`](super::Record::time)'s (`tests/it/fast_paths.rs` holds them to it).

use super::path::is_dotted;
use super::{prefix, quick, zone, Role, RoleMap, Timestamp};

/// What a quick look at a raw line tells about one role (see `quick`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quick<'a> {
    /// Not sure: parse the record in full to know.
    Unknown,
    /// A plain JSON record without this role.
    Absent,
    /// The role's raw JSON value.
    Value(&'a [u8]),
}

/// Finds a role's raw value in a JSON line without parsing it, with the same
/// answer as [`Record::role`](super::Record::role) whenever it is not [`Quick::Unknown`]. Only
/// single-key role paths are read this way; a nested alias present, a loguru
/// record, a null value or anything unusual gives `Unknown`.
pub fn quick_role<'a>(line: &'a [u8], role: Role, roles: &RoleMap) -> Quick<'a> {
    let body = prefix::body(line);
    let paths = roles.paths(role);
    // Aliases absent from the whole line cannot hold the role; the first
    // one present, when plain to see (`direct_value`), is the answer. A line
    // holding it is not a loguru record, which has only `text` and `record`.
    let finders = roles.quoted(role);
    for (path, finder) in paths.iter().zip(finders) {
        if finder.find(body).is_none() {
            continue;
        }
        if path.len() == 1 {
            match quick::direct_value(body, finder) {
                Some(v) if v != b"null" => return Quick::Value(v),
                _ => {}
            }
        }
        break;
    }
    let mut best: Option<(usize, &'a [u8])> = None;
    let mut nested_at = usize::MAX;
    let mut unsure = false;
    let walked = quick::top_level(body, |key, value| {
        // A loguru (`record`) or logcli (`labels`) line: roles are inside.
        if key == b"record" || key == b"labels" {
            unsure = true;
        }
        for (idx, path) in paths.iter().enumerate() {
            if path.len() > 1 && is_dotted(key, path) {
                // A flat `"log.level"` key stands for the nested path.
                nested_at = nested_at.min(idx);
                continue;
            }
            if path[0].as_bytes() != key {
                continue;
            }
            if path.len() > 1 {
                nested_at = nested_at.min(idx);
            } else if best.is_none_or(|(b, _)| idx <= b) {
                best = Some((idx, value));
            }
        }
        // The first alias found, with no later duplicate of it, is the
        // answer: stop walking the line. (A line with this key is not a
        // loguru record, which has only `text` and `record`.)
        match best {
            Some((0, v)) if nested_at == usize::MAX => {
                let rest = &body[v.as_ptr() as usize - body.as_ptr() as usize + v.len()..];
                finders.first().is_none_or(|f| f.find(rest).is_some())
            }
            _ => true,
        }
    });
    if walked.is_none() || unsure {
        return Quick::Unknown;
    }
    match best {
        Some((idx, value)) if idx < nested_at && value != b"null" => Quick::Value(value),
        None if nested_at == usize::MAX => Quick::Absent,
        _ => Quick::Unknown,
    }
}

/// A record's time read the quick way, with the same answer as
/// [`Record::time`](super::Record::time): `Some(None)` when it has none, `None` when unsure.
pub fn quick_time(line: &[u8], roles: &RoleMap) -> Option<Option<Timestamp>> {
    match quick_role(line, Role::Time, roles) {
        // A container runtime's time stands in for a record without one.
        Quick::Absent => match prefix::split(line).and_then(|p| p.time) {
            Some(t) => Some(Timestamp::parse(t)),
            None => Some(None),
        },
        Quick::Value(v) => match quick::plain_str(v) {
            Some(s) => zone::quick_read(line, v, s, roles),
            None if v.first() == Some(&b'"') => None,
            None => {
                let s = std::str::from_utf8(v).ok()?;
                Some(match s.parse::<i64>() {
                    Ok(n) => Timestamp::from_epoch_int(n),
                    Err(_) => s.parse().ok().and_then(Timestamp::from_epoch),
                })
            }
        },
        Quick::Unknown => None,
    }
}
