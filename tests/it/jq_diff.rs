//! Differential test: `logq --jq` keeps exactly the records `jq` 1.6 keeps,
//! in the same order.
//!
//! A seeded generator writes random records (nested objects and arrays,
//! integers and floats in several spellings, numeric strings, nulls,
//! booleans, unicode and escapes, missing and duplicate keys) and random
//! filters within the `--jq` subset. For each filter, `jq -c 'select(F) |
//! .id'` over the whole file (jq reports a runtime error for a record on
//! stderr and goes on with the next one, exit status 5) is what jq 1.6
//! printed (committed, see `crate::jq`), and `logq --jq F` prints the raw
//! lines it keeps, in-process; the two lists of ids must be equal (records
//! without times keep the file's order). Replay a failure with
//! `LOGQ_JQ_DIFF_SEED=<seed>`, widen the search with
//! `LOGQ_JQ_DIFF_ROUNDS=<filters per seed>`; programs not recorded need
//! jq 1.6 installed and `LOGQ_JQ_GOLDEN=live`.

use crate::jq::jq_1_6;
use crate::util::*;
use std::collections::BTreeSet;
use std::fmt::Write as _;

const DEFAULT_SEED: u64 = 0x5EED_1061_u64;
const RECORDS: usize = 240;
const FILTERS: usize = 60;

/// SplitMix64: tiny, seeded, good enough to pick from lists.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'l>(&mut self, list: &[&'l str]) -> &'l str {
        list[self.below(list.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Top-level keys as written in the JSON text (`x\u002dy` is `x-y`).
const KEYS: [&str; 12] = [
    "a",
    "b",
    "n",
    "s",
    "lvl",
    "level",
    "x-y",
    "é",
    "tags",
    "ctx",
    "msg",
    "x\\u002dy",
];
const INNER_KEYS: [&str; 4] = ["a", "b", "k", "é"];
const NUMBERS: [&str; 18] = [
    "0",
    "1",
    "-1",
    "2",
    "3",
    "10",
    "42",
    "100",
    "1000",
    "1.5",
    "-0.5",
    "1e3",
    "2.50",
    "0.1",
    "1E2",
    "-0",
    "9007199254740993",
    "1.00000000000000011",
];
/// JSON string bodies, escapes included.
const STRINGS: [&str; 28] = [
    "",
    "a",
    "A",
    "abc",
    "ABC",
    "warn",
    "WARN",
    "Warning",
    "error",
    "10",
    "42",
    "1e2",
    " 5",
    "1.5",
    "é",
    "É",
    "日本",
    "a\\\"b",
    "a\\\\b",
    "tab\\there",
    "ab\\nc",
    "x-y",
    "null",
    "😀",
    "\\u00e9t\\u00e9",
    "\\u0000z",
    "x\\n",
    "a b\\nx",
];

fn value(rng: &mut Rng, depth: usize, out: &mut String) {
    let kinds = if depth >= 3 { 6 } else { 8 };
    match rng.below(kinds) {
        0 => out.push_str("null"),
        1 => out.push_str(if rng.chance(50) { "true" } else { "false" }),
        2 | 3 => out.push_str(rng.pick(&NUMBERS)),
        4 | 5 => {
            let _ = write!(out, "\"{}\"", rng.pick(&STRINGS));
        }
        6 => {
            out.push('[');
            for i in 0..rng.below(4) {
                if i > 0 {
                    out.push(',');
                }
                value(rng, depth + 1, out);
            }
            out.push(']');
        }
        _ => {
            out.push('{');
            for i in 0..rng.below(4) {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "\"{}\":", rng.pick(&INNER_KEYS));
                value(rng, depth + 1, out);
            }
            out.push('}');
        }
    }
}

fn record(rng: &mut Rng, id: usize) -> String {
    let mut out = format!("{{\"id\":{id}");
    for _ in 0..rng.below(7) {
        let _ = write!(out, ",\"{}\":", rng.pick(&KEYS));
        value(rng, 0, &mut out);
    }
    out.push('}');
    out
}

fn path(rng: &mut Rng) -> String {
    let base = rng.pick(&[
        ".a",
        ".b",
        ".n",
        ".s",
        ".lvl",
        ".level",
        ".msg",
        ".[\"x-y\"]",
        ".\"x-y\"",
        ".[\"é\"]",
        ".tags",
        ".ctx",
        ".ctx.a",
        ".ctx.k",
        ".ctx[\"é\"]",
        ".tags[0]",
        ".tags[-1]",
        ".a.b",
        ".a[1]",
        ".missing",
        ".",
    ]);
    if rng.chance(15) {
        format!("{base}?")
    } else {
        base.to_string()
    }
}

fn literal(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => rng.pick(&["null", "true", "false"]).to_string(),
        1 | 2 => rng
            .pick(&[
                "0",
                "1",
                "-1",
                "1.5",
                "10",
                "42",
                "100",
                "1e2",
                "0.1",
                "3",
                "9007199254740992",
                "1.0000000000000002",
            ])
            .to_string(),
        3 | 4 => string_literal(rng),
        _ => rng
            .pick(&[
                "[]",
                "[\"a\"]",
                "[1]",
                "{}",
                "{\"a\":1}",
                "{\"k\":\"a\"}",
                "[null,true]",
            ])
            .to_string(),
    }
}

