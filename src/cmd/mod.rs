//! One module per subcommand. Each resolves its settings, scans, and prints.
//! Beside them, [`key`]: the field a flag names, shared by `stats --by`,
//! `search --count --by` and `trace --ids-from`.
//!
//! Also what they share: the scan configuration of the settings, the
//! buffered (or paged) stdout, and the reports after a scan (each input's
//! errors and unparsed lines; the fields no record has).

pub mod generate;
pub mod index;
pub mod key;
pub mod search;
pub mod stats;
pub mod tail;
pub mod trace;

use crate::census::Census;
use crate::output::pager::{PagerCommand, Sink};
use crate::report;
use crate::scan::{ScanConfig, Summary};
use crate::settings::Settings;
use crate::source::Input;
use std::io::{self, BufWriter, IsTerminal, Write};

/// The scan configuration of some settings.
pub fn scan_config(s: &Settings) -> ScanConfig<'_> {
    // Unparsed lines bypass the filter, so with --show-invalid no line may be
    // skipped unparsed (prefilter, quick reject, time seek) or the output
    // would depend on the read path.
    let mut cfg = ScanConfig::new(&s.filter, &s.roles, s.fast_paths && !s.show_invalid);
    cfg.show_invalid = s.show_invalid;
    cfg.mmap = s.fast_paths;
    // Only JSON output shows line numbers (`source`); counting the lines a
    // time seek skipped would cost more than the window itself.
    cfg.line_numbers = s.printer.format == crate::output::Format::Json;
    cfg.census = s.census.as_ref();
    cfg.index = s.index.as_ref();
    if let Some(n) = s.chunk_size {
        cfg.chunk_size = n.max(1);
    }
    cfg
}

/// Where a command prints: the process's stdout (a terminal or not, paged
/// when the settings say so), or a writer of the caller of [`crate::run_to`],
/// which is never a terminal and never paged.
pub enum Stdout<'w> {
    /// The process's stdout.
    Process,
    /// A writer of the caller's, such as a `Vec<u8>`.
    Writer(&'w mut dyn Write),
}

impl Stdout<'_> {
    /// Whether output goes to a terminal (line-buffered, pretty and coloured
    /// by default, paged).
    pub fn is_terminal(&self) -> bool {
        match self {
            Stdout::Process => io::stdout().is_terminal(),
            Stdout::Writer(_) => false,
        }
    }
}

/// What an [`Out`] buffers for.
enum Target<'a> {
    Sink(Sink),
    Writer(&'a mut dyn Write),
}

impl Write for Target<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Target::Sink(w) => w.write(buf),
            Target::Writer(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Target::Sink(w) => w.write_all(buf),
            Target::Writer(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Target::Sink(w) => w.flush(),
            Target::Writer(w) => w.flush(),
        }
    }
}

/// Buffered stdout, or the pager's stdin; flushed per record on a terminal
/// so output appears as found.
pub struct Out<'a> {
    w: BufWriter<Target<'a>>,
    line_buffered: bool,
}

impl<'a> Out<'a> {
    /// `to` through `pager` when `to` is the process's stdout, the pager
    /// started at the first write (see [`Settings::pager`]). Dropping the
    /// `Out` waits for the pager.
    pub fn paged(to: &'a mut Stdout, pager: Option<PagerCommand>, line_buffered: bool) -> Out<'a> {
        let target = match to {
            Stdout::Process => Target::Sink(Sink::new(pager)),
            Stdout::Writer(w) => Target::Writer(&mut **w),
        };
        Out::with(target, line_buffered)
    }

    fn with(target: Target<'a>, line_buffered: bool) -> Out<'a> {
        Out {
            w: BufWriter::with_capacity(1 << 16, target),
            line_buffered,
        }
    }

    /// The writer.
    pub fn w(&mut self) -> &mut dyn Write {
        &mut self.w
    }

    /// Called after each record.
    pub fn end_record(&mut self) -> io::Result<()> {
        if self.line_buffered {
            self.w.flush()?;
        }
        Ok(())
    }

    /// Flushes, and waits for the pager to exit.
    pub fn finish(mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// After a scan: reports what went wrong with each input, and its unparsed
/// lines.
pub fn report_inputs(inputs: &[Input], summaries: &[Summary], show_invalid: bool) {
    for (input, s) in inputs.iter().zip(summaries) {
        let name = input.display();
        if let Some(e) = &s.error {
            if crate::source::guard::is_binary(e) {
                // Skipped, as ripgrep does; not a failure of the run. The
                // zeros a truncated map reads are the shrink, said below.
                if !s.shrank {
                    crate::progress::above(|| eprintln!("logq: {name}: {e}"));
                }
            } else if s.lines > 0 {
                report::error(format!("{name}:{}: {}", s.lines + 1, report::describe(e)));
            } else {
                report::error(format!("{name}: {}", report::describe(e)));
            }
        }
        if s.shrank {
            report::error(format!(
                "{name}: the file was truncated while being read; results may be incomplete"
            ));
        }
        // Past the new end of a shrunk file the map reads zeros, which are
        // not unparsed lines of the log.
        if s.invalid > 0 && !show_invalid && !s.shrank {
            let (what, verb) = if s.invalid == 1 {
                ("line", "is not a JSON or log record")
            } else {
                ("lines", "are not JSON or log records")
            };
            report::warning(format!(
                "{} {what} in {name} {verb}; --show-invalid to see them",
                s.invalid
            ));
        }
    }
}

/// After a scan that matched nothing: says which fields the filter names
/// that no record read has ([`Census::missing`]), from the inputs'
/// summaries.
pub fn report_missing_fields(census: Option<&Census>, summaries: &[Summary]) {
    let Some(census) = census else {
        return;
    };
    // Records an index skipped were not read: their fields are unknown.
    if summaries.iter().any(|s| s.pruned) {
        return;
    }
    let mut all = census.start();
    for seen in summaries.iter().filter_map(|s| s.seen.clone()) {
        all.merge(seen);
    }
    for message in census.missing(&all) {
        report::hint(message);
    }
}
