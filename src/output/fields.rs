//! The fields printers show beside the roles, with the role names looked
//! up in a set made once rather than in the alias lists per key; and which
//! of them pretty output shows ([`shown_fields`]: `--fields`, `--hide`,
//! nested objects flattened), for its line and its blocks alike.
//!
//! `Record::extra_fields` walks every alias of every role for each key of a
//! record; printing every record makes that a tenth of the work (issue 11).
//! [`RoleKeys`] holds the same names in a hash set, made at the first use
//! of a [`Style`](super::Style) (whose printer always passes its own roles).

use super::{rawjson, Style};
use crate::record::{Field, Format, Record, Role, RoleMap};
use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, OnceLock};

/// FNV-1a: role names are short, and SipHash costs more than the lookup
/// saves.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// The top-level keys that hold a role, and the dotted paths of nested
/// role aliases (`context.correlation_id`).
#[derive(Debug)]
pub struct RoleKeys {
    keys: HashSet<String, BuildHasherDefault<Fnv>>,
    dotted: Vec<String>,
}

impl RoleKeys {
    fn new(roles: &RoleMap) -> RoleKeys {
        let mut keys = HashSet::default();
        let mut dotted = Vec::new();
        for role in crate::record::Role::ALL {
            for p in roles.paths(role) {
                let joined = p.join(".");
                if p.len() > 1 {
                    dotted.push(joined.clone());
                }
                keys.insert(joined);
            }
        }
        RoleKeys { keys, dotted }
    }

    /// Whether a top-level key holds a role (`RoleMap::is_role_key`).
    pub fn is_role_key(&self, key: &str) -> bool {
        self.keys.contains(key)
    }

    /// Whether a dotted key is a nested role alias.
    pub fn is_role_path(&self, key: &str) -> bool {
        self.dotted.iter().any(|d| d == key)
    }
}

/// A [`RoleKeys`] made at first use.
#[derive(Debug, Clone, Default)]
pub struct RoleKeysCache(OnceLock<Arc<RoleKeys>>);

impl RoleKeysCache {
    /// The role keys of `roles` (the first roles asked about).
    pub fn get(&self, roles: &RoleMap) -> &RoleKeys {
        self.0.get_or_init(|| Arc::new(RoleKeys::new(roles)))
    }
}

/// `rec.extra_fields(roles)`, with the role names of a JSON line looked up
/// in `keys`.
pub fn extra_fields<'a>(
    rec: &Record<'a>,
    roles: &RoleMap,
    keys: &RoleKeys,
) -> Vec<(Cow<'a, str>, Field<'a>)> {
    match rec.object() {
        Some(o) if rec.format() == Format::Json => o
            .entries()
            .filter(|(k, _)| !keys.is_role_key(k))
            .map(|(k, v)| (Cow::Owned(k.to_string()), Field::Raw(v)))
            .collect(),
        _ => rec.extra_fields(roles),
    }
}

/// The fields shown for a record, as dotted key and value in record order:
/// those of `--fields` (a role by its name, objects flattened), else the
/// ones that are not roles, nested objects flattened, less `--hide`.
pub fn shown_fields<'a>(
    rec: &Record<'a>,
    roles: &RoleMap,
    style: &Style,
) -> Vec<(String, Field<'a>)> {
    match &style.fields {
        Some(paths) => {
            let mut out = Vec::new();
            for p in paths {
                let f = rec.field(p).or_else(|| match p.as_slice() {
                    [one] => one.parse::<Role>().ok().and_then(|r| rec.role(r, roles)),
                    _ => None,
                });
                match f {
                    Some(f) if f.as_text().is_none() && f.to_value().is_object() => {
                        flatten(&p.join("."), &f.to_value(), None, style, &mut out)
                    }
                    Some(f) => out.push((p.join("."), f)),
                    None => {}
                }
            }
            out
        }
        None => {
            let mut out = Vec::new();
            let keys = style.role_keys.get(roles);
            for (k, v) in super::fields::extra_fields(rec, roles, keys) {
                // `key=value` pairs of a text message are shown in it, and
                // a role's value is shown once, in its place.
                if is_hidden(&style.hide, &k)
                    || rec.echoes_message(&k)
                    || repeats_role(rec, roles, &k, &v)
                {
                    continue;
                }
                if let Field::Raw(r) = &v {
                    let raw = r.get();
                    if raw.starts_with('{') && rawjson::is_canonical_raw(*r) {
                        flatten_raw(&k, raw, keys, style, &mut out);
                        continue;
                    }
                }
                if v.as_text().is_none() && v.to_value().is_object() {
                    flatten(&k, &v.to_value(), Some(roles), style, &mut out);
                } else {
                    out.push((k.into_owned(), v));
                }
            }
            out
        }
    }
}