fn string_literal(rng: &mut Rng) -> String {
    rng.pick(&[
        "\"\"",
        "\"a\"",
        "\"abc\"",
        "\"warn\"",
        "\"WARN\"",
        "\"10\"",
        "\"42\"",
        "\"é\"",
        "\"A\"",
        "\"b\"",
        "\"x-y\"",
        "\"ab\\nc\"",
    ])
    .to_string()
}

fn cmp_op(rng: &mut Rng) -> &'static str {
    rng.pick(&["==", "!=", "<", "<=", ">", ">="])
}

/// A generator for `IN`, `any` and `all`: one to three outputs, some of
/// which may raise (`.a` on a string) or be silenced (`(.a)?`).
fn generator(rng: &mut Rng) -> String {
    let mut parts = Vec::new();
    for _ in 0..1 + rng.below(3) {
        parts.push(match rng.below(5) {
            0 | 1 => literal(rng),
            2 => rng.pick(&[".a", ".k", ".[0]", ".[\"é\"]", "."]).to_string(),
            3 => format!("({})?", rng.pick(&[".a", ".[1]", ".k.a"])),
            _ => rng.pick(&[".a?", ".[0]?", "(.a, .b)?"]).to_string(),
        });
    }
    parts.join(", ")
}

/// A condition on one element, for `any(c)`, `all(c)` and `any(g; c)`.
fn element_condition(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => ".".to_string(),
        1 => format!(". {} {}", cmp_op(rng), literal(rng)),
        2 => format!(
            "type == \"{}\"",
            rng.pick(&["null", "boolean", "number", "string", "array", "object"])
        ),
        3 => rng.pick(&[".a", ".k", ".[0]?", ".a?", "(.a)?"]).to_string(),
        4 => format!("length {} {}", cmp_op(rng), rng.pick(&["0", "1", "2"])),
        _ => format!("(. {} {}), .", cmp_op(rng), literal(rng)),
    }
}

/// A builtin applied to the value piped in: `contains("a")`, `length > 2`…
fn builtin(rng: &mut Rng) -> String {
    match rng.below(12) {
        0 => format!("contains({})", literal(rng)),
        1 => format!(
            "{}({})",
            rng.pick(&["startswith", "endswith"]),
            string_literal(rng)
        ),
        2 => {
            let re = rng.pick(&[
                "\"a\"",
                "\"^a\"",
                "\"c$\"",
                "\"\\\\d\"",
                "\"[0-9]+\"",
                "\"é\"",
                "\"^$\"",
                "\".\"",
                "\"W.RN\"",
                "\"^[a-z]+$\"",
                "\"b|x\"",
                "\"\\\\s\"",
                "\"^\\\\w+$\"",
                "\"x$\"",
                "\"x\\\\Z\"",
                "\"a b\"",
                "\"[ab] x\"",
            ]);
            match rng.below(3) {
                0 => format!("test({re})"),
                _ => format!(
                    "test({re}; {})",
                    rng.pick(&["\"\"", "\"i\"", "\"x\"", "\"g\"", "\"gi\"", "null"])
                ),
            }
        }
        3 => format!(
            "{} {} {}",
            rng.pick(&["ascii_downcase", "ascii_upcase"]),
            cmp_op(rng),
            string_literal(rng)
        ),
        4 => format!(
            "length {} {}",
            cmp_op(rng),
            rng.pick(&["0", "1", "2", "3", "0.5", "5"])
        ),
        5 => format!(
            "has({})",
            rng.pick(&["\"a\"", "\"k\"", "\"é\"", "\"id\"", "0", "1", "-1"])
        ),
        6 => format!(
            "type == \"{}\"",
            rng.pick(&["null", "boolean", "number", "string", "array", "object"])
        ),
        7 => "not".to_string(),
        8 => format!("IN({})", generator(rng)),
        9 => match rng.below(3) {
            0 => rng.pick(&["any", "all"]).to_string(),
            _ => format!("{}({})", rng.pick(&["any", "all"]), element_condition(rng)),
        },
        10 => format!(
            "{}({}; {})",
            rng.pick(&["any", "all"]),
            generator(rng),
            element_condition(rng)
        ),
        _ => format!(". {} {}", cmp_op(rng), literal(rng)),
    }
}

