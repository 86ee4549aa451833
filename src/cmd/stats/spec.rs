//! What `stats` computes, resolved from its flags: the `--by` fields, the
//! `--field` summarized, the `--every` bucket width and `--top`.
//!
//! Every bad flag is an error here, before any input is read; counting is
//! left to [`tally`](super::tally), drawing to [`table`](super::table) and
//! the printers.

use super::width;
use crate::cli::StatsArgs;
use crate::cmd::key::Key;
use crate::filter::timespec;
use crate::record::{split_path, FieldPath};
use anyhow::{anyhow, bail, Result};

/// The value of `--every` given without one.
pub(super) const AUTO: &str = "auto";

/// What to compute, resolved from the flags.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The group fields with their names as given (level when neither
    /// `--by`, `--field` nor `--every` is given; may be empty).
    pub by: Vec<(String, Key)>,
    /// The numeric field of `--field`, with its name.
    pub field: Option<(String, FieldPath)>,
    /// The bucket width in nanoseconds, and the flag's text. With
    /// `auto_every`, the width counted in while scanning, then the one
    /// chosen.
    pub every: Option<(i64, String)>,
    /// `--every` without a value: the width is chosen after the scan, for
    /// about 40 rows (see [`width`]).
    pub auto_every: bool,
    pub top: usize,
}

impl Spec {
    /// Resolves the stats flags; a bad `--by` or `--every` is an error here.
    pub fn from_args(args: &StatsArgs) -> Result<Spec> {
        // Plain `stats` counts per level; `--field` and `--every` alone
        // summarize everything as one group (per bucket).
        let by = if args.by.is_empty() {
            if args.field.is_none() && args.every.is_none() {
                vec![("level".to_string(), Key::Level)]
            } else {
                Vec::new()
            }
        } else {
            args.by
                .iter()
                .map(|b| Ok((b.trim().to_string(), Key::parse("--by", b)?)))
                .collect::<Result<_>>()?
        };
        let field = match &args.field {
            Some(f) if f.trim().trim_start_matches('.').is_empty() => {
                bail!("--field: empty field name")
            }
            Some(f) => Some((
                f.trim().to_string(),
                split_path(f.trim().trim_start_matches('.')),
            )),
            None => None,
        };
        let auto_every = args.every.as_deref().map(str::trim) == Some(AUTO);
        let every = match &args.every {
            Some(_) if auto_every => Some((width::FINEST, AUTO.to_string())),
            Some(e) => {
                let d = timespec::parse_duration(e).map_err(|m| anyhow!("--every: {m}"))?;
                let nanos = d
                    .num_nanoseconds()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| anyhow!("--every: '{e}' is too long"))?;
                Some((nanos, e.trim().to_string()))
            }
            None => None,
        };
        Ok(Spec {
            by,
            field,
            every,
            auto_every,
            top: args.top,
        })
    }

    /// Whether rows are levels only, shown in severity order.
    pub fn is_by_level(&self) -> bool {
        matches!(self.by.as_slice(), [(_, Key::Level)])
    }
}
