//! The command line, as clap structs. No logic lives here: `settings`
//! turns these into resolved values.

use crate::output::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Explore structured application logs: search, follow, trace, stats.
///
/// Reads JSON lines (plain, docker compose, loguru), Python logging text,
/// gzip/zstd/bzip2/xz files, directories and stdin. With no subcommand,
/// `search` is run.
#[derive(Debug, Parser)]
#[command(name = "logq", version, about, long_about = None, args_conflicts_with_subcommands = true)]
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
    Search(SearchArgs),
    /// Show the last records, and keep following with -f
    Tail(TailArgs),
    /// Show every record of one request, across services, as a timeline
    Trace(TraceArgs),
    /// Count records by level or field, summarize numbers, draw histograms
    Stats(StatsArgs),
    /// Print shell completions
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (or write all pages into a directory)
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
    /// Files or directories (default: stdin if piped, else $LOGQ_DIR, else ./logs)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Which files a directory yields (repeatable; !GLOB excludes)
    #[arg(long, value_name = "GLOB")]
    pub glob: Vec<String>,
    /// Use NAME as a field for ROLE (level=severity, cid=ctx.req)
    #[arg(long, value_name = "ROLE=NAME")]
    pub field_map: Vec<String>,
    /// Print unparsed lines too
    #[arg(long)]
    pub show_invalid: bool,
    /// Number of threads (default: all cores)
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Turn off the fast paths (prefilter, time seek, mmap); for checking them
    #[arg(long, hide = true)]
    pub no_fast_paths: bool,
    /// Bytes per parallel chunk (testing knob)
    #[arg(long, hide = true, value_name = "BYTES")]
    pub chunk_size: Option<usize>,
}

/// When to use colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
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
    /// Per time bucket (5m, 1h…), drawn as a bar chart
    #[arg(long, value_name = "DURATION")]
    pub every: Option<String>,
    /// Show the N largest groups, the rest summed as "other"
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,
    /// One JSON document for scripts
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
