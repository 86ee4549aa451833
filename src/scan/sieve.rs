//! Which records are kept: the one decision that search's scan and tail's
//! backward read and following all take.
//!
//! Owns the order of the steps for one record, cheapest first: the literal
//! prefilter on raw bytes, the quick look at a JSON line (`record::quick`,
//! `Expr::quick_eval`), the full parse, the filter. Each step sees the
//! record's first line classified once (`record::Classified`), never
//! splitting its prefix again.
//!
//! Invariant: a record is kept on a quick look only when its line is one
//! valid JSON object exactly as `Record::parse` decides it, so every step
//! keeps what the full parse and the filter keep (`sieve/tests.rs` holds
//! them to it on generated lines).

use crate::filter::{Context, Expr};
use crate::record::json::is_valid_object;
use crate::record::{Classified, LineKind, Record, RoleMap};
use memchr::memmem::Finder;
use std::borrow::Cow;

/// What became of one record.
// Lives on the stack for one record; boxing the record would allocate for
// every line parsed.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Verdict<'t> {
    /// Not parsed: it holds none of the filter's literals, or a quick look
    /// proved that the filter rejects it.
    Skipped,
    /// Kept on a quick look: the taker given to [`Sieve::judge`] took it.
    Taken,
    /// Not a record (an unparsed line).
    Invalid,
    /// Parsed; `keep` is the filter's answer.
    Parsed { rec: Record<'t>, keep: bool },
}

/// The keep decision for one filter: the filter with its prefilter.
#[derive(Clone)]
pub struct Sieve<'a> {
    pub filter: &'a Expr,
    pub roles: &'a RoleMap,
    /// Look at raw bytes before parsing (off with `--no-fast-paths`, and
    /// with `--show-invalid`, where no line may be skipped unparsed).
    quick: bool,
    finders: Option<Vec<Finder<'static>>>,
    /// The literals that also bind text records (see `Expr::text_needles`).
    text_finders: Option<Vec<Finder<'static>>>,
    escape_finder: Finder<'static>,
}

fn finders_of(needles: Option<Vec<String>>) -> Option<Vec<Finder<'static>>> {
    needles.map(|ns| {
        ns.iter()
            .map(|n| Finder::new(n.as_bytes()).into_owned())
            .collect()
    })
}

impl<'a> Sieve<'a> {
    /// The decision for `filter`; `fast` enables the literal prefilter and
    /// the quick look.
    pub fn new(filter: &'a Expr, roles: &'a RoleMap, fast: bool) -> Sieve<'a> {
        let (finders, text_finders) = if fast {
            (
                finders_of(filter.needles()),
                finders_of(filter.text_needles()),
            )
        } else {
            (None, None)
        };
        Sieve {
            filter,
            roles,
            quick: fast,
            finders,
            text_finders,
            escape_finder: Finder::new(b"\\u").into_owned(),
        }
    }

    /// Whether a record's raw bytes may match: they contain one of the
    /// filter's literals, or a `\u` escape that could be hiding one. A text
    /// record is held only to the literals that bind text records too: its
    /// head implies values it does not spell (uvicorn's module, the level
    /// of a Django request line).
    pub fn is_candidate(&self, raw: &[u8], first: &Classified) -> bool {
        let Some(fs) = &self.finders else {
            return true;
        };
        if first.kind == LineKind::Json {
            fs.iter().any(|f| f.find(raw).is_some())
                || (first.escaped && self.escape_finder.find(raw).is_some())
        } else {
            match &self.text_finders {
                Some(fs) => fs.iter().any(|f| f.find(raw).is_some()),
                None => true,
            }
        }
    }

    /// Decides one record: `raw` is its bytes (several lines for a text
    /// record with a traceback), `first` its first line classified, `text`
    /// a slot for its text (which the parsed record borrows). `take`, when
    /// given, is offered a record that the quick look keeps, on a line
    /// holding one valid JSON object (as `Record::parse` decides it); it
    /// returns `false` when it needs the record parsed after all.
    pub fn judge<'t, 'r: 't>(
        &self,
        raw: &'r [u8],
        first: &Classified<'r>,
        text: &'t mut Cow<'r, str>,
        cx: &Context,
        take: Option<&mut dyn FnMut(&Classified) -> bool>,
    ) -> Verdict<'t> {
        if !first.is_record_start() {
            return Verdict::Invalid;
        }
        if !self.is_candidate(raw, first) {
            return Verdict::Skipped;
        }
        if self.quick {
            match self.filter.quick_eval(raw, first, self.roles) {
                Some(false) => return Verdict::Skipped,
                Some(true) => {
                    if let Some(take) = take {
                        if first.kind == LineKind::Json
                            && is_valid_object(first.body)
                            && take(first)
                        {
                            return Verdict::Taken;
                        }
                    }
                }
                None => {}
            }
        }
        // Borrowed when the line is valid UTF-8, which it nearly always is.
        *text = super::text_of(raw);
        let text: &'t Cow<'r, str> = text;
        let rec = Record::parse_classified(text, first);
        if !rec.is_valid() {
            return Verdict::Invalid;
        }
        let keep = self.filter.matches(&rec, cx);
        Verdict::Parsed { rec, keep }
    }
}

#[cfg(test)]
mod tests;
