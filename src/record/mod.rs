//! A log record: one line (or a text line with its traceback) understood.
//!
//! Owns turning bytes into a [`Record`] (format detection per line, SPEC §2)
//! and finding the record boundaries in a buffer ([`Splitter`]). Values are
//! decoded lazily: building a `Record` splits a JSON line into raw top-level
//! values, and each accessor decodes only the field it returns.

pub mod access;
pub mod head;
pub mod json;
pub mod level;
pub mod logcli;
pub mod loguru;
pub mod pairs;
pub mod prefix;
pub mod quick;
pub mod roles;
pub mod text;
pub mod time;
pub mod traceback;
pub mod zone;

use json::{raw_number, raw_scalar_text, raw_str, value_text, Object};
pub use level::{Level, LevelFilter};
use logcli::Logcli;
use loguru::Loguru;
use prefix::Prefix;
pub use roles::{split_path, FieldPath, Role, RoleMap};
use serde_json::value::RawValue;
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

/// A value found under a role or a path, decoded no further than needed.
#[derive(Debug, Clone)]
pub enum Field<'a> {
    Raw(&'a RawValue),
    Owned(Value),
    /// Text of a line that is only ever a string (a text record's time,
    /// level, module or message).
    Text(&'a str),
    /// A word of a text line standing for a value (`status` of an access
    /// line, `duration_ms=12` in a message): a number when it reads as one.
    Word(&'a str),
}

impl<'a> Field<'a> {
    /// The value as text when it is a string, number or boolean.
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        match self {
            Field::Raw(r) => raw_scalar_text(r),
            Field::Owned(v) => value_text(v),
            Field::Text(s) | Field::Word(s) => Some(Cow::Borrowed(s)),
        }
    }

    /// The value when it is a string.
    pub fn as_str(&self) -> Option<Cow<'_, str>> {
        match self {
            Field::Raw(r) => raw_str(r),
            Field::Owned(Value::String(s)) => Some(Cow::Borrowed(s)),
            Field::Owned(_) => None,
            Field::Text(s) | Field::Word(s) => Some(Cow::Borrowed(s)),
        }
    }

    /// The value as a number; strings holding a number count.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Field::Raw(r) => raw_number(r),
            Field::Owned(Value::Number(n)) => n.as_f64(),
            Field::Owned(Value::String(s)) => s.trim().parse().ok(),
            Field::Owned(_) => None,
            Field::Text(s) | Field::Word(s) => s.trim().parse().ok(),
        }
    }

    /// The value decoded.
    pub fn to_value(&self) -> Value {
        match self {
            Field::Raw(r) => json::decode(r),
            Field::Owned(v) => v.clone(),
            Field::Text(s) => Value::String(s.to_string()),
            Field::Word(s) => word_value(s),
        }
    }

    /// The same value, owning its data.
    pub fn into_owned(self) -> Field<'static> {
        match self {
            Field::Owned(v) => Field::Owned(v),
            Field::Text(s) => Field::Owned(Value::String(s.to_string())),
            f => Field::Owned(f.to_value()),
        }
    }

    fn is_null(&self) -> bool {
        match self {
            Field::Raw(r) => r.get() == "null",
            Field::Owned(v) => v.is_null(),
            Field::Text(_) | Field::Word(_) => false,
        }
    }
}

