//! Writing records: pretty, json, raw and logfmt printers.
//!
//! Printers get a parsed record plus where it came from ([`Item`]) and write
//! to any `io::Write`; they know nothing of files, threads or the merge.
//! The [`Printer`] picks the format once; the caller handles buffering.
//!
//! Formatting runs in the scan workers (issue 11): [`Printer::format`]
//! writes a record into its chunk's buffer, leaving out only what depends on
//! the input (the pretty source column, the `source` of JSON output), whose
//! place it returns as a hole. [`write_record`] fills the hole while the
//! merge writes the record out, so every command prints through it.

pub mod bars;
pub mod block;
pub mod buf;
pub mod fields;
mod json;
mod logfmt;
pub mod pager;
pub mod pretty;
pub mod raw;
mod rawjson;
pub mod source;
mod traceback;

use crate::record::{Classified, Record, RoleMap};
use source::SourceColumn;
use std::io::{self, Write};

/// The `-o` formats (resolved from `cli::Format` by `settings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// The role names of the printer's roles, made at first use.
    pub role_keys: fields::RoleKeysCache,
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
            role_keys: fields::RoleKeysCache::default(),
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
    /// Writes one record followed by a newline, formatting it here (for
    /// records kept raw: `tail`, `trace`).
    pub fn print(&self, w: &mut dyn Write, item: &Item) -> io::Result<()> {
        let mut buf = Vec::with_capacity(256);
        let rec = (!item.is_invalid).then_some(item.rec);
        let time = rec.and_then(|r| r.time(&self.roles));
        let hole = self.format(&mut buf, rec, item.raw, time, item.category);
        let insert = self.source_insert(item.source);
        write_record(w, &buf, hole, &insert, self.has_line_numbers(), item.line)
    }

    /// Parses and prints a record kept raw (see [`Printer::print`]).
    pub fn print_raw(
        &self,
        w: &mut dyn Write,
        raw: &[u8],
        is_invalid: bool,
        source: &str,
        line: u64,
        category: Option<&str>,
    ) -> io::Result<()> {
        if self.format == Format::Raw {
            w.write_all(self.raw(raw, is_invalid))?;
            return w.write_all(b"\n");
        }
        with_record(raw, |rec| {
            let item = Item {
                rec,
                raw,
                source,
                line,
                category,
                is_invalid,
            };
            self.print(w, &item)
        })
    }

    /// What raw output prints of a record read as `raw` (see [`raw`]).
    pub fn raw<'r>(&self, raw: &'r [u8], is_invalid: bool) -> &'r [u8] {
        raw::record_bytes(raw, is_invalid, self.keep_prefix)
    }

    /// [`Printer::raw`] of a valid one-line record, its line classified.
    pub fn raw_line<'r>(&self, line: &Classified<'r>) -> &'r [u8] {
        raw::line_bytes(line, self.keep_prefix)
    }
}

/// Marks a formatted record without a hole (see [`Printer::format`]).
pub const NO_HOLE: u32 = u32::MAX;

impl Printer {
    /// Writes one record (`rec` is `None` for an unparsed line) with its
    /// line end into `buf`, and returns where in it, counted from the
    /// record's first byte, the input's [`Printer::source_insert`] (and for
    /// JSON the line number) goes, or [`NO_HOLE`].
    pub fn format(
        &self,
        buf: &mut Vec<u8>,
        rec: Option<&Record>,
        raw: &[u8],
        time: Option<crate::record::Timestamp>,
        category: Option<&str>,
    ) -> u32 {
        match (self.format, rec) {
            (Format::Raw, _) => {
                buf.extend_from_slice(self.raw(raw, rec.is_none()));
                buf.push(b'\n');
                NO_HOLE
            }
            (Format::Json, _) => {
                let keys = self.style.role_keys.get(&self.roles);
                json::format(buf, rec, raw, time, category, &self.roles, keys)
            }
            (Format::Logfmt, _) => {
                let keys = self.style.role_keys.get(&self.roles);
                logfmt::format(buf, rec, raw, time, &self.roles, keys);
                NO_HOLE
            }
            (Format::Pretty, _) => pretty::format(buf, rec, raw, time, &self.roles, &self.style),
        }
    }

    /// What fills the hole of a record from the input named `source`: the
    /// pretty source cell with its gap, or the JSON-escaped name and `:`.
    pub fn source_insert(&self, source: &str) -> Vec<u8> {
        match self.format {
            Format::Json => json::source_insert(source),
            Format::Pretty => pretty::source_insert(source, &self.style),
            Format::Raw | Format::Logfmt => Vec::new(),
        }
    }

    /// Whether the hole is followed by the record's line number (JSON).
    pub fn has_line_numbers(&self) -> bool {
        self.format == Format::Json
    }
}

/// Writes a record formatted by [`Printer::format`], filling its hole with
/// `insert` (and `line` when `numbered`).
pub fn write_record(
    w: &mut dyn Write,
    bytes: &[u8],
    hole: u32,
    insert: &[u8],
    numbered: bool,
    line: u64,
) -> io::Result<()> {
    match bytes.split_at_checked(hole as usize) {
        Some((head, tail)) if hole != NO_HOLE => {
            w.write_all(head)?;
            w.write_all(insert)?;
            if numbered {
                w.write_all(itoa::Buffer::new().format(line).as_bytes())?;
            }
            w.write_all(tail)
        }
        _ => w.write_all(bytes),
    }
}

/// Parses a record's raw bytes again for printing (matches are kept raw).
pub fn with_record<T>(raw: &[u8], f: impl FnOnce(&Record) -> T) -> T {
    let lossy = String::from_utf8_lossy(raw);
    let rec = Record::parse(&lossy);
    f(&rec)
}