fn condition(rng: &mut Rng, depth: usize) -> String {
    let choices = if depth >= 2 { 11 } else { 17 };
    match rng.below(choices) {
        0 | 1 => format!("{} {} {}", path(rng), cmp_op(rng), literal(rng)),
        2 => format!("{} {} {}", literal(rng), cmp_op(rng), path(rng)),
        3 => format!("{} {} {}", path(rng), cmp_op(rng), path(rng)),
        4 => path(rng),
        10 => format!("IN({}; {})", generator(rng), generator(rng)),
        5 | 6 => format!("{} | {}", path(rng), builtin(rng)),
        // jq 1.6's `try` also silences errors raised downstream of it.
        7 => format!("({})? | {}", path(rng), builtin(rng)),
        8 => format!("({} | {})?", path(rng), builtin(rng)),
        9 => format!(
            "({} // {}) {} {}",
            path(rng),
            literal(rng),
            cmp_op(rng),
            literal(rng)
        ),
        11 | 12 => format!(
            "{} {} {}",
            condition(rng, depth + 1),
            rng.pick(&["and", "or"]),
            condition(rng, depth + 1)
        ),
        13 => format!("({}) | not", condition(rng, depth + 1)),
        14 => format!("({})?", condition(rng, depth + 1)),
        15 => format!("({}) // {}", condition(rng, depth + 1), path(rng)),
        _ => format!(
            "({}) // ({})",
            condition(rng, depth + 1),
            condition(rng, depth + 1)
        ),
    }
}

/// A `--jq` program and the jq program that prints the ids it keeps.
fn program(rng: &mut Rng) -> (String, String) {
    let a = condition(rng, 0);
    match rng.below(4) {
        0 => (format!("select({a}) | ."), format!("select({a}) | . | .id")),
        1 => {
            let b = condition(rng, 1);
            (
                format!("select({a}) | select({b})"),
                format!("select({a}) | select({b}) | .id"),
            )
        }
        _ => (format!("select({a})"), format!("select({a}) | .id")),
    }
}

fn jq_ids(program: &str, seed: u64, path: &str) -> Vec<u64> {
    let name = format!("jq_diff: {RECORDS} records of seed {seed:#x}");
    jq_1_6(program, &name, std::path::Path::new(path))
        .lines()
        .map(|l| l.parse().unwrap_or_else(|_| panic!("jq printed {l:?}")))
        .collect()
}

fn logq_ids(filter: &str, path: &str) -> Vec<u64> {
    // `--jq=F`: a filter may start with `-` (`-1 < .n`).
    let out = logq_in_process(["-o", "raw", &format!("--jq={filter}"), path]);
    assert!(
        matches!(out.code, 0 | 1),
        "logq failed on {filter}: {:?}",
        out.error
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            v["id"].as_u64().unwrap_or_else(|| panic!("no id in {l}"))
        })
        .collect()
}

fn env_number(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim();
    match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => v.parse().ok(),
    }
}

#[test]
fn jq_and_logq_keep_the_same_records() {
    let seed = env_number("LOGQ_JQ_DIFF_SEED").unwrap_or(DEFAULT_SEED);
    let filters = env_number("LOGQ_JQ_DIFF_ROUNDS").map_or(FILTERS, |n| n as usize);
    let mut rng = Rng(seed);
    let lines: Vec<String> = (0..RECORDS).map(|id| record(&mut rng, id)).collect();
    let dir = tempdir();
    let path = write(
        dir.path(),
        "random.jsonl",
        (lines.join("\n") + "\n").as_bytes(),
    );
    let mut kept = 0;
    for _ in 0..filters {
        let (filter, jq_program) = program(&mut rng);
        let want = jq_ids(&jq_program, seed, &path);
        let got = logq_ids(&filter, &path);
        if want != got {
            let (w, g): (BTreeSet<u64>, BTreeSet<u64>) = (
                want.iter().copied().collect(),
                got.iter().copied().collect(),
            );
            let differ: Vec<&String> = w
                .symmetric_difference(&g)
                .filter_map(|id| lines.get(*id as usize))
                .collect();
            panic!(
                "seed {seed:#x}: logq --jq '{filter}' disagrees with jq '{jq_program}'\n\
                 jq keeps {want:?}\nlogq keeps {got:?}\nrecords that differ:\n{}",
                differ
                    .iter()
                    .map(|l| format!("  {l}\n"))
                    .collect::<String>()
            );
        }
        kept += want.len();
    }
    // A generator that never selects anything (or everything) would prove
    // little: make sure the filters discriminate.
    assert!(kept > 0 && kept < filters * RECORDS, "kept {kept}");
}

#[test]
fn generated_records_are_valid_json() {
    let mut rng = Rng(DEFAULT_SEED);
    for id in 0..500 {
        let line = record(&mut rng, id);
        assert!(
            serde_json::from_str::<serde_json::Value>(&line).is_ok(),
            "{line}"
        );
    }
}
