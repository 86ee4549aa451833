//! Field roles: which source fields hold a record's time, level, message…
//!
//! Owns the alias table of SPEC §2 and `--field-map` additions. A role is a
//! list of dotted paths tried in order; the first present one wins (for the
//! correlation role every path counts, since `-c` matches any of them).

use super::zone::InputTz;
use memchr::memmem::Finder;
use std::fmt;
use std::str::FromStr;

/// A well-known meaning a field can have, whatever it is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Time,
    Level,
    Message,
    Module,
    Cid,
    Service,
    Category,
}

impl Role {
    /// All roles, in the order they are printed.
    pub const ALL: [Role; 7] = [
        Role::Time,
        Role::Level,
        Role::Message,
        Role::Module,
        Role::Cid,
        Role::Service,
        Role::Category,
    ];

    /// The role's name in `-q`, `--field-map` and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Time => "time",
            Role::Level => "level",
            Role::Message => "message",
            Role::Module => "module",
            Role::Cid => "cid",
            Role::Service => "service",
            Role::Category => "category",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Role, String> {
        Ok(match s {
            "time" | "timestamp" => Role::Time,
            "level" => Role::Level,
            "message" | "msg" => Role::Message,
            "module" | "logger" => Role::Module,
            "cid" | "correlation" | "correlation_id" => Role::Cid,
            "service" => Role::Service,
            "category" => Role::Category,
            _ => {
                return Err(format!(
                    "unknown role '{s}' (expected time, level, message, module, cid, service or category)"
                ))
            }
        })
    }
}

/// A dotted field path, split into keys.
pub type FieldPath = Vec<String>;

/// Splits `a.b."c.d"` into keys; a quoted segment may contain dots.
pub fn split_path(s: &str) -> FieldPath {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => quoted = !quoted,
            '.' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

const CID_NAMES: [&str; 7] = [
    "correlation_id",
    "correlationId",
    "request_id",
    "requestId",
    "trace_id",
    "traceId",
    "x-correlation-id",
];

/// The lookup paths of every role.
#[derive(Debug, Clone)]
pub struct RoleMap {
    paths: [Vec<FieldPath>; 7],
    /// Per role and path, a searcher for the path's first key in quotes
    /// (`"level"`), used by the quick scan to find a key without walking.
    quoted: [Vec<Finder<'static>>; 7],
    /// The zone of record times written without one (`--input-tz`).
    pub input_tz: InputTz,
}

fn quoted_finders(paths: &[FieldPath]) -> Vec<Finder<'static>> {
    paths
        .iter()
        .map(|p| {
            let key = p.first().map_or("", String::as_str);
            Finder::new(format!("\"{key}\"").as_bytes()).into_owned()
        })
        .collect()
}

impl Default for RoleMap {
    fn default() -> Self {
        fn simple(names: &[&str]) -> Vec<FieldPath> {
            names.iter().map(|n| split_path(n)).collect()
        }
        let mut cid: Vec<FieldPath> = CID_NAMES.iter().map(|n| vec![n.to_string()]).collect();
        for parent in ["context", "extra", "ctx"] {
            cid.extend(
                CID_NAMES
                    .iter()
                    .map(|n| vec![parent.to_string(), n.to_string()]),
            );
        }
        let paths = [
            simple(&[
                "timestamp",
                "time",
                "ts",
                "@timestamp",
                "asctime",
                "datetime",
            ]),
            simple(&["level", "levelname", "severity", "lvl", "log.level"]),
            simple(&["message", "msg", "event", "text"]),
            simple(&[
                "module",
                "logger",
                "logger_name",
                "name",
                "component",
                "log.logger",
            ]),
            cid,
            simple(&["service", "service_name", "app", "service.name"]),
            simple(&["category"]),
        ];
        let quoted = std::array::from_fn(|i| quoted_finders(&paths[i]));
        RoleMap {
            paths,
            quoted,
            input_tz: InputTz::Auto,
        }
    }
}

impl RoleMap {
    /// Tries `path` first for `role` (from `--field-map role=path`).
    pub fn prepend(&mut self, role: Role, path: &str) {
        self.paths[role.index()].insert(0, split_path(path));
        self.quoted[role.index()] = quoted_finders(&self.paths[role.index()]);
    }

    /// Searchers for the first key of each of the role's paths, quoted, in
    /// the order of [`RoleMap::paths`] (see `quick_role`).
    pub fn quoted(&self, role: Role) -> &[Finder<'static>] {
        &self.quoted[role.index()]
    }

    /// The paths looked up for a role, in order.
    pub fn paths(&self, role: Role) -> &[FieldPath] {
        &self.paths[role.index()]
    }

    /// Whether this top-level key holds a role: a one-key path, or the
    /// flat form of a dotted one (`"log.level"`).
    pub fn is_role_key(&self, key: &str) -> bool {
        self.paths.iter().flatten().any(|p| match p.as_slice() {
            [one] => one == key,
            many => key.contains('.') && many.join(".") == key,
        })
    }

    /// Whether this top-level key is one of the names of `role`, as
    /// [`is_role_key`](Self::is_role_key) tells for any role.
    pub fn is_role_key_of(&self, role: Role, key: &str) -> bool {
        self.paths(role).iter().any(|p| match p.as_slice() {
            [one] => one == key,
            many => key.contains('.') && many.join(".") == key,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_quoted_segments() {
        assert_eq!(split_path("a.b"), vec!["a", "b"]);
        assert_eq!(split_path(r#"a."b.c".d"#), vec!["a", "b.c", "d"]);
        assert_eq!(split_path("x-correlation-id"), vec!["x-correlation-id"]);
    }

    #[test]
    fn field_map_is_tried_first() {
        let mut m = RoleMap::default();
        m.prepend(Role::Level, "sev");
        assert_eq!(m.paths(Role::Level)[0], vec!["sev"]);
        assert_eq!(m.paths(Role::Level)[1], vec!["level"]);
        assert_eq!(m.paths(Role::Cid).len(), 28);
    }
}
