//! The command line, as clap structs. No logic lives here: `settings`
//! turns these into resolved values.

use crate::manual::{self, Page};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Explore structured application logs: search, follow, trace, stats.
///
/// Reads JSON lines (plain, docker compose, loguru), Python logging text,
/// gzip/zstd/bzip2/xz files, directories and stdin. With no subcommand,
/// `search` is run.
#[derive(Debug, Parser)]
#[command(
    name = "logq",
    version,
    about,
    long_about = None,
    args_conflicts_with_subcommands = true,
    after_help = manual::SHORT_AFTER_HELP,
    after_long_help = manual::after_help(Page::Top)
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub search: SearchArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Search records, in time order across all inputs (the default)
    #[command(
        after_help = manual::SHORT_AFTER_HELP,
        after_long_help = manual::after_help(Page::Search)
    )]
    Search(SearchArgs),
    /// Show the last records, and keep following with -f
    #[command(
        after_help = manual::SHORT_AFTER_HELP,
        after_long_help = manual::after_help(Page::Tail)
    )]
    Tail(TailArgs),
    /// Show every record of one request, across services, as a timeline
    #[command(
        after_help = manual::SHORT_AFTER_HELP,
        after_long_help = manual::after_help(Page::Trace)
    )]
    Trace(TraceArgs),
    /// Count records by level or field, summarize numbers, draw histograms
    #[command(
        after_help = manual::SHORT_AFTER_HELP,
        after_long_help = manual::after_help(Page::Stats)
    )]
    Stats(StatsArgs),
    /// Build sidecar indexes so that queries read only what may match
    #[command(after_long_help = manual::after_help(Page::Index))]
    Index(IndexArgs),
    /// Print shell completions
    #[command(after_long_help = manual::after_help(Page::Completions))]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (or write all pages into a directory)
    #[command(after_long_help = manual::after_help(Page::Man))]
    Man {
        /// Write logq.1 and one page per subcommand into this directory
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Filters shared by every subcommand (SPEC §3).
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Filters")]
pub struct FilterArgs {
    /// This level and above (warn keeps warning, error, critical); =LEVEL for exactly one
    #[arg(short = 'l', long, value_name = "LEVEL")]
    pub level: Option<String>,
    /// Module glob (src.api.*), repeatable = OR; !GLOB excludes
    #[arg(short = 'm', long, value_name = "GLOB")]
    pub module: Vec<String>,
    /// Any correlation field equals ID (repeatable = OR)
    #[arg(short = 'c', long, value_name = "ID")]
    pub cid: Vec<String>,
    /// Records at or after T (RFC3339, YYYY-MM-DD[ HH:MM[:SS]], today, yesterday, -15m, 2h)
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// Records before T (same forms as --since)
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub until: Option<String>,
    /// Regex on the message
    #[arg(short = 'g', long, value_name = "REGEX")]
    pub grep: Option<String>,
    /// Treat --grep as a literal string
    #[arg(short = 'F', long = "fixed-strings")]
    pub fixed_strings: bool,
    /// Make --grep ignore case
    #[arg(short = 'i', long)]
    pub ignore_case: bool,
    /// Make --grep search the whole raw line, not only the message
    #[arg(long)]
    pub grep_line: bool,
    /// Category (the category field, else the first folder), repeatable = OR
    #[arg(long, value_name = "NAME")]
    pub category: Vec<String>,
    /// Field query: 'duration_ms > 1000 or status = "failed"'
    #[arg(short = 'q', long, value_name = "EXPR")]
    pub query: Vec<String>,
    /// jq select filter, pasted from a jq pipeline: 'select(.level=="error")'
    #[arg(long, value_name = "FILTER")]
    pub jq: Vec<String>,
}

/// Inputs and how they are read.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Input")]
pub struct InputArgs {
    /// Files or directories; - for stdin (default: stdin if it is a pipe or a file, else
    /// $LOGQ_DIR, else ./logs)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Which files a directory yields (repeatable; !GLOB excludes)
    #[arg(long, value_name = "GLOB")]
    pub glob: Vec<String>,
    /// Use NAME as a field for ROLE (level=severity, cid=ctx.req)
    #[arg(long, value_name = "ROLE=NAME")]
    pub field_map: Vec<String>,
    /// Zone of record times written without one: an IANA name (Europe/Berlin), local or UTC
    /// (default: local for Python text, loguru and asctime, UTC for other JSON)
    #[arg(long, value_name = "ZONE")]
    pub input_tz: Option<String>,
    /// Print unparsed lines too
    #[arg(long)]
    pub show_invalid: bool,
    /// Number of threads, at most 256 (default: all cores)
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Search files with NUL bytes too (default: skip them as binary at the first NUL)
    #[arg(short = 'a', long)]
    pub binary: bool,
    /// Skip (and report) lines longer than this: bytes, or with K, M or G (default: 64M)
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_line_bytes: Option<usize>,
    /// Turn off the fast paths (prefilter, time seek, mmap); for checking them
    #[arg(long, hide = true)]
    pub no_fast_paths: bool,
    /// Bytes per parallel chunk (testing knob)
    #[arg(long, hide = true, value_name = "BYTES")]
    pub chunk_size: Option<usize>,
    /// Read every file whole: use no index built by `logq index`
    #[arg(long, help_heading = "Index")]
    pub no_index: bool,
    /// Where indexes are (default: $LOGQ_CACHE_DIR, else $XDG_CACHE_HOME/logq, else ~/.cache/logq)
    #[arg(long, value_name = "DIR", help_heading = "Index")]
    pub index_dir: Option<PathBuf>,
    /// Index finished files that have no fresh index before searching (search, trace, stats;
    /// meant for LOGQ_CONFIG)
    #[arg(long, help_heading = "Index")]
    pub auto_index: bool,
}

/// When to use colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// `-o`: the output formats (`output::Format` once resolved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Pretty,
    Json,
    Raw,
    Logfmt,
}