/// A word of a text line as a JSON value: a number when it is written as a
/// JSON number (`12`, `0.5`, not `012` or `1_000`), else a string.
fn word_value(s: &str) -> Value {
    let numeric = s
        .bytes()
        .all(|c| c.is_ascii_digit() || b"-+.eE".contains(&c))
        && s.bytes().any(|c| c.is_ascii_digit());
    if numeric {
        if let Ok(Value::Number(n)) = serde_json::from_str::<Value>(s) {
            return Value::Number(n);
        }
    }
    Value::String(s.to_string())
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
        } else {
            let first = text.split('\n').next().unwrap_or("");
            let first = first.strip_suffix('\r').unwrap_or(first);
            match text::parse_head(first) {
                Some(head) => Body::Text(head),
                None => Body::Invalid,
            }
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

    fn text_role(&self, head: &text::Head<'a>, role: Role) -> Option<Field<'a>> {
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
    fn text_field(&self, head: &text::Head<'a>, key: &str) -> Option<Field<'a>> {
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
    fn text_paths(
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

    /// A text record's line-format fields and message pairs, in order.
    fn text_fields(&self, head: &text::Head<'a>) -> Vec<(String, Field<'a>)> {
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

/// A field of a loguru record (see `loguru`): `record.extra`'s keys (also
/// as `extra.KEY`), the call-site fields, then the raw line and `record`.
fn loguru_field<'a, S: AsRef<str>>(l: &Loguru<'a>, path: &[S]) -> Option<Field<'a>> {
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
fn lookup<'a, S: AsRef<str>>(o: &Object<'a>, path: &[S]) -> Option<Field<'a>> {
    match path {
        [] => None,
        [key] => o.get(key.as_ref()).map(Field::Raw),
        [first, rest @ ..] => o
            .get(first.as_ref())
            .and_then(|raw| raw_path(raw, rest))
            .or_else(|| {
                o.entries()
                    .filter(|(k, _)| is_dotted(k.as_bytes(), path))
                    .last()
                    .map(|(_, v)| v)
            })
            .map(Field::Raw),
    }
}

/// Follows `path` into a raw value through nested objects.
fn raw_path<'a, S: AsRef<str>>(raw: &'a RawValue, path: &[S]) -> Option<&'a RawValue> {
    let mut cur = raw;
    for key in path {
        if !cur.get().starts_with('{') {
            return None;
        }
        cur = Object::parse(cur.get())?.get(key.as_ref())?;
    }
    Some(cur)
}

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
/// answer as [`Record::role`] whenever it is not [`Quick::Unknown`]. Only
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

/// Whether a flat key is the dotted form of a path (`log.level`), or the
/// one key of a one-key path.
fn is_dotted<S: AsRef<str>>(key: &[u8], path: &[S]) -> bool {
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

/// A record's time read the quick way, with the same answer as
/// [`Record::time`]: `Some(None)` when it has none, `None` when unsure.
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

/// How a line relates to records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Starts a JSON record.
    Json,
    /// Starts a text record (which following lines may continue).
    Text,
    /// Blank.
    Blank,
    /// Anything else: a continuation of a text record, or unparsed.
    Other,
}

/// Classifies one line (without its newline).
pub fn classify(line: &[u8]) -> LineKind {
    // Nearly every line of a JSON log: no prefix starts with `{`.
    if line.first() == Some(&b'{') {
        return LineKind::Json;
    }
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let body = prefix::body(line);
    match body.iter().position(|c| !c.is_ascii_whitespace()) {
        None => return LineKind::Blank,
        Some(i) if body[i] == b'{' => return LineKind::Json,
        Some(0) => {}
        Some(_) => return LineKind::Other,
    }
    // Borrowed when the line is valid UTF-8, which it nearly always is; the
    // same view `Record::parse` gets.
    let s = String::from_utf8_lossy(body);
    if text::parse_head(&s).is_some() {
        LineKind::Text
    } else {
        LineKind::Other
    }
}

/// Whether a chunk may begin at this line: only at a record start, so a
/// traceback is never separated from its record.
pub fn is_record_start(line: &[u8]) -> bool {
    matches!(classify(line), LineKind::Json | LineKind::Text)
}

/// A record's place in a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Byte range of the record, without its final newline.
    pub start: usize,
    pub end: usize,
    /// Line index (0-based) of its first line within the buffer.
    pub line: u64,
    /// Whether the record is an unparsed line.
    pub is_invalid: bool,
}

/// A text record being assembled from its continuation lines.
struct Pending<'b> {
    span: Span,
    /// The container that wrote its first line: its traceback comes from
    /// the same one.
    service: Option<&'b [u8]>,
    in_traceback: bool,
}

/// Calls `f` with every record of `buf` in order: JSON lines, text lines
/// with their continuation lines (see `traceback`), and unparsed lines.
/// Blank lines are skipped. Returns the number of lines in `buf`.
pub fn split_records(buf: &[u8], mut f: impl FnMut(Span)) -> u64 {
    let mut pending: Option<Pending> = None;
    let mut line_no = 0u64;
    let mut pos = 0;
    while pos < buf.len() {
        let end = memchr::memchr(b'\n', &buf[pos..]).map_or(buf.len(), |i| pos + i);
        let line = &buf[pos..end];
        let kind = classify(line);
        let joined = match (&mut pending, kind) {
            (Some(p), LineKind::Other) => {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let (service, body) = match prefix::split(line) {
                    Some(pre) => (pre.service.map(str::as_bytes), &line[pre.body_at..]),
                    None => (None, line),
                };
                match traceback::joins(traceback::continuation(body), p.in_traceback) {
                    Some(in_tb) if service == p.service => {
                        p.span.end = end;
                        p.in_traceback = in_tb;
                        true
                    }
                    _ => false,
                }
            }
            _ => false,
        };
        if !joined && kind != LineKind::Blank {
            if let Some(p) = pending.take() {
                f(p.span);
            }
            let span = Span {
                start: pos,
                end,
                line: line_no,
                is_invalid: kind == LineKind::Other,
            };
            if kind == LineKind::Text {
                pending = Some(Pending {
                    span,
                    service: prefix::split(line)
                        .and_then(|p| p.service)
                        .map(str::as_bytes),
                    in_traceback: false,
                });
            } else {
                f(span);
            }
        }
        line_no += 1;
        pos = end + 1;
    }
    if let Some(p) = pending {
        f(p.span);
    }
    line_no
}

#[cfg(test)]
mod tests;
