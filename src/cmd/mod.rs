//! One module per subcommand. Each resolves its settings, scans, and prints.
//! Beside them, [`key`]: the field a flag names, shared by `stats --by`,
//! `search --count --by` and `trace --ids-from`.

pub mod generate;
pub mod key;
pub mod search;
pub mod stats;
pub mod tail;
pub mod trace;

use crate::output::pager::{PagerCommand, Sink};
use crate::scan::ScanConfig;
use crate::settings::Settings;
use std::io::{self, BufWriter, Write};

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

/// Buffered stdout, or the pager's stdin; flushed per record on a terminal
/// so output appears as found.
pub struct Out {
    w: BufWriter<Sink>,
    line_buffered: bool,
}

impl Out {
    /// Stdout, never paged.
    pub fn new(line_buffered: bool) -> Out {
        Out::paged(None, line_buffered)
    }

    /// Stdout through `pager`, started at the first write (see
    /// [`Settings::pager`]). Dropping the `Out` waits for the pager.
    pub fn paged(pager: Option<PagerCommand>, line_buffered: bool) -> Out {
        Out {
            w: BufWriter::with_capacity(1 << 16, Sink::new(pager)),
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
