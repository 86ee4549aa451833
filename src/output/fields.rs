//! The fields printers show beside the roles, with the role names looked
//! up in a set made once rather than in the alias lists per key.
//!
//! `Record::extra_fields` walks every alias of every role for each key of a
//! record; printing every record makes that a tenth of the work (issue 11).
//! [`RoleKeys`] holds the same names in a hash set, made at the first use
//! of a [`Style`](super::Style) (whose printer always passes its own roles).

use crate::record::{Field, Format, Record, RoleMap};
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
