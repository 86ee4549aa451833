//! Writing records: pretty, json, raw and logfmt printers.
//!
//! Printers get a parsed record plus where it came from ([`Item`]) and write
//! to any `io::Write`; they know nothing of files, threads or the merge.
//! The [`Printer`] picks the format once; the caller handles buffering.

pub mod bars;
pub mod block;
pub mod escape;
mod json;
mod logfmt;
pub mod pager;
pub mod pretty;
pub mod raw;
pub mod source;
mod traceback;

use crate::record::{Record, RoleMap};
use source::SourceColumn;
use std::io::{self, Write};

/// The `-o` formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Pretty,
    Json,
    Raw,
    Logfmt,
}

/// How pretty output looks.
#[derive(Debug, Clone)]
pub struct Style {
    pub color: bool,
    pub time_format: String,
    pub local: bool,
    /// Show only these fields (dotted paths), if set.
    pub fields: Option<Vec<Vec<String>>>,
    /// Never show these top-level fields.
    pub hide: Vec<String>,
    /// The source column, when records come from several files (or
    /// `--source`).
    pub sources: Option<SourceColumn>,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            time_format: "%Y-%m-%d %H:%M:%S%.3f".to_string(),
            local: false,
            fields: None,
            hide: Vec::new(),
            sources: None,
        }
    }
}

/// A record to print and where it came from.
pub struct Item<'r, 'a> {
    pub rec: &'r Record<'a>,
    /// The record's original bytes, for raw output.
    pub raw: &'r [u8],
    pub source: &'r str,
    pub line: u64,
    /// The category of the record's file (SPEC §1).
    pub category: Option<&'r str>,
    pub is_invalid: bool,
}

/// Writes records in one format.
pub struct Printer {
    pub format: Format,
    pub style: Style,
    pub roles: RoleMap,
    /// Raw output keeps a JSON record's container prefix (`--keep-prefix`).
    pub keep_prefix: bool,
}

impl Printer {
    /// Writes one record followed by a newline.
    pub fn print(&self, w: &mut dyn Write, item: &Item) -> io::Result<()> {
        match self.format {
            Format::Raw => {
                w.write_all(self.raw(item.raw, item.is_invalid))?;
                w.write_all(b"\n")
            }
            Format::Json => json::print(w, item, &self.roles),
            Format::Logfmt => logfmt::print(w, item, &self.roles),
            Format::Pretty => pretty::print(w, item, &self.roles, &self.style),
        }
    }

    /// What raw output prints of a record read as `raw` (see [`raw`]).
    pub fn raw<'r>(&self, raw: &'r [u8], is_invalid: bool) -> &'r [u8] {
        raw::record_bytes(raw, is_invalid, self.keep_prefix)
    }
}

/// Parses a record's raw bytes again for printing (matches are kept raw).
pub fn with_record<T>(raw: &[u8], f: impl FnOnce(&Record) -> T) -> T {
    let lossy = String::from_utf8_lossy(raw);
    let rec = Record::parse(&lossy);
    f(&rec)
}