/// `--pager`: when to page (`output::pager::Paging` once resolved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Paging {
    /// Pretty output of search, trace and stats, unless stdin is a live pipe.
    #[default]
    Auto,
    /// Any output to a terminal (json, raw, --count, tail without -f).
    Always,
    /// No pager.
    Never,
}

/// How records are printed.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output format (default: pretty on a terminal, raw when piped)
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<Format>,
    /// Colours
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Show only these fields in pretty output (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub fields: Vec<String>,
    /// Hide these fields in pretty output (comma-separated, repeatable)
    #[arg(long, value_delimiter = ',', value_name = "A")]
    pub hide: Vec<String>,
    /// Show times in the local time zone (also: read dates in filters as local)
    #[arg(long, conflicts_with = "utc")]
    pub local: bool,
    /// Show times in UTC (the default)
    #[arg(long)]
    pub utc: bool,
    /// strftime pattern for times in pretty output
    #[arg(long, value_name = "FMT")]
    pub time_format: Option<String>,
    /// When to page output to a terminal: through $LOGQ_PAGER, else $PAGER, else less -RFX
    ///
    /// Only a terminal is paged, and never `tail -f`. The pager starts with
    /// the first line of output, and logq exits after it does; quitting it
    /// early is a normal end (status 0). The command is split as a shell
    /// would; an empty $LOGQ_PAGER or $PAGER means no pager; less gets
    /// LESS=FRX when LESS is unset.
    ///
    /// Also on a terminal: a search, trace or stats that runs for more than
    /// a second shows its progress on stderr (files, bytes, rate), erased
    /// when it ends or when output begins.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = Paging::Auto, overrides_with = "no_pager")]
    pub pager: Paging,
    /// Never page (--pager never)
    #[arg(short = 'P', long, overrides_with = "pager")]
    pub no_pager: bool,
    /// Show the file of each record in pretty output (default: with several files)
    #[arg(long, overrides_with = "no_source")]
    pub source: bool,
    /// Never show the file of each record in pretty output
    #[arg(long, overrides_with = "source")]
    pub no_source: bool,
    /// Raw output: keep a container prefix (api-1  | ) in front of JSON records
    #[arg(long)]
    pub keep_prefix: bool,
}

