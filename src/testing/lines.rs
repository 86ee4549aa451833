//! Generated lines for the differential tests: JSON objects with every
//! kind of escape in keys and values, aliases in every order, the wrappers'
//! shapes, container prefixes, CRLF, invalid UTF-8, and Python text records
//! with tracebacks.

use proptest::prelude::*;

/// Every escape JSON has, and the surrogate cases serde_json decides
/// differently in a key (decoded) and a value (skipped).
const ESCAPES: &[&str] = &[
    r#"\""#,
    r"\\",
    r"\/",
    r"\b",
    r"\f",
    r"\n",
    r"\r",
    r"\t",
    r"\u0041",
    r"\u00e9",
    r"\u20AC",
    r"\u0065",
    r"\u006c",
    r"\u0000",
    r"\u001f",
    r"\ud83d\ude00",
    r"\uDBFF\uDFFF",
];

/// Escapes that serde_json refuses somewhere: lone and reversed
/// surrogates (in a key), bad hex, unknown escapes.
const BAD_ESCAPES: &[&str] = &[
    r"\ud800",
    r"\udbff",
    r"\udc00",
    r"\udfff",
    r"\ude00\ud83d",
    r"\ud800\ud800",
    r"\ud800\u0041",
    r"\ud800\n",
    r"\ud800x",
    r"\u12g4",
    r"\u00",
    r"\q",
    r"\",
];

/// Role names and the wrappers' keys, so that lines hold roles, aliases in
/// every order, duplicates, loguru and logcli shapes.
const KEYS: &[&str] = &[
    "level",
    "levelname",
    "severity",
    "lvl",
    "log",
    "log.level",
    "timestamp",
    "time",
    "ts",
    "asctime",
    "message",
    "msg",
    "text",
    "record",
    "labels",
    "line",
    "module",
    "logger",
    "name",
    "correlation_id",
    "request_id",
    "pid",
    "hostname",
    "x",
    "",
    // Keys that hold a role's name but are not it.
    r#"\"level"#,
    r#"level\""#,
    r"\\level",
    "level ",
];

const STRINGS: &[&str] = &[
    "ERROR",
    "error",
    "info",
    "INFO",
    "warn",
    "WARNING",
    "critical",
    "debug",
    "bogus",
    "req-abc",
    "src.api.routes",
    "src.db",
    "2024-01-15T10:00:00Z",
    "2024-01-15T10:30:00.123+01:00",
    "2024-01-15 10:00:00,123",
    "2024-03-31 02:30:00",
    "yesterday",
    "",
    // A record inside a string: logcli's `line`.
    r#"{\"level\":\"error\",\"timestamp\":\"2024-01-15T10:10:00Z\"}"#,
];

const SCALARS: &[&str] = &[
    "null",
    "true",
    "false",
    "tru",
    "nul",
    "0",
    "-0",
    "01",
    "1.",
    "-",
    "1e5",
    "1E+2",
    "-1.5e-3",
    "1705312800",
    "1705312800.5",
    "1705312800000",
    "40",
    "+1",
    ".5",
    "1e400",
    "[]",
    "{}",
    "[1,]",
    "{\"a\":1,}",
    "[1,[2,{\"b\":[]}]]",
    "{\"level\":\"error\",\"\\ud800\":1}",
];

const BAD_UTF8: &[&[u8]] = &[b"\xff", b"\xc3", b"\xed\xa0\x80"];

/// A string's contents: plain words, escapes of every kind, control
/// characters, non-ASCII and invalid UTF-8 (rarer, so that most lines are
/// records and the lookups are put to the test).
fn contents() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            12 => prop::sample::select(STRINGS).prop_map(|s| s.as_bytes().to_vec()),
            3 => prop::sample::select(KEYS).prop_map(|s| s.as_bytes().to_vec()),
            4 => prop::sample::select(ESCAPES).prop_map(|s| s.as_bytes().to_vec()),
            2 => "[a-z \"{}\\[\\]:,]{1,3}".prop_map(|s| s.replace('"', "\\\"").into_bytes()),
            1 => prop::sample::select(BAD_ESCAPES).prop_map(|s| s.as_bytes().to_vec()),
            1 => "[\"\t\u{7f}é\u{1}\n]".prop_map(String::into_bytes),
            1 => prop::sample::select(BAD_UTF8).prop_map(<[u8]>::to_vec),
        ],
        0..3,
    )
    .prop_map(|parts| parts.concat())
}

/// A key: a role name, maybe with letters written as `\u` escapes, or any
/// string contents.
fn key() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        12 => prop::sample::select(KEYS).prop_map(|k| k.as_bytes().to_vec()),
        4 => (prop::sample::select(KEYS), any::<u64>()).prop_map(|(k, mask)| {
            k.bytes()
                .enumerate()
                .flat_map(|(i, c)| {
                    if mask >> (i % 64) & 1 == 1 {
                        format!("\\u{:04x}", c).into_bytes()
                    } else {
                        vec![c]
                    }
                })
                .collect()
        }),
        2 => contents(),
    ]
}

fn quoted(s: Vec<u8>) -> Vec<u8> {
    [&b"\""[..], &s, b"\""].concat()
}

