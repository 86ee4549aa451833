//! From the command line and environment to resolved settings.
//!
//! Every user error in flags is found here, before any file is opened:
//! levels, globs, regexes, queries and times are compiled once. The core
//! never sees clap types; commands get [`Settings`].

use crate::cli::{self, ColorChoice, FilterArgs, InputArgs, OutputArgs};
use crate::filter::{self, Expr, Grep, ModuleGlobs};
use crate::output::pager::{self, PagerCommand, Paging};
use crate::output::source::SourceColumn;
use crate::output::{Format, Printer, Style};
use crate::record::zone::{InputTz, Zone};
use crate::record::{split_path, LevelFilter, Role, RoleMap, Timestamp};
use crate::report;
use crate::source::stdin::StdinKind;
use crate::source::{self, Discovery, FileGlobs, Input};
use anyhow::{anyhow, bail, Context as _, Result};
use chrono::{DateTime, Utc};
use globset::{Glob, GlobSetBuilder};
use std::os::fd::AsFd;
use std::path::PathBuf;

/// Everything a command needs to scan and print.
pub struct Settings {
    pub filter: Expr,
    pub roles: RoleMap,
    pub inputs: Vec<Input>,
    /// The walked folders holding files the default names left out, with
    /// their number (empty with `--glob`).
    pub unsearched: Vec<(PathBuf, usize)>,
    /// Why each folder given (or defaulted to) yielded no log file, e.g.
    /// `logs/: no log files (looked for *.jsonl, …)`; see [`Settings::refuse_empty`].
    pub empty: Vec<String>,
    /// No folder or file yielded anything to read.
    pub found_none: bool,
    /// The fields `-q`/`--jq` name, to point out one no record has.
    pub census: Option<crate::census::Census>,
    pub show_invalid: bool,
    /// Prefilter, time seek and mmap on (off only to check them).
    pub fast_paths: bool,
    pub chunk_size: Option<usize>,
    pub printer: Printer,
    /// Whether stdout is a terminal (line-buffered output).
    pub is_tty: bool,
    /// `--pager`, `-P`.
    pub paging: Paging,
    /// The clock used for relative times.
    pub now: DateTime<Utc>,
    /// The indexes a scan may skip blocks by (`None` with `--no-index`,
    /// `--show-invalid`, or a filter no index can help).
    pub index: Option<crate::index::Lookup>,
    /// With `--auto-index`: the cache folder to index finished files into
    /// before scanning, and the reading settings' fingerprint.
    pub auto_index: Option<(PathBuf, u64)>,
}

/// The current time, or `LOGQ_NOW` (RFC3339) so tests control the clock.
pub fn now() -> DateTime<Utc> {
    std::env::var("LOGQ_NOW")
        .ok()
        .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc))
}

/// The most threads `-j` accepts: more than any machine logq runs on has
/// cores, and few enough that their stacks and buffers stay small.
pub const MAX_THREADS: usize = 256;

