//! Raw JSON values that print as they are written.
//!
//! A record's fields stay raw text (`record::json`). Decoding one into a
//! `serde_json::Value` only to print it again costs more than the rest of
//! a printer, so printers first ask [`is_canonical`]: a compact value with
//! no escapes, no float or exponent, no duplicate key, is written by
//! serde_json exactly as it reads, and its objects can be walked in place
//! ([`entries`]). Anything else takes the decoding path, which defines the
//! output (issue 11).

use crate::record::json::Raw;

/// [`is_canonical`] of a value of a line, from what the splitter saw of it
/// (`Raw::is_simple`): a simple scalar is canonical as it is; a simple
/// object or array still has its keys checked for repeats.
pub fn is_canonical_raw(r: Raw) -> bool {
    r.is_simple()
        && match r.get().as_bytes().first() {
            Some(b'{' | b'[') => is_canonical(r.get()),
            _ => true,
        }
}

/// Whether `s` (one valid JSON value) is byte for byte what serde_json
/// writes for it once decoded.
pub fn is_canonical(s: &str) -> bool {
    // Fixed room: a value with more keys or nesting than this is left to
    // the decoding path, which is always right.
    const KEYS: usize = 32;
    const DEPTH: usize = 16;
    let b = s.as_bytes();
    // Keys of the objects being read (depth, start, end).
    let mut keys = [(0u16, 0u32, 0u32); KEYS];
    let mut nkeys = 0;
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'"' => {
                let start = i + 1;
                let Some(len) = b
                    .get(start..)
                    .and_then(|r| r.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20))
                else {
                    return false;
                };
                let end = start + len;
                if b.get(end) != Some(&b'"') {
                    return false;
                }
                if b.get(end + 1) == Some(&b':') {
                    let key = &b[start..end];
                    let seen = keys[..nkeys].iter().any(|&(d, s, e)| {
                        usize::from(d) == depth && b.get(s as usize..e as usize) == Some(key)
                    });
                    if seen || nkeys == KEYS {
                        return false;
                    }
                    keys[nkeys] = (depth as u16, start as u32, end as u32);
                    nkeys += 1;
                }
                i = end + 1;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > DEPTH {
                    return false;
                }
                i += 1;
            }
            b'}' | b']' => {
                while nkeys > 0 && usize::from(keys[nkeys - 1].0) == depth {
                    nkeys -= 1;
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b',' | b':' => i += 1,
            b'-' | b'0'..=b'9' => {
                let start = i;
                let mut end = i + 1;
                while b.get(end).is_some_and(|c| c.is_ascii_digit()) {
                    end += 1;
                }
                let digits = &b[start..end];
                let n = digits.len() - usize::from(c == b'-');
                if n == 0 || n > 18 || digits.starts_with(b"-0") {
                    return false;
                }
                if matches!(b.get(end), Some(b'.' | b'e' | b'E')) {
                    return false;
                }
                i = end;
            }
            b't' | b'r' | b'u' | b'e' | b'f' | b'a' | b'l' | b's' | b'n' => i += 1,
            _ => return false,
        }
    }
    true
}

/// The entries of a canonical object (see [`is_canonical`]), in order;
/// `None` when `s` is not an object.
pub fn entries(s: &str) -> Option<Vec<(&str, &str)>> {
    Entries::of(s).map(Iterator::collect)
}

/// The entries of an object written without escapes or whitespace (a
/// simple one, see `Raw::is_simple`), in order, walked in place.
pub struct Entries<'a> {
    inner: &'a str,
    at: usize,
}

impl<'a> Entries<'a> {
    /// `None` when `s` is not an object.
    pub fn of(s: &'a str) -> Option<Entries<'a>> {
        let inner = s.strip_prefix('{')?.strip_suffix('}')?;
        Some(Entries { inner, at: 0 })
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        let b = self.inner.as_bytes();
        let i = self.at;
        if i >= b.len() {
            return None;
        }
        // "key":value; strings are short, and searched byte by byte.
        let quote = |from: usize| Some(from + b.get(from..)?.iter().position(|&c| c == b'"')?);
        let key_end = quote(i + 1)?;
        let key = self.inner.get(i + 1..key_end)?;
        let start = key_end + 2;
        let mut depth = 0usize;
        let mut j = start;
        while let Some(&c) = b.get(j) {
            match c {
                b'"' => j = quote(j + 1)?,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => depth = depth.checked_sub(1)?,
                b',' if depth == 0 => break,
                _ => {}
            }
            j += 1;
        }
        self.at = j + 1;
        Some((key, self.inner.get(start..j)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agrees(s: &str) {
        // Canonical means written back as read; escapes are left to the
        // decoding path even when they would be.
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        let written = v.to_string();
        assert!(!is_canonical(s) || written == s, "{s}");
    }

    #[test]
    fn canonical_values_are_what_serde_json_writes() {
        for s in [
            r#"{"a":1,"b":"x","c":[1,true,null],"d":{}}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"a":{"b":1},"b":{"b":1}}"#,
            r#"{ "a":1}"#,
            r#""x\"y""#,
            r#""x\/y""#,
            "1.5",
            "1e3",
            "-0",
            "-12",
            "12345678901234567890",
            r#"["é",false]"#,
        ] {
            agrees(s);
        }
        assert!(is_canonical(r#"{"a":1,"b":"x","c":[1,true,null],"d":{}}"#));
        assert!(!is_canonical(r#"{"a":1,"a":2}"#));
    }

    #[test]
    fn entries_split_at_the_top_level() {
        assert_eq!(
            entries(r#"{"a":1,"b":{"c":[1,2],"d":"x,y"},"e":""}"#).unwrap(),
            [
                ("a", "1"),
                ("b", r#"{"c":[1,2],"d":"x,y"}"#),
                ("e", r#""""#)
            ]
        );
        assert_eq!(entries("{}").unwrap(), []);
    }
}
