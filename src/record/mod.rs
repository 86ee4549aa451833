//! A log record: one line (or a text line with its traceback) understood.
//!
//! Owns turning bytes into a [`Record`] (format detection per line, SPEC §2)
//! and finding the record boundaries in a buffer ([`Splitter`]). Values are
//! decoded lazily: building a `Record` splits a JSON line into raw top-level
//! values, and each accessor decodes only the field it returns.

pub mod json;
pub mod level;
pub mod quick;
pub mod roles;
pub mod text;
pub mod time;
pub mod zone;

use json::{raw_number, raw_scalar_text, raw_str, value_text, Object};
pub use level::{Level, LevelFilter};
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

#[derive(Debug, Clone)]
enum Body<'a> {
    Json(Object<'a>),
    /// loguru `serialize=True`: the outer object and its `record`.
    Loguru(Object<'a>, Object<'a>),
    Text(text::Head<'a>),
    Invalid,
}

/// A value found under a role or a path, decoded no further than needed.
#[derive(Debug, Clone)]
pub enum Field<'a> {
    Raw(&'a RawValue),
    Owned(Value),
    Text(&'a str),
}

impl<'a> Field<'a> {
    /// The value as text when it is a string, number or boolean.
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        match self {
            Field::Raw(r) => raw_scalar_text(r),
            Field::Owned(v) => value_text(v),
            Field::Text(s) => Some(Cow::Borrowed(s)),
        }
    }

    /// The value when it is a string.
    pub fn as_str(&self) -> Option<Cow<'_, str>> {
        match self {
            Field::Raw(r) => raw_str(r),
            Field::Owned(Value::String(s)) => Some(Cow::Borrowed(s)),
            Field::Owned(_) => None,
            Field::Text(s) => Some(Cow::Borrowed(s)),
        }
    }

    /// The value as a number; strings holding a number count.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Field::Raw(r) => raw_number(r),
            Field::Owned(Value::Number(n)) => n.as_f64(),
            Field::Owned(Value::String(s)) => s.trim().parse().ok(),
            Field::Owned(_) => None,
            Field::Text(s) => s.trim().parse().ok(),
        }
    }

    /// The value decoded.
    pub fn to_value(&self) -> Value {
        match self {
            Field::Raw(r) => serde_json::from_str(r.get()).unwrap_or(Value::Null),
            Field::Owned(v) => v.clone(),
            Field::Text(s) => Value::String(s.to_string()),
        }
    }

    fn is_null(&self) -> bool {
        match self {
            Field::Raw(r) => r.get() == "null",
            Field::Owned(v) => v.is_null(),
            Field::Text(_) => false,
        }
    }
}

/// One log record, borrowed from the buffer it was read from.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    /// The record's text without the docker prefix; several lines for a
    /// text record with a traceback.
    pub text: &'a str,
    /// The whole record as read, docker prefix included (for `--grep-line`).
    pub line: &'a str,
    /// The `docker compose logs` service prefix, if the line had one.
    pub prefix_service: Option<&'a str>,
    body: Body<'a>,
}

const LOGURU_CID: [&str; 4] = ["correlation_id", "request_id", "trace_id", "correlationId"];

