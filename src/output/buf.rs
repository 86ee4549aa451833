//! Writing into a record's byte buffer without allocating: escaped text,
//! precomputed colour codes, times and JSON strings.
//!
//! Owns the fast paths of the printers (issue 11). Each one writes exactly
//! the bytes of the general path it stands for: text that is not plain
//! ASCII goes through `escape::escape`, colours are the byte strings
//! owo-colors writes, and a time pattern other than the default goes
//! through chrono.

use crate::escape::escape;
use crate::record::civil::{civil, push_date_time, push_num};
use crate::record::Timestamp;
use owo_colors::{OwoColorize, Style as Paint};

/// The bytes a colour writes before and after what it paints.
#[derive(Debug, Clone, Default)]
pub struct Colour {
    pub on: Vec<u8>,
    pub off: Vec<u8>,
}

impl Colour {
    /// The codes of an owo-colors style, taken from what it writes.
    pub fn of(paint: Paint) -> Colour {
        let s = "\u{0}".style(paint).to_string();
        let (on, off) = s.split_once('\u{0}').unwrap_or_default();
        Colour {
            on: on.as_bytes().to_vec(),
            off: off.as_bytes().to_vec(),
        }
    }
}

/// Whether a byte shows as itself on a terminal: printable ASCII or tab.
fn is_plain(c: u8) -> bool {
    (0x20..0x7f).contains(&c) || c == b'\t'
}

/// Whether every byte of `s` shows as itself ([`is_plain`]), eight bytes
/// at a time.
pub fn all_plain(s: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = s.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let del = w ^ (ONES * 0x7f);
        // Some byte is below 0x20, 0x7f, or 0x80 and above; a tab is the
        // one of these that is plain.
        let suspect = (w.wrapping_sub(ONES * 0x20) & !w & HIGH)
            | (w & HIGH)
            | (del.wrapping_sub(ONES) & !del & HIGH);
        if suspect != 0 && !chunk.iter().all(|&c| is_plain(c)) {
            return false;
        }
    }
    chunks.remainder().iter().all(|&c| is_plain(c))
}

/// Appends `s` escaped for a terminal (see `escape::escape`).
pub fn push_escaped(buf: &mut Vec<u8>, s: &str) {
    if all_plain(s.as_bytes()) {
        buf.extend_from_slice(s.as_bytes());
    } else {
        buf.extend_from_slice(escape(s, false).as_bytes());
    }
}

/// Appends `s` escaped, painted when `colour` is given.
pub fn push_painted(buf: &mut Vec<u8>, s: &str, colour: Option<&Colour>) {
    match colour {
        Some(c) => {
            buf.extend_from_slice(&c.on);
            push_escaped(buf, s);
            buf.extend_from_slice(&c.off);
        }
        None => push_escaped(buf, s),
    }
}

/// Appends `s` (already safe) painted when `colour` is given.
pub fn push_raw_painted(buf: &mut Vec<u8>, s: &[u8], colour: Option<&Colour>) {
    match colour {
        Some(c) => {
            buf.extend_from_slice(&c.on);
            buf.extend_from_slice(s);
            buf.extend_from_slice(&c.off);
        }
        None => buf.extend_from_slice(s),
    }
}

/// The pattern of `--time-format` by default.
pub const DEFAULT_TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S%.3f";

/// Appends a time as `--time-format` shows it.
pub fn push_time(buf: &mut Vec<u8>, t: Timestamp, pattern: &str, local: bool) {
    if !local && pattern == DEFAULT_TIME_FORMAT {
        let c = civil(t);
        let at = buf.len();
        if push_date_time(buf, c, b' ') {
            buf.push(b'.');
            push_num(buf, c.6 / 1_000_000, 3);
            return;
        }
        buf.truncate(at);
    }
    buf.extend_from_slice(t.format(pattern, local).as_bytes());
}

/// Appends `s` as a JSON string, as serde_json writes it.
pub fn push_json_str(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    let b = s.as_bytes();
    let mut run = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => b"",
            _ => continue,
        };
        buf.extend_from_slice(&b[run..i]);
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            buf.extend_from_slice(b"\\u00");
            buf.push(HEX[usize::from(c >> 4)]);
            buf.push(HEX[usize::from(c & 15)]);
        } else {
            buf.extend_from_slice(esc);
        }
        run = i + 1;
    }
    buf.extend_from_slice(&b[run..]);
    buf.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_plain_agrees_with_the_bytes() {
        for c in 0..=255u8 {
            for at in 0..20 {
                let mut s = vec![b'a'; 20];
                s[at] = c;
                assert_eq!(all_plain(&s), s.iter().all(|&b| is_plain(b)), "{c} at {at}");
            }
        }
        assert!(all_plain(b""));
        assert!(all_plain("tab\there and there".as_bytes()));
        assert!(!all_plain("caf\u{e9} au lait".as_bytes()));
    }

    #[test]
    fn times_match_chrono() {
        for n in crate::record::civil::INSTANTS {
            let t = Timestamp(i128::from(n));
            let mut a = Vec::new();
            push_time(&mut a, t, DEFAULT_TIME_FORMAT, false);
            assert_eq!(
                String::from_utf8(a).unwrap(),
                t.format(DEFAULT_TIME_FORMAT, false)
            );
        }
    }

    #[test]
    fn json_strings_match_serde_json() {
        for s in [
            "",
            "a\"b\\c",
            "\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}",
            "é ü \u{2028}",
        ] {
            let mut b = Vec::new();
            push_json_str(&mut b, s);
            assert_eq!(
                String::from_utf8(b).unwrap(),
                serde_json::to_string(s).unwrap()
            );
        }
    }

    #[test]
    fn colours_are_what_owo_colors_writes() {
        let c = Colour::of(Paint::new().red().bold());
        let mut b = Vec::new();
        push_painted(&mut b, "x", Some(&c));
        assert_eq!(
            String::from_utf8(b).unwrap(),
            "x".style(Paint::new().red().bold()).to_string()
        );
    }
}
