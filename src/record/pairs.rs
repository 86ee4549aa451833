//! `key=value` words in a text message, as fields.
//!
//! Owns reading `… request_id=req-x duration_ms=12 user="Ann Lee"` out of
//! the first line of a text record's message, so `-c`, `-q`, `trace` and
//! `stats` find them in stdlib text logs as in JSON ones. A key is a word of
//! letters, digits, `_`, `-` and `.` that starts with a letter or `_`; a
//! value is a bare word (a trailing `,` or `;` dropped) or a quoted string.

/// One `key=value` pair, borrowed from the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair<'a> {
    pub key: &'a str,
    pub value: &'a str,
}

/// The pairs of a message's first line, in order.
pub fn pairs(message: &str) -> Vec<Pair<'_>> {
    let line = message.split('\n').next().unwrap_or("");
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // A key starts a word.
        if i > 0 && !b[i - 1].is_ascii_whitespace() || b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let key_start = i;
        if !(b[i].is_ascii_alphabetic() || b[i] == b'_') {
            i = skip_word(b, i);
            continue;
        }
        while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'-' | b'.')) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            i = skip_word(b, i);
            continue;
        }
        let key = &line[key_start..i];
        i += 1;
        let (value, end) = match b.get(i) {
            Some(q @ (b'"' | b'\'')) => match b[i + 1..].iter().position(|c| c == q) {
                Some(n) => (&line[i + 1..i + 1 + n], i + 2 + n),
                None => (&line[i..skip_word(b, i)], skip_word(b, i)),
            },
            _ => {
                let end = skip_word(b, i);
                let v = line[i..end].trim_end_matches([',', ';']);
                (v, end)
            }
        };
        i = end;
        if !value.is_empty() && !value.starts_with('=') && !key.ends_with(['.', '-']) {
            out.push(Pair { key, value });
        }
    }
    out
}

fn skip_word(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && !b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(message: &str) -> Vec<(&str, &str)> {
        pairs(message)
            .into_iter()
            .map(|p| (p.key, p.value))
            .collect()
    }

    #[test]
    fn bare_and_quoted_values() {
        assert_eq!(
            kv("order created request_id=req-7f3a duration_ms=12, user=\"Ann Lee\" ok=1;"),
            vec![
                ("request_id", "req-7f3a"),
                ("duration_ms", "12"),
                ("user", "Ann Lee"),
                ("ok", "1")
            ]
        );
    }

    #[test]
    fn only_words_that_are_pairs() {
        assert_eq!(
            kv("x==y a= =b url=/p?q=1 9x=1 é=1 path.to=v"),
            vec![("url", "/p?q=1"), ("path.to", "v")]
        );
        assert_eq!(kv("k='unterminated v"), vec![("k", "'unterminated")]);
    }

    #[test]
    fn first_line_only() {
        assert_eq!(kv("failed job=7\nTraceback\n  x=1"), vec![("job", "7")]);
    }
}
