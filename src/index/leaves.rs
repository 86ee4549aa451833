//! The values of a JSON line under keys of given names, at any depth, in
//! one pass over its bytes: how the index build reads a record's level,
//! time, ids and indexed fields without parsing it.
//!
//! Owns [`Names`] (the key names wanted: the last key of every level,
//! time and correlation path and of every `--index-field`) and
//! [`scalars`], the walk. It finds a superset of what the exact accessors
//! (`Record::level`, `Record::time`, `Record::cids`, `Record::field`)
//! read: every occurrence of a wanted name at any depth, including a flat
//! dotted key (`"ctx.org"`) ending in it.
//!
//! Invariant: only for a line without a backslash (no escape can hide or
//! spell a key or value); the caller checks that.

/// What a wanted key stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Level,
    Time,
    /// A correlation id.
    Cid,
    /// The i-th indexed field.
    Field(usize),
}

/// Which key names are wanted, and for what.
#[derive(Debug)]
pub struct Names {
    /// The wanted names by length, each with what it stands for.
    by_len: Vec<Vec<(Vec<u8>, What)>>,
}

impl Names {
    /// The last keys of the `(paths, what)` given.
    pub fn new<'p>(paths: impl IntoIterator<Item = (&'p [String], What)>) -> Names {
        let mut by_len: Vec<Vec<(Vec<u8>, What)>> = Vec::new();
        for (path, what) in paths {
            let Some(last) = path.last() else { continue };
            let name = last.as_bytes().to_vec();
            if by_len.len() <= name.len() {
                by_len.resize(name.len() + 1, Vec::new());
            }
            let slot = &mut by_len[name.len()];
            if !slot.contains(&(name.clone(), what)) {
                slot.push((name, what));
            }
        }
        Names { by_len }
    }

    fn exact(&self, key: &[u8], found: &mut impl FnMut(What)) {
        let Some(slot) = self.by_len.get(key.len()) else {
            return;
        };
        for (name, what) in slot {
            // Most keys differ from a name of their length at once.
            if name.first() == key.first() && name.as_slice() == key {
                found(*what);
            }
        }
    }

    /// Calls `found` with what a key stands for: by its own name, or by
    /// the last part of a flat dotted key.
    fn matches(&self, key: &[u8], mut found: impl FnMut(What)) {
        self.exact(key, &mut found);
        // Keys are short: a plain loop beats a vectorized search here.
        if let Some(i) = key.iter().rposition(|&c| c == b'.') {
            self.exact(&key[i + 1..], &mut found);
        }
    }
}

