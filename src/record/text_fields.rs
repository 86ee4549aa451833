//! The fields of a text record: its head's time, level, module and
//! message, the fields of its line format, and the `key=value` pairs of its
//! message (see `text`, `access`, `pairs`).

use super::{pairs, path::is_dotted, prefix, text, Body, Field, FieldPath, Record, Role, RoleMap};
use serde_json::Value;

impl<'a> Record<'a> {
    pub(super) fn text_role(&self, head: &text::Head<'a>, role: Role) -> Option<Field<'a>> {
        match role {
            Role::Time => head
                .time
                .or_else(|| self.prefix.and_then(|p| p.time))
                .map(Field::Text),
            Role::Level => Some(Field::Text(head.level)),
            Role::Module => head.module.map(Field::Text),
            Role::Message => {
                let message = self.text.get(head.message_at..)?;
                if self.prefix.is_none() || !message.contains('\n') {
                    return Some(Field::Text(message));
                }
                // `docker compose logs` prefixes every traceback line too.
                let lines: Vec<&str> = message
                    .split('\n')
                    .map(|l| {
                        let body = prefix::body(l.as_bytes());
                        &l[l.len() - body.len()..]
                    })
                    .collect();
                Some(Field::Owned(Value::String(lines.join("\n"))))
            }
            _ => None,
        }
    }

    /// A field of a text record's line format, else a `key=value` pair of
    /// its message.
    pub(super) fn text_field(&self, head: &text::Head<'a>, key: &str) -> Option<Field<'a>> {
        if let Some(v) = head.fields.get(key) {
            return Some(Field::Word(v));
        }
        if !head.has_pairs {
            return None;
        }
        let message = self.text.get(head.message_at..)?;
        pairs::pairs(message)
            .into_iter()
            .find(|p| p.key == key)
            .map(|p| Field::Word(p.value))
    }

    /// The values a text record has under any of `paths` (a field of its
    /// line format, else a message pair), in path order; the first only
    /// with `first`. The message is read for pairs once.
    pub(super) fn text_paths(
        &self,
        head: &text::Head<'a>,
        paths: &[FieldPath],
        first: bool,
    ) -> Vec<Field<'a>> {
        let pairs = match self.text.get(head.message_at..) {
            Some(message) if head.has_pairs => pairs::pairs(message),
            _ => Vec::new(),
        };
        let mut out = Vec::new();
        if pairs.is_empty() && head.fields.iter().next().is_none() {
            return out;
        }
        for path in paths {
            let found = head
                .fields
                .iter()
                .find(|(k, _, _)| is_dotted(k.as_bytes(), path))
                .map(|(_, v, _)| v)
                .or_else(|| {
                    pairs
                        .iter()
                        .find(|p| is_dotted(p.key.as_bytes(), path))
                        .map(|p| p.value)
                });
            if let Some(v) = found {
                out.push(Field::Word(v));
                if first {
                    break;
                }
            }
        }
        out
    }

    /// A text record's line-format fields and message pairs, in order.
    pub(super) fn text_fields(&self, head: &text::Head<'a>) -> Vec<(String, Field<'a>)> {
        let mut out: Vec<(String, Field<'a>)> = head
            .fields
            .iter()
            .map(|(k, v, _)| (k.to_string(), Field::Word(v)))
            .collect();
        if head.has_pairs {
            let message = self.text.get(head.message_at..).unwrap_or("");
            for p in pairs::pairs(message) {
                if !out.iter().any(|(k, _)| k == p.key) {
                    out.push((p.key.to_string(), Field::Word(p.value)));
                }
            }
        }
        out
    }

    /// Whether the message text already shows this field (a `key=value`
    /// pair, the request of an access line), so pretty output leaves it out.
    pub fn echoes_message(&self, key: &str) -> bool {
        let Body::Text(head) = &self.body else {
            return false;
        };
        if let Some((_, _, shown)) = head.fields.iter().find(|(k, _, _)| *k == key) {
            return shown;
        }
        head.has_pairs
            && pairs::pairs(self.text.get(head.message_at..).unwrap_or(""))
                .iter()
                .any(|p| p.key == key)
    }

    /// Whether the role's value is a field the message text already shows
    /// (`request_id=req-1` in a text message), so pretty output leaves it out.
    pub fn role_echoes_message(&self, role: Role, roles: &RoleMap) -> bool {
        let Body::Text(head) = &self.body else {
            return false;
        };
        roles
            .paths(role)
            .iter()
            .map(|p| p.join("."))
            .find(|k| self.text_field(head, k).is_some())
            .is_some_and(|k| self.echoes_message(&k))
    }
}
