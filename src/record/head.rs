//! The parts of a text record's first line: [`Head`] and the [`Fields`]
//! its line format carries, borrowed from the line.
//!
//! Owns only the shape; recognizing a line is `text`'s (Python logging,
//! loguru, gunicorn, Celery, uvicorn) and `access`'s (request lines).

/// Most fields a text head carries (an access line has the most).
const MAX_FIELDS: usize = 8;

/// Fields a line format carries besides time, level, module and message
/// (a gunicorn `pid`, the parts of an access line), borrowed from the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fields<'a> {
    items: [(&'static str, &'a str, bool); MAX_FIELDS],
    len: usize,
}

impl<'a> Fields<'a> {
    /// Adds a field; `in_message` says the message text shows it already.
    pub fn push(&mut self, key: &'static str, value: &'a str, in_message: bool) {
        if self.len < MAX_FIELDS && !value.is_empty() {
            self.items[self.len] = (key, value, in_message);
            self.len += 1;
        }
    }

    /// The fields in line order: key, value, and whether the message shows it.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &'a str, bool)> + '_ {
        self.items[..self.len].iter().copied()
    }

    /// The value of a field.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.iter().find(|(k, _, _)| *k == key).map(|(_, v, _)| v)
    }
}

/// The parts of a text record's first line, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head<'a> {
    pub time: Option<&'a str>,
    pub level: &'a str,
    pub module: Option<&'a str>,
    /// Byte offset of the message within the line.
    pub message_at: usize,
    /// Fields of the line format itself.
    pub fields: Fields<'a>,
    /// Whether `key=value` words in the message are fields (not in request
    /// lines, whose message is a URL and a status).
    pub has_pairs: bool,
}

impl<'a> Head<'a> {
    /// A head with no fields whose `key=value` pairs are read.
    pub fn new(
        line: &'a str,
        time: Option<&'a str>,
        level: &'a str,
        module: Option<&'a str>,
        message: &'a str,
    ) -> Head<'a> {
        Head {
            time,
            level,
            module,
            message_at: offset(line, message),
            fields: Fields::default(),
            has_pairs: true,
        }
    }
}

/// Byte offset of `part` (a slice of `line`) within `line`.
pub fn offset(line: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(line.as_ptr() as usize)
        .min(line.len())
}
