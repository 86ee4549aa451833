//! `-o pretty`: `time LEVEL [module] message key=value …`, for humans.
//!
//! Colour by level; time and correlation id dimmed; the multi-line parts of
//! a record (a message's continuation lines, multi-line fields, tracebacks)
//! indented under it as `block`s. All log data goes through `escape` first
//! (SPEC §6).

use super::block::{self, Block};
use super::buf::{push_escaped, push_painted, push_raw_painted, push_time, Colour};
use super::fields::{flatten, is_hidden, leaf_of, repeats_role, shown_fields, RoleKeys};
use super::{rawjson, Style, NO_HOLE};
use crate::record::{Field, Level, Record, Role, RoleMap, Timestamp};
use owo_colors::Style as Paint;
use std::borrow::Cow;
use std::sync::OnceLock;

const INDENT: &str = "    ";

/// The short label of a level, five columns wide.
pub fn label(level: Option<Level>) -> &'static str {
    match level {
        Some(Level::Trace) => "TRACE",
        Some(Level::Debug) => "DEBUG",
        Some(Level::Info) => "INFO ",
        Some(Level::Success) => "SUCC ",
        Some(Level::Warning) => "WARN ",
        Some(Level::Error) => "ERROR",
        Some(Level::Critical) => "CRIT ",
        None => "  -  ",
    }
}

/// The colour of a level.
pub fn paint(level: Option<Level>) -> Paint {
    match level {
        Some(Level::Trace) | Some(Level::Debug) => Paint::new().blue(),
        Some(Level::Info) => Paint::new().green(),
        Some(Level::Success) => Paint::new().bright_green(),
        Some(Level::Warning) => Paint::new().yellow(),
        Some(Level::Error) => Paint::new().red(),
        Some(Level::Critical) => Paint::new().bright_red().bold(),
        None => Paint::new(),
    }
}

/// The colours of pretty output, made once.
pub struct Palette {
    pub dim: Colour,
    pub cyan: Colour,
    /// Per level (`Level as usize`), then no level last.
    pub level: Vec<Colour>,
    /// The message's colour per level, as `level`.
    pub message: Vec<Colour>,
}

/// The palette (see [`Palette`]).
pub fn palette() -> &'static Palette {
    static PALETTE: OnceLock<Palette> = OnceLock::new();
    PALETTE.get_or_init(|| {
        use crate::record::Level;
        let levels: Vec<Option<Level>> =
            Level::ALL.iter().map(|l| Some(*l)).chain([None]).collect();

        Palette {
            dim: Colour::of(Paint::new().dimmed()),
            cyan: Colour::of(Paint::new().cyan()),
            level: levels.iter().map(|l| Colour::of(paint(*l))).collect(),
            message: levels
                .iter()
                .map(|l| {
                    let p = if matches!(l, Some(Level::Error | Level::Critical)) {
                        paint(*l)
                    } else {
                        Paint::new()
                    };
                    Colour::of(p.bold())
                })
                .collect(),
        }
    })
}

/// The index of a level in the palette.
pub fn level_index(level: Option<crate::record::Level>) -> usize {
    use crate::record::Level;
    match level {
        Some(l) => Level::ALL
            .iter()
            .position(|x| *x == l)
            .unwrap_or(Level::ALL.len()),
        None => Level::ALL.len(),
    }
}

/// A field value for `key=value`: bare when simple, JSON-quoted otherwise.
/// A string's trailing line break is left out (`exc_info="…\n"` of one
/// line).
pub fn value_text(f: &Field) -> String {
    match f.as_str() {
        Some(s) => {
            let s = block::trim_line_ends(&s);
            if !s.is_empty() && !s.contains([' ', '"', '=']) && !s.chars().any(char::is_control) {
                s.to_string()
            } else {
                serde_json::to_string(s).unwrap_or_default()
            }
        }
        None => f.to_value().to_string(),
    }
}

/// The source column's cell and its gap, as the hole of a record holds it.
pub(super) fn source_insert(source: &str, style: &Style) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(col) = &style.sources {
        let c = style.color.then(|| &palette().dim);
        push_painted(&mut out, &col.cell(source), c);
        out.extend_from_slice(b"  ");
    }
    out
}

