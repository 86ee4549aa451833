//! A log record: one line (or a text line with its traceback) understood.
//!
//! Owns turning bytes into a [`Record`] (format detection per line, SPEC §2)
//! and, through `lines`, finding the record boundaries in a buffer. Values are
//! decoded lazily: building a `Record` splits a JSON line into raw top-level
//! values, and each accessor decodes only the field it returns.

pub mod access;
pub mod civil;
mod field;
pub mod head;
pub mod json;
pub mod level;
mod lines;
pub mod logcli;
pub mod loguru;
pub mod pairs;
mod path;
mod peek;
pub mod prefix;
pub mod quick;
pub mod roles;
pub mod text;
mod text_fields;
pub mod time;
pub mod traceback;
pub mod zone;

pub use field::Field;
use json::Object;
pub use level::{Level, LevelFilter};
pub use lines::{classify, is_record_start, split_classified, split_records, Classified, LineKind};
use logcli::Logcli;
use loguru::Loguru;
use path::{loguru_field, lookup};
pub use peek::{quick_role, quick_time, Quick};
use prefix::Prefix;
pub use roles::{split_path, FieldPath, Role, RoleMap};
use serde_json::Value;
use std::borrow::Cow;
pub use time::Timestamp;

/// The format a record was recognized as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Loguru,
    Text,
    Invalid,
}

