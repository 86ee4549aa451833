//! "Did you mean …?": the nearest of some known names to a word typed.
//!
//! Owns the edit distance (Damerau–Levenshtein, optimal string alignment:
//! insertions, deletions, substitutions and swaps of two neighbours each
//! count one, over characters) and the choice of a suggestion. What the
//! names are (subcommands, fields seen in records) is the caller's
//! business; a suggestion is only ever a hint, never acted upon.

/// The number of edits between `a` and `b`: `serach`/`search` and
/// `stat`/`stats` are 1 apart, `durationms`/`duration_ms` too.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the table: two back (for swaps), one back, current.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The name `word` was most likely meant to be: one edit away, or the
/// only name it starts (at least two characters: `sta` is `stats`, `t`
/// could be `tail` or `trace`). The first of the names wins a tie.
pub fn one_edit<'n>(word: &str, names: &[&'n str]) -> Option<&'n str> {
    if let Some(n) = names.iter().find(|n| distance(word, n) == 1) {
        return Some(n);
    }
    let starts: Vec<&&str> = names
        .iter()
        .filter(|n| word.chars().count() >= 2 && n.starts_with(word) && n.len() > word.len())
        .collect();
    match starts.as_slice() {
        [n] => Some(n),
        _ => None,
    }
}

/// The closest of `names` to `word`, when it is close enough to be a typo:
/// at most a third of the word's length in edits (at least one), ignoring
/// case and the separators `_`, `-` and `.` first (`durationMs` is
/// `duration_ms`). Ties go to the name seen first.
pub fn nearest<'n>(word: &str, names: impl IntoIterator<Item = &'n str>) -> Option<&'n str> {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-' | '.'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let folded = fold(word);
    let budget = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for name in names {
        if name == word {
            continue;
        }
        let d = if fold(name) == folded {
            0
        } else {
            distance(word, name)
        };
        if d <= budget && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, name));
        }
    }
    best.map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_each_kind_of_edit_once() {
        assert_eq!(distance("search", "search"), 0);
        assert_eq!(distance("serach", "search"), 1, "a swap");
        assert_eq!(distance("trcae", "trace"), 1);
        assert_eq!(distance("tial", "tail"), 1);
        assert_eq!(distance("stat", "stats"), 1, "an insertion");
        assert_eq!(distance("statss", "stats"), 1, "a deletion");
        assert_eq!(distance("stabs", "stats"), 1, "a substitution");
        assert_eq!(distance("", "man"), 3);
        assert_eq!(distance("man", ""), 3);
        assert_eq!(distance("ca", "abc"), 3, "optimal string alignment");
        assert_eq!(distance("durationms", "duration_ms"), 1);
        assert_eq!(distance("é", "e"), 1, "characters, not bytes");
    }

    #[test]
    fn one_edit_or_an_unambiguous_start() {
        let subs = [
            "search",
            "tail",
            "trace",
            "stats",
            "completions",
            "man",
            "help",
        ];
        assert_eq!(one_edit("serach", &subs), Some("search"));
        assert_eq!(one_edit("stat", &subs), Some("stats"));
        assert_eq!(one_edit("trcae", &subs), Some("trace"));
        assert_eq!(one_edit("tial", &subs), Some("tail"));
        assert_eq!(one_edit("Search", &subs), Some("search"));
        assert_eq!(one_edit("sea", &subs), Some("search"));
        assert_eq!(one_edit("compl", &subs), Some("completions"));
        assert_eq!(one_edit("t", &subs), None);
        assert_eq!(one_edit("s", &subs), None);
        assert_eq!(one_edit("logs", &subs), None);
        assert_eq!(one_edit("search", &subs), None, "not a typo");
    }

    #[test]
    fn nearest_is_close_enough_or_nothing() {
        let seen = ["timestamp", "duration_ms", "level", "durationMs2", "status"];
        assert_eq!(nearest("durationms", seen), Some("duration_ms"));
        assert_eq!(nearest("DurationMs", seen), Some("duration_ms"));
        assert_eq!(nearest("stauts", seen), Some("status"));
        assert_eq!(nearest("levle", seen), Some("level"));
        assert_eq!(nearest("xyz", seen), None);
        assert_eq!(nearest("user_id", seen), None);
        assert_eq!(nearest("level", seen), None, "the word itself is no hint");
        assert_eq!(nearest("a", ["b", "c"]), Some("b"));
    }
}
