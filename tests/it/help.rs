//! `--help`, the man pages and the README explain themselves: worked
//! examples, the `-q` grammar and the exit statuses, with no pointer to a
//! document outside the repository. Every example that needs no pipe and
//! follows nothing is run on the sample logs.

use crate::util::*;

const PAGES: [&[&str]; 8] = [
    &[],
    &["search"],
    &["tail"],
    &["trace"],
    &["stats"],
    &["completions"],
    &["man"],
    &["index"],
];

fn help(sub: &[&str]) -> String {
    let out = logq().args(sub).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{sub:?}");
    assert_eq!(stderr(&out), "");
    stdout(&out)
}

/// The commands of the `Examples:` section of a help page.
fn examples(text: &str) -> Vec<String> {
    let start = text.find("\nExamples:\n").expect("an Examples section");
    text[start + 1..]
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("      "))
        .map(|l| l.trim().to_string())
        .collect()
}

/// Splits a command line as a shell would for these examples: words,
/// single-quoted strings.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

#[test]
fn help_has_examples_the_query_grammar_and_exit_statuses() {
    let top = help(&[]);
    for section in [
        "\nExamples:\n",
        "\nQuery language (-q):\n",
        "\nExit status:\n",
    ] {
        assert!(top.contains(section), "{section:?} in logq --help");
    }
    for line in [
        "  EXPR  = TERM | EXPR and EXPR | EXPR or EXPR | not EXPR | ( EXPR )",
        "  TERM  = FIELD OP VALUE | FIELD in (VALUE, VALUE, ...) | exists(FIELD)",
        "  0    at least one record matched; tail -f stopped by Ctrl-C;",
        "  1    no record matched",
        "  2    an error: a bad flag or query, a missing or unreadable file,",
        "  130  a search stopped by Ctrl-C; what it printed is whole records",
        "      logq logs -l error",
        "      docker compose logs | logq -l error | jq .message",
    ] {
        assert!(
            top.contains(&format!("{line}\n")),
            "{line:?} in logq --help"
        );
    }
    for sub in &PAGES[1..] {
        let text = help(sub);
        assert!(!examples(&text).is_empty(), "examples in {sub:?}");
        assert!(text.contains("\nExit status:\n"), "exit status in {sub:?}");
    }
    for sub in &PAGES[1..5] {
        assert!(help(sub).contains("\nQuery language (-q):\n"), "{sub:?}");
    }
    // -h stays short and says where the rest is.
    let out = logq().arg("-h").output().unwrap();
    assert!(
        stdout(&out).ends_with(
            "\nExamples, the -q query language and exit statuses: --help, or man logq\n"
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn man_pages_carry_the_same_sections() {
    let out = logq().arg("man").output().unwrap();
    let page = stdout(&out);
    let heads: Vec<&str> = page.lines().filter(|l| l.starts_with(".SH")).collect();
    let at = |h: &str| heads.iter().position(|x| *x == h).unwrap_or(usize::MAX);
    assert!(
        at(".SH \"EXAMPLES\"") < at(".SH \"QUERY LANGUAGE\""),
        "{heads:?}"
    );
    assert!(
        at(".SH \"QUERY LANGUAGE\"") < at(".SH \"EXIT STATUS\""),
        "{heads:?}"
    );
    assert!(at(".SH \"EXIT STATUS\"") < at(".SH VERSION"), "{heads:?}");
    assert!(
        page.contains(
            "\\fBlogq logs \\-q \\*(Aqduration_ms > 1000 or status = \"failed\"\\*(Aq\\fR\n"
        ),
        "commands keep straight quotes and hyphens"
    );
    // The help text is not repeated as one reflowed paragraph.
    assert!(!page.contains(".SH EXTRA"));
}

#[test]
fn every_example_runs_on_the_sample_logs() {
    let mut ran = 0;
    // `logq index` writes its indexes here.
    let cache = tempfile::tempdir().unwrap();
    for sub in PAGES {
        for example in examples(&help(sub)) {
            let argv = words(&example);
            let runnable = argv.first().map(String::as_str) == Some("logq")
                && !example.contains(['|', '>', '~'])
                && !argv
                    .iter()
                    .any(|a| a == "-f" || a == "completions" || a == "man");
            if !runnable {
                continue;
            }
            let out = logq()
                .current_dir(root().join("tests/fixtures"))
                .env("LOGQ_CACHE_DIR", cache.path())
                .args(&argv[1..])
                .output()
                .unwrap();
            assert_eq!(
                (out.status.code(), stderr(&out)),
                (Some(0), String::new()),
                "{example}"
            );
            assert!(!out.stdout.is_empty(), "{example}");
            ran += 1;
        }
    }
    assert!(ran >= 20, "only {ran} examples ran");
}

#[test]
fn every_query_example_of_the_grammar_parses() {
    let top = help(&[]);
    let queries: Vec<String> = top
        .lines()
        .filter_map(|l| l.trim().strip_prefix("-q '"))
        .map(|q| q.trim_end_matches('\'').to_string())
        .collect();
    assert_eq!(queries.len(), 4, "{queries:?}");
    for q in queries {
        let out = logq()
            .args(["tests/fixtures/logs", "-q", &q])
            .output()
            .unwrap();
        assert_eq!(
            (out.status.code(), stderr(&out)),
            (Some(0), String::new()),
            "{q}"
        );
    }
}

#[test]
fn readme_and_help_point_to_nothing_outside_the_repository() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut texts = vec![("README.md".to_string(), readme.clone())];
    for sub in PAGES {
        texts.push((format!("logq {} --help", sub.join(" ")), help(sub)));
    }
    for (name, text) in &texts {
        assert!(!text.contains("SPEC"), "{name} mentions SPEC");
        let lower = text.to_lowercase();
        for (i, _) in lower.match_indices("issue") {
            let next = lower[i + 5..].trim_start_matches([' ', '#']);
            assert!(
                !next.starts_with(|c: char| c.is_ascii_digit()),
                "{name} points to an issue: {}",
                &text[i..(i + 12).min(text.len())]
            );
        }
    }
    // How to install, with completions and man pages, for three shells.
    for line in [
        "cargo install --locked --path .",
        "logq completions bash > ~/.local/share/bash-completion/completions/logq",
        "logq completions zsh > ~/.zfunc/_logq",
        "logq completions fish > ~/.config/fish/completions/logq.fish",
        "logq man --dir ~/.local/share/man/man1",
    ] {
        assert!(readme.contains(line), "README: {line}");
    }
}