/// Resolves the shared flags for output to a terminal or not (`is_tty`,
/// see `cmd::Stdout::is_terminal`). `extra` filters (a command's own) are
/// AND-ed.
pub fn resolve(
    filters: &FilterArgs,
    input: &InputArgs,
    out: &OutputArgs,
    extra: Vec<Expr>,
    is_tty: bool,
) -> Result<Settings> {
    if let Some(n) = input.threads {
        if n == 0 {
            bail!("--threads must be at least 1");
        }
        // Each thread holds a stack and a window of chunks: 100,000 of them
        // exhaust memory or take minutes to start (issue 13).
        if n > MAX_THREADS {
            bail!("--threads must be at most {MAX_THREADS} (got {n})");
        }
        // Fails only if the pool was built already, which is harmless.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    crate::source::guard::set_limits(crate::source::guard::Limits {
        binary: input.binary,
        max_line: input
            .max_line_bytes
            .unwrap_or(crate::source::guard::DEFAULT_MAX_LINE),
    });
    let now = now();
    let roles = roles(&input.field_map, input.input_tz.as_deref())?;
    let mut parts = build_filter(filters, now, out.local)?;
    parts.extend(extra);
    let filter = Expr::all(parts);
    let mut found = inputs(input, &filter, !input.no_fast_paths)?;
    let empty = empty_folders(&mut found, &input.glob);
    let found_none = found.inputs.is_empty() && !empty.is_empty();
    let census = crate::census::Census::new(&filter);
    let fingerprint = crate::index::place::fingerprint(
        &roles,
        input.binary,
        crate::source::guard::limits().max_line,
    );
    let cache = crate::index::place::cache_dir(input.index_dir.as_deref());
    // Unparsed lines are printed with --show-invalid: no line may be skipped.
    let use_index = !input.no_index && !input.show_invalid && !input.no_fast_paths;
    let index = cache
        .clone()
        .filter(|_| use_index)
        .and_then(|dir| crate::index::Lookup::new(dir, fingerprint, &filter));
    let auto_index = cache
        .filter(|_| input.auto_index && use_index)
        .map(|dir| (dir, fingerprint));
    let mut printer = printer(out, is_tty, roles.clone())?;
    printer.style.sources = source_column(out, &found.inputs);
    Ok(Settings {
        filter,
        roles,
        inputs: found.inputs,
        unsearched: found.unsearched,
        empty,
        found_none,
        census,
        show_invalid: input.show_invalid,
        fast_paths: !input.no_fast_paths,
        chunk_size: input.chunk_size,
        printer,
        is_tty,
        paging: if out.no_pager {
            Paging::Never
        } else {
            paging(out.pager)
        },
        now,
        index,
        auto_index,
    })
}

impl Settings {
    /// The pager for output that is pretty or not, if it is to be paged
    /// (see [`pager::is_wanted`]): stdin is live unless it is a regular file.
    pub fn pager(&self, is_pretty: bool) -> Option<PagerCommand> {
        let is_live = self.inputs.iter().any(|i| i.path.is_none()) && !is_stdin_a_file();
        pager::is_wanted(self.paging, self.is_tty, is_pretty, is_live)
            .then(PagerCommand::from_env)
            .flatten()
    }

    /// Reports each folder that yielded no log file, which makes the exit
    /// status 2; when nothing at all was found, nothing is searched and the
    /// last of them is the error. Not for `tail -f`, which waits for files.
    pub fn refuse_empty(&self) -> Result<()> {
        let Some((last, rest)) = self.empty.split_last() else {
            return Ok(());
        };
        for m in rest {
            report::error(m);
        }
        if self.found_none {
            bail!("{last}");
        }
        report::error(last);
        Ok(())
    }
}

fn is_stdin_a_file() -> bool {
    std::io::stdin()
        .as_fd()
        .try_clone_to_owned()
        .map(std::fs::File::from)
        .and_then(|f| f.metadata())
        .is_ok_and(|m| m.is_file())
}