impl<'a> Record<'a> {
    /// Recognizes one record's text (a line, or a text line with its
    /// continuation lines). Never fails: unknown text is [`Format::Invalid`].
    pub fn parse(text: &'a str) -> Record<'a> {
        let text = text.strip_suffix('\r').unwrap_or(text);
        let line = text;
        let (prefix_service, text) = match text::split_docker_prefix(text.as_bytes()) {
            Some((name, _)) => {
                let name = &text[..name.len()];
                let rest = text[name.len()..].trim_start_matches(' ');
                let rest = rest.strip_prefix('|').unwrap_or(rest);
                (Some(name), rest.strip_prefix(' ').unwrap_or(rest))
            }
            None => (None, text),
        };
        let body = if text.trim_start().starts_with('{') {
            match Object::parse(text) {
                Some(obj) => match loguru_record(&obj) {
                    Some(inner) => Body::Loguru(obj, inner),
                    None => Body::Json(obj),
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
            prefix_service,
            body,
        }
    }

    /// The format recognized.
    pub fn format(&self) -> Format {
        match self.body {
            Body::Json(_) => Format::Json,
            Body::Loguru(..) => Format::Loguru,
            Body::Text(_) => Format::Text,
            Body::Invalid => Format::Invalid,
        }
    }

    /// Whether the line was recognized as a record at all.
    pub fn is_valid(&self) -> bool {
        !matches!(self.body, Body::Invalid)
    }

    /// The JSON object of the line, as jq sees it (`None` for text records).
    pub fn object(&self) -> Option<&Object<'a>> {
        match &self.body {
            Body::Json(o) | Body::Loguru(o, _) => Some(o),
            _ => None,
        }
    }

    /// The value at a dotted path of the raw record (`context.org_id`).
    /// Text records expose `time`, `level`, `module` and `message`.
    pub fn field<S: AsRef<str>>(&self, path: &[S]) -> Option<Field<'a>> {
        match &self.body {
            Body::Json(o) | Body::Loguru(o, _) => lookup(o, path),
            Body::Text(head) => {
                let [key] = path else { return None };
                let role = match key.as_ref() {
                    "time" | "timestamp" | "asctime" => Role::Time,
                    "level" | "levelname" => Role::Level,
                    "module" | "name" | "logger" => Role::Module,
                    "message" | "msg" => Role::Message,
                    _ => return None,
                };
                self.text_role(head, role)
            }
            Body::Invalid => None,
        }
    }

    fn text_role(&self, head: &text::Head<'a>, role: Role) -> Option<Field<'a>> {
        match role {
            Role::Time => head.time.map(Field::Text),
            Role::Level => Some(Field::Text(head.level)),
            Role::Module => head.module.map(Field::Text),
            Role::Message => {
                let message = self.text.get(head.message_at..)?;
                if self.prefix_service.is_none() || !message.contains('\n') {
                    return Some(Field::Text(message));
                }
                // `docker compose logs` prefixes every traceback line too.
                let lines: Vec<&str> = message
                    .split('\n')
                    .map(|l| match text::split_docker_prefix(l.as_bytes()) {
                        Some((_, rest)) => &l[l.len() - rest.len()..],
                        None => l,
                    })
                    .collect();
                Some(Field::Owned(Value::String(lines.join("\n"))))
            }
            _ => None,
        }
    }

    /// The first value found for a role.
    pub fn role(&self, role: Role, roles: &RoleMap) -> Option<Field<'a>> {
        match &self.body {
            Body::Json(o) => {
                let found = roles
                    .paths(role)
                    .iter()
                    .find_map(|p| lookup(o, p).filter(|f| !f.is_null()));
                match (found, role) {
                    (None, Role::Service) => self.prefix_service.map(Field::Text),
                    (found, _) => found,
                }
            }
            Body::Loguru(_, inner) => {
                let found = match role {
                    Role::Time => lookup(inner, &["time", "repr"]),
                    Role::Level => lookup(inner, &["level", "name"]),
                    Role::Message => lookup(inner, &["message"]),
                    Role::Module => lookup(inner, &["name"]),
                    Role::Cid => LOGURU_CID.iter().find_map(|k| lookup(inner, &["extra", k])),
                    Role::Service => lookup(inner, &["extra", "service"]),
                    Role::Category => lookup(inner, &["extra", "category"]),
                };
                found.or_else(|| match role {
                    Role::Service => self.prefix_service.map(Field::Text),
                    _ => None,
                })
            }
            Body::Text(head) => match role {
                Role::Service => self.prefix_service.map(Field::Text),
                _ => self.text_role(head, role),
            },
            Body::Invalid => None,
        }
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
            Body::Loguru(_, inner) => LOGURU_CID
                .iter()
                .filter_map(|k| lookup(inner, &["extra", k]))
                .collect(),
            _ => Vec::new(),
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

    /// The whole record as a JSON value (text records as an object of their
    /// parts).
    pub fn to_value(&self) -> Value {
        match &self.body {
            Body::Json(o) | Body::Loguru(o, _) => o.to_value(),
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
            Body::Loguru(_, inner) => match inner.path(&["extra"]) {
                Some(Value::Object(map)) => map
                    .into_iter()
                    .filter(|(k, _)| !LOGURU_CID.contains(&k.as_str()) && k != "service")
                    .map(|(k, v)| (Cow::Owned(k), Field::Owned(v)))
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}

/// loguru's `serialize=True` lines have exactly two keys, `text` and
/// `record` (the quick scan relies on that: any other key rules it out).
fn loguru_record<'a>(obj: &Object<'a>) -> Option<Object<'a>> {
    if obj.entries().count() != 2 {
        return None;
    }
    obj.get("text")?;
    let raw = obj.get("record")?;
    let inner = Object::parse(raw.get())?;
    (inner.has("level") && inner.has("time") && inner.has("message")).then_some(inner)
}

fn lookup<'a, S: AsRef<str>>(o: &Object<'a>, path: &[S]) -> Option<Field<'a>> {
    match path {
        [key] => o.get(key.as_ref()).map(Field::Raw),
        _ => o.path(path).map(Field::Owned),
    }
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
    let body = match text::split_docker_prefix(line) {
        Some((_, rest)) => rest,
        None => line,
    };
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
        if key == b"record" {
            unsure = true;
        }
        for (idx, path) in paths.iter().enumerate() {
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
/// [`Record::time`]: `Some(None)` when it has none, `None` when unsure.
pub fn quick_time(line: &[u8], roles: &RoleMap) -> Option<Option<Timestamp>> {
    match quick_role(line, Role::Time, roles) {
        Quick::Absent => Some(None),
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
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let body = match text::split_docker_prefix(line) {
        Some((_, rest)) => rest,
        None => line,
    };
    match body.iter().position(|c| !c.is_ascii_whitespace()) {
        None => return LineKind::Blank,
        Some(i) if body[i] == b'{' => return LineKind::Json,
        Some(0) => {}
        Some(_) => return LineKind::Other,
    }
    // A text head is ASCII up to the message, so a lossy view is enough.
    let head = &body[..body.len().min(256)];
    let s = String::from_utf8_lossy(head);
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

/// Calls `f` with every record of `buf` in order: JSON lines, text lines
/// with their continuation lines, and unparsed lines. Blank lines are skipped.
/// Returns the number of lines in `buf`.
pub fn split_records(buf: &[u8], mut f: impl FnMut(Span)) -> u64 {
    let mut pending: Option<Span> = None;
    let mut line_no = 0u64;
    let mut pos = 0;
    while pos < buf.len() {
        let end = memchr::memchr(b'\n', &buf[pos..]).map_or(buf.len(), |i| pos + i);
        let line = &buf[pos..end];
        match classify(line) {
            LineKind::Blank => {}
            LineKind::Other if pending.is_some() => {
                if let Some(p) = pending.as_mut() {
                    p.end = end;
                }
            }
            kind => {
                if let Some(p) = pending.take() {
                    f(p);
                }
                let span = Span {
                    start: pos,
                    end,
                    line: line_no,
                    is_invalid: kind == LineKind::Other,
                };
                if kind == LineKind::Text {
                    pending = Some(span);
                } else {
                    f(span);
                }
            }
        }
        line_no += 1;
        pos = end + 1;
    }
    if let Some(p) = pending {
        f(p);
    }
    line_no
}

#[cfg(test)]
mod tests;
