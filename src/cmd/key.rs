//! [`Key`]: the field a command-line flag names (`stats --by`,
//! `search --count --by`, `trace --ids-from`), a role of SPEC §2 or a
//! dotted path, and its value in a record.
//!
//! Shared by the commands that group or collect on a field; each parse
//! names the flag it was given by, so an error points at the flag the user
//! typed. What is done with the values (groups, counts, ids) is the
//! commands' business.

use crate::filter::Context;
use crate::record::{split_path, FieldPath, Record, Role};
use anyhow::{bail, Result};

/// What a field flag names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// The normalized level (`ERROR`), so `error` and `ERROR` are one group.
    Level,
    /// The record's category (its field, else its folder).
    Category,
    /// Another role of SPEC §2 (`module`, `service`, `cid`, `message`…).
    Role(Role),
    /// A dotted path of the raw record; `.level` forces the raw field.
    Path(FieldPath),
}

impl Key {
    /// Parses the value of `flag`: a role name, else a dotted path.
    ///
    /// An empty name is an error naming the flag: `--ids-from ''` gives
    /// `--ids-from: empty field name`.
    pub fn parse(flag: &str, s: &str) -> Result<Key> {
        let s = s.trim();
        if s.is_empty() || s == "." {
            bail!("{flag}: empty field name");
        }
        if let Some(raw) = s.strip_prefix('.') {
            return Ok(Key::Path(split_path(raw)));
        }
        Ok(match s.parse::<Role>() {
            Ok(Role::Level) => Key::Level,
            Ok(Role::Category) => Key::Category,
            Ok(role) => Key::Role(role),
            Err(_) => Key::Path(split_path(s)),
        })
    }

    /// The value of a record; `None` when it has none.
    pub fn value(&self, rec: &Record, cx: &Context) -> Option<String> {
        match self {
            Key::Level => rec.level(cx.roles).map(|l| l.as_str().to_string()),
            Key::Category => rec.category(cx.roles, cx.category),
            Key::Role(role) => rec.role_text(*role, cx.roles),
            Key::Path(path) => {
                let f = rec.field(path)?;
                match f.as_text() {
                    Some(t) => Some(t.into_owned()),
                    None => {
                        let v = f.to_value();
                        (!v.is_null()).then(|| v.to_string())
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::RoleMap;

    fn parse(s: &str) -> Key {
        Key::parse("--by", s).unwrap()
    }

    #[test]
    fn by_accepts_roles_and_paths() {
        assert_eq!(parse("level"), Key::Level);
        assert_eq!(parse("category"), Key::Category);
        assert_eq!(parse("service"), Key::Role(Role::Service));
        assert_eq!(
            parse("context.organization_id"),
            Key::Path(vec!["context".into(), "organization_id".into()])
        );
        assert_eq!(parse(".level"), Key::Path(vec!["level".into()]));
        assert!(Key::parse("--by", " ").is_err());
    }

    #[test]
    fn an_empty_name_is_an_error_naming_the_flag() {
        for s in ["", " ", "."] {
            let e = Key::parse("--ids-from", s).unwrap_err();
            assert_eq!(e.to_string(), "--ids-from: empty field name");
        }
    }

    #[test]
    fn group_values_come_from_roles_and_paths() {
        let roles = RoleMap::default();
        let cx = Context {
            roles: &roles,
            category: Some("app"),
        };
        let rec = Record::parse(r#"{"level":"warn","logger":"a.b","ctx":{"n":3,"o":{"x":1}}}"#);
        assert_eq!(Key::Level.value(&rec, &cx).as_deref(), Some("WARNING"));
        assert_eq!(Key::Category.value(&rec, &cx).as_deref(), Some("app"));
        assert_eq!(parse("module").value(&rec, &cx).as_deref(), Some("a.b"));
        assert_eq!(parse("ctx.n").value(&rec, &cx).as_deref(), Some("3"));
        let o = parse("ctx.o");
        assert_eq!(o.value(&rec, &cx).as_deref(), Some(r#"{"x":1}"#));
        assert_eq!(parse("nope").value(&rec, &cx), None);
    }
}