/// `logq search`.
#[derive(Debug, Args, Clone, Default)]
pub struct SearchArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Only the first N matches
    #[arg(short = 'n', long = "max-count", value_name = "N")]
    pub max_count: Option<usize>,
    /// Only the last N matches
    #[arg(long, value_name = "N", conflicts_with = "max_count")]
    pub tail: Option<usize>,
    /// Newest first
    #[arg(long)]
    pub reverse: bool,
    /// Print the number of matches only
    #[arg(long)]
    pub count: bool,
    /// With --count: one count per value of FIELD (a role such as level, module, category, or a dotted path)
    #[arg(long, value_name = "FIELD", requires = "count")]
    pub by: Option<String>,
}

/// `logq tail`.
#[derive(Debug, Args, Clone, Default)]
pub struct TailArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Number of records shown before following
    #[arg(short = 'n', long = "lines", value_name = "N", default_value_t = 10)]
    pub lines: usize,
    /// Keep following: new records, rotation, new files
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// Milliseconds to wait for other files' records before printing, so
    /// records of several files come out in time order
    #[arg(long, value_name = "MS", default_value_t = 100)]
    pub sync_interval_ms: u64,
}

/// `logq trace`.
#[derive(Debug, Args, Clone, Default)]
pub struct TraceArgs {
    /// The correlation id to follow
    #[arg(value_name = "ID", required_unless_present = "ids_from")]
    pub id: Option<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Trace every id found in FIELD among records matching the filters
    ///
    /// FIELD is a role (cid: every correlation alias) or a dotted path. Ids
    /// that one record carries together (request_id and trace_id) are one
    /// request, drawn as one timeline: "trace req-1 (also abc)".
    #[arg(long, value_name = "FIELD")]
    pub ids_from: Option<String>,
    /// Read a step's duration from FIELD first (repeatable, dotted path)
    ///
    /// A step's duration is the first of: the --duration-field paths in
    /// order, then `duration_ms`, `duration_sec`, `latency_ms`,
    /// `execution_time_ms`, `elapsed`, `duration_s`, `duration_seconds`,
    /// `duration_us`, `duration_ns`, `durationMs`, `elapsed_ms`, `took_ms`,
    /// `response_time_ms`, `duration`, then the same names under `extra`,
    /// `context` and `trace` (`extra.duration_ms`, `trace.execution_time_ms`).
    /// The slowest step is the one with the longest duration.
    ///
    /// The unit comes from the name: a number (or numeric string) is
    /// milliseconds when the name ends in `_ms` or `Ms`, microseconds for
    /// `_us`/`Us`, nanoseconds for `_ns`/`Ns`, seconds for `_s`, `_sec`,
    /// `_secs`, `_seconds` (or `Sec`, `Secs`, `Seconds`). Under any other
    /// name a number is seconds and a string carries its unit: `250ms`,
    /// `1.5s`, `2m`, `1h`, `30us`, `10ns`.
    #[arg(long, value_name = "FIELD")]
    pub duration_field: Vec<String>,
}

/// `logq stats`.
#[derive(Debug, Args, Clone, Default)]
pub struct StatsArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Count per value of FIELD (a role or a dotted path); repeatable
    #[arg(long, value_name = "FIELD")]
    pub by: Vec<String>,
    /// Summarize a numeric field: count, min, mean, p50, p90, p99, max
    #[arg(long, value_name = "FIELD")]
    pub field: Option<String>,
    /// Per time bucket (5m, 1h…), drawn as a bar chart; without a value,
    /// a round width giving about 40 rows
    ///
    /// Runs of empty buckets are drawn as one line ("(11 empty)"). Without a
    /// value the width is the narrowest of 1s, 5s, 10s, 30s, 1m, 5m, 10m,
    /// 15m, 30m, 1h, 3h, 6h, 12h, 1d that gives at most 40 buckets over the
    /// matching records (1d past 40 days).
    #[arg(
        long,
        value_name = "DURATION",
        num_args = 0..=1,
        default_missing_value = "auto"
    )]
    pub every: Option<String>,
    /// Show the N largest groups, the rest summed as "other"
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,
    /// One JSON document for scripts
    #[arg(long)]
    pub json: bool,
}

