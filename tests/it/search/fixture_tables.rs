//! Every record of every fixture, as `logq -o json` normalizes it, against
//! the tables of `tests/fixtures/README.md` (written by `generate.py` from a
//! small Python reference of SPEC §2, so an independent oracle).

use crate::util::*;
use serde_json::Value;
use std::collections::BTreeMap;

/// One table row: column name → cell.
type Row = BTreeMap<String, String>;

/// The record tables of the fixture README, by file (`logs/app/…`).
fn tables() -> Vec<(String, Vec<Row>)> {
    let text = std::fs::read_to_string(root().join("tests/fixtures/README.md")).unwrap();
    let mut out: Vec<(String, Vec<Row>)> = Vec::new();
    let mut file: Option<String> = None;
    let mut header: Option<Vec<String>> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("### `") {
            file = rest.split('`').next().map(str::to_string);
            header = None;
            continue;
        }
        let Some(name) = &file else { continue };
        if !line.starts_with('|') {
            if header.is_some() {
                file = None;
                header = None;
            }
            continue;
        }
        let cells: Vec<String> = split_row(line);
        if cells.iter().all(|c| c.chars().all(|ch| ch == '-')) {
            continue;
        }
        match &header {
            None if cells.first().map(String::as_str) == Some("line") => {
                header = Some(cells);
                out.push((name.clone(), Vec::new()));
            }
            None => {}
            Some(h) => {
                let row: Row = h.iter().cloned().zip(cells).collect();
                if let Some(last) = out.last_mut() {
                    last.1.push(row);
                }
            }
        }
    }
    out
}

/// The cells of a markdown table row (`\|` is a literal bar).
fn split_row(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cur.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cur).trim().to_string()),
            c => cur.push(c),
        }
    }
    cells.push(cur.trim().to_string());
    cells
}

/// A cell as the JSON value logq should give: `—` is null, backticks go.
fn expected(cell: &str) -> Value {
    match cell {
        "—" => Value::Null,
        c => Value::String(c.trim_matches('`').to_string()),
    }
}

#[test]
fn every_fixture_record_matches_the_fixture_readme() {
    let tables = tables();
    assert!(tables.len() >= 14, "found {} tables", tables.len());
    let mut checked = 0;
    for (file, rows) in &tables {
        let mut cmd = logq();
        cmd.arg(fixture(file)).args(["-o", "json"]);
        if file.ends_with("custom_fields.jsonl") {
            cmd.args(["--field-map", "level=sev", "--field-map", "message=body"]);
        }
        let out = cmd.output().unwrap();
        let by_line: BTreeMap<String, Value> = stdout(&out)
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                let line = v["source"]
                    .as_str()
                    .unwrap()
                    .rsplit(':')
                    .next()
                    .unwrap()
                    .to_string();
                (line, v)
            })
            .collect();
        assert_eq!(by_line.len(), rows.len(), "{file}: number of records");
        for row in rows {
            let rec = &by_line[&row["line"]];
            let what = format!("{file}:{}", row["line"]);
            for (column, key) in [
                ("time (UTC)", "timestamp"),
                ("expected time (UTC)", "timestamp"),
                ("level", "level"),
                ("level (normalized)", "level"),
                ("module", "module"),
                ("service", "service"),
                ("cid", "cid"),
                ("category", "category"),
                ("message", "message"),
                ("body", "message"),
            ] {
                let Some(cell) = row.get(column) else {
                    continue;
                };
                // Long or escaped messages are shortened in the README.
                if cell.contains('…') || cell.contains('\\') {
                    continue;
                }
                let mut got = rec[key].clone();
                // Text records list their first line; the rest is counted.
                if key == "message" && row.get("continuation lines").is_some_and(|n| n != "0") {
                    let text = got.as_str().unwrap_or("");
                    let more = text.split('\n').count() - 1;
                    assert_eq!(more.to_string(), row["continuation lines"], "{what}");
                    let first = text.lines().next().unwrap_or("");
                    got = Value::String(first.to_string());
                }
                assert_eq!(got, expected(cell), "{what}: {column}");
                checked += 1;
            }
        }
    }
    assert!(checked > 800, "only {checked} cells checked");
}
