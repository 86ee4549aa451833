//! A role read from a raw JSON line without parsing it.
//!
//! Owns [`quick_role`] and [`quick_time`], the filter's and the scanner's
//! fast paths: whenever they answer, the answer is [`Record::role`](super::Record::role)'s and
//! [`Record::time`](super::Record::time)'s (`tests/it/fast_paths.rs` holds them to it).

use super::lines::{Classified, LineKind};
use super::path::is_dotted;
use super::{quick, zone, Role, RoleMap, Timestamp};
use memchr::memmem::Finder;
use std::sync::LazyLock;

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
/// answer as [`Record::role`](super::Record::role) whenever it is not
/// [`Quick::Unknown`] and the line is a valid JSON record (the caller
/// checks that before it keeps a record on this answer). Only single-key
/// role paths are read this way; a nested alias present, a loguru or logcli
/// record, a null value, an escaped key or anything unusual gives `Unknown`.
pub fn quick_role<'a>(line: &Classified<'a>, role: Role, roles: &RoleMap) -> Quick<'a> {
    if line.kind != LineKind::Json {
        return Quick::Unknown;
    }
    let body = line.body;
    let paths = roles.paths(role);
    // Whether an escaped key could spell `key` (see `quick::may_spell`):
    // a line without a backslash has no escaped key.
    let may_spell = |key: &str| line.escaped && quick::may_spell(body, key.as_bytes());
    // Aliases absent from the whole line cannot hold the role; the first
    // one present, when plain to see (`direct_value_at`), is the answer.
    let finders = roles.quoted(role);
    for (path, finder) in paths.iter().zip(finders) {
        let at = finder.find(body);
        let found = at.is_some();
        // A dotted alias may stand as a flat key (`"log.level"`), which
        // its finder (`"log"`) does not find: only the walk can tell.
        if !found && path.len() == 1 && !may_spell(&path[0]) {
            continue;
        }
        if found && path.len() == 1 && !may_be_wrapped(body, &path[0], line.escaped) {
            match at.and_then(|pos| quick::direct_value_at(body, finder, pos, line.escaped)) {
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
        // The first alias found, with no later duplicate of it (escaped or
        // not), in a line that cannot be a wrapper, is the answer: stop
        // walking the line.
        match best {
            Some((0, v)) if nested_at == usize::MAX => {
                let rest = &body[v.as_ptr() as usize - body.as_ptr() as usize + v.len()..];
                finders.first().is_none_or(|f| f.find(rest).is_some())
                    || may_spell(&paths[0][0])
                    || may_be_wrapped(body, &paths[0][0], line.escaped)
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

/// Whether a line holding the top-level `key` might still be a loguru
/// record (only `text` and `record`) or a logcli line (only `labels`,
/// `line` and `timestamp`), whose roles are not its top-level values.
fn may_be_wrapped(body: &[u8], key: &str, escaped: bool) -> bool {
    static RECORD: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"record\""));
    static LABELS: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"labels\""));
    let (wrapper, name) = match key {
        "text" | "record" => (&*RECORD, "record"),
        "labels" | "line" | "timestamp" => (&*LABELS, "labels"),
        _ => return false,
    };
    wrapper.find(body).is_some() || (escaped && quick::may_spell(body, name.as_bytes()))
}

/// A record's time read the quick way, with the same answer as
/// [`Record::time`](super::Record::time) (for a valid JSON record, as
/// [`quick_role`]): `Some(None)` when it has none, `None` when unsure.
pub fn quick_time(line: &Classified, roles: &RoleMap) -> Option<Option<Timestamp>> {
    match quick_role(line, Role::Time, roles) {
        // A container runtime's time stands in for a record without one.
        Quick::Absent => match line.prefix.and_then(|p| p.time) {
            Some(t) => Some(Timestamp::parse(t)),
            None => Some(None),
        },
        Quick::Value(v) => match quick::plain_str(v) {
            Some(s) => zone::quick_read(line.body, v, s, roles),
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