// A record lives on the stack for one line; boxing the text head (the
// largest variant) would allocate for every line of a text log.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
enum Body<'a> {
    Json(Object<'a>),
    /// loguru `serialize=True`: the outer object and its `record`.
    Loguru(Box<Loguru<'a>>),
    /// `logcli --output=jsonl`: the inner line is the record.
    Logcli(Box<Logcli<'a>>),
    Text(text::Head<'a>),
    Invalid,
}

/// One log record, borrowed from the buffer it was read from.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    /// The record's text without the container prefix; several lines for a
    /// text record with a traceback.
    pub text: &'a str,
    /// The whole record as read, container prefix included (for `--grep-line`).
    pub line: &'a str,
    /// The container prefix (`api-1  | `, `[pod/…/api] `, a `-t` time).
    pub prefix: Option<Prefix<'a>>,
    body: Body<'a>,
}

impl<'a> Record<'a> {
    /// Recognizes one record's text (a line, or a text line with its
    /// continuation lines). Never fails: unknown text is [`Format::Invalid`].
    pub fn parse(text: &'a str) -> Record<'a> {
        let text = text.strip_suffix('\r').unwrap_or(text);
        let line = text;
        let prefix = prefix::split(text.as_bytes());
        let text = match prefix {
            Some(p) => text.get(p.body_at..).unwrap_or(""),
            None => text,
        };
        let body = if text.trim_start().starts_with('{') {
            json_body(text)
        } else {
            text_body(text)
        };
        Record {
            text,
            line,
            prefix,
            body,
        }
    }

    /// [`Record::parse`] of a record whose first line was classified
    /// already, as a record start (by [`split_classified`]), so that the
    /// line is not split and looked at again. `first` comes from the bytes
    /// `text` was decoded from (U+FFFD for bad bytes changes nothing: a
    /// container prefix is ASCII, so it splits the same either way).
    pub fn parse_classified<'r: 'a>(text: &'a str, first: &Classified<'r>) -> Record<'a> {
        let text = text.strip_suffix('\r').unwrap_or(text);
        let line = text;
        let prefix: Option<Prefix<'a>> = first.prefix;
        let text = match prefix {
            Some(p) => text.get(p.body_at..).unwrap_or(""),
            None => text,
        };
        let body = match first.kind {
            LineKind::Json => json_body(text),
            LineKind::Text => text_body(text),
            LineKind::Blank | LineKind::Other => Body::Invalid,
        };
        Record {
            text,
            line,
            prefix,
            body,
        }
    }

    /// The service named by the container prefix, if any.
    pub fn prefix_service(&self) -> Option<&'a str> {
        self.prefix.and_then(|p| p.service)
    }

    /// The format recognized.
    pub fn format(&self) -> Format {
        match &self.body {
            Body::Json(_) => Format::Json,
            Body::Loguru(..) => Format::Loguru,
            Body::Logcli(w) => Record::parse(&w.line).format(),
            Body::Text(_) => Format::Text,
            Body::Invalid => Format::Invalid,
        }
    }

    /// Whether the line was recognized as a record at all.
    pub fn is_valid(&self) -> bool {
        !matches!(self.body, Body::Invalid)
    }

    /// The JSON object of the line, as jq sees it (`None` for text records
    /// and for wrapped lines, which jq sees through [`Record::to_value`]).
    pub fn object(&self) -> Option<&Object<'a>> {
        match &self.body {
            Body::Json(o) => Some(o),
            Body::Loguru(l) => Some(&l.outer),
            _ => None,
        }
    }

    /// The value at a dotted path (`context.org_id`). A loguru record's
    /// fields are those described in `loguru`; a text record's are its
    /// `time`, `level`, `module` and `message`, the fields of its line
    /// format, and the `key=value` pairs of its message.
    pub fn field<S: AsRef<str>>(&self, path: &[S]) -> Option<Field<'a>> {
        match &self.body {
            Body::Json(o) => lookup(o, path),
            Body::Loguru(l) => loguru_field(l, path),
            Body::Logcli(w) => {
                let inner = Record::parse(&w.line);
                inner
                    .field(path)
                    .map(Field::into_owned)
                    .or_else(|| match path {
                        [first, rest @ ..] if first.as_ref() == "labels" && !rest.is_empty() => {
                            lookup(&w.labels, rest)
                        }
                        _ => lookup(&w.labels, path),
                    })
            }
            Body::Text(head) => {
                let key = match path {
                    [key] => Cow::Borrowed(key.as_ref()),
                    _ => Cow::Owned(path.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(".")),
                };
                let role = match &*key {
                    "time" | "timestamp" | "asctime" => Some(Role::Time),
                    "level" | "levelname" => Some(Role::Level),
                    "module" | "name" | "logger" => Some(Role::Module),
                    "message" | "msg" => Some(Role::Message),
                    _ => None,
                };
                match role {
                    Some(role) => self.text_role(head, role),
                    None => self.text_field(head, &key),
                }
            }
            Body::Invalid => None,
        }
    }

    /// The first value found for a role.
    pub fn role(&self, role: Role, roles: &RoleMap) -> Option<Field<'a>> {
        let found = match &self.body {
            Body::Json(o) => roles
                .paths(role)
                .iter()
                .find_map(|p| lookup(o, p).filter(|f| !f.is_null())),
            Body::Loguru(l) => {
                let extra = |k: &str| l.extra.as_ref().and_then(|e| e.get(k)).map(Field::Raw);
                match role {
                    Role::Time => lookup(&l.inner, &["time", "repr"]),
                    Role::Level => lookup(&l.inner, &["level", "name"]),
                    Role::Message => lookup(&l.inner, &["message"]),
                    Role::Module => lookup(&l.inner, &["name"]),
                    Role::Cid => loguru::CID.iter().find_map(|k| extra(k)),
                    Role::Service => extra("service"),
                    Role::Category => extra("category"),
                }
            }
            Body::Logcli(w) => {
                let inner = Record::parse(&w.line);
                let label =
                    |names: &[&str]| names.iter().find_map(|n| w.labels.get(n)).map(Field::Raw);
                inner
                    .role(role, roles)
                    .map(Field::into_owned)
                    .or_else(|| match role {
                        Role::Time => w.timestamp.map(Field::Text),
                        Role::Service => label(&logcli::SERVICE_LABELS),
                        Role::Level => label(&logcli::LEVEL_LABELS),
                        _ => None,
                    })
            }
            Body::Text(head) => match role {
                Role::Time | Role::Level | Role::Module | Role::Message => {
                    self.text_role(head, role)
                }
                _ => self.text_paths(head, roles.paths(role), true).pop(),
            },
            Body::Invalid => None,
        };
        found.or_else(|| match role {
            Role::Service => self.prefix_service().map(Field::Text),
            Role::Time => self.prefix.and_then(|p| p.time).map(Field::Text),
            _ => None,
        })
    }

    /// The role's value as text.
    pub fn role_text(&self, role: Role, roles: &RoleMap) -> Option<String> {
        self.role(role, roles)
            .and_then(|f| f.as_text().map(Cow::into_owned))
    }

    /// The record's category: its `category` field, else `folder`, the
    /// category its file's folder gives (SPEC §1, `source::Origin`).
    pub fn category(&self, roles: &RoleMap, folder: Option<&str>) -> Option<String> {
        self.role_text(Role::Category, roles)
            .or_else(|| folder.map(str::to_string))
    }

    /// Every correlation id the record carries (all aliases, SPEC §2).
    pub fn cids(&self, roles: &RoleMap) -> Vec<Field<'a>> {
        match &self.body {
            Body::Json(o) => roles
                .paths(Role::Cid)
                .iter()
                .filter_map(|p| lookup(o, p))
                .collect(),
            Body::Loguru(l) => loguru::CID
                .iter()
                .filter_map(|k| l.extra.as_ref()?.get(k).map(Field::Raw))
                .collect(),
            Body::Logcli(w) => Record::parse(&w.line)
                .cids(roles)
                .into_iter()
                .map(Field::into_owned)
                .collect(),
            Body::Text(head) => self.text_paths(head, roles.paths(Role::Cid), false),
            Body::Invalid => Vec::new(),
        }
    }

    /// The record's time.
    pub fn time(&self, roles: &RoleMap) -> Option<Timestamp> {
        let field = self.role(Role::Time, roles)?;
        match &field {
            Field::Raw(r) if !r.get().starts_with('"') => {
                let s = r.get();
                match s.parse::<i64>() {
                    Ok(n) => Timestamp::from_epoch_int(n),
                    Err(_) => Timestamp::from_epoch(s.parse().ok()?),
                }
            }
            Field::Owned(Value::Number(n)) => match n.as_i64() {
                Some(i) => Timestamp::from_epoch_int(i),
                None => Timestamp::from_epoch(n.as_f64()?),
            },
            _ => self.read_time(&field.as_str()?, roles),
        }
    }

    /// The record's level.
    pub fn level(&self, roles: &RoleMap) -> Option<Level> {
        let field = self.role(Role::Level, roles)?;
        if let Some(s) = field.as_str() {
            return Level::parse(&s);
        }
        let n = field.as_number()?;
        let pino = self
            .object()
            .is_some_and(|o| o.has("pid") && o.has("hostname"));
        Level::from_number(n, pino)
    }

    /// The whole record as a JSON value: the object of a JSON line, the
    /// inner record of a logcli line with its labels, a text record as an
    /// object of its parts and fields.
    pub fn to_value(&self) -> Value {
        match &self.body {
            Body::Json(o) => o.to_value(),
            Body::Loguru(l) => l.outer.to_value(),
            Body::Logcli(w) => {
                let mut v = Record::parse(&w.line).to_value();
                if let (Value::Object(map), Value::Object(labels)) = (&mut v, w.labels.to_value()) {
                    for (k, l) in labels {
                        map.entry(k).or_insert(l);
                    }
                }
                v
            }
            Body::Text(head) => {
                let mut map = serde_json::Map::new();
                for (key, role) in [
                    ("time", Role::Time),
                    ("level", Role::Level),
                    ("module", Role::Module),
                    ("message", Role::Message),
                ] {
                    if let Some(f) = self.text_role(head, role) {
                        map.insert(key.to_string(), f.to_value());
                    }
                }
                for (k, v) in self.text_fields(head) {
                    map.entry(k).or_insert_with(|| v.to_value());
                }
                Value::Object(map)
            }
            Body::Invalid => Value::String(self.text.to_string()),
        }
    }

    /// The fields that are not one of the record's roles, in line order.
    pub fn extra_fields(&self, roles: &RoleMap) -> Vec<(Cow<'a, str>, Field<'a>)> {
        match &self.body {
            Body::Json(o) => o
                .entries()
                .filter(|(k, _)| !roles.is_role_key(k))
                .map(|(k, v)| (Cow::Owned(k.to_string()), Field::Raw(v)))
                .collect(),
            Body::Loguru(l) => {
                let mut out: Vec<(Cow<'a, str>, Field<'a>)> = l
                    .extra
                    .iter()
                    .flat_map(Object::entries)
                    .filter(|(k, _)| {
                        !loguru::CID.contains(k) && !matches!(*k, "service" | "category")
                    })
                    .map(|(k, v)| (Cow::Owned(k.to_string()), Field::Raw(v)))
                    .collect();
                for key in loguru::CALL_SITE {
                    if out.iter().any(|(k, _)| k == key) {
                        continue;
                    }
                    if let Some(v) = l.call_site(key) {
                        out.push((Cow::Borrowed(key), Field::Owned(v)));
                    }
                }
                out
            }
            Body::Logcli(w) => {
                let mut out: Vec<(Cow<'a, str>, Field<'a>)> = Record::parse(&w.line)
                    .extra_fields(roles)
                    .into_iter()
                    .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                    .collect();
                for (k, v) in w.labels.entries() {
                    if !out.iter().any(|(o, _)| o == k) {
                        out.push((Cow::Owned(k.to_string()), Field::Raw(v)));
                    }
                }
                out
            }
            Body::Text(head) => self
                .text_fields(head)
                .into_iter()
                .filter(|(k, _)| !roles.is_role_key(k))
                .map(|(k, v)| (Cow::Owned(k), v))
                .collect(),
            Body::Invalid => Vec::new(),
        }
    }
}

/// The body of a JSON line (what follows its container prefix).
fn json_body(text: &str) -> Body<'_> {
    match Object::parse(text) {
        Some(obj) => match Loguru::parse(&obj) {
            Some(l) => Body::Loguru(Box::new(l)),
            None => match Logcli::parse(&obj) {
                Some(w) => Body::Logcli(Box::new(w)),
                None => Body::Json(obj),
            },
        },
        None => Body::Invalid,
    }
}

/// The body of a text record: its first line's head.
fn text_body(text: &str) -> Body<'_> {
    let first = text.split('\n').next().unwrap_or("");
    let first = first.strip_suffix('\r').unwrap_or(first);
    match text::parse_head(first) {
        Some(head) => Body::Text(head),
        None => Body::Invalid,
    }
}

#[cfg(test)]
mod tests;