/// The messages for the folders that yielded no file (issue 10: such a
/// folder exited 1 without a word), naming what a walk looks for; their
/// left-out files are counted here rather than in the "not searched" note.
fn empty_folders(found: &mut Discovery, globs: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for root in &found.empty {
        let looked_for = if globs.is_empty() {
            source::name::DEFAULT_NAMES.to_string()
        } else {
            globs
                .iter()
                .map(|g| format!("--glob '{g}'"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut m = format!("{}: no log files (looked for {looked_for})", root.display());
        let others: usize = found
            .unsearched
            .iter()
            .filter(|(dir, _)| dir.starts_with(root))
            .map(|(_, n)| n)
            .sum();
        found.unsearched.retain(|(dir, _)| !dir.starts_with(root));
        match others {
            0 => {}
            1 => m.push_str("; 1 other file there: --glob '*' to include it"),
            n => m.push_str(&format!(
                "; {n} other files there: --glob '*' to include them"
            )),
        }
        out.push(m);
    }
    out
}

fn roles(field_map: &[String], input_tz: Option<&str>) -> Result<RoleMap> {
    let mut roles = RoleMap::default();
    if let Some(zone) = input_tz {
        let zone = Zone::parse(zone).map_err(|e| anyhow!("--input-tz: {e}"))?;
        roles.input_tz = InputTz::Fixed(zone);
    }
    for spec in field_map {
        let (role, name) = spec.split_once('=').ok_or_else(|| {
            anyhow!("invalid --field-map '{spec}' (expected ROLE=NAME, e.g. level=severity)")
        })?;
        let role: Role = role
            .trim()
            .parse()
            .map_err(|e: String| anyhow!("--field-map: {e}"))?;
        if name.trim().is_empty() {
            bail!("invalid --field-map '{spec}': empty field name");
        }
        roles.prepend(role, name.trim());
    }
    Ok(roles)
}

/// Compiles the filter flags into expressions (one per flag, AND-ed).
pub fn build_filter(f: &FilterArgs, now: DateTime<Utc>, local: bool) -> Result<Vec<Expr>> {
    let mut parts = Vec::new();
    if let Some(l) = &f.level {
        parts.push(Expr::Level(
            LevelFilter::parse(l).map_err(|e| anyhow!("--level: {e}"))?,
        ));
    }
    if !f.module.is_empty() {
        parts.push(Expr::Module(module_globs(&f.module)?));
    }
    if !f.cid.is_empty() {
        parts.push(Expr::Cid(f.cid.clone()));
    }
    let time = |flag: &str, v: &Option<String>| -> Result<Option<Timestamp>> {
        v.as_ref()
            .map(|s| filter::timespec::parse(s, now, local).map_err(|e| anyhow!("--{flag}: {e}")))
            .transpose()
    };
    let since = time("since", &f.since)?;
    let until = time("until", &f.until)?;
    if since.is_some() || until.is_some() {
        parts.push(Expr::Time { since, until });
    }
    if let Some(pattern) = &f.grep {
        parts.push(Expr::Grep(grep(
            pattern,
            f.fixed_strings,
            f.ignore_case,
            f.grep_line,
        )?));
    } else if f.fixed_strings || f.ignore_case || f.grep_line {
        bail!("-F, -i and --grep-line modify --grep, which is missing");
    }
    if !f.category.is_empty() {
        parts.push(Expr::Category(f.category.clone()));
    }
    for q in &f.query {
        let query =
            filter::query::Query::parse_at(q, now, local).map_err(|e| anyhow!("-q: {e}"))?;
        parts.push(Expr::Query(query));
    }
    for j in &f.jq {
        let jq = filter::jq::Filter::parse(j).map_err(|e| match e {
            filter::jq::Error::Syntax(e) => anyhow!("--jq: {e}"),
            // Says "--jq takes select(...) filters; …" itself.
            e @ filter::jq::Error::NotSelect { .. } => anyhow!(e),
        })?;
        parts.push(Expr::Jq(jq));
    }
    Ok(parts)
}

fn module_globs(patterns: &[String]) -> Result<ModuleGlobs> {
    let mut include = GlobSetBuilder::new();
    let mut exclude = GlobSetBuilder::new();
    let (mut has_include, mut has_exclude) = (false, false);
    for p in patterns {
        let (set, pat, flag) = match p.strip_prefix('!') {
            Some(rest) => (&mut exclude, rest, &mut has_exclude),
            None => (&mut include, p.as_str(), &mut has_include),
        };
        set.add(Glob::new(pat).with_context(|| format!("invalid --module glob '{p}'"))?);
        *flag = true;
    }
    let includes: Vec<&String> = patterns.iter().filter(|p| !p.starts_with('!')).collect();
    let literals: Option<Vec<String>> = if includes.is_empty() {
        None
    } else {
        includes
            .iter()
            .map(|p| filter::needles::glob_literal(p))
            .collect()
    };
    Ok(ModuleGlobs {
        literals,
        include: if has_include {
            Some(include.build()?)
        } else {
            None
        },
        exclude: if has_exclude {
            Some(exclude.build()?)
        } else {
            None
        },
    })
}

fn grep(pattern: &str, fixed: bool, ignore_case: bool, whole_line: bool) -> Result<Grep> {
    let source = if fixed {
        regex::escape(pattern)
    } else {
        pattern.to_string()
    };
    let regex = regex::RegexBuilder::new(&source)
        .case_insensitive(ignore_case)
        .build()
        .with_context(|| format!("invalid --grep regex '{pattern}'"))?;
    let bytes = regex::bytes::RegexBuilder::new(&source)
        .case_insensitive(ignore_case)
        .build()
        .with_context(|| format!("invalid --grep regex '{pattern}'"))?;
    let literal = match (fixed, ignore_case) {
        (_, true) => None,
        (true, false) => Some(pattern.to_string()),
        (false, false) => filter::needles::regex_literal(pattern),
    };
    let is_unanchored =
        fixed || !(source.contains(['^', '$']) || source.contains("\\A") || source.contains("\\z"));
    Ok(Grep {
        regex,
        bytes,
        whole_line,
        literal,
        is_unanchored,
    })
}

/// The inputs, less the files `--since/--until` rule out by name date, and
/// the walked folders whose files the default names left out. Paths that
/// could not be read are reported here.
fn inputs(args: &InputArgs, filter: &Expr, prune: bool) -> Result<Discovery> {
    let globs = FileGlobs::new(&args.glob).map_err(|e| anyhow!(e))?;
    let paths: Vec<PathBuf> = if !args.paths.is_empty() {
        args.paths.clone()
    } else {
        // Ripgrep's rule: a pipe, a file or a socket is input; a terminal
        // or `/dev/null` (cron, CI, `ssh host logq …`) is not.
        let stdin = StdinKind::detect();
        if stdin.is_input() {
            return Ok(Discovery::stdin());
        }
        let dir = std::env::var_os("LOGQ_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("logs"));
        if !dir.exists() {
            let what = if stdin == StdinKind::Terminal {
                "a terminal"
            } else {
                "not a pipe or a file"
            };
            bail!(
                "no input: no PATH given, stdin is {what}, and {} does not exist (set LOGQ_DIR or pass a path)",
                dir.display()
            );
        }
        vec![dir]
    };
    if paths.iter().any(|p| p.as_os_str() == "-") {
        return Ok(Discovery::stdin());
    }
    let mut found = source::discover(&paths, &globs);
    for (path, e) in &found.errors {
        report::error(format!("{}: {}", path.display(), report::describe(e)));
    }
    let (since, until) = filter.time_bounds();
    found
        .inputs
        .retain(|i| !prune || !i.is_outside(since, until));
    Ok(found)
}

fn paging(when: cli::Paging) -> Paging {
    match when {
        cli::Paging::Auto => Paging::Auto,
        cli::Paging::Always => Paging::Always,
        cli::Paging::Never => Paging::Never,
    }
}

fn printer(out: &OutputArgs, is_tty: bool, roles: RoleMap) -> Result<Printer> {
    let format = match out.output {
        Some(cli::Format::Pretty) => Format::Pretty,
        Some(cli::Format::Json) => Format::Json,
        Some(cli::Format::Raw) => Format::Raw,
        Some(cli::Format::Logfmt) => Format::Logfmt,
        None if is_tty => Format::Pretty,
        None => Format::Raw,
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match out.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_tty && !no_color,
    };
    let mut style = Style {
        color,
        local: out.local,
        ..Style::default()
    };
    if let Some(tf) = &out.time_format {
        validate_time_format(tf)?;
        style.time_format = tf.clone();
    }
    if !out.fields.is_empty() {
        style.fields = Some(out.fields.iter().map(|f| split_path(f.trim())).collect());
    }
    style.hide = out.hide.iter().map(|h| h.trim().to_string()).collect();
    Ok(Printer {
        format,
        style,
        roles,
        keep_prefix: out.keep_prefix,
    })
}

/// The source column of pretty output: with several inputs, or `--source`;
/// never with `--no-source`.
fn source_column(out: &OutputArgs, inputs: &[Input]) -> Option<SourceColumn> {
    let shown = if out.source {
        true
    } else if out.no_source {
        false
    } else {
        inputs.len() > 1
    };
    let names: Vec<String> = inputs.iter().map(Input::display).collect();
    shown.then(|| SourceColumn::new(&names))
}

fn validate_time_format(tf: &str) -> Result<()> {
    use chrono::format::{Item, StrftimeItems};
    if StrftimeItems::new(tf).any(|i| matches!(i, Item::Error)) {
        bail!("invalid --time-format '{tf}'");
    }
    Ok(())
}
