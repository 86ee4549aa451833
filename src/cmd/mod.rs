//! One module per subcommand. Each resolves its settings, scans, and prints.

pub mod generate;
pub mod search;
pub mod stats;
pub mod tail;
pub mod trace;

use crate::output::pager::{PagerCommand, Sink};
use crate::scan::ScanConfig;
use crate::settings::Settings;
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
    /// Stdout, never paged.
    pub fn new(line_buffered: bool) -> Out<'a> {
        Out::with(Target::Sink(Sink::new(None)), line_buffered)
    }

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