fn value() -> impl Strategy<Value = Vec<u8>> {
    let leaf = prop_oneof![
        4 => contents().prop_map(quoted),
        2 => prop::sample::select(SCALARS).prop_map(|s| s.as_bytes().to_vec()),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|v| { [&b"["[..], &v.join(&b","[..]), b"]"].concat() }),
            prop::collection::vec((key(), inner), 0..4).prop_map(|kv| {
                let members: Vec<Vec<u8>> = kv
                    .into_iter()
                    .map(|(k, v)| [quoted(k), b":".to_vec(), v].concat())
                    .collect();
                [&b"{"[..], &members.join(&b","[..]), b"}"].concat()
            }),
            // Nesting past serde_json's recursion limit, which a raw value
            // does not have.
            (120usize..140).prop_map(|n| {
                ["[".repeat(n), "1".into(), "]".repeat(n)]
                    .concat()
                    .into_bytes()
            }),
        ]
    })
}

/// A line: an object of generated members with optional spacing, the odd
/// trailing comma or garbage, container prefixes and CRLF.
pub(crate) fn line() -> impl Strategy<Value = Vec<u8>> {
    let member = (key(), value(), prop::sample::select(&["", " ", "\t"][..]));
    (
        prop::sample::select(
            &[
                "",
                "",
                "",
                "api-1  | ",
                "[pod/api-7d9/api] ",
                "2024-01-15T10:30:00.123456789Z ",
                "api-1  | 2024-01-15T10:30:00Z ",
                " ",
            ][..],
        ),
        prop::collection::vec(member, 0..7),
        prop::sample::select(&["", "", "", ",", " x", "\r", "}", " "][..]),
    )
        .prop_map(|(prefix, members, end)| {
            let members: Vec<Vec<u8>> = members
                .into_iter()
                .map(|(k, v, ws)| [quoted(k), ws.as_bytes().to_vec(), b":".to_vec(), v].concat())
                .collect();
            let mut line = prefix.as_bytes().to_vec();
            line.push(b'{');
            line.extend(members.join(&b","[..]));
            if end == "," {
                line.extend(b",}");
            } else {
                line.push(b'}');
                line.extend(end.as_bytes());
            }
            line
        })
}

/// The wrappers' shapes (logcli, loguru), their keys in any order, maybe
/// escaped, maybe with one more member.
pub(crate) fn wrapped() -> impl Strategy<Value = Vec<u8>> {
    let logcli = vec![
        (b"timestamp".to_vec(), br#""2024-01-15T10:00:00Z""#.to_vec()),
        (b"labels".to_vec(), br#"{"app":"api","level":"error"}"#.to_vec()),
        (
            b"line".to_vec(),
            br#""{\"level\":\"info\",\"timestamp\":\"2024-01-15T11:00:00Z\",\"message\":\"inner\"}""#.to_vec(),
        ),
    ];
    let loguru = vec![
        (b"text".to_vec(), br#""outer text""#.to_vec()),
        (
            b"record".to_vec(),
            br#"{"level":{"name":"ERROR"},"time":{"repr":"2024-01-15 10:00:00+00:00"},"message":"m","name":"src.api.routes"}"#.to_vec(),
        ),
    ];
    (
        prop_oneof![Just(logcli), Just(loguru)],
        any::<u64>(),
        prop::option::of((key(), value())),
        any::<bool>(),
    )
        .prop_map(|(mut members, order, extra, escape)| {
            let n = members.len();
            members.rotate_left(order as usize % n);
            if order & 64 == 64 {
                members.swap(0, n - 1);
            }
            if escape {
                let (k, _) = &mut members[0];
                *k = k
                    .iter()
                    .flat_map(|c| format!("\\u{:04x}", c).into_bytes())
                    .collect();
            }
            members.extend(extra);
            let members: Vec<Vec<u8>> = members
                .into_iter()
                .map(|(k, v)| [quoted(k), b":".to_vec(), v].concat())
                .collect();
            [&b"{"[..], &members.join(&b","[..]), b"}"].concat()
        })
}

/// A text record: a head of a Python layout, maybe behind a container
/// prefix, maybe with a traceback (which the message does not hold).
pub(crate) fn text_record() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(&["", "api-1  | ", "[pod/api-7d9/api] "][..]),
        prop::sample::select(
            &[
                "2024-01-15 10:00:00,000 - src.worker - ERROR - job req-abc failed",
                "2024-01-15 10:20:00,000 - src.api.routes - INFO - done",
                "INFO:     127.0.0.1:5000 - \"GET / HTTP/1.1\" 200 OK",
                "WARNING:src.db:slow query req-abc",
            ][..],
        ),
        prop::sample::select(
            &[
                "",
                "\nTraceback (most recent call last):\n  File \"w.py\", line 1\nValueError: boom",
                "\r",
            ][..],
        ),
    )
        .prop_map(|(prefix, head, rest)| {
            let rest = match (prefix, rest.strip_prefix('\n')) {
                // Each continuation line behind the same prefix.
                (p, Some(lines)) if !p.is_empty() => {
                    lines.split('\n').map(|l| format!("\n{p}{l}")).collect()
                }
                _ => rest.to_string(),
            };
            format!("{prefix}{head}{rest}").into_bytes()
        })
}
