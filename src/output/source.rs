//! The source column of pretty output: which file a record came from.
//!
//! Owns shortening file names for that column. With several files the full
//! paths mostly repeat one another (`logs/app/…`, `logs/chat/…`), so each
//! file is shown by the fewest trailing path components that tell it apart
//! from every other input: `api.log` and `app.log`, or `a/app.log` and
//! `b/app.log` when two folders hold the same name. The column is as wide as
//! the widest label; a file that appears later (a new daily file under
//! `tail -f`) is shown by its file name.

use std::collections::HashMap;
use std::path::{Component, Path};

/// The labels of the inputs, keyed by the name the printers get
/// (`Item::source`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceColumn {
    labels: HashMap<String, String>,
    width: usize,
}

impl SourceColumn {
    /// The column for inputs named `names` (as `Input::display` gives them).
    pub fn new(names: &[String]) -> SourceColumn {
        let parts: Vec<Vec<String>> = names.iter().map(|n| components(n)).collect();
        let mut labels = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            let mine = &parts[i];
            let mut k = 1;
            while k < mine.len()
                && parts
                    .iter()
                    .enumerate()
                    .any(|(j, other)| j != i && other != mine && ends_alike(mine, other, k))
            {
                k += 1;
            }
            let start = mine.len().saturating_sub(k);
            let label = mine.get(start..).unwrap_or_default().join("/");
            labels.insert(name.clone(), label);
        }
        let width = labels
            .values()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0);
        SourceColumn { labels, width }
    }

    /// The label of a source, padded to the column width.
    pub fn cell(&self, source: &str) -> String {
        let label = match self.labels.get(source) {
            Some(l) => l.clone(),
            None => components(source).pop().unwrap_or_default(),
        };
        format!("{label:<w$}", w = self.width)
    }
}

/// The path's normal components (`./`, `..` and the root left out).
fn components(name: &str) -> Vec<String> {
    Path::new(name)
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect()
}

/// Whether the last `k` components of `a` and `b` are the same.
fn ends_alike(a: &[String], b: &[String], k: usize) -> bool {
    a.len() >= k && b.len() >= k && a[a.len() - k..] == b[b.len() - k..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(names: &[&str]) -> Vec<String> {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let col = SourceColumn::new(&names);
        names.iter().map(|n| col.cell(n)).collect()
    }

    #[test]
    fn file_names_when_they_differ() {
        assert_eq!(
            labels(&["logs/api.log", "logs/app.log"]),
            ["api.log", "app.log"]
        );
        assert_eq!(
            labels(&[
                "tests/fixtures/logs/app/app_2024-01-15.jsonl",
                "tests/fixtures/logs/chat/chat_2024-01-15.jsonl",
            ]),
            ["app_2024-01-15.jsonl ", "chat_2024-01-15.jsonl"]
        );
    }

    #[test]
    fn folders_only_where_names_collide() {
        assert_eq!(
            labels(&["/srv/a/app.log", "/srv/b/app.log", "/srv/b/worker.log"]),
            ["a/app.log ", "b/app.log ", "worker.log"]
        );
        assert_eq!(
            labels(&["x/y/app.log", "z/y/app.log"]),
            ["x/y/app.log", "z/y/app.log"]
        );
    }

    #[test]
    fn unknown_sources_show_their_file_name() {
        let col = SourceColumn::new(&["logs/a.log".into(), "logs/bb.log".into()]);
        assert_eq!(
            col.cell("logs/app_2024-01-16.jsonl"),
            "app_2024-01-16.jsonl"
        );
        assert_eq!(col.cell("<stdin>"), "<stdin>");
    }
}
