//! The worked examples, the `-q` query language and the exit statuses,
//! shown by `--help` after the options and written into the man pages.
//!
//! Owns that text, once for both: [`after_help`] lays a page out for the
//! terminal (clap's `after_long_help`), [`roff`] as man page sections.
//! Every example that reads no stdin and follows nothing runs on the
//! sample logs of the repository (a test runs them from `tests/fixtures`,
//! where `logs` is the reference layout), so none of them rots.

use clap::builder::styling::Style;
use clap::builder::StyledStr;

/// A help page: the top command or one subcommand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Top,
    Search,
    Tail,
    Trace,
    Stats,
    Index,
    Completions,
    Man,
}

impl Page {
    /// The page of a subcommand, by its name.
    pub fn of_subcommand(name: &str) -> Option<Page> {
        Some(match name {
            "search" => Page::Search,
            "tail" => Page::Tail,
            "trace" => Page::Trace,
            "stats" => Page::Stats,
            "index" => Page::Index,
            "completions" => Page::Completions,
            "man" => Page::Man,
            _ => return None,
        })
    }
}

/// What a section holds.
enum Body {
    /// `(what it does, the command)`.
    Examples(&'static [(&'static str, &'static str)]),
    /// Text shown as written (a grammar).
    Verbatim(&'static str),
    /// `(term, meaning)` rows.
    Table(&'static [(&'static str, &'static str)]),
}

struct Section {
    /// The heading in `--help`.
    title: &'static str,
    /// The man page section.
    man: &'static str,
    body: Body,
}

const TOP_EXAMPLES: &[(&str, &str)] = &[
    (
        "Errors and worse under ./logs, every file merged in time order",
        "logq logs -l error",
    ),
    (
        "Every record of one request, whatever its correlation field is called",
        "logq logs -c req-abc-123",
    ),
    (
        "The same request as a timeline, with durations drawn as bars",
        "logq trace req-abc-123 logs",
    ),
    (
        "Slow or failed calls (the -q query language is below)",
        "logq logs -q 'duration_ms > 1000 or status = \"failed\"'",
    ),
    (
        "A filter pasted from a jq pipeline",
        "logq logs --jq 'select(.level==\"ERROR\")'",
    ),
    (
        "Warnings and worse from the API modules since 09:00, as JSON",
        "logq logs -m 'src.api.*' -l warn --since '2024-01-15 09:00' -o json",
    ),
    (
        "From a pipe: raw output of a prefixed JSON line is the JSON, ready for jq",
        "docker compose logs | logq -l error | jq .message",
    ),
    (
        "Follow the live files: new records, rotation, new daily files",
        "logq tail -f logs -l warn",
    ),
    (
        "Counts per category over time, in about 40 rows",
        "logq stats logs --by category --every",
    ),
    (
        "min, mean, p50, p90, p99 and max of a field, per module",
        "logq stats logs --field duration_ms --by module",
    ),
];

const SEARCH_EXAMPLES: &[(&str, &str)] = &[
    (
        "Errors and worse under ./logs, in time order (search is the default)",
        "logq search logs -l error",
    ),
    (
        "The last 5 warnings, newest first",
        "logq logs -l =warn --tail 5 --reverse",
    ),
    (
        "How many errors, per category",
        "logq logs -l error --count --by category",
    ),
    (
        "Messages matching a regex, any case",
        "logq logs -g 'connection (lost|reset)' -i",
    ),
    (
        "Records whose field is one of several values",
        "logq logs -q 'context.organization_id in (org_123, org_456)'",
    ),
    (
        "Only some fields in pretty output, without the file column",
        "logq logs -c req-abc-123 -o pretty --fields duration_ms --no-source",
    ),
    (
        "The whole compose line, prefix included, in raw output",
        "docker compose logs | logq -l warn --keep-prefix",
    ),
];

const TAIL_EXAMPLES: &[(&str, &str)] = &[
    (
        "The last 10 records of all files, in time order",
        "logq tail logs",
    ),
    ("The last 3 errors", "logq tail -n 3 logs -l error"),
    (
        "Follow a folder: appended lines, rotation (compressed or not), new daily files",
        "logq tail -f logs -l warn",
    ),
    (
        "Follow a pod's output as it comes",
        "kubectl logs -f deploy/api | logq tail -f -l error",
    ),
];

const TRACE_EXAMPLES: &[(&str, &str)] = &[
    (
        "One request across services and files, as a timeline",
        "logq trace req-abc-123 logs",
    ),
    (
        "A timeline for every request that logged an error",
        "logq trace --ids-from cid -l error logs",
    ),
    (
        "Its records as JSON instead of a timeline",
        "logq trace req-abc-123 logs -o json",
    ),
    (
        "Durations read from a field of your own first",
        "logq trace job-abc123 logs --duration-field elapsed_ms",
    ),
];

const STATS_EXAMPLES: &[(&str, &str)] = &[
    ("Records per level, with percentages", "logq stats logs"),
    (
        "Per service and level",
        "logq stats logs --by service --by level",
    ),
    (
        "Summary of a numeric field per module",
        "logq stats logs --field duration_ms --by module",
    ),
    ("Errors per hour", "logq stats logs -l error --every 1h"),
    (
        "A width chosen for about 40 rows; runs of empty buckets are one line",
        "logq stats logs --every",
    ),
    (
        "One JSON document for scripts",
        "logq stats logs --by category --json",
    ),
];

const COMPLETIONS_EXAMPLES: &[(&str, &str)] = &[
    (
        "bash",
        "logq completions bash > ~/.local/share/bash-completion/completions/logq",
    ),
    (
        "zsh (with fpath+=(~/.zfunc) before compinit in ~/.zshrc)",
        "logq completions zsh > ~/.zfunc/_logq",
    ),
    (
        "fish",
        "logq completions fish > ~/.config/fish/completions/logq.fish",
    ),
];

const MAN_EXAMPLES: &[(&str, &str)] = &[
    (
        "Install the pages (man looks there when ~/.local/bin is on PATH)",
        "logq man --dir ~/.local/share/man/man1",
    ),
    (
        "Read the main page without installing it",
        "logq man | man -l -",
    ),
];

const QUERY: &str = "\
EXPR  = TERM | EXPR and EXPR | EXPR or EXPR | not EXPR | ( EXPR )
TERM  = FIELD OP VALUE | FIELD in (VALUE, VALUE, ...) | exists(FIELD)
OP    = '=' | '!=' | '<' | '<=' | '>' | '>='   compare
        '~'                                  contains
        '=~'                                 matches a regex
        like                                 matches a glob (* ?)
FIELD = a dotted path: duration_ms, context.organization_id, ctx.\"a.b\"
        level, message, module, time, cid, service, category: the record's
        role, whatever its field is called (cid: any correlation field)
        .level (a leading dot): the field named level itself
VALUE = a bare word or a \"JSON string\"

not binds tighter than and, and tighter than or; keywords in any case.
A bare number compares as a number, a quoted value always as text; time
takes what --since takes; level compares by severity (level >= warn).
~, =~ and like are case-sensitive. A test on a missing field is false,
!= included: not (status = ok) also keeps records without status.

  -q 'duration_ms > 1000 or status = \"failed\"'
  -q 'level >= error and module like \"src.api.*\"'
  -q 'exists(context.organization_id) and not (message ~ health)'
  -q 'time >= \"2024-01-15 10:00\" and time < \"2024-01-15 11:00\"'";

const EXIT: &[(&str, &str)] = &[
    (
        "0",
        "at least one record matched; tail -f stopped by Ctrl-C;\n\
         the reader of the output went away (logq ... | head),\n\
         or its pager was quit early",
    ),
    ("1", "no record matched"),
    (
        "2",
        "an error: a bad flag or query, a missing or unreadable file,\n\
         corrupt compressed data (the records found are still printed)",
    ),
    (
        "130",
        "a search stopped by Ctrl-C; what it printed is whole records",
    ),
];

const INDEX_EXAMPLES: &[(&str, &str)] = &[
    (
        "Index every log under ./logs (plain and compressed); queries then skip what cannot match",
        "logq index logs/",
    ),
    (
        "Also index user_id and context.org_id, for -q 'user_id = 42'",
        "logq index --index-field user_id,context.org_id logs/",
    ),
    (
        "What is indexed, and whether each index is still fresh",
        "logq index --status logs/",
    ),
    (
        "Index what is new, and delete the indexes of files that are gone (for cron)",
        "logq index --prune logs/",
    ),
    (
        "A query that reads every file whole, ignoring indexes",
        "logq trace req-abc-123 --no-index logs/",
    ),
];

const INDEX_EXIT: &[(&str, &str)] = &[
    (
        "0",
        "every file was indexed (or was fresh already); --status: shown",
    ),
    (
        "2",
        "an error: a bad flag, a file that could not be read or indexed\n\
         (damaged, binary, over-long lines), a cache folder that cannot be written",
    ),
];

const GENERATE_EXIT: &[(&str, &str)] = &[
    ("0", "written"),
    ("2", "an error (a folder that cannot be written)"),
];

fn sections(page: Page) -> Vec<Section> {
    let examples = |e| Section {
        title: "Examples",
        man: "EXAMPLES",
        body: Body::Examples(e),
    };
    let query = Section {
        title: "Query language (-q)",
        man: "QUERY LANGUAGE",
        body: Body::Verbatim(QUERY),
    };
    let exit = |rows| Section {
        title: "Exit status",
        man: "EXIT STATUS",
        body: Body::Table(rows),
    };
    match page {
        Page::Top => vec![examples(TOP_EXAMPLES), query, exit(EXIT)],
        Page::Search => vec![examples(SEARCH_EXAMPLES), query, exit(EXIT)],
        Page::Tail => vec![examples(TAIL_EXAMPLES), query, exit(EXIT)],
        Page::Trace => vec![examples(TRACE_EXAMPLES), query, exit(EXIT)],
        Page::Stats => vec![examples(STATS_EXAMPLES), query, exit(EXIT)],
        Page::Index => vec![examples(INDEX_EXAMPLES), exit(INDEX_EXIT)],
        Page::Completions => vec![examples(COMPLETIONS_EXAMPLES), exit(GENERATE_EXIT)],
        Page::Man => vec![examples(MAN_EXAMPLES), exit(GENERATE_EXIT)],
    }
}

/// The text `--help` shows after the options: examples, the query
/// language, exit statuses, under headings styled like clap's.
pub fn after_help(page: Page) -> StyledStr {
    let heading = Style::new().bold().underline();
    let mut out = String::new();
    for (i, s) in sections(page).iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("{heading}{}:{heading:#}\n", s.title));
        match &s.body {
            Body::Examples(rows) => {
                for (what, command) in *rows {
                    out.push_str(&format!("  {what}:\n      {command}\n"));
                }
            }
            Body::Verbatim(text) => {
                for line in text.lines() {
                    if line.is_empty() {
                        out.push('\n');
                    } else {
                        out.push_str(&format!("  {line}\n"));
                    }
                }
            }
            Body::Table(rows) => {
                let width = rows
                    .iter()
                    .map(|(t, _)| t.chars().count())
                    .max()
                    .unwrap_or(0);
                for (term, meaning) in *rows {
                    let pad = " ".repeat(width + 2);
                    let meaning = meaning.replace('\n', &format!("\n  {pad}"));
                    out.push_str(&format!("  {term:<width$}  {meaning}\n"));
                }
            }
        }
    }
    StyledStr::from(out)
}

/// The short pointer `-h` shows after the options.
pub const SHORT_AFTER_HELP: &str =
    "Examples, the -q query language and exit statuses: --help, or man logq";

/// The same sections as man page source (roff).
pub fn roff(page: Page) -> String {
    let mut out = String::new();
    for s in sections(page) {
        out.push_str(&format!(".SH \"{}\"\n", s.man));
        match s.body {
            Body::Examples(rows) => {
                for (what, command) in rows {
                    out.push_str(&format!(
                        ".PP\n{}:\n.RS 4\n.nf\n\\fB{}\\fR\n.fi\n.RE\n",
                        escape(what),
                        escape(command)
                    ));
                }
            }
            Body::Verbatim(text) => {
                out.push_str(".PP\n.nf\n");
                for line in text.lines() {
                    out.push_str(&escape(line));
                    out.push('\n');
                }
                out.push_str(".fi\n");
            }
            Body::Table(rows) => {
                for (term, meaning) in rows {
                    let meaning = escape(&meaning.replace('\n', " "));
                    out.push_str(&format!(".TP\n\\fB{}\\fR\n{meaning}\n", escape(term)));
                }
            }
        }
    }
    out
}

/// Text as roff: backslashes and hyphens escaped, apostrophes kept
/// straight (`\*(Aq`, defined by the page's preamble, so commands copy
/// right), and a leading `.` kept from reading as a request.
fn escape(text: &str) -> String {
    let s = text
        .replace('\\', "\\e")
        .replace('-', "\\-")
        .replace('\'', "\\*(Aq");
    if s.starts_with('.') {
        format!("\\&{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roff_escapes_what_troff_would_read() {
        assert_eq!(escape(".level -q a\\b"), "\\&.level \\-q a\\eb");
        assert_eq!(escape("'x'"), "\\*(Aqx\\*(Aq");
    }

    #[test]
    fn every_page_has_examples_and_exit_statuses() {
        for page in [
            Page::Top,
            Page::Search,
            Page::Tail,
            Page::Trace,
            Page::Stats,
            Page::Index,
            Page::Completions,
            Page::Man,
        ] {
            let text = after_help(page).to_string();
            assert!(text.contains("Examples:"), "{page:?}");
            assert!(text.contains("Exit status:"), "{page:?}");
            let man = roff(page);
            assert!(man.contains(".SH \"EXAMPLES\""), "{page:?}");
            assert!(man.contains(".SH \"EXIT STATUS\""), "{page:?}");
        }
    }
}