/// `logq index`.
#[derive(Debug, Args, Clone, Default)]
pub struct IndexArgs {
    /// Files or directories to index (default: $LOGQ_DIR, else ./logs)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Also index the values of FIELD, a dotted path (user_id, context.org_id), so that
    /// -q 'FIELD = V' reads only the blocks holding V; repeatable, or comma-separated
    #[arg(long, value_name = "FIELD", value_delimiter = ',')]
    pub index_field: Vec<String>,
    /// Show what is indexed and how fresh, build nothing
    #[arg(long, conflicts_with = "force")]
    pub status: bool,
    /// Rebuild indexes that are fresh
    #[arg(long)]
    pub force: bool,
    /// Also delete the indexes of files under PATH that are gone (deleted, or replaced by
    /// another file), and temporary files an interrupted run left
    #[arg(long, conflicts_with = "status")]
    pub prune: bool,
    /// Where to write indexes (default: $LOGQ_CACHE_DIR, else $XDG_CACHE_HOME/logq, else
    /// ~/.cache/logq); queries must be given the same
    #[arg(long, value_name = "DIR")]
    pub index_dir: Option<PathBuf>,
    /// Which files a directory yields (repeatable; !GLOB excludes)
    #[arg(long, value_name = "GLOB")]
    pub glob: Vec<String>,
    /// Use NAME as a field for ROLE (level=severity, cid=ctx.req); queries must map the same
    #[arg(long, value_name = "ROLE=NAME")]
    pub field_map: Vec<String>,
    /// Zone of record times written without one; queries must use the same
    #[arg(long, value_name = "ZONE")]
    pub input_tz: Option<String>,
    /// Number of threads, at most 256 (default: all cores)
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Index files with NUL bytes too (default: leave them unindexed)
    #[arg(short = 'a', long)]
    pub binary: bool,
    /// Leave files with lines longer than this unindexed (default: 64M)
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_line_bytes: Option<usize>,
    /// Bytes of text per block (testing knob)
    #[arg(long, hide = true, value_name = "BYTES", value_parser = parse_size)]
    pub block_size: Option<usize>,
}

impl IndexArgs {
    /// The input flags of a query that reads the files as this indexes them.
    pub fn input(&self) -> InputArgs {
        InputArgs {
            paths: self.paths.clone(),
            glob: self.glob.clone(),
            field_map: self.field_map.clone(),
            input_tz: self.input_tz.clone(),
            threads: self.threads,
            binary: self.binary,
            max_line_bytes: self.max_line_bytes,
            index_dir: self.index_dir.clone(),
            ..InputArgs::default()
        }
    }
}

/// Parses a size: `65536`, `64K`, `64M`, `1G` (powers of 1024; `KiB`, `MB`
/// and lower case also read).
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(digits);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("'{s}' is not a size (like 65536, 64K, 64M or 1G)")),
    };
    let n: usize = num
        .parse()
        .map_err(|_| format!("'{s}' is not a size (like 65536, 64K, 64M or 1G)"))?;
    match n.checked_mul(1 << shift) {
        Some(0) => Err("the size must be at least 1 byte".into()),
        Some(v) => Ok(v),
        None => Err(format!("'{s}' is too large")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_suffixes() {
        assert_eq!(parse_size("65536"), Ok(65536));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert_eq!(parse_size("2MiB"), Ok(2 << 20));
        assert!(parse_size("0").is_err());
        assert!(parse_size("12X").is_err());
        assert!(parse_size("M").is_err());
    }
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