/// Writes a record (`None`: an unparsed line) into `buf`; the source cell
/// goes in the hole at its start (see `Printer::format`).
pub(super) fn format(
    buf: &mut Vec<u8>,
    rec: Option<&Record>,
    raw: &[u8],
    time: Option<Timestamp>,
    roles: &RoleMap,
    style: &Style,
) -> u32 {
    let c = style.color;
    let pal = palette();
    let paint = |colour| c.then_some(colour);
    let hole = if style.sources.is_some() { 0 } else { NO_HOLE };
    let Some(rec) = rec else {
        push_raw_painted(buf, b"unparsed", paint(&pal.dim));
        buf.push(b' ');
        push_escaped(buf, &String::from_utf8_lossy(raw));
        buf.push(b'\n');
        return hole;
    };
    let level = rec.level(roles);
    let at = level_index(level);
    if let Some(c) = paint(&pal.dim) {
        buf.extend_from_slice(&c.on);
    }
    match time {
        Some(t) => push_time(buf, t, &style.time_format, style.local),
        None => buf.resize(buf.len() + Timestampish::width(&style.time_format), b' '),
    }
    if let Some(c) = paint(&pal.dim) {
        buf.extend_from_slice(&c.off);
    }
    buf.push(b' ');
    push_raw_painted(buf, label(level).as_bytes(), paint(&pal.level[at]));
    let module = rec.role(Role::Module, roles);
    if let Some(module) = module.as_ref().and_then(Field::as_text) {
        buf.push(b' ');
        if let Some(c) = paint(&pal.cyan) {
            buf.extend_from_slice(&c.on);
        }
        buf.push(b'[');
        push_escaped(buf, &module);
        buf.push(b']');
        if let Some(c) = paint(&pal.cyan) {
            buf.extend_from_slice(&c.off);
        }
    }
    let message = rec.role(Role::Message, roles);
    let message = message
        .as_ref()
        .and_then(Field::as_text)
        .unwrap_or_default();
    let plain = message.bytes().all(|b| (0x20..0x7f).contains(&b));
    let (first, more) = if plain {
        (Cow::Borrowed(&*message), None)
    } else {
        let (first, more) = block::split_message(&message);
        (Cow::Owned(first), more)
    };
    if !message.is_empty() {
        buf.push(b' ');
        push_raw_painted(buf, first.as_bytes(), paint(&pal.message[at]));
    }
    let dim = paint(&pal.dim);
    let field_blocks = match style.fields {
        None => push_fields(buf, rec, roles, style, dim),
        Some(_) => {
            let (inline, field_blocks) = block::partition(shown_fields(rec, roles, style));
            for (key, f) in inline {
                push_inline(buf, &key, &f, dim);
            }
            field_blocks
        }
    };
    let cid = rec.role(Role::Cid, roles);
    if let Some(cid) = cid.as_ref().and_then(Field::as_text) {
        if style.fields.is_none()
            && !style.hide.iter().any(|h| h == "cid")
            && !rec.role_echoes_message(Role::Cid, roles)
        {
            buf.push(b' ');
            if let Some(c) = paint(&pal.dim) {
                buf.extend_from_slice(&c.on);
            }
            buf.extend_from_slice(b"cid=");
            push_escaped(buf, &cid);
            if let Some(c) = paint(&pal.dim) {
                buf.extend_from_slice(&c.off);
            }
        }
    }
    let service = rec.role(Role::Service, roles);
    if let Some(service) = service.as_ref().and_then(Field::as_text) {
        if style.fields.is_none() && !style.hide.iter().any(|h| h == "service") {
            buf.push(b' ');
            if let Some(c) = paint(&pal.dim) {
                buf.extend_from_slice(&c.on);
            }
            buf.extend_from_slice(b"service=");
            push_escaped(buf, &service);
            if let Some(c) = paint(&pal.dim) {
                buf.extend_from_slice(&c.off);
            }
        }
    }
    buf.push(b'\n');
    for line in more
        .iter()
        .chain(&field_blocks)
        .flat_map(|b: &Block| b.draw(c))
    {
        // Blank lines stay empty: no trailing whitespace.
        if !line.is_empty() {
            buf.extend_from_slice(INDENT.as_bytes());
            buf.extend_from_slice(line.as_bytes());
        }
        buf.push(b'\n');
    }
    hole
}