/// Calls `found(what, value)` for every scalar (string contents, number,
/// `true`, `false`) under a wanted key in `body`, a JSON object's bytes
/// without backslashes. Returns whether the object has a top-level
/// `record` or `labels` key (a loguru or logcli line, whose roles are not
/// where a plain record has them); `None` when the bytes end before the
/// object does, or hold a word that is no JSON value.
pub fn scalars<'b>(
    body: &'b [u8],
    names: &Names,
    mut found: impl FnMut(What, &'b [u8]),
) -> Option<bool> {
    // The containers open, a bit each, innermost lowest: 1 for an object.
    // Deeper than 64 levels, the full parse decides.
    let mut stack: u64 = 0;
    let mut depth: u32 = 0;
    let mut i = 0;
    // The key whose value comes next, in an object.
    let mut key: Option<&'b [u8]> = None;
    let mut expect_key = false;
    let mut wrapped = false;
    while i < body.len() {
        match body[i] {
            b'{' => {
                if depth == 64 {
                    return None;
                }
                stack = stack << 1 | 1;
                depth += 1;
                expect_key = true;
                key = None;
                i += 1;
            }
            b'[' => {
                if depth == 64 {
                    return None;
                }
                stack <<= 1;
                depth += 1;
                expect_key = false;
                key = None;
                i += 1;
            }
            b'}' | b']' => {
                if depth == 0 {
                    return None;
                }
                stack >>= 1;
                depth -= 1;
                key = None;
                expect_key = false;
                i += 1;
                if depth == 0 {
                    return Some(wrapped);
                }
            }
            b',' => {
                expect_key = depth > 0 && stack & 1 == 1;
                key = None;
                i += 1;
            }
            b'"' => {
                let len = quote_at(&body[i + 1..])?;
                let s = &body[i + 1..i + 1 + len];
                i += len + 2;
                if expect_key {
                    wrapped |= depth == 1 && (s == b"record" || s == b"labels");
                    key = Some(s);
                    expect_key = false;
                } else if let Some(k) = key.take() {
                    names.matches(k, |what| found(what, s));
                }
            }
            b':' | b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            _ => {
                let len = body[i..]
                    .iter()
                    .position(|c| matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n'))
                    .unwrap_or(body.len() - i);
                let token = &body[i..i + len];
                i += len.max(1);
                let is_value = matches!(token, b"true" | b"false" | b"null")
                    || token
                        .first()
                        .is_some_and(|c| *c == b'-' || c.is_ascii_digit());
                if !is_value {
                    return None;
                }
                if let Some(k) = key.take() {
                    if token != b"null" {
                        names.matches(k, |what| found(what, token));
                    }
                }
            }
        }
    }
    None
}

/// Where the first `"` of `b` is: eight bytes at a time (most strings
/// are short, and end before a vectorized search would have started).
fn quote_at(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ (ONES * u64::from(b'"'));
        // The lowest flagged byte is exact: borrows flag only bytes above.
        let m = x.wrapping_sub(ONES) & !x & HIGHS;
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    memchr::memchr(b'"', &b[i..]).map(|n| i + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> Vec<String> {
        p.split('.').map(String::from).collect()
    }

    fn all(body: &str, names: &Names) -> Vec<(What, String)> {
        let mut out = Vec::new();
        scalars(body.as_bytes(), names, |w, t| {
            out.push((w, String::from_utf8_lossy(t).into_owned()))
        })
        .unwrap();
        out
    }

    #[test]
    fn wanted_keys_are_found_at_any_depth() {
        let (a, b, c, d) = (
            path("request_id"),
            path("ctx.trace_id"),
            path("user.id"),
            path("log.level"),
        );
        let names = Names::new([
            (&a[..], What::Cid),
            (&b[..], What::Cid),
            (&c[..], What::Field(0)),
            (&d[..], What::Level),
        ]);
        let body = r#"{"request_id":"req-1","n":[{"trace_id":7}, "x"],"user":{"id":42,"name":"ann"},"ctx.trace_id":true,"id":null,"msg":"request_id","log":{"level":"warn"}}"#;
        assert_eq!(
            all(body, &names),
            vec![
                (What::Cid, "req-1".into()),
                (What::Cid, "7".into()),
                (What::Field(0), "42".into()),
                (What::Cid, "true".into()),
                (What::Level, "warn".into()),
            ]
        );
    }

    #[test]
    fn the_first_quote_is_found() {
        for n in 0..40 {
            let mut b = vec![b'a'; n];
            b.extend(b"\"xx\"");
            assert_eq!(quote_at(&b), Some(n));
        }
        assert_eq!(quote_at(b"\x7f\xff\x22\"\x00"), Some(2));
        assert_eq!(quote_at(b"no quote at all, none"), None);
    }

    #[test]
    fn a_wrapper_is_told_and_a_cut_line_is_no_object() {
        let a = path("a");
        let names = Names::new([(&a[..], What::Cid)]);
        assert_eq!(
            scalars(br#"{"text":"x","record":{"a":1}}"#, &names, |_, _| {}),
            Some(true)
        );
        assert_eq!(
            scalars(br#"{"x":{"record":1}}"#, &names, |_, _| {}),
            Some(false)
        );
        assert!(scalars(br#"{"a":"x"#, &names, |_, _| {}).is_none());
        assert!(scalars(br#"{"a":{"b":1}"#, &names, |_, _| {}).is_none());
        assert!(scalars(br#"{"a":tru}"#, &names, |_, _| {}).is_none());
        assert!(scalars(br#"{"a":1}}"#, &names, |_, _| {}).is_some());
        let deep = format!("{}{}", "[".repeat(70), "]".repeat(70));
        assert!(scalars(format!("{{\"a\":{deep}}}").as_bytes(), &names, |_, _| {}).is_none());
    }
}