/// Whether a field only repeats a role shown on the line: a name the role
/// is looked up under (`app` for the service, a logcli `container` label)
/// holding the role's value. The same name with another value is shown.
pub(super) fn repeats_role(rec: &Record, roles: &RoleMap, key: &str, value: &Field) -> bool {
    let Some(text) = value.as_text() else {
        return false;
    };
    Role::ALL.iter().any(|role| {
        let named = roles.is_role_key_of(*role, key)
            || match role {
                Role::Service => crate::record::logcli::SERVICE_LABELS.contains(&key),
                Role::Level => crate::record::logcli::LEVEL_LABELS.contains(&key),
                _ => false,
            };
        named && rec.role_text(*role, roles).is_some_and(|r| r == text)
    })
}

/// Whether `--hide` names this dotted key or one of its parents.
pub(super) fn is_hidden(hide: &[String], key: &str) -> bool {
    hide.iter().any(|h| {
        key.strip_prefix(h.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    })
}

/// Nested objects as `parent.child=value` pairs, leaves in record order.
/// With `roles`, leaves that are a role's nested alias
/// (`context.correlation_id`) are left out: the role is shown on its own
/// (`cid=`).
pub(super) fn flatten(
    prefix: &str,
    value: &serde_json::Value,
    roles: Option<&RoleMap>,
    style: &Style,
    out: &mut Vec<(String, Field<'_>)>,
) {
    match value {
        serde_json::Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                let key = format!("{prefix}.{k}");
                if !is_hidden(&style.hide, &key) && !roles.is_some_and(|r| is_role_path(r, &key)) {
                    flatten(&key, v, roles, style, out);
                }
            }
        }
        v => out.push((prefix.to_string(), Field::Owned(v.clone()))),
    }
}

/// [`flatten`] of a canonical raw object (see `rawjson`), without decoding
/// it: leaves are the fields their decoded values would print as.
pub(super) fn flatten_raw<'a>(
    prefix: &str,
    raw: &'a str,
    keys: &RoleKeys,
    style: &Style,
    out: &mut Vec<(String, Field<'a>)>,
) {
    match rawjson::entries(raw) {
        Some(entries) if !entries.is_empty() => {
            for (k, v) in entries {
                let mut key = String::with_capacity(prefix.len() + 1 + k.len());
                key.push_str(prefix);
                key.push('.');
                key.push_str(k);
                if !is_hidden(&style.hide, &key) && !keys.is_role_path(&key) {
                    flatten_raw(&key, v, keys, style, out);
                }
            }
        }
        _ => out.push((prefix.to_string(), leaf_of(raw))),
    }
}

/// The field a leaf of a canonical raw object prints as.
pub(super) fn leaf_of(raw: &str) -> Field<'_> {
    match raw.as_bytes().first() {
        Some(b'"') => Field::Text(raw.get(1..raw.len() - 1).unwrap_or_default()),
        Some(b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => Field::Word(raw),
        _ => Field::Owned(serde_json::from_str(raw).unwrap_or_default()),
    }
}

pub(super) fn is_role_path(roles: &RoleMap, key: &str) -> bool {
    Role::ALL.iter().any(|r| {
        roles
            .paths(*r)
            .iter()
            .any(|p| p.len() > 1 && is_joined(p, key))
    })
}

/// Whether `key` is the parts joined by dots.
fn is_joined(parts: &[String], key: &str) -> bool {
    let mut rest = key;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            match rest.strip_prefix('.') {
                Some(r) => rest = r,
                None => return false,
            }
        }
        match rest.strip_prefix(p.as_str()) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_keys_agree_with_the_role_map() {
        let mut roles = RoleMap::default();
        roles.prepend(crate::record::Role::Level, "sev");
        let keys = RoleKeys::new(&roles);
        for k in [
            "sev",
            "level",
            "msg",
            "correlation_id",
            "log.level",
            "x",
            "context.correlation_id",
            "a.b",
        ] {
            assert_eq!(keys.is_role_key(k), roles.is_role_key(k), "{k}");
        }
    }
}