/// Appends ` key=value`, the key dimmed.
fn push_inline(buf: &mut Vec<u8>, key: &str, f: &Field, dim: Option<&Colour>) {
    buf.push(b' ');
    if let Some(c) = dim {
        buf.extend_from_slice(&c.on);
    }
    push_escaped(buf, key);
    buf.push(b'=');
    if let Some(c) = dim {
        buf.extend_from_slice(&c.off);
    }
    push_value_text(buf, f);
}

/// Appends the one-line fields of [`shown_fields`] without `--fields`, in
/// record order, and returns the blocks of the others: what `partition`
/// makes of them, written as they are found.
fn push_fields(
    buf: &mut Vec<u8>,
    rec: &Record,
    roles: &RoleMap,
    style: &Style,
    dim: Option<&Colour>,
) -> Vec<Block> {
    let keys = style.role_keys.get(roles);
    let mut blocks = Vec::new();
    let mut key = String::new();
    let mut field = |k: &str, v: Field| {
        if is_hidden(&style.hide, k) || rec.echoes_message(k) || repeats_role(rec, roles, k, &v) {
            return;
        }
        if let Field::Raw(r) = &v {
            let raw = r.get();
            if raw.starts_with('{') && r.is_simple() {
                key.clear();
                key.push_str(k);
                let (len, drawn) = (buf.len(), blocks.len());
                if push_raw_fields(buf, &mut key, raw, keys, style, dim, &mut blocks) {
                    return;
                }
                // A key repeated: the decoding path merges it.
                buf.truncate(len);
                blocks.truncate(drawn);
            }
        }
        let mut fields = Vec::new();
        if v.as_text().is_none() && v.to_value().is_object() {
            flatten(k, &v.to_value(), Some(roles), style, &mut fields);
        } else {
            fields.push((k.to_string(), v));
        }
        for (key, f) in fields {
            match block::of_field(&key, &f) {
                Some(b) => blocks.push(b),
                None => push_inline(buf, &key, &f, dim),
            }
        }
    };
    // `extra_fields` of a JSON line, without copying its keys.
    match rec.object() {
        Some(o) if rec.format() == crate::record::Format::Json => {
            for (k, v) in o.entries() {
                if !keys.is_role_key(k) {
                    field(k, Field::Raw(v));
                }
            }
        }
        _ => {
            for (k, v) in rec.extra_fields(roles) {
                field(&k, v);
            }
        }
    }
    blocks
}

/// [`flatten_raw`] of a simple object (see `Raw::is_simple`) written as it
/// goes: `key` holds the dotted path. `false` when an object repeats a
/// key, which only decoding resolves (what was written is then the
/// caller's to undo).
fn push_raw_fields(
    buf: &mut Vec<u8>,
    key: &mut String,
    raw: &str,
    keys: &RoleKeys,
    style: &Style,
    dim: Option<&Colour>,
    blocks: &mut Vec<Block>,
) -> bool {
    let Some(entries) = rawjson::Entries::of(raw).filter(|_| raw != "{}") else {
        // A string of a simple value has no escape, so no line break: only
        // an array may be a block (a traceback).
        let leaf = leaf_of(raw);
        match raw.starts_with('[') {
            true => match block::of_field(key, &leaf) {
                Some(b) => blocks.push(b),
                None => push_inline(buf, key, &leaf, dim),
            },
            false => push_inline(buf, key, &leaf, dim),
        }
        return true;
    };
    // Keys of this object so far, to find a repeat; past the room, the
    // decoding path takes over.
    const ROOM: usize = 16;
    let mut seen = [""; ROOM];
    for (n, (k, v)) in entries.enumerate() {
        if n == ROOM || seen[..n].contains(&k) {
            return false;
        }
        seen[n] = k;
        let len = key.len();
        key.push('.');
        key.push_str(k);
        if !is_hidden(&style.hide, key)
            && !keys.is_role_path(key)
            && !push_raw_fields(buf, key, v, keys, style, dim, blocks)
        {
            return false;
        }
        key.truncate(len);
    }
    true
}

/// Appends a field's [`value_text`], escaped, without building it when the
/// value is a plain string or a number.
fn push_value_text(buf: &mut Vec<u8>, f: &Field) {
    let simple = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| (0x21..0x7f).contains(&b) && b != b'"' && b != b'=')
    };
    match f {
        Field::Text(s) | Field::Word(s) if simple(s) => buf.extend_from_slice(s.as_bytes()),
        Field::Raw(r) => {
            let s = r.get();
            match s.as_bytes().first() {
                Some(b'"') => match s.get(1..s.len() - 1) {
                    Some(inner) if simple(inner) && (r.is_simple() || !inner.contains('\\')) => {
                        buf.extend_from_slice(inner.as_bytes())
                    }
                    _ => push_escaped(buf, &value_text(f)),
                },
                Some(b'-' | b'0'..=b'9' | b't' | b'f' | b'n') if r.is_simple() => {
                    buf.extend_from_slice(s.as_bytes())
                }
                _ => push_escaped(buf, &value_text(f)),
            }
        }
        _ => push_escaped(buf, &value_text(f)),
    }
}

/// Width of a formatted time, for aligning records that have none.
struct Timestampish;

impl Timestampish {
    fn width(pattern: &str) -> usize {
        crate::record::Timestamp(0)
            .format(pattern, false)
            .chars()
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;

    fn pretty(line: &str, style: &Style) -> String {
        let roles = RoleMap::default();
        let rec = Record::parse(line);
        let mut out = Vec::new();
        format(
            &mut out,
            Some(&rec),
            line.as_bytes(),
            rec.time(&roles),
            &roles,
            style,
        );
        String::from_utf8(out).unwrap()
    }

    const LINE: &str = r#"{"ts":"2024-01-15T10:00:00Z","level":"warn","msg":"m","ctx":{"request_id":"r-1","org":{"id":7,"tags":[1]}},"empty":{},"n":null}"#;

    #[test]
    fn nested_objects_are_flattened_without_role_aliases() {
        assert_eq!(
            pretty(LINE, &Style::default()),
            "2024-01-15 10:00:00.000 WARN  m ctx.org.id=7 ctx.org.tags=[1] empty={} n=null cid=r-1\n"
        );
    }

    #[test]
    fn hide_takes_dotted_keys_and_parents() {
        let style = Style {
            hide: vec!["ctx.org.tags".into(), "empty".into(), "cid".into()],
            ..Style::default()
        };
        assert_eq!(
            pretty(LINE, &style),
            "2024-01-15 10:00:00.000 WARN  m ctx.org.id=7 n=null\n"
        );
        let style = Style {
            hide: vec!["ctx".into(), "n".into()],
            ..Style::default()
        };
        assert_eq!(
            pretty(LINE, &style),
            "2024-01-15 10:00:00.000 WARN  m empty={} cid=r-1\n"
        );
    }

    #[test]
    fn fields_naming_an_object_keep_its_role_aliases() {
        let style = Style {
            fields: Some(vec![vec!["ctx".into()]]),
            ..Style::default()
        };
        assert_eq!(
            pretty(LINE, &style),
            "2024-01-15 10:00:00.000 WARN  m ctx.request_id=r-1 ctx.org.id=7 ctx.org.tags=[1]\n"
        );
    }

    #[test]
    fn continuation_lines_are_indented_without_trailing_spaces() {
        let line = r#"{"level":"error","message":"boom\r\nTraceback\n\n  x\u001b[1m\n   "}"#;
        assert_eq!(
            pretty(line, &Style::default()),
            "                        ERROR boom\n    Traceback\n\n      x\\x1b[1m\n\n"
        );
    }

    #[test]
    fn multi_line_fields_are_labelled_blocks_after_the_message() {
        let line = r#"{"level":"error","msg":"boom\n  at x","exc_info":"Traceback\r\n\n  File \"a\"\r\n","one":"line\n","error":{"stack_trace":"E\n  at b","type":"E"}}"#;
        assert_eq!(
            pretty(line, &Style::default()),
            "                        ERROR boom one=line error.type=E\n      \
             at x\n    \
             exc_info:\n      \
             Traceback\n\n        \
             File \"a\"\n    \
             error.stack_trace:\n      \
             E\n        \
             at b\n"
        );
    }
}
